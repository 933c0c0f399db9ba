//! One page at a time: the safe HTTP client, its limits, and manual redirects.

use std::{error::Error as StdError, net::SocketAddr, sync::Arc, time::Duration};

use reqwest::{
    Response, StatusCode,
    header::{ACCEPT, CONTENT_TYPE, HeaderMap, LOCATION},
    redirect,
};
use url::{Host, Url};

use crate::{
    FetchError,
    address::{Refused, SafeResolver, check_ip, forbidden_name},
};

/// The User-Agent every request carries; its first word is the token robots.txt rules
/// name.
pub const DEFAULT_USER_AGENT: &str = "WAgentBot/1.0 (+https://getwagent.com/bot)";

/// The content types a knowledge source can be read from.
pub const DEFAULT_CONTENT_TYPES: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
];

const MB: usize = 1024 * 1024;

/// What a fetch may do: sizes, times, redirects, content types, and who it says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPolicy {
    /// The largest body read, counted while streaming whatever `Content-Length` says.
    pub max_page_bytes: usize,
    /// For a whole page: every redirect, the headers and the body.
    pub page_timeout: Duration,
    /// For each TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Redirects followed before [`FetchError::TooManyRedirects`].
    pub max_redirects: usize,
    /// Accepted media types (`type/subtype`, lowercase, without parameters).
    pub allowed_content_types: Vec<String>,
    /// Sent with every request; robots.txt groups are matched on its first word.
    pub user_agent: String,
    /// **For tests and the local demo only.** Exact `ip:port` pairs that may be fetched
    /// although internal (a test server on `127.0.0.1:PORT`). They apply to URLs that
    /// name the IP literally; a host name never gets them, so `localhost:PORT` is refused
    /// even when `127.0.0.1:PORT` is allowed. Empty in production.
    pub allow_addresses: Vec<SocketAddr>,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            max_page_bytes: 5 * MB,
            page_timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            max_redirects: 5,
            allowed_content_types: DEFAULT_CONTENT_TYPES
                .iter()
                .map(|&t| t.to_owned())
                .collect(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            allow_addresses: Vec::new(),
        }
    }
}

impl FetchPolicy {
    /// The product token robots.txt groups are matched against: `WAgentBot`.
    pub fn robots_token(&self) -> &str {
        self.user_agent
            .split(['/', ' '])
            .next()
            .filter(|token| !token.is_empty())
            .unwrap_or("WAgentBot")
    }
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where the page was found, after redirects.
    pub final_url: Url,
    /// The HTTP status (always 2xx).
    pub status: u16,
    /// The media type, lowercase, without parameters: `text/html`.
    pub content_type: String,
    /// The `charset` parameter of `Content-Type`, when there is one.
    pub charset: Option<String>,
    /// The body as sent (no decompression is asked for or done).
    pub bytes: Vec<u8>,
}

impl Page {
    /// Whether links can be read from this page.
    pub fn is_html(&self) -> bool {
        matches!(
            self.content_type.as_str(),
            "text/html" | "application/xhtml+xml"
        )
    }
}

/// What one request accepts; the policy's for pages, looser for robots.txt.
pub(crate) struct Limits<'a> {
    pub max_bytes: usize,
    /// `None` accepts any content type.
    pub content_types: Option<&'a [String]>,
    /// Keep the first `max_bytes` of a longer body instead of failing (robots.txt).
    pub truncate: bool,
}

/// Checks each URL a fetch is about to request, after the address checks: a crawl uses
/// it to stay on its site.
pub(crate) type HopCheck<'a> = &'a (dyn Fn(&Url) -> Result<(), FetchError> + Sync);

/// Fetches pages under a [`FetchPolicy`], never from an internal address. Cheap to
/// clone; share one per process.
#[derive(Debug, Clone)]
pub struct Fetcher {
    http: reqwest::Client,
    policy: Arc<FetchPolicy>,
}

