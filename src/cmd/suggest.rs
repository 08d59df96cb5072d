//! `pipemap suggest FILE [--entity E|auto] [--schema F]… [--json]`

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use pipemap::Entity;
use pipemap::schema::Schema;
use pipemap::source::{self, Table, stats};
use pipemap::suggest::{self, vocabulary::Vocabularies};

use super::inspect::shorten;

use super::out::errln;

/// The `--json` key that says a file is not records, and what it is.
pub const NOT_RECORDS_KEY: &str = "not_a_record_file";

/// What the file is when it holds no records to import (a CRM's users, a history …); None
/// for a record file, or when `--entity` says what it is.
pub fn not_records(name: &str, headers: &[String], entity: Option<Entity>) -> Option<&'static str> {
    if entity.is_some() {
        return None;
    }
    pipemap::suggest::file_kind::not_records(name, headers).map(|what| what.kind)
}

pub fn run(file: &Path, entity: &str, schemas: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    let entity: Option<Entity> = match entity {
        "auto" => None,
        other => Some(other.parse().context("--entity")?),
    };
    let schema = Schema::load_default(schemas)?;
    let expansion = source::resolve(file)?;
    let Some(first) = expansion.sources.first() else {
        anyhow::bail!("{}: holds no tables", file.display());
    };
    if expansion.sources.len() > 1 {
        // A workbook or archive: suggest for its first table, and say how to pick another.
        let others: Vec<&str> = expansion.sources[1..]
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        errln!(
            "pipemap: {} holds {} tables; suggesting for {} (name another to pick it: {})",
            file.display(),
            expansion.sources.len(),
            first.name,
            others.join(", ")
        );
    }
    let table = Table::open_ref(first)?;
    if table.headers.iter().all(|h| h.starts_with("Column ")) {
        anyhow::bail!("{}: the first row holds no column names", table.name);
    }
    let name = table.name.clone();
    let inspection = stats::inspect(table, stats::DEFAULT_SAMPLE_ROWS, false)?;
    let vocabularies = Vocabularies::new(&schema);
    let suggestion = suggest::suggest_file(&vocabularies, &name, entity, &inspection.columns);
    let not_records = not_records(&name, &inspection.headers, entity);
    let mut out = super::out::stdout();
    if json {
        let mut value = serde_json::to_value(&suggestion).map_err(std::io::Error::from)?;
        if let (Some(kind), Some(object)) = (not_records, value.as_object_mut()) {
            object.insert(NOT_RECORDS_KEY.into(), kind.into());
        }
        serde_json::to_writer_pretty(&mut out, &value).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} → {}{}",
        suggestion.file,
        suggestion.entity,
        suggestion
            .source_crm
            .as_deref()
            .map(|c| format!(" (looks like a {c} export)"))
            .unwrap_or_default()
    )?;
    if let Some(kind) = not_records {
        writeln!(
            out,
            "  not a record file: {kind}; apply leaves it out (run it alone with --entity to import it)"
        )?;
    }
    let width = suggestion
        .columns
        .iter()
        .map(|c| c.column.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 30);
    for c in &suggestion.columns {
        let target = match (&c.target, c.alternatives.first()) {
            (Some(t), _) => t.to_string(),
            (None, Some(hint)) => format!("(maybe {hint})"),
            (None, None) => "—".to_string(),
        };
        let ty = c
            .field_type
            .map(|t| format!(" [create as {t}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} {:<width$}  {:<6} {:>4.2}  {}{}",
            c.tier.symbol(),
            shorten(&c.column, width),
            format!("{:?}", c.tier).to_lowercase(),
            c.confidence,
            // A custom field's target carries the header as written: no control character
            // of it reaches the terminal.
            shorten(&target, 200),
            ty
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
