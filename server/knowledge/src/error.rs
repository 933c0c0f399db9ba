//! What can go wrong while reading a document, worded for the person who uploaded it.

use std::fmt;

use crate::Format;

/// Everything that can make a document unusable for the knowledge base.
///
/// Each message is a sentence for the person who uploaded the file; none carries a path, a
/// stack or a library's internals beyond a short cause.
#[derive(thiserror::Error, Debug)]
pub enum KnowledgeError {
    /// The file has no bytes at all.
    #[error("the file is empty")]
    Empty,

    /// The upload is larger than [`crate::Limits::max_input_bytes`].
    #[error("file too large: the limit is {}", Bytes(*.limit))]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },

    /// A kind of file the knowledge base does not read (a spreadsheet, an image...).
    #[error(
        "{what} is not supported; upload a PDF, a Word (DOCX) document, a web page (HTML), \
         Markdown or plain text"
    )]
    Unsupported {
        /// What the file is, e.g. "a file named .xlsx", "an image".
        what: String,
    },

    /// A legacy Word 97-2003 document.
    #[error("this is an old Word (.doc) file, which is not supported; save it as DOCX or PDF")]
    LegacyWord,

    /// The bytes are not what the file's name or declared type says.
    #[error("the file is not {} although {claim} (it looks like {found})", .declared.described())]
    Mismatch {
        /// What the name or type claims.
        declared: Format,
        /// Where the claim comes from, e.g. "named .pdf", "sent as text/html".
        claim: String,
        /// What the bytes look like, e.g. "plain text", "a ZIP archive".
        found: &'static str,
    },

    /// Text in an encoding the format does not allow.
    #[error("the {format} file is not valid UTF-8 text; save it again as UTF-8")]
    NotUtf8 {
        /// The format read.
        format: Format,
    },

    /// The PDF's structure is broken.
    #[error("the PDF file is damaged: {0}")]
    PdfDamaged(String),

    /// The PDF is encrypted with a password.
    #[error("the PDF is protected with a password; upload a copy without the password")]
    PdfEncrypted,

    /// The PDF has pages but no text layer.
    #[error(
        "the PDF has no text layer (a scanned document?); upload a PDF with selectable text, or \
         its text as a Word or text file"
    )]
    PdfNoText,

    /// The PDF's streams expand beyond [`crate::Limits::max_pdf_stream_bytes`].
    #[error("the PDF expands to more than {} of page content (a compression bomb?)", Bytes(*.limit))]
    PdfExpandsTooMuch {
        /// The limit in bytes.
        limit: u64,
    },

    /// Reading the PDF took longer than [`crate::Limits::max_pdf_time`].
    #[error("the PDF took more than {seconds} s to read; split it into smaller files")]
    PdfTooSlow {
        /// The limit in seconds.
        seconds: u64,
    },

    /// The PDF has more pages than [`crate::Limits::max_pages`].
    #[error("the PDF has {} pages, but at most {} are read", Count(*.pages as u64), Count(*.limit as u64))]
    TooManyPages {
        /// How many pages the PDF has.
        pages: usize,
        /// The limit.
        limit: u32,
    },

    /// The DOCX container or its XML is broken.
    #[error("the DOCX file is damaged: {0}")]
    DocxDamaged(String),

    /// A part of the DOCX file expands beyond [`crate::Limits::max_uncompressed_bytes`].
    #[error("the DOCX file expands to more than {} (a zip bomb?)", Bytes(*.limit))]
    ExpandsTooMuch {
        /// The limit in bytes.
        limit: u64,
    },

    /// The DOCX file holds more entries than [`crate::Limits::max_zip_entries`].
    #[error("the DOCX file holds more than {} parts (a zip bomb?)", Count(*.limit as u64))]
    TooManyEntries {
        /// The limit.
        limit: usize,
    },

    /// The DOCX XML declares a document type, which Word never writes and which is the
    /// vehicle of entity-expansion attacks.
    #[error("the DOCX file is damaged: it declares a document type, which Word never writes")]
    DocxDoctype,

    /// The HTML page nests deeper than [`crate::Limits::max_html_depth`].
    #[error(
        "the web page nests its elements more than {} deep, which no real page does",
        Count(*.limit as u64)
    )]
    HtmlTooDeep {
        /// The limit.
        limit: usize,
    },

    /// The document yields more text than [`crate::Limits::max_text_bytes`].
    #[error("the document holds more than {} of text", Bytes(*.limit as u64))]
    TextTooLong {
        /// The limit in bytes.
        limit: usize,
    },

    /// The document was read but holds no text.
    #[error("no text found in the file")]
    NoText,

    /// Chunking yields more chunks than [`crate::ChunkOptions::max_chunks`].
    #[error("the document is too long: it makes more than {} chunks", Count(*.limit as u64))]
    TooManyChunks {
        /// The limit.
        limit: usize,
    },
}

/// A number with thousands separators, as "1,000,000".
pub(crate) struct Count(pub u64);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(digit);
        }
        f.write_str(&out)
    }
}

/// A size in bytes: whole MiB read as such, anything else in bytes.
pub(crate) struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MIB: u64 = 1 << 20;
        match self.0 {
            n if n >= MIB && n.is_multiple_of(MIB) => write!(f, "{} MiB", Count(n / MIB)),
            n => write!(f, "{} bytes", Count(n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(Count(2_000).to_string(), "2,000");
        assert_eq!(Bytes(25 << 20).to_string(), "25 MiB");
        assert_eq!(Bytes(1_500).to_string(), "1,500 bytes");
        let error = KnowledgeError::Mismatch {
            declared: Format::Pdf,
            claim: "named .pdf".to_owned(),
            found: "plain text",
        };
        assert_eq!(
            error.to_string(),
            "the file is not a PDF although named .pdf (it looks like plain text)"
        );
    }
}
