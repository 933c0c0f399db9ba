//! What a message is: its direction, kind and status, stored as the lower-case text they
//! always were (`inbound`, `image`, `delivered`), so no stored row changed.

use crate::values::{InvalidValue, text_column};

/// Who wrote a message: the customer (`inbound`) or the business (`outbound`).
///
/// A column constraint keeps the database to these two; anything else read back is refused.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum MessageDirection {
    Inbound,
    Outbound,
}

impl MessageDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
        }
    }

    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        match text {
            "inbound" => Ok(Self::Inbound),
            "outbound" => Ok(Self::Outbound),
            _ => Err(unknown("message direction", text)),
        }
    }
}

text_column!(MessageDirection, |text| Ok(MessageDirection::parse(&text)?));

/// What a message holds: Meta's message types as the inbox stores them.
///
/// Inbound messages of a type this version does not know are stored as `Unsupported` (their
/// content is kept in the payload). A kind read back from the database that this version does
/// not know (written by a newer one) also reads as `Unsupported`: it shows as an unsupported
/// message and is never sent, and the stored text is left as it is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum MessageKind {
    Text,
    Image,
    Video,
    Audio,
    Document,
    Sticker,
    Location,
    Contacts,
    Interactive,
    Button,
    Reaction,
    Order,
    /// Meta's notice, such as a customer's number changing.
    System,
    Template,
    Unsupported,
}

impl MessageKind {
    pub const ALL: [Self; 15] = [
        Self::Text,
        Self::Image,
        Self::Video,
        Self::Audio,
        Self::Document,
        Self::Sticker,
        Self::Location,
        Self::Contacts,
        Self::Interactive,
        Self::Button,
        Self::Reaction,
        Self::Order,
        Self::System,
        Self::Template,
        Self::Unsupported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Document => "document",
            Self::Sticker => "sticker",
            Self::Location => "location",
            Self::Contacts => "contacts",
            Self::Interactive => "interactive",
            Self::Button => "button",
            Self::Reaction => "reaction",
            Self::Order => "order",
            Self::System => "system",
            Self::Template => "template",
            Self::Unsupported => "unsupported",
        }
    }

    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| unknown("message kind", text))
    }

    /// A file sent by Meta's media id, uploaded before the message.
    pub fn is_media(self) -> bool {
        matches!(
            self,
            Self::Image | Self::Video | Self::Audio | Self::Document
        )
    }
}

text_column!(MessageKind, |text| Ok(
    MessageKind::parse(&text).unwrap_or(MessageKind::Unsupported)
));

/// Where a message stands. An outbound one moves `pending` (queued here) → `accepted` (Meta
/// took it) → `sent` → `delivered` → `read` (→ `played` for a voice note), or ends `failed`;
/// an inbound one is `received`.
///
/// Only this code writes these (Meta's statuses it does not know are not stored), so a status
/// read back from the database that this version does not know is refused rather than
/// guessed: ranking or retrying on a guess would be wrong.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum MessageStatus {
    Pending,
    Accepted,
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
    Received,
}

impl MessageStatus {
    pub const ALL: [Self; 8] = [
        Self::Pending,
        Self::Accepted,
        Self::Sent,
        Self::Delivered,
        Self::Read,
        Self::Played,
        Self::Failed,
        Self::Received,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Played => "played",
            Self::Failed => "failed",
            Self::Received => "received",
        }
    }

    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| unknown("message status", text))
    }

    /// The rank of a status: a message's current status is the highest-ranked one it
    /// received, whatever the order of arrival. `failed` is terminal: it outranks every other,
    /// so a late `delivered` or `read` never hides a failure (every status stays in
    /// `message_statuses`). `received` is an inbound message's only status.
    pub fn rank(self) -> u8 {
        match self {
            Self::Pending | Self::Received => 0,
            Self::Accepted => 1,
            Self::Sent => 2,
            Self::Delivered => 3,
            Self::Read => 4,
            Self::Played => 5,
            Self::Failed => 9,
        }
    }

    /// Whether a message at `current` moves to this status when it arrives.
    pub fn supersedes(self, current: Self) -> bool {
        self.rank() > current.rank()
    }
}

text_column!(MessageStatus, |text| Ok(MessageStatus::parse(&text)?));

fn unknown(what: &'static str, text: &str) -> InvalidValue {
    InvalidValue::Unknown {
        what,
        value: text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back_as_the_text_it_is_stored_as() {
        for direction in [MessageDirection::Inbound, MessageDirection::Outbound] {
            assert_eq!(MessageDirection::parse(direction.as_str()), Ok(direction));
        }
        for kind in MessageKind::ALL {
            assert_eq!(MessageKind::parse(kind.as_str()), Ok(kind));
        }
        for status in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(status.as_str()), Ok(status));
        }
        assert_eq!(MessageKind::Template.to_string(), "template");
    }

    #[test]
    fn unknown_text_is_refused_by_name() {
        assert_eq!(
            MessageStatus::parse("DELIVERED").unwrap_err().to_string(),
            "`DELIVERED` is not a message status"
        );
        assert_eq!(
            MessageDirection::parse("sideways").unwrap_err().to_string(),
            "`sideways` is not a message direction"
        );
        assert!(MessageKind::parse("poll").is_err());
    }

    #[test]
    fn failed_outranks_every_status_and_nothing_moves_back() {
        use MessageStatus::*;
        let order = [Pending, Accepted, Sent, Delivered, Read, Played, Failed];
        for pair in order.windows(2) {
            assert!(pair[1].supersedes(pair[0]), "{pair:?}");
            assert!(!pair[0].supersedes(pair[1]), "{pair:?}");
        }
        for status in MessageStatus::ALL {
            assert!(!status.supersedes(Failed), "{status:?}");
            assert!(!status.supersedes(status), "{status:?}");
        }
    }
}
