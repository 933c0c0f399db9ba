//! Connecting numbers and managing them: Embedded Signup, templates, business profile,
//! quality webhooks, disconnecting, the CLI and key rotation.

use std::process::Command;

use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, code},
    whatsapp::eventually,
};

async fn sandbox_post(app: &TestApp, path: &str, body: Value) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", app.sandbox_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

const NUMBERS: &str = "query($o: ID!) { organization(id: $o) { phoneNumbers { id phoneNumberId displayPhoneNumber qualityRating messagingLimit status disconnectedAt } } }";

#[tokio::test(flavor = "multi_thread")]
async fn embedded_signup_connects_a_number_and_templates_go_through_review() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    // What Meta's popup hands the SPA.
    let signup = sandbox_post(
        &app,
        "/sandbox/embedded-signup",
        json!({ "business_name": "Acme Store" }),
    )
    .await;
    let number = app
        .ok(
            &alice,
            "mutation($o: ID!, $c: String!, $w: String!, $p: String!) { completeEmbeddedSignup(input: {organizationId: $o, code: $c, wabaId: $w, phoneNumberId: $p}) { id phoneNumberId verifiedName status } }",
            json!({ "o": org, "c": signup["code"], "w": signup["waba_id"], "p": signup["phone_number_id"] }),
        )
        .await;
    let number = &number["completeEmbeddedSignup"];
    assert_eq!(number["phoneNumberId"], signup["phone_number_id"]);
    let number_id = number["id"].as_str().unwrap().to_owned();

    // The code is single-use.
    let (_, body) = app
        .gql(
            Some(&alice),
            "mutation($o: ID!, $c: String!, $w: String!, $p: String!) { completeEmbeddedSignup(input: {organizationId: $o, code: $c, wabaId: $w, phoneNumberId: $p}) { id } }",
            json!({ "o": org, "c": signup["code"], "w": signup["waba_id"], "p": signup["phone_number_id"] }),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION");

    let synced = app
        .ok(&alice, "mutation($o: ID!, $n: ID!) { syncTemplates(input: {organizationId: $o, phoneNumberId: $n}) { name status parameterCount } }", json!({ "o": org, "n": number_id }))
        .await;
    let names: Vec<&str> = synced["syncTemplates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"order_update") && names.contains(&"hello_world"),
        "{names:?}"
    );
    let order = synced["syncTemplates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "order_update")
        .unwrap();
    assert_eq!(order["parameterCount"], 2);

    // A template without an example per parameter never reaches Meta.
    let (_, body) = app
        .gql(
            Some(&alice),
            "mutation($o: ID!, $n: ID!) { createTemplate(input: {organizationId: $o, phoneNumberId: $n, name: \"welcome_back\", language: \"en_US\", category: MARKETING, bodyText: \"Hi {{1}}, we miss you\"}) { status } }",
            json!({ "o": org, "n": number_id }),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION");
    let created = app
        .ok(
            &alice,
            "mutation($o: ID!, $n: ID!) { createTemplate(input: {organizationId: $o, phoneNumberId: $n, name: \"welcome_back\", language: \"en_US\", category: MARKETING, bodyText: \"Hi {{1}}, we miss you\", bodyExamples: [\"Ana\"]}) { id status } }",
            json!({ "o": org, "n": number_id }),
        )
        .await;
    assert_eq!(created["createTemplate"]["status"], "PENDING");
    // The review's verdict arrives by webhook.
    eventually(
        &app,
        &alice,
        "query($o: ID!) { organization(id: $o) { templates { name status } } }",
        json!({ "o": org }),
        |d| {
            d["organization"]["templates"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["name"] == "welcome_back" && t["status"] == "APPROVED")
        },
    )
    .await;
    let deleted = app
        .ok(&alice, "mutation($o: ID!, $t: ID!) { deleteTemplate(input: {organizationId: $o, templateId: $t}) }", json!({ "o": org, "t": created["createTemplate"]["id"] }))
        .await;
    assert_eq!(deleted["deleteTemplate"], created["createTemplate"]["id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_business_profile_quality_and_disconnect_follow_meta() {
    let app = TestApp::spawn().await;
    crate::helpers::sandbox_account(&app, "200300400", "700800900").await;
    crate::helpers::sandbox_account(&app, "300400500", "900900900").await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let connected = app
        .ok(&alice, "mutation($o: ID!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"200300400\", phoneNumberId: \"700800900\", accessToken: \"t\"}) { id displayPhoneNumber } }", json!({ "o": org }))
        .await;
    let number_id = connected["connectWhatsApp"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let updated = app
        .ok(
            &alice,
            "mutation($o: ID!, $n: ID!) { updateBusinessProfile(input: {organizationId: $o, phoneNumberId: $n, about: \"Fresh bread daily\", websites: [\"https://acme.example\"]}) { about websites } }",
            json!({ "o": org, "n": number_id }),
        )
        .await;
    assert_eq!(
        updated["updateBusinessProfile"],
        json!({ "about": "Fresh bread daily", "websites": ["https://acme.example"] })
    );
    let (_, body) = app
        .gql(Some(&alice), "mutation($o: ID!, $n: ID!) { updateBusinessProfile(input: {organizationId: $o, phoneNumberId: $n, about: \"\"}) { about } }", json!({ "o": org, "n": number_id }))
        .await;
    assert_eq!(code(&body), "VALIDATION", "about needs 1 to 139 characters");
    let profile = app.ok(&alice, "query($o: ID!, $n: ID!) { businessProfile(organizationId: $o, phoneNumberId: $n) { about } }", json!({ "o": org, "n": number_id })).await;
    assert_eq!(profile["businessProfile"]["about"], "Fresh bread daily");

    sandbox_post(
        &app,
        "/sandbox/phone-numbers/700800900/quality",
        json!({ "event": "DOWNGRADE", "quality_rating": "RED", "current_limit": "TIER_250" }),
    )
    .await;
    eventually(&app, &alice, NUMBERS, json!({ "o": org }), |d| {
        d["organization"]["phoneNumbers"][0]["qualityRating"] == "RED"
    })
    .await;
    let refreshed = app.ok(&alice, "mutation($o: ID!, $n: ID!) { refreshPhoneNumber(input: {organizationId: $o, phoneNumberId: $n}) { qualityRating status } }", json!({ "o": org, "n": number_id })).await;
    assert_eq!(refreshed["refreshPhoneNumber"]["status"], "CONNECTED");

    // A Member may look but not disconnect.
    app.add_member(&org, "alice", "bob", "MEMBER").await;
    let bob = app.sign_in("bob").await;
    let (_, body) = app.gql(Some(&bob), "mutation($o: ID!, $n: ID!) { disconnectPhoneNumber(input: {organizationId: $o, phoneNumberId: $n}) { id } }", json!({ "o": org, "n": number_id })).await;
    assert_eq!(code(&body), "FORBIDDEN");
    let (_, body) = app.gql(Some(&bob), "mutation($o: ID!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"1\", phoneNumberId: \"2\", accessToken: \"t\"}) { id } }", json!({ "o": org })).await;
    assert_eq!(code(&body), "FORBIDDEN");
    let gone = app.ok(&alice, "mutation($o: ID!, $n: ID!) { disconnectPhoneNumber(input: {organizationId: $o, phoneNumberId: $n}) { disconnectedAt } }", json!({ "o": org, "n": number_id })).await;
    assert!(gone["disconnectPhoneNumber"]["disconnectedAt"].is_string());

    // Another organization cannot take a number that is connected elsewhere.
    let other = app.create_org("alice", "Globex").await;
    app.ok(&alice, "mutation($o: ID!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"300400500\", phoneNumberId: \"900900900\", accessToken: \"t\"}) { id } }", json!({ "o": org })).await;
    let (_, body) = app
        .gql(Some(&alice), "mutation($o: ID!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"300400500\", phoneNumberId: \"900900900\", accessToken: \"t\"}) { id } }", json!({ "o": other }))
        .await;
    assert_eq!(code(&body), "CONFLICT");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_token_or_id_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let (_, body) = app.gql(Some(&alice), "mutation($o: ID!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"12ab\", phoneNumberId: \"1\", accessToken: \"t\"}) { id } }", json!({ "o": org })).await;
    assert_eq!(code(&body), "VALIDATION");
    let (_, body) = app.gql(Some(&alice), "mutation($o: ID!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"1\", phoneNumberId: \"1\", accessToken: \"\"}) { id } }", json!({ "o": org })).await;
    assert_eq!(code(&body), "VALIDATION");
    // A number that exists, but under another business account.
    crate::helpers::sandbox_account(&app, "500500500", "600600600").await;
    let (_, body) = app.gql(Some(&alice), "mutation($o: ID!) { connectWhatsApp(input: {organizationId: $o, wabaId: \"500500501\", phoneNumberId: \"600600600\", accessToken: \"t\"}) { id } }", json!({ "o": org })).await;
    assert_eq!(code(&body), "VALIDATION");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not in WhatsApp Business Account"),
        "{body}"
    );
    let numbers = app.ok(&alice, NUMBERS, json!({ "o": org })).await;
    assert_eq!(numbers["organization"]["phoneNumbers"], json!([]));
}

fn wagent(app: &TestApp, env: &[(&str, &str)], args: &[&str]) -> Result<Value, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wagent"));
    cmd.args(args)
        .env("DATABASE_URL", app.db.server.to_url())
        .env("WAGENT_TOKEN_KEY", &app.token_key)
        .env("WAGENT_ENCRYPTION_KEYS", &app.encryption_keys)
        .env("META_GRAPH_URL", &app.sandbox_url)
        .env("WAGENT_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&out.stdout).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_connects_a_number_and_rotating_keys_keeps_it_working() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    // No account made beforehand: the sandbox knows any ids it is asked about.
    let token_file = std::env::temp_dir().join(format!("wagent-token-{}", app.db.name));
    std::fs::write(&token_file, "EAAG-cli-token\n").unwrap();
    let number = wagent(
        &app,
        &[],
        &[
            "whatsapp",
            "connect",
            "--org",
            &org,
            "--waba",
            "111222333",
            "--phone-number-id",
            "444555666",
            "--token-file",
            token_file.to_str().unwrap(),
        ],
    )
    .unwrap();
    assert_eq!(number["phoneNumberId"], "444555666");
    assert_eq!(number["status"], "CONNECTED");
    let _ = std::fs::remove_file(&token_file);

    // A delivery that cannot be read is kept (sealed) for a day: rotation reseals it too.
    let garbled = "{ not json";
    let delivered = reqwest::Client::new()
        .post(format!("{}/webhooks/whatsapp", app.base))
        .header(
            "x-hub-signature-256",
            wagent_meta::webhook::signature_header(
                crate::helpers::APP_SECRET.as_bytes(),
                garbled.as_bytes(),
            ),
        )
        .body(garbled)
        .send()
        .await
        .unwrap();
    assert_eq!(delivered.status(), 200);
    app.jobs_drained().await;

    // A new key goes first; the old one stays to open what it sealed.
    let (_, new_key) = wagent_app::keys::generate();
    let new_id = new_key.split(':').next().unwrap().to_owned() + "n";
    let new_key = format!("{new_id}:{}", new_key.split(':').nth(1).unwrap());
    let both = format!("{new_key},{}", app.encryption_keys);
    let rotated = wagent(
        &app,
        &[("WAGENT_ENCRYPTION_KEYS", &both)],
        &["keys", "rotate"],
    )
    .unwrap();
    assert_eq!(rotated["resealed"], 2, "the token and the kept delivery");
    assert_eq!(
        wagent_testkit::count(
            &app.db.admin,
            &format!(
                "SELECT count(*) AS n FROM webhook_events WHERE body_sealed LIKE 'v1.{new_id}.%'"
            )
        )
        .await,
        1
    );
    let again = wagent(
        &app,
        &[("WAGENT_ENCRYPTION_KEYS", &both)],
        &["keys", "rotate"],
    )
    .unwrap();
    assert_eq!(again["resealed"], 0, "nothing left to reseal");

    // A server with only the new key still opens the token to call Meta.
    let server = TestApp::spawn_with(app.db.clone(), app.token_key.clone(), new_key, None).await;
    let alice = server.sign_in("alice").await;
    let numbers = server.ok(&alice, NUMBERS, json!({ "o": org })).await;
    let id = numbers["organization"]["phoneNumbers"][0]["id"].clone();
    let refreshed = server.ok(&alice, "mutation($o: ID!, $n: ID!) { refreshPhoneNumber(input: {organizationId: $o, phoneNumberId: $n}) { status } }", json!({ "o": org, "n": id })).await;
    assert_eq!(refreshed["refreshPhoneNumber"]["status"], "CONNECTED");
}
