//! A plan's steps on headers and sampled rows written by hand: no files.

use super::compile::{Columns, id_column, notes_for_unmapped};
use super::rule::set_rule;
use super::*;
use crate::schema::Schema;

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|r| headers(r)).collect()
}

/// A profile of one file mapping, from its YAML lines under `files:`.
fn profile(files: &str) -> Profile {
    crate::profile::from_yaml(
        "plan.yaml",
        &format!("version: 1\nname: plan\nfiles:\n{files}"),
    )
    .unwrap()
}

/// The profile's first file mapping compiled against `headers` and `sample`.
fn compiled(
    p: &Profile,
    file: &str,
    headers: &[String],
    sample: &[Vec<String>],
) -> Result<FilePlan, PlanError> {
    compile(file, headers, sample, &p.files[0], p, &Schema::builtin())
}

const PERSONS: &str = "  - match: {headers_include: [Name]}
    entity: person
    columns:
      Id: person.custom:Source ID
      Name: person.name
      E-mail: person.email:work
      Password: person.custom:Password
      Fax: person.phone:other
";

#[test]
fn a_column_is_found_by_its_name_whatever_its_case_and_spaces_the_first_of_two() {
    let h = headers(&["Name", "E-MAIL", "name"]);
    let columns = Columns::new("p.csv", &h, &[]);
    assert_eq!(columns.find(" name "), Some(0));
    assert_eq!(columns.find("e-mail"), Some(1));
    assert_eq!(columns.find("Phone"), None);
}

#[test]
fn a_short_sampled_row_reads_as_empty_in_the_columns_it_lacks() {
    let h = headers(&["a", "b"]);
    let sample = rows(&[&["1", "2"], &["3"]]);
    let columns = Columns::new("p.csv", &h, &sample);
    assert_eq!(columns.values(1), ["2", ""]);
}

#[test]
fn compile_notes_unmapped_columns_skips_secrets_and_lists_missing_ones() {
    let p = profile(PERSONS);
    let h = headers(&["Id", "Name", "E-mail", "Password", "Title"]);
    let sample = rows(&[&["7", "Ann", "ann@x.example", "hunter2", "CEO"]]);
    let plan = compiled(&p, "p.csv", &h, &sample).unwrap();
    assert!(matches!(
        plan.rules[2],
        Rule::Set {
            conv: Conv::Email,
            ..
        }
    ));
    // Mapped or not, a password is never written, nor listed as unmapped.
    assert_eq!(plan.rules[3], Rule::Skip);
    assert_eq!(plan.secret_columns, ["Password"]);
    assert_eq!(plan.rules[4], Rule::Note);
    assert_eq!(plan.unmapped_columns, ["Title"]);
    assert_eq!(plan.missing_columns, ["Fax"]);
    assert_eq!(plan.id_column, Some(0));
}

#[test]
fn a_link_by_a_type_column_the_file_lacks_is_an_error_naming_file_and_column() {
    let p = profile(
        "  - match: {headers_include: [subject]}
    entity: activity
    columns:
      subject: activity.subject
      taskable_id: {link_by: taskable_type, types: {Lead: deal}}
",
    );
    let h = headers(&["subject", "taskable_id"]);
    let err = compiled(&p, "tasks.csv", &h, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "tasks.csv: column \"taskable_id\": link_by names \"taskable_type\", which the file lacks"
    );
}

#[test]
fn a_link_by_a_type_column_reads_its_types_in_lower_case() {
    let p = profile(
        "  - match: {headers_include: [subject]}
    entity: activity
    columns:
      taskable_id: {link_by: Taskable Type, types: {' Lead ': deal}}
",
    );
    let h = headers(&["taskable type", "taskable_id"]);
    let plan = compiled(&p, "tasks.csv", &h, &[]).unwrap();
    let Rule::LinkBy { type_column, types } = &plan.rules[1] else {
        panic!("not a link by type: {:?}", plan.rules[1]);
    };
    assert_eq!(*type_column, 0);
    assert_eq!(types.get("lead"), Some(&Entity::Deal));
}

