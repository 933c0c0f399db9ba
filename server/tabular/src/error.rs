//! What can go wrong while reading a table, worded for the person who uploaded it.

use std::fmt;

/// Where in the file something happened, in the words the user sees it: a CSV file has
/// lines (as a text editor numbers them), a sheet has rows (as the spreadsheet numbers them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A 1-based line of a CSV file.
    Line(u64),
    /// A 1-based row of a sheet.
    Row(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(line) => write!(f, "line {}", Count(*line)),
            Position::Row(row) => write!(f, "row {}", Count(*row)),
        }
    }
}

/// Everything that can make a table unreadable, or one of its records unusable.
///
/// Each message is a sentence for the person who uploaded the file. [`TabularError::is_fatal`]
/// tells an error about one record (reject that row, go on) from one about the whole file.
#[derive(thiserror::Error, Debug)]
pub enum TabularError {
    /// The file could not be read from disk: a fault of the server, not of the file.
    #[error("the uploaded file could not be read ({0})")]
    Io(#[from] std::io::Error),

    /// The file has no bytes at all.
    #[error("the file is empty")]
    Empty,

    /// The file is larger than [`crate::Limits::max_file_bytes`].
    #[error("the file is larger than {}", Bytes(*.limit))]
    FileTooLarge {
        /// The limit in bytes.
        limit: u64,
    },

    /// The bytes are neither text nor a spreadsheet: an image, a program, a PDF...
    #[error("this is not a CSV or XLSX file (it looks like {kind})")]
    Binary {
        /// What the file looks like, e.g. "a PDF document".
        kind: &'static str,
    },

    /// Text in UTF-16, as Excel's "Unicode Text" export writes it.
    #[error("the file is UTF-16 text, which is not supported; save it as \"CSV UTF-8\" or as XLSX")]
    Utf16,

    /// An OLE compound file: a legacy .xls workbook, or a password-protected one.
    #[error(
        "this is an old Excel (.xls) file or a password-protected workbook, which is not \
         supported; save it as CSV or XLSX without a password"
    )]
    LegacyExcel,

    /// A ZIP archive that is not an XLSX workbook (a Word document, an OpenDocument file...).
    #[error("this is {kind}, which is not supported; save the table as CSV or XLSX")]
    UnsupportedZip {
        /// What the archive is, e.g. "a Word document".
        kind: &'static str,
    },

    /// A CSV file judged UTF-8 from its start holds bytes further on that are not UTF-8.
    #[error(
        "the file is not valid UTF-8 or Latin-1 text at line {}; save it again as \"CSV UTF-8\"",
        Count(*.line)
    )]
    InvalidText {
        /// The 1-based line holding the bad bytes.
        line: u64,
    },

    /// A CSV record longer than [`crate::Limits::max_record_bytes`]: usually a quote that is
    /// never closed, which swallows the rest of the file.
    #[error("{}", line_too_long(*.line, *.limit, *.open_quote))]
    LineTooLong {
        /// The 1-based line where the record starts.
        line: u64,
        /// The limit in bytes.
        limit: usize,
        /// Whether the record was inside a quoted field when the limit was passed.
        open_quote: bool,
    },

    /// More data rows than [`crate::Limits::max_rows`].
    #[error("the file has more than {} rows", Count(*.limit))]
    TooManyRows {
        /// The limit.
        limit: u64,
    },

    /// A header wider than [`crate::Limits::max_columns`].
    #[error(
        "the header has {} columns, but at most {} are allowed",
        Count(*.found as u64),
        Count(*.limit as u64)
    )]
    TooManyColumns {
        /// How many columns the header has.
        found: usize,
        /// The limit.
        limit: usize,
    },

    /// The row chosen as the header holds nothing.
    #[error("{} of the {} is empty, so it cannot be the header row", .at, place(.at))]
    BlankHeader {
        /// The header row.
        at: Position,
    },

    /// The file ends before the row chosen as the header.
    #[error("the {} ends before {}, so there is no header row there", place(.at), .at)]
    MissingHeader {
        /// The header row that was asked for.
        at: Position,
    },

    /// A column name longer than [`crate::Limits::max_field_bytes`].
    #[error(
        "column {} of the header is longer than {}",
        Count(*.column as u64),
        Bytes(*.limit as u64)
    )]
    HeaderTooLong {
        /// The 1-based column.
        column: usize,
        /// The limit in bytes.
        limit: usize,
    },

    /// The sheet asked for does not exist.
    #[error("there is no sheet {}; the file has {}", Count(*.index as u64 + 1), sheets(*.count))]
    NoSuchSheet {
        /// The 0-based index asked for.
        index: usize,
        /// How many sheets the file has.
        count: usize,
    },

    /// The sheet asked for holds a chart or a dialog, not cells.
    #[error("the sheet \"{name}\" holds no table (it may be a chart); choose another sheet")]
    NotATable {
        /// The sheet's name.
        name: String,
    },

    /// The sheet asked for has no values at all.
    #[error("the sheet \"{name}\" is empty")]
    EmptySheet {
        /// The sheet's name.
        name: String,
    },

    /// Sheets were asked of a CSV file.
    #[error("a CSV file has no sheets")]
    NoSheets,

    /// The spreadsheet's ZIP container or XML is broken.
    #[error("the spreadsheet is damaged: {0}")]
    Damaged(String),

    /// The XML parts would expand beyond [`crate::Limits::max_xlsx_uncompressed`].
    #[error("the spreadsheet expands to more than {} (a zip bomb?)", Bytes(*.limit))]
    ExpandsTooMuch {
        /// The limit in bytes.
        limit: u64,
    },

    /// One part is compressed beyond [`crate::Limits::max_xlsx_ratio`], as no real
    /// spreadsheet is.
    #[error("the spreadsheet part \"{entry}\" is compressed more than {ratio} times (a zip bomb?)")]
    CompressedTooMuch {
        /// The part's name inside the ZIP.
        entry: String,
        /// The ratio limit.
        ratio: u64,
    },

    /// [`crate::ReadOptions`] asks for something impossible.
    #[error("{0}")]
    InvalidOption(&'static str),

    /// One record has values beyond the last column of the header.
    #[error(
        "{at} has {} columns but the header has {}",
        Count(*.found as u64),
        Count(*.expected as u64)
    )]
    WrongColumnCount {
        /// The record.
        at: Position,
        /// How many columns it fills (up to its last non-blank value).
        found: usize,
        /// How many the header has.
        expected: usize,
    },

    /// One value is longer than [`crate::Limits::max_field_bytes`].
    #[error(
        "{at}: the value in column \"{column}\" is longer than {}",
        Bytes(*.limit as u64)
    )]
    FieldTooLong {
        /// The record.
        at: Position,
        /// The header of the column.
        column: String,
        /// The limit in bytes.
        limit: usize,
    },
}

