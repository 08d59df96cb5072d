//! A merged record's output row: the survivor's values, the ones a decision chose from the
//! records it absorbed, its gaps filled from them, and every value left behind kept in its note.

use std::collections::BTreeMap;

use crate::dedupe;
use crate::dedupe::keys::organization_key;
use crate::entity::{Entity, Target};

use super::layout::{Layout, Slot};
use super::row::{Draft, Problem};

/// How a merge fills each output column of one entity's layout.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnMerge {
    /// E-mails, phones, labels: united from every member elsewhere.
    United,
    /// The record's note: the absorbed records' notes are appended.
    Note,
    /// One value kept, under this decision key.
    Chosen(String),
}

/// The merge treatment of every column of `layout`.
pub fn column_merges(layout: &Layout) -> Vec<ColumnMerge> {
    layout
        .slots
        .iter()
        .map(|slot| {
            let target = match slot {
                Slot::Note => return ColumnMerge::Note,
                Slot::Field { key, label } => Target::Field {
                    entity: layout.entity,
                    key: key.clone(),
                    label: label.clone(),
                },
                Slot::Custom { name, part } => Target::Custom {
                    entity: layout.entity,
                    name: name.clone(),
                    part: *part,
                },
                Slot::Link(to) => Target::field(layout.entity, to.relation_key().unwrap_or("")),
            };
            match dedupe::merge_field(layout.entity, &target) {
                dedupe::MergeField::United => ColumnMerge::United,
                dedupe::MergeField::Chosen(key) => ColumnMerge::Chosen(key),
            }
        })
        .collect()
}

/// A record absorbed by a survivor, converted as its own row would have been.
pub struct Absorbed<'a> {
    pub identity: &'a str,
    /// Its source line, named in what the survivor's note keeps of it.
    pub line: u64,
    pub draft: Draft,
}

/// Folds the absorbed records' values into the survivor's draft, column by column: the value of
/// the record a decision chose for the field (`chosen`: field key → identity), else the
/// survivor's, else the first absorbed record's that has one. A different value left behind is
/// not lost: it is written in the survivor's note (`Merged from line 17 — Job title: CTO`), or,
/// without a note column, returned as a warning.
pub fn fold_absorbed(
    layout: &Layout,
    merges: &[ColumnMerge],
    survivor: &mut Draft,
    survivor_identity: &str,
    survivor_line: u64,
    absorbed: &[Absorbed],
    chosen: &BTreeMap<String, String>,
) -> Vec<Problem> {
    let mut fold = Fold {
        layout,
        survivor_identity,
        survivor_line,
        absorbed,
        left: Vec::new(),
        notes: Vec::new(),
    };
    for (c, merge) in merges.iter().enumerate() {
        match merge {
            ColumnMerge::United => {}
            ColumnMerge::Note => fold.note(c, survivor),
            ColumnMerge::Chosen(key) => {
                fold.choose(c, chosen.get(key), survivor);
                fold.leave_behind(c, survivor);
            }
        }
    }
    keep_left_behind(layout, survivor, fold.lines())
}

/// One survivor's fold: what it reads, and the values and notes it leaves behind.
struct Fold<'a> {
    layout: &'a Layout,
    survivor_identity: &'a str,
    survivor_line: u64,
    absorbed: &'a [Absorbed<'a>],
    /// (line, column, value) of the values not kept.
    left: Vec<(u64, usize, String)>,
    /// (line, text) of the absorbed records' notes the survivor's lacks.
    notes: Vec<(u64, String)>,
}

