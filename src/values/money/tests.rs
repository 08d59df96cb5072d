use super::*;
use proptest::prelude::*;

fn money(amount: &str, currency: Option<&str>) -> Result<Money, ValueError> {
    Ok(Money {
        amount: amount.to_string(),
        currency: currency.map(str::to_string),
        country: None,
    })
}

#[test]
fn money_formats() {
    let cases = [
        ("$1,234.50", money("1234.50", Some("USD"))),
        ("1.234,50 €", money("1234.50", Some("EUR"))),
        ("USD 1234.5", money("1234.5", Some("USD"))),
        ("1234.5 USD", money("1234.5", Some("USD"))),
        ("1234.5 usd", money("1234.5", Some("USD"))),
        ("€ 1 234,50", money("1234.50", Some("EUR"))),
        ("€\u{a0}1\u{a0}234,50", money("1234.50", Some("EUR"))),
        ("1'234.50 CHF", money("1234.50", Some("CHF"))),
        ("(1,234.00)", money("-1234.00", None)),
        ("($1,234.00)", money("-1234.00", Some("USD"))),
        ("-12", money("-12", None)),
        ("-$12", money("-12", Some("USD"))),
        ("$-12", money("-12", Some("USD"))),
        ("12-", money("-12", None)),
        ("−12 €", money("-12", Some("EUR"))),
        ("+12", money("12", None)),
        ("1,5", money("1.5", None)),
        ("1,234", money("1234", None)),
        ("1,234,567", money("1234567", None)),
        ("0,123", money("0.123", None)),
        ("1.234", money("1.234", None)),
        ("1.234.567,89 €", money("1234567.89", Some("EUR"))),
        ("US$ 5", money("5", Some("USD"))),
        ("£3.50", money("3.50", Some("GBP"))),
        ("¥500", money("500", None)),
        ("₹12,34,567.00", money("1234567.00", Some("INR"))),
        ("R$ 1.234,56", money("1234.56", Some("BRL"))),
        ("100 kr", money("100", None)),
        ("100 zł", money("100", Some("PLN"))),
        ("$12 CAD", money("12", Some("CAD"))),
        ("€12 EUR", money("12", Some("EUR"))),
        ("1.234,- €", money("1234", Some("EUR"))),
        ("Fr. 12.-", money("12", Some("CHF"))),
        ("$.50", money("0.50", Some("USD"))),
        ("007", money("7", None)),
        ("-0.00", money("0.00", None)),
        // Excel's "keep as text" apostrophe, any ISO 4217 code, accounting zeros.
        ("'1234,50", money("1234.50", None)),
        ("1 000 ISK", money("1000", Some("ISK"))),
        ("KES 2,500.00", money("2500.00", Some("KES"))),
        ("-", money("0", None)),
        ("$ -", money("0", Some("USD"))),
        ("$  -   ", money("0", Some("USD"))),
        ("- €", money("0", Some("EUR"))),
        ("(12.345,67 €)", money("-12345.67", Some("EUR"))),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_money(text), expected, "{text}");
    }
}

#[test]
fn not_money() {
    for text in [
        "",
        "$",
        "12abc",
        "1.2e3",
        "12 34",
        "1,2,3",
        "(12",
        "12)",
        "--12",
        "-12-",
        "12 pcs",
        "1.234.56",
        "1,234.567.8",
        "12 CAD USD",
        "€12 £",
    ] {
        assert_eq!(
            parse_money(text),
            Err(ValueError::NotMoney(text.into())),
            "{text}"
        );
    }
}

#[test]
fn a_country_code_in_front_is_its_currency() {
    let read = parse_money("SE100000,00").unwrap();
    assert_eq!(read.amount, "100000.00");
    assert_eq!(read.currency.as_deref(), Some("SEK"));
    assert_eq!(read.country.as_deref(), Some("SE"));
    let read = parse_money("DE 1.234,50").unwrap();
    assert_eq!(read.currency.as_deref(), Some("EUR"));
    // A country with several currencies, or a pair of letters that is none, is not money.
    for text in ["XX100", "se100", "SE100 EUR", "- -", "$ - €"] {
        assert_eq!(
            parse_money(text),
            Err(ValueError::NotMoney(text.into())),
            "{text}"
        );
    }
}

#[test]
fn currency_marks_are_noticed() {
    assert!(has_currency_marker("100 kr"));
    assert!(has_currency_marker("$5"));
    assert!(!has_currency_marker("5"));
    assert!(!has_currency_marker("5 apples"));
}

#[test]
fn plain_numbers() {
    let cases = [
        ("1 234,5", "1234.5"),
        ("30%", "30"),
        ("12.5 %", "12.5"),
        ("1.2e3", "1200"),
        ("1.5E-3", "0.0015"),
        ("2e+2", "200"),
        ("-7", "-7"),
        ("(7)", "-7"),
        ("0", "0"),
        ("-0", "0"),
        ("12,50", "12.50"),
        ("1,234", "1234"),
        ("1_000_000", "1000000"),
        ("00012", "12"),
        (".5", "0.5"),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_number(text).as_deref(), Ok(expected), "{text}");
    }
    for text in [
        "", "12abc", "$12", "1e999", "e5", "1.2.3e4", "12 34", "1.", "%",
    ] {
        assert_eq!(
            parse_number(text),
            Err(ValueError::NotANumber(text.into())),
            "{text}"
        );
    }
}

/// Groups the digits of `n` in threes with `separator`.
fn grouped(n: u64, separator: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

proptest! {
    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = parse_money(&s);
        let _ = parse_number(&s);
    }

    #[test]
    fn number_shaped_noise_never_panics(s in "[-−+()0-9.,' eE%$€]{0,24}") {
        let _ = parse_money(&s);
        let _ = parse_number(&s);
    }

    #[test]
    fn formatted_amounts_parse_back(
        whole in 0u64..1_000_000_000_000,
        cents in 0u8..100,
        style in 0usize..6,
    ) {
        let expected = format!("{whole}.{cents:02}");
        let (text, currency) = match style {
            0 => (format!("${}.{cents:02}", grouped(whole, ",")), Some("USD")),
            1 => (format!("{},{cents:02} €", grouped(whole, ".")), Some("EUR")),
            2 => (format!("{}.{cents:02} CHF", grouped(whole, "'")), Some("CHF")),
            3 => (format!("€ {},{cents:02}", grouped(whole, " ")), Some("EUR")),
            4 => (format!("USD {whole}.{cents:02}"), Some("USD")),
            _ => (format!("({}.{cents:02})", grouped(whole, ",")), None),
        };
        let negative = style == 5 && expected != "0.00";
        let amount = if negative { format!("-{expected}") } else { expected };
        prop_assert_eq!(parse_money(&text), money(&amount, currency), "{}", text);
    }

    #[test]
    fn grouped_integers_parse_back(n in any::<u64>()) {
        prop_assert_eq!(parse_number(&grouped(n, ",")), Ok(n.to_string()));
        prop_assert_eq!(parse_number(&grouped(n, " ")), Ok(n.to_string()));
    }
}
