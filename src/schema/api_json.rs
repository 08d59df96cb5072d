//! Pipedrive API field definitions as a user saves them: the JSON body of API v2's
//! `GET /api/v2/personFields` (likewise organization, deal, product, activity:
//! `{"data": [{"field_code", "field_name", "field_type", "options": [{"id", "label"}],
//! "is_custom_field", "required_fields": {"enabled"}}], "additional_data": {"next_cursor"}}`)
//! or of API v1's `GET /api/v1/personFields`, `/noteFields`, `/leadFields` (`key`, `name`,
//! `field_type`, `options`, `mandatory_flag`); see developers.pipedrive.com, "PersonFields".

use std::path::Path;

use serde::Deserialize;

use super::{Field, SchemaError};
use crate::entity::Entity;

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    success: Option<bool>,
    data: Option<Vec<ApiField>>,
}

#[derive(Deserialize)]
struct ApiField {
    #[serde(alias = "field_code")]
    key: Option<String>,
    #[serde(alias = "field_name")]
    name: Option<String>,
    field_type: Option<String>,
    #[serde(default)]
    options: Option<Vec<ApiOption>>,
    /// v1; v2 says it in `required_fields.enabled`.
    #[serde(default)]
    mandatory_flag: serde_json::Value,
    #[serde(default)]
    required_fields: Option<Required>,
}

#[derive(Deserialize)]
struct Required {
    #[serde(default)]
    enabled: bool,
}

#[derive(Deserialize)]
struct ApiOption {
    label: Option<serde_json::Value>,
}

/// True when the text is a JSON object with a `data` array (an API response) rather than an
/// account reference file.
pub fn looks_like_fields_response(text: &str) -> bool {
    text.trim_start().starts_with('{') && text.contains("\"data\"") && text.contains("field_type")
}

/// Reads one `*Fields` response; the entity comes from the file name (`personFields.json`) or,
/// failing that, from the keys the fields carry.
pub fn parse_fields(
    file: &str,
    path: &Path,
    text: &str,
) -> Result<(Entity, Vec<Field>), SchemaError> {
    let response: Response = serde_json::from_str(text).map_err(|e| SchemaError::Parse {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if response.success == Some(false) {
        return Err(SchemaError::Invalid {
            file: file.to_string(),
            message: "the API answered \"success\": false; save a successful response".into(),
        });
    }
    let data = response.data.ok_or_else(|| SchemaError::Invalid {
        file: file.to_string(),
        message: "no \"data\" array of fields".into(),
    })?;
    let mut fields = Vec::with_capacity(data.len());
    for (i, api) in data.into_iter().enumerate() {
        let missing = |what: &str| SchemaError::Invalid {
            file: file.to_string(),
            message: format!("data[{i}] has no \"{what}\""),
        };
        let key = api.key.ok_or_else(|| missing("key"))?;
        let name = api.name.ok_or_else(|| missing("name"))?;
        let field_type = api.field_type.ok_or_else(|| missing("field_type"))?;
        let options = api
            .options
            .unwrap_or_default()
            .into_iter()
            .filter_map(|o| o.label.map(option_label))
            .collect();
        let mandatory = match api.required_fields {
            Some(r) => serde_json::Value::Bool(r.enabled),
            None => api.mandatory_flag,
        };
        fields.push(field_from_api(key, name, field_type, options, &mandatory));
    }
    let entity = entity_from_name(path)
        .or_else(|| entity_from_keys(&fields))
        .ok_or_else(|| SchemaError::Invalid {
            file: file.to_string(),
            message: "cannot tell which item type these fields belong to; name the file after \
                      the endpoint, e.g. personFields.json or dealFields.json"
                .into(),
        })?;
    Ok((entity, fields))
}

/// One field as the API describes it: `mandatory_flag` is a boolean or, for fields required
/// only in some pipelines, an object (counted as mandatory).
pub fn field_from_api(
    key: String,
    name: String,
    field_type: String,
    options: Vec<String>,
    mandatory_flag: &serde_json::Value,
) -> Field {
    let mandatory = match mandatory_flag {
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::Object(_) => true,
        _ => false,
    };
    Field {
        custom: is_hash_key(&key),
        key,
        name,
        field_type,
        mandatory,
        multi: false,
        labels: Vec::new(),
        options,
        relation: None,
        note: None,
    }
}

/// An option's label as text; numeric labels, which the API sometimes sends, are kept as written.
pub fn option_label(label: serde_json::Value) -> String {
    match label {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Custom fields carry a 40-character hexadecimal key.
pub fn is_hash_key(key: &str) -> bool {
    key.len() == 40 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

fn entity_from_name(path: &Path) -> Option<Entity> {
    let stem = path.file_stem()?.to_str()?.to_ascii_lowercase();
    let table = [
        ("organization", Entity::Organization),
        ("organisation", Entity::Organization),
        ("person", Entity::Person),
        ("deal", Entity::Deal),
        ("lead", Entity::Lead),
        ("activit", Entity::Activity),
        ("note", Entity::Note),
        ("product", Entity::Product),
    ];
    table
        .iter()
        .find(|(word, _)| stem.contains(word))
        .map(|(_, e)| *e)
}

fn entity_from_keys(fields: &[Field]) -> Option<Entity> {
    let has = |k: &str| fields.iter().any(|f| f.key == k);
    if has("stage_id") || has("expected_close_date") {
        Some(Entity::Deal)
    } else if has("first_name") || has("email") {
        Some(Entity::Person)
    } else if has("people_count") || has("address") {
        Some(Entity::Organization)
    } else if has("due_date") {
        Some(Entity::Activity)
    } else if has("content") {
        Some(Entity::Note)
    } else if has("code") || has("prices") {
        Some(Entity::Product)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_v2_answer_reads_like_a_v1_one() {
        let v2 = r#"{"success": true, "data": [
            {"field_name": "Name", "field_code": "name", "field_type": "varchar",
             "options": null, "is_custom_field": false, "required_fields": {"enabled": true}},
            {"field_name": "Tier", "field_code": "0123456789abcdef0123456789abcdef01234567",
             "field_type": "enum", "options": [{"id": 1, "label": "Gold"}],
             "is_custom_field": true, "required_fields": {"enabled": false}}],
            "additional_data": {"next_cursor": null}}"#;
        let (entity, fields) =
            parse_fields("personFields.json", Path::new("personFields.json"), v2).unwrap();
        assert_eq!(entity, Entity::Person);
        assert!(fields[0].mandatory && !fields[0].custom);
        assert_eq!(fields[1].name, "Tier");
        assert!(fields[1].custom && !fields[1].mandatory);
        assert_eq!(fields[1].options, ["Gold"]);
    }
}
