//! Applying the user's decisions (and auto-merge) to the clusters found: which record survives,
//! which ones it absorbs, which are dropped, and the values a merged record ends up with.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use super::keys::{email_key, phone_key};
use super::settings::{Action, action};
use super::{Cluster, DedupeError, DedupeRecord, DedupeSettings};

/// A kind of evidence a profile's `dedupe.keys` may name: clusters all of whose links rest on
/// such evidence are merged without asking when `auto_merge` is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKey {
    /// `email`: the same e-mail address.
    Email,
    /// `phone`: the same phone number.
    Phone,
    /// `domain`: the same website or company e-mail domain.
    Domain,
    /// `name+org_id`: a close name at the same company.
    NameCompany,
    /// `name`: the same name (organisations: the same name once legal forms are dropped).
    Name,
}

impl FromStr for MatchKey {
    type Err = DedupeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_lowercase().as_str() {
            "email" | "e-mail" => MatchKey::Email,
            "phone" => MatchKey::Phone,
            "domain" | "website" => MatchKey::Domain,
            "name+org_id" | "name+organization" | "name+company" => MatchKey::NameCompany,
            "name" => MatchKey::Name,
            _ => return Err(DedupeError::UnknownKey(s.to_string())),
        })
    }
}

/// What the export does with duplicates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergePlan {
    /// Absorbed record identity → the identity of the record that survives it (always a
    /// final survivor, never itself absorbed). References to an absorbed record (a deal's
    /// person, a person's organisation) must point to its survivor.
    pub absorbed: HashMap<String, String>,
    /// Records left out of the export.
    pub dropped: HashSet<String>,
    /// Survivor identity → its merged values.
    pub merged: HashMap<String, MergedRecord>,
    /// Clusters (indices) that no decision covers and auto-merge did not take: still to review,
    /// written unmerged.
    pub undecided: Vec<usize>,
    /// Clusters (indices) merged by auto-merge.
    pub auto_merged: Vec<usize>,
    /// Decisions that could not be applied as written (records no longer in the file, a
    /// survivor that was dropped …), as sentences.
    pub warnings: Vec<String>,
}

/// A surviving record and what it took from the records it absorbed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergedRecord {
    /// The survivor's identity.
    pub survivor: String,
    /// The survivor first, then the absorbed records in row order: where a field the decision
    /// does not name takes its value when the survivor has none.
    pub members: Vec<String>,
    /// Every member's e-mails, the survivor's first, each address once.
    pub emails: Vec<String>,
    /// Every member's phones, the survivor's first, each number once.
    pub phones: Vec<String>,
    /// Every member's labels, each once.
    pub labels: Vec<String>,
    /// Field → the identity of the record whose value is kept, as the user chose.
    pub fields: BTreeMap<String, String>,
}

/// Applies `settings` (its decisions, keyed by record identity, then auto-merge) to the
/// `clusters` found among `records`.
///
/// Decisions apply in order: `drop` removes records; `merge` folds its records into its
/// survivor (or, if that is gone, its first record still present), following earlier merges;
/// `keep` marks records as not duplicates. A cluster with any record under a decision is left
/// to the decisions; any other is auto-merged when `auto_merge` is on and each of its links
/// rests on one of `keys` (any link when `keys` is empty), with the most complete record as
/// survivor; the rest are `undecided`.
pub fn plan_merges(
    clusters: &[Cluster],
    records: &[DedupeRecord],
    settings: &DedupeSettings,
) -> Result<MergePlan, DedupeError> {
    let keys: Vec<MatchKey> = settings
        .keys
        .iter()
        .map(|k| k.parse())
        .collect::<Result<_, _>>()?;
    let actions: Vec<Action> = settings
        .decisions
        .iter()
        .enumerate()
        .map(|(i, d)| action(i, d))
        .collect::<Result<_, _>>()?;
    let by_identity: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.identity.as_str(), i))
        .collect();
    let mut plan = MergePlan::default();
    let decided = drop_decided(settings, &actions, &by_identity, &mut plan);
    let choices = merge_decided(settings, &actions, &by_identity, &mut plan);
    auto_merge(clusters, records, settings, &keys, &decided, &mut plan);
    settle_chains(&mut plan.absorbed);
    merge_groups(records, &by_identity, choices, &mut plan);
    Ok(plan)
}

/// Drops the records `drop` decisions name; returns every record any decision names.
fn drop_decided<'s>(
    settings: &'s DedupeSettings,
    actions: &[Action],
    by_identity: &HashMap<&str, usize>,
    plan: &mut MergePlan,
) -> HashSet<&'s str> {
    let mut decided: HashSet<&str> = HashSet::new();
    for (d, &act) in settings.decisions.iter().zip(actions) {
        decided.extend(d.records.iter().map(String::as_str));
        if act == Action::Drop {
            for r in &d.records {
                if by_identity.contains_key(r.as_str()) {
                    plan.dropped.insert(r.clone());
                }
            }
        }
    }
    decided
}

