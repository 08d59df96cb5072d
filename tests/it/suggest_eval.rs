//! Measures the suggester on real export header lists (tests/data/suggest_devset.yaml):
//! top-1 accuracy over columns with a standard home, how often columns without one are left
//! to a custom field or skip, and — the number that must stay at zero — wrong `high` suggestions.
//! Each file is scored twice: in sample, and leave-one-CRM-out (the CRM's own synonyms held
//! back), with the share right per confidence tier (calibration) for both runs.

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

/// What one run over the dev set found.
#[derive(Default)]
struct Score {
    homed: u32,
    homed_right: u32,
    homeless: u32,
    homeless_right: u32,
    /// CRM → (columns with a standard field, right, all columns, all right).
    per_crm: BTreeMap<String, [u32; 4]>,
    /// Tier → (columns, top-1 right).
    per_tier: BTreeMap<&'static str, (u32, u32)>,
    wrong_high: Vec<String>,
    misses: Vec<String>,
}

impl Score {
    fn top1(&self) -> f64 {
        f64::from(self.homed_right + self.homeless_right) / f64::from(self.homed + self.homeless)
    }

    fn homed_rate(&self) -> f64 {
        f64::from(self.homed_right) / f64::from(self.homed)
    }
}

/// Scores every file of the set with the vocabulary `vocabularies_for(crm)` gives for its CRM.
fn score<'v>(set: &DevSet, mut vocabularies_for: impl FnMut(&str) -> &'v Vocabularies) -> Score {
    let mut score = Score::default();
    for file in &set.files {
        let vocabularies = vocabularies_for(&file.crm);
        let columns: Vec<_> = file
            .columns
            .keys()
            .enumerate()
            .map(|(i, name)| profile_column(name, i, &[]))
            .collect();
        let suggestion = suggest_file(
            vocabularies,
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
            let tier = match s.tier {
                Tier::High => "high",
                Tier::Medium => "medium",
                Tier::Low => "low",
                Tier::None => "none",
            };
            let t = score.per_tier.entry(tier).or_default();
            t.0 += 1;
            t.1 += u32::from(right);
            if s.tier == Tier::High && !satisfies(column, s.target.as_ref()) {
                score.wrong_high.push(format!(
                    "{} {}: {:?} -> {:?}",
                    file.crm,
                    s.column,
                    column.options(),
                    s.target.as_ref().map(|t| t.to_string())
                ));
            }
            let tally = score.per_crm.entry(file.crm.clone()).or_default();
            tally[2] += 1;
            tally[3] += u32::from(right);
            if has_home(column) {
                score.homed += 1;
                tally[0] += 1;
                if right {
                    score.homed_right += 1;
                    tally[1] += 1;
                } else {
                    score.misses.push(format!(
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
                score.homeless += 1;
                if right {
                    score.homeless_right += 1;
                } else {
                    score.misses.push(format!(
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
    score
}

fn print_score(title: &str, score: &Score) {
    let total = score.homed + score.homeless;
    println!("{title}");
    println!(
        "  top-1 overall {:.1}% ({}/{total})",
        score.top1() * 100.0,
        score.homed_right + score.homeless_right
    );
    println!(
        "  top-1 on columns with a standard field {:.1}% ({}/{})",
        score.homed_rate() * 100.0,
        score.homed_right,
        score.homed
    );
    println!(
        "  columns without one left to custom/skip {:.1}% ({}/{})",
        f64::from(score.homeless_right) * 100.0 / f64::from(score.homeless),
        score.homeless_right,
        score.homeless
    );
    println!("  wrong high-tier suggestions: {}", score.wrong_high.len());
    // Calibration: how often each tier's suggestion is right (a medium or low that is wrong
    // costs a look; a high that is wrong is applied unseen).
    println!("  calibration (tier: columns, share right):");
    for tier in ["high", "medium", "low", "none"] {
        let (n, ok) = score.per_tier.get(tier).copied().unwrap_or_default();
        let share = if n == 0 {
            "-".to_string()
        } else {
            format!("{:.1}%", f64::from(ok) * 100.0 / f64::from(n))
        };
        println!("    {tier:<6} n={n:<5} right {share} ({ok}/{n})");
    }
}

#[test]
fn suggestions_on_real_exports_are_accurate_and_never_confidently_wrong() {
    let text = std::fs::read_to_string("tests/data/suggest_devset.yaml").unwrap();
    let set: DevSet = serde_yaml::from_str(&text).unwrap();
    let schema = Schema::builtin();
    let vocabularies = Vocabularies::new(&schema);
    let in_sample = score(&set, |_| &vocabularies);

    // Leave-one-CRM-out: a CRM is scored without the synonyms that came from its own
    // documentation or exports (synonyms.yaml `origins`).
    let held_back: BTreeMap<String, Vocabularies> = set
        .files
        .iter()
        .map(|f| (f.crm.clone(), Vocabularies::without_crm(&schema, &f.crm)))
        .collect();
    let held_out = score(&set, |crm| &held_back[crm]);

    println!(
        "suggest dev set: {} files, {} columns, {} CRMs",
        set.files.len(),
        in_sample.homed + in_sample.homeless,
        in_sample.per_crm.len()
    );
    print_score("in sample (every synonym):", &in_sample);
    print_score(
        "leave-one-CRM-out (the CRM's own synonyms held back):",
        &held_out,
    );
    println!("  per CRM: standard-field columns right, all columns right; in sample | held back");
    for (crm, [n, ok, all, all_ok]) in &in_sample.per_crm {
        let [_, ho_ok, _, ho_all_ok] = held_out.per_crm[crm];
        println!(
            "  {crm:<16} {ok:>3}/{n:<3} {all_ok:>4}/{all:<4} | {ho_ok:>3}/{n:<3} {ho_all_ok:>4}/{all:<4}"
        );
    }
    println!("  in sample: wrong high and misses");
    for line in in_sample
        .wrong_high
        .iter()
        .chain(in_sample.misses.iter())
        .take(300)
    {
        println!("    {line}");
    }
    println!("  held back: wrong high and misses not also missed in sample");
    for line in held_out
        .wrong_high
        .iter()
        .chain(
            held_out
                .misses
                .iter()
                .filter(|m| !in_sample.misses.contains(m)),
        )
        .take(300)
    {
        println!("    {line}");
    }
    // A wrong `high` is applied without review: none in either run, and the held-back
    // run's high tier must be right every time it speaks.
    for (run, s) in [("in sample", &in_sample), ("leave-one-CRM-out", &held_out)] {
        assert!(
            s.wrong_high.is_empty(),
            "{run}: {} wrong high-tier suggestions: {:?}",
            s.wrong_high.len(),
            s.wrong_high
        );
    }
    let (high_n, high_ok) = held_out.per_tier.get("high").copied().unwrap_or_default();
    assert!(high_n > 0, "the held-back run made no high-tier suggestion");
    assert_eq!(
        high_ok, high_n,
        "held back: a high-tier suggestion was wrong"
    );
    let (medium_n, medium_ok) = held_out.per_tier.get("medium").copied().unwrap_or_default();
    assert!(
        f64::from(medium_ok) >= 0.9 * f64::from(medium_n),
        "held back: medium tier right only {medium_ok}/{medium_n}"
    );
    assert!(
        in_sample.top1() >= 0.95,
        "top-1 accuracy {:.1}% is under 95%",
        in_sample.top1() * 100.0
    );
    assert!(
        in_sample.homed_rate() >= 0.90,
        "top-1 on columns with a standard field {:.1}% is under 90%",
        in_sample.homed_rate() * 100.0
    );
    // Floors at the figures last measured (README, docs/BENCHMARKS.md); raise them as it
    // improves. Issue 23 asks at least 95 % overall and 90 % on standard fields held back.
    assert!(
        held_out.top1() >= HELD_OUT_TOP1_FLOOR,
        "leave-one-CRM-out top-1 {:.1}% fell under its floor",
        held_out.top1() * 100.0
    );
    assert!(
        held_out.homed_rate() >= HELD_OUT_HOMED_FLOOR,
        "leave-one-CRM-out top-1 on standard fields {:.1}% fell under its floor",
        held_out.homed_rate() * 100.0
    );
}

const HELD_OUT_TOP1_FLOOR: f64 = 0.985;
const HELD_OUT_HOMED_FLOOR: f64 = 0.94;
