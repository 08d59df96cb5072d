//! Hostile and odd inputs that used to pass the counts while the data came out wrong: each case
//! makes its own small files, exports them, and checks the exact values written and the words
//! that say what was done.

use crate::common;
use common::{ods, patch_part};

use std::path::{Path, PathBuf};

use common::pipemap;

const PROFILE: &str = "version: 1
name: hostile
files:
  - match: {headers_include: [Name]}
    entity: person
    columns:
      Name: person.name
      Email: person.email:work
";

/// What one `pipemap apply` left behind.
struct Export {
    code: i32,
    stderr: String,
    out: PathBuf,
}

impl Export {
    /// Column `column` of every row of an output file.
    fn column(&self, file: &str, column: &str) -> Vec<String> {
        let mut reader = csv::Reader::from_path(self.out.join(file)).expect(file);
        let at = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("{file} has no column {column}"));
        reader
            .records()
            .map(|r| r.unwrap()[at].to_string())
            .collect()
    }

    /// warnings.csv as `line column: reason` rows.
    fn warnings(&self) -> Vec<String> {
        let mut reader = csv::Reader::from_path(self.out.join("warnings.csv")).unwrap();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                format!("{} {}: {}", &r[1], &r[3], &r[5])
            })
            .collect()
    }
}

/// Exports `inputs` (paths relative to `dir`) with `profile` into `dir/out`.
fn export(dir: &Path, profile: &str, inputs: &[&str]) -> Export {
    std::fs::write(dir.join("profile.yaml"), profile).unwrap();
    let out = dir.join("out");
    let output = pipemap()
        .current_dir(dir)
        .arg("apply")
        .args(inputs)
        .args(["--profile", "profile.yaml", "--out"])
        .arg(&out)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("pipemap runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Export {
        code: output.status.code().unwrap_or(-1),
        stderr,
        out,
    }
}

#[test]
fn a_utf8_file_with_a_stray_invalid_byte_is_read_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"Name,Email\n".to_vec();
    bytes.extend_from_slice("Zoë Ørsted,zoe@example.com\n日本 Tanaka,t@example.com\n".as_bytes());
    bytes.extend_from_slice(b"Bad \xff Byte,bad@example.com\n");
    bytes.extend_from_slice("José,j@example.com\n".as_bytes());
    std::fs::write(dir.path().join("people.csv"), &bytes).unwrap();
    let export = export(dir.path(), PROFILE, &["people.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("02-persons.csv", "Person - Name"),
        ["Zoë Ørsted", "日本 Tanaka", "Bad \u{fffd} Byte", "José"]
    );
    assert_eq!(
        export.warnings(),
        ["4 Name: bytes not valid in the file's encoding were replaced by \u{fffd}"]
    );
    assert!(
        export.stderr.contains(
            "people.csv: 1 row(s) hold bytes that are not valid UTF-8, each replaced by U+FFFD (line(s) 4; listed in warnings.csv)"
        ),
        "{}",
        export.stderr
    );
}

#[test]
fn one_bad_byte_among_ascii_rows_waits_for_more_evidence() {
    // The first quarter megabyte is ASCII but for one bad byte; the accented names come later.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"Name,Email\nBad \xe9 Byte,bad@example.com\n".to_vec();
    for i in 0..12_000 {
        bytes.extend_from_slice(format!("Plain Person {i},p{i}@example.com\n").as_bytes());
    }
    for i in 0..100 {
        bytes.extend_from_slice(format!("Zoë Ørsted {i},z{i}@example.com\n").as_bytes());
    }
    std::fs::write(dir.path().join("people.csv"), &bytes).unwrap();
    let export = export(dir.path(), PROFILE, &["people.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let names = export.column("02-persons.csv", "Person - Name");
    assert_eq!(names[0], "Bad \u{fffd} Byte");
    assert_eq!(names[12_001], "Zoë Ørsted 0");
    assert_eq!(
        export.warnings(),
        ["2 Name: bytes not valid in the file's encoding were replaced by \u{fffd}"]
    );
}

#[test]
fn a_legacy_file_is_still_read_in_its_code_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        b"Name,Email\nZo\xeb M\xfcller,z@example.com\nJos\xe9 Garc\xeda,j@example.com\n",
    )
    .unwrap();
    let export = export(dir.path(), PROFILE, &["people.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("02-persons.csv", "Person - Name"),
        ["Zoë Müller", "José García"]
    );
    assert!(export.warnings().is_empty());
}

#[test]
fn a_utf8_mark_before_windows_1252_text_is_read_as_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        b"\xef\xbb\xbfName,Email\nZo\xeb M\xfcller,z@example.com\nJos\xe9 Garc\xeda,j@example.com\n",
    )
    .unwrap();
    let export = export(dir.path(), PROFILE, &["people.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("02-persons.csv", "Person - Name"),
        ["Zoë Müller", "José García"]
    );
    let note = "people.csv: the file opens with a UTF-8 byte-order mark, but its text is not UTF-8: read as windows-1252";
    assert!(export.stderr.contains(note), "{}", export.stderr);
    let report = std::fs::read_to_string(export.out.join("report.md")).unwrap();
    assert!(report.contains(note), "{report}");
}

