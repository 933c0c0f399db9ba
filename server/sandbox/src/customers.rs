//! Simulated customers: a message of any inbound kind becomes a signed `messages` webhook,
//! and opens or refreshes the customer-service window.

use base64::Engine;
use chrono::Utc;
use poem::http::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    Inner,
    api::ApiError,
    error::webhook_error,
    graph::{media_kind, store_media},
    state::{InboundMessage, digits, wamid},
};

/// A 1×1 PNG: the picture a simulated customer sends when none is given.
const PLACEHOLDER_PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

const KINDS: &[&str] = &[
    "text",
    "image",
    "video",
    "audio",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "button",
    "reaction",
    "order",
    "system",
    "unsupported",
];

/// `POST /sandbox/customers/messages {phone_number_id, from?, username?, name?, type, ...}`:
/// a customer with a phone (`from`), a WhatsApp username, or both, writes in.
pub(crate) fn write_in(inner: &Inner, body: &Value) -> Result<Value, ApiError> {
    let bad = |m: String| ApiError::new(StatusCode::BAD_REQUEST, m);
    let field = |key: &str| body.get(key).and_then(Value::as_str);
    let pn_id =
        field("phone_number_id").ok_or_else(|| bad("phone_number_id is required".to_owned()))?;
    let phone = field("from").map(digits);
    if phone.as_ref().is_some_and(|p| !(5..=15).contains(&p.len())) {
        return Err(bad("from is a phone number of 5 to 15 digits".to_owned()));
    }
    let username = field("username")
        .map(|u| u.trim_start_matches('@'))
        .filter(|u| !u.is_empty());
    if username.is_some_and(|u| {
        u.len() > 35
            || !u
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    }) {
        return Err(bad(
            "username is at most 35 letters, digits, dots and underscores".to_owned(),
        ));
    }
    if phone.is_none() && username.is_none() {
        return Err(bad(
            "from (the customer's phone number) or username is required".to_owned(),
        ));
    }
    let kind = field("type").ok_or_else(|| bad("type is required".to_owned()))?;
    if !KINDS.contains(&kind) {
        return Err(bad(format!("type is one of {}", KINDS.join(", "))));
    }
    let name = field("name")
        .map(str::to_owned)
        .unwrap_or_else(|| match &phone {
            Some(p) => format!("Customer {}", &p[p.len() - 4..]),
            None => format!("@{}", username.unwrap_or_default()),
        });
    let payload = body.get(kind).cloned().unwrap_or(Value::Null);
    // A past `timestamp` (unix seconds) lets tests and demos write "yesterday's" message,
    // whose customer-service window has already closed.
    let now = match body.get("timestamp").and_then(Value::as_i64) {
        Some(t) => chrono::DateTime::from_timestamp(t, 0)
            .filter(|at| *at <= Utc::now())
            .ok_or_else(|| bad("timestamp is unix seconds, not in the future".to_owned()))?,
        None => Utc::now(),
    };

    let mut state = inner.lock();
    let number = state.number(pn_id, None).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no phone number {pn_id} (and auto_create is off)"),
        )
    })?;
    let waba_id = number.waba_id.clone();
    let business_digits = number.display_digits();
    let business_id = state.business_of(pn_id);
    let customer = state.customer(&business_id, phone.as_deref(), username);
    let from = customer.key();
    let id = wamid(&from);

    // `from` is the phone; a customer known by a username only has `from_user_id` alone.
    let mut message = json!({
        "from_user_id": customer.user_id,
        "id": id,
        "timestamp": now.timestamp().to_string(),
        "type": kind,
    });
    if let Some(phone) = &customer.wa_id {
        message["from"] = json!(phone);
    }
    let mut media_id = None;
    match kind {
        "text" => {
            let text = payload
                .as_str()
                .or_else(|| payload["body"].as_str())
                .filter(|t| !t.is_empty())
                .ok_or_else(|| bad("text is a string or {body}".to_owned()))?;
            message["text"] = json!({ "body": text });
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let (content, new_id) = media_content(&mut state, pn_id, kind, &payload)?;
            message[kind] = content;
            media_id = Some(new_id);
        }
        "location" => {
            let lat = payload["latitude"].as_f64();
            let long = payload["longitude"].as_f64();
            let (Some(lat), Some(long)) = (lat, long) else {
                return Err(bad(
                    "location needs numeric latitude and longitude".to_owned()
                ));
            };
            let mut location = json!({ "latitude": lat, "longitude": long });
            for key in ["name", "address", "url"] {
                if let Some(v) = payload[key].as_str() {
                    location[key] = json!(v);
                }
            }
            message["location"] = location;
        }
        "contacts" => {
            message["contacts"] = match payload {
                Value::Array(a) if !a.is_empty() => Value::Array(a),
                Value::Null => json!([{
                    "name": { "formatted_name": "Ana Souza", "first_name": "Ana", "last_name": "Souza" },
                    "phones": [{ "phone": "+55 11 91234-5678", "wa_id": "5511912345678", "type": "CELL" }],
                    "emails": [{ "email": "ana@example.com", "type": "WORK" }],
                }]),
                _ => return Err(bad("contacts is a non-empty array".to_owned())),
            };
        }
        "interactive" => message["interactive"] = interactive(&payload)?,
        "button" => {
            let text = payload["text"]
                .as_str()
                .ok_or_else(|| bad("button needs text (and payload)".to_owned()))?;
            let data = payload["payload"].as_str().unwrap_or(text);
            message["button"] = json!({ "payload": data, "text": text });
        }
        "reaction" => {
            let target = payload["message_id"]
                .as_str()
                .ok_or_else(|| bad("reaction needs message_id".to_owned()))?;
            let mut reaction = json!({ "message_id": target });
            // A removed reaction comes without `emoji`.
            if let Some(emoji) = payload["emoji"].as_str().filter(|e| !e.is_empty()) {
                reaction["emoji"] = json!(emoji);
            }
            message["reaction"] = reaction;
        }
        "order" => {
            let catalog = payload["catalog_id"]
                .as_str()
                .ok_or_else(|| bad("order needs catalog_id".to_owned()))?;
            let items = payload["product_items"]
                .as_array()
                .filter(|i| !i.is_empty())
                .ok_or_else(|| bad("order needs product_items".to_owned()))?;
            let mut order = json!({ "catalog_id": catalog, "product_items": items });
            if let Some(text) = payload["text"].as_str() {
                order["text"] = json!(text);
            }
            message["order"] = order;
        }
        "system" => {
            if customer.wa_id.is_none() {
                return Err(bad(
                    "a system notice (a changed number) needs from".to_owned()
                ));
            }
            let new_wa_id = payload["new_wa_id"]
                .as_str()
                .map(digits)
                .unwrap_or_else(|| format!("{}0", &from[..from.len() - 1]));
            let system_type = payload["type"].as_str().unwrap_or("user_changed_number");
            let text = payload["body"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("User {name} changed from {from} to {new_wa_id}"));
            message["system"] =
                json!({ "body": text, "new_wa_id": new_wa_id, "type": system_type });
        }
        "unsupported" => {
            let original = payload["type"].as_str().unwrap_or("unknown");
            message["errors"] = json!([webhook_error(131051)]);
            message["unsupported"] = json!({ "type": original });
        }
        _ => {}
    }
    let given = body.get("context").filter(|c| c.is_object());
    let mut answered = given.and_then(|c| c["id"].as_str().or(c["message_id"].as_str()));
    // An answer to buttons, a list or a quick reply always says which message it answers:
    // the one given, else the latest this number sent the customer (of the kind answered).
    let answer = matches!(kind, "interactive" | "button");
    if answer && answered.is_none() {
        let wanted = if kind == "button" {
            "template"
        } else {
            "interactive"
        };
        let latest = |same_kind: bool| {
            state
                .sent
                .values()
                .filter(|m| m.phone_number_id == pn_id && m.to == from)
                .filter(|m| !same_kind || m.kind == wanted)
                .max_by_key(|m| m.seq)
                .map(|m| m.id.as_str())
        };
        answered = latest(true).or_else(|| latest(false));
        if answered.is_none() {
            return Err(bad(format!(
                "a {kind} answer needs the message it answers (context.id): this number sent this customer none"
            )));
        }
    }
    let answered = answered.map(str::to_owned);
    if given.is_some() || answered.is_some() {
        let context = given.cloned().unwrap_or(Value::Null);
        let mut ctx = serde_json::Map::new();
        if let Some(target) = &answered {
            ctx.insert("from".into(), json!(business_digits));
            ctx.insert("id".into(), json!(target));
        }
        for flag in ["forwarded", "frequently_forwarded"] {
            if context[flag].as_bool() == Some(true) {
                ctx.insert(flag.into(), json!(true));
            }
        }
        if !ctx.is_empty() {
            message["context"] = Value::Object(ctx);
        }
    }
    if let Some(referral) = body.get("referral").filter(|r| r.is_object()) {
        let mut r = json!({
            "source_url": "https://fb.me/sandbox-ad",
            "source_id": "120200000000000",
            "source_type": "ad",
            "body": "Try WAgent",
            "headline": "Chat with us",
            "media_type": "image",
            "image_url": "https://example.com/ad.jpg",
            "ctwa_clid": format!("ARA{}", crate::state::random_token(40)),
        });
        if let (Some(r), Some(given)) = (r.as_object_mut(), referral.as_object()) {
            r.extend(given.clone());
        }
        message["referral"] = r;
    }

    // Any customer message but a system notice opens or refreshes the window.
    if kind != "system" {
        state.windows.insert((pn_id.to_owned(), from.clone()), now);
    }
    let seq = state.next_seq();
    state.push_inbound(InboundMessage {
        id: id.clone(),
        seq,
        phone_number_id: pn_id.to_owned(),
        from: from.clone(),
        user_id: customer.user_id.clone(),
        message: message.clone(),
        read: false,
    });
    drop(state);

    let mut value = json!({
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": business_digits, "phone_number_id": pn_id },
        "messages": [message],
    });
    if kind != "system" {
        value["contacts"] = json!([customer.contact(Some(&name))]);
    }
    inner.emit(&waba_id, "messages", value);

    let mut reply = json!({
        "messaging_product": "whatsapp",
        "id": id,
        "user_id": customer.user_id,
        "message": message,
    });
    if let Some(media) = media_id {
        reply["media_id"] = json!(media);
    }
    Ok(reply)
}

