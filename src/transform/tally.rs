//! What an export counts as it goes, for summary.json and the audit report: rows per file,
//! records per entity, problems per column, values the profile did not map, and what the
//! Pipedrive account must hold before the files are imported.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::entity::{Entity, Target};

/// Counts for one source file. `rows_in = rows_out + merged + rejected` always.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileCounts {
    pub file: String,
    pub entity: Entity,
    pub rows_in: u64,
    pub rows_out: u64,
    pub merged: u64,
    pub rejected: u64,
    /// Rows written with a value moved to the note or a link left out.
    pub with_warnings: u64,
    /// Rows that became the split entity (Sell contacts that are companies).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub split_rows: u64,
}

impl FileCounts {
    /// A file with nothing counted yet.
    pub fn new(file: &str, entity: Entity) -> FileCounts {
        FileCounts {
            file: file.to_string(),
            entity,
            rows_in: 0,
            rows_out: 0,
            merged: 0,
            rejected: 0,
            with_warnings: 0,
            split_rows: 0,
        }
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One written output file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputFile {
    pub file: String,
    pub entity: Entity,
    pub rows: u64,
}

/// Per source column: how often it had a value and how often it caused a problem.
#[derive(Debug, Clone, Default)]
pub struct ColumnTally {
    pub filled: u64,
    pub problems: u64,
}

/// Everything counted during one export.
#[derive(Debug, Default)]
pub struct Tally {
    pub files: Vec<FileCounts>,
    /// Per file, per column: counts.
    pub columns: Vec<Vec<ColumnTally>>,
    /// Values a value map lacked: target → value → rows.
    pub unmapped: BTreeMap<Target, FxHashMap<String, u64>>,
    /// Records written per entity, including records a row described besides its own.
    pub records: BTreeMap<Entity, u64>,
    /// Organizations and persons written only because other rows link to them by name.
    pub created_for_links: BTreeMap<Entity, u64>,
    pub unresolved_links: u64,
    /// Links resolved through the ids of another file, and links written by name.
    pub links_by_id: u64,
    pub links_by_name: u64,
    /// A few unresolved links (`file:line column=value`), for the report.
    pub unresolved_examples: Vec<String>,
    /// A few records written for links, per entity.
    pub created_examples: BTreeMap<Entity, Vec<String>>,
    /// Records written for links whose name is another spelling of an existing record's:
    /// (entity, the linked name, the existing record's name).
    pub suspect_created: Vec<(Entity, String, String)>,
    /// Cells that spreadsheet programs would run as formulas.
    pub formula_cells: u64,
    /// Stage paths ("Pipeline/Stage"), activity types, labels and owners the output uses.
    pub stages: BTreeSet<(String, String)>,
    pub activity_types: BTreeSet<String>,
    pub labels: BTreeMap<Entity, BTreeSet<String>>,
    pub owners: BTreeSet<String>,
    /// The values written to custom option fields (enum/set), which become their options.
    pub custom_options: BTreeMap<Entity, BTreeMap<String, BTreeSet<String>>>,
}

/// How many examples each list of the link audit keeps.
pub const EXAMPLES: usize = 5;

impl Tally {
    /// Counts a value the profile did not map.
    pub fn unmapped_value(&mut self, target: Target, value: String) {
        let values = match self.unmapped.get_mut(&target) {
            Some(values) => values,
            None => self.unmapped.entry(target).or_default(),
        };
        *values.entry(value).or_default() += 1;
    }
}
