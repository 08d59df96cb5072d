//! A profile compiled against the actual files: for every source column, exactly what happens to
//! its cells, and for every entity, the columns of its output file.

use std::collections::BTreeMap;

use crate::address::AddressPart;
use crate::entity::{Entity, Target};
use crate::profile::{Profile, SplitBy};
use crate::source::Record;
use crate::transform::layout::{Layout, Slot};
use crate::values::{DateStyle, DecimalStyle, DurationUnit, StatusFlag};

#[path = "plan_compile.rs"]
mod compile;
#[path = "plan_rule.rs"]
mod rule;
pub use compile::compile;
pub use rule::holds_ids;

/// How a cell's text becomes a Pipedrive value.
#[derive(Debug, Clone, PartialEq)]
pub enum Conv {
    Text,
    Email,
    Phone,
    /// A date-time, written in UTC when the text carries an offset.
    Date(DateStyle),
    /// A date-only field: the calendar day the source writes, never shifted to UTC.
    Day(DateStyle),
    /// A time of day, or a date and time whose date goes to the record's date field (an
    /// activity's due date) and whose time to its time field.
    Time(DateStyle),
    /// A length of time to `HH:MM`; bare numbers count the unit.
    Duration(DurationUnit),
    /// An amount, read in the column's decimal convention.
    Money(DecimalStyle),
    /// A currency code, name or symbol, read to its ISO 4217 code.
    Currency,
    /// A plain number, read in the column's decimal convention.
    Number(DecimalStyle),
    Bool,
    /// Through the profile's value map for this target; unknown values kept as written.
    Values,
    /// A list (tags) split on a separator, each item through the value map.
    Labels(String),
    /// One part of an address, kept as written unless it cannot be that part.
    AddressPart(AddressPart),
}

/// What happens to one source column.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Written to a field of an entity; `slot` is the output column it fills, worked out once.
    Set {
        target: Target,
        conv: Conv,
        slot: Slot,
    },
    /// A link to another record: the cell holds its id (from another file) or its name.
    /// `by_id` when the column holds ids — said by its header or by its values — so a value
    /// no file has is reported, never written as a name.
    Link { to: Entity, by_id: bool },
    /// A link by id to a record of one of several entities, the id telling which (ids unique
    /// across a CRM's objects: Salesforce's `WhatId`, GUIDs).
    LinkAny { to: Vec<Entity> },
    /// A link whose entity the `type_column` names per row; the cell holds the record's id.
    LinkBy {
        type_column: usize,
        types: BTreeMap<String, Entity>,
    },
    /// Deliberately left out.
    Skip,
    /// Not mapped: carried into the record's note as "Column: value".
    Note,
}

/// One source file, compiled.
#[derive(Debug, Clone)]
pub struct FilePlan {
    pub file: String,
    /// Which of the profile's file mappings this file matched.
    pub mapping: usize,
    pub headers: Vec<String>,
    pub entity: Entity,
    /// Rows the split column picks (by `split_by`) become this entity, with `split_rules`.
    pub split: Option<(usize, Entity)>,
    pub split_by: SplitBy,
    pub rules: Vec<Rule>,
    pub split_rules: Vec<Rule>,
    /// The column holding the record's own id in the source CRM.
    pub id_column: Option<usize>,
    /// Profile columns this file lacks.
    pub missing_columns: Vec<String>,
    /// File columns the profile does not mention (carried into notes).
    pub unmapped_columns: Vec<String>,
    /// Yes/no columns that say whether a deal is won or closed (`IsWon`, `IsClosed`), read
    /// for the deal's status whatever else the profile does with them.
    pub status_flags: Vec<(usize, StatusFlag)>,
    /// Columns whose values are secrets (passwords, tokens, keys, card numbers): never written,
    /// whatever the profile maps them to.
    pub secret_columns: Vec<String>,
    /// Per rule (then per split rule), the output column a `Set` rule's slot fills, found once
    /// the layouts are built ([`FilePlan::locate_slots`]) so rows do not look it up cell by
    /// cell; empty until then.
    pub slot_columns: Vec<Option<usize>>,
    pub split_slot_columns: Vec<Option<usize>>,
}

impl FilePlan {
    /// Finds the output column each `Set` rule's slot fills in its entity's layout.
    pub fn locate_slots(&mut self, layouts: &[Layout]) {
        let locate = |rules: &[Rule]| -> Vec<Option<usize>> {
            rules
                .iter()
                .map(|rule| match rule {
                    Rule::Set { target, slot, .. } => target
                        .entity()
                        .and_then(|e| layouts.iter().find(|l| l.entity == e))
                        .and_then(|l| l.column(slot)),
                    _ => None,
                })
                .collect()
        };
        self.slot_columns = locate(&self.rules);
        self.split_slot_columns = locate(&self.split_rules);
    }

    /// The output column rule `i` fills (of the split rules when `split`): `Some(None)` when
    /// it fills none, `None` when the slots were not located.
    pub fn slot_column(&self, split: bool, i: usize) -> Option<Option<usize>> {
        match split {
            true => self.split_slot_columns.get(i).copied(),
            false => self.slot_columns.get(i).copied(),
        }
    }

