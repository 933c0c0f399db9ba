//! The sandbox-only API under `/sandbox/`: JSON, behind a shared secret when one is
//! configured. WAgent's proxy for the SPA's customer-phone panel, and the tests, drive the
//! sandbox through it.

use std::{collections::HashMap, sync::Arc, time::Instant};

use chrono::{DateTime, Utc};
use poem::{
    Body, IntoResponse, Request, Response, Route, get, handler,
    http::{StatusCode, header},
    post,
    web::{Data, Path, Query},
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    Inner,
    config::ConfigPatch,
    customers,
    error::{GraphError, json_response},
    faults::{Answer, Fault, MAX_FAULTS},
    state::{SignupCode, random_token},
};

/// An error of the sandbox API: `{"error":{"message"}}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(
            self.status,
            &json!({ "error": { "message": self.message } }),
        )
    }
}

type Reply = Result<Value, ApiError>;

fn reply(r: Reply) -> Response {
    match r {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => e.into_response(),
    }
}

pub(crate) fn routes() -> Route {
    Route::new()
        .at(
            "/customers/messages",
            post(customer_writes).get(customer_messages),
        )
        .at("/customers/preferences", post(customer_preference))
        .at("/customers/window", post(set_window))
        .at("/messages", get(sent_messages))
        .at("/state", get(summary))
        .at("/webhooks", get(webhooks))
        .at("/config", get(get_config).post(set_config))
        .at("/accounts", post(create_account))
        .at("/embedded-signup", post(embedded_signup))
        .at("/phone-numbers/:pn/quality", post(quality))
        .at("/templates/:id/status", post(template_status))
        .at(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
}

/// Refuses a sandbox API call without the configured shared secret (401), before reading
/// anything else of the request.
pub(crate) async fn require_secret(req: poem::Request) -> poem::Result<poem::Request> {
    let expected = req
        .data::<Arc<Inner>>()
        .and_then(|inner| inner.lock().config.api_secret.clone());
    let Some(expected) = expected else {
        return Ok(req);
    };
    let given = req
        .headers()
        .get(crate::SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    // Digests compared, so the time taken says nothing about the secret.
    if Sha256::digest(given) == Sha256::digest(expected.as_bytes()) {
        Ok(req)
    } else {
        Err(poem::Error::from_response(
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                format!(
                    "the sandbox API needs its shared secret in {}",
                    crate::SECRET_HEADER
                ),
            )
            .into_response(),
        ))
    }
}

async fn json_body(body: Body) -> Result<Value, ApiError> {
    let bytes = body
        .into_bytes()
        .await
        .map_err(|e| ApiError::bad(format!("cannot read the body: {e}")))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(ApiError::bad("the body must be a JSON object")),
        Err(e) => Err(ApiError::bad(format!("the body is not JSON: {e}"))),
    }
}

fn text<'a>(body: &'a Value, key: &str) -> Result<&'a str, ApiError> {
    body[key]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad(format!("{key} is required")))
}

/// `POST /sandbox/customers/messages`: a simulated customer writes in.
#[handler]
async fn customer_writes(inner: Data<&Arc<Inner>>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        customers::write_in(&inner, &body)
    };
    reply(r.await)
}

/// `POST /sandbox/customers/preferences`: a customer stops or resumes marketing messages.
#[handler]
async fn customer_preference(inner: Data<&Arc<Inner>>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        customers::set_preference(&inner, &body)
    };
    reply(r.await)
}

/// `GET /sandbox/customers/messages?phone_number_id=&from=`: what customers wrote.
#[handler]
fn customer_messages(inner: Data<&Arc<Inner>>, q: Query<HashMap<String, String>>) -> Response {
    let state = inner.lock();
    let mut list: Vec<_> = state
        .inbound
        .values()
        .filter(|m| {
            q.get("phone_number_id")
                .is_none_or(|p| *p == m.phone_number_id)
        })
        .filter(|m| q.get("from").is_none_or(|f| *f == m.from))
        .collect();
    list.sort_by_key(|m| m.seq);
    let data: Vec<Value> = list.iter().map(|m| m.to_json()).collect();
    reply(Ok(json!({ "data": data })))
}

