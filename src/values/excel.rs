//! Excel serial day numbers (1900 date system), which spreadsheet round-trips leave in CSVs.

use jiff::SignedDuration;
use jiff::civil::{Date, Time};

use super::date::DateValue;

/// A bare number that may be an Excel serial date: five digits in 20000..=80000, optionally
/// with a fraction.
pub(crate) fn is_excel_serial(s: &str) -> bool {
    let whole = s.split_once('.').map_or(s, |(whole, _)| whole);
    number_shape(s)
        && whole.len() == 5
        && whole
            .parse()
            .is_ok_and(|n: u32| (20000..=80000).contains(&n))
}

/// An Excel serial with a time-of-day fraction of at least three digits (`45292.625`), which
/// amounts and counts rarely have.
pub(crate) fn is_excel_datetime_serial(s: &str) -> bool {
    is_excel_serial(s)
        && s.split_once('.')
            .is_some_and(|(_, fraction)| fraction.len() >= 3)
}

/// Digits with at most one `.` followed by digits.
pub(super) fn number_shape(s: &str) -> bool {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// Excel 1900-system serial → date, or date-time when it has a non-zero fraction.
pub(super) fn excel_serial(text: &str) -> Option<DateValue> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let days: i64 = whole.parse().ok()?;
    // Excel counts a 1900-02-29 that never was (serial 60): from 61 on, the epoch is a day earlier.
    let (epoch, days) = match days {
        1..=59 => (Date::new(1899, 12, 31).ok()?, days),
        61..=2_958_465 => (Date::new(1899, 12, 30).ok()?, days),
        _ => return None,
    };
    let date = epoch
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()?;
    if fraction.bytes().all(|b| b == b'0') {
        return Some(DateValue::Date(date));
    }
    let day_fraction: f64 = format!("0.{fraction}").parse().ok()?;
    let seconds = (day_fraction * 86_400.0).round() as i64;
    let midnight = date.to_datetime(Time::midnight());
    midnight
        .checked_add(SignedDuration::from_secs(seconds))
        .ok()
        .map(DateValue::DateTime)
}
