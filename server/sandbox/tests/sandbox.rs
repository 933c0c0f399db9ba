//! The sandbox served on port 0, with a local webhook receiver that checks every signature
//! with its own HMAC.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use poem::{
    EndpointExt, Request, Response, Route, Server, get, handler,
    http::StatusCode,
    listener::{Acceptor, Listener, TcpListener},
    web::{Data, Query},
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wagent_sandbox::{Chaos, PairRate, Sandbox, SandboxConfig, SandboxHandle};

const SECRET: &str = "test-app-secret";
const APP_ID: &str = "424242424242424";
const PN: &str = "106540352242922";
const CUSTOMER: &str = "5511987654321";

// ---- the webhook receiver --------------------------------------------------------------

#[derive(Clone, Debug)]
struct Hook {
    raw: String,
    body: Value,
    signed: bool,
}

#[derive(Clone, Default)]
struct Hooks(Arc<Mutex<Vec<Hook>>>);

impl Hooks {
    fn all(&self) -> Vec<Hook> {
        self.0.lock().unwrap().clone()
    }

    /// Polls until `done` holds, for at most 5 s.
    async fn wait_for(&self, what: &str, done: impl Fn(&[Hook]) -> bool) -> Vec<Hook> {
        for _ in 0..250 {
            let hooks = self.all();
            if done(&hooks) {
                return hooks;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("timed out waiting for {what}; got {:#?}", self.all());
    }

    /// The status values of one message, in arrival order.
    fn statuses(&self, wamid: &str) -> Vec<Value> {
        self.all()
            .iter()
            .flat_map(|h| values(&h.body, "messages"))
            .flat_map(|v| v["statuses"].as_array().cloned().unwrap_or_default())
            .filter(|s| s["id"] == wamid)
            .collect()
    }

    async fn wait_statuses(&self, wamid: &str, n: usize) -> Vec<Value> {
        self.wait_for(&format!("{n} statuses of {wamid}"), |_| {
            self.statuses(wamid).len() >= n
        })
        .await;
        self.statuses(wamid)
    }

    /// The webhook carrying the inbound message `wamid`.
    async fn inbound(&self, wamid: &str) -> Hook {
        let find = |hooks: &[Hook]| {
            hooks
                .iter()
                .find(|h| {
                    values(&h.body, "messages")
                        .iter()
                        .any(|v| v["messages"][0]["id"] == wamid)
                })
                .cloned()
        };
        let hooks = self
            .wait_for(&format!("message {wamid}"), |h| find(h).is_some())
            .await;
        find(&hooks).unwrap()
    }
}

/// Every `value` of changes with this field.
fn values(body: &Value, field: &str) -> Vec<Value> {
    assert_eq!(body["object"], "whatsapp_business_account");
    body["entry"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["changes"].as_array().unwrap().clone())
        .filter(|c| c["field"] == field)
        .map(|c| c["value"].clone())
        .collect()
}

fn expected_signature(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[handler]
fn receive(hooks: Data<&Hooks>, req: &Request, body: Vec<u8>) -> StatusCode {
    let header = req
        .headers()
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let signed = header == expected_signature(&body);
    let raw = String::from_utf8(body).unwrap();
    let parsed: Value = serde_json::from_str(&raw).unwrap();
    hooks.0.0.lock().unwrap().push(Hook {
        raw,
        body: parsed,
        signed,
    });
    StatusCode::OK
}

/// Meta's verification handshake, as WAgent answers it.
#[handler]
fn handshake(Query(q): Query<HashMap<String, String>>) -> Response {
    if q.get("hub.mode").map(String::as_str) == Some("subscribe")
        && q.get("hub.verify_token").map(String::as_str) == Some("verify-me")
    {
        Response::builder()
            .status(StatusCode::OK)
            .body(q.get("hub.challenge").cloned().unwrap_or_default())
    } else {
        Response::builder().status(StatusCode::FORBIDDEN).finish()
    }
}

async fn serve(ep: impl poem::IntoEndpoint<Endpoint: 'static> + Send + 'static) -> SocketAddr {
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
    tokio::spawn(Server::new_with_acceptor(acceptor).run(ep));
    addr
}

// ---- the sandbox under test ------------------------------------------------------------

struct Sb {
    base: String,
    http: reqwest::Client,
    handle: SandboxHandle,
    hooks: Hooks,
    hook_url: String,
}

async fn start(change: impl FnOnce(&mut SandboxConfig)) -> Sb {
    let hooks = Hooks::default();
    let receiver = serve(
        Route::new()
            .at("/webhooks/whatsapp", get(handshake).post(receive))
            .data(hooks.clone()),
    )
    .await;
    let hook_url = format!("http://{receiver}/webhooks/whatsapp");
    let mut config = SandboxConfig::new(APP_ID, SECRET, Some(&hook_url));
    config.status_delays = (
        Duration::from_millis(30),
        Duration::from_millis(90),
        Duration::from_millis(160),
    );
    config.template_approval_delay = Duration::from_millis(100);
    change(&mut config);
    let sandbox = Sandbox::new(config);
    let handle = sandbox.handle();
    let addr = sandbox
        .listen("127.0.0.1:0".parse().unwrap(), std::future::pending())
        .await
        .unwrap();
    assert_ne!(addr.port(), 0);
    let _ = rustls::crypto::ring::default_provider().install_default();
    Sb {
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
        handle,
        hooks,
        hook_url,
    }
}

impl Sb {
    async fn graph(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/v21.0/{path}", self.base))
            .bearer_auth("EAAtest");
        if let Some(body) = body {
            req = req.json(&body);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap())
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.graph(reqwest::Method::GET, path, None).await
    }

    /// `GET /v21.0/{path}` with another access token.
    async fn get_as(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(format!("{}/v21.0/{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap())
    }

    /// The ids `GET /{waba}/phone_numbers` lists with `token`.
    async fn numbers_as(&self, token: &str, waba: &str) -> Vec<String> {
        let (status, body) = self.get_as(token, &format!("{waba}/phone_numbers")).await;
        assert_eq!(status, 200, "{body}");
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The business that owns a WABA, as Graph shows it.
    async fn owner_of(&self, token: &str, waba: &str) -> String {
        let (status, body) = self
            .get_as(token, &format!("{waba}?fields=id,owner_business_info"))
            .await;
        assert_eq!(status, 200, "{body}");
        body["owner_business_info"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.graph(reqwest::Method::POST, path, Some(body)).await
    }

    async fn sandbox(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}/sandbox/{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap())
    }

    async fn sandbox_get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}/sandbox/{path}", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// A customer writes in; returns the sandbox's reply.
    async fn customer(&self, from: &str, kind: &str, payload: Value) -> Value {
        let mut body = json!({ "phone_number_id": PN, "from": from, "type": kind });
        body[kind] = payload;
        let (status, reply) = self.sandbox("customers/messages", body).await;
        assert_eq!(status, 200, "{reply}");
        reply
    }

    async fn send_text(&self, to: &str, text: &str) -> (u16, Value) {
        self.post(
            &format!("{PN}/messages"),
            json!({
                "messaging_product": "whatsapp", "recipient_type": "individual",
                "to": to, "type": "text", "text": { "body": text },
            }),
        )
        .await
    }
}

fn wamid_of(reply: &Value) -> String {
    reply["messages"][0]["id"].as_str().unwrap().to_owned()
}

fn error_code(body: &Value) -> i64 {
    body["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("no error in {body}"))
}

fn names(statuses: &[Value]) -> Vec<String> {
    statuses
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .collect()
}

// ---- tests -------------------------------------------------------------------------------

#[tokio::test]
async fn text_inside_the_window_is_sent_delivered_and_read() {
    let sb = start(|_| {}).await;
    let inbound = sb
        .customer(CUSTOMER, "text", json!({ "body": "Oi!" }))
        .await;
    let hook = sb.hooks.inbound(inbound["id"].as_str().unwrap()).await;
    assert!(hook.signed);

    let (status, reply) = sb.send_text("+55 (11) 98765-4321", "Olá, tudo bem?").await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["messaging_product"], "whatsapp");
    assert_eq!(reply["contacts"][0]["input"], "+55 (11) 98765-4321");
    assert_eq!(reply["contacts"][0]["wa_id"], CUSTOMER);
    let wamid = wamid_of(&reply);
    assert!(wamid.starts_with("wamid.") && wamid.len() <= 128);

    let statuses = sb.hooks.wait_statuses(&wamid, 3).await;
    assert_eq!(names(&statuses), ["sent", "delivered", "read"]);
    assert!(sb.hooks.all().iter().all(|h| h.signed));
    let sent = &statuses[0];
    assert_eq!(sent["recipient_id"], CUSTOMER);
    assert!(sent["timestamp"].is_string());
    assert!(sent["conversation"]["expiration_timestamp"].is_string());
    assert_eq!(sent["conversation"]["origin"]["type"], "service");
    assert_eq!(sent["pricing"]["pricing_model"], "PMP");
    assert_eq!(sent["pricing"]["category"], "service");
    assert_eq!(sent["pricing"]["type"], "free_customer_service");
    assert_eq!(sent["pricing"]["billable"], false);
    assert!(statuses[1]["pricing"].is_object());
    assert!(statuses[1]["conversation"]["expiration_timestamp"].is_null());
    assert!(statuses[2]["pricing"].is_null());

    // The status webhook's envelope.
    let value = values(&sb.hooks.all().last().unwrap().body, "messages")[0].clone();
    assert_eq!(value["messaging_product"], "whatsapp");
    assert_eq!(value["metadata"]["phone_number_id"], PN);
    // Since 2026-03-31 a read status names the user too.
    assert_eq!(value["contacts"][0]["wa_id"], CUSTOMER);
    assert!(value["contacts"][0]["user_id"].is_string());

    // Mark the customer's message as read, with a typing indicator.
    let (status, reply) = sb
        .post(
            &format!("{PN}/messages"),
            json!({
                "messaging_product": "whatsapp", "status": "read",
                "message_id": inbound["id"], "typing_indicator": { "type": "text" },
            }),
        )
        .await;
    assert_eq!((status, reply), (200, json!({ "success": true })));

    // The sandbox's own record of the message.
    let listed = sb
        .sandbox_get(&format!("messages?phone_number_id={PN}"))
        .await;
    assert_eq!(listed["data"][0]["id"], wamid);
    assert_eq!(listed["data"][0]["status"], "read");
}

#[tokio::test]
async fn free_form_outside_the_window_fails_with_131047() {
    let sb = start(|_| {}).await;
    let (status, reply) = sb.send_text("15550001111", "hello").await;
    assert_eq!(status, 200, "{reply}");
    let statuses = sb.hooks.wait_statuses(&wamid_of(&reply), 1).await;
    assert_eq!(names(&statuses), ["failed"]);
    assert_eq!(statuses[0]["errors"][0]["code"], 131047);
    assert!(statuses[0]["errors"][0]["error_data"]["details"].is_string());

    // A window older than 24 hours is closed too.
    let day_ago = chrono::Utc::now().timestamp() - 25 * 3600;
    let (status, _) = sb
        .sandbox(
            "customers/window",
            json!({ "phone_number_id": PN, "wa_id": "15550002222", "last_message_at": day_ago }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, reply) = sb.send_text("15550002222", "hello").await;
    let statuses = sb.hooks.wait_statuses(&wamid_of(&reply), 1).await;
    assert_eq!(statuses[0]["errors"][0]["code"], 131047);
}

#[tokio::test]
async fn template_rules() {
    let sb = start(|_| {}).await;
    let send = |name: &str, params: Vec<&str>| {
        let parameters: Vec<Value> = params
            .iter()
            .map(|p| json!({ "type": "text", "text": p }))
            .collect();
        json!({
            "messaging_product": "whatsapp", "to": "15550003333", "type": "template",
            "template": {
                "name": name, "language": { "code": "en_US" },
                "components": [{ "type": "body", "parameters": parameters }],
            },
        })
    };
    let path = format!("{PN}/messages");

    let (status, body) = sb.post(&path, send("no_such_template", vec![])).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(error_code(&body), 132001);
    assert_eq!(body["error"]["type"], "OAuthException");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("(#132001)")
    );
    assert_eq!(body["error"]["error_data"]["messaging_product"], "whatsapp");
    assert!(body["error"]["fbtrace_id"].is_string());

    let (status, body) = sb.post(&path, send("order_update", vec!["Ana"])).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), 132000);

    // Templates may open a conversation: no window needed.
    let (status, body) = sb
        .post(&path, send("order_update", vec!["Ana", "#1234"]))
        .await;
    assert_eq!(status, 200, "{body}");
    let statuses = sb.hooks.wait_statuses(&wamid_of(&body), 3).await;
    assert_eq!(names(&statuses), ["sent", "delivered", "read"]);
    assert_eq!(statuses[0]["pricing"]["category"], "utility");
    assert_eq!(statuses[0]["pricing"]["billable"], true);

    // The wrong language is a missing template.
    let mut wrong_language = send("hello_world", vec![]);
    wrong_language["template"]["language"]["code"] = json!("pt_BR");
    wrong_language["template"]["components"] = json!([]);
    let (status, body) = sb.post(&path, wrong_language).await;
    assert_eq!((status, error_code(&body)), (404, 132001));
}

#[tokio::test]
async fn invalid_requests_are_refused_like_meta() {
    let sb = start(|_| {}).await;
    // No token.
    let r = sb
        .http
        .post(format!("{}/v21.0/{PN}/messages", sb.base))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(error_code(&body), 190);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("(#190)")
    );

    let path = format!("{PN}/messages");
    let (status, body) = sb
        .post(
            &path,
            json!({ "messaging_product": "whatsapp", "type": "text", "text": { "body": "x" } }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, 100));
    assert!(
        body["error"]["error_data"]["details"]
            .as_str()
            .unwrap()
            .contains("to")
    );

    let (status, body) = sb.send_text(CUSTOMER, &"a".repeat(4097)).await;
    assert_eq!((status, error_code(&body)), (400, 100));
    let (status, _) = sb.send_text(CUSTOMER, &"a".repeat(4096)).await;
    assert_eq!(status, 200);

    let buttons = json!({
        "messaging_product": "whatsapp", "to": CUSTOMER, "type": "interactive",
        "interactive": { "type": "button", "body": { "text": "Pick" }, "action": { "buttons": [
            { "type": "reply", "reply": { "id": "a", "title": "This title is far too long" } }
        ]}},
    });
    let (status, body) = sb.post(&path, buttons).await;
    assert_eq!((status, error_code(&body)), (400, 100));

    let (status, body) = sb.get("v21.0/nothing/here/at/all").await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn throughput_limit_answers_130429_with_the_configured_status() {
    let sb = start(|c| c.throughput_per_second = 3).await;
    for i in 0..3 {
        let (status, body) = sb.send_text(&format!("1555000100{i}"), "hi").await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = sb.send_text("15550001009", "hi").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), 130429);
    assert_eq!(body["error"]["error_subcode"], 2494055);

    let (status, config) = sb
        .sandbox("config", json!({ "http_status_for_throttling": 429 }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(config["http_status_for_throttling"], 429);
    let (status, body) = sb.send_text("15550001009", "hi").await;
    assert_eq!((status, error_code(&body)), (429, 130429));

    // The window slides: within about a second there is room again (refused sends do not
    // count against it).
    let refused_at = Instant::now();
    loop {
        let (status, body) = sb.send_text("15550001009", "hi").await;
        if status == 200 {
            break;
        }
        assert_eq!((status, error_code(&body)), (429, 130429));
        assert!(
            refused_at.elapsed() < Duration::from_secs(5),
            "the window never slid"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_send_counts_when_it_arrives_and_is_answered_after_the_latency() {
    let sb = start(|c| c.throughput_per_second = 2).await;
    let (status, config) = sb
        .sandbox("config", json!({ "send_latency_ms": 300 }))
        .await;
    assert_eq!(
        (status, config["send_latency_ms"].clone()),
        (200, json!(300))
    );
    let (status, body) = sb
        .sandbox("config", json!({ "send_latency_ms": 3_600_000 }))
        .await;
    assert_eq!(status, 400, "{body}");

    // Three at once: all three arrive before the first answer, so the third is over the
    // level of two, and each answer, the refusal too, takes the latency.
    let started = Instant::now();
    let (a, b, c) = tokio::join!(
        sb.send_text("15550002000", "hi"),
        sb.send_text("15550002001", "hi"),
        sb.send_text("15550002002", "hi"),
    );
    let answers = [a, b, c];
    let mut codes: Vec<i64> = answers
        .iter()
        .map(|(status, body)| if *status == 200 { 0 } else { error_code(body) })
        .collect();
    codes.sort();
    assert_eq!(codes, [0, 0, 130429], "{answers:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "answered after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn faults_answer_sends_as_meta_does_in_the_reply_later_or_held() {
    let sb = start(|_| {}).await;
    // A customer's own fault, for one send, before the number's.
    let (status, _) = sb
        .sandbox(
            "faults",
            json!({ "phone_number_id": PN, "to": "+55 11 98765-4321", "code": 190, "times": 1 }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, listed) = sb
        .sandbox("faults", json!({ "phone_number_id": PN, "code": 131031 }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(listed["data"].as_array().unwrap().len(), 2, "{listed}");
    let (status, body) = sb.send_text(CUSTOMER, "hi").await;
    assert_eq!((status, error_code(&body)), (401, 190));
    assert_eq!(body["error"]["error_subcode"], 463);
    assert_eq!(body["error"]["type"], "OAuthException");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("(#190) ")
    );
    assert!(body["error"]["error_data"]["details"].is_string());
    let (status, body) = sb.send_text(CUSTOMER, "hi").await;
    assert_eq!((status, error_code(&body)), (403, 131031));
    let (status, body) = sb.send_text("15550004444", "hi").await;
    assert_eq!(
        (status, error_code(&body)),
        (403, 131031),
        "anyone of the number"
    );
    let r = sb
        .http
        .delete(format!("{}/sandbox/faults?phone_number_id={PN}", sb.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Codes Meta reports later: accepted, then a `failed` status with Meta's error.
    sb.sandbox("customers/window", json!({ "phone_number_id": PN, "wa_id": CUSTOMER, "last_message_at": chrono::Utc::now().timestamp() }))
        .await;
    sb.sandbox(
        "faults",
        json!({ "phone_number_id": PN, "to": CUSTOMER, "code": 131049, "times": 1 }),
    )
    .await;
    let (status, reply) = sb.send_text(CUSTOMER, "hi").await;
    assert_eq!(status, 200, "{reply}");
    let statuses = sb.hooks.wait_statuses(&wamid_of(&reply), 1).await;
    assert_eq!(names(&statuses), ["failed"]);
    assert_eq!(statuses[0]["errors"][0]["code"], 131049);
    assert!(statuses[0]["errors"][0]["error_data"]["details"].is_string());

    // Held by template pacing: the answer says so and no status follows.
    sb.sandbox("faults", json!({ "phone_number_id": PN, "to": CUSTOMER, "message_status": "held_for_quality_assessment" }))
        .await;
    let (status, reply) = sb.send_text(CUSTOMER, "hi").await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(
        reply["messages"][0]["message_status"],
        "held_for_quality_assessment"
    );
    let sent = sb
        .sandbox_get(&format!("messages?phone_number_id={PN}&to={CUSTOMER}"))
        .await;
    let held = sent["data"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(held["status"], "accepted", "{held}");

    // Only Meta's codes, and a fault needs an answer.
    let (status, _) = sb
        .sandbox("faults", json!({ "phone_number_id": PN, "code": 42 }))
        .await;
    assert_eq!(status, 400);
    let (status, _) = sb.sandbox("faults", json!({ "phone_number_id": PN })).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn pair_rate_limit_answers_131056() {
    let sb = start(|c| {
        c.pair_rate = PairRate {
            burst: 2,
            every: Duration::from_secs(60),
        }
    })
    .await;
    for _ in 0..2 {
        assert_eq!(sb.send_text(CUSTOMER, "hi").await.0, 200);
    }
    let (status, body) = sb.send_text(CUSTOMER, "hi").await;
    assert_eq!((status, error_code(&body)), (400, 131056));
    // Other recipients are unaffected.
    assert_eq!(sb.send_text("15550004444", "hi").await.0, 200);
}

#[tokio::test]
async fn a_new_template_is_pending_then_approved_by_webhook() {
    let sb = start(|_| {}).await;
    let waba = "102290129340398";
    let path = format!("{waba}/message_templates");
    let template = json!({
        "name": "shipping_notice", "language": "en_US", "category": "UTILITY",
        "components": [
            { "type": "HEADER", "format": "TEXT", "text": "Order {{1}}",
              "example": { "header_text": ["#42"] } },
            { "type": "BODY", "text": "Hi {{1}}, it ships on {{2}}.",
              "example": { "body_text": [["Ana", "Monday"]] } },
            { "type": "BUTTONS", "buttons": [{ "type": "QUICK_REPLY", "text": "Thanks" }] },
        ],
    });
    let (status, body) = sb.post(&path, template.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "PENDING");
    assert_eq!(body["category"], "UTILITY");
    let id = body["id"].as_str().unwrap().to_owned();

    let (status, body) = sb.post(&path, template).await;
    assert_eq!((status, error_code(&body)), (400, 100), "duplicate");

    let (_, listed) = sb.get(&format!("{path}?name=shipping_notice")).await;
    assert_eq!(listed["data"][0]["status"], "PENDING");

    let hooks = sb
        .hooks
        .wait_for("the approval", |h| {
            h.iter()
                .any(|h| !values(&h.body, "message_template_status_update").is_empty())
        })
        .await;
    let hook = hooks
        .iter()
        .find(|h| !values(&h.body, "message_template_status_update").is_empty())
        .unwrap();
    assert!(hook.signed);
    assert_eq!(hook.body["entry"][0]["id"], waba);
    assert!(hook.body["entry"][0]["time"].is_i64());
    let update = &values(&hook.body, "message_template_status_update")[0];
    assert_eq!(update["event"], "APPROVED");
    assert_eq!(update["message_template_id"], id.parse::<u64>().unwrap());
    assert_eq!(update["message_template_name"], "shipping_notice");
    assert_eq!(update["message_template_language"], "en_US");

    let (_, one) = sb.get(&id).await;
    assert_eq!(one["status"], "APPROVED");

    // Paging: three templates (two seeds and this one), one per page.
    let (_, page) = sb.get(&format!("{path}?limit=1&fields=name,status")).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["name"], "shipping_notice");
    assert!(page["data"][0]["components"].is_null());
    let next = page["paging"]["next"].as_str().unwrap();
    let after = page["paging"]["cursors"]["after"].as_str().unwrap();
    assert!(next.contains(after));
    let (_, page2) = sb.get(&format!("{path}?limit=5&after={after}")).await;
    assert_eq!(page2["data"].as_array().unwrap().len(), 2);
    assert!(page2["paging"]["next"].is_null());

    // Rules of creation.
    let no_example = json!({
        "name": "promo", "language": "en_US", "category": "MARKETING",
        "components": [{ "type": "BODY", "text": "Hi {{1}}" }],
    });
    let (status, body) = sb.post(&path, no_example).await;
    assert_eq!((status, error_code(&body)), (400, 100));
    let bad_name = json!({
        "name": "Promo Code", "language": "en_US", "category": "MARKETING",
        "components": [{ "type": "BODY", "text": "Hi" }],
    });
    let (status, body) = sb.post(&path, bad_name).await;
    assert_eq!((status, error_code(&body)), (400, 100));

    // Deleting by name.
    let r = sb
        .http
        .delete(format!("{}/v21.0/{path}?name=shipping_notice", sb.base))
        .bearer_auth("EAAtest")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, _) = sb.get(&id).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn embedded_signup_code_exchange() {
    let sb = start(|c| c.signup_code_ttl = Duration::from_millis(1000)).await;
    let (status, signup) = sb.sandbox("embedded-signup", json!({})).await;
    assert_eq!(status, 200, "{signup}");
    let code = signup["code"].as_str().unwrap();
    let waba = signup["waba_id"].as_str().unwrap();
    let pn = signup["phone_number_id"].as_str().unwrap();
    assert!(signup["business_id"].is_string());

    let exchange = |secret: &str, code: &str| {
        let url = format!(
            "{}/v21.0/oauth/access_token?client_id={APP_ID}&client_secret={secret}&code={code}",
            sb.base
        );
        let http = sb.http.clone();
        async move {
            let r = http.get(url).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, body) = exchange("wrong-secret", code).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["code"].is_i64());

    let (status, body) = exchange(SECRET, code).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "bearer");
    let token = body["access_token"].as_str().unwrap().to_owned();

    let (status, body) = exchange(SECRET, code).await;
    assert_eq!(
        (status, error_code(&body)),
        (400, 100),
        "a code is used once"
    );

    let r = sb
        .http
        .get(format!(
            "{}/v21.0/debug_token?input_token={token}&access_token={APP_ID}|{SECRET}",
            sb.base
        ))
        .send()
        .await
        .unwrap();
    let debug: Value = r.json().await.unwrap();
    assert_eq!(debug["data"]["is_valid"], true);
    let scopes = debug["data"]["granular_scopes"].as_array().unwrap();
    let management = scopes
        .iter()
        .find(|s| s["scope"] == "whatsapp_business_management")
        .unwrap();
    assert_eq!(management["target_ids"][0], waba);

    // The new number must be registered before it sends.
    let to = json!({ "messaging_product": "whatsapp", "to": CUSTOMER, "type": "text",
                     "text": { "body": "hi" } });
    let (status, body) = sb.post(&format!("{pn}/messages"), to.clone()).await;
    assert_eq!((status, error_code(&body)), (400, 133010));
    let (status, body) = sb
        .post(
            &format!("{pn}/register"),
            json!({ "messaging_product": "whatsapp", "pin": "12ab" }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, 100));
    let (status, _) = sb
        .post(
            &format!("{pn}/register"),
            json!({ "messaging_product": "whatsapp", "pin": "123456" }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = sb.post(&format!("{pn}/messages"), to).await;
    assert_eq!(status, 200);

    // A code unused for longer than its lifetime has expired (the lifetime shortened to
    // nothing rather than waited out).
    let (_, late) = sb.sandbox("embedded-signup", json!({})).await;
    let (status, _) = sb
        .sandbox("config", json!({ "signup_code_ttl_ms": 0 }))
        .await;
    assert_eq!(status, 200);
    let (status, body) = exchange(SECRET, late["code"].as_str().unwrap()).await;
    assert_eq!((status, error_code(&body)), (400, 100));
    assert_eq!(body["error"]["error_subcode"], 36007);

    // A code the sandbox never issued.
    let (status, body) = exchange(SECRET, "made-up").await;
    assert_eq!((status, error_code(&body)), (400, 100));
}

/// A multipart body built by hand (reqwest's multipart feature is off in the workspace).
fn multipart(mime: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "sandbox-test-boundary";
    let mut body = Vec::new();
    for (name, value) in [("messaging_product", "whatsapp"), ("type", mime)] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\
             Content-Type: {mime}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn media_upload_info_download_delete() {
    let sb = start(|_| {}).await;
    let upload = |mime: &str, bytes: Vec<u8>| {
        let (content_type, body) = multipart(mime, &bytes);
        let req = sb
            .http
            .post(format!("{}/v21.0/{PN}/media", sb.base))
            .bearer_auth("EAAtest")
            .header("content-type", content_type)
            .body(body);
        async move {
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let (status, body) = upload("image/png", bytes.clone()).await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();

    let (status, info) = sb.get(&id).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["messaging_product"], "whatsapp");
    assert_eq!(info["mime_type"], "image/png");
    assert_eq!(info["file_size"], 10_000);
    assert_eq!(info["id"], id.as_str());
    assert_eq!(info["sha256"], hex::encode(Sha256::digest(&bytes)));
    let url = info["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/sandbox/media/", sb.base)),
        "{url}"
    );

    let r = sb
        .http
        .get(url)
        .bearer_auth("EAAtest")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), bytes);
    let r = sb.http.get(url).send().await.unwrap();
    assert_eq!(r.status(), 401, "the download needs the token");

    // Sending by id works; an unknown id does not.
    let image = |id: &str| {
        json!({ "messaging_product": "whatsapp", "to": CUSTOMER, "type": "image",
                "image": { "id": id, "caption": "look" } })
    };
    assert_eq!(sb.post(&format!("{PN}/messages"), image(&id)).await.0, 200);
    let (status, body) = sb
        .post(&format!("{PN}/messages"), image("9999999999999999"))
        .await;
    assert_eq!((status, error_code(&body)), (400, 100));

    let r = sb
        .http
        .delete(format!("{}/v21.0/{id}", sb.base))
        .bearer_auth("EAAtest")
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap(), json!({ "success": true }));
    let (status, body) = sb.get(&id).await;
    assert_eq!((status, error_code(&body)), (400, 100));
    let r = sb
        .http
        .get(url)
        .bearer_auth("EAAtest")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Meta's size limit for images is 5 MB; unknown types are refused.
    let (status, body) = upload("image/jpeg", vec![0; 5 * 1024 * 1024 + 1]).await;
    assert_eq!((status, error_code(&body)), (400, 131053));
    let (status, body) = upload("application/x-msdownload", vec![1, 2, 3]).await;
    assert_eq!((status, error_code(&body)), (400, 100));
}

#[tokio::test]
async fn customers_write_every_inbound_kind() {
    let sb = start(|_| {}).await;
    let first = sb.customer(CUSTOMER, "text", json!("first")).await;
    let first_id = first["id"].as_str().unwrap();
    // What the buttons and quick replies below answer.
    let (_, asked) = sb.send_text(CUSTOMER, "Yes or no?").await;
    let asked = wamid_of(&asked);
    let kinds: Vec<(&str, Value)> = vec![
        ("text", json!({ "body": "hello" })),
        ("image", json!({ "caption": "a photo" })),
        ("video", json!({})),
        ("audio", json!({ "voice": true })),
        (
            "document",
            json!({ "filename": "invoice.pdf", "caption": "invoice" }),
        ),
        ("sticker", json!({})),
        (
            "location",
            json!({ "latitude": -23.55, "longitude": -46.63, "name": "Paulista" }),
        ),
        ("contacts", Value::Null),
        (
            "interactive",
            json!({ "type": "button_reply", "button_reply": { "id": "yes", "title": "Yes" } }),
        ),
        (
            "interactive",
            json!({ "type": "list_reply", "list_reply": { "id": "r1", "title": "Row", "description": "d" } }),
        ),
        (
            "interactive",
            json!({ "type": "nfm_reply", "nfm_reply": { "name": "flow", "body": "Sent", "response_json": "{\"flow_token\":\"t1\",\"size\":\"M\"}" } }),
        ),
        (
            "button",
            json!({ "payload": "STOP", "text": "Stop promotions" }),
        ),
        ("reaction", json!({ "message_id": first_id, "emoji": "👍" })),
        ("reaction", json!({ "message_id": first_id, "emoji": "" })),
        (
            "order",
            json!({ "catalog_id": "1", "product_items": [
            { "product_retailer_id": "sku-1", "quantity": 2, "item_price": 10.5, "currency": "BRL" }
        ] }),
        ),
        ("system", json!({ "new_wa_id": "5511900000000" })),
        ("unsupported", json!({ "type": "poll" })),
    ];
    for (kind, payload) in kinds {
        let reply = sb.customer(CUSTOMER, kind, payload.clone()).await;
        let hook = sb.hooks.inbound(reply["id"].as_str().unwrap()).await;
        assert!(hook.signed, "{kind}");
        let value = &values(&hook.body, "messages")[0];
        assert_eq!(value["messaging_product"], "whatsapp");
        assert_eq!(value["metadata"]["phone_number_id"], PN);
        assert!(
            value["metadata"]["display_phone_number"]
                .as_str()
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_digit())
        );
        let message = &value["messages"][0];
        assert_eq!(message["from"], CUSTOMER);
        assert_eq!(message["type"], kind);
        assert!(message["timestamp"].is_string());
        if kind == "system" {
            assert!(
                value["contacts"].is_null(),
                "system messages have no contacts"
            );
            assert_eq!(message["system"]["type"], "user_changed_number");
            assert_eq!(message["system"]["new_wa_id"], "5511900000000");
            continue;
        }
        assert_eq!(value["contacts"][0]["wa_id"], CUSTOMER);
        assert!(value["contacts"][0]["profile"]["name"].is_string());
        assert_eq!(value["contacts"][0]["user_id"], message["from_user_id"]);
        assert!(
            message["from_user_id"]
                .as_str()
                .is_some_and(|u| u.starts_with("BR.")),
            "{message}"
        );
        if kind == "interactive" || kind == "button" {
            assert_eq!(message["context"]["id"], asked, "{message}");
            assert!(message["context"]["from"].is_string());
        }
        match kind {
            "text" => assert_eq!(message["text"]["body"], "hello"),
            "image" | "video" | "audio" | "document" | "sticker" => {
                let media = &message[kind];
                let id = media["id"].as_str().unwrap();
                assert!(media["mime_type"].is_string() && media["sha256"].is_string());
                // The placeholder can be fetched through the media API.
                let (status, info) = sb.get(id).await;
                assert_eq!(status, 200, "{info}");
                let r = sb
                    .http
                    .get(info["url"].as_str().unwrap())
                    .bearer_auth("EAAtest")
                    .send()
                    .await
                    .unwrap();
                let bytes = r.bytes().await.unwrap();
                assert_eq!(info["file_size"], bytes.len());
                assert_eq!(
                    media["sha256"],
                    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&bytes))
                );
                match kind {
                    "image" => assert_eq!(media["caption"], "a photo"),
                    "audio" => assert_eq!(media["voice"], true),
                    "document" => assert_eq!(media["filename"], "invoice.pdf"),
                    _ => {}
                }
            }
            "location" => {
                assert_eq!(message["location"]["latitude"], -23.55);
                assert_eq!(message["location"]["name"], "Paulista");
            }
            "contacts" => assert!(message["contacts"][0]["name"]["formatted_name"].is_string()),
            "interactive" => {
                let t = message["interactive"]["type"].as_str().unwrap();
                assert_eq!(t, payload["type"]);
                if t == "nfm_reply" {
                    // A flow's answer: its fields as a JSON string, as Meta sends it.
                    assert_eq!(message["interactive"][t], payload[t], "{message}");
                    assert!(message["interactive"][t]["response_json"].is_string());
                } else {
                    assert_eq!(message["interactive"][t]["id"], payload[t]["id"]);
                }
            }
            "button" => assert_eq!(
                message["button"],
                json!({ "payload": "STOP", "text": "Stop promotions" })
            ),
            "reaction" => {
                assert_eq!(message["reaction"]["message_id"], first_id);
                if payload["emoji"] == "" {
                    assert!(
                        message["reaction"].get("emoji").is_none(),
                        "a removal has no emoji"
                    );
                } else {
                    assert_eq!(message["reaction"]["emoji"], "👍");
                }
            }
            "order" => assert_eq!(
                message["order"]["product_items"][0]["product_retailer_id"],
                "sku-1"
            ),
            "unsupported" => {
                assert_eq!(message["errors"][0]["code"], 131051);
                assert_eq!(message["unsupported"]["type"], "poll");
            }
            _ => unreachable!(),
        }
    }

    // A reply quoting a business message, and an ad referral.
    let (_, sent) = sb.send_text(CUSTOMER, "Which size?").await;
    let reply = sb
        .sandbox(
            "customers/messages",
            json!({
                "phone_number_id": PN, "from": CUSTOMER, "type": "text", "text": "M",
                "context": { "id": wamid_of(&sent) },
                "referral": { "headline": "Summer sale" },
            }),
        )
        .await
        .1;
    let hook = sb.hooks.inbound(reply["id"].as_str().unwrap()).await;
    let message = &values(&hook.body, "messages")[0]["messages"][0];
    assert_eq!(message["context"]["id"], wamid_of(&sent));
    assert!(message["context"]["from"].is_string());
    assert_eq!(message["referral"]["source_type"], "ad");
    assert_eq!(message["referral"]["headline"], "Summer sale");

    let listed = sb
        .sandbox_get(&format!("customers/messages?phone_number_id={PN}"))
        .await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 19);
}

#[tokio::test]
async fn user_ids_on_messages_statuses_and_recipient_sends() {
    let sb = start(|_| {}).await;
    // The token's business owns the number before anyone writes (as after connecting).
    assert_eq!(sb.get(PN).await.0, 200);

    // A customer with a phone: `from`, `wa_id` and the business-scoped `user_id`.
    let reply = sb.customer(CUSTOMER, "text", json!("oi")).await;
    let hook = sb.hooks.inbound(reply["id"].as_str().unwrap()).await;
    let value = &values(&hook.body, "messages")[0];
    let user_id = value["contacts"][0]["user_id"].as_str().unwrap().to_owned();
    assert!(
        user_id.starts_with("BR.") && user_id.len() > 10,
        "{user_id}"
    );
    assert_eq!(value["contacts"][0]["wa_id"], CUSTOMER);
    assert_eq!(value["messages"][0]["from"], CUSTOMER);
    assert_eq!(value["messages"][0]["from_user_id"], user_id.as_str());

    // A customer with a username and no phone: no `wa_id`, no `from`.
    let (status, reply) = sb
        .sandbox(
            "customers/messages",
            json!({ "phone_number_id": PN, "username": "ana.souza", "type": "text", "text": "hello" }),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let hook = sb.hooks.inbound(reply["id"].as_str().unwrap()).await;
    let value = &values(&hook.body, "messages")[0];
    let contact = &value["contacts"][0];
    let username_id = contact["user_id"].as_str().unwrap().to_owned();
    assert!(contact.get("wa_id").is_none(), "{contact}");
    assert_eq!(contact["profile"]["username"], "@ana.souza");
    assert!(value["messages"][0].get("from").is_none(), "{value}");
    assert_eq!(value["messages"][0]["from_user_id"], username_id.as_str());
    assert_ne!(username_id, user_id);
    let (status, _) = sb
        .sandbox(
            "customers/messages",
            json!({ "phone_number_id": PN, "type": "text", "text": "who am I" }),
        )
        .await;
    assert_eq!(status, 400, "a customer has a phone or a username");

    // A send by phone: sent, delivered and read name the user; the reply keeps `wa_id`.
    let (status, sent) = sb.send_text(CUSTOMER, "Olá").await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["contacts"][0]["wa_id"], CUSTOMER);
    let statuses = sb.hooks.wait_statuses(&wamid_of(&sent), 3).await;
    assert_eq!(names(&statuses), ["sent", "delivered", "read"]);
    for s in &statuses {
        assert_eq!(s["recipient_user_id"], user_id.as_str(), "{s}");
        assert_eq!(s["recipient_id"], CUSTOMER);
    }
    let status_values: Vec<Value> = sb
        .hooks
        .all()
        .iter()
        .flat_map(|h| values(&h.body, "messages"))
        .filter(|v| v["statuses"][0]["id"] == wamid_of(&sent).as_str())
        .collect();
    for v in &status_values {
        assert_eq!(
            v["contacts"],
            json!([{ "wa_id": CUSTOMER, "user_id": user_id }]),
            "{v}"
        );
    }

    // A send by user id to the customer without a phone.
    let (status, sent) = sb
        .post(
            &format!("{PN}/messages"),
            json!({
                "messaging_product": "whatsapp", "recipient_type": "individual",
                "recipient": username_id, "type": "text", "text": { "body": "Hi Ana" },
            }),
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        sent["contacts"][0],
        json!({ "input": username_id, "user_id": username_id })
    );
    let statuses = sb.hooks.wait_statuses(&wamid_of(&sent), 3).await;
    for s in &statuses {
        assert_eq!(s["recipient_user_id"], username_id.as_str(), "{s}");
        assert!(s.get("recipient_id").is_none(), "{s}");
    }
    let (status, body) = sb
        .post(
            &format!("{PN}/messages"),
            json!({
                "messaging_product": "whatsapp", "recipient": "US.1234567890123456789",
                "type": "text", "text": { "body": "?" },
            }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), 100);

    // A failed status (window closed) carries no contacts.
    let (_, sent) = sb.send_text("5511911112222", "Nobody wrote").await;
    let failed = sb.hooks.wait_statuses(&wamid_of(&sent), 1).await;
    assert_eq!(failed[0]["status"], "failed");
    assert!(
        failed[0]["recipient_user_id"]
            .as_str()
            .is_some_and(|u| u.starts_with("BR."))
    );
    let failed_value = sb
        .hooks
        .all()
        .iter()
        .flat_map(|h| values(&h.body, "messages"))
        .find(|v| v["statuses"][0]["id"] == wamid_of(&sent).as_str())
        .unwrap();
    assert!(failed_value.get("contacts").is_none(), "{failed_value}");

    // An interactive answer names the interactive message it answers.
    let (status, asked) = sb
        .post(
            &format!("{PN}/messages"),
            json!({
                "messaging_product": "whatsapp", "to": CUSTOMER, "type": "interactive",
                "interactive": { "type": "button", "body": { "text": "Size?" }, "action": { "buttons": [
                    { "type": "reply", "reply": { "id": "m", "title": "M" } }
                ] } },
            }),
        )
        .await;
    assert_eq!(status, 200, "{asked}");
    sb.send_text(CUSTOMER, "(and a later text)").await;
    let answer = sb
        .customer(
            CUSTOMER,
            "interactive",
            json!({ "type": "button_reply", "button_reply": { "id": "m", "title": "M" } }),
        )
        .await;
    let hook = sb.hooks.inbound(answer["id"].as_str().unwrap()).await;
    let message = &values(&hook.body, "messages")[0]["messages"][0];
    assert_eq!(message["context"]["id"], wamid_of(&asked).as_str());

    // Another business sees the same person under another user id.
    let (status, other) = sb
        .sandbox("accounts", json!({ "phone_number_id": "106540352242999" }))
        .await;
    assert_eq!(status, 200, "{other}");
    let (_, reply) = sb
        .sandbox(
            "customers/messages",
            json!({ "phone_number_id": "106540352242999", "from": CUSTOMER, "type": "text", "text": "oi" }),
        )
        .await;
    let hook = sb.hooks.inbound(reply["id"].as_str().unwrap()).await;
    let other_id = &values(&hook.body, "messages")[0]["contacts"][0]["user_id"];
    assert!(other_id.is_string());
    assert_ne!(other_id, user_id.as_str());
}

#[tokio::test]
async fn an_answer_to_nothing_sent_is_refused() {
    let sb = start(|_| {}).await;
    let (status, body) = sb
        .sandbox(
            "customers/messages",
            json!({ "phone_number_id": PN, "from": "5511933334444", "type": "button",
                    "button": { "text": "Stop", "payload": "STOP" } }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn every_documented_graph_field_answers() {
    let sb = start(|_| {}).await;
    let number_fields = [
        "id",
        "display_phone_number",
        "verified_name",
        "quality_rating",
        "quality_score",
        "code_verification_status",
        "name_status",
        "new_name_status",
        "status",
        "platform_type",
        "throughput",
        "messaging_limit_tier",
        "whatsapp_business_manager_messaging_limit",
        "health_status",
        "country_code",
        "country_dial_code",
        "is_on_biz_app",
        "conversational_automation",
        "account_mode",
        "is_official_business_account",
        "is_pin_enabled",
        "is_preverified_number",
        "last_onboarded_time",
        "certificate",
        "new_certificate",
        "eligibility_for_api_business_global_search",
        "search_visibility",
        "webhook_configuration",
    ];
    let (status, number) = sb
        .get(&format!("{PN}?fields={}", number_fields.join(",")))
        .await;
    assert_eq!(status, 200, "{number}");
    for f in number_fields {
        assert!(number.get(f).is_some(), "{f} missing in {number}");
    }
    assert_eq!(number["throughput"]["level"], "STANDARD");
    assert!(number["health_status"]["can_send_message"].is_string());
    let (status, number) = sb
        .get(&format!("{PN}?fields=throughput{{level}},health_status"))
        .await;
    assert_eq!(status, 200, "{number}");

    let (_, list) = sb.get(&format!("{PN}?fields=id")).await;
    assert_eq!(list["id"], PN);
    let state = sb.sandbox_get("state").await;
    let waba = state["wabas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| {
            w["phone_numbers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["id"] == PN)
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let waba_fields = [
        "id",
        "name",
        "currency",
        "timezone_id",
        "message_template_namespace",
        "account_review_status",
        "business_verification_status",
        "owner_business_info",
        "on_behalf_of_business_info",
        "status",
        "ownership_type",
        "health_status",
        "country",
        "business_type",
        "primary_funding_id",
        "purchase_order_number",
        "is_enabled_for_insights",
        "marketing_messages_lite_api_status",
        "marketing_messages_onboarding_status",
        "whatsapp_business_manager_messaging_limit",
        "auth_international_rate_eligibility",
    ];
    let (status, body) = sb
        .get(&format!("{waba}?fields={}", waba_fields.join(",")))
        .await;
    assert_eq!(status, 200, "{body}");
    for f in waba_fields {
        assert!(body.get(f).is_some(), "{f} missing in {body}");
    }
    let entities = body["health_status"]["entities"].as_array().unwrap();
    assert!(
        entities
            .iter()
            .any(|e| e["entity_type"] == "PHONE_NUMBER" && e["id"] == PN)
    );
    let (status, body) = sb.get(&format!("{waba}?fields=no_such_field")).await;
    assert_eq!(status, 400, "an unknown field still fails: {body}");

    // Template lists count everything on request, whatever the page size.
    let (status, page) = sb
        .get(&format!(
            "{waba}/message_templates?limit=1&summary=total_count"
        ))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["summary"]["total_count"], 2, "{page}");
    assert!(
        page["paging"]["next"]
            .as_str()
            .unwrap()
            .contains("summary=total_count")
    );
    let (_, page) = sb.get(&format!("{waba}/message_templates")).await;
    assert!(page.get("summary").is_none());
    let template_fields = [
        "id",
        "name",
        "language",
        "status",
        "category",
        "components",
        "parameter_format",
        "rejected_reason",
        "quality_score",
        "previous_category",
        "sub_category",
        "correct_category",
        "cta_url_link_tracking_opted_out",
        "library_template_name",
        "message_send_ttl_seconds",
    ];
    let (status, page) = sb
        .get(&format!(
            "{waba}/message_templates?fields={}",
            template_fields.join(",")
        ))
        .await;
    assert_eq!(status, 200, "{page}");
    for f in template_fields {
        assert!(page["data"][0].get(f).is_some(), "{f} missing in {page}");
    }
}

#[tokio::test]
async fn the_resumable_upload_api_gives_a_template_example_its_handle() {
    let sb = start(|_| {}).await;
    let bytes: Vec<u8> = (0u8..10).collect();
    let (status, session) = sb
        .graph(
            reqwest::Method::POST,
            &format!("{APP_ID}/uploads?file_name=logo.png&file_length=10&file_type=image/png"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{session}");
    let id = session["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("upload:"), "{id}");
    let (status, body) = sb
        .graph(
            reqwest::Method::POST,
            "999999999/uploads?file_name=a.png&file_length=10&file_type=image/png",
            None,
        )
        .await;
    assert_ne!(status, 200, "another app's uploads: {body}");

    let upload = |offset: usize, chunk: Vec<u8>| {
        sb.http
            .post(format!("{}/v21.0/{id}", sb.base))
            .header("authorization", "OAuth EAAtest")
            .header("file_offset", offset.to_string())
            .body(chunk)
            .send()
    };
    let first: Value = upload(0, bytes[..4].to_vec())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["file_offset"], 4, "{first}");
    let (status, resume) = sb.get(&id).await;
    assert_eq!(status, 200);
    assert_eq!(resume["file_offset"], 4);
    let wrong = upload(0, bytes.clone()).await.unwrap();
    assert_eq!(wrong.status(), 400);
    let done: Value = upload(4, bytes[4..].to_vec())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let handle = done["h"].as_str().unwrap().to_owned();
    assert!(!handle.is_empty(), "{done}");
    let too_much = upload(10, vec![1]).await.unwrap();
    assert_eq!(too_much.status(), 400);

    // The handle is the media header's example of a new template.
    let (_, number) = sb.get(&format!("{PN}?fields=id")).await;
    assert_eq!(number["id"], PN);
    let state = sb.sandbox_get("state").await;
    let waba = state["wabas"][0]["id"].as_str().unwrap().to_owned();
    let (status, created) = sb
        .post(
            &format!("{waba}/message_templates"),
            json!({
                "name": "with_logo", "language": "en_US", "category": "MARKETING",
                "components": [
                    { "type": "HEADER", "format": "IMAGE", "example": { "header_handle": [handle] } },
                    { "type": "BODY", "text": "Our new logo" },
                ],
            }),
        )
        .await;
    assert_eq!(status, 200, "{created}");
}

#[tokio::test]
async fn demo_numbers_are_valid_phone_numbers() {
    let sb = start(|_| {}).await;
    for _ in 0..3 {
        let (status, account) = sb.sandbox("accounts", json!({})).await;
        assert_eq!(status, 200, "{account}");
        let display = account["display_phone_number"].as_str().unwrap();
        let parsed = phonenumber::parse(None, display).unwrap();
        assert!(
            phonenumber::is_valid(&parsed),
            "{display} is not a valid number"
        );
    }
}

#[tokio::test]
async fn the_sandbox_api_needs_its_secret_when_one_is_set() {
    let sb = start(|c| c.api_secret = Some("s3cret".to_owned())).await;
    let state = format!("{}/sandbox/state", sb.base);
    let without = sb.http.get(&state).send().await.unwrap();
    assert_eq!(without.status(), 401);
    let wrong = sb
        .http
        .get(&state)
        .header(wagent_sandbox::SECRET_HEADER, "guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let written = sb
        .http
        .post(format!("{}/sandbox/customers/messages", sb.base))
        .json(&json!({ "phone_number_id": PN, "from": CUSTOMER, "type": "text", "text": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(written.status(), 401);
    assert!(sb.hooks.all().is_empty(), "nothing was written in");
    let with = sb
        .http
        .get(&state)
        .header(wagent_sandbox::SECRET_HEADER, "s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), 200);
    // Graph is Meta's side: its own Bearer token, not the secret.
    assert_eq!(sb.get(PN).await.0, 200);
}

#[tokio::test]
async fn non_ascii_is_escaped_and_signed_over_the_raw_body() {
    let sb = start(|_| {}).await;
    let reply = sb
        .sandbox(
            "customers/messages",
            json!({
                "phone_number_id": PN, "from": CUSTOMER, "name": "João Estêvão ã",
                "type": "text", "text": { "body": "Olá 😀" },
            }),
        )
        .await
        .1;
    let hook = sb.hooks.inbound(reply["id"].as_str().unwrap()).await;
    assert!(hook.signed);
    assert!(
        hook.raw.contains(r"Jo\u00e3o Est\u00eav\u00e3o \u00e3"),
        "{}",
        hook.raw
    );
    assert!(hook.raw.contains(r"Ol\u00e1 \ud83d\ude00"), "{}", hook.raw);
    assert!(hook.raw.is_ascii());
    let value = &values(&hook.body, "messages")[0];
    assert_eq!(value["contacts"][0]["profile"]["name"], "João Estêvão ã");
    // Re-serialising would break the signature: it covers the escaped bytes.
    let reserialised = serde_json::to_string(&hook.body).unwrap();
    assert_ne!(
        expected_signature(reserialised.as_bytes()),
        expected_signature(hook.raw.as_bytes())
    );
}

#[tokio::test]
async fn chaos_duplicates_and_reorders_statuses() {
    let sb = start(|_| {}).await;
    sb.customer(CUSTOMER, "text", json!("hi")).await;

    sb.handle.set_chaos(Chaos {
        duplicate_rate: 1.0,
        ..Chaos::default()
    });
    let (_, reply) = sb.send_text(CUSTOMER, "one").await;
    let statuses = sb.hooks.wait_statuses(&wamid_of(&reply), 6).await;
    assert_eq!(
        names(&statuses),
        ["sent", "sent", "delivered", "delivered", "read", "read"]
    );

    sb.handle.set_chaos(Chaos {
        reorder: true,
        ..Chaos::default()
    });
    let (_, reply) = sb.send_text(CUSTOMER, "two").await;
    let statuses = sb.hooks.wait_statuses(&wamid_of(&reply), 3).await;
    assert_eq!(names(&statuses), ["sent", "read", "delivered"]);

    // The same through the sandbox API: every message fails after `sent`.
    let (status, _) = sb
        .sandbox(
            "config",
            json!({ "chaos": { "reorder": false, "fail_rate": 1.0 } }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, reply) = sb.send_text(CUSTOMER, "three").await;
    let statuses = sb.hooks.wait_statuses(&wamid_of(&reply), 2).await;
    assert_eq!(names(&statuses), ["sent", "failed"]);
    assert_eq!(statuses[1]["errors"][0]["code"], 131026);

    let (status, body) = sb
        .sandbox("config", json!({ "chaos": { "drop_rate": 2.0 } }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(sb.hooks.all().iter().all(|h| h.signed));
}

#[tokio::test]
async fn reactions_get_only_sent_and_bad_targets_fail() {
    let sb = start(|_| {}).await;
    let inbound = sb.customer(CUSTOMER, "text", json!("hi")).await;
    let react = |target: &str| {
        json!({ "messaging_product": "whatsapp", "to": CUSTOMER, "type": "reaction",
                "reaction": { "message_id": target, "emoji": "❤️" } })
    };
    let (status, reply) = sb
        .post(
            &format!("{PN}/messages"),
            react(inbound["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let wamid = wamid_of(&reply);
    sb.hooks.wait_statuses(&wamid, 1).await;
    // A text sent after the reaction is read later than the reaction would have been
    // delivered: once its `read` is in, no `delivered` is coming for the reaction.
    let (_, later) = sb.send_text(CUSTOMER, "after the reaction").await;
    sb.hooks.wait_statuses(&wamid_of(&later), 3).await;
    assert_eq!(names(&sb.hooks.statuses(&wamid)), ["sent"]);

    let (_, reply) = sb
        .post(&format!("{PN}/messages"), react("wamid.unknown"))
        .await;
    let statuses = sb.hooks.wait_statuses(&wamid_of(&reply), 1).await;
    assert_eq!(statuses[0]["errors"][0]["code"], 131009);
}

#[tokio::test]
async fn numbers_accounts_profiles_and_quality() {
    let sb = start(|_| {}).await;
    let (status, number) = sb
        .get(&format!("{PN}?fields=id,display_phone_number,quality_rating,throughput,messaging_limit_tier,status,verified_name"))
        .await;
    assert_eq!(status, 200, "{number}");
    assert_eq!(number["id"], PN);
    assert!(
        number["display_phone_number"]
            .as_str()
            .unwrap()
            .starts_with("+1 201-555-01")
    );
    assert_eq!(number["verified_name"], "Sandbox Business");
    assert_eq!(number["quality_rating"], "GREEN");
    assert_eq!(number["status"], "CONNECTED");
    assert_eq!(number["throughput"]["level"], "STANDARD");
    assert_eq!(number["messaging_limit_tier"], "TIER_1K");
    let (status, body) = sb.get(&format!("{PN}?fields=no_such_field")).await;
    assert_eq!((status, error_code(&body)), (400, 100));

    // An account made through the sandbox API, and its numbers through Graph.
    let (status, account) = sb
        .sandbox(
            "accounts",
            json!({ "waba_id": "555000111222333", "phone_number_id": "555000111222444" }),
        )
        .await;
    assert_eq!(status, 200, "{account}");
    let (_, numbers) = sb.get("555000111222333/phone_numbers").await;
    assert_eq!(numbers["data"][0]["id"], "555000111222444");
    let (_, waba) = sb.get("555000111222333").await;
    assert_eq!(waba["id"], "555000111222333");
    assert!(waba["message_template_namespace"].is_string());

    // Subscriptions, with the override URL checked by the handshake.
    let waba_path = "555000111222333/subscribed_apps";
    let (status, body) = sb
        .post(
            waba_path,
            json!({ "override_callback_uri": sb.hook_url, "verify_token": "wrong" }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, 2200));
    let (status, _) = sb
        .post(
            waba_path,
            json!({ "override_callback_uri": sb.hook_url, "verify_token": "verify-me" }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, subs) = sb.get(waba_path).await;
    assert_eq!(subs["data"][0]["whatsapp_business_api_data"]["id"], APP_ID);
    assert_eq!(
        subs["data"][0]["override_callback_uri"],
        sb.hook_url.as_str()
    );
    let r = sb
        .http
        .delete(format!("{}/v21.0/{waba_path}", sb.base))
        .bearer_auth("EAAtest")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, subs) = sb.get(waba_path).await;
    assert_eq!(subs["data"], json!([]));

    // Business profile.
    let profile = format!("{PN}/whatsapp_business_profile");
    let (status, body) = sb.post(&profile, json!({ "about": "x" })).await;
    assert_eq!(
        (status, error_code(&body)),
        (400, 100),
        "messaging_product is required"
    );
    let (status, body) = sb
        .post(
            &profile,
            json!({ "messaging_product": "whatsapp", "about": "a".repeat(140) }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, 100));
    let (status, _) = sb
        .post(
            &profile,
            json!({ "messaging_product": "whatsapp", "about": "We sell shoes", "vertical": "RETAIL",
                    "websites": ["https://example.com"] }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, got) = sb.get(&profile).await;
    assert_eq!(got["data"][0]["about"], "We sell shoes");
    assert_eq!(got["data"][0]["vertical"], "RETAIL");

    // Quality update webhook.
    let (status, _) = sb
        .sandbox(
            &format!("phone-numbers/{PN}/quality"),
            json!({ "quality_rating": "YELLOW", "event": "FLAGGED" }),
        )
        .await;
    assert_eq!(status, 200);
    let hooks = sb
        .hooks
        .wait_for("quality update", |h| {
            h.iter()
                .any(|h| !values(&h.body, "phone_number_quality_update").is_empty())
        })
        .await;
    let update = hooks
        .iter()
        .find_map(|h| {
            values(&h.body, "phone_number_quality_update")
                .first()
                .cloned()
        })
        .unwrap();
    assert_eq!(update["event"], "FLAGGED");
    assert_eq!(update["current_limit"], "TIER_1K");
    assert!(update.get("phone_number_id").is_none());
    let (_, number) = sb.get(&format!("{PN}?fields=quality_rating")).await;
    assert_eq!(number["quality_rating"], "YELLOW");

    let state = sb.sandbox_get("state").await;
    assert!(state["wabas"].as_array().unwrap().len() >= 2);
    assert_eq!(state["config"]["app_id"], APP_ID);
    assert!(state["config"].get("app_secret").is_none());
}

#[tokio::test]
async fn mounted_under_a_prefix_the_media_url_keeps_it() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sandbox = Sandbox::new(SandboxConfig::new(APP_ID, SECRET, None));
    let addr = serve(Route::new().nest("/meta", sandbox.endpoint())).await;
    let base = format!("http://{addr}/meta");
    let http = reqwest::Client::new();
    let reply: Value = http
        .post(format!("{base}/sandbox/customers/messages"))
        .json(&json!({ "phone_number_id": PN, "from": CUSTOMER, "type": "image" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media = reply["media_id"].as_str().unwrap();
    let info: Value = http
        .get(format!("{base}/v21.0/{media}"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = info["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{base}/sandbox/media/")), "{url}");
    let r = http.get(url).bearer_auth("t").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let png = r.bytes().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));

    // With no webhook_url the webhook is logged, not sent.
    let log: Value = http
        .get(format!("{base}/sandbox/webhooks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log["data"][0]["outcome"], "not sent: no webhook_url");
    assert_eq!(
        log["data"][0]["body"]["entry"][0]["changes"][0]["field"],
        "messages"
    );
}

#[tokio::test]
async fn serve_binds_port_zero_and_webhooks_are_retried() {
    // A receiver that refuses the first two deliveries.
    let seen = Arc::new(Mutex::new(0u32));
    let counter = seen.clone();
    let flaky = poem::endpoint::make(move |_req| {
        let counter = counter.clone();
        async move {
            let mut n = counter.lock().unwrap();
            *n += 1;
            if *n <= 2 {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::OK
            }
        }
    });
    let receiver = serve(Route::new().at("/hook", flaky)).await;
    let mut config = SandboxConfig::new(APP_ID, SECRET, Some(&format!("http://{receiver}/hook")));
    config.status_delays = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let addr = Sandbox::serve(config, "127.0.0.1:0".parse().unwrap(), async {
        let _ = stopped.await;
    })
    .await
    .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let r = http
        .post(format!("http://{addr}/sandbox/customers/messages"))
        .json(&json!({ "phone_number_id": PN, "from": CUSTOMER, "type": "text", "text": "hi" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for _ in 0..100 {
        if *seen.lock().unwrap() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(*seen.lock().unwrap(), 3, "two failures, then delivered");
    let log: Value = http
        .get(format!("http://{addr}/sandbox/webhooks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log["data"][0]["outcome"], "delivered");
    assert_eq!(log["data"][0]["attempts"], 3);

    stop.send(()).unwrap();
    // It stops listening.
    let stopping = Instant::now();
    while reqwest::Client::new()
        .get(format!("http://{addr}/sandbox/state"))
        .send()
        .await
        .is_ok()
    {
        assert!(
            stopping.elapsed() < Duration::from_secs(5),
            "the sandbox kept answering after its shutdown signal"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// ---- ids made up on first sight belong to the token's business -----------------------

/// What WAgent's connect does: the number, then the WABA's numbers, with one token.
async fn connect(sb: &Sb, token: &str, waba: &str, pn: &str) -> Vec<String> {
    let (status, number) = sb
        .get_as(
            token,
            &format!("{pn}?fields=id,display_phone_number,verified_name,quality_rating,status"),
        )
        .await;
    assert_eq!(status, 200, "{number}");
    assert_eq!(number["id"], pn);
    sb.numbers_as(token, waba).await
}

/// The `entry.id` of the first webhook with this field that `matches`.
async fn entry_of(sb: &Sb, field: &str, matches: impl Fn(&Value) -> bool) -> String {
    let find = |hooks: &[Hook]| {
        hooks.iter().find_map(|h| {
            values(&h.body, field)
                .iter()
                .any(&matches)
                .then(|| h.body["entry"][0]["id"].as_str().unwrap().to_owned())
        })
    };
    let hooks = sb.hooks.wait_for(field, |h| find(h).is_some()).await;
    find(&hooks).unwrap()
}

#[tokio::test]
async fn a_number_then_its_waba_belong_together_and_webhooks_say_so() {
    let sb = start(|_| {}).await;
    let (token, waba, pn) = ("EAAbusiness1", "300000000000001", "300000000000002");
    assert_eq!(
        connect(&sb, token, waba, pn).await,
        [pn],
        "the number moved in, alone"
    );

    // The number waited in a placeholder WABA, which is gone now.
    let state = sb.sandbox_get("state").await;
    let wabas = state["wabas"].as_array().unwrap();
    assert_eq!(wabas.len(), 1, "{state:#}");
    assert_eq!(wabas[0]["id"], waba);
    assert_eq!(wabas[0]["phone_numbers"][0]["provisional"], false);
    assert_eq!(state["businesses"].as_array().unwrap().len(), 1);

    // Seeded templates; the number starts registered and sends from this WABA.
    let (_, templates) = sb
        .get_as(token, &format!("{waba}/message_templates?fields=name,id"))
        .await;
    let names: Vec<&str> = templates["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"hello_world") && names.contains(&"order_update"),
        "{names:?}"
    );
    let (status, reply) = sb
        .post(
            &format!("{pn}/messages"),
            json!({
                "messaging_product": "whatsapp", "to": CUSTOMER, "type": "template",
                "template": { "name": "hello_world", "language": { "code": "en_US" } },
            }),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let wamid = wamid_of(&reply);
    let entry = entry_of(&sb, "messages", |v| {
        v["statuses"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["id"] == wamid.as_str()))
    })
    .await;
    assert_eq!(entry, waba);

    // Account-level webhooks are routed by this WABA.
    let (status, _) = sb
        .sandbox(
            &format!("phone-numbers/{pn}/quality"),
            json!({ "quality_rating": "YELLOW" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        entry_of(&sb, "phone_number_quality_update", |_| true).await,
        waba
    );
    let hello = templates["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "hello_world")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = sb
        .sandbox(
            &format!("templates/{hello}/status"),
            json!({ "status": "PAUSED" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        entry_of(&sb, "message_template_status_update", |v| {
            v["message_template_name"] == "hello_world"
        })
        .await,
        waba
    );

    // Settled: another WABA the token names later does not take it.
    let other = "300000000000003";
    assert!(!sb.numbers_as(token, other).await.contains(&pn.to_owned()));
    assert_eq!(sb.numbers_as(token, waba).await, [pn]);
    // A second connect with the same token and new ids works too.
    let (waba2, pn2) = ("300000000000004", "300000000000005");
    assert_eq!(connect(&sb, token, waba2, pn2).await, [pn2]);
    assert_eq!(sb.numbers_as(token, waba).await, [pn]);
    assert_eq!(
        sb.owner_of(token, waba).await,
        sb.owner_of(token, waba2).await
    );
}

#[tokio::test]
async fn a_waba_then_a_number_belong_together() {
    let sb = start(|_| {}).await;
    let (token, waba, pn) = ("EAAbusiness2", "310000000000001", "310000000000002");
    // A WABA seen first has a number of its own, so that it can be used at once.
    let first = sb.numbers_as(token, waba).await;
    assert_eq!(first.len(), 1);
    assert_eq!(connect(&sb, token, waba, pn).await.len(), 2);
    assert!(sb.numbers_as(token, waba).await.contains(&pn.to_owned()));

    // Its webhooks carry the WABA.
    let (status, _) = sb
        .sandbox(
            &format!("phone-numbers/{pn}/quality"),
            json!({ "quality_rating": "RED", "event": "FLAGGED" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        entry_of(&sb, "phone_number_quality_update", |_| true).await,
        waba
    );

    // A number a customer wrote to first (no token) joins the token's WABA when asked.
    let written = "310000000000003";
    let (status, reply) = sb
        .sandbox(
            "customers/messages",
            json!({ "phone_number_id": written, "from": CUSTOMER, "type": "text",
                    "text": { "body": "hi" } }),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    assert!(
        connect(&sb, token, waba, written)
            .await
            .contains(&written.to_owned())
    );
    // Its own placeholder WABA and business went with the move.
    let state = sb.sandbox_get("state").await;
    assert_eq!(state["wabas"].as_array().unwrap().len(), 1, "{state:#}");
    assert_eq!(state["businesses"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn different_tokens_are_different_businesses() {
    let sb = start(|_| {}).await;
    let (t1, waba1, pn1) = ("EAAfirst", "320000000000001", "320000000000002");
    let (t2, waba2, pn2) = ("EAAsecond", "320000000000003", "320000000000004");
    // Interleaved, as two users connecting at once.
    assert_eq!(sb.get_as(t1, pn1).await.0, 200);
    assert_eq!(sb.get_as(t2, pn2).await.0, 200);
    assert_eq!(sb.numbers_as(t2, waba2).await, [pn2]);
    assert_eq!(sb.numbers_as(t1, waba1).await, [pn1]);
    assert_ne!(sb.owner_of(t1, waba1).await, sb.owner_of(t2, waba2).await);

    // Another token's WABA never takes a number, nor does an explicit account.
    let pn3 = "320000000000005";
    assert_eq!(sb.get_as(t2, pn3).await.0, 200);
    assert_eq!(sb.numbers_as(t2, waba1).await, [pn1]);
    let (status, account) = sb
        .sandbox(
            "accounts",
            json!({ "waba_id": "320000000000006", "phone_number_id": "320000000000007" }),
        )
        .await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(
        sb.numbers_as(t2, "320000000000006").await,
        ["320000000000007"]
    );
    // ... and an explicit number is never moved into a made-up WABA.
    assert_eq!(sb.get_as(t2, "320000000000007").await.0, 200);
    assert_eq!(sb.numbers_as(t2, waba2).await, [pn2, pn3]);
    assert_eq!(
        sb.numbers_as(t2, "320000000000006").await,
        ["320000000000007"]
    );
}
