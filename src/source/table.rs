//! An opened table: the header row read, records handed out one by one from a CSV reader or
//! a sheet's rows.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::fields::Fields;
use super::lines::LineIndex;

use super::{
    LineEnding, Origin, Record, SourceError, SourceRef, TextFormat, archive, cells, display_name,
    io_error, resolve, sniff, unique_headers, workbook,
};

/// An opened source table: its name, format and headers, and a reader positioned at the first
/// data row.
pub struct Table {
    /// The name used for this source everywhere (CLI, JSON, reports, rejects).
    pub name: String,
    /// The file on disk that holds it (the archive or workbook for a member or sheet).
    pub path: PathBuf,
    /// How the file is written.
    pub format: TextFormat,
    /// The header row as written (trimmed), one per column.
    pub raw_headers: Vec<String>,
    /// Unique, non-blank column names: blanks become `Column 3`, repeats `Email (2)`.
    pub headers: Vec<String>,
    /// Things about the file a user should know (renamed headers, a header that looks like data).
    pub warnings: Vec<String>,
    /// Rows read so far that were wrapped whole in quotes and read as their fields.
    pub unwrapped_rows: u64,
    /// Rows read so far holding bytes not valid in the file's encoding (replaced by U+FFFD),
    /// and the first lines of them.
    invalid: InvalidText,
    rows: Rows,
    size_hint: Option<u64>,
    /// The reader's byte positions are the file's own (a plain UTF-8 file read straight from
    /// disk), so a row can be read again from where it starts ([`RowsAt`]).
    plain_file: bool,
}

/// The row reader behind a table: CSV text, or a workbook sheet's cells.
enum Rows {
    Csv {
        reader: Box<csv::Reader<Box<dyn Read + Send>>>,
        record: csv::ByteRecord,
        /// How the text ended, to tell a complete file from one cut short.
        tail: Tail,
    },
    Sheet(workbook::SheetRows),
    /// Read to its end: the reader, its buffers and its file (or archive member and its
    /// inflater) are let go, since an export holds every table it reads open at once; `bytes`
    /// is what [`Table::bytes_read`] said at the end.
    Ended {
        bytes: u64,
    },
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

impl Table {
    /// Opens the table a path or source name names: a CSV/TSV file (optionally `.gz`), a sheet
    /// (`book.xlsx#Contacts`) or an archive member (`export.zip/Contact.csv`). A workbook or
    /// archive opens its first table, with a warning naming the others. A header-only table is
    /// valid; an empty or binary file is an error.
    pub fn open(path: &Path) -> Result<Table, SourceError> {
        let expansion = resolve(path)?;
        let mut sources = expansion.sources.into_iter();
        let first = sources.next().ok_or_else(|| SourceError::NoTables {
            file: display_name(path),
            message: "holds no tables".into(),
        })?;
        let mut table = Table::open_ref(&first)?;
        let others: Vec<String> = sources.map(|s| s.name).collect();
        if !others.is_empty() {
            table.warnings.insert(
                0,
                format!(
                    "{} holds {} tables; this is the first (name another to read it: {})",
                    display_name(path),
                    others.len() + 1,
                    others.join(", ")
                ),
            );
        }
        Ok(table)
    }

    /// Opens one table and reads its header row.
    pub fn open_ref(source: &SourceRef) -> Result<Table, SourceError> {
        let name = source.name.clone();
        let io_err = |e: io::Error| io_error(&name, e);
        match &source.origin {
            Origin::File(path) | Origin::Gzip(path) => {
                if path.is_dir() {
                    return Err(io_err(io::Error::other("is a folder, not a file")));
                }
                let file = File::open(path).map_err(io_err)?;
                let gzip = matches!(source.origin, Origin::Gzip(_)) || is_gzip(path);
                let size = file.metadata().ok().map(|m| m.len()).filter(|_| !gzip);
                let mut table = Table::open_text(name, path, Box::new(file), gzip, None, size)?;
                // UTF-8 is read as its bytes (any other encoding is decoded on the way in), so
                // the reader's positions are the file's.
                table.plain_file = !gzip && table.format.encoding == encoding_rs::UTF_8.name();
                Ok(table)
            }
            Origin::ZipMember {
                archive,
                member,
                occurrence,
            } => {
                let display = display_name(archive);
                let reader =
                    archive::open_nth_member(archive, &display, member, *occurrence, &name)?;
                let gzip = archive::member_kind(member) == Some(archive::MemberKind::Gzip);
                let size = (!gzip).then(|| reader.size());
                let container = Some("zip member".to_string());
                Table::open_text(name, archive, Box::new(reader), gzip, container, size)
            }
            Origin::Sheet {
                workbook,
                member,
                sheet,
            } => Table::open_sheet(&name, workbook, member.as_deref(), sheet),
        }
    }

    /// Opens delimited text held in memory exactly as a file with these bytes opens: sniffed,
    /// header row read, records handed out one by one. `name` is used in messages. This is the
    /// smallest way into the reader for callers that hold bytes rather than a path (the fuzz
    /// targets under `fuzz/` drive the reader through it).
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Table, SourceError> {
        let size = bytes.len() as u64;
        Table::open_text(
            name.to_string(),
            Path::new(name),
            Box::new(Cursor::new(bytes)),
            false,
            None,
            Some(size),
        )
    }

