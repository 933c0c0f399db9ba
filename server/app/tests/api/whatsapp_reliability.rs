//! Sends that fail for good, statuses in any order, a bad event in a good batch, reactions
//! across conversations, and customers known by business-scoped user id.

use std::time::Duration;

use serde_json::{Value, json};
use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use wagent_testkit::{count, wait_until};

use crate::{
    helpers::{TestApp, code},
    whatsapp::{connected, customer_writes, eventually, post_webhook, signed},
};

const THREAD: &str = "query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { id contact { waId phone userId username profileName } messages(first: 30) { nodes { id direction kind text status error { code text } } } } } } }";

async fn admin(app: &TestApp) -> AsyncPgConnection {
    AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap()
}

/// Waits until `sql` (a `SELECT count(*) AS n ...`) counts `want` rows.
async fn count_reaches(app: &TestApp, sql: &str, want: i64) {
    wait_until(
        &format!("{sql} to count {want}"),
        Duration::from_secs(10),
        || async { count(&app.db.admin, sql).await == want },
    )
    .await;
}

/// A webhook delivery with one `messages` change for `pn`.
fn delivery(pn: &str, value: Value) -> String {
    let mut value = value;
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] = json!({ "display_phone_number": "15550100", "phone_number_id": pn });
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": "100200300", "changes": [{ "field": "messages", "value": value }] }] })
        .to_string()
}

async fn deliver(app: &TestApp, pn: &str, value: Value) {
    let (body, sig) = signed(&delivery(pn, value));
    assert_eq!(post_webhook(app, &body, Some(&sig)).await, 200);
}

fn text_from(wamid: &str, from: Value, text: &str) -> Value {
    let mut m = json!({ "id": wamid, "timestamp": chrono::Utc::now().timestamp().to_string(), "type": "text", "text": { "body": text } });
    for (k, v) in from.as_object().unwrap() {
        m[k] = v.clone();
    }
    m
}

