//! Each record's comparison keys, computed once (in parallel) before any pair is looked at, and
//! the data-driven part of the weights: how often two unrelated records agree on a field.

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::entity::Entity;

use super::DedupeRecord;
use super::keys::{
    company_mail_domain, domain_key, email_key, fingerprint, fold, organization_key,
    organization_words, phone_key, stable_hash,
};

/// An e-mail or phone shared by more records than this is a shared mailbox or switchboard, and
/// agreeing on it says little about being the same person.
const SHARED_KEY_RECORDS: u32 = 3;

/// One record's keys, normalised and hashed for cheap comparison. Hashes are never 0; 0 means
/// "no value".
#[derive(Debug, Clone, Default)]
pub(crate) struct Prepared {
    /// First word of the first name, folded.
    pub first: Box<str>,
    /// Last name, folded.
    pub last: Box<str>,
    /// The name's fingerprint (persons) or organisation key (organisations).
    pub name: Box<str>,
    /// The name's words in the order written (organisations: legal forms dropped; persons:
    /// every given name, then the last name).
    pub words: Box<str>,
    pub emails: Box<[u64]>,
    pub phones: Box<[u64]>,
    /// The organisation key of a person's or lead's company.
    pub org: Box<str>,
    /// Website domain.
    pub site: u64,
    /// Company e-mail domains (free mail providers left out).
    pub mail_domains: Box<[u64]>,
    /// True when some e-mail is at a free mail provider (a personal address).
    pub personal_mail: bool,
    pub city: u64,
    pub address: u64,
    /// Extra fields: (field index, value hash).
    pub extras: Box<[(u16, u64)]>,
}

/// What the data says about its fields: shared e-mails and phones, and for each field the
/// chance that two unrelated records agree on it (`u` in Fellegi–Sunter terms).
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldStats {
    pub shared_emails: FxHashSet<u64>,
    pub shared_phones: FxHashSet<u64>,
    pub u_org: f64,
    pub u_city: f64,
    pub u_address: f64,
    /// Per extra field: chance of chance agreement.
    pub u_extras: Vec<f64>,
    /// Extra field names by index.
    pub extra_names: Vec<Arc<str>>,
}

fn hash(text: &str) -> u64 {
    if text.is_empty() {
        0
    } else {
        stable_hash(text).max(1)
    }
}

