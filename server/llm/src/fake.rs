//! A local stand-in for the provider that speaks its wire format, for tests.
//!
//! [`FakeLlm::start`] binds `127.0.0.1:0` and serves `POST /chat/completions`. It records
//! every request ([`FakeLlm::requests`]) and answers from a queue of scripted [`Reply`]s,
//! falling back to a default (a fixed text, or a closure of the request) when the queue is
//! empty. Streamed answers look like the provider's: `chat.completion.chunk` events with
//! `: keep-alive` comments and blank lines between them, text and tool-call arguments split
//! over several chunks, each event written in two pieces, usage in the last chunk, then
//! `data: [DONE]`. `/embeddings` is a 404, as at DeepSeek.
//!
//! [`FakeEmbeddings::start`] is a separate server for the embeddings client: it serves
//! `POST /embeddings` in the OpenAI format with deterministic vectors that count words, so
//! that texts sharing words (or words declared synonyms) come out similar.

use std::{
    collections::{HashMap, VecDeque},
    io,
    net::SocketAddr,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use poem::{
    Addr, Body, EndpointExt, IntoEndpoint, Response, Route, Server,
    endpoint::make,
    http::{StatusCode, header},
    listener::{Acceptor, Listener, TcpListener},
};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot, watch};

use crate::{ApiKey, EmbeddingsConfig, LlmConfig, Usage};

/// What the fake says when nothing is scripted.
pub const DEFAULT_TEXT: &str = "Hello from the fake LLM.";
/// The API key in [`FakeLlm::config`] and [`FakeEmbeddings::config`].
pub const FAKE_API_KEY: &str = "sk-fake-test-key";

const MAX_BODY: usize = 32 * 1024 * 1024;
/// How often a queued request hears a keep-alive.
const KEEP_ALIVE_EVERY: Duration = Duration::from_millis(50);
/// The pause between the two halves of an event, so that they reach the client apart.
const SPLIT_PAUSE: Duration = Duration::from_millis(1);

type Responder = Arc<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

/// A running fake provider. It stops when dropped.
pub struct FakeLlm {
    base_url: String,
    shared: Arc<Shared>,
    _stop: oneshot::Sender<()>,
}

struct Shared {
    recorder: Recorder,
    queue: Mutex<VecDeque<Reply>>,
    default: Mutex<Responder>,
    delay: Mutex<Duration>,
    next_id: AtomicU64,
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// Names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body as JSON (`Value::Null` when it was not JSON).
    pub body: Value,
    pub raw_body: String,
}

impl RecordedRequest {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The key from `Authorization: Bearer ...`.
    pub fn bearer(&self) -> Option<&str> {
        self.header("authorization")?.strip_prefix("Bearer ")
    }

    pub fn model(&self) -> Option<&str> {
        self.body.get("model")?.as_str()
    }

    pub fn is_stream(&self) -> bool {
        self.body.get("stream").and_then(Value::as_bool) == Some(true)
    }

    /// The `messages` array (empty when missing).
    pub fn messages(&self) -> &[Value] {
        self.body
            .get("messages")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The content of the last `user` message, for closures that answer by what was asked.
    pub fn last_user_message(&self) -> Option<&str> {
        self.messages()
            .iter()
            .rev()
            .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))?
            .get("content")?
            .as_str()
    }

    /// True unless the request turned thinking off (the provider's default is on).
    pub fn thinking_enabled(&self) -> bool {
        self.body.pointer("/thinking/type").and_then(Value::as_str) != Some("disabled")
    }
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    kind: ReplyKind,
    delay: Duration,
    queued_for: Duration,
    stall_after: Option<usize>,
    usage: Option<Usage>,
    headers: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
enum ReplyKind {
    Answer {
        content: String,
        reasoning: Option<String>,
        /// Name and arguments' JSON text.
        tool_calls: Vec<(String, String)>,
        finish_reason: String,
    },
    Raw {
        status: u16,
        content_type: String,
        body: Vec<u8>,
    },
}

