//! WhatsApp end to end against the built-in Meta sandbox: connect a number, customers write
//! in through signed webhooks, agents answer, statuses tick, the window rules hold.

use std::time::Duration;

use serde_json::{Value, json};
use wagent_db::{
    diesel::{self, QueryableByName, sql_types::Text},
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection},
};

use crate::{
    helpers::{APP_SECRET, TestApp, code},
    ws::Subscriber,
};

const SECRET_TOKEN: &str = "EAAG-system-user-token-do-not-leak";
const CUSTOMER: &str = "15550001111";

/// Connects a sandbox number to a new org owned by Alice: (org id, phone number row id, Meta id).
pub(crate) async fn connected(app: &TestApp) -> (String, String, String) {
    crate::helpers::sandbox_account(app, "100200300", "555000111").await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let data = app
        .ok(
            &alice,
            "mutation($o: ID!, $t: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"100200300\", phoneNumberId: \"555000111\", accessToken: $t}) { id phoneNumberId displayPhoneNumber verifiedName qualityRating status } }",
            json!({ "o": org, "t": SECRET_TOKEN }),
        )
        .await;
    let n = &data["connectWhatsApp"];
    assert_eq!(n["phoneNumberId"], "555000111");
    assert!(
        n["displayPhoneNumber"].as_str().unwrap().starts_with('+'),
        "{n}"
    );
    assert_eq!(n["qualityRating"], "GREEN");
    (
        org,
        n["id"].as_str().unwrap().to_owned(),
        "555000111".to_owned(),
    )
}

pub(crate) async fn customer_writes(app: &TestApp, pn: &str, body: Value) -> String {
    let mut message = json!({ "phone_number_id": pn, "from": CUSTOMER, "name": "João Cliente" });
    for (k, v) in body.as_object().unwrap() {
        message[k] = v.clone();
    }
    let response = reqwest::Client::new()
        .post(format!("{}/sandbox/customers/messages", app.sandbox_url))
        .json(&message)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
    let v: Value = response.json().await.unwrap();
    v["wamid"].as_str().unwrap_or_default().to_owned()
}

