//! Meta's webhooks: checking the signature and reading the events.
//!
//! [`verify_signature`] must see the body exactly as it arrived: Meta signs the escaped
//! bytes (`\u00e3`), so hashing a re-serialised body fails. [`parse`] reads every entry,
//! change, message and status of a batch and is tolerant: unknown fields are ignored,
//! unknown kinds become `Unknown` values, and one malformed message or status is skipped
//! (with a warning) without failing the rest of the batch.
//!
//! The event types serialize in their own Rust shape (not Meta's), so they can be stored
//! as job payloads and read back.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::DeserializeOwned};
use serde_json::Value;
use sha2::Sha256;

use crate::{ErrorClass, types::flexible};

// ---------------------------------------------------------------------------------------
// Signature and handshake
// ---------------------------------------------------------------------------------------

/// Checks `X-Hub-Signature-256: sha256=<hex>` against HMAC-SHA256(app secret, raw body),
/// in constant time. Hex may be upper or lower case. A missing or malformed header, or an
/// empty secret, is never valid.
pub fn verify_signature(app_secret: &[u8], raw_body: &[u8], header: Option<&str>) -> bool {
    if app_secret.is_empty() {
        return false;
    }
    let Some(header) = header else {
        return false;
    };
    let Some(hex_digest) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(digest) = hex::decode(hex_digest) else {
        return false;
    };
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(app_secret) else {
        return false;
    };
    mac.update(raw_body);
    // `verify_slice` compares in constant time and refuses a digest of the wrong length.
    mac.verify_slice(&digest).is_ok()
}

/// The `X-Hub-Signature-256` value Meta would send for `raw_body`; for stand-ins and tests.
pub fn signature_header(app_secret: &[u8], raw_body: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let digest = match <Hmac<Sha256> as KeyInit>::new_from_slice(app_secret) {
        Ok(mut mac) => {
            mac.update(raw_body);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    };
    format!("sha256={}", hex::encode(digest))
}

/// The subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=..&hub.challenge=..`.
/// Returns the challenge to answer with (200, plain text) when the token matches; `None`
/// means answer 403.
pub fn verify_subscription<'a>(
    mode: Option<&str>,
    verify_token: Option<&str>,
    challenge: Option<&'a str>,
    expected_token: &str,
) -> Option<&'a str> {
    let token = verify_token?;
    let matches = !expected_token.is_empty()
        && token.len() == expected_token.len()
        && token
            .bytes()
            .zip(expected_token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    (mode == Some("subscribe") && matches)
        .then_some(challenge)
        .flatten()
}

// ---------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------

/// A body that is not a WhatsApp Business Account webhook at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the webhook body is not JSON: {0}")]
    Json(String),
    #[error("the webhook body is not a WhatsApp Business Account envelope: {0}")]
    Envelope(String),
}

/// One thing Meta told us. A webhook body holds any number of them.
// Messages dominate traffic and are handled one at a time: boxing them would only add an
// indirection to every match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WebhookEvent {
    /// A user sent a message to one of our numbers.
    Message {
        waba_id: String,
        /// Route on this: the business number that received the message.
        phone_number_id: String,
        display_phone_number: Option<String>,
        /// The sender's profile, from `value.contacts` (absent for `system` messages).
        contact: Option<Contact>,
        message: InboundMessage,
    },
    /// What became of a message we sent.
    Status {
        waba_id: String,
        phone_number_id: String,
        status: StatusUpdate,
    },
    /// `message_template_status_update`: review results, pauses, disables.
    TemplateStatus {
        waba_id: String,
        /// `entry.time`, when Meta sent it.
        time: Option<i64>,
        template_id: String,
        name: String,
        /// Normalised to Meta's underscore form: `en_US`.
        language: String,
        /// `APPROVED`, `REJECTED`, `PAUSED`, `DISABLED`, `FLAGGED`, ...
        event: String,
        reason: Option<String>,
        category: Option<String>,
        other_info: Option<TemplateStatusInfo>,
    },
    /// `message_template_quality_update`.
    TemplateQuality {
        waba_id: String,
        time: Option<i64>,
        template_id: String,
        name: String,
        language: String,
        previous_quality_score: Option<String>,
        new_quality_score: Option<String>,
    },
    /// `phone_number_quality_update`; Meta names the number only by its display form.
    PhoneNumberQuality {
        waba_id: String,
        time: Option<i64>,
        display_phone_number: String,
        /// `FLAGGED`, `UNFLAGGED`, `UPGRADE`, `DOWNGRADE`, `ONBOARDING`, `THROUGHPUT_UPGRADE`.
        event: String,
        current_limit: Option<String>,
        max_daily_conversations: Option<String>,
    },
    /// `account_update`: bans, restrictions, partner added, app installed, ...
    AccountUpdate {
        waba_id: String,
        time: Option<i64>,
        event: String,
        /// The whole `value`, for the event-specific details.
        raw: Value,
    },
    /// `user_preferences`: a customer stopped or resumed marketing messages from WhatsApp
    /// itself. One event per entry of `value.user_preferences`.
    UserPreference {
        waba_id: String,
        phone_number_id: String,
        /// The customer, as `value.contacts` names them (by wa_id, user id, or both).
        contact: Contact,
        /// `marketing_messages`, the only category Meta sends today.
        category: String,
        /// `stop` or `resume`, lower-case.
        value: String,
        detail: Option<String>,
        timestamp: Option<i64>,
    },
    /// `value.errors` of a `messages` change: a problem with the account or the number.
    SystemErrors {
        waba_id: String,
        phone_number_id: Option<String>,
        errors: Vec<WebhookError>,
    },
    /// A field this parser does not know, or a change it could not read.
    Unknown {
        waba_id: String,
        field: String,
        value: Value,
    },
}

