#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The client against the fake provider: streamed and whole answers, tool calls, retries,
//! error mapping, timeouts, size bounds and the exact request body.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::time::Instant;
use wagent_llm::{
    ApiKey, ChatRequest, FinishReason, LlmClient, LlmConfig, LlmError, Message, Tool, ToolCall,
    ToolChoice, Usage,
    fake::{DEFAULT_TEXT, FAKE_API_KEY, FakeLlm, Reply},
};

fn client(fake: &FakeLlm, adjust: impl FnOnce(&mut LlmConfig)) -> LlmClient {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut config = fake.config();
    adjust(&mut config);
    LlmClient::new(config).unwrap()
}

fn hello() -> ChatRequest {
    ChatRequest::new(vec![
        Message::system("You answer for Padaria Lua."),
        Message::user("Are you open on Sunday?"),
    ])
}

fn lookup_tool() -> Tool {
    Tool::function(
        "search_knowledge",
        "Searches the business's documents",
        json!({"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}),
    )
}

// --- Streaming -----------------------------------------------------------------------------

#[tokio::test]
async fn streamed_text_is_assembled_despite_keep_alives_and_split_events() {
    let fake = FakeLlm::start().await;
    let text = "Sim, abrimos no domingo das 8h às 13h. Até já! 🥐";
    fake.reply(
        Reply::text(text)
            .with_reasoning("The hours are in the rules.")
            .queued_for(Duration::from_millis(150)),
    );
    let llm = client(&fake, |_| {});

    let mut pieces = Vec::new();
    let completion = llm
        .stream_completion(&hello().thinking(true), |delta| {
            if let Some(content) = &delta.content {
                pieces.push(content.clone());
            }
        })
        .await
        .unwrap();

    assert_eq!(completion.content, text);
    assert!(pieces.len() >= 3, "the text came in pieces: {pieces:?}");
    assert_eq!(
        completion.reasoning_content.as_deref(),
        Some("The hours are in the rules.")
    );
    assert_eq!(completion.finish_reason, FinishReason::Stop);
    assert_eq!(completion.model, "fake-model");
    let usage = completion.usage.unwrap();
    assert!(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
    assert_eq!(usage.prompt_cache_miss_tokens, Some(usage.prompt_tokens));
    assert!(usage.reasoning_tokens.is_some());

    let sent = &fake.requests()[0];
    assert!(sent.is_stream());
    assert_eq!(sent.body["stream_options"], json!({"include_usage": true}));
    assert_eq!(sent.header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn streamed_tool_call_fragments_are_assembled() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::tool_calls([
        ("search_knowledge", json!({"query": "horário de domingo"})),
        (
            "hand_off",
            json!({"reason": "customer asked for a person", "urgent": false}),
        ),
    ]));
    let llm = client(&fake, |_| {});

    let mut stream = llm
        .stream(&hello().tools(vec![lookup_tool()]))
        .await
        .unwrap();
    let mut argument_pieces = 0;
    while let Some(delta) = stream.next().await {
        let delta = delta.unwrap();
        argument_pieces += delta
            .tool_calls
            .iter()
            .filter(|c| c.arguments.is_some())
            .count();
    }
    assert!(argument_pieces >= 4, "arguments came in pieces");

    fake.reply(Reply::tool_call(
        "search_knowledge",
        json!({"query": "horário de domingo"}),
    ));
    let completion = llm.stream(&hello()).await.unwrap().finish().await.unwrap();
    assert_eq!(completion.finish_reason, FinishReason::ToolCalls);
    assert_eq!(completion.content, "");
    assert_eq!(completion.tool_calls.len(), 1);
    let call = &completion.tool_calls[0];
    assert_eq!(call.function.name, "search_knowledge");
    assert!(call.id.starts_with("call_"));
    let arguments: Value = call.parse_arguments().unwrap();
    assert_eq!(arguments, json!({"query": "horário de domingo"}));
}

#[tokio::test]
async fn keep_alives_while_queued_reset_the_idle_timeout() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::text("finally").queued_for(Duration::from_millis(900)));
    let llm = client(&fake, |c| c.idle_timeout = Duration::from_millis(300));

    let completion = llm.stream(&hello()).await.unwrap().finish().await.unwrap();
    assert_eq!(completion.content, "finally");
}

#[tokio::test]
async fn a_stalled_stream_hits_the_idle_timeout() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::text("one two three four five six").stall_after(3));
    let llm = client(&fake, |c| c.idle_timeout = Duration::from_millis(300));

    let started = Instant::now();
    let mut stream = llm.stream(&hello()).await.unwrap();
    let mut received = String::new();
    let error = loop {
        match stream.next().await.unwrap() {
            Ok(delta) => received.push_str(delta.content.as_deref().unwrap_or_default()),
            Err(error) => break error,
        }
    };
    assert_eq!(error, LlmError::Timeout);
    assert!(
        !received.is_empty(),
        "the first pieces arrived before the stall"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(stream.next().await.is_none(), "an error ends the stream");
    // A stream is never retried once it started.
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn the_whole_stream_is_bounded_in_time() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::text("late").queued_for(Duration::from_secs(3)));
    let llm = client(&fake, |c| c.stream_timeout = Duration::from_millis(400));
    let result = llm.stream(&hello()).await.unwrap().finish().await;
    assert_eq!(result, Err(LlmError::Timeout));
}

