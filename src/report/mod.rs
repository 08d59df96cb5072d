//! The audit of an export (report.md) and the import plan a person follows: what to create in
//! Pipedrive first, which file to import in which order, and what to check afterwards.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::address::AddressPart;
use crate::entity::{Entity, Target};
use crate::profile::Profile;
use crate::schema::Schema;
use crate::transform::plan::Rule;
use crate::transform::result::Export;

mod columns;
mod steps;
use columns::file_columns;
use steps::type_of;
pub use steps::{CustomField, Prerequisites, plan_steps, prerequisites};

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
        // The import takes no custom fields for activities and notes: such a column's value
        // is written into the record's note, and no field is to be created for it.
        Rule::Set {
            target: target @ Target::Custom { entity, .. },
            ..
        } if matches!(entity, Entity::Activity | Entity::Note) => {
            let (into, all) = match entity {
                Entity::Activity => ("the activity's note", "activities"),
                _ => ("the note's text", "notes"),
            };
            (
                format!("`{target}`"),
                format!("written in {into} (the import takes no custom fields for {all})"),
            )
        }
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
