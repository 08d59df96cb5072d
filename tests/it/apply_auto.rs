//! `pipemap apply` without a profile (or with `--profile auto`): a preset that recognises every
//! file is used; otherwise pipemap's own suggestions, written to OUT/mapping.yaml so the user
//! can review them and run again with that file.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::common;
use common::pipemap_with_config;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// How a run of `pipemap apply` ended.
struct Run {
    code: Option<i32>,
    stderr: String,
}

/// `pipemap apply SOURCE --out OUT` without a profile, with `config` as its config folder.
fn apply(config: &Path, source: impl AsRef<OsStr>, out: &Path) -> Run {
    run(pipemap_with_config(config).arg("apply").arg(source), out)
}

/// `pipemap apply SOURCE --profile PROFILE --out OUT`, with `config` as its config folder.
fn apply_with(
    config: &Path,
    source: impl AsRef<OsStr>,
    profile: impl AsRef<OsStr>,
    out: &Path,
) -> Run {
    let mut cmd = pipemap_with_config(config);
    cmd.arg("apply").arg(source).arg("--profile").arg(profile);
    run(&mut cmd, out)
}

fn run(cmd: &mut assert_cmd::Command, out: &Path) -> Run {
    let output = cmd.arg("--out").arg(out).output().unwrap();
    Run {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A folder `src` in `dir` holding the files `(name, text)`.
fn source_folder(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let src = dir.join("src");
    std::fs::create_dir(&src).unwrap();
    for (name, text) in files {
        std::fs::write(src.join(name), text).unwrap();
    }
    src
}

#[test]
fn the_bundled_sample_is_recognised_by_its_preset() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let by_preset = dir.path().join("by-preset");
    let sample = "assets/samples/zendesk-sell";
    let Run { code, stderr } = apply(dir.path(), sample, &out);
    assert!(matches!(code, Some(0 | 3)), "{stderr}");
    assert!(
        stderr.contains("using the profile \"zendesk-sell\", which recognises every file"),
        "{stderr}"
    );
    apply_with(dir.path(), sample, "zendesk-sell", &by_preset);
    for file in [
        "02-persons.csv",
        "03-deals.csv",
        "05-activities.csv",
        "mapping.yaml",
    ] {
        assert_eq!(read(&out.join(file)), read(&by_preset.join(file)), "{file}");
    }
}

#[test]
fn unknown_files_are_exported_by_the_suggestions_and_the_mapping_is_written_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("deals.csv");
    std::fs::write(
        &src,
        "Opportunity Name,Account Name,Amount,Close Date,Mystery\n\
         Renewal,Acme,1200,2024-03-01,x1\n\
         Upsell,Globex,800,2024-04-02,x2\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let Run { code, stderr } = apply_with(dir.path(), &src, "auto", &out);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("deals.csv → deal"), "{stderr}");
    let mapping = read(&out.join("mapping.yaml"));
    assert!(
        mapping.contains("Opportunity Name: deal.title"),
        "{mapping}"
    );
    assert!(mapping.contains("Amount: deal.value"), "{mapping}");
    let deals = read(&out.join("03-deals.csv"));
    assert!(deals.starts_with("Deal - Title,"), "{deals}");
    assert!(deals.contains("Renewal,"), "{deals}");
    // A column no Pipedrive field fits becomes a custom field to create, its values kept.
    assert!(mapping.contains("target: deal.custom:Mystery"), "{mapping}");
    assert!(deals.contains(",x1,"), "{deals}");
    // The written mapping reproduces the export.
    let again = dir.path().join("again");
    let rerun = apply_with(dir.path(), &src, out.join("mapping.yaml"), &again);
    assert_eq!(rerun.code, Some(0), "{}", rerun.stderr);
    assert_eq!(read(&again.join("03-deals.csv")), deals);
}

#[test]
fn a_tasks_status_says_whether_its_activity_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("Tasks.csv");
    std::fs::write(
        &src,
        "Assigned To,Task,Due,Status,Last Update\n\
         Ann Lee,Call back,2024-03-01,Completed,2024-02-01\n\
         Ann Lee,Send offer,2024-03-02,Not Started,2024-02-02\n\
         Bob Ray,Visit,2024-03-03,In Progress,2024-02-03\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let Run { code, stderr } = apply_with(dir.path(), &src, "auto", &out);
    assert_eq!(code, Some(0), "{stderr}");
    let mapping = read(&out.join("mapping.yaml"));
    assert!(mapping.contains("Status: activity.done"), "{mapping}");
    let activities = read(&out.join("05-activities.csv"));
    let mut lines = activities.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let done = header
        .iter()
        .position(|h| *h == "Activity - Done")
        .expect("a Done column");
    let values: Vec<&str> = lines.map(|l| l.split(',').nth(done).unwrap()).collect();
    assert_eq!(values, ["1", "0", "0"], "{activities}");
    // A column kept in the activity's note is said to be, not listed as a field to create.
    let report = read(&out.join("report.md"));
    assert!(
        report.contains(
            "| Last Update | `activity.custom:Last Update` | written in the activity's note"
        ),
        "{report}"
    );
    assert!(!report.contains("Activity \"Last Update\""), "{report}");
}

#[test]
fn an_entity_goes_with_no_profile_only() {
    let dir = tempfile::tempdir().unwrap();
    let run = pipemap_with_config(dir.path())
        .args([
            "apply",
            "assets/samples/zendesk-sell/contacts.csv",
            "--profile",
            "zendesk-sell",
            "--entity",
            "person",
            "--out",
        ])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("--entity is for a run without a profile")
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
}

/// Whole real export folders (../shared/real_exports) with no profile: every record file is
/// exported, and the files that are not records — a history of stage changes, the CRM's users,
/// territories, campaigns — are left out with the reason in report.md.
#[test]
fn real_export_folders_export_their_records_and_leave_the_rest_out_with_reasons() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real_exports");
    for (folder, profile, left_out, outputs) in [
        (
            "salesforce-devorg-earthfink",
            // A report export: a chosen subset of the objects' columns, recognised by how much
            // of each file the preset explains.
            "using the profile \"salesforce\", which recognises every file",
            &["OpportunityHistory.csv"][..],
            &[
                "01-organizations.csv",
                "02-persons.csv",
                "03-deals.csv",
                "04-leads.csv",
            ][..],
        ),
        (
            "dynamics365-contoso-coffee",
            // An Export to Excel in display names, recognised by the dynamics365 preset.
            "using the profile \"dynamics365\", which recognises every file",
            &["User.csv", "Territory.csv", "Campaign.csv"][..],
            &[
                "01-organizations.csv",
                "02-persons.csv",
                "03-deals.csv",
                "05-activities.csv",
                "07-products.csv",
            ][..],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let Run { code, stderr } = apply(dir.path(), shared.join(folder), &out);
        assert!(matches!(code, Some(0 | 3)), "{folder}: {stderr}");
        assert!(stderr.contains(profile), "{folder}: {stderr}");
        let report = read(&out.join("report.md"));
        let summary = read(&out.join("summary.json"));
        for file in left_out {
            assert!(
                report.contains(&format!("{file}: left out: it looks like")),
                "{folder}/{file}: {report}"
            );
            assert!(!summary.contains(&format!("/{file}\"")), "{folder}/{file}");
        }
        for file in outputs {
            assert!(out.join(file).exists(), "{folder}: no {file}");
        }
    }
}

/// The real Dynamics 365 export folder by preset name gives the same export as without a
/// profile, and its users, territories and campaigns are left out with the reason instead of
/// stopping the export.
#[test]
fn the_dynamics365_preset_by_name_applies_the_real_export_folder() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real_exports/dynamics365-contoso-coffee");
    let dir = tempfile::tempdir().unwrap();
    let (named, auto) = (dir.path().join("named"), dir.path().join("auto"));
    let Run { code, stderr } = apply_with(dir.path(), &shared, "dynamics365", &named);
    assert!(matches!(code, Some(0 | 3)), "{stderr}");
    for file in ["User.csv", "Territory.csv", "Campaign.csv"] {
        assert!(
            stderr.contains(&format!("{file}: left out: it looks like")),
            "{file}: {stderr}"
        );
    }
    apply(dir.path(), &shared, &auto);
    for file in [
        "01-organizations.csv",
        "02-persons.csv",
        "03-deals.csv",
        "07-products.csv",
    ] {
        assert_eq!(read(&named.join(file)), read(&auto.join(file)), "{file}");
    }
    let deals = read(&named.join("03-deals.csv"));
    // Topic, Potential Customer, Contact, Status and Sales Stage land on Pipedrive's fields.
    assert!(
        deals.starts_with("Deal - Title,Person - Name,Organization - Name,"),
        "{deals}"
    );
    assert!(
        deals.contains("Adatum Corporation | 1-Year Fair Trade Coffee Subscription,Kevin Martin,Adatum Corporation,"),
        "{deals}"
    );
    assert!(deals.contains(",lost,"), "Status Lost becomes lost");
    assert!(
        deals.contains("Opportunity Sales Process"),
        "the stage's pipeline"
    );
}

