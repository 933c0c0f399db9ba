//! What the chat and embeddings clients share: the endpoint URL, the HTTP client, retries
//! with backoff, the mapping of error statuses, and bounded reads.

use std::{future::Future, time::Duration};

use rand::Rng;
use reqwest::{Response, StatusCode, header};
use url::Url;

use crate::{
    ApiKey, LlmError,
    assemble::{WireError, WireErrorDetail},
};

/// How much of an error body the client reads, and how much of a non-JSON one it keeps.
const MAX_ERROR_BODY: usize = 64 * 1024;
const ERROR_EXCERPT: usize = 300;

/// `{base_url}/{path}`, keeping any path the base URL has.
pub(crate) fn endpoint(base_url: &str, path: &str) -> Result<Url, LlmError> {
    let mut base = Url::parse(base_url)
        .map_err(|e| LlmError::Config(format!("the base URL is not a URL: {e}")))?;
    if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
        return Err(LlmError::Config(
            "the base URL must be an http or https URL".into(),
        ));
    }
    // `Url::join` drops the last segment unless the path ends with a slash, and a base
    // like `https://host/v1` must keep its `v1`.
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.join(path)
        .map_err(|e| LlmError::Config(format!("cannot build the endpoint URL: {e}")))
}

pub(crate) fn http_client(connect_timeout: Duration) -> Result<reqwest::Client, LlmError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // No client-wide timeout: it would cut long streams; each call sets its own bounds.
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .user_agent(concat!("wagent-llm/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LlmError::Config(format!("cannot build the HTTP client: {e}")))
}

/// A failed attempt and the delay the provider asked for before the next one.
pub(crate) struct Failure {
    pub(crate) error: LlmError,
    pub(crate) retry_after: Option<Duration>,
}

impl From<LlmError> for Failure {
    fn from(error: LlmError) -> Self {
        Failure {
            error,
            retry_after: None,
        }
    }
}

/// How often and how long to try again after a transient failure.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt.
    pub(crate) max_retries: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
}

impl RetryPolicy {
    /// Runs `attempt` until it succeeds, fails with an error that retrying cannot help, or
    /// the retries run out.
    pub(crate) async fn run<T, F, Fut>(&self, mut attempt: F) -> Result<T, LlmError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let mut retries = 0;
        loop {
            let failure = match attempt().await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            if retries >= self.max_retries || !is_retried(&failure.error) {
                return Err(failure.error);
            }
            let delay = self.delay(retries, failure.retry_after);
            tracing::warn!(
                error = %failure.error,
                retry = retries + 1,
                delay_ms = delay.as_millis() as u64,
                "LLM request failed; retrying"
            );
            tokio::time::sleep(delay).await;
            retries += 1;
        }
    }

    /// Exponential backoff with jitter (half to all of the step), or the provider's
    /// `Retry-After`, both capped.
    fn delay(&self, retries: u32, retry_after: Option<Duration>) -> Duration {
        let cap = self.max_delay;
        if let Some(asked) = retry_after {
            return asked.min(cap);
        }
        let step = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retries))
            .min(cap);
        let half = step / 2;
        half + half.mul_f64(rand::rng().random_range(0.0..=1.0))
    }
}

/// Errors the clients retry by themselves; the rest go straight to the caller.
fn is_retried(error: &LlmError) -> bool {
    matches!(
        error,
        LlmError::RateLimited { .. }
            | LlmError::Server(_)
            | LlmError::Timeout
            | LlmError::Transport(_)
    )
}

/// The error for a response whose status is not a success, with its `Retry-After`.
pub(crate) async fn error_response(mut response: Response, api_key: Option<&ApiKey>) -> Failure {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = read_limited(&mut response, MAX_ERROR_BODY)
        .await
        .unwrap_or_default();
    let error = match status {
        StatusCode::UNAUTHORIZED => LlmError::Unauthorized,
        StatusCode::PAYMENT_REQUIRED => LlmError::PaymentRequired,
        StatusCode::TOO_MANY_REQUESTS => LlmError::RateLimited { retry_after },
        s if s.is_server_error() => LlmError::Server(s.as_u16()),
        s => LlmError::BadRequest {
            status: s.as_u16(),
            message: error_message(&body, api_key),
        },
    };
    tracing::debug!(status = status.as_u16(), error = %error, "LLM provider answered an error");
    Failure { error, retry_after }
}

/// The provider's `error.message`, or the start of the body; never the API key.
fn error_message(body: &[u8], api_key: Option<&ApiKey>) -> String {
    let message = match serde_json::from_slice::<WireError>(body) {
        Ok(WireError {
            error: WireErrorDetail {
                message: Some(message),
            },
        }) => message,
        _ => {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            match text.char_indices().nth(ERROR_EXCERPT) {
                Some((end, _)) => format!("{}…", &text[..end]),
                None => text.to_owned(),
            }
        }
    };
    match api_key {
        Some(key) if !key.expose().is_empty() => message.replace(key.expose(), "[redacted]"),
        _ => message,
    }
}

/// The whole body, failing as soon as it grows past `max` rather than after reading it.
pub(crate) async fn read_limited(response: &mut Response, max: usize) -> Result<Vec<u8>, LlmError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&e))? {
        if body.len() + chunk.len() > max {
            return Err(LlmError::TooLarge { limit: max });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

pub(crate) fn transport_error(error: &reqwest::Error) -> LlmError {
    if error.is_timeout() {
        return LlmError::Timeout;
    }
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    LlmError::Transport(text)
}
