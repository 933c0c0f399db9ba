use super::{api_tokens::MAX_DAYS, settings::MAX_KEYWORDS};
use crate::{
    error::{Code, CommonError, Problem, wraps_common_error},
    whatsapp::keywords::KEYWORD_MAX_CHARS,
};

/// What organizations, members, invitations and API tokens refuse.
#[derive(Debug, thiserror::Error)]
pub enum OrganizationError {
    #[error(transparent)]
    Common(#[from] CommonError),

    #[error("only an Owner can grant or remove the Owner role")]
    OnlyOwnerGrantsOwner,
    #[error("only an Owner can remove an Owner")]
    OnlyOwnerRemovesOwner,
    #[error("to remove yourself, leave the organization")]
    RemovingYourself,
    #[error("an organization must keep at least one Owner")]
    LastOwner,
    #[error("you are the last Owner: transfer ownership before you leave")]
    LastOwnerLeaving,
    #[error("you already own this organization")]
    AlreadyOwner,

    #[error("API tokens cannot invite members")]
    TokensCannotInvite,
    #[error("only an Owner can invite another Owner")]
    OnlyOwnerInvitesOwner,
    #[error("{0} is already a member")]
    AlreadyMember(String),
    #[error("only a pending invitation can be revoked")]
    InvitationNotPending,
    #[error("this invitation link is malformed; ask for a new one")]
    MalformedInvitation,
    #[error("this invitation has already been used")]
    InvitationUsed,
    #[error("this invitation has been revoked")]
    InvitationRevoked,
    #[error("this invitation has expired; ask for a new one")]
    InvitationExpired,
    #[error("this invitation is for {0}; sign in with that address to accept it")]
    InvitationForAnother(String),
    #[error("verify your e-mail address with your identity provider first")]
    EmailUnverified,
    #[error("you are already a member of this organization")]
    YouAreAlreadyMember,

    #[error("API tokens cannot create API tokens")]
    TokensCannotCreateTokens,
    #[error("only an Owner can create a token with the Owner role")]
    OnlyOwnerCreatesOwnerTokens,
    #[error("a token lasts between 1 and {max} days", max = MAX_DAYS)]
    TokenLifetime,
    #[error("this token is already revoked")]
    TokenAlreadyRevoked,

    #[error("add at least one {0} keyword")]
    NoKeywords(&'static str),
    #[error("at most {max} {0} keywords", max = MAX_KEYWORDS)]
    TooManyKeywords(&'static str),
    #[error("`{0}` is not a keyword: it needs a letter or a digit")]
    NotAKeyword(String),
    #[error("`{0}…` is too long: a keyword is at most {max} characters", max = KEYWORD_MAX_CHARS)]
    KeywordTooLong(String),
    #[error("`{0}` is listed twice (keywords are compared without case or accents)")]
    KeywordTwice(String),
    #[error("`{0}` cannot both stop and resume marketing messages")]
    KeywordBothWays(String),
}

wraps_common_error!(OrganizationError);

impl Problem for OrganizationError {
    fn code(&self) -> Code {
        match self {
            Self::Common(e) => e.code(),
            Self::OnlyOwnerGrantsOwner
            | Self::OnlyOwnerRemovesOwner
            | Self::TokensCannotInvite
            | Self::OnlyOwnerInvitesOwner
            | Self::InvitationForAnother(_)
            | Self::EmailUnverified
            | Self::TokensCannotCreateTokens
            | Self::OnlyOwnerCreatesOwnerTokens => Code::Forbidden,
            Self::AlreadyMember(_) | Self::YouAreAlreadyMember => Code::Conflict,
            Self::RemovingYourself
            | Self::LastOwner
            | Self::LastOwnerLeaving
            | Self::AlreadyOwner
            | Self::InvitationNotPending
            | Self::MalformedInvitation
            | Self::InvitationUsed
            | Self::InvitationRevoked
            | Self::InvitationExpired
            | Self::TokenLifetime
            | Self::TokenAlreadyRevoked
            | Self::NoKeywords(_)
            | Self::TooManyKeywords(_)
            | Self::NotAKeyword(_)
            | Self::KeywordTooLong(_)
            | Self::KeywordTwice(_)
            | Self::KeywordBothWays(_) => Code::Validation,
        }
    }
}
