//! Which tables a path holds, and what each is called.
//!
//! A source name is written the same way everywhere (CLI, JSON, reports, rejects, profiles):
//! `contacts.csv`, `leads.csv.gz`, `book.xlsx#Sheet name`, `export.zip/path/inside.csv`, and
//! `export.zip/Report.xlsx#Sheet1` for a sheet of a workbook inside an archive. A name can be
//! given back on the command line and resolves to the same table.

use std::path::{Path, PathBuf};

use super::SourceError;
use super::archive::{self, MemberKind};
use super::workbook::{self, Book, WorkbookKind};

/// One table: its name and where its rows come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    /// The name used everywhere for this table.
    pub name: String,
    /// Where the table's rows are.
    pub origin: Origin,
}

/// Where a table's rows are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A CSV/TSV file.
    File(PathBuf),
    /// A gzip-compressed CSV/TSV file.
    Gzip(PathBuf),
    /// A CSV/TSV member (optionally `.gz`) of a ZIP archive.
    ZipMember {
        /// The archive on disk.
        archive: PathBuf,
        /// The member's path inside it.
        member: String,
        /// Which member of that name (0 for the first) when the archive repeats the name.
        occurrence: usize,
    },
    /// A sheet of a workbook on disk, or of a workbook that is a member of a ZIP archive.
    Sheet {
        /// The workbook on disk, or the archive holding it.
        workbook: PathBuf,
        /// The workbook's path inside the archive, when it is in one.
        member: Option<String>,
        /// The sheet's name.
        sheet: String,
    },
}

/// The tables some paths hold, and notes on what was passed over (hidden or empty sheets,
/// archive members that are not tables or whose names point outside the archive).
#[derive(Debug, Default)]
pub struct Expansion {
    /// The tables, in the order given, folders and archives in name order.
    pub sources: Vec<SourceRef>,
    /// Things left out, each naming the file.
    pub notes: Vec<String>,
}

/// What kind of file a path holds, from its name (and first bytes when the name does not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Text,
    Gzip,
    Zip,
    Workbook(WorkbookKind),
}

fn container_of(path: &Path) -> Container {
    let name = path.to_string_lossy().to_lowercase();
    if name.ends_with(".zip") {
        return Container::Zip;
    }
    if let Some(kind) = WorkbookKind::from_name(&name) {
        return Container::Workbook(kind);
    }
    if name.ends_with(".gz") {
        return Container::Gzip;
    }
    let texty = [".csv", ".tsv", ".txt", ".tab"]
        .iter()
        .any(|e| name.ends_with(e));
    if texty {
        return Container::Text;
    }
    // No telling extension: look at the magic bytes.
    let mut head = [0u8; 4];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    match &head[..n] {
        [0x50, 0x4B, 0x03, 0x04] => archive::package_kind(path)
            .map(Container::Workbook)
            .unwrap_or(Container::Zip),
        [0xD0, 0xCF, 0x11, 0xE0] => Container::Workbook(WorkbookKind::Xls),
        [0x1F, 0x8B, ..] => Container::Gzip,
        _ => Container::Text,
    }
}

/// The workbook format of a file, by its name or else its first bytes.
pub(crate) fn workbook_kind(path: &Path) -> Option<WorkbookKind> {
    match container_of(path) {
        Container::Workbook(kind) => Some(kind),
        _ => None,
    }
}

/// Whether a file in a folder is one pipemap reads (tables, workbooks, archives); lock files
/// and hidden files are not.
pub fn is_source_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_lowercase();
    path.is_file()
        && !lower.starts_with('.')
        && !lower.starts_with("~$")
        && ([".csv", ".tsv", ".txt", ".tab", ".csv.gz", ".tsv.gz", ".zip"]
            .iter()
            .any(|e| lower.ends_with(e))
            || WorkbookKind::from_name(&lower).is_some())
}