impl Reply {
    fn new(kind: ReplyKind) -> Self {
        Self {
            kind,
            delay: Duration::ZERO,
            queued_for: Duration::ZERO,
            stall_after: None,
            usage: None,
            headers: Vec::new(),
        }
    }

    /// A text answer (`finish_reason: "stop"`).
    pub fn text(content: impl Into<String>) -> Self {
        Self::new(ReplyKind::Answer {
            content: content.into(),
            reasoning: None,
            tool_calls: Vec::new(),
            finish_reason: "stop".into(),
        })
    }

    /// One tool call (`finish_reason: "tool_calls"`).
    pub fn tool_call(name: impl Into<String>, arguments: Value) -> Self {
        Self::tool_calls([(name, arguments)])
    }

    /// Several tool calls in one answer.
    pub fn tool_calls<N: Into<String>>(calls: impl IntoIterator<Item = (N, Value)>) -> Self {
        Self::new(ReplyKind::Answer {
            content: String::new(),
            reasoning: None,
            tool_calls: calls
                .into_iter()
                .map(|(name, arguments)| (name.into(), arguments.to_string()))
                .collect(),
            finish_reason: "tool_calls".into(),
        })
    }

    /// An error status with the provider's body, `{"error": {"message": ...}}`.
    pub fn error(status: u16, message: impl Into<String>) -> Self {
        let body = json!({
            "error": {
                "message": message.into(),
                "type": error_type(status),
                "param": null,
                "code": null,
            }
        });
        Self::raw(status, "application/json", body.to_string())
    }

    /// Exactly these bytes (malformed answers, odd statuses).
    pub fn raw(status: u16, content_type: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self::new(ReplyKind::Raw {
            status,
            content_type: content_type.into(),
            body: body.into(),
        })
    }

    /// Adds text to a tool-call answer, or replaces a text answer's.
    pub fn with_content(mut self, text: impl Into<String>) -> Self {
        if let ReplyKind::Answer { content, .. } = &mut self.kind {
            *content = text.into();
        }
        self
    }

    /// Adds thinking (`reasoning_content`) before the answer.
    pub fn with_reasoning(mut self, text: impl Into<String>) -> Self {
        if let ReplyKind::Answer { reasoning, .. } = &mut self.kind {
            *reasoning = Some(text.into());
        }
        self
    }

    pub fn with_finish_reason(mut self, reason: impl Into<String>) -> Self {
        if let ReplyKind::Answer { finish_reason, .. } = &mut self.kind {
            *finish_reason = reason.into();
        }
        self
    }

    /// Reports this usage instead of one estimated from the sizes of request and answer.
    pub fn with_usage(mut self, usage: Usage) -> Self {
        self.usage = Some(usage);
        self
    }

    /// Adds a response header (`Retry-After`, say).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits this long before anything, headers included (for timeouts).
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends the headers at once, then waits this long as if queued at the provider: a
    /// stream hears `: keep-alive` comments meanwhile, a plain answer blank lines.
    pub fn queued_for(mut self, wait: Duration) -> Self {
        self.queued_for = wait;
        self
    }

    /// A stream that goes silent after this many `data:` events, holding the connection
    /// open until the client leaves (for idle timeouts).
    pub fn stall_after(mut self, events: usize) -> Self {
        self.stall_after = Some(events);
        self
    }
}

fn error_type(status: u16) -> &'static str {
    match status {
        401 => "authentication_error",
        402 => "insufficient_balance",
        429 => "rate_limit_error",
        500..=599 => "server_error",
        _ => "invalid_request_error",
    }
}

impl FakeLlm {
    /// Starts a fake on a free local port.
    ///
    /// # Panics
    /// When no local port can be bound; use [`try_start`](Self::try_start) to handle that.
    pub async fn start() -> FakeLlm {
        match Self::try_start().await {
            Ok(fake) => fake,
            Err(e) => panic!("cannot start the fake LLM: {e}"),
        }
    }

