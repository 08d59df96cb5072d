//! Amounts of money and plain numbers written in English, continental and Swiss styles,
//! normalised to a canonical decimal string (`-1234.50`) that never uses an exponent.

use super::ValueError;
use super::decimal::{DecimalMark, DecimalStyle, reads_both_ways};

/// Characters that only ever group thousands.
pub(super) const SPACES: [char; 7] = [' ', '\u{a0}', '\u{202f}', '\u{2009}', '\'', '’', '_'];

/// An amount of money: canonical decimal text and the ISO 4217 code, when the text named one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// Optional `-`, digits without leading zeros, optional `.` and the fraction digits as given.
    pub amount: String,
    /// ISO 4217 code, or `None` when there was no currency or only an ambiguous one (`kr`, `¥`).
    pub currency: Option<String>,
    /// The ISO 3166 country code the currency was read from (`SE100000,00` → SEK), so callers
    /// can say so: a country is not a currency, only the currency of one.
    pub country: Option<String>,
}

/// Parses an amount of money with an optional currency before or after the number.
///
/// Currencies: ISO codes (`USD 12`, `12 eur`) and the symbols `$` `US$` `C$` `A$` `NZ$` `HK$`
/// `S$` `R$` `MX$` `€` `£` `₹` `zł` `Kč` `Ft` `Fr.` `₽` `₩` `₺` `₪` `₴` `₱` `฿` `₫` `円` `元`.
/// A bare `$` is read as USD (the commonest by far in CRM exports; files in other dollars carry
/// a code, which then wins: `$12 CAD` is CAD). `kr` (SEK, NOK, DKK, ISK) and `¥` (JPY, CNY) are
/// accepted with currency `None`.
///
/// Any ISO 4217 code is accepted. A two-letter country code in front (`SE100000,00`) stands
/// for that country's currency when it has only one; [`Money::country`] then names it.
///
/// Negative amounts: `-12`, `−12`, `12-`, `-$12`, `$-12`, `(1,234.00)`. A trailing `,-` or `.-`
/// ("12,-") means no cents. A lone dash, with or without a currency (`-`, `$ -`), is the zero
/// of spreadsheets' accounting format. A leading `'` (Excel's "keep as text") is dropped.
/// Separators follow [`parse_number`]'s rules.
pub fn parse_money(s: &str) -> Result<Money, ValueError> {
    parse_money_in(s, DecimalStyle::Unknown)
}

/// [`parse_money`] in a column's decimal convention (see [`parse_number_in`]).
pub fn parse_money_in(s: &str, style: DecimalStyle) -> Result<Money, ValueError> {
    if style == DecimalStyle::Mixed
        && number_span(s).is_some_and(|(a, b)| reads_both_ways(&s[a..b]))
    {
        return Err(ValueError::AmbiguousNumber(s.to_string()));
    }
    read_money_in(s, style)
        .map(|(money, _)| money)
        .ok_or_else(|| ValueError::NotMoney(s.to_string()))
}

/// Parses a plain number to canonical decimal text: `1 234,5` → `1234.5`, `30%` → `30`,
/// `1.2e3` → `1200`, `(12)` → `-12`.
///
/// Separators: when both `.` and `,` occur, the last one is the decimal separator. Spaces
/// (including no-break spaces), `'`, `’` and `_` only ever group thousands. A lone separator that
/// occurs several times groups thousands (`1.234.567`). A lone separator that occurs once is
/// the decimal separator (`1,5`, `1.234`, `1 234,567`), except a single comma followed by exactly
/// three digits after a non-zero integer part of at most three digits, which groups thousands
/// (`1,234` = 1234): English-style exports write amounts so, while decimal-comma exports nearly
/// always show two decimals. Groups must have three digits (Indian `12,34,567` is accepted too).
/// Exponents are expanded exactly (up to e±100).
pub fn parse_number(s: &str) -> Result<String, ValueError> {
    parse_number_in(s, DecimalStyle::Unknown)
}

