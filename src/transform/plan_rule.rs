//! The rule of one column with a fixed target: whether it links or sets a field, and how its
//! cells are read (a date's order, a number's decimal convention), decided from its sampled
//! values; and a main entity's rule carried over to a split row's entity.

use crate::entity::{Entity, Target};
use crate::profile::{ColumnDetail, Profile};
use crate::schema::Schema;
use crate::source::stats::profile_column;
use crate::transform::layout::Slot;
use crate::values::{
    DateStyle, DayOrder, DurationUnit, holds_codes, infer_date_style, infer_decimal_style,
    is_id_like,
};

use super::{Conv, Rule};

/// A rule that writes `target`, with its output slot.
pub(super) fn set_rule(target: Target, conv: Conv) -> Rule {
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
pub(super) fn rule_for(
    target: &Target,
    detail: &ColumnDetail,
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
    detail: &ColumnDetail,
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
fn date_style(detail: &ColumnDetail, values: &[String]) -> DateStyle {
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
pub(super) fn translate(rule: &Rule, from: Entity, to: Entity, schema: &Schema) -> Rule {
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
