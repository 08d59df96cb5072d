//! Behaviour of the engine as a whole: pairs, clusters and merge decisions.

use std::collections::BTreeMap;

use super::*;
use super::{Decision, DedupeSettings};

fn person(row: u64, first: &str, last: &str, email: &str, phone: &str, org: &str) -> DedupeRecord {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    DedupeRecord {
        row,
        identity: format!("p{row}"),
        name: format!("{first} {last}").trim().to_string(),
        first_name: first.into(),
        last_name: last.into(),
        emails: some(email).into_iter().collect(),
        phones: some(phone).into_iter().collect(),
        organization: some(org),
        ..DedupeRecord::default()
    }
}

fn organization(row: u64, name: &str, website: &str, city: &str) -> DedupeRecord {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    DedupeRecord {
        row,
        identity: format!("o{row}"),
        name: name.into(),
        website: some(website),
        city: some(city),
        ..DedupeRecord::default()
    }
}

fn score(a: &DedupeRecord, b: &DedupeRecord) -> f64 {
    score_pair(Entity::Person, a, b).unwrap().0
}

#[test]
fn same_email_in_another_case_is_one_person() {
    let a = person(1, "Jane", "Roe", "jane.roe@acme.com", "", "Acme");
    let b = person(2, "jane", "ROE", " Jane.Roe@ACME.com", "", "");
    let (s, reasons) = score_pair(Entity::Person, &a, &b).unwrap();
    assert!(s >= DEFAULT_THRESHOLD, "{s}");
    assert_eq!(reasons[0], "same e-mail");
}

#[test]
fn swapped_first_and_last_names_with_accents_still_match() {
    let a = person(1, "José", "Núñez", "", "+34 912 345 678", "Lomonix SA");
    let b = person(2, "Nunez", "Jose", "", "912-345-678", "LOMONIX S.A.");
    assert!(score(&a, &b) >= DEFAULT_THRESHOLD);
}

#[test]
fn a_typo_at_the_same_company_matches() {
    let a = person(
        1,
        "Katherine",
        "Harrington",
        "",
        "",
        "Torixta Trading Corp.",
    );
    let b = person(
        2,
        "Katherine",
        "Harringtno",
        "",
        "",
        "Torixta Trading Corporation",
    );
    assert!(score(&a, &b) >= DEFAULT_THRESHOLD);
}

#[test]
fn namesakes_at_different_companies_are_not_duplicates() {
    let a = person(1, "John", "Smith", "john.smith@acme.com", "", "Acme Inc");
    let b = person(2, "John", "Smith", "jsmith@globex.de", "", "Globex GmbH");
    let (s, _) = score_pair(Entity::Person, &a, &b).unwrap();
    assert!(s < 0.2, "{s}");
    // Nor is a name alone enough.
    let c = person(3, "John", "Smith", "", "", "");
    assert!(score(&a, &c) < DEFAULT_THRESHOLD);
}

#[test]
fn a_shared_mailbox_does_not_make_two_people_one() {
    let a = person(1, "Anna", "Berg", "info@acme.com", "", "Acme");
    let b = person(2, "Tomasz", "Kowalski", "info@acme.com", "", "Acme");
    assert!(score(&a, &b) < DEFAULT_THRESHOLD);
}

#[test]
fn organizations_match_across_legal_forms_and_site_spellings() {
    let a = organization(1, "Acme Inc.", "https://www.acme.com", "Austin");
    let b = organization(2, "ACME Incorporated", "acme.com/about", "");
    let (s, reasons) = score_pair(Entity::Organization, &a, &b).unwrap();
    assert!(s >= DEFAULT_THRESHOLD, "{s}");
    assert!(reasons.contains(&"same website".to_string()), "{reasons:?}");
    let c = organization(3, "Acme Robotics", "acmerobotics.io", "Oslo");
    assert!(score_pair(Entity::Organization, &a, &c).unwrap().0 < DEFAULT_THRESHOLD);
}

#[test]
fn clusters_list_every_row_and_score_by_the_weakest_link() {
    let records = vec![
        person(1, "Jane", "Roe", "jane@acme.com", "", "Acme"),
        person(2, "Ada", "Lovelace", "ada@engine.org", "", "Engine"),
        person(3, "Jane", "Roe", "JANE@acme.com", "+1 512 555 0191", ""),
        person(4, "Jane", "Roe", "", "(512) 555-0191", "Acme"),
        person(5, "John", "Smith", "js@globex.de", "", "Globex"),
        person(6, "John", "Smith", "john@initech.com", "", "Initech"),
    ];
    let found = find_clusters(Entity::Person, &records, &DedupeOptions::default()).unwrap();
    assert_eq!(found.clusters.len(), 1, "{:#?}", found.clusters);
    let c = &found.clusters[0];
    assert_eq!(c.rows, [1, 3, 4]);
    assert_eq!(c.members, [0, 2, 3]);
    assert_eq!(c.links.len(), 2);
    let weakest = c.links.iter().map(|l| l.score).fold(1.0, f64::min);
    assert_eq!(c.score, weakest);
    assert!(
        c.reasons.iter().any(|r| r == "same e-mail"),
        "{:?}",
        c.reasons
    );
    assert!(c.fields.iter().any(|f| f.field == "Phones" && f.differs));
}

