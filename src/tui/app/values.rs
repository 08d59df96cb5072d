//! The Values screen's actions: map a source value to a Pipedrive value, accept suggestions.

use super::{Command, edit, global};
use crate::entity::Target;
use crate::tui::keymap::Action;
use crate::tui::model::{Model, Overlay, Status};
use crate::tui::values::{ValueTarget, suggest_value, value_targets};
use crate::tui::widgets::picker::{Choice, Item, Picker, Purpose};

/// The targets the Values screen lists.
pub fn targets(model: &Model) -> Vec<ValueTarget> {
    value_targets(
        &model.ctx.schema,
        &model.project.files,
        &model.project.mapping,
    )
}

/// How many targets take fixed values.
pub fn targets_len(model: &Model) -> usize {
    targets(model).len()
}

/// How many source values the selected target has.
pub fn current_values_len(model: &Model) -> usize {
    targets(model)
        .get(model.values_view.target)
        .map_or(0, |t| t.values.len())
}

/// Handles a Values screen action.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Command> {
    let all = targets(model);
    let Some(target) = all.get(model.values_view.target).cloned() else {
        model.status = Some(Status::Info(
            "no mapped field takes fixed values yet".into(),
        ));
        return Vec::new();
    };
    let selected = target
        .values
        .get(model.values_view.cursor.selected)
        .map(|(v, _)| v.clone());
    match (action, selected) {
        (Action::NextGroup | Action::PrevGroup, _) => {
            let n = all.len();
            let t = model.values_view.target;
            model.values_view.target = if action == Action::NextGroup {
                (t + 1) % n
            } else {
                (t + n - 1) % n
            };
            model.values_view.cursor = Default::default();
            global::clamp_cursors(model);
        }
        (Action::AcceptAll, _) => {
            let picks: Vec<(String, String)> = target
                .unmapped(&model.project.mapping)
                .filter_map(|(v, _)| {
                    suggest_value(v, &target.options).map(|o| (v.clone(), o.value.clone()))
                })
                .collect();
            let n = picks.len();
            edit(model, |m| {
                let map = m.values.entry(target.target.clone()).or_default();
                for (source, value) in picks {
                    map.insert(source, value);
                }
            });
            global::changed(
                model,
                format!("{}: accepted {n} suggestion(s)", target.name),
            );
        }
        (Action::Pick, Some(source)) => open_picker(model, &target, &source),
        (Action::Accept, Some(source)) => match suggest_value(&source, &target.options) {
            Some(o) => set_value(model, &target.target, &source, Some(o.value.clone())),
            None => {
                model.status = Some(Status::Info(
                    "no similar Pipedrive value; Enter picks one".into(),
                ))
            }
        },
        (Action::Clear, Some(source)) => set_value(model, &target.target, &source, None),
        _ => {}
    }
    Vec::new()
}

/// Maps (or unmaps) one source value of a target (one undoable step).
pub fn set_value(model: &mut Model, target: &Target, source: &str, value: Option<String>) {
    let what = match &value {
        Some(v) => format!("{target}: “{source}” → “{v}”"),
        None => format!("{target}: “{source}” kept as written"),
    };
    edit(model, |m| {
        let map = m.values.entry(target.clone()).or_default();
        match value {
            Some(v) => {
                map.insert(source.to_string(), v);
            }
            None => {
                map.shift_remove(source);
            }
        }
        if map.is_empty() {
            m.values.remove(target);
        }
    });
    global::changed(model, what);
}

fn open_picker(model: &mut Model, target: &ValueTarget, source: &str) {
    let suggestion = suggest_value(source, &target.options).map(|o| o.value.clone());
    let mut items: Vec<Item> = target
        .options
        .iter()
        .map(|o| {
            let detail = if Some(&o.value) == suggestion.as_ref() {
                format!("{}  suggested", o.value)
            } else {
                o.value.clone()
            };
            Item {
                label: o.label.clone(),
                detail,
                choice: Choice::Value(o.value.clone()),
            }
        })
        .collect();
    if let Some(s) = &suggestion
        && let Some(p) = items
            .iter()
            .position(|i| i.choice == Choice::Value(s.clone()))
    {
        let item = items.remove(p);
        items.insert(0, item);
    }
    items.push(Item {
        label: format!("+ create “{source}” in Pipedrive"),
        detail: "a new value, listed in the report".into(),
        choice: Choice::Value(source.to_string()),
    });
    items.push(Item {
        label: "keep as written".into(),
        detail: "remove this value's mapping".into(),
        choice: Choice::ClearValue,
    });
    let current = target.mapped(&model.project.mapping, source).cloned();
    let at = current.and_then(|c| {
        items
            .iter()
            .position(|i| i.choice == Choice::Value(c.clone()))
    });
    let title = format!("“{source}” becomes which {}?", target.name);
    let purpose = Purpose::Value {
        target: target.target.clone(),
        source: source.to_string(),
    };
    model.overlay = Some(Overlay::Picker(Picker::new(title, purpose, items, at)));
}
