//! One module per subcommand; each turns parsed arguments into library calls and output.

mod inspect;
mod schema;
mod suggest;

use std::process::ExitCode;

use crate::cli::{Command, SchemaCommand};

/// Runs a subcommand; an error means bad usage or bad input (exit 2).
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
        other => anyhow::bail!("{other:?} is not available in this build"),
    }
}
