//! A row's checks before its cells are read, on a plan and records written by hand.

use super::*;
use crate::profile::SplitBy;
use crate::values::StatusFlag;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A plan of `entity` whose columns are all notes.
fn plan(entity: Entity, headers: &[&str]) -> FilePlan {
    FilePlan::of_notes("rows.csv", headers, entity)
}

fn record(fields: &[&str]) -> Record {
    Record {
        line: 2,
        fields: fields.to_vec().into(),
        invalid_text: None,
    }
}

fn person_row() -> RowResult {
    let layout = Layout::new(
        Entity::Person,
        vec![Slot::Note],
        strings(&["Note - Content"]),
    );
    RowResult::new(Draft::new(&layout))
}

fn reasons(problems: &[Problem]) -> Vec<(&str, &str, &str)> {
    problems
        .iter()
        .map(|p| (p.column.as_str(), p.value.as_str(), p.reason.as_str()))
        .collect()
}

#[test]
fn a_total_row_is_no_record_but_a_company_called_total_with_an_address_is() {
    let p = plan(Entity::Organization, &["Name", "Address", "Deals"]);
    let total = not_a_record(&p, &record(&["", "Grand total", "1,200"])).unwrap();
    assert_eq!(
        (total.column.as_str(), total.value.as_str()),
        ("Address", "Grand total")
    );
    assert!(not_a_record(&p, &record(&["Total", "1 Main St", "3"])).is_none());
}

#[test]
fn a_lone_line_of_text_under_a_wide_header_is_no_record() {
    let p = plan(Entity::Person, &["a", "b", "c"]);
    let footer = not_a_record(&p, &record(&["Copyright (c) Acme"])).unwrap();
    assert_eq!(footer.column, "a");
    assert!(
        footer.reason.contains("the header has 3"),
        "{}",
        footer.reason
    );
    assert!(not_a_record(&p, &record(&[""])).is_none());
    assert!(not_a_record(&plan(Entity::Person, &["a", "b"]), &record(&["x"])).is_none());
}

#[test]
fn a_kind_naming_neither_entity_is_warned_of() {
    let mut p = plan(Entity::Person, &["type", "name"]);
    p.split = Some((0, Entity::Organization));
    p.split_by = SplitBy::Kind;
    let mut warnings = Vec::new();
    for kind in ["person", "organisation", "", "lead"] {
        check_kind(&p, &record(&[kind, "Ann"]), &mut warnings);
    }
    assert_eq!(
        reasons(&warnings),
        [(
            "type",
            "lead",
            "names neither persons nor organizations; the row stays with the persons"
        )]
    );
    // A yes/no split names no kind.
    p.split_by = SplitBy::YesNo;
    check_kind(&p, &record(&["lead", "Ann"]), &mut warnings);
    assert_eq!(warnings.len(), 1);
}

#[test]
fn extra_fields_go_to_the_note_and_missing_ones_are_warned_of() {
    let p = plan(Entity::Person, &["a", "b"]);
    let mut out = person_row();
    check_shape(&p, &record(&["1", "2", "x", " ", "y"]), &mut out);
    assert_eq!(
        out.primary.notes,
        ["(extra fields beyond the header): x | y"]
    );
    assert_eq!(reasons(&out.warnings)[0].0, "(extra fields)");
    let mut out = person_row();
    check_shape(&p, &record(&["1"]), &mut out);
    assert_eq!(
        reasons(&out.warnings),
        [(
            "(missing fields)",
            "",
            "the row has 1 of the header's 2 fields; the missing ones are read as empty"
        )]
    );
    assert!(out.primary.notes.is_empty());
}

#[test]
fn nul_bytes_and_unreadable_bytes_are_warned_of_in_their_column() {
    let p = plan(Entity::Person, &["a", "b"]);
    let mut out = person_row();
    let mut r = record(&["1", "x\0y"]);
    r.invalid_text = Some(0);
    check_shape(&p, &r, &mut out);
    let seen: Vec<(&str, &str)> = reasons(&out.warnings).iter().map(|w| (w.0, w.1)).collect();
    assert_eq!(seen, [("b", "x\\0y"), ("a", "1")]);
    let mut out = person_row();
    check_shape(&p, &record(&["1", "2"]), &mut out);
    assert!(out.warnings.is_empty());
}

#[test]
fn a_deal_reads_its_status_flags_and_warns_of_a_value_that_is_no_yes_or_no() {
    let mut p = plan(Entity::Deal, &["IsWon", "IsClosed"]);
    p.status_flags = vec![(0, StatusFlag::Won), (1, StatusFlag::Closed)];
    let layout = Layout::new(Entity::Deal, vec![Slot::Note], strings(&["Note - Content"]));
    let mut out = RowResult::new(Draft::new(&layout));
    read_status_flags(&p, &record(&["yes", "maybe"]), &mut out);
    assert_eq!(out.primary.status.won, Some(true));
    assert_eq!(out.primary.status.closed, None);
    assert_eq!(reasons(&out.warnings)[0].0, "IsClosed");
    // A split row that became a person has no deal status.
    let mut out = person_row();
    read_status_flags(&p, &record(&["yes", "maybe"]), &mut out);
    assert!(out.warnings.is_empty());
}
