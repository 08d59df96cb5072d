//! `pipemap dedupe FILE --entity E [--profile F] [--json]`
//!
//! Prints the clusters of duplicate records in one source file: score, size, rows, reasons and
//! the records' key fields side by side; with `--json`, one object:
//! `{"file": …, "entity": "person", "clusters": [{"score": 0.96, "rows": [3, 17],
//! "reasons": ["same e-mail"]}]}` where `rows` are 1-based data rows (the header is not a row)
//! and each cluster lists every row it holds. Columns are mapped by the profile's file mapping
//! that matches the headers (`--profile`), else by `suggest`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use pipemap::dedupe::{self, Cluster, DedupeOptions, DedupeRecord, RecordBuilder};
use pipemap::profile::{self, FileMapping, SplitSide, library};
use pipemap::schema::Schema;
use pipemap::source::{Table, stats};
use pipemap::suggest::{self, vocabulary::Vocabularies};
use pipemap::{Entity, Target};
use serde::Serialize;

/// Which rows of the file are records of the entity asked for, and where their columns go.
struct Mapping {
    targets: Vec<(usize, Target)>,
    /// Only the rows of one side of a split.
    split: Option<SplitSide>,
}

pub fn run(
    file: &Path,
    entity: &str,
    profile: Option<&str>,
    schemas: &[PathBuf],
    json: bool,
) -> anyhow::Result<ExitCode> {
    let entity: Entity = entity.parse().context("--entity")?;
    if !dedupe::ENTITIES.contains(&entity) {
        bail!("--entity {entity}: duplicates are found among persons, organizations and leads");
    }
    let schema = Schema::load_default(schemas)?;
    let table = Table::open(file)?;
    let name = table.name.clone();
    let mapping = match profile {
        Some(spec) => profile_mapping(spec, &schema, &table, entity)?,
        None => suggested_mapping(file, &schema, entity)?,
    };
    let mut builder = RecordBuilder::new(entity, &mapping.targets, &table.headers)?;
    if !builder.has_keys() {
        bail!(
            "{name}: no column is mapped to a name, e-mail or phone of a {entity}; nothing to compare"
        );
    }
    let records = read_records(table, &mapping, &mut builder)?;
    let found = dedupe::find_clusters(entity, &records, &DedupeOptions::default())?;
    let mut out = BufWriter::new(super::out::stdout());
    if json {
        write_json(&mut out, &name, entity, &found.clusters)?;
    } else {
        write_text(&mut out, &name, entity, &records, &found)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Streams the file into records; rows of another entity (the other side of a split) are
/// skipped but still counted, so row numbers stay the file's.
fn read_records(
    mut table: Table,
    mapping: &Mapping,
    builder: &mut RecordBuilder,
) -> anyhow::Result<Vec<DedupeRecord>> {
    let mut records = Vec::new();
    let mut row = 0u64;
    while let Some(record) = table.next_record()? {
        row += 1;
        if let Some(side) = mapping.split
            && !side.keeps(record.fields.get(side.column).unwrap_or(""))
        {
            continue;
        }
        records.push(builder.build(row, |i| record.fields.get(i)));
    }
    Ok(records)
}

/// The columns' targets from `suggest`, as `pipemap suggest FILE --entity E` shows them.
fn suggested_mapping(file: &Path, schema: &Schema, entity: Entity) -> anyhow::Result<Mapping> {
    let table = Table::open(file)?;
    let name = table.name.clone();
    let inspection = stats::inspect(table, stats::DEFAULT_SAMPLE_ROWS, false)?;
    let vocabularies = Vocabularies::new(schema);
    let suggestion = suggest::suggest_file(&vocabularies, &name, Some(entity), &inspection.columns);
    let targets = suggestion
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.target.clone().map(|t| (i, t)))
        .collect();
    Ok(Mapping {
        targets,
        split: None,
    })
}

/// The columns' targets from the profile's file mapping that matches the file's headers.
fn profile_mapping(
    spec: &str,
    schema: &Schema,
    table: &Table,
    entity: Entity,
) -> anyhow::Result<Mapping> {
    let (profile_name, text) = library::resolve_text(spec)?;
    let profile = profile::from_yaml(&profile_name, &text)?;
    profile::validate(&profile_name, &text, &profile, schema)?;
    let Some((index, _)) = profile.match_file(&table.headers) else {
        bail!(
            "{}: matches none of the files of profile {profile_name} by its headers",
            table.name
        );
    };
    let file = &profile.files[index];
    let find = |column: &str| {
        table
            .headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column.trim()))
    };
    let main = column_targets(file, &find, None);
    if file.entity == entity && file.split.is_none() {
        return Ok(Mapping {
            targets: main,
            split: None,
        });
    }
    if let Some(split) = &file.split {
        let column = find(&split.column)
            .with_context(|| format!("{}: no split column {:?}", table.name, split.column))?;
        if file.entity == entity {
            return Ok(Mapping {
                targets: main,
                split: Some(split.side(column, false)),
            });
        }
        if split.then == entity {
            return Ok(Mapping {
                targets: column_targets(file, &find, Some(split.then)),
                split: Some(split.side(column, true)),
            });
        }
    }
    bail!(
        "{}: profile {profile_name} maps this file's rows to {}, not {entity}",
        table.name,
        file.entity.plural()
    )
}

