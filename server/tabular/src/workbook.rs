//! XLSX workbooks: the container checked before anything is decompressed, then one sheet
//! streamed a row at a time.
//!
//! The sheet is streamed, but calamine holds the shared-strings table (the workbook's distinct
//! texts) in memory while it reads: some 55 MiB for a million distinct names. The bound on the
//! XML parts' size bounds it too.

use std::{
    fs::File,
    io::BufReader,
    path::{Path, PathBuf},
    sync::mpsc::{self, Receiver, SyncSender},
    thread::{self, JoinHandle},
};

use calamine::{DataRef, ExcelDateTime, Reader, Xlsx, XlsxError};

use crate::{Limits, Position, ReadOptions, Record, TabularError};

/// Parts smaller than this are not judged by their compression ratio: a small XML part of
/// repeated markup can compress very well and still expand to nothing worth fearing.
const RATIO_FLOOR: u64 = 1 << 20;

/// Records parsed ahead of the caller: enough to keep both sides busy, few enough to be small.
const AHEAD: usize = 64;

/// Checks every part's declared size before anything is decompressed: the sum of the XML
/// parts against `max_xlsx_uncompressed`, each part's ratio against `max_xlsx_ratio`.
///
/// The declared sizes can be trusted because the zip reader refuses to inflate a part past
/// its declared size.
pub(crate) fn check_container(path: &Path, limits: &Limits) -> Result<(), TabularError> {
    let file = BufReader::new(File::open(path)?);
    let mut archive = zip::ZipArchive::new(file).map_err(damaged)?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(damaged)?;
        let size = entry.size();
        let name = entry.name().map_err(damaged)?;
        let lowercase = name.to_ascii_lowercase();
        if lowercase.ends_with(".xml") || lowercase.ends_with(".rels") {
            total = total.saturating_add(size);
            if total > limits.max_xlsx_uncompressed {
                return Err(TabularError::ExpandsTooMuch {
                    limit: limits.max_xlsx_uncompressed,
                });
            }
        }
        if size > RATIO_FLOOR && size / entry.compressed_size().max(1) > limits.max_xlsx_ratio {
            return Err(TabularError::CompressedTooMuch {
                entry: name.into_owned(),
                ratio: limits.max_xlsx_ratio,
            });
        }
    }
    Ok(())
}

/// The workbook's sheet names, in order.
pub(crate) fn sheet_names(path: &Path, limits: &Limits) -> Result<Vec<String>, TabularError> {
    check_container(path, limits)?;
    let workbook: Xlsx<_> = calamine::open_workbook(path).map_err(from_calamine)?;
    Ok(workbook.sheet_names())
}

/// A sheet being read on its own thread.
///
/// calamine's cell reader borrows the workbook it reads, so the two cannot live side by side
/// in one struct without unsafe code; a thread owns both and sends the records over a
/// bounded channel. A panic inside the parser ends that thread, not the caller.
pub(crate) struct SheetRecords {
    receiver: Receiver<Message>,
    worker: Option<JoinHandle<()>>,
}

enum Message {
    /// The column names and the last row the sheet declares, if it does.
    Header(Vec<String>, Option<u64>),
    Item(Result<Record, TabularError>),
}

/// Opens the sheet and waits for its header; records follow through [`SheetRecords::next`].
pub(crate) fn open(
    path: &Path,
    options: &ReadOptions,
    limits: &Limits,
) -> Result<(Vec<String>, Option<u64>, SheetRecords), TabularError> {
    check_container(path, limits)?;
    let (sender, receiver) = mpsc::sync_channel(AHEAD);
    let job = SheetJob {
        path: path.to_owned(),
        sheet: options.sheet.unwrap_or(0),
        header_row: options.header_row.unwrap_or(1),
        limits: limits.clone(),
    };
    let worker = thread::Builder::new()
        .name("xlsx-sheet".to_owned())
        .spawn(move || job.run(&sender))?;
    let mut records = SheetRecords {
        receiver,
        worker: Some(worker),
    };
    match records.receiver.recv() {
        Ok(Message::Header(headers, last_row)) => Ok((headers, last_row, records)),
        Ok(Message::Item(Err(error))) => Err(error),
        Ok(Message::Item(Ok(_))) => Err(TabularError::Damaged(
            "records came before the header".to_owned(),
        )),
        Err(_) => Err(records
            .ended()
            .unwrap_or_else(|| TabularError::Damaged("the sheet could not be opened".to_owned()))),
    }
}