/// The tables named by files, folders, archives, workbooks and source names, in order.
pub fn expand(paths: &[PathBuf]) -> Result<Expansion, SourceError> {
    let mut out = Expansion::default();
    for path in paths {
        if path.is_dir() {
            let display = super::display_name(path);
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| super::io_error(&display, e))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| is_source_file(p))
                .collect();
            inside.sort();
            let below = subfolder_note(path);
            if inside.is_empty() {
                let mut message =
                    "the folder holds no .csv, .tsv, .txt, .gz, .zip or workbook files".to_string();
                if let Some(note) = &below {
                    message = format!("{message} itself ({note})");
                }
                return Err(SourceError::NoTables {
                    file: display,
                    message,
                });
            }
            if let Some(note) = below {
                out.notes.push(format!("{display}: {note}"));
            }
            for file in inside {
                resolve_into(&file, &mut out)?;
            }
        } else {
            resolve_into(path, &mut out)?;
        }
    }
    read_once(&mut out);
    Ok(out)
}

/// Entries looked at below a folder's subfolders at most, to tell whether they hold tables.
const SUBFOLDER_ENTRIES: usize = 10_000;

/// What a folder's subfolders hold that a folder given by name does not read: None when they
/// hold no table files. Hidden folders are passed over, as hidden files are.
fn subfolder_note(dir: &Path) -> Option<String> {
    let mut budget = SUBFOLDER_ENTRIES;
    let mut named = Vec::new();
    let mut files = 0usize;
    let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !hidden(p))
        .collect();
    subs.sort();
    for sub in subs {
        let n = tables_below(&sub, &mut budget);
        if n > 0 {
            files += n;
            named.push(super::display_name(&sub));
        }
    }
    if named.is_empty() {
        return None;
    }
    let more = if budget == 0 { " or more" } else { "" };
    Some(format!(
        "its subfolder(s) {} hold {files}{more} table file(s) that were not read; give them as well to read them",
        named.join(", ")
    ))
}

fn hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || n.eq_ignore_ascii_case("__MACOSX"))
}

/// Table files in a folder and its subfolders, looking at no more than `budget` entries.
fn tables_below(dir: &Path, budget: &mut usize) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for entry in entries.flatten() {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        let path = entry.path();
        // No following links into folders: a link back up would loop.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !hidden(&path) {
            n += tables_below(&path, budget);
        } else if is_source_file(&path) {
            n += 1;
        }
    }
    n
}

/// Leaves out a table named twice — the same path twice, a folder and a file in it, a link to
/// a file already named — so that its rows are read once, with a note naming both names.
fn read_once(out: &mut Expansion) {
    let mut seen: std::collections::HashMap<(FileId, String), String> =
        std::collections::HashMap::with_capacity(out.sources.len());
    let mut notes = Vec::new();
    out.sources.retain(|source| {
        let inner = match &source.origin {
            Origin::File(_) | Origin::Gzip(_) => String::new(),
            Origin::ZipMember {
                member, occurrence, ..
            } => format!("/{member}/{occurrence}"),
            Origin::Sheet { member, sheet, .. } => {
                format!("/{}#{sheet}", member.as_deref().unwrap_or(""))
            }
        };
        let key = (FileId::of(source.disk_path()), inner);
        match seen.get(&key) {
            Some(first) => {
                notes.push(if *first == source.name {
                    format!("{first} was given twice: read once")
                } else {
                    format!(
                        "{} is the same table as {first}: read once, as {first}",
                        source.name
                    )
                });
                false
            }
            None => {
                seen.insert(key, source.name.clone());
                true
            }
        }
    });
    out.notes.extend(notes);
}

/// What tells one file on disk from another whatever path leads to it: device and inode where
/// the system has them (links, `./a` and `a` alike), else the canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

