//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) through calamine: every visible,
//! non-empty worksheet is a table named `file.xlsx#Sheet name`.
//!
//! A sheet is read on a thread of its own that hands rows over a bounded channel, so an XLSX
//! sheet of a million rows streams (calamine's cell reader) instead of sitting in memory; the
//! older formats are read whole by calamine and then handed over the same way. The first
//! non-empty row is the header; empty rows are passed over; a record's line is its row number.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{DataRef, Reader, SheetType, SheetVisible, Sheets, open_workbook_from_rs};

use super::SourceError;
use super::archive;
use super::cells::{RowBuilder, data_ref_text, data_text};
use super::guard::contain;

/// Rows handed over ahead of the reader.
const CHANNEL_ROWS: usize = 1024;

/// The workbook formats pipemap reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97–2003 (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl WorkbookKind {
    /// The format a file name's extension says, if it names a workbook.
    pub fn from_name(name: &str) -> Option<WorkbookKind> {
        let ext = name.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" => Some(WorkbookKind::Xlsx),
            "xlsb" => Some(WorkbookKind::Xlsb),
            "xls" => Some(WorkbookKind::Xls),
            "ods" => Some(WorkbookKind::Ods),
            _ => None,
        }
    }

    /// The format's usual extension (`xlsx`).
    pub fn label(self) -> &'static str {
        match self {
            WorkbookKind::Xlsx => "xlsx",
            WorkbookKind::Xlsb => "xlsb",
            WorkbookKind::Xls => "xls",
            WorkbookKind::Ods => "ods",
        }
    }
}

/// Where a workbook's bytes are: a file, or a member of an archive read into memory.
#[derive(Debug, Clone)]
pub enum Book {
    /// A workbook file on disk.
    File(PathBuf),
    /// A workbook's bytes (from inside a ZIP archive).
    Bytes(Vec<u8>),
}

/// The sheets of a workbook that are tables, and notes on the ones passed over.
#[derive(Debug, Default)]
pub struct SheetList {
    /// Visible, non-empty worksheets, in workbook order.
    pub sheets: Vec<String>,
    /// Sheets left out (hidden, empty), and why.
    pub notes: Vec<String>,
}

/// Lists the sheets that are tables; `display` is the workbook's source name.
pub fn list_sheets(
    book: Book,
    kind: WorkbookKind,
    display: &str,
) -> Result<SheetList, SourceError> {
    precheck(&book, kind, display)?;
    match book {
        Book::File(path) => {
            let file = File::open(&path).map_err(|e| super::io_error(display, e))?;
            contain(display, || {
                list_in(open(BufReader::new(file), kind, display)?, kind, display)
            })
        }
        Book::Bytes(bytes) => contain(display, || {
            list_in(open(Cursor::new(bytes), kind, display)?, kind, display)
        }),
    }
}