impl Fold<'_> {
    /// Notes the lines of each absorbed record's note that the survivor's note does not hold.
    fn note(&mut self, c: usize, survivor: &Draft) {
        for a in self.absorbed {
            let new: Vec<&str> = a.draft.cells[c]
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .filter(|l| !survivor.cells[c].lines().any(|s| plain(s, l)))
                .collect();
            if !new.is_empty() {
                self.notes.push((a.line, new.join("; ")));
            }
        }
    }

    /// Column `c` takes the value of the absorbed record the decision `chosen` names, or, where
    /// the survivor has none, the first absorbed record's; a link takes that record's link ids.
    fn choose(&mut self, c: usize, chosen: Option<&String>, survivor: &mut Draft) {
        let pick = chosen
            .filter(|id| id.as_str() != self.survivor_identity)
            .and_then(|id| self.absorbed.iter().find(|a| a.identity == id.as_str()))
            .filter(|a| !a.draft.cells[c].trim().is_empty());
        let from = match pick {
            Some(a) => Some(a),
            None if survivor.cells[c].trim().is_empty() => self
                .absorbed
                .iter()
                .find(|a| !a.draft.cells[c].trim().is_empty()),
            None => None,
        };
        let Some(a) = from else { return };
        let old = std::mem::replace(&mut survivor.cells[c], a.draft.cells[c].clone());
        if !old.trim().is_empty() && !same_in(self.layout, c, &old, &survivor.cells[c]) {
            self.left.push((self.survivor_line, c, old));
        }
        if let Slot::Link(to) = &self.layout.slots[c] {
            survivor.link_ids.retain(|(e, _)| e != to);
            survivor
                .link_ids
                .extend(a.draft.link_ids.iter().filter(|(e, _)| e == to).cloned());
        }
    }

    /// Keeps each absorbed record's value of column `c` that differs from the one kept, once.
    fn leave_behind(&mut self, c: usize, survivor: &Draft) {
        let layout = self.layout;
        for a in self.absorbed {
            let value = &a.draft.cells[c];
            if !value.trim().is_empty()
                && !same_in(layout, c, value, &survivor.cells[c])
                && !self
                    .left
                    .iter()
                    .any(|(_, lc, v)| *lc == c && same_in(layout, c, v, value))
            {
                self.left.push((a.line, c, value.clone()));
            }
        }
    }

    /// The note's lines for what was left behind: values by field, then notes.
    fn lines(self) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for (line, c, value) in &self.left {
            let field = match &self.layout.slots[*c] {
                Slot::Link(to) => to.title().to_string(),
                _ => short_header(&self.layout.headers[*c]).to_string(),
            };
            lines.push(format!("Merged from line {line} — {field}: {value}"));
        }
        for (line, note) in self.notes {
            lines.push(format!("Merged from line {line} — note: {note}"));
        }
        lines
    }
}

