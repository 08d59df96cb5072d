//! The Elm-style core of the UI: [`Message`]s in, [`update`] changes the [`Model`] and returns
//! [`Command`]s (file work for the [`super::worker`]). Nothing here touches the terminal or files.

mod duplicates;
mod files;
mod global;
mod mapping;
mod mouse;
mod overlay;
mod review;
mod values;

use std::path::PathBuf;

use crossterm::event::{KeyEvent, KeyEventKind, MouseEvent};

use super::failure::Failure;
use super::keymap::{self, Action, Key};
use super::model::{
    DuplicateCluster, DuplicateJob, ExportState, ExportSummary, Level, Model, Screen, Status,
};
use super::project::{Distinct, LoadStatus, LoadedFile, Mapping, Rows};
use super::recovery::RecoveryDoc;
use crate::profile::Profile;

pub use duplicates::decision_of as duplicate_decision;
pub use global::recovery_doc;
pub use mapping::{
    CUSTOM_TYPES, build_profile, link_label, selected_column, target_label, visible_columns,
};
pub use review::{Check, CheckLevel, checks};
pub use values::targets as value_targets;

/// Something that happened: a key, the mouse, a resize, a tick, or a worker's report.
#[derive(Debug)]
pub enum Message {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// About four times a second.
    Tick,
    FileLoaded {
        index: usize,
        result: Result<Box<LoadedFile>, Failure>,
    },
    RowsProgress {
        index: usize,
        rows: u64,
    },
    RowsCounted {
        index: usize,
        result: Result<(u64, Vec<Distinct>), Failure>,
    },
    Saved(Result<PathBuf, Failure>),
    AutosaveFailed(Failure),
    RecoveryFound(RecoveryDoc),
    ExportProgress {
        done: u64,
        total: u64,
    },
    ExportDone(Result<ExportSummary, Failure>),
    /// A dry run of the export for these files and this mapping came back.
    Previewed {
        sources: Vec<PathBuf>,
        mapping: Box<crate::tui::project::Mapping>,
        result: Result<crate::tui::model::PreviewCounts, Failure>,
    },
    /// The clusters of duplicates of a computation, highest score first.
    DuplicatesFound {
        generation: u64,
        result: Result<Vec<DuplicateCluster>, Failure>,
    },
    /// A wait while the account is read or written (rate limit, retry), in words.
    AccountNotice(String),
    AccountPrepared(Result<crate::tui::model::AccountOutcome, Failure>),
    /// A wait or retry while linking through the account.
    LinkNotice(String),
    AccountLinked(Result<crate::tui::model::LinkOutcome, Failure>),
}

/// File work for the worker.
#[derive(Debug, Clone)]
pub enum Command {
    /// Read a file's headers and sample, then count its rows and distinct values.
    Load {
        index: usize,
        path: PathBuf,
    },
    SaveProfile(Profile),
    Autosave {
        key: String,
        doc: RecoveryDoc,
    },
    DiscardRecovery {
        key: String,
    },
    CheckRecovery {
        key: String,
    },
    Export {
        sources: Vec<PathBuf>,
        profile: Profile,
        out: PathBuf,
    },
    /// Run the export into a temporary folder for its counts (the Review screen's numbers).
    Preview {
        sources: Vec<PathBuf>,
        profile: Profile,
        mapping: Box<crate::tui::project::Mapping>,
    },
    /// Read the files and find clusters of duplicates among their persons and organizations.
    FindDuplicates {
        generation: u64,
        jobs: Vec<DuplicateJob>,
    },
    /// Compare the export in `out` with the Pipedrive account and, with `create`, create
    /// what it lacks (`pipemap account prepare`).
    PrepareAccount {
        out: PathBuf,
        create: bool,
    },
    /// Read back the imported records and, with `create`, create the export's activities and
    /// notes on them (`pipemap link`).
    LinkAccount {
        out: PathBuf,
        create: bool,
    },
}

/// Ticks of quiet after an edit before the work is autosaved.
const AUTOSAVE_AFTER_TICKS: u64 = 4;

/// The commands that start a session: read every file, look for recovered work.
pub fn init(model: &Model) -> Vec<Command> {
    let mut commands: Vec<Command> = model
        .project
        .files
        .iter()
        .enumerate()
        .map(|(index, f)| Command::Load {
            index,
            path: f.path.clone(),
        })
        .collect();
    commands.push(Command::CheckRecovery {
        key: model.ctx.recovery_key.clone(),
    });
    commands
}

/// Applies a message to the model; returns the file work it calls for. On the Review & Export
/// screen, a change of the work starts a dry run of the export for its counts.
pub fn update(model: &mut Model, message: Message) -> Vec<Command> {
    let mut commands = apply_message(model, message);
    commands.extend(review::preview_if_stale(model));
    commands
}

