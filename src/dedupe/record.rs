//! A source row as duplicate detection sees it: the mapped values that say who or what the record
//! is, and a stable identity that decisions are keyed by.

use std::collections::HashMap;
use std::sync::Arc;

use crate::address::AddressPart;
use crate::entity::{Entity, Target};
use crate::values::{join_name, split_full_name, split_labels, split_multi};

use super::keys::{email_key, fingerprint, phone_key, stable_hash};
use super::{DedupeError, MatchKey};

/// One record of the entity being de-duplicated, with its mapped values as written in the
/// source (trimmed; normalising is the engine's business, so the review shows what the user
/// will see in the export).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DedupeRecord {
    /// The 1-based data row of the source (the header is not a row).
    pub row: u64,
    /// The record's stable identity: the source CRM's id, else `h:` and a hash of its key
    /// values; unique within one file (a repeat gets `#2`, `#3`…).
    pub identity: String,
    /// The full name (person, lead contact) or the organisation's name.
    pub name: String,
    /// A person's first name (split from `name` when only that is mapped).
    pub first_name: String,
    /// A person's last name.
    pub last_name: String,
    /// Every e-mail address, as written.
    pub emails: Vec<String>,
    /// Every phone number, as written.
    pub phones: Vec<String>,
    /// The organisation a person or lead belongs to.
    pub organization: Option<String>,
    /// The web site (an organisation's, or one stored on a person).
    pub website: Option<String>,
    /// The city.
    pub city: Option<String>,
    /// The postal address.
    pub address: Option<String>,
    /// Labels (tags), united on merge.
    pub labels: Vec<String>,
    /// Other mapped values compared as corroboration (birthday, job title, zip code, custom
    /// fields): the target id and the value.
    pub extras: Vec<(Arc<str>, String)>,
}

/// What a mapped column contributes to a [`DedupeRecord`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Slot {
    Name,
    FirstName,
    LastName,
    Email,
    Phone,
    Organization,
    Website,
    City,
    Address,
    Label,
    Extra(Arc<str>),
}

/// Builds [`DedupeRecord`]s of one entity from source rows, given where each column goes.
/// Keeps the identities it handed out, so that two rows with the same id or the same content
/// still get distinct identities.
#[derive(Debug)]
pub struct RecordBuilder {
    entity: Entity,
    slots: Vec<(usize, Slot)>,
    id_column: Option<usize>,
    identities: Identities,
}

/// The identities handed out so far: a repeated one gets a `#2`, `#3` … suffix.
#[derive(Debug, Default)]
pub struct Identities {
    /// The identities' hashes: hashed again cheaply (they are hashes already).
    seen: rustc_hash::FxHashSet<u64>,
    repeats: HashMap<String, u32>,
}

impl Identities {
    /// Makes `identity` unique among those handed out, and hands it out.
    pub fn unique(&mut self, identity: String) -> String {
        if self.seen.insert(stable_hash(&identity)) {
            return identity;
        }
        let n = self.repeats.entry(identity.clone()).or_insert(1);
        loop {
            *n += 1;
            let next = format!("{identity}#{n}");
            if self.seen.insert(stable_hash(&next)) {
                return next;
            }
        }
    }
}

