//! `route` driven without files: layouts, drafts and duplicate decisions built by hand.

use rustc_hash::FxHashMap as HashMap;

use super::*;
use crate::dedupe::MergedRecord;

fn field(key: &str, label: Option<&str>) -> Slot {
    Slot::Field {
        key: key.into(),
        label: label.map(Into::into),
    }
}

/// Persons: name, organization, two e-mails, note. Organizations: name, address, note.
fn layouts() -> Vec<Layout> {
    let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        Layout::new(
            Entity::Organization,
            vec![field("name", None), field("address", None), Slot::Note],
            h(&[
                "Organization - Name",
                "Organization - Address",
                "Note - Content",
            ]),
        ),
        Layout::new(
            Entity::Person,
            vec![
                field("name", None),
                Slot::Link(Entity::Organization),
                field("email", Some("work")),
                field("email", Some("home")),
                Slot::Note,
            ],
            h(&[
                "Person - Name",
                "Person - Organization",
                "Person - Email (work)",
                "Person - Email (home)",
                "Note - Content",
            ]),
        ),
    ]
}

fn draft(layouts: &[Layout], entity: Entity, cells: &[&str]) -> Draft {
    let layout = layouts.iter().find(|l| l.entity == entity).unwrap();
    let mut d = Draft::new(layout);
    for (cell, value) in d.cells.iter_mut().zip(cells) {
        *cell = value.to_string();
    }
    d
}

fn row(primary: Draft) -> RowResult {
    RowResult::new(primary)
}

fn problem(column: &str, value: &str, reason: &str) -> Problem {
    Problem {
        column: column.into(),
        value: value.into(),
        reason: reason.into(),
    }
}

/// Two rows, identities `a` and `b`.
fn duplicates() -> FileDuplicates {
    let mut d = FileDuplicates::default();
    d.identities.push("a");
    d.identities.push("b");
    d
}

fn never_converted(_: &Record) -> Draft {
    panic!("no absorbed row to convert here")
}

fn ann(layouts: &[Layout]) -> Draft {
    draft(
        layouts,
        Entity::Person,
        &["Ann Lee", "Acme", "ann@acme.test"],
    )
}

#[test]
fn a_row_absorbed_by_its_survivor_is_merged_and_not_written() {
    let layouts = layouts();
    let mut d = duplicates();
    d.plan.absorbed.insert("b".into(), "a".into());
    let merges = HashMap::default();
    let ctx = RouteContext {
        layouts: &layouts,
        duplicates: Some(&d),
        column_merges: &merges,
    };
    let absorbed = route(&ctx, row(ann(&layouts)), 3, 1, never_converted);
    assert!(matches!(absorbed, RowDecision::Merged), "{absorbed:?}");
    // The survivor's own row, with nothing merged into it, is written.
    let survivor = route(&ctx, row(ann(&layouts)), 2, 0, never_converted);
    assert!(matches!(survivor, RowDecision::Write(_)), "{survivor:?}");
}

