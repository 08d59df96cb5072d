//! `pipemap link OUT [--apply]` against the Pipedrive look-alike: an export whose names
//! collide (two "John Smith"s at two "Acme"s, three deals titled "Renewal") is imported by the
//! "wizard", then every activity and note is created through the API on exactly the record it
//! belonged to in the source; a second run creates nothing; undo removes them; a spent budget
//! stops the run and the next run creates only the rest.

use crate::account_support;
use crate::tui_support;

use std::path::{Path, PathBuf};

use account_support::{FakePipedrive, Fault, Machine, manifest, ok, run};
use serde_json::Value;

const CONTACTS: &str = "is_organisation,name,first_name,last_name,organisation_name,id,email
true,Acme,,,,1,info@acme-one.example
true,Acme,,,,2,info@acme-two.example
true,Globex,,,,3,info@globex.example
false,John Smith,John,Smith,Acme,11,john@acme-one.example
false,John Smith,John,Smith,Acme,12,john@acme-two.example
false,Jane Doe,Jane,Doe,Globex,13,jane@globex.example
";

const DEALS: &str = "id,name,scope,pipeline_name,stage_name,main_contact_id,main_contact,company_id,company,currency
101,Renewal,1000,Sales Pipeline,Incoming,11,John Smith,1,Acme,EUR
102,Renewal,2000,Sales Pipeline,Incoming,12,John Smith,2,Acme,EUR
103,Renewal,3000,Sales Pipeline,Incoming,13,Jane Doe,3,Globex,EUR
104,New business,4000,Sales Pipeline,Incoming,11,John Smith,1,Acme,EUR
";

const TASKS: &str = "content,owner,date,done_at,id,taskable_id,taskable_type,taskable_name
Call about deal 101,,2024-03-01T10:00:00Z,,9001,101,Deal,Renewal
Call about deal 102,,2024-03-02T10:00:00Z,2024-03-02T11:00:00Z,9002,102,Deal,Renewal
Call about deal 103,,2024-03-03T10:00:00Z,,9003,103,Deal,Renewal
Call about deal 104,,2024-03-04T10:00:00Z,,9004,104,Deal,New business
Lunch with contact 11,,2024-03-05T12:00:00Z,,9005,11,Contact,John Smith
Lunch with contact 12,,2024-03-06T12:00:00Z,,9006,12,Contact,John Smith
";

const NOTES: &str = "content,owner,noteable_id,noteable_type,noteable_name,created_at,id
Note on deal 101,,101,Deal,Renewal,2024-02-01T09:00:00Z,8001
Note on deal 102,,102,Deal,Renewal,2024-02-02T09:00:00Z,8002
Note on contact 12,,12,Contact,John Smith,2024-02-03T09:00:00Z,8003
Note on company 2,,2,Contact,Acme,2024-02-04T09:00:00Z,8004
";

/// The export of the colliding source, its fields prepared in the account and its records
/// imported; returns the folder and the Pipedrive id of each source id.
fn exported_and_imported(
    server: &FakePipedrive,
    m: &Machine,
) -> (
    PathBuf,
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, Value>>,
) {
    let src = m.dir.path().join("sell");
    std::fs::create_dir_all(&src).unwrap();
    for (name, text) in [
        ("contacts.csv", CONTACTS),
        ("deals.csv", DEALS),
        ("tasks.csv", TASKS),
        ("notes.csv", NOTES),
    ] {
        std::fs::write(src.join(name), text).unwrap();
    }
    let out = m.dir.path().join("to-import");
    let mut apply = m.pipemap();
    apply
        .args([
            "apply",
            src.to_str().unwrap(),
            "--profile",
            "zendesk-sell",
            "--out",
        ])
        .arg(&out)
        .arg("--quiet");
    let r = run(apply);
    assert!(r.code == 0 || r.code == 3, "{}", r.stderr);
    ok(m.account(server, &["prepare", out.to_str().unwrap(), "--apply"]));
    let ids = server.import(&out, "Sell ID");
    (out, ids)
}

fn by_text<'a>(items: &'a [Value], key: &str, text: &str) -> &'a Value {
    // A note's content goes on with what the source had besides (its Sell ID).
    let found: Vec<&Value> = items
        .iter()
        .filter(|i| {
            i[key]
                .as_str()
                .is_some_and(|t| t.lines().next() == Some(text))
        })
        .collect();
    assert_eq!(found.len(), 1, "{text}: {items:?}");
    found[0]
}

fn rows(path: &Path) -> usize {
    csv::Reader::from_path(path).unwrap().records().count()
}

