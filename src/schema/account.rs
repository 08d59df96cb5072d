//! The account's reference data: pipelines with their stages, users, activity types, labels
//! and currencies. Read from a YAML or JSON file a user writes or `account pull` saves.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::SchemaError;
use crate::entity::Entity;

/// A pipeline and its stages, in order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    pub name: String,
    pub stages: Vec<String>,
}

/// A Pipedrive user, who can own records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub name: String,
    pub email: String,
}

/// An activity type: `key` is what the import and API use (`call`), `name` what users see.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ActivityType {
    pub key: String,
    pub name: String,
}

/// Reference data of a Pipedrive account.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Account {
    #[serde(default)]
    pub pipelines: Vec<Pipeline>,
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub activity_types: Vec<ActivityType>,
    /// Labels per entity (person, organization, deal, lead).
    #[serde(default)]
    pub labels: BTreeMap<Entity, Vec<String>>,
    #[serde(default)]
    pub currencies: Vec<String>,
    /// The account's default currency, used where a value has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<String>,
}

impl Account {
    /// Takes what `other` defines: a section it has replaces this one's.
    pub fn merge(&mut self, other: Account) {
        if !other.pipelines.is_empty() {
            self.pipelines = other.pipelines;
        }
        if !other.users.is_empty() {
            self.users = other.users;
        }
        if !other.activity_types.is_empty() {
            self.activity_types = other.activity_types;
        }
        for (entity, labels) in other.labels {
            self.labels.insert(entity, labels);
        }
        if !other.currencies.is_empty() {
            self.currencies = other.currencies;
        }
        if other.default_currency.is_some() {
            self.default_currency = other.default_currency;
        }
    }

    /// `Pipeline/Stage` names of every stage, in pipeline order.
    pub fn stage_paths(&self) -> Vec<String> {
        self.pipelines
            .iter()
            .flat_map(|p| p.stages.iter().map(move |s| format!("{}/{}", p.name, s)))
            .collect()
    }

    /// Labels of an entity.
    pub fn labels_of(&self, entity: Entity) -> &[String] {
        self.labels.get(&entity).map_or(&[], Vec::as_slice)
    }
}

/// Reads an account file written as YAML (JSON is read the same way).
pub fn parse_yaml(file: &str, text: &str) -> Result<Account, SchemaError> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        SchemaError::Parse {
            file: file.to_string(),
            line,
            column,
            message: e.to_string(),
        }
    })
}

/// Reads an account reference file, JSON or YAML.
pub fn parse_any(file: &str, text: &str) -> Result<Account, SchemaError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return serde_json::from_str(text).map_err(|e| SchemaError::Parse {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        });
    }
    parse_yaml(file, text)
}
