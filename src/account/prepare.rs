//! `account prepare OUT`: what an export's plan (OUT/summary.json)
//! needs that the account lacks, created through the API and recorded in the manifest.
//!
//! What is missing comes from a fresh read of the account, not from the manifest, so a second
//! run creates nothing and a run after a failure creates only the rest. Endpoints
//! (https://developers.pipedrive.com/docs/api/v1): `POST /personFields` (likewise
//! organization, deal, product) with `name`, `field_type` and `options: [{label}]`
//! (https://pipedrive.readme.io/docs/adding-a-new-custom-field); `POST /pipelines` with
//! `name`; `POST /stages` with `name`, `pipeline_id` (a new stage goes last, so creating in
//! order keeps the order); `POST /activityTypes` with `name`, `icon_key`; `POST /leadLabels`
//! with `name`, `color`; person, organization and deal labels are options of their `label`
//! field, added with `PUT /personFields/{id}` listing every option, existing ones by id
//! (https://pipedrive.readme.io/docs/working-with-labels). Undo is in [`super::undo`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Value, json};

use super::manifest::{Entry, Kind, Manifest};
use super::remote::{Remote, field_endpoint};
use super::{AccountError, Client};
use crate::entity::Entity;

/// What an export needs in the account, as its summary.json lists it.
#[derive(Debug, Default, Deserialize)]
pub struct Needs {
    #[serde(default, rename = "custom_fields_to_create")]
    pub custom_fields: Vec<NeededField>,
    #[serde(default, rename = "stages_to_create")]
    pub stages: Vec<NeededStages>,
    #[serde(default, rename = "activity_types_to_create")]
    pub activity_types: Vec<String>,
    #[serde(default, rename = "labels_to_create")]
    pub labels: BTreeMap<Entity, Vec<String>>,
}

/// A custom field the export writes to.
#[derive(Debug, Deserialize)]
pub struct NeededField {
    pub entity: Entity,
    pub name: String,
    pub field_type: String,
    #[serde(default)]
    pub options: Vec<String>,
}

/// Stages of one pipeline, in order.
#[derive(Debug, Deserialize)]
pub struct NeededStages {
    pub pipeline: String,
    pub stages: Vec<String>,
}

/// Reads what OUT/summary.json says the export needs.
pub fn read_needs(out: &Path) -> Result<Needs, AccountError> {
    let path = out.join("summary.json");
    let text = std::fs::read_to_string(&path).map_err(|e| AccountError::Export {
        path: out.display().to_string(),
        message: format!("not a pipemap export folder (summary.json: {e})"),
    })?;
    serde_json::from_str(&text).map_err(|e| AccountError::Export {
        path: path.display().to_string(),
        message: format!("cannot read the plan: {e}"),
    })
}

/// One object to create.
#[derive(Debug, Clone, PartialEq)]
pub enum Creation {
    Field {
        entity: Entity,
        name: String,
        field_type: String,
        options: Vec<String>,
    },
    Pipeline {
        name: String,
    },
    Stage {
        pipeline: String,
        name: String,
    },
    ActivityType {
        name: String,
    },
    LeadLabel {
        name: String,
    },
    Label {
        entity: Entity,
        name: String,
    },
    /// An option missing from a dropdown field the account already has.
    FieldOption {
        entity: Entity,
        field: String,
        name: String,
    },
}

impl fmt::Display for Creation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Creation::Field {
                entity,
                name,
                field_type,
                options,
            } if options.is_empty() => write!(f, "{entity} field \"{name}\" ({field_type})"),
            Creation::Field {
                entity,
                name,
                field_type,
                options,
            } => write!(
                f,
                "{entity} field \"{name}\" ({field_type}: {})",
                options.join(", ")
            ),
            Creation::Pipeline { name } => write!(f, "pipeline \"{name}\""),
            Creation::Stage { pipeline, name } => {
                write!(f, "stage \"{name}\" in pipeline \"{pipeline}\"")
            }
            Creation::ActivityType { name } => write!(f, "activity type \"{name}\""),
            Creation::LeadLabel { name } => write!(f, "lead label \"{name}\""),
            Creation::Label { entity, name } => write!(f, "{entity} label \"{name}\""),
            Creation::FieldOption {
                entity,
                field,
                name,
            } => write!(f, "option \"{name}\" of {entity} field \"{field}\""),
        }
    }
}