const DEALS: &str = "version: 1
name: hostile
files:
  - match: {headers_include: [Title]}
    entity: deal
    columns:
      Title: deal.title
      Value: deal.value
      Company: organization.name
";

fn deals(rows: &[(&str, &str)]) -> String {
    let mut text = "Title;Value;Company\n".to_string();
    for (title, value) in rows {
        text.push_str(&format!("{title};{value};Acme\n"));
    }
    text
}

#[test]
fn numbers_are_read_in_the_decimal_convention_of_their_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = deals(&[
        ("A", "12,5"),
        ("B", "1.000"),
        ("C", "12,345"),
        ("D", "1.000,00"),
        ("E", "7"),
    ]);
    std::fs::write(dir.path().join("deals.csv"), text).unwrap();
    let export = export(dir.path(), DEALS, &["deals.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("03-deals.csv", "Deal - Value"),
        ["12.5", "1000", "12.345", "1000.00", "7"]
    );
    assert!(export.warnings().is_empty(), "{:?}", export.warnings());
}

#[test]
fn the_convention_is_decided_by_all_rows_not_the_sample() {
    // The first 1,500 values read either way; a decimal comma far below decides the column.
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<(String, String)> = (0..1500)
        .map(|i| (format!("Deal {i}"), "2.500".to_string()))
        .collect();
    rows.push(("Last".into(), "99,5".into()));
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    std::fs::write(dir.path().join("deals.csv"), deals(&rows)).unwrap();
    let export = export(dir.path(), DEALS, &["deals.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let values = export.column("03-deals.csv", "Deal - Value");
    assert_eq!(values[0], "2500");
    assert_eq!(values[1499], "2500");
    assert_eq!(values[1500], "99.5");
}

#[test]
fn a_column_mixing_both_conventions_keeps_the_value_that_reads_either_way() {
    let dir = tempfile::tempdir().unwrap();
    let text = deals(&[
        ("A", "12,5"),
        ("B", "1.000"),
        ("C", "12.5"),
        ("D", "1,234.50"),
    ]);
    std::fs::write(dir.path().join("deals.csv"), text).unwrap();
    let export = export(dir.path(), DEALS, &["deals.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("03-deals.csv", "Deal - Value"),
        ["12.5", "", "12.5", "1234.50"]
    );
    assert_eq!(
        export.column("03-deals.csv", "Note - Content"),
        ["", "Value: 1.000", "", ""]
    );
    assert_eq!(
        export.warnings(),
        [
            "3 Value: ambiguous number \"1.000\": the column writes both decimal points and decimal commas, so it may be a thousands group or a fraction; kept in the note"
        ]
    );
}

#[test]
fn a_date_field_keeps_the_calendar_day_the_source_writes() {
    let dir = tempfile::tempdir().unwrap();
    let profile = "version: 1
name: hostile
files:
  - match: {headers_include: [Title]}
    entity: deal
    columns:
      Title: deal.title
      Company: organization.name
      Close: deal.expected_close_date
      Created: deal.add_time
";
    std::fs::write(
        dir.path().join("deals.csv"),
        "Title,Company,Close,Created\n\
         A,Acme,2024-03-10T00:00+01:00,2024-03-10T00:00+01:00\n\
         B,Acme,2024-03-10T15:30:00-05:00,2024-03-10T15:30:00-05:00\n\
         C,Acme,2024-03-10,2024-03-10 08:00\n",
    )
    .unwrap();
    let export = export(dir.path(), profile, &["deals.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("03-deals.csv", "Deal - Expected close date"),
        ["2024-03-10", "2024-03-10", "2024-03-10"]
    );
    // A date-time field still writes the moment in UTC.
    assert_eq!(
        export.column("03-deals.csv", "Deal - Deal created"),
        [
            "2024-03-09 23:00:00",
            "2024-03-10 20:30:00",
            "2024-03-10 08:00:00"
        ]
    );
    assert_eq!(
        export.warnings(),
        [
            "3 Close: the field holds a date only: written as the day the cell names, its time of day 15:30 left out"
        ]
    );
}

#[test]
fn phones_from_spreadsheet_floats_keep_their_digits() {
    let dir = tempfile::tempdir().unwrap();
    let profile = "version: 1
name: hostile
files:
  - match: {headers_include: [Name]}
    entity: person
    columns:
      Name: person.name
      Phone: person.phone:work
";
    std::fs::write(
        dir.path().join("people.csv"),
        "Name,Phone\nA,4915112345678.0\nB,4.915112345678E+12\nC,4915112345678.00\nD,4.9151E+12\n",
    )
    .unwrap();
    let export = export(dir.path(), profile, &["people.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("02-persons.csv", "Person - Phone - Work"),
        ["4915112345678", "4915112345678", "4915112345678", ""]
    );
    assert_eq!(
        export.column("02-persons.csv", "Note - Content"),
        ["", "", "", "Phone: 4.9151E+12"]
    );
    assert_eq!(
        export.warnings(),
        [
            "5 Phone: a phone number a spreadsheet rounded: \"4.9151E+12\" has lost its last digits, and zeros in their place would be another number; export the column as text; kept in the note"
        ]
    );
}

#[test]
fn a_file_named_twice_is_read_once_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(
        dir.path().join("in/people.csv"),
        "Name,Email\nAda,a@example.com\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("in/people.csv", dir.path().join("link.csv")).unwrap();
    let export = export(
        dir.path(),
        PROFILE,
        &["in/people.csv", "in", "./in/people.csv", "link.csv"],
    );
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(export.column("02-persons.csv", "Person - Name"), ["Ada"]);
    for note in [
        "pipemap: note: in/people.csv was given twice: read once",
        "pipemap: note: ./in/people.csv is the same table as in/people.csv: read once, as in/people.csv",
        "pipemap: note: link.csv is the same table as in/people.csv: read once, as in/people.csv",
    ] {
        assert!(export.stderr.contains(note), "{}", export.stderr);
    }
    let summary = common::assert_reconciles(&export.out);
    assert_eq!(summary.summary.files.len(), 1);
}

#[test]
fn two_archive_members_of_one_name_are_both_read_named_apart() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    // The writer refuses a repeated name: the second is written under a name of the same
    // length, then renamed in the bytes (a name is outside the data and its checksum).
    for (name, row) in [
        ("contacts.csv", "Ada,a@example.com"),
        ("contacts.cs_", "Bob,b@example.com"),
    ] {
        zip.start_file(name, options).unwrap();
        write!(zip, "Name,Email\n{row}\n").unwrap();
    }
    let mut bytes = zip.finish().unwrap().into_inner();
    let (from, to) = (b"contacts.cs_", b"contacts.csv");
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
        }
        i += 1;
    }
    std::fs::write(&path, bytes).unwrap();
    let export = export(dir.path(), PROFILE, &["export.zip"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("02-persons.csv", "Person - Name"),
        ["Ada", "Bob"]
    );
    assert!(
        export.stderr.contains(
            "export.zip: holds 2 members named \"contacts.csv\"; each is read, the later ones as \"contacts.csv (2)\""
        ),
        "{}",
        export.stderr
    );
    let summary = common::assert_reconciles(&export.out);
    let files: Vec<&str> = summary
        .summary
        .files
        .iter()
        .map(|f| f.file.as_str())
        .collect();
    assert_eq!(
        files,
        ["export.zip/contacts.csv", "export.zip/contacts.csv (2)"]
    );
}

#[test]
fn rows_under_a_merged_workbook_cell_get_its_value_with_a_warning() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet().set_name("People").unwrap();
    for (col, header) in ["Name", "Email", "Company"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let people = [
        ("Ada", "a@example.com"),
        ("Bob", "b@example.com"),
        ("Cy", "c@example.com"),
        ("Dee", "d@example.com"),
    ];
    for (row, (name, email)) in people.iter().enumerate() {
        sheet.write_string(row as u32 + 1, 0, *name).unwrap();
        sheet.write_string(row as u32 + 1, 1, *email).unwrap();
    }
    sheet
        .merge_range(1, 2, 3, 2, "Acme", &Format::new())
        .unwrap();
    sheet.write_string(4, 2, "Beta").unwrap();
    wb.save(dir.path().join("people.xlsx")).unwrap();
    let profile = "version: 1
name: hostile
files:
  - match: {headers_include: [Name]}
    entity: person
    columns:
      Name: person.name
      Email: person.email:work
      Company: organization.name
";
    let export = export(dir.path(), profile, &["people.xlsx"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("02-persons.csv", "Organization - Name"),
        ["Acme", "Acme", "Acme", "Beta"]
    );
    let note = "people.xlsx#People: 1 merged cell range(s) span rows (C2:C4): each range's value was carried down into every row it covers";
    assert!(export.stderr.contains(note), "{}", export.stderr);
    let report = std::fs::read_to_string(export.out.join("report.md")).unwrap();
    assert!(report.contains(note), "{report}");
}

/// Runs `pipemap inspect` on `file` in `dir`: exit code and stderr.
fn inspect(dir: &Path, file: &str) -> (i32, String) {
    let output = pipemap()
        .current_dir(dir)
        .args(["inspect", file])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("pipemap runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_workbook_cell_beyond_the_last_column_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(0, 0, "Name").unwrap();
    sheet.write_string(1, 0, "Ada").unwrap();
    sheet.write_string(1, 2, "far").unwrap();
    let book = wb.save_to_buffer().unwrap();
    // Column ZZZZ is far past XFD, the last column a sheet can have.
    let book = patch_part(&book, "xl/worksheets/sheet1.xml", |xml| {
        assert!(xml.contains("r=\"C2\""), "{xml}");
        xml.replace("r=\"C2\"", "r=\"ZZZZ2\"")
    });
    std::fs::write(dir.path().join("wide.xlsx"), book).unwrap();
    let (code, stderr) = inspect(dir.path(), "wide.xlsx");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "wide.xlsx#Sheet1: refused: a cell at row 2 column 475254 lies beyond the last cell a sheet can hold (XFD1048576)"
        ),
        "{stderr}"
    );
}

#[test]
fn one_shared_string_repeated_into_gigabytes_is_refused_by_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let book = common::shared_string_bomb();
    assert!(book.len() < 1 << 20, "{} bytes", book.len());
    std::fs::write(dir.path().join("bomb.xlsx"), book).unwrap();
    let (code, stderr) = inspect(dir.path(), "bomb.xlsx");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "bomb.xlsx#Sheet1: refused: the sheet's cells expand to more than 128 MiB of text and empty cells between, past the limit for a workbook of this size"
        ),
        "{stderr}"
    );
}