/// `POST /sandbox/customers/window {phone_number_id, wa_id | user_id, last_message_at: unix|null}`:
/// backdates, opens or closes a customer-service window.
#[handler]
async fn set_window(inner: Data<&Arc<Inner>>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        let pn = text(&body, "phone_number_id")?.to_owned();
        // A customer without a phone is known by their user id.
        let wa_id = match text(&body, "user_id") {
            Ok(user_id) if body["wa_id"].is_null() => user_id.to_owned(),
            _ => crate::state::digits(text(&body, "wa_id")?),
        };
        let at = match &body["last_message_at"] {
            Value::Null => None,
            v => Some(
                v.as_i64()
                    .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
                    .ok_or_else(|| ApiError::bad("last_message_at is a unix time or null"))?,
            ),
        };
        let mut state = inner.lock();
        if state.number(&pn, None).is_none() {
            return Err(ApiError::not_found(format!("no phone number {pn}")));
        }
        let key = (pn, wa_id);
        match at {
            Some(at) => state.windows.insert(key, at),
            None => state.windows.remove(&key),
        };
        let open = at.is_some_and(|at| Utc::now() - at < chrono::TimeDelta::hours(24));
        Ok(json!({ "open": open }))
    };
    reply(r.await)
}

/// `GET /sandbox/messages?phone_number_id=&to=`: what the business sent, oldest first.
#[handler]
fn sent_messages(inner: Data<&Arc<Inner>>, q: Query<HashMap<String, String>>) -> Response {
    let state = inner.lock();
    let mut list: Vec<_> = state
        .sent
        .values()
        .filter(|m| {
            q.get("phone_number_id")
                .is_none_or(|p| *p == m.phone_number_id)
        })
        .filter(|m| q.get("to").is_none_or(|t| *t == m.to))
        .collect();
    list.sort_by_key(|m| m.seq);
    let data: Vec<Value> = list.iter().map(|m| m.to_json()).collect();
    reply(Ok(json!({ "data": data })))
}

/// `GET /sandbox/state`: accounts, numbers, templates, windows and counts.
#[handler]
fn summary(inner: Data<&Arc<Inner>>) -> Response {
    let state = inner.lock();
    let mut wabas: Vec<Value> = state
        .wabas
        .values()
        .map(|w| {
            let numbers: Vec<Value> = state
                .numbers_of(&w.id)
                .into_iter()
                .map(|n| {
                    let mut v = Value::Object(n.fields());
                    v["registered"] = json!(n.registered);
                    v["provisional"] = json!(n.provisional);
                    v
                })
                .collect();
            let templates: Vec<Value> = w
                .templates
                .iter()
                .map(|t| {
                    json!({
                        "id": t.id, "name": t.name, "language": t.language,
                        "status": t.status, "category": t.category,
                    })
                })
                .collect();
            json!({
                "id": w.id,
                "name": w.name,
                "business_id": w.business_id,
                "auto_created": w.auto,
                "placeholder": w.placeholder,
                "subscribed": w.subscription.is_some(),
                "override_callback_uri": w.subscription.as_ref().and_then(|s| s.override_callback_uri.clone()),
                "phone_numbers": numbers,
                "templates": templates,
            })
        })
        .collect();
    wabas.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let now = Utc::now();
    let windows: Vec<Value> = state
        .windows
        .iter()
        .map(|((pn, wa_id), at)| {
            json!({
                "phone_number_id": pn,
                "wa_id": wa_id,
                "last_message_at": at.timestamp(),
                "open": now - *at < chrono::TimeDelta::hours(24),
            })
        })
        .collect();
    let mut businesses: Vec<Value> = state
        .businesses
        .values()
        .map(|b| json!({ "id": b.id, "name": b.name }))
        .collect();
    businesses.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    reply(Ok(json!({
        "config": state.config.to_json(),
        "businesses": businesses,
        "wabas": wabas,
        "windows": windows,
        "counts": {
            "sent_messages": state.sent.len(),
            "customer_messages": state.inbound.len(),
            "media": state.media.len(),
            "webhooks": state.webhook_log.len(),
            "tokens": state.tokens.len(),
            "throttled_sends": state.throttled,
        },
    })))
}

/// `GET /sandbox/webhooks?limit=`: the latest webhooks and what became of them.
#[handler]
fn webhooks(inner: Data<&Arc<Inner>>, q: Query<HashMap<String, String>>) -> Response {
    let limit = q
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(100);
    let state = inner.lock();
    let data: Vec<Value> = state
        .webhook_log
        .iter()
        .rev()
        .take(limit)
        .map(|w| w.to_json())
        .collect();
    reply(Ok(json!({ "data": data })))
}

