use super::*;
use proptest::prelude::*;

fn pipedrive(s: &str, style: &DateStyle) -> Result<String, ValueError> {
    parse_date(s, style).map(|value| value.to_pipedrive())
}

fn check(style: &DateStyle, cases: &[(&str, &str)]) {
    for (text, expected) in cases {
        assert_eq!(pipedrive(text, style).as_deref(), Ok(*expected), "{text}");
    }
}

const DMY: DateStyle = DateStyle {
    order: Some(DayOrder::Dmy),
    excel_serial: false,
};
const MDY: DateStyle = DateStyle {
    order: Some(DayOrder::Mdy),
    excel_serial: false,
};
const EXCEL: DateStyle = DateStyle {
    order: None,
    excel_serial: true,
};

#[test]
fn iso_dates_and_datetimes() {
    check(
        &DateStyle::default(),
        &[
            ("2024-01-05", "2024-01-05"),
            (" 2024-01-05 ", "2024-01-05"),
            ("2024-01-05T10:30", "2024-01-05 10:30:00"),
            ("2024-01-05 10:30", "2024-01-05 10:30:00"),
            ("2024-01-05T10:30:15", "2024-01-05 10:30:15"),
            ("2024-01-05T10:30:15.123456", "2024-01-05 10:30:15"),
            ("2024-01-05T10:30:15Z", "2024-01-05 10:30:15"),
            ("2024-01-05T10:30:15.5Z", "2024-01-05 10:30:15"),
            ("2024-01-05T10:30:15+02:00", "2024-01-05 08:30:15"),
            ("2024-01-05 23:30:00-05:00", "2024-01-06 04:30:00"),
            ("2024-01-01T00:30:00+0100", "2023-12-31 23:30:00"),
            ("2024/01/05", "2024-01-05"),
        ],
    );
}

#[test]
fn numeric_dates() {
    check(
        &DateStyle::default(),
        &[
            ("12/31/2024", "2024-12-31"),
            ("1/15/24", "2024-01-15"),
            ("1/15/99", "1999-01-15"),
            ("31.12.2024", "2024-12-31"),
            ("5.1.2024", "2024-01-05"),
            ("31/12/2024", "2024-12-31"),
            ("31-12-2024", "2024-12-31"),
            ("03/03/2024", "2024-03-03"),
            ("12/31/2024 3:04 PM", "2024-12-31 15:04:00"),
            ("31.12.2024 15:04", "2024-12-31 15:04:00"),
            ("31.12.2024 um 15:04 Uhr", "2024-12-31 15:04:00"),
            ("12/31/2024 3 PM", "2024-12-31 15:00:00"),
        ],
    );
}

#[test]
fn written_dates() {
    check(
        &DateStyle::default(),
        &[
            ("Jan 5, 2024", "2024-01-05"),
            ("5 Jan 2024", "2024-01-05"),
            ("January 5, 2024", "2024-01-05"),
            ("January 5th, 2024", "2024-01-05"),
            ("5th of January 2024", "2024-01-05"),
            ("Friday, January 5, 2024", "2024-01-05"),
            ("05-Jan-24", "2024-01-05"),
            ("5. Januar 2024", "2024-01-05"),
            ("5. März 2024", "2024-03-05"),
            ("5 de enero de 2024", "2024-01-05"),
            ("Jan 5, 2024 3:04 PM", "2024-01-05 15:04:00"),
            ("Jan 5, 2024 at 3:04 PM", "2024-01-05 15:04:00"),
            ("Fri, 05 Jan 2024 10:00:00 +0000", "2024-01-05 10:00:00"),
            ("2024 Jan 5", "2024-01-05"),
        ],
    );
}

#[test]
fn ambiguous_dates_follow_the_column() {
    let ambiguous = ValueError::AmbiguousDate("03/04/2024".into());
    assert_eq!(
        pipedrive("03/04/2024", &DateStyle::default()),
        Err(ambiguous)
    );
    assert_eq!(pipedrive("03/04/2024", &DMY).as_deref(), Ok("2024-04-03"));
    assert_eq!(pipedrive("03/04/2024", &MDY).as_deref(), Ok("2024-03-04"));
    assert_eq!(pipedrive("03-04-2024", &DMY).as_deref(), Ok("2024-04-03"));
    // The only real reading wins over the column's order.
    assert_eq!(pipedrive("31/12/2024", &MDY).as_deref(), Ok("2024-12-31"));
    // Dotted dates are day-first without column evidence.
    assert_eq!(
        pipedrive("03.04.2024", &DateStyle::default()).as_deref(),
        Ok("2024-04-03")
    );
}

#[test]
fn not_dates() {
    for text in [
        "",
        "31/31/2024",
        "13/13/2024",
        "2024-02-30",
        "2024-13-01",
        "45292",
        "12/31",
        "Jan 2024",
        "5 Foo 2024",
        "2024-01-05T25:00",
        "hello",
        "1/2/3",
        "2024-01-05 10:00 +25:00",
    ] {
        assert_eq!(
            parse_date(text, &DateStyle::default()),
            Err(ValueError::NotADate(text.into()))
        );
    }
}

#[test]
fn excel_serials_only_when_the_column_says_so() {
    check(
        &EXCEL,
        &[
            ("1", "1900-01-01"),
            ("59", "1900-02-28"),
            ("61", "1900-03-01"),
            ("45292", "2024-01-01"),
            ("45292.0", "2024-01-01"),
            ("45292.5", "2024-01-01 12:00:00"),
            ("45292.75", "2024-01-01 18:00:00"),
            ("45292.99999999", "2024-01-02 00:00:00"),
            ("2024-01-05", "2024-01-05"),
        ],
    );
    for text in ["0", "60", "3000000", "45292.", "-5"] {
        assert_eq!(
            parse_date(text, &EXCEL),
            Err(ValueError::NotADate(text.into())),
            "{text}"
        );
    }
}

