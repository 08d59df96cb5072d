//! One source row → the records it becomes: the row's own record, plus any records of other
//! entities its columns describe (a Sell lead's person and organization), with links by name,
//! typed values, and every value that fits no field kept in the record's note.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::entity::{Entity, Target};
use crate::source::Record;

use super::layout::{Layout, Slot, name_key};

#[path = "row_cells.rs"]
mod cells;
#[path = "row_checks.rs"]
mod checks;
use checks::{cell, check_kind, check_shape, not_a_record, read_status_flags};

/// The cells a converted value fills: its own slot (None) or the one it names, and the value.
type Cells = Vec<(Option<Slot>, String)>;
use super::links::LinkIndex;
use super::plan::{Conv, FilePlan, Rule};
use super::vocab::ValueMaps;
use crate::values::{self, DealStatus};

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
            cells: vec![String::new(); layout.slots.len()],
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
                .push(format!("{header}: {}", values::clean_text(raw))),
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

    /// A link by id or by name to a record of `to`; by id, a value no file has is kept in the
    /// note and warned of.
    fn link(&self, header: &str, to: Entity, by_id: bool, raw: &str, out: &mut RowResult) {
        let raw = &first_linked(header, raw, out);
        if let Some(linked) = self.index.get(to, raw) {
            out.links_by_id += 1;
            self.set_link(out, &linked);
        } else if by_id {
            out.left_out_link(
                header,
                format!("{header}: {raw}"),
                raw.to_string(),
                format!(
                    "no {to} with this id in the export; {LINK_LEFT_OUT} (value kept in the note)"
                ),
            );
        } else {
            out.links_by_name += 1;
            set_cell(
                self.layout(out.primary.entity),
                &mut out.primary,
                &Slot::Link(to),
                values::clean_text(raw),
            );
        }
    }

    /// A link by id to a record of any of the entities `to`, whichever has the id.
    fn link_any(&self, header: &str, to: &[Entity], raw: &str, out: &mut RowResult) {
        let first = first_linked(header, raw, out);
        let found = to.iter().find_map(|e| self.index.get(*e, &first));
        match found {
            Some(linked) => {
                out.links_by_id += 1;
                self.set_link(out, &linked);
            }
            None => {
                let names: Vec<&str> = to.iter().map(|e| e.plural()).collect();
                out.left_out_link(
                    header,
                    format!("{header}: {raw}"),
                    raw.to_string(),
                    format!(
                        "none of the exported {} has this id; {LINK_LEFT_OUT} (value kept in the note)",
                        names.join(", ")
                    ),
                );
            }
        }
    }

    /// A link to a record whose entity the row's `kind` names, through the profile's `types`.
    fn link_by(
        &self,
        header: &str,
        types: &BTreeMap<String, Entity>,
        kind: &str,
        raw: &str,
        out: &mut RowResult,
    ) {
        let Some(&to) = types.get(kind) else {
            out.left_out_link(
                header,
                format!("{header}: {raw} ({kind})"),
                format!("{kind} {raw}"),
                format!("the record type is not one the profile links (types); {LINK_LEFT_OUT}"),
            );
            return;
        };
        match self.index.get(to, raw) {
            Some(linked) => {
                out.links_by_id += 1;
                self.set_link(out, &linked);
            }
            None => out.left_out_link(
                header,
                format!("{header}: {kind} {raw}"),
                raw.to_string(),
                format!("no {to} with this id was exported (or it was rejected); {LINK_LEFT_OUT}"),
            ),
        }
    }

    /// Links the row's record to a resolved record, and to that record's own organization and
    /// person where this record has room and none yet.
    fn set_link(&self, out: &mut RowResult, linked: &super::links::Linked) {
        let layout = self.layout(out.primary.entity);
        if !linked.id.is_empty() {
            out.primary
                .link_ids
                .push((linked.entity, linked.id.clone()));
        }
        set_cell(
            layout,
            &mut out.primary,
            &Slot::Link(linked.entity),
            linked.name.clone(),
        );
        for (entity, name) in [
            (Entity::Organization, &linked.organization),
            (Entity::Person, &linked.person),
        ] {
            if let (Some(name), Some(layout)) = (name, layout)
                && let Some(col) = layout.column(&Slot::Link(entity))
                && out.primary.cells[col].is_empty()
                && entity != out.primary.entity
            {
                out.primary.cells[col] = name.clone();
            }
        }
    }

    /// Writes one mapped cell into the record of its target's entity.
    fn set(
        &self,
        header: &str,
        target: &Target,
        conv: &Conv,
        to: Cell,
        raw: &str,
        out: &mut RowResult,
    ) {
        let Some(entity) = target.entity() else {
            return;
        };
        let layout = self.layout(entity);
        if matches!(target, Target::Skip | Target::Note) {
            return;
        }
        // Activities and notes take no custom fields: the value joins the row's other notes,
        // which follow the record's own text.
        if let (Target::Custom { name, .. }, Entity::Activity | Entity::Note) = (target, entity) {
            if let Some(d) = self.draft(out, entity) {
                d.notes.push(format!("{name}: {}", values::clean_text(raw)));
            }
            return;
        }
        // An address part is kept as written, unless it cannot be one (an e-mail address in a
        // postal-code column): then it joins the note with a warning.
        if let Conv::AddressPart(part) = conv {
            let value = values::clean_text(raw);
            if let Err(reason) = part.check(&value) {
                out.warnings.push(cells::problem(
                    header,
                    raw,
                    format!("{reason}; kept in the note"),
                ));
                out.primary.notes.push(format!("{header}: {value}"));
            } else if let Some(d) = self.draft(out, entity) {
                put(to.column(layout), d, to.slot, header, value);
            }
            return;
        }
        // Text, the most common case, goes straight into its cell.
        if *conv == Conv::Text {
            if let Some(d) = self.draft(out, entity) {
                put(
                    to.column(layout),
                    d,
                    to.slot,
                    header,
                    values::clean_text(raw),
                );
            }
            return;
        }
        match self.convert_value(header, target, conv, to.slot, raw, out) {
            Ok(cells) => {
                if let Some(d) = self.draft(out, entity) {
                    for (own, value) in cells {
                        match &own {
                            Some(own) => {
                                let column = layout.and_then(|l| l.column(own));
                                put(column, d, own, header, value)
                            }
                            None => put(to.column(layout), d, to.slot, header, value),
                        }
                    }
                }
            }
            Err(reason) => {
                out.warnings.push(cells::problem(
                    header,
                    raw,
                    format!("{reason}; kept in the note"),
                ));
                out.primary.notes.push(format!("{header}: {raw}"));
            }
        }
    }

    /// A value through its conversion: the cells it fills (its own slot, or the one it names),
    /// or why it cannot be read. Conversions that write their record themselves (e-mails and
    /// phones, a time of day) fill no cell here.
    fn convert_value(
        &self,
        header: &str,
        target: &Target,
        conv: &Conv,
        slot: &Slot,
        raw: &str,
        out: &mut RowResult,
    ) -> Result<Cells, String> {
        let Some(entity) = target.entity() else {
            return Ok(Vec::new());
        };
        match conv {
            Conv::Text | Conv::AddressPart(_) => Ok(vec![(None, values::clean_text(raw))]),
            Conv::Email | Conv::Phone => {
                self.set_contacts(header, conv == &Conv::Email, slot, raw, entity, out);
                Ok(Vec::new())
            }
            Conv::Date(style) => values::parse_date(raw, style)
                .map(|d| vec![(None, d.to_pipedrive())])
                .map_err(|e| e.to_string()),
            Conv::Day(style) => cells::day(header, raw, style, &mut out.warnings),
            Conv::Time(style) => self.time(raw, style, entity, out),
            Conv::Duration(unit) => values::parse_duration(raw, *unit)
                .map(|d| vec![(None, d)])
                .map_err(|e| e.to_string()),
            Conv::Money(style) => cells::money(header, raw, *style, &mut out.warnings),
            Conv::Currency => values::parse_currency(raw)
                .map(|code| vec![(None, code)])
                .map_err(|e| e.to_string()),
            Conv::Number(style) => values::parse_number_in(raw, *style)
                .map(|n| vec![(None, n)])
                .map_err(|e| e.to_string()),
            // A value map names the CRM's own words for yes and no (Dynamics 365's activity
            // status "Completed", "Canceled").
            Conv::Bool => {
                let mapped = self.maps.lookup(&target.without_label(), raw);
                cells::yes_no(mapped.as_deref().unwrap_or(raw), raw).map(|v| vec![(None, v)])
            }
            Conv::Values => self.map_value(header, target, raw, out),
            Conv::Labels(sep) => {
                let mapped: BTreeSet<String> = values::split_labels(raw, sep)
                    .into_iter()
                    .map(|label| self.maps.lookup(target, &label).unwrap_or(label))
                    .collect();
                Ok(vec![(
                    None,
                    mapped.into_iter().collect::<Vec<_>>().join(", "),
                )])
            }
        }
    }

    /// E-mail addresses (or phone numbers), several to a cell: the readable ones fill the
    /// field's slots; the first that is not joins the note with a warning.
    fn set_contacts(
        &self,
        header: &str,
        email: bool,
        slot: &Slot,
        raw: &str,
        entity: Entity,
        out: &mut RowResult,
    ) {
        let parse = |v: &str| {
            if email {
                values::parse_email(v)
            } else {
                values::clean_phone(v)
            }
        };
        let mut good = Vec::new();
        let mut first_bad = None;
        for part in values::split_multi(raw) {
            match parse(part) {
                Ok(value) => good.push(value),
                Err(e) => {
                    first_bad.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_bad {
            out.warnings.push(cells::problem(
                header,
                raw,
                format!("{e}; kept in the note"),
            ));
            out.primary.notes.push(format!("{header}: {raw}"));
        }
        let layout = self.layout(entity);
        if let Some(d) = self.draft(out, entity) {
            spill(layout, d, slot, good);
        }
    }

    /// A time of day goes to the record's time. "Start Time" columns hold the date too
    /// (Dynamics 365 `3/11/2025 13:00`): then the date fills the due date.
    fn time(
        &self,
        raw: &str,
        style: &values::DateStyle,
        entity: Entity,
        out: &mut RowResult,
    ) -> Result<Cells, String> {
        let (time, cells) = match values::parse_time(raw) {
            Ok(t) => (t, Vec::new()),
            Err(e) => match values::parse_date(raw, style) {
                Ok(values::DateValue::DateTime(dt)) => {
                    let due = Slot::Field {
                        key: "due_date".into(),
                        label: None,
                    };
                    let day = dt.date().strftime("%Y-%m-%d").to_string();
                    (dt.time(), vec![(Some(due), day)])
                }
                _ => return Err(e.to_string()),
            },
        };
        if let Some(d) = self.draft(out, entity) {
            d.time = Some(time.strftime("%H:%M:%S").to_string());
        }
        Ok(cells)
    }

    /// A value through the profile's map: stages become pipeline + stage (and, for won/lost
    /// stages, the deal status), other fields their mapped value. Unmapped values are kept as
    /// written and reported.
    fn map_value(
        &self,
        header: &str,
        target: &Target,
        raw: &str,
        out: &mut RowResult,
    ) -> Result<Cells, String> {
        // Most targets have no label to drop: no copy for them.
        let base = match target {
            Target::Field { label: None, .. } | Target::Custom { part: None, .. } => {
                std::borrow::Cow::Borrowed(target)
            }
            _ => std::borrow::Cow::Owned(target.without_label()),
        };
        let base = base.as_ref();
        let mapped = self.maps.lookup(base, raw);
        let key = base.key().unwrap_or("");
        if let Some(users) = &self.maps.owners_from
            && mapped.is_none()
            && matches!(key, "owner_id" | "user_id")
        {
            out.warnings.push(Problem {
                column: header.to_string(),
                value: raw.to_string(),
                reason: format!("no user with this id or name in {users}; kept as written"),
            });
        }
        let known_status = key == "status" && values::parse_status(raw).is_some();
        if mapped.is_none() && !known_status {
            out.unmapped_values.push((base.clone(), raw.to_string()));
        }
        let value = mapped.clone().unwrap_or_else(|| raw.to_string());
        let field = |k: &str| {
            Some(Slot::Field {
                key: k.into(),
                label: None,
            })
        };
        Ok(match key {
            "stage_id" => {
                // A mapped "Pipeline/Stage" names both; a stage as the source writes it stays
                // one stage, slashes and all (Salesforce's `Negotiation/Review`), and keeps the
                // row's own pipeline (or the account's first, filled in when the row is
                // complete).
                let explicit = mapped.is_some() && value.trim() != raw.trim();
                let mut cells = match value.split_once('/') {
                    Some((p, s)) if explicit => vec![
                        (field("stage_id"), s.trim().to_string()),
                        (field("pipeline_id"), p.trim().to_string()),
                    ],
                    _ => vec![(field("stage_id"), value.trim().to_string())],
                };
                if let Some(status) = self
                    .maps
                    .lookup(&Target::field(Entity::Deal, "status"), raw)
                {
                    cells.push((field("status"), status));
                } else if let Some(deal) = self.draft(out, Entity::Deal) {
                    deal.status.stage = values::stage_status(raw);
                }
                cells
            }
            "status" => match values::parse_status(&value) {
                Some(status) => vec![(None, status.as_str().to_string())],
                None => return Err(values::ValueError::NotAStatus(raw.to_string()).to_string()),
            },
            _ => vec![(None, value)],
        })
    }

    /// Derived fields, mandatory checks and the note text, once every cell is in.
    fn complete(&self, out: &mut RowResult) {
        self.complete_secondaries(out);
        self.finish_names(&mut out.primary);
        self.finish_addresses(&mut out.primary);
        let layout = self.layout(out.primary.entity).expect("layout");
        self.derive_fields(layout, &mut out.primary);
        out.rejects
            .extend(missing_requirement(layout, &out.primary));
        write_notes(layout, &mut out.primary);
    }

    /// The records of other entities the row describes: named, linked from the row's own
    /// record, a deal's person linked to the organization the row names; those without a
    /// name are dropped, their values kept in the row's note.
    fn complete_secondaries(&self, out: &mut RowResult) {
        let mut secondaries = std::mem::take(&mut out.secondaries);
        for d in &mut secondaries {
            self.finish_names(d);
            self.finish_addresses(d);
            let layout = self.layout(d.entity).expect("layout");
            let name = d.name(layout).to_string();
            if name.is_empty() {
                if !d.is_blank() {
                    out.primary.notes.extend(describe_cells(layout, d));
                }
                continue;
            }
            let primary_layout = self.layout(out.primary.entity).expect("layout");
            if let Some(col) = primary_layout.column(&Slot::Link(d.entity))
                && out.primary.cells[col].is_empty()
            {
                out.primary.cells[col] = name;
            }
        }
        // A deal's or lead's person works at the organization the same row names (known only
        // once every record of the row has its name).
        let primary_layout = self.layout(out.primary.entity).expect("layout");
        let org = secondaries_org(&out.primary, primary_layout);
        for d in secondaries
            .iter_mut()
            .filter(|d| d.entity == Entity::Person)
        {
            let layout = self.layout(d.entity).expect("layout");
            if let (Some(org), Some(col)) = (&org, layout.column(&Slot::Link(Entity::Organization)))
                && d.cells[col].is_empty()
            {
                d.cells[col] = org.clone();
            }
        }
        secondaries.retain(|d| !d.name(self.layout(d.entity).expect("layout")).is_empty());
        out.secondaries = secondaries;
    }

    /// Fields derived from others: a due time joined to its date, a deal's status settled
    /// and its default pipeline, a lead's title from what it links to.
    fn derive_fields(&self, layout: &Layout, d: &mut Draft) {
        // A due time joins its date in the due date column; without a date it is kept in the
        // note.
        if let Some(time) = d.time.take()
            && let Some(col) = layout.field("due_date")
        {
            if d.cells[col].len() == 10 {
                d.cells[col] = format!("{} {time}", d.cells[col]);
            } else if d.cells[col].is_empty() {
                d.notes.push(format!("Due time: {time}"));
            }
        }
        if d.entity == Entity::Deal {
            settle_status(layout, d);
        }
        if d.entity == Entity::Deal
            && let (Some(stage), Some(pipeline)) =
                (layout.field("stage_id"), layout.field("pipeline_id"))
            && !d.cells[stage].is_empty()
            && d.cells[pipeline].is_empty()
        {
            d.cells[pipeline] = self.maps.default_pipeline.clone();
        }
        if d.entity == Entity::Lead && d.name(layout).is_empty() {
            let base = [Entity::Organization, Entity::Person]
                .iter()
                .map(|e| d.link(layout, *e).to_string())
                .find(|n| !n.is_empty());
            if let (Some(base), Some(col)) = (base, layout.field("title")) {
                d.cells[col] = format!("{base} lead");
            }
        }
    }

    /// An address given in parts is also written whole, composed from its parts, so Pipedrive
    /// shows and geocodes the whole address even where a part is missing.
    fn finish_addresses(&self, d: &mut Draft) {
        let Some(layout) = self.layout(d.entity) else {
            return;
        };
        for address in &layout.addresses {
            if !d.cells[address.whole].is_empty() {
                continue;
            }
            let whole = crate::address::compose(
                address
                    .parts
                    .iter()
                    .map(|&(part, col)| (part, d.cells[col].as_str())),
            );
            d.cells[address.whole] = whole;
        }
    }

    /// A person's full name from its parts, or its parts from the full name.
    fn finish_names(&self, d: &mut Draft) {
        if d.entity != Entity::Person {
            return;
        }
        let layout = self.layout(Entity::Person).expect("layout");
        let (Some(name), first, last) = (
            layout.field("name"),
            layout.field("first_name"),
            layout.field("last_name"),
        ) else {
            return;
        };
        let get = |c: Option<usize>, d: &Draft| c.map_or(String::new(), |c| d.cells[c].clone());
        if d.cells[name].is_empty() {
            d.cells[name] = values::join_name(&get(first, d), &get(last, d));
        } else if let (Some(f), Some(l)) = (first, last)
            && d.cells[f].is_empty()
            && d.cells[l].is_empty()
        {
            let (fst, lst) = values::split_full_name(&d.cells[name]);
            d.cells[f] = fst;
            d.cells[l] = lst;
        }
    }
}

/// Why the import would skip this record (no name, or none of the links it needs), if it
/// would.
fn missing_requirement(layout: &Layout, d: &Draft) -> Option<Problem> {
    let name = d.name(layout).to_string();
    let linked = |e: Entity| !d.link(layout, e).is_empty();
    let reject = |reason: &str| Problem {
        column: String::new(),
        value: String::new(),
        reason: reason.to_string(),
    };
    let requirement = super::requires::of(d.entity);
    // A note's other values become its content, so they name it too.
    let named = !name.is_empty() || (d.entity == Entity::Note && !d.notes.is_empty());
    let links_one =
        requirement.link_one_of.is_empty() || requirement.link_one_of.iter().any(|e| linked(*e));
    if requirement.name.is_some() && !named {
        Some(reject(requirement.without_name))
    } else if !links_one {
        Some(reject(requirement.without_link))
    } else {
        None
    }
}

/// The record's note lines, written into its note column (an activity's note, a note's
/// content).
fn write_notes(layout: &Layout, d: &mut Draft) {
    let notes = std::mem::take(&mut d.notes);
    if !notes.is_empty() {
        let text = notes.join("\n");
        match d.entity {
            Entity::Activity => append_cell(Some(layout), d, "note", &text),
            Entity::Note => append_cell(Some(layout), d, "content", &text),
            _ => {
                if let Some(col) = layout.column(&Slot::Note) {
                    d.cells[col] = text;
                }
            }
        }
    }
}

/// The record a link cell names first; a cell naming several (`Ann Lee,Bob Ray`) keeps the
/// others in the record's note, with a warning, since the row's link holds one record.
fn first_linked<'r>(header: &str, raw: &'r str, out: &mut RowResult) -> Cow<'r, str> {
    // One plain value, the common case, is read as it is.
    if !raw.contains([',', ';', '\n', '"']) {
        return Cow::Borrowed(raw);
    }
    let parts = values::split_link_names(raw);
    match parts.as_slice() {
        [] => Cow::Borrowed(raw),
        [one] => Cow::Owned(one.clone()),
        [first, rest @ ..] => {
            out.primary
                .notes
                .push(format!("{header} (also linked): {}", rest.join("; ")));
            out.warnings.push(Problem {
                column: header.to_string(),
                value: raw.to_string(),
                reason: format!(
                    "the cell names {} records; the first is linked, the others are kept in the note",
                    parts.len()
                ),
            });
            Cow::Owned(first.clone())
        }
    }
}

