//! Rates per IP and per token: HTTP 429 with `Retry-After` and `RATE_LIMITED`.

use serde_json::json;

use crate::{
    helpers::{TestApp, code},
    ws::Subscriber,
};

const VIEWER: &str = "{ viewer { apiToken { id } } }";

#[tokio::test(flavor = "multi_thread")]
async fn an_ip_over_its_rate_is_told_when_to_come_back() {
    let app = TestApp::spawn_configured(&[("WAGENT_RATE_LIMIT_PER_IP", "3")]).await;
    for _ in 0..3 {
        let (status, _) = app.gql(None, "{ __typename }", json!({})).await;
        assert!(status.is_success());
    }
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(code(&body), "RATE_LIMITED");

    // Uploads and websocket connects count too.
    let upload = reqwest::Client::new()
        .post(format!(
            "{}/api/organizations/{}/conversations/{}/media",
            app.base,
            uuid::Uuid::nil(),
            uuid::Uuid::nil()
        ))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), reqwest::StatusCode::TOO_MANY_REQUESTS);
    let socket = Subscriber::connect(&app.ws_url(), "whatever", "graphql-transport-ws").await;
    let refused = socket.err().expect("the connect is refused");
    assert!(refused.contains("429"), "{refused}");
    // Health checks are not limited.
    assert!(app.get("/healthz").await.status().is_success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_over_its_rate_does_not_slow_another() {
    let app = TestApp::spawn_configured(&[
        ("WAGENT_RATE_LIMIT_PER_IP", "0"),
        ("WAGENT_RATE_LIMIT_PER_TOKEN", "5"),
    ])
    .await;
    let org = app.create_org("alice", "Acme").await;
    let (_, busy) = app.api_token(&org, "alice", "MEMBER").await;
    let (_, calm) = app.api_token(&org, "alice", "MEMBER").await;
    for _ in 0..5 {
        app.ok(&busy, VIEWER, json!({})).await;
    }
    let (status, body) = app.gql(Some(&busy), VIEWER, json!({})).await;
    assert_eq!(status, reqwest::StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(code(&body), "RATE_LIMITED");
    app.ok(&calm, VIEWER, json!({})).await;

    // A narrowed copy, which any holder can mint offline, is the same token to the limit.
    let copy = wagent_auth::api_token::attenuate(
        &busy,
        &wagent_auth::api_token::Attenuation {
            read_only: true,
            expires_at: None,
        },
    )
    .unwrap();
    let (status, body) = app.gql(Some(&copy), VIEWER, json!({})).await;
    assert_eq!(status, reqwest::StatusCode::TOO_MANY_REQUESTS, "{body}");
}
