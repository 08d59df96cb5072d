//! Suggesting targets for 150 columns (real HubSpot contact-export headers) against the full
//! schema: the interactive path behind `suggest` and the mapping screen. Target: under 5 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use pipemap::Entity;
use pipemap::schema::Schema;
use pipemap::source::stats::profile_column;
use pipemap::suggest::{suggest_file, vocabulary::Vocabularies};

fn headers() -> Vec<String> {
    let text = std::fs::read_to_string("tests/data/suggest_devset.yaml").expect("dev set");
    let set: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
    let mut names = Vec::new();
    for file in set["files"].as_sequence().expect("files") {
        for (k, _) in file["columns"].as_mapping().expect("columns") {
            names.push(k.as_str().unwrap_or_default().to_string());
        }
    }
    names.truncate(150);
    names
}

fn bench(c: &mut Criterion) {
    let schema = Schema::builtin();
    let vocabularies = Vocabularies::new(&schema);
    let columns: Vec<_> = headers()
        .iter()
        .enumerate()
        .map(|(i, h)| profile_column(h, i, &[]))
        .collect();
    assert_eq!(columns.len(), 150);
    c.bench_function("suggest 150 columns, entity given", |b| {
        b.iter(|| {
            suggest_file(
                &vocabularies,
                "contacts.csv",
                Some(Entity::Person),
                &columns,
            )
        })
    });
    c.bench_function("suggest 150 columns, entity detected", |b| {
        b.iter(|| suggest_file(&vocabularies, "export.csv", None, &columns))
    });
    c.bench_function("build vocabularies (once per run)", |b| {
        b.iter(|| Vocabularies::new(&schema))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
