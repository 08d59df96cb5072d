//! The combined layout (`--layout combined`): Pipedrive's import links the items written in
//! one row to each other (docs/pipedrive-import.md §4), so each deal row also carries its
//! person's e-mail and phone, its organization's address, its first activity and, when the deal
//! has no note of its own, its first note. The activity and note are then linked to exactly that
//! deal instead of to whichever deal has the same title, and the person and organization are
//! matched by the import's duplicate rules (name + e-mail/phone/organization; name + address,
//! §5) rather than by name alone.
//!
//! It rewrites a finished, staged export: the deals file gains the columns, the folded activity
//! and note rows leave `05-activities`/`06-notes`, and `links.csv` follows the rows that moved.
//! Every row is still written exactly once.

mod files;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;

use crate::entity::Entity;

use super::layout::{Layout, Slot};
use super::links_csv::LinksCsv;
use super::tally::OutputFile;
use files::{
    At, OwnIds, Taken, csv_err, each_link, each_row, first_cell, headers_of, parts, read_own_ids,
    rewrite_parts, row_of, take_rows,
};

/// What the combined layout moved into the deal rows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Folded {
    /// Activities written in their deal's row.
    pub activities: u64,
    /// Notes written in their deal's row.
    pub notes: u64,
    /// Deal rows that gained their person's e-mail/phone or their organization's address.
    pub contacts: u64,
}

/// The header of the extra contact columns of a combined deal row.
const CONTACT_HEADERS: [&str; 3] = ["Person - Email", "Person - Phone", "Organization - Address"];

/// Folds activities, notes and contact details into the deal rows of the export staged in
/// `dir`, updating `outputs` and `links.csv`. `own_ids` is the sidecar of the records' own
/// source ids; it is removed.
pub fn fold(
    dir: &Path,
    layouts: &[Layout],
    outputs: &mut Vec<OutputFile>,
    own_ids: &Path,
) -> io::Result<Folded> {
    let deal_files = parts(outputs, Entity::Deal);
    let links_path = dir.join(LinksCsv::FILE);
    let ids = read_own_ids(own_ids)?;
    std::fs::remove_file(own_ids)?;
    let Some(deal_headers) = headers_of(dir, &deal_files)? else {
        return Ok(Folded::default());
    };
    let deals = DealRows::read(dir, &deal_files, &deal_headers, &ids)?;
    let mut links = DealLinks::default();
    each_link(&links_path, |stem, part, row, link, id| {
        links.take(stem, (part, row), link, id, &deals.without_note);
        Ok(())
    })?;
    let contacts = Contacts::read(dir, outputs, &ids, &links)?;
    let activities = take_out(dir, layouts, outputs, &links, Entity::Activity)?;
    let notes = take_out(dir, layouts, outputs, &links, Entity::Note)?;
    let deal_fold = DealFold {
        ids: &ids,
        deals: &deals,
        links: &links,
        contacts: &contacts,
        activities: &activities,
        notes: &notes,
    };
    let mut folded = Folded::default();
    let deal_moved = deal_fold.rewrite(dir, outputs, &deal_files, &deal_headers, &mut folded)?;
    relink(dir, &links_path, &activities, &notes, &deal_moved)?;
    Ok(folded)
}

/// The deal rows as the export wrote them.
struct DealRows<'a> {
    /// Output row → the deal's source id.
    id_at: HashMap<At, &'a str>,
    /// The column of the deal's own note.
    note_col: Option<usize>,
    /// Deals whose note cell is empty: only their notes are folded in.
    without_note: HashSet<String>,
}

impl<'a> DealRows<'a> {
    fn read(
        dir: &Path,
        files: &[String],
        headers: &csv::StringRecord,
        ids: &'a OwnIds,
    ) -> io::Result<DealRows<'a>> {
        let id_at: HashMap<At, &str> = ids
            .get(Entity::Deal.file_stem())
            .into_iter()
            .flatten()
            .map(|(id, at)| (*at, id.as_str()))
            .collect();
        let note_col = headers.iter().position(|h| h == "Note - Content");
        let mut without_note = HashSet::new();
        each_row(dir, files, |at, row| {
            if let (Some(id), Some(c)) = (id_at.get(&at), note_col)
                && row.get(c).unwrap_or("").is_empty()
            {
                without_note.insert(id.to_string());
            }
            Ok(())
        })?;
        Ok(DealRows {
            id_at,
            note_col,
            without_note,
        })
    }
}

/// What links.csv says about the deal rows: the first activity and note linked to each deal by
/// id, and each deal row's person and organization.
#[derive(Debug, Default)]
struct DealLinks {
    /// Per entity (activity, note): deal source id → the row of its first item.
    first: HashMap<Entity, HashMap<String, At>>,
    /// Deal row → the source ids of its person and organization.
    contacts_of: HashMap<At, (Option<String>, Option<String>)>,
}

