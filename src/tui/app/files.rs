//! The Files screen's actions, and what happens when a file has been read: its mapping comes
//! from the starting profile when the profile knows the file, else from the suggestions.

use std::path::PathBuf;

use super::{Command, edit, global};
use crate::entity::Entity;
use crate::profile::Profile;
use crate::tui::keymap::Action;
use crate::tui::model::{ColumnFilter, InputPurpose, ListCursor, Model, Overlay, Screen, Status};
use crate::tui::project::{
    FileChoice, LEFT_OUT_BY_USER, LoadStatus, LoadedFile, Rows, SourceFile, choices_from_profile,
    choices_from_suggestions,
};
use crate::tui::recovery::RecoveryDoc;
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::picker::{Choice, Item, Picker, Purpose};
use crate::tui::worker;

/// Handles a Files screen action.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Command> {
    match action {
        Action::ChangeEntity => open_entity_picker(model, model.files_cursor.selected),
        Action::ToggleLeftOut => {
            let file = model.files_cursor.selected;
            let left_out = model
                .project
                .mapping
                .files
                .get(file)
                .is_some_and(|f| f.left_out.is_some());
            let reason = (!left_out).then(|| LEFT_OUT_BY_USER.to_string());
            set_left_out(model, file, reason);
        }
        Action::AddFile => {
            model.overlay = Some(Overlay::Input {
                purpose: InputPurpose::AddFile,
                input: TextInput::default(),
            });
        }
        _ => {}
    }
    Vec::new()
}

/// Opens the entity picker for a file.
pub fn open_entity_picker(model: &mut Model, file: usize) {
    let Some(current) = model.project.mapping.files.get(file).map(|f| f.entity) else {
        return;
    };
    if model
        .project
        .files
        .get(file)
        .is_none_or(|f| f.status != LoadStatus::Ready)
    {
        model.status = Some(Status::Warn("this file is not read yet".into()));
        return;
    }
    let mut items: Vec<Item> = Entity::ALL
        .iter()
        .map(|e| Item {
            label: e.title().to_string(),
            detail: format!("rows become {} records", e.title()),
            choice: Choice::Entity(*e),
        })
        .collect();
    items.push(Item {
        label: "not records (leave out)".to_string(),
        detail: "the file is not exported".to_string(),
        choice: Choice::LeaveOut,
    });
    let left_out = model.project.mapping.files[file].left_out.is_some();
    let at = if left_out {
        Some(Entity::ALL.len())
    } else {
        Entity::ALL.iter().position(|e| *e == current)
    };
    let title = format!("Entity of {}", model.project.files[file].name);
    model.overlay = Some(Overlay::Picker(Picker::new(
        title,
        Purpose::Entity { file },
        items,
        at,
    )));
}

/// Leaves a file out of the export with a reason, or brings it back (`None`); one undoable
/// step.
pub fn set_left_out(model: &mut Model, file: usize, reason: Option<String>) {
    let Some(source) = model.project.files.get(file) else {
        return;
    };
    if source.status != LoadStatus::Ready {
        model.status = Some(Status::Warn("this file is not read yet".into()));
        return;
    }
    let name = source.name.clone();
    if model.project.mapping.files[file].left_out == reason {
        return;
    }
    let what = match &reason {
        Some(r) => format!("{name} is left out of the export ({r}); x brings it back"),
        None => format!(
            "{name} is exported again, as {} records",
            model.project.mapping.files[file].entity.title()
        ),
    };
    edit(model, |m| m.files[file].left_out = reason);
    global::changed(model, what);
}

/// Sets a file's entity: the columns are suggested anew for it (one undoable step). A file
/// left out is brought back.
pub fn set_entity(model: &mut Model, file: usize, entity: Entity) {
    let Some(source) = model.project.files.get(file) else {
        return;
    };
    if model
        .project
        .mapping
        .files
        .get(file)
        .is_some_and(|f| f.left_out.is_some() && f.entity == entity)
    {
        set_left_out(model, file, None);
        return;
    }
    let Some(loaded) = source.loaded.clone() else {
        return;
    };
    if model
        .project
        .mapping
        .files
        .get(file)
        .is_none_or(|f| f.entity == entity)
    {
        return;
    }
    let suggestions = worker::resuggest(&model.ctx.vocabularies, &source.name, entity, &loaded);
    let columns = choices_from_suggestions(&suggestions);
    let name = source.name.clone();
    if let Some(l) = model.project.files[file].loaded.as_mut() {
        l.suggestions = suggestions;
        l.entity = entity;
    }
    edit(model, |m| {
        let f = &mut m.files[file];
        f.entity = entity;
        f.columns = columns;
        f.left_out = None;
    });
    global::changed(
        model,
        format!(
            "{name}: rows become {} records; columns suggested anew",
            entity.title()
        ),
    );
}

/// Adds a file by path: it is read in the background like the others.
pub fn add_file(model: &mut Model, text: &str) -> Vec<Command> {
    let path = PathBuf::from(text.trim());
    if text.trim().is_empty() {
        return Vec::new();
    }
    if !path.is_file() {
        model.status = Some(Status::Error(format!("{}: no such file", path.display())));
        return Vec::new();
    }
    if model.project.files.iter().any(|f| f.path == path) {
        model.status = Some(Status::Warn(format!("{} is already open", path.display())));
        return Vec::new();
    }
    let index = model.project.files.len();
    let file = SourceFile::new(path.clone());
    let empty = crate::tui::project::placeholder(&file);
    model.project.files.push(file);
    for m in model.project.all_mappings_mut() {
        m.files.push(empty.clone());
    }
    model.files_cursor.selected = index;
    global::changed(model, format!("reading {}…", path.display()));
    vec![Command::Load { index, path }]
}

