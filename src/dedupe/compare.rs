//! Scoring one pair of records: each field's agreement or disagreement adds evidence (a
//! log-odds weight, in the manner of Fellegi and Sunter), the sum becomes a score in 0..1, and
//! the agreements become the reasons a user reads.
//!
//! Weights are fixed where the meaning is universal (a shared e-mail is strong evidence, a
//! person at another company is a namesake) and scaled by the data where it is not: agreeing on
//! a city or a custom field counts for less the more records share its values.

use crate::entity::Entity;

use super::fields::FieldStats;
use super::meaning::Meaning;
use super::merge::MatchKey;
use super::names::{company, organization_name, person_name};
use super::prepare::Prepared;

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
    /// Some e-mail address in common (after trimming and lower-casing).
    pub email: Agreement,
    /// Some phone number in common (its last 9 digits).
    pub phone: Agreement,
    /// The same website domain (organisations: or company e-mail domain).
    pub website: Agreement,
    /// A person's company: the same organisation key, a typo apart, or one company domain.
    pub company: Agreement,
    /// The same city.
    pub city: Agreement,
    /// The same postal address.
    pub address: Agreement,
    /// The extra fields that agree (indices into the engine's field table).
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

pub(crate) fn shares(a: &[u64], b: &[u64]) -> bool {
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
    compare_above(entity, a, b, stats, f64::NEG_INFINITY)
}

/// Corroboration that places two records in the same context (company, city, address,
/// common custom values) adds up to at most this: such fields go together (a city and its zip
/// code, a company and its country), so counting each in full would count one fact many times.
const CONTEXT_CAP: f64 = 4.5;
/// Identity fields (a birthday, a tax number) add up to at most this.
const IDENTIFIER_CAP: f64 = 12.0;

/// Compares two prepared records, giving up (log-odds −∞) as soon as the evidence can no
/// longer reach `floor`: the cheap, hashed fields are weighed first, the names last.
pub(crate) fn compare_above(
    entity: Entity,
    a: &Prepared,
    b: &Prepared,
    stats: &FieldStats,
    floor: f64,
) -> Evidence {
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
    let mut context = 0.0;
    match e.city {
        Agreement::Same => context += agree_weight(stats.u_city, 1.0),
        Agreement::Different if org_entity => w -= 2.5,
        Agreement::Different => w -= 1.5,
        Agreement::Unknown => {}
    }
    match e.address {
        Agreement::Same => context += agree_weight(stats.u_address, 2.0),
        Agreement::Different => w -= 0.5,
        Agreement::Unknown => {}
    }
    let extra = extras(a, b, stats, &mut e.extras_same);
    w += extra.identifiers + extra.against;
    context += extra.context;
    // The most the name and company can still add.
    let name_max = if org_entity { 6.0 } else { 5.0 };
    let company_max = if org_entity {
        0.0
    } else {
        agree_weight(stats.u_org, 4.0)
    };
    if w + name_max + context.max(company_max).min(CONTEXT_CAP) < floor {
        e.log_odds = f64::NEG_INFINITY;
        return e;
    }
    let name = if org_entity {
        organization_name(a, b)
    } else {
        person_name(a, b).map(|(weight, sim)| (weight - commonness(a, b, stats, weight), sim))
    };
    if let Some((weight, sim)) = name {
        w += weight;
        e.name = Some(sim);
    }
    if !org_entity {
        if w + (context + company_max).min(CONTEXT_CAP) < floor {
            e.log_odds = f64::NEG_INFINITY;
            return e;
        }
        e.company = company(a, b);
        match e.company {
            Agreement::Same => context += company_max,
            Agreement::Different => w -= 4.0,
            Agreement::Unknown => {}
        }
    }
    // Only identity evidence makes a match: corroboration alone (a city, an industry, a
    // shared postal code) never does.
    let identity = e.name.is_some_and(|s| s >= 0.8)
        || [e.email, e.phone, e.website, e.address].contains(&Agreement::Same)
        || extra.identity
        || extra.address >= 3.0;
    e.log_odds = if identity {
        w + context.min(CONTEXT_CAP)
    } else {
        f64::NEG_INFINITY
    };
    e
}

/// How much less an agreeing name counts because many records bear it: ln(n/2) for the more
/// common of the two names, never more than the name's own weight (a name two records share
/// costs nothing; one that 40 share, 3; one that hundreds share leaves nothing).
fn commonness(a: &Prepared, b: &Prepared, stats: &FieldStats, weight: f64) -> f64 {
    if weight <= 0.0 {
        return 0.0;
    }
    let count = |p: &Prepared| stats.name_counts.get(&p.name_hash).copied().unwrap_or(1);
    let n = f64::from(count(a).max(count(b)));
    (n / 2.0).ln().clamp(0.0, weight)
}

