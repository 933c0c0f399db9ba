//! Reading uploaded CSV and XLSX tables: bounded, streamed, with clear errors.
//!
//! The file is already on disk. [`open`] reads its header and returns a [`Table`] that yields
//! one [`Record`] at a time, so a million-row file never sits in memory. Every limit in
//! [`Limits`] is enforced while reading, and every [`TabularError`] reads as a sentence the
//! person who uploaded the file can act on. The crate knows tables, not what is in them.
//!
//! Everything here blocks; an async caller runs it on a blocking thread.

mod delimited;
mod error;
mod headers;
mod sniff;
mod text;
mod workbook;

use std::{
    fmt, fs,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

pub use crate::error::{Position, TabularError};

/// The kinds of file a table can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Delimited text: commas, semicolons, tabs or pipes; UTF-8 or Windows-1252.
    Csv,
    /// An Excel 2007+ workbook.
    Xlsx,
}

/// Bounds applied while reading, not after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// The most data rows, the header not counted.
    pub max_rows: u64,
    /// The widest header accepted.
    pub max_columns: usize,
    /// The longest value of one cell, in bytes of UTF-8.
    pub max_field_bytes: usize,
    /// The longest CSV record, in bytes; a longer one is refused before it is buffered.
    pub max_record_bytes: usize,
    /// The most bytes the XML parts of an XLSX file may expand to, summed.
    pub max_xlsx_uncompressed: u64,
    /// The most a part of an XLSX file may be compressed (uncompressed / compressed size);
    /// beyond it the part is taken for a zip bomb.
    pub max_xlsx_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 200 << 20,
            max_rows: 1_000_000,
            max_columns: 200,
            max_field_bytes: 4 << 10,
            max_record_bytes: 64 << 10,
            max_xlsx_uncompressed: 1 << 30,
            max_xlsx_ratio: 200,
        }
    }
}

/// Where the table is in the file and how to read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// XLSX: the 0-based index of the sheet to read; the first when `None`.
    pub sheet: Option<usize>,
    /// The 1-based row (CSV: line) holding the column names; 1 when `None`. Rows before it
    /// are skipped; in a CSV file they are skipped as plain lines, quotes and all.
    pub header_row: Option<u64>,
    /// CSV: the delimiter to use instead of the detected one.
    pub delimiter: Option<u8>,
}

/// What the file is, found from its bytes (never from its name).
///
/// A ZIP holding `xl/workbook.xml` is XLSX; text is CSV. Legacy `.xls` files, other ZIP
/// archives (Word documents, OpenDocument files), UTF-16 text and binary files are refused
/// with an error saying what the file seems to be.
pub fn sniff(path: &Path) -> Result<Format, TabularError> {
    sniff::sniff(path)
}

/// An XLSX file's sheet names, in order: [`ReadOptions::sheet`] indexes this list.
///
/// The container is checked against `limits` first. A CSV file has no sheets and gets
/// [`TabularError::NoSheets`].
pub fn sheets(path: &Path, limits: &Limits) -> Result<Vec<String>, TabularError> {
    check_size(path, limits)?;
    match sniff(path)? {
        Format::Xlsx => workbook::sheet_names(path, limits),
        Format::Csv => Err(TabularError::NoSheets),
    }
}

/// Opens the table: headers read, ready to stream records.
///
/// Fails with a fatal [`TabularError`] when the file cannot be read as a table at all.
pub fn open(path: &Path, options: &ReadOptions, limits: &Limits) -> Result<Table, TabularError> {
    if options.header_row == Some(0) {
        return Err(TabularError::InvalidOption(
            "the header row is counted from 1",
        ));
    }
    check_size(path, limits)?;
    match sniff(path)? {
        Format::Csv => {
            let table = delimited::open(path, options, limits)?;
            let size = fs::metadata(path)?.len();
            Ok(Table {
                progress: Progress::Bytes {
                    read: table.read,
                    size,
                },
                format: Format::Csv,
                headers: table.headers,
                encoding: table.encoding.name(),
                delimiter: Some(table.delimiter),
                records: Records::Csv(Box::new(table.records)),
                finished: false,
            })
        }
        Format::Xlsx => {
            let (headers, last_row, records) = workbook::open(path, options, limits)?;
            Ok(Table {
                progress: Progress::Rows {
                    last: 0,
                    declared: last_row,
                },
                format: Format::Xlsx,
                headers,
                encoding: "UTF-8",
                delimiter: None,
                records: Records::Xlsx(records),
                finished: false,
            })
        }
    }
}

fn check_size(path: &Path, limits: &Limits) -> Result<(), TabularError> {
    if fs::metadata(path)?.len() > limits.max_file_bytes {
        return Err(TabularError::FileTooLarge {
            limit: limits.max_file_bytes,
        });
    }
    Ok(())
}

/// An open table: its header is read, its records come one at a time from the iterator.
///
/// After a non-fatal error (one bad record) the iterator goes on with the next record; after
/// a fatal one it ends.
pub struct Table {
    format: Format,
    headers: Vec<String>,
    encoding: &'static str,
    delimiter: Option<u8>,
    records: Records,
    finished: bool,
    progress: Progress,
}

enum Progress {
    /// CSV: bytes read of the file's size.
    Bytes { read: Arc<AtomicU64>, size: u64 },
    /// XLSX: the last row read of the last row the sheet declares (when it does).
    Rows { last: u64, declared: Option<u64> },
}

enum Records {
    // Boxed: the CSV parser's state is large and the sheet's is a channel.
    Csv(Box<delimited::CsvRecords>),
    Xlsx(workbook::SheetRecords),
}

impl Table {
    /// What the file is.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The column names: trimmed; a blank one becomes "Column N" (1-based); a repeated one
    /// gets " (2)", " (3)"... Every [`Record`] has one cell per name.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The text encoding the file was read in: "UTF-8" or "windows-1252" ("UTF-8" for XLSX).
    pub fn encoding(&self) -> &'static str {
        self.encoding
    }

    /// The delimiter of a CSV file, detected or forced; `None` for XLSX.
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// How much of the table has been read, from 0 to 1: by bytes of a CSV file, by rows of
    /// an XLSX sheet that declares its size (else 0 until the end). 1 once finished.
    pub fn progress(&self) -> f64 {
        if self.finished {
            return 1.0;
        }
        let share = match &self.progress {
            Progress::Bytes { read, size } => {
                read.load(Ordering::Relaxed) as f64 / (*size).max(1) as f64
            }
            Progress::Rows { last, declared } => {
                declared.map_or(0.0, |d| *last as f64 / d.max(1) as f64)
            }
        };
        share.clamp(0.0, 0.99)
    }
}

impl Iterator for Table {
    type Item = Result<Record, TabularError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let item = match &mut self.records {
            Records::Csv(records) => records.next(&self.headers),
            Records::Xlsx(records) => records.next(),
        };
        if let (Some(Ok(record)), Progress::Rows { last, .. }) = (&item, &mut self.progress) {
            *last = record.line;
        }
        match &item {
            None => self.finished = true,
            Some(Err(error)) if error.is_fatal() => self.finished = true,
            Some(_) => {}
        }
        item
    }
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("format", &self.format)
            .field("headers", &self.headers)
            .field("encoding", &self.encoding)
            .field("delimiter", &self.delimiter.map(char::from))
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// CSV: the 1-based line where the record starts in the file; XLSX: the 1-based row
    /// number in the sheet.
    pub line: u64,
    /// One value per header, trimmed; a missing value is "".
    pub cells: Vec<String>,
}

impl Record {
    /// Whether every cell is blank: a row the importer can pass over.
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(String::is_empty)
    }
}
