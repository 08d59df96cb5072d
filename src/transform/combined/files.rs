//! The file work of the combined layout: reading and rewriting an entity's output parts, the
//! sidecar of the records' own source ids, and links.csv's lines.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;

use crate::entity::Entity;

use super::super::links_csv::LinksCsv;
use super::super::tally::OutputFile;
use super::super::writer::PartWriter;

/// A row of an output file: its part (1-based) and its row in that part (1-based).
pub(super) type At = (usize, u64);

pub(super) fn csv_err(path: &Path) -> impl Fn(csv::Error) -> io::Error + '_ {
    move |e| io::Error::other(format!("{}: {e}", path.display()))
}

/// The parts of one entity's output, in order.
pub(super) fn parts(outputs: &[OutputFile], entity: Entity) -> Vec<String> {
    outputs
        .iter()
        .filter(|o| o.entity == entity)
        .map(|o| o.file.clone())
        .collect()
}

/// Reads every row of an entity's parts, calling `each(at, row)`.
pub(super) fn each_row(
    dir: &Path,
    files: &[String],
    mut each: impl FnMut(At, &csv::StringRecord) -> io::Result<()>,
) -> io::Result<()> {
    for (p, file) in files.iter().enumerate() {
        let path = dir.join(file);
        let mut reader = csv::Reader::from_path(&path).map_err(csv_err(&path))?;
        let mut record = csv::StringRecord::new();
        let mut row = 0u64;
        while reader.read_record(&mut record).map_err(csv_err(&path))? {
            row += 1;
            each((p + 1, row), &record)?;
        }
    }
    Ok(())
}

/// Calls `each(file stem, part, row, linked entity, source id)` for every line of `links.csv`.
pub(super) fn each_link(
    path: &Path,
    mut each: impl FnMut(&str, usize, u64, &str, &str) -> io::Result<()>,
) -> io::Result<()> {
    LinksCsv::each(path, |l| each(l.stem, l.part, l.row, l.link, l.source_id))
}

/// Per file stem, source id → the output row of each person, organization and deal, from the
/// sidecar the export wrote (stem, part, row, source id).
pub(super) type OwnIds = HashMap<String, HashMap<String, At>>;

pub(super) fn read_own_ids(path: &Path) -> io::Result<OwnIds> {
    let mut reader = csv::Reader::from_path(path).map_err(csv_err(path))?;
    let mut ids: OwnIds = HashMap::new();
    for record in reader.records() {
        let r = record.map_err(csv_err(path))?;
        if let (Ok(part), Ok(row)) = (r[1].parse(), r[2].parse()) {
            ids.entry(r[0].to_string())
                .or_default()
                .entry(r[3].to_string())
                .or_insert((part, row));
        }
    }
    Ok(ids)
}

/// The output row of the `entity` record with this source id.
pub(super) fn row_of(ids: &OwnIds, entity: Entity, id: &str) -> Option<At> {
    ids.get(entity.file_stem())?.get(id).copied()
}

/// The first non-empty cell among the columns whose header starts with `prefix`.
pub(super) fn first_cell<'a>(
    headers: &csv::StringRecord,
    row: &'a csv::StringRecord,
    prefix: &str,
) -> &'a str {
    headers
        .iter()
        .zip(row.iter())
        .find(|(h, v)| h.starts_with(prefix) && !v.is_empty())
        .map_or("", |(_, v)| v)
}

pub(super) fn headers_of(dir: &Path, files: &[String]) -> io::Result<Option<csv::StringRecord>> {
    let Some(first) = files.first() else {
        return Ok(None);
    };
    let path = dir.join(first);
    let mut reader = csv::Reader::from_path(&path).map_err(csv_err(&path))?;
    Ok(Some(reader.headers().map_err(csv_err(&path))?.clone()))
}

/// Rows taken out of an entity's files.
#[derive(Default)]
pub(super) struct Taken {
    /// The headers of the kept columns.
    pub(super) headers: Vec<String>,
    /// The rewritten files.
    pub(super) outputs: Vec<OutputFile>,
    /// The rows taken out (old position → the kept columns).
    pub(super) aside: HashMap<At, Vec<String>>,
    /// The rows left: old position → new position.
    pub(super) moved: HashMap<At, At>,
    /// False when nothing was taken out: the files and their rows stay as they were.
    pub(super) rewritten: bool,
}

/// Rewrites an entity's parts through a staging folder: `each` gives a row's new cells, or None
/// to leave it out. Returns the new parts and where each written row went.
pub(super) fn rewrite_parts(
    dir: &Path,
    entity: Entity,
    files: &[String],
    header: Vec<String>,
    mut each: impl FnMut(At, &csv::StringRecord) -> io::Result<Option<Vec<String>>>,
) -> io::Result<(Vec<OutputFile>, HashMap<At, At>)> {
    let staged = dir.join(format!(".combined-{}", entity.as_str()));
    std::fs::create_dir_all(&staged)?;
    let mut writer = PartWriter::new(&staged, entity.file_stem(), header);
    let mut moved = HashMap::new();
    each_row(dir, files, |at, row| {
        if let Some(cells) = each(at, row)? {
            moved.insert(at, writer.write(&cells)?);
        }
        Ok(())
    })?;
    let written = writer.finish()?;
    for file in files {
        std::fs::remove_file(dir.join(file))?;
    }
    let mut outputs = Vec::new();
    for (file, rows) in written {
        std::fs::rename(staged.join(&file), dir.join(&file))?;
        outputs.push(OutputFile { file, entity, rows });
    }
    std::fs::remove_dir(&staged)?;
    Ok((outputs, moved))
}

/// Rewrites an entity's parts without the rows in `taken` (kept aside, by position, with
/// the columns `keep`), returning the new outputs and where each kept row moved.
pub(super) fn take_rows(
    dir: &Path,
    entity: Entity,
    files: &[String],
    taken: &HashSet<At>,
    keep: &[usize],
) -> io::Result<Taken> {
    let Some(headers) = headers_of(dir, files)? else {
        return Ok(Taken::default());
    };
    let mut aside = HashMap::new();
    let header = headers.iter().map(String::from).collect();
    let (outputs, moved) = rewrite_parts(dir, entity, files, header, |at, row| {
        if taken.contains(&at) {
            let kept = keep.iter().map(|&c| row.get(c).unwrap_or("").to_string());
            aside.insert(at, kept.collect());
            Ok(None)
        } else {
            Ok(Some(row.iter().map(String::from).collect()))
        }
    })?;
    Ok(Taken {
        headers: Vec::new(),
        outputs,
        aside,
        moved,
        rewritten: true,
    })
}
