//! Results written to standard output that nobody reads (a closed pipe) or that cannot be
//! stored (a full device), and arguments out of any sensible range: each ends with a clear
//! exit code and at most one line, never a panic.

use crate::common;

use predicates::prelude::*;
use std::path::Path;
use std::process::{Command, Stdio};

/// An export folder whose summary lists more import steps than a pipe holds (64 KiB).
fn export_folder(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    let steps: Vec<String> = (0..5_000)
        .map(|i| format!("Import {i:05}-persons.csv as persons into the account"))
        .collect();
    let summary = serde_json::json!({ "plan": steps });
    std::fs::write(out.join("summary.json"), summary.to_string()).unwrap();
    std::fs::write(
        dir.join("persons.csv"),
        "Name,Email\nAnn Lee,ann@example.com\nAnn Lee,ann@example.com\n",
    )
    .unwrap();
    out
}

/// Every command that writes results, with arguments that make it write some.
fn commands(dir: &Path) -> Vec<Vec<String>> {
    let out = export_folder(dir);
    let csv = dir.join("persons.csv");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    vec![
        vec!["plan".into(), s(&out)],
        words(&["profile", "path"]),
        words(&["profile", "list"]),
        words(&["profile", "show", "zendesk-sell"]),
        words(&["schema", "show"]),
        words(&["schema", "show", "--json"]),
        vec!["inspect".into(), s(&csv)],
        vec!["inspect".into(), s(&csv), "--json".into()],
        vec![
            "suggest".into(),
            s(&csv),
            "--entity".into(),
            "person".into(),
        ],
        vec!["dedupe".into(), s(&csv), "--entity".into(), "person".into()],
        vec![
            "dedupe".into(),
            s(&csv),
            "--entity".into(),
            "person".into(),
            "--json".into(),
        ],
    ]
}

fn process(args: &[String]) -> Command {
    let mut cmd = common::pipemap_process();
    cmd.args(args)
        .env_remove("PIPEDRIVE_API_TOKEN")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn results_into_a_closed_pipe_end_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for args in commands(dir.path()) {
        let mut child = process(&args).stdout(Stdio::piped()).spawn().unwrap();
        // The reader goes away before pipemap writes: every write meets a closed pipe.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?} ends quietly");
    }
}

