#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The access-token verifier against a local issuer that publishes discovery and JWKS.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use biscuit_auth::KeyPair;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};
use wagent_auth::oidc::{OidcError, OidcVerifier};

struct SigningKey {
    kid: String,
    der: Vec<u8>,
    jwk: Value,
}

fn signing_key(kid: &str) -> SigningKey {
    let pair = KeyPair::new_with_algorithm(biscuit_auth::Algorithm::Ed25519);
    let seed = pair.private().to_bytes();
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(&seed);
    let x = URL_SAFE_NO_PAD.encode(pair.public().to_bytes());
    SigningKey {
        kid: kid.into(),
        der,
        jwk: json!({ "kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig" }),
    }
}

/// A tiny issuer: discovery and a JWKS that the test can change, counting JWKS fetches.
struct Issuer {
    url: String,
    keys: Arc<Mutex<Vec<Value>>>,
    fetches: Arc<AtomicUsize>,
}

async fn issuer(advertised_issuer: Option<&str>) -> Issuer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let keys = Arc::new(Mutex::new(Vec::new()));
    let fetches = Arc::new(AtomicUsize::new(0));
    let (k, f, u) = (
        keys.clone(),
        fetches.clone(),
        advertised_issuer.map(str::to_owned).unwrap_or(url.clone()),
    );
    let base = url.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let (k, f, u, base) = (k.clone(), f.clone(), u.clone(), base.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]);
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let body = match path.as_str() {
                    "/.well-known/openid-configuration" => {
                        json!({ "issuer": u, "jwks_uri": format!("{base}/jwks") })
                    }
                    "/jwks" => {
                        f.fetch_add(1, Ordering::SeqCst);
                        json!({ "keys": *k.lock().unwrap() })
                    }
                    _ => json!({}),
                }
                .to_string();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    Issuer { url, keys, fetches }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn token(key: &SigningKey, claims: Value) -> String {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(key.kid.clone());
    encode(&header, &claims, &EncodingKey::from_ed_der(&key.der)).unwrap()
}

