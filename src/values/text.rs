//! Yes/no values, label lists and free text.

use std::borrow::Cow;

use super::ValueError;
use super::html::{decode_entities, html_to_text, is_html};

#[rustfmt::skip]
const TRUE_WORDS: [&str; 20] = [
    "yes", "y", "true", "t", "1", "x", "✓", "✔", "on", "checked", "done", "completed", "ja", "j",
    "oui", "sí", "si", "sim", "tak", "wahr",
];

#[rustfmt::skip]
const FALSE_WORDS: [&str; 16] = [
    "no", "n", "false", "f", "0", "off", "unchecked", "open", "nein", "non", "não", "nao", "nee",
    "nie", "falsch", "faux",
];

/// Parses a yes/no value, case-insensitively after trimming.
///
/// True: yes y true t 1 x ✓ on checked done completed ja j oui sí si sim tak wahr.
/// False: no n false f 0 off unchecked open nein non não nao nee nie falsch faux.
/// The empty string is an error: callers decide what an empty cell means before calling.
pub fn parse_bool(s: &str) -> Result<bool, ValueError> {
    let word = s.trim().to_lowercase();
    if TRUE_WORDS.contains(&word.as_str()) {
        Ok(true)
    } else if FALSE_WORDS.contains(&word.as_str()) {
        Ok(false)
    } else {
        Err(ValueError::NotABoolean(s.to_string()))
    }
}

/// Task statuses that say the task is done, and those that say it is not, as CRMs export a
/// task's status: the statuses Salesforce, Outlook/Exchange and Oracle name (Not Started, In
/// Progress, Completed, Waiting on someone else, Deferred), Dynamics 365's activity states
/// (Open, Completed, Canceled, Scheduled) and SugarCRM's Pending Input. Compared lowercased,
/// with `_`, `-` and runs of spaces read as one space (HubSpot writes `NOT_STARTED`).
const TASK_DONE: [&str; 5] = ["completed", "complete", "done", "closed", "finished"];
const TASK_NOT_DONE: [&str; 18] = [
    "not started",
    "notstarted",
    "in progress",
    "inprogress",
    "open",
    "pending",
    "pending input",
    "deferred",
    "waiting",
    "waiting on someone else",
    "waiting for input",
    "waitingonothers",
    "planned",
    "scheduled",
    "to do",
    "not completed",
    "canceled",
    "cancelled",
];

/// Whether a task is done, read from the status a CRM exports for it ([`TASK_DONE`],
/// [`TASK_NOT_DONE`]); None for any other text.
pub fn parse_task_status(s: &str) -> Option<bool> {
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let status = words.join(" ");
    if TASK_DONE.contains(&status.as_str()) {
        Some(true)
    } else if TASK_NOT_DONE.contains(&status.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// Splits a label or multi-option cell on `sep`, trims the parts, drops empty ones, and drops
/// later case-insensitive duplicates (the first spelling and the order are kept). An empty
/// `sep` means the cell is one label.
pub fn split_labels(s: &str, sep: &str) -> Vec<String> {
    let parts: Vec<&str> = if sep.is_empty() {
        vec![s]
    } else {
        s.split(sep).collect()
    };
    let mut labels: Vec<String> = Vec::new();
    for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        if !labels.iter().any(|l| same_label(l, part)) {
            labels.push(part.to_string());
        }
    }
    labels
}

/// Whether two labels are the same but for case (as their lower cases compare); ASCII labels
/// are compared without lowering them.
fn same_label(a: &str, b: &str) -> bool {
    match a.is_ascii() && b.is_ascii() {
        true => a.eq_ignore_ascii_case(b),
        false => a.to_lowercase() == b.to_lowercase(),
    }
}

/// Cleans free text: an HTML body becomes plain text ([`html_to_text`]), HTML entities are
/// decoded (`&gt;` → `>`), CRLF and CR become LF, control characters other than LF and tab are
/// dropped (as is the byte-order mark U+FEFF), and the result is trimmed.
pub fn clean_text(s: &str) -> String {
    clean_text_ref(s).into_owned()
}

/// [`clean_text`], borrowing the cell when it needs no cleaning.
pub fn clean_text_ref(s: &str) -> Cow<'_, str> {
    // Most cells are short printable ASCII with nothing to clean: one pass over the bytes
    // tells, and the cell is kept as it is.
    if is_clean_ascii(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(clean_any_text(s))
}

/// `label: value`, as a note line names the column a value came from.
pub fn labelled(label: &str, value: &str) -> String {
    let mut line = String::with_capacity(label.len() + 2 + value.len());
    line.push_str(label);
    line.push_str(": ");
    line.push_str(value);
    line
}

/// [`clean_text`] without its shortcut for cells that need nothing.
fn clean_any_text(s: &str) -> String {
    let trimmed = s.trim();
    if is_html(trimmed) {
        return clean_plain(&html_to_text(trimmed));
    }
    clean_plain(&decode_entities(trimmed))
}

/// `s` without leading and trailing whitespace, as [`str::trim`] gives it; a cell that starts
/// and ends with a visible ASCII character (most do) is handed back without a look inside.
pub fn trimmed(s: &str) -> &str {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Whether `s` is already what [`clean_text`] makes of it: printable ASCII (tabs and line
/// feeds allowed inside), no `<` or `&` that could start HTML or an entity, and nothing to trim.
fn is_clean_ascii(s: &str) -> bool {
    let bytes = s.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|&b| (0x21..=0x7e).contains(&b));
    edge(bytes.first())
        && edge(bytes.last())
        && bytes.iter().all(|&b| {
            ((0x20..=0x7e).contains(&b) && b != b'<' && b != b'&') || b == b'\t' || b == b'\n'
        })
}

fn clean_plain(s: &str) -> String {
    let trimmed = s.trim();
    // Most cells need nothing but the trim: skip the rebuild for them.
    let needs_work = if trimmed.is_ascii() {
        trimmed
            .bytes()
            .any(|b| b.is_ascii_control() && b != b'\n' && b != b'\t')
    } else {
        trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' || c == '\u{feff}')
    };
    if !needs_work {
        return trimmed.to_string();
    }
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = unified
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || c == '\u{feff}'))
        .collect();
    kept.trim().to_string()
}

