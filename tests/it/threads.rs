//! Rows are converted on several threads and written in their file's order: the export is the
//! same, byte for byte, whatever `--threads` says — with duplicates merged, links by id across
//! files and within a file, and files many chunks long.

use crate::common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use common::{pipemap, rows};

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn apply(input: &Path, profile: &str, out: &Path, threads: &str) {
    let run = pipemap()
        .arg("apply")
        .arg(input)
        .args(["--profile", profile, "--out"])
        .arg(out)
        .args(["--threads", threads, "-q"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(matches!(run.status.code(), Some(0 | 3)), "{stderr}");
}

/// A Sell-style folder: contacts (people and companies in one file, with repeated people to
/// merge) and deals linking to contacts by id; several thousand rows, so many chunks.
fn sell_folder(dir: &Path) {
    let mut contacts = String::from(
        "id,is_organisation,name,first_name,last_name,organisation_name,email,phone,city\n",
    );
    for i in 0..4000u32 {
        if i % 10 == 0 {
            let _ = writeln!(
                contacts,
                "{},true,Company {},,,,info@company{}.example,,Oslo",
                10_000 + i,
                i / 10,
                i / 10
            );
        } else {
            // Every 97th person repeats an earlier one: the same e-mail, another id.
            let who = if i % 97 == 0 { i - 1 } else { i };
            let _ = writeln!(
                contacts,
                "{},false,,Ann{who},Lee,Company {},ann{who}@example.com,+47 22 00 {:04},Oslo",
                10_000 + i,
                i / 10,
                who % 10_000
            );
        }
    }
    fs::write(dir.join("contacts.csv"), contacts).unwrap();
    let mut deals = String::from("id,name,scope,stage_name,main_contact_id,company_id\n");
    for i in 0..3000u32 {
        // A person row (every tenth row is a company).
        let k = 1 + (i * 7) % 3999;
        let person = 10_000 + if k % 10 == 0 { k + 1 } else { k };
        let _ = writeln!(
            deals,
            "{},Deal {i},{}.50,Qualified,{person},{}",
            50_000 + i,
            1000 + i,
            10_000 + (i % 400) * 10
        );
    }
    fs::write(dir.join("deals.csv"), deals).unwrap();
}

#[test]
fn the_export_is_the_same_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    sell_folder(&input);
    let profile = dir.path().join("profile.yaml");
    fs::write(
        &profile,
        r#"version: 1
name: threads
files:
  - match: {headers_include: [is_organisation]}
    entity: person
    split:
      column: is_organisation
      "true": organization
      columns:
        email: organization.custom:Email
    columns:
      id: person.custom:Sell ID
      is_organisation: skip
      name: person.name
      first_name: person.first_name
      last_name: person.last_name
      organisation_name: person.org_id
      email: person.email:work
      phone: person.phone:work
      city: person.postal_address:city
  - match: {headers_include: [main_contact_id]}
    entity: deal
    columns:
      id: deal.custom:Sell ID
      name: deal.title
      scope: deal.value
      stage_name: deal.stage_id
      main_contact_id: deal.person_id
      company_id: deal.org_id
dedupe:
  person:
    auto_merge: true
    keys: [email]
"#,
    )
    .unwrap();
    let profile = profile.to_str().unwrap();
    let one = dir.path().join("one");
    apply(&input, profile, &one, "1");
    let reference = tree(&one);
    // The export did real work: merges, links by id, and rows from many chunks.
    let persons = rows(&one.join("02-persons.csv"));
    assert!(persons.len() > 3000, "{} persons", persons.len());
    let summary = fs::read_to_string(one.join("report.md")).unwrap();
    assert!(summary.contains("merged"), "{summary}");
    let deals = rows(&one.join("03-deals.csv"));
    assert_eq!(deals.len(), 3000);
    assert!(
        deals.iter().all(|d| !d["Person - Name"].is_empty()),
        "every deal links to its person by id"
    );
    for threads in ["2", "3", "8"] {
        let out = dir.path().join(format!("t{threads}"));
        apply(&input, profile, &out, threads);
        let files = tree(&out);
        assert_eq!(
            files.iter().map(|f| &f.0).collect::<Vec<_>>(),
            reference.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for ((name, bytes), (_, want)) in files.iter().zip(&reference) {
            assert!(
                bytes == want,
                "{name} differs with --threads {threads} from --threads 1"
            );
        }
    }
}

/// People who link by id to companies of their own file: each row sees the companies indexed
/// before it, as when the file is read one row at a time — so a deal linking to a person whose
/// company comes earlier in the file gets that company, on every number of threads.
#[test]
fn links_within_a_file_see_the_rows_before_them_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let mut contacts = String::from("id,is_organisation,name,company_id\n");
    // Enough rows that the workers convert chunks while the reading thread indexes.
    for i in 0..3000u32 {
        let _ = writeln!(contacts, "{},true,Company {i},", 100_000 + i);
        let _ = writeln!(contacts, "{},false,Person {i},{}", 200_000 + i, 100_000 + i);
    }
    fs::write(input.join("contacts.csv"), contacts).unwrap();
    let mut deals = String::from("id,name,main_contact_id\n");
    for i in 0..3000u32 {
        let _ = writeln!(deals, "{},Deal {i},{}", 300_000 + i, 200_000 + i);
    }
    fs::write(input.join("deals.csv"), deals).unwrap();
    let profile = dir.path().join("profile.yaml");
    fs::write(
        &profile,
        r#"version: 1
name: within
files:
  - match: {headers_include: [is_organisation]}
    entity: person
    split:
      column: is_organisation
      "true": organization
      columns: {}
    columns:
      id: person.custom:Source ID
      is_organisation: skip
      name: person.name
      company_id: person.org_id
  - match: {headers_include: [main_contact_id]}
    entity: deal
    columns:
      id: deal.custom:Source ID
      name: deal.title
      main_contact_id: deal.person_id
"#,
    )
    .unwrap();
    let profile = profile.to_str().unwrap();
    for threads in ["1", "2", "4"] {
        let out = dir.path().join(format!("t{threads}"));
        apply(&input, profile, &out, threads);
        let deals = rows(&out.join("03-deals.csv"));
        assert_eq!(deals.len(), 3000);
        for (i, d) in deals.iter().enumerate() {
            assert_eq!(d["Person - Name"], format!("Person {i}"));
            assert_eq!(
                d["Organization - Name"],
                format!("Company {i}"),
                "deal {i} with --threads {threads}"
            );
        }
    }
}
