//! Links as real CRMs write them, through `apply` without a profile: an id column whose header
//! is in another language links by its values, a type column + id column is one link to
//! several kinds of record, ids unique across files link to whichever file holds them — and
//! summary.json's link audit agrees with a recount made here from the inputs.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::{assert_reconciles, pipemap, rows};

/// `pipemap apply INPUT --out OUT` with no profile; the export must be written (exit 0 or 3).
fn apply_without_profile(input: &Path, out: &Path) {
    let run = pipemap()
        .arg("apply")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(matches!(run.status.code(), Some(0 | 3)), "{stderr}");
}

struct Source {
    orgs: Vec<(String, String)>,
    persons: Vec<(String, String, String)>,
    deals: Vec<(String, String, String)>,
    activities: Vec<(String, String, String, String)>,
}

fn source() -> Source {
    let orgs: Vec<(String, String)> = (0..12)
        .map(|i| (format!("{}", 100 + i * 37), format!("Company {i}")))
        .collect();
    // Persons name their organization by id; two ids name organizations not exported.
    let persons: Vec<(String, String, String)> = (0..20)
        .map(|i| {
            let org = match i {
                7 => "9999".to_string(),
                13 => "8888".to_string(),
                _ => orgs[i % orgs.len()].0.clone(),
            };
            let name = if i == 3 {
                "Zoë Müller".to_string()
            } else {
                format!("Person {i}")
            };
            (format!("p{i:03}x7"), name, org)
        })
        .collect();
    // Deals name their person by name: one by a name no file describes, one by a damaged
    // spelling of an existing person.
    let deals: Vec<(String, String, String)> = (0..8)
        .map(|i| {
            let person = match i {
                5 => "Nobody Known".to_string(),
                6 => "ZoÃ« MÃ¼ller".to_string(),
                _ => persons[i].1.clone(),
            };
            (format!("d{i:03}x9"), format!("Deal {i}"), person)
        })
        .collect();
    // Activities name their parent by a type column and an id column.
    let activities: Vec<(String, String, String, String)> = (0..10)
        .map(|i| {
            let (kind, id) = match i % 3 {
                0 => ("Accounts", orgs[i].0.clone()),
                1 => ("Opportunities", deals[i % deals.len()].0.clone()),
                _ => ("Contacts", persons[i].0.clone()),
            };
            let id = if i == 9 { "p999x7".to_string() } else { id };
            (
                format!("a{i:03}"),
                format!("Call {i}"),
                kind.to_string(),
                id,
            )
        })
        .collect();
    Source {
        orgs,
        persons,
        deals,
        activities,
    }
}

fn write(dir: &Path, s: &Source) {
    let mut text = String::from("ID,Name\n");
    for (id, name) in &s.orgs {
        text += &format!("{id},{name}\n");
    }
    std::fs::write(dir.join("organizations.csv"), text).unwrap();
    let mut text = String::from("ID,Name,ID da organização\n");
    for (id, name, org) in &s.persons {
        text += &format!("{id},{name},{org}\n");
    }
    std::fs::write(dir.join("persons.csv"), text).unwrap();
    let mut text = String::from("ID,Deal title,Contact person\n");
    for (id, title, person) in &s.deals {
        text += &format!("{id},{title},{person}\n");
    }
    std::fs::write(dir.join("deals.csv"), text).unwrap();
    let mut text = String::from("ID,Subject,parent_type,parent_id\n");
    for (id, subject, kind, parent) in &s.activities {
        text += &format!("{id},{subject},{kind},{parent}\n");
    }
    std::fs::write(dir.join("activities.csv"), text).unwrap();
}