/// A deal's status from its flags or stage when no status column gave one, and its won or lost
/// time from its close time when the source has only that.
fn settle_status(layout: &Layout, d: &mut Draft) {
    let Some(col) = layout.field("status") else {
        return;
    };
    if d.cells[col].is_empty()
        && let Some(status) = d.status.status()
    {
        d.cells[col] = status.as_str().to_string();
    }
    let time_key = match d.cells[col].as_str() {
        "won" => "won_time",
        "lost" => "lost_time",
        _ => return,
    };
    if let (Some(close), Some(time)) = (layout.field("close_time"), layout.field(time_key))
        && d.cells[time].is_empty()
        && !d.cells[close].is_empty()
    {
        d.cells[time] = d.cells[close].clone();
    }
}

fn secondaries_org(primary: &Draft, layout: &Layout) -> Option<String> {
    let org = primary.link(layout, Entity::Organization);
    (!org.is_empty()).then(|| org.to_string())
}

fn describe_cells(layout: &Layout, d: &Draft) -> Vec<String> {
    layout
        .headers
        .iter()
        .zip(&d.cells)
        .filter(|(_, v)| !v.is_empty())
        .map(|(h, v)| format!("{h}: {v}"))
        .chain(d.notes.iter().cloned())
        .collect()
}