    /// Starts a fake on a free local port.
    pub async fn try_start() -> io::Result<FakeLlm> {
        let shared = Arc::new(Shared {
            recorder: Recorder::new(),
            queue: Mutex::new(VecDeque::new()),
            default: Mutex::new(Arc::new(|_: &RecordedRequest| Reply::text(DEFAULT_TEXT))),
            delay: Mutex::new(Duration::ZERO),
            next_id: AtomicU64::new(1),
        });
        let app = {
            let shared = shared.clone();
            Route::new()
                .at(
                    "/chat/completions",
                    poem::post(make(move |req| chat_completions(shared.clone(), req))),
                )
                .at(
                    "/embeddings",
                    make(|_| async {
                        json_response(
                            StatusCode::NOT_FOUND,
                            &json!({"error": {"message": "Not Found", "type": "invalid_request_error"}}),
                        )
                    }),
                )
                .map_to_response()
        };
        let (base_url, stop) = serve(app, "fake LLM").await?;
        Ok(FakeLlm {
            base_url,
            shared,
            _stop: stop,
        })
    }

    /// `http://127.0.0.1:{port}`, the client's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client configuration for this fake: its URL, [`FAKE_API_KEY`], and short retry
    /// delays so that retry tests run fast.
    pub fn config(&self) -> LlmConfig {
        LlmConfig {
            base_url: self.base_url.clone(),
            api_key: Some(ApiKey::new(FAKE_API_KEY)),
            default_model: "fake-model".into(),
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(2),
            idle_timeout: Duration::from_secs(5),
            stream_timeout: Duration::from_secs(30),
            retry_base_delay: Duration::from_millis(10),
            max_retry_delay: Duration::from_millis(200),
            ..LlmConfig::default()
        }
    }

    /// Queues a reply for the next request that has none.
    pub fn reply(&self, reply: Reply) -> &Self {
        lock(&self.shared.queue).push_back(reply);
        self
    }

    /// Queues a text answer.
    pub fn reply_text(&self, text: impl Into<String>) -> &Self {
        self.reply(Reply::text(text))
    }

    /// Queues a tool call; `arguments` is the arguments object.
    pub fn reply_tool_call(&self, name: impl Into<String>, arguments: Value) -> &Self {
        self.reply(Reply::tool_call(name, arguments))
    }

    /// Queues an error status with the provider's error body.
    pub fn fail(&self, status: u16, message: impl Into<String>) -> &Self {
        self.reply(Reply::error(status, message))
    }

    /// How requests are answered once the queue is empty (by default, [`DEFAULT_TEXT`]).
    pub fn answer_with(
        &self,
        responder: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static,
    ) -> &Self {
        *lock(&self.shared.default) = Arc::new(responder);
        self
    }

    /// A delay before every answer, on top of a reply's own.
    pub fn set_delay(&self, delay: Duration) -> &Self {
        *lock(&self.shared.delay) = delay;
        self
    }

    /// Replies still queued.
    pub fn pending_replies(&self) -> usize {
        lock(&self.shared.queue).len()
    }

    /// Every request so far, in the order received.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.recorder.all()
    }

    pub fn request_count(&self) -> usize {
        self.shared.recorder.count()
    }

    /// Waits until at least `count` requests arrived, and returns them all.
    ///
    /// # Panics
    /// After ten seconds without them.
    pub async fn wait_for_requests(&self, count: usize) -> Vec<RecordedRequest> {
        self.shared.recorder.wait_for(count, "the fake LLM").await
    }
}

/// The requests a fake received, and a way to wait for them.
struct Recorder {
    requests: Mutex<Vec<RecordedRequest>>,
    count: watch::Sender<usize>,
}

impl Recorder {
    fn new() -> Self {
        Self {
            requests: Mutex::new(Vec::new()),
            count: watch::Sender::new(0),
        }
    }

    fn push(&self, record: &RecordedRequest) {
        lock(&self.requests).push(record.clone());
        self.count.send_modify(|n| *n += 1);
    }

