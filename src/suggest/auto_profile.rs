//! The profile `apply` uses when none is given: a saved profile or built-in preset that
//! recognises every file by its headers, else one made of pipemap's own suggestions — the
//! `high` and `medium` tiers, as the mapping screen pre-selects them; columns it cannot place
//! stay unmapped and go to the record's note, so nothing is lost. The TUI starts from the same
//! suggestions.

use crate::entity::Target;
use crate::profile::{ColumnDetail, ColumnSpec, FileMapping, Match, Profile};

use super::{ColumnSuggestion, FileSuggestion, Tier};

/// A spec for a plain target, or a custom field with the type to create.
pub fn spec_for(target: Target, field_type: Option<&str>) -> ColumnSpec {
    match (&target, field_type) {
        (Target::Custom { .. }, Some(t)) => ColumnSpec::Detailed(ColumnDetail {
            target: Some(target),
            field_type: Some(t.to_string()),
            ..ColumnDetail::default()
        }),
        _ => ColumnSpec::Target(target),
    }
}

/// The spec a suggestion proposes, when its tier pre-selects one (`high` or `medium`): a
/// link to several kinds of record (by a type column, or by whichever file holds the id)
/// is a detailed spec.
pub fn suggested_spec(s: &ColumnSuggestion) -> Option<ColumnSpec> {
    if s.tier < Tier::Medium {
        return None;
    }
    if let Some(link) = s.link.as_ref().filter(|_| s.target.is_none()) {
        return Some(ColumnSpec::Detailed(ColumnDetail {
            link_by: link.type_column.clone(),
            types: link.types.clone(),
            links: link.any_of.clone(),
            ..ColumnDetail::default()
        }));
    }
    s.target.clone().map(|t| spec_for(t, s.field_type))
}

/// Up to three headers that tell file `own` of `all` apart from the others of the export:
/// `preferred` ones first (a profile's own marker headers), then the file's in order; never a
/// header another file has too, unless nothing else is left.
pub fn distinctive_headers(all: &[Vec<String>], own: usize, preferred: &[String]) -> Vec<String> {
    let mine = &all[own];
    let elsewhere = |h: &String| {
        all.iter()
            .enumerate()
            .filter(|(j, _)| *j != own)
            .any(|(_, o)| o.iter().any(|x| x.eq_ignore_ascii_case(h)))
    };
    let owned = |h: &String| mine.iter().any(|x| x.eq_ignore_ascii_case(h));
    let mut picked: Vec<String> = preferred
        .iter()
        .filter(|h| owned(h) && !elsewhere(h))
        .take(3)
        .cloned()
        .collect();
    for h in mine {
        if picked.len() >= 3 {
            break;
        }
        if !elsewhere(h) && !picked.iter().any(|p| p.eq_ignore_ascii_case(h)) {
            picked.push(h.clone());
        }
    }
    if picked.is_empty() {
        picked = mine.iter().take(3).cloned().collect();
    }
    picked
}

/// One source file as the automatic profile sees it.
#[derive(Debug, Clone)]
pub struct SuggestedFile {
    pub headers: Vec<String>,
    pub suggestion: FileSuggestion,
}

/// The profile of pipemap's own suggestions for these files: one file mapping each, matched
/// by headers only it has, with every `high` and `medium` target.
pub fn from_suggestions(files: &[SuggestedFile]) -> Profile {
    let mut profile = Profile::new("suggested");
    profile.description = Some(
        "Made by pipemap from its own suggestions (high and medium tiers); columns it could \
         not place are kept in each record's note. Review it, then pass it to --profile."
            .into(),
    );
    profile.source_crm = files.iter().find_map(|f| f.suggestion.source_crm.clone());
    let headers: Vec<Vec<String>> = files.iter().map(|f| f.headers.clone()).collect();
    for (i, file) in files.iter().enumerate() {
        let mut columns = indexmap::IndexMap::new();
        for s in &file.suggestion.columns {
            if let Some(spec) = suggested_spec(s) {
                columns.insert(s.column.clone(), spec);
            }
        }
        profile.files.push(FileMapping {
            matcher: Match {
                headers_include: distinctive_headers(&headers, i, &[]),
                partial: true,
            },
            entity: file.suggestion.entity,
            split: None,
            columns,
        });
    }
    profile
}

/// Of `profiles` that recognise every file by its headers, the one that explains most of them
/// (the mean share of each file's columns its mapping knows); the earlier wins a tie, so a saved
/// profile listed before the presets keeps its place. A preset that merely recognises a lone file
/// of another CRM by a few shared column names loses to that CRM's own preset.
pub fn recognising<'a>(
    profiles: &'a [(String, Profile)],
    headers: &[Vec<String>],
) -> Option<&'a (String, Profile)> {
    let mut best: Option<(&(String, Profile), f64)> = None;
    for entry in profiles {
        let p = &entry.1;
        if p.files.is_empty() {
            continue;
        }
        let shares: Option<Vec<f64>> = headers
            .iter()
            .map(|h| p.match_file(h).map(|(_, share)| share))
            .collect();
        let Some(shares) = shares else { continue };
        let mean = shares.iter().sum::<f64>() / shares.len().max(1) as f64;
        if best.is_none_or(|(_, b)| mean > b + 1e-9) {
            best = Some((entry, mean));
        }
    }
    best.map(|(entry, _)| entry)
}

