//! Workbooks shaped as people shape them, found by trying the binary on sheets nobody had
//! tried: a report's title rows above the header, merged cells in OpenDocument sheets.

use crate::common;
use common::ods;

use common::apply_in as apply_raw;

/// A report saved as a workbook opens with its title and a "generated on" row above the
/// header; they were taken for the header and every row was rejected. They are passed over
/// and named, and the rows below the real header are exported.
#[test]
fn a_workbooks_title_rows_above_the_header_are_named_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Contacts").unwrap();
    sheet.write_string(0, 0, "Contacts report").unwrap();
    sheet.write_string(1, 0, "Generated 2024-05-01").unwrap();
    let rows = [
        ["Name", "Email", "Company"],
        ["Ada Lovelace", "ada@example.com", "Analytical"],
        ["Zoë Müller", "not-an-email", "Köln GmbH"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 3, c as u16, *cell).unwrap();
        }
    }
    book.save(dir.path().join("report.xlsx")).unwrap();
    let outcome = apply_raw(
        dir.path(),
        &["report.xlsx", "--entity", "person", "--out", "out"],
    );
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("2 row(s) of text above the header left out as the report's title: “Contacts report”, “Generated 2024-05-01”"),
        "{}",
        outcome.stderr
    );
    let out = dir.path().join("out");
    common::assert_reconciles(&out);
    let persons = common::rows(&out.join("02-persons.csv"));
    let names: Vec<&str> = persons
        .iter()
        .map(|r| r["Person - Name"].as_str())
        .collect();
    assert_eq!(names, ["Ada Lovelace", "Zoë Müller"]);
    // Lines are the sheet's own rows: the bad e-mail is on row 6.
    let warnings = std::fs::read_to_string(out.join("warnings.csv")).unwrap();
    assert!(
        warnings.contains("report.xlsx#Contacts,6,person,Email"),
        "{warnings}"
    );
}

/// An ODS Company cell merged over three people: the reader gives its value in the top row
/// only, and Bob and Cy lost their organization without a word. It is carried down, with the
/// same note as for XLSX sheets.
#[test]
fn rows_under_a_merged_ods_cell_get_its_value_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let cell = |text: &str, extra: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p></table:table-cell>"#
        )
    };
    let row = |cells: String| format!("<table:table-row>{cells}</table:table-row>");
    let covered = "<table:covered-table-cell/>";
    let rows = [
        row(cell("Name", "") + &cell("Email", "") + &cell("Company", "")),
        row(cell("Ada", "")
            + &cell("ada@example.com", "")
            + &cell("Acme", r#" table:number-rows-spanned="3""#)),
        row(cell("Bob", "") + &cell("bob@example.com", "") + covered),
        row(cell("Cy", "") + &cell("cy@example.com", "") + covered),
        row(cell("Dee", "") + &cell("dee@example.com", "") + &cell("Beta", "")),
    ]
    .concat();
    std::fs::write(dir.path().join("people.ods"), ods(&rows)).unwrap();
    let note = "people.ods#People: 1 merged cell range(s) span rows (C2:C4): each range's value was carried down into every row it covers";
    let columns = "      Name: person.name\n      Email: person.email:work\n      Company: organization.name\n";
    let orgs = common::organizations_after_merge(dir.path(), "people.ods", columns, note);
    assert_eq!(orgs, ["Acme", "Acme", "Acme", "Beta"]);
}