#[test]
fn unsupported_entities_are_refused() {
    let err = find_clusters(Entity::Activity, &[], &DedupeOptions::default()).unwrap_err();
    assert_eq!(err, DedupeError::UnsupportedEntity(Entity::Activity));
}

fn two_clusters() -> (Vec<DedupeRecord>, Vec<Cluster>) {
    let mut records = vec![
        person(1, "Jane", "Roe", "jane@acme.com", "+1 512 555 0191", "Acme"),
        person(2, "Jane", "Roe", "JANE@acme.com", "", ""),
        person(3, "Ada", "Lovelace", "ada@engine.org", "", "Engine"),
        person(
            4,
            "Ada",
            "Lovelace",
            "ada@engine.org",
            "+44 20 7946 0958",
            "Engine Ltd",
        ),
        person(5, "Bob", "Stone", "bob@quarry.com", "", "Quarry"),
    ];
    records[1].labels = vec!["vip".into()];
    records[0].labels = vec!["VIP".into(), "webinar".into()];
    let clusters = find_clusters(Entity::Person, &records, &DedupeOptions::default())
        .unwrap()
        .clusters;
    assert_eq!(clusters.len(), 2);
    (records, clusters)
}

fn decision(action: &str, records: &[&str], survivor: Option<&str>) -> Decision {
    Decision {
        action: action.into(),
        records: records.iter().map(|s| s.to_string()).collect(),
        survivor: survivor.map(str::to_string),
        fields: BTreeMap::new(),
    }
}

#[test]
fn merge_decisions_name_the_survivor_and_unite_contacts() {
    let (records, clusters) = two_clusters();
    let mut merge = decision("merge", &["p1", "p2"], Some("p2"));
    merge.fields.insert("person.org_id".into(), "p1".into());
    let settings = DedupeSettings {
        decisions: vec![merge],
        ..DedupeSettings::default()
    };
    let plan = plan_merges(&clusters, &records, &settings).unwrap();
    assert_eq!(plan.absorbed.get("p1").map(String::as_str), Some("p2"));
    assert_eq!(plan.absorbed.len(), 1);
    let merged = &plan.merged["p2"];
    assert_eq!(merged.members, ["p2", "p1"]);
    assert_eq!(
        merged.emails,
        ["JANE@acme.com"],
        "one address, the survivor's spelling"
    );
    assert_eq!(merged.phones, ["+1 512 555 0191"]);
    assert_eq!(merged.labels, ["vip", "webinar"]);
    assert_eq!(merged.fields["person.org_id"], "p1");
    // The Lovelace cluster has no decision and auto-merge is off.
    assert_eq!(plan.undecided.len(), 1);
}

#[test]
fn keep_and_drop_decisions_and_auto_merge() {
    let (records, clusters) = two_clusters();
    let settings = DedupeSettings {
        keys: vec!["email".into()],
        auto_merge: true,
        decisions: vec![
            decision("keep", &["p1", "p2"], None),
            decision("drop", &["p5"], None),
        ],
    };
    let plan = plan_merges(&clusters, &records, &settings).unwrap();
    assert!(!plan.absorbed.contains_key("p1") && !plan.absorbed.contains_key("p2"));
    assert!(plan.dropped.contains("p5"));
    // Lovelace: same e-mail, auto-merged into the fuller record.
    assert_eq!(plan.absorbed.get("p3").map(String::as_str), Some("p4"));
    assert_eq!(plan.auto_merged.len(), 1);
    assert!(plan.undecided.is_empty());
}

#[test]
fn auto_merge_waits_when_a_link_rests_on_other_keys() {
    let (records, clusters) = two_clusters();
    let settings = DedupeSettings {
        keys: vec!["phone".into()],
        auto_merge: true,
        decisions: Vec::new(),
    };
    let plan = plan_merges(&clusters, &records, &settings).unwrap();
    assert!(plan.absorbed.is_empty());
    assert_eq!(plan.undecided.len(), 2);
}

#[test]
fn merges_chain_to_the_final_survivor_and_stale_records_warn() {
    let (records, clusters) = two_clusters();
    let settings = DedupeSettings {
        decisions: vec![
            decision("merge", &["p1", "p2"], Some("p1")),
            decision("merge", &["p1", "p3", "gone"], Some("p3")),
        ],
        ..DedupeSettings::default()
    };
    let plan = plan_merges(&clusters, &records, &settings).unwrap();
    assert_eq!(plan.absorbed["p2"], "p3");
    assert_eq!(plan.absorbed["p1"], "p3");
    assert_eq!(plan.merged["p3"].members, ["p3", "p1", "p2"]);
    assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
}

