//! A few seconds' memory of verified API tokens, so that a busy integrator does not pay a
//! signature check and a database read on every request.
//!
//! An entry is kept only when the token's own checks pass both now and at the end of its
//! stay (so an attenuated expiry is never honoured late), and the row's expiry is checked on
//! every use. A revocation here forgets the token at once; one made by another process (a
//! server, `wagent token revoke`) clears the organization's entries when its bus event
//! arrives, and in any case within [`TOKEN_CACHE_TTL`].

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::TokenPrincipal;

/// How long a verified token is trusted without looking at its row again.
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(3);

/// Beyond this many live tokens the cache starts over rather than grow.
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub(crate) struct TokenCache(Mutex<HashMap<String, (Instant, TokenPrincipal)>>);

impl TokenCache {
    /// The principal of a token verified less than [`TOKEN_CACHE_TTL`] ago and not expired.
    pub(crate) fn get(&self, raw: &str, now: DateTime<Utc>) -> Option<TokenPrincipal> {
        let map = self.0.lock().ok()?;
        let (at, principal) = map.get(raw)?;
        (at.elapsed() < TOKEN_CACHE_TTL && principal.expires_at > now).then(|| principal.clone())
    }

    pub(crate) fn put(&self, raw: &str, principal: TokenPrincipal) {
        let Ok(mut map) = self.0.lock() else { return };
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, (at, _)| at.elapsed() < TOKEN_CACHE_TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(raw.to_owned(), (Instant::now(), principal));
    }

    /// Forgets every token of an organization whose tokens changed.
    pub(crate) fn forget_org(&self, org_id: Uuid) {
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, (_, principal)| principal.org_id != org_id);
        }
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut map) = self.0.lock() {
            map.clear();
        }
    }

    /// Forgets a revoked token.
    pub(crate) fn forget(&self, token_id: Uuid) {
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, (_, principal)| principal.id != token_id);
        }
    }
}
