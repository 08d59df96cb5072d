//! Where profiles live: built-in presets named by source CRM (bundled from `assets/presets/`),
//! and the user's saved profiles in the platform's config folder (XDG on Linux).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::Profile;
use super::load::{ProfileError, from_yaml, to_yaml};

/// The bundled presets: name → YAML.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "zendesk-sell",
        include_str!("../../assets/presets/zendesk-sell.yaml"),
    ),
    (
        "salesforce",
        include_str!("../../assets/presets/salesforce.yaml"),
    ),
    ("hubspot", include_str!("../../assets/presets/hubspot.yaml")),
    ("zoho", include_str!("../../assets/presets/zoho.yaml")),
    ("copper", include_str!("../../assets/presets/copper.yaml")),
    ("close", include_str!("../../assets/presets/close.yaml")),
    (
        "pipedrive",
        include_str!("../../assets/presets/pipedrive.yaml"),
    ),
    (
        "sugarcrm",
        include_str!("../../assets/presets/sugarcrm.yaml"),
    ),
    (
        "dynamics365",
        include_str!("../../assets/presets/dynamics365.yaml"),
    ),
    ("keap", include_str!("../../assets/presets/keap.yaml")),
    ("capsule", include_str!("../../assets/presets/capsule.yaml")),
    (
        "insightly",
        include_str!("../../assets/presets/insightly.yaml"),
    ),
    (
        "nutshell",
        include_str!("../../assets/presets/nutshell.yaml"),
    ),
    (
        "freshsales",
        include_str!("../../assets/presets/freshsales.yaml"),
    ),
    (
        "activecampaign",
        include_str!("../../assets/presets/activecampaign.yaml"),
    ),
    (
        "highrise",
        include_str!("../../assets/presets/highrise.yaml"),
    ),
];

/// Where a listed profile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Bundled with pipemap.
    Preset,
    /// Saved by the user, at this path.
    Saved(PathBuf),
}

/// A profile in the library.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub origin: Origin,
    pub source_crm: Option<String>,
    pub description: Option<String>,
}

/// The folder saved profiles live in (`$XDG_CONFIG_HOME/pipemap/profiles` on Linux).
pub fn profile_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pipemap").map(|d| d.config_dir().join("profiles"))
}

/// Presets first, then saved profiles, each sorted by name. A saved profile that does not
/// parse is listed with its error as the description, so the user sees it.
pub fn list() -> Vec<Entry> {
    let mut entries: Vec<Entry> = PRESETS
        .iter()
        .map(|(name, text)| {
            let profile = from_yaml(name, text).ok();
            Entry {
                name: name.to_string(),
                origin: Origin::Preset,
                source_crm: profile.as_ref().and_then(|p| p.source_crm.clone()),
                description: profile.and_then(|p| p.description),
            }
        })
        .collect();
    let mut saved = Vec::new();
    if let Some(dir) = profile_dir()
        && let Ok(read) = std::fs::read_dir(&dir)
    {
        for item in read.flatten() {
            let path = item.path();
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string();
            let (source_crm, description) = match read_path(&path) {
                Ok((_, p)) => (p.source_crm, p.description),
                Err(e) => (None, Some(format!("unreadable: {e}"))),
            };
            saved.push(Entry {
                name,
                origin: Origin::Saved(path),
                source_crm,
                description,
            });
        }
    }
    saved.sort_by(|a, b| a.name.cmp(&b.name));
    entries.extend(saved);
    entries
}

fn read_path(path: &Path) -> Result<(String, Profile), ProfileError> {
    let (file, text) = read_text(path)?;
    let profile = from_yaml(&file, &text)?;
    Ok((text, profile))
}

fn read_text(path: &Path) -> Result<(String, String), ProfileError> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| ProfileError::Io {
        file: file.clone(),
        error: source,
    })?;
    if meta.len() > super::load::MAX_PROFILE_BYTES as u64 {
        return Err(ProfileError::TooLarge {
            file,
            size: meta.len(),
        });
    }
    // The size on record says nothing for a device or a pipe, and a file may grow after it was
    // measured: read one byte past the cap at most.
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(super::load::MAX_PROFILE_BYTES as u64 + 1)
                .read_to_string(&mut text)
        })
        .map_err(|source| ProfileError::Io {
            file: file.clone(),
            error: source,
        })?;
    if text.len() > super::load::MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge {
            file,
            size: text.len() as u64,
        });
    }
    Ok((file, text))
}

