//! What changed in the account between two pulls: fields (by key, so a rename is one
//! change), options, pipelines and stages, users, activity types, labels.

use std::collections::BTreeSet;
use std::fmt;

use crate::entity::Entity;
use crate::schema::Account;
use crate::schema::snapshot::Snapshot;

/// One difference between two pulls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    FieldAdded {
        entity: Entity,
        name: String,
        field_type: String,
    },
    FieldRemoved {
        entity: Entity,
        name: String,
    },
    FieldRenamed {
        entity: Entity,
        from: String,
        to: String,
    },
    OptionsAdded {
        entity: Entity,
        field: String,
        options: Vec<String>,
    },
    OptionsRemoved {
        entity: Entity,
        field: String,
        options: Vec<String>,
    },
    PipelineAdded(String),
    PipelineRemoved(String),
    StagesAdded {
        pipeline: String,
        stages: Vec<String>,
    },
    StagesRemoved {
        pipeline: String,
        stages: Vec<String>,
    },
    UserAdded(String),
    UserRemoved(String),
    ActivityTypeAdded(String),
    ActivityTypeRemoved(String),
    LabelsAdded {
        entity: Entity,
        labels: Vec<String>,
    },
    LabelsRemoved {
        entity: Entity,
        labels: Vec<String>,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[String]| v.join(", ");
        match self {
            Change::FieldAdded {
                entity,
                name,
                field_type,
            } => write!(f, "+ {entity} field \"{name}\" ({field_type})"),
            Change::FieldRemoved { entity, name } => write!(f, "- {entity} field \"{name}\""),
            Change::FieldRenamed { entity, from, to } => {
                write!(f, "~ {entity} field \"{from}\" renamed to \"{to}\"")
            }
            Change::OptionsAdded {
                entity,
                field,
                options,
            } => write!(f, "+ {entity} field \"{field}\" options: {}", list(options)),
            Change::OptionsRemoved {
                entity,
                field,
                options,
            } => write!(f, "- {entity} field \"{field}\" options: {}", list(options)),
            Change::PipelineAdded(p) => write!(f, "+ pipeline \"{p}\""),
            Change::PipelineRemoved(p) => write!(f, "- pipeline \"{p}\""),
            Change::StagesAdded { pipeline, stages } => {
                write!(f, "+ stages in \"{pipeline}\": {}", list(stages))
            }
            Change::StagesRemoved { pipeline, stages } => {
                write!(f, "- stages in \"{pipeline}\": {}", list(stages))
            }
            Change::UserAdded(u) => write!(f, "+ user {u}"),
            Change::UserRemoved(u) => write!(f, "- user {u}"),
            Change::ActivityTypeAdded(t) => write!(f, "+ activity type \"{t}\""),
            Change::ActivityTypeRemoved(t) => write!(f, "- activity type \"{t}\""),
            Change::LabelsAdded { entity, labels } => {
                write!(f, "+ {entity} labels: {}", list(labels))
            }
            Change::LabelsRemoved { entity, labels } => {
                write!(f, "- {entity} labels: {}", list(labels))
            }
        }
    }
}

/// Items of `new` not in `old`, and of `old` not in `new`, each in its list's order.
fn added_removed(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let o: BTreeSet<&String> = old.iter().collect();
    let n: BTreeSet<&String> = new.iter().collect();
    (
        new.iter().filter(|x| !o.contains(x)).cloned().collect(),
        old.iter().filter(|x| !n.contains(x)).cloned().collect(),
    )
}