impl RecordBuilder {
    /// A builder for records of `entity` from columns mapped to `targets` (column index and
    /// target). `headers` are the file's column names: the record's identity comes from the
    /// column mapped to `<entity>.custom:<X> ID`, else from a column named `id`.
    pub fn new(
        entity: Entity,
        targets: &[(usize, Target)],
        headers: &[String],
    ) -> Result<RecordBuilder, DedupeError> {
        super::check_entity(entity)?;
        let mut slots = Vec::new();
        let mut id_column = None;
        for (column, target) in targets {
            if let Target::Custom {
                entity: e,
                name,
                part: None,
            } = target
                && *e == entity
                && is_id_name(name)
                && id_column.is_none()
            {
                id_column = Some(*column);
                continue;
            }
            if let Some(slot) = slot_for(entity, target) {
                slots.push((*column, slot));
            }
        }
        let id_column = id_column.or_else(|| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case("id"))
        });
        Ok(RecordBuilder {
            entity,
            slots,
            id_column,
            identities: Identities::default(),
        })
    }

    /// This builder reduced to the columns the exact form of `keys` reads (e-mails, phones,
    /// the web site, an organization's name), when the identity comes from an id column: its
    /// records then carry the same identity and the same exact keys as full ones, for a
    /// fraction of the work, which matters on a first read of a million rows that keeps only
    /// those. Without an id column the identity hashes the whole record, so nothing is left out.
    pub fn for_exact_keys(mut self, keys: &[MatchKey]) -> RecordBuilder {
        if self.id_column.is_none() {
            return self;
        }
        let has = |k: MatchKey| keys.contains(&k);
        let entity = self.entity;
        self.slots.retain(|(_, slot)| match slot {
            Slot::Email => has(MatchKey::Email) || has(MatchKey::Domain),
            Slot::Phone => has(MatchKey::Phone),
            Slot::Website => has(MatchKey::Domain),
            Slot::Name => has(MatchKey::Name) && entity == Entity::Organization,
            _ => false,
        });
        self
    }

    /// The source columns the builder reads.
    pub fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.slots.iter().map(|(c, _)| *c).chain(self.id_column)
    }

    /// True when the mapping gives the engine something to compare on.
    pub fn has_keys(&self) -> bool {
        self.slots.iter().any(|(_, s)| {
            matches!(
                s,
                Slot::Name | Slot::FirstName | Slot::LastName | Slot::Email | Slot::Phone
            )
        })
    }

    /// The record for data row `row` (1-based) whose cells `cell(i)` gives.
    pub fn build<'a>(&mut self, row: u64, cell: impl Fn(usize) -> Option<&'a str>) -> DedupeRecord {
        let mut r = self.draft(row, cell);
        r.identity = self.identities.unique(std::mem::take(&mut r.identity));
        r
    }

    /// The record for data row `row`, its identity as the row gives it: not yet made unique
    /// among the records built (`Identities::unique` does that, in row order). Drafts of many
    /// rows can be made at once, on several threads.
    pub fn draft<'a>(&self, row: u64, cell: impl Fn(usize) -> Option<&'a str>) -> DedupeRecord {
        let mut r = DedupeRecord {
            row,
            ..DedupeRecord::default()
        };
        let set = |field: &mut String, value: &str| {
            if field.is_empty() {
                *field = value.to_string();
            } else {
                *field = join_name(field, value);
            }
        };
        for (column, slot) in &self.slots {
            let Some(value) = cell(*column).map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            match slot {
                Slot::Name => set(&mut r.name, value),
                Slot::FirstName => set(&mut r.first_name, value),
                Slot::LastName => set(&mut r.last_name, value),
                Slot::Email => r
                    .emails
                    .extend(split_multi(value).into_iter().map(String::from)),
                Slot::Phone => r
                    .phones
                    .extend(split_multi(value).into_iter().map(String::from)),
                Slot::Organization => fill(&mut r.organization, value),
                Slot::Website => fill(&mut r.website, value),
                Slot::City => fill(&mut r.city, value),
                Slot::Address => fill(&mut r.address, value),
                Slot::Label => r.labels.extend(split_labels(value, ",")),
                Slot::Extra(field) => r.extras.push((field.clone(), value.to_string())),
            }
        }
        if self.entity != Entity::Organization {
            if r.first_name.is_empty() && r.last_name.is_empty() && !r.name.is_empty() {
                (r.first_name, r.last_name) = split_full_name(&r.name);
            } else if r.name.is_empty() {
                r.name = join_name(&r.first_name, &r.last_name);
            }
        }
        let source_id = self
            .id_column
            .and_then(&cell)
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let identity = match source_id {
            Some(id) => id.to_string(),
            None => format!("h:{:016x}", stable_hash(&content_key(&r))),
        };
        r.identity = identity;
        r
    }
}

fn fill(field: &mut Option<String>, value: &str) {
    if field.is_none() {
        *field = Some(value.to_string());
    }
}

/// The values a content identity is made of: the ones that say who the record is, normalised,
/// so a re-export with other timestamps or column order gives the same identity.
fn content_key(r: &DedupeRecord) -> String {
    let mut emails: Vec<String> = r.emails.iter().filter_map(|e| email_key(e)).collect();
    emails.sort();
    let mut phones: Vec<String> = r.phones.iter().filter_map(|p| phone_key(p)).collect();
    phones.sort();
    [
        fingerprint(&r.name),
        emails.join(","),
        phones.join(","),
        r.organization
            .as_deref()
            .map(fingerprint)
            .unwrap_or_default(),
        r.city.as_deref().map(fingerprint).unwrap_or_default(),
        r.website.as_deref().map(fingerprint).unwrap_or_default(),
        r.address.as_deref().map(fingerprint).unwrap_or_default(),
    ]
    .join("\u{1f}")
}

/// A custom field that holds the source record's id ("Sell ID", "id", "rec_id").
fn is_id_name(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    lower
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|last| last == "id")
}

