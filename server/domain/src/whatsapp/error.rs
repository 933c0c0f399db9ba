use chrono::{DateTime, Utc};
use wagent_meta::{ErrorClass, GraphError};

use super::media::accepted_types;
use crate::{
    error::{Code, CommonError, Problem, wraps_common_error},
    inbox::MessageKind,
};

/// What connecting, sending, media, templates and webhooks refuse.
#[derive(Debug, thiserror::Error)]
pub enum WhatsAppError {
    #[error(transparent)]
    Common(#[from] CommonError),
    #[error("WhatsApp is not configured on this server")]
    NotConfigured,

    #[error("the {0} is a number of up to 64 digits")]
    NotAMetaId(&'static str),
    #[error("the access token is empty or too long")]
    AccessTokenLength,
    #[error("phone number {number} is not in WhatsApp Business Account {waba}")]
    NumberNotInAccount { number: String, waba: String },
    #[error("{0} is connected to another organization")]
    ConnectedElsewhere(String),
    #[error("Embedded Signup needs META_APP_ID and META_APP_SECRET on the server")]
    SignupNotConfigured,
    #[error("the signup code is missing")]
    SignupCodeMissing,

    /// Meta refused the call for good ([`WhatsAppError::from_graph`] sorts Meta's answers).
    #[error("Meta refused: {0}")]
    MetaRefused(GraphError),
    #[error("Meta refused the access token: {0}")]
    MetaRefusedToken(GraphError),
    #[error("Meta is not answering right now, try again: {0}")]
    MetaUnavailable(GraphError),
    /// Beyond what Meta documents it takes (a template, a business profile), checked before
    /// asking.
    #[error("{0}")]
    BeyondMetaLimits(GraphError),

    #[error("a message has 1 to 4096 characters")]
    MessageLength,
    #[error("too many or too long template parameters")]
    TemplateParameters,
    #[error("this number is disconnected; connect it again to send")]
    NumberDisconnected,
    #[error(
        "the 24-hour window closed at {}; only an approved template can be sent now",
        .0.format("%Y-%m-%d %H:%M UTC")
    )]
    WindowClosedAt(DateTime<Utc>),
    #[error("the customer has not written yet; only an approved template can be sent")]
    CustomerNeverWrote,
    #[error("the 24-hour window is closed; only an approved template can be sent now")]
    WindowClosed,
    #[error("only a failed message sent from here can be retried")]
    NotRetryable,

    #[error("WhatsApp does not take files of type `{0}`; send one of: {types}", types = accepted_types())]
    UnsupportedMediaType(String),
    #[error("a {kind} of type {mime} may be at most {mb} MB", mb = .limit / 1_000_000)]
    FileTooLarge {
        kind: MessageKind,
        mime: &'static str,
        limit: u64,
    },
    #[error("a caption has at most 1024 characters")]
    CaptionTooLong,
    #[error("the upload did not complete")]
    UploadInterrupted,
    #[error("the file is empty")]
    EmptyFile,
    #[error("the file's content is not {0}")]
    ContentNotOfType(&'static str),
    #[error("this media link has expired or is not valid")]
    MediaLinkInvalid,

    #[error("the category is MARKETING, UTILITY or AUTHENTICATION")]
    NotATemplateCategory,
    #[error(
        "the body has {parameters} parameter(s) and {examples} example(s): give one example per parameter"
    )]
    TemplateExamples { parameters: usize, examples: usize },

    /// A webhook's message that names no customer (recorded in `webhook_failures`).
    #[error("the message names neither a phone number nor a user id")]
    NoSender,
}

wraps_common_error!(WhatsAppError);

impl WhatsAppError {
    /// Meta's refusal, in words for the person who asked.
    pub(crate) fn from_graph(e: GraphError) -> Self {
        match e.class() {
            ErrorClass::Reauthenticate => Self::MetaRefusedToken(e),
            ErrorClass::Final => Self::MetaRefused(e),
            _ => Self::MetaUnavailable(e),
        }
    }
}

impl Problem for WhatsAppError {
    fn code(&self) -> Code {
        match self {
            Self::Common(e) => e.code(),
            Self::MediaLinkInvalid => Code::Forbidden,
            Self::ConnectedElsewhere(_) => Code::Conflict,
            Self::NotConfigured
            | Self::NotAMetaId(_)
            | Self::AccessTokenLength
            | Self::NumberNotInAccount { .. }
            | Self::SignupNotConfigured
            | Self::SignupCodeMissing
            | Self::MetaRefused(_)
            | Self::MetaRefusedToken(_)
            | Self::MetaUnavailable(_)
            | Self::BeyondMetaLimits(_)
            | Self::MessageLength
            | Self::TemplateParameters
            | Self::NumberDisconnected
            | Self::WindowClosedAt(_)
            | Self::CustomerNeverWrote
            | Self::WindowClosed
            | Self::NotRetryable
            | Self::UnsupportedMediaType(_)
            | Self::FileTooLarge { .. }
            | Self::CaptionTooLong
            | Self::UploadInterrupted
            | Self::EmptyFile
            | Self::ContentNotOfType(_)
            | Self::NotATemplateCategory
            | Self::TemplateExamples { .. }
            | Self::NoSender => Code::Validation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_people_see_them() {
        let closed = DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
        assert_eq!(
            WhatsAppError::WindowClosedAt(closed).to_string(),
            "the 24-hour window closed at 2026-11-18 11:06 UTC; only an approved template can be sent now"
        );
        let too_large = WhatsAppError::FileTooLarge {
            kind: MessageKind::Image,
            mime: "image/png",
            limit: 5_000_000,
        };
        assert_eq!(
            too_large.to_string(),
            "a image of type image/png may be at most 5 MB"
        );
        assert!(
            WhatsAppError::UnsupportedMediaType("image/svg+xml".into())
                .to_string()
                .starts_with(
                    "WhatsApp does not take files of type `image/svg+xml`; send one of: image/jpeg, image/png, audio/aac"
                )
        );
        assert_eq!(
            WhatsAppError::TemplateExamples {
                parameters: 2,
                examples: 1
            }
            .to_string(),
            "the body has 2 parameter(s) and 1 example(s): give one example per parameter"
        );
        assert_eq!(WhatsAppError::NotConfigured.code(), Code::Validation);
        assert_eq!(WhatsAppError::MediaLinkInvalid.code(), Code::Forbidden);
        assert_eq!(
            WhatsAppError::from(CommonError::NotFound("conversation")).code(),
            Code::NotFound
        );
    }
}
