//! CSV files: encoding, delimiter, and records read through bounded readers.

use std::{
    collections::VecDeque,
    fs::File,
    io::{self, BufRead, BufReader, Cursor, Read},
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use csv::{ByteRecord, ReaderBuilder, StringRecord};

use crate::{
    Limits, Position, ReadOptions, Record, TabularError,
    text::{self, DECIDING_BYTES, Decoded, Encoding, LineBreaks},
};

/// The delimiters a CSV file is tried with, the first being the fallback.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records of the sample the delimiter is judged on.
const SAMPLE_RECORDS: usize = 50;

/// A CSV file opened for reading, its header already read.
pub(crate) struct CsvTable {
    pub(crate) headers: Vec<String>,
    pub(crate) encoding: Encoding,
    pub(crate) delimiter: u8,
    pub(crate) records: CsvRecords,
    /// Bytes of the file read so far, for progress.
    pub(crate) read: Arc<AtomicU64>,
}

/// The records after the header.
pub(crate) struct CsvRecords {
    reader: csv::Reader<RecordGuard<Box<dyn Read + Send>>>,
    record: StringRecord,
    rows: u64,
    max_rows: u64,
    max_field_bytes: usize,
}

pub(crate) fn open(
    path: &Path,
    options: &ReadOptions,
    limits: &Limits,
) -> Result<CsvTable, TabularError> {
    let header_line = options.header_row.unwrap_or(1);
    if let Some(delimiter) = options.delimiter
        && (matches!(delimiter, b'"' | b'\n' | b'\r') || !delimiter.is_ascii())
    {
        return Err(TabularError::InvalidOption(
            "the delimiter must be one ASCII character other than a quote or a line break",
        ));
    }

    let mut file = File::open(path)?;
    let mut head = Vec::with_capacity(DECIDING_BYTES);
    (&mut file)
        .take(DECIDING_BYTES as u64 + 1)
        .read_to_end(&mut head)?;
    let whole = head.len() <= DECIDING_BYTES;
    head.truncate(DECIDING_BYTES);
    let encoding = Encoding::detect(&head, whole);
    drop(head);

    let read = Arc::new(AtomicU64::new(0));
    let file = Counted {
        inner: File::open(path)?,
        read: read.clone(),
    };
    let decoded = Decoded::new(BufReader::new(file), encoding)?;
    let mut text = BufReader::with_capacity(DECIDING_BYTES, decoded);
    skip_lines(&mut text, header_line - 1, limits.max_record_bytes)?;

    let mut sample = Vec::with_capacity(DECIDING_BYTES);
    (&mut text)
        .take(DECIDING_BYTES as u64 + 1)
        .read_to_end(&mut sample)
        .map_err(text::from_io)?;
    let complete = sample.len() <= DECIDING_BYTES;
    let delimiter = match options.delimiter {
        Some(delimiter) => delimiter,
        None => detect_delimiter(&sample, complete),
    };
    let nothing_after_skip = sample.is_empty();

    let stream: Box<dyn Read + Send> = Box::new(Cursor::new(sample).chain(text));
    let guard = RecordGuard::new(stream, delimiter, limits.max_record_bytes, header_line);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(8 * 1024)
        .from_reader(guard);

    let at = Position::Line(header_line);
    let mut header = StringRecord::new();
    if !reader.read_record(&mut header).map_err(from_csv)? {
        return Err(if nothing_after_skip {
            TabularError::MissingHeader { at }
        } else {
            TabularError::BlankHeader { at }
        });
    }
    // The parser passes over blank lines, so a blank header line shows as a later start.
    let starts_at = reader
        .get_mut()
        .take_line(header.position().map_or(0, csv::Position::byte));
    if starts_at != header_line {
        return Err(TabularError::BlankHeader { at });
    }
    let names: Vec<String> = header.iter().map(|name| name.trim().to_owned()).collect();
    let headers = crate::headers::from_row(names, limits, at)?;

    Ok(CsvTable {
        headers,
        encoding,
        delimiter,
        records: CsvRecords {
            reader,
            record: StringRecord::new(),
            rows: 0,
            max_rows: limits.max_rows,
            max_field_bytes: limits.max_field_bytes,
        },
        read,
    })
}

/// Counts the bytes read from the file.
struct Counted {
    inner: File,
    read: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl CsvRecords {
    pub(crate) fn next(&mut self, headers: &[String]) -> Option<Result<Record, TabularError>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                self.rows += 1;
                if self.rows > self.max_rows {
                    return Some(Err(TabularError::TooManyRows {
                        limit: self.max_rows,
                    }));
                }
                Some(self.build(headers))
            }
            Err(error) => Some(Err(from_csv(error))),
        }
    }

    fn build(&mut self, headers: &[String]) -> Result<Record, TabularError> {
        let byte = self.record.position().map_or(0, csv::Position::byte);
        let line = self.reader.get_mut().take_line(byte);
        let at = Position::Line(line);
        // Blank fields past the header (trailing delimiters) carry nothing, so they are no fault.
        let filled = (0..self.record.len())
            .rev()
            .find(|&index| !self.record[index].trim().is_empty())
            .map_or(0, |last| last + 1);
        if filled > headers.len() {
            return Err(TabularError::WrongColumnCount {
                at,
                found: filled,
                expected: headers.len(),
            });
        }
        let mut cells = Vec::with_capacity(headers.len());
        for (index, column) in headers.iter().enumerate() {
            let cell = self.record.get(index).unwrap_or("").trim();
            if cell.len() > self.max_field_bytes {
                return Err(TabularError::FieldTooLong {
                    at,
                    column: column.clone(),
                    limit: self.max_field_bytes,
                });
            }
            cells.push(cell.to_owned());
        }
        Ok(Record { line, cells })
    }
}

