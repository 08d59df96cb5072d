//! ZIP archives of exports (Salesforce's weekly Data Export, HubSpot's multi-file exports): the
//! members that are tables, read in place.
//!
//! Nothing is ever extracted: a CSV member is streamed straight from the archive (inflated on the
//! fly, its size and checksum checked), and a workbook member is read into memory. So a member
//! name such as `../../x.csv` cannot touch the file system; such names are still refused, since
//! a source name must not pretend to point outside its archive.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use zip::{CompressionMethod, ZipArchive};

use super::SourceError;
use super::workbook::WorkbookKind;

/// A member larger than this (uncompressed) is refused as a likely ZIP bomb.
pub const MAX_MEMBER_BYTES: u64 = 4 << 30;
/// A member whose uncompressed size exceeds its compressed size this many times over is refused
/// as a likely ZIP bomb, once it is larger than [`RATIO_FLOOR_BYTES`].
pub const MAX_RATIO: u64 = 250;
/// Small members may compress as well as they like (a CSV of empty columns packs tightly).
pub const RATIO_FLOOR_BYTES: u64 = 64 << 20;
/// A workbook inside an archive is read into memory, so it is held to this size.
pub const MAX_WORKBOOK_MEMBER_BYTES: u64 = 512 << 20;

/// What a member of an archive holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    /// A CSV/TSV file.
    Text,
    /// A gzip-compressed CSV/TSV file.
    Gzip,
    /// A workbook (`.xlsx`, `.xls`, `.ods`, …).
    Workbook,
}

/// A member of an archive that pipemap reads as a table (or a workbook of tables).
#[derive(Debug, Clone)]
pub struct Member {
    /// Its path inside the archive, `/`-separated.
    pub name: String,
    /// What it holds.
    pub kind: MemberKind,
    /// Its uncompressed size in bytes.
    pub size: u64,
    /// Which member of this name it is (0 for the first): an archive may hold two members
    /// of one name, and each is read.
    pub occurrence: usize,
}

impl Member {
    /// The name it is known by: its path, with ` (2)`, ` (3)`… for a later member of the same
    /// name (`contacts.csv (2)`).
    pub fn source_name(&self) -> String {
        occurrence_name(&self.name, self.occurrence)
    }
}

/// `name`, or `name (n+1)` for the member after the first of that name.
pub fn occurrence_name(name: &str, occurrence: usize) -> String {
    if occurrence == 0 {
        name.to_string()
    } else {
        format!("{name} ({})", occurrence + 1)
    }
}

/// The member name and occurrence a source name's member part stands for: `contacts.csv (2)`
/// is the second `contacts.csv` when the archive holds two.
pub fn parse_occurrence(name: &str) -> Option<(&str, usize)> {
    let (base, rest) = name.rsplit_once(" (")?;
    let n: usize = rest.strip_suffix(')')?.parse().ok()?;
    (n >= 2).then_some((base, n - 1))
}

/// The table members of an archive, in archive order, and notes on what was passed over.
#[derive(Debug, Default)]
pub struct Listing {
    /// Members that are tables or workbooks.
    pub members: Vec<Member>,
    /// Members left out, and why (an unsafe name, not a table).
    pub notes: Vec<String>,
}

/// What a member's name says it holds, if it is a table at all. Plain `.txt` members are left
/// out: inside an export archive they are read-me files far more often than tables.
pub fn member_kind(name: &str) -> Option<MemberKind> {
    let lower = name.to_lowercase();
    let base = lower.rsplit('/').next().unwrap_or(&lower);
    if base.starts_with("._") || base.starts_with("~$") || lower.starts_with("__macosx/") {
        return None;
    }
    if [".csv", ".tsv", ".tab"].iter().any(|e| lower.ends_with(e)) {
        Some(MemberKind::Text)
    } else if [".csv.gz", ".tsv.gz"].iter().any(|e| lower.ends_with(e)) {
        Some(MemberKind::Gzip)
    } else if WorkbookKind::from_name(&lower).is_some() {
        Some(MemberKind::Workbook)
    } else {
        None
    }
}

/// Whether a member name stays inside the archive: no absolute path, drive, `..` or NUL.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains('\0')
        && !name.starts_with(['/', '\\'])
        && name.get(1..2) != Some(":")
        && name.split(['/', '\\']).all(|part| part != "..")
}

