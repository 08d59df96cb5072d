//! Output files that are never half-written: every file is written under a staging folder and
//! moved into place only when the whole export succeeded. Entity files are split into parts
//! that respect Pipedrive's import limits (50,000 rows and 50 MB per file).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::entity::Entity;

use super::line::LineEncoder;

/// Pipedrive's spreadsheet import takes at most this many rows per file.
pub const MAX_ROWS: u64 = 50_000;
/// … and at most this many bytes (50 MB), kept with a margin.
pub const MAX_BYTES: u64 = 50 * 1000 * 1000 - 64 * 1024;

/// The staging folders this process has open, so that a process ending on a signal (which
/// runs no destructors) can still remove them; `None` once [`abandon_all`] ran.
static OPEN_STAGING: Mutex<Option<Vec<PathBuf>>> = Mutex::new(Some(Vec::new()));

fn open_staging() -> MutexGuard<'static, Option<Vec<PathBuf>>> {
    // A panic elsewhere while the list was held leaves it usable: it is only a list of paths.
    OPEN_STAGING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes every staging folder of this process and refuses every later commit and staging
/// folder, so that nothing more appears under a final name. For a process about to end on a
/// signal (Ctrl-C): it runs no destructors, so the folders would stay behind. An export that is
/// moving its files into place when this is called finishes that move first. Returns how many
/// exports were abandoned.
pub fn abandon_all() -> usize {
    let mut open = open_staging();
    let dirs = open.take().unwrap_or_default();
    for dir in &dirs {
        // The export may still be creating a file in it; a few tries outlast that.
        for _ in 0..10 {
            match std::fs::remove_dir_all(dir) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => continue,
                _ => break,
            }
        }
    }
    dirs.len()
}

fn interrupted() -> io::Error {
    io::Error::new(
        io::ErrorKind::Interrupted,
        "interrupted; the export was abandoned",
    )
}

/// A folder the export is written into before it is moved to its final place.
#[derive(Debug)]
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    /// Creates a staging folder beside `out` (same file system, so the final move is a rename).
    pub fn new(out: &Path) -> io::Result<Staging> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // A file where a folder of the path should be would otherwise be told as "File exists".
        if let Some(file) = parent
            .ancestors()
            .find(|a| a.exists())
            .filter(|a| !a.is_dir())
        {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!(
                    "{} is a file, not a folder, so the output folder cannot be made in it",
                    file.display()
                ),
            ));
        }
        std::fs::create_dir_all(&parent)?;
        let mut open = open_staging();
        let Some(list) = open.as_mut() else {
            return Err(interrupted());
        };
        let dir = tempfile::Builder::new()
            .prefix(".pipemap-staging-")
            .tempdir_in(&parent)?;
        list.push(dir.path().to_path_buf());
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    /// Where a file of the export is staged.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Moves every staged file into `out` (created if missing). Each file appears under its
    /// final name only when complete. An earlier export in `out` is replaced whole: its files
    /// with the same names are overwritten, and its own files this export does not write (an
    /// entity file it no longer has, split parts, sample files) are removed; files of any
    /// other name are left alone.
    pub fn commit(self) -> io::Result<Committed> {
        // Held for the whole move: an interrupt waits for it rather than cutting it short.
        let open = open_staging();
        if open.is_none() {
            return Err(interrupted());
        }
        std::fs::create_dir_all(&self.out)?;
        let earlier = earlier_export_files(&self.out)?;
        let mut moved = Vec::new();
        move_tree(self.dir.path(), &self.out, &mut moved)?;
        let earlier = match earlier {
            Some(files) => Some(remove_stale(&self.out, files, &moved)?),
            None => None,
        };
        drop(open);
        Ok(Committed { moved, earlier })
    }
}

/// What committing an export did in its output folder.
#[derive(Debug)]
pub struct Committed {
    /// The export's files under their final names.
    pub moved: Vec<PathBuf>,
    /// `None` when the folder held no earlier export; otherwise the earlier export's files
    /// (relative to the folder, `/`-separated) that this export does not write, now removed.
    pub earlier: Option<Vec<String>>,
}

/// The files pipemap writes into an export folder under fixed names.
const FIXED_FILES: [&str; 6] = [
    "summary.json",
    "mapping.yaml",
    "report.md",
    "links.csv",
    "rejects.csv",
    "warnings.csv",
];

