//! Telling a CSV file from an XLSX workbook, and both from everything else, by their bytes.

use std::{fs::File, io::Read, path::Path};

use crate::{Format, TabularError};

/// How much of the file start is examined for binary content.
const HEAD_BYTES: usize = 8 * 1024;

const ZIP: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP: &[u8] = b"PK\x05\x06";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Signatures of common files that get renamed to .csv by mistake, with what to call them.
/// Each is long or odd enough that no text file starts with it; others are caught as binary.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "an image"),
    (b"\xFF\xD8\xFF", "an image"),
    (b"GIF8", "an image"),
    (b"\x7FELF", "a program"),
    (b"\x1F\x8B", "a compressed archive"),
    (b"Rar!\x1A\x07", "a compressed archive"),
    (b"7z\xBC\xAF\x27\x1C", "a compressed archive"),
];

pub(crate) fn sniff(path: &Path) -> Result<Format, TabularError> {
    let mut file = File::open(path)?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut file).take(HEAD_BYTES as u64).read_to_end(&mut head)?;
    if head.is_empty() {
        return Err(TabularError::Empty);
    }
    if head.starts_with(ZIP) || head.starts_with(EMPTY_ZIP) {
        return zip_format(file);
    }
    if head.starts_with(OLE) {
        return Err(TabularError::LegacyExcel);
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || looks_utf16(&head) {
        return Err(TabularError::Utf16);
    }
    if let Some((_, kind)) = SIGNATURES.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Err(TabularError::Binary { kind });
    }
    if looks_binary(&head) {
        return Err(TabularError::Binary {
            kind: "a binary file",
        });
    }
    Ok(Format::Csv)
}

/// An XLSX file is a ZIP holding `xl/workbook.xml`; other office files are ZIPs too.
fn zip_format(file: File) -> Result<Format, TabularError> {
    let archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|error| TabularError::Damaged(error.to_string()))?;
    let names: Vec<String> = archive.file_names_raw().map(ascii_lowercase).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("xl/workbook.xml") {
        return Ok(Format::Xlsx);
    }
    let kind = if has("xl/workbook.bin") {
        "an Excel binary workbook (.xlsb)"
    } else if has("word/document.xml") {
        "a Word document"
    } else if has("ppt/presentation.xml") {
        "a PowerPoint presentation"
    } else if has("mimetype") && has("content.xml") {
        "an OpenDocument file"
    } else {
        "a ZIP archive"
    };
    Err(TabularError::UnsupportedZip { kind })
}

fn ascii_lowercase(name: &[u8]) -> String {
    String::from_utf8_lossy(name).to_ascii_lowercase()
}

/// NUL bytes never occur in text; control characters do, but rarely.
fn looks_binary(head: &[u8]) -> bool {
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    controls * 20 > head.len()
}

/// UTF-16 text without a byte order mark: nearly every other byte is NUL.
fn looks_utf16(head: &[u8]) -> bool {
    if head.len() < 8 {
        return false;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    even.max(odd) * 10 >= pairs * 9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_tabs_and_form_feeds_is_text() {
        assert!(!looks_binary(b"name\tphone\r\nJo\xE3o\t+5511\x0C\n"));
    }

    #[test]
    fn control_heavy_bytes_are_binary() {
        assert!(looks_binary(b"\x01\x02\x03abc\x04\x05\x06"));
        assert!(looks_binary(b"abc\0def"));
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text: Vec<u8> = "name,phone\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(looks_utf16(&text));
        assert!(!looks_utf16(b"name,phone\nJoao,123\n"));
    }
}
