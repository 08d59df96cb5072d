//! The export: open every source, compile the profile against it, index what links need,
//! then stream every row once into the output files, in import order, under a staging folder
//! that becomes the output folder only when everything succeeded.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::entity::Entity;
use crate::profile::Profile;
use crate::schema::Schema;
use crate::source::{AsSources, Record, SourceError, SourceRef, Table};

use super::duplicates::FileDuplicates;
use super::layout::{self, Layout, Slot};
use super::links::{LinkIndex, Linked, NameCensus};
use super::plan::{self, FilePlan, PlanError, Rule};
use super::row::{Converter, Draft, Problem, RowResult};
use super::survivor::{Absorbed, ColumnMerge, column_merges, fold_absorbed};
use super::tally::{FileCounts, OutputFile, Tally};
use super::vocab::ValueMaps;
use super::writer::{PartWriter, Staging};

/// Rows read ahead of the export to learn each column's date order and kinds.
const SAMPLE_ROWS: usize = 1000;

/// What `apply` needs besides the sources and the profile.
pub struct ApplyOptions<'a> {
    pub out: PathBuf,
    /// Also write `sample/` with this many linked records per entity.
    pub sample: Option<usize>,
    pub escape_formulas: bool,
    /// Refuse to export when the files drifted from a saved profile (new columns, renames,
    /// new values); presets, written for any account, only report drift.
    pub strict_drift: bool,
    /// Export even when `strict_drift` finds drift, and report it.
    pub allow_drift: bool,
    /// Called now and then with (bytes read, bytes in all sources).
    pub progress: Option<&'a dyn Fn(u64, u64)>,
    /// Notes on the run's files from before the export (files left out, and why), listed in
    /// report.md with the readers' own notes.
    pub notes: Vec<String>,
    /// The users file whose ids and names fill the profile's owner maps: an owner value it
    /// does not know is listed in warnings.csv.
    pub owners_from: Option<String>,
    /// Record id → tag names (a tags file and its link table), given to the records' labels.
    pub labels: super::tags::RecordLabels,
}

/// An export that could not be made; nothing was written under the output folder.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("{0}")]
    Unmatched(String),
    #[error(
        "the files have changed since the profile was made (map the changes with `pipemap map`, or run with --allow-drift to export them as they are):\n  {0}"
    )]
    Drift(String),
    #[error("{path}: {source}")]
    Output {
        path: String,
        source: std::io::Error,
    },
}

fn out_err(path: &Path) -> impl Fn(std::io::Error) -> ApplyError + '_ {
    move |source| ApplyError::Output {
        path: path.display().to_string(),
        source,
    }
}

/// What the export produced, as summary.json tells it.
#[derive(Debug, serde::Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub combined: Option<super::combined::Folded>,
    /// Every link of the export, by how it was resolved.
    pub links: LinkAudit,
}

/// Every link the export wrote or left out, by kind, with examples.
#[derive(Debug, Default, serde::Serialize)]
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
#[derive(Debug, Default, serde::Serialize)]
pub struct LinkExamples {
    pub unresolved: Vec<String>,
    pub ambiguous: Vec<String>,
    pub created_for_links: Vec<String>,
    pub suspect_created: Vec<String>,
}

/// Everything the report needs after an export.
pub struct Export {
    pub summary: Summary,
    pub tally: Tally,
    pub plans: Vec<FilePlan>,
    pub layouts: Vec<Layout>,
    pub ambiguous: Vec<(Entity, String, u32, u32)>,
    /// How each file differs from the profile mapping it matched.
    pub drift: Vec<crate::profile::drift::Drift>,
    /// (entity, survivor's name, names of the records it absorbed).
    pub merges: Vec<(Entity, String, Vec<String>)>,
    /// What the sources' readers noticed (renamed blank or repeated headers, a header row that
    /// looks like data), each as `file: note`.
    pub source_notes: Vec<String>,
    /// `None` when the output folder held no earlier export; otherwise the earlier export's
    /// files (relative to the folder) that this export did not write over and so removed, as
    /// the new export replaces it whole.
    pub earlier_export: Option<Vec<String>>,
}

/// An opened source with its first rows read.
struct Opened {
    table: Table,
    head: std::collections::VecDeque<Record>,
    exhausted: bool,
}