/// Opens a sheet for reading row by row; `source` is its source name (`book.xlsx#Contacts`).
pub fn open_sheet(
    book: Book,
    kind: WorkbookKind,
    display: &str,
    sheet: &str,
    source: &str,
) -> Result<SheetRows, SourceError> {
    precheck(&book, kind, display)?;
    let (tx, rx) = sync_channel(CHANNEL_ROWS);
    let (display_owned, sheet_owned, source_owned) =
        (display.to_string(), sheet.to_string(), source.to_string());
    std::thread::Builder::new()
        .name("pipemap-sheet".into())
        .spawn(move || {
            let (display, sheet, source) = (&display_owned, &sheet_owned, &source_owned);
            let result = contain(source, || match book {
                Book::File(path) => File::open(&path)
                    .map_err(|e| super::io_error(display, e))
                    .and_then(|f| {
                        let size = f.metadata().map_or(0, |m| m.len());
                        let merges = match (kind, File::open(&path)) {
                            (WorkbookKind::Ods, Ok(again)) => {
                                ods_merged_regions(BufReader::new(again), sheet)
                            }
                            _ => Vec::new(),
                        };
                        let wb = open(BufReader::new(f), kind, display)?;
                        let budget = Budget::for_book(size);
                        stream_in(wb, kind, sheet, source, budget, merges, &tx)
                    }),
                Book::Bytes(bytes) => {
                    let size = bytes.len() as u64;
                    let merges = match kind {
                        WorkbookKind::Ods => ods_merged_regions(Cursor::new(&bytes[..]), sheet),
                        _ => Vec::new(),
                    };
                    open(Cursor::new(bytes), kind, display).and_then(|wb| {
                        let budget = Budget::for_book(size);
                        stream_in(wb, kind, sheet, source, budget, merges, &tx)
                    })
                }
            });
            if let Err(err) = result {
                let _ = tx.send(Msg::Failed(err));
            }
        })
        .map_err(|e| super::io_error(source, e))?;
    let mut rows = SheetRows {
        rx,
        source: source.to_string(),
        bytes: 0,
        rows_hint: None,
        done: false,
        notes: Vec::new(),
        ahead: VecDeque::new(),
    };
    match rows.rx.recv() {
        Ok(Msg::Opened(hint, notes)) => {
            rows.rows_hint = hint;
            rows.notes = notes;
        }
        Ok(Msg::Failed(err)) => return Err(err),
        _ => return Err(rows.stopped()),
    }
    Ok(rows)
}

/// A sheet being read: rows as text, in sheet order, empty rows passed over.
pub struct SheetRows {
    rx: Receiver<Msg>,
    source: String,
    bytes: u64,
    rows_hint: Option<u64>,
    done: bool,
    /// What the reader did to the sheet's cells that a user should know (merged cells
    /// carried down).
    pub notes: Vec<String>,
    /// Rows read ahead to find the header, handed out before the rest.
    ahead: VecDeque<(u64, Vec<String>)>,
}

/// Rows read ahead of the header to find a report's title rows: up to five titles, the
/// header and the row after it.
const TITLE_LOOKAHEAD: usize = 7;

/// How many rows of at most one filled cell open a sheet above its header: counted only when
/// a row of at least three filled cells follows and the row after it has two or more, so a
/// one-column sheet keeps its first row (as `sniff::title_lines` does for text).
fn title_rows(rows: &[&[String]]) -> usize {
    let filled = |row: &[String]| row.iter().filter(|c| !c.trim().is_empty()).count();
    let titles = rows.iter().take_while(|r| filled(r) <= 1).count();
    if titles == 0 || titles > 5 {
        return 0;
    }
    let header = rows.get(titles).map_or(0, |r| filled(r));
    let next = rows.get(titles + 1).map_or(0, |r| filled(r));
    if header >= 3 && next >= 2 { titles } else { 0 }
}

enum Msg {
    Opened(Option<u64>, Vec<String>),
    Row(u64, Vec<String>),
    End,
    Failed(SourceError),
}

impl SheetRows {
    /// The next non-empty row with its 1-based row number, or None after the last.
    pub fn next_row(&mut self) -> Result<Option<(u64, Vec<String>)>, SourceError> {
        match self.ahead.pop_front() {
            Some(row) => Ok(Some(row)),
            None => self.receive(),
        }
    }

    /// The next row from the reader.
    fn receive(&mut self) -> Result<Option<(u64, Vec<String>)>, SourceError> {
        if self.done {
            return Ok(None);
        }
        match self.rx.recv() {
            Ok(Msg::Row(line, cells)) => {
                self.bytes += cells.iter().map(|c| c.len() as u64 + 1).sum::<u64>();
                Ok(Some((line, cells)))
            }
            Ok(Msg::End) => {
                self.done = true;
                Ok(None)
            }
            Ok(Msg::Failed(err)) => {
                self.done = true;
                Err(err)
            }
            Ok(Msg::Opened(..)) => self.receive(),
            Err(_) => {
                self.done = true;
                Err(self.stopped())
            }
        }
    }

