//! Guessing how a delimited text file is written: its encoding, delimiter and line endings,
//! from the first bytes, so that a file of any size opens at once. Whether text is UTF-8 is
//! weighed on more of the file when the first bytes hold too few non-ASCII characters to tell
//! ([`Utf8Evidence`]), so one stray byte cannot turn a UTF-8 file into Windows-1252.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use serde::Serialize;

use super::cyrillic::{self, CodePage, Decoding};

/// How many bytes of a file are read to guess its encoding and dialect.
pub const SNIFF_BYTES: usize = 256 * 1024;

/// How many bytes at most are read ahead for evidence on UTF-8 when the first [`SNIFF_BYTES`]
/// hold too few non-ASCII characters to tell.
pub const EVIDENCE_BYTES: usize = 8 * 1024 * 1024;

/// The delimiters pipemap recognises, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// What the first bytes say about the text encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodingGuess {
    /// The encoding the file is decoded with.
    pub encoding: &'static Encoding,
    /// How many bytes of byte-order mark open the file (0, 2 or 3).
    pub bom_len: usize,
    /// A code page encoding_rs cannot decode (IBM855), which then decodes the file instead.
    pub code_page: Option<&'static CodePage>,
    /// True when a UTF-8 byte-order mark opens text that is not UTF-8 (a legacy export with a
    /// mark put in front): the mark is dropped and the text decoded in the guessed encoding.
    pub bom_contradicted: bool,
}

impl EncodingGuess {
    /// A short human name, such as `UTF-8 (BOM)` or `windows-1252`.
    pub fn describe(&self) -> String {
        let name = self.name();
        if self.bom_len > 0 {
            format!("{name} (BOM)")
        } else {
            name.to_string()
        }
    }
}

impl EncodingGuess {
    /// The encoding's name (`windows-1251`, `IBM855`).
    pub fn name(&self) -> &'static str {
        self.code_page.map_or(self.encoding.name(), |p| p.name)
    }

    /// Decodes the first bytes (a byte-order mark dropped).
    pub fn decode<'a>(&self, head: &'a [u8]) -> std::borrow::Cow<'a, str> {
        match self.code_page {
            Some(page) => std::borrow::Cow::Owned(page.decode(head)),
            None => self.encoding.decode(head).0,
        }
    }
}

/// The line ending that dominates the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    Lf,
    Crlf,
    Cr,
}

impl LineEnding {
    /// The name a user knows (`CRLF`).
    pub fn describe(self) -> &'static str {
        match self {
            LineEnding::Lf => "LF",
            LineEnding::Crlf => "CRLF",
            LineEnding::Cr => "CR",
        }
    }
}

/// Counts of what non-ASCII bytes of a text form as UTF-8: whole multi-byte characters, and
/// invalid sequences. UTF-8 wins when nearly all of them are characters; one bad byte among
/// many valid characters is a damaged UTF-8 file, not a legacy one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Utf8Evidence {
    /// Valid multi-byte characters.
    pub valid: usize,
    /// Invalid sequences (each replaced by one U+FFFD when decoded as UTF-8).
    pub invalid: usize,
}

impl Utf8Evidence {
    /// How many non-ASCII sequences make the count decisive.
    const ENOUGH: usize = 64;

    /// Counts `bytes`, a piece of the text, and returns how many of them were counted: an
    /// incomplete character at the end is left for the next piece unless `complete`.
    pub fn feed(&mut self, bytes: &[u8], complete: bool) -> usize {
        let mut at = 0;
        while at < bytes.len() {
            match std::str::from_utf8(&bytes[at..]) {
                Ok(text) => {
                    self.valid += multi_byte(text);
                    return bytes.len();
                }
                Err(e) => {
                    let good = &bytes[at..at + e.valid_up_to()];
                    // Valid up to here by the error's own word.
                    self.valid += multi_byte(std::str::from_utf8(good).unwrap_or_default());
                    at += e.valid_up_to();
                    match e.error_len() {
                        Some(len) => {
                            self.invalid += 1;
                            at += len;
                        }
                        None if complete => {
                            self.invalid += 1;
                            return bytes.len();
                        }
                        None => return at,
                    }
                }
            }
        }
        at
    }

