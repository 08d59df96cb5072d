//! What becomes of one converted row, decided without touching a file: absorbed into a
//! duplicate's survivor, dropped as a duplicate, rejected, or written with the records it
//! describes besides its own and what is to be said about it.

use rustc_hash::FxHashMap;

use crate::entity::{Entity, Target};
use crate::source::Record;

use super::duplicates::FileDuplicates;
use super::layout::{Layout, Slot};
use super::links::{NameCensus, name_key};
use super::row::{Draft, Problem, RowResult};
use super::rows::{Prepared, WriteRules};
use super::survivor::{Absorbed, ColumnMerge, fold_absorbed};

/// The reason a duplicate the profile drops gives in rejects.csv.
pub const DROPPED_REASON: &str = "dropped as a duplicate (the profile's decision)";

/// What to do with one converted row.
#[derive(Debug)]
pub enum RowDecision {
    /// Absorbed into its survivor's row: counted as merged, not written.
    Merged,
    /// Left out as a duplicate the profile drops: one line in rejects.csv.
    Dropped { entity: Entity, problem: Problem },
    /// Not written: the reasons first, then what else went wrong on the row (it often explains
    /// them), each a line in rejects.csv.
    Rejected {
        entity: Entity,
        problems: Vec<Problem>,
    },
    /// Written.
    Write(Box<RowWrite>),
}

/// A row to write: its record, the records it describes besides its own, and what to say.
#[derive(Debug)]
pub struct RowWrite {
    pub primary: Draft,
    /// Records of other entities the row describes (an organization from a person row), new
    /// to the export, written before the row's own.
    pub secondaries: Vec<Draft>,
    /// Lines for warnings.csv.
    pub warnings: Vec<Problem>,
    pub unresolved_links: u32,
    pub links_by_id: u32,
    pub links_by_name: u32,
    /// The record's own id in the source CRM.
    pub source_id: Option<String>,
    /// Values a value map lacked: (target, value).
    pub unmapped_values: Vec<(Target, String)>,
    /// The primary made ready to write, where nothing written before it can change it (no
    /// secondaries to settle).
    pub prepared: Option<Prepared>,
}

/// What `route` reads besides the row: all fixed before the first row, so rows are routed on
/// the threads that convert them.
pub struct RouteContext<'a> {
    pub layouts: &'a [Layout],
    /// The file's duplicates to merge or drop.
    pub duplicates: Option<&'a FileDuplicates>,
    /// How a merge fills each column, per entity.
    pub column_merges: &'a FxHashMap<Entity, Vec<ColumnMerge>>,
}

impl RouteContext<'_> {
    fn layout(&self, entity: Entity) -> &Layout {
        self.layouts
            .iter()
            .find(|l| l.entity == entity)
            .expect("every entity a row converts to has a layout")
    }
}

/// Decides what becomes of `row`, data row `row_index` (0-based) of its file at source line
/// `line`. `convert` converts the source rows a survivor absorbed, as their own rows would
/// have been.
pub fn route(
    ctx: &RouteContext,
    mut row: RowResult,
    line: u64,
    row_index: usize,
    convert: impl Fn(&Record) -> Draft,
) -> RowDecision {
    let entity = row.primary.entity;
    let identity = ctx
        .duplicates
        .map(|d| d.identities.get(row_index))
        .filter(|i| !i.is_empty());
    if let (Some(d), Some(id)) = (ctx.duplicates, identity) {
        if d.plan.absorbed.contains_key(id) {
            return RowDecision::Merged;
        }
        if d.plan.dropped.contains(id) {
            let problem = Problem {
                column: String::new(),
                value: id.to_string(),
                reason: DROPPED_REASON.into(),
            };
            return RowDecision::Dropped { entity, problem };
        }
        if d.plan.merged.contains_key(id) {
            merge_absorbed(ctx, d, &mut row, id, line, convert);
        }
    }
    if !row.rejects.is_empty() {
        let mut problems = row.rejects;
        problems.append(&mut row.warnings);
        return RowDecision::Rejected { entity, problems };
    }
    let secondaries = row
        .secondaries
        .into_iter()
        .filter(|d| d.cells.iter().filter(|c| !c.is_empty()).count() > 1)
        .collect();
    RowDecision::Write(Box::new(RowWrite {
        primary: row.primary,
        secondaries,
        warnings: row.warnings,
        unresolved_links: row.unresolved_links,
        links_by_id: row.links_by_id,
        links_by_name: row.links_by_name,
        source_id: row.source_id,
        unmapped_values: row.unmapped_values,
        prepared: None,
    }))
}

