//! What a file is taken for, and the refusals a user reads when it is not what it says.

use wagent_knowledge::{Format, KnowledgeError, Limits, detect};

use crate::support::{docx, fixture, paragraph, read};

#[test]
fn formats_come_from_the_name_checked_against_the_bytes() {
    let pdf = fixture("three-pages.pdf");
    let word = docx(&paragraph(None, "Hello"), None);
    assert_eq!(
        detect(&pdf, Some("Price list.PDF"), None).unwrap(),
        Format::Pdf
    );
    assert_eq!(detect(&word, Some("faq.docx"), None).unwrap(), Format::Docx);
    assert_eq!(
        detect(b"# FAQ", Some("faq.md"), Some("text/plain")).unwrap(),
        Format::Markdown
    );
    assert_eq!(
        detect(b"Hours: 9-18", Some("hours.txt"), None).unwrap(),
        Format::Text
    );
    assert_eq!(
        detect(b"<p>Hi</p>", Some("page.htm"), None).unwrap(),
        Format::Html
    );
}

#[test]
fn without_a_name_the_type_and_then_the_bytes_decide() {
    let pdf = fixture("three-pages.pdf");
    let word = docx(&paragraph(None, "Hello"), None);
    assert_eq!(
        detect(&pdf, None, Some("application/pdf")).unwrap(),
        Format::Pdf
    );
    assert_eq!(
        detect(b"# Title", None, Some("text/markdown; charset=utf-8")).unwrap(),
        Format::Markdown
    );
    assert_eq!(
        detect(&pdf, None, Some("application/octet-stream")).unwrap(),
        Format::Pdf
    );
    assert_eq!(detect(&word, None, None).unwrap(), Format::Docx);
    assert_eq!(
        detect(b"<!DOCTYPE html><html><body>Hi</body></html>", None, None).unwrap(),
        Format::Html
    );
    assert_eq!(detect(b"just words", None, None).unwrap(), Format::Text);
}

#[test]
fn a_text_file_named_pdf_is_refused_clearly() {
    let error = read(b"This is not really a PDF.", "catalogue.pdf").unwrap_err();
    assert!(matches!(
        error,
        KnowledgeError::Mismatch {
            declared: Format::Pdf,
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "the file is not a PDF although named .pdf (it looks like plain text)"
    );

    let error = detect(&fixture("three-pages.pdf"), Some("notes.txt"), None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file is not plain text although named .txt (it looks like a PDF)"
    );

    let error = detect(b"plain words", None, Some("application/pdf")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file is not a PDF although sent as application/pdf (it looks like plain text)"
    );
}

#[test]
fn other_kinds_of_file_are_refused_with_what_they_are() {
    let error = detect(b"a,b\n1,2\n", Some("prices.csv"), None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "a file named .csv is not supported; upload a PDF, a Word (DOCX) document, a web page \
         (HTML), Markdown or plain text"
    );
    let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an old Word file";
    assert!(matches!(
        detect(ole, Some("old.doc"), None),
        Err(KnowledgeError::LegacyWord)
    ));
    assert!(matches!(
        detect(ole, Some("renamed.docx"), None),
        Err(KnowledgeError::LegacyWord)
    ));
    let error = detect(b"\x89PNG\r\n\x1a\n....", None, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "a PNG image is not supported; upload a PDF, a Word (DOCX) document, a web page \
         (HTML), Markdown or plain text"
    );
    let error = detect(b"\x89PNG\r\n\x1a\n....", None, Some("image/png")).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("a file of type image/png is not supported")
    );
    let zip = crate::support::zip_of(&[("readme.txt", "hi".to_owned())]);
    let error = detect(&zip, Some("manual.docx"), None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file is not a Word (DOCX) document although named .docx (it looks like a ZIP \
         archive)"
    );
    assert!(matches!(
        detect(b"", Some("a.txt"), None),
        Err(KnowledgeError::Empty)
    ));
}

#[test]
fn an_upload_over_the_size_limit_is_refused_before_reading() {
    let limits = Limits {
        max_input_bytes: 1_000,
        ..Limits::default()
    };
    let error =
        wagent_knowledge::read(&vec![b'a'; 1_001], Some("big.txt"), None, &limits).unwrap_err();
    assert_eq!(
        error.to_string(),
        "file too large: the limit is 1,000 bytes"
    );
    let error = wagent_knowledge::extract(&vec![b'a'; 26 << 20], Format::Text, &Limits::default())
        .unwrap_err();
    assert_eq!(error.to_string(), "file too large: the limit is 25 MiB");
}

#[test]
fn extract_checks_a_stored_format_against_the_bytes() {
    let error = wagent_knowledge::extract(b"hello", Format::Docx, &Limits::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file is not a Word (DOCX) document although uploaded as one (it looks like plain \
         text)"
    );
}
