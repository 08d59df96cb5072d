//! Which CRM wrote a file, and which Pipedrive entity its rows become, from the header set
//! (and the file name, where it says something).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use super::normalize::normalize;
use super::vocabulary::Vocabularies;
use crate::entity::Entity;

const CRMS: &str = include_str!("../../assets/suggest/crms.yaml");

/// A source CRM and the header names that give it away.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crm {
    /// The preset name (`zendesk-sell`).
    pub id: String,
    /// The name users know (`Zendesk Sell`).
    pub name: String,
    /// Names the source-id custom field (`Sell` → "Sell ID").
    pub id_label: String,
    pub signatures: Vec<String>,
}

#[derive(Deserialize)]
struct CrmsFile {
    #[allow(dead_code)]
    version: u32,
    crms: Vec<Crm>,
}

/// Every CRM pipemap recognises.
pub fn crms() -> &'static [Crm] {
    static CACHE: OnceLock<Vec<Crm>> = OnceLock::new();
    CACHE.get_or_init(|| {
        let file: CrmsFile = serde_yaml::from_str(CRMS)
            .expect("assets/suggest/crms.yaml is checked by the test suite");
        file.crms
    })
}

/// The CRM whose signature columns the headers match most (two at least).
pub fn source_crm(headers: &[&str]) -> Option<&'static Crm> {
    // Exact spelling counts more than a normalised match: "Id" is Salesforce, "id" is not.
    let exact: HashSet<&str> = headers.iter().copied().collect();
    let normalized: HashSet<String> = headers.iter().map(|h| normalize(h)).collect();
    let mut best: Option<(&Crm, f64)> = None;
    for crm in crms() {
        let mut score = 0.0;
        let mut matched = 0;
        for sig in &crm.signatures {
            if exact.contains(sig.as_str()) {
                score += 1.0;
                matched += 1;
            } else if normalized.contains(&normalize(sig)) && crm.id != "salesforce" {
                score += 0.6;
                matched += 1;
            }
        }
        if matched >= 2 && best.is_none_or(|(_, s)| score > s) {
            best = Some((crm, score));
        }
    }
    best.map(|(crm, _)| crm)
}

/// The entity a file name points at (`contacts.csv` → person), if it says.
pub fn entity_from_file_name(file: &str) -> Option<Entity> {
    let name = file.rsplit(['/', '\\', '#']).next().unwrap_or(file);
    let stem = normalize(name.split('.').next().unwrap_or(name));
    let words: Vec<&str> = stem.split(' ').collect();
    let table: [(&[&str], Entity); 7] = [
        (
            &["contact", "contacts", "person", "persons", "people"],
            Entity::Person,
        ),
        (
            &[
                "company",
                "companies",
                "account",
                "accounts",
                "organization",
                "organizations",
                "organisation",
                "organisations",
                "orgs",
            ],
            Entity::Organization,
        ),
        (
            &["deal", "deals", "opportunity", "opportunities"],
            Entity::Deal,
        ),
        (&["lead", "leads"], Entity::Lead),
        (
            &[
                "task",
                "tasks",
                "activity",
                "activities",
                "event",
                "events",
                "calls",
                "appointments",
            ],
            Entity::Activity,
        ),
        (
            &["note", "notes", "history", "histories", "comments"],
            Entity::Note,
        ),
        (&["product", "products", "items"], Entity::Product),
    ];
    table
        .iter()
        .find(|(names, _)| words.iter().any(|w| names.contains(w)))
        .map(|(_, e)| *e)
}

/// Header names that single out an entity in any CRM's export.
fn entity_signatures(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Organization => &[
            "account name",
            "company name",
            "organization name",
            "industry",
            "annual revenue",
            "number employees",
            "employees",
            "website",
            "domain",
        ],
        Entity::Person => &[
            "first name",
            "last name",
            "is organisation",
            "job title",
            "mobile",
            "birthday",
            "salutation",
            "mailing street",
        ],
        Entity::Deal => &[
            "stage",
            "stage name",
            "deal stage",
            "amount",
            "close date",
            "closing date",
            "expected close date",
            "win probability",
            "probability",
            "deal name",
            "opportunity name",
            "pipeline",
        ],
        Entity::Lead => &["lead status", "lead source", "lead name", "status label"],
        Entity::Activity => &[
            "taskable type",
            "due date",
            "completed",
            "activity date",
            "subject",
            "due",
            "completed at",
            "who id",
        ],
        Entity::Note => &["noteable type", "body", "note", "content", "note content"],
        Entity::Product => &["product code", "sku", "unit price", "price", "unit"],
    }
}

/// Detects the entity from the file name and how well the headers fit each entity's fields.
pub fn entity(vocabularies: &Vocabularies, file: &str, headers: &[&str]) -> Entity {
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let mut best = (Entity::Person, f64::MIN);
    for vocabulary in &vocabularies.by_entity {
        let e = vocabulary.entity;
        let mut score = 0.0;
        for h in &normalized {
            if vocabulary.exact.contains_key(h) {
                score += 1.0;
            }
            if entity_signatures(e).contains(&h.as_str()) {
                score += 2.0;
            }
        }
        if entity_from_file_name(file) == Some(e) {
            score += 4.0 + headers.len() as f64 * 0.2;
        }
        if e == Entity::Product {
            score -= 1.0;
        }
        if score > best.1 {
            best = (e, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_point_at_entities() {
        assert_eq!(
            entity_from_file_name("export/Contact.csv"),
            Some(Entity::Person)
        );
        assert_eq!(
            entity_from_file_name("sell/tasks.csv"),
            Some(Entity::Activity)
        );
        assert_eq!(entity_from_file_name("Opportunity.csv"), Some(Entity::Deal));
        assert_eq!(
            entity_from_file_name("book.xlsx#Accounts"),
            Some(Entity::Organization)
        );
        assert_eq!(entity_from_file_name("data.csv"), None);
    }

    #[test]
    fn salesforce_and_sell_are_told_apart() {
        let sf = [
            "Id",
            "AccountId",
            "FirstName",
            "LastName",
            "OwnerId",
            "SystemModstamp",
        ];
        assert_eq!(source_crm(&sf).map(|c| c.id.as_str()), Some("salesforce"));
        let sell = [
            "id",
            "name",
            "is_organisation",
            "organisation_name",
            "email",
        ];
        assert_eq!(
            source_crm(&sell).map(|c| c.id.as_str()),
            Some("zendesk-sell")
        );
        assert!(source_crm(&["Name", "Email"]).is_none());
    }
}