/// What changed from `old` to `new`: fields (by key, so a rename is one change), options,
/// pipelines and stages, users, activity types, labels.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let mut changes = Vec::new();
    let entities: BTreeSet<&Entity> = old.fields.keys().chain(new.fields.keys()).collect();
    for entity in entities {
        let before = old.fields.get(entity).map_or(&[][..], Vec::as_slice);
        let after = new.fields.get(entity).map_or(&[][..], Vec::as_slice);
        for f in after {
            match before.iter().find(|b| b.key == f.key) {
                None => changes.push(Change::FieldAdded {
                    entity: *entity,
                    name: f.name.clone(),
                    field_type: f.field_type.clone(),
                }),
                Some(b) => {
                    if b.name != f.name {
                        changes.push(Change::FieldRenamed {
                            entity: *entity,
                            from: b.name.clone(),
                            to: f.name.clone(),
                        });
                    }
                    let (added, removed) = added_removed(&b.options, &f.options);
                    if !added.is_empty() {
                        changes.push(Change::OptionsAdded {
                            entity: *entity,
                            field: f.name.clone(),
                            options: added,
                        });
                    }
                    if !removed.is_empty() {
                        changes.push(Change::OptionsRemoved {
                            entity: *entity,
                            field: f.name.clone(),
                            options: removed,
                        });
                    }
                }
            }
        }
        for b in before
            .iter()
            .filter(|b| !after.iter().any(|f| f.key == b.key))
        {
            changes.push(Change::FieldRemoved {
                entity: *entity,
                name: b.name.clone(),
            });
        }
    }
    let (a, o) = (&new.account, &old.account);
    for p in &a.pipelines {
        match o.pipelines.iter().find(|q| q.name == p.name) {
            None => changes.push(Change::PipelineAdded(p.name.clone())),
            Some(q) => {
                let (added, removed) = added_removed(&q.stages, &p.stages);
                if !added.is_empty() {
                    changes.push(Change::StagesAdded {
                        pipeline: p.name.clone(),
                        stages: added,
                    });
                }
                if !removed.is_empty() {
                    changes.push(Change::StagesRemoved {
                        pipeline: p.name.clone(),
                        stages: removed,
                    });
                }
            }
        }
    }
    for q in o
        .pipelines
        .iter()
        .filter(|q| !a.pipelines.iter().any(|p| p.name == q.name))
    {
        changes.push(Change::PipelineRemoved(q.name.clone()));
    }
    let emails = |acc: &Account| {
        acc.users
            .iter()
            .map(|u| u.email.clone())
            .collect::<Vec<_>>()
    };
    let (added, removed) = added_removed(&emails(o), &emails(a));
    changes.extend(added.into_iter().map(Change::UserAdded));
    changes.extend(removed.into_iter().map(Change::UserRemoved));
    let types = |acc: &Account| {
        acc.activity_types
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
    };
    let (added, removed) = added_removed(&types(o), &types(a));
    changes.extend(added.into_iter().map(Change::ActivityTypeAdded));
    changes.extend(removed.into_iter().map(Change::ActivityTypeRemoved));
    let label_entities: BTreeSet<&Entity> = o.labels.keys().chain(a.labels.keys()).collect();
    for entity in label_entities {
        let (added, removed) = added_removed(o.labels_of(*entity), a.labels_of(*entity));
        if !added.is_empty() {
            changes.push(Change::LabelsAdded {
                entity: *entity,
                labels: added,
            });
        }
        if !removed.is_empty() {
            changes.push(Change::LabelsRemoved {
                entity: *entity,
                labels: removed,
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::schema::snapshot::SNAPSHOT_VERSION;
    use crate::schema::{Field, Pipeline, field_from_api};

    fn field(key: &str, name: &str, options: &[&str]) -> Field {
        let mut f = field_from_api(
            key.into(),
            name.into(),
            "enum".into(),
            options.iter().map(|s| s.to_string()).collect(),
            &serde_json::Value::Bool(false),
        );
        f.custom = true;
        f
    }

    fn snapshot(fields: Vec<Field>, stages: &[&str]) -> Snapshot {
        Snapshot {
            pipemap_account_snapshot: SNAPSHOT_VERSION,
            company_domain: "acme".into(),
            company_name: None,
            pulled_at: String::new(),
            fields: BTreeMap::from([(Entity::Person, fields)]),
            account: Account {
                pipelines: vec![Pipeline {
                    name: "Sales".into(),
                    stages: stages.iter().map(|s| s.to_string()).collect(),
                }],
                ..Account::default()
            },
        }
    }

    #[test]
    fn a_diff_names_renames_options_and_stages() {
        let k1 = "a".repeat(40);
        let k2 = "b".repeat(40);
        let old = snapshot(vec![field(&k1, "Tier", &["Gold"])], &["Lead"]);
        let new = snapshot(
            vec![
                field(&k1, "Level", &["Gold", "Silver"]),
                field(&k2, "Region", &[]),
            ],
            &["Lead", "Won"],
        );
        let lines: Vec<String> = diff(&old, &new).iter().map(|c| c.to_string()).collect();
        assert_eq!(
            lines,
            [
                "~ person field \"Tier\" renamed to \"Level\"",
                "+ person field \"Level\" options: Silver",
                "+ person field \"Region\" (enum)",
                "+ stages in \"Sales\": Won",
            ]
        );
        assert!(diff(&new, &new).is_empty());
    }
}
