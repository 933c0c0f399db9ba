//! Invitations by e-mail link. The link carries `<org id>.<secret>`; the database keeps
//! only the secret's SHA-256, so a database reader cannot accept on anyone's behalf.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use wagent_db::{
    Conn, LiteralLimitDsl, Scope,
    schema::{invitations, memberships, organizations, users},
};

use super::{OrganizationError, Result};
use crate::{
    Access, Caller, CommonError, Domain, Invitation, InvitationStatus, Membership, Organization,
    Page, Role,
    organizations::audit::{self, Entry},
    organizations::events::{self, OrganizationChange},
    values::{EmailAddress, page_size},
};

const VALID_FOR: Duration = Duration::days(7);

/// What an invitation link offers, shown before it is accepted.
#[derive(Debug, Clone)]
pub struct InvitationPreview {
    pub organization_name: String,
    pub email: String,
    pub role: Role,
    pub status: InvitationStatus,
    pub expires_at: DateTime<Utc>,
}

/// A new invitation and the link to send (shown once).
#[derive(Debug, Clone)]
pub struct IssuedInvitation {
    pub invitation: Invitation,
    pub accept_url: String,
}

struct InvitationToken {
    org_id: Uuid,
    secret_hash: Vec<u8>,
}

impl InvitationToken {
    fn parse(raw: &str) -> Result<Self> {
        let invalid = || OrganizationError::MalformedInvitation;
        let (org, secret) = raw.trim().split_once('.').ok_or_else(invalid)?;
        let org_id = Uuid::parse_str(org).map_err(|_| invalid())?;
        if secret.len() != 43 {
            return Err(invalid());
        }
        Ok(Self {
            org_id,
            secret_hash: Sha256::digest(secret.as_bytes()).to_vec(),
        })
    }
}

impl Domain {
    /// Admin or Owner; only an Owner invites Owners. A new invitation to the same address
    /// replaces the pending one.
    pub async fn invite_member(
        &self,
        access: &Access,
        email: &str,
        role: Role,
    ) -> Result<IssuedInvitation> {
        access.ensure(Role::Admin)?;
        // Only people invite people: an API token cannot hand out rights to a new member.
        if access.caller().token_id().is_some() {
            return Err(OrganizationError::TokensCannotInvite);
        }
        if role == Role::Owner && access.role != Role::Owner {
            return Err(OrganizationError::OnlyOwnerInvitesOwner);
        }
        let email = EmailAddress::parse(email)?;
        let secret = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
        let token = format!("{}.{secret}", access.org_id);
        let hash = Sha256::digest(secret.as_bytes()).to_vec();
        let invitation = self
            .tx(access.scope(), async |c| {
                let already: i64 = memberships::table
                    .inner_join(users::table)
                    .filter(memberships::org_id.eq(access.org_id))
                    .filter(
                        diesel::dsl::sql::<diesel::sql_types::Bool>("lower(users.email) = ")
                            .bind::<diesel::sql_types::Text, _>(email.as_str()),
                    )
                    .count()
                    .get_result(c)
                    .await?;
                if already > 0 {
                    return Err(OrganizationError::AlreadyMember(email.as_str().to_owned()));
                }
                let now = Utc::now();
                diesel::update(
                    invitations::table
                        .filter(invitations::email.eq(email.as_str()))
                        .filter(invitations::accepted_at.is_null())
                        .filter(invitations::revoked_at.is_null()),
                )
                .set(invitations::revoked_at.eq(now))
                .execute(c)
                .await?;
                let invitation = diesel::insert_into(invitations::table)
                    .values((
                        invitations::org_id.eq(access.org_id),
                        invitations::id.eq(Uuid::now_v7()),
                        invitations::email.eq(email.as_str()),
                        invitations::role.eq(role.as_str()),
                        invitations::token_hash.eq(&hash),
                        invitations::invited_by.eq(access.caller().user_id()),
                        invitations::expires_at.eq(now + VALID_FOR),
                    ))
                    .returning(Invitation::as_returning())
                    .get_result(c)
                    .await?;
                audit::record(
                    c,
                    access.org_id,
                    access.caller(),
                    Entry {
                        action: "member.invited",
                        target_type: "invitation",
                        target_id: invitation.id.to_string(),
                        details: json!({ "email": email.as_str(), "role": role }),
                    },
                )
                .await?;
                events::publish(c, access.org_id, OrganizationChange::Invitations).await?;
                Ok(invitation)
            })
            .await?;
        let accept_url = format!("{}/invitations/accept#token={token}", self.public_url);
        Ok(IssuedInvitation {
            invitation,
            accept_url,
        })
    }

