//! What Pipedrive's import requires of each entity's records, in one table: the export rejects
//! a row that lacks it (transform/row.rs), and the mapping UI's review warns before the export
//! of a mapping that cannot give it (tui/app/review.rs).

use crate::entity::{Entity, Target};

/// What the import requires of one entity's records.
#[derive(Debug)]
pub struct Requirement {
    pub entity: Entity,
    /// The field that names the record, when the import needs it.
    pub name: Option<&'static str>,
    /// Other targets the export derives the name from when the row leaves it empty
    /// (a person's name from first and last name; a lead's title from its organization or person).
    pub name_from: &'static [(Entity, &'static str)],
    /// Why a record without its name is rejected.
    pub without_name: &'static str,
    /// The record must link to one of these (empty: to nothing).
    pub link_one_of: &'static [Entity],
    /// Why a record linked to none of them is rejected.
    pub without_link: &'static str,
}

/// Every entity's requirement.
pub const REQUIRES: [Requirement; 7] = [
    Requirement {
        entity: Entity::Organization,
        name: Some("name"),
        name_from: &[],
        without_name: "organization without a name (Pipedrive's import skips it)",
        link_one_of: &[],
        without_link: "",
    },
    Requirement {
        entity: Entity::Person,
        name: Some("name"),
        name_from: &[
            (Entity::Person, "first_name"),
            (Entity::Person, "last_name"),
        ],
        without_name: "person without a name (Pipedrive's import skips it)",
        link_one_of: &[],
        without_link: "",
    },
    Requirement {
        entity: Entity::Deal,
        name: Some("title"),
        name_from: &[],
        without_name: "deal without a title",
        link_one_of: &[Entity::Person, Entity::Organization],
        without_link: "deal linked to no person or organization (Pipedrive's import needs one)",
    },
    Requirement {
        entity: Entity::Lead,
        name: Some("title"),
        name_from: &[
            (Entity::Organization, "name"),
            (Entity::Person, "name"),
            (Entity::Person, "first_name"),
            (Entity::Person, "last_name"),
            (Entity::Lead, "org_id"),
            (Entity::Lead, "person_id"),
        ],
        without_name: "lead without a title",
        link_one_of: &[Entity::Person, Entity::Organization],
        without_link: "lead linked to no person or organization (Pipedrive's import needs one)",
    },
    Requirement {
        entity: Entity::Activity,
        name: None,
        name_from: &[],
        without_name: "",
        link_one_of: &[],
        without_link: "",
    },
    Requirement {
        entity: Entity::Note,
        name: Some("content"),
        name_from: &[],
        without_name: "note without content",
        link_one_of: &[
            Entity::Deal,
            Entity::Person,
            Entity::Organization,
            Entity::Lead,
        ],
        without_link: "note linked to nothing (Pipedrive's import needs a deal, person, organization or lead)",
    },
    Requirement {
        entity: Entity::Product,
        name: Some("name"),
        name_from: &[],
        without_name: "product without a name (Pipedrive's import skips it)",
        link_one_of: &[],
        without_link: "",
    },
];

/// The requirement of `entity`'s records.
pub fn of(entity: Entity) -> &'static Requirement {
    REQUIRES
        .iter()
        .find(|r| r.entity == entity)
        .expect("the table holds every entity")
}

/// True when columns mapped to `targets` fill `entity`'s field `key`, directly or the way the
/// export derives it.
pub fn filled_by(targets: &[&Target], entity: Entity, key: &str) -> bool {
    let has = |e: Entity, k: &str| {
        targets
            .iter()
            .any(|t| t.entity() == Some(e) && t.key() == Some(k))
    };
    let requirement = of(entity);
    has(entity, key)
        || (requirement.name == Some(key) && requirement.name_from.iter().any(|&(e, k)| has(e, k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_has_one_requirement() {
        for e in Entity::ALL {
            assert_eq!(REQUIRES.iter().filter(|r| r.entity == e).count(), 1, "{e}");
            let r = of(e);
            assert_eq!(r.name.is_some(), !r.without_name.is_empty(), "{e}");
            assert_eq!(r.link_one_of.is_empty(), r.without_link.is_empty(), "{e}");
        }
    }

    #[test]
    fn a_name_is_filled_directly_or_by_what_the_export_derives_it_from() {
        let first = Target::field(Entity::Person, "first_name");
        let org = Target::field(Entity::Organization, "name");
        assert!(filled_by(&[&first], Entity::Person, "name"));
        assert!(!filled_by(&[&org], Entity::Person, "name"));
        assert!(filled_by(&[&org], Entity::Lead, "title"));
        assert!(!filled_by(&[&org], Entity::Deal, "title"));
        // Derivations fill only the name, not another mandatory field.
        assert!(!filled_by(&[&first], Entity::Person, "email"));
    }
}
