//! The websocket keeps checking its credential, and holds to its limits.

use std::time::Duration;

use serde_json::json;
use wagent_auth::api_token::{Attenuation, attenuate};
use wagent_testkit::wait_until;

use crate::{helpers::TestApp, ws::Subscriber};

const EVENTS: &str =
    "subscription($o: ID!) { organizationEvents(organizationId: $o) { kind organizationId } }";
const PROTOCOL: &str = "graphql-transport-ws";

/// `token`, narrowed to expire `seconds` from now.
fn expiring(token: &str, seconds: i64) -> String {
    attenuate(
        token,
        &Attenuation {
            read_only: false,
            expires_at: Some(chrono::Utc::now() + chrono::Duration::seconds(seconds)),
        },
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn revoking_an_api_token_closes_its_sockets_with_4403_in_every_process() {
    let a = TestApp::spawn().await;
    let b = a.another_process().await;
    let org = a.create_org("alice", "Acme").await;
    let (id, token) = a.api_token(&org, "alice", "ADMIN").await;
    let mut sub = Subscriber::connect(&b.ws_url(), &token, PROTOCOL)
        .await
        .unwrap();
    sub.subscribe("1", EVENTS, json!({ "o": org }), true).await;

    let alice = a.sign_in("alice").await;
    a.ok(
        &alice,
        "mutation($o: ID!, $t: ID!) { revokeApiToken(input: {organizationId: $o, apiTokenId: $t}) { revokedAt } }",
        json!({ "o": org, "t": id }),
    )
    .await;
    let reason = sub
        .closed(Duration::from_secs(5))
        .await
        .expect("the socket closes within seconds of the revocation");
    assert!(reason.starts_with("4403"), "{reason}");
    // And the token opens no new socket.
    let refused = Subscriber::connect(&b.ws_url(), &token, PROTOCOL).await;
    assert!(refused.is_err());
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expiring_credential_closes_its_socket_with_4401() {
    let app = TestApp::spawn_configured(&[("WAGENT_WS_RECHECK", "1")]).await;
    let org = app.create_org("alice", "Acme").await;
    let (_, token) = app.api_token(&org, "alice", "ADMIN").await;
    let short = expiring(&token, 2);
    let mut sub = Subscriber::connect(&app.ws_url(), &short, PROTOCOL)
        .await
        .unwrap();
    sub.subscribe("1", EVENTS, json!({ "o": org }), true).await;
    let reason = sub
        .closed(Duration::from_secs(10))
        .await
        .expect("the socket closes once the token has expired");
    assert!(reason.starts_with("4401"), "{reason}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expiring_sign_in_closes_its_socket_with_4401() {
    // A provider whose sessions last seconds, not minutes.
    let provider = wagent_testkit::oidc::Provider::with_token_lifetime(6)
        .await
        .unwrap();
    let app = TestApp::spawn_configured(&[("OIDC_ISSUER", provider.issuer.as_str())]).await;
    let token = provider.access_token("alice").await.unwrap();
    let made = app
        .ok(
            &token,
            "mutation { createOrganization(input: {name: \"Acme\"}) { id } }",
            json!({}),
        )
        .await;
    let org = made["createOrganization"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut sub = Subscriber::connect(&app.ws_url(), &token, PROTOCOL)
        .await
        .unwrap();
    sub.subscribe("1", EVENTS, json!({ "o": org }), true).await;
    app.wait_for_subscriptions(1).await;
    let reason = sub
        .closed(Duration::from_secs(20))
        .await
        .expect("the socket closes once the sign-in has expired");
    assert!(reason.starts_with("4401"), "{reason}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operation_sent_after_expiry_is_refused() {
    // No periodic re-check during the test: only the operation itself is checked.
    let app = TestApp::spawn_configured(&[("WAGENT_WS_RECHECK", "3600")]).await;
    let org = app.create_org("alice", "Acme").await;
    let (_, token) = app.api_token(&org, "alice", "ADMIN").await;
    let short = expiring(&token, 2);
    let mut sub = Subscriber::connect(&app.ws_url(), &short, PROTOCOL)
        .await
        .unwrap();
    wait_until("the token to expire", Duration::from_secs(10), || async {
        let (status, _) = app
            .gql(Some(&short), "{ viewer { apiToken { id } } }", json!({}))
            .await;
        status == reqwest::StatusCode::UNAUTHORIZED
    })
    .await;
    sub.subscribe("1", EVENTS, json!({ "o": org }), true).await;
    let reason = sub.closed(Duration::from_secs(5)).await.unwrap();
    assert!(reason.starts_with("4401"), "{reason}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_socket_without_connection_init_closes_with_4408() {
    let app = TestApp::spawn_configured(&[("WAGENT_WS_INIT_TIMEOUT", "1")]).await;
    let mut silent = Subscriber::open(&app.ws_url(), PROTOCOL).await;
    let reason = silent.closed(Duration::from_secs(5)).await.unwrap();
    assert!(reason.starts_with("4408"), "{reason}");
}

#[tokio::test(flavor = "multi_thread")]
async fn operations_per_socket_are_capped() {
    let app = TestApp::spawn_configured(&[("WAGENT_WS_MAX_OPERATIONS", "2")]).await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let mut sub = Subscriber::connect(&app.ws_url(), &alice, PROTOCOL)
        .await
        .unwrap();
    for id in ["1", "2", "3"] {
        sub.subscribe(id, EVENTS, json!({ "o": org }), true).await;
    }
    let refused = sub
        .next_message(Duration::from_secs(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "3");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "TOO_MANY_OPERATIONS"
    );
    // The two running subscriptions still hear events.
    app.ok(&alice, "mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"Acme 2\"}) { name } }", json!({ "o": org })).await;
    let event = sub.next_event(Duration::from_secs(5)).await.unwrap();
    assert_eq!(event["data"]["organizationEvents"]["kind"], "RENAMED");
}

#[tokio::test(flavor = "multi_thread")]
async fn sockets_per_person_are_capped_with_4429() {
    let app = TestApp::spawn_configured(&[("WAGENT_WS_MAX_CONNECTIONS", "2")]).await;
    let alice = app.sign_in("alice").await;
    let bob = app.sign_in("bob").await;
    let first = Subscriber::connect(&app.ws_url(), &alice, PROTOCOL)
        .await
        .unwrap();
    let _second = Subscriber::connect(&app.ws_url(), &alice, PROTOCOL)
        .await
        .unwrap();
    let third = Subscriber::connect(&app.ws_url(), &alice, PROTOCOL).await;
    let reason = third.err().expect("a third socket is refused");
    assert!(reason.starts_with("4429"), "{reason}");
    // Someone else is not affected, and closing a socket frees its place.
    Subscriber::connect(&app.ws_url(), &bob, PROTOCOL)
        .await
        .unwrap();
    drop(first);
    wait_until("the place to be freed", Duration::from_secs(5), || async {
        Subscriber::connect(&app.ws_url(), &alice, PROTOCOL)
            .await
            .is_ok()
    })
    .await;
}
