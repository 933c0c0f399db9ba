use crate::error::{Code, CommonError, Problem, wraps_common_error};

/// What the inbox refuses.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error(transparent)]
    Common(#[from] CommonError),
    #[error("a conversation has at most 20 labels")]
    TooManyLabels,
    #[error("`{0}` is not a label: 1 to 32 letters, digits, spaces, - or _")]
    NotALabel(String),
    #[error("the assignee is not a member of this organization")]
    AssigneeNotMember,
    #[error("a note has 1 to 4096 characters")]
    NoteLength,
    #[error("a shortcut has 1 to 32 letters, digits, - or _")]
    NotAShortcut,
    #[error("a canned response has 1 to 4096 characters")]
    CannedResponseLength,
    #[error("the shortcut /{0} is taken")]
    ShortcutTaken(String),
}

wraps_common_error!(InboxError);

impl Problem for InboxError {
    fn code(&self) -> Code {
        match self {
            Self::Common(e) => e.code(),
            Self::ShortcutTaken(_) => Code::Conflict,
            Self::TooManyLabels
            | Self::NotALabel(_)
            | Self::AssigneeNotMember
            | Self::NoteLength
            | Self::NotAShortcut
            | Self::CannedResponseLength => Code::Validation,
        }
    }
}
