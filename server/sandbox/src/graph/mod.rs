//! The Graph API surface: `/{version}/...` routed by hand, because Graph's paths are ids
//! whose kind (number, WABA, media, template) only the state knows.

mod accounts;
mod media;
mod message_templates;
mod signup;
mod uploads;

use std::{collections::HashMap, sync::Arc, time::Instant};

use base64::Engine;
use poem::{
    Endpoint, IntoResponse, Request, Response,
    http::{Method, StatusCode, header},
};
use serde_json::{Map, Value, json};

pub(crate) use self::media::{media_kind, store_media};
pub(crate) use self::uploads::Upload;
use crate::{
    Inner,
    error::{GraphError, json_response},
    messages,
    state::{PhoneNumber, is_media_id, is_template_id, random_token},
    templates::pick_fields,
};

/// Media URLs live 5 minutes, as Meta's do.
pub(crate) const MEDIA_URL_TTL: std::time::Duration = std::time::Duration::from_secs(300);

pub(crate) struct GraphEndpoint(pub Arc<Inner>);

impl Endpoint for GraphEndpoint {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        Ok(match dispatch(&self.0, req).await {
            Ok(body) => json_response(StatusCode::OK, &body),
            Err(e) => e.into_response(),
        })
    }
}

/// What a handler needs from the request besides its body.
struct Call {
    version: String,
    /// The caller's access token: it stands for a business (see the crate docs).
    token: String,
    query: HashMap<String, String>,
    base: String,
}

impl Call {
    fn fields(&self) -> Option<Vec<String>> {
        self.query.get("fields").map(|f| parse_fields(f))
    }
}

