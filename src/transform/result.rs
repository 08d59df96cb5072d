//! What an export produced, staged and not yet moved into place: the counts summary.json gives,
//! the plans and layouts it followed, and what the report lists (drift, merges, shared names).

use crate::entity::Entity;
use crate::profile::drift::Drift;

use super::combined::Folded;
use super::engine::ApplyError;
use super::layout::Layout;
use super::outputs::Outputs;
use super::plan::FilePlan;
use super::run::ExportRun;
use super::tally::{EXAMPLES, FileCounts, OutputFile, Tally};

/// What the export produced, as summary.json tells it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Summary {
    pub files: Vec<FileCounts>,
    pub outputs: Vec<OutputFile>,
    pub rejected: u64,
    pub merged: u64,
    pub reconciled: bool,
    pub ambiguous_links: u64,
    pub unresolved_links: u64,
    /// Rows written with a warning (a value moved to the note, a link left out).
    pub warnings: u64,
    /// Organizations and persons written only because other rows link to them by name.
    pub created_for_links: u64,
    pub formula_cells: u64,
    /// With the combined layout: what moved into the deal rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined: Option<Folded>,
    /// Every link of the export, by how it was resolved.
    pub links: LinkAudit,
}

/// Every link the export wrote or left out, by kind, with examples.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LinkAudit {
    /// Resolved through another file's ids: the linked record is exactly the one the source
    /// names.
    pub by_id: u64,
    /// Written by the name the row gives, which the import links by.
    pub by_name: u64,
    /// Links to a name several records share (the import may pick the wrong one).
    pub ambiguous: u64,
    /// Links whose record no file holds (or was rejected): left out, value kept in the note.
    pub unresolved: u64,
    /// Records written with only a name because rows link to them and no row describes them.
    pub created_for_links: u64,
    /// Of those, records whose name is another spelling of an existing record's.
    pub suspect_created: u64,
    pub examples: LinkExamples,
}

/// A few of each kind, so a reader can check them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LinkExamples {
    pub unresolved: Vec<String>,
    pub ambiguous: Vec<String>,
    pub created_for_links: Vec<String>,
    pub suspect_created: Vec<String>,
}

/// A name several written records share, and how many links point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedName {
    pub entity: Entity,
    pub name: String,
    /// Records written under the name.
    pub records: u32,
    /// Links written to the name.
    pub links: u32,
}

/// Records merged into one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub entity: Entity,
    /// The survivor's name.
    pub survivor: String,
    /// The names of the records it absorbed.
    pub absorbed: Vec<String>,
}

/// Everything the report needs after an export.
pub struct Export {
    pub summary: Summary,
    pub tally: Tally,
    pub plans: Vec<FilePlan>,
    pub layouts: Vec<Layout>,
    /// Names that links point at and several records share, most links first.
    pub ambiguous: Vec<SharedName>,
    /// How each file differs from the profile mapping it matched.
    pub drift: Vec<Drift>,
    pub merges: Vec<Merge>,
    /// What the sources' readers noticed (renamed blank or repeated headers, a header row that
    /// looks like data), each as `file: note`.
    pub source_notes: Vec<String>,
    /// `None` when the output folder held no earlier export; otherwise the earlier export's
    /// files (relative to the folder) that this export did not write over and so removed, as
    /// the new export replaces it whole.
    pub earlier_export: Option<Vec<String>>,
}

