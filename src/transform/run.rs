//! One export run, owned whole (as ripgrep's `SearchWorker` in crates/core/search.rs owns its
//! matcher, searcher and printer): the sources, the plans compiled against them, the output
//! layouts, the value maps, the link index, the duplicates and the counts. Its steps run in
//! order: prepare, check drift, find duplicates, index links, convert each file, write the
//! records only links refer to, finish.

use std::cell::RefCell;
use std::collections::HashSet;

use rustc_hash::FxHashMap;

use crate::entity::Entity;
use crate::profile::Profile;
use crate::profile::drift::Drift;
use crate::schema::Schema;
use crate::source::{Record, SourceRef};

use super::duplicates::FileDuplicates;
use super::engine::{ApplyError, ApplyOptions, DriftPolicy};
use super::index_read::{Entry, IndexRead, index_entry};
use super::layout::{self, Layout, Slot};
use super::links::LinkIndex;
use super::opened::{Opened, Spare, confirm_decimal_styles, record_bytes};
use super::outputs::Outputs;
use super::plan::{self, Conv, FilePlan, Rule};
use super::pool;
use super::route::{RouteContext, RowDecision, route};
use super::row::Converter;
use super::rows::{RowAt, RowState, WriteRules, filled_mask};
use super::survivor::{ColumnMerge, column_merges};
use super::tally::FileCounts;
use super::vocab::ValueMaps;
use super::writer::Staging;

/// What the row steps read that the plans decide once: fixed after `prepare`.
pub(super) struct Lookups {
    /// Per entity, the output columns whose values the tallies note: activity types, labels,
    /// owners and the options of custom option fields.
    pub noted_columns: FxHashMap<Entity, Vec<usize>>,
    /// Names of merged records → their survivors' names.
    pub renames: FxHashMap<(Entity, u64), String>,
    /// How a merge fills each column, per entity (only when some file has duplicates).
    pub column_merges: FxHashMap<Entity, Vec<ColumnMerge>>,
    pub escape: bool,
}

/// An export between its steps.
pub(super) struct ExportRun<'a> {
    pub profile: &'a Profile,
    pub opts: &'a ApplyOptions<'a>,
    pub sources: Vec<SourceRef>,
    pub opened: Vec<Opened>,
    pub plans: Vec<FilePlan>,
    pub drift: Vec<Drift>,
    pub layouts: Vec<Layout>,
    pub maps: ValueMaps,
    pub index: LinkIndex,
    pub duplicates: Vec<Option<FileDuplicates>>,
    pub lookups: Lookups,
    pub rows: RowState,
    /// The files in import order: organizations, persons, deals, leads, activities, notes,
    /// products.
    pub order: Vec<usize>,
    /// Per file: indexed by id as it is converted rather than read beforehand (no row of it
    /// or of an earlier file links to its records).
    pub indexed_later: Vec<bool>,
    /// The link index as the duplicate search's read of file `.0` left it, when that read
    /// indexed the file too (the first the index reads, so nothing else goes in before it).
    index_read_early: Option<(usize, LinkIndex)>,
    bytes_done: u64,
    total_bytes: u64,
}

