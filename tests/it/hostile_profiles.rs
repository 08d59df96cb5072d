//! Profiles and schema files written to do harm: YAML alias bombs, deep nesting, huge files,
//! names that look like paths or shell commands, unknown tags. Each is refused with a clear
//! message naming the file (and line or key), or is harmless: pipemap writes only under
//! `--out` and runs nothing.

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::pipemap;

/// A guard against hangs, not a performance bound.
const HANG_GUARD: Duration = Duration::from_secs(20);

const CONTACTS: &str = "Name,Email\nAda Lovelace,ada@example.com\n";

struct Outcome {
    code: i32,
    stderr: String,
}

fn apply_with(dir: &Path, profile: &str, extra: &[&str]) -> Outcome {
    std::fs::write(dir.join("contacts.csv"), CONTACTS).unwrap();
    let mut args = vec![
        "apply",
        "contacts.csv",
        "--profile",
        profile,
        "--quiet",
        "--out",
        "out",
    ];
    args.extend_from_slice(extra);
    let output = pipemap()
        .current_dir(dir)
        .args(&args)
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Outcome {
        code: output
            .status
            .code()
            .expect("ended by itself, within the hang guard"),
        stderr,
    }
}

fn refused(dir: &Path, file: &str, text: &str, says: &[&str]) {
    std::fs::write(dir.join(file), text).unwrap();
    let outcome = apply_with(dir, file, &[]);
    assert_eq!(outcome.code, 2, "{file}: {}", outcome.stderr);
    assert!(
        outcome.stderr.contains(&format!("pipemap: {file}")),
        "{file}: names the file: {}",
        outcome.stderr
    );
    for word in says {
        assert!(outcome.stderr.contains(word), "{file}: {}", outcome.stderr);
    }
    assert!(!dir.join("out").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join(file)).unwrap(),
        text,
        "the profile is read, never written"
    );
}

