//! The work being edited, without any terminal: the source files as read, the mapping the user
//! builds (undoable), and how it becomes a [`Profile`]. Nothing here draws or reads files.

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use crate::suggest::auto_profile::{distinctive_headers, spec_for, suggested_spec};

use super::failure::Failure;
use crate::entity::{Entity, Target};
use crate::profile::{ColumnSpec, Decision, FileMapping, Match, Profile, Split};
use crate::source::TextFormat;
use crate::source::stats::ColumnProfile;
use crate::suggest::{ColumnSuggestion, Tier};

/// Where a session without a profile starts, as `apply` decides it
/// ([`crate::suggest::decide`]): files that are not records, and pipemap's own suggestions.
#[derive(Debug, Clone, Default)]
pub struct StartingPoint {
    /// Files left out from the start (not records), by path, with what they are.
    pub left_out: std::collections::HashMap<PathBuf, String>,
    /// The users files among them: while left out, they are the owner value map, as in
    /// `apply`.
    pub users: Vec<PathBuf>,
    /// The tag lists and join tables among them: while left out, they give records their
    /// labels, as in `apply`.
    pub tags: Vec<PathBuf>,
    /// pipemap's own suggestions for the record files (links by value included), by path.
    pub suggested: std::collections::HashMap<PathBuf, crate::suggest::FileSuggestion>,
}

/// How far the reading of a source file has come.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadStatus {
    /// Headers and sample not read yet.
    Loading,
    /// Headers and sample read; the mapping can be edited.
    Ready,
    /// The file cannot be read.
    Failed(Failure),
}

/// How many data rows a file holds, as far as the background count knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Rows {
    /// Still counting: rows seen so far, and an estimate from the file size.
    Counting { seen: u64, estimate: Option<u64> },
    /// Read to the end.
    Exact(u64),
    /// The count failed (the message says why).
    Failed(Failure),
}

/// Distinct values of one column with their counts, most common first.
pub type Distinct = Vec<(String, u64)>;

/// What was read of a source file: format, column profiles, suggestions.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub format: TextFormat,
    pub warnings: Vec<String>,
    pub columns: Vec<ColumnProfile>,
    pub suggestions: Vec<ColumnSuggestion>,
    /// The entity the suggestions were made for.
    pub entity: Entity,
    pub source_crm: Option<String>,
    /// Rows in the file, when the sample reached its end.
    pub rows: Option<u64>,
    pub estimated_rows: Option<u64>,
}

/// One source file in the session.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The file name, as the screens show it.
    pub name: String,
    pub status: LoadStatus,
    pub loaded: Option<LoadedFile>,
    pub rows: Rows,
    /// Distinct values per column, once the background scan is through the file.
    pub distinct: Option<Vec<Distinct>>,
}

impl SourceFile {
    /// A file about to be read.
    pub fn new(path: PathBuf) -> SourceFile {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        SourceFile {
            path,
            name,
            status: LoadStatus::Loading,
            loaded: None,
            rows: Rows::Counting {
                seen: 0,
                estimate: None,
            },
            distinct: None,
        }
    }

    /// The column profiles (empty until loaded).
    pub fn columns(&self) -> &[ColumnProfile] {
        self.loaded.as_ref().map_or(&[], |l| l.columns.as_slice())
    }

    /// The suggestion for a column, if loaded.
    pub fn suggestion(&self, column: usize) -> Option<&ColumnSuggestion> {
        self.loaded.as_ref()?.suggestions.get(column)
    }

    /// The headers, in file order.
    pub fn headers(&self) -> Vec<String> {
        self.columns().iter().map(|c| c.name.clone()).collect()
    }
}

/// Who chose a column's current target, which decides how it is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Nobody: the column is unmapped (kept in the record's note).
    Unset,
    /// Pre-selected from a suggestion of this tier, not yet reviewed.
    Suggested(Tier),
    /// Taken from the profile the session started with.
    Profile,
    /// Chosen or accepted by the user.
    User,
}