    /// Whether enough non-ASCII sequences were seen to decide.
    pub fn decisive(&self) -> bool {
        self.valid + self.invalid >= Self::ENOUGH
    }

    /// True when the text reads as UTF-8: no invalid sequence, or at least four valid
    /// characters for every invalid one. Legacy text (Windows-1252 `é` before a letter) is
    /// almost all invalid sequences and next to no valid ones.
    pub fn is_utf8(&self) -> bool {
        self.invalid == 0 || self.valid >= 4 * self.invalid
    }
}

fn multi_byte(text: &str) -> usize {
    text.bytes().filter(|&b| b >= 0xC0).count()
}

/// Guesses the encoding from a byte-order mark, UTF-16's zero bytes, UTF-8 validity, or
/// chardetng's statistics for legacy single-byte encodings such as Windows-1252, checked for
/// Cyrillic code pages it confuses (Mac Cyrillic, IBM855) by [`cyrillic::refine`]. UTF-8 is
/// weighed on its evidence ([`Utf8Evidence`]) over all of `head`, also behind a UTF-8 mark.
pub fn guess_encoding(head: &[u8], complete: bool) -> EncodingGuess {
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        if encoding == UTF_8 {
            let mut evidence = Utf8Evidence::default();
            evidence.feed(&head[bom_len..], complete);
            if !evidence.is_utf8() {
                return EncodingGuess {
                    bom_len,
                    bom_contradicted: true,
                    ..legacy(&head[bom_len..], complete)
                };
            }
        }
        return EncodingGuess {
            encoding,
            bom_len,
            code_page: None,
            bom_contradicted: false,
        };
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return EncodingGuess {
            encoding,
            bom_len: 0,
            code_page: None,
            bom_contradicted: false,
        };
    }
    let mut evidence = Utf8Evidence::default();
    evidence.feed(head, complete);
    if evidence.is_utf8() {
        return EncodingGuess {
            encoding: UTF_8,
            bom_len: 0,
            code_page: None,
            bom_contradicted: false,
        };
    }
    legacy(head, complete)
}

/// chardetng's guess for a legacy single-byte encoding, refined for Cyrillic code pages.
fn legacy(head: &[u8], complete: bool) -> EncodingGuess {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, complete);
    let guessed = detector.guess(None, chardetng::Utf8Detection::Deny);
    // chardetng reads Mac Cyrillic and IBM855 as other code pages: a letter model checks.
    let (encoding, code_page) = match cyrillic::refine(head, guessed) {
        Some(Decoding::Standard(encoding)) => (encoding, None),
        Some(Decoding::Table(page)) => (guessed, Some(page)),
        None => (guessed, None),
    };
    EncodingGuess {
        encoding,
        bom_len: 0,
        code_page,
        bom_contradicted: false,
    }
}

/// Whether the UTF-8 question is open for these first bytes: no byte-order mark other than
/// UTF-8's, and no sign of UTF-16.
pub fn wants_evidence(head: &[u8]) -> bool {
    let mark = Encoding::for_bom(head).map(|(encoding, _)| encoding);
    (mark.is_none() || mark == Some(UTF_8)) && utf16_without_bom(head).is_none()
}

/// UTF-16 text without a mark shows itself by a zero in every other byte (for Latin text).
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let (mut even_zero, mut odd_zero) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even_zero += usize::from(pair[0] == 0);
        odd_zero += usize::from(pair[1] == 0);
    }
    let many = |n: usize| n * 10 >= pairs * 6;
    let few = |n: usize| n * 20 <= pairs;
    if many(odd_zero) && few(even_zero) {
        Some(UTF_16LE)
    } else if many(even_zero) && few(odd_zero) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when decoded text looks like a binary file rather than a table: many NULs or control
