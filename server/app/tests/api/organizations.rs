//! Organizations, members and invitations as a user meets them.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, code};

const MEMBERS: &str = "query($o: ID!, $f: Int, $a: String) { organization(id: $o) { memberCount members(first: $f, after: $a) { pageInfo { hasNextPage endCursor } nodes { role user { email } } } } }";

#[tokio::test(flavor = "multi_thread")]
async fn an_invited_person_joins_with_the_invited_role() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let bob = app.sign_in("bob").await;
    let carol = app.sign_in("carol").await;

    let invited = app
        .ok(&alice, "mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"Bob@Example.com\", role: ADMIN}) { acceptUrl invitation { email status invitedBy { email } } } }", json!({ "o": org }))
        .await;
    let url = invited["inviteMember"]["acceptUrl"].as_str().unwrap();
    assert!(
        url.starts_with("http://localhost:8080/invitations/accept#token="),
        "{url}"
    );
    assert_eq!(
        invited["inviteMember"]["invitation"]["email"],
        "bob@example.com"
    );
    assert_eq!(
        invited["inviteMember"]["invitation"]["invitedBy"]["email"],
        "alice@example.com"
    );
    let token = url.split("#token=").nth(1).unwrap();

    let preview = app
        .ok(
            &bob,
            "query($t: String!) { invitation(token: $t) { organizationName email role status } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(
        preview["invitation"],
        json!({ "organizationName": "Acme", "email": "bob@example.com", "role": "ADMIN", "status": "PENDING" })
    );

    // Carol holds the link but is not the invitee.
    let (_, body) = app
        .gql(
            Some(&carol),
            "mutation($t: String!) { acceptInvitation(input: {token: $t}) { role } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bob@example.com")
    );

    let accepted = app.ok(&bob, "mutation($t: String!) { acceptInvitation(input: {token: $t}) { role organization { name } } }", json!({ "t": token })).await;
    assert_eq!(
        accepted["acceptInvitation"],
        json!({ "role": "ADMIN", "organization": { "name": "Acme" } })
    );
    let (_, body) = app
        .gql(
            Some(&bob),
            "mutation($t: String!) { acceptInvitation(input: {token: $t}) { role } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION", "a link works once");

    let members = app.ok(&bob, MEMBERS, json!({ "o": org })).await;
    assert_eq!(members["organization"]["memberCount"], 2);
    let viewer = app
        .ok(
            &bob,
            "{ viewer { memberships { role organization { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        viewer["viewer"]["memberships"],
        json!([{ "role": "ADMIN", "organization": { "name": "Acme" } }])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unverified_email_cannot_accept_and_revoked_links_stop_working() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let invite = |email: &'static str| {
        let (app, alice, org) = (&app, alice.clone(), org.clone());
        async move {
            let d = app
                .ok(&alice, "mutation($o: ID!, $e: String!) { inviteMember(input: {organizationId: $o, email: $e, role: MEMBER}) { acceptUrl invitation { id } } }", json!({ "o": org, "e": email }))
                .await;
            (
                d["inviteMember"]["invitation"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                d["inviteMember"]["acceptUrl"]
                    .as_str()
                    .unwrap()
                    .split("#token=")
                    .nth(1)
                    .unwrap()
                    .to_owned(),
            )
        }
    };
    let (_, dave_token) = invite("dave@example.com").await;
    let dave = app.sign_in("dave").await;
    let (_, body) = app
        .gql(
            Some(&dave),
            "mutation($t: String!) { acceptInvitation(input: {token: $t}) { role } }",
            json!({ "t": dave_token }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("verify")
    );

    let (id, carol_token) = invite("carol@example.com").await;
    app.ok(&alice, "mutation($o: ID!, $i: ID!) { revokeInvitation(input: {organizationId: $o, invitationId: $i}) { status } }", json!({ "o": org, "i": id })).await;
    let carol = app.sign_in("carol").await;
    let (_, body) = app
        .gql(
            Some(&carol),
            "mutation($t: String!) { acceptInvitation(input: {token: $t}) { role } }",
            json!({ "t": carol_token }),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );

    let (_, body) = app
        .gql(
            Some(&carol),
            "mutation { acceptInvitation(input: {token: \"garbage\"}) { role } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organization_always_keeps_an_owner() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let bob_id = app.add_member(&org, "alice", "bob", "MEMBER").await;
    let alice = app.sign_in("alice").await;
    let bob = app.sign_in("bob").await;

    let (_, body) = app
        .gql(
            Some(&alice),
            "mutation($o: ID!) { leaveOrganization(input: {organizationId: $o}) }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("last Owner")
    );
    let me = app
        .ok(&alice, "{ viewer { user { id } } }", json!({}))
        .await;
    let alice_id = me["viewer"]["user"]["id"].as_str().unwrap().to_owned();
    let (_, body) = app
        .gql(Some(&alice), "mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: ADMIN}) { role } }", json!({ "o": org, "u": alice_id }))
        .await;
    assert_eq!(
        code(&body),
        "VALIDATION",
        "the last Owner cannot demote themself"
    );

    let moved = app
        .ok(&alice, "mutation($o: ID!, $u: ID!) { transferOwnership(input: {organizationId: $o, userId: $u}) { viewerRole } }", json!({ "o": org, "u": bob_id }))
        .await;
    assert_eq!(moved["transferOwnership"]["viewerRole"], "ADMIN");
    app.ok(
        &alice,
        "mutation($o: ID!) { leaveOrganization(input: {organizationId: $o}) }",
        json!({ "o": org }),
    )
    .await;
    let (_, body) = app
        .gql(
            Some(&alice),
            "query($o: ID!) { organization(id: $o) { name } }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "former members see nothing");
    let members = app.ok(&bob, MEMBERS, json!({ "o": org })).await;
    assert_eq!(
        members["organization"]["members"]["nodes"],
        json!([{ "role": "OWNER", "user": { "email": "bob@example.com" } }])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_page_with_cursors_and_bad_input_is_a_validation_error() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    app.add_member(&org, "alice", "bob", "MEMBER").await;
    app.add_member(&org, "alice", "carol", "MEMBER").await;
    let alice = app.sign_in("alice").await;
    let first = app.ok(&alice, MEMBERS, json!({ "o": org, "f": 2 })).await;
    let page = &first["organization"]["members"];
    assert_eq!(page["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let rest = app
        .ok(
            &alice,
            MEMBERS,
            json!({ "o": org, "f": 2, "a": page["pageInfo"]["endCursor"] }),
        )
        .await;
    let rest = &rest["organization"]["members"];
    assert_eq!(rest["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);

    for (query, vars) in [
        (MEMBERS, json!({ "o": org, "f": 1000 })),
        (MEMBERS, json!({ "o": org, "a": "not-a-cursor" })),
        (
            "query($o: ID!) { organization(id: $o) { name } }",
            json!({ "o": "not-a-uuid" }),
        ),
        (
            "mutation { createOrganization(input: {name: \"   \"}) { id } }",
            json!({}),
        ),
        (
            "mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"nobody\", role: MEMBER}) { acceptUrl } }",
            json!({ "o": org }),
        ),
        (
            "mutation($o: ID!) { createApiToken(input: {organizationId: $o, name: \"x\", role: MEMBER, expiresInDays: 4000}) { token } }",
            json!({ "o": org }),
        ),
    ] {
        let (_, body) = app.gql(Some(&alice), query, vars.clone()).await;
        assert_eq!(code(&body), "VALIDATION", "{query} {vars}: {body}");
    }
    let names = app
        .ok(
            &alice,
            "{ viewer { memberships { organization { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        names["viewer"]["memberships"].as_array().unwrap().len(),
        1,
        "nothing was created by bad input"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_records_who_did_what_from_where_newest_first() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    app.add_member(&org, "alice", "bob", "MEMBER").await;
    let alice = app.sign_in("alice").await;
    let log = app
        .ok(&alice, "query($o: ID!) { organization(id: $o) { auditLog { nodes { action actor { email } ip userAgent details } } } }", json!({ "o": org }))
        .await;
    let nodes = log["organization"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let actions: Vec<&str> = nodes
        .iter()
        .map(|n| n["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "invitation.accepted",
            "member.invited",
            "organization.created"
        ]
    );
    assert_eq!(nodes[0]["actor"]["email"], "bob@example.com");
    assert_eq!(nodes[1]["details"]["email"], "bob@example.com");
    assert!(
        nodes
            .iter()
            .all(|n| n["ip"] == "127.0.0.1" && n["userAgent"] == "wagent-tests")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn health_metrics_config_and_the_spa_are_served() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.text().await.unwrap(), "ok");
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    let config: serde_json::Value = app.get("/config.json").await.json().await.unwrap();
    assert_eq!(config["oidc"]["clientId"], "wagent-spa");
    assert_eq!(config["oidc"]["audience"], "wagent");
    let alice = app.sign_in("alice").await;
    app.ok(&alice, "{ viewer { kind } }", json!({})).await;
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("wagent_graphql_requests_total 1"),
        "{metrics}"
    );
    assert!(metrics.contains("wagent_jobs_succeeded_total"));
    // Client-side routes fall back to the app shell; missing files are 404s.
    let shell = app.get("/orgs/123/members").await;
    assert!(matches!(
        shell.status(),
        StatusCode::OK | StatusCode::SERVICE_UNAVAILABLE
    ));
    assert_eq!(
        app.get("/assets/missing.js").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        app.get("/graphql")
            .await
            .text()
            .await
            .unwrap()
            .contains("graphiql")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sets_the_time_zone_schedules_are_read_in_and_a_wrong_one_changes_nothing() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    const ZONE: &str = "query($o: ID!) { organization(id: $o) { timeZone } }";
    const SET: &str = "mutation($o: ID!, $z: String!) { setOrganizationTimeZone(input: {organizationId: $o, timeZone: $z}) { timeZone } }";

    let before = app.ok(&alice, ZONE, json!({ "o": org })).await;
    assert!(before["organization"]["timeZone"].is_string());
    let set = app
        .ok(&alice, SET, json!({ "o": org, "z": " Europe/Lisbon " }))
        .await;
    assert_eq!(set["setOrganizationTimeZone"]["timeZone"], "Europe/Lisbon");

    let (_, refused) = app
        .gql(
            Some(&alice),
            SET,
            json!({ "o": org, "z": "Mars/Olympus_Mons" }),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["message"],
        "`Mars/Olympus_Mons` is not a time zone"
    );
    assert_eq!(code(&refused), "VALIDATION");
    let after = app.ok(&alice, ZONE, json!({ "o": org })).await;
    assert_eq!(after["organization"]["timeZone"], "Europe/Lisbon");

    let audit = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { auditLog(first: 5) { nodes { action } } } }",
            json!({ "o": org }),
        )
        .await;
    let actions: Vec<&str> = audit["organization"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"organization.time_zone_changed"),
        "{actions:?}"
    );
}
