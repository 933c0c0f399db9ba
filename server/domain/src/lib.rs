//! WAgent's business rules: organizations, members, invitations, API tokens, the audit log.
//!
//! Every operation on an organization's data takes an [`Access`], which only
//! [`Domain::authorize`] makes: it names the role the operation needs, checks the caller's
//! membership (or API token) against it, and refuses writes through read-only tokens. The
//! data itself is then read and written in a tenant transaction, where row-level security
//! is the backstop.

pub mod api_tokens;
pub mod audit;
pub mod error;
pub mod events;
pub mod inbox;
pub mod invitations;
pub mod members;
pub mod models;
pub mod organizations;
pub mod retention;
pub mod secrets;
pub mod templates;
mod token_cache;
pub mod users;
pub mod values;
pub mod whatsapp;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
pub use error::{DomainError, Result};
use uuid::Uuid;
pub use wagent_auth::Role;
use wagent_auth::api_token::TokenKeys;
use wagent_db::{Conn, Db, Scope, schema::memberships};

pub use crate::models::*;
pub use wagent_db::bus::Bus;
pub use wagent_meta as meta;

/// The business layer's handle: cheap to clone, shared by every request and job.
#[derive(Clone)]
pub struct Domain {
    db: Db,
    tokens: Arc<TokenKeys>,
    token_cache: Arc<token_cache::TokenCache>,
    public_url: Arc<str>,
    whatsapp: Option<Arc<whatsapp::WhatsAppSetup>>,
}

impl Domain {
    /// `public_url` is where people reach the SPA (for invitation links).
    pub fn new(db: Db, tokens: Arc<TokenKeys>, public_url: &str) -> Self {
        Self {
            db,
            tokens,
            token_cache: Arc::default(),
            public_url: public_url.trim_end_matches('/').into(),
            whatsapp: None,
        }
    }

    /// Enables WhatsApp: Meta's Graph API (or the sandbox) and the keys for sealed tokens.
    pub fn with_whatsapp(self, setup: whatsapp::WhatsAppSetup) -> Self {
        Self {
            whatsapp: Some(Arc::new(setup)),
            ..self
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// [`Db::transaction`] with the domain's error type.
    async fn tx<R, F>(&self, scope: Scope, f: F) -> Result<R>
    where
        for<'r> F: AsyncFnOnce(&'r mut Conn) -> Result<R>
            + wagent_db::TxFn<&'r mut Conn, Result<R>, Fut: Send>
            + Send,
        R: Send,
    {
        self.db.transaction(scope, f).await
    }
}

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
        self.user()
            .ok_or_else(|| DomainError::forbidden("this needs a signed-in user, not an API token"))
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
    caller: Caller,
    org_id: Uuid,
    role: Role,
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

    fn scope(&self) -> Scope {
        Scope::org(self.org_id).with_user(self.caller.user_id())
    }

    /// Re-checks in the domain what the guard checked at the edge.
    fn ensure(&self, needed: Role) -> Result<()> {
        if self.role.at_least(needed) {
            Ok(())
        } else {
            Err(forbidden_for(needed))
        }
    }
}

fn forbidden_for(needed: Role) -> DomainError {
    match needed {
        Role::Owner => DomainError::forbidden("only an Owner of this organization can do this"),
        Role::Admin => {
            DomainError::forbidden("you need the Admin or Owner role in this organization")
        }
        Role::Member => DomainError::forbidden("you are not a member of this organization"),
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
                    return Err(DomainError::NotFound("organization"));
                }
                if intent == Intent::Write && !token.can_write {
                    return Err(DomainError::forbidden("this API token is read-only"));
                }
                token.role
            }
            Principal::User(user) => {
                let user_id = user.id;
                self.tx(Scope::org(org_id).with_user(Some(user_id)), async |c| {
                    role_of(c, org_id, user_id).await
                })
                .await?
                .ok_or(DomainError::NotFound("organization"))?
            }
        };
        if !role.at_least(needed) {
            return Err(forbidden_for(needed));
        }
        Ok(Access {
            caller: caller.clone(),
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

/// A page of a list and whether more follow.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows.
    fn from_rows(mut rows: Vec<T>, limit: i64) -> Self {
        let has_next = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        Self {
            items: rows,
            has_next,
        }
    }
}