/// [`parse_number`] in a column's decimal convention, decided from all its values: in a
/// decimal-comma column `1.000` is 1000 and `12,345` is 12.345; in a decimal-point column the
/// other way round; a value that has the column's grouping character as its decimal separator
/// (`1.5` among decimal commas) is no number of the column. In a column that mixes both, a
/// value that reads either way is refused as ambiguous rather than guessed.
pub fn parse_number_in(s: &str, style: DecimalStyle) -> Result<String, ValueError> {
    let error = || ValueError::NotANumber(s.to_string());
    let text = s.trim();
    let text = text.strip_suffix('%').unwrap_or(text).trim_end();
    let (start, end) = number_span(text).ok_or_else(error)?;
    let (prefix, body, suffix) = (&text[..start], &text[start..end], &text[end..]);
    let (negative, prefix_rest, suffix_rest) = signs(prefix, suffix).ok_or_else(error)?;
    if !prefix_rest.is_empty() || !suffix_rest.is_empty() {
        return Err(error());
    }
    if style == DecimalStyle::Mixed && reads_both_ways(body) {
        return Err(ValueError::AmbiguousNumber(s.to_string()));
    }
    let magnitude = expand_exponent(body)
        .or_else(|| canonical_decimal(body, style))
        .ok_or_else(error)?;
    Ok(signed(negative, magnitude))
}

/// Whether the text is money with an explicit currency mark (code or symbol, even `kr`).
pub(crate) fn has_currency_marker(s: &str) -> bool {
    read_money_in(s, DecimalStyle::Unknown).is_some_and(|(_, marked)| marked)
}

/// Reads money; the flag tells whether a currency mark was present.
fn read_money_in(s: &str, style: DecimalStyle) -> Option<(Money, bool)> {
    let text = s.trim();
    let text = text.strip_prefix('\'').unwrap_or(text).trim();
    if let Some(zero) = accounting_zero(text) {
        return Some(zero);
    }
    let (start, end) = number_span(text)?;
    let (prefix, body) = (&text[..start], &text[start..end]);
    let suffix = &text[end..];
    // "12,-" / "Fr. 12.-": a dash for the cents, which also fixes the decimal separator.
    let (suffix, dashed_cents) = match suffix
        .strip_prefix(",-")
        .or_else(|| suffix.strip_prefix(".-"))
    {
        Some(rest) => (rest.trim_start_matches('-'), Some(&suffix[..1])),
        None => (suffix, None),
    };
    let (negative, prefix_mark, suffix_mark) = signs(prefix, suffix)?;
    let country = (suffix_mark.is_empty() && currency(&prefix_mark).is_none())
        .then(|| super::words::country_currency(&prefix_mark).map(|_| prefix_mark.clone()))
        .flatten();
    let prefix_mark = match &country {
        Some(code) => super::words::country_currency(code)?.to_string(),
        None => prefix_mark,
    };
    let currency = match (currency(&prefix_mark)?, currency(&suffix_mark)?) {
        (None, None) => None,
        (Some(only), None) | (None, Some(only)) => Some(only),
        (Some(before), Some(after)) => Some(combine(before, after)?),
    };
    let marked = currency.is_some();
    let magnitude = match dashed_cents {
        Some(separator) => {
            let with_cents =
                canonical_decimal(&format!("{body}{separator}0"), DecimalStyle::Unknown)?;
            with_cents.strip_suffix(".0")?.to_string()
        }
        None => canonical_decimal(body, style)?,
    };
    let amount = signed(negative, magnitude);
    let currency = currency.and_then(|c| c.code).map(str::to_string);
    Some((
        Money {
            amount,
            currency,
            country,
        },
        marked,
    ))
}

/// `-`, `$ -`, `- €`: the accounting format's zero, with its currency when it has one.
fn accounting_zero(text: &str) -> Option<(Money, bool)> {
    let dash = text.find(['-', '–', '—'])?;
    let (before, after) = (&text[..dash], &text[dash..]);
    let after = after.trim_start_matches(['-', '–', '—']);
    let mark = match (before.trim(), after.trim()) {
        ("", mark) | (mark, "") => mark,
        _ => return None,
    };
    let currency = currency(mark)?;
    Some((
        Money {
            amount: "0".to_string(),
            currency: currency.and_then(|c| c.code).map(str::to_string),
            country: None,
        },
        currency.is_some(),
    ))
}

/// Byte range from the first digit (or a separator right before one) to the last digit.
fn number_span(text: &str) -> Option<(usize, usize)> {
    let first = text.find(|c: char| c.is_ascii_digit())?;
    let end = text.rfind(|c: char| c.is_ascii_digit())? + 1;
    let start = match text[..first].chars().next_back() {
        Some(c @ ('.' | ',')) => first - c.len_utf8(),
        _ => first,
    };
    Some((start, end))
}