/// Folds the rows survivor `id` absorbed into its row, with the merge's united values.
fn merge_absorbed(
    ctx: &RouteContext,
    d: &FileDuplicates,
    row: &mut RowResult,
    id: &str,
    line: u64,
    convert: impl Fn(&Record) -> Draft,
) {
    let Some(m) = d.plan.merged.get(id) else {
        return;
    };
    let entity = row.primary.entity;
    let layout = ctx.layout(entity);
    let absorbed: Vec<Absorbed> = d
        .absorbed_rows
        .get(id)
        .into_iter()
        .flatten()
        .map(|(identity, r)| Absorbed {
            identity,
            line: r.line,
            draft: convert(r),
        })
        .filter(|a| a.draft.entity == entity)
        .collect();
    let no_merges = Vec::new();
    let merges = ctx.column_merges.get(&entity).unwrap_or(&no_merges);
    let left = fold_absorbed(
        layout,
        merges,
        &mut row.primary,
        id,
        line,
        &absorbed,
        &m.fields,
    );
    row.warnings.extend(left);
    unite(layout, &mut row.primary, "email", &m.emails);
    unite(layout, &mut row.primary, "phone", &m.phones);
    if !m.labels.is_empty()
        && let Some(c) = layout.field("label")
    {
        row.primary.cells[c] = m.labels.join(", ");
    }
}

impl RowWrite {
    /// Makes the primary ready to write here, when it has no secondaries to settle against the
    /// records written before it.
    pub fn prepare(&mut self, rules: &WriteRules) {
        if self.secondaries.is_empty() {
            self.prepared = Some(rules.prepare(&mut self.primary));
        }
    }

    /// Keeps the records the row describes besides its own that are new to the export (`route`
    /// left out those holding only a name: written at the end if no row describes them); what
    /// the row says of one that exists already goes to the row's own note.
    pub fn settle_secondaries(&mut self, rules: &WriteRules, census: &NameCensus) {
        let mut new_names: Vec<(Entity, u64)> = Vec::new();
        let found = std::mem::take(&mut self.secondaries);
        for d in found {
            let l = rules.layout(d.entity);
            let name = d.name(l).to_string();
            // A record this row writes first counts as existing for the ones after it.
            if census.has(d.entity, &name) || new_names.contains(&(d.entity, name_key(&name))) {
                add_to_note(rules.layout(self.primary.entity), &mut self.primary, l, &d);
                continue;
            }
            new_names.push((d.entity, name_key(&name)));
            self.secondaries.push(d);
        }
    }
}

/// Writes `d`'s values (`Header: value`, a line each) into `primary`'s note.
fn add_to_note(primary_layout: &Layout, primary: &mut Draft, layout: &Layout, d: &Draft) {
    let Some(col) = primary_layout.column(&Slot::Note) else {
        return;
    };
    let cell = &mut primary.cells[col];
    for (h, v) in layout.headers.iter().zip(&d.cells) {
        if v.is_empty() {
            continue;
        }
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(&crate::values::labelled(h, v));
    }
}

/// Writes a merged record's united values of a multi field (e-mails, phones) onto its labels,
/// in order; what does not fit joins the note.
fn unite(layout: &Layout, d: &mut Draft, key: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    let columns = layout.columns_of(key);
    if columns.is_empty() {
        return;
    }
    for &c in columns {
        d.cells[c].clear();
    }
    for (value, &c) in values.iter().zip(columns) {
        d.cells[c] = value.clone();
    }
    if values.len() > columns.len()
        && let Some(note) = layout.column(&Slot::Note)
    {
        let rest = values[columns.len()..].join(", ");
        let cell = &mut d.cells[note];
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(&crate::values::labelled(key, &rest));
    }
}

#[cfg(test)]
#[path = "route_tests.rs"]
mod tests;
