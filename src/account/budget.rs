//! Pipedrive's rate limits as pipemap keeps count of them
//! (https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting): a daily token budget per
//! company, which every request spends from by its operation's `x-token-cost` and which resets
//! at the start of the next day (UTC), and a burst limit per token over a 2-second window.
//! Answers say where both stand in `x-ratelimit-remaining` / `x-ratelimit-reset` (the burst
//! window) and `x-daily-requests-left`; a 429 says how long to wait in `Retry-After`.

use std::time::Duration;

/// The longest wait pipemap sits out itself; a longer one means the day's budget is spent.
pub const MAX_WAIT_SECONDS: u64 = 120;

/// What the answers so far said of the limits, and what this run spent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Budget {
    /// Requests sent by this run.
    pub requests: u32,
    /// Tokens this run's requests cost, by the documents' `x-token-cost`.
    pub tokens: u64,
    /// `x-daily-requests-left` of the latest answer that had it.
    pub daily_left: Option<u64>,
    /// `x-ratelimit-remaining` of the latest answer: requests left in the burst window.
    pub burst_left: Option<u64>,
    /// `x-ratelimit-reset` of the latest answer: seconds until the burst window resets.
    pub burst_reset: Option<u64>,
}

impl Budget {
    /// Counts one request of `cost` tokens.
    pub fn spend(&mut self, cost: u32) {
        self.requests += 1;
        self.tokens += u64::from(cost);
    }

    /// Takes in what an answer's headers say.
    pub fn observe(&mut self, headers: &ureq::http::HeaderMap) {
        if let Some(n) = header_number(headers, "x-daily-requests-left") {
            self.daily_left = Some(n);
        }
        self.burst_left = header_number(headers, "x-ratelimit-remaining");
        self.burst_reset = header_number(headers, "x-ratelimit-reset");
    }

    /// Seconds to wait before the next request so as not to run into the burst limit: the
    /// window's reset when the last answer left no request in it.
    pub fn pause_before_next(&self) -> Option<u64> {
        match (self.burst_left, self.burst_reset) {
            (Some(0), Some(reset)) => Some(reset.clamp(1, MAX_WAIT_SECONDS)),
            (Some(0), None) => Some(2),
            _ => None,
        }
    }

    /// Whether the day's budget is known to be spent.
    pub fn day_spent(&self) -> bool {
        self.daily_left == Some(0)
    }

    /// One line on what this run spent and what is left, for the end of a command.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} {} to Pipedrive, {} tokens of the company's daily API budget",
            self.requests,
            if self.requests == 1 {
                "request"
            } else {
                "requests"
            },
            self.tokens
        );
        if let Some(left) = self.daily_left {
            s.push_str(&format!(" ({left} left today, as Pipedrive counts them)"));
        }
        s
    }
}

/// What to do about a 429.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Throttle {
    /// The burst limit: wait this many seconds and send again.
    Wait(u64),
    /// The day's budget is spent: stop, it resets at this time (RFC 3339, UTC).
    DaySpent { resets: String },
}

/// Reads a 429: the day's budget when `x-daily-requests-left` is 0 or the wait is longer
/// than a burst window could be; otherwise a wait of `Retry-After`, else `x-ratelimit-reset`,
/// else the 2-second window.
pub fn throttle(headers: &ureq::http::HeaderMap, now: jiff::Timestamp) -> Throttle {
    let wait = header_number(headers, "retry-after")
        .or_else(|| header_number(headers, "x-ratelimit-reset"));
    let day_spent = header_number(headers, "x-daily-requests-left") == Some(0);
    match wait {
        Some(seconds) if seconds > MAX_WAIT_SECONDS => Throttle::DaySpent {
            resets: at(now, seconds),
        },
        _ if day_spent => Throttle::DaySpent {
            resets: next_utc_midnight(now),
        },
        Some(seconds) => Throttle::Wait(seconds.max(1)),
        None => Throttle::Wait(2),
    }
}

fn at(now: jiff::Timestamp, seconds: u64) -> String {
    let secs = i64::try_from(seconds).unwrap_or(i64::MAX / 2);
    now.checked_add(jiff::SignedDuration::from_secs(secs))
        .map_or_else(|_| next_utc_midnight(now), |t| round(t).to_string())
}

/// The start of the next day in UTC, when Pipedrive resets the daily budget.
pub fn next_utc_midnight(now: jiff::Timestamp) -> String {
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    today
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or_else(
            || "the start of the next day (UTC)".into(),
            |z| z.timestamp().to_string(),
        )
}

fn round(t: jiff::Timestamp) -> jiff::Timestamp {
    t.round(jiff::Unit::Second).unwrap_or(t)
}

/// A header holding a non-negative number (fractions rounded up).
fn header_number(headers: &ureq::http::HeaderMap, name: &str) -> Option<u64> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v.ceil() as u64)
}

/// The pause before retry `attempt` of a failed request: 0.5 s, 1 s, 2 s, 4 s, then 8 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500u64.saturating_mul(1 << attempt.min(4)) / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> ureq::http::HeaderMap {
        let mut h = ureq::http::HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    fn now() -> jiff::Timestamp {
        "2026-12-06T21:15:00Z".parse().unwrap()
    }

    #[test]
    fn a_429_waits_as_told_by_retry_after_then_the_window_reset() {
        assert_eq!(throttle(&headers(&[]), now()), Throttle::Wait(2));
        let h = headers(&[("x-ratelimit-reset", "3")]);
        assert_eq!(throttle(&h, now()), Throttle::Wait(3));
        let h = headers(&[("x-ratelimit-reset", "3"), ("retry-after", "1")]);
        assert_eq!(throttle(&h, now()), Throttle::Wait(1));
    }

    #[test]
    fn a_spent_day_stops_and_says_when_it_resets() {
        let h = headers(&[("x-daily-requests-left", "0"), ("retry-after", "2")]);
        assert_eq!(
            throttle(&h, now()),
            Throttle::DaySpent {
                resets: "2026-12-07T00:00:00Z".into()
            }
        );
        let h = headers(&[("retry-after", "3600")]);
        assert_eq!(
            throttle(&h, now()),
            Throttle::DaySpent {
                resets: "2026-12-06T22:15:00Z".into()
            }
        );
    }

    #[test]
    fn an_empty_burst_window_pauses_the_next_request() {
        let mut b = Budget::default();
        b.observe(&headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "2"),
            ("x-daily-requests-left", "120"),
        ]));
        assert_eq!(b.pause_before_next(), Some(2));
        assert!(!b.day_spent());
        b.observe(&headers(&[("x-ratelimit-remaining", "7")]));
        assert_eq!(b.pause_before_next(), None);
        // The daily count is kept from the last answer that had it.
        assert_eq!(b.daily_left, Some(120));
        b.spend(10);
        b.spend(5);
        assert_eq!(
            b.summary(),
            "2 requests to Pipedrive, 15 tokens of the company's daily API budget (120 left today, as Pipedrive counts them)"
        );
    }
}
