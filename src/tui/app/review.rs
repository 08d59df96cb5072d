//! The Review & Export screen: what blocks or weakens the import, the output folder, and the
//! export itself (run by the worker, reported back as progress and a summary).

use std::path::PathBuf;

use super::{Command, edit, global, mapping, values};
use crate::entity::{Entity, Target};
use crate::tui::keymap::Action;
use crate::tui::model::{ExportState, ExportSummary, InputPurpose, Model, Overlay, Screen, Status};
use crate::tui::project::{LoadStatus, Rows};
use crate::tui::widgets::input::TextInput;

/// How much a check matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckLevel {
    /// Rows would be rejected or the export cannot run.
    Blocker,
    /// The import works but may not be what the user wants.
    Warning,
    /// Worth knowing (custom fields to create, columns kept in notes).
    Info,
    /// All good.
    Ok,
}

impl CheckLevel {
    /// A symbol that reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            CheckLevel::Blocker => "✗",
            CheckLevel::Warning => "!",
            CheckLevel::Info => "i",
            CheckLevel::Ok => "✔",
        }
    }
}

/// One line of the review.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub level: CheckLevel,
    pub text: String,
    /// The screen where it is fixed.
    pub screen: Option<Screen>,
}

fn check(level: CheckLevel, text: String, screen: Option<Screen>) -> Check {
    Check {
        level,
        text,
        screen,
    }
}

/// Everything the review lists, blockers first.
pub fn checks(model: &Model) -> Vec<Check> {
    let schema = &model.ctx.schema;
    let mut out = Vec::new();
    for (file, choice) in model.project.files.iter().zip(&model.project.mapping.files) {
        match &file.status {
            LoadStatus::Loading => out.push(check(
                CheckLevel::Info,
                format!("{}: still reading the file…", file.name),
                None,
            )),
            LoadStatus::Failed(e) => out.push(check(
                CheckLevel::Warning,
                format!("{} is left out: {e}", file.name),
                Some(Screen::Files),
            )),
            LoadStatus::Ready => {}
        }
        if file.status != LoadStatus::Ready {
            continue;
        }
        if let Some(reason) = &choice.left_out {
            out.push(check(
                CheckLevel::Info,
                format!(
                    "{} is left out of the export: {reason} (x on the Files screen brings it back)",
                    file.name
                ),
                Some(Screen::Files),
            ));
            continue;
        }
        let targets: Vec<&Target> = choice.columns.iter().filter_map(|c| c.target()).collect();
        if let Some(es) = schema.entity(choice.entity) {
            for f in es.fields.iter().filter(|f| f.mandatory) {
                if !satisfied(&targets, choice.entity, &f.key) {
                    out.push(check(
                        CheckLevel::Blocker,
                        format!("{} ({}): the mandatory field {} is not mapped; every row would be rejected", file.name, choice.entity.title(), f.name),
                        Some(Screen::Mapping),
                    ));
                }
            }
        }
        let review = choice.columns.iter().filter(|c| c.needs_review()).count();
        if review > 0 {
            out.push(check(CheckLevel::Warning, format!("{}: {review} column(s) need review (medium-confidence suggestions; f filters them)", file.name), Some(Screen::Mapping)));
        }
        let unmapped: Vec<&str> = file
            .columns()
            .iter()
            .zip(&choice.columns)
            .filter(|(_, c)| c.spec.is_none())
            .map(|(p, _)| p.name.as_str())
            .collect();
        if !unmapped.is_empty() {
            out.push(check(
                CheckLevel::Info,
                format!(
                    "{}: {} column(s) unmapped, kept in the record's note: {}",
                    file.name,
                    unmapped.len(),
                    examples(&unmapped)
                ),
                Some(Screen::Mapping),
            ));
        }
        if let Rows::Counting { .. } = file.rows {
            out.push(check(
                CheckLevel::Info,
                format!("{}: rows still being counted", file.name),
                None,
            ));
        }
    }
    for t in values::targets(model) {
        let unmapped: Vec<&str> = t
            .unmapped(&model.project.mapping)
            .map(|(v, _)| v.as_str())
            .collect();
        if !unmapped.is_empty() && !t.options.is_empty() {
            out.push(check(
                CheckLevel::Warning,
                format!(
                    "{} ({}): {} of {} value(s) not mapped, kept as written: {}",
                    t.name,
                    t.target,
                    unmapped.len(),
                    t.values.len(),
                    examples(&unmapped)
                ),
                Some(Screen::Values),
            ));
        }
    }
    out.extend(preview_checks(model));
    let options = &model.project.mapping.options;
    out.push(check(
        CheckLevel::Info,
        if options.escape_formulas {
            "f: formula cells (= + - @) get a leading ' so Excel shows text".into()
        } else {
            "f: formula cells (= + - @) written as typed (report.md counts them)".into()
        },
        None,
    ));
    out.push(check(
        CheckLevel::Info,
        match options.layout {
            crate::profile::OutputLayout::Separate => {
                "l: layout separate, one file per entity".into()
            }
            crate::profile::OutputLayout::Combined => {
                "l: layout combined, deal rows carry their first activity and note".into()
            }
        },
        None,
    ));
    if !out.iter().any(|c| c.level <= CheckLevel::Warning) {
        out.insert(
            0,
            check(CheckLevel::Ok, "nothing blocks the export".into(), None),
        );
    }
    out.sort_by_key(|c| c.level);
    out
}

