//! The profile's duplicate handling, applied to an export: for each persons or organizations
//! file whose entity has `dedupe:` settings (decisions, or `auto_merge` on some keys), find the
//! clusters, plan the merges, and tell the export which rows are absorbed or dropped, what a
//! survivor takes from the records it absorbed, and which names links must follow.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::dedupe::exact::{ExactKeys, KeyHashes, KeyIndex};
use crate::dedupe::{
    self, DedupeOptions, DedupeRecord, DedupeSettings, MatchKey, MergePlan, RecordBuilder,
};
use crate::entity::{Entity, Target};
use crate::profile::Profile;
use crate::source::{Record, RowsAt, SourceRef};

use super::engine::ApplyError;
use super::index_read::{IndexRead, IndexTake};
use super::opened::Spare;
use super::plan::{FilePlan, Rule};
use super::pool;

/// Every row's record identity, in one buffer: a million rows cost a few megabytes.
#[derive(Debug, Default)]
pub struct Identities {
    text: String,
    ends: Vec<usize>,
}

impl Identities {
    pub(crate) fn push(&mut self, identity: &str) {
        self.text.push_str(identity);
        self.ends.push(self.text.len());
    }

    /// The identity of data row `i` (0-based); empty where no dedupe applies.
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..end]
    }
}

/// What the export does with one file's duplicates.
#[derive(Debug, Default)]
pub struct FileDuplicates {
    /// Per data row (0-based): the record's identity, empty where no dedupe applies.
    pub identities: Identities,
    pub plan: MergePlan,
    /// (entity, an absorbed record's name, its survivor's name), where the names differ: links
    /// by name follow the survivor.
    pub renames: Vec<(Entity, String, String)>,
    /// (entity, survivor's name, absorbed names), for the report.
    pub merges: Vec<(Entity, String, Vec<String>)>,
    /// Survivor identity → the source rows it absorbed (identity, record), in row order: their
    /// values are folded into the survivor's output row.
    pub absorbed_rows: HashMap<String, Vec<(String, Record)>>,
}

fn display_name(r: &DedupeRecord) -> String {
    if !r.name.trim().is_empty() {
        r.name.trim().to_string()
    } else {
        crate::values::join_name(&r.first_name, &r.last_name)
    }
}

/// The columns of `rules` a duplicate record reads, as targets of `entity`.
fn targets(rules: &[Rule], entity: Entity) -> Vec<(usize, Target)> {
    rules
        .iter()
        .enumerate()
        .filter_map(|(c, r)| match r {
            Rule::Set { target, .. } if target.entity() == Some(entity) => {
                Some((c, target.clone()))
            }
            Rule::Link {
                to: Entity::Organization,
                ..
            } => Some((c, Target::field(entity, "org_id"))),
            _ => None,
        })
        .collect()
}

/// Finds and plans the merges of one file, reading it twice: once for every record's identity
/// (and its exact keys), once more for the records worth comparing and the rows they absorb (a
/// third read when a split file's two entities need both kinds of search).
/// None when the profile asks for no duplicate handling of the file's entities; else the first
/// read also indexes the file's records for links when `index` is given.
pub fn find(
    source: &SourceRef,
    plan: &FilePlan,
    profile: &Profile,
    index: Option<(&IndexRead, &mut IndexTake)>,
) -> Result<Option<FileDuplicates>, ApplyError> {
    let searched = searched_entities(plan, profile);
    if searched.is_empty() {
        return Ok(None);
    }
    let search = Search::new(source, plan, profile, searched)?;
    let mut out = FileDuplicates::default();
    let (mut records, candidates, starts) = search.first_read(&mut out.identities, index)?;
    // Source rows kept by the second read (candidates), for the absorbed ones' values.
    let kept = match candidates {
        Some(candidates) => {
            search.second_read(&candidates, &mut records, &out.identities, starts)?
        }
        None => HashMap::new(),
    };
    for (group, records) in search.groups.iter().zip(&records) {
        search.plan_merges(group, records, &mut out)?;
    }
    out.renames.sort();
    if !out.plan.absorbed.is_empty() {
        search.keep_absorbed_rows(&records, kept, &mut out)?;
    }
    Ok(Some(out))
}

