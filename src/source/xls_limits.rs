//! An Excel 97–2003 workbook (`.xls`) is read whole by the workbook reader when it opens: every
//! sheet's cells are gathered, room is reserved for the extent each sheet's DIMENSIONS record
//! declares, and each sheet becomes a grid spanning its first to its last cell. A few bytes can
//! declare four billion rows, place two cells 65,535 columns apart, or point thousands of cells
//! at one long shared string. What opening would cost is added up here from the workbook
//! stream's records, walked as the reader walks them (MS-XLS 2.4: BoundSheet8, SST,
//! DIMENSIONS and the cell records), and a workbook past the limit is refused before the reader
//! starts. Every opening parses all sheets, and the sheet then read is handed out as a copy of
//! its grid (calamine's `worksheet_range` clones it, strings and all), so the largest sheet's
//! grid and text count twice. Only sizes and positions are looked at; the reading itself is
//! calamine's.

use std::io::{Read, Seek};

/// Bytes opening an `.xls` may always cost, however small it is.
pub const FLOOR_BYTES: u64 = 512 << 20;
/// How many times its own size past the floor opening an `.xls` may cost.
pub const PER_BOOK_BYTE: u64 = 100;

/// A gathered cell before it is placed: its position and value.
const CELL_BYTES: u64 = 40;
/// A cell of a sheet's grid (an empty one too).
const GRID_BYTES: u64 = 32;
/// A formula's cell of the formula grid.
const FORMULA_GRID_BYTES: u64 = 24;
/// How many bytes of text one byte of a formula's tokens may become (a 3-byte token naming a
/// sheet or a defined name of up to 255 characters).
const FORMULA_TEXT_PER_BYTE: u64 = 100;
/// UTF-8 bytes one character of a workbook string may take.
const UTF8_PER_CHAR: u64 = 3;

/// Why a workbook is refused: damaged so that its cost cannot be told, or too costly.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The structure the reader would follow is broken (`what` says how).
    Damaged(String),
    /// Opening would cost more than the limit (bytes, at least).
    TooLarge(u64),
}

/// One BIFF record: its type and data, with the CONTINUE records that follow it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// The records of a stream from an offset, as the reader splits them.
fn records(stream: &[u8]) -> impl Iterator<Item = Result<Record<'_>, Refusal>> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some((typ, data, next)) = split_record(rest) else {
            rest = &[];
            return Some(Err(Refusal::Damaged("a record runs past the end".into())));
        };
        rest = next;
        let mut cont = Vec::new();
        while rest.len() > 4 && u16_at(rest, 0) == 0x003C {
            let Some((_, data, next)) = split_record(rest) else {
                rest = &[];
                return Some(Err(Refusal::Damaged("a record runs past the end".into())));
            };
            cont.push(data);
            rest = next;
        }
        Some(Ok(Record { typ, data, cont }))
    })
}

fn split_record(stream: &[u8]) -> Option<(u16, &[u8], &[u8])> {
    if stream.len() < 4 {
        return None;
    }
    let len = usize::from(u16_at(stream, 2));
    let end = 4 + len;
    (stream.len() >= end).then(|| (u16_at(stream, 0), &stream[4..end], &stream[end..]))
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(x) => u16::from_le_bytes([x[0], x[1]]),
        None => 0,
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(x) => u32::from_le_bytes([x[0], x[1], x[2], x[3]]),
        None => 0,
    }
}

/// The workbook stream of an `.xls` container, read whole (as the reader reads it).
pub fn workbook_stream(reader: impl Read + Seek) -> Result<Vec<u8>, Refusal> {
    let mut cfb = cfb::CompoundFile::open(reader)
        .map_err(|e| Refusal::Damaged(format!("its container cannot be read ({e})")))?;
    let mut stream = cfb
        .open_stream("/Workbook")
        .or_else(|_| cfb.open_stream("/Book"))
        .map_err(|_| Refusal::Damaged("it holds no workbook stream".into()))?;
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .map_err(|e| Refusal::Damaged(format!("its workbook stream cannot be read ({e})")))?;
    Ok(bytes)
}

