//! The Duplicates screen: the clusters of duplicate persons and organizations, highest score
//! first (only the visible rows are drawn), and the selected cluster's records side by side
//! with the fields that differ marked `≠` (and coloured).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Wrap};

use super::{dim, group};
use crate::dedupe::ComparedField;
use crate::entity::Entity;
use crate::tui::app::duplicate_decision;
use crate::tui::layout;
use crate::tui::model::{DuplicateCluster, Model};
use crate::tui::view::Theme;
use crate::tui::widgets::table;

/// Draws the Duplicates screen.
pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let a = layout::duplicates(area);
    let view = &model.duplicates_view;
    frame.render_widget(Paragraph::new(header(model, theme)), a.header);
    if view.clusters.is_empty() {
        let text = if view.computing || view.jobs.is_none() {
            "Looking for duplicates among the persons and organizations…"
        } else {
            "No duplicates found among the mapped persons and organizations. Mapping name, e-mail or phone columns (screen 2) helps; r looks again."
        };
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).title(" Clusters ")),
            Rect {
                y: a.list.y,
                height: a.list.height,
                ..area
            },
        );
        return;
    }
    table::render(
        frame,
        a.list,
        Line::styled(" Clusters ", theme.header),
        &["", "Score", "Size", "Reason"],
        &[
            Constraint::Length(1),
            Constraint::Length(5),
            Constraint::Length(4),
            Constraint::Fill(1),
        ],
        view.clusters.len(),
        Some(view.cursor),
        theme,
        |i| {
            let c = &view.clusters[i];
            let (mark, style) = match duplicate_decision(model, c).map(|d| d.action.as_str()) {
                Some("merge") => ("✓", theme.ok),
                Some("keep") => ("=", theme.user),
                Some(_) => ("✗", theme.warn),
                None => (" ", theme.dim),
            };
            Row::new(vec![
                Cell::from(Span::styled(mark, style)),
                Cell::from(format!("{:.2}", c.cluster.score)),
                Cell::from(format!("×{}", c.identities.len())),
                Cell::from(format!(
                    "{} {}",
                    entity_tag(c.entity),
                    c.cluster.reasons.join(", ")
                )),
            ])
        },
    );
    if let Some(c) = view.clusters.get(view.cursor.selected) {
        compare(model, c, frame, a.compare, theme);
    }
}

fn header(model: &Model, theme: &Theme) -> Line<'static> {
    let view = &model.duplicates_view;
    let decided: usize = model.project.mapping.dedupe.values().map(Vec::len).sum();
    let persons = view
        .clusters
        .iter()
        .filter(|c| c.entity == Entity::Person)
        .count();
    let organizations = view
        .clusters
        .iter()
        .filter(|c| c.entity == Entity::Organization)
        .count();
    let leads = view.clusters.len() - persons - organizations;
    let leads = if leads > 0 {
        format!(", {} leads", group(leads as u64))
    } else {
        String::new()
    };
    let mut spans = vec![
        Span::styled(
            format!(" {} clusters ", group(view.clusters.len() as u64)),
            theme.accent,
        ),
        dim(
            format!(
                "({} persons, {} organizations{leads}) · {decided} decision(s)",
                group(persons as u64),
                group(organizations as u64)
            ),
            theme,
        ),
    ];
    if view.computing {
        spans.push(Span::styled("  finding duplicates…", theme.warn));
    }
    if let Some(e) = &view.error {
        spans.push(Span::styled(format!("  {e}"), theme.error));
    }
    Line::from(spans)
}

fn entity_tag(entity: Entity) -> &'static str {
    match entity {
        Entity::Person => "per",
        Entity::Organization => "org",
        _ => "lead",
    }
}