#[test]
fn links_by_value_and_by_type_are_exact_and_the_audit_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export");
    std::fs::create_dir(&input).unwrap();
    let s = source();
    write(&input, &s);
    let out = dir.path().join("out");
    apply_without_profile(&input, &out);
    let mapping = std::fs::read_to_string(out.join("mapping.yaml")).unwrap();
    assert!(
        mapping.contains("ID da organização: person.org_id"),
        "{mapping}"
    );
    assert!(mapping.contains("link_by: parent_type"), "{mapping}");

    // Recount from the inputs.
    let org_name: HashMap<&str, &str> = s
        .orgs
        .iter()
        .map(|(id, n)| (id.as_str(), n.as_str()))
        .collect();
    let person_ids: HashSet<&str> = s.persons.iter().map(|p| p.0.as_str()).collect();
    let deal_ids: HashSet<&str> = s.deals.iter().map(|d| d.0.as_str()).collect();
    let person_names: HashSet<&str> = s.persons.iter().map(|p| p.1.as_str()).collect();
    let persons_by_id = s
        .persons
        .iter()
        .filter(|p| org_name.contains_key(p.2.as_str()))
        .count();
    let persons_unresolved = s.persons.len() - persons_by_id;
    let activity_found = |kind: &str, id: &str| match kind {
        "Accounts" => org_name.contains_key(id),
        "Opportunities" => deal_ids.contains(id),
        _ => person_ids.contains(id),
    };
    let activities_by_id = s
        .activities
        .iter()
        .filter(|a| activity_found(&a.2, &a.3))
        .count();
    let activities_unresolved = s.activities.len() - activities_by_id;
    let deals_by_name = s.deals.len();
    let created: HashSet<&str> = s
        .deals
        .iter()
        .map(|d| d.2.as_str())
        .filter(|n| !person_names.contains(n))
        .collect();

    let summary = assert_reconciles(&out).summary;
    let links = &summary.links;
    assert_eq!(
        links.by_id,
        (persons_by_id + activities_by_id) as u64,
        "{links:?}"
    );
    assert_eq!(
        links.unresolved,
        (persons_unresolved + activities_unresolved) as u64,
        "{links:?}"
    );
    assert_eq!(summary.unresolved_links, links.unresolved);
    assert_eq!(links.by_name, deals_by_name as u64, "{links:?}");
    assert_eq!(links.created_for_links, created.len() as u64, "{links:?}");
    assert_eq!(links.suspect_created, 1, "{links:?}");
    assert!(
        links.examples.suspect_created[0].contains("Zoë Müller"),
        "{links:?}"
    );

    // Every link written is the one the source ids name; every other one is listed.
    let persons_out = rows(&out.join("02-persons.csv"));
    for (_, name, org) in &s.persons {
        let row = persons_out
            .iter()
            .find(|r| r["Person - Name"] == *name)
            .unwrap_or_else(|| panic!("{name} written"));
        match org_name.get(org.as_str()) {
            Some(o) => assert_eq!(row["Organization - Name"], *o, "{name}"),
            None => {
                assert_eq!(
                    row["Organization - Name"], "",
                    "{name}: no invented company"
                );
                assert!(row["Note - Content"].contains(org.as_str()), "{name}");
            }
        }
    }
    let orgs_out = rows(&out.join("01-organizations.csv"));
    assert_eq!(
        orgs_out.len(),
        s.orgs.len(),
        "no organization is invented from an id"
    );
    let activities_out = rows(&out.join("05-activities.csv"));
    let deal_title: HashMap<&str, &str> = s
        .deals
        .iter()
        .map(|d| (d.0.as_str(), d.1.as_str()))
        .collect();
    let person_name: HashMap<&str, &str> = s
        .persons
        .iter()
        .map(|p| (p.0.as_str(), p.1.as_str()))
        .collect();
    for (_, subject, kind, id) in &s.activities {
        let row = activities_out
            .iter()
            .find(|r| r["Activity - Subject"] == *subject)
            .unwrap();
        let (column, want) = match kind.as_str() {
            "Accounts" => ("Organization - Name", org_name.get(id.as_str())),
            "Opportunities" => ("Deal - Title", deal_title.get(id.as_str())),
            _ => ("Person - Name", person_name.get(id.as_str())),
        };
        assert_eq!(row[column], want.copied().unwrap_or(""), "{subject}");
    }
    let warnings = std::fs::read_to_string(out.join("warnings.csv")).unwrap();
    assert!(
        warnings.contains("9999") && warnings.contains("p999x7"),
        "{warnings}"
    );
}

