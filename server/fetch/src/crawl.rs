//! Crawling a business's site breadth-first: same host, bounded, polite.
//!
//! - Same site: the start URL's host and port; `http` and `https` of it, and the host
//!   with or without `www.`, count as one site (and one page per path and query). Other
//!   hosts, subdomains included, are never requested; a redirect that leads there fails
//!   the page with [`FetchError::OffSite`].
//! - robots.txt: fetched once per crawl from the start URL's origin (following its
//!   redirects), through the same safe fetcher, and applied to every URL of the site. A 4xx (but 429) means no rules;
//!   a 5xx, a 429 or an unreachable server means *disallow everything*, as RFC 9309
//!   asks: we would rather read nothing than read a site that may have said no.
//! - `<meta name="robots">` (or `name="WAgentBot"`): `noindex` leaves the page out of the
//!   results, `nofollow` (or `none`) stops its links being followed; so does
//!   `rel="nofollow"` on a single link.
//! - Links are followed from HTML pages only. Links to assets (images, scripts, styles,
//!   media, archives) are never requested; links to documents on the site (PDF, DOCX,
//!   text) are fetched as pages, since a business's price list is often a PDF.
//! - Bounds: depth, pages requested (failures count, so a site of broken links cannot
//!   make a crawl run on), total bytes, total time, links per page and queued URLs.

use std::{
    collections::{HashSet, VecDeque},
    time::Duration,
};

use scraper::{Html, Selector};
use texting_robots::Robot;
use tokio::time::Instant;
use url::{Position, Url};

use crate::{
    FetchError, Fetcher, Page,
    fetcher::{Limits, normalise, parse_url},
};

/// robots.txt beyond this is ignored, as Google does at 500 KiB.
const MAX_ROBOTS_BYTES: usize = 512 * 1024;
/// Links read from one page; a page with more is a link farm or a sitemap page.
const MAX_LINKS_PER_PAGE: usize = 2_000;
/// URLs waiting in the queue; enough for any max_pages a plan allows.
const MAX_QUEUED: usize = 10_000;

/// Path endings never requested: they hold nothing an agent can learn from.
const ASSET_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "heic", "css",
    "js", "mjs", "map", "json", "xml", "rss", "atom", "woff", "woff2", "ttf", "otf", "eot", "mp3",
    "mp4", "m4a", "m4v", "wav", "ogg", "oga", "webm", "mov", "avi", "mkv", "flac", "zip", "gz",
    "tgz", "rar", "7z", "tar", "bz2", "xz", "exe", "dmg", "apk", "msi", "iso", "bin", "doc", "xls",
    "xlsx", "ppt", "pptx", "odt", "ods", "csv",
];

/// How far and how long a crawl may go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrawlOptions {
    /// Links followed from the start page: 0 fetches the start page only.
    pub max_depth: usize,
    /// Pages requested, failed ones included (robots.txt is not counted).
    pub max_pages: usize,
    /// Body bytes kept over the whole crawl; each page may read only what is left, and
    /// the crawl ends at the first page cut off by it.
    pub max_total_bytes: usize,
    /// Wall-clock time for the whole crawl.
    pub max_duration: Duration,
}

impl Default for CrawlOptions {
    fn default() -> Self {
        Self {
            max_depth: 2,
            max_pages: 50,
            max_total_bytes: 50 * 1024 * 1024,
            max_duration: Duration::from_secs(10 * 60),
        }
    }
}

impl CrawlOptions {
    /// One page, robots.txt honoured: a knowledge source that is a single URL.
    pub fn single_page() -> Self {
        Self {
            max_depth: 0,
            max_pages: 1,
            ..Self::default()
        }
    }
}

/// A page a crawl kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrawledPage {
    /// The URL the crawl requested (the page's `final_url` differs after a redirect).
    pub url: Url,
    /// Links followed from the start page to reach it.
    pub depth: usize,
    /// The page.
    pub page: Page,
}

