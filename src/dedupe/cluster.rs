//! From accepted pairs to clusters: union-find over the links, strongest first (Kruskal), so a
//! cluster's score is the weakest link that still holds it together, and the links kept are the
//! ones a user needs to see why.

use serde::Serialize;

use crate::entity::Entity;

use super::DedupeRecord;
use super::block::Edge;
use super::compare::{compare, match_keys, reasons};
use super::fields::FieldStats;
use super::merge::MatchKey;
use super::prepare::Prepared;
use super::record::Slot;

/// Disjoint sets over `0..n` with path halving and union by size.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// The representative of `x`'s set.
    pub fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grand = self.parent[self.parent[x] as usize];
            self.parent[x] = grand;
            x = grand as usize;
        }
        x
    }

    /// How many elements `x`'s set holds.
    pub fn size_of(&mut self, x: usize) -> usize {
        let root = self.find(x);
        self.size[root] as usize
    }

    /// Joins the sets of `a` and `b`; false when they were one already.
    pub fn union(&mut self, a: usize, b: usize) -> bool {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        if self.size[ra] < self.size[rb] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb] = ra as u32;
        self.size[ra] += self.size[rb];
        true
    }
}

/// Why two records of a cluster are linked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// One record, an index into the records given to [`super::find_clusters`].
    pub a: usize,
    /// The other record.
    pub b: usize,
    /// The pair's score (0..1).
    pub score: f64,
    /// What the two agree on ("same e-mail", "name 0.94 + same company").
    pub reasons: Vec<String>,
    /// The profile keys (`email`, `name+org_id` …) this link satisfies, for auto-merge.
    pub keys: Vec<MatchKey>,
}

/// One field of a cluster's records side by side, ready for the review screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedField {
    /// The field's label ("Name", "E-mails", "Birthday", a custom field's name).
    pub field: String,
    /// The key a merge decision names to keep one record's value of this field (`name`,
    /// `org_id`, `city`, `job_title`, `custom:Zip code`); None for e-mails, phones and labels,
    /// which a merge unites.
    pub key: Option<String>,
    /// One value per member, in member order ("" when the record has none).
    pub values: Vec<String>,
    /// True when the members' non-empty values are not all the same.
    pub differs: bool,
}

/// A group of records that are probably one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// Indices into the records, in row order.
    pub members: Vec<usize>,
    /// The members' 1-based data rows, ascending.
    pub rows: Vec<u64>,
    /// The weakest link that holds the cluster together (0..1).
    pub score: f64,
    /// The distinct reasons of its links, the most frequent first.
    pub reasons: Vec<String>,
    /// A spanning set of links (members − 1 of them), strongest first.
    pub links: Vec<Link>,
    /// The members' key fields side by side.
    pub fields: Vec<ComparedField>,
}

/// The most reasons a cluster lists.
const MAX_REASONS: usize = 5;

/// Groups records by accepted links, strongest first. A link that would make a cluster larger
/// than `max_size` is left out: one record copied that often is rarer than a chain of
/// look-alikes (namesakes in one city, colleagues on one switchboard) growing link by link.
pub(crate) fn build(
    entity: Entity,
    records: &[DedupeRecord],
    prepared: &[Prepared],
    stats: &FieldStats,
    mut edges: Vec<Edge>,
    max_size: usize,
) -> Vec<Cluster> {
    edges.sort_unstable_by(|x, y| {
        y.log_odds
            .total_cmp(&x.log_odds)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let mut sets = UnionFind::new(records.len());
    let mut spanning: Vec<Edge> = Vec::new();
    for edge in edges {
        let (a, b) = (edge.a as usize, edge.b as usize);
        if sets.find(a) == sets.find(b) || sets.size_of(a) + sets.size_of(b) > max_size {
            continue;
        }
        sets.union(a, b);
        spanning.push(edge);
    }
    // Group the spanning links by their cluster.
    let mut by_root: rustc_hash::FxHashMap<usize, Vec<Edge>> = rustc_hash::FxHashMap::default();
    for edge in spanning {
        by_root
            .entry(sets.find(edge.a as usize))
            .or_default()
            .push(edge);
    }
    let mut clusters: Vec<Cluster> = by_root
        .into_values()
        .map(|edges| make_cluster(entity, records, prepared, stats, edges))
        .collect();
    clusters.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.rows.cmp(&y.rows)));
    clusters
}

