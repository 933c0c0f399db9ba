//! What can go wrong when asking the provider for a completion or for embeddings, and what
//! the caller should do about it.

use std::time::Duration;

/// An error from an [`LlmClient`](crate::LlmClient) or
/// [`EmbeddingsClient`](crate::EmbeddingsClient) call.
///
/// No variant carries the API key: the provider's error messages are kept, but the client
/// scrubs the key from them first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// The chat client has no API key, or the embeddings client no base URL: the feature is
    /// switched off, and the caller should not have asked (see
    /// [`LlmClient::is_configured`](crate::LlmClient::is_configured) and
    /// [`EmbeddingsClient::is_configured`](crate::EmbeddingsClient::is_configured)).
    #[error("the LLM provider is not configured (no API key, or no embeddings URL)")]
    NotConfigured,
    /// The client's configuration cannot work (a base URL that is not a URL).
    #[error("invalid LLM client configuration: {0}")]
    Config(String),
    /// 401: the API key is wrong or revoked. Only the owner can fix it.
    #[error("the LLM provider refused the API key (401)")]
    Unauthorized,
    /// 402: the account's balance is exhausted. Only the owner can fix it.
    #[error("the LLM provider account has no balance left (402)")]
    PaymentRequired,
    /// 429: too many requests at once for the account.
    #[error("the LLM provider is rate limiting (429)")]
    RateLimited {
        /// What the provider's `Retry-After` header asked for, when it sent one.
        retry_after: Option<Duration>,
    },
    /// A 5xx answer: the provider is overloaded or failing.
    #[error("the LLM provider failed with HTTP {0}")]
    Server(u16),
    /// Any other 4xx (400 malformed request, 422 invalid parameters, ...): sending the same
    /// request again fails the same way.
    #[error("the LLM provider rejected the request (HTTP {status}): {message}")]
    BadRequest {
        status: u16,
        /// `error.message` from the provider's body, or the start of the body.
        message: String,
    },
    /// No answer within the configured timeout, or a stream that went quiet for longer than
    /// the idle timeout.
    #[error("the LLM provider did not answer in time")]
    Timeout,
    /// The connection failed or broke, or a stream ended before it finished.
    #[error("cannot reach the LLM provider: {0}")]
    Transport(String),
    /// The provider sent an error in the middle of a stream.
    #[error("the LLM provider interrupted the stream: {0}")]
    Interrupted(String),
    /// A success status with a body that is not the documented shape (for embeddings, also
    /// vectors that do not match the inputs).
    #[error("cannot read the LLM provider's answer: {0}")]
    Decode(String),
    /// The answer (or one line of a stream) is larger than the configured bound.
    #[error("the LLM provider's answer is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// The answer has neither text nor tool calls. In JSON mode this is how the provider
    /// fails; asking again usually works.
    #[error("the LLM provider answered with nothing")]
    EmptyAnswer,
}

impl LlmError {
    /// True when sending the same request again may succeed.
    ///
    /// The client already retries these (except [`EmptyAnswer`](Self::EmptyAnswer) and
    /// [`Interrupted`](Self::Interrupted), which arrive after the answer began) up to its
    /// configured limit, so seeing one means those retries ran out.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            LlmError::RateLimited { .. }
                | LlmError::Server(_)
                | LlmError::Timeout
                | LlmError::Transport(_)
                | LlmError::Interrupted(_)
                | LlmError::EmptyAnswer
        )
    }

    /// True when only the account's owner can fix this (a wrong key, no balance): tell
    /// them, and hand conversations to people meanwhile.
    pub fn needs_owner(&self) -> bool {
        matches!(self, LlmError::Unauthorized | LlmError::PaymentRequired)
    }

    /// The HTTP status of the provider's answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            LlmError::Unauthorized => Some(401),
            LlmError::PaymentRequired => Some(402),
            LlmError::RateLimited { .. } => Some(429),
            LlmError::Server(status) | LlmError::BadRequest { status, .. } => Some(*status),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_errors_are_not_retried() {
        for e in [LlmError::Unauthorized, LlmError::PaymentRequired] {
            assert!(e.needs_owner());
            assert!(!e.is_retryable());
        }
        let bad = LlmError::BadRequest {
            status: 422,
            message: "bad".into(),
        };
        assert!(!bad.is_retryable());
        assert!(!bad.needs_owner());
        assert!(LlmError::Server(503).is_retryable());
        assert!(LlmError::RateLimited { retry_after: None }.is_retryable());
        assert_eq!(LlmError::PaymentRequired.http_status(), Some(402));
    }
}
