//! One file per screen, each only drawing the model.

pub mod duplicates;
pub mod export;
pub mod files;
pub mod mapping;
pub mod values;

use ratatui::text::Span;

use super::project::Rows;
use super::view::Theme;

/// A row count as the screens show it.
pub fn rows_text(rows: &Rows, spinner: u64) -> String {
    const FRAMES: [char; 4] = ['◐', '◓', '◑', '◒'];
    match rows {
        Rows::Exact(n) => group(*n),
        Rows::Counting { seen, estimate } => {
            let f = FRAMES[(spinner % 4) as usize];
            match (seen, estimate) {
                (0, Some(e)) => format!("{f} ~{}", group(*e)),
                (0, None) => format!("{f} counting"),
                (n, _) => format!("{f} {}…", group(*n)),
            }
        }
        Rows::Failed(_) => "?".into(),
    }
}

/// 12345 → 12,345.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A dimmed span.
pub fn dim(text: impl Into<String>, theme: &Theme) -> Span<'static> {
    Span::styled(text.into(), theme.dim)
}