/// The entities of the file (its own, then a split's other side: true) whose duplicates the
/// profile handles: persons, organizations and leads with auto-merge or decisions.
fn searched_entities<'a>(plan: &'a FilePlan, profile: &Profile) -> Vec<(Entity, &'a [Rule], bool)> {
    let mut entities: Vec<(Entity, &[Rule], bool)> = vec![(plan.entity, &plan.rules, false)];
    if let Some((_, other)) = plan.split {
        entities.push((other, &plan.split_rules, true));
    }
    entities.retain(|(e, _, _)| {
        matches!(e, Entity::Person | Entity::Organization | Entity::Lead)
            && profile
                .dedupe
                .get(e)
                .is_some_and(|s| s.auto_merge || !s.decisions.is_empty())
    });
    entities
}

/// What the first read gives: per group, the records it kept whole; the rows to read again
/// with their group (None when no group has exact keys); and where each row starts, when
/// rows can be read again from there.
type FirstRead = (
    Vec<Vec<DedupeRecord>>,
    Option<HashMap<u64, usize>>,
    Option<RowStarts>,
);

/// Single rows of the file read again where they start: each row's byte position, and its
/// line (8 bytes a row, and a few more where rows span lines).
struct RowStarts {
    rows: RowsAt,
    starts: Vec<u64>,
    /// (row index, its line) for the first row and each row whose line is not the one after
    /// the previous row's (after a cell holding line breaks, or blank lines): the lines of the
    /// rows between follow.
    jumps: Vec<(u64, u64)>,
    last_line: u64,
}

impl RowStarts {
    fn new(rows: RowsAt) -> RowStarts {
        RowStarts {
            rows,
            starts: Vec::new(),
            jumps: Vec::new(),
            last_line: 0,
        }
    }

    /// Notes where the next row starts and its line.
    fn push(&mut self, start: u64, line: u64) {
        let row = self.starts.len() as u64;
        if self.starts.is_empty() || line != self.last_line + 1 {
            self.jumps.push((row, line));
        }
        self.starts.push(start);
        self.last_line = line;
    }

    /// Row `i` (0-based) read again; None past the rows noted or the file's end.
    fn read(&mut self, i: usize) -> Result<Option<Record>, ApplyError> {
        let Some(&start) = self.starts.get(i) else {
            return Ok(None);
        };
        let at = self.jumps.partition_point(|&(row, _)| row <= i as u64);
        let (row, line) = self.jumps[at - 1];
        Ok(self.rows.read(start, line + (i as u64 - row))?)
    }
}

/// A row as the first read drafts it on a worker thread (handed over with its group's index).
enum Drafted {
    /// A row of a group with exact keys: all the read keeps of it. Its record is dropped on the
    /// worker thread that drafted it.
    Keyed {
        row: u64,
        identity: String,
        hashes: KeyHashes,
    },
    /// The whole record, in a group without exact keys.
    Whole(Box<DedupeRecord>),
}

impl Drafted {
    /// The draft as that of data row `row` (a block's rows are drafted before they are
    /// counted).
    fn at_row(self, row: u64) -> Drafted {
        match self {
            Drafted::Keyed {
                identity, hashes, ..
            } => Drafted::Keyed {
                row,
                identity,
                hashes,
            },
            Drafted::Whole(mut r) => {
                r.row = row;
                Drafted::Whole(r)
            }
        }
    }
}

