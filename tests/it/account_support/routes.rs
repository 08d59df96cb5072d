//! How the look-alike answers each operation, in the shapes of Pipedrive's published documents:
//! API v2 for pipelines, stages and the person, organization, deal, product and activity fields
//! (cursor pages of two items, `field_code`/`field_name`, options through `/options`); API v1
//! for `users/me`, users, activity types, lead labels, currencies (whole lists), note fields
//! (whole) and lead fields (offset pages of two). What is created is kept, so later reads see
//! it; deletions remove. Any other path, or the other version of one of these, is a 404, as
//! Pipedrive answers an endpoint it no longer publishes. 401 without the test token.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::server::{State, TOKEN, hex_key};
use super::spec::split_version;

type Answer = (u16, String, Value);

pub(super) fn error_body(code: u16) -> Value {
    json!({"success": false, "error": format!("fake error {code}"), "errorCode": code})
}

fn ok(data: Value) -> Answer {
    (200, String::new(), json!({"success": true, "data": data}))
}

fn not_found() -> Answer {
    (404, String::new(), error_body(404))
}

const PAGE: usize = 2;
const TIME: &str = "2026-01-05T10:00:00Z";

/// A v2 list page: `additional_data.next_cursor` names the next, null at the end.
fn cursor_page(items: &[Value], query: &BTreeMap<String, String>) -> Answer {
    let start: usize = query
        .get("cursor")
        .and_then(|c| c.strip_prefix('c'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let end = (start + PAGE).min(items.len());
    let data = &items[start.min(end)..end];
    // The document types next_cursor as text: the last page leaves it out.
    let additional = if end < items.len() {
        json!({"next_cursor": format!("c{end}")})
    } else {
        json!({})
    };
    (
        200,
        String::new(),
        json!({"success": true, "data": data, "additional_data": additional}),
    )
}

/// A v1 list page: `additional_data.pagination` says whether more follow.
fn offset_page(items: &[Value], query: &BTreeMap<String, String>) -> Answer {
    let start: usize = query.get("start").and_then(|v| v.parse().ok()).unwrap_or(0);
    let end = (start + PAGE).min(items.len());
    let more = end < items.len();
    let mut pagination = json!({"start": start, "limit": PAGE, "more_items_in_collection": more});
    if more {
        pagination["next_start"] = json!(end);
    }
    (
        200,
        String::new(),
        json!({"success": true, "data": items[start.min(end)..end],
               "additional_data": {"pagination": pagination}}),
    )
}

/// An id as it appears in a path.
fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

const V2_FIELDS: [&str; 5] = [
    "personFields",
    "organizationFields",
    "dealFields",
    "productFields",
    "activityFields",
];

pub(super) fn route(
    s: &mut State,
    method: &str,
    path: &str,
    query: &BTreeMap<String, String>,
    body: &str,
    token: Option<&str>,
) -> Answer {
    if token != Some(TOKEN) {
        return (401, String::new(), error_body(401));
    }
    if method == "POST" {
        s.posts += 1;
        if s.fail_post == Some(s.posts) {
            return (500, String::new(), error_body(500));
        }
    }
    let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let Some((version, rest)) = split_version(path) else {
        return not_found();
    };
    let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    s.next_id += 1;
    let new_id = s.next_id;
    match (version, segments.as_slice()) {
        ("v1", _) => v1(s, method, &segments, query, &body, new_id),
        ("v2", [name, ..]) if V2_FIELDS.contains(name) => {
            v2_fields(s, method, &segments, query, &body, new_id)
        }
        ("v2", _) => v2(s, method, &segments, query, &body, new_id),
        _ => not_found(),
    }
}

fn v1(
    s: &mut State,
    method: &str,
    segments: &[&str],
    query: &BTreeMap<String, String>,
    body: &Value,
    new_id: i64,
) -> Answer {
    if let [name, id] = segments
        && V2_FIELDS.contains(name)
        && id.parse::<i64>().is_ok()
    {
        return v1_legacy_field(s, method, name, id, body);
    }
    match (method, segments) {
        ("GET", ["users", "me"]) => ok(json!({
            "id": 7, "name": "Jane Roe", "email": "jane@acme.test", "company_id": 99,
            "company_name": "Acme", "company_domain": "acme", "default_currency": "EUR"})),
        ("GET", ["users"]) => ok(json!(s.users)),
        ("GET", ["currencies"]) => ok(json!(s.currencies)),
        ("GET", ["noteFields"]) => ok(json!(s.fields["noteFields"])),
        ("GET", ["leadFields"]) => offset_page(&s.fields["leadFields"], query),
        ("GET", ["activityTypes"]) => ok(json!(s.activity_types)),
        ("POST", ["activityTypes"]) => {
            let item = json!({"id": new_id, "order_nr": s.activity_types.len() + 1,
                "name": body["name"], "key_string": format!("type{new_id}"),
                "icon_key": body["icon_key"], "active_flag": true, "color": "FFFFFF",
                "is_custom_flag": true, "add_time": "2026-01-05 10:00:00",
                "update_time": "2026-01-05 10:00:00"});
            s.activity_types.push(item.clone());
            ok(item)
        }
        ("DELETE", ["activityTypes", id]) => match take(&mut s.activity_types, id) {
            Some(mut gone) => {
                gone["active_flag"] = json!(false);
                ok(gone)
            }
            None => not_found(),
        },
        ("GET", ["leadLabels"]) => ok(json!(s.lead_labels)),
        ("POST", ["leadLabels"]) => {
            let item = json!({"id": format!("00000000-0000-4000-8000-{new_id:012}"),
                "name": body["name"], "color": body["color"], "add_time": TIME,
                "update_time": TIME});
            s.lead_labels.push(item.clone());
            ok(item)
        }
        ("DELETE", ["leadLabels", id]) => match take(&mut s.lead_labels, id) {
            Some(_) => ok(json!({"id": id})),
            None => not_found(),
        },
        ("GET", ["leads"]) => offset_page(&s.records["leads"], query),
        ("PATCH", ["leads", id]) => patch(s, "leads", id, body),
        ("POST", ["notes"]) => {
            let mut item = body.clone();
            item["id"] = json!(new_id);
            item["active_flag"] = json!(true);
            s.notes.push(item.clone());
            ok(item)
        }
        ("DELETE", ["notes", id]) => match take(&mut s.notes, id) {
            Some(_) => ok(json!(true)),
            None => not_found(),
        },
        _ => not_found(),
    }
}

fn v2(
    s: &mut State,
    method: &str,
    segments: &[&str],
    query: &BTreeMap<String, String>,
    body: &Value,
    new_id: i64,
) -> Answer {
    match (method, segments) {
        ("GET", ["pipelines"]) => cursor_page(&s.pipelines, query),
        ("POST", ["pipelines"]) => {
            let item = pipeline(new_id, body["name"].as_str().unwrap_or(""));
            s.pipelines.push(item.clone());
            ok(item)
        }
        ("DELETE", ["pipelines", id]) => match take(&mut s.pipelines, id) {
            Some(_) => ok(json!({"id": number_or_text(id)})),
            None => not_found(),
        },
        ("GET", ["stages"]) => cursor_page(&s.stages, query),
        ("POST", ["stages"]) => {
            let pipeline_id = body["pipeline_id"].as_i64().unwrap_or(0);
            let order = s
                .stages
                .iter()
                .filter(|x| x["pipeline_id"] == pipeline_id)
                .count()
                + 1;
            let item = stage(
                new_id,
                body["name"].as_str().unwrap_or(""),
                pipeline_id,
                order as i64,
            );
            s.stages.push(item.clone());
            ok(item)
        }
        ("DELETE", ["stages", id]) => match take(&mut s.stages, id) {
            Some(_) => ok(json!({"id": number_or_text(id)})),
            None => not_found(),
        },
        ("GET", [name @ ("organizations" | "persons" | "deals")]) => {
            let wanted: Vec<&str> = query
                .get("custom_fields")
                .map(|c| c.split(',').collect())
                .unwrap_or_default();
            // v2 returns the custom fields asked for, under custom_fields.
            let shown: Vec<Value> = s.records[*name]
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    if let Some(custom) = r["custom_fields"].as_object_mut() {
                        custom.retain(|k, _| wanted.contains(&k.as_str()));
                    }
                    r
                })
                .collect();
            cursor_page(&shown, query)
        }
        ("PATCH", ["deals", id]) => patch(s, "deals", id, body),
        ("POST", ["activities"]) => {
            let mut item = body.clone();
            item["id"] = json!(new_id);
            item["is_deleted"] = json!(false);
            item["add_time"] = json!(TIME);
            item["update_time"] = json!(TIME);
            s.activities.push(item.clone());
            ok(item)
        }
        ("DELETE", ["activities", id]) => match take(&mut s.activities, id) {
            Some(_) => ok(json!({"id": number_or_text(id)})),
            None => not_found(),
        },
        _ => not_found(),
    }
}

