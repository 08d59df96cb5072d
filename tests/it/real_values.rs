//! Values as real CRMs write them, read from the real exports in ../shared/real_exports (a
//! Salesforce Developer Edition org and Dynamics 365 "Contoso Coffee") through the binary, with
//! the mapping pipemap's suggestions give (tests/data/real/*.yaml, no value maps). What each
//! output cell should hold is worked out here from the source file itself, row by row.

use crate::common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

const REAL: &str = "../shared/real_exports";

/// A CSV file as header → column and rows of cells (a leading byte-order mark dropped).
struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .expect("a header")
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.expect("a row").iter().map(str::to_string).collect())
            .collect();
        Table { headers, rows }
    }

    fn column(&self, name: &str) -> usize {
        self.headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {:?}", self.headers))
    }

    fn values(&self, name: &str) -> Vec<&str> {
        let c = self.column(name);
        self.rows.iter().map(|r| r[c].as_str()).collect()
    }
}

/// Runs `apply` on some files of one real export with its test profile; the output folder.
fn export(folder: &str, files: &[&str], profile: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("out");
    let mut cmd = common::pipemap();
    cmd.arg("apply");
    for f in files {
        cmd.arg(Path::new(REAL).join(folder).join(f));
    }
    cmd.args(["--profile", &format!("tests/data/real/{profile}.yaml")])
        .arg("--out")
        .arg(&out)
        .args(["--allow-drift", "-q"]);
    let status = cmd.output().expect("pipemap runs").status;
    assert!(
        matches!(status.code(), Some(0 | 3)),
        "apply failed: {status}"
    );
    common::assert_reconciles(&out);
    (dir, out)
}

fn source(folder: &str, file: &str) -> Table {
    Table::read(&Path::new(REAL).join(folder).join(file))
}

#[test]
fn salesforce_statuses_come_from_stages_and_flags_and_stages_stay_whole() {
    let folder = "salesforce-devorg-earthfink";
    let (_dir, out) = export(
        folder,
        &["Account.csv", "Contact.csv", "Opportunity.csv"],
        "salesforce-devorg",
    );
    let opportunities = source(folder, "Opportunity.csv");
    let deals = Table::read(&out.join("03-deals.csv"));
    let by_id: HashMap<&str, &Vec<String>> = {
        let id = deals.column("Deal - Salesforce ID");
        deals.rows.iter().map(|r| (r[id].as_str(), r)).collect()
    };
    let (status, stage, pipeline, value) = (
        deals.column("Deal - Status"),
        deals.column("Deal - Stage"),
        deals.column("Deal - Pipeline"),
        deals.column("Deal - Value"),
    );
    let ids = opportunities.values("Id");
    let stages = opportunities.values("StageName");
    let closed = opportunities.values("IsClosed");
    let won = opportunities.values("IsWon");
    let amounts = opportunities.values("Amount");
    let mut closed_deals = 0;
    for i in 0..ids.len() {
        let deal = by_id
            .get(ids[i])
            .unwrap_or_else(|| panic!("deal {} not written", ids[i]));
        let expected = match (closed[i], won[i]) {
            ("TRUE", "TRUE") => "won",
            ("TRUE", "FALSE") => "lost",
            ("FALSE", _) => "open",
            other => panic!("unexpected flags {other:?}"),
        };
        closed_deals += usize::from(expected != "open");
        assert_eq!(deal[status], expected, "{} ({})", ids[i], stages[i]);
        // "Negotiation/Review", "Proposal/Price Quote": one stage, the row's default pipeline.
        assert_eq!(deal[stage], stages[i], "{}", ids[i]);
        assert_eq!(deal[pipeline], "Pipeline", "{}", ids[i]);
        assert_eq!(deal[value], amounts[i], "{}", ids[i]);
    }
    assert!(closed_deals > 10, "the export has closed deals");
    // What a new user is offered for the flags: read for the status, no custom field.
    let suggested = common::pipemap()
        .args(["suggest", "--entity", "deal", "--json"])
        .arg(Path::new(REAL).join(folder).join("Opportunity.csv"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&suggested.stdout).unwrap();
    for column in json["columns"].as_array().unwrap() {
        if matches!(column["column"].as_str(), Some("IsWon" | "IsClosed")) {
            assert_eq!(column["target"], "skip", "{column}");
        }
    }
    assert!(stages.contains(&"Negotiation/Review"));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!report.contains("Pipeline \"Negotiation\""), "{report}");
    assert!(!report.contains("`Negotiation`"), "{report}");
}

