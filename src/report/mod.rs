//! The audit of an export (report.md) and the import plan a person follows: what to create in
//! Pipedrive first, which file to import in which order, and what to check afterwards.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::address::AddressPart;
use crate::entity::{Entity, Target};
use crate::profile::{Profile, SplitBy};
use crate::schema::Schema;
use crate::transform::plan::{Conv, FilePlan, Rule};
use crate::transform::result::Export;

/// A custom field the account must have before import.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CustomField {
    pub entity: Entity,
    pub name: String,
    pub field_type: String,
    /// The options of an enum or set field, as the export's values name them.
    pub options: Vec<String>,
}

/// What the Pipedrive account lacks for this export.
#[derive(Debug, Default)]
pub struct Prerequisites {
    pub custom_fields: BTreeSet<CustomField>,
    /// Pipeline → stages to add, in the order first met.
    pub stages: BTreeMap<String, Vec<String>>,
    pub activity_types: BTreeSet<String>,
    pub labels: BTreeMap<Entity, BTreeSet<String>>,
    pub owners: BTreeSet<String>,
}

fn type_of(conv: &Conv) -> &'static str {
    match conv {
        Conv::Date(_) | Conv::Day(_) => "date",
        Conv::Time(_) | Conv::Duration(_) => "time",
        Conv::Money(_) => "monetary",
        Conv::Currency => "varchar",
        Conv::Number(_) => "double",
        Conv::Bool | Conv::Values => "enum",
        Conv::Labels(_) => "set",
        Conv::Phone => "phone",
        Conv::Email | Conv::Text | Conv::AddressPart(_) => "varchar",
    }
}

/// Compares what the export uses with what the account holds.
pub fn prerequisites(export: &Export, profile: &Profile, schema: &Schema) -> Prerequisites {
    let mut p = Prerequisites::default();
    for plan in &export.plans {
        for rule in plan.rules.iter().chain(&plan.split_rules) {
            if let Rule::Set {
                target: Target::Custom { entity, name, part },
                conv,
                ..
            } = rule
                && !matches!(entity, Entity::Activity | Entity::Note)
                && schema.custom_field_named(*entity, name).is_none()
            {
                // Leads share the deals' custom fields (Pipedrive API docs, "Leads").
                let options = export
                    .tally
                    .custom_options
                    .get(&(*entity, name.clone()))
                    .map(|o| o.iter().cloned().collect())
                    .unwrap_or_default();
                let entity = if *entity == Entity::Lead {
                    Entity::Deal
                } else {
                    *entity
                };
                p.custom_fields.insert(CustomField {
                    entity,
                    name: name.clone(),
                    // The parts of an address custom field fill one field of type address.
                    field_type: match part {
                        Some(_) => "address".to_string(),
                        None => type_of(conv).to_string(),
                    },
                    options,
                });
            }
        }
    }
    let account = &schema.account;
    // Stages in the order the profile's stage map lists them (the pipeline's order).
    let order: Vec<String> = profile
        .values
        .get(&Target::field(Entity::Deal, "stage_id"))
        .map(|m| m.values().cloned().collect())
        .unwrap_or_default();
    let rank = |pipeline: &str, stage: &str| {
        order
            .iter()
            .position(|t| *t == format!("{pipeline}/{stage}") || t == stage)
            .unwrap_or(usize::MAX)
    };
    let mut used: Vec<&(String, String)> = export.tally.stages.iter().collect();
    used.sort_by_key(|(p, s)| rank(p, s));
    for (pipeline, stage) in used {
        let exists = account.pipelines.iter().any(|p| {
            p.name.eq_ignore_ascii_case(pipeline)
                && p.stages.iter().any(|s| s.eq_ignore_ascii_case(stage))
        });
        if !exists {
            let list = p.stages.entry(pipeline.clone()).or_default();
            if !list.contains(stage) {
                list.push(stage.clone());
            }
        }
    }
    for t in &export.tally.activity_types {
        if !account
            .activity_types
            .iter()
            .any(|a| a.key.eq_ignore_ascii_case(t) || a.name.eq_ignore_ascii_case(t))
        {
            p.activity_types.insert(t.clone());
        }
    }
    for (entity, labels) in &export.tally.labels {
        let have = account.labels_of(*entity);
        for l in labels {
            if !have.iter().any(|h| h.eq_ignore_ascii_case(l)) {
                p.labels.entry(*entity).or_default().insert(l.clone());
            }
        }
    }
    for o in &export.tally.owners {
        if !account
            .users
            .iter()
            .any(|u| u.email.eq_ignore_ascii_case(o) || u.name.eq_ignore_ascii_case(o))
        {
            p.owners.insert(o.clone());
        }
    }
    p
}

