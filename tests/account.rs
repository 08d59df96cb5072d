//! `pipemap account pull | prepare | undo` against a Pipedrive look-alike on a loopback port:
//! pagination, the snapshot as default schema, the pull diff, dry run, creation with a
//! manifest, idempotency, undo, and each fault (429, 5xx, slow answers, 401, 403, network,
//! a failure half way). Every run is checked never to show the token.

mod account_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use account_support::{FakePipedrive, Fault, TOKEN};
use assert_cmd::Command;
use serde_json::{Value, json};

/// A user's machine: its own config folder (where the snapshot goes) and the token set.
struct Machine {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Machine {
    fn new() -> Machine {
        Machine {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn pipemap(&self) -> Command {
        let mut cmd = Command::cargo_bin("pipemap").expect("the binary builds");
        cmd.env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path().join("home"))
            .env("PIPEDRIVE_API_TOKEN", TOKEN)
            .env_remove("PIPEMAP_API_URL");
        cmd
    }

    /// `pipemap account ARGS` against the server, with a short timeout and quick retries.
    fn account(&self, server: &FakePipedrive, args: &[&str]) -> Command {
        self.account_with(server, args, "2", "2")
    }

    fn account_with(
        &self,
        server: &FakePipedrive,
        args: &[&str],
        timeout: &str,
        retries: &str,
    ) -> Command {
        let mut cmd = self.pipemap();
        cmd.arg("account").args(args).args([
            "--api-url",
            &server.url,
            "--timeout",
            timeout,
            "--retries",
            retries,
        ]);
        cmd
    }

    fn snapshot(&self) -> PathBuf {
        self.dir.path().join("config/pipemap/account/acme.json")
    }

    /// An export folder whose summary.json needs fields, stages, types and labels, some of
    /// which the account already has.
    fn export(&self) -> PathBuf {
        let out = self.dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let summary = json!({
            "plan": [],
            "custom_fields_to_create": [
                {"entity": "person", "name": "Tier", "field_type": "enum", "options": ["Gold"]},
                {"entity": "person", "name": "Source", "field_type": "varchar", "options": []},
                {"entity": "deal", "name": "Budget", "field_type": "monetary", "options": []},
                {"entity": "organization", "name": "Segment", "field_type": "enum",
                 "options": ["SMB", "Enterprise"]}
            ],
            "stages_to_create": [
                {"pipeline": "Sales pipeline", "stages": ["Qualified", "Demo", "Won back"]},
                {"pipeline": "Renewals", "stages": ["Due", "Renewed"]}
            ],
            "activity_types_to_create": ["Demo", "call"],
            "labels_to_create": {"person": ["VIP", "Customer"], "lead": ["Hot", "Partner"]}
        });
        std::fs::write(out.join("summary.json"), summary.to_string()).unwrap();
        out
    }
}

const TO_CREATE: [&str; 11] = [
    "person field \"Source\" (varchar)",
    "deal field \"Budget\" (monetary)",
    "organization field \"Segment\" (enum: SMB, Enterprise)",
    "stage \"Demo\" in pipeline \"Sales pipeline\"",
    "stage \"Won back\" in pipeline \"Sales pipeline\"",
    "pipeline \"Renewals\"",
    "stage \"Due\" in pipeline \"Renewals\"",
    "stage \"Renewed\" in pipeline \"Renewals\"",
    "activity type \"Demo\"",
    "person label \"VIP\"",
    "lead label \"Partner\"",
];

/// Runs the command and checks the token shows nowhere in what it printed.
fn run(mut cmd: Command) -> Run {
    let output = cmd.output().unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).to_string(),
    };
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token was printed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn ok(cmd: Command) -> Run {
    let r = run(cmd);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    r
}

fn manifest(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("account-manifest.json")).expect("a manifest");
    assert!(!text.contains(TOKEN));
    serde_json::from_str(&text).unwrap()
}

