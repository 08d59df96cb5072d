//! The bad-input matrix: broken files, hostile sizes and a hostile environment (an output
//! folder that cannot be written, a full disk, a file that changes while it is read, Ctrl-C in
//! the middle of an export). Each case ends with a clear message or a warning/reject row, the
//! right exit code, no panic, and the input left byte for byte as it was.
//!
//! The inputs are made here, in temporary folders: no large fixture lives in the repository.

use crate::common;

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::pipemap;

/// A guard against hangs, not a performance bound.
const HANG_GUARD: Duration = Duration::from_secs(120);

const PROFILE: &str = "version: 1
name: bad-input
files:
  - match: {headers_include: [Name]}
    entity: person
    columns:
      Name: person.name
      Email: person.email:work
      Notes: note
";

/// What a command must end with.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Exit 0 (or 3 for apply with rejects), and this text in the command's own report:
    /// stdout for inspect, warnings.csv or rejects.csv for apply.
    Done(&'static str),
    /// Exit 2 with this text in stderr, after the file's name (and `:line` when given).
    Refused(&'static str, Option<u64>),
}

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    inspect: Expect,
    apply: Expect,
}

fn csv_rows(header: &str, rows: impl Iterator<Item = String>) -> Vec<u8> {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(&row);
        text.push('\n');
    }
    text.into_bytes()
}

fn cases() -> Vec<Case> {
    let big_cell = "x".repeat(5 * 1024 * 1024);
    let wide_header: Vec<String> = std::iter::once("Name".to_string())
        .chain((1..20_000).map(|i| format!("Field {i}")))
        .collect();
    let wide_row: Vec<String> = std::iter::once("Ada Lovelace".to_string())
        .chain((1..20_000).map(|i| i.to_string()))
        .collect();
    // Valid UTF-8 (with accents) well past the bytes the sniffer reads, then one bad byte.
    let mut invalid_utf8 = csv_rows(
        "Name,Email",
        (0..12_000).map(|i| format!("Zoë Ørsted {i},zoe{i}@example.com")),
    );
    invalid_utf8.extend_from_slice(b"Bad \xff\xfe Byte,bad@example.com\n");
    vec![
        Case {
            name: "unbalanced-quotes.csv",
            bytes: b"Name,Email\nAda,\"a@example.com\nBob,b@example.com\nCy,c@example.com\n"
                .to_vec(),
            inspect: Expect::Refused("never closes", Some(2)),
            apply: Expect::Refused("never closes", Some(2)),
        },
        Case {
            name: "ragged-rows.csv",
            bytes: b"Name,Email\nAda,a@example.com\nBob\nCy,c@example.com,extra,more\n".to_vec(),
            inspect: Expect::Done("2 row(s) have a different number of fields"),
            apply: Expect::Done("the row has more fields than the header"),
        },
        Case {
            name: "nul-bytes.csv",
            bytes: b"Name,Email\nA\0da,a@example.com\nBob,b@example.com\n".to_vec(),
            inspect: Expect::Done("Bob"),
            apply: Expect::Done("NUL bytes in the cell were left out"),
        },
        Case {
            name: "five-megabyte-cell.csv",
            bytes: format!(
                "Name,Email,Notes\nAda,a@example.com,{big_cell}\nBob,b@example.com,short\n"
            )
            .into_bytes(),
            inspect: Expect::Done("Notes"),
            apply: Expect::Done(""),
        },
        Case {
            name: "twenty-thousand-columns.csv",
            bytes: format!("{}\n{}\n", wide_header.join(","), wide_row.join(",")).into_bytes(),
            inspect: Expect::Done("Field 19999"),
            apply: Expect::Done(""),
        },
        Case {
            name: "invalid-utf8.csv",
            bytes: invalid_utf8,
            inspect: Expect::Done("not valid UTF-8 (first on line 12002)"),
            apply: Expect::Done("bytes not valid in the file's encoding"),
        },
        Case {
            name: "empty-and-duplicate-headers.csv",
            bytes: b",Name,Name,Email,\n1,Ada,Ada Two,a@example.com,x\n".to_vec(),
            inspect: Expect::Done("column 3 repeats the name \"Name\""),
            apply: Expect::Done("column 3 repeats the name \"Name\""),
        },
        Case {
            name: "bom-only.csv",
            bytes: b"\xef\xbb\xbf".to_vec(),
            inspect: Expect::Refused("the file is empty", None),
            apply: Expect::Refused("the file is empty", None),
        },
        Case {
            name: "blank-lines.csv",
            bytes: b"\n\n  \r\n\t\n\r\n".to_vec(),
            inspect: Expect::Refused("the file has 5 line(s), all blank: no header row", None),
            apply: Expect::Refused("the file has 5 line(s), all blank: no header row", None),
        },
        Case {
            name: "blank-lines-above-header.csv",
            bytes: format!("{}Name\nAda\n", "\n".repeat(300_000)).into_bytes(),
            inspect: Expect::Done("1 data rows, 1 columns"),
            apply: Expect::Done(""),
        },
        Case {
            name: "truncated.csv",
            bytes: b"Name,Email,Phone\nAda,a@example.com,+44 20 7946 0000\nBob,b@exa".to_vec(),
            inspect: Expect::Refused("cut short", Some(3)),
            apply: Expect::Refused("cut short", Some(3)),
        },
    ]
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], cwd: &Path) -> Outcome {
    let output = pipemap()
        .current_dir(cwd)
        .args(args)
        .timeout(HANG_GUARD)
        .output()
        .expect("pipemap runs");
    let outcome = Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !outcome.stderr.contains("panicked"),
        "{args:?} panicked:\n{}",
        outcome.stderr
    );
    outcome
}

