//! The words CRMs write for values pipemap must recognise: deal statuses in many languages,
//! won/lost stage names, won/closed flag columns, currency names and placeholders, and the
//! names of columns that hold secrets. The lists live in `assets/values.yaml`; ISO 4217's codes
//! and names come from the `iso_currency` crate.

use std::collections::HashMap;
use std::sync::OnceLock;

use iso_currency::{Country, Currency, IntoEnumIterator};
use serde::Deserialize;

use super::ValueError;

const WORDS: &str = include_str!("../../assets/values.yaml");

/// A deal's status in Pipedrive's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DealStatus {
    Open,
    Won,
    Lost,
}

impl DealStatus {
    /// The word Pipedrive's import takes.
    pub fn as_str(self) -> &'static str {
        match self {
            DealStatus::Open => "open",
            DealStatus::Won => "won",
            DealStatus::Lost => "lost",
        }
    }
}

/// What a yes/no column says about a deal (Salesforce `IsWon`, `IsClosed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFlag {
    Won,
    Closed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusWords {
    won: Vec<String>,
    lost: Vec<String>,
    open: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagWords {
    won: Vec<String>,
    closed: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    status: StatusWords,
    closed_stage_prefixes: Vec<String>,
    status_flags: FlagWords,
    currency_names: HashMap<String, String>,
    currency_placeholders: Vec<String>,
    secret_columns: Vec<String>,
    code_columns: Vec<String>,
    calling_codes: Vec<u16>,
}

/// The word lists, folded and ready for lookups.
struct Lexicon {
    status: HashMap<String, DealStatus>,
    closed_prefixes: Vec<String>,
    flags: HashMap<String, StatusFlag>,
    currencies: HashMap<String, &'static str>,
    placeholders: Vec<String>,
    secrets: Vec<String>,
    codes: Vec<String>,
    calling_codes: Vec<u16>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let words: Words = serde_yaml::from_str(WORDS).expect("assets/values.yaml is valid");
        let mut status = HashMap::new();
        for (list, value) in [
            (&words.status.won, DealStatus::Won),
            (&words.status.lost, DealStatus::Lost),
            (&words.status.open, DealStatus::Open),
        ] {
            status.extend(list.iter().map(|w| (fold(w), value)));
        }
        let mut flags = HashMap::new();
        flags.extend(
            words
                .status_flags
                .won
                .iter()
                .map(|w| (fold(w), StatusFlag::Won)),
        );
        flags.extend(
            words
                .status_flags
                .closed
                .iter()
                .map(|w| (fold(w), StatusFlag::Closed)),
        );
        let mut currencies: HashMap<String, &'static str> = Currency::iter()
            .map(|c| (fold(c.name()), c.code()))
            .collect();
        for (name, code) in &words.currency_names {
            let currency = Currency::from_code(code).expect("ISO 4217 codes in assets/values.yaml");
            currencies.insert(fold(name), currency.code());
        }
        Lexicon {
            status,
            closed_prefixes: words
                .closed_stage_prefixes
                .iter()
                .map(|w| fold(w))
                .collect(),
            flags,
            currencies,
            placeholders: words
                .currency_placeholders
                .iter()
                .map(|w| fold(w))
                .collect(),
            secrets: words.secret_columns.iter().map(|w| fold(w)).collect(),
            codes: words.code_columns.iter().map(|w| fold(w)).collect(),
            calling_codes: words.calling_codes,
        }
    })
}

