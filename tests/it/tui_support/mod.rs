//! Shared by the tui_* tests: a model loaded with the bundled Zendesk Sell sample (no terminal,
//! no threads), key presses fed to `update`, and screens rendered to text.

use std::path::PathBuf;
use std::sync::mpsc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pipemap::profile::{self, library};
use pipemap::schema::Schema;
use pipemap::tui::app::{self, Command, Message};
use pipemap::tui::model::Model;
use pipemap::tui::worker::Worker;
use pipemap::tui::{Session, prepare, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The sample files, by relative path (stable in snapshots).
pub fn sample_paths() -> Vec<PathBuf> {
    [
        "contacts.csv",
        "leads.csv",
        "deals.csv",
        "tasks.csv",
        "notes.csv",
    ]
    .iter()
    .map(|f| PathBuf::from("assets/samples/zendesk-sell").join(f))
    .collect()
}

/// A session on these files with the zendesk-sell preset, every file read and counted.
pub fn loaded(paths: Vec<PathBuf>) -> (Model, Worker, mpsc::Receiver<Message>) {
    let schema = Schema::builtin();
    let (name, text) = library::resolve_text("zendesk-sell").expect("preset");
    let base = profile::from_yaml(&name, &text).expect("preset parses");
    let session = Session {
        paths,
        schema,
        base,
        base_is_preset: true,
        out: PathBuf::from("pipemap-demo-out"),
        recovery_key: "tui-test".into(),
        start: Default::default(),
    };
    start(session)
}

/// Prepares a session, loads its files and applies everything the worker reported.
pub fn start(session: Session) -> (Model, Worker, mpsc::Receiver<Message>) {
    let (tx, rx) = mpsc::channel();
    let (mut model, worker) = prepare(session, tx);
    model.size = (80, 24);
    for command in app::init(&model) {
        if let Command::Load { .. } = command {
            worker.execute(command);
        }
    }
    drain(&mut model, &worker, &rx);
    (model, worker, rx)
}

/// The demo's session, fully read.
pub fn demo() -> (Model, Worker, mpsc::Receiver<Message>) {
    loaded(sample_paths())
}

/// Feeds every waiting worker message to `update`, running the commands it returns.
pub fn drain(model: &mut Model, worker: &Worker, rx: &mpsc::Receiver<Message>) {
    while let Ok(message) = rx.try_recv() {
        let commands = app::update(model, message);
        run(worker, commands);
    }
}

/// On the Review & Export screen: sets the output folder (`o`, clear, type, Enter).
pub fn set_out(model: &mut Model, out: &std::path::Path) {
    press(model, KeyCode::Char('o'));
    press_with(model, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(model, &out.display().to_string());
    press(model, KeyCode::Enter);
}

/// On the Review & Export screen: exports into `out` (`e`) and waits until it is done.
pub fn export_to(
    model: &mut Model,
    worker: &Worker,
    rx: &mpsc::Receiver<Message>,
    out: &std::path::Path,
) {
    set_out(model, out);
    let commands = press(model, KeyCode::Char('e'));
    run(worker, commands);
    drain(model, worker, rx);
    assert!(
        matches!(
            model.export_view.state,
            pipemap::tui::model::ExportState::Done(_)
        ),
        "export not done: {:?}",
        model.export_view.state
    );
}

/// Runs commands on this thread, except the ones touching the user's folders.
pub fn run(worker: &Worker, commands: Vec<Command>) {
    for c in commands {
        if matches!(
            c,
            Command::Load { .. }
                | Command::Export { .. }
                | Command::FindDuplicates { .. }
                | Command::Preview { .. }
        ) {
            worker.execute(c);
        }
    }
}

/// Presses a key; returns the commands `update` asked for.
pub fn press(model: &mut Model, code: KeyCode) -> Vec<Command> {
    press_with(model, code, KeyModifiers::NONE)
}

/// Presses a key with modifiers.
pub fn press_with(model: &mut Model, code: KeyCode, modifiers: KeyModifiers) -> Vec<Command> {
    app::update(model, Message::Key(KeyEvent::new(code, modifiers)))
}

/// Types text, one key per character.
pub fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        press(model, KeyCode::Char(c));
    }
}

/// Draws the model at a size and returns the screen as text (trailing blanks trimmed).
pub fn render(model: &mut Model, width: u16, height: u16) -> String {
    app::update(model, Message::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| view::view(model, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Selects the column named `name` on the Mapping screen through the search.
pub fn select_column(model: &mut Model, name: &str) {
    press(model, KeyCode::Char('/'));
    type_text(model, name);
    press(model, KeyCode::Enter);
}