/// Stores the media a customer sends (given as base64 `data`, or a placeholder) and
/// returns the webhook's media object and the media id.
fn media_content(
    state: &mut crate::state::State,
    pn_id: &str,
    kind: &str,
    payload: &Value,
) -> Result<(Value, String), ApiError> {
    let bad = |m: String| ApiError::new(StatusCode::BAD_REQUEST, m);
    let voice = payload["voice"].as_bool().unwrap_or(false);
    let default_mime = match kind {
        "image" => "image/png",
        "video" => "video/mp4",
        "audio" if voice => "audio/ogg; codecs=opus",
        "audio" => "audio/mpeg",
        "document" => "application/pdf",
        _ => "image/webp",
    };
    let mime = payload["mime_type"]
        .as_str()
        .unwrap_or(default_mime)
        .to_owned();
    let Some((filed_as, limit)) = media_kind(&mime) else {
        return Err(bad(format!("unsupported mime_type {mime}")));
    };
    if filed_as != kind {
        return Err(bad(format!("{mime} is not a {kind} type")));
    }
    let bytes = match payload["data"].as_str() {
        Some(data) => base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| bad(format!("data is not base64: {e}")))?,
        None if kind == "image" && mime == "image/png" => base64::engine::general_purpose::STANDARD
            .decode(PLACEHOLDER_PNG)
            .unwrap_or_default(),
        None => format!("WAgent sandbox placeholder {kind} ({mime})\n").into_bytes(),
    };
    if bytes.len() > limit {
        return Err(bad(format!("a {kind} is at most {limit} bytes")));
    }
    let sha256 = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&bytes));
    let filename = payload["filename"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| (kind == "document").then(|| "document.pdf".to_owned()));
    let id = store_media(state, pn_id, mime.clone(), bytes, filename.clone());
    let mut content = json!({ "mime_type": mime, "sha256": sha256, "id": id });
    if let Some(caption) = payload["caption"].as_str()
        && matches!(kind, "image" | "video" | "document")
    {
        content["caption"] = json!(caption);
    }
    match kind {
        "document" => content["filename"] = json!(filename),
        "audio" => content["voice"] = json!(voice),
        "sticker" => content["animated"] = json!(payload["animated"].as_bool().unwrap_or(false)),
        _ => {}
    }
    Ok((content, id))
}

