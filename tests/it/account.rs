//! `pipemap account pull` against a Pipedrive look-alike on a loopback port: pagination, the
//! snapshot as every command's default schema, the diff between pulls, and each fault (429,
//! 5xx, slow answers, 401, 403, network, insecure URLs). Every run is checked never to show
//! the token.

use crate::account_support;

use std::time::{Duration, Instant};

use account_support::{FakePipedrive, Fault, Machine, TOKEN, ok, run};
use serde_json::{Value, json};

/// The requests' paths and queries that name `what`, in the order sent.
fn targets(server: &FakePipedrive, what: &str) -> Vec<String> {
    server
        .seen()
        .iter()
        .filter(|s| s.target.contains(what))
        .map(|s| s.target.clone())
        .collect()
}

#[test]
fn pull_reads_every_page_and_saves_a_snapshot_without_the_token() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let r = ok(m.account(&server, &["pull"]));
    assert!(r.stdout.contains("Read acme: 1 custom fields, 1 pipelines with 2 stages, 1 users, 3 activity types, 2 currencies."), "{}", r.stdout);
    assert!(r.stdout.contains("First pull of acme."), "{}", r.stdout);
    // Person fields come from API v2 two to a page: three requests, following next_cursor.
    assert_eq!(
        targets(&server, "personFields"),
        [
            "/api/v2/personFields?include_fields=required_fields&limit=500",
            "/api/v2/personFields?include_fields=required_fields&limit=500&cursor=c2",
            "/api/v2/personFields?include_fields=required_fields&limit=500&cursor=c4"
        ]
    );
    // Lead fields exist only in v1, paged by offset.
    assert_eq!(
        targets(&server, "leadFields"),
        [
            "/api/v1/leadFields?start=0&limit=500",
            "/api/v1/leadFields?start=2&limit=500"
        ]
    );
    // Every request names the version Pipedrive publishes it under; none goes to v1 for
    // what v2 has.
    for seen in server.seen() {
        let v2 = ["Fields?", "pipelines", "stages"]
            .iter()
            .any(|p| seen.target.contains(p))
            && !seen.target.contains("noteFields")
            && !seen.target.contains("leadFields");
        let prefix = if v2 { "/api/v2/" } else { "/api/v1/" };
        assert!(seen.target.starts_with(prefix), "{seen:?}");
    }
    assert!(
        r.stderr
            .contains("tokens of the company's daily API budget"),
        "{}",
        r.stderr
    );
    for seen in server.seen() {
        assert_eq!(seen.token_header.as_deref(), Some(TOKEN), "{seen:?}");
        assert!(!seen.target.contains(TOKEN) && !seen.target.contains("api_token"));
    }
    let text = std::fs::read_to_string(m.snapshot()).expect("the snapshot");
    assert!(!text.contains(TOKEN));
    let snap: Value = serde_json::from_str(&text).unwrap();
    let persons = snap["fields"]["person"].as_array().unwrap();
    let tier = persons.iter().find(|f| f["name"] == "Tier").expect("Tier");
    assert_eq!(tier["key"], format!("{:040x}", 5));
    assert_eq!(tier["options"], json!(["Gold", "Silver"]));
    assert!(persons.iter().all(|f| f["name"] != "Total activities"));
    let account = &snap["account"];
    assert_eq!(account["labels"]["person"], json!(["Customer", "Hot lead"]));
    assert_eq!(account["labels"]["lead"], json!(["Hot", "Warm"]));
    assert_eq!(
        account["pipelines"],
        json!([{"name": "Sales pipeline", "stages": ["Qualified", "Contact Made"]}])
    );
    assert_eq!(account["currencies"], json!(["EUR", "USD"]));
    assert_eq!(account["default_currency"], "EUR");
}

