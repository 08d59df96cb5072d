//! `pipemap account pull | prepare OUT [--apply] | undo OUT`: the Pipedrive account over its
//! API. Results go to stdout; waits (rate-limit countdown, retries) to stderr.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use pipemap::account::manifest::Manifest;
use pipemap::account::{self, AccountError, Client, Me, Notice, Settings, Token, prepare, pull};

use crate::cli::{AccountCommand, Connection};

use super::out::{errln, outln};

pub fn run(command: AccountCommand) -> anyhow::Result<ExitCode> {
    match command {
        AccountCommand::Pull { connection } => run_pull(&connection),
        AccountCommand::Prepare {
            out,
            apply,
            connection,
        } => run_prepare(&out, apply, &connection),
        AccountCommand::Undo { out, connection } => run_undo(&out, &connection),
    }
}

/// The longest wait for one answer that `--timeout` accepts: a day.
const MAX_TIMEOUT_SECONDS: f64 = 86_400.0;

pub(crate) fn connect(c: &Connection) -> Result<(Client, Me), AccountError> {
    if !(c.timeout.is_finite() && c.timeout > 0.0 && c.timeout <= MAX_TIMEOUT_SECONDS) {
        return Err(AccountError::Export {
            path: "--timeout".into(),
            message: format!(
                "give a number of seconds above 0 and at most {MAX_TIMEOUT_SECONDS} (a day)"
            ),
        });
    }
    let token = Token::from_file_or_env(c.token_file.as_deref())?;
    let settings = Settings {
        domain: c.domain.clone(),
        api_url: c.api_url.clone(),
        timeout: Duration::from_secs_f64(c.timeout),
        retries: c.retries,
    };
    let (client, me) = Client::connect(token, &settings, Box::new(show_notice))?;
    errln!(
        "Connected to {} ({}) as {} <{}>.",
        me.company_domain,
        client.api_url(),
        me.name,
        me.email
    );
    Ok((client, me))
}

fn show_notice(notice: &Notice) {
    let mut err = std::io::stderr().lock();
    // The countdown rewrites one line; the padding clears a longer line it replaces.
    let _ = match notice {
        Notice::RateLimited { .. } => write!(err, "\r{notice}  "),
        Notice::Resumed => writeln!(err, "\r{notice}            "),
        Notice::Retrying { .. } => writeln!(err, "{notice}"),
    };
    let _ = err.flush();
}

fn run_pull(c: &Connection) -> anyhow::Result<ExitCode> {
    let (mut client, me) = connect(c)?;
    let pulled = pull::pull(&mut client, &me)?;
    let s = &pulled.snapshot;
    let custom: usize = s
        .fields
        .values()
        .map(|f| f.iter().filter(|f| f.custom).count())
        .sum();
    let stages: usize = s.account.pipelines.iter().map(|p| p.stages.len()).sum();
    outln!(
        "Read {}: {custom} custom fields, {} pipelines with {stages} stages, {} users, {} activity types, {} currencies.",
        s.company_domain,
        s.account.pipelines.len(),
        s.account.users.len(),
        s.account.activity_types.len(),
        s.account.currencies.len(),
    )?;
    outln!(
        "Saved the account snapshot to {}; every command uses it when no --schema is given.",
        pulled.path.display()
    )?;
    errln!("{}.", client.budget().summary());
    if !pulled.had_previous {
        outln!("First pull of {}.", s.company_domain)?;
    } else if pulled.changes.is_empty() {
        outln!("No changes since the previous pull.")?;
    } else {
        outln!("Changes since the previous pull:")?;
        for change in &pulled.changes {
            outln!("  {change}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_prepare(out: &Path, apply: bool, c: &Connection) -> anyhow::Result<ExitCode> {
    // The export is checked before the token is used.
    prepare::read_needs(out)?;
    let (mut client, me) = connect(c)?;
    let (mut done, mut planned) = (0usize, 0usize);
    // A failed write does not stop the creations (the manifest records them); it ends the
    // command once they are done.
    let mut unwritten = None;
    let mut report = |e: &account::manifest::Entry, total: usize| {
        done += 1;
        planned = total;
        if unwritten.is_none() {
            unwritten = outln!("Created {} (id {}).", e.describe(), e.id).err();
        }
    };
    let result = prepare::prepare_export(&mut client, &me, out, apply, &mut report);
    if result.is_err() {
        errln!("{}.", client.budget().summary());
    }
    let prepared = match result {
        Ok(p) => p,
        Err(e) => {
            if done > 0 {
                errln!(
                    "Created {done} of {planned} before this failure; {} lists them, and `pipemap account prepare {} --apply` creates the rest.",
                    Manifest::path(out).display(),
                    out.display()
                );
            }
            return Err(e.into());
        }
    };
    errln!("{}.", client.budget().summary());
    if let Some(err) = unwritten {
        return Err(err.into());
    }
    let plan = &prepared.plan;
    for reason in &plan.cannot {
        errln!("Cannot create {reason}.");
    }
    if plan.creations.is_empty() {
        outln!(
            "The account {} already has everything {} needs; nothing to create.",
            me.company_domain,
            out.display()
        )?;
    } else if !apply {
        outln!(
            "Would create in {} for {}:",
            me.company_domain,
            out.display()
        )?;
        for creation in &plan.creations {
            outln!("  {creation}")?;
        }
        let cost = prepared.apply_cost();
        outln!(
            "Dry run: nothing was created. Run again with --apply to create these {}: it sends {} requests costing {} tokens of the company's daily API budget ({} to read the account again, {} to create).",
            plural(plan.creations.len()),
            cost.requests,
            cost.tokens,
            prepared.read_cost.tokens,
            prepared.create_cost.tokens,
        )?;
    } else {
        outln!(
            "Created {}; recorded in {} (remove them with `pipemap account undo {}`).",
            plural(prepared.created),
            Manifest::path(out).display(),
            out.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_undo(out: &Path, c: &Connection) -> anyhow::Result<ExitCode> {
    let Some(mut manifest) = Manifest::load(out)? else {
        outln!(
            "Nothing to undo: {} has no {} (prepare --apply writes it).",
            out.display(),
            pipemap::account::manifest::MANIFEST_FILE
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    if manifest.still_present().is_empty() {
        outln!("Nothing to undo: everything the manifest lists was removed already.")?;
        return Ok(ExitCode::SUCCESS);
    }
    let (mut client, me) = connect(c)?;
    manifest.check_company(&me)?;
    let before = manifest.removed.len();
    let mut unwritten = None;
    let mut report = |e: &account::manifest::Entry| {
        let how = e.outcome.as_deref().unwrap_or("deleted");
        if unwritten.is_none() {
            unwritten = outln!("Removed {} (id {}): {how}.", e.describe(), e.id).err();
        }
    };
    let result = account::undo::undo(&mut client, &mut manifest, out, &mut report);
    errln!("{}.", client.budget().summary());
    result?;
    if let Some(err) = unwritten {
        return Err(err.into());
    }
    outln!(
        "Removed {} that pipemap created for {}; recorded in {}.",
        plural(manifest.removed.len() - before),
        out.display(),
        Manifest::path(out).display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 object".into()
    } else {
        format!("{n} objects")
    }
}
