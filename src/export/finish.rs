//! The files written after the entity files: mapping.yaml, summary.json, report.md and the
//! linked trial-import sample.

use std::collections::HashSet;
use std::path::Path;

use crate::Target;
use crate::entity::Entity;
use crate::profile::{ColumnSpec, MAX_PROFILE_BYTES, Profile, to_yaml};
use crate::schema::Schema;

use crate::transform::engine::{ApplyError, ApplyOptions, Export};
use crate::transform::layout::{self, Slot};
use crate::transform::links::name_key;
use crate::transform::writer::Staging;

use super::summary_file::{self, SummaryFile};

fn io(path: &Path) -> impl Fn(std::io::Error) -> ApplyError + '_ {
    move |source| ApplyError::output(path, source)
}

fn csv_err(path: &Path) -> impl Fn(csv::Error) -> ApplyError + '_ {
    move |source| ApplyError::csv(path, source)
}

/// Writes mapping.yaml, summary.json (with the plan), report.md and sample/ into the staging folder.
pub fn write_rest(
    staging: &Staging,
    export: &mut Export,
    profile: &Profile,
    schema: &Schema,
    opts: &ApplyOptions,
) -> Result<(), ApplyError> {
    let mut effective = complete_profile(profile, export, opts.escape_formulas);
    let mut yaml = to_yaml(&effective);
    if yaml.len() > MAX_PROFILE_BYTES {
        // Listing every unmapped column would make a profile that `--profile` refuses: the
        // mapping is written without that list, and the report says so.
        let listed = yaml.len();
        effective = profile.clone();
        effective.options.escape_formulas |= opts.escape_formulas;
        yaml = to_yaml(&effective);
        export.source_notes.push(format!(
            "mapping.yaml: the columns this export kept in notes are not listed in it (with them it would hold {listed} bytes, past the {MAX_PROFILE_BYTES} bytes a profile may hold); it holds the mapping as applied{}",
            if yaml.len() > MAX_PROFILE_BYTES {
                format!(", {} bytes, still too large to use as --profile", yaml.len())
            } else {
                ", and `--profile` takes it".to_string()
            }
        ));
    }
    let mapping = staging.path("mapping.yaml");
    std::fs::write(&mapping, yaml).map_err(io(&mapping))?;
    let pre = crate::report::prerequisites(export, profile, schema);
    let steps = crate::report::plan_steps(export, &pre);
    let summary_path = staging.path(summary_file::FILE);
    let file = SummaryFile::new(export.summary.clone(), steps.clone(), &pre);
    let text = file
        .to_text()
        .map_err(|e| io(&summary_path)(std::io::Error::other(e)))?;
    std::fs::write(&summary_path, text).map_err(io(&summary_path))?;
    let report = staging.path("report.md");
    std::fs::write(
        &report,
        crate::report::markdown(export, &effective, schema, &steps),
    )
    .map_err(io(&report))?;
    if let Some(n) = opts.sample {
        write_sample(staging, export, n)?;
    }
    Ok(())
}

/// The profile as this export applied it: every column of every file named, the ones the
/// profile did not mention as `note` (where their values went), so a later export of the same
/// CRM can tell new columns from known ones.
pub fn complete_profile(profile: &Profile, export: &Export, escape_formulas: bool) -> Profile {
    let mut effective = profile.clone();
    effective.options.escape_formulas |= escape_formulas;
    for plan in &export.plans {
        let Some(mapping) = effective.files.get_mut(plan.mapping) else {
            continue;
        };
        // Looked up by name, not searched: a file of 100,000 columns stays linear.
        let mut known: HashSet<String> = mapping
            .columns
            .keys()
            .chain(mapping.split.iter().flat_map(|s| s.columns.keys()))
            .map(|c| c.trim().to_ascii_lowercase())
            .collect();
        for header in &plan.headers {
            if known.insert(header.trim().to_ascii_lowercase()) {
                mapping
                    .columns
                    .insert(header.clone(), ColumnSpec::Target(Target::Note));
            }
        }
    }
    effective
}

/// sample/: the first `n` records of each file, and every record they link to, so a trial
/// import shows links working. Chosen from the last entity back to the first.
fn write_sample(staging: &Staging, export: &Export, n: usize) -> Result<(), ApplyError> {
    let dir = staging.path("sample");
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let mut wanted: HashSet<(Entity, u64)> = HashSet::new();
    let mut entities: Vec<Entity> = export.layouts.iter().map(|l| l.entity).collect();
    entities.sort();
    for entity in entities.into_iter().rev() {
        let layout = export
            .layouts
            .iter()
            .find(|l| l.entity == entity)
            .expect("layout");
        let name_col = layout.field(layout::name_key(entity));
        let link_cols: Vec<(Entity, usize)> = layout
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Slot::Link(e) => Some((*e, i)),
                _ => None,
            })
            .collect();
        let files: Vec<&str> = export
            .summary
            .outputs
            .iter()
            .filter(|o| o.entity == entity)
            .map(|o| o.file.as_str())
            .collect();
        if files.is_empty() {
            continue;
        }
        let out_path = dir.join(format!("{}.csv", entity.file_stem()));
        let mut out = csv::Writer::from_path(&out_path).map_err(csv_err(&out_path))?;
        let mut taken = 0usize;
        for (i, file) in files.into_iter().enumerate() {
            let path = staging.path(file);
            let mut reader = csv::Reader::from_path(&path).map_err(csv_err(&path))?;
            // The file's own header: the combined layout widens the deals' rows.
            if i == 0 {
                let header = reader.headers().map_err(csv_err(&path))?;
                out.write_record(header).map_err(csv_err(&out_path))?;
            }
            for row in reader.records() {
                let row = row.map_err(csv_err(&path))?;
                let name = name_col.and_then(|c| row.get(c)).unwrap_or("");
                let needed = wanted.contains(&(entity, name_key(name)));
                if taken >= n && !needed {
                    continue;
                }
                if !needed {
                    taken += 1;
                }
                for (to, c) in &link_cols {
                    if let Some(v) = row.get(*c).filter(|v| !v.is_empty()) {
                        wanted.insert((*to, name_key(v)));
                    }
                }
                out.write_record(&row).map_err(csv_err(&out_path))?;
            }
        }
        out.flush().map_err(io(&out_path))?;
    }
    Ok(())
}
