//! Column names reduced to comparable words: accents folded, camelCase and snake_case split,
//! punctuation dropped, noise words removed.

use crate::entity::Entity;

pub use crate::source::names::normalize;

/// Words that name an entity when they open a column name ("Contact Email", "Deal Value").
pub fn entity_words(entity: Entity) -> &'static [&'static str] {
    match entity {
        // Pipedrive's exports open each header with the item's name in the UI's language
        // ("Organização - Nome", "Personne - Nom", "Negocio - Valor").
        Entity::Organization => &[
            "organization",
            "organisation",
            "company",
            "account",
            "org",
            "organizacao",
            "organizacion",
            "organizzazione",
            "organizacja",
            "organisatie",
        ],
        Entity::Person => &[
            "person", "contact", "people", "pessoa", "persona", "personne",
        ],
        Entity::Deal => &[
            "deal",
            "opportunity",
            "opp",
            "negocio",
            "affaire",
            "trato",
            "trattativa",
        ],
        Entity::Lead => &["lead", "prospecto"],
        Entity::Activity => &[
            "activity",
            "task",
            "event",
            "call",
            "atividade",
            "actividad",
            "activite",
            "aktivitat",
            "attivita",
        ],
        Entity::Note => &["note", "history", "nota", "notiz", "anotacao"],
        Entity::Product => &[
            "product", "item", "produto", "producto", "produit", "produkt", "prodotto",
        ],
    }
}

/// Whether a normalized name is only a word for the entity itself ("contact" in a contacts
/// file): its id column is the record's own id, not a reference.
pub fn names_own_entity(normalized: &str, entity: Entity) -> bool {
    entity_words(entity).contains(&normalized)
}

/// The name without a leading word for the file's own entity: in a contacts file
/// "contact email" is "email". A prefix for another entity ("account name") is kept, since
/// it names a link. Returns None when nothing was stripped or nothing would be left.
pub fn strip_own_prefix(normalized: &str, entity: Entity) -> Option<String> {
    let (first, rest) = normalized.split_once(' ')?;
    entity_words(entity)
        .contains(&first)
        .then(|| rest.to_string())
        .filter(|r| !r.is_empty())
}

/// The field a reference column names, when its header is built as one: an id suffix
/// (`OwnerId`, `assignee_id`, `Account ID`, `lead_source_id`, `industry_type_id`), or a nested
/// path whose last step is the referenced record's id or name (`party.name`, `company.id`)
/// or a list of linked records (`links.accounts`). Returns the normalized name of what is
/// referenced ("owner", "industry", "account"), or None when the header is not a reference.
pub fn referenced_field(name: &str) -> Option<String> {
    let trimmed = name.trim();
    if let Some((path, last)) = trimmed.rsplit_once('.') {
        let last_n = normalize(last);
        let path_n = normalize(path);
        if path_n.is_empty() {
            return None;
        }
        let words: Vec<&str> = path_n.split(' ').collect();
        let head = words.last().copied().unwrap_or_default();
        return match last_n.as_str() {
            "id" | "ids" | "name" | "display name" | "full name" | "title" | "label" => {
                Some(path_n.clone())
            }
            // `links.accounts`: the records a link list names, in the singular.
            _ if matches!(head, "links" | "link" | "relations" | "associations") => {
                Some(singular(&last_n))
            }
            _ => None,
        };
    }
    let normalized = normalize(trimmed);
    let base = normalized
        .strip_suffix(" ids")
        .or_else(|| normalized.strip_suffix(" id"))?;
    // `industry_type_id`, `lead_status_id`: the type/status table the id points into.
    let base = base
        .strip_suffix(" type")
        .filter(|b| !b.is_empty() && !b.ends_with(' '))
        .unwrap_or(base);
    (!base.is_empty()).then(|| base.to_string())
}

/// A plural word made singular the plain English way ("accounts" → "account").
fn singular(word: &str) -> String {
    match word.strip_suffix("ies") {
        Some(stem) if !stem.is_empty() => format!("{stem}y"),
        _ => match word.strip_suffix('s') {
            Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem.to_string(),
            _ => word.to_string(),
        },
    }
}

/// Splits a trailing number off a name: "email 2" → ("email", 2).
pub fn split_number(normalized: &str) -> (&str, Option<u32>) {
    match normalized.rsplit_once(' ') {
        Some((base, n)) => match n.parse::<u32>() {
            Ok(n) if n < 100 => (base, Some(n)),
            _ => (normalized, None),
        },
        None => (normalized, None),
    }
}

/// The sorted, de-duplicated words of a normalized name.
pub fn token_set(normalized: &str) -> Vec<&str> {
    let mut tokens: Vec<&str> = normalized.split(' ').filter(|t| !t.is_empty()).collect();
    tokens.sort_unstable();
    tokens.dedup();
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_reduce_to_plain_words() {
        assert_eq!(normalize("FirstName"), "first name");
        assert_eq!(normalize("first_name"), "first name");
        assert_eq!(normalize("  E-Mail Address "), "e mail address");
        assert_eq!(normalize("Prénom"), "prenom");
        assert_eq!(normalize("Person - Email - Work"), "person email work");
        assert_eq!(normalize("Industry__c"), "industry");
        assert_eq!(normalize("Email2"), "email 2");
        assert_eq!(normalize("Name of the company"), "name company");
    }

    #[test]
    fn only_the_files_own_entity_prefix_is_stripped() {
        assert_eq!(
            strip_own_prefix("contact email", Entity::Person).as_deref(),
            Some("email")
        );
        assert_eq!(strip_own_prefix("account name", Entity::Person), None);
        assert_eq!(strip_own_prefix("contact", Entity::Person), None);
    }

    #[test]
    fn reference_columns_name_the_field_they_reference() {
        assert_eq!(referenced_field("OwnerId").as_deref(), Some("owner"));
        assert_eq!(referenced_field("assignee_id").as_deref(), Some("assignee"));
        assert_eq!(referenced_field("Account ID").as_deref(), Some("account"));
        assert_eq!(
            referenced_field("industry_type_id").as_deref(),
            Some("industry")
        );
        assert_eq!(
            referenced_field("lead_source_id").as_deref(),
            Some("lead source")
        );
        assert_eq!(referenced_field("party.name").as_deref(), Some("party"));
        assert_eq!(
            referenced_field("links.accounts").as_deref(),
            Some("account")
        );
        assert_eq!(
            referenced_field("links.opportunities").as_deref(),
            Some("opportunity")
        );
        assert_eq!(referenced_field("value.currency"), None);
        assert_eq!(referenced_field("id"), None);
        assert_eq!(referenced_field("First Name"), None);
    }

    #[test]
    fn trailing_numbers_split_off() {
        assert_eq!(split_number("email 2"), ("email", Some(2)));
        assert_eq!(split_number("address line"), ("address line", None));
    }
}
