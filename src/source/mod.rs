//! Reading what a CRM hands over: delimited text in any common encoding, plain or gzip-compressed,
//! workbook sheets, and the members of ZIP archives.
//!
//! [`expand`] turns files, folders, archives and workbooks into the list of tables
//! ([`SourceRef`]s, each with the name used for it everywhere). [`Table::open_ref`] opens one:
//! for text it sniffs the encoding, delimiter and line endings from the first bytes; for a sheet
//! it reads cells as text. Either way it reads the header row and hands out records one by one,
//! so a source of any size opens at once and is streamed after that. Every record keeps the line
//! (or sheet row) it started on, for messages and rejects.

pub mod archive;
mod blocks;
pub mod cells;
pub mod cyrillic;
mod fields;
pub mod guard;
pub mod kinds;
mod lines;
pub mod names;
mod ods_limits;
mod ods_merges;
pub mod origin;
pub mod sniff;
pub mod stats;
mod table;
pub mod workbook;
mod xls_limits;

use std::io;
use std::path::Path;

use serde::Serialize;

pub use blocks::{BlockEnd, RowBlock, RowBlocks, TextEnd};
pub use fields::{Fields, FieldsIter};
pub use origin::{
    AsSources, Expansion, Fingerprint, Origin, SourceRef, expand, is_container, resolve,
};
pub use sniff::{EncodingGuess, LineEnding};
pub use table::{RowsAt, Table};

/// A source that cannot be read, always naming the file (and line where there is one).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{file}: no such file")]
    NotFound { file: String },
    /// The error's text is part of the message (not a separate cause), so it reads once.
    #[error("{file}: {error}")]
    Io { file: String, error: io::Error },
    #[error("{file}: the file is empty (not even a header row)")]
    Empty { file: String },
    /// Lines, but every one blank (or spaces only): `whole` when they are the whole file, else
    /// they are as far as a header is looked for.
    #[error(
        "{file}: {}: no header row{}",
        if *whole { format!("the file has {lines} line(s), all blank") } else { format!("its first {lines} lines are all blank") },
        if *whole { "" } else { " in them; remove the blank lines above the header" }
    )]
    Blank {
        file: String,
        lines: u64,
        whole: bool,
    },
    #[error("{file}: this looks like a binary file, not a CSV/TSV export")]
    Binary { file: String },
    #[error("{file}:{line}: {message}")]
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: {message}")]
    Corrupt { file: String, message: String },
    #[error(
        "{file}: the file is password-protected; save a copy without the password and give that"
    )]
    Encrypted { file: String },
    #[error("{file}: refused: {message}")]
    TooLarge { file: String, message: String },
    #[error("{file}: {message}")]
    NoTables { file: String, message: String },
    #[error("{file}: no such sheet or member (it holds: {found})")]
    NoSuchTable { file: String, found: String },
    #[error("{file}: the sheet is empty (not even a header row)")]
    EmptySheet { file: String },
    #[error(
        "{file}: the file changed while it was read (its size or time stamp moved); nothing was written. Run again once whatever writes it has finished"
    )]
    Changed { file: String },
}

/// An I/O error on a source, with "no such file" told apart.
pub(crate) fn io_error(file: &str, error: io::Error) -> SourceError {
    match error.kind() {
        io::ErrorKind::NotFound => SourceError::NotFound {
            file: file.to_string(),
        },
        _ => SourceError::Io {
            file: file.to_string(),
            error,
        },
    }
}

/// How a text table is written, as sniffed from its first bytes. A workbook sheet has no
/// encoding or delimiter of its own: it says its workbook format (`xlsx`) and `cells` instead.
#[derive(Debug, Clone, Serialize)]
pub struct TextFormat {
    /// The encoding's name (`UTF-8`, `UTF-16LE`, `windows-1252`); `xlsx`, `ods`… for a sheet.
    pub encoding: String,
    /// Whether a byte-order mark opens the file.
    pub bom: bool,
    /// The field delimiter as a user reads it (`,`, `;`, `tab`, `|`); `cells` for a sheet.
    pub delimiter: String,
    /// The dominant line ending.
    pub line_ending: LineEnding,
    /// Whether the file is gzip-compressed.
    pub gzip: bool,
    /// What holds the table when it is not a plain file: `zip member`, `xlsx sheet`, ….
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(skip)]
    delimiter_byte: u8,
}

impl TextFormat {
    /// The delimiter byte the CSV reader splits on.
    pub fn delimiter_byte(&self) -> u8 {
        self.delimiter_byte
    }
}

/// One data row of a source.
#[derive(Debug, Clone)]
pub struct Record {
    /// The line of the file this record starts on (1 is the header).
    pub line: u64,
    /// The fields as read; a row may be shorter or longer than the header.
    pub fields: Fields,
    /// The first column (0-based) holding bytes that are not valid in the file's encoding;
    /// those bytes were replaced by U+FFFD.
    pub invalid_text: Option<usize>,
}

/// A source's display name: the path as the user gave it.
pub fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// Gives every column a unique, non-blank name and says what it renamed. Time is linear in
/// the columns however often one name repeats: each name remembers the next number to try.
pub fn unique_headers(raw: &[String]) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = Vec::with_capacity(raw.len());
    let mut warnings = Vec::new();
    let mut seen = std::collections::HashSet::with_capacity(raw.len());
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, name) in raw.iter().enumerate() {
        let base = if name.is_empty() {
            let named = format!("Column {}", i + 1);
            warnings.push(format!("column {} has no name; called it {named:?}", i + 1));
            named
        } else {
            name.clone()
        };
        let mut unique = base.clone();
        if !seen.insert(unique.to_lowercase()) {
            let n = next.entry(base.to_lowercase()).or_insert(2);
            loop {
                unique = format!("{base} ({n})");
                *n += 1;
                if seen.insert(unique.to_lowercase()) {
                    break;
                }
            }
        }
        if unique != base {
            warnings.push(format!(
                "column {} repeats the name {base:?}; called it {unique:?}",
                i + 1
            ));
        }
        headers.push(unique);
    }
    (headers, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_repeated_headers_get_stable_names() {
        let raw: Vec<String> = ["Email", "", "Email", "email", "Email (2)"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (headers, warnings) = unique_headers(&raw);
        assert_eq!(
            headers,
            [
                "Email",
                "Column 2",
                "Email (2)",
                "email (3)",
                "Email (2) (2)"
            ]
        );
        assert_eq!(warnings.len(), 4);
    }
}
