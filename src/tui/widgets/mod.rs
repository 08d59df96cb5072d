//! Reusable pieces of the screens: the fuzzy picker, text input, and the column table.

pub mod input;
pub mod picker;
pub mod table;