/// A column's current choice.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnChoice {
    /// None: unmapped, kept in the note.
    pub spec: Option<ColumnSpec>,
    pub origin: Origin,
}

impl ColumnChoice {
    /// The target, if the column has one.
    pub fn target(&self) -> Option<&Target> {
        self.spec.as_ref().and_then(ColumnSpec::target)
    }

    /// True when the user should look at it: a medium suggestion not yet accepted.
    pub fn needs_review(&self) -> bool {
        matches!(self.origin, Origin::Suggested(Tier::Medium))
    }
}

/// The mapping of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileChoice {
    pub entity: Entity,
    pub split: Option<Split>,
    /// Headers the starting profile recognised the file by.
    pub matcher: Option<Match>,
    pub columns: Vec<ColumnChoice>,
    /// Left out of the export, and why (not records, or the user's choice).
    pub left_out: Option<String>,
}

/// Everything undo and redo restore: per-file mappings and the value maps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    pub files: Vec<FileChoice>,
    pub values: BTreeMap<Target, indexmap::IndexMap<String, String>>,
    /// Duplicate decisions per entity, as the profile stores them.
    pub dedupe: BTreeMap<Entity, Vec<Decision>>,
    /// Export options (formula escaping, layout), toggled on the Review & Export screen.
    pub options: crate::profile::Options,
}

/// The duplicate decisions a profile holds, per entity.
pub fn decisions_of(profile: &Profile) -> BTreeMap<Entity, Vec<Decision>> {
    profile
        .dedupe
        .iter()
        .filter(|(_, s)| !s.decisions.is_empty())
        .map(|(e, s)| (*e, s.decisions.clone()))
        .collect()
}

/// The choices for a file's columns from its suggestions alone.
pub fn choices_from_suggestions(suggestions: &[ColumnSuggestion]) -> Vec<ColumnChoice> {
    suggestions
        .iter()
        .map(|s| match suggested_spec(s) {
            Some(spec) => ColumnChoice {
                spec: Some(spec),
                origin: Origin::Suggested(s.tier),
            },
            None => ColumnChoice {
                spec: None,
                origin: Origin::Unset,
            },
        })
        .collect()
}

/// The choices for a file from a profile's file mapping, exactly as the profile says: columns
/// it does not mention stay unmapped (kept in the note, as a headless `apply` would do); their
/// suggestions show as hints.
pub fn choices_from_profile(mapping: &FileMapping, headers: &[String]) -> FileChoice {
    let columns: Vec<ColumnChoice> = headers
        .iter()
        .map(|h| {
            let spec = mapping
                .columns
                .iter()
                .find(|(c, _)| c.trim().eq_ignore_ascii_case(h.trim()))
                .map(|(_, s)| s.clone());
            match spec {
                Some(spec) => ColumnChoice {
                    spec: Some(spec),
                    origin: Origin::Profile,
                },
                None => ColumnChoice {
                    spec: None,
                    origin: Origin::Unset,
                },
            }
        })
        .collect();
    FileChoice {
        entity: mapping.entity,
        split: mapping.split.clone(),
        matcher: Some(mapping.matcher.clone()),
        columns,
        left_out: None,
    }
}

/// The target a column's suggestion hints at: its target, else its best alternative.
pub fn hint(s: &ColumnSuggestion) -> Option<&Target> {
    s.target.as_ref().or(s.alternatives.first())
}

/// The mapping of a file not read yet: its entity guessed from its name.
pub fn placeholder(file: &SourceFile) -> FileChoice {
    let entity =
        crate::suggest::detect::entity_from_file_name(&file.name).unwrap_or(Entity::Person);
    FileChoice {
        entity,
        split: None,
        matcher: None,
        columns: Vec::new(),
        left_out: None,
    }
}

