//! `pipemap plan OUT`: the numbered import steps of an export folder.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::out::outln;

pub fn run(out: &Path) -> anyhow::Result<ExitCode> {
    let path = out.join("summary.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{}: not a pipemap export folder (no summary.json)",
            out.display()
        )
    })?;
    let summary: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", path.display()))?;
    let steps = summary
        .get("plan")
        .and_then(|p| p.as_array())
        .ok_or_else(|| anyhow::anyhow!("{}: no \"plan\" in this summary", path.display()))?;
    outln!("Import plan for {}:", out.display())?;
    for (i, step) in steps.iter().enumerate() {
        outln!("{:>3}. {}", i + 1, step.as_str().unwrap_or_default())?;
    }
    Ok(ExitCode::SUCCESS)
}