impl Opened {
    /// The buffered rows first, then the rest of the file.
    fn next_record(&mut self) -> Result<Option<Record>, ApplyError> {
        if let Some(r) = self.head.pop_front() {
            return Ok(Some(r));
        }
        if self.exhausted {
            return Ok(None);
        }
        let next = self.table.next_record()?;
        self.exhausted = next.is_none();
        Ok(next)
    }
}

fn open(source: &SourceRef) -> Result<Opened, ApplyError> {
    let mut table = Table::open_ref(source)?;
    let mut head = std::collections::VecDeque::new();
    let mut exhausted = false;
    while head.len() < SAMPLE_ROWS {
        match table.next_record()? {
            Some(r) => head.push_back(r),
            None => {
                exhausted = true;
                break;
            }
        }
    }
    Ok(Opened {
        table,
        head,
        exhausted,
    })
}

/// Runs the export. On error nothing is left under `opts.out`. `sources` are the tables
/// ([`SourceRef`]s), or paths and source names (a workbook or archive gives all its tables).
pub fn apply<S: AsSources>(
    sources: &[S],
    profile: &Profile,
    schema: &Schema,
    opts: &ApplyOptions,
) -> Result<Export, ApplyError> {
    let mut tables: Vec<SourceRef> = Vec::with_capacity(sources.len());
    for s in sources {
        tables.extend(s.as_sources()?);
    }
    let sources = tables;
    // Taken before the first byte is read, compared before anything is moved into place.
    let fingerprints: Vec<_> = sources
        .iter()
        .map(SourceRef::fingerprint)
        .collect::<Result<_, _>>()?;
    let mut opened: Vec<Opened> = sources.iter().map(open).collect::<Result<_, _>>()?;
    let headers: Vec<(String, Vec<String>)> = opened
        .iter()
        .map(|o| (o.table.name.clone(), o.table.headers.clone()))
        .collect();
    let matches = plan::match_files(profile, &headers).map_err(ApplyError::Unmatched)?;
    let mut plans = Vec::with_capacity(opened.len());
    let mut drift = Vec::with_capacity(opened.len());
    for (i, (o, &m)) in opened.iter().zip(&matches).enumerate() {
        let sample: Vec<Vec<String>> = o
            .head
            .iter()
            .map(|r| r.fields.iter().map(str::to_string).collect())
            .collect();
        let mut plan = plan::compile(
            &o.table.name,
            &o.table.headers,
            &sample,
            &profile.files[m],
            profile,
            schema,
        )?;
        plan.mapping = m;
        if !o.exhausted {
            // The sample proposed each number column's decimal convention; all rows decide.
            confirm_decimal_styles(&sources[i], &mut plan)?;
        }
        plans.push(plan);
        drift.push(crate::profile::drift::detect(
            &o.table.name,
            &profile.files[m],
            profile,
            &o.table.headers,
            &sample,
        ));
    }
    let unresolved: Vec<String> = drift
        .iter()
        .filter(|d| d.needs_review())
        .flat_map(|d| d.lines())
        .collect();
    if opts.strict_drift && !opts.allow_drift && !unresolved.is_empty() {
        return Err(ApplyError::Drift(unresolved.join("\n  ")));
    }
    let mut layouts = layout::build(schema, &plans);
    super::tags::widen(&mut layouts, schema, &opts.labels);
    let mut maps = ValueMaps::new(profile, schema);
    maps.owners_from = opts.owners_from.clone();
    maps.labels = opts.labels.clone();
    // Duplicates the profile asks to merge or drop, found before anything is written.
    let duplicates: Vec<Option<FileDuplicates>> = sources
        .iter()
        .zip(&plans)
        .map(|(s, p)| super::duplicates::find(s, p, profile))
        .collect::<Result<_, _>>()?;
    let renames: HashMap<(Entity, u64), String> = duplicates
        .iter()
        .flatten()
        .flat_map(|d| d.renames.iter())
        .map(|(e, from, to)| ((*e, super::links::name_key(from)), to.clone()))
        .collect();
    // Import order: organizations, persons, deals, leads, activities, notes, products.
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by_key(|&i| (plans[i].entity, i));
    let total_bytes: u64 = sources.iter().filter_map(SourceRef::size_hint).sum();

    let needs_index = plans.iter().any(|p| {
        p.rules.iter().chain(&p.split_rules).any(|r| {
            matches!(
                r,
                Rule::LinkBy { .. } | Rule::LinkAny { .. } | Rule::Link { by_id: true, .. }
            )
        })
    });
    let mut index = LinkIndex::default();
    if needs_index {
        for &i in &order {
            if !matches!(
                plans[i].entity,
                Entity::Organization | Entity::Person | Entity::Deal | Entity::Lead
            ) || plans[i].id_column.is_none()
            {
                continue;
            }
            let mut fresh = open(&sources[i])?;
            let plan = &plans[i];
            while let Some(record) = fresh.next_record()? {
                let result = Converter {
                    layouts: &layouts,
                    maps: &maps,
                    index: &index,
                }
                .convert(plan, &record);
                if result.rejects.is_empty()
                    && let Some(id) = &result.source_id
                {
                    index.insert(plan.entity, id, &linked(&layouts, &result.primary));
                }
            }
            // Links by id to a record merged into another land on the survivor.
            if let Some(d) = &duplicates[i] {
                for (absorbed, survivor) in &d.plan.absorbed {
                    index.alias(plan.entity, absorbed, survivor);
                }
            }
        }
    }

    let staging = Staging::new(&opts.out).map_err(out_err(&opts.out))?;
    let mut writers: HashMap<Entity, PartWriter> = layouts
        .iter()
        .map(|l| {
            (
                l.entity,
                PartWriter::new(&staging.path(""), l.entity.file_stem(), l.headers.clone()),
            )
        })
        .collect();
    const PROBLEM_COLUMNS: [&str; 6] = ["file", "line", "entity", "column", "value", "reason"];
    let (rejects_path, mut rejects) = sidecar(&staging, "rejects.csv", &PROBLEM_COLUMNS)?;
    let (warnings_path, mut warnings) = sidecar(&staging, "warnings.csv", &PROBLEM_COLUMNS)?;
    // For `relink`: which output row links to which source record by id.
    let (links_path, mut links) = sidecar(
        &staging,
        "links.csv",
        &["file", "part", "row", "link", "source_id"],
    )?;
    // For the combined layout: each person's, organization's and deal's own source id and row.
    let combined = profile.options.layout == crate::profile::OutputLayout::Combined;
    let mut own_ids = if combined {
        Some(sidecar(
            &staging,
            ".own-ids.csv",
            &["file", "part", "row", "source_id"],
        )?)
    } else {
        None
    };
    let mut tally = Tally::default();
    let mut census = NameCensus::default();
    let mut referenced: HashMap<(Entity, u64), String> = HashMap::new();
    let mut written_secondaries: HashSet<u64> = HashSet::new();
    let mut bytes_done = 0u64;
    let option_fields: HashSet<(Entity, String)> = plans
        .iter()
        .flat_map(|p| p.rules.iter().chain(&p.split_rules))
        .filter_map(|r| match r {
            Rule::Set {
                target:
                    crate::Target::Custom {
                        entity,
                        name,
                        part: None,
                    },
                conv: super::plan::Conv::Values | super::plan::Conv::Labels(_),
                ..
            } => Some((*entity, name.clone())),
            _ => None,
        })
        .collect();
    // Per entity, per output column: does it hold a custom option field (looked up per cell).
    let option_fields: HashMap<Entity, Vec<bool>> = layouts
        .iter()
        .map(|l| (l.entity, l.slots.iter().map(|s| matches!(s, Slot::Custom { name: n, part: None } if option_fields.contains(&(l.entity, n.clone())))).collect()))
        .collect();
    let escape = opts.escape_formulas || profile.options.escape_formulas;
    let column_merges: HashMap<Entity, Vec<ColumnMerge>> = if duplicates.iter().any(Option::is_some)
    {
        layouts
            .iter()
            .map(|l| (l.entity, column_merges(l)))
            .collect()
    } else {
        HashMap::new()
    };
    tally.files = plans
        .iter()
        .map(|p| FileCounts::new(&p.file, p.entity))
        .collect();
    tally.columns = plans
        .iter()
        .map(|p| vec![Default::default(); p.headers.len()])
        .collect();

    for &i in &order {
        let plan = &plans[i];
        let converter = Converter {
            layouts: &layouts,
            maps: &maps,
            index: &index,
        };
        let mut sink = RowSink {
            file_index: i,
            plan,
            layouts: &layouts,
            writers: &mut writers,
            rejects: &mut rejects,
            warnings: &mut warnings,
            tally: &mut tally,
            census: &mut census,
            referenced: &mut referenced,
            written_secondaries: &mut written_secondaries,
            escape,
            links: &mut links,
            option_fields: &option_fields,
            duplicates: duplicates[i].as_ref(),
            renames: &renames,
            column_merges: &column_merges,
            own_ids: own_ids.as_mut().map(|(_, w)| w),
        };
        let source = &mut opened[i];
        let mut seen_bytes = 0u64;
        while let Some(record) = source.next_record()? {
            let result = converter.convert(plan, &record);
            seen_bytes += record_bytes(&record);
            sink.take(&record, result, &converter)?;
            if seen_bytes > 1 << 20 {
                bytes_done += seen_bytes;
                seen_bytes = 0;
                if let Some(progress) = opts.progress {
                    progress(bytes_done.min(total_bytes), total_bytes);
                }
            }
        }
        bytes_done += seen_bytes;
    }
    if let Some(progress) = opts.progress {
        progress(total_bytes, total_bytes);
    }
    // Organizations and persons that rows link to by name but no row describes: written with
    // just their name, so every link of the output lands on a record of the output.
    let mut missing: Vec<((Entity, u64), String)> = referenced
        .into_iter()
        .filter(|((e, _), name)| !census.has(*e, name))
        .collect();
    missing.sort_by(|a, b| (a.0.0, &a.1).cmp(&(b.0.0, &b.1)));
    for ((entity, _), name) in missing {
        let Some(l) = layouts.iter().find(|l| l.entity == entity) else {
            continue;
        };
        let mut cells = vec![String::new(); l.slots.len()];
        if let Some(c) = l.field(layout::name_key(entity)) {
            cells[c] = name.clone();
        }
        // A name that is another spelling of an existing record (case, accents, text damaged
        // by a wrong encoding) is most likely a link to that record: said, not written quietly.
        if let Some(existing) = census.spelled_like(entity, &name) {
            let reason = format!(
                "written because rows link to this name and no row describes it, but it looks like the existing {entity} “{existing}” (another spelling, or text damaged by a wrong encoding); check the rows that link to it"
            );
            warnings
                .write_record(["", "", entity.as_str(), "", name.as_str(), reason.as_str()])
                .map_err(|e| csv_io(&warnings_path, e))?;
            tally.suspect_created.push((entity, name.clone(), existing));
        }
        let examples = tally.created_examples.entry(entity).or_default();
        if examples.len() < super::tally::EXAMPLES {
            examples.push(name.clone());
        }
        census.record(entity, &name);
        *tally.created_for_links.entry(entity).or_default() += 1;
        *tally.records.entry(entity).or_default() += 1;
        writers
            .get_mut(&entity)
            .expect("writer")
            .write(&cells)
            .map_err(out_err(&opts.out))?;
    }
    links.flush().map_err(out_err(&links_path))?;
    drop(links);
    rejects.flush().map_err(out_err(&rejects_path))?;
    warnings.flush().map_err(out_err(&warnings_path))?;
    drop(rejects);
    drop(warnings);
    let mut outputs = Vec::new();
    let mut entities: Vec<Entity> = writers.keys().copied().collect();
    entities.sort();
    for entity in entities {
        let writer = writers.remove(&entity).expect("writer");
        for (file, rows) in writer.finish().map_err(out_err(&opts.out))? {
            outputs.push(OutputFile { file, entity, rows });
        }
    }
    let ambiguous = census.ambiguous();
    // What the rows needed is done with: free it before the combined layout's own tables.
    let merges: Vec<_> = duplicates
        .iter()
        .flatten()
        .flat_map(|d| d.merges.iter().cloned())
        .collect();
    drop(census);
    drop(index);
    drop(duplicates);
    let combined = match own_ids {
        Some((path, mut w)) => {
            w.flush().map_err(out_err(&path))?;
            drop(w);
            Some(
                super::combined::fold(&staging.path(""), &layouts, &mut outputs, &path)
                    .map_err(out_err(&opts.out))?,
            )
        }
        None => None,
    };
    let links = link_audit(&tally, &ambiguous);
    let summary = Summary {
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
    };
    let source_notes = opts
        .notes
        .iter()
        .cloned()
        .chain(opened.iter().flat_map(|o| {
            o.table
                .notes()
                .into_iter()
                .map(|w| format!("{}: {w}", o.table.name))
        }))
        .collect();
    let mut export = Export {
        earlier_export: None,
        source_notes,
        merges,
        drift,
        summary,
        tally,
        plans,
        layouts,
        ambiguous,
    };
    super::finish::write_rest(&staging, &export, profile, schema, opts)?;
    // The sources are read more than once (samples, duplicates, links, the export): a file
    // written to meanwhile would give counts and links that do not belong together.
    for (source, before) in sources.iter().zip(&fingerprints) {
        if source.fingerprint()? != *before {
            return Err(SourceError::Changed {
                file: source.name.clone(),
            }
            .into());
        }
    }
    export.earlier_export = staging.commit().map_err(out_err(&opts.out))?.earlier;
    Ok(export)
}

