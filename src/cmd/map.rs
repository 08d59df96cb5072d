//! `pipemap map [PATH…]` and `pipemap demo`: the terminal UI, from columns to finished export.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use pipemap::profile::{self, Profile, library};
use pipemap::schema::Schema;
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
    let (base, base_is_preset) = match &profile {
        Some(spec) => {
            let is_preset = library::PRESETS.iter().any(|(n, _)| n == spec)
                && !std::path::Path::new(spec).exists();
            (load_profile(spec, &schema)?, is_preset)
        }
        None => recognised(&paths)?,
    };
    let session = Session {
        recovery_key: recovery::key_for(&sources),
        paths: sources,
        schema,
        base,
        base_is_preset,
        out: out.unwrap_or_else(|| PathBuf::from("pipemap-out")),
    };
    run(session)
}

/// The saved profile or preset that recognises these files by their headers, said on stderr;
/// a fresh profile when none does.
fn recognised(paths: &[PathBuf]) -> anyhow::Result<(Profile, bool)> {
    let tables = super::apply::expand_tables(paths)?;
    let headers: Vec<Vec<String>> = tables
        .iter()
        .filter_map(|s| pipemap::source::Table::open_ref(s).ok().map(|t| t.headers))
        .collect();
    Ok(match library::recognise(&headers) {
        Some((entry, profile, matched)) => {
            let preset = matches!(entry.origin, library::Origin::Preset);
            errln!(
                "pipemap: {} of {} files look like the {} {:?} (by their headers); starting from it — --profile picks another",
                matched,
                headers.len(),
                if preset { "preset" } else { "saved profile" },
                entry.name
            );
            (profile, preset)
        }
        None => (Profile::new("my-mapping"), false),
    })
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
