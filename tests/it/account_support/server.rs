//! The Pipedrive look-alike on a loopback port: it answers API v1 and v2 as Pipedrive's
//! published documents describe them ([`super::routes`]), pages lists two items at a time,
//! keeps what is created so later reads see it, records each request, and misbehaves on cue
//! (429 with Retry-After, a spent daily budget, a full burst window, 5xx, slow answers, 403).
//! Every request it gets and every answer it gives is held to the documents
//! ([`super::spec`]); a test whose client sent anything off the documents fails when the
//! look-alike is dropped.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::spec::split_version;

use serde_json::{Value, json};

use super::routes::{error_body, pipeline, route, stage, v1_field, v2_field};
use super::spec::{check_answer, check_request};

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
    /// 429 with `x-daily-requests-left: 0`: the company's daily budget is spent.
    DaySpent,
    /// Answer normally, saying the burst window has no request left for 1 second.
    BurstFull,
}

pub(super) struct Rule {
    method: String,
    path: String,
    fault: Fault,
    times: usize,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) fields: BTreeMap<String, Vec<Value>>,
    pub(super) pipelines: Vec<Value>,
    pub(super) stages: Vec<Value>,
    pub(super) users: Vec<Value>,
    pub(super) activity_types: Vec<Value>,
    pub(super) lead_labels: Vec<Value>,
    pub(super) currencies: Vec<Value>,
    /// Organizations, persons, deals (v2 shape) and leads (v1 shape) "imported by the wizard".
    pub(super) records: BTreeMap<String, Vec<Value>>,
    pub(super) activities: Vec<Value>,
    pub(super) notes: Vec<Value>,
    pub(super) next_id: i64,
    pub(super) posts: usize,
    pub(super) fail_post: Option<usize>,
    pub(super) rules: Vec<Rule>,
    pub(super) seen: Vec<Seen>,
    /// What the documents say is wrong with the requests and answers so far.
    pub(super) off_spec: Vec<String>,
}

/// The running server.
pub struct FakePipedrive {
    /// The API root to give `--api-url`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

pub(super) fn hex_key(n: i64) -> String {
    format!("{n:040x}")
}

/// A field in v2's shape, with options numbered from `id`.
pub(super) fn field(id: i64, code: &str, name: &str, field_type: &str, options: &[&str]) -> Value {
    let options: Vec<Value> = options
        .iter()
        .enumerate()
        .map(|(i, l)| json!({"id": id * 100 + i as i64 + 1, "label": l}))
        .collect();
    let options = (!options.is_empty()).then_some(options);
    let mut f = v2_field(code, name, field_type, options, code.len() == 40);
    // The numeric id API v1 knew the field by, which manifests of earlier versions recorded.
    f["id"] = json!(id);
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
            vec![v1_field(51, "content", "Content", "text")],
        );
        s.fields.insert(
            "leadFields".into(),
            vec![
                v1_field(61, "title", "Title", "varchar"),
                v1_field(62, "value", "Value", "monetary"),
                v1_field(63, "expected_close_date", "Expected close date", "date"),
            ],
        );
        s.pipelines = vec![pipeline(1, "Sales pipeline")];
        s.stages = vec![stage(1, "Qualified", 1, 1), stage(2, "Contact Made", 1, 2)];
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
        for name in ["organizations", "persons", "deals", "leads"] {
            s.records.insert(name.into(), Vec::new());
        }
        s.currencies = vec![
            json!({"id": 1, "code": "EUR"}),
            json!({"id": 2, "code": "USD"}),
        ];
        super::spec::load();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
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

