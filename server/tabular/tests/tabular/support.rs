//! Making fixture files, reading them whole, and measuring memory.

use std::{
    fs::{self, File},
    io::{BufWriter, Write},
    path::{Path, PathBuf},
};

use tempfile::TempDir;
use wagent_tabular::{Limits, ReadOptions, Record, Table, TabularError};
use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

/// Set in a child process to the one test it runs.
const CHILD: &str = "WAGENT_TABULAR_MEASURED_TEST";

/// Whether to run a memory-measuring test's body here. Peak memory is per process and a
/// freed heap is reused without showing, so the body runs in a fresh process of this test
/// binary that runs nothing else; the parent only checks that it passed.
pub fn in_own_process(test: &str) -> bool {
    if std::env::var(CHILD).is_ok_and(|running| running == test) {
        return true;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    eprintln!("{report}");
    assert!(output.status.success(), "{test} failed in its own process");
    // A filter that matched nothing would pass without running the body.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1 passed"), "{test} did not run: {stdout}");
    false
}

/// A folder of fixture files, removed when dropped.
pub struct Files(TempDir);

impl Files {
    pub fn new() -> Self {
        Files(tempfile::tempdir().unwrap())
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, bytes).unwrap();
        path
    }
}

pub fn open(path: &Path) -> Table {
    wagent_tabular::open(path, &ReadOptions::default(), &Limits::default()).unwrap()
}

pub fn open_error(path: &Path, options: &ReadOptions, limits: &Limits) -> TabularError {
    wagent_tabular::open(path, options, limits).unwrap_err()
}

/// Every item the table yields, errors included, until it ends.
pub fn items(table: Table) -> Vec<Result<Record, TabularError>> {
    table.collect()
}

/// The records of a table that must have no error.
pub fn records(table: Table) -> Vec<Record> {
    table.map(Result::unwrap).collect()
}

pub fn cells(record: &Record) -> Vec<&str> {
    record.cells.iter().map(String::as_str).collect()
}

/// A ZIP of the given parts, deflated.
pub fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in parts {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

pub const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;

pub const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

pub const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

pub const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

pub const EMPTY_SHARED_STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#;

/// A one-sheet workbook written part by part, for files no spreadsheet program would write.
pub fn handmade_xlsx(sheet: &str, shared_strings: &str) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/sharedStrings.xml", shared_strings.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// Sheet XML around the given `<row>` elements.
pub fn sheet_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

/// A one-sheet workbook whose sheet part is written by `write_sheet` straight into the file,
/// so a huge part never sits in the test's memory.
pub fn streamed_xlsx(
    path: &Path,
    method: CompressionMethod,
    write_sheet: impl FnOnce(&mut dyn Write),
) {
    let mut writer = ZipWriter::new(BufWriter::new(File::create(path).unwrap()));
    let small = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/sharedStrings.xml", EMPTY_SHARED_STRINGS),
    ] {
        writer.start_file(name, small).unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    writer
        .start_file("xl/worksheets/sheet1.xml", options)
        .unwrap();
    write_sheet(&mut writer);
    writer.finish().unwrap().flush().unwrap();
}

/// Runs `work` and returns how far the process's peak resident memory rose above what it
/// used before, in MiB. Meaningful in a process of its own: see [`in_own_process`].
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
