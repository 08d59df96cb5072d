//! Keys while an overlay is open: help, the quit question, the picker, text inputs and the
//! custom-field dialog. The overlay was taken out of the model; it is put back unless closed.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Command, files, mapping, review, values};
use crate::entity::Target;
use crate::tui::model::{InputPurpose, Model, Overlay};
use crate::tui::project::spec_for;
use crate::tui::widgets::input::InputEvent;
use crate::tui::widgets::picker::{Choice, PickerEvent, Purpose};

/// Handles a key for the open overlay.
pub fn on_key(model: &mut Model, overlay: Overlay, key: KeyEvent) -> Vec<Command> {
    match overlay {
        Overlay::Help => {
            if !matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter
            ) {
                model.overlay = Some(Overlay::Help);
            }
        }
        Overlay::ConfirmQuit => match key.code {
            KeyCode::Char('y' | 'Y') => {
                model.quit = true;
                return super::global::final_autosave(model);
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => {}
            _ => model.overlay = Some(Overlay::ConfirmQuit),
        },
        Overlay::Picker(mut picker) => match picker.handle(&key) {
            PickerEvent::None => model.overlay = Some(Overlay::Picker(picker)),
            PickerEvent::Cancel => {}
            PickerEvent::Chosen(choice) => chosen(model, &picker.purpose, choice),
        },
        Overlay::Input { purpose, mut input } => match input.handle(&key) {
            InputEvent::Edited => model.overlay = Some(Overlay::Input { purpose, input }),
            InputEvent::Cancel => {}
            InputEvent::Submit => match purpose {
                InputPurpose::AddFile => return files::add_file(model, &input.value),
                InputPurpose::OutputFolder => review::set_out(model, &input.value),
            },
        },
        Overlay::CustomField {
            mut name,
            type_index,
        } => {
            let n = mapping::CUSTOM_TYPES.len();
            let type_index = match key.code {
                KeyCode::Tab | KeyCode::Down => (type_index + 1) % n,
                KeyCode::BackTab | KeyCode::Up => (type_index + n - 1) % n,
                _ => match name.handle(&key) {
                    InputEvent::Submit => {
                        mapping::create_custom(model, &name.value, type_index);
                        return Vec::new();
                    }
                    InputEvent::Cancel => return Vec::new(),
                    InputEvent::Edited => type_index,
                },
            };
            model.overlay = Some(Overlay::CustomField { name, type_index });
        }
    }
    Vec::new()
}

fn chosen(model: &mut Model, purpose: &Purpose, choice: Choice) {
    match (purpose, choice) {
        (Purpose::Column { file, column }, Choice::Target(target)) => {
            let field_type = custom_type(model, *file, *column, &target);
            mapping::set(
                model,
                *file,
                *column,
                Some(spec_for(target, field_type.as_deref())),
            );
        }
        (Purpose::Column { file, column }, Choice::Unmap) => {
            mapping::set(model, *file, *column, None)
        }
        (Purpose::Column { file, column }, Choice::NewCustom) => {
            let name = model
                .project
                .files
                .get(*file)
                .and_then(|f| f.columns().get(*column))
                .map(|c| (c.name.clone(), c.kind.pipedrive_type()));
            if let Some((name, kind)) = name {
                let type_index = mapping::CUSTOM_TYPES
                    .iter()
                    .position(|t| *t == kind)
                    .unwrap_or(0);
                model.overlay = Some(Overlay::CustomField {
                    name: crate::tui::widgets::input::TextInput::with(&name),
                    type_index,
                });
            }
        }
        (Purpose::Value { target, source }, Choice::Value(v)) => {
            values::set_value(model, target, source, Some(v))
        }
        (Purpose::Value { target, source }, Choice::ClearValue) => {
            values::set_value(model, target, source, None)
        }
        (Purpose::Entity { file }, Choice::Entity(e)) => files::set_entity(model, *file, e),
        (Purpose::Entity { file }, Choice::LeaveOut) => files::set_left_out(
            model,
            *file,
            Some(crate::tui::project::NOT_RECORDS_BY_USER.to_string()),
        ),
        _ => {}
    }
}

/// The type of a custom field chosen from the picker: as another column already creates it,
/// else as the suggestion says.
fn custom_type(model: &Model, file: usize, column: usize, target: &Target) -> Option<String> {
    if !matches!(target, Target::Custom { .. }) {
        return None;
    }
    let from_columns = model
        .project
        .mapping
        .files
        .iter()
        .flat_map(|f| &f.columns)
        .find_map(|c| {
            let spec = c.spec.as_ref()?;
            (spec.target() == Some(target))
                .then(|| spec.detail().field_type)
                .flatten()
        });
    from_columns.or_else(|| {
        let s = model.project.files.get(file)?.suggestion(column)?;
        (s.target.as_ref() == Some(target))
            .then(|| s.field_type.map(str::to_string))
            .flatten()
    })
}
