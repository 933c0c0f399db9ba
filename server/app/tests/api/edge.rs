//! The HTTP edge: what uploads may carry and when their bytes are read, how stored files are
//! served, the headers on every response, body limits, proxies and `/metrics`.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wagent_db::{
    diesel,
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl},
};
use wagent_testkit::wait_until;

use crate::{
    helpers::{METRICS_TOKEN, TestApp, code},
    whatsapp::{INBOX, connected, customer_writes, eventually},
};

const PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

fn png() -> Vec<u8> {
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, PNG).unwrap()
}

/// Alice's org with one conversation whose customer just wrote: (org, conversation, pn).
async fn open_conversation(app: &TestApp) -> (String, String, String) {
    let (org, _, pn) = connected(app).await;
    let alice = app.sign_in("alice").await;
    customer_writes(
        app,
        &pn,
        json!({ "type": "text", "text": { "body": "hello" } }),
    )
    .await;
    let inbox = eventually(app, &alice, INBOX, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["id"].is_string()
    })
    .await;
    let conversation = inbox["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (org, conversation, pn)
}

fn upload_url(app: &TestApp, org: &str, conversation: &str) -> String {
    format!(
        "{}/api/organizations/{org}/conversations/{conversation}/media",
        app.base
    )
}

async fn upload(
    token: &str,
    url: &str,
    mime: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .header("content-type", mime)
        .header("x-file-name", name)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn admin(app: &TestApp) -> AsyncPgConnection {
    AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap()
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(&mut admin(app).await)
        .await
        .unwrap()
        .n
}

/// A request written by hand on a raw connection: `head` (request line and headers), then
/// `chunks` in chunked encoding, written while the response is awaited. Returns the status
/// and how many chunks had been written when the response arrived.
async fn raw_request(
    base: &str,
    head: &str,
    chunks: Vec<Vec<u8>>,
    hold_open: bool,
) -> (u16, usize) {
    let addr = base.trim_start_matches("http://");
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(head.as_bytes()).await.unwrap();
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = written.clone();
    let sender = tokio::spawn(async move {
        for chunk in chunks {
            let framed = [
                format!("{:x}\r\n", chunk.len()).into_bytes(),
                chunk,
                b"\r\n".to_vec(),
            ]
            .concat();
            if writer.write_all(&framed).await.is_err() {
                return;
            }
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        if hold_open {
            // Never finishes the body: the answer must not wait for it.
            std::future::pending::<()>().await;
        }
        let _ = writer.write_all(b"0\r\n\r\n").await;
    });
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !response.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout_at(deadline, reader.read(&mut buf))
            .await
            .expect("no answer before the deadline")
            .unwrap();
        assert!(n > 0, "the connection closed without an answer");
        response.extend_from_slice(&buf[..n]);
    }
    let sent = std::sync::atomic::AtomicUsize::load(&written, std::sync::atomic::Ordering::SeqCst);
    sender.abort();
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, sent)
}

