//! Numbers and WABAs: registration, app subscriptions, the business profile.

use std::time::Instant;

use poem::http::StatusCode;
use serde_json::{Map, Value, json};

use super::Call;
use crate::{
    Inner,
    error::GraphError,
    messages::require_whatsapp,
    state::{Subscription, digits, random_token},
    templates::pick_fields,
};

/// Registration attempts per number per 72 hours.
const REGISTER_ATTEMPTS: usize = 10;
const REGISTER_WINDOW: std::time::Duration = std::time::Duration::from_secs(72 * 3600);

pub(super) fn register(
    inner: &Inner,
    pn: &str,
    token: &str,
    body: &Map<String, Value>,
) -> Result<Value, GraphError> {
    require_whatsapp(body)?;
    let pin = match body.get("pin") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(GraphError::invalid_parameter(
                "The parameter pin is required.",
            ));
        }
    };
    if pin.len() != 6 || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(GraphError::invalid_parameter("Param pin must be 6 digits."));
    }
    let mut state = inner.lock();
    let number = state
        .number(pn, Some(token))
        .ok_or_else(|| GraphError::unknown_object("POST", pn))?;
    let now = Instant::now();
    number
        .register_attempts
        .retain(|t| now.duration_since(*t) < REGISTER_WINDOW);
    if number.register_attempts.len() >= REGISTER_ATTEMPTS {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            133016,
            "Account register deregister rate limit exceeded",
        )
        .details("Registration requests for this number are limited to 10 per 72 hours."));
    }
    number.register_attempts.push_back(now);
    if let Some(existing) = &number.pin
        && *existing != pin
    {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            133005,
            "Two step verification PIN Mismatch",
        )
        .details("The PIN does not match the number's two-step verification PIN."));
    }
    number.pin = Some(pin);
    number.registered = true;
    number.status = "CONNECTED".to_owned();
    Ok(json!({ "success": true }))
}

pub(super) fn deregister(inner: &Inner, pn: &str, token: &str) -> Result<Value, GraphError> {
    let mut state = inner.lock();
    let number = state
        .number(pn, Some(token))
        .ok_or_else(|| GraphError::unknown_object("POST", pn))?;
    number.registered = false;
    Ok(json!({ "success": true }))
}

pub(super) fn subscriptions(
    inner: &Inner,
    waba_id: &str,
    token: &str,
) -> Result<Value, GraphError> {
    let mut state = inner.lock();
    let app_id = state.config.app_id.clone();
    let Some(waba) = state.waba(waba_id, Some(token)) else {
        return Err(GraphError::unknown_object("GET", waba_id));
    };
    let data: Vec<Value> = waba
        .subscription
        .iter()
        .map(|s| {
            let mut entry = json!({
                "whatsapp_business_api_data": {
                    "id": app_id,
                    "link": "https://www.facebook.com/games/?app_id=".to_owned() + &app_id,
                    "name": "WAgent",
                }
            });
            if let Some(uri) = &s.override_callback_uri {
                entry["override_callback_uri"] = json!(uri);
            }
            entry
        })
        .collect();
    Ok(json!({ "data": data }))
}

pub(super) async fn subscribe(
    inner: &Inner,
    waba_id: &str,
    token: &str,
    body: Map<String, Value>,
) -> Result<Value, GraphError> {
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let override_callback_uri = text("override_callback_uri").filter(|u| !u.is_empty());
    let verify_token = text("verify_token");
    if override_callback_uri.is_some() && verify_token.is_none() {
        return Err(GraphError::invalid_parameter(
            "verify_token is required with override_callback_uri.",
        ));
    }
    {
        let mut state = inner.lock();
        if state.waba(waba_id, Some(token)).is_none() {
            return Err(GraphError::unknown_object("POST", waba_id));
        }
    }
    // Meta checks an override URL with the verification handshake before using it.
    if let (Some(uri), Some(token)) = (&override_callback_uri, &verify_token) {
        verify_callback(inner, uri, token).await?;
    }
    let mut state = inner.lock();
    if let Some(waba) = state.wabas.get_mut(waba_id) {
        waba.subscription = Some(Subscription {
            override_callback_uri,
        });
    }
    Ok(json!({ "success": true }))
}

