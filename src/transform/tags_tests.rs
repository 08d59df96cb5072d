use super::*;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn tag_files_and_link_tables_are_told_by_their_columns() {
    assert_eq!(
        tag_columns(&strings(&["id", "tag", "tagType"])),
        Some((0, 1))
    );
    assert_eq!(
        tag_columns(&strings(&["Id", "GroupName", "GroupCategoryId"])),
        Some((0, 1))
    );
    assert_eq!(tag_columns(&strings(&["Id", "Amount"])), None);
    assert_eq!(
        link_columns(
            "contactTags.csv",
            &strings(&["id", "contact", "tag", "cdate"])
        ),
        Some((2, 1, Entity::Person))
    );
    assert_eq!(
        link_columns(
            "ContactGroupAssign.csv",
            &strings(&["ContactGroup", "ContactId", "DateCreated", "GroupId"])
        ),
        Some((3, 1, Entity::Person))
    );
    assert_eq!(
        link_columns("deal_tags.csv", &strings(&["deal_id", "tag_id"])),
        Some((1, 0, Entity::Deal))
    );
    // A tags file is no link table.
    assert_eq!(link_columns("tags.csv", &strings(&["id", "tag"])), None);
}

#[test]
fn labels_join_a_records_own_and_skip_other_records_and_entities() {
    let schema = Schema::builtin();
    let layout = layout::rebuild(
        &schema,
        Entity::Person,
        vec![
            Slot::Field {
                key: "name".into(),
                label: None,
            },
            Slot::Field {
                key: "label".into(),
                label: None,
            },
        ],
    );
    let col = layout.field("label").expect("a label column");
    let mut labels = RecordLabels::default();
    labels
        .by_entity
        .entry(Entity::Person)
        .or_default()
        .insert("11".into(), vec!["vip".into(), "newsletter".into()]);
    let mut cells = vec![String::new(); layout.slots.len()];
    cells[col] = "buyer".into();
    add_labels(
        &labels,
        Some(&layout),
        Entity::Person,
        Some("11"),
        &mut cells,
    );
    assert_eq!(cells[col], "buyer, newsletter, vip");
    let mut other = vec![String::new(); layout.slots.len()];
    add_labels(
        &labels,
        Some(&layout),
        Entity::Person,
        Some("12"),
        &mut other,
    );
    add_labels(&labels, Some(&layout), Entity::Deal, Some("11"), &mut other);
    assert_eq!(other[col], "");
}

fn table(text: &str) -> Table {
    Table::from_bytes("tags.csv", text.as_bytes().to_vec()).expect("a readable table")
}

fn names(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(id, name)| (id.to_string(), name.to_string()))
        .collect()
}

#[test]
fn the_first_name_given_to_a_tag_id_wins() {
    let mut known = names(&[("1", "vip")]);
    let mut tags = table("id,tag\n1,very important\n2, newsletter \n3,\n,orphan\n");
    assert!(read_tag_names(&mut tags, 0, 1, &mut known).expect("read"));
    assert_eq!(known, names(&[("1", "vip"), ("2", "newsletter")]));
    // A file that names no new tag is not counted as used.
    let mut again = table("id,tag\n1,other\n");
    assert!(!read_tag_names(&mut again, 0, 1, &mut known).expect("read"));
    assert_eq!(known["1"], "vip");
}

#[test]
fn a_link_table_gives_each_record_its_tags_once_and_keeps_unknown_ids() {
    let known = names(&[("1", "vip"), ("2", "newsletter")]);
    let mut links = table("contact,tag\n11,1\n11,2\n11,1\n12,9\n,1\n13,\n");
    let linked = read_link_table(&mut links, 1, 0, &known).expect("read");
    assert_eq!(linked.by_id["11"], strings(&["vip", "newsletter"]));
    assert_eq!(linked.by_id["12"], strings(&["9"]));
    assert_eq!(linked.by_id.len(), 2);
    assert_eq!(linked.linked, 3, "the repeated link counts once");
    assert_eq!(linked.unnamed, BTreeSet::from(["9".to_string()]));
}

#[test]
fn the_note_names_the_files_and_the_ids_without_a_name() {
    let mut linked = LinkedTags {
        by_id: HashMap::from([("11".to_string(), strings(&["vip"]))]),
        linked: 4,
        unnamed: BTreeSet::new(),
    };
    let files = strings(&["tags.csv", "topics.csv"]);
    let note = link_note(Entity::Person, &files, "contactTags.csv", &linked);
    assert_eq!(
        note,
        "Labels: the tags of tags.csv, topics.csv given to 1 persons through contactTags.csv (4 links, by the records' ids), in person.label; tags.csv, topics.csv and contactTags.csv were used, not exported"
    );
    linked.unnamed = BTreeSet::from(["9".to_string(), "10".to_string()]);
    let note = link_note(Entity::Person, &files, "contactTags.csv", &linked);
    assert!(
        note.ends_with("; tag ids tags.csv, topics.csv has no name for are kept as written: 10, 9"),
        "{note}"
    );
}

#[test]
fn a_second_link_table_adds_to_the_same_records() {
    let mut all = HashMap::from([("11".to_string(), strings(&["vip"]))]);
    let more = HashMap::from([
        ("11".to_string(), strings(&["vip", "topic"])),
        ("12".to_string(), strings(&["topic"])),
    ]);
    add_record_labels(&mut all, more);
    assert_eq!(all["11"], strings(&["vip", "topic"]));
    assert_eq!(all["12"], strings(&["topic"]));
}

#[test]
fn link_tables_and_tags_files_are_sorted_and_a_file_of_no_new_tag_is_not_used() {
    let dir = std::env::temp_dir().join(format!("pipemap-tags-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let files = [
        ("tags.csv", "id,tag\n1,vip\n"),
        ("contactTags.csv", "id,contact,tag\n5,11,1\n"),
        ("more_tags.csv", "id,tag\n1,other\n"),
    ];
    let sources: Vec<SourceRef> = files
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("a written file");
            SourceRef {
                name: name.to_string(),
                origin: crate::source::Origin::File(path),
            }
        })
        .collect();
    let found = read_sources(&sources);
    std::fs::remove_dir_all(&dir).expect("the folder removed");
    let found = found.expect("readable files");
    assert_eq!(found.tag_files, ["tags.csv"]);
    assert_eq!(found.names, names(&[("1", "vip")]));
    let links: Vec<(&str, usize, usize, Entity)> = found
        .links
        .iter()
        .map(|l| (l.source.name.as_str(), l.tag, l.record, l.entity))
        .collect();
    assert_eq!(links, [("contactTags.csv", 2, 1, Entity::Person)]);
}
