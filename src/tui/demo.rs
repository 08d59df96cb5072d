//! The bundled Zendesk Sell sample export that `pipemap demo` opens: embedded in the binary so
//! the demo runs from any folder, and written to a temporary folder at start.

use std::path::PathBuf;

/// The sample files: name → content.
pub const SAMPLES: &[(&str, &str)] = &[
    (
        "contacts.csv",
        include_str!("../../assets/samples/zendesk-sell/contacts.csv"),
    ),
    (
        "leads.csv",
        include_str!("../../assets/samples/zendesk-sell/leads.csv"),
    ),
    (
        "deals.csv",
        include_str!("../../assets/samples/zendesk-sell/deals.csv"),
    ),
    (
        "tasks.csv",
        include_str!("../../assets/samples/zendesk-sell/tasks.csv"),
    ),
    (
        "notes.csv",
        include_str!("../../assets/samples/zendesk-sell/notes.csv"),
    ),
];

/// The preset the demo starts from.
pub const PRESET: &str = "zendesk-sell";

/// Writes the samples into a new temporary folder (removed when the value is dropped) and
/// returns it with the files' paths.
pub fn write_samples() -> std::io::Result<(tempfile::TempDir, Vec<PathBuf>)> {
    let dir = tempfile::Builder::new().prefix("pipemap-demo-").tempdir()?;
    let mut paths = Vec::with_capacity(SAMPLES.len());
    for (name, text) in SAMPLES {
        let path = dir.path().join(name);
        std::fs::write(&path, text)?;
        paths.push(path);
    }
    Ok((dir, paths))
}