#[test]
fn dynamics_statuses_currencies_close_times_and_postal_codes() {
    let folder = "dynamics365-contoso-coffee";
    let (_dir, out) = export(
        folder,
        &["Account.csv", "Contact.csv", "Opportunity.csv"],
        "dynamics365-contoso",
    );
    let opportunities = source(folder, "Opportunity.csv");
    let deals = Table::read(&out.join("03-deals.csv"));
    assert_eq!(deals.rows.len(), opportunities.rows.len());
    let (status, currency, value, won_time, lost_time) = (
        deals.column("Deal - Status"),
        deals.column("Deal - Currency"),
        deals.column("Deal - Value"),
        deals.column("Deal - Won time"),
        deals.column("Deal - Lost time"),
    );
    let statuses = opportunities.values("Status");
    let currencies = opportunities.values("Currency");
    let revenue = opportunities.values("Est. revenue");
    let closed_on = opportunities.values("Actual Close Date");
    for (i, deal) in deals.rows.iter().enumerate() {
        assert_eq!(deal[status], statuses[i].to_lowercase(), "row {}", i + 2);
        assert_eq!(currencies[i], "US Dollar");
        assert_eq!(deal[currency], "USD", "row {}", i + 2);
        assert_eq!(deal[value], revenue[i], "row {}", i + 2);
        // The close date, M/D/YYYY in the source, is the won or lost time.
        let iso = us_date(closed_on[i]);
        match statuses[i] {
            "Won" => assert_eq!((&deal[won_time], &deal[lost_time]), (&iso, &String::new())),
            "Lost" => assert_eq!((&deal[won_time], &deal[lost_time]), (&String::new(), &iso)),
            _ => assert_eq!(
                (&deal[won_time], &deal[lost_time]),
                (&String::new(), &String::new())
            ),
        }
    }
    // Postal codes are text: leading zeros kept, never a number field.
    let contacts = source(folder, "Contact.csv");
    let persons = Table::read(&out.join("02-persons.csv"));
    let postal = persons.values("Person - Address 1: ZIP/Postal Code");
    let source_postal = contacts.values("Address 1: ZIP/Postal Code");
    assert!(source_postal.contains(&"03902"));
    assert!(postal.contains(&"03902"), "{postal:?}");
    assert!(!postal.contains(&"3902"));
    let summary = common::read_summary(&out);
    let field = summary
        .custom_fields_to_create
        .iter()
        .find(|f| f.name == "Address 1: ZIP/Postal Code")
        .expect("the postal code field");
    assert_eq!(field.field_type, "varchar");
}

#[test]
fn dynamics_appointments_keep_their_date_time_and_duration() {
    let folder = "dynamics365-contoso-coffee";
    let (_dir, out) = export(
        folder,
        &["Account.csv", "Contact.csv", "Appointments.csv"],
        "dynamics365-contoso",
    );
    let appointments = source(folder, "Appointments.csv");
    let activities = Table::read(&out.join("05-activities.csv"));
    assert_eq!(activities.rows.len(), appointments.rows.len());
    let (date, duration) = (
        activities.column("Activity - Due date"),
        activities.column("Activity - Duration"),
    );
    let starts = appointments.values("Start Time");
    let minutes = appointments.values("Duration");
    for (i, activity) in activities.rows.iter().enumerate() {
        // `3/11/2025 13:00`: the date and the time, together in the due date column as the
        // import reads an ISO date-time (`2025-03-11 13:00:00`).
        let (day, clock) = us_date(starts[i])
            .split_once(' ')
            .map(|(d, t)| (d.to_string(), t[..5].to_string()))
            .expect("a date and time");
        assert_eq!(activity[date], format!("{day} {clock}:00"), "row {}", i + 2);
        // Minutes as HH:MM.
        let m: u32 = minutes[i].parse().expect("minutes");
        assert_eq!(activity[duration], format!("{:02}:{:02}", m / 60, m % 60));
    }
    let warnings = std::fs::read_to_string(out.join("warnings.csv")).unwrap();
    assert!(!warnings.contains("not a time"), "{warnings}");
}

#[test]
fn dynamics_html_bodies_become_text_with_their_links() {
    let folder = "dynamics365-contoso-coffee";
    let (_dir, out) = export(
        folder,
        &[
            "Account.csv",
            "Contact.csv",
            "Appointments.csv",
            "Emails.csv",
        ],
        "dynamics365-contoso",
    );
    let mut bodies = source(folder, "Appointments.csv")
        .values("Description")
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    bodies.extend(
        source(folder, "Emails.csv")
            .values("Description")
            .into_iter()
            .map(String::from),
    );
    let html = bodies
        .iter()
        .filter(|b| b.trim_start().to_lowercase().starts_with("<html"))
        .count();
    assert!(html > 100, "the export has HTML bodies ({html})");
    let activities = Table::read(&out.join("05-activities.csv"));
    let notes = activities.values("Activity - Note");
    for note in &notes {
        for markup in [
            "<html", "<head", "<p ", "<div", "</", "&nbsp;", "&gt;", "&amp;",
        ] {
            assert!(!note.contains(markup), "{markup} in {note}");
        }
    }
    // The links of the Teams invitations are kept.
    let links = notes
        .iter()
        .filter(|n| n.contains("https://teams.microsoft.com/l/meetup-join/"))
        .count();
    let source_links = bodies
        .iter()
        .filter(|b| b.contains("https://teams.microsoft.com/l/meetup-join/"))
        .count();
    assert!(source_links > 0);
    assert_eq!(links, source_links);
}

/// `8/31/2024` → `2024-08-31`, `9/3/2025 7:45` → `2025-09-03 07:45:00`; empty stays empty.
fn us_date(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let (date, time) = text.split_once(' ').unwrap_or((text, ""));
    let parts: Vec<u32> = date.split('/').map(|p| p.parse().unwrap()).collect();
    let date = format!("{:04}-{:02}-{:02}", parts[2], parts[0], parts[1]);
    match time.split_once(':') {
        Some((h, m)) => format!("{date} {:02}:{m}:00", h.parse::<u32>().unwrap()),
        None => date,
    }
}