async fn dispatch(inner: &Arc<Inner>, req: Request) -> Result<Value, GraphError> {
    let method = req.method().clone();
    let path = req.uri().path().trim_matches('/').to_owned();
    let segments: Vec<String> = path.split('/').map(str::to_owned).collect();
    let Some((version, rest)) = segments.split_first() else {
        return Err(GraphError::unknown_path(&path));
    };
    if !is_version(version) || rest.is_empty() || rest.iter().any(String::is_empty) {
        return Err(GraphError::unknown_path(&path));
    }
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let query: HashMap<String, String> = req.params().unwrap_or_default();
    let token = bearer(&req)
        .or_else(|| query.get("access_token").cloned())
        .filter(|t| !t.is_empty());
    let public_url = inner.lock().config.public_url.clone();
    let call = Call {
        version: version.clone(),
        token: token.clone().unwrap_or_default(),
        base: base_url(&req, public_url.as_deref()),
        query,
    };

    match (&method, rest.as_slice()) {
        (&Method::GET, ["oauth", "access_token"]) => return signup::exchange_code(inner, &call),
        (&Method::GET, ["debug_token"]) => {
            return signup::debug_token(inner, &call, bearer(&req).as_deref());
        }
        _ => {}
    }
    if token.is_none() {
        return Err(GraphError::unauthenticated(
            "Send `Authorization: Bearer <access token>`.",
        ));
    }
    if let (&Method::POST, [pn, "media"]) = (&method, rest.as_slice()) {
        let pn = (*pn).to_owned();
        return media::upload_media(inner, &pn, &call.token, req).await;
    }
    if let (&Method::POST, [id]) = (&method, rest.as_slice())
        && id.starts_with("upload:")
    {
        let id = (*id).to_owned();
        let headers: HashMap<String, String> = req
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        // No more than a whole file is read, whatever the sender claims.
        let bytes = req
            .into_body()
            .into_bytes_limit(uploads::MAX_FILE)
            .await
            .map_err(|e| GraphError::invalid_parameter(format!("Cannot read the upload: {e}")))?;
        return uploads::append(inner, &id, &headers, &bytes);
    }

    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = req
        .into_body()
        .into_bytes()
        .await
        .map_err(|e| GraphError::invalid_parameter(format!("Cannot read the body: {e}")))?;
    let body = parse_body(&bytes, &content_type)?;

    match (&method, rest.as_slice()) {
        (&Method::POST, [pn, "messages"]) => {
            // Counted when it arrives, answered when Meta would.
            let answer = messages::send(inner, pn, &call.token, body);
            let latency = inner.lock().config.send_latency;
            if !latency.is_zero() {
                tokio::time::sleep(latency).await;
            }
            answer
        }
        (&Method::POST, [app, "uploads"]) => uploads::start(inner, app, &merge(&call.query, body)),
        (&Method::GET, [id]) if id.starts_with("upload:") => uploads::status(inner, id),
        (&Method::GET, [id]) => get_object(inner, id, &call),
        (&Method::DELETE, [id]) => media::delete_media(inner, id),
        (&Method::POST, [id]) => message_templates::edit_template(inner, id, &body),
        (&Method::GET, [waba, "message_templates"]) => {
            message_templates::list_templates(inner, waba, &call)
        }
        (&Method::POST, [waba, "message_templates"]) => {
            message_templates::create_template(inner, waba, &call.token, &body)
        }
        (&Method::DELETE, [waba, "message_templates"]) => {
            message_templates::delete_templates(inner, waba, &call, &body)
        }
        (&Method::GET, [waba, "phone_numbers"]) => list_numbers(inner, waba, &call),
        (&Method::POST, [pn, "register"]) => accounts::register(inner, pn, &call.token, &body),
        (&Method::POST, [pn, "deregister"]) => accounts::deregister(inner, pn, &call.token),
        (&Method::GET, [waba, "subscribed_apps"]) => {
            accounts::subscriptions(inner, waba, &call.token)
        }
        (&Method::POST, [waba, "subscribed_apps"]) => {
            accounts::subscribe(inner, waba, &call.token, merge(&call.query, body)).await
        }
        (&Method::DELETE, [waba, "subscribed_apps"]) => {
            accounts::unsubscribe(inner, waba, &call.token)
        }
        (&Method::GET, [pn, "whatsapp_business_profile"]) => {
            accounts::get_profile(inner, pn, &call)
        }
        (&Method::POST, [pn, "whatsapp_business_profile"]) => {
            accounts::set_profile(inner, pn, &call.token, &body)
        }
        _ => Err(GraphError::unknown_path(&path)),
    }
}

/// `v21.0`, `v19.0`, `v22`...
fn is_version(s: &str) -> bool {
    s.strip_prefix('v').is_some_and(|v| {
        !v.is_empty()
            && v.split('.').count() <= 2
            && v.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    })
}

fn bearer(req: &Request) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    // The Resumable Upload API documents `OAuth <token>`; everything else `Bearer`.
    let known = scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth");
    (known && !token.is_empty()).then(|| token.to_owned())
}

/// `https://host[/prefix]`: where this sandbox is reached, for the URLs it hands out.
pub(crate) fn base_url(req: &Request, public_url: Option<&str>) -> String {
    if let Some(url) = public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_owned())
    };
    let scheme = header("x-forwarded-proto")
        .or_else(|| req.uri().scheme_str().map(str::to_owned))
        .unwrap_or_else(|| "http".to_owned());
    let host = header("x-forwarded-host")
        .or_else(|| header("host"))
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "localhost".to_owned());
    // Mounted under a prefix, the original path is longer than the routed one.
    let original = req.original_uri().path();
    let prefix = original
        .strip_suffix(req.uri().path())
        .unwrap_or_default()
        .trim_end_matches('/');
    format!("{scheme}://{host}{prefix}")
}