/// A URL the crawl could not read, and why; the crawl goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrawlFailure {
    /// The URL requested (or refused before any request).
    pub url: Url,
    /// Links followed from the start page to reach it.
    pub depth: usize,
    /// Why.
    pub error: FetchError,
}

/// Why a crawl stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrawlEnd {
    /// Every reachable page within `max_depth` was visited.
    Exhausted,
    /// `max_pages` were requested and more were queued.
    MaxPages,
    /// `max_total_bytes` were read.
    MaxBytes,
    /// `max_duration` passed.
    MaxDuration,
}

/// Counts after each page, for a job to show progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrawlProgress {
    /// Pages requested so far.
    pub requested: usize,
    /// Pages kept so far.
    pub pages: usize,
    /// Failures so far.
    pub failures: usize,
    /// URLs waiting.
    pub queued: usize,
    /// Body bytes read so far.
    pub bytes: usize,
}

/// What a crawl reports as it goes, once per URL it is done with.
#[derive(Debug, Clone, Copy)]
pub enum CrawlEvent<'a> {
    /// A page was kept.
    Page(&'a CrawledPage, CrawlProgress),
    /// A page was read but its `<meta name="robots">` says `noindex`.
    NoIndex(&'a Url, CrawlProgress),
    /// A URL failed or was refused.
    Failed(&'a CrawlFailure, CrawlProgress),
}

/// Everything a crawl found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrawlReport {
    /// Kept pages, in the order read (breadth-first).
    pub pages: Vec<CrawledPage>,
    /// URLs that failed or were refused.
    pub failures: Vec<CrawlFailure>,
    /// Pages read and left out because they asked not to be indexed.
    pub noindex: Vec<Url>,
    /// Why the crawl stopped.
    pub end: CrawlEnd,
}

/// What robots.txt lets us read.
enum Robots {
    Everything,
    Nothing,
    Rules(Box<Robot>),
}

impl Robots {
    fn allows(&self, url: &Url) -> bool {
        match self {
            Robots::Everything => true,
            Robots::Nothing => false,
            Robots::Rules(robot) => robot.allowed(url.as_str()),
        }
    }
}

/// The site a crawl stays on.
struct Site {
    start: Url,
}

impl Site {
    fn contains(&self, url: &Url) -> bool {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().map(site_host) == self.start.host_str().map(site_host)
            && url.port() == self.start.port()
    }
}

/// A host without its `www.`: `shop.example` and `www.shop.example` are one site, since
/// a business typing one is usually redirected to the other.
fn site_host(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

/// One page per path and query, whichever of http and https, and of the host with or
/// without `www.`, a link uses.
fn page_key(url: &Url) -> String {
    let host = url.host_str().map(site_host).unwrap_or_default();
    format!("{host}{}", &url[Position::AfterHost..Position::AfterQuery])
}

/// The counts a [`CrawlEvent`] carries.
fn progress(report: &CrawlReport, requested: usize, bytes: usize, queued: usize) -> CrawlProgress {
    CrawlProgress {
        requested,
        pages: report.pages.len(),
        failures: report.failures.len(),
        queued,
        bytes,
    }
}

/// Links and robots directives read from an HTML page.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct HtmlFacts {
    pub links: Vec<Url>,
    pub noindex: bool,
    pub nofollow: bool,
}

impl Fetcher {
    /// Crawls the site of `start` breadth-first under `options`, calling `on_event` once
    /// per URL done with. Fails only when `start` itself is not a URL we may fetch; every
    /// later problem is a [`CrawlFailure`] in the report. Pages are requested one at a
    /// time, so a crawl never loads the site with parallel requests.
    pub async fn crawl(
        &self,
        start: &str,
        options: &CrawlOptions,
        mut on_event: impl FnMut(CrawlEvent<'_>) + Send,
    ) -> Result<CrawlReport, FetchError> {
        let start = parse_url(start)?;
        self.check_target(&start)?;
        let deadline = Instant::now() + options.max_duration;
        let site = Site {
            start: start.clone(),
        };
        let robots = match tokio::time::timeout_at(deadline, self.robots(&start)).await {
            Ok(robots) => robots,
            Err(_) => Robots::Nothing,
        };

        let mut report = CrawlReport {
            pages: Vec::new(),
            failures: Vec::new(),
            noindex: Vec::new(),
            end: CrawlEnd::Exhausted,
        };
        let mut queue = VecDeque::from([(start.clone(), 0)]);
        let mut seen = HashSet::from([page_key(&start)]);
        let mut fetched = HashSet::new();
        let mut requested = 0;
        let mut bytes = 0;

        while let Some((url, depth)) = queue.pop_front() {
            // A redirect may already have brought us this page.
            if fetched.contains(&page_key(&url)) {
                continue;
            }
            if requested >= options.max_pages {
                report.end = CrawlEnd::MaxPages;
                break;
            }
            if bytes >= options.max_total_bytes {
                report.end = CrawlEnd::MaxBytes;
                break;
            }
            if Instant::now() >= deadline {
                report.end = CrawlEnd::MaxDuration;
                break;
            }
            if !robots.allows(&url) {
                report.failures.push(CrawlFailure {
                    url,
                    depth,
                    error: FetchError::RobotsDisallowed,
                });
                if let Some(failure) = report.failures.last() {
                    on_event(CrawlEvent::Failed(
                        failure,
                        progress(&report, requested, bytes, queue.len()),
                    ));
                }
                continue;
            }

            requested += 1;
            let limits = Limits {
                max_bytes: self
                    .policy()
                    .max_page_bytes
                    .min(options.max_total_bytes - bytes),
                content_types: Some(&self.policy().allowed_content_types),
                truncate: false,
            };
            let stay = |hop: &Url| {
                if !site.contains(hop) {
                    Err(FetchError::OffSite(hop.to_string()))
                } else if !robots.allows(hop) {
                    Err(FetchError::RobotsDisallowed)
                } else {
                    Ok(())
                }
            };
            let result = tokio::time::timeout_at(deadline, self.get(&url, &limits, &stay))
                .await
                .unwrap_or(Err(FetchError::Timeout));
            fetched.insert(page_key(&url));

            let page = match result {
                Ok(page) => page,
                Err(error) => {
                    // Cut off by what is left of the crawl's budget, not the page limit:
                    // every later page would be too, so the crawl is over.
                    let out_of_budget = matches!(error, FetchError::TooLarge { limit }
                        if limit < self.policy().max_page_bytes);
                    report.failures.push(CrawlFailure { url, depth, error });
                    if let Some(failure) = report.failures.last() {
                        on_event(CrawlEvent::Failed(
                            failure,
                            progress(&report, requested, bytes, queue.len()),
                        ));
                    }
                    if out_of_budget {
                        report.end = CrawlEnd::MaxBytes;
                        break;
                    }
                    continue;
                }
            };
            bytes += page.bytes.len();
            let final_key = page_key(&page.final_url);
            // Two URLs redirecting to one page keep it once.
            if final_key != page_key(&url) && !fetched.insert(final_key.clone()) {
                continue;
            }
            seen.insert(final_key);

            let (page, facts) = if page.is_html() {
                match read_html(page, self.policy().robots_token().to_ascii_lowercase()).await {
                    Ok(read) => read,
                    Err(error) => {
                        report.failures.push(CrawlFailure { url, depth, error });
                        if let Some(failure) = report.failures.last() {
                            on_event(CrawlEvent::Failed(
                                failure,
                                progress(&report, requested, bytes, queue.len()),
                            ));
                        }
                        continue;
                    }
                }
            } else {
                (page, HtmlFacts::default())
            };
            if !facts.nofollow && depth < options.max_depth {
                for link in facts.links {
                    if queue.len() >= MAX_QUEUED {
                        break;
                    }
                    if site.contains(&link) && !is_asset(&link) && seen.insert(page_key(&link)) {
                        queue.push_back((link, depth + 1));
                    }
                }
            }
            if facts.noindex {
                report.noindex.push(page.final_url);
                if let Some(url) = report.noindex.last() {
                    on_event(CrawlEvent::NoIndex(
                        url,
                        progress(&report, requested, bytes, queue.len()),
                    ));
                }
            } else {
                report.pages.push(CrawledPage { url, depth, page });
                if let Some(page) = report.pages.last() {
                    on_event(CrawlEvent::Page(
                        page,
                        progress(&report, requested, bytes, queue.len()),
                    ));
                }
            }
        }
        Ok(report)
    }

    /// The rules of `start`'s origin for our robots token.
    async fn robots(&self, start: &Url) -> Robots {
        let Ok(url) = start.join("/robots.txt") else {
            return Robots::Nothing;
        };
        let limits = Limits {
            max_bytes: MAX_ROBOTS_BYTES,
            content_types: None,
            truncate: true,
        };
        match self.get(&url, &limits, &|_| Ok(())).await {
            Ok(page) => match Robot::new(self.policy().robots_token(), &page.bytes) {
                Ok(robot) => Robots::Rules(Box::new(robot)),
                Err(error) => {
                    tracing::info!(%url, %error, "unreadable robots.txt; reading nothing");
                    Robots::Nothing
                }
            },
            Err(FetchError::Status(status)) if (400..500).contains(&status) && status != 429 => {
                Robots::Everything
            }
            // A redirect loop is "unavailable" in RFC 9309, like a 404.
            Err(FetchError::TooManyRedirects(_)) => Robots::Everything,
            Err(error) => {
                tracing::info!(%url, %error, "robots.txt unreachable; reading nothing");
                Robots::Nothing
            }
        }
    }
}

/// Parses an HTML page off the async threads: html5ever takes a while on a 5 MB page.
async fn read_html(page: Page, robots_token: String) -> Result<(Page, HtmlFacts), FetchError> {
    tokio::task::spawn_blocking(move || {
        let facts = html_facts(&page.bytes, &page.final_url, &robots_token);
        (page, facts)
    })
    .await
    // Only a panic in the parser gets here.
    .map_err(|error| FetchError::Transport(format!("the page could not be parsed: {error}")))
}

/// Reads the links (resolved against `<base href>` or the page URL, fragments dropped)
/// and the robots directives for `robots_token` (lowercase) of an HTML document.
pub(crate) fn html_facts(html: &[u8], page_url: &Url, robots_token: &str) -> HtmlFacts {
    // Links are ASCII in practice; a lossy decode keeps them whatever the charset.
    let document = Html::parse_document(&String::from_utf8_lossy(html));
    let mut facts = HtmlFacts::default();

    if let Ok(meta) = Selector::parse("meta[name][content]") {
        for element in document.select(&meta) {
            let name = element.attr("name").unwrap_or_default().trim();
            if !name.eq_ignore_ascii_case("robots") && !name.eq_ignore_ascii_case(robots_token) {
                continue;
            }
            for directive in element.attr("content").unwrap_or_default().split(',') {
                match directive.trim().to_ascii_lowercase().as_str() {
                    "noindex" => facts.noindex = true,
                    "nofollow" => facts.nofollow = true,
                    "none" => {
                        facts.noindex = true;
                        facts.nofollow = true;
                    }
                    _ => {}
                }
            }
        }
    }

    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|selector| document.select(&selector).next())
        .and_then(|element| page_url.join(element.attr("href")?.trim()).ok())
        .filter(|base| matches!(base.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone());

    let Ok(anchors) = Selector::parse("a[href], area[href]") else {
        return facts;
    };
    let mut seen = HashSet::new();
    for element in document.select(&anchors) {
        if facts.links.len() >= MAX_LINKS_PER_PAGE {
            break;
        }
        let nofollow = element.attr("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("nofollow"))
        });
        let href = element.attr("href").unwrap_or_default().trim();
        if nofollow || href.is_empty() || href.starts_with('#') {
            continue;
        }
        let Ok(link) = base.join(href) else {
            continue;
        };
        if !matches!(link.scheme(), "http" | "https") {
            continue;
        }
        let link = normalise(link);
        if seen.insert(link.clone()) {
            facts.links.push(link);
        }
    }
    facts
}

/// Whether a link points at an asset we never request, judged by its path's extension.
fn is_asset(url: &Url) -> bool {
    let last = url.path().rsplit('/').next().unwrap_or_default();
    last.rsplit_once('.').is_some_and(|(_, extension)| {
        ASSET_EXTENSIONS
            .iter()
            .any(|asset| asset.eq_ignore_ascii_case(extension))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_against_base_and_drop_fragments() {
        let page = Url::parse("https://shop.example/menu/today").unwrap();
        let html = br##"<html><head><base href="/menu/"></head><body>
            <a href="pizza#top">Pizza</a>
            <a href="pizza">Pizza again</a>
            <a href="#section">Same page</a>
            <a href="mailto:owner@shop.example">Mail</a>
            <a href="javascript:void(0)">JS</a>
            <a href="https://other.example/x">Other</a>
            <a href="/login" rel="nofollow noopener">Login</a>
            <area href="../hours.pdf">
        </body></html>"##;
        let facts = html_facts(html, &page, "wagentbot");
        let links: Vec<&str> = facts.links.iter().map(Url::as_str).collect();
        assert_eq!(
            links,
            [
                "https://shop.example/menu/pizza",
                "https://other.example/x",
                "https://shop.example/hours.pdf",
            ]
        );
        assert!(!facts.noindex && !facts.nofollow);
    }

    #[test]
    fn meta_robots_for_us_or_everyone() {
        let page = Url::parse("https://shop.example/").unwrap();
        let facts = html_facts(
            br#"<meta name="ROBOTS" content="NoIndex">"#,
            &page,
            "wagentbot",
        );
        assert!(facts.noindex && !facts.nofollow);
        let facts = html_facts(
            br#"<meta name="WAgentBot" content="none">"#,
            &page,
            "wagentbot",
        );
        assert!(facts.noindex && facts.nofollow);
        let facts = html_facts(
            br#"<meta name="googlebot" content="none">"#,
            &page,
            "wagentbot",
        );
        assert!(!facts.noindex && !facts.nofollow);
    }

    #[test]
    fn assets_are_recognised_by_extension() {
        let asset = |u: &str| is_asset(&Url::parse(u).unwrap());
        assert!(asset("https://a.example/logo.PNG"));
        assert!(asset("https://a.example/app.js?v=3"));
        assert!(!asset("https://a.example/menu.pdf"));
        assert!(!asset("https://a.example/about"));
        assert!(!asset("https://a.example/v1.2/about"));
    }

    #[test]
    fn http_and_https_of_a_host_are_one_site_and_one_page() {
        let site = Site {
            start: Url::parse("http://shop.example/").unwrap(),
        };
        assert!(site.contains(&Url::parse("https://shop.example/a").unwrap()));
        assert!(site.contains(&Url::parse("https://www.shop.example/a").unwrap()));
        assert!(!site.contains(&Url::parse("https://blog.shop.example/a").unwrap()));
        assert!(!site.contains(&Url::parse("https://shop.example.com/a").unwrap()));
        assert!(!site.contains(&Url::parse("http://shop.example:8080/a").unwrap()));
        let key = |u: &str| page_key(&Url::parse(u).unwrap());
        assert_eq!(
            key("http://shop.example/a?b=1"),
            key("https://shop.example/a?b=1")
        );
        assert_eq!(
            key("http://shop.example/a"),
            key("https://www.shop.example/a")
        );
        assert_ne!(
            key("http://shop.example/a"),
            key("http://shop.example/a?b=1")
        );
        assert_ne!(
            key("http://shop.example:8080/a"),
            key("http://shop.example/a")
        );
        assert_eq!(key("http://shop.example:8080/a"), "shop.example:8080/a");
    }
}
