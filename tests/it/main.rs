//! The integration tests, one binary with a module per topic (linking the library once instead
//! of once per file): the binary driven as a user or script meets it, the library through its
//! public API, and the UI through its update step and in a pseudo-terminal.
//!
//! `cargo test --test it TOPIC` runs one topic (`cargo test --test it suggest_eval`).

// What several topics share.
mod account_support;
mod common;
mod dedupe_support;
mod tui_support;

// One module per topic.
mod account;
mod account_link;
mod account_prepare;
mod addresses;
mod apply_auto;
mod apply_golden;
mod architecture;
mod bad_input;
mod cli;
mod combined_layout;
mod dedupe_cli;
mod dedupe_export;
mod dedupe_febrl;
mod dedupe_quality;
mod hostile_inputs;
mod hostile_profiles;
mod hostile_sweep;
mod inputs_archives;
mod inputs_workbooks;
mod line_numbers;
mod links_audit;
mod memory_limits;
mod memory_workbooks;
mod output_errors;
mod output_folder;
mod pipedrive_languages;
mod preset_crms;
mod preset_forms;
mod presets;
mod profile_repeated_keys;
mod profile_roundtrip;
mod real_values;
mod reconcile_prop;
mod relink;
mod sniff_matrix;
mod suggest_eval;
mod sweep_workbooks;
mod tags_several;
mod terminal_text;
mod threads;
mod tui_behaviour;
mod tui_drift;
mod tui_e2e;
mod tui_real_exports;
mod tui_resize;
mod tui_screens;
mod tui_tags;
mod values_cli;