#[test]
fn a_csv_cell_past_the_cell_limit_is_refused_by_line() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let cell = "x".repeat(17 << 20);
    std::fs::write(
        dir.path().join("cell.csv"),
        format!("Name,Email,Notes\nAda,a@example.com,short\nBob,b@example.com,{cell}\n"),
    )
    .unwrap();
    let (code, stderr) = inspect(dir.path(), "cell.csv");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "cell.csv:3: refused: the cell in column 3 holds 17 MiB, past the limit of 16 MiB per cell"
        ),
        "{stderr}"
    );
    // Gzip-compressed, one cell of 200 MiB: refused while it is read, at 64 MiB.
    let file = std::fs::File::create(dir.path().join("huge.csv.gz")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    gz.write_all(b"Name,Email,Notes\nAda,a@example.com,")
        .unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..200 {
        gz.write_all(&chunk).unwrap();
    }
    gz.write_all(b"\n").unwrap();
    gz.finish().unwrap();
    let (code, stderr) = inspect(dir.path(), "huge.csv.gz");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("huge.csv.gz:2: refused: the record holds more than 64 MiB, past the limit"),
        "{stderr}"
    );
}

#[test]
fn twenty_thousand_repeats_of_one_header_are_named_apart() {
    let dir = tempfile::tempdir().unwrap();
    let header = vec!["Name"; 40_000].join(",");
    let row = vec!["x"; 40_000].join(",");
    std::fs::write(dir.path().join("wide.csv"), format!("{header}\n{row}\n")).unwrap();
    let output = pipemap()
        .current_dir(dir.path())
        .args(["inspect", "wide.csv"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Name (40000)"),
        "{}",
        &stdout[..stdout.len().min(2000)]
    );
}

#[test]
fn a_token_file_past_its_limit_is_refused_without_reading_it_through() {
    let dir = tempfile::tempdir().unwrap();
    let output = pipemap()
        .current_dir(dir.path())
        .args([
            "account",
            "pull",
            "--token-file",
            "/dev/zero",
            "--domain",
            "acme",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "/dev/zero: refused: a token file holds one API token, and this one is larger than the limit of 4096 bytes"
        ),
        "{stderr}"
    );
}

#[test]
fn a_hundred_thousand_columns_are_exported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wide.csv"), common::wide_csv(100_000)).unwrap();
    std::fs::write(dir.path().join("profile.yaml"), PROFILE).unwrap();
    let output = pipemap()
        .current_dir(dir.path())
        .args([
            "apply",
            "wide.csv",
            "--profile",
            "profile.yaml",
            "--allow-drift",
            "-q",
            "--out",
            "out",
        ])
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let export = Export {
        code: 0,
        stderr: String::new(),
        out: dir.path().join("out"),
    };
    assert_eq!(
        export.column("02-persons.csv", "Person - Name"),
        ["Ada", "Bob"]
    );
    let mapping = std::fs::read_to_string(dir.path().join("out/mapping.yaml")).unwrap();
    assert!(
        mapping.contains("Field 99999: note"),
        "{}",
        &mapping[..mapping.len().min(500)]
    );
}

