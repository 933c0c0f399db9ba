//! The server's `/sandbox/organizations/{org}/*` proxy to the sandbox's own API: members of
//! an organization reach their own numbers' simulated customers, nobody else's.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{SANDBOX_SECRET, TestApp, sandbox_account};

/// Connects the sandbox number `pn` of WABA `waba` to a new org owned by `owner`.
async fn org_with_number(app: &TestApp, owner: &str, waba: &str, pn: &str) -> String {
    sandbox_account(app, waba, pn).await;
    let org = app.create_org(owner, &format!("{owner}'s shop")).await;
    let token = app.sign_in(owner).await;
    app.ok(
        &token,
        "mutation($o: ID!, $w: String!, $p: String!, $t: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: $w, phoneNumberId: $p, accessToken: $t}) { id } }",
        json!({ "o": org, "w": waba, "p": pn, "t": format!("token-of-{owner}") }),
    )
    .await;
    org
}

async fn proxy(
    app: &TestApp,
    token: Option<&str>,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn write_in(pn: &str, from: &str, text: &str) -> Value {
    json!({ "phone_number_id": pn, "from": from, "type": "text", "text": { "body": text } })
}

#[tokio::test(flavor = "multi_thread")]
async fn members_reach_their_own_numbers_only_and_the_sandbox_api_needs_its_secret() {
    let app = TestApp::spawn().await;
    let org_a = org_with_number(&app, "alice", "810000001", "820000001").await;
    let org_b = org_with_number(&app, "bob", "810000002", "820000002").await;
    let alice = app.sign_in("alice").await;
    let bob = app.sign_in("bob").await;
    let carol = app.sign_in("carol").await;
    // From here on the sandbox's own API wants the secret the server was given.
    app.sandbox
        .handle()
        .configure(|c| c.api_secret = Some(SANDBOX_SECRET.to_owned()));
    let direct = reqwest::Client::new()
        .get(format!("{}/sandbox/state", app.sandbox_url))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), StatusCode::UNAUTHORIZED);

    use reqwest::Method;
    let a = format!("/sandbox/organizations/{org_a}");
    let b = format!("/sandbox/organizations/{org_b}");

    // Each owner's customer writes in through the proxy (which sends the secret along).
    let (status, body) = proxy(
        &app,
        Some(&alice),
        Method::POST,
        &format!("{a}/customers/messages"),
        Some(write_in("820000001", "15550002001", "hello A")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = proxy(
        &app,
        Some(&bob),
        Method::POST,
        &format!("{b}/customers/messages"),
        Some(write_in("820000002", "15550002002", "secret of B")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Alice sees her number's customer only.
    let (status, body) = proxy(
        &app,
        Some(&alice),
        Method::GET,
        &format!("{a}/customers/messages?phone_number_id=820000001"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{body}");
    assert_eq!(data[0]["phone_number_id"], "820000001");
    assert!(!body.to_string().contains("secret of B"), "{body}");

    // Org B's number through org A's path: not found, to read or to write.
    for (method, path, payload) in [
        (
            Method::GET,
            format!("{a}/customers/messages?phone_number_id=820000002"),
            None,
        ),
        (
            Method::GET,
            format!("{a}/messages?phone_number_id=820000002"),
            None,
        ),
        (
            Method::POST,
            format!("{a}/customers/messages"),
            Some(write_in("820000002", "15550002003", "spoofed")),
        ),
    ] {
        let (status, body) = proxy(&app, Some(&alice), method, &path, payload).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    // Org B's path for a non-member of B, and any org's path for a member of none.
    for (token, path) in [
        (
            &alice,
            format!("{b}/customers/messages?phone_number_id=820000002"),
        ),
        (
            &carol,
            format!("{a}/customers/messages?phone_number_id=820000001"),
        ),
        (&carol, format!("{a}/messages?phone_number_id=820000001")),
    ] {
        let (status, body) = proxy(&app, Some(token), Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    let (status, _) = proxy(
        &app,
        Some(&carol),
        Method::POST,
        &format!("{a}/embedded-signup"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Every number at once, and the sandbox's other calls, are not forwarded at all.
    let (status, _) = proxy(
        &app,
        Some(&alice),
        Method::GET,
        &format!("{a}/customers/messages"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for path in ["state", "webhooks", "config", "accounts"] {
        let (status, _) = proxy(
            &app,
            Some(&alice),
            Method::GET,
            &format!("{a}/{path}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        let (status, _) = proxy(
            &app,
            Some(&alice),
            Method::POST,
            &format!("{a}/{path}"),
            Some(json!({})),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // The old unscoped path is gone, and nobody signed in gets nothing.
    let (_, body) = proxy(&app, Some(&alice), Method::GET, "/sandbox/state", None).await;
    assert!(body["wabas"].is_null(), "{body}");
    let (status, _) = proxy(
        &app,
        None,
        Method::GET,
        &format!("{a}/customers/messages?phone_number_id=820000001"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A Member of A uses the customer phone, but only an Admin signs a business up.
    // (Carol, a member of nothing until now.)
    app.add_member(&org_a, "alice", "carol", "MEMBER").await;
    let (status, body) = proxy(
        &app,
        Some(&carol),
        Method::GET,
        &format!("{a}/messages?phone_number_id=820000001"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = proxy(
        &app,
        Some(&carol),
        Method::GET,
        &format!("{a}/messages?phone_number_id=820000002"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = proxy(
        &app,
        Some(&carol),
        Method::POST,
        &format!("{a}/embedded-signup"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An owner's simulated Embedded Signup still goes through.
    let (status, body) = proxy(
        &app,
        Some(&alice),
        Method::POST,
        &format!("{a}/embedded-signup"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{body}"
    );
}
