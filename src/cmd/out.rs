//! Standard output for a command's results, standard error for what it tells the user. A write
//! to standard output that fails becomes an error that names standard output, on which `main`
//! ends: quietly when the reader went away (a closed pipe, as in `pipemap plan OUT | head -1`),
//! with one line and exit 2 otherwise (a full disk). A write to standard error that fails is
//! let go: there is nowhere left to say so, and the command's work and exit code stand. Commands
//! write through `outln!`, `stdout()` and `errln!`, never `println!` or `eprintln!`, which
//! panic on both.

use std::io::{self, StdoutLock, Write};

/// A failed write to standard output.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the results to standard output: {0}")]
pub struct StdoutError(io::Error);

/// The binary's standard output; a failure is an `io::Error` of the same kind carrying a
/// `StdoutError`, so that it keeps naming standard output through `?`.
pub struct Stdout(StdoutLock<'static>);

/// Standard output, locked for this writer's life.
pub fn stdout() -> Stdout {
    Stdout(io::stdout().lock())
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(failed)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(failed)
    }
}

fn failed(err: io::Error) -> io::Error {
    if err.kind() == io::ErrorKind::Interrupted {
        return err; // tried again by `write_all`
    }
    io::Error::new(err.kind(), StdoutError(err))
}

/// Writes what is still buffered (a last line without its newline).
pub fn flush() -> io::Result<()> {
    stdout().flush()
}

/// The failed write to standard output behind `err`, if that is what ended the command.
pub fn failure(err: &anyhow::Error) -> Option<&io::Error> {
    err.chain().find_map(|cause| {
        let io = cause.downcast_ref::<io::Error>()?;
        io.get_ref()?.is::<StdoutError>().then_some(io)
    })
}

/// `writeln!` to standard output: an `io::Result` naming standard output when it fails.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!($crate::cmd::out::stdout(), $($arg)*)
    }};
}
pub(crate) use outln;

/// `eprintln!` that never panics: a line for the user on standard error, dropped when standard
/// error cannot be written (its reader went away, a full disk).
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use errln;