/// Writes a converted value into its cell; when another column already filled that cell with
/// something else, the value joins the note instead of overwriting it (a currency may be set
/// twice, by an amount and by its own column).
fn put(column: Option<usize>, d: &mut Draft, slot: &Slot, header: &str, value: String) {
    let is_currency = matches!(slot, Slot::Field { key, .. } if key == "currency");
    match column {
        Some(c) if !d.cells[c].is_empty() && d.cells[c] != value && !is_currency => {
            d.notes.push(format!("{header}: {value}"));
        }
        Some(c) => d.cells[c] = value,
        None if !value.is_empty() => d.notes.push(value),
        None => {}
    }
}

/// The output cell a rule fills: its slot, and the slot's column when the plan located it.
#[derive(Clone, Copy)]
struct Cell<'r> {
    slot: &'r Slot,
    column: Option<Option<usize>>,
}

impl Cell<'_> {
    /// The slot's column in `layout`: as located, or looked up.
    fn column(self, layout: Option<&Layout>) -> Option<usize> {
        self.column
            .unwrap_or_else(|| layout.and_then(|l| l.column(self.slot)))
    }
}

fn set_cell(layout: Option<&Layout>, d: &mut Draft, slot: &Slot, value: String) {
    if let Some(col) = layout.and_then(|l| l.column(slot)) {
        d.cells[col] = value;
    } else if !value.is_empty() {
        d.notes.push(value);
    }
}