/// A profile's text, found by path, saved name or preset name (in that order).
/// Returns the name to show in messages and the YAML.
pub fn resolve_text(spec: &str) -> Result<(String, String), ProfileError> {
    let path = Path::new(spec);
    let looks_like_path = spec.contains('/')
        || spec.contains('\\')
        || spec.ends_with(".yaml")
        || spec.ends_with(".yml");
    if path.is_file() || looks_like_path {
        return read_text(path);
    }
    if let Some(dir) = profile_dir() {
        let saved = dir.join(format!("{spec}.yaml"));
        if saved.is_file() {
            return read_text(&saved);
        }
    }
    if let Some((name, text)) = PRESETS.iter().find(|(name, _)| *name == spec) {
        return Ok((format!("preset {name}"), text.to_string()));
    }
    Err(ProfileError::NotFound {
        name: spec.to_string(),
        available: PRESETS
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// The saved profile or preset that recognises the most of these files by their headers
/// (saved profiles first, since they hold the user's own choices), with how many it matched.
/// None when no profile recognises at least half of the files.
pub fn recognise(headers: &[Vec<String>]) -> Option<(Entry, Profile, usize)> {
    let mut best: Option<(Entry, Profile, usize)> = None;
    let mut entries = list();
    // Saved profiles win ties with presets.
    entries.sort_by_key(|e| matches!(e.origin, Origin::Preset));
    for entry in entries {
        let text = match &entry.origin {
            Origin::Preset => PRESETS
                .iter()
                .find(|(n, _)| *n == entry.name)
                .map(|(_, t)| t.to_string()),
            Origin::Saved(path) => std::fs::read_to_string(path).ok(),
        };
        let Some(profile) = text.and_then(|t| from_yaml(&entry.name, &t).ok()) else {
            continue;
        };
        let matched = headers
            .iter()
            .filter(|h| profile.match_file(h).is_some())
            .count();
        if matched * 2 >= headers.len().max(1)
            && matched > 0
            && best.as_ref().is_none_or(|b| matched > b.2)
        {
            best = Some((entry, profile, matched));
        }
    }
    best
}

/// Saves a profile under its name in the profile folder, atomically; returns the path.
pub fn save(profile: &Profile) -> Result<PathBuf, ProfileError> {
    let dir = profile_dir().ok_or_else(|| ProfileError::Io {
        file: "profile folder".into(),
        error: std::io::Error::other("no home folder to keep profiles in"),
    })?;
    let path = dir.join(format!("{}.yaml", safe_file_name(&profile.name)));
    write_atomic(&path, &to_yaml(profile)).map_err(|source| ProfileError::Io {
        file: path.display().to_string(),
        error: source,
    })?;
    Ok(path)
}

/// Writes a file under a temporary name in its folder and renames it into place.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A profile name as a file name: letters, digits, `-` and `_` only.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.trim_matches('-').is_empty() {
        "profile".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    #[test]
    fn every_preset_loads_and_validates() {
        let schema = Schema::builtin();
        for (name, text) in PRESETS {
            let profile = from_yaml(name, text).unwrap_or_else(|e| panic!("{e}"));
            super::super::load::validate(name, text, &profile, &schema)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                profile.name, *name,
                "preset {name} names itself differently"
            );
        }
    }

    #[test]
    fn a_sell_export_is_recognised_by_its_headers() {
        let contacts: Vec<String> = [
            "first_name",
            "last_name",
            "is_organisation",
            "name",
            "organisation_name",
            "email",
        ]
        .map(String::from)
        .to_vec();
        let other: Vec<String> = ["Foo", "Bar"].map(String::from).to_vec();
        let (entry, _, matched) =
            recognise(&[contacts.clone(), other.clone()]).expect("recognised");
        assert_eq!((entry.name.as_str(), matched), ("zendesk-sell", 1));
        assert!(recognise(&[other.clone(), other]).is_none());
    }

    #[test]
    fn profile_names_become_safe_file_names() {
        assert_eq!(safe_file_name("../etc/passwd"), "---etc-passwd");
        assert_eq!(safe_file_name("  "), "profile");
    }
}
