//! Carrying out a [`Plan`]: each [`Creation`] is one request, recorded in the manifest as soon
//! as Pipedrive answers, so a failure half way leaves a manifest of what was done.
//!
//! Requests (Pipedrive's published documents, API v2 where it has the operation): custom fields
//! with `POST /api/v2/personFields` (likewise organization, deal, product: `field_name`,
//! `field_type`, `options: [{label}]`); an option added to a dropdown field or to the `label`
//! field of persons, organizations or deals with `POST /api/v2/personFields/{field_code}/options`
//! (`[{label}]`); `POST /api/v2/pipelines` (`name`); `POST /api/v2/stages` (`name`,
//! `pipeline_id`; a new stage goes last, so creating in order keeps the order); API v1 for what
//! v2 lacks: `POST /api/v1/activityTypes` (`name`, `icon_key`), `POST /api/v1/leadLabels`
//! (`name`, `color`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::api::{self, Call, writable_fields};
use super::budget::Budget;
use super::manifest::{Entry, Kind, Manifest};
use super::prepare::{Creation, Plan, same};
use super::remote::{Remote, RemoteField};
use super::{AccountError, Client};
use crate::entity::Entity;

/// What carrying out a plan will send: requests and tokens of the daily budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cost {
    pub requests: u32,
    pub tokens: u64,
}

impl Cost {
    /// What was spent between two readings of a connection's budget.
    pub fn spent_between(before: &Budget, after: &Budget) -> Cost {
        Cost {
            requests: after.requests - before.requests,
            tokens: after.tokens - before.tokens,
        }
    }

    /// The cost of sending each of these calls once.
    pub fn of<'a>(calls: impl IntoIterator<Item = &'a Call>) -> Cost {
        calls.into_iter().fold(Cost::default(), |c, call| Cost {
            requests: c.requests + 1,
            tokens: c.tokens + u64::from(call.cost),
        })
    }
}

impl Creation {
    /// The one request that creates it. `None` for an option of a field the account lacks
    /// (the plan never holds one).
    pub fn request(&self, remote: &Remote) -> Option<Call> {
        Some(match self {
            Creation::Field { entity, .. } => writable_fields(*entity)?.add(),
            Creation::Pipeline { .. } => api::add_pipeline(),
            Creation::Stage { .. } => api::add_stage(),
            Creation::ActivityType { .. } => api::add_activity_type(),
            Creation::LeadLabel { .. } => api::add_lead_label(),
            Creation::Label { entity, .. } => {
                let field = remote.label_field(*entity)?;
                writable_fields(*entity)?.add_options(&field.key)
            }
            Creation::FieldOption { entity, field, .. } => {
                let field = dropdown(remote, *entity, field)?;
                writable_fields(*entity)?.add_options(&field.key)
            }
        })
    }
}

impl Plan {
    /// What `--apply` spends on creating (reading the account comes on top).
    pub fn cost(&self, remote: &Remote) -> Cost {
        let calls: Vec<Call> = self
            .creations
            .iter()
            .filter_map(|c| c.request(remote))
            .collect();
        Cost::of(&calls)
    }
}

fn dropdown<'a>(remote: &'a Remote, entity: Entity, name: &str) -> Option<&'a RemoteField> {
    remote
        .fields_of(entity)
        .iter()
        .find(|r| same(&r.name, name))
}

/// Creates each object in turn, adding it to the manifest and saving that after each one,
/// so a failure half way leaves a manifest of what was done. `created` hears of each.
pub fn apply(
    client: &mut Client,
    remote: &Remote,
    plan: &Plan,
    manifest: &mut Manifest,
    out: &Path,
    created: &mut dyn FnMut(&Entry),
) -> Result<(), AccountError> {
    let mut pipeline_ids: BTreeMap<String, i64> = remote
        .pipelines
        .iter()
        .map(|p| (p.name.to_lowercase(), p.id))
        .collect();
    for creation in &plan.creations {
        let call = creation
            .request(remote)
            .ok_or_else(|| AccountError::Export {
                path: out.display().to_string(),
                message: format!("{creation}: the account has no field to add it to"),
            })?;
        let entry = match creation {
            Creation::Field {
                entity,
                name,
                field_type,
                options,
            } => {
                let mut body = json!({"field_name": name, "field_type": field_type});
                if !options.is_empty() {
                    body["options"] = options.iter().map(|o| json!({"label": o})).collect();
                }
                let data = client.post(&call, &body)?;
                let code = text_of(&data, "field_code", &call)?;
                let endpoint = writable_fields(*entity).map_or(*entity, |f| f.entity);
                entry(Kind::CustomField, Value::String(code), name, Some(endpoint))
            }
            Creation::Pipeline { name } => {
                let data = client.post(&call, &json!({"name": name}))?;
                let id = id_of(&data, &call)?;
                if let Some(n) = id.as_i64() {
                    pipeline_ids.insert(name.to_lowercase(), n);
                }
                entry(Kind::Pipeline, id, name, None)
            }
            Creation::Stage { pipeline, name } => {
                let pipeline_id = *pipeline_ids.get(&pipeline.to_lowercase()).ok_or_else(|| {
                    AccountError::Answer {
                        call: api::add_pipeline().to_string(),
                        key: "data.id".into(),
                        problem: format!("pipeline \"{pipeline}\" has no id"),
                    }
                })?;
                let body = json!({"name": name, "pipeline_id": pipeline_id});
                let data = client.post(&call, &body)?;
                let mut e = entry(Kind::Stage, id_of(&data, &call)?, name, None);
                e.pipeline = Some(pipeline.clone());
                e
            }
            Creation::ActivityType { name } => {
                // icon_key is required; "task" is the neutral one among the documented keys.
                let body = json!({"name": name, "icon_key": "task"});
                let data = client.post(&call, &body)?;
                entry(Kind::ActivityType, id_of(&data, &call)?, name, None)
            }
            Creation::LeadLabel { name } => {
                // color is required and one of the documented few.
                let body = json!({"name": name, "color": "gray"});
                let data = client.post(&call, &body)?;
                entry(
                    Kind::LeadLabel,
                    id_of(&data, &call)?,
                    name,
                    Some(Entity::Lead),
                )
            }
            Creation::Label { entity, name } => {
                let field = remote
                    .label_field(*entity)
                    .expect("a request exists only where the label field does");
                let option_id = add_option(client, &call, name)?;
                let mut e = entry(Kind::LabelOption, option_id, name, Some(*entity));
                e.field_code = Some(field.key.clone());
                e
            }
            Creation::FieldOption {
                entity,
                field,
                name,
            } => {
                let field =
                    dropdown(remote, *entity, field).expect("a request exists only for fields");
                let option_id = add_option(client, &call, name)?;
                let endpoint = writable_fields(*entity).map_or(*entity, |f| f.entity);
                let mut e = entry(Kind::FieldOption, option_id, name, Some(endpoint));
                e.field_code = Some(field.key.clone());
                e
            }
        };
        manifest.created.push(entry);
        manifest.save(out)?;
        created(manifest.created.last().expect("just pushed"));
    }
    Ok(())
}

