//! The mapping UI on real exports (../shared/real_exports): it opens on the decision `apply`
//! takes without a profile, leaves out the files that are not records, and its Review screen's
//! counts are those the export then writes to summary.json.

use crate::common;
use crate::tui_support;

use std::path::{Path, PathBuf};

use crossterm::event::KeyCode;
use pipemap::export::SummaryFile;
use pipemap::profile::{self, Profile, library};
use pipemap::schema::Schema;
use pipemap::tui::model::{ExportState, Model, PreviewCounts};
use pipemap::tui::{Session, start};
use tui_support::{drain, export_to, press, run};

type Started = (
    Model,
    pipemap::tui::worker::Worker,
    std::sync::mpsc::Receiver<pipemap::tui::app::Message>,
);

const REAL: &str = "/work/shared/real_exports";

fn presets() -> Vec<(String, Profile)> {
    library::PRESETS
        .iter()
        .map(|(name, text)| (name.to_string(), profile::from_yaml(name, text).unwrap()))
        .collect()
}

/// A session on a real export's folder as `pipemap map FOLDER` opens it, every file read.
fn open(folder: &str) -> Option<Started> {
    let dir = Path::new(REAL).join(folder);
    if !dir.is_dir() {
        eprintln!("{} is not here; skipped", dir.display());
        return None;
    }
    let tables = pipemap::source::expand(&[dir]).unwrap().sources;
    let paths: Vec<PathBuf> = tables.iter().map(|s| PathBuf::from(&s.name)).collect();
    let schema = Schema::builtin();
    let opening = start::decide(tables, &presets(), &schema).unwrap();
    Some(tui_support::start(Session {
        paths,
        schema,
        base: opening.base,
        base_is_preset: opening.base_is_preset,
        out: PathBuf::from("pipemap-out"),
        recovery_key: format!("tui-real-{folder}"),
        start: opening.start,
    }))
}

fn left_out(model: &Model) -> Vec<(String, String)> {
    model
        .project
        .files
        .iter()
        .zip(&model.project.mapping.files)
        .filter_map(|(f, c)| Some((f.name.clone(), c.left_out.clone()?)))
        .collect()
}

/// The Review screen's dry run, once it is done.
fn review_counts(
    model: &mut Model,
    w: &pipemap::tui::worker::Worker,
    rx: &std::sync::mpsc::Receiver<pipemap::tui::app::Message>,
) -> PreviewCounts {
    let commands = press(model, KeyCode::Char('5'));
    run(w, commands);
    drain(model, w, rx);
    let preview = model.export_view.preview.as_ref().expect("a dry run");
    preview
        .result
        .clone()
        .expect("done")
        .expect("the dry run works")
}

fn summary(out: &Path) -> SummaryFile {
    common::read_summary(out)
}

/// Per input file: (name, rows in, rows out, rejected), from summary.json.
fn file_rows(s: &SummaryFile) -> Vec<(String, u64, u64, u64)> {
    s.summary
        .files
        .iter()
        .map(|f| {
            (
                f.file.rsplit('/').next().unwrap().to_string(),
                f.rows_in,
                f.rows_out,
                f.rejected,
            )
        })
        .collect()
}

fn counts_rows(c: &PreviewCounts) -> Vec<(String, u64, u64, u64)> {
    c.summary
        .files
        .iter()
        .map(|f| {
            (
                f.file.rsplit('/').next().unwrap().to_string(),
                f.rows_in,
                f.rows_out,
                f.rejected,
            )
        })
        .collect()
}

