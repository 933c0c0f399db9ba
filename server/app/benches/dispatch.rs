#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Campaign dispatch against the sandbox, every database write included (claims, outcomes,
//! counters, timeline, contacts' last outbound time):
//!
//! - `dispatch_uncapped_msgs_per_s`: 100,000 recipients on a number without Meta's cap
//!   (goal ≥ 3,000);
//! - `dispatch_capped_share_of_cap`: 20,000 recipients at the 1,000/s throughput level, the
//!   share of the level used while sending: the sends the sandbox accepted in each full
//!   second between the first send and the last (goal ≥ 0.98); and
//!   `dispatch_capped_whole_run_share`, the same over the whole run as the campaign's
//!   counters show it (from the first send counted to completion); and
//!   `dispatch_capped_130429_count`, how many sends the sandbox refused for going over it
//!   (goal 0);
//! - `dispatch_slow_answers_share_of_cap` and `dispatch_slow_answers_130429_count`: 10,000
//!   recipients at the same level with every answer taking 200 ms, as Meta's take a few
//!   hundred: a send holds its place in the pacer's window from its departure until a
//!   second after its answer, so about 1 / (1 + 0.2) = 0.83 of the level is the most a
//!   refusal-free pace can use.
//!
//! Run: `bench/run dispatch` (a real PostgreSQL, as in the tests). The sandbox sends no status
//! webhooks here: the `ingest` figures are another benchmark's.

#[path = "../tests/api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::{Duration, Instant};

use helpers::TestApp;
use serde_json::{Value, json};
use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

const WABA: &str = "830000000000001";
const NUMBER: &str = "840000000000001";

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

const CAMPAIGN: &str = "query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { status stats { sent queued failed unknown } } } }";

async fn run() {
    let app = TestApp::spawn_configured(&[
        ("WAGENT_RATE_LIMIT_PER_IP", "0"),
        ("WAGENT_RATE_LIMIT_PER_TOKEN", "0"),
        ("WAGENT_LOG", "error"),
        ("WAGENT_DB_POOL_SIZE", "16"),
    ])
    .await;
    app.sandbox.handle().set_webhook_url(None);
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
    db.batch_execute(&format!(
        "INSERT INTO contacts (org_id, id, wa_id, name, tags, country, created_at)
         SELECT '{org}', gen_random_uuid(), (5511900000000 + i)::text, 'Customer ' || i,
                CASE WHEN i < 100000 THEN ARRAY['uncapped']
                     WHEN i < 120000 THEN ARRAY['capped'] ELSE ARRAY['slow_answers'] END, 'BR', now()
           FROM generate_series(0, 129999) AS i;
         UPDATE phone_numbers SET messaging_limit = 'TIER_UNLIMITED' WHERE id = '{number}';"
    ))
    .await
    .unwrap();

    // Uncapped: a level far above what WAgent can send, and a sandbox that takes it all.
    app.sandbox
        .handle()
        .configure(|c| c.throughput_per_second = 1_000_000);
    db.batch_execute(&format!(
        "UPDATE phone_numbers SET throughput_level = '100000' WHERE id = '{number}'"
    ))
    .await
    .unwrap();
    let (sent, elapsed) = send(&app, &alice, &org, &number, &template, "uncapped").await;
    println!(
        "dispatch_uncapped_msgs_per_s: {:.0}",
        sent as f64 / elapsed.as_secs_f64()
    );

    // Capped: Meta's highest level, 1,000 a second, enforced by the sandbox per second.
    app.sandbox
        .handle()
        .configure(|c| c.throughput_per_second = 1_000);
    db.batch_execute(&format!(
        "UPDATE phone_numbers SET throughput_level = 'HIGH' WHERE id = '{number}'"
    ))
    .await
    .unwrap();
    let (share, whole, refused) = capped(&app, &alice, &org, &number, &template, "capped").await;
    println!("dispatch_capped_share_of_cap: {share:.3}");
    println!("dispatch_capped_whole_run_share: {whole:.3}");
    println!("dispatch_capped_130429_count: {refused}");

    // The same level with Meta's answers taking 200 ms each.
    app.sandbox
        .handle()
        .configure(|c| c.send_latency = Duration::from_millis(200));
    let (share, whole, refused) =
        capped(&app, &alice, &org, &number, &template, "slow_answers").await;
    println!("dispatch_slow_answers_share_of_cap: {share:.3}");
    println!("dispatch_slow_answers_whole_run_share: {whole:.3}");
    println!("dispatch_slow_answers_130429_count: {refused}");
}