#[test]
fn an_archive_of_too_many_members_is_refused_by_its_limit() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("many.zip")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..20_001 {
        zip.start_file(format!("m{i}.csv"), options).unwrap();
        zip.write_all(b"Name\nA\n").unwrap();
    }
    zip.finish().unwrap();
    let (code, stderr) = inspect(dir.path(), "many.zip");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "many.zip: refused: the archive holds more than 20000 members, past the limit"
        ),
        "{stderr}"
    );
}

#[test]
fn an_ods_repeat_bomb_is_refused_before_it_is_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let cell = |text: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
        )
    };
    let header = format!(
        "<table:table-row>{}{}</table:table-row>",
        cell("Name"),
        cell("Email")
    );
    let fine = format!(
        "{header}<table:table-row>{}{}</table:table-row>",
        cell("Ada"),
        cell("a@example.com")
    );
    std::fs::write(dir.path().join("fine.ods"), ods(&fine)).unwrap();
    let export = export(dir.path(), PROFILE, &["fine.ods"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(export.column("02-persons.csv", "Person - Name"), ["Ada"]);

    let bomb = format!(
        r#"{header}<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>xxxxxxxxxxxxxxxx</text:p></table:table-cell></table:table-row>"#
    );
    std::fs::write(dir.path().join("bomb.ods"), ods(&bomb)).unwrap();
    let (code, stderr) = inspect(dir.path(), "bomb.ods");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "bomb.ods: refused: its repeated rows and cells expand to more than 512 MiB, past the limit for a workbook of this size (a repeat bomb?)"
        ),
        "{stderr}"
    );
}

