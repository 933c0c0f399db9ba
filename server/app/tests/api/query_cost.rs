//! What one query may cost: lists read with a bounded number of statements whatever their
//! size, and list sizes counted in the complexity limit.

use std::time::Duration;

use serde_json::{Value, json};
use uuid::Uuid;
use wagent_testkit::wait_for;

use crate::{
    helpers::{TestApp, code, sandbox_account},
    ws::Subscriber,
};

/// The SPA's inbox list (`InboxConversations` with its `ConversationSummary` rows).
const INBOX_LIST: &str = "query($o: ID!, $first: Int) { organization(id: $o) { id conversations(first: $first) { edges { cursor node { id status labels unreadCount lastMessageAt lastMessagePreview handler windowOpenUntil windowOpen contact { id waId phone userId username profileName } phoneNumber { id phoneNumberId displayPhoneNumber verifiedName disconnectedAt } assignee { id name email } } } pageInfo { hasNextPage endCursor } } } }";

const CUSTOMERS: usize = 12;

/// Alice's org with a connected sandbox number: the org, Alice's token and the number.
async fn connected_org(app: &TestApp) -> (String, String, String) {
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
    (org, alice, pn)
}

/// A customer writes to the number through the sandbox.
async fn customer_writes(app: &TestApp, pn: &str, from: &str, message: Value) {
    let mut body =
        json!({ "phone_number_id": pn, "from": from, "name": format!("Customer {from}") });
    body.as_object_mut()
        .unwrap()
        .extend(message.as_object().unwrap().clone());
    let r = reqwest::Client::new()
        .post(format!("{}/sandbox/customers/messages", app.sandbox_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
}

/// An org whose number has `CUSTOMERS` conversations, the newest two assigned to Alice.
async fn busy_inbox(app: &TestApp) -> (String, String) {
    let (org, alice, pn) = connected_org(app).await;
    for i in 0..CUSTOMERS {
        let text = json!({ "type": "text", "text": { "body": format!("hello {i}") } });
        customer_writes(app, &pn, &format!("1555000{i:04}"), text).await;
    }
    let list = wait_for(
        "the customers' messages to reach the inbox",
        Duration::from_secs(20),
        || async {
            let d = app
                .ok(&alice, INBOX_LIST, json!({ "o": org, "first": 50 }))
                .await;
            let edges = d["organization"]["conversations"]["edges"].clone();
            (edges.as_array().unwrap().len() == CUSTOMERS).then_some(edges)
        },
    )
    .await;
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
    app.ok_counted(token, INBOX_LIST, json!({ "o": org, "first": first }), org)
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thread_reads_its_files_with_its_messages() {
    wagent_db::statement_count::enable();
    let app = TestApp::spawn().await;
    let (org, alice, pn) = connected_org(&app).await;
    const PHOTOS: usize = 4;
    for i in 0..PHOTOS {
        let photo = json!({ "type": "image", "image": { "caption": format!("photo {i}") } });
        customer_writes(&app, &pn, "15550009999", photo).await;
    }
    let thread = "query($o: ID!, $first: Int) { organization(id: $o) { conversations(first: 1) { nodes { messages(first: $first) { nodes { text media { status mimeType url } } } } } } }";
    let statements = async |first: usize| {
        app.ok_counted(&alice, thread, json!({ "o": org, "first": first }), &org)
            .await
    };
    // Every photo downloaded and stored, and the webhooks' own work for the org finished.
    let (big, data) = wait_for(
        "the photos to be stored and a page of 1 and of all to run as many statements",
        Duration::from_secs(20),
        || async {
            let (small, _) = statements(1).await;
            let (big, data) = statements(PHOTOS).await;
            let nodes = data["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
                .as_array()?
                .clone();
            let stored =
                nodes.len() == PHOTOS && nodes.iter().all(|m| m["media"]["status"] == "STORED");
            (stored && small == big).then_some((big, data))
        },
    )
    .await;
    assert!(big <= 12, "the thread ran {big} statements");
    let nodes = data["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
        .as_array()
        .unwrap();
    for m in nodes {
        assert!(
            m["media"]["url"].as_str().unwrap().starts_with("/media/"),
            "{m}"
        );
        assert!(m["text"].as_str().unwrap().starts_with("photo"), "{m}");
    }
}

/// Every plain field of an inbox row, with aliases, a fragment and an inline fragment.
/// `REPEAT` is where a field can be selected a second time.
const EVERY_ROW_FIELD: &str = "query($o: ID!, $first: Int) { organization(id: $o) { conversations(first: $first) { __typename total: pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { __typename cursor node { __typename ...Row REPEAT ... on Conversation { who: assignee { email } } EXTRA } } nodes { id } } } }
fragment Row on Conversation { id status labels unreadCount lastMessageAt lastMessagePreview windowOpenUntil windowOpen handler agentId handoffReason handoffAt
  contact { __typename id waId phone userId username profileName createdAt name displayName email language country timeZone tags fields marketing marketingSource marketingChangedAt lastInboundAt lastOutboundAt }
  phoneNumber { __typename id phoneNumberId displayPhoneNumber verifiedName qualityRating status nameStatus messagingLimit throughputLevel refreshedAt disconnectedAt }
  assignee { __typename id name email } }";

fn every_row_field(repeat: &str, extra: &str) -> String {
    EVERY_ROW_FIELD
        .replace("REPEAT", repeat)
        .replace("EXTRA", extra)
}

#[tokio::test(flavor = "multi_thread")]
async fn inbox_rows_answer_alike_with_and_without_a_field_that_queries() {
    let app = TestApp::spawn().await;
    let (org, alice) = busy_inbox(&app).await;
    let vars = json!({ "o": org, "first": 50 });

    // The rows' own values take the list's single walk, written as JSON into the HTTP
    // answer; a field with arguments that runs a query (`messages`) sends the whole list
    // through async-graphql's resolvers.
    let plain = app.ok(&alice, &every_row_field("", ""), vars.clone()).await;
    let mut resolved = app
        .ok(
            &alice,
            &every_row_field("", "messages(first: 1) { nodes { text } }"),
            vars.clone(),
        )
        .await;
    let edges = resolved["organization"]["conversations"]["edges"]
        .as_array_mut()
        .unwrap();
    assert_eq!(edges.len(), CUSTOMERS);
    for edge in edges {
        let node = edge["node"].as_object_mut().unwrap();
        let messages = node.remove("messages").unwrap();
        assert!(
            messages["nodes"][0]["text"]
                .as_str()
                .unwrap()
                .starts_with("hello"),
            "{messages}"
        );
    }
    assert_eq!(plain, resolved);

    // Over the websocket the walk's JSON is read back into async-graphql's value.
    let mut socket = Subscriber::connect(&app.ws_url(), &alice, "graphql-transport-ws")
        .await
        .unwrap();
    socket
        .subscribe("list", &every_row_field("", ""), vars.clone(), true)
        .await;
    let over_socket = socket.next_event(Duration::from_secs(10)).await.unwrap();
    assert_eq!(over_socket["data"], plain, "{over_socket}");

    // A field selected twice (`contact { id }` beside the fragment's `contact {...}`) is
    // merged, as async-graphql merges it: the same answer with nothing lost.
    let merged = app
        .ok(&alice, &every_row_field("contact { id }", ""), vars)
        .await;
    assert_eq!(merged, plain);

    // The answer itself: both assigned rows name Alice under both keys, every row its
    // contact's number.
    let edges = plain["organization"]["conversations"]["edges"]
        .as_array()
        .unwrap();
    for (i, edge) in edges.iter().enumerate() {
        let node = &edge["node"];
        let email = (i < 2).then_some("alice@example.com");
        assert_eq!(node["assignee"]["email"].as_str(), email, "{node}");
        assert_eq!(node["who"]["email"].as_str(), email, "{node}");
        assert_eq!(node["__typename"], "Conversation");
        assert_eq!(node["handler"], "TEAM");
        assert_eq!(node["contact"]["__typename"], "Contact");
        assert_eq!(node["contact"]["phone"], node["contact"]["waId"]);
        assert_eq!(node["contact"]["marketing"], "UNKNOWN", "{node}");
        assert_eq!(edge["__typename"], "ConversationEdge");
    }
    let page = &plain["organization"]["conversations"];
    assert_eq!(page["__typename"], "ConversationConnection");
    assert_eq!(page["total"]["endCursor"], edges[CUSTOMERS - 1]["cursor"]);
    assert_eq!(page["nodes"][0]["id"], edges[0]["node"]["id"]);

    // The list reads only what its rows show of a contact; the rest comes from the page's
    // contacts read whole, and is what the contact itself answers.
    let every_contact_field = EVERY_ROW_FIELD
        .split_once("contact { __typename ")
        .unwrap()
        .1
        .split_once('}')
        .unwrap()
        .0;
    for edge in edges {
        let row = &edge["node"]["contact"];
        let one = app
            .ok(
                &alice,
                &format!(
                    "query($o: ID!, $c: ID!) {{ organization(id: $o) {{ contact(id: $c) {{ __typename {every_contact_field} }} }} }}"
                ),
                json!({ "o": org, "c": row["id"] }),
            )
            .await;
        assert_eq!(&one["organization"]["contact"], row);
    }
    // So with the number.
    let every_number_field = EVERY_ROW_FIELD
        .split_once("phoneNumber { __typename ")
        .unwrap()
        .1
        .split_once('}')
        .unwrap()
        .0;
    let numbers = app
        .ok(
            &alice,
            &format!(
                "query($o: ID!) {{ organization(id: $o) {{ phoneNumbers {{ __typename {every_number_field} }} }} }}"
            ),
            json!({ "o": org }),
        )
        .await;
    let number = &numbers["organization"]["phoneNumbers"][0];
    assert_eq!(number["status"], "CONNECTED", "{number}");
    for edge in edges {
        assert_eq!(&edge["node"]["phoneNumber"], number);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_inbox_list_runs_the_same_few_statements_whatever_its_size() {
    wagent_db::statement_count::enable();
    let app = TestApp::spawn().await;
    let (org, alice) = busy_inbox(&app).await;

    // The webhooks' own work for this org may still be finishing: measure until two
    // requests in a row are quiet.
    let (big, data) = wait_for(
        "a page of 1 and a page of all to run as many statements",
        Duration::from_secs(20),
        || async {
            let (small, _) = statements_of(&app, &alice, &org, 1).await;
            let (big, data) = statements_of(&app, &alice, &org, CUSTOMERS).await;
            (small == big).then_some((big, data))
        },
    )
    .await;
    // A handful of transactions (the caller's role, the page) whatever the size; the
    // organization's own row is not read when only its id is asked for. Before, each row's contact and number had a transaction of their own.
    assert!(big <= 12, "the inbox list ran {big} statements");

    // Every field of the rows' contacts and numbers (most of them outside what the list
    // reads with a row): one more read each for the page, whatever its size.
    let every = every_row_field("", "");
    let count = async |first: usize| {
        app.ok_counted(&alice, &every, json!({ "o": org, "first": first }), &org)
            .await
            .0
    };
    let (small, whole) = (count(1).await, count(CUSTOMERS).await);
    assert_eq!(
        small, whole,
        "a page of 1 ran {small} statements, of all {whole}"
    );
    assert!(
        whole <= big + 6,
        "the page with whole contacts ran {whole} statements, {big} without"
    );

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

/// The inbox list asked for again is answered from memory, until something it shows
/// changes: by this server, at once (the writer sees their change on their next request),
/// by another server, as soon as that one's notice arrives.
#[tokio::test(flavor = "multi_thread")]
async fn the_inbox_list_is_kept_until_what_it_shows_changes_in_any_process() {
    wagent_db::statement_count::enable();
    let app = TestApp::spawn().await;
    let (org, alice) = busy_inbox(&app).await;
    let org_id = Uuid::parse_str(&org).unwrap();
    let vars = json!({ "o": org, "first": 50 });
    let kept = async |app: &TestApp| {
        let before = wagent_db::statement_count::statements(org_id);
        let data = app.ok(&alice, INBOX_LIST, vars.clone()).await;
        (
            wagent_db::statement_count::statements(org_id) - before,
            data,
        )
    };

    // The webhooks' own work for the org may still be finishing (each of its transactions
    // counts as a change): until a page read, then asked for again right after, comes the
    // second time from memory, fewer statements for the same answer.
    let (read, again, data) = wait_for(
        "the same page asked for again to run fewer statements",
        Duration::from_secs(20),
        || async {
            let (read, first) = app.ok_counted(&alice, INBOX_LIST, vars.clone(), &org).await;
            let (again, second) = kept(&app).await;
            (first == second && again < read).then_some((read, again, second))
        },
    )
    .await;

    // Requests that arrive while the page is being read wait for that one read.
    app.changes.changed(org_id);
    let before = wagent_db::statement_count::statements(org_id);
    let answers =
        futures::future::join_all((0..8).map(|_| app.ok(&alice, INBOX_LIST, vars.clone()))).await;
    let ran = wagent_db::statement_count::statements(org_id) - before;
    assert!(answers.iter().all(|a| a == &data));
    assert_eq!(
        ran,
        read + 7 * again,
        "8 requests at once ran {ran} statements; one read runs {read}, one kept page {again}"
    );
    let edges = data["organization"]["conversations"]["edges"]
        .as_array()
        .unwrap();
    let assignee = |data: &Value, id: &Value| {
        data["organization"]["conversations"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| &e["node"]["id"] == id)
            .map(|e| e["node"]["assignee"]["email"].clone())
            .unwrap()
    };
    let (mine, theirs) = (
        edges[2]["node"]["id"].clone(),
        edges[3]["node"]["id"].clone(),
    );
    assert_eq!(assignee(&data, &mine), Value::Null);
    assert_eq!(assignee(&data, &theirs), Value::Null);
    let me = app
        .ok(&alice, "{ viewer { user { id } } }", json!({}))
        .await;
    let alice_id = me["viewer"]["user"]["id"].clone();
    const ASSIGN: &str = "mutation($o: ID!, $c: ID!, $u: ID) { assignConversation(input: {organizationId: $o, conversationId: $c, assigneeId: $u}) { id } }";

    // Alice's own change shows on her very next request.
    app.ok(
        &alice,
        ASSIGN,
        json!({ "o": org, "c": mine, "u": alice_id }),
    )
    .await;
    let (_, data) = kept(&app).await;
    assert_eq!(assignee(&data, &mine), "alice@example.com");

    // A change through another server reaches this one's kept page with its notice.
    let (_, data) = kept(&app).await;
    assert_eq!(assignee(&data, &theirs), Value::Null);
    let other = app.another_process().await;
    let before = app.changes.stamp(org_id).unwrap();
    other
        .ok(
            &alice,
            ASSIGN,
            json!({ "o": org, "c": theirs, "u": alice_id }),
        )
        .await;
    wagent_testkit::wait_until(
        "the other server's notice",
        Duration::from_secs(10),
        || async { app.changes.stamp(org_id) != Some(before) },
    )
    .await;
    let (_, data) = kept(&app).await;
    assert_eq!(assignee(&data, &theirs), "alice@example.com");
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
async fn a_query_text_seen_before_is_still_refused_for_bad_variables_and_its_cost() {
    // The API validates a text in full once, then runs it in the fast mode (see
    // `wagent_graphql::Api`): what depends on the variables must still be refused.
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let nested = "query($o: ID!, $n: Int) { organization(id: $o) { conversations(first: $n) { nodes { id messages(first: $n) { nodes { id text } } } } } }";
    // Refused as invalid, with a message naming `what`.
    let invalid = |body: &Value, what: &str, round: usize| {
        assert_eq!(
            code(body),
            "GRAPHQL_VALIDATION_FAILED",
            "round {round}: {body}"
        );
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(what),
            "round {round}: {body}"
        );
    };

    for round in 0..2 {
        // Passes: from now on the text is known.
        let data = app.ok(&alice, nested, json!({ "o": org, "n": 2 })).await;
        assert!(
            data["organization"]["conversations"]["nodes"].is_array(),
            "{data}"
        );
        // A value of the wrong type for `first`: refused, nothing read.
        let (_, body) = app
            .gql(Some(&alice), nested, json!({ "o": org, "n": "fifty" }))
            .await;
        invalid(&body, "Int", round);
        assert!(
            body["data"].is_null() || body["data"]["organization"].is_null(),
            "round {round}: {body}"
        );
        // A filter with a field the input type does not have: refused, not ignored.
        let filtered = "query($o: ID!, $f: ConversationFilterInput) { organization(id: $o) { conversations(filter: $f, first: 5) { nodes { id } } } }";
        if round == 0 {
            app.ok(
                &alice,
                filtered,
                json!({ "o": org, "f": { "unreadOnly": true } }),
            )
            .await;
        }
        let (_, body) = app
            .gql(
                Some(&alice),
                filtered,
                json!({ "o": org, "f": { "unreadOnly": true, "assignedToMe": true } }),
            )
            .await;
        invalid(&body, "assignedToMe", round);
        // Lists of 100 in lists of 100: the cost counts the variables' `first`.
        let (_, body) = app
            .gql(Some(&alice), nested, json!({ "o": org, "n": 100 }))
            .await;
        assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "round {round}: {body}");
    }

    // A text the schema refuses is refused every time, never remembered as checked.
    let unknown = "query($o: ID!) { organization(id: $o) { id secretField } }";
    for _ in 0..2 {
        let (_, body) = app.gql(Some(&alice), unknown, json!({ "o": org })).await;
        assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
        assert!(body["data"].is_null(), "{body}");
    }
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

/// A page of conversations with each one's latest messages (under two sets of arguments),
/// notes and AI turns.
const THREADS: &str = "query($o: ID!, $first: Int) { organization(id: $o) { conversations(first: $first) { nodes { id contact { waId } latest: messages(first: 1) { nodes { text } pageInfo { hasNextPage } } messages(first: 5) { nodes { text } } notes { body } aiTurns(first: 2) { id } } } } }";

#[tokio::test(flavor = "multi_thread")]
async fn a_page_of_conversations_reads_their_messages_and_notes_together() {
    wagent_db::statement_count::enable();
    let app = TestApp::spawn().await;
    let (org, alice) = busy_inbox(&app).await;
    // The first customer writes again; two conversations get a note each.
    let list = app
        .ok(&alice, INBOX_LIST, json!({ "o": org, "first": 50 }))
        .await;
    let edges = list["organization"]["conversations"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    for edge in &edges[..2] {
        let wa_id = edge["node"]["contact"]["waId"].as_str().unwrap();
        app.ok(
            &alice,
            "mutation($o: ID!, $c: ID!, $b: String!) { addNote(input: {organizationId: $o, conversationId: $c, body: $b}) { id } }",
            json!({ "o": org, "c": edge["node"]["id"], "b": format!("note on {wa_id}") }),
        )
        .await;
    }
    let sandbox_pn = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { phoneNumbers { phoneNumberId } } }",
            json!({ "o": org }),
        )
        .await["organization"]["phoneNumbers"][0]["phoneNumberId"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = json!({ "type": "text", "text": { "body": "hello again 0" } });
    customer_writes(&app, &sandbox_pn, "15550000000", again).await;

    let statements = async |first: usize| {
        app.ok_counted(&alice, THREADS, json!({ "o": org, "first": first }), &org)
            .await
    };
    let (big, data) = wait_for(
        "the second message to arrive and a page of 1 and of all to run as many statements",
        Duration::from_secs(20),
        || async {
            let (small, _) = statements(1).await;
            let (big, data) = statements(CUSTOMERS).await;
            let nodes = data["organization"]["conversations"]["nodes"].as_array()?;
            let arrived = nodes
                .iter()
                .any(|n| n["latest"]["nodes"][0]["text"] == "hello again 0");
            (arrived && small == big).then_some((big, data))
        },
    )
    .await;
    // The page, the threads under each set of arguments, the notes, the AI turns: a few
    // transactions whatever the page's size. Before, each row's were one each.
    assert!(big <= 24, "the page with its threads ran {big} statements");

    let nodes = data["organization"]["conversations"]["nodes"]
        .as_array()
        .unwrap();
    assert_eq!(nodes.len(), CUSTOMERS);
    for node in nodes {
        // Each conversation shows its own customer's messages, newest first.
        let wa_id = node["contact"]["waId"].as_str().unwrap();
        let i: usize = wa_id.trim_start_matches("1555000").parse().unwrap();
        let texts: Vec<&str> = node["messages"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"].as_str().unwrap())
            .collect();
        let hello = format!("hello {i}");
        if i == 0 {
            assert_eq!(texts, ["hello again 0", "hello 0"], "{node}");
        } else {
            assert_eq!(texts, [hello.as_str()], "{node}");
        }
        assert_eq!(node["latest"]["nodes"][0]["text"], texts[0], "{node}");
        assert_eq!(node["latest"]["pageInfo"]["hasNextPage"], i == 0, "{node}");
        let notes: Vec<&str> = node["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["body"].as_str().unwrap())
            .collect();
        let noted = edges[..2]
            .iter()
            .any(|e| e["node"]["contact"]["waId"] == wa_id);
        let expected = format!("note on {wa_id}");
        if noted {
            assert_eq!(notes, [expected.as_str()], "{node}");
        } else {
            assert!(notes.is_empty(), "{node}");
        }
        // No agent answers this number.
        assert_eq!(node["aiTurns"], json!([]), "{node}");
    }
}

/// The SPA's campaign list (`Campaigns`), with each campaign's timeline besides.
const CAMPAIGN_LIST: &str = "query($o: ID!, $first: Int) { organization(id: $o) { id campaigns(first: $first) { nodes { id name status statusReason createdAt startsAt stats { audience sent deliveryRate readRate replyRate skippedByReason { key count } } timeline { minute sent } } pageInfo { hasNextPage endCursor } } } }";

/// The SPA's recipient table (`CampaignRecipients`).
const RECIPIENT_LIST: &str = "query($o: ID!, $c: ID!, $first: Int) { organization(id: $o) { id campaign(id: $c) { id recipients(first: $first) { nodes { id contactId name address status skipReason attempts errorCode errorText sentAt deliveredAt readAt repliedAt failedAt optedOutAt pricingCategory } pageInfo { hasNextPage endCursor } } } } }";

/// The SPA's contact list (`Contacts` with its `ContactListItem` rows).
const CONTACT_LIST: &str = "query($o: ID!, $first: Int) { organization(id: $o) { id contacts(first: $first) { nodes { id waId phone name profileName displayName country tags marketing lastInboundAt } pageInfo { hasNextPage endCursor } } } }";

#[tokio::test(flavor = "multi_thread")]
async fn campaign_recipient_and_contact_lists_run_the_same_statements_whatever_their_size() {
    wagent_db::statement_count::enable();
    let app = TestApp::spawn().await;
    let (org, number, _) = crate::whatsapp::connected(&app).await;
    let alice = app.sign_in("alice").await;
    crate::campaigns::import(
        &app,
        &alice,
        &org,
        "phone,name,tier,tags,marketing\n\
         +55 11 97777-0001,Ana,gold,vip,\n\
         +55 11 97777-0002,Bia,gold,vip,\n\
         +55 11 97777-0003,Caio,gold,vip,\n\
         +55 11 97777-0004,Duda,gold,vip,\n",
    )
    .await;
    let template = crate::campaigns::marketing_template(&app, &alice, &org, &number).await;
    let mut campaigns = Vec::new();
    for name in ["First", "Second", "Third"] {
        let made = app
            .ok(
                &alice,
                "mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }",
                json!({ "i": {
                    "organizationId": org,
                    "name": name,
                    "phoneNumberId": number,
                    "templateId": template,
                    "parameters": [
                        { "part": "BODY", "placeholder": "1", "field": "first_name" },
                        { "part": "BODY", "placeholder": "2", "field": "tier" }
                    ],
                    "audience": { "tags": ["vip"] },
                    "schedule": { "kind": "NOW" }
                } }),
            )
            .await;
        campaigns.push(made["createCampaign"]["id"].as_str().unwrap().to_owned());
    }
    let sent = &campaigns[0];
    app.ok(
        &alice,
        "mutation($o: ID!, $c: ID!) { launchCampaign(organizationId: $o, campaignId: $c) { status } }",
        json!({ "o": org, "c": sent }),
    )
    .await;
    crate::whatsapp::eventually(
        &app,
        &alice,
        "query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { status } } }",
        json!({ "o": org, "c": sent }),
        |d| d["organization"]["campaign"]["status"] == "COMPLETED",
    )
    .await;

    // The campaign's statuses may still be arriving: measure until a page of one and a page
    // of all run as many statements twice in a row.
    let lists = [
        ("campaigns", CAMPAIGN_LIST, json!({ "o": org }), 3),
        (
            "recipients",
            RECIPIENT_LIST,
            json!({ "o": org, "c": sent }),
            4,
        ),
        ("contacts", CONTACT_LIST, json!({ "o": org }), 4),
    ];
    for (name, query, variables, rows) in lists {
        let count = async |first: usize| {
            let mut v = variables.clone();
            v["first"] = json!(first);
            app.ok_counted(&alice, query, v, &org).await
        };
        let (whole, data) = wait_for(
            &format!("the {name} list to run as many statements for 1 row as for {rows}"),
            Duration::from_secs(20),
            || async {
                let (one, _) = count(1).await;
                let (whole, data) = count(rows).await;
                (one == whole).then_some((whole, data))
            },
        )
        .await;
        assert!(whole <= 12, "the {name} list ran {whole} statements");
        let nodes = match name {
            "recipients" => &data["organization"]["campaign"]["recipients"]["nodes"],
            _ => &data["organization"][name]["nodes"],
        };
        assert_eq!(nodes.as_array().unwrap().len(), rows, "{data}");
    }
    let listed = app
        .ok(&alice, CAMPAIGN_LIST, json!({ "o": org, "first": 3 }))
        .await;
    let launched = listed["organization"]["campaigns"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == sent.as_str())
        .unwrap()
        .clone();
    assert_eq!(launched["stats"]["audience"], 4, "{launched}");
    assert_eq!(launched["stats"]["sent"], 4, "{launched}");
}
