//! A plain text table read as blocks of whole rows, so that the rows of one file are parsed on
//! several threads: the reading thread only finds where a block's last row ends (a scan for
//! quotes and line breaks, far cheaper than parsing), and each block is parsed where it is
//! converted. The rows, their lines and every check are those [`Table`] reads one by one.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use memchr::{memchr, memrchr};

use super::lines::{LineIndex, count_breaks};
use super::table::{
    MAX_RECORD_BYTES, RecordShape, RecordTooLarge, Tail, checked_record, record_into, record_of,
    wanted_record,
};
use super::{Record, SourceError, Table, io_error};

/// The text a block holds at least (it ends at the end of the row crossing this size).
const BLOCK_BYTES: usize = 512 * 1024;

/// The rows of a plain text table after its header, handed out as blocks of whole rows.
pub struct RowBlocks {
    name: String,
    file: File,
    delimiter: u8,
    width: usize,
    /// Where the next block starts in the file, and how many line breaks come before it.
    start: u64,
    lines_before: u64,
    /// Text read past the end of the last block handed out: the start of the next.
    carry: Vec<u8>,
    /// The last byte of the text read so far.
    last_byte: Option<u8>,
    ended: bool,
    /// How much text a read adds: [`BLOCK_BYTES`].
    block_bytes: usize,
}

/// Whole rows of a table's text, with where they start in the file.
pub struct RowBlock {
    name: String,
    delimiter: u8,
    width: usize,
    start: u64,
    lines_before: u64,
    bytes: Vec<u8>,
    /// For the block that ends the text: the text's last byte (None for a text of no byte).
    end_of_text: Option<Option<u8>>,
}

/// What the end of the text needs to know of a block read: the shapes of its last two rows,
/// and whether (and with what byte) the text ends with it.
#[derive(Debug, Default)]
pub struct BlockEnd {
    shapes: [Option<RecordShape>; 2],
    end_of_text: Option<Option<u8>>,
}

/// The check [`Table`] makes at the end of its text (a quoted cell that never closes, a last
/// row cut short), made on blocks taken in order.
pub struct TextEnd {
    name: String,
    width: usize,
    tail: Tail,
}

impl Table {
    /// The rest of this table's rows as blocks, when it is a plain UTF-8 file read straight
    /// from disk (then its bytes are the reader's); None otherwise, and the table is read row
    /// by row as before. The table is read no further itself.
    pub fn row_blocks(&mut self) -> Result<Option<RowBlocks>, SourceError> {
        let Some(start) = self.next_row_start() else {
            return Ok(None);
        };
        let io_err = |e: io::Error| io_error(&self.name, e);
        let mut file = File::open(&self.path).map_err(io_err)?;
        // The header (and any line above it) is read again to count its line breaks as the
        // reader counts them, the byte after it telling a `\r\n` from a lone `\r`.
        let mut head = Vec::new();
        (&mut file)
            .take(start + 1)
            .read_to_end(&mut head)
            .map_err(io_err)?;
        let before = (start as usize).min(head.len());
        let lines_before = count_breaks(&head[..before])
            - u64::from(
                before > 0 && head[before - 1] == b'\r' && head.get(before) == Some(&b'\n'),
            );
        file.seek(SeekFrom::Start(start)).map_err(io_err)?;
        let blocks = RowBlocks {
            name: self.name.clone(),
            file,
            delimiter: self.format.delimiter_byte(),
            width: self.headers.len(),
            start,
            lines_before,
            carry: Vec::new(),
            last_byte: before.checked_sub(1).map(|i| head[i]),
            ended: false,
            block_bytes: BLOCK_BYTES,
        };
        self.close();
        Ok(Some(blocks))
    }
}

impl RowBlocks {
    /// The next block of whole rows, read into the room of `spare` (the bytes of a block done
    /// with, [`RowBlock::into_bytes`]) when there is one; the block that ends the text comes
    /// last, then None.
    pub fn next_block(&mut self, spare: Option<Vec<u8>>) -> Result<Option<RowBlock>, SourceError> {
        if self.ended {
            return Ok(None);
        }
        loop {
            let read = self.fill()?;
            if read == 0 {
                self.ended = true;
                let bytes = std::mem::take(&mut self.carry);
                return Ok(Some(self.block(bytes, true)));
            }
            if let Some(end) = last_row_end(&self.carry, self.delimiter) {
                // The rest starts the next block, in the spare room (which a read fills
                // without allocating or clearing it first).
                let mut rest = spare.unwrap_or_default();
                rest.clear();
                rest.reserve(self.carry.len() - end + self.block_bytes);
                rest.extend_from_slice(&self.carry[end..]);
                self.carry.truncate(end);
                let bytes = std::mem::replace(&mut self.carry, rest);
                // A block that reaches the end of the text ends it: its last row is the
                // text's last, as the row reader sees it.
                let last = self.carry.is_empty() && self.fill()? == 0;
                self.ended = last;
                return Ok(Some(self.block(bytes, last)));
            }
            // A row longer than a block: refused past the limit, as the row reader refuses it.
            if self.carry.len() as u64 > MAX_RECORD_BYTES + (1 << 20) {
                let line = self.lines_before + 1;
                return Err(SourceError::Malformed {
                    file: self.name.clone(),
                    line,
                    message: RecordTooLarge { line }.to_string(),
                });
            }
        }
    }