#[test]
fn ids_unique_across_files_link_to_whichever_file_holds_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("Account.csv"),
        "Id,Name\n001bm00001ZL8U9AAL,Acme\n001bm00001ZL8UAAA1,Beta\n",
    )
    .unwrap();
    std::fs::write(
        input.join("Contact.csv"),
        "Id,FirstName,LastName\n003bm00000AbCdEfGH,Ann,Lee\n003bm00000AbCdEfGI,Bob,Ray\n",
    )
    .unwrap();
    std::fs::write(
        input.join("Task.csv"),
        "Id,Subject,WhoOrWhat\n00Tbm0000000001AAA,Call,001bm00001ZL8U9AAL\n00Tbm0000000002AAA,Mail,003bm00000AbCdEfGI\n00Tbm0000000003AAA,Visit,001bm00001ZL8UAAA1\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    apply_without_profile(&input, &out);
    let tasks = rows(&out.join("05-activities.csv"));
    let of = |subject: &str| {
        tasks
            .iter()
            .find(|r| r["Activity - Subject"] == subject)
            .unwrap()
    };
    assert_eq!(of("Call")["Organization - Name"], "Acme");
    assert_eq!(of("Mail")["Person - Name"], "Bob Ray");
    assert_eq!(of("Visit")["Organization - Name"], "Beta");
    let links = assert_reconciles(&out).summary.links;
    assert_eq!(links.by_id, 3, "{links:?}");
}

#[test]
fn a_cell_naming_several_records_links_the_first_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("persons.csv"),
        "Name,Email\nAnn Lee,ann@example.com\nBob Ray,bob@example.com\n\"Oz, Cid\",cid@example.com\n",
    )
    .unwrap();
    std::fs::write(
        input.join("deals.csv"),
        "Deal title,Contact person\nBig deal,\"Ann Lee,Bob Ray\"\nSmall deal,\"\"\"Oz, Cid\"\",Ann Lee\"\nLone deal,Bob Ray\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    apply_without_profile(&input, &out);
    let deals = rows(&out.join("03-deals.csv"));
    let of = |title: &str| deals.iter().find(|r| r["Deal - Title"] == title).unwrap();
    assert_eq!(of("Big deal")["Person - Name"], "Ann Lee");
    assert!(of("Big deal")["Note - Content"].contains("Bob Ray"));
    assert_eq!(of("Small deal")["Person - Name"], "Oz, Cid");
    assert!(of("Small deal")["Note - Content"].contains("Ann Lee"));
    assert_eq!(of("Lone deal")["Person - Name"], "Bob Ray");
    // No person is made of a whole cell.
    let persons = rows(&out.join("02-persons.csv"));
    assert_eq!(persons.len(), 3, "{persons:?}");
    let warnings = std::fs::read_to_string(out.join("warnings.csv")).unwrap();
    assert_eq!(
        warnings
            .matches("the first is linked, the others are kept in the note")
            .count(),
        2,
        "{warnings}"
    );
}

/// Reads a CSV file of ../shared/real_exports as rows.
fn real(folder: &str, file: &str) -> Vec<HashMap<String, String>> {
    rows(&Path::new("../shared/real_exports").join(folder).join(file))
}

