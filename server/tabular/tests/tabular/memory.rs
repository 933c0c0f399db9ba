//! Hostile and huge files, read with the process's peak memory measured.

use std::{
    fs::{self, File},
    io::{BufWriter, Write},
};

use wagent_tabular::{Limits, ReadOptions, TabularError};
use zip::CompressionMethod;

use crate::support::{
    EMPTY_SHARED_STRINGS, Files, handmade_xlsx, in_own_process, items, open_error, peak_growth_mib,
    sheet_xml, streamed_xlsx,
};

/// What reading any of these files may add to the process's peak memory.
const BOUND_MIB: f64 = 40.0;

const MIB: usize = 1 << 20;

fn write_repeated(out: &mut dyn Write, byte: u8, count: usize) {
    let chunk = vec![byte; 64 * 1024];
    let mut left = count;
    while left > 0 {
        let now = left.min(chunk.len());
        out.write_all(&chunk[..now]).unwrap();
        left -= now;
    }
}

#[test]
fn a_20_mb_line_is_refused_without_being_buffered() {
    if !in_own_process("memory::a_20_mb_line_is_refused_without_being_buffered") {
        return;
    }
    let files = Files::new();
    for (name, opening) in [("plain.csv", ""), ("quoted.csv", "\"")] {
        let path = files.path(name);
        let mut out = BufWriter::new(File::create(&path).unwrap());
        out.write_all(b"name,notes\nAna,ok\nBia,").unwrap();
        out.write_all(opening.as_bytes()).unwrap();
        write_repeated(&mut out, b'x', 20 * MIB);
        out.write_all(b"\nCaio,ok\n").unwrap();
        out.flush().unwrap();
        drop(out);

        let (items, growth) = peak_growth_mib(|| {
            let table =
                wagent_tabular::open(&path, &ReadOptions::default(), &Limits::default()).unwrap();
            items(table)
        });
        eprintln!("{name}: 20 MiB line, peak memory grew by {growth:.1} MiB");
        assert!(growth < BOUND_MIB, "{name}: grew by {growth:.1} MiB");
        assert_eq!(items.len(), 2, "{name}");
        assert_eq!(items[0].as_ref().unwrap().cells, ["Ana", "ok"]);
        let error = items[1].as_ref().unwrap_err();
        assert!(error.is_fatal());
        assert!(
            error
                .to_string()
                .starts_with("line 3 is longer than 65,536 bytes"),
            "{error}"
        );
    }
}

#[test]
fn a_zip_bomb_is_refused_before_decompression() {
    if !in_own_process("memory::a_zip_bomb_is_refused_before_decompression") {
        return;
    }
    let files = Files::new();
    let path = files.path("bomb.xlsx");
    // 50 MiB of spaces deflate to about 50 KiB: a ratio near 1,000.
    streamed_xlsx(&path, CompressionMethod::Deflated, |out| {
        out.write_all(
            sheet_xml("")
                .trim_end_matches("</sheetData></worksheet>")
                .as_bytes(),
        )
        .unwrap();
        write_repeated(out, b' ', 50 * MIB);
        out.write_all(b"</sheetData></worksheet>").unwrap();
    });
    let on_disk = fs::metadata(&path).unwrap().len();
    assert!(on_disk < 200 * 1024, "the bomb is {on_disk} bytes");

    let limits = Limits::default();
    let (error, growth) = peak_growth_mib(|| open_error(&path, &ReadOptions::default(), &limits));
    eprintln!("zip bomb ({on_disk} bytes on disk): peak memory grew by {growth:.1} MiB");
    assert!(growth < BOUND_MIB, "grew by {growth:.1} MiB");
    assert_eq!(
        error.to_string(),
        "the spreadsheet part \"xl/worksheets/sheet1.xml\" is compressed more than 200 times \
         (a zip bomb?)"
    );
    assert!(matches!(
        wagent_tabular::sheets(&path, &limits),
        Err(TabularError::CompressedTooMuch { .. })
    ));

    // The sum of the parts is bounded as well, whatever their ratio.
    let summed = Limits {
        max_xlsx_uncompressed: 10 << 20,
        max_xlsx_ratio: u64::MAX,
        ..Limits::default()
    };
    let error = open_error(&path, &ReadOptions::default(), &summed);
    assert_eq!(
        error.to_string(),
        "the spreadsheet expands to more than 10 MiB (a zip bomb?)"
    );
}

