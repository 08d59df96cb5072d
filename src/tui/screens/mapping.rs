//! The Mapping screen: source columns · their targets with confidence · the entity's fields,
//! and the selected column's samples, reason and alternatives.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row};

use super::dim;
use crate::entity::Target;
use crate::suggest::Tier;
use crate::tui::app::{link_label, selected_column, target_label, visible_columns};
use crate::tui::layout;
use crate::tui::model::{ColumnFilter, Model};
use crate::tui::project::{ColumnChoice, LoadStatus, Origin, hint};
use crate::tui::view::Theme;
use crate::tui::widgets::table;

/// The symbol and style that say who chose a target and how sure it is.
pub fn marker(choice: &ColumnChoice, hint: bool, theme: &Theme) -> (&'static str, Style) {
    match choice.origin {
        Origin::Suggested(Tier::High) => ("✔", theme.high),
        Origin::Suggested(Tier::Medium) => ("?", theme.medium),
        Origin::Suggested(_) => ("·", theme.low),
        Origin::Profile => ("P", theme.user),
        Origin::User => ("●", theme.user),
        Origin::Unset if hint => ("·", theme.low),
        Origin::Unset => (" ", theme.dim),
    }
}

/// Draws the Mapping screen.
pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let a = layout::mapping(area);
    let view = &model.mapping_view;
    let (Some(file), Some(choice)) = (
        model.project.files.get(view.file),
        model.project.mapping.files.get(view.file),
    ) else {
        frame.render_widget(Paragraph::new("No files to map."), area);
        return;
    };
    let search = if model.searching || !view.search.is_empty() {
        format!(
            "  search: {}{}",
            view.search,
            if model.searching { "▏" } else { "" }
        )
    } else {
        String::new()
    };
    let filter = if view.filter == ColumnFilter::All {
        String::new()
    } else {
        format!("  filter: {}", view.filter.label())
    };
    let header = Line::from(vec![
        Span::styled(format!(" {} ", file.name), theme.accent),
        Span::raw(format!("→ {} ", choice.entity.title())),
        dim(
            format!(
                "({}/{}){filter}{search}",
                view.file + 1,
                model.project.files.len()
            ),
            theme,
        ),
        Span::raw("   "),
        Span::styled("✔", theme.high),
        dim(" sure ", theme),
        Span::styled("?", theme.medium),
        dim(" review ", theme),
        Span::styled("·", theme.low),
        dim(" hint ", theme),
        Span::styled("P", theme.user),
        dim(" profile ", theme),
        Span::styled("●", theme.user),
        dim(" yours", theme),
    ]);
    frame.render_widget(Paragraph::new(header), a.header);
    if file.status != LoadStatus::Ready {
        let text = if let LoadStatus::Failed(e) = &file.status {
            e.to_string()
        } else {
            "reading headers and a sample…".into()
        };
        frame.render_widget(
            Paragraph::new(text).block(Block::default().borders(Borders::ALL)),
            a.columns,
        );
        return;
    }
    let rows = visible_columns(model);
    let columns = file.columns();
    let cursor = Some(view.cursor);
    let title = Line::from(vec![
        Span::styled(" Source column ", theme.header),
        dim(format!("{} ", columns.len()), theme),
    ]);
    table::render(
        frame,
        a.columns,
        title,
        &["Column", "Kind"],
        &[Constraint::Fill(3), Constraint::Length(9)],
        rows.len(),
        cursor,
        theme,
        |r| {
            let c = &columns[rows[r]];
            Row::new(vec![
                Cell::from(c.name.clone()),
                Cell::from(Span::styled(c.kind.label(), theme.dim)),
            ])
        },
    );
    let mapped = choice.columns.iter().filter(|c| c.spec.is_some()).count();
    let title = Line::from(vec![
        Span::styled(" Target ", theme.header),
        dim(format!("{mapped} set "), theme),
    ]);
    table::render(
        frame,
        a.targets,
        title,
        &["", "Pipedrive field"],
        &[Constraint::Length(1), Constraint::Fill(1)],
        rows.len(),
        cursor,
        theme,
        |r| {
            let i = rows[r];
            let c = &choice.columns[i];
            let hint = file.suggestion(i).and_then(hint);
            let (symbol, style) = marker(c, hint.is_some(), theme);
            let link = c.spec.as_ref().and_then(link_label);
            let text = match (c.target(), hint) {
                (Some(t), _) => Span::raw(target_label(&model.ctx.schema, t)),
                (None, _) if link.is_some() => Span::raw(link.unwrap_or_default()),
                (None, Some(h)) => Span::styled(
                    format!("→ note  (a: {})", target_label(&model.ctx.schema, h)),
                    theme.low,
                ),
                (None, None) => Span::styled("→ note", theme.dim),
            };
            Row::new(vec![
                Cell::from(Span::styled(symbol, style)),
                Cell::from(text),
            ])
        },
    );
    fields(model, frame, a.fields, theme);
    detail(model, frame, a.detail, theme);
}

