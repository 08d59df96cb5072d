//! A CRM's users file as the owner value map: each user's id and full name → the user's
//! e-mail address (else the full name), so an `OwnerId` of `005…` or an `Account Owner Id`
//! becomes the owner Pipedrive's import links by. The user file is read, never exported.
//!
//! Columns are found by their names in the CRMs' user exports: Salesforce's User.csv (`Id`,
//! `FirstName`, `LastName`, `Name`, `Email`), Dynamics 365's users (`First Name`, `Last Name`,
//! `Primary Email`; `systemuserid`, `fullname`, `internalemailaddress` by Web API names),
//! Zoho's (`Record Id`, `Full Name`, `Email`), Keap's User table (`Id`, `FirstName`,
//! `LastName`, `Email`).

use indexmap::IndexMap;

use crate::entity::Target;
use crate::profile::Profile;
use crate::source::{SourceError, SourceRef, Table};

/// A users file made the owner value map.
#[derive(Debug, Clone, PartialEq)]
pub struct UsersUsed {
    /// The users file's name (for the warnings on owners it lacks).
    pub file: String,
    /// The line for the report that says what was mapped.
    pub note: String,
}

/// The owner value map from the first of these users files (left out of the export) that has
/// users: fills the profile's owner maps. Shared by `apply` and the mapping UI's export.
pub fn from_users_files(
    users: &[SourceRef],
    profile: &mut Profile,
) -> Result<Option<UsersUsed>, SourceError> {
    for source in users {
        let mut table = Table::open_ref(source)?;
        let Some(cols) = UserColumns::find(&table.headers) else {
            continue;
        };
        let file = source
            .name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&source.name)
            .to_string();
        let mut directory = UserDirectory::new(&file);
        while let Some(record) = table.next_record()? {
            let row: Vec<&str> = record.fields.iter().collect();
            directory.add(&cols, &row);
        }
        if directory.entries.is_empty() {
            continue;
        }
        let filled = directory.apply_to(profile);
        if filled.is_empty() {
            continue;
        }
        let names = directory.entries.len() - directory.ids;
        let targets: Vec<String> = filled.iter().map(|t| t.to_string()).collect();
        let what = match (directory.ids, names) {
            (0, n) => format!("{n} user names"),
            (i, 0) => format!("{i} ids"),
            (i, n) => format!("{i} ids (and {n} user names)"),
        };
        let note = format!(
            "Owners: {what} mapped through {file} to the users' e-mail addresses (else full names), in {}; owners it lacks are listed in warnings.csv",
            targets.join(", ")
        );
        return Ok(Some(UsersUsed { file, note }));
    }
    Ok(None)
}

/// Source user id or name → the Pipedrive owner (e-mail, else full name).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserDirectory {
    /// The users file it was read from.
    pub file: String,
    /// Key (id or full name, as written) → owner.
    pub entries: IndexMap<String, String>,
    /// How many users had an id.
    pub ids: usize,
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

const ID: &[&str] = &[
    "id",
    "userid",
    "systemuserid",
    "recordid",
    "ownerid",
    "donotmodifyuser",
];
const EMAIL: &[&str] = &[
    "email",
    "primaryemail",
    "emailaddress",
    "internalemailaddress",
    "useremail",
    "emailaddress1",
];
const FULL_NAME: &[&str] = &["name", "fullname", "username", "displayname"];
const FIRST: &[&str] = &["firstname", "givenname"];
const LAST: &[&str] = &["lastname", "surname", "familyname"];

/// The columns of a users file that make the directory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UserColumns {
    id: Option<usize>,
    email: Option<usize>,
    full: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
}

