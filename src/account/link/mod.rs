//! `pipemap link OUT [--apply]`: after the import wizard has created the organizations,
//! persons, deals and leads of an export, their Pipedrive ids are read back from the account
//! (each record carries its source id in a custom field, such as `Sell ID`), and each activity
//! and note of the export is created through the API on exactly the records it belonged to in
//! the source — where every link it names resolves by source id or by a name exactly one record
//! has. The rest is left for the wizard in OUT/linked/, with the reason, never guessed.
//!
//! Why the API and not a file: Pipedrive's import links an activity or note to a deal, person
//! or organization by the name written in the row (docs/links.md, §4 of
//! docs/pipedrive-import.md); whether a link column takes a Pipedrive System ID is not
//! documented, so the certain path is the API, which links by id. Creating costs tokens of the
//! company's daily budget (an activity 5 in v2, a note 10 in v1; reading back 10 tokens per 500
//! records), counted before anything is created.

pub mod body;
pub mod found;
pub mod rows;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::api::{self, Call};
use super::create::Cost;
use super::manifest::{Entry, Kind, Manifest};
use super::remote::{RemoteActivityType, RemoteField, RemoteUser, list};
use super::{AccountError, Client, Me};
use crate::entity::Entity;
use found::{Found, Resolution};
use rows::{Export, IMPORTED, Row};

/// What became, or will become, of one activity or note row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fidelity {
    /// Every link it names resolved through the source id: created on exactly those records.
    LinkedById,
    /// Every link resolved, some by a name exactly one record of the account has.
    LinkedByUniqueName,
    /// A link could not be resolved (shared name, not imported): left for the wizard.
    LeftForWizard,
    /// It links to nothing the wizard or the API could attach it to.
    NotLinkable,
    /// An earlier `link --apply` created it (the manifest says so).
    CreatedEarlier,
}

impl Fidelity {
    /// Whether `--apply` creates it through the API.
    pub fn to_create(self) -> bool {
        matches!(self, Fidelity::LinkedById | Fidelity::LinkedByUniqueName)
    }

    fn words(self) -> &'static str {
        match self {
            Fidelity::LinkedById => "linked by source id",
            Fidelity::LinkedByUniqueName => "linked by a unique name",
            Fidelity::LeftForWizard => "left for the wizard",
            Fidelity::NotLinkable => "not linkable",
            Fidelity::CreatedEarlier => "created by an earlier run",
        }
    }
}

/// One row's outcome.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub row: Row,
    pub fidelity: Fidelity,
    /// The linked records' Pipedrive ids.
    pub ids: BTreeMap<Entity, Value>,
    /// Why a link stayed open.
    pub why: Option<String>,
    /// The created item's id (after `--apply`).
    pub created: Option<Value>,
}

/// A deal or lead the wizard linked to another person or organization than the source did
/// (by a name several records share): `--apply` sets the exact ones.
#[derive(Debug, Clone)]
pub struct Correction {
    pub entity: Entity,
    pub id: Value,
    pub title: String,
    /// The links to set: `person_id`, `org_id` (`organization_id` for a lead).
    pub set: serde_json::Map<String, Value>,
    /// What they were.
    pub before: serde_json::Map<String, Value>,
}

/// What `link` found and will do.
#[derive(Debug)]
pub struct Plan {
    pub outcomes: Vec<Outcome>,
    /// Imported deals and leads whose person or organization is not the source's.
    pub corrections: Vec<Correction>,
    /// Records read back per entity.
    pub found: BTreeMap<Entity, u64>,
    /// Sentences about what limits the exactness (a source-id field missing in the account).
    pub notices: Vec<String>,
    /// What reading the account cost.
    pub read_cost: Cost,
    /// What creating the linkable rows costs.
    pub create_cost: Cost,
    /// `x-daily-requests-left` of the latest answer, when Pipedrive sent it.
    pub daily_left: Option<u64>,
    users: Vec<RemoteUser>,
    activity_types: Vec<RemoteActivityType>,
}

