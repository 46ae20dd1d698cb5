//! When to retry and how long to wait. Pure functions, natively tested and fuzzed.

use crate::core::text::{find, split_once};
use crate::error::Error;

/// First backoff step; doubles per attempt (full jitter picks a delay below it).
pub const BASE_DELAY_MS: f64 = 500.0;
/// Longest backoff step.
pub const MAX_DELAY_MS: f64 = 8_000.0;
/// A `Retry-After` longer than this is not waited for: the call fails with `retryAfterMs` set so
/// the caller can decide, instead of a promise that hangs for minutes.
pub const MAX_RETRY_AFTER_MS: f64 = 60_000.0;

/// The most jitter added to a rate-limit wait, so clients limited together do not all come back
/// at the same instant.
pub const RATE_LIMIT_JITTER_MS: f64 = 250.0;

/// How long to wait before retrying after `err` (`retry` counts from 0, `random` is in
/// `[0, 1)`): the server's `Retry-After` when it sent one; for a 429 with Lago Cloud's
/// `X-RateLimit-Reset`, `max(reset, 1)` seconds plus a little jitter (waiting less would only
/// hit the same window again); otherwise full-jitter backoff.
pub fn wait_ms(err: &Error, retry: u32, random: f64) -> f64 {
    if let Some(ms) = err.retry_after_ms {
        return ms;
    }
    let reset = err.rate_limit.as_ref().and_then(|r| r.parts().2);
    match reset {
        Some(reset) if err.status == Some(429) => {
            reset.max(1000.0) + RATE_LIMIT_JITTER_MS * random.clamp(0.0, 1.0)
        }
        _ => backoff_ms(retry, random),
    }
}

/// Statuses that mean "try again later": rate limiting and gateway trouble. Other 4xx and 5xx
/// are final (a 500 may have done the work; 401/403/404/405/422 will not change).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Full-jitter exponential backoff: a delay in `[0, min(cap, base * 2^retry))`, where `retry`
/// counts from 0 and `random` is in `[0, 1)`.
pub fn backoff_ms(retry: u32, random: f64) -> f64 {
    let step = BASE_DELAY_MS * f64::from(1u32 << retry.min(16));
    step.min(MAX_DELAY_MS) * random.clamp(0.0, 1.0)
}

/// Reads a `Retry-After` value, either delay-seconds (`"120"`, fractions allowed) or an
/// IMF-fixdate (`"Wed, 21 Oct 2015 07:28:00 GMT"`), into milliseconds from `now_ms` (Unix ms).
/// A date in the past gives 0; anything unreadable gives `None`.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return parse_seconds(value).map(|secs| secs * 1000.0);
    }
    let at = parse_http_date(value)?;
    Some((at - now_ms).max(0.0))
}

/// `"12"` or `"1.5"` as seconds, without pulling the float parser into the wasm.
fn parse_seconds(s: &str) -> Option<f64> {
    let (whole, frac) = split_once(s, ".").unwrap_or((s, ""));
    if whole.is_empty() || find(frac, ".", 0).is_some() || whole.len() > 9 {
        return None;
    }
    let mut secs = 0.0;
    for b in whole.bytes() {
        secs = secs * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in frac.bytes().take(3) {
        secs += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    Some(secs)
}

/// Parses an IMF-fixdate (RFC 9110 section 5.6.7) into Unix milliseconds.
fn parse_http_date(s: &str) -> Option<f64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = split_once(s, ",")?.1.strip_prefix(" ")?;
    let (day, rest) = split_once(rest, " ")?;
    let (month, rest) = split_once(rest, " ")?;
    let (year, rest) = split_once(rest, " ")?;
    let (time, zone) = split_once(rest, " ")?;
    let (h, rest) = split_once(time, ":")?;
    let (m, sec) = split_once(rest, ":")?;
    let day = digits(day, 2)?;
    let month = match month {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    // A field with a separator too fails its exact length below.
    let (year, h, m, sec) = (
        digits(year, 4)?,
        digits(h, 2)?,
        digits(m, 2)?,
        digits(sec, 2)?,
    );
    if zone != "GMT" {
        return None;
    }
    if !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 || !(1970..=9999).contains(&year) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3_600 + m * 60 + sec) * 1000) as f64)
}

/// A field of exactly `len` ASCII digits (so no sign, and no value that could overflow).
fn digits(s: &str, len: usize) -> Option<i64> {
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_only_rate_limit_and_gateway_statuses() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 405, 422, 500, 501] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        assert_eq!(backoff_ms(0, 0.999_999).round(), 500.0);
        assert_eq!(backoff_ms(1, 0.999_999).round(), 1000.0);
        assert_eq!(backoff_ms(3, 0.999_999).round(), 4000.0);
        assert_eq!(backoff_ms(4, 0.999_999).round(), 8000.0);
        assert_eq!(backoff_ms(40, 0.999_999).round(), 8000.0);
        assert_eq!(backoff_ms(2, 0.0), 0.0);
        assert_eq!(backoff_ms(2, 0.5), 1000.0);
    }

    #[test]
    fn retry_after_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("2", 0.0), Some(2000.0));
        assert_eq!(parse_retry_after(" 0 ", 0.0), Some(0.0));
        assert_eq!(parse_retry_after("1.5", 0.0), Some(1500.0));
        // 1994-11-06T08:49:37Z = 784111777 s.
        let at = 784_111_777_000.0;
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 3000.0),
            Some(3000.0)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 5000.0),
            Some(0.0)
        );
        for bad in [
            "",
            "soon",
            "-1",
            "1e3",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad:?}");
        }
    }
}
