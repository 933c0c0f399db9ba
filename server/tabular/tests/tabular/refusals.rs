//! Files that are not tables, refused with a message that says what they are.

use wagent_tabular::{Format, Limits, ReadOptions, TabularError};

use crate::support::{Files, handmade_xlsx, open_error, sheet_xml, zip};

fn refused(path: &std::path::Path) -> String {
    let sniffed = wagent_tabular::sniff(path).unwrap_err().to_string();
    let opened = open_error(path, &ReadOptions::default(), &Limits::default()).to_string();
    assert_eq!(sniffed, opened);
    opened
}

#[test]
fn an_image_renamed_csv_is_refused() {
    let files = Files::new();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec();
    png.extend(std::iter::repeat_n(b'a', 100));
    let path = files.write("contacts.csv", png);
    assert_eq!(
        refused(&path),
        "this is not a CSV or XLSX file (it looks like an image)"
    );
}

#[test]
fn a_program_or_unknown_binary_renamed_csv_is_refused() {
    let files = Files::new();
    let elf = files.write(
        "contacts.csv",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0",
    );
    assert_eq!(
        refused(&elf),
        "this is not a CSV or XLSX file (it looks like a program)"
    );
    // No known signature: judged by its NUL and control bytes.
    let noise: Vec<u8> = (0..4_096u32).map(|i| (i * 7 % 32) as u8).collect();
    let noise = files.write("contacts.csv", noise);
    assert_eq!(
        refused(&noise),
        "this is not a CSV or XLSX file (it looks like a binary file)"
    );
}

#[test]
fn a_legacy_xls_is_refused() {
    let files = Files::new();
    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.resize(4_096, 0);
    let path = files.write("contacts.xls", xls);
    assert_eq!(
        refused(&path),
        "this is an old Excel (.xls) file or a password-protected workbook, which is not \
         supported; save it as CSV or XLSX without a password"
    );
}

#[test]
fn a_word_document_is_refused() {
    let files = Files::new();
    let docx = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
    ]);
    let path = files.write("contacts.xlsx", docx);
    assert_eq!(
        refused(&path),
        "this is a Word document, which is not supported; save the table as CSV or XLSX"
    );
    let other = files.write("archive.zip", zip(&[("contacts.csv", b"a,b\n")]));
    assert!(matches!(
        wagent_tabular::sniff(&other),
        Err(TabularError::UnsupportedZip {
            kind: "a ZIP archive"
        })
    ));
}

#[test]
fn utf16_text_is_refused_with_a_way_out() {
    let files = Files::new();
    let mut utf16 = b"\xFF\xFE".to_vec();
    utf16.extend("name\tphone\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    let path = files.write("contacts.txt", utf16);
    assert_eq!(
        refused(&path),
        "the file is UTF-16 text, which is not supported; save it as \"CSV UTF-8\" or as XLSX"
    );
}

#[test]
fn an_empty_or_oversized_file_is_refused() {
    let files = Files::new();
    let empty = files.write("empty.csv", "");
    assert_eq!(refused(&empty), "the file is empty");
    let path = files.write("contacts.csv", "name,phone\nAna,1\n");
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let error = open_error(&path, &ReadOptions::default(), &limits);
    assert_eq!(error.to_string(), "the file is larger than 10 bytes");
}

#[test]
fn the_format_comes_from_the_bytes_not_the_name() {
    let files = Files::new();
    let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>phone</t></is></c></row>"#;
    let workbook = handmade_xlsx(&sheet_xml(rows), crate::support::EMPTY_SHARED_STRINGS);
    let xlsx = files.write("contacts.csv", workbook);
    assert_eq!(wagent_tabular::sniff(&xlsx).unwrap(), Format::Xlsx);
    let csv = files.write("contacts.xlsx", "phone\n1\n");
    assert_eq!(wagent_tabular::sniff(&csv).unwrap(), Format::Csv);
    assert_eq!(
        wagent_tabular::sheets(&csv, &Limits::default())
            .unwrap_err()
            .to_string(),
        "a CSV file has no sheets"
    );
}
