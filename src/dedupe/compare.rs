//! Scoring one pair of records: each field's agreement or disagreement adds evidence (a
//! log-odds weight, in the manner of Fellegi and Sunter), the sum becomes a score in 0..1, and
//! the agreements become the reasons a user reads.
//!
//! Weights are fixed where the meaning is universal (a shared e-mail is strong evidence, a
//! person at another company is a namesake) and scaled by the data where it is not: agreeing on
//! a city or a custom field counts for less the more records share its values.

use crate::entity::Entity;

use super::merge::MatchKey;
use super::prepare::{FieldStats, Prepared};

/// How a field compares between two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Agreement {
    /// One side (or both) has no value.
    #[default]
    Unknown,
    Same,
    Different,
}

/// Everything a comparison found, for the score and for the reasons shown to the user.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Log-odds that the two records are one: the sum of the field weights.
    pub log_odds: f64,
    /// Name similarity (0..1), None when a side has no name.
    pub name: Option<f64>,
    pub email: Agreement,
    pub phone: Agreement,
    pub website: Agreement,
    pub company: Agreement,
    pub city: Agreement,
    pub address: Agreement,
    /// Names of the extra fields that agree.
    pub extras_same: Vec<u16>,
}

impl Evidence {
    /// The score in 0..1 (the logistic of the log-odds).
    pub fn score(&self) -> f64 {
        1.0 / (1.0 + (-self.log_odds).exp())
    }
}

/// The log-odds a score threshold stands for.
pub(crate) fn log_odds_of(threshold: f64) -> f64 {
    let t = threshold.clamp(1e-6, 1.0 - 1e-6);
    (t / (1.0 - t)).ln()
}

/// Similarity of two folded words (0..1): 1 when equal; otherwise the mean of Jaro-Winkler and
/// the edit-distance ratio (transpositions count once), so one typo in a long word scores high
/// and a different short name does not.
pub(crate) fn word_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let jw = strsim::jaro_winkler(a, b);
    let longest = a.chars().count().max(b.chars().count()) as f64;
    let edit = 1.0 - strsim::osa_distance(a, b) as f64 / longest;
    (jw + edit) / 2.0
}