    /// The check of the text's end, for the blocks of this text taken in order.
    pub fn text_end(&self) -> TextEnd {
        TextEnd {
            name: self.name.clone(),
            width: self.width,
            tail: Tail::default(),
        }
    }

    /// Reads up to a block's size more of the text after the carried bytes; 0 at its end.
    fn fill(&mut self) -> Result<usize, SourceError> {
        let have = self.carry.len();
        (&mut self.file)
            .take(self.block_bytes as u64)
            .read_to_end(&mut self.carry)
            .map_err(|e| io_error(&self.name, e))?;
        if let Some(&last) = self.carry.last().filter(|_| self.carry.len() > have) {
            self.last_byte = Some(last);
        }
        Ok(self.carry.len() - have)
    }

    fn block(&mut self, bytes: Vec<u8>, last: bool) -> RowBlock {
        let block = RowBlock {
            name: self.name.clone(),
            delimiter: self.delimiter,
            width: self.width,
            start: self.start,
            lines_before: self.lines_before,
            end_of_text: last.then_some(self.last_byte),
            bytes,
        };
        self.start += block.bytes.len() as u64;
        self.lines_before += count_breaks(&block.bytes);
        block
    }
}

impl RowBlock {
    /// The block's bytes, to read the next block into ([`RowBlocks::next_block`]).
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Parses the block's rows and calls `each` with where each starts in the file and its
    /// record: the `wanted` columns only (the others empty) when given, else whole. Rows are
    /// checked, numbered and unwrapped as [`Table`] reads them one by one.
    pub fn read(
        &self,
        wanted: Option<&[bool]>,
        mut each: impl FnMut(u64, &Record),
    ) -> Result<BlockEnd, SourceError> {
        let mut lines =
            LineIndex::for_block(self.lines_before, &self.bytes, self.end_of_text.is_none());
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&self.bytes[..]);
        let mut raw = csv::ByteRecord::new();
        let mut record: Option<Record> = None;
        let mut end = BlockEnd {
            end_of_text: self.end_of_text,
            ..BlockEnd::default()
        };
        loop {
            let start = reader.position().byte();
            // Reading from memory, the reader meets no error a byte record can have.
            let more = reader
                .read_byte_record(&mut raw)
                .map_err(|e| SourceError::Malformed {
                    file: self.name.clone(),
                    line: self.lines_before + 1,
                    message: e.to_string(),
                })?;
            if !more {
                return Ok(end);
            }
            let at = reader.position().byte();
            let (shape, _) = checked_record(
                &self.name,
                &mut raw,
                self.width,
                self.delimiter,
                |inside, last_breaks| lines.first_line(at, inside, last_breaks),
            )?;
            end.shapes = [end.shapes[1], Some(shape)];
            let line = shape.line;
            let read = match (wanted, record.take()) {
                (Some(wanted), spare) => wanted_record(&raw, line, wanted, spare),
                (None, Some(spare)) => record_into(&raw, line, spare),
                (None, None) => record_of(&raw, line),
            };
            each(self.start + start, &read);
            record = Some(read);
        }
    }
}

impl TextEnd {
    /// Takes in a block read, in the text's order: at the end of the text, refuses a file
    /// whose last row is cut short or whose last quoted cell never closes.
    pub fn take(&mut self, end: &BlockEnd) -> Result<(), SourceError> {
        for shape in end.shapes.iter().flatten() {
            self.tail.note_shape(*shape, self.width);
        }
        let Some(last_byte) = end.end_of_text else {
            return Ok(());
        };
        if let Some(byte) = last_byte {
            self.tail.saw_last_byte(byte);
        }
        match self.tail.cut_short(self.width) {
            Some((line, message)) => Err(SourceError::Malformed {
                file: self.name.clone(),
                line,
                message,
            }),
            None => Ok(()),
        }
    }
}

/// Where the last row of `text` that ends with a `\n` ends (the index after it), for text
/// that starts at a row's start; None when no row ends in it. A quote opens a quoted cell only
/// at a cell's start (after a delimiter or a line break, or first in the text), and a doubled
/// quote inside one is a quote, as the CSV reader reads them; line breaks inside quoted cells
/// end no row.
fn last_row_end(text: &[u8], delimiter: u8) -> Option<usize> {
    let mut last = None;
    let mut at = 0;
    loop {
        // Outside quoted cells from `at` up to the next quote.
        let quote = memchr(b'"', &text[at..]).map(|i| at + i);
        let outside = &text[at..quote.unwrap_or(text.len())];
        if let Some(i) = memrchr(b'\n', outside) {
            last = Some(at + i + 1);
        }
        let Some(q) = quote else {
            return last;
        };
        let opens = q == 0 || matches!(text[q - 1], b'\n' | b'\r') || text[q - 1] == delimiter;
        at = q + 1;
        if !opens {
            continue;
        }
        // Inside a quoted cell: it closes at a quote not doubled.
        loop {
            let Some(close) = memchr(b'"', &text[at..]).map(|i| at + i) else {
                return last;
            };
            if text.get(close + 1) == Some(&b'"') {
                at = close + 2;
                continue;
            }
            at = close + 1;
            break;
        }
        if at >= text.len() {
            return last;
        }
    }
}

#[cfg(test)]
#[path = "blocks_tests.rs"]
mod tests;
