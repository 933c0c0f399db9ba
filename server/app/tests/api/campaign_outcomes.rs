//! What each of Meta's answers does to a running campaign, end to end against the sandbox
//! answering exactly as Meta does (its `/sandbox/faults`): refusals that need a person pause
//! the campaign with Meta's words, passing ones come back later, final ones fail with Meta's
//! code and text, a held send is counted held, and a number dropping to RED pauses its
//! running campaigns; a pause Meta forces is told to the campaign's creator in the app.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::{
    campaigns::{CAMPAIGN, CREATE, import, input, launch, marketing_template},
    helpers::TestApp,
    whatsapp::{connected, eventually},
};

const RECIPIENTS: &str = "query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { recipients(first: 50) { nodes { address status errorCode errorText attempts notBefore sentAt } } } } }";

/// Has the sandbox answer the next sends from `pn` (to `to`, or anyone) as `fault` says.
async fn fault(app: &TestApp, pn: &str, to: Option<&str>, fault: Value) {
    let mut body = json!({ "phone_number_id": pn, "to": to });
    for (k, v) in fault.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = app
        .http
        .post(format!("{}/sandbox/faults", app.sandbox_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
}

/// Creates a campaign for the contacts tagged `tag` (with `options` over the defaults)
/// and launches it; its id.
async fn campaign(
    app: &TestApp,
    token: &str,
    org: &str,
    number: &str,
    template: &str,
    tag: &str,
    options: Value,
) -> String {
    let mut i = input(org, number, template, &[tag]);
    i["name"] = json!(format!("Campaign {tag}"));
    for (k, v) in options.as_object().unwrap() {
        i[k] = v.clone();
    }
    let created = app.ok(token, CREATE, json!({ "i": i })).await;
    let id = created["createCampaign"]["id"].as_str().unwrap().to_owned();
    launch(app, token, org, &id).await;
    id
}

/// The campaign's recipients by address.
async fn recipients(app: &TestApp, token: &str, org: &str, c: &str) -> BTreeMap<String, Value> {
    let data = app.ok(token, RECIPIENTS, json!({ "o": org, "c": c })).await;
    data["organization"]["campaign"]["recipients"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["address"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_of_meta_s_answers_decides_its_recipient_s_fate() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    // (last digits, the sandbox's answer, what becomes of the recipient, Meta's code)
    let cases: &[(&str, Value, &str, Option<i64>)] = &[
        ("01", json!({ "code": 131056, "times": 1 }), "READ", None),
        ("02", json!({ "code": 131049 }), "FAILED", Some(131049)),
        ("03", json!({ "code": 131026 }), "FAILED", Some(131026)),
        ("04", json!({ "code": 131047 }), "FAILED", Some(131047)),
        ("05", json!({ "code": 131050 }), "FAILED", Some(131050)),
        ("06", json!({ "code": 131051 }), "FAILED", Some(131051)),
        ("07", json!({ "code": 100 }), "FAILED", Some(100)),
        (
            "08",
            json!({ "message_status": "held_for_quality_assessment" }),
            "HELD",
            None,
        ),
        ("09", json!({}), "READ", None),
    ];
    let mut csv = String::from("phone,name,tier,tags\n");
    for (digits, answer, ..) in cases {
        csv.push_str(&format!(
            "+55 11 98888-01{digits},Customer {digits},gold,fates\n"
        ));
        if answer.as_object().unwrap().is_empty() {
            continue;
        }
        fault(
            &app,
            &pn,
            Some(&format!("55119888801{digits}")),
            answer.clone(),
        )
        .await;
    }
    import(&app, &alice, &org, &csv).await;
    let template = marketing_template(&app, &alice, &org, &number).await;
    let c = campaign(&app, &alice, &org, &number, &template, "fates", json!({})).await;

    // The pair-rate refusal comes back six seconds later and is sent then.
    let done = eventually(&app, &alice, CAMPAIGN, json!({ "o": org, "c": c }), |d| {
        let s = &d["organization"]["campaign"]["stats"];
        d["organization"]["campaign"]["status"] == "COMPLETED" && s["failed"] == 6 && s["read"] == 2
    })
    .await;
    let campaign = &done["organization"]["campaign"];
    let stats = &campaign["stats"];
    assert_eq!(stats["held"], 1, "the held send is held, not sent: {stats}");
    // Meta accepted the two read and the four failed later (in a status); not the held one,
    // and not the three it refused in its reply.
    assert_eq!(stats["sent"], 6, "{stats}");
    assert_eq!(stats["queued"], 0, "{stats}");
    assert_eq!(campaign["statusReason"], Value::Null);
    let mut by_code: Vec<(String, i64)> = stats["failedByCode"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert!(f["label"].is_string(), "Meta's words for {f}");
            (
                f["key"].as_str().unwrap().to_owned(),
                f["count"].as_i64().unwrap(),
            )
        })
        .collect();
    by_code.sort();
    assert_eq!(
        by_code,
        ["100", "131026", "131047", "131049", "131050", "131051"].map(|k| (k.to_owned(), 1))
    );

    let people = recipients(&app, &alice, &org, &c).await;
    for (digits, _, status, code) in cases {
        let r = &people[&format!("+55119888801{digits}")];
        assert_eq!(r["status"], *status, "{r}");
        assert_eq!(r["errorCode"].as_i64(), *code, "{r}");
        if code.is_some() {
            assert!(
                !r["errorText"].as_str().unwrap_or_default().is_empty(),
                "Meta's words are kept: {r}"
            );
        }
    }
    let per_user = &people["+5511988880102"];
    assert!(
        per_user["errorText"]
            .as_str()
            .unwrap()
            .contains("healthy ecosystem engagement"),
        "{per_user}"
    );
    let later = &people["+5511988880101"];
    assert_eq!(later["attempts"], 2, "{later}");
    // Sent only once: the refused attempt never reached the customer.
    let sent: Value = app
        .http
        .get(format!(
            "{}/sandbox/messages?phone_number_id={pn}&to=5511988880101",
            app.sandbox_url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sent["data"].as_array().unwrap().len(), 1, "{sent}");
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_that_need_a_person_pause_the_campaign_and_a_red_number_pauses_its_campaigns() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    // (tag, Meta's code, words of Meta's answer the reason shows)
    let pauses = [
        ("token", 190, "Session has expired"),
        ("locked", 131031, "Business Account locked"),
        ("paused", 132015, "Template is Paused"),
        ("disabled", 132016, "Template is Disabled"),
    ];
    let mut csv = String::from("phone,name,tier,tags\n");
    for (i, (tag, code, _)) in pauses.iter().enumerate() {
        csv.push_str(&format!("+55 11 98888-020{i},Customer {tag},gold,{tag}\n"));
        fault(
            &app,
            &pn,
            Some(&format!("551198888020{i}")),
            json!({ "code": code }),
        )
        .await;
    }
    csv.push_str("+55 11 98888-0299,Capped,gold,capped\n");
    fault(&app, &pn, Some("5511988880299"), json!({ "code": 131049 })).await;
    import(&app, &alice, &org, &csv).await;
    let template = marketing_template(&app, &alice, &org, &number).await;

    let mut launched = Vec::new();
    for (tag, code, words) in pauses {
        let c = campaign(&app, &alice, &org, &number, &template, tag, json!({})).await;
        launched.push((c, code, words));
    }
    for (c, code, words) in &launched {
        let paused = eventually(&app, &alice, CAMPAIGN, json!({ "o": org, "c": c }), |d| {
            d["organization"]["campaign"]["status"] == "PAUSED"
        })
        .await;
        let reason = paused["organization"]["campaign"]["statusReason"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            reason.contains(&code.to_string()) && reason.contains(words),
            "the user sees Meta's answer: {reason}"
        );
        // The recipient is not lost: it waits in the queue for the campaign's resumption.
        let people = recipients(&app, &alice, &org, c).await;
        let r = people.values().next().unwrap();
        assert_eq!(r["status"], "QUEUED", "{r}");
        assert_eq!(r["errorCode"], *code, "{r}");
    }

    // With the per-user-limit retry on, Meta's 131049 sends that recipient again a day
    // later, not sooner; the campaign runs until then.
    let before = Utc::now();
    let capped = campaign(
        &app,
        &alice,
        &org,
        &number,
        &template,
        "capped",
        json!({ "retryPerUserLimit": true }),
    )
    .await;
    let back = eventually(
        &app,
        &alice,
        RECIPIENTS,
        json!({ "o": org, "c": capped }),
        |d| {
            let r = &d["organization"]["campaign"]["recipients"]["nodes"][0];
            r["status"] == "QUEUED" && r["errorCode"] == 131049
        },
    )
    .await;
    let r = &back["organization"]["campaign"]["recipients"]["nodes"][0];
    assert!(
        time(&r["notBefore"]) >= before + chrono::Duration::hours(24),
        "no sooner than 24 h later: {r}"
    );
    assert!(
        time(&r["notBefore"]) < Utc::now() + chrono::Duration::hours(25),
        "{r}"
    );
    let running = app
        .ok(&alice, CAMPAIGN, json!({ "o": org, "c": capped }))
        .await;
    assert_eq!(running["organization"]["campaign"]["status"], "RUNNING");

    // Meta rates the number RED: its running campaign pauses, with the reason.
    let r = app
        .http
        .post(format!(
            "{}/sandbox/phone-numbers/{pn}/quality",
            app.sandbox_url
        ))
        .json(&json!({ "quality_rating": "RED" }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let paused = eventually(
        &app,
        &alice,
        CAMPAIGN,
        json!({ "o": org, "c": capped }),
        |d| d["organization"]["campaign"]["status"] == "PAUSED",
    )
    .await;
    assert!(
        paused["organization"]["campaign"]["statusReason"]
            .as_str()
            .unwrap()
            .contains("RED"),
        "{paused}"
    );

    // Each pause told the campaign's creator in the app, and nobody else.
    let bell = "query($o: ID!) { organization(id: $o) { unreadNotifications notifications(first: 20) { id kind title body campaignId readAt } } }";
    let mine = app.ok(&alice, bell, json!({ "o": org })).await;
    assert_eq!(mine["organization"]["unreadNotifications"], 5, "{mine}");
    let list = mine["organization"]["notifications"].as_array().unwrap();
    assert_eq!(
        list[0]["campaignId"],
        capped.as_str(),
        "newest first: {mine}"
    );
    assert!(list[0]["body"].as_str().unwrap().contains("RED"));
    for (c, code, words) in &launched {
        let n = list
            .iter()
            .find(|n| n["campaignId"] == c.as_str())
            .unwrap_or_else(|| panic!("no notification for {c}: {mine}"));
        assert_eq!(n["kind"], "CAMPAIGN_PAUSED");
        assert!(n["title"].as_str().unwrap().contains("paused"), "{n}");
        let body = n["body"].as_str().unwrap();
        assert!(
            body.contains(&code.to_string()) && body.contains(words),
            "{n}"
        );
        assert_eq!(n["readAt"], Value::Null);
    }
    // Bob, an Admin of the organization who created none of them, and Carol, the owner of
    // another organization, hear nothing.
    app.add_member(&org, "alice", "bob", "ADMIN").await;
    let bob = app.sign_in("bob").await;
    let his = app.ok(&bob, bell, json!({ "o": org })).await;
    assert_eq!(his["organization"]["unreadNotifications"], 0, "{his}");
    assert_eq!(his["organization"]["notifications"], json!([]));
    let other = app.create_org("carol", "Elsewhere").await;
    let carol = app.sign_in("carol").await;
    let hers = app.ok(&carol, bell, json!({ "o": other })).await;
    assert_eq!(hers["organization"]["notifications"], json!([]), "{hers}");
    let (_, refused) = app.gql(Some(&carol), bell, json!({ "o": org })).await;
    assert_eq!(crate::helpers::code(&refused), "NOT_FOUND");
    // Bob cannot mark Alice's read; Alice marks one, then all.
    let mark = "mutation($o: ID!, $i: [ID!]) { markNotificationsRead(input: {organizationId: $o, ids: $i}) }";
    let first = list[0]["id"].clone();
    let after = app.ok(&bob, mark, json!({ "o": org, "i": [first] })).await;
    assert_eq!(after["markNotificationsRead"], 0);
    let after = app
        .ok(&alice, mark, json!({ "o": org, "i": [first] }))
        .await;
    assert_eq!(after["markNotificationsRead"], 4);
    let after = app.ok(&alice, mark, json!({ "o": org, "i": null })).await;
    assert_eq!(after["markNotificationsRead"], 0);
    let unread = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { notifications(unreadOnly: true) { id } } }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(unread["organization"]["notifications"], json!([]));
}
