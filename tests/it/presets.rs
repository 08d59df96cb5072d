//! Every bundled preset recognises the files of its CRM's export: for each preset, the sample
//! export in tests/data/presets/<id>/ (real header lists, a few made-up rows) is written as
//! header-only files into a temporary folder, read back, and each file must match one of the
//! preset's file mappings, every mapping must be matched by one file, and no two files may
//! land on the same mapping.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pipemap::profile::library::PRESETS;
use pipemap::profile::{Profile, from_yaml};
use pipemap::source::Table;

fn data_dir(preset: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/presets")
        .join(preset)
}

fn sample_files(preset: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir(preset))
        .unwrap_or_else(|e| panic!("preset {preset} has no sample export: {e}"))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("csv"))
        .collect();
    files.sort();
    files
}

/// The header line of a CSV file, as written by the CRM (first line, verbatim).
fn header_line(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("sample is UTF-8");
    text.lines()
        .next()
        .expect("sample has a header")
        .to_string()
}

/// Writes the file's header alone into `dir` and reads the headers back through pipemap's reader.
fn headers_via_header_only_copy(dir: &Path, sample: &Path) -> Vec<String> {
    let copy = dir.join(sample.file_name().expect("file name"));
    std::fs::write(&copy, format!("{}\n", header_line(sample))).expect("write header-only file");
    Table::open(&copy)
        .unwrap_or_else(|e| panic!("{}: {e}", copy.display()))
        .headers
}

fn check_preset(name: &str, profile: &Profile) {
    let dir = tempfile::tempdir().expect("temp dir");
    let samples = sample_files(name);
    assert!(!samples.is_empty(), "preset {name}: no sample files");
    let mut matched: BTreeMap<usize, String> = BTreeMap::new();
    for sample in &samples {
        let headers = headers_via_header_only_copy(dir.path(), sample);
        let file = sample.file_name().unwrap().to_string_lossy().to_string();
        let (index, share) = profile.match_file(&headers).unwrap_or_else(|| {
            panic!("preset {name}: {file} matches none of its files (headers: {headers:?})")
        });
        assert!(
            share > 0.0,
            "preset {name}: {file} matched file #{index} but none of its columns are mapped"
        );
        if let Some(other) = matched.insert(index, file.clone()) {
            panic!("preset {name}: {file} and {other} both match file #{index}");
        }
    }
    for (i, mapping) in profile.files.iter().enumerate() {
        assert!(
            matched.contains_key(&i),
            "preset {name}: file #{i} ({}, headers_include {:?}) is matched by no sample file",
            mapping.entity,
            mapping.matcher.headers_include
        );
    }
}

#[test]
fn every_preset_matches_every_file_of_its_sample_export() {
    let mut checked = 0;
    for (name, text) in PRESETS {
        if *name == "zendesk-sell" {
            continue; // covered by assets/samples/zendesk-sell and its own tests
        }
        let profile = from_yaml(name, text).unwrap_or_else(|e| panic!("{e}"));
        check_preset(name, &profile);
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} presets have a sample export");
}

#[test]
fn a_file_of_one_crm_is_not_taken_for_another_file_of_the_same_crm() {
    // Salesforce's Task and Event files share WhoId/WhatId: each must land on its own mapping.
    let (_, text) = PRESETS
        .iter()
        .find(|(n, _)| *n == "salesforce")
        .expect("salesforce preset");
    let profile = from_yaml("salesforce", text).expect("parses");
    let headers = |file: &str| -> Vec<String> {
        header_line(&data_dir("salesforce").join(file))
            .split(',')
            .map(|h| h.trim_matches('"').to_string())
            .collect()
    };
    let task = profile
        .match_file(&headers("Task.csv"))
        .expect("Task.csv matches")
        .0;
    let event = profile
        .match_file(&headers("Event.csv"))
        .expect("Event.csv matches")
        .0;
    assert_ne!(task, event);
    assert!(
        profile.files[task]
            .matcher
            .headers_include
            .iter()
            .any(|h| h == "CallDisposition")
    );
    assert!(
        profile.files[event]
            .matcher
            .headers_include
            .iter()
            .any(|h| h == "IsAllDayEvent")
    );
}
