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
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len() + 2);
    let mut i = 0;
    while i < words.len() {
        // A one-letter abbreviation before "date" (`c_date`, `u_date`) is read before the
        // noise words drop it ("c" is also Salesforce's custom-field suffix).
        if i + 1 < words.len()
            && words[i + 1] == "date"
            && let Some(full) = date_abbreviation(words[i])
        {
            out.extend(full);
            i += 2;
            continue;
        }
        match abbreviation(words[i]) {
            Some(full) => out.extend(full),
            None if NOISE.contains(&words[i]) => {}
            None => out.push(words[i]),
        }
        i += 1;
    }
    out.join(" ")
}

/// The words a one-letter date abbreviation stands for (`c_date` → created date).
fn date_abbreviation(letter: &str) -> Option<[&'static str; 2]> {
    match letter {
        "c" => Some(["created", "date"]),
        "u" | "m" => Some(["updated", "date"]),
        _ => None,
    }
}

/// Abbreviations CRMs write in column names, and the words they stand for: `cdate`,
/// `udate` (ActiveCampaign, Pipedrive's API), `org` (organization), `est.` (estimated).
fn abbreviation(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "cdate" | "crdate" => &["created", "date"],
        "udate" | "mdate" | "moddate" => &["updated", "date"],
        "org" | "orgs" => &["organization"],
        "est" | "estd" => &["estimated"],
        "amt" => &["amount"],
        "qty" => &["quantity"],
        "desc" | "descr" => &["description"],
        // "Date entered" (SugarCRM, SuiteCRM) is the date the record was created.
        "entered" => &["created"],
        _ => return None,
    })
}
