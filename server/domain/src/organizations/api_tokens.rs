//! Integrator API tokens: issued, listed and revoked by Admins and Owners.

use chrono::{Duration, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;
use wagent_auth::api_token::TokenError;
use wagent_db::{
    LiteralLimitDsl, Scope,
    schema::{api_tokens, org_routes},
};

use super::{OrganizationError, Result};
use crate::{
    Access, ApiToken, Bus, Caller, CommonError, Domain, Page, Principal, Role, TokenPrincipal,
    organizations::audit::{self, Entry},
    organizations::events::{self, OrganizationChange},
    organizations::token_cache::TOKEN_CACHE_TTL,
    values::{TokenName, page_size},
};

pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_DAYS: i64 = 365;
const ROUTE_KIND: &str = "api_token";

/// A new token and its secret (shown once).
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub api_token: ApiToken,
    pub token: String,
}

impl Domain {
    /// Admin or Owner; a token with the Owner role needs an Owner. People (and the operator)
    /// mint tokens, API tokens never: however narrowed, one could otherwise mint a broader one.
    pub async fn create_api_token(
        &self,
        access: &Access,
        name: &str,
        role: Role,
        days: Option<i64>,
    ) -> Result<IssuedToken> {
        access.ensure(Role::Admin)?;
        if access.caller().token_id().is_some() {
            return Err(OrganizationError::TokensCannotCreateTokens);
        }
        if role == Role::Owner && access.role != Role::Owner {
            return Err(OrganizationError::OnlyOwnerCreatesOwnerTokens);
        }
        let name = TokenName::parse(name)?;
        let days = days.unwrap_or(DEFAULT_DAYS);
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(OrganizationError::TokenLifetime);
        }
        let id = Uuid::now_v7();
        let expires_at = Utc::now() + Duration::days(days);
        let token = self
            .tokens
            .issue(id, access.org_id, role, expires_at)
            .map_err(CommonError::internal)?;
        let api_token = self.tx(access.scope(), async |c| -> Result<_, CommonError> {
                let row = diesel::insert_into(api_tokens::table)
                    .values((
                        api_tokens::org_id.eq(access.org_id),
                        api_tokens::id.eq(id),
                        api_tokens::name.eq(name.as_str()),
                        api_tokens::role.eq(role.as_str()),
                        api_tokens::created_by.eq(access.caller().user_id()),
                        api_tokens::expires_at.eq(expires_at),
                    ))
                    .returning(ApiToken::as_returning())
                    .get_result(c)
                    .await?;
                diesel::insert_into(org_routes::table)
                    .values((
                        org_routes::kind.eq(ROUTE_KIND),
                        org_routes::key.eq(id.to_string()),
                        org_routes::org_id.eq(access.org_id),
                    ))
                    .execute(c)
                    .await?;
                audit::record(c, access.org_id, access.caller(), Entry {
                    action: "api_token.created",
                    target_type: "api_token",
                    target_id: id.to_string(),
                    details: json!({ "name": name.as_str(), "role": role, "expires_at": expires_at }),
                })
                .await?;
                events::publish(c, access.org_id, OrganizationChange::ApiTokens).await?;
                Ok(row)
            })
            .await?;
        Ok(IssuedToken { api_token, token })
    }

    /// Newest first. Admin or Owner.
    pub async fn api_tokens(
        &self,
        access: &Access,
        first: Option<i32>,
        after: Option<Uuid>,
    ) -> Result<Page<ApiToken>> {
        access.ensure(Role::Admin)?;
        let limit = page_size(first)?;
        self.read_tx(access.scope(), async |c| {
            let mut q = api_tokens::table
                .select(ApiToken::as_select())
                .order(api_tokens::id.desc())
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(api_tokens::id.lt(after));
            }
            Ok(Page::from_rows(
                q.literal_limit(limit + 1).load(c).await?,
                limit,
            ))
        })
        .await
    }

    /// Admin or Owner. The token stops working at once here and, through the bus, in the
    /// other server processes (within `TOKEN_CACHE_TTL` at worst).
    pub async fn revoke_api_token(&self, access: &Access, id: Uuid) -> Result<ApiToken> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let row = diesel::update(
                api_tokens::table
                    .filter(api_tokens::id.eq(id))
                    .filter(api_tokens::revoked_at.is_null()),
            )
            .set((
                api_tokens::revoked_at.eq(Utc::now()),
                api_tokens::revoked_by.eq(access.caller().user_id()),
            ))
            .returning(ApiToken::as_returning())
            .get_result(c)
            .await
            .optional()?;
            let Some(row) = row else {
                let exists: i64 = api_tokens::table
                    .filter(api_tokens::id.eq(id))
                    .count()
                    .get_result(c)
                    .await?;
                return Err(if exists > 0 {
                    OrganizationError::TokenAlreadyRevoked
                } else {
                    CommonError::NotFound("API token").into()
                });
            };
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "api_token.revoked",
                    target_type: "api_token",
                    target_id: id.to_string(),
                    details: json!({ "name": row.name }),
                },
            )
            .await?;
            events::publish(c, access.org_id, OrganizationChange::ApiTokens).await?;
            Ok(row)
        })
        .await
        .inspect(|_| self.token_cache.forget(id))
    }

    /// Keeps the token cache in step with revocations made by other processes: an
    /// organization's cached tokens are forgotten when its `organization.api_tokens` event
    /// arrives (everything is, if events were missed).
    pub fn forget_tokens_on_change(&self, bus: &Bus) {
        let mut events = bus.subscribe_internal();
        let cache = self.token_cache.clone();
        tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(e) if e.topic == OrganizationChange::ApiTokens.topic() => {
                        cache.forget_org(e.org_id);
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => cache.clear(),
                    Err(RecvError::Closed) => break,
                }
            }
        });
    }

    /// Whether an API token has been revoked (a token that no longer exists counts as revoked).
    pub async fn api_token_revoked(&self, org_id: Uuid, id: Uuid) -> Result<bool, CommonError> {
        self.read_tx(Scope::org(org_id), async |c| {
            let revoked: Option<Option<chrono::DateTime<Utc>>> = api_tokens::table
                .filter(api_tokens::id.eq(id))
                .select(api_tokens::revoked_at)
                .first(c)
                .await
                .optional()?;
            Ok(revoked.is_none_or(|at| at.is_some()))
        })
        .await
    }

    /// The organization an API token id belongs to (for `wagent token revoke`).
    pub async fn api_token_org(&self, id: Uuid) -> Result<Uuid, CommonError> {
        self.tx(Scope::system(), async |c| {
            org_routes::table
                .filter(org_routes::kind.eq(ROUTE_KIND))
                .filter(org_routes::key.eq(id.to_string()))
                .select(org_routes::org_id)
                .first::<Uuid>(c)
                .await
                .optional()?
                .ok_or(CommonError::NotFound("API token"))
        })
        .await
    }

    /// Turns a presented API token into a caller: signature, expiry and attenuations by the
    /// token itself, revocation by its row.
    pub async fn authenticate_api_token(
        &self,
        raw: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<Caller, CommonError> {
        if let Some(principal) = self.token_cache.get(raw, Utc::now()) {
            return Ok(Caller {
                principal: Principal::ApiToken(principal),
                ip,
                user_agent,
            });
        }
        let verified = self.tokens.verify(raw, Utc::now()).map_err(|e| match e {
            TokenError::Refused => CommonError::TokenExpired,
            _ => CommonError::Unauthenticated,
        })?;
        let now = Utc::now();
        let row = self
            .tx(Scope::org(verified.org_id), async |c| {
                let row: Option<ApiToken> = api_tokens::table
                    .filter(api_tokens::id.eq(verified.token_id))
                    .select(ApiToken::as_select())
                    .first(c)
                    .await
                    .optional()?;
                if let Some(row) = &row {
                    let stale = row
                        .last_used_at
                        .is_none_or(|t| now - t > Duration::minutes(1));
                    if stale && row.revoked_at.is_none() {
                        diesel::update(api_tokens::table.filter(api_tokens::id.eq(row.id)))
                            .set(api_tokens::last_used_at.eq(now))
                            .execute(c)
                            .await?;
                    }
                }
                Ok::<_, CommonError>(row)
            })
            .await?;
        let row = row.ok_or(CommonError::Unauthenticated)?;
        if row.revoked_at.is_some() {
            return Err(CommonError::TokenRevoked);
        }
        if row.expires_at <= now {
            return Err(CommonError::TokenExpired);
        }
        let principal = TokenPrincipal {
            id: row.id,
            org_id: row.org_id,
            role: verified.role.min(row.role.0),
            can_write: verified.can_write,
            expires_at: row.expires_at,
        };
        let still_valid = self
            .tokens
            .verify(
                raw,
                now + Duration::from_std(TOKEN_CACHE_TTL).unwrap_or_default(),
            )
            .is_ok_and(|later| later.can_write == verified.can_write);
        if still_valid {
            self.token_cache.put(raw, principal.clone());
        }
        Ok(Caller {
            principal: Principal::ApiToken(principal),
            ip,
            user_agent,
        })
    }
}