    fn all(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    fn count(&self) -> usize {
        *self.count.borrow()
    }

    async fn wait_for(&self, count: usize, fake: &str) -> Vec<RecordedRequest> {
        let mut seen = self.count.subscribe();
        let waited = tokio::time::timeout(Duration::from_secs(10), seen.wait_for(|n| *n >= count));
        if !matches!(waited.await, Ok(Ok(_))) {
            panic!("{fake} received {} requests, not {count}", self.count());
        }
        self.all()
    }
}

/// Serves `app` on a free local port until the returned sender is dropped, and returns
/// its base URL.
async fn serve<E>(app: E, name: &'static str) -> io::Result<(String, oneshot::Sender<()>)>
where
    E: IntoEndpoint + Send + 'static,
    E::Endpoint: 'static,
{
    let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await?;
    let addr = acceptor
        .local_addr()
        .into_iter()
        .find_map(|a| match a.0 {
            Addr::SocketAddr(addr) => Some(addr),
            _ => None,
        })
        .ok_or_else(|| io::Error::other("the listener has no socket address"))?;
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(e) = Server::new_with_acceptor(acceptor)
            .run_with_graceful_shutdown(app, shutdown, Some(Duration::from_millis(100)))
            .await
        {
            tracing::error!(error = %e, "{name} stopped");
        }
    });
    Ok((base_url(addr), stop))
}

fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// Reads a request into a [`RecordedRequest`], or answers 413 when its body is too large.
async fn record(mut req: poem::Request) -> Result<RecordedRequest, Response> {
    let headers = req
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let raw = match req.take_body().into_bytes_limit(MAX_BODY).await {
        Ok(raw) => raw,
        Err(_) => return Err(error_response(413, "Request body too large")),
    };
    Ok(RecordedRequest {
        method: req.method().to_string(),
        path: req.uri().path().to_owned(),
        headers,
        body: serde_json::from_slice(&raw).unwrap_or(Value::Null),
        raw_body: String::from_utf8_lossy(&raw).into_owned(),
    })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A test that panicked while holding the lock leaves data that is still usable.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn chat_completions(shared: Arc<Shared>, req: poem::Request) -> Response {
    let record = match record(req).await {
        Ok(record) => record,
        Err(response) => return response,
    };
    shared.recorder.push(&record);

    if !record.body.is_object() {
        return error_response(
            400,
            "Failed to deserialize the JSON body into the target type",
        );
    }
    if let Some(message) = missing_reasoning(&record) {
        return error_response(400, message);
    }
    let queued = lock(&shared.queue).pop_front();
    let reply = match queued {
        Some(reply) => reply,
        None => {
            let responder = lock(&shared.default).clone();
            responder(&record)
        }
    };
    let delay = reply.delay + *lock(&shared.delay);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let id = format!("fake-{}", shared.next_id.fetch_add(1, Ordering::Relaxed));
    render(reply, &record, &id)
}

/// The provider's rule: with thinking on, an assistant turn with tool calls must carry its
/// reasoning back.
fn missing_reasoning(record: &RecordedRequest) -> Option<&'static str> {
    if !record.thinking_enabled() {
        return None;
    }
    let missing = record.messages().iter().any(|m| {
        m.get("role").and_then(Value::as_str) == Some("assistant")
            && m.get("tool_calls")
                .and_then(Value::as_array)
                .is_some_and(|calls| !calls.is_empty())
            && m.get("reasoning_content").and_then(Value::as_str).is_none()
    });
    missing.then_some(
        "Missing `reasoning_content` field in the assistant message with tool calls (thinking mode)",
    )
}

fn error_response(status: u16, message: &str) -> Response {
    render_raw(&Reply::error(status, message))
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/json")
        .body(body.to_string())
}

fn render_raw(reply: &Reply) -> Response {
    let ReplyKind::Raw {
        status,
        content_type,
        body,
    } = &reply.kind
    else {
        return Response::builder()
            .status(StatusCode::INTERNAL_SERVER_ERROR)
            .finish();
    };
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .content_type(content_type.as_str());
    for (name, value) in &reply.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder.body(body.clone())
}

