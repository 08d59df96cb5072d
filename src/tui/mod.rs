//! The terminal UI (ratatui + crossterm): files, mapping, values, duplicates and export screens.
