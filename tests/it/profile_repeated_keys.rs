//! A profile with a key written twice is refused with the file, the line and column of the
//! second occurrence and the key's name, wherever the key sits: at the top level (where
//! serde_yaml alone said line 1, column 1) or among the columns (where the last of the two was
//! taken without a word).

use crate::common;

use std::path::Path;
use std::time::Duration;

/// A guard against hangs, not a performance bound.
const HANG_GUARD: Duration = Duration::from_secs(20);

/// Runs `apply` on a one-row file with `profile` (written by the test as `name`); returns the
/// exit code and stderr.
fn apply(dir: &Path, name: &str, profile: &str) -> (i32, String) {
    std::fs::write(
        dir.join("contacts.csv"),
        "Name,Email\nAda,ada@example.com\n",
    )
    .unwrap();
    std::fs::write(dir.join(name), profile).unwrap();
    let output = common::pipemap()
        .current_dir(dir)
        .args(["apply", "contacts.csv", "--profile", name, "--quiet"])
        .args(["--out", "out"])
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().expect("ended by itself"), stderr)
}

const HEAD: &str = "version: 1\nname: repeated\nfiles:\n  - match: {headers_include: [Name]}\n    entity: person\n    columns:\n";

#[test]
fn a_column_written_twice_names_the_file_line_column_and_key() {
    let dir = tempfile::tempdir().unwrap();
    // Lines 1–6 are HEAD; the repeat is on line 9, indented by six spaces.
    let profile = format!(
        "{HEAD}      Name: person.name\n      Email: person.email:work\n      Name: skip\n"
    );
    let (code, stderr) = apply(dir.path(), "cols.yaml", &profile);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cols.yaml:9:7: files[0].columns: the key \"Name\" is written a second time (first on line 7)"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn a_top_level_key_written_twice_is_named_where_it_repeats_not_at_line_one() {
    let dir = tempfile::tempdir().unwrap();
    let profile = format!("{HEAD}      Name: person.name\n\n\n# a comment\nname: again\n");
    let (code, stderr) = apply(dir.path(), "top.yaml", &profile);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("top.yaml:11:1: the key \"name\" is written a second time (first on line 2)"),
        "{stderr}"
    );
    assert!(!stderr.contains(":1:1:"), "{stderr}");
}

#[test]
fn equal_keys_in_two_mappings_are_no_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let profile = format!(
        "{HEAD}      Name: person.name\n      Email: person.email:work\n  - match: {{headers_include: [Title]}}\n    entity: person\n    columns:\n      Name: person.name\n"
    );
    let (code, stderr) = apply(dir.path(), "two.yaml", &profile);
    assert_eq!(code, 0, "{stderr}");
    let rows = common::rows(&dir.path().join("out/02-persons.csv"));
    assert_eq!(rows[0]["Person - Name"], "Ada");
}