/// Reads a source through to decide the decimal convention of its number and money columns
/// from all their values (the sample alone may hold no value that tells, or only one kind).
fn confirm_decimal_styles(source: &SourceRef, plan: &mut FilePlan) -> Result<(), ApplyError> {
    let columns = plan.decimal_columns();
    if columns.is_empty() {
        return Ok(());
    }
    let mut evidence = vec![crate::values::DecimalEvidence::default(); columns.len()];
    let mut fresh = open(source)?;
    while let Some(record) = fresh.next_record()? {
        for (e, &c) in evidence.iter_mut().zip(&columns) {
            if let Some(value) = record.fields.get(c) {
                e.add(value);
            }
        }
    }
    for (e, &c) in evidence.iter().zip(&columns) {
        plan.set_decimal_style(c, e.style());
    }
    Ok(())
}

/// Every link of the export by how it was resolved, with a few examples of each kind.
fn link_audit(tally: &Tally, ambiguous: &[(Entity, String, u32, u32)]) -> LinkAudit {
    LinkAudit {
        by_id: tally.links_by_id,
        by_name: tally.links_by_name,
        ambiguous: ambiguous.iter().map(|a| u64::from(a.3)).sum(),
        unresolved: tally.unresolved_links,
        created_for_links: tally.created_for_links.values().sum(),
        suspect_created: tally.suspect_created.len() as u64,
        examples: LinkExamples {
            unresolved: tally.unresolved_examples.clone(),
            ambiguous: ambiguous
                .iter()
                .take(super::tally::EXAMPLES)
                .map(|(e, name, records, _)| format!("{e} “{name}” ({records} records)"))
                .collect(),
            created_for_links: tally
                .created_examples
                .iter()
                .flat_map(|(e, names)| names.iter().map(move |n| format!("{e} “{n}”")))
                .take(super::tally::EXAMPLES)
                .collect(),
            suspect_created: tally
                .suspect_created
                .iter()
                .take(super::tally::EXAMPLES)
                .map(|(e, name, existing)| format!("{e} “{name}” (like “{existing}”)"))
                .collect(),
        },
    }
}

