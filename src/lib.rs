//! pipemap: move CRM exports into the shape Pipedrive's spreadsheet import accepts.
//!
//! The library holds every piece of logic; the binary (`src/main.rs`) only parses arguments,
//! calls into these modules and maps errors to exit codes. The flow is
//! [`source`] (read and profile the export) → [`schema`] (what Pipedrive accepts) →
//! [`suggest`] (propose a mapping) → [`profile`] (the mapping the user keeps) →
//! [`transform`] (write linked, import-ready files) → [`report`] (audit and plan).
//! [`account`] reads and prepares the Pipedrive account over its API. The terminal UI in
//! [`tui`] sits on top and is never imported by the core.

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