/// Dynamics 365 rows by Web API logical names link by GUID (`_parentcustomerid_value`), and an
/// activity's status words (Completed, Canceled) are read through the preset's value map.
#[test]
fn dynamics365_web_api_rows_link_by_guid_and_activity_status_words_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let src = source_folder(
        dir.path(),
        &[
            (
                "accounts.csv",
                "accountid,name,telephone1,address1_city\n\
             0b1e7c8a-0000-4000-8000-000000000001,Example Roasters,555-0100,Springfield\n",
            ),
            (
                "contacts.csv",
                "contactid,firstname,lastname,_parentcustomerid_value,emailaddress1\n\
             0b1e7c8a-0000-4000-8000-000000000002,Ada,Example,0b1e7c8a-0000-4000-8000-000000000001,ada@example.com\n",
            ),
            (
                "All Activities.csv",
                "Activity Type,Subject,Regarding,Activity Status,Due Date\n\
             Task,Send price list,Example Roasters,Completed,2025-02-03\n\
             Phone Call,Call back,Example Roasters,Canceled,2025-02-04\n",
            ),
        ],
    );
    let out = dir.path().join("out");
    let Run { code, stderr } = apply(dir.path(), &src, &out);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("using the profile \"dynamics365\""),
        "{stderr}"
    );
    let persons = read(&out.join("02-persons.csv"));
    assert!(
        persons.contains("Ada Example,Example Roasters,"),
        "{persons}"
    );
    let activities = read(&out.join("05-activities.csv"));
    let lines: Vec<&str> = activities.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let done = header
        .iter()
        .position(|h| *h == "Activity - Done")
        .expect("done column");
    let kind = header
        .iter()
        .position(|h| *h == "Activity - Type")
        .expect("type column");
    let cells = |i: usize| lines[i].split(',').collect::<Vec<_>>();
    assert_eq!(
        (cells(1)[done], cells(1)[kind]),
        ("1", "task"),
        "{activities}"
    );
    assert_eq!(
        (cells(2)[done], cells(2)[kind]),
        ("0", "call"),
        "{activities}"
    );
}

