//! Small hostile workbooks, made by each test, whose cells would unfold into gigabytes when
//! opened: each is read by pipemap under a 512 MiB address-space limit set by the test, and
//! must be refused with a message naming the file and the limit (or read right), without a
//! panic, with its peak memory under the limit. A small well-formed workbook of each format is
//! read alongside, so a refusal is the limit's doing and not a writer's mistake.

use crate::common;
use common::{ods, patch_part};

use common::limited::{apply, names};

#[test]
fn xlsx_a_cell_beyond_column_xfd_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(0, 0, "Name").unwrap();
    sheet.write_string(1, 0, "Ada").unwrap();
    sheet.write_string(2, 0, "Bob").unwrap();
    sheet.write_string(2, 2, "far").unwrap();
    let book = wb.save_to_buffer().unwrap();
    std::fs::write(dir.path().join("fine.xlsx"), &book).unwrap();
    let run = apply(dir.path(), "fine.xlsx");
    run.assert_clean();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(names(dir.path()), ["Ada", "Bob"]);
    // Column XFE is one past the last; XFDXFD far past it.
    for (reference, column) in [("XFE3", 16385), ("XFDXFD3", 287_981_568_u64)] {
        let wide = patch_part(&book, "xl/worksheets/sheet1.xml", |xml| {
            assert!(xml.contains("r=\"C3\""), "{xml}");
            xml.replace("r=\"C3\"", &format!("r=\"{reference}\""))
        });
        std::fs::write(dir.path().join("wide.xlsx"), wide).unwrap();
        let run = apply(dir.path(), "wide.xlsx");
        run.assert_refused(&[&format!(
            "wide.xlsx#Sheet1: refused: a cell at row 3 column {column} lies beyond the last cell a sheet can hold (XFD1048576)"
        )]);
    }
}

#[test]
fn xlsx_one_shared_string_in_every_cell_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let book = common::shared_string_bomb();
    assert!(book.len() < 1 << 20, "{} bytes", book.len());
    std::fs::write(dir.path().join("bomb.xlsx"), book).unwrap();
    let run = apply(dir.path(), "bomb.xlsx");
    run.assert_refused(&[
        "bomb.xlsx#Sheet1: refused: the sheet's cells expand to more than 128 MiB of text and empty cells between, past the limit for a workbook of this size",
    ]);
}

#[test]
fn xlsx_a_cell_at_column_xfd_on_every_row_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(0, 0, "Name").unwrap();
    // Each row: a name, and one cell 16,383 columns to its right.
    for row in 1..=100_000u32 {
        sheet.write_string(row, 0, "Ada").unwrap();
        sheet.write_number(row, 16_383, 1.0).unwrap();
    }
    let book = wb.save_to_buffer().unwrap();
    assert!(book.len() < 4 << 20, "{} bytes", book.len());
    std::fs::write(dir.path().join("far.xlsx"), book).unwrap();
    let run = apply(dir.path(), "far.xlsx");
    run.assert_refused(&[
        "far.xlsx#Sheet1: refused: the sheet's cells expand to more than 128 MiB of text and empty cells between, past the limit for a workbook of this size",
    ]);
}

fn ods_cell(text: &str, repeat: u32) -> String {
    format!(
        r#"<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

#[test]
fn ods_a_repeat_bomb_just_under_the_readers_cell_cap_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let header = format!("<table:table-row>{}</table:table-row>", ods_cell("Name", 1));
    let fine = format!(
        "{header}<table:table-row>{}</table:table-row><table:table-row>{}</table:table-row>",
        ods_cell("Ada", 1),
        ods_cell("Bob", 1)
    );
    std::fs::write(dir.path().join("fine.ods"), ods(&fine)).unwrap();
    let run = apply(dir.path(), "fine.ods");
    run.assert_clean();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(names(dir.path()), ["Ada", "Bob"]);
    // 99,999 rows of 1,000 cells: 99,999,000 cells, just under the reader's own cap of 100
    // million, in a file of a few hundred bytes.
    let bomb = format!(
        r#"{header}<table:table-row table:number-rows-repeated="99999">{}</table:table-row>"#,
        ods_cell("x", 1000)
    );
    let book = ods(&bomb);
    assert!(book.len() < 4096, "{} bytes", book.len());
    std::fs::write(dir.path().join("bomb.ods"), book).unwrap();
    let run = apply(dir.path(), "bomb.ods");
    run.assert_refused(&[
        "bomb.ods: refused: its repeated rows and cells expand to more than 512 MiB, past the limit for a workbook of this size",
    ]);
}

#[path = "memory_workbooks/xls.rs"]
mod xls;

#[test]
fn xls_a_small_workbook_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let sst = xls::sst(&["Name", "Ada", "Bob"]);
    let cells = [
        xls::label_sst(0, 0, 0),
        xls::label_sst(1, 0, 1),
        xls::label_sst(2, 0, 2),
    ];
    xls::write(&dir.path().join("fine.xls"), &sst, &cells);
    let run = apply(dir.path(), "fine.xls");
    run.assert_clean();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(names(dir.path()), ["Ada", "Bob"]);
}

