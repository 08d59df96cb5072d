//! How names, e-mail addresses and phone numbers are spelled, including the misspellings.

use crate::random::{Rng, mix, s};
use crate::vocab::*;

/// Brand, kind and legal form of company name k; (brand, kind) is unique for every k.
pub fn brand_name(seed: u64, k: u64) -> (String, &'static str, &'static str) {
    let syl = SYL.len() as u64;
    let space = syl * syl * syl * KINDS.len() as u64;
    // k -> p is a bijection on 0..space (99257 is coprime to space) whose digits all move as k steps
    let mut p = (k % space * 99_257 + mix(seed) % space) % space;
    let kind = KINDS[(p % KINDS.len() as u64) as usize];
    p /= KINDS.len() as u64;
    let mut raw = String::new();
    for _ in 0..3 {
        raw.push_str(SYL[(p % syl) as usize]);
        p /= syl;
    }
    let wrap = k / space; // past the first 138,240 names, brands get a fourth syllable
    if wrap > 0 {
        raw.push_str(SYL[((wrap - 1) % syl) as usize]);
    }
    let mut chars = raw.chars();
    let mut brand: String = chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .chain(chars)
        .collect();
    if wrap > syl {
        brand = format!("{brand} {}", (wrap - 1) / syl + 1);
    }
    (
        brand,
        kind,
        LEGAL[(mix(seed ^ k) % LEGAL.len() as u64) as usize],
    )
}

pub fn name_variant(name: &str, shout: bool) -> String {
    let Some(legal) = LEGAL.iter().find(|l| name.ends_with(&format!(" {l}"))) else {
        return name.to_uppercase();
    };
    let stem = &name[..name.len() - legal.len() - 1];
    if !shout {
        return s(stem);
    }
    let (first, rest) = stem.split_once(' ').unwrap_or((stem, ""));
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!(" {rest}")
    };
    format!(
        "{}{rest}, {}",
        first.to_uppercase(),
        legal.trim_end_matches('.')
    )
}

/// The same e-mail address in another case: `Emma.Smith@Acme.Example`.
pub fn shout(email: &str) -> String {
    let mut up = true;
    let shout = |ch: char| {
        let out = if up { ch.to_ascii_uppercase() } else { ch };
        up = matches!(ch, '.' | '@' | '-');
        out
    };
    email.chars().map(shout).collect()
}

/// The same phone number without its spaces and punctuation.
pub fn digits(phone: &str) -> String {
    phone
        .chars()
        .filter(|ch| *ch == '+' || ch.is_ascii_digit())
        .collect()
}

/// A typing error: two letters swapped, or the last one doubled in a short name.
pub fn typo(name: &str) -> String {
    let mut ch: Vec<char> = name.chars().collect();
    match ch.len() {
        0 => {}
        1..4 => ch.push(ch[ch.len() - 1]),
        _ => ch.swap(1, 2),
    }
    ch.into_iter().collect()
}

/// A phone number as people type them: international, national or run together.
pub fn phone(g: &mut Rng, city: usize, mobile: bool) -> String {
    let (_, _, _, _, _, cc, area) = CITIES[city];
    let na = cc == "1"; // North America: fictional 555-01xx numbers
    let area = if mobile && !na { "70" } else { area };
    let (a, b) = if na {
        (555, 100 + g.below(100))
    } else {
        (100 + g.below(900), g.below(10_000))
    };
    match g.below(3) {
        0 => format!("+{cc} {area} {a} {b:04}"),
        1 if na => format!("({area}) {a}-{b:04}"),
        1 => format!("0{area}-{a} {b:04}"),
        _ => format!("+{cc}{area}{a}{b:04}"),
    }
}