/// A file has been read (or failed): its mapping is set everywhere (current, saved, history)
/// as the session's starting point for that file, not as an edit.
pub fn on_loaded(
    model: &mut Model,
    index: usize,
    result: Result<Box<LoadedFile>, crate::tui::failure::Failure>,
) {
    let Some(file) = model.project.files.get_mut(index) else {
        return;
    };
    let loaded = match result {
        Ok(loaded) => *loaded,
        Err(e) => {
            file.status = LoadStatus::Failed(e.clone());
            file.rows = Rows::Failed(e);
            return;
        }
    };
    file.rows = match loaded.rows {
        Some(n) => Rows::Exact(n),
        None => Rows::Counting {
            seen: 0,
            estimate: loaded.estimated_rows,
        },
    };
    let mut choice = starting_choice(&model.ctx.base, &file.name, &loaded);
    choice.left_out = model.ctx.start.left_out.get(&file.path).cloned();
    file.loaded = Some(loaded);
    file.status = LoadStatus::Ready;
    for m in model.project.all_mappings_mut() {
        if let Some(f) = m.files.get_mut(index) {
            *f = choice.clone();
        }
    }
    global::clamp_cursors(model);
}

fn starting_choice(base: &Profile, _name: &str, loaded: &LoadedFile) -> FileChoice {
    let headers: Vec<String> = loaded.columns.iter().map(|c| c.name.clone()).collect();
    match base.match_file(&headers) {
        Some((i, _)) => choices_from_profile(&base.files[i], &headers),
        None => FileChoice {
            entity: loaded.entity,
            split: None,
            matcher: None,
            columns: choices_from_suggestions(&loaded.suggestions),
            left_out: None,
        },
    }
}

/// Applies recovered work to the files read so far (one undoable step); returns how many
/// files it restored.
pub fn restore(model: &mut Model, doc: &RecoveryDoc) -> usize {
    let mut restored: Vec<(usize, FileChoice)> = Vec::new();
    let mut left_out: Vec<(usize, Option<String>)> = Vec::new();
    for (i, file) in model.project.files.iter().enumerate() {
        if file.loaded.is_none() {
            continue;
        }
        let reason = doc
            .left_out
            .iter()
            .find(|l| l.file == file.name)
            .map(|l| l.reason.clone());
        if model.project.mapping.files[i].left_out != reason {
            left_out.push((i, reason.clone()));
        }
        if reason.is_some() {
            continue;
        }
        let headers = file.headers();
        let by_name = doc
            .file_names
            .iter()
            .position(|n| *n == file.name)
            .filter(|&p| p < doc.profile.files.len());
        let Some(p) = by_name.or_else(|| doc.profile.match_file(&headers).map(|(p, _)| p)) else {
            continue;
        };
        let mut choice = choices_from_profile(&doc.profile.files[p], &headers);
        let before = &model.project.mapping.files[i].columns;
        for (j, c) in choice.columns.iter_mut().enumerate() {
            // A column restored as it is now keeps its mark (preset, suggestion); the rest
            // were the user's.
            match before.get(j) {
                Some(now) if now.spec == c.spec => c.origin = now.origin,
                _ if c.spec.is_some() => c.origin = crate::tui::project::Origin::User,
                _ => {}
            }
        }
        restored.push((i, choice));
    }
    let values = doc.profile.values.clone();
    let dedupe = crate::tui::project::decisions_of(&doc.profile);
    let options = doc.profile.options.clone();
    let n = restored.len() + left_out.iter().filter(|(_, r)| r.is_some()).count();
    edit(model, |m| {
        for (i, choice) in restored {
            m.files[i] = choice;
        }
        for (i, reason) in left_out {
            m.files[i].left_out = reason;
        }
        m.values = values;
        m.dedupe = dedupe;
        m.options = options;
    });
    global::clamp_cursors(model);
    n
}

/// Once every file is read: when the session started from a saved profile and the files have
/// drifted from it (new or renamed columns), open on just that — the Mapping screen of the first
/// such file, filtered to its unmapped columns — and say what changed.
pub fn focus_drift(model: &mut Model) {
    if model.ctx.base_is_preset || model.ctx.base.files.is_empty() {
        return;
    }
    let base = model.ctx.base.clone();
    let mut first = None;
    let mut changes = 0usize;
    for (i, file) in model.project.files.iter().enumerate() {
        let Some(loaded) = &file.loaded else { continue };
        let headers: Vec<String> = loaded.columns.iter().map(|c| c.name.clone()).collect();
        let Some((m, _)) = base.match_file(&headers) else {
            continue;
        };
        let drift = crate::profile::drift::detect(&file.name, &base.files[m], &base, &headers, &[]);
        if drift.needs_review() {
            changes += drift.new_columns.len();
            first.get_or_insert(i);
        }
    }
    if let Some(i) = first {
        model.screen = Screen::Mapping;
        model.mapping_view.file = i;
        model.mapping_view.filter = ColumnFilter::Unmapped;
        model.mapping_view.cursor = ListCursor::default();
        model.status = Some(Status::Warn(format!(
            "{changes} column(s) are new since profile “{}”: showing the unmapped columns (f shows all)",
            base.name
        )));
    }
}
