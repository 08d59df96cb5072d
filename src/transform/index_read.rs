//! Reading a file's records into the link index by their source ids, so a link by id finds
//! its record whatever the order the files are converted in. Rows are converted on worker
//! threads ([`IndexRead::entry`], through a plan reduced to what the index holds) and indexed
//! in the file's order on the reading thread ([`IndexRead::take`]). The export reads a file
//! for this alone, or alongside the duplicate search's read of the same file.

use std::collections::HashSet;

use crate::entity::Entity;
use crate::source::Record;

use super::layout::{self, Layout, Slot};
use super::links::{LinkIndex, Linked};
use super::plan::{FilePlan, Rule};
use super::row::{Converter, Draft, RowResult};
use super::run::link_targets;
use super::vocab::ValueMaps;

/// What the index keeps of one row: its source id and how other rows see it.
pub(super) type Entry = Option<(String, Linked)>;

/// One file's rows being indexed: what the worker threads read (the reduced plan, and the
/// index as it stood before the file). Rows are converted against that index; a row whose
/// links may name a record indexed from the file itself (a contacts file whose people link to
/// its companies) is converted again in [`IndexRead::take`] against the index of the rows
/// before it, so each row sees what it would if the file were read one row at a time.
pub(super) struct IndexRead<'a> {
    plan: FilePlan,
    layouts: &'a [Layout],
    maps: &'a ValueMaps,
    /// Whether the file's rows may link to its own records.
    within: bool,
    /// The index before the file: what the workers convert against.
    before: LinkIndex,
    /// The columns whose cells are links.
    link_columns: Vec<usize>,
}

/// What indexing a file gathers on the reading thread, in the file's order.
pub(super) struct IndexTake {
    /// The index the file's ids go into: the whole index when its rows link to their own
    /// file's records (then `before` is a copy), else the file's records alone.
    live: LinkIndex,
    /// The ids indexed from the file itself.
    from_file: HashSet<Box<str>>,
}

impl<'a> IndexRead<'a> {
    /// The indexing of `plan`'s file into `index`.
    pub fn new(
        plan: &FilePlan,
        layouts: &'a [Layout],
        maps: &'a ValueMaps,
        index: LinkIndex,
    ) -> (IndexRead<'a>, IndexTake) {
        let within = links_within(plan, &index);
        // The index the workers convert against, and the one this file's ids go into: the
        // same records, apart while the file is read.
        let (before, live) = if within {
            (index.clone(), index)
        } else {
            (index, LinkIndex::default())
        };
        // The index needs each record's id, name and links, not its other values.
        let plan = index_plan(plan);
        let link_columns = link_columns(&plan);
        let read = IndexRead {
            plan,
            layouts,
            maps,
            within,
            before,
            link_columns,
        };
        let taken = IndexTake {
            live,
            from_file: HashSet::new(),
        };
        (read, taken)
    }

    /// A row's entry, converted against the index before the file (on a worker thread).
    pub fn entry(&self, record: &Record) -> Entry {
        self.entry_against(&self.before, record)
    }

    fn entry_against(&self, index: &LinkIndex, record: &Record) -> Entry {
        let converter = Converter {
            layouts: self.layouts,
            maps: self.maps,
            index,
        };
        index_entry(self.layouts, &converter.convert(&self.plan, record))
    }

    /// Indexes a row's entry, in the file's order: converted again first when its links may
    /// name a record indexed from the file itself.
    pub fn take(&self, taken: &mut IndexTake, record: &Record, entry: Entry) {
        let entry = if self.within && links_rows_of(&self.link_columns, record, &taken.from_file) {
            self.entry_against(&taken.live, record)
        } else {
            entry
        };
        if let Some((id, linked)) = entry
            && taken.live.insert(self.plan.entity, &id, &linked)
            && self.within
        {
            taken.from_file.insert(Box::from(id.trim()));
        }
    }

    /// The index with the file's records in it.
    pub fn finish(self, taken: IndexTake) -> LinkIndex {
        if self.within {
            taken.live
        } else {
            let mut index = self.before;
            index.append(taken.live);
            index
        }
    }
}

/// Whether a row of `plan`'s file may look up a record indexed from the file itself: a link
/// to the file's own entity, to the entity its split rows become, or to an entity whose ids
/// the file's family already holds.
fn links_within(plan: &FilePlan, index: &LinkIndex) -> bool {
    link_targets(plan).into_iter().any(|to| {
        plan.split.is_some_and(|(_, other)| other == to) || index.searches(to, plan.entity)
    })
}

/// The columns whose cells a plan's rules (or its split rows' rules) read as links.
fn link_columns(plan: &FilePlan) -> Vec<usize> {
    let is_link = |r: Option<&Rule>| {
        matches!(
            r,
            Some(Rule::Link { .. } | Rule::LinkAny { .. } | Rule::LinkBy { .. })
        )
    };
    (0..plan.headers.len())
        .filter(|&c| is_link(plan.rules.get(c)) || is_link(plan.split_rules.get(c)))
        .collect()
}

/// Whether `record`'s link cells (`columns`) may name one of `ids` (records indexed from its
/// own file): each cell is checked whole and, when it lists several records, each of them.
fn links_rows_of(columns: &[usize], record: &Record, ids: &HashSet<Box<str>>) -> bool {
    if ids.is_empty() {
        return false;
    }
    columns.iter().any(|&c| {
        let cell = record.fields.get(c).unwrap_or("").trim();
        !cell.is_empty()
            && (ids.contains(cell)
                || (cell.contains([',', ';', '\n', '"'])
                    && crate::values::split_link_names(cell)
                        .iter()
                        .any(|part| ids.contains(part.trim()))))
    })
}

/// `plan` with only the rules that make what the link index holds of a record, and what
/// decides whether it is rejected: its name (whole or in parts, its own or a record it names
/// besides its own) and its links. Every other column is skipped, so indexing a file costs a
/// fraction of converting it.
pub(super) fn index_plan(plan: &FilePlan) -> FilePlan {
    let keep = |rule: &Rule| match rule {
        Rule::Set { target, slot, .. } => {
            matches!(slot, Slot::Link(_))
                || target.entity().zip(target.key()).is_some_and(|(e, key)| {
                    key == layout::name_key(e) || key == "first_name" || key == "last_name"
                })
        }
        Rule::Link { .. } | Rule::LinkAny { .. } | Rule::LinkBy { .. } => true,
        Rule::Skip | Rule::Note => false,
    };
    let only = |rules: &[Rule]| -> Vec<Rule> {
        rules
            .iter()
            .map(|r| if keep(r) { r.clone() } else { Rule::Skip })
            .collect()
    };
    FilePlan {
        rules: only(&plan.rules),
        split_rules: only(&plan.split_rules),
        ..plan.clone()
    }
}

/// The entry a converted row adds to the link index: its source id and how other rows see it
/// (none for a row rejected or without an id).
pub(super) fn index_entry(layouts: &[Layout], result: &RowResult) -> Option<(String, Linked)> {
    let id = result
        .source_id
        .as_ref()
        .filter(|_| result.rejects.is_empty())?;
    Some((id.clone(), linked(layouts, &result.primary)))
}

/// How other rows see a converted record.
fn linked(layouts: &[Layout], d: &Draft) -> Linked {
    let l = layouts
        .iter()
        .find(|l| l.entity == d.entity)
        .expect("every converted entity has a layout");
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Linked {
        entity: d.entity,
        name: d.name(l).to_string(),
        organization: text(d.link(l, Entity::Organization)),
        person: text(d.link(l, Entity::Person)),
        id: String::new(),
    }
}
