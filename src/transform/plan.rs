//! A profile compiled against the actual files: for every source column, exactly what happens to
//! its cells, and for every entity, the columns of its output file.

use std::collections::BTreeMap;

use crate::address::AddressPart;
use crate::entity::{Entity, Target};
use crate::profile::{ColumnSpec, FileMapping, Profile, SplitBy};
use crate::schema::{Schema, is_id_name};
use crate::source::Record;
use crate::source::kinds::ColumnKind;
use crate::source::stats::profile_column;
use crate::transform::layout::Slot;
use crate::values::{
    DateStyle, DayOrder, DecimalStyle, DurationUnit, StatusFlag, holds_codes, infer_date_style,
    infer_decimal_style, is_id_like, is_secret_column, status_flag,
};

/// How a cell's text becomes a Pipedrive value.
#[derive(Debug, Clone, PartialEq)]
pub enum Conv {
    Text,
    Email,
    Phone,
    /// A date-time, written in UTC when the text carries an offset.
    Date(DateStyle),
    /// A date-only field: the calendar day the source writes, never shifted to UTC.
    Day(DateStyle),
    /// A time of day, or a date and time whose date goes to the record's date field (an
    /// activity's due date) and whose time to its time field.
    Time(DateStyle),
    /// A length of time to `HH:MM`; bare numbers count the unit.
    Duration(DurationUnit),
    /// An amount, read in the column's decimal convention.
    Money(DecimalStyle),
    /// A currency code, name or symbol, read to its ISO 4217 code.
    Currency,
    /// A plain number, read in the column's decimal convention.
    Number(DecimalStyle),
    Bool,
    /// Through the profile's value map for this target; unknown values kept as written.
    Values,
    /// A list (tags) split on a separator, each item through the value map.
    Labels(String),
    /// One part of an address, kept as written unless it cannot be that part.
    AddressPart(AddressPart),
}

/// What happens to one source column.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Written to a field of an entity; `slot` is the output column it fills, worked out once.
    Set {
        target: Target,
        conv: Conv,
        slot: Slot,
    },
    /// A link to another record: the cell holds its id (from another file) or its name.
    /// `by_id` when the column holds ids — said by its header or by its values — so a value
    /// no file has is reported, never written as a name.
    Link { to: Entity, by_id: bool },
    /// A link by id to a record of one of several entities, the id telling which (ids unique
    /// across a CRM's objects: Salesforce's `WhatId`, GUIDs).
    LinkAny { to: Vec<Entity> },
    /// A link whose entity the `type_column` names per row; the cell holds the record's id.
    LinkBy {
        type_column: usize,
        types: BTreeMap<String, Entity>,
    },
    /// Deliberately left out.
    Skip,
    /// Not mapped: carried into the record's note as "Column: value".
    Note,
}

/// One source file, compiled.
#[derive(Debug, Clone)]
pub struct FilePlan {
    pub file: String,
    /// Which of the profile's file mappings this file matched.
    pub mapping: usize,
    pub headers: Vec<String>,
    pub entity: Entity,
    /// Rows the split column picks (by `split_by`) become this entity, with `split_rules`.
    pub split: Option<(usize, Entity)>,
    pub split_by: SplitBy,
    pub rules: Vec<Rule>,
    pub split_rules: Vec<Rule>,
    /// The column holding the record's own id in the source CRM.
    pub id_column: Option<usize>,
    /// Profile columns this file lacks.
    pub missing_columns: Vec<String>,
    /// File columns the profile does not mention (carried into notes).
    pub unmapped_columns: Vec<String>,
    /// Yes/no columns that say whether a deal is won or closed (`IsWon`, `IsClosed`), read
    /// for the deal's status whatever else the profile does with them.
    pub status_flags: Vec<(usize, StatusFlag)>,
    /// Columns whose values are secrets (passwords, tokens, keys, card numbers): never written,
    /// whatever the profile maps them to.
    pub secret_columns: Vec<String>,
}

