//! Turning source rows into linked, import-ready files: value parsers, the compiled plan,
//! output layouts, link resolution, and the streaming export itself. It knows nothing of the
//! report: [`crate::export`] writes that from the staged result.

pub mod combined;
mod duplicates;
pub mod engine;
mod index_read;
pub mod layout;
pub mod line;
pub mod links;
pub mod links_csv;
mod opened;
pub mod outputs;
pub mod owners;
pub mod plan;
pub mod pool;
pub mod requires;
pub mod result;
pub mod route;
pub mod row;
mod rows;
mod run;
mod survivor;
pub mod tags;
pub mod tally;
pub mod vocab;
pub mod writer;
