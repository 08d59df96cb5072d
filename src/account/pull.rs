//! `account pull`: the account read into a [`Snapshot`] that every command then uses as its
//! schema, and what changed since the previous pull of the same company.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use super::remote::Remote;
use super::{AccountError, Client, Me};
use crate::entity::Entity;
use crate::schema::snapshot::{self, SNAPSHOT_VERSION, Snapshot};
use crate::schema::{Account, ActivityType, Field, Pipeline, Schema, User, field_from_api};

/// What a pull did.
#[derive(Debug)]
pub struct Pulled {
    pub snapshot: Snapshot,
    /// Where the snapshot was saved.
    pub path: PathBuf,
    /// False on the first pull of this company.
    pub had_previous: bool,
    /// What changed since the previous pull (empty on the first).
    pub changes: Vec<Change>,
}

/// Reads the account, saves the snapshot as the current one and compares it with the last.
pub fn pull(client: &mut Client, me: &Me) -> Result<Pulled, AccountError> {
    let remote = Remote::read(client, me)?;
    let snapshot = to_snapshot(&remote, super::now());
    let previous = snapshot::load_saved(&snapshot.company_domain);
    let changes = previous
        .as_ref()
        .map(|p| diff(p, &snapshot))
        .unwrap_or_default();
    let path = snapshot::save(&snapshot)?;
    Ok(Pulled {
        snapshot,
        path,
        had_previous: previous.is_some(),
        changes,
    })
}

/// The snapshot of what was read. Fields kept: custom ones, and built-in ones pipemap maps
/// onto (their options, such as labels, are the account's); read-only system fields such as
/// `add_time` are left out, as the import cannot write them.
pub fn to_snapshot(remote: &Remote, pulled_at: String) -> Snapshot {
    let builtin = Schema::builtin();
    let mut fields = BTreeMap::new();
    for (entity, list) in &remote.fields {
        let known = builtin.entity(*entity);
        let kept: Vec<Field> = list
            .iter()
            .map(|f| {
                let options = f.options.iter().map(|o| o.text()).collect();
                field_from_api(
                    f.key.clone(),
                    f.name.clone(),
                    f.field_type.clone(),
                    options,
                    &f.mandatory_flag,
                )
            })
            .filter(|f| f.custom || known.is_some_and(|k| k.field(&f.key).is_some()))
            .collect();
        fields.insert(*entity, kept);
    }
    let pipelines = remote
        .pipelines
        .iter()
        .map(|p| Pipeline {
            name: p.name.clone(),
            stages: remote
                .stages_of(p.id)
                .into_iter()
                .map(|s| s.name.clone())
                .collect(),
        })
        .collect();
    let mut labels = BTreeMap::new();
    for entity in [Entity::Person, Entity::Organization, Entity::Deal] {
        let options = remote
            .label_field(entity)
            .map(|f| f.options.iter().map(|o| o.text()).collect())
            .unwrap_or_default();
        labels.insert(entity, options);
    }
    labels.insert(
        Entity::Lead,
        remote.lead_labels.iter().map(|l| l.name.clone()).collect(),
    );
    let account = Account {
        pipelines,
        users: remote
            .users
            .iter()
            .filter(|u| u.active_flag)
            .map(|u| User {
                name: u.name.clone(),
                email: u.email.clone(),
            })
            .collect(),
        activity_types: remote
            .activity_types
            .iter()
            .filter(|t| t.active_flag)
            .map(|t| ActivityType {
                key: t.key_string.clone(),
                name: t.name.clone(),
            })
            .collect(),
        labels,
        currencies: remote.currencies.iter().map(|c| c.code.clone()).collect(),
        default_currency: remote.me.default_currency.clone(),
    };
    Snapshot {
        pipemap_account_snapshot: SNAPSHOT_VERSION,
        company_domain: remote.me.company_domain.clone(),
        company_name: remote.me.company_name.clone(),
        pulled_at,
        fields,
        account,
    }
}

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
        for b in before.iter().filter(|b| !after.iter().any(|f| f.key == b.key)) {
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
    for q in o.pipelines.iter().filter(|q| !a.pipelines.iter().any(|p| p.name == q.name)) {
        changes.push(Change::PipelineRemoved(q.name.clone()));
    }
    let emails = |acc: &Account| acc.users.iter().map(|u| u.email.clone()).collect::<Vec<_>>();
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
    use super::*;

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
