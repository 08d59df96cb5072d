//! The mapping a user keeps: which file becomes which entity, where each column goes, how
//! values translate, and the duplicate decisions. Written as YAML (`version: 1`), matched to new
//! exports by their headers, never by their paths.

pub mod drift;
mod keys;
pub mod library;
mod load;
mod split;

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::entity::{Entity, Target};

pub use load::{MAX_PROFILE_BYTES, ProfileError, from_yaml, to_yaml, validate};
pub use split::{Split, SplitBy, SplitSide, is_true, named_kind};

/// A profile's duplicate settings are duplicate detection's own type, embedded here.
pub use crate::dedupe::{Decision, DedupeSettings};

/// The profile format this build reads and writes.
pub const VERSION: u32 = 1;

/// A complete, reusable mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The CRM the exports come from (`zendesk-sell`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_crm: Option<String>,
    pub files: Vec<FileMapping>,
    /// Value maps by target (`deal.stage_id`): source value → Pipedrive value, in the order
    /// written (a stage map's order is the pipeline's order).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<Target, IndexMap<String, String>>,
    /// Duplicate handling per entity.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dedupe: BTreeMap<Entity, DedupeSettings>,
    #[serde(default, skip_serializing_if = "Options::is_default")]
    pub options: Options,
}

/// How one source file is recognised and mapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMapping {
    #[serde(rename = "match")]
    pub matcher: Match,
    /// The entity each row becomes.
    pub entity: Entity,
    /// Rows that become another entity, chosen by a column: a yes/no one (Sell's contacts:
    /// persons and companies) or one naming each row's kind (Capsule's parties).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// Source column → where it goes, in the file's column order.
    pub columns: IndexMap<String, ColumnSpec>,
}

/// How a new export's file is recognised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Match {
    /// Every one of these headers must be present (compared without regard to case).
    pub headers_include: Vec<String>,
    /// False: the file must hold every header above. True (the default): a file lacking some
    /// of them is still this file when the mapping explains most of it (a report export with
    /// the user's chosen columns). A mapping of display labels other CRMs share (`First
    /// Name`, `Phone`, `Tags`) says false, or it would claim their files too.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub partial: bool,
}

fn yes() -> bool {
    true
}

fn is_yes(value: &bool) -> bool {
    *value
}

/// Where a column goes: a plain target, or a target with options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColumnSpec {
    Target(Target),
    Detailed(ColumnDetail),
}

/// A column's target with the options it needs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDetail {
    /// The target; absent for a link chosen per row by `link_by`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// Splits a cell holding several values (tags, e-mails) on this separator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    /// The Pipedrive field type of a custom field to create (`enum`, `date`, `double` …).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub field_type: Option<String>,
    /// For ambiguous numeric dates: `dmy` or `mdy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<String>,
    /// A link whose entity another column names per row (Sell's `taskable_type`): this column
    /// holds the linked record's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_by: Option<String>,
    /// With `link_by`: the type column's values → the entity linked.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, Entity>,
    /// A link by id to a record of any of these entities, the id alone telling which (ids
    /// unique across the CRM's objects, such as Salesforce's `WhatId`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Entity>,
}

impl ColumnSpec {
    /// The target, when the column has one fixed target.
    pub fn target(&self) -> Option<&Target> {
        match self {
            ColumnSpec::Target(t) => Some(t),
            ColumnSpec::Detailed(d) => d.target.as_ref(),
        }
    }

    /// The options, with defaults for a plain target.
    pub fn detail(&self) -> ColumnDetail {
        match self {
            ColumnSpec::Target(t) => ColumnDetail {
                target: Some(t.clone()),
                ..ColumnDetail::default()
            },
            ColumnSpec::Detailed(d) => d.clone(),
        }
    }

    /// True for `skip`.
    pub fn is_skip(&self) -> bool {
        matches!(self.target(), Some(Target::Skip))
    }
}

/// Export options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Neutralise cells that spreadsheet programs would run as formulas.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub escape_formulas: bool,
    /// The currency of amounts that carry none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<String>,
    /// `separate` (one file per entity) or `combined` (deal rows also carry their first
    /// activity and note and their contacts' details; see docs/links.md).
    #[serde(default, skip_serializing_if = "OutputLayout::is_separate")]
    pub layout: OutputLayout,
}

/// How the export lays records out over its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OutputLayout {
    /// One file per entity, linked by names.
    #[default]
    Separate,
    /// As separate, and each deal row carries its first activity, its first note (when it has
    /// none of its own) and its person's e-mail and phone and organization's address, which the
    /// import links to that deal and matches exactly.
    Combined,
}

impl OutputLayout {
    fn is_separate(&self) -> bool {
        *self == OutputLayout::Separate
    }
}

impl Options {
    fn is_default(&self) -> bool {
        *self == Options::default()
    }
}

impl Profile {
    /// An empty profile with a name.
    pub fn new(name: &str) -> Profile {
        Profile {
            version: VERSION,
            name: name.to_string(),
            description: None,
            source_crm: None,
            files: Vec::new(),
            values: BTreeMap::new(),
            dedupe: BTreeMap::new(),
            options: Options::default(),
        }
    }

