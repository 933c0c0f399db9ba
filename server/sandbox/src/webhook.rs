//! Webhooks as Meta sends them: the envelope, the body serialised with non-ASCII escaped as
//! `\uXXXX`, the `X-Hub-Signature-256` header, and delivery with retries in the background.

use std::{
    fmt::Write as _,
    sync::{Arc, Weak},
    time::Duration,
};

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::mpsc;

use crate::Inner;

/// Attempts per webhook, the first included; Meta retries for days, a sandbox for seconds.
const ATTEMPTS: u32 = 5;
/// The wait before the first retry; each later retry waits twice as long.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// JSON as Meta writes it: compact, every non-ASCII character escaped as `\uXXXX` (UTF-16
/// units, lowercase hex), so a receiver must hash the raw bytes rather than re-serialise.
pub fn to_meta_json(value: &Value) -> String {
    escape_non_ascii(&value.to_string())
}

/// Escapes every non-ASCII character of serialised JSON. Outside strings JSON is ASCII, so
/// this only touches string contents.
pub fn escape_non_ascii(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut units = [0u16; 2];
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

/// The value of `X-Hub-Signature-256` for a body: `sha256=<hex HMAC-SHA256(app_secret, body)>`.
pub fn signature(app_secret: &str, body: &[u8]) -> String {
    match Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
        }
        // HMAC takes keys of every length.
        Err(_) => String::new(),
    }
}

/// Whether `header` (an `X-Hub-Signature-256` value) signs `body`, compared in constant time.
pub fn verify_signature(app_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(sig) = header
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// `{object:"whatsapp_business_account", entry:[{id, time, changes:[{value, field}]}]}`.
pub(crate) fn envelope(waba_id: &str, field: &str, value: Value) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": waba_id,
            "time": chrono::Utc::now().timestamp(),
            "changes": [{ "value": value, "field": field }],
        }],
    })
}

/// One webhook on its way out.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub seq: u64,
    pub url: String,
    pub body: String,
    pub signature: String,
}

/// The queue of webhooks. One worker sends them in order; a failed one is retried beside
/// it so that a receiver that is down does not hold the others back.
pub(crate) struct Outbox {
    tx: mpsc::UnboundedSender<Delivery>,
    rx: std::sync::Mutex<Option<mpsc::UnboundedReceiver<Delivery>>>,
    client: Option<reqwest::Client>,
}

impl Outbox {
    pub fn new() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent("facebookexternalua")
            .build()
            .inspect_err(
                |e| tracing::error!(error = %e, "sandbox: cannot build the webhook client"),
            )
            .ok();
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            tx,
            rx: std::sync::Mutex::new(Some(rx)),
            client,
        }
    }

    /// The HTTP client webhooks go out with (also used for the callback handshake).
    pub fn client(&self) -> Option<&reqwest::Client> {
        self.client.as_ref()
    }

    /// Queues a webhook, starting the worker on first use (a sandbox may be built outside
    /// a runtime).
    pub fn send(&self, delivery: Delivery, inner: Weak<Inner>) {
        let rx = self.rx.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(rx) = rx {
            tokio::spawn(run(rx, self.client.clone(), inner));
        }
        if self.tx.send(delivery).is_err() {
            tracing::warn!("sandbox: the webhook worker has stopped");
        }
    }
}

async fn run(
    mut rx: mpsc::UnboundedReceiver<Delivery>,
    client: Option<reqwest::Client>,
    inner: Weak<Inner>,
) {
    while let Some(delivery) = rx.recv().await {
        let Some(client) = &client else {
            record(&inner, delivery.seq, Err("no HTTP client".to_owned()), true);
            continue;
        };
        let outcome = post(client, &delivery).await;
        let ok = outcome.is_ok();
        record(&inner, delivery.seq, outcome, false);
        if !ok {
            tokio::spawn(retry(client.clone(), delivery, inner.clone()));
        }
    }
}

async fn retry(client: reqwest::Client, delivery: Delivery, inner: Weak<Inner>) {
    let mut backoff = FIRST_BACKOFF;
    for attempt in 2..=ATTEMPTS {
        tokio::time::sleep(backoff).await;
        backoff *= 2;
        let outcome = post(&client, &delivery).await;
        let ok = outcome.is_ok();
        record(&inner, delivery.seq, outcome, attempt == ATTEMPTS);
        if ok {
            return;
        }
    }
    tracing::warn!(
        url = %delivery.url,
        seq = delivery.seq,
        "sandbox: webhook given up after {ATTEMPTS} attempts"
    );
}

/// Ok(status) for a 2xx reply, Err(why) otherwise.
async fn post(client: &reqwest::Client, delivery: &Delivery) -> Result<u16, String> {
    let reply = client
        .post(&delivery.url)
        .header("content-type", "application/json")
        .header("x-hub-signature-256", &delivery.signature)
        .body(delivery.body.clone())
        .send()
        .await;
    match reply {
        Ok(r) if r.status().is_success() => Ok(r.status().as_u16()),
        Ok(r) => {
            tracing::warn!(url = %delivery.url, status = %r.status(), "sandbox: webhook refused");
            Err(format!("HTTP {}", r.status().as_u16()))
        }
        Err(e) => {
            tracing::warn!(url = %delivery.url, error = %e, "sandbox: webhook not delivered");
            Err(e.to_string())
        }
    }
}

fn record(inner: &Weak<Inner>, seq: u64, outcome: Result<u16, String>, last: bool) {
    let Some(inner) = inner.upgrade() else {
        return;
    };
    record_outcome(&inner, seq, outcome, last);
}

fn record_outcome(inner: &Arc<Inner>, seq: u64, outcome: Result<u16, String>, last: bool) {
    let mut state = inner.lock();
    if let Some(entry) = state.webhook_log.iter_mut().find(|w| w.seq == seq) {
        entry.attempts += 1;
        match outcome {
            Ok(status) => {
                entry.outcome = "delivered".to_owned();
                entry.last_status = Some(status);
                entry.last_error = None;
            }
            Err(e) => {
                entry.outcome = if last { "failed" } else { "retrying" }.to_owned();
                entry.last_error = Some(e);
            }
        }
    }
}

/// What happened to one webhook, for `GET /sandbox/webhooks`.
#[derive(Debug, Clone)]
pub(crate) struct WebhookRecord {
    pub seq: u64,
    pub field: String,
    pub waba_id: String,
    pub url: Option<String>,
    pub body: String,
    pub outcome: String,
    pub attempts: u32,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
}

impl WebhookRecord {
    pub fn to_json(&self) -> Value {
        json!({
            "seq": self.seq,
            "field": self.field,
            "waba_id": self.waba_id,
            "url": self.url,
            "outcome": self.outcome,
            "attempts": self.attempts,
            "last_status": self.last_status,
            "last_error": self.last_error,
            "body": serde_json::from_str::<Value>(&self.body).unwrap_or(Value::Null),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_meta() {
        let body = json!({ "name": "João ã 😀", "ascii": "a/b" });
        let s = to_meta_json(&body);
        assert!(s.contains(r"Jo\u00e3o \u00e3 \ud83d\ude00"), "{s}");
        assert!(s.contains("a/b"));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn signature_round_trip() {
        let sig = signature("secret", b"{}");
        assert!(sig.starts_with("sha256="));
        assert_eq!(sig.len(), 7 + 64);
        assert!(verify_signature("secret", b"{}", &sig));
        assert!(!verify_signature("other", b"{}", &sig));
        assert!(!verify_signature("secret", b"{ }", &sig));
        assert!(!verify_signature("secret", b"{}", "sha1=00"));
    }

    #[test]
    fn known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