fn v2_fields(
    s: &mut State,
    method: &str,
    segments: &[&str],
    query: &BTreeMap<String, String>,
    body: &Value,
    new_id: i64,
) -> Answer {
    let name = segments[0];
    let required = query
        .get("include_fields")
        .is_some_and(|v| v.contains("required_fields"));
    let list = s
        .fields
        .get_mut(name)
        .expect("every v2 field endpoint is set up");
    let find =
        |list: &mut Vec<Value>, code: &str| list.iter().position(|f| f["field_code"] == code);
    match (method, &segments[1..]) {
        ("GET", []) => {
            let shown: Vec<Value> = list.iter().map(|f| shown(f, required)).collect();
            cursor_page(&shown, query)
        }
        ("POST", []) => {
            if name == "activityFields" {
                return not_found();
            }
            let options = body["options"].as_array().map(|o| {
                o.iter()
                    .enumerate()
                    .map(|(i, x)| json!({"id": new_id * 100 + i as i64, "label": x["label"]}))
                    .collect::<Vec<_>>()
            });
            let field = v2_field(
                &hex_key(new_id),
                body["field_name"].as_str().unwrap_or(""),
                body["field_type"].as_str().unwrap_or(""),
                options,
                true,
            );
            list.push(field.clone());
            ok(shown(&field, false))
        }
        ("GET", [code]) => match find(list, code) {
            Some(i) => ok(shown(&list[i], required)),
            None => not_found(),
        },
        ("DELETE", [code]) => match find(list, code) {
            Some(i) => ok(shown(&list.remove(i), false)),
            None => not_found(),
        },
        ("POST", [code, "options"]) => {
            let Some(i) = find(list, code) else {
                return not_found();
            };
            let mut added = Vec::new();
            for (n, o) in body.as_array().into_iter().flatten().enumerate() {
                added.push(json!({"id": new_id * 100 + n as i64, "label": o["label"]}));
            }
            let options = &mut list[i]["options"];
            if !options.is_array() {
                *options = json!([]);
            }
            options.as_array_mut().unwrap().extend(added.clone());
            (
                200,
                String::new(),
                json!({"success": true, "data": added, "additional_data": null}),
            )
        }
        ("DELETE", [code, "options"]) => {
            let Some(i) = find(list, code) else {
                return not_found();
            };
            let ids: Vec<Value> = body
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| o["id"].clone())
                .collect();
            let options = list[i]["options"].as_array_mut();
            let Some(options) = options else {
                return (400, String::new(), error_body(400));
            };
            // The whole request fails when any option does not exist.
            if !ids.iter().all(|id| options.iter().any(|o| o["id"] == *id)) {
                return (400, String::new(), error_body(400));
            }
            let removed: Vec<Value> = options
                .iter()
                .filter(|o| ids.contains(&o["id"]))
                .cloned()
                .collect();
            options.retain(|o| !ids.contains(&o["id"]));
            (
                200,
                String::new(),
                json!({"success": true, "data": removed, "additional_data": null}),
            )
        }
        _ => not_found(),
    }
}

