//! Carrying out what `route` decided for each row: the counts, the names written and linked to,
//! and the records handed to the outputs sink.

use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};

use crate::entity::Entity;
use crate::source::Record;

use super::engine::{ApplyError, is_formula};
use super::layout::{Layout, Slot, name_key as name_key_of};
use super::line::LineEncoder;
use super::links::{NameCensus, NameKeys, name_key};
use super::outputs::{Outputs, ProblemFile};
use super::plan::FilePlan;
use super::route::{RowDecision, RowWrite};
use super::row::{Draft, LINK_LEFT_OUT};
use super::tally::{EXAMPLES, Tally};
use super::writer::row_len;

/// Most options pipemap lists for one custom field.
const MAX_OPTIONS: usize = 500;

/// What writing a record reads, fixed for the whole export.
pub struct WriteRules<'a> {
    pub layouts: &'a [Layout],
    /// Per entity, per output column: does it hold a custom option field (enum, set).
    pub noted_columns: &'a FxHashMap<Entity, Vec<usize>>,
    /// Names of merged records → their survivors' names, which links follow.
    pub renames: &'a FxHashMap<(Entity, u64), String>,
    /// Guard cells a spreadsheet would evaluate.
    pub escape: bool,
}

impl WriteRules<'_> {
    pub(super) fn layout(&self, entity: Entity) -> &Layout {
        self.layouts
            .iter()
            .find(|l| l.entity == entity)
            .expect("every written entity has a layout")
    }

    /// Makes a record ready to write, on whichever thread converted it: links by name follow
    /// a merged record to its survivor, cells a spreadsheet would evaluate are counted (and
    /// guarded when asked), the name keys the census counts by are worked out, and the row is
    /// encoded as its output line. The record then holds only the cells its write reads
    /// ([`WriteRules::shed`]).
    pub fn prepare(&self, d: &mut Draft) -> Prepared {
        let layout = self.layout(d.entity);
        // The census and the tallies count the values as converted, before any guard.
        let name_keys = NameKeys::of(d.name(layout));
        let (mut links, mut escaped) = (Vec::new(), Vec::new());
        let mut formulas = 0;
        for (column, (slot, cell)) in layout.slots.iter().zip(d.cells.iter_mut()).enumerate() {
            if cell.is_empty() {
                continue;
            }
            if let Slot::Link(to) = slot {
                let mut key = name_key(cell);
                if let Some(survivor) = self.renames.get(&(*to, key)) {
                    cell.clone_from(survivor);
                    key = name_key(cell);
                }
                links.push((column, key));
            }
            if is_formula(cell) {
                formulas += 1;
                if self.escape {
                    cell.insert(0, '\'');
                    escaped.push(column);
                }
            }
        }
        let len = row_len(&d.cells);
        let mut line = Vec::with_capacity(len as usize);
        LineEncoder.encode(&d.cells, &mut line);
        let prepared = Prepared {
            name_keys,
            links,
            formulas,
            escaped,
            len,
            line,
        };
        self.shed(d, &prepared);
        prepared
    }

    /// Empties the cells of a prepared record that [`RowState::commit`] does not read (its
    /// line holds them all), so they are freed on the thread that made them rather than on the
    /// one writing.
    fn shed(&self, d: &mut Draft, prepared: &Prepared) {
        let layout = self.layout(d.entity);
        let name = layout.field(name_key_of(d.entity));
        let noted = self
            .noted_columns
            .get(&d.entity)
            .map_or(&[][..], Vec::as_slice);
        let stage = match d.entity {
            Entity::Deal => [layout.field("stage_id"), layout.field("pipeline_id")],
            _ => [None, None],
        };
        for (column, cell) in d.cells.iter_mut().enumerate() {
            let read = Some(column) == name
                || stage.contains(&Some(column))
                || noted.contains(&column)
                || prepared.links.iter().any(|&(c, _)| c == column);
            if !read && !cell.is_empty() {
                drop(std::mem::take(cell));
            }
        }
        d.notes = Vec::new();
    }
}

/// A record made ready to write by [`WriteRules::prepare`].
#[derive(Debug)]
pub struct Prepared {
    name_keys: NameKeys,
    /// The link columns holding a name, with the name's key.
    links: Vec<(usize, u64)>,
    /// Cells a spreadsheet would evaluate, and the columns of those guarded with a `'`.
    formulas: u64,
    escaped: Vec<usize>,
    /// The row as a CSV line, and its size as the part limit counts it.
    line: Vec<u8>,
    len: u64,
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
    pub referenced: rustc_hash::FxHashMap<(Entity, u64), String>,
    /// Records written from other entities' rows, by content: each once.
    written_secondaries: FxHashSet<u64>,
}

impl RowState {
    /// Counts a source row read from file `file_index` (the reader numbers the rows it hands
    /// to the workers itself).
    pub fn count_row(&mut self, file_index: usize, record: &Record, filled: Option<u128>) {
        let counts = &mut self.tally.files[file_index];
        counts.rows_in += 1;
        let columns = &mut self.tally.columns[file_index];
        match filled {
            Some(mask) => {
                let mut bits = mask;
                while bits != 0 {
                    columns[bits.trailing_zeros() as usize].filled += 1;
                    bits &= bits - 1;
                }
            }
            None => {
                for (c, value) in record.fields.iter().enumerate().take(columns.len()) {
                    if is_filled(value) {
                        columns[c].filled += 1;
                    }
                }
            }
        }
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
        mut w: RowWrite,
        rules: &WriteRules,
        out: &mut Outputs,
    ) -> Result<(), ApplyError> {
        let entity = w.primary.entity;
        w.settle_secondaries(rules, &self.census);
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
        let at_row = match &w.prepared {
            Some(prepared) => self.commit(w.primary, prepared, rules, out)?,
            None => self.write(w.primary, rules, out)?,
        };
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
        let prepared = rules.prepare(&mut d);
        self.commit(d, &prepared, rules, out)
    }

