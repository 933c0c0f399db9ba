//! PDF: the text layer, page by page, with page numbers.
//!
//! pdf-extract (on lopdf) is known to panic on unusual files, so every call into it runs
//! under `catch_unwind`: a page that panics is reported unreadable, a document that panics
//! while loading is damaged. Its text output goes through a writer that stops at the text
//! budget, so a page of compressed text cannot expand without bound.

use std::{
    fmt,
    io::Read,
    panic::{self, AssertUnwindSafe},
    time::Instant,
};

use flate2::read::ZlibDecoder;
use pdf_extract::{ConvertToFmt, Object, PlainTextOutput};

use crate::{Document, KnowledgeError, Limits, outline::Outline};

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, KnowledgeError> {
    let started = Instant::now();
    let in_time = || {
        if started.elapsed() > limits.max_pdf_time {
            return Err(KnowledgeError::PdfTooSlow {
                seconds: limits.max_pdf_time.as_secs(),
            });
        }
        Ok(())
    };
    check_object_streams(bytes, limits.max_pdf_stream_bytes)?;
    let mut document = unwind("while loading it", || load(bytes))??;
    in_time()?;
    if document.is_encrypted() {
        // Many PDFs are encrypted with an empty password only to restrict printing or
        // copying; those can be read.
        unwind("while decrypting it", || document.decrypt(""))?
            .map_err(|_| KnowledgeError::PdfEncrypted)?;
    }
    let pages = unwind("while listing its pages", || document.get_pages())?;
    if pages.is_empty() {
        return Err(KnowledgeError::PdfDamaged("it has no pages".to_owned()));
    }
    if pages.len() > limits.max_pages as usize {
        return Err(KnowledgeError::TooManyPages {
            pages: pages.len(),
            limit: limits.max_pages,
        });
    }

    unwind("while measuring its streams", || {
        check_streams(&document, limits.max_pdf_stream_bytes)
    })??;

    let mut outline = Outline::new(limits);
    if let Ok(Some(title)) = unwind("while reading its title", || title(&document)) {
        outline.title(&title);
    }
    let mut unreadable = Vec::new();
    let mut budget = limits.max_text_bytes;
    for &number in pages.keys() {
        in_time()?;
        let mut page = PageText {
            text: String::new(),
            budget,
            over: false,
        };
        let result = unwind("on a page", || {
            let mut output = PlainTextOutput::new(Sink(&mut page));
            pdf_extract::output_doc_page(&document, &mut output, number)
        });
        if page.over {
            return Err(KnowledgeError::TextTooLong {
                limit: limits.max_text_bytes,
            });
        }
        match result {
            Ok(Ok(())) => {}
            Ok(Err(_)) | Err(_) => {
                unreadable.push(number);
                continue;
            }
        }
        budget -= page.text.len();
        // A line that reads as a heading opens a section; the lines between are a block.
        let lines = reflow(&page.text);
        let mut block: Vec<&str> = Vec::new();
        for line in &lines {
            match crate::text::heading_level(line) {
                Some(level) => {
                    outline.block(block.drain(..), Some(number))?;
                    outline.heading(level, line)?;
                }
                None => block.push(line),
            }
        }
        outline.block(block, Some(number))?;
    }
    if !outline.has_text() && unreadable.len() == pages.len() {
        return Err(KnowledgeError::PdfDamaged(
            "none of its pages could be read".to_owned(),
        ));
    }
    let mut document = outline.finish();
    document.unreadable_pages = unreadable;
    Ok(document)
}

/// A page's lines with the lines that typesetting wrapped joined again, so that a sentence
/// is one line: a line continues the one before when that one does not end a sentence and
/// it starts in lower case. A hyphen that split a word at the end of a line goes.
///
/// pdf-extract leaves a blank line between most lines, so paragraphs cannot be told apart;
/// the lines between two headings of a page are one block.
fn reflow(page: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in page.lines().map(str::trim).filter(|line| !line.is_empty()) {
        match lines.last_mut() {
            Some(last)
                if !last.ends_with(['.', '!', '?', ':', ';'])
                    && line.starts_with(char::is_lowercase) =>
            {
                let hyphenated = last
                    .strip_suffix('-')
                    .is_some_and(|rest| rest.ends_with(char::is_alphabetic));
                if hyphenated {
                    last.pop();
                } else {
                    last.push(' ');
                }
                last.push_str(line);
            }
            _ => lines.push(line.to_owned()),
        }
    }
    lines
}

