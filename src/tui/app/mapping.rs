//! The Mapping screen's actions: pick, accept, skip, unmap, custom fields, search and filter.

use crossterm::event::KeyEvent;

use super::{Command, edit, global};
use crate::entity::Target;
use crate::profile::{ColumnSpec, Profile};
use crate::tui::keymap::Action;
use crate::tui::model::{ColumnFilter, Model, Overlay, Status};
use crate::tui::project::{
    ColumnChoice, LoadStatus, Origin, hint, spec_for, suggested_spec, to_profile,
};
use crate::tui::widgets::input::{InputEvent, TextInput};
use crate::tui::widgets::picker::{Choice, Item, Picker, Purpose};

/// The Pipedrive field types a custom field can be created with, as `c` offers them.
pub const CUSTOM_TYPES: &[&str] = &[
    "varchar", "text", "double", "monetary", "date", "enum", "set", "phone", "address", "time",
];

/// The profile the session's state stands for.
pub fn build_profile(model: &Model) -> Profile {
    to_profile(
        &model.ctx.base,
        &model.project.files,
        &model.project.mapping,
    )
}

/// The columns of the shown file that pass the filter and search, as indices in file order.
pub fn visible_columns(model: &Model) -> Vec<usize> {
    let view = &model.mapping_view;
    let Some(file) = model.project.files.get(view.file) else {
        return Vec::new();
    };
    let Some(choice) = model.project.mapping.files.get(view.file) else {
        return Vec::new();
    };
    let search = view.search.to_lowercase();
    file.columns()
        .iter()
        .zip(&choice.columns)
        .enumerate()
        .filter(|(_, (_, c))| match view.filter {
            ColumnFilter::All => true,
            ColumnFilter::Unmapped => c.spec.is_none(),
            ColumnFilter::NeedsReview => c.needs_review(),
        })
        .filter(|(_, (p, c))| {
            search.is_empty()
                || p.name.to_lowercase().contains(&search)
                || c.target()
                    .is_some_and(|t| t.to_string().to_lowercase().contains(&search))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The column under the cursor.
pub fn selected_column(model: &Model) -> Option<usize> {
    visible_columns(model)
        .get(model.mapping_view.cursor.selected)
        .copied()
}

/// Handles a Mapping screen action.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Command> {
    let file = model.mapping_view.file;
    match action {
        Action::NextGroup | Action::PrevGroup => {
            let n = model.project.files.len().max(1);
            model.mapping_view.file = if action == Action::NextGroup {
                (file + 1) % n
            } else {
                (file + n - 1) % n
            };
            model.mapping_view.cursor = Default::default();
            global::clamp_cursors(model);
        }
        Action::Filter => {
            model.mapping_view.filter = model.mapping_view.filter.next();
            model.mapping_view.cursor = Default::default();
            global::changed(
                model,
                format!("showing {} columns", model.mapping_view.filter.label()),
            );
        }
        Action::Search => model.searching = true,
        Action::AcceptAll => accept_all(model, file),
        _ => {
            let Some(column) = selected_column(model) else {
                model.status = Some(Status::Info("no column selected".into()));
                return Vec::new();
            };
            match action {
                Action::Pick => open_picker(model, file, column),
                Action::Accept => accept(model, file, column),
                Action::Skip => set(model, file, column, Some(ColumnSpec::Target(Target::Skip))),
                Action::Clear => set(model, file, column, None),
                Action::CreateCustom => {
                    let name = model.project.files[file].columns()[column].name.clone();
                    let kind = model.project.files[file].columns()[column]
                        .kind
                        .pipedrive_type();
                    let type_index = CUSTOM_TYPES.iter().position(|t| *t == kind).unwrap_or(0);
                    model.overlay = Some(Overlay::CustomField {
                        name: TextInput::with(&name),
                        type_index,
                    });
                }
                _ => {}
            }
        }
    }
    Vec::new()
}

/// Sets a column's spec as the user's choice (one undoable step).
pub fn set(model: &mut Model, file: usize, column: usize, spec: Option<ColumnSpec>) {
    let Some(name) = model
        .project
        .files
        .get(file)
        .and_then(|f| f.columns().get(column))
        .map(|c| c.name.clone())
    else {
        return;
    };
    let what = match spec.as_ref().and_then(ColumnSpec::target) {
        Some(Target::Skip) => format!("{name}: skipped"),
        Some(t) => format!("{name} → {t}"),
        None => format!("{name}: unmapped, kept in the record's note"),
    };
    let origin = if spec.is_some() {
        Origin::User
    } else {
        Origin::Unset
    };
    edit(model, |m| {
        if let Some(c) = m
            .files
            .get_mut(file)
            .and_then(|f| f.columns.get_mut(column))
        {
            *c = ColumnChoice { spec, origin };
        }
    });
    global::changed(model, what);
}

fn accept(model: &mut Model, file: usize, column: usize) {
    let Some(s) = model.project.files[file].suggestion(column).cloned() else {
        return;
    };
    let current = model.project.mapping.files[file].columns[column].clone();
    let proposed =
        suggested_spec(&s).or_else(|| hint(&s).map(|t| spec_for(t.clone(), s.field_type)));
    match proposed {
        Some(spec) if current.spec.as_ref() != Some(&spec) || current.origin != Origin::User => {
            set(model, file, column, Some(spec))
        }
        Some(_) => model.status = Some(Status::Info("already accepted".into())),
        None => {
            model.status = Some(Status::Info(
                "no suggestion for this column; Enter picks a target".into(),
            ))
        }
    }
}

fn accept_all(model: &mut Model, file: usize) {
    let Some(source) = model.project.files.get(file) else {
        return;
    };
    if source.status != LoadStatus::Ready {
        return;
    }
    let suggestions = source
        .loaded
        .as_ref()
        .map(|l| l.suggestions.clone())
        .unwrap_or_default();
    let mut n = 0;
    edit(model, |m| {
        for (c, s) in m.files[file].columns.iter_mut().zip(&suggestions) {
            let open = matches!(c.origin, Origin::Unset | Origin::Suggested(_));
            if let (true, Some(spec)) = (open, suggested_spec(s)) {
                *c = ColumnChoice {
                    spec: Some(spec),
                    origin: Origin::User,
                };
                n += 1;
            }
        }
    });
    global::changed(model, format!("accepted {n} high/medium suggestion(s)"));
}

fn open_picker(model: &mut Model, file: usize, column: usize) {
    let schema = &model.ctx.schema;
    let choice = &model.project.mapping.files[file];
    let entity = choice.entity;
    let source = &model.project.files[file];
    let name = source.columns()[column].name.clone();
    let current = choice.columns[column].target().cloned();
    let used = |t: &Target| {
        choice
            .columns
            .iter()
            .enumerate()
            .any(|(i, c)| i != column && c.target() == Some(t))
    };
    let mut items: Vec<Item> = Vec::new();
    if let Some(s) = source.suggestion(column) {
        for t in s.target.iter().chain(&s.alternatives) {
            let label = target_label(schema, t);
            items.push(Item {
                label: format!("{} {label}", s.tier.symbol().trim())
                    .trim()
                    .to_string(),
                detail: format!("{t}  suggested"),
                choice: Choice::Target(t.clone()),
            });
        }
    }
    let mut entities = vec![entity];
    if matches!(entity, crate::Entity::Deal | crate::Entity::Lead) {
        entities.extend([crate::Entity::Person, crate::Entity::Organization]);
    }
    for e in entities {
        let Some(es) = schema.entity(e) else { continue };
        for f in &es.fields {
            // An address is one target with its parts ("Address › City"), listed together.
            let parts: Vec<String>;
            let labels: Vec<Option<&String>> = if f.is_address() {
                parts = crate::address::AddressPart::ALL
                    .iter()
                    .map(|p| p.as_str().to_string())
                    .collect();
                std::iter::once(None)
                    .chain(parts.iter().map(Some))
                    .collect()
            } else if f.labels.is_empty() {
                vec![None]
            } else {
                f.labels.iter().map(Some).collect()
            };
            for label in labels {
                let t = Target::Field {
                    entity: e,
                    key: f.key.clone(),
                    label: label.cloned(),
                };
                if items.iter().any(|i| i.choice == Choice::Target(t.clone())) {
                    continue;
                }
                let mark = if f.mandatory { " *" } else { "" };
                let used_mark = if used(&t) { "  (used)" } else { "" };
                let shown = match label {
                    Some(_) => target_label(schema, &t),
                    None => f.name.clone(),
                };
                let prefix = if e == entity {
                    String::new()
                } else {
                    format!("{}: ", e.title())
                };
                items.push(Item {
                    label: format!("{prefix}{shown}{mark}"),
                    detail: format!("{t}  {}{used_mark}", f.field_type),
                    choice: Choice::Target(t),
                });
            }
        }
    }
    for c in &choice.columns {
        let Some(t @ Target::Custom { entity, name, part }) = c.target() else {
            continue;
        };
        // An address custom field offers each of its parts.
        let targets: Vec<Target> = match part {
            None => vec![t.clone()],
            Some(_) => crate::address::AddressPart::ALL
                .iter()
                .map(|p| Target::Custom {
                    entity: *entity,
                    name: name.clone(),
                    part: Some(*p),
                })
                .collect(),
        };
        for t in targets {
            if items.iter().any(|i| i.choice == Choice::Target(t.clone())) {
                continue;
            }
            items.push(Item {
                label: target_label(schema, &t),
                detail: format!("{t}  custom field to create"),
                choice: Choice::Target(t),
            });
        }
    }
    items.push(Item {
        label: "+ create a custom field…".into(),
        detail: "name and type".into(),
        choice: Choice::NewCustom,
    });
    items.push(Item {
        label: "skip".into(),
        detail: "leave the column out".into(),
        choice: Choice::Target(Target::Skip),
    });
    items.push(Item {
        label: "note".into(),
        detail: "keep the value in the record's note (written in the profile)".into(),
        choice: Choice::Target(Target::Note),
    });
    items.push(Item {
        label: "unmapped".into(),
        detail: "not in the profile: the value goes to the note".into(),
        choice: Choice::Unmap,
    });
    let at = current.and_then(|t| {
        items
            .iter()
            .position(|i| i.choice == Choice::Target(t.clone()))
    });
    let title = format!("Map “{name}” to a {} field", entity.title());
    model.overlay = Some(Overlay::Picker(Picker::new(
        title,
        Purpose::Column { file, column },
        items,
        at,
    )));
}

/// How a link to several kinds of record reads, as one target: "Link by parent_type →
/// organization, deal" or "Link by id → organization or person". None for other specs.
pub fn link_label(spec: &crate::profile::ColumnSpec) -> Option<String> {
    let detail = spec.detail();
    if let Some(column) = &detail.link_by {
        let mut entities: Vec<&str> = Vec::new();
        for e in detail.types.values() {
            if !entities.contains(&e.as_str()) {
                entities.push(e.as_str());
            }
        }
        return Some(format!("Link by {column} → {}", entities.join(", ")));
    }
    if !detail.links.is_empty() {
        let entities: Vec<&str> = detail.links.iter().map(|e| e.as_str()).collect();
        return Some(format!("Link by id → {}", entities.join(" or ")));
    }
    None
}

/// How a target reads: the field's Pipedrive name with its label.
pub fn target_label(schema: &crate::schema::Schema, target: &Target) -> String {
    match target {
        Target::Field { label, .. } => {
            let field = schema.field(&target.without_label());
            let name = field.map_or_else(|| target.to_string(), |f| f.name.clone());
            match (label, target.address_part()) {
                (Some(_), Some(part)) if field.is_some_and(|f| f.is_address()) => {
                    format!("{name} › {}", part.short())
                }
                (Some(l), _) => format!("{name} ({l})"),
                (None, _) => name,
            }
        }
        Target::Custom {
            name,
            part: Some(part),
            ..
        } => format!("{name} › {} (custom address)", part.short()),
        Target::Custom { name, .. } => format!("{name} (custom)"),
        Target::Skip => "skip".into(),
        Target::Note => "kept in the note".into(),
    }
}

/// Creates a custom field for the selected column from the `c` dialog.
pub fn create_custom(model: &mut Model, name: &str, type_index: usize) {
    let name = name.trim();
    if name.is_empty() {
        model.status = Some(Status::Warn("a custom field needs a name".into()));
        return;
    }
    let file = model.mapping_view.file;
    let Some(column) = selected_column(model) else {
        return;
    };
    let entity = model.project.mapping.files[file].entity;
    let field_type = CUSTOM_TYPES.get(type_index).copied().unwrap_or("varchar");
    let target = Target::custom(entity, name);
    set(
        model,
        file,
        column,
        Some(spec_for(target, Some(field_type))),
    );
}

/// Keys while the column search takes input: typing filters at once.
pub fn on_search_key(model: &mut Model, key: &KeyEvent) {
    let mut input = TextInput::with(&model.mapping_view.search);
    match input.handle(key) {
        InputEvent::Submit => model.searching = false,
        InputEvent::Cancel => {
            model.searching = false;
            input.value.clear();
        }
        InputEvent::Edited => {}
    }
    model.mapping_view.search = input.value;
    model.mapping_view.cursor = Default::default();
    global::clamp_cursors(model);
}

#[cfg(test)]
mod link_label_tests {
    use super::link_label;
    use crate::Entity;
    use crate::profile::{ColumnDetail, ColumnSpec};

    #[test]
    fn a_link_to_several_kinds_of_record_reads_as_one_target() {
        let by_type = ColumnSpec::Detailed(ColumnDetail {
            link_by: Some("parent_type".into()),
            types: [
                ("accounts".to_string(), Entity::Organization),
                ("opportunities".to_string(), Entity::Deal),
            ]
            .into_iter()
            .collect(),
            ..ColumnDetail::default()
        });
        assert_eq!(
            link_label(&by_type).as_deref(),
            Some("Link by parent_type → organization, deal")
        );
        let any = ColumnSpec::Detailed(ColumnDetail {
            links: vec![Entity::Organization, Entity::Person],
            ..ColumnDetail::default()
        });
        assert_eq!(
            link_label(&any).as_deref(),
            Some("Link by id → organization or person")
        );
        let plain = ColumnSpec::Target("person.name".parse().unwrap());
        assert_eq!(link_label(&plain), None);
    }
}
