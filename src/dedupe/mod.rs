//! Duplicate detection: blocking keys, similarity, clusters and merge decisions, for persons,
//! organisations and leads. Pure logic: records in, clusters and merge plans out, no IO.
//!
//! The flow:
//! 1. [`RecordBuilder`] turns source rows (and where their columns are mapped) into
//!    [`DedupeRecord`]s, each with a stable identity (the source id, else a content hash).
//! 2. [`find_clusters`] normalises every record's keys (e-mail, phone digits, website domain,
//!    OpenRefine-style name fingerprints with legal forms dropped), brings likely pairs
//!    together by a multi-pass sorted neighbourhood (never all pairs), scores each pair from
//!    the agreement of its fields (name similarity by Jaro-Winkler and edit distance, as
//!    written and with first and last name swapped; company, phone, e-mail, city and any other
//!    mapped field), and joins the pairs at or above the threshold into [`Cluster`]s by
//!    union-find, strongest links first.
//! 3. [`plan_merges`] applies the profile's decisions (merge with a survivor, keep separate,
//!    drop) and auto-merge to the clusters: the [`MergePlan`] the export follows.
//!
//! A pair's score is the logistic of summed log-odds weights (Fellegi–Sunter style): a shared
//! e-mail is strong evidence, a shared phone good evidence, a close name corroborated by the
//! same company good evidence; a namesake at another company, or with different e-mails, is
//! evidence against. A cluster's score is its weakest spanning link.

mod block;
mod cluster;
mod compare;
pub mod exact;
mod extras;
mod fields;
pub mod keys;
pub mod lexicon;
mod meaning;
mod merge;
mod names;
mod nicknames;
mod prepare;
mod record;
mod settings;
mod similarity;
#[cfg(test)]
mod tests;
mod weights;

use crate::entity::Entity;

pub use cluster::{Cluster, ComparedField, Link, UnionFind, side_by_side};
pub use compare::{Agreement, Evidence};
pub use merge::{MatchKey, MergePlan, MergedRecord, plan_merges};
pub use record::{DedupeRecord, Identities, MergeField, RecordBuilder, merge_field};
pub use settings::{Decision, DedupeSettings, SettingsError};

/// The score (0..1) at or above which two records are taken for one. Calibrated on generated
/// CRM data with known duplicates (tests/it/dedupe_quality.rs) for precision ≥ 0.98 at
/// recall ≥ 0.95; a pair needs more than a matching name to reach it.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// How many following records each record is compared with in each sorted pass.
pub const DEFAULT_WINDOW: usize = 10;

/// The most records one cluster holds by default.
pub const DEFAULT_MAX_CLUSTER: usize = 50;

/// Something duplicate detection cannot do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DedupeError {
    #[error("duplicates are found among persons, organizations and leads, not {0}s")]
    UnsupportedEntity(Entity),
    #[error(
        "dedupe decision {}: unknown action {action:?} (expected merge, keep or drop)",
        index + 1
    )]
    UnknownAction { index: usize, action: String },
    #[error("dedupe key {0:?} is not known (expected email, phone, domain, name+org_id or name)")]
    UnknownKey(String),
}

/// The entities duplicate detection handles.
pub const ENTITIES: [Entity; 3] = [Entity::Person, Entity::Organization, Entity::Lead];

pub(crate) fn check_entity(entity: Entity) -> Result<(), DedupeError> {
    if ENTITIES.contains(&entity) {
        Ok(())
    } else {
        Err(DedupeError::UnsupportedEntity(entity))
    }
}

/// How [`find_clusters`] works.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupeOptions {
    /// Pairs scoring at least this (0..1) are linked.
    pub threshold: f64,
    /// Records compared after each record in each sorted pass.
    pub window: usize,
    /// Threads to use (at least 1).
    pub threads: usize,
    /// The most records a cluster may hold: links that would grow one further are left out,
    /// strongest links first, so a chain of look-alikes cannot swallow a file.
    pub max_cluster: usize,
    /// Only look for links that rest on these kinds of evidence (empty: every kind). An export
    /// that auto-merges on e-mail alone needs no fuzzy name comparisons.
    pub only: Vec<MatchKey>,
}

impl Default for DedupeOptions {
    fn default() -> Self {
        DedupeOptions {
            threshold: DEFAULT_THRESHOLD,
            window: DEFAULT_WINDOW,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            max_cluster: DEFAULT_MAX_CLUSTER,
            only: Vec::new(),
        }
    }
}

/// What [`find_clusters`] found, and what it cost.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clusters {
    /// Clusters of two or more records, highest score first (ties by first row).
    pub clusters: Vec<Cluster>,
    /// Pairs compared.
    pub compared: u64,
    /// Pairs at or above the threshold (before clustering).
    pub linked: usize,
}

/// Finds clusters of duplicates among `records`, all of one `entity`.
pub fn find_clusters(
    entity: Entity,
    records: &[DedupeRecord],
    options: &DedupeOptions,
) -> Result<Clusters, DedupeError> {
    check_entity(entity)?;
    let threads = options.threads.max(1);
    let (prepared, stats) = prepare::prepare_all(entity, records, threads);
    let accept = compare::log_odds_of(options.threshold);
    let (edges, compared) = block::candidate_links(
        entity,
        &prepared,
        &stats,
        options.window.max(1),
        accept,
        threads,
        &options.only,
    );
    let linked = edges.len();
    let clusters = cluster::build(
        entity,
        records,
        &prepared,
        &stats,
        edges,
        options.max_cluster.max(2),
    );
    Ok(Clusters {
        clusters,
        compared,
        linked,
    })
}

/// Scores one pair of records of `entity` as the engine would (for tests and for explaining a
/// pair in the review); the score statistics come from these two records alone.
pub fn score_pair(
    entity: Entity,
    a: &DedupeRecord,
    b: &DedupeRecord,
) -> Result<(f64, Vec<String>), DedupeError> {
    check_entity(entity)?;
    let pair = [a.clone(), b.clone()];
    let (prepared, mut stats) = prepare::prepare_all(entity, &pair, 1);
    // Two records say nothing about how common a value is: assume a rare one.
    stats.u_org = 0.01;
    stats.u_city = 0.01;
    stats.u_address = 0.001;
    stats.u_extras.iter_mut().for_each(|u| *u = 0.01);
    let evidence = compare::compare(entity, &prepared[0], &prepared[1], &stats);
    Ok((evidence.score(), compare::reasons(&evidence, &stats)))
}
