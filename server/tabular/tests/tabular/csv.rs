//! CSV files as spreadsheets and text editors write them.

use wagent_tabular::{Format, Limits, ReadOptions, TabularError};

use crate::support::{Files, cells, items, open, open_error, records};

#[test]
fn utf8_with_bom_loses_the_bom_and_keeps_accents() {
    let files = Files::new();
    let path = files.write(
        "contacts.csv",
        "\u{FEFF}nome,telefone\nJoão Müller,+55 11 99999-0000\n",
    );
    let table = open(&path);
    assert_eq!(table.format(), Format::Csv);
    assert_eq!(table.encoding(), "UTF-8");
    // A BOM left in place would make the first column "\u{FEFF}nome" and break mapping.
    assert_eq!(table.headers(), ["nome", "telefone"]);
    let rows = records(table);
    assert_eq!(cells(&rows[0]), ["João Müller", "+55 11 99999-0000"]);
}

#[test]
fn utf8_without_bom_is_read_as_utf8() {
    let files = Files::new();
    let path = files.write("contacts.csv", "name,city\nZoë 🌸,Łódź\nJoão,São Paulo\n");
    let table = open(&path);
    assert_eq!(table.encoding(), "UTF-8");
    let rows = records(table);
    assert_eq!(cells(&rows[0]), ["Zoë 🌸", "Łódź"]);
    assert_eq!(cells(&rows[1]), ["João", "São Paulo"]);
}

#[test]
fn latin1_names_come_out_right() {
    let files = Files::new();
    // What Excel on Windows saves as "CSV (semicolon)": Windows-1252 bytes.
    let path = files.write(
        "contacts.csv",
        b"nome;cidade\nJo\xE3o;S\xE3o Paulo\nM\xFCller;K\xF6ln\nFran\xE7ois;\x80 cr\xE9dito\n",
    );
    let table = open(&path);
    assert_eq!(table.encoding(), "windows-1252");
    assert_eq!(table.delimiter(), Some(b';'));
    let rows = records(table);
    assert_eq!(cells(&rows[0]), ["João", "São Paulo"]);
    assert_eq!(cells(&rows[1]), ["Müller", "Köln"]);
    assert_eq!(cells(&rows[2]), ["François", "€ crédito"]);
}

#[test]
fn latin1_after_a_utf8_start_is_fatal_and_names_the_line() {
    let files = Files::new();
    let mut text = b"name,phone\n".to_vec();
    // 10,000 ASCII lines (about 350 KiB) decide UTF-8; line 10,002 then holds a Latin-1 byte.
    for number in 0..10_000 {
        text.extend_from_slice(
            format!("Contact number {number:05},5511900{number:06}\n").as_bytes(),
        );
    }
    text.extend_from_slice(b"Jo\xE3o,5511988887777\n");
    let path = files.write("contacts.csv", text);
    let table = open(&path);
    assert_eq!(table.encoding(), "UTF-8");
    let items = items(table);
    // The reader decodes ahead, so it stops a little before the bad line; the caller imports
    // nothing from a file that fails.
    assert!(items.len() > 1, "records come before the failure");
    let error = items.last().unwrap().as_ref().unwrap_err();
    assert!(error.is_fatal());
    assert_eq!(
        error.to_string(),
        "the file is not valid UTF-8 or Latin-1 text at line 10,002; save it again as \"CSV UTF-8\""
    );
}

#[test]
fn semicolon_and_tab_files_are_detected() {
    let files = Files::new();
    let semicolons = files.write(
        "semicolons.csv",
        "nome;telefone;saldo\nAna;11 9999;1,50\nBia;11 8888;2,75\n",
    );
    let table = open(&semicolons);
    assert_eq!(table.delimiter(), Some(b';'));
    assert_eq!(table.headers(), ["nome", "telefone", "saldo"]);
    assert_eq!(cells(&records(table)[1]), ["Bia", "11 8888", "2,75"]);

    let tabs = files.write(
        "tabs.tsv",
        "name\tphone\tnotes\nAna\t1\tcalled, no answer\nBia\t2\tok, later\n",
    );
    let table = open(&tabs);
    assert_eq!(table.delimiter(), Some(b'\t'));
    assert_eq!(cells(&records(table)[0]), ["Ana", "1", "called, no answer"]);
}

