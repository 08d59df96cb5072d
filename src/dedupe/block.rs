//! Which pairs get compared: a multi-pass sorted neighbourhood. Each pass sorts the records by
//! one key (the name with its company, the company with its name, the name spelled backwards,
//! the name's sound, each e-mail, each phone …) and compares every record with the next few in
//! that order. Records that agree on any key's beginning meet in some pass; the work grows as
//! n·log n, never as n².

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::entity::Entity;

use super::compare::compare_above;
use super::fields::FieldStats;
use super::keys::sound_code;
use super::merge::MatchKey;
use super::prepare::Prepared;

/// A pair whose evidence reached the threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edge {
    pub a: u32,
    pub b: u32,
    pub log_odds: f32,
}

/// One way of sorting the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The name, then the company (persons) or city (organisations).
    Name,
    /// The company, then the name (persons only).
    CompanyName,
    /// The name written backwards: typos at the start of a name.
    Reversed,
    /// The name's words by sound: vowel typos.
    Sound,
    Email,
    Phone,
    /// Website domain (organisations) or company e-mail domain.
    Domain,
    /// The last name alone, then company and city: a first name replaced or missing.
    LastName,
    /// The first name alone, then company and city: a last name changed.
    FirstName,
    /// The postal address.
    Address,
    /// A rare value of an extra field (an identifier, a birthday): records sharing it meet
    /// whatever their names.
    Rare(u16),
}

/// Extra fields rarer than this (chance agreement) get a pass of their own.
const RARE_FIELD: f64 = 0.01;
/// At most this many extra fields get a pass.
const RARE_PASSES: usize = 3;

fn passes(entity: Entity, stats: &FieldStats) -> Vec<Pass> {
    let mut todo = match entity {
        Entity::Organization => vec![
            Pass::Name,
            Pass::Reversed,
            Pass::Sound,
            Pass::Email,
            Pass::Phone,
            Pass::Domain,
            Pass::Address,
        ],
        _ => vec![
            Pass::Name,
            Pass::CompanyName,
            Pass::Reversed,
            Pass::Sound,
            Pass::LastName,
            Pass::FirstName,
            Pass::Email,
            Pass::Phone,
            Pass::Domain,
            Pass::Address,
        ],
    };
    let mut rare: Vec<(f64, u16)> = stats
        .u_extras
        .iter()
        .enumerate()
        .filter(|(_, u)| **u < RARE_FIELD)
        .map(|(i, u)| (*u, i as u16))
        .collect();
    rare.sort_by(|x, y| x.0.total_cmp(&y.0));
    todo.extend(rare.iter().take(RARE_PASSES).map(|(_, i)| Pass::Rare(*i)));
    todo
}

/// Keys of one pass, in one buffer: (start, length, record).
struct Keys {
    bytes: Vec<u8>,
    entries: Vec<(usize, u32, u32)>,
}

impl Keys {
    fn push(&mut self, record: usize, parts: &[&[u8]]) {
        let start = self.bytes.len();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.bytes.push(0);
            }
            self.bytes.extend_from_slice(part);
        }
        let len = (self.bytes.len() - start) as u32;
        self.entries.push((start, len, record as u32));
    }

    fn key(&self, entry: &(usize, u32, u32)) -> &[u8] {
        &self.bytes[entry.0..entry.0 + entry.1 as usize]
    }
}

/// The keys of every record for `pass`: none for a record without the pass's value, one per
/// value for passes over several (e-mails, phones, domains).
fn build_keys(pass: Pass, prepared: &[Prepared]) -> Keys {
    let mut keys = Keys {
        bytes: Vec::with_capacity(prepared.len() * 24),
        entries: Vec::with_capacity(prepared.len()),
    };
    let mut scratch = String::new();
    for (i, p) in prepared.iter().enumerate() {
        if pass.by_name() {
            push_name_keys(&mut keys, pass, i, p, &mut scratch);
        } else {
            push_value_keys(&mut keys, pass, i, p);
        }
    }
    keys
}