    /// Misbehave on the next `times` requests of this method to this path (without the
    /// version and the query: `/personFields`).
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
        persons[4]["field_name"] = json!("Level");
        persons[4]["options"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": 503, "label": "Bronze"}));
        persons.push(field(6, &hex_key(6), "Region", "varchar", &[]));
        s.stages.push(stage(3, "Won back", 1, 3));
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
            let name = if endpoint == "noteFields" || endpoint == "leadFields" {
                "name"
            } else {
                "field_name"
            };
            out.insert(endpoint.clone(), names(fields, name));
            // Label options and every dropdown's options, so undo is checked down to them.
            for f in fields.iter().filter(|f| f["options"].is_array()) {
                let opts = f["options"].as_array().cloned().unwrap_or_default();
                let what = if f["field_code"] == "label" {
                    "labels".to_string()
                } else {
                    format!("{} options", f[name].as_str().unwrap_or(""))
                };
                out.insert(format!("{endpoint} {what}"), names(&opts, "label"));
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
    let path = path.to_string();
    let rest = split_version(&path)
        .map_or(path.as_str(), |(_, r)| r)
        .to_string();
    let query: BTreeMap<String, String> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let keys: Vec<String> = query.keys().cloned().collect();
    let problem = check_request(&method, &path, &keys, &body);
    let (status, extra, answer) = {
        let mut s = state.lock().unwrap();
        s.seen.push(Seen {
            method: method.clone(),
            target: target.clone(),
            token_header: token.clone(),
            body: body.clone(),
        });
        if let Some(p) = problem {
            s.off_spec.push(p);
        }
        let fault = s
            .rules
            .iter_mut()
            .find(|r| r.times > 0 && r.method == method && r.path == rest)
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
            Some(Fault::DaySpent) => (
                429,
                "Retry-After: 2\r\nx-daily-requests-left: 0\r\nx-ratelimit-remaining: 0\r\n".into(),
                error_body(429),
            ),
            Some(Fault::BurstFull) => {
                let (status, _, answer) =
                    route(&mut s, &method, &path, &query, &body, token.as_deref());
                (
                    status,
                    "x-ratelimit-remaining: 0\r\nx-ratelimit-reset: 1\r\n".into(),
                    answer,
                )
            }
            None => route(&mut s, &method, &path, &query, &body, token.as_deref()),
        }
    };
    if (200..300).contains(&status)
        && let Some(p) = check_answer(&method, &path, status, &answer)
    {
        state
            .lock()
            .unwrap()
            .off_spec
            .push(format!("the look-alike's {p}"));
    }
    let text = answer.to_string();
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{text}",
        text.len()
    )?;
    stream.flush()
}

impl FakePipedrive {
    /// Does what Pipedrive's import wizard does with an export's organizations, persons, deals
    /// and leads (each row one record, the source id in the custom field of that name), and
    /// returns the Pipedrive id given to each source id, by entity.
    pub fn import(
        &self,
        out: &std::path::Path,
        id_field: &str,
    ) -> BTreeMap<String, BTreeMap<String, Value>> {
        let mut s = self.state.lock().unwrap();
        let mut ids: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
        for (file, title, name_col, fields, records) in [
            (
                "01-organizations.csv",
                "Organization",
                "Name",
                "organizationFields",
                "organizations",
            ),
            (
                "02-persons.csv",
                "Person",
                "Name",
                "personFields",
                "persons",
            ),
            ("03-deals.csv", "Deal", "Title", "dealFields", "deals"),
            ("04-leads.csv", "Lead", "Title", "dealFields", "leads"),
        ] {
            let Ok(mut reader) = csv::Reader::from_path(out.join(file)) else {
                continue;
            };
            let headers = reader.headers().unwrap().clone();
            let col = |h: &str| headers.iter().position(|x| x == format!("{title} - {h}"));
            let (name_at, id_at) = (col(name_col).unwrap(), col(id_field));
            // A deal or lead links to its person and organization by name, as the wizard does:
            // with several of one name, it takes one of them (here the first).
            let person_at = headers.iter().position(|x| x == "Person - Name");
            let org_at = headers.iter().position(|x| x == "Organization - Name");
            let code = s.fields[fields]
                .iter()
                .find(|f| f["field_name"] == id_field)
                .map(|f| f["field_code"].as_str().unwrap().to_string());
            for record in reader.records() {
                let record = record.unwrap();
                s.next_id += 1;
                let id = s.next_id;
                let name = record.get(name_at).unwrap_or("").to_string();
                let source = id_at.and_then(|i| record.get(i)).unwrap_or("").to_string();
                let by_name = |list: &str, key: &str, at: Option<usize>| {
                    let name = at.and_then(|i| record.get(i)).unwrap_or("");
                    s.records[list]
                        .iter()
                        .find(|r| !name.is_empty() && r[key] == name)
                        .map(|r| r["id"].clone())
                };
                let person = by_name("persons", "name", person_at);
                let org = by_name("organizations", "name", org_at);
                let item = if records == "leads" {
                    let uuid = format!("00000000-0000-4000-8000-{id:012}");
                    let mut lead = json!({"id": uuid, "title": name, "owner_id": 7,
                        "creator_id": 7, "label_ids": [], "is_archived": false,
                        "was_seen": false, "add_time": "2026-01-05T10:00:00.000Z",
                        "update_time": "2026-01-05T10:00:00.000Z", "visible_to": "3"});
                    if let Some(code) = &code {
                        lead[code] = json!(source);
                    }
                    lead["person_id"] = person.clone().unwrap_or(Value::Null);
                    lead["organization_id"] = org.clone().unwrap_or(Value::Null);
                    lead
                } else {
                    let mut custom = serde_json::Map::new();
                    if let Some(code) = &code {
                        custom.insert(code.clone(), json!(source));
                    }
                    let key = if title == "Deal" { "title" } else { "name" };
                    let mut item = json!({"id": id, "owner_id": 7, "add_time": "2026-01-05T10:00:00Z",
                        "update_time": "2026-01-05T10:00:00Z", "is_deleted": false,
                        "visible_to": 3, "custom_fields": custom});
                    item[key] = json!(name);
                    if title == "Deal" {
                        if let Some(p) = &person {
                            item["person_id"] = p.clone();
                        }
                        if let Some(o) = &org {
                            item["org_id"] = o.clone();
                        }
                    }
                    item
                };
                ids.entry(records.to_string())
                    .or_default()
                    .insert(source, item["id"].clone());
                s.records.get_mut(records).unwrap().push(item);
            }
        }
        ids
    }