fn make_cluster(
    entity: Entity,
    records: &[DedupeRecord],
    prepared: &[Prepared],
    stats: &FieldStats,
    edges: Vec<Edge>,
) -> Cluster {
    let mut members: Vec<usize> = edges
        .iter()
        .flat_map(|e| [e.a as usize, e.b as usize])
        .collect();
    members.sort_unstable_by_key(|&m| (records[m].row, m));
    members.dedup();
    let links: Vec<Link> = edges
        .iter()
        .map(|edge| {
            let (a, b) = (edge.a as usize, edge.b as usize);
            let evidence = compare(entity, &prepared[a], &prepared[b], stats);
            Link {
                a,
                b,
                score: round(evidence.score()),
                reasons: reasons(&evidence, stats),
                keys: match_keys(&evidence),
            }
        })
        .collect();
    let score = links.iter().map(|l| l.score).fold(1.0, f64::min);
    let mut counted: Vec<(String, usize)> = Vec::new();
    for reason in links.iter().flat_map(|l| &l.reasons) {
        match counted.iter_mut().find(|(r, _)| r == reason) {
            Some((_, n)) => *n += 1,
            None => counted.push((reason.clone(), 1)),
        }
    }
    counted.sort_by_key(|x| std::cmp::Reverse(x.1));
    let reasons = counted
        .into_iter()
        .take(MAX_REASONS)
        .map(|(r, _)| r)
        .collect();
    Cluster {
        rows: members.iter().map(|&m| records[m].row).collect(),
        fields: side_by_side(entity, records, &members),
        members,
        score,
        reasons,
        links,
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The members' key fields side by side, with differing ones marked.
pub fn side_by_side(
    entity: Entity,
    records: &[DedupeRecord],
    members: &[usize],
) -> Vec<ComparedField> {
    let mut rows = key_field_rows(entity, records, members);
    add_extra_rows(records, members, &mut rows);
    rows.into_iter()
        .filter(|(_, _, values)| values.iter().any(|v| !v.is_empty()))
        .map(|(field, key, values)| ComparedField {
            field,
            key,
            differs: differs(&values),
            values,
        })
        .collect()
}

/// One field of the members side by side: its label, its merge key, each member's value.
type FieldRow = (String, Option<String>, Vec<String>);

/// Each member's value of `f`, in the members' order.
fn member_values(
    records: &[DedupeRecord],
    members: &[usize],
    f: &dyn Fn(&DedupeRecord) -> String,
) -> Vec<String> {
    members.iter().map(|&m| f(&records[m])).collect()
}

/// The rows of the fields every record has (an organization's own name aside, a person's
/// company too), empty ones included.
fn key_field_rows(entity: Entity, records: &[DedupeRecord], members: &[usize]) -> Vec<FieldRow> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let column = |f: &dyn Fn(&DedupeRecord) -> String| member_values(records, members, f);
    let mut rows: Vec<FieldRow> = Vec::new();
    rows.push((
        "Name".into(),
        Slot::Name.merge_key(),
        column(&|r| r.name.clone()),
    ));
    if entity != Entity::Organization {
        rows.push((
            "Organization".into(),
            Slot::Organization.merge_key(),
            column(&|r| opt(&r.organization)),
        ));
    }
    rows.push((
        "E-mails".into(),
        Slot::Email.merge_key(),
        column(&|r| r.emails.join(", ")),
    ));
    rows.push((
        "Phones".into(),
        Slot::Phone.merge_key(),
        column(&|r| r.phones.join(", ")),
    ));
    rows.push((
        "Website".into(),
        Slot::Website.merge_key(),
        column(&|r| opt(&r.website)),
    ));
    rows.push((
        "City".into(),
        Slot::City.merge_key(),
        column(&|r| opt(&r.city)),
    ));
    rows.push((
        "Address".into(),
        Slot::Address.merge_key(),
        column(&|r| opt(&r.address)),
    ));
    rows.push((
        "Labels".into(),
        Slot::Label.merge_key(),
        column(&|r| r.labels.join(", ")),
    ));
    rows
}

/// A row for each extra field any member has, in the order the members first name them.
fn add_extra_rows(records: &[DedupeRecord], members: &[usize], rows: &mut Vec<FieldRow>) {
    let mut extra_names: Vec<&str> = Vec::new();
    for &m in members {
        for (field, _) in &records[m].extras {
            if !extra_names.contains(&&**field) {
                extra_names.push(field);
            }
        }
    }
    for name in extra_names {
        let values = member_values(records, members, &|r| {
            r.extras
                .iter()
                .find(|(f, _)| &**f == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        });
        let key = Slot::Extra(std::sync::Arc::from(name)).merge_key();
        rows.push((field_label(name), key, values));
    }
}

/// Whether two members' filled values differ; an empty value differs from none.
#[inline]
fn differs(values: &[String]) -> bool {
    let mut filled = values.iter().filter(|v| !v.is_empty());
    let first = filled.next();
    filled.any(|v| Some(v) != first)
}

/// A target id as a row label: a custom field's name (`Zip code`), a field's key in words
/// (`Job title`).
fn field_label(target: &str) -> String {
    // An address's part by the part's name (`Postal code`), a second address's with its own.
    if let Ok(parsed) = target.parse::<crate::entity::Target>()
        && let Some(part) = parsed.address_part()
    {
        return match parsed {
            crate::entity::Target::Custom { name, .. } => format!("{name}: {}", part.short()),
            _ => part.short().to_string(),
        };
    }
    if let Some((_, name)) = target.split_once("custom:") {
        return name.to_string();
    }
    let key = target.split_once('.').map_or(target, |(_, k)| k);
    let key = key.split(':').next().unwrap_or(key).replace('_', " ");
    let mut chars = key.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
#[path = "cluster_tests.rs"]
mod tests;