#[tokio::test]
async fn an_oversized_sse_line_is_refused() {
    let fake = FakeLlm::start().await;
    let mut body = b": keep-alive\n\ndata: {\"choices\": [{\"delta\": {\"content\": \"".to_vec();
    body.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    fake.reply(Reply::raw(200, "text/event-stream", body));
    let llm = client(&fake, |_| {});
    let result = llm.stream(&hello()).await.unwrap().finish().await;
    assert_eq!(result, Err(LlmError::TooLarge { limit: 1024 * 1024 }));
}

#[tokio::test]
async fn the_total_size_of_a_stream_is_bounded() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::text("word ".repeat(4000)));
    let llm = client(&fake, |c| c.max_response_bytes = 8 * 1024);
    let result = llm.stream(&hello()).await.unwrap().finish().await;
    assert_eq!(result, Err(LlmError::TooLarge { limit: 8 * 1024 }));
}

#[tokio::test]
async fn a_stream_cut_before_it_finished_is_a_transport_error() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::raw(
        200,
        "text/event-stream",
        "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"}}]}\n\n",
    ));
    let llm = client(&fake, |_| {});
    let result = llm.stream(&hello()).await.unwrap().finish().await;
    assert!(matches!(result, Err(LlmError::Transport(_))), "{result:?}");
}

#[tokio::test]
async fn an_error_event_mid_stream_interrupts() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::raw(
        200,
        "text/event-stream",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"}}]}\n\n\
         : keep-alive\n\n\
         data: {\"error\":{\"message\":\"Service overloaded\"}}\n\n",
    ));
    let llm = client(&fake, |_| {});
    let result = llm.stream(&hello()).await.unwrap().finish().await;
    assert_eq!(
        result,
        Err(LlmError::Interrupted("Service overloaded".into()))
    );
}

#[tokio::test]
async fn a_blank_answer_is_empty() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::text(""));
    fake.reply(Reply::text("  "));
    let llm = client(&fake, |_| {});
    assert_eq!(llm.complete(&hello()).await, Err(LlmError::EmptyAnswer));
    let streamed = llm.stream(&hello()).await.unwrap().finish().await;
    assert_eq!(streamed, Err(LlmError::EmptyAnswer));
}

// --- Whole answers -------------------------------------------------------------------------

#[tokio::test]
async fn a_whole_answer_is_read_after_the_blank_lines_sent_while_queued() {
    let fake = FakeLlm::start().await;
    let usage = Usage {
        prompt_tokens: 1200,
        completion_tokens: 30,
        total_tokens: 1230,
        prompt_cache_hit_tokens: Some(1000),
        prompt_cache_miss_tokens: Some(200),
        reasoning_tokens: None,
    };
    fake.reply(
        Reply::text("Abrimos às 8h.")
            .with_usage(usage)
            .queued_for(Duration::from_millis(200)),
    );
    let llm = client(&fake, |_| {});

    let completion = llm.complete(&hello()).await.unwrap();
    assert_eq!(completion.content, "Abrimos às 8h.");
    assert_eq!(completion.finish_reason, FinishReason::Stop);
    assert_eq!(completion.usage, Some(usage));
    let sent = &fake.requests()[0];
    assert!(!sent.is_stream());
    assert!(sent.body.get("stream_options").is_none());
}

