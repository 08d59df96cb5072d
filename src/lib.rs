//! pipemap: move CRM exports into the shape Pipedrive's spreadsheet import accepts.
//!
//! The library holds every piece of logic; the binary (`src/main.rs`) only parses arguments,
//! calls into these modules and maps errors to exit codes. The flow is
//! [`source`] (read and profile the export) → [`schema`] (what Pipedrive accepts) →
//! [`suggest`] (propose a mapping) → [`profile`] (the mapping the user keeps) →
//! [`transform`] (write linked, import-ready files) → [`report`] (audit and plan).
//! [`account`] reads and prepares the Pipedrive account over its API. The terminal UI in
//! [`tui`] sits on top and is never imported by the core.
//!
//! # Glossary
//!
//! Each word below means one thing in pipemap's code, docs and messages.
//!
//! - **export**: the run that turns source files into an output folder of import-ready files
//!   (`pipemap apply`, [`transform::engine`]) and its result ([`transform::engine::Export`]).
//!   A CRM's own data dump is a *source* (or the *source files*), never an export.
//! - **profile**: everything a user keeps about one CRM's files, saved as YAML
//!   ([`profile::Profile`]): its file mappings, value maps, duplicate settings and options.
//! - **preset**: a profile bundled with pipemap for a known CRM's export
//!   ([`profile::library::PRESETS`], from `assets/presets/`).
//! - **mapping**: how one source file is recognised and where each of its columns goes
//!   ([`profile::FileMapping`]), the part of a profile a user edits on the Mapping screen.
//! - **target**: where one source column goes: a field of an entity, a custom field, a note,
//!   or nowhere ([`Target`], written `person.email:work`).
//! - **value map**: for one target, each source value and the Pipedrive value it becomes
//!   (`profile.values`, `deal.stage_id: {Won: Closed won}`).
//! - **plan**: a profile compiled against the actual files: for each source column its rule,
//!   for each entity its output columns ([`transform::plan::FilePlan`]). The numbered steps a
//!   person follows to import an output folder are the *import steps* (`pipemap plan OUT`,
//!   [`report::plan_steps`]); what dedupe does with clusters is a *merge plan*.
//! - **rule**: what a plan does with one source column's cells: set a field, add to a note,
//!   link, skip ([`transform::plan::Rule`]).
//! - **layout**: the columns of one output file, named as Pipedrive's import names them
//!   ([`transform::layout::Layout`]); `separate` or `combined` is the export's *output layout*
//!   ([`profile::OutputLayout`]), the choice of how records spread over files.

pub mod account;
pub mod address;
pub mod dedupe;
pub mod entity;
pub mod export;
pub mod link;
pub mod profile;
pub mod report;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod transform;
pub mod tui;
pub mod values;

pub use entity::{Entity, Target};
