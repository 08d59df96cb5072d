//! What the data says about its own fields, counted once over all prepared records: how
//! common each name is, which e-mails and phones are shared, which e-mail domains are
//! providers', and for each field the chance that two unrelated records agree on it (`u` in
//! Fellegi–Sunter terms), from which agreement takes its weight.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::entity::Entity;

use super::prepare::{Prepared, hash};

/// An e-mail or phone shared by more records than this is a shared mailbox or switchboard, and
/// agreeing on it says little about being the same person.
const SHARED_KEY_RECORDS: u32 = 3;

/// An e-mail domain used at this many organisations is a provider's.
const PROVIDER_ORGANIZATIONS: usize = 3;

/// What the data says about its fields: shared e-mails and phones, and for each field the
/// chance that two unrelated records agree on it (`u` in Fellegi–Sunter terms).
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldStats {
    /// How many records bear each name (by `name_hash`): a name many records share is weaker
    /// evidence than a rare one.
    pub name_counts: FxHashMap<u64, u32>,
    pub shared_emails: FxHashSet<u64>,
    pub shared_phones: FxHashSet<u64>,
    pub u_org: f64,
    pub u_city: f64,
    pub u_address: f64,
    /// Per extra field: chance of chance agreement.
    pub u_extras: Vec<f64>,
    /// Per extra field: whether its values identify (rare by chance, or mostly one record's
    /// own) rather than describe a context many records share.
    /// What each extra field means for sameness.
    pub extra_meaning: Vec<super::meaning::Meaning>,
    /// Extra field names by index.
    pub extra_names: Vec<Arc<str>>,
}

/// Counts what the data says about its fields, and drops the e-mail domains that turn out to
/// be providers (shared across several organisations) from the company domains.
pub(crate) fn finish(
    entity: Entity,
    mut prepared: Vec<Prepared>,
    extra_names: Vec<Arc<str>>,
    meanings: Vec<super::meaning::Meaning>,
) -> (Vec<Prepared>, FieldStats) {
    let providers = provider_domains(entity, &prepared);
    if !providers.is_empty() {
        for p in &mut prepared {
            if p.mail_domains.iter().any(|d| providers.contains(d)) {
                let kept: Vec<u64> = p
                    .mail_domains
                    .iter()
                    .copied()
                    .filter(|d| !providers.contains(d))
                    .collect();
                p.mail_domains = kept.into();
                p.personal_mail = true;
            }
        }
    }
    let mut stats = field_stats(&prepared, extra_names);
    stats.extra_meaning = meanings;
    (prepared, stats)
}

/// E-mail domains that records of at least [`PROVIDER_ORGANIZATIONS`] different organisations
/// use (or, on records without one, a crowd of them): a mail provider or an ISP, not one
/// company's domain, whatever its name.
fn provider_domains(entity: Entity, prepared: &[Prepared]) -> FxHashSet<u64> {
    let mut seen: FxHashMap<u64, Vec<u64>> = FxHashMap::default();
    let mut unattached: FxHashMap<u64, usize> = FxHashMap::default();
    // Without organisations to tell, a domain on a large share of records is a provider's.
    let crowd = (prepared.len() / 50).max(50);
    let mut providers = FxHashSet::default();
    for p in prepared {
        let organization = if entity == Entity::Organization {
            p.name_hash
        } else {
            hash(&p.org)
        };
        if organization == 0 {
            for &domain in p.mail_domains.iter() {
                let n = unattached.entry(domain).or_default();
                *n += 1;
                if *n > crowd {
                    providers.insert(domain);
                }
            }
            continue;
        }
        for &domain in p.mail_domains.iter() {
            if providers.contains(&domain) {
                continue;
            }
            let orgs = seen.entry(domain).or_default();
            if !orgs.contains(&organization) {
                orgs.push(organization);
                if orgs.len() >= PROVIDER_ORGANIZATIONS {
                    providers.insert(domain);
                }
            }
        }
    }
    providers
}

/// Counts values to find shared keys and chance-agreement rates.
fn field_stats(prepared: &[Prepared], extra_names: Vec<Arc<str>>) -> FieldStats {
    let mut emails: FxHashMap<u64, u32> = FxHashMap::default();
    let mut phones: FxHashMap<u64, u32> = FxHashMap::default();
    let mut org: FxHashMap<u64, u32> = FxHashMap::default();
    let mut city: FxHashMap<u64, u32> = FxHashMap::default();
    let mut address: FxHashMap<u64, u32> = FxHashMap::default();
    let mut extras: Vec<FxHashMap<u64, u32>> = vec![FxHashMap::default(); extra_names.len()];
    let mut names: FxHashMap<u64, u32> = FxHashMap::default();
    for p in prepared {
        if p.name_hash != 0 {
            *names.entry(p.name_hash).or_default() += 1;
        }
        for &e in p.emails.iter() {
            *emails.entry(e).or_default() += 1;
        }
        for &ph in p.phones.iter() {
            *phones.entry(ph).or_default() += 1;
        }
        let org_hash = hash(&p.org);
        for (map, value) in [
            (&mut org, org_hash),
            (&mut city, p.city),
            (&mut address, p.address),
        ] {
            if value != 0 {
                *map.entry(value).or_default() += 1;
            }
        }
        for &(field, value) in p.extras.iter() {
            *extras[field as usize].entry(value).or_default() += 1;
        }
    }
    let shared = |map: &FxHashMap<u64, u32>| {
        map.iter()
            .filter(|(_, n)| **n > SHARED_KEY_RECORDS)
            .map(|(k, _)| *k)
            .collect()
    };
    FieldStats {
        name_counts: names,
        shared_emails: shared(&emails),
        shared_phones: shared(&phones),
        u_org: chance_agreement(&org),
        u_city: chance_agreement(&city),
        u_address: chance_agreement(&address),
        u_extras: extras.iter().map(extra_chance_agreement).collect(),
        extra_meaning: Vec::new(),
        extra_names,
    }
}

/// As [`chance_agreement`], but a field whose every value is distinct (a record id, a
/// timestamp) says nothing about duplicates, not even by disagreeing: its chance is 1, which
/// [`super::compare`] reads as "ignore".
fn extra_chance_agreement(counts: &FxHashMap<u64, u32>) -> f64 {
    let filled: u32 = counts.values().sum();
    if filled >= 20 && counts.len() as u32 == filled {
        return 1.0;
    }
    chance_agreement(counts)
}

/// The chance that two records drawn at random (both with a value) agree: Σ pᵢ².
fn chance_agreement(counts: &FxHashMap<u64, u32>) -> f64 {
    let total: f64 = counts.values().map(|&n| f64::from(n)).sum();
    if total < 2.0 {
        return 1.0;
    }
    counts
        .values()
        .map(|&n| (f64::from(n) / total).powi(2))
        .sum::<f64>()
        .clamp(1e-6, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chance_agreement_is_the_sum_of_squared_shares() {
        let mut counts = FxHashMap::default();
        counts.insert(1, 1);
        counts.insert(2, 1);
        assert!((chance_agreement(&counts) - 0.5).abs() < 1e-9);
        counts.insert(3, 2);
        assert!((chance_agreement(&counts) - 0.375).abs() < 1e-9);
    }
}
