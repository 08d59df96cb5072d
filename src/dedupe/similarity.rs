//! String similarity on folded (ASCII) keys, without allocating: Jaro-Winkler and the optimal
//! string alignment distance (Levenshtein with adjacent transpositions), as `strsim` computes
//! them, on the stack for keys up to [`STACK`] bytes and through `strsim` beyond. The engine
//! compares tens of millions of pairs, so these sit on its hot path.

/// Keys up to this many bytes are compared on the stack.
const STACK: usize = 64;

/// Jaro-Winkler similarity (0..1) of two byte strings: above 0.7, a common prefix of up to 4
/// bytes lifts the Jaro similarity by a tenth of the gap per byte.
pub(crate) fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let jaro = jaro(a, b);
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    (jaro + 0.1 * prefix as f64 * (1.0 - jaro)).clamp(0.0, 1.0)
}

/// Jaro similarity: matches within half the longer length, transpositions halved.
fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.len() > STACK || b.len() > STACK {
        return strsim::jaro(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b));
    }
    let range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_hit = [false; STACK];
    let mut b_hit = [false; STACK];
    let mut matches = 0usize;
    for (i, &x) in a.iter().enumerate() {
        let start = i.saturating_sub(range);
        let end = (i + range + 1).min(b.len());
        for j in start..end {
            if !b_hit[j] && b[j] == x {
                a_hit[i] = true;
                b_hit[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0;
    for (i, &x) in a.iter().enumerate() {
        if !a_hit[i] {
            continue;
        }
        while !b_hit[j] {
            j += 1;
        }
        if x != b[j] {
            transpositions += 1;
        }
        j += 1;
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (matches - transpositions / 2) as f64 / m) / 3.0
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// adjacent bytes, each one edit.
pub(crate) fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    if b.len() >= STACK || a.len() >= STACK {
        return strsim::osa_distance(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b));
    }
    let width = b.len() + 1;
    // Three rolling rows (i − 2, i − 1, i); distances stay below STACK, so a byte holds them.
    let mut rows = [[0u8; STACK]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(width) {
        *cell = j as u8;
    }
    for i in 1..=a.len() {
        let [before, previous, current] = rows_at(&mut rows, i);
        current[0] = i as u8;
        for j in 1..width {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
    }
    let [_, _, last] = rows_at(&mut rows, a.len());
    usize::from(last[b.len()])
}

/// The rows for i − 2, i − 1 and i, rotating through three buffers.
fn rows_at(rows: &mut [[u8; STACK]; 3], i: usize) -> [&mut [u8; STACK]; 3] {
    let [r0, r1, r2] = rows;
    match i % 3 {
        0 => [r1, r2, r0],
        1 => [r2, r0, r1],
        _ => [r0, r1, r2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_strsim() {
        let words = [
            "",
            "a",
            "smith",
            "smyth",
            "harrington",
            "harringtno",
            "jon",
            "john",
            "christopher",
            "christina",
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "abcdefghijklmnopqrstuvwxyz",
            "ca",
            "abc",
            "acb",
        ];
        for a in words {
            for b in words {
                let (x, y) = (a.as_bytes(), b.as_bytes());
                assert_eq!(osa_distance(x, y), strsim::osa_distance(a, b), "{a} {b}");
                let ours = jaro_winkler(x, y);
                let theirs = strsim::jaro_winkler(a, b);
                assert!((ours - theirs).abs() < 1e-9, "{a} {b}: {ours} {theirs}");
            }
        }
        let long = "x".repeat(100);
        assert_eq!(osa_distance(long.as_bytes(), b"x"), 99);
    }
}
