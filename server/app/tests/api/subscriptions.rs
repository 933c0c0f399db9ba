//! Live organization events over websockets, across server processes.

use std::time::Duration;

use serde_json::json;

use crate::{helpers::TestApp, ws::Subscriber};

const EVENTS: &str =
    "subscription($o: ID!) { organizationEvents(organizationId: $o) { kind organizationId } }";

#[tokio::test(flavor = "multi_thread")]
async fn an_event_from_one_process_reaches_subscribers_of_another() {
    let a = TestApp::spawn().await;
    let b = a.another_process().await;
    let org = a.create_org("alice", "Acme").await;
    let alice = a.sign_in("alice").await;
    let mut sub = Subscriber::connect(&a.ws_url(), &alice, "graphql-transport-ws")
        .await
        .unwrap();
    sub.subscribe("1", EVENTS, json!({ "o": org }), true).await;
    a.wait_for_subscriptions(1).await;
    b.ok(&alice, "mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"Acme 2\"}) { name } }", json!({ "o": org })).await;
    let event = sub
        .next_event(Duration::from_secs(5))
        .await
        .expect("the rename reaches process A");
    assert_eq!(
        event["data"]["organizationEvents"],
        json!({ "kind": "RENAMED", "organizationId": org })
    );
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_legacy_graphql_ws_protocol_works_too() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let mut sub = Subscriber::connect(&app.ws_url(), &alice, "graphql-ws")
        .await
        .unwrap();
    sub.subscribe("1", EVENTS, json!({ "o": org }), false).await;
    app.wait_for_subscriptions(1).await;
    app.add_member(&org, "alice", "bob", "MEMBER").await;
    let event = sub.next_event(Duration::from_secs(5)).await.unwrap();
    assert!(
        ["MEMBERS_CHANGED", "INVITATIONS_CHANGED"].contains(
            &event["data"]["organizationEvents"]["kind"]
                .as_str()
                .unwrap()
        ),
        "{event}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_init_without_valid_credentials_is_refused() {
    let app = TestApp::spawn().await;
    let refused = Subscriber::connect(&app.ws_url(), "not-a-token", "graphql-transport-ws").await;
    assert!(refused.is_err());
    let refused = Subscriber::connect(&app.ws_url(), "", "graphql-transport-ws").await;
    assert!(refused.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_removed_member_stops_hearing_and_a_stranger_never_hears() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let bob_id = app.add_member(&org, "alice", "bob", "MEMBER").await;
    let alice = app.sign_in("alice").await;
    let bob = app.sign_in("bob").await;
    let carol = app.sign_in("carol").await;

    let mut stranger = Subscriber::connect(&app.ws_url(), &carol, "graphql-transport-ws")
        .await
        .unwrap();
    stranger
        .subscribe("1", EVENTS, json!({ "o": org }), true)
        .await;
    let refused = stranger.next_event(Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{refused}"
    );

    let mut sub = Subscriber::connect(&app.ws_url(), &bob, "graphql-transport-ws")
        .await
        .unwrap();
    sub.subscribe("1", EVENTS, json!({ "o": org }), true).await;
    app.wait_for_subscriptions(1).await;
    app.ok(&alice, "mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"Acme 2\"}) { name } }", json!({ "o": org })).await;
    // Events of Bob's own joining may still be on their way; they come before the rename.
    loop {
        let event = sub
            .next_event(Duration::from_secs(5))
            .await
            .expect("the rename arrives");
        if event["data"]["organizationEvents"]["kind"] == "RENAMED" {
            break;
        }
    }
    app.ok(
        &alice,
        "mutation($o: ID!, $u: ID!) { removeMember(input: {organizationId: $o, userId: $u}) }",
        json!({ "o": org, "u": bob_id }),
    )
    .await;
    let end = sub.next_event(Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        end["type"], "complete",
        "the stream ends instead of delivering: {end}"
    );
}
