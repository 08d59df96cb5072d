//! Column-kind inference from sample values: what `inspect` shows for a column, and the data
//! evidence the mapping suggester weighs alongside the header name.

use std::collections::HashSet;

use crate::values::{
    DateStyle, clean_phone, describe_date_format, has_currency_marker, infer_date_style,
    is_excel_datetime_serial, is_excel_serial, is_web_address, parse_bool, parse_email,
    parse_money, parse_number,
};

/// What a column's values look like.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ColumnKind {
    /// No non-empty value in the sample.
    Empty,
    /// E-mail addresses.
    Email,
    /// Phone numbers written with `+`, `00` or separators.
    Phone,
    /// Web addresses (`http(s)://…`, `www.…`, `example.com`).
    Url,
    /// Dates without time; `format` describes how they are written ("DD.MM.YYYY").
    Date {
        /// Human description of the written form.
        format: String,
    },
    /// Dates with a time of day ("ISO 8601 with offset", "Excel serial").
    DateTime {
        /// Human description of the written form.
        format: String,
    },
    /// Whole numbers.
    Integer,
    /// Numbers with a fraction.
    Decimal,
    /// Amounts with a currency mark; `currency` is the ISO code when all marked values agree.
    Money {
        /// ISO 4217 code shared by the values, if any.
        currency: Option<String>,
    },
    /// Yes/no values (a column of only `0` and `1` counts as yes/no).
    Boolean,
    /// Few distinct values, repeated: a single-option field.
    Enum,
    /// Record keys: distinct codes or integers of similar length, without spaces.
    Id,
    /// Anything else.
    Text,
}

impl ColumnKind {
    /// Short human text for the kind: "e-mail", "date (DD.MM.YYYY)", "money (EUR)".
    pub fn label(&self) -> String {
        match self {
            ColumnKind::Empty => "empty".into(),
            ColumnKind::Email => "e-mail".into(),
            ColumnKind::Phone => "phone".into(),
            ColumnKind::Url => "URL".into(),
            ColumnKind::Date { format } => format!("date ({format})"),
            ColumnKind::DateTime { format } => format!("date and time ({format})"),
            ColumnKind::Integer => "integer".into(),
            ColumnKind::Decimal => "decimal number".into(),
            ColumnKind::Money {
                currency: Some(code),
            } => format!("money ({code})"),
            ColumnKind::Money { currency: None } => "money".into(),
            ColumnKind::Boolean => "yes/no".into(),
            ColumnKind::Enum => "single option".into(),
            ColumnKind::Id => "ID".into(),
            ColumnKind::Text => "text".into(),
        }
    }

    /// The Pipedrive `field_type` to suggest for a custom field holding this kind.
    ///
    /// Pipedrive has no e-mail, URL, yes/no or date-time custom field: e-mails, URLs and IDs
    /// become `varchar`, yes/no an `enum` (options Yes/No), date-times a `date` (the time of day
    /// is dropped). Free text becomes `text` (large text) because `varchar` stops at 255
    /// characters.
    pub fn pipedrive_type(&self) -> &'static str {
        match self {
            ColumnKind::Empty | ColumnKind::Email | ColumnKind::Url | ColumnKind::Id => "varchar",
            ColumnKind::Phone => "phone",
            ColumnKind::Date { .. } | ColumnKind::DateTime { .. } => "date",
            ColumnKind::Integer | ColumnKind::Decimal => "double",
            ColumnKind::Money { .. } => "monetary",
            ColumnKind::Boolean | ColumnKind::Enum => "enum",
            ColumnKind::Text => "text",
        }
    }
}

