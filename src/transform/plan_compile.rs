//! Compiling a profile's file mapping against a file: each column found by name (with its
//! sampled values) and given its rule, unmapped columns carried into notes, secrets left out,
//! the record's id column and a deal's status flags found, and a split's rules worked out.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::entity::{Entity, Target};
use crate::profile::{ColumnSpec, FileMapping, Profile, Split, SplitBy};
use crate::schema::{Schema, is_record_id_name};
use crate::source::kinds::ColumnKind;
use crate::source::stats::profile_column;
use crate::values::{StatusFlag, is_secret_column, status_flag};

use super::rule::{rule_for, translate};
use super::{FilePlan, PlanError, Rule};

/// Compiles one file mapping against a file's headers and sampled rows.
pub fn compile(
    file: &str,
    headers: &[String],
    sample: &[Vec<String>],
    mapping: &FileMapping,
    profile: &Profile,
    schema: &Schema,
) -> Result<FilePlan, PlanError> {
    let columns = Columns::new(file, headers, sample);
    let mapped = columns.rules(&mapping.columns, mapping.entity, profile, schema)?;
    let missing_columns = columns.missing(&mapping.columns);
    let secret_columns: Vec<String> = headers
        .iter()
        .filter(|h| is_secret_column(h))
        .cloned()
        .collect();
    let (mut rules, unmapped_columns) = notes_for_unmapped(mapped, headers, &secret_columns);
    let status_flags = match mapping.entity {
        Entity::Deal => columns.status_flags(&rules),
        _ => Vec::new(),
    };
    leave_out_secrets(&mut rules, headers);
    let (split, split_rules) = match &mapping.split {
        None => (None, Vec::new()),
        Some(split) => {
            let (column, rules) = columns.split(split, mapping.entity, &rules, profile, schema)?;
            (Some((column, split.then)), rules)
        }
    };
    Ok(FilePlan {
        file: file.to_string(),
        mapping: 0,
        headers: headers.to_vec(),
        entity: mapping.entity,
        split,
        split_by: mapping.split.as_ref().map_or(SplitBy::YesNo, |s| s.by),
        id_column: id_column(&rules, headers, mapping.entity),
        rules,
        split_rules,
        missing_columns,
        unmapped_columns,
        status_flags,
        secret_columns,
        slot_columns: Vec::new(),
        split_slot_columns: Vec::new(),
    })
}

/// A file's columns as a plan is compiled against them: found by name, with their sampled values.
pub(super) struct Columns<'a> {
    file: &'a str,
    headers: &'a [String],
    sample: &'a [Vec<String>],
    /// Each header's first column, by its ASCII-lowercased name: a profile's columns are found
    /// in one look-up each, not a scan of every header (linear in tens of thousands of columns).
    by_name: HashMap<String, usize>,
}

impl<'a> Columns<'a> {
    pub(super) fn new(file: &'a str, headers: &'a [String], sample: &'a [Vec<String>]) -> Self {
        let mut by_name = HashMap::with_capacity(headers.len());
        for (i, h) in headers.iter().enumerate() {
            by_name.entry(h.to_ascii_lowercase()).or_insert(i);
        }
        Columns {
            file,
            headers,
            sample,
            by_name,
        }
    }