fn writes(server: &FakePipedrive) -> usize {
    server.seen().iter().filter(|s| s.method != "GET").count()
}

#[test]
fn pull_reads_every_page_and_saves_a_snapshot_without_the_token() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let r = ok(m.account(&server, &["pull"]));
    assert!(r.stdout.contains("Read acme: 1 custom fields, 1 pipelines with 2 stages, 1 users, 3 activity types, 2 currencies."), "{}", r.stdout);
    assert!(r.stdout.contains("First pull of acme."), "{}", r.stdout);
    // Person fields come two to a page: three requests, following next_start.
    let starts: Vec<String> = server
        .seen()
        .iter()
        .filter(|s| s.target.starts_with("/api/v1/personFields"))
        .map(|s| s.target.clone())
        .collect();
    assert_eq!(
        starts,
        [
            "/api/v1/personFields?start=0&limit=500",
            "/api/v1/personFields?start=2&limit=500",
            "/api/v1/personFields?start=4&limit=500"
        ]
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
        c.args(["suggest", csv.to_str().unwrap(), "--entity", "person", "--json"]);
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
fn prepare_is_a_dry_run_by_default() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let out = m.export();
    let r = ok(m.account(&server, &["prepare", out.to_str().unwrap()]));
    let listed: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(str::trim)
        .collect();
    assert_eq!(listed, TO_CREATE);
    assert!(r.stdout.contains("Dry run: nothing was created"));
    assert_eq!(writes(&server), 0);
    assert!(!out.join("account-manifest.json").exists());
}

#[test]
fn apply_creates_once_records_each_and_undo_removes_exactly_those() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let out = m.export();
    let initial = server.inventory();
    let r = ok(m.account(&server, &["prepare", out.to_str().unwrap(), "--apply"]));
    assert!(r.stdout.contains("Created 11 objects"), "{}", r.stdout);
    let after = server.inventory();
    assert_eq!(
        after["stages"],
        ["Qualified", "Contact Made", "Demo", "Won back", "Due", "Renewed"]
    );
    assert_eq!(after["personFields labels"], ["Customer", "Hot lead", "VIP"]);
    assert_eq!(after["leadLabels"], ["Hot", "Warm", "Partner"]);
    assert!(after["activityTypes"].contains(&"Demo".to_string()));
    let created = manifest(&out)["created"].as_array().unwrap().clone();
    let kinds: Vec<&str> = created.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "custom_field",
            "custom_field",
            "custom_field",
            "stage",
            "stage",
            "pipeline",
            "stage",
            "stage",
            "activity_type",
            "label_option",
            "lead_label"
        ]
    );
    assert!(created.iter().all(|e| !e["id"].is_null() && e["time"].is_string()));
    // The stages went into the right pipelines: the new pipeline's id for Due.
    let renewals = created.iter().find(|e| e["kind"] == "pipeline").unwrap()["id"].clone();
    let due = server
        .seen()
        .into_iter()
        .find(|s| s.method == "POST" && s.body.contains("\"Due\""))
        .unwrap();
    let body: Value = serde_json::from_str(&due.body).unwrap();
    assert_eq!(body["pipeline_id"], renewals);
    // A second run finds everything in the account and creates nothing.
    let writes_before = writes(&server);
    let again = ok(m.account(&server, &["prepare", out.to_str().unwrap(), "--apply"]));
    assert!(again.stdout.contains("already has everything"), "{}", again.stdout);
    assert_eq!(writes(&server), writes_before);
    // Undo takes out the eleven, newest first, and nothing that was there before.
    let undone = ok(m.account(&server, &["undo", out.to_str().unwrap()]));
    assert!(undone.stdout.contains("Removed 11 objects"), "{}", undone.stdout);
    let first_removed = undone.stdout.lines().next().unwrap();
    assert!(first_removed.contains("lead label \"Partner\""), "{first_removed}");
    assert_eq!(server.inventory(), initial);
    assert_eq!(manifest(&out)["removed"].as_array().unwrap().len(), 11);
    let nothing = ok(m.account(&server, &["undo", out.to_str().unwrap()]));
    assert!(nothing.stdout.contains("Nothing to undo"));
}

