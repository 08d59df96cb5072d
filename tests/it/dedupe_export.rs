//! The profile's duplicate decisions applied by `pipemap apply`: a merged person is written
//! once with the values the decision chose field by field, e-mails and phones united, every
//! value left behind kept in its note, and a deal that linked to an absorbed record follows
//! the survivor.

use crate::common;

use std::path::Path;

use common::{assert_reconciles, pipemap};

const PERSONS: &str = "\
id,first_name,last_name,email,phone,title,city
101,Ann,Lee,ann@acme.com,+1 555 0100,Buyer,Austin
102,Anne,Lee,ANN@acme.com,+1 555 0199,Head of Purchasing,
103,Ann,Lee,ann.lee@gmail.com,,,Dallas
104,Bo,Chan,bo@chan.io,,Owner,Reno
105,Bo,Chan,bo@chan.io,,Owner,Reno
";

const DEALS: &str = "\
id,name,contact_id,value
9001,Renewal,102,1000
9002,Upsell,105,500
";

fn profile(decisions: &str) -> String {
    format!(
        r#"version: 1
name: decisions
files:
  - match: {{headers_include: [first_name, last_name, email]}}
    entity: person
    columns:
      id: "person.custom:Source ID"
      first_name: person.first_name
      last_name: person.last_name
      email: person.email:work
      phone: person.phone:work
      title: person.job_title
      city: "person.custom:City"
  - match: {{headers_include: [contact_id, value]}}
    entity: deal
    columns:
      id: "deal.custom:Source ID"
      name: deal.title
      contact_id: deal.person_id
      value: deal.value
dedupe:
  person:
    decisions:
{decisions}
"#
    )
}

fn run(
    dir: &Path,
    decisions: &str,
) -> (
    Vec<csv::StringRecord>,
    csv::StringRecord,
    Vec<csv::StringRecord>,
) {
    std::fs::write(dir.join("persons.csv"), PERSONS).unwrap();
    std::fs::write(dir.join("deals.csv"), DEALS).unwrap();
    std::fs::write(dir.join("profile.yaml"), profile(decisions)).unwrap();
    let out = dir.join("out");
    let assert = pipemap()
        .arg("apply")
        .arg(dir.join("persons.csv"))
        .arg(dir.join("deals.csv"))
        .arg("--profile")
        .arg(dir.join("profile.yaml"))
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert();
    let code = assert.get_output().status.code();
    assert!(matches!(code, Some(0 | 3)), "{:?}", assert.get_output());
    assert_reconciles(&out);
    let read = |name: &str| {
        let mut r = csv::Reader::from_path(out.join(name)).unwrap();
        let headers = r.headers().unwrap().clone();
        (headers, r.records().map(Result::unwrap).collect::<Vec<_>>())
    };
    let (headers, persons) = read("02-persons.csv");
    let (_, deals) = read("03-deals.csv");
    (persons, headers, deals)
}

fn cell<'a>(headers: &csv::StringRecord, row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {headers:?}"));
    &row[i]
}

#[test]
fn a_merge_keeps_the_chosen_values_and_notes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let decisions = r#"      - action: merge
        records: ["101", "102", "103"]
        survivor: "101"
        fields: {job_title: "102"}"#;
    let (persons, h, deals) = run(dir.path(), decisions);
    let ann: Vec<_> = persons
        .iter()
        .filter(|r| cell(&h, r, "Person - Last name") == "Lee")
        .collect();
    assert_eq!(ann.len(), 1, "three records merged into one: {persons:?}");
    let ann = ann[0];
    assert_eq!(
        cell(&h, ann, "Person - First name"),
        "Ann",
        "the survivor's name"
    );
    assert_eq!(
        cell(&h, ann, "Person - Job title"),
        "Head of Purchasing",
        "the value the decision chose"
    );
    assert_eq!(
        cell(&h, ann, "Person - City"),
        "Austin",
        "the survivor's own value"
    );
    let emails: Vec<&str> = h
        .iter()
        .zip(ann.iter())
        .filter(|(k, v)| k.starts_with("Person - Email") && !v.is_empty())
        .map(|(_, v)| v)
        .collect();
    assert_eq!(
        emails,
        ["ann@acme.com", "ann.lee@gmail.com"],
        "united, one per address"
    );
    let note = cell(&h, ann, "Note - Content");
    assert!(
        note.contains("Merged from line 2 — Job title: Buyer"),
        "{note}"
    );
    assert!(note.contains("Merged from line 4 — City: Dallas"), "{note}");
    assert!(
        note.contains("Merged from line 3 — Source ID: 102"),
        "{note}"
    );
    // The deal that named record 102 follows its survivor.
    let renewal = deals
        .iter()
        .find(|d| &d[0] == "Renewal" || d.iter().any(|c| c == "Renewal"));
    let renewal = renewal.expect("the Renewal deal");
    assert!(renewal.iter().any(|c| c == "Ann Lee"), "{renewal:?}");
    let summary = common::read_summary(&dir.path().join("out")).summary;
    assert_eq!(summary.merged, 2, "{summary:?}");
}

