//! `pipemap map [PATH…]` and `pipemap demo`: the terminal UI, from columns to finished export.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use pipemap::profile::{self, Profile, library};
use pipemap::schema::Schema;
use pipemap::tui::project::StartingPoint;
use pipemap::tui::{self, Session, demo, recovery};

use super::apply::{expand_sources, load_profile};

use super::out::errln;

/// `pipemap demo`: the bundled Zendesk Sell sample with the `zendesk-sell` preset.
pub fn run_demo(out: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    need_terminal()?;
    let schema = Schema::builtin();
    let base = load_profile(demo::PRESET, &schema)?;
    let (_dir, paths) = demo::write_samples()?;
    let session = Session {
        paths,
        schema,
        base,
        base_is_preset: true,
        out: out.unwrap_or_else(|| PathBuf::from("pipemap-demo-out")),
        recovery_key: "demo".into(),
        start: Default::default(),
    };
    run(session)
}

/// `pipemap map`: the UI on files or folders, starting from a profile when one is given.
pub fn run_map(
    paths: Vec<PathBuf>,
    schemas: Vec<PathBuf>,
    profile: Option<String>,
    out: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    if paths.is_empty() {
        anyhow::bail!(
            "give the export's files or its folder: pipemap map ./sell-export/ (or try `pipemap demo`)"
        );
    }
    need_terminal()?;
    let schema = Schema::load_default(&schemas)?;
    let sources = expand_sources(&paths)?;
    let (base, base_is_preset, start) = match &profile {
        Some(spec) => {
            let is_preset = library::PRESETS.iter().any(|(n, _)| n == spec)
                && !std::path::Path::new(spec).exists();
            (load_profile(spec, &schema)?, is_preset, StartingPoint::default())
        }
        None => decided(&paths, &schema)?,
    };
    let session = Session {
        start,
        recovery_key: recovery::key_for(&sources),
        paths: sources,
        schema,
        base,
        base_is_preset,
        out: out.unwrap_or_else(|| PathBuf::from("pipemap-out")),
    };
    run(session)
}

/// The start `apply` without a profile would take ([`pipemap::suggest::decide`]): files that
/// are not records left out, then the saved profile or preset that recognises every record
/// file, else pipemap's own suggestions with the links found by value; said on stderr.
fn decided(paths: &[PathBuf], schema: &Schema) -> anyhow::Result<(Profile, bool, StartingPoint)> {
    use pipemap::suggest::decide::{self, Start};
    let tables = super::apply::expand_tables(paths)?;
    let sorted = decide::sort_files(tables, None)?;
    let mut start = StartingPoint::default();
    for left in &sorted.left_out {
        errln!(
            "pipemap: {}: left out: it looks like {}, not records to import; the Files screen brings it back (x) or says what it is (Enter)",
            left.source.name,
            left.kind
        );
        start.left_out.insert(
            PathBuf::from(&left.source.name),
            format!("not records: {}", left.kind),
        );
    }
    if sorted.kept.is_empty() {
        return Ok((Profile::new("my-mapping"), false, start));
    }
    let known = super::apply::known_profiles(schema);
    match decide::start(&sorted.kept, &known, schema, None)? {
        Start::Recognised { name, profile } => {
            let preset = library::PRESETS.iter().any(|(n, _)| *n == name);
            errln!(
                "pipemap: starting from the {} \"{name}\", which recognises every file — --profile picks another",
                if preset { "preset" } else { "saved profile" }
            );
            Ok((profile, preset, start))
        }
        Start::Suggested { files, .. } => {
            for ((source, _), file) in sorted.kept.iter().zip(files) {
                start
                    .suggested
                    .insert(PathBuf::from(&source.name), file.suggestion);
            }
            Ok((Profile::new("my-mapping"), false, start))
        }
    }
}

fn need_terminal() -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the mapping UI needs a terminal; for scripts use `pipemap suggest` and `pipemap apply`"
        );
    }
    Ok(())
}

fn run(session: Session) -> anyhow::Result<ExitCode> {
    let _ = profile::VERSION;
    let outcome = tui::run(session)?;
    if outcome.left_unsaved {
        errln!(
            "pipemap: unsaved changes were kept in the recovery file; the next session on the same files offers to restore them (R)"
        );
    }
    Ok(ExitCode::SUCCESS)
}
