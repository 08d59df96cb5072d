//! Duplicates on the public FEBRL benchmark (tests/data/febrl, SOURCE.md there), as a user meets
//! them: `pipemap dedupe FILE --entity person --json` with no profile, so pipemap maps the
//! columns itself (given_name, surname, street_number, address_1, address_2, suburb, postcode,
//! state, date_of_birth, soc_sec_id). Pairwise precision and recall against the files' own
//! truth (`rec-N-org` and its `rec-N-dup-K` copies are one person).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/febrl")
        .join(name)
}

/// The file the test dedupes: dataset 4 is two halves, read as one file.
fn file(dir: &Path, names: &[&str]) -> PathBuf {
    if let [one] = names {
        return data(one);
    }
    let path = dir.join("dataset4.csv");
    let mut text = String::new();
    for (i, n) in names.iter().enumerate() {
        let part = std::fs::read_to_string(data(n)).unwrap();
        let body = if i == 0 {
            &part[..]
        } else {
            part.split_once('\n').unwrap().1
        };
        text.push_str(body);
    }
    std::fs::write(&path, text).unwrap();
    path
}

struct Quality {
    true_pairs: usize,
    predicted: usize,
    correct: usize,
}

impl Quality {
    fn precision(&self) -> f64 {
        self.correct as f64 / self.predicted.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.correct as f64 / self.true_pairs as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        2.0 * p * r / (p + r)
    }
}

fn pairs(groups: impl IntoIterator<Item = Vec<u64>>) -> BTreeSet<(u64, u64)> {
    let mut out = BTreeSet::new();
    for mut g in groups {
        g.sort_unstable();
        for i in 0..g.len() {
            for j in i + 1..g.len() {
                out.insert((g[i], g[j]));
            }
        }
    }
    out
}

fn measure(names: &[&str]) -> Quality {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), names);
    let text = std::fs::read_to_string(&path).unwrap();
    // Data row n (1-based) belongs to original N of its rec_id.
    let mut truth: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (n, line) in text.lines().skip(1).enumerate() {
        let id = line.split(',').next().unwrap().trim();
        let original = id.split('-').nth(1).unwrap().to_string();
        truth.entry(original).or_default().push(n as u64 + 1);
    }
    let output = common::pipemap()
        .args(["dedupe"])
        .arg(&path)
        .args(["--entity", "person", "--json"])
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let clusters = found["clusters"].as_array().unwrap();
    for c in clusters {
        assert!(!c["reasons"].as_array().unwrap().is_empty(), "{c}");
    }
    let predicted = pairs(clusters.iter().map(|c| {
        c["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_u64().unwrap())
            .collect()
    }));
    let truth = pairs(truth.into_values());
    let q = Quality {
        true_pairs: truth.len(),
        predicted: predicted.len(),
        correct: predicted.intersection(&truth).count(),
    };
    println!(
        "FEBRL {names:?}: true pairs {}, predicted {}, correct {}: precision {:.4}, recall {:.4}, F1 {:.4}",
        q.true_pairs,
        q.predicted,
        q.correct,
        q.precision(),
        q.recall(),
        q.f1()
    );
    q
}

fn check(names: &[&str]) {
    let q = measure(names);
    assert!(q.f1() >= 0.99, "F1 {:.4}", q.f1());
    assert!(q.precision() >= 0.995, "precision {:.4}", q.precision());
}

#[test]
fn febrl_1_with_no_profile() {
    check(&["dataset1.csv"]);
}

#[test]
fn febrl_2_with_no_profile() {
    check(&["dataset2.csv"]);
}

#[test]
fn febrl_3_with_no_profile() {
    check(&["dataset3.csv"]);
}

#[test]
fn febrl_4_with_no_profile() {
    check(&["dataset4a.csv", "dataset4b.csv"]);
}
