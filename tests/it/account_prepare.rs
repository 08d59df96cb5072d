//! `pipemap account prepare OUT` and `undo OUT` against a Pipedrive look-alike: dry run,
//! creation recorded in the manifest, idempotency from the account's state, a failure half
//! way completed by the next run, and undo removing exactly what was created.

use crate::account_support;
use crate::tui_support;

use account_support::{FakePipedrive, Machine, TO_CREATE, TOKEN, manifest, ok, run, writes};
use serde_json::Value;

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
    // What --apply spends, by the documents' token costs: reading the account as this run
    // did, then the twelve creations (activity type and lead label 10 each in v1, the rest 5).
    let read: u64 = 5 * 10 + 20 + 20 + 5 + 5 + 20 + 20 + 10 + 20;
    let read_pages = read + 10 * 2 + 20; // person fields span 3 pages, lead fields 2
    let create = 10 * 5 + 2 * 10;
    let line = format!(
        "it sends {} requests costing {} tokens of the company's daily API budget ({read_pages} to read the account again, {create} to create)",
        server.seen().len() - 1 + 12,
        read_pages + create
    );
    assert!(r.stdout.contains(&line), "{line}\nnot in:\n{}", r.stdout);
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
    assert!(r.stdout.contains("Created 12 objects"), "{}", r.stdout);
    let after = server.inventory();
    assert_eq!(
        after["stages"],
        [
            "Qualified",
            "Contact Made",
            "Demo",
            "Won back",
            "Due",
            "Renewed"
        ]
    );
    assert_eq!(
        after["personFields labels"],
        ["Customer", "Hot lead", "VIP"]
    );
    assert_eq!(after["leadLabels"], ["Hot", "Warm", "Partner"]);
    assert!(after["activityTypes"].contains(&"Demo".to_string()));
    let created = manifest(&out)["created"].as_array().unwrap().clone();
    let kinds: Vec<&str> = created
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "field_option",
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
    assert!(
        created
            .iter()
            .all(|e| !e["id"].is_null() && e["time"].is_string())
    );
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
    assert!(
        again.stdout.contains("already has everything"),
        "{}",
        again.stdout
    );
    assert_eq!(writes(&server), writes_before);
    // Undo takes out the twelve, newest first, and nothing that was there before.
    let undone = ok(m.account(&server, &["undo", out.to_str().unwrap()]));
    assert!(
        undone.stdout.contains("Removed 12 objects"),
        "{}",
        undone.stdout
    );
    let first_removed = undone.stdout.lines().next().unwrap();
    assert!(
        first_removed.contains("lead label \"Partner\""),
        "{first_removed}"
    );
    assert_eq!(server.inventory(), initial);
    assert_eq!(manifest(&out)["removed"].as_array().unwrap().len(), 12);
    let nothing = ok(m.account(&server, &["undo", out.to_str().unwrap()]));
    assert!(nothing.stdout.contains("Nothing to undo"));
}

#[test]
fn a_failure_on_the_third_creation_leaves_a_manifest_of_what_was_done_and_the_next_run_completes() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let out = m.export();
    server.fail_post_number(3);
    let r = run(m.account(&server, &["prepare", out.to_str().unwrap(), "--apply"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr.contains("Created 2 of 12 before this failure"),
        "{}",
        r.stderr
    );
    // An option and a field went through; the third creation failed and is not recorded.
    assert_eq!(manifest(&out)["created"].as_array().unwrap().len(), 2);
    let rest = ok(m.account(&server, &["prepare", out.to_str().unwrap(), "--apply"]));
    assert!(
        rest.stdout.contains("Created 10 objects"),
        "{}",
        rest.stdout
    );
    assert_eq!(manifest(&out)["created"].as_array().unwrap().len(), 12);
    let inventory = server.inventory();
    let sources = inventory["personFields"]
        .iter()
        .filter(|n| *n == "Source")
        .count();
    assert_eq!(sources, 1, "created twice: {inventory:?}");
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
        r.stdout
            .contains("organization field \"Customer status\" (enum:"),
        "{}",
        r.stdout
    );
    assert_eq!(writes(&server), 0);
}

