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

/// Plain text: paragraphs split on blank lines, no headings.
pub(crate) fn extract(text: &str, limits: &Limits) -> Result<Document, KnowledgeError> {
    let mut outline = Outline::new(limits);
    let mut paragraph: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            outline.block(paragraph.drain(..), None)?;
        } else {
            paragraph.push(line);
        }
    }
    outline.block(paragraph, None)?;
    Ok(outline.finish())
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
