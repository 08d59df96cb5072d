//! The request body that creates an activity or a note from an export row, with its links as
//! Pipedrive ids: API v2's `POST /activities` (`subject`, `type`, `due_date`, `due_time`,
//! `duration`, `done`, `note`, `owner_id`, `deal_id`, `lead_id`, `org_id`, the person as a
//! primary `participants` entry) and API v1's `POST /notes` (`content`, `add_time` in
//! `YYYY-MM-DD HH:MM:SS`, `user_id`, `deal_id`, `lead_id`, `person_id`, `org_id`). Columns the
//! API has no field for are added to the activity's note, so nothing is lost.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::rows::Row;
use crate::account::remote::{RemoteActivityType, RemoteUser};
use crate::entity::Entity;

/// What a body needs of the account besides the links.
pub struct Lookup<'a> {
    pub users: &'a [RemoteUser],
    pub activity_types: &'a [RemoteActivityType],
}

const ACTIVITY_COLUMNS: [&str; 8] = [
    "Activity - Subject",
    "Activity - Type",
    "Activity - Due date",
    "Activity - Due time",
    "Activity - Duration",
    "Activity - Done",
    "Activity - Note",
    "Activity - Assigned to user",
];

/// The body creating the row's activity or note, linked to `ids`.
pub fn body(row: &Row, ids: &BTreeMap<Entity, Value>, lookup: &Lookup) -> Value {
    match row.entity {
        Entity::Note => note(row, ids, lookup),
        _ => activity(row, ids, lookup),
    }
}

fn activity(row: &Row, ids: &BTreeMap<Entity, Value>, lookup: &Lookup) -> Value {
    let mut b = Map::new();
    let mut extra = Vec::new();
    put_text(&mut b, "subject", row.get("Activity - Subject"));
    let kind = row.get("Activity - Type");
    match lookup
        .activity_types
        .iter()
        .find(|t| t.key_string.eq_ignore_ascii_case(kind) || t.name.eq_ignore_ascii_case(kind))
    {
        Some(t) => {
            b.insert("type".into(), json!(t.key_string));
        }
        None if !kind.is_empty() => extra.push(format!("Type: {kind}")),
        None => {}
    }
    let (date, time_in_date) = split_date_time(row.get("Activity - Due date"));
    put_text(&mut b, "due_date", &date);
    let time = match row.get("Activity - Due time") {
        "" => time_in_date,
        t => hh_mm(t),
    };
    put_text(&mut b, "due_time", &time);
    put_text(&mut b, "duration", &hh_mm(row.get("Activity - Duration")));
    if let Some(done) = flag(row.get("Activity - Done")) {
        b.insert("done".into(), json!(done));
    }
    let owner = row.get("Activity - Assigned to user");
    match user_id(lookup, owner) {
        Some(id) => {
            b.insert("owner_id".into(), json!(id));
        }
        None if !owner.is_empty() => extra.push(format!("Assigned to user: {owner}")),
        None => {}
    }
    for (header, value) in &row.cells {
        let value = value.trim();
        if let Some(name) = header.strip_prefix("Activity - ")
            && !ACTIVITY_COLUMNS.contains(&header.as_str())
            && !value.is_empty()
        {
            extra.push(format!("{name}: {value}"));
        }
    }
    let mut note = row.get("Activity - Note").to_string();
    for line in extra {
        if !note.is_empty() {
            note.push('\n');
        }
        note.push_str(&line);
    }
    put_text(&mut b, "note", &note);
    link(&mut b, ids, Entity::Deal, "deal_id");
    link(&mut b, ids, Entity::Lead, "lead_id");
    link(&mut b, ids, Entity::Organization, "org_id");
    if let Some(person) = ids.get(&Entity::Person) {
        b.insert(
            "participants".into(),
            json!([{"person_id": person, "primary": true}]),
        );
    }
    Value::Object(b)
}

