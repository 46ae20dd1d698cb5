//! Property-based fuzzing of the pure core: path-segment and query encoding, `Retry-After`
//! parsing and backoff bounds, the integer writer, the message truncation, the body check's
//! JSON reader and the Rust face's (`client::json`). Native only.
//!
//! Bounded by default (2,000 cases per property, a few seconds in all); set `PROPTEST_CASES`
//! to run longer, e.g. `PROPTEST_CASES=200000 cargo test --release --lib fuzz`.

use crate::client::json;
use crate::core::body_check::check_body;
use crate::core::encode::{push_encoded, push_segment, push_u64, Query, SegmentError};
use crate::core::retry::{
    backoff_ms, parse_retry_after, BASE_DELAY_MS, MAX_DELAY_MS, MAX_RETRY_AFTER_MS,
};
use crate::core::schema::{Kind, Operation};
use crate::core::spec_tables as spec;
use crate::core::text::truncate;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    Config {
        cases,
        // Failures are reported in the test output; regressions are pinned as plain tests below.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Strings that hit the interesting bytes often: URL delimiters, dots, percent signs, controls,
/// multi-byte UTF-8, plus fully arbitrary Unicode.
fn nasty_string() -> impl Strategy<Value = String> {
    let alphabet = prop::sample::select(vec![
        ".", "..", "/", "?", "#", "%", "%2", "%2e", "%2F", "&", "=", "[", "]", "[]", "+", " ",
        "\0", "\r", "\n", "\t", "\\", "a", "Z", "0", "-", "_", "~", "é", "日本", "😀", "\u{202e}",
        "\u{feff}", "\u{7f}", "\u{80}", "\u{ffff}", ";", ",", ":", "@", "'", "\"",
    ]);
    prop_oneof![
        any::<String>(),
        prop::collection::vec(alphabet, 0..24).prop_map(|v| v.concat()),
        Just(String::new()),
        Just(".".to_string()),
        Just("..".to_string()),
        Just("...".to_string()),
    ]
}

/// Percent-decodes `s`; `None` when an escape is malformed or the bytes are not UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Only RFC 3986 unreserved characters other than `.`, and `%XX` escapes.
fn only_safe_bytes(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_~%".contains(&b))
}

#[derive(Debug, Clone)]
enum Op {
    Push(String, String),
    Item(String, String),
    Deep(String, String, String),
}

fn query_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (nasty_string(), nasty_string()).prop_map(|(n, v)| Op::Push(n, v)),
        (nasty_string(), nasty_string()).prop_map(|(n, v)| Op::Item(n, v)),
        (nasty_string(), nasty_string(), nasty_string()).prop_map(|(n, k, v)| Op::Deep(n, k, v)),
    ]
}

/// Reads one `name=value` pair back into the op that wrote it.
fn parse_pair(pair: &str, like: &Op) -> Option<Op> {
    let (name, value) = pair.split_once('=')?;
    if value.contains('=') {
        return None;
    }
    let value = decode(value)?;
    Some(match like {
        Op::Push(..) => Op::Push(decode(name)?, value),
        Op::Item(..) => Op::Item(decode(name.strip_suffix("[]")?)?, value),
        Op::Deep(..) => {
            let (n, rest) = name.split_once('[')?;
            let key = rest.strip_suffix(']')?;
            Op::Deep(decode(n)?, decode(key)?, value)
        }
    })
}

fn same(a: &Op, b: &Op) -> bool {
    match (a, b) {
        (Op::Push(n1, v1), Op::Push(n2, v2)) | (Op::Item(n1, v1), Op::Item(n2, v2)) => {
            n1 == n2 && v1 == v2
        }
        (Op::Deep(n1, k1, v1), Op::Deep(n2, k2, v2)) => n1 == n2 && k1 == k2 && v1 == v2,
        _ => false,
    }
}

