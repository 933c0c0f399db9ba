//! Sign-in with OIDC access tokens and integrators' API tokens, over HTTP.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, code};

const VIEWER: &str = "{ viewer { kind user { name email } apiToken { role readOnly } memberships { role organization { id } } } }";

#[tokio::test(flavor = "multi_thread")]
async fn an_oidc_access_token_signs_the_user_in_with_its_claims() {
    let app = TestApp::spawn().await;
    let token = app.sign_in("alice").await;
    let data = app.ok(&token, VIEWER, json!({})).await;
    assert_eq!(data["viewer"]["kind"], "USER");
    assert_eq!(data["viewer"]["user"]["name"], "Alice Owner");
    assert_eq!(data["viewer"]["user"]["email"], "alice@example.com");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_credentials_the_viewer_is_unauthenticated() {
    let app = TestApp::spawn().await;
    let (status, body) = app.gql(None, VIEWER, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&body), "UNAUTHENTICATED");
}

fn forge(
    token: &str,
    header: serde_json::Value,
    claims_patch: Option<serde_json::Value>,
    signature: &str,
) -> String {
    let mut parts = token.split('.');
    let _ = parts.next();
    let claims = parts.next().unwrap();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    if let Some(patch) = claims_patch {
        for (k, v) in patch.as_object().unwrap() {
            claims[k] = v.clone();
        }
    }
    format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_and_tampered_jwts_are_refused() {
    let app = TestApp::spawn().await;
    let real = app.sign_in("carol").await;
    let header: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(real.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    let kid = header["kid"].clone();
    let real_sig = real.split('.').nth(2).unwrap();
    let cases = [
        (
            "alg none",
            forge(
                &real,
                json!({ "alg": "none", "typ": "JWT", "kid": kid }),
                None,
                "",
            ),
        ),
        (
            "HMAC with the public key",
            forge(
                &real,
                json!({ "alg": "HS256", "typ": "JWT", "kid": kid }),
                None,
                "c2lnbmF0dXJl",
            ),
        ),
        (
            "claims changed under a real signature",
            forge(
                &real,
                header.clone(),
                Some(json!({ "sub": "alice", "email": "alice@example.com" })),
                real_sig,
            ),
        ),
        (
            "wrong audience",
            forge(
                &real,
                header.clone(),
                Some(json!({ "aud": "someone-else" })),
                real_sig,
            ),
        ),
        (
            "unknown key id",
            forge(
                &real,
                json!({ "alg": "RS256", "typ": "JWT", "kid": "nope" }),
                None,
                real_sig,
            ),
        ),
        ("not a token at all", "a.b.c".to_string()),
    ];
    for (what, token) in cases {
        let (status, body) = app.gql(Some(&token), VIEWER, json!({})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
        assert_eq!(code(&body), "UNAUTHENTICATED", "{what}");
    }
    let (status, _) = app.gql(Some(&real), VIEWER, json!({})).await;
    assert_eq!(status, StatusCode::OK, "the untouched token still works");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_token_acts_for_its_org_until_revoked_in_every_process() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let (id, token) = app.api_token(&org, "alice", "ADMIN").await;
    let data = app.ok(&token, VIEWER, json!({})).await;
    assert_eq!(data["viewer"]["kind"], "API_TOKEN");
    assert_eq!(data["viewer"]["apiToken"]["role"], "ADMIN");
    assert_eq!(
        data["viewer"]["memberships"][0]["organization"]["id"],
        org.as_str()
    );
    let renamed = app
        .ok(&token, "mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"Acme 2\"}) { name } }", json!({ "o": org }))
        .await;
    assert_eq!(renamed["renameOrganization"]["name"], "Acme 2");

    let other = app.another_process().await;
    let alice = app.sign_in("alice").await;
    app.ok(&alice, "mutation($o: ID!, $t: ID!) { revokeApiToken(input: {organizationId: $o, apiTokenId: $t}) { revokedAt } }", json!({ "o": org, "t": id }))
        .await;
    for server in [&app, &other] {
        let (status, body) = server.gql(Some(&token), VIEWER, json!({})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("revoked"),
            "{body}"
        );
    }
    // The audit log names the token as the actor of the rename, and Alice as the revoker.
    let log = app.ok(&alice, "query($o: ID!) { organization(id: $o) { auditLog { nodes { action actor { email } actorApiTokenId } } } }", json!({ "o": org })).await;
    let nodes = log["organization"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let rename = nodes
        .iter()
        .find(|n| n["action"] == "organization.renamed")
        .unwrap();
    assert_eq!(rename["actorApiTokenId"], id.as_str());
    let revoke = nodes
        .iter()
        .find(|n| n["action"] == "api_token.revoked")
        .unwrap();
    assert_eq!(revoke["actor"]["email"], "alice@example.com");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_token_cannot_reach_another_organization() {
    let app = TestApp::spawn().await;
    let acme = app.create_org("alice", "Acme").await;
    let globex = app.create_org("alice", "Globex").await;
    let (_, token) = app.api_token(&acme, "alice", "OWNER").await;
    let (_, body) = app
        .gql(
            Some(&token),
            "query($o: ID!) { organization(id: $o) { name } }",
            json!({ "o": globex }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND");
    let (_, body) = app
        .gql(
            Some(&token),
            "mutation { createOrganization(input: {name: \"Mine\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(
        code(&body),
        "FORBIDDEN",
        "tokens cannot create organizations"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn attenuated_tokens_are_honoured() {
    use wagent_auth::api_token::{Attenuation, attenuate};
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let (_, token) = app.api_token(&org, "alice", "ADMIN").await;

    let read_only = attenuate(
        &token,
        &Attenuation {
            read_only: true,
            expires_at: None,
        },
    )
    .unwrap();
    let data = app.ok(&read_only, VIEWER, json!({})).await;
    assert_eq!(data["viewer"]["apiToken"]["readOnly"], true);
    app.ok(
        &read_only,
        "query($o: ID!) { organization(id: $o) { apiTokens { nodes { name } } } }",
        json!({ "o": org }),
    )
    .await;
    let (_, body) = app
        .gql(Some(&read_only), "mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"X\"}) { name } }", json!({ "o": org }))
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("read-only")
    );

    let expired = attenuate(
        &token,
        &Attenuation {
            read_only: false,
            expires_at: Some(chrono::Utc::now() - chrono::Duration::seconds(5)),
        },
    )
    .unwrap();
    let (status, body) = app.gql(Some(&expired), VIEWER, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "UNAUTHENTICATED");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_authorization_header_is_explained() {
    let app = TestApp::spawn().await;
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .header("authorization", "Basic YWxpY2U6cHc=")
        .json(&json!({ "query": VIEWER }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Bearer")
    );
}
