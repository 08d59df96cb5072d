//! Cyrillic single-byte code pages that chardetng does not tell apart: Mac Cyrillic (read as
//! Windows-1251 or -1252 by it) and IBM855/CP855 (which encoding_rs cannot decode at all). A
//! small letter-frequency model for Russian and Ukrainian picks the code page whose decoding
//! reads as Cyrillic words; text that does not (Latin text with accents) keeps chardetng's guess.

use std::io::{self, Read};

use encoding_rs::{
    Encoding, IBM866, ISO_8859_5, KOI8_U, WINDOWS_1251, WINDOWS_1252, X_MAC_CYRILLIC,
};

/// A single-byte code page encoding_rs lacks: ASCII below 0x80, a table above.
#[derive(Debug, PartialEq, Eq)]
pub struct CodePage {
    /// The name reports and `inspect` use.
    pub name: &'static str,
    high: [char; 128],
}

/// IBM855 (CP855), DOS Cyrillic for Serbian, Macedonian, Russian, Ukrainian, Belarusian.
pub static IBM855: CodePage = CodePage {
    name: "IBM855",
    #[rustfmt::skip]
    high: [
    '\u{0452}', '\u{0402}', '\u{0453}', '\u{0403}', '\u{0451}', '\u{0401}', '\u{0454}', '\u{0404}',
    '\u{0455}', '\u{0405}', '\u{0456}', '\u{0406}', '\u{0457}', '\u{0407}', '\u{0458}', '\u{0408}',
    '\u{0459}', '\u{0409}', '\u{045a}', '\u{040a}', '\u{045b}', '\u{040b}', '\u{045c}', '\u{040c}',
    '\u{045e}', '\u{040e}', '\u{045f}', '\u{040f}', '\u{044e}', '\u{042e}', '\u{044a}', '\u{042a}',
    '\u{0430}', '\u{0410}', '\u{0431}', '\u{0411}', '\u{0446}', '\u{0426}', '\u{0434}', '\u{0414}',
    '\u{0435}', '\u{0415}', '\u{0444}', '\u{0424}', '\u{0433}', '\u{0413}', '\u{00ab}', '\u{00bb}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{0445}', '\u{0425}', '\u{0438}',
    '\u{0418}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255d}', '\u{0439}', '\u{0419}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252c}', '\u{251c}', '\u{2500}', '\u{253c}', '\u{043a}', '\u{041a}',
    '\u{255a}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256c}', '\u{00a4}',
    '\u{043b}', '\u{041b}', '\u{043c}', '\u{041c}', '\u{043d}', '\u{041d}', '\u{043e}', '\u{041e}',
    '\u{043f}', '\u{2518}', '\u{250c}', '\u{2588}', '\u{2584}', '\u{041f}', '\u{044f}', '\u{2580}',
    '\u{042f}', '\u{0440}', '\u{0420}', '\u{0441}', '\u{0421}', '\u{0442}', '\u{0422}', '\u{0443}',
    '\u{0423}', '\u{0436}', '\u{0416}', '\u{0432}', '\u{0412}', '\u{044c}', '\u{042c}', '\u{2116}',
    '\u{00ad}', '\u{044b}', '\u{042b}', '\u{0437}', '\u{0417}', '\u{0448}', '\u{0428}', '\u{044d}',
    '\u{042d}', '\u{0449}', '\u{0429}', '\u{0447}', '\u{0427}', '\u{00a7}', '\u{25a0}', '\u{00a0}',
    ],
};

impl CodePage {
    /// Decodes bytes; every byte is a character, so nothing is ever invalid.
    pub fn decode(&self, bytes: &[u8]) -> String {
        bytes.iter().map(|&b| self.char_of(b)).collect()
    }

    fn char_of(&self, b: u8) -> char {
        if b < 0x80 {
            char::from(b)
        } else {
            self.high[usize::from(b - 0x80)]
        }
    }

    /// A reader that hands out the stream's text as UTF-8.
    pub fn reader<R: Read>(&'static self, inner: R) -> CodePageReader<R> {
        CodePageReader {
            inner,
            page: self,
            pending: Vec::new(),
            at: 0,
        }
    }
}

/// Reads a code page's bytes as UTF-8 text.
pub struct CodePageReader<R> {
    inner: R,
    page: &'static CodePage,
    pending: Vec<u8>,
    at: usize,
}