/// An archive's central directory as last read, by the file's path, size and time stamp.
type DirectoryKey = (std::path::PathBuf, u64, Option<std::time::SystemTime>);

/// Central directories already read: every member of an archive is opened on its own (and
/// in several passes), and reading the whole directory for each would make the time grow
/// with the square of the member count.
static DIRECTORIES: std::sync::Mutex<
    Vec<(DirectoryKey, std::sync::Arc<zip::read::ZipArchiveMetadata>)>,
> = std::sync::Mutex::new(Vec::new());

/// How many archives' directories are kept.
const DIRECTORIES_KEPT: usize = 8;

fn open_archive(path: &Path, display: &str) -> Result<ZipArchive<BufReader<File>>, SourceError> {
    let file = File::open(path).map_err(|e| super::io_error(display, e))?;
    let key = file
        .metadata()
        .ok()
        .map(|m| (path.to_path_buf(), m.len(), m.modified().ok()));
    let known = key.as_ref().and_then(|key| {
        let kept = DIRECTORIES.lock().ok()?;
        kept.iter().find(|(k, _)| k == key).map(|(_, m)| m.clone())
    });
    if let Some(metadata) = known {
        // SAFETY: the metadata was read from this very file, whose path, size and time stamp
        // are unchanged; a file rewritten in the same second to the same size is caught by the
        // export's fingerprint check and by each member's size and checksum.
        return Ok(unsafe { ZipArchive::unsafe_new_with_metadata(BufReader::new(file), metadata) });
    }
    let archive = ZipArchive::new(BufReader::new(file)).map_err(|e| corrupt(display, &e))?;
    if let (Some(key), Ok(mut kept)) = (key, DIRECTORIES.lock()) {
        if kept.len() >= DIRECTORIES_KEPT {
            kept.remove(0);
        }
        kept.push((key, archive.metadata()));
    }
    Ok(archive)
}

fn corrupt(display: &str, err: &zip::result::ZipError) -> SourceError {
    SourceError::Corrupt {
        file: display.to_string(),
        message: format!("not a readable ZIP archive (truncated or corrupt: {err})"),
    }
}

/// Checks a member's declared sizes against the bomb limits.
fn check_sizes(source: &str, size: u64, compressed: u64) -> Result<(), SourceError> {
    if size > MAX_MEMBER_BYTES {
        return Err(SourceError::TooLarge {
            file: source.to_string(),
            message: format!(
                "unpacks to {} MiB, past the limit of {} MiB per member (a ZIP bomb?)",
                size >> 20,
                MAX_MEMBER_BYTES >> 20
            ),
        });
    }
    if size > RATIO_FLOOR_BYTES && size / compressed.max(1) > MAX_RATIO {
        return Err(SourceError::TooLarge {
            file: source.to_string(),
            message: format!(
                "unpacks {}:1 ({} MiB from {}), past the limit of {MAX_RATIO}:1 (a ZIP bomb?)",
                size / compressed.max(1),
                size >> 20,
                if compressed < 1 << 10 {
                    format!("{compressed} bytes")
                } else {
                    format!("{} KiB", compressed >> 10)
                }
            ),
        });
    }
    Ok(())
}

/// Lists the members of an archive that are tables; `display` is the archive's source name.
/// Members that share a name are each listed, the later ones named apart.
pub fn list(path: &Path, display: &str) -> Result<Listing, SourceError> {
    let archive = open_archive(path, display)?;
    check_member_count(display, archive.len())?;
    if archive.has_duplicate_names() {
        return list_local(path, display);
    }
    let mut listing = Listing::default();
    let mut other = 0usize;
    let mut nested: Vec<String> = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_data(i).map_err(|e| corrupt(display, &e))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|e| corrupt(display, &e))?.to_string();
        if !is_safe_name(&name) {
            listing.notes.push(format!(
                "{display}: skipped the member {name:?}: its name points outside the archive"
            ));
            continue;
        }
        let Some(kind) = member_kind(&name) else {
            if is_archive_name(&name) {
                nested.push(name);
            } else {
                other += 1;
            }
            continue;
        };
        let source = format!("{display}/{name}");
        check_sizes(&source, entry.size(), entry.compressed_size())?;
        listing.members.push(Member {
            name,
            kind,
            size: entry.size(),
            occurrence: 0,
        });
    }
    listing.notes.extend(passed_over(display, other, &nested));
    Ok(listing)
}