fn check(case: &str, what: &str, outcome: &Outcome, expect: Expect, report: &str) {
    match expect {
        Expect::Done(text) => {
            assert!(
                matches!(outcome.code, 0 | 3),
                "{case}: {what} exited {}:\n{}",
                outcome.code,
                outcome.stderr
            );
            assert!(
                report.contains(text),
                "{case}: {what} does not say {text:?}:\n{}",
                &report[..report.len().min(2000)]
            );
        }
        Expect::Refused(text, line) => {
            assert_eq!(outcome.code, 2, "{case}: {what}:\n{}", outcome.stderr);
            let place = match line {
                Some(line) => format!("{case}:{line}: "),
                None => format!("{case}: "),
            };
            assert!(
                outcome.stderr.contains(&place) && outcome.stderr.contains(text),
                "{case}: {what} should say {place}…{text}:\n{}",
                outcome.stderr
            );
        }
    }
}

#[test]
fn broken_files_get_a_clear_answer_and_stay_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("profile.yaml"), PROFILE).unwrap();
    for case in cases() {
        let path = dir.path().join(case.name);
        std::fs::write(&path, &case.bytes).unwrap();

        let inspect = run(&["inspect", "--count", case.name], dir.path());
        check(
            case.name,
            "inspect",
            &inspect,
            case.inspect,
            &inspect.stdout,
        );

        let out = dir.path().join(format!("out-{}", case.name));
        let out_arg = out.to_str().unwrap();
        let apply = run(
            &[
                "apply",
                case.name,
                "--profile",
                "profile.yaml",
                "--allow-drift",
                "--quiet",
                "--out",
                out_arg,
            ],
            dir.path(),
        );
        match case.apply {
            Expect::Done(_) => {
                let summary = common::assert_reconciles(&out);
                assert!(summary.summary.files[0].rows_in > 0);
                let problems = format!(
                    "{}{}",
                    std::fs::read_to_string(out.join("warnings.csv")).unwrap(),
                    std::fs::read_to_string(out.join("rejects.csv")).unwrap()
                );
                let report = std::fs::read_to_string(out.join("report.md")).unwrap();
                check(
                    case.name,
                    "apply",
                    &apply,
                    case.apply,
                    &format!("{problems}{report}"),
                );
            }
            Expect::Refused(..) => {
                check(case.name, "apply", &apply, case.apply, "");
                assert!(!out.exists(), "{}: apply refused but wrote", case.name);
            }
        }

        // The other readers of a file give an answer too, and never panic.
        let suggest = run(&["suggest", case.name, "--entity", "person"], dir.path());
        let dedupe = run(&["dedupe", case.name, "--entity", "person"], dir.path());
        for (what, outcome) in [("suggest", &suggest), ("dedupe", &dedupe)] {
            match case.inspect {
                Expect::Refused(..) => {
                    check(case.name, what, outcome, case.inspect, "");
                }
                Expect::Done(_) => assert_eq!(
                    outcome.code, 0,
                    "{}: {what}:\n{}",
                    case.name, outcome.stderr
                ),
            }
        }

        assert!(
            std::fs::read(&path).unwrap() == case.bytes,
            "{}: the input changed",
            case.name
        );
        assert_no_staging_left(dir.path());
    }
}

fn assert_no_staging_left(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pipemap-staging"))
        .collect();
    assert!(left.is_empty(), "staging left behind: {left:?}");
}

