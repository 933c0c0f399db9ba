//! XLSX workbooks as a spreadsheet program writes them.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook, Worksheet};
use wagent_tabular::{Format, Limits, ReadOptions};

use crate::support::{Files, cells, items, open, open_error, records};

fn save(files: &Files, name: &str, build: impl FnOnce(&mut Workbook)) -> PathBuf {
    let mut workbook = Workbook::new();
    build(&mut workbook);
    let path = files.path(name);
    workbook.save(&path).unwrap();
    path
}

fn sheet<'a>(workbook: &'a mut Workbook, name: &str) -> &'a mut Worksheet {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name).unwrap();
    sheet
}

fn with_options(path: &Path, options: ReadOptions) -> wagent_tabular::Table {
    wagent_tabular::open(path, &options, &Limits::default()).unwrap()
}

/// Two sheets; the second has a title, a blank row, then its table from row 3.
fn two_sheets(files: &Files) -> PathBuf {
    save(files, "two.xlsx", |workbook| {
        let first = sheet(workbook, "Summary");
        first.write_string(0, 0, "nothing to import").unwrap();
        let second = sheet(workbook, "Leads May");
        second.write_string(0, 0, "Leads exported in May").unwrap();
        second.write_string(2, 0, "Name").unwrap();
        second.write_string(2, 1, "Phone").unwrap();
        second.write_string(3, 0, "Ana").unwrap();
        second.write_number(3, 1, 5_511_999_990_000.0).unwrap();
        second.write_string(5, 0, "Bia").unwrap();
        second.write_number(5, 1, 5_511_999_990_001.0).unwrap();
    })
}

#[test]
fn the_chosen_sheet_is_read_from_the_chosen_header_row() {
    let files = Files::new();
    let path = two_sheets(&files);
    assert_eq!(
        wagent_tabular::sheets(&path, &Limits::default()).unwrap(),
        ["Summary", "Leads May"]
    );
    let table = with_options(
        &path,
        ReadOptions {
            sheet: Some(1),
            header_row: Some(3),
            ..ReadOptions::default()
        },
    );
    assert_eq!(table.format(), Format::Xlsx);
    assert_eq!(table.encoding(), "UTF-8");
    assert_eq!(table.delimiter(), None);
    assert_eq!(table.headers(), ["Name", "Phone"]);
    let rows = records(table);
    // Row numbers are the sheet's, so the user finds a rejected row where the error says.
    assert_eq!(rows.iter().map(|row| row.line).collect::<Vec<_>>(), [4, 6]);
    assert_eq!(cells(&rows[0]), ["Ana", "5511999990000"]);
    assert_eq!(cells(&rows[1]), ["Bia", "5511999990001"]);
}

#[test]
fn the_first_sheet_is_the_default() {
    let files = Files::new();
    let table = open(&two_sheets(&files));
    assert_eq!(table.headers(), ["nothing to import"]);
    assert!(records(table).is_empty());
}

#[test]
fn a_missing_sheet_or_blank_header_row_is_fatal() {
    let files = Files::new();
    let path = two_sheets(&files);
    let limits = Limits::default();
    let missing = open_error(
        &path,
        &ReadOptions {
            sheet: Some(2),
            ..ReadOptions::default()
        },
        &limits,
    );
    assert_eq!(
        missing.to_string(),
        "there is no sheet 3; the file has 2 sheets"
    );
    let blank = open_error(
        &path,
        &ReadOptions {
            sheet: Some(1),
            header_row: Some(2),
            ..ReadOptions::default()
        },
        &limits,
    );
    assert_eq!(
        blank.to_string(),
        "row 2 of the sheet is empty, so it cannot be the header row"
    );
    let beyond = open_error(
        &path,
        &ReadOptions {
            sheet: Some(1),
            header_row: Some(50),
            ..ReadOptions::default()
        },
        &limits,
    );
    assert_eq!(
        beyond.to_string(),
        "the sheet ends before row 50, so there is no header row there"
    );
}

