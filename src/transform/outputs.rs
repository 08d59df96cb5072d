//! Where the export's rows go: the entity files (split into parts), rejects.csv, warnings.csv,
//! links.csv and, for the combined layout, each record's own id. The sink owns every writer and
//! knows each one's path, so a failed write names the file it was writing (as ripgrep's
//! printers own their writers behind its `Sink` trait, crates/searcher/src/sink.rs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::entity::Entity;

use super::engine::{ApplyError, is_formula};
use super::layout::Layout;
use super::links_csv::LinksCsv;
use super::row::Problem;
use super::tally::OutputFile;
use super::writer::{PartWriter, Staging};

/// The columns of rejects.csv and warnings.csv.
const PROBLEM_COLUMNS: [&str; 6] = ["file", "line", "entity", "column", "value", "reason"];
/// The columns of `.own-ids.csv`, the combined layout's record index.
const OWN_ID_COLUMNS: [&str; 4] = ["file", "part", "row", "source_id"];
/// The combined layout's index of each record's own source id and output row.
pub const OWN_IDS_FILE: &str = ".own-ids.csv";

/// A CSV file beside the entity files, with the path its errors name.
pub struct SideFile {
    path: PathBuf,
    writer: csv::Writer<std::fs::File>,
}

impl SideFile {
    /// Creates `path` and writes its header.
    pub fn create(path: PathBuf, header: &[&str]) -> Result<SideFile, ApplyError> {
        let mut writer = csv::Writer::from_path(&path).map_err(|e| ApplyError::csv(&path, e))?;
        writer
            .write_record(header)
            .map_err(|e| ApplyError::csv(&path, e))?;
        Ok(SideFile { path, writer })
    }

    /// Writes one record.
    pub fn write<I, T>(&mut self, record: I) -> Result<(), ApplyError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer
            .write_record(record)
            .map_err(|e| ApplyError::csv(&self.path, e))
    }

    /// Flushes the file; returns its path.
    pub fn finish(mut self) -> Result<PathBuf, ApplyError> {
        self.writer
            .flush()
            .map_err(|e| ApplyError::output(&self.path, e))?;
        Ok(self.path)
    }
}

/// Which of the two problem files a row's problem goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemFile {
    /// rejects.csv: the row was not written.
    Rejects,
    /// warnings.csv: the row was written, with this said about it.
    Warnings,
}

/// Every file the rows are written to, under the staging folder.
pub struct Outputs {
    dir: PathBuf,
    parts: BTreeMap<Entity, PartWriter>,
    rejects: SideFile,
    warnings: SideFile,
    links: LinksCsv,
    own_ids: Option<SideFile>,
    /// Guard the source's own text in the problem files against spreadsheet formulas.
    escape: bool,
}

/// What the sink wrote, once closed.
pub struct Closed {
    /// The entity files, in import order.
    pub outputs: Vec<OutputFile>,
    /// The combined layout's record index, when it was written.
    pub own_ids: Option<PathBuf>,
}

impl Outputs {
    /// Opens the entity files of `layouts` and the side files in `staging`.
    pub fn create(
        staging: &Staging,
        layouts: &[Layout],
        combined: bool,
        escape: bool,
    ) -> Result<Outputs, ApplyError> {
        let dir = staging.path("");
        let parts = layouts
            .iter()
            .map(|l| {
                let writer = PartWriter::new(&dir, l.entity.file_stem(), l.headers.clone());
                (l.entity, writer)
            })
            .collect();
        let rejects = SideFile::create(staging.path("rejects.csv"), &PROBLEM_COLUMNS)?;
        let warnings = SideFile::create(staging.path("warnings.csv"), &PROBLEM_COLUMNS)?;
        let links = LinksCsv::create(staging.path(LinksCsv::FILE))?;
        let own_ids = match combined {
            true => Some(SideFile::create(
                staging.path(OWN_IDS_FILE),
                &OWN_ID_COLUMNS,
            )?),
            false => None,
        };
        Ok(Outputs {
            dir,
            parts,
            rejects,
            warnings,
            links,
            own_ids,
            escape,
        })
    }

    /// The staging folder the files are written in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes a record of `entity`; returns its part and row in its output file.
    pub fn record(&mut self, entity: Entity, cells: &[String]) -> Result<(usize, u64), ApplyError> {
        let writer = self.part(entity)?;
        writer
            .write(cells)
            .map_err(|e| ApplyError::output(&writer.current_path(), e))
    }

