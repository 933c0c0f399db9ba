//! The Graph API client: messages, media, templates, phone numbers, Embedded Signup.
//!
//! Every call takes the tenant's access token; the client holds none. Requests are
//! validated against Meta's documented limits before they leave, and every error is
//! scrubbed of the token, app secret and OAuth code involved (Meta and reqwest may echo
//! URLs and values back).

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use crate::{
    GraphError,
    types::{
        AccessToken, BusinessProfile, BusinessProfileUpdate, CreatedTemplate, DebugToken,
        MediaInfo, NewTemplate, OutboundMessage, PhoneNumber, SendResult, Template, TemplatePage,
        flexible, invalid, non_empty,
    },
};

/// The largest JSON answer the client reads; Graph answers are a few kilobytes.
const MAX_JSON_BODY: usize = 8 * 1024 * 1024;
/// How much of a non-JSON error body an error keeps.
const ERROR_EXCERPT: usize = 300;
/// Pages of phone numbers read before giving up (a WABA has a handful of numbers).
const MAX_NUMBER_PAGES: usize = 20;
const MB: usize = 1024 * 1024;

const PHONE_NUMBER_FIELDS: &str = "id,display_phone_number,verified_name,quality_rating,\
code_verification_status,name_status,status,platform_type,throughput,messaging_limit_tier,\
whatsapp_business_manager_messaging_limit";
const TEMPLATE_FIELDS: &str =
    "name,id,language,status,category,parameter_format,components,quality_score,rejected_reason";
const PROFILE_FIELDS: &str =
    "about,address,description,email,profile_picture_url,websites,vertical";

/// Where the Graph API is and how long to wait for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphConfig {
    /// `https://graph.facebook.com` in production; tests and the sandbox point it elsewhere.
    pub base_url: String,
    /// The Graph version in every path, `v21.0`.
    pub version: String,
    /// For a whole request, body included. Media uploads and downloads get six times
    /// as long (two minutes by default): documents reach 100 MB.
    pub timeout: Duration,
}

impl Default for GraphConfig {
    fn default() -> Self {
        Self {
            base_url: "https://graph.facebook.com".into(),
            version: "v21.0".into(),
            timeout: Duration::from_secs(20),
        }
    }
}

/// A client for Meta's Graph API. Cheap to clone; share one per process.
#[derive(Debug, Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    base: Url,
    version: String,
    transfer_timeout: Duration,
}

