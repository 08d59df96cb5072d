//! `pipemap inspect FILE [--json] [--count]`

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use pipemap::source::stats::{self, Inspection};
use pipemap::source::{self, Table, sniff};

use super::out::errln;
use super::suggest::NOT_RECORDS_KEY;

/// A single table prints one object (`--json`); a workbook, archive or folder prints every
/// table it holds (a JSON array), with what it passed over on stderr.
pub fn run(file: &Path, json: bool, count: bool, sample: usize) -> anyhow::Result<ExitCode> {
    let expansion = source::expand(&[file.to_path_buf()])?;
    for note in &expansion.notes {
        errln!("pipemap: note: {note}");
    }
    let mut inspections = Vec::with_capacity(expansion.sources.len());
    for source in &expansion.sources {
        let table = Table::open_ref(source)?;
        inspections.push(stats::inspect(table, sample.max(1), count)?);
    }
    let mut out = super::out::stdout();
    if json {
        let mut values = Vec::with_capacity(inspections.len());
        for inspection in &inspections {
            let mut value = serde_json::to_value(inspection).map_err(std::io::Error::from)?;
            if let (Some(kind), Some(object)) = (kind_of(inspection), value.as_object_mut()) {
                object.insert(NOT_RECORDS_KEY.into(), kind.into());
            }
            values.push(value);
        }
        match values.as_slice() {
            [one] if !source::is_container(file) => {
                serde_json::to_writer_pretty(&mut out, one).map_err(std::io::Error::from)?
            }
            all => serde_json::to_writer_pretty(&mut out, all).map_err(std::io::Error::from)?,
        }
        writeln!(out)?;
    } else {
        for (n, inspection) in inspections.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            write_text(&mut out, inspection)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What the table is when it holds no records to import.
fn kind_of(i: &Inspection) -> Option<&'static str> {
    super::suggest::not_records(&i.file, &i.headers, None)
}

fn write_text(out: &mut impl Write, i: &Inspection) -> std::io::Result<()> {
    let f = &i.format;
    writeln!(out, "{}", i.file)?;
    match &f.container {
        Some(sheet) if sheet.ends_with("sheet") => writeln!(out, "  {sheet}")?,
        container => writeln!(
            out,
            "  encoding {}{}  delimiter {}  line endings {}{}{}",
            f.encoding,
            if f.bom { " (BOM)" } else { "" },
            sniff::describe_delimiter(f.delimiter_byte()),
            f.line_ending.describe(),
            if f.gzip { "  gzip" } else { "" },
            container
                .as_deref()
                .map(|c| format!("  {c}"))
                .unwrap_or_default(),
        )?,
    }
    let rows = match (i.rows.total, i.rows.estimated) {
        (Some(0), _) => "0 data rows (header only)".to_string(),
        (Some(n), _) => format!("{n} data rows"),
        (None, Some(n)) => format!(
            "about {n} data rows (estimated from the first {}; --count for the exact number)",
            i.rows.sampled
        ),
        (None, None) => format!(
            "at least {} data rows (--count for the exact number)",
            i.rows.sampled
        ),
    };
    writeln!(out, "  {rows}, {} columns", i.headers.len())?;
    if let Some(kind) = kind_of(i) {
        writeln!(
            out,
            "  not a record file: {kind}; apply leaves it out (run it alone with --entity to import it)"
        )?;
    }
    for warning in &i.warnings {
        writeln!(out, "  warning: {warning}")?;
    }
    writeln!(out)?;
    let width = i
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 32);
    writeln!(
        out,
        "  {:>3}  {:<width$}  {:<22}  {:>6}  {:>8}  examples",
        "#", "column", "kind", "filled", "distinct"
    )?;
    for c in &i.columns {
        let distinct = if c.distinct_capped {
            format!("{}+", c.distinct)
        } else {
            c.distinct.to_string()
        };
        let examples: Vec<String> = c.examples.iter().map(|e| shorten(e, 24)).collect();
        writeln!(
            out,
            "  {:>3}  {:<width$}  {:<22}  {:>5.0}%  {:>8}  {}",
            c.index + 1,
            shorten(&c.name, width),
            shorten(&c.kind.label(), 22),
            c.fill_rate * 100.0,
            distinct,
            examples.join(" · ")
        )?;
    }
    Ok(())
}

/// Cuts text to `max` characters on one line, marking the cut.
pub fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
