//! The presets for Capsule, Insightly, Nutshell, Freshsales, ActiveCampaign and Highrise: each
//! recognises the files of its CRM's documented export (tests/data/presets/<id>/: the
//! documented header lists with made-up rows) and claims no file of another CRM's sample
//! export; a report export with a subset of the columns is still recognised; `apply` without a
//! profile picks the preset and writes won and lost deals, money and dates as the CRM wrote them.

use crate::common;

use std::path::{Path, PathBuf};

use pipemap::profile::library::PRESETS;
use pipemap::profile::{Profile, from_yaml};
use pipemap::source::Table;

const NEW: [&str; 6] = [
    "capsule",
    "insightly",
    "nutshell",
    "freshsales",
    "activecampaign",
    "highrise",
];

pub(crate) fn presets() -> Vec<(String, Profile)> {
    PRESETS
        .iter()
        .map(|(n, t)| (n.to_string(), from_yaml(n, t).expect("preset parses")))
        .collect()
}

fn samples(preset: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/presets")
        .join(preset);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("csv"))
        .collect();
    files.sort();
    files
}

fn headers(path: &Path) -> Vec<String> {
    Table::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .headers
}

pub(crate) fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub(crate) fn preset<'a>(all: &'a [(String, Profile)], name: &str) -> &'a Profile {
    &all.iter()
        .find(|(n, _)| n == name)
        .expect("a bundled preset")
        .1
}

/// Every sample file of each new preset is recognised by it, the folder as a whole picks it
/// (as `apply` without a profile does), and no other new preset claims any of its files.
#[test]
fn each_preset_recognises_its_crms_files_and_no_other_new_preset_does() {
    let all = presets();
    for name in NEW {
        let files = samples(name);
        assert!(files.len() >= 2, "{name}: sample export");
        let mut folder = Vec::new();
        for file in &files {
            let h = headers(file);
            assert!(
                preset(&all, name).match_file(&h).is_some(),
                "{name} does not recognise {}",
                file.display()
            );
            for other in NEW.iter().filter(|o| **o != name) {
                assert_eq!(
                    preset(&all, other).match_file(&h),
                    None,
                    "{other} claims {}",
                    file.display()
                );
            }
            // A file given alone goes to its own CRM's preset too, even where an older
            // preset of another CRM also recognises it by a few shared column names.
            let alone = pipemap::suggest::auto_profile::recognising(&all, std::slice::from_ref(&h))
                .map(|(n, _)| n.as_str());
            assert_eq!(alone, Some(name), "{} given alone", file.display());
            folder.push(h);
        }
        let picked =
            pipemap::suggest::auto_profile::recognising(&all, &folder).map(|(n, _)| n.as_str());
        assert_eq!(picked, Some(name), "the {name} folder");
    }
}

/// A new preset claims no file of another CRM: every other preset's sample export (Salesforce,
/// HubSpot, Zoho, Copper, Close, Pipedrive, SugarCRM, Dynamics 365, Keap) and the real exports.
#[test]
fn no_new_preset_claims_a_file_of_another_crm() {
    let all = presets();
    let mut others: Vec<PathBuf> = all
        .iter()
        .filter(|(n, _)| !NEW.contains(&n.as_str()) && n != "zendesk-sell")
        .flat_map(|(n, _)| samples(n))
        .collect();
    others.extend(
        std::fs::read_dir(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/zendesk-sell"),
        )
        .expect("the bundled sample")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("csv")),
    );
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real_exports");
    if let Ok(dirs) = std::fs::read_dir(&real) {
        for dir in dirs.flatten().filter(|d| d.path().is_dir()) {
            for f in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if f.path().extension().and_then(|e| e.to_str()) == Some("csv") {
                    others.push(f.path());
                }
            }
        }
    }
    assert!(others.len() > 40, "{} files of other CRMs", others.len());
    for file in &others {
        let h = headers(file);
        for name in NEW {
            assert_eq!(
                preset(&all, name).match_file(&h),
                None,
                "{name} claims {}",
                file.display()
            );
        }
    }
}

