//! Candidates from a column's name: exact and known names, the header's structure (entity
//! and table prefixes, references by id or by name, qualifiers, units, numbers), words of other
//! languages, and close spellings.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::normalize::{self, normalize, split_number, strip_own_prefix, token_set};
use super::vocabulary::{self, Vocabulary};
use super::{Candidate, HIGH, How, words};
use crate::entity::Entity;

/// Candidates from the column's name alone.
pub(super) fn name_candidates(
    vocabulary: &Vocabulary,
    column: usize,
    name: &str,
) -> Vec<Candidate> {
    let normalized = normalize(name);
    let mut out: Vec<Candidate> = Vec::new();
    let add = |slot: usize, score: f64, how: How, out: &mut Vec<Candidate>| match out
        .iter_mut()
        .find(|c| c.slot == slot)
    {
        Some(c) if c.score >= score => {}
        Some(c) => {
            c.score = score;
            c.how = how;
        }
        None => out.push(Candidate {
            column,
            vocab: 0,
            slot,
            score,
            how,
        }),
    };
    if normalized.is_empty() {
        return out;
    }
    // `accounts.city` in an accounts file is its `city` (one table step: a header of many
    // such steps is read as written, so reading it stays shallow).
    if let Some(field) = normalize::own_table_field(name, vocabulary.entity)
        .filter(|f| normalize::own_table_field(f, vocabulary.entity).is_none())
    {
        let mut inner = name_candidates(vocabulary, column, field);
        for c in &mut inner {
            c.score *= 0.97;
        }
        return inner;
    }
    let stripped = strip_own_prefix(&normalized, vocabulary.entity);
    let (base, number) = split_number(&normalized);
    let reference = normalize::reference(name)
        .filter(|(r, _)| !normalize::names_own_entity(r, vocabulary.entity));
    let by = reference.as_ref().map(|(_, by)| *by);
    let referenced = reference.map(|(r, _)| r);
    let referenced_stripped = referenced
        .as_deref()
        .and_then(|r| strip_own_prefix(r, vocabulary.entity));
    let unlinked = normalize::without_link_qualifier(stripped.as_deref().unwrap_or(&normalized));
    let unitless = normalize::without_units(&normalized);
    // Words of another language read as English: a hint, never certain.
    let english = words::in_english(&normalized).filter(|e| !e.is_empty());
    let english_stripped = english
        .as_deref()
        .and_then(|e| strip_own_prefix(e, vocabulary.entity));
    // A reference (`OwnerId`, `links.accounts`) holds ids the export must map: never certain
    // by its name alone. Where one record is referenced twice, by id and by name
    // (`assigned_user_id` beside `assigned_user_name`), the name is the one to map.
    let reference_weight = match by {
        Some(normalize::By::Id) => 0.86,
        Some(normalize::By::List) => 0.85,
        _ => 0.88,
    };
    let lookups: [(Option<&str>, f64, How); 10] = [
        (Some(normalized.as_str()), 1.0, How::Exact),
        (stripped.as_deref(), 0.95, How::Stripped),
        (number.map(|_| base), 0.9, How::Numbered),
        (referenced.as_deref(), reference_weight, How::Reference),
        (
            referenced_stripped.as_deref(),
            reference_weight - 0.02,
            How::Reference,
        ),
        (unlinked.as_deref(), 0.9, How::Reference),
        // The last word of a compound names the thing: "assigned user" is a user.
        (
            referenced
                .as_deref()
                .and_then(head_noun)
                .filter(|w| *w == "user"),
            reference_weight - 0.04,
            How::Reference,
        ),
        (unitless.as_deref(), 0.9, How::Stripped),
        (english.as_deref(), 0.86, How::Translated),
        (english_stripped.as_deref(), 0.85, How::Translated),
    ];
    for (key, weight, how) in lookups {
        let Some(key) = key else { continue };
        for hit in vocabulary.exact.get(key).into_iter().flatten() {
            if how == How::Reference && !takes_references(&vocabulary.slots[hit.slot]) {
                continue;
            }
            add(hit.slot, weight * hit.strength, how, &mut out);
            if how == How::Numbered {
                // "Phone 3": the field's other labels take the extra numbers.
                let key = &vocabulary.slots[hit.slot].key;
                for (s, slot) in vocabulary.slots.iter().enumerate() {
                    if s != hit.slot && &slot.key == key {
                        add(s, 0.86 - 0.01 * slot.label_rank as f64, how, &mut out);
                    }
                }
            }
        }
    }
    for (form, weight) in [
        (Some(normalized.as_str()), 0.88),
        (stripped.as_deref(), 0.88),
        (english_stripped.as_deref().or(english.as_deref()), 0.84),
    ] {
        let Some(form) = form else { continue };
        let tokens: Vec<String> = token_set(form).into_iter().map(str::to_string).collect();
        for hit in vocabulary.by_tokens.get(&tokens).into_iter().flatten() {
            add(hit.slot, weight * hit.strength, How::Reordered, &mut out);
        }
    }
    if out.iter().any(|c| c.score >= HIGH) {
        return vetted(vocabulary, out, &normalized, by);
    }
    let own = stripped.as_deref().unwrap_or(&normalized);
    let own_tokens = token_set(own);
    let english_own = english_stripped.as_deref().or(english.as_deref());
    let english_tokens = english_own.map(token_set).unwrap_or_default();
    let matcher = SkimMatcherV2::default();
    for known in &vocabulary.names {
        let hit = known.hit;
        // A known name among the words read in English: a hint only.
        if english_tokens.len() > known.tokens.len()
            && known
                .tokens
                .iter()
                .all(|t| english_tokens.contains(&t.as_str()))
            && (known.tokens.len() >= 2 || known.text.len() >= 5)
        {
            let share = known.tokens.len() as f64 / english_tokens.len() as f64;
            add(
                hit.slot,
                (0.6 + 0.2 * share) * hit.strength,
                How::Translated,
                &mut out,
            );
        }
        // A known multi-word name inside a longer column name ("primary email address").
        if known.tokens.len() < own_tokens.len()
            && known
                .tokens
                .iter()
                .all(|t| own_tokens.contains(&t.as_str()))
            && (known.tokens.len() >= 2 || known.text.len() >= 5)
        {
            let share = known.tokens.len() as f64 / own_tokens.len() as f64;
            add(
                hit.slot,
                (0.62 + 0.2 * share) * hit.strength,
                How::Contains,
                &mut out,
            );
        }
        // Typos and spelling variants of a known name.
        if own.len().abs_diff(known.text.len()) <= 3 && own.len() >= 4 {
            let Some(jw) = jaro_winkler_at_least(own, &known.text, 0.92) else {
                continue;
            };
            let subsequence = matcher.fuzzy_match(own, &known.text).is_some()
                || matcher.fuzzy_match(&known.text, own).is_some();
            if subsequence {
                add(hit.slot, 0.82 * jw * hit.strength, How::Fuzzy, &mut out);
            } else if jw >= 0.94 {
                add(hit.slot, 0.78 * jw * hit.strength, How::Fuzzy, &mut out);
            }
        }
    }
    vetted(vocabulary, out, &normalized, by)
}

