//! Whatever the rows hold — empty cells, junk dates, missing names, dangling ids, quotes and
//! line breaks — every input row ends in exactly one place, and summary.json says so truthfully.

use std::path::PathBuf;

use pipemap::profile::from_yaml;
use pipemap::schema::Schema;
use pipemap::transform::engine::{ApplyOptions, apply};
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
"#;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-zÀ-ÿ ]{1,12}",
        "[0-9]{1,3}",
        Just("2024-02-30".to_string()),
        Just("03/04/2024".to_string()),
        Just("a@b.example".to_string()),
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
        let opts = ApplyOptions { out: out.clone(), sample: None, escape_formulas: true, strict_drift: true, allow_drift: false, progress: None };
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
        let rejected_lines: std::collections::HashSet<(String, String)> = csv::Reader::from_path(out.join("rejects.csv"))
            .unwrap()
            .records()
            .map(|r| { let r = r.unwrap(); (r[0].to_string(), r[1].to_string()) })
            .collect();
        prop_assert_eq!(rejected_lines.len() as u64, s.rejected);
    }
}
