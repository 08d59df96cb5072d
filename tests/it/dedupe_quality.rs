//! Duplicate detection quality at the default threshold, on generated CRM records whose
//! duplicates are known (tests/it/dedupe_support): precision and recall over pairs.
//!
//! A pair is "predicted" when both records land in one cluster, "true" when both describe one
//! entity. Precision = correct predicted pairs / predicted pairs; recall = correct predicted
//! pairs / true pairs. Namesakes (same name, another company, own e-mail and phone) are
//! distinct entities, so linking them costs precision.

use crate::dedupe_support;

use dedupe_support::{Quality, organizations, pair_quality, persons, to_records};
use pipemap::Entity;
use pipemap::dedupe::{DedupeOptions, find_clusters};

fn measure(entity: Entity, rows: &[dedupe_support::Row]) -> Quality {
    let records = to_records(rows, entity == Entity::Organization);
    let found = find_clusters(entity, &records, &DedupeOptions::default()).unwrap();
    let clusters: Vec<Vec<usize>> = found.clusters.iter().map(|c| c.members.clone()).collect();
    let truth: Vec<usize> = rows.iter().map(|r| r.truth).collect();
    let q = pair_quality(&truth, &clusters);
    println!(
        "{entity}: {} records, {} clusters, {} compared; true pairs {}, predicted {}, correct {}: precision {:.4}, recall {:.4}",
        records.len(),
        found.clusters.len(),
        found.compared,
        q.true_pairs,
        q.predicted_pairs,
        q.correct_pairs,
        q.precision(),
        q.recall()
    );
    q
}

#[test]
fn persons_at_the_default_threshold() {
    // 8,000 people, 10% of them entered two or three times.
    let rows = persons(20_240_611, 8_000, 0.10);
    let q = measure(Entity::Person, &rows);
    assert!(q.precision() >= 0.98, "precision {:.4}", q.precision());
    assert!(q.recall() >= 0.95, "recall {:.4}", q.recall());
}

#[test]
fn persons_with_another_seed_and_more_duplicates() {
    let rows = persons(7, 5_000, 0.25);
    let q = measure(Entity::Person, &rows);
    assert!(q.precision() >= 0.98, "precision {:.4}", q.precision());
    assert!(q.recall() >= 0.95, "recall {:.4}", q.recall());
}

#[test]
fn organizations_at_the_default_threshold() {
    let rows = organizations(42, 4_000, 0.10);
    let q = measure(Entity::Organization, &rows);
    assert!(q.precision() >= 0.98, "precision {:.4}", q.precision());
    assert!(q.recall() >= 0.95, "recall {:.4}", q.recall());
}
