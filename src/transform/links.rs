//! What links need: every record's source id → its name (so a deal's `contact_id` becomes the
//! person's name the import links by), and a census of names, so links to a name that several
//! records share are counted as ambiguous instead of landing silently on the wrong one.
//! Memory grows with the number of records, never with their other columns.

use std::hash::Hasher;

use rustc_hash::FxHashMap as HashMap;

use crate::entity::Entity;

/// A linkable record, as other rows see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    /// The entity the record became (a Sell contact may be a person or an organization).
    pub entity: Entity,
    /// The name or title the import links by.
    pub name: String,
    /// The record's own organization (persons, deals, leads).
    pub organization: Option<String>,
    /// The record's person (deals, leads).
    pub person: Option<String>,
    /// The id it was found by (empty when it was not looked up by id).
    pub id: String,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    entity: Entity,
    /// The record's own id (what an alias resolves to).
    id: (u32, u32),
    name: (u32, u32),
    organization: Option<(u32, u32)>,
    person: Option<(u32, u32)>,
}

/// Source id → record, per namespace (the entity of the file the id came from).
#[derive(Debug, Default, Clone)]
pub struct LinkIndex {
    /// Per namespace, id → entry.
    ids: HashMap<Entity, IdMap>,
    entries: Vec<Entry>,
    arena: String,
    /// Which namespaces hold records of an entity (a contacts file holds organizations too).
    holders: HashMap<Entity, Vec<Entity>>,
}

impl LinkIndex {
    fn store(&mut self, s: &str) -> (u32, u32) {
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        (start, s.len() as u32)
    }

    fn text(&self, at: (u32, u32)) -> &str {
        stored(&self.arena, at)
    }

    /// Records that `id` in the `namespace` file family is this record. A repeated id keeps the
    /// first record. Returns whether the id is new.
    pub fn insert(&mut self, namespace: Entity, id: &str, record: &Linked) -> bool {
        let id = id.trim();
        if id.is_empty() || self.entry_of(namespace, id).is_some() {
            return false;
        }
        let entry = Entry {
            entity: record.entity,
            id: self.store(id),
            name: self.store(&record.name),
            organization: record.organization.as_deref().map(|s| self.store(s)),
            person: record.person.as_deref().map(|s| self.store(s)),
        };
        let text = entry.id;
        self.entries.push(entry);
        let entry = (self.entries.len() - 1) as u32;
        let ids = self.ids.entry(namespace).or_default();
        ids.set(&self.arena, id, text, entry);
        let holders = self.holders.entry(record.entity).or_default();
        if !holders.contains(&namespace) {
            holders.push(namespace);
        }
        true
    }

    /// The record an id names, looked up in the entity's own files first, then in files that
    /// hold records of that entity (a Sell contact id naming a company).
    pub fn get(&self, to: Entity, id: &str) -> Option<Linked> {
        let id = id.trim();
        let more = self.holders.get(&to).into_iter().flatten();
        std::iter::once(to)
            .chain(more.copied().filter(|n| *n != to))
            .find_map(|ns| self.entry_of(ns, id))
            .map(|i| self.record(i))
    }

    fn entry_of(&self, namespace: Entity, id: &str) -> Option<u32> {
        self.ids.get(&namespace)?.get(&self.arena, id)
    }

    /// Entry `i` as other rows see it.
    fn record(&self, i: u32) -> Linked {
        let e = self.entries[i as usize];
        Linked {
            entity: e.entity,
            name: self.text(e.name).to_string(),
            organization: e.organization.map(|r| self.text(r).to_string()),
            person: e.person.map(|r| self.text(r).to_string()),
            id: self.text(e.id).to_string(),
        }
    }

    /// Adds `other`'s records, in the order they were indexed; an id this index holds keeps
    /// its record.
    pub fn append(&mut self, other: LinkIndex) {
        let mut keys: Vec<(Entity, &str, u32)> = other
            .ids
            .iter()
            .flat_map(|(ns, ids)| ids.iter(&other.arena).map(|(id, entry)| (*ns, id, entry)))
            .collect();
        keys.sort_by_key(|&(_, _, entry)| entry);
        for (namespace, id, entry) in keys {
            self.insert(namespace, id, &other.record(entry));
        }
    }

