//! One file, two entities: which rows of a file become the other entity.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::ColumnSpec;
use crate::entity::Entity;

/// One file, two entities: rows that `column` picks (see [`SplitBy`]) become `then`, the
/// others stay the file's entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    pub column: String,
    /// The entity the picked rows become. Written `"true"` because the first splits were yes/no
    /// columns (`split: {column: Is organization, "true": organization}`).
    #[serde(rename = "true")]
    pub then: Entity,
    /// How the column picks the rows.
    #[serde(default, skip_serializing_if = "SplitBy::is_yes_no")]
    pub by: SplitBy,
    /// Where columns go on those rows; a column not listed keeps its target when the other
    /// entity has the same field, and is carried into a note otherwise.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub columns: IndexMap<String, ColumnSpec>,
}

/// How a split's column picks the rows that become the other entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitBy {
    /// A yes/no column (Sell's `Is organization`): rows holding a true value.
    #[default]
    YesNo,
    /// A column naming each row's kind (Capsule's parties: `type` is `person` or
    /// `organisation`): rows whose value names the split's entity ([`named_kind`]).
    Kind,
}

impl SplitBy {
    fn is_yes_no(&self) -> bool {
        *self == SplitBy::YesNo
    }

    /// True when a row whose split column holds `value` becomes `then`.
    pub fn takes(self, value: &str, then: Entity) -> bool {
        match self {
            SplitBy::YesNo => is_true(value),
            SplitBy::Kind => named_kind(value) == Some(then),
        }
    }
}

impl Split {
    /// True when a row whose split column holds `value` becomes [`Split::then`].
    pub fn takes(&self, value: &str) -> bool {
        self.by.takes(value, self.then)
    }

    /// One side of this split, its column found at `column`.
    pub fn side(&self, column: usize, taken: bool) -> SplitSide {
        SplitSide {
            column,
            by: self.by,
            then: self.then,
            taken,
        }
    }
}

/// One side of a split, to read only that side's rows (duplicate search per entity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitSide {
    /// The split column's index in the file.
    pub column: usize,
    pub by: SplitBy,
    pub then: Entity,
    /// True for the rows that become `then`, false for the rest.
    pub taken: bool,
}

impl SplitSide {
    /// True when a row whose split column holds `value` is on this side.
    pub fn keeps(&self, value: &str) -> bool {
        self.by.takes(value, self.then) == self.taken
    }
}

/// The values a yes/no split column treats as true.
pub fn is_true(value: &str) -> bool {
    // Compared without a lowercase copy: no non-ASCII letter lowercases to one of these words.
    let value = value.trim();
    ["true", "yes", "1", "y", "x", "t"]
        .iter()
        .any(|w| value.eq_ignore_ascii_case(w))
}

/// The entity a kind column's value names, compared without regard to case: `person`,
/// `individual`, `people` name a person; `organisation`, `organization`, `company`, `account`,
/// `business` (and their plurals) an organization. Other values name none.
pub fn named_kind(value: &str) -> Option<Entity> {
    const PERSON: [&str; 5] = ["person", "persons", "people", "individual", "individuals"];
    const ORGANIZATION: [&str; 10] = [
        "organisation",
        "organisations",
        "organization",
        "organizations",
        "company",
        "companies",
        "account",
        "accounts",
        "business",
        "businesses",
    ];
    let value = value.trim();
    let is = |words: &[&str]| words.iter().any(|w| value.eq_ignore_ascii_case(w));
    if is(&PERSON) {
        Some(Entity::Person)
    } else if is(&ORGANIZATION) {
        Some(Entity::Organization)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_column_takes_the_rows_that_name_the_split_entity_in_any_case() {
        for v in ["organisation", "Organization", " COMPANY ", "Account"] {
            assert!(SplitBy::Kind.takes(v, Entity::Organization), "{v}");
            assert!(!SplitBy::Kind.takes(v, Entity::Person), "{v}");
        }
        for v in ["person", "Individual", "PEOPLE"] {
            assert!(SplitBy::Kind.takes(v, Entity::Person), "{v}");
            assert!(!SplitBy::Kind.takes(v, Entity::Organization), "{v}");
        }
        for v in ["", "true", "lead", "org chart"] {
            assert!(!SplitBy::Kind.takes(v, Entity::Organization), "{v}");
            assert_eq!(named_kind(v), None, "{v}");
        }
        // A yes/no split is unchanged: "organisation" is no true value.
        assert!(SplitBy::YesNo.takes("Yes", Entity::Organization));
        assert!(!SplitBy::YesNo.takes("organisation", Entity::Organization));
    }

    #[test]
    fn a_kind_split_reads_and_writes_by_kind_and_a_yes_no_split_stays_as_written() {
        let yaml = "version: 1\nname: t\nfiles:\n  - match: {headers_include: [type]}\n    entity: person\n    split: {column: type, \"true\": organization, by: kind}\n    columns: {type: skip}\n";
        let p = crate::profile::from_yaml("t", yaml).unwrap();
        let split = p.files[0].split.as_ref().unwrap();
        assert_eq!(split.by, SplitBy::Kind);
        assert!(split.takes("Organisation"));
        assert!(crate::profile::to_yaml(&p).contains("by: kind"));
        let old = yaml.replace(", by: kind", "");
        let p = crate::profile::from_yaml("t", &old).unwrap();
        assert_eq!(p.files[0].split.as_ref().unwrap().by, SplitBy::YesNo);
        assert!(!crate::profile::to_yaml(&p).contains("by:"));
        let bad = yaml.replace("by: kind", "by: colour");
        assert!(crate::profile::from_yaml("t", &bad).is_err());
    }
}