impl FileId {
    fn of(path: &Path) -> FileId {
        #[cfg(unix)]
        if let Ok(meta) = std::fs::metadata(path) {
            use std::os::unix::fs::MetadataExt;
            return FileId::Inode(meta.dev(), meta.ino());
        }
        FileId::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// The tables one path names: a file or source name gives one, a workbook or archive all of
/// its tables.
pub fn resolve(path: &Path) -> Result<Expansion, SourceError> {
    let mut out = Expansion::default();
    resolve_into(path, &mut out)?;
    Ok(out)
}

/// Whether a path holds several tables (a workbook, an archive or a folder) rather than
/// naming one.
pub fn is_container(path: &Path) -> bool {
    path.is_dir()
        || (path.is_file() && matches!(container_of(path), Container::Zip | Container::Workbook(_)))
}

fn resolve_into(path: &Path, out: &mut Expansion) -> Result<(), SourceError> {
    let display = super::display_name(path);
    if path.is_dir() {
        return Err(super::io_error(
            &display,
            std::io::Error::other("is a folder, not a file"),
        ));
    }
    if path.is_file() {
        let origin = match container_of(path) {
            Container::Text => Origin::File(path.to_path_buf()),
            Container::Gzip => Origin::Gzip(path.to_path_buf()),
            Container::Zip => return archive_into(path, &display, out),
            Container::Workbook(kind) => {
                let book = Book::File(path.to_path_buf());
                return sheets_into(book, kind, path, None, &display, out);
            }
        };
        out.sources.push(SourceRef {
            name: display,
            origin,
        });
        return Ok(());
    }
    // Not a file: a source name inside a workbook (`#Sheet`) or an archive (`/member`).
    let text = path.to_string_lossy();
    for (i, _) in text.match_indices('#') {
        let book = Path::new(&text[..i]);
        if let (true, Container::Workbook(_)) = (book.is_file(), container_of(book)) {
            let sheet = text[i + 1..].to_string();
            out.sources.push(SourceRef {
                name: display,
                origin: Origin::Sheet {
                    workbook: book.to_path_buf(),
                    member: None,
                    sheet,
                },
            });
            return Ok(());
        }
    }
    for outer in path.ancestors().skip(1) {
        if outer.as_os_str().is_empty() || !outer.is_file() {
            continue;
        }
        if container_of(outer) != Container::Zip {
            break;
        }
        let rest = path.strip_prefix(outer).unwrap_or(path);
        let member: Vec<String> = rest
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        return member_into(outer, &member.join("/"), &display, out);
    }
    Err(SourceError::NotFound { file: display })
}

/// A member named inside an archive: a table, a workbook (all its sheets), or a sheet of one.
fn member_into(
    archive_path: &Path,
    member: &str,
    name: &str,
    out: &mut Expansion,
) -> Result<(), SourceError> {
    let display = super::display_name(archive_path);
    // `contacts.csv (2)`: the second member of that name, in an archive that repeats it.
    if !archive::has_member(archive_path, &display, member)?
        && let Some((base, occurrence)) = archive::parse_occurrence(member)
        && archive::member_kind(base) != Some(MemberKind::Workbook)
        && archive::list(archive_path, &display)?
            .members
            .iter()
            .any(|m| m.name == base && m.occurrence == occurrence)
    {
        out.sources.push(SourceRef {
            name: name.to_string(),
            origin: Origin::ZipMember {
                archive: archive_path.to_path_buf(),
                member: base.to_string(),
                occurrence,
            },
        });
        return Ok(());
    }
    if archive::has_member(archive_path, &display, member)? {
        return match archive::member_kind(member) {
            Some(MemberKind::Workbook) => {
                let kind = WorkbookKind::from_name(member).unwrap_or(WorkbookKind::Xlsx);
                let bytes = archive::read_member(archive_path, &display, member, name)?;
                sheets_into(
                    Book::Bytes(bytes),
                    kind,
                    archive_path,
                    Some(member),
                    name,
                    out,
                )
            }
            _ => {
                out.sources.push(SourceRef {
                    name: name.to_string(),
                    origin: Origin::ZipMember {
                        archive: archive_path.to_path_buf(),
                        member: member.to_string(),
                        occurrence: 0,
                    },
                });
                Ok(())
            }
        };
    }
    for (i, _) in member.match_indices('#') {
        let book = &member[..i];
        if WorkbookKind::from_name(book).is_some()
            && archive::has_member(archive_path, &display, book)?
        {
            out.sources.push(SourceRef {
                name: name.to_string(),
                origin: Origin::Sheet {
                    workbook: archive_path.to_path_buf(),
                    member: Some(book.to_string()),
                    sheet: member[i + 1..].to_string(),
                },
            });
            return Ok(());
        }
    }
    Err(SourceError::NotFound {
        file: name.to_string(),
    })
}

fn archive_into(path: &Path, display: &str, out: &mut Expansion) -> Result<(), SourceError> {
    let listing = archive::list(path, display)?;
    out.notes.extend(listing.notes.iter().cloned());
    let before = out.sources.len();
    for m in &listing.members {
        let name = format!("{display}/{}", m.source_name());
        if m.kind == MemberKind::Workbook && m.occurrence > 0 {
            out.notes.push(format!(
                "{name}: skipped: a second workbook of the same name in the archive cannot be told apart by its name; unpack the archive and give the workbooks"
            ));
        } else if m.kind == MemberKind::Workbook {
            let kind = WorkbookKind::from_name(&m.name).unwrap_or(WorkbookKind::Xlsx);
            let bytes = archive::read_member(path, display, &m.name, &name)?;
            sheets_into(Book::Bytes(bytes), kind, path, Some(&m.name), &name, out)?;
        } else {
            out.sources.push(SourceRef {
                name,
                origin: Origin::ZipMember {
                    archive: path.to_path_buf(),
                    member: m.name.clone(),
                    occurrence: m.occurrence,
                },
            });
        }
    }
    if out.sources.len() == before {
        let mut message = "the archive holds no CSV/TSV files or workbooks".to_string();
        if !listing.notes.is_empty() {
            message = format!("{message} ({})", listing.notes.join("; "));
        }
        return Err(SourceError::NoTables {
            file: display.to_string(),
            message,
        });
    }
    Ok(())
}

fn sheets_into(
    book: Book,
    kind: WorkbookKind,
    path: &Path,
    member: Option<&str>,
    display: &str,
    out: &mut Expansion,
) -> Result<(), SourceError> {
    let list = workbook::list_sheets(book, kind, display)?;
    if list.sheets.is_empty() {
        return Err(SourceError::NoTables {
            file: display.to_string(),
            message: format!(
                "the workbook holds no sheet with data ({})",
                if list.notes.is_empty() {
                    "no worksheets".to_string()
                } else {
                    list.notes.join("; ")
                }
            ),
        });
    }
    out.notes.extend(list.notes);
    for sheet in list.sheets {
        out.sources.push(SourceRef {
            name: format!("{display}#{sheet}"),
            origin: Origin::Sheet {
                workbook: path.to_path_buf(),
                member: member.map(str::to_string),
                sheet,
            },
        });
    }
    Ok(())
}

/// What the file system says about the file that holds a table: its size and modification
/// time. Two equal fingerprints taken before and after reading mean the file did not change
/// under the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl SourceRef {
    /// The file on disk that holds this table: the file itself, or its archive or workbook.
    pub fn disk_path(&self) -> &Path {
        match &self.origin {
            Origin::File(p) | Origin::Gzip(p) => p,
            Origin::ZipMember { archive, .. } => archive,
            Origin::Sheet { workbook, .. } => workbook,
        }
    }

    /// The size and modification time of [`SourceRef::disk_path`] now.
    pub fn fingerprint(&self) -> Result<Fingerprint, SourceError> {
        let meta =
            std::fs::metadata(self.disk_path()).map_err(|e| super::io_error(&self.name, e))?;
        Ok(Fingerprint {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// Bytes the source holds, as far as it can be known without reading it, for progress:
    /// the file's size, a member's unpacked size, a workbook's size for its sheets.
    pub fn size_hint(&self) -> Option<u64> {
        match &self.origin {
            Origin::File(p) | Origin::Gzip(p) | Origin::Sheet { workbook: p, .. } => {
                std::fs::metadata(p).ok().map(|m| m.len())
            }
            Origin::ZipMember {
                archive, member, ..
            } => archive::member_size(archive, member),
        }
    }
}

/// Anything that names tables: a [`SourceRef`], or a path or source name (resolved on use, so
/// a workbook or archive names all of its tables).
pub trait AsSources {
    /// The tables this names.
    fn as_sources(&self) -> Result<Vec<SourceRef>, SourceError>;
}

impl AsSources for SourceRef {
    fn as_sources(&self) -> Result<Vec<SourceRef>, SourceError> {
        Ok(vec![self.clone()])
    }
}

impl AsSources for PathBuf {
    fn as_sources(&self) -> Result<Vec<SourceRef>, SourceError> {
        Ok(resolve(self)?.sources)
    }
}

impl AsSources for &Path {
    fn as_sources(&self) -> Result<Vec<SourceRef>, SourceError> {
        Ok(resolve(self)?.sources)
    }
}
