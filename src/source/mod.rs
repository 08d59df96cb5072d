//! Reading what a CRM hands over: delimited text in any common encoding, plain or gzip-compressed.
//!
//! [`Table::open`] sniffs the encoding, delimiter and line endings from the first bytes, reads the
//! header row, and hands out records one by one, so a file of any size opens at once and is
//! streamed after that. Every record keeps the line it started on, for messages and rejects.

pub mod kinds;
pub mod sniff;
pub mod stats;

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use sniff::{EncodingGuess, LineEnding};

/// A source that cannot be read, always naming the file (and line where there is one).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{file}: no such file")]
    NotFound { file: String },
    #[error("{file}: {source}")]
    Io { file: String, source: io::Error },
    #[error("{file}: the file is empty (not even a header row)")]
    Empty { file: String },
    #[error("{file}: this looks like a binary file, not a CSV/TSV export")]
    Binary { file: String },
    #[error("{file}:{line}: {message}")]
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
}

/// How a text table is written, as sniffed from its first bytes.
#[derive(Debug, Clone, Serialize)]
pub struct TextFormat {
    /// The encoding's name (`UTF-8`, `UTF-16LE`, `windows-1252`).
    pub encoding: String,
    /// Whether a byte-order mark opens the file.
    pub bom: bool,
    /// The field delimiter as a user reads it (`,`, `;`, `tab`, `|`).
    pub delimiter: String,
    /// The dominant line ending.
    pub line_ending: LineEnding,
    /// Whether the file is gzip-compressed.
    pub gzip: bool,
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
    pub fields: csv::StringRecord,
    /// The first column (0-based) holding bytes that are not valid in the file's encoding;
    /// those bytes were replaced by U+FFFD.
    pub invalid_text: Option<usize>,
}

/// An opened source table: its name, format and headers, and a reader positioned at the first
/// data row.
pub struct Table {
    /// The name used for this source everywhere (CLI, JSON, reports, rejects).
    pub name: String,
    /// The path of the file on disk.
    pub path: PathBuf,
    /// How the file is written.
    pub format: TextFormat,
    /// The header row as written (trimmed), one per column.
    pub raw_headers: Vec<String>,
    /// Unique, non-blank column names: blanks become `Column 3`, repeats `Email (2)`.
    pub headers: Vec<String>,
    /// Things about the file a user should know (renamed headers, a header that looks like data).
    pub warnings: Vec<String>,
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::ByteRecord,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// A source's display name: the path as the user gave it.
pub fn display_name(path: &Path) -> String {
    path.display().to_string()
}

impl Table {
    /// Opens a CSV/TSV file (optionally `.gz`), sniffing its encoding and dialect, and reads the
    /// header row. A header-only file is valid; an empty or binary file is an error.
    pub fn open(path: &Path) -> Result<Table, SourceError> {
        let name = display_name(path);
        let io_err = |source: io::Error| match source.kind() {
            io::ErrorKind::NotFound => SourceError::NotFound { file: name.clone() },
            _ => SourceError::Io {
                file: name.clone(),
                source,
            },
        };
        if path.is_dir() {
            return Err(SourceError::Io {
                file: name.clone(),
                source: io::Error::other("is a folder, not a file"),
            });
        }
        let file = File::open(path).map_err(io_err)?;
        let gzip = is_gzip(path);
        let mut raw: Box<dyn Read + Send> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(io::BufReader::new(file)))
        } else {
            Box::new(file)
        };
        let mut head = Vec::with_capacity(sniff::SNIFF_BYTES);
        (&mut raw)
            .take(sniff::SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(io_err)?;
        let complete = head.len() < sniff::SNIFF_BYTES;
        let guess = sniff::guess_encoding(&head, complete);
        let (text, _, _) = guess.encoding.decode(&head);
        if text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
        {
            return Err(SourceError::Empty { file: name });
        }
        if sniff::looks_binary(&text) {
            return Err(SourceError::Binary { file: name });
        }
        let delimiter = sniff::guess_delimiter(&text);
        let format = TextFormat {
            encoding: guess.encoding.name().to_string(),
            bom: guess.bom_len > 0,
            delimiter: sniff::describe_delimiter(delimiter),
            line_ending: sniff::guess_line_ending(&text),
            gzip,
            delimiter_byte: delimiter,
        };
        let stream: Box<dyn Read + Send> = if guess.encoding == encoding_rs::UTF_8 {
            // UTF-8 is read as bytes and checked record by record, so a bad byte is reported
            // with its line and column instead of failing the whole file.
            Box::new(Cursor::new(head).chain(raw))
        } else {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(guess.encoding))
                    .build(Cursor::new(head).chain(raw)),
            )
        };
        Table::from_reader(name, path, format, stream)
    }

    fn from_reader(
        name: String,
        path: &Path,
        format: TextFormat,
        stream: Box<dyn Read + Send>,
    ) -> Result<Table, SourceError> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(format.delimiter_byte)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(256 * 1024)
            .from_reader(stream);
        let mut table = Table {
            name,
            path: path.to_path_buf(),
            format,
            raw_headers: Vec::new(),
            headers: Vec::new(),
            warnings: Vec::new(),
            reader,
            record: csv::ByteRecord::new(),
        };
        let header = table.next_record()?.ok_or_else(|| SourceError::Empty {
            file: table.name.clone(),
        })?;
        table.raw_headers = header
            .fields
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let (headers, warnings) = unique_headers(&table.raw_headers);
        table.headers = headers;
        table.warnings = warnings;
        if header.invalid_text.is_some() {
            table.warnings.push(format!(
                "the header row holds bytes that are not valid {}",
                table.format.encoding
            ));
        }
        Ok(table)
    }

    /// The next data row, or None at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<Record>, SourceError> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(&self.name, e))?;
        if !more {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        let record = self.record.clone();
        match csv::StringRecord::from_byte_record(record) {
            Ok(fields) => Ok(Some(Record {
                line,
                fields,
                invalid_text: None,
            })),
            Err(err) => {
                let bad = err.utf8_error().field();
                let fields: csv::StringRecord = self
                    .record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                Ok(Some(Record {
                    line,
                    fields,
                    invalid_text: Some(bad),
                }))
            }
        }
    }

    /// Bytes read from the (decoded) stream so far, for progress and size estimates.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }
}

fn csv_error(file: &str, err: csv::Error) -> SourceError {
    let line = err.position().map_or(0, |p| p.line());
    match err.into_kind() {
        csv::ErrorKind::Io(source) => SourceError::Io {
            file: file.to_string(),
            source,
        },
        other => SourceError::Malformed {
            file: file.to_string(),
            line,
            message: format!("{other:?}"),
        },
    }
}

fn is_gzip(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Gives every column a unique, non-blank name and says what it renamed.
pub fn unique_headers(raw: &[String]) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = Vec::with_capacity(raw.len());
    let mut warnings = Vec::new();
    let mut seen = std::collections::HashSet::with_capacity(raw.len());
    for (i, name) in raw.iter().enumerate() {
        let base = if name.is_empty() {
            let named = format!("Column {}", i + 1);
            warnings.push(format!("column {} has no name; called it {named:?}", i + 1));
            named
        } else {
            name.clone()
        };
        let mut unique = base.clone();
        let mut n = 2;
        while !seen.insert(unique.to_lowercase()) {
            unique = format!("{base} ({n})");
            n += 1;
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
