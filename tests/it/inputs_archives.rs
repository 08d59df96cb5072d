//! ZIP archives, gzip files and folders as sources, driven through the binary: each table
//! member is a source named `export.zip/path/inside.csv`, read in place; unsafe names, bombs,
//! truncated and damaged archives are refused with a message naming the file and member.

use crate::common;

use std::io::Write;
use std::path::Path;

use common::{inspect_json, pipemap};
use predicates::prelude::*;
use serde_json::Value;
use zip::write::SimpleFileOptions;

fn write_zip(path: &Path, members: &[(&str, &[u8])], stored: bool) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    for (name, bytes) in members {
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn workbook_bytes() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Pipeline").unwrap();
    ws.write_string(0, 0, "Opportunity").unwrap();
    ws.write_string(0, 1, "Amount").unwrap();
    ws.write_string(1, 0, "Fjord deal").unwrap();
    ws.write_number(1, 1, 125000.0).unwrap();
    wb.save_to_buffer().unwrap()
}

/// The shape of Salesforce's weekly Data Export: one CSV per object, attachments beside them.
fn salesforce_zip(path: &Path) {
    let book = workbook_bytes();
    write_zip(
        path,
        &[
            (
                "WE_00D000000000001_1/Account.csv",
                "Id,Name,Website\n0015g00000AbCdE,Fjord Fisk AS,fjordfisk.example\n".as_bytes(),
            ),
            (
                "WE_00D000000000001_1/Contact.csv",
                "Id,AccountId,FirstName,LastName,Email,MailingPostalCode\n\
                 0035g00000XyZ12,0015g00000AbCdE,Åse,Ødegård,ase@example.no,0150\n"
                    .as_bytes(),
            ),
            ("WE_00D000000000001_1/Attachments/00P1.pdf", b"%PDF-1.4"),
            ("WE_00D000000000001_1/Report.xlsx", &book),
        ],
        false,
    );
}

fn names(json: &Value) -> Vec<String> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_table_member_is_a_source_named_inside_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("export.zip");
    salesforce_zip(&zip);
    let json = inspect_json(&zip);
    let z = zip.display().to_string();
    assert_eq!(
        names(&json),
        [
            format!("{z}/WE_00D000000000001_1/Account.csv"),
            format!("{z}/WE_00D000000000001_1/Contact.csv"),
            format!("{z}/WE_00D000000000001_1/Report.xlsx#Pipeline"),
        ]
    );
    let contact = &json[1];
    assert_eq!(contact["format"]["container"], "zip member");
    assert_eq!(
        contact["sample_rows"][0],
        serde_json::json!([
            "0035g00000XyZ12",
            "0015g00000AbCdE",
            "Åse",
            "Ødegård",
            "ase@example.no",
            "0150"
        ])
    );
    assert_eq!(json[2]["sample_rows"][0][1], "125000");
    // Nothing was extracted next to the archive.
    let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(beside.len(), 1);
}

#[test]
fn a_member_is_named_on_the_command_line_as_everywhere_else() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("export.zip");
    salesforce_zip(&zip);
    let member = format!("{}/WE_00D000000000001_1/Contact.csv", zip.display());
    let json = inspect_json(Path::new(&member));
    assert!(json.is_object());
    assert_eq!(json["file"], member.as_str());
    let sheet = format!(
        "{}/WE_00D000000000001_1/Report.xlsx#Pipeline",
        zip.display()
    );
    assert_eq!(inspect_json(Path::new(&sheet))["file"], sheet.as_str());
    pipemap()
        .args(["suggest", &member, "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Contact.csv"));
    pipemap()
        .args([
            "inspect",
            &format!("{}/WE_00D000000000001_1/Lead.csv", zip.display()),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Lead.csv"));
}

const PROFILE: &str = r#"version: 1
name: salesforce-test
files:
  - match: {headers_include: [Id, Name, Website]}
    entity: organization
    columns:
      Id: organization.custom:Salesforce ID
      Name: organization.name
      Website: organization.custom:Website
  - match: {headers_include: [Id, AccountId, FirstName]}
    entity: person
    columns:
      Id: person.custom:Salesforce ID
      AccountId: person.org_id
      FirstName: person.first_name
      LastName: person.last_name
      Email: person.email:work
      MailingPostalCode: person.custom:Zip
  - match: {headers_include: [Opportunity, Amount]}
    entity: deal
    columns:
      Opportunity: deal.title
      Amount: deal.value
"#;

#[test]
fn apply_reads_a_whole_export_archive_and_links_it() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("export.zip");
    salesforce_zip(&zip);
    let profile = dir.path().join("profile.yaml");
    std::fs::write(&profile, PROFILE).unwrap();
    let out = dir.path().join("out");
    let run = pipemap()
        .arg("apply")
        .arg(&zip)
        .arg("--profile")
        .arg(&profile)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        matches!(run.status.code(), Some(0) | Some(3)),
        "apply: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("skipped 1 member"));
    let persons = std::fs::read_to_string(out.join("02-persons.csv")).unwrap();
    assert!(
        persons.contains("Fjord Fisk AS"),
        "linked by account id:\n{persons}"
    );
    assert!(persons.contains("0150"), "{persons}");
    let summary = common::read_summary(&out).summary;
    let files: Vec<&str> = summary.files.iter().map(|f| f.file.as_str()).collect();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("export.zip/WE_00D000000000001_1/Contact.csv")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("Report.xlsx#Pipeline")),
        "{files:?}"
    );
    assert!(summary.reconciled);
}

