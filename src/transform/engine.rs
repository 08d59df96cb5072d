//! The export: open every source, compile the profile against it, index what links need,
//! then stream every row once into the output files, in import order, under a staging folder
//! that becomes the output folder only when everything succeeded. The steps are those of
//! [`ExportRun`](super::run); this module says what an export needs and how it fails.

use std::path::{Path, PathBuf};

use crate::profile::Profile;
use crate::schema::Schema;
use crate::source::{AsSources, Fingerprint, SourceError, SourceRef};

pub use super::result::{Export, LinkAudit, LinkExamples, Merge, SharedName, Summary};
use super::run::ExportRun;
use super::writer::Staging;

/// What to do when the files drifted from the profile (new columns, renames, new values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriftPolicy {
    /// Refuse to export (a saved profile: the files are no longer those it was made for).
    Refuse,
    /// Export and report the drift (a preset, written for any account; a mapping just
    /// reviewed on screen; `--allow-drift`).
    Report,
}

/// What `apply` needs besides the sources and the profile.
pub struct ApplyOptions<'a> {
    pub out: PathBuf,
    /// Also write `sample/` with this many linked records per entity.
    pub sample: Option<usize>,
    pub escape_formulas: bool,
    /// Whether drift from the profile stops the export.
    pub drift: DriftPolicy,
    /// Called now and then with (bytes read, bytes in all sources).
    pub progress: Option<&'a dyn Fn(u64, u64)>,
    /// Notes on the run's files from before the export (files left out, and why), listed in
    /// report.md with the readers' own notes.
    pub notes: Vec<String>,
    /// The users file whose ids and names fill the profile's owner maps: an owner value it
    /// does not know is listed in warnings.csv.
    pub owners_from: Option<String>,
    /// Record id → tag names (a tags file and its link table), given to the records' labels.
    pub labels: super::tags::RecordLabels,
}

/// An export that could not be made; nothing was written under the output folder. Errors
/// name the file they concern (as ripgrep's `ignore::Error::WithPath` does).
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Plan(#[from] super::plan::PlanError),
    /// A file the profile has no mapping for.
    #[error("{0}")]
    Unmatched(String),
    /// The profile's duplicate settings cannot be applied to a file.
    #[error("{file}: duplicates: {error}")]
    Duplicates {
        file: String,
        error: crate::dedupe::DedupeError,
    },
    #[error(
        "the files have changed since the profile was made (map the changes with `pipemap map`, or run with --allow-drift to export them as they are):\n  {0}"
    )]
    Drift(String),
    /// An output file could not be written.
    /// The error's text is part of the message (not a separate cause), so it reads once.
    #[error("{}: {error}", path.display())]
    Output {
        path: PathBuf,
        error: std::io::Error,
    },
    /// An output file could not be written or read back as CSV.
    #[error("{}: {error}", path.display())]
    Csv { path: PathBuf, error: csv::Error },
}

impl ApplyError {
    /// An output file's I/O error.
    pub fn output(path: &Path, source: std::io::Error) -> ApplyError {
        ApplyError::Output {
            path: path.to_path_buf(),
            error: source,
        }
    }

    /// An output file's CSV error.
    pub fn csv(path: &Path, error: csv::Error) -> ApplyError {
        ApplyError::Csv {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// An export written to its staging folder, not yet moved into place.
pub struct Staged {
    pub export: Export,
    pub staging: Staging,
    sources: Vec<SourceRef>,
    /// Taken before the first byte was read.
    fingerprints: Vec<Fingerprint>,
}

impl Staged {
    /// Moves the staged export into the output folder, unless a source changed meanwhile: the
    /// sources are read more than once (samples, duplicates, links, the export), and a file
    /// written to meanwhile would give counts and links that do not belong together.
    pub fn commit(self, out: &Path) -> Result<Export, ApplyError> {
        for (source, before) in self.sources.iter().zip(&self.fingerprints) {
            if source.fingerprint()? != *before {
                return Err(SourceError::Changed {
                    file: source.name.clone(),
                }
                .into());
            }
        }
        let mut export = self.export;
        let committed = self
            .staging
            .commit()
            .map_err(|e| ApplyError::output(out, e))?;
        export.earlier_export = committed.earlier;
        Ok(export)
    }
}

/// Runs the export into a staging folder beside `opts.out`. `sources` are the tables
/// ([`SourceRef`]s), or paths and source names (a workbook or archive gives all its tables).
pub fn stage<S: AsSources>(
    sources: &[S],
    profile: &Profile,
    schema: &Schema,
    opts: &ApplyOptions,
) -> Result<Staged, ApplyError> {
    let mut tables: Vec<SourceRef> = Vec::with_capacity(sources.len());
    for s in sources {
        tables.extend(s.as_sources()?);
    }
    // Taken before the first byte is read, compared before anything is moved into place.
    let fingerprints: Vec<Fingerprint> = tables
        .iter()
        .map(SourceRef::fingerprint)
        .collect::<Result<_, _>>()?;
    let mut run = ExportRun::prepare(tables, profile, schema, opts)?;
    run.check_drift()?;
    run.find_duplicates()?;
    run.index_links()?;
    let staging = Staging::new(&opts.out).map_err(|e| ApplyError::output(&opts.out, e))?;
    let mut out = run.open_outputs(&staging)?;
    for i in run.order.clone() {
        run.convert_file(i, &mut out)?;
    }
    run.rows_done();
    run.write_referenced_only(&mut out)?;
    let sources = run.sources.clone();
    let export = run.finish(out)?;
    Ok(Staged {
        export,
        staging,
        sources,
        fingerprints,
    })
}

/// A cell a spreadsheet program would evaluate: it opens with = + - @ or a tab/CR, and is not
/// a plain (negative) number.
pub fn is_formula(cell: &str) -> bool {
    let Some(first) = cell.chars().next() else {
        return false;
    };
    if !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') {
        return false;
    }
    let rest = &cell[first.len_utf8()..];
    let numeric = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ' ' | '(' | ')' | '-'));
    !((first == '-' || first == '+') && numeric)
}