/// Civil date of a day count since 1970-01-01 (Hinnant's `civil_from_days`), written out
/// independently of the library's inverse.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `secs` since the epoch as an IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
fn imf_fixdate(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        d,
        MONTHS[(m - 1) as usize],
        y,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A component of a date-shaped string: sometimes valid, sometimes any integer text or junk.
fn date_part(valid: std::ops::RangeInclusive<i64>) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => valid.prop_map(|n| format!("{n:02}")),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<i32>().prop_map(|n| format!("+{n}")),
        1 => "[0-9+-]{0,22}",
        1 => any::<String>(),
    ]
}

/// Date-shaped strings: the parser's structure with hostile components.
fn date_like() -> impl Strategy<Value = String> {
    let month = prop_oneof![
        4 => prop::sample::select(vec!["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
            .prop_map(String::from),
        1 => any::<String>(),
    ];
    (
        prop::sample::select(vec!["Sun", "Mon", "", "Xyz"]),
        date_part(1..=31),
        month,
        date_part(1970..=9999),
        date_part(0..=23),
        date_part(0..=59),
        date_part(0..=60),
        prop::sample::select(vec!["GMT", "PST", "", "GMT extra"]),
    )
        .prop_map(|(w, d, mo, y, h, mi, s, z)| format!("{w}, {d} {mo} {y} {h}:{mi}:{s} {z}"))
}

fn any_retry_after_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9. ]{0,30}",
        "[ \t]*[0-9]{1,12}(\\.[0-9]{0,6})?[ \t]*",
        date_like(),
    ]
}

/// A JSON value of a kind the tables do not ask for.
fn stray_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just(2.0),
            Just(-0.5),
            Just(1.5e21),
            Just(3e-7),
            any::<f64>()
        ]
        .prop_map(Value::from),
        "[a-z\\\\\"\u{e9}]{0,3}".prop_map(Value::from),
        Just(Value::Array(vec![])),
        Just(Value::Object(serde_json::Map::new())),
    ]
}

