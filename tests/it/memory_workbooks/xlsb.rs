//! Excel binary workbooks (`.xlsb`) written record by record (MS-XLSB 2.1.4: a record type and
//! size in 7-bit groups, then its data) in the parts a workbook needs, with one sheet `People`.

use std::io::Write;

fn varint(mut n: usize, max_groups: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..max_groups {
        let b = (n & 0x7F) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
    out
}

/// One record.
pub fn record(typ: usize, data: &[u8]) -> Vec<u8> {
    let mut r = varint(typ, 2);
    r.extend(varint(data.len(), 4));
    r.extend_from_slice(data);
    r
}

/// An XLWideString: its length in characters, then UTF-16.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    for u in units {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// A row header (BrtRowHdr) for 0-based `row`.
pub fn row(row: u32) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&[0; 13]);
    record(0x0000, &d)
}

/// An inline text cell (BrtCellSt) at 0-based `col`.
pub fn text(col: u32, value: &str) -> Vec<u8> {
    let mut d = col.to_le_bytes().to_vec();
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend(wide(value));
    record(0x0006, &d)
}

/// A workbook whose sheet holds `cells` (row headers and cells, in order); `rel` is the
/// relationship id the workbook names its sheet by (`rId1` is the one the package holds).
pub fn workbook(cells: &[Vec<u8>], rel: &str) -> Vec<u8> {
    let mut book = record(0x0083, &[]);
    let mut sheet_ref = 0u32.to_le_bytes().to_vec();
    sheet_ref.extend_from_slice(&1u32.to_le_bytes());
    sheet_ref.extend(wide(rel));
    sheet_ref.extend(wide("People"));
    book.extend(record(0x008F, &[]));
    book.extend(record(0x009C, &sheet_ref));
    book.extend(record(0x0090, &[]));
    book.extend(record(0x0084, &[]));
    let mut sheet = record(0x0081, &[]);
    sheet.extend(record(0x0093, &[0; 19]));
    let mut dims = Vec::new();
    for v in [0u32, 2, 0, 1] {
        dims.extend_from_slice(&v.to_le_bytes());
    }
    sheet.extend(record(0x0094, &dims));
    sheet.extend(record(0x0091, &[]));
    for c in cells {
        sheet.extend_from_slice(c);
    }
    sheet.extend(record(0x0092, &[]));
    sheet.extend(record(0x0082, &[]));
    let rels = |target: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{target}"/></Relationships>"#
        )
    };
    let parts: [(&str, Vec<u8>); 5] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels",
            rels(r#"officeDocument" Target="xl/workbook.bin"#).into_bytes(),
        ),
        ("xl/workbook.bin", book),
        (
            "xl/_rels/workbook.bin.rels",
            rels(r#"worksheet" Target="worksheets/sheet1.bin"#).into_bytes(),
        ),
        ("xl/worksheets/sheet1.bin", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