/// The Jaro-Winkler similarity of `a` and `b` when it reaches `min`. Most pairs of names share
/// too few letters to reach it, which their letter counts show without the full comparison:
/// Jaro matches at most the letters both hold, so with `m` of them Jaro is at most
/// (m/|a| + m/|b| + 1)/3, and Winkler's prefix bonus (at most 4 × 0.1) adds at most 0.4 of the
/// rest. The result is `strsim::jaro_winkler`'s whenever it is returned.
fn jaro_winkler_at_least(a: &str, b: &str, min: f64) -> Option<f64> {
    if a.is_ascii() && b.is_ascii() && !a.is_empty() && !b.is_empty() {
        let mut counts = [0i16; 128];
        for c in a.bytes() {
            counts[usize::from(c)] += 1;
        }
        let mut common = 0usize;
        for c in b.bytes() {
            let n = &mut counts[usize::from(c)];
            if *n > 0 {
                *n -= 1;
                common += 1;
            }
        }
        let m = common as f64;
        let jaro_most = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
        if jaro_most + 0.4 * (1.0 - jaro_most) < min {
            return None;
        }
    }
    let jw = strsim::jaro_winkler(a, b);
    (jw >= min).then_some(jw)
}

/// Name candidates the header's own structure rules out or limits: a column of ids is
/// never more than a reference ("Contact Owner.id" is "owner id", but the owner's name
/// beside it is the one to map), and "Created By" names a user, never a date.
fn vetted(
    vocabulary: &Vocabulary,
    mut out: Vec<Candidate>,
    normalized: &str,
    by: Option<normalize::By>,
) -> Vec<Candidate> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let names_a_user = words.last() == Some(&"by") || words.contains(&"user");
    // Who created, changed or assigned a record ("Created By", `created_user_id`,
    // `assigned_by_user_id`) is bookkeeping, not its owner ("Owned By" is); a note's creator
    // is its author, though.
    let acted_by = words.windows(2).any(|w| w[1] == "by" && w[0] != "owned");
    let names_an_editor = names_a_user
        && vocabulary.entity != Entity::Note
        && (acted_by
            || words.iter().any(|w| {
                matches!(
                    *w,
                    "created" | "creator" | "modified" | "updated" | "edited"
                )
            }));
    out.retain(|c| {
        let slot = &vocabulary.slots[c.slot];
        let ty = slot.field_type.as_str();
        !(names_a_user && matches!(ty, "date" | "datetime" | "time" | "daterange"))
            && !(names_an_editor && (ty == "user" || slot.key == "owner_id"))
    });
    if by == Some(normalize::By::Id) {
        for c in &mut out {
            c.score = c.score.min(0.86);
        }
    }
    out
}

/// The last word of a name of two or more words.
fn head_noun(name: &str) -> Option<&str> {
    name.rsplit_once(' ').map(|(_, last)| last)
}

/// Whether a field can take a column of references (ids of another record or of an option
/// list): links, users, options, stages, and the option-like source, label and category.
fn takes_references(slot: &vocabulary::Slot) -> bool {
    slot.key.ends_with("_id")
        || matches!(
            slot.field_type.as_str(),
            "org" | "people" | "user" | "enum" | "set" | "stage" | "status" | "visible_to"
        )
        || matches!(
            slot.key.as_str(),
            "label" | "source_name" | "category" | "type"
        )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_letter_count_bound_never_hides_a_close_name() {
        let names = [
            "email",
            "e mail",
            "emial",
            "first name",
            "firstname",
            "frist name",
            "last name",
            "phone",
            "phnoe",
            "mobile phone",
            "organization",
            "organisation",
            "orgnization",
            "deal value",
            "value",
            "expected close date",
            "close date",
            "closed date",
            "owner",
            "owner name",
            "zip",
            "postal code",
            "postcode",
            "website",
            "web site",
            "label",
        ];
        for a in names {
            for b in names {
                for min in [0.0, 0.5, 0.8, 0.92, 0.94] {
                    let full = strsim::jaro_winkler(a, b);
                    let got = super::jaro_winkler_at_least(a, b, min);
                    assert_eq!(got, (full >= min).then_some(full), "{a} / {b} at {min}");
                }
            }
        }
    }
}