fn chunked_head(path: &str, token: Option<&str>, mime: &str) -> String {
    let auth = token
        .map(|t| format!("authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    format!(
        "POST {path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: {mime}\r\n{auth}transfer-encoding: chunked\r\n\r\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn only_files_of_types_meta_takes_whose_bytes_match_are_sent() {
    let app = TestApp::spawn().await;
    let (org, conversation, _) = open_conversation(&app).await;
    let alice = app.sign_in("alice").await;
    let url = upload_url(&app, &org, &conversation);
    let svg =
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>";
    let html = b"<!doctype html><html><script>alert(1)</script></html>";
    for (mime, bytes) in [
        ("image/svg+xml", svg.to_vec()),
        ("text/html", html.to_vec()),
        ("image/png", html.to_vec()),
        ("application/pdf", png()),
        ("text/plain", html.to_vec()),
        ("image/png", Vec::new()),
    ] {
        let (status, body) = upload(&alice, &url, mime, "x", bytes).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{mime}: {body}");
        assert_eq!(code(&body), "VALIDATION", "{mime}: {body}");
    }
    assert!(
        app.media_files(&org).is_empty(),
        "a refused file was stored"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM messages WHERE direction = 'outbound'"
        )
        .await,
        0
    );
    // What Meta takes, and is what it says, goes out.
    let (status, body) = upload(&alice, &url, "image/png", "a.png", png()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = upload(
        &alice,
        &url,
        "text/plain; charset=utf-8",
        "notes.txt",
        "Preço: 10 €\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.media_files(&org).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn stored_files_are_served_sandboxed_and_only_pictures_inline() {
    let app = TestApp::spawn().await;
    let (org, conversation, _) = open_conversation(&app).await;
    let alice = app.sign_in("alice").await;
    let url = upload_url(&app, &org, &conversation);
    let pdf = b"%PDF-1.4\n<script>alert(1)</script>".to_vec();
    assert_eq!(
        upload(&alice, &url, "image/png", "a.png", png()).await.0,
        StatusCode::OK
    );
    assert_eq!(
        upload(&alice, &url, "application/pdf", "a \"b\".pdf", pdf.clone())
            .await
            .0,
        StatusCode::OK
    );
    let q = "query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { messages(first: 30) { nodes { kind media { url } } } } } } }";
    let data = app.ok(&alice, q, json!({ "o": org })).await;
    let messages = data["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let link = |kind: &str| {
        messages.iter().find(|m| m["kind"] == kind).unwrap()["media"]["url"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let image = app.get(&link("IMAGE")).await;
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.headers()["content-disposition"], "inline");
    assert_eq!(
        image.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert_eq!(image.headers()["x-content-type-options"], "nosniff");
    assert_eq!(image.bytes().await.unwrap().to_vec(), png());
    let document = app.get(&link("DOCUMENT")).await;
    assert_eq!(
        document.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(
        document.headers()["content-disposition"],
        "attachment; filename=\"a _b_.pdf\""
    );
    assert_eq!(
        document.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert_eq!(document.bytes().await.unwrap().to_vec(), pdf);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let alice = app.sign_in("alice").await;
    let client = reqwest::Client::new();
    let responses = [
        app.get("/healthz").await,
        app.get("/config.json").await,
        app.get("/assets/missing.js").await,
        app.get("/media/not-a-uuid/x").await,
        client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&alice)
            .json(&json!({ "query": "{ viewer { kind } }" }))
            .send()
            .await
            .unwrap(),
        client
            .post(format!("{}/graphql", app.base))
            .bearer_auth("garbage")
            .json(&json!({ "query": "{ viewer { kind } }" }))
            .send()
            .await
            .unwrap(),
    ];
    for r in responses {
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{}: {csp}",
            r.url()
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{}", r.url());
        assert_eq!(h["referrer-policy"], "no-referrer", "{}", r.url());
    }
    // The app shell keeps its own policy, which lets it run its scripts.
    let shell = app.get("/orgs/1").await;
    if shell.status() == StatusCode::OK {
        let csp = shell.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(
            shell
                .headers()
                .get_all("content-security-policy")
                .iter()
                .count(),
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    let (org, conversation, _) = open_conversation(&app).await;
    app.add_member(&org, "alice", "bob", "MEMBER").await;
    let alice = app.sign_in("alice").await;
    let carol = app.sign_in("carol").await;
    let path = format!("/api/organizations/{org}/conversations/{conversation}/media");
    let first = {
        let mut b = png();
        b.resize(64 * 1024, 0);
        b
    };
    // The body never ends: each answer must come from the headers alone. Someone outside
    // the organization does not learn it exists.
    for (token, expected) in [(None, 401), (Some(carol.as_str()), 404)] {
        let (status, _) = raw_request(
            &app.base,
            &chunked_head(&path, token, "image/png"),
            vec![first.clone()],
            true,
        )
        .await;
        assert_eq!(status, expected, "signed in: {}", token.is_some());
    }
    let elsewhere = format!(
        "/api/organizations/{org}/conversations/{}/media",
        uuid::Uuid::now_v7()
    );
    let (status, _) = raw_request(
        &app.base,
        &chunked_head(&elsewhere, Some(&alice), "image/png"),
        vec![first.clone()],
        true,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = raw_request(
        &app.base,
        &chunked_head(&path, Some(&alice), "image/svg+xml"),
        vec![first.clone()],
        true,
    )
    .await;
    assert_eq!(status, 400);
    // A size announced over the limit is refused without waiting for the bytes.
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: image/png\r\nauthorization: Bearer {alice}\r\ncontent-length: 6000000\r\n\r\n"
    );
    let (status, _) = raw_request(&app.base, &head, Vec::new(), true).await;
    assert_eq!(status, 400);
    assert!(app.media_files(&org).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn every_endpoint_that_takes_a_body_answers_a_stranger_before_reading_it() {
    let app = TestApp::spawn().await;
    let (org, _, _) = open_conversation(&app).await;
    let carol = app.sign_in("carol").await;
    let chunk = vec![b' '; 64 * 1024];
    // Each body never ends: only an answer from the headers alone comes back.
    let cases = [
        (
            "/graphql".to_owned(),
            Some("not-a-token"),
            "application/json",
            401,
        ),
        (
            format!("/sandbox/organizations/{org}/customers/messages"),
            None,
            "application/json",
            401,
        ),
        (
            format!("/sandbox/organizations/{org}/customers/messages"),
            Some(carol.as_str()),
            "application/json",
            404,
        ),
        (
            format!("/api/organizations/{org}/knowledge"),
            Some(carol.as_str()),
            "text/plain",
            404,
        ),
        (
            format!("/api/organizations/{org}/contact-imports"),
            None,
            "text/csv",
            401,
        ),
    ];
    for (path, token, mime, expected) in cases {
        let (status, _) = raw_request(
            &app.base,
            &chunked_head(&path, token, mime),
            vec![chunk.clone()],
            true,
        )
        .await;
        assert_eq!(status, expected, "{path} with token {token:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_without_a_length_are_cut_off_at_the_limit() {
    let app = TestApp::spawn().await;
    let (org, conversation, _) = open_conversation(&app).await;
    let alice = app.sign_in("alice").await;
    let path = format!("/api/organizations/{org}/conversations/{conversation}/media");
    // A picture may be 5 MB: 8 MB in chunks, with no Content-Length, is refused part way.
    let mut chunks = vec![{
        let mut b = png();
        b.resize(256 * 1024, 0);
        b
    }];
    chunks.extend(std::iter::repeat_n(vec![0u8; 256 * 1024], 31));
    // The body never ends: a 400 proves the server stopped reading at the limit.
    let (status, _) = raw_request(
        &app.base,
        &chunked_head(&path, Some(&alice), "image/png"),
        chunks,
        true,
    )
    .await;
    assert_eq!(status, 400);
    // The refused file is not left behind (it is removed as soon as the limit is passed).
    wait_until(
        "the partial file to go",
        Duration::from_secs(10),
        || async { app.media_files(&org).is_empty() },
    )
    .await;
    assert_eq!(count(&app, "SELECT count(*) AS n FROM media").await, 0);
    // Webhooks (4 MiB) and GraphQL (1 MiB) alike.
    let (status, _) = raw_request(
        &app.base,
        &chunked_head("/webhooks/whatsapp", None, "application/json"),
        std::iter::repeat_n(vec![b' '; 256 * 1024], 24).collect(),
        true,
    )
    .await;
    assert_eq!(status, 413);
    let (status, _) = raw_request(
        &app.base,
        &chunked_head("/graphql", Some(&alice), "application/json"),
        std::iter::repeat_n(vec![b' '; 256 * 1024], 8).collect(),
        true,
    )
    .await;
    assert_eq!(status, 413);
    // Refused from the announced length alone, before any byte arrives.
    let (status, _) = raw_request(
        &app.base,
        "POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 2000000\r\n\r\n",
        Vec::new(),
        true,
    )
    .await;
    assert_eq!(status, 413);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_refused_by_the_window_stores_no_file_and_the_sweep_removes_orphans() {
    let app = TestApp::spawn().await;
    let (org, conversation, _) = open_conversation(&app).await;
    let alice = app.sign_in("alice").await;
    let url = upload_url(&app, &org, &conversation);
    assert_eq!(
        upload(&alice, &url, "image/png", "kept.png", png()).await.0,
        StatusCode::OK
    );
    let kept = app.media_files(&org);
    assert_eq!(kept.len(), 1);
    diesel::sql_query("UPDATE conversations SET last_inbound_at = now() - interval '2 days'")
        .execute(&mut admin(&app).await)
        .await
        .unwrap();
    let (status, body) = upload(&alice, &url, "image/png", "late.png", png()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("24-hour window")
    );
    assert_eq!(app.media_files(&org), kept, "the refused file was written");

    // Files no message names: an old one goes at the next sweep, a fresh one (an upload
    // still committing) and the real one stay.
    let dir = app.data_dir.join("media").join(&org);
    let old = dir.join(uuid::Uuid::now_v7().to_string());
    let fresh = dir.join(uuid::Uuid::now_v7().to_string());
    std::fs::write(&old, b"left by a crash").unwrap();
    std::fs::write(&fresh, b"being uploaded").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - Duration::from_secs(3 * 24 * 3600))
        .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&kept[0])
        .unwrap()
        .set_modified(std::time::SystemTime::now() - Duration::from_secs(3 * 24 * 3600))
        .unwrap();
    diesel::sql_query("UPDATE jobs SET run_at = now() WHERE kind = 'retention.sweep'")
        .execute(&mut admin(&app).await)
        .await
        .unwrap();
    wait_until(
        "the sweep to remove the orphan",
        Duration::from_secs(20),
        || async { !old.exists() },
    )
    .await;
    assert!(fresh.exists() && kept[0].exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_need_their_token_or_their_own_address() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::UNAUTHORIZED);
    let wrong = reqwest::Client::new()
        .get(format!("{}/metrics", app.base))
        .bearer_auth(format!("{METRICS_TOKEN}x"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        app.metrics()
            .await
            .contains("wagent_graphql_requests_total")
    );

    let unset = TestApp::spawn_configured(&[("WAGENT_METRICS_TOKEN", "")]).await;
    assert_eq!(unset.get("/metrics").await.status(), StatusCode::NOT_FOUND);

    let private = TestApp::spawn_configured(&[
        ("WAGENT_METRICS_TOKEN", ""),
        ("WAGENT_METRICS_LISTEN", "127.0.0.1:0"),
    ])
    .await;
    assert_eq!(
        private.get("/metrics").await.status(),
        StatusCode::NOT_FOUND
    );
    let served = reqwest::get(format!(
        "{}/metrics",
        private.metrics_base.as_ref().unwrap()
    ))
    .await
    .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert!(
        served
            .text()
            .await
            .unwrap()
            .contains("wagent_graphql_requests_total")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_takes_the_address_one_trusted_proxy_saw() {
    let app = TestApp::spawn_configured(&[("WAGENT_TRUSTED_PROXY_HOPS", "1")]).await;
    let alice = app.sign_in("alice").await;
    let created = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&alice)
        .header("x-forwarded-for", "6.6.6.6, 203.0.113.7")
        .json(
            &json!({ "query": "mutation { createOrganization(input: {name: \"Acme\"}) { id } }" }),
        )
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let org = created["data"]["createOrganization"]["id"]
        .as_str()
        .unwrap();
    let log = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { auditLog { nodes { action ip } } } }",
            json!({ "o": org }),
        )
        .await;
    let node = &log["organization"]["auditLog"]["nodes"][0];
    assert_eq!(node["action"], "organization.created");
    assert_eq!(node["ip"], "203.0.113.7");
}

fn forwarded(values: &[&str]) -> poem::http::HeaderMap {
    let mut headers = poem::http::HeaderMap::new();
    for v in values {
        headers.append(
            "x-forwarded-for",
            poem::http::HeaderValue::from_str(v).unwrap(),
        );
    }
    headers
}

#[test]
fn the_client_address_is_taken_that_many_proxies_from_the_right() {
    use std::net::IpAddr;

    use wagent_app::http::client_ip;

    let peer: Option<IpAddr> = "10.0.0.2".parse().ok();
    let spoofed = forwarded(&["6.6.6.6, 203.0.113.7"]);
    // No proxies trusted: the header is the client's own words.
    assert_eq!(client_ip(peer, &spoofed, 0), peer);
    // One proxy: it appended the address that connected to it.
    assert_eq!(client_ip(peer, &spoofed, 1), "203.0.113.7".parse().ok());
    // Two proxies; the header may be split over several lines.
    let two = forwarded(&["6.6.6.6", "198.51.100.1, 10.0.0.9"]);
    assert_eq!(client_ip(peer, &two, 2), "198.51.100.1".parse().ok());
    // Fewer entries than proxies, none, or garbage: never the spoofable left end beyond
    // what proxies vouch for, and the peer when nothing parses.
    assert_eq!(
        client_ip(peer, &forwarded(&["198.51.100.1"]), 2),
        "198.51.100.1".parse().ok()
    );
    assert_eq!(client_ip(peer, &poem::http::HeaderMap::new(), 1), peer);
    assert_eq!(client_ip(peer, &forwarded(&["not-an-ip"]), 1), peer);
}

#[test]
fn meta_is_allowed_only_when_embedded_signup_is_configured() {
    use wagent_app::spa::content_security_policy;

    let plain = content_security_policy(Some("https://id.example"), false);
    assert!(
        plain.contains("connect-src 'self' https://id.example;") && !plain.contains("facebook")
    );
    let with_meta = content_security_policy(None, true);
    assert!(with_meta.contains("script-src 'self' https://connect.facebook.net;"));
    assert!(with_meta.contains("frame-src https://www.facebook.com"));
}