#[handler]
fn get_config(inner: Data<&Arc<Inner>>) -> Response {
    reply(Ok(inner.lock().config.to_json()))
}

/// `POST /sandbox/config`: changes chaos, delays and limits at run time.
#[handler]
async fn set_config(inner: Data<&Arc<Inner>>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        let patch: ConfigPatch =
            serde_json::from_value(body).map_err(|e| ApiError::bad(format!("bad config: {e}")))?;
        let mut state = inner.lock();
        let mut config = state.config.clone();
        config.apply(patch).map_err(ApiError::bad)?;
        state.config = config;
        Ok(state.config.to_json())
    };
    reply(r.await)
}

/// `POST /sandbox/accounts {waba_id?, phone_number_id?, business_name?, registered?}`:
/// a WABA with a number (or another number in an existing WABA), ids chosen or made up.
#[handler]
async fn create_account(inner: Data<&Arc<Inner>>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        let waba_id = body["waba_id"].as_str().map(str::to_owned);
        let pn_id = body["phone_number_id"].as_str().map(str::to_owned);
        let name = body["business_name"].as_str().map(str::to_owned);
        let registered = body["registered"].as_bool().unwrap_or(true);
        let mut state = inner.lock();
        if let Some(pn) = &pn_id
            && (state.numbers.contains_key(pn) || state.wabas.contains_key(pn))
        {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("{pn} already exists"),
            ));
        }
        let (business_id, waba_id, pn_id) = match waba_id {
            Some(w) if state.wabas.contains_key(&w) => {
                let pn = pn_id.unwrap_or_else(crate::state::graph_id);
                let (business, waba_name) = state
                    .wabas
                    .get_mut(&w)
                    .map(|w| {
                        // Named now: a placeholder WABA stays even when emptied.
                        w.placeholder = false;
                        (w.business_id.clone(), w.name.clone())
                    })
                    .unwrap_or_default();
                state.insert_number(&pn, &w, &name.unwrap_or(waba_name), registered);
                (business, w, pn)
            }
            Some(w) if state.numbers.contains_key(&w) => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("{w} is a phone number"),
                ));
            }
            w => state.create_account(w, pn_id, name, registered),
        };
        let display = state
            .numbers
            .get(&pn_id)
            .map(|n| n.display_phone_number.clone());
        Ok(json!({
            "business_id": business_id,
            "waba_id": waba_id,
            "phone_number_id": pn_id,
            "display_phone_number": display,
        }))
    };
    reply(r.await)
}

/// `POST /sandbox/embedded-signup {business_name?}`: what the Facebook popup does. A new
/// business, WABA and (unregistered) number, and a code good for 30 s.
#[handler]
async fn embedded_signup(inner: Data<&Arc<Inner>>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        let name = body["business_name"].as_str().map(str::to_owned);
        let mut state = inner.lock();
        let (business_id, waba_id, pn_id) = state.create_account(None, None, name, false);
        let code = format!("AQ{}", random_token(120));
        state.signup_codes.insert(
            code.clone(),
            SignupCode {
                issued: Instant::now(),
                used: false,
                business_id: business_id.clone(),
                waba_id: waba_id.clone(),
            },
        );
        state
            .signup_codes
            .retain(|_, c| c.issued.elapsed() < std::time::Duration::from_secs(3600));
        Ok(json!({
            "code": code,
            "waba_id": waba_id,
            "phone_number_id": pn_id,
            "business_id": business_id,
        }))
    };
    reply(r.await)
}

const QUALITY_EVENTS: &[&str] = &[
    "FLAGGED",
    "UNFLAGGED",
    "UPGRADE",
    "DOWNGRADE",
    "ONBOARDING",
    "THROUGHPUT_UPGRADE",
];
const LIMITS: &[&str] = &[
    "TIER_50",
    "TIER_250",
    "TIER_1K",
    "TIER_2K",
    "TIER_10K",
    "TIER_100K",
    "TIER_UNLIMITED",
];

