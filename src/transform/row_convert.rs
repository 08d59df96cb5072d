//! A mapped cell's value into its record: through its conversion (dates, amounts, e-mails and
//! phones, value maps, labels) into the cell its slot names, or into the note with a warning
//! when it cannot be read; a cell another column filled keeps its value.

use std::collections::BTreeSet;

use crate::entity::{Entity, Target};
use crate::transform::layout::{Layout, Slot};
use crate::transform::plan::Conv;
use crate::values;

use super::{Cells, Converter, Draft, Problem, RowResult, cells};

impl Converter<'_> {
    /// Writes one mapped cell into the record of its target's entity.
    pub(super) fn set(
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
                d.notes
                    .push(values::labelled(name, &values::clean_text_ref(raw)));
            }
            return;
        }
        // An address part is kept as written, unless it cannot be one (an e-mail address in a
        // postal-code column): then it joins the note with a warning.
        if let Conv::AddressPart(part) = conv {
            let value = values::clean_text(raw);
            match part.check(&value) {
                Err(reason) => kept_in_note(out, header, raw, &reason, &value),
                Ok(()) => {
                    if let Some(d) = self.draft(out, entity) {
                        put(to.column(layout), d, to.slot, header, value);
                    }
                }
            }
            return;
        }
        // Text, the most common case, goes straight into its cell.
        if *conv == Conv::Text {
            let value = match self.record_named_by_id(target, raw, out) {
                Some(name) => name,
                None => values::clean_text(raw),
            };
            if let Some(d) = self.draft(out, entity) {
                put(to.column(layout), d, to.slot, header, value);
            }
            return;
        }
        match self.convert_value(header, target, conv, to.slot, raw, out) {
            Ok(cells) => self.put_cells(entity, header, to, cells, out),
            Err(reason) => kept_in_note(out, header, raw, &reason, raw),
        }
    }

    /// The name of the record a row describes besides its own (a lead's organization) when the
    /// source wrote that record's id where its name goes: a Salesforce lead's `Company` holding
    /// its account's Id. The row then names the record the id is of, and the link is counted
    /// as resolved by id, rather than a record being made with the id for its name.
    fn record_named_by_id(
        &self,
        target: &Target,
        raw: &str,
        out: &mut RowResult,
    ) -> Option<String> {
        let Target::Field { entity, key, .. } = target else {
            return None;
        };
        let value = raw.trim();
        if *entity == out.primary.entity
            || key != "name"
            || !matches!(entity, Entity::Organization | Entity::Person)
            || !values::is_id_like(value)
        {
            return None;
        }
        let linked = self.index.get(*entity, value)?;
        (linked.entity == *entity && !linked.name.is_empty()).then(|| {
            out.links_by_id += 1;
            linked.name
        })
    }

    /// Puts a converted value's cells into the record of `entity`: each in the slot it names,
    /// or the rule's own.
    fn put_cells(&self, entity: Entity, header: &str, to: Cell, cells: Cells, out: &mut RowResult) {
        let layout = self.layout(entity);
        let Some(d) = self.draft(out, entity) else {
            return;
        };
        for (own, value) in cells {
            match &own {
                Some(own) => put(layout.and_then(|l| l.column(own)), d, own, header, value),
                None => put(to.column(layout), d, to.slot, header, value),
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
                let done = target.key() == Some("done");
                cells::yes_no(mapped.as_deref().unwrap_or(raw), raw, done).map(|v| vec![(None, v)])
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
            kept_in_note(out, header, raw, &e.to_string(), raw);
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
}

/// A value that cannot be read as its field wants: warned of, and kept in the note as
/// `note_value` under its column's header.
fn kept_in_note(out: &mut RowResult, header: &str, raw: &str, reason: &str, note_value: &str) {
    out.warnings.push(cells::problem(
        header,
        raw,
        format!("{reason}; kept in the note"),
    ));
    out.primary.notes.push(values::labelled(header, note_value));
}

/// Writes a converted value into its cell; when another column already filled that cell with
/// something else, the value joins the note instead of overwriting it (a currency may be set
/// twice, by an amount and by its own column).
fn put(column: Option<usize>, d: &mut Draft, slot: &Slot, header: &str, value: String) {
    let is_currency = matches!(slot, Slot::Field { key, .. } if key == "currency");
    match column {
        Some(c) if !d.cells[c].is_empty() && d.cells[c] != value && !is_currency => {
            d.notes.push(values::labelled(header, &value));
        }
        Some(c) => d.cells[c] = value,
        None if !value.is_empty() => d.notes.push(value),
        None => {}
    }
}

/// The output cell a rule fills: its slot, and the slot's column when the plan located it.
#[derive(Clone, Copy)]
pub(super) struct Cell<'r> {
    pub(super) slot: &'r Slot,
    pub(super) column: Option<Option<usize>>,
}

impl Cell<'_> {
    /// The slot's column in `layout`: as located, or looked up.
    fn column(self, layout: Option<&Layout>) -> Option<usize> {
        self.column
            .unwrap_or_else(|| layout.and_then(|l| l.column(self.slot)))
    }
}

/// Writes `value` into `slot`'s cell, or into the note where the layout has no such cell.
pub(super) fn set_cell(layout: Option<&Layout>, d: &mut Draft, slot: &Slot, value: String) {
    if let Some(col) = layout.and_then(|l| l.column(slot)) {
        d.cells[col] = value;
    } else if !value.is_empty() {
        d.notes.push(value);
    }
}

/// Adds `text` on a line of its own to the field `key`'s cell, where the layout has one.
pub(super) fn append_cell(layout: Option<&Layout>, d: &mut Draft, key: &str, text: &str) {
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
    // The mapped label's column first, then the field's other columns (each listed once).
    let first = layout.column(slot);
    let others = layout.columns_of(key).iter().copied();
    let mut values = values.into_iter();
    for col in first
        .into_iter()
        .chain(others.filter(|&i| Some(i) != first))
    {
        if d.cells[col].is_empty() {
            match values.next() {
                Some(v) => d.cells[col] = v,
                None => return,
            }
        }
    }
    let rest: Vec<String> = values.collect();
    if !rest.is_empty() {
        d.notes.push(crate::values::labelled(key, &rest.join(", ")));
    }
}