/// A person file of `rows` rows, written fast, with the profile that maps it beside it.
fn persons(path: &Path, rows: usize) {
    std::fs::write(path.with_file_name("profile.yaml"), PROFILE).unwrap();
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(w, "Name,Email,Notes").unwrap();
    for i in 0..rows {
        writeln!(
            w,
            "Person {i},person{i}@example.com,a note of some length for row {i}"
        )
        .unwrap();
    }
}

fn final_outputs(out: &Path) -> Vec<String> {
    match std::fs::read_dir(out) {
        Ok(read) => read
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn an_output_folder_that_cannot_be_written_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("persons.csv");
    persons(&input, 20);
    let before = std::fs::read(&input).unwrap();
    // Tests run as root, which ignores permission bits: a folder under a regular file and a
    // folder in /proc cannot be created by anyone.
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let under_file = blocker.join("out");
    for out in [under_file.as_path(), Path::new("/proc/pipemap-out")] {
        let outcome = run(
            &[
                "apply",
                input.to_str().unwrap(),
                "--profile",
                "profile.yaml",
                "--quiet",
                "--out",
                out.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert_eq!(outcome.code, 2, "{}", outcome.stderr);
        let parent = out.parent().unwrap().display().to_string();
        assert!(
            outcome.stderr.contains(&parent),
            "names the folder: {}",
            outcome.stderr
        );
        assert!(!out.exists());
    }
    assert_eq!(std::fs::read(&blocker).unwrap(), b"not a folder");
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert_no_staging_left(dir.path());
}

/// The binary as a plain process, for tests that set limits or send signals.
fn raw_pipemap(args: &[&str], cwd: &Path) -> Command {
    let mut cmd = common::pipemap_process();
    cmd.current_dir(cwd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Waits for a child with the hang guard; returns (exit code or 128 + signal, stderr).
fn finish(mut child: std::process::Child) -> (i32, String) {
    use std::os::unix::process::ExitStatusExt;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            let code = status
                .code()
                .or_else(|| status.signal().map(|s| 128 + s))
                .unwrap();
            assert!(!stderr.contains("panicked"), "{stderr}");
            return (code, stderr);
        }
        if start.elapsed() > HANG_GUARD {
            child.kill().unwrap();
            panic!("pipemap hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_full_disk_ends_with_a_clear_error_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("persons.csv");
    persons(&input, 20_000);
    let before = std::fs::read(&input).unwrap();
    let out = dir.path().join("out");
    let mut cmd = raw_pipemap(
        &[
            "apply",
            "persons.csv",
            "--profile",
            "profile.yaml",
            "--quiet",
            "--out",
            "out",
        ],
        dir.path(),
    );
    // A file-size limit makes every write past 256 KiB fail with EFBIG, as a full disk fails
    // with ENOSPC; SIGXFSZ is ignored so the write returns the error instead of ending the
    // process.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 256 * 1024,
                rlim_max: 256 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let (code, stderr) = finish(cmd.spawn().unwrap());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("File too large") && stderr.contains("pipemap: "),
        "{stderr}"
    );
    assert!(final_outputs(&out).is_empty(), "{:?}", final_outputs(&out));
    assert_no_staging_left(dir.path());
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn a_file_that_grows_while_it_is_exported_is_refused_or_exported_whole() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("persons.csv");
    persons(&input, 150_000);
    let child = raw_pipemap(
        &[
            "apply",
            "persons.csv",
            "--profile",
            "profile.yaml",
            "--quiet",
            "--out",
            "out",
        ],
        dir.path(),
    )
    .spawn()
    .unwrap();
    // Another program keeps appending whole rows while the export runs.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let input = input.clone();
        std::thread::spawn(move || {
            let mut appended = 0u64;
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&input)
                .unwrap();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let row = format!("Late {appended},late{appended}@example.com,added later\n");
                file.write_all(row.as_bytes()).unwrap();
                appended += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
            appended
        })
    };
    let (code, stderr) = finish(child);
    eprintln!("exit {code}: {stderr}");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let appended = writer.join().unwrap();
    assert!(appended > 0);
    let out = dir.path().join("out");
    match code {
        2 => {
            assert!(
                stderr.contains("persons.csv: the file changed while it was read"),
                "{stderr}"
            );
            assert!(!out.exists(), "{:?}", final_outputs(&out));
        }
        0 | 3 => {
            // Finished before the first row was appended: then it is complete and consistent.
            let summary = common::assert_reconciles(&out);
            assert!(summary.summary.files[0].rows_in >= 150_000);
        }
        other => panic!("exit {other}: {stderr}"),
    }
    assert_no_staging_left(dir.path());
}

#[test]
fn ctrl_c_during_an_export_leaves_no_half_written_file() {
    signal_during_an_export_leaves_nothing_behind(libc::SIGINT);
}

/// A closed terminal or SSH session (SIGHUP) and a quit (SIGQUIT, Ctrl+backslash) clean up as
/// Ctrl-C does: by default they would end pipemap with its staging folder left behind.
#[test]
fn hang_up_or_quit_during_an_export_leaves_no_staging_behind() {
    for signal in [libc::SIGHUP, libc::SIGQUIT] {
        signal_during_an_export_leaves_nothing_behind(signal);
    }
}

/// Sends `signal` once the export has begun writing; checks that it ends with 128 + the
/// signal's number and no staging folder or half-written output, or finished whole first.
fn signal_during_an_export_leaves_nothing_behind(signal: libc::c_int) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("persons.csv");
    persons(&input, 300_000);
    let before = std::fs::read(&input).unwrap();
    let mut child = raw_pipemap(
        &[
            "apply",
            "persons.csv",
            "--profile",
            "profile.yaml",
            "--quiet",
            "--out",
            "out",
        ],
        dir.path(),
    )
    .spawn()
    .unwrap();
    let pid = child.id() as libc::pid_t;
    // Wait until the export has begun writing (its staging folder exists), then interrupt.
    let start = Instant::now();
    while !staging_exists(dir.path())
        && start.elapsed() < HANG_GUARD
        && child.try_wait().unwrap().is_none()
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let (code, stderr) = finish(child);
    eprintln!("signal {signal}, exit {code}: {stderr}");
    let out = dir.path().join("out");
    if code == 128 + signal {
        assert!(stderr.contains("pipemap: interrupted"), "{stderr}");
        if stderr.contains("the export was abandoned") || final_outputs(&out).is_empty() {
            assert!(final_outputs(&out).is_empty(), "{:?}", final_outputs(&out));
        } else {
            // The signal came while the finished export was being moved into place, which
            // completes first: then every output is there and whole.
            common::assert_reconciles(&out);
        }
    } else {
        // The export finished before the signal came: every output is then complete.
        assert!(matches!(code, 0 | 3), "exit {code}: {stderr}");
        common::assert_reconciles(&out);
    }
    assert_no_staging_left(dir.path());
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

fn staging_exists(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with(".pipemap-staging")
    })
}

#[test]
fn formula_cells_are_counted_and_escaped_on_request() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("profile.yaml"), PROFILE).unwrap();
    let input = "Name,Email,Notes\n\
        =HYPERLINK(\"http://x.example\"),a@example.com,+1 cmd\n\
        @SUM(A1),=cmd(),-2+3\n\
        Plain,-12,ordinary\n";
    std::fs::write(dir.path().join("persons.csv"), input).unwrap();
    let mut cells = Vec::new();
    for (out, flag) in [("plain", None), ("escaped", Some("--escape-formulas"))] {
        let mut args = vec![
            "apply",
            "persons.csv",
            "--profile",
            "profile.yaml",
            "--quiet",
            "--out",
            out,
        ];
        args.extend(flag);
        let outcome = run(&args, dir.path());
        assert!(matches!(outcome.code, 0 | 3), "{}", outcome.stderr);
        let out = dir.path().join(out);
        let summary = common::assert_reconciles(&out);
        // The two names would be evaluated by a spreadsheet; the notes start with their
        // column's name, and "-12" is a number.
        assert_eq!(summary.summary.formula_cells, 2, "{summary:?}");
        let report = std::fs::read_to_string(out.join("report.md")).unwrap();
        assert!(report.contains("2 cell(s) start with ="), "{report}");
        let mut reader = csv::Reader::from_path(out.join("02-persons.csv")).unwrap();
        let names: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        let warnings = std::fs::read_to_string(out.join("warnings.csv")).unwrap();
        cells.push((names, warnings));
    }
    let (plain, escaped) = (&cells[0], &cells[1]);
    assert_eq!(plain.0[0], "=HYPERLINK(\"http://x.example\")");
    assert_eq!(plain.0[1], "@SUM(A1)");
    assert_eq!(escaped.0[0], "'=HYPERLINK(\"http://x.example\")");
    assert_eq!(escaped.0[1], "'@SUM(A1)");
    assert_eq!(escaped.0[2], "Plain");
    // The e-mail that is no e-mail goes to warnings.csv with its text, guarded alike.
    assert!(plain.1.contains(",=cmd(),"), "{}", plain.1);
    assert!(escaped.1.contains(",'=cmd(),"), "{}", escaped.1);
}