/// Checks what the streams that text extraction decompresses (page contents, forms, fonts:
/// all but images) expand to, reading each through a bounded decoder first; lopdf itself
/// would inflate a bomb whole into memory.
fn check_streams(document: &pdf_extract::Document, limit: u64) -> Result<(), KnowledgeError> {
    let mut total: u64 = 0;
    for object in document.objects.values() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let image = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|subtype| subtype == b"Image");
        if image {
            continue;
        }
        let flate = stream
            .filters()
            .is_ok_and(|filters| filters.first() == Some(&b"FlateDecode".as_slice()));
        let size = if flate {
            inflated_size(&stream.content, limit.saturating_sub(total))
        } else {
            stream.content.len() as u64
        };
        total = total.saturating_add(size);
        if total > limit {
            return Err(KnowledgeError::PdfExpandsTooMuch { limit });
        }
    }
    Ok(())
}

/// What `data` inflates to, counted up to `left + 1` bytes and never held. A stream that
/// fails to inflate is lopdf's to judge; what came out counts.
fn inflated_size(data: &[u8], left: u64) -> u64 {
    let mut inflated = ZlibDecoder::new(data).take(left + 1);
    let mut counted = 0_u64;
    let mut buffer = [0_u8; 16 * 1024];
    while let Ok(read @ 1..) = inflated.read(&mut buffer) {
        counted += read as u64;
    }
    counted
}

/// Checks what the object streams (`/Type /ObjStm`: objects stored compressed together)
/// expand to, in the file's bytes, before lopdf loads it: lopdf inflates every object
/// stream whole while loading, so a bomb there would fill memory before any other check.
fn check_object_streams(bytes: &[u8], limit: u64) -> Result<(), KnowledgeError> {
    let mut total: u64 = 0;
    let mut at = 0;
    while let Some(found) = position(&bytes[at..], b"/ObjStm") {
        let tag = at + found;
        // The data starts after the keyword `stream` and its end of line.
        let Some(keyword) = position(&bytes[tag..], b"stream") else {
            break;
        };
        let mut start = tag + keyword + b"stream".len();
        for eol in [b'\r', b'\n'] {
            if bytes.get(start) == Some(&eol) {
                start += 1;
            }
        }
        let end = position(&bytes[start..], b"endstream").map_or(bytes.len(), |e| start + e);
        total = total.saturating_add(inflated_size(
            &bytes[start..end],
            limit.saturating_sub(total),
        ));
        if total > limit {
            return Err(KnowledgeError::PdfExpandsTooMuch { limit });
        }
        at = end;
    }
    Ok(())
}

fn position(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The title in the document's information dictionary, which many generators fill in.
fn title(document: &pdf_extract::Document) -> Option<String> {
    let info = match document.trailer.get(b"Info").ok()? {
        Object::Reference(id) => document.get_dictionary(*id).ok()?,
        Object::Dictionary(info) => info,
        _ => return None,
    };
    pdf_extract::decode_text_string(info.get(b"Title").ok()?).ok()
}

fn load(bytes: &[u8]) -> Result<pdf_extract::Document, KnowledgeError> {
    pdf_extract::Document::load_mem(bytes).map_err(|error| match error {
        pdf_extract::Error::Decryption(_) | pdf_extract::Error::InvalidPassword => {
            KnowledgeError::PdfEncrypted
        }
        other => KnowledgeError::PdfDamaged(other.to_string()),
    })
}

/// Runs `f`, turning a panic into "damaged".
fn unwind<T>(doing: &str, f: impl FnOnce() -> T) -> Result<T, KnowledgeError> {
    panic::catch_unwind(AssertUnwindSafe(f))
        .map_err(|_| KnowledgeError::PdfDamaged(format!("the reader failed {doing}")))
}

/// One page's text, refused past the document's remaining budget.
struct PageText {
    text: String,
    budget: usize,
    over: bool,
}

/// The writer pdf-extract writes a page's text into.
struct Sink<'a>(&'a mut PageText);

impl fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.0.text.len() + s.len() > self.0.budget {
            self.0.over = true;
            return Err(fmt::Error);
        }
        self.0.text.push_str(s);
        Ok(())
    }
}

impl<'a> ConvertToFmt for Sink<'a> {
    type Writer = Sink<'a>;

    fn convert(self) -> Self::Writer {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_joined_again() {
        let page = "Returns\n\nYou can return it within 30 days. The refund goes to the\n\ncard used to pay, in five busi-\nness days.\n\nExchanges\n";
        assert_eq!(
            reflow(page),
            [
                "Returns",
                "You can return it within 30 days. The refund goes to the card used to pay, in \
                 five business days.",
                "Exchanges",
            ]
        );
    }
}
