//! Organizations, the tenants, and who belongs to them: members and their roles
//! (`members`), invitations by e-mail link (`invitations`), integrators' API tokens
//! (`api_tokens`), the people behind sign-ins (`users`) and the audit log (`audit`). This
//! file holds the organization itself: creating, renaming, the caller's memberships;
//! `settings` its consent keywords and default country.

mod api_tokens;
pub(crate) mod audit;
mod error;
mod events;
mod invitations;
mod members;
mod models;
mod settings;
pub(crate) mod token_cache;
mod users;

use std::sync::Arc;

use chrono::{Duration, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{memberships, organizations},
};

use self::audit::Entry;
pub use self::{
    api_tokens::{DEFAULT_DAYS, IssuedToken, MAX_DAYS},
    error::OrganizationError,
    events::OrganizationChange,
    invitations::{InvitationPreview, IssuedInvitation},
    models::{
        ApiToken, AuditEvent, Invitation, InvitationStatus, Member, Membership, Organization,
        RoleColumn, User,
    },
    settings::{ConsentKeywords, MAX_KEYWORDS},
    users::Identity,
};
use crate::{
    Access, Caller, CommonError, Domain, Principal, Role, parse_role,
    retention::Sweep,
    values::{EmailAddress, InvalidValue, OrganizationName},
};

/// The organizations area's result.
pub type Result<T, E = OrganizationError> = std::result::Result<T, E>;

impl Domain {
    /// Creates an organization with the caller as its Owner. People only: an API token
    /// belongs to one organization and cannot make others.
    pub async fn create_organization(&self, caller: &Caller, name: &str) -> Result<Membership> {
        let owner = caller.require_user()?.id;
        let organization = self
            .create_organization_owned_by(caller, name, async |_| Ok(owner))
            .await?;
        let access = Access {
            caller: Arc::new(caller.clone()),
            org_id: organization.id,
            role: Role::Owner,
        };
        Ok(Membership {
            organization,
            access,
        })
    }

    /// `wagent org create`: an organization whose Owner is the user with `owner_email`
    /// (made unclaimed when nobody has signed in with it yet), or no one.
    pub async fn create_organization_as_operator(
        &self,
        name: &str,
        owner_email: Option<&str>,
    ) -> Result<Organization> {
        let email = owner_email.map(EmailAddress::parse).transpose()?;
        let caller = Caller::operator();
        match email {
            Some(email) => {
                self.create_organization_owned_by(&caller, name, async |c| {
                    Ok(users::user_for_email(c, &email).await?.id)
                })
                .await
            }
            None => self.create_organization_unowned(&caller, name).await,
        }
    }

    async fn create_organization_owned_by<F>(
        &self,
        caller: &Caller,
        name: &str,
        owner: F,
    ) -> Result<Organization>
    where
        F: AsyncFnOnce(&mut wagent_db::Conn) -> Result<Uuid> + Send,
        for<'r> F: wagent_db::TxFn<&'r mut wagent_db::Conn, Result<Uuid>, Fut: Send>,
    {
        let name = OrganizationName::parse(name)?;
        let org_id = Uuid::now_v7();
        let scope = Scope::org(org_id).with_user(caller.user_id());
        self.tx(scope, async |c| {
            let org = insert_org(c, org_id, &name).await?;
            let owner_id = owner(c).await?;
            diesel::insert_into(memberships::table)
                .values((
                    memberships::org_id.eq(org_id),
                    memberships::user_id.eq(owner_id),
                    memberships::role.eq(Role::Owner.as_str()),
                ))
                .execute(c)
                .await?;
            audit::record(
                c,
                org_id,
                caller,
                Entry {
                    action: "organization.created",
                    target_type: "organization",
                    target_id: org_id.to_string(),
                    details: json!({ "name": name.as_str(), "owner": owner_id }),
                },
            )
            .await?;
            Sweep::schedule(c, org_id, Utc::now() + Duration::hours(24)).await?;
            Ok(org)
        })
        .await
    }