impl<'a> ExportRun<'a> {
    /// Opens every source, compiles its plan against its headers and first rows, and notes how
    /// it differs from the profile.
    pub fn prepare(
        sources: Vec<SourceRef>,
        profile: &'a Profile,
        schema: &Schema,
        opts: &'a ApplyOptions<'a>,
    ) -> Result<ExportRun<'a>, ApplyError> {
        let mut opened = open_parked(&sources)?;
        let (mut plans, drift) = compile_plans(&sources, &mut opened, profile, schema)?;
        let mut layouts = layout::build(schema, &plans);
        super::tags::widen(&mut layouts, schema, &opts.labels);
        for plan in &mut plans {
            plan.locate_slots(&layouts);
        }
        let mut maps = ValueMaps::new(profile, schema);
        maps.owners_from = opts.owners_from.clone();
        maps.labels = opts.labels.clone();
        let mut order: Vec<usize> = (0..plans.len()).collect();
        order.sort_by_key(|&i| (plans[i].entity, i));
        let total_bytes = sources.iter().filter_map(SourceRef::size_hint).sum();
        let lookups = Lookups {
            noted_columns: noted_columns(&plans, &layouts),
            renames: FxHashMap::default(),
            column_merges: FxHashMap::default(),
            escape: opts.escape_formulas || profile.options.escape_formulas,
        };
        let rows = RowState::new(&plans);
        let plans_len = plans.len();
        Ok(ExportRun {
            profile,
            opts,
            sources,
            opened,
            plans,
            drift,
            layouts,
            maps,
            index: LinkIndex::default(),
            duplicates: Vec::new(),
            lookups,
            rows,
            indexed_later: vec![false; plans_len],
            index_read_early: None,
            order,
            bytes_done: 0,
            total_bytes,
        })
    }

    /// Refuses files that drifted from a saved profile, unless the export is to go ahead.
    pub fn check_drift(&self) -> Result<(), ApplyError> {
        let unresolved: Vec<String> = self
            .drift
            .iter()
            .filter(|d| d.needs_review())
            .flat_map(|d| d.lines())
            .collect();
        if self.opts.drift == DriftPolicy::Refuse && !unresolved.is_empty() {
            return Err(ApplyError::Drift(unresolved.join("\n  ")));
        }
        Ok(())
    }

    /// Finds the duplicates the profile asks to merge or drop, before anything is written.
    pub fn find_duplicates(&mut self) -> Result<(), ApplyError> {
        // The file the link index reads first is indexed by the same read.
        let index_first = self
            .index_reads()
            .into_iter()
            .find(|&(_, later)| !later)
            .map(|(i, _)| i);
        let mut duplicates = Vec::with_capacity(self.plans.len());
        for (i, (source, plan)) in self.sources.iter().zip(&self.plans).enumerate() {
            if index_first != Some(i) {
                duplicates.push(super::duplicates::find(source, plan, self.profile, None)?);
                continue;
            }
            let index = self.index.clone();
            let (read, mut taken) = IndexRead::new(plan, &self.layouts, &self.maps, index);
            let found =
                super::duplicates::find(source, plan, self.profile, Some((&read, &mut taken)))?;
            if found.is_some() {
                self.index_read_early = Some((i, read.finish(taken)));
            }
            duplicates.push(found);
        }
        self.duplicates = duplicates;
        self.lookups.renames = self
            .duplicates
            .iter()
            .flatten()
            .flat_map(|d| d.renames.iter())
            .map(|(e, from, to)| ((*e, super::links::name_key(from)), to.clone()))
            .collect();
        if self.duplicates.iter().any(Option::is_some) {
            self.lookups.column_merges = self
                .layouts
                .iter()
                .map(|l| (l.entity, column_merges(l)))
                .collect();
        }
        Ok(())
    }

    /// Reads the files other rows link to by id (organizations, persons, deals, leads with an
    /// id column), when some rule links by id, so a link finds its record whatever the order.
    pub fn index_links(&mut self) -> Result<(), ApplyError> {
        for (i, later) in self.index_reads() {
            if later {
                self.indexed_later[i] = true;
                continue;
            }
            self.index_file(i)?;
            self.alias_merged(i);
        }
        Ok(())
    }

    /// The files the link index holds, in import order, each with whether it is indexed as
    /// it is converted (true) rather than read beforehand; none when no rule links by id.
    fn index_reads(&self) -> Vec<(usize, bool)> {
        let needs_index = self.plans.iter().any(|p| {
            p.rules.iter().chain(&p.split_rules).any(|r| {
                matches!(
                    r,
                    Rule::LinkBy { .. } | Rule::LinkAny { .. } | Rule::Link { by_id: true, .. }
                )
            })
        });
        if !needs_index {
            return Vec::new();
        }
        let indexed: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&i| is_indexed(&self.plans[i]))
            .collect();
        indexed
            .iter()
            .enumerate()
            .map(|(at, &i)| {
                let later =
                    indexed_while_converted(&self.plans, &self.order, &indexed[at + 1..], i);
                (i, later)
            })
            .collect()
    }

    /// Links by id to a record of file `i` merged into another land on the survivor.
    fn alias_merged(&mut self, i: usize) {
        if let Some(d) = &self.duplicates[i] {
            for (absorbed, survivor) in &d.plan.absorbed {
                self.index.alias(self.plans[i].entity, absorbed, survivor);
            }
        }
    }

    /// Indexes file `i`'s records by their ids (see [`IndexRead`]), unless the duplicate
    /// search already did as it read the file.
    fn index_file(&mut self, i: usize) -> Result<(), ApplyError> {
        if let Some(index) = self.index_read_early.take_if(|(file, _)| *file == i) {
            self.index = index.1;
            return Ok(());
        }
        let (read, mut taken) = IndexRead::new(
            &self.plans[i],
            &self.layouts,
            &self.maps,
            std::mem::take(&mut self.index),
        );
        let result = Opened::open(&self.sources[i]).and_then(|mut fresh| {
            pool::ordered_map(
                pool::workers(),
                pool::CHUNK_ROWS,
                || fresh.next_record(),
                |record| {
                    let entry = read.entry(&record);
                    (record, entry)
                },
                |(record, entry)| {
                    read.take(&mut taken, &record, entry);
                    Ok(())
                },
            )
        });
        self.index = read.finish(taken);
        result
    }

    /// Opens the output files in `staging`.
    pub fn open_outputs(&self, staging: &Staging) -> Result<Outputs, ApplyError> {
        let combined = self.profile.options.layout == crate::profile::OutputLayout::Combined;
        Outputs::create(staging, &self.layouts, combined, self.lookups.escape)
    }

    /// Converts every row of file `i` and writes what each becomes: rows are read and written
    /// on this thread and converted on worker threads between (`pool`), in the file's order.
    pub fn convert_file(&mut self, i: usize, out: &mut Outputs) -> Result<(), ApplyError> {
        let plan = &self.plans[i];
        let rules = WriteRules {
            layouts: &self.layouts,
            noted_columns: &self.lookups.noted_columns,
            renames: &self.lookups.renames,
            escape: self.lookups.escape,
        };
        // A file no earlier row links to is indexed as it is converted, not read beforehand.
        let index_now = self.indexed_later[i];
        let work = RowWork {
            plan,
            converter: Converter {
                layouts: &self.layouts,
                maps: &self.maps,
                index: &self.index,
            },
            rules: &rules,
            ctx: RouteContext {
                layouts: &self.layouts,
                duplicates: self.duplicates.get(i).and_then(Option::as_ref),
                column_merges: &self.lookups.column_merges,
            },
            index_now,
        };
        let opened = self.opened[i].unparked(&self.sources[i])?;
        let rows = &mut self.rows;
        let mut progress = Progress {
            report: self.opts.progress,
            done: &mut self.bytes_done,
            total: self.total_bytes,
            unreported: 0,
        };
        let mut added = LinkIndex::default();
        let mut read = 0usize;
        // Records handed back once taken, read into again.
        let spare = RefCell::new(Spare::default());
        pool::ordered_map(
            pool::workers(),
            pool::CHUNK_ROWS,
            || {
                let next = opened.next_record_reusing(spare.borrow_mut().take())?;
                read += 1;
                Ok::<_, ApplyError>(next.map(|record| (read - 1, record)))
            },
            |(row_index, record)| work.row(row_index, record),
            |((record, filled), indexed, decision)| {
                progress.advance(record_bytes(&record));
                if let Some((id, linked)) = indexed {
                    added.insert(plan.entity, &id, &linked);
                }
                rows.count_row(i, &record, filled);
                let at = RowAt {
                    file_index: i,
                    plan,
                    line: record.line,
                };
                spare.borrow_mut().give(record);
                rows.take(&at, decision, &rules, out)
            },
        )?;
        progress.flush();
        if index_now {
            self.index.append(added);
            self.alias_merged(i);
        }
        Ok(())
    }

    /// Says the rows are all read.
    pub fn rows_done(&self) {
        if let Some(progress) = self.opts.progress {
            progress(self.total_bytes, self.total_bytes);
        }
    }

    /// Organizations and persons that rows link to by name but no row describes: written with
    /// just their name, so every link of the output lands on a record of the output.
    pub fn write_referenced_only(&mut self, out: &mut Outputs) -> Result<(), ApplyError> {
        let census = &self.rows.census;
        let mut missing: Vec<((Entity, u64), String)> = std::mem::take(&mut self.rows.referenced)
            .into_iter()
            .filter(|((e, _), name)| !census.has(*e, name))
            .collect();
        missing.sort_by(|a, b| (a.0.0, &a.1).cmp(&(b.0.0, &b.1)));
        for ((entity, _), name) in missing {
            let Some(l) = self.layouts.iter().find(|l| l.entity == entity) else {
                continue;
            };
            let mut cells = vec![String::new(); l.slots.len()];
            if let Some(c) = l.field(layout::name_key(entity)) {
                cells[c] = name.clone();
            }
            self.created_for_links(entity, &name, out)?;
            out.record(entity, &cells)?;
        }
        Ok(())
    }

    /// Counts a record created for links; one whose name is another spelling of an existing
    /// record's (case, accents, text damaged by a wrong encoding) is most likely a link to that
    /// record: said in warnings.csv, not written quietly.
    fn created_for_links(
        &mut self,
        entity: Entity,
        name: &str,
        out: &mut Outputs,
    ) -> Result<(), ApplyError> {
        let tally = &mut self.rows.tally;
        if let Some(existing) = self.rows.census.spelled_like(entity, name) {
            let reason = format!(
                "written because rows link to this name and no row describes it, but it looks like the existing {entity} “{existing}” (another spelling, or text damaged by a wrong encoding); check the rows that link to it"
            );
            out.record_warning(entity, name, &reason)?;
            tally
                .suspect_created
                .push((entity, name.to_string(), existing));
        }
        let examples = tally.created_examples.entry(entity).or_default();
        if examples.len() < super::tally::EXAMPLES {
            examples.push(name.to_string());
        }
        self.rows.census.record(entity, name);
        *tally.created_for_links.entry(entity).or_default() += 1;
        *tally.records.entry(entity).or_default() += 1;
        Ok(())
    }
}

