//! Behaviour of the UI through its update step: key presses in, the resulting profile out.

use crate::tui_support;

use crossterm::event::{KeyCode, KeyModifiers};
use pipemap::Target;
use pipemap::profile::Profile;
use pipemap::tui::app::{self, Command, Message, build_profile};
use pipemap::tui::model::{ExportState, Model, Overlay};
use tui_support::{demo, drain, press, press_with, render, run, select_column, set_out, type_text};

fn target_of(profile: &Profile, file: usize, column: &str) -> Option<String> {
    profile.files[file]
        .columns
        .get(column)
        .and_then(|s| s.target())
        .map(Target::to_string)
}

fn contacts(model: &Model) -> Option<usize> {
    let profile = build_profile(model);
    profile.files.iter().position(|f| {
        f.columns.contains_key("first_name") && f.columns.contains_key("is_organisation")
    })
}

#[test]
fn the_demo_starts_from_the_preset_without_unsaved_changes() {
    let (model, _w, _rx) = demo();
    assert!(!model.project.unsaved());
    let profile = build_profile(&model);
    assert_eq!(profile.files.len(), 5);
    let c = contacts(&model).expect("contacts mapping");
    assert_eq!(
        target_of(&profile, c, "email").as_deref(),
        Some("person.email:work")
    );
    // The contacts mapping is the preset's, column for column (columns it leaves out stay out,
    // as `apply` would do).
    let preset = &model.ctx.base.files[model
        .ctx
        .base
        .match_file(&model.project.files[0].headers())
        .unwrap()
        .0];
    let headers = model.project.files[0].headers();
    let expected: Vec<(&String, &pipemap::profile::ColumnSpec)> = preset
        .columns
        .iter()
        .filter(|(k, _)| headers.contains(k))
        .collect();
    let got: Vec<(&String, &pipemap::profile::ColumnSpec)> =
        profile.files[c].columns.iter().collect();
    assert_eq!(got, expected);
}

#[test]
fn map_a_column_through_the_picker_then_undo_and_redo() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    select_column(&mut model, "fax");
    press(&mut model, KeyCode::Enter);
    assert!(matches!(model.overlay, Some(Overlay::Picker(_))));
    type_text(&mut model, "email home");
    press(&mut model, KeyCode::Enter);
    assert!(model.overlay.is_none());
    let c = contacts(&model).unwrap();
    assert_eq!(
        target_of(&build_profile(&model), c, "fax").as_deref(),
        Some("person.email:home")
    );
    assert!(model.project.unsaved());
    assert!(render(&mut model, 80, 24).contains("● unsaved"));

    press(&mut model, KeyCode::Char('u'));
    assert_eq!(
        target_of(&build_profile(&model), c, "fax").as_deref(),
        Some("person.custom:Fax")
    );
    assert!(
        !model.project.unsaved(),
        "undo back to the start leaves nothing unsaved"
    );

    press_with(&mut model, KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(
        target_of(&build_profile(&model), c, "fax").as_deref(),
        Some("person.email:home")
    );
}

#[test]
fn skip_accept_and_unmap_a_column() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    let c = contacts(&model).unwrap();
    select_column(&mut model, "description");
    press(&mut model, KeyCode::Char('s'));
    assert_eq!(
        target_of(&build_profile(&model), c, "description").as_deref(),
        Some("skip")
    );
    press(&mut model, KeyCode::Char('x'));
    assert_eq!(target_of(&build_profile(&model), c, "description"), None);
    press(&mut model, KeyCode::Char('a'));
    assert!(
        target_of(&build_profile(&model), c, "description").is_some(),
        "a takes the suggestion's hint"
    );
}

#[test]
fn create_a_custom_field_with_a_type() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    select_column(&mut model, "creator");
    press(&mut model, KeyCode::Char('c'));
    press_with(&mut model, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut model, "Created by");
    press(&mut model, KeyCode::Home);
    let Some(Overlay::CustomField { type_index, .. }) = model.overlay.clone() else {
        panic!("no dialog")
    };
    let steps = (app::CUSTOM_TYPES
        .iter()
        .position(|t| *t == "varchar")
        .unwrap()
        + app::CUSTOM_TYPES.len()
        - type_index)
        % app::CUSTOM_TYPES.len();
    for _ in 0..steps {
        press(&mut model, KeyCode::Tab);
    }
    press(&mut model, KeyCode::Enter);
    let profile = build_profile(&model);
    let spec = &profile.files[contacts(&model).unwrap()].columns["creator"];
    assert_eq!(
        spec.target().unwrap().to_string(),
        "person.custom:Created by"
    );
    assert_eq!(spec.detail().field_type.as_deref(), Some("varchar"));
}

