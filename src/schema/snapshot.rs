//! The account snapshot that `pipemap account pull` saves: the account's fields (custom ones
//! with their 40-hex keys and options) and its reference data, in one JSON file per company
//! under `<config>/pipemap/account/`, with a `current` file naming the one every command uses
//! when no `--schema` is given. A snapshot holds no API token.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Account, Field, SchemaError};
use crate::entity::Entity;

/// The snapshot format this pipemap writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// What a pull saw of one Pipedrive company account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The format version; its key also tells a snapshot from other schema files.
    pub pipemap_account_snapshot: u32,
    /// The company's subdomain: `acme` for acme.pipedrive.com.
    pub company_domain: String,
    /// The company's name as Pipedrive shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// When the pull read the account (RFC 3339).
    pub pulled_at: String,
    /// The account's fields per entity: custom fields, and built-in fields whose options the
    /// account sets (labels).
    pub fields: BTreeMap<Entity, Vec<Field>>,
    /// Pipelines and stages, users, activity types, labels, currencies.
    pub account: Account,
}

/// True when a schema file's text is a snapshot (checked before the other formats).
pub fn looks_like_snapshot(text: &str) -> bool {
    text.trim_start().starts_with('{') && text.contains("\"pipemap_account_snapshot\"")
}

/// Reads a snapshot's text, naming the file in errors.
pub fn parse(file: &str, text: &str) -> Result<Snapshot, SchemaError> {
    let snapshot: Snapshot = serde_json::from_str(text).map_err(|e| SchemaError::Parse {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if snapshot.pipemap_account_snapshot > SNAPSHOT_VERSION {
        return Err(SchemaError::Invalid {
            file: file.to_string(),
            message: format!(
                "an account snapshot of format {} from a newer pipemap; this one reads format {SNAPSHOT_VERSION} (pull again)",
                snapshot.pipemap_account_snapshot
            ),
        });
    }
    Ok(snapshot)
}

/// The folder snapshots live in (`$XDG_CONFIG_HOME/pipemap/account` on Linux).
pub fn snapshot_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pipemap").map(|d| d.config_dir().join("account"))
}

/// The snapshot of one company in `dir`.
pub fn snapshot_path(dir: &Path, company_domain: &str) -> PathBuf {
    dir.join(format!("{company_domain}.json"))
}

/// The snapshot every command uses when no `--schema` is given: the one `current` names, if
/// it exists.
pub fn current_snapshot() -> Option<PathBuf> {
    let dir = snapshot_dir()?;
    let name = std::fs::read_to_string(dir.join("current")).ok()?;
    let name = name.trim();
    // The pointer names a file in the folder, never a path elsewhere.
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    let path = dir.join(name);
    path.is_file().then_some(path)
}

/// The snapshot saved for a company, if any (the previous pull, before a new one replaces it).
pub fn load_saved(company_domain: &str) -> Option<Snapshot> {
    let path = snapshot_path(&snapshot_dir()?, company_domain);
    let text = std::fs::read_to_string(&path).ok()?;
    parse(&path.display().to_string(), &text).ok()
}

/// Writes the snapshot (to a temporary name, then renamed) and makes it the current one.
pub fn save(snapshot: &Snapshot) -> Result<PathBuf, SchemaError> {
    let dir = snapshot_dir().ok_or_else(|| SchemaError::Invalid {
        file: "account snapshot".into(),
        message: "no configuration folder on this system (set HOME or XDG_CONFIG_HOME)".into(),
    })?;
    let io = |file: &Path| {
        let file = file.display().to_string();
        move |source| SchemaError::Io {
            file,
            error: source,
        }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let path = snapshot_path(&dir, &snapshot.company_domain);
    let text = serde_json::to_string_pretty(snapshot).expect("a snapshot serialises") + "\n";
    write_atomic(&dir, &path, text.as_bytes()).map_err(io(&path))?;
    let pointer = dir.join("current");
    let name = format!("{}.json", snapshot.company_domain);
    write_atomic(&dir, &pointer, format!("{name}\n").as_bytes()).map_err(io(&pointer))?;
    Ok(path)
}

fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_is_told_from_other_schema_files_and_round_trips() {
        let snapshot = Snapshot {
            pipemap_account_snapshot: SNAPSHOT_VERSION,
            company_domain: "acme".into(),
            company_name: Some("Acme".into()),
            pulled_at: "2025-01-01T00:00:00Z".into(),
            fields: BTreeMap::new(),
            account: Account::default(),
        };
        let text = serde_json::to_string(&snapshot).unwrap();
        assert!(looks_like_snapshot(&text));
        assert!(!looks_like_snapshot(
            "{\"data\": [{\"field_type\": \"varchar\"}]}"
        ));
        assert_eq!(parse("s.json", &text).unwrap(), snapshot);
        let newer = text.replace(
            "\"pipemap_account_snapshot\":1",
            "\"pipemap_account_snapshot\":9",
        );
        let err = parse("s.json", &newer).unwrap_err().to_string();
        assert!(err.contains("newer pipemap"), "{err}");
    }
}