/// An XLS Company cell merged over three people (a MergeCells record, MS-XLS 2.4.168): the
/// rows under it get its value, with the note the other workbook formats give.
#[test]
fn xls_rows_under_a_merged_cell_get_its_value_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let sst = xls::sst(&["Name", "Company", "Ada", "Acme", "Bob", "Cy", "Dee", "Beta"]);
    let mut merge = 1u16.to_le_bytes().to_vec();
    for v in [1u16, 3, 1, 1] {
        merge.extend_from_slice(&v.to_le_bytes()); // rows 2–4 of column B
    }
    let cells = [
        xls::label_sst(0, 0, 0),
        xls::label_sst(0, 1, 1),
        xls::label_sst(1, 0, 2),
        xls::label_sst(1, 1, 3),
        xls::label_sst(2, 0, 4),
        xls::label_sst(3, 0, 5),
        xls::label_sst(4, 0, 6),
        xls::label_sst(4, 1, 7),
        xls::record(0x00E5, &merge),
    ];
    xls::write(&dir.path().join("people.xls"), &sst, &cells);
    let note = "people.xls#People: 1 merged cell range(s) span rows (B2:B4): each range's value was carried down into every row it covers";
    let columns = "      Name: person.name\n      Company: organization.name\n";
    let orgs = common::organizations_after_merge(dir.path(), "people.xls", columns, note);
    assert_eq!(orgs, ["Acme", "Acme", "Acme", "Beta"]);
}

/// The refusal of an `.xls` whose opening would cost past the limit.
const XLS_REFUSED: &str =
    "would take more than 512 MiB to open, past the limit for a workbook of this size";

#[test]
fn xls_two_cells_a_sheet_apart_are_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let sst = xls::sst(&["Name", "Ada"]);
    let cells = [
        xls::label_sst(0, 0, 0),
        xls::label_sst(1, 0, 1),
        xls::number(65_535, 16_383, 1.0),
    ];
    xls::write(&dir.path().join("far.xls"), &sst, &cells);
    let run = apply(dir.path(), "far.xls");
    run.assert_refused(&["far.xls: refused: its sheets' extent", XLS_REFUSED]);
    // One column further is past the last a sheet can have.
    let cells = [xls::label_sst(0, 0, 0), xls::number(3, 16_384, 1.0)];
    xls::write(&dir.path().join("wide.xls"), &sst, &cells);
    let run = apply(dir.path(), "wide.xls");
    run.assert_clean();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "wide.xls: not a readable xls workbook: a cell at row 4 column 16385 lies beyond the last cell a sheet can hold (XFD1048576)"
        ),
        "{}",
        run.stderr
    );
}

/// Two cells far apart span a grid of 16 million cells: 518 MB as the reader parses the
/// sheet, and as much again for the copy of it handed out to be read (the fuzzer's 5.6 KB
/// input, which took 1 GB). A cell less far away is read, its row among the others.
#[test]
fn xls_a_sheet_whose_grid_and_its_copy_pass_the_limit_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let sst = xls::sst(&["Name", "Email", "Ada", "Bob"]);
    let people = |far: (u16, u16)| {
        vec![
            xls::label_sst(0, 0, 0),
            xls::label_sst(0, 1, 1),
            xls::label_sst(1, 0, 2),
            xls::label_sst(far.0, 0, 3),
            xls::number(far.0, far.1, 45_000.0),
        ]
    };
    let size = xls::write(&dir.path().join("far.xls"), &sst, &people((65_282, 247)));
    assert!(size < 32 << 10, "{size} bytes");
    let run = apply(dir.path(), "far.xls");
    run.assert_refused(&["far.xls: refused: its sheets' extent", XLS_REFUSED]);
    xls::write(&dir.path().join("near.xls"), &sst, &people((2_000, 60)));
    let run = apply(dir.path(), "near.xls");
    run.assert_clean();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(names(dir.path()), ["Ada", "Bob"]);
}