impl SheetRecords {
    pub(crate) fn next(&mut self) -> Option<Result<Record, TabularError>> {
        match self.receiver.recv() {
            Ok(Message::Item(item)) => Some(item),
            Ok(Message::Header(..)) => Some(Err(TabularError::Damaged(
                "the header came twice".to_owned(),
            ))),
            Err(_) => self.ended().map(Err),
        }
    }

    /// The worker has hung up: at the end of the sheet, or by panicking.
    fn ended(&mut self) -> Option<TabularError> {
        let outcome = self.worker.take()?.join();
        outcome
            .err()
            .map(|_| TabularError::Damaged("the sheet could not be read to the end".to_owned()))
    }
}

/// What the worker thread reads.
struct SheetJob {
    path: PathBuf,
    sheet: usize,
    header_row: u64,
    limits: Limits,
}

/// One cell's place and text, owned so the lookahead outlives the parser's buffer.
struct Cell {
    row: u64,
    column: usize,
    text: String,
}

impl SheetJob {
    fn run(self, sender: &SyncSender<Message>) {
        if let Err(error) = self.read(sender) {
            // The caller may have stopped listening; then there is no one left to tell.
            let _ = sender.send(Message::Item(Err(error)));
        }
    }

    /// Reads the sheet, sending the header then each record; a returned error is fatal.
    fn read(&self, sender: &SyncSender<Message>) -> Result<(), TabularError> {
        let mut workbook: Xlsx<_> = calamine::open_workbook(&self.path).map_err(from_calamine)?;
        let names = workbook.sheet_names();
        let name = names
            .get(self.sheet)
            .cloned()
            .ok_or(TabularError::NoSuchSheet {
                index: self.sheet,
                count: names.len(),
            })?;
        let mut reader = workbook
            .worksheet_cells_reader(&name)
            .map_err(|error| match error {
                XlsxError::NotAWorksheet(_) | XlsxError::WorksheetNotFound(_) => {
                    TabularError::NotATable { name: name.clone() }
                }
                other => from_calamine(other),
            })?;
        let declared = reader.dimensions();
        let last_row = (declared.end.0 > 0).then(|| u64::from(declared.end.0) + 1);
        // Only cells with something in them matter: styled blank cells are invisible.
        let mut next_cell = || -> Result<Option<Cell>, TabularError> {
            while let Some(cell) = reader.next_cell().map_err(from_calamine)? {
                let text = render(cell.get_value());
                if !text.is_empty() {
                    let (row, column) = cell.get_position();
                    return Ok(Some(Cell {
                        row: u64::from(row) + 1,
                        column: column as usize,
                        text,
                    }));
                }
            }
            Ok(None)
        };

        let limits = &self.limits;
        let at = Position::Row(self.header_row);
        let mut cell = next_cell()?;
        while cell.as_ref().is_some_and(|c| c.row < self.header_row) {
            cell = next_cell()?;
        }
        match &cell {
            None if self.header_row == 1 => return Err(TabularError::EmptySheet { name }),
            None => return Err(TabularError::MissingHeader { at }),
            Some(first) if first.row > self.header_row => {
                return Err(TabularError::BlankHeader { at });
            }
            Some(_) => {}
        }
        let mut names = Vec::new();
        let mut width = 0;
        while let Some(header) = cell.take_if(|c| c.row == self.header_row) {
            width = width.max(header.column + 1);
            if header.column < limits.max_columns {
                if names.len() <= header.column {
                    names.resize(header.column + 1, String::new());
                }
                names[header.column] = header.text;
            }
            cell = next_cell()?;
        }
        if width > limits.max_columns {
            return Err(TabularError::TooManyColumns {
                found: width,
                limit: limits.max_columns,
            });
        }
        let headers = crate::headers::from_row(names, limits, at)?;
        if sender
            .send(Message::Header(headers.clone(), last_row))
            .is_err()
        {
            return Ok(());
        }

        // Rows without a value are not records: a sheet formatted down to its last row must
        // not count as a million rows.
        let mut rows: u64 = 0;
        while let Some(first) = cell.take() {
            let row = first.row;
            rows += 1;
            if rows > limits.max_rows {
                return Err(TabularError::TooManyRows {
                    limit: limits.max_rows,
                });
            }
            let mut cells = vec![String::new(); headers.len()];
            let mut filled = 0;
            let mut too_long = None;
            let mut current = Some(first);
            while let Some(value) = current {
                filled = usize::max(filled, value.column + 1);
                if value.column < cells.len() {
                    if value.text.len() > limits.max_field_bytes {
                        too_long.get_or_insert(value.column);
                    } else {
                        cells[value.column] = value.text;
                    }
                }
                cell = next_cell()?;
                current = cell.take_if(|c| c.row == row);
            }
            let at = Position::Row(row);
            let item = if filled > headers.len() {
                Err(TabularError::WrongColumnCount {
                    at,
                    found: filled,
                    expected: headers.len(),
                })
            } else if let Some(column) = too_long {
                Err(TabularError::FieldTooLong {
                    at,
                    column: headers[column].clone(),
                    limit: limits.max_field_bytes,
                })
            } else {
                Ok(Record { line: row, cells })
            };
            if sender.send(Message::Item(item)).is_err() {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// A cell as a person sees it in the spreadsheet, trimmed.
fn render(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(number) => number.to_string(),
        DataRef::Float(number) => number_text(*number),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.trim().to_owned()
        }
        DataRef::SharedString(text) => text.trim().to_owned(),
        DataRef::Bool(true) => "TRUE".to_owned(),
        DataRef::Bool(false) => "FALSE".to_owned(),
        DataRef::DateTime(moment) => date_text(moment),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// Whole numbers without ".0" (a phone number stored as a number stays one), others with up to
/// 15 significant digits, as Excel shows them: 0.1 + 0.2 reads "0.3".
fn number_text(number: f64) -> String {
    if !number.is_finite() {
        return String::new();
    }
    if number.fract() == 0.0 && number.abs() < 1e15 {
        return format!("{}", number as i64);
    }
    let magnitude = number.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).clamp(0, 30) as usize;
    let text = format!("{number:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// ISO dates: `YYYY-MM-DD`, with `THH:MM:SS` when there is a time; a bare time or a duration
/// reads as a clock does.
fn date_text(moment: &ExcelDateTime) -> String {
    if moment.is_duration() {
        let seconds = (moment.as_f64() * 86_400.0).round() as i64;
        let sign = if seconds < 0 { "-" } else { "" };
        let seconds = seconds.abs();
        return format!(
            "{sign}{}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
    }
    let (year, month, day, hour, minute, second, _) = moment.to_ymd_hms_milli();
    if (0.0..1.0).contains(&moment.as_f64()) {
        format!("{hour:02}:{minute:02}:{second:02}")
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
    }
}

fn damaged(error: zip::result::ZipError) -> TabularError {
    TabularError::Damaged(error.to_string())
}

fn from_calamine(error: XlsxError) -> TabularError {
    match error {
        XlsxError::Io(error) => TabularError::Io(error),
        other => TabularError::Damaged(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use calamine::ExcelDateTimeType;

    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(5_511_987_654_321.0), "5511987654321");
        assert_eq!(number_text(42.0), "42");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1234.5678), "1234.5678");
        assert_eq!(number_text(0.000125), "0.000125");
    }

    #[test]
    fn dates_read_as_iso() {
        let date = |value| ExcelDateTime::new(value, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&date(45_943.0)), "2025-10-13");
        assert_eq!(date_text(&date(45_943.5)), "2025-10-13T12:00:00");
        assert_eq!(date_text(&date(0.75)), "18:00:00");
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(date_text(&duration), "36:00:00");
    }
}
