//! The status line's message: what just happened, work under way, or a background job's
//! failure kept typed (with its sources) until the status bar draws it.

use std::borrow::Cow;
use std::fmt;

use super::failure::Failure;

/// How a status message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// A transient message for the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// What an action did, or why it did nothing.
    Info(String),
    /// Work handed to the worker and not yet answered (`saving profile acme…`).
    Progress(String),
    /// Something to look at; nothing was lost.
    Warn(String),
    /// An action that could not be done as asked.
    Error(String),
    /// A background job failed: `doing` names the job (`could not save`), `failure` says why
    /// and keeps the error's type and sources; `level` says how much it matters.
    Failed {
        doing: &'static str,
        failure: Failure,
        level: Level,
    },
}

impl Status {
    /// How the message is drawn: progress reads as information.
    pub fn level(&self) -> Level {
        match self {
            Status::Info(_) | Status::Progress(_) => Level::Info,
            Status::Warn(_) => Level::Warn,
            Status::Error(_) => Level::Error,
            Status::Failed { level, .. } => *level,
        }
    }

    /// The words the status line shows: a failure as `doing: its error's message`.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Status::Info(t) | Status::Progress(t) | Status::Warn(t) | Status::Error(t) => {
                Cow::Borrowed(t)
            }
            Status::Failed { doing, failure, .. } => Cow::Owned(format!("{doing}: {failure}")),
        }
    }

    /// The failure behind the message, when a background job failed.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Status::Failed { failure, .. } => Some(failure),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("profiles/acme.yaml: permission denied")]
    struct Denied(#[source] std::io::Error);

    #[test]
    fn a_failure_reads_as_what_failed_and_why_and_keeps_its_error() {
        let failure = Failure::from(Denied(std::io::Error::other("EACCES")));
        let status = Status::Failed {
            doing: "could not save",
            failure: failure.clone(),
            level: Level::Error,
        };
        assert_eq!(
            status.to_string(),
            "could not save: profiles/acme.yaml: permission denied"
        );
        assert_eq!(status.level(), Level::Error);
        let kept = status.failure().expect("a failure");
        assert_eq!(kept, &failure);
        assert!(kept.error().downcast_ref::<Denied>().is_some());
        assert_eq!(kept.error().chain().count(), 2);
    }

    #[test]
    fn messages_read_as_written_and_progress_as_information() {
        let cases = [
            (Status::Info("saved".into()), Level::Info),
            (Status::Progress("saving…".into()), Level::Info),
            (Status::Warn("not read yet".into()), Level::Warn),
            (Status::Error("no such file".into()), Level::Error),
        ];
        for (status, level) in cases {
            assert_eq!(status.level(), level, "{status}");
            assert!(status.failure().is_none());
        }
        assert_eq!(Status::Warn("not read yet".into()).text(), "not read yet");
    }
}