/// Polls a GraphQL query until `done` holds (webhooks and jobs run in the background).
/// The deadline is time, not a number of polls: on a machine busy with the other tests a
/// poll takes longer, and the background work too.
pub(crate) async fn eventually(
    app: &TestApp,
    token: &str,
    query: &str,
    vars: Value,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + EVENTUALLY;
    loop {
        let last = app.ok(token, query, vars.clone()).await;
        if done(&last) {
            return last;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never happened within {EVENTUALLY:?}: {last}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How long `eventually` waits.
const EVENTUALLY: Duration = Duration::from_secs(30);

pub(crate) const INBOX: &str = "query($o: ID!) { organization(id: $o) { unreadCount conversations(first: 5) { nodes { id unreadCount windowOpen lastMessagePreview contact { waId profileName } messages(first: 30) { nodes { id direction kind text status error { code text } } } } } } }";

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_writes_an_agent_answers_and_the_ticks_reach_read() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;

    let mut live = Subscriber::connect(&app.ws_url(), &alice, "graphql-transport-ws")
        .await
        .unwrap();
    live.subscribe("1", "subscription($o: ID!) { inboxEvents(organizationId: $o) { kind conversation { id unreadCount } message { text direction status } } }", json!({ "o": org }), true).await;
    app.wait_for_subscriptions(1).await;

    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "Olá, is my order shipped?" } }),
    )
    .await;
    let event = live
        .next_event(Duration::from_secs(10))
        .await
        .expect("the message arrives live");
    let event = &event["data"]["inboxEvents"];
    assert_eq!(event["kind"], "MESSAGE_CREATED");
    assert_eq!(event["message"]["text"], "Olá, is my order shipped?");
    assert_eq!(event["message"]["direction"], "INBOUND");

    let inbox = app.ok(&alice, INBOX, json!({ "o": org })).await;
    let conversation = &inbox["organization"]["conversations"]["nodes"][0];
    assert_eq!(conversation["contact"]["waId"], CUSTOMER);
    assert_eq!(conversation["contact"]["profileName"], "João Cliente");
    assert_eq!(conversation["windowOpen"], true);
    assert_eq!(inbox["organization"]["unreadCount"], 1);
    let conversation_id = conversation["id"].as_str().unwrap().to_owned();

    let sent = app
        .ok(&alice, "mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, text: \"Yes, it left today.\"}) { id status } }", json!({ "o": org, "c": conversation_id }))
        .await;
    assert_eq!(sent["sendMessage"]["status"], "PENDING");
    let read = eventually(&app, &alice, INBOX, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0]["status"] == "READ"
    })
    .await;
    assert_eq!(
        read["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0]["text"],
        "Yes, it left today."
    );
    // The sandbox received exactly what the agent wrote; the SPA's customer phone reads it
    // through the server's proxy, signed in.
    let proxied = reqwest::Client::new()
        .get(format!(
            "{}/sandbox/organizations/{org}/messages?phone_number_id={pn}",
            app.base
        ))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 200);
    let business_sent: Value = proxied.json().await.unwrap();
    assert!(
        business_sent.to_string().contains("Yes, it left today."),
        "{business_sent}"
    );
    let anonymous = reqwest::get(format!(
        "{}/sandbox/organizations/{org}/messages?phone_number_id={pn}",
        app.base
    ))
    .await
    .unwrap();
    assert_eq!(anonymous.status(), 401);

    app.ok(&alice, "mutation($o: ID!, $c: ID!) { markConversationRead(input: {organizationId: $o, conversationId: $c}) { unreadCount } }", json!({ "o": org, "c": conversation_id }))
        .await;
    let inbox = app.ok(&alice, INBOX, json!({ "o": org })).await;
    assert_eq!(inbox["organization"]["unreadCount"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn outside_the_window_only_templates_go_out() {
    let app = TestApp::spawn().await;
    let (org, number_id, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "hi" } }),
    )
    .await;
    let inbox = eventually(&app, &alice, INBOX, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    let conversation_id = inbox["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute("UPDATE conversations SET last_inbound_at = now() - interval '25 hours'")
        .await
        .unwrap();

    let (_, body) = app
        .gql(Some(&alice), "mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, text: \"late\"}) { id } }", json!({ "o": org, "c": conversation_id }))
        .await;
    assert_eq!(code(&body), "VALIDATION");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("template"),
        "{body}"
    );

    app.ok(&alice, "mutation($o: ID!, $n: ID!) { syncTemplates(input: {organizationId: $o, phoneNumberId: $n}) { name } }", json!({ "o": org, "n": number_id })).await;
    let sent = app
        .ok(
            &alice,
            "mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, template: {name: \"order_update\", language: \"en_US\", bodyParameters: [\"João\", \"#42\"]}}) { id kind text } }",
            json!({ "o": org, "c": conversation_id }),
        )
        .await;
    assert_eq!(
        sent["sendMessage"]["text"], "Hi João, your order #42 has shipped.",
        "the inbox shows what the customer reads"
    );
    assert_eq!(sent["sendMessage"]["kind"], "TEMPLATE");
    eventually(&app, &alice, INBOX, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0]["status"]
            == "DELIVERED"
            || d["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0]["status"]
                == "READ"
    })
    .await;

    // A template Meta does not know fails with Meta's code, kept on the message.
    app.ok(
        &alice,
        "mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, template: {name: \"no_such_template\", language: \"en_US\"}}) { id } }",
        json!({ "o": org, "c": conversation_id }),
    )
    .await;
    let failed = eventually(&app, &alice, INBOX, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0]["status"] == "FAILED"
    })
    .await;
    assert_eq!(
        failed["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0]["error"]["code"],
        132001
    );
}

#[derive(QueryableByName)]
struct StoredBody {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Binary>)]
    body: Option<Vec<u8>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    body_sealed: Option<String>,
}