/// JSON, a form, or nothing.
fn parse_body(bytes: &[u8], content_type: &str) -> Result<Map<String, Value>, GraphError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok(url::form_urlencoded::parse(bytes)
            .map(|(k, v)| {
                let v = v.into_owned();
                // Graph accepts JSON in form values (`components=[...]`).
                let value = if v.starts_with('{') || v.starts_with('[') {
                    serde_json::from_str(&v).unwrap_or(Value::String(v))
                } else {
                    Value::String(v)
                };
                (k.into_owned(), value)
            })
            .collect());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(GraphError::invalid_parameter(
            "The body must be a JSON object.",
        )),
        Err(e) => Err(GraphError::invalid_parameter(format!(
            "The body is not valid JSON: {e}"
        ))),
    }
}

fn merge(query: &HashMap<String, String>, mut body: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in query {
        if k != "access_token" {
            body.entry(k.clone()).or_insert_with(|| json!(v));
        }
    }
    body
}

/// `a,b{c,d},e` → `[a, b, e]`: top-level field names.
fn parse_fields(fields: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in fields.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                let name = current.trim().to_owned();
                if !name.is_empty() {
                    out.push(name);
                }
                current.clear();
            }
            _ if depth == 0 => current.push(c),
            _ => {}
        }
    }
    let name = current.trim().to_owned();
    if !name.is_empty() {
        out.push(name);
    }
    out
}

// ---- objects by id -------------------------------------------------------------------

fn get_object(inner: &Inner, id: &str, call: &Call) -> Result<Value, GraphError> {
    let fields = call.fields();
    let mut state = inner.lock();
    if let Some(media) = state.media.get(id) {
        if let Some(pn) = call.query.get("phone_number_id")
            && *pn != media.phone_number_id
        {
            return Err(GraphError::unknown_object("GET", id));
        }
        let token = random_token(40);
        let info = json!({
            "messaging_product": "whatsapp",
            "url": format!("{}/sandbox/media/{id}?token={token}", call.base),
            "mime_type": media.mime_type,
            "sha256": media.sha256,
            "file_size": media.bytes.len(),
            "id": media.id,
        });
        let now = Instant::now();
        state.media_urls.retain(|_, (_, expires)| *expires > now);
        state
            .media_urls
            .insert(token, (id.to_owned(), now + MEDIA_URL_TTL));
        return Ok(info);
    }
    if is_media_id(id) {
        return Err(GraphError::unknown_object("GET", id));
    }
    if let Some(template) = state.find_template(id) {
        return template.to_json(fields.as_deref());
    }
    if is_template_id(id) {
        return Err(GraphError::unknown_object("GET", id));
    }
    if state.wabas.contains_key(id) {
        state.waba(id, Some(&call.token));
        return waba_json(&state, id, fields.as_deref());
    }
    let number = state
        .number(id, Some(&call.token))
        .ok_or_else(|| GraphError::unknown_object("GET", id))?;
    number_json(number, fields.as_deref())
}

fn number_json(number: &PhoneNumber, fields: Option<&[String]>) -> Result<Value, GraphError> {
    let all = number.fields();
    let known: Vec<String> = all.keys().cloned().collect();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    pick_fields(
        all,
        fields,
        &known,
        PhoneNumber::DEFAULT_FIELDS,
        "WhatsAppBusinessPhoneNumber",
    )
}

