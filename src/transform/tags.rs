//! A CRM's tags kept apart from its records — a tags file (tag id, tag name) and a link table
//! (record id, tag id) beside the records file — as the records' labels. Keap's ContactGroup
//! and ContactGroupAssign, ActiveCampaign's tags and contactTags, Salesforce-style TopicAssignment
//! exports ship them this way. Both files are read, never exported; each record whose id the
//! link table names gets the names of its tags in its `label` field, beside any labels of its
//! own. An export may hold several link tables (tags on contacts and on deals): each gives the
//! labels of its own entity's records. Shared by `apply` and the mapping UI's export, as the
//! owner value map is.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::entity::Entity;
use crate::profile::Profile;
use crate::schema::Schema;
use crate::source::{SourceError, SourceRef, Table};

use super::layout::{self, Layout, Slot};

/// Per entity, record id → the names of its tags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordLabels {
    /// Per entity whose records a link table names: source record id → tag names, in the link
    /// tables' order.
    pub by_entity: BTreeMap<Entity, HashMap<String, Vec<String>>>,
}

impl RecordLabels {
    /// The tag names of the record of `entity` with source id `id`.
    fn of(&self, entity: Entity, id: &str) -> Option<&Vec<String>> {
        self.by_entity.get(&entity)?.get(id)
    }
}

/// Tags and link tables made the records' labels.
#[derive(Debug, Clone, PartialEq)]
pub struct TagsUsed {
    /// The files read (the tags files and the link tables), by name.
    pub files: Vec<String>,
    /// The lines for the report that say what was done, one per link table used.
    pub notes: Vec<String>,
    /// The labels to give the records.
    pub labels: RecordLabels,
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn file_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
}

/// A tag's id column and name column in a tags file (`Id`/`GroupName`, `id`/`tag`).
fn tag_columns(headers: &[String]) -> Option<(usize, usize)> {
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| squash(h) == *n))
    };
    let id = find(&["tagid", "groupid", "labelid", "topicid", "id"])?;
    let name = find(&[
        "tagname",
        "groupname",
        "labelname",
        "name",
        "tag",
        "label",
        "title",
    ])?;
    (id != name).then_some((id, name))
}

/// The entity a column or file named after a kind of record holds (`ContactId` → person).
fn entity_named(text: &str) -> Option<Entity> {
    let s = squash(text);
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["opportunit", "deal"]) {
        Some(Entity::Deal)
    } else if has(&["lead"]) {
        Some(Entity::Lead)
    } else if has(&["account", "company", "organization", "organisation", "org"]) {
        Some(Entity::Organization)
    } else if has(&["contact", "person", "people", "subscriber", "party"]) {
        Some(Entity::Person)
    } else {
        None
    }
}

/// Words that name a kind of record on their own, as a link table's record column
/// (ActiveCampaign's contactTags `contact`).
const RECORD_WORDS: &[&str] = &[
    "contact",
    "subscriber",
    "person",
    "deal",
    "opportunity",
    "account",
    "organization",
    "organisation",
    "company",
    "lead",
];

/// A link table's tag-id column and record-id column, and the entity of its records.
fn link_columns(name: &str, headers: &[String]) -> Option<(usize, usize, Entity)> {
    let tag = ["tagid", "groupid", "labelid", "topicid", "tag"]
        .iter()
        .find_map(|n| headers.iter().position(|h| squash(h) == *n))?;
    // `ContactId`, `deal_id`, `contact`; not `ContactGroup` (Keap's group name) nor `Id`.
    let record = headers.iter().enumerate().find_map(|(i, h)| {
        let s = squash(h);
        let names_records = (s.ends_with("id") && s != "id") || RECORD_WORDS.contains(&s.as_str());
        if i == tag || !names_records {
            return None;
        }
        entity_named(h).map(|e| (i, e))
    });
    match record {
        Some((i, e)) => Some((tag, i, e)),
        // `taggable_id` beside a file named after its records (contactTags.csv).
        None => {
            let i = headers.iter().position(|h| {
                let s = squash(h);
                s.ends_with("id") && s != "id" && !s.contains("tag")
            })?;
            Some((tag, i, entity_named(&file_name(name))?))
        }
    }
}

/// Reads the tags files and link tables among `left_out` (files already left out of the export
/// as a tag list or a join table) into the labels of the records of the profile's files for the
/// entity each link table names; every link table whose records the profile exports is used.
/// Tag ids are looked up in all the tags files (the first name given to an id wins). None when
/// no link table fits.
pub fn from_tag_files(
    left_out: &[SourceRef],
    profile: &Profile,
) -> Result<Option<TagsUsed>, SourceError> {
    let found = read_sources(left_out)?;
    if found.names.is_empty() {
        return Ok(None);
    }
    let mut used = TagsUsed {
        files: found.tag_files.clone(),
        notes: Vec::new(),
        labels: RecordLabels::default(),
    };
    // Every link table whose records the profile exports.
    for link in &found.links {
        if !profile.files.iter().any(|f| f.entity == link.entity) {
            continue;
        }
        let mut table = Table::open_ref(link.source)?;
        let linked = read_link_table(&mut table, link.tag, link.record, &found.names)?;
        if linked.by_id.is_empty() {
            continue;
        }
        let link_file = file_name(&link.source.name);
        let note = link_note(link.entity, &found.tag_files, &link_file, &linked);
        used.notes.push(note);
        used.files.push(link_file);
        // Two link tables of one entity (tags and topics of contacts) add to the same records.
        let all = used.labels.by_entity.entry(link.entity).or_default();
        add_record_labels(all, linked.by_id);
    }
    Ok((!used.notes.is_empty()).then_some(used))
}

