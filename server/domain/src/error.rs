//! What can go wrong, in terms the caller can act on.
//!
//! Each area has its own error enum with the failures of that area as variants
//! (`OrganizationError`, `InboxError`, `WhatsAppError`), and each wraps [`CommonError`], the
//! failures every area shares, so that `?` carries them across. Every one is a [`Problem`]: a
//! stable [`Code`] that the GraphQL edge puts in `extensions.code` (and the HTTP routes turn
//! into a status), and a message for the person who asked. An internal cause is logged,
//! never shown.

use wagent_auth::Role;

use crate::values::InvalidValue;

/// The codes clients branch on. Adding one is a promise to the SPA (`web/src/lib/errors.ts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Unauthenticated,
    Forbidden,
    NotFound,
    Validation,
    Conflict,
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::Validation => "VALIDATION",
            Self::Conflict => "CONFLICT",
            Self::Internal => "INTERNAL",
        }
    }
}

/// An error the domain (or an edge) returns: its `Display` is the message for the caller,
/// [`Problem::code`] the code.
pub trait Problem: std::error::Error + Send + Sync + 'static {
    fn code(&self) -> Code;

    /// For [`Code::Internal`]: what went wrong inside (the innermost cause), for the log.
    fn internal_cause(&self) -> String {
        let mut cause = self.source();
        while let Some(inner) = cause.and_then(std::error::Error::source) {
            cause = Some(inner);
        }
        cause.map_or_else(|| self.to_string(), ToString::to_string)
    }

    /// PostgreSQL gave up on the transaction for another's sake (a deadlock, a serialization
    /// conflict): the same work, tried again, will most likely pass.
    fn lost_to_another_transaction(&self) -> bool {
        self.code() == Code::Internal && {
            let cause = self.internal_cause();
            cause.contains("deadlock detected") || cause.contains("could not serialize")
        }
    }
}

/// The failures every area shares: who is calling and what they may do, what does not exist,
/// a value that does not parse, and our own faults.
#[derive(Debug, thiserror::Error)]
pub enum CommonError {
    #[error("sign in or send a valid API token")]
    Unauthenticated,
    #[error("expected `Authorization: Bearer <token>`")]
    MalformedAuthorization,
    #[error("sign-in is not configured on this server; use an API token")]
    SignInDisabled,
    #[error("your session is invalid or has expired; sign in again")]
    SessionExpired,
    #[error("this API token has expired")]
    TokenExpired,
    #[error("this API token has been revoked")]
    TokenRevoked,
    /// The caller's role is below the one the operation needs.
    #[error("{}", role_needed(*.0))]
    RoleNeeded(Role),
    #[error("this API token is read-only")]
    ReadOnlyToken,
    #[error("this needs a signed-in user, not an API token")]
    PeopleOnly,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    #[error("internal error")]
    Internal(#[source] Internal),
}

fn role_needed(needed: Role) -> &'static str {
    match needed {
        Role::Owner => "only an Owner of this organization can do this",
        Role::Admin => "you need the Admin or Owner role in this organization",
        Role::Member => "you are not a member of this organization",
    }
}

/// An internal cause, kept for the log.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Internal(pub String);

impl CommonError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(Internal(cause.to_string()))
    }
}

impl Problem for CommonError {
    fn code(&self) -> Code {
        match self {
            Self::Unauthenticated
            | Self::MalformedAuthorization
            | Self::SignInDisabled
            | Self::SessionExpired
            | Self::TokenExpired
            | Self::TokenRevoked => Code::Unauthenticated,
            Self::RoleNeeded(_) | Self::ReadOnlyToken | Self::PeopleOnly => Code::Forbidden,
            Self::NotFound(_) => Code::NotFound,
            Self::Invalid(_) => Code::Validation,
            Self::Internal(_) => Code::Internal,
        }
    }
}

/// A value that does not parse, alone (as the edges parse some before asking the domain).
impl Problem for InvalidValue {
    fn code(&self) -> Code {
        Code::Validation
    }
}

impl From<wagent_db::Error> for CommonError {
    fn from(e: wagent_db::Error) -> Self {
        Self::internal(e)
    }
}

impl From<diesel::result::Error> for CommonError {
    fn from(e: diesel::result::Error) -> Self {
        Self::internal(e)
    }
}

/// For an area's error that wraps [`CommonError`] as its `Common` variant: lets `?` bring in
/// what every area meets besides, values that do not parse and database errors (internal).
macro_rules! wraps_common_error {
    ($area:ty) => {
        impl From<$crate::values::InvalidValue> for $area {
            fn from(e: $crate::values::InvalidValue) -> Self {
                Self::Common(e.into())
            }
        }

        impl From<wagent_db::Error> for $area {
            fn from(e: wagent_db::Error) -> Self {
                Self::Common(e.into())
            }
        }

        impl From<diesel::result::Error> for $area {
            fn from(e: diesel::result::Error) -> Self {
                Self::Common(e.into())
            }
        }
    };
}
pub(crate) use wraps_common_error;

/// The domain's result; an area names its own error (`Result<T, WhatsAppError>`).
pub type Result<T, E = CommonError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_of_an_internal_error_is_its_innermost_source() {
        let e = CommonError::internal("deadlock detected");
        assert_eq!(
            (e.code(), e.to_string()),
            (Code::Internal, "internal error".into())
        );
        assert_eq!(e.internal_cause(), "deadlock detected");
        assert_eq!(
            CommonError::NotFound("message").internal_cause(),
            "message not found"
        );
    }
}
