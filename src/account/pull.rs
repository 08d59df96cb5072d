//! `account pull`: the account read into a [`Snapshot`] that every command then uses as its
//! schema, and what changed since the previous pull of the same company.

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use super::diff::{Change, diff};
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
                    &serde_json::Value::Bool(f.mandatory),
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
