//! Links found by their values, across the files of one export: a column whose values are
//! another file's record ids links to that file's records, whatever its header says and in
//! whatever language (`ID da organização`, `AccountId`, `company_id`, `Regarding`). A column whose
//! ids fall in several files is one link to several kinds of record: with a sibling type column
//! (`taskable_type`, `Parent Type`) it becomes a link chosen per row by that column, without one
//! (Salesforce's `WhatId`, whose ids are unique across objects) a link to whichever file holds
//! the id.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::entity::{Entity, Target};
use crate::schema::Schema;
use crate::schema::is_record_id_name;

use super::normalize::normalize;
use super::{ColumnSuggestion, FileSuggestion, Tier};

/// A link the values propose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkProposal {
    /// The type column that names each row's kind of record (`taskable_type`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_column: Option<String>,
    /// With a type column: its values → the entity linked.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, Entity>,
    /// Without one: the entities whose files hold the ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Entity>,
    /// Sampled values found among the files' ids, and sampled values.
    pub found: usize,
    pub sampled: usize,
}

/// One file of the export, for the search.
pub struct FileValues<'a> {
    pub name: &'a str,
    pub headers: &'a [String],
    /// Sampled values, column by column (row `r` of each column is the same data row).
    pub columns: &'a [Vec<String>],
    /// Every value of the file's own id column, when it has one (read whole, not sampled).
    pub ids: Option<HashSet<String>>,
}

/// The column holding a record file's own ids: the one suggested as the source CRM's id
/// field, else a column named `id`.
pub fn own_id_column(suggestion: &FileSuggestion, headers: &[String]) -> Option<usize> {
    if !matches!(
        suggestion.entity,
        Entity::Organization | Entity::Person | Entity::Deal | Entity::Lead
    ) {
        return None;
    }
    suggestion
        .columns
        .iter()
        .position(|c| {
            matches!(&c.target, Some(Target::Custom { entity, name, part: None })
                if *entity == suggestion.entity && is_record_id_name(name, *entity))
        })
        .or_else(|| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case("id"))
        })
}

/// Words that say a header names a user of the CRM (an owner, a creator), not a record.
const USER_WORDS: &[&str] = &[
    "owner", "user", "users", "creator", "created", "modified", "updated", "assigned", "assignee",
    "author",
];

/// Words that say a header names a linked record, in the languages Pipedrive's exports use.
const LINK_WORDS: &[&str] = &[
    "id",
    "ids",
    "ref",
    "parent",
    "related",
    "regarding",
    "link",
    "linked",
    "organization",
    "organisation",
    "organizacao",
    "organizacion",
    "company",
    "account",
    "empresa",
    "firma",
    "unternehmen",
    "entreprise",
    "person",
    "pessoa",
    "persona",
    "personne",
    "contact",
    "contato",
    "contacto",
    "kontakt",
    "deal",
    "negocio",
    "affaire",
    "opportunity",
    "oportunidade",
    "oportunidad",
    "lead",
    "main",
    "primary",
];

/// The entity a type column's value names (`Accounts`, `Contact`, `Opportunities`, `deal`).
fn entity_named(value: &str) -> Option<Entity> {
    let lower = value.trim().to_lowercase();
    let word = lower.trim_end_matches('s');
    let entity = match word {
        "account" | "compan" | "company" | "companie" | "organization" | "organisation" | "org" => {
            Entity::Organization
        }
        "contact" | "person" | "people" | "individual" => Entity::Person,
        "opportunit" | "opportunitie" | "opportunity" | "deal" => Entity::Deal,
        "lead" => Entity::Lead,
        _ => return lower.parse().ok(),
    };
    Some(entity)
}

/// The words a header shares with its sibling: `taskable_type` and `taskable_id` share
/// `taskable`; `Parent Type` and `Parent ID` share `parent`.
fn stem(header: &str) -> Vec<String> {
    normalize(header)
        .split(' ')
        .filter(|w| !w.is_empty() && !matches!(*w, "id" | "ids" | "type" | "kind" | "object"))
        .map(str::to_string)
        .collect()
}

