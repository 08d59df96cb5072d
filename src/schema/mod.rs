//! What Pipedrive accepts: the built-in fields of every item type (from `assets/pipedrive/`),
//! the account's own custom fields (from the API's `*Fields` JSON), and the account's reference
//! data — pipelines and stages, users, activity types, labels.

mod account;
mod api_json;
pub mod snapshot;

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::entity::{Entity, Target};

pub use account::{Account, ActivityType, Pipeline, User};
pub use api_json::{field_from_api, is_hash_key, option_label};
pub use snapshot::Snapshot;

/// The built-in fields, taken from Pipedrive's API reference and import knowledge base.
const BUILTIN_FIELDS: &str = include_str!("../../assets/pipedrive/fields.yaml");
/// What a new Pipedrive account holds before anyone changes it.
const DEFAULT_ACCOUNT: &str = include_str!("../../assets/pipedrive/account.yaml");

/// Schema files larger than this are refused before parsing: Pipedrive's field lists of the
/// largest accounts are a few megabytes.
pub const MAX_SCHEMA_BYTES: u64 = 16 * 1024 * 1024;

fn too_large(file: &str, size: u64) -> SchemaError {
    SchemaError::Invalid {
        file: file.to_string(),
        message: format!(
            "refused: {size} bytes is too large for a schema file (at most {MAX_SCHEMA_BYTES})"
        ),
    }
}

/// A schema file that cannot be used, naming the file and the line or key.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The error's text is part of the message (not a separate cause), so it reads once.
    #[error("{file}: {error}")]
    Io { file: String, error: std::io::Error },
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// Whether `key` is one of the keys Pipedrive gives an address field's parts and coordinates
/// (`address_locality`, `address_lat`, `<hash>_postal_code`).
fn is_address_subfield(addresses: &[String], key: &str) -> bool {
    addresses.iter().any(|a| {
        key.strip_prefix(a.as_str())
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|rest| {
                rest == "lat"
                    || rest == "long"
                    || crate::address::AddressPart::ALL
                        .iter()
                        .any(|p| p.component() == rest)
            })
    })
}

/// One Pipedrive field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The API key: `name`, `email`, or a 40-hex hash for a custom field.
    pub key: String,
    /// The name Pipedrive shows (and its import wizard matches on).
    pub name: String,
    /// Pipedrive's field_type (`varchar`, `enum`, `monetary`, `date`, …).
    #[serde(rename = "type")]
    pub field_type: String,
    /// Required for the import to accept a row.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mandatory: bool,
    /// Holds several values, each with a label (e-mail, phone).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multi: bool,
    /// The labels of a multi-valued field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// The fixed options of an enum/set field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// The item type a link field points at (`organization`, `person`, `user` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// A remark on how the import treats the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// True for the account's own custom fields.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub custom: bool,
}

impl Field {
    /// True when the field takes one of a fixed set of values (enum/set options, stages,
    /// owners, activity types, labels, status).
    pub fn takes_fixed_values(&self) -> bool {
        !self.options.is_empty()
            || matches!(
                self.field_type.as_str(),
                "enum" | "set" | "stage" | "status" | "user" | "visible_to" | "label"
            )
            || matches!(
                self.key.as_str(),
                "type" | "label" | "stage_id" | "pipeline_id"
            )
    }

    /// True for an address field, which takes its value in parts (`crate::address`).
    pub fn is_address(&self) -> bool {
        self.field_type == "address"
    }

    /// True for a field that links to another item by name.
    pub fn is_relation(&self) -> bool {
        Entity::from_relation_key(&self.key).is_some()
    }
}

/// The fields of one item type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitySchema {
    pub entity: Entity,
    /// The item name the wizard uses (`Organization`).
    pub name: String,
    pub plural: String,
    pub fields: Vec<Field>,
}

impl EntitySchema {
    /// The field with this key.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldsFile {
    version: u32,
    entities: Vec<EntitySchema>,
}

/// Everything pipemap knows of the target: fields per entity and the account's reference data.
#[derive(Debug, Clone, Serialize)]
pub struct Schema {
    pub entities: Vec<EntitySchema>,
    pub account: Account,
    /// The files this schema was read from, after the built-ins.
    pub sources: Vec<String>,
}

impl Schema {
    /// The built-in fields and a new account's defaults.
    pub fn builtin() -> Schema {
        let fields: FieldsFile = serde_yaml::from_str(BUILTIN_FIELDS)
            .expect("assets/pipedrive/fields.yaml is checked by the test suite");
        debug_assert_eq!(fields.version, 1);
        let account = account::parse_yaml("assets/pipedrive/account.yaml", DEFAULT_ACCOUNT)
            .expect("assets/pipedrive/account.yaml is checked by the test suite");
        Schema {
            entities: fields.entities,
            account,
            sources: Vec::new(),
        }
    }

    /// The built-ins, updated by each file in turn: the API's `*Fields` JSON responses and
    /// account reference files (YAML or JSON with pipelines, users, activity types, labels).
    pub fn load(files: &[impl AsRef<Path>]) -> Result<Schema, SchemaError> {
        let mut schema = Schema::builtin();
        for file in files {
            schema.add_file(file.as_ref())?;
        }
        Ok(schema)
    }