/// A piece of a streamed body.
enum Step {
    Send(Vec<u8>),
    Wait(Duration),
    /// Go silent until the client leaves.
    Stall,
}

fn render(reply: Reply, record: &RecordedRequest, id: &str) -> Response {
    let ReplyKind::Answer {
        content,
        reasoning,
        tool_calls,
        finish_reason,
    } = &reply.kind
    else {
        return render_raw(&reply);
    };
    let answer =
        Answer {
            id,
            model: record.model().unwrap_or("fake-model"),
            created: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            content,
            reasoning: reasoning.as_deref(),
            tool_calls,
            finish_reason,
            usage: usage_json(reply.usage.unwrap_or_else(|| {
                estimate_usage(record, content, reasoning.as_deref(), tool_calls)
            })),
        };
    let mut steps = Vec::new();
    let queue_ticks = reply
        .queued_for
        .as_millis()
        .div_ceil(KEEP_ALIVE_EVERY.as_millis());
    let (content_type, filler): (&str, &[u8]) = if record.is_stream() {
        ("text/event-stream; charset=utf-8", b": keep-alive\n\n")
    } else {
        ("application/json", b"\n")
    };
    for _ in 0..queue_ticks {
        steps.push(Step::Send(filler.to_vec()));
        steps.push(Step::Wait(KEEP_ALIVE_EVERY));
    }
    if record.is_stream() {
        stream_steps(&answer, reply.stall_after, &mut steps);
    } else {
        steps.push(Step::Send(answer.completion().to_string().into_bytes()));
    }
    let mut builder = Response::builder()
        .status(StatusCode::OK)
        .content_type(content_type)
        .header(header::CACHE_CONTROL, "no-cache");
    for (name, value) in &reply.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let [Step::Send(body)] = steps.as_slice() {
        return builder.body(body.clone());
    }
    builder.body(streamed_body(steps))
}

/// Plays the steps as a chunked body, stopping when the client leaves.
fn streamed_body(steps: Vec<Step>) -> Body {
    let (tx, rx) = mpsc::channel::<Vec<u8>>(4);
    tokio::spawn(async move {
        for step in steps {
            match step {
                Step::Send(bytes) => {
                    if tx.send(bytes).await.is_err() {
                        return;
                    }
                }
                Step::Wait(pause) => tokio::time::sleep(pause).await,
                Step::Stall => {
                    tx.closed().await;
                    return;
                }
            }
        }
    });
    Body::from_bytes_stream(futures::stream::unfold(rx, |mut rx| async move {
        let bytes = rx.recv().await?;
        Some((Ok::<_, io::Error>(bytes), rx))
    }))
}

struct Answer<'a> {
    id: &'a str,
    model: &'a str,
    created: u64,
    content: &'a str,
    reasoning: Option<&'a str>,
    tool_calls: &'a [(String, String)],
    finish_reason: &'a str,
    usage: Value,
}

impl Answer<'_> {
    fn call_id(&self, index: usize) -> String {
        format!("call_{}_{index}", self.id)
    }

    /// A `chat.completion` object.
    fn completion(&self) -> Value {
        let mut message = json!({"role": "assistant", "content": self.content});
        if let Some(reasoning) = self.reasoning {
            message["reasoning_content"] = json!(reasoning);
        }
        if !self.tool_calls.is_empty() {
            message["tool_calls"] = self
                .tool_calls
                .iter()
                .enumerate()
                .map(|(i, (name, arguments))| {
                    json!({
                        "index": i,
                        "id": self.call_id(i),
                        "type": "function",
                        "function": {"name": name, "arguments": arguments},
                    })
                })
                .collect();
        }
        json!({
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "choices": [{
                "index": 0,
                "message": message,
                "logprobs": null,
                "finish_reason": self.finish_reason,
            }],
            "usage": self.usage,
            "system_fingerprint": "fp_fake",
        })
    }

    /// A `chat.completion.chunk` object.
    fn chunk(&self, delta: Value, finish_reason: Option<&str>, usage: Option<&Value>) -> Value {
        let mut chunk = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": "fp_fake",
            "choices": [{
                "index": 0,
                "delta": delta,
                "logprobs": null,
                "finish_reason": finish_reason,
            }],
        });
        if let Some(usage) = usage {
            chunk["usage"] = usage.clone();
        }
        chunk
    }
}

