//! Duplicate detection on generated persons (tests/it/dedupe_support): the whole engine
//! (prepare, sorted-neighbourhood passes, scoring, clustering), and one pair's score.
//! The 1,000,000-record figure in docs/BENCHMARKS.md comes from the release binary on a
//! generated CSV (examples/gen_duplicates.rs); this bench tracks the same work at a size
//! criterion can repeat.

// The generator is shared with the integration tests, which use all of it; this bench
// uses only part, so the rest is dead code here and only here.
#[path = "../tests/it/dedupe_support/mod.rs"]
#[allow(dead_code)]
mod dedupe_support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pipemap::Entity;
use pipemap::dedupe::{DedupeOptions, find_clusters, score_pair};

fn bench(c: &mut Criterion) {
    let rows = dedupe_support::persons(3, 45_000, 0.1);
    let records = dedupe_support::to_records(&rows, false);
    let mut group = c.benchmark_group("dedupe");
    group.sample_size(10);
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function(format!("find_clusters ({} persons)", records.len()), |b| {
        b.iter(|| find_clusters(Entity::Person, &records, &DedupeOptions::default()).unwrap())
    });
    group.finish();
    let (a, b) = (&records[0], &records[1]);
    c.bench_function("score_pair (2 persons)", |bench| {
        bench.iter(|| score_pair(Entity::Person, a, b).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
