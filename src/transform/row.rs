//! One source row → the records it becomes: the row's own record, plus any records of other
//! entities its columns describe (a Sell lead's person and organization), with links by name,
//! typed values, and every value that fits no field kept in the record's note.

use crate::entity::{Entity, Target};
use crate::source::Record;

use super::layout::{Layout, Slot, name_key};

#[path = "row_cells.rs"]
mod cells;
#[path = "row_checks.rs"]
mod checks;
#[path = "row_complete.rs"]
mod complete;
#[path = "row_convert.rs"]
mod convert;
#[path = "row_linking.rs"]
mod linking;
use checks::{cell, check_kind, check_shape, not_a_record, read_status_flags};
use convert::Cell;

use super::links::LinkIndex;
use super::plan::{FilePlan, Rule};
use super::vocab::ValueMaps;
use crate::values::{self, DealStatus};

/// The cells a converted value fills: its own slot (None) or the one it names, and the value.
type Cells = Vec<(Option<Slot>, String)>;

/// A record being assembled for one output file.
#[derive(Debug, Clone)]
pub struct Draft {
    pub entity: Entity,
    pub cells: Vec<String>,
    pub notes: Vec<String>,
    /// A time of day waiting to join the due date (activities).
    time: Option<String>,
    /// What the record's other columns say about a deal's status, used when no status column
    /// does: its `IsWon` / `IsClosed` flags, then its stage's name ("Closed Won").
    status: StatusHints,
    /// The source ids of the records this one links to by id, for `relink`.
    pub link_ids: Vec<(Entity, String)>,
}

impl Draft {
    /// An empty record of `layout`'s entity.
    pub(crate) fn new(layout: &Layout) -> Draft {
        Draft {
            entity: layout.entity,
            cells: std::iter::repeat_with(String::new)
                .take(layout.slots.len())
                .collect(),
            notes: Vec::new(),
            time: None,
            status: StatusHints::default(),
            link_ids: Vec::new(),
        }
    }

    /// The record's name (or title / subject / content).
    pub fn name<'a>(&'a self, layout: &Layout) -> &'a str {
        layout
            .field(name_key(self.entity))
            .map_or("", |i| self.cells[i].as_str())
    }

    /// The linked record's name in this record, if any.
    pub fn link<'a>(&'a self, layout: &Layout, to: Entity) -> &'a str {
        layout
            .column(&Slot::Link(to))
            .map_or("", |i| self.cells[i].as_str())
    }

    fn is_blank(&self) -> bool {
        self.cells.iter().all(String::is_empty) && self.notes.is_empty()
    }
}

/// A deal's status as other columns than a status column tell it.
#[derive(Debug, Clone, Copy, Default)]
struct StatusHints {
    won: Option<bool>,
    closed: Option<bool>,
    stage: Option<DealStatus>,
}

impl StatusHints {
    fn status(self) -> Option<DealStatus> {
        match (self.closed, self.won) {
            (Some(false), _) => Some(DealStatus::Open),
            (_, Some(true)) => Some(DealStatus::Won),
            (Some(true), Some(false)) => Some(DealStatus::Lost),
            _ => self.stage,
        }
    }
}

/// The words every warning of a link left out ends its reason with, which the link audit counts
/// by.
pub const LINK_LEFT_OUT: &str = "the link is left out";

/// A problem with one cell or row, for rejects.csv and warnings.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// What one source row became.
#[derive(Debug)]
pub struct RowResult {
    /// The row's own record.
    pub primary: Draft,
    /// Records of other entities the row describes.
    pub secondaries: Vec<Draft>,
    /// Why the row cannot be imported; empty when it can.
    pub rejects: Vec<Problem>,
    /// Values that did not fit their field (kept in the note) and links that did not resolve.
    pub warnings: Vec<Problem>,
    pub unresolved_links: u32,
    /// Links resolved through another file's ids, and links written by the name the row gives.
    pub links_by_id: u32,
    pub links_by_name: u32,
    /// The record's id in the source CRM.
    pub source_id: Option<String>,
    /// Values a value map lacked: (target, value).
    pub unmapped_values: Vec<(Target, String)>,
}

