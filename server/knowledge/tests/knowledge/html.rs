//! Web pages: the article is kept, everything around it is not.

use wagent_knowledge::{ChunkOptions, chunk};

use crate::support::{all_text, read};

const PAGE: &str = r##"<!DOCTYPE html>
<html lang="pt-BR">
<head>
  <title>Delivery FAQ | Loja Exemplo</title>
  <style>body { color: red }</style>
  <script>var tracking = "SCRIPT-TEXT";</script>
</head>
<body class="page has-sidebar cookie-consent-active">
  <header class="site-header"><a href="/">LOGO-TEXT</a></header>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/shop">NAV-SHOP</a></li></ul></nav>
  <div id="cookie-banner" class="notice">We use COOKIE-TEXT. <button>Accept</button></div>
  <div class="breadcrumbs"><a href="/">Home</a> / BREADCRUMB-TEXT</div>
  <main>
    <article>
      <header><h1>Delivery FAQ</h1></header>
      <p>We deliver   across Brazil
         in 3 to 5 business days.</p>
      <div class="ad-slot">AD-TEXT buy now</div>
      <h2>Fees</h2>
      <ul><li>Free above R$ 200</li><li>R$ 15 below that</li></ul>
      <table>
        <tr><th>Region</th><th>Days</th></tr>
        <tr><td>South</td><td>3</td></tr>
      </table>
      <div class="share-buttons"><a href="#">SHARE-TEXT on WhatsApp</a></div>
      <h2>Returns</h2>
      <p>Send it back within 7 days.</p>
      <aside>ASIDE-TEXT related posts</aside>
      <form><label>NEWSLETTER-FORM-TEXT</label><input></form>
      <div class="newsletter-popup">NEWSLETTER-TEXT</div>
    </article>
  </main>
  <aside class="sidebar">SIDEBAR-TEXT</aside>
  <footer>FOOTER-TEXT © 2026</footer>
  <div role="dialog" aria-label="Cookie consent">CONSENT-TEXT</div>
</body>
</html>"##;

#[test]
fn only_the_article_is_kept() {
    let document = read(PAGE.as_bytes(), "faq.html").unwrap();
    let text = all_text(&document);
    for noise in [
        "SCRIPT",
        "LOGO",
        "NAV-SHOP",
        "COOKIE",
        "Accept",
        "BREADCRUMB",
        "AD-TEXT",
        "SHARE",
        "ASIDE",
        "NEWSLETTER",
        "SIDEBAR",
        "FOOTER",
        "CONSENT",
        "color: red",
    ] {
        assert!(!text.contains(noise), "{noise} is in:\n{text}");
    }
    assert_eq!(
        document.title.as_deref(),
        Some("Delivery FAQ | Loja Exemplo")
    );
    let found: Vec<(Vec<&str>, &str)> = document
        .blocks
        .iter()
        .map(|b| {
            (
                b.heading_path.iter().map(String::as_str).collect(),
                b.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                vec!["Delivery FAQ"],
                "We deliver across Brazil in 3 to 5 business days."
            ),
            (
                vec!["Delivery FAQ", "Fees"],
                "Free above R$ 200\nR$ 15 below that"
            ),
            (vec!["Delivery FAQ", "Fees"], "Region | Days\nSouth | 3"),
            (
                vec!["Delivery FAQ", "Returns"],
                "Send it back within 7 days."
            ),
        ]
    );
}

#[test]
fn a_page_without_main_is_read_from_its_body_minus_the_chrome() {
    let page = r#"<html><body>
        <div class="navbar"><a href="/">Home</a></div>
        <div class="content">
          <h2>Opening hours</h2>
          <p>Monday to Friday, 9 to 18.</p>
          <div class="menu"><h3>Lunch menu</h3><p>Feijoada on Wednesdays, R$ 39.</p></div>
          <div id="main-menu"><a href="/a">About us</a> <a href="/b">Contact</a></div>
        </div>
        <div class="adsbygoogle">sponsored</div>
    </body></html>"#;
    let document = read(page.as_bytes(), "hours.html").unwrap();
    let text = all_text(&document);
    assert!(!text.contains("Home"), "{text}");
    assert!(!text.contains("About us"), "a menu of links goes: {text}");
    assert!(!text.contains("sponsored"), "{text}");
    // A restaurant's menu is content, not navigation.
    assert!(text.contains("Feijoada on Wednesdays"), "{text}");
    let feijoada = document
        .blocks
        .iter()
        .find(|b| b.text.contains("Feijoada"))
        .unwrap();
    assert_eq!(feijoada.heading_path, ["Opening hours", "Lunch menu"]);
}

#[test]
fn preformatted_text_keeps_its_lines_and_entities_decode() {
    let page = "<body><p>Caf&eacute; &amp; p&atilde;o &#8212; R$&nbsp;5</p><pre>line one\nline two</pre></body>";
    let document = read(page.as_bytes(), "x.html").unwrap();
    assert_eq!(
        all_text(&document),
        "Café & pão — R$ 5\n\nline one\nline two"
    );
    let chunks = chunk(&document, ChunkOptions::default()).unwrap();
    assert_eq!(chunks.len(), 1);
}

#[test]
fn a_page_of_nothing_but_chrome_has_no_text() {
    let page = "<html><body><nav>Home</nav><footer>© 2026</footer></body></html>";
    let error = read(page.as_bytes(), "empty.html").unwrap_err();
    assert_eq!(error.to_string(), "no text found in the file");
}

#[test]
fn deep_markup_is_read_and_absurd_nesting_refused_quickly() {
    let depth = 900;
    let page = format!(
        "{}deep text{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let document = read(page.as_bytes(), "deep.html").unwrap();
    assert_eq!(all_text(&document), "deep text");

    // The parser's time grows with the square of the depth: a million-deep page is refused
    // before it is parsed.
    let started = std::time::Instant::now();
    let bomb = "<div>".repeat(1_000_000);
    let error = read(bomb.as_bytes(), "bomb.html").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the web page nests its elements more than 1,000 deep, which no real page does"
    );
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());

    // Many paragraphs and list items left unclosed, as HTML allows, are not depth.
    let sloppy = format!("<ul>{}</ul>", "<li><p>item".repeat(5_000));
    assert!(read(sloppy.as_bytes(), "sloppy.html").is_ok());
}

#[test]
fn content_that_only_looks_like_chrome_is_kept() {
    let page = r#"<html><body><form id="aspnetForm" action="/faq.aspx">
        <div class="menu-top"><a href="/">Home</a> <a href="/faq">FAQ</a></div>
        <h1>Questions</h1>
        <div class="accordion">
          <button aria-expanded="false">Do you deliver on Sundays?</button>
          <div class="panel" hidden>Yes, from 10 to 14.</div>
          <div class="panel" aria-hidden="true">Sunday deliveries cost R$ 10.</div>
        </div>
        <p>Now <span class="promo-price">R$ 99</span> instead of R$ 129.</p>
        <button>Add to cart</button>
    </form>
    <form class="contact"><label>Your e-mail</label><input></form>
    </body></html>"#;
    let document = read(page.as_bytes(), "faq.aspx.html").unwrap();
    let text = all_text(&document);
    assert!(
        text.contains("Do you deliver on Sundays?\n\nYes, from 10 to 14."),
        "{text}"
    );
    assert!(!text.contains("Add to cart"), "{text}");
    assert!(text.contains("Sunday deliveries cost R$ 10."), "{text}");
    assert!(text.contains("Now R$ 99 instead of R$ 129."), "{text}");
    assert!(!text.contains("Your e-mail"), "{text}");
    assert!(!text.contains("Home"), "{text}");
}