impl FilePlan {
    /// True when `record` becomes the split's entity, by the value of its split column.
    pub fn is_split_row(&self, record: &Record) -> bool {
        self.split.is_some_and(|(column, then)| {
            let value = record.fields.get(column).unwrap_or("");
            self.split_by.takes(value, then)
        })
    }

    /// Output columns that hold one value and that the profile fills from two or more source
    /// columns (`Email: person.first_name` and `Email 2: person.first_name`): per target, its
    /// source columns in file order. The first with a value is written there; a different value
    /// of a later one joins the record's note. Left out: a currency (an amount and its own
    /// currency column may both set it) and fields that take several values.
    pub fn shared_targets(&self) -> Vec<(&Target, Vec<&str>)> {
        let mut by_slot: Vec<(&Slot, &Target, Vec<&str>)> = Vec::new();
        // Where each (slot, entity) sits in `by_slot`: one look-up per column.
        let mut index: std::collections::HashMap<(&Slot, Option<Entity>), usize> =
            std::collections::HashMap::new();
        for (rule, header) in self.rules.iter().zip(&self.headers) {
            let Rule::Set { target, slot, conv } = rule else {
                continue;
            };
            // E-mails and phones spill onto the field's next label, labels are joined: those
            // fields take more than one value.
            let many = matches!(conv, Conv::Email | Conv::Phone | Conv::Labels(_));
            if many || matches!(slot, Slot::Field { key, .. } if key == "currency") {
                continue;
            }
            // A field of a linked record (a person file's `organization.name`) has the same
            // slot as the record's own (`person.name`) but is another record's value.
            match index.get(&(slot, target.entity())) {
                Some(&at) => by_slot[at].2.push(header),
                None => {
                    index.insert((slot, target.entity()), by_slot.len());
                    by_slot.push((slot, target, vec![header]));
                }
            }
        }
        by_slot
            .into_iter()
            .filter(|(_, _, headers)| headers.len() > 1)
            .map(|(_, target, headers)| (target, headers))
            .collect()
    }

    /// The source's file name without its folders (`Contact.csv`), as examples name it.
    pub fn file_name(&self) -> String {
        std::path::Path::new(&self.file)
            .file_name()
            .map_or_else(|| self.file.clone(), |f| f.to_string_lossy().into_owned())
    }

    /// The columns read as numbers or money, each in the decimal convention of its values.
    pub fn decimal_columns(&self) -> Vec<usize> {
        let numeric = |r: &Rule| {
            matches!(
                r,
                Rule::Set {
                    conv: Conv::Money(_) | Conv::Number(_),
                    ..
                }
            )
        };
        (0..self.headers.len())
            .filter(|&i| {
                self.rules.get(i).is_some_and(numeric)
                    || self.split_rules.get(i).is_some_and(numeric)
            })
            .collect()
    }

    /// Sets the decimal convention of a number or money column, decided from all its values.
    pub fn set_decimal_style(&mut self, column: usize, style: DecimalStyle) {
        for rules in [&mut self.rules, &mut self.split_rules] {
            if let Some(Rule::Set {
                conv: Conv::Money(s) | Conv::Number(s),
                ..
            }) = rules.get_mut(column)
            {
                *s = style;
            }
        }
    }
}

/// A profile mapping that cannot be compiled against a file.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{file}: column {column:?}: {message}")]
    Column {
        file: String,
        column: String,
        message: String,
    },
}

