//! Which of a file's entities are searched for duplicates, and how merges are named.

use super::*;
use crate::dedupe::{Decision, MergedRecord};

fn plan(entity: Entity, split: Option<Entity>) -> FilePlan {
    FilePlan {
        split: split.map(|e| (1, e)),
        ..FilePlan::of_notes("contacts.csv", &["Name", "Is company"], entity)
    }
}

fn settings(auto_merge: bool, decided: &[&str]) -> DedupeSettings {
    DedupeSettings {
        keys: vec!["email".into()],
        auto_merge,
        decisions: if decided.is_empty() {
            Vec::new()
        } else {
            vec![Decision {
                action: "merge".into(),
                records: decided.iter().map(|s| s.to_string()).collect(),
                survivor: Some(decided[0].to_string()),
                fields: Default::default(),
            }]
        },
    }
}

fn entities(found: &[(Entity, &[Rule], bool)]) -> Vec<(Entity, bool)> {
    found.iter().map(|(e, _, split)| (*e, *split)).collect()
}

#[test]
fn only_entities_with_auto_merge_or_decisions_are_searched() {
    let mut profile = Profile::new("t");
    let file = plan(Entity::Person, Some(Entity::Organization));
    assert!(searched_entities(&file, &profile).is_empty());
    // Settings that neither merge nor decide ask for nothing.
    profile.dedupe.insert(Entity::Person, settings(false, &[]));
    assert!(searched_entities(&file, &profile).is_empty());
    profile
        .dedupe
        .insert(Entity::Organization, settings(false, &["a", "b"]));
    assert_eq!(
        entities(&searched_entities(&file, &profile)),
        [(Entity::Organization, true)]
    );
    profile.dedupe.insert(Entity::Person, settings(true, &[]));
    assert_eq!(
        entities(&searched_entities(&file, &profile)),
        [(Entity::Person, false), (Entity::Organization, true)]
    );
}

#[test]
fn deals_are_never_searched_whatever_the_profile_says() {
    let mut profile = Profile::new("t");
    profile
        .dedupe
        .insert(Entity::Deal, settings(true, &["a", "b"]));
    assert!(searched_entities(&plan(Entity::Deal, None), &profile).is_empty());
}

fn record(identity: &str, name: &str, first: &str, last: &str) -> DedupeRecord {
    DedupeRecord {
        identity: identity.into(),
        name: name.into(),
        first_name: first.into(),
        last_name: last.into(),
        ..DedupeRecord::default()
    }
}

#[test]
fn a_merge_is_named_and_a_different_name_is_a_rename() {
    let records = [
        record("1", "Ann Lee", "", ""),
        record("2", "", "ann", "LEE"),
        record("3", "Annie Lee", "", ""),
    ];
    let mut merge = MergePlan::default();
    merge.absorbed.insert("2".into(), "1".into());
    merge.absorbed.insert("3".into(), "1".into());
    merge.merged.insert(
        "1".into(),
        MergedRecord {
            survivor: "1".into(),
            members: vec!["1".into(), "2".into(), "3".into()],
            ..MergedRecord::default()
        },
    );
    let mut out = FileDuplicates::default();
    name_merges(Entity::Person, &merge, &records, &mut out);
    // "ann LEE" is the same name as "Ann Lee" for a link; "Annie Lee" is not.
    assert_eq!(
        out.renames,
        [(
            Entity::Person,
            "Annie Lee".to_string(),
            "Ann Lee".to_string()
        )]
    );
    assert_eq!(
        out.merges,
        [(
            Entity::Person,
            "Ann Lee".to_string(),
            vec!["ann LEE".to_string(), "Annie Lee".to_string()]
        )]
    );
}

#[test]
fn the_first_read_hands_out_unique_identities_and_counts_keys_in_row_order() {
    let keyed = |row, identity: &str, hash| {
        Some((
            0,
            Drafted::Keyed {
                row,
                identity: identity.into(),
                hashes: KeyHashes::from_slice(&[hash]),
            },
        ))
    };
    let whole = |row, identity: &str| {
        let r = DedupeRecord {
            row,
            identity: identity.into(),
            ..DedupeRecord::default()
        };
        Some((1, Drafted::Whole(Box::new(r))))
    };
    let mut tally = FirstReadTally::new(2);
    let mut identities = Identities::default();
    tally.take(&mut identities, keyed(1, "a", 7));
    tally.take(&mut identities, None);
    tally.take(&mut identities, keyed(3, "a", 7));
    tally.take(&mut identities, keyed(4, "b", 9));
    tally.take(&mut identities, whole(5, "c"));
    let handed: Vec<&str> = (0..5).map(|i| identities.get(i)).collect();
    assert_eq!(handed, ["a", "", "a#2", "b", "c"]);
    assert_eq!(tally.indexed, [vec![1, 3, 4], vec![]]);
    let shared: Vec<bool> = (0..3).map(|i| tally.index[0].shared(i)).collect();
    assert_eq!(shared, [true, true, false]);
    assert_eq!(tally.records[1].len(), 1);
    assert!(tally.records[0].is_empty());
}

#[test]
fn rows_read_again_keep_their_lines_across_line_breaks_and_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    let text = "name,note\nAnn,one\n\nBo,\"two\nlines\"\nCy,x\nDi,\"a\n\nb\"\n\n\nEd,y\nFi,z\n";
    std::fs::write(&path, text).unwrap();
    let source = SourceRef {
        name: "people.csv".into(),
        origin: crate::source::Origin::File(path),
    };
    let mut table = crate::source::Table::open_ref(&source).unwrap();
    let mut starts = RowStarts::new(table.rows_at().unwrap().unwrap());
    let mut read = Vec::new();
    while let Some(start) = table.next_row_start() {
        let Some(record) = table.next_record().unwrap() else {
            break;
        };
        starts.push(start, record.line);
        read.push((record.line, record.fields.get(0).unwrap().to_string()));
    }
    let lines: Vec<u64> = read.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [2, 4, 6, 7, 12, 13]);
    for (i, (line, name)) in read.iter().enumerate().rev() {
        let again = starts.read(i).unwrap().unwrap();
        assert_eq!(
            (again.line, again.fields.get(0).unwrap()),
            (*line, name.as_str())
        );
    }
    assert!(starts.read(read.len()).unwrap().is_none());
}
