//! What can go wrong when calling the Graph API, and what the caller should do about it.
//!
//! Meta's answer is classified by its numeric `error.code` only: titles and messages are
//! prose that Meta rewords, and the HTTP status of throttling errors differs between
//! Meta's own pages (400 or 429).

use std::time::Duration;

/// An error from a [`GraphClient`](crate::GraphClient) call.
///
/// No variant ever carries the access token, the app secret or an OAuth code: the client
/// scrubs them from everything Meta or the transport says before building the error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// Meta answered with its JSON error body.
    #[error(
        "Meta answered HTTP {http_status} with error {code}{}: {message}",
        subcode_suffix(*.subcode)
    )]
    Api {
        http_status: u16,
        code: i64,
        subcode: Option<i64>,
        message: String,
        /// `error.error_data.details`, the most specific explanation Meta gives.
        details: Option<String>,
        fbtrace_id: Option<String>,
    },
    /// An error status whose body is not Meta's JSON error (a proxy page, an empty body).
    #[error("Meta answered HTTP {http_status} without a Graph error body: {body}")]
    Http {
        http_status: u16,
        /// The start of the body, at most a few hundred characters.
        body: String,
    },
    /// No connection could be made (refused, DNS, TLS handshake): the request never left,
    /// so it certainly was not acted on.
    #[error("cannot connect to Meta: {0}")]
    Unreachable(String),
    /// The request did not complete once sent (a reset connection): Meta may or may not
    /// have acted on it.
    #[error("cannot reach Meta: {0}")]
    Transport(String),
    /// No complete answer within the configured timeout.
    #[error("Meta did not answer in time")]
    Timeout,
    /// A success status with a body that is not the documented shape.
    #[error("cannot read Meta's answer: {0}")]
    Decode(String),
    /// Refused before sending: the request breaks one of Meta's documented limits.
    #[error("invalid request: {0}")]
    Invalid(String),
    /// A download was larger than the caller's limit.
    #[error("the media is larger than the allowed size")]
    TooLarge,
}

fn subcode_suffix(subcode: Option<i64>) -> String {
    subcode
        .map(|s| format!(" (subcode {s})"))
        .unwrap_or_default()
}

/// What a caller should do after an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// Retry the same request later (with back-off).
    Transient,
    /// A rate limit: slow down, then retry.
    Throttled,
    /// Retrying the same request will fail the same way.
    Final,
    /// The access token is invalid or expired: the account must be connected again.
    Reauthenticate,
}

impl ErrorClass {
    /// Classifies one of Meta's error codes, from an HTTP answer or a webhook's `errors[]`.
    pub fn of_code(code: i64) -> ErrorClass {
        match code {
            0 | 190 => ErrorClass::Reauthenticate,
            4 | 80007 | 130429 | 131048 | 131056 | 133016 => ErrorClass::Throttled,
            1 | 2 | 131000 | 131016 | 131057 => ErrorClass::Transient,
            _ => ErrorClass::Final,
        }
    }
}

impl GraphError {
    /// What to do about this error; see [`ErrorClass::of_code`] for Meta's codes.
    pub fn class(&self) -> ErrorClass {
        match self {
            GraphError::Api { code, .. } => ErrorClass::of_code(*code),
            GraphError::Http { http_status, .. } => match http_status {
                429 => ErrorClass::Throttled,
                408 | 500..=599 => ErrorClass::Transient,
                _ => ErrorClass::Final,
            },
            GraphError::Unreachable(_) | GraphError::Transport(_) | GraphError::Timeout => {
                ErrorClass::Transient
            }
            GraphError::Decode(_) | GraphError::Invalid(_) | GraphError::TooLarge => {
                ErrorClass::Final
            }
        }
    }

    /// Meta's error code, when Meta sent one.
    pub fn code(&self) -> Option<i64> {
        match self {
            GraphError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The HTTP status of Meta's answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            GraphError::Api { http_status, .. } | GraphError::Http { http_status, .. } => {
                Some(*http_status)
            }
            _ => None,
        }
    }

    /// True for a 404: for [`download_media`](crate::GraphClient::download_media) it means
    /// the five-minute URL expired, so fetch a fresh one with `media_info`.
    pub fn is_not_found(&self) -> bool {
        self.http_status() == Some(404)
    }

    /// A first delay before retrying, or `None` when retrying the same request is pointless.
    ///
    /// This is a floor for the first attempt; growing it between attempts (for 131056,
    /// Meta suggests 4^attempt seconds) is the caller's business.
    pub fn retry_after(&self) -> Option<Duration> {
        let seconds = match (self.class(), self.code()) {
            (ErrorClass::Final | ErrorClass::Reauthenticate, _) => return None,
            // Throughput is counted per second.
            (_, Some(130429)) => 1,
            // One message per 6 s to the same user.
            (_, Some(131056)) => 6,
            // App and WABA call limits are counted per hour.
            (_, Some(4 | 80007)) => 300,
            // Spam rate limit: a quality signal, so wait a good while.
            (_, Some(131048)) => 900,
            // Ten registration attempts per 72 h.
            (_, Some(133016)) => 3600,
            // A throughput upgrade lasts up to a minute.
            (_, Some(131057)) => 60,
            (ErrorClass::Throttled, _) => 60,
            (ErrorClass::Transient, _) => 5,
        };
        Some(Duration::from_secs(seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_code_table() {
        for code in [0, 190] {
            assert_eq!(ErrorClass::of_code(code), ErrorClass::Reauthenticate);
        }
        for code in [4, 80007, 130429, 131048, 131056, 133016] {
            assert_eq!(ErrorClass::of_code(code), ErrorClass::Throttled);
        }
        for code in [1, 2, 131000, 131016, 131057] {
            assert_eq!(ErrorClass::of_code(code), ErrorClass::Transient);
        }
        for code in [3, 10, 100, 200, 368, 131026, 131047, 131049, 132001, 133010] {
            assert_eq!(ErrorClass::of_code(code), ErrorClass::Final);
        }
    }

    #[test]
    fn only_retryable_errors_suggest_a_delay() {
        let api = |code| GraphError::Api {
            http_status: 400,
            code,
            subcode: None,
            message: String::new(),
            details: None,
            fbtrace_id: None,
        };
        assert_eq!(api(130429).retry_after(), Some(Duration::from_secs(1)));
        assert_eq!(api(131056).retry_after(), Some(Duration::from_secs(6)));
        assert_eq!(api(190).retry_after(), None);
        assert_eq!(api(100).retry_after(), None);
        assert_eq!(
            GraphError::Timeout.retry_after(),
            Some(Duration::from_secs(5))
        );
        let gateway = GraphError::Http {
            http_status: 502,
            body: String::new(),
        };
        assert_eq!(gateway.class(), ErrorClass::Transient);
    }
}
