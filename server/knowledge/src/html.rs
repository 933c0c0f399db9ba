//! HTML: the page's main content, its headings as the heading path, without the navigation,
//! banners, cookie notices, ads and footers around it.

use ego_tree::{NodeRef, iter::Edge};
use scraper::{ElementRef, Html, Node};

use crate::{Document, KnowledgeError, Limits, outline::Outline};

/// Elements that never hold a page's content.
const DROPPED_TAGS: &[&str] = &[
    "head", "script", "style", "noscript", "template", "nav", "footer", "aside", "iframe", "svg",
    "canvas", "object", "embed", "audio", "video", "select", "dialog", "menu",
];

/// Roles of landmarks and widgets around the content.
const DROPPED_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
];

/// Words of an id or class (split on `-` and `_`) that name boilerplate.
const BOILERPLATE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "banner",
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "sponsored",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "popup",
    "modal",
    "related",
    "skip",
];

/// Pieces of an id or class that name boilerplate wherever they appear in it, as in
/// "cookieNotice" or "adsbygoogle".
const BOILERPLATE_PARTS: &[&str] = &[
    "cookie",
    "consent",
    "advert",
    "adsbygoogle",
    "breadcrumb",
    "sidebar",
    "newsletter",
    "popup",
    "navbar",
];

/// Pieces of an `aria-label` that name boilerplate.
const BOILERPLATE_LABELS: &[&str] = &[
    "cookie",
    "consent",
    "breadcrumb",
    "navigation",
    "menu",
    "share",
    "advert",
    "newsletter",
    "sidebar",
];

/// Elements that end a block of text (a paragraph) when they open or close.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
    "address",
    "details",
    "summary",
    "hr",
    "body",
    "center",
    "fieldset",
];

/// Elements that end a line when they open or close.
const LINE_TAGS: &[&str] = &["li", "dt", "dd", "caption", "figcaption", "br", "tr"];

/// Elements whose end tag may be left out, and void elements, which have none: they do not
/// count toward nesting.
const UNCOUNTED_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "rt", "rp", "colgroup", "caption", "html", "head", "body",
];

/// Elements whose content is raw text, not markup.
const RAW_TEXT_TAGS: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

pub(crate) fn extract(html: &str, limits: &Limits) -> Result<Document, KnowledgeError> {
    // The HTML parser spends time in proportion to the depth of open elements for each tag
    // it opens, so a page nested a million deep would take hours; real pages nest < 100.
    if nesting_depth(html) > limits.max_html_depth {
        return Err(KnowledgeError::HtmlTooDeep {
            limit: limits.max_html_depth,
        });
    }
    let page = Html::parse_document(html);
    let mut outline = Outline::new(limits);
    let root = page.root_element();
    // The head's <title>, not an SVG's.
    if let Some(title) = root.descendent_elements().find(|element| {
        element.value().name() == "title"
            && element
                .parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|parent| parent.value().name() == "head")
    }) {
        outline.title(&title.text().collect::<String>());
    }
    let mut reader = PageReader {
        outline,
        line: String::new(),
        lines: Vec::new(),
        heading: None,
        row: None,
        preformatted: 0,
    };
    reader.read(main_content(root))?;
    Ok(reader.outline.finish())
}

