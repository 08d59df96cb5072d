//! `account prepare OUT`: what an export's plan (OUT/summary.json) needs that the account
//! lacks, and what creating it costs; [`super::create`] creates it and records it in the
//! manifest, [`super::undo`] removes it.
//!
//! What is missing comes from a fresh read of the account, not from the manifest, so a second
//! run creates nothing and a run after a failure creates only the rest. Person, organization
//! and deal labels are options of their `label` field
//! (https://pipedrive.readme.io/docs/working-with-labels); leads have labels of their own.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::api::writable_fields;
use super::create::{self, Cost};
use super::manifest::{Entry, Manifest};
use super::remote::Remote;
use super::{AccountError, Client};
use crate::entity::Entity;

/// What an export needs in the account, as its summary.json lists it.
#[derive(Debug, Default)]
pub struct Needs {
    pub custom_fields: Vec<NeededField>,
    pub stages: Vec<NeededStages>,
    pub activity_types: Vec<String>,
    pub labels: BTreeMap<Entity, Vec<String>>,
}

/// A custom field the export writes to.
pub type NeededField = crate::export::summary_file::FieldToCreate;

/// Stages of one pipeline, in order.
pub type NeededStages = crate::export::summary_file::StagesToCreate;

/// Reads what OUT/summary.json says the export needs.
pub fn read_needs(out: &Path) -> Result<Needs, AccountError> {
    use crate::export::summary_file::{SummaryFile, SummaryFileError};
    let file = SummaryFile::read(out).map_err(|e| match e {
        SummaryFileError::Missing { error, .. } => AccountError::Export {
            path: out.display().to_string(),
            message: format!("not a pipemap export folder (summary.json: {error})"),
        },
        SummaryFileError::Invalid { path, error } => AccountError::Export {
            path: path.display().to_string(),
            message: format!("cannot read the plan: {error}"),
        },
    })?;
    Ok(Needs {
        custom_fields: file.custom_fields_to_create,
        stages: file.stages_to_create,
        activity_types: file.activity_types_to_create,
        labels: file.labels_to_create,
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

pub(super) fn same(a: &str, b: &str) -> bool {
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
        if writable_fields(entity).is_none() {
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

/// What one run of [`prepare_export`] found and did.
#[derive(Debug)]
pub struct Prepared {
    /// What the account lacks for the export (created when the run applied it).
    pub plan: Plan,
    /// How many objects this run created.
    pub created: usize,
    /// What reading the account cost this run (`--apply` reads it again first).
    pub read_cost: Cost,
    /// What creating the plan costs.
    pub create_cost: Cost,
}

impl Prepared {
    /// What a run with `--apply` spends: reading the account, then one request per object.
    pub fn apply_cost(&self) -> Cost {
        Cost {
            requests: self.read_cost.requests + self.create_cost.requests,
            tokens: self.read_cost.tokens + self.create_cost.tokens,
        }
    }
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
    let before_read = client.budget().clone();
    let remote = Remote::read(client, me)?;
    let read_cost = Cost::spent_between(&before_read, client.budget());
    let plan = plan(&needs, &remote);
    let create_cost = plan.cost(&remote);
    let mut prepared = Prepared {
        plan,
        created: 0,
        read_cost,
        create_cost,
    };
    if !create || prepared.plan.creations.is_empty() {
        return Ok(prepared);
    }
    let manifest = manifest.get_or_insert_with(|| Manifest::new(&me.company_domain));
    let before = manifest.created.len();
    let total = prepared.plan.creations.len();
    create::apply(client, &remote, &prepared.plan, manifest, out, &mut |e| {
        created(e, total)
    })?;
    prepared.created = manifest.created.len() - before;
    Ok(prepared)
}
