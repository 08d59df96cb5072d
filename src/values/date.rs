//! Dates and date-times in the shapes CRM exports write them, normalised to Pipedrive's
//! `YYYY-MM-DD` / `YYYY-MM-DD HH:MM:SS`.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime, Time};

use super::ValueError;
use super::clock::{Clock, parse_clock, small_number};
use super::excel::{excel_serial, is_excel_serial, number_shape};
use super::written::{is_filler, written_date};

/// Which number comes first in a numeric date whose year is last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// Day first: `31/12/2024`, `31.12.2024`.
    Dmy,
    /// Month first: `12/31/2024`.
    Mdy,
}

/// What a whole column tells about how to read its dates; see [`infer_date_style`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateStyle {
    /// Order for numeric dates whose first two numbers are both ≤ 12; `None` when the column
    /// gave no evidence or conflicting evidence.
    pub order: Option<DayOrder>,
    /// Bare numbers are Excel serial day numbers (1900 date system).
    pub excel_serial: bool,
}

/// A parsed date, or date-time (already shifted to UTC if the text carried an offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// A calendar date without a time of day.
    Date(Date),
    /// A date with a time of day.
    DateTime(DateTime),
}

impl DateValue {
    /// Formats for Pipedrive's import: `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` for date-times
    /// (fractions of a second are dropped). A date-time that was written with `Z` or a `±hh:mm`
    /// offset was converted to UTC by [`parse_date`], so this prints UTC for it.
    pub fn to_pipedrive(&self) -> String {
        // One string, its digits written in place: a million rows of dates cost a million
        // small allocations and no formatting machinery.
        let mut out = String::with_capacity(19);
        let date = match self {
            DateValue::Date(d) => *d,
            DateValue::DateTime(dt) => dt.date(),
        };
        let year = date.year();
        if (0..=9999).contains(&year) {
            push_digits(&mut out, year as u32, 4);
        } else {
            out.push_str(&format!("{year:04}"));
        }
        for (sep, n) in [('-', date.month()), ('-', date.day())] {
            out.push(sep);
            push_digits(&mut out, n as u32, 2);
        }
        if let DateValue::DateTime(dt) = self {
            let t = dt.time();
            for (sep, n) in [(' ', t.hour()), (':', t.minute()), (':', t.second())] {
                out.push(sep);
                push_digits(&mut out, n as u32, 2);
            }
        }
        out
    }
}

/// Appends `n`'s last `width` decimal digits, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Infers how to read a column's dates from all its values.
///
/// A numeric date (year last) whose first number is > 12 is evidence for day-first, whose second
/// number is > 12 for month-first; dotted dates (`31.12.2024`) count as day-first. Evidence both
/// ways leaves `order` at `None`. Bare numbers of five digits in 20000..=80000 (1954–2119)
/// set `excel_serial`, but only when no value has another date shape. Empty values and values
/// that are no date at all are ignored.
pub fn infer_date_style<'a>(values: impl IntoIterator<Item = &'a str>) -> DateStyle {
    let (mut day_first, mut month_first, mut serials, mut other_shapes) = (0, 0, 0, 0);
    for value in values {
        let text = value.trim();
        if text.is_empty() {
            continue;
        }
        if is_excel_serial(text) {
            serials += 1;
            continue;
        }
        let Some(reading) = read(text, &DateStyle::default()) else {
            continue;
        };
        other_shapes += 1;
        if let Shape::Numeric {
            order,
            evidence: true,
            ..
        } = reading.shape
        {
            match order {
                FieldOrder::Dmy => day_first += 1,
                FieldOrder::Mdy => month_first += 1,
                FieldOrder::Ymd | FieldOrder::Unknown => {}
            }
        }
    }
    let order = match (day_first > 0, month_first > 0) {
        (true, false) => Some(DayOrder::Dmy),
        (false, true) => Some(DayOrder::Mdy),
        _ => None,
    };
    DateStyle {
        order,
        excel_serial: serials > 0 && other_shapes == 0,
    }
}

