//! The `pipemap` binary: parses arguments, calls the library, maps errors to exit codes
//! (0 done, 2 bad usage or bad input, 3 done with rejected rows, 4 the Pipedrive API refused
//! the token, 5 the Pipedrive API could not be reached or failed, 128 + the signal's number
//! when interrupted: 130 for Ctrl-C). Results go to standard output through `cmd::out`: a
//! closed pipe there ends quietly with 0, another failed write (a full disk) with one line and 2.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

use crate::cmd::out::errln;

/// mimalloc instead of the system allocator: an export allocates and frees a few short strings
/// per cell, millions of times, and glibc's malloc took a sixth of its time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (`mi_option_purge_delay` in its `mimalloc.h`), which the
/// Rust bindings do not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Memory freed is given back to the system after 1 ms rather than mimalloc's 10: an export
    // frees on one thread what another made, millions of times, and the longer delay let a
    // million-row export peak 20–40 MB above what it uses (docs/BENCHMARKS.md).
    // SAFETY: sets a documented option to a documented value before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    if !matches!(
        cli.command,
        cli::Command::Map { .. } | cli::Command::Demo { .. }
    ) {
        end_on_signals();
    }
    let result = cmd::run(cli.command).and_then(|code| {
        cmd::out::flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(err) => {
            if cmd::out::failure(&err).is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
                // The reader of the results went away (`pipemap plan OUT | head -1`): what
                // it wanted it has, so this ends quietly, as a closed pipe ends other tools.
                return ExitCode::SUCCESS;
            }
            errln!("pipemap: {err:#}");
            let code = err
                .downcast_ref::<pipemap::account::AccountError>()
                .map_or(2, |e| e.exit_code());
            ExitCode::from(code)
        }
    }
}

/// Ctrl-C, a termination request, a hang-up (the terminal closed, an SSH session dropped) or a
/// quit (Ctrl+backslash) ends the command at once with 128 + the signal's number, after removing
/// the staging folder of any export in progress, so that nothing is left behind and nothing
/// half-done appears under the output folder. The terminal UI reads Ctrl-C as a key
/// and restores the terminal itself, so it is left out.
fn end_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])
    else {
        return; // the default handling (end at once) stays
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let abandoned = pipemap::transform::writer::abandon_all();
            if abandoned > 0 {
                errln!("\npipemap: interrupted; the export was abandoned and nothing was written");
            } else {
                errln!("\npipemap: interrupted");
            }
            std::process::exit(128 + signal);
        }
    });
}
