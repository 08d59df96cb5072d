//! Each record's comparison keys, computed once (in parallel) before any pair is looked at, and
//! the data-driven part of the weights: how often two unrelated records agree on a field.

use std::collections::HashMap;
use std::sync::Arc;

use crate::entity::Entity;

use super::DedupeRecord;
use super::fields::{FieldStats, finish};
use super::keys::{
    company_mail_domain, domain_key, email_key, fingerprint, fold, organization_key,
    organization_words, phone_key, stable_hash,
};
use super::meaning::{Meaning, ValueProfile, meaning};
use super::nicknames::canonical;

/// One record's keys, normalised and hashed for cheap comparison. Hashes are never 0; 0 means
/// "no value".
#[derive(Debug, Clone, Default)]
pub(crate) struct Prepared {
    /// First word of the first name, folded.
    pub first: Box<str>,
    /// Last name, folded.
    pub last: Box<str>,
    /// Hashes of the first and last name's full given-name forms (`bob` → `robert`), for
    /// nicknames as written and swapped.
    pub first_given: u64,
    pub last_given: u64,
    /// The name's fingerprint (persons) or organisation key (organisations).
    pub name: Box<str>,
    /// Hash of `name`, to look up how common it is.
    pub name_hash: u64,
    /// An organisation name's words in the order written, legal forms dropped (empty for
    /// persons, who are compared by first and last name).
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
    /// Extra fields: (field index, value hash); bookkeeping fields left out.
    pub extras: Box<[(u16, u64)]>,
    /// Identity fields (birthdays, id numbers): (field index, letters and digits as written,
    /// lower case), compared with typos allowed.
    pub codes: Box<[(u16, Box<str>)]>,
}

pub(crate) fn hash(text: &str) -> u64 {
    if text.is_empty() {
        0
    } else {
        stable_hash(text).max(1)
    }
}

/// Honorifics before a given name, folded.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "herr", "frau", "mme",
    "mlle",
];

/// Generational and academic suffixes after a last name, folded.
const NAME_SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "dds", "esq", "mba", "cpa", "msc", "bsc",
];

/// `text` without the listed words at its start (`leading`) or end, keeping at least one word.
fn strip_words(text: &str, words: &[&str], leading: bool) -> String {
    let mut parts: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    if leading {
        while parts.len() > 1 && words.contains(&parts[0]) {
            parts.remove(0);
        }
    } else {
        while parts.len() > 1 && parts.last().is_some_and(|w| words.contains(w)) {
            parts.pop();
        }
    }
    parts.join(" ")
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
    let mut profiles = vec![ValueProfile::default(); extra_names.len()];
    for r in records {
        for (field, value) in &r.extras {
            if let Some(&i) = extra_index.get(field)
                && !value.trim().is_empty()
            {
                profiles[i as usize].add(value);
            }
        }
    }
    let meanings: Vec<Meaning> = extra_names
        .iter()
        .zip(&profiles)
        .map(|(name, profile)| meaning(name, None, profile))
        .collect();
    let extra_index: HashMap<Arc<str>, (u16, Meaning)> = extra_index
        .into_iter()
        .map(|(k, i)| (k, (i, meanings[i as usize])))
        .collect();
    let chunk = records.len().div_ceil(threads.max(1)).max(1);
    if threads <= 1 || records.len() < 10_000 {
        let prepared: Vec<Prepared> = records
            .iter()
            .map(|r| prepare(entity, r, &extra_index))
            .collect();
        return finish(entity, prepared, extra_names, meanings);
    }
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
    finish(entity, prepared, extra_names, meanings)
}

