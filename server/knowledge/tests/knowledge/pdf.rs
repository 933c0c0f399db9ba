//! PDFs: text by page, and the PDFs that cannot be read.

use std::io::Write;

use flate2::{Compression, write::ZlibEncoder};
use wagent_knowledge::{ChunkOptions, Format, KnowledgeError, Limits, chunk};

use crate::support::{PdfPage, all_text, fixture, handmade_pdf, pdf_of, read};

#[test]
fn each_block_knows_its_page() {
    let document = read(&fixture("three-pages.pdf"), "policies.pdf").unwrap();
    assert!(document.unreadable_pages.is_empty());
    assert_eq!(document.title.as_deref(), Some("Store policies"));
    let page_of = |words: &str| {
        let block = document
            .blocks
            .iter()
            .find(|block| block.text.contains(words))
            .unwrap_or_else(|| panic!("{words:?} not found in {document:#?}"));
        block.page
    };
    assert_eq!(page_of("within 30 days"), Some(1));
    assert_eq!(page_of("Express delivery"), Some(2));
    assert_eq!(page_of("12 months"), Some(3));
    assert!(
        document
            .blocks
            .iter()
            .all(|block| block.heading_path.is_empty())
    );
    let text = all_text(&document);
    assert!(text.contains("Returns"), "{text}");
    // Lines the PDF wrapped read as one sentence again.
    assert!(
        text.contains("goes back to the card used to pay, within 5 business days."),
        "{text}"
    );
    assert_eq!(document.blocks.len(), 3, "a block per page");

    // Small chunks still start on the right page.
    let chunks = chunk(
        &document,
        ChunkOptions {
            target_words: 12,
            overlap_words: 0,
            ..ChunkOptions::default()
        },
    )
    .unwrap();
    let warranty = chunks.iter().find(|c| c.text.contains("blender")).unwrap();
    assert_eq!(warranty.page, Some(3));
    assert_eq!(chunks.first().unwrap().page, Some(1));
}

#[test]
fn a_pdf_without_a_text_layer_says_so() {
    let error = read(&fixture("no-text-layer.pdf"), "scan.pdf").unwrap_err();
    assert!(matches!(error, KnowledgeError::PdfNoText));
    assert_eq!(
        error.to_string(),
        "the PDF has no text layer (a scanned document?); upload a PDF with selectable text, or \
         its text as a Word or text file"
    );
}

#[test]
fn a_truncated_or_garbage_pdf_is_an_error_not_a_panic() {
    let whole = fixture("three-pages.pdf");
    let mut inputs: Vec<Vec<u8>> = vec![
        b"%PDF-1.4\n".to_vec(),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
            .to_vec(),
        [b"%PDF-1.5\n".as_slice(), &[0xAB; 4_000]].concat(),
    ];
    for cut in [whole.len() / 4, whole.len() / 2, whole.len() - 40] {
        inputs.push(whole[..cut].to_vec());
    }
    // Bytes flipped in the middle of the streams.
    let mut flipped = whole.clone();
    for at in (400..flipped.len() - 200).step_by(97) {
        flipped[at] ^= 0x5A;
    }
    inputs.push(flipped);

    for (i, bytes) in inputs.iter().enumerate() {
        let result = wagent_knowledge::extract(bytes, Format::Pdf, &Limits::default());
        match result {
            Err(
                KnowledgeError::PdfDamaged(_)
                | KnowledgeError::PdfNoText
                | KnowledgeError::PdfEncrypted,
            ) => {}
            // A reader that recovers part of a damaged file is fine too.
            Ok(document) => assert!(!document.blocks.is_empty(), "input {i}"),
            Err(other) => panic!("input {i}: unexpected error {other:?}"),
        }
    }
    let error =
        wagent_knowledge::extract(b"%PDF-1.4\n", Format::Pdf, &Limits::default()).unwrap_err();
    assert!(
        error.to_string().starts_with("the PDF file is damaged: "),
        "{error}"
    );
}

#[test]
fn page_and_text_limits_are_enforced() {
    let pdf = fixture("three-pages.pdf");
    let pages = Limits {
        max_pages: 2,
        ..Limits::default()
    };
    let error = wagent_knowledge::extract(&pdf, Format::Pdf, &pages).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the PDF has 3 pages, but at most 2 are read"
    );

    let text = Limits {
        max_text_bytes: 100,
        ..Limits::default()
    };
    let error = wagent_knowledge::extract(&pdf, Format::Pdf, &text).unwrap_err();
    assert!(
        matches!(error, KnowledgeError::TextTooLong { limit: 100 }),
        "{error:?}"
    );
}