/// Infers a column's kind from its sample values (empty values are ignored).
///
/// A kind wins when at least 90% of the values parse as it, so one bad cell does not flip a
/// column. Kinds are tried in this order, the first that fits wins:
/// 1. Boolean — yes/no words, `x`, `0`/`1`; but not when any value is another number.
/// 2. Email, 3. Url.
/// 4. Date / DateTime — the format most values share; Excel serials only with a time fraction
///    (`45292.625`), because bare five-digit numbers are as often postal codes or record keys.
/// 5. Money — also needs a currency mark on at least half of the values.
/// 6. Id — every value distinct, no spaces, letters-and-digits codes of 4+ characters
///    (lengths within 3) or integers of 5+ digits, or 3+ when zero-padded (lengths within 2).
/// 7. Integer / Decimal — not when any value is zero-padded (`01067`) or a `+`-prefixed
///    phone-length number, whose leading characters a number would lose.
/// 8. Phone — 7–15 digits, and at least half written with `+`, `00` or
///    separators (so plain integers stay Integer).
/// 9. Enum — at least 10 values, at most 20 distinct and at most half of them distinct.
/// 10. Text.
pub fn infer_kind(values: &[&str]) -> ColumnKind {
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let n = values.len();
    if n == 0 {
        return ColumnKind::Empty;
    }
    let count = |fits: &dyn Fn(&str) -> bool| values.iter().filter(|v| fits(v)).count();
    let most = |fits: &dyn Fn(&str) -> bool| count(fits) * 10 >= n * 9;
    let half = |fits: &dyn Fn(&str) -> bool| count(fits) * 2 >= n;

    let other_number = |v: &str| !matches!(v, "0" | "1") && parse_number(v).is_ok();
    if most(&|v| parse_bool(v).is_ok()) && count(&other_number) == 0 {
        return ColumnKind::Boolean;
    }
    if most(&|v| parse_email(v).is_ok()) {
        return ColumnKind::Email;
    }
    if most(&is_web_address) {
        return ColumnKind::Url;
    }
    if let Some(kind) = date_kind(&values) {
        return kind;
    }
    if most(&|v| parse_money(v).is_ok()) && half(&has_currency_marker) {
        return ColumnKind::Money {
            currency: shared_currency(&values),
        };
    }
    if is_id_column(&values) {
        return ColumnKind::Id;
    }
    // One zero-padded value (`03902` among postal codes) is enough: a number would lose it.
    if most(&|v| parse_number(v).is_ok() && !is_code_like(v)) && count(&is_code_like) == 0 {
        let fraction = values
            .iter()
            .filter(|v| !is_code_like(v))
            .filter_map(|v| parse_number(v).ok())
            .any(|n| n.contains('.'));
        return if fraction {
            ColumnKind::Decimal
        } else {
            ColumnKind::Integer
        };
    }
    if most(&|v| phone_digits(v).is_some()) && half(&is_written_like_phone) {
        return ColumnKind::Phone;
    }
    let distinct = values.iter().collect::<HashSet<_>>().len();
    if n >= 10 && distinct <= 20 && distinct * 2 <= n {
        return ColumnKind::Enum;
    }
    ColumnKind::Text
}

/// Date or DateTime named after the most common written format, or Excel datetime serials.
fn date_kind(values: &[&str]) -> Option<ColumnKind> {
    let n = values.len();
    let style = DateStyle {
        excel_serial: false,
        ..infer_date_style(values.iter().copied())
    };
    let described: Vec<(String, bool)> = values
        .iter()
        .filter_map(|v| describe_date_format(v, &style))
        .collect();
    if described.len() * 10 >= n * 9 {
        let mut tally: Vec<(&(String, bool), usize)> = Vec::new();
        for format in &described {
            match tally.iter_mut().find(|(seen, _)| *seen == format) {
                Some((_, hits)) => *hits += 1,
                None => tally.push((format, 1)),
            }
        }
        // Earliest of the most frequent, so ties go to the first value's format.
        let best = tally.iter().rev().max_by_key(|(_, hits)| *hits)?.0.clone();
        let (format, with_time) = best;
        return Some(if with_time {
            ColumnKind::DateTime { format }
        } else {
            ColumnKind::Date { format }
        });
    }
    let serials = values.iter().filter(|v| is_excel_serial(v)).count();
    let with_time = values
        .iter()
        .filter(|v| is_excel_datetime_serial(v))
        .count();
    (serials * 10 >= n * 9 && with_time * 2 >= n).then(|| ColumnKind::DateTime {
        format: "Excel serial".into(),
    })
}

/// The ISO code all currency-marked values share, if they share one.
fn shared_currency(values: &[&str]) -> Option<String> {
    let mut codes = values.iter().filter_map(|v| parse_money(v).ok()?.currency);
    let first = codes.next()?;
    codes.all(|code| code == first).then_some(first)
}

fn is_id_column(values: &[&str]) -> bool {
    let distinct = values.iter().collect::<HashSet<_>>().len() == values.len();
    let shaped = values.iter().all(|v| {
        v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && v.bytes().any(|b| b.is_ascii_digit())
    });
    if values.len() < 2 || !distinct || !shaped {
        return false;
    }
    let lengths = values.iter().map(|v| v.len());
    let (shortest, longest) = (
        lengths.clone().min().unwrap_or(0),
        lengths.max().unwrap_or(0),
    );
    if values.iter().all(|v| v.bytes().all(|b| b.is_ascii_digit())) {
        let zero_padded = values.iter().any(|v| v.starts_with('0'));
        (shortest >= 5 || (zero_padded && shortest >= 3)) && longest - shortest <= 2
    } else {
        let coded = values
            .iter()
            .all(|v| v.bytes().any(|b| b.is_ascii_alphabetic()));
        coded && shortest >= 4 && longest - shortest <= 3
    }
}