impl RowResult {
    /// What a row becomes before its cells are read: `primary`, and nothing else yet.
    pub(crate) fn new(primary: Draft) -> RowResult {
        RowResult {
            primary,
            secondaries: Vec::new(),
            rejects: Vec::new(),
            warnings: Vec::new(),
            unresolved_links: 0,
            links_by_id: 0,
            links_by_name: 0,
            source_id: None,
            unmapped_values: Vec::new(),
        }
    }

    /// A link that did not resolve: counted, its value kept in the note as `note`, and warned
    /// of in `header`'s column.
    fn left_out_link(&mut self, header: &str, note: String, value: String, reason: String) {
        self.unresolved_links += 1;
        self.primary.notes.push(note);
        self.warnings.push(Problem {
            column: header.to_string(),
            value,
            reason,
        });
    }
}

/// Everything a row conversion reads.
pub struct Converter<'a> {
    pub layouts: &'a [Layout],
    pub maps: &'a ValueMaps,
    pub index: &'a LinkIndex,
}

impl Converter<'_> {
    fn layout(&self, entity: Entity) -> Option<&Layout> {
        self.layouts.iter().find(|l| l.entity == entity)
    }

    /// Converts one row.
    pub fn convert(&self, plan: &FilePlan, record: &Record) -> RowResult {
        let split_row = plan.is_split_row(record);
        let (entity, rules) = match plan.split {
            Some((_, other)) if split_row => (other, &plan.split_rules),
            _ => (plan.entity, &plan.rules),
        };
        let layout = self
            .layout(entity)
            .expect("a layout for every planned entity");
        let mut out = RowResult::new(Draft::new(layout));
        out.source_id = plan
            .id_column
            .map(|i| cell(record, i).to_string())
            .filter(|s| !s.is_empty());
        if let Some(problem) = not_a_record(plan, record) {
            out.rejects.push(problem);
            return out;
        }
        check_kind(plan, record, &mut out.warnings);
        check_shape(plan, record, &mut out);
        for (i, rule) in rules.iter().enumerate() {
            let raw = cell(record, i);
            if raw.is_empty() {
                continue;
            }
            let column = plan.slot_column(split_row, i);
            self.apply(plan, (rule, column), i, raw, record, &mut out);
        }
        read_status_flags(plan, record, &mut out);
        let entity = out.primary.entity;
        super::tags::add_labels(
            &self.maps.labels,
            self.layout(entity),
            entity,
            out.source_id.as_deref(),
            &mut out.primary.cells,
        );
        self.complete(&mut out);
        out
    }

    fn draft<'b>(&self, out: &'b mut RowResult, entity: Entity) -> Option<&'b mut Draft> {
        if out.primary.entity == entity {
            return Some(&mut out.primary);
        }
        if let Some(pos) = out.secondaries.iter().position(|d| d.entity == entity) {
            return Some(&mut out.secondaries[pos]);
        }
        let layout = self.layout(entity)?;
        out.secondaries.push(Draft::new(layout));
        out.secondaries.last_mut()
    }

    /// Carries out column `i`'s rule on its cell; `column` is the output column the rule's
    /// slot fills, when the plan located it.
    fn apply(
        &self,
        plan: &FilePlan,
        (rule, column): (&Rule, Option<Option<usize>>),
        i: usize,
        raw: &str,
        record: &Record,
        out: &mut RowResult,
    ) {
        let header = &plan.headers[i];
        match rule {
            Rule::Skip => {}
            Rule::Note => out
                .primary
                .notes
                .push(values::labelled(header, &values::clean_text_ref(raw))),
            Rule::Set { target, conv, slot } => {
                let to = Cell { slot, column };
                self.set(header, target, conv, to, raw, out)
            }
            Rule::Link { to, by_id } => self.link(header, *to, *by_id, raw, out),
            Rule::LinkAny { to } => self.link_any(header, to, raw, out),
            Rule::LinkBy { type_column, types } => {
                let kind = record
                    .fields
                    .get(*type_column)
                    .unwrap_or("")
                    .trim()
                    .to_lowercase();
                self.link_by(header, types, &kind, raw, out)
            }
        }
    }
}

#[cfg(test)]
#[path = "row_tests.rs"]
mod tests;
