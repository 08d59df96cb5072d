//! Every value parser on any text; the first byte picks the parser family. Beyond "never
//! panics", each accepted value must be stable: parsing the normalised output again gives the
//! same output, since Pipedrive reads what pipemap writes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipemap::transform::engine::is_formula;
use pipemap::transform::values::{
    DateStyle, DayOrder, clean_phone, clean_text, infer_date_style, join_name, parse_bool,
    parse_date, parse_email, parse_money, parse_number, parse_time, split_full_name, split_labels,
    split_multi,
};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let s = text.as_ref();
    match selector % 8 {
        0 => dates(s),
        1 => {
            if let Ok(money) = parse_money(s) {
                let again = parse_money(&money.amount).expect("a normalised amount parses");
                assert_eq!(again.amount, money.amount);
            }
            if let Ok(number) = parse_number(s) {
                assert_eq!(parse_number(&number).as_deref(), Ok(number.as_str()));
            }
        }
        2 => {
            for part in split_multi(s) {
                if let Ok(phone) = clean_phone(part) {
                    assert_eq!(clean_phone(&phone).as_deref(), Ok(phone.as_str()));
                }
            }
            let _ = clean_phone(s);
        }
        3 => {
            for part in split_multi(s) {
                if let Ok(email) = parse_email(part) {
                    assert_eq!(parse_email(&email).as_deref(), Ok(email.as_str()));
                }
            }
            let _ = parse_email(s);
        }
        4 => {
            let (first, last) = split_full_name(s);
            let _ = join_name(&first, &last);
            let (first, last) = s.split_once('\t').unwrap_or((s, ""));
            let _ = split_full_name(&join_name(first, last));
        }
        5 => {
            let _ = parse_bool(s);
            let (sep, cell) = s.split_at(s.char_indices().nth(1).map_or(s.len(), |(i, _)| i));
            for label in split_labels(cell, sep) {
                assert!(!label.trim().is_empty());
            }
            let cleaned = clean_text(s);
            assert_eq!(clean_text(&cleaned), cleaned);
        }
        6 => {
            let _ = parse_time(s);
            let _ = is_formula(s);
        }
        _ => {
            let style = infer_date_style(s.split('\n'));
            for value in s.split('\n') {
                let _ = parse_date(value, &style);
            }
        }
    }
});

/// One date under every style, and the normalised form read back.
fn dates(s: &str) {
    for order in [None, Some(DayOrder::Dmy), Some(DayOrder::Mdy)] {
        for excel_serial in [false, true] {
            let style = DateStyle {
                order,
                excel_serial,
            };
            if let Ok(value) = parse_date(s, &style) {
                let written = value.to_pipedrive();
                let again = parse_date(&written, &DateStyle::default()).unwrap_or_else(|e| {
                    panic!("{s:?} gave {written:?}, which does not parse: {e}")
                });
                assert_eq!(again.to_pipedrive(), written, "{s:?}");
            }
        }
    }
}
