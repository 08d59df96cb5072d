//! A row's records completed once every cell is in: the other entities' records named and
//! linked, names and addresses filled from their parts, derived fields, the import's
//! mandatory checks, and the note text written into its column.

use crate::entity::Entity;
use crate::transform::layout::{Layout, Slot};
use crate::values;

use super::convert::append_cell;
use super::{Converter, Draft, Problem, RowResult};

impl Converter<'_> {
    /// Derived fields, mandatory checks and the note text, once every cell is in.
    pub(super) fn complete(&self, out: &mut RowResult) {
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
    let requirement = crate::transform::requires::of(d.entity);
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
        .map(|(h, v)| values::labelled(h, v))
        .chain(d.notes.iter().cloned())
        .collect()
}