#[test]
fn forced_delimiter_overrides_detection() {
    let files = Files::new();
    let path = files.write("contacts.csv", "a;b,c\n1;2,3\n");
    let options = ReadOptions {
        delimiter: Some(b','),
        ..ReadOptions::default()
    };
    let table = wagent_tabular::open(&path, &options, &Limits::default()).unwrap();
    assert_eq!(table.headers(), ["a;b", "c"]);
}

#[test]
fn quoted_delimiters_newlines_and_quotes_keep_line_numbers_right() {
    let files = Files::new();
    let path = files.write(
        "contacts.csv",
        "name,notes,phone\r\n\
         \"Silva, Ana\",\"first line\r\nsecond line\",1\r\n\
         Bia,plain,2\r\n\
         \"Caio\",\"said \"\"hi\"\"\nthen\nleft\",3\r\n\
         \r\n\
         Duda,,4\r\n",
    );
    let rows = records(open(&path));
    let lines: Vec<u64> = rows.iter().map(|row| row.line).collect();
    // Line 8 is blank: the parser passes over it, the numbering does not.
    assert_eq!(lines, [2, 4, 5, 9]);
    assert_eq!(
        cells(&rows[0]),
        ["Silva, Ana", "first line\r\nsecond line", "1"]
    );
    assert_eq!(cells(&rows[2]), ["Caio", "said \"hi\"\nthen\nleft", "3"]);
    assert_eq!(cells(&rows[3]), ["Duda", "", "4"]);
}

#[test]
fn a_wrong_column_count_rejects_one_line_and_reading_goes_on() {
    let files = Files::new();
    let path = files.write(
        "contacts.csv",
        "name,phone,city\nAna,1,Rio\nBia,2,Rio,extra,more\nCaio,3\nDuda,4,Recife,,\n",
    );
    let items = items(open(&path));
    assert_eq!(items.len(), 4);
    let error = items[1].as_ref().unwrap_err();
    assert!(!error.is_fatal());
    assert_eq!(
        error.to_string(),
        "line 3 has 5 columns but the header has 3"
    );
    // A short line is padded; trailing empty fields are no fault.
    let caio = items[2].as_ref().unwrap();
    assert_eq!((caio.line, cells(caio)), (4, vec!["Caio", "3", ""]));
    let duda = items[3].as_ref().unwrap();
    assert_eq!((duda.line, cells(duda)), (5, vec!["Duda", "4", "Recife"]));
}

#[test]
fn an_overlong_value_rejects_one_line_and_reading_goes_on() {
    let files = Files::new();
    let long = "x".repeat(5_000);
    let path = files.write(
        "contacts.csv",
        format!("name,notes\nAna,short\nBia,{long}\nCaio,ok\n"),
    );
    let items = items(open(&path));
    let error = items[1].as_ref().unwrap_err();
    assert!(!error.is_fatal());
    assert_eq!(
        error.to_string(),
        "line 3: the value in column \"notes\" is longer than 4,096 bytes"
    );
    assert_eq!(items[2].as_ref().unwrap().cells, ["Caio", "ok"]);
}

#[test]
fn max_rows_is_enforced_and_ends_the_table() {
    let files = Files::new();
    let limits = Limits {
        max_rows: 3,
        ..Limits::default()
    };
    let options = ReadOptions::default();
    let exact = files.write("three.csv", "phone\n1\n2\n,\n");
    let table = wagent_tabular::open(&exact, &options, &limits).unwrap();
    let rows = records(table);
    assert_eq!(rows.len(), 3);
    // A blank row is a record the importer passes over.
    assert!(rows[2].is_empty());

    let over = files.write("five.csv", "phone\n1\n2\n3\n4\n5\n");
    let mut table = wagent_tabular::open(&over, &options, &limits).unwrap();
    for _ in 0..3 {
        table.next().unwrap().unwrap();
    }
    let error = table.next().unwrap().unwrap_err();
    assert!(error.is_fatal());
    assert_eq!(error.to_string(), "the file has more than 3 rows");
    assert!(table.next().is_none());
}

