//! `pipemap profile list | show NAME | path`

use std::io::Write;
use std::process::ExitCode;

use pipemap::profile::library::{self, Origin};

use super::out::outln;

pub fn list() -> anyhow::Result<ExitCode> {
    let mut out = super::out::stdout();
    let entries = library::list();
    writeln!(
        out,
        "{:<24} {:<8} {:<14} description",
        "name", "kind", "source CRM"
    )?;
    for e in &entries {
        let kind = match &e.origin {
            Origin::Preset => "preset",
            Origin::Saved(_) => "saved",
        };
        writeln!(
            out,
            "{:<24} {:<8} {:<14} {}",
            e.name,
            kind,
            e.source_crm.as_deref().unwrap_or("-"),
            e.description.as_deref().unwrap_or("")
        )?;
    }
    if let Some(dir) = library::profile_dir() {
        writeln!(out, "\nSaved profiles live in {}", dir.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(name: &str) -> anyhow::Result<ExitCode> {
    let (_, text) = library::resolve_text(name)?;
    write!(super::out::stdout(), "{text}")?;
    Ok(ExitCode::SUCCESS)
}

pub fn path() -> anyhow::Result<ExitCode> {
    let dir = library::profile_dir()
        .ok_or_else(|| anyhow::anyhow!("no home folder to keep profiles in"))?;
    outln!("{}", dir.display())?;
    Ok(ExitCode::SUCCESS)
}
