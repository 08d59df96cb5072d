//! summary.json, the export's own account of itself: the counts, the import plan, and what the
//! Pipedrive account must hold before the files are imported. Written by the export and read
//! by `plan`, `relink`, `link` and `account prepare`, all through this one type (as ripgrep's
//! JSON printer, crates/printer/src/jsont.rs, gives its messages one typed shape).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::entity::Entity;
use crate::report::Prerequisites;
use crate::transform::result::Summary;

/// The file's name in an export folder.
pub const FILE: &str = "summary.json";

/// summary.json. Every part may be missing when read (a file written by hand, or by an older
/// pipemap): it reads as empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryFile {
    /// The counts.
    #[serde(flatten)]
    pub summary: Summary,
    /// The numbered import steps, as sentences.
    pub plan: Vec<String>,
    pub custom_fields_to_create: Vec<FieldToCreate>,
    /// Per pipeline, its stages to add, in the plan's order.
    pub stages_to_create: Vec<StagesToCreate>,
    pub activity_types_to_create: Vec<String>,
    pub labels_to_create: BTreeMap<Entity, Vec<String>>,
}

/// A custom field the export writes to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldToCreate {
    pub entity: Entity,
    pub name: String,
    pub field_type: String,
    /// The options of an enum or set field.
    #[serde(default)]
    pub options: Vec<String>,
}

/// Stages of one pipeline, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StagesToCreate {
    pub pipeline: String,
    pub stages: Vec<String>,
}

/// summary.json could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SummaryFileError {
    /// The folder holds no summary.json: not an export folder.
    #[error("{}: {error}", path.display())]
    Missing {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The file is not a summary.
    #[error("{}: {error}", path.display())]
    Invalid {
        path: PathBuf,
        error: serde_json::Error,
    },
}

impl SummaryFile {
    /// The file of an export with these counts, steps and prerequisites.
    pub fn new(summary: Summary, plan: Vec<String>, pre: &Prerequisites) -> SummaryFile {
        SummaryFile {
            summary,
            plan,
            custom_fields_to_create: pre
                .custom_fields
                .iter()
                .map(|f| FieldToCreate {
                    entity: f.entity,
                    name: f.name.clone(),
                    field_type: f.field_type.clone(),
                    options: f.options.clone(),
                })
                .collect(),
            stages_to_create: pre
                .stages
                .iter()
                .map(|(pipeline, stages)| StagesToCreate {
                    pipeline: pipeline.clone(),
                    stages: stages.clone(),
                })
                .collect(),
            activity_types_to_create: pre.activity_types.iter().cloned().collect(),
            labels_to_create: pre
                .labels
                .iter()
                .map(|(entity, labels)| (*entity, labels.iter().cloned().collect()))
                .collect(),
        }
    }

    /// The file's text: keys in alphabetical order at every level, as summary.json has always
    /// been written (readers and diffs of two exports rely on a stable order).
    pub fn to_text(&self) -> serde_json::Result<String> {
        let value = serde_json::to_value(self)?;
        Ok(serde_json::to_string_pretty(&value)? + "\n")
    }

    /// Reads the summary.json of the export folder `out`.
    pub fn read(out: &Path) -> Result<SummaryFile, SummaryFileError> {
        let path = out.join(FILE);
        let text = std::fs::read_to_string(&path).map_err(|error| SummaryFileError::Missing {
            path: path.clone(),
            error,
        })?;
        serde_json::from_str(&text).map_err(|error| SummaryFileError::Invalid { path, error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::tally::{FileCounts, OutputFile};

    #[test]
    fn a_written_summary_reads_back_whole_with_sorted_keys() {
        let mut file = SummaryFile {
            plan: vec!["Import 01-organizations.csv".into()],
            activity_types_to_create: vec!["Demo".into()],
            ..SummaryFile::default()
        };
        file.summary
            .files
            .push(FileCounts::new("people.csv", Entity::Person));
        file.summary.outputs.push(OutputFile {
            file: "02-persons.csv".into(),
            entity: Entity::Person,
            rows: 3,
        });
        file.summary.links.by_id = 4;
        file.labels_to_create
            .insert(Entity::Lead, vec!["Hot".into()]);
        let text = file.to_text().unwrap();
        let keys: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("  \""))
            .filter_map(|l| l.split('"').next())
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
        assert!(!text.contains("\"combined\""), "no combined layout, no key");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), &text).unwrap();
        assert_eq!(SummaryFile::read(dir.path()).unwrap(), file);
    }

    #[test]
    fn a_partial_summary_reads_with_the_rest_empty_and_a_broken_one_names_its_path() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            SummaryFile::read(dir.path()),
            Err(SummaryFileError::Missing { .. })
        ));
        std::fs::write(dir.path().join(FILE), r#"{"plan": ["one"]}"#).unwrap();
        let read = SummaryFile::read(dir.path()).unwrap();
        assert_eq!(read.plan, vec!["one".to_string()]);
        assert!(read.summary.outputs.is_empty());
        std::fs::write(dir.path().join(FILE), "{\"plan\": 3}").unwrap();
        let err = SummaryFile::read(dir.path()).unwrap_err();
        assert!(err.to_string().contains("summary.json"), "{err}");
    }
}