/// Bodies shaped by `kind`, mostly right and sometimes wrong anywhere: fields left out, null,
/// or of another type; unknown fields; arrays and maps of a few entries.
fn body_like(kind: Kind) -> BoxedStrategy<Value> {
    let fitting = match kind {
        Kind::Str | Kind::NonEmptyStr => "[a-z\u{e9}]{0,3}".prop_map(Value::from).boxed(),
        Kind::Int => {
            prop_oneof![any::<i32>().prop_map(Value::from), Just(Value::from(30.0))].boxed()
        }
        Kind::Bool => any::<bool>().prop_map(Value::from).boxed(),
        Kind::Any => stray_value().boxed(),
        Kind::Num => {
            prop_oneof![any::<i32>().prop_map(Value::from), Just(Value::from(1.5))].boxed()
        }
        Kind::Map(values) => {
            prop::collection::btree_map("[a-z_]{1,3}", body_like(values.get()), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
                .boxed()
        }
        Kind::Array(item) => prop::collection::vec(body_like(item.get()), 0..3)
            .prop_map(Value::Array)
            .boxed(),
        Kind::StrMap | Kind::StrOrNullMap => {
            let value = prop_oneof![4 => "[a-z]{0,2}".prop_map(Value::from), 1 => stray_value()];
            prop::collection::btree_map("[a-z_]{1,3}", value, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
                .boxed()
        }
        Kind::OneOf(kinds) => prop::strategy::Union::new(kinds.iter().map(body_like)).boxed(),
        Kind::Object(fields) => {
            let values: Vec<_> = fields
                .fields()
                .map(|f| prop::option::weighted(0.7, body_like(f.kind)))
                .collect();
            (values, prop::option::of(stray_value()))
                .prop_map(move |(values, extra)| {
                    let mut object = serde_json::Map::new();
                    for (field, value) in fields.fields().zip(values) {
                        if let Some(value) = value {
                            object.insert(field.name.into(), value);
                        }
                    }
                    if let Some(extra) = extra {
                        object.insert("not_in_the_spec".into(), extra);
                    }
                    Value::Object(object)
                })
                .boxed()
        }
    };
    prop_oneof![12 => fitting, 1 => stray_value()].boxed()
}

/// The oracle the body check is compared with: the same table walked over a parsed
/// `serde_json::Value`, written the plain way (recursion, `Value`'s own accessors).
fn value_check(
    value: &Value,
    kind: &Kind,
    path: &mut String,
) -> Result<(), (String, &'static str)> {
    let ok = match kind {
        Kind::Str => value.is_string(),
        Kind::NonEmptyStr if value.as_str() == Some("") => {
            return Err((path.clone(), "must not be empty"));
        }
        Kind::NonEmptyStr => value.is_string(),
        Kind::Int => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        Kind::Num => value.is_number(),
        Kind::Bool => value.is_boolean(),
        Kind::Any => true,
        Kind::Map(values) => {
            let Some(object) = value.as_object() else {
                return Err((path.clone(), "must be an object"));
            };
            for (key, v) in object {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                value_check(v, &values.get(), path)?;
                path.truncate(len);
            }
            true
        }
        Kind::StrMap => value
            .as_object()
            .is_some_and(|m| m.values().all(Value::is_string)),
        Kind::StrOrNullMap => value
            .as_object()
            .is_some_and(|m| m.values().all(|v| v.is_string() || v.is_null())),
        Kind::OneOf(kinds) => {
            let len = path.len();
            for kind in kinds.iter() {
                if value_check(value, &kind, path).is_ok() {
                    return Ok(());
                }
                path.truncate(len);
            }
            false
        }
        Kind::Object(fields) => {
            let Some(object) = value.as_object() else {
                return Err((path.clone(), "must be an object"));
            };
            for field in fields.fields() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(field.name);
                match object.get(field.name) {
                    None if field.required => return Err((path.clone(), "is required")),
                    None => {}
                    Some(Value::Null) if !field.nullable => {
                        return Err((path.clone(), "must not be null"));
                    }
                    Some(Value::Null) => {}
                    Some(v) => value_check(v, &field.kind, path)?,
                }
                path.truncate(len);
            }
            true
        }
        Kind::Array(item) => {
            let Some(items) = value.as_array() else {
                return Err((path.clone(), "must be an array"));
            };
            for (i, v) in items.iter().enumerate() {
                let len = path.len();
                path.push('.');
                push_u64(path, i as u64);
                value_check(v, &item.get(), path)?;
                path.truncate(len);
            }
            true
        }
    };
    if ok {
        Ok(())
    } else {
        Err((path.clone(), kind.problem()))
    }
}

/// Every body the operations take, with the operation that takes it.
fn any_body() -> impl Strategy<Value = (&'static Operation, Value)> {
    let bodies = spec::OPERATIONS.iter().filter_map(|op| {
        op.read()
            .body()
            .map(|kind| body_like(kind).prop_map(move |v| (op, v)))
    });
    prop::strategy::Union::new(bodies.collect::<Vec<_>>())
}

/// The kind of `op`'s body.
fn body_kind(op: &'static Operation) -> Kind {
    op.read().body().expect("an operation with a body")
}

/// Text that is often almost JSON.
fn jsonish_text() -> impl Strategy<Value = String> {
    let alphabet = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u00",
        "\\n",
        " ",
        "\n",
        "0",
        "1",
        "-",
        ".",
        "e",
        "E",
        "+",
        "true",
        "false",
        "null",
        "\"customer\"",
        "\"external_id\"",
        "\"\"",
        "a",
        "\u{e9}",
        "\u{1}",
    ]);
    prop_oneof![
        any::<String>(),
        prop::collection::vec(alphabet, 0..40).prop_map(|v| v.concat()),
    ]
}