#[test]
fn a_deal_file_reads_yes_no_status_columns_as_flags_but_not_dates_or_mapped_fields() {
    let p = profile(
        "  - match: {headers_include: [Name]}
    entity: deal
    columns:
      Name: deal.title
      Status: deal.status
",
    );
    let h = headers(&["Name", "IsWon", "Closed", "Status"]);
    let sample = rows(&[
        &["A", "true", "2024-01-02", "won"],
        &["B", "false", "2024-02-03", "lost"],
    ]);
    let plan = compiled(&p, "deals.csv", &h, &sample).unwrap();
    let flagged: Vec<usize> = plan.status_flags.iter().map(|(i, _)| *i).collect();
    assert_eq!(flagged, [1]);
}

#[test]
fn a_person_file_reads_no_status_flags() {
    let p = profile(PERSONS);
    let h = headers(&["Name", "IsWon"]);
    let sample = rows(&[&["Ann", "true"]]);
    let plan = compiled(&p, "p.csv", &h, &sample).unwrap();
    assert!(plan.status_flags.is_empty());
}

const CONTACTS: &str = "  - match: {headers_include: [name]}
    entity: person
    split: {column: is_organization, \"true\": organization, columns: {title: skip}}
    columns:
      name: person.name
      email: person.email:work
      title: person.job_title
";

#[test]
fn a_split_row_keeps_fields_the_other_entity_has_and_notes_the_rest() {
    let p = profile(CONTACTS);
    let h = headers(&["is_organization", "name", "email", "title"]);
    let plan = compiled(&p, "contacts.csv", &h, &[]).unwrap();
    assert_eq!(plan.split, Some((0, Entity::Organization)));
    let Rule::Set { target, .. } = &plan.split_rules[1] else {
        panic!("the name is not set: {:?}", plan.split_rules[1]);
    };
    assert_eq!(target.entity(), Some(Entity::Organization));
    // An organization has no e-mail field: the value goes to its note.
    assert_eq!(plan.split_rules[2], Rule::Note);
    // The split's own columns win over the carried-over rule.
    assert_eq!(plan.split_rules[3], Rule::Skip);
}

#[test]
fn a_split_column_the_file_lacks_is_an_error_naming_it() {
    let p = profile(CONTACTS);
    let h = headers(&["name", "email"]);
    let err = compiled(&p, "contacts.csv", &h, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "contacts.csv: column \"is_organization\": the split column is not in the file"
    );
}

#[test]
fn the_id_column_is_the_id_custom_field_of_the_entity_else_a_column_headed_id() {
    let h = headers(&["ID", "Ref"]);
    let id = |name: &str, entity| set_rule(custom(entity, name), Conv::Text);
    let rules = [Rule::Note, id("Source ID", Entity::Person)];
    assert_eq!(id_column(&rules, &h, Entity::Person), Some(1));
    // Another entity's id field is a link's business, not this record's id.
    let rules = [Rule::Note, id("Source ID", Entity::Organization)];
    assert_eq!(id_column(&rules, &h, Entity::Person), Some(0));
    assert_eq!(
        id_column(&[Rule::Note], &headers(&["Ref"]), Entity::Person),
        None
    );
}

fn custom(entity: Entity, name: &str) -> Target {
    Target::Custom {
        entity,
        name: name.into(),
        part: None,
    }
}

#[test]
fn unmapped_columns_become_notes_and_secret_ones_are_not_listed() {
    let h = headers(&["a", "token", "b"]);
    let mapped = vec![None, None, Some(Rule::Skip)];
    let (rules, unmapped) = notes_for_unmapped(mapped, &h, &headers(&["token"]));
    assert_eq!(rules, [Rule::Note, Rule::Note, Rule::Skip]);
    assert_eq!(unmapped, ["a"]);
}
