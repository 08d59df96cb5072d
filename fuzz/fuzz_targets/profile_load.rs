//! Any text as a profile: the size and version checks, YAML parsing, and validation against the
//! built-in schema; a profile that loads and validates must also write back and load again.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pipemap::profile::{from_yaml, to_yaml, validate};
use pipemap::schema::Schema;

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(Schema::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(profile) = from_yaml("fuzz.yaml", text) else {
        return;
    };
    if validate("fuzz.yaml", text, &profile, schema()).is_ok() {
        let written = to_yaml(&profile);
        let again = from_yaml("written.yaml", &written).expect("a written profile loads");
        assert_eq!(again, profile);
    }
});
