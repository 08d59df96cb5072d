//! A failure a background job reports, kept as the typed error (with its sources) in messages
//! and state until a screen draws it.

use std::fmt;
use std::sync::Arc;

/// An error from the worker. Cheap to clone (the model is cloned for undo and tests); drawn
/// with the error's own message, as it reads on the command line.
#[derive(Debug, Clone)]
pub struct Failure(Arc<anyhow::Error>);

impl Failure {
    /// Wraps any error the worker meets.
    pub fn new(error: impl Into<anyhow::Error>) -> Failure {
        Failure(Arc::new(error.into()))
    }

    /// The error itself, for a caller that looks at its type or sources.
    pub fn error(&self) -> &anyhow::Error {
        &self.0
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Failure {
    fn from(error: E) -> Failure {
        Failure::new(error)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The outermost message only: the typed errors already name file, line and cause.
        fmt::Display::fmt(&*self.0, f)
    }
}

/// Two failures are equal when they are the same report (states compare, errors do not).
impl PartialEq for Failure {
    fn eq(&self, other: &Failure) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer message")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn draws_the_errors_own_message_and_keeps_its_type_and_source() {
        let failure = Failure::from(Outer(std::io::Error::other("inner")));
        assert_eq!(failure.to_string(), "outer message");
        let outer = failure.error().downcast_ref::<Outer>().expect("typed");
        assert_eq!(outer.0.to_string(), "inner");
        assert_eq!(failure.error().chain().count(), 2);
    }

    #[test]
    fn a_clone_is_the_same_failure_another_is_not() {
        let a = Failure::new(std::io::Error::other("x"));
        let b = Failure::new(std::io::Error::other("x"));
        assert_eq!(a, a.clone());
        assert_ne!(a, b);
    }
}
