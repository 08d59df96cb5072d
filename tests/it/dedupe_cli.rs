//! `pipemap dedupe` as a script meets it: the JSON contract (every cluster lists every row it
//! holds, rows are 1-based data rows), the text view, and exit code 2 on bad input.

use crate::common;
use crate::dedupe_support;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use common::pipemap;
use predicates::prelude::*;

fn dedupe_json(path: &Path) -> serde_json::Value {
    dedupe_json_of(path, "person")
}

fn dedupe_json_of(path: &Path, entity: &str) -> serde_json::Value {
    let out = pipemap()
        .args([
            "dedupe",
            path.to_str().unwrap(),
            "--entity",
            entity,
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn json_lists_every_row_of_every_cluster_by_data_row() {
    let rows = dedupe_support::persons(11, 300, 0.15);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.csv");
    dedupe_support::write_persons_csv(&rows, std::fs::File::create(&path).unwrap()).unwrap();
    let doc = dedupe_json(&path);
    let keys: BTreeSet<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["file", "entity", "clusters"]));
    assert_eq!(doc["entity"], "person");
    assert!(doc["file"].as_str().unwrap().ends_with("contacts.csv"));
    let clusters = doc["clusters"].as_array().unwrap();
    assert!(!clusters.is_empty());
    let mut seen = BTreeSet::new();
    let mut last_score = f64::INFINITY;
    let mut found: HashMap<u64, usize> = HashMap::new();
    for (i, c) in clusters.iter().enumerate() {
        let keys: BTreeSet<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["score", "rows", "reasons"]));
        let score = c["score"].as_f64().unwrap();
        assert!(
            (0.0..=1.0).contains(&score) && score <= last_score,
            "sorted by score"
        );
        last_score = score;
        assert!(!c["reasons"].as_array().unwrap().is_empty());
        let rows_of: Vec<u64> = c["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_u64().unwrap())
            .collect();
        assert!(rows_of.len() >= 2);
        assert!(rows_of.windows(2).all(|w| w[0] < w[1]), "ascending rows");
        for &r in &rows_of {
            assert!((1..=rows.len() as u64).contains(&r), "row {r} out of range");
            assert!(seen.insert(r), "row {r} in two clusters");
            found.insert(r, i);
        }
        // Row numbers are data rows: row r is the r-th generated record.
        let truths: BTreeSet<usize> = rows_of
            .iter()
            .map(|&r| rows[r as usize - 1].truth)
            .collect();
        assert!(
            truths.len() == 1 || score < 1.0,
            "a perfect score mixes entities: {c}"
        );
    }
    // Every duplicate the generator made is found together, with few exceptions.
    let mut by_truth: HashMap<usize, Vec<u64>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_truth.entry(r.truth).or_default().push(i as u64 + 1);
    }
    let groups: Vec<&Vec<u64>> = by_truth.values().filter(|g| g.len() > 1).collect();
    let whole = groups
        .iter()
        .filter(|g| {
            g.iter()
                .all(|r| found.contains_key(r) && found.get(r) == found.get(&g[0]))
        })
        .count();
    assert!(
        whole * 100 >= groups.len() * 90,
        "{whole} of {} groups found whole",
        groups.len()
    );
}

#[test]
fn rows_count_records_not_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(
        &path,
        "Name,Email,Notes\n\
         Jane Roe,jane.roe@acme.com,\"met at the fair,\nsecond line\"\n\
         Ada Lovelace,ada@engine.org,\n\
         JANE ROE,Jane.Roe@ACME.com ,\n",
    )
    .unwrap();
    let doc = dedupe_json(&path);
    let clusters = doc["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{doc}");
    assert_eq!(clusters[0]["rows"], serde_json::json!([1, 3]));
    assert!(
        clusters[0]["reasons"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("same e-mail"))
    );
}

