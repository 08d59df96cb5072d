//! The Duplicates screen's actions: deciding cluster by cluster (merge into a survivor, keep
//! separate, drop a record), the bulk merge of clusters of one e-mail, and keeping the
//! clusters in step with the mapping (computed by the worker, never here).

use super::{Command, edit, global};
use crate::dedupe::{self, MatchKey};
use crate::entity::{Entity, Target};
use crate::profile::{Decision, Split};
use crate::tui::keymap::Action;
use crate::tui::model::{DuplicateCluster, DuplicateJob, Model, Status};
use crate::tui::project::LoadStatus;

/// Handles an action of the Duplicates screen.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Command> {
    match action {
        Action::NextRecord | Action::PrevRecord => {
            let view = &mut model.duplicates_view;
            if let Some(c) = view.clusters.get(view.cursor.selected) {
                let n = c.identities.len().max(1);
                view.record = if action == Action::NextRecord {
                    (view.record + 1) % n
                } else {
                    (view.record + n - 1) % n
                };
            }
        }
        Action::NextField | Action::PrevField => {
            let view = &mut model.duplicates_view;
            if let Some(c) = view.clusters.get(view.cursor.selected) {
                let n = c.cluster.fields.len().max(1);
                view.field = if action == Action::NextField {
                    (view.field + 1) % n
                } else {
                    (view.field + n - 1) % n
                };
            }
        }
        Action::TakeValue => take_value(model),
        Action::Merge | Action::KeepSeparate | Action::Drop => decide(model, action),
        Action::MergeSameEmail => merge_same_email(model),
        Action::Recompute => {
            model.duplicates_view.jobs = None;
            return find_if_changed(model);
        }
        _ => {}
    }
    Vec::new()
}

/// The decision a key takes on the selected cluster.
fn decide(model: &mut Model, action: Action) {
    let view = &model.duplicates_view;
    let Some(cluster) = view.clusters.get(view.cursor.selected) else {
        model.status = Some(Status::Info("no cluster selected".into()));
        return;
    };
    let picked = cluster
        .identities
        .get(view.record)
        .cloned()
        .unwrap_or_default();
    let decision = match action {
        Action::Merge => Decision {
            action: "merge".into(),
            records: cluster.identities.clone(),
            survivor: Some(picked.clone()),
            // A new survivor keeps the values already chosen field by field.
            fields: decision_of(model, cluster)
                .filter(|d| d.action == "merge")
                .map(|d| d.fields.clone())
                .unwrap_or_default(),
        },
        Action::KeepSeparate => Decision {
            action: "keep".into(),
            records: cluster.identities.clone(),
            survivor: None,
            fields: Default::default(),
        },
        _ => Decision {
            action: "drop".into(),
            records: vec![picked.clone()],
            survivor: None,
            fields: Default::default(),
        },
    };
    let entity = cluster.entity;
    let members = cluster.identities.clone();
    let what = match action {
        Action::Merge => format!("merged {} records into {picked}", members.len()),
        Action::KeepSeparate => format!("kept {} records separate", members.len()),
        _ => format!("dropped {picked}"),
    };
    edit(model, |m| {
        let decisions = m.dedupe.entry(entity).or_default();
        set_decision(decisions, &members, decision);
    });
    global::changed(model, format!("{what} (u undoes)"));
    let len = model.duplicates_view.clusters.len();
    let height = crate::tui::layout::main_list_rows(model);
    model.duplicates_view.cursor.step(1, len, height);
    model.duplicates_view.record = 0;
    model.duplicates_view.field = 0;
}

