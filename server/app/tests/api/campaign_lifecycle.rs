//! A campaign's life beyond "send now": schedules (at a time, in each recipient's local time,
//! recurring), cancel, retrying what failed for a passing reason, every skip reason, a saved
//! segment as the audience, and which replies count for the campaign.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Value, json};
use wagent_testkit::count;

use crate::{
    campaigns::{
        CAMPAIGN, CREATE, PREVIEW, crowd, customer, import, input, launch, marketing_template,
        sends_by_recipient,
    },
    helpers::{TestApp, code},
    whatsapp::{connected, eventually, post_webhook, signed},
};

/// How far ahead the scheduled tests set their time: room for the launch to be stored first
/// on a busy machine, short enough to wait for.
const LEAD: i64 = 12;

const RECIPIENTS: &str = "query($o: ID!, $c: ID!, $f: CampaignRecipientFilter) { organization(id: $o) { campaign(id: $c) { recipients(first: 100, filter: $f) { nodes { contactId name address status skipReason notBefore repliedAt errorCode } } } } }";

/// Runs `sql` as the superuser (row-level security hides nothing from it).
async fn admin_sql(app: &TestApp, sql: &str) {
    use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(sql).await.unwrap();
}

/// The wall-clock time in `zone` at `instant`, to the second (PostgreSQL's time zone rules,
/// as the server reads schedules).
async fn wall_clock(app: &TestApp, zone: &str, instant: DateTime<Utc>) -> NaiveDateTime {
    let seconds = count(
        &app.db.admin,
        &format!(
            "SELECT extract(epoch FROM (to_timestamp({}) AT TIME ZONE '{zone}'))::bigint AS n",
            instant.timestamp()
        ),
    )
    .await;
    DateTime::from_timestamp(seconds, 0).unwrap().naive_utc()
}

/// The instant that is `local` in `zone`.
async fn instant_in(app: &TestApp, zone: &str, local: NaiveDateTime) -> DateTime<Utc> {
    let seconds = count(
        &app.db.admin,
        &format!(
            "SELECT extract(epoch FROM ('{}'::timestamp AT TIME ZONE '{zone}'))::bigint AS n",
            local.format("%Y-%m-%d %H:%M:%S")
        ),
    )
    .await;
    DateTime::from_timestamp(seconds, 0).unwrap()
}

fn instant(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("a time: {v}")))
        .unwrap()
        .with_timezone(&Utc)
}

async fn set_time_zone(app: &TestApp, token: &str, org: &str, zone: &str) {
    app.ok(
        token,
        "mutation($o: ID!, $z: String!) { setOrganizationTimeZone(input: {organizationId: $o, timeZone: $z}) { timeZone } }",
        json!({ "o": org, "z": zone }),
    )
    .await;
}

async fn create(app: &TestApp, token: &str, draft: Value) -> String {
    let created = app.ok(token, CREATE, json!({ "i": draft })).await;
    created["createCampaign"]["id"].as_str().unwrap().to_owned()
}

async fn campaign(app: &TestApp, token: &str, org: &str, id: &str) -> Value {
    let d = app.ok(token, CAMPAIGN, json!({ "o": org, "c": id })).await;
    d["organization"]["campaign"].clone()
}