#[test]
fn numbers_dates_and_booleans_read_as_the_user_sees_them() {
    let files = Files::new();
    let path = save(&files, "values.xlsx", |workbook| {
        let date = CellFormat::new().set_num_format("yyyy-mm-dd");
        let moment = CellFormat::new().set_num_format("dd/mm/yyyy hh:mm");
        let clock = CellFormat::new().set_num_format("hh:mm");
        let money = CellFormat::new().set_num_format("#,##0.00");
        let values = sheet(workbook, "Values");
        let headers = [
            "phone", "score", "ratio", "money", "born", "seen", "call at", "opted in", "vip",
            "name",
        ];
        for (column, header) in headers.iter().enumerate() {
            values.write_string(0, column as u16, *header).unwrap();
        }
        values.write_number(1, 0, 5_511_987_654_321.0).unwrap();
        values.write_number(1, 1, 42.0).unwrap();
        values.write_number(1, 2, 0.1 + 0.2).unwrap();
        values
            .write_number_with_format(1, 3, 1_234.5, &money)
            .unwrap();
        let born = ExcelDateTime::from_ymd(1990, 7, 15).unwrap();
        values
            .write_datetime_with_format(1, 4, &born, &date)
            .unwrap();
        let seen = ExcelDateTime::from_ymd(2024, 3, 9)
            .unwrap()
            .and_hms(14, 30, 5)
            .unwrap();
        values
            .write_datetime_with_format(1, 5, &seen, &moment)
            .unwrap();
        let call = ExcelDateTime::from_hms(9, 15, 0).unwrap();
        values
            .write_datetime_with_format(1, 6, &call, &clock)
            .unwrap();
        values.write_boolean(1, 7, true).unwrap();
        values.write_boolean(1, 8, false).unwrap();
        values.write_string(1, 9, "  Ana  ").unwrap();
    });
    let rows = records(open(&path));
    assert_eq!(
        cells(&rows[0]),
        [
            "5511987654321",
            "42",
            "0.3",
            "1234.5",
            "1990-07-15",
            "2024-03-09T14:30:05",
            "09:15:00",
            "TRUE",
            "FALSE",
            "Ana"
        ]
    );
}

#[test]
fn extra_cells_reject_one_row_and_reading_goes_on() {
    let files = Files::new();
    let path = save(&files, "extra.xlsx", |workbook| {
        let contacts = sheet(workbook, "Contacts");
        contacts.write_string(0, 0, "name").unwrap();
        contacts.write_string(0, 1, "phone").unwrap();
        contacts.write_string(1, 0, "Ana").unwrap();
        contacts.write_string(2, 0, "Bia").unwrap();
        contacts.write_string(2, 3, "stray note").unwrap();
        contacts.write_number(3, 1, 7.0).unwrap();
        // Formatting without a value is invisible to the user and must not matter.
        let grey = CellFormat::new().set_background_color("#EEEEEE");
        contacts.write_blank(1, 5, &grey).unwrap();
        for row in 10..2_000 {
            contacts.write_blank(row, 0, &grey).unwrap();
        }
    });
    let items = items(open(&path));
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().cells, ["Ana", ""]);
    let error = items[1].as_ref().unwrap_err();
    assert!(!error.is_fatal());
    assert_eq!(
        error.to_string(),
        "row 3 has 4 columns but the header has 2"
    );
    let last = items[2].as_ref().unwrap();
    assert_eq!((last.line, cells(last)), (4, vec!["", "7"]));
}

#[test]
fn duplicate_and_blank_headers_are_renamed() {
    let files = Files::new();
    let path = save(&files, "headers.xlsx", |workbook| {
        let contacts = sheet(workbook, "Contacts");
        for (column, header) in ["Phone", "", " phone ", "Name", "", "Phone"]
            .iter()
            .enumerate()
        {
            contacts.write_string(0, column as u16, *header).unwrap();
        }
        contacts.write_string(1, 4, "note").unwrap();
    });
    let table = open(&path);
    assert_eq!(
        table.headers(),
        [
            "Phone",
            "Column 2",
            "phone (2)",
            "Name",
            "Column 5",
            "Phone (3)"
        ]
    );
    assert_eq!(cells(&records(table)[0]), ["", "", "", "", "note", ""]);
}

#[test]
fn max_rows_is_enforced() {
    let files = Files::new();
    let path = save(&files, "rows.xlsx", |workbook| {
        let contacts = sheet(workbook, "Contacts");
        contacts.write_string(0, 0, "phone").unwrap();
        for row in 1..=10 {
            contacts.write_number(row, 0, f64::from(row)).unwrap();
        }
    });
    let limits = Limits {
        max_rows: 4,
        ..Limits::default()
    };
    let table = wagent_tabular::open(&path, &ReadOptions::default(), &limits).unwrap();
    let items = items(table);
    assert_eq!(items.len(), 5);
    assert!(items[..4].iter().all(Result::is_ok));
    let error = items[4].as_ref().unwrap_err();
    assert!(error.is_fatal());
    assert_eq!(error.to_string(), "the file has more than 4 rows");
}

#[test]
fn progress_follows_the_rows_the_sheet_declares() {
    let files = Files::new();
    let path = save(&files, "rows.xlsx", |workbook| {
        let sheet = sheet(workbook, "Contacts");
        sheet.write_string(0, 0, "Phone").unwrap();
        for row in 1..=100u32 {
            sheet
                .write_number(row, 0, 5_511_999_990_000.0 + f64::from(row))
                .unwrap();
        }
    });
    let mut table = with_options(&path, ReadOptions::default());
    for item in table.by_ref().take(50) {
        item.unwrap();
    }
    let halfway = table.progress();
    assert!((0.4..0.6).contains(&halfway), "{halfway}");
    for item in table.by_ref() {
        item.unwrap();
    }
    assert_eq!(table.progress(), 1.0);
}