#[test]
fn every_link_of_the_real_salesforce_export_is_the_record_its_id_names() {
    let folder = "salesforce-devorg-earthfink";
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    apply_without_profile(&Path::new("../shared/real_exports").join(folder), &out);
    let account: HashMap<String, String> = real(folder, "Account.csv")
        .into_iter()
        .map(|r| (r["Id"].clone(), r["Name"].clone()))
        .collect();
    let mut checked = 0;
    let mut unresolved = 0;
    let persons = rows(&out.join("02-persons.csv"));
    for contact in real(folder, "Contact.csv") {
        let written = persons
            .iter()
            .find(|p| p["Person - Name"] == contact["Name"])
            .unwrap_or_else(|| panic!("{} written", contact["Name"]));
        match account.get(&contact["AccountId"]) {
            Some(name) => assert_eq!(&written["Organization - Name"], name, "{}", contact["Name"]),
            None if contact["AccountId"].is_empty() => {
                assert_eq!(written["Organization - Name"], "", "{}", contact["Name"])
            }
            None => {
                unresolved += 1;
                assert_eq!(written["Organization - Name"], "", "{}", contact["Name"]);
            }
        }
        checked += 1;
    }
    let deals = rows(&out.join("03-deals.csv"));
    for opportunity in real(folder, "Opportunity.csv") {
        let written = deals
            .iter()
            .find(|d| d["Deal - Title"] == opportunity["Name"])
            .unwrap_or_else(|| panic!("{} written", opportunity["Name"]));
        let want = account
            .get(&opportunity["AccountId"])
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            written["Organization - Name"], want,
            "{}",
            opportunity["Name"]
        );
        if !opportunity["AccountId"].is_empty() && want.is_empty() {
            unresolved += 1;
        }
        checked += 1;
    }
    assert!(checked > 60, "{checked} links checked");
    let links = assert_reconciles(&out).summary.links;
    assert_eq!(links.unresolved, unresolved, "{links:?}");
}

/// A Salesforce lead's `Company` holding its account's Id (as a workshop org's export does)
/// names that account: no organization is made with the Id for a name.
#[test]
fn a_record_named_by_its_id_where_a_name_goes_is_the_record_of_that_id() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(
        src.join("Account.csv"),
        "Id,Name,AccountNumber,BillingStreet,ShippingStreet\n\
         001Ec00000GINb1IAH,Lead Account,A-1,,\n\
         001Ec00000GINb2IAH,Other Account,A-2,,\n",
    )
    .unwrap();
    // Contacts link to their account by id, as every Salesforce export does.
    std::fs::write(
        src.join("Contact.csv"),
        "Id,LastName,FirstName,AccountId,MailingStreet,ReportsToId,AssistantName\n\
         003Ec00000AAaaaAAA,Lee,Ann,001Ec00000GINb2IAH,,,\n",
    )
    .unwrap();
    std::fs::write(
        src.join("Lead.csv"),
        "Id,LastName,FirstName,Company,IsConverted,ConvertedAccountId\n\
         00QEc00000BBaeXMAT,Lee,William,001Ec00000GINb1IAH,false,\n\
         00QEc00000BBaeYMAT,Ray,Bob,Globex,false,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = pipemap()
        .args(["apply"])
        .arg(&src)
        .args(["--profile", "salesforce", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let orgs = rows(&out.join("01-organizations.csv"));
    let names: Vec<&str> = orgs
        .iter()
        .map(|r| r["Organization - Name"].as_str())
        .collect();
    // A company the lead names by name is still made; none is made with the id for a name.
    assert_eq!(names, ["Lead Account", "Other Account", "Globex"]);
    let leads = rows(&out.join("04-leads.csv"));
    let org_of = |person: &str| {
        leads
            .iter()
            .find(|r| r["Person - Name"] == person)
            .map(|r| r["Organization - Name"].clone())
    };
    assert_eq!(org_of("William Lee").as_deref(), Some("Lead Account"));
    assert_eq!(org_of("Bob Ray").as_deref(), Some("Globex"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    // The contact's account, and the lead's.
    assert_eq!(summary["links"]["by_id"], 2, "{}", summary["links"]);
}