/// Compiles one file mapping against a file's headers and sampled rows.
pub fn compile(
    file: &str,
    headers: &[String],
    sample: &[Vec<String>],
    mapping: &FileMapping,
    profile: &Profile,
    schema: &Schema,
) -> Result<FilePlan, PlanError> {
    // Each header's first column, by its ASCII-lowercased name: a profile's columns are found
    // in one look-up each, not a scan of every header (linear in tens of thousands of columns).
    let mut by_name: std::collections::HashMap<String, usize> =
        std::collections::HashMap::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        by_name.entry(h.to_ascii_lowercase()).or_insert(i);
    }
    let find = |name: &str| by_name.get(&name.trim().to_ascii_lowercase()).copied();
    let column_values = |i: usize| -> Vec<String> {
        sample
            .iter()
            .map(|r| r.get(i).cloned().unwrap_or_default())
            .collect()
    };
    let compile_set = |specs: &indexmap::IndexMap<String, ColumnSpec>,
                       entity: Entity|
     -> Result<Vec<Option<Rule>>, PlanError> {
        let mut rules = vec![None; headers.len()];
        for (column, spec) in specs {
            let Some(i) = find(column) else { continue };
            let err = |message: String| PlanError::Column {
                file: file.to_string(),
                column: column.clone(),
                message,
            };
            let detail = spec.detail();
            let rule = if !detail.links.is_empty() {
                Rule::LinkAny {
                    to: detail.links.clone(),
                }
            } else if let Some(type_column) = &detail.link_by {
                let type_index = find(type_column).ok_or_else(|| {
                    err(format!(
                        "link_by names {type_column:?}, which the file lacks"
                    ))
                })?;
                let types = detail
                    .types
                    .iter()
                    .map(|(k, v)| (k.trim().to_lowercase(), *v))
                    .collect();
                Rule::LinkBy {
                    type_column: type_index,
                    types,
                }
            } else {
                let target = detail
                    .target
                    .clone()
                    .ok_or_else(|| err("no target".into()))?;
                let values = column_values(i);
                rule_for(
                    &target,
                    &detail,
                    &values,
                    &headers[i],
                    entity,
                    profile,
                    schema,
                )
            };
            rules[i] = Some(rule);
        }
        Ok(rules)
    };
    let main = compile_set(&mapping.columns, mapping.entity)?;
    let missing_columns: Vec<String> = mapping
        .columns
        .keys()
        .filter(|c| find(c).is_none())
        .cloned()
        .collect();
    let mut unmapped_columns = Vec::new();
    let secret_columns: Vec<String> = headers
        .iter()
        .filter(|h| is_secret_column(h))
        .cloned()
        .collect();
    let mut rules: Vec<Rule> = main
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| {
                if !secret_columns.contains(&headers[i]) {
                    unmapped_columns.push(headers[i].clone());
                }
                Rule::Note
            })
        })
        .collect();
    let status_flags: Vec<(usize, StatusFlag)> = if mapping.entity == Entity::Deal {
        headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !sets_builtin_field(&rules[*i]))
            .filter_map(|(i, h)| status_flag(h).map(|f| (i, f)))
            // A "Closed" column of dates is no flag; a yes/no one is.
            .filter(|(i, _)| {
                profile_column(&headers[*i], 0, &column_values(*i)).kind == ColumnKind::Boolean
            })
            .collect()
    } else {
        Vec::new()
    };
    leave_out_secrets(&mut rules, headers);
    let (split, split_rules) = match &mapping.split {
        None => (None, Vec::new()),
        Some(split) => {
            let column = find(&split.column).ok_or_else(|| PlanError::Column {
                file: file.to_string(),
                column: split.column.clone(),
                message: "the split column is not in the file".into(),
            })?;
            let own = compile_set(&split.columns, split.then)?;
            let translated = rules
                .iter()
                .zip(own)
                .map(|(rule, own)| {
                    own.unwrap_or_else(|| translate(rule, mapping.entity, split.then, schema))
                })
                .collect();
            let mut translated: Vec<Rule> = translated;
            leave_out_secrets(&mut translated, headers);
            (Some((column, split.then)), translated)
        }
    };
    let id_column = rules
        .iter()
        .position(|r| matches!(r, Rule::Set { target: Target::Custom { name, entity, part: None }, .. } if *entity == mapping.entity && is_id_name(name)))
        .or_else(|| headers.iter().position(|h| h.trim().eq_ignore_ascii_case("id")));
    Ok(FilePlan {
        file: file.to_string(),
        mapping: 0,
        headers: headers.to_vec(),
        entity: mapping.entity,
        split,
        split_by: mapping.split.as_ref().map_or(SplitBy::YesNo, |s| s.by),
        rules,
        split_rules,
        id_column,
        missing_columns,
        unmapped_columns,
        status_flags,
        secret_columns,
    })
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

