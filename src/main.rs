//! The `pipemap` binary: parses arguments, calls the library, maps errors to exit codes
//! (0 done, 2 bad usage or bad input, 3 done with rejected rows, 4 the Pipedrive API refused
//! the token, 5 the Pipedrive API could not be reached or failed).

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("pipemap: {err:#}");
            let code = err
                .downcast_ref::<pipemap::account::AccountError>()
                .map_or(2, |e| e.exit_code());
            ExitCode::from(code)
        }
    }
}