/// Keap's Data Service tables (Contact, Company, Lead, ContactAction) are recognised by the
/// keap preset, and ContactID / ContactId / OpportunityId link by Keap id.
#[test]
fn the_keap_preset_takes_data_service_tables_and_links_them_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let Run { code, stderr } = apply(dir.path(), "tests/data/presets/keap", &out);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("using the profile \"keap\""), "{stderr}");
    let deals = read(&out.join("03-deals.csv"));
    assert!(
        deals.contains("Grinder upgrade,Ada Example,Example Roasters,"),
        "{deals}"
    );
    let activities = read(&out.join("05-activities.csv"));
    assert!(
        activities.contains("Call about the grinder,Ada Example,Grinder upgrade,"),
        "{activities}"
    );
    let organizations = read(&out.join("01-organizations.csv"));
    assert!(
        organizations.contains("Example Roasters,"),
        "{organizations}"
    );
    let mapping = read(&out.join("mapping.yaml"));
    assert!(mapping.contains("source_crm: keap"), "{mapping}");
}

/// A users file in the folder becomes the owner value map: Salesforce `OwnerId` user ids
/// become the users' e-mail addresses, report.md says so, and an id the users file lacks is
/// listed in warnings.csv.
#[test]
fn a_users_file_maps_owner_ids_to_the_users_e_mail_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let src = source_folder(
        dir.path(),
        &[
            (
                "User.csv",
                "Id,Username,FirstName,LastName,Email\n\
             005000000000001AAA,sam@login.example,Sam,Sample,sam@example.com\n\
             005000000000002AAA,kim@login.example,Kim,Demo,kim@example.com\n",
            ),
            (
                "Account.csv",
                "Id,Name,AccountNumber,BillingStreet,ShippingStreet,OwnerId\n\
             001000000000001AAA,Example Roasters,A-1,1 Main St,1 Main St,005000000000001AAA\n\
             001000000000002AAA,Demo Beans,A-2,2 Side St,2 Side St,005000000000009AAA\n",
            ),
            (
                "Opportunity.csv",
                "Id,AccountId,Name,StageName,ForecastCategory,IsWon,CloseDate,Amount,OwnerId\n\
             006000000000001AAA,001000000000001AAA,Grinder,Prospecting,Pipeline,false,2025-03-01,1200,005000000000002AAA\n",
            ),
        ],
    );
    let out = dir.path().join("out");
    let Run { code, stderr } = apply(dir.path(), &src, &out);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("using the profile \"salesforce\""),
        "{stderr}"
    );
    let report = read(&out.join("report.md"));
    assert!(
        report.contains("Owners: 2 ids (and 2 user names) mapped through User.csv"),
        "{report}"
    );
    let organizations = read(&out.join("01-organizations.csv"));
    assert!(
        organizations.contains(",sam@example.com"),
        "{organizations}"
    );
    let deals = read(&out.join("03-deals.csv"));
    assert!(deals.contains("kim@example.com"), "{deals}");
    let warnings = read(&out.join("warnings.csv"));
    assert!(
        warnings.contains(
            "OwnerId,005000000000009AAA,no user with this id or name in User.csv; kept as written"
        ),
        "{warnings}"
    );
    // The mapping written for review carries the owner map, so a rerun needs no users file.
    let mapping = read(&out.join("mapping.yaml"));
    assert!(
        mapping.contains("005000000000001AAA: sam@example.com"),
        "{mapping}"
    );
}

