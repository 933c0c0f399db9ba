//! The chat-completions client: `POST {base}/chat/completions`, streaming or not, with
//! retries on the provider's transient failures and bounds on time and size.

use std::{
    collections::VecDeque,
    fmt,
    future::Future,
    pin::Pin,
    sync::{Arc, OnceLock},
    task::{Context, Poll},
    time::Duration,
};

use futures::{Stream, StreamExt, stream::BoxStream};
use reqwest::{Response, header};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use url::Url;

use crate::{
    ChatRequest, Completion, CompletionBuilder, Delta, FinishReason, LlmError, Message, Tool,
    ToolCall, ToolChoice, Usage,
    assemble::{check_not_empty, parse_chunk},
    http::{self, Failure, RetryPolicy, read_limited, transport_error},
    sse::{SseDecoder, SseEvent},
    types::WireUsage,
};

/// The provider's API key. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(..)")
    }
}

/// Where the provider is, which key and model to use, and how long and how often to try.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmConfig {
    /// `https://api.deepseek.com` in production; tests point it at the fake (the `fake`
    /// feature's `FakeLlm`).
    pub base_url: String,
    /// `None` switches the LLM off: calls fail with [`LlmError::NotConfigured`] without
    /// sending anything.
    pub api_key: Option<ApiKey>,
    /// The model of a request that names none.
    pub default_model: String,
    /// A whole non-streaming attempt, queueing at the provider included; for a stream, the
    /// wait for the response headers.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// The longest silence in a stream. Keep-alive comments count as activity, so a
    /// request waiting in the provider's queue does not trip it.
    pub idle_timeout: Duration,
    /// A whole stream, from the request to `[DONE]`. The provider itself drops a request
    /// that has not started after 10 minutes.
    pub stream_timeout: Duration,
    /// Retries after the first attempt on 429, 5xx, timeouts and transport errors.
    pub max_retries: u32,
    /// The first retry waits about this long, doubling each time (with jitter).
    pub retry_base_delay: Duration,
    /// The longest wait between attempts, `Retry-After` included.
    pub max_retry_delay: Duration,
    /// The largest non-streaming body, and the most a stream may send in total.
    pub max_response_bytes: usize,
    /// The longest line (and event) of a stream.
    pub max_line_bytes: usize,
}

impl Default for LlmConfig {
    fn default() -> Self {
        Self {
            base_url: "https://api.deepseek.com".into(),
            api_key: None,
            default_model: "deepseek-flash".into(),
            timeout: Duration::from_secs(180),
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            stream_timeout: Duration::from_secs(600),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(500),
            max_retry_delay: Duration::from_secs(30),
            max_response_bytes: 16 * 1024 * 1024,
            max_line_bytes: 1024 * 1024,
        }
    }
}

/// A client for the provider's chat-completions API. Cheap to clone; share one per process.
#[derive(Debug, Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    endpoint: Url,
    config: Arc<LlmConfig>,
}

impl LlmClient {
    pub fn new(config: LlmConfig) -> Result<Self, LlmError> {
        let endpoint = http::endpoint(&config.base_url, "chat/completions")?;
        let http = http::http_client(config.connect_timeout)?;
        Ok(Self {
            http,
            endpoint,
            config: Arc::new(config),
        })
    }

    /// False when no API key is configured: the LLM is off and callers should fall back
    /// (hand the conversation to people) instead of calling.
    pub fn is_configured(&self) -> bool {
        self.config.api_key.is_some()
    }

    /// The model used when a request names none.
    pub fn default_model(&self) -> &str {
        &self.config.default_model
    }

    /// Asks for a whole answer at once (`"stream": false`).
    ///
    /// Retries 429, 5xx, timeouts and transport errors with backoff; fails with
    /// [`LlmError::EmptyAnswer`] when the answer has neither text nor tool calls.
    pub async fn complete(&self, request: &ChatRequest) -> Result<Completion, LlmError> {
        let body = self.wire_request(request, false)?;
        let completion = self.with_retries(|| self.complete_once(&body)).await?;
        check_not_empty(completion)
    }

    /// Asks for a streamed answer (`"stream": true`) and returns once the provider has
    /// accepted the request; the deltas follow in the [`DeltaStream`].
    ///
    /// Failures before the stream starts are retried like [`complete`](Self::complete)'s;
    /// a stream that breaks later ends with the error and is not retried (the caller may
    /// already have shown part of it).
    pub async fn stream(&self, request: &ChatRequest) -> Result<DeltaStream, LlmError> {
        let body = self.wire_request(request, true)?;
        let started = Instant::now();
        let response = self
            .with_retries(|| async {
                let response = tokio::time::timeout(self.config.timeout, self.send(&body))
                    .await
                    .map_err(|_| LlmError::Timeout)??;
                Ok::<_, Failure>(response)
            })
            .await?;
        Ok(DeltaStream::new(
            response,
            &self.config,
            started + self.config.stream_timeout,
        ))
    }