impl RowState {
    /// The state of an export of these files, before its first row.
    fn new(plans: &[FilePlan]) -> RowState {
        let mut state = RowState::default();
        state.tally.files = plans
            .iter()
            .map(|p| FileCounts::new(&p.file, p.entity))
            .collect();
        state.tally.columns = plans
            .iter()
            .map(|p| vec![Default::default(); p.headers.len()])
            .collect();
        state
    }
}

/// Per entity, per output column: does it hold a custom field whose values are options to
/// create (enum, set), looked up per cell.
/// What the worker threads work out for each row of a file: everything about it that the rows
/// before it cannot change (its conversion, its link-index entry, its route, its output line).
struct RowWork<'r> {
    plan: &'r FilePlan,
    converter: Converter<'r>,
    rules: &'r WriteRules<'r>,
    ctx: RouteContext<'r>,
    /// Whether the file is indexed for links as it is converted.
    index_now: bool,
}

impl RowWork<'_> {
    /// Row `row_index` (0-based) worked out, handed back with its record and the columns it
    /// fills ([`filled_mask`]).
    fn row(
        &self,
        row_index: usize,
        record: Record,
    ) -> ((Record, Option<u128>), Entry, RowDecision) {
        let result = self.converter.convert(self.plan, &record);
        let indexed = self
            .index_now
            .then(|| index_entry(self.ctx.layouts, &result))
            .flatten();
        let absorbed = |r: &Record| self.converter.convert(self.plan, r).primary;
        let mut decision = route(&self.ctx, result, record.line, row_index, absorbed);
        if let RowDecision::Write(w) = &mut decision {
            w.prepare(self.rules);
        }
        let filled = filled_mask(&record, self.plan.headers.len());
        ((record, filled), indexed, decision)
    }
}