/// Prepares every record, using up to `threads` threads.
pub(crate) fn prepare_all(
    entity: Entity,
    records: &[DedupeRecord],
    threads: usize,
) -> (Vec<Prepared>, FieldStats) {
    let mut extra_index: HashMap<Arc<str>, u16> = HashMap::new();
    let mut extra_names: Vec<Arc<str>> = Vec::new();
    for r in records {
        for (field, _) in &r.extras {
            if !extra_index.contains_key(field) && extra_names.len() < u16::MAX as usize {
                extra_index.insert(field.clone(), extra_names.len() as u16);
                extra_names.push(field.clone());
            }
        }
    }
    let chunk = records.len().div_ceil(threads.max(1)).max(1);
    let prepared: Vec<Prepared> = std::thread::scope(|s| {
        let handles: Vec<_> = records
            .chunks(chunk)
            .map(|part| {
                let index = &extra_index;
                s.spawn(move || {
                    part.iter()
                        .map(|r| prepare(entity, r, index))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a preparing thread panicked"))
            .collect()
    });
    let stats = field_stats(&prepared, extra_names);
    (prepared, stats)
}

fn prepare(entity: Entity, r: &DedupeRecord, extra_index: &HashMap<Arc<str>, u16>) -> Prepared {
    let email_keys: Vec<String> = r.emails.iter().filter_map(|e| email_key(e)).collect();
    let mut emails: Vec<u64> = email_keys.iter().map(|e| hash(e)).collect();
    emails.sort_unstable();
    emails.dedup();
    let mut mail_domains: Vec<u64> = email_keys
        .iter()
        .filter_map(|e| company_mail_domain(e))
        .map(hash)
        .collect();
    mail_domains.sort_unstable();
    mail_domains.dedup();
    let mut phones: Vec<u64> = r
        .phones
        .iter()
        .filter_map(|p| phone_key(p))
        .map(|p| hash(&p))
        .collect();
    phones.sort_unstable();
    phones.dedup();
    let (first, last, name, words) = if entity == Entity::Organization {
        let words = organization_words(&r.name);
        let mut sorted: Vec<&str> = words.split(' ').collect();
        sorted.sort_unstable();
        sorted.dedup();
        (String::new(), String::new(), sorted.join(" "), words)
    } else {
        let given = fold(&r.first_name);
        let first = given.split(' ').next().unwrap_or_default().to_string();
        let last = fold(&r.last_name);
        let words = format!("{given} {last}").trim().to_string();
        (first, last, fingerprint(&words), words)
    };
    let org = r
        .organization
        .as_deref()
        .map(organization_key)
        .unwrap_or_default();
    let site = r
        .website
        .as_deref()
        .and_then(domain_key)
        .map_or(0, |d| hash(&d));
    let field_hash = |v: &Option<String>| v.as_deref().map_or(0, |v| hash(&fingerprint(v)));
    let mut extras: Vec<(u16, u64)> = r
        .extras
        .iter()
        .filter_map(|(field, value)| {
            let h = hash(&fingerprint(value));
            (h != 0).then(|| extra_index.get(field).map(|&i| (i, h)))?
        })
        .collect();
    extras.sort_unstable();
    extras.dedup_by_key(|(field, _)| *field);
    Prepared {
        first: first.into(),
        last: last.into(),
        name: name.into(),
        words: words.into(),
        emails: emails.into(),
        phones: phones.into(),
        org: org.into(),
        site,
        personal_mail: mail_domains.len() < email_keys.len(),
        mail_domains: mail_domains.into(),
        city: field_hash(&r.city),
        address: field_hash(&r.address),
        extras: extras.into(),
    }
}

/// Counts values to find shared keys and chance-agreement rates.
fn field_stats(prepared: &[Prepared], extra_names: Vec<Arc<str>>) -> FieldStats {
    let mut emails: FxHashMap<u64, u32> = FxHashMap::default();
    let mut phones: FxHashMap<u64, u32> = FxHashMap::default();
    let mut org: FxHashMap<u64, u32> = FxHashMap::default();
    let mut city: FxHashMap<u64, u32> = FxHashMap::default();
    let mut address: FxHashMap<u64, u32> = FxHashMap::default();
    let mut extras: Vec<FxHashMap<u64, u32>> = vec![FxHashMap::default(); extra_names.len()];
    for p in prepared {
        for &e in p.emails.iter() {
            *emails.entry(e).or_default() += 1;
        }
        for &ph in p.phones.iter() {
            *phones.entry(ph).or_default() += 1;
        }
        let org_hash = hash(&p.org);
        for (map, value) in [(&mut org, org_hash), (&mut city, p.city), (&mut address, p.address)]
        {
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
        shared_emails: shared(&emails),
        shared_phones: shared(&phones),
        u_org: chance_agreement(&org),
        u_city: chance_agreement(&city),
        u_address: chance_agreement(&address),
        u_extras: extras.iter().map(chance_agreement).collect(),
        extra_names,
    }
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

    #[test]
    fn persons_are_keyed_by_folded_names() {
        let r = DedupeRecord {
            first_name: "Zoë Anne".into(),
            last_name: "Müller".into(),
            emails: vec![" Zoe@ACME.com".into(), "zoe@gmail.com".into()],
            phones: vec!["+49 30 1234567".into()],
            organization: Some("ACME GmbH".into()),
            ..DedupeRecord::default()
        };
        let p = prepare(Entity::Person, &r, &HashMap::new());
        assert_eq!(&*p.first, "zoe");
        assert_eq!(&*p.last, "muller");
        assert_eq!(&*p.name, "muller zoe");
        assert_eq!(&*p.org, "acme");
        assert_eq!(p.emails.len(), 2);
        assert_eq!(p.mail_domains.len(), 1);
        assert_eq!(p.phones.len(), 1);
    }
}
