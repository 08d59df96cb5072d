//! A merged record's output row: the survivor's values, the ones a decision chose from the
//! records it absorbed, its gaps filled from them, and every value left behind kept in its note.

use std::collections::BTreeMap;

use crate::dedupe;
use crate::dedupe::keys::organization_key;
use crate::entity::{Entity, Target};

use super::layout::{Layout, Slot};
use super::row::{Draft, Problem};

/// How a merge fills each output column of one entity's layout.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnMerge {
    /// E-mails, phones, labels: united from every member elsewhere.
    United,
    /// The record's note: the absorbed records' notes are appended.
    Note,
    /// One value kept, under this decision key.
    Chosen(String),
}

/// The merge treatment of every column of `layout`.
pub fn column_merges(layout: &Layout) -> Vec<ColumnMerge> {
    layout
        .slots
        .iter()
        .map(|slot| {
            let target = match slot {
                Slot::Note => return ColumnMerge::Note,
                Slot::Field { key, label } => Target::Field {
                    entity: layout.entity,
                    key: key.clone(),
                    label: label.clone(),
                },
                Slot::Custom { name, part } => Target::Custom {
                    entity: layout.entity,
                    name: name.clone(),
                    part: *part,
                },
                Slot::Link(to) => Target::field(layout.entity, to.relation_key().unwrap_or("")),
            };
            match dedupe::merge_field(layout.entity, &target) {
                dedupe::MergeField::United => ColumnMerge::United,
                dedupe::MergeField::Chosen(key) => ColumnMerge::Chosen(key),
            }
        })
        .collect()
}

/// A record absorbed by a survivor, converted as its own row would have been.
pub struct Absorbed<'a> {
    pub identity: &'a str,
    /// Its source line, named in what the survivor's note keeps of it.
    pub line: u64,
    pub draft: Draft,
}

/// Folds the absorbed records' values into the survivor's draft, column by column: the value of
/// the record a decision chose for the field (`chosen`: field key → identity), else the
/// survivor's, else the first absorbed record's that has one. A different value left behind is
/// not lost: it is written in the survivor's note (`Merged from line 17 — Job title: CTO`), or,
/// without a note column, returned as a warning.
pub fn fold_absorbed(
    layout: &Layout,
    merges: &[ColumnMerge],
    survivor: &mut Draft,
    survivor_identity: &str,
    survivor_line: u64,
    absorbed: &[Absorbed],
    chosen: &BTreeMap<String, String>,
) -> Vec<Problem> {
    let plain = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    // An organization written two ways ("Acme Inc." / "ACME, Inc") is one value: the one kept
    // stands for both, and the import links both spellings to it.
    let org_column = |c: usize| {
        matches!(layout.slots[c], Slot::Link(Entity::Organization))
            || (layout.entity == Entity::Organization
                && layout.slots[c]
                    == Slot::Field {
                        key: "name".into(),
                        label: None,
                    })
    };
    let same_in = |c: usize, a: &str, b: &str| {
        plain(a, b) || (org_column(c) && organization_key(a) == organization_key(b))
    };
    // (line, column header, value) of the values not kept.
    let mut left: Vec<(u64, usize, String)> = Vec::new();
    let mut notes: Vec<(u64, String)> = Vec::new();
    for (c, merge) in merges.iter().enumerate() {
        match merge {
            ColumnMerge::United => {}
            ColumnMerge::Note => {
                // Only the lines the survivor's note does not hold already.
                for a in absorbed {
                    let new: Vec<&str> = a.draft.cells[c]
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .filter(|l| !survivor.cells[c].lines().any(|s| plain(s, l)))
                        .collect();
                    if !new.is_empty() {
                        notes.push((a.line, new.join("; ")));
                    }
                }
            }
            ColumnMerge::Chosen(key) => {
                let pick = chosen
                    .get(key)
                    .filter(|id| id.as_str() != survivor_identity)
                    .and_then(|id| absorbed.iter().find(|a| a.identity == id.as_str()))
                    .filter(|a| !a.draft.cells[c].trim().is_empty());
                let from = match pick {
                    Some(a) => Some(a),
                    None if survivor.cells[c].trim().is_empty() => absorbed
                        .iter()
                        .find(|a| !a.draft.cells[c].trim().is_empty()),
                    None => None,
                };
                if let Some(a) = from {
                    let old = std::mem::replace(&mut survivor.cells[c], a.draft.cells[c].clone());
                    if !old.trim().is_empty() && !same_in(c, &old, &survivor.cells[c]) {
                        left.push((survivor_line, c, old));
                    }
                    if let Slot::Link(to) = &layout.slots[c] {
                        survivor.link_ids.retain(|(e, _)| e != to);
                        survivor
                            .link_ids
                            .extend(a.draft.link_ids.iter().filter(|(e, _)| e == to).cloned());
                    }
                }
                for a in absorbed {
                    let value = &a.draft.cells[c];
                    if !value.trim().is_empty()
                        && !same_in(c, value, &survivor.cells[c])
                        && !left
                            .iter()
                            .any(|(_, lc, v)| *lc == c && same_in(c, v, value))
                    {
                        left.push((a.line, c, value.clone()));
                    }
                }
            }
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for (line, c, value) in &left {
        let field = match &layout.slots[*c] {
            Slot::Link(to) => to.title().to_string(),
            _ => short_header(&layout.headers[*c]).to_string(),
        };
        lines.push(format!("Merged from line {line} — {field}: {value}"));
    }
    for (line, note) in notes {
        lines.push(format!("Merged from line {line} — note: {note}"));
    }
    if lines.is_empty() {
        return Vec::new();
    }
    match layout.column(&Slot::Note) {
        Some(n) => {
            let cell = &mut survivor.cells[n];
            for line in lines {
                if !cell.is_empty() {
                    cell.push('\n');
                }
                cell.push_str(&line);
            }
            Vec::new()
        }
        None => lines
            .into_iter()
            .map(|reason| Problem {
                column: String::new(),
                value: String::new(),
                reason,
            })
            .collect(),
    }
}

/// `Person - Job title` → `Job title`.
fn short_header(header: &str) -> &str {
    header.split_once(" - ").map_or(header, |(_, h)| h)
}