    /// [`stream`](Self::stream), calling `on_delta` with each delta as it arrives, then
    /// assembled into the final [`Completion`].
    pub async fn stream_completion(
        &self,
        request: &ChatRequest,
        on_delta: impl FnMut(&Delta),
    ) -> Result<Completion, LlmError> {
        self.stream(request).await?.finish_with(on_delta).await
    }

    fn wire_request<'a>(
        &'a self,
        request: &'a ChatRequest,
        stream: bool,
    ) -> Result<WireRequest<'a>, LlmError> {
        if self.config.api_key.is_none() {
            return Err(LlmError::NotConfigured);
        }
        Ok(WireRequest {
            model: request
                .model
                .as_deref()
                .unwrap_or(&self.config.default_model),
            messages: &request.messages,
            // The provider ignores it with thinking on; leaving it out says so.
            temperature: request.temperature.filter(|_| !request.thinking),
            max_tokens: request.max_tokens,
            tools: &request.tools,
            tool_choice: request.tool_choice.as_ref(),
            user_id: request.user_id.as_deref(),
            thinking: Thinking {
                kind: if request.thinking {
                    "enabled"
                } else {
                    "disabled"
                },
            },
            response_format: request.json_output.then_some(ResponseFormat {
                kind: "json_object",
            }),
            stream,
            stream_options: stream.then_some(StreamOptions {
                include_usage: true,
            }),
        })
    }

    /// Sends the request and returns the response if its status is a success.
    async fn send(&self, body: &WireRequest<'_>) -> Result<Response, Failure> {
        let key = self
            .config
            .api_key
            .as_ref()
            .ok_or(LlmError::NotConfigured)?;
        let accept = if body.stream {
            "text/event-stream"
        } else {
            "application/json"
        };
        let response = self
            .http
            .post(self.endpoint.clone())
            .bearer_auth(key.expose())
            .header(header::ACCEPT, accept)
            .json(body)
            .send()
            .await
            .map_err(|e| transport_error(&e))?;
        if response.status().is_success() {
            return Ok(response);
        }
        Err(http::error_response(response, self.config.api_key.as_ref()).await)
    }

    async fn complete_once(&self, body: &WireRequest<'_>) -> Result<Completion, Failure> {
        let attempt = async {
            let mut response = self.send(body).await?;
            let bytes = read_limited(&mut response, self.config.max_response_bytes).await?;
            // While a request waits in the queue the provider sends blank lines before the
            // body; serde_json skips leading whitespace.
            let wire: WireCompletion = serde_json::from_slice(&bytes).map_err(|e| {
                LlmError::Decode(format!("the answer is not a chat completion: {e}"))
            })?;
            Ok::<_, Failure>(wire.into_completion()?)
        };
        tokio::time::timeout(self.config.timeout, attempt)
            .await
            .map_err(|_| LlmError::Timeout)?
    }

    async fn with_retries<T, F, Fut>(&self, attempt: F) -> Result<T, LlmError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        RetryPolicy {
            max_retries: self.config.max_retries,
            base_delay: self.config.retry_base_delay,
            max_delay: self.config.max_retry_delay,
        }
        .run(attempt)
        .await
    }
}

/// The request body on the wire.
#[derive(Debug, Serialize)]
struct WireRequest<'a> {
    model: &'a str,
    messages: &'a [Message],
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tools: &'a [Tool],
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_choice: Option<&'a ToolChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<&'a str>,
    thinking: Thinking,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<ResponseFormat>,
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<StreamOptions>,
}