impl Plan {
    /// How many rows of `entity` ended as `fidelity`.
    pub fn count(&self, entity: Entity, fidelity: Fidelity) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.row.entity == entity && o.fidelity == fidelity)
            .count()
    }

    /// One line on what became of `entity`'s rows, as the command line and the UI show it.
    pub fn outcome_line(&self, entity: Entity) -> String {
        let n = |f| self.count(entity, f);
        format!(
            "{}: {} linked by source id, {} by a unique name, {} left for the wizard, {} not linkable, {} created by an earlier run.",
            entity.plural(),
            n(Fidelity::LinkedById),
            n(Fidelity::LinkedByUniqueName),
            n(Fidelity::LeftForWizard),
            n(Fidelity::NotLinkable),
            n(Fidelity::CreatedEarlier),
        )
    }

    /// How many imported deals (or leads) get the source's person and organization.
    pub fn relinked(&self, entity: Entity) -> usize {
        self.corrections
            .iter()
            .filter(|c| c.entity == entity)
            .count()
    }

    /// How many activities and notes `--apply` creates.
    pub fn rows_to_create(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.fidelity.to_create())
            .count()
    }

    /// Whether what `--apply` creates fits in what Pipedrive says is left today.
    pub fn fits_budget(&self) -> Option<bool> {
        self.daily_left.map(|left| self.create_cost.tokens <= left)
    }
}

/// Reads the export and the account, and decides each activity and note row.
pub fn plan(client: &mut Client, out: &Path) -> Result<Plan, AccountError> {
    let export = rows::read(out)?;
    let earlier = match Manifest::load(out)? {
        Some(m) => m
            .still_present()
            .into_iter()
            .filter(|e| matches!(e.kind, Kind::Activity | Kind::Note))
            .filter_map(|e| e.source.map(|s| (s, e.id)))
            .collect(),
        None => BTreeMap::new(),
    };
    let before = client.budget().clone();
    let mut notices = Vec::new();
    let codes = id_field_codes(client, &export, &mut notices)?;
    let mut found = Found::default();
    let mut parents_read: Vec<(Entity, String, Value)> = Vec::new();
    for entity in IMPORTED {
        let wanted = export.outputs.iter().any(|(_, e)| *e == entity)
            || export
                .rows
                .iter()
                .any(|r| r.links.iter().any(|l| l.entity == entity));
        if !wanted {
            continue;
        }
        let code = codes.get(&entity).map(String::as_str);
        let call = api::records(entity, code).expect("imported entities have a list");
        for record in client.get_all(&call)? {
            found.add(entity, &record, code);
            if let (Entity::Deal | Entity::Lead, Some(code)) = (entity, code) {
                parents_read.push((entity, found::source_text(&record, code), record));
            }
        }
    }
    let corrections: Vec<Correction> = parents_read
        .iter()
        .filter_map(|(entity, source, record)| {
            correction(*entity, source, record, &export.parents, &found)
        })
        .collect();
    let users: Vec<RemoteUser> = list(client, &api::users())?;
    let activity_types: Vec<RemoteActivityType> = list(client, &api::activity_types())?;
    let read_cost = Cost::spent_between(&before, client.budget());
    let outcomes: Vec<Outcome> = export
        .rows
        .into_iter()
        .map(|row| decide(row, &found, &earlier))
        .collect();
    let mut calls: Vec<Call> = corrections
        .iter()
        .filter_map(|c| api::patch_record(c.entity, &id_text(&c.id)))
        .collect();
    calls.extend(
        outcomes
            .iter()
            .filter(|o| o.fidelity.to_create())
            .map(|o| creation_call(o.row.entity)),
    );
    Ok(Plan {
        create_cost: Cost::of(&calls),
        outcomes,
        corrections,
        found: found.counts.clone(),
        notices,
        read_cost,
        daily_left: client.budget().daily_left,
        users,
        activity_types,
    })
}

/// The correction an imported deal or lead needs: its source's person and organization, where
/// both are known by source id and the record links to others.
fn correction(
    entity: Entity,
    source: &str,
    record: &Value,
    parents: &rows::Parents,
    found: &Found,
) -> Option<Correction> {
    let links = parents.get(&(entity, source.to_string()))?;
    let mut set = serde_json::Map::new();
    let mut before = serde_json::Map::new();
    for (linked, source_id) in links {
        let key = match (entity, linked) {
            (_, Entity::Person) => "person_id",
            (Entity::Lead, Entity::Organization) => "organization_id",
            (_, Entity::Organization) => "org_id",
            _ => continue,
        };
        let exact = found.resolve(&rows::Named {
            entity: *linked,
            name: String::new(),
            source_id: Some(source_id.clone()),
            own: true,
        });
        if let Resolution::BySourceId(id) = exact
            && record[key] != id
        {
            before.insert(key.into(), record[key].clone());
            set.insert(key.into(), id);
        }
    }
    let title = record["title"].as_str().unwrap_or("").to_string();
    (!set.is_empty()).then(|| Correction {
        entity,
        id: record["id"].clone(),
        title,
        set,
        before,
    })
}