    async fn create_organization_unowned(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<Organization> {
        let name = OrganizationName::parse(name)?;
        let org_id = Uuid::now_v7();
        self.tx(Scope::org(org_id), async |c| {
            let org = insert_org(c, org_id, &name).await?;
            audit::record(
                c,
                org_id,
                caller,
                Entry {
                    action: "organization.created",
                    target_type: "organization",
                    target_id: org_id.to_string(),
                    details: json!({ "name": name.as_str() }),
                },
            )
            .await?;
            Sweep::schedule(c, org_id, Utc::now() + Duration::hours(24)).await?;
            Ok(org)
        })
        .await
    }

    pub async fn organization(&self, access: &Access) -> Result<Organization> {
        self.read_tx(access.scope(), async |c| {
            organizations::table
                .filter(organizations::id.eq(access.org_id))
                .select(Organization::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or(CommonError::NotFound("organization").into())
        })
        .await
    }

    pub async fn rename_organization(&self, access: &Access, name: &str) -> Result<Organization> {
        access.ensure(Role::Admin)?;
        let name = OrganizationName::parse(name)?;
        self.tx(access.scope(), async |c| {
            let org =
                diesel::update(organizations::table.filter(organizations::id.eq(access.org_id)))
                    .set((
                        organizations::name.eq(name.as_str()),
                        organizations::updated_at.eq(Utc::now()),
                    ))
                    .returning(Organization::as_returning())
                    .get_result(c)
                    .await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "organization.renamed",
                    target_type: "organization",
                    target_id: access.org_id.to_string(),
                    details: json!({ "name": name.as_str() }),
                },
            )
            .await?;
            events::publish(c, access.org_id, OrganizationChange::Renamed).await?;
            Ok(org)
        })
        .await
    }

    /// Admin or Owner: the time zone that schedules are read in, an IANA name such as
    /// `America/Sao_Paulo`.
    pub async fn set_organization_time_zone(
        &self,
        access: &Access,
        zone: &str,
    ) -> Result<Organization> {
        access.ensure(Role::Admin)?;
        let zone = zone.trim();
        let unknown = || InvalidValue::Unknown {
            what: "time zone",
            value: zone.chars().take(64).collect(),
        };
        if zone.is_empty() || zone.len() > 64 {
            return Err(unknown().into());
        }
        self.tx(access.scope(), async |c| {
            if !known_time_zone(c, zone).await? {
                return Err(unknown().into());
            }
            let org =
                diesel::update(organizations::table.filter(organizations::id.eq(access.org_id)))
                    .set((
                        organizations::time_zone.eq(zone),
                        organizations::updated_at.eq(Utc::now()),
                    ))
                    .returning(Organization::as_returning())
                    .get_result(c)
                    .await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "organization.time_zone_changed",
                    target_type: "organization",
                    target_id: access.org_id.to_string(),
                    details: json!({ "time_zone": zone }),
                },
            )
            .await?;
            Ok(org)
        })
        .await
    }

    /// The organizations the caller can act in, with its role in each, oldest first.
    pub async fn memberships(&self, caller: &Caller) -> Result<Vec<Membership>> {
        match &caller.principal {
            Principal::User(user) => {
                let user_id = user.id;
                let shared = Arc::new(caller.clone());
                self.tx(Scope::user(user_id), async |c| {
                    let rows: Vec<(Organization, String)> = memberships::table
                        .inner_join(organizations::table)
                        .filter(memberships::user_id.eq(user_id))
                        .order(organizations::id.asc())
                        .select((Organization::as_select(), memberships::role))
                        .load(c)
                        .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(organization, role)| Membership {
                            access: Access {
                                caller: shared.clone(),
                                org_id: organization.id,
                                role: parse_role(&role),
                            },
                            organization,
                        })
                        .collect())
                })
                .await
            }
            Principal::ApiToken(token) => {
                let access = Access {
                    caller: Arc::new(caller.clone()),
                    org_id: token.org_id,
                    role: token.role,
                };
                let organization = self.organization(&access).await?;
                Ok(vec![Membership {
                    organization,
                    access,
                }])
            }
            Principal::Operator => Ok(Vec::new()),
        }
    }

    pub(crate) async fn organization_exists(&self, org_id: Uuid) -> Result<(), CommonError> {
        self.tx(Scope::org(org_id), async |c| {
            organizations::table
                .filter(organizations::id.eq(org_id))
                .select(organizations::id)
                .first::<Uuid>(c)
                .await
                .optional()?
                .map(|_| ())
                .ok_or(CommonError::NotFound("organization"))
        })
        .await
    }
}

async fn insert_org(
    c: &mut wagent_db::Conn,
    org_id: Uuid,
    name: &OrganizationName,
) -> Result<Organization> {
    Ok(diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(org_id),
            organizations::name.eq(name.as_str()),
        ))
        .returning(Organization::as_returning())
        .get_result(c)
        .await?)
}

/// Whether PostgreSQL knows `zone` as a time zone name (`America/Sao_Paulo`, `UTC`).
pub(crate) async fn known_time_zone(c: &mut Conn, zone: &str) -> Result<bool, wagent_db::Error> {
    #[derive(diesel::QueryableByName)]
    struct Known {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        known: bool,
    }
    let known = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS known",
    )
    .bind::<diesel::sql_types::Text, _>(zone)
    .get_result::<Known>(c)
    .await?;
    Ok(known.known)
}
