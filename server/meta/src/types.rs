//! The Graph API's request and response bodies.
//!
//! Outbound messages serialize to exactly the JSON Meta documents for
//! `POST /{phone-number-id}/messages` and deserialize from it too, so a local stand-in for
//! Meta can read what the client sends with the same types. Response types mirror Meta's
//! JSON field for field.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};
use serde_json::Value;

use crate::GraphError;

/// A Graph access token. It prints as `<secret>` so that it cannot leak through logs.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself, for the `Authorization` header or for encrypted storage.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<secret>")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<secret>")
    }
}

// ---------------------------------------------------------------------------------------
// Outbound messages
// ---------------------------------------------------------------------------------------

const MAX_TEXT: usize = 4096;
const MAX_CAPTION: usize = 1024;
const MAX_CALLBACK_DATA: usize = 512;
const MAX_WAMID: usize = 128;
const MAX_BUTTON_BODY: usize = 1024;
const MAX_FOOTER: usize = 60;
const MAX_REPLY_BUTTONS: usize = 3;
const MAX_BUTTON_ID: usize = 256;
const MAX_BUTTON_TITLE: usize = 20;
const MAX_LIST_BUTTON: usize = 20;
const MAX_LIST_SECTIONS: usize = 10;
const MAX_LIST_ROWS: usize = 10;
const MAX_ROW_ID: usize = 200;
const MAX_ROW_TITLE: usize = 24;
const MAX_ROW_DESCRIPTION: usize = 72;
pub(crate) const MAX_TEMPLATE_NAME: usize = 512;
const MAX_USER_ID: usize = 256;

/// One message for `POST /{phone-number-id}/messages`, without the constant
/// `messaging_product` and `recipient_type` fields (the client adds them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMessage {
    /// Who receives it: a phone number (`to`) or a business-scoped user id (`recipient`).
    #[serde(flatten)]
    pub recipient: Recipient,
    /// Set to quote an earlier message (a reply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ReplyContext>,
    /// Echoed back in this message's status webhooks; at most 512 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
    #[serde(flatten)]
    pub content: MessageContent,
}

/// The addressee of a send. Since 2026 a customer with a WhatsApp username may be known
/// only by their business-scoped user id, sent as `recipient` in place of `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Recipient {
    /// A phone number (`+`, dashes, spaces and parentheses are accepted).
    Phone { to: String },
    /// A business-scoped user id such as `BR.1520436779021845`.
    UserId { recipient: String },
}

impl Recipient {
    /// The phone number or user id, as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Phone { to } => to,
            Self::UserId { recipient } => recipient,
        }
    }

    pub fn phone(to: impl Into<String>) -> Self {
        Self::Phone { to: to.into() }
    }

    pub fn user_id(id: impl Into<String>) -> Self {
        Self::UserId {
            recipient: id.into(),
        }
    }
}

/// A bare string is a phone number, as `to` always was.
impl From<&str> for Recipient {
    fn from(to: &str) -> Self {
        Self::phone(to)
    }
}

impl From<String> for Recipient {
    fn from(to: String) -> Self {
        Self::phone(to)
    }
}

impl From<&String> for Recipient {
    fn from(to: &String) -> Self {
        Self::phone(to.as_str())
    }
}

/// `context` of an outbound reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyContext {
    /// The wamid of the quoted message.
    pub message_id: String,
}

/// What a message carries; serialized as `"type": "<kind>", "<kind>": {...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MessageContent {
    Text { text: Text },
    Image { image: CaptionedMedia },
    Video { video: CaptionedMedia },
    Audio { audio: AudioMedia },
    Document { document: DocumentMedia },
    Sticker { sticker: MediaSource },
    Template { template: TemplateMessage },
    Interactive { interactive: Interactive },
    Reaction { reaction: Reaction },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// 1 to 4096 characters.
    pub body: String,
    /// Render a preview of the first URL in `body`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub preview_url: bool,
}

/// Media uploaded to Meta (`id`) or fetched by Meta from a public URL (`link`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaSource {
    Id(String),
    Link(String),
}