/// The export's own counts, from a dry run of it for the work on screen: rows, links and the
/// custom fields to create, as summary.json and report.md will say them.
fn preview_checks(model: &Model) -> Vec<Check> {
    let Some(preview) = model
        .export_view
        .preview
        .as_ref()
        .filter(|p| is_current(model, p))
    else {
        return Vec::new();
    };
    let counts = match &preview.result {
        None => {
            return vec![check(
                CheckLevel::Info,
                "counting rows, links and custom fields (a dry run of the export)…".into(),
                None,
            )];
        }
        Some(Err(e)) => {
            return vec![check(
                CheckLevel::Warning,
                format!("a dry run of the export fails: {e}"),
                None,
            )];
        }
        Some(Ok(counts)) => counts,
    };
    let s = &counts.summary;
    let rows_in: u64 = s.files.iter().map(|f| f.rows_in).sum();
    let rows_out: u64 = s.files.iter().map(|f| f.rows_out).sum();
    let outputs: Vec<String> = s
        .outputs
        .iter()
        .map(|o| format!("{} {}", o.file, o.rows))
        .collect();
    let mut out = vec![
        check(
            if s.rejected > 0 {
                CheckLevel::Warning
            } else {
                CheckLevel::Info
            },
            format!(
                "the export: {rows_in} rows in → {rows_out} out, {} merged, {} rejected; writes {}",
                s.merged,
                s.rejected,
                outputs.join(", ")
            ),
            None,
        ),
        check(
            if s.unresolved_links + s.ambiguous_links > 0 {
                CheckLevel::Warning
            } else {
                CheckLevel::Info
            },
            format!(
                "links: {} by id, {} by name, {} unresolved, {} ambiguous, {} records created for links",
                s.links_by_id,
                s.links_by_name,
                s.unresolved_links,
                s.ambiguous_links,
                s.created_for_links
            ),
            None,
        ),
    ];
    if !counts.custom_fields.is_empty() {
        out.push(check(
            CheckLevel::Info,
            format!(
                "{} custom field(s) to create in Pipedrive before importing (after the export, `pipemap account prepare <folder>` creates them): {}",
                counts.custom_fields.len(),
                counts.custom_fields.join(", ")
            ),
            Some(Screen::Mapping),
        ));
    }
    out
}

/// The files the export would read now.
fn export_sources(model: &Model) -> Vec<PathBuf> {
    model
        .project
        .files
        .iter()
        .zip(&model.project.mapping.files)
        .filter(|(f, c)| crate::tui::project::exported(f, c))
        .map(|(f, _)| f.path.clone())
        .collect()
}

fn is_current(model: &Model, preview: &crate::tui::model::Preview) -> bool {
    preview.mapping == model.project.mapping && preview.sources == export_sources(model)
}

/// On the Review & Export screen, once every file is read: a dry run of the export when the
/// work has changed since the last one (none while the export runs).
pub fn preview_if_stale(model: &mut Model) -> Option<Command> {
    if model.quit
        || model.screen != Screen::Export
        || matches!(model.export_view.state, ExportState::Running { .. })
        || model
            .project
            .files
            .iter()
            .any(|f| f.status == LoadStatus::Loading)
        || model
            .export_view
            .preview
            .as_ref()
            .is_some_and(|p| is_current(model, p))
    {
        return None;
    }
    let sources = export_sources(model);
    if sources.is_empty() {
        return None;
    }
    let mapping = model.project.mapping.clone();
    model.export_view.preview = Some(crate::tui::model::Preview {
        sources: sources.clone(),
        mapping: mapping.clone(),
        result: None,
    });
    Some(Command::Preview {
        sources,
        profile: mapping::build_profile(model),
        mapping: Box::new(mapping),
    })
}