impl ExportRun<'_> {
    /// Closes the outputs, applies the combined layout, and counts what was written.
    pub fn finish(self, out: Outputs) -> Result<Export, ApplyError> {
        let dir = out.dir().to_path_buf();
        let closed = out.close()?;
        let mut outputs = closed.outputs;
        let ambiguous: Vec<SharedName> = self
            .rows
            .census
            .ambiguous()
            .into_iter()
            .map(|(entity, name, records, links)| SharedName {
                entity,
                name,
                records,
                links,
            })
            .collect();
        let merges: Vec<Merge> = self
            .duplicates
            .iter()
            .flatten()
            .flat_map(|d| d.merges.iter())
            .map(|(entity, survivor, absorbed)| Merge {
                entity: *entity,
                survivor: survivor.clone(),
                absorbed: absorbed.clone(),
            })
            .collect();
        // What the rows needed is done with: free it before the combined layout's own tables.
        drop(self.rows.census);
        drop(self.index);
        drop(self.duplicates);
        let combined = match closed.own_ids {
            Some(path) => Some(
                super::combined::fold(&dir, &self.layouts, &mut outputs, &path)
                    .map_err(|e| ApplyError::output(&dir, e))?,
            ),
            None => None,
        };
        let tally = self.rows.tally;
        let summary = summary(&tally, &ambiguous, outputs, combined);
        let source_notes = self
            .opts
            .notes
            .iter()
            .cloned()
            .chain(self.opened.iter().flat_map(|o| {
                o.table
                    .notes()
                    .into_iter()
                    .map(|w| format!("{}: {w}", o.table.name))
            }))
            .chain(self.plans.iter().flat_map(shared_target_notes))
            .collect();
        Ok(Export {
            earlier_export: None,
            source_notes,
            merges,
            drift: self.drift,
            summary,
            tally,
            plans: self.plans,
            layouts: self.layouts,
            ambiguous,
        })
    }
}

/// summary.json's counts.
fn summary(
    tally: &Tally,
    ambiguous: &[SharedName],
    outputs: Vec<OutputFile>,
    combined: Option<Folded>,
) -> Summary {
    let links = link_audit(tally, ambiguous);
    Summary {
        rejected: tally.files.iter().map(|f| f.rejected).sum(),
        merged: tally.files.iter().map(|f| f.merged).sum(),
        reconciled: tally
            .files
            .iter()
            .all(|f| f.rows_in == f.rows_out + f.merged + f.rejected),
        ambiguous_links: links.ambiguous,
        unresolved_links: links.unresolved,
        warnings: tally.files.iter().map(|f| f.with_warnings).sum(),
        created_for_links: links.created_for_links,
        formula_cells: tally.formula_cells,
        combined,
        links,
        files: tally.files.clone(),
        outputs,
    }
}

/// Every link of the export by how it was resolved, with a few examples of each kind.
fn link_audit(tally: &Tally, ambiguous: &[SharedName]) -> LinkAudit {
    LinkAudit {
        by_id: tally.links_by_id,
        by_name: tally.links_by_name,
        ambiguous: ambiguous.iter().map(|a| u64::from(a.links)).sum(),
        unresolved: tally.unresolved_links,
        created_for_links: tally.created_for_links.values().sum(),
        suspect_created: tally.suspect_created.len() as u64,
        examples: LinkExamples {
            unresolved: tally.unresolved_examples.clone(),
            ambiguous: ambiguous
                .iter()
                .take(EXAMPLES)
                .map(|a| format!("{} “{}” ({} records)", a.entity, a.name, a.records))
                .collect(),
            created_for_links: tally
                .created_examples
                .iter()
                .flat_map(|(e, names)| names.iter().map(move |n| format!("{e} “{n}”")))
                .take(EXAMPLES)
                .collect(),
            suspect_created: tally
                .suspect_created
                .iter()
                .take(EXAMPLES)
                .map(|(e, name, existing)| format!("{e} “{name}” (like “{existing}”)"))
                .collect(),
        },
    }
}

/// The notes saying which output columns a file fills from more than one source column.
fn shared_target_notes(plan: &super::plan::FilePlan) -> Vec<String> {
    plan.shared_targets()
        .into_iter()
        .map(|(target, headers)| {
            let named: Vec<String> = headers.iter().map(|h| format!("{h:?}")).collect();
            format!(
                "{}: {} are all mapped to {target}, which holds one value: the first of them with a value is written there, and a different value of another joins the record's note",
                plan.file_name(),
                named.join(", ")
            )
        })
        .collect()
}