fn waba_json(
    state: &crate::state::State,
    id: &str,
    fields: Option<&[String]>,
) -> Result<Value, GraphError> {
    let Some(waba) = state.wabas.get(id) else {
        return Err(GraphError::unknown_object("GET", id));
    };
    let business = state.businesses.get(&waba.business_id);
    let business_info = json!({
        "id": waba.business_id,
        "name": business.map_or(crate::state::DEFAULT_BUSINESS, |b| b.name.as_str()),
    });
    let mut all = Map::new();
    all.insert("id".into(), json!(waba.id));
    all.insert("name".into(), json!(waba.name));
    all.insert("currency".into(), json!("USD"));
    all.insert("timezone_id".into(), json!("1"));
    all.insert("message_template_namespace".into(), json!(waba.namespace));
    all.insert("account_review_status".into(), json!("APPROVED"));
    all.insert("business_verification_status".into(), json!("verified"));
    all.insert("owner_business_info".into(), business_info.clone());
    all.insert("on_behalf_of_business_info".into(), business_info);
    // The rest of Graph's WhatsAppBusinessAccount fields, so asking never fails.
    all.insert("status".into(), json!("ACTIVE"));
    all.insert("ownership_type".into(), json!("CLIENT_OWNED"));
    let numbers = state.numbers_of(id);
    let can_send = if numbers.iter().any(|n| n.registered) {
        "AVAILABLE"
    } else {
        "LIMITED"
    };
    let mut entities =
        vec![json!({ "entity_type": "WABA", "id": waba.id, "can_send_message": "AVAILABLE" })];
    entities.extend(numbers.iter().map(|n| {
        json!({
            "entity_type": "PHONE_NUMBER",
            "id": n.id,
            "can_send_message": if n.registered { "AVAILABLE" } else { "BLOCKED" },
        })
    }));
    entities.push(json!({ "entity_type": "BUSINESS", "id": waba.business_id, "can_send_message": "AVAILABLE" }));
    all.insert(
        "health_status".into(),
        json!({ "can_send_message": can_send, "entities": entities }),
    );
    all.insert("country".into(), json!("US"));
    all.insert("business_type".into(), json!("ENT"));
    all.insert("primary_funding_id".into(), json!(""));
    all.insert("purchase_order_number".into(), json!(""));
    all.insert("is_enabled_for_insights".into(), json!(true));
    all.insert(
        "marketing_messages_lite_api_status".into(),
        json!("INELIGIBLE"),
    );
    all.insert(
        "marketing_messages_onboarding_status".into(),
        json!("NOT_STARTED"),
    );
    all.insert(
        "whatsapp_business_manager_messaging_limit".into(),
        json!("TIER_2K"),
    );
    all.insert(
        "auth_international_rate_eligibility".into(),
        json!({ "exception_countries": [], "start_time": 0 }),
    );
    let known: Vec<String> = all.keys().cloned().collect();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    pick_fields(
        all,
        fields,
        &known,
        &[
            "id",
            "name",
            "currency",
            "timezone_id",
            "message_template_namespace",
        ],
        "WhatsAppBusinessAccount",
    )
}

fn list_numbers(inner: &Inner, waba_id: &str, call: &Call) -> Result<Value, GraphError> {
    let fields = call.fields();
    let mut state = inner.lock();
    if state.waba(waba_id, Some(&call.token)).is_none() {
        return Err(GraphError::unknown_object("GET", waba_id));
    }
    let data = state
        .numbers_of(waba_id)
        .into_iter()
        .map(|n| number_json(n, fields.as_deref()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(with_paging(data, None))
}

fn with_paging(data: Vec<Value>, next: Option<String>) -> Value {
    let cursor = |v: Option<&Value>| {
        base64::engine::general_purpose::STANDARD
            .encode(v.and_then(|v| v["id"].as_str()).unwrap_or_default())
    };
    let mut paging = json!({
        "cursors": { "before": cursor(data.first()), "after": cursor(data.last()) }
    });
    if let Some(next) = next {
        paging["next"] = json!(next);
    }
    json!({ "data": data, "paging": paging })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("v21.0"));
        assert!(is_version("v22"));
        assert!(!is_version("21.0"));
        assert!(!is_version("v21.0.1"));
        assert!(!is_version("sandbox"));
    }

    #[test]
    fn fields() {
        assert_eq!(
            parse_fields("id, throughput{level},display_phone_number"),
            ["id", "throughput", "display_phone_number"]
        );
    }

    #[test]
    fn media_kinds() {
        assert_eq!(media_kind("image/jpeg").unwrap().0, "image");
        assert_eq!(media_kind("audio/ogg; codecs=opus").unwrap().0, "audio");
        assert_eq!(media_kind("application/pdf").unwrap().1, 100 * 1024 * 1024);
        assert!(media_kind("application/x-msdownload").is_none());
    }
}
