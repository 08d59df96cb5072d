use std::collections::BTreeMap;

use super::*;
use crate::transform::plan::Conv;

fn target(text: &str) -> Target {
    text.parse().expect("a valid target")
}

fn set(text: &str) -> Rule {
    Rule::Set {
        target: target(text),
        conv: Conv::Text,
        slot: Slot::Note,
    }
}

fn custom(name: &str, part: Option<AddressPart>) -> Slot {
    Slot::Custom {
        name: name.into(),
        part,
    }
}

fn labelled(key: &str, label: &str) -> Slot {
    Slot::Field {
        key: key.into(),
        label: Some(label.into()),
    }
}

#[test]
fn custom_fields_of_activities_and_notes_go_to_their_text() {
    let activity = custom_slots(Entity::Activity, "Channel", None);
    assert_eq!(activity, [(Entity::Activity, Slot::field("note"))]);
    let note = custom_slots(Entity::Note, "Channel", None);
    assert_eq!(note, [(Entity::Note, Slot::field("content"))]);
    let deal = custom_slots(Entity::Deal, "Channel", None);
    assert_eq!(deal, [(Entity::Deal, custom("Channel", None))]);
}

#[test]
fn a_custom_address_part_fills_its_column_and_the_whole_address() {
    let slots = custom_slots(Entity::Organization, "Shipping", Some(AddressPart::City));
    let expected = [
        (Entity::Organization, custom("Shipping", None)),
        (
            Entity::Organization,
            custom("Shipping", Some(AddressPart::City)),
        ),
    ];
    assert_eq!(slots, expected);
}

#[test]
fn a_due_time_goes_to_the_due_date_column() {
    let schema = Schema::builtin();
    let t = target("activity.due_time");
    assert_eq!(
        field_slots(&schema, &t, "due_time"),
        [Slot::field("due_date")]
    );
}

#[test]
fn an_address_part_fills_its_labelled_column_and_the_whole_address() {
    let schema = Schema::builtin();
    let t = target("organization.address:city");
    let slots = field_slots(&schema, &t, "address");
    assert_eq!(slots, [Slot::field("address"), labelled("address", "city")]);
    let whole = target("organization.address");
    assert_eq!(
        field_slots(&schema, &whole, "address"),
        [Slot::field("address")]
    );
}

#[test]
fn a_multi_field_fills_every_label_and_a_plain_field_itself() {
    let schema = Schema::builtin();
    let email = target("person.email:work");
    let labels = &schema
        .field(&email.without_label())
        .expect("built in")
        .labels;
    assert!(labels.len() > 1, "{labels:?}");
    let expected: Vec<Slot> = labels.iter().map(|l| labelled("email", l)).collect();
    assert_eq!(field_slots(&schema, &email, "email"), expected);
    let name = target("person.name");
    assert_eq!(field_slots(&schema, &name, "name"), [Slot::field("name")]);
    assert_eq!(
        slots_of(&schema, &name),
        [(Entity::Person, Slot::field("name"))]
    );
    assert!(slots_of(&schema, &Target::Skip).is_empty());
    assert!(slots_of(&schema, &Target::Note).is_empty());
}

#[test]
fn a_slot_is_wanted_once_per_entity() {
    let mut wanted = Wanted::default();
    wanted.add(Entity::Person, Slot::field("name"));
    wanted.add(Entity::Person, Slot::field("name"));
    wanted.add(Entity::Deal, Slot::field("name"));
    assert_eq!(wanted.slots[&Entity::Person], [Slot::field("name")]);
    assert_eq!(wanted.slots[&Entity::Deal], [Slot::field("name")]);
}

#[test]
fn both_sides_of_a_split_file_get_their_name_and_links() {
    let mut plan = FilePlan::of_notes("accounts.csv", &["Name"], Entity::Organization);
    plan.split = Some((0, Entity::Person));
    let mut wanted = Wanted::default();
    wanted.add_records(&plan);
    assert_eq!(wanted.slots[&Entity::Organization], [Slot::field("name")]);
    let person = [Slot::field("name"), Slot::Link(Entity::Organization)];
    assert_eq!(wanted.slots[&Entity::Person], person);
}

