//! The duplicate settings a profile keeps for one entity: the keys auto-merge may rest on and
//! the decisions the user took. Duplicate detection owns what they mean and checks them; the
//! profile embeds them under `dedupe.<entity>`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{DedupeError, MatchKey};

/// Duplicate handling for one entity.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupeSettings {
    /// What makes two records the same (`email`, `phone`, `name+org_id`, `domain`, `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Merge clusters found by these keys without asking.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_merge: bool,
    /// Decisions the user took, keyed by stable record identities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
}

/// A user's decision on one cluster of duplicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `merge`, `keep` (not duplicates) or `drop`.
    pub action: String,
    /// Record identities: the source id, else a content hash.
    pub records: Vec<String>,
    /// For merge: the surviving record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survivor: Option<String>,
    /// For merge: field → the record whose value is kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// A setting that names no known key or action: where it sits under `dedupe.<entity>`
/// (`keys`, `decisions[2].action`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    /// The setting's place under the entity's settings.
    pub at: String,
    /// What is wrong, for the user.
    pub message: String,
}

impl DedupeSettings {
    /// Checks that every key names a known kind of evidence and every decision a known
    /// action, as a profile is loaded; the first that does not, with its place.
    pub fn validate(&self) -> Result<(), SettingsError> {
        for key in &self.keys {
            key.parse::<MatchKey>().map_err(|e| SettingsError {
                at: "keys".into(),
                message: e.to_string(),
            })?;
        }
        for (i, decision) in self.decisions.iter().enumerate() {
            if action(i, decision).is_err() {
                return Err(SettingsError {
                    at: format!("decisions[{i}].action"),
                    message: format!("{:?} is not merge, keep or drop", decision.action),
                });
            }
        }
        Ok(())
    }
}

/// The action of a [`Decision`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Merge,
    Keep,
    Drop,
}

/// The action decision number `index` (from 0) names.
pub(super) fn action(index: usize, d: &Decision) -> Result<Action, DedupeError> {
    match d.action.trim().to_lowercase().as_str() {
        "merge" => Ok(Action::Merge),
        "keep" | "keep_separate" | "separate" => Ok(Action::Keep),
        "drop" => Ok(Action::Drop),
        _ => Err(DedupeError::UnknownAction {
            index,
            action: d.action.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(action: &str) -> Decision {
        Decision {
            action: action.into(),
            records: vec!["1".into(), "2".into()],
            survivor: None,
            fields: BTreeMap::new(),
        }
    }

    #[test]
    fn validate_names_the_first_unknown_key_or_action() {
        let mut settings = DedupeSettings {
            keys: vec!["email".into(), "Name+Company".into()],
            auto_merge: true,
            decisions: vec![
                decision("merge"),
                decision(" Keep_Separate "),
                decision("drop"),
            ],
        };
        assert_eq!(settings.validate(), Ok(()));
        settings.decisions.push(decision("fuse"));
        let err = settings.validate().unwrap_err();
        assert_eq!(err.at, "decisions[3].action");
        assert_eq!(err.message, "\"fuse\" is not merge, keep or drop");
        settings.keys.push("fax".into());
        let err = settings.validate().unwrap_err();
        assert_eq!(err.at, "keys");
        assert!(err.message.contains("\"fax\""), "{}", err.message);
    }
}