/// Equal but for case and surrounding spaces.
fn plain(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Whether two values of column `c` are one. An organization written two ways ("Acme Inc." /
/// "ACME, Inc") is one value: the one kept stands for both, and the import links both
/// spellings to it.
fn same_in(layout: &Layout, c: usize, a: &str, b: &str) -> bool {
    plain(a, b) || (is_organization(layout, c) && organization_key(a) == organization_key(b))
}

/// Whether column `c` names an organization: a link to one, or an organization's own name.
fn is_organization(layout: &Layout, c: usize) -> bool {
    matches!(layout.slots[c], Slot::Link(Entity::Organization))
        || (layout.entity == Entity::Organization
            && layout.slots[c]
                == Slot::Field {
                    key: "name".into(),
                    label: None,
                })
}

/// Writes the lines left behind into the survivor's note; without a note column they are
/// returned as warnings.
fn keep_left_behind(layout: &Layout, survivor: &mut Draft, lines: Vec<String>) -> Vec<Problem> {
    if lines.is_empty() {
        return Vec::new();
    }
    match layout.column(&Slot::Note) {
        Some(n) => {
            let cell = &mut survivor.cells[n];
            for line in lines {
                if !cell.is_empty() {
                    cell.push('\n');
                }
                cell.push_str(&line);
            }
            Vec::new()
        }
        None => lines
            .into_iter()
            .map(|reason| Problem {
                column: String::new(),
                value: String::new(),
                reason,
            })
            .collect(),
    }
}

/// `Person - Job title` → `Job title`.
fn short_header(header: &str) -> &str {
    header.split_once(" - ").map_or(header, |(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str) -> Slot {
        Slot::Field {
            key: key.into(),
            label: None,
        }
    }

    /// Persons: name, job title, organization, note; merges set by hand.
    fn persons(note: bool) -> (Layout, Vec<ColumnMerge>) {
        let mut slots = vec![
            field("name"),
            field("job_title"),
            Slot::Link(Entity::Organization),
        ];
        let mut headers = vec![
            "Person - Name",
            "Person - Job title",
            "Person - Organization",
        ];
        let mut merges = vec![
            ColumnMerge::Chosen("name".into()),
            ColumnMerge::Chosen("job_title".into()),
            ColumnMerge::Chosen("org".into()),
        ];
        if note {
            slots.push(Slot::Note);
            headers.push("Note - Content");
            merges.push(ColumnMerge::Note);
        }
        let headers = headers.into_iter().map(String::from).collect();
        (Layout::new(Entity::Person, slots, headers), merges)
    }

    fn draft(layout: &Layout, cells: &[&str]) -> Draft {
        let mut d = Draft::new(layout);
        for (cell, value) in d.cells.iter_mut().zip(cells) {
            *cell = value.to_string();
        }
        d
    }

    fn absorbed<'a>(layout: &Layout, identity: &'a str, line: u64, cells: &[&str]) -> Absorbed<'a> {
        Absorbed {
            identity,
            line,
            draft: draft(layout, cells),
        }
    }

    #[test]
    fn a_chosen_value_wins_a_gap_is_filled_and_what_is_left_behind_is_noted() {
        let (layout, merges) = persons(true);
        let mut survivor = draft(&layout, &["Ann Lee", "", "Acme Inc.", "met at a fair"]);
        let others = [
            absorbed(
                &layout,
                "b",
                7,
                &["Ann Lee-Ek", "CTO", "ACME, Inc", "met at a fair\ncall back"],
            ),
            absorbed(&layout, "c", 9, &["ann lee", "CEO", "Globex", ""]),
        ];
        let chosen = BTreeMap::from([("name".to_string(), "b".to_string())]);
        let left = fold_absorbed(&layout, &merges, &mut survivor, "a", 2, &others, &chosen);
        assert!(left.is_empty());
        assert_eq!(&survivor.cells[..3], ["Ann Lee-Ek", "CTO", "Acme Inc."]);
        // Acme written another way is the same organization; Globex is not; "ann lee" is the
        // survivor's own name but for case, noted once as the survivor's line.
        assert_eq!(
            survivor.cells[3],
            "met at a fair\n\
             Merged from line 2 — Name: Ann Lee\n\
             Merged from line 9 — Job title: CEO\n\
             Merged from line 9 — Organization: Globex\n\
             Merged from line 7 — note: call back"
        );
    }

    #[test]
    fn a_decision_naming_the_survivor_keeps_its_value() {
        let (layout, merges) = persons(true);
        let mut survivor = draft(&layout, &["Ann", "CFO", "", ""]);
        let others = [absorbed(&layout, "b", 7, &["Ann", "CTO", "", ""])];
        let chosen = BTreeMap::from([("job_title".to_string(), "a".to_string())]);
        fold_absorbed(&layout, &merges, &mut survivor, "a", 2, &others, &chosen);
        assert_eq!(survivor.cells[1], "CFO");
        assert_eq!(survivor.cells[3], "Merged from line 7 — Job title: CTO");
    }

    #[test]
    fn without_a_note_column_what_is_left_behind_is_returned_as_warnings() {
        let (layout, merges) = persons(false);
        let mut survivor = draft(&layout, &["Ann", "CFO", ""]);
        let others = [absorbed(&layout, "b", 7, &["Ann", "CTO", ""])];
        let left = fold_absorbed(
            &layout,
            &merges,
            &mut survivor,
            "a",
            2,
            &others,
            &BTreeMap::new(),
        );
        let reasons: Vec<&str> = left.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(reasons, ["Merged from line 7 — Job title: CTO"]);
    }
}
