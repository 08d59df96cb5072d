//! `pipemap apply PATH… --profile F [--schema F]… --out DIR [--sample N]`

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use pipemap::profile::{self, Profile, library};
use pipemap::schema::Schema;
use pipemap::transform::engine::{self, ApplyOptions};

/// Arguments of `apply`, as parsed.
pub struct Args {
    pub paths: Vec<PathBuf>,
    pub profile: String,
    pub schemas: Vec<PathBuf>,
    pub out: PathBuf,
    pub sample: Option<usize>,
    pub escape_formulas: bool,
    pub allow_drift: bool,
    pub quiet: bool,
}

/// Loads a profile by path, saved name or preset name, and checks it against the schema.
pub fn load_profile(spec: &str, schema: &Schema) -> anyhow::Result<Profile> {
    Ok(load_profile_with_origin(spec, schema)?.0)
}

/// The same, also saying whether it is a built-in preset (written for any account, so drift
/// from it is expected and only reported).
pub fn load_profile_with_origin(spec: &str, schema: &Schema) -> anyhow::Result<(Profile, bool)> {
    let (name, text) = library::resolve_text(spec)?;
    let profile = profile::from_yaml(&name, &text)?;
    profile::validate(&name, &text, &profile, schema)?;
    Ok((profile, name.starts_with("preset ")))
}

/// Files given directly, and the CSV/TSV files inside given folders (sorted by name).
pub fn expand_sources(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("{}: cannot read the folder", path.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| is_table_file(p))
                .collect();
            inside.sort();
            if inside.is_empty() {
                anyhow::bail!(
                    "{}: the folder holds no .csv, .tsv or .txt files",
                    path.display()
                );
            }
            out.extend(inside);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn is_table_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_lowercase();
    path.is_file()
        && [".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Refuses an output folder that holds files pipemap did not write.
fn check_out(out: &Path) -> anyhow::Result<()> {
    if out.is_file() {
        anyhow::bail!(
            "{}: --out must be a folder, and this is a file",
            out.display()
        );
    }
    if let Ok(read) = std::fs::read_dir(out) {
        let foreign = read.flatten().any(|_| true) && !out.join("summary.json").exists();
        if foreign {
            anyhow::bail!(
                "{}: the folder is not empty and holds no earlier pipemap export; choose an empty or new folder",
                out.display()
            );
        }
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let schema = Schema::load(&args.schemas)?;
    let (profile, is_preset) = load_profile_with_origin(&args.profile, &schema)?;
    let sources = expand_sources(&args.paths)?;
    check_out(&args.out)?;
    let show = !args.quiet && std::io::stderr().is_terminal();
    let bar = show.then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} exporting [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        bar
    });
    let progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let opts = ApplyOptions {
        out: args.out.clone(),
        sample: args.sample,
        escape_formulas: args.escape_formulas,
        strict_drift: !is_preset,
        allow_drift: args.allow_drift,
        progress: Some(&progress),
    };
    let export = engine::apply(&sources, &profile, &schema, &opts)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let s = &export.summary;
    if !args.quiet {
        for o in &s.outputs {
            eprintln!("  {:<28} {:>9} rows", o.file, o.rows);
        }
        let rows_in: u64 = s.files.iter().map(|f| f.rows_in).sum();
        eprintln!(
            "pipemap: {} input rows → {} written, {} merged, {} rejected{}; {} unresolved and {} ambiguous links. See {}/report.md",
            rows_in,
            s.files.iter().map(|f| f.rows_out).sum::<u64>(),
            s.merged,
            s.rejected,
            if s.rejected > 0 { " (rejects.csv)" } else { "" },
            s.unresolved_links,
            s.ambiguous_links,
            args.out.display()
        );
    }
    Ok(if s.rejected > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