    /// Newest first. Admin or Owner.
    pub async fn invitations(
        &self,
        access: &Access,
        first: Option<i32>,
        after: Option<Uuid>,
    ) -> Result<Page<Invitation>> {
        access.ensure(Role::Admin)?;
        let limit = page_size(first)?;
        self.read_tx(access.scope(), async |c| {
            let mut q = invitations::table
                .select(Invitation::as_select())
                .order(invitations::id.desc())
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(invitations::id.lt(after));
            }
            Ok(Page::from_rows(
                q.literal_limit(limit + 1).load(c).await?,
                limit,
            ))
        })
        .await
    }

    pub async fn revoke_invitation(&self, access: &Access, id: Uuid) -> Result<Invitation> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let invitation = find(c, id).await?;
            if invitation.status(Utc::now()) != InvitationStatus::Pending {
                return Err(OrganizationError::InvitationNotPending);
            }
            let invitation = diesel::update(invitations::table.filter(invitations::id.eq(id)))
                .set(invitations::revoked_at.eq(Utc::now()))
                .returning(Invitation::as_returning())
                .get_result(c)
                .await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "invitation.revoked",
                    target_type: "invitation",
                    target_id: id.to_string(),
                    details: json!({ "email": invitation.email }),
                },
            )
            .await?;
            events::publish(c, access.org_id, OrganizationChange::Invitations).await?;
            Ok(invitation)
        })
        .await
    }

    /// The link itself is the permission to look: anyone signed in who holds it.
    pub async fn invitation_preview(
        &self,
        caller: &Caller,
        token: &str,
    ) -> Result<InvitationPreview> {
        caller.require_user()?;
        let token = InvitationToken::parse(token)?;
        self.tx(Scope::org(token.org_id), async |c| {
            let invitation = by_hash(c, &token.secret_hash).await?;
            let organization_name = organizations::table
                .filter(organizations::id.eq(token.org_id))
                .select(organizations::name)
                .first::<String>(c)
                .await?;
            Ok(InvitationPreview {
                organization_name,
                status: invitation.status(Utc::now()),
                email: invitation.email,
                role: invitation.role.0,
                expires_at: invitation.expires_at,
            })
        })
        .await
    }

    /// Joins the organization with the invited role. The signed-in person's verified
    /// e-mail address must be the one invited.
    pub async fn accept_invitation(&self, caller: &Caller, token: &str) -> Result<Membership> {
        let user = caller.require_user()?.clone();
        let token = InvitationToken::parse(token)?;
        self.tx(
            Scope::org(token.org_id).with_user(Some(user.id)),
            async |c| {
                let invitation = by_hash(c, &token.secret_hash).await?;
                match invitation.status(Utc::now()) {
                    InvitationStatus::Pending => {}
                    InvitationStatus::Accepted => {
                        return Err(OrganizationError::InvitationUsed);
                    }
                    InvitationStatus::Revoked => {
                        return Err(OrganizationError::InvitationRevoked);
                    }
                    InvitationStatus::Expired => {
                        return Err(OrganizationError::InvitationExpired);
                    }
                }
                let mine = user
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(&invitation.email));
                if !mine {
                    return Err(OrganizationError::InvitationForAnother(invitation.email));
                }
                if !user.email_verified {
                    return Err(OrganizationError::EmailUnverified);
                }
                let inserted = diesel::insert_into(memberships::table)
                    .values((
                        memberships::org_id.eq(token.org_id),
                        memberships::user_id.eq(user.id),
                        memberships::role.eq(invitation.role.0.as_str()),
                    ))
                    .on_conflict_do_nothing()
                    .execute(c)
                    .await?;
                if inserted == 0 {
                    return Err(OrganizationError::YouAreAlreadyMember);
                }
                diesel::update(invitations::table.filter(invitations::id.eq(invitation.id)))
                    .set((
                        invitations::accepted_at.eq(Utc::now()),
                        invitations::accepted_by.eq(user.id),
                    ))
                    .execute(c)
                    .await?;
                let actor = Caller {
                    principal: crate::Principal::User(user.clone()),
                    ..caller.clone()
                };
                audit::record(
                    c,
                    token.org_id,
                    &actor,
                    Entry {
                        action: "invitation.accepted",
                        target_type: "invitation",
                        target_id: invitation.id.to_string(),
                        details: json!({ "email": invitation.email, "role": invitation.role.0 }),
                    },
                )
                .await?;
                events::publish(c, token.org_id, OrganizationChange::Members).await?;
                events::publish(c, token.org_id, OrganizationChange::Invitations).await?;
                let organization = organizations::table
                    .filter(organizations::id.eq(token.org_id))
                    .select(Organization::as_select())
                    .first(c)
                    .await?;
                let access = Access {
                    caller: Arc::new(actor),
                    org_id: token.org_id,
                    role: invitation.role.0,
                };
                Ok(Membership {
                    organization,
                    access,
                })
            },
        )
        .await
    }
}

async fn find(c: &mut Conn, id: Uuid) -> Result<Invitation, CommonError> {
    invitations::table
        .filter(invitations::id.eq(id))
        .select(Invitation::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or(CommonError::NotFound("invitation"))
}

async fn by_hash(c: &mut Conn, hash: &[u8]) -> Result<Invitation, CommonError> {
    invitations::table
        .filter(invitations::token_hash.eq(hash))
        .select(Invitation::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or(CommonError::NotFound("invitation"))
}