/// The bytes opening a workbook stream would take, stopping as soon as it passes `limit`.
pub fn cost(stream: &[u8], limit: u64) -> Result<u64, Refusal> {
    let mut sheets: Vec<usize> = Vec::new();
    let mut strings: Vec<u64> = Vec::new();
    let mut total = stream.len() as u64;
    for record in records(stream) {
        let r = record?;
        match r.typ {
            0x0085 if r.data.len() >= 6 => sheets.push(u32_at(r.data, 0) as usize),
            0x00FC => {
                strings = shared_strings(&r);
                let sst: u64 =
                    r.data.len() as u64 + r.cont.iter().map(|c| c.len() as u64).sum::<u64>();
                total = total.saturating_add(sst.saturating_mul(UTF8_PER_CHAR + 8));
            }
            0x000A => break,
            _ => {}
        }
    }
    // The copy of the sheet being read comes on top of every sheet parsed.
    let mut copy = 0u64;
    for &at in &sheets {
        let Some(sheet) = stream.get(at..) else {
            return Err(Refusal::Damaged(format!(
                "a sheet starts at byte {at}, past the end of the workbook stream"
            )));
        };
        let cost = sheet_cost(sheet, &strings)?;
        total = total.saturating_add(cost.parsed);
        copy = copy.max(cost.copied);
        if total.saturating_add(copy) > limit {
            return Err(Refusal::TooLarge(total.saturating_add(copy)));
        }
    }
    Ok(total.saturating_add(copy))
}

/// Whether a workbook stream is BIFF8 (Excel 97 and later): its first record is a BOF whose
/// version is 0x0600 (MS-XLS 2.4.21). Its strings are then Unicode whatever code page the
/// workbook declares (MS-XLS 2.5.294: a "compressed" character is the low byte of a UTF-16
/// code unit).
pub fn is_biff8(stream_head: &[u8]) -> bool {
    u16_at(stream_head, 0) == 0x0809 && u16_at(stream_head, 4) == 0x0600
}

/// The first bytes of an `.xls` container's workbook stream (enough for its BOF record), or
/// None when it cannot be read.
pub fn stream_head(reader: impl Read + Seek) -> Option<Vec<u8>> {
    let mut cfb = cfb::CompoundFile::open(reader).ok()?;
    let stream = cfb
        .open_stream("/Workbook")
        .or_else(|_| cfb.open_stream("/Book"))
        .ok()?;
    let mut head = Vec::with_capacity(8);
    stream.take(8).read_to_end(&mut head).ok()?;
    Some(head)
}

/// The UTF-8 bytes each shared string (SST, MS-XLS 2.5.293) may decode to, in order.
fn shared_strings(r: &Record) -> Vec<u64> {
    let mut segments = r.cont.iter().copied();
    let mut data = r.data.get(8..).unwrap_or(&[]);
    let mut out = Vec::new();
    // Moves to the next CONTINUE record when this one is used up.
    fn next<'a>(segments: &mut impl Iterator<Item = &'a [u8]>, data: &mut &'a [u8]) -> bool {
        match segments.next() {
            Some(s) => {
                *data = s;
                true
            }
            None => false,
        }
    }
    loop {
        if data.is_empty() && !next(&mut segments, &mut data) {
            return out;
        }
        if data.len() < 3 {
            return out;
        }
        let cch = u64::from(u16_at(data, 0));
        let flags = data[2];
        data = &data[3..];
        let mut skip = 0u64;
        if flags & 0x8 != 0 {
            skip += 4 * u64::from(u16_at(data, 0));
            data = data.get(2..).unwrap_or(&[]);
        }
        if flags & 0x4 != 0 {
            skip += u64::from(u32_at(data, 0));
            data = data.get(4..).unwrap_or(&[]);
        }
        out.push(cch * UTF8_PER_CHAR + 24);
        // The characters, one or two bytes each; a CONTINUE record carries on with its own
        // one-byte flags.
        let mut high = flags & 0x1 != 0;
        let mut left = cch;
        while left > 0 {
            let width = if high { 2 } else { 1 };
            let here = (data.len() as u64 / width).min(left);
            data = &data[(here * width) as usize..];
            left -= here;
            if left > 0 {
                if !next(&mut segments, &mut data) || data.is_empty() {
                    return out;
                }
                high = data[0] & 0x1 != 0;
                data = &data[1..];
            }
        }
        while skip > 0 {
            if data.is_empty() && !next(&mut segments, &mut data) {
                return out;
            }
            let here = (data.len() as u64).min(skip);
            data = &data[here as usize..];
            skip -= here;
        }
    }
}

