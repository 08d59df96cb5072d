//! Drawing: `view(model, frame)` reads the model and draws the tab bar, the current screen, the
//! status bar and any overlay. It never changes the model.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::keymap::{self, Binding};
use super::layout::{self, APP_NAME};
use super::model::{Level, Model, Overlay, Screen};
use super::screens;
use super::widgets::picker;

/// The styles of one session: colours, or none under NO_COLOR.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub accent: Style,
    pub dim: Style,
    pub selected: Style,
    pub header: Style,
    pub high: Style,
    pub medium: Style,
    pub low: Style,
    pub user: Style,
    pub error: Style,
    pub warn: Style,
    pub ok: Style,
    pub tab: Style,
    pub tab_active: Style,
}

impl Theme {
    /// Colours unless `no_color`; without them, emphasis uses bold and reverse video only.
    pub fn new(no_color: bool) -> Theme {
        let plain = Style::default();
        if no_color {
            return Theme {
                accent: plain.add_modifier(Modifier::BOLD),
                dim: plain,
                selected: plain.add_modifier(Modifier::REVERSED),
                header: plain.add_modifier(Modifier::BOLD),
                high: plain,
                medium: plain,
                low: plain,
                user: plain,
                error: plain.add_modifier(Modifier::BOLD),
                warn: plain,
                ok: plain,
                tab: plain,
                tab_active: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            };
        }
        Theme {
            accent: plain.fg(Color::Cyan),
            dim: plain.fg(Color::DarkGray),
            selected: plain.bg(Color::Blue).fg(Color::White),
            header: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            high: plain.fg(Color::Green),
            medium: plain.fg(Color::Yellow),
            low: plain.fg(Color::DarkGray),
            user: plain.fg(Color::Cyan),
            error: plain.fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: plain.fg(Color::Yellow),
            ok: plain.fg(Color::Green),
            tab: plain.fg(Color::Gray),
            tab_active: plain
                .bg(Color::Cyan)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
        }
    }
}

/// Draws the whole UI.
pub fn view(model: &Model, frame: &mut Frame) {
    let theme = Theme::new(model.ctx.no_color);
    let chrome = layout::chrome(frame.area(), model.recovery.is_some());
    tabs(model, frame, chrome.tabs, &theme);
    if let Some(doc) = &model.recovery {
        let text = format!(
            " Unsaved work from {} found: R restore · X discard ",
            doc.saved_at
        );
        frame.render_widget(Paragraph::new(text).style(theme.tab_active), chrome.banner);
    }
    match model.screen {
        Screen::Files => screens::files::render(model, frame, chrome.body, &theme),
        Screen::Mapping => screens::mapping::render(model, frame, chrome.body, &theme),
        Screen::Values => screens::values::render(model, frame, chrome.body, &theme),
        Screen::Duplicates => screens::duplicates::render(model, frame, chrome.body, &theme),
        Screen::Export => screens::export::render(model, frame, chrome.body, &theme),
    }
    status_bar(model, frame, chrome.status, &theme);
    match &model.overlay {
        None => {}
        Some(Overlay::Help) => help(model, frame, &theme),
        Some(Overlay::ConfirmQuit) => {
            let text = vec![
                Line::raw(""),
                Line::styled("Unsaved changes — quit? y/n", theme.accent),
                Line::styled("(your work stays in the recovery file)", theme.dim),
            ];
            dialog(frame, "Quit", text, 44, 5, &theme);
        }
        Some(Overlay::Picker(p)) => picker::render(frame, p, &theme),
        Some(Overlay::Input { purpose, input }) => {
            let title = match purpose {
                super::model::InputPurpose::AddFile => "Add a file (path)",
                super::model::InputPurpose::OutputFolder => "Output folder",
            };
            let text = vec![
                input_line(&input.value, &theme),
                Line::styled("Enter confirm · Esc cancel · Ctrl-u clear", theme.dim),
            ];
            dialog(frame, title, text, 64, 4, &theme);
        }
        Some(Overlay::CustomField { name, type_index }) => {
            let types = super::app::CUSTOM_TYPES;
            let mut spans = vec![Span::raw("Type: ")];
            for (i, t) in types.iter().enumerate() {
                let style = if i == *type_index {
                    theme.selected
                } else {
                    theme.dim
                };
                spans.push(Span::styled(format!(" {t} "), style));
            }
            let text = vec![
                Line::from(vec![
                    Span::raw("Name: "),
                    Span::raw(name.value.clone()),
                    Span::styled("▏", theme.dim),
                ]),
                Line::from(spans),
                Line::styled(
                    "type the name · Tab/↑↓ type · Enter create · Esc cancel",
                    theme.dim,
                ),
            ];
            dialog(frame, "Create a custom field", text, 76, 6, &theme);
        }
    }
}

