//! OUT/account-manifest.json: every object `account prepare --apply` created in the account
//! for this export, written after each creation, and what `account undo` removed since. It
//! is what undo works from, so it is rewritten whole (temporary file, then rename) and never
//! left half-written.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AccountError;
use crate::entity::Entity;

/// The manifest's file name in the export folder.
pub const MANIFEST_FILE: &str = "account-manifest.json";
/// 2 since API v2: custom fields are recorded by their code, options with their field's code.
const MANIFEST_VERSION: u32 = 2;

/// What kind of object an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A custom field of a person, organization, deal or product.
    CustomField,
    Pipeline,
    Stage,
    ActivityType,
    LeadLabel,
    /// A label of persons, organizations or deals: an option of their `label` field.
    LabelOption,
    /// An option added to a dropdown (enum or set) custom field the account already had.
    FieldOption,
    /// An activity `link --apply` created with exact links.
    Activity,
    /// A note `link --apply` created with exact links.
    Note,
    /// A deal or lead whose person or organization `link --apply` corrected.
    Relinked,
}

impl Kind {
    /// How a sentence names it.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::CustomField => "field",
            Kind::Pipeline => "pipeline",
            Kind::Stage => "stage",
            Kind::ActivityType => "activity type",
            Kind::LeadLabel => "lead label",
            Kind::LabelOption => "label",
            Kind::FieldOption => "field option",
            Kind::Activity => "activity",
            Kind::Note => "note",
            Kind::Relinked => "links of",
        }
    }
}

/// One object created (or removed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: Kind,
    /// Its id in Pipedrive (a number, or a UUID for lead labels).
    pub id: Value,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<Entity>,
    /// The pipeline a stage belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<String>,
    /// The code of the field an option belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_code: Option<String>,
    /// The numeric id of the field an option belongs to, as manifests of version 1 (written
    /// through API v1) recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_id: Option<i64>,
    /// The export row it was made from, for an activity or note: `05-activities.csv#12`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// For a corrected record: its links before (what undo puts back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// When it was created (in `created`) or removed (in `removed`), RFC 3339.
    pub time: String,
    /// How a removal went: `deleted`, or `already gone` when someone removed it first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

impl Entry {
    /// Words for the entry: `person field "Tier"`, `stage "Won" in "Sales"`.
    pub fn describe(&self) -> String {
        let mut s = match self.entity {
            Some(e) => format!("{e} {} \"{}\"", self.kind.noun(), self.name),
            None => format!("{} \"{}\"", self.kind.noun(), self.name),
        };
        if let Some(p) = &self.pipeline {
            s.push_str(&format!(" in pipeline \"{p}\""));
        }
        s
    }

    fn same_object(&self, other: &Entry) -> bool {
        self.kind == other.kind
            && self.id == other.id
            && self.field_code == other.field_code
            && self.field_id == other.field_id
    }
}

/// The manifest of one export folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// The company whose account the objects are in.
    pub company_domain: String,
    pub created: Vec<Entry>,
    #[serde(default)]
    pub removed: Vec<Entry>,
}

impl Manifest {
    /// Refuses a manifest written for another company than the token's.
    pub fn check_company(&self, me: &super::Me) -> Result<(), AccountError> {
        if self.company_domain.eq_ignore_ascii_case(&me.company_domain) {
            Ok(())
        } else {
            Err(AccountError::WrongCompany {
                asked: self.company_domain.clone(),
                token: me.company_domain.clone(),
            })
        }
    }

    /// An empty manifest for a company.
    pub fn new(company_domain: &str) -> Manifest {
        Manifest {
            version: MANIFEST_VERSION,
            company_domain: company_domain.to_string(),
            created: Vec::new(),
            removed: Vec::new(),
        }
    }

    /// The manifest path of an export folder.
    pub fn path(out: &Path) -> PathBuf {
        out.join(MANIFEST_FILE)
    }

    /// The folder's manifest, if one was written.
    pub fn load(out: &Path) -> Result<Option<Manifest>, AccountError> {
        let path = Manifest::path(out);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(AccountError::Io {
                    path: path.display().to_string(),
                    error: source,
                });
            }
        };
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| AccountError::Export {
            path: path.display().to_string(),
            message: format!("not a pipemap account manifest: {e}"),
        })?;
        if manifest.version > MANIFEST_VERSION {
            return Err(AccountError::Export {
                path: path.display().to_string(),
                message: "written by a newer pipemap".into(),
            });
        }
        // Earlier versions' entries are still understood; it is saved in this version's form.
        let mut manifest = manifest;
        manifest.version = MANIFEST_VERSION;
        Ok(Some(manifest))
    }

    /// Writes the manifest whole: to a temporary file in the folder, then renamed.
    pub fn save(&self, out: &Path) -> Result<(), AccountError> {
        let path = Manifest::path(out);
        let io = |source| AccountError::Io {
            path: path.display().to_string(),
            error: source,
        };
        let text = serde_json::to_string_pretty(self).expect("a manifest serialises") + "\n";
        let mut tmp = tempfile::NamedTempFile::new_in(out).map_err(io)?;
        tmp.write_all(text.as_bytes()).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(&path).map_err(|e| io(e.error))?;
        Ok(())
    }

    /// Created objects not removed yet, newest first (the order undo takes them in).
    pub fn still_present(&self) -> Vec<Entry> {
        self.created
            .iter()
            .rev()
            .filter(|c| !self.removed.iter().any(|r| r.same_object(c)))
            .cloned()
            .collect()
    }
}
