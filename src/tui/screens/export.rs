//! The Review & Export screen: what blocks or weakens the import, the output folder, and the
//! export's progress gauge or summary.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Gauge, Paragraph, Row, Wrap};

use super::{dim, group};
use crate::tui::app::{CheckLevel, checks};
use crate::tui::layout;
use crate::tui::model::{ExportState, Model};
use crate::tui::view::Theme;
use crate::tui::widgets::table;

/// Draws the Review & Export screen.
pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let a = layout::export(area);
    let out = Line::from(vec![
        Span::raw(model.export_view.out.display().to_string()),
        dim("   o change · e export", theme),
    ]);
    frame.render_widget(
        Paragraph::new(out).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" Output folder ", theme.header)),
        ),
        a.out,
    );
    let list = checks(model);
    let blockers = list
        .iter()
        .filter(|c| c.level == CheckLevel::Blocker)
        .count();
    let title = Line::from(vec![
        Span::styled(" Review ", theme.header),
        dim(format!("{blockers} blocker(s) "), theme),
    ]);
    table::render(
        frame,
        a.checks,
        title,
        &["", "What", "Fix on"],
        &[
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(8),
        ],
        list.len(),
        Some(model.export_view.cursor),
        theme,
        |i| {
            let c = &list[i];
            let style = match c.level {
                CheckLevel::Blocker => theme.error,
                CheckLevel::Warning => theme.warn,
                CheckLevel::Info => theme.dim,
                CheckLevel::Ok => theme.ok,
            };
            let fix = c.screen.map_or(String::new(), |s| s.title().to_string());
            Row::new(vec![
                Cell::from(Span::styled(c.level.symbol(), style)),
                Cell::from(c.text.clone()),
                Cell::from(Span::styled(fix, theme.dim)),
            ])
        },
    );
    result(model, frame, a.result, theme);
}

fn result(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Export ", theme.header));
    match &model.export_view.state {
        ExportState::Idle => {
            let mut lines = vec![Line::raw(
                "Press e to write the import files, report.md, rejects.csv and summary.json to the output folder.",
            )];
            if let Some(c) = checks(model).get(model.export_view.cursor.selected) {
                lines.push(Line::raw(""));
                lines.push(Line::from(vec![
                    dim("Selected: ", theme),
                    Span::raw(c.text.clone()),
                ]));
            }
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
                area,
            );
        }
        ExportState::Running { done, total } => {
            let ratio = if *total == 0 {
                0.0
            } else {
                (*done as f64 / *total as f64).clamp(0.0, 1.0)
            };
            let gauge = Gauge::default()
                .block(block)
                .gauge_style(theme.accent)
                .ratio(ratio)
                .label(format!("exporting… {:.0}%", ratio * 100.0));
            frame.render_widget(gauge, area);
        }
        ExportState::Failed(e) => {
            frame.render_widget(
                Paragraph::new(Line::styled(format!("✗ {e}"), theme.error))
                    .wrap(Wrap { trim: true })
                    .block(block),
                area,
            );
        }
        ExportState::Done(s) => {
            let rows_in: u64 = s.files.iter().map(|f| f.rows_in).sum();
            let rows_out: u64 = s.files.iter().map(|f| f.rows_out).sum();
            let reconciled = if s.reconciled {
                Span::styled("✔ counts reconcile", theme.ok)
            } else {
                Span::styled("✗ counts do not reconcile", theme.error)
            };
            let mut lines = vec![
                Line::from(vec![
                    Span::raw(format!(
                        "{} rows in → {} out, {} merged, {} rejected   ",
                        group(rows_in),
                        group(rows_out),
                        group(s.merged),
                        group(s.rejected)
                    )),
                    reconciled,
                ]),
                Line::raw(format!(
                    "links: {} by id, {} by name, {} unresolved, {} ambiguous, {} created{}; {} row(s) with warnings",
                    group(s.links_by_id),
                    group(s.links_by_name),
                    group(s.unresolved_links),
                    group(s.ambiguous_links),
                    group(s.created_for_links),
                    if s.suspect_created > 0 {
                        format!(" ({} like existing records)", group(s.suspect_created))
                    } else {
                        String::new()
                    },
                    group(s.warnings)
                )),
            ];
            let files: Vec<String> = s
                .outputs
                .iter()
                .map(|o| format!("{} ({})", o.file, group(o.rows)))
                .collect();
            lines.push(Line::raw(format!("wrote {}", files.join(", "))));
            lines.push(Line::from(vec![
                dim("next: read ", theme),
                Span::raw(s.out.join("report.md").display().to_string()),
                dim(" and import the files in their numbered order", theme),
            ]));
            if s.rejected > 0 {
                lines.push(Line::styled(
                    format!(
                        "! rejected rows are in {}",
                        s.out.join("rejects.csv").display()
                    ),
                    theme.warn,
                ));
            }
            account_lines(model, &mut lines, theme);
            link_lines(model, &mut lines, theme);
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
                area,
            );
        }
    }
}