/// What the first read gathers in row order, per group.
struct FirstReadTally {
    /// The exact keys counted so far.
    index: Vec<KeyIndex>,
    /// The rows whose keys went into the index, in order.
    indexed: Vec<Vec<u64>>,
    /// The whole records of groups without exact keys.
    records: Vec<Vec<DedupeRecord>>,
    /// The identities handed out so far.
    unique: Vec<dedupe::Identities>,
}

impl FirstReadTally {
    fn new(groups: usize) -> FirstReadTally {
        FirstReadTally {
            index: (0..groups).map(|_| KeyIndex::default()).collect(),
            indexed: vec![Vec::new(); groups],
            records: vec![Vec::new(); groups],
            unique: (0..groups).map(|_| Default::default()).collect(),
        }
    }

    /// Hands out the drafted row's identity and counts its keys (or keeps its record).
    fn take(&mut self, identities: &mut Identities, drafted: Option<(usize, Drafted)>) {
        let Some((g, drafted)) = drafted else {
            identities.push("");
            return;
        };
        match drafted {
            Drafted::Keyed {
                row,
                identity,
                hashes,
            } => {
                identities.push(&self.unique[g].unique(identity));
                self.index[g].add_hashes(&hashes);
                self.indexed[g].push(row);
            }
            Drafted::Whole(r) => {
                let mut r = *r;
                r.identity = self.unique[g].unique(std::mem::take(&mut r.identity));
                identities.push(&r.identity);
                self.records[g].push(r);
            }
        }
    }
}

/// One entity of the file whose duplicates are searched.
struct Group<'a> {
    entity: Entity,
    rules: &'a [Rule],
    /// True for the rows of a split's other side.
    split: bool,
    settings: &'a DedupeSettings,
    keys: Vec<MatchKey>,
    /// The exact form of the auto-merge keys, when they have one. Then only records sharing
    /// such a key with another (or named by a decision) are kept and compared; the rest cannot
    /// be merged, and holding a million of them would cost a gigabyte.
    exact: Option<ExactKeys>,
    /// The records decisions name.
    decided: HashSet<&'a str>,
}

/// The search of one file's duplicates.
struct Search<'a> {
    source: &'a SourceRef,
    plan: &'a FilePlan,
    groups: Vec<Group<'a>>,
}

impl<'a> Search<'a> {
    fn new(
        source: &'a SourceRef,
        plan: &'a FilePlan,
        profile: &'a Profile,
        searched: Vec<(Entity, &'a [Rule], bool)>,
    ) -> Result<Search<'a>, ApplyError> {
        let mut groups = Vec::new();
        for (entity, rules, split) in searched {
            let settings = &profile.dedupe[&entity];
            let keys = settings
                .keys
                .iter()
                .map(|k| k.parse())
                .collect::<Result<Vec<MatchKey>, _>>()
                .map_err(|e| dedupe_err(plan, e))?;
            let exact = if settings.auto_merge {
                ExactKeys::new(entity, &keys)
            } else {
                // Without auto-merge only the records decisions name matter.
                Some(ExactKeys::none(entity))
            };
            let decided = settings
                .decisions
                .iter()
                .flat_map(|d| d.records.iter().map(String::as_str))
                .collect();
            groups.push(Group {
                entity,
                rules,
                split,
                settings,
                keys,
                exact,
                decided,
            });
        }
        Ok(Search {
            source,
            plan,
            groups,
        })
    }

    /// A record builder per group, reading the columns its rules map.
    fn builders(&self) -> Result<Vec<RecordBuilder>, ApplyError> {
        self.groups
            .iter()
            .map(|g| {
                RecordBuilder::new(g.entity, &targets(g.rules, g.entity), &self.plan.headers)
                    .map_err(|e| dedupe_err(self.plan, e))
            })
            .collect()
    }

    /// The columns the first read takes from each row: those the records and the split read.
    fn wanted_columns(&self, builders: &[RecordBuilder]) -> Vec<bool> {
        let mut wanted = vec![false; self.plan.headers.len()];
        let split = self.plan.split.map(|(column, _)| column);
        for c in builders
            .iter()
            .flat_map(RecordBuilder::columns)
            .chain(split)
        {
            if let Some(w) = wanted.get_mut(c) {
                *w = true;
            }
        }
        wanted
    }

