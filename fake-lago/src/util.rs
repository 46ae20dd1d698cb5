//! Small shared helpers: deterministic ids, UTC calendar maths, Lago-style error bodies.
//!
//! No randomness and no date crate: every id comes from a hash, so a reset server
//! hands out exactly the same ids again, and tests can hard-code them.

use axum::http::StatusCode;
use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// What an operation answers: a status and a JSON body.
pub type Reply = (StatusCode, Value);

/// splitmix64: a tiny, well-mixed hash step for deterministic ids and usage numbers.
pub fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, to turn names (external ids, metric codes) into seeds.
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// FNV-1a of raw bytes (an `Authorization` header need not be UTF-8).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A version-4-shaped UUID derived from `seed`, so `format: uuid` validators accept it.
pub fn uuid_from(seed: u64) -> String {
    let hi = mix(seed);
    let lo = mix(hi ^ 0xA5A5_A5A5_A5A5_A5A5);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xfff,
        8 | (lo >> 62),
        (lo >> 48) & 0xfff,
        lo & 0xffff_ffff_ffff
    )
}

/// Unix time in seconds, with its fraction (an event's default timestamp).
pub fn now_secs_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Seconds since the Unix epoch, now (0 if the clock is before 1970).
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month 1-12, day 1-31).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2026-11-01T00:00:00Z`: the RFC 3339 form Lago sends for `date-time` fields.
pub fn rfc3339(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Seconds since the epoch of a `YYYY-MM-DDTHH:MM:SS...` time (UTC), as [`rfc3339`] writes.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (h, min, sec) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let days = days_from_civil(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?);
    Some(days * 86_400 + h * 3600 + min * 60 + sec)
}

/// `YYYY-MM-DD` for `format: date` fields.
pub fn ymd(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `map[key]`, or null when absent (indexing a `Map` would panic).
pub fn field<'a>(map: &'a serde_json::Map<String, Value>, key: &str) -> &'a Value {
    map.get(key).unwrap_or(&Value::Null)
}

/// `{"status":400,"error":"BadRequest: ..."}`: Lago's 400 carries no `code`.
pub fn bad_request(message: &str) -> Reply {
    let error = format!("BadRequest: {message}");
    (
        StatusCode::BAD_REQUEST,
        json!({"status": 400, "error": error}),
    )
}

/// Lago's 401: no `code`.
pub fn unauthorized() -> Reply {
    (
        StatusCode::UNAUTHORIZED,
        json!({"status": 401, "error": "Unauthorized"}),
    )
}

/// Lago's 404 with its machine-readable `code` (`customer_not_found`, ...).
pub fn not_found(code: &str) -> Reply {
    (
        StatusCode::NOT_FOUND,
        json!({"status": 404, "error": "Not Found", "code": code}),
    )
}

/// Lago's 405, used by current usage for `no_active_subscription`.
pub fn not_allowed(code: &str) -> Reply {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        json!({"status": 405, "error": "Method Not Allowed", "code": code}),
    )
}

/// What Rails answers for an error the controller does not map (Lago re-raises them).
pub fn internal_error() -> Reply {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({"status": 500, "error": "Internal Server Error"}),
    )
}

/// Lago's 422 `validation_errors` with a free-form `error_details` object.
pub fn unprocessable(details: Value) -> Reply {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({
            "status": 422,
            "error": "Unprocessable Entity",
            "code": "validation_errors",
            "error_details": details,
        }),
    )
}

/// A 422 for a single field: `{"<field>": ["<code>"]}`.
pub fn invalid(field: &str, code: &str) -> Reply {
    unprocessable(json!({ field: [code] }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        for days in [-1, 0, 59, 365, 10_956, 20_393, 30_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_793_491_200), "2026-11-01T00:00:00Z");
        assert_eq!(ymd(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(parse_rfc3339("2026-11-01T00:00:00Z"), Some(1_793_491_200));
        assert_eq!(parse_rfc3339(&rfc3339(1_234_567)), Some(1_234_567));
        assert_eq!(parse_rfc3339("2026-11"), None);
    }

    #[test]
    fn uuids_are_v4_shaped_and_stable() {
        let u = uuid_from(42);
        assert_eq!(u, uuid_from(42));
        assert_ne!(u, uuid_from(43));
        let parts: Vec<&str> = u.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    }
}
