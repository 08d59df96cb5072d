//! Every screen as text, at 80×24 and 120×40 (insta snapshots), and no panic at any size.

use crate::tui_support;

use crossterm::event::KeyCode;
use tui_support::{demo, drain, press, render, run, select_column};

/// A screen as it shows once the work its key starts (a dry run of the export) is done.
fn screen(key: char, name: &str) {
    let (mut model, worker, rx) = demo();
    let commands = press(&mut model, KeyCode::Char(key));
    run(&worker, commands);
    drain(&mut model, &worker, &rx);
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&mut model, w, h));
    }
}

#[test]
fn files_screen() {
    screen('1', "files");
}

#[test]
fn mapping_screen() {
    screen('2', "mapping");
}

#[test]
fn values_screen() {
    screen('3', "values");
}

#[test]
fn duplicates_screen() {
    screen('4', "duplicates");
}

#[test]
fn export_screen() {
    screen('5', "export");
}

#[test]
fn help_overlay_lists_the_screen_keys() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    press(&mut model, KeyCode::Char('?'));
    let text = render(&mut model, 80, 24);
    assert!(text.contains("Keys of Mapping"), "{text}");
    insta::assert_snapshot!("help_mapping_80x24", text);
}

#[test]
fn picker_overlay() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    select_column(&mut model, "fax");
    press(&mut model, KeyCode::Enter);
    for c in "phone".chars() {
        press(&mut model, KeyCode::Char(c));
    }
    insta::assert_snapshot!("picker_80x24", render(&mut model, 80, 24));
}

#[test]
fn no_panic_at_any_size() {
    let (mut model, _w, _rx) = demo();
    let overlays: [&[KeyCode]; 4] = [
        &[],
        &[KeyCode::Char('?')],
        &[KeyCode::Enter],
        &[KeyCode::Char('c')],
    ];
    for screen in ['1', '2', '3', '4', '5'] {
        for keys in overlays {
            press(&mut model, KeyCode::Esc);
            press(&mut model, KeyCode::Esc);
            press(&mut model, KeyCode::Char(screen));
            for k in keys {
                press(&mut model, *k);
            }
            for (w, h) in [
                (10, 5),
                (1, 1),
                (0, 0),
                (3, 30),
                (200, 2),
                (25, 8),
                (80, 24),
                (41, 13),
            ] {
                render(&mut model, w, h);
                press(&mut model, KeyCode::Down);
                press(&mut model, KeyCode::PageDown);
                render(&mut model, w, h);
            }
        }
    }
}

#[test]
fn ten_thousand_clusters_stay_instant() {
    use pipemap::dedupe::{Cluster, ComparedField, Link, MatchKey};
    use pipemap::tui::model::DuplicateCluster;
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('4'));
    model.duplicates_view.clusters = (0..10_000)
        .map(|i| DuplicateCluster {
            file: 0,
            entity: pipemap::Entity::Person,
            identities: vec![format!("a{i}"), format!("b{i}")],
            cluster: Cluster {
                members: vec![0, 1],
                rows: vec![i * 2 + 1, i * 2 + 2],
                score: 1.0 - i as f64 / 20_000.0,
                reasons: vec!["same e-mail".into()],
                links: vec![Link {
                    a: 0,
                    b: 1,
                    score: 0.99,
                    reasons: vec!["same e-mail".into()],
                    keys: vec![MatchKey::Email],
                }],
                fields: vec![ComparedField {
                    field: "Name".into(),
                    key: Some("name".into()),
                    values: vec![format!("Ann {i}"), format!("Anne {i}")],
                    differs: true,
                }],
            },
        })
        .collect();
    let start = std::time::Instant::now();
    press(&mut model, KeyCode::End);
    press(&mut model, KeyCode::Char('m'));
    press(&mut model, KeyCode::Char('M'));
    for _ in 0..10 {
        press(&mut model, KeyCode::PageUp);
        render(&mut model, 120, 40);
    }
    let text = render(&mut model, 80, 24);
    assert!(text.contains("10,000 clusters"), "{text}");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn help_overlay_lists_the_duplicates_keys() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('4'));
    press(&mut model, KeyCode::Char('?'));
    let text = render(&mut model, 80, 24);
    assert!(text.contains("Keys of Duplicates"), "{text}");
    assert!(text.contains("keep apart"), "{text}");
    insta::assert_snapshot!("help_duplicates_80x24", text);
}

/// A worker's failure reaches the status line as what failed and the error's own message, and
/// stays typed in the model; Esc clears it.
#[test]
fn a_failed_save_is_drawn_on_the_status_line_and_kept_typed() {
    use pipemap::tui::app::{self, Message};
    use pipemap::tui::failure::Failure;
    use pipemap::tui::model::Level;

    let (mut model, _w, _rx) = tui_support::demo();
    let denied = std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        "profiles are read-only",
    );
    app::update(&mut model, Message::Saved(Err(Failure::from(denied))));
    let status = model.status.as_ref().expect("a status");
    assert_eq!(status.level(), Level::Error);
    let io = status
        .failure()
        .and_then(|f| f.error().downcast_ref::<std::io::Error>());
    assert_eq!(
        io.map(std::io::Error::kind),
        Some(std::io::ErrorKind::PermissionDenied)
    );
    let screen = tui_support::render(&mut model, 120, 30);
    let last = screen.lines().last().unwrap_or_default();
    assert!(
        last.contains("could not save: profiles are read-only"),
        "{last}"
    );
    tui_support::press(&mut model, crossterm::event::KeyCode::Esc);
    assert!(model.status.is_none());
}