/// The entities of the files, for a sentence: `contacts.csv → person`.
pub fn describe(names: &[String], files: &[SuggestedFile]) -> Vec<String> {
    let mut out: Vec<String> = names
        .iter()
        .zip(files)
        .take(DESCRIBED_FILES)
        .map(|(n, f)| format!("{n} → {}", f.suggestion.entity))
        .collect();
    // An archive of thousands of members would make one line of hundreds of kilobytes; the
    // whole list is in the export's mapping.yaml.
    let more = names.len().min(files.len()).saturating_sub(DESCRIBED_FILES);
    if more > 0 {
        out.push(format!("and {more} more file(s)"));
    }
    out
}

/// Files [`describe`] names one by one.
const DESCRIBED_FILES: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::Entity;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn distinctive_headers_avoid_other_files() {
        let all = vec![
            strings(&["id", "name", "email", "is_organisation"]),
            strings(&["id", "name", "stage"]),
        ];
        assert_eq!(
            distinctive_headers(&all, 0, &[]),
            strings(&["email", "is_organisation"])
        );
        let preferred = strings(&["is_organisation"]);
        assert_eq!(
            distinctive_headers(&all, 0, &preferred)[0],
            "is_organisation"
        );
    }

    fn suggestion(column: &str, target: Option<Target>, tier: Tier) -> ColumnSuggestion {
        ColumnSuggestion {
            column: column.into(),
            target,
            confidence: 0.9,
            tier,
            alternatives: Vec::new(),
            reason: String::new(),
            field_type: None,
            link: None,
        }
    }

    #[test]
    fn high_and_medium_suggestions_are_mapped_and_the_rest_left_for_the_note() {
        let name: Target = "person.name".parse().unwrap();
        let email: Target = "person.email:work".parse().unwrap();
        let file = SuggestedFile {
            headers: strings(&["Name", "Email", "Mystery"]),
            suggestion: FileSuggestion {
                file: "contacts.csv".into(),
                entity: Entity::Person,
                source_crm: None,
                columns: vec![
                    suggestion("Name", Some(name.clone()), Tier::High),
                    suggestion("Email", Some(email.clone()), Tier::Medium),
                    suggestion("Mystery", None, Tier::Low),
                ],
            },
        };
        let profile = from_suggestions(&[file]);
        let mapping = &profile.files[0];
        assert_eq!(mapping.entity, Entity::Person);
        assert_eq!(mapping.columns.len(), 2);
        assert_eq!(mapping.columns["Name"], ColumnSpec::Target(name));
        assert!(!mapping.columns.contains_key("Mystery"));
        assert!(
            profile
                .match_file(&strings(&["Name", "Email", "Mystery"]))
                .is_some()
        );
    }

    #[test]
    fn the_profile_that_explains_most_of_the_files_is_chosen_not_the_first() {
        let thin = crate::profile::from_yaml(
            "thin.yaml",
            "version: 1\nname: thin\nfiles:\n  - match: {headers_include: [Name]}\n    entity: organization\n    columns: {Name: organization.name, Phone: skip, Website: skip}\n",
        )
        .unwrap();
        let full = crate::profile::from_yaml(
            "full.yaml",
            "version: 1\nname: full\nfiles:\n  - match: {headers_include: [Name, Account Tier]}\n    entity: organization\n    columns: {Name: organization.name, Phone: skip, Website: skip, Account Tier: skip, Territory: skip}\n",
        )
        .unwrap();
        let headers = vec![strings(&[
            "Name",
            "Phone",
            "Website",
            "Account Tier",
            "Territory",
        ])];
        let profiles = vec![("thin".to_string(), thin), ("full".to_string(), full)];
        let chosen = recognising(&profiles, &headers).map(|(n, _)| n.as_str());
        assert_eq!(chosen, Some("full"));
        // A file only the first explains stays the first's.
        let headers = vec![strings(&["Name", "Phone", "Website"])];
        let chosen = recognising(&profiles, &headers).map(|(n, _)| n.as_str());
        assert_eq!(chosen, Some("thin"));
    }

    #[test]
    fn a_long_list_of_suggested_files_is_cut_short_with_a_count() {
        let names: Vec<String> = (0..25).map(|i| format!("m{i}.csv")).collect();
        let files: Vec<SuggestedFile> = names
            .iter()
            .map(|n| SuggestedFile {
                headers: strings(&["Name"]),
                suggestion: FileSuggestion {
                    file: n.clone(),
                    entity: Entity::Person,
                    source_crm: None,
                    columns: Vec::new(),
                },
            })
            .collect();
        let lines = describe(&names, &files);
        assert_eq!(lines.len(), DESCRIBED_FILES + 1);
        assert_eq!(lines[0], "m0.csv → person");
        assert_eq!(lines[DESCRIBED_FILES], "and 15 more file(s)");
        assert_eq!(describe(&names[..3], &files[..3]).len(), 3);
    }
}