/// One name part's weight (`strong` for exact agreement, scaled down for typos, `penalty` when
/// they are different names), and its similarity.
fn part_weight(a: &str, b: &str, strong: f64, penalty: f64) -> (f64, f64) {
    if a == b {
        return (strong, 1.0);
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() == 1 {
        // An initial: compatible, barely evidence.
        return if long.starts_with(short) {
            (0.15 * strong, 0.85)
        } else {
            (-penalty, 0.0)
        };
    }
    let sim = word_similarity(a, b);
    let edits = strsim::osa_distance(a, b);
    let weight = if (edits == 1 && short.len() >= 4) || sim >= 0.93 {
        0.65 * strong
    } else if (edits == 2 && short.len() >= 7) || sim >= 0.88 {
        0.3 * strong
    } else if sim >= 0.8 {
        -0.3 * penalty
    } else {
        -penalty
    };
    (weight, sim)
}

/// A person's name: first and last name compared as written and swapped, the better kept.
/// Returns (weight, similarity), None when either side has no name.
fn person_name(a: &Prepared, b: &Prepared) -> Option<(f64, f64)> {
    const FIRST: (f64, f64) = (2.0, 3.0);
    const LAST: (f64, f64) = (3.0, 4.5);
    if a.name.is_empty() || b.name.is_empty() {
        return None;
    }
    if a.name == b.name {
        // Same words, perhaps split differently ("Mary Ann | Smith" / "Mary | Ann Smith").
        return Some((FIRST.0 + LAST.0, 1.0));
    }
    let pair = |fa: &str, la: &str, fb: &str, lb: &str| {
        let mut weight = 0.0;
        let mut sims = Vec::with_capacity(2);
        if !fa.is_empty() && !fb.is_empty() {
            let (w, s) = part_weight(fa, fb, FIRST.0, FIRST.1);
            weight += w;
            sims.push(s);
        }
        if !la.is_empty() && !lb.is_empty() {
            let (w, s) = part_weight(la, lb, LAST.0, LAST.1);
            weight += w;
            sims.push(s);
        }
        if sims.is_empty() {
            return None;
        }
        Some((weight, sims.iter().sum::<f64>() / sims.len() as f64))
    };
    let direct = pair(&a.first, &a.last, &b.first, &b.last);
    let swapped = pair(&a.first, &a.last, &b.last, &b.first);
    match (direct, swapped) {
        (Some(d), Some(s)) => Some(if s.0 > d.0 { s } else { d }),
        (d, s) => d.or(s).or_else(|| {
            // One side has only a first name, the other only a last name.
            let sim = word_similarity(&a.name, &b.name);
            Some((if sim >= 0.93 { 1.0 } else { -3.0 }, sim))
        }),
    }
}

/// Soft word-set similarity (Monge-Elkan, both ways): each word's best match on the other
/// side, averaged; word order does not matter, typos in a word cost little.
fn word_set_similarity(a: &str, b: &str) -> f64 {
    let one_way = |x: &str, y: &str| {
        let words: Vec<&str> = x.split(' ').collect();
        let total: f64 = words
            .iter()
            .map(|w| {
                y.split(' ')
                    .map(|v| word_similarity(w, v))
                    .fold(0.0, f64::max)
            })
            .sum();
        total / words.len() as f64
    };
    (one_way(a, b) + one_way(b, a)) / 2.0
}

/// Similarity of two organisation names (words as written, and their sorted keys), and how
/// many edits apart they are.
fn organization_similarity(a: &Prepared, b: &Prepared) -> (f64, usize) {
    let ordered = word_similarity(&a.words, &b.words);
    let sorted = word_similarity(&a.name, &b.name);
    let set = word_set_similarity(&a.name, &b.name);
    let edits = strsim::osa_distance(&a.words, &b.words)
        .min(strsim::osa_distance(&a.name, &b.name));
    (ordered.max(sorted).max(set), edits)
}

/// An organisation's name: keys compared whole.
fn organization_name(a: &Prepared, b: &Prepared) -> Option<(f64, f64)> {
    if a.name.is_empty() || b.name.is_empty() {
        return None;
    }
    if a.name == b.name {
        return Some((6.0, 1.0));
    }
    let (short, long) = if a.name.len() <= b.name.len() {
        (&*a.name, &*b.name)
    } else {
        (&*b.name, &*a.name)
    };
    let (sim, edits) = organization_similarity(a, b);
    let contained = short.split(' ').all(|s| long.split(' ').any(|w| w == s));
    let weight = if (edits == 1 && short.len() >= 5) || sim >= 0.94 {
        3.5
    } else if (edits == 2 && short.len() >= 8) || sim >= 0.9 {
        2.0
    } else if contained {
        0.5
    } else if sim >= 0.8 {
        -1.0
    } else {
        -5.0
    };
    Some((weight, sim))
}

/// Whether two companies (by key) are one: equal keys, a typo apart, or the same company
/// e-mail domain.
fn company(a: &Prepared, b: &Prepared) -> Agreement {
    if shares(&a.mail_domains, &b.mail_domains) {
        return Agreement::Same;
    }
    if a.org.is_empty() || b.org.is_empty() {
        return Agreement::Unknown;
    }
    if a.org == b.org {
        return Agreement::Same;
    }
    let short = a.org.len().min(b.org.len());
    let edits = strsim::osa_distance(&a.org, &b.org);
    let within = |x: &str, y: &str| x.split(' ').all(|w| y.split(' ').any(|v| v == w));
    if (edits == 1 && short >= 5)
        || word_similarity(&a.org, &b.org) >= 0.94
        || word_set_similarity(&a.org, &b.org) >= 0.94
    {
        Agreement::Same
    } else if within(&a.org, &b.org) || within(&b.org, &a.org) {
        // "Acme" and "Acme Robotics": perhaps the same company written short.
        Agreement::Unknown
    } else {
        Agreement::Different
    }
}

fn shares(a: &[u64], b: &[u64]) -> bool {
    a.iter().any(|x| b.contains(x))
}

fn sets(a: &[u64], b: &[u64]) -> Agreement {
    if a.is_empty() || b.is_empty() {
        Agreement::Unknown
    } else if shares(a, b) {
        Agreement::Same
    } else {
        Agreement::Different
    }
}

/// An organisation's domains: its website's and its company e-mail addresses'.
fn domains(a: &Prepared, b: &Prepared) -> Agreement {
    let of = |p: &Prepared| {
        let mut all: Vec<u64> = p.mail_domains.to_vec();
        if p.site != 0 {
            all.push(p.site);
        }
        all
    };
    sets(&of(a), &of(b))
}

fn values(a: u64, b: u64) -> Agreement {
    match (a, b) {
        (0, _) | (_, 0) => Agreement::Unknown,
        _ if a == b => Agreement::Same,
        _ => Agreement::Different,
    }
}

/// The weight of agreeing on a field whose values two unrelated records share with chance
/// `u`, at most `cap`: ln(m/u) with m = 0.9.
fn agree_weight(u: f64, cap: f64) -> f64 {
    (0.9 / u).ln().clamp(0.0, cap)
}

/// Compares two prepared records of `entity`.
pub(crate) fn compare(entity: Entity, a: &Prepared, b: &Prepared, stats: &FieldStats) -> Evidence {
    let org_entity = entity == Entity::Organization;
    let mut e = Evidence {
        email: sets(&a.emails, &b.emails),
        phone: sets(&a.phones, &b.phones),
        website: if org_entity {
            domains(a, b)
        } else {
            values(a.site, b.site)
        },
        city: values(a.city, b.city),
        address: values(a.address, b.address),
        ..Evidence::default()
    };
    let mut w = if org_entity { -4.0 } else { -4.5 };
    let name = if org_entity {
        organization_name(a, b)
    } else {
        person_name(a, b)
    };
    if let Some((weight, sim)) = name {
        w += weight;
        e.name = Some(sim);
    }
    w += match e.email {
        Agreement::Same => {
            let shared = a
                .emails
                .iter()
                .filter(|x| b.emails.contains(x))
                .all(|x| stats.shared_emails.contains(x));
            if shared { 3.0 } else { 8.0 }
        }
        // A work address against a personal one says little; two work addresses that differ
        // are two people (or one who moved on).
        Agreement::Different if org_entity || a.personal_mail || b.personal_mail => -0.5,
        Agreement::Different => -1.5,
        Agreement::Unknown => 0.0,
    };
    w += match e.phone {
        Agreement::Same => {
            let shared = a
                .phones
                .iter()
                .filter(|x| b.phones.contains(x))
                .all(|x| stats.shared_phones.contains(x));
            if shared { 1.5 } else { 4.5 }
        }
        Agreement::Different if org_entity => -0.5,
        Agreement::Different => -1.0,
        Agreement::Unknown => 0.0,
    };
    w += match (e.website, org_entity) {
        (Agreement::Same, true) => 6.0,
        (Agreement::Different, true) => -2.0,
        (Agreement::Same, false) => 2.0,
        _ => 0.0,
    };
    if !org_entity {
        e.company = company(a, b);
        w += match e.company {
            Agreement::Same => agree_weight(stats.u_org, 2.5),
            Agreement::Different => -4.0,
            Agreement::Unknown => 0.0,
        };
    }
    w += match e.city {
        Agreement::Same => agree_weight(stats.u_city, 1.0),
        Agreement::Different if org_entity => -2.5,
        Agreement::Different => -1.5,
        Agreement::Unknown => 0.0,
    };
    w += match e.address {
        Agreement::Same => agree_weight(stats.u_address, 2.0),
        Agreement::Different => -0.5,
        Agreement::Unknown => 0.0,
    };
    let mut extras = 0.0;
    let (mut i, mut j) = (0, 0);
    while i < a.extras.len() && j < b.extras.len() {
        let ((fa, va), (fb, vb)) = (a.extras[i], b.extras[j]);
        if fa < fb {
            i += 1;
        } else if fb < fa {
            j += 1;
        } else {
            if va == vb {
                extras += agree_weight(stats.u_extras[fa as usize], 3.0);
                e.extras_same.push(fa);
            } else {
                extras -= 0.7;
            }
            i += 1;
            j += 1;
        }
    }
    w += extras.clamp(-2.5, 6.0);
    e.log_odds = w;
    e
}

/// The reasons a pair was linked, as a user reads them: each shared identifier on its own
/// ("same e-mail"), then the name with what corroborates it ("name 0.94 + same company").
pub(crate) fn reasons(e: &Evidence, stats: &FieldStats) -> Vec<String> {
    let mut out = Vec::new();
    if e.email == Agreement::Same {
        out.push("same e-mail".to_string());
    }
    if e.phone == Agreement::Same {
        out.push("same phone".to_string());
    }
    if e.website == Agreement::Same {
        out.push("same website".to_string());
    }
    let mut parts: Vec<String> = Vec::new();
    match e.name {
        Some(sim) if sim >= 0.999 => parts.push("same name".to_string()),
        Some(sim) if sim >= 0.8 => parts.push(format!("name {:.2}", (sim * 100.0).floor() / 100.0)),
        _ => {}
    }
    if !parts.is_empty() {
        if e.company == Agreement::Same {
            parts.push("same company".to_string());
        }
        if e.city == Agreement::Same {
            parts.push("same city".to_string());
        }
        if e.address == Agreement::Same {
            parts.push("same address".to_string());
        }
        for &field in &e.extras_same {
            let name = &stats.extra_names[field as usize];
            let short = name.rsplit([':', '.']).next().unwrap_or(name);
            parts.push(format!("same {}", short.replace('_', " ").to_lowercase()));
        }
        out.push(parts.join(" + "));
    }
    out
}

/// The profile keys a pair's evidence satisfies.
pub(crate) fn match_keys(e: &Evidence) -> Vec<MatchKey> {
    let mut keys = Vec::new();
    if e.email == Agreement::Same {
        keys.push(MatchKey::Email);
    }
    if e.phone == Agreement::Same {
        keys.push(MatchKey::Phone);
    }
    let same_company = e.company == Agreement::Same;
    if e.website == Agreement::Same {
        keys.push(MatchKey::Domain);
    }
    let name = e.name.unwrap_or(0.0);
    if name >= 0.9 && same_company {
        keys.push(MatchKey::NameCompany);
    }
    if name >= 0.999 {
        keys.push(MatchKey::Name);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_similarity_forgives_typos_more_in_long_words() {
        assert_eq!(word_similarity("smith", "smith"), 1.0);
        assert!(word_similarity("harrington", "harringtno") > 0.93);
        assert!(word_similarity("jon", "john") < 0.88);
        assert!(word_similarity("christopher", "christina") < 0.8);
        assert_eq!(word_similarity("", "x"), 0.0);
    }

    #[test]
    fn thresholds_and_log_odds_meet() {
        let e = Evidence {
            log_odds: log_odds_of(0.8),
            ..Evidence::default()
        };
        assert!((e.score() - 0.8).abs() < 1e-9);
    }
}
