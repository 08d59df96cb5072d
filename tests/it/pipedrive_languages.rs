//! Pipedrive's own exports in each UI language whose labels pipemap knows
//! (assets/suggest/pipedrive_labels.yaml) are recognised by the `pipedrive` preset, and every
//! known label maps to the field the labels file names.

use std::collections::BTreeMap;

use pipemap::profile::ColumnSpec;
use pipemap::profile::library::recognise;
use serde::Deserialize;

#[derive(Deserialize)]
struct LabelsFile {
    languages: BTreeMap<String, Language>,
}

#[derive(Deserialize)]
struct Language {
    labels: BTreeMap<String, Vec<String>>,
}

fn labels() -> LabelsFile {
    let text = std::fs::read_to_string("assets/suggest/pipedrive_labels.yaml").unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The export a Pipedrive account in `language` writes for one item: every known label of
/// that item, and a column of the account's own (which no preset knows).
fn export(language: &Language, entity: &str) -> Vec<(String, String)> {
    let mut columns: Vec<(String, String)> = language
        .labels
        .iter()
        .filter(|(target, _)| target.split('.').next() == Some(entity))
        .flat_map(|(target, labels)| labels.iter().map(|l| (l.clone(), target.clone())))
        .collect();
    if !columns.is_empty() {
        columns.push(("Cost centre".to_string(), String::new()));
    }
    columns
}

#[test]
fn pipedrive_exports_in_every_known_ui_language_are_recognised_field_by_field() {
    let file = labels();
    let mut checked = 0;
    for (code, language) in &file.languages {
        for entity in ["organization", "person", "deal"] {
            let columns = export(language, entity);
            if columns.is_empty() {
                continue;
            }
            let headers: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
            let (entry, profile, matched) = recognise(std::slice::from_ref(&headers))
                .unwrap_or_else(|| panic!("{code} {entity} export not recognised"));
            assert_eq!((entry.name.as_str(), matched), ("pipedrive", 1), "{code}");
            let (i, _) = profile.match_file(&headers).unwrap();
            let mapping = &profile.files[i];
            assert_eq!(mapping.entity.to_string(), entity, "{code}: {headers:?}");
            for (header, want) in columns.iter().filter(|c| !c.1.is_empty()) {
                let got = match mapping.columns.get(header) {
                    Some(ColumnSpec::Target(t)) => t.to_string(),
                    Some(ColumnSpec::Detailed(d)) => {
                        d.target.as_ref().map(|t| t.to_string()).unwrap_or_default()
                    }
                    None => panic!("{code}: the preset lacks {header}"),
                };
                assert_eq!(&got, want, "{code}: {header}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 80, "only {checked} labels checked");
}

#[test]
fn the_issues_examples_are_recognised() {
    for (header, entity, target) in [
        ("Pessoa - Nome", "person", "person.name"),
        ("Affaire - Valeur", "deal", "deal.value"),
        ("Deal - Wert", "deal", "deal.value"),
    ] {
        let file = labels();
        let code = file
            .languages
            .iter()
            .find(|(_, l)| l.labels.values().flatten().any(|h| h == header))
            .map(|(c, _)| c.clone())
            .unwrap();
        let headers: Vec<String> = export(&file.languages[&code], entity)
            .into_iter()
            .map(|c| c.0)
            .collect();
        let (entry, profile, _) = recognise(std::slice::from_ref(&headers)).unwrap();
        assert_eq!(entry.name, "pipedrive");
        let (i, _) = profile.match_file(&headers).unwrap();
        let got = match &profile.files[i].columns[header] {
            ColumnSpec::Target(t) => t.to_string(),
            ColumnSpec::Detailed(d) => d.target.as_ref().unwrap().to_string(),
        };
        assert_eq!(got, target, "{header}");
    }
}
