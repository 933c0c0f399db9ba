//! `POST /{phone-number-id}/messages`: Meta's rules for a send, and the status webhooks that
//! follow an accepted one (with chaos, if asked).

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use poem::http::StatusCode;
use rand::Rng;
use serde_json::{Map, Value, json};

use crate::{
    Inner,
    config::SandboxConfig,
    error::{GraphError, webhook_error},
    faults::Answer,
    state::{SentMessage, wamid},
};

const MEDIA_KINDS: &[&str] = &["image", "video", "audio", "document", "sticker"];
const TYPES: &[&str] = &[
    "text",
    "image",
    "video",
    "audio",
    "document",
    "sticker",
    "template",
    "interactive",
    "reaction",
    "location",
    "contacts",
];
const WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(24);

pub(crate) fn send(
    inner: &Arc<Inner>,
    pn_id: &str,
    token: &str,
    body: Map<String, Value>,
) -> Result<Value, GraphError> {
    require_whatsapp(&body)?;
    if body.contains_key("status") {
        return mark_read(inner, pn_id, token, &body);
    }
    if let Some(rt) = body.get("recipient_type")
        && rt.as_str() != Some("individual")
    {
        return Err(GraphError::invalid_parameter(
            "Param recipient_type must be \"individual\".",
        ));
    }
    // `recipient` (a business-scoped user id) stands in for `to`; `to` wins when both come.
    let raw_to = body.get("to").and_then(Value::as_str);
    let raw_recipient = body.get("recipient").and_then(Value::as_str);
    let phone = match (raw_to, raw_recipient) {
        (Some(to), _) => Some(normalise_to(to)?),
        (None, Some(r)) if is_user_id(r) => None,
        (None, Some(r)) => {
            return Err(GraphError::invalid_parameter(format!(
                "Param recipient must be a business-scoped user id (CC.digits); got \"{r}\"."
            )));
        }
        (None, None) => {
            return Err(GraphError::invalid_parameter(
                "The parameter to or recipient is required.",
            ));
        }
    };
    let kind = match body.get("type") {
        None => "text",
        Some(Value::String(t)) if TYPES.contains(&t.as_str()) => t.as_str(),
        Some(t) => {
            return Err(GraphError::invalid_parameter(format!(
                "Param type must be one of {{{}}} - got {t}.",
                TYPES.join(", ").to_uppercase()
            )));
        }
    };
    let payload = body.get(kind).ok_or_else(|| {
        GraphError::invalid_parameter(format!("The parameter {kind} is required."))
    })?;
    validate(kind, payload)?;
    let biz_opaque = match body.get("biz_opaque_callback_data") {
        None => None,
        Some(Value::String(s)) if s.chars().count() <= 512 => Some(s.clone()),
        Some(_) => {
            return Err(GraphError::invalid_parameter(
                "Param biz_opaque_callback_data is a string of at most 512 characters.",
            ));
        }
    };
    if let Some(context) = body.get("context")
        && context["message_id"].as_str().is_none_or(str::is_empty)
    {
        return Err(GraphError::invalid_parameter(
            "Param context['message_id'] is required.",
        ));
    }

    let mut state = inner.lock();
    let config = state.config.clone();
    let number = state
        .number(pn_id, Some(token))
        .ok_or_else(|| GraphError::unknown_object("POST", pn_id))?;
    if !number.registered {
        return Err(
            GraphError::new(StatusCode::BAD_REQUEST, 133010, "Account not registered").details(
                "Register the number with POST /{phone-number-id}/register before sending.",
            ),
        );
    }
    let waba_id = number.waba_id.clone();
    let display_digits = number.display_digits();
    let business_id = state.business_of(pn_id);
    let customer = match (&phone, raw_recipient) {
        (Some(p), _) => state.customer(&business_id, Some(p), None),
        (None, Some(r)) => state
            .customers
            .get(r)
            .filter(|c| c.business_id == business_id)
            .cloned()
            .ok_or_else(|| {
                GraphError::invalid_parameter(format!(
                    "Param recipient is not a user of this business: {r}."
                ))
            })?,
        (None, None) => {
            return Err(GraphError::invalid_parameter(
                "The parameter to is required.",
            ));
        }
    };
    let to = customer.key();
    // A fault asked for through the sandbox API: Meta's answer when something is wrong.
    let fault = crate::faults::take(&mut state.faults, pn_id, &to);
    let mut fault_fate = None;
    match fault {
        Some(Answer::Error(code)) => match crate::faults::reply_error(code) {
            Some(error) => return Err(error),
            None => fault_fate = Some(code),
        },
        Some(Answer::Held) | None => {}
    }

    let category = if kind == "template" {
        let name = payload["name"].as_str().unwrap_or_default();
        let language = payload["language"]["code"].as_str().unwrap_or_default();
        let template = state
            .wabas
            .get(&waba_id)
            .and_then(|w| {
                w.templates
                    .iter()
                    .find(|t| t.name == name && t.language == language)
            })
            .ok_or_else(|| missing_template(name, language))?;
        match template.status.as_str() {
            "APPROVED" => {}
            "PAUSED" => {
                return Err(
                    GraphError::new(StatusCode::BAD_REQUEST, 132015, "Template is Paused")
                        .details(format!("Template {name} is paused due to low quality.")),
                );
            }
            "DISABLED" => {
                return Err(GraphError::new(
                    StatusCode::BAD_REQUEST,
                    132016,
                    "Template is Disabled",
                )
                .details(format!("Template {name} has been disabled.")));
            }
            _ => return Err(missing_template(name, language)),
        }
        template.check_send(payload)?;
        template.category.to_ascii_lowercase()
    } else {
        "service".to_owned()
    };
    if MEDIA_KINDS.contains(&kind)
        && let Some(id) = payload["id"].as_str()
        && !state.media.contains_key(id)
    {
        return Err(GraphError::invalid_parameter(format!(
            "Param {kind}['id'] is not a valid media id: {id}."
        )));
    }

    let now = std::time::Instant::now();
    let sends = state.throughput.entry(pn_id.to_owned()).or_default();
    while sends
        .front()
        .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
    {
        sends.pop_front();
    }
    if sends.len() >= config.throughput_per_second as usize {
        state.throttled += 1;
        let status = StatusCode::from_u16(config.http_status_for_throttling)
            .unwrap_or(StatusCode::BAD_REQUEST);
        return Err(GraphError::new(status, 130429, "Rate limit hit")
            .subcode(2494055)
            .details(format!(
                "Cloud API message throughput has been reached ({} messages per second).",
                config.throughput_per_second
            )));
    }
    let pair = config.pair_rate;
    let bucket = state
        .pair_buckets
        .entry((pn_id.to_owned(), to.clone()))
        .or_insert(crate::state::PairBucket {
            tokens: f64::from(pair.burst),
            at: now,
        });
    let refill = now.duration_since(bucket.at).as_secs_f64() / pair.every.as_secs_f64().max(1e-9);
    bucket.tokens = (bucket.tokens + refill).min(f64::from(pair.burst));
    bucket.at = now;
    if bucket.tokens < 1.0 {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            131056,
            "(Business Account, Consumer Account) pair rate limit hit",
        )
        .details(
            "Message failed to send because there were too many messages sent from this phone \
             number to the same phone number in a short period of time.",
        ));
    }
    bucket.tokens -= 1.0;
    state
        .throughput
        .entry(pn_id.to_owned())
        .or_default()
        .push_back(now);

    let window_open = state
        .windows
        .get(&(pn_id.to_owned(), to.clone()))
        .is_some_and(|last| Utc::now() - *last < WINDOW);
    let fate = if fault_fate.is_some() {
        fault_fate
    } else if kind != "template" && !window_open {
        Some(131047)
    } else if kind == "reaction" {
        let target = payload["message_id"].as_str().unwrap_or_default();
        let known = state
            .inbound
            .get(target)
            .is_some_and(|m| m.phone_number_id == pn_id && m.message["type"] != "reaction")
            || state
                .sent
                .get(target)
                .is_some_and(|m| m.phone_number_id == pn_id && m.kind != "reaction");
        (!known).then_some(131009)
    } else {
        None
    };

    let held = fault == Some(Answer::Held);
    let id = wamid(&to);
    let seq = state.next_seq();
    state.push_sent(SentMessage {
        id: id.clone(),
        seq,
        phone_number_id: pn_id.to_owned(),
        to: to.clone(),
        user_id: customer.user_id.clone(),
        kind: kind.to_owned(),
        request: Value::Object(body.clone()),
        category: category.clone(),
        statuses: Vec::new(),
        accepted_ms: Utc::now().timestamp_millis(),
    });
    drop(state);

    let free = window_open && (category == "service" || category == "utility");
    let timeline = Timeline {
        wamid: id.clone(),
        phone_number_id: pn_id.to_owned(),
        waba_id,
        display_digits,
        customer: customer.clone(),
        category,
        free,
        conversation_id: uuid::Uuid::new_v4().simple().to_string(),
        biz_opaque,
        // A held send hears nothing until Meta's pacing decides.
        steps: if held {
            Vec::new()
        } else {
            plan(kind, fate, &config)
        },
    };
    let inner = inner.clone();
    tokio::spawn(async move {
        let start = tokio::time::Instant::now();
        for step in &timeline.steps {
            tokio::time::sleep_until(start + step.at).await;
            timeline.emit(&inner, step);
        }
    });

    // Meta answers a `recipient` send with the user id, a `to` send with the wa_id.
    let contact = match (raw_to, &customer.wa_id) {
        (Some(input), Some(wa_id)) => json!({ "input": input, "wa_id": wa_id }),
        _ => json!({ "input": raw_recipient, "user_id": customer.user_id }),
    };
    let mut message = json!({ "id": id });
    if held {
        message["message_status"] = json!("held_for_quality_assessment");
    }
    Ok(json!({
        "messaging_product": "whatsapp",
        "contacts": [contact],
        "messages": [message],
    }))
}

