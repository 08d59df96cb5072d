//! Links that land exactly: after the user imported organizations, persons and deals and
//! exported them from Pipedrive (with their ID and the source-id custom field), `relink`
//! rewrites the files still to import so each link also carries the linked item's Pipedrive
//! System ID, which the import matches exactly, instead of a name that several items may share.
//! See docs/links.md for what Pipedrive's import does with names and IDs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::entity::Entity;
use crate::source::Table;
use crate::transform::layout::link_header;
use crate::transform::links::name_key;
use crate::transform::writer::Staging;

/// Relinking that cannot be done; nothing is written.
#[derive(Debug, thiserror::Error)]
pub enum RelinkError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
    /// The error's text is part of the message (not a separate cause), so it reads once.
    #[error("{path}: {error}")]
    Output { path: String, error: std::io::Error },
}

fn input(path: &Path, message: impl Into<String>) -> RelinkError {
    RelinkError::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// How the links of the rewritten files were resolved.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RelinkCounts {
    /// Through the source id the export carries: exact.
    pub by_source_id: u64,
    /// By a name exactly one exported item has.
    pub by_unique_name: u64,
    /// A name or a source id several exported items share: left to the import to match by
    /// name.
    pub ambiguous: u64,
    /// Not among the exported items: left as a name.
    pub unmatched: u64,
}

/// What `relink` did.
#[derive(Debug, Default, serde::Serialize)]
pub struct RelinkReport {
    pub files: Vec<String>,
    pub counts: RelinkCounts,
    /// (file, row, linked entity, name, why) for links that could not be made exact.
    pub open: Vec<(String, u64, Entity, String, String)>,
    /// Entities whose Pipedrive export was given (their files are imported, so not rewritten).
    pub imported: Vec<Entity>,
}

/// Items of one Pipedrive export: by source id and by name. A source id names one item, but
/// an export can hold two with one source id (a file imported twice): each id keeps every
/// Pipedrive ID it was seen with, so such a link is reported ambiguous rather than exact.
#[derive(Default)]
struct Exported {
    by_source: HashMap<(Entity, String), Vec<String>>,
    by_name: HashMap<(Entity, u64), Vec<String>>,
}

/// Reads Pipedrive's exports of imported items and rewrites the later files of `out` into
/// `out/relinked/`.
pub fn relink(out: &Path, exports: &[PathBuf]) -> Result<RelinkReport, RelinkError> {
    use crate::export::summary_file::{SummaryFile, SummaryFileError};
    let summary = SummaryFile::read(out).map_err(|e| match e {
        SummaryFileError::Missing { path, error } => {
            input(&path, format!("not a pipemap export folder ({error})"))
        }
        SummaryFileError::Invalid { path, error } => input(&path, error.to_string()),
    })?;
    let outputs: Vec<(String, Entity)> = summary
        .summary
        .outputs
        .into_iter()
        .map(|o| (o.file, o.entity))
        .collect();
    let mut exported = Exported::default();
    let mut imported = Vec::new();
    for path in exports {
        let entity = read_export(path, &mut exported)?;
        if !imported.contains(&entity) {
            imported.push(entity);
        }
    }
    let link_ids = read_link_ids(&out.join(crate::transform::links_csv::LinksCsv::FILE))?;
    let parts_of = |stem: &str| outputs.iter().filter(|(f, _)| f.starts_with(stem)).count();
    let staging = Staging::new(&out.join("relinked")).map_err(|source| RelinkError::Output {
        path: out.display().to_string(),
        error: source,
    })?;
    let mut report = RelinkReport {
        imported: imported.clone(),
        ..RelinkReport::default()
    };
    for (file, entity) in &outputs {
        if imported.contains(entity) {
            continue;
        }
        let stem = entity.file_stem();
        let part = part_number(file, stem, parts_of(stem));
        rewrite(
            out,
            &staging,
            file,
            stem,
            part,
            &link_ids,
            &exported,
            &mut report,
        )?;
        report.files.push(file.clone());
    }
    let text = report_text(&report);
    let path = staging.path("relink-report.md");
    std::fs::write(&path, text).map_err(|source| RelinkError::Output {
        path: path.display().to_string(),
        error: source,
    })?;
    staging.commit().map_err(|source| RelinkError::Output {
        path: out.join("relinked").display().to_string(),
        error: source,
    })?;
    Ok(report)
}