impl WebhookEvent {
    pub fn waba_id(&self) -> &str {
        match self {
            WebhookEvent::Message { waba_id, .. }
            | WebhookEvent::Status { waba_id, .. }
            | WebhookEvent::TemplateStatus { waba_id, .. }
            | WebhookEvent::TemplateQuality { waba_id, .. }
            | WebhookEvent::PhoneNumberQuality { waba_id, .. }
            | WebhookEvent::AccountUpdate { waba_id, .. }
            | WebhookEvent::UserPreference { waba_id, .. }
            | WebhookEvent::SystemErrors { waba_id, .. }
            | WebhookEvent::Unknown { waba_id, .. } => waba_id,
        }
    }

    /// The business number the event concerns, when Meta names it by id.
    pub fn phone_number_id(&self) -> Option<&str> {
        match self {
            WebhookEvent::Message {
                phone_number_id, ..
            }
            | WebhookEvent::Status {
                phone_number_id, ..
            }
            | WebhookEvent::UserPreference {
                phone_number_id, ..
            } => Some(phone_number_id),
            WebhookEvent::SystemErrors {
                phone_number_id, ..
            } => phone_number_id.as_deref(),
            _ => None,
        }
    }
}

/// The sender as `value.contacts[]` describes them. With business-scoped user ids
/// (2026), `wa_id` may be missing and `user_id` present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub wa_id: Option<String>,
    /// The profile name the user chose.
    pub name: Option<String>,
    pub user_id: Option<String>,
    pub parent_user_id: Option<String>,
    pub username: Option<String>,
}

/// A message from a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundMessage {
    /// The wamid; deduplicate on it (Meta redelivers).
    pub id: String,
    /// The sender's phone number (wa_id); may be missing for users known only by user id.
    pub from: Option<String>,
    pub from_user_id: Option<String>,
    /// Unix seconds.
    pub timestamp: i64,
    pub kind: InboundKind,
    pub context: Option<MessageContext>,
    /// Set when the user came from a click-to-WhatsApp ad or a post.
    pub referral: Option<Referral>,
    /// Set for `unsupported` messages.
    pub errors: Vec<WebhookError>,
}

/// What an inbound message carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum InboundKind {
    Text {
        body: String,
    },
    Image(MediaRef),
    Video(MediaRef),
    Sticker {
        media: MediaRef,
        animated: bool,
    },
    Audio {
        media: MediaRef,
        /// A voice note recorded in WhatsApp rather than an audio file.
        voice: bool,
    },
    Document {
        media: MediaRef,
        filename: Option<String>,
    },
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
        url: Option<String>,
    },
    Contacts(Vec<SharedContact>),
    /// A reply to an interactive (buttons or list) message.
    Interactive(InteractiveReply),
    /// A template's quick-reply button.
    Button {
        payload: Option<String>,
        text: String,
    },
    /// `emoji: None` means the user removed their reaction.
    Reaction {
        message_id: String,
        emoji: Option<String>,
    },
    Order(Value),
    System(SystemMessage),
    /// WhatsApp could not pass the message on (see the message's `errors`, e.g. 131051).
    Unsupported {
        kind: Option<String>,
    },
    /// A type this parser does not know, or a known type whose body it could not read.
    Unknown {
        kind: String,
        raw: Value,
    },
}

