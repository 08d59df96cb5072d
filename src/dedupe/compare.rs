//! Scoring one pair of records: each field's agreement or disagreement adds evidence (a
//! log-odds weight, in the manner of Fellegi and Sunter), the sum becomes a score in 0..1, and
//! the agreements become the reasons a user reads.
//!
//! Weights are fixed where the meaning is universal (a shared e-mail is strong evidence, a
//! person at another company is a namesake) and scaled by the data where it is not: agreeing on
//! a city or a custom field counts for less the more records share its values.

use crate::entity::Entity;

use super::extras::{ExtraEvidence, extras};
use super::fields::FieldStats;
use super::merge::MatchKey;
use super::names::{company, organization_name, person_name};
use super::prepare::Prepared;
use super::weights::{self, agree_weight};

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

/// Compares two prepared records of `entity`.
pub(crate) fn compare(entity: Entity, a: &Prepared, b: &Prepared, stats: &FieldStats) -> Evidence {
    compare_above(entity, a, b, stats, f64::NEG_INFINITY)
}

/// Corroboration that places two records in the same context (company, city, address,
/// common custom values) adds up to at most this: such fields go together (a city and its zip
/// code, a company and its country), so counting each in full would count one fact many times.
const CONTEXT_CAP: f64 = 4.5;

/// Compares two prepared records, giving up (log-odds −∞) as soon as the evidence can no
/// longer reach `floor`: the cheap, hashed fields are weighed first, the names last.
pub(crate) fn compare_above(
    entity: Entity,
    a: &Prepared,
    b: &Prepared,
    stats: &FieldStats,
    floor: f64,
) -> Evidence {
    let org = entity == Entity::Organization;
    let mut e = agreements(org, a, b);
    let mut w = if org { -4.0 } else { -4.5 };
    w += weights::email(e.email, a, b, stats, org);
    w += weights::phone(e.phone, a, b, stats, org);
    w += weights::website(e.website, org);
    let mut context = 0.0;
    for added in [
        weights::city(e.city, org, stats),
        weights::address(e.address, stats),
    ] {
        w += added.evidence;
        context += added.context;
    }
    let extra = extras(a, b, stats, &mut e.extras_same);
    w += extra.identifiers + extra.against;
    context += extra.context;
    let reach = Reach::of(org, stats);
    if reach.short_before_name(w, context, floor) {
        return given_up(e);
    }
    if let Some((weight, sim)) = name_weight(org, a, b, stats) {
        w += weight;
        e.name = Some(sim);
    }
    if !org {
        if reach.short_before_company(w, context, floor) {
            return given_up(e);
        }
        e.company = company(a, b);
        let added = weights::company(e.company, reach.company);
        w += added.evidence;
        context += added.context;
    }
    e.log_odds = if has_identity(&e, &extra) {
        w + context.min(CONTEXT_CAP)
    } else {
        f64::NEG_INFINITY
    };
    e
}

/// How each hashed field compares: the first step of a comparison, before any weight.
#[inline]
fn agreements(org: bool, a: &Prepared, b: &Prepared) -> Evidence {
    Evidence {
        email: sets(&a.emails, &b.emails),
        phone: sets(&a.phones, &b.phones),
        website: if org {
            domains(a, b)
        } else {
            values(a.site, b.site)
        },
        city: values(a.city, b.city),
        address: values(a.address, b.address),
        ..Evidence::default()
    }
}

/// The evidence of a pair that cannot reach the floor any more.
#[inline]
fn given_up(mut e: Evidence) -> Evidence {
    e.log_odds = f64::NEG_INFINITY;
    e
}

/// The most the name and the company can still add, which decides whether a comparison is
/// worth finishing.
struct Reach {
    name: f64,
    company: f64,
}

impl Reach {
    #[inline]
    fn of(org: bool, stats: &FieldStats) -> Reach {
        Reach {
            name: if org { 6.0 } else { 5.0 },
            company: if org {
                0.0
            } else {
                agree_weight(stats.u_org, 4.0)
            },
        }
    }

    /// Whether the evidence so far stays under `floor` even with a full name match and the
    /// most context (the company's, or what is already there) allowed.
    #[inline]
    fn short_before_name(&self, w: f64, context: f64, floor: f64) -> bool {
        w + self.name + context.max(self.company).min(CONTEXT_CAP) < floor
    }

    /// Whether the evidence with the name weighed stays under `floor` even with the company.
    #[inline]
    fn short_before_company(&self, w: f64, context: f64, floor: f64) -> bool {
        w + (context + self.company).min(CONTEXT_CAP) < floor
    }
}

/// The name's weight and similarity; a person's name counts for less the more records bear it.
#[inline]
fn name_weight(org: bool, a: &Prepared, b: &Prepared, stats: &FieldStats) -> Option<(f64, f64)> {
    if org {
        organization_name(a, b)
    } else {
        person_name(a, b).map(|(weight, sim)| (weight - commonness(a, b, stats, weight), sim))
    }
}

/// Only identity evidence makes a match: corroboration alone (a city, an industry, a shared
/// postal code) never does.
#[inline]
fn has_identity(e: &Evidence, extra: &ExtraEvidence) -> bool {
    e.name.is_some_and(|s| s >= 0.8)
        || [e.email, e.phone, e.website, e.address].contains(&Agreement::Same)
        || extra.identity
        || extra.address >= 3.0
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
#[path = "compare_tests.rs"]
mod tests;