/// Parses a date or date-time.
///
/// Accepted: ISO `2024-01-05`, `2024-01-05T10:00`, `2024-01-05 10:00:00.5Z`,
/// `2024-01-05T10:00:00+02:00`; numeric `1/5/2024`, `1/5/24`, `31.12.2024`, `31/12/2024`,
/// `31-12-2024`, `2024/01/05`; written `Jan 5, 2024`, `5 Jan 2024`, `January 5th, 2024`,
/// `Fri, 5 Jan 2024`, `5. Januar 2024` (English, German, French, Spanish, Portuguese, Dutch and
/// Italian month names); any of these followed by a time (`3:04 PM`, `15:04`, `15:04:05`,
/// optionally with an offset). Date-times with `Z` or an offset are converted to UTC.
///
/// Two-digit years: 00–68 are 2000–2068, 69–99 are 1969–1999 (the POSIX `%y` rule).
///
/// A numeric date whose first two numbers are both ≤ 12 and differ (`03/04/2024`) is read with
/// `style.order`, and is [`ValueError::AmbiguousDate`] when that is `None`. When only one reading
/// is a real date (`31/12/2024`), it is taken whatever `style.order` says. Dotted dates are
/// day-first unless that reading is impossible.
///
/// Bare numbers are Excel serial days only when `style.excel_serial` is set: 1900 system, with
/// Excel's phantom 1900-02-29 (serial 60) rejected, so 59 = 1900-02-28 and 61 = 1900-03-01;
/// a fraction is the time of day.
pub fn parse_date(s: &str, style: &DateStyle) -> Result<DateValue, ValueError> {
    if let Some(value) = plain_iso(s) {
        return Ok(value);
    }
    read_date(s, style)
}

/// [`parse_date`] without its shortcut for the plain ISO 8601 shapes.
fn read_date(s: &str, style: &DateStyle) -> Result<DateValue, ValueError> {
    match read(s, style) {
        Some(reading) if reading.ambiguous => Err(ValueError::AmbiguousDate(s.to_string())),
        Some(reading) => Ok(reading.value),
        None => Err(ValueError::NotADate(s.to_string())),
    }
}

