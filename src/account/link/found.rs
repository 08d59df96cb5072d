//! The imported records read back from the account: their Pipedrive ids by source id (the
//! custom field every exported record carries) and by name, and how each link of a row
//! resolves against them.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::rows::Named;
use crate::entity::Entity;
use crate::transform::links::name_key;

/// What the account holds of the imported entities.
#[derive(Debug, Default)]
pub struct Found {
    by_source: HashMap<(Entity, String), Vec<Value>>,
    by_name: HashMap<(Entity, u64), Vec<Value>>,
    /// Records read per entity.
    pub counts: BTreeMap<Entity, u64>,
    /// Entities whose records were read with their source-id field.
    with_ids: std::collections::BTreeSet<Entity>,
}

/// The source id a record carries under `code`: in `custom_fields` as v2 answers, or at the
/// top as v1's leads carry it ("" when it has none).
pub fn source_text(record: &Value, code: &str) -> String {
    let value = match &record["custom_fields"][code] {
        Value::Null => &record[code],
        v => v,
    };
    match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// How one link resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Through the source id the record carries: exact.
    BySourceId(Value),
    /// By a name exactly one record of the account has.
    ByUniqueName(Value),
    /// Not resolvable, and why.
    Open(String),
}

impl Found {
    /// Adds one record as the API returned it: `id`, its name or title, and the source id
    /// under `id_code` (in `custom_fields`, as v2 answers, or at the top, as v1's leads do).
    pub fn add(&mut self, entity: Entity, record: &Value, id_code: Option<&str>) {
        let id = match &record["id"] {
            id @ (Value::Number(_) | Value::String(_)) => id.clone(),
            _ => return,
        };
        *self.counts.entry(entity).or_default() += 1;
        let name_key_field = if matches!(entity, Entity::Deal | Entity::Lead) {
            "title"
        } else {
            "name"
        };
        if let Some(name) = record[name_key_field].as_str()
            && !name.trim().is_empty()
        {
            self.by_name
                .entry((entity, name_key(name)))
                .or_default()
                .push(id.clone());
        }
        if let Some(code) = id_code {
            self.with_ids.insert(entity);
            let text = source_text(record, code);
            if !text.is_empty() {
                self.by_source.entry((entity, text)).or_default().push(id);
            }
        }
    }

    /// How a link resolves: by source id when the record carries it, else by a name exactly
    /// one record has; never a guess between several.
    pub fn resolve(&self, link: &Named) -> Resolution {
        if let Some(source) = &link.source_id {
            match self
                .by_source
                .get(&(link.entity, source.clone()))
                .map(Vec::as_slice)
            {
                Some([one]) => return Resolution::BySourceId(one.clone()),
                Some(many) if many.len() > 1 => {
                    return Resolution::Open(format!(
                        "{} {} in the account carry source id {source} (imported twice?)",
                        many.len(),
                        link.entity.plural()
                    ));
                }
                // The records carry their source ids, and none carries this one: a name would
                // only find a namesake.
                _ if self.with_ids.contains(&link.entity) => {
                    return Resolution::Open(format!(
                        "no {} with source id {source} in the account (not imported yet, or merged into another by the import)",
                        link.entity
                    ));
                }
                _ => {}
            }
        }
        if self.counts.get(&link.entity).copied().unwrap_or(0) == 0 {
            return Resolution::Open(format!(
                "the account has no {} yet: import {} first",
                link.entity.plural(),
                link.entity.file_stem()
            ));
        }
        match self
            .by_name
            .get(&(link.entity, name_key(&link.name)))
            .map(Vec::as_slice)
        {
            Some([one]) if !link.name.is_empty() => Resolution::ByUniqueName(one.clone()),
            Some(many) if many.len() > 1 => Resolution::Open(format!(
                "{} {} share the name \"{}\"",
                many.len(),
                link.entity.plural(),
                link.name
            )),
            _ => Resolution::Open(format!(
                "no {} named \"{}\" in the account",
                link.entity, link.name
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn named(entity: Entity, name: &str, source: Option<&str>) -> Named {
        Named {
            entity,
            name: name.into(),
            source_id: source.map(String::from),
            own: true,
        }
    }

    #[test]
    fn two_namesakes_resolve_by_source_id_and_never_by_their_shared_name() {
        let mut found = Found::default();
        let code = "abc";
        found.add(
            Entity::Person,
            &json!({"id": 11, "name": "John Smith", "custom_fields": {"abc": "P1"}}),
            Some(code),
        );
        found.add(
            Entity::Person,
            &json!({"id": 12, "name": "John Smith", "custom_fields": {"abc": "P2"}}),
            Some(code),
        );
        found.add(
            Entity::Person,
            &json!({"id": 13, "name": "Ada Lovelace", "custom_fields": {"abc": null}}),
            Some(code),
        );
        assert_eq!(
            found.resolve(&named(Entity::Person, "John Smith", Some("P2"))),
            Resolution::BySourceId(json!(12))
        );
        let open = found.resolve(&named(Entity::Person, "John Smith", None));
        assert!(
            matches!(&open, Resolution::Open(why) if why.contains("2 persons share")),
            "{open:?}"
        );
        assert_eq!(
            found.resolve(&named(Entity::Person, "ada  lovelace", None)),
            Resolution::ByUniqueName(json!(13))
        );
        let none = found.resolve(&named(Entity::Deal, "Renewal", Some("D1")));
        assert!(matches!(&none, Resolution::Open(why) if why.contains("no deals yet")));
    }

    #[test]
    fn a_leads_source_id_is_read_where_v1_puts_custom_fields() {
        let mut found = Found::default();
        found.add(
            Entity::Lead,
            &json!({"id": "adf2-11eb", "title": "Lead", "abc": 42}),
            Some("abc"),
        );
        assert_eq!(
            found.resolve(&named(Entity::Lead, "other", Some("42"))),
            Resolution::BySourceId(json!("adf2-11eb"))
        );
    }
}