fn apply_message(model: &mut Model, message: Message) -> Vec<Command> {
    match message {
        Message::Key(key) if key.kind != KeyEventKind::Release => on_key(model, key),
        Message::Key(_) => Vec::new(),
        Message::Mouse(event) => mouse::on_mouse(model, event),
        Message::Resize(w, h) => {
            model.size = (w, h);
            global::clamp_cursors(model);
            Vec::new()
        }
        Message::Tick => on_tick(model),
        Message::FileLoaded { index, result } => {
            files::on_loaded(model, index, result);
            let loading = model
                .project
                .files
                .iter()
                .any(|f| f.status == LoadStatus::Loading);
            if !loading {
                files::focus_drift(model);
            }
            let mut commands = if model.export_view.queued && !loading {
                review::start_export(model)
            } else {
                Vec::new()
            };
            if !loading {
                commands.extend(duplicates::find_if_changed(model));
            }
            commands
        }
        Message::RowsProgress { index, rows } => {
            if let Some(f) = model.project.files.get_mut(index)
                && let Rows::Counting { seen, .. } = &mut f.rows
            {
                *seen = rows;
            }
            Vec::new()
        }
        Message::RowsCounted { index, result } => {
            if let Some(f) = model.project.files.get_mut(index) {
                match result {
                    Ok((rows, distinct)) => {
                        f.rows = Rows::Exact(rows);
                        f.distinct = Some(distinct);
                    }
                    Err(e) => f.rows = Rows::Failed(e),
                }
            }
            Vec::new()
        }
        Message::Saved(result) => on_saved(model, result),
        Message::AutosaveFailed(e) => {
            model.status = Some(Status::Failed {
                doing: "autosave failed",
                failure: e,
                level: Level::Warn,
            });
            Vec::new()
        }
        Message::RecoveryFound(doc) => {
            model.recovery = Some(doc);
            Vec::new()
        }
        Message::ExportProgress { done, total } => {
            model.export_view.state = ExportState::Running { done, total };
            Vec::new()
        }
        Message::ExportDone(result) => {
            review::on_export_done(model, result);
            Vec::new()
        }
        Message::Previewed {
            sources,
            mapping,
            result,
        } => {
            review::on_previewed(model, sources, *mapping, result);
            Vec::new()
        }
        Message::DuplicatesFound { generation, result } => {
            duplicates::on_found(model, generation, result);
            Vec::new()
        }
        Message::AccountNotice(text) => {
            model.export_view.account = crate::tui::model::AccountState::Working(text);
            Vec::new()
        }
        Message::AccountPrepared(result) => {
            review::on_account_prepared(model, result);
            Vec::new()
        }
        Message::LinkNotice(text) => {
            model.export_view.link = crate::tui::model::LinkState::Working(text);
            Vec::new()
        }
        Message::AccountLinked(result) => {
            review::on_account_linked(model, result);
            Vec::new()
        }
    }
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Command> {
    if let Some(overlay) = model.overlay.take() {
        return overlay::on_key(model, overlay, key);
    }
    if model.searching {
        mapping::on_search_key(model, &key);
        return Vec::new();
    }
    if key.code == crossterm::event::KeyCode::Esc {
        model.status = None;
        if model.screen == Screen::Mapping && !model.mapping_view.search.is_empty() {
            model.mapping_view.search.clear();
            global::clamp_cursors(model);
        }
        return Vec::new();
    }
    match keymap::action(model.screen, Key::from_event(&key)) {
        Some(action) => on_action(model, action),
        None => Vec::new(),
    }
}

/// Carries out an action on the current screen.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Command> {
    if let Some(commands) = global::on_action(model, action) {
        return commands;
    }
    match model.screen {
        Screen::Files => files::on_action(model, action),
        Screen::Mapping => mapping::on_action(model, action),
        Screen::Values => values::on_action(model, action),
        Screen::Duplicates => duplicates::on_action(model, action),
        Screen::Export => review::on_action(model, action),
    }
}

fn on_tick(model: &mut Model) -> Vec<Command> {
    model.ticks += 1;
    let project = &model.project;
    let quiet = model.ticks.saturating_sub(project.edited_at) >= AUTOSAVE_AFTER_TICKS;
    let loading = project
        .files
        .iter()
        .any(|f| f.status == LoadStatus::Loading);
    if !quiet || loading {
        return Vec::new();
    }
    // Once the mapping has settled, the clusters follow it.
    let mut commands = duplicates::find_if_changed(model);
    if model.project.mapping == model.project.autosaved {
        return commands;
    }
    model.project.autosaved = model.project.mapping.clone();
    let key = model.ctx.recovery_key.clone();
    if !model.project.unsaved() {
        commands.push(Command::DiscardRecovery { key });
        return commands;
    }
    let doc = global::recovery_doc(model);
    commands.push(Command::Autosave { key, doc });
    commands
}

fn on_saved(model: &mut Model, result: Result<PathBuf, Failure>) -> Vec<Command> {
    let pending = model.project.pending_save.take();
    match result {
        Ok(path) => {
            if let Some(saved) = pending {
                model.project.saved = saved;
            }
            model.status = Some(Status::Info(format!(
                "saved the profile to {}",
                path.display()
            )));
            vec![Command::DiscardRecovery {
                key: model.ctx.recovery_key.clone(),
            }]
        }
        Err(e) => {
            model.status = Some(Status::Failed {
                doing: "could not save",
                failure: e,
                level: Level::Error,
            });
            Vec::new()
        }
    }
}

/// Changes the mapping as one undoable step; a change that changes nothing leaves no step.
pub fn edit(model: &mut Model, change: impl FnOnce(&mut Mapping)) -> bool {
    let before = model.project.mapping.clone();
    change(&mut model.project.mapping);
    if model.project.mapping == before {
        return false;
    }
    model.project.history.record(before);
    model.project.edited_at = model.ticks;
    true
}
