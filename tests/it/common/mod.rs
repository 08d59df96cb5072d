//! What the binary-level tests share: the command, isolated from the user's saved profiles,
//! and the check that an export's counts add up.

pub mod limited;

use std::collections::HashMap;
use std::path::Path;

use assert_cmd::Command;
use pipemap::export::SummaryFile;

/// `pipemap` as a test drives it: the built binary, with an empty config folder so saved
/// profiles on the machine play no part.
pub fn pipemap() -> Command {
    Command::from_std(pipemap_process())
}

/// [`pipemap`] with its own config folder (saved profiles) and home: `config`.
pub fn pipemap_with_config(config: &Path) -> Command {
    let mut cmd = pipemap();
    cmd.env("XDG_CONFIG_HOME", config).env("HOME", config);
    cmd
}

/// [`pipemap`] as a plain process, for tests that set limits, send signals or pipe its
/// streams themselves.
pub fn pipemap_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("pipemap"));
    cmd.env(
        "XDG_CONFIG_HOME",
        std::env::temp_dir().join("pipemap-test-config-none"),
    );
    cmd
}

/// Reads `summary.json` of an export and checks that every file's rows add up and that each
/// output file holds the rows the summary says.
pub fn assert_reconciles(out: &Path) -> SummaryFile {
    let file = read_summary(out);
    let summary = &file.summary;
    assert!(summary.reconciled, "{summary:?}");
    for f in &summary.files {
        assert_eq!(f.rows_in, f.rows_out + f.merged + f.rejected, "{f:?}");
    }
    for o in &summary.outputs {
        let path = out.join(&o.file);
        let rows = csv::Reader::from_path(&path)
            .expect("output file")
            .records()
            .count() as u64;
        assert_eq!(rows, o.rows, "{}", path.display());
    }
    file
}

/// The `summary.json` of the export folder `out`, read as pipemap reads it.
pub fn read_summary(out: &Path) -> SummaryFile {
    SummaryFile::read(out).unwrap_or_else(|e| panic!("{e}"))
}

/// A CSV file's rows, header → value: an output file as a test reads it.
pub fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// What a run of the binary ended with: its exit code (it ended by itself) and its stderr.
pub struct Outcome {
    pub code: i32,
    pub stderr: String,
}

/// `pipemap apply ARGS` run in `dir`, stopped after 30 s (a guard against hangs, not a
/// performance bound); a panic in it fails the test.
pub fn apply_in(dir: &Path, args: &[&str]) -> Outcome {
    let output = pipemap()
        .current_dir(dir)
        .arg("apply")
        .args(args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Outcome {
        code: output.status.code().expect("ended by itself"),
        stderr,
    }
}