/// What to create, and what cannot be (with the reason).
#[derive(Debug, Default)]
pub struct Plan {
    pub creations: Vec<Creation>,
    pub cannot: Vec<String>,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Compares the needs with the account as read now.
pub fn plan(needs: &Needs, remote: &Remote) -> Plan {
    let mut plan = Plan::default();
    let push = |plan: &mut Plan, c: Creation| {
        if !plan.creations.contains(&c) {
            plan.creations.push(c);
        }
    };
    for f in &needs.custom_fields {
        // Leads share the deals' custom fields.
        let entity = if f.entity == Entity::Lead {
            Entity::Deal
        } else {
            f.entity
        };
        if field_endpoint(entity).is_none() || matches!(entity, Entity::Activity | Entity::Note) {
            plan.cannot.push(format!(
                "{} field \"{}\": Pipedrive has no custom fields for {}",
                f.entity,
                f.name,
                f.entity.plural()
            ));
            continue;
        }
        let dropdown = |t: &str| matches!(t, "enum" | "set");
        if let Some(existing) = remote
            .fields_of(entity)
            .iter()
            .find(|r| same(&r.name, &f.name))
        {
            if dropdown(&f.field_type) && dropdown(&existing.field_type) {
                for option in &f.options {
                    if !existing.options.iter().any(|o| same(&o.text(), option)) {
                        push(
                            &mut plan,
                            Creation::FieldOption {
                                entity,
                                field: existing.name.clone(),
                                name: option.clone(),
                            },
                        );
                    }
                }
            } else if dropdown(&f.field_type) != dropdown(&existing.field_type) {
                plan.cannot.push(format!(
                    "{entity} field \"{}\" as {}: the account has it as {} already (its values are imported as that type)",
                    f.name, f.field_type, existing.field_type
                ));
            }
        } else {
            let options = if matches!(f.field_type.as_str(), "enum" | "set") {
                f.options.clone()
            } else {
                Vec::new()
            };
            push(
                &mut plan,
                Creation::Field {
                    entity,
                    name: f.name.clone(),
                    field_type: f.field_type.clone(),
                    options,
                },
            );
        }
    }
    for need in &needs.stages {
        let existing = remote
            .pipelines
            .iter()
            .find(|p| same(&p.name, &need.pipeline));
        let have: Vec<String> = existing
            .map(|p| {
                remote
                    .stages_of(p.id)
                    .iter()
                    .map(|s| s.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        if existing.is_none() {
            push(
                &mut plan,
                Creation::Pipeline {
                    name: need.pipeline.clone(),
                },
            );
        }
        for stage in &need.stages {
            if !have.iter().any(|h| same(h, stage)) {
                push(
                    &mut plan,
                    Creation::Stage {
                        pipeline: existing.map_or(need.pipeline.clone(), |p| p.name.clone()),
                        name: stage.clone(),
                    },
                );
            }
        }
    }
    for t in &needs.activity_types {
        let exists = remote
            .activity_types
            .iter()
            .any(|a| same(&a.name, t) || same(&a.key_string, t));
        if !exists {
            push(&mut plan, Creation::ActivityType { name: t.clone() });
        }
    }
    for (entity, labels) in &needs.labels {
        for label in labels {
            if *entity == Entity::Lead {
                if !remote.lead_labels.iter().any(|l| same(&l.name, label)) {
                    push(
                        &mut plan,
                        Creation::LeadLabel {
                            name: label.clone(),
                        },
                    );
                }
                continue;
            }
            match remote.label_field(*entity) {
                Some(field) => {
                    if !field.options.iter().any(|o| same(&o.text(), label)) {
                        push(
                            &mut plan,
                            Creation::Label {
                                entity: *entity,
                                name: label.clone(),
                            },
                        );
                    }
                }
                None => plan.cannot.push(format!(
                    "{entity} label \"{label}\": the account has no label field for {}",
                    entity.plural()
                )),
            }
        }
    }
    plan
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
    // The current options of each dropdown or label field (by id), as the last PUT left them.
    let mut field_options: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    for creation in &plan.creations {
        let entry = match creation {
            Creation::Field {
                entity,
                name,
                field_type,
                options,
            } => {
                let path = field_endpoint(*entity).expect("planned only for entities with fields");
                let mut body = json!({"name": name, "field_type": field_type});
                if !options.is_empty() {
                    body["options"] = options.iter().map(|o| json!({"label": o})).collect();
                }
                let data = client.post(path, &body)?;
                entry(Kind::CustomField, id_of(&data, path)?, name, Some(*entity))
            }
            Creation::Pipeline { name } => {
                let data = client.post("/pipelines", &json!({"name": name}))?;
                let id = id_of(&data, "/pipelines")?;
                if let Some(n) = id.as_i64() {
                    pipeline_ids.insert(name.to_lowercase(), n);
                }
                entry(Kind::Pipeline, id, name, None)
            }
            Creation::Stage { pipeline, name } => {
                let pipeline_id = *pipeline_ids.get(&pipeline.to_lowercase()).ok_or_else(|| {
                    AccountError::Unexpected {
                        url: format!("{}/pipelines", client.api_url()),
                        message: format!("pipeline \"{pipeline}\" has no id"),
                    }
                })?;
                let body = json!({"name": name, "pipeline_id": pipeline_id});
                let data = client.post("/stages", &body)?;
                let mut e = entry(Kind::Stage, id_of(&data, "/stages")?, name, None);
                e.pipeline = Some(pipeline.clone());
                e
            }
            Creation::ActivityType { name } => {
                // icon_key is required; "task" is the neutral one among the documented keys.
                let body = json!({"name": name, "icon_key": "task"});
                let data = client.post("/activityTypes", &body)?;
                entry(
                    Kind::ActivityType,
                    id_of(&data, "/activityTypes")?,
                    name,
                    None,
                )
            }
            Creation::LeadLabel { name } => {
                // color is required and one of green, blue, red, yellow, purple, gray.
                let body = json!({"name": name, "color": "gray"});
                let data = client.post("/leadLabels", &body)?;
                entry(
                    Kind::LeadLabel,
                    id_of(&data, "/leadLabels")?,
                    name,
                    Some(Entity::Lead),
                )
            }
            Creation::Label { entity, name } => {
                let field = remote
                    .label_field(*entity)
                    .expect("planned only where the label field exists");
                let option_id = add_option(client, &mut field_options, *entity, field, name)?;
                let mut e = entry(Kind::LabelOption, option_id, name, Some(*entity));
                e.field_id = Some(field.id);
                e
            }
            Creation::FieldOption {
                entity,
                field,
                name,
            } => {
                let field = remote
                    .fields_of(*entity)
                    .iter()
                    .find(|r| same(&r.name, field))
                    .expect("planned only for fields the account has");
                let option_id = add_option(client, &mut field_options, *entity, field, name)?;
                let mut e = entry(Kind::FieldOption, option_id, name, Some(*entity));
                e.field_id = Some(field.id);
                e
            }
        };
        manifest.created.push(entry);
        manifest.save(out)?;
        created(manifest.created.last().expect("just pushed"));
    }
    Ok(())
}

/// Adds the option `name` to a field (PUT with its current options plus the new one, as the
/// API reference's "Update a person field" takes them) and returns the new option's id.
fn add_option(
    client: &mut Client,
    current: &mut BTreeMap<i64, Vec<Value>>,
    entity: Entity,
    field: &super::remote::RemoteField,
    name: &str,
) -> Result<Value, AccountError> {
    let path = format!(
        "{}/{}",
        field_endpoint(entity).expect("fields of entities with an endpoint"),
        field.id
    );
    let options = current.entry(field.id).or_insert_with(|| {
        field
            .options
            .iter()
            .map(|o| option_json(&o.id, &o.label, o.color.as_deref()))
            .collect()
    });
    let mut wanted = options.clone();
    wanted.push(json!({"label": name}));
    let data = client.put(&path, &json!({"options": wanted}))?;
    let returned = data["options"].as_array().cloned().unwrap_or_default();
    let option_id = returned
        .iter()
        .find(|o| o["label"].as_str().is_some_and(|l| same(l, name)))
        .map(|o| o["id"].clone())
        .ok_or_else(|| AccountError::Unexpected {
            url: format!("{}{path}", client.api_url()),
            message: format!("\"{name}\" is not among the field's options"),
        })?;
    *options = returned
        .iter()
        .map(|o| option_json(&o["id"], &o["label"], o["color"].as_str()))
        .collect();
    Ok(option_id)
}

pub(super) fn option_json(id: &Value, label: &Value, color: Option<&str>) -> Value {
    let mut o = json!({"id": id, "label": label});
    if let Some(c) = color {
        o["color"] = json!(c);
    }
    o
}

fn entry(kind: Kind, id: Value, name: &str, entity: Option<Entity>) -> Entry {
    Entry {
        kind,
        id,
        name: name.to_string(),
        entity,
        pipeline: None,
        field_id: None,
        time: super::now(),
        outcome: None,
    }
}

fn id_of(data: &Value, path: &str) -> Result<Value, AccountError> {
    match data.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => Ok(id.clone()),
        _ => Err(AccountError::Unexpected {
            url: path.to_string(),
            message: "the answer gives no id of the created item".into(),
        }),
    }
}

/// What one run of [`prepare_export`] found and did.
#[derive(Debug)]
pub struct Prepared {
    /// What the account lacks for the export (created when the run applied it).
    pub plan: Plan,
    /// How many objects this run created.
    pub created: usize,
}

/// Prepares the account for the export in `out`: reads what its summary.json needs and what the
/// account holds now, and, with `create`, creates the difference, recording each creation in
/// `out`'s manifest as it goes (`created` hears of each, with the number planned). A manifest of another company is
/// refused. On a failure half way, the manifest keeps what was done.
pub fn prepare_export(
    client: &mut Client,
    me: &super::Me,
    out: &Path,
    create: bool,
    created: &mut dyn FnMut(&Entry, usize),
) -> Result<Prepared, AccountError> {
    let needs = read_needs(out)?;
    let mut manifest = Manifest::load(out)?;
    if let Some(m) = &manifest {
        m.check_company(me)?;
    }
    let remote = Remote::read(client, me)?;
    let plan = plan(&needs, &remote);
    if !create || plan.creations.is_empty() {
        return Ok(Prepared { plan, created: 0 });
    }
    let manifest = manifest.get_or_insert_with(|| Manifest::new(&me.company_domain));
    let before = manifest.created.len();
    let total = plan.creations.len();
    apply(client, &remote, &plan, manifest, out, &mut |e| {
        created(e, total)
    })?;
    let created = manifest.created.len() - before;
    Ok(Prepared { plan, created })
}
