//! API tokens never mint rights: they create no tokens and invite nobody, and a member's
//! tokens end with their membership.

use serde_json::json;

use crate::helpers::{TestApp, code};

const VIEWER: &str = "{ viewer { apiToken { id } } }";

#[tokio::test(flavor = "multi_thread")]
async fn an_api_token_creates_no_token_and_invites_nobody() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let (_, owner_token) = app.api_token(&org, "alice", "OWNER").await;
    let (_, body) = app
        .gql(
            Some(&owner_token),
            "mutation($o: ID!) { createApiToken(input: {organizationId: $o, name: \"more\", role: MEMBER}) { token } }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
    let (_, body) = app
        .gql(
            Some(&owner_token),
            "mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"eve@example.com\", role: ADMIN}) { acceptUrl } }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
    // The Owner in person still can.
    app.api_token(&org, "alice", "MEMBER").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_or_leaving_revokes_the_members_tokens() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let bob_id = app.add_member(&org, "alice", "bob", "ADMIN").await;
    app.add_member(&org, "alice", "carol", "ADMIN").await;
    let (_, bobs) = app.api_token(&org, "bob", "ADMIN").await;
    let (_, carols) = app.api_token(&org, "carol", "ADMIN").await;
    let (_, alices) = app.api_token(&org, "alice", "ADMIN").await;
    for token in [&bobs, &carols, &alices] {
        app.ok(token, VIEWER, json!({})).await;
    }

    let alice = app.sign_in("alice").await;
    app.ok(
        &alice,
        "mutation($o: ID!, $u: ID!) { removeMember(input: {organizationId: $o, userId: $u}) }",
        json!({ "o": org, "u": bob_id }),
    )
    .await;
    let (status, body) = app.gql(Some(&bobs), VIEWER, json!({})).await;
    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED, "{body}");

    let carol = app.sign_in("carol").await;
    app.ok(
        &carol,
        "mutation($o: ID!) { leaveOrganization(input: {organizationId: $o}) }",
        json!({ "o": org }),
    )
    .await;
    let (status, body) = app.gql(Some(&carols), VIEWER, json!({})).await;
    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED, "{body}");

    // Other members' tokens live on.
    app.ok(&alices, VIEWER, json!({})).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn demoting_a_member_revokes_their_tokens_above_the_new_role() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let bob_id = app.add_member(&org, "alice", "bob", "ADMIN").await;
    let (_, admin_token) = app.api_token(&org, "bob", "ADMIN").await;
    let (_, member_token) = app.api_token(&org, "bob", "MEMBER").await;
    let alice = app.sign_in("alice").await;
    app.ok(
        &alice,
        "mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: MEMBER}) { role } }",
        json!({ "o": org, "u": bob_id }),
    )
    .await;
    // Bob may no longer act as an Admin, through a token either.
    let (status, body) = app.gql(Some(&admin_token), VIEWER, json!({})).await;
    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED, "{body}");
    app.ok(&member_token, VIEWER, json!({})).await;
    let log = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { auditLog { nodes { action details } } } }",
            json!({ "o": org }),
        )
        .await;
    let revoked: Vec<&serde_json::Value> = log["organization"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["action"] == "api_token.revoked")
        .collect();
    assert_eq!(revoked.len(), 1, "{log}");
    assert!(
        revoked[0]["details"]
            .to_string()
            .contains("role became member"),
        "{log}"
    );
}
