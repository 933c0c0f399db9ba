//! Integrator API tokens: biscuits signed by the server's key.
//!
//! The authority block states the token's id, organization and role and checks its
//! expiry. A holder may append blocks that only narrow it, for instance
//! `check if operation("read")` (read-only) or `check if time($t), $t < 2027-01-01T00:00:00Z`;
//! the server evaluates every block for each request. Revocation is a database row keyed
//! by the token id, checked by the caller of [`TokenKeys::verify`].

use std::fmt;

use biscuit_auth::{
    AuthorizerLimits, Biscuit, KeyPair, PrivateKey, builder::AuthorizerBuilder,
    builder::BlockBuilder,
};
use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use crate::Role;

/// The largest token we parse: a token grows by one block per attenuation.
const MAX_TOKEN_LEN: usize = 16 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the API token is malformed or not signed by this server")]
    Invalid,
    #[error("the API token has expired or its conditions are not met")]
    Refused,
    #[error("the server's token key is invalid: {0}")]
    Key(String),
}

/// What a request does with a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Read,
    Write,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Read => "read",
            Operation::Write => "write",
        }
    }
}

/// A verified token's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    pub token_id: Uuid,
    pub org_id: Uuid,
    pub role: Role,
    /// False when an attenuation forbids writes.
    pub can_write: bool,
}

/// The server's root key pair.
pub struct TokenKeys {
    root: KeyPair,
}

impl fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKeys(<secret>)")
    }
}

impl TokenKeys {
    /// From the hex of an Ed25519 private key (`WAGENT_TOKEN_KEY`).
    pub fn from_hex(hex: &str) -> Result<Self, TokenError> {
        let private = PrivateKey::from_bytes_hex(hex.trim(), biscuit_auth::Algorithm::Ed25519)
            .map_err(|_| TokenError::Key("expected 64 hex digits of an Ed25519 key".into()))?;
        Ok(Self {
            root: KeyPair::from(&private),
        })
    }

    pub fn generate() -> Self {
        Self {
            root: KeyPair::new(),
        }
    }

    /// The private key's hex, for `wagent keys generate`.
    pub fn to_hex(&self) -> String {
        self.root.private().to_bytes_hex()
    }

    pub fn issue(
        &self,
        token_id: Uuid,
        org_id: Uuid,
        role: Role,
        expires_at: DateTime<Utc>,
    ) -> Result<String, TokenError> {
        let code = format!(
            "token_id(\"{token_id}\"); org(\"{org_id}\"); role(\"{role}\");
             check if time($t), $t < {};",
            rfc3339(expires_at)
        );
        Biscuit::builder()
            .code(code)
            .and_then(|b| b.build(&self.root))
            .and_then(|t| t.to_base64())
            .map_err(|e| TokenError::Key(e.to_string()))
    }

    /// Checks the signature and every block's checks at `now`, first for writing and, when
    /// an attenuation forbids that, for reading.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<VerifiedToken, TokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::Invalid);
        }
        let biscuit =
            Biscuit::from_base64(token, self.root.public()).map_err(|_| TokenError::Invalid)?;
        let facts = authorize(&biscuit, Operation::Write, now)
            .or_else(|_| authorize(&biscuit, Operation::Read, now))?;
        let (token_id, org_id, role, can_write) = facts;
        Ok(VerifiedToken {
            token_id,
            org_id,
            role,
            can_write,
        })
    }
}

type Facts = (Uuid, Uuid, Role, bool);

fn authorize(
    biscuit: &Biscuit,
    operation: Operation,
    now: DateTime<Utc>,
) -> Result<Facts, TokenError> {
    let limits = AuthorizerLimits {
        max_facts: 1000,
        max_iterations: 100,
        max_time: std::time::Duration::from_millis(5),
    };
    let mut authorizer = AuthorizerBuilder::new()
        .code(format!(
            "time({}); operation(\"{}\");
             allow if token_id($id), org($o), role($r);",
            rfc3339(now),
            operation.as_str()
        ))
        .map(|b| b.set_limits(limits))
        .and_then(|b| b.build(biscuit))
        .map_err(|_| TokenError::Invalid)?;
    authorizer.authorize().map_err(|_| TokenError::Refused)?;
    // Queries read the authority block only: an attenuation cannot add a role or an org.
    let rows: Vec<(String, String, String)> = authorizer
        .query("data($id, $o, $r) <- token_id($id), org($o), role($r)")
        .map_err(|_| TokenError::Invalid)?;
    let [(id, org, role)] = <[_; 1]>::try_from(rows).map_err(|_| TokenError::Invalid)?;
    let parse = |s: &str| Uuid::parse_str(s).map_err(|_| TokenError::Invalid);
    Ok((
        parse(&id)?,
        parse(&org)?,
        role.parse().map_err(|_| TokenError::Invalid)?,
        operation == Operation::Write,
    ))
}

/// What every copy of an API token has in common, attenuated or not: its first block's
/// revocation id, read without checking the signature (the token is verified at its use).
/// `None` when `token` is no API token. Rates are kept per token by this, so that narrowed
/// copies of one token share its limit.
pub fn lineage(token: &str) -> Option<Vec<u8>> {
    let biscuit = biscuit_auth::UnverifiedBiscuit::from_base64(token).ok()?;
    biscuit.revocation_identifiers().into_iter().next()
}