impl DealLinks {
    /// Takes one line of links.csv (`stem`'s row `at` links to the `link` record `id`) into
    /// account. A note is folded only into a deal that has no note of its own.
    fn take(&mut self, stem: &str, at: At, link: &str, id: &str, without_note: &HashSet<String>) {
        let entity = if stem == Entity::Activity.file_stem() {
            Entity::Activity
        } else if stem == Entity::Note.file_stem() {
            Entity::Note
        } else {
            if stem == Entity::Deal.file_stem() {
                let c = self.contacts_of.entry(at).or_default();
                match link {
                    "person" => c.0 = Some(id.to_string()),
                    "organization" => c.1 = Some(id.to_string()),
                    _ => {}
                }
            }
            return;
        };
        if link == "deal" && (entity == Entity::Activity || without_note.contains(id)) {
            self.first
                .entry(entity)
                .or_default()
                .entry(id.to_string())
                .or_insert(at);
        }
    }

    /// The first `entity` row linked to the deal with this source id.
    fn first_of(&self, entity: Entity, deal: &str) -> Option<&At> {
        self.first.get(&entity)?.get(deal)
    }

    /// The `entity` rows folded into deal rows.
    fn taken(&self, entity: Entity) -> HashSet<At> {
        self.first
            .get(&entity)
            .map(|m| m.values().copied().collect())
            .unwrap_or_default()
    }

    /// The rows of the persons (or organizations) deal rows link to.
    fn linked_rows(&self, ids: &OwnIds, entity: Entity) -> HashSet<At> {
        self.contacts_of
            .values()
            .filter_map(|(person, org)| {
                if entity == Entity::Person {
                    person.as_deref()
                } else {
                    org.as_deref()
                }
            })
            .filter_map(|id| row_of(ids, entity, id))
            .collect()
    }
}

/// The contact details of the persons and organizations deal rows link to.
#[derive(Debug, Default)]
struct Contacts {
    /// Person row → its e-mail and phone.
    person: HashMap<At, (String, String)>,
    /// Organization row → its address.
    org_address: HashMap<At, String>,
}

impl Contacts {
    fn read(
        dir: &Path,
        outputs: &[OutputFile],
        ids: &OwnIds,
        links: &DealLinks,
    ) -> io::Result<Contacts> {
        let mut contacts = Contacts::default();
        let person_files = parts(outputs, Entity::Person);
        if let Some(h) = headers_of(dir, &person_files)? {
            let rows = links.linked_rows(ids, Entity::Person);
            each_row(dir, &person_files, |at, row| {
                if rows.contains(&at) {
                    let email = first_cell(&h, row, "Person - Email").to_string();
                    let phone = first_cell(&h, row, "Person - Phone").to_string();
                    contacts.person.insert(at, (email, phone));
                }
                Ok(())
            })?;
        }
        let org_files = parts(outputs, Entity::Organization);
        if let Some(h) = headers_of(dir, &org_files)? {
            let rows = links.linked_rows(ids, Entity::Organization);
            each_row(dir, &org_files, |at, row| {
                if rows.contains(&at) {
                    let address = first_cell(&h, row, "Organization - Address");
                    contacts.org_address.insert(at, address.to_string());
                }
                Ok(())
            })?;
        }
        Ok(contacts)
    }
}

/// Activities or notes leave their files; their columns (links aside) join the deal rows.
fn take_out(
    dir: &Path,
    layouts: &[Layout],
    outputs: &mut Vec<OutputFile>,
    links: &DealLinks,
    entity: Entity,
) -> io::Result<Taken> {
    let files = parts(outputs, entity);
    let Some(layout) = layouts.iter().find(|l| l.entity == entity) else {
        return Ok(Taken::default());
    };
    let keep: Vec<usize> = layout
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| !matches!(s, Slot::Link(_)))
        .map(|(i, _)| i)
        .collect();
    let taken = links.taken(entity);
    if files.is_empty() || taken.is_empty() {
        return Ok(Taken::default());
    }
    let mut rows = take_rows(dir, entity, &files, &taken, &keep)?;
    rows.headers = keep.iter().map(|&c| layout.headers[c].clone()).collect();
    outputs.retain(|o| o.entity != entity);
    outputs.append(&mut rows.outputs);
    Ok(rows)
}

/// Everything a deal row is widened with.
struct DealFold<'a> {
    ids: &'a OwnIds,
    deals: &'a DealRows<'a>,
    links: &'a DealLinks,
    contacts: &'a Contacts,
    activities: &'a Taken,
    notes: &'a Taken,
}