#[test]
fn a_failure_on_the_third_creation_leaves_a_manifest_of_two_and_the_next_run_completes() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let out = m.export();
    server.fail_post_number(3);
    let r = run(m.account(&server, &["prepare", out.to_str().unwrap(), "--apply"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("Created 2 of 11 before this failure"), "{}", r.stderr);
    assert_eq!(manifest(&out)["created"].as_array().unwrap().len(), 2);
    let rest = ok(m.account(&server, &["prepare", out.to_str().unwrap(), "--apply"]));
    assert!(rest.stdout.contains("Created 9 objects"), "{}", rest.stdout);
    assert_eq!(manifest(&out)["created"].as_array().unwrap().len(), 11);
    let inventory = server.inventory();
    let sources = inventory["personFields"]
        .iter()
        .filter(|n| *n == "Source")
        .count();
    assert_eq!(sources, 1, "created twice: {inventory:?}");
}

#[test]
fn a_rate_limit_is_waited_out_with_a_countdown() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    server.fault("GET", "/personFields", Fault::RateLimit(1), 1);
    let start = Instant::now();
    let r = ok(m.account(&server, &["pull"]));
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert!(r.stderr.contains("rate limit was reached; resuming in 1 s"), "{}", r.stderr);
    assert!(m.snapshot().exists());
}

#[test]
fn a_server_error_is_retried() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    server.fault("GET", "/pipelines", Fault::Status(500), 1);
    let r = ok(m.account(&server, &["pull"]));
    assert!(r.stderr.contains("HTTP 500; trying again (1 of 2)"), "{}", r.stderr);
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
        r.stderr.contains("/api/v1/users?start=0&limit=500 gave no answer within 0.5 s"),
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
        "http://127.0.0.1:1/api/v1",
        "--retries",
        "0",
    ]);
    let r = run(cmd);
    assert_eq!(r.code, 5);
    assert!(r.stderr.starts_with("pipemap: cannot reach 127.0.0.1:1: "), "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1);
}

#[test]
fn plain_http_goes_only_to_this_machine_and_the_token_must_be_given() {
    let m = Machine::new();
    let mut cmd = m.pipemap();
    cmd.args(["account", "pull", "--api-url", "http://pipedrive.example.com/api/v1"]);
    let r = run(cmd);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("plain HTTP is only allowed to this machine"), "{}", r.stderr);
    let mut cmd = m.pipemap();
    cmd.args(["account", "pull", "--api-url", "https://p.example.com/v1?api_token=abc"]);
    let r = run(cmd);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("api_token=[token]") && !r.stderr.contains("abc"));
    let mut cmd = m.pipemap();
    cmd.env_remove("PIPEDRIVE_API_TOKEN")
        .args(["account", "pull", "--api-url", "http://127.0.0.1:1/v1"]);
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
fn an_export_of_the_sample_lists_what_prepare_would_create() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let out = m.dir.path().join("to-import");
    let mut apply = m.pipemap();
    apply.args([
        "apply",
        "assets/samples/zendesk-sell",
        "--profile",
        "zendesk-sell",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let r = run(apply);
    assert!(r.code == 0 || r.code == 3, "{}", r.stderr);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for key in [
        "custom_fields_to_create",
        "stages_to_create",
        "activity_types_to_create",
        "labels_to_create",
    ] {
        assert!(summary.get(key).is_some(), "{key} missing");
    }
    let r = ok(m.account(&server, &["prepare", out.to_str().unwrap()]));
    assert!(
        r.stdout.contains("organization field \"Customer status\" (enum:"),
        "{}",
        r.stdout
    );
    assert_eq!(writes(&server), 0);
}
