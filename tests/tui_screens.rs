//! Every screen as text, at 80×24 and 120×40 (insta snapshots), and no panic at any size.

mod tui_support;

use crossterm::event::KeyCode;
use tui_support::{demo, press, render, select_column};

fn screen(key: char, name: &str) {
    let (mut model, _worker, _rx) = demo();
    press(&mut model, KeyCode::Char(key));
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
fn export_screen() {
    screen('4', "export");
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
    for screen in ['1', '2', '3', '4'] {
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