/// characters. A stray NUL in a real export does not trip it.
pub fn looks_binary(text: &str) -> bool {
    let total = text.chars().take(SNIFF_BYTES).count();
    if total == 0 {
        return false;
    }
    let (mut nul, mut control) = (0usize, 0usize);
    for c in text.chars().take(SNIFF_BYTES) {
        if c == '\0' {
            nul += 1;
        } else if (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || c == char::REPLACEMENT_CHARACTER
        {
            control += 1;
        }
    }
    (nul >= 8 && nul * 100 > total) || (total >= 16 && control * 10 > total)
}

/// What a text that is no table at all is (an HTML page or a JSON document saved as `.csv`,
/// as a browser or an API client does), by its first characters.
pub fn not_a_table(text: &str) -> Option<&'static str> {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let lower: String = start.chars().take(15).collect::<String>().to_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Some("an HTML page");
    }
    if lower.starts_with("<?xml") {
        return Some("an XML document");
    }
    let mut chars = start.chars().filter(|c| !c.is_whitespace());
    match (chars.next(), chars.next()) {
        (Some('{'), Some('"' | '}')) | (Some('['), Some('{' | '[' | '"' | ']')) => {
            Some("a JSON document")
        }
        _ => None,
    }
}

/// How many lines a text has, as a reader numbers them: each LF, CRLF or lone CR ends one, and
/// text after the last ending is one more.
pub fn count_lines(text: &str) -> u64 {
    let b = text.as_bytes();
    let endings = b
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .count() as u64;
    let tail = !matches!(b.last(), None | Some(b'\n' | b'\r'));
    endings + u64::from(tail)
}

/// The delimiter a first line `sep=;` (Excel's hint, any case) names, if the text opens with
/// one.
pub fn sep_line(text: &str) -> Option<u8> {
    let text = text.trim_start_matches('\u{feff}');
    let line = text.lines().next()?;
    let rest = line
        .get(..4)?
        .eq_ignore_ascii_case("sep=")
        .then(|| &line[4..])?;
    let rest = rest.trim_end_matches('\r');
    match rest.as_bytes() {
        [d] if d.is_ascii_punctuation() || *d == b'\t' || *d == b' ' => Some(*d),
        _ => None,
    }
}

/// How many lines of text without a delimiter open the file above its header (a report
/// export's title, its date line): counted only when a line of at least three fields follows
/// and the line after it has about as many, so a one-column file keeps its first line.
pub fn title_lines(text: &str, delimiter: u8) -> usize {
    let d = delimiter as char;
    let text = text.trim_start_matches('\u{feff}');
    let fields = |line: &str| line.split(d).count();
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(8);
    let mut titles = 0;
    let header = loop {
        match lines.next() {
            Some(line) if !line.contains(d) && titles < 5 => titles += 1,
            Some(line) => break line,
            None => return 0,
        }
    };
    let width = fields(header);
    let next = lines.next().map_or(0, fields);
    if titles > 0 && width >= 3 && next + 1 >= width {
        titles
    } else {
        0
    }
}

/// The delimiter that splits the first lines most consistently into more than one field.
pub fn guess_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0.0f64, 0usize);
    for delimiter in DELIMITERS {
        let counts = field_counts(text, delimiter, 50);
        let Some(mode) = mode(&counts) else { continue };
        if mode < 2 {
            continue;
        }
        let agree = counts.iter().filter(|&&n| n == mode).count() as f64 / counts.len() as f64;
        let better = agree > best.1 + 1e-9 || ((agree - best.1).abs() < 1e-9 && mode > best.2);
        if better {
            best = (delimiter, agree, mode);
        }
    }
    best.0
}

/// Fields per record for the first `limit` records, honouring double quotes.
fn field_counts(text: &str, delimiter: u8, limit: usize) -> Vec<usize> {
    let delimiter = delimiter as char;
    let mut counts = Vec::new();
    let (mut fields, mut in_quotes, mut line_has_text) = (1usize, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            c if c == delimiter && !in_quotes => fields += 1,
            '\r' | '\n' if !in_quotes => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if line_has_text {
                    counts.push(fields);
                    if counts.len() >= limit {
                        return counts;
                    }
                }
                fields = 1;
                line_has_text = false;
                continue;
            }
            _ => {}
        }
        line_has_text = true;
    }
    // The last line counts only when the text ends there (it may be cut mid-record).
    if line_has_text && counts.is_empty() {
        counts.push(fields);
    }
    counts
}

fn mode(counts: &[usize]) -> Option<usize> {
    let mut tally: Vec<(usize, usize)> = Vec::new();
    for &n in counts {
        match tally.iter_mut().find(|(v, _)| *v == n) {
            Some((_, c)) => *c += 1,
            None => tally.push((n, 1)),
        }
    }
    tally
        .into_iter()
        .max_by_key(|&(v, c)| (c, v))
        .map(|(v, _)| v)
}