/// Reads one export file of Pipedrive items; returns its entity.
fn read_export(path: &Path, exported: &mut Exported) -> Result<Entity, RelinkError> {
    let mut table = Table::open(path)?;
    let headers = table.headers.clone();
    let entity = export_entity(path, &headers).ok_or_else(|| {
        input(path, "cannot tell which items this export holds; name it like organizations.csv, persons.csv or deals.csv, or keep Pipedrive's \"Organization - …\" headers")
    })?;
    let bare = |h: &str| h.split(" - ").last().unwrap_or(h).trim().to_lowercase();
    let id = headers
        .iter()
        .position(|h| bare(h) == "id" || bare(h) == "pipedrive system id")
        .ok_or_else(|| input(path, "no ID column: export the items with their ID"))?;
    let name_word = if matches!(entity, Entity::Deal | Entity::Lead) {
        "title"
    } else {
        "name"
    };
    let name = headers.iter().position(|h| {
        bare(h) == name_word && (!h.contains(" - ") || h.starts_with(entity.title()))
    });
    let source = headers.iter().position(|h| {
        let b = bare(h);
        b.ends_with(" id")
            && b != "pipedrive system id"
            && (!h.contains(" - ") || h.starts_with(entity.title()))
    });
    if name.is_none() && source.is_none() {
        return Err(input(
            path,
            format!("no {name_word} column and no source-id column (such as \"Sell ID\")"),
        ));
    }
    while let Some(record) = table.next_record()? {
        let get = |i: Option<usize>| i.and_then(|i| record.fields.get(i)).unwrap_or("").trim();
        let pd = get(Some(id));
        if pd.is_empty() {
            continue;
        }
        if !get(source).is_empty() {
            let ids = exported
                .by_source
                .entry((entity, get(source).to_string()))
                .or_default();
            if !ids.iter().any(|known| known == pd) {
                ids.push(pd.to_string());
            }
        }
        if !get(name).is_empty() {
            exported
                .by_name
                .entry((entity, name_key(get(name))))
                .or_default()
                .push(pd.to_string());
        }
    }
    Ok(entity)
}

fn export_entity(path: &Path, headers: &[String]) -> Option<Entity> {
    let by_prefix = Entity::ALL.into_iter().max_by_key(|e| {
        headers
            .iter()
            .filter(|h| h.starts_with(&format!("{} - ", e.title())))
            .count()
    });
    if let Some(e) = by_prefix
        && headers
            .iter()
            .filter(|h| h.starts_with(&format!("{} - ", e.title())))
            .count()
            * 2
            > headers.len()
    {
        return Some(e);
    }
    crate::suggest::detect::entity_from_file_name(&path.display().to_string())
}

/// links.csv read back: (file stem, part, row) → the linked records' (entity, source id).
pub(crate) type LinkIds = HashMap<(String, usize, u64), Vec<(Entity, String)>>;

/// Reads OUT/links.csv (an export without one has names only).
pub(crate) fn read_link_ids(path: &Path) -> Result<LinkIds, RelinkError> {
    let mut out = LinkIds::new();
    let Ok(mut reader) = csv::Reader::from_path(path) else {
        return Ok(out); // an export without id links: names only
    };
    for record in reader.records() {
        let r = record.map_err(|e| input(path, e.to_string()))?;
        let (Some(file), Some(part), Some(row), Some(link), Some(id)) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))
        else {
            continue;
        };
        let (Ok(part), Ok(row), Ok(link)) = (part.parse(), row.parse(), link.parse::<Entity>())
        else {
            return Err(input(
                path,
                format!(
                    "line {}: not a links row",
                    r.position().map_or(0, |p| p.line())
                ),
            ));
        };
        out.entry((file.to_string(), part, row))
            .or_default()
            .push((link, id.to_string()));
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn rewrite(
    out: &Path,
    staging: &Staging,
    file: &str,
    stem: &str,
    part: usize,
    link_ids: &LinkIds,
    exported: &Exported,
    report: &mut RelinkReport,
) -> Result<(), RelinkError> {
    let source = out.join(file);
    let mut reader = csv::Reader::from_path(&source).map_err(|e| input(&source, e.to_string()))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| input(&source, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    // Each link column gets an ID column right after it.
    let links: Vec<(usize, Entity)> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            Entity::ALL
                .into_iter()
                .find(|e| *h == link_header(*e) && Some(*e) != file_entity(stem))
                .map(|e| (i, e))
        })
        .collect();
    let mut new_headers = Vec::with_capacity(headers.len() + links.len());
    for (i, h) in headers.iter().enumerate() {
        new_headers.push(h.clone());
        if let Some((_, e)) = links.iter().find(|(c, _)| *c == i) {
            new_headers.push(format!("{} - ID", e.title()));
        }
    }
    let target = staging.path(file);
    let mut writer = csv::Writer::from_path(&target).map_err(|e| input(&target, e.to_string()))?;
    writer
        .write_record(&new_headers)
        .map_err(|e| input(&target, e.to_string()))?;
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| input(&source, e.to_string()))?;
        let row = n as u64 + 1;
        let ids = link_ids.get(&(stem.to_string(), part, row));
        let mut cells = Vec::with_capacity(new_headers.len());
        for (i, cell) in record.iter().enumerate() {
            cells.push(cell.to_string());
            let Some(&(_, entity)) = links.iter().find(|(c, _)| *c == i) else {
                continue;
            };
            cells.push(resolve(file, row, entity, cell, ids, exported, report));
        }
        writer
            .write_record(&cells)
            .map_err(|e| input(&target, e.to_string()))?;
    }
    writer.flush().map_err(|source| RelinkError::Output {
        path: target.display().to_string(),
        error: source,
    })?;
    Ok(())
}

