//! Workbooks as sources, driven through the binary: every non-empty sheet is a table named
//! `book.xlsx#Sheet`, cells read honestly (dates in both date systems, leading zeros, formulas'
//! cached values, big integers), and broken or locked workbooks refused with exit 2.

use crate::common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::{inspect_json, pipemap};
use predicates::prelude::*;
use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::Value;

/// A workbook like a CRM's export: contacts, accounts, an empty sheet and a hidden one.
fn contacts_workbook() -> Workbook {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let ws = wb.add_worksheet();
    ws.set_name("Contacts").unwrap();
    let headers = [
        "Full Name",
        "Email",
        "Zip",
        "Created On",
        "Deals",
        "Account Number",
        "Score",
        "Last Call",
        "",
        "Email",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Åse Ødegård").unwrap();
    ws.write_string(1, 1, "ase@example.no").unwrap();
    ws.write_string(1, 2, "0150").unwrap();
    ws.write_number_with_format(1, 3, 45292.0, &date).unwrap();
    ws.write_formula(1, 4, Formula::new("=2+3").set_result("5"))
        .unwrap();
    ws.write_number(1, 5, 123456789012.0).unwrap();
    ws.write_number(1, 6, 0.1 + 0.2).unwrap();
    ws.write_number_with_format(1, 7, 45292.572916666664, &datetime)
        .unwrap();
    ws.write_string(1, 9, "second@example.no").unwrap();
    // Row 3 left empty: passed over, and the next row keeps its own row number.
    ws.write_string(3, 0, "José García").unwrap();
    ws.write_string(3, 2, "08001").unwrap();
    ws.write_number(3, 5, 120000.0).unwrap();
    let accounts = wb.add_worksheet();
    accounts.set_name("Accounts").unwrap();
    accounts.write_string(0, 0, "Account Name").unwrap();
    accounts.write_string(0, 1, "Website").unwrap();
    accounts.write_string(1, 0, "Fjord Fisk AS").unwrap();
    accounts
        .write_string(1, 1, "https://fjordfisk.example")
        .unwrap();
    wb.add_worksheet().set_name("Empty").unwrap();
    let hidden = wb.add_worksheet();
    hidden.set_name("hiddenSheet").unwrap();
    hidden.write_string(0, 0, "metadata").unwrap();
    hidden.set_hidden(true);
    wb
}

fn rows(inspection: &Value) -> Vec<Vec<String>> {
    serde_json::from_value(inspection["sample_rows"].clone()).unwrap()
}

#[test]
fn every_non_empty_visible_sheet_is_a_source_with_honest_cells() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    contacts_workbook().save(&book).unwrap();
    let json = inspect_json(&book);
    let sheets = json.as_array().expect("a workbook prints an array");
    let names: Vec<&str> = sheets.iter().map(|s| s["file"].as_str().unwrap()).collect();
    let prefix = book.display().to_string();
    assert_eq!(
        names,
        [format!("{prefix}#Contacts"), format!("{prefix}#Accounts")]
    );
    let contacts = &sheets[0];
    assert_eq!(
        contacts["headers"],
        serde_json::json!([
            "Full Name",
            "Email",
            "Zip",
            "Created On",
            "Deals",
            "Account Number",
            "Score",
            "Last Call",
            "Column 9",
            "Email (2)"
        ])
    );
    let rows = rows(contacts);
    assert_eq!(
        rows[0],
        [
            "Åse Ødegård",
            "ase@example.no",
            "0150",
            "2024-01-01",
            "5",
            "123456789012",
            "0.3",
            "2024-01-01 13:45:00",
            "",
            "second@example.no"
        ]
    );
    assert_eq!(rows[1][..6], ["José García", "", "08001", "", "", "120000"]);
    assert_eq!(contacts["rows"]["total"], 2);
    assert_eq!(contacts["format"]["container"], "xlsx sheet");
    let text = json.to_string();
    for bad in [
        "E+",
        "E11",
        "123456789012.0",
        "45292",
        "0.30000000000000004",
    ] {
        assert!(!text.contains(bad), "inspect shows {bad}");
    }
}

#[test]
fn a_workbook_saved_without_its_extension_is_still_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("Export");
    std::fs::write(&book, contacts_workbook().save_to_buffer().unwrap()).unwrap();
    let json = inspect_json(&book);
    assert_eq!(json[1]["file"], format!("{}#Accounts", book.display()));
}

#[test]
fn the_text_report_names_each_sheet_and_notes_what_it_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    contacts_workbook().save(&book).unwrap();
    pipemap()
        .args(["inspect", book.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("book.xlsx#Contacts"))
        .stdout(predicate::str::contains("book.xlsx#Accounts"))
        .stderr(predicate::str::contains("hiddenSheet"))
        .stderr(predicate::str::contains("Empty"));
}

/// Sets the workbook's 1904 date system flag, as Excel for Mac once did.
fn into_1904(book: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let name = f.name().unwrap().to_string();
        if name == "xl/workbook.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            assert!(xml.contains("<workbookPr"), "{xml}");
            bytes = xml
                .replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
                .into_bytes();
        }
        parts.push((name, bytes));
    }
    let mut out = zip::ZipWriter::new(std::fs::File::create(book).unwrap());
    for (name, bytes) in parts {
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn dates_in_the_1904_system_become_the_same_iso_dates() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("mac.xlsx");
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Name").unwrap();
    ws.write_string(0, 1, "Closed").unwrap();
    ws.write_string(1, 0, "Fjord Fisk AS").unwrap();
    // 2024-01-01 is serial 43830 in the 1904 system (45292 in the 1900 one).
    ws.write_number_with_format(1, 1, 43830.0, &date).unwrap();
    wb.save(&book).unwrap();
    into_1904(&book);
    let json = inspect_json(&book);
    assert_eq!(rows(&json[0])[0], ["Fjord Fisk AS", "2024-01-01"]);
}

