//! What can go wrong fetching a page, in words a business can be shown.

use thiserror::Error;

/// Why a page was not fetched. Cheap to clone, so a crawl can keep one per failed page.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FetchError {
    /// Not a URL, not http or https, or one that carries credentials.
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    /// The URL, a redirect or a DNS answer points somewhere we never connect to: a
    /// private, loopback, link-local or otherwise internal address, or an internal name.
    #[error("forbidden address ({0})")]
    Forbidden(String),
    /// The body grew past the policy's limit while it was read.
    #[error("the page is larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes that was passed.
        limit: usize,
    },
    /// The server answered with a content type the policy does not accept.
    #[error("unsupported content type: {0}")]
    UnsupportedType(String),
    /// The page (redirects, headers and body) took longer than the policy allows.
    #[error("timed out")]
    Timeout,
    /// The server answered with a status other than 2xx (or a 3xx without a usable
    /// `Location`).
    #[error("the server answered HTTP {0}")]
    Status(u16),
    /// More redirects than the policy allows.
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    /// The site's robots.txt does not let our crawler read this URL.
    #[error("robots.txt disallows this page")]
    RobotsDisallowed,
    /// During a crawl, a redirect led off the site being crawled.
    #[error("redirected off the site, to {0}")]
    OffSite(String),
    /// DNS, TCP, TLS or HTTP failed.
    #[error("could not reach the site: {0}")]
    Transport(String),
}
