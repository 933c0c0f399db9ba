use std::fmt;

/// What went wrong, in terms the caller can act on. The GraphQL edge maps each variant to a
/// stable `extensions.code`; `Internal` causes are logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("sign in or send a valid API token")]
    Unauthenticated,
    /// Unauthenticated, with the reason the caller needs (revoked, expired).
    #[error("{0}")]
    UnauthenticatedBecause(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    Conflict(String),
    #[error("internal error")]
    Internal(Internal),
}

/// An internal cause, kept for the log.
#[derive(Debug)]
pub struct Internal(pub String);

impl fmt::Display for Internal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl DomainError {
    pub fn forbidden(msg: impl Into<String>) -> Self {
        Self::Forbidden(msg.into())
    }

    pub fn unauthenticated_because(msg: impl Into<String>) -> Self {
        Self::UnauthenticatedBecause(msg.into())
    }

    pub fn validation(msg: impl Into<String>) -> Self {
        Self::Validation(msg.into())
    }

    pub fn internal(msg: impl fmt::Display) -> Self {
        Self::Internal(Internal(msg.to_string()))
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated | Self::UnauthenticatedBecause(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Validation(_) => "VALIDATION",
            Self::Conflict(_) => "CONFLICT",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

impl From<wagent_db::Error> for DomainError {
    fn from(e: wagent_db::Error) -> Self {
        Self::internal(e)
    }
}

impl From<diesel::result::Error> for DomainError {
    fn from(e: diesel::result::Error) -> Self {
        Self::internal(e)
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;