    /// Removes the imported record whose source-id field holds `source` (as an import that
    /// merged it into another would).
    pub fn forget_record(&self, records: &str, id_field: &str, source: &str) {
        let mut s = self.state.lock().unwrap();
        let fields = if records == "organizations" {
            "organizationFields"
        } else if records == "persons" {
            "personFields"
        } else {
            "dealFields"
        };
        let code = s.fields[fields]
            .iter()
            .find(|f| f["field_name"] == id_field)
            .map(|f| f["field_code"].as_str().unwrap().to_string())
            .unwrap();
        s.records
            .get_mut(records)
            .unwrap()
            .retain(|r| r["custom_fields"][&code] != source && r[&code] != source);
    }

    /// An imported record by its Pipedrive id.
    pub fn record(&self, records: &str, id: &Value) -> Value {
        let s = self.state.lock().unwrap();
        s.records[records]
            .iter()
            .find(|r| r["id"] == *id)
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// The activities and notes created through the API so far.
    pub fn created_items(&self) -> (Vec<Value>, Vec<Value>) {
        let s = self.state.lock().unwrap();
        (s.activities.clone(), s.notes.clone())
    }

    /// Takes `field_code` out of every field of an endpoint: an answer off the documents.
    pub fn break_field_codes(&self, endpoint: &str) {
        let mut s = self.state.lock().unwrap();
        for f in s.fields.get_mut(endpoint).unwrap() {
            f.as_object_mut().unwrap().remove("field_code");
        }
    }

    /// Forgets what was off the documents so far (for a test that broke the answers on purpose).
    pub fn forgive_answers(&self) {
        self.state.lock().unwrap().off_spec.clear();
    }

    /// What the documents say is wrong with what the client sent (and the look-alike answered).
    pub fn off_spec(&self) -> Vec<String> {
        self.state.lock().unwrap().off_spec.clone()
    }
}

impl Drop for FakePipedrive {
    /// Every test that talks to the look-alike is held to Pipedrive's published documents.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let off = self.off_spec();
        assert!(
            off.is_empty(),
            "requests or answers off Pipedrive's published documents:\n{}",
            off.join("\n")
        );
    }
}