/// API v1's field operations by numeric id, still published for persons, organizations, deals
/// and products: what undoing a manifest written through API v1 uses.
fn v1_legacy_field(s: &mut State, method: &str, name: &str, id: &str, body: &Value) -> Answer {
    let list = s
        .fields
        .get_mut(name)
        .expect("every field endpoint is set up");
    let Some(i) = list.iter().position(|f| id_text(&f["id"]) == id) else {
        return not_found();
    };
    let v1 = |f: &Value| {
        let mut shown = json!({"id": f["id"], "key": f["field_code"], "name": f["field_name"],
                               "field_type": f["field_type"], "active_flag": true});
        if f["options"].is_array() {
            shown["options"] = f["options"].clone();
        }
        shown
    };
    match method {
        "GET" => ok(v1(&list[i])),
        "PUT" => {
            if let Some(options) = body["options"].as_array() {
                list[i]["options"] = json!(options);
            }
            ok(v1(&list[i]))
        }
        "DELETE" => {
            list.remove(i);
            ok(json!({"id": number_or_text(id)}))
        }
        _ => not_found(),
    }
}

/// Sets the fields a PATCH names on an imported record.
fn patch(s: &mut State, records: &str, id: &str, body: &Value) -> Answer {
    let list = s
        .records
        .get_mut(records)
        .expect("imported records are set up");
    let Some(record) = list.iter_mut().find(|r| id_text(&r["id"]) == id) else {
        return not_found();
    };
    for (k, v) in body.as_object().into_iter().flatten() {
        record[k] = v.clone();
    }
    ok(record.clone())
}