fn fields(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let view = &model.mapping_view;
    let choice = &model.project.mapping.files[view.file];
    let Some(es) = model.ctx.schema.entity(choice.entity) else {
        return;
    };
    let current =
        selected_column(model).and_then(|i| choice.columns[i].target().map(Target::without_label));
    let used = |key: &str| {
        choice.columns.iter().any(|c| {
            c.target()
                .is_some_and(|t| t.entity() == Some(choice.entity) && t.key() == Some(key))
        })
    };
    let height = layout::list_rows(area);
    let at = es
        .fields
        .iter()
        .position(|f| current.as_ref().and_then(|t| t.key()) == Some(f.key.as_str()));
    let offset = at.map_or(0, |p| p.saturating_sub(height.saturating_sub(1)));
    let title = Line::from(vec![Span::styled(
        format!(" {} fields ", choice.entity.title()),
        theme.header,
    )]);
    let len = es.fields.len();
    let cursor = at.map(|p| crate::tui::model::ListCursor {
        selected: p,
        offset,
    });
    let cursor = cursor.or(Some(crate::tui::model::ListCursor {
        selected: usize::MAX,
        offset: 0,
    }));
    table::render(
        frame,
        area,
        title,
        &["Field", "Type", ""],
        &[
            Constraint::Fill(1),
            Constraint::Length(8),
            Constraint::Length(2),
        ],
        len,
        cursor,
        theme,
        |i| {
            let f = &es.fields[i];
            let name = if f.mandatory {
                format!("{} *", f.name)
            } else {
                f.name.clone()
            };
            let mark = if used(&f.key) {
                Span::styled("●", theme.user)
            } else {
                Span::raw("")
            };
            Row::new(vec![
                Cell::from(name),
                Cell::from(Span::styled(f.field_type.clone(), theme.dim)),
                Cell::from(mark),
            ])
        },
    );
}

fn detail(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let view = &model.mapping_view;
    let file = &model.project.files[view.file];
    let Some(i) = selected_column(model) else {
        let text = if view.search.is_empty() {
            "No column matches the filter (f changes it)."
        } else {
            "No column matches the search (Esc clears it)."
        };
        frame.render_widget(
            Paragraph::new(text).block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let column = &file.columns()[i];
    let mut lines = vec![Line::from(vec![
        dim("Samples: ", theme),
        Span::raw(
            column
                .examples
                .iter()
                .map(|e| format!("“{e}”"))
                .collect::<Vec<_>>()
                .join("  "),
        ),
        dim(format!("   filled {:.0}%", column.fill_rate * 100.0), theme),
    ])];
    if let Some(s) = file.suggestion(i) {
        let target = s
            .target
            .as_ref()
            .map_or_else(|| "nothing".to_string(), |t| t.to_string());
        lines.push(Line::from(vec![
            dim("Suggested: ", theme),
            Span::raw(format!(
                "{} {target} ({:.0}%, {}) — {}",
                s.tier.symbol(),
                s.confidence * 100.0,
                tier_name(s.tier),
                s.reason
            )),
        ]));
        if !s.alternatives.is_empty() {
            let alts: Vec<String> = s.alternatives.iter().map(Target::to_string).collect();
            lines.push(Line::from(vec![
                dim("Also: ", theme),
                Span::raw(alts.join(", ")),
            ]));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {} ", column.name), theme.header));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The tier as the JSON output writes it.
fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::High => "high",
        Tier::Medium => "medium",
        Tier::Low => "low",
        Tier::None => "none",
    }
}
