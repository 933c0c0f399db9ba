//! Plain text: decoding, whitespace, and paragraphs split on blank lines.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::{Document, Format, KnowledgeError, Limits, outline::Outline};

/// One line of text with its whitespace collapsed to single spaces, trimmed, and without
/// control characters or invisible ones (zero-width spaces, soft hyphens, stray BOMs) that
/// would split words for search.
pub(crate) fn normalize_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if c.is_control() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}') {
            continue;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Text files and Markdown: UTF-8, UTF-16 with a byte-order mark, else Windows-1252 (the
/// superset of Latin-1 that old Windows editors write), which decodes any byte.
pub(crate) fn decode(bytes: &[u8], format: Format) -> Result<String, KnowledgeError> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(KnowledgeError::NotUtf8 { format });
        }
        return Ok(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Ok(WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()),
    }
}

/// HTML: UTF-8, unless the page declares a charset in its first kilobyte and is not UTF-8.
pub(crate) fn decode_html(bytes: &[u8]) -> Result<String, KnowledgeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let encoding = declared_charset(&bytes[..bytes.len().min(1024)])
        .filter(|encoding| *encoding != UTF_8)
        .ok_or(KnowledgeError::NotUtf8 {
            format: Format::Html,
        })?;
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors {
        return Err(KnowledgeError::NotUtf8 {
            format: Format::Html,
        });
    }
    Ok(text.into_owned())
}

/// The encoding named by `charset=` in a page's head, as `<meta charset="...">` or in a
/// `Content-Type` meta tag.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(label.as_bytes())
}

/// Plain text: paragraphs split on blank lines; a paragraph that reads as a heading (a
/// line underlined with `===` or `---`, a numbered title, a short line in capitals) opens a
/// section instead, as [`heading_level`] says.
pub(crate) fn extract(text: &str, limits: &Limits) -> Result<Document, KnowledgeError> {
    let mut outline = Outline::new(limits);
    let mut paragraph: Vec<&str> = Vec::new();
    for line in text.lines().chain([""]) {
        if !line.trim().is_empty() {
            paragraph.push(line);
            continue;
        }
        let heading = match paragraph.as_slice() {
            [title, rule] => underline(rule).map(|level| (level, *title)),
            [line] => heading_level(line).map(|level| (level, *line)),
            _ => None,
        };
        match heading {
            Some((level, title)) => outline.heading(level, title)?,
            None => outline.block(paragraph.iter().copied(), None)?,
        }
        paragraph.clear();
    }
    Ok(outline.finish())
}

/// The level of a setext underline: `===` 1, `---` 2.
fn underline(line: &str) -> Option<u8> {
    let line = line.trim();
    if line.len() < 3 {
        return None;
    }
    if line.chars().all(|c| c == '=') {
        Some(1)
    } else if line.chars().all(|c| c == '-') {
        Some(2)
    } else {
        None
    }
}

/// Whether a line of unmarked text (a text file's, a PDF page's) reads as a section
/// heading, and its level: a numbered title ("2. Tools" 2, "3.1 Brazil" 3) or a short line
/// in capitals (2); level 1 is left to a document's title. A heading is short, starts with
/// a capital and does not end a sentence, so a numbered list item rarely passes.
pub(crate) fn heading_level(line: &str) -> Option<u8> {
    const MAX_WORDS: usize = 12;
    let line = line.trim();
    if line.split_whitespace().count() > MAX_WORDS
        || line.ends_with(['.', ',', ';', ':', '!', '?'])
        || line.chars().count() > 100
    {
        return None;
    }
    let number_end = line
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(line.len());
    let (number, title) = line.split_at(number_end);
    let depth = number.split('.').filter(|part| !part.is_empty()).count();
    let numbered = depth > 0
        && number.split('.').all(|part| part.len() <= 2)
        && title.starts_with(' ')
        && title.trim_start().starts_with(char::is_uppercase);
    if numbered {
        return Some(depth.min(5) as u8 + 1);
    }
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = letters >= 4 && line.chars().all(|c| !c.is_lowercase());
    capitals.then_some(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_and_invisible_characters_go() {
        assert_eq!(
            normalize_line("  Free\u{a0}shipping\t over  R$\u{200b}100 \u{7} "),
            "Free shipping over R$100"
        );
    }

    #[test]
    fn unmarked_headings_are_recognised_and_list_items_are_not() {
        assert_eq!(heading_level("3.1 Brazil"), Some(3));
        assert_eq!(heading_level("2. TOOLS"), Some(2));
        assert_eq!(heading_level("7.2 Items that cannot be returned"), Some(3));
        assert_eq!(heading_level("WARRANTY AND CARE"), Some(2));
        assert_eq!(heading_level("1. Open the box and check the parts."), None);
        assert_eq!(heading_level("2024 was a good year for us"), None);
        assert_eq!(heading_level("12 x screw A (M6 x 30 mm)"), None);
        assert_eq!(heading_level("Step 1. Tap the dowels"), None);
        assert_eq!(heading_level("OK"), None);
    }

    #[test]
    fn a_text_file_gets_sections_from_underlines_and_numbered_titles() {
        let text = "GUIDE\n=====\n\nIntro text.\n\n1. BEFORE YOU START\n-------------------\n\nRead the steps.\n\n1.1 Safety\n\nTwo people.\n\n2. Tools\n\nA mallet.\n";
        let document = extract(text, &Limits::default()).unwrap();
        let paths: Vec<(Vec<String>, String)> = document
            .blocks
            .iter()
            .map(|b| (b.heading_path.clone(), b.text.clone()))
            .collect();
        assert_eq!(
            paths,
            [
                (vec!["GUIDE".to_owned()], "Intro text.".to_owned()),
                (
                    vec!["GUIDE".to_owned(), "1. BEFORE YOU START".to_owned()],
                    "Read the steps.".to_owned()
                ),
                (
                    vec![
                        "GUIDE".to_owned(),
                        "1. BEFORE YOU START".to_owned(),
                        "1.1 Safety".to_owned()
                    ],
                    "Two people.".to_owned()
                ),
                (
                    vec!["GUIDE".to_owned(), "2. Tools".to_owned()],
                    "A mallet.".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn latin1_text_is_decoded() {
        assert_eq!(
            decode(b"Pre\xe7o: 10 \x80", Format::Text).unwrap(),
            "Preço: 10 €"
        );
        assert_eq!(
            decode(b"\xFF\xFEO\0i\0", Format::Text).unwrap(),
            "Oi",
            "UTF-16 with a BOM"
        );
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><p>Pre\xe7o</p>";
        assert!(decode_html(page).unwrap().contains("Preço"));
        assert!(decode_html(b"<p>Pre\xe7o</p>").is_err());
    }
}