fn claims(iss: &str) -> Value {
    json!({ "iss": iss, "sub": "u-1", "aud": "wagent", "exp": now() + 300, "iat": now(), "email": "ana@example.com", "email_verified": true, "name": "Ana" })
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

#[tokio::test]
async fn a_valid_token_yields_its_claims() {
    let idp = issuer(None).await;
    let key = signing_key("k1");
    idp.keys.lock().unwrap().push(key.jwk.clone());
    let verifier = OidcVerifier::new(&idp.url, "wagent").unwrap();
    let c = verifier
        .verify(&token(&key, claims(&idp.url)))
        .await
        .unwrap();
    assert_eq!(
        (
            c.sub.as_str(),
            c.email.as_deref(),
            c.email_verified,
            c.name.as_deref()
        ),
        ("u-1", Some("ana@example.com"), Some(true), Some("Ana"))
    );
}

#[tokio::test]
async fn wrong_issuer_audience_expiry_or_not_before_are_refused() {
    let idp = issuer(None).await;
    let key = signing_key("k1");
    idp.keys.lock().unwrap().push(key.jwk.clone());
    let verifier = OidcVerifier::new(&idp.url, "wagent").unwrap();
    let base = claims(&idp.url);
    for (what, c) in [
        (
            "issuer",
            with(base.clone(), json!({ "iss": "http://evil.example" })),
        ),
        ("audience", with(base.clone(), json!({ "aud": "account" }))),
        ("expired", with(base.clone(), json!({ "exp": now() - 120 }))),
        (
            "not yet valid",
            with(base.clone(), json!({ "nbf": now() + 600 })),
        ),
        ("no subject", {
            let mut c = base.clone();
            c.as_object_mut().unwrap().remove("sub");
            c
        }),
    ] {
        let err = verifier.verify(&token(&key, c)).await.unwrap_err();
        assert!(matches!(err, OidcError::Invalid(_)), "{what}: {err:?}");
        assert!(err.is_client_error());
    }
}

#[tokio::test]
async fn alg_none_and_hmac_are_refused_before_any_key_is_used() {
    let idp = issuer(None).await;
    let key = signing_key("k1");
    idp.keys.lock().unwrap().push(key.jwk.clone());
    let verifier = OidcVerifier::new(&idp.url, "wagent").unwrap();
    let body = URL_SAFE_NO_PAD.encode(claims(&idp.url).to_string());
    let none = format!(
        "{}.{body}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"k1"}"#)
    );
    assert!(verifier.verify(&none).await.is_err());
    // HMAC keyed with the public key, the classic confusion attack.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("k1".into());
    let public = key.jwk["x"].as_str().unwrap().as_bytes().to_vec();
    let hmac = encode(
        &header,
        &claims(&idp.url),
        &EncodingKey::from_secret(&public),
    )
    .unwrap();
    assert!(matches!(
        verifier.verify(&hmac).await.unwrap_err(),
        OidcError::Algorithm
    ));
    assert_eq!(
        idp.fetches.load(Ordering::SeqCst),
        0,
        "refused without fetching keys"
    );
}

#[tokio::test]
async fn a_rotated_key_is_fetched_once_and_forged_key_ids_do_not_hammer_the_issuer() {
    let idp = issuer(None).await;
    let old = signing_key("old");
    idp.keys.lock().unwrap().push(old.jwk.clone());
    let cooldown = Duration::from_millis(300);
    let verifier = OidcVerifier::with_refresh_cooldown(&idp.url, "wagent", cooldown).unwrap();
    verifier
        .verify(&token(&old, claims(&idp.url)))
        .await
        .unwrap();
    assert_eq!(idp.fetches.load(Ordering::SeqCst), 1);
    let fetched = Instant::now();
    for _ in 0..5 {
        let stranger = signing_key(&format!("forged-{}", uuid::Uuid::new_v4()));
        assert!(matches!(
            verifier
                .verify(&token(&stranger, claims(&idp.url)))
                .await
                .unwrap_err(),
            OidcError::UnknownKey
        ));
    }
    if fetched.elapsed() < cooldown {
        assert_eq!(
            idp.fetches.load(Ordering::SeqCst),
            1,
            "no refetch within the cool-down"
        );
    }
    // Later the issuer rotates; a token with the new kid is accepted once the cool-down has
    // passed, after exactly one more fetch, and from then on without fetching.
    let new = signing_key("new");
    idp.keys.lock().unwrap().push(new.jwk.clone());
    let rotated = Instant::now();
    let before = idp.fetches.load(Ordering::SeqCst);
    loop {
        match verifier.verify(&token(&new, claims(&idp.url))).await {
            Ok(_) => break,
            Err(OidcError::UnknownKey) => {
                assert!(
                    rotated.elapsed() < Duration::from_secs(10),
                    "the new key was never fetched"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(idp.fetches.load(Ordering::SeqCst), before + 1);
    verifier
        .verify(&token(&new, claims(&idp.url)))
        .await
        .unwrap();
    assert_eq!(idp.fetches.load(Ordering::SeqCst), before + 1);
}

#[tokio::test]
async fn an_unreachable_issuer_is_not_the_callers_fault() {
    let verifier = OidcVerifier::new("http://127.0.0.1:9", "wagent").unwrap();
    let key = signing_key("k1");
    let err = verifier
        .verify(&token(&key, claims("http://127.0.0.1:9")))
        .await
        .unwrap_err();
    assert!(matches!(err, OidcError::Issuer(_)), "{err:?}");
    assert!(!err.is_client_error());
}

#[tokio::test]
async fn a_discovery_document_for_another_issuer_is_refused() {
    let idp = issuer(Some("http://someone-else.example")).await;
    let verifier = OidcVerifier::new(&idp.url, "wagent").unwrap();
    assert!(matches!(
        verifier.warm_up().await.unwrap_err(),
        OidcError::Issuer(_)
    ));
}
