//! The fold's rules, without files: which items a deal row takes, what a widened deal row
//! holds, and where links.csv's rows go.

use super::*;

fn without_note(ids: &[&str]) -> HashSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

const ACTIVITY: &str = "05-activities";
const NOTE: &str = "06-notes";
const DEAL: &str = "03-deals";

#[test]
fn stems_are_the_files_the_fold_rewrites() {
    assert_eq!(Entity::Activity.file_stem(), ACTIVITY);
    assert_eq!(Entity::Note.file_stem(), NOTE);
    assert_eq!(Entity::Deal.file_stem(), DEAL);
}

#[test]
fn a_deal_takes_its_first_activity_and_a_note_only_when_it_has_none() {
    let mut links = DealLinks::default();
    let bare = without_note(&["D1"]);
    links.take(ACTIVITY, (1, 1), "deal", "D1", &bare);
    links.take(ACTIVITY, (1, 2), "deal", "D1", &bare);
    links.take(ACTIVITY, (1, 3), "person", "P1", &bare);
    links.take(NOTE, (1, 1), "deal", "D2", &bare);
    links.take(NOTE, (1, 2), "deal", "D1", &bare);
    assert_eq!(links.first_of(Entity::Activity, "D1"), Some(&(1, 1)));
    assert_eq!(links.first_of(Entity::Note, "D1"), Some(&(1, 2)));
    assert_eq!(
        links.first_of(Entity::Note, "D2"),
        None,
        "D2 has its own note"
    );
    assert_eq!(links.taken(Entity::Activity), HashSet::from([(1, 1)]));
    assert!(links.contacts_of.is_empty(), "only deal rows have contacts");
}

#[test]
fn a_deal_rows_links_name_its_person_and_organization() {
    let mut links = DealLinks::default();
    let none = HashSet::new();
    links.take(DEAL, (1, 4), "person", "P7", &none);
    links.take(DEAL, (1, 4), "organization", "O3", &none);
    links.take(DEAL, (1, 5), "owner", "U1", &none);
    links.take("02-persons", (1, 1), "organization", "O3", &none);
    assert_eq!(
        links.contacts_of.get(&(1, 4)),
        Some(&(Some("P7".to_string()), Some("O3".to_string())))
    );
    assert_eq!(links.contacts_of.get(&(1, 5)), Some(&(None, None)));
    assert_eq!(links.contacts_of.len(), 2);
    let ids: OwnIds = HashMap::from([(
        Entity::Person.file_stem().to_string(),
        HashMap::from([("P7".to_string(), (2, 9))]),
    )]);
    assert_eq!(
        links.linked_rows(&ids, Entity::Person),
        HashSet::from([(2, 9)])
    );
    assert!(links.linked_rows(&ids, Entity::Organization).is_empty());
}

/// One deal (D1, row 1/1) linked to person P1 and organization O1, with a first activity and
/// a first note taken out of their files.
struct Fixture {
    ids: OwnIds,
    links: DealLinks,
    contacts: Contacts,
    activities: Taken,
    notes: Taken,
}

impl Fixture {
    /// The fold of the deal rows `deals` with the fixture's links, contacts and items.
    fn fold<'a>(&'a self, deals: &'a DealRows<'a>) -> DealFold<'a> {
        DealFold {
            ids: &self.ids,
            deals,
            links: &self.links,
            contacts: &self.contacts,
            activities: &self.activities,
            notes: &self.notes,
        }
    }
}

