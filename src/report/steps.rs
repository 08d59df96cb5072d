//! The import plan: what the Pipedrive account lacks for an export (custom fields, stages,
//! activity types, labels, owners) and the numbered steps a person follows to import it.

use std::collections::{BTreeMap, BTreeSet};

use crate::entity::{Entity, Target};
use crate::profile::Profile;
use crate::schema::Schema;
use crate::transform::plan::{Conv, Rule};
use crate::transform::result::Export;

/// A custom field the account must have before import.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CustomField {
    pub entity: Entity,
    pub name: String,
    pub field_type: String,
    /// The options of an enum or set field, as the export's values name them.
    pub options: Vec<String>,
}

/// What the Pipedrive account lacks for this export.
#[derive(Debug, Default)]
pub struct Prerequisites {
    pub custom_fields: BTreeSet<CustomField>,
    /// Pipeline → stages to add, in the order first met.
    pub stages: BTreeMap<String, Vec<String>>,
    pub activity_types: BTreeSet<String>,
    pub labels: BTreeMap<Entity, BTreeSet<String>>,
    pub owners: BTreeSet<String>,
}

/// The Pipedrive field type a custom field gets from how its cells are read.
pub(super) fn type_of(conv: &Conv) -> &'static str {
    match conv {
        Conv::Date(_) | Conv::Day(_) => "date",
        Conv::Time(_) | Conv::Duration(_) => "time",
        Conv::Money(_) => "monetary",
        Conv::Currency => "varchar",
        Conv::Number(_) => "double",
        Conv::Bool | Conv::Values => "enum",
        Conv::Labels(_) => "set",
        Conv::Phone => "phone",
        Conv::Email | Conv::Text | Conv::AddressPart(_) => "varchar",
    }
}

/// Compares what the export uses with what the account holds.
pub fn prerequisites(export: &Export, profile: &Profile, schema: &Schema) -> Prerequisites {
    let mut p = Prerequisites::default();
    missing_custom_fields(export, schema, &mut p);
    missing_stages(export, profile, schema, &mut p);
    missing_account_values(export, schema, &mut p);
    p
}

/// The custom fields the export writes that the account lacks, with the options they take.
fn missing_custom_fields(export: &Export, schema: &Schema, p: &mut Prerequisites) {
    for plan in &export.plans {
        for rule in plan.rules.iter().chain(&plan.split_rules) {
            if let Rule::Set {
                target: Target::Custom { entity, name, part },
                conv,
                ..
            } = rule
                && !matches!(entity, Entity::Activity | Entity::Note)
                && schema.custom_field_named(*entity, name).is_none()
            {
                // Leads share the deals' custom fields (Pipedrive API docs, "Leads").
                let options = export
                    .tally
                    .custom_options
                    .get(entity)
                    .and_then(|names| names.get(name))
                    .map(|o| o.iter().cloned().collect())
                    .unwrap_or_default();
                let entity = if *entity == Entity::Lead {
                    Entity::Deal
                } else {
                    *entity
                };
                p.custom_fields.insert(CustomField {
                    entity,
                    name: name.clone(),
                    // The parts of an address custom field fill one field of type address.
                    field_type: match part {
                        Some(_) => "address".to_string(),
                        None => type_of(conv).to_string(),
                    },
                    options,
                });
            }
        }
    }
}

/// The stages the export uses that the account's pipelines lack, in the pipeline's order.
fn missing_stages(export: &Export, profile: &Profile, schema: &Schema, p: &mut Prerequisites) {
    let account = &schema.account;
    // Stages in the order the profile's stage map lists them (the pipeline's order).
    let order: Vec<String> = profile
        .values
        .get(&Target::field(Entity::Deal, "stage_id"))
        .map(|m| m.values().cloned().collect())
        .unwrap_or_default();
    let rank = |pipeline: &str, stage: &str| {
        order
            .iter()
            .position(|t| *t == format!("{pipeline}/{stage}") || t == stage)
            .unwrap_or(usize::MAX)
    };
    let mut used: Vec<&(String, String)> = export.tally.stages.iter().collect();
    used.sort_by_key(|(p, s)| rank(p, s));
    for (pipeline, stage) in used {
        let exists = account.pipelines.iter().any(|p| {
            p.name.eq_ignore_ascii_case(pipeline)
                && p.stages.iter().any(|s| s.eq_ignore_ascii_case(stage))
        });
        if !exists {
            let list = p.stages.entry(pipeline.clone()).or_default();
            if !list.contains(stage) {
                list.push(stage.clone());
            }
        }
    }
}

/// The activity types, labels and owners the export uses that the account lacks.
fn missing_account_values(export: &Export, schema: &Schema, p: &mut Prerequisites) {
    let account = &schema.account;
    for t in &export.tally.activity_types {
        if !account
            .activity_types
            .iter()
            .any(|a| a.key.eq_ignore_ascii_case(t) || a.name.eq_ignore_ascii_case(t))
        {
            p.activity_types.insert(t.clone());
        }
    }
    for (entity, labels) in &export.tally.labels {
        let have = account.labels_of(*entity);
        for l in labels {
            if !have.iter().any(|h| h.eq_ignore_ascii_case(l)) {
                p.labels.entry(*entity).or_default().insert(l.clone());
            }
        }
    }
    for o in &export.tally.owners {
        if !account
            .users
            .iter()
            .any(|u| u.email.eq_ignore_ascii_case(o) || u.name.eq_ignore_ascii_case(o))
        {
            p.owners.insert(o.clone());
        }
    }
}