/// Where the content is: `<main>`, else the element with role "main", else the one
/// `<article>`, else the body.
fn main_content(root: ElementRef<'_>) -> ElementRef<'_> {
    let find = |test: &dyn Fn(&ElementRef<'_>) -> bool| root.descendent_elements().find(test);
    if let Some(main) = find(&|e| e.value().name() == "main")
        .or_else(|| find(&|e| e.value().attr("role") == Some("main")))
    {
        return main;
    }
    let mut articles = root
        .descendent_elements()
        .filter(|e| e.value().name() == "article");
    if let (Some(article), None) = (articles.next(), articles.next()) {
        return article;
    }
    find(&|e| e.value().name() == "body").unwrap_or(root)
}

/// Walks the content in document order, without recursion (pages can nest deeply).
struct PageReader {
    outline: Outline,
    /// The line being read.
    line: String,
    /// The finished lines of the block being read.
    lines: Vec<String>,
    /// The heading being read: its level and text.
    heading: Option<(u8, String)>,
    /// The table row being read: its finished cells.
    row: Option<Vec<String>>,
    /// Depth inside `<pre>`, where line breaks are the text's own.
    preformatted: usize,
}

impl PageReader {
    fn read(&mut self, content: ElementRef<'_>) -> Result<(), KnowledgeError> {
        // The element being skipped, with everything inside it.
        let mut skipping = None;
        for edge in content.traverse() {
            match edge {
                Edge::Open(node) if skipping.is_none() => match node.value() {
                    Node::Text(text) => self.text(text),
                    Node::Element(_) if node.id() != content.id() && is_boilerplate(node) => {
                        skipping = Some(node.id());
                    }
                    Node::Element(element) => self.open(element.name())?,
                    _ => {}
                },
                Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
                Edge::Close(node) if skipping.is_none() => {
                    if let Node::Element(element) = node.value() {
                        self.close(element.name())?;
                    }
                }
                _ => {}
            }
        }
        self.end_block()
    }

    fn text(&mut self, text: &str) {
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
        } else if self.preformatted > 0 {
            let mut parts = text.split('\n');
            if let Some(first) = parts.next() {
                self.line.push_str(first);
            }
            for part in parts {
                self.end_line();
                self.line.push_str(part);
            }
        } else {
            self.line.push_str(text);
        }
    }

    fn open(&mut self, name: &str) -> Result<(), KnowledgeError> {
        if let Some(level) = heading_level(name) {
            self.end_block()?;
            self.heading = Some((level, String::new()));
        } else if name == "tr" {
            self.end_line();
            self.row = Some(Vec::new());
        } else if name == "pre" {
            self.end_block()?;
            self.preformatted += 1;
        } else if BLOCK_TAGS.contains(&name) {
            self.end_block()?;
        } else if LINE_TAGS.contains(&name) {
            self.end_line();
        } else if matches!(name, "td" | "th") {
            self.line.clear();
        }
        Ok(())
    }

    fn close(&mut self, name: &str) -> Result<(), KnowledgeError> {
        if heading_level(name).is_some() {
            if let Some((level, text)) = self.heading.take() {
                self.outline.heading(level, &text)?;
            }
        } else if matches!(name, "td" | "th") {
            let cell = std::mem::take(&mut self.line);
            if let Some(row) = &mut self.row {
                row.push(cell.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        } else if name == "tr" {
            if let Some(row) = self.row.take()
                && row.iter().any(|cell| !cell.is_empty())
            {
                self.lines.push(row.join(" | "));
            }
        } else if name == "pre" {
            self.end_block()?;
            self.preformatted = self.preformatted.saturating_sub(1);
        } else if BLOCK_TAGS.contains(&name) {
            self.end_block()?;
        } else if LINE_TAGS.contains(&name) {
            self.end_line();
        }
        Ok(())
    }

    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        if !line.trim().is_empty() {
            self.lines.push(line);
        }
    }

    fn end_block(&mut self) -> Result<(), KnowledgeError> {
        self.end_line();
        let lines = std::mem::take(&mut self.lines);
        self.outline.block(lines.iter().map(String::as_str), None)
    }
}

/// How deep the page's elements nest, estimated from its tags without parsing it: start
/// tags less end tags, not counting void elements and those whose end tag is optional.
fn nesting_depth(html: &str) -> usize {
    let mut depth = 0_usize;
    let mut deepest = 0;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest[usize::from(closing)..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let self_closing = rest[..tag_end].ends_with('/');
        rest = rest.get(tag_end + 1..).unwrap_or("");
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if closing {
            if !UNCOUNTED_TAGS.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if RAW_TEXT_TAGS.contains(&name.as_str()) {
            // Case-insensitive without lowercasing the rest of the page for every script.
            rest = rest
                .match_indices("</")
                .find(|(at, _)| {
                    rest.as_bytes()
                        .get(at + 2..at + 2 + name.len())
                        .is_some_and(|tag| tag.eq_ignore_ascii_case(name.as_bytes()))
                })
                .map_or("", |(at, _)| &rest[at..]);
        } else if !self_closing && !UNCOUNTED_TAGS.contains(&name.as_str()) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Whether an element is navigation, a banner, a notice or an ad rather than content.
fn is_boilerplate(node: NodeRef<'_, Node>) -> bool {
    let Some(element) = ElementRef::wrap(node) else {
        return false;
    };
    let tag = element.value().name();
    if DROPPED_TAGS.contains(&tag) {
        return true;
    }
    // "Accept", "Add to cart", "Menu" go; an accordion's question, written as a button,
    // stays.
    if tag == "button" {
        return element.text().flat_map(str::split_whitespace).count() <= 3;
    }
    // A contact form goes; a form around the whole page (as ASP.NET writes them) stays.
    if tag == "form" {
        return !holds_content(element, &["main", "article", "h1", "h2"]);
    }
    // An article's own <header> holds its title; the page's holds the logo and menu.
    if tag == "header" {
        return !node
            .ancestors()
            .any(|a| ElementRef::wrap(a).is_some_and(|a| a.value().name() == "article"));
    }
    let value = element.value();
    // Hidden elements are kept: accordions hide FAQ answers until clicked, and those answers
    // are what the business wants its agent to know.
    if value
        .attr("role")
        .is_some_and(|role| DROPPED_ROLES.contains(&role.trim().to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if matches!(tag, "main" | "article" | "body" | "html") {
        return false;
    }
    let label = value
        .attr("aria-label")
        .map(str::to_lowercase)
        .unwrap_or_default();
    let named = BOILERPLATE_LABELS.iter().any(|part| label.contains(part))
        || value
            .id()
            .into_iter()
            .chain(value.classes())
            .any(names_boilerplate)
        || value
            .id()
            .into_iter()
            .chain(value.classes())
            .any(|token| names_menu(token) && mostly_links(element));
    // A wrapper that holds the page's content is never boilerplate, whatever its class
    // says ("layout-with-sidebar").
    named && !holds_content(element, &["main", "article", "h1"])
}

/// Whether an element wraps the page's content: it holds one of `tags`.
fn holds_content(element: ElementRef<'_>, tags: &[&str]) -> bool {
    element
        .descendent_elements()
        .any(|e| tags.contains(&e.value().name()))
}

fn names_boilerplate(token: &str) -> bool {
    let token = token.to_ascii_lowercase();
    BOILERPLATE_PARTS.iter().any(|part| token.contains(part))
        || token
            .split(['-', '_'])
            .any(|word| BOILERPLATE_WORDS.contains(&word))
}

/// "menu" names a site's menu as often as a restaurant's, so a menu is only dropped when it
/// is mostly links.
fn names_menu(token: &str) -> bool {
    token.to_ascii_lowercase().contains("menu")
}

fn mostly_links(element: ElementRef<'_>) -> bool {
    let total: usize = element.text().map(|t| t.trim().len()).sum();
    let linked: usize = element
        .descendent_elements()
        .filter(|e| e.value().name() == "a")
        .flat_map(|a| a.text())
        .map(|t| t.trim().len())
        .sum();
    total > 0 && linked * 2 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_estimated_from_the_tags() {
        assert_eq!(nesting_depth("<div><p>a<p>b<br><img/></div>"), 1);
        assert_eq!(
            nesting_depth("<!-- <div><div> --><main><section><div>x</div></section></main>"),
            3
        );
        assert_eq!(
            nesting_depth("<script>if (a < b) { '<div><div><div>' }</script><div></div>"),
            1
        );
        assert_eq!(nesting_depth(&"<span>".repeat(5_000)), 5_000);
        assert_eq!(nesting_depth("<SCRIPT><div></Script><div><div>"), 2);
    }
}