fn fixture() -> Fixture {
    let own =
        |stem: &str, id: &str, at: At| (stem.to_string(), HashMap::from([(id.to_string(), at)]));
    let ids: OwnIds = HashMap::from([
        own(DEAL, "D1", (1, 1)),
        own(Entity::Person.file_stem(), "P1", (1, 3)),
        own(Entity::Organization.file_stem(), "O1", (1, 2)),
    ]);
    let mut links = DealLinks::default();
    let bare = without_note(&["D1"]);
    links.take(DEAL, (1, 1), "person", "P1", &bare);
    links.take(DEAL, (1, 1), "organization", "O1", &bare);
    links.take(ACTIVITY, (1, 4), "deal", "D1", &bare);
    links.take(NOTE, (1, 6), "deal", "D1", &bare);
    let contacts = Contacts {
        person: HashMap::from([((1, 3), ("ann@x.example".into(), "+1 555".into()))]),
        org_address: HashMap::from([((1, 2), ("1 Main St".into()))]),
    };
    let activities = Taken {
        headers: vec!["Activity - Subject".into(), "Activity - Due date".into()],
        aside: HashMap::from([((1, 4), vec!["Call".into(), "2024-01-02".into()])]),
        rewritten: true,
        ..Taken::default()
    };
    let notes = Taken {
        aside: HashMap::from([((1, 6), vec!["Met at the fair".into()])]),
        rewritten: true,
        ..Taken::default()
    };
    Fixture {
        ids,
        links,
        contacts,
        activities,
        notes,
    }
}

#[test]
fn a_deal_row_gains_its_contacts_first_activity_and_note() {
    let f = fixture();
    let deals = DealRows {
        id_at: HashMap::from([((1, 1), "D1"), ((1, 2), "D2")]),
        note_col: Some(1),
        without_note: without_note(&["D1", "D2"]),
    };
    let fold = f.fold(&deals);
    let mut folded = Folded::default();
    let row = fold.row(
        (1, 1),
        &csv::StringRecord::from(vec!["Big deal", ""]),
        &mut folded,
    );
    assert_eq!(
        row,
        [
            "Big deal",
            "Met at the fair",
            "ann@x.example",
            "+1 555",
            "1 Main St",
            "Call",
            "2024-01-02"
        ]
    );
    // A deal with nothing linked keeps its cells and gets empty ones, as wide as the header.
    let other = fold.row(
        (1, 2),
        &csv::StringRecord::from(vec!["Small", ""]),
        &mut folded,
    );
    assert_eq!(other, ["Small", "", "", "", "", "", ""]);
    assert_eq!(
        folded,
        Folded {
            activities: 1,
            notes: 1,
            contacts: 1
        }
    );
}

#[test]
fn without_a_note_column_the_note_stays_in_the_notes_file() {
    let f = fixture();
    let deals = DealRows {
        id_at: HashMap::from([((1, 1), "D1")]),
        note_col: None,
        without_note: HashSet::new(),
    };
    let fold = f.fold(&deals);
    let mut folded = Folded::default();
    let row = fold.row(
        (1, 1),
        &csv::StringRecord::from(vec!["Big deal"]),
        &mut folded,
    );
    assert_eq!(row.len(), 1 + 3 + 2);
    assert_eq!(folded.notes, 0);
    assert_eq!(folded.activities, 1);
}

#[test]
fn links_follow_moved_rows_and_drop_folded_ones() {
    let activities = Taken {
        moved: HashMap::from([((1, 5), (1, 1))]),
        rewritten: true,
        ..Taken::default()
    };
    let notes = Taken::default();
    let deals = HashMap::from([((1, 1), (1, 1)), ((2, 1), (1, 2))]);
    // The activity folded into its deal row (1/4) has no row of its own left.
    assert_eq!(
        moved_to(ACTIVITY, (1, 4), &activities, &notes, &deals),
        None
    );
    assert_eq!(
        moved_to(ACTIVITY, (1, 5), &activities, &notes, &deals),
        Some((1, 1))
    );
    // Nothing was taken out of the notes: they stay where they were.
    assert_eq!(
        moved_to(NOTE, (3, 7), &activities, &notes, &deals),
        Some((3, 7))
    );
    assert_eq!(
        moved_to(DEAL, (2, 1), &activities, &notes, &deals),
        Some((1, 2))
    );
    assert_eq!(
        moved_to("02-persons", (1, 9), &activities, &notes, &deals),
        Some((1, 9))
    );
}