/// Inbound media: download it with `media_info(id)` then `download_media(url)`, or use
/// `url` directly when newer webhooks include it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRef {
    pub id: String,
    #[serde(default)]
    pub mime_type: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InteractiveReply {
    ButtonReply {
        id: String,
        title: String,
    },
    ListReply {
        id: String,
        title: String,
        description: Option<String>,
    },
    /// A WhatsApp Flow's answer; `response_json` is the flow's JSON as a string.
    NfmReply {
        name: Option<String>,
        body: Option<String>,
        response_json: String,
    },
}

/// A contact card the user shared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedContact {
    #[serde(default)]
    pub name: Option<ContactName>,
    #[serde(default)]
    pub phones: Vec<ContactPhone>,
    #[serde(default)]
    pub emails: Vec<ContactEmail>,
    #[serde(default)]
    pub org: Option<ContactOrg>,
    #[serde(default)]
    pub addresses: Vec<ContactAddress>,
    #[serde(default)]
    pub urls: Vec<ContactUrl>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub birthday: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactName {
    #[serde(default)]
    pub formatted_name: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub middle_name: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub suffix: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPhone {
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub wa_id: Option<String>,
    /// `HOME`, `WORK`, `CELL`, ...
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactEmail {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactOrg {
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactAddress {
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub zip: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub country_code: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactUrl {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// A `system` message, such as `user_changed_number`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemMessage {
    #[serde(default)]
    pub body: Option<String>,
    /// `user_changed_number`, `customer_identity_changed`, ...
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The user's new number (older payloads).
    #[serde(default)]
    pub new_wa_id: Option<String>,
    /// The user's new number (current payloads).
    #[serde(default)]
    pub wa_id: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub parent_user_id: Option<String>,
    #[serde(default)]
    pub identity: Option<String>,
    #[serde(default)]
    pub customer: Option<String>,
}

impl SystemMessage {
    /// The user's new number after `user_changed_number`, whichever field Meta used.
    pub fn new_number(&self) -> Option<&str> {
        self.wa_id.as_deref().or(self.new_wa_id.as_deref())
    }
}

/// `context` of an inbound message: a reply (`from`, `id`) or a forward.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageContext {
    /// Who sent the quoted message (our number, for a reply to us).
    #[serde(default)]
    pub from: Option<String>,
    /// The quoted message's wamid.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub forwarded: bool,
    #[serde(default)]
    pub frequently_forwarded: bool,
    /// For a question about a catalog product.
    #[serde(default)]
    pub referred_product: Option<Value>,
}

/// Where a user came from (click-to-WhatsApp ads and posts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    #[serde(default)]
    pub source_url: Option<String>,
    #[serde(default)]
    pub source_id: Option<String>,
    /// `ad` or `post`.
    #[serde(default)]
    pub source_type: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub headline: Option<String>,
    /// `image` or `video`.
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub video_url: Option<String>,
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    /// The click id, for conversion reporting.
    #[serde(default)]
    pub ctwa_clid: Option<String>,
    #[serde(default)]
    pub welcome_message: Option<WelcomeMessage>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomeMessage {
    #[serde(default)]
    pub text: Option<String>,
}

/// An error inside a webhook (`value.errors`, `messages[].errors`, `statuses[].errors`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookError {
    pub code: i64,
    pub title: Option<String>,
    pub message: Option<String>,
    /// `error_data.details`.
    pub details: Option<String>,
    pub href: Option<String>,
}

impl WebhookError {
    /// What to do about it, from the same code table as the API's errors.
    pub fn class(&self) -> ErrorClass {
        ErrorClass::of_code(self.code)
    }
}

/// A change in the state of a message we sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdate {
    /// The wamid returned when we sent it. Deduplicate on (message_id, status).
    pub message_id: String,
    pub status: MessageStatus,
    /// Unix seconds.
    pub timestamp: i64,
    /// The user's wa_id; may be missing for users known only by user id.
    pub recipient_id: Option<String>,
    pub recipient_user_id: Option<String>,
    /// Who the message went to, from `value.contacts` (since 2026-03-31 on `sent`,
    /// `delivered` and `read`): tells a user id and a phone number apart or joins them.
    pub contact: Option<Contact>,
    pub biz_opaque_callback_data: Option<String>,
    pub conversation: Option<Conversation>,
    pub pricing: Option<Pricing>,
    /// Why a `failed` message failed (131047, 131026, ...).
    pub errors: Vec<WebhookError>,
}

/// The conversation a message was billed in (present up to Graph v23).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: Option<String>,
    /// `marketing`, `utility`, `service`, `authentication`, ...
    pub origin_type: Option<String>,
    /// Unix seconds; only on the `sent` status.
    pub expiration_timestamp: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pricing {
    pub billable: Option<bool>,
    /// `PMP` (per message, since 2025-07) or `CBP` (per conversation).
    pub pricing_model: Option<String>,
    /// `marketing`, `utility`, `authentication`, `service`, ...
    pub category: Option<String>,
    /// `regular`, `free_customer_service`, `free_entry_point`.
    pub kind: Option<String>,
}

/// A message's delivery state.
///
/// Webhooks arrive out of order and more than once (`read` may come before `delivered`),
/// so never store a status that does not [`supersede`](Self::supersedes) the stored one.
/// The order is `sent < delivered < read < played`; `failed` and `deleted` are final:
/// they replace any non-final status and nothing replaces them. Unknown statuses rank
/// lowest: they never replace a known one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    Sent,
    Delivered,
    Read,
    /// A voice note was played.
    Played,
    Failed,
    Deleted,
    Unknown(String),
}

impl MessageStatus {
    pub fn parse(status: &str) -> Self {
        match status {
            "sent" => MessageStatus::Sent,
            "delivered" => MessageStatus::Delivered,
            "read" => MessageStatus::Read,
            "played" => MessageStatus::Played,
            "failed" => MessageStatus::Failed,
            "deleted" => MessageStatus::Deleted,
            other => MessageStatus::Unknown(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Played => "played",
            MessageStatus::Failed => "failed",
            MessageStatus::Deleted => "deleted",
            MessageStatus::Unknown(other) => other,
        }
    }

    /// Progress: 0 unknown, 1 sent, 2 delivered, 3 read, 4 played, 5 failed or deleted.
    pub fn rank(&self) -> u8 {
        match self {
            MessageStatus::Unknown(_) => 0,
            MessageStatus::Sent => 1,
            MessageStatus::Delivered => 2,
            MessageStatus::Read => 3,
            MessageStatus::Played => 4,
            MessageStatus::Failed | MessageStatus::Deleted => 5,
        }
    }

    /// Nothing replaces a final status.
    pub fn is_final(&self) -> bool {
        matches!(self, MessageStatus::Failed | MessageStatus::Deleted)
    }

    /// True when `self`, arriving now, should replace the `stored` status.
    pub fn supersedes(&self, stored: &MessageStatus) -> bool {
        !stored.is_final() && self.rank() > stored.rank()
    }
}

impl fmt::Display for MessageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MessageStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MessageStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(MessageStatus::parse(&String::deserialize(deserializer)?))
    }
}

