//! Measures the suggester on real export header lists (tests/data/suggest_devset.yaml):
//! top-1 accuracy over columns with a standard home, how often columns without one are left
//! to a custom field or skip, and — the number that must stay at zero — wrong `high` suggestions.

use std::collections::BTreeMap;

use pipemap::schema::Schema;
use pipemap::source::stats::profile_column;
use pipemap::suggest::{Tier, suggest_file, vocabulary::Vocabularies};
use pipemap::{Entity, Target};
use serde::Deserialize;

#[derive(Deserialize)]
struct DevSet {
    files: Vec<DevFile>,
}

#[derive(Deserialize)]
struct DevFile {
    crm: String,
    entity: Entity,
    #[allow(dead_code)]
    source: String,
    columns: indexmap::IndexMap<String, Truth>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Truth {
    One(String),
    Any(Vec<String>),
}

impl Truth {
    fn options(&self) -> Vec<&str> {
        match self {
            Truth::One(s) => vec![s.as_str()],
            Truth::Any(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Whether a suggested target satisfies the ground truth.
fn satisfies(truth: &Truth, got: Option<&Target>) -> bool {
    truth.options().iter().any(|want| match *want {
        "custom" | "skip" => matches!(got, None | Some(Target::Skip | Target::Custom { .. })),
        want => {
            let Ok(want) = want.parse::<Target>() else {
                return false;
            };
            match (&want, got) {
                (Target::Field { label: None, .. }, Some(g)) => g.without_label() == want,
                (_, Some(g)) => *g == want,
                _ => false,
            }
        }
    })
}

fn has_home(truth: &Truth) -> bool {
    truth
        .options()
        .iter()
        .any(|t| *t != "custom" && *t != "skip")
}

#[test]
fn suggestions_on_real_exports_are_accurate_and_never_confidently_wrong() {
    let text = std::fs::read_to_string("tests/data/suggest_devset.yaml").unwrap();
    let set: DevSet = serde_yaml::from_str(&text).unwrap();
    let schema = Schema::builtin();
    let vocabularies = Vocabularies::new(&schema);
    let (mut homed, mut homed_right, mut homeless, mut homeless_right) = (0, 0, 0, 0);
    let mut wrong_high = Vec::new();
    let mut misses = Vec::new();
    let mut per_crm: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for file in &set.files {
        let columns: Vec<_> = file
            .columns
            .keys()
            .enumerate()
            .map(|(i, name)| profile_column(name, i, &[]))
            .collect();
        let suggestion = suggest_file(
            &vocabularies,
            &format!("{}.csv", file.crm),
            Some(file.entity),
            &columns,
        );
        for (column, s) in file.columns.values().zip(&suggestion.columns) {
            // Top-1 is the target, or for a low-tier hint its first alternative.
            let top = s.target.as_ref().or(if s.tier == Tier::Low {
                s.alternatives.first()
            } else {
                None
            });
            let right = satisfies(column, top);
            if s.tier == Tier::High && !satisfies(column, s.target.as_ref()) {
                wrong_high.push(format!(
                    "{} {}: {:?} -> {:?}",
                    file.crm,
                    s.column,
                    column.options(),
                    s.target.as_ref().map(|t| t.to_string())
                ));
            }
            let tally = per_crm.entry(file.crm.clone()).or_default();
            if has_home(column) {
                homed += 1;
                tally.0 += 1;
                if right {
                    homed_right += 1;
                    tally.1 += 1;
                } else {
                    misses.push(format!(
                        "{} {} ({}): want {:?}, got {:?} {:?}",
                        file.crm,
                        s.column,
                        file.entity,
                        column.options(),
                        top.map(|t| t.to_string()),
                        s.tier
                    ));
                }
            } else {
                homeless += 1;
                if right {
                    homeless_right += 1;
                } else {
                    misses.push(format!(
                        "{} {} ({}): want custom/skip, got {:?} {:?}",
                        file.crm,
                        s.column,
                        file.entity,
                        top.map(|t| t.to_string()),
                        s.tier
                    ));
                }
            }
        }
    }
    let total = homed + homeless;
    let top1 = (homed_right + homeless_right) as f64 / total as f64;
    let homed_rate = homed_right as f64 / homed as f64;
    println!(
        "suggest dev set: {} files, {total} columns",
        set.files.len()
    );
    println!(
        "  top-1 overall {:.1}% ({}/{total})",
        top1 * 100.0,
        homed_right + homeless_right
    );
    println!(
        "  top-1 on columns with a standard field {:.1}% ({homed_right}/{homed})",
        homed_rate * 100.0
    );
    println!(
        "  columns without one left to custom/skip {:.1}% ({homeless_right}/{homeless})",
        homeless_right as f64 * 100.0 / homeless as f64
    );
    for (crm, (n, ok)) in &per_crm {
        println!("  {crm:<14} {ok}/{n} standard-field columns right");
    }
    println!("  wrong high-tier suggestions: {}", wrong_high.len());
    for line in wrong_high.iter().chain(misses.iter()).take(80) {
        println!("    {line}");
    }
    assert!(
        wrong_high.is_empty(),
        "{} wrong high-tier suggestions",
        wrong_high.len()
    );
    assert!(
        top1 >= 0.95,
        "top-1 accuracy {:.1}% is under 95%",
        top1 * 100.0
    );
    assert!(
        homed_rate >= 0.90,
        "top-1 on columns with a standard field {:.1}% is under 90%",
        homed_rate * 100.0
    );
}
