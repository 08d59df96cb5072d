//! Names compared: persons by first and last name (as written and swapped, typos and
//! nicknames forgiven), organisations by their keys (word order and legal forms aside), and a
//! person's company. Each gives a log-odds weight and a similarity a user can read.

use super::compare::{Agreement, shares};
use super::prepare::Prepared;
use super::similarity::{jaro_winkler, osa_distance};

/// Similarity of two folded words (0..1): 1 when equal; otherwise the mean of Jaro-Winkler and
/// the edit-distance ratio (transpositions count once), so one typo in a long word scores high
/// and a different short name does not.
pub(crate) fn word_similarity(a: &str, b: &str) -> f64 {
    similarity_and_edits(a, b).0
}

/// [`word_similarity`] and the edit distance it used.
fn similarity_and_edits(a: &str, b: &str) -> (f64, usize) {
    if a == b {
        return (1.0, 0);
    }
    if a.is_empty() || b.is_empty() {
        return (0.0, a.len().max(b.len()));
    }
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let jw = jaro_winkler(x, y);
    let edits = osa_distance(x, y);
    let edit = 1.0 - edits as f64 / x.len().max(y.len()) as f64;
    ((jw + edit) / 2.0, edits)
}

/// A name part: its folded text and the hash of its full given-name form.
type Part<'a> = (&'a str, u64);

/// One name part's weight (`strong` for exact agreement, scaled down for typos, `penalty` when
/// they are different names), and its similarity.
fn part_weight(a: Part, b: Part, strong: f64, penalty: f64, given: bool) -> (f64, f64) {
    let ((a, a_given), (b, b_given)) = (a, b);
    if a == b {
        return (strong, 1.0);
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() == 1 {
        // An initial: compatible, barely evidence.
        return if long.starts_with(short) {
            (0.15 * strong, 0.85)
        } else {
            (-penalty, 0.0)
        };
    }
    let (sim, edits) = similarity_and_edits(a, b);
    let weight = if (edits == 1 && short.len() >= 4) || sim >= 0.93 {
        0.65 * strong
    } else if given && a_given == b_given {
        // "Bob" and "Robert": one name, as surely as a typo is.
        return (0.65 * strong, 0.9);
    } else if (edits == 2 && short.len() >= 7) || sim >= 0.88 {
        0.3 * strong
    } else if sim >= 0.8 {
        -0.3 * penalty
    } else {
        -penalty
    };
    (weight, sim)
}

/// A person's name: first and last name compared as written and swapped, the better kept.
/// Returns (weight, similarity), None when either side has no name.
pub(crate) fn person_name(a: &Prepared, b: &Prepared) -> Option<(f64, f64)> {
    const FIRST: (f64, f64) = (2.0, 3.0);
    const LAST: (f64, f64) = (3.0, 4.5);
    if a.name.is_empty() || b.name.is_empty() {
        return None;
    }
    if a.name == b.name {
        // Same words, perhaps split differently ("Mary Ann | Smith" / "Mary | Ann Smith").
        return Some((FIRST.0 + LAST.0, 1.0));
    }
    let pair = |fa: Part, la: Part, fb: Part, lb: Part| {
        let (mut weight, mut sims, mut parts) = (0.0, 0.0, 0.0);
        if !fa.0.is_empty() && !fb.0.is_empty() {
            let (w, s) = part_weight(fa, fb, FIRST.0, FIRST.1, true);
            weight += w;
            sims += s;
            parts += 1.0;
        }
        if !la.0.is_empty() && !lb.0.is_empty() {
            let (w, s) = part_weight(la, lb, LAST.0, LAST.1, false);
            weight += w;
            sims += s;
            parts += 1.0;
        }
        (parts > 0.0).then(|| (weight, sims / parts))
    };
    let (af, al) = ((&*a.first, a.first_given), (&*a.last, a.last_given));
    let (bf, bl) = ((&*b.first, b.first_given), (&*b.last, b.last_given));
    let direct = pair(af, al, bf, bl);
    if let Some(d) = direct
        && d.0 >= 3.0
    {
        // Both parts agree as written: swapping cannot do better.
        return Some(d);
    }
    // Swapped names start with each other's letters; anything else is not worth the work.
    let initial = |x: &str| x.bytes().next();
    let plausible = initial(&a.first) == initial(&b.last) || initial(&a.last) == initial(&b.first);
    let swapped = if plausible || direct.is_none() {
        pair(af, al, bl, bf)
    } else {
        None
    };
    match (direct, swapped) {
        (Some(d), Some(s)) => Some(if s.0 > d.0 { s } else { d }),
        (d, s) => d.or(s).or_else(|| {
            // One side has only a first name, the other only a last name.
            let sim = word_similarity(&a.name, &b.name);
            Some((if sim >= 0.93 { 1.0 } else { -3.0 }, sim))
        }),
    }
}

/// Soft word-set similarity (Monge-Elkan, both ways): each word's best match on the other
/// side, averaged; word order does not matter, typos in a word cost little.
fn word_set_similarity(a: &str, b: &str) -> f64 {
    let one_way = |x: &str, y: &str| {
        let words: Vec<&str> = x.split(' ').collect();
        let total: f64 = words
            .iter()
            .map(|w| {
                y.split(' ')
                    .map(|v| word_similarity(w, v))
                    .fold(0.0, f64::max)
            })
            .sum();
        total / words.len() as f64
    };
    (one_way(a, b) + one_way(b, a)) / 2.0
}

/// Similarity of two organisation names (words as written, and their sorted keys), and how
/// many edits apart they are.
fn organization_similarity(a: &Prepared, b: &Prepared) -> (f64, usize) {
    let (ordered, ordered_edits) = similarity_and_edits(&a.words, &b.words);
    let (sorted, sorted_edits) = similarity_and_edits(&a.name, &b.name);
    let set = if a.name.contains(' ') || b.name.contains(' ') {
        word_set_similarity(&a.name, &b.name)
    } else {
        sorted
    };
    (
        ordered.max(sorted).max(set),
        ordered_edits.min(sorted_edits),
    )
}

/// The numbers written in a name ("branch 12" → ["12"]), leading zeros aside, sorted.
fn numbers(name: &str) -> Vec<&str> {
    let mut found: Vec<&str> = name
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(|run| {
            let trimmed = run.trim_start_matches('0');
            if trimmed.is_empty() { "0" } else { trimmed }
        })
        .collect();
    found.sort_unstable();
    found
}

/// How the numbers of two names compare: "Branch 12" and "Branch 21" are one edit apart
/// (a transposition) yet two branches, so a number is never a typo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbers {
    /// The same numbers, or none on either side.
    Agree,
    /// One name has a number the other lacks ("Acme" / "Acme 2").
    OneSided,
    /// Both names have numbers, and they differ.
    Differ,
}

