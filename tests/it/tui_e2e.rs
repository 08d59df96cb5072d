//! The real binary in a pseudo-terminal: `pipemap demo` draws, goes to Review & Export, exports
//! to a temporary folder, and quits with exit code 0, leaving the terminal restored.

use crate::common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Waits until `done` holds, checking every 50 ms, for at most `limit`.
fn wait_for(
    limit: Duration,
    what: &str,
    screen: &Arc<Mutex<Vec<u8>>>,
    mut done: impl FnMut() -> bool,
) {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > limit {
            let mut parser = parser();
            parser.process(&screen.lock().unwrap());
            panic!(
                "timed out waiting for {what}; the screen:\n{}",
                parser.screen().contents()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A VT100 screen of the pty's size.
fn parser() -> vt100::Parser {
    let n = |v: u16| std::num::NonZero::new(v).expect("non-zero");
    vt100::Parser::new(n(40), n(120), 0)
}

/// True when the terminal's current screen (all output replayed through a VT100 parser)
/// shows `needle`.
fn output_has(screen: &Arc<Mutex<Vec<u8>>>, needle: &str) -> bool {
    let bytes = screen.lock().unwrap().clone();
    let mut parser = parser();
    parser.process(&bytes);
    parser.screen().contents().contains(needle)
}

fn raw_output_has(screen: &Arc<Mutex<Vec<u8>>>, needle: &str) -> bool {
    String::from_utf8_lossy(&screen.lock().unwrap()).contains(needle)
}

#[test]
fn demo_exports_in_a_real_terminal_and_quits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pipemap"));
    cmd.args(["demo", "--out"]);
    cmd.arg(&out);
    cmd.cwd(dir.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_DATA_HOME", dir.path().join("data"));
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("HOME", dir.path());
    let mut child = pair.slave.spawn_command(cmd).expect("spawn pipemap demo");
    drop(pair.slave);
    let screen = Arc::new(Mutex::new(Vec::new()));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let sink = screen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let mut keys = pair.master.take_writer().unwrap();
    let limit = Duration::from_secs(20);

    wait_for(limit, "the Files screen", &screen, || {
        output_has(&screen, "Source files") && output_has(&screen, "Zendesk Sell")
    });
    keys.write_all(b"5").unwrap();
    keys.flush().unwrap();
    wait_for(limit, "the Review & Export screen", &screen, || {
        output_has(&screen, "Output folder")
    });
    keys.write_all(b"e").unwrap();
    keys.flush().unwrap();
    let summary = out.join("summary.json");
    wait_for(limit, "summary.json", &screen, || summary.exists());
    wait_for(limit, "the summary panel", &screen, || {
        output_has(&screen, "counts reconcile")
    });
    keys.write_all(b"q").unwrap();
    keys.flush().unwrap();
    let mut status = None;
    wait_for(limit, "pipemap to exit", &screen, || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    assert!(
        status.as_ref().is_some_and(|s| s.success()),
        "exit status {status:?}"
    );
    assert!(
        raw_output_has(&screen, "\u{1b}[?1049l"),
        "the alternate screen was not left"
    );

    check_export(&out);
}

fn check_export(out: &Path) {
    for f in [
        "mapping.yaml",
        "01-organizations.csv",
        "02-persons.csv",
        "03-deals.csv",
        "04-leads.csv",
        "05-activities.csv",
        "06-notes.csv",
        "report.md",
        "rejects.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing from the export");
    }
    let summary = common::assert_reconciles(out).summary;
    assert_eq!(summary.files.len(), 5);
}
