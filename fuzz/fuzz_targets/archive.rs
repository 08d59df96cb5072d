//! Any bytes as an archive: the first byte picks a ZIP export (`.zip`) or a gzip-compressed
//! table (`.csv.gz`), the rest is the file. Every table in it is opened and read to the end, as
//! `pipemap inspect` does: member listing, names, bomb limits, checksums, duplicate names,
//! workbooks inside, then the text reader.
#![no_main]

use std::path::PathBuf;
use std::sync::{Once, OnceLock};

use libfuzzer_sys::fuzz_target;
use pipemap::source::guard::contained;
use pipemap::source::{Table, resolve};

/// Records read from one table at most.
const MAX_RECORDS: usize = 100_000;

fn hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if !contained() {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
    });
}

/// A folder of this process's own for the file under test (in memory where the system has one).
fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("pipemap-fuzz-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    hook();
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = if pick % 2 == 0 { "fuzz.zip" } else { "fuzz.csv.gz" };
    let path = folder().join(name);
    std::fs::write(&path, bytes).expect("the scratch file is written");
    let Ok(expansion) = resolve(&path) else {
        return;
    };
    for source in expansion.sources.iter().take(16) {
        let Ok(mut table) = Table::open_ref(source) else {
            continue;
        };
        let width = table.headers.len();
        assert_eq!(width, table.raw_headers.len());
        for _ in 0..MAX_RECORDS {
            match table.next_record() {
                Ok(Some(_)) => {}
                _ => break,
            }
        }
    }
});