    /// Writes a record `rules.prepare` made ready; returns its part and row in its output file.
    pub fn commit(
        &mut self,
        d: Draft,
        prepared: &Prepared,
        rules: &WriteRules,
        out: &mut Outputs,
    ) -> Result<(usize, u64), ApplyError> {
        let layout = rules.layout(d.entity);
        // A cell as converted, before its guard.
        let value = |column: usize| {
            let cell = d.cells[column].as_str();
            match prepared.escaped.contains(&column) {
                true => &cell[1..],
                false => cell,
            }
        };
        let name = layout.field(name_key_of(d.entity)).map_or("", value);
        self.census.record_keyed(d.entity, prepared.name_keys, name);
        *self.tally.records.entry(d.entity).or_default() += 1;
        self.tally.formula_cells += prepared.formulas;
        for &(column, key) in &prepared.links {
            if let Slot::Link(to) = layout.slots[column] {
                self.note_link(to, key, value(column));
            }
        }
        let noted = rules
            .noted_columns
            .get(&d.entity)
            .map_or(&[][..], Vec::as_slice);
        for &column in noted {
            let cell = value(column);
            if cell.is_empty() {
                continue;
            }
            match &layout.slots[column] {
                Slot::Field { key, .. } => self.note_vocabulary(d.entity, key, cell),
                Slot::Custom { name, .. } => self.note_options(d.entity, name, cell),
                _ => {}
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
        let at = out.record_line(d.entity, &prepared.line, prepared.len)?;
        for (to, id) in &d.link_ids {
            out.link(d.entity, at, *to, id)?;
        }
        Ok(at)
    }

    /// A link by name (key `key`) in a written record.
    fn note_link(&mut self, to: Entity, key: u64, cell: &str) {
        self.census.link_keyed(to, key, cell);
        if matches!(to, Entity::Organization | Entity::Person) {
            self.referenced
                .entry((to, key))
                .or_insert_with(|| cell.to_string());
        }
    }

    fn note_options(&mut self, entity: Entity, name: &str, cell: &str) {
        let names = self.tally.custom_options.entry(entity).or_default();
        // The field's name is copied once, with its first value.
        let options = match names.get_mut(name) {
            Some(options) => options,
            None => names.entry(name.to_string()).or_default(),
        };
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

/// Which of a row's first `columns` columns (the header's) hold a value, bit `c` for column
/// `c`: worked out on the thread that converts the row, for the fill counts. None for a file
/// of over 128 columns, whose rows are counted where they are taken.
pub fn filled_mask(record: &Record, columns: usize) -> Option<u128> {
    if columns > 128 {
        return None;
    }
    let mut mask = 0u128;
    for (c, value) in record.fields.iter().enumerate().take(columns) {
        if is_filled(value) {
            mask |= 1 << c;
        }
    }
    Some(mask)
}

/// Whether a cell holds a value: anything but white space.
fn is_filled(value: &str) -> bool {
    !crate::values::trimmed(value).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Fields;

    fn record(fields: Vec<String>) -> Record {
        Record {
            line: 2,
            fields: Fields::from(fields),
            invalid_text: None,
        }
    }

    /// The fill counts of one row, counted from `mask` (or the record) in a file of
    /// `columns` columns.
    fn counts(record: &Record, mask: Option<u128>, columns: usize) -> Vec<u64> {
        let mut state = RowState::default();
        state.tally.files = vec![super::super::tally::FileCounts::new(
            "f.csv",
            crate::entity::Entity::Person,
        )];
        state.tally.columns = vec![vec![Default::default(); columns]];
        state.count_row(0, record, mask);
        state.tally.columns[0].iter().map(|c| c.filled).collect()
    }

    #[test]
    fn a_row_fills_the_same_columns_whether_counted_by_mask_or_by_record() {
        // Filled, blank, white space only, a value padded with spaces; then more cells than
        // the header has (not counted).
        let cells = |n: usize| -> Vec<String> {
            (0..n)
                .map(|c| match c % 4 {
                    0 => format!("v{c}"),
                    1 => String::new(),
                    2 => " \t".to_string(),
                    _ => format!("  {c} "),
                })
                .collect()
        };
        for columns in [1, 5, 127, 128, 129, 300] {
            let r = record(cells(columns + 3));
            let expected: Vec<u64> = (0..columns)
                .map(|c| u64::from(!r.fields[c].trim().is_empty()))
                .collect();
            let mask = filled_mask(&r, columns);
            assert_eq!(mask.is_some(), columns <= 128, "{columns} columns");
            assert_eq!(counts(&r, mask, columns), expected, "{columns} columns");
            assert_eq!(counts(&r, None, columns), expected, "{columns} columns");
        }
    }
}