#[tokio::test(flavor = "multi_thread")]
async fn webhook_bodies_are_sealed_at_rest_and_unreadable_ones_go_after_a_day() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    // Every body as it is stored, even those deleted once processed.
    c.batch_execute(
        "CREATE TABLE stored_bodies (body bytea, body_sealed text);
         CREATE FUNCTION remember_body() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
           BEGIN INSERT INTO stored_bodies VALUES (NEW.body, NEW.body_sealed); RETURN NEW; END $$;
         CREATE TRIGGER remember AFTER INSERT OR UPDATE ON webhook_events
           FOR EACH ROW EXECUTE FUNCTION remember_body();",
    )
    .await
    .unwrap();

    let now = chrono::Utc::now().timestamp();
    let (body, sig) = signed(&inbound(&pn, "wamid.SEALED", "Olá, my secret order", now));
    assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    let (garbled, sig) = signed("{ not json: my other secret");
    assert_eq!(post_webhook(&app, &garbled, Some(&sig)).await, 200);
    app.jobs_drained().await;

    let inbox = app.ok(&alice, INBOX, json!({ "o": org })).await;
    assert_eq!(
        inbox["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0]["text"],
        "Olá, my secret order",
        "read back from its sealed body"
    );
    let stored: Vec<StoredBody> = diesel::sql_query("SELECT body, body_sealed FROM stored_bodies")
        .load(&mut c)
        .await
        .unwrap();
    assert!(stored.len() >= 2);
    for row in &stored {
        assert_eq!(row.body, None, "no body in clear");
        let sealed = row.body_sealed.as_deref().unwrap();
        assert!(sealed.starts_with("v1."), "{sealed}");
        assert!(!sealed.contains("secret"), "{sealed}");
    }
    // The readable one is gone; the unreadable one stays, sealed, with its error.
    assert_eq!(
        wagent_testkit::count(&app.db.admin, "SELECT count(*) AS n FROM webhook_events").await,
        1
    );
    assert_eq!(
        wagent_testkit::count(
            &app.db.admin,
            "SELECT count(*) AS n FROM webhook_events WHERE error IS NOT NULL"
        )
        .await,
        1
    );

    // A day later its expiry job deletes it.
    c.batch_execute(
        "UPDATE webhook_events SET received_at = now() - interval '24 hours 1 minute';
         UPDATE jobs SET run_at = now() WHERE kind = 'whatsapp.webhook' AND run_at > now();",
    )
    .await
    .unwrap();
    let admin = &app.db.admin;
    wagent_testkit::wait_until(
        "the unreadable delivery to expire",
        Duration::from_secs(10),
        || async move {
            wagent_testkit::count(admin, "SELECT count(*) AS n FROM webhook_events").await == 0
        },
    )
    .await;
}

#[derive(QueryableByName)]
struct Sealed {
    #[diesel(sql_type = Text)]
    access_token_sealed: String,
}

#[tokio::test(flavor = "multi_thread")]
async fn the_access_token_is_sealed_at_rest_and_never_returned() {
    let app = TestApp::spawn().await;
    let (org, _, _) = connected(&app).await;
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    let rows: Vec<Sealed> = diesel::sql_query("SELECT access_token_sealed FROM whatsapp_accounts")
        .load(&mut c)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(
        !rows[0].access_token_sealed.contains("EAAG"),
        "the raw column holds no token"
    );
    assert!(rows[0].access_token_sealed.starts_with("v1."));
    // Copied into another organization's account row, the ciphertext does not open.
    let org2 = app.create_org("alice", "Globex").await;
    let alice = app.sign_in("alice").await;
    let schema = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { phoneNumbers { id } } }",
            json!({ "o": org }),
        )
        .await;
    assert!(!schema.to_string().contains("EAAG"));
    let _ = org2;
}

pub(crate) fn signed(body: &str) -> (String, String) {
    (
        body.to_owned(),
        wagent_meta::webhook::signature_header(APP_SECRET.as_bytes(), body.as_bytes()),
    )
}

pub(crate) async fn post_webhook(
    app: &TestApp,
    body: &str,
    signature: Option<&str>,
) -> reqwest::StatusCode {
    let mut r = reqwest::Client::new()
        .post(format!("{}/webhooks/whatsapp", app.base))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(s) = signature {
        r = r.header("x-hub-signature-256", s);
    }
    r.send().await.unwrap().status()
}

