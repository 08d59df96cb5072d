//! Carrying out what `route` decided for each row: the counts, the names written and linked to,
//! and the records handed to the outputs sink.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::entity::Entity;
use crate::source::Record;

use super::engine::{ApplyError, is_formula};
use super::layout::{Layout, Slot};
use super::links::{NameCensus, name_key};
use super::outputs::{Outputs, ProblemFile};
use super::plan::FilePlan;
use super::route::{RowDecision, RowWrite};
use super::row::{Draft, LINK_LEFT_OUT};
use super::tally::{EXAMPLES, Tally};

/// Most options pipemap lists for one custom field.
const MAX_OPTIONS: usize = 500;

/// What writing a record reads, fixed for the whole export.
pub struct WriteRules<'a> {
    pub layouts: &'a [Layout],
    /// Per entity, per output column: does it hold a custom option field (enum, set).
    pub option_fields: &'a HashMap<Entity, Vec<bool>>,
    /// Names of merged records → their survivors' names, which links follow.
    pub renames: &'a HashMap<(Entity, u64), String>,
    /// Guard cells a spreadsheet would evaluate.
    pub escape: bool,
}

impl WriteRules<'_> {
    fn layout(&self, entity: Entity) -> &Layout {
        self.layouts
            .iter()
            .find(|l| l.entity == entity)
            .expect("every written entity has a layout")
    }
}

/// A source row being carried out: its file and line.
pub struct RowAt<'a> {
    pub file_index: usize,
    pub plan: &'a FilePlan,
    pub line: u64,
}

/// The export's state as rows are written.
#[derive(Default)]
pub struct RowState {
    pub tally: Tally,
    /// Records written and links made, by name.
    pub census: NameCensus,
    /// Organizations and persons rows link to by name, by name key: written at the end when
    /// no row describes them.
    pub referenced: HashMap<(Entity, u64), String>,
    /// Records written from other entities' rows, by content: each once.
    written_secondaries: HashSet<u64>,
}

impl RowState {
    /// Counts a source row read from file `file_index`; returns its index (0-based) in the file.
    pub fn count_row(&mut self, file_index: usize, record: &Record) -> usize {
        let counts = &mut self.tally.files[file_index];
        counts.rows_in += 1;
        let columns = &mut self.tally.columns[file_index];
        for (c, value) in record.fields.iter().enumerate().take(columns.len()) {
            // Most filled cells start with a visible ASCII character: no need to trim them.
            let filled = match value.as_bytes().first() {
                None => false,
                Some(b) if b.is_ascii_graphic() => true,
                Some(_) => !value.trim().is_empty(),
            };
            if filled {
                columns[c].filled += 1;
            }
        }
        counts.rows_in as usize - 1
    }

    /// Carries out `decision` for the row at `at`.
    pub fn take(
        &mut self,
        at: &RowAt,
        decision: RowDecision,
        rules: &WriteRules,
        out: &mut Outputs,
    ) -> Result<(), ApplyError> {
        let counts = &mut self.tally.files[at.file_index];
        let line = || at.line.to_string();
        match decision {
            RowDecision::Merged => {
                counts.merged += 1;
                Ok(())
            }
            RowDecision::Dropped { entity, problem } => {
                counts.rejected += 1;
                out.problem(
                    ProblemFile::Rejects,
                    &at.plan.file,
                    &line(),
                    entity,
                    &problem,
                )
            }
            RowDecision::Rejected { entity, problems } => {
                counts.rejected += 1;
                let line = line();
                for p in &problems {
                    out.problem(ProblemFile::Rejects, &at.plan.file, &line, entity, p)?;
                }
                Ok(())
            }
            RowDecision::Write(w) => self.take_written(at, *w, rules, out),
        }
    }

