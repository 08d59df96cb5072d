//! The checks a row passes before its cells are read: whether it is a record at all (a
//! report's total, title or footer line is not), whether its kind names one of the file's
//! entities, whether it is as long as the header and its text readable; and a deal's status
//! flags, read after its cells.

use crate::entity::Entity;
use crate::profile::{SplitBy, named_kind};
use crate::source::Record;
use crate::transform::plan::FilePlan;
use crate::values::{self, StatusFlag};

use super::{Problem, RowResult};

/// Cell `i` of `record` without surrounding spaces; empty where the row is short.
pub(super) fn cell(record: &Record, i: usize) -> &str {
    values::trimmed(record.fields.get(i).unwrap_or(""))
}

/// Why a row is no record at all (a report's total row, or its title or footer line), if it is
/// none.
pub(super) fn not_a_record(plan: &FilePlan, record: &Record) -> Option<Problem> {
    if let Some(col) = total_row(record) {
        return Some(Problem {
            column: plan.headers.get(col).cloned().unwrap_or_default(),
            value: cell(record, col).to_string(),
            reason: "a report's total row (a label such as \"Grand total\" and numbers only), not a record: not imported".into(),
        });
    }
    // A line of text where the header has several columns: a report's footer
    // ("Confidential Information - Do Not Distribute", "Copyright (c) …") or a title, never
    // a record — a company named after a copyright notice is worse than a rejected line.
    if record.fields.len() == 1 && plan.headers.len() >= 3 && !cell(record, 0).is_empty() {
        return Some(Problem {
            column: plan.headers[0].clone(),
            value: cell(record, 0).to_string(),
            reason: format!(
                "a line of text with one field where the header has {} (a report's title or footer line), not a record: not imported",
                plan.headers.len()
            ),
        });
    }
    None
}

/// Warns when a column naming each row's kind names neither of the file's entities.
pub(super) fn check_kind(plan: &FilePlan, record: &Record, warnings: &mut Vec<Problem>) {
    if let Some((col, then)) = plan.split
        && plan.split_by == SplitBy::Kind
    {
        let value = cell(record, col);
        let named = named_kind(value);
        if !value.is_empty() && named != Some(then) && named != Some(plan.entity) {
            warnings.push(Problem {
                column: plan.headers[col].clone(),
                value: value.to_string(),
                reason: format!(
                    "names neither {} nor {}; the row stays with the {}",
                    plan.entity.plural(),
                    then.plural(),
                    plan.entity.plural()
                ),
            });
        }
    }
}

/// Warns of a row longer or shorter than the header (a longer one's extra values go to the
/// note), of NUL bytes left out and of bytes the file's encoding could not read.
pub(super) fn check_shape(plan: &FilePlan, record: &Record, out: &mut RowResult) {
    if record.fields.len() > plan.headers.len() {
        let extra: Vec<&str> = record
            .fields
            .iter()
            .skip(plan.headers.len())
            .filter(|v| !v.trim().is_empty())
            .collect();
        if !extra.is_empty() {
            let text = extra.join(" | ");
            out.primary
                .notes
                .push(format!("(extra fields beyond the header): {text}"));
            out.warnings.push(Problem {
                column: "(extra fields)".into(),
                value: text,
                reason: "the row has more fields than the header; kept in the note".into(),
            });
        }
    }
    if record.fields.len() < plan.headers.len() && !record.fields.is_empty() {
        out.warnings.push(Problem {
            column: "(missing fields)".into(),
            value: String::new(),
            reason: format!(
                "the row has {} of the header's {} fields; the missing ones are read as empty",
                record.fields.len(),
                plan.headers.len()
            ),
        });
    }
    if record.fields.as_slice().contains('\0')
        && let Some(col) = record.fields.iter().position(|f| f.contains('\0'))
    {
        out.warnings.push(Problem {
            column: plan.headers.get(col).cloned().unwrap_or_default(),
            value: cell(record, col).replace('\0', "\\0"),
            reason: "NUL bytes in the cell were left out".into(),
        });
    }
    if let Some(col) = record.invalid_text {
        out.warnings.push(Problem {
            column: plan.headers.get(col).cloned().unwrap_or_default(),
            value: cell(record, col).to_string(),
            reason: "bytes not valid in the file's encoding were replaced by \u{fffd}".into(),
        });
    }
}

/// A deal's won and closed flags, from the yes/no columns the plan reads them from; a value
/// that is no yes or no is warned of and not read.
pub(super) fn read_status_flags(plan: &FilePlan, record: &Record, out: &mut RowResult) {
    for &(col, flag) in &plan.status_flags {
        let raw = cell(record, col);
        if raw.is_empty() || out.primary.entity != Entity::Deal {
            continue;
        }
        match values::parse_bool(raw) {
            Ok(yes) => match flag {
                StatusFlag::Won => out.primary.status.won = Some(yes),
                StatusFlag::Closed => out.primary.status.closed = Some(yes),
            },
            Err(e) => out.warnings.push(Problem {
                column: plan.headers[col].clone(),
                value: raw.to_string(),
                reason: format!("{e}; the deal's status is not read from it"),
            }),
        }
    }
}

/// The column of a total row's label: the row's first filled cell is `Total`, `Grand total`
/// (…) and every other filled cell is a number or an amount. A company called "Total" has an
/// address, a phone or an e-mail beside its name, so it is no total row.
fn total_row(record: &crate::source::Record) -> Option<usize> {
    let mut filled = record
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !values::trimmed(f).is_empty());
    let (col, label) = filled.next()?;
    // The label first: it rules out nearly every row without reading the others.
    let total = values::is_total_label(label)
        && filled.all(|(_, f)| values::parse_number(f).is_ok() || values::parse_money(f).is_ok());
    total.then_some(col)
}