/// Whether a member's name says it is an archive of its own (read only when unpacked).
fn is_archive_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        ".zip", ".7z", ".rar", ".tar", ".tgz", ".tar.gz", ".gz", ".bz2", ".xz",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// The notes on members passed over: archives inside the archive by name (each may hold
/// tables the export then lacks), the rest counted.
fn passed_over(display: &str, other: usize, nested: &[String]) -> Vec<String> {
    const NAMED: usize = 5;
    let mut notes = Vec::new();
    if !nested.is_empty() {
        let more = nested.len().saturating_sub(NAMED);
        notes.push(format!(
            "{display}: skipped {} archive(s) inside it, not read: {}{}; unpack them and give their files to read them",
            nested.len(),
            nested
                .iter()
                .take(NAMED)
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if other > 0 {
        notes.push(format!(
            "{display}: skipped {other} member(s) that are not CSV/TSV files or workbooks"
        ));
    }
    notes
}

/// Whether an archive holds a member of this exact name.
pub fn has_member(path: &Path, display: &str, member: &str) -> Result<bool, SourceError> {
    Ok(open_archive(path, display)?
        .index_for_name(member)
        .is_some())
}

/// The workbook format of a ZIP-based file whatever its name (an `.xlsx` saved without its
/// extension), if it is a workbook rather than an archive of files.
pub fn package_kind(path: &Path) -> Option<WorkbookKind> {
    let archive = open_archive(path, "").ok()?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("xl/workbook.xml") {
        Some(WorkbookKind::Xlsx)
    } else if has("xl/workbook.bin") {
        Some(WorkbookKind::Xlsb)
    } else if has("mimetype") && has("content.xml") {
        Some(WorkbookKind::Ods)
    } else {
        None
    }
}

/// A member's unpacked size, as the archive declares it.
pub fn member_size(path: &Path, member: &str) -> Option<u64> {
    let archive = open_archive(path, "").ok()?;
    let index = archive.index_for_name(member)?;
    archive.by_index_data(index).ok().map(|e| e.size())
}

/// Opens a member for streaming: inflated as it is read, never written anywhere. `source` is the
/// member's source name (`export.zip/Contact.csv`), used in every message.
pub fn open_member(
    path: &Path,
    display: &str,
    member: &str,
    source: &str,
) -> Result<MemberReader, SourceError> {
    open_nth_member(path, display, member, 0, source)
}

/// [`open_member`] for the `occurrence`th member of that name (0 for the first).
pub fn open_nth_member(
    path: &Path,
    display: &str,
    member: &str,
    occurrence: usize,
    source: &str,
) -> Result<MemberReader, SourceError> {
    let not_found = || SourceError::NotFound {
        file: source.to_string(),
    };
    let mut archive = open_archive(path, display)?;
    let data = if archive.has_duplicate_names() {
        // The central directory as read keeps one member per name: the members' own
        // headers, in order, tell them apart.
        local_entries(path, display)?
            .into_iter()
            .filter(|e| e.name == member)
            .nth(occurrence)
            .ok_or_else(not_found)?
            .data
    } else {
        if occurrence > 0 {
            return Err(not_found());
        }
        let index = archive.index_for_name(member).ok_or_else(not_found)?;
        let raw = archive
            .by_index_raw(index)
            .map_err(|e| corrupt(display, &e))?;
        EntryData {
            start: raw.data_start(),
            compressed: raw.compressed_size(),
            size: raw.size(),
            crc: raw.crc32(),
            method: raw.compression(),
            encrypted: raw.encrypted(),
        }
    };
    let EntryData {
        start,
        compressed,
        size,
        crc,
        method,
        encrypted,
    } = data;
    if encrypted {
        return Err(SourceError::Encrypted {
            file: source.to_string(),
        });
    }
    check_sizes(source, size, compressed)?;
    let start = start.ok_or_else(|| SourceError::Corrupt {
        file: source.to_string(),
        message: "the member's data cannot be found (corrupt archive)".into(),
    })?;
    let mut file = archive.into_inner();
    file.seek(SeekFrom::Start(start))
        .map_err(|e| super::io_error(source, e))?;
    let raw = file.take(compressed);
    let inner: Box<dyn Read + Send> = match method {
        CompressionMethod::Stored => Box::new(raw),
        CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(raw)),
        other => {
            return Err(SourceError::Corrupt {
                file: source.to_string(),
                message: format!(
                    "compressed with {other:?}, which pipemap cannot read; re-pack the archive with ordinary (deflate) compression"
                ),
            });
        }
    };
    Ok(MemberReader {
        inner,
        size,
        crc,
        seen: 0,
        hasher: flate2::Crc::new(),
    })
}

/// Where a member's data is and how it is packed.
#[derive(Debug, Clone, Copy)]
struct EntryData {
    start: Option<u64>,
    compressed: u64,
    size: u64,
    crc: u32,
    method: CompressionMethod,
    encrypted: bool,
}

/// One member as its own (local) header describes it.
#[derive(Debug, Clone)]
struct LocalEntry {
    name: String,
    is_dir: bool,
    data: EntryData,
}

/// Counts the bytes read through it, for the offset of each member's data.
struct Counting<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// Every member of an archive in order, from the members' own headers: duplicates of a name
/// included, which the central directory as read keeps only once. One pass over the archive.
fn local_entries(path: &Path, display: &str) -> Result<Vec<LocalEntry>, SourceError> {
    let file = File::open(path).map_err(|e| super::io_error(display, e))?;
    let read = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut reader = Counting {
        inner: BufReader::new(file),
        read: std::rc::Rc::clone(&read),
    };
    let mut entries = Vec::new();
    loop {
        check_member_count(display, entries.len())?;
        let entry = match zip::read::read_zipfile_from_stream(&mut reader) {
            Ok(Some(entry)) => entry,
            Ok(None) => break,
            Err(e) => return Err(corrupt(display, &e)),
        };
        entries.push(LocalEntry {
            name: entry.name().map_err(|e| corrupt(display, &e))?.to_string(),
            is_dir: entry.is_dir(),
            data: EntryData {
                start: Some(read.get()),
                compressed: entry.compressed_size(),
                size: entry.size(),
                crc: entry.crc32(),
                method: entry.compression(),
                encrypted: entry.encrypted(),
            },
        });
        // Dropping the entry reads past its data to the next header.
    }
    Ok(entries)
}

/// Lists an archive whose members repeat a name, from the members' own headers.
fn list_local(path: &Path, display: &str) -> Result<Listing, SourceError> {
    let mut listing = Listing::default();
    let mut other = 0usize;
    let mut nested: Vec<String> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut repeated = Vec::new();
    for entry in local_entries(path, display)? {
        if entry.is_dir {
            continue;
        }
        let name = entry.name;
        if !is_safe_name(&name) {
            listing.notes.push(format!(
                "{display}: skipped the member {name:?}: its name points outside the archive"
            ));
            continue;
        }
        let Some(kind) = member_kind(&name) else {
            if is_archive_name(&name) {
                nested.push(name);
            } else {
                other += 1;
            }
            continue;
        };
        let occurrence = *seen
            .entry(name.clone())
            .and_modify(|n| *n += 1)
            .or_insert(0);
        let source = format!("{display}/{}", occurrence_name(&name, occurrence));
        check_sizes(&source, entry.data.size, entry.data.compressed)?;
        if occurrence == 1 {
            repeated.push(name.clone());
        }
        listing.members.push(Member {
            name,
            kind,
            size: entry.data.size,
            occurrence,
        });
    }
    for name in repeated {
        let n = seen.get(&name).map_or(1, |n| n + 1);
        listing.notes.push(format!(
            "{display}: holds {n} members named {name:?}; each is read, the later ones as {:?}…",
            occurrence_name(&name, 1)
        ));
    }
    listing.notes.extend(passed_over(display, other, &nested));
    Ok(listing)
}

/// How many members an archive may hold: an export holds dozens, a few thousand at most.
pub const MAX_MEMBERS: usize = 20_000;

fn check_member_count(display: &str, members: usize) -> Result<(), SourceError> {
    if members > MAX_MEMBERS {
        return Err(SourceError::TooLarge {
            file: display.to_string(),
            message: format!(
                "the archive holds more than {MAX_MEMBERS} members, past the limit; unpack it and give the folders that hold the tables"
            ),
        });
    }
    Ok(())
}

/// Reads a whole member into memory (for a workbook inside an archive).
pub fn read_member(
    path: &Path,
    display: &str,
    member: &str,
    source: &str,
) -> Result<Vec<u8>, SourceError> {
    let mut reader = open_member(path, display, member, source)?;
    if reader.size > MAX_WORKBOOK_MEMBER_BYTES {
        return Err(SourceError::TooLarge {
            file: source.to_string(),
            message: format!(
                "a workbook of {} MiB inside an archive is past the limit of {} MiB; unzip it and give the workbook itself",
                reader.size >> 20,
                MAX_WORKBOOK_MEMBER_BYTES >> 20
            ),
        });
    }
    let mut bytes = Vec::with_capacity(reader.size as usize);
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| super::io_error(source, e))?;
    Ok(bytes)
}

/// Checks every part of a ZIP-based workbook (`.xlsx`, `.ods`) against the bomb limits before
/// the workbook reader unpacks them.
pub fn check_package(path: &Path, display: &str) -> Result<(), SourceError> {
    let file = File::open(path).map_err(|e| super::io_error(display, e))?;
    check_package_from(BufReader::new(file), display)
}

/// [`check_package`] over bytes already in memory.
pub fn check_package_from(reader: impl Read + Seek, display: &str) -> Result<(), SourceError> {
    let archive = ZipArchive::new(reader).map_err(|e| SourceError::Corrupt {
        file: display.to_string(),
        message: format!(
            "not a readable workbook (corrupt, truncated, or not really a workbook: {e})"
        ),
    })?;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_data(i) {
            check_sizes(display, entry.size(), entry.compressed_size())?;
        }
    }
    Ok(())
}

