//! The mouse: the wheel scrolls the list or picker under it, a click selects a row or a tab.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{Command, on_action};
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::model::{Model, Overlay, Screen};
use crate::tui::widgets::picker;

/// Rows one wheel notch moves.
const WHEEL_ROWS: usize = 3;

/// Handles a mouse event.
pub fn on_mouse(model: &mut Model, event: MouseEvent) -> Vec<Command> {
    let at = Position::new(event.column, event.row);
    if let Some(Overlay::Picker(p)) = &mut model.overlay {
        let area = picker::area(Rect::new(0, 0, model.size.0, model.size.1));
        let code = match event.kind {
            MouseEventKind::ScrollDown => Some(crossterm::event::KeyCode::Down),
            MouseEventKind::ScrollUp => Some(crossterm::event::KeyCode::Up),
            MouseEventKind::Down(MouseButton::Left)
                if area.contains(at) && event.row >= area.y + 2 =>
            {
                p.click((event.row - area.y - 2) as usize);
                None
            }
            _ => None,
        };
        if let Some(code) = code {
            for _ in 0..WHEEL_ROWS {
                p.handle(&crossterm::event::KeyEvent::from(code));
            }
        }
        return Vec::new();
    }
    if model.overlay.is_some() {
        return Vec::new();
    }
    match event.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let action = if event.kind == MouseEventKind::ScrollDown {
                Action::Down
            } else {
                Action::Up
            };
            (0..WHEEL_ROWS)
                .flat_map(|_| on_action(model, action))
                .collect()
        }
        MouseEventKind::Down(MouseButton::Left) => {
            click(model, event.column, event.row);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn click(model: &mut Model, x: u16, y: u16) {
    let chrome = layout::model_chrome(model);
    if chrome.tabs.contains(Position::new(x, y)) {
        if let Some((screen, _)) = layout::tabs(chrome.tabs)
            .into_iter()
            .find(|(_, r)| r.contains(Position::new(x, y)))
        {
            model.screen = screen;
            super::global::clamp_cursors(model);
        }
        return;
    }
    let body = chrome.body;
    let (area, extra) = match model.screen {
        Screen::Files => (layout::files(body).0, None),
        Screen::Mapping => {
            let a = layout::mapping(body);
            (a.columns, Some(a.targets))
        }
        Screen::Values => {
            let a = layout::values(body);
            if let Some(row) = layout::row_at(a.targets, x, y) {
                let n = super::values::targets_len(model);
                let first = model
                    .values_view
                    .target
                    .saturating_sub(layout::list_rows(a.targets).saturating_sub(1));
                if first + row < n {
                    model.values_view.target = first + row;
                    model.values_view.cursor = Default::default();
                }
                return;
            }
            (a.values, None)
        }
        Screen::Duplicates => (layout::duplicates(body).list, None),
        Screen::Export => (layout::export(body).checks, None),
    };
    let row = layout::row_at(area, x, y).or_else(|| extra.and_then(|e| layout::row_at(e, x, y)));
    let Some(row) = row else { return };
    let height = layout::list_rows(area);
    let len = match model.screen {
        Screen::Files => model.project.files.len(),
        Screen::Mapping => super::visible_columns(model).len(),
        Screen::Values => super::values::current_values_len(model),
        Screen::Duplicates => model.duplicates_view.clusters.len(),
        Screen::Export => super::checks(model).len(),
    };
    let cursor = match model.screen {
        Screen::Files => &mut model.files_cursor,
        Screen::Mapping => &mut model.mapping_view.cursor,
        Screen::Values => &mut model.values_view.cursor,
        Screen::Duplicates => &mut model.duplicates_view.cursor,
        Screen::Export => &mut model.export_view.cursor,
    };
    if cursor.offset + row < len {
        let target = cursor.offset + row;
        cursor.select(target, len, height);
    }
}
