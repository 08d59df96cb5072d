//! What changed between the export a profile was made for and the one at hand: new columns,
//! missing columns, columns that look renamed, and values the value maps do not know yet.

use std::collections::HashSet;

use super::{FileMapping, Profile};
use crate::entity::Target;
use crate::source::names::normalize;

/// Similarity above which a missing and a new column are offered as a rename.
const RENAME_SIMILARITY: f64 = 0.85;
/// New values listed per column at most.
const MAX_NEW_VALUES: usize = 20;

/// The differences between a file and the profile mapping it matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drift {
    pub file: String,
    /// Columns the file has and the profile does not mention (they go to the note meanwhile).
    pub new_columns: Vec<String>,
    /// Columns the profile maps and the file lacks (their mappings are kept for later).
    pub missing_columns: Vec<String>,
    /// (old name in the profile, new name in the file, similarity).
    pub renamed: Vec<(String, String, f64)>,
    /// (column, target, value): values a value map lacks, seen in the sampled rows.
    pub new_values: Vec<(String, Target, String)>,
}

impl Drift {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.new_columns.is_empty()
            && self.missing_columns.is_empty()
            && self.renamed.is_empty()
            && self.new_values.is_empty()
    }

    /// True when something needs a decision before an export can be trusted: a new column, a
    /// rename, or a new value. Missing columns alone are only worth a warning.
    pub fn needs_review(&self) -> bool {
        !self.new_columns.is_empty() || !self.renamed.is_empty() || !self.new_values.is_empty()
    }

    /// One line per difference, for messages and the report.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (old, new, score) in &self.renamed {
            lines.push(format!(
                "{}: column {old:?} looks renamed to {new:?} (similarity {score:.2})",
                self.file
            ));
        }
        let renamed_new: HashSet<&String> = self.renamed.iter().map(|r| &r.1).collect();
        let renamed_old: HashSet<&String> = self.renamed.iter().map(|r| &r.0).collect();
        let new: Vec<&String> = self
            .new_columns
            .iter()
            .filter(|c| !renamed_new.contains(c))
            .collect();
        if !new.is_empty() {
            lines.push(format!(
                "{}: new columns (kept in the note until mapped): {}",
                self.file,
                join(&new)
            ));
        }
        let missing: Vec<&String> = self
            .missing_columns
            .iter()
            .filter(|c| !renamed_old.contains(c))
            .collect();
        if !missing.is_empty() {
            lines.push(format!(
                "{}: columns no longer in the file (mappings kept): {}",
                self.file,
                join(&missing)
            ));
        }
        for (column, target, value) in &self.new_values {
            lines.push(format!("{}: column {column:?} has the value {value:?}, which the value map of {target} lacks", self.file));
        }
        lines
    }
}

/// Column names for a message: the first [`NAMED`] of them, then how many more, so a file of
/// tens of thousands of new columns gets a line a person can read.
fn join(names: &[&String]) -> String {
    let mut text = names
        .iter()
        .take(NAMED)
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMED {
        text.push_str(&format!(" and {} more", names.len() - NAMED));
    }
    text
}

/// How many column names one line of a drift message names.
const NAMED: usize = 20;