/// `other_info` of a template status update (for pauses: `FIRST_PAUSE`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateStatusInfo {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

/// Reads every event of a webhook body. Only a body that is not the envelope
/// (`{object: "whatsapp_business_account", entry: [...]}`) is an error.
pub fn parse(raw_body: &[u8]) -> Result<Vec<WebhookEvent>, ParseError> {
    let root: Value =
        serde_json::from_slice(raw_body).map_err(|e| ParseError::Json(e.to_string()))?;
    let Some(root) = root.as_object() else {
        return Err(ParseError::Envelope("the body is not an object".into()));
    };
    match root.get("object") {
        None => {}
        Some(Value::String(object)) if object == "whatsapp_business_account" => {}
        Some(other) => {
            let shown = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_owned);
            return Err(ParseError::Envelope(format!(
                "`object` is `{}`",
                shown.chars().take(64).collect::<String>()
            )));
        }
    }
    let Some(entries) = root.get("entry").and_then(Value::as_array) else {
        return Err(ParseError::Envelope("there is no `entry` list".into()));
    };
    let mut events = Vec::new();
    for entry in entries {
        let waba_id = entry.get("id").and_then(text).unwrap_or_default();
        let time = entry.get("time").and_then(flexible::i64_of);
        let Some(changes) = entry.get("changes").and_then(Value::as_array) else {
            tracing::warn!(%waba_id, "webhook entry without changes skipped");
            continue;
        };
        for change in changes {
            let Some(field) = change.get("field").and_then(Value::as_str) else {
                tracing::warn!(%waba_id, "webhook change without a field skipped");
                continue;
            };
            let value = change.get("value").unwrap_or(&Value::Null);
            parse_change(&waba_id, time, field, value, &mut events);
        }
    }
    Ok(events)
}