/// `POST /sandbox/phone-numbers/{pn}/quality {event?, quality_rating?, current_limit?}`:
/// changes a number's quality or limit and sends `phone_number_quality_update`.
#[handler]
async fn quality(inner: Data<&Arc<Inner>>, Path(pn): Path<String>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        let rating = body["quality_rating"].as_str();
        if let Some(r) = rating
            && !["GREEN", "YELLOW", "RED", "UNKNOWN"].contains(&r)
        {
            return Err(ApiError::bad(
                "quality_rating is GREEN, YELLOW, RED or UNKNOWN",
            ));
        }
        let default_event = match rating {
            Some("GREEN") => "UNFLAGGED",
            _ => "FLAGGED",
        };
        let event = body["event"].as_str().unwrap_or(default_event);
        if !QUALITY_EVENTS.contains(&event) {
            return Err(ApiError::bad(format!(
                "event is one of {}",
                QUALITY_EVENTS.join(", ")
            )));
        }
        let limit = body["current_limit"].as_str();
        if let Some(l) = limit
            && !LIMITS.contains(&l)
        {
            return Err(ApiError::bad(format!(
                "current_limit is one of {}",
                LIMITS.join(", ")
            )));
        }
        let (waba_id, value, fields) = {
            let mut state = inner.lock();
            let number = state
                .number(&pn, None)
                .ok_or_else(|| ApiError::not_found(format!("no phone number {pn}")))?;
            if let Some(r) = rating {
                number.quality_rating = r.to_owned();
            }
            if let Some(l) = limit {
                number.messaging_limit_tier = l.to_owned();
            }
            match event {
                "THROUGHPUT_UPGRADE" => number.throughput_level = "HIGH".to_owned(),
                "UPGRADE" if limit.is_none() => {
                    number.messaging_limit_tier = next_tier(&number.messaging_limit_tier, 1)
                }
                "DOWNGRADE" if limit.is_none() => {
                    number.messaging_limit_tier = next_tier(&number.messaging_limit_tier, -1)
                }
                _ => {}
            }
            let value = json!({
                "display_phone_number": number.display_digits(),
                "event": event,
                "current_limit": number.messaging_limit_tier,
            });
            (number.waba_id.clone(), value, number.fields())
        };
        inner.emit(&waba_id, "phone_number_quality_update", value);
        Ok(Value::Object(fields))
    };
    reply(r.await)
}

fn next_tier(current: &str, step: isize) -> String {
    let tiers = [
        "TIER_250",
        "TIER_1K",
        "TIER_10K",
        "TIER_100K",
        "TIER_UNLIMITED",
    ];
    let at = tiers.iter().position(|t| *t == current).unwrap_or(1);
    let next = at.saturating_add_signed(step).min(tiers.len() - 1);
    tiers[next].to_owned()
}

const TEMPLATE_STATUSES: &[&str] = &[
    "APPROVED",
    "PENDING",
    "REJECTED",
    "PAUSED",
    "DISABLED",
    "IN_APPEAL",
    "PENDING_DELETION",
    "DELETED",
    "FLAGGED",
    "REINSTATED",
    "LIMIT_EXCEEDED",
    "ARCHIVED",
    "UNARCHIVED",
    "LOCKED",
];

/// `POST /sandbox/templates/{id}/status {status, reason?}`: Meta's review or quality system
/// acting on a template; sends `message_template_status_update`.
#[handler]
async fn template_status(inner: Data<&Arc<Inner>>, Path(id): Path<String>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        let status = text(&body, "status")?.to_ascii_uppercase();
        if !TEMPLATE_STATUSES.contains(&status.as_str()) {
            return Err(ApiError::bad(format!(
                "status is one of {}",
                TEMPLATE_STATUSES.join(", ")
            )));
        }
        let default_reason = if status == "REJECTED" {
            "INVALID_FORMAT"
        } else {
            "NONE"
        };
        let reason = body["reason"].as_str().unwrap_or(default_reason).to_owned();
        let (waba_id, value, template) = {
            let mut state = inner.lock();
            let template = state
                .find_template_mut(&id)
                .ok_or_else(|| ApiError::not_found(format!("no template {id}")))?;
            template.status = status.clone();
            if status == "REJECTED" {
                template.rejected_reason = reason.clone();
            }
            let mut value = template.status_update(&status, &reason);
            if status == "PAUSED" {
                value["other_info"] = json!({
                    "title": "FIRST_PAUSE",
                    "description": "Your template has been paused for 3 hours due to low quality.",
                });
            }
            let shown = template.to_json(None).map_err(|e| ApiError::bad(e.title))?;
            (template.waba_id.clone(), value, shown)
        };
        inner.emit(&waba_id, "message_template_status_update", value);
        Ok(template)
    };
    reply(r.await)
}

