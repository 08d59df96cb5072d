//! Person names: splitting a full-name column into Pipedrive's first and last name, and back.

/// Surname particles that belong to the last name ("van Beethoven", "de la Cruz").
const PARTICLES: [&str; 22] = [
    "van", "von", "de", "da", "del", "der", "di", "du", "la", "le", "ten", "ter", "den", "des",
    "dos", "das", "della", "dello", "vom", "zu", "zum", "zur",
];

/// Honorifics and titles before a name; dropped because Pipedrive has no field for them.
const TITLES: [&str; 16] = [
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "hon", "herr", "frau",
    "mme", "mlle", "fr",
];

/// Generational and academic suffixes, kept with the last name ("Roe Jr.").
const SUFFIXES: [&str; 10] = [
    "jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "mba",
];

/// Splits a full name into (first, last).
///
/// - `Ada Lovelace` → (`Ada`, `Lovelace`); `Lovelace, Ada` → (`Ada`, `Lovelace`).
/// - Particles (van, von, de, da, del, der, di, du, la, le, ten, ter, and a few kin) before the
///   final word go with the last name: `Ludwig van Beethoven` → (`Ludwig`, `van Beethoven`);
///   a lower-case particle first makes it all last name: `de Gaulle` → (``, `de Gaulle`), but
///   `Van Morrison` → (`Van`, `Morrison`).
/// - Leading titles (Mr, Mrs, Ms, Dr, Prof, Herr, Frau, …) are dropped; middle names and
///   initials stay with the first name; suffixes (Jr., Sr., III, PhD, …) stay with the last
///   name: `Dr. Jane Q. Roe Jr.` → (`Jane Q.`, `Roe Jr.`). A title and one word is a surname:
///   `Mr. Smith` → (``, `Smith`).
/// - A single word is a first name: `Cher` → (`Cher`, ``).
/// - CJK names: written without a space (`山田太郎`) the split point is unknowable, so the whole
///   name is the last name → (``, `山田太郎`); written with one (`山田 太郎`), the family name
///   comes first → (`太郎`, `山田`).
pub fn split_full_name(s: &str) -> (String, String) {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.iter().any(|w| w.chars().any(is_cjk)) {
        return match words[..] {
            [whole] => (String::new(), whole.to_string()),
            [family, ref given @ ..] => (given.join(" "), family.to_string()),
            [] => (String::new(), String::new()),
        };
    }
    let text = words.join(" ");
    if let Some((before, after)) = text.split_once(',') {
        let after = after.trim();
        if after
            .split([' ', ','])
            .all(|w| w.is_empty() || is_suffix(w))
            && !after.is_empty()
        {
            // "Jane Roe, Jr."
            let (first, last) = split_words(before);
            return (first, join_name(&last, &after.replace(',', " ")));
        }
        // "Roe, Jane" / "Roe, Dr. Jane Q., Jr."
        let (given, suffix) = match after.split_once(',') {
            Some((given, suffix)) => (given, suffix.trim()),
            None => (after, ""),
        };
        let given: Vec<&str> = given
            .split_whitespace()
            .skip_while(|w| is_title(w))
            .collect();
        return (given.join(" "), join_name(before, suffix));
    }
    split_words(&text)
}

/// Joins first and last name with one space, trimming both and collapsing inner whitespace.
pub fn join_name(first: &str, last: &str) -> String {
    first
        .split_whitespace()
        .chain(last.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The space-separated case: titles, given names, particles + surname, suffixes.
fn split_words(text: &str) -> (String, String) {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    let had_title = words.len() > 1 && words.first().is_some_and(|w| is_title(w));
    while words.len() > 1 && words.first().is_some_and(|w| is_title(w)) {
        words.remove(0);
    }
    let mut suffixes = Vec::new();
    while words.len() > 1 && words.last().is_some_and(|w| is_suffix(w)) {
        suffixes.insert(0, words.pop().unwrap_or_default());
    }
    let (first, mut last) = match words.len() {
        0 => (Vec::new(), Vec::new()),
        1 if had_title || !suffixes.is_empty() => (Vec::new(), words),
        1 => (words, Vec::new()),
        n => {
            let mut start = n - 1;
            // A capitalised first word is a given name ("Van Morrison"), a lower-case particle
            // starts the surname ("de Gaulle").
            let given = !is_particle(words[0]) || words[0].starts_with(char::is_uppercase);
            while start > usize::from(given) && is_particle(words[start - 1]) {
                start -= 1;
            }
            (words[..start].to_vec(), words[start..].to_vec())
        }
    };
    last.extend(suffixes);
    (first.join(" "), last.join(" "))
}

fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word.to_lowercase().as_str())
}

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| c == '.' || c == ',')
        .replace('.', "")
        .to_lowercase()
}

fn is_title(word: &str) -> bool {
    TITLES.contains(&bare(word).as_str())
}

fn is_suffix(word: &str) -> bool {
    SUFFIXES.contains(&bare(word).as_str())
}