    /// The file mapping that fits these headers best: every `headers_include` present, the most
    /// specific match first. Failing that, the mapping that explains most of the file — a CRM's
    /// report export holds a chosen subset of its columns, so a marker may be missing — when it
    /// knows three or more of the file's headers and at least half of them (60 % when none of
    /// its markers is there). Returns its index and the share of the file's headers it maps.
    pub fn match_file(&self, headers: &[String]) -> Option<(usize, f64)> {
        let lower: std::collections::HashSet<String> =
            headers.iter().map(|h| h.trim().to_lowercase()).collect();
        // The file's headers a mapping knows. Small ones are compared pairwise; past that, by
        // ASCII-lowercased name in a set, one look-up per header (linear in tens of thousands
        // of columns, where comparing every pair is quadratic).
        let known_of = |file: &FileMapping| {
            if headers.len().saturating_mul(file.columns.len()) <= 4096 {
                return headers
                    .iter()
                    .filter(|h| {
                        file.columns
                            .keys()
                            .any(|c| c.eq_ignore_ascii_case(h.trim()))
                    })
                    .count();
            }
            let names: std::collections::HashSet<String> = file
                .columns
                .keys()
                .map(|c| c.to_ascii_lowercase())
                .collect();
            headers
                .iter()
                .filter(|h| names.contains(&h.trim().to_ascii_lowercase()))
                .count()
        };
        let mut best: Option<(usize, usize, f64)> = None;
        let mut partial: Option<(usize, f64)> = None;
        for (i, file) in self.files.iter().enumerate() {
            let need = &file.matcher.headers_include;
            if need.is_empty() {
                continue;
            }
            // A mapping that splits rows on a column the file lacks cannot export it.
            if let Some(split) = &file.split
                && !lower.contains(&split.column.trim().to_lowercase())
            {
                continue;
            }
            let present = need
                .iter()
                .filter(|h| lower.contains(&h.trim().to_lowercase()))
                .count();
            let known = known_of(file);
            let share = known as f64 / headers.len().max(1) as f64;
            if present < need.len() {
                if !file.matcher.partial {
                    continue;
                }
                // Without a marker, the mapping must explain more of the file.
                let enough = if present > 0 { 0.5 } else { 0.6 };
                if known >= 3 && share >= enough && partial.is_none_or(|(_, s)| share > s) {
                    partial = Some((i, share));
                }
                continue;
            }
            // Of the mappings whose markers are all present, the one that explains most of the
            // file: a file whose headers include another file's (persons.csv with `ID, Name`
            // and an organization id, beside organizations.csv with `ID, Name`) is its own.
            let better = |(_, n, s): (usize, usize, f64)| {
                share > s + 1e-9 || ((share - s).abs() <= 1e-9 && need.len() > n)
            };
            if best.is_none_or(better) {
                best = Some((i, need.len(), share));
            }
        }
        if best.is_none() {
            return partial;
        }
        best.map(|(i, _, share)| (i, share))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_report_export_with_a_subset_of_the_columns_is_matched_by_what_it_explains() {
        let yaml = "version: 1\nname: t\nfiles:\n  - match: {headers_include: [AccountNumber, BillingStreet]}\n    entity: organization\n    columns: {Id: skip, Name: organization.name, BillingCity: skip, Industry: skip, Phone: skip}\n  - match: {headers_include: [Email, LastName]}\n    entity: person\n    columns: {Id: skip, LastName: person.last_name, Email: person.email:work}\n";
        let p = crate::profile::from_yaml("t", yaml).unwrap();
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // No marker, but the organization mapping knows 4 of 5 headers.
        let report = h(&["Id", "Name", "BillingCity", "Industry", "Rating"]);
        assert_eq!(p.match_file(&report).map(|m| m.0), Some(0));
        // Too little of the file explained: no match.
        assert_eq!(p.match_file(&h(&["Id", "Name", "A", "B", "C", "D"])), None);
        // Every marker present still wins.
        let person = h(&["Id", "Email", "LastName"]);
        assert_eq!(p.match_file(&person).map(|m| m.0), Some(1));
    }

    #[test]
    fn a_file_whose_headers_include_another_files_is_matched_by_its_own_mapping() {
        let yaml = "version: 1\nname: t\nfiles:\n  - match: {headers_include: [ID, Name]}\n    entity: organization\n    columns: {ID: skip, Name: organization.name}\n  - match: {headers_include: [Org ID]}\n    entity: person\n    columns: {ID: skip, Name: person.name, Org ID: person.org_id}\n";
        let p = crate::profile::from_yaml("t", yaml).unwrap();
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            p.match_file(&h(&["ID", "Name", "Org ID"])).map(|m| m.0),
            Some(1)
        );
        assert_eq!(p.match_file(&h(&["ID", "Name"])).map(|m| m.0), Some(0));
    }

    #[test]
    fn a_mapping_that_splits_on_a_column_the_file_lacks_is_no_match() {
        let yaml = "version: 1\nname: t\nfiles:\n  - match: {headers_include: [is_org, org]}\n    entity: person\n    split: {column: is_org, \"true\": organization}\n    columns: {name: person.name, email: person.email, city: skip, is_org: skip}\n";
        let p = crate::profile::from_yaml("t", yaml).unwrap();
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(p.match_file(&h(&["Name", "Email", "City"])), None);
        let with_split = h(&["Name", "Email", "City", "is_org"]);
        assert_eq!(p.match_file(&with_split).map(|m| m.0), Some(0));
    }
}