/// Rewrites the uncompressed size a ZIP declares for one part, in its local header and in
/// the central directory.
fn declare_size(zip: &mut [u8], part: &str, size: u32) {
    let mut patched = 0;
    for start in 0..zip.len().saturating_sub(46) {
        // (offset of the size, offset of the name's length, offset of the name)
        let (size_at, length_at, name_at) = match &zip[start..start + 4] {
            b"PK\x03\x04" => (22, 26, 30),
            b"PK\x01\x02" => (24, 28, 46),
            _ => continue,
        };
        let length = u16::from_le_bytes([zip[start + length_at], zip[start + length_at + 1]]);
        let name = start + name_at..start + name_at + usize::from(length);
        if zip.get(name) == Some(part.as_bytes()) {
            zip[start + size_at..start + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "the part's two headers");
}

#[test]
fn a_part_larger_than_it_declares_is_cut_off_at_its_declared_size() {
    if !in_own_process("memory::a_part_larger_than_it_declares_is_cut_off_at_its_declared_size") {
        return;
    }
    let files = Files::new();
    let path = files.path("liar.xlsx");
    // One header cell of 50 MiB: an XML parser would hold it whole.
    streamed_xlsx(&path, CompressionMethod::Deflated, |out| {
        out.write_all(
            sheet_xml(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#)
                .trim_end_matches("</sheetData></worksheet>")
                .as_bytes(),
        )
        .unwrap();
        write_repeated(out, b'a', 50 * MIB);
        out.write_all(b"</t></is></c></row></sheetData></worksheet>")
            .unwrap();
    });
    let mut bytes = fs::read(&path).unwrap();
    declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 4_096);
    fs::write(&path, bytes).unwrap();

    let (error, growth) =
        peak_growth_mib(|| open_error(&path, &ReadOptions::default(), &Limits::default()));
    eprintln!("part lying about its size: peak memory grew by {growth:.1} MiB ({error})");
    assert!(growth < BOUND_MIB, "grew by {growth:.1} MiB");
    assert!(matches!(error, TabularError::Damaged(_)), "{error:?}");
}

/// Nine levels of ten: `&lol9;` would expand to a thousand million "lol"s.
const LAUGHS: &str = r#"<!DOCTYPE worksheet [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"#;

#[test]
fn entity_expansion_is_never_performed() {
    if !in_own_process("memory::entity_expansion_is_never_performed") {
        return;
    }
    let files = Files::new();
    let xml_declaration = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

    // In the sheet: the parser meets the entity while reading the header's row and the next.
    let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>"#;
    let sheet = sheet_xml(rows).replacen(xml_declaration, &format!("{xml_declaration}{LAUGHS}"), 1);
    let path = files.write("laughs.xlsx", handmade_xlsx(&sheet, EMPTY_SHARED_STRINGS));
    let (error, growth) =
        peak_growth_mib(|| open_error(&path, &ReadOptions::default(), &Limits::default()));
    eprintln!("entities in the sheet: peak memory grew by {growth:.1} MiB ({error})");
    assert!(growth < BOUND_MIB, "grew by {growth:.1} MiB");
    assert!(matches!(error, TabularError::Damaged(_)), "{error:?}");
    assert!(error.to_string().contains("unrecognized entity"), "{error}");

    // In the shared strings, which are read when the workbook opens.
    let strings = format!(
        r#"{xml_declaration}{LAUGHS}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"#
    );
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    let path = files.write(
        "laughs-shared.xlsx",
        handmade_xlsx(&sheet_xml(rows), &strings),
    );
    let (error, growth) =
        peak_growth_mib(|| open_error(&path, &ReadOptions::default(), &Limits::default()));
    eprintln!("entities in the shared strings: peak memory grew by {growth:.1} MiB ({error})");
    assert!(growth < BOUND_MIB, "grew by {growth:.1} MiB");
    assert!(matches!(error, TabularError::Damaged(_)), "{error:?}");
    assert!(error.to_string().contains("unrecognized entity"), "{error}");
}

#[test]
fn a_large_sheet_is_streamed_not_loaded() {
    if !in_own_process("memory::a_large_sheet_is_streamed_not_loaded") {
        return;
    }
    let files = Files::new();
    let path = files.path("large.xlsx");
    const ROWS: u64 = 300_000;
    streamed_xlsx(&path, CompressionMethod::Stored, |out| {
        let mut out = BufWriter::new(out);
        out.write_all(
            sheet_xml(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>phone</t></is></c></row>"#)
                .trim_end_matches("</sheetData></worksheet>")
                .as_bytes(),
        )
        .unwrap();
        for row in 2..=ROWS + 1 {
            write!(
                out,
                r#"<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>Contact number {row}</t></is></c><c r="B{row}"><v>{}</v></c></row>"#,
                5_511_900_000_000 + row
            )
            .unwrap();
        }
        out.write_all(b"</sheetData></worksheet>").unwrap();
        out.flush().unwrap();
    });
    let on_disk = fs::metadata(&path).unwrap().len();

    let (count, growth) = peak_growth_mib(|| {
        let table =
            wagent_tabular::open(&path, &ReadOptions::default(), &Limits::default()).unwrap();
        let mut count = 0u64;
        for record in table {
            let record = record.unwrap();
            count += 1;
            if count == ROWS {
                assert_eq!(record.cells[1], (5_511_900_000_000 + ROWS + 1).to_string());
            }
        }
        count
    });
    eprintln!(
        "{ROWS} rows, sheet part of {:.0} MiB: peak memory grew by {growth:.1} MiB",
        on_disk as f64 / MIB as f64
    );
    assert_eq!(count, ROWS);
    assert!(growth < BOUND_MIB, "grew by {growth:.1} MiB");

    // The same sheet loaded whole, as calamine's `worksheet_range` does: the measure sees it.
    let (cells, loaded) = peak_growth_mib(|| {
        let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let range = calamine::Reader::worksheet_range(&mut workbook, "Contacts").unwrap();
        range.get_size()
    });
    eprintln!("the same sheet loaded whole ({cells:?} cells): peak memory grew by {loaded:.1} MiB");
    assert!(loaded > BOUND_MIB, "loading grew by only {loaded:.1} MiB");
}