/// An Excel 97 (BIFF8) workbook's strings are Unicode whatever code page it declares; one
/// that declares windows-1252, as writers other than Excel do, is read as the same text.
#[test]
fn xls_a_biff8_workbook_declaring_windows_1252_reads_its_text_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let sst = xls::sst(&["Name", "Ada Lovelace", "Zo\u{eb} M\u{fc}ller"]);
    let cells = [
        xls::label_sst(0, 0, 0),
        xls::label_sst(1, 0, 1),
        xls::label_sst(2, 0, 2),
    ];
    for codepage in [None, Some(1252), Some(1200)] {
        let _ = std::fs::remove_dir_all(dir.path().join("out"));
        let stream = xls::stream_in(codepage, &sst, &cells);
        xls::write_stream(&dir.path().join("people.xls"), &stream);
        let run = apply(dir.path(), "people.xls");
        run.assert_clean();
        assert_eq!(run.code, Some(0), "{codepage:?}: {}", run.stderr);
        assert_eq!(
            names(dir.path()),
            ["Ada Lovelace", "Zo\u{eb} M\u{fc}ller"],
            "{codepage:?}"
        );
    }
}

#[test]
fn xls_a_declared_extent_of_four_billion_rows_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let sst = xls::sst(&["Name", "Ada"]);
    let cells = [
        xls::dimensions(0, u32::MAX, 0, 200),
        xls::label_sst(0, 0, 0),
        xls::label_sst(1, 0, 1),
    ];
    xls::write(&dir.path().join("dims.xls"), &sst, &cells);
    let run = apply(dir.path(), "dims.xls");
    run.assert_refused(&["dims.xls: refused: its sheets' extent", XLS_REFUSED]);
}

#[test]
fn xls_one_long_shared_string_in_many_cells_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(8_000);
    let sst = xls::sst(&["Name", &long]);
    let mut cells = vec![xls::label_sst(0, 0, 0)];
    cells.extend((1..60_000u16).map(|row| xls::label_sst(row, 0, 1)));
    let size = xls::write(&dir.path().join("bomb.xls"), &sst, &cells);
    assert!(size < 2 << 20, "{size} bytes");
    let run = apply(dir.path(), "bomb.xls");
    run.assert_refused(&["bomb.xls: refused: its sheets' extent", XLS_REFUSED]);
}

#[test]
fn xls_a_sheet_placed_past_the_stream_is_refused_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let sst = xls::sst(&["Name"]);
    let mut stream = xls::stream(&sst, &[xls::label_sst(0, 0, 0)]);
    xls::place_sheet(&mut stream, u32::MAX);
    xls::write_stream(&dir.path().join("lost.xls"), &stream);
    let run = apply(dir.path(), "lost.xls");
    run.assert_clean();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("lost.xls: not a readable xls workbook: a sheet starts at byte 4294967295"),
        "{}",
        run.stderr
    );
}

#[path = "memory_workbooks/xlsb.rs"]
mod xlsb;

fn people_xlsb(far: Option<u32>, rel: &str) -> Vec<u8> {
    let mut cells = vec![
        xlsb::row(0),
        xlsb::text(0, "Name"),
        xlsb::row(1),
        xlsb::text(0, "Ada"),
        xlsb::row(2),
        xlsb::text(0, "Bob"),
    ];
    if let Some(col) = far {
        cells.push(xlsb::text(col, "far"));
    }
    xlsb::workbook(&cells, rel)
}

#[test]
fn xlsb_a_small_workbook_is_read_and_a_cell_past_xfd_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fine.xlsb"), people_xlsb(None, "rId1")).unwrap();
    let run = apply(dir.path(), "fine.xlsb");
    run.assert_clean();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(names(dir.path()), ["Ada", "Bob"]);
    // Column 2^31: a sheet range spanning it would be billions of cells.
    std::fs::write(
        dir.path().join("wide.xlsb"),
        people_xlsb(Some(1 << 31), "rId1"),
    )
    .unwrap();
    let run = apply(dir.path(), "wide.xlsb");
    run.assert_refused(&[
        "wide.xlsb#People: refused: a cell at row 3 column 2147483649 lies beyond the last cell a sheet can hold (XFD1048576)",
    ]);
}

/// The workbook reader panics on a sheet whose relationship the package lacks (it looks the
/// id up by index): pipemap reports the workbook as damaged, by name, without a panic.
#[test]
fn xlsb_a_workbook_that_trips_the_reader_is_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lost.xlsb"), people_xlsb(None, "rId7")).unwrap();
    let run = apply(dir.path(), "lost.xlsb");
    run.assert_clean();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "lost.xlsb: the workbook is damaged: its reader stopped on data it could not read"
        ),
        "{}",
        run.stderr
    );
}