/// Opens every source and reads its first rows. Each source is held open only while a step
/// reads it: a source not read whole is closed after its first rows (and opened again when its
/// turn comes), so an archive of thousands of members never holds them all at once.
fn open_parked(sources: &[SourceRef]) -> Result<Vec<Opened>, ApplyError> {
    let mut opened: Vec<Opened> = Vec::with_capacity(sources.len());
    for source in sources {
        let mut o = Opened::open(source)?;
        o.park();
        opened.push(o);
    }
    Ok(opened)
}

/// Each source's plan, compiled against its first rows for the profile's file mapping it
/// matches, and how its columns drifted from the mapping's.
fn compile_plans(
    sources: &[SourceRef],
    opened: &mut [Opened],
    profile: &Profile,
    schema: &Schema,
) -> Result<(Vec<FilePlan>, Vec<Drift>), ApplyError> {
    let headers: Vec<(String, Vec<String>)> = opened
        .iter()
        .map(|o| (o.table.name.clone(), o.table.headers.clone()))
        .collect();
    let matches = plan::match_files(profile, &headers).map_err(ApplyError::Unmatched)?;
    let mut plans = Vec::with_capacity(opened.len());
    let mut drift = Vec::with_capacity(opened.len());
    for (i, (o, &m)) in opened.iter_mut().zip(&matches).enumerate() {
        let o = o.unparked(&sources[i])?;
        let sample = o.sample();
        let (name, columns) = (&o.table.name, &o.table.headers);
        let mapping = &profile.files[m];
        let mut plan = plan::compile(name, columns, &sample, mapping, profile, schema)?;
        plan.mapping = m;
        if !o.exhausted {
            // The sample proposed each number column's decimal convention; all rows decide.
            confirm_decimal_styles(&sources[i], &mut plan)?;
        }
        plans.push(plan);
        drift.push(crate::profile::drift::detect(
            name, mapping, profile, columns, &sample,
        ));
        o.park();
    }
    Ok((plans, drift))
}