fn from_csv(error: csv::Error) -> TabularError {
    // Only the reader can fail: the parser is flexible and the text is decoded before it.
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(error) => text::from_io(error),
        _ => TabularError::Damaged(message),
    }
}

/// Skips the lines before the header as plain lines, so a title above the table cannot
/// confuse the parser. A skipped line is bounded like a record.
fn skip_lines(text: &mut impl BufRead, count: u64, max_bytes: usize) -> Result<(), TabularError> {
    let mut breaks = LineBreaks::default();
    let mut skipped = 0;
    let mut length = 0usize;
    while skipped < count {
        let buffer = text.fill_buf().map_err(text::from_io)?;
        if buffer.is_empty() {
            return Err(TabularError::MissingHeader {
                at: Position::Line(count + 1),
            });
        }
        let mut used = 0;
        for &byte in buffer {
            used += 1;
            if breaks.is_break(byte) {
                skipped += 1;
                length = 0;
                if skipped == count {
                    break;
                }
            } else {
                length += 1;
            }
        }
        text.consume(used);
        if length > max_bytes {
            return Err(TabularError::LineTooLong {
                line: skipped + 1,
                limit: max_bytes,
                open_quote: false,
            });
        }
    }
    // The LF of a CRLF belongs to the line it ends.
    if breaks.after_cr() && text.fill_buf().map_err(text::from_io)?.first() == Some(&b'\n') {
        text.consume(1);
    }
    Ok(())
}

/// Picks the delimiter that splits the header and the lines after it into the same number of
/// fields most often: more agreeing lines win, then more fields; `,` when nothing splits.
fn detect_delimiter(sample: &[u8], complete: bool) -> u8 {
    let mut best = (CANDIDATES[0], 0usize, 0usize);
    for candidate in CANDIDATES {
        let mut reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(candidate)
            .from_reader(sample);
        let mut widths = Vec::with_capacity(SAMPLE_RECORDS);
        let mut record = ByteRecord::new();
        while widths.len() < SAMPLE_RECORDS {
            match reader.read_byte_record(&mut record) {
                Ok(true) => widths.push(filled_width(&record)),
                Ok(false) | Err(_) => break,
            }
        }
        // The sample may end inside its last record.
        if !complete && widths.len() > 1 {
            widths.pop();
        }
        let Some((&header, rest)) = widths.split_first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let agreeing = rest.iter().filter(|&&width| width == header).count();
        if (agreeing, header) > (best.1, best.2) {
            best = (candidate, agreeing, header);
        }
    }
    best.0
}

/// Fields up to the last non-blank one: trailing delimiters do not make a column.
fn filled_width(record: &ByteRecord) -> usize {
    (0..record.len())
        .rev()
        .find(|&index| !record[index].trim_ascii().is_empty())
        .map_or(0, |last| last + 1)
}

/// Where the guard is within a CSV record, following the parser's own rules: a quote opens a
/// quoted field only at the start of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: it closes the field, or escapes a second quote.
    QuoteInQuoted,
}

/// Refuses a record longer than the limit while reading it, before the CSV parser buffers it:
/// a 50 MB line, or a quote never closed, fails after `limit` bytes, not at the end of the file.
///
/// It also numbers the records' lines: the parser's own positions point before the blank
/// lines it skips, lag by one after a CRLF, and ignore a lone CR.
pub(crate) struct RecordGuard<R> {
    inner: R,
    delimiter: u8,
    limit: usize,
    quoting: Quoting,
    record_bytes: usize,
    /// Bytes passed to the parser so far.
    offset: u64,
    breaks: LineBreaks,
    /// Where the records the parser has read but not returned start: (offset, line).
    /// The parser reads a few KiB ahead, so this stays short.
    starts: VecDeque<(u64, u64)>,
    /// The 1-based line of the next byte.
    line: u64,
    record_line: u64,
    failed: Option<(u64, bool)>,
}

