//! Headers and cells are the export's text, not the terminal's: escape sequences in them (a
//! colour, a cleared screen, a window title) reach the terminal as visible text or not at all,
//! never as control bytes, whichever command prints them.

use crate::common;

use common::pipemap;

const PROFILE: &str = "version: 1
name: terminal
files:
  - match: {headers_include: [Name]}
    entity: person
    columns:
      Name: person.name
";

#[test]
fn escape_sequences_in_headers_and_cells_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "Name,Em\u{1b}]0;pwned\u{7}ail\u{1b}[2J\nAda\u{1b}[31m,a@example.com\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("profile.yaml"), PROFILE).unwrap();
    let runs: [&[&str]; 4] = [
        &["inspect", "people.csv"],
        &["suggest", "people.csv"],
        &[
            "apply",
            "people.csv",
            "--profile",
            "profile.yaml",
            "--out",
            "a",
        ],
        &[
            "apply",
            "people.csv",
            "--profile",
            "profile.yaml",
            "--allow-drift",
            "--out",
            "b",
        ],
    ];
    for args in runs {
        let output = pipemap()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            assert!(
                !bytes.iter().any(|&b| b == 0x1b || b == 0x07),
                "pipemap {}: {stream} holds a control byte: {:?}",
                args.join(" "),
                String::from_utf8_lossy(bytes)
            );
        }
        // Where the header is named, it is named as text.
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        if !args.contains(&"--allow-drift") {
            assert!(text.contains("pwned"), "pipemap {}: {text}", args.join(" "));
        }
    }
}
