//! Golden files: the whole output set of `apply` on the bundled Zendesk Sell sample with the
//! bundled preset. Any change in what a user would import shows up as a snapshot diff.

use std::path::PathBuf;

use pipemap::export::apply;
use pipemap::profile::{from_yaml, library};
use pipemap::schema::Schema;
use pipemap::transform::engine::{ApplyOptions, DriftPolicy};

#[test]
fn the_sample_exports_to_the_same_files() {
    let sources: Vec<PathBuf> = ["contacts", "deals", "leads", "notes", "tasks"]
        .iter()
        .map(|f| PathBuf::from(format!("assets/samples/zendesk-sell/{f}.csv")))
        .collect();
    let (name, text) = library::resolve_text("zendesk-sell").unwrap();
    let profile = from_yaml(&name, &text).unwrap();
    let schema = Schema::builtin();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let opts = ApplyOptions {
        out: out.clone(),
        sample: Some(5),
        escape_formulas: false,
        drift: DriftPolicy::Report,
        progress: None,
        notes: Vec::new(),
        owners_from: None,
        labels: Default::default(),
    };
    let export = apply(&sources, &profile, &schema, &opts).unwrap();
    assert!(export.summary.reconciled);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "01-organizations.csv",
            "02-persons.csv",
            "03-deals.csv",
            "04-leads.csv",
            "05-activities.csv",
            "06-notes.csv",
            "links.csv",
            "mapping.yaml",
            "rejects.csv",
            "report.md",
            "summary.json",
            "warnings.csv"
        ]
    );
    for file in files {
        let content = std::fs::read_to_string(out.join(&file)).unwrap();
        insta::assert_snapshot!(file.replace('.', "_"), content);
    }
    let mut samples: Vec<String> = std::fs::read_dir(out.join("sample"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    samples.sort();
    for file in samples {
        let content = std::fs::read_to_string(out.join("sample").join(&file)).unwrap();
        insta::assert_snapshot!(format!("sample_{}", file.replace('.', "_")), content);
    }
}