/// What the left-out files hold for labels.
#[derive(Default)]
struct TagSources<'a> {
    /// Tag id → tag name, from every tags file.
    names: HashMap<String, String>,
    /// The tags files that named a tag, by file name.
    tag_files: Vec<String>,
    links: Vec<LinkTable<'a>>,
}

/// A link table: its tag-id column, its record-id column and the entity of its records.
struct LinkTable<'a> {
    source: &'a SourceRef,
    tag: usize,
    record: usize,
    entity: Entity,
}

/// Tells the link tables from the tags files by their columns, and reads the tags files' names.
fn read_sources(left_out: &[SourceRef]) -> Result<TagSources<'_>, SourceError> {
    let mut found = TagSources::default();
    for source in left_out {
        let mut table = Table::open_ref(source)?;
        if let Some((tag, record, entity)) = link_columns(&source.name, &table.headers) {
            found.links.push(LinkTable {
                source,
                tag,
                record,
                entity,
            });
        } else if let Some((id, name)) = tag_columns(&table.headers)
            && read_tag_names(&mut table, id, name, &mut found.names)?
        {
            found.tag_files.push(file_name(&source.name));
        }
    }
    Ok(found)
}

/// Reads a tags file's tag names by id into `names`, keeping a name already given to an id.
/// True when the file named a tag no file before it had.
fn read_tag_names(
    table: &mut Table,
    id: usize,
    name: usize,
    names: &mut HashMap<String, String>,
) -> Result<bool, SourceError> {
    let before = names.len();
    while let Some(r) = table.next_record()? {
        let id = r.fields.get(id).unwrap_or("").trim();
        let name = r.fields.get(name).unwrap_or("").trim();
        if !id.is_empty() && !name.is_empty() {
            names
                .entry(id.to_string())
                .or_insert_with(|| name.to_string());
        }
    }
    Ok(names.len() > before)
}

/// What one link table gives.
#[derive(Debug, Default, PartialEq)]
struct LinkedTags {
    /// Record id → its tags' names, each once, in the table's order.
    by_id: HashMap<String, Vec<String>>,
    /// The links read (a record's tag given twice counts once).
    linked: usize,
    /// The tag ids no tags file names.
    unnamed: BTreeSet<String>,
}

/// Reads a link table's (record id, tag id) rows into each record's tag names. A tag id the
/// tags files lack is kept as written, never dropped.
fn read_link_table(
    table: &mut Table,
    tag: usize,
    record: usize,
    names: &HashMap<String, String>,
) -> Result<LinkedTags, SourceError> {
    let mut out = LinkedTags::default();
    while let Some(r) = table.next_record()? {
        let id = r.fields.get(record).unwrap_or("").trim();
        let tag_id = r.fields.get(tag).unwrap_or("").trim();
        if id.is_empty() || tag_id.is_empty() {
            continue;
        }
        let name = names.get(tag_id).cloned().unwrap_or_else(|| {
            out.unnamed.insert(tag_id.to_string());
            tag_id.to_string()
        });
        let list = out.by_id.entry(id.to_string()).or_default();
        if !list.contains(&name) {
            list.push(name);
            out.linked += 1;
        }
    }
    Ok(out)
}

/// The report's line for one link table used.
fn link_note(entity: Entity, tag_files: &[String], link_file: &str, linked: &LinkedTags) -> String {
    let tag_list = tag_files.join(", ");
    let mut note = format!(
        "Labels: the tags of {tag_list} given to {} {} through {link_file} ({} links, by the records' ids), in {}.label; {tag_list} and {link_file} were used, not exported",
        linked.by_id.len(),
        entity.plural(),
        linked.linked,
        entity.as_str(),
    );
    if !linked.unnamed.is_empty() {
        note.push_str(&format!(
            "; tag ids {tag_list} has no name for are kept as written: {}",
            linked
                .unnamed
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    note
}

/// Adds each record's tag names to those `all` already gives it, each name once.
fn add_record_labels(all: &mut HashMap<String, Vec<String>>, by_id: HashMap<String, Vec<String>>) {
    for (id, names) in by_id {
        let list = all.entry(id).or_default();
        for name in names {
            if !list.contains(&name) {
                list.push(name);
            }
        }
    }
}

/// Gives the layout of each labelled entity a label column when none of its files maps one.
pub fn widen(layouts: &mut [Layout], schema: &Schema, labels: &RecordLabels) {
    for &entity in labels.by_entity.keys() {
        let Some(l) = layouts.iter_mut().find(|l| l.entity == entity) else {
            continue;
        };
        let slot = Slot::Field {
            key: "label".into(),
            label: None,
        };
        if l.column(&slot).is_none() {
            let mut slots = l.slots.clone();
            slots.push(slot);
            *l = layout::rebuild(schema, entity, slots);
        }
    }
}

/// Adds the record's tags to its label cell (beside labels it has), by its source id.
pub fn add_labels(
    labels: &RecordLabels,
    layout: Option<&Layout>,
    entity: Entity,
    source_id: Option<&str>,
    cells: &mut [String],
) {
    let (Some(id), Some(col)) = (source_id, layout.and_then(|l| l.field("label"))) else {
        return;
    };
    let Some(tags) = labels.of(entity, id.trim()) else {
        return;
    };
    let mut all: BTreeSet<String> = cells[col]
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    all.extend(tags.iter().cloned());
    cells[col] = all.into_iter().collect::<Vec<_>>().join(", ");
}

#[cfg(test)]
#[path = "tags_tests.rs"]
mod tests;
