//! A Pipedrive API v1 look-alike on a loopback port for the `account` tests: it answers with
//! the documented shapes (`{"success", "data", "additional_data": {"pagination"}}`), pages
//! every list two items at a time, keeps what is created so later reads see it, records each
//! request, and misbehaves on cue (429 with Retry-After, 5xx, slow answers, 403).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// The token the tests use: distinctive, so its absence from every output can be asserted.
pub const TOKEN: &str = "pdtok-7f3a9c1e5b2d-SECRET";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    pub token_header: Option<String>,
    pub body: String,
}

/// How the server misbehaves for matching requests.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status and a Pipedrive error body.
    Status(u16),
    /// 429 with `Retry-After: seconds`.
    RateLimit(u64),
    /// Wait this long, then answer normally.
    Slow(Duration),
}

struct Rule {
    method: String,
    path: String,
    fault: Fault,
    times: usize,
}

#[derive(Default)]
struct State {
    fields: BTreeMap<String, Vec<Value>>,
    pipelines: Vec<Value>,
    stages: Vec<Value>,
    users: Vec<Value>,
    activity_types: Vec<Value>,
    lead_labels: Vec<Value>,
    currencies: Vec<Value>,
    next_id: i64,
    posts: usize,
    fail_post: Option<usize>,
    rules: Vec<Rule>,
    seen: Vec<Seen>,
}

