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
            "person",
            "contact",
            "people",
            "pessoa",
            "persona",
            "personne",
            "contactpersoon",
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

/// How a reference column points at the record it references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// By the referenced record's id (`OwnerId`, `assignee_id`, `company.id`).
    Id,
    /// By its name or title (`assigned_user_name`, `Deal title`, `party.name`).
    Name,
    /// A list of linked records (`links.accounts`).
    List,
}

/// The field a reference column names, when its header is built as one: an id suffix
/// (`OwnerId`, `assignee_id`, `Account ID`, `lead_source_id`, `industry_type_id`), a name
/// suffix (`assigned_user_name`, `Deal title`), or a nested path whose last step is the
/// referenced record's id or name (`party.name`, `company.id`) or a list of linked records
/// (`links.accounts`). Returns the normalized name of what is referenced ("owner",
/// "industry", "account") and how, or None when the header is not a reference.
pub fn reference(name: &str) -> Option<(String, By)> {
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
            "id" | "ids" => Some((path_n.clone(), By::Id)),
            "name" | "display name" | "full name" | "title" | "label" => {
                Some((path_n.clone(), By::Name))
            }
            // `links.accounts`: the records a link list names, in the singular.
            _ if matches!(head, "links" | "link" | "relations" | "associations") => {
                Some((singular(&last_n), By::List))
            }
            _ => None,
        };
    }
    let normalized = normalize(trimmed);
    let (base, by) = if let Some(base) = normalized
        .strip_suffix(" ids")
        .or_else(|| normalized.strip_suffix(" id"))
    {
        (base, By::Id)
    } else if let Some(base) = normalized
        .strip_suffix(" name")
        .or_else(|| normalized.strip_suffix(" title"))
    {
        (base, By::Name)
    } else {
        return None;
    };
    // `industry_type_id`, `lead_status_id`: the type/status table the id points into.
    let base = base
        .strip_suffix(" type")
        .filter(|b| !b.is_empty() && !b.ends_with(' '))
        .unwrap_or(base);
    (!base.is_empty()).then(|| (base.to_string(), by))
}

/// The field a reference column names (see [`reference`]), without how it points there.
pub fn referenced_field(name: &str) -> Option<String> {
    reference(name).map(|(field, _)| field)
}

/// The column name without a table prefix for the file's own entity: an API export writes
/// `accounts.city`, `open_deals.amount`, `opportunities.BID_AMOUNT`, `tasks.CATEGORY_ID`,
/// and the part after the dot is the field. Returns None when the header has no such prefix.
pub fn own_table_field(name: &str, entity: Entity) -> Option<&str> {
    let (table, field) = name.trim().split_once('.')?;
    if field.trim().is_empty() {
        return None;
    }
    let table = normalize(table);
    let mut words: Vec<&str> = table.split(' ').collect();
    // A status or scope before the table (`open_deals`, `all_contacts`) says which rows.
    if words.len() == 2 && matches!(words[0], "open" | "won" | "lost" | "all" | "closed") {
        words.remove(0);
    }
    let [word] = words.as_slice() else {
        return None;
    };
    let own = entity_words(entity);
    (own.contains(word) || own.contains(&singular(word).as_str())).then_some(field)
}

/// Words that qualify a link without changing what it links to: "Associated Contact",
/// "Related account", "Associated Company (Primary)".
const LINK_QUALIFIERS: &[&str] = &["associated", "related", "linked"];

/// The name without link qualifiers ("associated company primary" → "company"), when it
/// had any; "primary" counts only as the last word, where it says which of several links.
pub fn without_link_qualifier(normalized: &str) -> Option<String> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let (first, rest) = words.split_first()?;
    if !LINK_QUALIFIERS.contains(first) || rest.is_empty() {
        return None;
    }
    let rest = match rest.split_last() {
        Some((&"primary", before)) if !before.is_empty() => before,
        _ => rest,
    };
    Some(rest.join(" "))
}

/// Words that give a unit or a time zone, not a meaning: "Call duration in seconds",
/// "date_created_utc", "Probability (%)".
const UNIT_WORDS: &[&str] = &[
    "in", "seconds", "secs", "minutes", "mins", "hours", "days", "utc", "gmt", "percent", "pct",
];

/// The name without unit and time-zone words, when it had any and something is left.
pub fn without_units(normalized: &str) -> Option<String> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !UNIT_WORDS.contains(w))
        .collect();
    (kept.len() < words.len() && !kept.is_empty()).then(|| kept.join(" "))
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
        assert_eq!(referenced_field("Phone"), None);
        assert_eq!(
            reference("assigned_user_name"),
            Some(("assigned user".to_string(), By::Name))
        );
        assert_eq!(
            reference("Contact Owner.id"),
            Some(("contact owner".to_string(), By::Id))
        );
        assert_eq!(reference("Deal title").map(|r| r.1), Some(By::Name));
        assert_eq!(reference("links.accounts").map(|r| r.1), Some(By::List));
    }

    #[test]
    fn header_structure_is_read_without_lists() {
        assert_eq!(normalize("c_date"), "created date");
        assert_eq!(normalize("udate"), "updated date");
        assert_eq!(normalize("org_name"), "organization name");
        assert_eq!(normalize("Est. revenue"), "estimated revenue");
        assert_eq!(normalize("date_entered"), "date created");
        assert_eq!(
            own_table_field("accounts.city", Entity::Organization),
            Some("city")
        );
        assert_eq!(
            own_table_field("open_deals.amount", Entity::Deal),
            Some("amount")
        );
        assert_eq!(own_table_field("accounts.city", Entity::Person), None);
        assert_eq!(own_table_field("value.currency", Entity::Deal), None);
        assert_eq!(
            without_link_qualifier("associated company primary").as_deref(),
            Some("company")
        );
        assert_eq!(without_link_qualifier("company"), None);
        assert_eq!(
            without_units("call duration in seconds").as_deref(),
            Some("call duration")
        );
        assert_eq!(without_units("duration"), None);
    }

    #[test]
    fn trailing_numbers_split_off() {
        assert_eq!(split_number("email 2"), ("email", Some(2)));
        assert_eq!(split_number("address line"), ("address line", None));
    }
}