fn creation_call(entity: Entity) -> Call {
    if entity == Entity::Note {
        api::add_note()
    } else {
        api::add_activity()
    }
}

/// The code of each imported entity's source-id field in the account (leads: the deals').
fn id_field_codes(
    client: &mut Client,
    export: &Export,
    notices: &mut Vec<String>,
) -> Result<BTreeMap<Entity, String>, AccountError> {
    let mut codes = BTreeMap::new();
    let mut read: BTreeMap<Entity, Vec<RemoteField>> = BTreeMap::new();
    let mut missing: BTreeMap<(Entity, String), Vec<&str>> = BTreeMap::new();
    for entity in IMPORTED {
        let Some(name) = export.id_fields.get(&entity) else {
            continue;
        };
        let Some(endpoint) = api::writable_fields(entity) else {
            continue;
        };
        let fields = match read.entry(endpoint.entity) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(super::remote::read_fields(client, endpoint)?)
            }
        };
        let field = fields
            .iter()
            .find(|f| f.custom && f.name.trim().eq_ignore_ascii_case(name.trim()));
        match field {
            Some(f) => {
                codes.insert(entity, f.key.clone());
            }
            None => missing
                .entry((endpoint.entity, name.clone()))
                .or_default()
                .push(entity.plural()),
        }
    }
    for ((fields_of, name), plurals) in missing {
        notices.push(format!(
            "the account has no {fields_of} field \"{name}\" (the source id the export writes): links to {} resolve by unique names only; create it with `pipemap account prepare` before importing",
            plurals.join(" and ")
        ));
    }
    Ok(codes)
}

fn decide(row: Row, found: &Found, earlier: &BTreeMap<String, Value>) -> Outcome {
    let mut outcome = Outcome {
        fidelity: Fidelity::LinkedById,
        ids: BTreeMap::new(),
        why: None,
        created: earlier.get(&row.key()).cloned(),
        row,
    };
    if outcome.created.is_some() {
        outcome.fidelity = Fidelity::CreatedEarlier;
        return outcome;
    }
    if outcome.row.links.is_empty() {
        outcome.fidelity = if outcome.row.entity == Entity::Note {
            Fidelity::NotLinkable
        } else {
            Fidelity::LeftForWizard
        };
        outcome.why = Some("it names no deal, lead, person or organization".to_string());
        return outcome;
    }
    // Links the row names for itself decide it; names carried from its deal (or lead) only
    // add links when they resolve, as the record the row belongs to is already exact.
    let has_own = outcome.row.links.iter().any(|l| l.own);
    let mut left_out = Vec::new();
    for link in &outcome.row.links {
        let required = link.own || !has_own;
        match found.resolve(link) {
            Resolution::BySourceId(id) => {
                outcome.ids.insert(link.entity, id);
            }
            Resolution::ByUniqueName(id) => {
                outcome.ids.insert(link.entity, id);
                outcome.fidelity = Fidelity::LinkedByUniqueName;
            }
            Resolution::Open(why) if required => {
                outcome.fidelity = Fidelity::LeftForWizard;
                outcome.why = Some(why);
                outcome.ids.clear();
                return outcome;
            }
            Resolution::Open(why) => left_out.push(format!("{} link left out: {why}", link.entity)),
        }
    }
    if !left_out.is_empty() {
        outcome.why = Some(left_out.join("; "));
    }
    outcome
}