impl<R> RecordGuard<R> {
    pub(crate) fn new(inner: R, delimiter: u8, limit: usize, first_line: u64) -> Self {
        RecordGuard {
            inner,
            delimiter,
            limit,
            quoting: Quoting::FieldStart,
            record_bytes: 0,
            offset: 0,
            breaks: LineBreaks::default(),
            starts: VecDeque::new(),
            line: first_line,
            record_line: first_line,
            failed: None,
        }
    }

    /// The 1-based line where the record the parser placed at `byte` starts. The parser's
    /// position can only be early, by blank lines or the LF of a CRLF; starts before it
    /// belong to records already returned.
    pub(crate) fn take_line(&mut self, byte: u64) -> u64 {
        while self
            .starts
            .front()
            .is_some_and(|&(offset, _)| offset < byte)
        {
            self.starts.pop_front();
        }
        self.starts
            .pop_front()
            .map_or(self.record_line, |(_, line)| line)
    }

    fn error(&self, (line, open_quote): (u64, bool)) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            TabularError::LineTooLong {
                line,
                limit: self.limit,
                open_quote,
            },
        )
    }

    /// Follows one byte; false when it makes the record too long.
    fn follow(&mut self, byte: u8) -> bool {
        let terminator = matches!(byte, b'\n' | b'\r');
        let ends_record = terminator
            && matches!(
                self.quoting,
                Quoting::FieldStart | Quoting::Unquoted | Quoting::QuoteInQuoted
            );
        if ends_record {
            self.quoting = Quoting::FieldStart;
            self.record_bytes = 0;
        } else {
            if self.record_bytes == 0 {
                self.record_line = self.line;
                self.starts.push_back((self.offset, self.line));
            }
            self.record_bytes += 1;
            self.quoting = match (self.quoting, byte) {
                (Quoting::FieldStart, b'"') => Quoting::Quoted,
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                (_, byte) if byte == self.delimiter => Quoting::FieldStart,
                _ => Quoting::Unquoted,
            };
        }
        if self.breaks.is_break(byte) {
            self.line += 1;
        }
        self.offset += 1;
        self.record_bytes <= self.limit
    }
}

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(failure) = self.failed {
            return Err(self.error(failure));
        }
        let read = self.inner.read(buf)?;
        for (index, &byte) in buf[..read].iter().enumerate() {
            if !self.follow(byte) {
                let failure = (self.record_line, self.quoting == Quoting::Quoted);
                self.failed = Some(failure);
                // Hand over the records before this one; the next read reports the failure.
                return if index == 0 {
                    Err(self.error(failure))
                } else {
                    Ok(index)
                };
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_win_over_decimal_commas() {
        let sample = b"nome;valor;telefone\nJo\xC3\xA3o;1,5;11\nMaria;2,5;12\n";
        assert_eq!(detect_delimiter(sample, true), b';');
    }

    #[test]
    fn quoted_delimiters_do_not_count() {
        let sample = b"name,phone\n\"Silva; Jo\xC3\xA3o\",1\n\"Souza; Ana\",2\n";
        assert_eq!(detect_delimiter(sample, true), b',');
    }

    #[test]
    fn tabs_and_pipes_are_found() {
        let tabs = b"name\tphone\tnotes\nAna\t1\tcalled, no answer\nBia\t2\tok\n";
        assert_eq!(detect_delimiter(tabs, true), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c\n1|2|3\n", true), b'|');
    }

    #[test]
    fn one_column_falls_back_to_comma() {
        assert_eq!(detect_delimiter(b"phone\n123\n456\n", true), b',');
    }

    #[test]
    fn trailing_delimiters_do_not_break_agreement() {
        assert_eq!(detect_delimiter(b"a;b;c\n1;2;3;\n4;5;6;\n", true), b';');
    }

    fn guarded(input: &str, limit: usize) -> Result<Vec<u8>, TabularError> {
        let mut guard = RecordGuard::new(input.as_bytes(), b',', limit, 1);
        let mut out = Vec::new();
        guard.read_to_end(&mut out).map_err(text::from_io)?;
        Ok(out)
    }

    #[test]
    fn guard_counts_quoted_newlines_into_the_record() {
        assert!(guarded("a,b\n\"x\ny\",1\n", 8).is_ok());
        let error = guarded("a,b\n\"xxxx\nyyyy\",1\n", 8).unwrap_err();
        assert!(
            matches!(
                error,
                TabularError::LineTooLong {
                    line: 2,
                    open_quote: true,
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn guard_treats_a_quote_inside_a_field_as_text() {
        // A stray quote mid-field must not make the guard think the rest is one record.
        assert!(guarded("a,b\nab\"c,1\nd,2\ne,3\n", 8).is_ok());
    }

    #[test]
    fn guard_names_the_line_where_the_long_record_starts() {
        let error = guarded("a\nb\n\nccccccccccccccc\n", 8).unwrap_err();
        assert!(
            matches!(
                error,
                TabularError::LineTooLong {
                    line: 4,
                    open_quote: false,
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