    /// Whether a lookup of `entity` searches the `namespace` file family: its own, or one
    /// that holds records of it.
    pub fn searches(&self, entity: Entity, namespace: Entity) -> bool {
        entity == namespace
            || self
                .holders
                .get(&entity)
                .is_some_and(|h| h.contains(&namespace))
    }

    /// Makes `from` name the same record as `to` (a record merged into another), when `to` is
    /// indexed.
    pub fn alias(&mut self, namespace: Entity, from: &str, to: &str) {
        if let Some(entry) = self.entry_of(namespace, to.trim()) {
            let from = from.trim();
            let text = self.store(from);
            let ids = self.ids.entry(namespace).or_default();
            ids.set(&self.arena, from, text, entry);
        }
    }

    /// True when no id of this namespace was indexed.
    pub fn has_namespace(&self, namespace: Entity) -> bool {
        self.holders.values().any(|h| h.contains(&namespace))
    }

    /// How many records are indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The text stored in `arena` at (start, length).
fn stored(arena: &str, (start, len): (u32, u32)) -> &str {
    &arena[start as usize..(start + len) as usize]
}

/// One namespace's ids → their entries, keyed by the id's hash: growing the map to a million
/// ids then moves numbers, without reading each id's text again. The ids' text is kept in the
/// index's arena, to tell apart two ids that share a hash (the later one is kept by its text).
#[derive(Debug, Default, Clone)]
struct IdMap {
    /// Id hash → (entry, the id's text in the arena).
    by_hash: HashMap<u64, (u32, (u32, u32))>,
    /// Ids whose hash an other id had first.
    shared: HashMap<Box<str>, u32>,
}

impl IdMap {
    fn hash(id: &str) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(id.as_bytes());
        hasher.finish()
    }

    fn get(&self, arena: &str, id: &str) -> Option<u32> {
        match self.by_hash.get(&Self::hash(id)) {
            Some(&(entry, text)) if stored(arena, text) == id => Some(entry),
            Some(_) => self.shared.get(id).copied(),
            None => None,
        }
    }

    /// Makes `id` (stored in `arena` at `text`) name `entry`, in place of any entry it named.
    fn set(&mut self, arena: &str, id: &str, text: (u32, u32), entry: u32) {
        let slot = self.by_hash.entry(Self::hash(id)).or_insert((entry, text));
        if stored(arena, slot.1) == id {
            slot.0 = entry;
        } else {
            self.shared.insert(Box::from(id), entry);
        }
    }

    /// Every id with its entry.
    fn iter<'a>(&'a self, arena: &'a str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        let hashed = self
            .by_hash
            .values()
            .map(move |&(entry, text)| (stored(arena, text), entry));
        hashed.chain(self.shared.iter().map(|(id, &entry)| (&**id, entry)))
    }
}

/// A name reduced for comparison, as the import compares them (case and spacing ignored).
pub fn name_key(name: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    if name.is_ascii() {
        // The same bytes hashed as below, found in one pass (ASCII whitespace is what
        // `split_whitespace` splits an ASCII name on).
        let mut in_word = false;
        for b in name.bytes() {
            if matches!(b, b'\t'..=b'\r' | b' ') {
                if in_word {
                    hasher.write_u8(0xff);
                }
                in_word = false;
            } else {
                hasher.write_u8(b.to_ascii_lowercase());
                in_word = true;
            }
        }
        if in_word {
            hasher.write_u8(0xff);
        }
        return hasher.finish();
    }
    name_key_by_words(name)
}

/// [`name_key`] word by word, for any text.
fn name_key_by_words(name: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    for word in name.split_whitespace() {
        if word.is_ascii() {
            for b in word.bytes() {
                hasher.write_u8(b.to_ascii_lowercase());
            }
        } else {
            for c in word.chars().flat_map(char::to_lowercase) {
                hasher.write_u32(c as u32);
            }
        }
        hasher.write_u8(0xff);
    }
    hasher.finish()
}

/// A name's [`name_key`] and [`loose_key`], worked out where the record is converted.
#[derive(Debug, Clone, Copy)]
pub struct NameKeys {
    exact: u64,
    loose: u64,
}