    /// The group a source row belongs to, by the split column; None when no group does.
    fn group_of(&self, record: &Record) -> Option<usize> {
        let split_row = self.plan.is_split_row(record);
        self.groups.iter().position(|g| g.split == split_row)
    }

    /// The first read: every row's identity, the whole records of groups without exact keys,
    /// and (when some group has exact keys) the rows worth reading again, with their group.
    /// Records are drafted and their keys hashed on worker threads ([`Search::draft`]);
    /// identities are handed out and keys counted on this thread, in row order
    /// ([`FirstReadTally::take`]). With `index`, the same read indexes the file for links.
    fn first_read(
        &self,
        identities: &mut Identities,
        index: Option<(&IndexRead, &mut IndexTake)>,
    ) -> Result<FirstRead, ApplyError> {
        let (index_work, mut index_take) = index.unzip();
        let builders = self.exact_builders()?;
        let wanted = self.wanted_columns(&builders);
        let mut tally = FirstReadTally::new(self.groups.len());
        let mut table = crate::source::Table::open_ref(self.source)?;
        // Where each row starts, so the second read (of groups with exact keys) reads the
        // candidates alone.
        let mut starts = match self.groups.iter().any(|g| g.exact.is_some()) {
            true => table.rows_at()?.map(RowStarts::new),
            false => None,
        };
        if let Some(blocks) = table.row_blocks()? {
            let into = blocks::Gathered {
                tally: &mut tally,
                identities,
                starts: &mut starts,
                index: index_work.zip(index_take),
            };
            self.read_blocks(blocks, &builders, &wanted, into)?;
            return Ok(self.first_read_done(builders, tally, identities, starts));
        }
        let mut row = 0u64;
        // Records handed back once taken, read into again.
        let spare = RefCell::new(Spare::default());
        pool::ordered_map(
            pool::workers(),
            pool::CHUNK_ROWS,
            || {
                let start = table.next_row_start();
                let spare = spare.borrow_mut().take();
                // Indexing for links reads whole rows.
                let next = match index_work {
                    Some(_) => table.next_record_reusing(spare)?,
                    None => table.next_record_with(&wanted, spare)?,
                };
                if let (Some(at), Some(start), Some(record)) = (&mut starts, start, &next) {
                    at.push(start, record.line);
                }
                row += 1;
                Ok::<_, ApplyError>(next.map(|record| (row, record)))
            },
            |(row, record)| {
                let drafted = self.draft(&builders, row, &record);
                let entry = index_work.map(|read| read.entry(&record));
                (drafted, record, entry)
            },
            |(drafted, record, entry)| {
                if let (Some(entry), Some(read), Some(taken)) =
                    (entry, index_work, index_take.as_deref_mut())
                {
                    read.take(taken, &record, entry);
                }
                spare.borrow_mut().give(record);
                tally.take(identities, drafted);
                Ok(())
            },
        )?;
        Ok(self.first_read_done(builders, tally, identities, starts))
    }

    /// What the first read hands the next steps once every row is taken.
    fn first_read_done(
        &self,
        builders: Vec<RecordBuilder>,
        tally: FirstReadTally,
        identities: &Identities,
        starts: Option<RowStarts>,
    ) -> FirstRead {
        drop(builders);
        if self.groups.iter().all(|g| g.exact.is_none()) {
            return (tally.records, None, None);
        }
        let candidates = self.candidates(&tally, identities);
        (tally.records, Some(candidates), starts)
    }