/// A rule that writes `target`, with its output slot.
fn set_rule(target: Target, conv: Conv) -> Rule {
    let slot = match &target {
        Target::Field { key, label, .. } => Slot::Field {
            key: key.clone(),
            label: label.clone(),
        },
        Target::Custom { name, part, .. } => Slot::Custom {
            name: name.clone(),
            part: *part,
        },
        Target::Skip | Target::Note => Slot::Note,
    };
    Rule::Set { target, conv, slot }
}

/// Whether a link column's values are ids rather than names: nearly all of them numbers, GUIDs
/// or code-like tokens with digits and no spaces (`4881`, `001bm00001ZL8U9AAL`,
/// `zcrm_3652397000000437001`). A name is never all digits.
pub fn holds_ids(values: &[String]) -> bool {
    let filled: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if filled.is_empty() {
        return false;
    }
    let ids = filled.iter().filter(|v| is_id_like(v)).count();
    ids * 10 >= filled.len() * 9
}

/// The rule for a column with a fixed target.
fn rule_for(
    target: &Target,
    detail: &crate::profile::ColumnDetail,
    values: &[String],
    header: &str,
    entity: Entity,
    profile: &Profile,
    schema: &Schema,
) -> Rule {
    // `AccountId`, `contact_id`, the Dataverse Web API's lookups (`_parentcustomerid_value`),
    // and any column whose values are ids.
    let by_id = {
        let lower = header.trim().to_lowercase();
        (lower.ends_with("id") && !lower.ends_with("paid"))
            || lower.ends_with("id_value")
            || holds_ids(values)
    };
    match target {
        Target::Skip => Rule::Skip,
        Target::Note => Rule::Note,
        Target::Field { entity: e, key, .. } => {
            if let Some(to) = Entity::from_relation_key(key) {
                let _ = e;
                return Rule::Link { to, by_id };
            }
            let field = schema.field(target);
            if let Some(part) = target.address_part()
                && field.is_some_and(|f| f.is_address())
            {
                return set_rule(target.clone(), Conv::AddressPart(part));
            }
            let field_type = field.map(|f| f.field_type.as_str()).unwrap_or("varchar");
            let has_map = profile.values.contains_key(&target.without_label());
            let conv = conv_for(
                key,
                header,
                field_type,
                detail,
                values,
                has_map,
                field.is_some_and(|f| !f.options.is_empty()),
            );
            let _ = entity;
            set_rule(target.clone(), conv)
        }
        // The parts of an address custom field are written as the source has them.
        Target::Custom {
            part: Some(part), ..
        } => set_rule(target.clone(), Conv::AddressPart(*part)),
        Target::Custom {
            entity: e,
            name,
            part: None,
        } => {
            let declared = detail
                .field_type
                .clone()
                .or_else(|| {
                    schema
                        .custom_field_named(*e, name)
                        .map(|f| f.field_type.clone())
                })
                .unwrap_or_else(|| {
                    // A custom field's type comes from its values; an option list (enum) is only
                    // made when the profile asks for one, since each option must be created too.
                    match profile_column(header, 0, values).kind.pipedrive_type() {
                        "enum" | "set" => "varchar".to_string(),
                        "double" | "int" | "monetary" if holds_codes(header) => {
                            "varchar".to_string()
                        }
                        other => other.to_string(),
                    }
                });
            let has_map = profile.values.contains_key(target);
            let conv = conv_for("", header, &declared, detail, values, has_map, false);
            set_rule(target.clone(), conv)
        }
    }
}

