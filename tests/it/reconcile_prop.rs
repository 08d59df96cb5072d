//! Whatever the rows hold — empty cells, junk dates, missing names, dangling ids, quotes and
//! line breaks, repeated e-mails that merge — every input row ends in exactly one place, and
//! summary.json says so truthfully: on one file split into two entities, files linked by id and
//! by type, merges by the profile's `dedupe`, rejects, and output files split at the import's
//! row limit.

use std::path::PathBuf;

use pipemap::export::apply;
use pipemap::profile::from_yaml;
use pipemap::schema::Schema;
use pipemap::transform::engine::{ApplyOptions, DriftPolicy};
use proptest::prelude::*;

const PROFILE: &str = r#"version: 1
name: prop
files:
  - match: {headers_include: [id, kind, name]}
    entity: person
    split: {column: kind, "true": organization}
    columns:
      id: person.custom:Source ID
      kind: skip
      name: person.name
      company: person.org_id
      email: person.email:work
      born: person.birthday
  - match: {headers_include: [id, title, contact_id]}
    entity: deal
    columns:
      id: deal.custom:Source ID
      title: deal.title
      contact_id: deal.person_id
      amount: deal.value
  - match: {headers_include: [body, parent_type, parent_id]}
    entity: note
    columns:
      body: note.content
      parent_id: {link_by: parent_type, types: {contact: person, deal: deal}}
      parent_type: skip
dedupe:
  person: {keys: [email], auto_merge: true}
"#;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-zÀ-ÿ ]{1,12}",
        "[0-9]{1,3}",
        Just("2024-02-30".to_string()),
        Just("03/04/2024".to_string()),
        Just("a@b.example".to_string()),
        Just("A@B.example".to_string()),
        Just("c@d.example".to_string()),
        Just("not an email".to_string()),
        Just("x,\"y\"\nz".to_string()),
        Just("=1+1".to_string()),
    ]
}

fn csv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn counts_always_reconcile(
        persons in prop::collection::vec(prop::collection::vec(cell(), 6), 0..25),
        deals in prop::collection::vec(prop::collection::vec(cell(), 4), 0..15),
        notes in prop::collection::vec(prop::collection::vec(cell(), 3), 0..15),
        kinds in prop::collection::vec(any::<bool>(), 25),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let persons: Vec<Vec<String>> = persons.into_iter().enumerate().map(|(i, mut r)| { r[0] = i.to_string(); r[1] = kinds[i].to_string(); r }).collect();
        let notes: Vec<Vec<String>> = notes.into_iter().enumerate().map(|(i, mut r)| { r[1] = if i % 2 == 0 { "contact".into() } else { "deal".into() }; r }).collect();
        let files = [
            ("contacts.csv", csv_text(&["id", "kind", "name", "company", "email", "born"], &persons)),
            ("deals.csv", csv_text(&["id", "title", "contact_id", "amount"], &deals)),
            ("notes.csv", csv_text(&["body", "parent_type", "parent_id"], &notes)),
        ];
        let mut sources = Vec::new();
        for (name, text) in &files {
            let path: PathBuf = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            sources.push(path);
        }
        let profile = from_yaml("prop.yaml", PROFILE).unwrap();
        let out = dir.path().join("out");
        let opts = ApplyOptions { out: out.clone(), sample: None, escape_formulas: true, drift: DriftPolicy::Refuse, progress: None, notes: Vec::new(), owners_from: None, labels: Default::default() };
        let export = apply(&sources, &profile, &Schema::builtin(), &opts).unwrap();
        let s = &export.summary;
        prop_assert!(s.reconciled);
        let expected_in = [persons.len(), deals.len(), notes.len()];
        for f in &s.files {
            prop_assert_eq!(f.rows_in, f.rows_out + f.merged + f.rejected);
        }
        let total_in: u64 = s.files.iter().map(|f| f.rows_in).sum();
        prop_assert_eq!(total_in, expected_in.iter().sum::<usize>() as u64);
        for o in &s.outputs {
            let mut reader = csv::Reader::from_path(out.join(&o.file)).unwrap();
            prop_assert_eq!(reader.records().count() as u64, o.rows);
        }
        // Rows out of each file are in the outputs: at least as many records as rows written
        // (a row may also create its organization), never more than rows written plus the
        // records made only for links.
        let written: u64 = s.outputs.iter().map(|o| o.rows).sum();
        let rows_out: u64 = s.files.iter().map(|f| f.rows_out).sum();
        prop_assert!(written >= rows_out, "{written} < {rows_out}");
        let rejected_lines: std::collections::HashSet<(String, String)> = csv::Reader::from_path(out.join("rejects.csv"))
            .unwrap()
            .records()
            .map(|r| { let r = r.unwrap(); (r[0].to_string(), r[1].to_string()) })
            .collect();
        prop_assert_eq!(rejected_lines.len() as u64, s.rejected);
    }
}