fn compare_numbers(a: &str, b: &str) -> Numbers {
    let (x, y) = (numbers(a), numbers(b));
    if x == y {
        Numbers::Agree
    } else if x.is_empty() || y.is_empty() {
        Numbers::OneSided
    } else {
        Numbers::Differ
    }
}

/// An organisation's name: keys compared whole.
pub(crate) fn organization_name(a: &Prepared, b: &Prepared) -> Option<(f64, f64)> {
    if a.name.is_empty() || b.name.is_empty() {
        return None;
    }
    if a.name == b.name {
        return Some((6.0, 1.0));
    }
    let (short, long) = if a.name.len() <= b.name.len() {
        (&*a.name, &*b.name)
    } else {
        (&*b.name, &*a.name)
    };
    let (sim, edits) = organization_similarity(a, b);
    let contained = short.split(' ').all(|s| long.split(' ').any(|w| w == s));
    let numbers = compare_numbers(&a.name, &b.name);
    if numbers != Numbers::Agree {
        // Names apart by their numbers are sister branches or units, not a typo; one holding
        // all of the other's words may still be the same company written short.
        let weight = if contained { 0.5 } else { -5.0 };
        return Some((weight, sim.min(0.79)));
    }
    let weight = if (edits == 1 && short.len() >= 5) || sim >= 0.94 {
        3.5
    } else if (edits == 2 && short.len() >= 8) || sim >= 0.9 {
        2.0
    } else if contained {
        0.5
    } else if sim >= 0.8 {
        -1.0
    } else {
        -5.0
    };
    Some((weight, sim))
}

/// Whether two companies (by key) are one: equal keys, a typo apart, or the same company
/// e-mail domain.
/// Two companies whose names differ in a number ("Branch 12", "Branch 21") are two, even
/// with one e-mail domain: branches of one firm share it.
pub(crate) fn company(a: &Prepared, b: &Prepared) -> Agreement {
    let numbers = if a.org.is_empty() || b.org.is_empty() {
        Numbers::Agree
    } else {
        compare_numbers(&a.org, &b.org)
    };
    if numbers == Numbers::Differ {
        return Agreement::Different;
    }
    if shares(&a.mail_domains, &b.mail_domains) {
        return Agreement::Same;
    }
    if a.org.is_empty() || b.org.is_empty() {
        return Agreement::Unknown;
    }
    if a.org == b.org {
        return Agreement::Same;
    }
    let short = a.org.len().min(b.org.len());
    let (sim, edits) = similarity_and_edits(&a.org, &b.org);
    let within = |x: &str, y: &str| x.split(' ').all(|w| y.split(' ').any(|v| v == w));
    if numbers == Numbers::Agree
        && ((edits == 1 && short >= 5)
            || sim >= 0.94
            || ((a.org.contains(' ') || b.org.contains(' '))
                && word_set_similarity(&a.org, &b.org) >= 0.94))
    {
        Agreement::Same
    } else if within(&a.org, &b.org) || within(&b.org, &a.org) {
        // "Acme" and "Acme Robotics": perhaps the same company written short.
        Agreement::Unknown
    } else {
        Agreement::Different
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_by_their_numbers() {
        assert_eq!(numbers("branch 12 unit 007"), ["12", "7"]);
        assert_eq!(compare_numbers("unit 03", "unit 3"), Numbers::Agree);
        assert_eq!(compare_numbers("branch 12", "branch 21"), Numbers::Differ);
        assert_eq!(compare_numbers("acme", "acme 2"), Numbers::OneSided);
        assert_eq!(compare_numbers("acme", "acme inc"), Numbers::Agree);
    }

    #[test]
    fn word_similarity_forgives_typos_more_in_long_words() {
        assert_eq!(word_similarity("smith", "smith"), 1.0);
        assert!(word_similarity("harrington", "harringtno") > 0.93);
        assert!(word_similarity("jon", "john") < 0.88);
        assert!(word_similarity("christopher", "christina") < 0.8);
        assert_eq!(word_similarity("", "x"), 0.0);
    }
}
