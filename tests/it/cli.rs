//! The binary as a user's script meets it: exit codes, messages that name the file, and the
//! output set of `apply` on the bundled sample.

use crate::common;

use std::path::Path;

use common::pipemap;
use predicates::prelude::*;

const SAMPLE: &str = "assets/samples/zendesk-sell";

#[test]
fn bad_inputs_exit_2_with_a_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("binary.csv");
    let noise: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&binary, noise).unwrap();
    let missing = dir.path().join("missing.csv");
    for (path, words) in [
        (&empty, "empty"),
        (&binary, "binary"),
        (&missing, "no such file"),
    ] {
        pipemap()
            .args(["inspect", path.to_str().unwrap()])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(path.file_name().unwrap().to_str().unwrap())
                    .and(predicate::str::contains(words)),
            )
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn a_header_only_file_is_valid_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("headers.csv");
    std::fs::write(&file, "Name,Email\n").unwrap();
    pipemap()
        .args(["inspect", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 data rows"));
    pipemap()
        .args(["suggest", file.to_str().unwrap(), "--entity", "person"])
        .assert()
        .success()
        .stdout(predicate::str::contains("person.email"));
}

#[test]
fn suggest_refuses_an_unknown_entity() {
    pipemap()
        .args([
            "suggest",
            &format!("{SAMPLE}/contacts.csv"),
            "--entity",
            "planet",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown entity \"planet\""));
}

#[test]
fn invalid_field_json_names_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("personFields.json");
    std::fs::write(
        &file,
        "{\"success\": true,\n \"data\": [ {\"key\": \"name\", \"field_type\": } ]}",
    )
    .unwrap();
    pipemap()
        .args(["schema", "show", "--schema", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("personFields.json:2:"));
}

#[test]
fn account_fields_join_the_schema() {
    pipemap()
        .args([
            "schema",
            "show",
            "--json",
            "--schema",
            "tests/data/personFields.json",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("5f2d1a0c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49")
                .and(predicate::str::contains("Software")),
        );
}

fn apply(out: &Path, profile: &str) -> assert_cmd::assert::Assert {
    let mut cmd = pipemap();
    cmd.arg("apply");
    for f in ["contacts", "deals", "leads", "notes", "tasks"] {
        cmd.arg(format!("{SAMPLE}/{f}.csv"));
    }
    cmd.args([
        "--profile",
        profile,
        "--out",
        out.to_str().unwrap(),
        "--sample",
        "5",
    ])
    .assert()
}

#[test]
fn apply_writes_the_whole_output_set_and_reapplies_identically() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let code = apply(&first, "zendesk-sell").get_output().status.code();
    assert!(matches!(code, Some(0) | Some(3)), "apply exited {code:?}");
    for f in [
        "mapping.yaml",
        "report.md",
        "summary.json",
        "rejects.csv",
        "01-organizations.csv",
        "02-persons.csv",
        "03-deals.csv",
        "04-leads.csv",
        "05-activities.csv",
        "06-notes.csv",
        "sample/02-persons.csv",
    ] {
        assert!(first.join(f).is_file(), "no {f}");
    }
    common::assert_reconciles(&first);
    let second = dir.path().join("second");
    apply(&second, first.join("mapping.yaml").to_str().unwrap());
    for f in [
        "mapping.yaml",
        "01-organizations.csv",
        "02-persons.csv",
        "03-deals.csv",
        "06-notes.csv",
    ] {
        assert_eq!(
            std::fs::read(first.join(f)).unwrap(),
            std::fs::read(second.join(f)).unwrap(),
            "{f} differs on re-apply"
        );
    }
    pipemap()
        .args(["plan", first.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Import 01-organizations.csv"));
}

#[test]
fn a_profile_with_an_unknown_target_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("bad.yaml");
    std::fs::write(&profile, "version: 1\nname: bad\nfiles:\n  - match: {headers_include: [email]}\n    entity: person\n    columns:\n      email: person.emial\n").unwrap();
    let out = dir.path().join("out");
    pipemap()
        .args([
            "apply",
            &format!("{SAMPLE}/contacts.csv"),
            "--profile",
            profile.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.yaml:7: email: person.emial is not a Pipedrive field",
        ));
    assert!(!out.exists(), "apply left output behind");
}

#[test]
fn an_address_part_that_does_not_exist_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("bad.yaml");
    std::fs::write(&profile, "version: 1\nname: bad\nfiles:\n  - match: {headers_include: [city]}\n    entity: person\n    columns:\n      city: person.postal_address:town\n").unwrap();
    let out = dir.path().join("out");
    pipemap()
        .args([
            "apply",
            &format!("{SAMPLE}/contacts.csv"),
            "--profile",
            profile.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.yaml:7: city: postal_address: unknown address part \"town\"",
        ));
    assert!(!out.exists(), "apply left output behind");
}

#[test]
fn a_profile_from_the_future_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("future.yaml");
    std::fs::write(&profile, "version: 99\nname: future\n").unwrap();
    pipemap()
        .args([
            "apply",
            &format!("{SAMPLE}/contacts.csv"),
            "--profile",
            profile.to_str().unwrap(),
            "--out",
            dir.path().join("o").to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("version 99 is newer"));
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").unwrap();
    pipemap()
        .args([
            "apply",
            &format!("{SAMPLE}/contacts.csv"),
            "--profile",
            "zendesk-sell",
            "--out",
            blocker.join("out").to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("file"));
}

#[test]
fn a_foreign_output_folder_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.docx"), "precious").unwrap();
    pipemap()
        .args([
            "apply",
            &format!("{SAMPLE}/contacts.csv"),
            "--profile",
            "zendesk-sell",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("thesis.docx")).unwrap(),
        "precious"
    );
}

#[test]
fn files_no_profile_mapping_fits_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("other.csv");
    std::fs::write(&file, "Foo,Bar\n1,2\n").unwrap();
    pipemap()
        .args([
            "apply",
            file.to_str().unwrap(),
            "--profile",
            "zendesk-sell",
            "--out",
            dir.path().join("o").to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "other.csv: matches none of the profile's files",
        ));
}

