//! Excel 97–2003 workbooks written record by record (MS-XLS 2.4): a workbook stream of BIFF8
//! records in a compound file, as Excel saves them, with one sheet named `People`.

use std::io::Write;
use std::path::Path;

/// One BIFF record.
pub fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

fn cell(typ: u16, row: u16, col: u16, rest: &[u8]) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes()); // the cell's format: the default
    d.extend_from_slice(rest);
    record(typ, &d)
}

/// A LabelSst cell: shared string `index`.
pub fn label_sst(row: u16, col: u16, index: u32) -> Vec<u8> {
    cell(0x00FD, row, col, &index.to_le_bytes())
}

/// A Number cell.
pub fn number(row: u16, col: u16, value: f64) -> Vec<u8> {
    cell(0x0203, row, col, &value.to_le_bytes())
}

/// A DIMENSIONS record (BIFF8): rows `first..last` (last is one past), columns likewise.
pub fn dimensions(first_row: u32, last_row: u32, first_col: u16, last_col: u16) -> Vec<u8> {
    let mut d = first_row.to_le_bytes().to_vec();
    d.extend_from_slice(&last_row.to_le_bytes());
    d.extend_from_slice(&first_col.to_le_bytes());
    d.extend_from_slice(&last_col.to_le_bytes());
    d.extend_from_slice(&[0, 0]);
    record(0x0200, &d)
}

/// The SST record's data: each string compressed (Latin-1, one byte a character), split into
/// CONTINUE records where a record would pass 8,224 bytes.
pub fn sst(strings: &[&str]) -> Vec<u8> {
    let mut d = (strings.len() as u32).to_le_bytes().to_vec();
    d.extend_from_slice(&(strings.len() as u32).to_le_bytes());
    for s in strings {
        // One byte a character: the low byte of its UTF-16 code unit (Latin-1 text only).
        let chars: Vec<u8> = s
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
            .collect();
        d.extend_from_slice(&(chars.len() as u16).to_le_bytes());
        d.push(0);
        d.extend_from_slice(&chars);
    }
    d
}

/// The SST with its CONTINUE records: a string's characters that pass a record's end go on
/// in the next, behind their own flags byte.
fn sst_records(data: &[u8]) -> Vec<u8> {
    const MAX: usize = 8224;
    let mut out = record(0x00FC, &data[..data.len().min(MAX)]);
    let mut rest = &data[data.len().min(MAX)..];
    while !rest.is_empty() {
        let n = rest.len().min(MAX - 1);
        let mut piece = vec![0u8]; // the characters go on one byte each
        piece.extend_from_slice(&rest[..n]);
        out.extend(record(0x003C, &piece));
        rest = &rest[n..];
    }
    out
}

const BOF_GLOBALS: [u8; 16] = [0, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const BOF_SHEET: [u8; 16] = [0, 6, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// Where the BoundSheet8 record's sheet offset sits in [`stream`]'s output.
const SHEET_OFFSET_AT: usize = 4 + BOF_GLOBALS.len() + 4;

/// The workbook stream: globals (the sheet's name, the shared strings), then the sheet.
/// Only strings that fit one record may be split at a CONTINUE (the test strings are
/// one-byte text), which is all these tests write.
pub fn stream(sst: &[u8], sheet: &[Vec<u8>]) -> Vec<u8> {
    stream_in(None, sst, sheet)
}

/// [`stream`], declaring a code page (a CodePage record, MS-XLS 2.4.52) when one is given.
pub fn stream_in(codepage: Option<u16>, sst: &[u8], sheet: &[Vec<u8>]) -> Vec<u8> {
    let mut out = record(0x0809, &BOF_GLOBALS);
    let mut bound = vec![0, 0, 0, 0, 0, 0, 6, 0];
    bound.extend_from_slice(b"People");
    out.extend(record(0x0085, &bound));
    if let Some(cp) = codepage {
        out.extend(record(0x0042, &cp.to_le_bytes()));
    }
    out.extend(sst_records(sst));
    out.extend(record(0x000A, &[]));
    let at = out.len() as u32;
    place_sheet(&mut out, at);
    out.extend(record(0x0809, &BOF_SHEET));
    for r in sheet {
        out.extend_from_slice(r);
    }
    out.extend(record(0x000A, &[]));
    out
}

/// Points the sheet at byte `at` of the stream.
pub fn place_sheet(stream: &mut [u8], at: u32) {
    stream[SHEET_OFFSET_AT..SHEET_OFFSET_AT + 4].copy_from_slice(&at.to_le_bytes());
}

/// Writes a workbook stream into a compound file at `path`; returns the file's size.
pub fn write_stream(path: &Path, stream: &[u8]) -> u64 {
    let mut file = cfb::create(path).unwrap();
    let mut s = file.create_stream("/Workbook").unwrap();
    s.write_all(stream).unwrap();
    drop(s);
    file.flush().unwrap();
    drop(file);
    std::fs::metadata(path).unwrap().len()
}

/// Writes a workbook of one sheet; returns the file's size.
pub fn write(path: &Path, sst: &[u8], sheet: &[Vec<u8>]) -> u64 {
    write_stream(path, &stream(sst, sheet))
}
