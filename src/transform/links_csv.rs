//! links.csv, for `relink` and the combined layout: which output row links to which source
//! record by id. One line per link: the output file's stem, its part and row (1-based), the
//! linked entity and the linked record's source id. Written and read only here.

use std::io;
use std::path::{Path, PathBuf};

use crate::entity::Entity;

use super::engine::ApplyError;

/// The writer of links.csv.
pub struct LinksCsv {
    path: PathBuf,
    writer: csv::Writer<std::fs::File>,
}

/// One line of links.csv, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkLine<'a> {
    /// The output file's stem (`02-persons`).
    pub stem: &'a str,
    pub part: usize,
    pub row: u64,
    /// The linked entity, as written (`organization`).
    pub link: &'a str,
    /// The linked record's id in the source CRM.
    pub source_id: &'a str,
}

impl LinksCsv {
    /// The file's name in an export folder.
    pub const FILE: &'static str = "links.csv";
    /// Its header.
    pub const HEADER: [&'static str; 5] = ["file", "part", "row", "link", "source_id"];

    /// Creates the file at `path` with its header.
    pub fn create(path: PathBuf) -> Result<LinksCsv, ApplyError> {
        let mut writer = csv::Writer::from_path(&path).map_err(|e| ApplyError::csv(&path, e))?;
        writer
            .write_record(Self::HEADER)
            .map_err(|e| ApplyError::csv(&path, e))?;
        Ok(LinksCsv { path, writer })
    }

    /// Notes that row `row` of `entity`'s part `part` links to the `to` record of source id `id`.
    pub fn write(
        &mut self,
        entity: Entity,
        part: usize,
        row: u64,
        to: Entity,
        id: &str,
    ) -> Result<(), ApplyError> {
        self.writer
            .write_record([
                entity.file_stem(),
                &part.to_string(),
                &row.to_string(),
                to.as_str(),
                id,
            ])
            .map_err(|e| ApplyError::csv(&self.path, e))
    }

    /// Flushes the file.
    pub fn finish(mut self) -> Result<(), ApplyError> {
        self.writer
            .flush()
            .map_err(|e| ApplyError::output(&self.path, e))
    }

    /// Calls `each` for every line of the links.csv at `path`, streaming: a whole export's links
    /// would not fit in memory twice. Lines whose part or row is not a number are passed over.
    pub fn each(path: &Path, mut each: impl FnMut(&LinkLine) -> io::Result<()>) -> io::Result<()> {
        let err = |e: csv::Error| io::Error::other(format!("{}: {e}", path.display()));
        let mut reader = csv::Reader::from_path(path).map_err(err)?;
        let mut r = csv::StringRecord::new();
        while reader.read_record(&mut r).map_err(err)? {
            let (Some(stem), Some(part), Some(row), Some(link), Some(source_id)) =
                (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))
            else {
                continue;
            };
            if let (Ok(part), Ok(row)) = (part.parse(), row.parse()) {
                each(&LinkLine {
                    stem,
                    part,
                    row,
                    link,
                    source_id,
                })?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_line_for_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LinksCsv::FILE);
        let mut w = LinksCsv::create(path.clone()).unwrap();
        w.write(Entity::Person, 1, 7, Entity::Organization, "001A")
            .unwrap();
        w.write(Entity::Deal, 2, 3, Entity::Person, "003,B")
            .unwrap();
        w.finish().unwrap();
        let mut read = Vec::new();
        LinksCsv::each(&path, |l| {
            read.push((
                l.stem.to_string(),
                l.part,
                l.row,
                l.link.to_string(),
                l.source_id.to_string(),
            ));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            read,
            vec![
                (
                    "02-persons".into(),
                    1,
                    7,
                    "organization".into(),
                    "001A".into()
                ),
                ("03-deals".into(), 2, 3, "person".into(), "003,B".into()),
            ]
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("file,part,row,link,source_id\n"), "{text}");
    }
}
