//! Any bytes as a CSV/TSV export: encoding and dialect sniffing, the header row, every record
//! read to the end and every column profiled, as `pipemap inspect --count` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipemap::source::{Table, sniff, stats};

fuzz_target!(|data: &[u8]| {
    for complete in [true, false] {
        let guess = sniff::guess_encoding(data, complete);
        let text = guess.decode(data);
        let _ = sniff::looks_binary(&text);
        let _ = sniff::guess_delimiter(&text);
        let _ = sniff::guess_line_ending(&text);
    }
    let Ok(table) = Table::from_bytes("fuzz.csv", data.to_vec()) else {
        return;
    };
    let width = table.headers.len();
    assert_eq!(width, table.raw_headers.len());
    if let Ok(inspection) = stats::inspect(table, 200, true) {
        assert_eq!(inspection.columns.len(), width);
    }
});
