//! The decision a run without a profile starts from, shared by `apply` and the mapping UI:
//! files that are not records (a CRM's users, histories, territories …) are set aside with
//! what they are; then a saved profile or preset that recognises every record file by its
//! headers, else pipemap's own suggestions with the links found by value across the files.
//! Reads the files; never prints.

use std::collections::HashSet;

use crate::entity::Entity;
use crate::profile::Profile;
use crate::schema::Schema;
use crate::source::stats::{DEFAULT_SAMPLE_ROWS, Inspection, inspect};
use crate::source::{SourceError, SourceRef, Table};

use super::auto_profile::{self, SuggestedFile};
use super::file_kind::not_records;
use super::links::{FileValues, own_id_column, propose};
use super::vocabulary::Vocabularies;
use super::{FileSuggestion, suggest_file};

/// A file set aside because it holds no records to import.
#[derive(Debug, Clone)]
pub struct LeftOut {
    pub source: SourceRef,
    /// What it is: "the CRM's users", "a history of changes" …
    pub kind: &'static str,
    /// A users file (it becomes the owner value map).
    pub users: bool,
}

/// The files of a run, sorted into record files (with their inspection) and files left out.
#[derive(Debug, Default)]
pub struct Sorted {
    pub kept: Vec<(SourceRef, Inspection)>,
    pub left_out: Vec<LeftOut>,
}

/// Reads each file's headers and sample; a file that is not records is left out unless
/// `entity` says what every file is.
pub fn sort_files(sources: Vec<SourceRef>, entity: Option<Entity>) -> Result<Sorted, SourceError> {
    let mut sorted = Sorted::default();
    for source in sources {
        let table = Table::open_ref(&source)?;
        let inspection = inspect(table, DEFAULT_SAMPLE_ROWS, false)?;
        match not_records(&source.name, &inspection.headers) {
            Some(what) if entity.is_none() => sorted.left_out.push(LeftOut {
                source,
                kind: what.kind,
                users: what.is_users(),
            }),
            _ => sorted.kept.push((source, inspection)),
        }
    }
    Ok(sorted)
}

/// What the record files start from.
#[derive(Debug, Clone)]
pub enum Start {
    /// A saved profile or preset (by its name) that recognises every record file.
    Recognised { name: String, profile: Profile },
    /// pipemap's own suggestions (links by value included), one per record file, and the
    /// profile they make.
    Suggested {
        profile: Profile,
        files: Vec<SuggestedFile>,
    },
}

/// The start for the record files `kept`: of `known` (saved profiles, then presets) the one that
/// recognises every file and explains most of them, unless `entity` is given; else pipemap's own
/// suggestions.
pub fn start(
    kept: &[(SourceRef, Inspection)],
    known: &[(String, Profile)],
    schema: &Schema,
    entity: Option<Entity>,
) -> Result<Start, SourceError> {
    let headers: Vec<Vec<String>> = kept.iter().map(|(_, i)| i.headers.clone()).collect();
    if entity.is_none()
        && let Some((name, p)) = auto_profile::recognising(known, &headers)
    {
        return Ok(Start::Recognised {
            name: name.clone(),
            profile: p.clone(),
        });
    }
    let vocabularies = Vocabularies::new(schema);
    let mut suggestions: Vec<FileSuggestion> = kept
        .iter()
        .map(|(source, inspection)| {
            suggest_file(&vocabularies, &source.name, entity, &inspection.columns)
        })
        .collect();
    link_by_values(kept, &mut suggestions, schema)?;
    let files: Vec<SuggestedFile> = kept
        .iter()
        .zip(suggestions)
        .map(|((_, inspection), suggestion)| SuggestedFile {
            headers: inspection.headers.clone(),
            suggestion,
        })
        .collect();
    Ok(Start::Suggested {
        profile: auto_profile::from_suggestions(&files),
        files,
    })
}

/// Links by value across the files: each record file's own ids are read whole (one column),
/// then every column of the others whose sampled values are those ids becomes a link.
fn link_by_values(
    kept: &[(SourceRef, Inspection)],
    suggestions: &mut [FileSuggestion],
    schema: &Schema,
) -> Result<(), SourceError> {
    if kept.len() < 2 {
        return Ok(());
    }
    let mut ids = Vec::with_capacity(kept.len());
    for ((source, inspection), suggestion) in kept.iter().zip(suggestions.iter()) {
        let Some(column) = own_id_column(suggestion, &inspection.headers) else {
            ids.push(None);
            continue;
        };
        let mut table = Table::open_ref(source)?;
        let mut set = HashSet::new();
        while let Some(record) = table.next_record()? {
            if let Some(v) = record
                .fields
                .get(column)
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                set.insert(v.to_string());
            }
        }
        ids.push(Some(set));
    }
    let files: Vec<FileValues> = kept
        .iter()
        .zip(ids)
        .map(|((source, inspection), ids)| FileValues {
            name: &source.name,
            headers: &inspection.headers,
            columns: &inspection.sampled_values,
            ids,
        })
        .collect();
    propose(&files, suggestions, schema);
    Ok(())
}