#[test]
fn every_activity_and_note_lands_on_the_record_it_belonged_to() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let (out, ids) = exported_and_imported(&server, &m);
    let pd = |entity: &str, source: &str| ids[entity][source].clone();

    let dry = ok(m.account_link(&server, &out, false));
    assert!(
        dry.stdout.contains("Dry run: nothing was created"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains(
            "activities: 6 linked by source id, 0 by a unique name, 0 left for the wizard"
        ),
        "{}",
        dry.stdout
    );
    // The import linked deal 102 to the first John Smith and the first Acme, by name.
    let deal_102 = pd("deals", "102");
    assert_eq!(
        server.record("deals", &deal_102)["person_id"],
        pd("persons", "11")
    );
    assert!(
        dry.stdout.contains(
            "1 deals and 0 leads were linked by the import to another person or organization"
        ),
        "{}",
        dry.stdout
    );
    // One deal corrected (5 tokens, v2), 6 activities at 5 (v2) and 4 notes at 10 (v1).
    assert!(
        dry.stdout
            .contains("sends 11 requests, 75 tokens of the company's daily API budget"),
        "{}",
        dry.stdout
    );
    assert_eq!(server.created_items().0.len(), 0);

    let applied = ok(m.account_link(&server, &out, true));
    let fixed = server.record("deals", &deal_102);
    assert_eq!(fixed["person_id"], pd("persons", "12"), "{fixed}");
    assert_eq!(fixed["org_id"], pd("organizations", "2"), "{fixed}");
    assert!(
        applied.stdout.contains("Created 10 activities and notes"),
        "{}",
        applied.stdout
    );
    let (activities, notes) = server.created_items();
    assert_eq!((activities.len(), notes.len()), (6, 4));
    let mut exact = 0;
    for (deal, person, org) in [
        ("101", "11", "1"),
        ("102", "12", "2"),
        ("103", "13", "3"),
        ("104", "11", "1"),
    ] {
        let a = by_text(&activities, "subject", &format!("Call about deal {deal}"));
        assert_eq!(a["deal_id"], pd("deals", deal), "{a}");
        assert_eq!(
            a["participants"][0]["person_id"],
            pd("persons", person),
            "{a}"
        );
        assert_eq!(a["org_id"], pd("organizations", org), "{a}");
        exact += 1;
    }
    for person in ["11", "12"] {
        let a = by_text(
            &activities,
            "subject",
            &format!("Lunch with contact {person}"),
        );
        assert_eq!(
            a["participants"][0]["person_id"],
            pd("persons", person),
            "{a}"
        );
        assert!(a.get("deal_id").is_none(), "{a}");
        exact += 1;
    }
    let done = by_text(&activities, "subject", "Call about deal 102");
    assert_eq!(done["done"], true);
    assert_eq!(done["due_date"], "2024-03-02");
    for (content, key, entity, source) in [
        ("Note on deal 101", "deal_id", "deals", "101"),
        ("Note on deal 102", "deal_id", "deals", "102"),
        ("Note on contact 12", "person_id", "persons", "12"),
        ("Note on company 2", "org_id", "organizations", "2"),
    ] {
        let n = by_text(&notes, "content", content);
        assert_eq!(n[key], pd(entity, source), "{n}");
        assert_eq!(n["add_time"].as_str().unwrap().len(), 19, "{n}");
        exact += 1;
    }
    assert_eq!(exact, 10, "every activity and note on its own record");

    // The rest of the files is left for the wizard: nothing here.
    assert_eq!(rows(&out.join("linked/05-activities.csv")), 0);
    assert_eq!(rows(&out.join("linked/06-notes.csv")), 0);
    assert_eq!(rows(&out.join("linked/link-fidelity.csv")), 10);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["link"]["activities"]["created"], 6);
    assert_eq!(summary["link"]["notes"]["linked_by_id"], 4);

    // A second run finds them in the manifest and creates nothing.
    let again = ok(m.account_link(&server, &out, true));
    assert!(
        again.stdout.contains("Created 0 activities and notes"),
        "{}",
        again.stdout
    );
    assert_eq!(server.created_items().0.len(), 6);
    // Undo removes them with the rest of what pipemap created, and puts the deal's links back.
    ok(m.account(&server, &["undo", out.to_str().unwrap()]));
    let (activities, notes) = server.created_items();
    assert!(activities.is_empty() && notes.is_empty());
    assert_eq!(
        server.record("deals", &deal_102)["person_id"],
        pd("persons", "11")
    );
}