#[test]
fn a_password_protected_pdf_is_refused_but_a_copy_protected_one_is_read() {
    let error = read(&fixture("password.pdf"), "members.pdf").unwrap_err();
    assert!(matches!(error, KnowledgeError::PdfEncrypted), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the PDF is protected with a password; upload a copy without the password"
    );
    let document = read(&fixture("no-copy.pdf"), "members.pdf").unwrap();
    assert!(
        all_text(&document).contains("free delivery"),
        "{document:?}"
    );
}

#[test]
fn a_page_that_makes_the_reader_panic_is_reported_not_fatal() {
    let pdf = handmade_pdf(&[
        ("Opening hours are 9 to 18.", true),
        ("This page has no media box.", false),
        ("Closed on Sundays.", true),
    ]);
    let document = read(&pdf, "hours.pdf").unwrap();
    assert_eq!(document.unreadable_pages, [2]);
    let found: Vec<(Option<u32>, &str)> = document
        .blocks
        .iter()
        .map(|b| (b.page, b.text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(1), "Opening hours are 9 to 18."),
            (Some(3), "Closed on Sundays.")
        ]
    );

    let broken = handmade_pdf(&[("No media box here.", false)]);
    let error = read(&broken, "broken.pdf").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the PDF file is damaged: none of its pages could be read"
    );
}

#[test]
fn a_compressed_page_that_expands_too_much_is_refused_before_it_is_inflated() {
    let text = "BT /F1 12 Tf 72 712 Td (Deliveries on Saturdays.) Tj ET\n";
    let deflate = |bytes: &[u8]| {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    };
    let page = |content: Vec<u8>| PdfPage {
        content,
        filter: Some("FlateDecode"),
        media_box: true,
    };
    // A page of text that compresses, read as any other.
    let pdf = pdf_of(&[page(deflate(text.as_bytes()))]);
    let document = read(&pdf, "saturdays.pdf").unwrap();
    assert_eq!(all_text(&document), "Deliveries on Saturdays.");

    // 8 MiB of spaces after the text: some 8 KiB stored.
    let mut bomb = text.as_bytes().to_vec();
    bomb.resize(8 << 20, b' ');
    let pdf = pdf_of(&[page(deflate(&bomb))]);
    assert!(pdf.len() < 64 << 10, "{} bytes", pdf.len());
    let limits = Limits {
        max_pdf_stream_bytes: 1 << 20,
        ..Limits::default()
    };
    let error = wagent_knowledge::extract(&pdf, Format::Pdf, &limits).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the PDF expands to more than 1 MiB of page content (a compression bomb?)"
    );
}

#[test]
fn an_object_stream_bomb_is_refused_before_the_pdf_is_loaded() {
    // lopdf inflates object streams whole while loading: 64 MiB of spaces in one, some
    // 64 KiB stored. Refused from the file's bytes, with bounded memory.
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..64 {
        encoder.write_all(&spaces).unwrap();
    }
    let data = encoder.finish().unwrap();
    let mut pdf = format!(
        "%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    pdf.extend_from_slice(&data);
    pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<< /Size 2 >>\n%%EOF\n");
    assert!(pdf.len() < 256 << 10, "{} bytes", pdf.len());
    let limits = Limits {
        max_pdf_stream_bytes: 1 << 20,
        ..Limits::default()
    };
    let error = wagent_knowledge::extract(&pdf, Format::Pdf, &limits).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the PDF expands to more than 1 MiB of page content (a compression bomb?)"
    );
}

#[test]
fn a_pdf_that_reads_too_slowly_gets_an_error() {
    let pdf = handmade_pdf(&[("First page", true), ("Second page", true)]);
    assert!(read(&pdf, "quick.pdf").is_ok());
    let limits = Limits {
        max_pdf_time: std::time::Duration::ZERO,
        ..Limits::default()
    };
    let error = wagent_knowledge::extract(&pdf, Format::Pdf, &limits).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the PDF took more than 0 s to read; split it into smaller files"
    );
}
