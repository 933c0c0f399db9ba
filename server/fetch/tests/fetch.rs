#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The fetcher and the crawl against local HTTP servers: what is refused (and that the
//! refused server saw no connection), the limits, and which pages a crawl keeps.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};
use wagent_fetch::{
    CrawlEnd, CrawlEvent, CrawlOptions, CrawlReport, FetchError, FetchPolicy, Fetcher,
};

// --- A local web server --------------------------------------------------------------

/// How the server answers one path.
#[derive(Clone)]
enum Reply {
    /// Status, content type, body, with `Content-Length`.
    Fixed(u16, &'static str, Vec<u8>),
    /// A redirect to `Location`.
    Redirect(u16, String),
    /// `chunks` chunks of `size` bytes, chunked, no `Content-Length`.
    Chunked {
        content_type: &'static str,
        size: usize,
        chunks: usize,
    },
    /// Headers claiming a length, then nothing more.
    Claims(u64),
    /// Never answers.
    Hang,
}

fn html(body: &str) -> Reply {
    Reply::Fixed(200, "text/html; charset=utf-8", body.as_bytes().to_vec())
}

fn not_found() -> Reply {
    Reply::Fixed(404, "text/plain", b"not found".to_vec())
}

type Routes = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

struct Server {
    addr: SocketAddr,
    /// Request targets, in order.
    requests: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    async fn start(routes: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let routes: Routes = Arc::new(routes);
        let (r, c) = (requests.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                let (r, routes) = (r.clone(), routes.clone());
                tokio::spawn(async move { serve(socket, r, routes).await });
            }
        });
        Server {
            addr,
            requests,
            connections,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn port(&self) -> u16 {
        self.addr.port()
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(mut socket: TcpStream, requests: Arc<Mutex<Vec<String>>>, routes: Routes) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
    requests.lock().unwrap().push(target.clone());
    let reply = routes(&target);
    let status_line = |code: u16| format!("HTTP/1.1 {code} X\r\nConnection: close\r\n");
    // Write errors mean the client hung up, which several tests make it do.
    let _ = match reply {
        Reply::Fixed(code, content_type, body) => {
            let head = format!(
                "{}Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                status_line(code),
                body.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            socket.write_all(&body).await
        }
        Reply::Redirect(code, location) => {
            let head = format!(
                "{}Location: {location}\r\nContent-Length: 0\r\n\r\n",
                status_line(code)
            );
            socket.write_all(head.as_bytes()).await
        }
        Reply::Chunked {
            content_type,
            size,
            chunks,
        } => {
            let head = format!(
                "{}Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n",
                status_line(200)
            );
            let mut result = socket.write_all(head.as_bytes()).await;
            let chunk = [b"x".repeat(size), b"\r\n".to_vec()].concat();
            for _ in 0..chunks {
                if result.is_err() {
                    break;
                }
                result = socket.write_all(format!("{size:x}\r\n").as_bytes()).await;
                if result.is_ok() {
                    result = socket.write_all(&chunk).await;
                }
            }
            if result.is_ok() {
                result = socket.write_all(b"0\r\n\r\n").await;
            }
            result
        }
        Reply::Claims(length) => {
            let head = format!(
                "{}Content-Type: text/html\r\nContent-Length: {length}\r\n\r\n",
                status_line(200)
            );
            let _ = socket.write_all(head.as_bytes()).await;
            // Keep the connection open until the client leaves.
            let _ = socket.read(&mut buf).await;
            Ok(())
        }
        Reply::Hang => {
            let _ = socket.read(&mut buf).await;
            Ok(())
        }
    };
}

// --- Helpers -------------------------------------------------------------------------

fn fetcher(allowed: &[&Server]) -> Fetcher {
    fetcher_with(allowed, |_| {})
}

fn fetcher_with(allowed: &[&Server], change: impl FnOnce(&mut FetchPolicy)) -> Fetcher {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut policy = FetchPolicy {
        connect_timeout: Duration::from_secs(2),
        page_timeout: Duration::from_secs(10),
        allow_addresses: allowed.iter().map(|s| s.addr).collect(),
        ..FetchPolicy::default()
    };
    change(&mut policy);
    Fetcher::new(policy).unwrap()
}

#[track_caller]
fn assert_forbidden(result: Result<wagent_fetch::Page, FetchError>, mentions: &str) {
    match result {
        Err(FetchError::Forbidden(why)) => {
            assert!(why.contains(mentions), "{why:?} should mention {mentions}")
        }
        other => panic!("expected Forbidden mentioning {mentions}, got {other:?}"),
    }
}

// --- Fetch ---------------------------------------------------------------------------

#[tokio::test]
async fn an_allowed_test_server_is_fetched() {
    let server = Server::start(|path| match path {
        "/" => html("<h1>Pizza Roma</h1>"),
        _ => not_found(),
    })
    .await;
    let page = fetcher(&[&server])
        .fetch(&server.url("/#menu"))
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html");
    assert_eq!(page.charset.as_deref(), Some("utf-8"));
    assert_eq!(page.bytes, b"<h1>Pizza Roma</h1>");
    assert_eq!(page.final_url.as_str(), server.url("/"));
    assert!(page.is_html());
    assert_eq!(server.requests(), ["/"]);
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_by_the_resolver() {
    let server = Server::start(|_| html("secret")).await;
    // Allowing 127.0.0.1:PORT does not allow a name that resolves to it.
    let result = fetcher(&[&server])
        .fetch(&format!("http://localhost:{}/", server.port()))
        .await;
    assert_forbidden(result, "localhost resolves to");
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn a_loopback_literal_is_refused_unless_its_exact_port_is_allowed() {
    let allowed = Server::start(|_| html("fine")).await;
    let other = Server::start(|_| html("secret")).await;
    let fetcher = fetcher(&[&allowed]);
    assert_forbidden(
        fetcher.fetch(&other.url("/")).await,
        "127.0.0.1 is loopback",
    );
    assert_eq!(other.connections(), 0);
    assert!(fetcher.fetch(&allowed.url("/")).await.is_ok());
}

#[tokio::test]
async fn ipv6_loopback_is_refused() {
    assert_forbidden(fetcher(&[]).fetch("http://[::1]/").await, "::1 is loopback");
    assert_forbidden(
        fetcher(&[]).fetch("http://[::1]:8080/admin").await,
        "loopback",
    );
}

#[tokio::test]
async fn cloud_metadata_is_refused_without_connecting() {
    let started = Instant::now();
    let result = fetcher_with(&[], |p| p.connect_timeout = Duration::from_secs(5))
        .fetch("http://169.254.169.254/latest/meta-data")
        .await;
    assert_forbidden(result, "169.254.169.254 is link-local");
    // A connection attempt would have waited for the connect timeout or failed as
    // Transport; a refusal is immediate.
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_forbidden(
        fetcher(&[])
            .fetch("http://metadata.google.internal/computeMetadata/v1/")
            .await,
        "internal name",
    );
}

#[tokio::test]
async fn every_spelling_of_an_internal_address_is_refused() {
    let fetcher = fetcher(&[]);
    for url in [
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.1.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://192.0.2.10/",
    ] {
        let result = fetcher.fetch(url).await;
        assert!(
            matches!(result, Err(FetchError::Forbidden(_))),
            "{url}: {result:?}"
        );
    }
}

#[tokio::test]
async fn only_http_and_https_urls_without_credentials() {
    let fetcher = fetcher(&[]);
    for url in [
        "ftp://example.com/menu.pdf",
        "file:///etc/passwd",
        "gopher://example.com/",
        "not a url",
        "http://user:pass@example.com/",
    ] {
        let result = fetcher.fetch(url).await;
        assert!(
            matches!(result, Err(FetchError::InvalidUrl(_))),
            "{url}: {result:?}"
        );
    }
}

#[tokio::test]
async fn a_redirect_to_a_loopback_literal_is_refused() {
    let secret = Server::start(|_| html("secret")).await;
    let location = secret.url("/secret");
    let server = Server::start(move |_| Reply::Redirect(302, location.clone())).await;
    assert_forbidden(
        fetcher(&[&server]).fetch(&server.url("/go")).await,
        "127.0.0.1 is loopback",
    );
    assert_eq!(server.requests(), ["/go"]);
    assert_eq!(secret.connections(), 0);
}

#[tokio::test]
async fn a_redirect_to_a_name_resolving_to_loopback_is_refused() {
    let secret = Server::start(|_| html("secret")).await;
    let to_other = format!("http://localhost:{}/", secret.port());
    let server = Server::start(move |path| match path {
        "/other" => Reply::Redirect(301, to_other.clone()),
        _ => html("never"),
    })
    .await;
    let to_self = format!("http://localhost:{}/self", server.port());
    let fetcher = fetcher(&[&server]);
    assert_forbidden(fetcher.fetch(&server.url("/other")).await, "resolves to");
    assert_eq!(secret.connections(), 0);

    // Even back to the allowed server's own port: names never use the escape hatch.
    let back = Server::start(move |_| Reply::Redirect(307, to_self.clone())).await;
    let fetcher = self::fetcher(&[&server, &back]);
    assert_forbidden(fetcher.fetch(&back.url("/")).await, "resolves to");
    assert_eq!(server.requests(), ["/other"]);
}

#[tokio::test]
async fn redirects_are_followed_and_counted() {
    let server = Server::start(|path| match path {
        "/old" => Reply::Redirect(301, "/new?x=1".into()),
        "/new?x=1" => Reply::Fixed(200, "text/plain", b"moved here".to_vec()),
        "/loop" => Reply::Redirect(302, "/loop".into()),
        "/nowhere" => Reply::Fixed(302, "text/plain", Vec::new()),
        _ => not_found(),
    })
    .await;
    let fetcher = fetcher(&[&server]);
    let page = fetcher.fetch(&server.url("/old")).await.unwrap();
    assert_eq!(page.final_url.as_str(), server.url("/new?x=1"));
    assert_eq!(page.bytes, b"moved here");

    let result = fetcher.fetch(&server.url("/loop")).await;
    assert_eq!(result, Err(FetchError::TooManyRedirects(5)));
    // The first request and five redirects.
    assert_eq!(
        server.requests().iter().filter(|r| *r == "/loop").count(),
        6
    );
    // A 3xx without Location is a status like any other.
    assert_eq!(
        fetcher.fetch(&server.url("/nowhere")).await,
        Err(FetchError::Status(302))
    );
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_cut_off() {
    let server = Server::start(|_| Reply::Chunked {
        content_type: "text/html",
        size: 16 * 1024,
        chunks: 256,
    })
    .await;
    let result = fetcher_with(&[&server], |p| p.max_page_bytes = 100_000)
        .fetch(&server.url("/huge"))
        .await;
    assert_eq!(result, Err(FetchError::TooLarge { limit: 100_000 }));
}

#[tokio::test]
async fn a_chunked_body_under_the_limit_is_read_whole() {
    let server = Server::start(|_| Reply::Chunked {
        content_type: "text/plain",
        size: 1000,
        chunks: 50,
    })
    .await;
    let page = fetcher_with(&[&server], |p| p.max_page_bytes = 50_000)
        .fetch(&server.url("/"))
        .await
        .unwrap();
    assert_eq!(page.bytes.len(), 50_000);
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_reading() {
    let server = Server::start(|_| Reply::Claims(10 * 1024 * 1024)).await;
    let result = fetcher_with(&[&server], |p| p.max_page_bytes = 1024 * 1024)
        .fetch(&server.url("/"))
        .await;
    assert_eq!(result, Err(FetchError::TooLarge { limit: 1024 * 1024 }));
}

#[tokio::test]
async fn wrong_content_types_and_statuses_are_refused() {
    let server = Server::start(|path| match path {
        "/logo.png" => Reply::Fixed(200, "image/png", vec![0x89, b'P', b'N', b'G']),
        "/menu.pdf" => Reply::Fixed(200, "Application/PDF", b"%PDF-1.7".to_vec()),
        "/broken" => Reply::Fixed(500, "text/html", b"oops".to_vec()),
        _ => not_found(),
    })
    .await;
    let fetcher = fetcher(&[&server]);
    assert_eq!(
        fetcher.fetch(&server.url("/logo.png")).await,
        Err(FetchError::UnsupportedType("image/png".into()))
    );
    let pdf = fetcher.fetch(&server.url("/menu.pdf")).await.unwrap();
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(!pdf.is_html());
    assert_eq!(
        fetcher.fetch(&server.url("/broken")).await,
        Err(FetchError::Status(500))
    );
    assert_eq!(
        fetcher.fetch(&server.url("/missing")).await,
        Err(FetchError::Status(404))
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = Server::start(|_| Reply::Hang).await;
    let result = fetcher_with(&[&server], |p| p.page_timeout = Duration::from_millis(300))
        .fetch(&server.url("/"))
        .await;
    assert_eq!(result, Err(FetchError::Timeout));
}

// --- Crawl ---------------------------------------------------------------------------

/// A small restaurant site. The index links to three pages (one disallowed by
/// robots.txt), two other hosts, an image and itself; /a leads two levels deeper.
async fn restaurant(robots: Reply) -> Server {
    let listener_port = Arc::new(Mutex::new(0u16));
    let port = listener_port.clone();
    let server = Server::start(move |path| {
        let port = *port.lock().unwrap();
        match path {
            "/robots.txt" => robots.clone(),
            "/" => html(&format!(
                r#"<a href="/a">A</a> <a href="b">B</a> <a href="/private/menu">Private</a>
                   <a href="http://localhost:{port}/elsewhere">Other host</a>
                   <a href="https://example.com/">Example</a>
                   <a href="/logo.png">Logo</a> <a href="/#top">Top</a> <a href="/a#x">A again</a>"#
            )),
            "/a" => html(r#"<a href="/a/deep">Deep</a>"#),
            "/b" => html(r#"<a href="/">Home</a>"#),
            "/a/deep" => html(r#"<a href="/a/deeper">Deeper</a>"#),
            "/a/deeper" => html("too deep"),
            "/private/menu" => html("private"),
            _ => not_found(),
        }
    })
    .await;
    *listener_port.lock().unwrap() = server.port();
    server
}

const ROBOTS: &str =
    "User-agent: OtherBot\nDisallow: /\n\nUser-agent: WAgentBot\nDisallow: /private\n";

fn robots_txt() -> Reply {
    Reply::Fixed(200, "text/plain", ROBOTS.as_bytes().to_vec())
}

fn paths(report: &CrawlReport) -> Vec<&str> {
    report.pages.iter().map(|p| p.url.path()).collect()
}

#[tokio::test]
async fn a_crawl_keeps_the_site_within_depth_and_robots() {
    let site = restaurant(robots_txt()).await;
    let options = CrawlOptions {
        max_depth: 2,
        max_pages: 20,
        ..CrawlOptions::default()
    };
    let mut events = Vec::new();
    let report = fetcher(&[&site])
        .crawl(&site.url("/"), &options, |event| {
            events.push(match event {
                CrawlEvent::Page(page, progress) => (page.url.path().to_owned(), progress),
                CrawlEvent::Failed(failure, progress) => {
                    (format!("failed {}", failure.url.path()), progress)
                }
                CrawlEvent::NoIndex(url, progress) => (format!("noindex {}", url.path()), progress),
            })
        })
        .await
        .unwrap();

    assert_eq!(paths(&report), ["/", "/a", "/b", "/a/deep"]);
    assert_eq!(
        report.pages.iter().map(|p| p.depth).collect::<Vec<_>>(),
        [0, 1, 1, 2]
    );
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].url.path(), "/private/menu");
    assert_eq!(report.failures[0].error, FetchError::RobotsDisallowed);
    assert_eq!(report.end, CrawlEnd::Exhausted);
    assert_eq!(
        site.requests(),
        ["/robots.txt", "/", "/a", "/b", "/a/deep"],
        "nothing disallowed, off-site, too deep or an asset was requested"
    );

    let names: Vec<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["/", "/a", "/b", "failed /private/menu", "/a/deep"]);
    let last = events.last().unwrap().1;
    assert_eq!(
        (last.requested, last.pages, last.failures, last.queued),
        (4, 4, 1, 0)
    );
    let bytes: usize = report.pages.iter().map(|p| p.page.bytes.len()).sum();
    assert_eq!(last.bytes, bytes);
}

#[tokio::test]
async fn a_crawl_stops_at_max_pages() {
    let site = restaurant(robots_txt()).await;
    let options = CrawlOptions {
        max_depth: 5,
        max_pages: 2,
        ..CrawlOptions::default()
    };
    let report = fetcher(&[&site])
        .crawl(&site.url("/"), &options, |_| {})
        .await
        .unwrap();
    assert_eq!(paths(&report), ["/", "/a"]);
    assert_eq!(report.end, CrawlEnd::MaxPages);
    assert_eq!(site.requests(), ["/robots.txt", "/", "/a"]);
}

#[tokio::test]
async fn a_crawl_stops_when_its_byte_budget_is_spent() {
    let site = restaurant(robots_txt()).await;
    let index = fetcher(&[&site]).fetch(&site.url("/")).await.unwrap();
    let options = CrawlOptions {
        max_depth: 5,
        // The index and one byte more: /a is cut off, and nothing after it is tried.
        max_total_bytes: index.bytes.len() + 1,
        ..CrawlOptions::default()
    };
    let report = fetcher(&[&site])
        .crawl(&site.url("/"), &options, |_| {})
        .await
        .unwrap();
    assert_eq!(paths(&report), ["/"]);
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].url.path(), "/a");
    assert_eq!(report.failures[0].error, FetchError::TooLarge { limit: 1 });
    assert_eq!(report.end, CrawlEnd::MaxBytes);
    assert_eq!(site.requests(), ["/", "/robots.txt", "/", "/a"]);
}

#[tokio::test]
async fn a_single_page_crawl_reads_one_page() {
    let site = restaurant(robots_txt()).await;
    let report = fetcher(&[&site])
        .crawl(&site.url("/a"), &CrawlOptions::single_page(), |_| {})
        .await
        .unwrap();
    assert_eq!(paths(&report), ["/a"]);
    assert!(report.failures.is_empty());
    assert_eq!(report.end, CrawlEnd::Exhausted);
    assert_eq!(site.requests(), ["/robots.txt", "/a"]);
}

#[tokio::test]
async fn a_missing_robots_txt_allows_everything() {
    let site = restaurant(not_found()).await;
    let options = CrawlOptions {
        max_depth: 1,
        ..CrawlOptions::default()
    };
    let report = fetcher(&[&site])
        .crawl(&site.url("/"), &options, |_| {})
        .await
        .unwrap();
    assert_eq!(paths(&report), ["/", "/a", "/b", "/private/menu"]);
    assert!(report.failures.is_empty());
}

#[tokio::test]
async fn a_failing_robots_txt_disallows_everything() {
    let site = restaurant(Reply::Fixed(503, "text/plain", b"down".to_vec())).await;
    let report = fetcher(&[&site])
        .crawl(&site.url("/"), &CrawlOptions::default(), |_| {})
        .await
        .unwrap();
    assert!(report.pages.is_empty());
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].error, FetchError::RobotsDisallowed);
    assert_eq!(site.requests(), ["/robots.txt"]);
}

#[tokio::test]
async fn a_crawl_honours_meta_robots_reads_documents_and_stays_on_site() {
    let elsewhere = Server::start(|_| html("elsewhere")).await;
    let off_site = elsewhere.url("/");
    let location = off_site.clone();
    let site = Server::start(move |path| match path {
        "/" => html(
            r#"<a href="/hidden">Hidden</a> <a href="/menu.pdf">Menu</a>
               <a href="/moved">Moved</a> <a href="/again">Again</a>
               <a href="/leaf">Leaf</a> <a href="/login" rel="nofollow">Login</a>"#,
        ),
        "/hidden" => {
            html(r#"<meta name="robots" content="noindex"><a href="/from-hidden">More</a>"#)
        }
        "/from-hidden" => html("found through a noindex page"),
        "/leaf" => html(r#"<meta name="robots" content="nofollow"><a href="/unseen">x</a>"#),
        "/menu.pdf" => Reply::Fixed(200, "application/pdf", b"%PDF-1.7 menu".to_vec()),
        "/moved" => Reply::Redirect(302, location.clone()),
        "/again" => Reply::Redirect(301, "/".into()),
        _ => not_found(),
    })
    .await;
    let options = CrawlOptions {
        max_depth: 3,
        ..CrawlOptions::default()
    };
    // The other server is allowed too: leaving the site is refused by the crawl itself.
    let report = fetcher(&[&site, &elsewhere])
        .crawl(&site.url("/"), &options, |_| {})
        .await
        .unwrap();

    assert_eq!(paths(&report), ["/", "/menu.pdf", "/leaf", "/from-hidden"]);
    assert_eq!(report.pages[1].page.content_type, "application/pdf");
    assert_eq!(
        report.noindex.iter().map(|u| u.path()).collect::<Vec<_>>(),
        ["/hidden"]
    );
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].url.path(), "/moved");
    assert_eq!(
        report.failures[0].error,
        FetchError::OffSite(off_site.clone())
    );
    assert_eq!(elsewhere.connections(), 0);
    let requests = site.requests();
    for never in ["/login", "/unseen"] {
        assert!(
            !requests.iter().any(|r| r == never),
            "{never} was requested"
        );
    }
}

#[tokio::test]
async fn a_crawl_of_an_internal_start_url_fails_at_once() {
    let result = fetcher(&[])
        .crawl("http://10.0.0.1/", &CrawlOptions::default(), |_| {})
        .await;
    assert!(
        matches!(result, Err(FetchError::Forbidden(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn the_crawl_future_can_run_on_a_spawned_task() {
    let site = restaurant(robots_txt()).await;
    let fetcher = fetcher(&[&site]);
    let url = site.url("/");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let job = tokio::spawn(async move {
        fetcher
            .crawl(&url, &CrawlOptions::single_page(), move |event| {
                if let CrawlEvent::Page(page, _) = event {
                    let _ = tx.send(page.url.to_string());
                }
            })
            .await
    });
    assert_eq!(rx.recv().await.unwrap(), site.url("/"));
    assert_eq!(job.await.unwrap().unwrap().pages.len(), 1);
}
