//! The column table every screen lists things in: a bordered box, a header row, and only the
//! rows that fit (so a file with hundreds of columns draws as fast as one with ten).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Row, Table};

use crate::tui::layout::list_rows;
use crate::tui::model::ListCursor;
use crate::tui::view::Theme;

/// A bordered table showing the rows from the cursor's offset; `row(i)` builds row `i`.
#[allow(clippy::too_many_arguments)]
pub fn render<'a>(
    frame: &mut Frame,
    area: Rect,
    title: Line<'a>,
    header: &[&'a str],
    widths: &[Constraint],
    len: usize,
    cursor: Option<ListCursor>,
    theme: &Theme,
    row: impl Fn(usize) -> Row<'a>,
) {
    let height = list_rows(area);
    let offset = cursor.map_or(0, |c| c.offset);
    let rows: Vec<Row> = (offset..len.min(offset + height))
        .map(|i| {
            let r = row(i);
            if cursor.is_some_and(|c| c.selected == i) {
                r.style(theme.selected)
            } else {
                r
            }
        })
        .collect();
    let more = if len > offset + height || offset > 0 {
        format!(" {}–{} of {len} ", offset + 1, (offset + height).min(len))
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .title_bottom(Line::styled(more, theme.dim).right_aligned());
    let table = Table::new(rows, widths.to_vec())
        .header(Row::new(header.to_vec()).style(theme.header))
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}