/// A dry run came back: kept when it is for the work as it still is.
pub fn on_previewed(
    model: &mut Model,
    sources: Vec<PathBuf>,
    mapping: crate::tui::project::Mapping,
    result: Result<crate::tui::model::PreviewCounts, crate::tui::failure::Failure>,
) {
    if let Some(p) = model.export_view.preview.as_mut()
        && p.sources == sources
        && p.mapping == mapping
    {
        p.result = Some(result);
    }
}

/// True when the columns fill a mandatory field, directly or the way the export derives it
/// (the import's requirements are one table, [`crate::transform::requires`]).
fn satisfied(targets: &[&Target], entity: Entity, key: &str) -> bool {
    crate::transform::requires::filled_by(targets, entity, key)
}

fn examples(items: &[&str]) -> String {
    let mut text: Vec<String> = items.iter().take(3).map(|s| format!("“{s}”")).collect();
    if items.len() > 3 {
        text.push(format!("… (+{})", items.len() - 3));
    }
    text.join(", ")
}

/// Handles a Review & Export action.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Command> {
    match action {
        Action::EditOut => {
            let current = model.export_view.out.display().to_string();
            model.overlay = Some(Overlay::Input {
                purpose: InputPurpose::OutputFolder,
                input: TextInput::with(&current),
            });
            Vec::new()
        }
        Action::Export => start_export(model),
        Action::AccountDryRun | Action::AccountCreate => account(model, action),
        Action::LinkDryRun | Action::LinkCreate => link(model, action),
        Action::ToggleFormulas => {
            edit(model, |m| {
                m.options.escape_formulas = !m.options.escape_formulas
            });
            let what = if model.project.mapping.options.escape_formulas {
                "cells starting with = + - @ (or a tab or CR) will be written with a leading ' so spreadsheet programs show them as text"
            } else {
                "cells starting with = + - @ will be written as typed (report.md counts them)"
            };
            global::changed(model, format!("{what} (u undoes)"));
            Vec::new()
        }
        Action::ToggleLayout => {
            use crate::profile::OutputLayout;
            edit(model, |m| {
                m.options.layout = match m.options.layout {
                    OutputLayout::Separate => OutputLayout::Combined,
                    OutputLayout::Combined => OutputLayout::Separate,
                }
            });
            let what = match model.project.mapping.options.layout {
                OutputLayout::Combined => {
                    "combined layout: each deal row also carries its first activity and note and its contacts' e-mail, phone and address"
                }
                OutputLayout::Separate => "separate layout: one file per entity",
            };
            global::changed(model, format!("{what} (u undoes)"));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Starts the export (or queues it while files are being read).
pub fn start_export(model: &mut Model) -> Vec<Command> {
    if matches!(model.export_view.state, ExportState::Running { .. }) {
        model.status = Some(Status::Info("the export is running".into()));
        return Vec::new();
    }
    if model
        .project
        .files
        .iter()
        .any(|f| f.status == LoadStatus::Loading)
    {
        model.export_view.queued = true;
        model.status = Some(Status::Info(
            "the export starts as soon as every file is read…".into(),
        ));
        return Vec::new();
    }
    model.export_view.queued = false;
    let blockers = checks(model)
        .iter()
        .filter(|c| c.level == CheckLevel::Blocker)
        .count();
    if blockers > 0 && !model.export_view.confirm_blockers {
        model.export_view.confirm_blockers = true;
        model.status = Some(Status::Warn(format!(
            "{blockers} blocker(s) listed: press e again to export anyway"
        )));
        return Vec::new();
    }
    model.export_view.confirm_blockers = false;
    let sources = export_sources(model);
    if sources.is_empty() {
        model.status = Some(Status::Error(
            "no file to export: every file is left out or cannot be read".into(),
        ));
        return Vec::new();
    }
    model.export_view.state = ExportState::Running { done: 0, total: 0 };
    model.export_view.account = crate::tui::model::AccountState::Idle;
    model.status = Some(Status::Info(format!(
        "exporting to {}…",
        model.export_view.out.display()
    )));
    vec![Command::Export {
        sources,
        profile: mapping::build_profile(model),
        out: model.export_view.out.clone(),
    }]
}

/// Sets the output folder from the `o` input.
pub fn set_out(model: &mut Model, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        model.status = Some(Status::Warn("the output folder needs a path".into()));
        return;
    }
    model.export_view.out = PathBuf::from(text);
    model.status = Some(Status::Info(format!("the export goes to {text}")));
}

/// The worker's answer to an export.
pub fn on_export_done(
    model: &mut Model,
    result: Result<ExportSummary, crate::tui::failure::Failure>,
) {
    match result {
        Ok(summary) => {
            let rows: u64 = summary.outputs.iter().map(|o| o.rows).sum();
            model.status = Some(Status::Info(format!(
                "exported {rows} rows to {}; see report.md there",
                summary.out.display()
            )));
            model.export_view.state = ExportState::Done(summary);
        }
        Err(e) => {
            model.status = Some(Status::Error(
                "the export failed (see the summary panel)".into(),
            ));
            model.export_view.state = ExportState::Failed(e);
        }
    }
}

/// `p` / `P`: compare the finished export with the Pipedrive account, then create what it lacks.
fn account(model: &mut Model, action: Action) -> Vec<Command> {
    use crate::tui::model::AccountState;
    let ExportState::Done(summary) = &model.export_view.state else {
        model.status = Some(Status::Info(
            "export first (e); then p shows what the Pipedrive account lacks for it".into(),
        ));
        return Vec::new();
    };
    let out = summary.out.clone();
    let create = action == Action::AccountCreate;
    match &model.export_view.account {
        AccountState::Working(_) => {
            model.status = Some(Status::Info("the account is being read".into()));
            return Vec::new();
        }
        AccountState::Planned { items, .. } if create && items.is_empty() => {
            model.status = Some(Status::Info("the account lacks nothing".into()));
            return Vec::new();
        }
        AccountState::Planned { .. } => {}
        _ if create => {
            model.status = Some(Status::Info(
                "p first: it shows what would be created".into(),
            ));
            return Vec::new();
        }
        _ => {}
    }
    model.export_view.account = AccountState::Working(if create {
        "creating in Pipedrive…".into()
    } else {
        "reading the Pipedrive account…".into()
    });
    vec![Command::PrepareAccount { out, create }]
}

/// The account's preparation came back.
pub fn on_account_prepared(
    model: &mut Model,
    result: Result<crate::tui::model::AccountOutcome, crate::tui::failure::Failure>,
) {
    use crate::tui::model::AccountState;
    model.export_view.account = match result {
        Ok(o) if o.applied => AccountState::Created {
            company: o.company,
            count: o.created,
        },
        Ok(o) => AccountState::Planned {
            company: o.company,
            items: o.items,
            cannot: o.cannot,
            cost: o.cost,
        },
        Err(e) => AccountState::Failed(e),
    };
}

/// `i` / `I`: after the import wizard created organizations, persons, deals and leads, show how
/// the export's activities and notes link to them by id, then create them.
fn link(model: &mut Model, action: Action) -> Vec<Command> {
    use crate::tui::model::LinkState;
    let ExportState::Done(summary) = &model.export_view.state else {
        model.status = Some(Status::Info("export first (e), import its organizations, persons, deals and leads; then i links the rest".into()));
        return Vec::new();
    };
    let out = summary.out.clone();
    let create = action == Action::LinkCreate;
    match &model.export_view.link {
        LinkState::Working(_) => {
            model.status = Some(Status::Info("the account is being read".into()));
            return Vec::new();
        }
        LinkState::Planned { to_create: 0, .. } if create => {
            model.status = Some(Status::Info("nothing can be linked exactly yet".into()));
            return Vec::new();
        }
        LinkState::Planned { .. } => {}
        _ if create => {
            model.status = Some(Status::Info(
                "i first: it shows what would be created".into(),
            ));
            return Vec::new();
        }
        _ => {}
    }
    model.export_view.link = LinkState::Working(if create {
        "creating activities and notes in Pipedrive…".into()
    } else {
        "reading back the imported records…".into()
    });
    vec![Command::LinkAccount { out, create }]
}

/// The linking came back.
pub fn on_account_linked(
    model: &mut Model,
    result: Result<crate::tui::model::LinkOutcome, crate::tui::failure::Failure>,
) {
    use crate::tui::model::LinkState;
    model.export_view.link = match result {
        Ok(o) if o.applied => LinkState::Created {
            company: o.company,
            count: o.created,
        },
        Ok(o) => LinkState::Planned {
            company: o.company,
            lines: o.lines,
            to_create: o.to_create,
            cost: o.cost,
        },
        Err(e) => LinkState::Failed(e),
    };
}
