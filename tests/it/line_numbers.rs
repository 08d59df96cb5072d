//! `line` in warnings.csv is the file's own line (header = line 1) as an editor or Excel shows
//! it: in CRLF files as in LF files, after blank lines, and after cells that hold line breaks.

use crate::common;

const PROFILE: &str = "version: 1\nname: t\nfiles:\n  - match: {headers_include: [Name, Email]}\n    entity: person\n    columns:\n      Name: person.name\n      Email: person.email:work\n";

fn warned_lines(text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("people.csv");
    let profile = dir.path().join("p.yaml");
    std::fs::write(&src, text).unwrap();
    std::fs::write(&profile, PROFILE).unwrap();
    let out = dir.path().join("out");
    let run = common::pipemap()
        .env("XDG_CONFIG_HOME", dir.path())
        .arg("apply")
        .arg(&src)
        .arg("--profile")
        .arg(&profile)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut reader = csv::Reader::from_path(out.join("warnings.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            format!("{} {}", &r[1], &r[4])
        })
        .collect()
}

#[test]
fn warnings_name_the_files_own_lines() {
    // Line 1 header, 2 Ada, 3 blank, 4 Bob (bad), 5–6 Cy's two-line name, 7 Dee (bad).
    let lf =
        "Name,Email\nAda,ada@x.test\n\nBob,not-an-email\n\"Cy\nMultiline\",cy@x.test\nDee,bad@\n";
    let expected = ["4 not-an-email", "7 bad@"];
    assert_eq!(warned_lines(lf), expected);
    assert_eq!(warned_lines(&lf.replace('\n', "\r\n")), expected);
}

/// Old Mac files end their lines with a lone CR, and a file pasted together from two sources
/// mixes CRLF and LF: the lines are counted as an editor shows them in both.
#[test]
fn lone_cr_and_mixed_line_ends_give_the_files_own_lines() {
    let lf =
        "Name,Email\nAda,ada@x.test\n\nBob,not-an-email\n\"Cy\nMultiline\",cy@x.test\nDee,bad@\n";
    let expected = ["4 not-an-email", "7 bad@"];
    assert_eq!(warned_lines(&lf.replace('\n', "\r")), expected);
    let mixed = "Name,Email\r\nAda,ada@x.test\n\r\nBob,not-an-email\r\n\"Cy\rMultiline\",cy@x.test\nDee,bad@";
    assert_eq!(warned_lines(mixed), expected);
}