    /// Writes a record of `entity` already encoded as a CSV line of `len` bytes as
    /// [`row_len`](super::writer::row_len) counts them; returns its part and row.
    pub fn record_line(
        &mut self,
        entity: Entity,
        line: &[u8],
        len: u64,
    ) -> Result<(usize, u64), ApplyError> {
        let writer = self.part(entity)?;
        writer
            .write_line(line, len)
            .map_err(|e| ApplyError::output(&writer.current_path(), e))
    }

    fn part(&mut self, entity: Entity) -> Result<&mut PartWriter, ApplyError> {
        self.parts.get_mut(&entity).ok_or_else(|| {
            ApplyError::output(
                &self.dir.join(entity.file_stem()),
                std::io::Error::other("no output file for this entity"),
            )
        })
    }

    /// Notes in links.csv that row `row` of `entity`'s part `part` links to `id` of `to`.
    pub fn link(
        &mut self,
        entity: Entity,
        (part, row): (usize, u64),
        to: Entity,
        id: &str,
    ) -> Result<(), ApplyError> {
        self.links.write(entity, part, row, to, id)
    }

    /// Notes a record's own source id for the combined layout (nothing with the separate one).
    pub fn own_id(
        &mut self,
        entity: Entity,
        (part, row): (usize, u64),
        id: &str,
    ) -> Result<(), ApplyError> {
        let Some(w) = self.own_ids.as_mut() else {
            return Ok(());
        };
        w.write([entity.file_stem(), &part.to_string(), &row.to_string(), id])
    }

    /// Writes a row's problem: `file` and `line` name the source row.
    pub fn problem(
        &mut self,
        to: ProblemFile,
        file: &str,
        line: &str,
        entity: Entity,
        p: &Problem,
    ) -> Result<(), ApplyError> {
        // These files are opened in spreadsheets too: the source's own text is guarded alike.
        let escape = self.escape;
        let guard = |text: &str| {
            if escape && is_formula(text) {
                format!("'{text}")
            } else {
                text.to_string()
            }
        };
        let writer = match to {
            ProblemFile::Rejects => &mut self.rejects,
            ProblemFile::Warnings => &mut self.warnings,
        };
        writer.write([
            guard(file).as_str(),
            line,
            entity.as_str(),
            guard(&p.column).as_str(),
            guard(&p.value).as_str(),
            p.reason.as_str(),
        ])
    }

    /// A warning about a whole record rather than a source row (a record created for links).
    pub fn record_warning(
        &mut self,
        entity: Entity,
        value: &str,
        reason: &str,
    ) -> Result<(), ApplyError> {
        self.warnings
            .write(["", "", entity.as_str(), "", value, reason])
    }

    /// Flushes and closes every file; names the entity files' parts.
    pub fn close(self) -> Result<Closed, ApplyError> {
        self.links.finish()?;
        self.rejects.finish()?;
        self.warnings.finish()?;
        let mut outputs = Vec::new();
        for (entity, writer) in self.parts {
            let path = self.dir.join(entity.file_stem());
            for (file, rows) in writer.finish().map_err(|e| ApplyError::output(&path, e))? {
                outputs.push(OutputFile { file, entity, rows });
            }
        }
        let own_ids = match self.own_ids {
            Some(w) => Some(w.finish()?),
            None => None,
        };
        Ok(Closed { outputs, own_ids })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::layout::Slot;

    #[test]
    fn a_failed_write_names_the_output_file_it_was_writing() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::new(&dir.path().join("out")).unwrap();
        let name = Slot::Field {
            key: "name".into(),
            label: None,
        };
        let layout = Layout::new(Entity::Person, vec![name], vec!["Person - Name".into()]);
        let mut out = Outputs::create(&staging, &[layout], false, false).unwrap();
        // The folder goes away under the export, as on a disk unplugged or removed.
        std::fs::remove_dir_all(staging.path("")).unwrap();
        let err = out.record(Entity::Person, &["Ann".into()]).unwrap_err();
        assert!(matches!(err, ApplyError::Output { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("02-persons.part1"), "{text}");
        assert!(!text.contains("people.csv"), "{text}");
    }
}
