//! Everything that touches files, off the UI thread: reading headers and samples, counting rows
//! and distinct values, saving the profile, the recovery file, and the export. Each job runs on
//! its own thread and reports back as [`Message`]s on the UI's channel.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;

use crate::entity::Entity;
use crate::export::ExportRequest;
use crate::profile::{self, Profile, library};
use crate::schema::Schema;
use crate::source::Table;
use crate::source::stats::{DEFAULT_SAMPLE_ROWS, inspect};
use crate::suggest::vocabulary::Vocabularies;
use crate::suggest::{detect, suggest_file};
use crate::transform::engine::{DriftPolicy, Export, Summary};

use super::app::{Command, Message};
use super::failure::Failure;
use super::model::{DuplicateCluster, DuplicateJob, ExportSummary};
use super::project::{Distinct, LoadedFile};
use super::recovery;
use crate::dedupe::{DedupeOptions, RecordBuilder, find_clusters};

/// The recovery file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
struct AutosaveError {
    path: PathBuf,
    source: std::io::Error,
}

/// The temporary folder a dry run exports into could not be made.
#[derive(Debug, thiserror::Error)]
#[error("a temporary folder for the dry run: {0}")]
struct DryRunFolder(#[source] std::io::Error);

/// Distinct values counted per column; rarer values past this are not listed.
const DISTINCT_CAP: usize = 2_000;
/// Rows between two progress reports of the row count.
const COUNT_REPORT_EVERY: u64 = 100_000;

/// Runs [`Command`]s in the background.
#[derive(Clone)]
pub struct Worker {
    pub tx: Sender<Message>,
    pub schema: Arc<Schema>,
    pub vocabularies: Arc<Vocabularies>,
    pub base: Arc<Profile>,
    /// pipemap's own suggestions decided before the session opened, by path.
    pub start: Arc<super::project::StartingPoint>,
    /// How to reach the Pipedrive account (`p`/`P` on Review & Export).
    pub connection: AccountConnection,
}

/// The token and API root the UI's account preparation uses.
#[derive(Debug, Clone, Default)]
pub struct AccountConnection {
    /// From `PIPEDRIVE_API_TOKEN`; None when it is not set.
    pub token: Option<crate::account::Token>,
    /// From `PIPEMAP_API_URL` (a proxy or a test server); None for Pipedrive itself.
    pub api_url: Option<String>,
}

impl AccountConnection {
    /// The connection the environment describes.
    pub fn from_env() -> AccountConnection {
        AccountConnection {
            token: crate::account::Token::from_file_or_env(None).ok(),
            api_url: std::env::var("PIPEMAP_API_URL")
                .ok()
                .filter(|u| !u.is_empty()),
        }
    }
}

impl Worker {
    /// The users files left out of this export: its owner value map, as in `apply`.
    fn users_left_out(&self, sources: &[PathBuf]) -> Vec<PathBuf> {
        self.start
            .users
            .iter()
            .filter(|u| !sources.contains(u))
            .cloned()
            .collect()
    }

    /// The tag lists and join tables left out of this export: its records' labels, as in
    /// `apply`.
    fn tags_left_out(&self, sources: &[PathBuf]) -> Vec<PathBuf> {
        self.start
            .tags
            .iter()
            .filter(|t| !sources.contains(t))
            .cloned()
            .collect()
    }

    /// Starts a command on its own thread.
    pub fn run(&self, command: Command) {
        let worker = self.clone();
        std::thread::spawn(move || worker.execute(command));
    }

    /// Runs a command on the calling thread (tests, and the worker threads themselves).
    pub fn execute(&self, command: Command) {
        let tx = &self.tx;
        match command {
            Command::Load { index, path } => {
                let decided = self.start.suggested.get(&path);
                let result =
                    load_file(&path, &self.vocabularies, &self.base, decided).map(Box::new);
                let ok = result.is_ok();
                let _ = tx.send(Message::FileLoaded { index, result });
                if ok {
                    count_rows(index, &path, tx);
                }
            }
            Command::SaveProfile(profile) => {
                let result = library::save(&profile).map_err(Failure::from);
                let _ = tx.send(Message::Saved(result));
            }
            Command::Autosave { key, doc } => {
                if let Some(path) = recovery::path(&key)
                    && let Err(e) = recovery::write(&path, &doc)
                {
                    let failure = Failure::from(AutosaveError { path, source: e });
                    let _ = tx.send(Message::AutosaveFailed(failure));
                }
            }
            Command::DiscardRecovery { key } => {
                if let Some(path) = recovery::path(&key) {
                    let _ = std::fs::remove_file(path);
                }
            }
            Command::CheckRecovery { key } => {
                if let Some(doc) = recovery::path(&key).and_then(|p| recovery::read(&p)) {
                    let _ = tx.send(Message::RecoveryFound(doc));
                }
            }
            Command::Export {
                sources,
                profile,
                out,
            } => {
                let left = [self.users_left_out(&sources), self.tags_left_out(&sources)];
                let result = export(&sources, &left, &profile, &self.schema, &out, tx);
                let _ = tx.send(Message::ExportDone(result));
            }
            Command::Preview {
                sources,
                profile,
                mapping,
            } => {
                let left = [self.users_left_out(&sources), self.tags_left_out(&sources)];
                let result = dry_run(&sources, &left, &profile, &self.schema);
                let _ = tx.send(Message::Previewed {
                    sources,
                    mapping,
                    result,
                });
            }
            Command::FindDuplicates { generation, jobs } => {
                let result = find_duplicates(&jobs);
                let _ = tx.send(Message::DuplicatesFound { generation, result });
            }
            Command::PrepareAccount { out, create } => {
                let result = prepare_account(&self.connection, &out, create, tx);
                let _ = tx.send(Message::AccountPrepared(result));
            }
            Command::LinkAccount { out, create } => {
                let result = link_account(&self.connection, &out, create, tx);
                let _ = tx.send(Message::AccountLinked(result));
            }
        }
    }
}

/// Reads a file's headers and sample, matches it to the starting profile, and suggests a
/// target for every column (for the profile's entity when it knows the file); `decided` is
/// pipemap's own suggestion made before the session opened (with links across the files), used
/// as it is when the columns are still those it was made for.
pub fn load_file(
    path: &Path,
    vocabularies: &Vocabularies,
    base: &Profile,
    decided: Option<&crate::suggest::FileSuggestion>,
) -> Result<LoadedFile, Failure> {
    let table = Table::open(path)?;
    let name = table.name.clone();
    let inspection = inspect(table, DEFAULT_SAMPLE_ROWS, false)?;
    let matched = base
        .match_file(&inspection.headers)
        .map(|(i, _)| base.files[i].entity);
    let entity = matched.or_else(|| detect::entity_from_file_name(&name));
    let same_columns = |d: &&crate::suggest::FileSuggestion| {
        d.columns.len() == inspection.columns.len()
            && d.columns
                .iter()
                .zip(&inspection.columns)
                .all(|(s, c)| s.column == c.name)
    };
    let mut suggestion = match decided.filter(same_columns) {
        Some(d) if matched.is_none() => d.clone(),
        _ => suggest_file(vocabularies, &name, entity, &inspection.columns),
    };
    if matched.is_some() && base.source_crm.is_some() {
        // The profile recognised the file: it knows the CRM better than a header vote.
        suggestion.source_crm = base.source_crm.clone();
    }
    Ok(LoadedFile {
        format: inspection.format,
        warnings: inspection.warnings,
        columns: inspection.columns,
        entity: suggestion.entity,
        source_crm: suggestion.source_crm,
        suggestions: suggestion.columns,
        rows: inspection.rows.total,
        estimated_rows: inspection.rows.estimated,
    })
}

/// Suggestions for a file's columns under another entity (when the user changes it).
pub fn resuggest(
    vocabularies: &Vocabularies,
    name: &str,
    entity: Entity,
    loaded: &LoadedFile,
) -> Vec<crate::suggest::ColumnSuggestion> {
    suggest_file(vocabularies, name, Some(entity), &loaded.columns).columns
}

/// Reads each job's file into records and finds their clusters; all clusters, highest score
/// first (ties by file, then first row).
pub fn find_duplicates(jobs: &[DuplicateJob]) -> Result<Vec<DuplicateCluster>, Failure> {
    let mut out = Vec::new();
    for job in jobs {
        let mut builder = RecordBuilder::new(job.entity, &job.targets, &job.headers)?;
        if !builder.has_keys() {
            continue;
        }
        let mut table = Table::open(&job.path)?;
        let mut records = Vec::new();
        let mut row = 0u64;
        while let Some(record) = table.next_record()? {
            row += 1;
            if let Some(side) = job.split
                && !side.keeps(record.fields.get(side.column).unwrap_or(""))
            {
                continue;
            }
            records.push(builder.build(row, |i| record.fields.get(i)));
        }
        let found = find_clusters(job.entity, &records, &DedupeOptions::default())?;
        out.extend(found.clusters.into_iter().map(|cluster| {
            DuplicateCluster {
                file: job.file,
                entity: job.entity,
                identities: cluster
                    .members
                    .iter()
                    .map(|&m| records[m].identity.clone())
                    .collect(),
                cluster,
            }
        }));
    }
    out.sort_by(|a, b| b.cluster.score.total_cmp(&a.cluster.score));
    Ok(out)
}

/// Reads a whole file: the row count (reported as it grows) and each column's distinct values.
fn count_rows(index: usize, path: &Path, tx: &Sender<Message>) {
    let mut table = match Table::open(path) {
        Ok(t) => t,
        Err(e) => {
            let _ = tx.send(Message::RowsCounted {
                index,
                result: Err(Failure::from(e)),
            });
            return;
        }
    };
    let width = table.headers.len();
    let mut counts: Vec<HashMap<String, u64>> = vec![HashMap::new(); width];
    let mut rows = 0u64;
    loop {
        match table.next_record() {
            Ok(Some(record)) => {
                rows += 1;
                for (column, value) in counts.iter_mut().zip(record.fields.iter()) {
                    let value = value.trim();
                    if value.is_empty() {
                        continue;
                    }
                    if let Some(n) = column.get_mut(value) {
                        *n += 1;
                    } else if column.len() < DISTINCT_CAP {
                        column.insert(value.to_string(), 1);
                    }
                }
                if rows.is_multiple_of(COUNT_REPORT_EVERY)
                    && tx.send(Message::RowsProgress { index, rows }).is_err()
                {
                    return; // the UI is gone
                }
            }
            Ok(None) => break,
            Err(e) => {
                let _ = tx.send(Message::RowsCounted {
                    index,
                    result: Err(Failure::from(e)),
                });
                return;
            }
        }
    }
    let distinct: Vec<Distinct> = counts
        .into_iter()
        .map(|m| {
            let mut v: Distinct = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        })
        .collect();
    let _ = tx.send(Message::RowsCounted {
        index,
        result: Ok((rows, distinct)),
    });
}

fn export(
    sources: &[PathBuf],
    left: &[Vec<PathBuf>; 2],
    profile: &Profile,
    schema: &Schema,
    out: &Path,
    tx: &Sender<Message>,
) -> Result<ExportSummary, Failure> {
    let progress = |done: u64, total: u64| {
        let _ = tx.send(Message::ExportProgress { done, total });
    };
    let export = run_export(sources, left, profile, schema, out, Some(&progress))?;
    Ok(summary_of(export.summary, out))
}

/// The export as the `e` key runs it: the mapping validated, then exported as `apply` exports
/// (the output folder checked; the files left out that help — `left`: the users files, then the
/// tag lists and join tables — made the owner value map and the records' labels).
fn run_export(
    sources: &[PathBuf],
    left: &[Vec<PathBuf>; 2],
    profile: &Profile,
    schema: &Schema,
    out: &Path,
    progress: Option<&dyn Fn(u64, u64)>,
) -> Result<Export, Failure> {
    use crate::source::{AsSources, SourceRef};
    let text = profile::to_yaml(profile);
    profile::validate("the mapping", &text, profile, schema)?;
    let [users, tags] = left;
    let tables = |paths: &[PathBuf]| -> Result<Vec<SourceRef>, Failure> {
        let mut tables = Vec::new();
        for p in paths {
            tables.extend(p.as_sources()?);
        }
        Ok(tables)
    };
    let request = ExportRequest {
        sources: tables(sources)?,
        users: tables(users)?,
        tags: tables(tags)?,
        profile: profile.clone(),
        schema,
        out: out.to_path_buf(),
        sample: None,
        escape_formulas: false,
        // The user has just reviewed the mapping on screen: export what it says.
        drift: DriftPolicy::Report,
        notes: Vec::new(),
    };
    crate::export::run(request, progress).map_err(Failure::from)
}

/// The export run whole into a temporary folder (removed after): its summary and the custom
/// fields its report lists to create, so the Review screen shows the export's own numbers.
pub fn dry_run(
    sources: &[PathBuf],
    left: &[Vec<PathBuf>; 2],
    profile: &Profile,
    schema: &Schema,
) -> Result<super::model::PreviewCounts, Failure> {
    let dir = tempfile::tempdir().map_err(DryRunFolder)?;
    let out = dir.path().join("export");
    let export = run_export(sources, left, profile, schema, &out, None)?;
    let custom_fields = crate::report::prerequisites(&export, profile, schema)
        .custom_fields
        .iter()
        .map(|f| format!("{} “{}” ({})", f.entity.title(), f.name, f.field_type))
        .collect();
    Ok(super::model::PreviewCounts {
        summary: summary_of(export.summary, &out),
        custom_fields,
    })
}

/// The summary panel's counts from the export's summary.json.
fn summary_of(s: Summary, out: &Path) -> ExportSummary {
    ExportSummary {
        out: out.to_path_buf(),
        files: s.files,
        outputs: s.outputs,
        rejected: s.rejected,
        merged: s.merged,
        reconciled: s.reconciled,
        unresolved_links: s.unresolved_links,
        ambiguous_links: s.ambiguous_links,
        warnings: s.warnings,
        links_by_id: s.links.by_id,
        links_by_name: s.links.by_name,
        created_for_links: s.links.created_for_links,
        suspect_created: s.links.suspect_created,
    }
}

/// Connects to the account with the UI's token; waits and retries reach the UI as `notice`.
fn connect_account(
    connection: &AccountConnection,
    tx: &Sender<Message>,
    notice: fn(String) -> Message,
) -> Result<(crate::account::Client, crate::account::Me), Failure> {
    use crate::account::{AccountError, Client, Notice, Settings};
    let token = connection.token.clone().ok_or(AccountError::NoToken)?;
    let settings = Settings {
        api_url: connection.api_url.clone(),
        ..Settings::default()
    };
    let notices = tx.clone();
    let notify = Box::new(move |n: &Notice| {
        let _ = notices.send(notice(n.to_string()));
    });
    Client::connect(token, &settings, notify).map_err(Failure::from)
}

/// `pipemap link OUT [--apply]` for the UI; waits are reported as they happen.
fn link_account(
    connection: &AccountConnection,
    out: &Path,
    create: bool,
    tx: &Sender<Message>,
) -> Result<super::model::LinkOutcome, Failure> {
    use crate::account::link;
    use crate::entity::Entity;
    let (mut client, me) = connect_account(connection, tx, Message::LinkNotice)?;
    let mut plan = link::plan(&mut client, out)?;
    let mut lines: Vec<String> = [Entity::Activity, Entity::Note]
        .into_iter()
        .map(|e| plan.outcome_line(e))
        .collect();
    if !plan.corrections.is_empty() {
        lines.push(format!(
            "{} deals and leads linked by the import to another person or organization: I sets the source's",
            plan.corrections.len()
        ));
    }
    lines.extend(plan.notices.iter().cloned());
    let cost = plan.create_cost;
    let to_create = plan.rows_to_create() as u32;
    let mut created = 0;
    if create {
        created = link::apply(&mut client, &me, &mut plan, out, &mut |_| {})?;
        link::write_results(out, &plan)?;
    }
    Ok(super::model::LinkOutcome {
        company: me.company_domain,
        lines,
        to_create,
        cost,
        created,
        applied: create,
    })
}

/// `pipemap account prepare OUT [--apply]` for the UI; waits are reported as they happen.
fn prepare_account(
    connection: &AccountConnection,
    out: &Path,
    create: bool,
    tx: &Sender<Message>,
) -> Result<super::model::AccountOutcome, Failure> {
    use crate::account::prepare;
    let (mut client, me) = connect_account(connection, tx, Message::AccountNotice)?;
    let prepared = prepare::prepare_export(&mut client, &me, out, create, &mut |_, _| {})?;
    let cost = prepared.apply_cost();
    Ok(super::model::AccountOutcome {
        company: me.company_domain,
        items: prepared
            .plan
            .creations
            .iter()
            .map(ToString::to_string)
            .collect(),
        cannot: prepared.plan.cannot,
        created: prepared.created,
        applied: create,
        cost,
    })
}