/// The provider's event sequence, with keep-alives and blank lines between events and each
/// event written in two halves.
fn stream_steps(answer: &Answer<'_>, stall_after: Option<usize>, steps: &mut Vec<Step>) {
    let mut chunks = vec![answer.chunk(json!({"role": "assistant", "content": ""}), None, None)];
    if let Some(reasoning) = answer.reasoning {
        for piece in pieces(reasoning, 3) {
            chunks.push(answer.chunk(
                json!({"content": null, "reasoning_content": piece}),
                None,
                None,
            ));
        }
    }
    for piece in pieces(answer.content, 4) {
        chunks.push(answer.chunk(json!({"content": piece}), None, None));
    }
    for (i, (name, arguments)) in answer.tool_calls.iter().enumerate() {
        chunks.push(answer.chunk(
            json!({"tool_calls": [{
                "index": i,
                "id": answer.call_id(i),
                "type": "function",
                "function": {"name": name, "arguments": ""},
            }]}),
            None,
            None,
        ));
        for piece in pieces(arguments, 3) {
            chunks.push(answer.chunk(
                json!({"tool_calls": [{"index": i, "function": {"arguments": piece}}]}),
                None,
                None,
            ));
        }
    }
    chunks.push(answer.chunk(
        json!({"content": ""}),
        Some(answer.finish_reason),
        Some(&answer.usage),
    ));

    steps.push(Step::Send(b": keep-alive\n\n".to_vec()));
    for (i, chunk) in chunks.iter().enumerate() {
        if stall_after == Some(i) {
            steps.push(Step::Stall);
            return;
        }
        let event = format!("data: {chunk}\n\n").into_bytes();
        let (first, second) = event.split_at(event.len() / 2);
        steps.push(Step::Send(first.to_vec()));
        steps.push(Step::Wait(SPLIT_PAUSE));
        steps.push(Step::Send(second.to_vec()));
        match i % 3 {
            0 => steps.push(Step::Send(b": keep-alive\n\n".to_vec())),
            1 => steps.push(Step::Send(b"\n".to_vec())),
            _ => {}
        }
    }
    if stall_after == Some(chunks.len()) {
        steps.push(Step::Stall);
        return;
    }
    steps.push(Step::Send(b"data: [DONE]\n\n".to_vec()));
}

/// `text` in about `count` pieces, split between characters.
fn pieces(text: &str, count: usize) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let size = chars.len().div_ceil(count).max(1);
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

fn estimate_usage(
    record: &RecordedRequest,
    content: &str,
    reasoning: Option<&str>,
    tool_calls: &[(String, String)],
) -> Usage {
    // About four bytes a token, which is what the provider's docs suggest for English.
    let prompt = (record.raw_body.len() as u64 / 4).max(1);
    let reasoning_tokens = reasoning.map(|r| r.len() as u64 / 4);
    let written = content.len()
        + tool_calls
            .iter()
            .map(|(n, a)| n.len() + a.len())
            .sum::<usize>();
    let completion = (written as u64 / 4).max(1) + reasoning_tokens.unwrap_or(0);
    Usage {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
        prompt_cache_hit_tokens: Some(0),
        prompt_cache_miss_tokens: Some(prompt),
        reasoning_tokens,
    }
}

fn usage_json(usage: Usage) -> Value {
    let mut wire = json!({
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "prompt_tokens_details": {"cached_tokens": usage.prompt_cache_hit_tokens.unwrap_or(0)},
    });
    if let Some(hit) = usage.prompt_cache_hit_tokens {
        wire["prompt_cache_hit_tokens"] = json!(hit);
    }
    if let Some(miss) = usage.prompt_cache_miss_tokens {
        wire["prompt_cache_miss_tokens"] = json!(miss);
    }
    if let Some(reasoning) = usage.reasoning_tokens {
        wire["completion_tokens_details"] = json!({"reasoning_tokens": reasoning});
    }
    wire
}