impl Fetcher {
    /// Builds the HTTP client: our resolver, no proxy, no automatic redirects.
    pub fn new(policy: FetchPolicy) -> Result<Self, FetchError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .dns_resolver(SafeResolver)
            // A proxy would resolve the target itself, past our resolver.
            .no_proxy()
            .redirect(redirect::Policy::none())
            .referer(false)
            .connect_timeout(policy.connect_timeout)
            .user_agent(policy.user_agent.clone())
            .build()
            .map_err(|e| FetchError::Transport(chain(&e)))?;
        Ok(Self {
            http,
            policy: Arc::new(policy),
        })
    }

    /// The policy this fetcher enforces.
    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Fetches one page, following redirects. Does not consult robots.txt: this is a
    /// fetch the business asked for by URL; [`Fetcher::crawl`] honours robots.txt.
    pub async fn fetch(&self, url: &str) -> Result<Page, FetchError> {
        self.fetch_url(&parse_url(url)?).await
    }

    /// [`Fetcher::fetch`] for a URL already parsed.
    pub async fn fetch_url(&self, url: &Url) -> Result<Page, FetchError> {
        let limits = Limits {
            max_bytes: self.policy.max_page_bytes,
            content_types: Some(&self.policy.allowed_content_types),
            truncate: false,
        };
        self.get(url, &limits, &|_| Ok(())).await
    }

    /// Fetches `url` under `limits` within the page timeout.
    pub(crate) async fn get(
        &self,
        url: &Url,
        limits: &Limits<'_>,
        hop_check: HopCheck<'_>,
    ) -> Result<Page, FetchError> {
        tokio::time::timeout(
            self.policy.page_timeout,
            self.get_within(url, limits, hop_check),
        )
        .await
        .map_err(|_| FetchError::Timeout)?
    }

    async fn get_within(
        &self,
        url: &Url,
        limits: &Limits<'_>,
        hop_check: HopCheck<'_>,
    ) -> Result<Page, FetchError> {
        let (final_url, response) = self.follow(url, hop_check).await?;
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let (content_type, charset) = media_type(response.headers());
        if let Some(accepted) = limits.content_types
            && !accepted
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&content_type))
        {
            let shown = if content_type.is_empty() {
                "none given".to_owned()
            } else {
                content_type
            };
            return Err(FetchError::UnsupportedType(shown));
        }
        let bytes = read_body(response, limits.max_bytes, limits.truncate).await?;
        Ok(Page {
            final_url,
            status: status.as_u16(),
            content_type,
            charset,
            bytes,
        })
    }

    /// Requests `url`, following redirects by hand so every hop passes the same checks.
    async fn follow(
        &self,
        url: &Url,
        hop_check: HopCheck<'_>,
    ) -> Result<(Url, Response), FetchError> {
        let mut current = url.clone();
        let mut redirects = 0;
        loop {
            self.check_target(&current)?;
            hop_check(&current)?;
            let response = self
                .http
                .get(current.clone())
                .header(ACCEPT, accept_header(&self.policy.allowed_content_types))
                .send()
                .await
                .map_err(|e| transport_error(&e))?;
            if !is_redirect(response.status()) {
                return Ok((current, response));
            }
            let status = response.status().as_u16();
            let next = response
                .headers()
                .get(LOCATION)
                .and_then(|location| location.to_str().ok())
                .and_then(|location| current.join(location).ok())
                .ok_or(FetchError::Status(status))?;
            redirects += 1;
            if redirects > self.policy.max_redirects {
                return Err(FetchError::TooManyRedirects(self.policy.max_redirects));
            }
            current = normalise(next);
        }
    }

    /// The checks that need no DNS: scheme, credentials, IP literals and internal names.
    /// Names are checked again, with their addresses, by the resolver at connect time.
    pub(crate) fn check_target(&self, url: &Url) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::InvalidUrl(format!(
                "only http and https can be fetched, not {}",
                url.scheme()
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FetchError::InvalidUrl(
                "a URL with a user name or password".into(),
            ));
        }
        let port = url
            .port_or_known_default()
            .ok_or_else(|| FetchError::InvalidUrl("no port".into()))?;
        match url.host() {
            Some(Host::Ipv4(ip)) => check_ip(ip.into(), port, &self.policy.allow_addresses)
                .map_err(FetchError::Forbidden),
            Some(Host::Ipv6(ip)) => check_ip(ip.into(), port, &self.policy.allow_addresses)
                .map_err(FetchError::Forbidden),
            Some(Host::Domain(name)) => {
                forbidden_name(name).map_or(Ok(()), |why| Err(FetchError::Forbidden(why)))
            }
            None => Err(FetchError::InvalidUrl("no host".into())),
        }
    }
}

/// Parses a URL a business typed: surrounding spaces trimmed, fragment dropped.
pub fn parse_url(input: &str) -> Result<Url, FetchError> {
    let url = Url::parse(input.trim()).map_err(|e| FetchError::InvalidUrl(e.to_string()))?;
    Ok(normalise(url))
}

/// The one normalisation applied to URLs: the fragment never reaches the server, so two
/// URLs differing only in it are the same page. The `url` crate has already lowercased
/// the scheme and host, dropped default ports and resolved dot segments.
pub(crate) fn normalise(mut url: Url) -> Url {
    url.set_fragment(None);
    url
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

fn accept_header(types: &[String]) -> String {
    let mut accept = types.join(", ");
    if accept.is_empty() {
        accept.push_str("*/*");
    } else {
        accept.push_str(", */*;q=0.1");
    }
    accept
}

/// The media type (lowercase, no parameters) and charset of a response.
fn media_type(headers: &HeaderMap) -> (String, Option<String>) {
    let Some(value) = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
    else {
        return (String::new(), None);
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let charset = parts.find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
    });
    (essence, charset)
}

/// Reads the body chunk by chunk, stopping at `max_bytes` however the body is framed.
async fn read_body(
    mut response: Response,
    max_bytes: usize,
    truncate: bool,
) -> Result<Vec<u8>, FetchError> {
    let too_large = FetchError::TooLarge { limit: max_bytes };
    // A declared length over the limit fails before reading; a smaller one is not
    // trusted, the count below is.
    if !truncate
        && response
            .content_length()
            .is_some_and(|n| n > max_bytes as u64)
    {
        return Err(too_large);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&e))? {
        if body.len() + chunk.len() > max_bytes {
            if truncate {
                body.extend_from_slice(&chunk[..max_bytes - body.len()]);
                break;
            }
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Maps a reqwest error, recognising our resolver's refusal in its chain of causes.
fn transport_error(error: &reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return FetchError::Forbidden(refused.0.clone());
        }
        source = cause.source();
    }
    if error.is_timeout() {
        return FetchError::Timeout;
    }
    FetchError::Transport(chain(error))
}

/// An error and its causes on one line; reqwest's own message is often just "error
/// sending request".
fn chain(error: &dyn StdError) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
