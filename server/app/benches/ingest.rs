#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Status webhooks at a campaign's scale: 300,000 statuses (`sent`, `delivered` and `read` for
//! 90,000 campaign messages and 10,000 inbox messages) in deliveries of 1,000, as Meta batches
//! them, each naming its customer by phone and business-scoped user id.
//!
//! - `ingest_statuses_per_s`: from the first delivery posted to the last status applied to its
//!   message or campaign recipient and counted in the campaign's counters (goal ≥ 10,000);
//! - `ingest_ack_p99_ms`: how long Meta waits for its 200 while the statuses are being applied
//!   (goal < 50).
//!
//! Run: `bench/run ingest` (a real PostgreSQL, as in the tests).

#[path = "../tests/api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::{Duration, Instant};

use futures::{StreamExt, stream};
use helpers::{APP_SECRET, TestApp};
use serde_json::{Value, json};
use wagent_db::{
    diesel::{self, QueryableByName},
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection},
};

const WABA: &str = "850000000000001";
const NUMBER: &str = "860000000000001";
const CAMPAIGN_MESSAGES: usize = 90_000;
const INBOX_MESSAGES: usize = 10_000;
/// Meta batches up to 1,000 updates per delivery.
const PER_DELIVERY: usize = 1_000;
/// Deliveries Meta has in flight at once.
const CONCURRENCY: usize = 4;

const CAMPAIGN: &str = "query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { status stats { sent delivered read failed unknown } } } }";

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