#[test]
fn duplicate_and_blank_headers_are_renamed() {
    let files = Files::new();
    let path = files.write("contacts.csv", "Phone,,phone, Name ,Phone,\n1,2,3,4,5,6\n");
    let table = open(&path);
    assert_eq!(
        table.headers(),
        [
            "Phone",
            "Column 2",
            "phone (2)",
            "Name",
            "Phone (3)",
            "Column 6"
        ]
    );
    assert_eq!(cells(&records(table)[0]), ["1", "2", "3", "4", "5", "6"]);
}

#[test]
fn rows_before_the_header_row_are_skipped_as_plain_lines() {
    let files = Files::new();
    // The title holds a quote that a CSV parser would read as never closed.
    let path = files.write(
        "export.csv",
        "Contacts \"export\nExported 2024-05-01\nname;phone\nAna;1\nBia;2\n",
    );
    let options = ReadOptions {
        header_row: Some(3),
        ..ReadOptions::default()
    };
    let table = wagent_tabular::open(&path, &options, &Limits::default()).unwrap();
    assert_eq!(table.delimiter(), Some(b';'));
    assert_eq!(table.headers(), ["name", "phone"]);
    let rows = records(table);
    assert_eq!(rows.iter().map(|row| row.line).collect::<Vec<_>>(), [4, 5]);
}

#[test]
fn a_blank_or_missing_header_row_is_fatal() {
    let files = Files::new();
    let limits = Limits::default();
    let path = files.write("export.csv", "Title\n\nname,phone\nAna,1\n");
    let at_line = |line| ReadOptions {
        header_row: Some(line),
        ..ReadOptions::default()
    };
    let blank = open_error(&path, &at_line(2), &limits);
    assert_eq!(
        blank.to_string(),
        "line 2 of the file is empty, so it cannot be the header row"
    );
    let commas = files.write("commas.csv", " , ,\nAna,1\n");
    let blank = open_error(&commas, &at_line(1), &limits);
    assert!(
        matches!(blank, TabularError::BlankHeader { .. }),
        "{blank:?}"
    );
    let missing = open_error(&path, &at_line(9), &limits);
    assert_eq!(
        missing.to_string(),
        "the file ends before line 9, so there is no header row there"
    );
}

#[test]
fn a_quote_never_closed_is_refused_with_its_line() {
    let files = Files::new();
    let mut text = String::from("name,notes\nAna,ok\nBia,\"never closed\n");
    for number in 0..200 {
        text.push_str(&format!("Contact {number},fine\n"));
    }
    let path = files.write("contacts.csv", text);
    let limits = Limits {
        max_record_bytes: 1_024,
        ..Limits::default()
    };
    let table = wagent_tabular::open(&path, &ReadOptions::default(), &limits).unwrap();
    let items = items(table);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().cells, ["Ana", "ok"]);
    let error = items[1].as_ref().unwrap_err();
    assert!(error.is_fatal());
    assert_eq!(
        error.to_string(),
        "line 3 is longer than 1,024 bytes; it probably opens a quote (\") that is never closed"
    );
}

#[test]
fn old_mac_line_endings_are_lines_too() {
    let files = Files::new();
    let path = files.write(
        "mac.csv",
        "Title\rname,phone\rAna,1\r\"Bia\rSilva\",2\rCaio,3\r",
    );
    let options = ReadOptions {
        header_row: Some(2),
        ..ReadOptions::default()
    };
    let table = wagent_tabular::open(&path, &options, &Limits::default()).unwrap();
    let rows = records(table);
    assert_eq!(
        rows.iter().map(|row| row.line).collect::<Vec<_>>(),
        [3, 4, 6]
    );
    assert_eq!(cells(&rows[1]), ["Bia\rSilva", "2"]);
}

#[test]
fn a_table_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<wagent_tabular::Table>();
    assert_send::<TabularError>();
}

#[test]
fn progress_grows_with_the_bytes_read_and_ends_at_one() {
    let files = Files::new();
    let mut text = String::from("name,phone\n");
    for i in 0..20_000 {
        text.push_str(&format!("Customer {i},+5511999{i:06}\n"));
    }
    let path = files.write("big.csv", text);
    let mut table = open(&path);
    let start = table.progress();
    for item in table.by_ref().take(10_000) {
        item.unwrap();
    }
    let halfway = table.progress();
    for item in table.by_ref() {
        item.unwrap();
    }
    assert!(start < 0.5, "{start}");
    assert!((0.3..0.8).contains(&halfway), "{halfway}");
    assert_eq!(table.progress(), 1.0);
}