#[test]
fn text_shows_clusters_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(
        &path,
        "First Name,Last Name,Email,Company\n\
         José,Núñez,jose@lomonix.es,Lomonix SA\n\
         Nunez,Jose,JOSE@LOMONIX.ES,LOMONIX S.A.\n",
    )
    .unwrap();
    pipemap()
        .args(["dedupe", path.to_str().unwrap(), "--entity", "contacts"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("1 clusters of duplicates")
                .and(predicate::str::contains("rows 1, 2"))
                .and(predicate::str::contains("same e-mail"))
                .and(predicate::str::contains("José Núñez")),
        );
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(&path, "Name,Email\nJane,jane@acme.com\n").unwrap();
    for (entity, words) in [
        ("planet", "unknown entity"),
        ("activity", "persons, organizations and leads"),
    ] {
        pipemap()
            .args(["dedupe", path.to_str().unwrap(), "--entity", entity])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(words));
    }
    let missing = dir.path().join("missing.csv");
    pipemap()
        .args(["dedupe", missing.to_str().unwrap(), "--entity", "person"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
    let nothing = dir.path().join("notes.csv");
    std::fs::write(&nothing, "Created,Owner\n2024-01-01,Tom\n").unwrap();
    pipemap()
        .args(["dedupe", nothing.to_str().unwrap(), "--entity", "person"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to compare"));
}

#[test]
fn a_profile_maps_the_columns_and_splits_organizations_from_persons() {
    let sample = "assets/samples/zendesk-sell/contacts.csv";
    for entity in ["person", "organization"] {
        let out = pipemap()
            .args([
                "dedupe",
                sample,
                "--entity",
                entity,
                "--profile",
                "zendesk-sell",
                "--json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["entity"], entity);
    }
    pipemap()
        .args([
            "dedupe",
            "assets/samples/zendesk-sell/deals.csv",
            "--entity",
            "person",
            "--profile",
            "zendesk-sell",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not person"));
}

/// An organizations export as Pipedrive writes one, with counters,
/// timestamps and owners beside the names: demo organizations created in the same second, with
/// as many people and open deals, are not one company; a real pair (same name, same website)
/// still is, and its reasons name only what identifies it.
#[test]
fn counters_timestamps_and_owners_are_never_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("organizations.csv");
    let mut text = String::from(
        "Organization - Name,Organization - People,Organization - Open deals,Organization - Organization created,Organization - Owner,Organization - Website\n",
    );
    let names = [
        "Hollow Pine Studio",
        "Brisa Alimentos",
        "Quartzo Engenharia",
        "Vela Azul Turismo",
        "Nimbus Logística",
        "Cedro Móveis",
        "Ponte Alta Seguros",
        "Lince Software",
        "Maré Pescados",
        "Trevo Farmácias",
        "Granito Obras",
        "Aurora Têxtil",
        "Falcão Frete",
        "Oliva Cosméticos",
        "Rio Claro Papel",
        "Serra Verde Café",
        "Tucano Brinquedos",
        "Urca Náutica",
        "Vento Sul Energia",
        "Xisto Mineração",
        "Zebra Impressos",
        "Âmbar Joias",
        "Baía Imóveis",
        "Cipó Jardinagem",
        "Duna Viagens",
        "Eco Vidros",
        "Figo Doces",
        "Gaivota Pesca",
        "Hera Decorações",
        "Ipê Madeiras",
    ];
    for (i, name) in names.iter().enumerate() {
        // The first three: demo data created together, the same counters and owner.
        let (people, deals, created) = if i < 3 {
            (3, 1, "2023-05-01 10:00:00".to_string())
        } else {
            (i, i % 4, format!("2023-06-{:02} 09:{:02}:00", i + 1, i))
        };
        text.push_str(&format!(
            "{name},{people},{deals},{created},Ana Souza,https://www.org{i}.example\n"
        ));
    }
    text.push_str(
        "Lince Software Ltda,7,3,2024-01-09 11:00:00,Ana Souza,https://www.org7.example\n",
    );
    std::fs::write(&path, text).unwrap();
    let found = dedupe_json_of(&path, "organization");
    let clusters = found["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{found}");
    assert_eq!(clusters[0]["rows"], serde_json::json!([8, 31]));
    let reasons = clusters[0]["reasons"].to_string().to_lowercase();
    for word in ["people", "deals", "created", "owner"] {
        assert!(!reasons.contains(word), "{reasons}");
    }
}

#[test]
fn organizations_read_from_a_csv_export_keep_the_library_quality() {
    // The same quality bar as the library on generated records (dedupe_quality), reached
    // through the CSV a CRM writes and the command a user runs.
    let rows = dedupe_support::organizations(42, 1_000, 0.10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.csv");
    dedupe_support::write_organizations_csv(&rows, std::fs::File::create(&path).unwrap()).unwrap();
    let doc = dedupe_json_of(&path, "organization");
    let clusters: Vec<Vec<usize>> = doc["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_u64().unwrap() as usize - 1)
                .collect()
        })
        .collect();
    let truth: Vec<usize> = rows.iter().map(|r| r.truth).collect();
    let q = dedupe_support::pair_quality(&truth, &clusters);
    assert!(q.true_pairs > 0, "the generator made duplicates");
    assert!(q.precision() >= 0.98, "precision {:.4}", q.precision());
    assert!(q.recall() >= 0.95, "recall {:.4}", q.recall());
}
