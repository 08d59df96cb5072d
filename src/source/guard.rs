//! The workbook reader (calamine) indexes into records as their own lengths say, and a damaged
//! or hostile workbook can make it panic on a slice. pipemap runs the reader inside
//! [`contain`], which turns such a panic into an error naming the workbook; the panic's own
//! report is kept off the terminal while that is so, since the error says what happened.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use super::SourceError;

thread_local! {
    /// Whether this thread is inside [`contain`].
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Whether a panic on this thread now would be turned into an error by [`contain`]; a fuzz
/// target's panic hook asks this to tell a contained reader failure from a crash.
pub fn contained() -> bool {
    CONTAINED.with(Cell::get)
}

/// Chains a panic hook that stays quiet for contained panics and leaves every other panic to
/// the hook that was there.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !contained() {
                previous(info);
            }
        }));
    });
}

/// Runs `read` (a call into the workbook reader); a panic in it becomes an error on `file`.
pub(crate) fn contain<T>(
    file: &str,
    read: impl FnOnce() -> Result<T, SourceError>,
) -> Result<T, SourceError> {
    install_hook();
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(read));
    CONTAINED.with(|c| c.set(outer));
    result.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(SourceError::Corrupt {
            file: file.to_string(),
            message: format!(
                "the workbook is damaged: its reader stopped on data it could not read ({})",
                what.chars().take(200).collect::<String>()
            ),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_becomes_an_error_naming_the_file() {
        let err = contain::<u8>("book.xls", || {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 3;
            Ok(v[i])
        })
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("book.xls: the workbook is damaged: its reader stopped"),
            "{text}"
        );
        assert!(!contained());
        assert_eq!(contain("b.xls", || Ok(7)).unwrap(), 7);
    }
}