    fn open_sheet(
        name: &str,
        path: &Path,
        member: Option<&str>,
        sheet: &str,
    ) -> Result<Table, SourceError> {
        let display = display_name(path);
        let (book, kind, book_name) = match member {
            None => (
                workbook::Book::File(path.to_path_buf()),
                super::origin::workbook_kind(path),
                display.clone(),
            ),
            Some(m) => {
                let book_name = format!("{display}/{m}");
                let bytes = archive::read_member(path, &display, m, &book_name)?;
                (
                    workbook::Book::Bytes(bytes),
                    workbook::WorkbookKind::from_name(m),
                    book_name,
                )
            }
        };
        let kind = kind.unwrap_or(workbook::WorkbookKind::Xls);
        let mut rows = workbook::open_sheet(book, kind, &book_name, sheet, name)?;
        let format = TextFormat {
            encoding: kind.label().to_string(),
            bom: false,
            delimiter: "cells".to_string(),
            line_ending: LineEnding::Lf,
            gzip: false,
            container: Some(format!("{} sheet", kind.label())),
            delimiter_byte: b',',
        };
        let size_hint = rows.rows_hint();
        let mut notes = std::mem::take(&mut rows.notes);
        // A report's title rows above its header are no header and no records.
        let titles = rows.skip_title_rows()?;
        if !titles.is_empty() {
            notes.push(format!(
                "{} row(s) of text above the header left out as the report's title: {}",
                titles.len(),
                titles
                    .iter()
                    .map(|s| format!("“{s}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut table = Table::start(name.to_string(), path, format, Rows::Sheet(rows), size_hint)?;
        table.warnings.extend(notes);
        Ok(table)
    }

    /// Sniffs a text stream's encoding and dialect and reads its header row.
    fn open_text(
        name: String,
        path: &Path,
        file: Box<dyn Read + Send>,
        gzip: bool,
        container: Option<String>,
        size_hint: Option<u64>,
    ) -> Result<Table, SourceError> {
        let io_err = |e: io::Error| io_error(&name, e);
        let mut raw: Box<dyn Read + Send> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(io::BufReader::new(file)))
        } else {
            file
        };
        let (mut head, complete) = read_head(&mut raw).map_err(io_err)?;
        // The whole text fits in `head`: the CSV reader needs no larger buffer than it.
        let buffer = if complete {
            (head.len() + 1).clamp(1024, 256 * 1024)
        } else {
            256 * 1024
        };
        let guess = sniff::guess_encoding(&head, complete);
        let text = guess.decode(&head);
        if text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
        {
            let mut blank = text.trim_start_matches('\u{feff}');
            if !complete {
                // Only the lines read to their end are known to be blank.
                blank = blank.trim_end_matches(|c| c != '\n' && c != '\r');
            }
            let lines = sniff::count_lines(blank);
            return Err(if lines == 0 && complete {
                SourceError::Empty { file: name }
            } else {
                SourceError::Blank {
                    file: name,
                    lines: lines.max(1),
                    whole: complete,
                }
            });
        }
        if sniff::looks_binary(&text) {
            return Err(SourceError::Binary { file: name });
        }
        if let Some(kind) = sniff::not_a_table(&text) {
            return Err(SourceError::Corrupt {
                file: name,
                message: format!(
                    "this is {kind} saved under a table's name, not a CSV/TSV export; export the data as CSV again"
                ),
            });
        }
        // Excel's `sep=;` first line names the delimiter and is no row of the table.
        let sep_line = sniff::sep_line(&text);
        let delimiter = sep_line.unwrap_or_else(|| sniff::guess_delimiter(&text));
        // A report's title lines above its header are no rows either.
        let titles = if sep_line.is_some() {
            0
        } else {
            sniff::title_lines(&text, delimiter)
        };
        let format = TextFormat {
            encoding: guess.name().to_string(),
            bom: guess.bom_len > 0,
            delimiter: sniff::describe_delimiter(delimiter),
            line_ending: sniff::guess_line_ending(&text),
            gzip,
            container,
            delimiter_byte: delimiter,
        };
        let mut notes = Vec::new();
        if guess.bom_contradicted {
            // The mark is no character of the legacy text; its bytes would read as `ï»¿`.
            head.drain(..guess.bom_len);
            notes.push(format!(
                "the file opens with a UTF-8 byte-order mark, but its text is not UTF-8: read as {}",
                guess.name()
            ));
        }
        let stream: Box<dyn Read + Send> = if let Some(page) = guess.code_page {
            // Decoded to UTF-8 on the way in; every byte is a character of the page.
            Box::new(page.reader(Cursor::new(head).chain(raw)))
        } else if guess.encoding == encoding_rs::UTF_8 {
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
        let tail = Tail::default();
        let stream: Box<dyn Read + Send> = Box::new(TailReader {
            inner: stream,
            last: Arc::clone(&tail.last_byte),
            lines: Arc::clone(&tail.lines),
            record_start: Arc::clone(&tail.record_start),
            read: 0,
        });
        let reader = csv::ReaderBuilder::new()
            .delimiter(format.delimiter_byte)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(buffer)
            .from_reader(stream);
        let rows = Rows::Csv {
            reader: Box::new(reader),
            record: csv::ByteRecord::new(),
            tail,
        };
        let mut rows = rows;
        if let (Some(d), Rows::Csv { reader, record, .. }) = (sep_line, &mut rows) {
            reader
                .read_byte_record(record)
                .map_err(|e| csv_error(&name, e))?;
            notes.push(format!(
                "the first line `sep={}` names the delimiter (as Excel writes it); the header is on line 2",
                d as char
            ));
        }
        if titles > 0
            && let Rows::Csv { reader, record, .. } = &mut rows
        {
            let mut skipped = Vec::new();
            for _ in 0..titles {
                reader
                    .read_byte_record(record)
                    .map_err(|e| csv_error(&name, e))?;
                skipped.push(
                    String::from_utf8_lossy(record.as_slice())
                        .trim()
                        .to_string(),
                );
            }
            notes.push(format!(
                "{titles} line(s) of text above the header left out as the report's title: {}",
                skipped
                    .iter()
                    .map(|s| format!("“{s}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut table = Table::start(name, path, format, rows, size_hint)?;
        table.warnings.splice(0..0, notes);
        Ok(table)
    }

    /// Reads the header row and names the columns.
    fn start(
        name: String,
        path: &Path,
        format: TextFormat,
        rows: Rows,
        size_hint: Option<u64>,
    ) -> Result<Table, SourceError> {
        let sheet = matches!(rows, Rows::Sheet(_));
        let mut table = Table {
            name,
            path: path.to_path_buf(),
            format,
            raw_headers: Vec::new(),
            headers: Vec::new(),
            warnings: Vec::new(),
            rows,
            size_hint,
            unwrapped_rows: 0,
            invalid: InvalidText::default(),
            plain_file: false,
        };
        let file = table.name.clone();
        let header = table.next_record()?.ok_or(if sheet {
            SourceError::EmptySheet { file }
        } else {
            SourceError::Empty { file }
        })?;
        let mut raw: Vec<String> = header
            .fields
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        if sheet {
            // Cells formatted but left blank after the last header are no columns.
            while raw.last().is_some_and(|h| h.is_empty()) {
                raw.pop();
            }
        }
        // A column name is a few words; kilobytes of text on a text file's first line are a
        // file with no header row, or no table at all, and would be repeated into every output
        // and report. (A sheet's cells are bounded by the workbook's own budget.)
        if let Some((column, name)) = raw
            .iter()
            .enumerate()
            .find(|(_, h)| !sheet && h.len() > MAX_HEADER_BYTES)
        {
            return Err(SourceError::Malformed {
                file: table.name.clone(),
                line: header.line,
                message: format!(
                    "refused: the header cell in column {} holds {} bytes, past the limit of {MAX_HEADER_BYTES} bytes for a column name (is the first row really the header?)",
                    column + 1,
                    name.len()
                ),
            });
        }
        table.raw_headers = raw;
        let (headers, warnings) = unique_headers(&table.raw_headers);
        table.headers = headers;
        table.warnings = warnings;
        table.warnings.extend(cells::dynamics_notes(&table.headers));
        if header.invalid_text.is_some() {
            table.warnings.push(format!(
                "the header row holds bytes that are not valid {}",
                table.format.encoding
            ));
        }
        Ok(table)
    }

    /// The next data row, or None at the end of the table.
    pub fn next_record(&mut self) -> Result<Option<Record>, SourceError> {
        self.next_record_reusing(None)
    }

    /// [`Table::next_record`], read into the room of `spare` (a record done with) when there
    /// is one: a read of a million rows that hands its records back allocates for none.
    pub fn next_record_reusing(
        &mut self,
        spare: Option<Record>,
    ) -> Result<Option<Record>, SourceError> {
        if let Rows::Sheet(rows) = &mut self.rows {
            let width = self.headers.len();
            let next = rows.next_row()?;
            if next.is_none() {
                self.end();
            }
            return Ok(next.map(|(line, mut cells)| {
                // A sheet row stops at its last filled cell; pad it to the header.
                if cells.len() < width {
                    cells.resize(width, String::new());
                }
                Record {
                    line,
                    fields: Fields::from(cells),
                    invalid_text: None,
                }
            }));
        }
        let Some(line) = self.read_text_record()? else {
            return Ok(None);
        };
        let Rows::Csv { record, .. } = &self.rows else {
            return Ok(None);
        };
        let record = match spare {
            Some(spare) => record_into(record, line, spare),
            None => record_of(record, line),
        };
        if record.invalid_text.is_some() {
            self.invalid.saw(line);
        }
        Ok(Some(record))
    }

    /// Where the next data row starts in the file's bytes, when rows can be read again from
    /// there ([`Table::rows_at`]): a plain UTF-8 file read straight from disk.
    pub fn next_row_start(&self) -> Option<u64> {
        match &self.rows {
            Rows::Csv { reader, .. } if self.plain_file => Some(reader.position().byte()),
            _ => None,
        }
    }

    /// A reader of single rows at the positions [`Table::next_row_start`] gave; None when the
    /// table has none.
    pub fn rows_at(&self) -> Result<Option<RowsAt>, SourceError> {
        if !self.plain_file {
            return Ok(None);
        }
        let file = File::open(&self.path).map_err(|e| io_error(&self.name, e))?;
        let reader = csv::ReaderBuilder::new()
            .delimiter(self.format.delimiter_byte())
            .has_headers(false)
            .flexible(true)
            .from_reader(file);
        Ok(Some(RowsAt {
            name: self.name.clone(),
            reader,
            record: csv::ByteRecord::new(),
            width: self.headers.len(),
            delimiter: self.format.delimiter_byte(),
        }))
    }

    /// The next data row with the text of the `wanted` columns only (the others read as
    /// empty), for a read that needs a few columns of every row: the rest of each row is not
    /// checked or copied. A sheet's rows come whole.
    pub fn next_record_with(
        &mut self,
        wanted: &[bool],
        spare: Option<Record>,
    ) -> Result<Option<Record>, SourceError> {
        if matches!(self.rows, Rows::Sheet(_)) {
            return self.next_record();
        }
        let Some(line) = self.read_text_record()? else {
            return Ok(None);
        };
        let Rows::Csv { record, .. } = &self.rows else {
            return Ok(None);
        };
        let record = wanted_record(record, line, wanted, spare);
        if record.invalid_text.is_some() {
            self.invalid.saw(line);
        }
        Ok(Some(record))
    }

    /// Passes over the next data row without handing it out: true when there was one. The
    /// row is read and checked as [`Table::next_record`] reads it (a file cut short or a cell
    /// past the limit is refused alike), but its text is not decoded: a read that wants a few
    /// rows of a million skips the rest at the cost of finding where they end.
    pub fn skip_record(&mut self) -> Result<bool, SourceError> {
        if let Rows::Sheet(rows) = &mut self.rows {
            let more = rows.next_row()?.is_some();
            if !more {
                self.end();
            }
            return Ok(more);
        }
        Ok(self.read_text_record()?.is_some())
    }

    /// Lets go of the reader, its buffers and its file: no row is read after this. For a
    /// table whose first rows were all a step needed (an export reads its sources again when
    /// their turn comes).
    pub fn close(&mut self) {
        self.end();
    }

    /// Lets go of the reader once the last row was read.
    fn end(&mut self) {
        self.rows = Rows::Ended {
            bytes: self.bytes_read(),
        };
    }

    /// Reads the next record of a text table into the reader's record and returns the line it
    /// starts on; None at the end of the text (or for a sheet).
    fn read_text_record(&mut self) -> Result<Option<u64>, SourceError> {
        let Rows::Csv {
            reader,
            record,
            tail,
        } = &mut self.rows
        else {
            return Ok(None);
        };
        let more = reader
            .read_byte_record(record)
            .map_err(|e| csv_error(&self.name, e))?;
        let width = self.headers.len();
        if !more {
            return match tail.cut_short(width) {
                Some((line, message)) => Err(SourceError::Malformed {
                    file: self.name.clone(),
                    line,
                    message,
                }),
                None => {
                    self.end();
                    Ok(None)
                }
            };
        }
        let end = reader.position().byte();
        tail.record_start.store(end, Ordering::Relaxed);
        let reader_line = record.position().map_or(0, |p| p.line());
        let lines = &tail.lines;
        let (shape, unwrapped) = checked_record(
            &self.name,
            record,
            width,
            self.format.delimiter_byte(),
            |inside, last_breaks| match lines.lock() {
                Ok(mut lines) => lines.first_line(end, inside, last_breaks),
                Err(_) => reader_line,
            },
        )?;
        tail.note_shape(shape, width);
        self.unwrapped_rows += u64::from(unwrapped);
        Ok(Some(shape.line))
    }

    /// What the reader noticed about the file: its warnings, and rows it unwrapped.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = self.warnings.clone();
        if self.unwrapped_rows > 0 {
            notes.push(format!(
                "{} row(s) were wrapped whole in quotes (one field holding the {} the header names, as Zendesk Sell writes some task exports): each was read as its fields",
                self.unwrapped_rows,
                self.headers.len()
            ));
        }
        if let Some(note) = self.invalid.note(&self.format.encoding) {
            notes.push(note);
        }
        notes
    }

    /// Bytes read from the (decoded) stream so far, for progress and size estimates.
    pub fn bytes_read(&self) -> u64 {
        match &self.rows {
            Rows::Csv { reader, .. } => reader.position().byte(),
            Rows::Sheet(rows) => rows.bytes_read(),
            Rows::Ended { bytes } => *bytes,
        }
    }

    /// How many data rows the table holds by an estimate made without reading it through,
    /// given `sampled` rows read in `bytes_sampled` bytes: from the file's (or member's)
    /// size for text, from the extent the sheet declares for a sheet.
    pub fn estimate_rows(&self, sampled: usize, bytes_sampled: u64) -> Option<u64> {
        match &self.rows {
            Rows::Sheet(rows) => rows.rows_hint().filter(|&n| n >= sampled as u64),
            // Read through: its rows were counted, not estimated.
            Rows::Ended { .. } => None,
            Rows::Csv { .. } => {
                let size = self.size_hint?;
                if sampled == 0 || bytes_sampled == 0 {
                    return None;
                }
                Some((size as f64 / bytes_sampled as f64 * sampled as f64).round() as u64)
            }
        }
    }
}

/// Where a text's bytes were not valid in its encoding, for a note listing the lines.
#[derive(Debug, Default)]
struct InvalidText {
    rows: u64,
    first_lines: Vec<u64>,
}

impl InvalidText {
    /// How many lines the note names.
    const SHOWN: usize = 20;

    fn saw(&mut self, line: u64) {
        self.rows += 1;
        if self.first_lines.len() < Self::SHOWN {
            self.first_lines.push(line);
        }
    }

    fn note(&self, encoding: &str) -> Option<String> {
        if self.rows == 0 {
            return None;
        }
        let lines: Vec<String> = self.first_lines.iter().map(u64::to_string).collect();
        let more = self.rows - self.first_lines.len() as u64;
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        Some(format!(
            "{} row(s) hold bytes that are not valid {encoding}, each replaced by U+FFFD (line(s) {}{more}; listed in warnings.csv)",
            self.rows,
            lines.join(", ")
        ))
    }
}

/// The first bytes of a text, for sniffing: [`sniff::SNIFF_BYTES`], or more (up to
/// [`sniff::EVIDENCE_BYTES`]) while they hold too few non-ASCII characters to tell UTF-8 from a
/// legacy encoding. Says whether the text ended within them.
fn read_head(raw: &mut Box<dyn Read + Send>) -> io::Result<(Vec<u8>, bool)> {
    let mut head = Vec::with_capacity(sniff::SNIFF_BYTES);
    let mut complete = read_chunk(raw, &mut head)?;
    if complete {
        // A small file is all here: it keeps no room it will never use (an archive of
        // thousands of one-row members holds every member open at once).
        head.shrink_to_fit();
    }
    if !sniff::wants_evidence(&head) {
        return Ok((head, complete));
    }
    let mut evidence = sniff::Utf8Evidence::default();
    let mut counted = 0;
    loop {
        counted += evidence.feed(&head[counted..], complete);
        if complete || evidence.decisive() || head.len() >= sniff::EVIDENCE_BYTES {
            return Ok((head, complete));
        }
        complete = read_chunk(raw, &mut head)?;
    }
}

/// Appends up to [`sniff::SNIFF_BYTES`] more bytes; true when the text ended before that.
fn read_chunk(raw: &mut Box<dyn Read + Send>, head: &mut Vec<u8>) -> io::Result<bool> {
    let before = head.len();
    raw.take(sniff::SNIFF_BYTES as u64).read_to_end(head)?;
    Ok(head.len() - before < sniff::SNIFF_BYTES)
}

/// A row written whole inside one pair of quotes (`"Call,Kim Doe,2014-09-04"`, inner quotes
/// doubled): one field that, read as a row itself, holds exactly the header's `width` fields.
/// [`record_of`], in the room of `spare`.
/// Numbers and checks a text record just read, as every read of a text table does: its line
/// (the file's own, counted from the bytes by `line_of`, given the line breaks inside the
/// record and whether its last cell ends with one — the reader's own count is off in CRLF
/// files and after blank lines), a cell past the limit refused, and a row wrapped whole in
/// quotes read as its fields. Returns the record's shape, for the check of the text's end,
/// and whether the row was unwrapped (`width` is the header's).
pub(super) fn checked_record(
    file: &str,
    record: &mut csv::ByteRecord,
    width: usize,
    delimiter: u8,
    line_of: impl FnOnce(u64, bool) -> u64,
) -> Result<(RecordShape, bool), SourceError> {
    let last_cell_breaks = record
        .iter()
        .next_back()
        .is_some_and(super::lines::ends_with_break);
    let line = line_of(super::lines::breaks_inside(record), last_cell_breaks);
    check_cells(file, line, record)?;
    let shape = RecordShape {
        line,
        fields: record.len(),
        last_cell_breaks,
    };
    let unwrapped = unwrap_row(record, width, delimiter).map(|fields| *record = fields);
    Ok((shape, unwrapped.is_some()))
}

/// Refuses a record holding a cell past [`MAX_CELL_BYTES`].
fn check_cells(file: &str, line: u64, record: &csv::ByteRecord) -> Result<(), SourceError> {
    if record.as_slice().len() as u64 > MAX_CELL_BYTES
        && let Some((column, field)) = record
            .iter()
            .enumerate()
            .find(|(_, f)| f.len() as u64 > MAX_CELL_BYTES)
    {
        return Err(SourceError::Malformed {
            file: file.to_string(),
            line,
            message: format!(
                "refused: the cell in column {} holds {} MiB, past the limit of {} MiB per cell (is this really a CSV export?)",
                column + 1,
                field.len() >> 20,
                MAX_CELL_BYTES >> 20
            ),
        });
    }
    Ok(())
}

/// The record with the text of the `wanted` columns only, the others empty (see
/// [`Table::next_record_with`]), read into the room of `spare` when there is one.
pub(super) fn wanted_record(
    record: &csv::ByteRecord,
    line: u64,
    wanted: &[bool],
    spare: Option<Record>,
) -> Record {
    let mut fields = match spare {
        Some(spare) => {
            let mut fields = spare.fields;
            fields.clear();
            fields
        }
        None => Fields::with_capacity(record.len(), 64),
    };
    let mut invalid_text = None;
    for (i, field) in record.iter().enumerate() {
        if !wanted.get(i).copied().unwrap_or(false) {
            fields.push_field("");
            continue;
        }
        match std::str::from_utf8(field) {
            Ok(text) => fields.push_field(text),
            Err(_) => {
                invalid_text.get_or_insert(i);
                fields.push_field(&String::from_utf8_lossy(field));
            }
        }
    }
    Record {
        line,
        fields,
        invalid_text,
    }
}

pub(super) fn record_into(record: &csv::ByteRecord, line: u64, mut spare: Record) -> Record {
    if spare.fields.refill(record) {
        spare.line = line;
        spare.invalid_text = None;
        return spare;
    }
    record_of(record, line)
}

/// A record read from a text file: its fields, or (for bytes not valid UTF-8) their text with
/// the bad bytes replaced and the first such column noted.
pub(super) fn record_of(record: &csv::ByteRecord, line: u64) -> Record {
    match Fields::from_byte_record(record) {
        Some(fields) => Record {
            line,
            fields,
            invalid_text: None,
        },
        None => {
            let bad = record
                .iter()
                .position(|f| std::str::from_utf8(f).is_err())
                .unwrap_or(0);
            let fields: Fields = record.iter().map(|f| String::from_utf8_lossy(f)).collect();
            Record {
                line,
                fields,
                invalid_text: Some(bad),
            }
        }
    }
}

/// Single rows of a plain text file read again where they start, as [`Table::next_record`]
/// read them: for a read that wants a few rows of a million after a whole read found which.
pub struct RowsAt {
    name: String,
    reader: csv::Reader<File>,
    record: csv::ByteRecord,
    width: usize,
    delimiter: u8,
}

impl RowsAt {
    /// The row starting at byte `start` (a position [`Table::next_row_start`] gave), which
    /// starts on file line `line`; None past the end of the file.
    pub fn read(&mut self, start: u64, line: u64) -> Result<Option<Record>, SourceError> {
        self.reader
            .seek_raw(io::SeekFrom::Start(start), csv::Position::new())
            .map_err(|e| csv_error(&self.name, e))?;
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(&self.name, e))?;
        if !more {
            return Ok(None);
        }
        if let Some(fields) = unwrap_row(&self.record, self.width, self.delimiter) {
            self.record = fields;
        }
        Ok(Some(record_of(&self.record, line)))
    }
}

fn unwrap_row(record: &csv::ByteRecord, width: usize, delimiter: u8) -> Option<csv::ByteRecord> {
    if width < 2 || record.len() != 1 {
        return None;
    }
    let field = record.get(0)?;
    if !field.contains(&delimiter) {
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(field);
    let mut inner = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut inner).ok()? || inner.len() != width {
        return None;
    }
    // One row only: a field with a line break inside it is no row of its own.
    let mut more = csv::ByteRecord::new();
    if reader.read_byte_record(&mut more).ok()? {
        return None;
    }
    inner.set_position(record.position().cloned());
    Some(inner)
}

/// What the last record and the last byte of a text table say about how the file ended: a
/// quoted cell that never closes swallows the rest of the file into one cell, and a file cut
/// off mid-record ends without a line break on a short row. Both are refused at the end of the
/// file rather than read as data.
#[derive(Default)]
pub(super) struct Tail {
    /// The last byte read from the text, set by [`TailReader`].
    last_byte: Arc<AtomicU8>,
    /// The text's line breaks, counted by [`TailReader`].
    lines: Arc<Mutex<LineIndex>>,
    /// Where the record being read starts, for [`TailReader`]'s size limit.
    record_start: Arc<AtomicU64>,
    /// The line of the last record when its last cell ends with a line break, which only a
    /// quoted cell can hold: the mark of a quote still open at the end of the file.
    open_quote: Option<u64>,
    /// The line and field count of the last data row when it has fewer fields than the header
    /// while the row before it had them all.
    short_last: Option<(u64, usize)>,
    /// Whether the row before the last was short too (then short rows are the file's habit).
    short_before: bool,
}

impl Tail {
    /// Notes the shape of the record just read.
    pub(super) fn note_shape(&mut self, shape: RecordShape, width: usize) {
        self.open_quote = shape.last_cell_breaks.then_some(shape.line);
        let short = width > 0 && shape.fields < width;
        self.short_last = (short && !self.short_before).then_some((shape.line, shape.fields));
        self.short_before = short;
    }

    /// The last byte of the text, when it was not read through [`TailReader`].
    pub(super) fn saw_last_byte(&self, byte: u8) {
        self.last_byte.store(byte, Ordering::Relaxed);
    }

    pub(super) fn cut_short(&mut self, width: usize) -> Option<(u64, String)> {
        if let Some(line) = self.open_quote.take() {
            return Some((
                line,
                "a quoted cell on this line never closes, so the rest of the file would be read into it; close the quote or export the file again".to_string(),
            ));
        }
        let last = self.last_byte.load(Ordering::Relaxed);
        let ends_with_break = last == b'\n' || last == b'\r';
        match self.short_last.take() {
            Some((line, fields)) if !ends_with_break => Some((
                line,
                format!(
                    "the file ends in the middle of this row ({fields} of {width} fields, no line break after it): it looks cut short; export it again"
                ),
            )),
            _ => None,
        }
    }
}

/// What [`Tail`] keeps of a record: its line, how many fields it has, and whether its last
/// cell ends with a line break.
#[derive(Debug, Clone, Copy)]
pub(super) struct RecordShape {
    pub line: u64,
    pub fields: usize,
    pub last_cell_breaks: bool,
}

/// The longest column name, in bytes.
pub const MAX_HEADER_BYTES: usize = 4096;
/// The largest cell of a text table, in bytes.
pub const MAX_CELL_BYTES: u64 = 16 << 20;
/// The largest record of a text table, in bytes: refused while it is read, before the reader
/// holds more of it.
pub const MAX_RECORD_BYTES: u64 = 64 << 20;

/// A record that grew past [`MAX_RECORD_BYTES`] while it was read, starting on `line`.
#[derive(Debug)]
pub(super) struct RecordTooLarge {
    pub line: u64,
}

impl std::fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "refused: the record holds more than {} MiB, past the limit (a cell may hold at most {} MiB; is this really a CSV export?)",
            MAX_RECORD_BYTES >> 20,
            MAX_CELL_BYTES >> 20
        )
    }
}

impl std::error::Error for RecordTooLarge {}

/// Passes text through, remembering its last byte for [`Tail`] and refusing a record that
/// grows past [`MAX_RECORD_BYTES`].
struct TailReader {
    inner: Box<dyn Read + Send>,
    last: Arc<AtomicU8>,
    lines: Arc<Mutex<LineIndex>>,
    /// Where the record being read starts (the end of the one before).
    record_start: Arc<AtomicU64>,
    /// Bytes passed through.
    read: u64,
}

impl Read for TailReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // The reader reads ahead of the record by its buffer: allow for it.
        let ahead = 1 << 20;
        if self.read - self.record_start.load(Ordering::Relaxed).min(self.read)
            > MAX_RECORD_BYTES + ahead
        {
            let line = self.lines.lock().map_or(0, |l| l.next_record_line());
            return Err(io::Error::other(RecordTooLarge { line }));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if n > 0 {
            self.last.store(buf[n - 1], Ordering::Relaxed);
            if let Ok(mut lines) = self.lines.lock() {
                lines.saw(&buf[..n]);
            }
        }
        Ok(n)
    }
}

fn csv_error(file: &str, err: csv::Error) -> SourceError {
    let line = err.position().map_or(0, |p| p.line());
    match err.into_kind() {
        csv::ErrorKind::Io(error)
            if error
                .get_ref()
                .is_some_and(|e| e.downcast_ref::<RecordTooLarge>().is_some()) =>
        {
            let big = error
                .get_ref()
                .and_then(|e| e.downcast_ref::<RecordTooLarge>());
            SourceError::Malformed {
                file: file.to_string(),
                line: big.map_or(0, |b| b.line),
                message: big.map(ToString::to_string).unwrap_or_default(),
            }
        }
        csv::ErrorKind::Io(error) => SourceError::Io {
            file: file.to_string(),
            error,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of `bytes`, written to a file: as read in order, and as read again where
    /// `next_row_start` said it starts.
    fn rows_read_again(bytes: &[u8]) -> (Vec<Record>, Vec<Option<Record>>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("people.csv");
        std::fs::write(&path, bytes).unwrap();
        let source = SourceRef {
            name: "people.csv".into(),
            origin: Origin::File(path),
        };
        let mut table = Table::open_ref(&source).unwrap();
        let mut again = table
            .rows_at()
            .unwrap()
            .expect("a plain file is read again");
        let mut starts = Vec::new();
        let mut rows = Vec::new();
        while let Some(start) = table.next_row_start() {
            let Some(record) = table.next_record().unwrap() else {
                break;
            };
            starts.push((start, record.line));
            rows.push(record);
        }
        let read: Vec<Option<Record>> = starts
            .iter()
            .rev()
            .map(|&(start, line)| again.read(start, line).unwrap())
            .collect();
        (rows, read.into_iter().rev().collect())
    }

    #[test]
    fn rows_are_read_again_where_they_start_as_they_were_read() {
        let text: &[u8] = b"\xef\xbb\xbfname,note,city\r\nAnn,\"two\r\nlines\",Oslo\r\n\r\n\"Bo,plain,Rome\"\r\nCy,Z\xc3\xab byte,Bern\r\n\"D, Jr\",\"say \"\"hi\"\"\",\r\nEd,x,Y";
        let (rows, again) = rows_read_again(text);
        assert_eq!(rows.len(), 5);
        for (row, read) in rows.iter().zip(&again) {
            let read = read.as_ref().expect("the row is read again");
            let fields = |r: &Record| r.fields.iter().map(str::to_string).collect::<Vec<_>>();
            assert_eq!(fields(read), fields(row), "line {}", row.line);
            assert_eq!((read.line, read.invalid_text), (row.line, row.invalid_text));
        }
        assert_eq!(
            rows[1].fields.get(0),
            Some("Bo"),
            "the wrapped row is unwrapped"
        );
        assert_eq!(rows[2].fields.get(1), Some("Zë byte"));
    }

    #[test]
    fn records_read_into_spare_room_are_the_records_read_fresh() {
        // Rows longer and shorter than the header, a quoted line break, an empty row's
        // neighbours, non-ASCII text and one invalid byte.
        let mut text = b"name,note,city\nAnn Lee,\"two\nlines\",Oslo,extra,more\nBo\n\nZo\xc3\xab,caf\xc3\xa9,\nCy,bad \xff byte,Bern\nDi,x,y\n".to_vec();
        // Enough valid UTF-8 after it that the one bad byte cannot make the file another encoding.
        for _ in 0..40 {
            text.extend_from_slice("Zoë Müller,zoë@x.example,ok\n".as_bytes());
        }
        let read = |reuse: bool, wanted: Option<&[bool]>| {
            let mut table = Table::from_bytes("people.csv", text.clone()).unwrap();
            let mut rows: Vec<(u64, Vec<String>, Option<usize>)> = Vec::new();
            let mut spare: Option<Record> = None;
            loop {
                let given = if reuse { spare.take() } else { None };
                let next = match wanted {
                    Some(wanted) => table.next_record_with(wanted, given).unwrap(),
                    None => table.next_record_reusing(given).unwrap(),
                };
                let Some(record) = next else { break };
                let fields = record.fields.iter().map(str::to_string).collect();
                rows.push((record.line, fields, record.invalid_text));
                spare = Some(record);
            }
            rows
        };
        let fresh = read(false, None);
        assert_eq!(fresh.len(), 45);
        assert_eq!((fresh[3].2, fresh[4].2), (Some(1), None));
        assert_eq!(read(true, None), fresh);
        let wanted = [true, false, true];
        assert_eq!(read(true, Some(&wanted)), read(false, Some(&wanted)));
        assert_eq!(
            read(false, Some(&wanted))[0].1,
            ["Ann Lee", "", "Oslo", "", ""]
        );
    }

    #[test]
    fn only_plain_files_are_read_again_by_position() {
        let table = Table::from_bytes("people.csv", b"name\nAnn\n".to_vec()).unwrap();
        assert!(table.next_row_start().is_none());
        assert!(table.rows_at().unwrap().is_none());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin.csv");
        std::fs::write(&path, b"name\nZo\xeb M\xfcller\nJos\xe9\n").unwrap();
        let source = SourceRef {
            name: "latin.csv".into(),
            origin: Origin::File(path),
        };
        let table = Table::open_ref(&source).unwrap();
        assert_ne!(table.format.encoding, "UTF-8");
        assert!(
            table.next_row_start().is_none(),
            "decoded text has other positions"
        );
    }

    fn read_all(bytes: &[u8]) -> Result<usize, SourceError> {
        let mut table = Table::from_bytes("t.csv", bytes.to_vec())?;
        let mut rows = 0;
        while table.next_record()?.is_some() {
            rows += 1;
        }
        Ok(rows)
    }

    #[test]
    fn a_read_of_some_columns_gives_their_text_as_a_whole_read_does_and_empties_the_rest() {
        // UTF-8, with one byte that is not (0xff) in the second row's e-mail.
        let mut text = b"name,email,note\nAnn Lee,ann@x.example,\"two\nlines\"\n".to_vec();
        text.extend_from_slice(b"Bo,bo\xff@x.example,plain\nZo\xc3\xab,,last\n");
        // Enough valid UTF-8 after it that the one bad byte cannot make the file another encoding.
        for _ in 0..40 {
            text.extend_from_slice("Zoë Müller,zoë@x.example,ok\n".as_bytes());
        }
        let whole: Vec<Record> = {
            let mut table = Table::from_bytes("t.csv", text.clone()).unwrap();
            std::iter::from_fn(|| table.next_record().unwrap()).collect()
        };
        let mut table = Table::from_bytes("t.csv", text).unwrap();
        let some: Vec<Record> =
            std::iter::from_fn(|| table.next_record_with(&[true, true, false], None).unwrap())
                .collect();
        assert_eq!(some.len(), 43);
        for (a, b) in whole.iter().zip(&some) {
            assert_eq!(a.line, b.line);
            assert_eq!(a.fields.len(), b.fields.len());
            assert_eq!(&a.fields[0], &b.fields[0]);
            assert_eq!(&a.fields[1], &b.fields[1]);
            assert_eq!(&b.fields[2], "", "the column not asked for reads as empty");
        }
        assert_eq!(&some[1].fields[1], "bo\u{fffd}@x.example");
        assert_eq!(some[1].invalid_text, Some(1));
        assert_eq!(some[2].line, 5, "the line after a quoted line break");
        assert!(
            table.notes().iter().any(|n| n.contains("line(s) 4")),
            "{:?}",
            table.notes()
        );
    }

    #[test]
    fn rows_wrapped_whole_in_quotes_are_read_as_their_fields() {
        // The shape of a Zendesk Sell tasks export: every data row one quoted field, inner
        // quotes doubled; one row written normally between them.
        let text = "content,owner,date,note\n\
                    \"Ring kund,Kim Doe,2014-09-04,\"\"call, then mail\"\"\"\n\
                    Send offer,Kim Doe,2014-09-05,plain\n\
                    \"Follow up,Kim Doe,2014-09-06,\"\n";
        let mut table = Table::from_bytes("tasks.csv", text.as_bytes().to_vec()).unwrap();
        let mut rows = Vec::new();
        while let Some(r) = table.next_record().unwrap() {
            rows.push((
                r.line,
                r.fields.iter().map(String::from).collect::<Vec<_>>(),
            ));
        }
        assert_eq!(
            rows,
            [
                (
                    2,
                    vec!["Ring kund", "Kim Doe", "2014-09-04", "call, then mail"]
                ),
                (3, vec!["Send offer", "Kim Doe", "2014-09-05", "plain"]),
                (4, vec!["Follow up", "Kim Doe", "2014-09-06", ""]),
            ]
            .map(|(l, f)| (l, f.into_iter().map(String::from).collect::<Vec<_>>()))
        );
        assert_eq!(table.unwrapped_rows, 2);
        assert!(
            table
                .notes()
                .iter()
                .any(|n| n.starts_with("2 row(s) were wrapped"))
        );
    }

    #[test]
    fn a_quoted_field_that_is_no_row_stays_one_field() {
        // One field with commas, but not as many as the header has: a short row, not a
        // wrapped one; and a one-column file is never unwrapped.
        let text = "a,b,c\n\"x,y\"\n";
        let mut table = Table::from_bytes("t.csv", text.as_bytes().to_vec()).unwrap();
        let row = table.next_record().unwrap().unwrap();
        assert_eq!(row.fields.len(), 1);
        assert_eq!(table.unwrapped_rows, 0);
        let text = "name\n\"Doe, Kim\"\n";
        let mut table = Table::from_bytes("t.csv", text.as_bytes().to_vec()).unwrap();
        let row = table.next_record().unwrap().unwrap();
        assert_eq!(&row.fields[0], "Doe, Kim");
    }

    fn refusal(bytes: &[u8]) -> (u64, String) {
        match read_all(bytes) {
            Err(SourceError::Malformed { line, message, .. }) => (line, message),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_quote_that_never_closes_is_refused_at_its_line() {
        let (line, message) = refusal(b"Name,Notes\nAda,\"open\nBob,x\nCy,y\n");
        assert_eq!(line, 2);
        assert!(message.contains("never closes"), "{message}");
        // In the header row too.
        assert_eq!(refusal(b"Name,\"Notes\nAda,x\n").0, 1);
    }

    #[test]
    fn a_row_cut_short_at_the_end_is_refused() {
        let (line, message) = refusal(b"Name,Email,Phone\nAda,a@x.com,1\nBob,b@x");
        assert_eq!(line, 3);
        assert!(message.contains("2 of 3 fields"), "{message}");
    }

    #[test]
    fn complete_files_without_a_final_line_break_are_read() {
        assert_eq!(read_all(b"Name,Email\nAda,a@x.com").unwrap(), 1);
        // Short rows throughout are the file's habit, not a cut.
        assert_eq!(read_all(b"Name,Email,Phone\nAda,a\nBob,b").unwrap(), 2);
        // A closed multi-line cell at the end, and a short last row that ends its line.
        assert_eq!(read_all(b"Name,Notes\nAda,\"two\nlines\"").unwrap(), 1);
        assert_eq!(read_all(b"Name,Email,Phone\nAda,a,1\nBob,b\n").unwrap(), 2);
    }
}