    /// The first read's record builders: those of groups with exact keys read only what the
    /// keys need, since the read keeps only identities and exact keys of their records.
    fn exact_builders(&self) -> Result<Vec<RecordBuilder>, ApplyError> {
        Ok(self
            .builders()?
            .into_iter()
            .zip(&self.groups)
            .map(|(b, g)| match g.exact {
                Some(_) => b.for_exact_keys(&g.keys),
                None => b,
            })
            .collect())
    }

    /// A row's record as the first read drafts it (on a worker thread), with its group and the
    /// hashes of its exact keys; None when no group takes the row.
    fn draft(
        &self,
        builders: &[RecordBuilder],
        row: u64,
        record: &Record,
    ) -> Option<(usize, Drafted)> {
        let g = self.group_of(record)?;
        let mut r = builders[g].draft(row, |i| record.fields.get(i));
        let drafted = match &self.groups[g].exact {
            Some(keys) => {
                let mut hashes = KeyHashes::new();
                keys.hashes(&r, &mut hashes);
                Drafted::Keyed {
                    row: r.row,
                    identity: std::mem::take(&mut r.identity),
                    hashes,
                }
            }
            None => Drafted::Whole(Box::new(r)),
        };
        Some((g, drafted))
    }

    /// The rows worth reading again: those sharing an exact key with another row of their
    /// group, or named by a decision.
    fn candidates(&self, tally: &FirstReadTally, identities: &Identities) -> HashMap<u64, usize> {
        let mut candidates: HashMap<u64, usize> = HashMap::new();
        for (g, rows) in tally.indexed.iter().enumerate() {
            for (i, &row) in rows.iter().enumerate() {
                let identity = identities.get(row as usize - 1);
                if tally.index[g].shared(i) || self.groups[g].decided.contains(identity) {
                    candidates.insert(row, g);
                }
            }
        }
        candidates
    }

    /// The second read: the candidates' records (identities as the first read handed them out)
    /// and their source rows. Where rows can be read again from where they start, the
    /// candidates alone are read; else the file is read again up to the last candidate.
    fn second_read(
        &self,
        candidates: &HashMap<u64, usize>,
        records: &mut [Vec<DedupeRecord>],
        identities: &Identities,
        starts: Option<RowStarts>,
    ) -> Result<HashMap<u64, Record>, ApplyError> {
        for (g, group) in records.iter_mut().enumerate() {
            group.reserve_exact(candidates.values().filter(|&&c| c == g).count());
        }
        let mut kept = HashMap::new();
        let mut fresh = self.builders()?;
        let mut keep = |row: u64, g: usize, record: Record| {
            let mut r = fresh[g].build(row, |i| record.fields.get(i));
            r.identity = identities.get(row as usize - 1).to_string();
            records[g].push(r);
            kept.insert(row, record);
        };
        if let Some(mut starts) = starts {
            let mut wanted: Vec<(u64, usize)> = candidates.iter().map(|(&r, &g)| (r, g)).collect();
            wanted.sort_unstable();
            for (row, g) in wanted {
                if let Some(record) = starts.read(row as usize - 1)? {
                    keep(row, g, record);
                }
            }
            return Ok(kept);
        }
        let mut table = crate::source::Table::open_ref(self.source)?;
        let mut row = 0u64;
        // The rows after the last candidate have nothing to give.
        let last = candidates.keys().max().copied().unwrap_or(0);
        while row < last {
            row += 1;
            let Some(&g) = candidates.get(&row) else {
                if table.skip_record()? {
                    continue;
                }
                break;
            };
            let Some(record) = table.next_record()? else {
                break;
            };
            keep(row, g, record);
        }
        Ok(kept)
    }

