//! Reading and writing profile YAML: size and version checks before parsing, errors naming the
//! file, line and key, and validation against the schema.

use std::fmt::Write as _;

use super::{ColumnSpec, Profile, VERSION};
use crate::entity::Target;
use crate::schema::Schema;

/// Profiles larger than this are refused before parsing.
pub const MAX_PROFILE_BYTES: usize = 8 * 1024 * 1024;

/// A profile that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The error's text is part of the message (not a separate cause), so it reads once.
    #[error("{file}: {error}")]
    Io { file: String, error: std::io::Error },
    #[error(
        "{file}: refused: a profile holds at most {MAX_PROFILE_BYTES} bytes, this one {size} or more"
    )]
    TooLarge { file: String, size: u64 },
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{file}: profile version {found} is newer than this pipemap reads (version {VERSION}); update pipemap"
    )]
    FutureVersion { file: String, found: u64 },
    #[error(
        "{file}: profile version {found} is not a version pipemap ever wrote (expected {VERSION})"
    )]
    BadVersion { file: String, found: String },
    #[error("{file}{}: {key}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        file: String,
        line: Option<usize>,
        key: String,
        message: String,
    },
    #[error("no profile or preset named {name:?} (presets: {available}; or give a path)")]
    NotFound { name: String, available: String },
}

/// Parses a profile, checking its size and version first so a future or hostile file gets a
/// clear answer.
pub fn from_yaml(file: &str, text: &str) -> Result<Profile, ProfileError> {
    // A byte-order mark (as Windows editors save UTF-8) is no character of the profile.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge {
            file: file.to_string(),
            size: text.len() as u64,
        });
    }
    check_version(file, text)?;
    check_repeated_keys(file, text)?;
    let profile = serde_yaml::from_str::<Profile>(text).map_err(|e| parse_error(file, &e))?;
    check_tags(file, text)?;
    Ok(profile)
}

/// Refuses a key written twice in one mapping, naming where it repeats: serde_yaml would point
/// at the mapping's start, and a map of columns or values would keep the last of the two.
fn check_repeated_keys(file: &str, text: &str) -> Result<(), ProfileError> {
    let Some(repeat) = super::keys::first_repeated_key(text) else {
        return Ok(());
    };
    let within = if repeat.path.is_empty() {
        String::new()
    } else {
        format!("{}: ", repeat.path)
    };
    Err(ProfileError::Parse {
        file: file.to_string(),
        line: repeat.line,
        column: repeat.column,
        message: format!(
            "{within}the key {:?} is written a second time (first on line {}); a key is written once in its mapping",
            repeat.key, repeat.first_line
        ),
    })
}

/// Refuses YAML tags (`!shell x`, `!!binary …`): no key of a profile takes one, and serde
/// would quietly read a tagged text as plain text, hiding what the author meant.
fn check_tags(file: &str, text: &str) -> Result<(), ProfileError> {
    // The typed parse above succeeded, so this one does too (and within the same limits).
    let Ok(document) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Ok(());
    };
    let Some((key, tag)) = first_tag(&document, String::new()) else {
        return Ok(());
    };
    Err(ProfileError::Invalid {
        file: file.to_string(),
        line: text.lines().position(|l| l.contains(&tag)).map(|i| i + 1),
        key,
        message: format!("the YAML tag {tag} has no meaning in a profile; remove it"),
    })
}

/// The path (`files[0].entity`) and text of the first tag in a document.
fn first_tag(value: &serde_yaml::Value, path: String) -> Option<(String, String)> {
    use serde_yaml::Value;
    match value {
        Value::Tagged(tagged) => Some((path, tagged.tag.to_string())),
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_tag(v, format!("{path}[{i}]"))),
        Value::Mapping(map) => map.iter().find_map(|(k, v)| {
            let name = match k {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            let path = if path.is_empty() {
                name
            } else {
                format!("{path}.{name}")
            };
            first_tag(k, path.clone()).or_else(|| first_tag(v, path))
        }),
        _ => None,
    }
}

