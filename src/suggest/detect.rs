//! Which CRM wrote a file, and which Pipedrive entity its rows become, from the header set
//! (and the file name, where it says something).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use super::normalize::normalize;
use super::vocabulary::Vocabularies;
use crate::entity::Entity;

const CRMS: &str = include_str!("../../assets/suggest/crms.yaml");

/// A source CRM and the evidence that gives it away.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crm {
    /// The preset name (`zendesk-sell`).
    pub id: String,
    /// The name users know (`Zendesk Sell`).
    pub name: String,
    /// Names the source-id custom field (`Sell` → "Sell ID").
    pub id_label: String,
    /// Headers only this CRM writes, compared as written.
    #[serde(default)]
    pub strong: Vec<String>,
    /// The CRM's own record id format, looked for in the values.
    #[serde(default)]
    pub id_format: Option<IdFormat>,
    /// How the CRM names its export files (`*` any text, `#` digits).
    #[serde(default)]
    pub file_names: Vec<String>,
    /// Column names of this CRM's exports that others may share: support, never alone.
    pub signatures: Vec<String>,
}

/// A CRM's own record id format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdFormat {
    /// 15 or 18 letters and digits starting with a standard object's key prefix.
    Salesforce,
    /// `zcrm_` and digits.
    Zoho,
    /// `lead_`, `cont_`, `oppo_`, `acti_`, `user_` and 20 or more letters and digits.
    Close,
}

/// Key prefixes of Salesforce's standard objects (Account 001, Note 002, Contact 003, User 005,
/// Opportunity 006, Lead 00Q, Task 00T, Event 00U, Campaign 701, Case 500, Contract 800,
/// Product2 01t, Pricebook2 01s, OpportunityContactRole 00K, Attachment 00P, Group 00G).
const SALESFORCE_PREFIXES: &[&str] = &[
    "001", "002", "003", "005", "006", "00Q", "00T", "00U", "701", "500", "800", "01t", "01s",
    "00K", "00P", "00G", "00D", "00E", "008", "017", "00k",
];

impl IdFormat {
    /// True when the value is an id of this format.
    pub fn fits(self, value: &str) -> bool {
        let v = value.trim();
        let alnum = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
        match self {
            IdFormat::Salesforce => {
                (v.len() == 15 || v.len() == 18)
                    && alnum(v)
                    && SALESFORCE_PREFIXES.contains(&&v[..3])
                    && v[3..].chars().any(|c| c.is_ascii_digit())
            }
            IdFormat::Zoho => v
                .strip_prefix("zcrm_")
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())),
            IdFormat::Close => ["lead_", "cont_", "oppo_", "acti_", "user_"]
                .iter()
                .any(|p| {
                    v.strip_prefix(p)
                        .is_some_and(|rest| rest.len() >= 20 && alnum(rest))
                }),
        }
    }
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

/// True when a file name (without folders) fits a pattern: `*` any text, `#` one or more
/// digits, other characters themselves (any case); the extension is not compared.
fn name_fits(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|i| name_fits(rest, &name[i..])),
        Some((b'#', rest)) => {
            let digits = name.iter().take_while(|c| c.is_ascii_digit()).count();
            (1..=digits).any(|i| name_fits(rest, &name[i..]))
        }
        Some((p, rest)) => name
            .split_first()
            .is_some_and(|(c, tail)| c.eq_ignore_ascii_case(p) && name_fits(rest, tail)),
    }
}

fn file_stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\', '#']).next().unwrap_or(file);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// What a file shows of the CRM that wrote it: its name, headers and some values per column.
#[derive(Debug, Clone, Copy)]
pub struct FileEvidence<'a> {
    pub file: &'a str,
    pub headers: &'a [&'a str],
    /// Example values of each column, in header order (may be empty).
    pub values: &'a [&'a [String]],
}

/// The CRM whose signature columns the headers match most (see [`source_crm_of`]).
pub fn source_crm(headers: &[&str]) -> Option<&'static Crm> {
    source_crm_of(&FileEvidence {
        file: "",
        headers,
        values: &[],
    })
}