impl UserColumns {
    /// Finds the columns; None when the file has neither an id nor a name to key by, or
    /// nothing (e-mail or name) to map to.
    pub fn find(headers: &[String]) -> Option<UserColumns> {
        let find = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.contains(&squash(h).as_str()))
        };
        let mut cols = UserColumns {
            id: find(ID),
            email: find(EMAIL),
            full: find(FULL_NAME),
            first: find(FIRST),
            last: find(LAST),
        };
        // Salesforce's Username is a login that looks like an e-mail address; a real name
        // column is better, and an e-mail column better still.
        if cols.full.is_some_and(|i| squash(&headers[i]) == "username")
            && (cols.first.is_some() || cols.last.is_some())
        {
            cols.full = None;
        }
        let named = cols.full.is_some() || cols.first.is_some() || cols.last.is_some();
        // A name to key by and map to, or an id and an e-mail address.
        (named || (cols.id.is_some() && cols.email.is_some())).then_some(cols)
    }

    fn full_name(&self, row: &[&str]) -> String {
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map_or("", |s| s.trim());
        let full = cell(self.full);
        if !full.is_empty() {
            return full.to_string();
        }
        [cell(self.first), cell(self.last)]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl UserDirectory {
    /// An empty directory for the users file `file`.
    pub fn new(file: &str) -> UserDirectory {
        UserDirectory {
            file: file.to_string(),
            ..UserDirectory::default()
        }
    }

    /// Adds one user row: its id and its full name both map to its e-mail address (else to
    /// its full name). A key seen before keeps its first user.
    pub fn add(&mut self, cols: &UserColumns, row: &[&str]) {
        let email = cols.email.and_then(|i| row.get(i)).map_or("", |s| s.trim());
        let name = cols.full_name(row);
        let owner = if email.contains('@') {
            email.to_string()
        } else {
            name.clone()
        };
        if owner.is_empty() {
            return;
        }
        if let Some(id) = cols.id.and_then(|i| row.get(i)).map(|s| s.trim())
            && !id.is_empty()
            && !self.entries.contains_key(id)
        {
            self.entries.insert(id.to_string(), owner.clone());
            self.ids += 1;
        }
        if !name.is_empty() && name != owner {
            self.entries.entry(name).or_insert(owner);
        }
    }

    /// Puts the directory into the profile's value map of every owner field a column of the
    /// profile fills (`person.owner_id`, `activity.owner_id` …); a value the profile maps
    /// already keeps the profile's choice. Returns the targets it filled.
    pub fn apply_to(&self, profile: &mut Profile) -> Vec<Target> {
        let mut targets: Vec<Target> = Vec::new();
        for file in &profile.files {
            for spec in file.columns.values() {
                if let Some(t @ Target::Field { key, .. }) = spec.target()
                    && (key == "owner_id" || key == "user_id")
                    && !targets.contains(&t.without_label())
                {
                    targets.push(t.without_label());
                }
            }
        }
        for target in &targets {
            let map = profile.values.entry(target.clone()).or_default();
            for (key, owner) in &self.entries {
                map.entry(key.clone()).or_insert_with(|| owner.clone());
            }
        }
        targets
    }

    /// The owner of a source value, if the directory knows it.
    pub fn get(&self, value: &str) -> Option<&str> {
        self.entries.get(value.trim()).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ids_and_names_map_to_e_mail_addresses() {
        let headers = strings(&["Id", "Username", "FirstName", "LastName", "Email"]);
        let cols = UserColumns::find(&headers).expect("a users file");
        let mut dir = UserDirectory::new("User.csv");
        dir.add(
            &cols,
            &[
                "005000000000001AAA",
                "sam@login.example",
                "Sam",
                "Sample",
                "sam@example.com",
            ],
        );
        dir.add(&cols, &["005000000000002AAA", "", "Kim", "Demo", ""]);
        assert_eq!(dir.get("005000000000001AAA"), Some("sam@example.com"));
        assert_eq!(dir.get("Sam Sample"), Some("sam@example.com"));
        // No e-mail: the full name is the owner Pipedrive matches.
        assert_eq!(dir.get("005000000000002AAA"), Some("Kim Demo"));
        assert_eq!(dir.ids, 2);
        assert_eq!(dir.get("005000000000009AAA"), None);
    }

    #[test]
    fn a_file_without_ids_or_names_is_no_directory() {
        assert!(UserColumns::find(&strings(&["Territory", "Region"])).is_none());
        let dynamics = strings(&["First Name", "Last Name", "Primary Email", "Title"]);
        assert!(UserColumns::find(&dynamics).is_some());
    }

    #[test]
    fn the_directory_fills_every_owner_field_the_profile_maps_and_keeps_its_choices() {
        let yaml = "version: 1\nname: t\nfiles:\n  - match: {headers_include: [OwnerId, Name]}\n    entity: organization\n    columns: {Name: organization.name, OwnerId: organization.owner_id}\n  - match: {headers_include: [OwnerId, Subject]}\n    entity: activity\n    columns: {Subject: activity.subject, OwnerId: activity.owner_id}\nvalues:\n  organization.owner_id: {\"0051\": boss@example.com}\n";
        let mut profile = crate::profile::from_yaml("t", yaml).unwrap();
        let mut dir = UserDirectory::new("User.csv");
        dir.entries.insert("0051".into(), "sam@example.com".into());
        dir.entries.insert("0052".into(), "kim@example.com".into());
        let filled = dir.apply_to(&mut profile);
        assert_eq!(filled.len(), 2);
        let org: Target = "organization.owner_id".parse().unwrap();
        let act: Target = "activity.owner_id".parse().unwrap();
        assert_eq!(profile.values[&org]["0051"], "boss@example.com");
        assert_eq!(profile.values[&org]["0052"], "kim@example.com");
        assert_eq!(profile.values[&act]["0051"], "sam@example.com");
    }
}