/// Whether a cell is the label of a report's total row: `Total`, `Grand total`, `Subtotal`,
/// `Sum`, `Totals:` and the German, Dutch and Scandinavian words for them.
pub fn is_total_label(s: &str) -> bool {
    let label = s.trim().trim_end_matches(':').trim();
    // The longest label is "gesamtsumme": a longer cell is no label. Every label is ASCII
    // without a `k`, so a cell with any other character is none either (the Kelvin sign, the
    // one such character whose lower case is ASCII, lowers to a `k`): no lowering needed.
    label.len() <= 16
        && label.is_ascii()
        && TOTAL_LABELS.iter().any(|t| t.eq_ignore_ascii_case(label))
}

/// The labels of a report's total row, in lower case.
const TOTAL_LABELS: [&str; 13] = [
    "total",
    "totals",
    "grand total",
    "subtotal",
    "sub-total",
    "sub total",
    "sum",
    "summe",
    "gesamt",
    "gesamtsumme",
    "totaal",
    "totalt",
    "summa",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn task_statuses_say_whether_the_task_is_done() {
        for done in ["Completed", "COMPLETED", " complete ", "Closed", "done"] {
            assert_eq!(parse_task_status(done), Some(true), "{done}");
        }
        for open in [
            "Not Started",
            "NOT_STARTED",
            "In Progress",
            "in-progress",
            "Waiting on someone else",
            "WAITING",
            "Deferred",
            "Pending Input",
            "Open",
            "Scheduled",
            "Canceled",
            "NotStarted",
        ] {
            assert_eq!(parse_task_status(open), Some(false), "{open}");
        }
        for other in ["", "Call", "High", "yes", "Completed soon"] {
            assert_eq!(parse_task_status(other), None, "{other}");
        }
    }

    #[test]
    fn booleans() {
        for word in [
            "yes",
            " YES ",
            "Y",
            "true",
            "1",
            "x",
            "X",
            "done",
            "Completed",
            "ja",
            "oui",
            "Sí",
            "si",
            "sim",
            "tak",
        ] {
            assert_eq!(parse_bool(word), Ok(true), "{word}");
        }
        for word in [
            "no", "N", "FALSE", "0", "open", "nein", "non", "não", "nee", "nie",
        ] {
            assert_eq!(parse_bool(word), Ok(false), "{word}");
        }
        for word in ["", "  ", "maybe", "2", "yes please"] {
            assert_eq!(
                parse_bool(word),
                Err(ValueError::NotABoolean(word.into())),
                "{word}"
            );
        }
    }

    #[test]
    fn labels() {
        assert_eq!(
            split_labels("VIP; hot lead;;vip ; Hot Lead;new", ";"),
            ["VIP", "hot lead", "new"]
        );
        assert_eq!(split_labels("a, b", ", "), ["a", "b"]);
        assert_eq!(split_labels(" one label ", ""), ["one label"]);
        assert!(split_labels(" ; ", ";").is_empty());
    }

    #[test]
    fn text() {
        assert_eq!(
            clean_text("  line 1\r\nline 2\rline 3\n "),
            "line 1\nline 2\nline 3"
        );
        assert_eq!(clean_text("a\u{0}b\u{7}c\td\u{feff}"), "abc\td");
        assert_eq!(clean_text("\u{1b}[31mred"), "[31mred");
        assert_eq!(
            clean_text("Tom &amp; Jerry &gt; Inc."),
            "Tom & Jerry > Inc."
        );
        assert_eq!(clean_text("<p>Hello</p><p>World</p>"), "Hello\n\nWorld");
        assert_eq!(clean_text("a < b"), "a < b");
    }

    #[test]
    fn trimmed_is_trim() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "a\u{a0}",
            "\u{2003}b",
            "Zoë ",
            "x\ty",
            "\n",
        ] {
            assert_eq!(trimmed(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn clean_ascii_cells_are_told_apart() {
        for clean in ["Ann Lee", "a", "x\ty", "line 1\nline 2", "50% off!"] {
            assert!(is_clean_ascii(clean), "{clean:?}");
        }
        for unclean in [
            "",
            " a",
            "a ",
            "\ta",
            "a\n",
            "a\rb",
            "a\u{0}b",
            "Tom &amp; Jerry",
            "<p>x</p>",
            "Zoë",
            "a\u{7f}",
        ] {
            assert!(!is_clean_ascii(unclean), "{unclean:?}");
        }
    }

    proptest! {
        #[test]
        fn trimmed_trims_as_str_trim_does(s in "[a \\t\\n\u{a0}\u{2003}é]{0,12}") {
            prop_assert_eq!(trimmed(&s), s.trim());
        }

        #[test]
        fn the_shortcut_cleans_as_the_whole_rules_do(
            s in "[a-c <>&;/pbr\\t\\n\\r\u{0}\u{7f}\u{a0}\u{feff}é]{0,24}"
        ) {
            prop_assert_eq!(clean_text(&s), clean_any_text(&s));
            prop_assert_eq!(clean_text_ref(&s), clean_any_text(&s));
        }

        #[test]
        fn labels_are_unique_and_non_empty(s in "[a-cA-C ;]{0,30}") {
            let labels = split_labels(&s, ";");
            for (i, label) in labels.iter().enumerate() {
                prop_assert!(!label.is_empty());
                prop_assert_eq!(label.trim(), label.as_str());
                prop_assert!(!labels[..i].iter().any(|l| l.to_lowercase() == label.to_lowercase()));
            }
        }

        #[test]
        fn total_labels_are_found_as_lowering_finds_them(
            s in "(total|Totals|GRAND TOTAL|sub-total|summe|SUMMA|tOtAaL|sum|x){0,2}[ :K\u{212a}İé]{0,2}"
        ) {
            let label = s.trim().trim_end_matches(':').trim();
            let lowered = label.len() <= 16 && TOTAL_LABELS.contains(&label.to_lowercase().as_str());
            prop_assert_eq!(is_total_label(&s), lowered);
        }

        #[test]
        fn labels_are_told_apart_as_their_lower_cases_are(s in "[aAkK\u{212a}éÉ ;]{0,16}") {
            let mut lowered: Vec<String> = Vec::new();
            let mut expected: Vec<String> = Vec::new();
            for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                if !lowered.contains(&part.to_lowercase()) {
                    lowered.push(part.to_lowercase());
                    expected.push(part.to_string());
                }
            }
            prop_assert_eq!(split_labels(&s, ";"), expected);
        }

        #[test]
        fn cleaning_is_idempotent(s in "\\PC{0,20}|[\\x00-\\x1f a]{0,20}") {
            let once = clean_text(&s);
            prop_assert!(!once.contains('\r'));
            prop_assert_eq!(clean_text(&once), once.clone());
            let _ = parse_bool(&s);
        }
    }
}