/// A customer's answer to buttons, a list or a flow.
fn interactive(payload: &Value) -> Result<Value, ApiError> {
    let bad = |m: &str| ApiError::new(StatusCode::BAD_REQUEST, m.to_owned());
    let kind = payload["type"]
        .as_str()
        .or_else(|| {
            ["button_reply", "list_reply", "nfm_reply"]
                .into_iter()
                .find(|k| payload[*k].is_object())
        })
        .ok_or_else(|| bad("interactive needs type: button_reply, list_reply or nfm_reply"))?;
    let reply = &payload[kind];
    let out = match kind {
        "button_reply" | "list_reply" => {
            let (Some(id), Some(title)) = (reply["id"].as_str(), reply["title"].as_str()) else {
                return Err(bad("a reply needs id and title"));
            };
            let mut r = json!({ "id": id, "title": title });
            if kind == "list_reply"
                && let Some(d) = reply["description"].as_str()
            {
                r["description"] = json!(d);
            }
            r
        }
        "nfm_reply" => json!({
            "name": reply["name"].as_str().unwrap_or("flow"),
            "body": reply["body"].as_str().unwrap_or("Sent"),
            "response_json": reply["response_json"].as_str().unwrap_or("{}"),
        }),
        _ => {
            return Err(bad(
                "interactive type is button_reply, list_reply or nfm_reply",
            ));
        }
    };
    Ok(json!({ "type": kind, kind: out }))
}