fn note(row: &Row, ids: &BTreeMap<Entity, Value>, lookup: &Lookup) -> Value {
    let mut b = Map::new();
    b.insert("content".into(), json!(row.get("Note - Content")));
    let added = row.get("Note - Add time");
    if let Some((date, time)) = added.split_once([' ', 'T']) {
        let time = time.trim().trim_end_matches('Z');
        let time = if time.matches(':').count() == 1 {
            format!("{time}:00")
        } else {
            time.chars().take(8).collect()
        };
        b.insert("add_time".into(), json!(format!("{date} {time}")));
    } else if !added.is_empty() {
        b.insert("add_time".into(), json!(format!("{added} 00:00:00")));
    }
    if let Some(id) = user_id(lookup, row.get("Note - User")) {
        b.insert("user_id".into(), json!(id));
    }
    link(&mut b, ids, Entity::Deal, "deal_id");
    link(&mut b, ids, Entity::Lead, "lead_id");
    link(&mut b, ids, Entity::Person, "person_id");
    link(&mut b, ids, Entity::Organization, "org_id");
    Value::Object(b)
}

fn link(b: &mut Map<String, Value>, ids: &BTreeMap<Entity, Value>, entity: Entity, key: &str) {
    if let Some(id) = ids.get(&entity) {
        b.insert(key.into(), id.clone());
    }
}

fn put_text(b: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.is_empty() {
        b.insert(key.into(), json!(value));
    }
}

/// A user by e-mail, else by a name exactly one user has.
fn user_id(lookup: &Lookup, who: &str) -> Option<i64> {
    if who.is_empty() {
        return None;
    }
    if let Some(u) = lookup
        .users
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(who))
    {
        return Some(u.id);
    }
    let mut named = lookup
        .users
        .iter()
        .filter(|u| u.name.eq_ignore_ascii_case(who));
    match (named.next(), named.next()) {
        (Some(u), None) => Some(u.id),
        _ => None,
    }
}

/// `2021-08-12 13:00:00` → (`2021-08-12`, `13:00`); a date alone has no time.
fn split_date_time(text: &str) -> (String, String) {
    let text = text.trim();
    match text.split_once([' ', 'T']) {
        Some((date, time)) => (date.to_string(), hh_mm(time)),
        None => (text.to_string(), String::new()),
    }
}

/// `13:00:00` → `13:00`; other text as it is.
fn hh_mm(text: &str) -> String {
    let t = text.trim();
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() >= 2 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        format!("{:0>2}:{:0>2}", parts[0], parts[1])
    } else {
        t.to_string()
    }
}

fn flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "done" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(entity: Entity, cells: &[(&str, &str)]) -> Row {
        Row {
            file: "05-activities.csv".into(),
            row: 1,
            entity,
            cells: cells
                .iter()
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
            links: Vec::new(),
        }
    }

    #[test]
    fn an_activity_keeps_its_date_time_state_owner_and_every_other_column() {
        let users = [RemoteUser {
            id: 3,
            name: "Maria Lindqvist".into(),
            email: "maria@acme.test".into(),
            active_flag: true,
        }];
        let types = [RemoteActivityType {
            id: 1,
            name: "Call".into(),
            key_string: "call".into(),
            active_flag: true,
        }];
        let lookup = Lookup {
            users: &users,
            activity_types: &types,
        };
        let r = row(
            Entity::Activity,
            &[
                ("Activity - Subject", "Check contract"),
                ("Activity - Type", "Call"),
                ("Activity - Due date", "2021-08-12 13:00:00"),
                ("Activity - Done", "1"),
                ("Activity - Assigned to user", "Maria Lindqvist"),
                ("Activity - Add time", "2021-08-06 13:09:40"),
                ("Activity - Note", "Sell ID: 7300001"),
            ],
        );
        let ids: BTreeMap<Entity, Value> =
            [(Entity::Deal, json!(5)), (Entity::Person, json!(6))].into();
        assert_eq!(
            body(&r, &ids, &lookup),
            json!({"subject": "Check contract", "type": "call", "due_date": "2021-08-12",
                   "due_time": "13:00", "done": true, "owner_id": 3,
                   "note": "Sell ID: 7300001\nAdd time: 2021-08-06 13:09:40",
                   "deal_id": 5, "participants": [{"person_id": 6, "primary": true}]})
        );
    }

    #[test]
    fn a_note_keeps_its_time_in_pipedrives_format() {
        let lookup = Lookup {
            users: &[],
            activity_types: &[],
        };
        let r = row(
            Entity::Note,
            &[
                ("Note - Content", "Intro sent."),
                ("Note - Add time", "2020-01-02T03:04:05"),
            ],
        );
        let ids: BTreeMap<Entity, Value> = [(Entity::Organization, json!(9))].into();
        assert_eq!(
            body(&r, &ids, &lookup),
            json!({"content": "Intro sent.", "add_time": "2020-01-02 03:04:05", "org_id": 9})
        );
    }
}