/// Per entity, the output columns whose values the tallies note (see [`Lookups`]).
fn noted_columns(plans: &[FilePlan], layouts: &[Layout]) -> FxHashMap<Entity, Vec<usize>> {
    let named: HashSet<(Entity, String)> = plans
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
                conv: Conv::Values | Conv::Labels(_),
                ..
            } => Some((*entity, name.clone())),
            _ => None,
        })
        .collect();
    let noted = |e: Entity, s: &Slot| match s {
        Slot::Field { key, .. } => {
            (key == "type" && e == Entity::Activity) || key == "label" || key == "owner_id"
        }
        Slot::Custom { name, part: None } => named.contains(&(e, name.clone())),
        _ => false,
    };
    layouts
        .iter()
        .map(|l| {
            let columns = (0..l.slots.len())
                .filter(|&c| noted(l.entity, &l.slots[c]))
                .collect();
            (l.entity, columns)
        })
        .collect()
}

/// The bytes of rows carried out, reported about once per megabyte.
struct Progress<'a> {
    report: Option<&'a dyn Fn(u64, u64)>,
    done: &'a mut u64,
    total: u64,
    unreported: u64,
}

impl Progress<'_> {
    fn advance(&mut self, bytes: u64) {
        self.unreported += bytes;
        if self.unreported > 1 << 20 {
            self.flush();
            if let Some(report) = self.report {
                report((*self.done).min(self.total), self.total);
            }
        }
    }

    fn flush(&mut self) {
        *self.done += std::mem::take(&mut self.unreported);
    }
}

/// Whether file `plan`'s records are indexed by id: organizations, persons, deals and leads
/// with an id column.
fn is_indexed(plan: &FilePlan) -> bool {
    let linkable = matches!(
        plan.entity,
        Entity::Organization | Entity::Person | Entity::Deal | Entity::Lead
    );
    linkable && plan.id_column.is_some()
}

/// The entities a plan's rows look up in the index.
pub(super) fn link_targets(plan: &FilePlan) -> Vec<Entity> {
    let mut targets = Vec::new();
    for rule in plan.rules.iter().chain(&plan.split_rules) {
        match rule {
            Rule::Link { to, .. } => targets.push(*to),
            Rule::LinkAny { to } => targets.extend(to),
            Rule::LinkBy { types, .. } => targets.extend(types.values()),
            _ => {}
        }
    }
    targets
}

/// The entities a lookup may find among file `i`'s records: its own, the one its split rows
/// become, and those other files of its family (its entity) hold.
fn held(plans: &[FilePlan], i: usize) -> Vec<Entity> {
    let family = plans[i].entity;
    let mut held = vec![family];
    held.extend(
        plans
            .iter()
            .filter(|p| p.entity == family)
            .filter_map(|p| p.split.map(|(_, other)| other)),
    );
    held
}

/// Whether file `i` can be indexed as it is converted instead of read beforehand: no row of it
/// or of a file converted before it looks up its records, and its rows look up no record of an
/// indexed file converted after it (`later`) — so every lookup sees the same records either way.
fn indexed_while_converted(plans: &[FilePlan], order: &[usize], later: &[usize], i: usize) -> bool {
    let mine = held(plans, i);
    let upto = order.iter().position(|&f| f == i).map_or(0, |p| p + 1);
    let looked_up_early = order[..upto]
        .iter()
        .any(|&g| link_targets(&plans[g]).iter().any(|t| mine.contains(t)));
    let targets = link_targets(&plans[i]);
    let looks_later = later
        .iter()
        .any(|&h| held(plans, h).iter().any(|e| targets.contains(e)));
    !looked_up_early && !looks_later
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
