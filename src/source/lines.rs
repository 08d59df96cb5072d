//! The file's own line numbers for its records, as an editor or a spreadsheet shows them
//! (header = line 1, blank lines and the lines inside quoted cells counted, CRLF, LF or a lone
//! CR as old Mac files end their lines alike).
//! The csv reader's own line count is off in CRLF files and gives a record after blank lines the
//! first blank line's number, so the line breaks are counted here, on the bytes the reader is fed.

use std::collections::VecDeque;

/// Where the line breaks of the text read so far are, past the last record asked about.
#[derive(Debug, Default)]
pub(crate) struct LineIndex {
    /// Bytes seen.
    read: u64,
    /// Offsets of line breaks not yet behind a record: each `\n`, and each `\r` that no `\n`
    /// follows.
    pending: VecDeque<u64>,
    /// Line breaks behind the last record asked about.
    passed: u64,
    /// The offset of the last of them.
    last_break: Option<u64>,
    /// The bytes so far end with a `\r`, already counted as a break: a `\n` right after it
    /// is the same break.
    cr_at_end: bool,
}

/// The line breaks in `bytes`: each `\n`, and each `\r` that no `\n` follows (the csv reader
/// ends a record on a lone `\r` too, so an editor and pipemap count the same lines).
pub(crate) fn count_breaks(bytes: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\r', b'\n', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64
}

/// The line breaks inside a record's cells, counted cell by cell (a `\r` ending one cell and a
/// `\n` starting the next are two breaks). Most records hold none, which one scan of the whole
/// record tells.
pub(crate) fn breaks_inside(record: &csv::ByteRecord) -> u64 {
    if memchr::memchr2(b'\r', b'\n', record.as_slice()).is_none() {
        return 0;
    }
    record.iter().map(count_breaks).sum()
}

/// Whether a cell ends with a line break.
pub(crate) fn ends_with_break(cell: &[u8]) -> bool {
    matches!(cell.last(), Some(b'\n' | b'\r'))
}

impl LineIndex {
    /// The index of a block of the text that starts at a row's start, `lines_before` line
    /// breaks into it; `more_follows` when the text goes on after the block (then no row of
    /// the block ends the text).
    pub fn for_block(lines_before: u64, block: &[u8], more_follows: bool) -> LineIndex {
        let mut index = LineIndex {
            passed: lines_before,
            ..LineIndex::default()
        };
        index.saw(block);
        index.read += u64::from(more_follows);
        index
    }

    /// Takes in the next bytes of the text.
    pub fn saw(&mut self, bytes: &[u8]) {
        let start = self.read;
        let cr_before = self.cr_at_end;
        self.pending.extend(
            memchr::memchr2_iter(b'\r', b'\n', bytes)
                .filter(|&i| match bytes[i] {
                    // The `\n` of a `\r\n` split between two reads was counted at its `\r`.
                    b'\n' => !(i == 0 && cr_before),
                    _ => bytes.get(i + 1) != Some(&b'\n'),
                })
                .map(|i| start + i as u64),
        );
        if let Some(&last) = bytes.last() {
            self.cr_at_end = last == b'\r';
        }
        self.read += bytes.len() as u64;
    }

    /// The line the record after the last one asked about starts on (when that one ended
    /// with its line break).
    pub fn next_record_line(&self) -> u64 {
        self.passed + 1
    }

    /// The line a record starts on, given where the reader stands after it (`end`: right
    /// after its line break, or on the `\n` of its `\r\n`, or at the end of the text), how
    /// many line breaks its cells hold, and whether its last cell ends with one (a quote left
    /// open to the end of the text takes the last line break into the cell).
    pub fn first_line(&mut self, end: u64, breaks_inside: u64, last_cell_breaks: bool) -> u64 {
        while let Some(&at) = self.pending.front() {
            if at >= end {
                break;
            }
            self.pending.pop_front();
            self.passed += 1;
            self.last_break = Some(at);
        }
        // The record's own break is behind `end` only when `end` is right after it, and it is
        // not the last byte of a cell still open at the end of the text.
        let open_to_the_end = last_cell_breaks && end == self.read;
        let last = if end > 0 && self.last_break == Some(end - 1) && !open_to_the_end {
            self.passed
        } else {
            self.passed + 1
        };
        last.saturating_sub(breaks_inside).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of every record of `text`, read as pipemap's reader reads it.
    fn lines(text: &[u8]) -> Vec<(String, u64)> {
        let mut index = LineIndex::default();
        index.saw(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let inside = breaks_inside(&record);
            let last_breaks = record.iter().next_back().is_some_and(ends_with_break);
            let line = index.first_line(reader.position().byte(), inside, last_breaks);
            out.push((String::from_utf8_lossy(&record[0]).into_owned(), line));
        }
        out
    }

    #[test]
    fn records_get_the_files_own_lines_in_crlf_and_lf_files() {
        let want = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
        };
        // Header, a row, a blank line, a row, a two-line quoted cell, a row.
        let expected = want(&[
            ("Name", 1),
            ("Ada", 2),
            ("Bob", 4),
            ("Cy\nM", 5),
            ("Dee", 7),
        ]);
        assert_eq!(
            lines(b"Name,Email\nAda,a\n\nBob,b\n\"Cy\nM\",c\nDee,d\n"),
            expected
        );
        let crlf = lines(b"Name,Email\r\nAda,a\r\n\r\nBob,b\r\n\"Cy\r\nM\",c\r\nDee,d\r\n");
        let crlf: Vec<(String, u64)> = crlf
            .into_iter()
            .map(|(s, n)| (s.replace('\r', ""), n))
            .collect();
        assert_eq!(crlf, expected);
        // No line break at the end.
        assert_eq!(lines(b"A\nB\nC"), want(&[("A", 1), ("B", 2), ("C", 3)]));
        assert_eq!(lines(b"A\r\nB\r\nC"), want(&[("A", 1), ("B", 2), ("C", 3)]));
        // A quote left open takes the rest of the text into its cell.
        assert_eq!(
            lines(b"Name\nAda,\"open\nBob\nCy\n"),
            want(&[("Name", 1), ("Ada", 2)])
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_old_mac_files() {
        let got = lines(b"Name,Email\rAda,a\r\rBob,b\r\"Cy\rM\",c\rDee,d\r");
        assert_eq!(
            got,
            vec![
                ("Name".to_string(), 1),
                ("Ada".to_string(), 2),
                ("Bob".to_string(), 4),
                ("Cy\rM".to_string(), 5),
                ("Dee".to_string(), 7),
            ]
        );
    }

    #[test]
    fn a_crlf_split_between_two_reads_is_one_break() {
        let mut index = LineIndex::default();
        index.saw(b"A\r");
        index.saw(b"\nB\r\nC");
        // The reader stands on the `\n` of each `\r\n`, and at the end after the last record.
        assert_eq!(index.first_line(2, 0, false), 1);
        assert_eq!(index.first_line(5, 0, false), 2);
        assert_eq!(index.first_line(7, 0, false), 3);
    }
}
