//! Fixtures built in code, and the measures the hostile-file tests need.

use std::{
    fs,
    io::{Cursor, Write},
};

use wagent_knowledge::{Document, KnowledgeError, Limits};
use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

const CHILD: &str = "WAGENT_KNOWLEDGE_TEST_CHILD";

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A minimal DOCX: the parts Word needs to open it, with `body` as the document's body and
/// `styles` as its styles part when given.
pub fn docx(body: &str, styles: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#
    );
    let mut parts = vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELS.to_owned()),
        ("word/document.xml", document),
    ];
    if let Some(styles) = styles {
        parts.push((
            "word/styles.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W_NS}">{styles}</w:styles>"#),
        ));
    }
    zip_of(&parts)
}

pub fn zip_of(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A paragraph, styled when `style` is given.
pub fn paragraph(style: Option<&str>, text: &str) -> String {
    let properties = style
        .map(|style| format!(r#"<w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#))
        .unwrap_or_default();
    format!(r#"<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// Reads an upload with the default limits.
pub fn read(bytes: &[u8], name: &str) -> Result<Document, KnowledgeError> {
    wagent_knowledge::read(bytes, Some(name), None, &Limits::default())
}

/// The document's text, blocks separated by blank lines.
pub fn all_text(document: &Document) -> String {
    document
        .blocks
        .iter()
        .map(|block| block.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

pub fn fixture(name: &str) -> Vec<u8> {
    fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Runs the calling test again alone in a child process, so its memory is measured without
/// other tests' allocations; returns true in that child, false in the parent once the child
/// passed.
pub fn in_own_process(test: &str) -> bool {
    if std::env::var(CHILD).is_ok_and(|running| running == test) {
        return true;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .output()
        .unwrap();
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{test} failed in its own process");
    // A filter that matched nothing would pass without running the body.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1 passed"), "{test} did not run: {stdout}");
    false
}

/// How much `work` raised the process's peak resident memory, in MiB.
pub fn peak_growth_mib<T>(work: impl FnOnce() -> T) -> (T, f64) {
    // Writing 5 resets the peak to the current size (Linux 4.0+).
    fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status_kib("VmRSS");
    let result = work();
    let peak = status_kib("VmHWM");
    (result, peak.saturating_sub(before) as f64 / 1024.0)
}

fn status_kib(field: &str) -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A PDF written by hand, one page per entry: its text (in Helvetica) and whether the page
/// has a media box. A page without one is malformed in a way that makes pdf-extract panic.
pub fn handmade_pdf(pages: &[(&str, bool)]) -> Vec<u8> {
    let pages: Vec<PdfPage> = pages
        .iter()
        .map(|(text, media_box)| PdfPage {
            content: format!("BT /F1 12 Tf 72 712 Td ({text}) Tj ET").into_bytes(),
            filter: None,
            media_box: *media_box,
        })
        .collect();
    pdf_of(&pages)
}

/// A page of a handmade PDF: its content stream as stored, with its filter if any.
pub struct PdfPage {
    pub content: Vec<u8>,
    pub filter: Option<&'static str>,
    pub media_box: bool,
}

pub fn pdf_of(pages: &[PdfPage]) -> Vec<u8> {
    let font_id = 3 + 2 * pages.len();
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 3 + 2 * i))
        .collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    ];
    for (i, page) in pages.iter().enumerate() {
        let media_box = if page.media_box {
            "/MediaBox [0 0 612 792]"
        } else {
            ""
        };
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R {media_box} /Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {} 0 R >>",
                4 + 2 * i
            )
            .into_bytes(),
        );
        let filter = page
            .filter
            .map(|filter| format!(" /Filter /{filter}"))
            .unwrap_or_default();
        let mut stream =
            format!("<< /Length {}{filter} >>\nstream\n", page.content.len()).into_bytes();
        stream.extend_from_slice(&page.content);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec());

    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
