//! The HTTP surface: GraphQL over POST and websocket, health, metrics, runtime config for
//! the SPA, and the SPA itself.

use std::{
    net::IpAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use async_graphql::http::GraphiQLSource;
use async_graphql_poem::{GraphQLProtocol, GraphQLRequest};
use futures::StreamExt;
use poem::{
    Body, Endpoint, EndpointExt, FromRequest, IntoResponse, Middleware, Request, RequestBody,
    Response, Route, get, handler,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    web::{Data as PoemData, Html, Json, websocket::WebSocket},
};
use serde_json::json;
use wagent_auth::oidc::OidcVerifier;
use wagent_domain::{
    Caller, Code, CommonError, Domain, Principal, Problem, organizations::Identity,
};
use wagent_graphql::{Api, RequestId};

use crate::{metrics::Metrics, spa};

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub schema: Api,
    pub domain: Domain,
    pub oidc: Option<Arc<OidcVerifier>>,
    pub client_config: serde_json::Value,
    pub metrics: Arc<Metrics>,
    /// How many proxies append to `X-Forwarded-For` (0: the header is ignored).
    pub trusted_proxy_hops: usize,
    /// The bearer token `/metrics` asks for here; `None`: not served on this listener.
    pub metrics_token: Option<String>,
    pub meta_app_secret: Option<String>,
    pub meta_verify_token: Option<String>,
    /// The built-in sandbox's URL: `/sandbox/organizations/{org}/*` is forwarded there for
    /// the organization's members, about its numbers only.
    pub sandbox_url: Option<String>,
    /// The sandbox API's shared secret, sent in `X-Sandbox-Secret`.
    pub sandbox_secret: Option<String>,
    pub http: reqwest::Client,
    /// Open websockets and their limits.
    pub sockets: Arc<crate::ws::Sockets>,
    /// Request rates per IP and per token.
    pub rates: Arc<crate::limits::RateLimits>,
}

pub fn routes(state: AppState, csp: String) -> impl poem::Endpoint {
    Route::new()
        .at(
            "/graphql",
            get(graphiql)
                .post(graphql.with(BodyLimit(1024 * 1024)))
                .around(crate::limits::rate_limited),
        )
        .at(
            "/graphql/ws",
            get(subscriptions).around(crate::limits::rate_limited),
        )
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .at("/metrics", get(metrics))
        .at("/config.json", get(client_config))
        .at("/media/:org/:id", get(media))
        .at(
            "/api/organizations/:org/conversations/:id/media",
            poem::post(upload.with(BodyLimit(
                wagent_domain::whatsapp::MAX_SENDABLE_BYTES as usize,
            )))
            .around(crate::limits::rate_limited),
        )
        .at(
            "/api/organizations/:org/contact-imports",
            poem::post(crate::imports::upload.with(BodyLimit(
                wagent_domain::contacts::imports::limits().max_file_bytes as usize,
            )))
            .around(crate::limits::rate_limited),
        )
        .at(
            "/api/organizations/:org/knowledge",
            poem::post(
                crate::knowledge::upload
                    .with(BodyLimit(wagent_domain::knowledge::MAX_FILE_BYTES as usize)),
            )
            .around(crate::limits::rate_limited),
        )
        .at(
            "/api/organizations/:org/contact-imports/:id/rejected.csv",
            get(crate::imports::rejected_rows).around(crate::limits::rate_limited),
        )
        .at(
            "/api/organizations/:org/campaigns/:id/recipients.csv",
            get(crate::campaigns::recipients_csv).around(crate::limits::rate_limited),
        )
        .at(
            "/api/organizations/:org/segments/:id/contacts.csv",
            get(crate::segments::contacts_csv).around(crate::limits::rate_limited),
        )
        .at(
            "/sandbox/organizations/:org/*path",
            get(sandbox_proxy).post(sandbox_proxy.with(BodyLimit(1024 * 1024))),
        )
        .at(
            "/webhooks/whatsapp",
            get(webhook_handshake)
                .post(webhook.with(BodyLimit(wagent_domain::whatsapp::MAX_WEBHOOK_BYTES))),
        )
        .at("/", get(spa::serve))
        .at("/*path", get(spa::serve))
        .data(state)
        .data(spa::SpaCsp(csp))
        .around(security_headers)
}