fn input_line(value: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("› ", theme.accent),
        Span::raw(value.to_string()),
        Span::styled("▏", theme.dim),
    ])
}

fn tabs(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut spans = vec![Span::styled(
        APP_NAME,
        theme.accent.add_modifier(Modifier::BOLD),
    )];
    for screen in Screen::ALL {
        let style = if screen == model.screen {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(layout::tab_label(screen), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn status_bar(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let marker = if model.project.unsaved() {
        Span::styled("● unsaved ", theme.warn)
    } else {
        Span::styled("saved ", theme.dim)
    };
    let message = match &model.status {
        Some(status) => {
            let style = match status.level() {
                Level::Info => theme.accent,
                Level::Warn => theme.warn,
                Level::Error => theme.error,
            };
            Span::styled(format!("{status}  "), style)
        }
        None => Span::raw(""),
    };
    let mut spans = vec![marker, message];
    let hint_text: Vec<String> = if model.searching {
        vec!["type to search · Enter keep · Esc clear".into()]
    } else {
        keymap::hints(model.screen)
            .into_iter()
            .map(|(k, h)| format!("{k} {h}"))
            .collect()
    };
    spans.push(Span::styled(hint_text.join(" · "), theme.dim));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A centred box with a title and some lines.
pub fn dialog(
    frame: &mut Frame,
    title: &str,
    text: Vec<Line>,
    width: u16,
    height: u16,
    theme: &Theme,
) {
    let full = frame.area();
    let w = width.saturating_add(2).min(full.width);
    let h = height.saturating_add(2).min(full.height);
    let area = Rect {
        x: full.x + (full.width - w) / 2,
        y: full.y + (full.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
        .border_style(theme.accent);
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        area,
    );
}

fn help(model: &Model, frame: &mut Frame, theme: &Theme) {
    let screen = model.screen;
    let line = |b: &Binding| -> Line<'static> {
        let keys: Vec<String> = match b.action {
            keymap::Action::GoScreen(_) => vec![format!("1–{}", Screen::ALL.len())],
            // A global key the screen takes over is listed with the screen's keys only.
            _ => b
                .keys
                .iter()
                .filter(|k| {
                    !keymap::screen_bindings(screen)
                        .iter()
                        .any(|own| own.action != b.action && own.keys.contains(k))
                })
                .map(|k| k.label())
                .collect(),
        };
        let help = if matches!(b.action, keymap::Action::GoScreen(_)) {
            "go to a screen"
        } else {
            b.help
        };
        Line::from(vec![
            Span::styled(format!(" {:<11}", keys.join("/")), theme.accent),
            Span::raw(help),
        ])
    };
    let mut left = vec![Line::styled(
        format!("Keys of {}", model.screen.title()),
        theme.header,
    )];
    left.extend(keymap::screen_bindings(model.screen).iter().map(line));
    left.push(Line::raw(""));
    left.push(Line::styled("Mouse: wheel scrolls,", theme.dim));
    left.push(Line::styled("click selects a row or tab.", theme.dim));
    left.push(Line::styled("Esc or ? closes this help.", theme.dim));
    let mut right = vec![Line::styled("Keys everywhere", theme.header)];
    right.extend(
        keymap::GLOBAL
            .iter()
            .filter(|b| !matches!(b.action, keymap::Action::GoScreen(i) if i > 0))
            .map(line),
    );
    let full = frame.area();
    let two = full.width >= 76;
    let rows = if two {
        left.len().max(right.len())
    } else {
        left.len() + right.len() + 1
    };
    let w = if two {
        full.width.min(100)
    } else {
        full.width.min(60)
    };
    let h = (rows as u16 + 2).min(full.height);
    let area = Rect {
        x: (full.width - w) / 2,
        y: (full.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Help — keys ")
        .title_alignment(Alignment::Center)
        .border_style(theme.accent);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if two {
        let [l, r] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Percentage(50),
            ratatui::layout::Constraint::Percentage(50),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(left), l);
        frame.render_widget(Paragraph::new(right), r);
    } else {
        left.push(Line::raw(""));
        left.extend(right);
        frame.render_widget(Paragraph::new(left), inner);
    }
}
