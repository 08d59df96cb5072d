mod dedupe_support;
use dedupe_support::*;
use pipemap::Entity;
use pipemap::dedupe::{DedupeOptions, find_clusters};

fn dump(entity: Entity, rows: &[Row]) {
    let records = to_records(rows, entity == Entity::Organization);
    let found = find_clusters(entity, &records, &DedupeOptions::default()).unwrap();
    let mut fp = 0;
    for c in &found.clusters {
        let t0 = rows[c.members[0]].truth;
        if c.members.iter().any(|&m| rows[m].truth != t0) && fp < 25 {
            fp += 1;
            println!("FP score {} reasons {:?}", c.score, c.reasons);
            for &m in &c.members { println!("   {:?}", rows[m]); }
            for l in &c.links { println!("   link {} {} {} {:?}", l.a, l.b, l.score, l.reasons); }
        }
    }
    // misses
    let mut cl = vec![usize::MAX; rows.len()];
    for (i, c) in found.clusters.iter().enumerate() { for &m in &c.members { cl[m] = i; } }
    let mut by: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, r) in rows.iter().enumerate() { by.entry(r.truth).or_default().push(i); }
    let mut miss = 0;
    for (_, g) in by { if g.len() > 1 && (cl[g[0]] == usize::MAX || g.iter().any(|&m| cl[m] != cl[g[0]])) && miss < 25 {
        miss += 1;
        println!("MISS");
        for &m in &g { let (s, r) = pipemap::dedupe::score_pair(entity, &records[g[0]], &records[m]).unwrap(); println!("   {:?} {s:.3} {r:?}", rows[m]); }
    }}
}

#[test]
fn debug_org() { dump(Entity::Organization, &organizations(42, 4_000, 0.10)); }
#[test]
fn debug_person() { dump(Entity::Person, &persons(20_240_611, 8_000, 0.10)); }
