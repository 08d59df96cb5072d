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

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;

use crate::entity::Entity;

use super::layout::{Layout, Slot};
use super::links_csv::LinksCsv;
use super::tally::OutputFile;
use super::writer::PartWriter;

/// A row of an output file: its part (1-based) and its row in that part (1-based).
type At = (usize, u64);

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

fn csv_err(path: &Path) -> impl Fn(csv::Error) -> io::Error + '_ {
    move |e| io::Error::other(format!("{}: {e}", path.display()))
}

/// The parts of one entity's output, in order.
fn parts(outputs: &[OutputFile], entity: Entity) -> Vec<String> {
    outputs
        .iter()
        .filter(|o| o.entity == entity)
        .map(|o| o.file.clone())
        .collect()
}

/// Reads every row of an entity's parts, calling `each(at, row)`.
fn each_row(
    dir: &Path,
    files: &[String],
    mut each: impl FnMut(At, &csv::StringRecord) -> io::Result<()>,
) -> io::Result<()> {
    for (p, file) in files.iter().enumerate() {
        let path = dir.join(file);
        let mut reader = csv::Reader::from_path(&path).map_err(csv_err(&path))?;
        let mut record = csv::StringRecord::new();
        let mut row = 0u64;
        while reader.read_record(&mut record).map_err(csv_err(&path))? {
            row += 1;
            each((p + 1, row), &record)?;
        }
    }
    Ok(())
}

/// Calls `each(file stem, part, row, linked entity, source id)` for every line of `links.csv`.
fn each_link(
    path: &Path,
    mut each: impl FnMut(&str, usize, u64, &str, &str) -> io::Result<()>,
) -> io::Result<()> {
    LinksCsv::each(path, |l| each(l.stem, l.part, l.row, l.link, l.source_id))
}

/// Per file stem, source id → the output row of each person, organization and deal, from the
/// sidecar the export wrote (stem, part, row, source id).
type OwnIds = HashMap<String, HashMap<String, At>>;

fn read_own_ids(path: &Path) -> io::Result<OwnIds> {
    let mut reader = csv::Reader::from_path(path).map_err(csv_err(path))?;
    let mut ids: OwnIds = HashMap::new();
    for record in reader.records() {
        let r = record.map_err(csv_err(path))?;
        if let (Ok(part), Ok(row)) = (r[1].parse(), r[2].parse()) {
            ids.entry(r[0].to_string())
                .or_default()
                .entry(r[3].to_string())
                .or_insert((part, row));
        }
    }
    Ok(ids)
}

/// The output row of the `entity` record with this source id.
fn row_of(ids: &OwnIds, entity: Entity, id: &str) -> Option<At> {
    ids.get(entity.file_stem())?.get(id).copied()
}

/// The first non-empty cell among the columns whose header starts with `prefix`.
fn first_cell<'a>(
    headers: &csv::StringRecord,
    row: &'a csv::StringRecord,
    prefix: &str,
) -> &'a str {
    headers
        .iter()
        .zip(row.iter())
        .find(|(h, v)| h.starts_with(prefix) && !v.is_empty())
        .map_or("", |(_, v)| v)
}

fn headers_of(dir: &Path, files: &[String]) -> io::Result<Option<csv::StringRecord>> {
    let Some(first) = files.first() else {
        return Ok(None);
    };
    let path = dir.join(first);
    let mut reader = csv::Reader::from_path(&path).map_err(csv_err(&path))?;
    Ok(Some(reader.headers().map_err(csv_err(&path))?.clone()))
}

/// Rows taken out of an entity's files.
#[derive(Default)]
struct Taken {
    /// The headers of the kept columns.
    headers: Vec<String>,
    /// The rewritten files.
    outputs: Vec<OutputFile>,
    /// The rows taken out (old position → the kept columns).
    aside: HashMap<At, Vec<String>>,
    /// The rows left: old position → new position.
    moved: HashMap<At, At>,
    /// False when nothing was taken out: the files and their rows stay as they were.
    rewritten: bool,
}

/// Rewrites an entity's parts through a staging folder: `each` gives a row's new cells, or None
/// to leave it out. Returns the new parts and where each written row went.
fn rewrite_parts(
    dir: &Path,
    entity: Entity,
    files: &[String],
    header: Vec<String>,
    mut each: impl FnMut(At, &csv::StringRecord) -> io::Result<Option<Vec<String>>>,
) -> io::Result<(Vec<OutputFile>, HashMap<At, At>)> {
    let staged = dir.join(format!(".combined-{}", entity.as_str()));
    std::fs::create_dir_all(&staged)?;
    let mut writer = PartWriter::new(&staged, entity.file_stem(), header);
    let mut moved = HashMap::new();
    each_row(dir, files, |at, row| {
        if let Some(cells) = each(at, row)? {
            moved.insert(at, writer.write(&cells)?);
        }
        Ok(())
    })?;
    let written = writer.finish()?;
    for file in files {
        std::fs::remove_file(dir.join(file))?;
    }
    let mut outputs = Vec::new();
    for (file, rows) in written {
        std::fs::rename(staged.join(&file), dir.join(&file))?;
        outputs.push(OutputFile { file, entity, rows });
    }
    std::fs::remove_dir(&staged)?;
    Ok((outputs, moved))
}

