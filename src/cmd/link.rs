//! `pipemap link OUT [--apply]`: activities and notes created on exactly the records they
//! belong to, through the account. Results go to stdout; waits and the budget line to stderr.

use std::path::Path;
use std::process::ExitCode;

use pipemap::account::link;
use pipemap::account::manifest::Manifest;
use pipemap::entity::Entity;

use crate::cli::Connection;

use super::out::{errln, outln};

pub fn run(out: &Path, apply: bool, c: &Connection) -> anyhow::Result<ExitCode> {
    // The export is checked before the token is used.
    link::rows::read(out)?;
    let (mut client, me) = super::account::connect(c)?;
    let planned = link::plan(&mut client, out);
    let mut plan = match planned {
        Ok(p) => p,
        Err(e) => {
            errln!("{}.", client.budget().summary());
            return Err(e.into());
        }
    };
    let found: Vec<String> = plan
        .found
        .iter()
        .map(|(e, n)| format!("{n} {}", e.plural()))
        .collect();
    outln!(
        "Read back from {}: {}.",
        me.company_domain,
        if found.is_empty() {
            "nothing".to_string()
        } else {
            found.join(", ")
        }
    )?;
    for notice in &plan.notices {
        outln!("Note: {notice}.")?;
    }
    for entity in [Entity::Activity, Entity::Note] {
        outln!("{}", plan.outcome_line(entity))?;
    }
    if !plan.corrections.is_empty() {
        outln!(
            "{} deals and {} leads were linked by the import to another person or organization than in the source; --apply sets the source's (listed in linked/link-report.md).",
            plan.relinked(Entity::Deal),
            plan.relinked(Entity::Lead)
        )?;
    }
    let cost = plan.create_cost;
    let budget = match plan.fits_budget() {
        Some(true) => " (Pipedrive says enough is left today)".to_string(),
        Some(false) => format!(
            " — more than the {} Pipedrive says is left today: --apply stops when the budget is spent and a run after its reset creates the rest",
            plan.daily_left.unwrap_or(0)
        ),
        None => String::new(),
    };
    if !apply {
        outln!(
            "Dry run: nothing was created. --apply sends {} requests, {} tokens of the company's daily API budget{budget}.",
            cost.requests,
            cost.tokens
        )?;
        errln!("{}.", client.budget().summary());
        return Ok(ExitCode::SUCCESS);
    }
    let mut done = 0usize;
    let mut report = |_: &pipemap::account::manifest::Entry| {
        done += 1;
        if done.is_multiple_of(500) {
            errln!("Created {done} of {}…", cost.requests);
        }
    };
    let result = link::apply(&mut client, &me, &mut plan, out, &mut report);
    errln!("{}.", client.budget().summary());
    let created = match result {
        Ok(n) => n,
        Err(e) => {
            errln!(
                "Created {done} of {} before this failure; {} lists them, and `pipemap link {} --apply` creates the rest.",
                cost.requests,
                Manifest::path(out).display(),
                out.display()
            );
            return Err(e.into());
        }
    };
    link::write_results(out, &plan)?;
    outln!(
        "Created {created} activities and notes with exact links; recorded in {} (remove them with `pipemap account undo {}`).",
        Manifest::path(out).display(),
        out.display()
    )?;
    outln!(
        "Import what is left from {}/linked/ (every row's outcome: linked/link-fidelity.csv).",
        out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