fn inbound(pn: &str, wamid: &str, text: &str, ts: i64) -> String {
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": "100200300", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550100", "phone_number_id": pn },
        "contacts": [{ "profile": { "name": "Ana" }, "wa_id": "15550002222" }],
        "messages": [{ "from": "15550002222", "id": wamid, "timestamp": ts.to_string(), "type": "text", "text": { "body": text } }] } }] }] })
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_need_a_valid_signature_and_duplicates_and_late_statuses_change_nothing() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let handshake = reqwest::get(format!("{}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", app.base)).await.unwrap();
    assert_eq!(handshake.status(), 200);
    assert_eq!(handshake.text().await.unwrap(), "1158201444");
    let wrong = reqwest::get(format!(
        "{}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1",
        app.base
    ))
    .await
    .unwrap();
    assert_eq!(wrong.status(), 403);

    let now = chrono::Utc::now().timestamp();
    let (body, sig) = signed(&inbound(&pn, "wamid.DUP1", "first", now));
    assert_eq!(post_webhook(&app, &body, None).await, 401);
    assert_eq!(post_webhook(&app, &body, Some("sha256=00")).await, 401);
    assert_eq!(
        post_webhook(&app, &body.replace("first", "forged"), Some(&sig)).await,
        401
    );
    assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    assert_eq!(
        post_webhook(&app, &body, Some(&sig)).await,
        200,
        "Meta retries: a duplicate"
    );
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("wagent_webhooks_received_total 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("wagent_webhooks_refused_total 3"),
        "{metrics}"
    );
    // Both deliveries were stored before their answers: once the queue is drained, both were
    // applied.
    app.jobs_drained().await;
    let inbox = app.ok(&alice, INBOX, json!({ "o": org })).await;
    let inbox2 = inbox.clone();
    assert_eq!(
        inbox2["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "stored once: {inbox}"
    );

    // An outbound message, then its statuses out of order: read before delivered.
    let conversation_id = inbox["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(&format!(
        "INSERT INTO messages (org_id, id, conversation_id, direction, wamid, kind, body, status, sent_at)
         VALUES ('{org}', gen_random_uuid(), '{conversation_id}', 'outbound', 'wamid.OUT1', 'text', 'hello', 'accepted', now() + interval '1 minute')"
    ))
    .await
    .unwrap();
    let status = |s: &str, ts: i64| {
        json!({ "object": "whatsapp_business_account", "entry": [{ "id": "100200300", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550100", "phone_number_id": pn },
            "statuses": [{ "id": "wamid.OUT1", "status": s, "timestamp": ts.to_string(), "recipient_id": "15550002222" }] } }] }] })
        .to_string()
    };
    for s in ["read", "delivered", "sent"] {
        let (body, sig) = signed(&status(s, now));
        assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    }
    app.jobs_drained().await;
    let inbox = app.ok(&alice, INBOX, json!({ "o": org })).await;
    let out = &inbox["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0];
    assert_eq!(out["text"], "hello");
    assert_eq!(
        out["status"], "READ",
        "a late delivered or sent never moves read back"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_of_a_thousand_statuses_is_applied_in_full() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let now = chrono::Utc::now().timestamp();
    let (body, sig) = signed(&inbound(&pn, "wamid.IN1", "hi", now));
    assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    let inbox = eventually(&app, &alice, INBOX, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    let conversation_id = inbox["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(&format!(
        "INSERT INTO messages (org_id, id, conversation_id, direction, wamid, kind, body, status, sent_at)
         SELECT '{org}', gen_random_uuid(), '{conversation_id}', 'outbound', 'wamid.B' || i, 'template', 'promo', 'accepted', now()
           FROM generate_series(1, 1000) i"
    ))
    .await
    .unwrap();
    let statuses: Vec<Value> = (1..=1000)
        .map(|i| json!({ "id": format!("wamid.B{i}"), "status": "delivered", "timestamp": now.to_string(), "recipient_id": "15550002222" }))
        .collect();
    let batch = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "100200300", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550100", "phone_number_id": pn }, "statuses": statuses } }] }] })
    .to_string();
    let (body, sig) = signed(&batch);
    let started = std::time::Instant::now();
    assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered fast: {:?}",
        started.elapsed()
    );
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    for _ in 0..100 {
        let n: N = diesel::sql_query("SELECT count(*) AS n FROM messages WHERE status = 'delivered' AND wamid LIKE 'wamid.B%'").get_result(&mut c).await.unwrap();
        if n.n == 1000 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not every status was applied");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_arriving_through_one_process_reaches_subscribers_of_another() {
    let a = TestApp::spawn().await;
    let (org, _, pn) = connected(&a).await;
    let b = a.another_process().await;
    let alice = a.sign_in("alice").await;
    let mut on_b = Subscriber::connect(&b.ws_url(), &alice, "graphql-transport-ws")
        .await
        .unwrap();
    on_b.subscribe(
        "1",
        "subscription($o: ID!) { inboxEvents(organizationId: $o) { kind message { text } } }",
        json!({ "o": org }),
        true,
    )
    .await;
    b.wait_for_subscriptions(1).await;
    // The sandbox's webhooks go to process A.
    customer_writes(
        &a,
        &pn,
        json!({ "type": "text", "text": { "body": "through A" } }),
    )
    .await;
    let event = on_b
        .next_event(Duration::from_secs(10))
        .await
        .expect("B hears it");
    assert_eq!(event["data"]["inboxEvents"]["message"]["text"], "through A");
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_inbound_kind_reaches_the_inbox() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let first = customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "good morning" } }),
    )
    .await;
    let kinds = [
        json!({ "type": "image", "image": { "caption": "a photo" } }),
        json!({ "type": "location", "location": { "latitude": 38.72, "longitude": -9.14, "name": "Lisboa" } }),
        json!({ "type": "contacts", "contacts": [{ "name": { "formatted_name": "Rita" }, "phones": [{ "phone": "+351 900" }] }] }),
        // An answer names the message it answers (Meta always sends `context`).
        json!({ "type": "interactive", "interactive": { "type": "button_reply", "button_reply": { "id": "yes", "title": "Yes please" } }, "context": { "id": first } }),
        json!({ "type": "button", "button": { "text": "Stop promotions", "payload": "STOP" }, "context": { "id": first } }),
        json!({ "type": "reaction", "reaction": { "message_id": first, "emoji": "👍" } }),
        json!({ "type": "text", "text": { "body": "a reply" }, "context": { "id": first } }),
        json!({ "type": "unsupported" }),
    ];
    for k in &kinds {
        customer_writes(&app, &pn, k.clone()).await;
    }
    let all = eventually(&app, &alice, INBOX, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
            .as_array()
            .is_some_and(|m| m.len() == kinds.len() + 1)
    })
    .await;
    let messages = all["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let mut seen: Vec<(String, String)> = messages
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["text"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    seen.sort();
    for expected in [
        ("IMAGE", "a photo"),
        ("LOCATION", "Lisboa"),
        ("INTERACTIVE", "Yes please"),
        ("BUTTON", "Stop promotions"),
        ("REACTION", "👍"),
        ("TEXT", "a reply"),
    ] {
        assert!(
            seen.iter().any(|(k, t)| k == expected.0 && t == expected.1),
            "{expected:?} missing in {seen:?}"
        );
    }
    assert!(
        seen.iter().any(|(k, _)| k == "CONTACTS") && seen.iter().any(|(k, _)| k == "UNSUPPORTED"),
        "{seen:?}"
    );
    // The image is downloaded through the media API into storage.
    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    for _ in 0..50 {
        let s: Stored =
            diesel::sql_query("SELECT count(*) AS n FROM media WHERE stored_at IS NOT NULL")
                .get_result(&mut c)
                .await
                .unwrap();
        if s.n == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the image was not stored");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_sends_a_picture_and_a_document_through_the_media_api() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "send me the menu" } }),
    )
    .await;
    let inbox = eventually(&app, &alice, INBOX, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    let conversation = inbox["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let png = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=").unwrap();
    let url = format!(
        "{}/api/organizations/{org}/conversations/{conversation}/media?caption=Our%20menu",
        app.base
    );
    let sent = reqwest::Client::new()
        .post(&url)
        .bearer_auth(&alice)
        .header("content-type", "image/png")
        .header("x-file-name", "menu.png")
        .body(png.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200, "{}", sent.text().await.unwrap());
    let pdf = reqwest::Client::new()
        .post(url.replace("?caption=Our%20menu", ""))
        .bearer_auth(&alice)
        .header("content-type", "application/pdf")
        .header("x-file-name", "prices.pdf")
        .body(b"%PDF-1.4 fake".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    let unauthenticated = reqwest::Client::new()
        .post(&url)
        .header("content-type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);

    let q = "query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { messages(first: 30) { nodes { kind text status media { url fileName status } } } } } } }";
    let done = eventually(&app, &alice, q, json!({ "o": org }), |d| {
        let m = d["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        m.iter()
            .filter(|m| m["kind"] == "IMAGE" || m["kind"] == "DOCUMENT")
            .all(|m| m["status"] == "READ")
            && m.len() == 3
    })
    .await;
    let messages = done["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let image = messages.iter().find(|m| m["kind"] == "IMAGE").unwrap();
    assert_eq!(image["text"], "Our menu");
    assert_eq!(image["media"]["fileName"], "menu.png");
    let file = reqwest::get(format!(
        "{}{}",
        app.base,
        image["media"]["url"].as_str().unwrap()
    ))
    .await
    .unwrap();
    assert_eq!(file.headers()["content-type"], "image/png");
    let business_sent: Value = reqwest::get(format!(
        "{}/sandbox/messages?phone_number_id={pn}",
        app.sandbox_url
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let kinds: Vec<&str> = business_sent["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["type"].as_str())
        .collect();
    assert!(
        kinds.contains(&"image") && kinds.contains(&"document"),
        "{kinds:?}"
    );
}

/// Every webhook fixture of the facts file (server/meta/tests/fixtures), signed and posted as
/// Meta would: each is processed (none left failing) and every inbound message lands in the
/// inbox, whatever its kind.
#[tokio::test(flavor = "multi_thread")]
async fn every_webhook_fixture_is_taken_into_the_inbox() {
    let app = TestApp::spawn().await;
    crate::helpers::sandbox_account(&app, "110200300400500", "123456789012345").await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    app.ok(&alice, "mutation($o: ID!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"110200300400500\", phoneNumberId: \"123456789012345\", accessToken: \"t\"}) { id } }", json!({ "o": org }))
        .await;
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../meta/tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 30, "the fixtures are missing");
    let mut wamids = Vec::new();
    for (i, file) in files.iter().enumerate() {
        // Fixtures share sample wamids; make each file's messages its own so that none is
        // taken for a duplicate of another file's.
        let body = std::fs::read_to_string(file)
            .unwrap()
            .replace("\"wamid.", &format!("\"wamid.f{i}-"));
        if let Ok(v) = serde_json::from_str::<Value>(&body) {
            for entry in v["entry"].as_array().into_iter().flatten() {
                for change in entry["changes"].as_array().into_iter().flatten() {
                    for m in change["value"]["messages"].as_array().into_iter().flatten() {
                        if let (Some(id), Some(_)) = (m["id"].as_str(), m["timestamp"].as_str()) {
                            wamids.push(id.to_owned());
                        }
                    }
                }
            }
        }
        let signature =
            wagent_meta::webhook::signature_header(APP_SECRET.as_bytes(), body.as_bytes());
        assert_eq!(
            post_webhook(&app, &body, Some(&signature)).await,
            200,
            "{}",
            file.display()
        );
    }
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    for _ in 0..100 {
        let left: N =
            diesel::sql_query("SELECT count(*) AS n FROM webhook_events WHERE error IS NULL")
                .get_result(&mut c)
                .await
                .unwrap();
        if left.n == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let failed: N = diesel::sql_query("SELECT count(*) AS n FROM webhook_events")
        .get_result(&mut c)
        .await
        .unwrap();
    assert_eq!(failed.n, 0, "every delivery was processed");
    let refused: N = diesel::sql_query("SELECT count(*) AS n FROM webhook_failures")
        .get_result(&mut c)
        .await
        .unwrap();
    assert_eq!(refused.n, 0, "every event of every fixture was applied");
    #[derive(QueryableByName)]
    struct W {
        #[diesel(sql_type = Text)]
        wamid: String,
    }
    let stored: Vec<W> =
        diesel::sql_query("SELECT wamid FROM messages WHERE direction = 'inbound'")
            .load(&mut c)
            .await
            .unwrap();
    let stored: Vec<String> = stored.into_iter().map(|w| w.wamid).collect();
    wamids.sort();
    wamids.dedup();
    let missing: Vec<&String> = wamids.iter().filter(|w| !stored.contains(w)).collect();
    assert!(missing.is_empty(), "not in the inbox: {missing:?}");
    assert!(stored.len() >= 20, "{} inbound messages", stored.len());
    #[derive(QueryableByName)]
    struct K {
        #[diesel(sql_type = Text)]
        kind: String,
    }
    let kinds: Vec<K> = diesel::sql_query("SELECT DISTINCT kind FROM messages")
        .load(&mut c)
        .await
        .unwrap();
    let kinds: Vec<String> = kinds.into_iter().map(|k| k.kind).collect();
    for kind in [
        "text",
        "image",
        "video",
        "audio",
        "document",
        "sticker",
        "location",
        "contacts",
        "interactive",
        "button",
        "reaction",
        "order",
        "system",
        "unsupported",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "no {kind} message in {kinds:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_inbox_filters_by_text_contact_assignee_label_and_unread() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    for (from, name, text) in [
        ("15550000001", "Ana Souza", "Where is order 42?"),
        ("15550000002", "Bruno", "Do you open on Sunday?"),
    ] {
        let body = json!({ "phone_number_id": pn, "from": from, "name": name, "type": "text", "text": { "body": text } });
        reqwest::Client::new()
            .post(format!("{}/sandbox/customers/messages", app.sandbox_url))
            .json(&body)
            .send()
            .await
            .unwrap();
    }
    let q = "query($o: ID!, $f: ConversationFilterInput) { organization(id: $o) { conversations(filter: $f) { nodes { id contact { profileName } labels } } } }";
    let all = eventually(&app, &alice, q, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"]
            .as_array()
            .unwrap()
            .len()
            == 2
    })
    .await;
    let names = |d: &Value| -> Vec<String> {
        d["organization"]["conversations"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["contact"]["profileName"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(
            &app.ok(
                &alice,
                q,
                json!({ "o": org, "f": { "search": "order 42" } })
            )
            .await
        ),
        ["Ana Souza"]
    );
    assert_eq!(
        names(
            &app.ok(&alice, q, json!({ "o": org, "f": { "search": "bru" } }))
                .await
        ),
        ["Bruno"]
    );
    assert_eq!(
        names(
            &app.ok(
                &alice,
                q,
                json!({ "o": org, "f": { "search": "15550000002" } })
            )
            .await
        ),
        ["Bruno"]
    );
    assert!(
        names(
            &app.ok(&alice, q, json!({ "o": org, "f": { "search": "100%_" } }))
                .await
        )
        .is_empty(),
        "wildcards are literal"
    );

    let ana = all["organization"]["conversations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["contact"]["profileName"] == "Ana Souza")
        .unwrap()["id"]
        .clone();
    let me = app
        .ok(&alice, "{ viewer { user { id } } }", json!({}))
        .await;
    app.ok(&alice, "mutation($o: ID!, $c: ID!, $u: ID!) { assignConversation(input: {organizationId: $o, conversationId: $c, assigneeId: $u}) { id } }", json!({ "o": org, "c": ana, "u": me["viewer"]["user"]["id"] })).await;
    app.ok(&alice, "mutation($o: ID!, $c: ID!) { setConversationLabels(input: {organizationId: $o, conversationId: $c, labels: [\"VIP\", \"late order\"]}) { labels } }", json!({ "o": org, "c": ana })).await;
    app.ok(&alice, "mutation($o: ID!, $c: ID!) { markConversationRead(input: {organizationId: $o, conversationId: $c}) { id } }", json!({ "o": org, "c": ana })).await;
    assert_eq!(
        names(
            &app.ok(
                &alice,
                q,
                json!({ "o": org, "f": { "assigneeId": me["viewer"]["user"]["id"] } })
            )
            .await
        ),
        ["Ana Souza"]
    );
    assert_eq!(
        names(
            &app.ok(&alice, q, json!({ "o": org, "f": { "unassigned": true } }))
                .await
        ),
        ["Bruno"]
    );
    assert_eq!(
        names(
            &app.ok(&alice, q, json!({ "o": org, "f": { "label": "vip" } }))
                .await
        ),
        ["Ana Souza"]
    );
    assert_eq!(
        names(
            &app.ok(&alice, q, json!({ "o": org, "f": { "unreadOnly": true } }))
                .await
        ),
        ["Bruno"]
    );
    let (_, body) = app.gql(Some(&alice), "mutation($o: ID!, $c: ID!) { setConversationLabels(input: {organizationId: $o, conversationId: $c, labels: [\"<b>\"]}) { labels } }", json!({ "o": org, "c": ana })).await;
    assert_eq!(code(&body), "VALIDATION");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_update_is_audited_and_refreshes_the_numbers() {
    let app = TestApp::spawn().await;
    let (org, _, _) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let before = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { phoneNumbers { refreshedAt } } }",
            json!({ "o": org }),
        )
        .await;
    let update = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "100200300", "time": chrono::Utc::now().timestamp(), "changes": [{
        "field": "account_update", "value": { "event": "ACCOUNT_RESTRICTION", "restriction_info": [{ "restriction_type": "RESTRICTED_ADD_PHONE_NUMBER_ACTION", "expiration": 1_900_000_000 }] } }] }] })
    .to_string();
    let (body, sig) = signed(&update);
    assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    let after = eventually(&app, &alice, "query($o: ID!) { organization(id: $o) { phoneNumbers { refreshedAt } auditLog { nodes { action details } } } }", json!({ "o": org }), |d| {
        d["organization"]["auditLog"]["nodes"].as_array().unwrap().iter().any(|n| n["action"] == "whatsapp.account_update")
            && d["organization"]["phoneNumbers"][0]["refreshedAt"] != before["organization"]["phoneNumbers"][0]["refreshedAt"]
    })
    .await;
    let audit = after["organization"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["action"] == "whatsapp.account_update")
        .unwrap()
        .clone();
    assert_eq!(audit["details"]["event"], "ACCOUNT_RESTRICTION");
}

#[tokio::test(flavor = "multi_thread")]
async fn when_meta_says_the_window_closed_the_conversation_offers_templates() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        &app,
        &pn,
        json!({ "type": "text", "text": { "body": "hello" } }),
    )
    .await;
    let q = "query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { id windowOpen messages(first: 30) { nodes { status error { code } } } } } } }";
    let inbox = eventually(&app, &alice, q, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    let conversation = inbox["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Meta's clock says otherwise (the sandbox's window is backdated).
    let closed = json!({ "phone_number_id": pn, "wa_id": CUSTOMER, "last_message_at": chrono::Utc::now().timestamp() - 25 * 3600 });
    reqwest::Client::new()
        .post(format!("{}/sandbox/customers/window", app.sandbox_url))
        .json(&closed)
        .send()
        .await
        .unwrap();
    app.ok(&alice, "mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, text: \"late\"}) { id } }", json!({ "o": org, "c": conversation }))
        .await;
    let after = eventually(&app, &alice, q, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["windowOpen"] == false
    })
    .await;
    assert_eq!(
        after["organization"]["conversations"]["nodes"][0]["messages"]["nodes"][0]["error"]["code"],
        131047
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sender_is_kept_as_meta_names_them_whatever_libphonenumber_thinks() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let now = chrono::Utc::now().timestamp();
    // +1 555 000 2222 is no valid North American number, but Meta says this customer wrote.
    let (body, sig) = signed(&inbound(&pn, "wamid.NUM1", "from a 555 number", now));
    assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    // A wa_id that is not a number at all stands for the customer's user id.
    let (body, sig) =
        signed(&inbound(&pn, "wamid.NUM2", "from a name", now).replace("15550002222", "lu.doces"));
    assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    app.jobs_drained().await;

    let q = "query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { contact { phone userId } messages(first: 5) { nodes { text } } } } } }";
    let data = app.ok(&alice, q, json!({ "o": org })).await;
    let mut seen: Vec<(Value, Value, Value)> = data["organization"]["conversations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["contact"]["phone"].clone(),
                c["contact"]["userId"].clone(),
                c["messages"]["nodes"][0]["text"].clone(),
            )
        })
        .collect();
    seen.sort_by_key(|s| s.2.to_string());
    assert_eq!(
        seen,
        [
            (
                json!("15550002222"),
                Value::Null,
                json!("from a 555 number")
            ),
            (Value::Null, json!("lu.doces"), json!("from a name")),
        ]
    );
}
