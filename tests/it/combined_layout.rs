//! `apply --layout combined`: each deal row carries its first activity, checked against the
//! source truth (the Sell task's `taskable_type` + `taskable_id`), and its person's e-mail,
//! checked against the Sell contact the deal names; every row is still written exactly once.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::{assert_reconciles, pipemap};
use pipemap::export::SummaryFile;

const SAMPLE: &str = "assets/samples/zendesk-sell";

fn export(out: &Path, layout: &str) -> SummaryFile {
    let assert = pipemap()
        .args([
            "apply",
            SAMPLE,
            "--profile",
            "zendesk-sell",
            "--quiet",
            "--layout",
            layout,
        ])
        .arg("--out")
        .arg(out)
        .assert();
    assert!(matches!(assert.get_output().status.code(), Some(0 | 3)));
    assert_reconciles(out)
}

type Table = (Vec<String>, Vec<Vec<String>>);

fn read(path: &Path) -> Table {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

fn col(t: &Table, name: &str) -> usize {
    t.0.iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", t.0))
}

#[test]
fn deal_rows_carry_their_own_first_activity_and_their_persons_email() {
    let dir = tempfile::tempdir().unwrap();
    let separate = dir.path().join("separate");
    let combined = dir.path().join("combined");
    export(&separate, "separate");
    let summary = export(&combined, "combined");
    let folded = summary
        .summary
        .combined
        .as_ref()
        .expect("combined")
        .activities;
    assert!(folded > 0, "{summary:?}");

    // Source truth: the subjects of each Sell deal's tasks, and each contact's e-mail.
    let tasks = read(&Path::new(SAMPLE).join("tasks.csv"));
    let mut subjects: HashMap<String, HashSet<String>> = HashMap::new();
    for t in &tasks.1 {
        if t[col(&tasks, "taskable_type")] == "Deal" {
            subjects
                .entry(t[col(&tasks, "taskable_id")].clone())
                .or_default()
                .insert(t[col(&tasks, "content")].clone());
        }
    }
    let deals_src = read(&Path::new(SAMPLE).join("deals.csv"));
    let contacts = read(&Path::new(SAMPLE).join("contacts.csv"));
    let email_of: HashMap<&str, &str> = contacts
        .1
        .iter()
        .map(|c| {
            (
                c[col(&contacts, "id")].as_str(),
                c[col(&contacts, "email")].as_str(),
            )
        })
        .collect();
    let contact_of: HashMap<&str, &str> = deals_src
        .1
        .iter()
        .map(|d| {
            (
                d[col(&deals_src, "id")].as_str(),
                d[col(&deals_src, "main_contact_id")].as_str(),
            )
        })
        .collect();

    let deals = read(&combined.join("03-deals.csv"));
    let (id, subject, email) = (
        col(&deals, "Deal - Sell ID"),
        col(&deals, "Activity - Subject"),
        col(&deals, "Person - Email"),
    );
    let mut with_activity = 0;
    let mut emails_checked = 0;
    for d in &deals.1 {
        if !d[subject].is_empty() {
            with_activity += 1;
            let truth = subjects
                .get(&d[id])
                .unwrap_or_else(|| panic!("deal {} has no task", d[id]));
            assert!(
                truth.contains(&d[subject]),
                "deal {}: {:?} not its own task",
                d[id],
                d[subject]
            );
        }
        if !d[email].is_empty() {
            let contact = contact_of[d[id].as_str()];
            let source = email_of.get(contact).copied().unwrap_or("");
            assert!(
                d[email].eq_ignore_ascii_case(source.trim()) || source.is_empty(),
                "deal {}: {} is not the e-mail of contact {contact} ({source})",
                d[id],
                d[email]
            );
            emails_checked += 1;
        }
    }
    assert_eq!(with_activity as u64, folded);
    assert!(emails_checked > 50, "{emails_checked}");

    // Every activity is written once: in its own file or in its deal's row.
    let rows = |out: &Path, file: &str| read(&out.join(file)).1.len() as u64;
    assert_eq!(
        rows(&separate, "05-activities.csv"),
        rows(&combined, "05-activities.csv") + folded
    );
    assert_eq!(
        rows(&separate, "03-deals.csv"),
        rows(&combined, "03-deals.csv")
    );

    // links.csv still points at rows that exist.
    let links = read(&combined.join("links.csv"));
    let activities = rows(&combined, "05-activities.csv");
    for l in &links.1 {
        if l[0] == "05-activities" {
            assert!(l[2].parse::<u64>().unwrap() <= activities, "{l:?}");
        }
    }
    let report = std::fs::read_to_string(combined.join("report.md")).unwrap();
    assert!(report.contains("Combined layout:"), "{report}");
}

#[test]
fn the_profile_can_ask_for_the_combined_layout() {
    let dir = tempfile::tempdir().unwrap();
    let preset = pipemap()
        .args(["profile", "show", "zendesk-sell"])
        .output()
        .unwrap();
    let text = String::from_utf8(preset.stdout).unwrap();
    let text = if text.contains("\noptions:") {
        text.replace("\noptions:", "\noptions:\n  layout: combined")
    } else {
        format!("{text}options:\n  layout: combined\n")
    };
    std::fs::write(dir.path().join("p.yaml"), text).unwrap();
    let out = dir.path().join("out");
    let assert = pipemap()
        .args(["apply", SAMPLE, "--quiet", "--allow-drift", "--profile"])
        .arg(dir.path().join("p.yaml"))
        .arg("--out")
        .arg(&out)
        .assert();
    assert!(
        matches!(assert.get_output().status.code(), Some(0 | 3)),
        "{:?}",
        assert.get_output()
    );
    let summary = assert_reconciles(&out);
    assert!(summary.summary.combined.expect("combined").activities > 0);
    let mapping = std::fs::read_to_string(out.join("mapping.yaml")).unwrap();
    assert!(mapping.contains("layout: combined"), "{mapping}");
}