/// A field as an answer shows it: `required_fields` only when asked for.
fn shown(field: &Value, required: bool) -> Value {
    let mut f = field.clone();
    if !required && let Some(map) = f.as_object_mut() {
        map.remove("required_fields");
    }
    f
}

fn take(list: &mut Vec<Value>, id: &str) -> Option<Value> {
    let i = list.iter().position(|x| id_text(&x["id"]) == id)?;
    Some(list.remove(i))
}

fn number_or_text(id: &str) -> Value {
    id.parse::<i64>().map_or_else(|_| json!(id), |n| json!(n))
}

/// A field in v2's shape.
pub(super) fn v2_field(
    code: &str,
    name: &str,
    field_type: &str,
    options: Option<Vec<Value>>,
    custom: bool,
) -> Value {
    json!({"field_name": name, "field_code": code, "description": format!("The {name} field"),
           "field_type": field_type,
           "options": options, "subfields": null, "is_custom_field": custom,
           "is_optional_response_field": false, "required_fields": {"enabled": code == "name"}})
}

/// A field in v1's shape (note and lead fields).
pub(super) fn v1_field(id: i64, key: &str, name: &str, field_type: &str) -> Value {
    json!({"id": id, "key": key, "name": name, "field_type": field_type, "active_flag": true,
           "edit_flag": key.len() == 40, "bulk_edit_allowed": true, "mandatory_flag": false})
}

/// A pipeline in v2's shape.
pub(super) fn pipeline(id: i64, name: &str) -> Value {
    json!({"id": id, "name": name, "order_nr": id, "is_deleted": false,
           "is_deal_probability_enabled": false, "add_time": TIME, "update_time": TIME})
}

/// A stage in v2's shape.
pub(super) fn stage(id: i64, name: &str, pipeline_id: i64, order_nr: i64) -> Value {
    json!({"id": id, "order_nr": order_nr, "name": name, "is_deleted": false,
           "deal_probability": 100, "pipeline_id": pipeline_id, "is_deal_rot_enabled": false,
           "days_to_rotten": null, "add_time": TIME, "update_time": TIME})
}