#[test]
fn members_named_outside_the_archive_are_refused_and_nothing_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("a").join("b");
    std::fs::create_dir_all(&inner).unwrap();
    let zip = inner.join("evil.zip");
    write_zip(
        &zip,
        &[
            ("../../escaped.csv", b"a,b\n1,2\n"),
            ("/tmp/pipemap-absolute.csv", b"a,b\n1,2\n"),
            ("good.csv", b"Name,Email\nAse,ase@example.no\n"),
        ],
        false,
    );
    let out = pipemap()
        .args(["inspect", zip.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("../../escaped.csv") && stderr.contains("outside"),
        "{stderr}"
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(names(&json), [format!("{}/good.csv", zip.display())]);
    assert!(!dir.path().join("escaped.csv").exists());
    assert!(!Path::new("/tmp/pipemap-absolute.csv").exists());
    // An archive of nothing but such members holds no source at all.
    let only = inner.join("only.zip");
    write_zip(&only, &[("../../escaped.csv", b"a,b\n1,2\n")], false);
    pipemap()
        .args(["inspect", only.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only.zip"))
        .stderr(predicate::str::contains("outside the archive"));
    assert!(!dir.path().join("escaped.csv").exists());
}

/// Overwrites a member's declared uncompressed size in both of its headers.
fn declare_size(path: &Path, size: u32) {
    let mut bytes = std::fs::read(path).unwrap();
    let mut patch = |sig: &[u8], offset: usize| {
        let at = bytes.windows(4).position(|w| w == sig).unwrap();
        bytes[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
    };
    patch(b"PK\x03\x04", 22);
    patch(b"PK\x01\x02", 24);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn bombs_truncated_and_damaged_archives_exit_2_naming_file_and_member() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Name,Email\n".to_string() + &"Ase,ase@example.no\n".repeat(200);
    // Declares 1 GiB from a few hundred bytes: past the ratio limit.
    let bomb = dir.path().join("bomb.zip");
    write_zip(&bomb, &[("Contact.csv", csv.as_bytes())], false);
    declare_size(&bomb, 1 << 30);
    // Declares less than it unpacks to: caught while streaming.
    let liar = dir.path().join("liar.zip");
    write_zip(&liar, &[("Contact.csv", csv.as_bytes())], false);
    declare_size(&liar, 100);
    let truncated = dir.path().join("truncated.zip");
    salesforce_zip(&truncated);
    let whole = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &whole[..300]).unwrap();
    // A stored member with one byte changed: its checksum no longer matches.
    let damaged = dir.path().join("damaged.zip");
    write_zip(&damaged, &[("Contact.csv", csv.as_bytes())], true);
    let mut bytes = std::fs::read(&damaged).unwrap();
    let at = bytes.windows(3).position(|w| w == b"Ase").unwrap();
    bytes[at] = b'E';
    std::fs::write(&damaged, bytes).unwrap();
    for (path, member, words) in [
        (&bomb, "Contact.csv", "250:1"),
        (&liar, "Contact.csv", "ZIP bomb"),
        (&truncated, "", "truncated"),
        (&damaged, "Contact.csv", "checksum"),
    ] {
        let file = path.file_name().unwrap().to_str().unwrap();
        pipemap()
            .args(["inspect", path.to_str().unwrap()])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                format!("{file}/{member}").trim_end_matches('/'),
            ))
            .stderr(predicate::str::contains(words))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn a_folder_opens_every_table_workbook_archive_and_gzip_file_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    salesforce_zip(&export.join("salesforce.zip"));
    std::fs::write(export.join("Pipeline.xlsx"), workbook_bytes()).unwrap();
    std::fs::write(export.join("~$Pipeline.xlsx"), b"lock").unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(export.join("leads.csv.gz")).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all("Name,Email\nZoë Ødegård,zoe@example.no\n".as_bytes())
        .unwrap();
    gz.finish().unwrap();
    let json = inspect_json(&export);
    let names = names(&json);
    let e = export.display().to_string();
    assert_eq!(
        names,
        [
            format!("{e}/Pipeline.xlsx#Pipeline"),
            format!("{e}/leads.csv.gz"),
            format!("{e}/salesforce.zip/WE_00D000000000001_1/Account.csv"),
            format!("{e}/salesforce.zip/WE_00D000000000001_1/Contact.csv"),
            format!("{e}/salesforce.zip/WE_00D000000000001_1/Report.xlsx#Pipeline"),
        ]
    );
    assert_eq!(json[1]["sample_rows"][0][0], "Zoë Ødegård");
}

/// Tables a folder or an archive holds but pipemap does not read — in a subfolder, in an
/// archive inside the archive — are named in a note, never dropped without a word; a folder
/// whose tables are all in subfolders says where they are.
#[test]
fn tables_in_subfolders_and_nested_archives_are_named_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir_all(export.join("2024/q1")).unwrap();
    std::fs::create_dir_all(export.join(".cache")).unwrap();
    std::fs::write(export.join("top.csv"), "Name\nAda\n").unwrap();
    std::fs::write(export.join("2024/q1/inner.csv"), "Name\nBob\n").unwrap();
    std::fs::write(export.join("2024/inner.xlsx"), workbook_bytes()).unwrap();
    std::fs::write(export.join(".cache/old.csv"), "Name\nOld\n").unwrap();
    let inner = {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("a.csv", SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"Name\nCy\n").unwrap();
        zip.finish().unwrap().into_inner()
    };
    write_zip(
        &dir.path().join("outer.zip"),
        &[
            ("top.csv", b"Name\nDee\n"),
            ("more/inner.zip", &inner),
            ("readme.md", b"hello"),
        ],
        false,
    );
    let e = export.display().to_string();
    pipemap()
        .arg("inspect")
        .arg(&export)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "{e}: its subfolder(s) {e}/2024 hold 2 table file(s) that were not read; give them as well to read them"
        )))
        .stderr(predicate::str::contains(".cache").not());
    let outer = dir.path().join("outer.zip").display().to_string();
    pipemap()
        .arg("inspect")
        .arg(dir.path().join("outer.zip"))
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "{outer}: skipped 1 archive(s) inside it, not read: \"more/inner.zip\"; unpack them and give their files to read them"
        )))
        .stderr(predicate::str::contains(format!(
            "{outer}: skipped 1 member(s) that are not CSV/TSV files or workbooks"
        )));
    // An export of the folder and of the archive says the same in report.md, beside the output.
    let said = [
        format!("{e}: its subfolder(s) {e}/2024 hold 2 table file(s) that were not read"),
        format!("{outer}: skipped 1 archive(s) inside it, not read: \"more/inner.zip\""),
    ];
    let out = dir.path().join("out");
    pipemap()
        .arg("apply")
        .arg(&export)
        .arg(dir.path().join("outer.zip"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(said[0].as_str()))
        .stderr(predicate::str::contains(said[1].as_str()));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    for line in &said {
        assert!(
            report.contains(line.as_str()),
            "report.md lacks {line:?}:\n{report}"
        );
    }
    // Only subfolders hold tables: the refusal says where they are.
    std::fs::remove_file(export.join("top.csv")).unwrap();
    pipemap()
        .arg("inspect")
        .arg(&export)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "the folder holds no .csv, .tsv, .txt, .gz, .zip or workbook files itself (its subfolder(s) {e}/2024 hold 2 table file(s)"
        )));
}
