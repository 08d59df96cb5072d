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
            (
                load_profile(spec, &schema)?,
                is_preset,
                StartingPoint::default(),
            )
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
    let tables = super::apply::expand_tables(paths)?;
    let known = super::apply::known_profiles(schema);
    let opening = pipemap::tui::start::decide(tables, &known, schema)?;
    for note in &opening.notes {
        errln!("pipemap: {note}");
    }
    Ok((opening.base, opening.base_is_preset, opening.start))
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
