//! Actions that work on every screen: switching screens, help, quit, save, undo/redo, moving
//! the selection, and the recovery offer.

use super::{Command, mapping, values};
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::model::{Model, Overlay, Screen, Status};

/// Handles a global action; None when the action belongs to the screen.
pub fn on_action(model: &mut Model, action: Action) -> Option<Vec<Command>> {
    let n = Screen::ALL.len();
    match action {
        Action::NextScreen => go(model, (model.screen.index() + 1) % n),
        Action::PrevScreen => go(model, (model.screen.index() + n - 1) % n),
        Action::GoScreen(i) if i < n => go(model, i),
        Action::Help => model.overlay = Some(Overlay::Help),
        Action::Quit => {
            if model.project.unsaved() {
                model.overlay = Some(Overlay::ConfirmQuit);
            } else {
                model.quit = true;
                return Some(vec![Command::DiscardRecovery {
                    key: model.ctx.recovery_key.clone(),
                }]);
            }
        }
        Action::Save => return Some(save(model)),
        Action::Undo | Action::Redo => {
            let current = model.project.mapping.clone();
            let step = if action == Action::Undo {
                model.project.history.undo(&current)
            } else {
                model.project.history.redo(&current)
            };
            match step {
                Some(mapping) => {
                    model.project.mapping = mapping;
                    model.project.edited_at = model.ticks;
                    model.status = Some(Status::Info(
                        if action == Action::Undo {
                            "undone"
                        } else {
                            "redone"
                        }
                        .into(),
                    ));
                    clamp_cursors(model);
                }
                None => {
                    model.status = Some(Status::Info(format!(
                        "nothing to {}",
                        if action == Action::Undo {
                            "undo"
                        } else {
                            "redo"
                        }
                    )))
                }
            }
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => move_cursor(model, action),
        Action::RestoreRecovery => restore(model),
        Action::DiscardRecovery => {
            if model.recovery.take().is_some() {
                model.status = Some(Status::Info("discarded the recovered work".into()));
                return Some(vec![Command::DiscardRecovery {
                    key: model.ctx.recovery_key.clone(),
                }]);
            }
        }
        _ => return None,
    }
    Some(Vec::new())
}

fn go(model: &mut Model, index: usize) {
    model.screen = Screen::ALL[index];
    model.searching = false;
    clamp_cursors(model);
}

/// Saves the profile (a bundled preset is saved as a copy under its own name).
pub fn save(model: &mut Model) -> Vec<Command> {
    let mut profile = mapping::build_profile(model);
    if model.ctx.base_is_preset {
        profile.name = format!("{}-custom", profile.name);
    }
    if profile.files.is_empty() {
        model.status = Some(Status::Warn("nothing to save yet: no file is read".into()));
        return Vec::new();
    }
    model.project.pending_save = Some(model.project.mapping.clone());
    model.status = Some(Status::Progress(format!(
        "saving profile {}…",
        profile.name
    )));
    vec![Command::SaveProfile(profile)]
}

fn restore(model: &mut Model) {
    let Some(doc) = model.recovery.take() else {
        model.status = Some(Status::Info("no recovered work to restore".into()));
        return;
    };
    let restored = super::files::restore(model, &doc);
    model.status = Some(Status::Info(format!(
        "restored the work of {} ({restored} file(s)); u undoes it",
        doc.saved_at
    )));
}

/// The length of the current screen's main list.
fn main_len(model: &Model) -> usize {
    match model.screen {
        Screen::Files => model.project.files.len(),
        Screen::Mapping => mapping::visible_columns(model).len(),
        Screen::Values => values::current_values_len(model),
        Screen::Duplicates => model.duplicates_view.clusters.len(),
        Screen::Export => super::checks(model).len(),
    }
}

fn move_cursor(model: &mut Model, action: Action) {
    let len = main_len(model);
    let height = layout::main_list_rows(model);
    let page = height as isize;
    let delta = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::Top => isize::MIN / 2,
        _ => isize::MAX / 2,
    };
    let cursor = match model.screen {
        Screen::Files => &mut model.files_cursor,
        Screen::Mapping => &mut model.mapping_view.cursor,
        Screen::Values => &mut model.values_view.cursor,
        Screen::Duplicates => &mut model.duplicates_view.cursor,
        Screen::Export => &mut model.export_view.cursor,
    };
    cursor.step(delta, len, height);
    if model.screen == Screen::Duplicates {
        model.duplicates_view.record = 0;
        model.duplicates_view.field = 0;
    }
}

/// Keeps every cursor inside its list after the lists or the terminal changed.
pub fn clamp_cursors(model: &mut Model) {
    let screen = model.screen;
    for s in Screen::ALL {
        model.screen = s;
        let len = main_len(model);
        let height = layout::main_list_rows(model);
        let cursor = match s {
            Screen::Files => &mut model.files_cursor,
            Screen::Mapping => &mut model.mapping_view.cursor,
            Screen::Values => &mut model.values_view.cursor,
            Screen::Duplicates => &mut model.duplicates_view.cursor,
            Screen::Export => &mut model.export_view.cursor,
        };
        let selected = cursor.selected;
        cursor.select(selected, len, height);
    }
    model.screen = screen;
    let files = model.project.files.len();
    model.mapping_view.file = model.mapping_view.file.min(files.saturating_sub(1));
    let targets = values::targets_len(model);
    model.values_view.target = model.values_view.target.min(targets.saturating_sub(1));
}

/// Used by the edit helpers of the screens: marks the change in the status line.
pub fn changed(model: &mut Model, what: String) {
    model.status = Some(Status::Info(what));
    clamp_cursors(model);
}

/// The recovery document for the current work.
pub fn recovery_doc(model: &Model) -> crate::tui::recovery::RecoveryDoc {
    let files = || model.project.files.iter().zip(&model.project.mapping.files);
    crate::tui::recovery::RecoveryDoc {
        saved_at: crate::tui::recovery::now(),
        // In the order of the profile's files: those exported.
        file_names: files()
            .filter(|(f, c)| crate::tui::project::exported(f, c))
            .map(|(f, _)| f.name.clone())
            .collect(),
        profile: mapping::build_profile(model),
        left_out: files()
            .filter(|(f, _)| f.status == crate::tui::project::LoadStatus::Ready)
            .filter_map(|(f, c)| {
                Some(crate::tui::recovery::LeftOutFile {
                    file: f.name.clone(),
                    reason: c.left_out.clone()?,
                })
            })
            .collect(),
    }
}

/// Quitting with unsaved changes: the work goes to the recovery file, to be offered next time.
pub fn final_autosave(model: &Model) -> Vec<Command> {
    vec![Command::Autosave {
        key: model.ctx.recovery_key.clone(),
        doc: recovery_doc(model),
    }]
}
