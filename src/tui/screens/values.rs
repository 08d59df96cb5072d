//! The Values screen: each mapped field that takes fixed values, and its distinct source values
//! with counts → the Pipedrive value, with a suggestion by similarity.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Wrap};

use super::{dim, group};
use crate::tui::app::value_targets;
use crate::tui::layout;
use crate::tui::model::{ListCursor, Model};
use crate::tui::values::suggest_value;
use crate::tui::view::Theme;
use crate::tui::widgets::table;

/// Draws the Values screen.
pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let a = layout::values(area);
    let targets = value_targets(model);
    let mapping = &model.project.mapping;
    let Some(current) = targets.get(model.values_view.target) else {
        let text = "No mapped column goes to a field with fixed values (stage, status, owner, activity type, labels, dropdown options). Map one on the Mapping screen (2).";
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).title(" Values ")),
            area,
        );
        return;
    };
    let header = Line::from(vec![
        Span::styled(format!(" {} ", current.name), theme.accent),
        dim(
            format!(
                "{}  ({}/{})  [ ] field",
                current.target,
                model.values_view.target + 1,
                targets.len()
            ),
            theme,
        ),
    ]);
    frame.render_widget(Paragraph::new(header), a.header);
    let rows = layout::list_rows(a.targets);
    let selected = model.values_view.target;
    let cursor = ListCursor {
        selected,
        offset: selected.saturating_sub(rows.saturating_sub(1)),
    };
    table::render(
        frame,
        a.targets,
        Line::styled(" Fields ", theme.header),
        &["Field", "Open"],
        &[Constraint::Fill(1), Constraint::Length(5)],
        targets.len(),
        Some(cursor),
        theme,
        |i| {
            let t = &targets[i];
            let open = t.unmapped(mapping).count();
            let mark = if open == 0 {
                Span::styled("✔", theme.ok)
            } else {
                Span::styled(open.to_string(), theme.warn)
            };
            Row::new(vec![Cell::from(t.name.clone()), Cell::from(mark)])
        },
    );
    let counting = if current.complete {
        String::new()
    } else {
        "counting… ".into()
    };
    let title = Line::from(vec![
        Span::styled(" Source value → Pipedrive value ", theme.header),
        dim(counting, theme),
    ]);
    let values = &current.values;
    table::render(
        frame,
        a.values,
        title,
        &["Source value", "Rows", "", "Pipedrive value"],
        &[
            Constraint::Fill(2),
            Constraint::Length(7),
            Constraint::Length(1),
            Constraint::Fill(3),
        ],
        values.len(),
        Some(model.values_view.cursor),
        theme,
        |i| {
            let (v, n) = &values[i];
            let target = match current.mapped(mapping, v) {
                Some(m) => Cell::from(Span::raw(format!("● {m}"))),
                None if current.options.iter().any(|o| {
                    o.value.eq_ignore_ascii_case(v) || o.label.eq_ignore_ascii_case(v)
                }) =>
                {
                    Cell::from(Span::styled("✔ same name", theme.ok))
                }
                None => match suggest_value(v, &current.options) {
                    Some(o) => Cell::from(Span::styled(
                        format!("? {}  (a accepts)", o.value),
                        theme.medium,
                    )),
                    None => Cell::from(Span::styled("  kept as written", theme.dim)),
                },
            };
            Row::new(vec![
                Cell::from(v.clone()),
                Cell::from(group(*n)),
                Cell::from("→"),
                target,
            ])
        },
    );
    if a.detail.height > 0 {
        let options: Vec<&str> = current.options.iter().map(|o| o.label.as_str()).collect();
        let options = if options.is_empty() {
            "none known: values are created in Pipedrive as written".to_string()
        } else {
            options.join(", ")
        };
        let lines = vec![
            Line::from(vec![
                dim("From: ", theme),
                Span::raw(current.columns.join(", ")),
            ]),
            Line::from(vec![dim("Pipedrive values: ", theme), Span::raw(options)]),
        ];
        frame.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL)),
            a.detail,
        );
    }
}