impl<R: Read> Read for CodePageReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at >= self.pending.len() {
            let mut raw = [0u8; 16 * 1024];
            let n = self.inner.read(&mut raw)?;
            if n == 0 {
                return Ok(0);
            }
            self.pending.clear();
            self.at = 0;
            let mut utf8 = [0u8; 4];
            for &b in &raw[..n] {
                let c = self.page.char_of(b);
                self.pending
                    .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A way to decode a file: one of encoding_rs's encodings or a code page of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    Standard(&'static Encoding),
    Table(&'static CodePage),
}

impl Decoding {
    fn decode(self, bytes: &[u8]) -> String {
        match self {
            Decoding::Standard(e) => e.decode_without_bom_handling(bytes).0.into_owned(),
            Decoding::Table(page) => page.decode(bytes),
        }
    }
}

/// The encodings chardetng may return for single-byte Cyrillic text, right or wrong.
const GUESSES: [&Encoding; 6] = [
    WINDOWS_1252,
    WINDOWS_1251,
    KOI8_U,
    IBM866,
    ISO_8859_5,
    X_MAC_CYRILLIC,
];

/// The Cyrillic single-byte decodings compared.
const CANDIDATES: [Decoding; 6] = [
    Decoding::Standard(WINDOWS_1251),
    Decoding::Standard(X_MAC_CYRILLIC),
    Decoding::Standard(KOI8_U),
    Decoding::Standard(IBM866),
    Decoding::Standard(ISO_8859_5),
    Decoding::Table(&IBM855),
];

/// A better decoding than chardetng's `guessed` one, when the bytes read as Cyrillic words in
/// another code page: every candidate is decoded and the one whose words look most like
/// Russian or Ukrainian wins, if its words are Cyrillic throughout.
pub fn refine(head: &[u8], guessed: &'static Encoding) -> Option<Decoding> {
    if !GUESSES.contains(&guessed) || head.iter().filter(|&&b| b >= 0x80).count() < 8 {
        return None;
    }
    let best = CANDIDATES
        .iter()
        .map(|&d| (d, Reading::of(&d.decode(head))))
        .filter(|(_, r)| r.is_cyrillic_text())
        .max_by(|a, b| a.1.score().total_cmp(&b.1.score()))?;
    (best.0 != Decoding::Standard(guessed)).then_some(best.0)
}

/// What a decoding looks like: its words and how Russian or Ukrainian their letters are.
#[derive(Debug, Default)]
struct Reading {
    /// Words of Cyrillic letters only.
    cyrillic_words: usize,
    /// Words mixing Cyrillic and Latin letters (`cafй`: Latin text in a Cyrillic code page).
    mixed_words: usize,
    /// Characters above ASCII that are no Cyrillic letter (`‚`, `¤`, box drawing).
    odd: usize,
    /// Characters above ASCII.
    high: usize,
    /// Sum of the letters' log-frequencies, and how many were counted.
    log_likelihood: f64,
    letters: usize,
    /// A capital letter right after a small one inside a word.
    case_breaks: usize,
}

impl Reading {
    fn of(text: &str) -> Reading {
        let mut r = Reading::default();
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let (mut cyrillic, mut latin) = (false, false);
            let mut previous_small = false;
            for c in word.chars() {
                if is_cyrillic(c) {
                    cyrillic = true;
                    r.log_likelihood += log_frequency(c);
                    r.letters += 1;
                    if c.is_uppercase() && previous_small {
                        r.case_breaks += 1;
                    }
                } else if c.is_ascii_alphabetic() {
                    latin = true;
                }
                previous_small = c.is_lowercase();
            }
            match (cyrillic, latin) {
                (true, false) if word.chars().count() >= 2 => r.cyrillic_words += 1,
                (true, true) => r.mixed_words += 1,
                _ => {}
            }
        }
        for c in text.chars().filter(|c| !c.is_ascii()) {
            r.high += 1;
            if !is_cyrillic(c) {
                r.odd += 1;
            }
        }
        r
    }

    /// Cyrillic words, few mixed ones, few characters that are no letters.
    fn is_cyrillic_text(&self) -> bool {
        self.cyrillic_words >= 3
            && self.mixed_words * 20 <= self.cyrillic_words
            && self.odd * 10 <= self.high
    }

    /// Mean log-frequency per letter, less a penalty for capitals inside words.
    fn score(&self) -> f64 {
        if self.letters == 0 {
            return f64::MIN;
        }
        (self.log_likelihood - 4.0 * self.case_breaks as f64) / self.letters as f64
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4ff}').contains(&c) && c.is_alphabetic()
}

/// Log of how often a letter occurs in Russian and Ukrainian text (per cent, from published
/// letter counts); letters of neither language (Serbian `ђ`, `љ`) count as very rare.
fn log_frequency(c: char) -> f64 {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let percent = match lower {
        'о' => 10.5,
        'е' => 8.0,
        'а' => 8.0,
        'и' => 6.5,
        'н' => 6.6,
        'т' => 6.0,
        'с' => 5.2,
        'р' => 4.7,
        'в' => 4.5,
        'л' => 4.3,
        'к' => 3.5,
        'м' => 3.1,
        'д' => 3.0,
        'п' => 2.8,
        'у' => 2.8,
        'я' => 2.0,
        'ы' => 1.6,
        'ь' => 1.7,
        'г' => 1.6,
        'з' => 1.7,
        'б' => 1.6,
        'ч' => 1.4,
        'й' => 1.2,
        'х' => 1.0,
        'ж' => 0.9,
        'ш' => 0.7,
        'ю' => 0.7,
        'ц' => 0.6,
        'щ' => 0.4,
        'э' => 0.3,
        'ф' => 0.3,
        'ъ' => 0.04,
        'ё' => 0.1,
        'і' => 2.5,
        'ї' => 0.4,
        'є' => 0.3,
        'ґ' => 0.02,
        _ => 0.0005,
    };
    f64::ln(percent)
}

#[cfg(test)]
mod tests;
