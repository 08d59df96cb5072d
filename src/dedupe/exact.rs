//! The exact form of auto-merge keys, to find the few records worth comparing without holding
//! every record: two records can only be linked on "same e-mail" when their e-mail keys are
//! equal, so a record whose keys no other record shares needs no comparison at all. An export
//! of a million contacts that auto-merges on e-mail thus keeps a hash per key, not the records.

use rustc_hash::FxHashMap;

use crate::entity::Entity;

use super::keys::{
    company_mail_domain, domain_key, email_key, organization_key, phone_key, stable_hash,
};
use super::{DedupeRecord, MatchKey};

/// The auto-merge keys of one entity, when every one of them has an exact form.
#[derive(Debug, Clone)]
pub struct ExactKeys {
    keys: Vec<MatchKey>,
    entity: Entity,
}

impl ExactKeys {
    /// None when some key (a close name at the same company, a person's name) is a matter of
    /// similarity, or when no key is given (any evidence counts): then every record counts.
    pub fn new(entity: Entity, keys: &[MatchKey]) -> Option<ExactKeys> {
        let exact = !keys.is_empty()
            && keys.iter().all(|k| match k {
                MatchKey::Email | MatchKey::Phone | MatchKey::Domain => true,
                MatchKey::Name => entity == Entity::Organization,
                MatchKey::NameCompany => false,
            });
        exact.then(|| ExactKeys {
            keys: keys.to_vec(),
            entity,
        })
    }

    /// No key at all: no record shares one (when only decisions merge).
    pub fn none(entity: Entity) -> ExactKeys {
        ExactKeys {
            keys: Vec::new(),
            entity,
        }
    }

    /// The hashes of a record's exact keys, each tagged with its kind.
    pub fn hashes(&self, r: &DedupeRecord, out: &mut KeyHashes) {
        out.clear();
        let mut add = |kind: u8, key: Option<String>| {
            if let Some(k) = key.filter(|k| !k.is_empty()) {
                out.push(stable_hash(&k) ^ (u64::from(kind) << 56));
            }
        };
        for key in &self.keys {
            match key {
                MatchKey::Email => r.emails.iter().for_each(|e| add(1, email_key(e))),
                MatchKey::Phone => r.phones.iter().for_each(|p| add(2, phone_key(p))),
                MatchKey::Domain => {
                    add(3, r.website.as_deref().and_then(domain_key));
                    for e in &r.emails {
                        let domain =
                            email_key(e).and_then(|k| company_mail_domain(&k).map(str::to_string));
                        add(3, domain);
                    }
                }
                MatchKey::Name if self.entity == Entity::Organization => {
                    add(4, Some(organization_key(&r.name)))
                }
                _ => {}
            }
        }
    }
}

/// A record's exact key hashes: most records have a few, held without an allocation.
pub type KeyHashes = smallvec::SmallVec<[u64; 4]>;

/// The exact keys of records in the order they were added, and how many records carry each:
/// a few bytes per record, whatever the record holds.
#[derive(Debug, Default)]
pub struct KeyIndex {
    counts: FxHashMap<u64, u32>,
    hashes: Vec<u64>,
    /// Where each record's hashes start in `hashes`.
    starts: Vec<u32>,
}

impl KeyIndex {
    /// Adds the next record's keys, hashed (`ExactKeys::hashes`, which the duplicate search
    /// runs on its worker threads).
    pub fn add_hashes(&mut self, hashes: &[u64]) {
        self.starts.push(self.hashes.len() as u32);
        for &h in hashes {
            *self.counts.entry(h).or_default() += 1;
            self.hashes.push(h);
        }
    }

    /// True when another record shares one of the keys of the `i`-th record added.
    pub fn shared(&self, i: usize) -> bool {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.hashes.len(), |&s| s as usize);
        self.hashes[start..end]
            .iter()
            .any(|h| self.counts.get(h).is_some_and(|&n| n > 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(emails: &[&str], name: &str) -> DedupeRecord {
        DedupeRecord {
            name: name.into(),
            emails: emails.iter().map(|e| e.to_string()).collect(),
            ..DedupeRecord::default()
        }
    }

    #[test]
    fn only_records_sharing_a_key_are_candidates() {
        let keys = ExactKeys::new(Entity::Person, &[MatchKey::Email]).unwrap();
        let records = [
            person(&["jane@acme.com"], "Jane Roe"),
            person(&[" JANE@acme.com"], "J. Roe"),
            person(&["ada@engine.org"], "Ada Lovelace"),
        ];
        let mut index = KeyIndex::default();
        let mut hashes = KeyHashes::new();
        for r in &records {
            keys.hashes(r, &mut hashes);
            index.add_hashes(&hashes);
        }
        let shared: Vec<bool> = (0..records.len()).map(|i| index.shared(i)).collect();
        assert_eq!(shared, [true, true, false]);
    }

    #[test]
    fn similarity_keys_have_no_exact_form() {
        assert!(ExactKeys::new(Entity::Person, &[MatchKey::NameCompany]).is_none());
        assert!(ExactKeys::new(Entity::Person, &[MatchKey::Name]).is_none());
        assert!(ExactKeys::new(Entity::Person, &[]).is_none());
        assert!(ExactKeys::new(Entity::Organization, &[MatchKey::Name]).is_some());
    }
}