/// Han, kana and Hangul: scripts whose names are written family-name first, usually unspaced.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// One value shaped like a record id.
pub fn is_id_like(v: &str) -> bool {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || v.contains(char::is_whitespace) {
        return false;
    }
    let numeric = v.chars().all(|c| c.is_ascii_digit());
    let token = v.len() >= 8
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '{' || c == '}')
        && digits * 4 >= v.len();
    numeric || token
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_names() {
        let cases = [
            ("Ada Lovelace", "Ada", "Lovelace"),
            ("  Ada   Lovelace ", "Ada", "Lovelace"),
            ("Lovelace, Ada", "Ada", "Lovelace"),
            ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
            ("van Beethoven, Ludwig", "Ludwig", "van Beethoven"),
            ("Juan de la Cruz", "Juan", "de la Cruz"),
            ("Robert De Niro", "Robert", "De Niro"),
            ("Dr. Jane Q. Roe Jr.", "Jane Q.", "Roe Jr."),
            ("Jane Roe, Jr.", "Jane", "Roe Jr."),
            ("Roe, Dr. Jane Q., Jr.", "Jane Q.", "Roe Jr."),
            ("Mary Ann Smith", "Mary Ann", "Smith"),
            ("John Smith III", "John", "Smith III"),
            ("Mr. Smith", "", "Smith"),
            ("Cher", "Cher", ""),
            ("Van Morrison", "Van", "Morrison"),
            ("de Gaulle", "", "de Gaulle"),
            ("van der Berg", "", "van der Berg"),
            ("山田太郎", "", "山田太郎"),
            ("山田 太郎", "太郎", "山田"),
            ("김민준", "", "김민준"),
            ("", "", ""),
        ];
        for (text, first, last) in cases {
            assert_eq!(
                split_full_name(text),
                (first.to_string(), last.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn joined_names() {
        assert_eq!(join_name(" Ada ", " Lovelace "), "Ada Lovelace");
        assert_eq!(join_name("Mary  Ann", "van  Dyke"), "Mary Ann van Dyke");
        assert_eq!(join_name("", "Roe"), "Roe");
        assert_eq!(join_name("Ada", ""), "Ada");
    }

    proptest! {
        #[test]
        fn splitting_never_panics_and_trims(s in "\\PC{0,40}") {
            let (first, last) = split_full_name(&s);
            prop_assert_eq!(first.trim(), first.as_str());
            prop_assert_eq!(last.trim(), last.as_str());
        }

        #[test]
        fn plain_names_split_and_join_back(first in "[A-Z][a-z]{1,8}", last in "[A-Z][a-z]{2,8}") {
            prop_assume!(!is_title(&first) && !is_suffix(&last));
            let full = join_name(&first, &last);
            prop_assert_eq!(split_full_name(&full), (first, last));
        }
    }
}

/// The records a link cell names, split the way sources join several linked records: by `;`
/// or line breaks, or by commas as Airtable and other list exports write them (`Ann Lee,Bob
/// Ray`, a name holding a comma quoted: `"Lee, Ann",Bob Ray`). A lone comma followed by a space
/// stays inside the name (`Lee, Ann`, `Acme, Inc.`); two names joined by a bare comma split only
/// when each looks like a full name (it holds a space) or like an id (`123,456`), so `Acme,Inc`
/// stays whole. One value (the common case) comes back as it is.
pub fn split_link_names(raw: &str) -> Vec<String> {
    let raw = raw.trim();
    let unquote = |s: &str| -> String {
        let s = s.trim();
        s.strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .map_or(s, str::trim)
            .replace("\"\"", "\"")
    };
    if raw.contains(';') || raw.contains('\n') {
        return raw
            .split([';', '\n'])
            .map(unquote)
            .filter(|s| !s.is_empty())
            .collect();
    }
    if !raw.contains(',') {
        return vec![unquote(raw)];
    }
    // Quote-aware split on commas that are not followed by a space.
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted && chars.peek().is_some_and(|n| !n.is_whitespace()) => {
                parts.push(unquote(&current));
                current.clear();
            }
            _ => current.push(c),
        }
    }
    parts.push(unquote(&current));
    parts.retain(|p| !p.is_empty());
    let ids = parts.iter().all(|p| is_id_like(p));
    let full_names = parts.iter().all(|p| p.contains(' '));
    let quoted_list = raw.starts_with('"') || raw.contains(",\"");
    if parts.len() > 1 && (ids || full_names || quoted_list || parts.len() >= 3) {
        parts
    } else {
        vec![unquote(raw)]
    }
}

#[cfg(test)]
mod link_name_tests {
    use super::split_link_names;

    #[test]
    fn link_cells_split_as_sources_join_several_records() {
        assert_eq!(
            split_link_names("Ann Lee,Bob Ray,Cid Oz"),
            ["Ann Lee", "Bob Ray", "Cid Oz"]
        );
        assert_eq!(
            split_link_names("\"Lee, Ann\",Bob Ray"),
            ["Lee, Ann", "Bob Ray"]
        );
        assert_eq!(split_link_names("Ann Lee; Bob Ray"), ["Ann Lee", "Bob Ray"]);
        assert_eq!(split_link_names("123,456"), ["123", "456"]);
        for one in ["Lee, Ann", "Acme, Inc.", "Acme,Inc", "Ann Lee", "\"Acme\""] {
            assert_eq!(split_link_names(one).len(), 1, "{one}");
        }
        assert_eq!(split_link_names("\"Acme\""), ["Acme"]);
    }
}
