//! Forms of a CRM's export beyond one file per entity: Capsule's parties (people and
//! organisations in one file, told apart by their type), Nutshell's leads (its deals), the
//! display-label exports of Insightly's and ActiveCampaign's own Export.

use crate::common;
use crate::preset_crms::{apply_without_profile, preset, presets, strings};

/// Capsule's parties file holds people and organisations, told apart by `type`: each kind
/// becomes its own entity, people link to their organisation by name, nothing is rejected for
/// its kind, and a type naming neither stays a person with a warning that says so.
#[test]
fn capsule_parties_become_organizations_and_persons_by_their_type() {
    let dir = tempfile::tempdir().expect("temp dir");
    let extra = "id,type,firstName,lastName,name,organisation,title,jobTitle,about,owner,tags,createdAt,updatedAt,lastContactedAt\n90,Robot,Cy,Other,,,,,,sam,,2024-03-04T10:00:00Z,,\n";
    let (out, _) = apply_without_profile(
        dir.path(),
        "capsule",
        &["parties.csv", "opportunities.csv", "tasks.csv"],
        &[("more parties.csv", extra)],
    );
    let orgs = common::rows(&out.join("01-organizations.csv"));
    let names: Vec<&str> = orgs
        .iter()
        .map(|r| r["Organization - Name"].as_str())
        .collect();
    assert_eq!(names, ["Example Roasters Ltd", "Sample Cafe"], "{orgs:?}");
    assert_eq!(orgs[0]["Organization - About"], "Roasts and sells beans");
    assert_eq!(orgs[0]["Organization - Label"], "customer");
    let people = common::rows(&out.join("02-persons.csv"));
    let mut names: Vec<&str> = people.iter().map(|r| r["Person - Name"].as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        ["Ada Example", "Bo Sample", "Cy Other"],
        "{people:?}"
    );
    let org_of = |name: &str| {
        people
            .iter()
            .find(|r| r["Person - Name"] == name)
            .map(|r| r["Organization - Name"].clone())
    };
    assert_eq!(
        org_of("Ada Example").as_deref(),
        Some("Example Roasters Ltd")
    );
    assert_eq!(org_of("Bo Sample").as_deref(), Some(""));
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).expect("rejects.csv");
    assert_eq!(rejects.lines().count(), 1, "{rejects}");
    let warnings = std::fs::read_to_string(out.join("warnings.csv")).expect("warnings.csv");
    let robot: Vec<&str> = warnings.lines().filter(|l| l.contains("Robot")).collect();
    assert_eq!(robot.len(), 1, "{warnings}");
    assert!(
        robot[0].contains("names neither persons nor organizations"),
        "{warnings}"
    );
    // The opportunity whose party is an organisation links to it by its id.
    let espresso = common::row_where(
        &out.join("03-deals.csv"),
        "Deal - Title",
        "Espresso service",
    );
    assert_eq!(
        espresso["Organization - Name"], "Sample Cafe",
        "{espresso:?}"
    );
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(
        report
            .contains("Rows whose `type` names the kind organization become organization (2 rows)"),
        "{report}"
    );
}

/// Capsule's Export Data contacts file holds people and organizations told apart by "Type"
/// (Person / Organization): each becomes its own entity, the organization with its address.
#[test]
fn capsule_exported_contacts_split_on_their_type() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, _) = apply_without_profile(dir.path(), "capsule", &["Exported Contacts.csv"], &[]);
    let orgs = common::rows(&out.join("01-organizations.csv"));
    assert_eq!(orgs.len(), 1, "{orgs:?}");
    assert_eq!(orgs[0]["Organization - Name"], "Example Roasters Ltd");
    assert!(
        orgs[0].values().any(|v| v == "Springfield"),
        "the organization's address: {orgs:?}"
    );
    let people = common::rows(&out.join("02-persons.csv"));
    let names: Vec<&str> = people.iter().map(|r| r["Person - Name"].as_str()).collect();
    assert_eq!(names, ["Ada Example", "Bo Sample"], "{people:?}");
    assert_eq!(people[0]["Organization - Name"], "Example Roasters Ltd");
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).expect("rejects.csv");
    assert_eq!(rejects.lines().count(), 1, "{rejects}");
}

