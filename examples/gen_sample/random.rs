//! Seeded randomness and the text formats (dates, ASCII folding) the rows use.

use crate::vocab::{DAY, QE, T_EXPORT, T0};

/// splitmix64, seeded per record so that any record can be recomputed on its own.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64, file: u64, idx: u64) -> Rng {
        Rng(mix(seed ^ mix((file << 56) ^ idx)))
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pct(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    /// `f`'s value with probability p%, else an empty string.
    pub fn maybe(&mut self, p: u64, f: impl FnOnce(&mut Rng) -> String) -> String {
        if self.pct(p) { f(self) } else { String::new() }
    }
    pub fn word(&mut self, xs: &[&str]) -> String {
        self.pick(xs).to_string()
    }
    pub fn weighted<T: Copy>(&mut self, xs: &[(T, u64)]) -> T {
        let mut roll = self.below(xs.iter().map(|x| x.1).sum());
        for &(x, w) in xs {
            if roll < w {
                return x;
            }
            roll -= w;
        }
        unreachable!()
    }
    /// A moment from 2019-01-01 to 60 days before the export.
    pub fn time(&mut self) -> i64 {
        T0 + self.below((T_EXPORT - T0 - 60 * DAY) as u64) as i64
    }
    /// A moment up to `max_days` after `t`, never after the export.
    pub fn later(&mut self, t: i64, max_days: u64) -> i64 {
        t + self.below((max_days * DAY as u64).min((T_EXPORT - t) as u64 + 1)) as i64
    }
}

pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Clone, Copy)]
pub enum Fmt {
    Z,        // 2024-03-05T14:02:11Z
    Off(i64), // 2024-03-05T15:02:11+01:00 (minutes east of UTC)
    Date,     // 2024-03-05
    Us,       // 03/05/2024
    Ruby,     // 2024-03-05 14:02:00 UTC
}

pub fn fmt(t: i64, f: Fmt) -> String {
    let local = if let Fmt::Off(m) = f { t + m * 60 } else { t };
    let (days, secs) = (local.div_euclid(DAY), local.rem_euclid(DAY));
    // days since 1970-01-01 to a civil date (H. Hinnant's algorithm)
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    match f {
        Fmt::Z => format!("{y}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z"),
        Fmt::Off(o) => {
            let sign = if o < 0 { '-' } else { '+' };
            format!(
                "{y}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}{sign}{:02}:{:02}",
                o.abs() / 60,
                o.abs() % 60
            )
        }
        Fmt::Date => format!("{y}-{m:02}-{d:02}"),
        Fmt::Us => format!("{m:02}/{d:02}/{y}"),
        Fmt::Ruby => format!("{y}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02} UTC"),
    }
}

/// Lower-cased ASCII folding; other characters become `sep` (or vanish when `sep` is None).
pub fn fold(s: &str, sep: Option<char>) -> String {
    let mut out = String::new();
    for ch in s.to_lowercase().chars() {
        let m = match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ł' => "l",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => {
                if let Some(sp) = sep.filter(|&sp| !out.is_empty() && !out.ends_with(sp)) {
                    out.push(sp);
                }
                continue;
            }
        };
        out.push_str(m);
    }
    out.trim_end_matches('-').to_string()
}

pub fn s(x: &str) -> String {
    x.to_string()
}

pub fn or_qe(x: String, g: &mut Rng) -> String {
    if x.is_empty() && g.pct(50) { s(QE) } else { x }
}
