//! `pipemap dedupe FILE --entity E [--profile F] [--json]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(
    _file: &Path,
    _entity: &str,
    _profile: Option<&str>,
    _schemas: &[PathBuf],
    _json: bool,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("duplicate detection is not available in this build")
}
