#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The embeddings client against the fake embeddings server: order, batching,
//! normalisation, the key, retries, error mapping, checks of the answer and size bounds.

use std::time::Duration;

use serde_json::json;
use tokio::time::Instant;
use wagent_llm::{
    ApiKey, EmbeddingsClient, EmbeddingsConfig, LlmError,
    fake::{FAKE_API_KEY, FAKE_EMBEDDING_DIMENSIONS, FakeEmbeddings, FakeLlm},
};

fn client(fake: &FakeEmbeddings, adjust: impl FnOnce(&mut EmbeddingsConfig)) -> EmbeddingsClient {
    let mut config = fake.config();
    adjust(&mut config);
    EmbeddingsClient::new(config).unwrap()
}

fn texts(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| (*t).to_owned()).collect()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn unit(mut vector: Vec<f32>) -> Vec<f32> {
    let norm = dot(&vector, &vector).sqrt();
    for x in &mut vector {
        *x /= norm;
    }
    vector
}

fn assert_close(a: &[f32], b: &[f32]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < 1e-6, "{a:?} != {b:?}");
    }
}

/// An answer in the wire format with these `(index, vector)` items.
fn answer(items: &[(usize, serde_json::Value)]) -> String {
    let data: Vec<_> = items
        .iter()
        .map(|(index, embedding)| {
            json!({"object": "embedding", "index": index, "embedding": embedding})
        })
        .collect();
    json!({
        "object": "list",
        "data": data,
        "model": "remote-model",
        "usage": {"prompt_tokens": 7, "total_tokens": 7},
    })
    .to_string()
}

// --- Vectors -------------------------------------------------------------------------------

#[tokio::test]
async fn vectors_are_put_back_in_the_inputs_order_by_index() {
    let fake = FakeEmbeddings::start().await;
    fake.reply_raw(
        200,
        "application/json",
        answer(&[
            (2, json!([0.0, 0.0, 5.0])),
            (0, json!([3.0, 4.0, 0.0])),
            (1, json!([0.0, -2.0, 0.0])),
        ]),
    );
    let embeddings = client(&fake, |_| {})
        .embed(&texts(&["first", "second", "third"]))
        .await
        .unwrap();
    assert_eq!(
        embeddings.vectors,
        vec![
            vec![0.6, 0.8, 0.0],
            vec![0.0, -1.0, 0.0],
            vec![0.0, 0.0, 1.0]
        ]
    );
    assert_eq!(embeddings.prompt_tokens, 7);
    assert_eq!(embeddings.model, "remote-model");
}

#[tokio::test]
async fn vectors_are_normalised_so_a_dot_product_is_the_cosine() {
    let fake = FakeEmbeddings::start().await;
    let inputs = texts(&[
        "Abrimos aos domingos das 8h às 13h",
        "abrimos aos DOMINGOS das 8h as 13h!",
        "O pão de queijo sai às sete",
    ]);
    let embeddings = client(&fake, |_| {}).embed(&inputs).await.unwrap();

    assert_eq!(embeddings.vectors.len(), 3);
    for (vector, input) in embeddings.vectors.iter().zip(&inputs) {
        assert_eq!(vector.len(), FAKE_EMBEDDING_DIMENSIONS);
        assert!((dot(vector, vector) - 1.0).abs() < 1e-5);
        assert_close(vector, &unit(fake.vector(input)));
    }
    let [same_a, same_b, other] = &embeddings.vectors[..] else {
        panic!("three vectors");
    };
    assert!(
        (dot(same_a, same_b) - 1.0).abs() < 1e-5,
        "case and accents fold"
    );
    assert!(dot(same_a, other) < 0.9);
    assert_eq!(embeddings.model, "fake-embeddings");
    assert!(embeddings.prompt_tokens >= 3);
}

#[tokio::test]
async fn synonyms_find_a_passage_that_shares_no_word_with_the_question() {
    let fake = FakeEmbeddings::start().await;
    fake.with_synonyms(&[&["sofa", "couch", "settee"], &["price", "cost"]]);
    let llm = client(&fake, |_| {});

    let words = llm
        .embed(&texts(&["couch", "Sofa", "settee", "table"]))
        .await
        .unwrap()
        .vectors;
    assert_eq!(words[0], words[1]);
    assert_eq!(words[0], words[2]);
    assert_ne!(words[0], words[3]);

    let question = "How much is the couch?";
    let passages = ["Sofa: cost 300", "Opening hours: nine to five"];
    let mut inputs = texts(&[question]);
    inputs.extend(texts(&passages));
    let vectors = llm.embed(&inputs).await.unwrap().vectors;
    assert!(dot(&vectors[0], &vectors[1]) > dot(&vectors[0], &vectors[2]));
    assert!(dot(&vectors[0], &vectors[1]) > 0.2);
}