/// The first conversation's id, once a customer has written.
async fn first_conversation(app: &TestApp, token: &str, org: &str) -> String {
    let inbox = eventually(app, token, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    inbox["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Sends a template Meta refuses (one it does not know: 132001, a final error) in a
/// conversation and waits until it has failed; returns the message id. (A file of a type
/// Meta does not take never leaves WAgent: the upload refuses it first.)
pub(crate) async fn failed_message(
    app: &TestApp,
    token: &str,
    org: &str,
    conversation: &str,
) -> String {
    app.ok(
        token,
        "mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, template: {name: \"no_such_template\", language: \"en_US\"}}) { id } }",
        json!({ "o": org, "c": conversation }),
    )
    .await;
    let failed = eventually(app, token, THREAD, json!({ "o": org }), |d| {
        outbound(d, conversation).is_some_and(|m| m["status"] == "FAILED")
    })
    .await;
    outbound(&failed, conversation).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The outbound message of a conversation in a `THREAD` answer.
fn outbound<'a>(d: &'a Value, conversation: &str) -> Option<&'a Value> {
    d["organization"]["conversations"]["nodes"]
        .as_array()?
        .iter()
        .find(|n| n["id"] == conversation)?["messages"]["nodes"]
        .as_array()?
        .iter()
        .find(|m| m["direction"] == "OUTBOUND")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_meta_refuses_fails_with_metas_reason_and_can_be_retried() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "send the file" } }),
    )
    .await;
    let conversation = first_conversation(&app, &alice, &org).await;
    let message = failed_message(&app, &alice, &org, &conversation).await;
    let thread = app.ok(&alice, THREAD, json!({ "o": org })).await;
    let failed = outbound(&thread, &conversation).unwrap();
    assert_eq!(
        failed["error"]["code"], 132001,
        "Meta's unknown template: {failed}"
    );
    assert!(
        failed["error"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("does not exist")),
        "Meta's words: {failed}"
    );

    let retried = app
        .ok(&alice, "mutation($o: ID!, $m: ID!) { retryMessage(input: {organizationId: $o, messageId: $m}) { id status error { code } } }", json!({ "o": org, "m": message }))
        .await;
    assert_eq!(retried["retryMessage"]["id"], message.as_str());
    assert_eq!(retried["retryMessage"]["status"], "PENDING");
    assert_eq!(retried["retryMessage"]["error"], Value::Null);
    // Meta refuses it again: failed again, and both failures stay in the history.
    count_reaches(&app,
        &format!("SELECT count(*) AS n FROM message_statuses WHERE message_id = '{message}' AND status = 'failed' AND error_code = 132001"),
        2,
    )
    .await;
    eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        outbound(d, &conversation)
            .is_some_and(|m| m["status"] == "FAILED" && m["error"]["code"] == 132001)
    })
    .await;

    // Only a failed outbound message can be retried.
    let inbound = thread["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["direction"] == "INBOUND")
        .unwrap()["id"]
        .clone();
    let (_, refused) = app
        .gql(Some(&alice), "mutation($o: ID!, $m: ID!) { retryMessage(input: {organizationId: $o, messageId: $m}) { id } }", json!({ "o": org, "m": inbound }))
        .await;
    assert_eq!(code(&refused), "VALIDATION", "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_whose_file_is_gone_fails_with_our_reason() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "hi" } }),
    )
    .await;
    let conversation = first_conversation(&app, &alice, &org).await;
    // A queued document whose stored file has disappeared (a lost disk, a restore).
    let mut c = admin(&app).await;
    c.batch_execute(&format!(
        "INSERT INTO messages (org_id, id, conversation_id, direction, kind, body, payload, status, sent_at)
         VALUES ('{org}', '00000000-0000-7000-8000-00000000d0c5', '{conversation}', 'outbound', 'document', 'gone.pdf',
                 jsonb_build_object('media_id', gen_random_uuid()::text, 'mime_type', 'application/pdf', 'file_name', 'gone.pdf'),
                 'pending', now() + interval '1 minute');
         INSERT INTO jobs (id, kind, org_id, payload)
         VALUES (gen_random_uuid(), 'whatsapp.send', '{org}', '{{\"message_id\": \"00000000-0000-7000-8000-00000000d0c5\"}}');"
    ))
    .await
    .unwrap();
    let done = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        outbound(d, &conversation).is_some_and(|m| m["status"] == "FAILED")
    })
    .await;
    let gone = outbound(&done, &conversation).unwrap();
    assert!(
        gone["error"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("the file is gone")),
        "our reason: {gone}"
    );
    assert_eq!(gone["error"]["code"], Value::Null, "not Meta's");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_status_is_never_hidden_whatever_the_arrival_order() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "hi" } }),
    )
    .await;
    let conversation = first_conversation(&app, &alice, &org).await;
    let mut c = admin(&app).await;
    c.batch_execute(&format!(
        "INSERT INTO messages (org_id, id, conversation_id, direction, wamid, kind, body, status, sent_at)
         VALUES ('{org}', gen_random_uuid(), '{conversation}', 'outbound', 'wamid.F1', 'text', 'failed first', 'accepted', now()),
                ('{org}', gen_random_uuid(), '{conversation}', 'outbound', 'wamid.F2', 'text', 'failed last', 'accepted', now())"
    ))
    .await
    .unwrap();
    let now = chrono::Utc::now().timestamp().to_string();
    let status = |wamid: &str, s: &str| {
        let mut v =
            json!({ "id": wamid, "status": s, "timestamp": now, "recipient_id": "15550001111" });
        if s == "failed" {
            v["errors"] = json!([{ "code": 131026, "title": "Message undeliverable", "message": "Message undeliverable", "error_data": { "details": "Message Undeliverable." } }]);
        }
        v
    };
    let batch = json!({ "statuses": [
        status("wamid.F1", "failed"), status("wamid.F1", "delivered"), status("wamid.F1", "read"),
        status("wamid.F2", "delivered"), status("wamid.F2", "read"), status("wamid.F2", "failed"),
    ] });
    deliver(&app, &pn, batch.clone()).await;
    count_reaches(
        &app,
        "SELECT count(*) AS n FROM message_statuses WHERE wamid IN ('wamid.F1', 'wamid.F2')",
        6,
    )
    .await;
    count_reaches(&app, "SELECT count(*) AS n FROM webhook_events", 0).await;
    // Meta redelivers: nothing changes.
    deliver(&app, &pn, batch).await;
    count_reaches(&app, "SELECT count(*) AS n FROM webhook_events", 0).await;
    assert_eq!(
        count(
            &app.db.admin,
            "SELECT count(*) AS n FROM message_statuses WHERE wamid IN ('wamid.F1', 'wamid.F2')"
        )
        .await,
        6
    );
    let thread = app.ok(&alice, THREAD, json!({ "o": org })).await;
    for text in ["failed first", "failed last"] {
        let m = thread["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["text"] == text)
            .unwrap();
        assert_eq!(m["status"], "FAILED", "{m}");
        assert_eq!(m["error"]["code"], 131026, "{m}");
        assert_eq!(m["error"]["text"], "Message Undeliverable.", "{m}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_event_that_cannot_be_stored_does_not_block_the_others() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let long_wamid = format!("wamid.{}", "X".repeat(300));
    let long_name = "Ñ".repeat(300);
    deliver(
        &app,
        &pn,
        json!({
            "contacts": [
                { "profile": { "name": "Bad" }, "wa_id": "15550004444" },
                { "profile": { "name": long_name }, "wa_id": "15550005555" }
            ],
            "messages": [
                text_from(&long_wamid, json!({ "from": "15550004444" }), "lost"),
                text_from("wamid.GOOD", json!({ "from": "15550005555" }), "kept")
            ]
        }),
    )
    .await;
    count_reaches(&app, "SELECT count(*) AS n FROM webhook_events", 0).await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    let conversations = thread["organization"]["conversations"]["nodes"]
        .as_array()
        .unwrap();
    assert_eq!(conversations.len(), 1, "{thread}");
    assert_eq!(conversations[0]["messages"]["nodes"][0]["text"], "kept");
    assert_eq!(
        conversations[0]["contact"]["profileName"],
        "Ñ".repeat(256),
        "an over-long name is cut, not refused"
    );
    assert_eq!(
        count(&app.db.admin, &format!("SELECT count(*) AS n FROM webhook_failures WHERE kind = 'message' AND reference = '{}' AND reason <> ''", &long_wamid[..256])).await,
        1,
        "the event that could not be stored is recorded with its reason"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_that_cannot_be_stored_does_not_block_the_rest_of_its_run() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "hi" } }),
    )
    .await;
    let conversation = first_conversation(&app, &alice, &org).await;
    let mut c = admin(&app).await;
    c.batch_execute(&format!(
        "INSERT INTO messages (org_id, id, conversation_id, direction, wamid, kind, body, status, sent_at)
         SELECT '{org}', gen_random_uuid(), '{conversation}', 'outbound', 'wamid.R' || i, 'text', 'run ' || i, 'accepted', now()
           FROM generate_series(1, 3) AS i;
         INSERT INTO contacts (org_id, id, wa_id) VALUES ('{org}', gen_random_uuid(), '15550002222'),
                                                         ('{org}', gen_random_uuid(), '15550003333');"
    ))
    .await
    .unwrap();
    let now = chrono::Utc::now().timestamp().to_string();
    let status = |wamid: &str, s: &str, to: &str| json!({ "id": wamid, "status": s, "timestamp": now, "recipient_id": to });
    // The second status gives a known customer a user id no customer can have (Meta's are
    // far shorter): the run fails as a whole, and its statuses then apply one by one.
    deliver(
        &app,
        &pn,
        json!({
            "contacts": [
                { "profile": { "name": "Good" }, "wa_id": "15550003333", "user_id": "US.3333" },
                { "profile": { "name": "Bad" }, "wa_id": "15550002222", "user_id": "U".repeat(300) }
            ],
            "statuses": [
                status("wamid.R1", "delivered", "15550003333"),
                status("wamid.R2", "delivered", "15550002222"),
                status("wamid.R3", "read", "15550003333"),
            ]
        }),
    )
    .await;
    count_reaches(&app, "SELECT count(*) AS n FROM webhook_events", 0).await;
    let thread = app.ok(&alice, THREAD, json!({ "o": org })).await;
    let status_of = |text: &str| {
        thread["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["text"] == text)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of("run 1"), "DELIVERED", "{thread}");
    assert_eq!(status_of("run 2"), "ACCEPTED", "{thread}");
    assert_eq!(status_of("run 3"), "READ", "{thread}");
    assert_eq!(
        count(
            &app.db.admin,
            "SELECT count(*) AS n FROM webhook_failures WHERE kind = 'status' AND reference = 'wamid.R2' AND reason <> ''"
        )
        .await,
        1,
        "the status that could not be stored is recorded with its reason"
    );
    assert_eq!(
        count(
            &app.db.admin,
            "SELECT count(*) AS n FROM contacts WHERE wa_id = '15550003333' AND user_id = 'US.3333'"
        )
        .await,
        1,
        "the good statuses still link their (known) customer"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reaction_only_targets_a_message_of_its_own_conversation() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    deliver(
        &app,
        &pn,
        json!({
            "contacts": [{ "profile": { "name": "A" }, "wa_id": "15550006666" }, { "profile": { "name": "B" }, "wa_id": "15550007777" }],
            "messages": [
                text_from("wamid.RA", json!({ "from": "15550006666" }), "from a"),
                text_from("wamid.RB", json!({ "from": "15550007777" }), "from b")
            ]
        }),
    )
    .await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"]
            .as_array()
            .is_some_and(|n| n.len() == 2)
    })
    .await;
    let of = |name: &str| {
        let conv = thread["organization"]["conversations"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["contact"]["profileName"] == name)
            .unwrap();
        (
            conv["id"].as_str().unwrap().to_owned(),
            conv["messages"]["nodes"][0]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    };
    let ((conv_a, msg_a), (_, msg_b)) = (of("A"), of("B"));
    let react = "mutation($o: ID!, $c: ID!, $m: ID!) { reactToMessage(input: {organizationId: $o, conversationId: $c, messageId: $m, emoji: \"👍\"}) { id } }";
    let (_, across) = app
        .gql(
            Some(&alice),
            react,
            json!({ "o": org, "c": conv_a, "m": msg_b }),
        )
        .await;
    assert_eq!(code(&across), "NOT_FOUND", "{across}");
    let own = app
        .ok(&alice, react, json!({ "o": org, "c": conv_a, "m": msg_a }))
        .await;
    assert!(own["reactToMessage"]["id"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_to_a_customer_known_only_by_username_goes_by_user_id_and_is_delivered() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "from": null, "username": "lu.doces", "name": "Lu", "type": "text", "text": { "body": "oi" } }),
    )
    .await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    let node = &thread["organization"]["conversations"]["nodes"][0];
    let contact = &node["contact"];
    assert_eq!(contact["phone"], Value::Null, "{contact}");
    assert!(
        contact["username"]
            .as_str()
            .is_some_and(|u| u.contains("lu.doces")),
        "{contact}"
    );
    let user_id = contact["userId"].as_str().unwrap().to_owned();
    let conversation = node["id"].as_str().unwrap().to_owned();

    app.ok(
        &alice,
        "mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, text: \"olá Lu\"}) { id } }",
        json!({ "o": org, "c": conversation }),
    )
    .await;
    eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| {
                m["text"] == "olá Lu"
                    && ["DELIVERED", "READ"].contains(&m["status"].as_str().unwrap())
            })
    })
    .await;
    // Meta received it addressed by the user id, with no phone number to send to.
    let sent: Value = app
        .http
        .get(format!(
            "{}/sandbox/messages?phone_number_id={pn}",
            app.sandbox_url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let request = sent["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["request"]["text"]["body"] == "olá Lu")
        .map(|m| m["request"].clone())
        .expect("the reply reached the sandbox");
    assert_eq!(request["recipient"], user_id.as_str(), "{request}");
    assert!(request.get("to").is_none(), "{request}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_known_only_by_user_id_is_shown_by_username_and_merged_when_the_phone_appears() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    const USER: &str = "BR.1520436779021845";
    const PHONE: &str = "5511987650001";
    // A customer with a WhatsApp username: no wa_id at all.
    deliver(
        &app,
        &pn,
        json!({
            "contacts": [{ "profile": { "name": "Lu", "username": "@lu.doces" }, "user_id": USER, "parent_user_id": "BR.ENT.99887766" }],
            "messages": [text_from("wamid.BSUID1", json!({ "from_user_id": USER }), "oi")]
        }),
    )
    .await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    let contact = &thread["organization"]["conversations"]["nodes"][0]["contact"];
    assert_eq!(contact["phone"], Value::Null, "{contact}");
    assert_eq!(contact["userId"], USER);
    assert_eq!(contact["username"], "@lu.doces");
    assert_eq!(contact["waId"], USER);

    // The same person, earlier known by phone only (a message from before user ids).
    deliver(
        &app,
        &pn,
        json!({
            "contacts": [{ "profile": { "name": "Lu" }, "wa_id": PHONE }],
            "messages": [text_from("wamid.PHONE1", json!({ "from": PHONE }), "by phone")]
        }),
    )
    .await;
    let two = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"]
            .as_array()
            .is_some_and(|n| n.len() == 2)
    })
    .await;
    let by_phone = two["organization"]["conversations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["contact"]["phone"] == PHONE)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A reply to them, then its `delivered` names both the phone and the user id.
    let mut c = admin(&app).await;
    c.batch_execute(&format!(
        "INSERT INTO messages (org_id, id, conversation_id, direction, wamid, kind, body, status, sent_at)
         VALUES ('{org}', gen_random_uuid(), '{by_phone}', 'outbound', 'wamid.OUTLU', 'text', 'hello Lu', 'accepted', now())"
    ))
    .await
    .unwrap();
    deliver(
        &app,
        &pn,
        json!({
            "contacts": [{ "wa_id": PHONE, "user_id": USER }],
            "statuses": [{ "id": "wamid.OUTLU", "status": "delivered", "timestamp": chrono::Utc::now().timestamp().to_string(), "recipient_id": PHONE, "recipient_user_id": USER }]
        }),
    )
    .await;
    let merged = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"]
            .as_array()
            .is_some_and(|n| n.len() == 1)
    })
    .await;
    let only = &merged["organization"]["conversations"]["nodes"][0];
    assert_eq!(
        only["id"],
        by_phone.as_str(),
        "kept the conversation of the phone"
    );
    assert_eq!(only["contact"]["phone"], PHONE);
    assert_eq!(only["contact"]["userId"], USER);
    assert_eq!(only["contact"]["username"], "@lu.doces");
    let texts: Vec<&str> = only["messages"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    for t in ["oi", "by phone", "hello Lu"] {
        assert!(texts.contains(&t), "{t} in {texts:?}");
    }
    assert_eq!(
        count(&app.db.admin, "SELECT count(*) AS n FROM contacts").await,
        1
    );
    assert_eq!(
        count(&app.db.admin, "SELECT count(*) AS n FROM webhook_failures").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn marking_read_and_telling_meta_happen_together_or_not_at_all() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "hi" } }),
    )
    .await;
    const UNREAD: &str = "query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { id unreadCount } } } }";
    let listed = eventually(&app, &alice, UNREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["unreadCount"] == 1
    })
    .await;
    let conversation = listed["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    const MARK: &str = "mutation($o: ID!, $c: ID!) { markConversationRead(input: {organizationId: $o, conversationId: $c}) { unreadCount } }";

    // The job that tells Meta cannot be queued: the conversation stays unread.
    let mut c = admin(&app).await;
    c.batch_execute(
        "CREATE FUNCTION refuse_mark_read() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF NEW.kind = 'whatsapp.mark_read' THEN RAISE EXCEPTION 'no mark_read jobs now'; END IF;
           RETURN NEW;
         END $$;
         CREATE TRIGGER refuse_mark_read BEFORE INSERT ON jobs
           FOR EACH ROW EXECUTE FUNCTION refuse_mark_read();",
    )
    .await
    .unwrap();
    let (_, body) = app
        .gql(Some(&alice), MARK, json!({ "o": org, "c": conversation }))
        .await;
    assert_eq!(code(&body), "INTERNAL", "{body}");
    let after = app.ok(&alice, UNREAD, json!({ "o": org })).await;
    assert_eq!(
        after["organization"]["conversations"]["nodes"][0]["unreadCount"], 1,
        "the change was rolled back with the job"
    );

    // Once jobs can be queued, both happen (the queued job is noted on the side: a done
    // job leaves the table).
    c.batch_execute(
        "DROP TRIGGER refuse_mark_read ON jobs;
         CREATE TABLE queued_kinds (kind text NOT NULL);
         CREATE FUNCTION note_kind() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
         BEGIN INSERT INTO queued_kinds VALUES (NEW.kind); RETURN NEW; END $$;
         CREATE TRIGGER note_kind AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION note_kind();",
    )
    .await
    .unwrap();
    let marked = app
        .ok(&alice, MARK, json!({ "o": org, "c": conversation }))
        .await;
    assert_eq!(marked["markConversationRead"]["unreadCount"], 0);
    assert_eq!(
        count(
            &app.db.admin,
            "SELECT count(*) AS n FROM queued_kinds WHERE kind = 'whatsapp.mark_read'"
        )
        .await,
        1
    );
}
