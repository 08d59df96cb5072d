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

/// The row of the CSV at `path` whose `column` holds `value` (the first such row); fails the
/// test naming the file when none does.
pub fn row_where(path: &Path, column: &str, value: &str) -> HashMap<String, String> {
    rows(path)
        .into_iter()
        .find(|r| r.get(column).is_some_and(|v| v == value))
        .unwrap_or_else(|| panic!("{}: no row with {column} = {value:?}", path.display()))
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

/// A minimal OpenDocument spreadsheet whose one sheet, named People, holds `rows` (the XML of
/// its `table:table-row` elements).
pub fn ods(rows: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="People">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

/// Rewrites one part of a ZIP-based workbook (an xlsx, ods or xlsb): `patch` takes the part's
/// text and returns the new one; every other part is copied as it is.
pub fn patch_part(book: &[u8], part: &str, patch: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == part {
            bytes = patch(String::from_utf8(bytes).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// `pipemap inspect PATH --json`, which must succeed, as JSON.
pub fn inspect_json(path: &Path) -> serde_json::Value {
    let out = pipemap()
        .args(["inspect", path.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "inspect failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A CSV of `columns` columns (`Name`, `Field 1` …) and two rows, Ada's and Bob's, each
/// other cell its column's number.
pub fn wide_csv(columns: usize) -> String {
    let header: Vec<String> = std::iter::once("Name".to_string())
        .chain((1..columns).map(|i| format!("Field {i}")))
        .collect();
    let row = |name: &str| -> String {
        std::iter::once(name.to_string())
            .chain((1..columns).map(|i| i.to_string()))
            .collect::<Vec<_>>()
            .join(",")
    };
    format!("{}\n{}\n{}\n", header.join(","), row("Ada"), row("Bob"))
}

/// An xlsx of under 1 MiB whose sheet holds one 32,000-character string in each of 100 × 100
/// cells: its text unfolds to about 320 MB when read.
pub fn shared_string_bomb() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let long = "x".repeat(32_000);
    sheet.write_string(0, 0, "Name").unwrap();
    for row in 1..=100u32 {
        for col in 0..100u16 {
            sheet.write_string(row, col, &long).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Exports the workbook `file` in `dir` with a persons profile of `columns` (YAML lines under
/// `columns:`), checks it succeeds saying `note`, and gives each person's organization in order:
/// how the merged-cell tests of each workbook format read their result.
pub fn organizations_after_merge(dir: &Path, file: &str, columns: &str, note: &str) -> Vec<String> {
    std::fs::write(
        dir.join("p.yaml"),
        format!(
            "version: 1\nname: p\nfiles:\n  - match: {{headers_include: [Name]}}\n    entity: person\n    columns:\n{columns}"
        ),
    )
    .unwrap();
    let outcome = apply_in(dir, &[file, "--profile", "p.yaml", "--out", "out"]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(outcome.stderr.contains(note), "{}", outcome.stderr);
    rows(&dir.join("out/02-persons.csv"))
        .into_iter()
        .map(|mut r| r.remove("Organization - Name").unwrap_or_default())
        .collect()
}
