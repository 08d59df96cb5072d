//! The mapping UI's export, as `apply`, gives records the tags a tags file and its link table
//! hold: both files start left out, and the export's persons carry the tags as labels.

use crate::tui_support;

use std::path::{Path, PathBuf};

use crossterm::event::KeyCode;
use pipemap::profile::{self, Profile, library};
use pipemap::schema::Schema;
use pipemap::tui::{Session, start};
use tui_support::{drain, export_to, press, run};

fn presets() -> Vec<(String, Profile)> {
    library::PRESETS
        .iter()
        .map(|(name, text)| (name.to_string(), profile::from_yaml(name, text).unwrap()))
        .collect()
}

#[test]
fn the_ui_export_gives_contacts_the_tags_of_a_tags_file_and_its_link_table() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/presets/activecampaign");
    for f in ["contacts.csv", "accounts.csv", "deals.csv"] {
        std::fs::copy(data.join(f), src.join(f)).unwrap();
    }
    std::fs::write(
        src.join("tags.csv"),
        "id,tag,tagType,description,cdate\n1,vip,contact,,2024-01-01\n2,newsletter,contact,,2024-01-01\n",
    )
    .unwrap();
    std::fs::write(
        src.join("contactTags.csv"),
        "id,contact,tag,cdate\n1,11,1,2024-01-02\n2,11,2,2024-01-02\n",
    )
    .unwrap();
    let tables = pipemap::source::expand(&[src]).unwrap().sources;
    let paths: Vec<PathBuf> = tables.iter().map(|s| PathBuf::from(&s.name)).collect();
    let schema = Schema::builtin();
    let opening = start::decide(tables, &presets(), &schema).unwrap();
    assert_eq!(opening.start.tags.len(), 2, "{:?}", opening.start.tags);
    let (mut model, worker, rx) = tui_support::start(Session {
        paths,
        schema,
        base: opening.base,
        base_is_preset: opening.base_is_preset,
        out: PathBuf::from("pipemap-out"),
        recovery_key: "tui-tags".into(),
        start: opening.start,
    });
    // The Review screen, whose dry run is the export's own.
    let commands = press(&mut model, KeyCode::Char('5'));
    run(&worker, commands);
    drain(&mut model, &worker, &rx);
    let out = dir.path().join("out");
    export_to(&mut model, &worker, &rx, &out);
    let persons = std::fs::read_to_string(out.join("02-persons.csv")).unwrap();
    assert!(persons.contains("\"newsletter, vip\""), "{persons}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("tags.csv and contactTags.csv were used, not exported"),
        "{report}"
    );
}
