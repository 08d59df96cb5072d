//! Where things go on screen, as pure functions of the terminal's size. The views draw into
//! these areas and `update` uses the same ones to scroll lists and to find what the mouse hit.

use ratatui::layout::{Constraint, Layout, Rect};

use super::model::{Model, Screen};

/// The frame around every screen.
#[derive(Debug, Clone, Copy)]
pub struct Chrome {
    pub tabs: Rect,
    /// The recovery offer (zero height when there is none).
    pub banner: Rect,
    pub body: Rect,
    pub status: Rect,
}

/// Splits the terminal into tab bar, optional banner, body and status bar.
pub fn chrome(area: Rect, banner: bool) -> Chrome {
    let [tabs, banner_area, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(banner)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    Chrome {
        tabs,
        banner: banner_area,
        body,
        status,
    }
}

/// The chrome of the model's terminal.
pub fn model_chrome(model: &Model) -> Chrome {
    chrome(
        Rect::new(0, 0, model.size.0, model.size.1),
        model.recovery.is_some(),
    )
}

/// A tab's label in the tab bar.
pub fn tab_label(screen: Screen) -> String {
    format!(" {} {} ", screen.index() + 1, screen.title())
}

/// Where each tab label sits in the tab bar (after the app's name).
pub fn tabs(area: Rect) -> Vec<(Screen, Rect)> {
    let mut x = area.x + APP_NAME.len() as u16;
    let mut out = Vec::new();
    for screen in Screen::ALL {
        let w = tab_label(screen).chars().count() as u16;
        let rect = Rect::new(x, area.y, w, area.height).intersection(area);
        out.push((screen, rect));
        x = x.saturating_add(w + 1);
    }
    out
}

/// What the tab bar starts with.
pub const APP_NAME: &str = " pipemap ";

/// Rows a bordered list with a header row shows.
pub fn list_rows(area: Rect) -> usize {
    area.height.saturating_sub(3) as usize
}

/// The row of a bordered list with a header row that `y` falls on, if any.
pub fn row_at(area: Rect, x: u16, y: u16) -> Option<usize> {
    let inside = x > area.x
        && x + 1 < area.x + area.width
        && y >= area.y + 2
        && y + 1 < area.y + area.height;
    inside.then(|| (y - area.y - 2) as usize)
}

/// The Mapping screen: a header line, three panes, and the detail of the selected column.
#[derive(Debug, Clone, Copy)]
pub struct MappingAreas {
    pub header: Rect,
    pub columns: Rect,
    pub targets: Rect,
    pub fields: Rect,
    pub detail: Rect,
}

/// Lays out the Mapping screen.
pub fn mapping(body: Rect) -> MappingAreas {
    let detail_h = if body.height >= 16 { 5 } else { 0 };
    let [header, main, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(detail_h),
    ])
    .areas(body);
    let [columns, targets, fields] = Layout::horizontal([
        Constraint::Percentage(36),
        Constraint::Percentage(34),
        Constraint::Percentage(30),
    ])
    .areas(main);
    MappingAreas {
        header,
        columns,
        targets,
        fields,
        detail,
    }
}

/// The Files screen: the list and the selected file's detail.
pub fn files(body: Rect) -> (Rect, Rect) {
    let detail_h = (body.height / 3).clamp(0, 10);
    let [list, detail] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(detail_h)]).areas(body);
    (list, detail)
}

/// The Values screen: a header line, the targets, the values of the selected target, detail.
#[derive(Debug, Clone, Copy)]
pub struct ValuesAreas {
    pub header: Rect,
    pub targets: Rect,
    pub values: Rect,
    pub detail: Rect,
}

/// Lays out the Values screen.
pub fn values(body: Rect) -> ValuesAreas {
    let detail_h = if body.height >= 14 { 4 } else { 0 };
    let [header, main, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(detail_h),
    ])
    .areas(body);
    let [targets, values] =
        Layout::horizontal([Constraint::Percentage(32), Constraint::Percentage(68)]).areas(main);
    ValuesAreas {
        header,
        targets,
        values,
        detail,
    }
}

/// The Review & Export screen: output folder, checks, and the export's progress or summary.
#[derive(Debug, Clone, Copy)]
pub struct ExportAreas {
    pub out: Rect,
    pub checks: Rect,
    pub result: Rect,
}

/// Lays out the Review & Export screen.
pub fn export(body: Rect) -> ExportAreas {
    let result_h = (body.height.saturating_sub(3) / 2).min(12);
    let [out, checks, result] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(0),
        Constraint::Length(result_h),
    ])
    .areas(body);
    ExportAreas {
        out,
        checks,
        result,
    }
}

/// The Duplicates screen: a header line, the clusters, the selected cluster's records.
#[derive(Debug, Clone, Copy)]
pub struct DuplicatesAreas {
    pub header: Rect,
    pub list: Rect,
    pub compare: Rect,
}

/// Lays out the Duplicates screen.
pub fn duplicates(body: Rect) -> DuplicatesAreas {
    let [header, main] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
    let [list, compare] =
        Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(main);
    DuplicatesAreas {
        header,
        list,
        compare,
    }
}

/// The rows the current screen's main list shows.
pub fn main_list_rows(model: &Model) -> usize {
    let body = model_chrome(model).body;
    let area = match model.screen {
        Screen::Files => files(body).0,
        Screen::Mapping => mapping(body).columns,
        Screen::Values => values(body).values,
        Screen::Duplicates => duplicates(body).list,
        Screen::Export => export(body).checks,
    };
    list_rows(area).max(1)
}
