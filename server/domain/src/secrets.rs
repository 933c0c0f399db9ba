//! Secrets at rest (WhatsApp access tokens, raw webhook bodies): XChaCha20-Poly1305 with 256-bit keys.
//!
//! A sealed value reads `v1.<key id>.<nonce>.<ciphertext>` (base64url). Its associated data
//! names the organization and the purpose, including the row it belongs to, so a
//! ciphertext copied into another row or organization fails to open. Several keys may be
//! configured: the first seals, any opens, and `wagent keys rotate` reseals old ones.

use std::fmt;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};
use uuid::Uuid;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the sealed secret is malformed")]
    Malformed,
    #[error("the sealed secret uses key `{0}`, which is not configured")]
    UnknownKey(String),
    #[error("the sealed secret does not open with its key (tampered, or moved from another row)")]
    Tampered,
    #[error("no encryption key is configured")]
    NoKeys,
}

struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// The configured keys, newest first.
pub struct Keyring {
    keys: Vec<Key>,
    /// Signs short-lived links (media URLs); derived from the newest key.
    link_key: [u8; 32],
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        write!(f, "Keyring({ids:?})")
    }
}

/// A secret opened for use; its Debug never shows it.
pub struct Opened(String);

impl Opened {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<secret>")
    }
}

impl Keyring {
    /// `keys` are (id, 32 bytes), newest first.
    pub fn new(keys: Vec<(String, [u8; 32])>) -> Result<Self, SecretError> {
        if keys.is_empty() {
            return Err(SecretError::NoKeys);
        }
        let link_key: [u8; 32] = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(b"wagent.v1|signed-links|");
            h.update(keys[0].1);
            h.finalize().into()
        };
        Ok(Self {
            link_key,
            keys: keys
                .into_iter()
                .map(|(id, bytes)| Key {
                    id,
                    cipher: XChaCha20Poly1305::new(&bytes.into()),
                })
                .collect(),
        })
    }

    fn primary(&self) -> &Key {
        &self.keys[0]
    }

    pub fn seal(&self, secret: &str, org_id: Uuid, purpose: &str) -> String {
        self.seal_bytes(secret.as_bytes(), org_id, purpose)
    }

    /// Seals arbitrary bytes (a raw webhook body) the same way as [`Keyring::seal`].
    pub fn seal_bytes(&self, secret: &[u8], org_id: Uuid, purpose: &str) -> String {
        let key = self.primary();
        let nonce: [u8; 24] = rand::random();
        let aad = associated_data(&key.id, org_id, purpose);
        // Encryption with a fresh nonce only fails past ~256 GiB, far above any bounded input.
        let ciphertext = key
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: secret,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        format!(
            "v1.{}.{}.{}",
            key.id,
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(ciphertext)
        )
    }

    pub fn open(&self, sealed: &str, org_id: Uuid, purpose: &str) -> Result<Opened, SecretError> {
        let plain = self.open_bytes(sealed, org_id, purpose)?;
        String::from_utf8(plain)
            .map(Opened)
            .map_err(|_| SecretError::Malformed)
    }

    /// Opens what [`Keyring::seal_bytes`] sealed.
    pub fn open_bytes(
        &self,
        sealed: &str,
        org_id: Uuid,
        purpose: &str,
    ) -> Result<Vec<u8>, SecretError> {
        let (key_id, nonce, ciphertext) = parse(sealed)?;
        let key = self
            .keys
            .iter()
            .find(|k| k.id == key_id)
            .ok_or_else(|| SecretError::UnknownKey(key_id.to_owned()))?;
        let aad = associated_data(key_id, org_id, purpose);
        key.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Tampered)
    }

    /// A signature for a short-lived link; [`Keyring::verify_link`] checks it.
    pub fn sign_link(&self, data: &str) -> String {
        use hmac::{KeyInit, Mac};
        // HMAC takes keys of any length.
        let Ok(mut mac) = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&self.link_key)
        else {
            return String::new();
        };
        mac.update(data.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Constant-time check of a link signature.
    pub fn verify_link(&self, data: &str, signature: &str) -> bool {
        use hmac::{KeyInit, Mac};
        let Ok(sig) = hex::decode(signature) else {
            return false;
        };
        let Ok(mut mac) = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&self.link_key)
        else {
            return false;
        };
        mac.update(data.as_bytes());
        mac.verify_slice(&sig).is_ok()
    }

    /// True when `sealed` was sealed with an older key.
    pub fn is_stale(&self, sealed: &str) -> bool {
        parse(sealed)
            .map(|(id, _, _)| id != self.primary().id)
            .unwrap_or(true)
    }
}