fn append_cell(layout: Option<&Layout>, d: &mut Draft, key: &str, text: &str) {
    let slot = Slot::Field {
        key: key.to_string(),
        label: None,
    };
    if let Some(col) = layout.and_then(|l| l.column(&slot)) {
        let cell = &mut d.cells[col];
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(text);
    }
}

/// Puts several values of a multi field on the mapped label first, then on free labels.
fn spill(layout: Option<&Layout>, d: &mut Draft, slot: &Slot, values: Vec<String>) {
    let Some(layout) = layout else { return };
    let Slot::Field { key, .. } = slot else {
        return;
    };
    let mut free: Vec<usize> = Vec::new();
    if let Some(c) = layout.column(slot) {
        free.push(c);
    }
    for &i in layout.columns_of(key) {
        if !free.contains(&i) {
            free.push(i);
        }
    }
    let mut values = values.into_iter();
    for col in free {
        if d.cells[col].is_empty() {
            match values.next() {
                Some(v) => d.cells[col] = v,
                None => return,
            }
        }
    }
    let rest: Vec<String> = values.collect();
    if !rest.is_empty() {
        d.notes.push(format!("{}: {}", key, rest.join(", ")));
    }
}

#[cfg(test)]
#[path = "row_tests.rs"]
mod tests;