/// `POST /sandbox/customers/preferences {phone_number_id, from?, username?, value, name?}`:
/// a customer stops (`value: "stop"`) or resumes (`"resume"`) marketing messages from
/// WhatsApp's own settings; Meta tells the business with a `user_preferences` webhook.
pub(crate) fn set_preference(inner: &Inner, body: &Value) -> Result<Value, ApiError> {
    let bad = |m: String| ApiError::new(StatusCode::BAD_REQUEST, m);
    let field = |key: &str| body.get(key).and_then(Value::as_str);
    let pn_id =
        field("phone_number_id").ok_or_else(|| bad("phone_number_id is required".to_owned()))?;
    let value = field("value")
        .filter(|v| ["stop", "resume"].contains(v))
        .ok_or_else(|| bad("value is stop or resume".to_owned()))?;
    let phone = field("from").map(digits);
    if phone.as_ref().is_some_and(|p| !(5..=15).contains(&p.len())) {
        return Err(bad("from is a phone number of 5 to 15 digits".to_owned()));
    }
    let username = field("username")
        .map(|u| u.trim_start_matches('@'))
        .filter(|u| !u.is_empty());
    if phone.is_none() && username.is_none() {
        return Err(bad(
            "from (the customer's phone number) or username is required".to_owned(),
        ));
    }
    let mut state = inner.lock();
    let number = state.number(pn_id, None).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no phone number {pn_id} (and auto_create is off)"),
        )
    })?;
    let waba_id = number.waba_id.clone();
    let business_digits = number.display_digits();
    let business_id = state.business_of(pn_id);
    let customer = state.customer(&business_id, phone.as_deref(), username);
    drop(state);
    let detail = if value == "stop" {
        "User requested to stop marketing messages"
    } else {
        "User requested to resume marketing messages"
    };
    let mut preference = json!({
        "user_id": customer.user_id,
        "detail": detail,
        "category": "marketing_messages",
        "value": value,
        "timestamp": Utc::now().timestamp(),
    });
    if let Some(phone) = &customer.wa_id {
        preference["wa_id"] = json!(phone);
    }
    let value = json!({
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": business_digits, "phone_number_id": pn_id },
        "contacts": [customer.contact(field("name"))],
        "user_preferences": [preference],
    });
    inner.emit(&waba_id, "user_preferences", value.clone());
    Ok(value)
}
