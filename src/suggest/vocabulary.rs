//! The names each target is known by: synonyms from `assets/suggest/synonyms.yaml` (column
//! names the CRMs' exports use, and localised headers), plus every field's own name.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::normalize::{normalize, token_set};
use crate::entity::{Entity, Target};
use crate::schema::{EntitySchema, Field, Schema};

const SYNONYMS: &str = include_str!("../../assets/suggest/synonyms.yaml");
const PIPEDRIVE_LABELS: &str = include_str!("../../assets/suggest/pipedrive_labels.yaml");

/// The CRM whose entries `pipedrive_labels.yaml` holds (for leave-one-CRM-out).
const PIPEDRIVE: &str = "pipedrive";

#[derive(Deserialize)]
struct PipedriveLabelsFile {
    #[allow(dead_code)]
    version: u32,
    languages: BTreeMap<String, PipedriveLanguage>,
}

#[derive(Deserialize)]
struct PipedriveLanguage {
    #[allow(dead_code)]
    sources: Vec<String>,
    labels: BTreeMap<String, Vec<String>>,
}

fn pipedrive_labels_file() -> PipedriveLabelsFile {
    serde_yaml::from_str(PIPEDRIVE_LABELS)
        .expect("assets/suggest/pipedrive_labels.yaml is checked by the test suite")
}

/// The UI languages whose Pipedrive export labels pipemap knows ("de", "es", "fr", "pt").
pub fn pipedrive_label_languages() -> Vec<String> {
    pipedrive_labels_file().languages.into_keys().collect()
}

/// Adds Pipedrive's export labels of every UI language to the synonyms.
fn with_pipedrive_labels(
    mut synonyms: BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    for language in pipedrive_labels_file().languages.into_values() {
        for (target, labels) in language.labels {
            let names = synonyms.entry(target).or_default();
            for label in labels {
                if !names.contains(&label) {
                    names.push(label);
                }
            }
        }
    }
    synonyms
}

#[derive(Deserialize)]
struct SynonymsFile {
    #[allow(dead_code)]
    version: u32,
    targets: BTreeMap<String, Vec<String>>,
    /// CRM → target id → the entries of `targets` that are that CRM's own spelling.
    #[serde(default)]
    origins: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

fn synonyms_file() -> SynonymsFile {
    serde_yaml::from_str(SYNONYMS)
        .expect("assets/suggest/synonyms.yaml is checked by the test suite")
}

/// The synonyms of each target id, as written in the assets (not yet normalized): synonyms.yaml
/// and Pipedrive's own export labels in every UI language (pipedrive_labels.yaml).
pub fn builtin_synonyms() -> BTreeMap<String, Vec<String>> {
    with_pipedrive_labels(synonyms_file().targets)
}

/// The synonyms without the entries that came from one CRM's own documentation or exports
/// (the asset's `origins`), to measure how pipemap reads a CRM it was never shown.
pub fn builtin_synonyms_without(crm: &str) -> BTreeMap<String, Vec<String>> {
    let file = synonyms_file();
    let held_back = file.origins.get(crm);
    let targets = if crm == PIPEDRIVE {
        file.targets
    } else {
        with_pipedrive_labels(file.targets)
    };
    targets
        .into_iter()
        .map(|(target, names)| {
            let own = held_back.and_then(|o| o.get(&target));
            let kept = names
                .into_iter()
                .filter(|n| !own.is_some_and(|own| own.contains(n)))
                .collect();
            (target, kept)
        })
        .collect()
}

/// The CRMs the asset's `origins` names, with how many entries each contributed.
pub fn synonym_origins() -> BTreeMap<String, usize> {
    synonyms_file()
        .origins
        .into_iter()
        .map(|(crm, targets)| (crm, targets.values().map(Vec::len).sum()))
        .collect()
}

/// One place a column can go: a field, or one label of a multi-valued field.
#[derive(Debug, Clone)]
pub struct Slot {
    pub target: Target,
    /// Pipedrive's field_type.
    pub field_type: String,
    /// The field's key.
    pub key: String,
    /// Position of the label among the field's labels (0 for single-valued fields).
    pub label_rank: usize,
}

/// A known name of a slot, and how strongly it points there.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub slot: usize,
    pub strength: f64,
}