/// The real Dynamics 365 export's User.csv (no ids: owners are written by name) maps the
/// owners' names to their e-mail addresses.
#[test]
fn the_real_dynamics_users_file_maps_owner_names() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real_exports/dynamics365-contoso-coffee");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let Run { code, stderr } = apply(dir.path(), &shared, &out);
    assert!(matches!(code, Some(0 | 3)), "{stderr}");
    let report = read(&out.join("report.md"));
    assert!(
        report.contains("Owners: 13 user names mapped through User.csv"),
        "{report}"
    );
    let deals = read(&out.join("03-deals.csv"));
    let mut lines = deals.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let owner = header.iter().position(|h| *h == "Deal - Owner").unwrap();
    let (mut mapped, mut rows) = (0, 0);
    for line in lines.filter(|l| l.split(',').count() == header.len()) {
        rows += 1;
        if line.split(',').nth(owner).is_some_and(|o| o.contains('@')) {
            mapped += 1;
        }
    }
    // SOURCES.md: 5,192 of 5,229 opportunity owners are in User.csv.
    assert!(rows > 1000 && mapped * 10 >= rows * 9, "{mapped} of {rows}");
    let warnings = read(&out.join("warnings.csv"));
    assert!(warnings.contains("no user with this id or name in User.csv"));
}

/// `suggest` and `inspect` say that a users file or a history is not a record file, in text
/// and in `--json` (a key added next to the usual ones); a record file has no such key.
#[test]
fn suggest_and_inspect_say_what_a_file_that_is_not_records_is() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("User.csv");
    std::fs::write(
        &users,
        "Id,FirstName,LastName,Email\n1,Sam,Sample,sam@example.com\n",
    )
    .unwrap();
    let history = dir.path().join("OpportunityHistory.csv");
    std::fs::write(&history, "Id,OpportunityId,StageName\n1,2,Prospecting\n").unwrap();
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(
        &contacts,
        "First Name,Last Name,Email\nAda,Example,ada@example.com\n",
    )
    .unwrap();
    let stdout = |args: &[&str], file: &Path| {
        let run = pipemap_with_config(dir.path())
            .args(args)
            .arg(file)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0));
        String::from_utf8(run.stdout).unwrap()
    };
    for command in ["suggest", "inspect"] {
        let text = stdout(&[command], &users);
        assert!(
            text.contains("not a record file: the CRM's users (owners, not contacts)"),
            "{command}: {text}"
        );
        let text = stdout(&[command], &history);
        assert!(
            text.contains("not a record file: a history of changes"),
            "{command}: {text}"
        );
        assert!(!stdout(&[command], &contacts).contains("not a record file"));
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&[command, "--json"], &users)).unwrap();
        assert_eq!(
            json["not_a_record_file"], "the CRM's users (owners, not contacts)",
            "{command}"
        );
        // The usual keys are still there.
        let usual = if command == "suggest" {
            "columns"
        } else {
            "headers"
        };
        assert!(json.get(usual).is_some(), "{command}: {json}");
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&[command, "--json"], &contacts)).unwrap();
        assert!(json.get("not_a_record_file").is_none(), "{command}");
    }
}