/// Only `/metrics`, for a listener of its own (`WAGENT_METRICS_LISTEN`): no token asked.
pub fn metrics_routes(counters: Arc<Metrics>) -> impl poem::Endpoint {
    Route::new()
        .at(
            "/metrics",
            get(poem::endpoint::make_sync(move |_| {
                render_metrics(&counters)
            })),
        )
        .around(security_headers)
}

/// What every response carries unless its handler chose otherwise (the SPA's own CSP,
/// a media file's sandbox): no framing, no sniffing, no referrer, and a CSP that lets a
/// JSON or text response run nothing if a browser ever renders it.
async fn security_headers<E: Endpoint>(next: Arc<E>, req: Request) -> poem::Result<Response> {
    let mut response = next.get_response(req).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ] {
        if !headers.contains_key(name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    Ok(response)
}

/// Cuts a request body off at a size while it is read, whatever `Content-Length` says (or
/// without one: chunked bodies), answering 413 `PAYLOAD_TOO_LARGE`.
struct BodyLimit(usize);

impl<E: Endpoint> Middleware<E> for BodyLimit {
    type Output = BodyLimitEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        BodyLimitEndpoint { inner, max: self.0 }
    }
}

struct BodyLimitEndpoint<E> {
    inner: E,
    max: usize,
}

impl<E: Endpoint> Endpoint for BodyLimitEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max as u64) {
            return Ok(too_large(self.max));
        }
        let exceeded = Arc::new(AtomicBool::new(false));
        let flag = exceeded.clone();
        let max = self.max;
        let mut seen = 0usize;
        let limited = req.take_body().into_bytes_stream().map(move |chunk| {
            let chunk = chunk?;
            seen = seen.saturating_add(chunk.len());
            if seen > max {
                flag.store(true, Ordering::Relaxed);
                return Err(std::io::Error::other("the request body is too large"));
            }
            Ok(chunk)
        });
        req.set_body(Body::from_bytes_stream(limited));
        let response = self.inner.get_response(req).await;
        if exceeded.load(Ordering::Relaxed) {
            return Ok(too_large(self.max));
        }
        Ok(response)
    }
}

fn too_large(max: usize) -> Response {
    let message = format!("the request body may be at most {max} bytes");
    Json(json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": "PAYLOAD_TOO_LARGE" } }] }))
        .with_status(StatusCode::PAYLOAD_TOO_LARGE)
        .into_response()
}

/// Where the request came from and with what, for the audit log.
pub(crate) fn origin(req: &Request, trusted_proxy_hops: usize) -> (Option<String>, Option<String>) {
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip());
    let ip = client_ip(peer, req.headers(), trusted_proxy_hops).map(|ip| ip.to_string());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(512).collect());
    (ip, user_agent)
}

/// The client's address behind `hops` proxies: each appends the address that connected to
/// it to `X-Forwarded-For`, so the client is `hops` entries from the right (what is further
/// left, the client itself may have written). Without trusted proxies, the peer's address.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, hops: usize) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    // Fewer entries than proxies: the leftmost is the furthest a proxy vouches for.
    let Some(entry) = entries
        .len()
        .checked_sub(hops)
        .map_or(entries.first(), |i| entries.get(i))
    else {
        return peer;
    };
    entry.parse::<IpAddr>().ok().or(peer)
}

pub(crate) fn bearer(headers: &HeaderMap) -> Result<Option<String>, CommonError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| CommonError::Unauthenticated)?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(CommonError::MalformedAuthorization),
    }
}

