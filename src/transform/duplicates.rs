//! The profile's duplicate handling, applied to an export: for each persons or organizations
//! file whose entity has `dedupe:` settings (decisions, or `auto_merge` on some keys), find the
//! clusters, plan the merges, and tell the export which rows are absorbed or dropped, what a
//! survivor takes from the records it absorbed, and which names links must follow.

use std::collections::{BTreeMap, HashMap};

use crate::dedupe::{self, DedupeOptions, DedupeRecord, MergePlan, RecordBuilder};
use crate::entity::{Entity, Target};
use crate::profile::Profile;
use crate::source::{Record, SourceRef};

use super::engine::ApplyError;
use super::layout::{Layout, Slot};
use super::plan::{FilePlan, Rule};
use super::row::{Draft, Problem, is_true};

/// What the export does with one file's duplicates.
#[derive(Debug, Default)]
pub struct FileDuplicates {
    /// Per data row (0-based): the record's identity, empty where no dedupe applies.
    pub identities: Vec<String>,
    pub plan: MergePlan,
    /// (entity, an absorbed record's name, its survivor's name), where the names differ: links
    /// by name follow the survivor.
    pub renames: Vec<(Entity, String, String)>,
    /// (entity, survivor's name, absorbed names), for the report.
    pub merges: Vec<(Entity, String, Vec<String>)>,
    /// Survivor identity → the source rows it absorbed (identity, record), in row order: their
    /// values are folded into the survivor's output row.
    pub absorbed_rows: HashMap<String, Vec<(String, Record)>>,
}

fn display_name(r: &DedupeRecord) -> String {
    if !r.name.trim().is_empty() {
        r.name.trim().to_string()
    } else {
        crate::transform::values::join_name(&r.first_name, &r.last_name)
    }
}

/// The columns of `rules` a duplicate record reads, as targets of `entity`.
fn targets(rules: &[Rule], entity: Entity) -> Vec<(usize, Target)> {
    rules
        .iter()
        .enumerate()
        .filter_map(|(c, r)| match r {
            Rule::Set { target, .. } if target.entity() == Some(entity) => {
                Some((c, target.clone()))
            }
            Rule::Link {
                to: Entity::Organization,
                ..
            } => Some((c, Target::field(entity, "org_id"))),
            _ => None,
        })
        .collect()
}