fn billion_laughs() -> String {
    let mut text = String::from(
        "version: 1\nname: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let items = [prev.as_str(); 9].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    text.push_str("files: *a9\n");
    text
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    refused(dir.path(), "bomb.yaml", &billion_laughs(), &["bomb.yaml:"]);
}

#[test]
fn deep_nesting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 10_000;
    let text = format!(
        "version: 1\nname: deep\nfiles: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    refused(dir.path(), "deep.yaml", &text, &["deep.yaml:3:"]);
    let text = format!(
        "version: 1\nname: deep\nfiles:\n{}",
        (0..depth)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect::<String>()
    );
    refused(dir.path(), "deep-block.yaml", &text, &["deep-block.yaml:"]);
}

#[test]
fn oversized_profiles_and_schemas_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    // 100 MB on record, no disk space used: the size alone must refuse it.
    for name in ["huge.yaml", "personFields.json"] {
        let file = std::fs::File::create(dir.path().join(name)).unwrap();
        file.set_len(100 * 1024 * 1024).unwrap();
    }
    let outcome = apply_with(dir.path(), "huge.yaml", &[]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(
        outcome
            .stderr
            .contains("huge.yaml: refused: a profile holds at most"),
        "{}",
        outcome.stderr
    );
    let outcome = apply_with(
        dir.path(),
        "zendesk-sell",
        &["--schema", "personFields.json"],
    );
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(
        outcome
            .stderr
            .contains("personFields.json: refused: 104857600 bytes is too large for a schema file"),
        "{}",
        outcome.stderr
    );
    // A device has no size on record and never ends: the cap stops the reading.
    let outcome = apply_with(dir.path(), "/dev/zero", &[]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("/dev/zero: refused"),
        "{}",
        outcome.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn an_alias_bomb_in_a_schema_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = billion_laughs().replace("version: 1\nname: bomb\n", "");
    let bomb = bomb.replace("files: *a9", "pipelines: *a9");
    std::fs::write(dir.path().join("account.yaml"), bomb).unwrap();
    let outcome = apply_with(dir.path(), "zendesk-sell", &["--schema", "account.yaml"]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("account.yaml:"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn deep_schema_json_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 10_000;
    let text = format!(
        "{{\"success\": true, \"data\": [{{\"key\": \"x\", \"name\": \"X\", \"field_type\": \"varchar\", \"options\": {}{}}}]}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(dir.path().join("personFields.json"), text).unwrap();
    let outcome = apply_with(
        dir.path(),
        "zendesk-sell",
        &["--schema", "personFields.json"],
    );
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("personFields.json:1:")
            && outcome.stderr.contains("recursion limit"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn tags_are_refused_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "version: 1\nname: tagged\nfiles:\n  - match: {headers_include: [Name]}\n    entity: !shell person\n    columns:\n      Name: person.name\n";
    refused(
        dir.path(),
        "tagged.yaml",
        text,
        &["tagged.yaml:5: files[0].entity: the YAML tag !shell has no meaning"],
    );
    let text = "version: 1\nname: !!binary aGVsbG8=\nfiles: []\n";
    refused(dir.path(), "binary.yaml", text, &["binary.yaml:"]);
}

/// Every file under `dir`, as paths relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn names_that_look_like_paths_or_commands_stay_text() {
    let root = tempfile::tempdir().unwrap();
    let work = root.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let marker = root.path().join("ran");
    let header = "Name,../../escape,/etc/passwd,$(touch ran),`touch ran`\n";
    std::fs::write(work.join("contacts.csv"), format!("{header}Ada,1,2,3,4\n")).unwrap();
    let text = format!(
        r#"version: 1
name: "../../../escape; $(touch {marker})"
description: "`touch {marker}` && rm -rf /"
files:
  - match: {{headers_include: [Name, ../../escape]}}
    entity: person
    columns:
      Name: person.name
      ../../escape: "person.custom:../../../escaped"
      /etc/passwd: "person.custom:/etc/passwd"
      $(touch ran): "person.custom:$(touch {marker})"
      "`touch ran`": note
"#,
        marker = marker.display()
    );
    std::fs::write(work.join("hostile.yaml"), &text).unwrap();
    let output = pipemap()
        .current_dir(&work)
        .args([
            "apply",
            "contacts.csv",
            "--profile",
            "hostile.yaml",
            "--quiet",
            "--out",
            "out",
        ])
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!marker.exists(), "something ran");
    // Everything written is under out/: the tree outside it is what the test made.
    let outside: Vec<String> = tree(root.path())
        .into_iter()
        .filter(|p| !p.starts_with("work/out/"))
        .collect();
    assert_eq!(
        outside,
        ["work/contacts.csv", "work/hostile.yaml"],
        "written outside --out"
    );
    assert!(!Path::new("/etc/passwd.csv").exists());
    // The hostile names are column headers and text, written as such.
    let persons = std::fs::read_to_string(work.join("out/02-persons.csv")).unwrap();
    assert!(persons.contains("../../../escaped"), "{persons}");
    assert!(persons.contains("/etc/passwd"), "{persons}");
}

/// A profile saved by a Windows editor with a UTF-8 byte-order mark reads as the same profile;
/// a repeated key is refused by name.
#[test]
fn a_byte_order_mark_is_no_part_of_a_profile_and_a_repeated_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let profile = "version: 1\nname: marked\nfiles:\n  - match: {headers_include: [Name]}\n    entity: person\n    columns:\n      Name: person.name\n      Email: person.email:work\n";
    std::fs::write(dir.path().join("marked.yaml"), format!("\u{feff}{profile}")).unwrap();
    let outcome = apply_with(dir.path(), "marked.yaml", &[]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let rows = common::rows(&dir.path().join("out/02-persons.csv"));
    assert_eq!(rows[0]["Person - Name"], "Ada Lovelace");
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let repeated = profile.replace("name: marked\n", "name: marked\nname: again\n");
    refused(
        dir.path(),
        "repeated.yaml",
        &repeated,
        &[
            "repeated.yaml:3:1:",
            "the key \"name\" is written a second time",
        ],
    );
}

/// An export lists every column it kept in notes in its mapping.yaml; with tens of thousands of
/// long column names that list alone would pass the size a profile may have, and the export's
/// own mapping could not be used again. It is written without the list, and the report says so.
#[test]
fn an_exports_own_mapping_stays_within_the_profile_size_and_is_taken_back() {
    let dir = tempfile::tempdir().unwrap();
    let extra: Vec<String> = (0..45_000)
        .map(|i| format!("Extra column {i:05} {}", "x".repeat(190)))
        .collect();
    let header = format!("Name,Email,{}", extra.join(","));
    let row = format!(
        "Ada Lovelace,ada@example.com,{}",
        vec!["v"; extra.len()].join(",")
    );
    assert!(header.len() > 8 * 1024 * 1024, "{} bytes", header.len());
    std::fs::write(dir.path().join("wide.csv"), format!("{header}\n{row}\n")).unwrap();
    std::fs::write(
        dir.path().join("p.yaml"),
        "version: 1\nname: wide\nfiles:\n  - match: {headers_include: [Name, Email]}\n    entity: person\n    columns: {Name: person.name, Email: person.email}\n",
    )
    .unwrap();
    let run = |profile: &str, out: &str| {
        let output = pipemap()
            .current_dir(dir.path())
            .args([
                "apply",
                "wide.csv",
                "--profile",
                profile,
                "--allow-drift",
                "--out",
                out,
            ])
            .timeout(Duration::from_secs(300))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        // A message names a few of the 45,000 columns, never all of them.
        assert!(stderr.len() < 20_000, "{} bytes on stderr", stderr.len());
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        stderr
    };
    let stderr = run("p.yaml", "out");
    let mapping = std::fs::read_to_string(dir.path().join("out/mapping.yaml")).unwrap();
    assert!(mapping.len() <= 8 * 1024 * 1024, "{} bytes", mapping.len());
    assert!(mapping.contains("person.email"), "{mapping}");
    let report = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    let said = "mapping.yaml: the columns this export kept in notes are not listed in it";
    assert!(report.contains(said), "report.md does not say it");
    assert!(stderr.contains(said), "{stderr}");
    assert!(report.contains("and `--profile` takes it"), "report.md");
    // The export's own mapping is a profile pipemap takes back, with the same result.
    run("out/mapping.yaml", "again");
    assert_eq!(
        common::rows(&dir.path().join("again/02-persons.csv")),
        common::rows(&dir.path().join("out/02-persons.csv"))
    );
}

/// Two columns mapped onto one field that holds one value: the export says so once, in
/// report.md and on stderr, and the second value is kept in the note, not dropped. Two e-mail
/// columns are not such a pair: the second fills the field's next label.
#[test]
fn two_columns_onto_one_single_valued_field_are_named_and_nothing_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("w.csv"),
        "Name,Email,Email 2,Given,Forename\nAda,ada@x.com,ada@y.com,Ada,Augusta\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.yaml"),
        "version: 1\nname: two\nfiles:\n  - match: {headers_include: [Name]}\n    entity: person\n    columns: {Name: person.name, Email: person.email, Email 2: person.email, Given: person.first_name, Forename: person.first_name}\n",
    )
    .unwrap();
    let output = pipemap()
        .current_dir(dir.path())
        .args(["apply", "w.csv", "--profile", "p.yaml", "--out", "out"])
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let said =
        "w.csv: \"Given\", \"Forename\" are all mapped to person.first_name, which holds one value";
    assert!(stderr.contains(said), "{stderr}");
    let report = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(report.contains(said), "{report}");
    assert!(!stderr.contains("mapped to person.email"), "{stderr}");
    let rows = common::rows(&dir.path().join("out/02-persons.csv"));
    assert_eq!(rows[0]["Person - First name"], "Ada");
    assert!(
        rows[0]["Note - Content"].contains("Forename: Augusta"),
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[0]["Person - Email - Home"], "ada@y.com");
}
