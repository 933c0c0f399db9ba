//! The customer's own say on marketing messages. By keyword: a customer who sends STOP (or
//! PARAR, SAIR, BAJA, or a word the organization added) alone stops marketing messages, and
//! is told so; START and its kin bring them back. The word is compared without case, accents
//! or punctuation around it. By WhatsApp's own settings: Meta's `user_preferences` webhook.

use chrono::Utc;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use serde_json::json;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;
use wagent_db::{Conn, schema::organizations};

use super::{
    Result, WhatsAppError,
    contacts::{Customer, upsert_contact},
    send::{Outbound, queue_outbound},
};
use crate::{
    Access,
    contacts::{ConsentSource, Marketing, consent::record_consent},
    inbox::{MessageKind, find_conversation},
    values::E164,
};

/// The longest message read as a keyword, and so the longest keyword an organization may set.
pub(crate) const KEYWORD_MAX_CHARS: usize = 40;

/// The word as compared: upper-case, accents and surrounding punctuation removed.
pub(crate) fn normal_keyword(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<String>()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_uppercase()
}

/// The languages the default words are in, each with its words.
const LANGUAGES: [(Language, &[&str]); 3] = [
    (
        Language::Portuguese,
        &["PARAR", "SAIR", "CANCELAR", "VOLTAR"],
    ),
    (Language::Spanish, &["BAJA", "ALTA"]),
    (
        Language::English,
        &["STOP", "UNSUBSCRIBE", "START", "SUBSCRIBE"],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Portuguese,
    Spanish,
    English,
}

fn language_of(word: &str) -> Language {
    LANGUAGES
        .iter()
        .find(|(_, words)| words.contains(&word))
        .map_or(Language::English, |(language, _)| *language)
}

/// The organization's word to suggest, in `language` when it has one in it.
fn suggestion(words: &[String], language: Language) -> String {
    let words: Vec<String> = words.iter().map(|w| normal_keyword(w)).collect();
    words
        .iter()
        .find(|w| {
            language_of(w) == language && LANGUAGES.iter().any(|(_, l)| l.contains(&w.as_str()))
        })
        .or(words.as_slice().first())
        .cloned()
        .unwrap_or_default()
}

/// The confirmation a customer gets, in the language of the word they sent, naming the
/// organization's word that undoes it (in that language when there is one).
fn confirmation(marketing: Marketing, word: &str, opt_in: &[String], opt_out: &[String]) -> String {
    let language = language_of(word);
    let (opt_in, opt_out) = (suggestion(opt_in, language), suggestion(opt_out, language));
    match (marketing, language) {
        (Marketing::OptedOut, Language::Portuguese) => format!(
            "Você não receberá mais mensagens de marketing nossas. Responda {opt_in} para voltar a recebê-las."
        ),
        (Marketing::OptedOut, Language::Spanish) => format!(
            "Ya no recibirás mensajes de marketing nuestros. Responde {opt_in} para volver a recibirlos."
        ),
        (Marketing::OptedOut, Language::English) => format!(
            "You will no longer receive marketing messages from us. Reply {opt_in} to get them again."
        ),
        (_, Language::Portuguese) => format!(
            "Você voltará a receber nossas mensagens de marketing. Responda {opt_out} para parar."
        ),
        (_, Language::Spanish) => format!(
            "Volverás a recibir nuestros mensajes de marketing. Responde {opt_out} para dejar de recibirlos."
        ),
        (_, Language::English) => {
            format!("You will receive our marketing messages again. Reply {opt_out} to stop them.")
        }
    }
}

/// Applies a customer's message that is an opt-out or opt-in word: the contact's consent
/// changes (recorded with the word) and the customer is told, in the conversation where they
/// wrote. Nothing happens for any other message, or when the consent already stands.
pub(super) async fn apply_keyword(
    c: &mut Conn,
    org_id: Uuid,
    contact: Uuid,
    conversation: Uuid,
    kind: MessageKind,
    body: Option<&str>,
) -> Result<()> {
    let Some(body) = body.filter(|_| {
        matches!(
            kind,
            MessageKind::Text | MessageKind::Button | MessageKind::Interactive
        )
    }) else {
        return Ok(());
    };
    // A keyword is a word or two, never a sentence that happens to contain one.
    if body.chars().count() > KEYWORD_MAX_CHARS {
        return Ok(());
    }
    let word = normal_keyword(body);
    let (opt_out, opt_in): (Vec<String>, Vec<String>) = organizations::table
        .filter(organizations::id.eq(org_id))
        .select((
            organizations::opt_out_keywords,
            organizations::opt_in_keywords,
        ))
        .first(c)
        .await?;
    let matches = |words: &[String]| words.iter().any(|w| normal_keyword(w) == word);
    let marketing = if matches(&opt_out) {
        Marketing::OptedOut
    } else if matches(&opt_in) {
        Marketing::OptedIn
    } else {
        return Ok(());
    };
    let changed = record_consent(
        c,
        org_id,
        contact,
        marketing,
        ConsentSource::Keyword,
        Some(body),
        None,
    )
    .await?;
    if !changed {
        return Ok(());
    }
    let text = confirmation(marketing, &word, &opt_in, &opt_out);
    // Read again: the customer's message has just moved the conversation on.
    let conversation = find_conversation(c, conversation).await?;
    let payload = json!({ "body": text });
    let draft = Outbound {
        kind: MessageKind::Text,
        body: Some(&text),
        payload: &payload,
        reply_to_wamid: None,
    };
    queue_outbound(
        c,
        &Access::operator(org_id),
        &conversation,
        draft,
        Utc::now(),
    )
    .await?;
    Ok(())
}

/// Applies Meta's `user_preferences` for marketing messages: `stop` opts the customer out,
/// `resume` back in, recorded with Meta as the source. WhatsApp itself has told the customer,
/// so nothing is sent. A customer not yet known becomes a contact, so that the choice holds
/// when they are first imported or messaged.
pub(super) async fn apply_preference(
    c: &mut Conn,
    org_id: Uuid,
    contact: &wagent_meta::webhook::Contact,
    value: &str,
    detail: Option<&str>,
) -> Result<()> {
    let marketing = match value {
        "stop" => Marketing::OptedOut,
        "resume" => Marketing::OptedIn,
        other => {
            tracing::info!(%org_id, value = other, "a marketing preference this version does not know");
            return Ok(());
        }
    };
    let phone = contact
        .wa_id
        .as_deref()
        .and_then(|w| E164::from_wa_id(w).ok());
    let customer = Customer {
        phone: phone.as_ref(),
        user_id: contact.user_id.as_deref(),
        name: contact.name.as_deref(),
        username: contact.username.as_deref(),
    };
    let Some(id) = upsert_contact(c, org_id, &customer).await? else {
        return Err(WhatsAppError::NoSender);
    };
    record_consent(c, org_id, id, marketing, ConsentSource::Meta, detail, None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyword_matches_without_case_accents_or_punctuation() {
        assert_eq!(normal_keyword("  stop! "), "STOP");
        assert_eq!(normal_keyword("Párar."), "PARAR");
        assert_eq!(normal_keyword("«Sair»"), "SAIR");
        assert_ne!(normal_keyword("stop please"), "STOP");
    }

    #[test]
    fn the_confirmation_speaks_the_language_of_the_word() {
        let words = |w: &[&str]| w.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        let opt_in = words(&["START", "Voltar", "ALTA"]);
        let opt_out = words(&["STOP", "PARAR", "BAJA"]);
        let pt = confirmation(Marketing::OptedOut, "SAIR", &opt_in, &opt_out);
        assert!(pt.starts_with("Você não receberá"), "{pt}");
        assert!(pt.contains("Responda VOLTAR"), "{pt}");
        let es = confirmation(Marketing::OptedIn, "ALTA", &opt_in, &opt_out);
        assert!(es.contains("Responde BAJA"), "{es}");
        let en = confirmation(Marketing::OptedIn, "START", &opt_in, &opt_out);
        assert!(en.contains("Reply STOP"), "{en}");
        // An organization's own word: English, suggesting its first word back.
        let own = confirmation(Marketing::OptedOut, "CHEGA", &words(&["MAIS"]), &opt_out);
        assert!(own.contains("Reply MAIS"), "{own}");
    }
}
