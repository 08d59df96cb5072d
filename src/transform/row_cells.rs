//! Conversions of one cell that hold a rule of their own: a day whose time is left out, an
//! amount whose country prefix names its currency, a yes/no that a date also answers.

use crate::transform::layout::Slot;
use crate::values::{self, DateStyle, DecimalStyle};

use super::{Cells, Problem};

/// A problem with the value `raw` of the column `header`.
pub(super) fn problem(header: &str, raw: &str, reason: String) -> Problem {
    Problem {
        column: header.to_string(),
        value: raw.to_string(),
        reason,
    }
}

/// A date-only field: the day the cell names; a time of day other than midnight is left out
/// with a warning.
pub(super) fn day(
    header: &str,
    raw: &str,
    style: &DateStyle,
    warnings: &mut Vec<Problem>,
) -> Result<Cells, String> {
    let (day, time) = values::parse_day(raw, style).map_err(|e| e.to_string())?;
    if let Some(t) = time.filter(|t| *t != jiff::civil::Time::midnight()) {
        warnings.push(problem(header, raw, format!(
            "the field holds a date only: written as the day the cell names, its time of day {} left out",
            t.strftime("%H:%M")
        )));
    }
    Ok(vec![(None, day.strftime("%Y-%m-%d").to_string())])
}

/// An amount, and its currency when the cell names one (into the currency field); a country
/// code read as the currency's is said in a warning.
pub(super) fn money(
    header: &str,
    raw: &str,
    style: DecimalStyle,
    warnings: &mut Vec<Problem>,
) -> Result<Cells, String> {
    let m = values::parse_money_in(raw, style).map_err(|e| e.to_string())?;
    if let (Some(country), Some(code)) = (&m.country, &m.currency) {
        warnings.push(problem(header, raw, format!(
            "{country} in front of the amount is read as the country code whose currency is {code}"
        )));
    }
    let mut cells = vec![(None, m.amount)];
    if let Some(c) = m.currency {
        let slot = Slot::Field {
            key: "currency".into(),
            label: None,
        };
        cells.push((Some(slot), c));
    }
    Ok(cells)
}

/// A yes/no field: `value` (the cell through the value map) read as yes or no; a cell that
/// holds a date (a completion date in a "done" column) is yes. For whether an activity is
/// `done`, a task's status says it too (`Completed`, `Not Started`).
pub(super) fn yes_no(value: &str, raw: &str, done: bool) -> Result<String, String> {
    let yes = match values::parse_bool(value) {
        Ok(yes) => yes,
        Err(e) => match done.then(|| values::parse_task_status(value)).flatten() {
            Some(yes) => yes,
            None if values::parse_date(raw, &DateStyle::default()).is_ok() => true,
            None => return Err(e.to_string()),
        },
    };
    Ok(if yes { "1" } else { "0" }.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_keeps_the_date_and_says_when_a_time_is_left_out() {
        let mut warnings = Vec::new();
        let style = DateStyle::default();
        assert_eq!(
            day("Due", "2024-03-05 00:00", &style, &mut warnings),
            Ok(vec![(None, "2024-03-05".to_string())])
        );
        assert!(warnings.is_empty(), "midnight is no time of day");
        assert_eq!(
            day("Due", "2024-03-05 14:30", &style, &mut warnings),
            Ok(vec![(None, "2024-03-05".to_string())])
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].column, "Due");
        assert!(
            warnings[0].reason.contains("14:30 left out"),
            "{:?}",
            warnings[0]
        );
        assert!(day("Due", "someday", &style, &mut warnings).is_err());
    }

    #[test]
    fn an_amount_with_a_currency_fills_the_currency_field() {
        let mut warnings = Vec::new();
        let cells = money("Value", "100 EUR", DecimalStyle::default(), &mut warnings).unwrap();
        assert_eq!(cells[0], (None, "100".to_string()));
        assert_eq!(
            cells.get(1),
            Some(&(
                Some(Slot::Field {
                    key: "currency".into(),
                    label: None
                }),
                "EUR".to_string()
            ))
        );
        assert!(warnings.is_empty());
        assert!(money("Value", "twelve", DecimalStyle::default(), &mut warnings).is_err());
    }

    #[test]
    fn a_country_code_in_front_of_an_amount_is_said() {
        let mut warnings = Vec::new();
        let cells = money(
            "Value",
            "SE100000,00",
            DecimalStyle::default(),
            &mut warnings,
        )
        .unwrap();
        assert_eq!(cells.len(), 2, "{cells:?}");
        assert_eq!(cells[1].1, "SEK");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].reason.starts_with("SE in front of the amount"));
    }

    #[test]
    fn yes_and_no_and_a_date_that_means_yes() {
        for done in [false, true] {
            assert_eq!(yes_no("Yes", "Yes", done), Ok("1".to_string()));
            assert_eq!(yes_no("false", "false", done), Ok("0".to_string()));
            // The value map turned "Completed" into yes.
            assert_eq!(yes_no("true", "Completed", done), Ok("1".to_string()));
            assert_eq!(
                yes_no("2024-01-02", "2024-01-02", done),
                Ok("1".to_string())
            );
            assert!(yes_no("perhaps", "perhaps", done).is_err());
        }
    }

    #[test]
    fn whether_an_activity_is_done_is_read_from_its_tasks_status() {
        assert_eq!(
            yes_no("Not Started", "Not Started", true),
            Ok("0".to_string())
        );
        assert_eq!(yes_no("WAITING", "WAITING", true), Ok("0".to_string()));
        assert_eq!(yes_no("Closed", "Closed", true), Ok("1".to_string()));
        // Other yes/no fields (busy or free) take no task status.
        assert!(yes_no("Not Started", "Not Started", false).is_err());
    }
}