/// `GET /sandbox/media/{id}?token=` with a Bearer token: the bytes behind a media URL.
#[handler]
pub(crate) fn download(
    inner: Data<&Arc<Inner>>,
    req: &Request,
    Path(id): Path<String>,
    q: Query<HashMap<String, String>>,
) -> Response {
    let authorised = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| {
            scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()
        });
    if !authorised {
        return GraphError::unauthenticated("Media downloads need the Bearer token.")
            .into_response();
    }
    let state = inner.lock();
    let valid = q
        .get("token")
        .and_then(|t| state.media_urls.get(t))
        .is_some_and(|(media, expires)| *media == id && *expires > Instant::now());
    match state.media.get(&id) {
        Some(media) if valid => Response::builder()
            .status(StatusCode::OK)
            .content_type(media.mime_type.clone())
            .header(
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    media.filename.as_deref().unwrap_or("media")
                ),
            )
            .body(media.bytes.clone()),
        _ => GraphError::new(StatusCode::NOT_FOUND, 100, "Media URL expired or not found")
            .details("Fetch a new URL with GET /{media-id}.")
            .into_response(),
    }
}

/// `POST /sandbox/faults {phone_number_id, to?, code? | message_status?, times?}`: the next
/// `times` sends (every one, without `times`) from the number to `to` (a wa_id or user id;
/// anyone, without `to`) are answered with Meta's error `code` (in the reply, or in a
/// `failed` status for the codes Meta reports later) or, with `message_status:
/// "held_for_quality_assessment"`, held by template pacing. A customer's own fault comes
/// before the number's. Answers the faults waiting.
#[handler]
async fn add_fault(inner: Data<&Arc<Inner>>, body: Body) -> Response {
    let r = async {
        let body = json_body(body).await?;
        let pn = text(&body, "phone_number_id")?.to_owned();
        let to = match &body["to"] {
            Value::Null => None,
            Value::String(t) if t.len() > 160 => return Err(ApiError::bad("to is too long")),
            Value::String(t) if t.contains('.') => Some(t.clone()),
            Value::String(t) if !crate::state::digits(t).is_empty() => {
                Some(crate::state::digits(t))
            }
            _ => return Err(ApiError::bad("to is a wa_id, a user id or null")),
        };
        let answer = match (&body["code"], body["message_status"].as_str()) {
            (Value::Number(code), None) => {
                let code = code
                    .as_i64()
                    .filter(|c| crate::faults::known(*c))
                    .ok_or_else(|| {
                        ApiError::bad(format!(
                            "code {code} is not one of Meta's codes the sandbox knows"
                        ))
                    })?;
                Answer::Error(code)
            }
            (Value::Null, Some("held_for_quality_assessment")) => Answer::Held,
            _ => {
                return Err(ApiError::bad(
                    "give a code or message_status: \"held_for_quality_assessment\"",
                ));
            }
        };
        let remaining = match &body["times"] {
            Value::Null => None,
            v => Some(
                v.as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ApiError::bad("times is a positive count"))?,
            ),
        };
        let mut state = inner.lock();
        if state.number(&pn, None).is_none() {
            return Err(ApiError::not_found(format!("no phone number {pn}")));
        }
        if state.faults.len() >= MAX_FAULTS {
            return Err(ApiError::bad(format!(
                "at most {MAX_FAULTS} faults wait at once; clear some first"
            )));
        }
        state.faults.push(Fault {
            phone_number_id: pn,
            to,
            answer,
            remaining,
        });
        Ok(faults_json(&state.faults))
    };
    reply(r.await)
}

/// `GET /sandbox/faults`: the faults waiting, in order.
#[handler]
fn list_faults(inner: Data<&Arc<Inner>>) -> Response {
    reply(Ok(faults_json(&inner.lock().faults)))
}

/// `DELETE /sandbox/faults?phone_number_id=`: clears the number's faults (every fault,
/// without a number).
#[handler]
fn clear_faults(inner: Data<&Arc<Inner>>, q: Query<HashMap<String, String>>) -> Response {
    let mut state = inner.lock();
    match q.get("phone_number_id") {
        Some(pn) => state.faults.retain(|f| f.phone_number_id != *pn),
        None => state.faults.clear(),
    }
    reply(Ok(faults_json(&state.faults)))
}

fn faults_json(faults: &[Fault]) -> Value {
    json!({ "data": faults.iter().map(Fault::to_json).collect::<Vec<_>>() })
}
