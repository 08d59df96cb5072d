//! Any bytes as a workbook: the first byte picks the format (`.xlsx`, `.xlsb`, `.xls`, `.ods`),
//! the rest is the file. Its sheets are listed and each is read row by row to the end, as
//! `pipemap inspect` reads a workbook: the bomb and extent checks, then calamine.
//!
//! The workbook reader can panic on a damaged record; pipemap contains such a panic and reports
//! the workbook as damaged (`source::guard`). The hook below aborts on every other panic, so a
//! panic pipemap does not contain is still a crash.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use pipemap::source::guard::contained;
use pipemap::source::workbook::{Book, WorkbookKind, list_sheets, open_sheet};

/// Rows read from one sheet at most: enough to pass every check a sheet meets.
const MAX_ROWS: usize = 100_000;

fn hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if !contained() {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    hook();
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let kind = match pick % 4 {
        0 => WorkbookKind::Xlsx,
        1 => WorkbookKind::Xlsb,
        2 => WorkbookKind::Xls,
        _ => WorkbookKind::Ods,
    };
    let display = format!("fuzz.{}", kind.label());
    let Ok(list) = list_sheets(Book::Bytes(bytes.to_vec()), kind, &display) else {
        return;
    };
    for sheet in list.sheets.iter().take(8) {
        let source = format!("{display}#{sheet}");
        let Ok(mut rows) = open_sheet(Book::Bytes(bytes.to_vec()), kind, &display, sheet, &source)
        else {
            continue;
        };
        for _ in 0..MAX_ROWS {
            match rows.next_row() {
                Ok(Some((_, cells))) => {
                    assert!(cells.len() <= 16_384, "no row is wider than a sheet");
                }
                _ => break,
            }
        }
    }
});