/// Folds each `merge` decision's records still present into its survivor, following earlier
/// merges; returns the fields each final survivor takes from a chosen record.
fn merge_decided(
    settings: &DedupeSettings,
    actions: &[Action],
    by_identity: &HashMap<&str, usize>,
    plan: &mut MergePlan,
) -> HashMap<String, BTreeMap<String, String>> {
    let mut choices: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    for (index, (d, &act)) in settings.decisions.iter().zip(actions).enumerate() {
        if act != Action::Merge {
            continue;
        }
        let present: Vec<&String> = d
            .records
            .iter()
            .filter(|r| by_identity.contains_key(r.as_str()) && !plan.dropped.contains(*r))
            .collect();
        if present.len() < d.records.len() {
            plan.warnings.push(format!(
                "merge decision {}: {} of its {} records are not in this file (or dropped)",
                index + 1,
                d.records.len() - present.len(),
                d.records.len()
            ));
        }
        let wanted = d.survivor.as_ref().filter(|s| present.contains(s));
        let Some(survivor) = wanted.or(present.first().copied()) else {
            continue;
        };
        let root = resolve(&plan.absorbed, survivor);
        for r in &present {
            let other = resolve(&plan.absorbed, r);
            if other != root {
                plan.absorbed.insert(other, root.clone());
            }
        }
        let fields = choices.entry(root).or_default();
        for (field, source) in &d.fields {
            if present.contains(&source) {
                fields.insert(field.clone(), source.clone());
            }
        }
    }
    choices
}

/// Merges each cluster no decision touches into its most complete record when auto-merge is
/// on and every link rests on one of `keys`; lists the others as undecided.
fn auto_merge(
    clusters: &[Cluster],
    records: &[DedupeRecord],
    settings: &DedupeSettings,
    keys: &[MatchKey],
    decided: &HashSet<&str>,
    plan: &mut MergePlan,
) {
    for (i, cluster) in clusters.iter().enumerate() {
        let identities: Vec<&str> = cluster
            .members
            .iter()
            .map(|&m| records[m].identity.as_str())
            .collect();
        if identities.iter().any(|id| decided.contains(id)) {
            continue;
        }
        let by_keys = cluster
            .links
            .iter()
            .all(|l| keys.is_empty() || l.keys.iter().any(|k| keys.contains(k)));
        if !(settings.auto_merge && by_keys) {
            plan.undecided.push(i);
            continue;
        }
        let best = cluster
            .members
            .iter()
            .copied()
            .max_by_key(|&m| (completeness(&records[m]), std::cmp::Reverse(records[m].row)))
            .unwrap_or(cluster.members[0]);
        let survivor = records[best].identity.clone();
        for id in identities {
            if id != survivor {
                plan.absorbed.insert(id.to_string(), survivor.clone());
            }
        }
        plan.auto_merged.push(i);
    }
}

/// Chains (a → b, b → c) point straight at the final survivor.
fn settle_chains(absorbed: &mut HashMap<String, String>) {
    let ids: Vec<String> = absorbed.keys().cloned().collect();
    for id in ids {
        let root = resolve(absorbed, &id);
        absorbed.insert(id, root);
    }
}

/// Each survivor's merged record: its members in row order after it, with the fields the
/// decisions chose.
fn merge_groups(
    records: &[DedupeRecord],
    by_identity: &HashMap<&str, usize>,
    mut choices: HashMap<String, BTreeMap<String, String>>,
    plan: &mut MergePlan,
) {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (id, survivor) in &plan.absorbed {
        if let Some(&i) = by_identity.get(id.as_str()) {
            groups.entry(survivor.clone()).or_default().push(i);
        }
    }
    for (survivor, mut members) in groups {
        let Some(&s) = by_identity.get(survivor.as_str()) else {
            continue;
        };
        members.sort_by_key(|&m| records[m].row);
        members.insert(0, s);
        let fields = choices.remove(&survivor).unwrap_or_default();
        plan.merged
            .insert(survivor.clone(), merged(records, &members, fields));
    }
}

/// Follows `absorbed` from `id` to the record that is not absorbed.
fn resolve(absorbed: &HashMap<String, String>, id: &str) -> String {
    let mut current = id;
    let mut steps = 0;
    while let Some(next) = absorbed.get(current) {
        if next == current || steps > absorbed.len() {
            break;
        }
        current = next;
        steps += 1;
    }
    current.to_string()
}

/// How many of a record's fields are filled: the auto-merge survivor is the fullest.
fn completeness(r: &DedupeRecord) -> usize {
    [
        !r.first_name.is_empty(),
        !r.last_name.is_empty(),
        !r.name.is_empty(),
        r.organization.is_some(),
        r.website.is_some(),
        r.city.is_some(),
        r.address.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count()
        + r.emails.len()
        + r.phones.len()
        + r.labels.len()
        + r.extras.len()
}

/// The united values of `members` (survivor first).
fn merged(
    records: &[DedupeRecord],
    members: &[usize],
    fields: BTreeMap<String, String>,
) -> MergedRecord {
    fn unite(
        members: &[usize],
        records: &[DedupeRecord],
        values: impl Fn(&DedupeRecord) -> &[String],
        key: impl Fn(&str) -> String,
    ) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for &m in members {
            for v in values(&records[m]) {
                if seen.insert(key(v)) {
                    out.push(v.clone());
                }
            }
        }
        out
    }
    let lower = |v: &str| v.trim().to_lowercase();
    MergedRecord {
        survivor: records[members[0]].identity.clone(),
        members: members
            .iter()
            .map(|&m| records[m].identity.clone())
            .collect(),
        emails: unite(
            members,
            records,
            |r| &r.emails,
            |v| email_key(v).unwrap_or_else(|| lower(v)),
        ),
        phones: unite(
            members,
            records,
            |r| &r.phones,
            |v| phone_key(v).unwrap_or_else(|| lower(v)),
        ),
        labels: unite(members, records, |r| &r.labels, lower),
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_of_merges_points_each_record_at_its_final_survivor() {
        let mut absorbed: HashMap<String, String> = [("a", "b"), ("b", "c"), ("d", "c")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        settle_chains(&mut absorbed);
        let mut pairs: Vec<(&str, &str)> = absorbed
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        pairs.sort();
        assert_eq!(pairs, [("a", "c"), ("b", "c"), ("d", "c")]);
    }
}
