//! Dates written with a month name, in the languages CRM exports commonly use (English, German,
//! French, Spanish, Portuguese, Dutch, Italian).

use jiff::civil::Date;

use super::clock::small_number;
use super::date::year_number;

/// Month names by month number (index 0 = January). A word matches a month when it equals one
/// of its names or is a prefix of at least three letters of one (`Sept`, `Okt`, `Jän`).
#[rustfmt::skip]
const MONTHS: [&[&str]; 12] = [
    &["january", "januar", "jänner", "janvier", "enero", "janeiro", "januari", "gennaio"],
    &[
        "february", "februar", "feber", "février", "fevrier", "febrero", "fevereiro", "februari",
        "febbraio",
    ],
    &["march", "märz", "maerz", "mars", "marzo", "março", "marco", "maart"],
    &["april", "avril", "abril", "aprile"],
    &["may", "mai", "mayo", "maio", "mei", "maggio"],
    &["june", "juni", "juin", "junio", "junho", "giugno"],
    &["july", "juli", "juillet", "julio", "julho", "luglio"],
    &["august", "août", "aout", "agosto", "augustus"],
    &["september", "septembre", "septiembre", "setembro", "settembre"],
    &["october", "oktober", "octobre", "octubre", "outubro", "ottobre"],
    &["november", "novembre", "noviembre", "novembro"],
    &["december", "dezember", "décembre", "decembre", "diciembre", "dezembro", "dicembre"],
];

/// Weekday names, skipped when they lead a date ("Friday, January 5, 2024").
#[rustfmt::skip]
const WEEKDAYS: [&str; 14] = [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag",
    "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
];

/// Words that may stand between the parts of a written date ("5th of January", "5 de enero",
/// "5 Jan 2024 at", "31.12.2024 um").
const FILLERS: [&str; 7] = ["of", "the", "de", "del", "at", "um", "à"];

/// `Jan 5, 2024`, `5 Jan 2024`, `Friday, January 5th, 2024`, `5. Januar 2024`, `05-Jan-24`.
/// Returns the date and whether the month came before the day.
pub(super) fn written_date(text: &str) -> Option<(Date, bool)> {
    let mut month = None;
    let mut numbers: Vec<(usize, &str)> = Vec::new();
    let words = text.split(|c: char| c.is_whitespace() || ",./-".contains(c));
    for (index, word) in words.filter(|w| !w.is_empty()).enumerate() {
        let digits = strip_ordinal(word);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            numbers.push((index, digits));
        } else if let Some(m) = month_number(word) {
            if month.replace((index, m)).is_some() {
                return None;
            }
        } else if !(is_weekday(word) || is_filler(word)) {
            return None;
        }
    }
    let (month_at, month) = month?;
    let [(first_at, first), (second_at, second)] = numbers[..] else {
        return None;
    };
    let ((day_at, day), year) = if first.len() == 4 {
        ((second_at, second), first)
    } else {
        ((first_at, first), second)
    };
    let date = Date::new(year_number(year)?, month, small_number(day, 1, 2)?).ok()?;
    Some((date, month_at < day_at))
}

/// `5th` → `5`; other words unchanged.
fn strip_ordinal(word: &str) -> &str {
    let lower = word.to_ascii_lowercase();
    for suffix in ["st", "nd", "rd", "th"] {
        if lower.ends_with(suffix) && word.len() > 2 {
            return &word[..word.len() - 2];
        }
    }
    word
}

/// The month number (1–12) a word names, if exactly one month fits it.
fn month_number(word: &str) -> Option<i8> {
    let word = word.to_lowercase();
    if word.chars().count() < 3 {
        return None;
    }
    let mut found = None;
    for (index, names) in MONTHS.iter().enumerate() {
        if names.iter().any(|name| name.starts_with(word.as_str())) {
            if found.is_some() {
                return None;
            }
            found = Some(index as i8 + 1);
        }
    }
    found
}

/// Whether a word is a weekday name or an abbreviation of one (two letters or more: `Mo`, `Fri`).
fn is_weekday(word: &str) -> bool {
    let word = word.to_lowercase();
    word.chars().count() >= 2 && WEEKDAYS.iter().any(|day| day.starts_with(word.as_str()))
}

/// Whether a word is a connecting word that carries no date information.
pub(super) fn is_filler(word: &str) -> bool {
    FILLERS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_words() {
        let cases = [
            ("Jan", Some(1)),
            ("January", Some(1)),
            ("Januar", Some(1)),
            ("Jän", Some(1)),
            ("FEB", Some(2)),
            ("März", Some(3)),
            ("Mar", Some(3)),
            ("mai", Some(5)),
            ("Sept", Some(9)),
            ("Okt", Some(10)),
            ("déc", Some(12)),
            ("Ju", None),
            ("Jun", Some(6)),
            ("Jul", Some(7)),
            ("Juneteenth", None),
            ("foo", None),
        ];
        for (word, expected) in cases {
            assert_eq!(month_number(word), expected, "{word}");
        }
    }

    #[test]
    fn weekdays_and_fillers() {
        assert!(is_weekday("Fri"));
        assert!(is_weekday("Montag"));
        assert!(!is_weekday("Jan"));
        assert!(is_filler("of"));
        assert!(!is_filler("jan"));
    }
}