/// Creates every linkable row not created yet, recording each in the manifest at once (so a
/// second run after a failure or a spent budget creates only the rest). `created` hears of each.
pub fn apply(
    client: &mut Client,
    me: &Me,
    plan: &mut Plan,
    out: &Path,
    created: &mut dyn FnMut(&Entry),
) -> Result<usize, AccountError> {
    let mut manifest = match Manifest::load(out)? {
        Some(m) => {
            m.check_company(me)?;
            m
        }
        None => Manifest::new(&me.company_domain),
    };
    let lookup = body::Lookup {
        users: &plan.users,
        activity_types: &plan.activity_types,
    };
    let mut count = 0;
    for c in &plan.corrections {
        let Some(call) = api::patch_record(c.entity, &id_text(&c.id)) else {
            continue;
        };
        client.patch(&call, &Value::Object(c.set.clone()))?;
        manifest.created.push(Entry {
            kind: Kind::Relinked,
            id: c.id.clone(),
            name: c.title.clone(),
            entity: Some(c.entity),
            pipeline: None,
            field_code: None,
            field_id: None,
            source: None,
            before: Some(Value::Object(c.before.clone())),
            time: super::now(),
            outcome: None,
        });
        manifest.save(out)?;
        created(manifest.created.last().expect("just pushed"));
    }
    for outcome in plan.outcomes.iter_mut() {
        if !outcome.fidelity.to_create() {
            continue;
        }
        let call = creation_call(outcome.row.entity);
        let data = client.post(&call, &body::body(&outcome.row, &outcome.ids, &lookup))?;
        let id = match data.get("id") {
            Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
            _ => {
                return Err(AccountError::Answer {
                    call: call.to_string(),
                    key: "data.id".into(),
                    problem: "missing".into(),
                });
            }
        };
        let kind = if outcome.row.entity == Entity::Note {
            Kind::Note
        } else {
            Kind::Activity
        };
        manifest.created.push(Entry {
            kind,
            id: id.clone(),
            name: label(&outcome.row),
            entity: None,
            pipeline: None,
            field_code: None,
            field_id: None,
            source: Some(outcome.row.key()),
            before: None,
            time: super::now(),
            outcome: None,
        });
        manifest.save(out)?;
        created(manifest.created.last().expect("just pushed"));
        outcome.created = Some(id);
        count += 1;
    }
    Ok(count)
}

/// A short name for the manifest: the subject, or the note's first words.
fn label(row: &Row) -> String {
    let text = if row.entity == Entity::Note {
        row.get("Note - Content")
    } else {
        row.get("Activity - Subject")
    };
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        one_line.chars().take(57).collect::<String>() + "…"
    } else {
        one_line
    }
}

/// The counts of one entity's rows, for summary.json.
#[derive(Debug, Serialize)]
struct Counts {
    linked_by_id: usize,
    linked_by_unique_name: usize,
    left_for_wizard: usize,
    not_linkable: usize,
    created: usize,
}

/// After a complete `--apply`: OUT/linked/ holds the activity and note files with only the rows
/// left for the wizard, `link-fidelity.csv` every row's outcome, `link-report.md` the counts,
/// and summary.json a `link` section. Written to temporary names and renamed.
pub fn write_results(out: &Path, plan: &Plan) -> Result<(), AccountError> {
    let io = |path: &Path, e: std::io::Error| AccountError::Io {
        path: path.display().to_string(),
        error: e,
    };
    let staging = crate::transform::writer::Staging::new(&out.join("linked"))
        .map_err(|e| io(&out.join("linked"), e))?;
    let files: BTreeSet<&str> = plan.outcomes.iter().map(|o| o.row.file.as_str()).collect();
    for file in files {
        let path = staging.path(file);
        let mut w = csv::Writer::from_path(&path).map_err(|e| io(&path, e.into()))?;
        let rows: Vec<&Outcome> = plan
            .outcomes
            .iter()
            .filter(|o| o.row.file == file)
            .collect();
        let header: Vec<&str> = rows[0].row.cells.iter().map(|(h, _)| h.as_str()).collect();
        w.write_record(&header).map_err(|e| io(&path, e.into()))?;
        for o in rows.iter().filter(|o| o.created.is_none()) {
            w.write_record(o.row.cells.iter().map(|(_, v)| v.as_str()))
                .map_err(|e| io(&path, e.into()))?;
        }
        w.flush().map_err(|e| io(&path, e))?;
    }
    let path = staging.path("link-fidelity.csv");
    let mut w = csv::Writer::from_path(&path).map_err(|e| io(&path, e.into()))?;
    w.write_record([
        "file",
        "row",
        "entity",
        "outcome",
        "pipedrive_id",
        "links",
        "why",
    ])
    .map_err(|e| io(&path, e.into()))?;
    for o in &plan.outcomes {
        let links = o
            .ids
            .iter()
            .map(|(e, id)| format!("{e}={}", id_text(id)))
            .collect::<Vec<_>>()
            .join(" ");
        w.write_record([
            o.row.file.as_str(),
            &o.row.row.to_string(),
            &o.row.entity.to_string(),
            o.fidelity.words(),
            &o.created.as_ref().map(id_text).unwrap_or_default(),
            &links,
            o.why.as_deref().unwrap_or(""),
        ])
        .map_err(|e| io(&path, e.into()))?;
    }
    w.flush().map_err(|e| io(&path, e))?;
    let report = staging.path("link-report.md");
    std::fs::write(&report, report_text(plan)).map_err(|e| io(&report, e))?;
    staging.commit().map_err(|e| io(&out.join("linked"), e))?;
    add_to_summary(out, plan)
}

fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn counts(plan: &Plan, entity: Entity) -> Counts {
    Counts {
        linked_by_id: plan.count(entity, Fidelity::LinkedById),
        linked_by_unique_name: plan.count(entity, Fidelity::LinkedByUniqueName),
        left_for_wizard: plan.count(entity, Fidelity::LeftForWizard),
        not_linkable: plan.count(entity, Fidelity::NotLinkable),
        created: plan
            .outcomes
            .iter()
            .filter(|o| o.row.entity == entity && o.created.is_some())
            .count(),
    }
}

fn add_to_summary(out: &Path, plan: &Plan) -> Result<(), AccountError> {
    let path = out.join("summary.json");
    let problem = |message: String| AccountError::Export {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| problem(e.to_string()))?;
    let mut summary: Value = serde_json::from_str(&text).map_err(|e| problem(e.to_string()))?;
    let found: BTreeMap<String, u64> = plan
        .found
        .iter()
        .map(|(e, n)| (e.plural().to_string(), *n))
        .collect();
    summary["link"] = serde_json::json!({
        "activities": counts(plan, Entity::Activity),
        "notes": counts(plan, Entity::Note),
        "records_found": found,
        "deals_relinked": plan.relinked(Entity::Deal),
        "leads_relinked": plan.relinked(Entity::Lead),
        "files_left_for_wizard": "linked/",
    });
    let text = serde_json::to_string_pretty(&summary).expect("JSON writes") + "\n";
    let mut tmp = tempfile::NamedTempFile::new_in(out).map_err(|e| problem(e.to_string()))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| problem(e.to_string()))?;
    tmp.persist(&path)
        .map_err(|e| problem(e.error.to_string()))?;
    Ok(())
}

/// link-report.md: what was read back, each outcome's count, and the open rows with why.
pub fn report_text(plan: &Plan) -> String {
    let mut t = String::from("# pipemap link\n\nRecords read back from the account: ");
    t.push_str(
        &plan
            .found
            .iter()
            .map(|(e, n)| format!("{n} {}", e.plural()))
            .collect::<Vec<_>>()
            .join(", "),
    );
    t.push_str(".\n\n| outcome | activities | notes |\n|---|---:|---:|\n");
    for f in [
        Fidelity::LinkedById,
        Fidelity::LinkedByUniqueName,
        Fidelity::CreatedEarlier,
        Fidelity::LeftForWizard,
        Fidelity::NotLinkable,
    ] {
        t.push_str(&format!(
            "| {} | {} | {} |\n",
            f.words(),
            plan.count(Entity::Activity, f),
            plan.count(Entity::Note, f)
        ));
    }
    if !plan.corrections.is_empty() {
        t.push_str(&format!(
            "\n{} imported deals and leads were linked by the import to another person or organization than in the source (a name several records share); `--apply` sets the source's:\n\n| item | id | set |\n|---|---|---|\n",
            plan.corrections.len()
        ));
        for c in plan.corrections.iter().take(500) {
            let set: Vec<String> = c
                .set
                .iter()
                .map(|(k, v)| format!("{k} {} → {}", id_text(&c.before[k]), id_text(v)))
                .collect();
            t.push_str(&format!(
                "| {} \"{}\" | {} | {} |\n",
                c.entity,
                c.title.replace('|', "\\|"),
                id_text(&c.id),
                set.join(", ")
            ));
        }
    }
    for n in &plan.notices {
        t.push_str(&format!("\n- {n}"));
    }
    let open: Vec<&Outcome> = plan.outcomes.iter().filter(|o| o.why.is_some()).collect();
    if !open.is_empty() {
        t.push_str("\n\nRows left for the wizard (import them from `linked/`) or not linkable:\n\n| file | row | why |\n|---|---:|---|\n");
        for o in open.iter().take(500) {
            t.push_str(&format!(
                "| {} | {} | {} |\n",
                o.row.file,
                o.row.row,
                o.why.as_deref().unwrap_or("").replace('|', "\\|")
            ));
        }
        if open.len() > 500 {
            t.push_str(&format!(
                "\n… and {} more in link-fidelity.csv.\n",
                open.len() - 500
            ));
        }
    }
    t
}