/// A normalized known name with its words, ready for containment and fuzzy checks.
#[derive(Debug, Clone)]
pub struct KnownName {
    pub text: String,
    /// The sorted, de-duplicated words.
    pub tokens: Vec<String>,
    pub hit: Hit,
}

/// Everything needed to score column names against one entity's targets.
#[derive(Debug)]
pub struct Vocabulary {
    pub entity: Entity,
    pub slots: Vec<Slot>,
    /// Normalized name → the slots it names.
    pub exact: HashMap<String, Vec<Hit>>,
    /// Sorted word sets → the slots they name (for reordered words).
    pub by_tokens: HashMap<Vec<String>, Vec<Hit>>,
    /// Every normalized name, for fuzzy comparison.
    pub names: Vec<KnownName>,
}

impl Vocabulary {
    /// Builds the vocabulary of one entity from the schema and the synonym lists.
    pub fn build(schema: &EntitySchema, synonyms: &BTreeMap<String, Vec<String>>) -> Vocabulary {
        let mut vocabulary = Vocabulary {
            entity: schema.entity,
            slots: Vec::new(),
            exact: HashMap::new(),
            by_tokens: HashMap::new(),
            names: Vec::new(),
        };
        for field in &schema.fields {
            if field.key == "id" {
                // The Pipedrive System ID exists only after import; source ids never go there.
                continue;
            }
            vocabulary.add_field(field, synonyms);
        }
        vocabulary
    }

    fn add_field(&mut self, field: &Field, synonyms: &BTreeMap<String, Vec<String>>) {
        let entity = self.entity;
        let base_id = format!("{entity}.{}", field.key);
        let labels: Vec<Option<&str>> = if field.multi && !field.labels.is_empty() {
            field.labels.iter().map(|l| Some(l.as_str())).collect()
        } else {
            vec![None]
        };
        let first_slot = self.slots.len();
        for (rank, label) in labels.iter().enumerate() {
            self.slots.push(Slot {
                target: Target::Field {
                    entity,
                    key: field.key.clone(),
                    label: label.map(str::to_string),
                },
                field_type: field.field_type.clone(),
                key: field.key.clone(),
                label_rank: rank,
            });
        }
        // Names of the whole field point at every label, the first label most strongly.
        // The field's own name and key count only where the asset says nothing of the field,
        // so the asset can keep a misleading name out ("Title" of a lead is not its title in
        // most CRMs' lead exports, it is the person's job title).
        let listed = synonyms
            .keys()
            .any(|k| k == &base_id || k.starts_with(&format!("{base_id}:")));
        let mut base_names: Vec<String> = synonyms.get(&base_id).cloned().unwrap_or_default();
        if !listed {
            base_names.push(field.name.clone());
            if !field.custom {
                base_names.push(field.key.replace("_id", ""));
            }
        }
        for name in &base_names {
            for rank in 0..labels.len() {
                // A label's own names ("work email") outrank the field's general ones ("email").
                let strength = 0.99 - 0.03 * rank as f64;
                self.add_name(
                    name,
                    Hit {
                        slot: first_slot + rank,
                        strength,
                    },
                );
            }
        }
        for (rank, label) in labels.iter().enumerate() {
            let Some(label) = label else { continue };
            let names = synonyms.get(&format!("{base_id}:{label}"));
            for name in names.into_iter().flatten() {
                self.add_name(
                    name,
                    Hit {
                        slot: first_slot + rank,
                        strength: 1.0,
                    },
                );
            }
        }
    }

    fn add_name(&mut self, name: &str, hit: Hit) {
        let normalized = normalize(name);
        if normalized.is_empty() {
            return;
        }
        push_best(self.exact.entry(normalized.clone()).or_default(), hit);
        let tokens: Vec<String> = token_set(&normalized)
            .into_iter()
            .map(str::to_string)
            .collect();
        push_best(self.by_tokens.entry(tokens.clone()).or_default(), hit);
        if !self
            .names
            .iter()
            .any(|n| n.text == normalized && n.hit.slot == hit.slot)
        {
            self.names.push(KnownName {
                text: normalized,
                tokens,
                hit,
            });
        }
    }
}

