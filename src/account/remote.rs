//! The account as the API returns it, with the ids that creating and undoing need.
//! Shapes from the API reference (https://developers.pipedrive.com/docs/api/v1): the
//! `*Fields` endpoints (`id`, `key`, `name`, `field_type`, `options: [{id, label}]`),
//! `/pipelines` (`id`, `name`), `/stages` (`id`, `name`, `pipeline_id`, `order_nr`), `/users`
//! (`name`, `email`, `active_flag`), `/activityTypes` (`id`, `name`, `key_string`,
//! `active_flag`), `/leadLabels` (`id` a UUID, `name`, `color`), `/currencies` (`code`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{AccountError, Client, Me};
use crate::entity::Entity;

/// The field endpoint of each entity that has one. Leads share the deals' fields
/// (https://pipedrive.readme.io/docs/core-api-concepts-custom-fields).
pub const FIELD_ENDPOINTS: [(Entity, &str); 6] = [
    (Entity::Person, "/personFields"),
    (Entity::Organization, "/organizationFields"),
    (Entity::Deal, "/dealFields"),
    (Entity::Product, "/productFields"),
    (Entity::Activity, "/activityFields"),
    (Entity::Note, "/noteFields"),
];

/// The field endpoint of an entity, if it has one.
pub fn field_endpoint(entity: Entity) -> Option<&'static str> {
    FIELD_ENDPOINTS
        .iter()
        .find(|(e, _)| *e == entity)
        .map(|(_, p)| *p)
}

/// A field with its numeric id (for PUT and DELETE) and its options' ids.
#[derive(Debug, Clone, Deserialize)]
pub struct RemoteField {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub field_type: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub options: Vec<RemoteOption>,
    #[serde(default)]
    pub mandatory_flag: Value,
}

/// One option of an enum, set or label field.
#[derive(Debug, Clone, Deserialize)]
pub struct RemoteOption {
    pub id: Value,
    pub label: Value,
    #[serde(default)]
    pub color: Option<String>,
}

impl RemoteOption {
    /// The label as text.
    pub fn text(&self) -> String {
        crate::schema::option_label(self.label.clone())
    }
}

/// A pipeline.
#[derive(Debug, Clone, Deserialize)]
pub struct RemotePipeline {
    pub id: i64,
    pub name: String,
}

/// A stage, in its pipeline at `order_nr`.
#[derive(Debug, Clone, Deserialize)]
pub struct RemoteStage {
    pub id: i64,
    pub name: String,
    pub pipeline_id: i64,
    #[serde(default)]
    pub order_nr: i64,
}

/// A user of the company.
#[derive(Debug, Clone, Deserialize)]
pub struct RemoteUser {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default = "yes")]
    pub active_flag: bool,
}

/// An activity type.
#[derive(Debug, Clone, Deserialize)]
pub struct RemoteActivityType {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub key_string: String,
    #[serde(default = "yes")]
    pub active_flag: bool,
}

/// A lead label (its id is a UUID).
#[derive(Debug, Clone, Deserialize)]
pub struct RemoteLeadLabel {
    pub id: String,
    pub name: String,
}

/// A currency.
#[derive(Debug, Clone, Deserialize)]
pub struct RemoteCurrency {
    pub code: String,
}

fn yes() -> bool {
    true
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Everything pipemap reads of an account.
#[derive(Debug, Clone)]
pub struct Remote {
    pub me: Me,
    pub fields: BTreeMap<Entity, Vec<RemoteField>>,
    pub pipelines: Vec<RemotePipeline>,
    pub stages: Vec<RemoteStage>,
    pub users: Vec<RemoteUser>,
    pub activity_types: Vec<RemoteActivityType>,
    pub lead_labels: Vec<RemoteLeadLabel>,
    pub currencies: Vec<RemoteCurrency>,
}

impl Remote {
    /// Reads the whole account: fields of every entity, pipelines, stages, users, activity
    /// types, lead labels and currencies.
    pub fn read(client: &mut Client, me: &Me) -> Result<Remote, AccountError> {
        let mut fields = BTreeMap::new();
        for (entity, path) in FIELD_ENDPOINTS {
            fields.insert(entity, list(client, path)?);
        }
        Ok(Remote {
            me: me.clone(),
            fields,
            pipelines: list(client, "/pipelines")?,
            stages: list(client, "/stages")?,
            users: list(client, "/users")?,
            activity_types: list(client, "/activityTypes")?,
            lead_labels: list(client, "/leadLabels")?,
            currencies: list(client, "/currencies")?,
        })
    }

    /// The fields of an entity (leads: the deals').
    pub fn fields_of(&self, entity: Entity) -> &[RemoteField] {
        let entity = if entity == Entity::Lead {
            Entity::Deal
        } else {
            entity
        };
        self.fields.get(&entity).map_or(&[], Vec::as_slice)
    }

    /// The field that holds an entity's labels: `label` (or `label_ids` where the account
    /// lets a record carry several) among its fields
    /// (https://pipedrive.readme.io/docs/working-with-labels).
    pub fn label_field(&self, entity: Entity) -> Option<&RemoteField> {
        let fields = self.fields.get(&entity)?;
        fields
            .iter()
            .find(|f| f.key == "label")
            .or_else(|| fields.iter().find(|f| f.key == "label_ids"))
    }

    /// The stages of a pipeline, in order.
    pub fn stages_of(&self, pipeline_id: i64) -> Vec<&RemoteStage> {
        let mut stages: Vec<&RemoteStage> = self
            .stages
            .iter()
            .filter(|s| s.pipeline_id == pipeline_id)
            .collect();
        stages.sort_by_key(|s| (s.order_nr, s.id));
        stages
    }
}

/// Every item of a list endpoint, typed.
pub fn list<T: DeserializeOwned>(client: &mut Client, path: &str) -> Result<Vec<T>, AccountError> {
    client
        .get_all(path)?
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v).map_err(|e| AccountError::Unexpected {
                url: format!("{}{path}", client.api_url()),
                message: format!("item {i}: {e}"),
            })
        })
        .collect()
}
