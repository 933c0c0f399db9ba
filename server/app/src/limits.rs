//! Request rates: per client IP and per presented credential, on `/graphql`, uploads and
//! websocket connects. Over the limit the answer is HTTP 429 with `Retry-After` and a
//! GraphQL error coded `RATE_LIMITED`.

use std::{
    hash::{DefaultHasher, Hash, Hasher},
    num::NonZeroU32,
    sync::Arc,
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};

use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};
use poem::{
    Endpoint, IntoResponse, Request, Response,
    http::{StatusCode, header},
    web::Json,
};
use serde_json::json;

use crate::http::{AppState, bearer, origin};

/// How often the limiters forget idle clients (every this many requests).
const SWEEP_EVERY: u32 = 4096;

/// Keyed limiters; `None` when a limit is off (0 in the settings).
pub struct RateLimits {
    per_ip: Option<DefaultKeyedRateLimiter<String>>,
    per_token: Option<DefaultKeyedRateLimiter<u64>>,
    seen: AtomicU32,
}

impl RateLimits {
    /// Requests per minute per IP and per token; bursts up to the same number.
    pub fn new(per_ip_per_minute: u32, per_token_per_minute: u32) -> Self {
        Self {
            per_ip: NonZeroU32::new(per_ip_per_minute)
                .map(|n| governor::RateLimiter::keyed(Quota::per_minute(n))),
            per_token: NonZeroU32::new(per_token_per_minute)
                .map(|n| governor::RateLimiter::keyed(Quota::per_minute(n))),
            seen: AtomicU32::new(0),
        }
    }

    /// `Err(wait)` when `ip` or `token` is over its limit.
    fn check(&self, ip: Option<&str>, token: Option<&str>) -> Result<(), Duration> {
        if self.seen.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            for limiter in self.per_ip.iter() {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
            for limiter in self.per_token.iter() {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
        if let (Some(limiter), Some(ip)) = (&self.per_ip, ip) {
            limiter
                .check_key(&ip.to_owned())
                .map_err(|n| n.wait_time_from(limiter.clock().now()))?;
        }
        // Keyed by a hash of the credential (the limiter holds no secret); an API token by
        // its lineage, so that the narrowed copies a holder can mint share its limit.
        if let (Some(limiter), Some(token)) = (&self.per_token, token) {
            let mut hasher = DefaultHasher::new();
            match wagent_auth::api_token::lineage(token) {
                Some(lineage) => lineage.hash(&mut hasher),
                None => token.hash(&mut hasher),
            }
            limiter
                .check_key(&hasher.finish())
                .map_err(|n| n.wait_time_from(limiter.clock().now()))?;
        }
        Ok(())
    }
}

/// `Endpoint::around` middleware: refuses a request over its IP's or token's rate.
pub async fn rate_limited<E: Endpoint>(next: Arc<E>, req: Request) -> poem::Result<Response> {
    let verdict = match req.data::<AppState>() {
        Some(state) => {
            let (ip, _) = origin(&req, state.trusted_proxy_hops);
            let token = bearer(req.headers()).ok().flatten();
            state.rates.check(ip.as_deref(), token.as_deref())
        }
        None => Ok(()),
    };
    if let Err(wait) = verdict {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let seconds = seconds.max(1);
        let body = json!({
            "data": null,
            "errors": [{
                "message": format!("too many requests; try again in {seconds} s"),
                "extensions": { "code": "RATE_LIMITED", "retryAfter": seconds },
            }],
        });
        return Ok(Json(body)
            .with_status(StatusCode::TOO_MANY_REQUESTS)
            .with_header(header::RETRY_AFTER, seconds.to_string())
            .into_response());
    }
    next.call(req).await.map(IntoResponse::into_response)
}