async fn verify_callback(inner: &Inner, uri: &str, token: &str) -> Result<(), GraphError> {
    let failed = |why: String| {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            2200,
            format!("Callback verification failed with the following errors: {why}"),
        )
    };
    let Some(client) = inner.outbox.client() else {
        return Err(failed("no HTTP client".to_owned()));
    };
    let challenge = random_token(16);
    let url = url::Url::parse_with_params(
        uri,
        &[
            ("hub.mode", "subscribe"),
            ("hub.challenge", challenge.as_str()),
            ("hub.verify_token", token),
        ],
    )
    .map_err(|e| failed(format!("bad callback URL: {e}")))?;
    let reply = client
        .get(url)
        .send()
        .await
        .map_err(|e| failed(e.to_string()))?;
    let status = reply.status();
    let text = reply.text().await.map_err(|e| failed(e.to_string()))?;
    if status.is_success() && text.trim() == challenge {
        Ok(())
    } else {
        Err(failed(format!(
            "HTTP Status Code = {}; the response did not echo hub.challenge",
            status.as_u16()
        )))
    }
}

pub(super) fn unsubscribe(inner: &Inner, waba_id: &str, token: &str) -> Result<Value, GraphError> {
    let mut state = inner.lock();
    let Some(waba) = state.waba(waba_id, Some(token)) else {
        return Err(GraphError::unknown_object("DELETE", waba_id));
    };
    waba.subscription = None;
    Ok(json!({ "success": true }))
}

const PROFILE_FIELDS: &[&str] = &[
    "about",
    "address",
    "description",
    "email",
    "profile_picture_url",
    "websites",
    "vertical",
    "messaging_product",
];
const VERTICALS: &[&str] = &[
    "UNDEFINED",
    "OTHER",
    "AUTO",
    "BEAUTY",
    "APPAREL",
    "EDU",
    "ENTERTAIN",
    "EVENT_PLAN",
    "FINANCE",
    "GROCERY",
    "GOVT",
    "HOTEL",
    "HEALTH",
    "NONPROFIT",
    "PROF_SERVICES",
    "RETAIL",
    "TRAVEL",
    "RESTAURANT",
    "NOT_A_BIZ",
];

pub(super) fn get_profile(inner: &Inner, pn: &str, call: &Call) -> Result<Value, GraphError> {
    let fields = call.fields();
    let mut state = inner.lock();
    let number = state
        .number(pn, Some(&call.token))
        .ok_or_else(|| GraphError::unknown_object("GET", pn))?;
    let mut all = number.profile.clone();
    all.insert("messaging_product".into(), json!("whatsapp"));
    let mut profile = pick_fields(
        all,
        fields.as_deref(),
        PROFILE_FIELDS,
        PROFILE_FIELDS,
        "WhatsAppBusinessProfile",
    )?;
    if let Some(obj) = profile.as_object_mut() {
        obj.insert("messaging_product".into(), json!("whatsapp"));
    }
    Ok(json!({ "data": [profile] }))
}

pub(super) fn set_profile(
    inner: &Inner,
    pn: &str,
    token: &str,
    body: &Map<String, Value>,
) -> Result<Value, GraphError> {
    require_whatsapp(body)?;
    let limits = [
        ("about", 1, 139),
        ("address", 0, 256),
        ("description", 0, 512),
        ("email", 0, 128),
    ];
    let mut changes = Map::new();
    for (key, min, max) in limits {
        if let Some(v) = body.get(key) {
            let s = v.as_str().ok_or_else(|| {
                GraphError::invalid_parameter(format!("Param {key} must be a string."))
            })?;
            let n = s.chars().count();
            if n < min || n > max {
                return Err(GraphError::invalid_parameter(format!(
                    "Param {key} must be {min} to {max} characters long."
                )));
            }
            changes.insert(key.to_owned(), json!(s));
        }
    }
    if let Some(v) = body.get("vertical") {
        let s = v.as_str().unwrap_or_default();
        if !VERTICALS.contains(&s) {
            return Err(GraphError::invalid_parameter(format!(
                "Param vertical must be one of {VERTICALS:?}."
            )));
        }
        changes.insert("vertical".into(), json!(s));
    }
    if let Some(v) = body.get("websites") {
        let sites = v.as_array().filter(|a| a.len() <= 2).ok_or_else(|| {
            GraphError::invalid_parameter("Param websites is an array of at most 2 URLs.")
        })?;
        for site in sites {
            let s = site.as_str().unwrap_or_default();
            if !(s.starts_with("http://") || s.starts_with("https://")) || s.len() > 256 {
                return Err(GraphError::invalid_parameter(
                    "Each website is an http(s) URL of at most 256 characters.",
                ));
            }
        }
        changes.insert("websites".into(), v.clone());
    }
    if let Some(handle) = body.get("profile_picture_handle").and_then(Value::as_str) {
        changes.insert(
            "profile_picture_url".into(),
            json!(format!(
                "https://pps.whatsapp.net/sandbox/{}.jpg",
                digits(handle)
            )),
        );
    }
    let mut state = inner.lock();
    let number = state
        .number(pn, Some(token))
        .ok_or_else(|| GraphError::unknown_object("POST", pn))?;
    number.profile.extend(changes);
    Ok(json!({ "success": true }))
}
