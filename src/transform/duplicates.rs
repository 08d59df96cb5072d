//! The profile's duplicate handling, applied to an export: for each persons or organizations
//! file whose entity has `dedupe:` settings (decisions, or `auto_merge` on some keys), find the
//! clusters, plan the merges, and tell the export which rows are absorbed or dropped, what a
//! survivor takes from the records it absorbed, and which names links must follow.

use std::collections::{HashMap, HashSet};

use crate::dedupe::exact::{ExactKeys, KeyIndex};
use crate::dedupe::{self, DedupeOptions, DedupeRecord, MatchKey, MergePlan, RecordBuilder};
use crate::entity::{Entity, Target};
use crate::profile::Profile;
use crate::source::{Record, SourceRef};

use super::engine::ApplyError;
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
/// None when the profile asks for no duplicate handling of the file's entities.
pub fn find(
    source: &SourceRef,
    plan: &FilePlan,
    profile: &Profile,
) -> Result<Option<FileDuplicates>, ApplyError> {
    let mut groups: Vec<(Entity, &[Rule], bool)> = vec![(plan.entity, &plan.rules, false)];
    if let Some((_, other)) = plan.split {
        groups.push((other, &plan.split_rules, true));
    }
    groups.retain(|(e, _, _)| {
        matches!(e, Entity::Person | Entity::Organization | Entity::Lead)
            && profile
                .dedupe
                .get(e)
                .is_some_and(|s| s.auto_merge || !s.decisions.is_empty())
    });
    if groups.is_empty() {
        return Ok(None);
    }
    let dedupe_err = |error: dedupe::DedupeError| ApplyError::Duplicates {
        file: plan.file.clone(),
        error,
    };
    let new_builders = || -> Result<Vec<RecordBuilder>, ApplyError> {
        groups
            .iter()
            .map(|(entity, rules, _)| {
                RecordBuilder::new(*entity, &targets(rules, *entity), &plan.headers)
                    .map_err(dedupe_err)
            })
            .collect()
    };
    // Per group: the exact form of its auto-merge keys, when they have one. Then only records
    // sharing such a key with another (or named by a decision) are kept and compared; the rest
    // cannot be merged, and holding a million of them would cost a gigabyte.
    let mut keys: Vec<Vec<MatchKey>> = Vec::new();
    let mut exact: Vec<Option<ExactKeys>> = Vec::new();
    let mut decided: Vec<HashSet<&str>> = Vec::new();
    for (entity, _, _) in &groups {
        let settings = &profile.dedupe[entity];
        let parsed = settings
            .keys
            .iter()
            .map(|k| k.parse())
            .collect::<Result<Vec<MatchKey>, _>>()
            .map_err(dedupe_err)?;
        exact.push(if settings.auto_merge {
            ExactKeys::new(*entity, &parsed)
        } else {
            // Without auto-merge only the records decisions name matter.
            Some(ExactKeys::none(*entity))
        });
        decided.push(
            settings
                .decisions
                .iter()
                .flat_map(|d| d.records.iter().map(String::as_str))
                .collect(),
        );
        keys.push(parsed);
    }
    // The first read keeps only identities and exact keys, so its records need no more.
    let builders: Vec<RecordBuilder> = new_builders()?
        .into_iter()
        .zip(keys.iter().zip(&exact))
        .map(|(b, (k, e))| match e {
            Some(_) => b.for_exact_keys(k),
            None => b,
        })
        .collect();
    let mut index: Vec<KeyIndex> = groups.iter().map(|_| KeyIndex::default()).collect();
    // Per group, the rows whose keys went into its index, in order.
    let mut indexed: Vec<Vec<u64>> = vec![Vec::new(); groups.len()];
    let mut records: Vec<Vec<DedupeRecord>> = vec![Vec::new(); groups.len()];
    let mut out = FileDuplicates::default();
    let group_of = |record: &Record| {
        let split_row = plan
            .split
            .is_some_and(|(c, _)| plan.is_split_value(record.fields.get(c).unwrap_or("")));
        groups.iter().position(|(_, _, split)| *split == split_row)
    };
    // Records are drafted and their keys hashed on worker threads; identities are handed out
    // and keys counted here, in row order.
    let mut unique: Vec<dedupe::Identities> = groups.iter().map(|_| Default::default()).collect();
    let mut table = crate::source::Table::open_ref(source)?;
    let mut row = 0u64;
    pool::ordered_map(
        pool::workers(),
        pool::CHUNK_ROWS,
        || {
            let next = table.next_record()?;
            row += 1;
            Ok::<_, ApplyError>(next.map(|record| (row, record)))
        },
        |(row, record)| {
            let g = group_of(&record)?;
            let r = builders[g].draft(row, |i| record.fields.get(i));
            let hashes = exact[g].as_ref().map(|keys| {
                let mut hashes = Vec::new();
                keys.hashes(&r, &mut hashes);
                hashes
            });
            Some((g, r, hashes))
        },
        |drafted| {
            let Some((g, mut r, hashes)) = drafted else {
                out.identities.push("");
                return Ok(());
            };
            r.identity = unique[g].unique(std::mem::take(&mut r.identity));
            out.identities.push(&r.identity);
            match hashes {
                Some(hashes) => {
                    index[g].add_hashes(&hashes);
                    indexed[g].push(r.row);
                }
                None => records[g].push(r),
            }
            Ok(())
        },
    )?;
    drop(builders);
    // Source rows kept by the second read (candidates), for the absorbed ones' values.
    let mut kept: HashMap<u64, Record> = HashMap::new();
    if exact.iter().any(Option::is_some) {
        let mut candidates: HashMap<u64, usize> = HashMap::new();
        for (g, rows) in indexed.iter().enumerate() {
            for (i, &row) in rows.iter().enumerate() {
                let identity = out.identities.get(row as usize - 1);
                if index[g].shared(i) || decided[g].contains(identity) {
                    candidates.insert(row, g);
                }
            }
        }
        drop(index);
        drop(indexed);
        for (g, group) in records.iter_mut().enumerate() {
            group.reserve_exact(candidates.values().filter(|&&c| c == g).count());
        }
        // The candidates, read again; identities as the first read handed them out.
        let mut fresh = new_builders()?;
        let mut table = crate::source::Table::open_ref(source)?;
        let mut row = 0u64;
        loop {
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
            let mut r = fresh[g].build(row, |i| record.fields.get(i));
            r.identity = out.identities.get(row as usize - 1).to_string();
            records[g].push(r);
            kept.insert(row, record);
        }
    }
    for (g, (entity, _, _)) in groups.iter().enumerate() {
        let settings = &profile.dedupe[entity];
        // Decisions name their records; clusters only matter to auto-merge, and only those
        // whose links rest on its keys, so the search looks for nothing else.
        let clusters = if settings.auto_merge {
            let options = DedupeOptions {
                only: keys[g].clone(),
                ..DedupeOptions::default()
            };
            dedupe::find_clusters(*entity, &records[g], &options)
                .map_err(dedupe_err)?
                .clusters
        } else {
            Vec::new()
        };
        let merge = dedupe::plan_merges(&clusters, &records[g], settings).map_err(dedupe_err)?;
        let names: HashMap<&str, String> = records[g]
            .iter()
            .map(|r| (r.identity.as_str(), display_name(r)))
            .collect();
        for (absorbed, survivor) in &merge.absorbed {
            if let (Some(a), Some(s)) = (names.get(absorbed.as_str()), names.get(survivor.as_str()))
                && crate::transform::links::name_key(a) != crate::transform::links::name_key(s)
            {
                out.renames.push((*entity, a.clone(), s.clone()));
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
            out.merges.push((*entity, survivor, absorbed));
        }
        out.plan.absorbed.extend(merge.absorbed);
        out.plan.dropped.extend(merge.dropped);
        out.plan.merged.extend(merge.merged);
        out.plan.warnings.extend(merge.warnings);
    }
    out.renames.sort();
    if !out.plan.absorbed.is_empty() {
        let mut wanted: HashMap<u64, (&str, &str)> = HashMap::new();
        for group in &records {
            for r in group {
                if let Some(survivor) = out.plan.absorbed.get(&r.identity) {
                    wanted.insert(r.row, (r.identity.as_str(), survivor.as_str()));
                }
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
        if exact.iter().all(Option::is_some) {
            // Every absorbed row is a candidate the second read kept.
            let mut rows: Vec<u64> = kept.keys().copied().collect();
            rows.sort_unstable();
            for row in rows {
                let record = kept.remove(&row).expect("a kept row");
                keep(row, record);
            }
        } else {
            // A third read keeps just the absorbed rows: a few among millions.
            let mut table = crate::source::Table::open_ref(source)?;
            let mut row = 0u64;
            while let Some(record) = table.next_record()? {
                row += 1;
                keep(row, record);
            }
        }
    }
    Ok(Some(out))
}