/// Undo/redo over whole [`Mapping`] snapshots (cheap: a few hundred small values).
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Mapping>,
    redo: Vec<Mapping>,
}

/// How many steps undo remembers.
const HISTORY_LIMIT: usize = 500;

impl History {
    /// Remembers the state before an edit.
    pub fn record(&mut self, before: Mapping) {
        self.undo.push(before);
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The state to go back to, given the current one.
    pub fn undo(&mut self, current: &Mapping) -> Option<Mapping> {
        let previous = self.undo.pop()?;
        self.redo.push(current.clone());
        Some(previous)
    }

    /// Every remembered state, for changes that are not edits (a file read or added).
    pub fn snapshots_mut(&mut self) -> impl Iterator<Item = &mut Mapping> {
        self.undo.iter_mut().chain(self.redo.iter_mut())
    }

    /// The state to go forward to, given the current one.
    pub fn redo(&mut self, current: &Mapping) -> Option<Mapping> {
        let next = self.redo.pop()?;
        self.undo.push(current.clone());
        Some(next)
    }
}

/// The reason shown for a file the user leaves out.
pub const LEFT_OUT_BY_USER: &str = "left out by you";
/// The reason shown for a file the user says holds no records.
pub const NOT_RECORDS_BY_USER: &str = "not records, as you said";

/// True when the file is read and not left out: it is exported.
pub fn exported(file: &SourceFile, choice: &FileChoice) -> bool {
    file.status == LoadStatus::Ready && choice.left_out.is_none()
}

/// The profile the session's state stands for: one file mapping per loaded file that is not
/// left out (every mapped or skipped column in file order; unmapped columns absent, so they go
/// to notes) and the value maps.
pub fn to_profile(base: &Profile, files: &[SourceFile], mapping: &Mapping) -> Profile {
    let mut profile = Profile::new(&base.name);
    profile.description = base.description.clone();
    profile.options = mapping.options.clone();
    profile.dedupe = base.dedupe.clone();
    for settings in profile.dedupe.values_mut() {
        settings.decisions.clear();
    }
    for (entity, decisions) in &mapping.dedupe {
        if !decisions.is_empty() {
            profile.dedupe.entry(*entity).or_default().decisions = decisions.clone();
        }
    }
    profile
        .dedupe
        .retain(|_, s| *s != crate::profile::DedupeSettings::default());
    profile.source_crm = base.source_crm.clone().or_else(|| {
        files
            .iter()
            .find_map(|f| f.loaded.as_ref().and_then(|l| l.source_crm.clone()))
    });
    let headers: Vec<Vec<String>> = files.iter().map(SourceFile::headers).collect();
    for (i, (file, choice)) in files.iter().zip(&mapping.files).enumerate() {
        if !exported(file, choice) {
            continue;
        }
        let preferred = choice
            .matcher
            .as_ref()
            .map_or(&[][..], |m| m.headers_include.as_slice());
        let mut columns = indexmap::IndexMap::new();
        for (name, c) in headers[i].iter().zip(&choice.columns) {
            if let Some(spec) = &c.spec {
                columns.insert(name.clone(), spec.clone());
            }
        }
        let split = choice.split.clone().filter(|s| s.then != choice.entity);
        profile.files.push(FileMapping {
            matcher: Match {
                headers_include: distinctive_headers(&headers, i, preferred),
                partial: true,
            },
            entity: choice.entity,
            split,
            columns,
        });
    }
    profile.values = mapping
        .values
        .iter()
        .filter(|(_, m)| !m.is_empty())
        .map(|(t, m)| (t.clone(), m.clone()))
        .collect();
    profile
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_undoes_and_redoes() {
        let mut h = History::default();
        let a = Mapping::default();
        let mut b = Mapping::default();
        b.values.insert(Target::Skip, indexmap::IndexMap::new());
        h.record(a.clone());
        assert_eq!(h.undo(&b), Some(a.clone()));
        assert_eq!(h.redo(&a), Some(b));
    }
}
