//! The profile's duplicate handling, applied to an export: for each persons or organizations
//! file whose entity has `dedupe:` settings (decisions, or `auto_merge` on some keys), find the
//! clusters, plan the merges, and tell the export which rows are absorbed or dropped, what a
//! survivor takes from the records it absorbed, and which names links must follow.

use std::collections::HashMap;

use crate::dedupe::{self, DedupeOptions, DedupeRecord, MergePlan, RecordBuilder};
use crate::entity::{Entity, Target};
use crate::profile::Profile;
use crate::source::SourceRef;

use super::engine::ApplyError;
use super::plan::{FilePlan, Rule};
use super::row::is_true;

/// What the export does with one file's duplicates.
#[derive(Debug, Default)]
pub struct FileDuplicates {
    /// Per data row (0-based): the record's identity, empty where no dedupe applies.
    pub identities: Vec<String>,
    pub plan: MergePlan,
    /// (entity, an absorbed record's name, its survivor's name), where the names differ: links
    /// by name follow the survivor.
    pub renames: Vec<(Entity, String, String)>,
    /// (entity, survivor's name, absorbed names), for the report.
    pub merges: Vec<(Entity, String, Vec<String>)>,
}

fn display_name(r: &DedupeRecord) -> String {
    if !r.name.trim().is_empty() {
        r.name.trim().to_string()
    } else {
        crate::transform::values::join_name(&r.first_name, &r.last_name)
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

/// Finds and plans the merges of one file, reading it through once. None when the profile asks
/// for no duplicate handling of the file's entities.
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
    let dedupe_err =
        |e: dedupe::DedupeError| ApplyError::Unmatched(format!("{}: duplicates: {e}", plan.file));
    let mut builders = Vec::new();
    for (entity, rules, _) in &groups {
        builders.push(
            RecordBuilder::new(*entity, &targets(rules, *entity), &plan.headers)
                .map_err(dedupe_err)?,
        );
    }
    let mut records: Vec<Vec<DedupeRecord>> = vec![Vec::new(); groups.len()];
    let mut out = FileDuplicates::default();
    let mut table = crate::source::Table::open_ref(source)?;
    let mut row = 0u64;
    while let Some(record) = table.next_record()? {
        row += 1;
        let split_row = plan
            .split
            .is_some_and(|(c, _)| is_true(record.fields.get(c).unwrap_or("")));
        let Some(g) = groups.iter().position(|(_, _, split)| *split == split_row) else {
            out.identities.push(String::new());
            continue;
        };
        let r = builders[g].build(row, |i| record.fields.get(i));
        out.identities.push(r.identity.clone());
        records[g].push(r);
    }
    for (g, (entity, _, _)) in groups.iter().enumerate() {
        let settings = &profile.dedupe[entity];
        let found = dedupe::find_clusters(*entity, &records[g], &DedupeOptions::default())
            .map_err(dedupe_err)?;
        let merge =
            dedupe::plan_merges(&found.clusters, &records[g], settings).map_err(dedupe_err)?;
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
    Ok(Some(out))
}