fn parse_error(file: &str, e: &serde_yaml::Error) -> ProfileError {
    let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
    ProfileError::Parse {
        file: file.to_string(),
        line,
        column,
        message: e.to_string(),
    }
}

/// Reads only the top-level `version:` line, without building the document.
fn check_version(file: &str, text: &str) -> Result<(), ProfileError> {
    let Some(line) = text.lines().find(|l| l.starts_with("version:")) else {
        return Ok(()); // serde reports the missing key with its location
    };
    let raw = line["version:".len()..]
        .split('#')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches(['"', '\'']);
    match raw.parse::<u64>() {
        Ok(v) if v == u64::from(VERSION) => Ok(()),
        Ok(v) if v > u64::from(VERSION) => Err(ProfileError::FutureVersion {
            file: file.to_string(),
            found: v,
        }),
        _ => Err(ProfileError::BadVersion {
            file: file.to_string(),
            found: raw.to_string(),
        }),
    }
}

/// Writes a profile as YAML: same profile, same bytes (fields in a fixed order, value maps
/// sorted, columns in the file's order).
pub fn to_yaml(profile: &Profile) -> String {
    let body = serde_yaml::to_string(profile).expect("a profile always serializes");
    let mut out = String::with_capacity(body.len() + 80);
    let _ = writeln!(
        out,
        "# pipemap mapping profile (format version {VERSION}); edit freely, pipemap validates on load"
    );
    out.push_str(&body);
    out
}

/// Checks every target and value map against the schema; errors name the key and its line.
pub fn validate(
    file: &str,
    text: &str,
    profile: &Profile,
    schema: &Schema,
) -> Result<(), ProfileError> {
    let invalid = |key: String, message: String| ProfileError::Invalid {
        file: file.to_string(),
        line: line_of(text, &key),
        key,
        message,
    };
    if profile.files.is_empty() {
        return Err(invalid("files".into(), "the profile maps no files".into()));
    }
    for mapping in &profile.files {
        let columns = mapping
            .columns
            .iter()
            .chain(mapping.split.iter().flat_map(|s| s.columns.iter()));
        for (column, spec) in columns {
            let detail = spec.detail();
            if let Some(target) = &detail.target {
                check_target(schema, target).map_err(|m| invalid(column.clone(), m))?;
            } else if detail.link_by.is_none() && detail.links.is_empty() {
                // A link to whichever file holds the id (`links:`) needs no target either.
                return Err(invalid(
                    column.clone(),
                    "needs a target (or link_by with types)".into(),
                ));
            }
            if detail.link_by.is_some() && detail.types.is_empty() {
                return Err(invalid(
                    column.clone(),
                    "link_by needs types (type value → entity)".into(),
                ));
            }
            if let Some(order) = &detail.date_order
                && !matches!(order.as_str(), "dmy" | "mdy")
            {
                return Err(invalid(
                    column.clone(),
                    format!("date_order {order:?} must be dmy or mdy"),
                ));
            }
            if let ColumnSpec::Detailed(d) = spec
                && d.target.is_none()
                && d.link_by.is_none()
                && d.links.is_empty()
            {
                return Err(invalid(column.clone(), "needs a target".into()));
            }
        }
    }
    for (entity, settings) in &profile.dedupe {
        settings
            .validate()
            .map_err(|e| invalid(format!("dedupe.{entity}.{}", e.at), e.message))?;
    }
    for target in profile.values.keys() {
        let key = target.to_string();
        match schema.field(target) {
            Some(field) if field.takes_fixed_values() || field.is_relation() => {}
            Some(_) => {
                return Err(invalid(
                    key,
                    "this field takes no fixed values, so it has no value map".into(),
                ));
            }
            None if matches!(target, Target::Custom { .. }) => {}
            None => {
                return Err(invalid(
                    key.clone(),
                    format!("{key} is not a Pipedrive field"),
                ));
            }
        }
    }
    Ok(())
}