// --- Embeddings ----------------------------------------------------------------------------

/// The length of [`FakeEmbeddings`]' vectors.
pub const FAKE_EMBEDDING_DIMENSIONS: usize = 64;

/// A running fake embeddings server. It stops when dropped.
///
/// The vector of a text counts its words: lower-cased, accents folded (`horário` is
/// `horario`), split on anything not a letter or digit, each word adding 1.0 at
/// `fnv1a(word) % 64`. Texts sharing words are therefore similar, and
/// [`with_synonyms`](Self::with_synonyms) makes different words count as one, so tests can
/// show a search finding a passage that shares no word with the question. Different words
/// can share a dimension by chance; the hash is fixed, so a test that passes keeps passing.
pub struct FakeEmbeddings {
    base_url: String,
    shared: Arc<EmbeddingsShared>,
    _stop: oneshot::Sender<()>,
}

struct EmbeddingsShared {
    recorder: Recorder,
    /// Scripted answers (errors, raw bytes) for the next requests, before computed ones.
    queue: Mutex<VecDeque<Reply>>,
    /// A word to the first word of its synonym group.
    synonyms: Mutex<HashMap<String, String>>,
    delay: Mutex<Duration>,
}

impl FakeEmbeddings {
    /// Starts a fake on a free local port.
    ///
    /// # Panics
    /// When no local port can be bound; use [`try_start`](Self::try_start) to handle that.
    pub async fn start() -> FakeEmbeddings {
        match Self::try_start().await {
            Ok(fake) => fake,
            Err(e) => panic!("cannot start the fake embeddings server: {e}"),
        }
    }

    /// Starts a fake on a free local port.
    pub async fn try_start() -> io::Result<FakeEmbeddings> {
        let shared = Arc::new(EmbeddingsShared {
            recorder: Recorder::new(),
            queue: Mutex::new(VecDeque::new()),
            synonyms: Mutex::new(HashMap::new()),
            delay: Mutex::new(Duration::ZERO),
        });
        let app = {
            let shared = shared.clone();
            Route::new()
                .at(
                    "/embeddings",
                    poem::post(make(move |req| embeddings(shared.clone(), req))),
                )
                .map_to_response()
        };
        let (base_url, stop) = serve(app, "fake embeddings server").await?;
        Ok(FakeEmbeddings {
            base_url,
            shared,
            _stop: stop,
        })
    }

    /// `http://127.0.0.1:{port}`, the client's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client configuration for this fake: its URL, [`FAKE_API_KEY`], and short retry
    /// delays so that retry tests run fast.
    pub fn config(&self) -> EmbeddingsConfig {
        EmbeddingsConfig {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(2),
            retry_base_delay: Duration::from_millis(10),
            max_retry_delay: Duration::from_millis(200),
            ..EmbeddingsConfig::new(
                self.base_url.clone(),
                Some(ApiKey::new(FAKE_API_KEY)),
                "fake-embeddings",
            )
        }
    }

    /// Makes every word of each group count as the group's first word (single words; case
    /// and accents do not matter).
    pub fn with_synonyms(&self, groups: &[&[&str]]) -> &Self {
        let mut synonyms = lock(&self.shared.synonyms);
        for group in groups {
            let Some(first) = group.first() else {
                continue;
            };
            let canonical = fold(first);
            for word in *group {
                synonyms.insert(fold(word), canonical.clone());
            }
        }
        self
    }

    /// Answers the next request that has no scripted answer with this status and an
    /// OpenAI-style error body, `{"error": {"message": ...}}`.
    pub fn fail_next(&self, status: u16, message: impl Into<String>) -> &Self {
        lock(&self.shared.queue).push_back(Reply::error(status, message));
        self
    }