#[test]
fn map_a_source_value_to_a_pipedrive_value() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('3'));
    let targets = app::value_targets(&model);
    let label = targets
        .iter()
        .position(|t| t.target.to_string() == "person.label")
        .expect("person.label listed");
    for _ in 0..label {
        press(&mut model, KeyCode::Char(']'));
    }
    let values = &app::value_targets(&model)[label].values;
    let vip = values
        .iter()
        .position(|(v, _)| v == "vip")
        .expect("vip among the tags");
    for _ in 0..vip {
        press(&mut model, KeyCode::Down);
    }
    press(&mut model, KeyCode::Enter);
    type_text(&mut model, "customer");
    press(&mut model, KeyCode::Enter);
    let profile = build_profile(&model);
    let map = &profile.values[&"person.label".parse::<Target>().unwrap()];
    assert_eq!(map.get("vip").map(String::as_str), Some("Customer"));
    press(&mut model, KeyCode::Char('u'));
    assert!(
        build_profile(&model)
            .values
            .get(&"person.label".parse::<Target>().unwrap())
            .is_none_or(|m| !m.contains_key("vip"))
    );
}

#[test]
fn export_writes_the_files_and_a_reconciled_summary() {
    let (mut model, worker, rx) = demo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    press(&mut model, KeyCode::Char('5'));
    set_out(&mut model, &out);
    let commands = press(&mut model, KeyCode::Char('e'));
    assert!(
        commands.iter().any(|c| matches!(c, Command::Export { .. })),
        "e starts the export"
    );
    run(&worker, commands);
    drain(&mut model, &worker, &rx);
    let ExportState::Done(summary) = &model.export_view.state else {
        panic!("export not done: {:?}", model.export_view.state)
    };
    assert!(summary.reconciled);
    for f in [
        "02-persons.csv",
        "03-deals.csv",
        "summary.json",
        "report.md",
        "mapping.yaml",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    assert!(render(&mut model, 80, 24).contains("counts reconcile"));
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    press(&mut model, KeyCode::Char('s'));
    press(&mut model, KeyCode::Char('q'));
    assert!(matches!(model.overlay, Some(Overlay::ConfirmQuit)));
    assert!(render(&mut model, 80, 24).contains("Unsaved changes — quit? y/n"));
    press(&mut model, KeyCode::Char('n'));
    assert!(!model.quit && model.overlay.is_none());
    press(&mut model, KeyCode::Char('q'));
    let commands = press(&mut model, KeyCode::Char('y'));
    assert!(model.quit);
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::Autosave { .. })),
        "the work goes to the recovery file"
    );
}

#[test]
fn tab_and_numbers_switch_screens_and_help_opens() {
    let (mut model, _w, _rx) = demo();
    let first = render(&mut model, 80, 24);
    press(&mut model, KeyCode::Tab);
    assert_ne!(first, render(&mut model, 80, 24));
    press(&mut model, KeyCode::BackTab);
    assert_eq!(first, render(&mut model, 80, 24));
    press(&mut model, KeyCode::Char('?'));
    assert!(render(&mut model, 80, 24).to_lowercase().contains("keys"));
}

#[test]
fn a_keypress_with_300_columns_redraws_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.csv");
    let headers: Vec<String> = (0..300).map(|i| format!("Field {i}")).collect();
    let mut text = headers.join(",") + "\n";
    for r in 0..200 {
        let row: Vec<String> = (0..300).map(|i| format!("v{}", (r * i) % 7)).collect();
        text += &(row.join(",") + "\n");
    }
    std::fs::write(&path, text).unwrap();
    let (mut model, _w, _rx) = tui_support::loaded(vec![path]);
    press(&mut model, KeyCode::Char('2'));
    render(&mut model, 120, 40);
    let start = std::time::Instant::now();
    for _ in 0..50 {
        press(&mut model, KeyCode::Down);
        render(&mut model, 120, 40);
    }
    let each = start.elapsed() / 50;
    assert!(
        each < std::time::Duration::from_millis(150),
        "a keypress took {each:?}"
    );
    let _ = app::update(&mut model, Message::Tick);
}

