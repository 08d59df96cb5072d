//! Files of an export that are not records to import: a CRM's users, stage or field history,
//! audit logs, territories, campaigns, tag lists and join tables. Turned into records they make
//! persons of the CRM's own staff, deals of every stage change, organizations of regions. A run
//! without a profile leaves them out and says why; `--entity` (or a profile) includes them.
//!
//! Told by the file's name — the object the CRM exported (`User.csv`, `OpportunityHistory.csv`,
//! `Territory.csv`, Salesforce's and Dynamics 365's object names, HubSpot's and Zoho's module
//! names) — and by its shape (a history's old/new values; a join table's ids and nothing else).

/// Why a file is not a record file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRecords {
    /// What the file is: "the CRM's users", "a history of changes" …
    pub kind: &'static str,
}

impl NotRecords {
    /// True for a CRM's users file, which becomes the owner value map.
    pub fn is_users(&self) -> bool {
        self.kind == USERS
    }

    /// True for a tag list or a join table, which together give records their labels.
    pub fn is_tags_or_links(&self) -> bool {
        self.kind == TAG_LIST || self.kind == JOIN_TABLE
    }
}

/// What a tags file is.
pub const TAG_LIST: &str = "a tag list";
/// What a link table is.
pub const JOIN_TABLE: &str = "a join table (ids of two kinds of records)";

/// What a users file is.
pub const USERS: &str = "the CRM's users (owners, not contacts)";

/// Object names (file stems, lower case, without separators) by what they hold.
const KINDS: &[(&str, &[&str])] = &[
    (
        USERS,
        &[
            "user",
            "users",
            "systemuser",
            "systemusers",
            "owner",
            "owners",
            "employee",
            "employees",
        ],
    ),
    (
        "territories (sales regions)",
        &[
            "territory",
            "territories",
            "salesterritory",
            "userterritory",
        ],
    ),
    (
        "campaigns",
        &[
            "campaign",
            "campaigns",
            "campaignmember",
            "campaignmembers",
            "campaignresponse",
        ],
    ),
    (
        TAG_LIST,
        // Keap's ContactGroup is its tag table.
        &[
            "tag",
            "tags",
            "label",
            "labels",
            "topic",
            "topics",
            "contactgroup",
        ],
    ),
    (
        JOIN_TABLE,
        // Tag link tables by name: Keap's ContactGroupAssign carries the contact's columns too.
        &[
            "contactgroupassign",
            "contacttag",
            "contacttags",
            "dealtag",
            "dealtags",
            "tagging",
            "taggings",
            "topicassignment",
        ],
    ),
    (
        "roles, profiles or teams of the CRM's users",
        &[
            "role", "roles", "userrole", "profile", "profiles", "team", "teams", "group", "groups",
            "queue", "queues",
        ],
    ),
    (
        "price books",
        &[
            "pricebook",
            "pricebooks",
            "pricebook2",
            "pricebookentry",
            "pricelist",
            "pricelists",
        ],
    ),
];

/// Words a stem ends with when it records changes, not things (`OpportunityHistory`,
/// `AccountFeed`, `lead_audit`).
const HISTORY_ENDINGS: &[&str] = &[
    "history",
    "histories",
    "audit",
    "auditlog",
    "changelog",
    "feed",
];
/// Stems that are a log on their own (`log.csv`), though other words may end with them
/// (`catalog`).
const HISTORY_STEMS: &[&str] = &["log", "logs", "changes", "auditlogs"];

/// Header words of a change record.
const CHANGE_HEADERS: &[&str] = &[
    "oldvalue",
    "newvalue",
    "old value",
    "new value",
    "changedfield",
];

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The object a source is named after: `export.zip/OpportunityHistory.csv` → `opportunityhistory`.
fn stem(name: &str) -> String {
    let last = name.rsplit(['/', '\\', '#']).next().unwrap_or(name);
    let base = last.split('.').next().unwrap_or(last);
    squash(base)
}

/// What a file is, when it is not records to import.
pub fn not_records(name: &str, headers: &[String]) -> Option<NotRecords> {
    let stem = stem(name);
    for (kind, stems) in KINDS {
        if stems.contains(&stem.as_str()) {
            return Some(NotRecords { kind });
        }
    }
    let lower: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    if HISTORY_ENDINGS.iter().any(|e| stem.ends_with(e))
        || HISTORY_STEMS.contains(&stem.as_str())
        || lower.iter().any(|h| {
            CHANGE_HEADERS.contains(&squash(h).as_str()) || CHANGE_HEADERS.contains(&h.as_str())
        })
    {
        return Some(NotRecords {
            kind: "a history of changes (each row a change, not a record)",
        });
    }
    // Two or three columns, all of them ids: a table that joins records of two kinds.
    let ids = lower
        .iter()
        .filter(|h| {
            let s = squash(h);
            s == "id" || s.ends_with("id") || s.ends_with("key")
        })
        .count();
    if (2..=3).contains(&headers.len()) && ids == headers.len() {
        return Some(NotRecords { kind: JOIN_TABLE });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn users_history_territories_campaigns_and_join_tables_are_not_records() {
        let some = headers(&["Name", "Email"]);
        for name in [
            "export/User.csv",
            "Territory.csv",
            "crm.zip/Campaign.csv",
            "OpportunityHistory.csv",
            "Lead_Field_History.csv",
            "tags.csv",
        ] {
            assert!(not_records(name, &some).is_some(), "{name}");
        }
        assert!(
            not_records(
                "changes2024.csv",
                &headers(&["Record", "Field", "OldValue", "NewValue"])
            )
            .is_some()
        );
        assert!(not_records("links.csv", &headers(&["ContactId", "AccountId"])).is_some());
    }

    #[test]
    fn record_files_are_records() {
        for (name, h) in [
            (
                "Contact.csv",
                headers(&["Id", "FirstName", "LastName", "AccountId"]),
            ),
            ("Account.csv", headers(&["Id", "Name"])),
            ("Opportunity.csv", headers(&["Id", "Name", "StageName"])),
            (
                "contacts.csv",
                headers(&["first_name", "last_name", "email"]),
            ),
            ("Appointments.csv", headers(&["Subject", "Start Time"])),
            ("Catalog.csv", headers(&["Name", "Price"])),
        ] {
            assert_eq!(not_records(name, &h), None, "{name}");
        }
    }
}