// --- Batches and the request ---------------------------------------------------------------

#[tokio::test]
async fn inputs_are_sent_in_batches_and_come_back_in_order() {
    let fake = FakeEmbeddings::start().await;
    let inputs: Vec<String> = (0..150).map(|i| format!("passage number {i}")).collect();
    let llm = client(&fake, |c| c.batch_size = 64);
    let embeddings = llm.embed(&inputs).await.unwrap();

    let sent = fake.requests();
    let sizes: Vec<usize> = sent
        .iter()
        .map(|r| r.body["input"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [64, 64, 22]);
    assert_eq!(sent[1].body["input"][0], "passage number 64");
    assert_eq!(embeddings.vectors.len(), 150);
    for (vector, input) in embeddings.vectors.iter().zip(&inputs) {
        assert_close(vector, &unit(fake.vector(input)));
    }
    // Three words an input.
    assert_eq!(embeddings.prompt_tokens, 450);
}

#[tokio::test]
async fn the_request_is_the_openai_wire_format() {
    let fake = FakeEmbeddings::start().await;
    let llm = client(&fake, |_| {});
    assert!(llm.is_configured());
    assert_eq!(llm.model(), "fake-embeddings");
    llm.embed(&texts(&["olá", "mundo"])).await.unwrap();

    let sent = &fake.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/embeddings");
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert_eq!(
        sent.body,
        json!({"model": "fake-embeddings", "input": ["olá", "mundo"], "encoding_format": "float"})
    );
}

#[tokio::test]
async fn no_inputs_send_nothing() {
    let fake = FakeEmbeddings::start().await;
    let embeddings = client(&fake, |_| {}).embed(&[]).await.unwrap();
    assert!(embeddings.vectors.is_empty());
    assert_eq!(embeddings.prompt_tokens, 0);
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test]
async fn the_bearer_header_goes_only_with_a_key() {
    let fake = FakeEmbeddings::start().await;
    client(&fake, |_| {})
        .embed(&texts(&["with"]))
        .await
        .unwrap();
    let keyless = client(&fake, |c| c.api_key = None);
    assert!(keyless.is_configured(), "self-hosted servers need no key");
    keyless.embed(&texts(&["without"])).await.unwrap();
    client(&fake, |c| c.api_key = Some(ApiKey::new("")))
        .embed(&texts(&["empty"]))
        .await
        .unwrap();

    let sent = fake.wait_for_requests(3).await;
    assert_eq!(sent[0].bearer(), Some(FAKE_API_KEY));
    assert_eq!(sent[1].header("authorization"), None);
    assert_eq!(sent[2].header("authorization"), None);
}

#[tokio::test]
async fn without_a_base_url_nothing_is_sent() {
    let llm = EmbeddingsClient::new(EmbeddingsConfig::new("", None, "m")).unwrap();
    assert!(!llm.is_configured());
    assert_eq!(
        llm.embed(&texts(&["x"])).await,
        Err(LlmError::NotConfigured)
    );
}

#[tokio::test]
async fn a_bad_configuration_is_refused() {
    for config in [
        EmbeddingsConfig::new("not a url", None, "m"),
        EmbeddingsConfig::new("ftp://example.com", None, "m"),
        EmbeddingsConfig {
            batch_size: 0,
            ..EmbeddingsConfig::new("http://127.0.0.1:1", None, "m")
        },
    ] {
        let error = EmbeddingsClient::new(config).unwrap_err();
        assert!(matches!(error, LlmError::Config(_)), "{error:?}");
    }
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let config = EmbeddingsConfig::new("https://api.example.com/v1", None, "m");
    assert_eq!(config.timeout, Duration::from_secs(30));
    assert_eq!(config.max_retries, 3);
    assert_eq!(config.batch_size, 64);
    assert_eq!(config.max_response_bytes, 64 * 1024 * 1024);
}

// --- Retries and errors --------------------------------------------------------------------

#[tokio::test]
async fn a_server_error_is_retried_then_succeeds() {
    let fake = FakeEmbeddings::start().await;
    fake.fail_next(503, "Server overloaded");
    let embeddings = client(&fake, |_| {})
        .embed(&texts(&["hello"]))
        .await
        .unwrap();
    assert_eq!(embeddings.vectors.len(), 1);
    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body, "the same request is sent again");
}