impl GraphClient {
    pub fn new(config: GraphConfig) -> Result<Self, GraphError> {
        let base = Url::parse(&config.base_url)
            .map_err(|e| invalid(format!("the Graph base URL is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(invalid("the Graph base URL must be an http or https URL"));
        }
        if !config.version.starts_with('v') || !is_path_segment(&config.version) {
            return Err(invalid("the Graph version looks like v21.0"));
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("wagent-meta/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GraphError::Transport(e.to_string()))?;
        Ok(Self {
            http,
            base,
            version: config.version,
            transfer_timeout: config.timeout.saturating_mul(6),
        })
    }

    // --- Messages ------------------------------------------------------------------------

    /// `POST /{phone-number-id}/messages`. Success means Meta accepted the message; its
    /// fate arrives later in status webhooks.
    pub async fn send_message(
        &self,
        token: &AccessToken,
        phone_number_id: &str,
        message: &OutboundMessage,
    ) -> Result<SendResult, GraphError> {
        message.validate()?;
        #[derive(Serialize)]
        struct Envelope<'a> {
            messaging_product: &'static str,
            recipient_type: &'static str,
            #[serde(flatten)]
            message: &'a OutboundMessage,
        }
        #[derive(Deserialize)]
        struct Sent {
            #[serde(default)]
            contacts: Vec<SentContact>,
            #[serde(default)]
            messages: Vec<SentMessage>,
        }
        #[derive(Deserialize)]
        struct SentContact {
            #[serde(default)]
            input: Option<String>,
            #[serde(default)]
            wa_id: Option<String>,
        }
        #[derive(Deserialize)]
        struct SentMessage {
            id: String,
            #[serde(default)]
            message_status: Option<String>,
        }
        let url = self.url(&[phone_number_id, "messages"])?;
        let body = Envelope {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            message,
        };
        let sent: Sent = self
            .call(
                self.request(Method::POST, url, token).json(&body),
                &[token.expose()],
            )
            .await?;
        let Some(first) = sent.messages.into_iter().next() else {
            return Err(GraphError::Decode("the answer names no message id".into()));
        };
        let contact = sent.contacts.into_iter().next();
        Ok(SendResult {
            wa_id: contact.as_ref().and_then(|c| c.wa_id.clone()),
            input: contact
                .and_then(|c| c.input)
                .unwrap_or_else(|| message.recipient.as_str().to_owned()),
            message_id: first.id,
            message_status: first.message_status,
        })
    }

    /// Marks an inbound message (and the ones before it) as read; with `typing`, shows a
    /// typing indicator for up to 25 seconds or until the next message is sent.
    pub async fn mark_read(
        &self,
        token: &AccessToken,
        phone_number_id: &str,
        message_id: &str,
        typing: bool,
    ) -> Result<(), GraphError> {
        non_empty("message_id", message_id)?;
        let mut body = json!({
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": message_id,
        });
        if typing {
            body["typing_indicator"] = json!({ "type": "text" });
        }
        let url = self.url(&[phone_number_id, "messages"])?;
        self.call_success(self.request(Method::POST, url, token).json(&body), token)
            .await
    }

    // --- Media ---------------------------------------------------------------------------

    /// `POST /{pn}/media` (multipart); returns the media id, valid for 30 days.
    /// Refuses files over Meta's limits: images 5 MB, audio and video 16 MB, others 100 MB.
    pub async fn upload_media(
        &self,
        token: &AccessToken,
        phone_number_id: &str,
        bytes: Vec<u8>,
        mime: &str,
        filename: &str,
    ) -> Result<String, GraphError> {
        if !is_mime_type(mime) {
            return Err(invalid("the media type is not a MIME type like image/jpeg"));
        }
        if bytes.is_empty() {
            return Err(invalid("the media file is empty"));
        }
        let limit = match mime.split('/').next().unwrap_or_default() {
            "image" => 5 * MB,
            "audio" | "video" => 16 * MB,
            _ => 100 * MB,
        };
        if bytes.len() > limit {
            return Err(invalid(format!(
                "{mime} files are limited to {} MB",
                limit / MB
            )));
        }
        let (content_type, body) = multipart_body(bytes, mime, filename);
        let url = self.url(&[phone_number_id, "media"])?;
        #[derive(Deserialize)]
        struct Uploaded {
            id: String,
        }
        let uploaded: Uploaded = self
            .call(
                self.request(Method::POST, url, token)
                    .timeout(self.transfer_timeout)
                    .header(reqwest::header::CONTENT_TYPE, content_type)
                    .body(body),
                &[token.expose()],
            )
            .await?;
        Ok(uploaded.id)
    }

    /// `GET /{media-id}`: where to download the media (the URL lives five minutes).
    pub async fn media_info(
        &self,
        token: &AccessToken,
        media_id: &str,
    ) -> Result<MediaInfo, GraphError> {
        let url = self.url(&[media_id])?;
        self.call(self.request(Method::GET, url, token), &[token.expose()])
            .await
    }

    /// Downloads media from a URL given by [`media_info`](Self::media_info) or by a
    /// webhook, refusing bodies over `max_bytes` with [`GraphError::TooLarge`]. On a 404
    /// ([`GraphError::is_not_found`]) the URL expired: fetch a fresh one.
    ///
    /// The token is sent only over https, or to the configured Graph origin (tests).
    pub async fn download_media(
        &self,
        token: &AccessToken,
        url: &str,
        max_bytes: usize,
    ) -> Result<Vec<u8>, GraphError> {
        let url = Url::parse(url).map_err(|_| invalid("the media URL is not a URL"))?;
        let trusted = url.scheme() == "https" || url.origin() == self.base.origin();
        if !trusted {
            return Err(invalid(
                "media URLs must be https: the access token goes with the request",
            ));
        }
        let secrets = [token.expose()];
        let mut response = self
            .request(Method::GET, url, token)
            .timeout(self.transfer_timeout)
            .send()
            .await
            .map_err(|e| transport_error(e, &secrets))?;
        let status = response.status();
        if !status.is_success() {
            let body = read_limited(&mut response, MAX_JSON_BODY, &secrets)
                .await
                .unwrap_or_default();
            return Err(api_error(status, &body, &secrets));
        }
        if response
            .content_length()
            .is_some_and(|len| len > max_bytes as u64)
        {
            return Err(GraphError::TooLarge);
        }
        read_limited(&mut response, max_bytes, &secrets).await
    }

    /// `DELETE /{media-id}`.
    pub async fn delete_media(
        &self,
        token: &AccessToken,
        media_id: &str,
    ) -> Result<(), GraphError> {
        let url = self.url(&[media_id])?;
        self.call_success(self.request(Method::DELETE, url, token), token)
            .await
    }

    // --- Templates -----------------------------------------------------------------------

    /// One page of the WABA's templates; pass the previous page's `after` for the next.
    pub async fn list_templates(
        &self,
        token: &AccessToken,
        waba_id: &str,
        after: Option<&str>,
    ) -> Result<TemplatePage, GraphError> {
        let mut url = self.url(&[waba_id, "message_templates"])?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("fields", TEMPLATE_FIELDS);
            query.append_pair("limit", "100");
            if let Some(after) = after {
                query.append_pair("after", after);
            }
        }
        let page: Page<Template> = self
            .call(self.request(Method::GET, url, token), &[token.expose()])
            .await?;
        Ok(TemplatePage {
            after: page.next_cursor(),
            data: page.data,
        })
    }

    /// `POST /{waba}/message_templates`; Meta reviews the template (status `PENDING`).
    pub async fn create_template(
        &self,
        token: &AccessToken,
        waba_id: &str,
        template: &NewTemplate,
    ) -> Result<CreatedTemplate, GraphError> {
        template.validate()?;
        let url = self.url(&[waba_id, "message_templates"])?;
        self.call(
            self.request(Method::POST, url, token).json(template),
            &[token.expose()],
        )
        .await
    }

    /// Deletes the template `name` in every language, or only the one whose id is `hsm_id`.
    pub async fn delete_template(
        &self,
        token: &AccessToken,
        waba_id: &str,
        name: &str,
        hsm_id: Option<&str>,
    ) -> Result<(), GraphError> {
        non_empty("template name", name)?;
        let mut url = self.url(&[waba_id, "message_templates"])?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("name", name);
            if let Some(hsm_id) = hsm_id {
                query.append_pair("hsm_id", hsm_id);
            }
        }
        self.call_success(self.request(Method::DELETE, url, token), token)
            .await
    }

    // --- Phone numbers and accounts ------------------------------------------------------

    /// `GET /{pn}` with the fields of [`PhoneNumber`].
    pub async fn phone_number(
        &self,
        token: &AccessToken,
        phone_number_id: &str,
    ) -> Result<PhoneNumber, GraphError> {
        let mut url = self.url(&[phone_number_id])?;
        url.query_pairs_mut()
            .append_pair("fields", PHONE_NUMBER_FIELDS);
        self.call(self.request(Method::GET, url, token), &[token.expose()])
            .await
    }

    /// Every phone number of the WABA (following pagination).
    pub async fn phone_numbers(
        &self,
        token: &AccessToken,
        waba_id: &str,
    ) -> Result<Vec<PhoneNumber>, GraphError> {
        let mut numbers = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_NUMBER_PAGES {
            let mut url = self.url(&[waba_id, "phone_numbers"])?;
            {
                let mut query = url.query_pairs_mut();
                query.append_pair("fields", PHONE_NUMBER_FIELDS);
                if let Some(after) = &after {
                    query.append_pair("after", after);
                }
            }
            let page: Page<PhoneNumber> = self
                .call(self.request(Method::GET, url, token), &[token.expose()])
                .await?;
            after = page.next_cursor();
            numbers.extend(page.data);
            if after.is_none() {
                break;
            }
        }
        Ok(numbers)
    }

    /// `POST /{pn}/register`; `pin` (six digits) becomes the number's two-step PIN.
    pub async fn register(
        &self,
        token: &AccessToken,
        phone_number_id: &str,
        pin: &str,
    ) -> Result<(), GraphError> {
        if pin.len() != 6 || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("the PIN has exactly six digits"));
        }
        let url = self.url(&[phone_number_id, "register"])?;
        let body = json!({ "messaging_product": "whatsapp", "pin": pin });
        self.call_success(self.request(Method::POST, url, token).json(&body), token)
            .await
    }

    /// `POST /{waba}/subscribed_apps`: deliver the WABA's webhooks to our app.
    pub async fn subscribe_app(
        &self,
        token: &AccessToken,
        waba_id: &str,
    ) -> Result<(), GraphError> {
        let url = self.url(&[waba_id, "subscribed_apps"])?;
        self.call_success(self.request(Method::POST, url, token), token)
            .await
    }

    /// `GET /{pn}/whatsapp_business_profile`.
    pub async fn business_profile(
        &self,
        token: &AccessToken,
        phone_number_id: &str,
    ) -> Result<BusinessProfile, GraphError> {
        let mut url = self.url(&[phone_number_id, "whatsapp_business_profile"])?;
        url.query_pairs_mut().append_pair("fields", PROFILE_FIELDS);
        // Meta wraps the profile in `data: [..]`; accept a bare object too.
        let value: Value = self
            .call(self.request(Method::GET, url, token), &[token.expose()])
            .await?;
        let profile = match value.get("data") {
            Some(Value::Array(items)) => items.first().cloned().unwrap_or(Value::Null),
            _ => value,
        };
        if profile.is_null() {
            return Ok(BusinessProfile::default());
        }
        serde_json::from_value(profile)
            .map_err(|e| GraphError::Decode(scrub(e.to_string(), &[token.expose()])))
    }

    /// `POST /{pn}/whatsapp_business_profile` with the fields that are set.
    pub async fn update_business_profile(
        &self,
        token: &AccessToken,
        phone_number_id: &str,
        update: &BusinessProfileUpdate,
    ) -> Result<(), GraphError> {
        update.validate()?;
        #[derive(Serialize)]
        struct Body<'a> {
            messaging_product: &'static str,
            #[serde(flatten)]
            update: &'a BusinessProfileUpdate,
        }
        let url = self.url(&[phone_number_id, "whatsapp_business_profile"])?;
        let body = Body {
            messaging_product: "whatsapp",
            update,
        };
        self.call_success(self.request(Method::POST, url, token).json(&body), token)
            .await
    }

    // --- Embedded Signup -----------------------------------------------------------------

    /// Exchanges Embedded Signup's `code` (valid 30 s) for the business's access token.
    /// Neither the secret, the code nor the token is logged or kept in an error.
    pub async fn exchange_code(
        &self,
        app_id: &str,
        app_secret: &str,
        code: &str,
    ) -> Result<AccessToken, GraphError> {
        non_empty("app id", app_id)?;
        non_empty("app secret", app_secret)?;
        non_empty("code", code)?;
        let mut url = self.url(&["oauth", "access_token"])?;
        url.query_pairs_mut()
            .append_pair("client_id", app_id)
            .append_pair("client_secret", app_secret)
            .append_pair("code", code);
        #[derive(Deserialize)]
        struct Exchanged {
            access_token: String,
        }
        let secrets = [app_secret, code];
        let exchanged: Exchanged = self
            .call(self.http.request(Method::GET, url), &secrets)
            .await?;
        if exchanged.access_token.is_empty() {
            return Err(GraphError::Decode(
                "the answer has an empty access token".into(),
            ));
        }
        Ok(AccessToken::new(exchanged.access_token))
    }

    /// `GET /debug_token`, authenticated as the app: which scopes and assets the token has.
    pub async fn debug_token(
        &self,
        input_token: &AccessToken,
        app_id: &str,
        app_secret: &str,
    ) -> Result<DebugToken, GraphError> {
        non_empty("app id", app_id)?;
        non_empty("app secret", app_secret)?;
        let app_token = format!("{app_id}|{app_secret}");
        let mut url = self.url(&["debug_token"])?;
        url.query_pairs_mut()
            .append_pair("input_token", input_token.expose())
            .append_pair("access_token", &app_token);
        #[derive(Deserialize)]
        struct Debugged {
            data: DebugToken,
        }
        let secrets = [input_token.expose(), app_secret, app_token.as_str()];
        let debugged: Debugged = self
            .call(self.http.request(Method::GET, url), &secrets)
            .await?;
        Ok(debugged.data)
    }

    // --- Plumbing ------------------------------------------------------------------------

    /// `{base}/{version}/{segments...}`; each segment must be a plain id.
    fn url(&self, segments: &[&str]) -> Result<Url, GraphError> {
        if let Some(bad) = segments.iter().find(|s| !is_path_segment(s)) {
            return Err(invalid(format!(
                "`{}` is not a Graph id",
                bad.chars().take(64).collect::<String>()
            )));
        }
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|_| invalid("the Graph base URL cannot take a path"))?
            .pop_if_empty()
            .push(&self.version)
            .extend(segments);
        Ok(url)
    }

    fn request(&self, method: Method, url: Url, token: &AccessToken) -> RequestBuilder {
        self.http.request(method, url).bearer_auth(token.expose())
    }

    /// Sends, then decodes a success body as `T` or an error body as [`GraphError::Api`].
    async fn call<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        secrets: &[&str],
    ) -> Result<T, GraphError> {
        let mut response = request
            .send()
            .await
            .map_err(|e| transport_error(e, secrets))?;
        let status = response.status();
        let body = read_limited(&mut response, MAX_JSON_BODY, secrets).await?;
        if !status.is_success() {
            let error = api_error(status, &body, secrets);
            tracing::debug!(path = response.url().path(), %status, %error, "Graph call failed");
            return Err(error);
        }
        serde_json::from_slice(&body).map_err(|e| GraphError::Decode(scrub(e.to_string(), secrets)))
    }

    /// For calls whose answer is `{"success": true}`.
    async fn call_success(
        &self,
        request: RequestBuilder,
        token: &AccessToken,
    ) -> Result<(), GraphError> {
        #[derive(Deserialize)]
        struct Success {
            #[serde(default)]
            success: bool,
        }
        let answer: Success = self.call(request, &[token.expose()]).await?;
        if answer.success {
            Ok(())
        } else {
            Err(GraphError::Decode("Meta answered success: false".into()))
        }
    }
}

