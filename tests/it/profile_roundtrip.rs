//! Profiles survive load → save → load unchanged, and saving is byte-stable, whatever the
//! column names, targets, options and value maps hold.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use pipemap::profile::{
    ColumnDetail, ColumnSpec, FileMapping, Match, Profile, Split, SplitBy, from_yaml, to_yaml,
};
use pipemap::{Entity, Target};
use proptest::prelude::*;

fn entity() -> impl Strategy<Value = Entity> {
    prop::sample::select(Entity::ALL.to_vec())
}

fn name() -> impl Strategy<Value = String> {
    // Names as exports write them: spaces, punctuation, accents, '#', quotes, a colon.
    "[A-Za-zÀ-ÿ0-9 _#:'\"().-]{1,16}"
        .prop_filter("not blank", |s| !s.trim().is_empty() && s.trim() == s)
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::Skip),
        Just(Target::Note),
        (
            entity(),
            prop::sample::select(vec![
                "name", "email", "phone", "org_id", "owner_id", "label"
            ]),
            prop::option::of(prop::sample::select(vec!["work", "home"]))
        )
            .prop_map(|(entity, key, label)| Target::Field {
                entity,
                key: key.to_string(),
                label: label.map(str::to_string)
            }),
        (entity(), name()).prop_map(|(entity, name)| Target::Custom {
            entity,
            name,
            part: None
        }),
    ]
}

fn spec() -> impl Strategy<Value = ColumnSpec> {
    prop_oneof![
        target().prop_map(ColumnSpec::Target),
        (
            target(),
            prop::option::of(prop::sample::select(vec![",", ";", "|"])),
            prop::option::of(prop::sample::select(vec!["enum", "date", "double"])),
            prop::option::of(prop::sample::select(vec!["dmy", "mdy"]))
        )
            .prop_map(|(t, split, ty, order)| ColumnSpec::Detailed(ColumnDetail {
                target: Some(t),
                split: split.map(str::to_string),
                field_type: ty.map(str::to_string),
                date_order: order.map(str::to_string),
                ..ColumnDetail::default()
            })),
        (name(), prop::collection::btree_map(name(), entity(), 1..3)).prop_map(|(by, types)| {
            ColumnSpec::Detailed(ColumnDetail {
                link_by: Some(by),
                types,
                ..ColumnDetail::default()
            })
        }),
    ]
}

fn file() -> impl Strategy<Value = FileMapping> {
    (
        (prop::collection::vec(name(), 1..4), any::<bool>()),
        entity(),
        prop::option::of((name(), entity(), any::<bool>())),
        prop::collection::vec((name(), spec()), 0..8),
    )
        .prop_map(|((headers, partial), entity, split, columns)| FileMapping {
            matcher: Match {
                headers_include: headers,
                partial,
            },
            entity,
            split: split.map(|(column, then, kind)| Split {
                column,
                then,
                by: if kind { SplitBy::Kind } else { SplitBy::YesNo },
                columns: IndexMap::new(),
            }),
            columns: columns.into_iter().collect(),
        })
}

fn profile() -> impl Strategy<Value = Profile> {
    (
        name(),
        prop::option::of(name()),
        prop::collection::vec(file(), 1..4),
        prop::collection::btree_map(
            target(),
            prop::collection::vec((name(), name()), 0..5),
            0..3,
        ),
    )
        .prop_map(|(name, crm, files, values)| {
            let mut p = Profile::new(&name);
            p.source_crm = crm;
            p.files = files;
            p.values = values
                .into_iter()
                .filter(|(t, _)| !matches!(t, Target::Skip | Target::Note))
                .map(|(t, pairs)| (t, pairs.into_iter().collect::<IndexMap<_, _>>()))
                .collect::<BTreeMap<_, _>>();
            p
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn load_save_load_is_identical(p in profile()) {
        let text = to_yaml(&p);
        let back = from_yaml("generated.yaml", &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &p);
        prop_assert_eq!(to_yaml(&back), text);
    }
}