/// The running server.
pub struct FakePipedrive {
    /// The API root to give `--api-url`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

fn hex_key(n: i64) -> String {
    format!("{n:040x}")
}

fn field(id: i64, key: &str, name: &str, field_type: &str, options: &[&str]) -> Value {
    let options: Vec<Value> = options
        .iter()
        .enumerate()
        .map(|(i, l)| json!({"id": id * 100 + i as i64 + 1, "label": l}))
        .collect();
    let mut f = json!({"id": id, "key": key, "name": name, "field_type": field_type,
                       "mandatory_flag": false, "edit_flag": key.len() == 40});
    if !options.is_empty() {
        f["options"] = json!(options);
    }
    f
}

impl FakePipedrive {
    /// Starts the server with a small account: person fields over three pages (a custom
    /// "Tier" among them), one pipeline, three activity types, default labels.
    pub fn start() -> FakePipedrive {
        let mut s = State {
            next_id: 1000,
            ..State::default()
        };
        s.fields.insert(
            "personFields".into(),
            vec![
                field(1, "name", "Name", "varchar", &[]),
                field(2, "email", "Email", "varchar", &[]),
                field(3, "label", "Label", "enum", &["Customer", "Hot lead"]),
                field(4, "activities_count", "Total activities", "int", &[]),
                field(5, &hex_key(5), "Tier", "enum", &["Gold", "Silver"]),
            ],
        );
        s.fields.insert(
            "organizationFields".into(),
            vec![
                field(11, "name", "Name", "varchar", &[]),
                field(12, "label", "Label", "enum", &["Customer"]),
            ],
        );
        s.fields.insert(
            "dealFields".into(),
            vec![
                field(21, "title", "Title", "varchar", &[]),
                field(22, "label", "Label", "enum", &[]),
            ],
        );
        s.fields.insert(
            "productFields".into(),
            vec![field(31, "name", "Name", "varchar", &[])],
        );
        s.fields.insert(
            "activityFields".into(),
            vec![field(41, "subject", "Subject", "varchar", &[])],
        );
        s.fields.insert(
            "noteFields".into(),
            vec![field(51, "content", "Content", "text", &[])],
        );
        s.pipelines = vec![json!({"id": 1, "name": "Sales pipeline"})];
        s.stages = vec![
            json!({"id": 1, "name": "Qualified", "pipeline_id": 1, "order_nr": 1}),
            json!({"id": 2, "name": "Contact Made", "pipeline_id": 1, "order_nr": 2}),
        ];
        s.users = vec![
            json!({"id": 7, "name": "Jane Roe", "email": "jane@acme.test", "active_flag": true}),
        ];
        s.activity_types = vec![
            json!({"id": 1, "name": "Call", "key_string": "call", "active_flag": true}),
            json!({"id": 2, "name": "Meeting", "key_string": "meeting", "active_flag": true}),
            json!({"id": 3, "name": "Task", "key_string": "task", "active_flag": true}),
        ];
        s.lead_labels = vec![
            json!({"id": "f08b42a0-4e75-11ea-9643-03698ef1cfd6", "name": "Hot", "color": "red"}),
            json!({"id": "f08b42a1-4e75-11ea-9643-03698ef1cfd6", "name": "Warm", "color": "yellow"}),
        ];
        s.currencies = vec![json!({"id": 1, "code": "EUR"}), json!({"id": 2, "code": "USD"})];
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}/api/v1", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(s));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
        });
        FakePipedrive { url, state }
    }

    /// Misbehave on the next `times` requests of this method to this path (without query).
    pub fn fault(&self, method: &str, path: &str, fault: Fault, times: usize) {
        self.state.lock().unwrap().rules.push(Rule {
            method: method.into(),
            path: path.into(),
            fault,
            times,
        });
    }

    /// Answer the `n`-th POST (counted from now, 1-based) with a 500.
    pub fn fail_post_number(&self, n: usize) {
        let mut s = self.state.lock().unwrap();
        s.fail_post = Some(s.posts + n);
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Renames a field, adds an option to another, adds a stage (for the pull diff).
    pub fn change_account(&self) {
        let mut s = self.state.lock().unwrap();
        let persons = s.fields.get_mut("personFields").unwrap();
        persons[4]["name"] = json!("Level");
        persons[4]["options"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": 503, "label": "Bronze"}));
        persons.push(field(6, &hex_key(6), "Region", "varchar", &[]));
        s.stages
            .push(json!({"id": 3, "name": "Won back", "pipeline_id": 1, "order_nr": 3}));
    }

    /// Names of the objects the account holds now, by kind, for before/after comparisons.
    pub fn inventory(&self) -> BTreeMap<String, Vec<String>> {
        let s = self.state.lock().unwrap();
        let names = |v: &[Value], k: &str| {
            v.iter()
                .map(|x| match &x[k] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
        };
        let mut out = BTreeMap::new();
        for (endpoint, fields) in &s.fields {
            out.insert(endpoint.clone(), names(fields, "name"));
            for f in fields.iter().filter(|f| f["key"] == "label") {
                let opts = f["options"].as_array().cloned().unwrap_or_default();
                out.insert(format!("{endpoint} labels"), names(&opts, "label"));
            }
        }
        out.insert("pipelines".into(), names(&s.pipelines, "name"));
        out.insert("stages".into(), names(&s.stages, "name"));
        out.insert("activityTypes".into(), names(&s.activity_types, "name"));
        out.insert("leadLabels".into(), names(&s.lead_labels, "name"));
        out
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut length = 0usize;
    let mut token = None;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = v.trim().parse().unwrap_or(0),
                "x-api-token" => token = Some(v.trim().to_string()),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body = String::from_utf8_lossy(&body).to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let path = path.trim_start_matches("/api/v1").to_string();
    let query: BTreeMap<String, String> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let (status, extra, answer) = {
        let mut s = state.lock().unwrap();
        s.seen.push(Seen {
            method: method.clone(),
            target: target.clone(),
            token_header: token.clone(),
            body: body.clone(),
        });
        let fault = s
            .rules
            .iter_mut()
            .find(|r| r.times > 0 && r.method == method && r.path == path)
            .map(|r| {
                r.times -= 1;
                r.fault.clone()
            });
        match fault {
            Some(Fault::Slow(d)) => {
                drop(s);
                std::thread::sleep(d);
                let mut s = state.lock().unwrap();
                route(&mut s, &method, &path, &query, &body, token.as_deref())
            }
            Some(Fault::Status(code)) => (code, String::new(), error_body(code)),
            Some(Fault::RateLimit(secs)) => (
                429,
                format!("Retry-After: {secs}\r\nx-ratelimit-remaining: 0\r\n"),
                error_body(429),
            ),
            None => route(&mut s, &method, &path, &query, &body, token.as_deref()),
        }
    };
    let text = answer.to_string();
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{text}",
        text.len()
    )?;
    stream.flush()
}

fn error_body(code: u16) -> Value {
    json!({"success": false, "error": format!("fake error {code}"), "errorCode": code})
}

fn ok(data: Value) -> (u16, String, Value) {
    (200, String::new(), json!({"success": true, "data": data}))
}

fn page(items: &[Value], query: &BTreeMap<String, String>) -> (u16, String, Value) {
    let start: usize = query.get("start").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit: usize = query.get("limit").and_then(|v| v.parse().ok()).unwrap_or(100);
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

fn route(
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
                ("GET", [id]) => match list.iter().find(|x| x["id"].to_string() == *id) {
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
                    let Some(x) = list.iter_mut().find(|x| x["id"].to_string() == *id) else {
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
                    list.retain(|x| {
                        let xid = match &x["id"] {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        xid != *id
                    });
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
