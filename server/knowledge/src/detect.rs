//! What a file is: its name and declared type, checked against its bytes.

use std::io::Cursor;

use crate::{Format, KnowledgeError};

/// How far into the file a PDF header may start (the PDF spec allows junk before it).
const PDF_HEADER_WINDOW: usize = 1024;

/// How much of the start of a file is looked at to tell text from binary.
const TEXT_WINDOW: usize = 8 * 1024;

pub(crate) fn detect(
    bytes: &[u8],
    file_name: Option<&str>,
    content_type: Option<&str>,
) -> Result<Format, KnowledgeError> {
    if bytes.is_empty() {
        return Err(KnowledgeError::Empty);
    }
    if let Some(extension) = file_name.and_then(extension) {
        return match by_extension(&extension) {
            Some(format) => {
                check(bytes, format, Some(format!("named .{extension}")))?;
                Ok(format)
            }
            None => Err(unsupported(bytes, format!("a file named .{extension}"))),
        };
    }
    let media_type = content_type.map(media_type).unwrap_or_default();
    if !is_generic(&media_type) {
        return match by_media_type(&media_type) {
            Some(format) => {
                check(bytes, format, Some(format!("sent as {media_type}")))?;
                Ok(format)
            }
            None => Err(unsupported(bytes, format!("a file of type {media_type}"))),
        };
    }
    match sniff(bytes) {
        (_, Some(format)) => Ok(format),
        (found, None) => Err(unsupported(bytes, found.to_owned())),
    }
}

/// Checks that the bytes are `declared`; `claim` says where that was declared.
pub(crate) fn check(
    bytes: &[u8],
    declared: Format,
    claim: Option<String>,
) -> Result<(), KnowledgeError> {
    let (found, sniffed) = sniff(bytes);
    let text = matches!(sniffed, Some(Format::Text | Format::Html));
    let fits = match declared {
        Format::Pdf => sniffed == Some(Format::Pdf),
        Format::Docx => sniffed == Some(Format::Docx),
        // An HTML fragment without <html> sniffs as text, and a .txt or .md file may well
        // hold markup: any text will do, the reader makes sense of it.
        Format::Html | Format::Markdown | Format::Text => text,
    };
    if fits {
        return Ok(());
    }
    if declared == Format::Docx && found == OLE {
        return Err(KnowledgeError::LegacyWord);
    }
    Err(KnowledgeError::Mismatch {
        declared,
        claim: claim.unwrap_or_else(|| "uploaded as one".to_owned()),
        found,
    })
}

const OLE: &str = "an old Office (.doc, .xls) file";

/// What the bytes look like, and the format they are when it is one of ours.
fn sniff(bytes: &[u8]) -> (&'static str, Option<Format>) {
    let head = &bytes[..bytes.len().min(TEXT_WINDOW)];
    if head[..head.len().min(PDF_HEADER_WINDOW)]
        .windows(5)
        .any(|window| window == b"%PDF-")
    {
        return ("a PDF", Some(Format::Pdf));
    }
    if head.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes);
    }
    const MAGIC: [(&[u8], &str); 8] = [
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", OLE),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"{\\rtf", "an RTF document"),
        (b"PK\x05\x06", "an empty ZIP archive"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return (what, None);
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return ("a WebP image", None);
    }
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if !utf16 && head.contains(&0) {
        return ("a binary file", None);
    }
    if !utf16 && looks_like_html(head) {
        return ("an HTML page", Some(Format::Html));
    }
    ("plain text", Some(Format::Text))
}

fn sniff_zip(bytes: &[u8]) -> (&'static str, Option<Format>) {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return ("a damaged ZIP archive", None);
    };
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("word/document.xml") {
        ("a Word (DOCX) document", Some(Format::Docx))
    } else if has("xl/workbook.xml") {
        ("an Excel (XLSX) workbook", None)
    } else if has("ppt/presentation.xml") {
        ("a PowerPoint (PPTX) presentation", None)
    } else if has("content.xml") && has("mimetype") {
        ("an OpenDocument file", None)
    } else {
        ("a ZIP archive", None)
    }
}

/// Whether text starts like an HTML page (a doctype or an `<html>` / `<head>` / `<body>` tag
/// near its start), so that unnamed uploads of web pages are read as such.
fn looks_like_html(head: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html")
        || ["<html", "<head", "<body"]
            .iter()
            .any(|tag| start.contains(tag))
}

fn extension(file_name: &str) -> Option<String> {
    // Browsers send a bare name, but some clients send a Windows path.
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let (stem, extension) = name.rsplit_once('.')?;
    if stem.is_empty() || extension.is_empty() {
        return None;
    }
    Some(extension.to_ascii_lowercase())
}

fn by_extension(extension: &str) -> Option<Format> {
    Some(match extension {
        "pdf" => Format::Pdf,
        "docx" => Format::Docx,
        "txt" | "text" => Format::Text,
        "md" | "markdown" | "mdown" | "mkd" => Format::Markdown,
        "html" | "htm" | "xhtml" | "shtml" => Format::Html,
        _ => return None,
    })
}

fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Types that say nothing about the file: the bytes decide.
fn is_generic(media_type: &str) -> bool {
    matches!(
        media_type,
        "" | "application/octet-stream" | "binary/octet-stream" | "application/unknown"
    )
}

fn by_media_type(media_type: &str) -> Option<Format> {
    Some(match media_type {
        "application/pdf" | "application/x-pdf" => Format::Pdf,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Format::Docx,
        "text/plain" => Format::Text,
        "text/markdown" | "text/x-markdown" => Format::Markdown,
        "text/html" | "application/xhtml+xml" => Format::Html,
        _ => return None,
    })
}

/// An unsupported file, named by what its bytes are when that is more telling.
fn unsupported(bytes: &[u8], what: String) -> KnowledgeError {
    match sniff(bytes) {
        (OLE, _) if what.ends_with(".doc") || what.ends_with("msword") => {
            KnowledgeError::LegacyWord
        }
        _ => KnowledgeError::Unsupported { what },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_read_from_the_last_path_part() {
        assert_eq!(
            extension("C:\\Users\\ana\\Price List.PDF").as_deref(),
            Some("pdf")
        );
        assert_eq!(extension("notes"), None);
        assert_eq!(extension(".bashrc"), None);
        assert_eq!(media_type("text/HTML; charset=utf-8"), "text/html");
    }
}