#[test]
fn column_evidence_decides_the_style() {
    let style = |values: &[&str]| infer_date_style(values.iter().copied());
    assert_eq!(
        style(&["03/04/2024", "25/04/2024"]).order,
        Some(DayOrder::Dmy)
    );
    assert_eq!(
        style(&["03/04/2024", "04/25/2024", ""]).order,
        Some(DayOrder::Mdy)
    );
    assert_eq!(style(&["03.04.2024"]).order, Some(DayOrder::Dmy));
    assert_eq!(style(&["25/04/2024", "04/25/2024"]).order, None);
    assert_eq!(style(&["03/04/2024"]).order, None);
    assert_eq!(style(&["2024-01-05", "junk"]), DateStyle::default());
    assert_eq!(style(&["45292", "45300.5", "n/a"]), EXCEL);
    assert!(!style(&["45292", "2024-01-05"]).excel_serial);
    assert!(!style(&["19999", "80001"]).excel_serial);
}

#[test]
fn formats_are_described() {
    let describe = |s| describe_date_format(s, &DateStyle::default());
    let owned = |s: &str, time| Some((s.to_string(), time));
    assert_eq!(describe("2024-01-05"), owned("YYYY-MM-DD", false));
    assert_eq!(describe("2024-01-05T10:00:00"), owned("ISO 8601", true));
    assert_eq!(
        describe("2024-01-05T10:00:00Z"),
        owned("ISO 8601 with offset", true)
    );
    assert_eq!(
        describe("2024-01-05 10:00"),
        owned("YYYY-MM-DD HH:MM", true)
    );
    assert_eq!(describe("12/31/2024"), owned("MM/DD/YYYY", false));
    assert_eq!(describe("31.12.24"), owned("DD.MM.YY", false));
    assert_eq!(
        describe("03/04/2024"),
        owned("DD/MM/YYYY or MM/DD/YYYY", false)
    );
    assert_eq!(
        describe("Jan 5, 2024 3:04 PM"),
        owned("Mon D, YYYY h:mm AM/PM", true)
    );
    assert_eq!(describe("5 Jan 2024"), owned("D Mon YYYY", false));
    assert_eq!(
        describe_date_format("45292", &EXCEL),
        owned("Excel serial", false)
    );
    assert_eq!(describe("nope"), None);
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i16..=9999, 1i8..=12, 1i8..=31)
        .prop_filter_map("real dates", |(y, m, d)| Date::new(y, m, d).ok())
}

#[test]
fn pipedrive_dates_are_written_as_formatting_would_write_them() {
    let cases: [(i16, i8, i8, i8, i8, i8); 4] = [
        (2024, 3, 9, 7, 5, 0),
        (5, 1, 1, 0, 0, 0),
        (-44, 3, 15, 12, 30, 59),
        (9999, 12, 31, 23, 59, 59),
    ];
    for (y, m, d, h, mi, s) in cases {
        let dt = Date::new(y, m, d)
            .unwrap()
            .to_datetime(Time::new(h, mi, s, 0).unwrap());
        let day = format!("{y:04}-{m:02}-{d:02}");
        assert_eq!(DateValue::Date(dt.date()).to_pipedrive(), day);
        assert_eq!(
            DateValue::DateTime(dt).to_pipedrive(),
            format!("{day} {h:02}:{mi:02}:{s:02}")
        );
    }
}

proptest! {
    #[test]
    fn plain_iso_dates_read_as_the_whole_rules_read_them(
        y in 990i32..3010, m in 0u32..14, d in 0u32..33,
        h in 0u32..26, mi in 0u32..62, sec in 0u32..62, shape in 0usize..4,
    ) {
        let day = format!("{y:04}-{m:02}-{d:02}");
        let text = match shape {
            0 => day,
            1 => format!("{day} {h:02}:{mi:02}:{sec:02}"),
            2 => format!("{day}T{h:02}:{mi:02}:{sec:02}Z"),
            _ => format!("{day}T{h:02}:{mi:02}:{sec:02}"),
        };
        let style = DateStyle::default();
        if let Some(quick) = plain_iso(&text) {
            prop_assert_eq!(Ok(quick), read_date(&text, &style), "{}", text);
        }
        prop_assert_eq!(parse_date(&text, &style), read_date(&text, &style), "{}", text);
    }

    #[test]
    fn parsing_never_panics(s in "\\PC{0,40}", excel in any::<bool>()) {
        let style = DateStyle { order: None, excel_serial: excel };
        let _ = parse_date(&s, &style);
        let _ = describe_date_format(&s, &style);
        let _ = infer_date_style([s.as_str()]);
    }

    #[test]
    fn date_shaped_noise_never_panics(s in "[0-9TtZz:+. /-]{0,30}") {
        let _ = parse_date(&s, &EXCEL);
        let _ = parse_date(&s, &DMY);
    }

    #[test]
    fn pipedrive_dates_round_trip(date in any_date()) {
        let value = DateValue::Date(date);
        prop_assert_eq!(parse_date(&value.to_pipedrive(), &DateStyle::default()), Ok(value));
    }

    #[test]
    fn pipedrive_datetimes_round_trip(
        date in any_date(),
        h in 0i8..24,
        m in 0i8..60,
        s in 0i8..60,
    ) {
        let Ok(time) = jiff::civil::Time::new(h, m, s, 0) else { return Ok(()) };
        let value = DateValue::DateTime(date.to_datetime(time));
        prop_assert_eq!(parse_date(&value.to_pipedrive(), &DateStyle::default()), Ok(value));
    }
}