/// The numbered import steps.
pub fn plan_steps(export: &Export, pre: &Prerequisites) -> Vec<String> {
    let mut steps = setup_steps(pre);
    import_steps(export, &mut steps);
    if export.summary.rejected > 0 {
        steps.push(format!(
            "Review rejects.csv: {} row(s) were not written and need fixing at the source.",
            export.summary.rejected
        ));
    }
    steps.push("After importing, filter each list by the import (Pipedrive's import history offers it) and compare the counts with summary.json; check persons without an organization and deals without a person.".to_string());
    steps
}

/// The steps that prepare the account: what [`prerequisites`] found missing.
fn setup_steps(pre: &Prerequisites) -> Vec<String> {
    let mut steps = Vec::new();
    if !pre.custom_fields.is_empty() {
        let list: Vec<String> = pre
            .custom_fields
            .iter()
            .map(|f| {
                if f.options.is_empty() {
                    format!("{} \"{}\" ({})", f.entity.title(), f.name, f.field_type)
                } else {
                    format!(
                        "{} \"{}\" ({} with options: {})",
                        f.entity.title(),
                        f.name,
                        f.field_type,
                        f.options.join(", ")
                    )
                }
            })
            .collect();
        steps.push(format!(
            "Create these custom fields in Pipedrive (Settings → Data fields): {}.",
            list.join("; ")
        ));
    }
    for (pipeline, stages) in &pre.stages {
        steps.push(format!(
            "Add to the pipeline \"{pipeline}\" (create it if missing) the stages: {}.",
            stages.join(", ")
        ));
    }
    if !pre.activity_types.is_empty() {
        steps.push(format!(
            "Add these activity types (Company settings → Activities): {}.",
            pre.activity_types
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (entity, labels) in &pre.labels {
        steps.push(format!(
            "Add these {} labels: {}.",
            entity.title().to_lowercase(),
            labels.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if !pre.owners.is_empty() {
        steps.push(format!("Make sure these owners are users of the account (invite them or map them in the profile's values): {}.", pre.owners.iter().cloned().collect::<Vec<_>>().join(", ")));
    }
    steps
}

/// A step per output file, in import order, with the relink step before the first file that
/// follows the last one links to names several records share.
fn import_steps(export: &Export, steps: &mut Vec<String>) {
    // Links to names several records share land exactly only through Pipedrive System IDs:
    // once the records they point at are imported, export those and relink the rest.
    let last_target = export.ambiguous.iter().map(|a| a.entity).max();
    let mut relink_said = false;
    for o in &export.summary.outputs {
        if let Some(last) = last_target
            && !relink_said
            && o.entity > last
        {
            let exported: Vec<&str> = Entity::ALL
                .iter()
                .filter(|e| **e <= last && export.summary.outputs.iter().any(|x| x.entity == **e))
                .map(|e| e.plural())
                .collect();
            steps.push(format!(
                "Export the imported {} from Pipedrive (each list view → export, with the ID and the source-id columns) and run `pipemap relink <this folder> --pipedrive-export <those files>`; import what follows from relinked/, where links carry Pipedrive System IDs ({} links point at names that several records share).",
                exported.join(", "),
                export.summary.ambiguous_links
            ));
            relink_said = true;
        }
        let advice = import_advice(o.entity, export.summary.combined.is_some());
        steps.push(format!(
            "Import {} ({} {}){advice}.",
            o.file,
            o.rows,
            o.entity.plural()
        ));
    }
}

/// What the import wizard should do with an entity's file; `combined` when each row wrote a
/// deal with its person and organization.
fn import_advice(entity: Entity, combined: bool) -> &'static str {
    match entity {
        Entity::Organization => {
            " — merge duplicates: organizations with the same name and address become one"
        }
        Entity::Person => {
            " — merge duplicates: a person with the same name and the same e-mail, phone or organization becomes one"
        }
        Entity::Deal if combined => {
            " — deals are never merged: each row makes a deal; keep duplicate merging on, so the person and organization written in each row (name with e-mail/phone, name with address) merge into the ones imported before, and the activity and note in a row are linked to that row's deal"
        }
        Entity::Deal => " — deals are never merged: each row makes a deal",
        Entity::Activity | Entity::Note => " — each row links by the names (or IDs) it carries",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_prepared_in_a_step_per_kind_of_thing_it_lacks() {
        let mut pre = Prerequisites::default();
        assert!(setup_steps(&pre).is_empty());
        pre.stages
            .insert("Sales".into(), vec!["Lead in".into(), "Won".into()]);
        pre.labels
            .entry(Entity::Person)
            .or_default()
            .insert("VIP".into());
        pre.owners.insert("ann@x.example".into());
        let steps = setup_steps(&pre);
        assert_eq!(steps.len(), 3);
        assert_eq!(
            steps[0],
            "Add to the pipeline \"Sales\" (create it if missing) the stages: Lead in, Won."
        );
        assert_eq!(steps[1], "Add these person labels: VIP.");
        assert!(steps[2].ends_with(": ann@x.example."), "{}", steps[2]);
    }

    #[test]
    fn deals_written_with_their_person_and_organization_are_told_to_keep_merging_on() {
        assert_eq!(
            import_advice(Entity::Deal, false),
            " — deals are never merged: each row makes a deal"
        );
        assert!(import_advice(Entity::Deal, true).contains("keep duplicate merging on"));
        assert_eq!(import_advice(Entity::Product, true), "");
    }
}