    /// Answers the next request that has no scripted answer with exactly these bytes (a
    /// wrong number of vectors, say).
    pub fn reply_raw(
        &self,
        status: u16,
        content_type: impl Into<String>,
        body: impl Into<Vec<u8>>,
    ) -> &Self {
        lock(&self.shared.queue).push_back(Reply::raw(status, content_type, body));
        self
    }

    /// A delay before every answer (for timeouts).
    pub fn set_delay(&self, delay: Duration) -> &Self {
        *lock(&self.shared.delay) = delay;
        self
    }

    /// The vector the fake answers for `text`, before the client normalises it.
    pub fn vector(&self, text: &str) -> Vec<f32> {
        word_counts(text, &lock(&self.shared.synonyms))
    }

    /// Every request so far, in the order received.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.recorder.all()
    }

    pub fn request_count(&self) -> usize {
        self.shared.recorder.count()
    }

    /// Waits until at least `count` requests arrived, and returns them all.
    ///
    /// # Panics
    /// After ten seconds without them.
    pub async fn wait_for_requests(&self, count: usize) -> Vec<RecordedRequest> {
        self.shared
            .recorder
            .wait_for(count, "the fake embeddings server")
            .await
    }
}

async fn embeddings(shared: Arc<EmbeddingsShared>, req: poem::Request) -> Response {
    let record = match record(req).await {
        Ok(record) => record,
        Err(response) => return response,
    };
    shared.recorder.push(&record);

    let delay = *lock(&shared.delay);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let queued = lock(&shared.queue).pop_front();
    if let Some(reply) = queued {
        return render_raw(&reply);
    }
    let Some(model) = record.model() else {
        return error_response(400, "you must provide a model parameter");
    };
    // OpenAI takes one string or an array of them.
    let inputs: Vec<&str> = match record.body.get("input") {
        Some(Value::String(text)) => vec![text.as_str()],
        Some(Value::Array(items)) => match items.iter().map(Value::as_str).collect() {
            Some(texts) => texts,
            None => return error_response(400, "'input' must be strings"),
        },
        _ => return error_response(400, "'input' must be a string or an array of strings"),
    };
    if inputs.is_empty() {
        return error_response(400, "'input' must not be empty");
    }
    let synonyms = lock(&shared.synonyms).clone();
    let prompt_tokens: usize = inputs.iter().map(|text| words(text).len().max(1)).sum();
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, text)| {
            json!({
                "object": "embedding",
                "index": index,
                "embedding": word_counts(text, &synonyms),
            })
        })
        .collect();
    json_response(
        StatusCode::OK,
        &json!({
            "object": "list",
            "data": data,
            "model": model,
            "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
        }),
    )
}

/// The fake's vector of `text`: 1.0 per word at its word's dimension.
fn word_counts(text: &str, synonyms: &HashMap<String, String>) -> Vec<f32> {
    let mut vector = vec![0.0; FAKE_EMBEDDING_DIMENSIONS];
    for word in words(text) {
        let word = synonyms.get(&word).unwrap_or(&word);
        // The remainder is below 64, so the cast loses nothing.
        let dimension = (fnv1a(word) % FAKE_EMBEDDING_DIMENSIONS as u64) as usize;
        vector[dimension] += 1.0;
    }
    vector
}

/// The words of `text`, lower-cased and with their accents folded.
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Lower case without the accents of Portuguese, Spanish and French, so that `Horário` and
/// `horario` are one word.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        })
        .collect()
}

/// 64-bit FNV-1a: stable across runs and platforms, unlike std's randomised hasher.
fn fnv1a(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_folded_and_split() {
        assert_eq!(
            words("Horário: ABERTO às 8h, café-da-manhã!"),
            ["horario", "aberto", "as", "8h", "cafe", "da", "manha"]
        );
    }

    #[test]
    fn the_hash_is_fnv1a() {
        // The published test vectors.
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a("foobar"), 0x8594_4171_f739_67e8);
    }
}