/// The part an output file is of its entity's output (`05-activities-2.csv` → 2; 1 when the
/// entity has one file), as links.csv numbers them.
pub(crate) fn part_number(file: &str, stem: &str, parts: usize) -> usize {
    if parts > 1 {
        file.trim_start_matches(stem)
            .trim_start_matches('-')
            .trim_end_matches(".csv")
            .parse()
            .unwrap_or(1)
    } else {
        1
    }
}

fn file_entity(stem: &str) -> Option<Entity> {
    Entity::ALL.into_iter().find(|e| e.file_stem() == stem)
}

/// The Pipedrive ID one link cell resolves to, or "" (counted and listed).
fn resolve(
    file: &str,
    row: u64,
    entity: Entity,
    name: &str,
    ids: Option<&Vec<(Entity, String)>>,
    exported: &Exported,
    report: &mut RelinkReport,
) -> String {
    if name.trim().is_empty() {
        return String::new();
    }
    if !report.imported.contains(&entity) {
        return String::new();
    }
    if let Some(source_id) = ids
        .and_then(|ids| ids.iter().find(|(e, _)| *e == entity))
        .map(|(_, id)| id)
        && let Some(found) = exported.by_source.get(&(entity, source_id.clone()))
    {
        if let [pd] = found.as_slice() {
            report.counts.by_source_id += 1;
            return pd.clone();
        }
        // Several items carry the source id: any one of them would be a guess, and the name
        // cannot tell them apart either.
        let shared = format!(
            "the source id {source_id} (Pipedrive IDs {})",
            found.join(", ")
        );
        return ambiguous(report, (file, row), entity, name, found.len(), &shared);
    }
    match exported
        .by_name
        .get(&(entity, name_key(name)))
        .map(Vec::as_slice)
    {
        Some([one]) => {
            report.counts.by_unique_name += 1;
            one.clone()
        }
        Some(many) => ambiguous(report, (file, row), entity, name, many.len(), "this name"),
        None => {
            report.counts.unmatched += 1;
            note(
                report,
                file,
                row,
                entity,
                name,
                format!("no exported {entity} has this name or source id"),
            );
            String::new()
        }
    }
}

/// A link that `count` exported items could answer (they share `what`): counted as ambiguous,
/// listed with the reason, and left to the import to match by name ("").
fn ambiguous(
    report: &mut RelinkReport,
    (file, row): (&str, u64),
    entity: Entity,
    name: &str,
    count: usize,
    what: &str,
) -> String {
    report.counts.ambiguous += 1;
    let why = format!("{count} exported {} share {what}", entity.plural());
    note(report, file, row, entity, name, why);
    String::new()
}

fn note(report: &mut RelinkReport, file: &str, row: u64, entity: Entity, name: &str, why: String) {
    if report.open.len() < 10_000 {
        report
            .open
            .push((file.to_string(), row, entity, name.to_string(), why));
    }
}

fn report_text(r: &RelinkReport) -> String {
    let c = &r.counts;
    let mut text = format!(
        "# pipemap relink\n\nImported (not rewritten): {}.\nRewritten: {}.\n\n| links | count |\n|---|---:|\n| exact, by source id | {} |\n| by a unique name | {} |\n| ambiguous name or source id (left to the import) | {} |\n| not in the exports (left as a name) | {} |\n",
        r.imported
            .iter()
            .map(|e| e.plural())
            .collect::<Vec<_>>()
            .join(", "),
        r.files.join(", "),
        c.by_source_id,
        c.by_unique_name,
        c.ambiguous,
        c.unmatched
    );
    if !r.open.is_empty() {
        text.push_str("\n| file | row | link | name | why |\n|---|---:|---|---|---|\n");
        for (file, row, e, name, why) in r.open.iter().take(200) {
            text.push_str(&format!(
                "| {file} | {row} | {e} | {} | {why} |\n",
                name.replace('|', "\\|")
            ));
        }
    }
    text
}

#[cfg(test)]
mod tests;
