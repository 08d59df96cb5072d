//! Column profiles from a sample of rows: fill rate, distinct values, top values and the kind
//! of data a column holds. This is what `inspect` shows and what the suggester weighs as evidence.

use std::collections::HashMap;

use serde::Serialize;

use super::kinds::{ColumnKind, infer_kind};
use super::{Record, SourceError, Table, TextFormat};

/// How many rows `inspect` and the suggester read by default.
pub const DEFAULT_SAMPLE_ROWS: usize = 1000;
/// Distinct values are counted up to this many per column.
const DISTINCT_CAP: usize = 10_000;
/// How many of the most common values a profile keeps.
const TOP_VALUES: usize = 5;

/// A column's profile over the sampled rows.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnProfile {
    /// The column's (unique) name.
    pub name: String,
    /// Its position, 0-based.
    pub index: usize,
    /// The kind of data it holds.
    pub kind: ColumnKind,
    /// Rows sampled (0 for a header-only file).
    pub sampled: usize,
    /// Non-empty cells among the sampled rows.
    pub filled: usize,
    /// Share of sampled rows with a value (0..1).
    pub fill_rate: f64,
    /// Distinct non-empty values, counted up to a cap.
    pub distinct: usize,
    /// True when `distinct` stopped at the cap.
    pub distinct_capped: bool,
    /// The most common values with their counts.
    pub top_values: Vec<(String, usize)>,
    /// The longest value, in characters.
    pub max_length: usize,
    /// A few non-empty example values, in file order.
    pub examples: Vec<String>,
}

/// What `inspect` reports about a source.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub file: String,
    pub format: TextFormat,
    pub headers: Vec<String>,
    pub warnings: Vec<String>,
    pub rows: RowCount,
    pub columns: Vec<ColumnProfile>,
    /// The first data rows as read, for a glance.
    pub sample_rows: Vec<Vec<String>>,
    /// Every sampled value, column by column (row `r` of each column is data row `r`), for
    /// what looks across files: which columns hold another file's ids.
    #[serde(skip)]
    pub sampled_values: Vec<Vec<String>>,
}

/// How many data rows a source holds, exactly or as an estimate.
#[derive(Debug, Clone, Serialize)]
pub struct RowCount {
    /// Rows read for the profiles.
    pub sampled: usize,
    /// The exact count, when the file was read to its end.
    pub total: Option<u64>,
    /// An estimate from the file size, when it was not.
    pub estimated: Option<u64>,
    /// Rows whose field count differs from the header's.
    pub ragged: usize,
}

/// Reads up to `sample_rows` rows of an opened table and profiles every column.
/// With `count_all`, reads on to the end for an exact row count.
pub fn inspect(
    mut table: Table,
    sample_rows: usize,
    count_all: bool,
) -> Result<Inspection, SourceError> {
    let width = table.headers.len();
    let mut values: Vec<Vec<String>> = vec![Vec::new(); width];
    let mut sample = Vec::new();
    let mut ragged = 0usize;
    let mut sampled = 0usize;
    let mut invalid_lines = Vec::new();
    let mut at_end = false;
    while sampled < sample_rows {
        let Some(record) = table.next_record()? else {
            at_end = true;
            break;
        };
        note_record(&record, width, &mut ragged, &mut invalid_lines);
        for (i, column) in values.iter_mut().enumerate() {
            column.push(record.fields.get(i).unwrap_or("").to_string());
        }
        if sample.len() < 5 {
            sample.push(record.fields.iter().map(str::to_string).collect());
        }
        sampled += 1;
    }
    let bytes_sampled = table.bytes_read();
    let mut total = at_end.then_some(sampled as u64);
    if !at_end && count_all {
        let mut n = sampled as u64;
        while let Some(record) = table.next_record()? {
            note_record(&record, width, &mut ragged, &mut invalid_lines);
            n += 1;
        }
        total = Some(n);
    }
    let estimated = match total {
        Some(_) => None,
        None => table.estimate_rows(sampled, bytes_sampled),
    };
    let mut warnings = std::mem::take(&mut table.warnings);
    if ragged > 0 {
        warnings.push(format!(
            "{ragged} row(s) have a different number of fields than the header"
        ));
    }
    if let Some(first) = invalid_lines.first() {
        warnings.push(format!(
            "{} row(s) hold bytes that are not valid {} (first on line {first}); they were replaced by \u{fffd}",
            invalid_lines.len(),
            table.format.encoding
        ));
    }
    if header_looks_like_data(&table.raw_headers) {
        warnings.push("the first row looks like data rather than column names".to_string());
    }
    let columns = values
        .iter()
        .enumerate()
        .map(|(i, column)| profile_column(&table.headers[i], i, column))
        .collect();
    let sampled_values = values;
    Ok(Inspection {
        file: table.name.clone(),
        format: table.format.clone(),
        headers: table.headers.clone(),
        warnings,
        rows: RowCount {
            sampled,
            total,
            estimated,
            ragged,
        },
        columns,
        sample_rows: sample,
        sampled_values,
    })
}

fn note_record(record: &Record, width: usize, ragged: &mut usize, invalid: &mut Vec<u64>) {
    if record.fields.len() != width {
        *ragged += 1;
    }
    if record.invalid_text.is_some() && invalid.len() < 100 {
        invalid.push(record.line);
    }
}

/// Profiles one column from its sampled values (empty strings are empty cells).
pub fn profile_column(name: &str, index: usize, values: &[String]) -> ColumnProfile {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut capped = false;
    let mut filled = Vec::with_capacity(values.len());
    let mut max_length = 0;
    for value in values {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        filled.push(value);
        max_length = max_length.max(value.chars().count());
        if let Some(n) = counts.get_mut(value) {
            *n += 1;
        } else if counts.len() < DISTINCT_CAP {
            counts.insert(value, 1);
        } else {
            capped = true;
        }
    }
    let mut top: Vec<(String, usize)> = counts.iter().map(|(v, n)| (v.to_string(), *n)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(TOP_VALUES);
    let mut examples: Vec<String> = Vec::new();
    for value in &filled {
        if examples.len() == 3 {
            break;
        }
        if !examples.iter().any(|e| e == value) {
            examples.push(value.to_string());
        }
    }
    ColumnProfile {
        name: name.to_string(),
        index,
        kind: infer_kind(&filled),
        sampled: values.len(),
        filled: filled.len(),
        fill_rate: if values.is_empty() {
            0.0
        } else {
            filled.len() as f64 / values.len() as f64
        },
        distinct: counts.len(),
        distinct_capped: capped,
        top_values: top,
        max_length,
        examples,
    }
}

/// A header row that holds e-mail addresses or numbers is probably the first data row.
fn header_looks_like_data(headers: &[String]) -> bool {
    headers.iter().any(|h| {
        let h = h.trim();
        (h.contains('@') && h.contains('.') && !h.contains(' '))
            || (!h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-'))
    })
}