    /// What every command that takes `--schema` reads: the given files when there are any,
    /// otherwise the account snapshot the last `pipemap account pull` saved, otherwise the
    /// built-ins alone.
    pub fn load_default(files: &[impl AsRef<Path>]) -> Result<Schema, SchemaError> {
        if !files.is_empty() {
            return Schema::load(files);
        }
        match snapshot::current_snapshot() {
            Some(path) => Schema::load(&[path]),
            None => Ok(Schema::builtin()),
        }
    }

    /// The built-ins updated by an account snapshot.
    pub fn from_snapshot(snapshot: &Snapshot) -> Schema {
        let mut schema = Schema::builtin();
        schema.add_snapshot(snapshot.clone());
        schema
    }

    fn add_snapshot(&mut self, snapshot: Snapshot) {
        for (entity, fields) in snapshot.fields {
            self.merge_fields(entity, fields);
        }
        self.account.merge(snapshot.account);
    }

    fn add_file(&mut self, path: &Path) -> Result<(), SchemaError> {
        let name = path.display().to_string();
        let io = |source| SchemaError::Io {
            file: name.clone(),
            error: source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_SCHEMA_BYTES {
            return Err(too_large(&name, size));
        }
        // Read no more than the cap even if the file grows after it was measured.
        let mut text = String::new();
        std::fs::File::open(path)
            .map_err(io)?
            .take(MAX_SCHEMA_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(io)?;
        self.add_text(&name, &text)
    }

    /// Adds one schema file's text, named `name` (its file name tells a `personFields.json`'s
    /// entity): an API `*Fields` response or an account reference file (YAML or JSON).
    /// Text over [`MAX_SCHEMA_BYTES`] is refused before parsing.
    pub fn add_text(&mut self, name: &str, text: &str) -> Result<(), SchemaError> {
        if text.len() as u64 > MAX_SCHEMA_BYTES {
            return Err(too_large(name, text.len() as u64));
        }
        if snapshot::looks_like_snapshot(text) {
            let snapshot = snapshot::parse(name, text)?;
            self.add_snapshot(snapshot);
        } else if api_json::looks_like_fields_response(text) {
            let (entity, fields) = api_json::parse_fields(name, Path::new(name), text)?;
            self.merge_fields(entity, fields);
        } else {
            let account = account::parse_any(name, text)?;
            self.account.merge(account);
        }
        self.sources.push(name.to_string());
        Ok(())
    }

    /// Adds the account's fields: built-ins are updated in place (options, names), custom
    /// fields are appended.
    fn merge_fields(&mut self, entity: Entity, fields: Vec<Field>) {
        let Some(schema) = self.entities.iter_mut().find(|e| e.entity == entity) else {
            return;
        };
        let addresses: Vec<String> = schema
            .fields
            .iter()
            .chain(&fields)
            .filter(|f| f.is_address())
            .map(|f| f.key.clone())
            .collect();
        for field in fields {
            // An address's parts (`address_locality`, "City/town/village/locality of Address")
            // are targets of the address field itself, not fields of their own.
            if is_address_subfield(&addresses, &field.key) {
                continue;
            }
            match schema.fields.iter_mut().find(|f| f.key == field.key) {
                Some(existing) => {
                    if !field.options.is_empty() {
                        existing.options = field.options;
                    }
                    existing.mandatory |= field.mandatory;
                }
                None => schema.fields.push(field),
            }
        }
    }

    /// The fields of one entity.
    pub fn entity(&self, entity: Entity) -> Option<&EntitySchema> {
        self.entities.iter().find(|e| e.entity == entity)
    }

    /// The field a target names, if the schema has it (None for custom-to-create and skip).
    pub fn field(&self, target: &Target) -> Option<&Field> {
        match target {
            Target::Field { entity, key, .. } => self.entity(*entity)?.field(key),
            _ => None,
        }
    }

    /// An account custom field whose name matches, so `person.custom:Industry` can be written
    /// to the field the account already has.
    pub fn custom_field_named(&self, entity: Entity, name: &str) -> Option<&Field> {
        self.entity(entity)?
            .fields
            .iter()
            .find(|f| f.custom && f.name.eq_ignore_ascii_case(name.trim()))
    }
}

/// A custom field that holds the source record's id ("Sell ID").
pub fn is_id_name(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    lower == "id" || lower.ends_with(" id")
}

/// What may stand before `ID` in the name of a column holding a record's own id, whatever
/// the record: the source, or the CRM it comes from (`Sell ID`, `Record Id`).
const OWN_ID_SOURCES: &[&str] = &[
    "record",
    "source",
    "legacy",
    "external",
    "original",
    "crm",
    "sell",
    "zendesk sell",
    "base",
    "salesforce",
    "hubspot",
    "zoho",
    "pipedrive",
    "dynamics",
    "dynamics 365",
    "sugarcrm",
    "suitecrm",
    "keap",
    "infusionsoft",
    "close",
    "capsule",
    "copper",
    "insightly",
    "highrise",
    "nutshell",
    "freshsales",
    "activecampaign",
];

/// The words a CRM names an entity's records by, which may stand before `ID` in the name of
/// the column holding their own ids (`ACCOUNTID` in an organization file, `Contact ID`).
fn own_id_words(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Organization => &[
            "account",
            "company",
            "organization",
            "organisation",
            "customer",
        ],
        Entity::Person => &["contact", "person", "people"],
        Entity::Deal => &["deal", "opportunity", "potential"],
        Entity::Lead => &["lead"],
        Entity::Activity => &["activity", "task", "event", "call", "meeting"],
        Entity::Note => &["note"],
        Entity::Product => &["product"],
    }
}

/// A column name that says it holds the records' own ids in an `entity` file: `ID`,
/// `Record Id`, `Sell ID`, `ACCOUNTID` (organizations) — not the id of something else the
/// record refers to (`Account Owner Id`, `Stage ID`), which [`is_id_name`] also takes.
pub fn is_record_id_name(name: &str, entity: Entity) -> bool {
    let lower = name.trim().to_lowercase();
    let Some(before) = lower.strip_suffix("id") else {
        return false;
    };
    let before = before.trim_end_matches([' ', '_', '-']).trim_start();
    before.is_empty() || OWN_ID_SOURCES.contains(&before) || own_id_words(entity).contains(&before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_records_own_id_is_told_from_the_ids_it_refers_to() {
        for (name, entity) in [
            ("ID", Entity::Person),
            ("Record Id", Entity::Deal),
            ("Sell ID", Entity::Person),
            ("Dynamics 365 ID", Entity::Activity),
            ("ACCOUNTID", Entity::Organization),
            ("Contact_ID", Entity::Person),
            ("Potential Id", Entity::Deal),
        ] {
            assert!(is_record_id_name(name, entity), "{name} ({entity})");
        }
        for (name, entity) in [
            ("Account Owner Id", Entity::Organization),
            ("Freshsales stage ID", Entity::Deal),
            ("ACCOUNTID", Entity::Person),
            ("Campaign Id", Entity::Deal),
            ("Paid", Entity::Deal),
            ("Identifier", Entity::Person),
        ] {
            assert!(!is_record_id_name(name, entity), "{name} ({entity})");
        }
    }

    #[test]
    fn builtins_cover_every_entity_with_its_mandatory_field() {
        let schema = Schema::builtin();
        for entity in Entity::ALL {
            let fields = schema.entity(entity).expect("entity in built-ins");
            assert!(!fields.fields.is_empty(), "{entity} has no fields");
        }
        let mandatory =
            |e: Entity, key: &str| schema.entity(e).unwrap().field(key).unwrap().mandatory;
        assert!(mandatory(Entity::Person, "name"));
        assert!(mandatory(Entity::Organization, "name"));
        assert!(mandatory(Entity::Deal, "title"));
        let email = schema
            .entity(Entity::Person)
            .unwrap()
            .field("email")
            .unwrap();
        assert!(email.multi && email.labels.contains(&"work".to_string()));
    }

    #[test]
    fn builtin_targets_parse_back() {
        let schema = Schema::builtin();
        for entity in &schema.entities {
            for field in &entity.fields {
                let target: Target = format!("{}.{}", entity.entity, field.key).parse().unwrap();
                assert!(schema.field(&target).is_some());
            }
        }
    }

    #[test]
    fn an_accounts_address_parts_are_parts_not_fields() {
        let mut schema = Schema::builtin();
        let field = |key: &str, name: &str, field_type: &str| Field {
            key: key.into(),
            name: name.into(),
            field_type: field_type.into(),
            mandatory: false,
            multi: false,
            labels: Vec::new(),
            options: Vec::new(),
            relation: None,
            note: None,
            custom: true,
        };
        let hash = "f148dbf6ca41b034b269938f225cb78674bff921";
        schema.merge_fields(
            Entity::Organization,
            vec![
                field(
                    "address_locality",
                    "City/town/village/locality of Address",
                    "varchar",
                ),
                field("address_lat", "Latitude of Address", "double"),
                field(hash, "Shipping address", "address"),
                field(
                    &format!("{hash}_postal_code"),
                    "ZIP/Postal code of Shipping address",
                    "varchar",
                ),
                field("address_book", "Address book", "varchar"),
            ],
        );
        let org = schema.entity(Entity::Organization).unwrap();
        assert!(org.field("address_locality").is_none());
        assert!(org.field("address_lat").is_none());
        assert!(org.field(&format!("{hash}_postal_code")).is_none());
        assert!(org.field(hash).is_some_and(Field::is_address));
        assert!(org.field("address_book").is_some());
    }

    #[test]
    fn default_account_has_a_pipeline_and_activity_types() {
        let schema = Schema::builtin();
        assert!(!schema.account.pipelines.is_empty());
        assert!(
            schema
                .account
                .activity_types
                .iter()
                .any(|t| t.key == "call")
        );
    }
}