/// Lower case without accents, with `-`, `_`, `/`, `.`, `:` and runs of spaces as one space.
pub(crate) fn fold(s: &str) -> String {
    let plain = deunicode::deunicode(s).to_lowercase();
    plain
        .split(|c: char| c.is_whitespace() || "-_/:".contains(c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a deal status written in any of the listed languages (`won`, `Ganho`, `verloren`,
/// `Closed Won`, `In Progress`); `None` for words that name no status.
pub fn parse_status(s: &str) -> Option<DealStatus> {
    lexicon().status.get(&fold(s)).copied()
}

/// The status a stage's name says, when it names a closed stage: a won or lost word alone
/// (`Won`, HubSpot's `closedwon`), or after a "closed" word and followed by anything
/// (`Closed Won`, `Closed - Lost`, Zoho's `Closed-Lost to Competition`, `Fechado ganho`).
/// Open-sounding stage names say nothing (`Negotiation/Review` is open only as long as no
/// other column says so).
pub fn stage_status(stage: &str) -> Option<DealStatus> {
    let folded = fold(stage);
    let lexicon = lexicon();
    let closed = |words: &str| match lexicon.status.get(words) {
        Some(DealStatus::Open) | None => None,
        Some(status) => Some(*status),
    };
    let after_prefix = lexicon.closed_prefixes.iter().find_map(|p| {
        folded
            .strip_prefix(p.as_str())
            .filter(|r| r.starts_with(' '))
            .map(str::trim)
    });
    match after_prefix {
        // The status word may be followed by a reason ("to Competition").
        Some(rest) => {
            let words: Vec<&str> = rest.split(' ').collect();
            (1..=words.len().min(2))
                .rev()
                .find_map(|n| closed(&words[..n].join(" ")))
        }
        None => closed(&folded),
    }
}

/// Whether a column's name says it holds a won or closed flag (`IsWon`, `Is Closed`).
pub fn status_flag(header: &str) -> Option<StatusFlag> {
    lexicon().flags.get(&fold(&split_camel(header))).copied()
}

/// Whether a column's name says its values are secrets (passwords, tokens, keys, card numbers).
pub fn is_secret_column(header: &str) -> bool {
    name_ends_with(header, &lexicon().secrets)
}

/// Whether a column's name says its values are codes (postal codes, phone, account and tax
/// numbers), which are text however much they look like numbers.
pub fn holds_codes(header: &str) -> bool {
    name_ends_with(header, &lexicon().codes)
}

/// The folded name (`BillingPostalCode` → `billing postal code`, `Password__c` → `password`)
/// is one of the phrases or ends with one as whole words.
fn name_ends_with(header: &str, phrases: &[String]) -> bool {
    let name = header.trim();
    let name = name.strip_suffix("__c").unwrap_or(name);
    let folded = fold(&split_camel(name));
    phrases
        .iter()
        .any(|s| folded == *s || folded.ends_with(&format!(" {s}")))
}

/// Whether the digits start with an international calling code (`49…`, `1…`, `880…`).
pub(crate) fn starts_with_calling_code(digits: &str) -> bool {
    let codes = &lexicon().calling_codes;
    (1..=3).any(|n| {
        digits
            .get(..n)
            .and_then(|head| head.parse::<u16>().ok())
            .is_some_and(|code| codes.contains(&code))
    })
}

/// `IsWon` → `Is Won`, `APIKey` → `API Key`: a camel-case name as words.
fn split_camel(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let lower_before = i > 0 && chars[i - 1].is_lowercase();
        let acronym_end = i > 0
            && chars[i - 1].is_uppercase()
            && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if c.is_uppercase() && (lower_before || acronym_end) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Reads a currency cell to its ISO 4217 code: a code (`usd`), a name (`US Dollar`, `Euro`,
/// `Pound sterling`), a symbol (`€`, `R$`) or a code with its name (`USD - US Dollar`).
///
/// A placeholder for "no currency" (`'-99`, `-1`, `none`, `n/a`: any number, and the listed
/// words) is [`ValueError::Placeholder`]; anything else unknown is [`ValueError::NotACurrency`].
pub fn parse_currency(s: &str) -> Result<String, ValueError> {
    let text = s.trim().trim_start_matches('\'').trim();
    let lexicon = lexicon();
    let folded = fold(text);
    let is_number = !text.is_empty()
        && text
            .trim_start_matches(['-', '+', '−'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && text.chars().any(|c| c.is_ascii_digit());
    if is_number || lexicon.placeholders.contains(&folded) {
        return Err(ValueError::Placeholder(s.to_string()));
    }
    if let Some(code) = currency_code(text) {
        return Ok(code.to_string());
    }
    // "USD - US Dollar", "EUR (Euro)", "US Dollar (USD)": a code beside its name.
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "-()[]/,".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let codes: Vec<&'static str> = words.iter().filter_map(|w| iso_code(w)).collect();
    if let [code] = codes[..] {
        let rest: String = words
            .iter()
            .filter(|w| iso_code(w).is_none())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if rest.is_empty() || lexicon.currencies.get(&fold(&rest)) == Some(&code) {
            return Ok(code.to_string());
        }
    }
    Err(ValueError::NotACurrency(s.to_string()))
}

/// An ISO 4217 code, name or unambiguous symbol, alone.
pub(crate) fn currency_code(text: &str) -> Option<&'static str> {
    iso_code(text)
        .or_else(|| lexicon().currencies.get(&fold(text)).copied())
        .or_else(|| super::money::symbol_code(text))
}

/// An ISO 4217 code, any case (`usd`); three letters only, so a word is never a code by accident.
fn iso_code(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if text.len() != 3 || !text.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Currency::from_code(&text.to_uppercase()).map(|c| c.code())
}

/// The currency of a country named by its ISO 3166 two-letter code, when it has only one
/// besides funds (`SE` → SEK, `DE` → EUR, `US` → USD); some CRMs write an amount as `SE100000,00`.
pub(crate) fn country_currency(text: &str) -> Option<&'static str> {
    if text.len() != 2 || !text.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let country: Country = text.parse().ok()?;
    let currencies: Vec<Currency> = Currency::from_country(country)
        .into_iter()
        .filter(|c| !c.is_fund())
        .collect();
    match currencies[..] {
        [only] => Some(only.code()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
