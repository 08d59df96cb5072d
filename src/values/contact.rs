//! E-mail addresses and phone numbers, and cells that hold several of them.

use super::ValueError;

/// Reads one e-mail address: trims, strips `mailto:` (and any `?subject=…`), takes the address
/// out of `Name <a@b.c>`, lower-cases the domain (never the local part, which may be
/// case-sensitive), and checks the shape: one `@`, a local part of at most 64 characters
/// without spaces or `<>()[],;:\"`, a domain of dot-separated labels of letters, digits and `-`
/// (international letters allowed) whose last label is not all digits.
pub fn parse_email(s: &str) -> Result<String, ValueError> {
    address(s).ok_or_else(|| ValueError::NotAnEmail(s.to_string()))
}

/// Splits a cell holding several e-mails or phones on `;`, `,`, `|`, line breaks and ` / `;
/// parts are trimmed and empty ones dropped. A display name containing a comma
/// (`"Roe, Jane" <j@x.com>`) is split too: such cells are rare in CRM exports.
pub fn split_multi<'a>(s: &'a str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut keep = |part: &'a str| {
        let part = part.trim();
        if !part.is_empty() {
            parts.push(part);
        }
    };
    // Every separator is ASCII, so one pass over the bytes finds them (a multi-byte
    // character never holds an ASCII byte).
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let width = match bytes[i] {
            b';' | b',' | b'|' | b'\n' | b'\r' => 1,
            b' ' if bytes[i..].starts_with(b" / ") => 3,
            _ => 0,
        };
        if width == 0 {
            i += 1;
            continue;
        }
        keep(&s[start..i]);
        i += width;
        start = i;
    }
    keep(&s[start..]);
    parts
}

/// Cleans a phone number to `+`, digits and an optional ` ext. N`.
///
/// Drops `tel:`/`callto:`, spaces, dots, dashes, slashes and parentheses; a leading `00` becomes
/// `+`; after a `+`/`00` country code, the trunk `(0)` is dropped (`+44 (0)20 …` → `+4420…`).
/// Extensions written `x123`, `ext 123`, `ext.123`, `extension 123`, `#123`, `;ext=123` become
/// ` ext. 123`. Letters anywhere else are an error (vanity numbers are not translated, so no
/// digit is ever invented), as are fewer than 3 or more than 20 digits.
pub fn clean_phone(s: &str) -> Result<String, ValueError> {
    match spreadsheet_number(s) {
        Some(Some(digits)) => phone(&digits),
        Some(None) => return Err(ValueError::RoundedPhone(s.to_string())),
        None => phone(s),
    }
    .ok_or_else(|| ValueError::NotAPhone(s.to_string()))
}