#[test]
fn recovered_work_is_offered_and_restored() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('2'));
    select_column(&mut model, "fax");
    press(&mut model, KeyCode::Char('s'));
    let edited = build_profile(&model);
    let names = model.project.files.iter().map(|f| f.name.clone()).collect();
    let doc = pipemap::tui::recovery::RecoveryDoc {
        saved_at: "2026-01-01 09:00".into(),
        file_names: names,
        profile: edited.clone(),
        left_out: Vec::new(),
    };

    let (mut fresh, _w2, _rx2) = demo();
    app::update(&mut fresh, Message::RecoveryFound(doc));
    assert!(
        render(&mut fresh, 80, 24).contains("R restore"),
        "the offer is shown"
    );
    press(&mut fresh, KeyCode::Char('R'));
    assert_eq!(build_profile(&fresh), edited);
    assert!(fresh.recovery.is_none());
    press(&mut fresh, KeyCode::Char('u'));
    assert_ne!(
        build_profile(&fresh),
        edited,
        "restoring is one undoable step"
    );
}

/// Every duplicate decision the profile would store, of all entities.
fn dedupe_decisions(model: &Model) -> Vec<pipemap::profile::Decision> {
    build_profile(model)
        .dedupe
        .values()
        .flat_map(|s| s.decisions.clone())
        .collect()
}

#[test]
fn duplicates_are_found_in_the_background_and_decided_into_the_profile() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('4'));
    let view = &model.duplicates_view;
    assert!(!view.computing, "the worker's clusters arrived");
    assert!(!view.clusters.is_empty(), "the demo has duplicates");
    let scores: Vec<f64> = view.clusters.iter().map(|c| c.cluster.score).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "highest score first"
    );
    assert!(dedupe_decisions(&model).is_empty());

    // Merge the first cluster into its second record.
    let first = model.duplicates_view.clusters[0].identities.clone();
    press(&mut model, KeyCode::Right);
    press(&mut model, KeyCode::Char('m'));
    let decisions = dedupe_decisions(&model);
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].action, "merge");
    assert_eq!(decisions[0].records, first);
    assert_eq!(decisions[0].survivor.as_ref(), Some(&first[1]));
    assert!(model.project.unsaved(), "a decision is work to save");

    // m moved on to the next cluster: keep it separate (k is "keep" here, not "up").
    if model.duplicates_view.clusters.len() > 1 {
        let second = model.duplicates_view.clusters[1].identities.clone();
        assert_eq!(model.duplicates_view.cursor.selected, 1);
        press(&mut model, KeyCode::Char('k'));
        let decisions = dedupe_decisions(&model);
        assert_eq!(decisions.len(), 2);
        let keep = decisions
            .iter()
            .find(|d| d.action == "keep")
            .expect("a keep");
        assert_eq!(keep.records, second);
        press(&mut model, KeyCode::Char('u'));
    }
    assert_eq!(
        dedupe_decisions(&model).len(),
        1,
        "undo takes the keep back"
    );
    press(&mut model, KeyCode::Char('u'));
    assert!(dedupe_decisions(&model).is_empty(), "and then the merge");
    assert!(!model.project.unsaved());
}

#[test]
fn a_new_decision_on_a_cluster_replaces_its_earlier_one() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('4'));
    assert!(!model.duplicates_view.clusters.is_empty());
    press(&mut model, KeyCode::Char('m'));
    press(&mut model, KeyCode::Up);
    press(&mut model, KeyCode::Char('k'));
    let decisions = dedupe_decisions(&model);
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].action, "keep");
}

#[test]
fn bulk_merge_takes_every_cluster_of_one_email_in_one_undoable_step() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('4'));
    let expected = model
        .duplicates_view
        .clusters
        .iter()
        .filter(|c| {
            c.cluster
                .links
                .iter()
                .all(|l| l.keys.contains(&pipemap::dedupe::MatchKey::Email))
        })
        .count();
    press(&mut model, KeyCode::Char('M'));
    let decisions = dedupe_decisions(&model);
    assert_eq!(decisions.len(), expected);
    assert!(decisions.iter().all(|d| d.action == "merge"));
    press(&mut model, KeyCode::Char('u'));
    assert!(dedupe_decisions(&model).is_empty());
}