#[test]
fn a_saved_profile_refuses_drifted_files_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let code = apply(&first, "zendesk-sell").get_output().status.code();
    assert!(matches!(code, Some(0) | Some(3)));
    // A fresh export of the same CRM where a column was added and a stage appeared.
    let fresh = dir.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    let deals = std::fs::read_to_string(format!("{SAMPLE}/deals.csv")).unwrap();
    let mut lines = deals.lines();
    let mut changed = format!("{},Region\n", lines.next().unwrap());
    for line in lines {
        changed.push_str(&line.replacen(",Qualified,", ",Negotiation,", 1));
        changed.push_str(",EMEA\n");
    }
    std::fs::write(fresh.join("deals.csv"), changed).unwrap();
    std::fs::copy(format!("{SAMPLE}/contacts.csv"), fresh.join("contacts.csv")).unwrap();
    let mapping = first.join("mapping.yaml");
    let out = dir.path().join("second");
    let run = |allow: bool| {
        let mut cmd = pipemap();
        cmd.args([
            "apply",
            fresh.to_str().unwrap(),
            "--profile",
            mapping.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        if allow {
            cmd.arg("--allow-drift");
        }
        cmd.assert()
    };
    run(false).code(2).stderr(
        predicate::str::contains("new columns (kept in the note until mapped): \"Region\"")
            .and(predicate::str::contains("\"Negotiation\"")),
    );
    assert!(!out.exists(), "a refused export wrote files");
    let code = run(true).get_output().status.code();
    assert!(matches!(code, Some(0) | Some(3)), "{code:?}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("## Changes since the profile") && report.contains("Region"));
}