    /// One group's clusters and merges, added to `out`.
    fn plan_merges(
        &self,
        group: &Group,
        records: &[DedupeRecord],
        out: &mut FileDuplicates,
    ) -> Result<(), ApplyError> {
        // Decisions name their records; clusters only matter to auto-merge, and only those
        // whose links rest on its keys, so the search looks for nothing else.
        let clusters = if group.settings.auto_merge {
            let options = DedupeOptions {
                only: group.keys.clone(),
                ..DedupeOptions::default()
            };
            dedupe::find_clusters(group.entity, records, &options)
                .map_err(|e| dedupe_err(self.plan, e))?
                .clusters
        } else {
            Vec::new()
        };
        let merge = dedupe::plan_merges(&clusters, records, group.settings)
            .map_err(|e| dedupe_err(self.plan, e))?;
        name_merges(group.entity, &merge, records, out);
        out.plan.absorbed.extend(merge.absorbed);
        out.plan.dropped.extend(merge.dropped);
        out.plan.merged.extend(merge.merged);
        out.plan.warnings.extend(merge.warnings);
        Ok(())
    }

    /// The source rows of the absorbed records, by survivor, in row order: from the rows the
    /// second read kept when every absorbed row is among them, else from a third read.
    fn keep_absorbed_rows(
        &self,
        records: &[Vec<DedupeRecord>],
        mut kept: HashMap<u64, Record>,
        out: &mut FileDuplicates,
    ) -> Result<(), ApplyError> {
        let mut wanted: HashMap<u64, (&str, &str)> = HashMap::new();
        for r in records.iter().flatten() {
            if let Some(survivor) = out.plan.absorbed.get(&r.identity) {
                wanted.insert(r.row, (r.identity.as_str(), survivor.as_str()));
            }
        }
        let mut keep = |row: u64, record: Record| {
            if let Some((identity, survivor)) = wanted.get(&row) {
                out.absorbed_rows
                    .entry(survivor.to_string())
                    .or_default()
                    .push((identity.to_string(), record));
            }
        };
        if self.groups.iter().all(|g| g.exact.is_some()) {
            // Every absorbed row is a candidate the second read kept.
            let mut rows: Vec<u64> = kept.keys().copied().collect();
            rows.sort_unstable();
            for row in rows {
                let record = kept.remove(&row).expect("a kept row");
                keep(row, record);
            }
        } else {
            // A third read keeps just the absorbed rows: a few among millions.
            let mut table = crate::source::Table::open_ref(self.source)?;
            let mut row = 0u64;
            while let Some(record) = table.next_record()? {
                row += 1;
                keep(row, record);
            }
        }
        Ok(())
    }
}

/// A dedupe failure of the file the plan reads.
fn dedupe_err(plan: &FilePlan, error: dedupe::DedupeError) -> ApplyError {
    ApplyError::Duplicates {
        file: plan.file.clone(),
        error,
    }
}

/// The names of one entity's merges: a rename where an absorbed record's name differs from
/// its survivor's (links by name follow the survivor), and each merge for the report, by
/// survivor identity.
fn name_merges(
    entity: Entity,
    merge: &MergePlan,
    records: &[DedupeRecord],
    out: &mut FileDuplicates,
) {
    let names: HashMap<&str, String> = records
        .iter()
        .map(|r| (r.identity.as_str(), display_name(r)))
        .collect();
    for (absorbed, survivor) in &merge.absorbed {
        if let (Some(a), Some(s)) = (names.get(absorbed.as_str()), names.get(survivor.as_str()))
            && crate::transform::links::name_key(a) != crate::transform::links::name_key(s)
        {
            out.renames.push((entity, a.clone(), s.clone()));
        }
    }
    let mut merged: Vec<_> = merge.merged.values().collect();
    merged.sort_by(|a, b| a.survivor.cmp(&b.survivor));
    for m in merged {
        let survivor = names.get(m.survivor.as_str()).cloned().unwrap_or_default();
        let absorbed = m
            .members
            .iter()
            .skip(1)
            .filter_map(|id| names.get(id.as_str()).cloned())
            .collect();
        out.merges.push((entity, survivor, absorbed));
    }
}

#[cfg(test)]
#[path = "duplicates_tests.rs"]
mod tests;

#[path = "duplicates_blocks.rs"]
mod blocks;