/// A business-scoped user id: an ISO country, a dot, then letters and digits (`US.1349…`).
fn is_user_id(s: &str) -> bool {
    s.split_once('.').is_some_and(|(country, rest)| {
        country.len() == 2
            && country.chars().all(|c| c.is_ascii_uppercase())
            && (1..=128).contains(&rest.len())
            && rest.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

pub(crate) fn require_whatsapp(body: &Map<String, Value>) -> Result<(), GraphError> {
    match body.get("messaging_product").and_then(Value::as_str) {
        Some("whatsapp") => Ok(()),
        Some(other) => Err(GraphError::invalid_parameter(format!(
            "Param messaging_product must be one of {{WHATSAPP}} - got \"{other}\"."
        ))),
        None => Err(GraphError::invalid_parameter(
            "The parameter messaging_product is required.",
        )),
    }
}

fn missing_template(name: &str, language: &str) -> GraphError {
    GraphError::new(
        StatusCode::NOT_FOUND,
        132001,
        "Template name does not exist in the translation",
    )
    .details(format!(
        "template name ({name}) does not exist in {language}, or it is not approved"
    ))
}

/// `{status:"read", message_id, typing_indicator?}` → `{"success":true}`.
fn mark_read(
    inner: &Inner,
    pn_id: &str,
    token: &str,
    body: &Map<String, Value>,
) -> Result<Value, GraphError> {
    if body.get("status").and_then(Value::as_str) != Some("read") {
        return Err(GraphError::invalid_parameter(
            "Param status must be \"read\".",
        ));
    }
    let message_id = body
        .get("message_id")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::invalid_parameter("The parameter message_id is required."))?;
    if let Some(typing) = body.get("typing_indicator")
        && typing["type"].as_str() != Some("text")
    {
        return Err(GraphError::invalid_parameter(
            "Param typing_indicator['type'] must be \"text\".",
        ));
    }
    let mut state = inner.lock();
    if state.number(pn_id, Some(token)).is_none() {
        return Err(GraphError::unknown_object("POST", pn_id));
    }
    match state.inbound.get_mut(message_id) {
        Some(m) if m.phone_number_id == pn_id => {
            m.read = true;
            Ok(json!({ "success": true }))
        }
        _ => Err(GraphError::invalid_parameter(format!(
            "Param message_id is not a message this number received: {message_id}."
        ))),
    }
}

/// `+1 (555) 010-0123` → `15550100123`.
fn normalise_to(raw: &str) -> Result<String, GraphError> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')'))
        .collect();
    if (5..=15).contains(&cleaned.len()) && cleaned.chars().all(|c| c.is_ascii_digit()) {
        Ok(cleaned)
    } else {
        Err(GraphError::invalid_parameter(format!(
            "Param to must be a phone number in international format; got \"{raw}\"."
        )))
    }
}

