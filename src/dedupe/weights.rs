//! What one field's agreement or disagreement adds to a pair's log-odds, field by field. Each
//! function is a step of `compare::compare_above`, the hot loop of duplicate search: they take
//! what the comparison already found and allocate nothing.

use rustc_hash::FxHashSet;

use super::compare::Agreement;
use super::fields::FieldStats;
use super::prepare::Prepared;

/// What one field adds: evidence for or against, and corroboration that places both records in
/// the same context (summed with the other context and capped as a whole).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Added {
    pub evidence: f64,
    pub context: f64,
}

/// The weight of agreeing on a field whose values two unrelated records share with chance
/// `u`, at most `cap`: ln(m/u) with m = 0.9.
#[inline]
pub(super) fn agree_weight(u: f64, cap: f64) -> f64 {
    (0.9 / u).ln().clamp(0.0, cap)
}

/// Whether every key the two records have in common is one that many records share (a shared
/// mailbox, a switchboard).
#[inline]
fn only_shared(a: &[u64], b: &[u64], shared: &FxHashSet<u64>) -> bool {
    a.iter()
        .filter(|x| b.contains(x))
        .all(|x| shared.contains(x))
}

/// An e-mail address in common is strong evidence, unless the address is a shared mailbox.
#[inline]
pub(super) fn email(
    agreement: Agreement,
    a: &Prepared,
    b: &Prepared,
    stats: &FieldStats,
    org: bool,
) -> f64 {
    match agreement {
        Agreement::Same if only_shared(&a.emails, &b.emails, &stats.shared_emails) => 3.0,
        Agreement::Same => 8.0,
        // A work address against a personal one says little; two work addresses that differ
        // are two people (or one who moved on).
        Agreement::Different if org || a.personal_mail || b.personal_mail => -0.5,
        Agreement::Different => -1.5,
        Agreement::Unknown => 0.0,
    }
}

/// A phone number in common, weaker than an e-mail address (a switchboard counts for less).
#[inline]
pub(super) fn phone(
    agreement: Agreement,
    a: &Prepared,
    b: &Prepared,
    stats: &FieldStats,
    org: bool,
) -> f64 {
    match agreement {
        Agreement::Same if only_shared(&a.phones, &b.phones, &stats.shared_phones) => 1.5,
        Agreement::Same => 4.5,
        Agreement::Different if org => -0.5,
        Agreement::Different => -1.0,
        Agreement::Unknown => 0.0,
    }
}

/// A website identifies an organisation; for a person it only corroborates, and a different
/// one says nothing (people list their employer's site, or none).
#[inline]
pub(super) fn website(agreement: Agreement, org: bool) -> f64 {
    match (agreement, org) {
        (Agreement::Same, true) => 6.0,
        (Agreement::Different, true) => -2.0,
        (Agreement::Same, false) => 2.0,
        _ => 0.0,
    }
}

/// The same city corroborates as much as cities are rare in the data; a different one counts
/// against (more for an organisation, which moves less often than a person).
#[inline]
pub(super) fn city(agreement: Agreement, org: bool, stats: &FieldStats) -> Added {
    match agreement {
        Agreement::Same => context(agree_weight(stats.u_city, 1.0)),
        Agreement::Different if org => against(2.5),
        Agreement::Different => against(1.5),
        Agreement::Unknown => Added::default(),
    }
}

/// The same postal address corroborates as much as addresses are rare in the data.
#[inline]
pub(super) fn address(agreement: Agreement, stats: &FieldStats) -> Added {
    match agreement {
        Agreement::Same => context(agree_weight(stats.u_address, 2.0)),
        Agreement::Different => against(0.5),
        Agreement::Unknown => Added::default(),
    }
}

/// A person's company: the same one corroborates by `company_max`, another one makes a
/// namesake.
#[inline]
pub(super) fn company(agreement: Agreement, company_max: f64) -> Added {
    match agreement {
        Agreement::Same => context(company_max),
        Agreement::Different => against(4.0),
        Agreement::Unknown => Added::default(),
    }
}

#[inline]
fn context(weight: f64) -> Added {
    Added {
        evidence: 0.0,
        context: weight,
    }
}

#[inline]
fn against(weight: f64) -> Added {
    Added {
        evidence: -weight,
        context: 0.0,
    }
}

#[cfg(test)]
#[path = "weights_tests.rs"]
mod tests;
