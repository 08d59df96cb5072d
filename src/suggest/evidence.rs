//! Data evidence: what a column's values say about a target. A name match is confirmed when the
//! values fit the field, and vetoed when they plainly do not (a "Date" column full of e-mails).

use crate::source::kinds::ColumnKind;
use crate::source::stats::ColumnProfile;

use super::vocabulary::Slot;

/// How much a column's values support a slot: a factor around 1.0 (below 1 weakens the name
/// match, above 1 confirms it).
pub fn fit(profile: &ColumnProfile, slot: &Slot) -> f64 {
    use ColumnKind as K;
    let kind = &profile.kind;
    if matches!(kind, K::Empty) || profile.filled == 0 {
        return 1.0;
    }
    let key = slot.key.as_str();
    let ty = slot.field_type.as_str();
    if key == "email" {
        return match kind {
            K::Email => 1.05,
            K::Text | K::Enum => 0.85,
            _ => 0.5,
        };
    }
    if key == "phone" || ty == "phone" {
        return match kind {
            K::Phone | K::Integer => 1.05,
            K::Text | K::Id | K::Enum => 0.85,
            _ => 0.5,
        };
    }
    if key == "status" && slot.target.entity() == Some(crate::Entity::Deal) {
        return if values_within(profile, &["open", "won", "lost", "deleted"]) {
            1.1
        } else if matches!(kind, K::Enum | K::Text) {
            0.85
        } else {
            0.5
        };
    }
    if key == "done" || key == "busy_flag" {
        return match kind {
            K::Boolean => 1.05,
            K::Enum | K::Text => 0.85,
            K::Date { .. } | K::DateTime { .. } => 0.75,
            _ => 0.6,
        };
    }
    if key == "due_time" || ty == "time" {
        return match kind {
            K::DateTime { .. } | K::Text | K::Enum => 1.0,
            K::Email | K::Money { .. } => 0.5,
            _ => 0.85,
        };
    }
    match ty {
        "date" | "daterange" | "datetime" => match kind {
            K::Date { .. } | K::DateTime { .. } => 1.05,
            K::Integer | K::Text | K::Enum => 0.75,
            _ => 0.5,
        },
        "monetary" | "double" | "int" => match kind {
            K::Money { .. } | K::Decimal | K::Integer => 1.05,
            K::Enum | K::Text | K::Id => 0.75,
            _ => 0.5,
        },
        "varchar" | "text" | "varchar_auto" | "address" | "org" | "people" | "user" => match kind {
            K::Email if key != "owner_id" => 0.6,
            K::Date { .. } | K::DateTime { .. } | K::Money { .. } | K::Boolean => 0.6,
            K::Url if key == "website" || key == "linkedin" => 1.05,
            _ => 1.0,
        },
        _ => 1.0,
    }
}

/// True when every common value of the column is one of `allowed` (case-insensitive).
pub fn values_within(profile: &ColumnProfile, allowed: &[&str]) -> bool {
    !profile.top_values.is_empty()
        && !profile.distinct_capped
        && profile.distinct <= profile.top_values.len()
        && profile
            .top_values
            .iter()
            .all(|(v, _)| allowed.iter().any(|a| a.eq_ignore_ascii_case(v.trim())))
}