/// The CRM that wrote a file, told by evidence that belongs to it: its own headers, its
/// record id format in the values, its file naming. Column names other CRMs write as well
/// only support that evidence: a file that shows nothing of a CRM's own is no one's.
pub fn source_crm_of(file: &FileEvidence) -> Option<&'static Crm> {
    let all = crms();
    let exact: HashSet<&str> = file.headers.iter().map(|h| h.trim()).collect();
    let normalized: HashSet<String> = file.headers.iter().map(|h| normalize(h)).collect();
    let stem = file_stem(file.file);
    let mut best: Option<(&Crm, f64)> = None;
    for crm in all {
        let mut strong = crm
            .strong
            .iter()
            .filter(|s| exact.contains(s.as_str()))
            .count() as f64;
        if let Some(format) = crm.id_format {
            // An id column: every example it shows is one of this CRM's ids.
            let ids = file.values.iter().any(|examples| {
                let filled: Vec<&String> =
                    examples.iter().filter(|v| !v.trim().is_empty()).collect();
                !filled.is_empty() && filled.iter().all(|v| format.fits(v))
            });
            if ids {
                strong += 2.0;
            }
        }
        if !stem.is_empty()
            && crm
                .file_names
                .iter()
                .any(|p| name_fits(p.as_bytes(), stem.as_bytes()))
        {
            strong += 1.0;
        }
        let shared = |sig: &str| {
            let n = normalize(sig);
            all.iter().any(|other| {
                other.id != crm.id
                    && other
                        .signatures
                        .iter()
                        .chain(&other.strong)
                        .any(|o| normalize(o) == n)
            })
        };
        let mut support = 0.0;
        for sig in &crm.signatures {
            if crm.strong.contains(sig) {
                continue;
            }
            if exact.contains(sig.as_str()) {
                support += if shared(sig) { 0.3 } else { 1.0 };
            } else if normalized.contains(&normalize(sig)) && !shared(sig) {
                support += 0.6;
            }
        }
        if strong < 1.0 || strong + support < 2.0 {
            continue;
        }
        let score = 2.0 * strong + support;
        if best.is_none_or(|(_, s)| score > s) {
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

    fn crm_of(file: &str, headers: &[&str], values: &[&[String]]) -> Option<&'static str> {
        source_crm_of(&FileEvidence {
            file,
            headers,
            values,
        })
        .map(|c| c.id.as_str())
    }

    #[test]
    fn a_lone_shared_word_names_no_crm() {
        // A SuiteCRM accounts export in display labels shares "Account Name", "Created By" and
        // "Modified By" with Zoho: that is not Zoho.
        let suite = [
            "ID",
            "Name",
            "Account Name",
            "Billing Street",
            "Billing City",
            "Created By",
            "Modified By",
            "Date Created",
            "Email Address",
        ];
        assert_eq!(crm_of("Accounts.csv", &suite, &[]), None);
        // Dynamics 365's contacts share "Company Name" and "Mobile Phone" with Copper; its own
        // "Address 1: City" and the "(Do Not Modify)" columns say Dynamics.
        let dynamics = [
            "(Do Not Modify) Contact",
            "(Do Not Modify) Row Checksum",
            "(Do Not Modify) Modified On",
            "Company Name",
            "Mobile Phone",
            "Address 1: City",
            "First Name",
        ];
        assert_eq!(crm_of("Contacts.csv", &dynamics, &[]), Some("dynamics365"));
        assert_eq!(
            crm_of(
                "Contacts.csv",
                &["Company Name", "Mobile Phone", "Full Name"],
                &[]
            ),
            None
        );
        // HubSpot writes "Record ID", Zoho "Record Id": the spelling tells them apart.
        let hubspot = [
            "Record ID",
            "First Name",
            "Lifecycle Stage",
            "Contact owner",
        ];
        assert_eq!(crm_of("contacts.csv", &hubspot, &[]), Some("hubspot"));
        let zoho = ["Record Id", "First Name", "Contact Owner", "Created Time"];
        assert_eq!(crm_of("contacts.csv", &zoho, &[]), Some("zoho"));
    }

    #[test]
    fn record_ids_and_file_names_are_evidence() {
        let ids = vec![
            "001bm00001ZL8U9AAL".to_string(),
            "001bm00001ZL8UAAA1".to_string(),
        ];
        let names = vec!["Edge".to_string(), "Burlington".to_string()];
        let values: [&[String]; 2] = [&ids, &names];
        // Plain "Id" and "Name" say nothing; Salesforce account ids (prefix 001) do.
        assert_eq!(crm_of("Account.csv", &["Id", "Name"], &[]), None);
        assert_eq!(
            crm_of("Account.csv", &["Id", "Name"], &values),
            Some("salesforce")
        );
        // Twelve characters that look like no Salesforce id.
        let other = vec!["001234567890".to_string()];
        assert_eq!(crm_of("a.csv", &["Id", "Name"], &[&other, &names]), None);
        let zoho = vec!["zcrm_4876876000000411001".to_string()];
        assert_eq!(
            crm_of(
                "export.csv",
                &["Record Id", "Account Name"],
                &[&zoho, &names]
            ),
            Some("zoho")
        );
        // Zoho names its module files Accounts_2026_02_10.csv; with one of its words, that is
        // Zoho's; the file name alone is not enough.
        assert_eq!(
            crm_of("Accounts_2026_02_10.csv", &["Account Name", "Phone"], &[]),
            Some("zoho")
        );
        assert_eq!(
            crm_of("Accounts_2026_02_10.csv", &["Name", "Phone"], &[]),
            None
        );
        assert!(name_fits(b"*-#-#", b"people-16279854-127"));
        assert!(!name_fits(b"*-#-#", b"people-export"));
    }
}
