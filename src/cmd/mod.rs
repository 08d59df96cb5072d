//! One module per subcommand; each turns parsed arguments into library calls and output.

mod account;
mod apply;
mod dedupe;
mod inspect;
mod link;
mod map;
pub mod out;
mod plan;
mod profile;
mod relink;
mod schema;
mod suggest;

use std::process::ExitCode;

use crate::cli::{Command, ProfileCommand, SchemaCommand};

/// Runs a subcommand; an error means bad usage or bad input (exit 2), except an account
/// error, which carries its own code (see `AccountError::exit_code`).
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Inspect {
            file,
            json,
            count,
            sample,
        } => inspect::run(&file, json, count, sample),
        Command::Suggest {
            file,
            entity,
            schemas,
            json,
        } => suggest::run(&file, &entity, &schemas, json),
        Command::Schema {
            command: SchemaCommand::Show { schemas, json },
        } => schema::show(&schemas, json),
        Command::Apply {
            paths,
            profile,
            entity,
            schemas,
            out,
            sample,
            allow_drift,
            escape_formulas,
            layout,
            threads,
            quiet,
        } => {
            if let Some(n) = threads {
                pipemap::transform::pool::set_threads(usize::from(n));
            }
            apply::run(apply::Args {
                paths,
                profile,
                entity,
                schemas,
                out,
                sample,
                escape_formulas,
                layout,
                allow_drift,
                quiet,
            })
        }
        Command::Demo { out } => map::run_demo(out),
        Command::Map {
            paths,
            schemas,
            profile,
            out,
        } => map::run_map(paths, schemas, profile, out),
        Command::Profile { command } => match command {
            ProfileCommand::List => profile::list(),
            ProfileCommand::Show { name } => profile::show(&name),
            ProfileCommand::Path => profile::path(),
        },
        Command::Plan { out } => plan::run(&out),
        Command::Relink { out, exports } => relink::run(&out, &exports),
        Command::Link {
            out,
            apply,
            connection,
        } => link::run(&out, apply, &connection),
        Command::Dedupe {
            file,
            entity,
            profile,
            schemas,
            json,
        } => dedupe::run(&file, &entity, profile.as_deref(), &schemas, json),
        Command::Account { command } => account::run(command),
    }
}