/// The extent of a sheet's cells, for its grid.
#[derive(Default)]
struct Extent {
    cells: u64,
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        self.cells += 1;
        let widen = |range: &mut Option<(u32, u32)>, v: u32| {
            *range = Some(match *range {
                Some((lo, hi)) => (lo.min(v), hi.max(v)),
                None => (v, v),
            });
        };
        widen(&mut self.rows, row);
        widen(&mut self.cols, col);
    }

    fn grid(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => {
                u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1))
            }
            _ => 0,
        }
    }
}

/// The record types that place a cell (number, label, boolean, RK, shared string, MulRk,
/// formula).
const CELLS: [u16; 8] = [
    0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x00BD, 0x0006,
];
/// The last column a sheet may use (XFD).
const MAX_COL: u32 = 16_383;

/// What one sheet costs when the workbook opens, and what the copy handed out when it is read
/// costs on top.
struct SheetCost {
    /// Its gathered cells (with the room its DIMENSIONS reserve), their text, its grid and its
    /// formulas.
    parsed: u64,
    /// Its grid and text once more.
    copied: u64,
}

/// What reading one sheet costs.
fn sheet_cost(sheet: &[u8], strings: &[u64]) -> Result<SheetCost, Refusal> {
    let (mut values, mut formulas) = (Extent::default(), Extent::default());
    let (mut reserved, mut text) = (0u64, 0u64);
    let (mut seen_bof, mut depth) = (false, 0usize);
    for record in records(sheet) {
        let r = record?;
        if depth > 0 {
            match r.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let (d, len) = (r.data, r.data.len());
        let at = || (u32::from(u16_at(d, 0)), u32::from(u16_at(d, 2)));
        if CELLS.contains(&r.typ) && len >= 4 {
            let (row, col) = at();
            let last = if r.typ == 0x00BD {
                u32::from(u16_at(d, len.saturating_sub(2)))
            } else {
                col
            };
            if col.max(last) > MAX_COL {
                return Err(Refusal::Damaged(format!(
                    "a cell at row {} column {} lies beyond the last cell a sheet can hold (XFD1048576)",
                    row + 1,
                    col.max(last) + 1
                )));
            }
        }
        match r.typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 => reserved = reserved.max(dimensions(d)?),
            0x0203 | 0x0205 | 0x027E if len >= 4 => {
                let (row, col) = at();
                values.add(row, col);
            }
            0x0204 | 0x00D6 if len >= 6 => {
                let (row, col) = at();
                values.add(row, col);
                text += u64::from(u16_at(d, 6)) + UTF8_PER_CHAR * len as u64;
            }
            0x00FD if len >= 10 => {
                let (row, col) = at();
                values.add(row, col);
                let i = u32_at(d, 6) as usize;
                text += strings.get(i).copied().unwrap_or(0);
            }
            0x00BD if len >= 6 => {
                let row = u32::from(u16_at(d, 0));
                let first = u32::from(u16_at(d, 2));
                let n = ((len - 6) / 6) as u32;
                if n > 0 {
                    values.add(row, first);
                }
                if n > 1 {
                    values.add(row, first + n - 1);
                    values.cells += u64::from(n - 2);
                }
            }
            0x0006 if len >= 20 => {
                let (row, col) = at();
                values.add(row, col);
                formulas.add(row, col);
                text += FORMULA_TEXT_PER_BYTE * len as u64;
            }
            0x0207 => text += u64::from(u16_at(d, 0)) + UTF8_PER_CHAR * len as u64,
            0x000A => break,
            _ => {}
        }
    }
    // The gathered cells double as they grow; the grids hold every cell between the first
    // and the last.
    let gathered = reserved.max(values.cells * 2) * CELL_BYTES + formulas.cells * 2 * CELL_BYTES;
    let grid = values.grid().saturating_mul(GRID_BYTES);
    Ok(SheetCost {
        parsed: gathered
            .saturating_add(text)
            .saturating_add(grid)
            .saturating_add(formulas.grid().saturating_mul(FORMULA_GRID_BYTES)),
        copied: grid.saturating_add(text),
    })
}