fn parse_change(
    waba_id: &str,
    time: Option<i64>,
    field: &str,
    value: &Value,
    events: &mut Vec<WebhookEvent>,
) {
    let parsed = match field {
        "messages" => return parse_messages(waba_id, value, events),
        "user_preferences" => return parse_user_preferences(waba_id, value, events),
        "message_template_status_update" => template_status(waba_id, time, value),
        "message_template_quality_update" => template_quality(waba_id, time, value),
        "phone_number_quality_update" => phone_number_quality(waba_id, time, value),
        "account_update" => value.is_object().then(|| WebhookEvent::AccountUpdate {
            waba_id: waba_id.to_owned(),
            time,
            event: value
                .get("event")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            raw: value.clone(),
        }),
        _ => None,
    };
    events.push(parsed.unwrap_or_else(|| WebhookEvent::Unknown {
        waba_id: waba_id.to_owned(),
        field: field.to_owned(),
        value: value.clone(),
    }));
}

/// A `user_preferences` change: customers' marketing preferences for one number.
fn parse_user_preferences(waba_id: &str, value: &Value, events: &mut Vec<WebhookEvent>) {
    let phone_number_id = value
        .get("metadata")
        .and_then(|m| m.get("phone_number_id"))
        .and_then(text);
    let preferences = list(value.get("user_preferences"));
    let (Some(phone_number_id), false) = (phone_number_id, preferences.is_empty()) else {
        events.push(unknown(waba_id, "user_preferences", value));
        return;
    };
    let contacts: Vec<Contact> = list(value.get("contacts")).iter().map(contact).collect();
    for raw in preferences {
        let wa_id = raw.get("wa_id").and_then(text);
        let user_id = raw.get("user_id").and_then(text);
        let preference = raw.get("value").and_then(text).map(|v| v.to_lowercase());
        let (Some(preference), true) = (preference, wa_id.is_some() || user_id.is_some()) else {
            events.push(unknown(waba_id, "user_preferences", raw));
            continue;
        };
        let named = contacts
            .iter()
            .find(|c| {
                (wa_id.is_some() && c.wa_id == wa_id) || (user_id.is_some() && c.user_id == user_id)
            })
            .cloned()
            .unwrap_or_default();
        events.push(WebhookEvent::UserPreference {
            waba_id: waba_id.to_owned(),
            phone_number_id: phone_number_id.clone(),
            contact: Contact {
                wa_id: wa_id.or(named.wa_id.clone()),
                user_id: user_id.or(named.user_id.clone()),
                ..named
            },
            category: raw
                .get("category")
                .and_then(text)
                .unwrap_or_else(|| "marketing_messages".to_owned()),
            value: preference,
            detail: raw.get("detail").and_then(text),
            timestamp: raw
                .get("timestamp")
                .and_then(text)
                .and_then(|t| t.parse().ok()),
        });
    }
}

/// A `messages` change: any number of messages, statuses and errors for one number.
fn parse_messages(waba_id: &str, value: &Value, events: &mut Vec<WebhookEvent>) {
    let metadata = value.get("metadata");
    let phone_number_id = metadata
        .and_then(|m| m.get("phone_number_id"))
        .and_then(text);
    let display_phone_number = metadata
        .and_then(|m| m.get("display_phone_number"))
        .and_then(text);
    let messages = list(value.get("messages"));
    let statuses = list(value.get("statuses"));
    let errors = value.get("errors");

    if errors.is_some() {
        events.push(WebhookEvent::SystemErrors {
            waba_id: waba_id.to_owned(),
            phone_number_id: phone_number_id.clone(),
            errors: webhook_errors(errors),
        });
    }
    if messages.is_empty() && statuses.is_empty() {
        if errors.is_none() {
            events.push(unknown(waba_id, "messages", value));
        }
        return;
    }
    // Without the receiving number nothing here can be routed.
    let Some(phone_number_id) = phone_number_id else {
        tracing::warn!(%waba_id, "messages change without metadata.phone_number_id");
        events.push(unknown(waba_id, "messages", value));
        return;
    };

    let contacts: Vec<Contact> = list(value.get("contacts")).iter().map(contact).collect();
    for raw in messages {
        let Some(message) = inbound_message(waba_id, raw) else {
            continue;
        };
        let contact = contacts
            .iter()
            .find(|c| {
                (c.wa_id.is_some() && c.wa_id == message.from)
                    || (c.user_id.is_some() && c.user_id == message.from_user_id)
            })
            .or(match contacts.as_slice() {
                [only] => Some(only),
                _ => None,
            })
            .cloned();
        events.push(WebhookEvent::Message {
            waba_id: waba_id.to_owned(),
            phone_number_id: phone_number_id.clone(),
            display_phone_number: display_phone_number.clone(),
            contact,
            message,
        });
    }
    for raw in statuses {
        let Some(mut status) = status_update(waba_id, raw) else {
            continue;
        };
        status.contact = contacts
            .iter()
            .find(|c| {
                (c.wa_id.is_some() && c.wa_id == status.recipient_id)
                    || (c.user_id.is_some() && c.user_id == status.recipient_user_id)
            })
            .or(match contacts.as_slice() {
                [only] => Some(only),
                _ => None,
            })
            .cloned();
        if status.recipient_user_id.is_none() {
            status.recipient_user_id = status.contact.as_ref().and_then(|c| c.user_id.clone());
        }
        events.push(WebhookEvent::Status {
            waba_id: waba_id.to_owned(),
            phone_number_id: phone_number_id.clone(),
            status,
        });
    }
}