/// Past the import's 50,000 rows a file is split; merges and rejects still add up, and the
/// parts together hold every record once.
#[test]
fn split_outputs_merges_and_rejects_reconcile_exactly() {
    const ROWS: usize = 50_100;
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    for i in 0..ROWS {
        // Ten rows repeat an earlier person, name and e-mail (merged); five have no name (rejected).
        let email = if i >= ROWS - 10 {
            format!("p{}@example.com", i - (ROWS - 10))
        } else {
            format!("p{i}@example.com")
        };
        let name = if i % 10_000 == 5_000 {
            String::new()
        } else if i >= ROWS - 10 {
            format!("Person {}", i - (ROWS - 10))
        } else {
            format!("Person {i}")
        };
        rows.push(vec![
            i.to_string(),
            "false".into(),
            name,
            String::new(),
            email,
            String::new(),
        ]);
    }
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(
        &contacts,
        csv_text(&["id", "kind", "name", "company", "email", "born"], &rows),
    )
    .unwrap();
    let deals = dir.path().join("deals.csv");
    std::fs::write(
        &deals,
        csv_text(
            &["id", "title", "contact_id", "amount"],
            &[
                vec!["d1".into(), "Deal one".into(), "50003".into(), "12".into()],
                vec!["d2".into(), "Deal two".into(), String::new(), "5".into()],
            ],
        ),
    )
    .unwrap();
    let profile = from_yaml("prop.yaml", PROFILE).unwrap();
    let out = dir.path().join("out");
    let opts = ApplyOptions {
        out: out.clone(),
        sample: None,
        escape_formulas: false,
        drift: DriftPolicy::Refuse,
        progress: None,
        notes: Vec::new(),
        owners_from: None,
        labels: Default::default(),
    };
    let export = apply(&[contacts, deals], &profile, &Schema::builtin(), &opts).unwrap();
    let s = &export.summary;
    assert!(s.reconciled);
    let persons = &s.files[0];
    assert_eq!(persons.rows_in, ROWS as u64);
    assert_eq!(persons.merged, 10);
    assert_eq!(persons.rejected, 5);
    assert_eq!(persons.rows_out, ROWS as u64 - 10 - 5);
    let parts: Vec<(&str, u64)> = s
        .outputs
        .iter()
        .filter(|o| o.file.starts_with("02-persons"))
        .map(|o| (o.file.as_str(), o.rows))
        .collect();
    assert_eq!(
        parts,
        [
            ("02-persons-1.csv", 50_000),
            ("02-persons-2.csv", ROWS as u64 - 15 - 50_000)
        ]
    );
    let deals = &s.files[1];
    assert_eq!(
        deals.rows_in,
        deals.rows_out + deals.merged + deals.rejected
    );
    assert_eq!(deals.rows_in, 2);
    let mut read = 0u64;
    for (file, rows) in &parts {
        let n = csv::Reader::from_path(out.join(file))
            .unwrap()
            .records()
            .count() as u64;
        assert_eq!(n, *rows);
        read += n;
    }
    assert_eq!(read, persons.rows_out);
}