/// Column index and target for every mapped column; for the rows of a split, the split's own
/// targets first, then the main ones carried over to the other entity.
fn column_targets(
    file: &FileMapping,
    find: &dyn Fn(&str) -> Option<usize>,
    split_to: Option<Entity>,
) -> Vec<(usize, Target)> {
    let mut targets: Vec<(usize, Target)> = Vec::new();
    if let (Some(to), Some(split)) = (split_to, &file.split) {
        for (column, spec) in &split.columns {
            if let (Some(i), Some(t)) = (find(column), spec.target()) {
                targets.push((i, t.clone()));
            }
        }
        let from = file.entity;
        for (column, spec) in &file.columns {
            let (Some(i), Some(t)) = (find(column), spec.target()) else {
                continue;
            };
            if targets.iter().any(|(j, _)| *j == i) {
                continue;
            }
            targets.push((i, t.moved(from, to)));
        }
        return targets;
    }
    for (column, spec) in &file.columns {
        if let (Some(i), Some(t)) = (find(column), spec.target()) {
            targets.push((i, t.clone()));
        }
    }
    targets
}

#[derive(Serialize)]
struct JsonOut<'a> {
    file: &'a str,
    entity: Entity,
    clusters: Vec<JsonCluster<'a>>,
}

#[derive(Serialize)]
struct JsonCluster<'a> {
    score: f64,
    rows: &'a [u64],
    reasons: &'a [String],
}

fn write_json(
    out: &mut impl Write,
    file: &str,
    entity: Entity,
    clusters: &[Cluster],
) -> anyhow::Result<()> {
    let doc = JsonOut {
        file,
        entity,
        clusters: clusters
            .iter()
            .map(|c| JsonCluster {
                score: c.score,
                rows: &c.rows,
                reasons: &c.reasons,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// The widest a value column gets in the side-by-side view.
const VALUE_WIDTH: usize = 28;
/// Records shown side by side per cluster; the rest are listed by row.
const SIDE_BY_SIDE: usize = 4;

fn write_text(
    out: &mut impl Write,
    file: &str,
    entity: Entity,
    records: &[DedupeRecord],
    found: &dedupe::Clusters,
) -> anyhow::Result<()> {
    let in_clusters: usize = found.clusters.iter().map(|c| c.members.len()).sum();
    writeln!(
        out,
        "{file} → {}: {} records, {} clusters of duplicates holding {} records ({} pairs compared)",
        entity.plural(),
        records.len(),
        found.clusters.len(),
        in_clusters,
        found.compared
    )?;
    for (n, c) in found.clusters.iter().enumerate() {
        let rows: Vec<String> = c.rows.iter().map(u64::to_string).collect();
        writeln!(
            out,
            "\n#{}  score {:.2}  {} records  rows {}",
            n + 1,
            c.score,
            c.members.len(),
            rows.join(", ")
        )?;
        writeln!(out, "    {}", c.reasons.join("; "))?;
        let shown = c.members.len().min(SIDE_BY_SIDE);
        let label_width = c
            .fields
            .iter()
            .map(|f| f.field.chars().count())
            .max()
            .unwrap_or(4)
            .clamp(4, 20);
        for field in &c.fields {
            let mark = if field.differs { '≠' } else { ' ' };
            let values: Vec<String> = field.values[..shown]
                .iter()
                .map(|v| fit(v, VALUE_WIDTH))
                .collect();
            writeln!(
                out,
                "  {mark} {}  {}",
                fit(&field.field, label_width),
                values.join(" │ ").trim_end()
            )?;
        }
        if c.members.len() > shown {
            writeln!(
                out,
                "    … and {} more (rows {})",
                c.members.len() - shown,
                rows[shown..].join(", ")
            )?;
        }
    }
    Ok(())
}

/// A value on one line, cut or padded to `width` characters.
fn fit(text: &str, width: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let count = one_line.chars().count();
    if count > width {
        let mut cut: String = one_line.chars().take(width - 1).collect();
        cut.push('…');
        cut
    } else {
        format!("{one_line}{}", " ".repeat(width - count))
    }
}