fn text_of<'a>(v: &'a Value, what: &str) -> Result<&'a str, GraphError> {
    v.as_str()
        .ok_or_else(|| GraphError::invalid_parameter(format!("The parameter {what} is required.")))
}

fn at_most(s: &str, max: usize, what: &str) -> Result<(), GraphError> {
    if s.chars().count() > max {
        return Err(GraphError::invalid_parameter(format!(
            "Param {what} must be at most {max} characters long."
        )));
    }
    Ok(())
}

fn non_empty_at_most(s: &str, max: usize, what: &str) -> Result<(), GraphError> {
    if s.is_empty() {
        return Err(GraphError::invalid_parameter(format!(
            "Param {what} must not be empty."
        )));
    }
    at_most(s, max, what)
}

/// The shape rules of each message type (all 100 with details).
fn validate(kind: &str, payload: &Value) -> Result<(), GraphError> {
    if kind == "contacts" {
        let contacts = payload
            .as_array()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| GraphError::invalid_parameter("Param contacts is a non-empty array."))?;
        for c in contacts {
            text_of(
                &c["name"]["formatted_name"],
                "contacts['name']['formatted_name']",
            )?;
        }
        return Ok(());
    }
    if !payload.is_object() {
        return Err(GraphError::invalid_parameter(format!(
            "Param {kind} must be an object."
        )));
    }
    match kind {
        "text" => {
            let body = text_of(&payload["body"], "text['body']")?;
            non_empty_at_most(body, 4096, "text['body']")?;
            if !payload["preview_url"].is_null() && !payload["preview_url"].is_boolean() {
                return Err(GraphError::invalid_parameter(
                    "Param text['preview_url'] must be a boolean.",
                ));
            }
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let id = payload["id"].as_str();
            let link = payload["link"].as_str();
            match (id, link) {
                (Some(_), Some(_)) | (None, None) => {
                    return Err(GraphError::invalid_parameter(format!(
                        "Param {kind} needs exactly one of id and link."
                    )));
                }
                (None, Some(l)) if !(l.starts_with("https://") || l.starts_with("http://")) => {
                    return Err(GraphError::invalid_parameter(format!(
                        "Param {kind}['link'] must be an http(s) URL."
                    )));
                }
                _ => {}
            }
            if let Some(caption) = payload.get("caption") {
                if kind == "audio" || kind == "sticker" {
                    return Err(GraphError::invalid_parameter(format!(
                        "Param {kind}['caption'] is not allowed."
                    )));
                }
                at_most(
                    text_of(caption, "caption")?,
                    1024,
                    &format!("{kind}['caption']"),
                )?;
            }
        }
        "template" => {
            let name = text_of(&payload["name"], "template['name']")?;
            non_empty_at_most(name, 512, "template['name']")?;
            text_of(&payload["language"]["code"], "template['language']['code']")?;
            if !payload["components"].is_null() && !payload["components"].is_array() {
                return Err(GraphError::invalid_parameter(
                    "Param template['components'] must be an array.",
                ));
            }
        }
        "interactive" => validate_interactive(payload)?,
        "reaction" => {
            text_of(&payload["message_id"], "reaction['message_id']")?;
            if !payload["emoji"].is_null() {
                text_of(&payload["emoji"], "reaction['emoji']")?;
            }
        }
        "location" => {
            for key in ["latitude", "longitude"] {
                let v = &payload[key];
                let ok = v.is_number() || v.as_str().is_some_and(|s| s.parse::<f64>().is_ok());
                if !ok {
                    return Err(GraphError::invalid_parameter(format!(
                        "Param location['{key}'] must be a number."
                    )));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn validate_interactive(i: &Value) -> Result<(), GraphError> {
    let kind = text_of(&i["type"], "interactive['type']")?;
    if !i["footer"].is_null() {
        non_empty_at_most(
            text_of(&i["footer"]["text"], "interactive['footer']['text']")?,
            60,
            "interactive['footer']['text']",
        )?;
    }
    match kind {
        "button" => {
            let body = text_of(&i["body"]["text"], "interactive['body']['text']")?;
            non_empty_at_most(body, 1024, "interactive['body']['text']")?;
            let buttons = i["action"]["buttons"]
                .as_array()
                .filter(|b| (1..=3).contains(&b.len()))
                .ok_or_else(|| {
                    GraphError::invalid_parameter(
                        "Param interactive['action']['buttons'] has 1 to 3 buttons.",
                    )
                })?;
            let mut ids = Vec::new();
            for b in buttons {
                if b["type"].as_str() != Some("reply") {
                    return Err(GraphError::invalid_parameter(
                        "Each button's type must be \"reply\".",
                    ));
                }
                let id = text_of(&b["reply"]["id"], "button reply id")?;
                non_empty_at_most(id, 256, "button reply id")?;
                non_empty_at_most(
                    text_of(&b["reply"]["title"], "button reply title")?,
                    20,
                    "button reply title",
                )?;
                if ids.contains(&id) {
                    return Err(GraphError::invalid_parameter("Button ids must be unique."));
                }
                ids.push(id);
            }
        }
        "list" => {
            let body = text_of(&i["body"]["text"], "interactive['body']['text']")?;
            non_empty_at_most(body, 4096, "interactive['body']['text']")?;
            non_empty_at_most(
                text_of(&i["action"]["button"], "interactive['action']['button']")?,
                20,
                "interactive['action']['button']",
            )?;
            let sections = i["action"]["sections"]
                .as_array()
                .filter(|s| (1..=10).contains(&s.len()))
                .ok_or_else(|| {
                    GraphError::invalid_parameter(
                        "Param interactive['action']['sections'] has 1 to 10 sections.",
                    )
                })?;
            let mut rows = 0;
            for s in sections {
                if sections.len() > 1 {
                    non_empty_at_most(text_of(&s["title"], "section title")?, 24, "section title")?;
                }
                for r in s["rows"].as_array().into_iter().flatten() {
                    rows += 1;
                    non_empty_at_most(text_of(&r["id"], "row id")?, 200, "row id")?;
                    non_empty_at_most(text_of(&r["title"], "row title")?, 24, "row title")?;
                    if !r["description"].is_null() {
                        at_most(
                            text_of(&r["description"], "row description")?,
                            72,
                            "row description",
                        )?;
                    }
                }
            }
            if !(1..=10).contains(&rows) {
                return Err(GraphError::invalid_parameter(
                    "A list has 1 to 10 rows in all.",
                ));
            }
        }
        "cta_url" => {
            text_of(&i["body"]["text"], "interactive['body']['text']")?;
            non_empty_at_most(
                text_of(
                    &i["action"]["parameters"]["display_text"],
                    "interactive['action']['parameters']['display_text']",
                )?,
                20,
                "display_text",
            )?;
            text_of(
                &i["action"]["parameters"]["url"],
                "interactive['action']['parameters']['url']",
            )?;
        }
        "product"
        | "product_list"
        | "catalog_message"
        | "flow"
        | "location_request_message"
        | "address_message"
        | "call_permission_request" => {}
        other => {
            return Err(GraphError::invalid_parameter(format!(
                "Unknown interactive type {other}."
            )));
        }
    }
    Ok(())
}

/// One status webhook to send `at` after acceptance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub at: Duration,
    pub status: &'static str,
    pub error: Option<i64>,
}

/// The statuses of one message, with chaos applied. `fate`: an error the message fails with.
pub(crate) fn plan(kind: &str, fate: Option<i64>, config: &SandboxConfig) -> Vec<Step> {
    let (sent, delivered, read) = config.status_delays;
    let chaos = &config.chaos;
    let mut rng = rand::rng();
    let mut chance = |p: f64| p > 0.0 && rng.random::<f64>() < p;
    let step = |at, status, error| Step { at, status, error };
    let base = match fate {
        Some(code) => vec![step(sent, "failed", Some(code))],
        None if kind == "reaction" => vec![step(sent, "sent", None)],
        None if chance(chaos.fail_rate) => vec![
            step(sent, "sent", None),
            step(delivered, "failed", Some(131026)),
        ],
        None => {
            let (delivered, read) = if chaos.reorder {
                (read, delivered)
            } else {
                (delivered, read)
            };
            vec![
                step(sent, "sent", None),
                step(delivered, "delivered", None),
                step(read, "read", None),
            ]
        }
    };
    let mut steps = Vec::with_capacity(base.len() * 2);
    for s in base {
        if chance(chaos.drop_rate) {
            continue;
        }
        if chance(chaos.duplicate_rate) {
            steps.push(s.clone());
        }
        steps.push(s);
    }
    steps.sort_by_key(|s| s.at);
    steps
}

/// What the status webhooks of one message need.
struct Timeline {
    wamid: String,
    phone_number_id: String,
    waba_id: String,
    display_digits: String,
    customer: crate::state::Customer,
    category: String,
    free: bool,
    conversation_id: String,
    biz_opaque: Option<String>,
    steps: Vec<Step>,
}

impl Timeline {
    fn emit(&self, inner: &Inner, step: &Step) {
        let now = Utc::now().timestamp();
        let mut status = json!({
            "id": self.wamid,
            "status": step.status,
            "timestamp": now.to_string(),
            "recipient_user_id": self.customer.user_id,
        });
        if let Some(wa_id) = &self.customer.wa_id {
            status["recipient_id"] = json!(wa_id);
        }
        if let Some(data) = &self.biz_opaque {
            status["biz_opaque_callback_data"] = json!(data);
        }
        if step.status == "sent" || step.status == "delivered" {
            let mut conversation = json!({
                "id": self.conversation_id,
                "origin": { "type": self.category },
            });
            if step.status == "sent" {
                conversation["expiration_timestamp"] = json!((now + 24 * 3600).to_string());
            }
            status["conversation"] = conversation;
            status["pricing"] = json!({
                "billable": !self.free,
                "pricing_model": "PMP",
                "category": self.category,
                "type": if self.free { "free_customer_service" } else { "regular" },
            });
        }
        if let Some(code) = step.error {
            status["errors"] = json!([webhook_error(code)]);
        }
        if let Some(message) = inner.lock().sent.get_mut(&self.wamid) {
            message
                .statuses
                .push(json!({ "status": step.status, "timestamp": now.to_string() }));
        }
        let mut value = json!({
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": self.display_digits,
                "phone_number_id": self.phone_number_id,
            },
            "statuses": [status],
        });
        // Since 2026-03-31 Meta names the user on every status but `failed`.
        if step.status != "failed" {
            value["contacts"] = json!([self.customer.contact(None)]);
        }
        inner.emit(&self.waba_id, "messages", value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Chaos;

    #[test]
    fn normalises_recipients() {
        assert_eq!(normalise_to("+1 (555) 010-0123").unwrap(), "15550100123");
        assert!(normalise_to("call me").is_err());
        assert!(normalise_to("12").is_err());
    }

    #[test]
    fn recognises_user_ids() {
        assert!(is_user_id("US.13491208655302741918"));
        assert!(is_user_id("BR.abc123"));
        assert!(!is_user_id("15550100123"));
        assert!(!is_user_id("us.1"));
        assert!(!is_user_id("US."));
    }

    #[test]
    fn plans() {
        let mut config = SandboxConfig::default();
        let names = |steps: Vec<Step>| steps.iter().map(|s| s.status).collect::<Vec<_>>();
        assert_eq!(
            names(plan("text", None, &config)),
            ["sent", "delivered", "read"]
        );
        assert_eq!(names(plan("reaction", None, &config)), ["sent"]);
        assert_eq!(names(plan("text", Some(131047), &config)), ["failed"]);
        config.chaos = Chaos {
            reorder: true,
            duplicate_rate: 1.0,
            ..Chaos::default()
        };
        assert_eq!(
            names(plan("text", None, &config)),
            ["sent", "sent", "read", "read", "delivered", "delivered"]
        );
        config.chaos = Chaos {
            drop_rate: 1.0,
            ..Chaos::default()
        };
        assert!(plan("text", None, &config).is_empty());
        config.chaos = Chaos {
            fail_rate: 1.0,
            ..Chaos::default()
        };
        assert_eq!(names(plan("text", None, &config)), ["sent", "failed"]);
    }
}