impl TabularError {
    /// Whether the whole file is unusable. A non-fatal error concerns one record: the
    /// importer rejects that row and reads on.
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self,
            TabularError::WrongColumnCount { .. } | TabularError::FieldTooLong { .. }
        )
    }

    /// The line (CSV) or row (XLSX) of the record a non-fatal error is about.
    pub fn line(&self) -> Option<u64> {
        match self {
            TabularError::WrongColumnCount { at, .. } | TabularError::FieldTooLong { at, .. } => {
                Some(match at {
                    Position::Line(n) | Position::Row(n) => *n,
                })
            }
            _ => None,
        }
    }
}

fn line_too_long(line: u64, limit: usize, open_quote: bool) -> String {
    let line = Count(line);
    let limit = Bytes(limit as u64);
    if open_quote {
        format!(
            "line {line} is longer than {limit}; it probably opens a quote (\") that is never \
             closed"
        )
    } else {
        format!("line {line} is longer than {limit}")
    }
}

fn place(at: &Position) -> &'static str {
    match at {
        Position::Line(_) => "file",
        Position::Row(_) => "sheet",
    }
}

fn sheets(count: usize) -> String {
    match count {
        1 => "1 sheet".to_owned(),
        n => format!("{} sheets", Count(n as u64)),
    }
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

/// A size in bytes: whole MiB and GiB read as such, anything else in bytes.
pub(crate) struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MIB: u64 = 1 << 20;
        const GIB: u64 = 1 << 30;
        match self.0 {
            n if n >= GIB && n.is_multiple_of(GIB) => write!(f, "{} GiB", Count(n / GIB)),
            n if n >= MIB && n.is_multiple_of(MIB) => write!(f, "{} MiB", Count(n / MIB)),
            n => write!(f, "{} bytes", Count(n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(Count(0).to_string(), "0");
        assert_eq!(Count(999).to_string(), "999");
        assert_eq!(Count(8_123).to_string(), "8,123");
        assert_eq!(Count(1_000_000).to_string(), "1,000,000");
        assert_eq!(Bytes(65_536).to_string(), "65,536 bytes");
        assert_eq!(Bytes(200 << 20).to_string(), "200 MiB");
        assert_eq!(Bytes(1 << 30).to_string(), "1 GiB");
    }

    #[test]
    fn messages_name_the_place() {
        let wrong = TabularError::WrongColumnCount {
            at: Position::Line(12),
            found: 9,
            expected: 7,
        };
        assert_eq!(
            wrong.to_string(),
            "line 12 has 9 columns but the header has 7"
        );
        assert!(!wrong.is_fatal());
        let blank = TabularError::BlankHeader {
            at: Position::Row(5),
        };
        assert_eq!(
            blank.to_string(),
            "row 5 of the sheet is empty, so it cannot be the header row"
        );
        assert!(blank.is_fatal());
        let sheet = TabularError::NoSuchSheet { index: 2, count: 2 };
        assert_eq!(
            sheet.to_string(),
            "there is no sheet 3; the file has 2 sheets"
        );
        let long = TabularError::LineTooLong {
            line: 8_123,
            limit: 65_536,
            open_quote: false,
        };
        assert_eq!(long.to_string(), "line 8,123 is longer than 65,536 bytes");
    }
}
