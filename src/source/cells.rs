//! Workbook cells as text, written the way a careful person would have typed them into a CSV:
//! dates as ISO dates, integers without `.0`, no `1.2E+05` and no float noise such as
//! `30.000000001`, text as it is (leading zeros kept), formulas by their cached value; and
//! cells gathered into rows.

use calamine::{Data, DataRef, ExcelDateTime};

/// The text of a cell.
pub fn data_text(cell: &Data) -> String {
    match cell {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(d) => datetime_text(d),
        Data::DateTimeIso(s) => iso_text(s),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// The text of a cell read by the streaming XLSX reader.
pub fn data_ref_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(d) => datetime_text(d),
        DataRef::DateTimeIso(s) => iso_text(s),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// A number as Excel shows it in a General cell, minus the exponent: integers without a
/// fraction, other numbers rounded to Excel's 15 significant digits and written in their
/// shortest form (so the float noise of `0.1 + 0.2` disappears).
pub fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    // `{}` on f64 never uses an exponent and prints the shortest round-trip digits.
    format!("{rounded}")
}

/// An Excel date/time serial (either date system) as `2024-01-01`, `2024-01-01 13:45:00` or
/// `13:45:00`; a duration as `27:30:00`.
pub fn datetime_text(d: &ExcelDateTime) -> String {
    let serial = d.as_f64();
    if d.is_duration() {
        let secs = (serial * 86_400.0).round() as i64;
        let sign = if secs < 0 { "-" } else { "" };
        let secs = secs.abs();
        return format!(
            "{sign}{}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
    }
    let (y, mo, da, h, mi, s, ms) = d.to_ymd_hms_milli();
    let Ok(mut at) =
        jiff::civil::DateTime::new(y as i16, mo as i8, da as i8, h as i8, mi as i8, s as i8, 0)
    else {
        return number_text(serial);
    };
    if ms >= 500 {
        at = at
            .checked_add(jiff::SignedDuration::from_secs(1))
            .unwrap_or(at);
    }
    let time = at.time();
    if (0.0..1.0).contains(&serial) {
        format!("{time}")
    } else if time == jiff::civil::Time::midnight() {
        format!("{}", at.date())
    } else {
        format!("{} {}", at.date(), at.time())
    }
}

/// ODS writes dates as ISO text: keep them, with a space instead of the `T`.
fn iso_text(s: &str) -> String {
    match s.split_once('T') {
        Some((date, time)) if date.len() == 10 => {
            let time = time.split('.').next().unwrap_or(time);
            if time == "00:00:00" {
                date.to_string()
            } else {
                format!("{date} {time}")
            }
        }
        _ => s.to_string(),
    }
}

/// The columns of a Dynamics 365 "Export to Excel" sheet that are Dynamics' own bookkeeping:
/// `(Do Not Modify) Contact` (the record id), `(Do Not Modify) Row Checksum` and
/// `(Do Not Modify) Modified On`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DynamicsColumns {
    /// The record's id (a GUID): the source id of the row.
    pub record_id: Option<usize>,
    /// The checksum and modified-on columns, which hold nothing to import.
    pub skip: Vec<usize>,
}

const DO_NOT_MODIFY: &str = "(do not modify)";

/// Finds Dynamics 365's "(Do Not Modify)" columns, if the headers have any.
pub fn dynamics_columns(headers: &[String]) -> Option<DynamicsColumns> {
    let mut found = DynamicsColumns::default();
    for (i, h) in headers.iter().enumerate() {
        let lower = h.trim().to_lowercase();
        let Some(rest) = lower.strip_prefix(DO_NOT_MODIFY) else {
            continue;
        };
        match rest.trim() {
            "row checksum" | "modified on" => found.skip.push(i),
            _ if found.record_id.is_none() => found.record_id = Some(i),
            _ => found.skip.push(i),
        }
    }
    (found.record_id.is_some() || !found.skip.is_empty()).then_some(found)
}

/// What a user should know about Dynamics' columns, for `inspect`'s warnings.
pub fn dynamics_notes(headers: &[String]) -> Vec<String> {
    let Some(found) = dynamics_columns(headers) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    if let Some(i) = found.record_id {
        notes.push(format!(
            "column {} {:?} is the Dynamics 365 record id: use it as the source id",
            i + 1,
            headers[i]
        ));
    }
    if !found.skip.is_empty() {
        let names: Vec<String> = found
            .skip
            .iter()
            .map(|&i| format!("{:?}", headers[i]))
            .collect();
        notes.push(format!(
            "{} {} Dynamics 365 bookkeeping: skip when mapping",
            names.join(", "),
            if names.len() == 1 { "is" } else { "are" }
        ));
    }
    notes
}

/// Gathers cells, in sheet order, into rows; a row without any text is no row at all.
#[derive(Default)]
pub(crate) struct RowBuilder {
    row: Option<u32>,
    cells: Vec<String>,
    /// The sheet's first used column, which becomes the table's first column.
    pub(crate) first_col: u32,
}

impl RowBuilder {
    /// Adds a cell; returns the previous row when this cell starts a new one.
    pub(crate) fn push(&mut self, row: u32, col: u32, text: String) -> Option<(u64, Vec<String>)> {
        let done = if self.row != Some(row) {
            let done = self.take();
            self.row = Some(row);
            done
        } else {
            None
        };
        if !text.is_empty() {
            let col = col.saturating_sub(self.first_col) as usize;
            if self.cells.len() <= col {
                self.cells.resize(col + 1, String::new());
            }
            self.cells[col] = text;
        }
        done
    }

    /// The row gathered so far, with its 1-based row number, if it holds any text.
    pub(crate) fn take(&mut self) -> Option<(u64, Vec<String>)> {
        let row = self.row?;
        if self.cells.iter().all(|c| c.trim().is_empty()) {
            self.cells.clear();
            return None;
        }
        Some((u64::from(row) + 1, std::mem::take(&mut self.cells)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType::{DateTime, TimeDelta};

    #[test]
    fn rows_are_gathered_and_empty_rows_passed_over() {
        let mut b = RowBuilder::default();
        assert_eq!(b.push(0, 0, "Name".into()), None);
        assert_eq!(b.push(0, 2, "Zip".into()), None);
        let first = b.push(1, 0, String::new());
        assert_eq!(
            first,
            Some((1, vec!["Name".into(), String::new(), "Zip".into()]))
        );
        assert_eq!(b.push(3, 1, "x".into()), None);
        assert_eq!(b.take(), Some((4, vec![String::new(), "x".into()])));
    }

    #[test]
    fn numbers_print_as_a_person_reads_them() {
        assert_eq!(number_text(123456789012.0), "123456789012");
        assert_eq!(number_text(120000.0), "120000");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(29.999999999999996), "30");
        assert_eq!(number_text(30.000000001), "30.000000001");
        assert_eq!(number_text(-1.5), "-1.5");
        assert_eq!(number_text(1e-7), "0.0000001");
        assert!(!number_text(1.2e20).contains('e'));
    }

    #[test]
    fn dates_in_both_systems_become_iso() {
        let d = |v, is_1904| datetime_text(&ExcelDateTime::new(v, DateTime, is_1904));
        assert_eq!(d(45292.0, false), "2024-01-01");
        assert_eq!(d(43830.0, true), "2024-01-01");
        assert_eq!(d(45292.572916666664, false), "2024-01-01 13:45:00");
        assert_eq!(d(0.5, false), "12:00:00");
        assert_eq!(d(45292.99999999, false), "2024-01-02");
        assert_eq!(
            datetime_text(&ExcelDateTime::new(1.25, TimeDelta, false)),
            "30:00:00"
        );
    }

    #[test]
    fn iso_dates_lose_the_t() {
        assert_eq!(iso_text("2024-01-01T00:00:00"), "2024-01-01");
        assert_eq!(iso_text("2024-01-01T13:45:00.000"), "2024-01-01 13:45:00");
        assert_eq!(iso_text("2024-01-01"), "2024-01-01");
    }

    #[test]
    fn dynamics_columns_are_recognised() {
        let headers: Vec<String> = [
            "(Do Not Modify) Contact",
            "(Do Not Modify) Row Checksum",
            "(Do Not Modify) Modified On",
            "Full Name",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let found = dynamics_columns(&headers).unwrap();
        assert_eq!(found.record_id, Some(0));
        assert_eq!(found.skip, [1, 2]);
        assert_eq!(dynamics_notes(&headers).len(), 2);
        assert!(dynamics_columns(&headers[3..]).is_none());
    }
}