/// Whether the Rust face's reader and serde_json read `text` alike: both refuse it, or both read
/// the same value. Floats may differ in the last bit where serde_json rounds twice (more than 19
/// digits, exponents beyond 10^22); the reader's are correctly rounded (core's `parse` here).
fn reads_alike(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Number(a), Value::Number(b)) if a.is_f64() && b.is_f64() => {
            let (a, b) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            a == b || (a - b).abs() <= a.abs() * f64::EPSILON
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| reads_alike(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, a), (kb, b))| ka == kb && reads_alike(a, b))
        }
        _ => ours == theirs,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_rust_faces_reader_reads_json_as_serde_json_does(text in jsonish_text()) {
        let ours = json::from_str::<Value>(&text);
        let theirs = serde_json::from_str::<Value>(&text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => prop_assert!(reads_alike(a, b), "{:?}: {} / {}", text, a, b),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "{:?}: ours {:?}, serde_json {:?}", text, ours, theirs),
        }
    }

    #[test]
    fn the_rust_faces_reader_reads_back_any_body((_op, body) in any_body(), indent in any::<bool>()) {
        let text = if indent { serde_json::to_string_pretty(&body) } else { serde_json::to_string(&body) };
        let text = text.expect("a Value serializes");
        let ours = json::from_str::<Value>(&text);
        prop_assert!(ours.as_ref().is_ok_and(|v| *v == body), "{}: {:?}", text, ours);
    }

    #[test]
    fn push_segment_writes_exactly_one_segment_that_decodes_back(id in nasty_string(), prefix in "[a-z/]{0,12}") {
        let mut out = prefix.clone();
        let result = push_segment(&mut out, &id);
        match id.as_str() {
            "" => { prop_assert_eq!(result, Err(SegmentError::Empty)); prop_assert_eq!(&out, &prefix); }
            "." | ".." => { prop_assert_eq!(result, Err(SegmentError::DotSegment)); prop_assert_eq!(&out, &prefix); }
            _ => {
                prop_assert_eq!(result, Ok(()));
                let segment = out.strip_prefix(&prefix).and_then(|s| s.strip_prefix('/'));
                prop_assert!(segment.is_some(), "{:?} lost its prefix or slash: {:?}", id, out);
                let segment = segment.unwrap();
                prop_assert!(!segment.is_empty());
                for c in ['/', '?', '#', '.', '&', '=', ' ', '\\'] {
                    prop_assert!(!segment.contains(c), "{:?} -> {:?} holds {:?}", id, segment, c);
                }
                prop_assert!(only_safe_bytes(segment), "{:?} -> {:?}", id, segment);
                prop_assert_eq!(decode(segment), Some(id.clone()));
            }
        }
    }

    #[test]
    fn push_encoded_is_injective_and_safe(a in nasty_string(), b in nasty_string()) {
        let (mut ea, mut eb) = (String::new(), String::new());
        push_encoded(&mut ea, &a);
        push_encoded(&mut eb, &b);
        prop_assert!(only_safe_bytes(&ea));
        prop_assert_eq!(ea == eb, a == b);
        prop_assert_eq!(decode(&ea), Some(a));
    }

    #[test]
    fn query_pairs_never_leak_delimiters_and_decode_back(ops in prop::collection::vec(query_op(), 0..8)) {
        let mut q = Query::default();
        for op in &ops {
            match op {
                Op::Push(n, v) => q.push(n, v),
                Op::Item(n, v) => q.push_item(n, v),
                Op::Deep(n, k, v) => q.push_deep(n, k, v),
            }
        }
        let text = q.as_str();
        prop_assert!(!text.contains('#') && !text.contains('?') && !text.contains(' '), "{:?}", text);
        prop_assert!(text.bytes().all(|b| b.is_ascii_graphic()), "{:?}", text);
        if ops.is_empty() {
            prop_assert_eq!(text, "");
        } else {
            let pairs: Vec<&str> = text.split('&').collect();
            prop_assert_eq!(pairs.len(), ops.len(), "{:?}", text);
            for (pair, op) in pairs.iter().zip(&ops) {
                prop_assert_eq!(pair.matches('=').count(), 1, "{:?}", pair);
                let back = parse_pair(pair, op);
                prop_assert!(back.as_ref().is_some_and(|b| same(b, op)), "{:?} -> {:?} -> {:?}", op, pair, back);
            }
        }
    }

    #[test]
    fn body_check_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64), text in jsonish_text()) {
        let create = body_kind(&spec::CREATE_CUSTOMER);
        // Callers hand it text (JSON.stringify's, serde_json's): any bytes, made text.
        let _ = check_body(&create, &String::from_utf8_lossy(&bytes));
        let _ = check_body(&create, &text);
    }

    #[test]
    fn body_check_reads_json_as_serde_json_does(text in jsonish_text()) {
        let create = body_kind(&spec::CREATE_CUSTOMER);
        let malformed = check_body(&create, &text)
            == Err(("body".into(), "is not valid JSON"));
        let serde_reads = serde_json::from_str::<Value>(&text).is_ok();
        prop_assert!(!(malformed && serde_reads), "{:?}", text);
        // serde_json alone refuses lone surrogates and exponents beyond f64 (JSON.parse reads both).
        let escape_or_exponent = text.contains("\\u") || text.contains(['e', 'E']);
        prop_assert!(malformed || serde_reads || escape_or_exponent, "{:?}", text);
    }

    #[test]
    fn body_check_agrees_with_the_value_check((op, body) in any_body(), indent in any::<bool>()) {
        let kind = body_kind(op);
        let text = if indent { serde_json::to_string_pretty(&body) } else { serde_json::to_string(&body) };
        let text = text.expect("a Value serializes");
        let mut path = String::new();
        let want = value_check(&body, &kind, &mut path)
            .map_err(|(field, problem)| (if field.is_empty() { "body".into() } else { field }, problem));
        prop_assert_eq!(check_body(&kind, &text), want, "{}", text);
    }

    #[test]
    fn parse_retry_after_never_panics_and_is_finite_non_negative(text in any_retry_after_text(), now in -1e15f64..1e15) {
        if let Some(ms) = parse_retry_after(&text, now) {
            prop_assert!(ms.is_finite() && ms >= 0.0, "{:?} at {} -> {}", text, now, ms);
        }
    }

    #[test]
    fn retry_after_seconds_round_trip(secs in 0u64..=999_999_999, frac in prop::option::of(0u32..1000), pad in "[ \t]{0,3}") {
        let text = match frac {
            Some(f) => format!("{pad}{secs}.{f:03}{pad}"),
            None => format!("{pad}{secs}{pad}"),
        };
        let want = secs as f64 * 1000.0 + f64::from(frac.unwrap_or(0));
        let got = parse_retry_after(&text, 0.0);
        prop_assert!(got.is_some_and(|g| (g - want).abs() <= want * 1e-12 + 1e-6), "{:?} -> {:?}, want {}", text, got, want);
    }

    #[test]
    fn retry_after_http_dates_round_trip(at in 0i64..=253_402_300_799, ahead in 0i64..=10_000_000) {
        let text = imf_fixdate(at);
        let at_ms = at as f64 * 1000.0;
        prop_assert_eq!(parse_retry_after(&text, at_ms - ahead as f64), Some(ahead as f64), "{}", text);
        // A date in the past waits 0.
        prop_assert_eq!(parse_retry_after(&text, at_ms + 1000.0 + ahead as f64), Some(0.0), "{}", text);
    }

    #[test]
    fn backoff_stays_within_full_jitter_bounds(retry in any::<u32>(), random in 0f64..1.0) {
        let ms = backoff_ms(retry, random);
        let step = (BASE_DELAY_MS * 2f64.powi(retry.min(16) as i32)).min(MAX_DELAY_MS);
        prop_assert!(ms.is_finite() && ms >= 0.0 && ms < step + 1e-9 && ms <= MAX_DELAY_MS, "{} {} -> {}", retry, random, ms);
        prop_assert!(ms <= MAX_RETRY_AFTER_MS);
    }

    #[test]
    fn backoff_clamps_out_of_range_randoms(retry in any::<u32>(), random in prop_oneof![any::<f64>().prop_filter("not NaN", |r| !r.is_nan()), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(-0.0)]) {
        let ms = backoff_ms(retry, random);
        prop_assert!(ms.is_finite() && (0.0..=MAX_DELAY_MS).contains(&ms), "{} {} -> {}", retry, random, ms);
    }

    #[test]
    fn push_u64_matches_to_string(n in any::<u64>(), prefix in "[a-z]{0,4}") {
        let mut s = prefix.clone();
        push_u64(&mut s, n);
        prop_assert_eq!(s, format!("{prefix}{n}"));
    }

    #[test]
    fn truncate_keeps_a_bounded_char_boundary_prefix(s in any::<String>(), max in 0usize..64) {
        let out = truncate(s.clone(), max);
        if s.len() <= max {
            prop_assert_eq!(out, s);
        } else {
            let kept = out.strip_suffix('…');
            prop_assert!(kept.is_some_and(|k| k.len() <= max && s.starts_with(k)), "{:?} {} -> {:?}", s, max, out);
        }
    }
}