/// A Graph list: `{data, paging: {cursors: {after}, next?}}`.
#[derive(Deserialize)]
struct Page<T> {
    #[serde(default = "Vec::new")]
    data: Vec<T>,
    #[serde(default)]
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct Paging {
    #[serde(default)]
    cursors: Option<Cursors>,
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct Cursors {
    #[serde(default)]
    after: Option<String>,
}

impl<T> Page<T> {
    /// Meta sends cursors on the last page too; only `next` says there is more.
    fn next_cursor(&self) -> Option<String> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        paging.cursors.as_ref()?.after.clone()
    }
}

/// Reads the body, refusing more than `max` bytes.
async fn read_limited(
    response: &mut Response,
    max: usize,
    secrets: &[&str],
) -> Result<Vec<u8>, GraphError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(e, secrets))?
    {
        if body.len() + chunk.len() > max {
            return Err(GraphError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport_error(error: reqwest::Error, secrets: &[&str]) -> GraphError {
    if error.is_timeout() {
        return GraphError::Timeout;
    }
    // The URL may carry a secret in its query; the causes say what actually went wrong.
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    if error.is_connect() {
        return GraphError::Unreachable(scrub(text, secrets));
    }
    GraphError::Transport(scrub(text, secrets))
}

/// Meta's error body, `{"error": {...}}`, or the start of whatever came instead.
fn api_error(status: StatusCode, body: &[u8], secrets: &[&str]) -> GraphError {
    #[derive(Deserialize)]
    struct Envelope {
        error: Body,
    }
    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        code: Option<Value>,
        #[serde(default)]
        error_subcode: Option<Value>,
        #[serde(default)]
        error_data: Option<Value>,
        #[serde(default)]
        fbtrace_id: Option<String>,
    }
    let parsed = serde_json::from_slice::<Envelope>(body)
        .ok()
        .and_then(|e| Some((e.error.code.as_ref().and_then(flexible::i64_of)?, e.error)));
    let Some((code, error)) = parsed else {
        let text: String = String::from_utf8_lossy(body)
            .chars()
            .take(ERROR_EXCERPT)
            .collect();
        return GraphError::Http {
            http_status: status.as_u16(),
            body: scrub(text, secrets),
        };
    };
    // `error_data` is an object, or sometimes that object encoded as a string.
    let details = match error.error_data {
        Some(Value::String(s)) => serde_json::from_str::<Value>(&s)
            .ok()
            .and_then(|v| v.get("details").and_then(Value::as_str).map(str::to_owned))
            .or(Some(s)),
        Some(data) => data
            .get("details")
            .and_then(Value::as_str)
            .map(str::to_owned),
        None => None,
    };
    GraphError::Api {
        http_status: status.as_u16(),
        code,
        subcode: error.error_subcode.as_ref().and_then(flexible::i64_of),
        message: scrub(error.message.unwrap_or_default(), secrets),
        details: details.map(|d| scrub(d, secrets)),
        fbtrace_id: error.fbtrace_id,
    }
}

/// Replaces every secret, raw or percent-encoded, with `<secret>`.
pub(crate) fn scrub(mut text: String, secrets: &[&str]) -> String {
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        for form in [secret.to_string(), encoded] {
            if text.contains(&form) {
                text = text.replace(&form, "<secret>");
            }
        }
    }
    text
}

/// A Graph id or path word: letters, digits, `_`, `-`, `.`; never `.` or `..`.
fn is_path_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment.len() <= 256
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

fn is_mime_type(mime: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b'!' | b'#' | b'$' | b'&' | b'^' | b'_' | b'.' | b'+' | b'-'
                    )
            })
    };
    let mut parts = mime.splitn(2, '/');
    matches!((parts.next(), parts.next()), (Some(a), Some(b)) if token(a) && token(b))
}