const PROFILE: &str = r#"version: 1
name: workbook-test
files:
  - match: {headers_include: [Full Name, Zip]}
    entity: person
    columns:
      Full Name: person.name
      Email: person.email:work
      Zip: person.custom:Zip
      Created On: person.custom:Created On
      Account Number: person.custom:Account Number
      Deals: person.custom:Deals
      Score: skip
      Last Call: skip
      Column 9: skip
      Email (2): skip
  - match: {headers_include: [Account Name, Website]}
    entity: organization
    columns:
      Account Name: organization.name
      Website: organization.custom:Website
"#;

fn write_profile(dir: &Path) -> PathBuf {
    let path = dir.join("profile.yaml");
    std::fs::write(&path, PROFILE).unwrap();
    path
}

#[test]
fn apply_exports_every_sheet_under_its_source_name() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    contacts_workbook().save(&book).unwrap();
    let profile = write_profile(dir.path());
    let out = dir.path().join("out");
    let status = pipemap()
        .args(["apply", book.to_str().unwrap(), "--profile"])
        .arg(&profile)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        matches!(status.status.code(), Some(0) | Some(3)),
        "apply: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let persons = std::fs::read_to_string(out.join("02-persons.csv")).unwrap();
    for want in ["Åse Ødegård", "0150", "08001", "2024-01-01", "123456789012"] {
        assert!(
            persons.contains(want),
            "02-persons.csv lacks {want}:\n{persons}"
        );
    }
    let orgs = std::fs::read_to_string(out.join("01-organizations.csv")).unwrap();
    assert!(orgs.contains("Fjord Fisk AS"), "{orgs}");
    let summary = common::read_summary(&out).summary;
    let files: Vec<&str> = summary.files.iter().map(|f| f.file.as_str()).collect();
    let prefix = book.display().to_string();
    assert!(
        files.contains(&format!("{prefix}#Contacts").as_str()),
        "{files:?}"
    );
    assert!(
        files.contains(&format!("{prefix}#Accounts").as_str()),
        "{files:?}"
    );
    assert!(summary.reconciled);
}

#[test]
fn a_sheet_is_named_on_the_command_line_as_everywhere_else() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    contacts_workbook().save(&book).unwrap();
    let name = format!("{}#Accounts", book.display());
    let json = inspect_json(Path::new(&name));
    assert!(json.is_object(), "one named sheet prints one object");
    assert_eq!(json["file"], name.as_str());
    pipemap()
        .args(["suggest", &name, "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("\"file\": \"{name}\"")));
    pipemap()
        .args(["suggest", book.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("holds 2 tables"))
        .stderr(predicate::str::contains("#Accounts"));
    for (sheet, words) in [("Empty", "the sheet is empty"), ("Nope", "no such sheet")] {
        pipemap()
            .args(["inspect", &format!("{}#{sheet}", book.display())])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("book.xlsx#{sheet}")))
            .stderr(predicate::str::contains(words));
    }
}

#[test]
fn dynamics_do_not_modify_columns_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("Active Contacts.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Active Contacts").unwrap();
    let headers = [
        "(Do Not Modify) Contact",
        "(Do Not Modify) Row Checksum",
        "(Do Not Modify) Modified On",
        "Full Name",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "8f2c1e4a-0000-4000-8000-000000000001")
        .unwrap();
    ws.write_string(1, 1, "Yz3+checksum==").unwrap();
    ws.write_string(1, 2, "2024-01-01T12:00:00").unwrap();
    ws.write_string(1, 3, "Åse Ødegård").unwrap();
    let hidden = wb.add_worksheet();
    hidden.set_name("hiddenSheet").unwrap();
    hidden.write_string(0, 0, "contact:fullname").unwrap();
    hidden.set_hidden(true);
    wb.save(&book).unwrap();
    let json = inspect_json(&book);
    let sheets = json.as_array().unwrap();
    assert_eq!(sheets.len(), 1, "the hidden metadata sheet is no source");
    let warnings = sheets[0]["warnings"].to_string();
    assert!(warnings.contains("record id"), "{warnings}");
    assert!(
        warnings.contains("Row Checksum") && warnings.contains("skip"),
        "{warnings}"
    );
}

#[test]
fn broken_and_locked_workbooks_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, b"PK\x03\x04 not really").unwrap();
    let mut locked_bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    locked_bytes.extend(std::iter::repeat_n(0u8, 4096));
    let locked = dir.path().join("locked.xlsx");
    std::fs::write(&locked, locked_bytes).unwrap();
    let truncated = dir.path().join("truncated.xlsx");
    let full = contacts_workbook().save_to_buffer().unwrap();
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    let empty = dir.path().join("empty.xlsx");
    std::fs::write(&empty, b"").unwrap();
    for (path, words) in [
        (&fake, "not a readable workbook"),
        (&locked, "password-protected"),
        (&truncated, "not a readable workbook"),
        (&empty, "empty"),
    ] {
        pipemap()
            .args(["inspect", path.to_str().unwrap()])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                path.file_name().unwrap().to_str().unwrap(),
            ))
            .stderr(predicate::str::contains(words))
            .stderr(predicate::str::contains("panicked").not());
    }
}
