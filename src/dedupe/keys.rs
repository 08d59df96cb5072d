//! Normalised keys: what two spellings of the same e-mail, phone, web site, organisation or
//! person name have in common.
//!
//! Every function here is pure and cheap; they run once per record, before any comparison.

use crate::values::clean_phone;

/// Folds text for comparison: accents transliterated (`Müller` → `muller`), lower-case, dots,
/// apostrophes and slashes removed (`S.A.` → `sa`, `O'Brien` → `obrien`), every other
/// non-alphanumeric character a space, runs of spaces collapsed.
pub fn fold(text: &str) -> String {
    let ascii = if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(text))
    };
    let mut out = String::with_capacity(ascii.len());
    let mut space = true;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            space = false;
        } else if matches!(c, '.' | '\'' | '/' | '`' | '’') {
            // Joined, not split: "S.A." is one word, as is "O'Brien".
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The fingerprint of a text as OpenRefine keys it: [`fold`]ed, split into words, the words
/// sorted and de-duplicated, joined by single spaces. "Tom  Hanks" and "hanks, tom" agree.
pub fn fingerprint(text: &str) -> String {
    let folded = fold(text);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

/// An organisation's fingerprint: as [`fingerprint`], after dropping `&`/"and"/"the" and the
/// legal forms at the end of the name (and a few written before it), so "Acme, Inc.",
/// "ACME Incorporated" and "The Acme Co." all give `acme`. A name made only of such words
/// keeps them ("AG" stays `ag`).
pub fn organization_key(name: &str) -> String {
    let words = organization_words(name);
    let mut words: Vec<&str> = words.split(' ').collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

/// The words of [`organization_key`] in the order written (typos that change a word's first
/// letter also change the sorted order, so similarity looks at both).
pub fn organization_words(name: &str) -> String {
    let lexicon = super::lexicon::lexicon();
    let folded = fold(name);
    let all: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut words: Vec<&str> = all
        .iter()
        .copied()
        .filter(|w| !lexicon.name_stopwords.contains(*w))
        .collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| lexicon.legal_suffixes.contains(*w))
    {
        words.pop();
    }
    while words.len() > 1 && lexicon.leading_forms.contains(words[0]) {
        words.remove(0);
    }
    if words.is_empty() {
        words = all;
    }
    words.join(" ")
}

/// An e-mail address as a key: trimmed and lower-cased, `mailto:` and a display name removed.
/// None when it holds no `@` with text on both sides.
pub fn email_key(email: &str) -> Option<String> {
    let mut text = email.trim();
    if let Some(open) = text.rfind('<') {
        text = text[open + 1..].trim_end_matches('>').trim();
    }
    let mut lower = text.to_lowercase();
    let key = lower.strip_prefix("mailto:").unwrap_or(&lower).trim();
    let (local, domain) = key.split_once('@')?;
    if local.is_empty() || !domain.contains('.') || domain.contains('@') {
        return None;
    }
    // The key is most often the whole lowered text: kept, not copied.
    if key.len() == lower.len() {
        return Some(lower);
    }
    let start = key.as_ptr() as usize - lower.as_ptr() as usize;
    let end = start + key.len();
    lower.truncate(end);
    lower.drain(..start);
    Some(lower)
}

/// The domain of an e-mail key when it names a company rather than a free mail provider.
pub fn company_mail_domain(email_key: &str) -> Option<&str> {
    let domain = email_key.rsplit_once('@')?.1;
    (!super::lexicon::lexicon().free_mail.contains(domain)).then_some(domain)
}

/// A phone number as a key: its last 9 digits (the subscriber number without country or trunk
/// prefix, so `+44 20 7946 0958` and `020 7946 0958` agree), the extension left out. Numbers of
/// fewer than 7 digits are too short to identify anyone and give None.
pub fn phone_key(phone: &str) -> Option<String> {
    let cleaned = clean_phone(phone).ok();
    let text = cleaned.as_deref().unwrap_or(phone);
    let number = text.split(" ext.").next().unwrap_or(text);
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 || digits.bytes().all(|b| b == digits.as_bytes()[0]) {
        return None;
    }
    let start = digits.len().saturating_sub(9);
    Some(digits[start..].to_string())
}

/// The host of a web address, lower-cased, without scheme, `www.`, port or path:
/// `https://www.Acme.com/about` → `acme.com`. None when nothing like a domain is there.
pub fn domain_key(website: &str) -> Option<String> {
    let lower = website.trim().to_lowercase();
    let rest = lower.split_once("://").map_or(lower.as_str(), |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .trim_end_matches('.');
    let ok = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    ok.then(|| host.to_string())
}

/// A Soundex-like code for one folded word (first letter, then up to three consonant-class
/// digits): tolerant of vowel typos, used only to bring similar names together for comparison.
pub fn sound_code(word: &str) -> String {
    let mut out = String::with_capacity(4);
    let mut last = 0u8;
    for (i, b) in word.bytes().enumerate() {
        let class = match b {
            b'b' | b'f' | b'p' | b'v' => b'1',
            b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => b'2',
            b'd' | b't' => b'3',
            b'l' => b'4',
            b'm' | b'n' => b'5',
            b'r' => b'6',
            b'h' | b'w' => continue,
            _ => 0,
        };
        if i == 0 {
            out.push(b as char);
        } else if class != 0 && class != last {
            out.push(class as char);
            if out.len() == 4 {
                break;
            }
        }
        last = class;
    }
    out
}

/// A stable 64-bit hash (FNV-1a) of a key, the same on every machine and every run, so that
/// record identities made from it survive a re-export.
pub fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_folds_case_accents_punctuation_and_order() {
        assert_eq!(fingerprint("Tom  Hanks"), "hanks tom");
        assert_eq!(fingerprint("hanks, TOM"), "hanks tom");
        assert_eq!(
            fingerprint("Zoë Müller-Lüdenscheidt"),
            "ludenscheidt muller zoe"
        );
        assert_eq!(fingerprint("O'Brien"), "obrien");
        assert_eq!(fingerprint("a a b"), "a b");
        assert_eq!(fingerprint("  "), "");
    }

    #[test]
    fn organization_keys_drop_legal_forms() {
        let acme = organization_key("Acme Inc.");
        for name in [
            "ACME Incorporated",
            "Acme, Inc",
            "The Acme Co.",
            "acme corp",
            "Acme Corporation",
            "Acme LLC",
            "Acme Ltd",
            "Acme Limited",
            "Acme GmbH",
            "Acme AG",
            "Acme AS",
            "Acme A/S",
            "Acme ASA",
            "Acme AB (publ)",
            "AB Acme",
            "Acme Oy",
            "Acme S.A.",
            "Acme SA de CV",
            "Acme B.V.",
            "Acme N.V.",
            "Acme SARL",
            "Acme SAS",
            "Acme S.r.l.",
            "Acme S.p.A.",
            "Acme K.K.",
            "Acme plc",
            "Acme Pty Ltd",
            "Acme & Co. KG",
        ] {
            assert_eq!(organization_key(name), acme, "{name}");
        }
        assert_eq!(acme, "acme");
        assert_eq!(
            organization_key("Société Générale S.A."),
            "generale societe"
        );
        assert_eq!(
            organization_key("Johnson & Johnson"),
            organization_key("Johnson and Johnson")
        );
        assert_ne!(organization_key("Acme Robotics"), acme);
        // A name made only of legal words is kept, not emptied.
        assert_eq!(organization_key("AG"), "ag");
        assert_eq!(organization_key("Co-op Ltd"), "co op");
    }

    #[test]
    fn email_keys_ignore_case_space_and_wrapping() {
        let key = email_key(" Jane.Roe@Example.COM ").unwrap();
        assert_eq!(key, "jane.roe@example.com");
        assert_eq!(email_key("mailto:JANE.ROE@example.com").unwrap(), key);
        assert_eq!(email_key("Jane Roe <jane.roe@example.com>").unwrap(), key);
        assert_eq!(email_key("not an address"), None);
        assert_eq!(email_key("@example.com"), None);
        assert_eq!(company_mail_domain(&key), Some("example.com"));
        assert_eq!(company_mail_domain("x@gmail.com"), None);
    }

    #[test]
    fn phone_keys_keep_the_subscriber_digits() {
        let key = phone_key("+44 20 7946 0958").unwrap();
        for other in [
            "020 7946 0958",
            "0044 (0)20 7946-0958",
            "+44.20.7946.0958 ext. 12",
            "(020) 79460958",
        ] {
            assert_eq!(phone_key(other).unwrap(), key, "{other}");
        }
        assert_eq!(
            phone_key("+1 (512) 555-0191").unwrap(),
            phone_key("512.555.0191").unwrap()
        );
        assert_eq!(phone_key("12345"), None);
        assert_eq!(phone_key("0000000000"), None);
        assert_eq!(phone_key("n/a"), None);
    }

    #[test]
    fn domains_come_from_any_way_of_writing_a_site() {
        for site in [
            "https://www.Acme.com/about",
            "acme.com",
            "http://acme.com:8080",
            "www.acme.com.",
        ] {
            assert_eq!(domain_key(site).as_deref(), Some("acme.com"), "{site}");
        }
        assert_eq!(domain_key("acme"), None);
        assert_eq!(domain_key(""), None);
    }

    #[test]
    fn sound_codes_forgive_vowels() {
        assert_eq!(sound_code("smith"), sound_code("smyth"));
        assert_eq!(sound_code("robert"), "r163");
        assert_ne!(sound_code("smith"), sound_code("jones"));
    }

    #[test]
    fn stable_hash_is_fixed() {
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    proptest::proptest! {
        #[test]
        fn email_keys_are_the_lowered_address_however_it_is_cut(
            s in "( |<|mailto:|MAILTO:|\u{a0})?[aA.]{0,2}@?[bB]{0,2}[.@]?[cC]{0,2}( |>|\u{a0})?"
        ) {
            let text = s.trim();
            let text = match text.rfind('<') {
                Some(open) => text[open + 1..].trim_end_matches('>').trim(),
                None => text,
            };
            let lower = text.to_lowercase();
            let lower = lower.strip_prefix("mailto:").unwrap_or(&lower).trim();
            let expected = lower
                .split_once('@')
                .filter(|(local, domain)| {
                    !local.is_empty() && domain.contains('.') && !domain.contains('@')
                })
                .map(|_| lower.to_string());
            proptest::prop_assert_eq!(email_key(&s), expected);
        }
    }
}
