//! Value maps without a terminal: which mapped targets take fixed values, the distinct source
//! values that reach them, the Pipedrive values they may become, and suggestions by similarity.

use std::collections::BTreeMap;

use crate::entity::Target;
use crate::profile::ColumnSpec;
use crate::schema::Schema;

use super::project::{Mapping, SourceFile};

/// A Pipedrive value a source value can become.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueOption {
    /// What goes into the value map (`Pipeline/Qualified`, `call`, `jane@example.com`).
    pub value: String,
    /// How users know it (`Qualified`, `Call`, `Jane Roe`).
    pub label: String,
}

/// One target that takes fixed values, with the source values that reach it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueTarget {
    /// The value map's key: the target without its label.
    pub target: Target,
    /// The field's name as Pipedrive shows it.
    pub name: String,
    /// The columns mapped to it (`deals.csv: stage_name`).
    pub columns: Vec<String>,
    /// Distinct source values with counts, most common first.
    pub values: Vec<(String, u64)>,
    /// False while the background scan is still counting (the values come from the sample).
    pub complete: bool,
    pub options: Vec<ValueOption>,
}

impl ValueTarget {
    /// The value a source value maps to, if the profile maps it.
    pub fn mapped<'a>(&self, mapping: &'a Mapping, source: &str) -> Option<&'a String> {
        mapping.values.get(&self.target)?.get(source)
    }

    /// Source values with no value map entry and no option of the same name.
    pub fn unmapped<'a>(
        &'a self,
        mapping: &'a Mapping,
    ) -> impl Iterator<Item = &'a (String, u64)> + 'a {
        self.values.iter().filter(move |(v, _)| {
            self.mapped(mapping, v).is_none()
                && !self
                    .options
                    .iter()
                    .any(|o| fold(&o.value) == fold(v) || fold(&o.label) == fold(v))
        })
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// True when a target takes values from a fixed list, so it gets a value map.
pub fn takes_fixed_values(schema: &Schema, spec: &ColumnSpec) -> bool {
    let Some(target) = spec.target() else {
        return false;
    };
    // A custom field to create takes its options from the values themselves; `done` and the
    // busy flag are read as yes/no, not through a value map.
    match target {
        Target::Field { key, .. } if matches!(key.as_str(), "done" | "busy_flag") => false,
        Target::Field { .. } => schema
            .field(&target.without_label())
            .is_some_and(|f| f.takes_fixed_values() && !f.is_relation()),
        Target::Custom { .. } | Target::Skip | Target::Note => false,
    }
}

/// The separator a column's cells are split on before mapping, for label/set targets.
fn separator(schema: &Schema, spec: &ColumnSpec) -> Option<String> {
    let detail = spec.detail();
    let target = detail.target.as_ref()?;
    let set = target.key() == Some("label")
        || schema
            .field(&target.without_label())
            .is_some_and(|f| f.field_type == "set")
        || detail.field_type.as_deref() == Some("set");
    set.then(|| detail.split.clone().unwrap_or_else(|| ",".to_string()))
}

/// The Pipedrive values a target may take, from the schema and the account.
pub fn options_for(schema: &Schema, target: &Target) -> Vec<ValueOption> {
    let plain = |v: &str| ValueOption {
        value: v.to_string(),
        label: v.to_string(),
    };
    let Some(entity) = target.entity() else {
        return Vec::new();
    };
    let account = &schema.account;
    match target.key() {
        Some("stage_id") => account
            .pipelines
            .iter()
            .flat_map(|p| {
                p.stages.iter().map(move |s| ValueOption {
                    value: format!("{}/{}", p.name, s),
                    label: s.clone(),
                })
            })
            .collect(),
        Some("pipeline_id") => account.pipelines.iter().map(|p| plain(&p.name)).collect(),
        Some("owner_id" | "user_id") => account
            .users
            .iter()
            .map(|u| ValueOption {
                value: u.email.clone(),
                label: format!("{} <{}>", u.name, u.email),
            })
            .collect(),
        Some("type") if entity == crate::Entity::Activity => account
            .activity_types
            .iter()
            .map(|t| ValueOption {
                value: t.key.clone(),
                label: t.name.clone(),
            })
            .collect(),
        Some("label") => account.labels_of(entity).iter().map(|l| plain(l)).collect(),
        _ => schema
            .field(target)
            .map(|f| f.options.iter().map(|o| plain(o)).collect())
            .unwrap_or_default(),
    }
}

/// Every mapped target that takes fixed values, in file and column order, with the distinct
/// values of the columns that feed it (the background scan's counts, else the sample's).
pub fn value_targets(schema: &Schema, files: &[SourceFile], mapping: &Mapping) -> Vec<ValueTarget> {
    let mut out: Vec<ValueTarget> = Vec::new();
    for (file, choice) in files.iter().zip(&mapping.files) {
        for (i, (column, c)) in file.columns().iter().zip(&choice.columns).enumerate() {
            let Some(spec) = &c.spec else { continue };
            if !takes_fixed_values(schema, spec) {
                continue;
            }
            let Some(target) = spec.target().map(Target::without_label) else {
                continue;
            };
            let (raw, complete) = match file.distinct.as_ref().and_then(|d| d.get(i)) {
                Some(d) => (d.clone(), true),
                None => (
                    column
                        .top_values
                        .iter()
                        .map(|(v, n)| (v.clone(), *n as u64))
                        .collect(),
                    false,
                ),
            };
            let values = match separator(schema, spec) {
                Some(sep) => split_values(&raw, &sep),
                None => raw,
            };
            let entry = match out.iter().position(|t| t.target == target) {
                Some(p) => &mut out[p],
                None => {
                    let field = schema
                        .field(&target)
                        .map_or_else(|| target.to_string(), |f| f.name.clone());
                    let name = format!(
                        "{} {}",
                        target.entity().map_or("", |e| e.title()),
                        field.to_lowercase()
                    );
                    out.push(ValueTarget {
                        options: options_for(schema, &target),
                        target: target.clone(),
                        name,
                        columns: Vec::new(),
                        values: Vec::new(),
                        complete: true,
                    });
                    out.last_mut().expect("just pushed")
                }
            };
            entry
                .columns
                .push(format!("{}: {}", file.name, column.name));
            entry.complete &= complete;
            merge_counts(&mut entry.values, values);
        }
    }
    out
}

fn split_values(values: &[(String, u64)], sep: &str) -> Vec<(String, u64)> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for (v, n) in values {
        for item in v.split(sep).map(str::trim).filter(|s| !s.is_empty()) {
            *counts.entry(item.to_string()).or_default() += n;
        }
    }
    sorted(counts)
}