/// A report export holds the columns the user chose, often without the preset's marker
/// columns: it is recognised by how much of it the preset explains, as the right file.
#[test]
fn report_exports_with_a_subset_of_the_columns_are_recognised() {
    let all = presets();
    let cases: [(&str, &[&str], &str); 11] = [
        (
            "insightly",
            &[
                "Opportunity Name",
                "Probability Of Winning",
                "Forecast Close Date",
                "Current State",
                "Pipeline Stage",
            ],
            "deal",
        ),
        (
            "activecampaign",
            &[
                "Deal Title",
                "Deal Status",
                "Deal Owner",
                "Stage",
                "Account",
            ],
            "deal",
        ),
        (
            "nutshell",
            &["name", "status", "value.amount", "dueTime", "assignee"],
            "deal",
        ),
        (
            "highrise",
            &["name", "price", "currency", "status", "party-id"],
            "deal",
        ),
        (
            "insightly",
            &[
                "OPPORTUNITY_NAME",
                "OPPORTUNITY_VALUE",
                "BID_CURRENCY",
                "OPPORTUNITY_STATE",
                "FORECAST_CLOSE_DATE",
            ],
            "deal",
        ),
        (
            "freshsales",
            &[
                "Deal Name",
                "Deal Value",
                "Expected close date",
                "Owner",
                "Account",
            ],
            "deal",
        ),
        (
            "freshsales",
            &["first_name", "last_name", "email", "mobile_number", "city"],
            "person",
        ),
        (
            "activecampaign",
            &["title", "value", "status", "contact", "owner"],
            "deal",
        ),
        (
            "capsule",
            &["name", "value", "currency", "milestone", "closedOn"],
            "deal",
        ),
        (
            "nutshell",
            &["Company name", "URL", "Industry", "Owner", "City", "Zip"],
            "organization",
        ),
        (
            "nutshell",
            &["First Name", "Last Name", "Job Title", "Audience", "Email"],
            "person",
        ),
    ];
    for (name, columns, entity) in cases {
        let p = preset(&all, name);
        let (i, share) = p
            .match_file(&strings(columns))
            .unwrap_or_else(|| panic!("{name} does not recognise {columns:?}"));
        assert_eq!(p.files[i].entity.as_str(), entity, "{name}: {columns:?}");
        assert!(share >= 0.6, "{name}: {columns:?} explained {share}");
        assert!(
            p.files[i]
                .matcher
                .headers_include
                .iter()
                .any(|m| !columns.iter().any(|c| c.eq_ignore_ascii_case(m))),
            "{name}: {columns:?} holds every marker; it tests nothing partial"
        );
    }
}