#[test]
fn links_that_cannot_be_made_exact_are_left_for_the_wizard_with_the_reason() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let (out, ids) = exported_and_imported(&server, &m);
    // The import merged the two Acmes: one is gone from the account.
    server.forget_record("organizations", "Sell ID", "2");
    let r = ok(m.account_link(&server, &out, true));
    // Deal 102's call still lands on deal 102 (its own link); only the organization it carried
    // is left out. The contacts' lunches name "Acme" without an id: the one left is unique.
    assert!(
        r.stdout.contains(
            "activities: 4 linked by source id, 2 by a unique name, 0 left for the wizard"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("notes: 2 linked by source id, 1 by a unique name, 1 left for the wizard"),
        "{}",
        r.stdout
    );
    let (activities, notes) = server.created_items();
    assert_eq!((activities.len(), notes.len()), (6, 3));
    let call = by_text(&activities, "subject", "Call about deal 102");
    assert_eq!(call["deal_id"], ids["deals"]["102"]);
    assert!(call.get("org_id").is_none(), "{call}");
    // The note on the merged-away company is left for the wizard, with the reason.
    assert_eq!(rows(&out.join("linked/05-activities.csv")), 0);
    assert_eq!(rows(&out.join("linked/06-notes.csv")), 1);
    let report = std::fs::read_to_string(out.join("linked/link-report.md")).unwrap();
    assert!(
        report.contains("no organization with source id 2 in the account (not imported yet, or merged into another by the import)"),
        "{report}"
    );
    let fidelity = std::fs::read_to_string(out.join("linked/link-fidelity.csv")).unwrap();
    assert!(
        fidelity.contains("organization link left out"),
        "{fidelity}"
    );
}

#[test]
fn a_failure_half_way_stops_and_the_next_run_creates_only_the_rest() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let (out, _) = exported_and_imported(&server, &m);
    server.fail_post_number(4);
    let r = run(m.account_link(&server, &out, true));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr.contains("Created 4 of 11 before this failure"),
        "{}",
        r.stderr
    );
    let recorded = manifest(&out)["created"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| ["relinked", "activity", "note"].contains(&e["kind"].as_str().unwrap()))
        .count();
    // The deal's correction (a PATCH), then three creations; the fourth POST failed.
    assert_eq!(recorded, 4);
    let rest = ok(m.account_link(&server, &out, true));
    assert!(
        rest.stdout.contains("Created 7 activities and notes"),
        "{}",
        rest.stdout
    );
    let (activities, notes) = server.created_items();
    assert_eq!(activities.len() + notes.len(), 10);
}

#[test]
fn a_spent_daily_budget_stops_cleanly_and_says_when_it_resets() {
    let server = FakePipedrive::start();
    let m = Machine::new();
    let (out, _) = exported_and_imported(&server, &m);
    server.fault("POST", "/activities", Fault::DaySpent, 1);
    let r = run(m.account_link(&server, &out, true));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "POST /api/v2/activities: the company's daily API budget is spent; it resets at "
        ),
        "{}",
        r.stderr
    );
    assert!(!out.join("linked").exists(), "nothing half-written");
    let rest = ok(m.account_link(&server, &out, true));
    assert!(
        rest.stdout.contains("Created 10 activities and notes"),
        "{}",
        rest.stdout
    );
}

/// The Review & Export screen: after an export and the wizard's import, `i` shows how the
/// activities and notes link by id and `I` creates them, through the same flow as `pipemap link`.
#[test]
fn the_ui_links_activities_and_notes_after_the_import() {
    use crossterm::event::KeyCode;
    use pipemap::tui::app::Command;
    use pipemap::tui::model::LinkState;
    use tui_support::{demo, drain, export_to, press};

    let server = FakePipedrive::start();
    let m = Machine::new();
    let (mut model, mut worker, rx) = demo();
    worker.connection = pipemap::tui::worker::AccountConnection {
        token: Some(pipemap::account::Token::new(account_support::TOKEN).unwrap()),
        api_url: Some(server.url.clone()),
    };
    let out = m.dir.path().join("out");
    press(&mut model, KeyCode::Char('5'));
    assert!(
        press(&mut model, KeyCode::Char('i')).is_empty(),
        "nothing to link before an export"
    );
    export_to(&mut model, &worker, &rx, &out);
    ok(m.account(&server, &["prepare", out.to_str().unwrap(), "--apply"]));
    server.import(&out, "Sell ID");

    let link = |model: &mut pipemap::tui::model::Model, key: char| {
        for c in press(model, KeyCode::Char(key)) {
            assert!(matches!(c, Command::LinkAccount { .. }), "{c:?}");
            worker.execute(c);
        }
        drain(model, &worker, &rx);
    };
    link(&mut model, 'i');
    let LinkState::Planned { to_create, .. } = model.export_view.link.clone() else {
        panic!("{:?}", model.export_view.link);
    };
    assert!(
        to_create > 100,
        "most of the sample's activities and notes: {to_create}"
    );
    assert_eq!(server.created_items().0.len(), 0, "i creates nothing");
    let text = tui_support::render(&mut model, 120, 40);
    assert!(text.contains("I creates"), "{text}");

    link(&mut model, 'I');
    assert!(
        matches!(&model.export_view.link, LinkState::Created { count, .. } if *count as u32 == to_create),
        "{:?}",
        model.export_view.link
    );
    let (activities, notes) = server.created_items();
    assert_eq!((activities.len() + notes.len()) as u32, to_create);
    assert!(out.join("linked/link-fidelity.csv").exists());
}