async fn recipients(app: &TestApp, token: &str, org: &str, id: &str, filter: Value) -> Vec<Value> {
    let d = app
        .ok(token, RECIPIENTS, json!({ "o": org, "c": id, "f": filter }))
        .await;
    d["organization"]["campaign"]["recipients"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

async fn until_status(app: &TestApp, token: &str, org: &str, id: &str, status: &str) -> Value {
    let d = eventually(app, token, CAMPAIGN, json!({ "o": org, "c": id }), |d| {
        d["organization"]["campaign"]["status"] == status
    })
    .await;
    d["organization"]["campaign"].clone()
}

/// The sandbox's sends of this number: recipient → (wamid, callback data).
async fn wamids(app: &TestApp, pn: &str) -> HashMap<String, (String, String)> {
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
    sent["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "template")
        .map(|m| {
            (
                m["to"].as_str().unwrap().to_owned(),
                (
                    m["id"].as_str().unwrap().to_owned(),
                    m["request"]["biz_opaque_callback_data"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                ),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_at_a_time_sends_nothing_before_it_and_everything_after() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let zone = "America/Sao_Paulo";
    set_time_zone(&app, &alice, &org, zone).await;
    import(&app, &alice, &org, &crowd(3)).await;
    let template = marketing_template(&app, &alice, &org, &number).await;

    // A few seconds ahead, written as the organization's wall clock.
    let at = wall_clock(&app, zone, Utc::now() + chrono::Duration::seconds(LEAD)).await;
    let due = instant_in(&app, zone, at).await;
    let mut draft = input(&org, &number, &template, &["crowd"]);
    draft["schedule"] = json!({ "kind": "AT", "at": at.format("%Y-%m-%dT%H:%M:%S").to_string() });
    let id = create(&app, &alice, draft).await;
    launch(&app, &alice, &org, &id).await;
    let starts = app
        .ok(
            &alice,
            "query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { status startsAt } } }",
            json!({ "o": org, "c": id }),
        )
        .await;
    assert_eq!(
        instant(&starts["organization"]["campaign"]["startsAt"]),
        due,
        "the time is read in the organization's zone: {starts}"
    );
    let before = campaign(&app, &alice, &org, &id).await;
    assert!(Utc::now() < due, "the checks before the time ran in time");
    assert_eq!(before["status"], "SCHEDULED", "{before}");
    assert_eq!(before["stats"]["audience"], 0, "not frozen yet: {before}");
    assert!(sends_by_recipient(&app, &pn).await.is_empty());

    let done = until_status(&app, &alice, &org, &id, "COMPLETED").await;
    assert_eq!(done["stats"]["sent"], 3, "{done}");
    assert!(instant(&done["launchedAt"]) >= due, "{done}");
    let accepted = app.sandbox.handle().accepted_ms(&pn);
    assert_eq!(accepted.len(), 3);
    assert!(
        accepted.iter().all(|ms| *ms >= due.timestamp_millis()),
        "nothing reached Meta before {due}: {accepted:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_local_time_campaign_reaches_each_recipient_at_that_time_in_their_zone() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    // Lisbon, São Paulo (3 or 4 hours behind) and Tokyo (8 or 9 hours ahead), each from the
    // number's country.
    import(
        &app,
        &alice,
        &org,
        "phone,name,tier,tags\n\
         +351 912 345 678,Rita,gold,world\n\
         +55 11 93333-0001,Ana,gold,world\n\
         +81 90-1234-5678,Yuki,gold,world\n",
    )
    .await;
    let template = marketing_template(&app, &alice, &org, &number).await;

    // Lisbon's clock a few seconds from now: that moment comes hours later in São Paulo and
    // has passed in Tokyo, which gets it at that time the next day.
    let local = wall_clock(
        &app,
        "Europe/Lisbon",
        Utc::now() + chrono::Duration::seconds(LEAD),
    )
    .await;
    let mut draft = input(&org, &number, &template, &["world"]);
    draft["schedule"] = json!({
        "kind": "LOCAL",
        "date": local.date().format("%Y-%m-%d").to_string(),
        "time": local.time().format("%H:%M:%S").to_string(),
    });
    let id = create(&app, &alice, draft).await;
    launch(&app, &alice, &org, &id).await;

    let lisbon = instant_in(&app, "Europe/Lisbon", local).await;
    let sao_paulo = instant_in(&app, "America/Sao_Paulo", local).await;
    let tokyo = instant_in(&app, "Asia/Tokyo", local).await + chrono::Duration::days(1);
    assert!(sao_paulo - Utc::now() > chrono::Duration::hours(2));

    eventually(&app, &alice, CAMPAIGN, json!({ "o": org, "c": id }), |d| {
        d["organization"]["campaign"]["stats"]["sent"] == 1
    })
    .await;
    let sends = sends_by_recipient(&app, &pn).await;
    assert_eq!(sends, HashMap::from([("351912345678".to_owned(), 1)]));
    let accepted = app.sandbox.handle().accepted_ms(&pn);
    assert!(
        accepted[0] >= lisbon.timestamp_millis(),
        "not before Lisbon's moment"
    );
    // The others wait, each with the instant that is the chosen time in their zone.
    let waiting: HashMap<String, DateTime<Utc>> =
        recipients(&app, &alice, &org, &id, json!({ "status": "QUEUED" }))
            .await
            .iter()
            .map(|r| {
                (
                    r["address"].as_str().unwrap().to_owned(),
                    instant(&r["notBefore"]),
                )
            })
            .collect();
    assert_eq!(
        waiting,
        HashMap::from([
            ("+5511933330001".to_owned(), sao_paulo),
            ("+819012345678".to_owned(), tokyo),
        ])
    );
    let c = campaign(&app, &alice, &org, &id).await;
    assert_eq!(c["status"], "RUNNING", "{c}");
    assert_eq!(c["stats"]["queued"], 2, "{c}");
    app.jobs_drained().await;
    assert_eq!(sends_by_recipient(&app, &pn).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recurring_campaign_makes_a_run_that_sends_and_waits_for_its_next_day_or_week() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let zone = "America/Sao_Paulo";
    set_time_zone(&app, &alice, &org, zone).await;
    import(
        &app,
        &alice,
        &org,
        "phone,name,tier,tags\n\
         +55 11 94444-0001,Ana,gold,daily\n\
         +55 11 94444-0002,Bruno,gold,daily\n\
         +55 11 94444-0003,Caio,gold,weekly\n",
    )
    .await;
    let template = marketing_template(&app, &alice, &org, &number).await;

    let first = wall_clock(&app, zone, Utc::now() + chrono::Duration::seconds(LEAD)).await;
    let time = first.time().format("%H:%M:%S").to_string();
    let weekday = chrono::Datelike::weekday(&first.date()).number_from_monday();
    let mut daily = input(&org, &number, &template, &["daily"]);
    daily["name"] = json!("Daily deals");
    daily["schedule"] = json!({ "kind": "RECURRING", "every": "DAY", "time": time });
    let daily = create(&app, &alice, daily).await;
    let mut weekly = input(&org, &number, &template, &["weekly"]);
    weekly["name"] = json!("Weekly news");
    weekly["schedule"] =
        json!({ "kind": "RECURRING", "every": "WEEK", "time": time, "weekday": weekday });
    let weekly = create(&app, &alice, weekly).await;
    let due = instant_in(&app, zone, first).await;
    let next_day = instant_in(&app, zone, first + chrono::Duration::days(1)).await;
    let next_week = instant_in(&app, zone, first + chrono::Duration::days(7)).await;

    const STARTS: &str =
        "query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { status startsAt } } }";
    for (id, every) in [(&daily, "daily"), (&weekly, "weekly")] {
        launch(&app, &alice, &org, id).await;
        let d = app.ok(&alice, STARTS, json!({ "o": org, "c": id })).await;
        assert_eq!(
            instant(&d["organization"]["campaign"]["startsAt"]),
            due,
            "{every}: the first run is today's time in the organization's zone"
        );
    }

    // Each first run is a campaign of its own that sends to the audience and completes.
    const RUNS: &str = "query($o: ID!) { organization(id: $o) { campaigns(first: 20) { nodes { id name parentId status stats { sent } } } } }";
    let listed = eventually(&app, &alice, RUNS, json!({ "o": org }), |d| {
        let runs: Vec<&Value> = d["organization"]["campaigns"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| !c["parentId"].is_null())
            .collect();
        runs.len() == 2 && runs.iter().all(|r| r["status"] == "COMPLETED")
    })
    .await;
    let nodes = listed["organization"]["campaigns"]["nodes"]
        .as_array()
        .unwrap();
    for (parent, sent, name) in [(&daily, 2, "Daily deals"), (&weekly, 1, "Weekly news")] {
        let run = nodes
            .iter()
            .find(|c| c["parentId"] == parent.as_str())
            .unwrap_or_else(|| panic!("a run of {name}: {listed}"));
        assert_eq!(run["stats"]["sent"], sent, "{run}");
        assert!(
            run["name"].as_str().unwrap().starts_with(name),
            "the run is named for its parent: {run}"
        );
    }
    assert_eq!(
        nodes.len(),
        4,
        "one run each, and the two recurring campaigns: {listed}"
    );
    assert_eq!(
        sends_by_recipient(&app, &pn).await,
        HashMap::from([
            ("5511944440001".to_owned(), 1),
            ("5511944440002".to_owned(), 1),
            ("5511944440003".to_owned(), 1),
        ])
    );
    // The recurring campaigns wait for their next time, in the organization's zone.
    for (id, next, every) in [(&daily, next_day, "daily"), (&weekly, next_week, "weekly")] {
        let d = eventually(&app, &alice, STARTS, json!({ "o": org, "c": id }), |d| {
            instant(&d["organization"]["campaign"]["startsAt"]) != due
        })
        .await;
        let c = &d["organization"]["campaign"];
        assert_eq!(c["status"], "SCHEDULED", "{every}: {c}");
        assert_eq!(instant(&c["startsAt"]), next, "{every}: {c}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_a_running_campaign_sends_nothing_more_and_cancels_everyone_left() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    import(&app, &alice, &org, &crowd(400)).await;
    let template = marketing_template(&app, &alice, &org, &number).await;
    let id = create(&app, &alice, input(&org, &number, &template, &["crowd"])).await;
    launch(&app, &alice, &org, &id).await;
    // At 80 a second, 400 take five seconds: cancel while it sends.
    eventually(&app, &alice, CAMPAIGN, json!({ "o": org, "c": id }), |d| {
        d["organization"]["campaign"]["stats"]["sent"].as_i64() > Some(0)
    })
    .await;
    let cancelled = app
        .ok(
            &alice,
            "mutation($o: ID!, $c: ID!) { cancelCampaign(organizationId: $o, campaignId: $c) { status finishedAt } }",
            json!({ "o": org, "c": id }),
        )
        .await;
    assert_eq!(cancelled["cancelCampaign"]["status"], "CANCELLED");
    assert!(!cancelled["cancelCampaign"]["finishedAt"].is_null());
    // The sends in flight finish and are recorded; then nothing more leaves.
    app.jobs_drained().await;
    let c = campaign(&app, &alice, &org, &id).await;
    assert_eq!(c["status"], "CANCELLED", "{c}");
    let s = &c["stats"];
    let (sent, failed, unknown, cancelled, queued) = (
        s["sent"].as_i64().unwrap(),
        s["failed"].as_i64().unwrap(),
        s["unknown"].as_i64().unwrap(),
        s["cancelled"].as_i64().unwrap(),
        s["queued"].as_i64().unwrap(),
    );
    assert_eq!(queued, 0, "nobody is left waiting: {s}");
    assert!(cancelled > 0 && sent < 400, "cancelled before the end: {s}");
    assert_eq!(sent + failed + unknown + cancelled, 400, "{s}");
    for status in ["QUEUED", "SENDING"] {
        assert_eq!(
            recipients(&app, &alice, &org, &id, json!({ "status": status })).await,
            Vec::<Value>::new(),
            "no recipient is left {status}"
        );
    }
    assert_eq!(
        recipients(&app, &alice, &org, &id, json!({ "status": "CANCELLED" }))
            .await
            .len() as i64,
        cancelled.min(100),
    );
    // What the sandbox received is what was recorded: none of the cancelled went out.
    let received = sends_by_recipient(&app, &pn).await;
    let got = received.len() as i64;
    assert!(
        (sent..=sent + failed + unknown).contains(&got),
        "received {got}: {s}"
    );

    // It stays ended: nothing resumes it, and nothing more is sent.
    let (_, body) = app
        .gql(
            Some(&alice),
            "mutation($o: ID!, $c: ID!) { resumeCampaign(organizationId: $o, campaignId: $c) { status } }",
            json!({ "o": org, "c": id }),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    let (_, body) = app
        .gql(
            Some(&alice),
            "mutation($o: ID!, $c: ID!) { cancelCampaign(organizationId: $o, campaignId: $c) { status } }",
            json!({ "o": org, "c": id }),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    app.jobs_drained().await;
    assert_eq!(sends_by_recipient(&app, &pn).await, received);
}

#[tokio::test(flavor = "multi_thread")]
async fn retrying_failed_recipients_resends_only_those_that_failed_for_a_passing_reason() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    import(
        &app,
        &alice,
        &org,
        "phone,name,tier,tags\n\
         +55 11 95555-0001,Ana,gold,retry\n\
         +55 11 95555-0002,Bruno,gold,retry\n\
         +55 11 95555-0003,Caio,gold,retry\n\
         +55 11 95555-0004,Dora,gold,retry\n",
    )
    .await;
    let template = marketing_template(&app, &alice, &org, &number).await;
    // The statuses come below, as Meta sends them for these customers.
    app.sandbox.handle().set_webhook_url(None);
    let id = create(&app, &alice, input(&org, &number, &template, &["retry"])).await;
    launch(&app, &alice, &org, &id).await;
    until_status(&app, &alice, &org, &id, "COMPLETED").await;
    let sent = wamids(&app, &pn).await;
    assert_eq!(sent.len(), 4);
    let now = Utc::now().timestamp();
    let failed = |to: &str, code: i64, title: &str| {
        json!({ "id": sent[to].0, "status": "failed", "timestamp": now.to_string(), "recipient_id": to, "biz_opaque_callback_data": sent[to].1,
                "errors": [{ "code": code, "title": title, "message": title, "error_data": { "details": title } }] })
    };
    let delivered = |to: &str| json!({ "id": sent[to].0, "status": "delivered", "timestamp": now.to_string(), "recipient_id": to, "biz_opaque_callback_data": sent[to].1 });
    let (ana, bruno, caio, dora) = (
        "5511955550001",
        "5511955550002",
        "5511955550003",
        "5511955550004",
    );
    // Ana hit the per-user marketing limit (it passes); Bruno's number cannot receive it and
    // Caio is outside the window for this message: both for good. Dora has it.
    let delivery = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "100200300", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "15550100", "phone_number_id": pn },
        "statuses": [
            failed(ana, 131049, "This message was not delivered to maintain healthy ecosystem engagement."),
            failed(bruno, 131026, "Message undeliverable"),
            failed(caio, 131047, "Re-engagement message"),
            delivered(dora),
        ],
    } }] }] })
    .to_string();
    let (body, sig) = signed(&delivery);
    assert_eq!(post_webhook(&app, &body, Some(&sig)).await, 200);
    let c = eventually(&app, &alice, CAMPAIGN, json!({ "o": org, "c": id }), |d| {
        d["organization"]["campaign"]["stats"]["failed"] == 3
    })
    .await;
    assert_eq!(
        c["organization"]["campaign"]["stats"]["delivered"], 1,
        "{c}"
    );

    let retried = app
        .ok(
            &alice,
            "mutation($o: ID!, $c: ID!) { retryFailedRecipients(organizationId: $o, campaignId: $c) { status stats { failed queued } } }",
            json!({ "o": org, "c": id }),
        )
        .await;
    let r = &retried["retryFailedRecipients"];
    assert_eq!(r["status"], "RUNNING", "{r}");
    assert_eq!(r["stats"]["failed"], 2, "{r}");
    assert_eq!(r["stats"]["queued"], 1, "{r}");
    let done = until_status(&app, &alice, &org, &id, "COMPLETED").await;
    assert_eq!(done["stats"]["failed"], 2, "{done}");
    assert_eq!(done["stats"]["sent"], 4, "{done}");
    assert_eq!(
        sends_by_recipient(&app, &pn).await,
        HashMap::from([
            (ana.to_owned(), 2),
            (bruno.to_owned(), 1),
            (caio.to_owned(), 1),
            (dora.to_owned(), 1),
        ]),
        "only Ana is sent it again"
    );
    let mut failed_codes: Vec<(String, i64)> =
        recipients(&app, &alice, &org, &id, json!({ "status": "FAILED" }))
            .await
            .iter()
            .map(|r| {
                (
                    r["address"].as_str().unwrap().to_owned(),
                    r["errorCode"].as_i64().unwrap(),
                )
            })
            .collect();
    failed_codes.sort();
    assert_eq!(
        failed_codes,
        [
            ("+5511955550002".to_owned(), 131026),
            ("+5511955550003".to_owned(), 131047)
        ]
    );
    // Nothing is left worth retrying.
    let (_, body) = app
        .gql(
            Some(&alice),
            "mutation($o: ID!, $c: ID!) { retryFailedRecipients(organizationId: $o, campaignId: $c) { status } }",
            json!({ "o": org, "c": id }),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_skip_reason_is_previewed_recorded_and_sends_nothing() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    // Five who can be sent it, and Bruno, whose tier is missing and whose fallback is
    // longer than Meta takes.
    import(
        &app,
        &alice,
        &org,
        "phone,name,tier,tags\n\
         +55 11 96666-0001,Ana,gold,mix\n\
         +55 11 96666-0002,Bruno,,mix\n\
         +55 11 96666-0003,Carla,gold,mix\n\
         +55 11 96666-0004,Dora,gold,mix\n\
         +55 11 96666-0005,Eva,gold,mix\n\
         +55 11 96666-0006,Fay,gold,mix\n",
    )
    .await;
    let template = marketing_template(&app, &alice, &org, &number).await;
    // Rows older versions kept: Ana's number written with its `+` (the same address as
    // hers, and ordered after every contact), and a contact whose stored number is no
    // number and who has no user id.
    let org_id = org.as_str();
    admin_sql(
        &app,
        &format!(
            "INSERT INTO contacts (org_id, id, wa_id, name, tags)
             VALUES ('{org_id}', 'ffffffff-ffff-7fff-bfff-ffffffffffff', '+5511966660001', 'Ana again', '{{mix}}'),
                    ('{org_id}', gen_random_uuid(), 'unknown', 'Nobody', '{{mix}}');
             UPDATE phone_numbers SET messaging_limit = 'TIER_3' WHERE id = '{number}';"
        ),
    )
    .await;
    let mut draft = input(&org, &number, &template, &["mix"]);
    draft["parameters"][1]["fallback"] = json!("x".repeat(1_100));
    let id = create(&app, &alice, draft).await;

    let preview = app.ok(&alice, PREVIEW, json!({ "o": org, "c": id })).await;
    let p = &preview["organization"]["campaign"]["preview"];
    let by_reason = |list: &Value, key: &str| -> Vec<(String, i64)> {
        let mut v: Vec<(String, i64)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s[key].as_str().unwrap().to_owned(),
                    s["count"].as_i64().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let expected = |upper: bool| {
        let name = |s: &str| {
            if upper {
                s.to_owned()
            } else {
                s.to_lowercase()
            }
        };
        vec![
            (name("DUPLICATE"), 1),
            (name("INVALID_VALUE"), 1),
            (name("NO_ADDRESS"), 1),
            (name("OVER_BUDGET"), 2),
        ]
    };
    assert_eq!(p["audience"], 8, "{p}");
    assert_eq!(p["queued"], 3, "{p}");
    assert_eq!(by_reason(&p["skipped"], "reason"), expected(true), "{p}");
    assert_eq!(p["budget"]["limit"], 3, "{p}");
    assert_eq!(p["budget"]["needed"], 3, "{p}");
    let bruno = p["samples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Bruno")
        .unwrap();
    assert_eq!(bruno["skipReason"], "INVALID_VALUE", "{bruno}");
    assert_eq!(
        bruno["detail"], "body {{2}} is longer than 1024 characters",
        "{bruno}"
    );

    launch(&app, &alice, &org, &id).await;
    let done = until_status(&app, &alice, &org, &id, "COMPLETED").await;
    assert_eq!(done["stats"]["skipped"], 5, "{done}");
    assert_eq!(
        by_reason(&done["stats"]["skippedByReason"], "key"),
        expected(false)
    );
    let skipped = recipients(&app, &alice, &org, &id, json!({ "status": "SKIPPED" })).await;
    let mut reasons: Vec<&str> = skipped
        .iter()
        .map(|r| r["skipReason"].as_str().unwrap())
        .collect();
    reasons.sort_unstable();
    assert_eq!(
        reasons,
        [
            "DUPLICATE",
            "INVALID_VALUE",
            "NO_ADDRESS",
            "OVER_BUDGET",
            "OVER_BUDGET"
        ]
    );
    let sent = recipients(&app, &alice, &org, &id, json!({ "status": "SENT" })).await;
    let delivered = recipients(&app, &alice, &org, &id, json!({})).await;
    let reached: Vec<String> = delivered
        .iter()
        .filter(|r| r["status"] != "SKIPPED")
        .map(|r| {
            r["address"]
                .as_str()
                .unwrap()
                .trim_start_matches('+')
                .to_owned()
        })
        .collect();
    assert_eq!(reached.len(), 3, "{delivered:?} {sent:?}");
    let sends = sends_by_recipient(&app, &pn).await;
    let mut received: Vec<String> = sends.keys().cloned().collect();
    received.sort();
    let mut expected_received = reached.clone();
    expected_received.sort();
    assert_eq!(
        received, expected_received,
        "only the queued ones, and no skipped contact"
    );
    assert!(sends.values().all(|n| *n == 1));
    for r in &skipped {
        if r["skipReason"] != "DUPLICATE" {
            let address = r["address"].as_str().unwrap_or("").trim_start_matches('+');
            assert!(!sends.contains_key(address), "{r} received it");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_segment_is_the_audience_and_only_its_contacts_get_the_message() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    import(
        &app,
        &alice,
        &org,
        "phone,name,tier,tags\n\
         +55 11 97777-1001,Ana,gold,vip\n\
         +351 912 345 001,Rita,gold,vip\n\
         +55 11 97777-1003,Caio,gold,regular\n",
    )
    .await;
    let template = marketing_template(&app, &alice, &org, &number).await;
    // VIPs in Brazil: Ana only.
    let made = app
        .ok(
            &alice,
            "mutation($o: ID!, $f: SegmentFilterInput!) { createSegment(input: {organizationId: $o, name: \"Brazilian VIPs\", filter: $f}) { id contactCount } }",
            json!({ "o": org, "f": { "tags": { "allOf": ["vip"] }, "countries": ["BR"] } }),
        )
        .await;
    assert_eq!(made["createSegment"]["contactCount"], 1, "{made}");
    let segment = made["createSegment"]["id"].as_str().unwrap().to_owned();
    let mut draft = input(&org, &number, &template, &[]);
    draft["audience"] = json!({ "segmentIds": [segment] });
    let id = create(&app, &alice, draft).await;
    let preview = app.ok(&alice, PREVIEW, json!({ "o": org, "c": id })).await;
    let p = &preview["organization"]["campaign"]["preview"];
    assert_eq!(
        (p["audience"].as_i64(), p["queued"].as_i64()),
        (Some(1), Some(1)),
        "{p}"
    );
    launch(&app, &alice, &org, &id).await;
    let done = until_status(&app, &alice, &org, &id, "COMPLETED").await;
    assert_eq!(done["stats"]["audience"], 1, "{done}");
    assert_eq!(
        sends_by_recipient(&app, &pn).await,
        HashMap::from([("5511977771001".to_owned(), 1)]),
        "the segment's contact only"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_count_when_they_quote_or_tap_the_message_or_come_within_the_window_after_delivery()
{
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    import(
        &app,
        &alice,
        &org,
        "phone,name,tier,tags\n\
         +55 11 98888-2001,Ana,gold,replies\n\
         +55 11 98888-2002,Bruno,gold,replies\n\
         +55 11 98888-2003,Caio,gold,replies\n\
         +55 11 98888-2004,Dora,gold,replies\n\
         +55 11 98888-2005,Eva,gold,replies\n",
    )
    .await;
    let template = marketing_template(&app, &alice, &org, &number).await;
    let mut draft = input(&org, &number, &template, &["replies"]);
    draft["replyWindowHours"] = json!(3);
    let id = create(&app, &alice, draft).await;
    launch(&app, &alice, &org, &id).await;
    // Every status is in before the clock is turned back.
    eventually(&app, &alice, CAMPAIGN, json!({ "o": org, "c": id }), |d| {
        d["organization"]["campaign"]["stats"]["read"] == 5
    })
    .await;
    app.jobs_drained().await;
    let (ana, bruno, caio, dora, eva) = (
        "5511988882001",
        "5511988882002",
        "5511988882003",
        "5511988882004",
        "5511988882005",
    );
    // The campaign happened earlier: Ana's and Bruno's messages long before the window,
    // Caio's sent 4 hours ago and delivered 2 hours ago (within 3 hours of delivery),
    // Dora's delivered 4 hours ago, and Eva's sent 2 hours ago with no delivery known.
    let ago = |h: i32| format!("now() - interval '{h} hours'");
    let mut shift = String::new();
    for (to, sent, delivered) in [
        (ana, ago(10), ago(10)),
        (bruno, ago(10), ago(10)),
        (caio, ago(4), ago(2)),
        (dora, ago(5), ago(4)),
        (eva, ago(2), "NULL".to_owned()),
    ] {
        shift.push_str(&format!(
            "UPDATE campaign_recipients SET sent_at = {sent}, delivered_at = {delivered},
                    read_at = CASE WHEN {delivered} IS NULL THEN NULL ELSE read_at END,
                    status = CASE WHEN {delivered} IS NULL THEN 'sent' ELSE status END
              WHERE campaign_id = '{id}' AND phone = '{to}';"
        ));
    }
    admin_sql(&app, &shift).await;
    let wamid = wamids(&app, &pn).await;
    // Ana quotes the campaign message; Bruno taps its quick reply.
    let r = app
        .http
        .post(format!("{}/sandbox/customers/messages", app.sandbox_url))
        .json(&json!({ "phone_number_id": pn, "from": ana, "type": "text", "text": { "body": "Is this still on?" }, "context": { "id": wamid[ana].0 } }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let r = app
        .http
        .post(format!("{}/sandbox/customers/messages", app.sandbox_url))
        .json(&json!({ "phone_number_id": pn, "from": bruno, "type": "button", "button": { "text": "Yes please", "payload": "YES" }, "context": { "id": wamid[bruno].0 } }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    for to in [caio, dora, eva] {
        customer(&app, &pn, to, "Hello?").await;
    }
    app.jobs_drained().await;
    let c = campaign(&app, &alice, &org, &id).await;
    let mut replied: Vec<String> = recipients(&app, &alice, &org, &id, json!({ "replied": true }))
        .await
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    replied.sort();
    assert_eq!(
        replied,
        ["Ana", "Bruno", "Caio", "Eva"],
        "Dora wrote after the window: {c}"
    );
    assert_eq!(c["stats"]["replied"], 4, "{c}");
}