/// Linking activities and notes through the account (`i`, `I`); nothing until asked.
fn link_lines(model: &Model, lines: &mut Vec<Line<'static>>, theme: &Theme) {
    use crate::tui::model::LinkState;
    match &model.export_view.link {
        LinkState::Idle => {}
        LinkState::Working(what) => {
            lines.push(Line::styled(format!("Links: {what}"), theme.warn));
        }
        LinkState::Planned {
            company,
            lines: counts,
            to_create,
            cost,
        } => {
            lines.push(Line::styled(
                format!(
                    "Links in {company}: I creates {to_create} activities and notes by id ({} tokens of the daily API budget); the rest goes to linked/ for the wizard",
                    cost.tokens
                ),
                theme.accent,
            ));
            for l in counts {
                lines.push(Line::raw(format!("  {l}")));
            }
        }
        LinkState::Created { company, count } => lines.push(Line::styled(
            format!("✔ created {count} activities and notes in {company} with exact links; import the rest from linked/"),
            theme.ok,
        )),
        LinkState::Failed(e) => lines.push(Line::styled(format!("✗ Links: {e}"), theme.error)),
    }
}

/// The Pipedrive account's preparation for the finished export (`p`, `P`).
fn account_lines(model: &Model, lines: &mut Vec<Line<'static>>, theme: &Theme) {
    use crate::tui::model::AccountState;
    match &model.export_view.account {
        AccountState::Idle => lines.push(Line::from(vec![dim(
            "Pipedrive: p shows what the account lacks for this export (token in PIPEDRIVE_API_TOKEN), P creates it",
            theme,
        )])),
        AccountState::Working(what) => lines.push(Line::styled(format!("Pipedrive: {what}"), theme.warn)),
        AccountState::Planned {
            company,
            items,
            cannot,
            cost,
        } => {
            if items.is_empty() {
                lines.push(Line::styled(
                    format!("✔ {company} has everything this export needs"),
                    theme.ok,
                ));
            } else {
                lines.push(Line::styled(
                    format!("{company} lacks {} — P creates them (undo: pipemap account undo):", items.len()),
                    theme.accent,
                ));
                for item in items {
                    lines.push(Line::raw(format!("  {item}")));
                }
                lines.push(Line::raw(format!(
                    "  P sends {} requests, {} tokens of the company's daily API budget",
                    cost.requests, cost.tokens
                )));
            }
            for c in cannot {
                lines.push(Line::styled(format!("! cannot create {c}"), theme.warn));
            }
        }
        AccountState::Created { company, count } => lines.push(Line::styled(
            format!("✔ created {count} in {company}; recorded in account-manifest.json (pipemap account undo removes them)"),
            theme.ok,
        )),
        AccountState::Failed(e) => lines.push(Line::styled(format!("✗ Pipedrive: {e}"), theme.error)),
    }
}
