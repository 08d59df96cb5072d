//! `pipemap plan OUT`: the numbered import steps of an export folder.

use std::path::Path;
use std::process::ExitCode;

use pipemap::export::summary_file;

use super::out::outln;

pub fn run(out: &Path) -> anyhow::Result<ExitCode> {
    use pipemap::export::summary_file::{SummaryFile, SummaryFileError};
    let summary = SummaryFile::read(out).map_err(|e| match e {
        SummaryFileError::Missing { .. } => anyhow::anyhow!(
            "{}: not a pipemap export folder (no summary.json)",
            out.display()
        ),
        SummaryFileError::Invalid { path, error } => {
            anyhow::anyhow!("{}: not a pipemap export summary: {error}", path.display())
        }
    })?;
    let steps = summary.plan;
    if steps.is_empty() {
        anyhow::bail!(
            "{}: no \"plan\" in this summary",
            out.join(summary_file::FILE).display()
        );
    }
    outln!("Import plan for {}:", out.display())?;
    for (i, step) in steps.iter().enumerate() {
        outln!("{:>3}. {}", i + 1, step)?;
    }
    Ok(ExitCode::SUCCESS)
}