/// What the extra fields both records have say.
struct ExtraEvidence {
    /// Agreement on identity fields (birthdays, id numbers).
    identifiers: f64,
    /// Agreement on address parts and other corroborating values (counted with the other
    /// context).
    context: f64,
    /// Of that, address parts.
    address: f64,
    /// Disagreement.
    against: f64,
    /// Some identity field agrees (exactly, or but for a typo).
    identity: bool,
}

/// The most an id number (national, tax, company registration) adds: rare values in a file
/// are as good as an e-mail address.
const ID_NUMBER_CAP: f64 = 9.0;
/// The most a birthday adds: many people share one.
const BIRTHDAY_CAP: f64 = 4.5;

/// The extra fields both records have: agreement weighs by how rare the value is and by what
/// the field means, disagreement a little against (an identity field's more).
fn extras(a: &Prepared, b: &Prepared, stats: &FieldStats, same: &mut Vec<u16>) -> ExtraEvidence {
    let mut out = ExtraEvidence {
        identifiers: 0.0,
        context: 0.0,
        address: 0.0,
        against: 0.0,
        identity: false,
    };
    let (mut i, mut j) = (0, 0);
    while i < a.extras.len() && j < b.extras.len() {
        let ((fa, va), (fb, vb)) = (a.extras[i], b.extras[j]);
        if fa < fb {
            i += 1;
        } else if fb < fa {
            j += 1;
        } else {
            let u = stats.u_extras[fa as usize];
            let meaning = stats
                .extra_meaning
                .get(fa as usize)
                .copied()
                .unwrap_or(Meaning::Context);
            match meaning {
                // Every value distinct (or every value the same): no evidence either way.
                _ if u >= 1.0 => {}
                // Compared below, typos allowed.
                Meaning::Birthday | Meaning::IdNumber | Meaning::Bookkeeping => {}
                Meaning::AddressPart if va == vb => {
                    let w = agree_weight(u, 2.0);
                    out.context += w;
                    out.address += w;
                    same.push(fa);
                }
                Meaning::Context if va == vb => out.context += agree_weight(u, 2.0),
                Meaning::AddressPart | Meaning::Context => out.against -= 0.3,
            }
            i += 1;
            j += 1;
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.codes.len() && j < b.codes.len() {
        let ((fa, ca), (fb, cb)) = (&a.codes[i], &b.codes[j]);
        if fa < fb {
            i += 1;
            continue;
        }
        if fb < fa {
            j += 1;
            continue;
        }
        let u = stats.u_extras[*fa as usize];
        let id_number = stats.extra_meaning.get(*fa as usize) == Some(&Meaning::IdNumber);
        let (cap, typo, against) = if id_number {
            (ID_NUMBER_CAP, 2.5, -2.0)
        } else {
            (BIRTHDAY_CAP, 1.5, -1.0)
        };
        if u < 1.0 {
            if ca == cb {
                out.identifiers += agree_weight(u, cap);
                out.identity = true;
                same.push(*fa);
            } else if one_typo_apart(ca, cb) {
                out.identifiers += typo;
                out.identity = true;
            } else {
                out.against += against;
            }
        }
        i += 1;
        j += 1;
    }
    out.identifiers = out.identifiers.min(IDENTIFIER_CAP);
    out.against = out.against.max(-4.0);
    out
}

/// Whether two codes differ by one typo: a character changed, two neighbours swapped, or one
/// left out or added (codes of six characters or more).
fn one_typo_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
        return match diff.as_slice() {
            [_] => true,
            [x, y] => *y == x + 1 && a[*x] == b[*y] && a[*y] == b[*x],
            _ => false,
        };
    }
    let (short, long) = if a.len() < b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() != short.len() + 1 || short.len() < 6 {
        return false;
    }
    let k = (0..short.len())
        .find(|&k| short[k] != long[k])
        .unwrap_or(short.len());
    short[k..] == long[k + 1..]
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
    // Corroboration alone is worth saying only when no identifier was shared.
    if !parts.is_empty() && (e.name.is_some_and(|s| s >= 0.8) || out.is_empty()) {
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
    fn thresholds_and_log_odds_meet() {
        let e = Evidence {
            log_odds: log_odds_of(0.8),
            ..Evidence::default()
        };
        assert!((e.score() - 0.8).abs() < 1e-9);
    }
}
