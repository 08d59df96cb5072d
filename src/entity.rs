//! Pipedrive's item types and the mapping target ids written `<entity>.<key>[:<label>]`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::address::AddressPart;

/// One of the item types Pipedrive's spreadsheet import creates, in import order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Organization,
    Person,
    Deal,
    Lead,
    Activity,
    Note,
    Product,
}

impl Entity {
    /// Every entity, in the order Pipedrive recommends importing them.
    pub const ALL: [Entity; 7] = [
        Entity::Organization,
        Entity::Person,
        Entity::Deal,
        Entity::Lead,
        Entity::Activity,
        Entity::Note,
        Entity::Product,
    ];

    /// The id used in target ids and on the command line (`person`).
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Organization => "organization",
            Entity::Person => "person",
            Entity::Deal => "deal",
            Entity::Lead => "lead",
            Entity::Activity => "activity",
            Entity::Note => "note",
            Entity::Product => "product",
        }
    }

    /// The item name Pipedrive's UI and import wizard use (`Person`).
    pub fn title(self) -> &'static str {
        match self {
            Entity::Organization => "Organization",
            Entity::Person => "Person",
            Entity::Deal => "Deal",
            Entity::Lead => "Lead",
            Entity::Activity => "Activity",
            Entity::Note => "Note",
            Entity::Product => "Product",
        }
    }

    /// The plural a sentence uses (`persons`).
    pub fn plural(self) -> &'static str {
        match self {
            Entity::Organization => "organizations",
            Entity::Person => "persons",
            Entity::Deal => "deals",
            Entity::Lead => "leads",
            Entity::Activity => "activities",
            Entity::Note => "notes",
            Entity::Product => "products",
        }
    }

    /// The built-in address field of the entity's records: an organization's Address, a
    /// person's Postal address, an activity's Location.
    pub fn home_address_field(self) -> Option<&'static str> {
        match self {
            Entity::Organization => Some("address"),
            Entity::Person => Some("postal_address"),
            Entity::Activity => Some("location"),
            _ => None,
        }
    }

    /// The output file stem, numbered in import order (`02-persons`).
    pub fn file_stem(self) -> &'static str {
        match self {
            Entity::Organization => "01-organizations",
            Entity::Person => "02-persons",
            Entity::Deal => "03-deals",
            Entity::Lead => "04-leads",
            Entity::Activity => "05-activities",
            Entity::Note => "06-notes",
            Entity::Product => "07-products",
        }
    }

    /// The relation key other entities use to point at this one (`org_id`), if any.
    pub fn relation_key(self) -> Option<&'static str> {
        match self {
            Entity::Organization => Some("org_id"),
            Entity::Person => Some("person_id"),
            Entity::Deal => Some("deal_id"),
            Entity::Lead => Some("lead_id"),
            _ => None,
        }
    }

    /// The entity a relation key points at (`org_id` → organization).
    pub fn from_relation_key(key: &str) -> Option<Entity> {
        match key {
            "org_id" => Some(Entity::Organization),
            "person_id" => Some(Entity::Person),
            "deal_id" => Some(Entity::Deal),
            "lead_id" => Some(Entity::Lead),
            _ => None,
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entity name that pipemap does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown entity {0:?} (expected organization, person, deal, lead, activity, note or product)"
)]
pub struct UnknownEntity(pub String);

impl FromStr for Entity {
    type Err = UnknownEntity;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let entity = match lower.as_str() {
            "organization" | "organisation" | "organizations" | "org" | "company" | "companies" => {
                Entity::Organization
            }
            "person" | "persons" | "people" | "contact" | "contacts" => Entity::Person,
            "deal" | "deals" => Entity::Deal,
            "lead" | "leads" => Entity::Lead,
            "activity" | "activities" | "task" | "tasks" => Entity::Activity,
            "note" | "notes" => Entity::Note,
            "product" | "products" => Entity::Product,
            _ => return Err(UnknownEntity(s.to_string())),
        };
        Ok(entity)
    }
}

impl Serialize for Entity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Entity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a source column goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A field Pipedrive has (built-in, or an account's custom field known by its hash key).
    Field {
        entity: Entity,
        key: String,
        /// The label of a multi-valued field (`work` in `person.email:work`).
        label: Option<String>,
    },
    /// A custom field the user must create in Pipedrive before importing; with a part, one
    /// part of an address-type custom field (`organization.custom:Shipping address:city`).
    Custom {
        entity: Entity,
        name: String,
        part: Option<AddressPart>,
    },
    /// Deliberately left out.
    Skip,
    /// Kept in a note on the record ("Column: value"), which is also what happens to a column
    /// a profile does not mention; writing it down tells a later export the column is known.
    Note,
}

impl Target {
    /// A built-in or account field target without a label.
    pub fn field(entity: Entity, key: &str) -> Target {
        Target::Field {
            entity,
            key: key.to_string(),
            label: None,
        }
    }

    /// A custom field to create, whole (not an address part).
    pub fn custom(entity: Entity, name: &str) -> Target {
        Target::Custom {
            entity,
            name: name.to_string(),
            part: None,
        }
    }

    /// The address part this target fills: the label of an address field
    /// (`organization.address:city`) or the part of an address custom field.
    pub fn address_part(&self) -> Option<AddressPart> {
        match self {
            Target::Field {
                label: Some(label), ..
            } => label.parse().ok(),
            Target::Custom { part, .. } => *part,
            _ => None,
        }
    }

    /// The entity the target belongs to (None for `skip`).
    pub fn entity(&self) -> Option<Entity> {
        match self {
            Target::Field { entity, .. } | Target::Custom { entity, .. } => Some(*entity),
            Target::Skip | Target::Note => None,
        }
    }