/// A campaign to the contacts tagged `tag` at the 1,000/s level: the share of the level
/// the sandbox accepted in the full seconds of the run, over the whole run, and how many
/// sends it refused as over the level.
async fn capped(
    app: &TestApp,
    alice: &str,
    org: &str,
    number: &str,
    template: &str,
    tag: &str,
) -> (f64, f64, u64) {
    let before = throttled(app).await;
    // Meta's window (the sandbox's sliding second) still holds the last run's last sends:
    // this run starts once the second after the last of them is over.
    let last = app
        .sandbox
        .handle()
        .accepted_ms(NUMBER)
        .last()
        .map_or(0, |ms| ms.div_euclid(1_000));
    while unix_now() <= last + 1 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let from_ms = unix_now() * 1_000;
    let (sent, elapsed) = send(app, alice, org, number, template, tag).await;
    let accepted: Vec<i64> = app
        .sandbox
        .handle()
        .accepted_ms(NUMBER)
        .into_iter()
        .filter(|ms| *ms >= from_ms)
        .collect();
    describe_departures(tag, &accepted);
    // The sends Meta accepted in each second of the run: the share of the level used in the
    // full seconds between the first and the last (those two are partly before the first
    // send and after the last).
    let (first, last) = (
        accepted.first().unwrap().div_euclid(1_000),
        accepted.last().unwrap().div_euclid(1_000),
    );
    let mut per_second = vec![0u32; (last - first + 1) as usize];
    for ms in &accepted {
        per_second[(ms.div_euclid(1_000) - first) as usize] += 1;
    }
    let steady = &per_second[1..per_second.len() - 1];
    println!("  {tag} run: {sent} sent in {elapsed:?}; accepted per second: {per_second:?}");
    (
        f64::from(steady.iter().sum::<u32>()) / steady.len() as f64 / 1_000.0,
        sent as f64 / elapsed.as_secs_f64() / 1_000.0,
        throttled(app).await - before,
    )
}

/// Prints how a capped run's accepted sends spread over time: the most in any sliding
/// second, the sends per tenth of a second and the longest pauses between two sends.
fn describe_departures(run: &str, times: &[i64]) {
    let (Some(first), Some(last)) = (times.first(), times.last()) else {
        return;
    };
    let mut busiest = 0;
    let mut start = 0;
    for (end, t) in times.iter().enumerate() {
        while times[start] <= t - 1_000 {
            start += 1;
        }
        busiest = busiest.max(end + 1 - start);
    }
    let mut tenths = vec![0u32; ((last - first) / 100 + 1) as usize];
    for t in times {
        tenths[((t - first) / 100) as usize] += 1;
    }
    let mut gaps: Vec<(i64, i64)> = times
        .windows(2)
        .map(|w| (w[1] - w[0], w[0] - first))
        .collect();
    gaps.sort_unstable_by(|a, b| b.cmp(a));
    gaps.truncate(8);
    eprintln!("  {run} run, accepted per tenth of a second: {tenths:?}");
    eprintln!("  {run} run, longest pauses (ms, at ms): {gaps:?}");
    println!("dispatch_{run}_busiest_sliding_second: {busiest}");
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

async fn throttled(app: &TestApp) -> u64 {
    let state: Value = app
        .http
        .get(format!("{}/sandbox/state", app.sandbox_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    state["counts"]["throttled_sends"].as_u64().unwrap()
}

/// Launches a campaign to `tag` and returns how many were sent and how long sending took,
/// from the first message sent to the last.
async fn send(
    app: &TestApp,
    token: &str,
    org: &str,
    number: &str,
    template: &str,
    tag: &str,
) -> (i64, Duration) {
    let created = app
        .ok(
            token,
            "mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }",
            json!({ "i": {
                "organizationId": org, "name": tag, "phoneNumberId": number, "templateId": template,
                "parameters": [
                    { "part": "BODY", "placeholder": "1", "field": "first_name", "fallback": "there" },
                    { "part": "BODY", "placeholder": "2", "text": "#42" }
                ],
                "audience": { "tags": [tag] }, "schedule": { "kind": "NOW" }
            } }),
        )
        .await;
    let campaign = created["createCampaign"]["id"].as_str().unwrap().to_owned();
    app.ok(
        token,
        "mutation($o: ID!, $c: ID!) { launchCampaign(organizationId: $o, campaignId: $c) { id } }",
        json!({ "o": org, "c": campaign }),
    )
    .await;
    let mut first_sent: Option<Instant> = None;
    let launched = Instant::now();
    let deadline = launched + Duration::from_secs(600);
    let mut told = launched;
    loop {
        let d = app
            .ok(token, CAMPAIGN, json!({ "o": org, "c": campaign }))
            .await;
        let c = &d["organization"]["campaign"];
        let sent = c["stats"]["sent"].as_i64().unwrap();
        if told.elapsed() >= Duration::from_secs(5) {
            told = Instant::now();
            eprintln!(
                "  {tag}: {} after {:?}: {}; refused so far: {}",
                c["status"],
                launched.elapsed(),
                c["stats"],
                throttled(app).await
            );
        }
        if sent > 0 && first_sent.is_none() {
            first_sent = Some(Instant::now());
        }
        if c["status"] == "COMPLETED" {
            let elapsed = first_sent.map_or(Duration::from_millis(1), |t| t.elapsed());
            assert_eq!(c["stats"]["failed"], 0, "{c}");
            assert_eq!(c["stats"]["unknown"], 0, "{c}");
            return (sent, elapsed);
        }
        assert!(
            Instant::now() < deadline,
            "the campaign did not complete: {c}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
