//! Durations as CRMs write them (Dynamics 365's and Salesforce's minutes, HubSpot's
//! milliseconds are not among them), normalised to Pipedrive's `HH:MM`.

use super::ValueError;

/// What a bare number in a duration column counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Minutes,
    Hours,
}

impl DurationUnit {
    /// The unit a column's name says (`Duration (hours)`, `Hours`, `Stunden`), else minutes:
    /// Dynamics 365 (`Duration`) and Salesforce (`DurationInMinutes`) count minutes.
    pub fn of_column(header: &str) -> DurationUnit {
        let lower = header.to_lowercase();
        let hours = ["hour", "hrs", "stunden", "horas", "heures"];
        if lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| hours.iter().any(|h| w.starts_with(h)))
        {
            DurationUnit::Hours
        } else {
            DurationUnit::Minutes
        }
    }
}

/// Reads a duration to `HH:MM` (hours may pass 24): a bare number in `unit` (`30`, `1.5`,
/// `1,5`), a number with its unit (`90 min`, `1.5 h`, `2 hours`, `45m`, `1h 30m`), a clock
/// length (`1:30`, `01:30:00`) or ISO 8601 (`PT1H30M`). Seconds are rounded to the minute.
pub fn parse_duration(s: &str, unit: DurationUnit) -> Result<String, ValueError> {
    minutes(s.trim(), unit)
        .filter(|m| *m >= 0.0 && *m < 100.0 * 24.0 * 60.0)
        .map(|m| {
            let total = m.round() as u64;
            format!("{:02}:{:02}", total / 60, total % 60)
        })
        .ok_or_else(|| ValueError::NotADuration(s.to_string()))
}

fn minutes(text: &str, unit: DurationUnit) -> Option<f64> {
    if text.is_empty() {
        return None;
    }
    if let Some(iso) = text.strip_prefix("PT").or_else(|| text.strip_prefix("pt")) {
        return iso_minutes(iso);
    }
    if text.contains(':') {
        let parts: Vec<&str> = text.split(':').collect();
        let number = |p: &str| -> Option<f64> {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        return match parts[..] {
            [h, m] if m.len() == 2 => Some(number(h)? * 60.0 + number(m)?),
            [h, m, s] if m.len() == 2 && s.len() == 2 => {
                Some(number(h)? * 60.0 + number(m)? + number(s)? / 60.0)
            }
            _ => None,
        };
    }
    let mut total = 0.0;
    let mut rest = text;
    let mut any = false;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(rest.len());
        let value: f64 = rest[..end].replace(',', ".").parse().ok()?;
        rest = rest[end..].trim_start();
        let word_end = rest
            .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .unwrap_or(rest.len());
        let word = rest[..word_end].to_lowercase();
        rest = rest[word_end..].trim_start();
        let factor = match word.trim_end_matches('.') {
            "" if !any && rest.is_empty() => match unit {
                DurationUnit::Minutes => 1.0,
                DurationUnit::Hours => 60.0,
            },
            "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "stunden" | "horas" | "heures" => 60.0,
            "m" | "min" | "mins" | "minute" | "minutes" | "minuten" | "minutos" => 1.0,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0 / 60.0,
            _ => return None,
        };
        total += value * factor;
        any = true;
    }
    any.then_some(total)
}

/// `1H30M`, `45M`, `2H`, `90S` (after the `PT`).
fn iso_minutes(text: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut number = String::new();
    let mut any = false;
    for c in text.chars() {
        match c.to_ascii_uppercase() {
            '0'..='9' | '.' => number.push(c),
            unit @ ('H' | 'M' | 'S') => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                any = true;
                total += value
                    * match unit {
                        'H' => 60.0,
                        'M' => 1.0,
                        _ => 1.0 / 60.0,
                    };
            }
            _ => return None,
        }
    }
    (any && number.is_empty()).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_crms_write_them() {
        let minutes = DurationUnit::Minutes;
        let cases = [
            // Dynamics 365 "Duration", Salesforce "DurationInMinutes".
            ("30", minutes, "00:30"),
            ("60", minutes, "01:00"),
            ("1440", minutes, "24:00"),
            ("1.5", DurationUnit::Hours, "01:30"),
            ("1,5", DurationUnit::Hours, "01:30"),
            ("90 min", minutes, "01:30"),
            ("1.5 h", minutes, "01:30"),
            ("2 hours", minutes, "02:00"),
            ("45m", minutes, "00:45"),
            ("1h 30m", minutes, "01:30"),
            ("1:30", minutes, "01:30"),
            ("01:30:00", minutes, "01:30"),
            ("0:45", minutes, "00:45"),
            ("PT1H30M", minutes, "01:30"),
            ("PT45M", minutes, "00:45"),
        ];
        for (text, unit, expected) in cases {
            assert_eq!(
                parse_duration(text, unit).as_deref(),
                Ok(expected),
                "{text}"
            );
        }
    }

    #[test]
    fn not_durations() {
        for text in [
            "",
            "soon",
            "1:3",
            "30 apples",
            "-5",
            "PT",
            "1h30",
            "12:30 PM",
        ] {
            assert_eq!(
                parse_duration(text, DurationUnit::Minutes),
                Err(ValueError::NotADuration(text.into())),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_always_writes_hh_mm(s in "\\PC{0,16}|[0-9.,:hmPTs ]{0,12}") {
            if let Ok(text) = parse_duration(&s, DurationUnit::Minutes) {
                let (h, m) = text.split_once(':').expect("HH:MM");
                proptest::prop_assert!(h.len() >= 2 && m.len() == 2);
            }
        }
    }

    #[test]
    fn units_from_column_names() {
        assert_eq!(DurationUnit::of_column("Duration"), DurationUnit::Minutes);
        assert_eq!(
            DurationUnit::of_column("DurationInMinutes"),
            DurationUnit::Minutes
        );
        assert_eq!(
            DurationUnit::of_column("Duration (hours)"),
            DurationUnit::Hours
        );
        assert_eq!(DurationUnit::of_column("Hours spent"), DurationUnit::Hours);
    }
}