/// A phone a spreadsheet stored as a number and wrote back as one: `4915112345678.0`,
/// `4915112345678.00` or `4.915112345678E+12`. `Some(Some(digits))` when the digits are all
/// there; `Some(None)` when the exponent form dropped some (`4.9151E+12`: the last digits are
/// gone, and zeros in their place would dial another number); `None` for any other text.
fn spreadsheet_number(s: &str) -> Option<Option<String>> {
    let text = s.trim();
    let text = text.strip_prefix('\'').unwrap_or(text).trim_start();
    let (plus, text) = match text.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", text),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // One or two zeros after the point: a float's fraction, not a dotted group of digits.
    if let Some((whole, zeros)) = text.split_once('.')
        && all_digits(whole)
        && whole.len() >= 3
        && (1..=2).contains(&zeros.len())
        && zeros.bytes().all(|b| b == b'0')
    {
        return Some(Some(format!("{plus}{whole}")));
    }
    let (mantissa, exponent) = text.split_once(['e', 'E'])?;
    let exponent: usize = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .ok()?;
    let (lead, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if lead.len() != 1 || !all_digits(lead) || !(fraction.is_empty() || all_digits(fraction)) {
        return None;
    }
    if !(2..=19).contains(&exponent) || fraction.len() > exponent {
        return None;
    }
    if fraction.len() < exponent {
        return Some(None);
    }
    Some(Some(format!("{plus}{lead}{fraction}")))
}

fn address(s: &str) -> Option<String> {
    let mut text = s.trim();
    if let Some(open) = text.rfind('<') {
        text = text[open + 1..].strip_suffix('>')?.trim();
    }
    if let Some(rest) = strip_prefix_ignore_case(text, "mailto:") {
        text = rest.split('?').next().unwrap_or(rest).trim();
    }
    let (local, domain) = text.split_once('@')?;
    let shaped = match text.is_ascii() {
        true => ascii_shape(local.as_bytes(), domain.as_bytes()),
        false => shape(local, domain),
    };
    if !shaped {
        return None;
    }
    let mut email = String::with_capacity(text.len());
    email.push_str(local);
    email.push('@');
    if domain.is_ascii() {
        email.push_str(domain);
        email[local.len() + 1..].make_ascii_lowercase();
    } else {
        email.push_str(&domain.to_lowercase());
    }
    Some(email)
}

/// The shape [`parse_email`] documents: a local part of at most 64 characters, not starting
/// or ending with a dot, without two dots in a row, spaces, control characters or
/// `<>()[],;:\"@`; a domain of dot-separated labels of at most 63 letters, digits and `-`
/// (not at either end of a label), whose last label is not all digits.
fn shape(local: &str, domain: &str) -> bool {
    let local_ok = !local.is_empty()
        && local.chars().count() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && !local.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '\\' | '"' | '@'
                )
        });
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.chars().count() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let top = domain.rsplit('.').next().unwrap_or(domain);
    let top_ok = !top.chars().all(|c| c.is_ascii_digit());
    local_ok && domain.contains('.') && domain.split('.').all(label_ok) && top_ok
}

/// [`shape`] for an address all in ASCII, read byte by byte: nearly every address a CRM
/// exports, checked without decoding characters or searching for patterns.
fn ascii_shape(local: &[u8], domain: &[u8]) -> bool {
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local[0] != b'.'
        && local[local.len() - 1] != b'.'
        && !local.windows(2).any(|w| w == b"..")
        && !local.iter().any(|&b| {
            b <= b' '
                || b == 0x7f
                || matches!(
                    b,
                    b'<' | b'>'
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b','
                        | b';'
                        | b':'
                        | b'\\'
                        | b'"'
                        | b'@'
                )
        });
    let label_ok = |label: &[u8]| {
        !label.is_empty()
            && label.len() <= 63
            && label[0] != b'-'
            && label[label.len() - 1] != b'-'
            && label
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let top = domain.rsplit(|&b| b == b'.').next().unwrap_or(domain);
    let top_ok = !top.iter().all(u8::is_ascii_digit);
    local_ok && domain.contains(&b'.') && domain.split(|&b| b == b'.').all(label_ok) && top_ok
}

fn phone(s: &str) -> Option<String> {
    let mut text = s.trim();
    text = text.strip_prefix('\'').unwrap_or(text).trim_start();
    for scheme in ["tel:", "callto:"] {
        text = strip_prefix_ignore_case(text, scheme)
            .unwrap_or(text)
            .trim_start();
    }
    let (number, extension) = split_extension(text);
    let number = number.trim();
    let trunk_free;
    let international = number.starts_with('+') || number.starts_with("00");
    let number = if international && number.contains("(0)") {
        trunk_free = number.replacen("(0)", "", 1);
        trunk_free.as_str()
    } else {
        number
    };
    let mut plus = false;
    // Room for the digits, a `+` and the extension: the number is built in one buffer.
    let mut digits = String::with_capacity(number.len() + extension.map_or(0, |e| e.len() + 7));
    for c in number.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if !plus && digits.is_empty() => plus = true,
            ' ' | '\u{a0}' | '.' | '-' | '‐' | '–' | '/' | '(' | ')' => {}
            _ => return None,
        }
    }
    if !plus
        && let Some(rest) = digits.strip_prefix("00")
        && super::words::starts_with_calling_code(rest)
    {
        digits = rest.to_string();
        plus = true;
    }
    if !(3..=20).contains(&digits.len()) {
        return None;
    }
    let mut cleaned = digits;
    if plus {
        cleaned.insert(0, '+');
    }
    if let Some(extension) = extension {
        cleaned.push_str(" ext. ");
        cleaned.push_str(extension);
    }
    Some(cleaned)
}