/// A CSV file written beside the entity files (rejects, warnings, links), with its header.
fn sidecar(
    staging: &Staging,
    name: &str,
    header: &[&str],
) -> Result<(PathBuf, csv::Writer<std::fs::File>), ApplyError> {
    let path = staging.path(name);
    let mut writer = csv::Writer::from_path(&path).map_err(|e| csv_io(&path, e))?;
    writer.write_record(header).map_err(|e| csv_io(&path, e))?;
    Ok((path, writer))
}

fn csv_io(path: &Path, e: csv::Error) -> ApplyError {
    ApplyError::Output {
        path: path.display().to_string(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn record_bytes(record: &Record) -> u64 {
    record.fields.as_slice().len() as u64 + record.fields.len() as u64
}

/// How other rows see a converted record.
fn linked(layouts: &[Layout], d: &Draft) -> Linked {
    let l = layouts
        .iter()
        .find(|l| l.entity == d.entity)
        .expect("layout");
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Linked {
        entity: d.entity,
        name: d.name(l).to_string(),
        organization: text(d.link(l, Entity::Organization)),
        person: text(d.link(l, Entity::Person)),
        id: String::new(),
    }
}

/// Where converted rows go: output files, rejects, warnings, and the counts.
struct RowSink<'a> {
    file_index: usize,
    plan: &'a FilePlan,
    layouts: &'a [Layout],
    writers: &'a mut HashMap<Entity, PartWriter>,
    rejects: &'a mut csv::Writer<std::fs::File>,
    warnings: &'a mut csv::Writer<std::fs::File>,
    tally: &'a mut Tally,
    census: &'a mut NameCensus,
    referenced: &'a mut HashMap<(Entity, u64), String>,
    written_secondaries: &'a mut HashSet<u64>,
    escape: bool,
    links: &'a mut csv::Writer<std::fs::File>,
    /// Custom fields whose values are options to create (enum, set).
    option_fields: &'a HashMap<Entity, Vec<bool>>,
    /// This file's duplicates to merge or drop.
    duplicates: Option<&'a FileDuplicates>,
    /// Where the combined layout learns each record's output row (None: separate layout).
    own_ids: Option<&'a mut csv::Writer<std::fs::File>>,
    /// Names of merged records → their survivors' names, which links follow.
    renames: &'a HashMap<(Entity, u64), String>,
    /// How a merge fills each column, per entity (computed once, for survivors' rows).
    column_merges: &'a HashMap<Entity, Vec<ColumnMerge>>,
}

/// Most options pipemap lists for one custom field.
const MAX_OPTIONS: usize = 500;

impl RowSink<'_> {
    fn take(
        &mut self,
        record: &Record,
        mut result: RowResult,
        converter: &Converter,
    ) -> Result<(), ApplyError> {
        let counts = &mut self.tally.files[self.file_index];
        counts.rows_in += 1;
        let columns = &mut self.tally.columns[self.file_index];
        for (c, value) in record.fields.iter().enumerate().take(columns.len()) {
            if !value.trim().is_empty() {
                columns[c].filled += 1;
            }
        }
        let entity = result.primary.entity;
        let line = record.line.to_string();
        let row_index = counts.rows_in as usize - 1;
        let identity = self
            .duplicates
            .map(|d| d.identities.get(row_index))
            .filter(|i| !i.is_empty());
        if let (Some(d), Some(id)) = (self.duplicates, identity) {
            if d.plan.absorbed.contains_key(id) {
                counts.merged += 1;
                return Ok(());
            }
            if d.plan.dropped.contains(id) {
                counts.rejected += 1;
                let p = Problem {
                    column: String::new(),
                    value: id.to_string(),
                    reason: "dropped as a duplicate (the profile's decision)".into(),
                };
                return self.problem(true, &line, entity, &p);
            }
            if let Some(m) = d.plan.merged.get(id) {
                let layout = self.layout(entity);
                let absorbed: Vec<Absorbed> = d
                    .absorbed_rows
                    .get(id)
                    .into_iter()
                    .flatten()
                    .map(|(identity, row)| Absorbed {
                        identity,
                        line: row.line,
                        draft: converter.convert(self.plan, row).primary,
                    })
                    .filter(|a| a.draft.entity == entity)
                    .collect();
                let left = fold_absorbed(
                    layout,
                    &self.column_merges[&entity],
                    &mut result.primary,
                    id,
                    record.line,
                    &absorbed,
                    &m.fields,
                );
                result.warnings.extend(left);
                unite(layout, &mut result.primary, "email", &m.emails);
                unite(layout, &mut result.primary, "phone", &m.phones);
                if !m.labels.is_empty()
                    && let Some(c) = layout.field("label")
                {
                    result.primary.cells[c] = m.labels.join(", ");
                }
            }
        }
        let counts = &mut self.tally.files[self.file_index];
        if !result.rejects.is_empty() {
            counts.rejected += 1;
            // The reasons first, then what else went wrong on the row (it often explains them).
            for p in result.rejects.iter().chain(&result.warnings) {
                self.problem(true, &line, entity, p)?;
            }
            return Ok(());
        }
        counts.rows_out += 1;
        if entity != self.plan.entity {
            counts.split_rows += 1;
        }
        if !result.warnings.is_empty() {
            counts.with_warnings += 1;
        }
        let warnings = std::mem::take(&mut result.warnings);
        for p in &warnings {
            if let Some(c) = self.plan.headers.iter().position(|h| *h == p.column) {
                self.tally.columns[self.file_index][c].problems += 1;
            }
            self.problem(false, &line, entity, p)?;
        }
        self.tally.unresolved_links += u64::from(result.unresolved_links);
        self.tally.links_by_id += u64::from(result.links_by_id);
        self.tally.links_by_name += u64::from(result.links_by_name);
        for p in warnings
            .iter()
            .filter(|p| p.reason.contains(super::row::LINK_LEFT_OUT))
        {
            if self.tally.unresolved_examples.len() < super::tally::EXAMPLES {
                let file = self.plan.file_name();
                self.tally
                    .unresolved_examples
                    .push(format!("{file}:{line} {}={}", p.column, p.value));
            }
        }
        for (target, value) in std::mem::take(&mut result.unmapped_values) {
            self.tally.unmapped_value(target, value);
        }
        let mut primary = result.primary;
        for d in std::mem::take(&mut result.secondaries) {
            let layout = self.layout(d.entity);
            let name = d.name(layout).to_string();
            let only_name = d.cells.iter().filter(|c| !c.is_empty()).count() <= 1;
            if only_name {
                continue; // written at the end if no row describes it
            }
            if self.census.has(d.entity, &name) {
                // The record exists already: keep what this row adds in the row's own note.
                let primary_layout = self.layout(primary.entity);
                if let Some(col) = primary_layout.column(&Slot::Note) {
                    let extra: Vec<String> = layout
                        .headers
                        .iter()
                        .zip(&d.cells)
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(h, v)| format!("{h}: {v}"))
                        .collect();
                    let cell = &mut primary.cells[col];
                    for line in extra {
                        if !cell.is_empty() {
                            cell.push('\n');
                        }
                        cell.push_str(&line);
                    }
                }
                continue;
            }
            if self.written_secondaries.insert(content_hash(&d.cells)) {
                self.write(d)?;
            }
        }
        let entity = primary.entity;
        let (part, row) = self.write(primary)?;
        if let (Some(w), Some(id)) = (self.own_ids.as_deref_mut(), &result.source_id)
            && matches!(entity, Entity::Person | Entity::Organization | Entity::Deal)
        {
            w.write_record([
                entity.file_stem(),
                &part.to_string(),
                &row.to_string(),
                id.as_str(),
            ])
            .map_err(|e| csv_io(Path::new(".own-ids.csv"), e))?;
        }
        Ok(())
    }

    fn layout(&self, entity: Entity) -> &Layout {
        self.layouts
            .iter()
            .find(|l| l.entity == entity)
            .expect("layout")
    }

    /// Writes a record; returns its part and row in its output file.
    fn write(&mut self, mut d: Draft) -> Result<(usize, u64), ApplyError> {
        let layouts: &[Layout] = self.layouts;
        let layout = layouts
            .iter()
            .find(|l| l.entity == d.entity)
            .expect("layout");
        self.census.record(d.entity, d.name(layout));
        *self.tally.records.entry(d.entity).or_default() += 1;
        let options = &self.option_fields[&d.entity];
        for (column, (slot, cell)) in layout.slots.iter().zip(d.cells.iter_mut()).enumerate() {
            if cell.is_empty() {
                continue;
            }
            match slot {
                Slot::Link(to) => {
                    if let Some(survivor) = self.renames.get(&(*to, super::links::name_key(cell))) {
                        cell.clone_from(survivor);
                    }
                    self.census.link(*to, cell);
                    if matches!(to, Entity::Organization | Entity::Person) {
                        let key = (*to, super::links::name_key(cell));
                        self.referenced.entry(key).or_insert_with(|| cell.clone());
                    }
                }
                Slot::Field { key, .. } => self.note_vocabulary(d.entity, key, cell),
                Slot::Custom { name, .. } if options[column] => {
                    let options = self
                        .tally
                        .custom_options
                        .entry((d.entity, name.clone()))
                        .or_default();
                    for option in cell.split(", ") {
                        if options.len() < MAX_OPTIONS && !options.contains(option) {
                            options.insert(option.to_string());
                        }
                    }
                }
                _ => {}
            }
            if is_formula(cell) {
                self.tally.formula_cells += 1;
                if self.escape {
                    cell.insert(0, '\'');
                }
            }
        }
        if d.entity == Entity::Deal
            && let (Some(s), Some(p)) = (layout.field("stage_id"), layout.field("pipeline_id"))
            && !d.cells[s].is_empty()
        {
            self.tally
                .stages
                .insert((d.cells[p].clone(), d.cells[s].clone()));
        }
        let path = self.plan.file.clone();
        let (part, row) = self
            .writers
            .get_mut(&d.entity)
            .expect("writer")
            .write(&d.cells)
            .map_err(|source| ApplyError::Output { path, source })?;
        for (to, id) in &d.link_ids {
            let (part, row) = (part.to_string(), row.to_string());
            self.links
                .write_record([
                    d.entity.file_stem(),
                    part.as_str(),
                    row.as_str(),
                    to.as_str(),
                    id.as_str(),
                ])
                .map_err(|e| ApplyError::Output {
                    path: "links.csv".into(),
                    source: std::io::Error::other(e.to_string()),
                })?;
        }
        Ok((part, row))
    }

    fn note_vocabulary(&mut self, entity: Entity, key: &str, value: &str) {
        match key {
            "type" if entity == Entity::Activity && !self.tally.activity_types.contains(value) => {
                self.tally.activity_types.insert(value.to_string());
            }
            "label" => {
                let known = self.tally.labels.entry(entity).or_default();
                for label in value.split(", ") {
                    if !known.contains(label) {
                        known.insert(label.to_string());
                    }
                }
            }
            "owner_id" if !self.tally.owners.contains(value) => {
                self.tally.owners.insert(value.to_string());
            }
            _ => {}
        }
    }

    fn problem(
        &mut self,
        reject: bool,
        line: &str,
        entity: Entity,
        p: &Problem,
    ) -> Result<(), ApplyError> {
        // These files are opened in spreadsheets too: the source's own text is guarded alike.
        let escape = self.escape;
        let guard = |text: &str| {
            if escape && is_formula(text) {
                format!("'{text}")
            } else {
                text.to_string()
            }
        };
        let writer = if reject {
            &mut *self.rejects
        } else {
            &mut *self.warnings
        };
        writer
            .write_record([
                guard(&self.plan.file).as_str(),
                line,
                entity.as_str(),
                guard(&p.column).as_str(),
                guard(&p.value).as_str(),
                p.reason.as_str(),
            ])
            .map_err(|e| ApplyError::Output {
                path: if reject {
                    "rejects.csv".into()
                } else {
                    "warnings.csv".into()
                },
                source: std::io::Error::other(e.to_string()),
            })
    }
}