#[test]
fn the_snapshot_is_every_commands_schema_unless_schema_is_given() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let before = ok({
        let mut c = m.pipemap();
        c.args(["schema", "show"]);
        c
    });
    assert!(!before.stdout.contains("Tier"));
    ok(m.account(&server, &["pull"]));
    let shown = ok({
        let mut c = m.pipemap();
        c.args(["schema", "show"]);
        c
    });
    let key = format!("person.{:040x}", 5);
    assert!(shown.stdout.contains(&key), "{}", shown.stdout);
    assert!(shown.stdout.contains("options: Gold, Silver"));
    assert!(shown.stdout.contains("read from:") && shown.stdout.contains("acme.json"));
    assert!(shown.stdout.contains("users: jane@acme.test"));
    let csv = m.dir.path().join("people.csv");
    std::fs::write(&csv, "Name,Email,Tier\nAda,ada@x.test,Gold\n").unwrap();
    let suggested = ok({
        let mut c = m.pipemap();
        c.args([
            "suggest",
            csv.to_str().unwrap(),
            "--entity",
            "person",
            "--json",
        ]);
        c
    });
    let v: Value = serde_json::from_str(&suggested.stdout).unwrap();
    let tier = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "Tier")
        .unwrap();
    assert_eq!(tier["target"], json!(key), "{tier}");
    // --schema still overrides the snapshot.
    let own = m.dir.path().join("personFields.json");
    std::fs::write(
        &own,
        r#"{"success": true, "data": [{"key": "name", "name": "Name", "field_type": "varchar"}]}"#,
    )
    .unwrap();
    let overridden = ok({
        let mut c = m.pipemap();
        c.args(["schema", "show", "--schema", own.to_str().unwrap()]);
        c
    });
    assert!(!overridden.stdout.contains(&key));
}

#[test]
fn a_second_pull_says_what_changed() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    ok(m.account(&server, &["pull"]));
    let same = ok(m.account(&server, &["pull"]));
    assert!(same.stdout.contains("No changes since the previous pull."));
    server.change_account();
    let r = ok(m.account(&server, &["pull"]));
    for line in [
        "~ person field \"Tier\" renamed to \"Level\"",
        "+ person field \"Level\" options: Bronze",
        "+ person field \"Region\" (varchar)",
        "+ stages in \"Sales pipeline\": Won back",
    ] {
        assert!(r.stdout.contains(line), "{line} missing in:\n{}", r.stdout);
    }
}

#[test]
fn a_rate_limit_is_waited_out_with_a_countdown() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    server.fault("GET", "/personFields", Fault::RateLimit(1), 1);
    let start = Instant::now();
    let r = ok(m.account(&server, &["pull"]));
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert!(
        r.stderr.contains("rate limit was reached; resuming in 1 s"),
        "{}",
        r.stderr
    );
    assert!(m.snapshot().exists());
}

#[test]
fn a_server_error_is_retried() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    server.fault("GET", "/pipelines", Fault::Status(500), 1);
    let r = ok(m.account(&server, &["pull"]));
    assert!(
        r.stderr.contains("HTTP 500; trying again (1 of 2)"),
        "{}",
        r.stderr
    );
    assert!(m.snapshot().exists());
}

#[test]
fn a_slow_answer_times_out_and_is_retried_then_given_up() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    server.fault("GET", "/users", Fault::Slow(Duration::from_secs(2)), 1);
    let r = ok(m.account_with(&server, &["pull"], "0.5", "1"));
    assert!(r.stderr.contains("trying again (1 of 1)"), "{}", r.stderr);
    server.fault("GET", "/users", Fault::Slow(Duration::from_secs(2)), 2);
    let start = Instant::now();
    let r = run(m.account_with(&server, &["pull"], "0.5", "1"));
    assert_eq!(r.code, 5);
    assert!(start.elapsed() < Duration::from_secs(4));
    assert!(
        r.stderr
            .contains("GET /api/v1/users gave no answer within 0.5 s"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_token_and_a_missing_permission_each_get_one_sentence() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let mut cmd = m.account(&server, &["pull"]);
    cmd.env("PIPEDRIVE_API_TOKEN", "not-the-right-one");
    let r = run(cmd);
    assert_eq!(r.code, 4);
    assert_eq!(
        r.stderr.trim(),
        "pipemap: Pipedrive refused the API token (401): copy it again from Personal preferences → API"
    );
    server.fault("GET", "/users", Fault::Status(403), 1);
    let r = run(m.account(&server, &["pull"]));
    assert_eq!(r.code, 4);
    let last = r.stderr.trim().lines().last().unwrap();
    assert_eq!(
        last,
        "pipemap: the token's user has no permission to read users (403): ask an admin of the Pipedrive account for it"
    );
    assert!(!m.snapshot().exists());
}

#[test]
fn a_network_failure_gets_one_sentence() {
    let m = Machine::new();
    // Nothing listens on port 1.
    let mut cmd = m.pipemap();
    cmd.args([
        "account",
        "pull",
        "--api-url",
        "http://127.0.0.1:1",
        "--retries",
        "0",
    ]);
    let r = run(cmd);
    assert_eq!(r.code, 5);
    assert!(
        r.stderr.starts_with("pipemap: cannot reach 127.0.0.1:1: "),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.trim().lines().count(), 1);
}

#[test]
fn plain_http_goes_only_to_this_machine_and_the_token_must_be_given() {
    let m = Machine::new();
    let mut cmd = m.pipemap();
    cmd.args([
        "account",
        "pull",
        "--api-url",
        "http://pipedrive.example.com",
    ]);
    let r = run(cmd);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("plain HTTP is only allowed to this machine"),
        "{}",
        r.stderr
    );
    let mut cmd = m.pipemap();
    cmd.args([
        "account",
        "pull",
        "--api-url",
        "https://p.example.com/v1?api_token=abc",
    ]);
    let r = run(cmd);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("api_token=[token]") && !r.stderr.contains("abc"));
    let mut cmd = m.pipemap();
    cmd.env_remove("PIPEDRIVE_API_TOKEN").args([
        "account",
        "pull",
        "--api-url",
        "http://127.0.0.1:1",
    ]);
    let r = run(cmd);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no API token: set PIPEDRIVE_API_TOKEN"));
}

