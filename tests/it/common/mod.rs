//! What the binary-level tests share: the command, isolated from the user's saved profiles,
//! and the check that an export's counts add up.

pub mod limited;

use std::collections::HashMap;
use std::path::Path;

use assert_cmd::Command;

/// `pipemap` as a test drives it: the built binary, with an empty config folder so saved
/// profiles on the machine play no part.
pub fn pipemap() -> Command {
    let mut cmd = Command::cargo_bin("pipemap").expect("the binary builds");
    cmd.env(
        "XDG_CONFIG_HOME",
        std::env::temp_dir().join("pipemap-test-config-none"),
    );
    cmd
}

/// Reads `summary.json` of an export and checks that every file's rows add up and that each
/// output file holds the rows the summary says.
pub fn assert_reconciles(out: &Path) -> serde_json::Value {
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("summary.json")).expect("summary.json"),
    )
    .expect("JSON");
    assert_eq!(summary["reconciled"], true, "{summary}");
    for f in summary["files"].as_array().expect("files") {
        let n = |k: &str| f[k].as_u64().expect("a count");
        assert_eq!(
            n("rows_in"),
            n("rows_out") + n("merged") + n("rejected"),
            "{f}"
        );
    }
    for o in summary["outputs"].as_array().expect("outputs") {
        let file = out.join(o["file"].as_str().expect("file"));
        let rows = csv::Reader::from_path(&file)
            .expect("output file")
            .records()
            .count() as u64;
        assert_eq!(
            rows,
            o["rows"].as_u64().expect("rows"),
            "{}",
            file.display()
        );
    }
    summary
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