    /// The column a profile names, ignoring case and surrounding spaces.
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        self.by_name.get(&name.trim().to_ascii_lowercase()).copied()
    }

    /// The sampled values of column `i`; a short row's missing cell reads as empty.
    pub(super) fn values(&self, i: usize) -> Vec<String> {
        self.sample
            .iter()
            .map(|r| r.get(i).cloned().unwrap_or_default())
            .collect()
    }

    fn error(&self, column: &str, message: String) -> PlanError {
        PlanError::Column {
            file: self.file.to_string(),
            column: column.to_string(),
            message,
        }
    }

    /// The rule of each column `specs` names, by column; None where the specs name none.
    fn rules(
        &self,
        specs: &IndexMap<String, ColumnSpec>,
        entity: Entity,
        profile: &Profile,
        schema: &Schema,
    ) -> Result<Vec<Option<Rule>>, PlanError> {
        let mut rules = vec![None; self.headers.len()];
        for (column, spec) in specs {
            let Some(i) = self.find(column) else { continue };
            rules[i] = Some(self.rule(column, i, spec, entity, profile, schema)?);
        }
        Ok(rules)
    }

    /// The rule for column `i`, which the profile calls `column`.
    fn rule(
        &self,
        column: &str,
        i: usize,
        spec: &ColumnSpec,
        entity: Entity,
        profile: &Profile,
        schema: &Schema,
    ) -> Result<Rule, PlanError> {
        let detail = spec.detail();
        if !detail.links.is_empty() {
            return Ok(Rule::LinkAny {
                to: detail.links.clone(),
            });
        }
        if let Some(type_column) = &detail.link_by {
            let type_index = self.find(type_column).ok_or_else(|| {
                let message = format!("link_by names {type_column:?}, which the file lacks");
                self.error(column, message)
            })?;
            let types = detail
                .types
                .iter()
                .map(|(k, v)| (k.trim().to_lowercase(), *v))
                .collect();
            return Ok(Rule::LinkBy {
                type_column: type_index,
                types,
            });
        }
        let target = detail
            .target
            .clone()
            .ok_or_else(|| self.error(column, "no target".into()))?;
        let values = self.values(i);
        let header = &self.headers[i];
        Ok(rule_for(
            &target, &detail, &values, header, entity, profile, schema,
        ))
    }

    /// The columns `specs` name that the file lacks.
    fn missing(&self, specs: &IndexMap<String, ColumnSpec>) -> Vec<String> {
        specs
            .keys()
            .filter(|c| self.find(c).is_none())
            .cloned()
            .collect()
    }

    /// A deal file's yes/no columns that say whether a deal is won or closed, unless the
    /// profile writes them to a built-in field or a link.
    fn status_flags(&self, rules: &[Rule]) -> Vec<(usize, StatusFlag)> {
        self.headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !sets_builtin_field(&rules[*i]))
            .filter_map(|(i, h)| status_flag(h).map(|f| (i, f)))
            // A "Closed" column of dates is no flag; a yes/no one is.
            .filter(|(i, _)| {
                profile_column(&self.headers[*i], 0, &self.values(*i)).kind == ColumnKind::Boolean
            })
            .collect()
    }

    /// The split column, and the rules of split rows: the split's own columns, the
    /// others carried over from the main entity's `rules`.
    fn split(
        &self,
        split: &Split,
        entity: Entity,
        rules: &[Rule],
        profile: &Profile,
        schema: &Schema,
    ) -> Result<(usize, Vec<Rule>), PlanError> {
        let column = self.find(&split.column).ok_or_else(|| {
            self.error(&split.column, "the split column is not in the file".into())
        })?;
        let own = self.rules(&split.columns, split.then, profile, schema)?;
        let mut translated: Vec<Rule> = rules
            .iter()
            .zip(own)
            .map(|(rule, own)| own.unwrap_or_else(|| translate(rule, entity, split.then, schema)))
            .collect();
        leave_out_secrets(&mut translated, self.headers);
        Ok((column, translated))
    }
}

/// Every column without a rule goes to the note; the unmapped ones other than secrets are
/// listed for the report.
pub(super) fn notes_for_unmapped(
    mapped: Vec<Option<Rule>>,
    headers: &[String],
    secret_columns: &[String],
) -> (Vec<Rule>, Vec<String>) {
    let mut unmapped = Vec::new();
    let rules = mapped
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| {
                if !secret_columns.contains(&headers[i]) {
                    unmapped.push(headers[i].clone());
                }
                Rule::Note
            })
        })
        .collect();
    (rules, unmapped)
}

/// The column holding the record's own id: the one the profile writes to an id-named custom
/// field of the entity, else one headed `id`.
pub(super) fn id_column(rules: &[Rule], headers: &[String], entity: Entity) -> Option<usize> {
    rules
        .iter()
        .position(|r| matches!(r, Rule::Set { target: Target::Custom { name, entity: e, part: None }, .. } if *e == entity && is_record_id_name(name, entity)))
        .or_else(|| headers.iter().position(|h| h.trim().eq_ignore_ascii_case("id")))
}

/// Secrets are never written, whatever a profile maps them to.
fn leave_out_secrets(rules: &mut [Rule], headers: &[String]) {
    for (rule, header) in rules.iter_mut().zip(headers) {
        if is_secret_column(header) {
            *rule = Rule::Skip;
        }
    }
}

/// Whether a rule writes a built-in field (then a flag column is the user's own business).
fn sets_builtin_field(rule: &Rule) -> bool {
    matches!(
        rule,
        Rule::Set {
            target: Target::Field { .. },
            ..
        } | Rule::Link { .. }
            | Rule::LinkBy { .. }
            | Rule::LinkAny { .. }
    )
}
