//! The export as the command line and the terminal UI run it: the output folder checked, the
//! users files made the owner value map, the rows converted and written under a staging folder
//! by [`transform`](crate::transform), then the files that describe the result (mapping.yaml,
//! summary.json, report.md, sample/) written from it by [`report`](crate::report), and the
//! whole moved into place. `transform` knows nothing of the report; this module sits above both.

mod finish;
pub mod summary_file;

use std::path::{Path, PathBuf};

use crate::profile::Profile;
use crate::schema::Schema;
use crate::source::{AsSources, SourceError, SourceRef};
use crate::transform::engine::{self, ApplyError, ApplyOptions, DriftPolicy, Export};

pub use summary_file::SummaryFile;

/// What to export, and how.
pub struct ExportRequest<'a> {
    /// The record files to export (tables of files, workbooks, archives).
    pub sources: Vec<SourceRef>,
    /// Users files left out of the export, whose ids and names become the owner value map.
    pub users: Vec<SourceRef>,
    /// Tags files and their link tables left out of the export, whose tags become labels.
    pub tags: Vec<SourceRef>,
    pub profile: Profile,
    pub schema: &'a Schema,
    pub out: PathBuf,
    /// Also write `sample/` with this many linked records per entity.
    pub sample: Option<usize>,
    pub escape_formulas: bool,
    pub drift: DriftPolicy,
    /// Notes on the run's files from before the export (files left out, and why).
    pub notes: Vec<String>,
}

/// An export that could not be made; nothing was written under the output folder.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    OutFolder(#[from] OutFolderError),
    /// A users, tags or link-table file could not be read.
    #[error(transparent)]
    Users(#[from] SourceError),
    #[error(transparent)]
    Apply(#[from] ApplyError),
}

/// An output folder an export may not be written to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutFolderError {
    #[error("{}: this is a file; the output must be a folder", .0.display())]
    IsAFile(PathBuf),
    #[error(
        "{}: the folder is not empty and holds no earlier pipemap export; choose an empty or new folder",
        .0.display()
    )]
    Foreign(PathBuf),
    #[error(
        "{}: this input is in the output folder {}, which the export replaces; give the source files, not an earlier export, or write the export to another folder",
        .input.display(), .out.display()
    )]
    HoldsAnInput { input: PathBuf, out: PathBuf },
}

/// Refuses inputs read from inside the output folder: the export replaces that folder, so an
/// earlier export given back as input (`apply in/* --out in/out`) would be read as source
/// rows, its rows doubled and its links and rejects taken for records.
pub fn check_inputs_outside(out: &Path, inputs: &[SourceRef]) -> Result<(), OutFolderError> {
    // A folder not yet made holds nothing; paths are compared as the file system resolves them
    // (`./out`, a symlink to it).
    let Ok(out_dir) = out.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        let path = input.disk_path();
        if path
            .canonicalize()
            .is_ok_and(|resolved| resolved.starts_with(&out_dir))
        {
            return Err(OutFolderError::HoldsAnInput {
                input: path.to_path_buf(),
                out: out.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Refuses an output folder that is a file, or that holds files and no earlier pipemap export
/// (its summary.json): an export replaces the folder's earlier export whole.
pub fn check_out_folder(out: &Path) -> Result<(), OutFolderError> {
    if out.is_file() {
        return Err(OutFolderError::IsAFile(out.to_path_buf()));
    }
    if let Ok(mut read) = std::fs::read_dir(out)
        && read.next().is_some()
        && !out.join(summary_file::FILE).exists()
    {
        return Err(OutFolderError::Foreign(out.to_path_buf()));
    }
    Ok(())
}

/// Runs an export; `progress` is called now and then with (bytes read, bytes in all sources).
pub fn run(
    request: ExportRequest,
    progress: Option<&dyn Fn(u64, u64)>,
) -> Result<Export, ExportError> {
    check_out_folder(&request.out)?;
    let inputs = [&request.sources, &request.users, &request.tags];
    for group in inputs {
        check_inputs_outside(&request.out, group)?;
    }
    let mut profile = request.profile;
    let mut notes = request.notes;
    let used = crate::transform::owners::from_users_files(&request.users, &mut profile)?;
    let owners_from = used.map(|u| {
        notes.push(u.note);
        u.file
    });
    let labels = match crate::transform::tags::from_tag_files(&request.tags, &profile)? {
        Some(used) => {
            notes.extend(used.notes);
            used.labels
        }
        None => Default::default(),
    };
    let opts = ApplyOptions {
        out: request.out,
        sample: request.sample,
        escape_formulas: request.escape_formulas,
        drift: request.drift,
        progress,
        notes,
        owners_from,
        labels,
    };
    Ok(apply(&request.sources, &profile, request.schema, &opts)?)
}

/// Converts and writes the export, writes what describes it, and moves it into place. On
/// error nothing is left under `opts.out`.
pub fn apply<S: AsSources>(
    sources: &[S],
    profile: &Profile,
    schema: &Schema,
    opts: &ApplyOptions,
) -> Result<Export, ApplyError> {
    let staged = engine::stage(sources, profile, schema, opts)?;
    let mut staged = staged;
    finish::write_rest(&staged.staging, &mut staged.export, profile, schema, opts)?;
    staged.commit(&opts.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_folder_must_be_new_empty_or_an_earlier_export() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert_eq!(check_out_folder(&out), Ok(()), "a new folder");
        std::fs::create_dir(&out).unwrap();
        assert_eq!(check_out_folder(&out), Ok(()), "an empty folder");
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = check_out_folder(&out).unwrap_err();
        assert_eq!(err, OutFolderError::Foreign(out.clone()));
        assert!(err.to_string().contains("not empty"), "{err}");
        std::fs::write(out.join(summary_file::FILE), "{}").unwrap();
        assert_eq!(check_out_folder(&out), Ok(()), "an earlier export");
        let file = dir.path().join("file.csv");
        std::fs::write(&file, "a").unwrap();
        assert_eq!(
            check_out_folder(&file),
            Err(OutFolderError::IsAFile(file.clone()))
        );
    }
}
