//! Data minimisation for the model: phone numbers and e-mail addresses are masked in every
//! turn and passage it receives (the privacy policy promises the model sees no more than it
//! needs), and a customer is named by an opaque id, never by their number.

use std::sync::LazyLock;

use regex::Regex;
use sha2::{Digest, Sha256};
use uuid::Uuid;

static EMAIL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)+").ok());
/// Seven or more digits, with the separators people write between them, and an optional `+`.
static PHONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d(?:[\s().\-]{0,2}\d){6,}").ok());

/// `text` with e-mail addresses and phone numbers replaced by `[email]` and `[phone]`.
pub fn mask(text: &str) -> String {
    let text = match EMAIL.as_ref() {
        Some(re) => re.replace_all(text, "[email]").into_owned(),
        None => text.to_owned(),
    };
    match PHONE.as_ref() {
        Some(re) => re.replace_all(&text, "[phone]").into_owned(),
        None => text,
    }
}

/// The opaque id the provider sees for a contact: stable per contact, meaningless outside.
pub fn user_ref(org_id: Uuid, contact_id: Uuid) -> String {
    let digest = Sha256::digest(format!("wagent:{org_id}:{contact_id}").as_bytes());
    format!("c-{}", hex::encode(&digest[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_emails_are_masked_and_the_rest_kept() {
        let masked = mask(
            "Call me on +55 11 98765-4321 or (212) 555-0147, mail ana.souza@example.com.br; order 12345 costs R$ 89,90",
        );
        assert_eq!(
            masked,
            "Call me on [phone] or [phone], mail [email]; order 12345 costs R$ 89,90"
        );
    }

    #[test]
    fn the_contact_id_given_to_the_model_is_stable_and_opaque() {
        let (org, contact) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(user_ref(org, contact), user_ref(org, contact));
        assert_ne!(user_ref(org, contact), user_ref(org, Uuid::now_v7()));
        assert!(!user_ref(org, contact).contains(&contact.to_string()));
    }
}