/// Pinned inputs: each was a finding of, or is a boundary for, the properties above.
#[test]
fn retry_after_pinned_inputs() {
    let cases: &[(&str, Option<f64>)] = &[
        ("0", Some(0.0)),
        ("999999999", Some(999_999_999_000.0)),
        // More than 9 digits of seconds (over 31 years) is refused rather than overflowing.
        ("1000000000", None),
        (".5", None),
        ("5.", Some(5000.0)),
        ("1.2.3", None),
        ("Thu, 01 Jan 1970 00:00:00 GMT", Some(0.0)),
        ("Fri, 31 Dec 9999 23:59:59 GMT", Some(253_402_300_799_000.0)),
    ];
    for (text, want) in cases {
        assert_eq!(parse_retry_after(text, 0.0), *want, "{text:?}");
    }
}

/// A date-shaped `Retry-After` whose hour, minute or second is a huge negative number must be
/// refused or read as some finite wait, never overflow. Found by the fuzzer
/// (`Sun, 01 Jan 1970 -2562047788017:00:00 GMT`): `parse_http_date` once bounded only the top
/// of h/m/s, so `h * 3_600` overflowed (a panic in debug builds, a wrapped value in release).
#[test]
fn retry_after_date_with_huge_negative_time_fields_does_not_overflow() {
    for text in [
        "Sun, 06 Nov 1994 -9223372036854775808:00:00 GMT",
        "Sun, 06 Nov 1994 00:-9223372036854775808:00 GMT",
        "Sun, 06 Nov 1994 00:00:-9223372036854775808 GMT",
    ] {
        let got = std::panic::catch_unwind(|| parse_retry_after(text, 0.0));
        assert!(
            matches!(got, Ok(None)) || matches!(got, Ok(Some(ms)) if ms.is_finite() && ms >= 0.0),
            "{text:?}: expected None or a finite wait, got {}",
            match got {
                Ok(v) => format!("{v:?}"),
                Err(_) => "a panic (arithmetic overflow)".into(),
            }
        );
    }
}

#[test]
fn segment_pinned_inputs() {
    for (id, want) in [
        ("%2e", "/%252e"),
        ("%2E%2E", "/%252E%252E"),
        (".a", "/%2Ea"),
        ("...", "/%2E%2E%2E"),
        ("\0", "/%00"),
        ("😀", "/%F0%9F%98%80"),
    ] {
        let mut s = String::new();
        push_segment(&mut s, id).unwrap();
        assert_eq!(s, want, "{id:?}");
    }
}
