//! `pipemap schema show [--schema F]… [--json]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use pipemap::schema::Schema;

pub fn show(files: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    let schema = Schema::load_default(files)?;
    let mut out = super::out::stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &schema).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for entity in &schema.entities {
        writeln!(out, "{} ({})", entity.name, entity.entity)?;
        for field in &entity.fields {
            let mut marks = Vec::new();
            if field.mandatory {
                marks.push("mandatory".to_string());
            }
            if field.custom {
                marks.push("custom".to_string());
            }
            if !field.labels.is_empty() {
                marks.push(format!("labels: {}", field.labels.join(", ")));
            }
            if !field.options.is_empty() {
                marks.push(format!("options: {}", field.options.join(", ")));
            }
            writeln!(
                out,
                "  {:<28} {:<28} {:<12} {}",
                format!("{}.{}", entity.entity, field.key),
                field.name,
                field.field_type,
                marks.join("; ")
            )?;
        }
        writeln!(out)?;
    }
    let account = &schema.account;
    writeln!(out, "Account")?;
    for pipeline in &account.pipelines {
        writeln!(
            out,
            "  pipeline {}: {}",
            pipeline.name,
            pipeline.stages.join(" → ")
        )?;
    }
    let types: Vec<&str> = account
        .activity_types
        .iter()
        .map(|t| t.key.as_str())
        .collect();
    writeln!(out, "  activity types: {}", types.join(", "))?;
    let users: Vec<&str> = account.users.iter().map(|u| u.email.as_str()).collect();
    writeln!(
        out,
        "  users: {}",
        if users.is_empty() {
            "(none given; --schema an account file)".to_string()
        } else {
            users.join(", ")
        }
    )?;
    if !schema.sources.is_empty() {
        writeln!(out, "  read from: {}", schema.sources.join(", "))?;
    }
    Ok(ExitCode::SUCCESS)
}