/// An image or a video, with an optional caption of at most 1024 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptionedMedia {
    #[serde(flatten)]
    pub source: MediaSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioMedia {
    #[serde(flatten)]
    pub source: MediaSource,
    /// Send as a voice note (the file must be OGG/OPUS).
    #[serde(default, skip_serializing_if = "is_false")]
    pub voice: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMedia {
    #[serde(flatten)]
    pub source: MediaSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The file name the recipient sees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

/// A reaction to an earlier message; an empty `emoji` removes the reaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub message_id: String,
    pub emoji: String,
}

/// An approved template with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateMessage {
    pub name: String,
    pub language: TemplateLanguage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<TemplateComponent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateLanguage {
    /// The template's locale, as Meta spells it (`en_US`, `pt_BR`, `es`).
    pub code: String,
}

/// The parameters of one part of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplateComponent {
    Header {
        parameters: Vec<TemplateParameter>,
    },
    Body {
        parameters: Vec<TemplateParameter>,
    },
    Button {
        sub_type: ButtonSubType,
        /// The button's position in the template, from 0 (Meta wants it as a string).
        #[serde(with = "index_as_string")]
        index: u8,
        parameters: Vec<ButtonParameter>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonSubType {
    QuickReply,
    Url,
}

/// A value for a `{{n}}` or `{{name}}` placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplateParameter {
    Text {
        text: String,
        /// Set for templates created with `parameter_format: named`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter_name: Option<String>,
    },
    Currency {
        currency: Currency,
    },
    DateTime {
        date_time: DateTimeParameter,
    },
    Image {
        image: MediaSource,
    },
    Video {
        video: MediaSource,
    },
    Document {
        document: DocumentMedia,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    pub fallback_value: String,
    /// ISO 4217 code.
    pub code: String,
    /// The amount times 1000 (`12.34` is `12340`).
    pub amount_1000: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateTimeParameter {
    pub fallback_value: String,
}

/// The value of a template button: a quick reply's payload or a URL button's suffix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ButtonParameter {
    Payload { payload: String },
    Text { text: String },
}

/// An interactive message: up to three reply buttons, or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Interactive {
    Button {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        header: Option<InteractiveHeader>,
        body: InteractiveText,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        footer: Option<InteractiveText>,
        action: ButtonAction,
    },
    List {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        header: Option<InteractiveHeader>,
        body: InteractiveText,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        footer: Option<InteractiveText>,
        action: ListAction,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractiveText {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InteractiveHeader {
    Text { text: String },
    Image { image: MediaSource },
    Video { video: MediaSource },
    Document { document: DocumentMedia },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonAction {
    pub buttons: Vec<ReplyButton>,
}

/// A reply button: `id` (≤256) comes back in the webhook, `title` (≤20) is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ReplyButtonWire", into = "ReplyButtonWire")]
pub struct ReplyButton {
    pub id: String,
    pub title: String,
}

/// Meta's shape: `{"type":"reply","reply":{"id":..,"title":..}}`.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ReplyButtonWire {
    Reply { reply: ReplyButtonFields },
}

#[derive(Serialize, Deserialize)]
struct ReplyButtonFields {
    id: String,
    title: String,
}

impl From<ReplyButtonWire> for ReplyButton {
    fn from(wire: ReplyButtonWire) -> Self {
        let ReplyButtonWire::Reply { reply } = wire;
        Self {
            id: reply.id,
            title: reply.title,
        }
    }
}

impl From<ReplyButton> for ReplyButtonWire {
    fn from(button: ReplyButton) -> Self {
        ReplyButtonWire::Reply {
            reply: ReplyButtonFields {
                id: button.id,
                title: button.title,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListAction {
    /// The label of the button that opens the list, at most 20 characters.
    pub button: String,
    pub sections: Vec<ListSection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub rows: Vec<ListRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRow {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl OutboundMessage {
    pub fn new(to: impl Into<Recipient>, content: MessageContent) -> Self {
        Self {
            recipient: to.into(),
            context: None,
            biz_opaque_callback_data: None,
            content,
        }
    }

    pub fn text(to: impl Into<Recipient>, body: impl Into<String>) -> Self {
        Self::new(
            to,
            MessageContent::Text {
                text: Text {
                    body: body.into(),
                    preview_url: false,
                },
            },
        )
    }

    pub fn image(to: impl Into<Recipient>, source: MediaSource, caption: Option<String>) -> Self {
        Self::new(
            to,
            MessageContent::Image {
                image: CaptionedMedia { source, caption },
            },
        )
    }

    pub fn video(to: impl Into<Recipient>, source: MediaSource, caption: Option<String>) -> Self {
        Self::new(
            to,
            MessageContent::Video {
                video: CaptionedMedia { source, caption },
            },
        )
    }

    pub fn audio(to: impl Into<Recipient>, source: MediaSource, voice: bool) -> Self {
        Self::new(
            to,
            MessageContent::Audio {
                audio: AudioMedia { source, voice },
            },
        )
    }

    pub fn document(
        to: impl Into<Recipient>,
        source: MediaSource,
        filename: Option<String>,
        caption: Option<String>,
    ) -> Self {
        Self::new(
            to,
            MessageContent::Document {
                document: DocumentMedia {
                    source,
                    caption,
                    filename,
                },
            },
        )
    }

    pub fn sticker(to: impl Into<Recipient>, source: MediaSource) -> Self {
        Self::new(to, MessageContent::Sticker { sticker: source })
    }

    pub fn template(to: impl Into<Recipient>, template: TemplateMessage) -> Self {
        Self::new(to, MessageContent::Template { template })
    }

    pub fn interactive(to: impl Into<Recipient>, interactive: Interactive) -> Self {
        Self::new(to, MessageContent::Interactive { interactive })
    }

    /// A reaction; an empty `emoji` removes an earlier one.
    pub fn reaction(
        to: impl Into<Recipient>,
        message_id: impl Into<String>,
        emoji: impl Into<String>,
    ) -> Self {
        Self::new(
            to,
            MessageContent::Reaction {
                reaction: Reaction {
                    message_id: message_id.into(),
                    emoji: emoji.into(),
                },
            },
        )
    }

    /// Quotes the message `wamid`.
    pub fn reply_to(mut self, wamid: impl Into<String>) -> Self {
        self.context = Some(ReplyContext {
            message_id: wamid.into(),
        });
        self
    }

    /// Data Meta echoes back in this message's status webhooks.
    pub fn with_callback_data(mut self, data: impl Into<String>) -> Self {
        self.biz_opaque_callback_data = Some(data.into());
        self
    }

    /// The wire name of the message's type (`text`, `template`, ...).
    pub fn kind(&self) -> &'static str {
        match &self.content {
            MessageContent::Text { .. } => "text",
            MessageContent::Image { .. } => "image",
            MessageContent::Video { .. } => "video",
            MessageContent::Audio { .. } => "audio",
            MessageContent::Document { .. } => "document",
            MessageContent::Sticker { .. } => "sticker",
            MessageContent::Template { .. } => "template",
            MessageContent::Interactive { .. } => "interactive",
            MessageContent::Reaction { .. } => "reaction",
        }
    }

    /// Checks Meta's documented limits; the client calls this before sending.
    /// Lengths are counted in characters (Unicode scalar values).
    pub fn validate(&self) -> Result<(), GraphError> {
        match &self.recipient {
            Recipient::Phone { to } => non_empty("to", to)?,
            Recipient::UserId { recipient } => bounded("recipient", recipient, 1, MAX_USER_ID)?,
        }
        if let Some(context) = &self.context {
            bounded("context.message_id", &context.message_id, 1, MAX_WAMID)?;
        }
        if let Some(data) = &self.biz_opaque_callback_data {
            at_most("biz_opaque_callback_data", data, MAX_CALLBACK_DATA)?;
        }
        match &self.content {
            MessageContent::Text { text } => bounded("text.body", &text.body, 1, MAX_TEXT),
            MessageContent::Image { image: media } | MessageContent::Video { video: media } => {
                validate_source(&media.source)?;
                optional_at_most("caption", media.caption.as_deref(), MAX_CAPTION)
            }
            MessageContent::Audio { audio } => validate_source(&audio.source),
            MessageContent::Document { document } => validate_document(document),
            MessageContent::Sticker { sticker } => validate_source(sticker),
            MessageContent::Template { template } => validate_template_message(template),
            MessageContent::Interactive { interactive } => validate_interactive(interactive),
            MessageContent::Reaction { reaction } => {
                bounded("reaction.message_id", &reaction.message_id, 1, MAX_WAMID)
            }
        }
    }
}

fn validate_source(source: &MediaSource) -> Result<(), GraphError> {
    match source {
        MediaSource::Id(id) => non_empty("media id", id),
        MediaSource::Link(link) => match url::Url::parse(link) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
            _ => Err(invalid("a media link must be an http or https URL")),
        },
    }
}

fn validate_document(document: &DocumentMedia) -> Result<(), GraphError> {
    validate_source(&document.source)?;
    optional_at_most("caption", document.caption.as_deref(), MAX_CAPTION)?;
    if let Some(filename) = &document.filename {
        non_empty("document.filename", filename)?;
    }
    Ok(())
}

fn validate_template_message(template: &TemplateMessage) -> Result<(), GraphError> {
    validate_template_name(&template.name)?;
    non_empty("template.language.code", &template.language.code)?;
    for component in &template.components {
        let parameters = match component {
            TemplateComponent::Header { parameters } | TemplateComponent::Body { parameters } => {
                parameters
            }
            TemplateComponent::Button { parameters, .. } => {
                if parameters.is_empty() {
                    return Err(invalid("a template button component needs a parameter"));
                }
                continue;
            }
        };
        for parameter in parameters {
            match parameter {
                TemplateParameter::Image { image: source }
                | TemplateParameter::Video { video: source } => validate_source(source)?,
                TemplateParameter::Document { document } => validate_document(document)?,
                TemplateParameter::Text { .. }
                | TemplateParameter::Currency { .. }
                | TemplateParameter::DateTime { .. } => {}
            }
        }
    }
    Ok(())
}

fn validate_interactive(interactive: &Interactive) -> Result<(), GraphError> {
    match interactive {
        Interactive::Button {
            header,
            body,
            footer,
            action,
        } => {
            validate_header(header.as_ref())?;
            bounded("interactive.body.text", &body.text, 1, MAX_BUTTON_BODY)?;
            optional_at_most(
                "interactive.footer.text",
                footer.as_ref().map(|f| f.text.as_str()),
                MAX_FOOTER,
            )?;
            if action.buttons.is_empty() || action.buttons.len() > MAX_REPLY_BUTTONS {
                return Err(invalid(format!(
                    "an interactive button message needs 1 to {MAX_REPLY_BUTTONS} buttons"
                )));
            }
            for button in &action.buttons {
                bounded("button id", &button.id, 1, MAX_BUTTON_ID)?;
                bounded("button title", &button.title, 1, MAX_BUTTON_TITLE)?;
            }
            Ok(())
        }
        Interactive::List {
            header,
            body,
            footer,
            action,
        } => {
            validate_header(header.as_ref())?;
            bounded("interactive.body.text", &body.text, 1, MAX_TEXT)?;
            optional_at_most(
                "interactive.footer.text",
                footer.as_ref().map(|f| f.text.as_str()),
                MAX_FOOTER,
            )?;
            bounded("action.button", &action.button, 1, MAX_LIST_BUTTON)?;
            if action.sections.is_empty() || action.sections.len() > MAX_LIST_SECTIONS {
                return Err(invalid(format!(
                    "a list needs 1 to {MAX_LIST_SECTIONS} sections"
                )));
            }
            let rows: usize = action.sections.iter().map(|s| s.rows.len()).sum();
            if rows == 0 || rows > MAX_LIST_ROWS {
                return Err(invalid(format!(
                    "a list needs 1 to {MAX_LIST_ROWS} rows in total"
                )));
            }
            for row in action.sections.iter().flat_map(|s| &s.rows) {
                bounded("row id", &row.id, 1, MAX_ROW_ID)?;
                bounded("row title", &row.title, 1, MAX_ROW_TITLE)?;
                optional_at_most(
                    "row description",
                    row.description.as_deref(),
                    MAX_ROW_DESCRIPTION,
                )?;
            }
            Ok(())
        }
    }
}

fn validate_header(header: Option<&InteractiveHeader>) -> Result<(), GraphError> {
    match header {
        None => Ok(()),
        Some(InteractiveHeader::Text { text }) => non_empty("interactive.header.text", text),
        Some(InteractiveHeader::Image { image: source })
        | Some(InteractiveHeader::Video { video: source }) => validate_source(source),
        Some(InteractiveHeader::Document { document }) => validate_document(document),
    }
}

/// Template names: 1 to 512 lowercase letters, digits and underscores.
pub(crate) fn validate_template_name(name: &str) -> Result<(), GraphError> {
    let well_formed = !name.is_empty()
        && name.len() <= MAX_TEMPLATE_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if well_formed {
        Ok(())
    } else {
        Err(invalid(format!(
            "a template name has 1 to {MAX_TEMPLATE_NAME} lowercase letters, digits and underscores"
        )))
    }
}

pub(crate) fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::Invalid(message.into())
}

pub(crate) fn non_empty(field: &str, value: &str) -> Result<(), GraphError> {
    if value.trim().is_empty() {
        Err(invalid(format!("{field} must not be empty")))
    } else {
        Ok(())
    }
}

pub(crate) fn at_most(field: &str, value: &str, max: usize) -> Result<(), GraphError> {
    if value.chars().count() > max {
        Err(invalid(format!("{field} is longer than {max} characters")))
    } else {
        Ok(())
    }
}

pub(crate) fn optional_at_most(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<(), GraphError> {
    value.map_or(Ok(()), |v| at_most(field, v, max))
}

pub(crate) fn bounded(field: &str, value: &str, min: usize, max: usize) -> Result<(), GraphError> {
    if min > 0 {
        non_empty(field, value)?;
    }
    at_most(field, value, max)
}

fn is_false(value: &bool) -> bool {
    !*value
}

mod index_as_string {
    use super::*;

    pub fn serialize<S: Serializer>(index: &u8, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&index.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(s) => s.parse().map_err(D::Error::custom),
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .ok_or_else(|| D::Error::custom("a button index is 0 to 255")),
            _ => Err(D::Error::custom("a button index is a string or a number")),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------

/// Meta accepted a message (HTTP 200 means accepted, not delivered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendResult {
    /// The recipient's WhatsApp id, when Meta resolved one.
    pub wa_id: Option<String>,
    /// The `to` as Meta received it.
    pub input: String,
    /// The wamid that status webhooks will name.
    pub message_id: String,
    /// Only for paced templates: `accepted` or `held_for_quality_assessment`.
    pub message_status: Option<String>,
}

/// `GET /{media-id}`. The `url` expires after five minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaInfo {
    pub url: String,
    pub mime_type: String,
    pub sha256: String,
    #[serde(deserialize_with = "flexible::u64")]
    pub file_size: u64,
    pub id: String,
}

/// One page of a WABA's templates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplatePage {
    pub data: Vec<Template>,
    /// The cursor of the next page; `None` on the last page.
    pub after: Option<String>,
}

/// A message template as Meta lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub name: String,
    pub id: String,
    pub language: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`, ...
    #[serde(default)]
    pub status: String,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    #[serde(default)]
    pub category: String,
    /// `positional` or `named`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<String>,
    #[serde(default)]
    pub components: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_score: Option<QualityScore>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityScore {
    /// `GREEN`, `YELLOW`, `RED` or `UNKNOWN`.
    pub score: String,
    #[serde(default, deserialize_with = "flexible::option_i64")]
    pub date: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TemplateCategory {
    Marketing,
    Utility,
    Authentication,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterFormat {
    Positional,
    Named,
}

/// `POST /{waba}/message_templates`. `components` are Meta's creation components
/// (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`) as JSON, examples included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTemplate {
    pub name: String,
    pub language: String,
    pub category: TemplateCategory,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<ParameterFormat>,
    pub components: Vec<Value>,
}

impl NewTemplate {
    /// Checks the name (lowercase letters, digits, underscores, at most 512) and that every
    /// `{{n}}` or `{{name}}` placeholder of the header and body text has an example.
    pub fn validate(&self) -> Result<(), GraphError> {
        validate_template_name(&self.name)?;
        non_empty("language", &self.language)?;
        let named = self.parameter_format == Some(ParameterFormat::Named);
        for component in &self.components {
            let kind = component
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_uppercase();
            let part = match kind.as_str() {
                "HEADER" => "header",
                "BODY" => "body",
                _ => continue,
            };
            let Some(text) = component.get("text").and_then(Value::as_str) else {
                continue;
            };
            let placeholders = placeholders(text)?;
            if placeholders.is_empty() {
                continue;
            }
            let example = component.get("example");
            if named {
                let examples = example
                    .and_then(|e| e.get(format!("{part}_text_named_params")))
                    .and_then(Value::as_array);
                for name in &placeholders {
                    if name.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(invalid(format!(
                            "{part}: {{{{{name}}}}} is positional but the template is named"
                        )));
                    }
                    let has_example = examples.is_some_and(|list| {
                        list.iter().any(|e| {
                            e.get("param_name").and_then(Value::as_str) == Some(name.as_str())
                                && e.get("example")
                                    .and_then(Value::as_str)
                                    .is_some_and(|s| !s.trim().is_empty())
                        })
                    });
                    if !has_example {
                        return Err(invalid(format!("{part}: {{{{{name}}}}} has no example")));
                    }
                }
            } else {
                let mut highest = 0usize;
                for name in &placeholders {
                    let index: usize = name.parse().map_err(|_| {
                        invalid(format!(
                            "{part}: {{{{{name}}}}} is named but the template is positional"
                        ))
                    })?;
                    if index == 0 {
                        return Err(invalid(format!("{part}: placeholders start at {{{{1}}}}")));
                    }
                    highest = highest.max(index);
                }
                // The header's examples are a flat list, the body's a list of lists.
                let examples = example.and_then(|e| e.get(format!("{part}_text")));
                let examples = match part {
                    "header" => examples,
                    _ => examples.and_then(|e| e.get(0)),
                }
                .and_then(Value::as_array);
                let given = examples.map_or(0, |list| {
                    list.iter()
                        .take_while(|e| e.as_str().is_some_and(|s| !s.trim().is_empty()))
                        .count()
                });
                if given < highest {
                    return Err(invalid(format!(
                        "{part}: {highest} placeholders but {given} examples"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// The inner names of `{{...}}` placeholders, in order of appearance.
fn placeholders(text: &str) -> Result<Vec<String>, GraphError> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(invalid("a template placeholder is not closed with }}"));
        };
        let name = after[..end].trim();
        let well_formed = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !well_formed {
            return Err(invalid(format!(
                "{{{{{name}}}}} is not a valid placeholder"
            )));
        }
        if !found.iter().any(|f| f == name) {
            found.push(name.to_owned());
        }
        rest = &after[end + 2..];
    }
    Ok(found)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedTemplate {
    pub id: String,
    /// `PENDING` until Meta reviews it (sometimes `APPROVED` at once).
    pub status: String,
    pub category: String,
}

/// A business phone number, with the fields the client requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    pub id: String,
    /// Formatted for display: `+1 555-0100`.
    #[serde(default)]
    pub display_phone_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_name: Option<String>,
    /// `GREEN`, `YELLOW`, `RED` or `UNKNOWN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_rating: Option<String>,
    /// `VERIFIED`, `NOT_VERIFIED` or `EXPIRED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_verification_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_status: Option<String>,
    /// `CONNECTED` is required to send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `CLOUD_API`, `ON_PREMISE` or `NOT_APPLICABLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<Throughput>,
    /// Per-number tier of the v21 era (`TIER_1K`, ...), deprecated by Meta.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_limit_tier: Option<String>,
    /// The business portfolio's limit since 2025-10-07; kept as text whatever its JSON shape.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "flexible::option_text"
    )]
    pub whatsapp_business_manager_messaging_limit: Option<String>,
}

impl PhoneNumber {
    /// `STANDARD`, `HIGH`, ... when Meta reported it.
    pub fn throughput_level(&self) -> Option<&str> {
        self.throughput.as_ref().map(|t| t.level.as_str())
    }

    /// The messaging limit: the portfolio's when known, else the number's older tier.
    pub fn messaging_limit(&self) -> Option<&str> {
        self.whatsapp_business_manager_messaging_limit
            .as_deref()
            .or(self.messaging_limit_tier.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Throughput {
    pub level: String,
}

/// `GET /{pn}/whatsapp_business_profile`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertical: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub websites: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_picture_url: Option<String>,
}

/// `POST /{pn}/whatsapp_business_profile`: only the fields that are set change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessProfileUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertical: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub websites: Option<Vec<String>>,
    /// A handle from the resumable upload API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_picture_handle: Option<String>,
}

impl BusinessProfileUpdate {
    /// Checks Meta's documented limits: about 1–139, address ≤256, description ≤512,
    /// email ≤128, at most 2 websites.
    pub fn validate(&self) -> Result<(), GraphError> {
        if let Some(about) = &self.about {
            bounded("about", about, 1, 139)?;
        }
        optional_at_most("address", self.address.as_deref(), 256)?;
        optional_at_most("description", self.description.as_deref(), 512)?;
        optional_at_most("email", self.email.as_deref(), 128)?;
        if let Some(websites) = &self.websites {
            if websites.len() > 2 {
                return Err(invalid("a business profile has at most 2 websites"));
            }
            for website in websites {
                non_empty("website", website)?;
            }
        }
        Ok(())
    }
}

/// `GET /debug_token`: what a token may do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebugToken {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default)]
    pub is_valid: bool,
    /// Unix seconds; 0 means the token does not expire.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "flexible::option_i64"
    )]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub granular_scopes: Vec<GranularScope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GranularScope {
    pub scope: String,
    /// The assets (WABA ids, ...) the scope covers.
    #[serde(default)]
    pub target_ids: Vec<String>,
}

impl DebugToken {
    /// True when `scope` is granted for `target_id` explicitly (listed in `target_ids`).
    pub fn grants(&self, scope: &str, target_id: &str) -> bool {
        self.granular_scopes
            .iter()
            .any(|g| g.scope == scope && g.target_ids.iter().any(|t| t == target_id))
    }
}

/// Lenient deserializers: Meta writes some numbers as strings and vice versa.
pub(crate) mod flexible {
    use super::*;

    fn number(value: &Value) -> Option<i64> {
        match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn i64_of(value: &Value) -> Option<i64> {
        number(value)
    }

    pub fn f64_of(value: &Value) -> Option<f64> {
        match value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        let value = Value::deserialize(deserializer)?;
        number(&value)
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| D::Error::custom("expected a non-negative integer"))
    }

    pub fn option_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        let value = Option::<Value>::deserialize(deserializer)?;
        Ok(value.as_ref().and_then(number))
    }

    /// A string as is; a number or an object as its JSON text; null as `None`.
    pub fn option_text<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        Ok(match Option::<Value>::deserialize(deserializer)? {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => Some(other.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_outbound_message_round_trips_through_meta_json() {
        let message = OutboundMessage::document(
            "5511999990000",
            MediaSource::Link("https://example.com/a.pdf".into()),
            Some("a.pdf".into()),
            Some("Invoice".into()),
        )
        .reply_to("wamid.X");
        let wire = serde_json::to_value(&message).unwrap();
        assert_eq!(
            wire,
            json!({"to": "5511999990000", "context": {"message_id": "wamid.X"}, "type": "document",
                   "document": {"link": "https://example.com/a.pdf", "caption": "Invoice", "filename": "a.pdf"}})
        );
        let back: OutboundMessage = serde_json::from_value(wire).unwrap();
        assert_eq!(back, message);
    }

    #[test]
    fn the_access_token_never_prints() {
        let token = AccessToken::new("EAAB-very-secret");
        assert_eq!(format!("{token} {token:?}"), "<secret> <secret>");
    }

    #[test]
    fn template_names_are_lowercase_words() {
        assert!(validate_template_name("order_update_2").is_ok());
        for bad in ["", "Order", "order-update", "order update", "ação"] {
            assert!(validate_template_name(bad).is_err(), "{bad}");
        }
        assert!(validate_template_name(&"a".repeat(513)).is_err());
    }
}