/// Compares a file's headers and sampled rows with the mapping it matched.
pub fn detect(
    file: &str,
    mapping: &FileMapping,
    profile: &Profile,
    headers: &[String],
    sample: &[Vec<String>],
) -> Drift {
    let known: HashSet<String> = mapping
        .columns
        .keys()
        .chain(mapping.split.iter().flat_map(|s| s.columns.keys()))
        .map(|c| c.trim().to_lowercase())
        .collect();
    let present: HashSet<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let new_columns: Vec<String> = headers
        .iter()
        .filter(|h| !known.contains(&h.trim().to_lowercase()))
        .cloned()
        .collect();
    let missing_columns: Vec<String> = mapping
        .columns
        .keys()
        .filter(|c| !present.contains(&c.trim().to_lowercase()))
        .cloned()
        .collect();
    let mut renamed = Vec::new();
    let mut taken: HashSet<&String> = HashSet::new();
    for old in &missing_columns {
        let old_norm = normalize(old);
        let best = new_columns
            .iter()
            .filter(|n| !taken.contains(n))
            .map(|n| (n, strsim::jaro_winkler(&old_norm, &normalize(n))))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((new, score)) = best
            && score >= RENAME_SIMILARITY
        {
            taken.insert(new);
            renamed.push((old.clone(), new.clone(), (score * 100.0).round() / 100.0));
        }
    }
    let mut new_values = Vec::new();
    for (column, spec) in &mapping.columns {
        let Some(target) = spec.target() else {
            continue;
        };
        let Some(map) = profile.values.get(&target.without_label()) else {
            continue;
        };
        let Some(index) = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column.trim()))
        else {
            continue;
        };
        let separator = spec.detail().split;
        let known: HashSet<String> = map.keys().map(|k| k.trim().to_lowercase()).collect();
        let mut seen = HashSet::new();
        for row in sample {
            let cell = row.get(index).map_or("", |c| c.trim());
            let values: Vec<&str> = match &separator {
                Some(sep) => cell.split(sep.as_str()).map(str::trim).collect(),
                None => vec![cell],
            };
            for value in values {
                if value.is_empty()
                    || known.contains(&value.to_lowercase())
                    || !seen.insert(value.to_lowercase())
                {
                    continue;
                }
                if seen.len() <= MAX_NEW_VALUES {
                    new_values.push((column.clone(), target.without_label(), value.to_string()));
                }
            }
        }
    }
    Drift {
        file: file.to_string(),
        new_columns,
        missing_columns,
        renamed,
        new_values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::from_yaml;

    #[test]
    fn a_long_list_of_columns_names_the_first_and_counts_the_rest() {
        let names: Vec<String> = (0..25).map(|i| format!("c{i}")).collect();
        let refs: Vec<&String> = names.iter().collect();
        let text = join(&refs);
        assert!(text.starts_with("\"c0\", \"c1\""), "{text}");
        assert!(text.contains("\"c19\" and 5 more"), "{text}");
        assert!(!text.contains("c20"), "{text}");
        assert_eq!(join(&refs[..2]), "\"c0\", \"c1\"");
    }

    const PROFILE: &str = "version: 1\nname: t\nfiles:\n  - match: {headers_include: [Email]}\n    entity: deal\n    columns:\n      Email Address: person.email\n      Stage: deal.stage_id\n      Title: deal.title\nvalues:\n  deal.stage_id: {Won: Pipeline/Won}\n";

    fn drift(headers: &[&str], rows: &[&[&str]]) -> Drift {
        let profile = from_yaml("t.yaml", PROFILE).unwrap();
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        let sample: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        detect("deals.csv", &profile.files[0], &profile, &headers, &sample)
    }

    #[test]
    fn an_unchanged_export_has_no_drift() {
        assert!(
            drift(
                &["Email Address", "Stage", "Title"],
                &[&["a@x.example", "won", "A"]]
            )
            .is_empty()
        );
    }

    #[test]
    fn new_missing_and_renamed_columns_are_found() {
        let d = drift(&["E-mail Address", "Stage", "Region"], &[]);
        assert_eq!(d.new_columns, ["E-mail Address", "Region"]);
        assert_eq!(d.missing_columns, ["Email Address", "Title"]);
        assert_eq!(d.renamed.len(), 1);
        assert_eq!(
            (d.renamed[0].0.as_str(), d.renamed[0].1.as_str()),
            ("Email Address", "E-mail Address")
        );
        assert!(d.needs_review());
    }

    #[test]
    fn only_missing_columns_need_no_review() {
        let d = drift(&["Email Address", "Stage"], &[]);
        assert_eq!(d.missing_columns, ["Title"]);
        assert!(!d.needs_review());
    }

    #[test]
    fn values_the_map_lacks_are_listed_once() {
        let d = drift(
            &["Email Address", "Stage", "Title"],
            &[&["", "Lost", ""], &["", "lost", ""], &["", "Won", ""]],
        );
        assert_eq!(d.new_values.len(), 1);
        assert_eq!(d.new_values[0].2, "Lost");
    }
}
