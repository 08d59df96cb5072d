//! Forms of a CRM's export beyond one file per entity: Capsule's parties (people and
//! organisations in one file, told apart by their type), Nutshell's leads (its deals).

use crate::common;
use crate::preset_crms::apply_without_profile;

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
    assert_eq!(names, ["Ada Example", "Bo Sample", "Cy Other"], "{people:?}");
    let org_of = |name: &str| {
        people
            .iter()
            .find(|r| r["Person - Name"] == name)
            .map(|r| r["Organization - Name"].clone())
    };
    assert_eq!(org_of("Ada Example").as_deref(), Some("Example Roasters Ltd"));
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
    let deals = common::rows(&out.join("03-deals.csv"));
    let espresso = deals
        .iter()
        .find(|r| r["Deal - Title"] == "Espresso service")
        .expect("the deal");
    assert_eq!(espresso["Organization - Name"], "Sample Cafe", "{espresso:?}");
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(
        report.contains("Rows whose `type` names the kind organization become organization (2 rows)"),
        "{report}"
    );
}
