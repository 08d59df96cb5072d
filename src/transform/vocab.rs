//! The profile's value maps, ready for lookups: exact first, then ignoring case and spacing.

use std::collections::HashMap;

use crate::entity::Target;
use crate::profile::Profile;
use crate::schema::Schema;

/// Value maps by target, and the account's default pipeline for unmapped stages.
#[derive(Debug, Default)]
pub struct ValueMaps {
    exact: HashMap<Target, HashMap<String, String>>,
    folded: HashMap<Target, HashMap<String, String>>,
    /// Stages without a `Pipeline/` prefix go to this pipeline.
    pub default_pipeline: String,
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl ValueMaps {
    /// Builds the lookups from a profile's `values:` section.
    pub fn new(profile: &Profile, schema: &Schema) -> ValueMaps {
        let mut maps = ValueMaps {
            default_pipeline: schema
                .account
                .pipelines
                .first()
                .map_or_else(|| "Pipeline".to_string(), |p| p.name.clone()),
            ..ValueMaps::default()
        };
        for (target, map) in &profile.values {
            let target = target.without_label();
            maps.exact.insert(
                target.clone(),
                map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            );
            maps.folded.insert(
                target,
                map.iter().map(|(k, v)| (fold(k), v.clone())).collect(),
            );
        }
        maps
    }

    /// The mapped value of `raw` for a target, if the profile maps it.
    pub fn lookup(&self, target: &Target, raw: &str) -> Option<String> {
        let target = target.without_label();
        if let Some(v) = self.exact.get(&target).and_then(|m| m.get(raw.trim())) {
            return Some(v.clone());
        }
        self.folded
            .get(&target)
            .and_then(|m| m.get(&fold(raw)))
            .cloned()
    }
}