/// The numbered import steps.
pub fn plan_steps(export: &Export, pre: &Prerequisites) -> Vec<String> {
    let mut steps = Vec::new();
    if !pre.custom_fields.is_empty() {
        let list: Vec<String> = pre
            .custom_fields
            .iter()
            .map(|f| {
                if f.options.is_empty() {
                    format!("{} \"{}\" ({})", f.entity.title(), f.name, f.field_type)
                } else {
                    format!(
                        "{} \"{}\" ({} with options: {})",
                        f.entity.title(),
                        f.name,
                        f.field_type,
                        f.options.join(", ")
                    )
                }
            })
            .collect();
        steps.push(format!(
            "Create these custom fields in Pipedrive (Settings → Data fields): {}.",
            list.join("; ")
        ));
    }
    for (pipeline, stages) in &pre.stages {
        steps.push(format!(
            "Add to the pipeline \"{pipeline}\" (create it if missing) the stages: {}.",
            stages.join(", ")
        ));
    }
    if !pre.activity_types.is_empty() {
        steps.push(format!(
            "Add these activity types (Company settings → Activities): {}.",
            pre.activity_types
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (entity, labels) in &pre.labels {
        steps.push(format!(
            "Add these {} labels: {}.",
            entity.title().to_lowercase(),
            labels.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if !pre.owners.is_empty() {
        steps.push(format!("Make sure these owners are users of the account (invite them or map them in the profile's values): {}.", pre.owners.iter().cloned().collect::<Vec<_>>().join(", ")));
    }
    // Links to names several records share land exactly only through Pipedrive System IDs:
    // once the records they point at are imported, export those and relink the rest.
    let last_target = export.ambiguous.iter().map(|a| a.entity).max();
    let mut relink_said = false;
    for o in &export.summary.outputs {
        if let Some(last) = last_target
            && !relink_said
            && o.entity > last
        {
            let exported: Vec<&str> = Entity::ALL
                .iter()
                .filter(|e| **e <= last && export.summary.outputs.iter().any(|x| x.entity == **e))
                .map(|e| e.plural())
                .collect();
            steps.push(format!(
                "Export the imported {} from Pipedrive (each list view → export, with the ID and the source-id columns) and run `pipemap relink <this folder> --pipedrive-export <those files>`; import what follows from relinked/, where links carry Pipedrive System IDs ({} links point at names that several records share).",
                exported.join(", "),
                export.summary.ambiguous_links
            ));
            relink_said = true;
        }
        let advice = match o.entity {
            Entity::Organization => {
                " — merge duplicates: organizations with the same name and address become one"
            }
            Entity::Person => {
                " — merge duplicates: a person with the same name and the same e-mail, phone or organization becomes one"
            }
            Entity::Deal if export.summary.combined.is_some() => {
                " — deals are never merged: each row makes a deal; keep duplicate merging on, so the person and organization written in each row (name with e-mail/phone, name with address) merge into the ones imported before, and the activity and note in a row are linked to that row's deal"
            }
            Entity::Deal => " — deals are never merged: each row makes a deal",
            Entity::Activity | Entity::Note => " — each row links by the names (or IDs) it carries",
            _ => "",
        };
        steps.push(format!(
            "Import {} ({} {}){advice}.",
            o.file,
            o.rows,
            o.entity.plural()
        ));
    }
    if export.summary.rejected > 0 {
        steps.push(format!(
            "Review rejects.csv: {} row(s) were not written and need fixing at the source.",
            export.summary.rejected
        ));
    }
    steps.push("After importing, filter each list by the import (Pipedrive's import history offers it) and compare the counts with summary.json; check persons without an organization and deals without a person.".to_string());
    steps
}

/// The "Addresses" section: each address field the export writes in parts, with the columns
/// that fill each part, so the user knows which address columns the import wizard will map.
fn addresses(md: &mut String, export: &Export, schema: &Schema) {
    // (entity, field name) → parts with their source columns, in reading order.
    let mut fields: BTreeMap<(Entity, String), BTreeMap<AddressPart, Vec<String>>> =
        BTreeMap::new();
    for plan in &export.plans {
        let rules = plan.rules.iter().chain(&plan.split_rules);
        let headers = plan.headers.iter().chain(&plan.headers);
        for (rule, header) in rules.zip(headers) {
            let Rule::Set { target, .. } = rule else {
                continue;
            };
            let (Some(part), Some(entity)) = (target.address_part(), target.entity()) else {
                continue;
            };
            let name = match target {
                Target::Custom { name, .. } => {
                    format!("{name} (custom field to create, type address)")
                }
                _ => schema
                    .field(&target.without_label())
                    .map_or_else(|| target.to_string(), |f| f.name.clone()),
            };
            let column = format!("{} `{header}`", plan.file_name());
            let list = fields
                .entry((entity, name))
                .or_default()
                .entry(part)
                .or_default();
            if !list.contains(&column) {
                list.push(column);
            }
        }
    }
    if fields.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n## Addresses\n");
    let _ = writeln!(
        md,
        "Each address below is written in parts, one column per part named as Pipedrive's exports name them (\"City/town/village/locality of Address\"), which the import wizard maps to the address field's parts; the field's own column holds the whole address, composed from the parts where the source has no single address column.\n"
    );
    let _ = writeln!(md, "| item | address field | parts (source columns) |");
    let _ = writeln!(md, "|---|---|---|");
    for ((entity, name), parts) in &fields {
        let parts: Vec<String> = parts
            .iter()
            .map(|(part, cols)| format!("{} ← {}", part.label(), cols.join(", ")))
            .collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            entity.title(),
            escape(name),
            escape(&parts.join("; "))
        );
    }
}

/// report.md: the plan, the reconciliation, each file's columns, links and unmapped values.
pub fn markdown(export: &Export, profile: &Profile, schema: &Schema, steps: &[String]) -> String {
    let mut md = String::new();
    heading(&mut md, profile, steps);
    counts(&mut md, export);
    merges(&mut md, export);
    notes_and_drift(&mut md, export);
    links(&mut md, export);
    addresses(&mut md, export, schema);
    let _ = writeln!(md, "\n## Columns\n");
    for (fi, plan) in export.plans.iter().enumerate() {
        file_columns(&mut md, export, schema, fi, plan);
    }
    unmapped_values(&mut md, export);
    formulas(&mut md, export, profile);
    md
}

/// The title, the profile and the numbered import plan.
fn heading(md: &mut String, profile: &Profile, steps: &[String]) {
    let _ = writeln!(md, "# pipemap export report\n");
    let _ = writeln!(
        md,
        "Profile: `{}`{}.\n",
        profile.name,
        profile
            .source_crm
            .as_deref()
            .map(|c| format!(" (source: {c})"))
            .unwrap_or_default()
    );
    let _ = writeln!(md, "## Import plan\n");
    for (i, step) in steps.iter().enumerate() {
        let _ = writeln!(md, "{}. {step}", i + 1);
    }
}

/// Rows in and out per file, and the rows of each output file.
fn counts(md: &mut String, export: &Export) {
    let s = &export.summary;
    let _ = writeln!(md, "\n## Counts\n");
    let _ = writeln!(
        md,
        "Every input row ends in exactly one place: an output row, a merge, or rejects.csv.\n"
    );
    let _ = writeln!(
        md,
        "| file | entity | rows in | written | merged | rejected | with warnings | adds up |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---:|---|");
    for f in &s.files {
        let ok = f.rows_in == f.rows_out + f.merged + f.rejected;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            f.file,
            f.entity,
            f.rows_in,
            f.rows_out,
            f.merged,
            f.rejected,
            f.with_warnings,
            if ok { "yes" } else { "**no**" }
        );
    }
    let _ = writeln!(
        md,
        "\nReconciled: **{}**.\n",
        if s.reconciled { "yes" } else { "no" }
    );
    let _ = writeln!(md, "| output file | entity | rows |");
    let _ = writeln!(md, "|---|---|---:|");
    for o in &s.outputs {
        let _ = writeln!(md, "| {} | {} | {} |", o.file, o.entity, o.rows);
    }
    for (entity, n) in &export.tally.created_for_links {
        let _ = writeln!(
            md,
            "\n{n} {} written with only a name because rows link to them and no row describes them.",
            entity.plural()
        );
    }
}

/// The duplicates merged, when there were some.
fn merges(md: &mut String, export: &Export) {
    let s = &export.summary;
    if !export.merges.is_empty() {
        let _ = writeln!(md, "\n## Duplicates merged\n");
        let _ = writeln!(
            md,
            "{} record(s) merged into {} survivor(s) (the profile's `dedupe:` decisions and auto-merge keys); e-mails, phones and labels are united on the survivor, and links to a merged record point at its survivor.\n",
            s.merged,
            export.merges.len()
        );
        let _ = writeln!(md, "| entity | survivor | merged into it |");
        let _ = writeln!(md, "|---|---|---|");
        for m in export.merges.iter().take(50) {
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                m.entity,
                escape(&m.survivor),
                escape(&m.absorbed.join("; "))
            );
        }
    }
}

/// What the readers said about the files, and how they differ from the profile.
fn notes_and_drift(md: &mut String, export: &Export) {
    if !export.source_notes.is_empty() {
        let _ = writeln!(md, "\n## Notes on the files\n");
        for note in &export.source_notes {
            let _ = writeln!(md, "- {}", escape(note));
        }
    }
    let drift: Vec<String> = export.drift.iter().flat_map(|d| d.lines()).collect();
    if !drift.is_empty() {
        let _ = writeln!(md, "\n## Changes since the profile\n");
        for line in &drift {
            let _ = writeln!(md, "- {}", escape(line));
        }
    }
}

/// How the rows' links were made, and those to check.
fn links(md: &mut String, export: &Export) {
    let s = &export.summary;
    let _ = writeln!(md, "\n## Links\n");
    let l = &s.links;
    let examples = |list: &[String]| {
        if list.is_empty() {
            String::new()
        } else {
            format!(" (e.g. {})", escape(&list.join("; ")))
        }
    };
    let _ = writeln!(
        md,
        "- Resolved by id (the source names the record by its id, found in another file): {}.",
        l.by_id
    );
    let _ = writeln!(
        md,
        "- Written by name (the import links by the name the row gives): {}.",
        l.by_name
    );
    let _ = writeln!(
        md,
        "- Unresolved links (the linked record is not in the export or was rejected): {}{}; each is listed in warnings.csv and its value kept in the record's note.",
        s.unresolved_links,
        examples(&l.examples.unresolved)
    );
    let _ = writeln!(
        md,
        "- Links to a name that several records share (Pipedrive's import links by name, so these may land on the wrong record): {}{}.",
        s.ambiguous_links,
        examples(&l.examples.ambiguous)
    );
    let _ = writeln!(
        md,
        "- Records written only because rows link to them by name: {}{}.",
        l.created_for_links,
        examples(&l.examples.created_for_links)
    );
    if l.suspect_created > 0 {
        let _ = writeln!(
            md,
            "- **Of those, records whose name looks like another spelling of an existing record's** (case, accents, text damaged by a wrong encoding): {}{}; check the rows that link to them (warnings.csv lists each).",
            l.suspect_created,
            examples(&l.examples.suspect_created)
        );
    }
    if let Some(c) = &s.combined {
        let _ = writeln!(
            md,
            "- Combined layout: {} activities and {} notes are written in their deal's row (linked to exactly that deal, not by title); {} deal rows carry their person's e-mail and phone or their organization's address, which the import's duplicate matching uses to pick the right person and organization.",
            c.activities, c.notes, c.contacts
        );
    }
    if !export.ambiguous.is_empty() {
        let _ = writeln!(md, "\n| entity | shared name | records | links |");
        let _ = writeln!(md, "|---|---|---:|---:|");
        for a in export.ambiguous.iter().take(20) {
            let (e, records, links) = (a.entity, a.records, a.links);
            let _ = writeln!(md, "| {e} | {} | {records} | {links} |", escape(&a.name));
        }
    }
}

/// One file's columns: where each went, how full it was, and what to know about them.
fn file_columns(md: &mut String, export: &Export, schema: &Schema, fi: usize, plan: &FilePlan) {
    let s = &export.summary;
    let counts = &s.files[fi];
    let _ = writeln!(md, "### {} → {}\n", plan.file, plan.entity);
    if let Some((c, e)) = plan.split {
        let picks = match plan.split_by {
            SplitBy::YesNo => "is true".to_string(),
            SplitBy::Kind => format!("names the kind {e}"),
        };
        let _ = writeln!(
            md,
            "Rows whose `{}` {picks} become {} ({} rows).\n",
            plan.headers[c], e, counts.split_rows
        );
    }
    let _ = writeln!(
        md,
        "| source column | target | target type | filled | problems |"
    );
    let _ = writeln!(md, "|---|---|---|---:|---:|");
    for (c, rule) in plan.rules.iter().enumerate() {
        let tally = export
            .tally
            .columns
            .get(fi)
            .and_then(|f| f.get(c))
            .cloned()
            .unwrap_or_default();
        let (target, ty) = if plan.secret_columns.contains(&plan.headers[c]) {
            ("**left out: holds secrets**".to_string(), "—".to_string())
        } else {
            describe(rule, schema)
        };
        let fill = if counts.rows_in == 0 {
            0.0
        } else {
            tally.filled as f64 * 100.0 / counts.rows_in as f64
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.0}% | {} |",
            escape(&plan.headers[c]),
            target,
            ty,
            fill,
            tally.problems
        );
    }
    if !plan.missing_columns.is_empty() {
        let _ = writeln!(
            md,
            "\nColumns the profile maps but this file lacks: {}.",
            plan.missing_columns.join(", ")
        );
    }
    if !plan.secret_columns.is_empty() {
        let _ = writeln!(
            md,
            "\nLeft out, whatever the profile says, because their names say they hold secrets (passwords, tokens, keys, card numbers) that must not travel in an import file: {}.",
            plan.secret_columns.join(", ")
        );
    }
    let due = |r: &Rule| {
        matches!(r, Rule::Set { target, conv: Conv::Date(_) | Conv::Day(_) | Conv::Time(_), .. }
            if target.entity() == Some(Entity::Activity)
                && matches!(target.key(), Some("due_date" | "due_time")))
    };
    if plan.rules.iter().any(due) {
        let _ = writeln!(
            md,
            "\nDue dates and times: a date and time is written whole in the due date (`YYYY-MM-DD HH:MM:SS`). One written with `Z` or an offset (`+02:00`) is converted to UTC, the time zone Pipedrive keeps due times in; one without is written as the source wrote it, in the source's own time zone (check a due time in the sample import: how the import wizard reads times is not documented)."
        );
    }
    if !plan.status_flags.is_empty() {
        let names: Vec<&str> = plan
            .status_flags
            .iter()
            .map(|(c, _)| plan.headers[*c].as_str())
            .collect();
        let _ = writeln!(
            md,
            "\nThe deal's status (won, lost, open) is also read from {} where no status column or won/lost stage says it.",
            names.join(", ")
        );
    }
    let _ = writeln!(md);
}

/// Values the profile's value maps lacked, most frequent first.
fn unmapped_values(md: &mut String, export: &Export) {
    if !export.tally.unmapped.is_empty() {
        let _ = writeln!(md, "## Values the profile does not map\n");
        let _ = writeln!(
            md,
            "Written as they are; add them to the profile's `values:` to translate them.\n"
        );
        for (target, values) in &export.tally.unmapped {
            let mut list: Vec<(&String, &u64)> = values.iter().collect();
            list.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let shown: Vec<String> = list
                .iter()
                .take(15)
                .map(|(v, n)| format!("{} ({n})", escape(v)))
                .collect();
            let _ = writeln!(
                md,
                "- `{target}`: {}{}",
                shown.join(", "),
                if list.len() > 15 {
                    format!(" and {} more", list.len() - 15)
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(md);
    }
}

/// Cells a spreadsheet would run as formulas.
fn formulas(md: &mut String, export: &Export, profile: &Profile) {
    let s = &export.summary;
    let _ = writeln!(md, "## Spreadsheet formulas\n");
    let _ = writeln!(
        md,
        "{} cell(s) start with = + - @ or a control character and would run as formulas if the file is opened in a spreadsheet program{}.",
        s.formula_cells,
        if profile.options.escape_formulas {
            " (escaped with a leading ')"
        } else {
            "; `--escape-formulas` neutralises them"
        }
    );
}

fn describe(rule: &Rule, schema: &Schema) -> (String, String) {
    match rule {
        Rule::Set { target, conv, .. } => {
            let ty = schema.field(&target.without_label()).map_or_else(
                || format!("{} (custom, to create)", type_of(conv)),
                |f| f.field_type.clone(),
            );
            (format!("`{target}`"), ty)
        }
        Rule::Link { to, by_id: false } => (format!("link to {to} (by name)"), "link".into()),
        Rule::Link { to, by_id: true } => (format!("link to {to} (by id)"), "link".into()),
        Rule::LinkAny { to } => {
            let names: Vec<&str> = to.iter().map(|e| e.as_str()).collect();
            (
                format!("link by id to one of: {}", names.join(", ")),
                "link".into(),
            )
        }
        Rule::LinkBy { types, .. } => {
            let list: Vec<String> = types.iter().map(|(k, v)| format!("{k}→{v}")).collect();
            (format!("link by type ({})", list.join(", ")), "link".into())
        }
        Rule::Skip => ("skip".into(), "—".into()),
        Rule::Note => ("(kept in the note)".into(), "—".into()),
    }
}

fn escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
