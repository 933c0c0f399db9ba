//! Fetching the web pages a business gives as knowledge for its AI agent, and crawling
//! its site, without ever reaching an internal address (no SSRF).
//!
//! Every request goes through [`Fetcher`]: only `http`/`https`; IP literals checked
//! before the request; host names resolved by our own DNS resolver, which refuses any
//! name with an internal address among its answers, so the address checked is the one
//! connected to; redirects followed by hand with the same checks on every hop; no proxy;
//! bodies counted while they stream. [`Fetcher::crawl`] adds robots.txt and the limits
//! of a whole crawl.

mod address;
mod crawl;
mod error;
mod fetcher;

pub use address::{forbidden_ip, forbidden_name};
pub use crawl::{
    CrawlEnd, CrawlEvent, CrawlFailure, CrawlOptions, CrawlProgress, CrawlReport, CrawledPage,
};
pub use error::FetchError;
pub use fetcher::{
    DEFAULT_CONTENT_TYPES, DEFAULT_USER_AGENT, FetchPolicy, Fetcher, Page, parse_url,
};