impl DealFold<'_> {
    /// Rewrites the deal files with the widened rows; returns where each deal row went.
    fn rewrite(
        &self,
        dir: &Path,
        outputs: &mut Vec<OutputFile>,
        files: &[String],
        headers: &csv::StringRecord,
        folded: &mut Folded,
    ) -> io::Result<HashMap<At, At>> {
        let mut header: Vec<String> = headers.iter().map(String::from).collect();
        header.extend(CONTACT_HEADERS.iter().map(|h| h.to_string()));
        header.extend(self.activities.headers.iter().cloned());
        let (deal_outputs, moved) = rewrite_parts(dir, Entity::Deal, files, header, |at, row| {
            Ok(Some(self.row(at, row, folded)))
        })?;
        outputs.retain(|o| o.entity != Entity::Deal);
        outputs.extend(deal_outputs);
        outputs.sort_by(|a, b| (a.entity, &a.file).cmp(&(b.entity, &b.file)));
        Ok(moved)
    }

    /// The deal row at `at`, widened: its person's e-mail and phone, its organization's
    /// address, its first activity's columns, and its first note in its own note cell.
    fn row(&self, at: At, row: &csv::StringRecord, folded: &mut Folded) -> Vec<String> {
        let mut cells: Vec<String> = row.iter().map(String::from).collect();
        let (email, phone, address) = self.contact_details(at);
        if !(email.is_empty() && phone.is_empty() && address.is_empty()) {
            folded.contacts += 1;
        }
        cells.extend([email, phone, address]);
        let id = self.deals.id_at.get(&at).copied();
        let activity = id
            .and_then(|id| self.links.first_of(Entity::Activity, id))
            .and_then(|a| self.activities.aside.get(a));
        match activity {
            Some(a) => {
                cells.extend(a.iter().cloned());
                folded.activities += 1;
            }
            None => {
                let width = self.activities.headers.len();
                cells.extend(std::iter::repeat_n(String::new(), width));
            }
        }
        let note = id
            .and_then(|id| self.links.first_of(Entity::Note, id))
            .and_then(|n| self.notes.aside.get(n))
            .and_then(|n| n.first());
        if let (Some(note), Some(c)) = (note, self.deals.note_col) {
            cells[c].clone_from(note);
            folded.notes += 1;
        }
        cells
    }

    /// The e-mail, phone and address of the person and organization the deal row links to.
    fn contact_details(&self, at: At) -> (String, String, String) {
        let (person, org) = self
            .links
            .contacts_of
            .get(&at)
            .map(|(p, o)| (p.as_deref(), o.as_deref()))
            .unwrap_or_default();
        let person = person
            .and_then(|id| row_of(self.ids, Entity::Person, id))
            .and_then(|p| self.contacts.person.get(&p));
        let address = org
            .and_then(|id| row_of(self.ids, Entity::Organization, id))
            .and_then(|o| self.contacts.org_address.get(&o));
        let (email, phone) = person.cloned().unwrap_or_default();
        (email, phone, address.cloned().unwrap_or_default())
    }
}

/// links.csv follows the rows: folded rows are linked by their deal row now.
fn relink(
    dir: &Path,
    links_path: &Path,
    activities: &Taken,
    notes: &Taken,
    deal_moved: &HashMap<At, At>,
) -> io::Result<()> {
    let rewritten = dir.join(".links-combined.csv");
    let mut writer = csv::Writer::from_path(&rewritten).map_err(csv_err(&rewritten))?;
    writer
        .write_record(LinksCsv::HEADER)
        .map_err(csv_err(&rewritten))?;
    each_link(links_path, |stem, part, row, link, id| {
        if let Some((part, row)) = moved_to(stem, (part, row), activities, notes, deal_moved) {
            writer
                .write_record([stem, &part.to_string(), &row.to_string(), link, id])
                .map_err(csv_err(&rewritten))?;
        }
        Ok(())
    })?;
    writer.flush()?;
    drop(writer);
    std::fs::rename(&rewritten, links_path)
}

/// Where the row `at` of the file `stem` is after the fold; None when it was folded into a
/// deal row. A file nothing was taken out of keeps its rows where they were.
fn moved_to(
    stem: &str,
    at: At,
    activities: &Taken,
    notes: &Taken,
    deal_moved: &HashMap<At, At>,
) -> Option<At> {
    if stem == Entity::Activity.file_stem() && activities.rewritten {
        activities.moved.get(&at).copied()
    } else if stem == Entity::Note.file_stem() && notes.rewritten {
        notes.moved.get(&at).copied()
    } else if stem == Entity::Deal.file_stem() {
        deal_moved.get(&at).copied()
    } else {
        Some(at)
    }
}
