//! The value parsers of the export engine, per cell.

use criterion::{Criterion, criterion_group, criterion_main};
use pipemap::values::{
    DateStyle, DayOrder, clean_phone, clean_text, parse_date, parse_email, parse_money,
    split_labels,
};

fn bench(c: &mut Criterion) {
    let us = DateStyle {
        order: Some(DayOrder::Mdy),
        excel_serial: false,
    };
    let dates = [
        "2024-03-05",
        "2024-03-05T14:02:11Z",
        "03/05/2024",
        "Jan 5, 2024",
        "2021-03-13 01:44:00 UTC",
    ];
    c.bench_function("parse_date (5 formats)", |b| {
        b.iter(|| dates.iter().filter(|d| parse_date(d, &us).is_ok()).count())
    });
    let money = ["$1,234.50", "1.234,50 €", "USD 1234.5", "202000"];
    c.bench_function("parse_money (4 forms)", |b| {
        b.iter(|| money.iter().filter(|m| parse_money(m).is_ok()).count())
    });
    c.bench_function("clean_phone", |b| {
        b.iter(|| clean_phone("+1 (312) 555-0167 ext. 12").is_ok())
    });
    c.bench_function("parse_email", |b| {
        b.iter(|| parse_email("Ada Lovelace <Ada@Example.COM>").is_ok())
    });
    c.bench_function("split_labels", |b| {
        b.iter(|| split_labels("vip, newsletter,VIP , trade show", ",").len())
    });
    c.bench_function("clean_text", |b| {
        b.iter(|| clean_text("  Halkaquen Trading S.A.  ").len())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
