//! Small hostile files, made by each test, that unfold into gigabytes or quadratic work when
//! read without limits: each run of pipemap happens under a 512 MiB address-space limit set
//! by the test, and must end by itself with the right data or a message naming the file and
//! the limit, without a panic, with its peak memory under the limit.

use crate::common;

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use common::limited::{Run, apply, names, run_limited};

fn minutes(n: u64) -> Duration {
    Duration::from_secs(60 * n)
}

#[test]
fn the_normal_run_fits_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.csv"), "Name\nAda\nBob\n").unwrap();
    let run = apply(dir.path(), "people.csv");
    run.assert_clean();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(names(dir.path()), ["Ada", "Bob"]);
}

#[test]
fn a_gzip_holding_one_300_mib_cell_is_refused_by_the_record_limit() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("huge.csv.gz")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    gz.write_all(b"Name,Notes\nAda,").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..300 {
        gz.write_all(&chunk).unwrap();
    }
    gz.write_all(b"\n").unwrap();
    gz.finish().unwrap();
    let size = std::fs::metadata(dir.path().join("huge.csv.gz"))
        .unwrap()
        .len();
    assert!(size < 1 << 20, "{size} bytes compressed");
    let run = apply(dir.path(), "huge.csv.gz");
    run.assert_refused(&[
        "huge.csv.gz:2: refused: the record holds more than 64 MiB, past the limit",
    ]);
}

/// A ZIP of `n` stored members, each one row.
fn many_members(path: &Path, n: usize) {
    many_members_as(path, n, zip::CompressionMethod::Stored);
}

/// A ZIP of `n` members, each one row, compressed by `method`.
fn many_members_as(path: &Path, n: usize, method: zip::CompressionMethod) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for i in 0..n {
        zip.start_file(format!("m{i}.csv"), options).unwrap();
        write!(zip, "Name\nP{i}\n").unwrap();
    }
    zip.finish().unwrap();
}

/// Deflated members, as exports are zipped: each member's inflater and buffers (about 100 KB)
/// are let go once its one row is read, instead of held for every member until the export
/// ends (1 GB for 10,000).
#[test]
fn ten_thousand_deflated_one_row_members_are_exported_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let n = 10_000;
    many_members_as(
        &dir.path().join("many.zip"),
        n,
        zip::CompressionMethod::Deflated,
    );
    let run = apply(dir.path(), "many.zip");
    run.assert_clean();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut got = names(dir.path());
    got.sort();
    let mut want: Vec<String> = (0..n).map(|i| format!("P{i}")).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn ten_thousand_one_row_members_are_all_exported_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut timed = Vec::new();
    for n in [2_500, 10_000] {
        let sub = dir.path().join(n.to_string());
        std::fs::create_dir(&sub).unwrap();
        many_members(&sub.join("many.zip"), n);
        let run = apply(&sub, "many.zip");
        run.assert_clean();
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let mut got = names(&sub);
        got.sort();
        let mut want: Vec<String> = (0..n).map(|i| format!("P{i}")).collect();
        want.sort();
        assert_eq!(got, want);
        timed.push(run.elapsed.as_secs_f64());
    }
    // Time is shown, not asserted (the machine is shared): four times the members should take
    // about four times as long, where quadratic work took sixteen.
    eprintln!(
        "2,500 members {:.1} s, 10,000 members {:.1} s",
        timed[0], timed[1]
    );
}

#[test]
fn an_archive_past_its_member_limit_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    many_members(&dir.path().join("many.zip"), 20_001);
    let run = apply(dir.path(), "many.zip");
    run.assert_refused(&["many.zip: refused: the archive holds more than 20000 members"]);
}

/// A CSV whose header repeats `Name` `n` times, with one row.
fn repeated_headers(dir: &Path, n: usize) -> Run {
    let header = vec!["Name"; n].join(",");
    let row = vec!["x"; n].join(",");
    std::fs::write(dir.join("wide.csv"), format!("{header}\n{row}\n")).unwrap();
    run_limited(dir, &["inspect", "wide.csv"], minutes(3))
}

#[test]
fn twenty_and_forty_thousand_repeated_headers_are_named_apart_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let small = repeated_headers(dir.path(), 20_000);
    small.assert_clean();
    assert_eq!(small.code, Some(0), "{}", small.stderr);
    assert!(small.stdout.contains("Name (20000)"));
    let large = repeated_headers(dir.path(), 40_000);
    large.assert_clean();
    assert_eq!(large.code, Some(0), "{}", large.stderr);
    assert!(large.stdout.contains("Name (40000)"));
    eprintln!("20,000: {:?}, 40,000: {:?}", small.elapsed, large.elapsed);
}

#[test]
fn a_hundred_thousand_columns_export_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wide.csv"), common::wide_csv(100_000)).unwrap();
    let run = apply(dir.path(), "wide.csv");
    run.assert_clean();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(names(dir.path()), ["Ada", "Bob"]);
}

#[test]
fn a_token_file_of_dev_zero_is_refused_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // prepare reads its export folder first.
    std::fs::write(dir.path().join("people.csv"), "Name\nAda\n").unwrap();
    let made = apply(dir.path(), "people.csv");
    assert_eq!(made.code, Some(0), "{}", made.stderr);
    // (undo with nothing to undo never reads the token.)
    for command in [&["pull"][..], &["prepare", "out"]] {
        let args: Vec<&str> = std::iter::once("account")
            .chain(command.iter().copied())
            .chain(["--token-file", "/dev/zero", "--domain", "acme"])
            .collect();
        let run = run_limited(dir.path(), &args, minutes(1));
        run.assert_refused(&[
            "/dev/zero: refused: a token file holds one API token, and this one is larger than the limit of 4096 bytes",
        ]);
    }
}
