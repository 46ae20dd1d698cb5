//! Lago Cloud's rate limiter, which sits in front of Lago (the open-source server has none;
//! `shared/lago-openapi/REALITY.md`, section 1): per organisation (here: per API key, and the
//! proxy prefix counts as one organisation), fixed 1-second windows, 50 requests per second in
//! general and 200 for current usage, counted separately. Every API response carries
//! `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (seconds until the
//! window resets); a limited request gets `429 {"status":429,"error":"Too Many Requests"}` and
//! no `Retry-After`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;
use std::collections::HashMap;

/// Requests allowed per window, per organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Every operation but current usage (Lago Cloud: 50 req/s).
    pub general: u32,
    /// `GET /customers/{id}/current_usage` (Lago Cloud: 200 req/s).
    pub current_usage: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            general: 50,
            current_usage: 200,
        }
    }
}

impl Limits {
    /// Parses `LIMIT[,USAGE_LIMIT]` (positive integers); the usage limit defaults to 200.
    pub fn parse(text: &str) -> Result<Limits, String> {
        let number = |s: &str| {
            s.trim()
                .parse::<u32>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("rate limit `{s}` is not a positive integer"))
        };
        let (general, usage) = match text.split_once(',') {
            Some((general, usage)) => (number(general)?, number(usage)?),
            None => (number(text)?, Limits::default().current_usage),
        };
        Ok(Limits {
            general,
            current_usage: usage,
        })
    }
}

/// Which counter a request is charged to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bucket {
    General,
    CurrentUsage,
}

/// What the limiter decided for one request, and the headers it reports.
#[derive(Clone, Copy, Debug)]
pub struct Verdict {
    pub limit: u32,
    pub remaining: u32,
    /// Whole seconds until the window resets, rounded up (so at least 1).
    pub reset: u64,
    pub limited: bool,
}

/// Length of a window, in milliseconds.
const WINDOW_MS: u128 = 1000;
/// Counters kept before those of past windows are dropped.
const MAX_COUNTERS: usize = 1024;

/// Requests counted per (organisation, bucket) in the current window.
#[derive(Debug, Default)]
pub struct Windows {
    counters: HashMap<(u64, Bucket), (u128, u32)>,
}

impl Windows {
    /// Counts one request of `org` at `now_ms` (milliseconds since the epoch).
    pub fn count(&mut self, org: u64, bucket: Bucket, limits: Limits, now_ms: u128) -> Verdict {
        let window = now_ms / WINDOW_MS;
        if self.counters.len() >= MAX_COUNTERS {
            self.counters.retain(|_, (w, _)| *w == window);
        }
        let counter = self.counters.entry((org, bucket)).or_insert((window, 0));
        if counter.0 != window {
            *counter = (window, 0);
        }
        counter.1 = counter.1.saturating_add(1);
        let limit = match bucket {
            Bucket::General => limits.general,
            Bucket::CurrentUsage => limits.current_usage,
        };
        let left_ms = WINDOW_MS - now_ms % WINDOW_MS;
        Verdict {
            limit,
            remaining: limit.saturating_sub(counter.1),
            reset: u64::try_from(left_ms.div_ceil(1000)).unwrap_or(1),
            limited: counter.1 > limit,
        }
    }

    /// Forgets every counter (`POST /admin/reset`).
    pub fn clear(&mut self) {
        self.counters.clear();
    }
}

/// Adds the three `X-RateLimit-*` headers.
pub fn add_headers(response: &mut Response, verdict: &Verdict) {
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(verdict.limit));
    headers.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(verdict.remaining),
    );
    headers.insert("x-ratelimit-reset", HeaderValue::from(verdict.reset));
}

/// The limiter's own answer (Lago Cloud documents no body; this is the usual Rails shape).
pub fn limited() -> Response {
    crate::json_response(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({"status": 429, "error": "Too Many Requests"}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_windows_count_per_org_and_bucket() {
        let limits = Limits {
            general: 2,
            current_usage: 3,
        };
        let mut w = Windows::default();
        let t = 5_000_250;
        assert_eq!(w.count(1, Bucket::General, limits, t).remaining, 1);
        assert!(!w.count(1, Bucket::General, limits, t + 1).limited);
        let third = w.count(1, Bucket::General, limits, t + 2);
        assert!(third.limited && third.remaining == 0 && third.reset == 1);
        assert!(!w.count(2, Bucket::General, limits, t).limited, "other org");
        assert_eq!(w.count(1, Bucket::CurrentUsage, limits, t).remaining, 2);
        assert!(
            !w.count(1, Bucket::General, limits, t + 750).limited,
            "new window"
        );
        assert_eq!(w.count(1, Bucket::General, limits, 7_000_000).reset, 1);
    }

    #[test]
    fn parses_limit_and_usage_limit() {
        assert_eq!(Limits::parse("5").map(|l| l.general), Ok(5));
        assert_eq!(Limits::parse("5").map(|l| l.current_usage), Ok(200));
        assert_eq!(
            Limits::parse("5,7"),
            Ok(Limits {
                general: 5,
                current_usage: 7
            })
        );
        for bad in ["", "0", "x", "5,", "-1,2"] {
            assert!(Limits::parse(bad).is_err(), "{bad}");
        }
    }
}