impl Pass {
    /// Whether the pass sorts by a form of the name (or the company with it), rather than by
    /// a value's hash.
    #[inline]
    fn by_name(self) -> bool {
        matches!(
            self,
            Pass::Name
                | Pass::CompanyName
                | Pass::Reversed
                | Pass::Sound
                | Pass::LastName
                | Pass::FirstName
        )
    }
}

/// Record `i`'s key for a pass by name, if it has the name the pass sorts by.
#[inline]
fn push_name_keys(keys: &mut Keys, pass: Pass, i: usize, p: &Prepared, scratch: &mut String) {
    let name = p.name.as_bytes();
    match pass {
        Pass::Name if !name.is_empty() => {
            keys.push(i, &[name, p.org.as_bytes(), &p.city.to_be_bytes()])
        }
        Pass::CompanyName if !p.org.is_empty() => keys.push(i, &[p.org.as_bytes(), name]),
        Pass::Reversed if !name.is_empty() => {
            let reversed: Vec<u8> = name.iter().rev().copied().collect();
            keys.push(i, &[&reversed, p.org.as_bytes()]);
        }
        Pass::Sound if !name.is_empty() => {
            let mut codes: Vec<String> = p.name.split(' ').map(sound_code).collect();
            codes.sort_unstable();
            scratch.clear();
            scratch.push_str(&codes.join(" "));
            keys.push(i, &[scratch.as_bytes(), p.org.as_bytes(), name]);
        }
        Pass::LastName if !p.last.is_empty() => keys.push(
            i,
            &[
                p.last.as_bytes(),
                p.org.as_bytes(),
                &p.city.to_be_bytes(),
                p.first.as_bytes(),
            ],
        ),
        Pass::FirstName if !p.first.is_empty() => keys.push(
            i,
            &[
                p.first.as_bytes(),
                p.org.as_bytes(),
                &p.city.to_be_bytes(),
                p.last.as_bytes(),
            ],
        ),
        _ => {}
    }
}

/// Record `i`'s keys for a pass by value: one per e-mail, phone or domain (a company mail
/// domain that is also the website's once), its address, its rare field's value.
#[inline]
fn push_value_keys(keys: &mut Keys, pass: Pass, i: usize, p: &Prepared) {
    let name = p.name.as_bytes();
    match pass {
        Pass::Email => {
            for e in p.emails.iter() {
                keys.push(i, &[&e.to_be_bytes(), name]);
            }
        }
        Pass::Phone => {
            for ph in p.phones.iter() {
                keys.push(i, &[&ph.to_be_bytes(), name]);
            }
        }
        Pass::Address if p.address != 0 => keys.push(i, &[&p.address.to_be_bytes(), name]),
        Pass::Rare(field) => {
            if let Some((_, value)) = p.extras.iter().find(|(f, _)| *f == field) {
                keys.push(i, &[&value.to_be_bytes(), name]);
            }
        }
        Pass::Domain => {
            if p.site != 0 {
                keys.push(i, &[&p.site.to_be_bytes(), name]);
            }
            for d in p.mail_domains.iter().filter(|d| **d != p.site) {
                keys.push(i, &[&d.to_be_bytes(), name]);
            }
        }
        _ => {}
    }
}

/// Runs one pass: sort, then compare each record with the next `window` ones.
fn run_pass(
    pass: Pass,
    entity: Entity,
    prepared: &[Prepared],
    stats: &FieldStats,
    window: usize,
    accept: f64,
) -> (Vec<Edge>, u64) {
    let mut keys = build_keys(pass, prepared);
    let mut entries = std::mem::take(&mut keys.entries);
    entries.sort_unstable_by(|x, y| keys.key(x).cmp(keys.key(y)).then(x.2.cmp(&y.2)));
    let mut edges = Vec::new();
    let mut compared = 0u64;
    for (i, x) in entries.iter().enumerate() {
        let end = (i + 1 + window).min(entries.len());
        for y in &entries[i + 1..end] {
            if x.2 == y.2 {
                continue;
            }
            compared += 1;
            let (a, b) = (x.2.min(y.2), x.2.max(y.2));
            let e = compare_above(
                entity,
                &prepared[a as usize],
                &prepared[b as usize],
                stats,
                accept,
            );
            if e.log_odds >= accept {
                edges.push(Edge {
                    a,
                    b,
                    log_odds: e.log_odds as f32,
                });
            }
        }
    }
    (edges, compared)
}