/// Whether `name` is one of the entity files pipemap writes: `02-persons.csv`, or a split part
/// `02-persons-3.csv`.
fn is_entity_file(name: &str) -> bool {
    Entity::ALL.iter().any(|e| {
        name.strip_prefix(e.file_stem())
            .and_then(|rest| rest.strip_suffix(".csv"))
            .is_some_and(|part| {
                part.is_empty()
                    || part
                        .strip_prefix('-')
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
    })
}

/// The files of an earlier export in `out` (recognised by its summary.json or mapping.yaml),
/// relative to `out`: its fixed files, entity files and their parts, and the entity files under
/// sample/. `None` when `out` holds no earlier export. Symbolic links and folders are never
/// counted as its files.
fn earlier_export_files(out: &Path) -> io::Result<Option<Vec<String>>> {
    let marked = ["summary.json", "mapping.yaml"]
        .iter()
        .any(|name| out.join(name).is_file());
    if !marked {
        return Ok(None);
    }
    let mut files: Vec<String> = plain_files(out)?
        .into_iter()
        .filter(|name| FIXED_FILES.contains(&name.as_str()) || is_entity_file(name))
        .collect();
    files.extend(
        plain_files(&out.join("sample"))?
            .into_iter()
            .filter(|name| is_entity_file(name))
            .map(|name| format!("sample/{name}")),
    );
    files.sort();
    Ok(Some(files))
}

/// The names of the regular files directly in `dir` (none when it does not exist).
fn plain_files(dir: &Path) -> io::Result<Vec<String>> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Vec::new());
        }
        Err(e) => return Err(e),
    };
    let mut names = Vec::new();
    for entry in read {
        let entry = entry?;
        if entry.file_type()?.is_file()
            && let Ok(name) = entry.file_name().into_string()
        {
            names.push(name);
        }
    }
    Ok(names)
}

/// Removes the earlier export's files that the new export did not write over; returns them.
fn remove_stale(out: &Path, earlier: Vec<String>, moved: &[PathBuf]) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    for name in earlier {
        let path = out.join(&name);
        if moved.contains(&path) {
            continue;
        }
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => removed.push(name),
        }
    }
    if removed.iter().any(|name| name.starts_with("sample/")) {
        // Left when the user keeps files of their own in it.
        let _ = std::fs::remove_dir(out.join("sample"));
    }
    Ok(removed)
}

impl Drop for Staging {
    fn drop(&mut self) {
        // The folder itself goes with `dir`; here it only leaves the list.
        if let Some(list) = open_staging().as_mut() {
            list.retain(|p| p != self.dir.path());
        }
    }
}

fn move_tree(from: &Path, to: &Path, moved: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            move_tree(&entry.path(), &target, moved)?;
        } else {
            std::fs::rename(entry.path(), &target)?;
            moved.push(target);
        }
    }
    Ok(())
}

/// One output CSV per entity, split into numbered parts when it outgrows the import limits.
pub struct PartWriter {
    dir: PathBuf,
    stem: String,
    header: Vec<String>,
    current: Option<BufWriter<File>>,
    /// The line being encoded, reused row after row.
    line: Vec<u8>,
    parts: Vec<(PathBuf, u64)>,
    rows_in_part: u64,
    bytes_in_part: u64,
    max_rows: u64,
    max_bytes: u64,
}

impl PartWriter {
    /// A writer for `dir/stem.csv` (or `stem-1.csv`, `stem-2.csv` … when split).
    pub fn new(dir: &Path, stem: &str, header: Vec<String>) -> PartWriter {
        PartWriter::with_limits(dir, stem, header, MAX_ROWS, MAX_BYTES)
    }

    /// The same with other limits (tests use small ones).
    pub fn with_limits(
        dir: &Path,
        stem: &str,
        header: Vec<String>,
        max_rows: u64,
        max_bytes: u64,
    ) -> PartWriter {
        PartWriter {
            dir: dir.to_path_buf(),
            stem: stem.to_string(),
            header,
            current: None,
            line: Vec::new(),
            parts: Vec::new(),
            rows_in_part: 0,
            bytes_in_part: 0,
            max_rows,
            max_bytes,
        }
    }

