//! Writes generated CRM records with injected duplicates of known truth as a CSV, for trying
//! `pipemap dedupe` and for measuring it at scale (docs/BENCHMARKS.md, "Duplicates").
//!
//! ```text
//! cargo run --release --example gen_duplicates -- persons 1000000 0.1 /tmp/persons.csv
//! cargo run --release --example gen_duplicates -- organizations 5000 0.1 /tmp/orgs.csv
//! ```
//! Arguments: entity (`persons` or `organizations`), real entities, share of them duplicated,
//! output file, and optionally a seed. A `.truth.csv` beside the output maps each data row
//! (1-based) to the entity it describes.

// The generator is shared with the integration tests, which use all of it; this example
// uses only part, so the rest is dead code here and only here.
#[path = "../tests/it/dedupe_support/mod.rs"]
#[allow(dead_code)]
mod dedupe_support;

use std::fs::File;
use std::io::{BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_duplicates persons|organizations ENTITIES DUP_RATE OUT.csv [SEED]";
    let [kind, entities, rate, out, rest @ ..] = args.as_slice() else {
        return Err(usage.into());
    };
    let entities: usize = entities.parse()?;
    let rate: f64 = rate.parse()?;
    let seed: u64 = rest.first().map_or(Ok(1), |s| s.parse())?;
    let rows = match kind.as_str() {
        "persons" => dedupe_support::persons(seed, entities, rate),
        "organizations" => dedupe_support::organizations(seed, entities, rate),
        _ => return Err(usage.into()),
    };
    let file = BufWriter::new(File::create(out)?);
    if kind == "persons" {
        dedupe_support::write_persons_csv(&rows, file)?;
    } else {
        dedupe_support::write_organizations_csv(&rows, file)?;
    }
    let mut truth = BufWriter::new(File::create(format!("{out}.truth.csv"))?);
    writeln!(truth, "row,entity")?;
    for (i, r) in rows.iter().enumerate() {
        writeln!(truth, "{},{}", i + 1, r.truth)?;
    }
    truth.flush()?;
    eprintln!("{out}: {} rows describing {entities} {kind}", rows.len());
    Ok(())
}