/// Where a target's values go for records of `entity`; None for values that say nothing about
/// identity (owner, visibility, timestamps, statuses, notes) or belong to another record.
/// How a merge treats the values a column maps to `target` on records of `entity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeField {
    /// E-mails, phones and labels: every member's values are united.
    United,
    /// One value is kept, chosen per field under this key (the key a decision's `fields`
    /// names, as the Duplicates screen shows it: `name`, `org_id`, `website`, `city`,
    /// `address`, `job_title`, `custom:Zip code` …).
    Chosen(String),
}

/// The merge treatment of `target` on records of `entity`: its compared field's key when the
/// duplicate finder reads it, else the target's own key.
pub fn merge_field(entity: Entity, target: &Target) -> MergeField {
    match slot_for(entity, target) {
        Some(slot) => slot
            .merge_key()
            .map_or(MergeField::United, MergeField::Chosen),
        None => MergeField::Chosen(target_key(&target.without_label().to_string())),
    }
}

impl Slot {
    /// The key a merge decision names this field by (the Duplicates screen shows the same);
    /// None for e-mails, phones and labels, which a merge unites.
    pub(super) fn merge_key(&self) -> Option<String> {
        let key = match self {
            Slot::Email | Slot::Phone | Slot::Label => return None,
            Slot::Name | Slot::FirstName | Slot::LastName => "name",
            Slot::Organization => "org_id",
            Slot::Website => "website",
            Slot::City => "city",
            Slot::Address => "address",
            Slot::Extra(target) => return Some(target_key(target)),
        };
        Some(key.to_string())
    }
}

/// A target id without its entity: `person.job_title` → `job_title`.
fn target_key(target: &str) -> String {
    target
        .split_once('.')
        .map_or(target, |(_, k)| k)
        .to_string()
}

fn slot_for(entity: Entity, target: &Target) -> Option<Slot> {
    let (e, key, custom) = match target {
        Target::Field { entity, key, .. } => (*entity, key.as_str(), None),
        Target::Custom { entity, name, .. } => (*entity, "", Some(name.as_str())),
        _ => return None,
    };
    // A lead row carries its person and organisation; their fields describe the lead's contact.
    let own = e == entity
        || (entity == Entity::Lead && e == Entity::Person)
        || (entity == Entity::Lead && e == Entity::Organization && key == "name");
    if !own {
        return None;
    }
    // An address's parts: the city and the street line as the compared city and address, the
    // others (postal code, state, country, house number) each compared on its own; a second
    // address (an address custom field) only ever on its own.
    if let Some(part) = target.address_part() {
        let primary = custom.is_none();
        return Some(match part {
            AddressPart::City if primary => Slot::City,
            AddressPart::Street | AddressPart::Full if primary => Slot::Address,
            _ => Slot::Extra(Arc::from(target.to_string())),
        });
    }
    if let Some(name) = custom {
        return custom_slot(name).or_else(|| {
            corroborates_name(name).then(|| Slot::Extra(Arc::from(target.to_string())))
        });
    }
    let slot = match (e, key) {
        (Entity::Organization, "name") if entity == Entity::Lead => Slot::Organization,
        (Entity::Organization | Entity::Person, "name") => Slot::Name,
        (Entity::Lead, "title") => Slot::Extra(Arc::from("lead.title")),
        (_, "first_name") => Slot::FirstName,
        (_, "last_name") => Slot::LastName,
        (_, "email") => Slot::Email,
        (_, "phone") => Slot::Phone,
        (_, "org_id") => Slot::Organization,
        (_, "address" | "postal_address") => Slot::Address,
        (_, "label") => Slot::Label,
        (_, "website") => Slot::Website,
        (_, "birthday" | "job_title") => Slot::Extra(Arc::from(target.without_label().to_string())),
        _ => return None,
    };
    Some(slot)
}

/// Custom fields that hold a contact value under another name ("Email", "Mobile", "Website").
fn custom_slot(name: &str) -> Option<Slot> {
    let lower = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["fax"]) {
        None
    } else if has(&["e-mail", "email", "mail address"]) {
        Some(Slot::Email)
    } else if has(&["phone", "mobile", "cell", "telephone"]) {
        Some(Slot::Phone)
    } else if has(&["website", "web site", "homepage", "url", "domain"]) {
        Some(Slot::Website)
    } else if has(&["city", "town", "suburb", "locality"]) {
        Some(Slot::City)
    } else if has(&["street", "address"]) {
        Some(Slot::Address)
    } else {
        None
    }
}

