//! What one query may cost: lists read with a bounded number of statements whatever their
//! size, and list sizes counted in the complexity limit.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, code, sandbox_account};

/// The SPA's inbox list (`InboxConversations` with its `ConversationSummary` rows).
const INBOX_LIST: &str = "query($o: ID!, $first: Int) { organization(id: $o) { id conversations(first: $first) { edges { cursor node { id status labels unreadCount lastMessageAt lastMessagePreview windowOpenUntil windowOpen contact { id waId profileName } phoneNumber { id phoneNumberId displayPhoneNumber verifiedName disconnectedAt } assignee { id name email } } } pageInfo { hasNextPage endCursor } } } }";

const CUSTOMERS: usize = 12;

/// An org whose number has `CUSTOMERS` conversations, the newest two assigned to Alice.
async fn busy_inbox(app: &TestApp) -> (String, String) {
    let n = Uuid::new_v4().as_u128() % 1_000_000_000_000;
    let (waba, pn) = (format!("5{n:012}"), format!("6{n:012}"));
    sandbox_account(app, &waba, &pn).await;
    let org = app.create_org("alice", "Busy").await;
    let alice = app.sign_in("alice").await;
    app.ok(
        &alice,
        "mutation($o: ID!, $w: String!, $p: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: $w, phoneNumberId: $p, accessToken: \"t\"}) { id } }",
        json!({ "o": org, "w": waba, "p": pn }),
    )
    .await;
    for i in 0..CUSTOMERS {
        let body = json!({ "phone_number_id": pn, "from": format!("1555000{i:04}"), "name": format!("Customer {i}"), "type": "text", "text": { "body": format!("hello {i}") } });
        let r = reqwest::Client::new()
            .post(format!("{}/sandbox/customers/messages", app.sandbox_url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let list = loop {
        let d = app
            .ok(&alice, INBOX_LIST, json!({ "o": org, "first": 50 }))
            .await;
        let edges = d["organization"]["conversations"]["edges"].clone();
        if edges.as_array().unwrap().len() == CUSTOMERS {
            break edges;
        }
        assert!(
            Instant::now() < deadline,
            "the customers' messages never arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let me = app
        .ok(&alice, "{ viewer { user { id } } }", json!({}))
        .await;
    let alice_id = me["viewer"]["user"]["id"].as_str().unwrap().to_owned();
    for edge in list.as_array().unwrap().iter().take(2) {
        app.ok(
            &alice,
            "mutation($o: ID!, $c: ID!, $u: ID) { assignConversation(input: {organizationId: $o, conversationId: $c, assigneeId: $u}) { id } }",
            json!({ "o": org, "c": edge["node"]["id"], "u": alice_id }),
        )
        .await;
    }
    (org, alice)
}

/// The statements one request made the server run for `org`, and its data.
async fn statements_of(app: &TestApp, token: &str, org: &str, first: usize) -> (u64, Value) {
    let org_id = Uuid::parse_str(org).unwrap();
    let before = wagent_db::statement_count::statements(org_id);
    let data = app
        .ok(token, INBOX_LIST, json!({ "o": org, "first": first }))
        .await;
    (
        wagent_db::statement_count::statements(org_id) - before,
        data,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_inbox_list_runs_the_same_few_statements_whatever_its_size() {
    wagent_db::statement_count::enable();
    let app = TestApp::spawn().await;
    let (org, alice) = busy_inbox(&app).await;

    // The webhooks' own work for this org may still be finishing: measure until two
    // requests in a row are quiet.
    let deadline = Instant::now() + Duration::from_secs(20);
    let (small, big, data) = loop {
        let (small, _) = statements_of(&app, &alice, &org, 1).await;
        let (big, data) = statements_of(&app, &alice, &org, CUSTOMERS).await;
        if small == big || Instant::now() > deadline {
            break (small, big, data);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        small, big,
        "a page of {CUSTOMERS} conversations ran {big} statements, a page of 1 ran {small}"
    );
    // A handful of transactions (the caller's role, the page) whatever the size; the
    // organization's own row is not read when only its id is asked for. Before, each row's contact and number had a transaction of their own.
    assert!(big <= 12, "the inbox list ran {big} statements");

    let edges = data["organization"]["conversations"]["edges"]
        .as_array()
        .unwrap();
    assert_eq!(edges.len(), CUSTOMERS);
    for (i, edge) in edges.iter().enumerate() {
        let node = &edge["node"];
        assert!(
            node["contact"]["waId"]
                .as_str()
                .unwrap()
                .starts_with("1555000"),
            "{node}"
        );
        assert!(
            node["phoneNumber"]["displayPhoneNumber"].is_string(),
            "{node}"
        );
        assert_eq!(
            node["assignee"]["email"].as_str(),
            (i < 2).then_some("alice@example.com"),
            "{node}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_asking_for_huge_nested_lists_is_refused_before_it_runs() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;

    let nested = "query($o: ID!) { organization(id: $o) { conversations(first: 100) { nodes { id messages(first: 100) { nodes { id text } } } } } }";
    let (_, body) = app.gql(Some(&alice), nested, json!({ "o": org })).await;
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body}");

    // So is one nested deeper than any screen needs, with its own code.
    let deep = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {}name{} }} }} }} }} }}",
        "ofType { ".repeat(10),
        " }".repeat(10)
    );
    let (_, body) = app.gql(Some(&alice), &deep, json!({})).await;
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(code(&body), "QUERY_TOO_DEEP", "{body}");

    // A page over the largest is refused as invalid, not run.
    let huge = "query($o: ID!) { organization(id: $o) { auditLog(first: 1000000) { nodes { id action } } } }";
    let (_, body) = app.gql(Some(&alice), huge, json!({ "o": org })).await;
    assert_eq!(code(&body), "VALIDATION", "{body}");

    // The SPA's inbox list for a page of 50 stays well within the limit.
    app.ok(&alice, INBOX_LIST, json!({ "o": org, "first": 50 }))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn business_profiles_are_not_a_field_of_list_rows() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let (_, body) = app
        .gql(
            Some(&alice),
            "query($o: ID!) { organization(id: $o) { phoneNumbers { businessProfile { about } } } }",
            json!({ "o": org }),
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("businessProfile"), "{body}");
}
