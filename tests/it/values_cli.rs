//! Values through the binary: what `suggest` proposes for columns a sample cannot judge, what
//! `apply` writes for statuses, money, codes and secrets, and what it reports. The rows are made
//! up here (fictional names, example.com addresses); the forms are those the CRMs' documentation
//! and real exports show.

use crate::common;

use std::path::Path;

use common::pipemap;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The output file's rows as header → value maps.
fn rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn a_column_empty_in_the_sample_is_kept_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Name,Email,Salutation\n");
    for i in 1..=1_500 {
        let salutation = if i == 1_379 { "Mr." } else { "" };
        text.push_str(&format!("Person {i},p{i}@example.com,{salutation}\n"));
    }
    let file = write(dir.path(), "contacts.csv", &text);
    let output = pipemap()
        .args(["suggest", &file, "--entity", "person", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let column = json["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "Salutation")
        .expect("the column");
    assert_ne!(column["target"], "skip", "{column}");
}

#[test]
fn secrets_are_never_written_and_the_report_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "contacts.csv",
        "Name,Email,Password,API Key,Password last changed\n\
         Ada Example,ada@example.com,hunter2-secret,sk_live_abc123,2024-01-05\n\
         Bo Example,bo@example.com,correct-horse,sk_live_def456,2024-02-06\n",
    );
    let output = pipemap()
        .args(["suggest", &file, "--entity", "person", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for column in json["columns"].as_array().unwrap() {
        if matches!(column["column"].as_str(), Some("Password" | "API Key")) {
            assert_eq!(column["target"], "skip", "{column}");
        }
    }
    // Even a profile that maps them, or leaves them to the note, writes none of them.
    let profile = write(
        dir.path(),
        "profile.yaml",
        "version: 1\nname: t\nfiles:\n  - match: {headers_include: [Name, Password]}\n    entity: person\n    columns:\n      Name: person.name\n      Email: person.email:work\n      Password: person.custom:Password\n",
    );
    let out = dir.path().join("out");
    pipemap()
        .args(["apply", &file, "--profile", &profile, "-q", "--allow-drift"])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        if entry.path().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for secret in ["hunter2", "correct-horse", "sk_live"] {
                assert!(
                    !text.contains(secret),
                    "{} holds {secret}",
                    entry.path().display()
                );
            }
        }
    }
    let persons = rows(&out.join("02-persons.csv"));
    assert!(persons[0]["Note - Content"].contains("Password last changed: 2024-01-05"));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("hold secrets"), "{report}");
    assert!(report.contains("Password, API Key"), "{report}");
}

#[test]
fn statuses_money_and_codes_as_crms_write_them() {
    let dir = tempfile::tempdir().unwrap();
    // A Pipedrive export in Portuguese, a German one, Salesforce's and Zoho's stage names.
    let deals = write(
        dir.path(),
        "deals.csv",
        "Title,Organization,Status,Stage,Value,Currency\n\
         D1,Org A,ganho,Qualified,\"SE100000,00\",\n\
         D2,Org A,perdido,Qualified,\"1.234,50 €\",\n\
         D3,Org A,aberto,Negotiation/Review,(1 200.00),US Dollar\n\
         D4,Org A,gewonnen,Proposal/Price Quote,$ -,'-99\n\
         D5,Org A,,Closed Won,12,EUR\n\
         D6,Org A,,Closed Lost,twelve,Gold\n\
         D7,Org A,maybe,Qualified,7,usd\n",
    );
    let profile = write(
        dir.path(),
        "profile.yaml",
        "version: 1\nname: t\nfiles:\n  - match: {headers_include: [Title, Stage]}\n    entity: deal\n    columns:\n      Title: deal.title\n      Organization: deal.org_id\n      Status: deal.status\n      Stage: deal.stage_id\n      Value: deal.value\n      Currency: deal.currency\n",
    );
    let out = dir.path().join("out");
    pipemap()
        .args(["apply", &deals, "--profile", &profile, "-q"])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let written = rows(&out.join("03-deals.csv"));
    let get = |i: usize, k: &str| written[i][k].clone();
    let statuses: Vec<String> = (0..7).map(|i| get(i, "Deal - Status")).collect();
    assert_eq!(statuses, ["won", "lost", "open", "won", "won", "lost", ""]);
    let stages: Vec<String> = (0..7).map(|i| get(i, "Deal - Stage")).collect();
    assert_eq!(stages[2], "Negotiation/Review");
    assert_eq!(stages[3], "Proposal/Price Quote");
    assert!((0..7).all(|i| get(i, "Deal - Pipeline") == "Pipeline"));
    let values: Vec<String> = (0..7).map(|i| get(i, "Deal - Value")).collect();
    assert_eq!(
        values,
        ["100000.00", "1234.50", "-1200.00", "0", "12", "", "7"]
    );
    let currencies: Vec<String> = (0..7).map(|i| get(i, "Deal - Currency")).collect();
    assert_eq!(currencies, ["SEK", "EUR", "USD", "USD", "EUR", "", "USD"]);
    // What could not be read is in the note and in warnings.csv, with its line.
    assert!(get(5, "Note - Content").contains("Value: twelve"));
    assert!(get(5, "Note - Content").contains("Currency: Gold"));
    assert!(get(6, "Note - Content").contains("Status: maybe"));
    let warnings = std::fs::read_to_string(out.join("warnings.csv")).unwrap();
    for needle in [
        ",5,deal,Currency,'-99,\"a placeholder for no value",
        ",7,deal,Value,twelve,\"not an amount of money",
        ",7,deal,Currency,Gold,\"not a currency",
        ",8,deal,Status,maybe,\"not a deal status",
        ",2,deal,Value,\"SE100000,00\",SE in front of the amount is read as the country code whose currency is SEK",
    ] {
        assert!(warnings.contains(needle), "{needle} not in\n{warnings}");
    }
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!report.contains("`Negotiation`"), "{report}");
    assert!(!report.contains("`Proposal`"), "{report}");
}