/// Finds and plans the merges of one file, reading it through once. None when the profile asks
/// for no duplicate handling of the file's entities.
pub fn find(
    source: &SourceRef,
    plan: &FilePlan,
    profile: &Profile,
) -> Result<Option<FileDuplicates>, ApplyError> {
    let mut groups: Vec<(Entity, &[Rule], bool)> = vec![(plan.entity, &plan.rules, false)];
    if let Some((_, other)) = plan.split {
        groups.push((other, &plan.split_rules, true));
    }
    groups.retain(|(e, _, _)| {
        matches!(e, Entity::Person | Entity::Organization | Entity::Lead)
            && profile
                .dedupe
                .get(e)
                .is_some_and(|s| s.auto_merge || !s.decisions.is_empty())
    });
    if groups.is_empty() {
        return Ok(None);
    }
    let dedupe_err =
        |e: dedupe::DedupeError| ApplyError::Unmatched(format!("{}: duplicates: {e}", plan.file));
    let mut builders = Vec::new();
    for (entity, rules, _) in &groups {
        builders.push(
            RecordBuilder::new(*entity, &targets(rules, *entity), &plan.headers)
                .map_err(dedupe_err)?,
        );
    }
    let mut records: Vec<Vec<DedupeRecord>> = vec![Vec::new(); groups.len()];
    let mut out = FileDuplicates::default();
    let mut table = crate::source::Table::open_ref(source)?;
    let mut row = 0u64;
    while let Some(record) = table.next_record()? {
        row += 1;
        let split_row = plan
            .split
            .is_some_and(|(c, _)| is_true(record.fields.get(c).unwrap_or("")));
        let Some(g) = groups.iter().position(|(_, _, split)| *split == split_row) else {
            out.identities.push(String::new());
            continue;
        };
        let r = builders[g].build(row, |i| record.fields.get(i));
        out.identities.push(r.identity.clone());
        records[g].push(r);
    }
    for (g, (entity, _, _)) in groups.iter().enumerate() {
        let settings = &profile.dedupe[entity];
        // Decisions name their records; clusters only matter to auto-merge, and only those
        // whose links rest on its keys, so the search looks for nothing else.
        let clusters = if settings.auto_merge {
            let only = settings
                .keys
                .iter()
                .map(|k| k.parse())
                .collect::<Result<Vec<dedupe::MatchKey>, _>>()
                .map_err(dedupe_err)?;
            let options = DedupeOptions {
                only,
                ..DedupeOptions::default()
            };
            dedupe::find_clusters(*entity, &records[g], &options)
                .map_err(dedupe_err)?
                .clusters
        } else {
            Vec::new()
        };
        let merge = dedupe::plan_merges(&clusters, &records[g], settings).map_err(dedupe_err)?;
        let names: HashMap<&str, String> = records[g]
            .iter()
            .map(|r| (r.identity.as_str(), display_name(r)))
            .collect();
        for (absorbed, survivor) in &merge.absorbed {
            if let (Some(a), Some(s)) = (names.get(absorbed.as_str()), names.get(survivor.as_str()))
                && crate::transform::links::name_key(a) != crate::transform::links::name_key(s)
            {
                out.renames.push((*entity, a.clone(), s.clone()));
            }
        }
        let mut merged: Vec<_> = merge.merged.values().collect();
        merged.sort_by(|a, b| a.survivor.cmp(&b.survivor));
        for m in merged {
            let survivor = names.get(m.survivor.as_str()).cloned().unwrap_or_default();
            let absorbed = m
                .members
                .iter()
                .skip(1)
                .filter_map(|id| names.get(id.as_str()).cloned())
                .collect();
            out.merges.push((*entity, survivor, absorbed));
        }
        out.plan.absorbed.extend(merge.absorbed);
        out.plan.dropped.extend(merge.dropped);
        out.plan.merged.extend(merge.merged);
        out.plan.warnings.extend(merge.warnings);
    }
    out.renames.sort();
    if !out.plan.absorbed.is_empty() {
        // A second read keeps just the absorbed rows: a few among millions, so memory stays small.
        let mut wanted: HashMap<u64, (&str, &str)> = HashMap::new();
        for group in &records {
            for r in group {
                if let Some(survivor) = out.plan.absorbed.get(&r.identity) {
                    wanted.insert(r.row, (r.identity.as_str(), survivor.as_str()));
                }
            }
        }
        let mut table = crate::source::Table::open_ref(source)?;
        let mut row = 0u64;
        while let Some(record) = table.next_record()? {
            row += 1;
            if let Some((identity, survivor)) = wanted.get(&row) {
                out.absorbed_rows
                    .entry(survivor.to_string())
                    .or_default()
                    .push((identity.to_string(), record));
            }
        }
    }
    Ok(Some(out))
}

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
                Slot::Custom(name) => Target::Custom {
                    entity: layout.entity,
                    name: name.clone(),
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
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
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
                        .filter(|l| !survivor.cells[c].lines().any(|s| same(s, l)))
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
                    if !old.trim().is_empty() && !same(&old, &survivor.cells[c]) {
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
                        && !same(value, &survivor.cells[c])
                        && !left.iter().any(|(_, lc, v)| *lc == c && same(v, value))
                    {
                        left.push((a.line, c, value.clone()));
                    }
                }
            }
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for (line, c, value) in &left {
        lines.push(format!(
            "Merged from line {line} — {}: {value}",
            short_header(&layout.headers[*c])
        ));
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