/// Digits that a number column would lose: a leading zero (`01067`, `0049…`) or a `+` before
/// a phone-length number (`+4930123456`).
fn is_code_like(v: &str) -> bool {
    let zero_padded = v.len() > 1 && v.starts_with('0') && v.as_bytes()[1].is_ascii_digit();
    zero_padded || (v.starts_with('+') && phone_digits(v).is_some())
}

/// Digit count of a phone number (extension excluded), when it has 7–15.
fn phone_digits(v: &str) -> Option<usize> {
    let cleaned = clean_phone(v).ok()?;
    let number = cleaned.split(" ext. ").next().unwrap_or_default();
    let digits = number.bytes().filter(u8::is_ascii_digit).count();
    (7..=15).contains(&digits).then_some(digits)
}

/// A phone number that shows it is one: `+`, `00` or separators between the digits.
fn is_written_like_phone(v: &str) -> bool {
    let number = v.trim();
    let marked = number.starts_with('+') || number.starts_with("00");
    let separated = number
        .trim_start_matches('+')
        .contains([' ', '-', '.', '(', ')', '/']);
    phone_digits(v).is_some() && (marked || separated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kind(values: &[&str]) -> ColumnKind {
        infer_kind(values)
    }

    fn date(format: &str) -> ColumnKind {
        ColumnKind::Date {
            format: format.into(),
        }
    }

    fn date_time(format: &str) -> ColumnKind {
        ColumnKind::DateTime {
            format: format.into(),
        }
    }

    #[test]
    fn kinds_from_examples() {
        let money = |c: Option<&str>| ColumnKind::Money {
            currency: c.map(str::to_string),
        };
        let cases: Vec<(Vec<&str>, ColumnKind)> = vec![
            (vec![], ColumnKind::Empty),
            (vec!["", "  "], ColumnKind::Empty),
            (
                vec!["ada@example.com", "Bob <bob@x.org>"],
                ColumnKind::Email,
            ),
            (
                vec!["+49 30 1234567", "(555) 123-4567", "0044 20 7946 0958"],
                ColumnKind::Phone,
            ),
            (
                vec!["https://acme.com", "www.globex.de", "initech.io/about"],
                ColumnKind::Url,
            ),
            (vec!["2024-01-05", "2023-12-31"], date("YYYY-MM-DD")),
            (vec!["31.12.2024", "05.01.2024"], date("DD.MM.YYYY")),
            (vec!["12/31/2024", "01/05/2024"], date("MM/DD/YYYY")),
            (
                vec!["03/04/2024", "05/06/2024"],
                date("DD/MM/YYYY or MM/DD/YYYY"),
            ),
            (
                vec!["2024-01-05T10:00:00Z", "2024-01-06T11:00:00+02:00"],
                date_time("ISO 8601 with offset"),
            ),
            (vec!["45292.625", "45293.5"], date_time("Excel serial")),
            (vec!["12", "-3", "1,234"], ColumnKind::Integer),
            (vec!["1.5", "2", "3,25"], ColumnKind::Decimal),
            (vec!["$1,234.50", "$12", "$0.99"], money(Some("USD"))),
            (vec!["1.234,50 €", "12 EUR", "7"], money(Some("EUR"))),
            (vec!["12 €", "$5"], money(None)),
            (vec!["100 kr", "250 kr"], money(None)),
            (vec!["yes", "No", "x"], ColumnKind::Boolean),
            (vec!["0", "1", "1", "0"], ColumnKind::Boolean),
            (
                vec!["0035g00000XyZ12", "0035g00000XyZ13", "0035g00000XyZ12AAA"],
                ColumnKind::Id,
            ),
            (vec!["123456", "123457", "1234580"], ColumnKind::Id),
            (vec!["Acme Corp", "Globex", "Initech"], ColumnKind::Text),
        ];
        for (values, expected) in cases {
            assert_eq!(kind(&values), expected, "{values:?}");
        }
    }

    #[test]
    fn one_bad_cell_does_not_flip_a_column() {
        let dates: Vec<String> = (1..=9).map(|day| format!("2024-01-0{day}")).collect();
        let mut values: Vec<&str> = dates.iter().map(String::as_str).collect();
        values.push("n/a");
        assert_eq!(kind(&values), date("YYYY-MM-DD"));
        values.push("unknown");
        assert_eq!(kind(&values), ColumnKind::Text);
    }

    #[test]
    fn precedence() {
        // Plain integers are not phones, nor (repeating, or short) IDs.
        assert_eq!(kind(&["5551234567", "5551234567"]), ColumnKind::Integer);
        assert_eq!(kind(&["12", "13", "14"]), ColumnKind::Integer);
        // A quantity column of mostly 1 is not yes/no.
        let mut quantities = vec!["1"; 19];
        quantities.push("2");
        assert_eq!(kind(&quantities), ColumnKind::Integer);
        // Bare five-digit numbers (postal codes) are not taken for Excel dates.
        assert_eq!(kind(&["45292", "45292", "80331"]), ColumnKind::Integer);
        // Few repeated values that are no other kind.
        let stages = [
            "Lead", "Won", "Lost", "Lead", "Lead", "Won", "Lead", "Lost", "Lead", "Won",
        ];
        assert_eq!(kind(&stages), ColumnKind::Enum);
        assert_eq!(kind(&stages[..9]), ColumnKind::Text);
        // Dotted names with capitals, and file names, are not bare domains.
        assert_eq!(kind(&["J.Smith", "A.Jones"]), ColumnKind::Text);
        assert_eq!(kind(&["report.pdf", "notes.txt"]), ColumnKind::Text);
        // Leading zeros and `+` make codes and phones, not numbers.
        assert_eq!(kind(&["0001", "0002", "0003"]), ColumnKind::Id);
        assert_eq!(kind(&["+4930123456", "+4930123457"]), ColumnKind::Phone);
        assert_eq!(kind(&["01067", "01067", "10115"]), ColumnKind::Text);
        // One New Hampshire postal code among others keeps the whole column text.
        let mut postal = vec!["60012", "10011", "43151", "75034", "98101"];
        postal.extend(["90021", "92127", "97242", "98020", "84001"]);
        postal.extend(["45678", "48026", "62903", "74285", "80160"]);
        postal.extend(["88558", "89713", "90025", "90032", "03902"]);
        assert_ne!(kind(&postal), ColumnKind::Integer);
        assert_ne!(kind(&postal), ColumnKind::Decimal);
    }

    #[test]
    fn labels_and_pipedrive_types() {
        let cases = [
            (ColumnKind::Email, "e-mail", "varchar"),
            (date("DD.MM.YYYY"), "date (DD.MM.YYYY)", "date"),
            (date_time("ISO 8601"), "date and time (ISO 8601)", "date"),
            (
                ColumnKind::Money {
                    currency: Some("EUR".into()),
                },
                "money (EUR)",
                "monetary",
            ),
            (ColumnKind::Money { currency: None }, "money", "monetary"),
            (ColumnKind::Phone, "phone", "phone"),
            (ColumnKind::Integer, "integer", "double"),
            (ColumnKind::Decimal, "decimal number", "double"),
            (ColumnKind::Boolean, "yes/no", "enum"),
            (ColumnKind::Enum, "single option", "enum"),
            (ColumnKind::Id, "ID", "varchar"),
            (ColumnKind::Url, "URL", "varchar"),
            (ColumnKind::Text, "text", "text"),
            (ColumnKind::Empty, "empty", "varchar"),
        ];
        for (kind, label, field_type) in cases {
            assert_eq!(kind.label(), label);
            assert_eq!(kind.pipedrive_type(), field_type, "{kind:?}");
        }
    }

    #[test]
    fn serialises_with_a_kind_tag() {
        let json = |k: &ColumnKind| serde_json::to_string(k).unwrap_or_default();
        assert_eq!(
            json(&ColumnKind::DateTime {
                format: "ISO 8601".into()
            }),
            r#"{"kind":"date_time","format":"ISO 8601"}"#
        );
        assert_eq!(
            json(&ColumnKind::Money { currency: None }),
            r#"{"kind":"money","currency":null}"#
        );
        assert_eq!(json(&ColumnKind::Email), r#"{"kind":"email"}"#);
    }

    proptest! {
        #[test]
        fn inference_never_panics(values in proptest::collection::vec("\\PC{0,20}", 0..30)) {
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            let kind = infer_kind(&refs);
            prop_assert!(!kind.label().is_empty());
        }
    }
}
