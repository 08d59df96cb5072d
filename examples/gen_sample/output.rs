//! The CSV side: rows filled by column name, streamed to disk with minimal quoting.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::vocab::QE;

/// One output row, filled by column name so that each filler reads like its file's header.
pub struct Row<'h> {
    cols: &'h [&'h str],
    cells: Vec<String>,
}

impl Row<'_> {
    pub fn set(&mut self, col: &str, value: impl Into<String>) {
        let i = self.cols.iter().position(|c| *c == col);
        self.cells[i.unwrap_or_else(|| panic!("no column {col}"))] = value.into();
    }
}

/// Streams `rows` rows of one file; quotes a cell only where CSV needs it.
pub fn write(
    dir: &Path,
    file: &str,
    header: &str,
    rows: u64,
    fill: impl Fn(u64, &mut Row),
) -> io::Result<()> {
    let cols: Vec<&str> = header.split(',').collect();
    let mut w = BufWriter::with_capacity(1 << 16, File::create(dir.join(file))?);
    writeln!(w, "{header}")?;
    let mut line = String::new();
    for i in 0..rows {
        let mut row = Row {
            cols: &cols,
            cells: vec![String::new(); cols.len()],
        };
        fill(i, &mut row);
        line.clear();
        for (n, cell) in row.cells.iter().enumerate() {
            if n > 0 {
                line.push(',');
            }
            if cell == QE || !cell.contains([',', '"', '\n', '\r']) {
                line.push_str(cell);
            } else {
                line.push('"');
                line.push_str(&cell.replace('"', "\"\""));
                line.push('"');
            }
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    w.flush()
}
