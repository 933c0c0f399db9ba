//! Members and their roles. An organization always keeps at least one Owner.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn, LiteralLimitDsl,
    schema::{memberships, users},
};

use super::{OrganizationError, Result};
use crate::{
    Access, CommonError, Domain, Member, Page, Role, User,
    organizations::audit::{self, Entry},
    organizations::events::{self, OrganizationChange},
    parse_role,
    values::page_size,
};

impl Domain {
    /// Ordered by user id (creation order). Any member.
    pub async fn members(
        &self,
        access: &Access,
        first: Option<i32>,
        after: Option<Uuid>,
    ) -> Result<Page<Member>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first)?;
        self.read_tx(access.scope(), async |c| {
            let mut q = memberships::table
                .inner_join(users::table)
                .filter(memberships::org_id.eq(access.org_id))
                .order(memberships::user_id.asc())
                .select((
                    User::as_select(),
                    memberships::role,
                    memberships::created_at,
                ))
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(memberships::user_id.gt(after));
            }
            let rows: Vec<(User, String, DateTime<Utc>)> =
                q.literal_limit(limit + 1).load(c).await?;
            let members = rows
                .into_iter()
                .map(|(user, role, joined_at)| Member {
                    user,
                    role: parse_role(&role),
                    joined_at,
                })
                .collect();
            Ok(Page::from_rows(members, limit))
        })
        .await
    }

    pub async fn member_count(&self, access: &Access) -> Result<i64> {
        self.read_tx(access.scope(), async |c| {
            Ok(memberships::table
                .filter(memberships::org_id.eq(access.org_id))
                .count()
                .get_result(c)
                .await?)
        })
        .await
    }

    /// Admins manage Members and Admins; only Owners grant or take away the Owner role.
    pub async fn change_member_role(
        &self,
        access: &Access,
        user_id: Uuid,
        role: Role,
    ) -> Result<Member> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let current = member_role(c, access.org_id, user_id).await?;
            if (current == Role::Owner || role == Role::Owner) && access.role != Role::Owner {
                return Err(OrganizationError::OnlyOwnerGrantsOwner);
            }
            if current == Role::Owner && role != Role::Owner {
                ensure_another_owner(c, access.org_id, user_id).await?;
            }
            let (role_str, joined_at) = diesel::update(
                memberships::table
                    .filter(memberships::org_id.eq(access.org_id))
                    .filter(memberships::user_id.eq(user_id)),
            )
            .set((
                memberships::role.eq(role.as_str()),
                memberships::updated_at.eq(Utc::now()),
            ))
            .returning((memberships::role, memberships::created_at))
            .get_result::<(String, DateTime<Utc>)>(c)
            .await?;
            if current != role {
                audit::record(
                    c,
                    access.org_id,
                    access.caller(),
                    Entry {
                        action: "member.role_changed",
                        target_type: "user",
                        target_id: user_id.to_string(),
                        details: json!({ "from": current, "to": role }),
                    },
                )
                .await?;
                events::publish(c, access.org_id, OrganizationChange::Members).await?;
                if role < current {
                    super::api_tokens::revoke_created_by(c, access, user_id, Some(role)).await?;
                }
            }
            let user = load_user(c, user_id).await?;
            Ok(Member {
                user,
                role: parse_role(&role_str),
                joined_at,
            })
        })
        .await
    }

    /// Admins remove Members and Admins; Owners remove anyone but the last Owner.
    pub async fn remove_member(&self, access: &Access, user_id: Uuid) -> Result<Uuid> {
        access.ensure(Role::Admin)?;
        if access.caller().user_id() == Some(user_id) {
            return Err(OrganizationError::RemovingYourself);
        }
        self.tx(access.scope(), async |c| {
            let current = member_role(c, access.org_id, user_id).await?;
            if current == Role::Owner {
                if access.role != Role::Owner {
                    return Err(OrganizationError::OnlyOwnerRemovesOwner);
                }
                ensure_another_owner(c, access.org_id, user_id).await?;
            }
            delete_membership(c, access.org_id, user_id).await?;
            super::api_tokens::revoke_created_by(c, access, user_id, None).await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "member.removed",
                    target_type: "user",
                    target_id: user_id.to_string(),
                    details: json!({ "role": current }),
                },
            )
            .await?;
            events::publish(c, access.org_id, OrganizationChange::Members).await?;
            Ok(user_id)
        })
        .await
        // Their revoked tokens stop here at once, not when the bus event comes back.
        .inspect(|_| self.token_cache.forget_org(access.org_id))
    }

    /// The caller leaves; the last Owner must first hand ownership to someone else.
    pub async fn leave_organization(&self, access: &Access) -> Result<Uuid> {
        let user_id = access.caller().require_user()?.id;
        self.tx(access.scope(), async |c| {
            let current = member_role(c, access.org_id, user_id).await?;
            if current == Role::Owner {
                ensure_another_owner(c, access.org_id, user_id)
                    .await
                    .map_err(|_| OrganizationError::LastOwnerLeaving)?;
            }
            delete_membership(c, access.org_id, user_id).await?;
            super::api_tokens::revoke_created_by(c, access, user_id, None).await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "member.left",
                    target_type: "user",
                    target_id: user_id.to_string(),
                    details: json!({ "role": current }),
                },
            )
            .await?;
            events::publish(c, access.org_id, OrganizationChange::Members).await?;
            Ok(access.org_id)
        })
        .await
        .inspect(|_| self.token_cache.forget_org(access.org_id))
    }

    /// Makes another member an Owner and the calling Owner an Admin.
    pub async fn transfer_ownership(&self, access: &Access, to: Uuid) -> Result<()> {
        access.ensure(Role::Owner)?;
        let from = access.caller().require_user()?.id;
        if from == to {
            return Err(OrganizationError::AlreadyOwner);
        }
        self.tx(access.scope(), async |c| {
            member_role(c, access.org_id, to).await?;
            set_role(c, access.org_id, to, Role::Owner).await?;
            set_role(c, access.org_id, from, Role::Admin).await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "organization.ownership_transferred",
                    target_type: "user",
                    target_id: to.to_string(),
                    details: json!({ "from": from }),
                },
            )
            .await?;
            events::publish(c, access.org_id, OrganizationChange::Members).await?;
            Ok(())
        })
        .await
    }
}

