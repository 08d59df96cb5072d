//! The report's section on one file's columns: where each went, how full it was, and what to
//! know about them.

use std::fmt::Write;

use crate::entity::Entity;
use crate::profile::SplitBy;
use crate::schema::Schema;
use crate::transform::plan::{Conv, FilePlan, Rule};
use crate::transform::result::Export;
use crate::transform::tally::ColumnTally;

use super::{describe, escape};

/// One file's columns: where each went, how full it was, and what to know about them.
pub(super) fn file_columns(
    md: &mut String,
    export: &Export,
    schema: &Schema,
    fi: usize,
    plan: &FilePlan,
) {
    let counts = &export.summary.files[fi];
    let _ = writeln!(md, "### {} → {}\n", plan.file, plan.entity);
    if let Some(line) = split_rows(plan, counts.split_rows) {
        let _ = writeln!(md, "{line}\n");
    }
    let tallies = export.tally.columns.get(fi).map_or(&[][..], Vec::as_slice);
    column_table(md, plan, schema, tallies, counts.rows_in);
    column_notes(md, plan);
    let _ = writeln!(md);
}

/// The sentence on the rows of a split file that become the other entity.
fn split_rows(plan: &FilePlan, rows: u64) -> Option<String> {
    let (c, e) = plan.split?;
    let picks = match plan.split_by {
        SplitBy::YesNo => "is true".to_string(),
        SplitBy::Kind => format!("names the kind {e}"),
    };
    Some(format!(
        "Rows whose `{}` {picks} become {e} ({rows} rows).",
        plan.headers[c]
    ))
}

/// The table of a file's columns: target, its type, how full the column was and its problems.
fn column_table(
    md: &mut String,
    plan: &FilePlan,
    schema: &Schema,
    tallies: &[ColumnTally],
    rows_in: u64,
) {
    let _ = writeln!(
        md,
        "| source column | target | target type | filled | problems |"
    );
    let _ = writeln!(md, "|---|---|---|---:|---:|");
    for (c, rule) in plan.rules.iter().enumerate() {
        let tally = tallies.get(c).cloned().unwrap_or_default();
        let (target, ty) = column_target(plan, c, rule, schema);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.0}% | {} |",
            escape(&plan.headers[c]),
            target,
            ty,
            fill_percent(tally.filled, rows_in),
            tally.problems
        );
    }
}

/// Where column `c` went and the type of its target; a column of secrets is said to be left out
/// whatever its rule.
fn column_target(plan: &FilePlan, c: usize, rule: &Rule, schema: &Schema) -> (String, String) {
    if plan.secret_columns.contains(&plan.headers[c]) {
        ("**left out: holds secrets**".to_string(), "—".to_string())
    } else {
        describe(rule, schema)
    }
}

/// The share of a file's rows a column filled, in percent (0 for a file of no rows).
fn fill_percent(filled: u64, rows_in: u64) -> f64 {
    if rows_in == 0 {
        0.0
    } else {
        filled as f64 * 100.0 / rows_in as f64
    }
}

/// What to know about a file's columns below its table: missing and secret columns, due times,
/// and the columns read for a deal's status.
fn column_notes(md: &mut String, plan: &FilePlan) {
    if !plan.missing_columns.is_empty() {
        let _ = writeln!(
            md,
            "\nColumns the profile maps but this file lacks: {}.",
            plan.missing_columns.join(", ")
        );
    }
    if !plan.secret_columns.is_empty() {
        let _ = writeln!(
            md,
            "\nLeft out, whatever the profile says, because their names say they hold secrets (passwords, tokens, keys, card numbers) that must not travel in an import file: {}.",
            plan.secret_columns.join(", ")
        );
    }
    if writes_due_times(plan) {
        let _ = writeln!(
            md,
            "\nDue dates and times: a date and time is written whole in the due date (`YYYY-MM-DD HH:MM:SS`). One written with `Z` or an offset (`+02:00`) is converted to UTC, the time zone Pipedrive keeps due times in; one without is written as the source wrote it, in the source's own time zone (check a due time in the sample import: how the import wizard reads times is not documented)."
        );
    }
    if !plan.status_flags.is_empty() {
        let names: Vec<&str> = plan
            .status_flags
            .iter()
            .map(|(c, _)| plan.headers[*c].as_str())
            .collect();
        let _ = writeln!(
            md,
            "\nThe deal's status (won, lost, open) is also read from {} where no status column or won/lost stage says it.",
            names.join(", ")
        );
    }
}

/// Whether a file writes an activity's due date or time from a date or time column.
fn writes_due_times(plan: &FilePlan) -> bool {
    plan.rules.iter().any(|r| {
        matches!(r, Rule::Set { target, conv: Conv::Date(_) | Conv::Day(_) | Conv::Time(_), .. }
            if target.entity() == Some(Entity::Activity)
                && matches!(target.key(), Some("due_date" | "due_time")))
    })
}

#[cfg(test)]
#[path = "columns_tests.rs"]
mod tests;