/// The line ending that is most common outside quoted fields, LF when there is none.
pub fn guess_line_ending(text: &str) -> LineEnding {
    let (mut lf, mut crlf, mut cr) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\r' if !in_quotes => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                    crlf += 1;
                } else {
                    cr += 1;
                }
            }
            '\n' if !in_quotes => lf += 1,
            _ => {}
        }
    }
    if crlf >= lf && crlf >= cr && crlf > 0 {
        LineEnding::Crlf
    } else if cr > lf {
        LineEnding::Cr
    } else {
        LineEnding::Lf
    }
}

/// A delimiter as a user reads it (`tab` rather than an invisible character).
pub fn describe_delimiter(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_string(),
        b' ' => "space".to_string(),
        other => (other as char).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_follows_consistent_field_counts() {
        assert_eq!(guess_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(guess_delimiter("a\tb\n\"x,y\"\t2\n"), b'\t');
        assert_eq!(guess_delimiter("name,notes\n\"Roe; Jane\",\"a|b\"\n"), b',');
        assert_eq!(guess_delimiter("single\nvalue\n"), b',');
    }

    #[test]
    fn quoted_newlines_do_not_end_records() {
        assert_eq!(field_counts("a,b\n\"x\ny\",2\n", b',', 10), vec![2, 2]);
    }

    #[test]
    fn utf16_is_found_with_and_without_a_mark() {
        let text: Vec<u8> = "Name\tEmail\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(guess_encoding(&text, true).encoding, UTF_16LE);
        let mut marked = vec![0xFE, 0xFF];
        marked.extend("Name,Email\n".encode_utf16().flat_map(u16::to_be_bytes));
        let guess = guess_encoding(&marked, true);
        assert_eq!((guess.encoding, guess.bom_len), (UTF_16BE, 2));
    }

    #[test]
    fn utf8_wins_on_evidence_not_on_one_byte() {
        let mut damaged = "Zoë Ørsted,日本\n".repeat(3).into_bytes();
        damaged.extend_from_slice(b"Bad \xff byte\n");
        let guess = guess_encoding(&damaged, true);
        assert_eq!((guess.encoding, guess.bom_contradicted), (UTF_8, false));
        // Windows-1252 letters are invalid sequences, with no valid character among them.
        let legacy = b"Zo\xeb M\xfcller,Jos\xe9\n";
        assert_eq!(guess_encoding(legacy, true).encoding.name(), "windows-1252");
        let mut marked = b"\xef\xbb\xbf".to_vec();
        marked.extend_from_slice(legacy);
        let guess = guess_encoding(&marked, true);
        assert_eq!(guess.encoding.name(), "windows-1252");
        assert_eq!((guess.bom_len, guess.bom_contradicted), (3, true));
        // A character cut at the end of a prefix is no evidence either way.
        let mut evidence = Utf8Evidence::default();
        assert_eq!(evidence.feed("aé".as_bytes().split_at(2).0, false), 1);
        assert_eq!(evidence, Utf8Evidence::default());
    }

    #[test]
    fn line_endings_are_counted_outside_quotes() {
        assert_eq!(guess_line_ending("a\rb\r"), LineEnding::Cr);
        assert_eq!(guess_line_ending("a\r\nb\r\n"), LineEnding::Crlf);
        assert_eq!(guess_line_ending("\"a\r\nb\"\nc\n"), LineEnding::Lf);
    }

    #[test]
    fn binary_is_told_from_text_with_a_stray_nul() {
        assert!(!looks_binary("a,b\n1\0,2\n"));
        let noise: String = (0u8..=255).cycle().take(4000).map(char::from).collect();
        assert!(looks_binary(&noise));
    }

    #[test]
    fn lines_are_counted_as_a_reader_numbers_them() {
        assert_eq!(count_lines(""), 0);
        assert_eq!(count_lines("\n\n\n"), 3);
        assert_eq!(count_lines("\r\n\r\n"), 2);
        assert_eq!(count_lines("\r\r"), 2);
        assert_eq!(count_lines("  \n \t"), 2);
        assert_eq!(count_lines("a"), 1);
    }
}
