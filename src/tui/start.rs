//! Where `pipemap map` starts without a profile: the decision `apply` takes
//! ([`crate::suggest::decide`]), turned into the session's base profile and starting point.
//! Reads the files (before the UI opens); never prints: the caller says the notes.

use std::path::PathBuf;

use crate::profile::{Profile, library};
use crate::schema::Schema;
use crate::source::{SourceError, SourceRef};
use crate::suggest::decide::{self, Start};

use super::project::StartingPoint;

/// What a session without a profile opens on.
#[derive(Debug)]
pub struct Opening {
    /// The preset or saved profile that recognises every record file, else an empty profile.
    pub base: Profile,
    pub base_is_preset: bool,
    /// Files left out and pipemap's own suggestions.
    pub start: StartingPoint,
    /// What was decided, a line each, for stderr.
    pub notes: Vec<String>,
}

/// Decides the opening for these tables; `known` are the saved profiles and presets by name.
pub fn decide(
    tables: Vec<SourceRef>,
    known: &[(String, Profile)],
    schema: &Schema,
) -> Result<Opening, SourceError> {
    let sorted = decide::sort_files(tables, None)?;
    let mut opening = Opening {
        base: Profile::new("my-mapping"),
        base_is_preset: false,
        start: StartingPoint::default(),
        notes: Vec::new(),
    };
    for left in &sorted.left_out {
        opening.notes.push(format!(
            "{}: left out: it looks like {}, not records to import; the Files screen brings it back (x) or says what it is (Enter)",
            left.source.name, left.kind
        ));
        if left.users {
            opening.start.users.push(PathBuf::from(&left.source.name));
        } else if (crate::suggest::file_kind::NotRecords { kind: left.kind }).is_tags_or_links() {
            opening.start.tags.push(PathBuf::from(&left.source.name));
        }
        opening.start.left_out.insert(
            PathBuf::from(&left.source.name),
            format!("not records: {}", left.kind),
        );
    }
    if sorted.kept.is_empty() {
        return Ok(opening);
    }
    match decide::start(&sorted.kept, known, schema, None)? {
        Start::Recognised { name, profile } => {
            let preset = library::PRESETS.iter().any(|(n, _)| *n == name);
            opening.notes.push(format!(
                "starting from the {} \"{name}\", which recognises every file — --profile picks another",
                if preset { "preset" } else { "saved profile" }
            ));
            opening.base = profile;
            opening.base_is_preset = preset;
        }
        Start::Suggested { files, .. } => {
            opening.notes.push(
                "no saved profile or preset recognises these files; starting from pipemap's own suggestions".into(),
            );
            for ((source, _), file) in sorted.kept.iter().zip(files) {
                opening
                    .start
                    .suggested
                    .insert(PathBuf::from(&source.name), file.suggestion);
            }
        }
    }
    Ok(opening)
}