    /// Passes over a report's title rows above its header (a title, a "generated on" line:
    /// one filled cell each) and returns their text; the header and the rows after it are
    /// handed out as before. Only a few rows are read ahead to decide.
    pub fn skip_title_rows(&mut self) -> Result<Vec<String>, SourceError> {
        while self.ahead.len() < TITLE_LOOKAHEAD {
            match self.receive()? {
                Some(row) => self.ahead.push_back(row),
                None => break,
            }
        }
        let rows: Vec<&[String]> = self.ahead.iter().map(|(_, r)| r.as_slice()).collect();
        let titles = title_rows(&rows);
        Ok(self
            .ahead
            .drain(..titles)
            .map(|(_, cells)| {
                let filled: Vec<&str> = cells
                    .iter()
                    .map(|c| c.trim())
                    .filter(|c| !c.is_empty())
                    .collect();
                // A title is named, not quoted whole: a cell may be long.
                filled.join(" ").chars().take(80).collect()
            })
            .collect())
    }

    /// Text handed out so far, in bytes (cells plus one separator each).
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// Rows below the first used row, as the sheet declares its extent (when it does).
    pub fn rows_hint(&self) -> Option<u64> {
        self.rows_hint
    }

    fn stopped(&self) -> SourceError {
        SourceError::Corrupt {
            file: self.source.clone(),
            message: "the workbook reader stopped unexpectedly (is the workbook damaged?)".into(),
        }
    }
}

/// Refuses an encrypted workbook and a ZIP bomb before calamine unpacks anything.
fn precheck(book: &Book, kind: WorkbookKind, display: &str) -> Result<(), SourceError> {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut head = [0u8; 8];
    let n = match book {
        Book::File(path) => File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .map_err(|e| super::io_error(display, e))?,
        Book::Bytes(bytes) => {
            let n = bytes.len().min(8);
            head[..n].copy_from_slice(&bytes[..n]);
            n
        }
    };
    if n == 0 {
        return Err(SourceError::Empty {
            file: display.to_string(),
        });
    }
    let zip_based = matches!(
        kind,
        WorkbookKind::Xlsx | WorkbookKind::Xlsb | WorkbookKind::Ods
    );
    if zip_based && head == CFB {
        // Excel stores a password-protected .xlsx as an encrypted OLE container.
        return Err(SourceError::Encrypted {
            file: display.to_string(),
        });
    }
    if zip_based {
        match book {
            Book::File(path) => archive::check_package(path, display)?,
            Book::Bytes(bytes) => archive::check_package_from(Cursor::new(bytes), display)?,
        }
    }
    if kind == WorkbookKind::Xls {
        match book {
            Book::File(path) => {
                let file = File::open(path).map_err(|e| super::io_error(display, e))?;
                let size = file.metadata().map_or(0, |m| m.len());
                check_xls_cost(BufReader::new(file), size, display)?;
            }
            Book::Bytes(bytes) => check_xls_cost(Cursor::new(bytes), bytes.len() as u64, display)?,
        }
    }
    if kind == WorkbookKind::Ods {
        match book {
            Book::File(path) => {
                let file = File::open(path).map_err(|e| super::io_error(display, e))?;
                let size = file.metadata().map_or(0, |m| m.len());
                check_ods_expansion(BufReader::new(file), size, display)?;
            }
            Book::Bytes(bytes) => {
                check_ods_expansion(Cursor::new(bytes), bytes.len() as u64, display)?
            }
        }
    }
    Ok(())
}