/// Takes signs and parentheses out of the text around a number; returns whether it is
/// negative and what is left on each side. `None` for unbalanced parentheses or several signs.
fn signs(prefix: &str, suffix: &str) -> Option<(bool, String, String)> {
    let is_mark = |c: char| c.is_whitespace() || "-−+()".contains(c);
    let count = |s: &str, set: &str| s.chars().filter(|&c| set.contains(c)).count();
    let minus = count(prefix, "-−") + count(suffix, "-−");
    let plus = count(prefix, "+") + count(suffix, "+");
    let open = count(prefix, "(");
    let balanced =
        open == count(suffix, ")") && open <= 1 && !prefix.contains(')') && !suffix.contains('(');
    if !balanced || minus + plus > 1 {
        return None;
    }
    let rest = |s: &str| s.chars().filter(|&c| !is_mark(c)).collect::<String>();
    Some((minus == 1 || open == 1, rest(prefix), rest(suffix)))
}

fn signed(negative: bool, magnitude: String) -> String {
    let zero = magnitude.bytes().all(|b| b == b'0' || b == b'.');
    if negative && !zero {
        format!("-{magnitude}")
    } else {
        magnitude
    }
}

/// A recognised currency mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Currency {
    code: Option<&'static str>,
    /// A symbol shared by several currencies, which an explicit code overrides.
    generic: bool,
}

/// Currency symbols (lower-cased) and the ISO code each stands for, `None` when it is shared.
#[rustfmt::skip]
const SYMBOLS: [(&str, Option<&str>); 35] = [
    ("$", Some("USD")), ("us$", Some("USD")), ("c$", Some("CAD")), ("ca$", Some("CAD")),
    ("a$", Some("AUD")), ("au$", Some("AUD")), ("nz$", Some("NZD")), ("hk$", Some("HKD")),
    ("s$", Some("SGD")), ("r$", Some("BRL")), ("mx$", Some("MXN")), ("€", Some("EUR")),
    ("£", Some("GBP")), ("₹", Some("INR")), ("zł", Some("PLN")), ("kč", Some("CZK")),
    ("ft", Some("HUF")), ("fr.", Some("CHF")), ("sfr.", Some("CHF")), ("₽", Some("RUB")),
    ("₩", Some("KRW")), ("₺", Some("TRY")), ("₪", Some("ILS")), ("₴", Some("UAH")),
    ("₱", Some("PHP")), ("฿", Some("THB")), ("₫", Some("VND")), ("円", Some("JPY")),
    ("jp¥", Some("JPY")), ("元", Some("CNY")), ("cn¥", Some("CNY")), ("lei", Some("RON")),
    ("¥", None), ("kr", None), ("kr.", None),
];

/// The ISO code of an unambiguous currency symbol (`€`, `R$`; a bare `$` is USD).
pub(crate) fn symbol_code(text: &str) -> Option<&'static str> {
    let lower = text.trim().to_lowercase();
    SYMBOLS
        .iter()
        .find(|(symbol, _)| *symbol == lower)
        .and_then(|(_, code)| *code)
}

/// `Some(None)`: no mark at all; `None`: a mark that is no known currency (so no money).
fn currency(mark: &str) -> Option<Option<Currency>> {
    if mark.is_empty() {
        return Some(None);
    }
    if mark.len() == 3
        && mark.chars().all(|c| c.is_ascii_alphabetic())
        && let Some(code) = iso_currency::Currency::from_code(&mark.to_uppercase())
    {
        return Some(Some(Currency {
            code: Some(code.code()),
            generic: false,
        }));
    }
    let lower = mark.to_lowercase();
    let (symbol, code) = SYMBOLS.iter().find(|(symbol, _)| *symbol == lower)?;
    let generic = matches!(*symbol, "$" | "¥" | "kr" | "kr.");
    Some(Some(Currency {
        code: *code,
        generic,
    }))
}

/// Marks on both sides (`$12 CAD`, `€ 12 EUR`) must agree, or one must be a generic symbol.
fn combine(before: Currency, after: Currency) -> Option<Currency> {
    match (before.generic, after.generic) {
        _ if before.code == after.code => Some(before),
        (true, false) => Some(after),
        (false, true) => Some(before),
        _ => None,
    }
}