fn contact(raw: &Value) -> Contact {
    let profile = raw.get("profile");
    Contact {
        wa_id: raw.get("wa_id").and_then(text),
        name: profile.and_then(|p| p.get("name")).and_then(text),
        user_id: raw.get("user_id").and_then(text),
        parent_user_id: raw.get("parent_user_id").and_then(text),
        username: profile
            .and_then(|p| p.get("username"))
            .or(raw.get("username"))
            .and_then(text),
    }
}

/// `None` (with a warning) for a message without an id or a timestamp; a message whose
/// body cannot be read keeps its id and becomes [`InboundKind::Unknown`].
fn inbound_message(waba_id: &str, raw: &Value) -> Option<InboundMessage> {
    let id = raw
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let timestamp = raw.get("timestamp").and_then(flexible::i64_of);
    let (Some(id), Some(timestamp)) = (id, timestamp) else {
        tracing::warn!(%waba_id, "inbound message without id or timestamp skipped");
        return None;
    };
    let kind_name = raw.get("type").and_then(Value::as_str).unwrap_or_default();
    let kind = inbound_kind(kind_name, raw).unwrap_or_else(|| {
        tracing::warn!(%waba_id, wamid = id, kind = kind_name, "inbound message body unreadable");
        InboundKind::Unknown {
            kind: kind_name.to_owned(),
            raw: raw.clone(),
        }
    });
    Some(InboundMessage {
        id: id.to_owned(),
        from: raw.get("from").and_then(text),
        from_user_id: raw.get("from_user_id").and_then(text),
        timestamp,
        kind,
        context: lenient(raw.get("context")),
        referral: lenient(raw.get("referral")),
        errors: webhook_errors(raw.get("errors")),
    })
}