/// Copies some of a preset's sample files into a fresh folder and runs `apply` on it without a
/// profile; returns the output folder and stderr.
pub(crate) fn apply_without_profile(
    dir: &Path,
    preset: &str,
    files: &[&str],
    extra: &[(&str, &str)],
) -> (PathBuf, String) {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("src");
    let data = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/presets")
        .join(preset);
    for f in files {
        std::fs::copy(data.join(f), src.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    for (f, text) in extra {
        std::fs::write(src.join(f), text).expect("write");
    }
    let out = dir.join("out");
    let run = common::pipemap()
        .arg("apply")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert_eq!(run.status.code(), Some(0), "{preset}: {stderr}");
    assert!(
        stderr.contains(&format!("using the profile \"{preset}\"")),
        "{preset}: {stderr}"
    );
    common::assert_reconciles(&out);
    (out, stderr)
}

/// The deal row whose title is `title`.
fn deal(out: &Path, title: &str) -> std::collections::HashMap<String, String> {
    common::rows(&out.join("03-deals.csv"))
        .into_iter()
        .find(|r| r["Deal - Title"] == title)
        .unwrap_or_else(|| panic!("no deal {title}"))
}

/// Won and lost deals come out won and lost (by a status column, a state, or a stage named
/// Won / Lost), an open one open, and amounts and dates are written as the CRM wrote them.
#[test]
fn apply_without_a_profile_writes_won_and_lost_deals_money_and_dates_as_written() {
    let cases: [(&str, &[&str], &str, &str, &str); 8] = [
        (
            "insightly",
            &[
                "Contacts export.csv",
                "Organizations export.csv",
                "Opportunities export.csv",
            ],
            "1250.75",
            "USD",
            "2024-04-30",
        ),
        (
            "activecampaign",
            &["Contacts export.csv", "Deals export.csv"],
            "1250.75",
            "USD",
            "",
        ),
        (
            "nutshell",
            &["companies.csv", "people.csv", "leads.csv"],
            "1250.75",
            "USD",
            "2024-04-30",
        ),
        // preset, files, won deal's value, its currency, its expected close date column value
        (
            "highrise",
            &["people.csv", "companies.csv", "deals.csv"],
            "1250",
            "USD",
            "",
        ),
        (
            "insightly",
            &["Contacts.csv", "Organisations.csv", "Opportunities.csv"],
            "1250.75",
            "USD",
            "2024-04-30",
        ),
        (
            "freshsales",
            &[
                "Contacts view export.csv",
                "Accounts view export.csv",
                "Deals view export.csv",
            ],
            "1250.75",
            "",
            "2024-04-30",
        ),
        (
            "activecampaign",
            &["contacts.csv", "accounts.csv", "deals.csv"],
            "",
            "USD",
            "",
        ),
        (
            "capsule",
            &["parties.csv", "opportunities.csv", "tasks.csv"],
            "1250.75",
            "USD",
            "2024-04-30",
        ),
    ];
    for (name, files, value, currency, close) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let (out, _) = apply_without_profile(dir.path(), name, files, &[]);
        let won = deal(&out, "Grinder upgrade");
        let lost = deal(&out, "Espresso service");
        let open = deal(&out, "Beans subscription");
        assert_eq!(won["Deal - Status"], "won", "{name}: {won:?}");
        assert_eq!(lost["Deal - Status"], "lost", "{name}: {lost:?}");
        assert!(
            open["Deal - Status"].is_empty() || open["Deal - Status"] == "open",
            "{name}: {open:?}"
        );
        assert_eq!(
            won.get("Deal - Value").map_or("", |v| v.as_str()),
            value,
            "{name}"
        );
        if !currency.is_empty() {
            assert_eq!(won["Deal - Currency"], currency, "{name}");
        }
        if !close.is_empty() {
            assert_eq!(won["Deal - Expected close date"], close, "{name}");
        }
    }
}

/// Amounts a CRM writes in cents (ActiveCampaign's deal value) are kept as written, never
/// divided; Highrise's bid type and duration and its status change date are kept beside.
#[test]
fn money_the_crm_writes_otherwise_is_kept_as_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, _) = apply_without_profile(
        dir.path(),
        "activecampaign",
        &[
            "contacts.csv",
            "accounts.csv",
            "deals.csv",
            "dealTasks.csv",
            "notes.csv",
        ],
        &[],
    );
    let won = deal(&out, "Grinder upgrade");
    assert_eq!(won["Deal - Value (cents)"], "125075");
    assert_eq!(won["Person - Name"], "Ada Example");
    assert_eq!(won["Organization - Name"], "Example Roasters");
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, _) = apply_without_profile(
        dir.path(),
        "highrise",
        &[
            "people.csv",
            "companies.csv",
            "deals.csv",
            "tasks.csv",
            "notes.csv",
        ],
        &[],
    );
    let service = deal(&out, "Espresso service");
    assert_eq!(service["Deal - Value"], "300");
    assert_eq!(service["Deal - Price type"], "month");
    assert_eq!(service["Deal - Duration"], "12");
    assert_eq!(service["Deal - Status changed on"], "2024-05-20");
    // party-id 8002 is a company: the deal links to the organization.
    assert_eq!(service["Organization - Name"], "Demo Beans");
    let call = common::row_where(
        &out.join("05-activities.csv"),
        "Activity - Subject",
        "Call Ada about the grinder",
    );
    assert_eq!(call["Activity - Done"], "1");
    assert_eq!(call["Person - Name"], "Ada Example");
}