#[test]
fn an_excel_sep_line_names_the_delimiter_and_is_no_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "sep=;\r\nName;Email\r\nAda;a@example.com\r\nBob;bad\r\n",
    )
    .unwrap();
    let export = export(dir.path(), PROFILE, &["people.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(
        export.column("02-persons.csv", "Person - Name"),
        ["Ada", "Bob"]
    );
    assert_eq!(
        export.column("02-persons.csv", "Person - Email - Work"),
        ["a@example.com", ""]
    );
    assert_eq!(
        export.warnings(),
        ["4 Email: not an e-mail address: \"bad\"; kept in the note"]
    );
    assert!(
        export.stderr.contains(
            "people.csv: the first line `sep=;` names the delimiter (as Excel writes it); the header is on line 2"
        ),
        "{}",
        export.stderr
    );
}

#[test]
fn a_reports_total_row_is_not_imported_as_a_record() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("deals.csv"),
        "Title,Value,Company\nA,100,Acme\nTotal,Beta,Beta\nB,200,Beta\nGrand total:,300,\n",
    )
    .unwrap();
    let export = export(dir.path(), DEALS, &["deals.csv"]);
    assert_eq!(export.code, 3, "{}", export.stderr);
    // A deal titled "Total" with a company beside it is a record.
    assert_eq!(
        export.column("03-deals.csv", "Deal - Title"),
        ["A", "Total", "B"]
    );
    let mut rejects = csv::Reader::from_path(export.out.join("rejects.csv")).unwrap();
    let rows: Vec<String> = rejects
        .records()
        .map(|r| {
            let r = r.unwrap();
            format!("{} {} {}: {}", &r[1], &r[3], &r[4], &r[5])
        })
        .collect();
    assert_eq!(
        rows,
        [
            "5 Title Grand total:: a report's total row (a label such as \"Grand total\" and numbers only), not a record: not imported"
        ]
    );
    common::assert_reconciles(&export.out);
}

