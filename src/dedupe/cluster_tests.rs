//! A cluster's pieces on records written by hand: union-find, side-by-side fields, labels.

use super::*;

#[test]
fn address_parts_are_labelled_by_their_part() {
    assert_eq!(
        field_label("person.postal_address:postal_code"),
        "Postal code"
    );
    assert_eq!(
        field_label("organization.custom:Shipping address:city"),
        "Shipping address: City"
    );
    assert_eq!(field_label("person.custom:Zip code"), "Zip code");
    assert_eq!(field_label("person.job_title"), "Job title");
}

#[test]
fn union_find_joins_and_finds() {
    let mut sets = UnionFind::new(6);
    assert!(sets.union(0, 1));
    assert!(sets.union(2, 3));
    assert!(sets.union(1, 3));
    assert!(!sets.union(0, 2), "already one set");
    assert_eq!(sets.find(0), sets.find(3));
    assert_ne!(sets.find(0), sets.find(4));
    assert_ne!(sets.find(4), sets.find(5));
}

#[test]
fn side_by_side_marks_differences() {
    let records = vec![
        DedupeRecord {
            name: "Jane Roe".into(),
            emails: vec!["jane@acme.com".into()],
            city: Some("Austin".into()),
            ..DedupeRecord::default()
        },
        DedupeRecord {
            name: "Jane Roe".into(),
            emails: vec!["JANE@acme.com".into()],
            ..DedupeRecord::default()
        },
    ];
    let fields = side_by_side(Entity::Person, &records, &[0, 1]);
    let get = |name: &str| fields.iter().find(|f| f.field == name).unwrap();
    assert!(!get("Name").differs);
    assert!(get("E-mails").differs);
    assert!(!get("City").differs, "one side empty is no difference");
    assert!(
        fields.iter().all(|f| f.field != "Phones"),
        "empty rows are left out"
    );
}

#[test]
fn values_differ_only_where_two_filled_ones_do() {
    let v = |values: &[&str]| values.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(!differs(&v(&["a", "", "a"])));
    assert!(differs(&v(&["", "a", "b"])));
    assert!(differs(&v(&["a", "a", "A"])));
    assert!(!differs(&v(&["", ""])));
    assert!(!differs(&[]));
}

#[test]
fn extra_fields_follow_the_built_in_ones_in_the_order_members_name_them() {
    let extra = |k: &str, v: &str| (std::sync::Arc::from(k), v.to_string());
    let records = vec![
        DedupeRecord {
            name: "Acme".into(),
            extras: vec![extra("organization.custom:Zip code", "1000")],
            ..DedupeRecord::default()
        },
        DedupeRecord {
            name: "Acme Inc".into(),
            extras: vec![
                extra("organization.industry", "Retail"),
                extra("organization.custom:Zip code", "1000"),
            ],
            ..DedupeRecord::default()
        },
    ];
    let fields = side_by_side(Entity::Organization, &records, &[1, 0]);
    let seen: Vec<(&str, &[String], bool)> = fields
        .iter()
        .map(|f| (f.field.as_str(), f.values.as_slice(), f.differs))
        .collect();
    let v = |values: &[&str]| values.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        seen,
        [
            ("Name", v(&["Acme Inc", "Acme"]).as_slice(), true),
            ("Industry", v(&["Retail", ""]).as_slice(), false),
            ("Zip code", v(&["1000", "1000"]).as_slice(), false),
        ]
    );
}

#[test]
fn extra_fields_are_labelled_as_users_name_them() {
    assert_eq!(field_label("person.custom:Zip code"), "Zip code");
    assert_eq!(field_label("person.job_title"), "Job title");
    assert_eq!(field_label("lead.title"), "Title");
}