/// A `multipart/form-data` body with `messaging_product`, `type` and `file`.
/// The boundary is derived from the file's hash, so it cannot occur inside the file.
fn multipart_body(bytes: Vec<u8>, mime: &str, filename: &str) -> (String, Vec<u8>) {
    let boundary = format!("wagent-{}", hex::encode(Sha256::digest(&bytes)));
    // Quotes, backslashes and line breaks would end the header early.
    let mut safe_name: String = filename
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '\\' | '/') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if safe_name.trim().is_empty() {
        safe_name = "file".into();
    }
    let mut body = Vec::with_capacity(bytes.len() + 512);
    let mut field = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    field("messaging_product", "whatsapp");
    field("type", mime);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\n\
             Content-Disposition: form-data; name=\"file\"; filename=\"{safe_name}\"\r\n\
             Content-Type: {mime}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_scrubbed_raw_and_encoded() {
        let text = "bad token EAAB+x/y= in url?access_token=EAAB%2Bx%2Fy%3D".to_string();
        assert_eq!(
            scrub(text, &["EAAB+x/y="]),
            "bad token <secret> in url?access_token=<secret>"
        );
    }

    #[test]
    fn path_segments_are_plain_ids() {
        assert!(is_path_segment("1234567890"));
        assert!(is_path_segment("v21.0"));
        for bad in ["", ".", "..", "a/b", "a?b", "a#b", "a b", "%2e"] {
            assert!(!is_path_segment(bad), "{bad}");
        }
    }

    #[test]
    fn mime_types_are_checked() {
        assert!(is_mime_type("image/jpeg"));
        assert!(is_mime_type("application/vnd.ms-excel"));
        assert!(!is_mime_type("image"));
        assert!(!is_mime_type("image/jpeg\r\nX: y"));
    }
}
