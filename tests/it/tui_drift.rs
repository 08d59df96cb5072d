//! Starting the UI from a saved profile on a fresh export that gained a column: it opens on
//! just what changed — the Mapping screen of that file, filtered to its unmapped columns.

use crate::tui_support;

use std::path::PathBuf;
use std::sync::mpsc;

use pipemap::profile::{self, library};
use pipemap::schema::Schema;
use pipemap::tui::Session;
use pipemap::tui::app;
use pipemap::tui::model::{ColumnFilter, Screen};

fn session(
    dir: &std::path::Path,
    extra_column: bool,
) -> (
    pipemap::tui::model::Model,
    pipemap::tui::worker::Worker,
    mpsc::Receiver<app::Message>,
) {
    let deals = std::fs::read_to_string("assets/samples/zendesk-sell/deals.csv").unwrap();
    let text = if extra_column {
        deals
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("{l},Region\n")
                } else {
                    format!("{l},EMEA\n")
                }
            })
            .collect()
    } else {
        deals
    };
    let path = dir.join("deals.csv");
    std::fs::write(&path, text).unwrap();
    let (name, yaml) = library::resolve_text("zendesk-sell").unwrap();
    let mut base = profile::from_yaml(&name, &yaml).unwrap();
    base.name = "acme-sell".into();
    let session = Session {
        paths: vec![PathBuf::from(&path)],
        schema: Schema::builtin(),
        base,
        base_is_preset: false,
        out: dir.join("out"),
        recovery_key: "tui-drift-test".into(),
        start: Default::default(),
    };
    tui_support::start(session)
}

#[test]
fn a_drifted_export_opens_on_its_new_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (model, _worker, _rx) = session(dir.path(), true);
    assert_eq!(model.screen, Screen::Mapping);
    assert_eq!(model.mapping_view.filter, ColumnFilter::Unmapped);
    let status = model
        .status
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(status.contains("new since profile “acme-sell”"), "{status}");
}

#[test]
fn an_unchanged_export_opens_as_usual() {
    let dir = tempfile::tempdir().unwrap();
    let (model, _worker, _rx) = session(dir.path(), false);
    assert_eq!(model.screen, Screen::Files);
}