#[test]
fn unknown_actions_and_keys_are_errors() {
    let (records, clusters) = two_clusters();
    let settings = DedupeSettings {
        decisions: vec![decision("fuse", &["p1"], None)],
        ..DedupeSettings::default()
    };
    let err = plan_merges(&clusters, &records, &settings).unwrap_err();
    assert!(err.to_string().contains("\"fuse\""), "{err}");
    let settings = DedupeSettings {
        keys: vec!["shoe size".into()],
        ..DedupeSettings::default()
    };
    assert!(matches!(
        plan_merges(&clusters, &records, &settings),
        Err(DedupeError::UnknownKey(_))
    ));
}

#[test]
fn nicknames_titles_and_suffixes_do_not_split_a_person() {
    let a = person(1, "Robert", "Fairbanks", "", "", "Holloway Marine Ltd");
    let b = person(2, "Bob", "Fairbanks Jr.", "", "", "Holloway Marine Limited");
    assert!(score(&a, &b) >= DEFAULT_THRESHOLD);
    let c = person(3, "Dr. Robert", "Fairbanks", "", "", "Holloway Marine");
    assert!(score(&a, &c) >= DEFAULT_THRESHOLD);
}

#[test]
fn a_search_limited_to_some_evidence_finds_only_links_resting_on_it() {
    let records = vec![
        person(1, "Jane", "Roe", "jane@acme.com", "", "Acme"),
        person(2, "Ada", "Lovelace", "ada@engine.org", "", "Engine"),
        person(3, "Jane", "Roe", "JANE@acme.com", "+1 512 555 0191", ""),
        person(4, "Jane", "Roe", "", "(512) 555-0191", "Acme"),
    ];
    let all = find_clusters(Entity::Person, &records, &DedupeOptions::default()).unwrap();
    assert_eq!(all.clusters.len(), 1);
    assert_eq!(all.clusters[0].rows, [1, 3, 4]);
    let options = DedupeOptions {
        only: vec![MatchKey::Email],
        ..DedupeOptions::default()
    };
    let email = find_clusters(Entity::Person, &records, &options).unwrap();
    assert_eq!(email.clusters.len(), 1);
    assert_eq!(email.clusters[0].rows, [1, 3], "row 4 shares no e-mail");
    assert!(email.compared < all.compared);
}

#[test]
fn names_at_companies_apart_by_a_number_are_not_merged_by_name_and_company() {
    let settings = DedupeSettings {
        keys: vec!["name+org_id".into()],
        auto_merge: true,
        decisions: Vec::new(),
    };
    let merged = |a: &str, b: &str| {
        // Others around them, so that agreeing on a name is the evidence it is in a real file.
        let mut records: Vec<DedupeRecord> = [
            ("Ada", "Lovelace", "Engine Works"),
            ("John", "Smith", "Globex"),
            ("Maria", "Garcia", "Initech"),
            ("Tomasz", "Kowalski", "Acme"),
            ("Anna", "Berg", "Umbrella"),
            ("Jane", "Roe", "Hooli"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (first, last, org))| person(i as u64 + 3, first, last, "", "", org))
        .collect();
        records.push(person(1, "Li", "Wei", "", "", a));
        records.push(person(2, "Li", "Wei", "", "", b));
        let found = find_clusters(Entity::Person, &records, &DedupeOptions::default()).unwrap();
        let plan = plan_merges(&found.clusters, &records, &settings).unwrap();
        !plan.absorbed.is_empty()
    };
    // One company written two ways is still merged by name and company.
    assert!(merged("Branch 12", "Branch 12 "));
    assert!(merged(
        "Torixta Trading Corp.",
        "Torixta Trading Corporation"
    ));
    // A transposed or changed number is another branch, not a typo.
    assert!(!merged("Branch 12", "Branch 21"));
    assert!(!merged("Unit 3", "Unit 4"));
    assert!(!merged("Acme Store 007", "Acme Store 070"));
}

#[test]
fn organizations_apart_by_a_number_are_two() {
    let a = organization(1, "Unit 3", "", "");
    let b = organization(2, "Unit 4", "", "");
    assert!(score_pair(Entity::Organization, &a, &b).unwrap().0 < DEFAULT_THRESHOLD);
    let c = organization(3, "Branch 12 Ltd", "", "");
    let d = organization(4, "Branch 21 Limited", "", "");
    assert!(score_pair(Entity::Organization, &c, &d).unwrap().0 < DEFAULT_THRESHOLD);
    // The same numbers, the same website: one organisation written two ways.
    let e = organization(5, "Unit 03 Ltd", "https://unit3.example", "Austin");
    let f = organization(6, "Unit 3 Limited", "unit3.example", "Austin");
    assert!(score_pair(Entity::Organization, &e, &f).unwrap().0 >= DEFAULT_THRESHOLD);
}
