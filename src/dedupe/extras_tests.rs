use super::*;

/// Field 0 a context value, 1 an address part, 2 a birthday, 3 an id number, 4 a field whose
/// values all differ.
fn stats() -> FieldStats {
    FieldStats {
        u_extras: vec![0.45, 0.45, 0.009, 0.0009, 1.0],
        extra_meaning: vec![
            Meaning::Context,
            Meaning::AddressPart,
            Meaning::Birthday,
            Meaning::IdNumber,
            Meaning::Context,
        ],
        ..FieldStats::default()
    }
}

fn record(extras: &[(u16, u64)], codes: &[(u16, &str)]) -> Prepared {
    Prepared {
        extras: extras.into(),
        codes: codes.iter().map(|&(f, c)| (f, c.into())).collect(),
        ..Prepared::default()
    }
}

fn nothing() -> ExtraEvidence {
    ExtraEvidence {
        identifiers: 0.0,
        context: 0.0,
        address: 0.0,
        against: 0.0,
        identity: false,
    }
}

#[test]
fn an_address_part_in_common_is_context_and_address() {
    let a = record(&[(0, 5), (1, 6), (4, 7)], &[]);
    let b = record(&[(1, 6), (4, 7)], &[]);
    let (mut same, mut out) = (Vec::new(), nothing());
    weigh_values(&a, &b, &stats(), &mut same, &mut out);
    let two = 2f64.ln();
    assert!((out.context - two).abs() < 1e-12, "{}", out.context);
    assert!((out.address - two).abs() < 1e-12, "{}", out.address);
    assert_eq!(same, [1], "the all-distinct field 4 says nothing");
}

#[test]
fn a_context_value_in_common_corroborates_and_another_counts_a_little_against() {
    let a = record(&[(0, 5), (1, 6)], &[]);
    let b = record(&[(0, 5), (1, 9)], &[]);
    let (mut same, mut out) = (Vec::new(), nothing());
    weigh_values(&a, &b, &stats(), &mut same, &mut out);
    assert!((out.context - 2f64.ln()).abs() < 1e-12);
    assert_eq!(out.address, 0.0);
    assert_eq!(out.against, -0.3);
    assert!(same.is_empty(), "a context value is not named as a reason");
}

#[test]
fn an_id_number_counts_more_than_a_birthday_either_way() {
    let stats = stats();
    let a = record(&[], &[(2, "19800101"), (3, "ab123456")]);
    let (mut same, mut out) = (Vec::new(), nothing());
    weigh_codes(&a, &a, &stats, &mut same, &mut out);
    // ln(100) for the birthday capped at 4.5, ln(1000) for the id number under its cap of 9.
    assert!((out.identifiers - (4.5 + 1000f64.ln())).abs() < 1e-12);
    assert!(out.identity);
    assert_eq!(same, [2, 3]);
    let b = record(&[], &[(2, "19811231"), (3, "zz999999")]);
    let (mut same, mut out) = (Vec::new(), nothing());
    weigh_codes(&a, &b, &stats, &mut same, &mut out);
    assert_eq!(out.against, -3.0);
    assert!(!out.identity);
    assert!(same.is_empty());
}

#[test]
fn a_code_a_typo_apart_still_identifies() {
    let a = record(&[], &[(3, "ab123456")]);
    let b = record(&[], &[(3, "ab123465")]);
    let (mut same, mut out) = (Vec::new(), nothing());
    weigh_codes(&a, &b, &stats(), &mut same, &mut out);
    assert_eq!(out.identifiers, 2.5);
    assert!(out.identity);
    assert!(same.is_empty(), "a typo is not the same value");
}

#[test]
fn the_extras_are_capped_as_a_whole() {
    let stats = FieldStats {
        u_extras: vec![0.0; 4],
        extra_meaning: vec![Meaning::IdNumber; 4],
        ..FieldStats::default()
    };
    let codes = [(0, "a1"), (1, "b2"), (2, "c3"), (3, "d4")];
    let mut same = Vec::new();
    let out = extras(
        &record(&[], &codes),
        &record(&[], &codes),
        &stats,
        &mut same,
    );
    assert_eq!(out.identifiers, 12.0, "four id numbers of 9 each, capped");
    let other = [(0, "zz"), (1, "zz"), (2, "zz"), (3, "zz")];
    let out = extras(
        &record(&[], &codes),
        &record(&[], &other),
        &stats,
        &mut same,
    );
    assert_eq!(out.against, -4.0, "four id numbers of -2 each, capped");
}

#[test]
fn one_typo_is_a_change_a_swap_or_a_letter_more() {
    assert!(one_typo_apart("123456", "123457"));
    assert!(one_typo_apart("123456", "124356"));
    assert!(one_typo_apart("123456", "1234567"));
    assert!(one_typo_apart("1234567", "123457"));
    assert!(!one_typo_apart("123456", "654321"));
    assert!(!one_typo_apart("123456", "123465x"));
    assert!(
        !one_typo_apart("12345", "123456"),
        "short codes need the same length"
    );
}