#[test]
fn a_duplicate_the_profile_drops_is_a_reject_naming_its_identity() {
    let layouts = layouts();
    let mut d = duplicates();
    d.plan.dropped.insert("b".into());
    let merges = HashMap::default();
    let ctx = RouteContext {
        layouts: &layouts,
        duplicates: Some(&d),
        column_merges: &merges,
    };
    match route(&ctx, row(ann(&layouts)), 3, 1, never_converted) {
        RowDecision::Dropped { entity, problem: p } => {
            assert_eq!(entity, Entity::Person);
            assert_eq!(p, problem("", "b", DROPPED_REASON));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_row_missing_a_mandatory_field_is_rejected_with_its_reasons_then_its_warnings() {
    let layouts = layouts();
    let merges = HashMap::default();
    let ctx = RouteContext {
        layouts: &layouts,
        duplicates: None,
        column_merges: &merges,
    };
    let mut r = row(draft(&layouts, Entity::Person, &["", "Acme"]));
    let missing = problem("Full Name", "", "a person needs a name");
    let odd = problem(
        "Email",
        "not-an-email",
        "not an e-mail address; kept in the note",
    );
    r.warnings.push(odd.clone());
    r.rejects.push(missing.clone());
    match route(&ctx, r, 5, 0, never_converted) {
        RowDecision::Rejected { problems, .. } => assert_eq!(problems, vec![missing, odd]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_organization_a_person_row_describes_is_written_before_it_once() {
    let layouts = layouts();
    let (merges, mut census) = (HashMap::default(), NameCensus::default());
    let acme = draft(&layouts, Entity::Organization, &["Acme", "1 Main St"]);
    let mut r = row(ann(&layouts));
    r.secondaries.push(acme.clone());
    // A second organization with only a name waits for the end of the export.
    r.secondaries
        .push(draft(&layouts, Entity::Organization, &["Bare Ltd"]));
    let (noted_columns, renames) = (HashMap::default(), HashMap::default());
    let rules = WriteRules {
        layouts: &layouts,
        noted_columns: &noted_columns,
        renames: &renames,
        escape: false,
    };
    let decide = |census: &NameCensus, r: RowResult| {
        let ctx = RouteContext {
            layouts: &layouts,
            duplicates: None,
            column_merges: &merges,
        };
        match route(&ctx, r, 2, 0, never_converted) {
            RowDecision::Write(mut w) => {
                w.settle_secondaries(&rules, census);
                w
            }
            other => panic!("{other:?}"),
        }
    };
    let w = decide(&census, r);
    assert_eq!(w.secondaries.len(), 1);
    assert_eq!(w.secondaries[0].cells, acme.cells);
    assert_eq!(w.primary.cells[4], "", "nothing moved to the note");

    // Once Acme is written, what a later row says of it goes to that row's note.
    census.record(Entity::Organization, "Acme");
    let mut again = row(ann(&layouts));
    again.secondaries.push(acme);
    let w = decide(&census, again);
    assert!(w.secondaries.is_empty());
    assert_eq!(
        w.primary.cells[4],
        "Organization - Name: Acme\nOrganization - Address: 1 Main St"
    );
}

#[test]
fn a_written_row_carries_its_warnings_links_and_unmapped_values() {
    let layouts = layouts();
    let merges = HashMap::default();
    let ctx = RouteContext {
        layouts: &layouts,
        duplicates: None,
        column_merges: &merges,
    };
    let mut r = row(ann(&layouts));
    let left_out = problem("Account", "0019", "link left out");
    r.warnings.push(left_out.clone());
    r.unresolved_links = 1;
    r.links_by_id = 2;
    r.links_by_name = 3;
    r.source_id = Some("003A".into());
    r.unmapped_values
        .push((Target::field(Entity::Person, "label"), "VIP".into()));
    let RowDecision::Write(w) = route(&ctx, r, 9, 0, never_converted) else {
        panic!("written");
    };
    assert_eq!(w.warnings, vec![left_out]);
    assert_eq!(
        (w.unresolved_links, w.links_by_id, w.links_by_name),
        (1, 2, 3)
    );
    assert_eq!(w.source_id.as_deref(), Some("003A"));
    assert_eq!(w.unmapped_values.len(), 1);
    assert_eq!(w.primary.cells[0], "Ann Lee");
}

#[test]
fn a_survivor_takes_the_united_emails_and_the_overflow_goes_to_its_note() {
    let layouts = layouts();
    let mut d = duplicates();
    d.plan.absorbed.insert("b".into(), "a".into());
    d.plan.merged.insert(
        "a".into(),
        MergedRecord {
            survivor: "a".into(),
            members: vec!["a".into(), "b".into()],
            emails: vec![
                "ann@acme.test".into(),
                "ann@home.test".into(),
                "al@x.test".into(),
            ],
            ..MergedRecord::default()
        },
    );
    let absorbed = Record {
        line: 3,
        fields: crate::source::Fields::from(vec!["Ann Lee", "ann@home.test"]),
        invalid_text: None,
    };
    d.absorbed_rows
        .insert("a".into(), vec![("b".into(), absorbed)]);
    let merges: HashMap<Entity, Vec<ColumnMerge>> = layouts
        .iter()
        .map(|l| (l.entity, crate::transform::survivor::column_merges(l)))
        .collect();
    let ctx = RouteContext {
        layouts: &layouts,
        duplicates: Some(&d),
        column_merges: &merges,
    };
    let converted = std::cell::Cell::new(0);
    let convert = |r: &Record| {
        converted.set(converted.get() + 1);
        draft(&layouts, Entity::Person, &[&r.fields[0], "", &r.fields[1]])
    };
    let RowDecision::Write(w) = route(&ctx, row(ann(&layouts)), 2, 0, convert) else {
        panic!("written");
    };
    assert_eq!(converted.get(), 1, "the absorbed row is converted once");
    assert_eq!(w.primary.cells[2], "ann@acme.test");
    assert_eq!(w.primary.cells[3], "ann@home.test");
    assert!(
        w.primary.cells[4].ends_with("email: al@x.test"),
        "{:?}",
        w.primary.cells[4]
    );
}