/// Refuses an ODS workbook whose repeated rows and cells expand past the limit.
fn check_ods_expansion(
    package: impl Read + Seek,
    size: u64,
    display: &str,
) -> Result<(), SourceError> {
    use super::ods_limits::{FLOOR_BYTES, PER_BOOK_BYTE, expansion};
    let Ok(mut zip) = zip::ZipArchive::new(package) else {
        return Ok(()); // calamine names the damage
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let limit = FLOOR_BYTES.max(size.saturating_mul(PER_BOOK_BYTE));
    match expansion(content, limit) {
        Ok(Err(_)) => Err(SourceError::TooLarge {
            file: display.to_string(),
            message: format!(
                "its repeated rows and cells expand to more than {} MiB, past the limit for a workbook of this size (a repeat bomb?)",
                limit >> 20
            ),
        }),
        _ => Ok(()),
    }
}

/// Refuses an `.xls` whose opening (the reader gathers every sheet whole) would cost past the
/// limit, or whose structure is too damaged to tell.
fn check_xls_cost(book: impl Read + Seek, size: u64, display: &str) -> Result<(), SourceError> {
    use super::xls_limits::{FLOOR_BYTES, PER_BOOK_BYTE, Refusal, cost, workbook_stream};
    let limit = FLOOR_BYTES.max(size.saturating_mul(PER_BOOK_BYTE));
    let refusal = match workbook_stream(book).and_then(|stream| cost(&stream, limit)) {
        Ok(_) => return Ok(()),
        Err(refusal) => refusal,
    };
    Err(match refusal {
        Refusal::Damaged(what) => SourceError::Corrupt {
            file: display.to_string(),
            message: format!("not a readable xls workbook: {what}"),
        },
        Refusal::TooLarge(_) => SourceError::TooLarge {
            file: display.to_string(),
            message: format!(
                "its sheets' extent, cells and shared strings would take more than {} MiB to open, past the limit for a workbook of this size",
                limit >> 20
            ),
        },
    })
}

fn open<RS: Read + Seek>(
    rs: RS,
    kind: WorkbookKind,
    display: &str,
) -> Result<Sheets<RS>, SourceError> {
    let opened: Result<Sheets<RS>, calamine::Error> = match kind {
        WorkbookKind::Xlsx => open_workbook_from_rs(rs)
            .map(Sheets::Xlsx)
            .map_err(Into::into),
        WorkbookKind::Xlsb => open_workbook_from_rs(rs)
            .map(Sheets::Xlsb)
            .map_err(Into::into),
        WorkbookKind::Xls => open_xls(rs).map(Sheets::Xls).map_err(Into::into),
        WorkbookKind::Ods => open_workbook_from_rs(rs)
            .map(Sheets::Ods)
            .map_err(Into::into),
    };
    opened.map_err(|e| book_error(display, kind, e))
}

/// Opens an `.xls`. A BIFF8 workbook's strings are Unicode whatever code page it declares;
/// the reader would decode them through the declared one, and a workbook that declares
/// windows-1252 (as some writers other than Excel do) would come out as `N\0a\0m\0e`. So a
/// BIFF8 workbook is read as UTF-16, the code page Excel itself writes; older ones keep theirs.
fn open_xls<RS: Read + Seek>(mut rs: RS) -> Result<calamine::Xls<RS>, calamine::XlsError> {
    let head = super::xls_limits::stream_head(&mut rs);
    rs.seek(std::io::SeekFrom::Start(0))
        .map_err(calamine::XlsError::Io)?;
    let mut options = calamine::XlsOptions::default();
    if head.is_some_and(|h| super::xls_limits::is_biff8(&h)) {
        options.force_codepage = Some(1200);
    }
    calamine::Xls::new_with_options(rs, options)
}

fn book_error(file: &str, kind: WorkbookKind, err: calamine::Error) -> SourceError {
    use calamine::{Error, OdsError, XlsError, XlsbError};
    match err {
        Error::Xls(XlsError::Password)
        | Error::Xlsb(XlsbError::Password)
        | Error::Ods(OdsError::Password) => SourceError::Encrypted {
            file: file.to_string(),
        },
        other => SourceError::Corrupt {
            file: file.to_string(),
            message: format!(
                "not a readable {} workbook (corrupt, truncated, or not really a workbook: {other})",
                kind.label()
            ),
        },
    }
}

fn list_in<RS: Read + Seek>(
    mut wb: Sheets<RS>,
    kind: WorkbookKind,
    display: &str,
) -> Result<SheetList, SourceError> {
    let mut list = SheetList::default();
    for sheet in wb.sheets_metadata().to_vec() {
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        if sheet.visible != SheetVisible::Visible {
            list.notes.push(format!(
                "{display}: skipped the hidden sheet {:?} (name it as {display}#{} to read it)",
                sheet.name, sheet.name
            ));
            continue;
        }
        let source = format!("{display}#{}", sheet.name);
        let used = match &mut wb {
            Sheets::Xlsx(x) => {
                let mut cells = x
                    .worksheet_cells_reader(&sheet.name)
                    .map_err(|e| book_error(&source, kind, e.into()))?;
                any_text(&source, kind, || cells.next_cell())?
            }
            Sheets::Xlsb(x) => {
                let mut cells = x
                    .worksheet_cells_reader(&sheet.name)
                    .map_err(|e| book_error(&source, kind, e.into()))?;
                any_text(&source, kind, || cells.next_cell())?
            }
            other => other
                .worksheet_range(&sheet.name)
                .map_err(|e| book_error(&source, kind, e))?
                .used_cells()
                .any(|(_, _, c)| !data_text(c).trim().is_empty()),
        };
        if used {
            list.sheets.push(sheet.name);
        } else {
            list.notes
                .push(format!("{source}: the sheet is empty; skipped"));
        }
    }
    Ok(list)
}

/// True when a sheet read cell by cell holds a cell with text. `next` is the xlsx or xlsb cell
/// reader's `next_cell` (two calamine types with no trait in common); an xlsb cell's reference
/// is checked before its value is read, as when its rows are streamed.
fn any_text<'a, E: Into<calamine::Error>>(
    source: &str,
    kind: WorkbookKind,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, E>,
) -> Result<bool, SourceError> {
    while let Some(cell) = next().map_err(|e| book_error(source, kind, e.into()))? {
        if kind == WorkbookKind::Xlsb {
            let (row, col) = cell.get_position();
            check_reference(source, row, col)?;
        }
        if !data_ref_text(cell.get_value()).trim().is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The merged ranges of an ODS sheet, from the package's `content.xml` (the workbook reader
/// does not give them); none when the package cannot be read (the reader names the damage).
fn ods_merged_regions(package: impl Read + Seek, sheet: &str) -> Vec<calamine::Dimensions> {
    let Ok(mut zip) = zip::ZipArchive::new(package) else {
        return Vec::new();
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Vec::new();
    };
    super::ods_merges::merged_regions(BufReader::new(content), sheet)
}

/// Sends a sheet's rows; returns early (and quietly) when the reader has gone away.
/// `ods_merges` are an ODS sheet's merged ranges, which the reader itself does not give.
fn stream_in<RS: Read + Seek>(
    mut wb: Sheets<RS>,
    kind: WorkbookKind,
    sheet: &str,
    source: &str,
    mut budget: Budget,
    ods_merges: Vec<calamine::Dimensions>,
    tx: &SyncSender<Msg>,
) -> Result<(), SourceError> {
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == sheet) {
        return Err(SourceError::NoSuchTable {
            file: source.to_string(),
            found: names.join(", "),
        });
    }
    let mut builder = RowBuilder::default();
    match &mut wb {
        Sheets::Xlsx(x) => {
            let cells = x
                .worksheet_cells_reader(sheet)
                .map_err(|e| book_error(source, kind, e.into()))?;
            let dims = cells.dimensions();
            let declared = dims != calamine::Dimensions::default();
            builder.first_col = if declared { dims.start.1 } else { 0 };
            let hint = declared.then(|| u64::from(dims.end.0 - dims.start.0));
            drop(cells);
            let regions = x
                .merge_cells_by_sheet_name(sheet)
                .map_err(|e| book_error(source, kind, e.into()))?;
            let mut merged = MergedCells::new(regions, builder.first_col);
            let notes = merged.note().into_iter().collect();
            if tx.send(Msg::Opened(hint, notes)).is_err() {
                return Ok(());
            }
            let mut cells = x
                .worksheet_cells_reader(sheet)
                .map_err(|e| book_error(source, kind, e.into()))?;
            while let Some(cell) = cells
                .next_cell()
                .map_err(|e| book_error(source, kind, e.into()))?
            {
                let (row, col) = cell.get_position();
                check_reference(source, row, col)?;
                let text = data_ref_text(cell.get_value());
                budget.spend(source, text.len())?;
                if let Some((line, mut row)) = builder.push(row, col, text) {
                    budget.spend_row(source, &row)?;
                    merged.fill(line, &mut row);
                    if tx.send(Msg::Row(line, row)).is_err() {
                        return Ok(());
                    }
                }
            }
            if let Some((line, mut row)) = builder.take() {
                budget.spend_row(source, &row)?;
                merged.fill(line, &mut row);
                let _ = tx.send(Msg::Row(line, row));
            }
        }
        Sheets::Xlsb(x) => {
            // Streamed like XLSX: a whole-sheet range would be allocated for the extent its
            // cells span before a single reference could be checked.
            let mut cells = x
                .worksheet_cells_reader(sheet)
                .map_err(|e| book_error(source, kind, e.into()))?;
            let dims = cells.dimensions();
            let declared = dims != calamine::Dimensions::default()
                && dims.end.0 <= MAX_ROW
                && dims.end.1 <= MAX_COL
                && dims.start.0 <= dims.end.0
                && dims.start.1 <= dims.end.1;
            builder.first_col = if declared { dims.start.1 } else { 0 };
            let hint = declared.then(|| u64::from(dims.end.0 - dims.start.0));
            if tx.send(Msg::Opened(hint, Vec::new())).is_err() {
                return Ok(());
            }
            while let Some(cell) = cells
                .next_cell()
                .map_err(|e| book_error(source, kind, e.into()))?
            {
                let (row, col) = cell.get_position();
                check_reference(source, row, col)?;
                let text = data_ref_text(cell.get_value());
                budget.spend(source, text.len())?;
                if let Some((line, row)) = builder.push(row, col, text) {
                    budget.spend_row(source, &row)?;
                    if tx.send(Msg::Row(line, row)).is_err() {
                        return Ok(());
                    }
                }
            }
        }
        other => {
            // XLS keeps its merged ranges with the sheet; ODS ones were read from the package.
            let regions = match other {
                Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
                _ => ods_merges,
            };
            let range = other
                .worksheet_range(sheet)
                .map_err(|e| book_error(source, kind, e))?;
            let (first_row, first_col) = range.start().unwrap_or((0, 0));
            let hint = Some(range.height().saturating_sub(1) as u64);
            let mut merged = MergedCells::new(regions, first_col);
            let notes = merged.note().into_iter().collect();
            if tx.send(Msg::Opened(hint, notes)).is_err() {
                return Ok(());
            }
            builder.first_col = first_col;
            for (i, row) in range.rows().enumerate() {
                for (j, cell) in row.iter().enumerate() {
                    let (r, c) = (first_row + i as u32, first_col + j as u32);
                    let text = data_text(cell);
                    budget.spend(source, text.len())?;
                    if let Some((line, mut row)) = builder.push(r, c, text) {
                        budget.spend_row(source, &row)?;
                        merged.fill(line, &mut row);
                        if tx.send(Msg::Row(line, row)).is_err() {
                            return Ok(());
                        }
                    }
                }
            }
            if let Some((line, mut row)) = builder.take() {
                budget.spend_row(source, &row)?;
                merged.fill(line, &mut row);
                let _ = tx.send(Msg::Row(line, row));
            }
        }
    }
    if let Some((line, row)) = builder.take() {
        budget.spend_row(source, &row)?;
        let _ = tx.send(Msg::Row(line, row));
    }
    let _ = tx.send(Msg::End);
    Ok(())
}

/// The last row and column a sheet may use: Excel's own limits (row 1,048,576, column XFD).
const MAX_ROW: u32 = 1_048_575;
const MAX_COL: u32 = 16_383;

/// Refuses a cell beyond Excel's grid before its row is widened to reach it.
fn check_reference(source: &str, row: u32, col: u32) -> Result<(), SourceError> {
    if row > MAX_ROW || col > MAX_COL {
        return Err(SourceError::TooLarge {
            file: source.to_string(),
            message: format!(
                "a cell at row {} column {} lies beyond the last cell a sheet can hold (XFD1048576); the workbook is damaged or made to exhaust memory",
                u64::from(row) + 1,
                u64::from(col) + 1
            ),
        });
    }
    Ok(())
}

/// How much text (and room for the empty cells between) a sheet may expand to: generous for
/// any real export, but not the gigabytes a few kilobytes of shared strings (one long string
/// referenced by every cell) or of far-apart cells unfold into.
struct Budget {
    left: u64,
    limit: u64,
}

/// Text a sheet may always hand out, however small its workbook.
const TEXT_FLOOR_BYTES: u64 = 128 << 20;
/// How many times its workbook's size a sheet's text may be past the floor.
const TEXT_PER_BOOK_BYTE: u64 = 100;

impl Budget {
    fn for_book(size: u64) -> Budget {
        let limit = TEXT_FLOOR_BYTES.max(size.saturating_mul(TEXT_PER_BOOK_BYTE));
        Budget { left: limit, limit }
    }

    /// A row handed over holds a cell for every column up to its last, empty or not: a cell
    /// at column XFD on every row is 16,384 cells a row however little text the sheet has.
    fn spend_row(&mut self, source: &str, row: &[String]) -> Result<(), SourceError> {
        self.spend(source, std::mem::size_of_val(row))
    }

    fn spend(&mut self, source: &str, bytes: usize) -> Result<(), SourceError> {
        match self.left.checked_sub(bytes as u64) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(SourceError::TooLarge {
                file: source.to_string(),
                message: format!(
                    "the sheet's cells expand to more than {} MiB of text and empty cells between, past the limit for a workbook of this size (cells repeating one long shared string, or far apart?)",
                    self.limit >> 20
                ),
            }),
        }
    }
}

