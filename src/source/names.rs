//! Column names reduced to comparable words: accents folded, camelCase and snake_case split,
//! punctuation dropped, noise words removed. Suggesting a mapping and recognising a renamed
//! column both compare names this way.

/// Words that carry no meaning in a column name.
const NOISE: &[&str] = &["the", "of", "a", "an", "your", "c"];

/// Lower-case ASCII words of a column name: `"Contact_FirstName (2)"` → `"contact first name 2"`.
pub fn normalize(name: &str) -> String {
    let folded = deunicode::deunicode(name);
    let mut spaced = String::with_capacity(folded.len() + 8);
    let mut prev: Option<char> = None;
    for c in folded.chars() {
        if let Some(p) = prev {
            let camel = p.is_ascii_lowercase() && c.is_ascii_uppercase();
            let digit_edge = (p.is_ascii_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_ascii_alphabetic());
            if camel || digit_edge {
                spaced.push(' ');
            }
        }
        spaced.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            ' '
        });
        prev = Some(c);
    }
    spaced
        .split_whitespace()
        .filter(|w| !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}