fn content_hash(cells: &[String]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    cells.hash(&mut h);
    h.finish()
}

/// Writes a merged record's united values of a multi field (e-mails, phones) onto its labels,
/// in order; what does not fit joins the note.
fn unite(layout: &Layout, d: &mut Draft, key: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    let columns: Vec<usize> = layout
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, Slot::Field { key: k, .. } if k == key))
        .map(|(i, _)| i)
        .collect();
    if columns.is_empty() {
        return;
    }
    for &c in &columns {
        d.cells[c].clear();
    }
    for (value, &c) in values.iter().zip(&columns) {
        d.cells[c] = value.clone();
    }
    if values.len() > columns.len()
        && let Some(note) = layout.column(&Slot::Note)
    {
        let rest = values[columns.len()..].join(", ");
        let cell = &mut d.cells[note];
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(&format!("{key}: {rest}"));
    }
}

/// A cell a spreadsheet program would evaluate: it opens with = + - @ or a tab/CR, and is not
/// a plain (negative) number.
pub fn is_formula(cell: &str) -> bool {
    let Some(first) = cell.chars().next() else {
        return false;
    };
    if !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') {
        return false;
    }
    let rest = &cell[first.len_utf8()..];
    let numeric = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ' ' | '(' | ')' | '-'));
    !((first == '-' || first == '+') && numeric)
}
