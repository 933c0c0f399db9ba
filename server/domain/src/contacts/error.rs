//! What editing contacts, their fields and segments refuses.

use crate::{
    CommonError,
    error::{Code, Problem, wraps_common_error},
};

#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    #[error(transparent)]
    Common(#[from] CommonError),
    /// A value the contact page or an integrator gave that is not one (the reason names it).
    #[error("{0}")]
    Value(String),
    /// A value for one of the organization's fields that its kind refuses.
    #[error("{key}: {reason}")]
    FieldValue { key: String, reason: String },
    #[error("there is no contact field `{0}`")]
    NoSuchField(String),
    #[error(
        "`{0}` is not a field key: a lowercase letter first, then up to 39 lowercase letters, digits or `_`"
    )]
    NotAFieldKey(String),
    #[error("`{0}` is what contacts already have: choose another key")]
    BuiltInKey(String),
    #[error("`{0}` is not a field kind: text, number, date, boolean or choice")]
    NotAFieldKind(String),
    #[error("a contact field `{0}` already exists")]
    FieldTaken(String),
    #[error("an organization has at most {0} contact fields")]
    TooManyFields(usize),
    #[error("the field `{key}` is used by the segment(s) {segments}: change them first")]
    FieldInUse { key: String, segments: String },
    #[error("a segment named `{0}` already exists")]
    SegmentNameTaken(String),
    #[error("an organization has at most {0} segments")]
    TooManySegments(usize),
    /// A segment's filter that cannot be used (the reason names the condition).
    #[error("{0}")]
    Filter(String),
}

wraps_common_error!(ContactError);

impl Problem for ContactError {
    fn code(&self) -> Code {
        match self {
            Self::Common(e) => e.code(),
            Self::FieldTaken(_) | Self::FieldInUse { .. } | Self::SegmentNameTaken(_) => {
                Code::Conflict
            }
            Self::Value(_)
            | Self::FieldValue { .. }
            | Self::NoSuchField(_)
            | Self::NotAFieldKey(_)
            | Self::BuiltInKey(_)
            | Self::NotAFieldKind(_)
            | Self::TooManyFields(_)
            | Self::TooManySegments(_)
            | Self::Filter(_) => Code::Validation,
        }
    }

    fn internal_cause(&self) -> String {
        match self {
            Self::Common(e) => e.internal_cause(),
            other => other.to_string(),
        }
    }
}
