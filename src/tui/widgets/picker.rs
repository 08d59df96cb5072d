//! The fuzzy picker: a list of choices filtered as the user types (fuzzy-matcher's skim
//! scoring), used for targets, Pipedrive values and entities.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crossterm::event::{KeyCode, KeyEvent};

use super::input::{InputEvent, TextInput};
use crate::entity::{Entity, Target};
use crate::tui::model::ListCursor;
use crate::tui::view::Theme;

/// What choosing an item does.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// Map the column to this target.
    Target(Target),
    /// Unmap the column (kept in the note).
    Unmap,
    /// Open the custom-field dialog.
    NewCustom,
    /// Map the source value to this Pipedrive value.
    Value(String),
    /// Remove the value's mapping.
    ClearValue,
    /// Set the file's entity.
    Entity(Entity),
    /// The file holds no records: leave it out of the export.
    LeaveOut,
}

/// One line of the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What is matched and shown first.
    pub label: String,
    /// Shown dimmed after the label (target id, type, "used").
    pub detail: String,
    pub choice: Choice,
}

/// What the picker was opened for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Column { file: usize, column: usize },
    Value { target: Target, source: String },
    Entity { file: usize },
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerEvent {
    None,
    Chosen(Choice),
    Cancel,
}

/// The picker's state.
#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub purpose: Purpose,
    pub items: Vec<Item>,
    pub query: TextInput,
    /// Indices into `items` that match the query, best first.
    pub shown: Vec<usize>,
    pub cursor: ListCursor,
}

/// Rows of items the picker shows at most.
pub const VISIBLE_ROWS: usize = 12;

impl Picker {
    /// A picker over `items`, the cursor on `preselect` when given.
    pub fn new(
        title: String,
        purpose: Purpose,
        items: Vec<Item>,
        preselect: Option<usize>,
    ) -> Picker {
        let mut picker = Picker {
            title,
            purpose,
            shown: (0..items.len()).collect(),
            items,
            query: TextInput::default(),
            cursor: ListCursor::default(),
        };
        if let Some(i) = preselect {
            picker.cursor.select(i, picker.shown.len(), VISIBLE_ROWS);
        }
        picker
    }

    fn refilter(&mut self) {
        let query = self.query.value.trim();
        if query.is_empty() {
            self.shown = (0..self.items.len()).collect();
        } else {
            let matcher = SkimMatcherV2::default().ignore_case();
            let mut scored: Vec<(i64, usize)> = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    // The label and the target id, not the prose after them.
                    let id = item.detail.split("  ").next().unwrap_or("");
                    let hay = format!("{} {id}", item.label);
                    matcher.fuzzy_match(&hay, query).map(|s| (s, i))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.shown = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.cursor = ListCursor::default();
    }

    /// The item under the cursor.
    pub fn current(&self) -> Option<&Item> {
        self.shown
            .get(self.cursor.selected)
            .and_then(|&i| self.items.get(i))
    }

    /// Applies a key: arrows move, Enter chooses, Esc cancels, anything else edits the query.
    pub fn handle(&mut self, key: &KeyEvent) -> PickerEvent {
        let len = self.shown.len();
        match key.code {
            KeyCode::Up => self.cursor.step(-1, len, VISIBLE_ROWS),
            KeyCode::Down | KeyCode::Tab => self.cursor.step(1, len, VISIBLE_ROWS),
            KeyCode::PageUp => self
                .cursor
                .step(-(VISIBLE_ROWS as isize), len, VISIBLE_ROWS),
            KeyCode::PageDown => self.cursor.step(VISIBLE_ROWS as isize, len, VISIBLE_ROWS),
            _ => match self.query.handle(key) {
                InputEvent::Submit => {
                    return self
                        .current()
                        .map_or(PickerEvent::None, |i| PickerEvent::Chosen(i.choice.clone()));
                }
                InputEvent::Cancel => return PickerEvent::Cancel,
                InputEvent::Edited => self.refilter(),
            },
        }
        PickerEvent::None
    }

    /// Moves the cursor to a visible row (mouse click).
    pub fn click(&mut self, row: usize) {
        let len = self.shown.len();
        self.cursor
            .select(self.cursor.offset + row, len, VISIBLE_ROWS);
    }
}

/// The picker's box within `area`: centred, at most 72×18.
pub fn area(area: Rect) -> Rect {
    let w = area.width.min(72).max(area.width.min(20));
    let h = area.height.min(VISIBLE_ROWS as u16 + 5);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Draws the picker over the screen.
pub fn render(frame: &mut Frame, picker: &Picker, theme: &Theme) {
    let outer = area(frame.area());
    frame.render_widget(Clear, outer);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", picker.title))
        .border_style(theme.accent);
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    if inner.height == 0 {
        return;
    }
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", theme.accent),
        Span::raw(picker.query.value.clone()),
        Span::styled("▏", theme.dim),
        Span::styled(
            format!("  {}/{}", picker.shown.len(), picker.items.len()),
            theme.dim,
        ),
    ])];
    let rows = (inner.height as usize).saturating_sub(2).min(VISIBLE_ROWS);
    for (row, &i) in picker
        .shown
        .iter()
        .enumerate()
        .skip(picker.cursor.offset)
        .take(rows)
    {
        let item = &picker.items[i];
        let selected = row == picker.cursor.selected;
        let style = if selected {
            theme.selected
        } else {
            Style::default()
        };
        let marker = if selected { "▶ " } else { "  " };
        lines.push(Line::from(vec![
            Span::styled(marker, style),
            Span::styled(
                item.label.clone(),
                style.add_modifier(if selected {
                    Modifier::BOLD
                } else {
                    Modifier::empty()
                }),
            ),
            Span::styled(
                format!("  {}", item.detail),
                if selected { style } else { theme.dim },
            ),
        ]));
    }
    if picker.shown.is_empty() {
        lines.push(Line::styled("  nothing matches", theme.dim));
    }
    while lines.len() + 1 < inner.height as usize {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        "type to filter · ↑↓ move · Enter choose · Esc cancel",
        theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