#[test]
fn without_a_choice_the_survivor_keeps_its_values_and_fills_its_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let decisions = r#"      - action: merge
        records: ["103", "102"]
        survivor: "103""#;
    let (persons, h, _) = run(dir.path(), decisions);
    let merged = persons
        .iter()
        .find(|r| cell(&h, r, "Person - Email - Work") == "ann.lee@gmail.com")
        .expect("the survivor, its own e-mail first");
    assert_eq!(
        cell(&h, merged, "Person - Job title"),
        "Head of Purchasing",
        "an empty field takes the absorbed record's value"
    );
    assert_eq!(
        cell(&h, merged, "Person - City"),
        "Dallas",
        "its own value stays"
    );
    assert_eq!(cell(&h, merged, "Person - First name"), "Ann");
    assert!(cell(&h, merged, "Note - Content").contains("First name: Anne"));
    assert_eq!(
        persons.len(),
        4,
        "101, the merged 103, and the two Bo Chan records (no decision, no auto-merge)"
    );
}

#[test]
fn keep_and_drop_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let decisions = r#"      - action: keep
        records: ["104", "105"]
      - action: drop
        records: ["103"]"#;
    let (persons, h, deals) = run(dir.path(), decisions);
    let chans = persons
        .iter()
        .filter(|r| cell(&h, r, "Person - Last name") == "Chan")
        .count();
    assert_eq!(chans, 2, "kept separate");
    assert!(
        persons
            .iter()
            .all(|r| cell(&h, r, "Person - Email - Work") != "ann.lee@gmail.com"),
        "103 dropped"
    );
    let rejects = std::fs::read_to_string(dir.path().join("out/rejects.csv")).unwrap();
    assert!(rejects.contains("dropped as a duplicate"), "{rejects}");
    assert_eq!(deals.len(), 2);
}

/// `auto_merge` on `name+org_id`: one person written twice at one company is merged, while
/// namesakes at companies whose names differ only in a number (sister branches) stay apart.
#[test]
fn auto_merge_by_name_and_company_keeps_namesakes_at_numbered_branches_apart() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("people.csv"),
        "\
name,company,city
Li Wei,Branch 12,Austin
Li Wei,Branch 21,Dallas
Li Wei,Branch 12,
Kim Park,Unit 3,Reno
Kim Park,Unit 4,Reno
Ada Lovelace,Engine Works,London
John Smith,Globex,Berlin
Maria Garcia,Initech,Madrid
Tomasz Kowalski,Acme,Warsaw
",
    )
    .unwrap();
    std::fs::write(
        p.join("profile.yaml"),
        r#"version: 1
name: branches
files:
  - match: {headers_include: [name, company]}
    entity: person
    columns:
      name: person.name
      company: person.org_id
      city: "person.custom:City"
dedupe:
  person: {keys: [name+org_id], auto_merge: true}
"#,
    )
    .unwrap();
    let out = p.join("out");
    let output = pipemap()
        .current_dir(p)
        .args([
            "apply",
            "people.csv",
            "--profile",
            "profile.yaml",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let code = output.status.code();
    assert!(matches!(code, Some(0 | 3)), "{output:?}");
    let summary = assert_reconciles(&out);
    assert_eq!(summary.summary.files[0].merged, 1, "{summary:?}");
    let rows = common::rows(&out.join("02-persons.csv"));
    let at = |name: &str| -> Vec<String> {
        let mut orgs: Vec<String> = rows
            .iter()
            .filter(|r| r["Person - Name"] == name)
            .map(|r| r["Organization - Name"].clone())
            .collect();
        orgs.sort();
        orgs
    };
    assert_eq!(at("Li Wei"), ["Branch 12", "Branch 21"]);
    assert_eq!(at("Kim Park"), ["Unit 3", "Unit 4"]);
}
