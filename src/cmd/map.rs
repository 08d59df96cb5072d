//! `pipemap map [PATH…]` and `pipemap demo`: the terminal UI.

use std::path::PathBuf;
use std::process::ExitCode;

pub fn run_demo(_out: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the mapping UI is not built yet")
}

pub fn run_map(_paths: Vec<PathBuf>, _schemas: Vec<PathBuf>, _profile: Option<String>, _out: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the mapping UI is not built yet")
}