#[test]
fn the_token_can_come_from_a_file() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let file = m.dir.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let mut cmd = m.account(&server, &["pull", "--token-file", file.to_str().unwrap()]);
    cmd.env_remove("PIPEDRIVE_API_TOKEN");
    ok(cmd);
    assert!(m.snapshot().exists());
}

#[test]
fn a_spent_daily_budget_stops_the_run_and_says_when_it_resets() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    server.fault("GET", "/stages", Fault::DaySpent, 1);
    let r = run(m.account(&server, &["pull"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    let last = r.stderr.trim().lines().last().unwrap();
    assert!(
        last.starts_with(
            "pipemap: GET /api/v2/stages: the company's daily API budget is spent; it resets at "
        ) && last.contains("T00:00:00Z"),
        "{last}"
    );
    assert!(!m.snapshot().exists(), "nothing half-read is saved");
}

#[test]
fn a_full_burst_window_is_waited_out_before_the_next_request() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    server.fault("GET", "/pipelines", Fault::BurstFull, 1);
    let start = Instant::now();
    let r = ok(m.account(&server, &["pull"]));
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert!(r.stderr.contains("resuming in 1 s"), "{}", r.stderr);
}

#[test]
fn an_endpoint_the_account_does_not_offer_is_named_with_the_version_it_needs() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    server.fault("GET", "/pipelines", Fault::Status(410), 1);
    let r = run(m.account(&server, &["pull"]));
    assert_eq!(r.code, 5);
    let last = r.stderr.trim().lines().last().unwrap();
    assert!(
        last.contains("answered GET /api/v2/pipelines with HTTP 410: pipemap needs this endpoint of Pipedrive API v2"),
        "{last}"
    );
}

#[test]
fn an_answer_off_the_documents_is_an_error_naming_the_request_and_the_key() {
    let server = FakePipedrive::start();
    server.break_field_codes("dealFields");
    let m = Machine::new();
    let r = run(m.account(&server, &["pull"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    let last = r.stderr.trim().lines().last().unwrap();
    assert!(
        last.contains("GET /api/v2/dealFields: the answer does not match Pipedrive's published API: data[0]: missing field `field_code`"),
        "{last}"
    );
    server.forgive_answers();
}

#[test]
fn an_api_url_is_the_company_root_and_an_old_api_root_still_works() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let mut cmd = m.pipemap();
    cmd.args([
        "account",
        "pull",
        "--api-url",
        &format!("{}/api/v1/", server.url),
    ]);
    let r = ok(cmd);
    assert!(
        r.stderr.contains(&format!("({})", server.url)),
        "{}",
        r.stderr
    );
    assert!(
        server
            .seen()
            .iter()
            .all(|s| !s.target.contains("/api/v1/api/"))
    );
}