/// The value of `2024-03-10`, `2024-03-10 13:05:09` or `2024-03-10T13:05:09Z` (UTC), the
/// shapes most exports write every date in, read straight from their digits; None for any
/// other text (and for a day or time that does not exist), which the whole rules then read.
fn plain_iso(s: &str) -> Option<DateValue> {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i16> {
        let mut n: i16 = 0;
        for &d in b.get(range)? {
            if !d.is_ascii_digit() {
                return None;
            }
            n = n * 10 + i16::from(d - b'0');
        }
        Some(n)
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(0..4).filter(|y| (1000..=2999).contains(y))?;
    let (month, day) = (digits(5..7)?, digits(8..10)?);
    let date = Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    let with_time = match (b.len(), b.get(10)) {
        (10, _) => return Some(DateValue::Date(date)),
        (19, Some(b' ')) => true,
        (20, Some(b'T')) => b[19] == b'Z',
        _ => false,
    };
    if !with_time || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let small = |range| digits(range).and_then(|n| i8::try_from(n).ok());
    let time = Time::new(small(11..13)?, small(14..16)?, small(17..19)?, 0).ok()?;
    Some(DateValue::DateTime(date.to_datetime(time)))
}

/// Parses a value for a date-only field: the calendar day the text writes, its time of day
/// and offset left out (`2024-03-10T00:00+01:00` is 10 March, not 9 March in UTC). Accepts
/// what [`parse_date`] accepts, with the same ambiguity rules; also returns the time of day
/// the text wrote, if any, so a caller can say it was left out.
pub fn parse_day(s: &str, style: &DateStyle) -> Result<(Date, Option<Time>), ValueError> {
    match read(s, style) {
        Some(reading) if reading.ambiguous => Err(ValueError::AmbiguousDate(s.to_string())),
        Some(reading) => Ok((reading.day, reading.clock.map(|c| c.time))),
        None => Err(ValueError::NotADate(s.to_string())),
    }
}

/// A short description of the format a date value is written in ("DD.MM.YYYY", "ISO 8601 with
/// offset"), and whether it carries a time of day; `None` when it is no date. Ambiguous numeric
/// dates are described as "DD/MM/YYYY or MM/DD/YYYY".
pub(crate) fn describe_date_format(s: &str, style: &DateStyle) -> Option<(String, bool)> {
    let reading = read(s, style)?;
    let clock = || match reading.clock {
        None => String::new(),
        Some(c) if c.twelve_hour => " h:mm AM/PM".to_string(),
        Some(c) if c.offset.is_some() => " HH:MM with offset".to_string(),
        Some(_) => " HH:MM".to_string(),
    };
    let text = match reading.shape {
        Shape::Excel => "Excel serial".to_string(),
        Shape::Iso { .. } if reading.clock.is_some_and(|c| c.offset.is_some()) => {
            "ISO 8601 with offset".to_string()
        }
        Shape::Iso { t: true } => "ISO 8601".to_string(),
        Shape::Iso { t: false } => format!("YYYY-MM-DD{}", clock()),
        Shape::Numeric {
            order,
            separator,
            short_year,
            ..
        } => {
            let year = if short_year { "YY" } else { "YYYY" };
            let s = separator;
            let date = match order {
                FieldOrder::Ymd => format!("{year}{s}MM{s}DD"),
                FieldOrder::Dmy => format!("DD{s}MM{s}{year}"),
                FieldOrder::Mdy => format!("MM{s}DD{s}{year}"),
                FieldOrder::Unknown => format!("DD{s}MM{s}{year} or MM{s}DD{s}{year}"),
            };
            format!("{date}{}", clock())
        }
        Shape::Written { month_first: true } => format!("Mon D, YYYY{}", clock()),
        Shape::Written { month_first: false } => format!("D Mon YYYY{}", clock()),
    };
    Some((text, matches!(reading.value, DateValue::DateTime(_))))
}

/// Field order of a numeric date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldOrder {
    Ymd,
    Dmy,
    Mdy,
    /// Day and month both ≤ 12 and no column order known.
    Unknown,
}

/// How a date was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `YYYY-MM-DD`, with `T` before the time when `t`.
    Iso {
        t: bool,
    },
    /// Digits and one separator; `evidence` when the value itself fixes the order.
    Numeric {
        order: FieldOrder,
        separator: char,
        short_year: bool,
        evidence: bool,
    },
    /// With a month name.
    Written {
        month_first: bool,
    },
    Excel,
}

/// Everything [`read`] learns from one value.
#[derive(Debug, Clone, Copy)]
struct Reading {
    value: DateValue,
    /// The calendar day as the text writes it (before a shift to UTC).
    day: Date,
    shape: Shape,
    clock: Option<Clock>,
    /// Read with a provisional order that the column does not confirm.
    ambiguous: bool,
}

fn read(s: &str, style: &DateStyle) -> Option<Reading> {
    let text = s.trim();
    if style.excel_serial && number_shape(text) {
        let value = excel_serial(text)?;
        let day = match value {
            DateValue::Date(d) => d,
            DateValue::DateTime(dt) => dt.date(),
        };
        return Some(Reading {
            value,
            day,
            shape: Shape::Excel,
            clock: None,
            ambiguous: false,
        });
    }
    let (date_text, time_text, t_separator) = split_date_time(text);
    let (date, shape, ambiguous) = read_calendar(date_text, style)?;
    let clock = match time_text {
        Some(t) => Some(parse_clock(t)?),
        None => None,
    };
    let value = match clock {
        None => DateValue::Date(date),
        Some(c) => {
            let local = date.to_datetime(c.time);
            let offset = SignedDuration::from_secs(i64::from(c.offset.unwrap_or(0)));
            DateValue::DateTime(local.checked_sub(offset).ok()?)
        }
    };
    let shape = match shape {
        Shape::Iso { .. } => Shape::Iso { t: t_separator },
        other => other,
    };
    Some(Reading {
        value,
        day: date,
        shape,
        clock,
        ambiguous,
    })
}