/// A custom field worth comparing: not bookkeeping that differs between copies of one record
/// (times, owners, statuses, notes).
fn corroborates_name(name: &str) -> bool {
    const VOLATILE: &[&str] = &[
        "created",
        "updated",
        "modified",
        "changed",
        "date",
        "time",
        "last",
        "owner",
        "creator",
        "status",
        "stage",
        "source",
        "tag",
        "tags",
        "note",
        "notes",
        "description",
        "comment",
        "comments",
        "score",
        "count",
        "private",
        "visibility",
        "visible",
        "activity",
        "display",
    ];
    let lower = name.to_lowercase();
    lower.contains("birth")
        || !lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| VOLATILE.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(s: &str) -> Target {
        s.parse().unwrap()
    }

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_addresss_parts_are_compared_as_city_address_and_each_on_its_own() {
        let h = headers(&["Name", "Street", "City", "Zip", "Ship city"]);
        let targets = vec![
            (0, target("organization.name")),
            (1, target("organization.address:street")),
            (2, target("organization.address:city")),
            (3, target("organization.address:postal_code")),
            (4, target("organization.custom:Shipping address:city")),
        ];
        let mut builder = RecordBuilder::new(Entity::Organization, &targets, &h).unwrap();
        let cells = ["Acme", "1 Main St", "Boston", "02139", "Leeds"];
        let r = builder.build(1, |i| cells.get(i).copied());
        assert_eq!(r.city.as_deref(), Some("Boston"));
        assert_eq!(r.address.as_deref(), Some("1 Main St"));
        let extras: Vec<(&str, &str)> = r
            .extras
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_str()))
            .collect();
        assert_eq!(
            extras,
            [
                ("organization.address:postal_code", "02139"),
                ("organization.custom:Shipping address:city", "Leeds"),
            ]
        );
    }

    #[test]
    fn a_person_row_becomes_a_record() {
        let h = headers(&[
            "Name", "Email", "Mobile", "Company", "City", "Sell ID", "Owner",
        ]);
        let targets = vec![
            (0, target("person.name")),
            (1, target("person.email:work")),
            (2, target("person.phone:mobile")),
            (3, target("person.org_id")),
            (4, target("person.custom:City")),
            (5, target("person.custom:Sell ID")),
            (6, target("person.owner_id")),
        ];
        let mut builder = RecordBuilder::new(Entity::Person, &targets, &h).unwrap();
        let cells = [
            "Roe, Jane",
            "jane@acme.com; j.roe@acme.com",
            "+1 512 555 0191",
            "Acme Inc.",
            "Austin",
            "70001",
            "Tom",
        ];
        let r = builder.build(3, |i| cells.get(i).copied());
        assert_eq!(r.row, 3);
        assert_eq!(r.identity, "70001");
        assert_eq!(
            (r.first_name.as_str(), r.last_name.as_str()),
            ("Jane", "Roe")
        );
        assert_eq!(r.emails, ["jane@acme.com", "j.roe@acme.com"]);
        assert_eq!(r.organization.as_deref(), Some("Acme Inc."));
        assert_eq!(r.city.as_deref(), Some("Austin"));
        assert!(r.extras.is_empty(), "{:?}", r.extras);
        // The same id again is made unique.
        let again = builder.build(4, |i| cells.get(i).copied());
        assert_eq!(again.identity, "70001#2");
    }

    #[test]
    fn without_an_id_the_identity_is_a_stable_content_hash() {
        let h = headers(&["First", "Last", "Email", "Created"]);
        let targets = vec![
            (0, target("person.first_name")),
            (1, target("person.last_name")),
            (2, target("person.email")),
            (3, target("person.add_time")),
        ];
        let mut a = RecordBuilder::new(Entity::Person, &targets, &h).unwrap();
        let mut b = RecordBuilder::new(Entity::Person, &targets, &h).unwrap();
        let one = a.build(1, |i| {
            ["Jane", "Roe", "JANE@acme.com", "2020"].get(i).copied()
        });
        let two = b.build(9, |i| {
            ["jane", "roe", "jane@acme.com ", "2024"].get(i).copied()
        });
        assert!(one.identity.starts_with("h:"));
        assert_eq!(one.identity, two.identity);
        assert_eq!(one.name, "Jane Roe");
    }

    #[test]
    fn custom_fields_are_sorted_into_contact_values_or_corroboration() {
        assert_eq!(custom_slot("Email"), Some(Slot::Email));
        assert_eq!(custom_slot("Mobile"), Some(Slot::Phone));
        assert_eq!(custom_slot("Website"), Some(Slot::Website));
        assert_eq!(custom_slot("Fax"), None);
        assert!(corroborates_name("Zip code"));
        assert!(corroborates_name("Date of birth"));
        assert!(corroborates_name("soc_sec_id"));
        assert!(!corroborates_name("Created at"));
        assert!(!corroborates_name("Customer status"));
        assert!(!corroborates_name("Last activity"));
    }
}
