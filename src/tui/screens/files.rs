//! The Files screen: each source file with its CRM, entity, rows, delimiter, encoding and
//! warnings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Wrap};

use super::{dim, rows_text};
use crate::suggest::detect;
use crate::tui::layout;
use crate::tui::model::Model;
use crate::tui::project::LoadStatus;
use crate::tui::view::Theme;

/// Draws the Files screen.
pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (list, detail) = layout::files(area);
    let files = &model.project.files;
    let widths = [
        Constraint::Fill(3),
        Constraint::Fill(2),
        Constraint::Length(12),
        Constraint::Length(10),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Fill(2),
    ];
    let title = Line::from(vec![
        Span::styled(" Source files ", theme.header),
        dim(format!("{} ", files.len()), theme),
    ]);
    super::super::widgets::table::render(
        frame,
        list,
        title,
        &[
            "File", "From", "Entity", "Rows", "Cols", "Delim", "Encoding",
        ],
        &widths,
        files.len(),
        Some(model.files_cursor),
        theme,
        |i| {
            let f = &files[i];
            let entity = model
                .project
                .mapping
                .files
                .get(i)
                .map_or("", |c| match c.left_out {
                    Some(_) => "left out",
                    None => c.entity.title(),
                });
            match (&f.status, &f.loaded) {
                (LoadStatus::Ready, Some(l)) => {
                    let crm = l
                        .source_crm
                        .as_deref()
                        .and_then(|id| detect::crms().iter().find(|c| c.id == id))
                        .map_or("unknown", |c| c.name.as_str());
                    let name = if l.warnings.is_empty() {
                        f.name.clone()
                    } else {
                        format!("{} !", f.name)
                    };
                    Row::new(vec![
                        Cell::from(name),
                        Cell::from(crm.to_string()),
                        Cell::from(entity.to_string()),
                        Cell::from(rows_text(&f.rows, model.ticks)),
                        Cell::from(l.columns.len().to_string()),
                        Cell::from(l.format.delimiter.clone()),
                        Cell::from(l.format.encoding.clone()),
                    ])
                }
                (LoadStatus::Failed(_), _) => Row::new(vec![
                    Cell::from(f.name.clone()),
                    Cell::from(Span::styled("cannot be read", theme.error)),
                ]),
                _ => Row::new(vec![
                    Cell::from(f.name.clone()),
                    Cell::from(Span::styled("reading…", theme.dim)),
                ]),
            }
        },
    );
    let Some(file) = files.get(model.files_cursor.selected) else {
        frame.render_widget(
            Paragraph::new("No files. Press a to add one by path.")
                .block(Block::default().borders(Borders::ALL)),
            detail,
        );
        return;
    };
    let mut lines = vec![Line::from(vec![
        dim("Path: ", theme),
        Span::raw(file.path.display().to_string()),
    ])];
    match &file.status {
        LoadStatus::Failed(e) => lines.push(Line::styled(e.to_string(), theme.error)),
        LoadStatus::Loading => lines.push(dim("reading headers and a sample…", theme).into()),
        LoadStatus::Ready => {
            if let (Some(l), Some(choice)) = (
                &file.loaded,
                model.project.mapping.files.get(model.files_cursor.selected),
            ) {
                if let Some(reason) = &choice.left_out {
                    lines.push(Line::styled(
                        format!(
                            "Left out of the export: {reason}. x brings it back; Enter says what it is"
                        ),
                        theme.warn,
                    ));
                }
                let mapped = choice.columns.iter().filter(|c| c.spec.is_some()).count();
                let split = choice
                    .split
                    .as_ref()
                    .map(|s| {
                        let picks = match s.by {
                            crate::profile::SplitBy::YesNo => "true",
                            crate::profile::SplitBy::Kind => "naming the kind",
                        };
                        format!(
                            "; rows with “{}” {picks} become {}",
                            s.column,
                            s.then.title()
                        )
                    })
                    .unwrap_or_default();
                lines.push(Line::raw(format!(
                    "{} columns, {mapped} mapped or skipped; rows become {} records{split}",
                    l.columns.len(),
                    choice.entity.title()
                )));
                for w in &l.warnings {
                    lines.push(Line::styled(format!("! {w}"), theme.warn));
                }
            }
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Detail ", theme.header));
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        detail,
    );
}
