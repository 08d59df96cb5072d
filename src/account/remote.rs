//! The account as the API returns it, with the ids that creating and undoing need. Shapes from
//! Pipedrive's published documents (https://developers.pipedrive.com/docs/api/v1 and …/v2):
//! v2's `*Fields` (`field_code`, `field_name`, `field_type`, `options: [{id, label, color}]`,
//! `is_custom_field`, `required_fields.enabled`), v1's note and lead fields (`key`, `name`,
//! `field_type`, `options`, `mandatory_flag`), v2's `/pipelines` (`id`, `name`) and `/stages`
//! (`id`, `name`, `pipeline_id`, `order_nr`), v1's `/users` (`name`, `email`, `active_flag`),
//! `/activityTypes` (`id`, `name`, `key_string`, `active_flag`), `/leadLabels` (`id` a UUID,
//! `name`, `color`) and `/currencies` (`code`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::api::{self, Call, FIELD_ENDPOINTS, FieldEndpoint, Version};
use super::{AccountError, Client, Me};
use crate::entity::Entity;

/// A field: its code (the key records use, a 40-hex hash for custom fields), name, type and
/// options with their ids.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteField {
    pub key: String,
    pub name: String,
    pub field_type: String,
    pub options: Vec<RemoteOption>,
    pub mandatory: bool,
    pub custom: bool,
}

/// A field as API v2's field endpoints describe it.
#[derive(Debug, Deserialize)]
struct V2Field {
    field_code: String,
    field_name: String,
    field_type: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    options: Vec<RemoteOption>,
    is_custom_field: bool,
    #[serde(default)]
    required_fields: Option<V2Required>,
}

#[derive(Debug, Deserialize)]
struct V2Required {
    #[serde(default)]
    enabled: bool,
}

/// A field as API v1's note and lead field endpoints describe it.
#[derive(Debug, Deserialize)]
struct V1Field {
    key: String,
    name: String,
    field_type: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    options: Vec<RemoteOption>,
    #[serde(default)]
    mandatory_flag: Value,
}

impl From<V2Field> for RemoteField {
    fn from(f: V2Field) -> RemoteField {
        RemoteField {
            key: f.field_code,
            name: f.field_name,
            field_type: f.field_type,
            options: f.options,
            mandatory: f.required_fields.is_some_and(|r| r.enabled),
            custom: f.is_custom_field,
        }
    }
}

impl From<V1Field> for RemoteField {
    fn from(f: V1Field) -> RemoteField {
        RemoteField {
            custom: crate::schema::is_hash_key(&f.key),
            key: f.key,
            name: f.name,
            field_type: f.field_type,
            options: f.options,
            // v1 writes `true`, or an object of the conditions under which it is mandatory.
            mandatory: matches!(f.mandatory_flag, Value::Bool(true) | Value::Object(_)),
        }
    }
}

/// One option of an enum, set or label field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
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
    pub id: i64,
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
        for endpoint in FIELD_ENDPOINTS {
            fields.insert(endpoint.entity, read_fields(client, endpoint)?);
        }
        Ok(Remote {
            me: me.clone(),
            fields,
            pipelines: list(client, &api::pipelines())?,
            stages: list(client, &api::stages())?,
            users: list(client, &api::users())?,
            activity_types: list(client, &api::activity_types())?,
            lead_labels: list(client, &api::lead_labels())?,
            currencies: list(client, &api::currencies())?,
        })
    }

    /// The fields custom fields of an entity are created among (leads: the deals').
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

/// The fields of one endpoint, in whichever version's shape it answers.
pub fn read_fields(
    client: &mut Client,
    endpoint: FieldEndpoint,
) -> Result<Vec<RemoteField>, AccountError> {
    let call = endpoint.list();
    Ok(match endpoint.version {
        Version::V2 => list::<V2Field>(client, &call)?
            .into_iter()
            .map(RemoteField::from)
            .collect(),
        Version::V1 => list::<V1Field>(client, &call)?
            .into_iter()
            .map(RemoteField::from)
            .collect(),
    })
}

/// Every item of a list, typed; an item that is not as the documents describe it is an error
/// naming the request, the item and the key.
pub fn list<T: DeserializeOwned>(client: &mut Client, call: &Call) -> Result<Vec<T>, AccountError> {
    client
        .get_all(call)?
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v).map_err(|e| AccountError::Answer {
                call: call.to_string(),
                key: format!("data[{i}]"),
                problem: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v2_and_v1_fields_read_into_one_shape() {
        let v2: V2Field = serde_json::from_value(json!({
            "field_name": "Lead Source", "field_code": "40characterhashforcustomfieldidentifier",
            "field_type": "enum", "options": [{"id": 1, "label": "Inbound"}],
            "subfields": null, "is_custom_field": true, "is_optional_response_field": false,
            "required_fields": {"enabled": true}}))
        .unwrap();
        let f = RemoteField::from(v2);
        assert_eq!(f.key, "40characterhashforcustomfieldidentifier");
        assert_eq!(f.name, "Lead Source");
        assert!(f.custom && f.mandatory);
        assert_eq!(f.options[0].text(), "Inbound");
        let v1: V1Field = serde_json::from_value(json!({
            "id": 1, "key": "content", "name": "Content", "field_type": "text",
            "mandatory_flag": true}))
        .unwrap();
        let f = RemoteField::from(v1);
        assert!(f.mandatory && !f.custom && f.options.is_empty());
    }

    #[test]
    fn a_field_without_its_code_is_an_error_naming_the_key() {
        let err = serde_json::from_value::<V2Field>(json!({
            "field_name": "X", "field_type": "varchar", "is_custom_field": false}))
        .unwrap_err()
        .to_string();
        assert!(err.contains("field_code"), "{err}");
    }
}