/// The bytes reserved for the cells a DIMENSIONS record (MS-XLS 2.4.90) declares, read as
/// the reader reads it.
fn dimensions(d: &[u8]) -> Result<u64, Refusal> {
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (
            u32::from(u16_at(d, 0)),
            u32::from(u16_at(d, 2)),
            u32::from(u16_at(d, 4)),
            u32::from(u16_at(d, 6)),
        ),
        14 | 16 => (
            u32_at(d, 0),
            u32_at(d, 4),
            u32::from(u16_at(d, 8)),
            u32::from(u16_at(d, 10)),
        ),
        _ => return Ok(0), // the reader refuses it itself
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    let (end_row, end_col) = if rl >= 1 && cl >= 1 {
        (rl - 1, cl - 1)
    } else {
        (rf, cf)
    };
    if end_row < rf || end_col < cf {
        return Err(Refusal::Damaged(
            "a sheet's DIMENSIONS record ends before it starts".into(),
        ));
    }
    let cells = u64::from(end_row - rf + 1).saturating_mul(u64::from(end_col - cf + 1));
    Ok(cells.saturating_mul(CELL_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn cell(typ: u16, row: u16, col: u16, rest: &[u8]) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(rest);
        record(typ, &d)
    }

    /// A workbook stream: globals naming one sheet, then the sheet's records.
    fn stream(sst: &[u8], sheet: &[Vec<u8>]) -> Vec<u8> {
        let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let mut out = bof.clone();
        out.extend(record(0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']));
        out.extend(record(0x00FC, sst));
        out.extend(record(0x000A, &[]));
        let at = out.len() as u32;
        out[BOUND_AT..BOUND_AT + 4].copy_from_slice(&at.to_le_bytes());
        out.extend(bof);
        for r in sheet {
            out.extend_from_slice(r);
        }
        out.extend(record(0x000A, &[]));
        out
    }

    /// Where the BoundSheet8 record's sheet offset is in [`stream`]'s output.
    const BOUND_AT: usize = 20 + 4;

    fn sst(strings: &[&str]) -> Vec<u8> {
        let mut d = (strings.len() as u32).to_le_bytes().to_vec();
        d.extend_from_slice(&(strings.len() as u32).to_le_bytes());
        for s in strings {
            d.extend_from_slice(&(s.len() as u16).to_le_bytes());
            d.push(0);
            d.extend_from_slice(s.as_bytes());
        }
        d
    }

    #[test]
    fn a_small_sheet_costs_little() {
        let s = stream(
            &sst(&["Name", "Ada"]),
            &[
                cell(0x00FD, 0, 0, &[0, 0, 0, 0, 0, 0]),
                cell(0x00FD, 1, 0, &[0, 0, 1, 0, 0, 0]),
            ],
        );
        let c = cost(&s, FLOOR_BYTES).unwrap();
        assert!(c < 4096, "{c}");
    }

    #[test]
    fn two_cells_far_apart_are_refused() {
        let s = stream(
            &sst(&["x"]),
            &[
                cell(0x0203, 0, 0, &[0; 10]),
                cell(0x0203, 65535, 16383, &[0; 10]),
            ],
        );
        assert!(matches!(cost(&s, FLOOR_BYTES), Err(Refusal::TooLarge(_))));
        // Past column XFD: no sheet holds such a cell.
        let s = stream(&sst(&["x"]), &[cell(0x0203, 0, 16384, &[0; 10])]);
        let Err(Refusal::Damaged(what)) = cost(&s, FLOOR_BYTES) else {
            panic!("a cell past XFD is refused");
        };
        assert!(what.contains("row 1 column 16385 lies beyond"), "{what}");
    }

    /// The sizes the estimate counts are the reader's own: a cell of a grid, a gathered cell,
    /// a formula's text.
    #[test]
    fn the_sizes_counted_are_the_readers() {
        use std::mem::size_of;
        assert!(size_of::<calamine::Data>() as u64 <= GRID_BYTES);
        assert!(size_of::<calamine::Cell<calamine::Data>>() as u64 <= CELL_BYTES);
        assert!(size_of::<String>() as u64 <= FORMULA_GRID_BYTES);
    }

    /// Four cells spanning 65,283 rows by 248 columns: a grid of 518 MB when parsed, and as
    /// much again for the copy handed out to be read.
    #[test]
    fn the_copy_of_the_sheet_read_is_counted() {
        let s = stream(
            &sst(&["Name"]),
            &[
                cell(0x00FD, 0, 0, &[0, 0, 0, 0, 0, 0]),
                cell(0x0203, 65_282, 247, &[0; 10]),
            ],
        );
        let grid = 65_283 * 248 * GRID_BYTES;
        assert!(grid < FLOOR_BYTES);
        let Err(Refusal::TooLarge(c)) = cost(&s, FLOOR_BYTES) else {
            panic!("a grid and its copy past the floor are refused");
        };
        assert!(c >= 2 * grid, "{c}");
        assert!(cost(&s, 4 * grid).unwrap() >= 2 * grid);
    }

    #[test]
    fn the_first_record_tells_biff8() {
        let s = stream(&sst(&[]), &[]);
        assert!(is_biff8(&s[..8]));
        // BIFF5 (Excel 5.0/95): version 0x0500.
        let old = record(0x0809, &[0, 5, 5, 0, 0, 0, 0, 0]);
        assert!(!is_biff8(&old));
        assert!(!is_biff8(&[]));
    }

    #[test]
    fn a_declared_extent_of_billions_is_refused() {
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend_from_slice(&u32::MAX.to_le_bytes());
        dims.extend_from_slice(&[0, 0, 0xFF, 0, 0, 0]);
        let s = stream(&sst(&[]), &[record(0x0200, &dims)]);
        assert!(matches!(cost(&s, FLOOR_BYTES), Err(Refusal::TooLarge(_))));
        // Ending before it starts.
        let mut dims = 9u32.to_le_bytes().to_vec();
        dims.extend_from_slice(&3u32.to_le_bytes());
        dims.extend_from_slice(&[0, 0, 2, 0, 0, 0]);
        let s = stream(&sst(&[]), &[record(0x0200, &dims)]);
        assert!(matches!(cost(&s, FLOOR_BYTES), Err(Refusal::Damaged(_))));
    }

    #[test]
    fn one_long_shared_string_in_many_cells_is_refused() {
        let long = "x".repeat(8000);
        let cells: Vec<Vec<u8>> = (0..30_000u16)
            .map(|row| cell(0x00FD, row, 0, &[0, 0, 0, 0, 0, 0]))
            .collect();
        let s = stream(&sst(&[&long]), &cells);
        assert!(s.len() < 1 << 20);
        assert!(matches!(cost(&s, FLOOR_BYTES), Err(Refusal::TooLarge(_))));
    }

    #[test]
    fn a_sheet_offset_past_the_end_is_damage() {
        let mut s = stream(&sst(&[]), &[]);
        s[BOUND_AT..BOUND_AT + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(cost(&s, FLOOR_BYTES), Err(Refusal::Damaged(_))));
    }
}