/// Nutshell's leads are its deals: the status words and the API's status numbers become won,
/// lost (a cancelled lead too: Pipedrive has no cancelled deals) or open; confidence is the
/// probability, the company links by name.
#[test]
fn nutshell_leads_become_deals_with_their_status_value_and_confidence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let numbered = "id,name,status,confidence,value.amount,value.currency,primaryAccount\n601,Numbered won,10,90,10,USD,Demo Beans\n602,Numbered lost,11,5,20,USD,Demo Beans\n603,Numbered cancelled,12,0,30,USD,Demo Beans\n604,Numbered open,0,50,40,USD,Demo Beans\n605,Numbered pending,1,50,50,USD,Demo Beans\n";
    let (out, _) = apply_without_profile(
        dir.path(),
        "nutshell",
        &["companies.csv", "people.csv", "leads.csv"],
        &[("leads 2.csv", numbered)],
    );
    let deals = common::rows(&out.join("03-deals.csv"));
    let deal = |title: &str| {
        deals
            .iter()
            .find(|r| r["Deal - Title"] == title)
            .unwrap_or_else(|| panic!("no deal {title}: {deals:?}"))
    };
    let cases = [
        ("Grinder upgrade", "won"),
        ("Espresso service", "lost"),
        ("Beans subscription", "open"),
        ("Cafe fit-out", "lost"),
        ("Numbered won", "won"),
        ("Numbered lost", "lost"),
        ("Numbered cancelled", "lost"),
        ("Numbered open", "open"),
        ("Numbered pending", "open"),
    ];
    for (title, status) in cases {
        assert_eq!(deal(title)["Deal - Status"], status, "{title}");
    }
    let won = deal("Grinder upgrade");
    assert_eq!(won["Deal - Probability"], "100");
    assert_eq!(won["Deal - Value"], "1250.75");
    assert_eq!(won["Deal - Currency"], "USD");
    assert_eq!(won["Deal - Expected close date"], "2024-04-30");
    assert_eq!(won["Deal - Deal closed on"], "2024-04-15 10:00:00");
    assert_eq!(won["Organization - Name"], "Example Roasters");
    assert_eq!(won["Deal - Owner"], "Sam Seller");
    assert_eq!(deal("Beans subscription")["Deal - Probability"], "40");
    assert_eq!(deal("Numbered won")["Deal - Probability"], "90");
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).expect("rejects.csv");
    assert_eq!(rejects.lines().count(), 1, "{rejects}");
}

/// Insightly's and ActiveCampaign's own Export name columns by display labels: contacts and
/// organizations are recognised with their marker labels (a report keeping them too), never
/// by labels other CRMs share alone; an Insightly opportunity keeps its status words, an
/// abandoned one is lost, and an ActiveCampaign deal's value is in units, not cents.
#[test]
fn display_label_exports_are_recognised_and_read_as_the_page_shows_them() {
    let all = presets();
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "insightly",
            &[
                "First Name",
                "Last Name",
                "Organization Name",
                "Email Address",
            ],
            "person",
        ),
        (
            "insightly",
            &["Record ID", "Organization Name", "Phone"],
            "organization",
        ),
        (
            "activecampaign",
            &[
                "Email",
                "First Name",
                "Last Name",
                "Date Created",
                "Account",
            ],
            "person",
        ),
    ];
    for (name, columns, entity) in cases {
        let p = preset(&all, name);
        let (i, _) = p
            .match_file(&strings(columns))
            .unwrap_or_else(|| panic!("{name} does not recognise {columns:?}"));
        assert_eq!(p.files[i].entity.as_str(), entity, "{name}: {columns:?}");
    }
    // Labels every CRM uses, without the marker labels, are no Insightly or ActiveCampaign file.
    let shared = strings(&["First Name", "Last Name", "Title", "Phone", "Email", "Tags"]);
    for name in ["insightly", "activecampaign"] {
        assert_eq!(preset(&all, name).match_file(&shared), None, "{name}");
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let (out, _) = apply_without_profile(
        dir.path(),
        "insightly",
        &[
            "Contacts export.csv",
            "Organizations export.csv",
            "Opportunities export.csv",
        ],
        &[],
    );
    let deals = common::rows(&out.join("03-deals.csv"));
    let deal = |title: &str| {
        deals
            .iter()
            .find(|r| r["Deal - Title"] == title)
            .unwrap_or_else(|| panic!("no deal {title}: {deals:?}"))
            .clone()
    };
    assert_eq!(deal("Cafe fit-out")["Deal - Status"], "lost");
    assert_eq!(
        deal("Espresso service")["Deal - Lost reason"],
        "Too expensive"
    );
    assert_eq!(deal("Grinder upgrade")["Deal - Probability"], "100");
    assert_eq!(
        deal("Grinder upgrade")["Organization - Name"],
        "Example Roasters"
    );
    let ada = common::row_where(&out.join("02-persons.csv"), "Person - Name", "Ada Example");
    assert_eq!(ada["Organization - Name"], "Example Roasters");
    assert_eq!(ada["Person - Email - Work"], "ada@example.com");

    let dir = tempfile::tempdir().expect("temp dir");
    let (out, _) = apply_without_profile(
        dir.path(),
        "activecampaign",
        &["Contacts export.csv", "Deals export.csv"],
        &[],
    );
    let espresso = common::row_where(
        &out.join("03-deals.csv"),
        "Deal - Title",
        "Espresso service",
    );
    assert_eq!(espresso["Deal - Value"], "3600.00");
    assert_eq!(espresso["Deal - Status"], "lost");
    assert_eq!(espresso["Person - Name"], "Bo Sample");
    let ada = common::row_where(&out.join("02-persons.csv"), "Person - Name", "Ada Example");
    assert_eq!(ada["Person - Label"], "newsletter, vip");
}