#[tokio::test]
async fn retries_are_bounded() {
    let fake = FakeEmbeddings::start().await;
    for _ in 0..4 {
        fake.fail_next(429, "Rate limit reached");
    }
    let llm = client(&fake, |c| c.max_retries = 2);
    assert_eq!(
        llm.embed(&texts(&["hello"])).await,
        Err(LlmError::RateLimited { retry_after: None })
    );
    assert_eq!(fake.request_count(), 3);
}

#[tokio::test]
async fn unauthorized_and_no_balance_are_not_retried() {
    let fake = FakeEmbeddings::start().await;
    fake.fail_next(401, "Incorrect API key provided")
        .fail_next(402, "Insufficient Balance");
    let llm = client(&fake, |_| {});
    let error = llm.embed(&texts(&["hello"])).await.unwrap_err();
    assert_eq!(error, LlmError::Unauthorized);
    assert!(error.needs_owner());
    assert_eq!(fake.request_count(), 1);
    assert_eq!(
        llm.embed(&texts(&["hello"])).await,
        Err(LlmError::PaymentRequired)
    );
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn a_bad_request_surfaces_the_message_without_the_key() {
    let fake = FakeEmbeddings::start().await;
    fake.fail_next(400, format!("input too long for key {FAKE_API_KEY}"));
    let error = client(&fake, |_| {})
        .embed(&texts(&["hello"]))
        .await
        .unwrap_err();
    assert_eq!(
        error,
        LlmError::BadRequest {
            status: 400,
            message: "input too long for key [redacted]".into()
        }
    );
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let fake = FakeEmbeddings::start().await;
    fake.set_delay(Duration::from_secs(2));
    let llm = client(&fake, |c| {
        c.timeout = Duration::from_millis(200);
        c.max_retries = 1;
    });
    let started = Instant::now();
    assert_eq!(llm.embed(&texts(&["hello"])).await, Err(LlmError::Timeout));
    assert_eq!(fake.request_count(), 2, "a timeout is retried");
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn the_wrong_number_of_vectors_is_a_clear_error() {
    let fake = FakeEmbeddings::start().await;
    fake.reply_raw(200, "application/json", answer(&[(0, json!([1.0, 0.0]))]));
    let result = client(&fake, |_| {}).embed(&texts(&["one", "two"])).await;
    assert_eq!(
        result,
        Err(LlmError::Decode(
            "the answer has 1 embeddings for 2 inputs".into()
        ))
    );
    assert_eq!(fake.request_count(), 1, "not retried");
}

#[tokio::test]
async fn vectors_that_disagree_or_are_not_numbers_are_refused() {
    let fake = FakeEmbeddings::start().await;
    fake.reply_raw(200, "application/json", answer(&[(0, json!([1.0, 1e39]))]));
    let llm = client(&fake, |c| c.batch_size = 1);
    assert_eq!(
        llm.embed(&texts(&["one"])).await,
        Err(LlmError::Decode(
            "the embedding of input 0 has a value that is not a finite number".into()
        ))
    );

    // Batches of one, so that the lengths differ between batches.
    fake.reply_raw(200, "application/json", answer(&[(0, json!([1.0, 0.0]))]))
        .reply_raw(200, "application/json", answer(&[(0, json!([1.0]))]));
    let error = llm.embed(&texts(&["one", "two"])).await.unwrap_err();
    assert!(
        matches!(&error, LlmError::Decode(m) if m.contains("dimensions")),
        "{error:?}"
    );

    fake.reply_raw(200, "application/json", "<html>not json</html>");
    let error = llm.embed(&texts(&["one"])).await.unwrap_err();
    assert!(matches!(error, LlmError::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn an_oversized_answer_is_refused() {
    let fake = FakeEmbeddings::start().await;
    let llm = client(&fake, |c| c.max_response_bytes = 2 * 1024);
    let inputs: Vec<String> = (0..20).map(|i| format!("text {i}")).collect();
    assert_eq!(
        llm.embed(&inputs).await,
        Err(LlmError::TooLarge { limit: 2 * 1024 })
    );
    assert_eq!(fake.request_count(), 1, "not retried");
}

#[tokio::test]
async fn the_chat_fake_still_has_no_embeddings() {
    let fake = FakeLlm::start().await;
    let llm = EmbeddingsClient::new(EmbeddingsConfig::new(
        fake.base_url(),
        Some(ApiKey::new(FAKE_API_KEY)),
        "m",
    ))
    .unwrap();
    let error = llm.embed(&texts(&["hello"])).await.unwrap_err();
    assert_eq!(error.http_status(), Some(404));
}