/// Keeps one hit per slot, the strongest.
fn push_best(hits: &mut Vec<Hit>, hit: Hit) {
    match hits.iter_mut().find(|h| h.slot == hit.slot) {
        Some(existing) => existing.strength = existing.strength.max(hit.strength),
        None => hits.push(hit),
    }
}

/// Vocabularies for every entity of a schema, built once and reused.
#[derive(Debug)]
pub struct Vocabularies {
    pub by_entity: Vec<Vocabulary>,
}

impl Vocabularies {
    /// Builds every entity's vocabulary with the bundled synonyms.
    pub fn new(schema: &Schema) -> Vocabularies {
        Vocabularies::with_synonyms(schema, &builtin_synonyms())
    }

    /// Every entity's vocabulary without the synonyms that came from one CRM
    /// (leave-one-CRM-out evaluation).
    pub fn without_crm(schema: &Schema, crm: &str) -> Vocabularies {
        Vocabularies::with_synonyms(schema, &builtin_synonyms_without(crm))
    }

    /// Every entity's vocabulary from the given synonym lists.
    pub fn with_synonyms(
        schema: &Schema,
        synonyms: &BTreeMap<String, Vec<String>>,
    ) -> Vocabularies {
        Vocabularies {
            by_entity: schema
                .entities
                .iter()
                .map(|e| Vocabulary::build(e, synonyms))
                .collect(),
        }
    }

    /// The vocabulary of one entity.
    pub fn get(&self, entity: Entity) -> Option<&Vocabulary> {
        self.by_entity.iter().find(|v| v.entity == entity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_synonym_names_a_known_target() {
        let schema = Schema::builtin();
        for (target, names) in builtin_synonyms() {
            let parsed: Target = target.parse().unwrap_or_else(|e| panic!("{target}: {e}"));
            let field = schema
                .field(&parsed.without_label())
                .unwrap_or_else(|| panic!("synonyms name {target}, which the schema lacks"));
            if let Target::Field {
                label: Some(label), ..
            } = &parsed
            {
                assert!(field.labels.contains(label), "{target}: no such label");
            }
            assert!(!names.is_empty(), "{target} has no synonyms");
        }
    }

    #[test]
    fn every_origin_entry_is_a_synonym_and_is_held_back_for_its_crm() {
        let synonyms = builtin_synonyms();
        let file = synonyms_file();
        assert!(file.origins.len() >= 8, "origins name too few CRMs");
        for (crm, targets) in &file.origins {
            let without = builtin_synonyms_without(crm);
            for (target, names) in targets {
                let listed = synonyms
                    .get(target)
                    .unwrap_or_else(|| panic!("origins of {crm} name {target}, not in targets"));
                for name in names {
                    assert!(
                        listed.contains(name),
                        "{crm}: {target}: {name} is not in targets"
                    );
                    assert!(
                        !without[target].contains(name),
                        "{crm}: {name} not held back"
                    );
                }
            }
        }
        assert_eq!(builtin_synonyms_without("no such crm"), synonyms);
    }

    #[test]
    fn pipedrive_labels_name_known_targets_in_four_languages_at_least() {
        let schema = Schema::builtin();
        let file = pipedrive_labels_file();
        for language in ["de", "es", "fr", "pt"] {
            assert!(
                file.languages.contains_key(language),
                "no {language} labels"
            );
        }
        let without = builtin_synonyms_without(PIPEDRIVE);
        for (language, l) in &file.languages {
            assert!(!l.sources.is_empty(), "{language}: no sources");
            for (target, labels) in &l.labels {
                let parsed: Target = target.parse().unwrap_or_else(|e| panic!("{target}: {e}"));
                assert!(
                    schema.field(&parsed.without_label()).is_some(),
                    "{language}: {target}"
                );
                assert!(
                    synonyms_file().targets.contains_key(target),
                    "{target} lacks synonyms"
                );
                for label in labels {
                    assert!(
                        label.contains(" - "),
                        "{language}: {label} is not <Item> - <Field>"
                    );
                    assert!(!without[target].contains(label), "{label} not held back");
                }
            }
        }
    }
}