fn check_review_equals_summary(folder: &str, customs: usize, rows: (u64, u64, u64), left: &[&str]) {
    let Some((mut model, worker, rx)) = open(folder) else {
        return;
    };
    let names: Vec<String> = left_out(&model).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, left);
    let review = review_counts(&mut model, &worker, &rx);
    let text = pipemap::tui::app::checks(&model)
        .iter()
        .map(|c| c.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains(&format!("{customs} custom field(s) to create")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "the export: {} rows in → {} out, 0 merged, {} rejected",
            rows.0, rows.1, rows.2
        )),
        "{text}"
    );
    for name in left {
        assert!(
            text.contains(&format!("{name} is left out of the export: not records")),
            "{text}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    export_to(&mut model, &worker, &rx, &out);
    let s = summary(&out);
    assert_eq!(s.custom_fields_to_create.len(), review.custom_fields.len());
    assert_eq!(review.custom_fields.len(), customs);
    assert_eq!(file_rows(&s), counts_rows(&review));
    let counts = &s.summary;
    assert_eq!(counts.rejected, review.summary.rejected);
    assert_eq!(counts.links.by_id, review.summary.links_by_id);
    assert_eq!(counts.links.by_name, review.summary.links_by_name);
    assert_eq!(
        counts.links.created_for_links,
        review.summary.created_for_links
    );
    assert_eq!(counts.unresolved_links, review.summary.unresolved_links);
    assert_eq!(counts.ambiguous_links, review.summary.ambiguous_links);
    let ExportState::Done(done) = &model.export_view.state else {
        unreachable!()
    };
    assert_eq!(done.rejected, review.summary.rejected);
    assert_eq!(counts.warnings, review.summary.warnings);
    // A users file left out is the owner value map, as in `apply`.
    if left.contains(&"User.csv") {
        let report = std::fs::read_to_string(out.join("report.md")).unwrap();
        assert!(
            report.contains("Owners: 13 user names mapped through User.csv"),
            "{report}"
        );
    }
    // No file left out was exported.
    for (name, ..) in file_rows(&s) {
        assert!(!left.contains(&name.as_str()), "{name} was exported");
    }
}

#[test]
fn dynamics365_review_counts_are_the_exports() {
    check_review_equals_summary(
        "dynamics365-contoso-coffee",
        28,
        (5778, 5772, 6),
        &["Campaign.csv", "Territory.csv", "User.csv"],
    );
}

#[test]
fn salesforce_review_counts_are_the_exports() {
    check_review_equals_summary(
        "salesforce-devorg-earthfink",
        19,
        (101, 101, 0),
        &["OpportunityHistory.csv"],
    );
}

#[test]
fn a_file_left_out_on_the_files_screen_is_not_exported_and_comes_back() {
    let Some((mut model, worker, rx)) = open("salesforce-devorg-earthfink") else {
        return;
    };
    // Account.csv is the first file.
    press(&mut model, KeyCode::Char('1'));
    press(&mut model, KeyCode::Char('x'));
    assert_eq!(
        left_out(&model),
        vec![
            ("Account.csv".to_string(), "left out by you".to_string()),
            (
                "OpportunityHistory.csv".to_string(),
                "not records: a history of changes (each row a change, not a record)".to_string()
            ),
        ]
    );
    let doc = pipemap::tui::app::recovery_doc(&model);
    assert_eq!(doc.left_out.len(), 2);
    assert!(!doc.file_names.contains(&"Account.csv".to_string()));
    let review = review_counts(&mut model, &worker, &rx);
    let files: Vec<String> = counts_rows(&review).into_iter().map(|f| f.0).collect();
    assert_eq!(files, ["Contact.csv", "Lead.csv", "Opportunity.csv"]);
    // Brought back with x; the entity picker's last item leaves it out again.
    press(&mut model, KeyCode::Char('1'));
    press(&mut model, KeyCode::Char('x'));
    assert_eq!(left_out(&model).len(), 1);
    press(&mut model, KeyCode::Enter);
    tui_support::type_text(&mut model, "leave out");
    press(&mut model, KeyCode::Enter);
    assert_eq!(
        left_out(&model)[0],
        (
            "Account.csv".to_string(),
            "not records, as you said".to_string()
        )
    );
    // Undo brings it back.
    press(&mut model, KeyCode::Char('u'));
    assert_eq!(left_out(&model).len(), 1);
}

#[test]
fn without_a_preset_the_tui_starts_from_apply_s_suggestions_with_links_by_value() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("Account.csv"),
        "Id,Name\n001bm00001ZL8U9AAL,Acme\n001bm00001ZL8UAAA1,Beta\n",
    )
    .unwrap();
    std::fs::write(
        input.join("Contact.csv"),
        "Id,FirstName,LastName\n003bm00000AbCdEfGH,Ann,Lee\n003bm00000AbCdEfGI,Bob,Ray\n",
    )
    .unwrap();
    std::fs::write(
        input.join("Task.csv"),
        "Id,Subject,WhoOrWhat\n00Tbm0000000001AAA,Call,001bm00001ZL8U9AAL\n00Tbm0000000002AAA,Mail,003bm00000AbCdEfGI\n00Tbm0000000003AAA,Visit,001bm00001ZL8UAAA1\n",
    )
    .unwrap();
    let schema = Schema::builtin();
    let tables = || {
        pipemap::source::expand(std::slice::from_ref(&input))
            .unwrap()
            .sources
    };
    // apply's decision, as `apply` takes it.
    let sorted = pipemap::suggest::decide::sort_files(tables(), None).unwrap();
    let decided =
        match pipemap::suggest::decide::start(&sorted.kept, &presets(), &schema, None).unwrap() {
            pipemap::suggest::decide::Start::Suggested { profile, .. } => profile,
            pipemap::suggest::decide::Start::Recognised { name, .. } => {
                panic!("no preset should recognise these files, but {name} did")
            }
        };
    let paths: Vec<PathBuf> = tables().iter().map(|s| PathBuf::from(&s.name)).collect();
    let opening = start::decide(tables(), &presets(), &schema).unwrap();
    assert!(opening.base.files.is_empty());
    let (mut model, worker, rx) = tui_support::start(Session {
        paths,
        schema,
        base: opening.base,
        base_is_preset: opening.base_is_preset,
        out: PathBuf::from("pipemap-out"),
        recovery_key: "tui-real-suggested".into(),
        start: opening.start,
    });
    let tui = pipemap::tui::app::build_profile(&model);
    let columns = |p: &Profile| -> Vec<_> {
        p.files
            .iter()
            .map(|f| (f.entity, f.columns.clone()))
            .collect()
    };
    assert_eq!(columns(&tui), columns(&decided));
    let task = &tui.files[2].columns["WhoOrWhat"];
    assert_eq!(task.detail().links.len(), 2, "{task:?}");
    let review = review_counts(&mut model, &worker, &rx);
    assert_eq!(review.summary.links_by_id, 3);
    assert_eq!(review.summary.unresolved_links, 0);
}
