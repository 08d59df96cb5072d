//! Times of day, alone or as the tail of a date-time: `15:04`, `3:04 PM`, `15:04:05.123+02:00`.

use jiff::civil::Time;

use super::ValueError;

/// A time of day as read from text, with what the text said about its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Clock {
    pub time: Time,
    /// Seconds east of UTC, when the text carried `Z`, `UTC`, `GMT` or `±hh[:mm]`.
    pub offset: Option<i32>,
    /// Written with AM/PM.
    pub twelve_hour: bool,
}

/// Parses a time of day: `14:30`, `2:30 PM`, `2 pm`, `14:30:00`, `14:30:00.250`.
///
/// A time carrying a UTC offset (`14:30Z`, `14:30+02:00`) is rejected: a bare time cannot be
/// shifted to UTC without its date, and dropping the offset silently would change its meaning.
pub fn parse_time(s: &str) -> Result<Time, ValueError> {
    match parse_clock(s) {
        Some(clock) if clock.offset.is_none() => Ok(clock.time),
        _ => Err(ValueError::NotATime(s.to_string())),
    }
}

/// Reads a clock time with optional AM/PM, `Uhr`, and a trailing offset or zone letter.
pub(super) fn parse_clock(s: &str) -> Option<Clock> {
    let lower = s.trim().to_lowercase();
    let mut rest = lower.as_str();
    rest = rest.strip_suffix("uhr").unwrap_or(rest).trim_end();

    let (without_offset, offset) = split_offset(rest)?;
    rest = without_offset.trim_end();

    let mut meridiem = None;
    for (suffix, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
        if let Some(head) = rest.strip_suffix(suffix) {
            meridiem = Some(pm);
            rest = head.trim_end();
            break;
        }
    }

    let mut parts = rest.splitn(3, ':');
    let hour: i8 = small_number(parts.next()?, 1, 2)?;
    let minute: i8 = match parts.next() {
        Some(m) => small_number(m, 2, 2)?,
        // "3 pm" is a time, a lone "3" is not.
        None if meridiem.is_some() => 0,
        None => return None,
    };
    let (second, nanos) = match parts.next() {
        Some(sec) => seconds(sec)?,
        None => (0, 0),
    };

    let hour = match meridiem {
        Some(pm) if (1..=12).contains(&hour) => (hour % 12) + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => hour,
    };
    let time = Time::new(hour, minute, second, nanos).ok()?;
    Some(Clock {
        time,
        offset,
        twelve_hour: meridiem.is_some(),
    })
}

/// Splits a trailing `Z`, `UTC`, `GMT` or `±hh`, `±hhmm`, `±hh:mm` off a lower-cased time.
/// The outer `None` means the text after the sign is no offset.
fn split_offset(s: &str) -> Option<(&str, Option<i32>)> {
    for zone in ["utc", "gmt", "z"] {
        if let Some(head) = s.strip_suffix(zone) {
            return Some((head, Some(0)));
        }
    }
    let Some(sign_at) = s.rfind(['+', '-']) else {
        return Some((s, None));
    };
    let (head, tail) = s.split_at(sign_at);
    let sign = if tail.starts_with('-') { -1 } else { 1 };
    let digits: String = tail[1..].trim().chars().filter(|&c| c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (small_number(&digits, 2, 2)?, 0),
        4 => (
            small_number(&digits[..2], 2, 2)?,
            small_number(&digits[2..], 2, 2)?,
        ),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some((
        head,
        Some(sign * (i32::from(hours) * 3600 + i32::from(minutes) * 60)),
    ))
}

/// Seconds with an optional fraction (`05`, `05.123`, `05,5`); extra fraction digits are cut.
fn seconds(s: &str) -> Option<(i8, i32)> {
    let (whole, fraction) = match s.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (s, None),
    };
    let second = small_number(whole, 2, 2)?;
    let nanos = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let mut nine: String = f.chars().take(9).collect();
            while nine.len() < 9 {
                nine.push('0');
            }
            nine.parse().ok()?
        }
        Some(_) => return None,
    };
    Some((second, nanos))
}

/// An ASCII-digit number of `min..=max` digits that fits in an `i8`.
pub(super) fn small_number(s: &str, min: usize, max: usize) -> Option<i8> {
    let ok = (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if ok { s.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;

    #[test]
    fn clock_times() {
        let cases = [
            ("14:30", time(14, 30, 0, 0)),
            ("2:30 PM", time(14, 30, 0, 0)),
            ("2:30pm", time(14, 30, 0, 0)),
            ("2:30 p.m.", time(14, 30, 0, 0)),
            ("12:05 AM", time(0, 5, 0, 0)),
            ("12:05 PM", time(12, 5, 0, 0)),
            ("3 pm", time(15, 0, 0, 0)),
            ("14:30:00", time(14, 30, 0, 0)),
            ("09:05:07.25", time(9, 5, 7, 250_000_000)),
            (" 15:04 Uhr ", time(15, 4, 0, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_time(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn not_times() {
        for text in [
            "", "3", "25:00", "13:00 PM", "0:30 am", "14:3", "14:30:61", "14:30Z", "noon",
        ] {
            assert_eq!(
                parse_time(text),
                Err(ValueError::NotATime(text.into())),
                "{text}"
            );
        }
    }

    #[test]
    fn offsets_are_read() {
        let clock = |s| parse_clock(s).map(|c| c.offset);
        assert_eq!(clock("10:00Z"), Some(Some(0)));
        assert_eq!(clock("10:00:00+02:00"), Some(Some(7200)));
        assert_eq!(clock("10:00 -0530"), Some(Some(-19800)));
        assert_eq!(clock("10:00 +01"), Some(Some(3600)));
        assert_eq!(clock("10:00 GMT"), Some(Some(0)));
        assert_eq!(clock("10:00+2"), None);
    }
}