fn merge_counts(into: &mut Vec<(String, u64)>, more: Vec<(String, u64)>) {
    let mut counts: BTreeMap<String, u64> = into.drain(..).collect();
    for (v, n) in more {
        *counts.entry(v).or_default() += n;
    }
    *into = sorted(counts);
}

fn sorted(counts: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The option most like a source value, if any is alike enough.
pub fn suggest_value<'a>(source: &str, options: &'a [ValueOption]) -> Option<&'a ValueOption> {
    let s = fold(source);
    if s.is_empty() {
        return None;
    }
    let score = |o: &ValueOption| -> f64 {
        let label = fold(&o.label);
        let value = fold(&o.value);
        if label == s || value == s {
            return 1.0;
        }
        let contains =
            (label.len() >= 3 && s.contains(&label)) || (s.len() >= 3 && label.contains(&s));
        let jw = strsim::jaro_winkler(&s, &label).max(strsim::jaro_winkler(&s, &value));
        if contains { jw.max(0.86) } else { jw }
    };
    options
        .iter()
        .map(|o| (o, score(o)))
        .filter(|(_, sc)| *sc >= 0.85)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(o, _)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_values_are_suggested() {
        let schema = Schema::builtin();
        let stages = options_for(&schema, &"deal.stage_id".parse().unwrap());
        assert_eq!(
            suggest_value("qualified", &stages).map(|o| o.label.as_str()),
            Some("Qualified")
        );
        assert_eq!(
            suggest_value("Negotiation", &stages).map(|o| o.label.as_str()),
            Some("Negotiations Started")
        );
        assert!(suggest_value("Banana", &stages).is_none());
    }

    #[test]
    fn label_cells_are_split_before_counting() {
        let values = vec![("vip, lead".to_string(), 2), ("vip".to_string(), 1)];
        assert_eq!(
            split_values(&values, ","),
            vec![("vip".to_string(), 3), ("lead".to_string(), 2)]
        );
    }
}