    fn take_written(
        &mut self,
        at: &RowAt,
        w: RowWrite,
        rules: &WriteRules,
        out: &mut Outputs,
    ) -> Result<(), ApplyError> {
        let entity = w.primary.entity;
        // Only rows with something to say need their line as text.
        let line = if w.warnings.is_empty() {
            String::new()
        } else {
            at.line.to_string()
        };
        let counts = &mut self.tally.files[at.file_index];
        counts.rows_out += 1;
        if entity != at.plan.entity {
            counts.split_rows += 1;
        }
        if !w.warnings.is_empty() {
            counts.with_warnings += 1;
        }
        for p in &w.warnings {
            if let Some(c) = at.plan.headers.iter().position(|h| *h == p.column) {
                self.tally.columns[at.file_index][c].problems += 1;
            }
            out.problem(ProblemFile::Warnings, &at.plan.file, &line, entity, p)?;
        }
        self.tally.unresolved_links += u64::from(w.unresolved_links);
        self.tally.links_by_id += u64::from(w.links_by_id);
        self.tally.links_by_name += u64::from(w.links_by_name);
        for p in w
            .warnings
            .iter()
            .filter(|p| p.reason.contains(LINK_LEFT_OUT))
        {
            if self.tally.unresolved_examples.len() < EXAMPLES {
                let file = at.plan.file_name();
                self.tally
                    .unresolved_examples
                    .push(format!("{file}:{line} {}={}", p.column, p.value));
            }
        }
        for (target, value) in w.unmapped_values {
            self.tally.unmapped_value(target, value);
        }
        for d in w.secondaries {
            if self.written_secondaries.insert(content_hash(&d.cells)) {
                self.write(d, rules, out)?;
            }
        }
        let at_row = self.write(w.primary, rules, out)?;
        if let Some(id) = &w.source_id
            && matches!(entity, Entity::Person | Entity::Organization | Entity::Deal)
        {
            out.own_id(entity, at_row, id)?;
        }
        Ok(())
    }

    /// Writes a record; returns its part and row in its output file.
    pub fn write(
        &mut self,
        mut d: Draft,
        rules: &WriteRules,
        out: &mut Outputs,
    ) -> Result<(usize, u64), ApplyError> {
        let layout = rules.layout(d.entity);
        self.census.record(d.entity, d.name(layout));
        *self.tally.records.entry(d.entity).or_default() += 1;
        let options = &rules.option_fields[&d.entity];
        for (column, (slot, cell)) in layout.slots.iter().zip(d.cells.iter_mut()).enumerate() {
            if cell.is_empty() {
                continue;
            }
            match slot {
                Slot::Link(to) => self.note_link(*to, cell, rules),
                Slot::Field { key, .. } => self.note_vocabulary(d.entity, key, cell),
                Slot::Custom { name, .. } if options[column] => {
                    self.note_options(d.entity, name, cell)
                }
                _ => {}
            }
            if is_formula(cell) {
                self.tally.formula_cells += 1;
                if rules.escape {
                    cell.insert(0, '\'');
                }
            }
        }
        if d.entity == Entity::Deal
            && let (Some(s), Some(p)) = (layout.field("stage_id"), layout.field("pipeline_id"))
            && !d.cells[s].is_empty()
        {
            self.tally
                .stages
                .insert((d.cells[p].clone(), d.cells[s].clone()));
        }
        let at = out.record(d.entity, &d.cells)?;
        for (to, id) in &d.link_ids {
            out.link(d.entity, at, *to, id)?;
        }
        Ok(at)
    }

    /// A link by name in a written record: it follows a merged record to its survivor.
    fn note_link(&mut self, to: Entity, cell: &mut String, rules: &WriteRules) {
        if let Some(survivor) = rules.renames.get(&(to, name_key(cell))) {
            cell.clone_from(survivor);
        }
        self.census.link(to, cell);
        if matches!(to, Entity::Organization | Entity::Person) {
            let key = (to, name_key(cell));
            self.referenced.entry(key).or_insert_with(|| cell.clone());
        }
    }

    fn note_options(&mut self, entity: Entity, name: &str, cell: &str) {
        let options = self
            .tally
            .custom_options
            .entry((entity, name.to_string()))
            .or_default();
        for option in cell.split(", ") {
            if options.len() < MAX_OPTIONS && !options.contains(option) {
                options.insert(option.to_string());
            }
        }
    }

    fn note_vocabulary(&mut self, entity: Entity, key: &str, value: &str) {
        match key {
            "type" if entity == Entity::Activity && !self.tally.activity_types.contains(value) => {
                self.tally.activity_types.insert(value.to_string());
            }
            "label" => {
                let known = self.tally.labels.entry(entity).or_default();
                for label in value.split(", ") {
                    if !known.contains(label) {
                        known.insert(label.to_string());
                    }
                }
            }
            "owner_id" if !self.tally.owners.contains(value) => {
                self.tally.owners.insert(value.to_string());
            }
            _ => {}
        }
    }
}

fn content_hash(cells: &[String]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    cells.hash(&mut h);
    h.finish()
}
