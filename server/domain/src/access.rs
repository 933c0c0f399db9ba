//! Who is calling and what they may do: the [`Caller`], and [`Domain::authorize`], the guard
//! that turns a caller into an [`Access`] for one organization and one minimum role.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_auth::Role;
use wagent_db::{Conn, Scope, schema::memberships};

use crate::{CommonError, Domain, Result, User};

/// Who is calling, and from where (for the audit log).
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Principal {
    User(User),
    ApiToken(TokenPrincipal),
    /// Whoever runs the `wagent` admin verbs on the server (already able to reach the
    /// database): acts as an Owner of any organization. Never made from a request.
    Operator,
}

/// An API token in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPrincipal {
    pub id: Uuid,
    pub org_id: Uuid,
    pub role: Role,
    pub can_write: bool,
    pub expires_at: DateTime<Utc>,
}

impl Caller {
    pub fn operator() -> Self {
        Self {
            principal: Principal::Operator,
            ip: None,
            user_agent: Some("wagent-cli".into()),
        }
    }

    /// WAgent itself in a background job, as the audit log shows it (`job` names the job).
    pub fn system(job: &str) -> Self {
        Self {
            principal: Principal::Operator,
            ip: None,
            user_agent: Some(format!("wagent {job}")),
        }
    }

    pub fn user(&self) -> Option<&User> {
        match &self.principal {
            Principal::User(u) => Some(u),
            _ => None,
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        self.user().map(|u| u.id)
    }

    pub fn token_id(&self) -> Option<Uuid> {
        match &self.principal {
            Principal::ApiToken(t) => Some(t.id),
            _ => None,
        }
    }

    /// Operations that only a person can do (create an organization, accept an invitation).
    pub fn require_user(&self) -> Result<&User> {
        self.user().ok_or(CommonError::PeopleOnly)
    }
}

/// Whether an operation changes anything (read-only API tokens may only read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Read,
    Write,
}

/// Proof that the caller may act in `org_id` with at least the role it was checked for.
#[derive(Debug, Clone)]
pub struct Access {
    /// Shared: every row of a page holds its access.
    pub(crate) caller: Arc<Caller>,
    pub(crate) org_id: Uuid,
    pub(crate) role: Role,
}

impl Access {
    pub fn org_id(&self) -> Uuid {
        self.org_id
    }

    /// The caller's own role in the organization.
    pub fn role(&self) -> Role {
        self.role
    }

    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The server acting on its own in `org_id` (a job), with an Owner's role.
    pub(crate) fn operator(org_id: Uuid) -> Self {
        Self {
            caller: Arc::new(Caller::operator()),
            org_id,
            role: Role::Owner,
        }
    }

    pub(crate) fn scope(&self) -> Scope {
        Scope::org(self.org_id).with_user(self.caller.user_id())
    }

    /// Re-checks in the domain what the guard checked at the edge.
    pub(crate) fn ensure(&self, needed: Role) -> Result<()> {
        if self.role.at_least(needed) {
            Ok(())
        } else {
            Err(CommonError::RoleNeeded(needed))
        }
    }
}

impl Domain {
    /// The guard: the caller's role in `org_id` must be at least `needed`. Non-members get
    /// `NOT_FOUND`, so that an organization's existence is not disclosed.
    pub async fn authorize(
        &self,
        caller: &Caller,
        org_id: Uuid,
        needed: Role,
        intent: Intent,
    ) -> Result<Access> {
        let role = match &caller.principal {
            Principal::Operator => self
                .organization_exists(org_id)
                .await
                .map(|()| Role::Owner)?,
            Principal::ApiToken(token) => {
                if token.org_id != org_id {
                    return Err(CommonError::NotFound("organization"));
                }
                if intent == Intent::Write && !token.can_write {
                    return Err(CommonError::ReadOnlyToken);
                }
                token.role
            }
            Principal::User(user) => {
                let user_id = user.id;
                self.read_tx(Scope::org(org_id).with_user(Some(user_id)), async |c| {
                    role_of(c, org_id, user_id).await
                })
                .await?
                .ok_or(CommonError::NotFound("organization"))?
            }
        };
        if !role.at_least(needed) {
            return Err(CommonError::RoleNeeded(needed));
        }
        Ok(Access {
            caller: Arc::new(caller.clone()),
            org_id,
            role,
        })
    }
}

async fn role_of(c: &mut Conn, org_id: Uuid, user_id: Uuid) -> Result<Option<Role>> {
    let role: Option<String> = memberships::table
        .filter(memberships::org_id.eq(org_id))
        .filter(memberships::user_id.eq(user_id))
        .select(memberships::role)
        .first(c)
        .await
        .optional()?;
    Ok(role.map(|r| parse_role(&r)))
}

/// Roles in the database are checked by a constraint; anything else reads as the weakest.
pub(crate) fn parse_role(s: &str) -> Role {
    s.parse().unwrap_or(Role::Member)
}