/// Splits `555 1234 x12` into the number and the extension digits, if an extension marker is
/// followed by nothing but 1–8 digits.
fn split_extension(text: &str) -> (&str, Option<&str>) {
    // Most numbers carry no marker at all: nothing to look for.
    if !text
        .bytes()
        .any(|b| b.is_ascii_alphabetic() || b == b'#' || b == b';')
    {
        return (text, None);
    }
    let lower = text.to_ascii_lowercase();
    for (at, _) in lower.char_indices() {
        for marker in [";ext=", "extension", "ext.", "ext", "x", "#"] {
            if !lower[at..].starts_with(marker) {
                continue;
            }
            let rest = text[at + marker.len()..]
                .trim_start_matches([' ', '.', ':', '-'])
                .trim_end();
            if (1..=8).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit()) {
                return (&text[..at], Some(rest));
            }
        }
    }
    (text, None)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        let cases = [
            ("ada@example.com", "ada@example.com"),
            ("  Ada@Example.COM ", "Ada@example.com"),
            ("mailto:ada@example.com", "ada@example.com"),
            ("MAILTO:ada@example.com?subject=Hi", "ada@example.com"),
            ("Ada Lovelace <ada@example.com>", "ada@example.com"),
            (
                "\"Lovelace, Ada\" <Ada.L+crm@Example.org>",
                "Ada.L+crm@example.org",
            ),
            ("<mailto:ada@example.com>", "ada@example.com"),
            ("a@b.c", "a@b.c"),
            ("jörg@müller.de", "jörg@müller.de"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_email(text).as_deref(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn not_emails() {
        for text in [
            "",
            "bob at x",
            "bob@",
            "@x.com",
            "bob@x",
            "bob@@x.com",
            "a@b@c.com",
            "bob smith@x.com",
            "bob@x .com",
            "bob@x..com",
            ".bob@x.com",
            "bob.@x.com",
            "bob@-x.com",
            "bob@x.123",
            "Bob <bob@x.com",
            "bob@x_y.com",
        ] {
            assert_eq!(
                parse_email(text),
                Err(ValueError::NotAnEmail(text.into())),
                "{text}"
            );
        }
    }

    #[test]
    fn multi_value_cells() {
        assert_eq!(
            split_multi("a@x.com; b@x.com,c@x.com"),
            ["a@x.com", "b@x.com", "c@x.com"]
        );
        assert_eq!(
            split_multi("+1 555 0100 / +1 555 0101"),
            ["+1 555 0100", "+1 555 0101"]
        );
        assert_eq!(
            split_multi("a@x.com\r\nb@x.com | ;; "),
            ["a@x.com", "b@x.com"]
        );
        assert_eq!(split_multi("555-0100/0101"), ["555-0100/0101"]);
        assert!(split_multi(" ; ").is_empty());
        assert_eq!(split_multi("a / / b; é / ü"), ["a", "/ b", "é", "ü"]);
    }

    /// The rule as the documentation states it: split on ` / `, then each piece on the
    /// one-character separators.
    fn split_multi_as_documented(s: &str) -> Vec<&str> {
        s.split(" / ")
            .flat_map(|piece| piece.split([';', ',', '|', '\n', '\r']))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }

    #[test]
    fn phones() {
        let cases = [
            ("+1 (555) 123-4567", "+15551234567"),
            ("0049 30 1234567", "+49301234567"),
            ("030/123 45 67", "0301234567"),
            ("555.123.4567", "5551234567"),
            ("tel:+44-20-7946-0958", "+442079460958"),
            ("+44 (0)20 7946 0958", "+442079460958"),
            ("555-1234 x123", "5551234 ext. 123"),
            ("555-1234 ext 123", "5551234 ext. 123"),
            ("555-1234 ext.123", "5551234 ext. 123"),
            ("555-1234 Ext. 12", "5551234 ext. 12"),
            ("555-1234 extension 7", "5551234 ext. 7"),
            ("555-1234#99", "5551234 ext. 99"),
            ("tel:+1-555-1234;ext=9", "+15551234 ext. 9"),
            ("0044 (0)20 7946 0958", "+442079460958"),
            ("112", "112"),
            // Excel's artefacts: a leading apostrophe, a float's ".0".
            ("'+55 19 98343-1600", "+5519983431600"),
            ("'0049 30 1234567", "+49301234567"),
            ("4930123456.0", "4930123456"),
            ("4915112345678.0", "4915112345678"),
            ("4915112345678.00", "4915112345678"),
            ("4.915112345678E+12", "4915112345678"),
            ("4.91511234567E+11", "491511234567"),
            // Extensions as US CRMs write them.
            ("703-778-3080 x-15", "7037783080 ext. 15"),
            ("703-778-3080 ext: 15", "7037783080 ext. 15"),
            // 00 and no calling code after it: kept, not made an international number.
            ("00879299213", "00879299213"),
            ("00880 2 9891234", "+88029891234"),
        ];
        for (text, expected) in cases {
            assert_eq!(clean_phone(text).as_deref(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn a_spreadsheet_number_with_digits_dropped_is_refused_by_name() {
        assert_eq!(
            clean_phone("4.9151E+12"),
            Err(ValueError::RoundedPhone("4.9151E+12".into()))
        );
    }

    #[test]
    fn not_phones() {
        for text in [
            "",
            "12",
            "1-800-FLOWERS",
            "call me",
            "555 1234 ext",
            "++49 30 1234",
            "49+30",
            "x123",
        ] {
            assert_eq!(
                clean_phone(text),
                Err(ValueError::NotAPhone(text.into())),
                "{text}"
            );
        }
    }

    /// Any ASCII byte, often one at the edge of what an address may hold.
    fn odd_byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            0u8..128,
            proptest::sample::select(b" \t\x1f\x7f.-_@<>\\\"0aZ".to_vec()),
        ]
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = parse_email(&s);
            let _ = clean_phone(&s);
            let _ = split_multi(&s);
        }

        #[test]
        fn cells_split_as_documented(s in "[a/ ;,|\\r\\né]{0,30}") {
            prop_assert_eq!(split_multi(&s), split_multi_as_documented(&s));
        }

        #[test]
        fn e_mails_keep_their_local_part_and_lower_their_domain(
            local in "[a-zA-Z0-9._+]{1,10}",
            domain in "[a-zA-Z0-9-]{1,8}\\.[a-zA-Z]{2,4}",
        ) {
            let email = format!("{local}@{domain}");
            let read = parse_email(&email);
            let plausible = !local.starts_with('.') && !local.ends_with('.') && !local.contains("..")
                && !domain.starts_with('-') && !domain.contains("-.");
            prop_assert_eq!(read.ok(), plausible.then(|| format!("{local}@{}", domain.to_lowercase())));
        }

        #[test]
        fn cleaned_phones_are_stable(s in "[+0-9 ().x-]{0,24}") {
            if let Ok(once) = clean_phone(&s) {
                prop_assert_eq!(clean_phone(&once), Ok(once.clone()));
            }
        }
    }

    proptest! {
        // Most cases the strategies make are no address; enough of them are.
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn ascii_addresses_are_checked_as_the_general_shape_checks_them(
            local in prop_oneof![
                "[a-z0-9.]{0,70}",
                ("[a-z0-9.]{0,6}", odd_byte(), "[a-z0-9.]{0,6}")
                    .prop_map(|(a, b, c)| format!("{a}{}{c}", char::from(b))),
            ],
            domain in prop_oneof![
                "([a-z0-9][a-z0-9-]{0,3}[a-z0-9]\\.){1,2}[a-z0-9]{2,4}",
                "([a-z0-9-]{0,66}\\.){0,3}[a-z0-9-]{0,66}",
                ("[a-z0-9-]{0,6}", odd_byte(), "[a-z0-9-]{0,6}\\.[a-z0-9]{1,3}")
                    .prop_map(|(a, b, c)| format!("{a}{}{c}", char::from(b))),
            ],
        ) {
            prop_assert_eq!(
                ascii_shape(local.as_bytes(), domain.as_bytes()),
                shape(&local, &domain),
                "{:?} @ {:?}", local, domain
            );
        }
    }
}
