//! Several link tables in one export: tags on contacts and tags on deals, each given to the
//! records of its own entity.

use crate::common;
use crate::preset_crms::apply_without_profile;

const TAGS: &str = "id,tag,tagType,description,cdate\n1,vip,contact,,2024-01-01\n2,newsletter,contact,,2024-01-01\n4,hot,deal,,2024-01-01\n5,renewal,deal,,2024-01-01\n";
const CONTACT_TAGS: &str = "id,contact,tag,cdate\n1,11,1,2024-01-02\n2,11,2,2024-01-02\n";
const DEAL_TAGS: &str =
    "id,deal,tag,cdate\n1,31,4,2024-01-02\n2,31,5,2024-01-02\n3,32,5,2024-01-02\n";

/// ActiveCampaign's contactTags and dealTags beside one tags file: the contacts get their
/// tags, the deals theirs, never each other's; report.md names both link tables.
#[test]
fn tags_on_contacts_and_on_deals_go_to_their_own_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, stderr) = apply_without_profile(
        dir.path(),
        "activecampaign",
        &["contacts.csv", "accounts.csv", "deals.csv"],
        &[
            ("tags.csv", TAGS),
            ("contactTags.csv", CONTACT_TAGS),
            ("dealTags.csv", DEAL_TAGS),
        ],
    );
    let ada = common::row_where(&out.join("02-persons.csv"), "Person - Name", "Ada Example");
    assert_eq!(ada["Person - Label"], "newsletter, vip");
    let deals = common::rows(&out.join("03-deals.csv"));
    let label = |title: &str| {
        deals
            .iter()
            .find(|r| r["Deal - Title"] == title)
            .map(|r| r["Deal - Label"].clone())
            .unwrap_or_else(|| panic!("no deal {title}: {deals:?}"))
    };
    assert_eq!(label("Grinder upgrade"), "hot, renewal");
    assert_eq!(label("Espresso service"), "renewal");
    assert_eq!(label("Beans subscription"), "");
    let report = std::fs::read_to_string(out.join("report.md")).expect("report");
    for line in [
        "given to 1 persons through contactTags.csv (2 links, by the records' ids), in person.label",
        "given to 2 deals through dealTags.csv (3 links, by the records' ids), in deal.label",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }
    // The link tables and the tags file are used, not exported as records.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("json");
    let inputs = summary["files"].to_string();
    assert!(inputs.contains("deals.csv"), "{inputs}");
    for file in ["tags.csv", "contactTags", "dealTags"] {
        assert!(!inputs.contains(file), "{file}: {inputs}");
    }
}