/// The Review & Export screen: after an export, `p` shows what the account lacks and `P`
/// creates it, through the same flow as `pipemap account prepare`.
#[test]
fn the_ui_shows_what_the_account_lacks_and_creates_it() {
    use crossterm::event::KeyCode;
    use pipemap::tui::app::Command;
    use pipemap::tui::model::AccountState;
    use tui_support::{demo, drain, export_to, press};

    let server = FakePipedrive::start();
    let (mut model, mut worker, rx) = demo();
    worker.connection = pipemap::tui::worker::AccountConnection {
        token: Some(pipemap::account::Token::new(TOKEN).unwrap()),
        api_url: Some(server.url.clone()),
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    press(&mut model, KeyCode::Char('5'));
    let early = press(&mut model, KeyCode::Char('p'));
    assert!(early.is_empty(), "nothing to compare before an export");
    export_to(&mut model, &worker, &rx, &out);

    let account = |model: &mut pipemap::tui::model::Model, key: char| {
        for c in press(model, KeyCode::Char(key)) {
            assert!(matches!(c, Command::PrepareAccount { .. }), "{c:?}");
            worker.execute(c);
        }
        drain(model, &worker, &rx);
    };
    let before = server.inventory();
    account(&mut model, 'p');
    let AccountState::Planned { items, .. } = &model.export_view.account else {
        panic!("{:?}", model.export_view.account);
    };
    assert!(!items.is_empty(), "the sample needs fields and stages");
    let planned = items.len();
    assert_eq!(server.inventory(), before, "p creates nothing");
    let text = tui_support::render(&mut model, 120, 40);
    assert!(text.contains("P creates them"), "{text}");

    account(&mut model, 'P');
    assert!(
        matches!(&model.export_view.account, AccountState::Created { count, .. } if *count == planned),
        "{:?}",
        model.export_view.account
    );
    assert_ne!(server.inventory(), before);
    assert_eq!(
        manifest(&out)["created"].as_array().unwrap().len(),
        planned,
        "recorded for undo"
    );
    account(&mut model, 'p');
    assert!(
        matches!(&model.export_view.account, AccountState::Planned { items, .. } if items.is_empty()),
        "a second look finds nothing missing"
    );
}

/// A manifest written through API v1 by an earlier pipemap names fields by numeric ids, which
/// API v2 does not know: undo removes them through the v1 operations still published for them.
#[test]
fn a_manifest_written_through_api_v1_is_undone() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let out = m.export();
    let earlier = serde_json::json!({
        "version": 1,
        "company_domain": "acme",
        "created": [
            {"kind": "custom_field", "id": 5, "name": "Tier", "entity": "person",
             "time": "2026-07-01T10:00:00Z"},
            {"kind": "label_option", "id": 302, "name": "Hot lead", "entity": "person",
             "field_id": 3, "time": "2026-07-01T10:00:01Z"}
        ],
        "removed": []
    });
    std::fs::write(
        out.join("account-manifest.json"),
        serde_json::to_string_pretty(&earlier).unwrap(),
    )
    .unwrap();
    let r = ok(m.account(&server, &["undo", out.to_str().unwrap()]));
    assert!(r.stdout.contains("Removed 2 objects"), "{}", r.stdout);
    let after = server.inventory();
    assert!(
        !after["personFields"].contains(&"Tier".to_string()),
        "{after:?}"
    );
    assert_eq!(after["personFields labels"], ["Customer"]);
    let sent: Vec<String> = server
        .seen()
        .iter()
        .filter(|s| s.method != "GET" || s.target.starts_with("/api/v1/personFields/"))
        .map(|s| format!("{} {}", s.method, s.target))
        .collect();
    assert_eq!(
        sent,
        [
            "GET /api/v1/personFields/3",
            "PUT /api/v1/personFields/3",
            "DELETE /api/v1/personFields/5"
        ]
    );
    // Saved in this version's form.
    assert_eq!(manifest(&out)["version"], 2);
}