    /// The field key (`email` for `person.email:work`), None for custom fields and skip.
    pub fn key(&self) -> Option<&str> {
        match self {
            Target::Field { key, .. } => Some(key),
            _ => None,
        }
    }

    /// The same field on another entity: a target of `from` becomes the target of the same key
    /// (or custom field) on `to` — how a split file's columns carry over to its other rows
    /// (Sell's companies take the owner, labels and custom fields of the contacts file).
    /// Targets of other entities stay as they are.
    pub fn moved(&self, from: Entity, to: Entity) -> Target {
        match self {
            Target::Field { entity, key, label } if *entity == from => Target::Field {
                entity: to,
                key: key.clone(),
                label: label.clone(),
            },
            Target::Custom { entity, name, part } if *entity == from => Target::Custom {
                entity: to,
                name: name.clone(),
                part: *part,
            },
            other => other.clone(),
        }
    }

    /// The same target without its label or address part (`person.email` for
    /// `person.email:work`, `organization.custom:Shipping address` for its city).
    pub fn without_label(&self) -> Target {
        match self {
            Target::Field { entity, key, .. } => Target::field(*entity, key),
            Target::Custom { entity, name, .. } => Target::custom(*entity, name),
            other => other.clone(),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Field {
                entity,
                key,
                label: None,
            } => write!(f, "{entity}.{key}"),
            Target::Field {
                entity,
                key,
                label: Some(label),
            } => write!(f, "{entity}.{key}:{label}"),
            Target::Custom {
                entity,
                name,
                part: None,
            } => write!(f, "{entity}.custom:{name}"),
            Target::Custom {
                entity,
                name,
                part: Some(part),
            } => write!(f, "{entity}.custom:{name}:{part}"),
            Target::Skip => f.write_str("skip"),
            Target::Note => f.write_str("note"),
        }
    }
}

/// A target id that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetParseError {
    #[error(
        "target {0:?} is not of the form <entity>.<key>[:<label>], <entity>.custom:<Name> or skip"
    )]
    Malformed(String),
    #[error("target {target:?}: {source}")]
    Entity {
        target: String,
        source: UnknownEntity,
    },
}

impl FromStr for Target {
    type Err = TargetParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("skip") {
            return Ok(Target::Skip);
        }
        if s.eq_ignore_ascii_case("note") {
            return Ok(Target::Note);
        }
        let malformed = || TargetParseError::Malformed(s.to_string());
        let (entity, rest) = s.split_once('.').ok_or_else(malformed)?;
        let entity: Entity = entity.parse().map_err(|e| TargetParseError::Entity {
            target: s.to_string(),
            source: e,
        })?;
        if let Some(name) = rest.strip_prefix("custom:") {
            // A trailing `:<part>` names one part of an address custom field.
            let (name, part) = match name.rsplit_once(':') {
                Some((name, part)) => match part.parse::<AddressPart>() {
                    Ok(part) => (name, Some(part)),
                    Err(_) => (rest.trim_start_matches("custom:"), None),
                },
                None => (name, None),
            };
            let name = name.trim();
            if name.is_empty() {
                return Err(malformed());
            }
            return Ok(Target::Custom {
                entity,
                name: name.to_string(),
                part,
            });
        }
        let (key, label) = match rest.split_once(':') {
            // Pipedrive's component keys (`locality`) read as the part's own id (`city`).
            Some((key, label)) if !label.trim().is_empty() => {
                let label = label.trim();
                let label = match label.parse::<AddressPart>() {
                    Ok(part) => part.as_str().to_string(),
                    Err(_) => label.to_string(),
                };
                (key, Some(label))
            }
            Some(_) => return Err(malformed()),
            None => (rest, None),
        };
        let key_ok = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !key_ok {
            return Err(malformed());
        }
        Ok(Target::Field {
            entity,
            key: key.to_string(),
            label,
        })
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_round_trip_through_text() {
        for text in [
            "person.email:work",
            "organization.name",
            "deal.custom:Sell ID",
            "organization.address:city",
            "organization.custom:Shipping address:postal_code",
            "deal.custom:Ratio: 2:1",
            "skip",
            "note",
            "person.0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
        ] {
            let target: Target = text.parse().unwrap();
            assert_eq!(target.to_string(), text);
        }
    }

    #[test]
    fn address_parts_read_from_either_spelling() {
        let t: Target = "organization.address:locality".parse().unwrap();
        assert_eq!(t.to_string(), "organization.address:city");
        assert_eq!(t.address_part(), Some(AddressPart::City));
        let t: Target = "person.custom:Home address:country".parse().unwrap();
        assert_eq!(t.address_part(), Some(AddressPart::Country));
        assert_eq!(t.without_label().to_string(), "person.custom:Home address");
        let t: Target = "person.email:work".parse().unwrap();
        assert_eq!(t.address_part(), None);
    }

    #[test]
    fn malformed_targets_are_refused() {
        for text in [
            "person",
            "person.",
            "planet.name",
            "person.e mail",
            "person.custom:",
            "person.email:",
        ] {
            assert!(text.parse::<Target>().is_err(), "{text} parsed");
        }
    }

    #[test]
    fn entity_names_accept_source_crm_vocabulary() {
        assert_eq!("contacts".parse::<Entity>().unwrap(), Entity::Person);
        assert_eq!("Tasks".parse::<Entity>().unwrap(), Entity::Activity);
        assert!("widget".parse::<Entity>().is_err());
    }
}