/// Nutshell's companies and people: address parts, several tags split into labels.
#[test]
fn nutshell_companies_and_people_apply_without_a_profile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, _) = apply_without_profile(
        dir.path(),
        "nutshell",
        &["companies.csv", "people.csv"],
        &[],
    );
    let roasters = common::row_where(
        &out.join("01-organizations.csv"),
        "Organization - Name",
        "Example Roasters",
    );
    assert_eq!(roasters["Organization - Label"], "coffee, key account");
    assert!(
        roasters.values().any(|v| v == "Springfield"),
        "{roasters:?}"
    );
    let ada = common::row_where(&out.join("02-persons.csv"), "Person - Name", "Ada Example");
    assert_eq!(ada["Person - Label"], "vip");
    assert_eq!(ada["Person - Phone - Mobile"], "555-0101".replace('-', ""));
}

const AC_TAGS: &str = "id,tag,tagType,description,cdate\n1,vip,contact,,2024-01-01\n2,newsletter,contact,,2024-01-01\n3,coffee,contact,,2024-01-01\n";
const AC_CONTACT_TAGS: &str = "id,contact,tag,cdate\n1,11,1,2024-01-02\n2,11,2,2024-01-02\n3,12,3,2024-01-02\n4,12,9,2024-01-02\n";

/// ActiveCampaign's tags (id, tag) and contactTags (contact, tag) become the contacts' labels;
/// both files are used, not exported, and report.md says so; a tag id with no name is kept.
#[test]
fn a_tags_file_and_its_link_table_become_the_records_labels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, stderr) = apply_without_profile(
        dir.path(),
        "activecampaign",
        &["contacts.csv", "accounts.csv", "deals.csv"],
        &[("tags.csv", AC_TAGS), ("contactTags.csv", AC_CONTACT_TAGS)],
    );
    let people = common::rows(&out.join("02-persons.csv"));
    let label = |name: &str| {
        people
            .iter()
            .find(|r| r["Person - Name"] == name)
            .map(|r| r["Person - Label"].clone())
            .expect("the person")
    };
    assert_eq!(label("Ada Example"), "newsletter, vip");
    assert_eq!(label("Bo Sample"), "9, coffee");
    let report = std::fs::read_to_string(out.join("report.md")).expect("report");
    assert!(
        report.contains("Labels: the tags of tags.csv given to 2 persons through contactTags.csv (4 links, by the records' ids), in person.label; tags.csv and contactTags.csv were used, not exported; tag ids tags.csv has no name for are kept as written: 9"),
        "{report}"
    );
    assert!(
        stderr.contains("tags.csv and contactTags.csv were used"),
        "{stderr}"
    );
    let summary = common::read_summary(&out).summary;
    let inputs: Vec<&str> = summary.files.iter().map(|f| f.file.as_str()).collect();
    let inputs = inputs.join("\n");
    assert!(
        !inputs.contains("tags.csv") && !inputs.contains("contactTags"),
        "{inputs}"
    );
    // Without the tags file the link table gives nothing, and no label column appears.
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, _) = apply_without_profile(
        dir.path(),
        "activecampaign",
        &["contacts.csv", "accounts.csv"],
        &[("contactTags.csv", AC_CONTACT_TAGS)],
    );
    let header = std::fs::read_to_string(out.join("02-persons.csv")).unwrap();
    assert!(
        !header.lines().next().unwrap().contains("Label"),
        "{header}"
    );
}

/// Keap's documented tag tables: ContactGroup (Id, GroupName) and ContactGroupAssign
/// (ContactGroup, ContactId, DateCreated, GroupId) give the contacts their tags as labels,
/// beside the label the contact's own ContactType gives.
#[test]
fn keap_contact_groups_become_the_contacts_labels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, _) = apply_without_profile(
        dir.path(),
        "keap",
        &[
            "Contact.csv",
            "Company.csv",
            "Lead.csv",
            "ContactAction.csv",
        ],
        &[
            (
                "ContactGroup.csv",
                "Id,GroupName,GroupCategoryId,GroupDescription\n91,Espresso buyers,1,\n92,Newsletter,1,\n",
            ),
            (
                "ContactGroupAssign.csv",
                "ContactGroup,ContactId,DateCreated,GroupId\nEspresso buyers,101,2024-03-01,91\nNewsletter,101,2024-03-01,92\n",
            ),
        ],
    );
    let ada = common::row_where(&out.join("02-persons.csv"), "Person - Name", "Ada Example");
    assert_eq!(
        ada["Person - Label"],
        "Customer, Espresso buyers, Newsletter"
    );
}