/// Adds the option `name` to a field and returns its id. The answer lists the options added:
/// the one labelled `name`, or the only one.
fn add_option(client: &mut Client, call: &Call, name: &str) -> Result<Value, AccountError> {
    let data = client.post(call, &json!([{"label": name}]))?;
    let Value::Array(added) = &data else {
        return Err(problem(call, "data", "not a list of the options added"));
    };
    let found = added
        .iter()
        .find(|o| o["label"].as_str().is_some_and(|l| same(l, name)))
        .or(if added.len() == 1 {
            added.first()
        } else {
            None
        });
    match found.map(|o| &o["id"]) {
        Some(id @ (Value::Number(_) | Value::String(_))) => Ok(id.clone()),
        Some(_) => Err(problem(call, "data[].id", "missing")),
        None => Err(problem(
            call,
            "data",
            &format!("\"{name}\" is not among the options added"),
        )),
    }
}

fn entry(kind: Kind, id: Value, name: &str, entity: Option<Entity>) -> Entry {
    Entry {
        kind,
        id,
        name: name.to_string(),
        entity,
        pipeline: None,
        field_code: None,
        field_id: None,
        source: None,
        before: None,
        time: super::now(),
        outcome: None,
    }
}

fn id_of(data: &Value, call: &Call) -> Result<Value, AccountError> {
    match data.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => Ok(id.clone()),
        _ => Err(problem(call, "data.id", "missing")),
    }
}

fn text_of(data: &Value, key: &str, call: &Call) -> Result<String, AccountError> {
    match data.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(problem(call, &format!("data.{key}"), "missing")),
    }
}

fn problem(call: &Call, key: &str, what: &str) -> AccountError {
    AccountError::Answer {
        call: call.to_string(),
        key: key.to_string(),
        problem: what.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Me;
    use crate::account::remote::RemoteOption;

    fn remote() -> Remote {
        let label = RemoteField {
            key: "label".into(),
            name: "Label".into(),
            field_type: "enum".into(),
            options: vec![RemoteOption {
                id: json!(1),
                label: json!("Customer"),
                color: None,
            }],
            mandatory: false,
            custom: false,
        };
        Remote {
            me: Me {
                name: "Jane".into(),
                email: "jane@acme.test".into(),
                company_domain: "acme".into(),
                company_name: None,
                default_currency: None,
            },
            fields: [(Entity::Person, vec![label])].into_iter().collect(),
            pipelines: Vec::new(),
            stages: Vec::new(),
            users: Vec::new(),
            activity_types: Vec::new(),
            lead_labels: Vec::new(),
            currencies: Vec::new(),
        }
    }

    #[test]
    fn each_creation_is_one_request_and_costs_what_the_documents_say() {
        let remote = remote();
        let plan = Plan {
            creations: vec![
                Creation::Field {
                    entity: Entity::Lead,
                    name: "Budget".into(),
                    field_type: "monetary".into(),
                    options: Vec::new(),
                },
                Creation::Pipeline {
                    name: "Renewals".into(),
                },
                Creation::Stage {
                    pipeline: "Renewals".into(),
                    name: "Due".into(),
                },
                Creation::ActivityType {
                    name: "Demo".into(),
                },
                Creation::LeadLabel { name: "Hot".into() },
                Creation::Label {
                    entity: Entity::Person,
                    name: "VIP".into(),
                },
            ],
            cannot: Vec::new(),
        };
        let calls: Vec<String> = plan
            .creations
            .iter()
            .map(|c| c.request(&remote).unwrap().to_string())
            .collect();
        assert_eq!(
            calls,
            [
                "POST /api/v2/dealFields",
                "POST /api/v2/pipelines",
                "POST /api/v2/stages",
                "POST /api/v1/activityTypes",
                "POST /api/v1/leadLabels",
                "POST /api/v2/personFields/label/options",
            ]
        );
        assert_eq!(
            plan.cost(&remote),
            Cost {
                requests: 6,
                tokens: 5 + 5 + 5 + 10 + 10 + 5
            }
        );
    }
}
