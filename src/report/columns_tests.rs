use super::*;
use crate::values::{DateStyle, StatusFlag};

fn set(target: &str, conv: Conv) -> Rule {
    Rule::Set {
        target: target.parse().expect("a valid target"),
        conv,
        slot: crate::transform::layout::Slot::Note,
    }
}

#[test]
fn a_split_file_says_which_rows_become_the_other_entity() {
    let mut plan = FilePlan::of_notes("contacts.csv", &["Name", "Is company"], Entity::Person);
    assert_eq!(split_rows(&plan, 4), None);
    plan.split = Some((1, Entity::Organization));
    assert_eq!(
        split_rows(&plan, 4).as_deref(),
        Some("Rows whose `Is company` is true become organization (4 rows).")
    );
    plan.split_by = SplitBy::Kind;
    assert_eq!(
        split_rows(&plan, 0).as_deref(),
        Some("Rows whose `Is company` names the kind organization become organization (0 rows).")
    );
}

#[test]
fn a_column_of_secrets_is_left_out_whatever_its_rule() {
    let schema = Schema::builtin();
    let mut plan = FilePlan::of_notes("contacts.csv", &["Name", "Password"], Entity::Person);
    plan.rules = vec![
        set("person.name", Conv::Text),
        set("person.name", Conv::Text),
    ];
    plan.secret_columns = vec!["Password".into()];
    let (target, ty) = column_target(&plan, 1, &plan.rules[1], &schema);
    assert_eq!(
        (target.as_str(), ty.as_str()),
        ("**left out: holds secrets**", "—")
    );
    let (target, _) = column_target(&plan, 0, &plan.rules[0], &schema);
    assert_eq!(target, "`person.name`");
}

#[test]
fn a_file_of_no_rows_fills_nothing() {
    assert_eq!(fill_percent(0, 0), 0.0);
    assert_eq!(fill_percent(3, 0), 0.0);
    assert_eq!(fill_percent(1, 4), 25.0);
    assert_eq!(fill_percent(4, 4), 100.0);
}

#[test]
fn the_table_has_a_row_per_column_with_its_tally() {
    let schema = Schema::builtin();
    let plan = FilePlan::of_notes("contacts.csv", &["Name", "Mood|now"], Entity::Person);
    let tallies = [ColumnTally {
        filled: 2,
        problems: 1,
    }];
    let mut md = String::new();
    column_table(&mut md, &plan, &schema, &tallies, 3);
    let rows: Vec<&str> = md.lines().collect();
    assert_eq!(
        rows,
        [
            "| source column | target | target type | filled | problems |",
            "|---|---|---|---:|---:|",
            "| Name | (kept in the note) | — | 67% | 1 |",
            "| Mood\\|now | (kept in the note) | — | 0% | 0 |",
        ]
    );
}

#[test]
fn only_an_activitys_due_date_or_time_from_a_date_column_gets_the_due_time_note() {
    let mut plan = FilePlan::of_notes("tasks.csv", &["Due"], Entity::Activity);
    let date = Conv::Date(DateStyle::default());
    for (rule, due) in [
        (set("activity.due_date", date.clone()), true),
        (
            set("activity.due_time", Conv::Time(DateStyle::default())),
            true,
        ),
        (set("activity.due_date", Conv::Text), false),
        (set("deal.expected_close_date", date.clone()), false),
        // Only an activity's due date is written with its time.
        (set("deal.due_date", date.clone()), false),
        (Rule::Note, false),
    ] {
        plan.rules = vec![rule];
        assert_eq!(writes_due_times(&plan), due, "{:?}", plan.rules[0]);
        let mut md = String::new();
        column_notes(&mut md, &plan);
        assert_eq!(md.contains("Due dates and times"), due, "{md}");
    }
}

#[test]
fn the_notes_name_missing_secret_and_status_columns() {
    let mut plan = FilePlan::of_notes("deals.csv", &["Name", "IsWon", "IsClosed"], Entity::Deal);
    let mut md = String::new();
    column_notes(&mut md, &plan);
    assert_eq!(md, "");
    plan.missing_columns = vec!["Stage".into()];
    plan.secret_columns = vec!["Token".into()];
    plan.status_flags = vec![(1, StatusFlag::Won), (2, StatusFlag::Closed)];
    column_notes(&mut md, &plan);
    assert!(
        md.contains("\nColumns the profile maps but this file lacks: Stage.\n"),
        "{md}"
    );
    assert!(
        md.contains("must not travel in an import file: Token.\n"),
        "{md}"
    );
    assert!(
        md.contains("is also read from IsWon, IsClosed where"),
        "{md}"
    );
}
