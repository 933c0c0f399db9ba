//! Verifies the identity provider's JWT access tokens against its published keys.
//!
//! The keys come from the issuer's discovery document (`jwks_uri`), are cached, and are
//! fetched again when a token names a key id we do not know (the issuer rotated its keys),
//! at most once per [`REFRESH_COOLDOWN`] so that forged key ids cannot hammer the issuer.
//! Only asymmetric algorithms are accepted: `alg: none` and HMAC (which would let a public
//! key act as a shared secret) are refused before any key is looked up.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey, Validation, decode, decode_header,
    jwk::{AlgorithmParameters, JwkSet},
};
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};

const REFRESH_COOLDOWN: Duration = Duration::from_secs(10);
const MAX_TOKEN_LEN: usize = 16 * 1024;
const ACCEPTED: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the access token is malformed")]
    Malformed,
    #[error("the access token's algorithm is not accepted")]
    Algorithm,
    #[error("the access token was signed by an unknown key")]
    UnknownKey,
    #[error("the access token is invalid: {0}")]
    Invalid(String),
    #[error("the identity provider cannot be reached: {0}")]
    Issuer(String),
}

impl OidcError {
    /// True when the caller's token is at fault (as opposed to the issuer being down).
    pub fn is_client_error(&self) -> bool {
        !matches!(self, OidcError::Issuer(_))
    }
}

/// The claims WAgent reads from an access token (Keycloak's shape).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub exp: i64,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: Option<bool>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub preferred_username: Option<String>,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

struct Keys {
    by_kid: HashMap<String, (DecodingKey, Option<Algorithm>)>,
    fetched_at: Option<Instant>,
}

pub struct OidcVerifier {
    issuer: String,
    audience: String,
    http: reqwest::Client,
    jwks_uri: RwLock<Option<String>>,
    keys: RwLock<Keys>,
    refresh: Mutex<()>,
    refresh_cooldown: Duration,
}

impl OidcVerifier {
    pub fn new(issuer: &str, audience: &str) -> Result<Arc<Self>, OidcError> {
        Self::with_refresh_cooldown(issuer, audience, REFRESH_COOLDOWN)
    }

    /// [`Self::new`] with another pause between key refetches (tests shorten it).
    pub fn with_refresh_cooldown(
        issuer: &str,
        audience: &str,
        refresh_cooldown: Duration,
    ) -> Result<Arc<Self>, OidcError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| OidcError::Issuer(e.to_string()))?;
        Ok(Arc::new(Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            audience: audience.to_owned(),
            http,
            jwks_uri: RwLock::new(None),
            keys: RwLock::new(Keys {
                by_kid: HashMap::new(),
                fetched_at: None,
            }),
            refresh: Mutex::new(()),
            refresh_cooldown,
        }))
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Fetches discovery and keys now, so that start-up reports an unreachable issuer.
    pub async fn warm_up(&self) -> Result<(), OidcError> {
        self.refresh_keys(true).await
    }

    pub async fn verify(&self, token: &str) -> Result<Claims, OidcError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(OidcError::Malformed);
        }
        let header = decode_header(token).map_err(|_| OidcError::Malformed)?;
        if !ACCEPTED.contains(&header.alg) {
            return Err(OidcError::Algorithm);
        }
        let kid = header.kid.ok_or(OidcError::UnknownKey)?;
        let (key, key_alg) = match self.key(&kid).await {
            Some(found) => found,
            None => {
                self.refresh_keys(false).await?;
                self.key(&kid).await.ok_or(OidcError::UnknownKey)?
            }
        };
        if key_alg.is_some_and(|a| a != header.alg) {
            return Err(OidcError::Algorithm);
        }
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        decode::<Claims>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|e| OidcError::Invalid(e.to_string()))
    }

    async fn key(&self, kid: &str) -> Option<(DecodingKey, Option<Algorithm>)> {
        self.keys.read().await.by_kid.get(kid).cloned()
    }

    async fn refresh_keys(&self, force: bool) -> Result<(), OidcError> {
        let _guard = self.refresh.lock().await;
        let recent = self
            .keys
            .read()
            .await
            .fetched_at
            .is_some_and(|at| at.elapsed() < self.refresh_cooldown);
        if recent && !force {
            return Ok(());
        }
        // Bound first: a read guard alive in the match would deadlock the write below.
        let known = self.jwks_uri.read().await.clone();
        let jwks_uri = match known {
            Some(uri) => uri,
            None => {
                let url = format!("{}/.well-known/openid-configuration", self.issuer);
                let discovery: Discovery = self.get_json(&url).await?;
                if discovery.issuer.trim_end_matches('/') != self.issuer {
                    return Err(OidcError::Issuer(format!(
                        "the discovery document names issuer `{}`, not `{}`",
                        discovery.issuer, self.issuer
                    )));
                }
                *self.jwks_uri.write().await = Some(discovery.jwks_uri.clone());
                discovery.jwks_uri
            }
        };
        let set: JwkSet = self.get_json(&jwks_uri).await?;
        let mut by_kid = HashMap::new();
        for jwk in set.keys {
            // A symmetric key in a JWKS would let anyone who reads it sign tokens.
            if matches!(jwk.algorithm, AlgorithmParameters::OctetKey(_)) {
                continue;
            }
            let (Some(kid), Ok(key)) = (jwk.common.key_id.clone(), DecodingKey::from_jwk(&jwk))
            else {
                continue;
            };
            let alg = jwk
                .common
                .key_algorithm
                .and_then(|a| a.to_string().parse::<Algorithm>().ok());
            by_kid.insert(kid, (key, alg));
        }
        *self.keys.write().await = Keys {
            by_kid,
            fetched_at: Some(Instant::now()),
        };
        Ok(())
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| OidcError::Issuer(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(OidcError::Issuer(format!(
                "{url} answered {}",
                response.status()
            )));
        }
        response
            .json()
            .await
            .map_err(|e| OidcError::Issuer(format!("{url}: {}", e.without_url())))
    }
}
