//! Guessing how a delimited text file is written: its encoding, delimiter and line endings,
//! from the first bytes only, so that a file of any size opens at once.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use serde::Serialize;

use super::cyrillic::{self, CodePage, Decoding};

/// How many bytes of a file are read to guess its encoding and dialect.
pub const SNIFF_BYTES: usize = 256 * 1024;

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

/// Guesses the encoding from a byte-order mark, UTF-16's zero bytes, UTF-8 validity, or
/// chardetng's statistics for legacy single-byte encodings such as Windows-1252, checked for
/// Cyrillic code pages it confuses (Mac Cyrillic, IBM855) by [`cyrillic::refine`].
pub fn guess_encoding(head: &[u8], complete: bool) -> EncodingGuess {
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        return EncodingGuess {
            encoding,
            bom_len,
            code_page: None,
        };
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return EncodingGuess {
            encoding,
            bom_len: 0,
            code_page: None,
        };
    }
    let utf8_ok = match std::str::from_utf8(head) {
        Ok(_) => true,
        // A prefix may end inside a character; that is not a fault of the file.
        Err(e) => e.error_len().is_none() && !complete,
    };
    if utf8_ok {
        return EncodingGuess {
            encoding: UTF_8,
            bom_len: 0,
            code_page: None,
        };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, complete);
    let guessed = detector.guess(None, chardetng::Utf8Detection::Allow);
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
    }
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
}