impl AppState {
    /// An OIDC access token (a JWT) or an API token (a biscuit) → the caller.
    pub async fn authenticate(
        &self,
        token: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<Caller, CommonError> {
        self.authenticate_until(token, ip, user_agent)
            .await
            .map(|(caller, _)| caller)
    }

    /// [`Self::authenticate`], and until when the credential lasts (its `exp`).
    pub async fn authenticate_until(
        &self,
        token: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<(Caller, Option<chrono::DateTime<chrono::Utc>>), CommonError> {
        if token.split('.').count() != 3 {
            let caller = self
                .domain
                .authenticate_api_token(token, ip, user_agent)
                .await?;
            let expires_at = match &caller.principal {
                Principal::ApiToken(t) => Some(t.expires_at),
                _ => None,
            };
            return Ok((caller, expires_at));
        }
        let Some(oidc) = &self.oidc else {
            return Err(CommonError::SignInDisabled);
        };
        let claims = oidc.verify(token).await.map_err(|e| {
            if e.is_client_error() {
                tracing::debug!(error = %e, "access token refused");
                CommonError::SessionExpired
            } else {
                CommonError::internal(e)
            }
        })?;
        let identity = Identity {
            issuer: claims.iss,
            subject: claims.sub,
            email: claims.email,
            email_verified: claims.email_verified.unwrap_or(false),
            name: claims.name.or(claims.preferred_username),
        };
        let user = self.domain.sign_in(&identity).await?;
        let expires_at = chrono::DateTime::from_timestamp(claims.exp, 0);
        let caller = Caller {
            principal: Principal::User(user),
            ip,
            user_agent,
        };
        Ok((caller, expires_at))
    }
}

pub(crate) fn error_body(e: &dyn Problem, request_id: &str) -> serde_json::Value {
    let mut extensions = json!({ "code": e.code().as_str() });
    if e.code() == Code::Internal {
        extensions["requestId"] = json!(request_id);
    }
    json!({ "data": null, "errors": [{ "message": e.to_string(), "extensions": extensions }] })
}

#[handler]
async fn graphql(state: PoemData<&AppState>, req: &Request, body: Body) -> Response {
    state
        .metrics
        .graphql_requests
        .fetch_add(1, Ordering::Relaxed);
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    let (ip, user_agent) = origin(req, state.trusted_proxy_hops);
    let caller = match bearer(req.headers()) {
        Ok(Some(token)) => match state.authenticate(&token, ip, user_agent).await {
            Ok(caller) => Some(caller),
            Err(e) => {
                let internal = e.code() == Code::Internal;
                if internal {
                    tracing::error!(%request_id, error = %e.internal_cause(), "cannot authenticate");
                }
                state.metrics.auth_failures.fetch_add(1, Ordering::Relaxed);
                let status = if internal {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::UNAUTHORIZED
                };
                return Json(error_body(&e, &request_id))
                    .with_status(status)
                    .into_response();
            }
        },
        Ok(None) => None,
        Err(e) => {
            state.metrics.auth_failures.fetch_add(1, Ordering::Relaxed);
            return Json(error_body(&e, &request_id))
                .with_status(StatusCode::UNAUTHORIZED)
                .into_response();
        }
    };
    // The body is read only once its sender is known (or known to be anonymous).
    let gql = match GraphQLRequest::from_request(req, &mut RequestBody::new(body)).await {
        Ok(gql) => gql,
        Err(e) => return e.into_response(),
    };
    let mut request = gql.0.data(RequestId(request_id.clone()));
    if let Some(caller) = caller {
        request = request.data(caller);
    }
    let answer = match state.schema.execute_json(request).await {
        Ok(answer) => answer,
        Err(e) => {
            tracing::error!(%request_id, error = %e, "cannot serialise an answer");
            state.metrics.graphql_errors.fetch_add(1, Ordering::Relaxed);
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if !answer.ok {
        state.metrics.graphql_errors.fetch_add(1, Ordering::Relaxed);
    }
    let mut response = Response::builder()
        .content_type("application/json; charset=utf-8")
        .body(answer.body);
    if let Some(value) = answer
        .cache_control
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    response.headers_mut().extend(answer.http_headers);
    response
}

#[handler]
async fn graphiql() -> impl IntoResponse {
    // GraphiQL loads React and itself from unpkg and runs an inline script.
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .finish(),
    )
    .with_header(
        "content-security-policy",
        "default-src 'none'; script-src 'unsafe-inline' https://unpkg.com; \
         style-src 'unsafe-inline' https://unpkg.com; img-src data: https://graphql.org; \
         font-src data: https://unpkg.com; connect-src 'self' ws: wss:; frame-ancestors 'none'",
    )
}

/// Subscriptions: authenticated at `connection_init` with
/// `{"authorization": "Bearer <token>"}`, then re-checked for every operation and for as
/// long as the socket stays open (see [`crate::ws`]).
#[handler]
async fn subscriptions(
    state: PoemData<&AppState>,
    req: &Request,
    protocol: GraphQLProtocol,
    websocket: WebSocket,
) -> impl IntoResponse {
    let state = state.clone();
    let (ip, user_agent) = origin(req, state.trusted_proxy_hops);
    // Bounded frames: a subscription message is a small JSON document.
    let limits = poem::web::websocket::WebSocketConfig::default()
        .max_message_size(Some(256 * 1024))
        .max_frame_size(Some(256 * 1024));
    websocket
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .config(limits)
        .on_upgrade(move |stream| async move {
            state
                .metrics
                .websocket_connections
                .fetch_add(1, Ordering::Relaxed);
            crate::ws::serve(state.clone(), stream, protocol.0, ip, user_agent).await;
            state
                .metrics
                .websocket_connections
                .fetch_sub(1, Ordering::Relaxed);
        })
}

/// Meta's subscription handshake: echo `hub.challenge` when `hub.verify_token` matches.
#[handler]
fn webhook_handshake(state: PoemData<&AppState>, req: &Request) -> Response {
    let params: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let expected = state.meta_verify_token.as_deref().unwrap_or("");
    match wagent_meta::webhook::verify_subscription(
        params.get("hub.mode").map(String::as_str),
        params.get("hub.verify_token").map(String::as_str),
        params.get("hub.challenge").map(String::as_str),
        expected,
    ) {
        Some(challenge) => challenge
            .to_owned()
            .with_content_type("text/plain")
            .into_response(),
        None => StatusCode::FORBIDDEN.into_response(),
    }
}

/// A webhook delivery: signature over the raw bytes, stored durably, answered at once;
/// a job processes it.
#[handler]
async fn webhook(state: PoemData<&AppState>, req: &Request, body: Vec<u8>) -> Response {
    let Some(secret) = state.meta_app_secret.as_deref() else {
        tracing::warn!("a webhook arrived but META_APP_SECRET is not set");
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let signature = req
        .headers()
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if !wagent_meta::webhook::verify_signature(secret.as_bytes(), &body, signature) {
        state
            .metrics
            .webhooks_refused
            .fetch_add(1, Ordering::Relaxed);
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match state.domain.receive_webhook(&body).await {
        Ok(_) => {
            state
                .metrics
                .webhooks_received
                .fetch_add(1, Ordering::Relaxed);
            StatusCode::OK.into_response()
        }
        Err(e) => {
            tracing::error!(error = ?e, "cannot store a webhook; Meta will retry");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Sends a file into a conversation: the raw bytes as the body (streamed to disk once the
/// caller may send and the type is accepted), `Content-Type` for its type,
/// `X-File-Name` for its name and `?caption=`. Answers `{"messageId": ...}`; the message then
/// travels like any other (`inboxEvents` shows its ticks).
#[handler]
async fn upload(
    state: PoemData<&AppState>,
    req: &Request,
    poem::web::Path((org, id)): poem::web::Path<(String, String)>,
    body: Body,
) -> Response {
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    let fail = |e: &dyn Problem| {
        let status = match e.code() {
            Code::Unauthenticated => StatusCode::UNAUTHORIZED,
            Code::Forbidden => StatusCode::FORBIDDEN,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::Internal => {
                tracing::error!(error = %e.internal_cause(), "upload failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Code::Validation | Code::Conflict => StatusCode::BAD_REQUEST,
        };
        Json(error_body(e, &request_id))
            .with_status(status)
            .into_response()
    };
    let (ip, user_agent) = origin(req, state.trusted_proxy_hops);
    let caller = match bearer(req.headers()) {
        Ok(Some(token)) => match state.authenticate(&token, ip, user_agent).await {
            Ok(c) => c,
            Err(e) => return fail(&e),
        },
        Ok(None) => return fail(&CommonError::Unauthenticated),
        Err(e) => return fail(&e),
    };
    let (Ok(org), Ok(conversation)) = (uuid::Uuid::parse_str(&org), uuid::Uuid::parse_str(&id))
    else {
        return fail(&CommonError::NotFound("conversation"));
    };
    let access = match state
        .domain
        .authorize(
            &caller,
            org,
            wagent_domain::Role::Member,
            wagent_domain::Intent::Write,
        )
        .await
    {
        Ok(a) => a,
        Err(e) => return fail(&e),
    };
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let params: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let file = wagent_domain::whatsapp::Attachment {
        mime_type: header("content-type")
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or("")
            .to_owned(),
        file_name: header("x-file-name").unwrap_or_else(|| "file".into()),
        caption: params.get("caption").cloned().filter(|c| !c.is_empty()),
        declared_size: header("content-length").and_then(|v| v.parse().ok()),
    };
    // The body is read only now, after the caller, the org and the role are checked.
    match state
        .domain
        .send_media(&access, conversation, file, body.into_async_read())
        .await
    {
        Ok(m) => Json(json!({ "messageId": m.id })).into_response(),
        Err(e) => fail(&e),
    }
}

/// A stored media file, through a signed link that lasts ten minutes.
#[handler]
async fn media(
    state: PoemData<&AppState>,
    req: &Request,
    poem::web::Path((org, id)): poem::web::Path<(String, String)>,
) -> Response {
    let params: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let (Ok(org), Ok(id)) = (uuid::Uuid::parse_str(&org), uuid::Uuid::parse_str(&id)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let exp = params
        .get("exp")
        .and_then(|e| e.parse::<i64>().ok())
        .unwrap_or(0);
    let sig = params.get("sig").map(String::as_str).unwrap_or("");
    let (m, path) = match state.domain.open_media_link(org, id, exp, sig).await {
        Ok(found) => found,
        Err(e) if e.code() == Code::NotFound => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::FORBIDDEN.into_response(),
    };
    let Ok(file) = tokio::fs::File::open(&path).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let size = file.metadata().await.ok().map(|m| m.len());
    let mime = m
        .mime_type
        .unwrap_or_else(|| "application/octet-stream".into());
    // Only raster pictures, sound and video show inline; anything else (an SVG, HTML, a PDF)
    // downloads, and nothing we serve may run script or load anything.
    let essence = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let inline = ["image/jpeg", "image/png", "image/webp", "image/gif"].contains(&essence.as_str())
        || essence.starts_with("audio/")
        || essence.starts_with("video/");
    let content_type = if inline {
        HeaderValue::from_str(&mime).ok()
    } else {
        None
    }
    .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let name = m
        .file_name
        .unwrap_or_else(|| "file".into())
        .replace(['"', '\\', '\r', '\n'], "_");
    let disposition = if inline {
        HeaderValue::from_static("inline")
    } else {
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .unwrap_or(HeaderValue::from_static("attachment"))
    };
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_DISPOSITION, disposition)
        .header("Content-Security-Policy", "default-src 'none'; sandbox")
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "private, max-age=600");
    if let Some(size) = size {
        response = response.header(header::CONTENT_LENGTH, size);
    }
    response.body(Body::from_async_read(file))
}

/// Forwards the SPA's customer-phone and simulated Embedded Signup calls to the built-in
/// sandbox (same origin for the browser), with the sandbox's shared secret. Only members of
/// the organization in the path get through (others: 404), and only about the numbers the
/// organization has connected; any other sandbox call is not forwarded.
///
/// - `GET messages?phone_number_id=&to=` and `GET customers/messages?phone_number_id=&from=`
///   (a number is required; answers are filtered to it),
/// - `POST customers/messages {phone_number_id, ...}`: a simulated customer writes in,
/// - `POST embedded-signup`: a new sandbox business for an Admin to connect.
#[handler]
async fn sandbox_proxy(
    state: PoemData<&AppState>,
    req: &Request,
    poem::web::Path((org, path)): poem::web::Path<(String, String)>,
    body: Body,
) -> Response {
    let refuse = |status: StatusCode, message: &str| {
        Json(json!({ "error": { "message": message } }))
            .with_status(status)
            .into_response()
    };
    let Some(base) = state.sandbox_url.as_deref() else {
        return refuse(
            StatusCode::NOT_FOUND,
            "this server does not run the sandbox",
        );
    };
    let (ip, user_agent) = origin(req, state.trusted_proxy_hops);
    let caller = match bearer(req.headers()) {
        Ok(Some(token)) => state.authenticate(&token, ip, user_agent).await.ok(),
        _ => None,
    };
    let Some(caller) = caller.filter(|c| c.user().is_some()) else {
        return refuse(StatusCode::UNAUTHORIZED, "sign in to use the sandbox");
    };
    let not_found = || refuse(StatusCode::NOT_FOUND, "no such organization or number");
    let Ok(org) = uuid::Uuid::parse_str(&org) else {
        return not_found();
    };
    let is_post = *req.method() == poem::http::Method::POST;
    let (needed, intent) = match (is_post, path.as_str()) {
        (true, "embedded-signup") => (wagent_domain::Role::Admin, wagent_domain::Intent::Write),
        (true, "customers/messages") => (wagent_domain::Role::Member, wagent_domain::Intent::Write),
        (false, "messages" | "customers/messages") => {
            (wagent_domain::Role::Member, wagent_domain::Intent::Read)
        }
        _ => return not_found(),
    };
    let access = match state.domain.authorize(&caller, org, needed, intent).await {
        Ok(a) => a,
        Err(e) if e.code() == Code::Forbidden => {
            return refuse(StatusCode::FORBIDDEN, "your role does not allow this");
        }
        Err(e) if e.code() == Code::NotFound => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "sandbox proxy: cannot authorize");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "try again");
        }
    };
    // The number asked about, from the query of a GET or the body of a customer's message.
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let param = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    // The body is read only now that its sender may send it (within the route's limit).
    let body = match body.into_vec().await {
        Ok(body) => body,
        Err(e) => return poem::Error::from(e).into_response(),
    };
    let number = match (is_post, path.as_str()) {
        (true, "embedded-signup") => None,
        (true, _) => match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(v) => v["phone_number_id"].as_str().map(str::to_owned),
            Err(_) => return refuse(StatusCode::BAD_REQUEST, "the body is not JSON"),
        },
        (false, _) => param("phone_number_id"),
    };
    let mut forward: Vec<(&str, String)> = Vec::new();
    if let Some(number) = &number {
        let numbers = match state.domain.phone_numbers(&access).await {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e, "sandbox proxy: cannot list numbers");
                return refuse(StatusCode::INTERNAL_SERVER_ERROR, "try again");
            }
        };
        let ours = numbers
            .iter()
            .any(|n| n.phone_number_id == *number && n.disconnected_at.is_none());
        if !ours {
            return not_found();
        }
        forward.push(("phone_number_id", number.clone()));
    } else if path != "embedded-signup" {
        return refuse(StatusCode::BAD_REQUEST, "phone_number_id is required");
    }
    if !is_post {
        let filter = if path == "messages" { "to" } else { "from" };
        if let Some(v) = param(filter) {
            forward.push((filter, v));
        }
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(forward)
        .finish();
    let url = if query.is_empty() {
        format!("{base}/sandbox/{path}")
    } else {
        format!("{base}/sandbox/{path}?{query}")
    };
    let method = if is_post {
        reqwest::Method::POST
    } else {
        reqwest::Method::GET
    };
    let mut forwarded = state
        .http
        .request(method, url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(secret) = &state.sandbox_secret {
        forwarded = forwarded.header(wagent_sandbox::SECRET_HEADER, secret);
    }
    let answer = match forwarded.send().await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "the sandbox does not answer");
            return refuse(StatusCode::BAD_GATEWAY, "the sandbox does not answer");
        }
    };
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    if answer.status() == reqwest::StatusCode::UNAUTHORIZED {
        tracing::error!("the sandbox refused WAGENT_SANDBOX_SECRET");
        return refuse(StatusCode::BAD_GATEWAY, "the sandbox refused this server");
    }
    let Ok(bytes) = answer.bytes().await else {
        return refuse(StatusCode::BAD_GATEWAY, "the sandbox's answer broke off");
    };
    let mut payload: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => return refuse(StatusCode::BAD_GATEWAY, "the sandbox answered no JSON"),
    };
    // Lists keep the asked number's entries only, whatever the sandbox answered.
    if let (false, Some(number), Some(data)) = (is_post, &number, payload["data"].as_array_mut()) {
        data.retain(|m| m["phone_number_id"].as_str() == Some(number.as_str()));
    }
    Json(payload).with_status(status).into_response()
}

#[handler]
fn healthz() -> &'static str {
    "ok"
}

#[handler]
async fn readyz(state: PoemData<&AppState>) -> Response {
    match state.domain.db().ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            "database unavailable"
                .with_status(StatusCode::SERVICE_UNAVAILABLE)
                .into_response()
        }
    }
}

/// `/metrics` on the main listener: only with `WAGENT_METRICS_TOKEN`, to its bearer.
#[handler]
fn metrics(state: PoemData<&AppState>, req: &Request) -> Response {
    let Some(expected) = state.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = bearer(req.headers()).ok().flatten().unwrap_or_default();
    if !bool::from(subtle::ConstantTimeEq::ct_eq(
        given.as_bytes(),
        expected.as_bytes(),
    )) {
        return StatusCode::UNAUTHORIZED
            .with_header(header::WWW_AUTHENTICATE, "Bearer")
            .into_response();
    }
    render_metrics(&state.metrics)
}

fn render_metrics(counters: &Metrics) -> Response {
    counters
        .render()
        .with_content_type("text/plain; version=0.0.4")
        .into_response()
}

#[handler]
fn client_config(state: PoemData<&AppState>) -> Json<serde_json::Value> {
    Json(state.client_config.clone())
}