/// `None` when a known type's body is unreadable.
fn inbound_kind(kind: &str, raw: &Value) -> Option<InboundKind> {
    let body = raw.get(kind);
    let field = |name: &str| body.and_then(|b| b.get(name)).and_then(text);
    let flag = |name: &str| {
        body.and_then(|b| b.get(name))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    let media = || -> Option<MediaRef> { lenient::<MediaRef>(body).filter(|m| !m.id.is_empty()) };
    Some(match kind {
        "text" => InboundKind::Text {
            body: body?.get("body")?.as_str()?.to_owned(),
        },
        "image" => InboundKind::Image(media()?),
        "video" => InboundKind::Video(media()?),
        "sticker" => InboundKind::Sticker {
            media: media()?,
            animated: flag("animated"),
        },
        "audio" => InboundKind::Audio {
            media: media()?,
            voice: flag("voice"),
        },
        "document" => InboundKind::Document {
            media: media()?,
            filename: field("filename"),
        },
        "location" => InboundKind::Location {
            latitude: body?.get("latitude").and_then(flexible::f64_of)?,
            longitude: body?.get("longitude").and_then(flexible::f64_of)?,
            name: field("name"),
            address: field("address"),
            url: field("url"),
        },
        "contacts" => InboundKind::Contacts(lenient(body)?),
        "interactive" => InboundKind::Interactive(interactive_reply(body?)?),
        "button" => InboundKind::Button {
            payload: field("payload"),
            text: field("text")?,
        },
        "reaction" => InboundKind::Reaction {
            message_id: field("message_id")?,
            emoji: field("emoji").filter(|e| !e.is_empty()),
        },
        "order" => InboundKind::Order(body?.clone()),
        "system" => InboundKind::System(lenient(body)?),
        "unsupported" => InboundKind::Unsupported {
            kind: field("type"),
        },
        _ => InboundKind::Unknown {
            kind: kind.to_owned(),
            raw: raw.clone(),
        },
    })
}

fn interactive_reply(body: &Value) -> Option<InteractiveReply> {
    let kind = body.get("type")?.as_str()?;
    let reply = body.get(kind)?;
    let field = |name: &str| reply.get(name).and_then(text);
    Some(match kind {
        "button_reply" => InteractiveReply::ButtonReply {
            id: field("id")?,
            title: field("title").unwrap_or_default(),
        },
        "list_reply" => InteractiveReply::ListReply {
            id: field("id")?,
            title: field("title").unwrap_or_default(),
            description: field("description"),
        },
        "nfm_reply" => InteractiveReply::NfmReply {
            name: field("name"),
            body: field("body"),
            response_json: field("response_json")?,
        },
        _ => return None,
    })
}

fn status_update(waba_id: &str, raw: &Value) -> Option<StatusUpdate> {
    let id = raw
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let status = raw.get("status").and_then(Value::as_str);
    let timestamp = raw.get("timestamp").and_then(flexible::i64_of);
    let (Some(id), Some(status), Some(timestamp)) = (id, status, timestamp) else {
        tracing::warn!(%waba_id, "status without id, status or timestamp skipped");
        return None;
    };
    let conversation = raw.get("conversation").map(|c| Conversation {
        id: c.get("id").and_then(text),
        origin_type: c.get("origin").and_then(|o| o.get("type")).and_then(text),
        expiration_timestamp: c.get("expiration_timestamp").and_then(flexible::i64_of),
    });
    let pricing = raw.get("pricing").map(|p| Pricing {
        billable: p.get("billable").and_then(Value::as_bool),
        pricing_model: p.get("pricing_model").and_then(text),
        category: p.get("category").and_then(text),
        kind: p.get("type").and_then(text),
    });
    Some(StatusUpdate {
        message_id: id.to_owned(),
        status: MessageStatus::parse(status),
        timestamp,
        recipient_id: raw.get("recipient_id").and_then(text),
        recipient_user_id: raw.get("recipient_user_id").and_then(text),
        contact: None,
        biz_opaque_callback_data: raw.get("biz_opaque_callback_data").and_then(text),
        conversation,
        pricing,
        errors: webhook_errors(raw.get("errors")),
    })
}

fn template_status(waba_id: &str, time: Option<i64>, value: &Value) -> Option<WebhookEvent> {
    Some(WebhookEvent::TemplateStatus {
        waba_id: waba_id.to_owned(),
        time,
        template_id: value.get("message_template_id").and_then(text)?,
        name: value
            .get("message_template_name")
            .and_then(text)
            .unwrap_or_default(),
        language: language(value.get("message_template_language")),
        event: value.get("event").and_then(text)?,
        reason: value.get("reason").and_then(text),
        category: value.get("message_template_category").and_then(text),
        other_info: lenient(value.get("other_info")),
    })
}

fn template_quality(waba_id: &str, time: Option<i64>, value: &Value) -> Option<WebhookEvent> {
    Some(WebhookEvent::TemplateQuality {
        waba_id: waba_id.to_owned(),
        time,
        template_id: value.get("message_template_id").and_then(text)?,
        name: value
            .get("message_template_name")
            .and_then(text)
            .unwrap_or_default(),
        language: language(value.get("message_template_language")),
        previous_quality_score: value.get("previous_quality_score").and_then(text),
        new_quality_score: value.get("new_quality_score").and_then(text),
    })
}

fn phone_number_quality(waba_id: &str, time: Option<i64>, value: &Value) -> Option<WebhookEvent> {
    Some(WebhookEvent::PhoneNumberQuality {
        waba_id: waba_id.to_owned(),
        time,
        display_phone_number: value.get("display_phone_number").and_then(text)?,
        event: value.get("event").and_then(text)?,
        current_limit: value.get("current_limit").and_then(text),
        max_daily_conversations: value
            .get("max_daily_conversations_per_business")
            .or(value.get("max_daily_conversation_per_phone"))
            .and_then(text),
    })
}

/// Meta's example writes `en-US`, the API `en_US`: keep the underscore form.
fn language(value: Option<&Value>) -> String {
    value.and_then(text).unwrap_or_default().replace('-', "_")
}

fn webhook_errors(value: Option<&Value>) -> Vec<WebhookError> {
    list(value)
        .iter()
        .filter_map(|raw| {
            let code = raw.get("code").and_then(flexible::i64_of)?;
            let details = match raw.get("error_data") {
                Some(data) => data.get("details").and_then(text),
                None => None,
            };
            Some(WebhookError {
                code,
                title: raw.get("title").and_then(text),
                message: raw.get("message").and_then(text),
                details,
                href: raw.get("href").and_then(text),
            })
        })
        .collect()
}

fn unknown(waba_id: &str, field: &str, value: &Value) -> WebhookEvent {
    WebhookEvent::Unknown {
        waba_id: waba_id.to_owned(),
        field: field.to_owned(),
        value: value.clone(),
    }
}

fn list(value: Option<&Value>) -> &[Value] {
    value
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// A string, or a number written as text (ids arrive both ways).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads an optional part; an unreadable one counts as absent.
fn lenient<T: DeserializeOwned>(value: Option<&Value>) -> Option<T> {
    T::deserialize(value?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_preferences_name_the_customer_and_their_choice() {
        let body = serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "user_preferences", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234", "user_id": "US.13491208655302741918"}],
        "user_preferences": [
            {"wa_id": "16505551234", "detail": "User requested to stop marketing messages", "category": "marketing_messages", "value": "stop", "timestamp": 1731705721},
            {"wa_id": "16505551234", "category": "marketing_messages"}
        ]}}]}]});
        let events = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(events.len(), 2);
        let WebhookEvent::UserPreference {
            phone_number_id,
            contact,
            category,
            value,
            detail,
            timestamp,
            ..
        } = &events[0]
        else {
            panic!("{:?}", events[0]);
        };
        assert_eq!(phone_number_id, "106540352242922");
        assert_eq!(contact.wa_id.as_deref(), Some("16505551234"));
        assert_eq!(contact.user_id.as_deref(), Some("US.13491208655302741918"));
        assert_eq!(contact.name.as_deref(), Some("Sheena Nelson"));
        assert_eq!(
            (category.as_str(), value.as_str()),
            ("marketing_messages", "stop")
        );
        assert!(detail.as_deref().unwrap().contains("stop marketing"));
        assert_eq!(*timestamp, Some(1731705721));
        // An entry without its value is kept as unknown, not guessed.
        assert!(
            matches!(&events[1], WebhookEvent::Unknown { field, .. } if field == "user_preferences")
        );
        assert_eq!(events[0].phone_number_id(), Some("106540352242922"));
    }

    #[test]
    fn statuses_never_move_backwards() {
        use MessageStatus::*;
        assert!(Delivered.supersedes(&Sent));
        assert!(Read.supersedes(&Sent));
        assert!(!Delivered.supersedes(&Read));
        assert!(!Sent.supersedes(&Sent));
        assert!(Played.supersedes(&Read));
        assert!(Failed.supersedes(&Delivered));
        assert!(!Read.supersedes(&Failed));
        assert!(!Failed.supersedes(&Deleted));
        assert!(!Unknown("held".into()).supersedes(&Sent));
        assert!(Sent.supersedes(&Unknown("held".into())));
    }

    #[test]
    fn flow_replies_and_unknown_interactive_subtypes() {
        let flow = serde_json::json!({"type": "interactive", "interactive": {"type": "nfm_reply",
            "nfm_reply": {"name": "flow", "body": "Sent", "response_json": "{\"a\":1}"}}});
        assert_eq!(
            inbound_kind("interactive", &flow),
            Some(InboundKind::Interactive(InteractiveReply::NfmReply {
                name: Some("flow".into()),
                body: Some("Sent".into()),
                response_json: "{\"a\":1}".into(),
            }))
        );
        let future = serde_json::json!({"type": "interactive",
            "interactive": {"type": "carousel_reply", "carousel_reply": {}}});
        assert_eq!(inbound_kind("interactive", &future), None);
    }

    #[test]
    fn the_handshake_echoes_the_challenge_only_for_the_right_token() {
        assert_eq!(
            verify_subscription(Some("subscribe"), Some("t0k"), Some("42"), "t0k"),
            Some("42")
        );
        assert_eq!(
            verify_subscription(Some("subscribe"), Some("bad"), Some("42"), "t0k"),
            None
        );
        assert_eq!(
            verify_subscription(Some("unsubscribe"), Some("t0k"), Some("42"), "t0k"),
            None
        );
        assert_eq!(
            verify_subscription(Some("subscribe"), Some(""), Some("42"), ""),
            None
        );
    }
}