/// The records of a cluster side by side: a column per record (★ marks the picked one), a row
/// per field, `≠` before a field whose values differ.
fn compare(model: &Model, c: &DuplicateCluster, frame: &mut Frame, area: Rect, theme: &Theme) {
    let file = model
        .project
        .files
        .get(c.file)
        .map_or("", |f| f.name.as_str());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(format!(" {file} "), theme.header));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 4 || inner.height == 0 {
        return;
    }
    let picked = model.duplicates_view.record;
    let width = inner.width as usize;
    let field_w = (width / 4).clamp(4, 14);
    let n = c.identities.len().max(1);
    let rest = width.saturating_sub(field_w + 2);
    let shown = (rest / 10).clamp(1, n);
    let col_w = (rest / shown).max(1);
    let cell = |text: &str, w: usize| -> String {
        let mut s: String = text.chars().take(w.saturating_sub(1)).collect();
        let len = s.chars().count();
        s.extend(std::iter::repeat_n(' ', w - len.min(w)));
        s
    };
    // Keep the picked record in view when the cluster is wider than the pane.
    let first = picked.saturating_sub(shown - 1).min(n - shown);
    let mut lines = Vec::new();
    let mut head = vec![Span::styled(cell("", field_w + 2), theme.header)];
    for m in first..first + shown {
        let row = c.cluster.rows.get(m).copied().unwrap_or(0);
        let label = if m == picked {
            format!("★ row {row}")
        } else {
            format!("  row {row}")
        };
        let style = if m == picked {
            theme.accent.add_modifier(Modifier::BOLD)
        } else {
            theme.header
        };
        head.push(Span::styled(cell(&label, col_w), style));
    }
    lines.push(Line::from(head));
    let decision = duplicate_decision(model, c);
    let merge = decision.filter(|d| d.action == "merge");
    // The record whose value a merge keeps, per field: the decision's choice, else the survivor.
    let kept = |f: &ComparedField| -> Option<usize> {
        let merge = merge?;
        let key = f.key.as_ref()?;
        let id = merge.fields.get(key).or(merge.survivor.as_ref())?;
        c.identities.iter().position(|i| i == id)
    };
    for (i, f) in c.cluster.fields.iter().enumerate() {
        let style = if f.differs { theme.warn } else { theme.dim };
        let cursor = if i == model.duplicates_view.field {
            "▸"
        } else {
            " "
        };
        let mark = if f.differs { "≠" } else { " " };
        let mut spans = vec![
            Span::styled(cursor, theme.accent),
            Span::styled(mark, style),
            Span::styled(cell(&f.field, field_w), style),
        ];
        let keep = kept(f);
        for m in first..first + shown {
            let value = f.values.get(m).map_or("", String::as_str);
            if keep == Some(m) && f.differs {
                spans.push(Span::styled(
                    cell(&format!("✓{value}"), col_w),
                    theme.ok.add_modifier(Modifier::BOLD),
                ));
            } else {
                spans.push(Span::styled(cell(value, col_w), style));
            }
        }
        lines.push(Line::from(spans));
    }
    if shown < n {
        lines.push(Line::styled(
            format!("  records {}–{} of {n} (←→)", first + 1, first + shown),
            theme.dim,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Why: {}", c.cluster.reasons.join("; ")),
        theme.dim,
    ));
    let row_of = |id: &str| {
        c.identities
            .iter()
            .position(|i| i == id)
            .and_then(|m| c.cluster.rows.get(m))
            .map_or_else(|| id.to_string(), |r| format!("row {r}"))
    };
    let decision = match decision {
        Some(d) if d.action == "merge" => {
            let mut text = format!(
                "Decided: merge into {}",
                d.survivor.as_deref().map_or("?".into(), row_of)
            );
            for (key, id) in &d.fields {
                let label = c
                    .cluster
                    .fields
                    .iter()
                    .find(|f| f.key.as_ref() == Some(key))
                    .map_or(key.as_str(), |f| f.field.as_str());
                text.push_str(&format!(" · {label} from {}", row_of(id)));
            }
            text
        }
        Some(d) if d.action == "keep" => "Decided: keep separate".to_string(),
        Some(d) => format!("Decided: drop {}", d.records.join(", ")),
        None => "Undecided: ←→ pick ★ · m merge into ★ · J/K ▸ field, v keep ★'s value · k keep apart · d drop ★".to_string(),
    };
    lines.push(Line::styled(decision, theme.accent));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