/// Rewrites an entity's parts without the rows in `taken` (kept aside, by position, with
/// the columns `keep`), returning the new outputs and where each kept row moved.
fn take_rows(
    dir: &Path,
    entity: Entity,
    files: &[String],
    taken: &HashSet<At>,
    keep: &[usize],
) -> io::Result<Taken> {
    let Some(headers) = headers_of(dir, files)? else {
        return Ok(Taken::default());
    };
    let mut aside = HashMap::new();
    let header = headers.iter().map(String::from).collect();
    let (outputs, moved) = rewrite_parts(dir, entity, files, header, |at, row| {
        if taken.contains(&at) {
            let kept = keep.iter().map(|&c| row.get(c).unwrap_or("").to_string());
            aside.insert(at, kept.collect());
            Ok(None)
        } else {
            Ok(Some(row.iter().map(String::from).collect()))
        }
    })?;
    Ok(Taken {
        headers: Vec::new(),
        outputs,
        aside,
        moved,
        rewritten: true,
    })
}

/// Folds activities, notes and contact details into the deal rows of the export staged in
/// `dir`, updating `outputs` and `links.csv`. `own_ids` is the sidecar of the records' own
/// source ids; it is removed.
pub fn fold(
    dir: &Path,
    layouts: &[Layout],
    outputs: &mut Vec<OutputFile>,
    own_ids: &Path,
) -> io::Result<Folded> {
    let mut folded = Folded::default();
    let deal_files = parts(outputs, Entity::Deal);
    let links_path = dir.join(LinksCsv::FILE);
    let ids = read_own_ids(own_ids)?;
    std::fs::remove_file(own_ids)?;
    let Some(deal_headers) = headers_of(dir, &deal_files)? else {
        return Ok(folded);
    };
    let deal_stem = Entity::Deal.file_stem();
    let deal_at_id: HashMap<At, &str> = ids
        .get(deal_stem)
        .into_iter()
        .flatten()
        .map(|(id, at)| (*at, id.as_str()))
        .collect();
    let note_col = deal_headers.iter().position(|h| h == "Note - Content");
    let mut deals_without_note: HashSet<String> = HashSet::new();
    each_row(dir, &deal_files, |at, row| {
        if let (Some(id), Some(c)) = (deal_at_id.get(&at), note_col)
            && row.get(c).unwrap_or("").is_empty()
        {
            deals_without_note.insert(id.to_string());
        }
        Ok(())
    })?;

    // The first activity and note linked to each deal by id, and each deal row's contacts.
    // Per entity (activity, note): deal source id → the row of its first item.
    let mut first: HashMap<Entity, HashMap<String, At>> = HashMap::new();
    let mut contacts_of: HashMap<At, (Option<String>, Option<String>)> = HashMap::new();
    each_link(&links_path, |stem, part, row, link, id| {
        let entity = if stem == Entity::Activity.file_stem() {
            Entity::Activity
        } else if stem == Entity::Note.file_stem() {
            Entity::Note
        } else {
            if stem == deal_stem {
                let c = contacts_of.entry((part, row)).or_default();
                match link {
                    "person" => c.0 = Some(id.to_string()),
                    "organization" => c.1 = Some(id.to_string()),
                    _ => {}
                }
            }
            return Ok(());
        };
        if link == "deal" && (entity == Entity::Activity || deals_without_note.contains(id)) {
            first
                .entry(entity)
                .or_default()
                .entry(id.to_string())
                .or_insert((part, row));
        }
        Ok(())
    })?;

    // Contact details of the persons and organizations deal rows link to.
    let wanted = |entity: Entity| {
        contacts_of
            .values()
            .filter_map(|(person, org)| {
                if entity == Entity::Person {
                    person.as_deref()
                } else {
                    org.as_deref()
                }
            })
            .filter_map(|id| row_of(&ids, entity, id))
            .collect::<HashSet<At>>()
    };
    let mut person_details: HashMap<At, (String, String)> = HashMap::new();
    let person_files = parts(outputs, Entity::Person);
    if let Some(h) = headers_of(dir, &person_files)? {
        let rows = wanted(Entity::Person);
        each_row(dir, &person_files, |at, row| {
            if rows.contains(&at) {
                let email = first_cell(&h, row, "Person - Email").to_string();
                let phone = first_cell(&h, row, "Person - Phone").to_string();
                person_details.insert(at, (email, phone));
            }
            Ok(())
        })?;
    }
    let mut org_address: HashMap<At, String> = HashMap::new();
    let org_files = parts(outputs, Entity::Organization);
    if let Some(h) = headers_of(dir, &org_files)? {
        let rows = wanted(Entity::Organization);
        each_row(dir, &org_files, |at, row| {
            if rows.contains(&at) {
                org_address.insert(
                    at,
                    first_cell(&h, row, "Organization - Address").to_string(),
                );
            }
            Ok(())
        })?;
    }

    // Activities and notes leave their files; their columns (links aside) join the deal rows.
    let mut taken_out = |entity: Entity| -> io::Result<Taken> {
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
        let taken: HashSet<At> = first
            .get(&entity)
            .map(|m| m.values().copied().collect())
            .unwrap_or_default();
        if files.is_empty() || taken.is_empty() {
            return Ok(Taken::default());
        }
        let mut rows = take_rows(dir, entity, &files, &taken, &keep)?;
        rows.headers = keep.iter().map(|&c| layout.headers[c].clone()).collect();
        outputs.retain(|o| o.entity != entity);
        outputs.append(&mut rows.outputs);
        Ok(rows)
    };
    let Taken {
        headers: activity_headers,
        aside: activities,
        moved: activity_moved,
        rewritten: activities_rewritten,
        ..
    } = taken_out(Entity::Activity)?;
    let Taken {
        aside: notes,
        moved: note_moved,
        rewritten: notes_rewritten,
        ..
    } = taken_out(Entity::Note)?;

    // The deal rows, widened.
    let mut header: Vec<String> = deal_headers.iter().map(String::from).collect();
    header.extend(CONTACT_HEADERS.iter().map(|h| h.to_string()));
    header.extend(activity_headers.iter().cloned());
    let (deal_outputs, deal_moved) =
        rewrite_parts(dir, Entity::Deal, &deal_files, header, |at, row| {
            let mut cells: Vec<String> = row.iter().map(String::from).collect();
            let (person, org) = contacts_of
                .get(&at)
                .map(|(p, o)| (p.as_deref(), o.as_deref()))
                .unwrap_or_default();
            let person = person
                .and_then(|id| row_of(&ids, Entity::Person, id))
                .and_then(|p| person_details.get(&p));
            let address = org
                .and_then(|id| row_of(&ids, Entity::Organization, id))
                .and_then(|o| org_address.get(&o));
            let (email, phone) = person.cloned().unwrap_or_default();
            let address = address.cloned().unwrap_or_default();
            if !(email.is_empty() && phone.is_empty() && address.is_empty()) {
                folded.contacts += 1;
            }
            cells.extend([email, phone, address]);
            let id = deal_at_id.get(&at).copied();
            let activity = id
                .and_then(|id| first.get(&Entity::Activity)?.get(id))
                .and_then(|a| activities.get(a));
            match activity {
                Some(a) => {
                    cells.extend(a.iter().cloned());
                    folded.activities += 1;
                }
                None => cells.extend(std::iter::repeat_n(String::new(), activity_headers.len())),
            }
            let note = id
                .and_then(|id| first.get(&Entity::Note)?.get(id))
                .and_then(|n| notes.get(n))
                .and_then(|n| n.first());
            if let (Some(note), Some(c)) = (note, note_col) {
                cells[c].clone_from(note);
                folded.notes += 1;
            }
            Ok(Some(cells))
        })?;
    outputs.retain(|o| o.entity != Entity::Deal);
    outputs.extend(deal_outputs);
    outputs.sort_by(|a, b| (a.entity, &a.file).cmp(&(b.entity, &b.file)));

    // links.csv follows the rows: folded rows are linked by their deal row now.
    let rewritten = dir.join(".links-combined.csv");
    let mut writer = csv::Writer::from_path(&rewritten).map_err(csv_err(&rewritten))?;
    writer
        .write_record(LinksCsv::HEADER)
        .map_err(csv_err(&rewritten))?;
    each_link(&links_path, |stem, part, row, link, id| {
        // A file nothing was taken out of keeps its rows where they were.
        let moved = if stem == Entity::Activity.file_stem() && activities_rewritten {
            activity_moved.get(&(part, row))
        } else if stem == Entity::Note.file_stem() && notes_rewritten {
            note_moved.get(&(part, row))
        } else if stem == deal_stem {
            deal_moved.get(&(part, row))
        } else {
            Some(&(part, row))
        };
        if let Some(&(part, row)) = moved {
            writer
                .write_record([stem, &part.to_string(), &row.to_string(), link, id])
                .map_err(csv_err(&rewritten))?;
        }
        Ok(())
    })?;
    writer.flush()?;
    drop(writer);
    std::fs::rename(&rewritten, &links_path)?;
    Ok(folded)
}