/// A sheet's merged cells that span rows: the value sits in the top cell only, and the rows
/// below would lose it (a Company cell merged over its people). It is carried down into each
/// row the range covers, in the range's first column.
struct MergedCells {
    /// (first row, last row, column in the table), 0-based sheet rows, by first row.
    ranges: Vec<(u32, u32, usize)>,
    /// The top cell's value of each range, once its row has passed.
    values: Vec<Option<String>>,
    /// Ranges before this one are behind the rows read.
    passed: usize,
    /// The sheet column that is the table's first, for naming ranges.
    first_col: u32,
}

impl MergedCells {
    fn new(regions: Vec<calamine::Dimensions>, first_col: u32) -> MergedCells {
        let mut ranges: Vec<(u32, u32, usize)> = regions
            .iter()
            .filter(|d| d.end.0 > d.start.0 && d.start.1 >= first_col)
            .map(|d| (d.start.0, d.end.0, (d.start.1 - first_col) as usize))
            .collect();
        ranges.sort_unstable();
        let values = vec![None; ranges.len()];
        MergedCells {
            ranges,
            values,
            passed: 0,
            first_col,
        }
    }

    /// The warning that merged cells were carried down, naming the first ranges.
    fn note(&self) -> Option<String> {
        if self.ranges.is_empty() {
            return None;
        }
        const SHOWN: usize = 5;
        let names: Vec<String> = self
            .ranges
            .iter()
            .take(SHOWN)
            .map(|&(top, bottom, col)| {
                let letter = column_letters(col + self.first_col as usize);
                format!("{letter}{}:{letter}{}", top + 1, bottom + 1)
            })
            .collect();
        let more = self.ranges.len().saturating_sub(SHOWN);
        Some(format!(
            "{} merged cell range(s) span rows ({}{}): each range's value was carried down into every row it covers",
            self.ranges.len(),
            names.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ))
    }

