//! Exporting again into the folder of an earlier export: the new export replaces the earlier
//! one whole when it commits, so no stale entity file, split part or sample is left to be
//! imported beside it; files the user put there stay.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use predicates::prelude::*;

const PROFILE: &str = "version: 1
name: refresh
files:
  - match: {headers_include: [Company]}
    entity: organization
    columns:
      Company: organization.name
  - match: {headers_include: [Name]}
    entity: person
    columns:
      Name: person.name
      Email: person.email:work
";

/// The files under `dir`, relative and `/`-separated, folders with a trailing `/`.
fn listing(dir: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().into_string().unwrap();
        if entry.file_type().unwrap().is_dir() {
            names.insert(format!("{name}/"));
            for inner in listing(&entry.path()) {
                names.insert(format!("{name}/{inner}"));
            }
        } else {
            names.insert(name);
        }
    }
    names
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn persons(path: &Path, rows: usize) {
    let mut text = String::from("Name,Email\n");
    for i in 0..rows {
        text.push_str(&format!("Person {i},p{i}@example.com\n"));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn an_earlier_export_in_the_folder_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("profile.yaml"), PROFILE).unwrap();
    std::fs::write(d.join("orgs.csv"), "Company\nAcme\nGlobex\n").unwrap();
    // More rows than one import file takes: the persons are split into two parts.
    persons(&d.join("many.csv"), 50_001);
    persons(&d.join("few.csv"), 3);
    let out = d.join("out");

    common::pipemap()
        .current_dir(d)
        .args(["apply", "orgs.csv", "many.csv", "--profile", "profile.yaml"])
        .args(["--sample", "1", "--out", "out"])
        .assert()
        .code(0);
    let fixed = [
        "links.csv",
        "mapping.yaml",
        "rejects.csv",
        "report.md",
        "summary.json",
        "warnings.csv",
    ];
    let mut first = set(&fixed);
    first.extend(set(&[
        "01-organizations.csv",
        "02-persons-1.csv",
        "02-persons-2.csv",
        "sample/",
        "sample/01-organizations.csv",
        "sample/02-persons.csv",
    ]));
    assert_eq!(listing(&out), first);

    // What the user keeps there, some of it named much like pipemap's files.
    let own = [
        "my notes.txt",
        "02-persons-old.csv",
        "02-persons.csv.bak",
        "kept/",
        "kept/01-organizations.csv",
        "sample/mine.txt",
    ];
    std::fs::create_dir(out.join("kept")).unwrap();
    for name in own.iter().filter(|n| !n.ends_with('/')) {
        std::fs::write(out.join(name), "the user's own").unwrap();
    }

    // A re-export that fails changes nothing: the earlier export stays whole.
    std::fs::write(
        d.join("broken.csv"),
        "Name,Email\n\"Never closed,x@example.com\n",
    )
    .unwrap();
    common::pipemap()
        .current_dir(d)
        .args([
            "apply",
            "broken.csv",
            "--profile",
            "profile.yaml",
            "--out",
            "out",
        ])
        .assert()
        .code(2);
    let mut with_own = first.clone();
    with_own.extend(set(&own));
    assert_eq!(listing(&out), with_own);

    // Only persons now, few enough for one file, no sample.
    let assert = common::pipemap()
        .current_dir(d)
        .args(["apply", "few.csv", "--profile", "profile.yaml", "--out", "out"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "pipemap: note: out held an earlier export; this export replaced it whole (removed 5 of its files this export does not write: 01-organizations.csv, 02-persons-1.csv, 02-persons-2.csv, sample/01-organizations.csv, sample/02-persons.csv)",
        ));
    assert!(
        !String::from_utf8_lossy(&assert.get_output().stderr).contains("panicked"),
        "no panic"
    );
    let mut second = set(&fixed);
    second.insert("02-persons.csv".into());
    second.extend(set(&own));
    // Kept for the user's own file in it.
    second.insert("sample/".into());
    assert_eq!(listing(&out), second);
    for name in own.iter().filter(|n| !n.ends_with('/')) {
        assert_eq!(
            std::fs::read_to_string(out.join(name)).unwrap(),
            "the user's own"
        );
    }
    let summary = common::assert_reconciles(&out);
    assert_eq!(summary.summary.outputs.len(), 1);
    let persons = std::fs::read_to_string(out.join("02-persons.csv")).unwrap();
    assert_eq!(persons.lines().count(), 4, "the header and the 3 new rows");
}

#[test]
fn a_first_export_says_nothing_of_an_earlier_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("profile.yaml"), PROFILE).unwrap();
    persons(&d.join("few.csv"), 2);
    common::pipemap()
        .current_dir(d)
        .args([
            "apply",
            "few.csv",
            "--profile",
            "profile.yaml",
            "--out",
            "out",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("02-persons.csv"))
        .stderr(predicate::str::contains("earlier export").not());
    let mut expected = set(&[
        "links.csv",
        "mapping.yaml",
        "rejects.csv",
        "report.md",
        "summary.json",
        "warnings.csv",
    ]);
    expected.insert("02-persons.csv".into());
    assert_eq!(listing(&d.join("out")), expected);
}
