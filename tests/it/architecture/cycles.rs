//! Loops in the module graph: which modules import each other, and one loop through them
//! with the line that makes each step, for the failure message.

use std::collections::{BTreeMap, BTreeSet};

use super::Graph;

/// Groups of modules that import each other in a loop (strongly connected components with more
/// than one module), each sorted.
pub(super) fn cycles(g: &Graph) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = g.keys().chain(g.values().flat_map(|e| e.keys())).collect();
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in g.get(&n).into_iter().flat_map(|e| e.keys()) {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for n in &nodes {
        let group: Vec<String> = nodes
            .iter()
            .filter(|m| reaches[*n].contains(**m) && reaches[*m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

/// One loop through a group, as `a → b → a` with the line that makes each step.
pub(super) fn describe(g: &Graph, group: &[String]) -> String {
    let inside: BTreeSet<&String> = group.iter().collect();
    let start = &group[0];
    // Breadth-first from `start` back to itself, staying inside the group.
    let mut prev: BTreeMap<&String, &String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    'search: while let Some(n) = queue.pop_front() {
        for next in g.get(n).into_iter().flat_map(|e| e.keys()) {
            if !inside.contains(next) {
                continue;
            }
            if next == start {
                prev.insert(start, n);
                break 'search;
            }
            if !prev.contains_key(next) {
                prev.insert(next, n);
                queue.push_back(next);
            }
        }
    }
    let mut path = vec![start];
    let mut at = prev[start];
    while at != start {
        path.push(at);
        at = prev[at];
    }
    path.push(start);
    path.reverse();
    path.windows(2)
        .map(|w| {
            let site = &g[w[0]][w[1]];
            format!("{} → {} ({}:{})", w[0], w[1], site.file, site.line)
        })
        .collect::<Vec<_>>()
        .join("\n  ")
}

/// The cycles of `g` that are not known exceptions, described.
pub(super) fn unexpected_cycles(g: &Graph, known: &[&[&str]]) -> Vec<String> {
    cycles(g)
        .into_iter()
        .filter(|group| {
            !known
                .iter()
                .any(|k| k.len() == group.len() && k.iter().all(|m| group.iter().any(|x| x == m)))
        })
        .map(|group| format!("{}:\n  {}", group.join(", "), describe(g, &group)))
        .collect()
}
