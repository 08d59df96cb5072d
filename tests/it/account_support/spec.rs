//! Pipedrive's published OpenAPI documents (../shared/pipedrive-openapi, v1 and v2) as a judge:
//! does a request exist there (method, path, version, query parameters), does its JSON body
//! validate against the operation's request schema, and does an answer validate against the
//! operation's response schema. The look-alike asks it about every request it gets and every
//! answer it gives, so the tests hold the client, and the look-alike itself, to the documents.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Map, Value};

/// One version's document, its paths ready to match.
struct Document {
    doc: Value,
    /// (number of `{params}`, segments, template), literal paths first.
    routes: Vec<(usize, Vec<String>, String)>,
}

fn documents() -> &'static BTreeMap<&'static str, Document> {
    static DOCS: OnceLock<BTreeMap<&'static str, Document>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/pipedrive-openapi");
        ["v1", "v2"]
            .into_iter()
            .map(|v| {
                let path = dir.join(format!("pipedrive-{v}-openapi.yml"));
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let doc: Value = serde_yaml::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let mut routes: Vec<(usize, Vec<String>, String)> = doc["paths"]
                    .as_object()
                    .expect("paths")
                    .keys()
                    .map(|t| {
                        let segments: Vec<String> = t
                            .trim_start_matches('/')
                            .split('/')
                            .map(String::from)
                            .collect();
                        (t.matches('{').count(), segments, t.clone())
                    })
                    .collect();
                routes.sort();
                (v, Document { doc, routes })
            })
            .collect()
    })
}

/// Reads the documents now, so the first request is not kept waiting for them.
pub fn load() {
    documents();
}

/// The version a path names and the rest of it: `/api/v2/stages` → (`v2`, `/stages`).
pub fn split_version(path: &str) -> Option<(&'static str, &str)> {
    for (prefix, version) in [("/api/v1", "v1"), ("/api/v2", "v2")] {
        if let Some(rest) = path.strip_prefix(prefix)
            && rest.starts_with('/')
        {
            return Some((version, rest));
        }
    }
    None
}

/// The operation of `method` at a concrete path, with its template.
fn operation(version: &str, method: &str, rest: &str) -> Option<(&'static Value, String)> {
    let document = documents().get(version)?;
    let wanted: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    document
        .routes
        .iter()
        .filter(|(_, segments, _)| {
            segments.len() == wanted.len()
                && segments
                    .iter()
                    .zip(&wanted)
                    .all(|(s, w)| (s.starts_with('{') && !w.is_empty()) || s == w)
        })
        .find_map(|(_, _, template)| {
            let op = &document.doc["paths"][template][method.to_ascii_lowercase()];
            op.is_object().then(|| (op, template.clone()))
        })
}

/// What is wrong with a request by the documents, if anything.
pub fn check_request(method: &str, path: &str, query: &[String], body: &str) -> Option<String> {
    let Some((version, rest)) = split_version(path) else {
        return Some(format!("{method} {path}: the path names no API version"));
    };
    let Some((op, template)) = operation(version, method, rest) else {
        return Some(format!(
            "{method} {path}: not in Pipedrive's published {version} document"
        ));
    };
    let documented: Vec<&str> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str())
        .collect();
    for key in query {
        if !documented.contains(&key.as_str()) {
            return Some(format!(
                "{method} {version}{template}: query parameter {key} is not documented"
            ));
        }
    }
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    if body.is_empty() {
        return (op["requestBody"]["required"] == true)
            .then(|| format!("{method} {version}{template}: the document requires a body"));
    }
    if schema.is_null() {
        return Some(format!(
            "{method} {version}{template}: sent a JSON body the operation does not take"
        ));
    }
    let Ok(payload) = serde_json::from_str::<Value>(body) else {
        return Some(format!(
            "{method} {version}{template}: the body is not JSON"
        ));
    };
    validate(schema, &payload).map(|e| format!("{method} {version}{template}: body: {e}"))
}

/// What is wrong with an answer by the documents (its 200/201 response schema), if anything.
pub fn check_answer(method: &str, path: &str, status: u16, body: &Value) -> Option<String> {
    let (version, rest) = split_version(path)?;
    let (op, template) = operation(version, method, rest)?;
    let schema = &op["responses"][status.to_string()]["content"]["application/json"]["schema"];
    if schema.is_null() {
        return None;
    }
    validate(schema, body).map(|e| format!("answer to {method} {version}{template}: {e}"))
}

fn validate(schema: &Value, value: &Value) -> Option<String> {
    let schema = json_schema(schema);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(false)
        .build(&schema)
        .expect("the document's schema compiles");
    validator
        .iter_errors(value)
        .next()
        .map(|e| format!("{} (at {})", e, e.instance_path()))
}

/// An OpenAPI 3.0 schema as JSON Schema: `nullable: true` becomes a type that allows null,
/// and the OpenAPI-only keywords go.
fn json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                match k.as_str() {
                    "nullable" | "example" | "discriminator" | "xml" | "externalDocs"
                    | "deprecated" | "readOnly" | "writeOnly" => {}
                    "properties" | "patternProperties" => {
                        let props = v
                            .as_object()
                            .map(|p| {
                                p.iter()
                                    .map(|(name, s)| (name.clone(), json_schema(s)))
                                    .collect::<Map<_, _>>()
                            })
                            .unwrap_or_default();
                        out.insert(k.clone(), Value::Object(props));
                    }
                    _ => {
                        out.insert(k.clone(), json_schema(v));
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), serde_json::json!([t, "null"]));
                }
                if let Some(Value::Array(values)) = out.get_mut("enum")
                    && !values.contains(&Value::Null)
                {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(json_schema).collect()),
        other => other.clone(),
    }
}

#[test]
fn the_judge_knows_the_documents() {
    // Moved to v2 only, so a v1 request for it is off the documents.
    assert!(check_request("GET", "/api/v1/pipelines", &[], "").is_some());
    assert_eq!(
        check_request("GET", "/api/v2/pipelines", &["limit".into()], ""),
        None
    );
    assert!(check_request("GET", "/api/v2/pipelines", &["start".into()], "").is_some());
    assert_eq!(check_request("GET", "/api/v1/users/me", &[], ""), None);
    let bad = check_request("POST", "/api/v2/stages", &[], r#"{"name": "Due"}"#).unwrap();
    assert!(bad.contains("pipeline_id"), "{bad}");
    assert_eq!(
        check_request(
            "POST",
            "/api/v2/stages",
            &[],
            r#"{"name": "Due", "pipeline_id": 1}"#
        ),
        None
    );
    let answer = serde_json::json!({"success": true, "data": [{"id": "x"}]});
    assert!(check_answer("GET", "/api/v2/pipelines", 200, &answer).is_some());
}
