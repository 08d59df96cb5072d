//! Value parsers: turn one source cell into the form Pipedrive's spreadsheet import expects.
//!
//! A leaf of the module graph: reading (`source`), suggesting, duplicate detection and the
//! export all use these parsers, and they import nothing from the rest of pipemap.
//!
//! Every parser is a pure function of its input (and, for dates, of a [`DateStyle`] inferred from
//! the whole column). None of them panics; a cell that cannot be read yields a [`ValueError`] that
//! quotes it, so the audit report can show the user exactly what was rejected.

mod clock;
mod contact;
mod date;
mod decimal;
mod duration;
mod excel;
mod html;
mod money;
mod name;
mod text;
mod web;
mod words;
mod written;

pub use clock::parse_time;
pub use contact::{clean_phone, parse_email, split_multi};
pub use date::{DateStyle, DateValue, DayOrder, infer_date_style, parse_date, parse_day};
pub use decimal::{DecimalEvidence, DecimalMark, DecimalStyle, infer_decimal_style};
pub use duration::{DurationUnit, parse_duration};
pub use html::{decode_entities, html_to_text, is_html};
pub use money::{Money, parse_money, parse_money_in, parse_number, parse_number_in};
pub use name::{is_id_like, join_name, split_full_name, split_link_names};
pub use text::{
    clean_text, clean_text_ref, is_total_label, labelled, parse_bool, parse_task_status,
    split_labels, trimmed,
};
pub use words::{
    DealStatus, StatusFlag, holds_codes, is_secret_column, parse_currency, parse_status,
    stage_status, status_flag,
};

pub(crate) use date::describe_date_format;
pub(crate) use excel::{is_excel_datetime_serial, is_excel_serial};
pub(crate) use money::has_currency_marker;
pub(crate) use web::is_web_address;

/// Why a cell could not be read as the value its column promises.
///
/// Each variant carries the offending text as it was given (before trimming), so that messages
/// and reports can quote it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// Not a date or date-time in any accepted format.
    #[error("not a date: {0:?}")]
    NotADate(String),
    /// A slash or dash date whose day and month are both ≤ 12, in a column whose order is unknown.
    #[error("ambiguous date {0:?}: day and month both fit (column order unknown)")]
    AmbiguousDate(String),
    /// Not a time of day.
    #[error("not a time: {0:?}")]
    NotATime(String),
    /// Not a plain number.
    #[error("not a number: {0:?}")]
    NotANumber(String),
    /// A number that reads as a thousands group or as a fraction (`1.000`, `12,345`) in a
    /// column whose values write both decimal points and decimal commas.
    #[error(
        "ambiguous number {0:?}: the column writes both decimal points and decimal commas, so it may be a thousands group or a fraction"
    )]
    AmbiguousNumber(String),
    /// Not an amount of money (number with an optional currency).
    #[error("not an amount of money: {0:?}")]
    NotMoney(String),
    /// Not a yes/no value.
    #[error("not a yes/no value: {0:?}")]
    NotABoolean(String),
    /// Not an e-mail address.
    #[error("not an e-mail address: {0:?}")]
    NotAnEmail(String),
    /// Not a phone number (too few digits, or letters in it).
    #[error("not a phone number: {0:?}")]
    NotAPhone(String),
    /// A phone a spreadsheet wrote in exponent form with digits dropped (`4.9151E+12`).
    #[error(
        "a phone number a spreadsheet rounded: {0:?} has lost its last digits, and zeros in their place would be another number; export the column as text"
    )]
    RoundedPhone(String),
    /// Not a currency code, name or symbol.
    #[error("not a currency: {0:?}")]
    NotACurrency(String),
    /// A CRM's placeholder for "no value" (`'-99`, `none`), not a value.
    #[error("a placeholder for no value: {0:?}")]
    Placeholder(String),
    /// Not a length of time.
    #[error("not a duration: {0:?}")]
    NotADuration(String),
    /// Not a deal status (won, lost or open) in any language pipemap knows.
    #[error("not a deal status (won, lost or open): {0:?}")]
    NotAStatus(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_quote_the_offending_text() {
        let cases = [
            (
                ValueError::NotADate("31/31/2024".into()),
                r#"not a date: "31/31/2024""#,
            ),
            (
                ValueError::AmbiguousDate("03/04/2024".into()),
                r#"ambiguous date "03/04/2024": day and month both fit (column order unknown)"#,
            ),
            (
                ValueError::NotAnEmail("bob at x".into()),
                r#"not an e-mail address: "bob at x""#,
            ),
            (
                ValueError::NotANumber("12abc".into()),
                r#"not a number: "12abc""#,
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
