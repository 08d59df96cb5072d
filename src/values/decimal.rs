//! A column's decimal convention, decided from all its values: whether `1.000` is one thousand
//! or one, and `12,345` twelve thousand or twelve point three, depends on what the column's
//! other values show (`12,5` and `1.234,50` write decimal commas; `12.5` and `1,234.50`
//! decimal points), never on the one value alone.

/// The character a number's fraction follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    Point,
    Comma,
}

/// What a column's values say about their decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalStyle {
    /// No value tells: each is read by the one-value rules of [`super::parse_number`].
    #[default]
    Unknown,
    /// Every value that tells writes this separator before the fraction; the other one (and
    /// spaces) only ever group thousands.
    Only(DecimalMark),
    /// Some values write decimal points and others decimal commas: a value that reads either
    /// way (`1.000`, `12,345`) is not guessed.
    Mixed,
}

/// Counts of the values that show each convention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecimalEvidence {
    pub point: u64,
    pub comma: u64,
}

impl DecimalEvidence {
    /// Takes in one value (money or a plain number; anything else shows nothing).
    pub fn add(&mut self, value: &str) {
        match shown_mark(value) {
            Some(DecimalMark::Point) => self.point += 1,
            Some(DecimalMark::Comma) => self.comma += 1,
            None => {}
        }
    }

    /// The column's style from the values taken in.
    pub fn style(&self) -> DecimalStyle {
        match (self.point > 0, self.comma > 0) {
            (true, true) => DecimalStyle::Mixed,
            (true, false) => DecimalStyle::Only(DecimalMark::Point),
            (false, true) => DecimalStyle::Only(DecimalMark::Comma),
            (false, false) => DecimalStyle::Unknown,
        }
    }
}

/// The style of a column from its values.
pub fn infer_decimal_style<'a>(values: impl IntoIterator<Item = &'a str>) -> DecimalStyle {
    let mut evidence = DecimalEvidence::default();
    for value in values {
        evidence.add(value);
    }
    evidence.style()
}

/// The number's digits and separators (`1.234,50` of `€ 1.234,50`), spaces made plain.
fn number_body(value: &str) -> Option<String> {
    let first = value.find(|c: char| c.is_ascii_digit())?;
    let end = value.rfind(|c: char| c.is_ascii_digit())? + 1;
    let start = match value[..first].chars().next_back() {
        Some(c @ ('.' | ',')) => first - c.len_utf8(),
        _ => first,
    };
    let body: String = value[start..end]
        .chars()
        .map(|c| {
            if super::money::SPACES.contains(&c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    body.chars()
        .all(|c| c.is_ascii_digit() || ".,' ".contains(c))
        .then_some(body)
}

/// The decimal separator one value shows by itself, if it shows one: the last of two kinds
/// (`1.234,50`), the one that is not repeated (`1.234.567,8`, `1,234,567`: the other), or a
/// lone separator that cannot group thousands (`12,5`, `0.750`, `1234.567`).
fn shown_mark(value: &str) -> Option<DecimalMark> {
    let body = number_body(value)?;
    let mark = |c: char| {
        if c == '.' {
            DecimalMark::Point
        } else {
            DecimalMark::Comma
        }
    };
    let other = |m: DecimalMark| match m {
        DecimalMark::Point => DecimalMark::Comma,
        DecimalMark::Comma => DecimalMark::Point,
    };
    let (dots, commas) = (body.matches('.').count(), body.matches(',').count());
    match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let c = if dots > 0 { '.' } else { ',' };
            if dots + commas > 1 {
                // Repeated: it groups, so the other would be the decimal separator.
                return Some(other(mark(c)));
            }
            (!reads_both_ways(&body)).then(|| mark(c))
        }
        _ => {
            let last = body.rfind(['.', ','])?;
            Some(mark(body[last..].chars().next()?))
        }
    }
}

/// One separator once, three digits after it, a non-zero integer part of one to three digits
/// and no space grouping: `1.000`, `12,345` — a thousands group or a fraction, as the column
/// decides.
pub(crate) fn reads_both_ways(body: &str) -> bool {
    let body = body.trim();
    let seps: Vec<usize> = body.match_indices(['.', ',']).map(|(i, _)| i).collect();
    let [at] = seps[..] else { return false };
    let (before, after) = (&body[..at], &body[at + 1..]);
    !body.contains(' ')
        && after.len() == 3
        && after.bytes().all(|b| b.is_ascii_digit())
        && (1..=3).contains(&before.len())
        && before.bytes().all(|b| b.is_ascii_digit())
        && !before.trim_start_matches('0').is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_shows_its_convention_through_the_values_that_tell() {
        let style = |v: &[&str]| infer_decimal_style(v.iter().copied());
        let comma = DecimalStyle::Only(DecimalMark::Comma);
        let point = DecimalStyle::Only(DecimalMark::Point);
        assert_eq!(style(&["12,5", "1.000", "12,345"]), comma);
        assert_eq!(style(&["€ 1.234,00", "1.000"]), comma);
        assert_eq!(style(&["1.234.567", "7"]), comma);
        assert_eq!(style(&["12.50", "1,000"]), point);
        assert_eq!(style(&["$1,234,567", "1,000"]), point);
        assert_eq!(style(&["1.000", "12,345", "7"]), DecimalStyle::Unknown);
        assert_eq!(style(&["12,5", "12.5"]), DecimalStyle::Mixed);
        assert_eq!(style(&["n/a", ""]), DecimalStyle::Unknown);
    }
}
