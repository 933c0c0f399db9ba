//! Turning uploaded documents into text chunks an agent can retrieve.
//!
//! A business uploads a PDF, a Word (DOCX) file, a web page, Markdown or plain text. [`detect`]
//! decides what the file is from its declared type and name, checked against its bytes;
//! [`extract`] reads it into a [`Document`]: blocks of text, each under the heading path it
//! sits in and, for a PDF, on its page; [`chunk`] cuts the document into overlapping
//! [`Chunk`]s of about [`ChunkOptions::target_words`] words that never cross a section.
//!
//! Every bound in [`Limits`] is enforced while reading, and every [`KnowledgeError`] reads as
//! a sentence the person who uploaded the file can act on. Everything here blocks and is
//! CPU-bound; an async caller runs it on a blocking thread.

mod chunk;
mod detect;
mod docx;
mod error;
mod html;
mod markdown;
mod outline;
mod pdf;
mod text;

use std::fmt;

pub use crate::{
    chunk::{Chunk, ChunkOptions, chunk},
    error::KnowledgeError,
};

/// The kinds of document the knowledge base reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A PDF with a text layer; scanned pages without one are not read (no OCR).
    Pdf,
    /// A Word 2007+ document.
    Docx,
    /// Plain text: UTF-8, UTF-16 with a byte-order mark, or Windows-1252 (Latin-1).
    Text,
    /// Markdown (CommonMark-style ATX and setext headings).
    Markdown,
    /// An HTML page; only its main content is kept.
    Html,
}

impl Format {
    /// The format's name as a user knows it: "PDF", "Word (DOCX)", "text", "Markdown", "HTML".
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "Word (DOCX)",
            Format::Text => "text",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
        }
    }

    /// The format with its article, for sentences: "a PDF", "an HTML page".
    pub(crate) fn described(self) -> &'static str {
        match self {
            Format::Pdf => "a PDF",
            Format::Docx => "a Word (DOCX) document",
            Format::Text => "plain text",
            Format::Markdown => "a Markdown file",
            Format::Html => "an HTML page",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Bounds applied while reading, so that a hostile or huge file costs bounded time and memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest upload accepted, in bytes.
    pub max_input_bytes: usize,
    /// The most pages a PDF may have.
    pub max_pages: u32,
    /// The most bytes one XML part of a DOCX file may expand to (the main document, its
    /// styles); beyond it the file is taken for a zip bomb.
    pub max_uncompressed_bytes: u64,
    /// The most bytes a PDF's compressed page contents, forms, fonts and object streams may
    /// expand to, together; beyond it the file is taken for a compression bomb.
    pub max_pdf_stream_bytes: u64,
    /// The most entries a DOCX (ZIP) file may hold.
    pub max_zip_entries: usize,
    /// The most text a document may yield, in bytes of UTF-8.
    pub max_text_bytes: usize,
    /// The deepest an HTML page's elements may nest (parsing slows down with depth).
    pub max_html_depth: usize,
    /// The longest a PDF may take to read (checked between pages): a file built to be slow
    /// gets an error, not the worker for as long as it likes.
    pub max_pdf_time: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 25 << 20,
            max_pages: 2_000,
            max_uncompressed_bytes: 50 << 20,
            max_pdf_stream_bytes: 256 << 20,
            max_zip_entries: 5_000,
            max_text_bytes: 20 << 20,
            max_html_depth: 1_000,
            max_pdf_time: std::time::Duration::from_secs(60),
        }
    }
}

/// A document read into blocks of text, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// The document's own title: a PDF's information dictionary title, an HTML `<title>`,
    /// a DOCX paragraph styled "Title", a Markdown front-matter `title:` or first level-1
    /// heading.
    pub title: Option<String>,
    /// The text, never empty when it comes from [`extract`].
    pub blocks: Vec<Block>,
    /// PDF: the 1-based pages whose text could not be read (a damaged page, a font the
    /// reader cannot decode); their text is missing from `blocks`.
    pub unreadable_pages: Vec<u32>,
}

/// A paragraph, list, table or page of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The headings this block sits under, outermost first, e.g. `["Shipping",
    /// "International"]`; empty before the first heading and in formats without headings.
    pub heading_path: Vec<String>,
    /// PDF: the 1-based page the block is on.
    pub page: Option<u32>,
    /// The text: whitespace collapsed inside each line, lines (list items, table rows with
    /// cells separated by " | ") separated by `\n`, never blank.
    pub text: String,
}

impl Document {
    /// The number of words in the document, as [`chunk`] counts them.
    pub fn word_count(&self) -> usize {
        self.blocks
            .iter()
            .map(|block| block.text.split_whitespace().count())
            .sum()
    }
}

/// What the file is, from its declared content type and file name, checked against its bytes.
///
/// The file name's extension wins over the content type (browsers send `text/plain` for
/// Markdown and `application/octet-stream` for much else); with neither, the bytes decide.
/// A file whose bytes are not what its name or type says is refused, as is any other kind of
/// file.
pub fn detect(
    bytes: &[u8],
    file_name: Option<&str>,
    content_type: Option<&str>,
) -> Result<Format, KnowledgeError> {
    detect::detect(bytes, file_name, content_type)
}

/// Reads the document's text, bounded by `limits`.
///
/// The bytes are checked to be `format` first (so a caller that trusts a stored format still
/// gets a clear error), and a document that yields no text at all is an error.
pub fn extract(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, KnowledgeError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(KnowledgeError::TooLarge {
            limit: limits.max_input_bytes as u64,
        });
    }
    if bytes.is_empty() {
        return Err(KnowledgeError::Empty);
    }
    detect::check(bytes, format, None)?;
    let document = match format {
        Format::Pdf => pdf::extract(bytes, limits)?,
        Format::Docx => docx::extract(bytes, limits)?,
        Format::Html => html::extract(&text::decode_html(bytes)?, limits)?,
        Format::Markdown => markdown::extract(&text::decode(bytes, format)?, limits)?,
        Format::Text => text::extract(&text::decode(bytes, format)?, limits)?,
    };
    if document.blocks.is_empty() {
        return Err(match format {
            Format::Pdf => KnowledgeError::PdfNoText,
            _ => KnowledgeError::NoText,
        });
    }
    Ok(document)
}

/// [`detect`] then [`extract`]: an upload as it arrives, read into a [`Document`].
pub fn read(
    bytes: &[u8],
    file_name: Option<&str>,
    content_type: Option<&str>,
    limits: &Limits,
) -> Result<Document, KnowledgeError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(KnowledgeError::TooLarge {
            limit: limits.max_input_bytes as u64,
        });
    }
    let format = detect(bytes, file_name, content_type)?;
    extract(bytes, format, limits)
}
