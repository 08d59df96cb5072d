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
    ContactKeys {
        emails,
        phones,
        personal_mail: mail_domains.len() < email_keys.len(),
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
mod tests {
    use super::*;

    #[test]
    fn persons_are_keyed_by_folded_names() {
        let r = DedupeRecord {
            first_name: "Dr. Zoë Anne".into(),
            last_name: "Müller Jr.".into(),
            emails: vec![" Zoe@ACME.com".into(), "zoe@gmail.com".into()],
            phones: vec!["+49 30 1234567".into()],
            organization: Some("ACME GmbH".into()),
            ..DedupeRecord::default()
        };
        let p = prepare(Entity::Person, &r, &HashMap::new());
        assert_eq!(&*p.first, "zoe");
        assert_eq!(&*p.last, "muller");
        assert_eq!(&*p.name, "anne muller zoe");
        assert_eq!(&*p.org, "acme");
        assert_eq!(p.emails.len(), 2);
        assert_eq!(p.mail_domains.len(), 1);
        assert_eq!(p.phones.len(), 1);
    }

    fn person(first: &str, last: &str) -> DedupeRecord {
        DedupeRecord {
            first_name: first.into(),
            last_name: last.into(),
            ..DedupeRecord::default()
        }
    }

    #[test]
    fn a_persons_name_loses_its_titles_and_suffixes_but_keeps_one_word() {
        let n = name_keys(Entity::Person, &person("Mrs Dr Ann Marie", "Lee PhD Jr"));
        assert_eq!((n.first.as_str(), n.last.as_str()), ("ann", "lee"));
        assert_eq!(n.name, "ann lee marie");
        assert!(n.words.is_empty());
        // A title alone is the only word there is: it stays.
        let n = name_keys(Entity::Person, &person("Dr", "Jr"));
        assert_eq!((n.first.as_str(), n.last.as_str()), ("dr", "jr"));
    }

    #[test]
    fn an_organizations_name_is_its_sorted_words_once_each() {
        let r = DedupeRecord {
            name: "Zeta Alpha Zeta".into(),
            ..DedupeRecord::default()
        };
        let n = name_keys(Entity::Organization, &r);
        assert_eq!(n.name, "alpha zeta");
        assert_eq!(n.words, "zeta alpha zeta");
        assert!(n.first.is_empty() && n.last.is_empty());
    }

    #[test]
    fn contacts_are_hashed_once_each_and_free_mail_is_personal() {
        let r = DedupeRecord {
            emails: vec!["ann@acme.com".into(), "ANN@acme.com ".into()],
            phones: vec!["+49 30 1234567".into(), "+49 (30) 123-4567".into()],
            ..DedupeRecord::default()
        };
        let c = contact_keys(&r);
        assert_eq!((c.emails.len(), c.phones.len()), (1, 1));
        let company = DedupeRecord {
            emails: vec!["ann@acme.com".into()],
            ..DedupeRecord::default()
        };
        let c = contact_keys(&company);
        assert_eq!(c.mail_domains.len(), 1);
        assert!(!c.personal_mail);
        let r = DedupeRecord {
            emails: vec!["ann@acme.com".into(), "ann@gmail.com".into()],
            ..DedupeRecord::default()
        };
        let c = contact_keys(&r);
        assert_eq!((c.emails.len(), c.mail_domains.len()), (2, 1));
        assert!(c.personal_mail);
    }

    #[test]
    fn extra_fields_leave_out_bookkeeping_and_keep_codes_of_identities() {
        let index: HashMap<Arc<str>, (u16, Meaning)> = [
            ("dob", (0, Meaning::Birthday)),
            ("owner", (1, Meaning::Bookkeeping)),
            ("title", (2, Meaning::Context)),
        ]
        .into_iter()
        .map(|(k, v)| (Arc::from(k), v))
        .collect();
        let extra = |k: &str, v: &str| (Arc::from(k), v.to_string());
        let r = DedupeRecord {
            extras: vec![
                extra("dob", "1990-01-01"),
                extra("owner", "Ann"),
                extra("title", "CEO"),
                extra("dob", "1981-04-06"),
                extra("unknown", "x"),
            ],
            ..DedupeRecord::default()
        };
        let keys = extra_keys(&r, &index);
        let fields: Vec<u16> = keys.extras.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, [0, 2]);
        assert_eq!(keys.codes, [(0, Box::from("19810406"))]);
    }
}