/// An identity value's letters and digits, lower case: `1981-04-06` → `19810406`.
fn code(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One record's keys: its contacts', its name's, its extra fields'.
fn prepare(
    entity: Entity,
    r: &DedupeRecord,
    extra_index: &HashMap<Arc<str>, (u16, Meaning)>,
) -> Prepared {
    let contacts = contact_keys(r);
    let names = name_keys(entity, r);
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
    let extra = extra_keys(r, extra_index);
    Prepared {
        first_given: hash(canonical(&names.first)),
        last_given: hash(canonical(&names.last)),
        first: names.first.into(),
        last: names.last.into(),
        name_hash: hash(&names.name),
        name: names.name.into(),
        words: names.words.into(),
        emails: contacts.emails.into(),
        phones: contacts.phones.into(),
        org: org.into(),
        site,
        personal_mail: contacts.personal_mail,
        mail_domains: contacts.mail_domains.into(),
        city: field_hash(&r.city),
        address: field_hash(&r.address),
        extras: extra.extras.into(),
        codes: extra.codes.into(),
    }
}

/// A record's e-mail, phone and company mail-domain hashes, each sorted without repeats.
struct ContactKeys {
    emails: Vec<u64>,
    phones: Vec<u64>,
    mail_domains: Vec<u64>,
    /// Some e-mail is at a free mail provider: it has no company domain.
    personal_mail: bool,
}

fn contact_keys(r: &DedupeRecord) -> ContactKeys {
    let email_keys: Vec<String> = r.emails.iter().filter_map(|e| email_key(e)).collect();
    let mut emails: Vec<u64> = email_keys.iter().map(|e| hash(e)).collect();
    emails.sort_unstable();
    emails.dedup();
    let domains: Vec<Option<&str>> = email_keys.iter().map(|e| company_mail_domain(e)).collect();
    // One address at a free mail provider makes the record's mail personal; two addresses at
    // one company's domain do not.
    let personal_mail = domains.iter().any(Option::is_none);
    let mut mail_domains: Vec<u64> = domains.into_iter().flatten().map(hash).collect();
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
    ContactKeys {
        emails,
        phones,
        personal_mail,
        mail_domains,
    }
}

/// A record's name as [`Prepared`] keeps it, before hashing.
struct NameKeys {
    first: String,
    last: String,
    name: String,
    words: String,
}

/// An organisation's name as its sorted words (and its words as written); a person's folded
/// first word of the given name (titles dropped), last name (suffixes dropped) and fingerprint.
fn name_keys(entity: Entity, r: &DedupeRecord) -> NameKeys {
    if entity == Entity::Organization {
        let words = organization_words(&r.name);
        let mut sorted: Vec<&str> = words.split(' ').collect();
        sorted.sort_unstable();
        sorted.dedup();
        let name = sorted.join(" ");
        return NameKeys {
            first: String::new(),
            last: String::new(),
            name,
            words,
        };
    }
    let given = fold(&r.first_name);
    let given = strip_words(&given, TITLES, true);
    let first = given.split(' ').next().unwrap_or_default().to_string();
    let last = strip_words(&fold(&r.last_name), NAME_SUFFIXES, false);
    // Persons compare first and last names; their words are only the fingerprint's input.
    let name = fingerprint(&format!("{given} {last}"));
    NameKeys {
        first,
        last,
        name,
        words: String::new(),
    }
}

/// A record's extra fields as [`Prepared`] keeps them: `extras` and `codes`.
struct ExtraKeys {
    extras: Vec<(u16, u64)>,
    codes: Vec<(u16, Box<str>)>,
}

/// A record's extra fields other than bookkeeping, hashed, and the letters and digits of those
/// that identify (birthdays, id numbers); one of each per field, by field index.
fn extra_keys(r: &DedupeRecord, extra_index: &HashMap<Arc<str>, (u16, Meaning)>) -> ExtraKeys {
    let mut extras: Vec<(u16, u64)> = Vec::new();
    let mut codes: Vec<(u16, Box<str>)> = Vec::new();
    for (field, value) in &r.extras {
        let Some(&(i, meaning)) = extra_index.get(field) else {
            continue;
        };
        let h = hash(&fingerprint(value));
        if h == 0 || meaning == Meaning::Bookkeeping {
            continue;
        }
        extras.push((i, h));
        if meaning.identifies() {
            let c = code(value);
            if !c.is_empty() {
                codes.push((i, c.into()));
            }
        }
    }
    extras.sort_unstable();
    extras.dedup_by_key(|(field, _)| *field);
    codes.sort_unstable();
    codes.dedup_by_key(|(field, _)| *field);
    ExtraKeys { extras, codes }
}

#[cfg(test)]
#[path = "prepare_tests.rs"]
mod tests;