    /// Writes one row; starts a new part first when this one is full.
    /// Returns the part (1-based) and the row within it (1-based).
    pub fn write(&mut self, row: &[String]) -> io::Result<(usize, u64)> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        LineEncoder.encode(row, &mut line);
        let at = self.write_line(&line, row_len(row));
        self.line = line;
        at
    }

    /// Writes one row already encoded as a CSV line (by [`LineEncoder`]); `len` is its
    /// [`row_len`], what the part's size limit counts.
    pub fn write_line(&mut self, line: &[u8], len: u64) -> io::Result<(usize, u64)> {
        let full = self.rows_in_part >= self.max_rows || self.bytes_in_part + len > self.max_bytes;
        if self.current.is_none() || full {
            self.start_part()?;
        }
        let writer = self.current.as_mut().expect("a part is open");
        writer.write_all(line)?;
        self.rows_in_part += 1;
        self.bytes_in_part += len;
        if let Some(last) = self.parts.last_mut() {
            last.1 += 1;
        }
        Ok((self.parts.len(), self.rows_in_part))
    }

    /// The staged file of the part being written (the first part's before any row).
    pub fn current_path(&self) -> PathBuf {
        match self.parts.last() {
            Some((path, _)) => path.clone(),
            None => self.dir.join(format!("{}.part1", self.stem)),
        }
    }

    fn start_part(&mut self) -> io::Result<()> {
        if let Some(mut w) = self.current.take() {
            w.flush()?;
        }
        let path = self
            .dir
            .join(format!("{}.part{}", self.stem, self.parts.len() + 1));
        let file = File::create(&path)?;
        let mut writer = BufWriter::with_capacity(256 * 1024, file);
        let mut header = Vec::new();
        LineEncoder.encode(&self.header, &mut header);
        writer.write_all(&header)?;
        self.current = Some(writer);
        self.parts.push((path, 0));
        self.rows_in_part = 0;
        self.bytes_in_part = row_len(&self.header);
        Ok(())
    }

    /// Closes the last part and names the parts: `stem.csv` when there is one, `stem-1.csv` …
    /// when there are several. Returns (file name, rows) for each; nothing when no row was written.
    pub fn finish(mut self) -> io::Result<Vec<(String, u64)>> {
        if let Some(mut w) = self.current.take() {
            w.flush()?;
            w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        let several = self.parts.len() > 1;
        let mut named = Vec::new();
        for (i, (path, rows)) in self.parts.iter().enumerate() {
            let name = if several {
                format!("{}-{}.csv", self.stem, i + 1)
            } else {
                format!("{}.csv", self.stem)
            };
            std::fs::rename(path, self.dir.join(&name))?;
            named.push((name, *rows));
        }
        Ok(named)
    }
}

/// A row's size in CSV, close enough to keep a part under the byte limit.
pub fn row_len(row: &[String]) -> u64 {
    row.iter().map(|f| f.len() as u64 + 3).sum::<u64>() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_at_the_row_limit_and_are_named_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = PartWriter::with_limits(
            dir.path(),
            "02-persons",
            vec!["Person - Name".into()],
            2,
            MAX_BYTES,
        );
        for name in ["a", "b", "c", "d", "e"] {
            w.write(&[name.to_string()]).unwrap();
        }
        let parts = w.finish().unwrap();
        let names: Vec<_> = parts.iter().map(|(n, r)| (n.as_str(), *r)).collect();
        assert_eq!(
            names,
            [
                ("02-persons-1.csv", 2),
                ("02-persons-2.csv", 2),
                ("02-persons-3.csv", 1)
            ]
        );
        let third = std::fs::read_to_string(dir.path().join("02-persons-3.csv")).unwrap();
        assert_eq!(third, "Person - Name\ne\n");
    }

    #[test]
    fn a_single_part_keeps_the_plain_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = PartWriter::new(
            dir.path(),
            "01-organizations",
            vec!["Organization - Name".into()],
        );
        w.write(&["Acme".to_string()]).unwrap();
        assert_eq!(
            w.finish().unwrap(),
            vec![("01-organizations.csv".to_string(), 1)]
        );
    }

    #[test]
    fn entity_files_and_their_parts_are_told_from_other_names() {
        for own in [
            "01-organizations.csv",
            "02-persons-1.csv",
            "06-notes-12.csv",
        ] {
            assert!(is_entity_file(own), "{own}");
        }
        for other in [
            "02-persons.csv.bak",
            "02-persons-.csv",
            "02-persons-a.csv",
            "02-persons copy.csv",
            "persons.csv",
            "08-things.csv",
            "02-persons.CSV",
        ] {
            assert!(!is_entity_file(other), "{other}");
        }
    }

    #[test]
    fn staging_moves_files_into_place_only_on_commit() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        let staging = Staging::new(&out).unwrap();
        std::fs::write(staging.path("summary.json"), "{}").unwrap();
        assert!(!out.exists());
        staging.commit().unwrap();
        assert!(out.join("summary.json").exists());
        let leftovers: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".pipemap"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
