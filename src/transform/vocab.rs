//! The profile's value maps, ready for lookups: exact first, then ignoring case and spacing.

use rustc_hash::FxHashMap as HashMap;

use crate::entity::Target;
use crate::profile::Profile;
use crate::schema::Schema;

/// One target's map, exact and folded.
#[derive(Debug)]
struct Map {
    target: Target,
    exact: HashMap<String, String>,
    folded: HashMap<String, String>,
}

/// Value maps by target, and the account's default pipeline for unmapped stages.
#[derive(Debug, Default)]
pub struct ValueMaps {
    // A profile holds a handful of maps: a short list beats hashing the target on every cell.
    maps: Vec<Map>,
    /// Stages without a `Pipeline/` prefix go to this pipeline.
    pub default_pipeline: String,
    /// The users file the owner maps were read from: an owner value it lacks is warned of.
    pub owners_from: Option<String>,
    /// Record id → tag names from a tags file and its link table, for the records' labels.
    pub labels: super::tags::RecordLabels,
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The same field, whatever the labels (`person.email:work` is `person.email`).
fn same_field(a: &Target, b: &Target) -> bool {
    match (a, b) {
        (
            Target::Field {
                entity: e1,
                key: k1,
                ..
            },
            Target::Field {
                entity: e2,
                key: k2,
                ..
            },
        ) => e1 == e2 && k1 == k2,
        _ => a == b,
    }
}

impl ValueMaps {
    /// Builds the lookups from a profile's `values:` section.
    pub fn new(profile: &Profile, schema: &Schema) -> ValueMaps {
        let maps = profile
            .values
            .iter()
            .map(|(target, map)| Map {
                target: target.without_label(),
                exact: map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                folded: map.iter().map(|(k, v)| (fold(k), v.clone())).collect(),
            })
            .collect();
        ValueMaps {
            maps,
            default_pipeline: schema
                .account
                .pipelines
                .first()
                .map_or_else(|| "Pipeline".to_string(), |p| p.name.clone()),
            owners_from: None,
            labels: super::tags::RecordLabels::default(),
        }
    }

    /// The mapped value of `raw` for a target, if the profile maps it.
    pub fn lookup(&self, target: &Target, raw: &str) -> Option<String> {
        let map = self.maps.iter().find(|m| same_field(&m.target, target))?;
        if let Some(v) = map.exact.get(raw.trim()) {
            return Some(v.clone());
        }
        map.folded.get(&fold(raw)).cloned()
    }
}
