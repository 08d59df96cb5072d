//! Odd inputs found by trying the binary on files nobody had tried: each shows the right data
//! or a plain message naming the file, and no panic.

use crate::common;

use std::path::Path;

use common::{Outcome, apply_in};

/// `pipemap apply ARGS --quiet --out out` in `dir`.
fn apply(dir: &Path, args: &[&str]) -> Outcome {
    let mut all = args.to_vec();
    all.extend(["--quiet", "--out", "out"]);
    apply_in(dir, &all)
}

/// A plain contacts list whose three columns Zendesk Sell's contacts mapping also knows (name,
/// email, city) was taken for a Sell export and then refused for lacking the column that
/// mapping splits rows on. A mapping that cannot run on a file does not recognise it; the file
/// is exported by whatever else recognises it, or by pipemap's own suggestions.
#[test]
fn a_preset_that_splits_on_a_missing_column_does_not_recognise_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("contacts.csv"),
        "Name,Email,City\nZoë Müller,zoe@example.com,Köln\n",
    )
    .unwrap();
    let outcome = apply(dir.path(), &["contacts.csv"]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(
        !outcome.stderr.contains("split column"),
        "{}",
        outcome.stderr
    );
    assert!(
        !outcome.stderr.contains("zendesk-sell"),
        "{}",
        outcome.stderr
    );
    let summary = common::assert_reconciles(&dir.path().join("out"));
    assert_eq!(
        summary.summary.files[0].rows_out, 1,
        "{:?}",
        summary.summary.files
    );
}

/// An earlier export given back as input (`apply in/* --out in/out`, where the glob takes in
/// the output folder) was read as source rows, then replaced: Ada came out twice and the
/// export's own links, rejects and warnings were read as persons. It is refused by name, and
/// the earlier export is left as it was.
#[test]
fn an_input_inside_the_output_folder_is_refused_and_the_earlier_export_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.csv"), "Name,Email\nAda,ada@example.com\n").unwrap();
    let first = apply_raw(
        dir.path(),
        &["in/a.csv", "--entity", "person", "--out", "in/out"],
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = std::fs::read(input.join("out/02-persons.csv")).unwrap();
    for given in [
        &["in/a.csv", "in/out"][..],
        &["in/a.csv", "in/out/links.csv"][..],
    ] {
        let mut args = given.to_vec();
        args.extend(["--entity", "person", "--out", "in/out"]);
        let outcome = apply_raw(dir.path(), &args);
        assert_eq!(outcome.code, 2, "{given:?}: {}", outcome.stderr);
        assert!(
            outcome.stderr.contains("is in the output folder in/out"),
            "{given:?}: {}",
            outcome.stderr
        );
        assert_eq!(
            std::fs::read(input.join("out/02-persons.csv")).unwrap(),
            before,
            "the earlier export stays as it was"
        );
    }
}

/// `pipemap apply ARGS --quiet` in `dir` (ARGS give `--out`).
fn apply_raw(dir: &Path, args: &[&str]) -> Outcome {
    let mut all = args.to_vec();
    all.push("--quiet");
    apply_in(dir, &all)
}

/// A person file's Company column mapped to `organization.name` fills the linked
/// organization's name, not the person's: it is no second column for `person.name`, and the
/// note that said so was wrong.
#[test]
fn a_linked_records_name_is_no_second_column_for_the_records_own_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "Name,Email,Company\nAda,ada@example.com,Acme\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.yaml"),
        "version: 1\nname: p\nfiles:\n  - match: {headers_include: [Name]}\n    entity: person\n    columns:\n      Name: person.name\n      Email: person.email:work\n      Company: organization.name\n",
    )
    .unwrap();
    let outcome = apply_raw(
        dir.path(),
        &["people.csv", "--profile", "p.yaml", "--out", "out"],
    );
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(
        !outcome.stderr.contains("are all mapped to"),
        "{}",
        outcome.stderr
    );
    let report = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(!report.contains("are all mapped to"), "{report}");
    let rows = common::rows(&dir.path().join("out/02-persons.csv"));
    assert_eq!(rows[0]["Person - Name"], "Ada");
    assert_eq!(rows[0]["Organization - Name"], "Acme");
}

/// A file of one long line and no line break (a log, a blob) was read as a header of one
/// ten-thousand-byte column name and exported as an empty table, that name written into
/// mapping.yaml, report.md and summary.json. A column name past the limit is refused by line.
#[test]
fn a_single_long_line_is_no_header_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blob.csv"), "x".repeat(10_000)).unwrap();
    let outcome = apply(dir.path(), &["blob.csv", "--entity", "person"]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("blob.csv:1: refused: the header cell in column 1 holds 10000 bytes, past the limit of 4096 bytes for a column name"),
        "{}",
        outcome.stderr
    );
    assert!(!dir.path().join("out").exists());
    // A long name within the limit is still a column name.
    let long = "N".repeat(4096);
    std::fs::write(
        dir.path().join("long.csv"),
        format!("Name,Email,{long}\nAda,ada@example.com,x\n"),
    )
    .unwrap();
    let outcome = apply(dir.path(), &["long.csv", "--entity", "person"]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
}