fn check_target(schema: &Schema, target: &Target) -> Result<(), String> {
    match target {
        Target::Skip | Target::Note | Target::Custom { .. } => Ok(()),
        Target::Field { key, label, .. } => {
            let field = schema.field(target).ok_or_else(|| {
                format!("{target} is not a Pipedrive field (see `pipemap schema show`; a field to create is written <entity>.custom:<Name>)")
            })?;
            let Some(label) = label else { return Ok(()) };
            if field.field_type == "address" {
                // An address field's label is one of its parts.
                return match label.parse::<crate::address::AddressPart>() {
                    Ok(_) => Ok(()),
                    Err(e) => Err(format!("{key}: {e}")),
                };
            }
            if !field.labels.iter().any(|l| l == label) {
                return Err(format!(
                    "{key} has no label {label:?} (labels: {})",
                    field.labels.join(", ")
                ));
            }
            Ok(())
        }
    }
}

/// The 1-based line where `key` first appears as a mapping key.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            let t = t.trim_start_matches(['"', '\'']);
            t.starts_with(key)
                && t[key.len()..]
                    .trim_start_matches(['"', '\''])
                    .starts_with(':')
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "version: 1\nname: t\nfiles:\n  - match: {headers_include: [Email]}\n    entity: person\n    columns:\n      Email: person.email:work\n      Fax: skip\n";

    #[test]
    fn a_profile_round_trips_to_the_same_bytes() {
        let profile = from_yaml("t.yaml", MINIMAL).unwrap();
        let once = to_yaml(&profile);
        let twice = to_yaml(&from_yaml("t.yaml", &once).unwrap());
        assert_eq!(once, twice);
    }

    #[test]
    fn unknown_keys_name_their_line() {
        let text = MINIMAL.replace(
            "    entity: person\n",
            "    entity: person\n    colour: blue\n",
        );
        let err = from_yaml("t.yaml", &text).unwrap_err().to_string();
        assert!(err.starts_with("t.yaml:6:"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn tags_are_refused_with_their_key_and_line() {
        let text = MINIMAL.replace("entity: person", "entity: !shell person");
        let err = from_yaml("t.yaml", &text).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.yaml:5: files[0].entity: the YAML tag !shell has no meaning in a profile; remove it"
        );
    }

    #[test]
    fn future_versions_are_refused_plainly() {
        let err = from_yaml("f.yaml", "version: 99\nname: future\n").unwrap_err();
        assert!(
            matches!(err, ProfileError::FutureVersion { found: 99, .. }),
            "{err}"
        );
    }

    #[test]
    fn unknown_targets_name_the_column_and_line() {
        let text = MINIMAL.replace("person.email:work", "person.emial");
        let profile = from_yaml("t.yaml", &text).unwrap();
        let err = validate("t.yaml", &text, &profile, &Schema::builtin())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.yaml:7: Email:"), "{err}");
    }

    #[test]
    fn unknown_dedupe_keys_and_actions_are_refused() {
        let text = format!("{MINIMAL}dedupe:\n  person: {{keys: [shoe size]}}\n");
        let profile = from_yaml("t.yaml", &text).unwrap();
        let err = validate("t.yaml", &text, &profile, &Schema::builtin())
            .unwrap_err()
            .to_string();
        assert!(err.contains("dedupe.person.keys"), "{err}");
        let text = format!(
            "{MINIMAL}dedupe:\n  person: {{decisions: [{{action: burn, records: [a, b]}}]}}\n"
        );
        let profile = from_yaml("t.yaml", &text).unwrap();
        let err = validate("t.yaml", &text, &profile, &Schema::builtin())
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"burn\" is not merge, keep or drop"), "{err}");
    }

    #[test]
    fn value_maps_only_for_fields_with_values() {
        let text = format!("{MINIMAL}values:\n  person.email: {{a: b}}\n");
        let profile = from_yaml("t.yaml", &text).unwrap();
        let err = validate("t.yaml", &text, &profile, &Schema::builtin())
            .unwrap_err()
            .to_string();
        assert!(err.contains("takes no fixed values"), "{err}");
    }
}
