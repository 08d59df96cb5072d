//! The recovery file: the session's work, written now and then while the user edits, so that a
//! crash or a killed terminal loses nothing. Kept in the platform's data folder, one file per
//! set of sources; offered for restoring when the same sources are opened again.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::profile::{Profile, library::write_atomic};

/// What the recovery file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryDoc {
    /// When it was written (RFC 3339).
    pub saved_at: String,
    /// The file name each of `profile.files` belongs to, in the same order.
    pub file_names: Vec<String>,
    /// The work as a profile.
    pub profile: Profile,
    /// Files left out of the export, by name, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOutFile>,
}

/// A file left out of the export, in the recovery file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftOutFile {
    pub file: String,
    pub reason: String,
}

/// The folder recovery files live in (`$XDG_DATA_HOME/pipemap/recovery` on Linux).
pub fn dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pipemap").map(|d| d.data_local_dir().join("recovery"))
}

/// The recovery file of a session key (the demo, or a hash of the sources' paths).
pub fn path(key: &str) -> Option<PathBuf> {
    dir().map(|d| {
        d.join(format!(
            "{}.yaml",
            crate::profile::library::safe_file_name(key)
        ))
    })
}

/// A key naming a set of sources: stable for the same paths in any order.
pub fn key_for(paths: &[PathBuf]) -> String {
    use std::hash::{Hash, Hasher};
    let mut names: Vec<String> = paths
        .iter()
        .map(|p| {
            std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    names.hash(&mut h);
    format!("sources-{:016x}", h.finish())
}

/// Writes the recovery file atomically.
pub fn write(path: &Path, doc: &RecoveryDoc) -> std::io::Result<()> {
    let text = serde_yaml::to_string(doc).map_err(std::io::Error::other)?;
    write_atomic(path, &text)
}

/// Reads a recovery file; None when there is none or it cannot be read (a stale file from
/// another version is simply ignored).
pub fn read(path: &Path) -> Option<RecoveryDoc> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_yaml::from_str(&text).ok()
}

/// The current time for `saved_at`.
pub fn now() -> String {
    jiff::Zoned::now().strftime("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_doc_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.yaml");
        let doc = RecoveryDoc {
            saved_at: "2026-01-01 10:00".into(),
            file_names: vec!["a.csv".into()],
            profile: Profile::new("p"),
            left_out: vec![LeftOutFile {
                file: "users.csv".into(),
                reason: "left out by you".into(),
            }],
        };
        write(&path, &doc).unwrap();
        assert_eq!(read(&path), Some(doc));
        assert!(read(&dir.path().join("none.yaml")).is_none());
    }
}
