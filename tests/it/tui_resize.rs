//! A tiny terminal and bursts of resizes, as a user dragging a window's corner makes them:
//! the UI keeps its state through every size, never panics, and draws its full screens again
//! once there is room.

use crate::tui_support;

use crossterm::event::KeyCode;
use pipemap::tui::app::{self, Message};
use pipemap::tui::model::Screen;
use tui_support::{demo, press, render};

/// Sizes a resize burst passes through, from a collapsed window to a wide one.
fn burst() -> Vec<(u16, u16)> {
    let mut sizes = Vec::new();
    let (mut w, mut h) = (80u16, 24u16);
    // A deterministic walk: shrink to nothing, grow past the start, with jitter.
    for i in 0..200u16 {
        let step = (u32::from(i) * 7919 % 13) as u16;
        if i < 100 {
            w = w.saturating_sub(step);
            h = h.saturating_sub(step % 4);
        } else {
            w = (w + step).min(400);
            h = (h + step % 5).min(120);
        }
        sizes.push((w, h));
    }
    sizes
}

#[test]
fn ten_by_five_draws_every_screen_and_keeps_the_state() {
    let (mut model, _w, _rx) = demo();
    for (key, screen) in [
        ('1', Screen::Files),
        ('2', Screen::Mapping),
        ('3', Screen::Values),
        ('4', Screen::Duplicates),
        ('5', Screen::Export),
    ] {
        press(&mut model, KeyCode::Char(key));
        let tiny = render(&mut model, 10, 5);
        assert_eq!(tiny.lines().count(), 5);
        assert!(tiny.lines().all(|l| l.chars().count() <= 10), "{tiny}");
        assert!(
            !tiny.trim().is_empty(),
            "a 10×5 screen shows something:\n{tiny}"
        );
        assert_eq!(model.screen, screen);
        assert_eq!(model.size, (10, 5));
    }
}

#[test]
fn a_burst_of_resizes_leaves_a_usable_screen() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    let before = render(&mut model, 80, 24);
    // Resizes arrive faster than frames are drawn: many updates, a frame now and then, keys
    // pressed in between.
    for (i, (w, h)) in burst().into_iter().enumerate() {
        app::update(&mut model, Message::Resize(w, h));
        if i % 17 == 0 {
            render(&mut model, w, h);
        }
        if i % 29 == 0 {
            press(&mut model, KeyCode::Down);
            press(&mut model, KeyCode::Up);
        }
    }
    assert_eq!(model.screen, Screen::Mapping);
    let after = render(&mut model, 80, 24);
    assert_eq!(model.size, (80, 24));
    assert_eq!(after, before, "the same state draws the same screen");
}

#[test]
fn the_cursor_stays_on_screen_after_shrinking_and_growing() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    render(&mut model, 80, 24);
    // Go to the last column in a tall window, then shrink until only a line or two is left.
    press(&mut model, KeyCode::End);
    let tall = render(&mut model, 80, 24);
    let selected = model.mapping_view.cursor.selected;
    for h in (3..24).rev() {
        render(&mut model, 80, h);
        assert_eq!(model.mapping_view.cursor.selected, selected);
    }
    let file = model.mapping_view.file;
    let name = model.project.files[file].headers()[selected].clone();
    assert!(tall.contains(&name), "{name} shown:\n{tall}");
    let small = render(&mut model, 80, 8);
    assert!(
        small.contains(&name),
        "{name} still shown when small:\n{small}"
    );
    let grown = render(&mut model, 80, 24);
    assert!(
        grown.contains(&name),
        "{name} shown when grown again:\n{grown}"
    );
}
