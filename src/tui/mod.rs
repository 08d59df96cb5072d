//! The terminal UI (ratatui + crossterm): Files, Mapping, Values and Review & Export screens,
//! from columns to a finished export without touching a config file.
//!
//! The Elm architecture: [`model::Model`] holds the state, [`app::update`] alone changes it from
//! [`app::Message`]s and returns [`app::Command`]s that the [`worker`] runs off the UI thread,
//! and [`view::view`] only draws. Keys live in [`keymap`]; the terminal's setup and restore
//! (panics included) in [`terminal`].

pub mod app;
pub mod demo;
pub mod failure;
pub mod keymap;
pub mod layout;
pub mod model;
pub mod project;
pub mod recovery;
pub mod screens;
pub mod start;
pub mod status;
pub mod terminal;
pub mod values;
pub mod view;
pub mod widgets;
pub mod worker;

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};

use crate::profile::Profile;
use crate::schema::Schema;
use crate::suggest::vocabulary::Vocabularies;
use app::Message;
use model::{Context, Model};
use worker::Worker;

/// How often the UI ticks (spinners, autosave).
const TICK: Duration = Duration::from_millis(250);

/// What a session opens.
pub struct Session {
    pub paths: Vec<PathBuf>,
    pub schema: Schema,
    /// The profile to start from (a preset, saved profile, or `Profile::new`).
    pub base: Profile,
    pub base_is_preset: bool,
    /// The default output folder.
    pub out: PathBuf,
    /// Names the recovery file (`demo`, or a key of the sources' paths).
    pub recovery_key: String,
    /// Files left out and suggestions decided before the UI opens (empty with a profile).
    pub start: project::StartingPoint,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The user quit with unsaved changes (kept in the recovery file).
    pub left_unsaved: bool,
}

/// The starting model and the worker of a session (no terminal needed: tests use this too).
pub fn prepare(session: Session, tx: mpsc::Sender<Message>) -> (Model, Worker) {
    let schema = Arc::new(session.schema);
    let vocabularies = Arc::new(Vocabularies::new(&schema));
    let base = Arc::new(session.base);
    let start = Arc::new(session.start);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ctx = Context {
        schema: schema.clone(),
        vocabularies: vocabularies.clone(),
        base: base.clone(),
        base_is_preset: session.base_is_preset,
        no_color,
        recovery_key: session.recovery_key,
        start: start.clone(),
    };
    let model = Model::new(ctx, session.paths, session.out);
    (
        model,
        Worker {
            tx,
            schema,
            vocabularies,
            base,
            start,
            connection: worker::AccountConnection::from_env(),
        },
    )
}

/// Runs the UI until the user quits.
pub fn run(session: Session) -> io::Result<Outcome> {
    let (tx, rx) = mpsc::channel();
    let (mut model, worker) = prepare(session, tx.clone());
    let (mut terminal, guard) = terminal::setup()?;
    let size = terminal.size()?;
    model.size = (size.width, size.height);
    for command in app::init(&model) {
        worker.run(command);
    }
    std::thread::spawn(move || {
        loop {
            let message = match event::read() {
                Ok(Event::Key(key)) => Message::Key(key),
                Ok(Event::Mouse(mouse)) => Message::Mouse(mouse),
                Ok(Event::Resize(w, h)) => Message::Resize(w, h),
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(message).is_err() {
                break;
            }
        }
    });
    let mut last_tick = Instant::now();
    while !model.quit {
        terminal.draw(|frame| view::view(&model, frame))?;
        let first = match rx.recv_timeout(TICK.saturating_sub(last_tick.elapsed())) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => {
                last_tick = Instant::now();
                Message::Tick
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // Take everything waiting before drawing again, so bursts (progress, key repeat)
        // cost one frame.
        let mut batch = vec![first];
        batch.extend(rx.try_iter().take(256));
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            batch.push(Message::Tick);
        }
        for message in batch {
            let commands = app::update(&mut model, message);
            for command in commands {
                if model.quit {
                    // Finish small last writes before exiting; a search for duplicates or a dry
                    // run of the export is moot.
                    if !matches!(
                        command,
                        app::Command::FindDuplicates { .. } | app::Command::Preview { .. }
                    ) {
                        worker.execute(command);
                    }
                } else {
                    worker.run(command);
                }
            }
            if model.quit {
                break;
            }
        }
    }
    drop(terminal);
    drop(guard);
    Ok(Outcome {
        left_unsaved: model.project.unsaved(),
    })
}