#[test]
fn html_or_json_saved_as_csv_is_named_plainly() {
    let dir = tempfile::tempdir().unwrap();
    for (file, text, kind) in [
        (
            "page.csv",
            "<!DOCTYPE html>\n<html><body><table><tr><td>Name</td></tr></table></body></html>\n",
            "an HTML page",
        ),
        (
            "data.csv",
            "[\n  {\"Name\": \"Ada\", \"Email\": \"a@example.com\"}\n]\n",
            "a JSON document",
        ),
        (
            "one.csv",
            "{\"contacts\": [{\"Name\": \"Ada\"}]}\n",
            "a JSON document",
        ),
    ] {
        std::fs::write(dir.path().join(file), text).unwrap();
        let (code, stderr) = inspect(dir.path(), file);
        assert_eq!(code, 2, "{stderr}");
        let message = format!(
            "{file}: this is {kind} saved under a table's name, not a CSV/TSV export; export the data as CSV again"
        );
        assert!(stderr.contains(&message), "{stderr}");
    }
    // A CSV whose first header is bracketed stays a CSV.
    std::fs::write(
        dir.path().join("fine.csv"),
        "[Name],Email\nAda,a@example.com\n",
    )
    .unwrap();
    assert_eq!(inspect(dir.path(), "fine.csv").0, 0);
}

const DEALS_PROFILE: &str = "version: 1
name: report
files:
  - match: {headers_include: [Opportunity Name]}
    entity: deal
    columns:
      Opportunity Name: deal.title
      Account Name: deal.org_id
      Amount: deal.value
      Stage: deal.stage_id
";

#[test]
fn a_reports_title_lines_and_footer_lines_are_no_records() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.csv"),
        "Opportunities by stage\n\
         As of 2026-12-01\n\
         \n\
         \"Opportunity Name\",\"Account Name\",\"Amount\",\"Stage\"\n\
         \"Big deal\",\"Acme\",\"1000\",\"Prospecting\"\n\
         \"Small deal\",\"Beta\",\"200\",\"Closed Won\"\n\
         \n\
         \"Confidential Information - Do Not Distribute\"\n\
         \"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\n",
    )
    .unwrap();
    let e = export(dir.path(), DEALS_PROFILE, &["report.csv"]);
    assert_eq!(e.code, 3, "{}", e.stderr);
    assert_eq!(
        e.column("03-deals.csv", "Deal - Title"),
        ["Big deal", "Small deal"]
    );
    assert!(
        e.stderr
            .contains("2 line(s) of text above the header left out as the report's title: “Opportunities by stage”, “As of 2026-12-01”"),
        "{}",
        e.stderr
    );
    // The footer lines are listed in rejects.csv by their own line numbers, not written.
    let mut rejects = csv::Reader::from_path(e.out.join("rejects.csv")).unwrap();
    let rows: Vec<(String, String)> = rejects
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[1].to_string(), r[4].to_string())
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "8".to_string(),
                "Confidential Information - Do Not Distribute".to_string()
            ),
            (
                "9".to_string(),
                "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.".to_string()
            ),
        ]
    );
    let orgs = e.column("03-deals.csv", "Organization - Name");
    assert_eq!(orgs, ["Acme", "Beta"], "no deal linked to a footer");
}

#[test]
fn a_one_column_file_keeps_its_first_line_as_its_header() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("names.csv"), "Name\nAnn Lee\nBob Ray\n").unwrap();
    let e = export(dir.path(), PROFILE, &["names.csv"]);
    assert_eq!(e.code, 0, "{}", e.stderr);
    assert_eq!(
        e.column("02-persons.csv", "Person - Name"),
        ["Ann Lee", "Bob Ray"]
    );
}