    /// Fills the row `line` (1-based) under the ranges that cover it.
    fn fill(&mut self, line: u64, row: &mut Vec<String>) {
        let r = (line - 1) as u32;
        while self.passed < self.ranges.len() && self.ranges[self.passed].1 < r {
            self.values[self.passed] = None;
            self.passed += 1;
        }
        for i in self.passed..self.ranges.len() {
            let (top, bottom, col) = self.ranges[i];
            if top > r {
                break;
            }
            if r > bottom {
                continue;
            }
            if r == top {
                self.values[i] = row.get(col).cloned().filter(|v| !v.is_empty());
            } else if let Some(value) = &self.values[i]
                && row.get(col).is_none_or(String::is_empty)
            {
                if row.len() <= col {
                    row.resize(col + 1, String::new());
                }
                row[col] = value.clone();
            }
        }
    }
}

/// `A`, `B`, … `Z`, `AA` for a 0-based column.
fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_rows_are_counted_only_above_a_wide_header_and_a_row_below_it() {
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let title = row(&["Contacts report"]);
        let dated = row(&["", "Generated 2024-05-01"]);
        let header = row(&["Name", "Email", "Company"]);
        let data = row(&["Ada", "ada@example.com"]);
        let rows = |r: &[&Vec<String>]| r.iter().map(|v| v.to_vec()).collect::<Vec<_>>();
        let count = |r: Vec<Vec<String>>| {
            let refs: Vec<&[String]> = r.iter().map(Vec::as_slice).collect();
            title_rows(&refs)
        };
        assert_eq!(count(rows(&[&title, &dated, &header, &data])), 2);
        assert_eq!(count(rows(&[&header, &data])), 0, "no title");
        assert_eq!(
            count(rows(&[&title, &header])),
            0,
            "no row below the header"
        );
        let one_column = row(&["Name"]);
        assert_eq!(count(rows(&[&one_column, &row(&["Ada"])])), 0);
        let narrow = row(&["Name", "Email"]);
        assert_eq!(
            count(rows(&[&title, &narrow, &data])),
            0,
            "header too narrow"
        );
    }

    #[test]
    fn kinds_come_from_the_extension() {
        assert_eq!(WorkbookKind::from_name("a.XLSX"), Some(WorkbookKind::Xlsx));
        assert_eq!(WorkbookKind::from_name("a.xlsm"), Some(WorkbookKind::Xlsx));
        assert_eq!(WorkbookKind::from_name("a.ods"), Some(WorkbookKind::Ods));
        assert_eq!(WorkbookKind::from_name("a.csv"), None);
    }

    /// A cell reader's `next_cell` over these cells.
    fn cells(
        list: Vec<((u32, u32), DataRef<'static>)>,
    ) -> impl FnMut() -> Result<Option<calamine::Cell<DataRef<'static>>>, calamine::Error> {
        let mut list = list.into_iter();
        move || Ok(list.next().map(|(at, v)| calamine::Cell::new(at, v)))
    }

    #[test]
    fn a_sheet_is_used_when_a_cell_holds_text() {
        let blank = || {
            vec![
                ((0, 0), DataRef::Empty),
                ((0, 1), DataRef::String("  ".into())),
            ]
        };
        for kind in [WorkbookKind::Xlsx, WorkbookKind::Xlsb] {
            assert!(!any_text("b.xlsx#S", kind, cells(blank())).unwrap());
            let mut used = blank();
            used.push(((1, 0), DataRef::String("Acme".into())));
            assert!(any_text("b.xlsx#S", kind, cells(used)).unwrap());
            let mut list = blank().into_iter();
            let error = any_text("b.xlsx#S", kind, move || match list.next() {
                Some((at, v)) => Ok(Some(calamine::Cell::new(at, v))),
                None => Err(calamine::Error::Msg("truncated")),
            });
            assert!(error.is_err(), "a read error is the workbook's");
        }
    }

    #[test]
    fn an_xlsb_cell_past_excels_limits_is_refused() {
        let far = || vec![((MAX_ROW + 1, 0), DataRef::String("x".into()))];
        assert!(any_text("b.xlsb#S", WorkbookKind::Xlsb, cells(far())).is_err());
        assert!(any_text("b.xlsx#S", WorkbookKind::Xlsx, cells(far())).unwrap());
    }
}