/// A member being read: checks that it unpacks to exactly its declared size and checksum, so
/// a lying header cannot stream past the bomb limits and a damaged member is not read as short.
pub struct MemberReader {
    inner: Box<dyn Read + Send>,
    size: u64,
    crc: u32,
    seen: u64,
    hasher: flate2::Crc,
}

impl MemberReader {
    /// The member's uncompressed size, as the archive declares it.
    pub fn size(&self) -> u64 {
        self.size
    }
}

impl Read for MemberReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            if self.seen != self.size {
                return Err(io::Error::other(format!(
                    "the member is truncated: {} of {} bytes",
                    self.seen, self.size
                )));
            }
            if self.hasher.sum() != self.crc {
                return Err(io::Error::other(
                    "the member is corrupt: its checksum does not match",
                ));
            }
            return Ok(0);
        }
        self.seen += n as u64;
        if self.seen > self.size {
            return Err(io::Error::other(format!(
                "the member unpacks to more than the {} bytes it declares (a ZIP bomb?); refused",
                self.size
            )));
        }
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_leading_outside_are_unsafe() {
        for bad in [
            "../x.csv",
            "a/../../x.csv",
            "/etc/x.csv",
            "C:/x.csv",
            "\\x.csv",
            "a\0.csv",
        ] {
            assert!(!is_safe_name(bad), "{bad}");
        }
        for good in ["Contact.csv", "WE_1/Account.csv", "a..b.csv"] {
            assert!(is_safe_name(good), "{good}");
        }
    }

    #[test]
    fn members_are_tables_by_name() {
        assert_eq!(member_kind("x/Contact.CSV"), Some(MemberKind::Text));
        assert_eq!(member_kind("a.csv.gz"), Some(MemberKind::Gzip));
        assert_eq!(member_kind("Book.xlsx"), Some(MemberKind::Workbook));
        assert_eq!(member_kind("__MACOSX/._a.csv"), None);
        assert_eq!(member_kind("Attachments/00P1.pdf"), None);
        assert_eq!(member_kind("README.txt"), None);
    }

    #[test]
    fn bombs_are_named_with_the_limit() {
        let err = check_sizes("a.zip/x.csv", 1 << 30, 1 << 20).unwrap_err();
        assert!(err.to_string().contains("250:1"), "{err}");
        assert!(check_sizes("a.zip/x.csv", 10 << 20, 1 << 10).is_ok());
        let err = check_sizes("a.zip/x.csv", 5 << 30, 4 << 30).unwrap_err();
        assert!(err.to_string().contains("4096 MiB"), "{err}");
    }
}