#[test]
fn postal_codes_phones_and_account_numbers_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Name,Phone,Postal Code,Account Number\n");
    let postal = ["03902", "T1R 0W3", "10115", "98101", "60012"];
    let phones = [
        "'+55 19 98343-1600",
        "703-778-3080 x-15",
        "00879299213",
        "5551234567.0",
        "0049 30 1234567",
    ];
    for i in 0..5 {
        text.push_str(&format!(
            "Person {i},{},{},{:06}\n",
            phones[i],
            postal[i],
            i * 7 + 1
        ));
    }
    let file = write(dir.path(), "contacts.csv", &text);
    let profile = write(
        dir.path(),
        "profile.yaml",
        "version: 1\nname: t\nfiles:\n  - match: {headers_include: [Name, Phone]}\n    entity: person\n    columns:\n      Name: person.name\n      Phone: person.phone:work\n      Postal Code: person.custom:Postal Code\n      Account Number: person.custom:Account Number\n",
    );
    let out = dir.path().join("out");
    pipemap()
        .args(["apply", &file, "--profile", &profile, "-q"])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let written = rows(&out.join("02-persons.csv"));
    let column = |k: &str| -> Vec<String> { written.iter().map(|r| r[k].clone()).collect() };
    assert_eq!(column("Person - Postal Code"), postal);
    assert_eq!(
        column("Person - Account Number"),
        ["000001", "000008", "000015", "000022", "000029"]
    );
    assert_eq!(
        column("Person - Phone - Work"),
        [
            "+5519983431600",
            "7037783080 ext. 15",
            "00879299213",
            "5551234567",
            "+49301234567"
        ]
    );
    let summary = common::read_summary(&out);
    for field in &summary.custom_fields_to_create {
        assert_eq!(field.field_type, "varchar", "{field:?}");
    }
}

#[test]
fn a_tasks_export_with_every_row_wrapped_in_quotes_is_unwrapped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    // As a Zendesk Sell tasks export writes it: each data row one quoted field.
    let tasks = write(
        dir.path(),
        "tasks.csv",
        "content,owner,date,taskable_name\n\
         \"Ring kund,Kim Doe,2014-09-04 10:30,Example AB\"\n\
         \"Skicka offert,Kim Doe,2014-09-05,\"\"Example, Ltd\"\"\"\n",
    );
    let profile = write(
        dir.path(),
        "profile.yaml",
        "version: 1\nname: t\nfiles:\n  - match: {headers_include: [content, owner]}\n    entity: activity\n    columns:\n      content: activity.subject\n      owner: activity.owner_id\n      date: activity.due_date\n      taskable_name: activity.org_id\n",
    );
    let out = dir.path().join("out");
    pipemap()
        .args(["apply", &tasks, "--profile", &profile, "-q"])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let written = rows(&out.join("05-activities.csv"));
    assert_eq!(written.len(), 2);
    assert_eq!(written[0]["Activity - Subject"], "Ring kund");
    assert_eq!(written[0]["Activity - Due date"], "2014-09-04 10:30:00");
    assert_eq!(written[0]["Organization - Name"], "Example AB");
    assert_eq!(written[1]["Activity - Subject"], "Skicka offert");
    assert_eq!(written[1]["Organization - Name"], "Example, Ltd");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("2 row(s) were wrapped whole in quotes"),
        "{report}"
    );
}

#[test]
fn won_and_closed_flags_give_the_status_when_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    // Salesforce's Opportunity columns; the stages say nothing about the outcome.
    let deals = write(
        dir.path(),
        "Opportunity.csv",
        "Name,Account,StageName,IsClosed,IsWon,Closed\n\
         O1,Org A,Negotiation/Review,TRUE,TRUE,2024-01-05\n\
         O2,Org A,Negotiation/Review,TRUE,FALSE,2024-01-06\n\
         O3,Org A,Negotiation/Review,FALSE,FALSE,\n\
         O4,Org A,Closed Won,,,\n",
    );
    let profile = write(
        dir.path(),
        "profile.yaml",
        "version: 1\nname: t\nfiles:\n  - match: {headers_include: [Name, StageName]}\n    entity: deal\n    columns:\n      Name: deal.title\n      Account: deal.org_id\n      StageName: deal.stage_id\n      IsClosed: deal.custom:Is closed\n",
    );
    let out = dir.path().join("out");
    pipemap()
        .args([
            "apply",
            &deals,
            "--profile",
            &profile,
            "-q",
            "--allow-drift",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let written = rows(&out.join("03-deals.csv"));
    let statuses: Vec<&str> = written
        .iter()
        .map(|r| r["Deal - Status"].as_str())
        .collect();
    assert_eq!(statuses, ["won", "lost", "open", "won"]);
    // The dates of a column named "Closed" are no flag: kept, and no warning about them.
    assert!(written[0]["Note - Content"].contains("Closed: 2024-01-05"));
    let warnings = std::fs::read_to_string(out.join("warnings.csv")).unwrap();
    assert!(!warnings.contains("yes/no"), "{warnings}");
}
