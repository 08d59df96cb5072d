//! How one link cell resolves against the exported items.

use super::*;

fn exported() -> Exported {
    let mut e = Exported::default();
    e.by_source
        .insert((Entity::Person, "S1".into()), vec!["11".into()]);
    e.by_source.insert(
        (Entity::Person, "S2".into()),
        vec!["21".into(), "22".into()],
    );
    e.by_name
        .insert((Entity::Person, name_key("Ann Lee")), vec!["11".into()]);
    e.by_name.insert(
        (Entity::Person, name_key("Bo Ek")),
        vec!["31".into(), "32".into(), "33".into()],
    );
    e
}

fn report() -> RelinkReport {
    RelinkReport {
        imported: vec![Entity::Person],
        ..RelinkReport::default()
    }
}

fn ids(source_id: &str) -> Vec<(Entity, String)> {
    vec![(Entity::Person, source_id.to_string())]
}

#[test]
fn a_source_id_one_item_has_resolves_exactly_and_a_shared_one_is_ambiguous() {
    let (e, mut r) = (exported(), report());
    let one = resolve(
        "d.csv",
        2,
        Entity::Person,
        "Ann Lee",
        Some(&ids("S1")),
        &e,
        &mut r,
    );
    assert_eq!(one, "11");
    let shared = resolve(
        "d.csv",
        3,
        Entity::Person,
        "Ann Lee",
        Some(&ids("S2")),
        &e,
        &mut r,
    );
    assert_eq!(shared, "", "the name cannot tell the two apart either");
    assert_eq!((r.counts.by_source_id, r.counts.ambiguous), (1, 1));
    assert_eq!(
        r.open[0].4,
        "2 exported persons share the source id S2 (Pipedrive IDs 21, 22)"
    );
    assert_eq!((r.open[0].0.as_str(), r.open[0].1), ("d.csv", 3));
}

#[test]
fn a_name_one_item_has_resolves_and_a_shared_one_is_ambiguous() {
    let (e, mut r) = (exported(), report());
    assert_eq!(
        resolve("d.csv", 2, Entity::Person, "ann lee", None, &e, &mut r),
        "11"
    );
    assert_eq!(
        resolve("d.csv", 4, Entity::Person, "Bo Ek", None, &e, &mut r),
        ""
    );
    assert_eq!(
        resolve("d.csv", 5, Entity::Person, "Cy", None, &e, &mut r),
        ""
    );
    assert_eq!(
        (
            r.counts.by_unique_name,
            r.counts.ambiguous,
            r.counts.unmatched
        ),
        (1, 1, 1)
    );
    assert_eq!(r.open[0].4, "3 exported persons share this name");
    assert_eq!(r.open[1].4, "no exported person has this name or source id");
}

#[test]
fn links_to_entities_not_imported_are_left_alone() {
    let (e, mut r) = (exported(), RelinkReport::default());
    assert_eq!(
        resolve("d.csv", 2, Entity::Person, "Ann Lee", None, &e, &mut r),
        ""
    );
    assert!(r.open.is_empty());
    assert_eq!(r.counts.ambiguous + r.counts.unmatched, 0);
}