#[derive(QueryableByName)]
struct Sent {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    wamid: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    phone: String,
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(c: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(c).await.unwrap().n
}

/// One message the statuses are about: its wamid, its customer and, for a campaign's, the
/// callback data the send carried.
struct Target {
    wamid: String,
    phone: String,
    callback: Option<String>,
}

async fn run() {
    let app = TestApp::spawn_configured(&[
        ("WAGENT_RATE_LIMIT_PER_IP", "0"),
        ("WAGENT_RATE_LIMIT_PER_TOKEN", "0"),
        ("WAGENT_LOG", "error"),
        ("WAGENT_DB_POOL_SIZE", "16"),
    ])
    .await;
    // The statuses come from the benchmark, all at once, not from the sandbox one by one.
    app.sandbox.handle().set_webhook_url(None);
    app.sandbox
        .handle()
        .configure(|c| c.throughput_per_second = 1_000_000);
    helpers::sandbox_account(&app, WABA, NUMBER).await;
    let org = app.create_org("alice", "Bench").await;
    let alice = app.sign_in("alice").await;
    let connected = app.ok(&alice, "mutation($o: ID!, $w: String!, $p: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: $w, phoneNumberId: $p, accessToken: \"t\"}) { id } }", json!({ "o": org, "w": WABA, "p": NUMBER }))
        .await;
    let number = connected["connectWhatsApp"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let synced = app
        .ok(&alice, "mutation($o: ID!, $n: ID!) { syncTemplates(input: {organizationId: $o, phoneNumberId: $n}) { id name } }", json!({ "o": org, "n": number }))
        .await;
    let template = synced["syncTemplates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "order_update")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut db = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    let total = CAMPAIGN_MESSAGES + INBOX_MESSAGES;
    db.batch_execute(&format!(
        "INSERT INTO contacts (org_id, id, wa_id, name, tags, country, created_at)
         SELECT '{org}', gen_random_uuid(), (5511900000000 + i)::text, 'Customer ' || i,
                CASE WHEN i < {CAMPAIGN_MESSAGES} THEN ARRAY['campaign'] ELSE ARRAY['inbox'] END,
                'BR', now()
           FROM generate_series(0, {total} - 1) AS i;
         UPDATE phone_numbers SET messaging_limit = 'TIER_UNLIMITED', throughput_level = '100000'
          WHERE id = '{number}';
         INSERT INTO conversations (org_id, id, phone_number_id, contact_id)
         SELECT org_id, gen_random_uuid(), '{number}', id FROM contacts
          WHERE org_id = '{org}' AND tags = ARRAY['inbox'];
         INSERT INTO messages (org_id, id, conversation_id, direction, wamid, kind, body, status, sent_at)
         SELECT v.org_id, gen_random_uuid(), v.id, 'outbound', 'wamid.INBOX' || k.wa_id, 'text',
                'Your order is on its way', 'accepted', now()
           FROM conversations v JOIN contacts k ON k.org_id = v.org_id AND k.id = v.contact_id
          WHERE v.org_id = '{org}';"
    ))
    .await
    .unwrap();
    db.batch_execute("VACUUM ANALYZE contacts").await.unwrap();
    db.batch_execute("VACUUM ANALYZE messages").await.unwrap();

    // The campaign whose statuses come back: sent through the server's own dispatch.
    let created = app
        .ok(
            &alice,
            "mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }",
            json!({ "i": {
                "organizationId": org, "name": "ingest", "phoneNumberId": number, "templateId": template,
                "parameters": [
                    { "part": "BODY", "placeholder": "1", "field": "first_name", "fallback": "there" },
                    { "part": "BODY", "placeholder": "2", "text": "#42" }
                ],
                "audience": { "tags": ["campaign"] }, "schedule": { "kind": "NOW" }
            } }),
        )
        .await;
    let campaign = created["createCampaign"]["id"].as_str().unwrap().to_owned();
    app.ok(
        &alice,
        "mutation($o: ID!, $c: ID!) { launchCampaign(organizationId: $o, campaignId: $c) { id } }",
        json!({ "o": org, "c": campaign }),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let d = app
            .ok(&alice, CAMPAIGN, json!({ "o": org, "c": campaign }))
            .await;
        let c = &d["organization"]["campaign"];
        if c["status"] == "COMPLETED" {
            assert_eq!(c["stats"]["sent"], CAMPAIGN_MESSAGES, "{c}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the campaign did not complete: {c}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sent: Vec<Sent> = diesel::sql_query(format!(
        "SELECT id, wamid, phone FROM campaign_recipients WHERE campaign_id = '{campaign}' ORDER BY id"
    ))
    .load(&mut db)
    .await
    .unwrap();
    assert_eq!(sent.len(), CAMPAIGN_MESSAGES);
    // One inbox message after every nine campaign ones.
    let mut inbox = (0..INBOX_MESSAGES).map(|i| {
        let phone = (5511900000000u64 + (CAMPAIGN_MESSAGES + i) as u64).to_string();
        Target {
            wamid: format!("wamid.INBOX{phone}"),
            phone,
            callback: None,
        }
    });
    let mut targets = Vec::with_capacity(total);
    for (i, s) in sent.into_iter().enumerate() {
        targets.push(Target {
            wamid: s.wamid,
            phone: s.phone.trim_start_matches('+').to_owned(),
            callback: Some(format!("wagent:campaign:{}", s.id)),
        });
        if i % 9 == 8
            && let Some(t) = inbox.next()
        {
            targets.push(t);
        }
    }
    targets.extend(inbox);
    assert_eq!(targets.len(), total);

    // Meta's order: every message sent, then delivered, then read.
    let now = chrono::Utc::now().timestamp();
    let mut deliveries = Vec::new();
    for (step, status) in ["sent", "delivered", "read"].into_iter().enumerate() {
        for chunk in targets.chunks(PER_DELIVERY) {
            deliveries.push(delivery(chunk, status, now + step as i64));
        }
    }
    let statuses = deliveries.len() * PER_DELIVERY;
    let bytes: usize = deliveries.iter().map(String::len).sum();

    let http = reqwest::Client::new();
    let url = format!("{}/webhooks/whatsapp", app.base);
    let started = Instant::now();
    let mut acks: Vec<Duration> = stream::iter(deliveries)
        .map(|body| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let sig =
                    wagent_meta::webhook::signature_header(APP_SECRET.as_bytes(), body.as_bytes());
                let t = Instant::now();
                let r = http
                    .post(&url)
                    .header("x-hub-signature-256", sig)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                t.elapsed()
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let acked = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let d = app
            .ok(&alice, CAMPAIGN, json!({ "o": org, "c": campaign }))
            .await;
        let read = d["organization"]["campaign"]["stats"]["read"]
            .as_i64()
            .unwrap();
        if read == CAMPAIGN_MESSAGES as i64
            && count(
                &mut db,
                "SELECT count(*) AS n FROM messages WHERE status = 'read'",
            )
            .await
                == INBOX_MESSAGES as i64
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the statuses were not all applied: {d}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let applied = started.elapsed();
    acks.sort();
    let p99 = acks[((acks.len() as f64 - 1.0) * 0.99).round() as usize];
    let d = app
        .ok(&alice, CAMPAIGN, json!({ "o": org, "c": campaign }))
        .await;
    let stats = &d["organization"]["campaign"]["stats"];
    assert_eq!(stats["delivered"], CAMPAIGN_MESSAGES, "{stats}");
    assert_eq!(stats["failed"], 0, "{stats}");
    let failures = count(&mut db, "SELECT count(*) AS n FROM webhook_failures").await;
    assert_eq!(failures, 0, "every status applied");
    let history = count(&mut db, "SELECT count(*) AS n FROM message_statuses").await;
    assert_eq!(
        history,
        3 * INBOX_MESSAGES as i64,
        "every inbox status kept"
    );
    let linked = count(
        &mut db,
        "SELECT count(*) AS n FROM contacts WHERE user_id = 'BR.' || wa_id",
    )
    .await;
    assert_eq!(linked, total as i64, "every customer's user id learned");
    println!(
        "ingest: {statuses} statuses in {} deliveries ({} KB each), {CONCURRENCY} at a time",
        statuses / PER_DELIVERY,
        bytes / (statuses / PER_DELIVERY) / 1024
    );
    println!(
        "  all answered after {acked:?}; all applied after {applied:?}; p50 ack {:?}, max {:?}",
        acks[acks.len() / 2],
        acks[acks.len() - 1]
    );
    println!(
        "ingest_statuses_per_s: {:.0}",
        statuses as f64 / applied.as_secs_f64()
    );
    println!("ingest_ack_p99_ms: {:.1}", p99.as_secs_f64() * 1000.0);
}

/// One `messages` delivery of `status` for every target of `chunk`, shaped as Meta sends them
/// since 2026-03-31: the customers in `contacts`, pricing on `sent` and `delivered`.
fn delivery(chunk: &[Target], status: &str, at: i64) -> String {
    let statuses: Vec<Value> = chunk
        .iter()
        .map(|t| {
            let mut s = json!({
                "id": t.wamid, "status": status, "timestamp": at.to_string(),
                "recipient_id": t.phone, "recipient_user_id": format!("BR.{}", t.phone),
            });
            if let Some(data) = &t.callback {
                s["biz_opaque_callback_data"] = json!(data);
            }
            if status != "read" {
                let category = if t.callback.is_some() { "utility" } else { "service" };
                s["pricing"] = json!({ "billable": t.callback.is_some(), "pricing_model": "PMP", "category": category, "type": "regular" });
            }
            s
        })
        .collect();
    let contacts: Vec<Value> = chunk
        .iter()
        .map(|t| json!({ "profile": { "name": "Customer" }, "wa_id": t.phone, "user_id": format!("BR.{}", t.phone) }))
        .collect();
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": WABA, "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "15550100", "phone_number_id": NUMBER },
        "contacts": contacts, "statuses": statuses } }] }] })
    .to_string()
}