/// `v`: the merge keeps the ★ record's value of the field under the cursor. Without a merge
/// decision yet, the cluster is merged into its first record with that choice.
fn take_value(model: &mut Model) {
    let view = &model.duplicates_view;
    let Some(cluster) = view.clusters.get(view.cursor.selected) else {
        model.status = Some(Status::Info("no cluster selected".into()));
        return;
    };
    let Some(field) = cluster.cluster.fields.get(view.field) else {
        model.status = Some(Status::Info("this cluster shows no fields".into()));
        return;
    };
    let Some(key) = field.key.clone() else {
        model.status = Some(Status::Info(format!(
            "{}: a merge keeps every record's values, each once",
            field.field
        )));
        return;
    };
    let record = view.record.min(cluster.identities.len().saturating_sub(1));
    let (Some(picked), Some(value)) = (cluster.identities.get(record), field.values.get(record))
    else {
        return;
    };
    if value.is_empty() {
        model.status = Some(Status::Warn(format!(
            "the ★ record has no {}: ←→ pick another",
            field.field
        )));
        return;
    }
    let mut decision = decision_of(model, cluster)
        .filter(|d| d.action == "merge")
        .cloned()
        .unwrap_or_else(|| Decision {
            action: "merge".into(),
            records: cluster.identities.clone(),
            survivor: cluster.identities.first().cloned(),
            fields: Default::default(),
        });
    if decision.survivor.as_ref() == Some(picked) {
        // The survivor's own value is what a merge keeps anyway.
        decision.fields.remove(&key);
    } else {
        decision.fields.insert(key, picked.clone());
    }
    let row = cluster.cluster.rows.get(record).copied().unwrap_or(0);
    let what = format!("{}: keep “{value}” (row {row}) in the merge", field.field);
    let (entity, members) = (cluster.entity, cluster.identities.clone());
    edit(model, |m| {
        set_decision(m.dedupe.entry(entity).or_default(), &members, decision);
    });
    global::changed(model, format!("{what} (u undoes)"));
}

/// Puts a decision in place of the one it overrides: a merge or keep replaces the cluster's
/// earlier merge or keep; a drop replaces an earlier drop of the same record.
fn set_decision(decisions: &mut Vec<Decision>, members: &[String], decision: Decision) {
    let whole = decision.action != "drop";
    decisions.retain(|d| {
        if whole {
            !(d.action != "drop" && d.records.iter().any(|r| members.contains(r)))
        } else {
            d.records != decision.records
        }
    });
    decisions.push(decision);
}

/// The decision a cluster has, if any: its merge or keep, else a drop of one of its records.
pub fn decision_of<'a>(model: &'a Model, cluster: &DuplicateCluster) -> Option<&'a Decision> {
    let decisions = model.project.mapping.dedupe.get(&cluster.entity)?;
    let first = cluster.identities.first()?;
    decisions
        .iter()
        .find(|d| d.action != "drop" && d.records.contains(first))
        .or_else(|| {
            decisions
                .iter()
                .find(|d| d.action == "drop" && cluster.identities.contains(&d.records[0]))
        })
}

/// `M`: merges every undecided cluster whose links all rest on the same e-mail, each into its
/// first record.
fn merge_same_email(model: &mut Model) {
    // Every decided record once, so thousands of clusters are checked in one pass.
    let decided: std::collections::HashSet<(Entity, &str)> = model
        .project
        .mapping
        .dedupe
        .iter()
        .flat_map(|(e, ds)| {
            ds.iter()
                .flat_map(move |d| d.records.iter().map(move |r| (*e, r.as_str())))
        })
        .collect();
    let mut picked: Vec<(Entity, Vec<String>)> = Vec::new();
    for c in &model.duplicates_view.clusters {
        let same_email = !c.cluster.links.is_empty()
            && c.cluster
                .links
                .iter()
                .all(|l| l.keys.contains(&MatchKey::Email));
        let undecided = !c
            .identities
            .iter()
            .any(|r| decided.contains(&(c.entity, r.as_str())));
        if same_email && undecided {
            picked.push((c.entity, c.identities.clone()));
        }
    }
    if picked.is_empty() {
        model.status = Some(Status::Info(
            "no undecided cluster rests on one e-mail alone".into(),
        ));
        return;
    }
    let n = picked.len();
    edit(model, |m| {
        for (entity, members) in picked {
            let decision = Decision {
                action: "merge".into(),
                survivor: members.first().cloned(),
                records: members,
                fields: Default::default(),
            };
            // No decision touches these records yet: nothing to replace.
            m.dedupe.entry(entity).or_default().push(decision);
        }
    });
    global::changed(
        model,
        format!("merged {n} cluster(s) of one e-mail (u undoes)"),
    );
}