/// Revokes the live tokens `user_id` created in the organization with a role above `keep`
/// (all of them when `keep` is `None`: they stopped being a member). A token never outlives
/// its creator's membership, nor holds more than its creator's role. Returns how many.
pub(crate) async fn revoke_created_by(
    c: &mut wagent_db::Conn,
    access: &Access,
    user_id: Uuid,
    keep: Option<Role>,
) -> Result<usize, CommonError> {
    let kept: Vec<&str> = [Role::Member, Role::Admin, Role::Owner]
        .into_iter()
        .filter(|r| keep.is_some_and(|k| *r <= k))
        .map(Role::as_str)
        .collect();
    let reason = match keep {
        None => "creator left the organization".to_owned(),
        Some(role) => format!("creator's role became {}", role.as_str()),
    };
    let revoked: Vec<(Uuid, String)> = diesel::update(
        api_tokens::table
            .filter(api_tokens::org_id.eq(access.org_id))
            .filter(api_tokens::created_by.eq(user_id))
            .filter(api_tokens::revoked_at.is_null())
            .filter(api_tokens::role.ne_all(kept)),
    )
    .set((
        api_tokens::revoked_at.eq(Utc::now()),
        api_tokens::revoked_by.eq(access.caller().user_id()),
    ))
    .returning((api_tokens::id, api_tokens::name))
    .get_results(c)
    .await?;
    for (id, name) in &revoked {
        audit::record(
            c,
            access.org_id,
            access.caller(),
            Entry {
                action: "api_token.revoked",
                target_type: "api_token",
                target_id: id.to_string(),
                details: json!({ "name": name, "reason": reason }),
            },
        )
        .await?;
    }
    if !revoked.is_empty() {
        events::publish(c, access.org_id, OrganizationChange::ApiTokens).await?;
    }
    Ok(revoked.len())
}