#[test]
fn a_deal_file_with_status_flags_gets_a_status_column() {
    let mut plan = FilePlan::of_notes("deals.csv", &["IsWon"], Entity::Deal);
    let mut wanted = Wanted::default();
    wanted.add_records(&plan);
    assert!(!wanted.slots[&Entity::Deal].contains(&Slot::field("status")));
    plan.status_flags = vec![(0, crate::values::StatusFlag::Won)];
    wanted.add_records(&plan);
    assert!(wanted.slots[&Entity::Deal].contains(&Slot::field("status")));
}

#[test]
fn a_field_of_another_entity_makes_a_record_with_a_name() {
    let schema = Schema::builtin();
    let mut wanted = Wanted::default();
    let rule = set("organization.address");
    wanted.add_rule(&schema, Entity::Person, Entity::Person, &rule);
    let org = [Slot::field("address"), Slot::field("name")];
    assert_eq!(wanted.slots[&Entity::Organization], org);
    // The file's own entity, or the split side's, is named by the file itself.
    for (file, owner) in [
        (Entity::Person, Entity::Organization),
        (Entity::Organization, Entity::Person),
    ] {
        let mut wanted = Wanted::default();
        wanted.add_rule(&schema, file, owner, &rule);
        let org = &wanted.slots[&Entity::Organization];
        assert_eq!(
            org,
            &[Slot::field("address")],
            "{file:?} file, {owner:?} rows"
        );
    }
}

#[test]
fn a_link_by_a_person_id_has_room_for_a_company() {
    let schema = Schema::builtin();
    let mut wanted = Wanted::default();
    let types = BTreeMap::from([("Contact".to_string(), Entity::Person)]);
    let rule = Rule::LinkBy {
        type_column: 1,
        types,
    };
    wanted.add_rule(&schema, Entity::Activity, Entity::Activity, &rule);
    let links = [Slot::Link(Entity::Person), Slot::Link(Entity::Organization)];
    assert_eq!(wanted.slots[&Entity::Activity], links);
    let any = Rule::LinkAny {
        to: vec![Entity::Deal, Entity::Lead],
    };
    wanted.add_rule(&schema, Entity::Activity, Entity::Note, &any);
    assert_eq!(
        wanted.slots[&Entity::Note],
        [Slot::Link(Entity::Deal), Slot::Link(Entity::Lead)]
    );
}

#[test]
fn layouts_come_in_entity_order_with_the_derived_columns() {
    let schema = Schema::builtin();
    let mut plan = FilePlan::of_notes("deals.csv", &["Stage", "Org"], Entity::Deal);
    plan.rules = vec![set("deal.stage_id"), set("organization.name")];
    let layouts = build(&schema, &[plan]);
    let entities: Vec<Entity> = layouts.iter().map(|l| l.entity).collect();
    assert_eq!(entities, [Entity::Organization, Entity::Deal]);
    let deal = &layouts[1];
    for key in ["title", "stage_id", "pipeline_id", "status"] {
        assert!(deal.field(key).is_some(), "{key} in {:?}", deal.slots);
    }
    assert_eq!(deal.slots.last(), Some(&Slot::Note));
    assert_eq!(deal.slots[0], Slot::field("title"));
}

#[test]
fn a_multi_field_has_a_column_per_label_in_column_order() {
    let slots = vec![
        labelled("email", "work"),
        Slot::field("name"),
        labelled("email", "home"),
        Slot::field("email"),
        custom("email", None),
    ];
    let headers = (0..slots.len()).map(|i| format!("h{i}")).collect();
    let layout = Layout::new(Entity::Person, slots, headers);
    assert_eq!(layout.columns_of("email"), [0, 2, 3]);
    assert_eq!(layout.columns_of("name"), [1]);
    assert!(layout.columns_of("phone").is_empty());
}