#[tokio::test]
async fn a_whole_answer_with_a_tool_call_goes_back_as_an_assistant_turn() {
    let fake = FakeLlm::start().await;
    fake.reply(
        Reply::tool_call("search_knowledge", json!({"query": "domingo"}))
            .with_reasoning("I should look it up."),
    );
    fake.reply_text("Abrimos no domingo.");
    let llm = client(&fake, |_| {});
    let request = hello().thinking(true).tools(vec![lookup_tool()]);

    let first = llm.complete(&request).await.unwrap();
    assert_eq!(first.finish_reason, FinishReason::ToolCalls);
    let call = first.tool_calls[0].clone();

    // With thinking on the provider insists on the reasoning of a tool-call turn.
    let mut without_reasoning = request.clone();
    without_reasoning.messages.push(Message::Assistant {
        content: None,
        reasoning_content: None,
        tool_calls: vec![call.clone()],
    });
    without_reasoning
        .messages
        .push(Message::tool(&call.id, "Domingo: 8h-13h"));
    let refused = llm.complete(&without_reasoning).await.unwrap_err();
    assert!(
        matches!(refused, LlmError::BadRequest { status: 400, ref message } if message.contains("reasoning_content"))
    );

    let mut next = request.clone();
    next.messages.push(first.to_message());
    next.messages
        .push(Message::tool(&call.id, "Domingo: 8h-13h"));
    let second = llm.complete(&next).await.unwrap();
    assert_eq!(second.content, "Abrimos no domingo.");

    let sent = fake.requests();
    let assistant = &sent[2].body["messages"][2];
    assert_eq!(assistant["role"], "assistant");
    assert_eq!(assistant["content"], Value::Null);
    assert_eq!(assistant["reasoning_content"], "I should look it up.");
    assert_eq!(assistant["tool_calls"][0]["id"], json!(call.id));
    assert_eq!(
        sent[2].body["messages"][3],
        json!({"role": "tool", "tool_call_id": call.id, "content": "Domingo: 8h-13h"})
    );
}

#[tokio::test]
async fn a_whole_answer_that_is_not_json_is_a_decode_error() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::raw(200, "application/json", "\n\n{\"choices\": 3"));
    let llm = client(&fake, |_| {});
    let result = llm.complete(&hello()).await;
    assert!(matches!(result, Err(LlmError::Decode(_))), "{result:?}");
}

#[tokio::test]
async fn a_slow_whole_answer_times_out() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::text("late").with_delay(Duration::from_secs(5)));
    let llm = client(&fake, |c| {
        c.timeout = Duration::from_millis(300);
        c.max_retries = 0;
    });
    let started = Instant::now();
    assert_eq!(llm.complete(&hello()).await, Err(LlmError::Timeout));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn an_oversized_whole_answer_is_refused() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::text("word ".repeat(4000)));
    let llm = client(&fake, |c| c.max_response_bytes = 4 * 1024);
    assert_eq!(
        llm.complete(&hello()).await,
        Err(LlmError::TooLarge { limit: 4 * 1024 })
    );
}

// --- Retries and errors --------------------------------------------------------------------

#[tokio::test]
async fn a_rate_limit_is_retried_then_succeeds() {
    let fake = FakeLlm::start().await;
    fake.fail(429, "Rate limit reached").reply_text("ok");
    let llm = client(&fake, |_| {});
    assert_eq!(llm.complete(&hello()).await.unwrap().content, "ok");
    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body, "the same request is sent again");
}

