//! Any text as a schema file: the API's `*Fields` JSON responses (the file name gives the
//! entity) and account reference files in JSON or YAML.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pipemap::schema::Schema;

/// The built-ins, parsed once: each input starts from a copy.
fn builtin() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(Schema::builtin)
}

const NAMES: [&str; 4] = [
    "personFields.json",
    "dealFields.json",
    "fields.json",
    "account.yaml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut schema = builtin().clone();
    let name = NAMES[usize::from(selector) % NAMES.len()];
    if schema.add_text(name, text).is_ok() {
        let _ = schema.account.stage_paths();
    }
});