#[test]
fn duplicates_follow_the_mapping_once_it_settles() {
    let (mut model, _w, _rx) = demo();
    let before = model.duplicates_view.generation;
    press(&mut model, KeyCode::Char('2'));
    select_column(&mut model, "email");
    press(&mut model, KeyCode::Char('s'));
    let mut asked = Vec::new();
    for _ in 0..8 {
        asked.extend(app::update(&mut model, Message::Tick));
    }
    let finds = asked
        .iter()
        .filter(|c| matches!(c, Command::FindDuplicates { .. }))
        .count();
    assert_eq!(finds, 1, "one search once the edit settled, for the worker");
    assert!(model.duplicates_view.generation > before);
    assert!(model.duplicates_view.computing);
}

#[test]
fn a_merge_keeps_the_value_picked_field_by_field() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('4'));
    // The first cluster with a differing field a merge keeps one value of.
    let (index, field) = model
        .duplicates_view
        .clusters
        .iter()
        .enumerate()
        .find_map(|(i, c)| {
            c.cluster
                .fields
                .iter()
                .position(|f| {
                    f.differs && f.key.is_some() && f.values.iter().all(|v| !v.is_empty())
                })
                .map(|f| (i, f))
        })
        .expect("the demo has a cluster whose records disagree on a field");
    for _ in 0..index {
        press(&mut model, KeyCode::Down);
    }
    let cluster = model.duplicates_view.clusters[index].clone();
    let key = cluster.cluster.fields[field].key.clone().unwrap();
    for _ in 0..field {
        press(&mut model, KeyCode::Char('J'));
    }
    assert_eq!(model.duplicates_view.field, field);
    // ★ the second record and keep its value: the cluster merges into its first record.
    press(&mut model, KeyCode::Right);
    press(&mut model, KeyCode::Char('v'));
    let decisions = dedupe_decisions(&model);
    assert_eq!(decisions.len(), 1, "{decisions:?}");
    assert_eq!(decisions[0].action, "merge");
    assert_eq!(decisions[0].survivor.as_ref(), Some(&cluster.identities[0]));
    assert_eq!(
        decisions[0].fields.get(&key),
        Some(&cluster.identities[1]),
        "the field's value comes from the ★ record"
    );
    let text = render(&mut model, 120, 40);
    assert!(
        text.contains(" from row "),
        "the decision names the choice: {text}"
    );
    // Merging into another survivor keeps the choice; u takes it back.
    press(&mut model, KeyCode::Char('m'));
    let decisions = dedupe_decisions(&model);
    assert_eq!(decisions[0].survivor.as_ref(), Some(&cluster.identities[1]));
    assert_eq!(decisions[0].fields.get(&key), Some(&cluster.identities[1]));
    press(&mut model, KeyCode::Char('u'));
    press(&mut model, KeyCode::Char('u'));
    assert!(dedupe_decisions(&model).is_empty());
    // E-mails are united, never picked.
    if let Some(emails) = cluster.cluster.fields.iter().position(|f| f.key.is_none()) {
        let up = model.duplicates_view.field;
        for _ in 0..(emails + cluster.cluster.fields.len() - up) % cluster.cluster.fields.len() {
            press(&mut model, KeyCode::Char('J'));
        }
        press(&mut model, KeyCode::Char('v'));
        assert!(dedupe_decisions(&model).is_empty());
        let status = model
            .status
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(status.contains("each once"), "{status}");
    }
}

#[test]
fn review_toggles_formula_escaping_and_the_layout_into_the_profile() {
    let (mut model, _w, _rx) = demo();
    press(&mut model, KeyCode::Char('5'));
    assert!(!build_profile(&model).options.escape_formulas);
    press(&mut model, KeyCode::Char('f'));
    press(&mut model, KeyCode::Char('l'));
    let options = build_profile(&model).options;
    assert!(options.escape_formulas);
    assert_eq!(options.layout, pipemap::profile::OutputLayout::Combined);
    let text = render(&mut model, 120, 40);
    assert!(text.contains("get a leading '"), "{text}");
    assert!(text.contains("layout combined"), "{text}");
    press(&mut model, KeyCode::Char('u'));
    assert_eq!(
        build_profile(&model).options.layout,
        pipemap::profile::OutputLayout::Separate,
        "each toggle is one undoable step"
    );
    assert!(build_profile(&model).options.escape_formulas);
}