/// Proposes links by value in every file's suggestions.
pub fn propose(files: &[FileValues<'_>], suggestions: &mut [FileSuggestion], schema: &Schema) {
    for g in 0..files.len() {
        let own_id = own_id_column(&suggestions[g], files[g].headers);
        for c in 0..files[g].headers.len() {
            if Some(c) == own_id {
                continue;
            }
            let Some((proposal, target)) = column_link(files, suggestions, g, c, schema) else {
                continue;
            };
            let s = &mut suggestions[g].columns[c];
            apply(s, proposal, target);
        }
    }
}

/// The link one column's values make, if they are ids of other files.
fn column_link(
    files: &[FileValues<'_>],
    suggestions: &[FileSuggestion],
    g: usize,
    c: usize,
    schema: &Schema,
) -> Option<(LinkProposal, Option<Target>)> {
    let values: HashSet<&str> = files[g]
        .columns
        .get(c)?
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    // Ids have no spaces; names mostly do. What decides is finding them among the ids of
    // another file.
    if values.is_empty() || values.iter().any(|v| v.contains(char::is_whitespace)) {
        return None;
    }
    let header = &files[g].headers[c];
    // Small numbers could be anything (amounts, counts): only a header that speaks of a link
    // lets them be ids.
    let numeric = values.iter().all(|v| v.chars().all(|c| c.is_ascii_digit()));
    let words = normalize(header);
    if numeric && !words.split(' ').any(|w| LINK_WORDS.contains(&w)) {
        return None;
    }
    // A user's id (`Contact Owner Id`, `Created By Id`) names no record of the export, even
    // where its numbers happen to be ids of one.
    if words.split(' ').any(|w| USER_WORDS.contains(&w)) {
        return None;
    }
    let entity = suggestions[g].entity;
    let mut found_in: Vec<(Entity, usize)> = Vec::new();
    let mut found: HashSet<&str> = HashSet::new();
    for (f, file) in files.iter().enumerate() {
        if f == g {
            continue;
        }
        let Some(ids) = &file.ids else { continue };
        let hits: Vec<&str> = values
            .iter()
            .copied()
            .filter(|v| ids.contains(*v))
            .collect();
        if hits.is_empty() {
            continue;
        }
        let to = suggestions[f].entity;
        let related = to
            .relation_key()
            .is_some_and(|key| schema.field(&Target::field(entity, key)).is_some());
        if !related {
            continue;
        }
        match found_in.iter_mut().find(|(e, _)| *e == to) {
            Some((_, n)) => *n += hits.len(),
            None => found_in.push((to, hits.len())),
        }
        found.extend(hits);
    }
    // Most values must be ids of the files (an export may leave some linked records out:
    // those links are reported as unresolved, never written as names).
    if found_in.is_empty() || found.len() < 2.min(values.len()) || found.len() * 2 < values.len() {
        return None;
    }
    let mut proposal = LinkProposal {
        type_column: None,
        types: BTreeMap::new(),
        any_of: Vec::new(),
        found: found.len(),
        sampled: values.len(),
    };
    if let [(to, _)] = found_in.as_slice() {
        let key = to.relation_key()?;
        return Some((proposal, Some(Target::field(entity, key))));
    }
    // Ids of several files: a sibling column naming the kind of record, else any of them.
    let stem_c = stem(header);
    let type_column = files[g].headers.iter().enumerate().find_map(|(t, h)| {
        if t == c || stem(h) != stem_c {
            return None;
        }
        let kinds: HashSet<&str> = files[g]
            .columns
            .get(t)?
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        let types: BTreeMap<String, Entity> = kinds
            .iter()
            .filter_map(|k| entity_named(k).map(|e| (k.to_lowercase(), e)))
            .collect();
        (!types.is_empty() && types.len() == kinds.len()).then(|| (h.clone(), types))
    });
    match type_column {
        Some((column, types)) => {
            proposal.type_column = Some(column);
            proposal.types = types;
        }
        None => proposal.any_of = found_in.iter().map(|(e, _)| *e).collect(),
    }
    Some((proposal, None))
}

/// Rewrites a column's suggestion with the link its values make.
fn apply(s: &mut ColumnSuggestion, proposal: LinkProposal, target: Option<Target>) {
    let share = format!(
        "{}/{} sampled values found",
        proposal.found, proposal.sampled
    );
    let holders = |entities: &[Entity]| -> Vec<String> {
        entities.iter().map(|e| e.plural().to_string()).collect()
    };
    let reason = match (&target, &proposal.type_column) {
        (Some(t), _) => format!(
            "links by ID to the {} of the export ({share})",
            t.key()
                .and_then(Entity::from_relation_key)
                .map_or("records", Entity::plural)
        ),
        (None, Some(column)) => {
            let entities: Vec<Entity> = proposal.types.values().copied().collect();
            format!(
                "links by ID to {}, the kind named by “{column}” ({share})",
                holders(&entities).join(", ")
            )
        }
        (None, None) => format!(
            "links by ID to any of the {} ({share})",
            holders(&proposal.any_of).join(", ")
        ),
    };
    let confidence = if proposal.found == proposal.sampled {
        0.95
    } else {
        0.9
    };
    let mut alternatives: Vec<Target> = s
        .target
        .iter()
        .chain(&s.alternatives)
        .filter(|t| Some(*t) != target.as_ref())
        .cloned()
        .collect();
    alternatives.truncate(3);
    *s = ColumnSuggestion {
        column: s.column.clone(),
        target,
        confidence,
        tier: Tier::of(confidence),
        alternatives,
        reason,
        field_type: None,
        link: Some(proposal),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::stats::profile_column;
    use crate::suggest::suggest_file;
    use crate::suggest::vocabulary::Vocabularies;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    struct Fixture {
        names: Vec<String>,
        headers: Vec<Vec<String>>,
        rows: Vec<Vec<Vec<String>>>,
        entities: Vec<Entity>,
    }

    fn run(f: &Fixture) -> Vec<FileSuggestion> {
        let schema = Schema::builtin();
        let vocab = Vocabularies::new(&schema);
        let mut suggestions: Vec<FileSuggestion> = (0..f.names.len())
            .map(|i| {
                let columns: Vec<_> = f.headers[i]
                    .iter()
                    .enumerate()
                    .map(|(c, h)| {
                        let values: Vec<String> = f.rows[i].iter().map(|r| r[c].clone()).collect();
                        profile_column(h, c, &values)
                    })
                    .collect();
                suggest_file(&vocab, &f.names[i], Some(f.entities[i]), &columns)
            })
            .collect();
        let columns: Vec<Vec<Vec<String>>> = (0..f.names.len())
            .map(|i| {
                (0..f.headers[i].len())
                    .map(|c| f.rows[i].iter().map(|r| r[c].clone()).collect())
                    .collect()
            })
            .collect();
        let values: Vec<FileValues> = (0..f.names.len())
            .map(|i| {
                let id = own_id_column(&suggestions[i], &f.headers[i]);
                FileValues {
                    name: &f.names[i],
                    headers: &f.headers[i],
                    columns: &columns[i],
                    ids: id.map(|c| columns[i][c].iter().cloned().collect()),
                }
            })
            .collect();
        propose(&values, &mut suggestions, &schema);
        suggestions
    }

    fn rows(items: &[&[&str]]) -> Vec<Vec<String>> {
        items.iter().map(|r| strings(r)).collect()
    }

    #[test]
    fn an_id_column_in_another_language_links_by_its_values() {
        let f = Fixture {
            names: strings(&["organizacoes.csv", "pessoas.csv"]),
            headers: vec![
                strings(&["ID", "Nome"]),
                strings(&["ID", "Nome", "ID da organização", "Número de funcionários"]),
            ],
            rows: vec![
                rows(&[&["12", "Acme"], &["4881", "Beta"], &["77", "Gamma"]]),
                rows(&[
                    &["1", "Ana", "12", "12"],
                    &["2", "Rui", "4881", "4881"],
                    &["3", "Eva", "77", "77"],
                ]),
            ],
            entities: vec![Entity::Organization, Entity::Person],
        };
        let s = run(&f);
        let link = &s[1].columns[2];
        assert_eq!(link.target, Some("person.org_id".parse().unwrap()));
        assert_eq!(link.tier, Tier::High);
        assert!(
            link.reason.contains("3/3 sampled values found"),
            "{}",
            link.reason
        );
        // Numbers under a header that speaks of no link are not taken for ids.
        assert_ne!(
            s[1].columns[3].target,
            Some("person.org_id".parse().unwrap())
        );
    }

    #[test]
    fn a_users_id_links_to_no_record_whose_id_it_shares() {
        // Zoho's own ids glued to the entity (ACCOUNTID), and owners' ids that are also
        // numbers among the accounts' ids.
        let f = Fixture {
            names: strings(&["Accounts.csv", "Contacts.csv"]),
            headers: vec![
                strings(&["ACCOUNTID", "Account Name", "Account Owner Id"]),
                strings(&["CONTACTID", "Last Name", "Contact Owner Id", "Account Id"]),
            ],
            rows: vec![
                rows(&[
                    &["1", "Acme", "2"],
                    &["2", "Beta", "3"],
                    &["3", "Gamma", "2"],
                ]),
                rows(&[
                    &["10", "Tucker", "2", "3"],
                    &["11", "Aguilar", "3", "1"],
                    &["12", "Lee", "1", "2"],
                ]),
            ],
            entities: vec![Entity::Organization, Entity::Person],
        };
        let s = run(&f);
        assert_eq!(
            s[1].columns[3].target,
            Some("person.org_id".parse().unwrap())
        );
        assert_ne!(
            s[1].columns[2].target,
            Some("person.org_id".parse().unwrap())
        );
    }

    #[test]
    fn ids_of_several_files_with_a_type_column_link_by_that_column() {
        let f = Fixture {
            names: strings(&["accounts.csv", "opportunities.csv", "calls.csv"]),
            headers: vec![
                strings(&["id", "name"]),
                strings(&["id", "name", "account_id"]),
                strings(&["id", "subject", "parent_type", "parent_id"]),
            ],
            rows: vec![
                rows(&[&["a1b2c3d4-0001", "Acme"], &["a1b2c3d4-0002", "Beta"]]),
                rows(&[
                    &["f9e8d7c6-0001", "Big deal", "a1b2c3d4-0001"],
                    &["f9e8d7c6-0002", "Small deal", "a1b2c3d4-0002"],
                ]),
                rows(&[
                    &["c1", "Call Acme", "Accounts", "a1b2c3d4-0001"],
                    &[
                        "c2",
                        "Call about the deal",
                        "Opportunities",
                        "f9e8d7c6-0002",
                    ],
                ]),
            ],
            entities: vec![Entity::Organization, Entity::Deal, Entity::Activity],
        };
        let s = run(&f);
        let link = s[2].columns[3].link.clone().expect("a link");
        assert_eq!(link.type_column.as_deref(), Some("parent_type"));
        assert_eq!(link.types["accounts"], Entity::Organization);
        assert_eq!(link.types["opportunities"], Entity::Deal);
        assert_eq!(s[1].columns[2].target, Some("deal.org_id".parse().unwrap()));
    }

    #[test]
    fn ids_of_several_files_without_a_type_column_link_to_whichever_holds_the_id() {
        let f = Fixture {
            names: strings(&["Account.csv", "Contact.csv", "Task.csv"]),
            headers: vec![
                strings(&["Id", "Name"]),
                strings(&["Id", "LastName"]),
                strings(&["Id", "Subject", "WhoId"]),
            ],
            rows: vec![
                rows(&[&["001bm00001ZL8U9AAL", "Acme"]]),
                rows(&[&["003bm00000AbCdEfGH", "Lee"]]),
                rows(&[
                    &["00Tbm0000001", "Call", "001bm00001ZL8U9AAL"],
                    &["00Tbm0000002", "Mail", "003bm00000AbCdEfGH"],
                ]),
            ],
            entities: vec![Entity::Organization, Entity::Person, Entity::Activity],
        };
        let s = run(&f);
        let link = s[2].columns[2].link.clone().expect("a link");
        assert_eq!(link.type_column, None);
        assert_eq!(link.any_of, vec![Entity::Organization, Entity::Person]);
        assert_eq!(s[2].columns[2].target, None);
        assert_eq!(s[2].columns[2].tier, Tier::High);
    }

    #[test]
    fn type_column_values_name_entities_in_crm_words() {
        assert_eq!(entity_named("Accounts"), Some(Entity::Organization));
        assert_eq!(entity_named("Opportunities"), Some(Entity::Deal));
        assert_eq!(entity_named("Contact"), Some(Entity::Person));
        assert_eq!(entity_named("deal"), Some(Entity::Deal));
        assert_eq!(entity_named("Cases"), None);
    }
}