#[tokio::test]
async fn retry_after_is_honoured_but_capped() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::error(429, "slow down").with_header("retry-after", "3600"));
    fake.reply_text("ok");
    let llm = client(&fake, |c| c.max_retry_delay = Duration::from_millis(250));
    let started = Instant::now();
    assert_eq!(llm.complete(&hello()).await.unwrap().content, "ok");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[tokio::test]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let fake = FakeLlm::start().await;
    for _ in 0..5 {
        fake.fail(503, "Server overloaded");
    }
    let llm = client(&fake, |c| c.max_retries = 2);
    assert_eq!(llm.complete(&hello()).await, Err(LlmError::Server(503)));
    assert_eq!(fake.request_count(), 3);

    fake.answer_with(|_| Reply::text("default"));
    while fake.pending_replies() > 0 {
        let _ = llm.complete(&hello()).await;
    }
    fake.fail(500, "boom");
    assert_eq!(llm.complete(&hello()).await.unwrap().content, "default");
}

#[tokio::test]
async fn a_stream_is_retried_before_it_starts() {
    let fake = FakeLlm::start().await;
    fake.fail(503, "busy")
        .fail(429, "busy")
        .reply_text("streamed");
    let llm = client(&fake, |_| {});
    let completion = llm.stream(&hello()).await.unwrap().finish().await.unwrap();
    assert_eq!(completion.content, "streamed");
    assert_eq!(fake.request_count(), 3);
}

#[tokio::test]
async fn unauthorized_is_not_retried() {
    let fake = FakeLlm::start().await;
    fake.fail(401, "Authentication Fails, Your api key is invalid")
        .reply_text("never");
    let llm = client(&fake, |_| {});
    let error = llm.complete(&hello()).await.unwrap_err();
    assert_eq!(error, LlmError::Unauthorized);
    assert!(error.needs_owner());
    assert!(!error.is_retryable());
    assert_eq!(fake.request_count(), 1);
    assert_eq!(fake.pending_replies(), 1);
}

