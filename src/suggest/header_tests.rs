//! Headers pipemap was never shown: other scripts, empty names, a CRM's structured names.

use super::*;
use crate::schema::Schema;

fn suggest(headers: &[&str], entity: Entity) -> Vec<ColumnSuggestion> {
    let schema = Schema::builtin();
    let vocabularies = Vocabularies::new(&schema);
    let columns: Vec<_> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| crate::source::stats::profile_column(h, i, &[]))
        .collect();
    suggest_columns(&vocabularies, entity, &columns, None)
}

fn target(s: &ColumnSuggestion) -> String {
    s.target
        .as_ref()
        .map(|t| t.without_label().to_string())
        .unwrap_or_default()
}

#[test]
fn headers_in_other_scripts_are_transliterated_and_never_panic() {
    let headers = [
        "Телефон",
        "Имя",
        "Όνομα",
        "Τηλέφωνο",
        "电子邮件",
        "会社名",
        "이메일",
        "📧 ✉",
        "\u{200b}",
        "Ünïcödé_Ñame",
    ];
    let got = suggest(&headers, Entity::Person);
    assert_eq!(got.len(), headers.len());
    // Cyrillic "Telefon" reads as the German/Scandinavian word for phone.
    assert_eq!(target(&got[0]), "person.phone");
    for s in &got {
        // Every column keeps a place to go: a field or a named custom field.
        let t = s.target.as_ref().expect("every column gets a target");
        if let Target::Custom { name, .. } = t {
            assert!(
                !name.trim().is_empty(),
                "{:?}: empty custom field",
                s.column
            );
        }
    }
}

#[test]
fn an_empty_header_stays_a_column_to_map() {
    let got = suggest(&["Email", "", "  ", "Phone"], Entity::Person);
    assert_eq!(got.len(), 4);
    assert_eq!(target(&got[0]), "person.email");
    assert_eq!(
        got[1].target.as_ref().map(|t| t.to_string()).as_deref(),
        Some("person.custom:Column 2")
    );
    assert_eq!(
        got[2].target.as_ref().map(|t| t.to_string()).as_deref(),
        Some("person.custom:Column 3")
    );
    assert_eq!(target(&got[3]), "person.phone");
}

#[test]
fn a_crms_structured_names_are_read_without_listing_them() {
    let got = suggest(
        &[
            "accounts.city",
            "accounts.display_name",
            "owner_user_id",
            "created_user_id",
            "date_created_utc",
        ],
        Entity::Organization,
    );
    assert_eq!(target(&got[0]), "organization.address");
    assert_eq!(target(&got[1]), "organization.name");
    assert_eq!(target(&got[2]), "organization.owner_id");
    assert!(got[2].tier < Tier::High, "an id column is never certain");
    assert_ne!(target(&got[3]), "organization.owner_id");
    assert_eq!(target(&got[4]), "organization.add_time");

    // The same record referenced by id and by name: the name is the one to map.
    let got = suggest(&["assigned_user_id", "assigned_user_name"], Entity::Person);
    assert_eq!(target(&got[1]), "person.owner_id");
    assert_ne!(target(&got[0]), "person.owner_id");

    // "Created By" is a user, never the creation date.
    let got = suggest(&["Created By", "c_date"], Entity::Person);
    assert_ne!(target(&got[0]), "person.add_time");
    assert_eq!(target(&got[1]), "person.add_time");
}

#[test]
fn a_localised_header_is_a_hint_never_certain() {
    let schema = Schema::builtin();
    // Without Pipedrive's own labels, the words alone.
    let vocabularies = Vocabularies::without_crm(&schema, "pipedrive");
    let headers = [
        "Negócio - Probabilidade",
        "Negócio - Motivo da perda",
        "Negócio - Data de perda",
    ];
    let columns: Vec<_> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| crate::source::stats::profile_column(h, i, &[]))
        .collect();
    let got = suggest_columns(&vocabularies, Entity::Deal, &columns, None);
    let want = ["deal.probability", "deal.lost_reason", "deal.lost_time"];
    for (s, want) in got.iter().zip(want) {
        assert_eq!(target(s), want, "{}", s.column);
        assert!(s.tier < Tier::High, "{}: {:?}", s.column, s.tier);
    }
}

#[test]
fn long_and_deeply_nested_headers_are_read_without_trouble() {
    let nested = format!("{}city", "accounts.".repeat(5000));
    let long = "x".repeat(100_000);
    let dots = ".".repeat(1000);
    let got = suggest(&[&nested, &long, &dots, "a.", ".b"], Entity::Organization);
    assert_eq!(got.len(), 5);
    assert!(got.iter().all(|s| s.target.is_some()));
}
