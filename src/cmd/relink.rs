//! `pipemap relink OUT --pipedrive-export FILE…`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::out::errln;

pub fn run(out: &Path, exports: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let report = pipemap::link::relink(out, exports)?;
    let c = &report.counts;
    errln!(
        "pipemap: rewrote {} into {}/relinked/: {} links exact by source id, {} by a unique name, {} ambiguous, {} not found (see relink-report.md)",
        if report.files.is_empty() {
            "nothing".to_string()
        } else {
            report.files.join(", ")
        },
        out.display(),
        c.by_source_id,
        c.by_unique_name,
        c.ambiguous,
        c.unmatched
    );
    Ok(ExitCode::SUCCESS)
}