    /// A plan of `file` for `entity` whose columns all go to the record's note: what tests
    /// start from before setting the rules they are about.
    #[cfg(test)]
    pub(crate) fn of_notes(file: &str, headers: &[&str], entity: Entity) -> FilePlan {
        FilePlan {
            file: file.into(),
            mapping: 0,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            entity,
            split: None,
            split_by: SplitBy::default(),
            rules: vec![Rule::Note; headers.len()],
            split_rules: Vec::new(),
            id_column: None,
            missing_columns: Vec::new(),
            unmapped_columns: Vec::new(),
            status_flags: Vec::new(),
            secret_columns: Vec::new(),
            slot_columns: Vec::new(),
            split_slot_columns: Vec::new(),
        }
    }

    /// True when `record` becomes the split's entity, by the value of its split column.
    pub fn is_split_row(&self, record: &Record) -> bool {
        self.split.is_some_and(|(column, then)| {
            let value = record.fields.get(column).unwrap_or("");
            self.split_by.takes(value, then)
        })
    }

    /// Output columns that hold one value and that the profile fills from two or more source
    /// columns (`Email: person.first_name` and `Email 2: person.first_name`): per target, its
    /// source columns in file order. The first with a value is written there; a different value
    /// of a later one joins the record's note. Left out: a currency (an amount and its own
    /// currency column may both set it) and fields that take several values.
    pub fn shared_targets(&self) -> Vec<(&Target, Vec<&str>)> {
        let mut by_slot: Vec<(&Slot, &Target, Vec<&str>)> = Vec::new();
        // Where each (slot, entity) sits in `by_slot`: one look-up per column.
        let mut index: std::collections::HashMap<(&Slot, Option<Entity>), usize> =
            std::collections::HashMap::new();
        for (rule, header) in self.rules.iter().zip(&self.headers) {
            let Rule::Set { target, slot, conv } = rule else {
                continue;
            };
            // E-mails and phones spill onto the field's next label, labels are joined: those
            // fields take more than one value.
            let many = matches!(conv, Conv::Email | Conv::Phone | Conv::Labels(_));
            if many || matches!(slot, Slot::Field { key, .. } if key == "currency") {
                continue;
            }
            // A field of a linked record (a person file's `organization.name`) has the same
            // slot as the record's own (`person.name`) but is another record's value.
            match index.get(&(slot, target.entity())) {
                Some(&at) => by_slot[at].2.push(header),
                None => {
                    index.insert((slot, target.entity()), by_slot.len());
                    by_slot.push((slot, target, vec![header]));
                }
            }
        }
        by_slot
            .into_iter()
            .filter(|(_, _, headers)| headers.len() > 1)
            .map(|(_, target, headers)| (target, headers))
            .collect()
    }

    /// The source's file name without its folders (`Contact.csv`), as examples name it.
    pub fn file_name(&self) -> String {
        std::path::Path::new(&self.file)
            .file_name()
            .map_or_else(|| self.file.clone(), |f| f.to_string_lossy().into_owned())
    }

    /// The columns read as numbers or money, each in the decimal convention of its values.
    pub fn decimal_columns(&self) -> Vec<usize> {
        let numeric = |r: &Rule| {
            matches!(
                r,
                Rule::Set {
                    conv: Conv::Money(_) | Conv::Number(_),
                    ..
                }
            )
        };
        (0..self.headers.len())
            .filter(|&i| {
                self.rules.get(i).is_some_and(numeric)
                    || self.split_rules.get(i).is_some_and(numeric)
            })
            .collect()
    }

    /// Sets the decimal convention of a number or money column, decided from all its values.
    pub fn set_decimal_style(&mut self, column: usize, style: DecimalStyle) {
        for rules in [&mut self.rules, &mut self.split_rules] {
            if let Some(Rule::Set {
                conv: Conv::Money(s) | Conv::Number(s),
                ..
            }) = rules.get_mut(column)
            {
                *s = style;
            }
        }
    }
}

/// A profile mapping that cannot be compiled against a file.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{file}: column {column:?}: {message}")]
    Column {
        file: String,
        column: String,
        message: String,
    },
}

/// The profile's file mapping for each source, by headers. Files no mapping fits are errors.
pub fn match_files(
    profile: &Profile,
    headers: &[(String, Vec<String>)],
) -> Result<Vec<usize>, String> {
    // Files with the same headers (an archive of many parts of one table) get the same
    // mapping: each set of headers is matched once, not once per file against every mapping.
    let mut matched: std::collections::HashMap<&[String], Option<usize>> =
        std::collections::HashMap::new();
    headers
        .iter()
        .map(|(file, h)| {
            let found = *matched
                .entry(h.as_slice())
                .or_insert_with(|| profile.match_file(h).map(|(i, _)| i));
            found.ok_or_else(|| {
                let wanted: Vec<String> = profile
                    .files
                    .iter()
                    .map(|f| format!("{} ({})", f.entity, f.matcher.headers_include.join(", ")))
                    .collect();
                format!("{file}: matches none of the profile's files by its headers; the profile expects {}", wanted.join("; "))
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