/// Expands `1.2e3` → `1200`, `5E-3` → `0.005`; `None` unless the text has that shape.
fn expand_exponent(body: &str) -> Option<String> {
    let (mantissa, exponent) = body.split_once(['e', 'E'])?;
    let exponent: i64 = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(-100..=100).contains(&exponent)
        || whole.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
    {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    let point = whole.len() as i64 + exponent;
    let (int, frac) = if point <= 0 {
        (
            String::new(),
            format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)),
        )
    } else if point as usize >= digits.len() {
        (
            format!("{digits}{}", "0".repeat(point as usize - digits.len())),
            String::new(),
        )
    } else {
        (
            digits[..point as usize].to_string(),
            digits[point as usize..].to_string(),
        )
    };
    Some(join_decimal(&int, frac.trim_end_matches('0')))
}

/// Separators removed, decimal separator made `.`, leading zeros dropped; `None` when the
/// grouping is irregular or anything but digits and separators is present.
fn canonical_decimal(body: &str, style: DecimalStyle) -> Option<String> {
    let body: String = body
        .chars()
        .map(|c| if SPACES.contains(&c) { ' ' } else { c })
        .collect();
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || ".,' ".contains(c))
    {
        return None;
    }
    let (last_dot, last_comma) = (body.rfind('.'), body.rfind(','));
    let count = |c: char| body.matches(c).count();
    let decimal = match (style, last_dot, last_comma) {
        (DecimalStyle::Only(mark), _, _) => {
            let (d, g) = match mark {
                DecimalMark::Point => ('.', ','),
                DecimalMark::Comma => (',', '.'),
            };
            // The grouping character after the decimal one is no number of this column.
            if matches!((body.rfind(g), body.find(d)), (Some(gi), Some(di)) if gi > di) {
                return None;
            }
            body.contains(d).then_some(d)
        }
        (_, dot, comma) => decimal_by_value(&body, dot, comma),
    };
    let (int, frac) = match decimal {
        Some(d) if count(d) == 1 => body.split_once(d)?,
        Some(_) => return None,
        None => (body.as_str(), ""),
    };
    let groupings: Vec<char> = [' ', '.', ',']
        .into_iter()
        .filter(|&g| int.contains(g))
        .collect();
    let int_digits = match groupings[..] {
        [] => int.to_string(),
        [g] if regular_groups(&int.split(g).collect::<Vec<_>>()) => int.replace(g, ""),
        _ => return None,
    };
    let has_fraction = decimal.is_some();
    if !int_digits.bytes().all(|b| b.is_ascii_digit())
        || (has_fraction && (frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit())))
    {
        return None;
    }
    Some(join_decimal(&int_digits, frac))
}

/// The decimal separator of a value read by itself (see [`parse_number`]).
fn decimal_by_value(
    body: &str,
    last_dot: Option<usize>,
    last_comma: Option<usize>,
) -> Option<char> {
    let count = |c: char| body.matches(c).count();
    match (last_dot, last_comma) {
        (Some(dot), Some(comma)) => Some(if dot > comma { '.' } else { ',' }),
        (None, None) => None,
        (Some(_), None) if count('.') > 1 => None,
        (None, Some(_)) if count(',') > 1 => None,
        (None, Some(at)) if !body.contains(' ') && is_thousands_comma(body, at) => None,
        (Some(_), None) => Some('.'),
        (None, Some(_)) => Some(','),
    }
}

/// `1,234`: one comma, three digits after it, a non-zero integer part of one to three digits.
fn is_thousands_comma(body: &str, at: usize) -> bool {
    let (before, after) = (&body[..at], &body[at + 1..]);
    after.len() == 3
        && (1..=3).contains(&before.len())
        && !before.trim_start_matches('0').is_empty()
}

/// Thousands groups (`1`, `234`, `567`) or Indian lakh groups (`12`, `34`, `567`).
fn regular_groups(groups: &[&str]) -> bool {
    let Some((first, rest)) = groups.split_first() else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return false;
    };
    let western = (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3);
    let indian =
        (1..=2).contains(&first.len()) && last.len() == 3 && middle.iter().all(|g| g.len() == 2);
    western || indian
}

fn join_decimal(int: &str, frac: &str) -> String {
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

#[cfg(test)]
mod tests;
