#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Webhook ingestion: how fast Meta gets its 200, and how fast deliveries reach the inbox.
//! Meta asks webhook servers for a median under 250 ms and under 1% over 1 s.
//!
//! Run: `cargo bench -p wagent-app --bench webhooks` (a real PostgreSQL, as in the tests).

#[path = "../tests/api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::{Duration, Instant};

use futures::{StreamExt, stream};
use helpers::{APP_SECRET, TestApp};
use serde_json::json;
use wagent_db::{
    diesel::{self, QueryableByName},
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl},
};

const WABA: &str = "810000000000001";
const NUMBER: &str = "820000000000001";

fn inbound(i: usize, now: i64) -> String {
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": WABA, "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550100", "phone_number_id": NUMBER },
        "contacts": [{ "profile": { "name": format!("Customer {}", i % 200) }, "wa_id": format!("1555{:07}", i % 200) }],
        "messages": [{ "from": format!("1555{:07}", i % 200), "id": format!("wamid.BENCH{i}"), "timestamp": now.to_string(), "type": "text", "text": { "body": format!("message {i}") } }] } }] }] })
    .to_string()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(c: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(c).await.unwrap().n
}

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

async fn run() {
    let app = TestApp::spawn().await;
    helpers::sandbox_account(&app, WABA, NUMBER).await;
    let org = app.create_org("alice", "Bench").await;
    let alice = app.sign_in("alice").await;
    app.ok(&alice, "mutation($o: ID!, $w: String!, $p: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: $w, phoneNumberId: $p, accessToken: \"t\"}) { id } }", json!({ "o": org, "w": WABA, "p": NUMBER }))
        .await;
    let mut db = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/webhooks/whatsapp", app.base);
    let now = chrono::Utc::now().timestamp();
    let total = 2000;
    let concurrency = 16;

    let started = Instant::now();
    let mut latencies: Vec<Duration> = stream::iter(0..total)
        .map(|i| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let body = inbound(i, now);
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
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let acked = started.elapsed();
    while count(&mut db, "SELECT count(*) AS n FROM messages").await < total as i64 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stored = started.elapsed();
    latencies.sort();
    let over_1s = latencies
        .iter()
        .filter(|d| **d > Duration::from_secs(1))
        .count();
    println!("webhooks: {total} deliveries of one message each, {concurrency} at a time");
    println!(
        "  200 answered: p50 {:?}, p95 {:?}, p99 {:?}, max {:?}, over 1 s: {over_1s} ({:.2}%)",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1],
        over_1s as f64 * 100.0 / total as f64
    );
    println!(
        "  all answered in {:?} ({:.0} deliveries/s)",
        acked,
        total as f64 / acked.as_secs_f64()
    );
    println!(
        "  all in the inbox after {:?} ({:.0} messages/s end to end)",
        stored,
        total as f64 / stored.as_secs_f64()
    );

    // One delivery with 1,000 statuses (Meta batches up to 1,000).
    let statuses: Vec<_> = (0..1000)
        .map(|i| json!({ "id": format!("wamid.BENCH{i}"), "status": "read", "timestamp": now.to_string(), "recipient_id": "15550000001" }))
        .collect();
    make_outbound(&mut db).await;
    let batch = json!({ "object": "whatsapp_business_account", "entry": [{ "id": WABA, "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550100", "phone_number_id": NUMBER }, "statuses": statuses } }] }] })
    .to_string();
    let sig = wagent_meta::webhook::signature_header(APP_SECRET.as_bytes(), batch.as_bytes());
    let t = Instant::now();
    let r = http
        .post(&url)
        .header("x-hub-signature-256", sig)
        .body(batch.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let ack = t.elapsed();
    while count(
        &mut db,
        "SELECT count(*) AS n FROM messages WHERE status = 'read'",
    )
    .await
        < 1000
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    println!(
        "statuses: one delivery of 1,000 ({} KB): 200 after {:?}, all applied after {:?}",
        batch.len() / 1024,
        ack,
        t.elapsed()
    );
}

/// Turns the first 1,000 benchmark messages into outbound ones, so statuses apply to them.
async fn make_outbound(db: &mut AsyncPgConnection) {
    use wagent_db::diesel_async::SimpleAsyncConnection;
    db.batch_execute("UPDATE messages SET direction = 'outbound', status = 'accepted' WHERE wamid ~ '^wamid\\.BENCH([0-9]{1,3})$'")
        .await
        .unwrap();
}
