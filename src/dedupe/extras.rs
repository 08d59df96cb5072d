//! What the extra fields both records have say about a pair: custom fields, address parts and
//! identity codes (birthdays, id numbers), each weighed by how rare its value is and by what the
//! field means. A step of `compare::compare_above`, run for every pair compared.

use super::fields::FieldStats;
use super::meaning::Meaning;
use super::prepare::Prepared;
use super::weights::agree_weight;

/// What the extra fields both records have say.
pub(super) struct ExtraEvidence {
    /// Agreement on identity fields (birthdays, id numbers).
    pub identifiers: f64,
    /// Agreement on address parts and other corroborating values (counted with the other
    /// context).
    pub context: f64,
    /// Of that, address parts.
    pub address: f64,
    /// Disagreement.
    pub against: f64,
    /// Some identity field agrees (exactly, or but for a typo).
    pub identity: bool,
}

/// Identity fields (a birthday, a tax number) add up to at most this.
const IDENTIFIER_CAP: f64 = 12.0;
/// The most an id number (national, tax, company registration) adds: rare values in a file
/// are as good as an e-mail address.
const ID_NUMBER_CAP: f64 = 9.0;
/// The most a birthday adds: many people share one.
const BIRTHDAY_CAP: f64 = 4.5;

/// The extra fields both records have: agreement weighs by how rare the value is and by what
/// the field means, disagreement a little against (an identity field's more). The fields that
/// agree are pushed to `same`.
#[inline]
pub(super) fn extras(
    a: &Prepared,
    b: &Prepared,
    stats: &FieldStats,
    same: &mut Vec<u16>,
) -> ExtraEvidence {
    let mut out = ExtraEvidence {
        identifiers: 0.0,
        context: 0.0,
        address: 0.0,
        against: 0.0,
        identity: false,
    };
    weigh_values(a, b, stats, same, &mut out);
    weigh_codes(a, b, stats, same, &mut out);
    out.identifiers = out.identifiers.min(IDENTIFIER_CAP);
    out.against = out.against.max(-4.0);
    out
}

/// The hashed extra values both records have: address parts and context values agree or not;
/// identity fields are left to `weigh_codes`.
#[inline]
fn weigh_values(
    a: &Prepared,
    b: &Prepared,
    stats: &FieldStats,
    same: &mut Vec<u16>,
    out: &mut ExtraEvidence,
) {
    let (mut i, mut j) = (0, 0);
    while i < a.extras.len() && j < b.extras.len() {
        let ((fa, va), (fb, vb)) = (a.extras[i], b.extras[j]);
        if fa < fb {
            i += 1;
            continue;
        }
        if fb < fa {
            j += 1;
            continue;
        }
        let u = stats.u_extras[fa as usize];
        let meaning = stats
            .extra_meaning
            .get(fa as usize)
            .copied()
            .unwrap_or(Meaning::Context);
        match meaning {
            // Every value distinct (or every value the same): no evidence either way.
            _ if u >= 1.0 => {}
            // Compared by `weigh_codes`, typos allowed.
            Meaning::Birthday | Meaning::IdNumber | Meaning::Bookkeeping => {}
            Meaning::AddressPart if va == vb => {
                let w = agree_weight(u, 2.0);
                out.context += w;
                out.address += w;
                same.push(fa);
            }
            Meaning::Context if va == vb => out.context += agree_weight(u, 2.0),
            Meaning::AddressPart | Meaning::Context => out.against -= 0.3,
        }
        i += 1;
        j += 1;
    }
}

/// The identity codes both records have: the same code is strong evidence, one a typo apart
/// still counts, another code counts against (an id number's more than a birthday's).
#[inline]
fn weigh_codes(
    a: &Prepared,
    b: &Prepared,
    stats: &FieldStats,
    same: &mut Vec<u16>,
    out: &mut ExtraEvidence,
) {
    let (mut i, mut j) = (0, 0);
    while i < a.codes.len() && j < b.codes.len() {
        let ((fa, ca), (fb, cb)) = (&a.codes[i], &b.codes[j]);
        if fa < fb {
            i += 1;
            continue;
        }
        if fb < fa {
            j += 1;
            continue;
        }
        let u = stats.u_extras[*fa as usize];
        let id_number = stats.extra_meaning.get(*fa as usize) == Some(&Meaning::IdNumber);
        let (cap, typo, against) = if id_number {
            (ID_NUMBER_CAP, 2.5, -2.0)
        } else {
            (BIRTHDAY_CAP, 1.5, -1.0)
        };
        if u < 1.0 {
            if ca == cb {
                out.identifiers += agree_weight(u, cap);
                out.identity = true;
                same.push(*fa);
            } else if one_typo_apart(ca, cb) {
                out.identifiers += typo;
                out.identity = true;
            } else {
                out.against += against;
            }
        }
        i += 1;
        j += 1;
    }
}

/// Whether two codes differ by one typo: a character changed, two neighbours swapped, or one
/// left out or added (codes of six characters or more).
fn one_typo_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
        return match diff.as_slice() {
            [_] => true,
            [x, y] => *y == x + 1 && a[*x] == b[*y] && a[*y] == b[*x],
            _ => false,
        };
    }
    let (short, long) = if a.len() < b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() != short.len() + 1 || short.len() < 6 {
        return false;
    }
    let k = (0..short.len())
        .find(|&k| short[k] != long[k])
        .unwrap_or(short.len());
    short[k..] == long[k + 1..]
}

#[cfg(test)]
#[path = "extras_tests.rs"]
mod tests;