/// What a holder may add to narrow a token.
#[derive(Debug, Clone, Default)]
pub struct Attenuation {
    pub read_only: bool,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Appends a block that narrows `token`. Needs no key: anyone holding a token can do it.
pub fn attenuate(token: &str, with: &Attenuation) -> Result<String, TokenError> {
    let biscuit =
        biscuit_auth::UnverifiedBiscuit::from_base64(token).map_err(|_| TokenError::Invalid)?;
    let mut code = String::new();
    if with.read_only {
        code.push_str("check if operation(\"read\");\n");
    }
    if let Some(at) = with.expires_at {
        code.push_str(&format!("check if time($t), $t < {};\n", rfc3339(at)));
    }
    BlockBuilder::new()
        .code(code)
        .and_then(|block| biscuit.append(block))
        .and_then(|t| t.to_base64())
        .map_err(|_| TokenError::Invalid)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn narrowed_copies_of_a_token_share_its_lineage_and_other_tokens_do_not() {
        let keys = TokenKeys::generate();
        let org = Uuid::new_v4();
        let until = Utc::now() + Duration::days(1);
        let token = keys.issue(Uuid::new_v4(), org, Role::Admin, until).unwrap();
        let narrowed = attenuate(
            &token,
            &Attenuation {
                read_only: true,
                expires_at: None,
            },
        )
        .unwrap();
        let other = keys.issue(Uuid::new_v4(), org, Role::Admin, until).unwrap();
        assert_ne!(narrowed, token);
        assert_eq!(lineage(&narrowed), lineage(&token));
        assert!(lineage(&token).is_some());
        assert_ne!(lineage(&other), lineage(&token));
        assert_eq!(lineage("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), None);
    }

    fn keys() -> TokenKeys {
        TokenKeys::generate()
    }

    #[test]
    fn an_issued_token_verifies_with_its_facts() {
        let k = keys();
        let (id, org) = (Uuid::now_v7(), Uuid::now_v7());
        let t = k
            .issue(id, org, Role::Admin, Utc::now() + Duration::days(1))
            .unwrap();
        let v = k.verify(&t, Utc::now()).unwrap();
        assert_eq!(
            v,
            VerifiedToken {
                token_id: id,
                org_id: org,
                role: Role::Admin,
                can_write: true
            }
        );
    }

    #[test]
    fn an_expired_token_is_refused() {
        let k = keys();
        let t = k
            .issue(
                Uuid::now_v7(),
                Uuid::now_v7(),
                Role::Owner,
                Utc::now() - Duration::seconds(1),
            )
            .unwrap();
        assert_eq!(k.verify(&t, Utc::now()), Err(TokenError::Refused));
    }

    #[test]
    fn another_servers_token_is_invalid() {
        let t = keys()
            .issue(
                Uuid::now_v7(),
                Uuid::now_v7(),
                Role::Owner,
                Utc::now() + Duration::days(1),
            )
            .unwrap();
        assert_eq!(keys().verify(&t, Utc::now()), Err(TokenError::Invalid));
        assert_eq!(
            keys().verify("garbage", Utc::now()),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn a_read_only_attenuation_keeps_reads_and_drops_writes() {
        let k = keys();
        let t = k
            .issue(
                Uuid::now_v7(),
                Uuid::now_v7(),
                Role::Admin,
                Utc::now() + Duration::days(1),
            )
            .unwrap();
        let ro = attenuate(
            &t,
            &Attenuation {
                read_only: true,
                expires_at: None,
            },
        )
        .unwrap();
        let v = k.verify(&ro, Utc::now()).unwrap();
        assert!(!v.can_write, "read-only must not write");
        assert!(k.verify(&t, Utc::now()).unwrap().can_write);
    }

    #[test]
    fn a_shorter_expiry_attenuation_is_honoured() {
        let k = keys();
        let t = k
            .issue(
                Uuid::now_v7(),
                Uuid::now_v7(),
                Role::Admin,
                Utc::now() + Duration::days(30),
            )
            .unwrap();
        let short = attenuate(
            &t,
            &Attenuation {
                read_only: false,
                expires_at: Some(Utc::now() + Duration::hours(1)),
            },
        )
        .unwrap();
        assert!(k.verify(&short, Utc::now()).is_ok());
        assert_eq!(
            k.verify(&short, Utc::now() + Duration::hours(2)),
            Err(TokenError::Refused)
        );
    }

    #[test]
    fn an_attenuation_cannot_raise_the_role() {
        let k = keys();
        let org = Uuid::now_v7();
        let t = k
            .issue(
                Uuid::now_v7(),
                org,
                Role::Member,
                Utc::now() + Duration::days(1),
            )
            .unwrap();
        let biscuit = biscuit_auth::UnverifiedBiscuit::from_base64(&t).unwrap();
        let forged = biscuit
            .append(BlockBuilder::new().code("role(\"owner\");").unwrap())
            .unwrap()
            .to_base64()
            .unwrap();
        assert_eq!(k.verify(&forged, Utc::now()).unwrap().role, Role::Member);
    }

    #[test]
    fn the_key_round_trips_through_hex() {
        let k = keys();
        let again = TokenKeys::from_hex(&k.to_hex()).unwrap();
        let t = k
            .issue(
                Uuid::now_v7(),
                Uuid::now_v7(),
                Role::Admin,
                Utc::now() + Duration::days(1),
            )
            .unwrap();
        assert!(again.verify(&t, Utc::now()).is_ok());
        assert!(TokenKeys::from_hex("xyz").is_err());
    }
}