fn conv_for(
    key: &str,
    header: &str,
    field_type: &str,
    detail: &crate::profile::ColumnDetail,
    values: &[String],
    has_map: bool,
    has_options: bool,
) -> Conv {
    match key {
        "email" => return Conv::Email,
        "phone" => return Conv::Phone,
        "label" => return Conv::Labels(detail.split.clone().unwrap_or_else(|| ",".to_string())),
        "owner_id" | "stage_id" | "pipeline_id" | "status" | "type" | "visible_to" => {
            return Conv::Values;
        }
        "done" | "busy_flag" => return Conv::Bool,
        "currency" if !has_map => return Conv::Currency,
        "due_time" => return Conv::Time(date_style(detail, values)),
        "duration" => return Conv::Duration(DurationUnit::of_column(header)),
        _ => {}
    }
    match field_type {
        // Pipedrive's `*_time` fields (add_time, won_time) hold a time of day too, and an
        // activity's due date takes its due time.
        "date" | "daterange" if !key.ends_with("_time") && key != "due_date" => {
            Conv::Day(date_style(detail, values))
        }
        "date" | "daterange" | "datetime" => Conv::Date(date_style(detail, values)),
        "time" | "timerange" => Conv::Time(date_style(detail, values)),
        "monetary" => Conv::Money(infer_decimal_style(values.iter().map(String::as_str))),
        "double" | "int" => Conv::Number(infer_decimal_style(values.iter().map(String::as_str))),
        "set" => Conv::Labels(detail.split.clone().unwrap_or_else(|| ",".to_string())),
        "enum" | "status" | "visible_to" | "user" | "stage" => Conv::Values,
        _ if has_map || has_options => Conv::Values,
        _ => match &detail.split {
            Some(sep) => Conv::Labels(sep.clone()),
            None => Conv::Text,
        },
    }
}

/// How a column writes its dates: from its values, unless the profile says the order.
fn date_style(detail: &crate::profile::ColumnDetail, values: &[String]) -> DateStyle {
    let mut style = infer_date_style(values.iter().map(String::as_str));
    match detail.date_order.as_deref() {
        Some("dmy") => style.order = Some(DayOrder::Dmy),
        Some("mdy") => style.order = Some(DayOrder::Mdy),
        _ => {}
    }
    style
}

/// A rule of the main entity carried over to split rows: the same field when the other entity
/// has it, otherwise the value goes to the note.
fn translate(rule: &Rule, from: Entity, to: Entity, schema: &Schema) -> Rule {
    match rule {
        Rule::Set { target, conv, .. } if target.entity() == Some(from) => {
            let mut other = target.moved(from, to);
            // A person's postal address is a company's address (Sell's contacts that are
            // companies): the part moves to the other entity's own address field.
            if let Target::Field { label, .. } = &other
                && schema.field(&other.without_label()).is_none()
                && schema
                    .field(&target.without_label())
                    .is_some_and(|f| f.is_address())
                && let Some(home) = to.home_address_field()
            {
                other = Target::Field {
                    entity: to,
                    key: home.to_string(),
                    label: label.clone(),
                };
            }
            // A built-in field the other entity lacks (a person's e-mail on a company) goes to
            // the note; custom fields are created for the other entity too.
            let exists = matches!(other, Target::Custom { .. })
                || schema.field(&other.without_label()).is_some();
            if exists {
                set_rule(other, conv.clone())
            } else {
                Rule::Note
            }
        }
        Rule::Link { to: linked, .. } if *linked == to => Rule::Note,
        other => other.clone(),
    }
}

/// The profile's file mapping for each source, by headers. Files no mapping fits are errors.
pub fn match_files(
    profile: &Profile,
    headers: &[(String, Vec<String>)],
) -> Result<Vec<usize>, String> {
    // Files with the same headers (an archive of many parts of one table) get the same
    // mapping: each set of headers is matched once, not once per file against every mapping.
    let mut matched: std::collections::HashMap<&[String], Option<usize>> =
        std::collections::HashMap::new();
    headers
        .iter()
        .map(|(file, h)| {
            let found = *matched
                .entry(h.as_slice())
                .or_insert_with(|| profile.match_file(h).map(|(i, _)| i));
            found.ok_or_else(|| {
                let wanted: Vec<String> = profile
                    .files
                    .iter()
                    .map(|f| format!("{} ({})", f.entity, f.matcher.headers_include.join(", ")))
                    .collect();
                format!("{file}: matches none of the profile's files by its headers; the profile expects {}", wanted.join("; "))
            })
        })
        .collect()
}
