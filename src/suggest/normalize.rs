//! Column names reduced to comparable words: accents folded, camelCase and snake_case split,
//! punctuation dropped, noise words removed.

use crate::entity::Entity;

/// Words that carry no meaning in a column name.
const NOISE: &[&str] = &["the", "of", "a", "an", "your", "c"];

/// Lower-case ASCII words of a column name: `"Contact_FirstName (2)"` → `"contact first name 2"`.
pub fn normalize(name: &str) -> String {
    let folded = deunicode::deunicode(name);
    let mut spaced = String::with_capacity(folded.len() + 8);
    let mut prev: Option<char> = None;
    for c in folded.chars() {
        if let Some(p) = prev {
            let camel = p.is_ascii_lowercase() && c.is_ascii_uppercase();
            let digit_edge = (p.is_ascii_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_ascii_alphabetic());
            if camel || digit_edge {
                spaced.push(' ');
            }
        }
        spaced.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            ' '
        });
        prev = Some(c);
    }
    spaced
        .split_whitespace()
        .filter(|w| !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that name an entity when they open a column name ("Contact Email", "Deal Value").
fn entity_words(entity: Entity) -> &'static [&'static str] {
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
        ],
        Entity::Person => &[
            "person", "contact", "people", "pessoa", "persona", "personne",
        ],
        Entity::Deal => &["deal", "opportunity", "opp", "negocio", "affaire"],
        Entity::Lead => &["lead"],
        Entity::Activity => &[
            "activity",
            "task",
            "event",
            "call",
            "atividade",
            "actividad",
            "activite",
        ],
        Entity::Note => &["note", "history", "nota"],
        Entity::Product => &["product", "item", "produto", "producto", "produit"],
    }
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
    fn trailing_numbers_split_off() {
        assert_eq!(split_number("email 2"), ("email", Some(2)));
        assert_eq!(split_number("address line"), ("address line", None));
    }
}