#[test]
fn results_through_head_end_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let out = export_folder(dir.path());
    let bin = assert_cmd::cargo::cargo_bin("pipemap");
    // head takes one byte and leaves; pipemap's status is written to a file, as sh has no
    // pipefail.
    let script = r#""$0" plan "$1" 2>"$2.err"; echo $? >"$2"; } | head -c 1"#;
    let status_file = dir.path().join("status");
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("{{ {script}"))
        .arg(&bin)
        .arg(&out)
        .arg(&status_file)
        .output()
        .unwrap();
    assert_eq!(output.stdout, b"I", "head saw the first byte");
    let code = std::fs::read_to_string(&status_file).unwrap();
    let stderr = std::fs::read_to_string(dir.path().join("status.err")).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code.trim(), "0", "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn results_onto_a_full_device_end_with_one_line_and_exit_2() {
    if !Path::new("/dev/full").exists() {
        eprintln!("no /dev/full here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for args in commands(dir.path()) {
        let output = process(&args)
            .stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr,
            "pipemap: cannot write the results to standard output: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}

#[test]
fn a_timeout_out_of_range_is_refused_with_a_clear_message() {
    for timeout in [
        "18446744073709551615",
        "1e300",
        "86400.5",
        "0",
        "-3",
        "NaN",
        "inf",
    ] {
        let output = process(&[
            "account".into(),
            "pull".into(),
            format!("--timeout={timeout}"),
        ])
        .stdout(Stdio::null())
        .output()
        .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{timeout}: {stderr}");
        assert_eq!(output.status.code(), Some(2), "{timeout}: {stderr}");
        assert!(
            stderr.contains("--timeout: give a number of seconds above 0 and at most 86400"),
            "{timeout}: {stderr}"
        );
    }
}

#[test]
fn a_timeout_of_a_day_is_accepted() {
    // Accepted: the command goes on to look for the token, which is missing here.
    common::pipemap()
        .args(["account", "pull", "--timeout", "86400"])
        .env_remove("PIPEDRIVE_API_TOKEN")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no API token"))
        .stderr(predicates::str::contains("--timeout").not());
}

/// A person file and a profile for it, for commands that tell the user things on stderr.
fn person_export_inputs(dir: &Path) {
    std::fs::write(
        dir.join("profile.yaml"),
        "version: 1\nname: stderr\nfiles:\n  - match: {headers_include: [Name]}\n    entity: person\n    columns:\n      Name: person.name\n      Email: person.email:work\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("persons.csv"),
        "Name,Email\nAnn Lee,ann@example.com\nBo Chan,bo@example.com\n",
    )
    .unwrap();
}

#[test]
fn messages_that_cannot_be_shown_leave_the_work_and_exit_code_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    person_export_inputs(d);
    let apply = |out: &str| -> Vec<String> {
        [
            "apply",
            "persons.csv",
            "--profile",
            "profile.yaml",
            "--out",
            out,
        ]
        .iter()
        .map(|w| w.to_string())
        .collect()
    };
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    // (arguments, the exit code they end with, the export folder they write)
    let cases: [(Vec<String>, i32, Option<&str>); 3] = [
        (apply("closed"), 0, Some("closed")),
        (apply("full"), 0, Some("full")),
        (vec!["plan".into(), "no-such-folder".into()], 2, None),
    ];
    for (n, (args, code, out)) in cases.into_iter().enumerate() {
        let mut cmd = process(&args);
        cmd.current_dir(d).stdout(Stdio::null());
        let status = if n == 1 {
            let Ok(full) = full() else {
                eprintln!("no /dev/full here");
                continue;
            };
            cmd.stderr(full).status().unwrap()
        } else {
            // The reader of stderr goes away before pipemap writes to it.
            let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
            drop(child.stderr.take());
            child.wait().unwrap()
        };
        assert_eq!(status.code(), Some(code), "{args:?} (101 is a panic)");
        if let Some(out) = out {
            let summary = common::assert_reconciles(&d.join(out));
            assert_eq!(summary.summary.outputs[0].rows, 2, "{args:?}");
        }
    }
}

/// An operating-system error is said once, after the file it concerns (it used to be repeated
/// as its own cause: "No such file or directory (os error 2): No such file or directory").
#[test]
fn an_os_error_is_said_once_after_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("people.csv"), "Name\nAda\n").unwrap();
    let cases: [(&[&str], &str); 3] = [
        (&["profile", "show", "missing.yaml"], "missing.yaml: "),
        (
            &[
                "apply",
                "people.csv",
                "--profile",
                "missing.yaml",
                "--out",
                "out",
            ],
            "missing.yaml: ",
        ),
        (
            &["schema", "show", "--schema", "missing.json"],
            "missing.json: ",
        ),
    ];
    for (args, file) in cases {
        let out = common::pipemap()
            .current_dir(d)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let line = stderr
            .lines()
            .find(|l| l.contains("(os error"))
            .unwrap_or_else(|| panic!("{args:?}: no OS error in {stderr}"));
        assert!(line.contains(file), "{args:?}: {line}");
        assert_eq!(line.matches("(os error").count(), 1, "{args:?}: {line}");
    }
}

#[test]
fn an_output_folder_under_a_file_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    person_export_inputs(dir.path());
    std::fs::write(dir.path().join("notes.txt"), "a file, not a folder").unwrap();
    common::pipemap()
        .current_dir(dir.path())
        .args([
            "apply",
            "persons.csv",
            "--profile",
            "profile.yaml",
            "--out",
            "notes.txt/out",
            "-q",
        ])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("notes.txt is a file, not a folder")
                .and(predicate::str::contains("File exists").not()),
        );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "a file, not a folder"
    );
}