/// What the clusters are computed from now: every read person or organization file (and
/// lead file) with its mapped columns.
pub fn jobs(model: &Model) -> Vec<DuplicateJob> {
    let mut jobs = Vec::new();
    for (i, (file, choice)) in model
        .project
        .files
        .iter()
        .zip(&model.project.mapping.files)
        .enumerate()
    {
        if file.status != LoadStatus::Ready || !dedupe::ENTITIES.contains(&choice.entity) {
            continue;
        }
        let headers = file.headers();
        let targets: Vec<_> = choice
            .columns
            .iter()
            .enumerate()
            .filter_map(|(c, choice)| choice.target().map(|t| (c, t.clone())))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let split = choice.split.as_ref().and_then(|s| {
            let column = headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(s.column.trim()))?;
            Some((s, column))
        });
        jobs.push(DuplicateJob {
            file: i,
            path: file.path.clone(),
            entity: choice.entity,
            split: split.map(|(s, column)| s.side(column, false)),
            targets: targets.clone(),
            headers: headers.clone(),
        });
        if let Some((s, column)) = split
            && dedupe::ENTITIES.contains(&s.then)
        {
            jobs.push(DuplicateJob {
                file: i,
                path: file.path.clone(),
                entity: s.then,
                split: Some(s.side(column, true)),
                targets: split_targets(s, &headers, choice.entity, &targets),
                headers,
            });
        }
    }
    jobs
}

/// The targets of a split's rows: the split's own columns first, then the file's other mapped
/// columns carried over to the split's entity (as the export does).
fn split_targets(
    split: &Split,
    headers: &[String],
    from: Entity,
    main: &[(usize, Target)],
) -> Vec<(usize, Target)> {
    let to = split.then;
    let mut targets: Vec<(usize, Target)> = split
        .columns
        .iter()
        .filter_map(|(column, spec)| {
            let i = headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(column.trim()))?;
            Some((i, spec.target()?.clone()))
        })
        .collect();
    for (i, t) in main {
        if targets.iter().any(|(j, _)| j == i) {
            continue;
        }
        targets.push((*i, t.moved(from, to)));
    }
    targets
}

/// Asks the worker for the clusters when the files or their mapping changed since the last
/// computation (and no file is still being read).
pub fn find_if_changed(model: &mut Model) -> Vec<Command> {
    let loading = model
        .project
        .files
        .iter()
        .any(|f| f.status == LoadStatus::Loading);
    if loading {
        return Vec::new();
    }
    let jobs = jobs(model);
    let view = &mut model.duplicates_view;
    if view.jobs.as_ref() == Some(&jobs) {
        return Vec::new();
    }
    view.jobs = Some(jobs.clone());
    view.generation += 1;
    view.computing = true;
    vec![Command::FindDuplicates {
        generation: view.generation,
        jobs,
    }]
}

/// The worker's clusters arrived: shown unless a newer computation is under way.
pub fn on_found(
    model: &mut Model,
    generation: u64,
    result: Result<Vec<DuplicateCluster>, crate::tui::failure::Failure>,
) {
    let view = &mut model.duplicates_view;
    if generation != view.generation {
        return;
    }
    view.computing = false;
    match result {
        Ok(clusters) => {
            view.clusters = clusters;
            view.error = None;
        }
        Err(e) => view.error = Some(e),
    }
    view.record = 0;
    view.field = 0;
    global::clamp_cursors(model);
}
