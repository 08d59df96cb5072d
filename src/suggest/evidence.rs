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
    // A column of task statuses (Completed, Not Started, …) says whether the activity is done.
    if key == "done" && task_statuses(profile) {
        return 1.1;
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
            // Dates without a time of day say nothing of a time.
            K::Date { .. } => 0.6,
            K::Email | K::Money { .. } => 0.5,
            _ => 0.85,
        };
    }
    if ty == "user" || key == "owner_id" {
        // A column of user e-mails or user ids is an owner; dates, amounts and yes/no are not.
        return match kind {
            K::Email | K::Id | K::Integer => 1.05,
            K::Date { .. } | K::DateTime { .. } | K::Money { .. } | K::Boolean | K::Url => 0.5,
            _ => 1.0,
        };
    }
    if matches!(
        key,
        "name" | "first_name" | "last_name" | "job_title" | "title" | "subject"
    ) {
        // Words about a person or a record: numbers, dates and postal codes are not.
        return match kind {
            K::Integer | K::Decimal | K::Money { .. } | K::Date { .. } | K::DateTime { .. } => 0.5,
            K::Email | K::Url | K::Boolean => 0.6,
            _ if all_postal_codes(profile) => 0.5,
            _ => 1.0,
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
        "varchar" | "text" | "varchar_auto" | "address" | "org" | "people" => match kind {
            K::Email => 0.6,
            K::Date { .. } | K::DateTime { .. } | K::Money { .. } | K::Boolean => 0.6,
            K::Url if key == "website" || key == "linkedin" => 1.05,
            _ => 1.0,
        },
        _ => 1.0,
    }
}

/// True when every sampled value looks like a postal code and most hold a run of four or
/// more digits (`02139`, `10115`; `SW1A 1AA` passes beside them): a job title or a name
/// never does.
fn all_postal_codes(profile: &ColumnProfile) -> bool {
    let digits = |v: &String| {
        v.split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() >= 4)
    };
    !profile.examples.is_empty()
        && profile
            .examples
            .iter()
            .all(|v| crate::address::is_postal_code(v))
        && profile.examples.iter().filter(|v| digits(v)).count() * 2 > profile.examples.len()
}

/// Words that name a column of a few repeated options: such a column belongs in a label or
/// an option field.
const OPTION_WORDS: &[&str] = &[
    "status", "type", "rating", "tier", "segment", "category", "priority", "grade", "class",
];

/// Whether a column is a short list of repeated options under a name like "Status", "Type"
/// or "Rating" (values say so: a single-option column).
pub fn is_option_column(profile: &ColumnProfile, normalized: &str) -> bool {
    matches!(profile.kind, crate::source::kinds::ColumnKind::Enum)
        && normalized.split(' ').any(|w| OPTION_WORDS.contains(&w))
}

/// True when every common value of the column is one of `allowed` (case-insensitive).
pub fn values_within(profile: &ColumnProfile, allowed: &[&str]) -> bool {
    values_all(profile, |v| {
        allowed.iter().any(|a| a.eq_ignore_ascii_case(v.trim()))
    })
}

/// True when the column holds task statuses (Completed, Not Started, …), which say whether an
/// activity is done.
pub fn task_statuses(profile: &ColumnProfile) -> bool {
    values_all(profile, |v| crate::values::parse_task_status(v).is_some())
}

/// True when every distinct value of the column is known and passes `test`.
fn values_all(profile: &ColumnProfile, test: impl Fn(&str) -> bool) -> bool {
    !profile.top_values.is_empty()
        && !profile.distinct_capped
        && profile.distinct <= profile.top_values.len()
        && profile.top_values.iter().all(|(v, _)| test(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Target;
    use crate::schema::Schema;
    use crate::source::stats::profile_column;
    use crate::suggest::vocabulary::Vocabularies;

    fn slot(target: &str) -> Slot {
        let schema = Schema::builtin();
        let vocabularies = Vocabularies::new(&schema);
        let target: Target = target.parse().unwrap();
        let entity = target.entity().unwrap();
        vocabularies
            .get(entity)
            .unwrap()
            .slots
            .iter()
            .find(|s| s.target.without_label() == target.without_label())
            .cloned()
            .unwrap()
    }

    fn column(values: &[&str]) -> ColumnProfile {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        profile_column("x", 0, &values)
    }

    #[test]
    fn user_emails_and_ids_confirm_an_owner_and_dates_do_not() {
        let owner = slot("deal.owner_id");
        let emails = column(&["ann@example.com", "bob@example.com", "ann@example.com"]);
        assert!(fit(&emails, &owner) > 1.0);
        let dates = column(&["2024-01-02", "2024-03-04", "2024-05-06"]);
        assert!(fit(&dates, &owner) < 0.7);
    }

    #[test]
    fn a_time_needs_a_time_of_day() {
        let due_time = slot("activity.due_time");
        let dates = column(&["2024-01-02", "2024-03-04", "2024-05-06"]);
        let datetimes = column(&["2024-01-02 10:00", "2024-03-04 11:30", "2024-05-06 09:15"]);
        assert!(fit(&dates, &due_time) < 0.7);
        assert!(fit(&datetimes, &due_time) >= 1.0);
        let due_date = slot("activity.due_date");
        assert!(fit(&datetimes, &due_date) >= 1.0);
    }

    #[test]
    fn postal_codes_are_no_job_title() {
        let job_title = slot("person.job_title");
        let postcodes = column(&["02139", "SW1A 1AA", "75008", "D-80331"]);
        assert!(fit(&postcodes, &job_title) < 0.7);
        let titles = column(&["CEO", "Head of Sales", "Engineer", "CEO"]);
        assert!(fit(&titles, &job_title) >= 1.0);
    }

    #[test]
    fn a_short_list_named_status_or_rating_is_an_option_column() {
        let ratings = column(&[
            "Hot", "Cold", "Warm", "Hot", "Cold", "Hot", "Warm", "Hot", "Cold", "Hot",
        ]);
        assert!(is_option_column(&ratings, "rating"));
        assert!(!is_option_column(&ratings, "city"));
    }
}
