//! How the look-alike answers each endpoint: lists paged two at a time, creations kept so
//! later reads see them, PUT replacing a field's options, DELETE removing; 401 without the
//! test token.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::server::{State, TOKEN, hex_key};

pub(super) fn error_body(code: u16) -> Value {
    json!({"success": false, "error": format!("fake error {code}"), "errorCode": code})
}

fn ok(data: Value) -> (u16, String, Value) {
    (200, String::new(), json!({"success": true, "data": data}))
}

fn page(items: &[Value], query: &BTreeMap<String, String>) -> (u16, String, Value) {
    let start: usize = query.get("start").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit: usize = query
        .get("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let size = limit.min(2);
    let end = (start + size).min(items.len());
    let more = end < items.len();
    let mut pagination = json!({"start": start, "limit": size, "more_items_in_collection": more});
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

fn collection<'a>(s: &'a mut State, name: &str) -> Option<&'a mut Vec<Value>> {
    Some(match name {
        "pipelines" => &mut s.pipelines,
        "stages" => &mut s.stages,
        "users" => &mut s.users,
        "activityTypes" => &mut s.activity_types,
        "leadLabels" => &mut s.lead_labels,
        "currencies" => &mut s.currencies,
        other => s.fields.get_mut(other)?,
    })
}

pub(super) fn route(
    s: &mut State,
    method: &str,
    path: &str,
    query: &BTreeMap<String, String>,
    body: &str,
    token: Option<&str>,
) -> (u16, String, Value) {
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
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    s.next_id += 1;
    let new_id = s.next_id;
    match (method, segments.as_slice()) {
        ("GET", ["users", "me"]) => ok(json!({
            "id": 7, "name": "Jane Roe", "email": "jane@acme.test", "company_id": 99,
            "company_name": "Acme", "company_domain": "acme", "default_currency": "EUR"})),
        (_, [name, rest @ ..]) => {
            let Some(list) = collection(s, name) else {
                return (404, String::new(), error_body(404));
            };
            let is_fields = name.ends_with("Fields");
            match (method, rest) {
                ("GET", []) => page(list, query),
                ("GET", [id]) => match list.iter().find(|x| id_text(&x["id"]) == *id) {
                    Some(x) => ok(x.clone()),
                    None => (404, String::new(), error_body(404)),
                },
                ("POST", []) => {
                    let mut item = body.clone();
                    item["id"] = if *name == "leadLabels" {
                        json!(format!("00000000-0000-4000-8000-{new_id:012}"))
                    } else {
                        json!(new_id)
                    };
                    if is_fields {
                        item["key"] = json!(hex_key(new_id));
                        if let Some(opts) = item["options"].as_array_mut() {
                            for (i, o) in opts.iter_mut().enumerate() {
                                o["id"] = json!(new_id * 100 + i as i64);
                            }
                        }
                    }
                    if *name == "stages" {
                        let pid = item["pipeline_id"].clone();
                        let n = list.iter().filter(|x| x["pipeline_id"] == pid).count();
                        item["order_nr"] = json!(n + 1);
                    }
                    if *name == "activityTypes" {
                        item["key_string"] = json!(format!("type{new_id}"));
                        item["active_flag"] = json!(true);
                    }
                    list.push(item.clone());
                    ok(item)
                }
                ("PUT", [id]) => {
                    let Some(x) = list.iter_mut().find(|x| id_text(&x["id"]) == *id) else {
                        return (404, String::new(), error_body(404));
                    };
                    if let Some(opts) = body["options"].as_array() {
                        let mut opts = opts.clone();
                        for (i, o) in opts.iter_mut().enumerate() {
                            if o.get("id").is_none() {
                                o["id"] = json!(new_id * 100 + i as i64);
                            }
                        }
                        x["options"] = json!(opts);
                    }
                    ok(x.clone())
                }
                ("DELETE", [id]) => {
                    let before = list.len();
                    list.retain(|x| id_text(&x["id"]) != *id);
                    if list.len() == before {
                        (404, String::new(), error_body(404))
                    } else {
                        ok(json!({"id": id}))
                    }
                }
                _ => (404, String::new(), error_body(404)),
            }
        }
        _ => (404, String::new(), error_body(404)),
    }
}