/// Every pair that some pass brought within `window` of each other and whose evidence reaches
/// `accept` (log-odds), each once; and how many comparisons were made.
pub(crate) fn candidate_links(
    entity: Entity,
    prepared: &[Prepared],
    stats: &FieldStats,
    window: usize,
    accept: f64,
    threads: usize,
    only: &[MatchKey],
) -> (Vec<Edge>, u64) {
    let mut todo = passes(entity, stats);
    if !only.is_empty() {
        // The passes where records sharing such evidence meet.
        todo.retain(|pass| {
            only.iter().any(|key| match key {
                MatchKey::Email => *pass == Pass::Email,
                MatchKey::Phone => *pass == Pass::Phone,
                MatchKey::Domain => *pass == Pass::Domain,
                MatchKey::Name => *pass == Pass::Name,
                MatchKey::NameCompany => matches!(pass, Pass::Name | Pass::CompanyName),
            })
        });
    }
    if todo.is_empty() {
        return (Vec::new(), 0);
    }
    let next = AtomicUsize::new(0);
    let found = Mutex::new((Vec::new(), 0u64));
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, todo.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&pass) = todo.get(i) else { break };
                    let (edges, compared) = run_pass(pass, entity, prepared, stats, window, accept);
                    let mut all = found.lock().expect("a pass thread panicked");
                    all.0.extend(edges);
                    all.1 += compared;
                }
            });
        }
    });
    let (mut edges, compared) = found.into_inner().expect("a pass thread panicked");
    edges.sort_unstable_by_key(|e| (e.a, e.b));
    edges.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    (edges, compared)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each key of `pass` over `prepared`: (record, key bytes).
    fn keys_of(pass: Pass, prepared: &[Prepared]) -> Vec<(u32, Vec<u8>)> {
        let keys = build_keys(pass, prepared);
        keys.entries
            .iter()
            .map(|e| (e.2, keys.key(e).to_vec()))
            .collect()
    }

    fn named(name: &str, org: &str) -> Prepared {
        Prepared {
            name: name.into(),
            org: org.into(),
            ..Prepared::default()
        }
    }

    #[test]
    fn name_passes_key_records_that_have_the_name_and_join_parts_with_nul() {
        let prepared = [named("ann lee", "acme"), named("", "acme")];
        let mut name_key = b"ann lee\0acme\0".to_vec();
        name_key.extend_from_slice(&0u64.to_be_bytes());
        assert_eq!(keys_of(Pass::Name, &prepared), [(0, name_key)]);
        assert_eq!(
            keys_of(Pass::Reversed, &prepared),
            [(0, b"eel nna\0acme".to_vec())]
        );
        // The company pass keys a record without a name too.
        let company: Vec<u32> = keys_of(Pass::CompanyName, &prepared)
            .iter()
            .map(|k| k.0)
            .collect();
        assert_eq!(company, [0, 1]);
        assert!(keys_of(Pass::FirstName, &prepared).is_empty());
    }

    #[test]
    fn value_passes_key_each_value_and_a_mail_domain_that_is_the_website_once() {
        let p = Prepared {
            name: "ann".into(),
            emails: Box::new([3, 4]),
            site: 5,
            mail_domains: Box::new([5, 7]),
            ..Prepared::default()
        };
        let hashes = |pass| -> Vec<u64> {
            keys_of(pass, std::slice::from_ref(&p))
                .iter()
                .map(|(_, k)| u64::from_be_bytes(k[..8].try_into().unwrap()))
                .collect()
        };
        assert_eq!(hashes(Pass::Email), [3, 4]);
        assert_eq!(hashes(Pass::Domain), [5, 7]);
        assert!(hashes(Pass::Phone).is_empty());
        assert!(hashes(Pass::Address).is_empty(), "no address, no key");
        assert!(hashes(Pass::Rare(0)).is_empty());
    }
}