async fn member_role(c: &mut Conn, org_id: Uuid, user_id: Uuid) -> Result<Role> {
    let role: Option<String> = memberships::table
        .filter(memberships::org_id.eq(org_id))
        .filter(memberships::user_id.eq(user_id))
        .select(memberships::role)
        .for_update()
        .first(c)
        .await
        .optional()?;
    role.map(|r| parse_role(&r))
        .ok_or(CommonError::NotFound("member").into())
}

/// Locks the Owners' rows, so two concurrent demotions cannot leave none.
async fn ensure_another_owner(c: &mut Conn, org_id: Uuid, leaving: Uuid) -> Result<()> {
    let owners: Vec<Uuid> = memberships::table
        .filter(memberships::org_id.eq(org_id))
        .filter(memberships::role.eq(Role::Owner.as_str()))
        .select(memberships::user_id)
        .for_update()
        .load(c)
        .await?;
    if owners.iter().any(|o| *o != leaving) {
        Ok(())
    } else {
        Err(OrganizationError::LastOwner)
    }
}

async fn set_role(c: &mut Conn, org_id: Uuid, user_id: Uuid, role: Role) -> Result<()> {
    diesel::update(
        memberships::table
            .filter(memberships::org_id.eq(org_id))
            .filter(memberships::user_id.eq(user_id)),
    )
    .set((
        memberships::role.eq(role.as_str()),
        memberships::updated_at.eq(Utc::now()),
    ))
    .execute(c)
    .await?;
    Ok(())
}

async fn delete_membership(c: &mut Conn, org_id: Uuid, user_id: Uuid) -> Result<()> {
    diesel::delete(
        memberships::table
            .filter(memberships::org_id.eq(org_id))
            .filter(memberships::user_id.eq(user_id)),
    )
    .execute(c)
    .await?;
    Ok(())
}

async fn load_user(c: &mut Conn, user_id: Uuid) -> Result<User, CommonError> {
    users::table
        .filter(users::id.eq(user_id))
        .select(User::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or(CommonError::NotFound("user"))
}