impl NameKeys {
    /// The keys of `name`.
    pub fn of(name: &str) -> NameKeys {
        NameKeys {
            exact: name_key(name),
            loose: loose_key(name),
        }
    }
}

/// A name reduced further, to find spellings of one name: accents, case, spacing and
/// punctuation ignored (`Zoë Müller-Ross` and `zoe muller ross`).
pub fn loose_key(name: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    // ASCII is its own transliteration: most names need no copy.
    let ascii;
    let text = if name.is_ascii() {
        name
    } else {
        ascii = deunicode::deunicode(name);
        &ascii
    };
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            hasher.write_u8(b.to_ascii_lowercase());
        }
    }
    hasher.finish()
}

/// The text a UTF-8 name was before it was read as Windows-1252 (`ZoÃ«` → `Zoë`), if it was.
pub fn repaired_mojibake(name: &str) -> Option<String> {
    if name.is_ascii() {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(name);
    if unmappable {
        return None;
    }
    let fixed = std::str::from_utf8(&bytes).ok()?;
    (fixed != name).then(|| fixed.to_string())
}

/// Counts records and incoming links per name, to find links whose name several records share.
#[derive(Debug, Default)]
pub struct NameCensus {
    records: HashMap<(Entity, u64), u32>,
    links: HashMap<(Entity, u64), u32>,
    examples: HashMap<(Entity, u64), String>,
    /// A written name per loose key, to tell a linked name that is another spelling of one:
    /// where it lies in `spelling_text` (a million names in one buffer, not a million
    /// allocations).
    spellings: HashMap<(Entity, u64), (u32, u32)>,
    spelling_text: String,
}

impl NameCensus {
    /// A record named `name` was written.
    pub fn record(&mut self, entity: Entity, name: &str) {
        self.record_keyed(entity, NameKeys::of(name), name);
    }

    /// A record named `name`, whose keys are `keys`, was written.
    pub fn record_keyed(&mut self, entity: Entity, keys: NameKeys, name: &str) {
        *self.records.entry((entity, keys.exact)).or_default() += 1;
        let text = &mut self.spelling_text;
        // Past 4 GB of names (far beyond any export) spellings are no longer kept.
        if let (std::collections::hash_map::Entry::Vacant(slot), Ok(start), Ok(len)) = (
            self.spellings.entry((entity, keys.loose)),
            u32::try_from(text.len()),
            u32::try_from(name.len()),
        ) && start.checked_add(len).is_some()
        {
            text.push_str(name);
            slot.insert((start, len));
        }
    }

    /// A written record whose name is another spelling of `name` (case, accents, punctuation,
    /// or text damaged by a wrong encoding), when `name` itself names no record.
    pub fn spelled_like(&self, entity: Entity, name: &str) -> Option<String> {
        if self.has(entity, name) {
            return None;
        }
        if let Some(fixed) = repaired_mojibake(name)
            && self.has(entity, &fixed)
        {
            return Some(fixed);
        }
        let key = (entity, loose_key(name));
        let &at = self.spellings.get(&key)?;
        Some(stored(&self.spelling_text, at).to_string())
    }

    /// True when a record of this name was written already.
    pub fn has(&self, entity: Entity, name: &str) -> bool {
        self.records.contains_key(&(entity, name_key(name)))
    }

    /// A link to `name` was written.
    pub fn link(&mut self, entity: Entity, name: &str) {
        self.link_keyed(entity, name_key(name), name);
    }

    /// A link to `name`, whose [`name_key`] is `key`, was written.
    pub fn link_keyed(&mut self, entity: Entity, key: u64, name: &str) {
        let key = (entity, key);
        *self.links.entry(key).or_default() += 1;
        if !self.examples.contains_key(&key) && self.examples.len() < 10_000 {
            self.examples.insert(key, name.to_string());
        }
    }

    /// Links that point at a name several records share: (entity, name, records, links), most
    /// links first.
    pub fn ambiguous(&self) -> Vec<(Entity, String, u32, u32)> {
        let mut out: Vec<(Entity, String, u32, u32)> = self
            .links
            .iter()
            .filter_map(|(key, &links)| {
                let &records = self.records.get(key)?;
                (records > 1).then(|| {
                    (
                        key.0,
                        self.examples.get(key).cloned().unwrap_or_default(),
                        records,
                        links,
                    )
                })
            })
            .collect();
        out.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.1.cmp(&b.1)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_names_key_as_word_by_word(name in "[aB \\t\\n\u{b}\u{c}\r.-]{0,16}") {
            proptest::prop_assert_eq!(name_key(&name), name_key_by_words(&name));
        }
    }

    #[test]
    fn names_key_alike_whatever_their_case_and_spacing() {
        assert_eq!(name_key("  Ann\tLEE "), name_key("ann lee"));
        assert_ne!(name_key("Ann Lee"), name_key("Annlee"));
        assert_eq!(name_key("Zoë  Müller"), name_key("zoë müller"));
    }

    fn linked(entity: Entity, name: &str) -> Linked {
        Linked {
            entity,
            name: name.into(),
            organization: Some("Acme".into()),
            person: None,
            id: String::new(),
        }
    }

    #[test]
    fn ids_that_share_a_hash_keep_their_own_entries() {
        // "a" sits where "b" hashes to, as if the two ids shared a hash.
        let arena = "ab";
        let mut ids = IdMap::default();
        ids.by_hash.insert(IdMap::hash("b"), (3, (0, 1)));
        ids.set(arena, "b", (1, 1), 7);
        assert_eq!(ids.get(arena, "b"), Some(7));
        ids.set(arena, "b", (1, 1), 8);
        assert_eq!(
            ids.get(arena, "b"),
            Some(8),
            "a repeated id names its new entry"
        );
        let mut all: Vec<(&str, u32)> = ids.iter(arena).collect();
        all.sort();
        assert_eq!(all, [("a", 3), ("b", 8)]);
        assert_eq!(ids.get(arena, "c"), None);
    }

    #[test]
    fn a_contact_id_can_name_a_company() {
        let mut index = LinkIndex::default();
        index.insert(Entity::Person, "7", &linked(Entity::Organization, "Acme"));
        index.insert(Entity::Person, "8", &linked(Entity::Person, "Ada"));
        assert_eq!(index.get(Entity::Person, "8").unwrap().name, "Ada");
        assert_eq!(
            index.get(Entity::Organization, " 7 ").unwrap().entity,
            Entity::Organization
        );
        assert!(index.get(Entity::Deal, "8").is_none());
    }

    #[test]
    fn a_linked_name_that_is_another_spelling_of_a_record_is_told() {
        let mut census = NameCensus::default();
        census.record(Entity::Person, "Ada Lovelace");
        census.record(Entity::Person, "Zoë Müller");
        census.record(Entity::Person, "Grace Hopper");
        // Another spelling of a name already recorded keeps the first one.
        census.record(Entity::Person, "ZOË MÜLLER");
        assert_eq!(
            census
                .spelled_like(Entity::Person, "Gráce Hopper")
                .as_deref(),
            Some("Grace Hopper")
        );
        assert_eq!(
            census
                .spelled_like(Entity::Person, "ZoÃ« MÃ¼ller")
                .as_deref(),
            Some("Zoë Müller")
        );
        assert_eq!(
            census.spelled_like(Entity::Person, "zoe muller").as_deref(),
            Some("Zoë Müller")
        );
        assert_eq!(census.spelled_like(Entity::Person, "Zoë Müller"), None);
        assert_eq!(census.spelled_like(Entity::Person, "Ada Lovelace"), None);
        assert_eq!(
            census.spelled_like(Entity::Organization, "zoe muller"),
            None
        );
    }

    #[test]
    fn shared_names_make_links_ambiguous() {
        let mut census = NameCensus::default();
        census.record(Entity::Person, "John Smith");
        census.record(Entity::Person, "john  smith");
        census.record(Entity::Person, "Ada");
        census.link(Entity::Person, "John Smith");
        census.link(Entity::Person, "Ada");
        assert_eq!(
            census.ambiguous(),
            vec![(Entity::Person, "John Smith".to_string(), 2, 1)]
        );
    }
}