/// Splits `date T time` or `date time` (the time being the first word with a colon, or a
/// number followed by AM/PM); the flag tells a `T` split.
fn split_date_time(text: &str) -> (&str, Option<&str>, bool) {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let digit_around = i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if (b == b'T' || b == b't') && digit_around {
            return (&text[..i], Some(&text[i + 1..]), true);
        }
    }
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let meridiem = |w: &str| ["am", "pm", "a.m.", "p.m."].contains(&w.to_lowercase().as_str());
    let start = words.iter().position(|(_, w)| w.contains(':')).or_else(|| {
        let last = words.len().checked_sub(1)?;
        (last >= 2 && meridiem(words[last].1)).then(|| last - 1)
    });
    match start {
        Some(index) if index > 0 => {
            let at = words[index].0;
            (text[..at].trim_end(), Some(&text[at..]), false)
        }
        _ => (text, None, false),
    }
}

/// Reads the calendar part; returns the date, its shape, and whether its order was a guess.
fn read_calendar(text: &str, style: &DateStyle) -> Option<(Date, Shape, bool)> {
    let mut text = text.trim().trim_end_matches(',').trim_end();
    // "31.12.2024 um 15:04", "Jan 5, 2024 at 3 PM": the connecting word stays with the date.
    while let Some((head, last)) = text.rsplit_once(char::is_whitespace) {
        if !is_filler(last) {
            break;
        }
        text = head.trim_end().trim_end_matches(',').trim_end();
    }
    numeric_date(text, style).or_else(|| {
        let (date, month_first) = written_date(text)?;
        Some((date, Shape::Written { month_first }, false))
    })
}

fn numeric_date(text: &str, style: &DateStyle) -> Option<(Date, Shape, bool)> {
    let separator = text.chars().find(|c| !c.is_ascii_digit())?;
    if !['/', '.', '-'].contains(&separator) {
        return None;
    }
    let parts: Vec<&str> = text.split(separator).collect();
    let [first, second, third] = parts[..] else {
        return None;
    };
    if first.len() == 4 {
        let year = year_number(first)?;
        let date = Date::new(
            year,
            small_number(second, 1, 2)?,
            small_number(third, 1, 2)?,
        )
        .ok()?;
        let shape = match separator {
            '-' if second.len() == 2 && third.len() == 2 => Shape::Iso { t: false },
            _ => Shape::Numeric {
                order: FieldOrder::Ymd,
                separator,
                short_year: false,
                evidence: true,
            },
        };
        return Some((date, shape, false));
    }
    let (a, b) = (small_number(first, 1, 2)?, small_number(second, 1, 2)?);
    let year = year_number(third)?;
    let (order, evidence, ambiguous) = if a > 12 {
        (FieldOrder::Dmy, true, false)
    } else if b > 12 {
        (FieldOrder::Mdy, true, false)
    } else if separator == '.' {
        (FieldOrder::Dmy, true, false)
    } else {
        let column = match style.order {
            Some(DayOrder::Dmy) => FieldOrder::Dmy,
            Some(DayOrder::Mdy) => FieldOrder::Mdy,
            None => FieldOrder::Unknown,
        };
        (column, false, column == FieldOrder::Unknown && a != b)
    };
    let (day, month) = if order == FieldOrder::Mdy {
        (b, a)
    } else {
        (a, b)
    };
    let date = Date::new(year, month, day).ok()?;
    let short_year = third.len() == 2;
    Some((
        date,
        Shape::Numeric {
            order,
            separator,
            short_year,
            evidence,
        },
        ambiguous,
    ))
}

/// A four-digit year, or a two-digit one by the POSIX pivot (69–99 → 19xx, 00–68 → 20xx).
pub(super) fn year_number(s: &str) -> Option<i16> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        4 => s.parse().ok(),
        2 => s
            .parse::<i16>()
            .ok()
            .map(|y| if y >= 69 { 1900 + y } else { 2000 + y }),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