#[derive(Debug, Serialize)]
struct Thinking {
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct ResponseFormat {
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct StreamOptions {
    include_usage: bool,
}

/// A `chat.completion` object.
#[derive(Debug, Deserialize)]
struct WireCompletion {
    #[serde(default)]
    model: String,
    #[serde(default)]
    choices: Vec<WireChoice>,
    #[serde(default)]
    usage: Option<WireUsage>,
}

#[derive(Debug, Deserialize)]
struct WireChoice {
    #[serde(default)]
    index: usize,
    message: WireMessage,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireMessage {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    reasoning_content: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<ToolCall>>,
}

impl WireCompletion {
    fn into_completion(self) -> Result<Completion, LlmError> {
        let choice = self
            .choices
            .into_iter()
            .find(|c| c.index == 0)
            .ok_or_else(|| LlmError::Decode("the answer has no choices".into()))?;
        Ok(Completion {
            model: self.model,
            content: choice.message.content.unwrap_or_default(),
            reasoning_content: choice.message.reasoning_content.filter(|r| !r.is_empty()),
            tool_calls: choice.message.tool_calls.unwrap_or_default(),
            finish_reason: choice
                .finish_reason
                .as_deref()
                .map_or_else(|| FinishReason::Other(String::new()), FinishReason::parse),
            usage: self.usage.map(Usage::from),
        })
    }
}

/// The deltas of a streamed answer, in order. Ends after `[DONE]`, or with one error.
///
/// Each item waits at most the idle timeout (keep-alive comments reset it), and the whole
/// stream at most the stream timeout.
pub struct DeltaStream {
    inner: BoxStream<'static, Result<Delta, LlmError>>,
    model: Arc<OnceLock<String>>,
}

impl fmt::Debug for DeltaStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeltaStream")
            .field("model", &self.model.get())
            .finish_non_exhaustive()
    }
}

impl DeltaStream {
    fn new(response: Response, config: &LlmConfig, deadline: Instant) -> Self {
        let model = Arc::new(OnceLock::new());
        let reader = StreamReader {
            response,
            decoder: SseDecoder::new(config.max_line_bytes),
            pending: VecDeque::new(),
            done: false,
            finished: false,
            received: 0,
            max_total: config.max_response_bytes,
            idle: config.idle_timeout,
            deadline,
            model: model.clone(),
        };
        let inner = futures::stream::unfold(Some(reader), |reader| async move {
            let mut reader = reader?;
            match reader.next_delta().await {
                Ok(Some(delta)) => Some((Ok(delta), Some(reader))),
                Ok(None) => None,
                // One error ends the stream.
                Err(error) => Some((Err(error), None)),
            }
        })
        .boxed();
        Self { inner, model }
    }

    /// The model that answers, once the first chunk has named it.
    pub fn model(&self) -> Option<&str> {
        self.model.get().map(String::as_str)
    }

    /// Reads the rest of the stream into one [`Completion`].
    pub async fn finish(self) -> Result<Completion, LlmError> {
        self.finish_with(|_| {}).await
    }

    /// [`finish`](Self::finish), calling `on_delta` with each delta as it arrives.
    pub async fn finish_with(
        mut self,
        mut on_delta: impl FnMut(&Delta),
    ) -> Result<Completion, LlmError> {
        let mut builder = CompletionBuilder::new();
        while let Some(delta) = self.inner.next().await {
            let delta = delta?;
            on_delta(&delta);
            builder.push(&delta);
        }
        if let Some(model) = self.model.get() {
            builder.model(model);
        }
        builder.finish()
    }
}

impl Stream for DeltaStream {
    type Item = Result<Delta, LlmError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// The state of a stream being read.
struct StreamReader {
    response: Response,
    decoder: SseDecoder,
    pending: VecDeque<Delta>,
    /// `[DONE]` arrived.
    done: bool,
    /// A finish reason arrived, so an end without `[DONE]` loses nothing.
    finished: bool,
    received: usize,
    max_total: usize,
    idle: Duration,
    deadline: Instant,
    model: Arc<OnceLock<String>>,
}

impl StreamReader {
    async fn next_delta(&mut self) -> Result<Option<Delta>, LlmError> {
        let mut events = Vec::new();
        loop {
            if let Some(delta) = self.pending.pop_front() {
                return Ok(Some(delta));
            }
            if self.done {
                return Ok(None);
            }
            let wake = (Instant::now() + self.idle).min(self.deadline);
            let chunk = tokio::time::timeout_at(wake, self.response.chunk())
                .await
                .map_err(|_| LlmError::Timeout)?
                .map_err(|e| transport_error(&e))?;
            match chunk {
                Some(chunk) => {
                    self.received += chunk.len();
                    if self.received > self.max_total {
                        return Err(LlmError::TooLarge {
                            limit: self.max_total,
                        });
                    }
                    self.decoder.push(&chunk, &mut events)?;
                }
                None => {
                    self.decoder.finish(&mut events)?;
                    self.take(&mut events)?;
                    if !self.done && !self.finished {
                        return Err(LlmError::Transport(
                            "the stream ended before the answer finished".into(),
                        ));
                    }
                    self.done = true;
                    continue;
                }
            }
            self.take(&mut events)?;
        }
    }

    fn take(&mut self, events: &mut Vec<SseEvent>) -> Result<(), LlmError> {
        for event in events.drain(..) {
            match event {
                // Anything after `[DONE]` is ignored.
                _ if self.done => {}
                SseEvent::Done => self.done = true,
                SseEvent::Data(data) => {
                    let (model, delta) = parse_chunk(&data)?;
                    if let Some(model) = model {
                        let _ = self.model.set(model);
                    }
                    if let Some(delta) = delta {
                        self.finished |= delta.finish_reason.is_some();
                        self.pending.push_back(delta);
                    }
                }
            }
        }
        Ok(())
    }
}