fn associated_data(key_id: &str, org_id: Uuid, purpose: &str) -> String {
    format!("wagent.v1|{key_id}|{org_id}|{purpose}")
}

fn parse(sealed: &str) -> Result<(&str, [u8; 24], Vec<u8>), SecretError> {
    let mut parts = sealed.split('.');
    let (Some("v1"), Some(id), Some(nonce), Some(ct), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(SecretError::Malformed);
    };
    let nonce: [u8; 24] = URL_SAFE_NO_PAD
        .decode(nonce)
        .ok()
        .and_then(|n| n.try_into().ok())
        .ok_or(SecretError::Malformed)?;
    let ciphertext = URL_SAFE_NO_PAD
        .decode(ct)
        .map_err(|_| SecretError::Malformed)?;
    Ok((id, nonce, ciphertext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(ids: &[(&str, u8)]) -> Keyring {
        Keyring::new(
            ids.iter()
                .map(|(id, b)| (id.to_string(), [*b; 32]))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_org_and_purpose() {
        let k = ring(&[("k1", 1)]);
        let org = Uuid::now_v7();
        let sealed = k.seal("EAAG-token", org, "whatsapp_accounts/1");
        assert!(!sealed.contains("EAAG"));
        assert_eq!(
            k.open(&sealed, org, "whatsapp_accounts/1")
                .unwrap()
                .expose(),
            "EAAG-token"
        );
        assert_eq!(
            k.open(&sealed, Uuid::now_v7(), "whatsapp_accounts/1")
                .unwrap_err(),
            SecretError::Tampered
        );
        assert_eq!(
            k.open(&sealed, org, "whatsapp_accounts/2").unwrap_err(),
            SecretError::Tampered
        );
        assert_ne!(
            sealed,
            k.seal("EAAG-token", org, "whatsapp_accounts/1"),
            "fresh nonce each time"
        );
    }

    #[test]
    fn old_keys_still_open_and_are_reported_stale() {
        let old = ring(&[("k1", 1)]);
        let org = Uuid::now_v7();
        let sealed = old.seal("t", org, "p");
        let rotated = ring(&[("k2", 2), ("k1", 1)]);
        assert_eq!(rotated.open(&sealed, org, "p").unwrap().expose(), "t");
        assert!(rotated.is_stale(&sealed));
        assert!(!rotated.is_stale(&rotated.seal("t", org, "p")));
        let forgotten = ring(&[("k2", 2)]);
        assert_eq!(
            forgotten.open(&sealed, org, "p").unwrap_err(),
            SecretError::UnknownKey("k1".into())
        );
    }

    #[test]
    fn bytes_seal_and_open_for_their_row_only() {
        let k = ring(&[("k1", 1)]);
        let body = b"{\"entry\": \"ol\xc3\xa1\"}\xff";
        let sealed = k.seal_bytes(body, Uuid::nil(), "webhook_events/1");
        assert!(!sealed.contains("entry"));
        assert_eq!(
            k.open_bytes(&sealed, Uuid::nil(), "webhook_events/1")
                .unwrap(),
            body
        );
        assert_eq!(
            k.open_bytes(&sealed, Uuid::nil(), "webhook_events/2")
                .unwrap_err(),
            SecretError::Tampered
        );
    }

    #[test]
    fn tampering_and_garbage_are_refused() {
        let k = ring(&[("k1", 1)]);
        let org = Uuid::now_v7();
        let mut sealed = k.seal("t", org, "p").into_bytes();
        let last = sealed.len() - 2;
        sealed[last] = if sealed[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            k.open(&String::from_utf8(sealed).unwrap(), org, "p")
                .unwrap_err(),
            SecretError::Tampered
        );
        assert_eq!(
            k.open("plain-token", org, "p").unwrap_err(),
            SecretError::Malformed
        );
        assert!(
            format!(
                "{:?}",
                k.open(&k.seal("s3cret", org, "p"), org, "p").unwrap()
            )
            .contains("<secret>")
        );
    }
}
