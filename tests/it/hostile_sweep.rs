//! Odd inputs found by trying the binary on files nobody had tried: each shows the right data
//! or a plain message naming the file, and no panic.

use crate::common;

use std::path::Path;
use std::time::Duration;

/// A guard against hangs, not a performance bound.
const HANG_GUARD: Duration = Duration::from_secs(30);

struct Outcome {
    code: i32,
    stderr: String,
}

/// `pipemap apply ARGS --quiet --out out` in `dir`.
fn apply(dir: &Path, args: &[&str]) -> Outcome {
    let output = common::pipemap()
        .current_dir(dir)
        .arg("apply")
        .args(args)
        .args(["--quiet", "--out", "out"])
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Outcome {
        code: output.status.code().expect("ended by itself"),
        stderr,
    }
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
    assert_eq!(summary["files"][0]["rows_out"], 1, "{summary}");
}