#[tokio::test]
async fn an_exhausted_balance_needs_the_owner() {
    let fake = FakeLlm::start().await;
    fake.fail(402, "Insufficient Balance");
    let llm = client(&fake, |_| {});
    let error = llm.stream(&hello()).await.unwrap_err();
    assert_eq!(error, LlmError::PaymentRequired);
    assert!(error.needs_owner());
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn the_providers_message_is_surfaced_for_bad_requests() {
    let fake = FakeLlm::start().await;
    fake.fail(400, "Invalid request: tools[0].function.name is required");
    fake.fail(422, "Invalid parameter: max_tokens");
    fake.reply(Reply::raw(
        413,
        "text/html",
        "<html>Request Entity Too Large</html>",
    ));
    let llm = client(&fake, |_| {});
    assert_eq!(
        llm.complete(&hello()).await,
        Err(LlmError::BadRequest {
            status: 400,
            message: "Invalid request: tools[0].function.name is required".into()
        })
    );
    assert_eq!(
        llm.complete(&hello()).await,
        Err(LlmError::BadRequest {
            status: 422,
            message: "Invalid parameter: max_tokens".into()
        })
    );
    assert_eq!(
        llm.complete(&hello()).await,
        Err(LlmError::BadRequest {
            status: 413,
            message: "<html>Request Entity Too Large</html>".into()
        })
    );
    assert_eq!(fake.request_count(), 3, "none of them retried");
}

#[tokio::test]
async fn the_api_key_never_appears_in_an_error() {
    let fake = FakeLlm::start().await;
    fake.fail(400, format!("bad key {FAKE_API_KEY} here"));
    let llm = client(&fake, |_| {});
    let error = llm.complete(&hello()).await.unwrap_err();
    assert!(!error.to_string().contains(FAKE_API_KEY), "{error}");
    assert!(!format!("{:?}", fake.config()).contains(FAKE_API_KEY));
}

#[tokio::test]
async fn an_unreachable_provider_is_a_transport_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let llm = LlmClient::new(LlmConfig {
        base_url: format!("http://{addr}"),
        api_key: Some(ApiKey::new("k")),
        max_retries: 2,
        retry_base_delay: Duration::from_millis(5),
        ..LlmConfig::default()
    })
    .unwrap();
    let error = llm.complete(&hello()).await.unwrap_err();
    assert!(matches!(error, LlmError::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn without_a_key_nothing_is_sent() {
    let fake = FakeLlm::start().await;
    let llm = client(&fake, |c| c.api_key = None);
    assert!(!llm.is_configured());
    assert_eq!(llm.complete(&hello()).await, Err(LlmError::NotConfigured));
    assert_eq!(
        llm.stream(&hello()).await.unwrap_err(),
        LlmError::NotConfigured
    );
    assert_eq!(fake.request_count(), 0);
}

// --- The request on the wire ---------------------------------------------------------------

#[tokio::test]
async fn the_request_body_carries_model_thinking_user_and_tools() {
    let fake = FakeLlm::start().await;
    let llm = client(&fake, |c| c.default_model = "deepseek-flash".into());
    assert!(llm.is_configured());

    let request = hello()
        .model("deepseek-v4-pro")
        .temperature(0.3)
        .max_tokens(400)
        .tools(vec![lookup_tool()])
        .tool_choice(ToolChoice::Auto)
        .user_id("c_7f3a9e")
        .json_output(true);
    llm.complete(&request).await.unwrap();
    llm.complete(&hello()).await.unwrap();
    llm.complete(&hello().thinking(true).temperature(0.3))
        .await
        .unwrap();

    let sent = fake.wait_for_requests(3).await;
    let first = &sent[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.path, "/chat/completions");
    assert_eq!(first.bearer(), Some(FAKE_API_KEY));
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(
        first.body,
        json!({
            "model": "deepseek-v4-pro",
            "messages": [
                {"role": "system", "content": "You answer for Padaria Lua."},
                {"role": "user", "content": "Are you open on Sunday?"},
            ],
            "temperature": 0.3,
            "max_tokens": 400,
            "tools": [{
                "type": "function",
                "function": {
                    "name": "search_knowledge",
                    "description": "Searches the business's documents",
                    "parameters": {"type": "object", "properties": {"query": {"type": "string"}},
                                   "required": ["query"]},
                },
            }],
            "tool_choice": "auto",
            "user_id": "c_7f3a9e",
            "thinking": {"type": "disabled"},
            "response_format": {"type": "json_object"},
            "stream": false,
        })
    );
    assert_eq!(sent[1].model(), Some("deepseek-flash"), "the default model");
    assert_eq!(sent[1].body["thinking"], json!({"type": "disabled"}));
    assert!(sent[1].body.get("tools").is_none());
    assert!(sent[1].body.get("user_id").is_none());
    assert_eq!(sent[2].body["thinking"], json!({"type": "enabled"}));
    assert!(
        sent[2].body.get("temperature").is_none(),
        "temperature is left out with thinking on"
    );
}

#[tokio::test]
async fn a_base_url_with_a_path_keeps_it() {
    let fake = FakeLlm::start().await;
    let llm = client(&fake, |c| c.base_url = format!("{}/v1", fake.base_url()));
    // The fake serves no /v1, so the path proves where the request went.
    let error = llm.complete(&hello()).await.unwrap_err();
    assert!(
        matches!(error, LlmError::BadRequest { status: 404, .. }),
        "{error:?}"
    );
    assert_eq!(fake.request_count(), 0);
    assert!(matches!(
        LlmClient::new(LlmConfig {
            base_url: "not a url".into(),
            ..LlmConfig::default()
        }),
        Err(LlmError::Config(_))
    ));
}

// --- The fake itself -----------------------------------------------------------------------

#[tokio::test]
async fn the_fake_answers_from_a_closure_when_nothing_is_queued() {
    let fake = FakeLlm::start().await;
    fake.answer_with(|request| {
        let asked = request.last_user_message().unwrap_or_default().to_owned();
        if request.is_stream() {
            Reply::text(format!("streamed: {asked}"))
        } else {
            Reply::text(format!("you said: {asked}"))
        }
    });
    let llm = client(&fake, |_| {});
    let request = ChatRequest::new(vec![Message::user("olá")]);
    assert_eq!(
        llm.complete(&request).await.unwrap().content,
        "you said: olá"
    );
    let streamed = llm.stream(&request).await.unwrap().finish().await.unwrap();
    assert_eq!(streamed.content, "streamed: olá");
}

#[tokio::test]
async fn the_fake_has_no_embeddings_like_the_provider() {
    let fake = FakeLlm::start().await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::new()
        .post(format!("{}/embeddings", fake.base_url()))
        .json(&json!({"model": "x", "input": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn the_fake_streams_the_providers_wire_format() {
    let fake = FakeLlm::start().await;
    fake.reply(Reply::tool_call("f", json!({"a": 1})).with_content("Hi"));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let body = reqwest::Client::new()
        .post(format!("{}/chat/completions", fake.base_url()))
        .json(&json!({"model": "m", "messages": [], "stream": true}))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.starts_with(": keep-alive\n\n"));
    assert!(body.ends_with("data: [DONE]\n\n"));
    let chunks: Vec<Value> = body
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert!(
        chunks
            .iter()
            .all(|c| c["object"] == "chat.completion.chunk")
    );
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let last = chunks.last().unwrap();
    assert_eq!(last["choices"][0]["finish_reason"], "tool_calls");
    assert!(last["usage"]["prompt_tokens"].as_u64().unwrap() > 0);
    assert_eq!(
        body.matches(": keep-alive").count(),
        1 + chunks.len().div_ceil(3)
    );

    let whole: Value = reqwest::Client::new()
        .post(format!("{}/chat/completions", fake.base_url()))
        .json(&json!({"model": "m", "messages": []}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(whole["object"], "chat.completion");
    assert_eq!(
        whole["choices"][0]["message"]["content"],
        json!(DEFAULT_TEXT)
    );
}

#[test]
fn tool_call_arguments_parse_into_types() {
    #[derive(serde::Deserialize)]
    struct Search {
        query: String,
    }
    let call = ToolCall::new("c", "search_knowledge", r#"{"query":"domingo"}"#);
    assert_eq!(call.parse_arguments::<Search>().unwrap().query, "domingo");
}

/// Serves one HTTP/1.1 response whose body is written `piece` bytes at a time, so that
/// events (and UTF-8 characters) reach the client cut at arbitrary places.
async fn trickle_server(body: &'static str, piece: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        // Read the request head and its body before answering.
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = socket.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request);
            if let Some(head_end) = text.find("\r\n\r\n") {
                let length = text[..head_end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if request.len() >= head_end + 4 + length {
                    break;
                }
            }
        }
        socket
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
            )
            .await
            .unwrap();
        for chunk in body.as_bytes().chunks(piece) {
            socket.write_all(chunk).await.unwrap();
            socket.flush().await.unwrap();
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
    url
}

#[tokio::test]
async fn events_cut_anywhere_by_the_network_are_put_back_together() {
    let body = ": keep-alive\r\n\r\n\
        data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\r\n\r\n\
        data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Olá, \"}}]}\n\n\
        \n\
        : keep-alive\n\n\
        data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"search\",\"arguments\":\"\"}}]}}]}\n\n\
        data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]}}]}\n\n\
        data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"até já 🥐\",\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"pão\\\"}\"}}]}}]}\n\n\
        data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13,\"prompt_cache_hit_tokens\":8,\"prompt_cache_miss_tokens\":1}}\n\n\
        data: [DONE]\n\n";
    let _ = rustls::crypto::ring::default_provider().install_default();
    let llm = LlmClient::new(LlmConfig {
        base_url: trickle_server(body, 5).await,
        api_key: Some(ApiKey::new("k")),
        ..LlmConfig::default()
    })
    .unwrap();
    let completion = llm.stream(&hello()).await.unwrap().finish().await.unwrap();
    assert_eq!(completion.model, "m");
    assert_eq!(completion.content, "Olá, até já 🥐");
    assert_eq!(
        completion.tool_calls,
        vec![ToolCall::new("call_1", "search", r#"{"q":"pão"}"#)]
    );
    let usage = completion.usage.unwrap();
    assert_eq!(
        (
            usage.prompt_cache_hit_tokens,
            usage.prompt_cache_miss_tokens
        ),
        (Some(8), Some(1))
    );
}
