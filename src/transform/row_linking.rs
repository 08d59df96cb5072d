//! A row's links to other records: by id through the link index, by name as the row writes
//! it, or by an id whose entity another column names; a link that does not resolve is kept in
//! the note and warned of.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::entity::Entity;
use crate::transform::layout::Slot;
use crate::transform::links::Linked;
use crate::values;

use super::convert::set_cell;
use super::{Converter, LINK_LEFT_OUT, Problem, RowResult};

impl Converter<'_> {
    /// A link by id or by name to a record of `to`; by id, a value no file has is kept in the
    /// note and warned of.
    pub(super) fn link(
        &self,
        header: &str,
        to: Entity,
        by_id: bool,
        raw: &str,
        out: &mut RowResult,
    ) {
        let raw = &first_linked(header, raw, out);
        if let Some(linked) = self.index.get(to, raw) {
            out.links_by_id += 1;
            self.set_link(out, &linked);
        } else if by_id {
            out.left_out_link(
                header,
                values::labelled(header, raw),
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
    pub(super) fn link_any(&self, header: &str, to: &[Entity], raw: &str, out: &mut RowResult) {
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
                    values::labelled(header, raw),
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
    pub(super) fn link_by(
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
    fn set_link(&self, out: &mut RowResult, linked: &Linked) {
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
