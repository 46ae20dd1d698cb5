//! Fault injection, chosen per request by the `X-Fake-Fault` header so clients (browser tests
//! included) can ask for failures without any out-of-band setup.
//!
//! Grammar: `;`-separated items, each `key=value` or a bare flag:
//! `latency=MS`, `status=CODE` (400-599), `retry-after=VALUE`, `truncate`, `non-json`,
//! `wrong-shape`, `drop`, `big=BYTES`, `provider-throttle`, `times=N` + `id=ID`, `commit`. At most
//! one of status / truncate / non-json / wrong-shape / drop / big / provider-throttle.
//! `commit` carries the request out first and then answers with the fault (`drop;commit`: the
//! write is done and its answer cut off halfway; `status=504;commit`: a gateway timing out on
//! a write that was done); without it a faulted request changes nothing.
//! E.g. `status=503;retry-after=1;times=2;id=t42`.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};

/// Longest latency honoured, so a typo cannot hang a test run for hours.
const MAX_LATENCY_MS: u64 = 120_000;
/// Largest `big` body, so a typo cannot fill the client's memory.
const MAX_BIG_BYTES: u64 = 1 << 30;

/// What replaces the normal answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Status(StatusCode),
    Truncate,
    NonJson,
    WrongShape,
    Drop,
    Big(u64),
    /// Lago's own 429 when a tax provider throttles it (no rate-limit headers).
    ProviderThrottle,
}

/// Marks the response of a `drop` fault, which never reaches the client.
#[derive(Clone, Copy, Debug)]
pub struct Dropped;

/// A parsed `X-Fake-Fault` header.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fault {
    pub latency_ms: u64,
    pub kind: Option<Kind>,
    pub retry_after: Option<HeaderValue>,
    /// With `id`: the fault applies to the first `times` requests carrying that id.
    pub times: Option<u64>,
    pub id: Option<String>,
    /// Carry the request out, then answer with the fault.
    pub commit: bool,
}

/// Parses the header value; the error text explains what was wrong.
pub fn parse(header: &str) -> Result<Fault, String> {
    let mut fault = Fault::default();
    for item in header.split(';').map(str::trim).filter(|i| !i.is_empty()) {
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (item, None),
        };
        let number = |what: &str| -> Result<u64, String> {
            value
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| format!("{what} needs a non-negative integer"))
        };
        let kind = match key {
            "latency" => {
                fault.latency_ms = number("latency")?.min(MAX_LATENCY_MS);
                None
            }
            "times" => {
                fault.times = Some(number("times")?);
                None
            }
            "id" => {
                fault.id = Some(
                    value
                        .filter(|v| !v.is_empty())
                        .ok_or("id needs a value")?
                        .to_string(),
                );
                None
            }
            "retry-after" => {
                let v = value.and_then(|v| HeaderValue::from_str(v).ok());
                fault.retry_after = Some(v.ok_or("retry-after needs a header-safe value")?);
                None
            }
            "status" => {
                let code = number("status")?;
                let status = u16::try_from(code)
                    .ok()
                    .filter(|c| (400..=599).contains(c))
                    .and_then(|c| StatusCode::from_u16(c).ok())
                    .ok_or("status must be 400-599")?;
                Some(Kind::Status(status))
            }
            "big" => Some(Kind::Big(number("big")?.min(MAX_BIG_BYTES))),
            "truncate" => Some(Kind::Truncate),
            "non-json" => Some(Kind::NonJson),
            "wrong-shape" => Some(Kind::WrongShape),
            "drop" => Some(Kind::Drop),
            "commit" => {
                fault.commit = true;
                None
            }
            "provider-throttle" => Some(Kind::ProviderThrottle),
            other => return Err(format!("unknown item `{other}`")),
        };
        if let Some(kind) = kind {
            if fault.kind.is_some() {
                return Err(
                    "only one of status, truncate, non-json, wrong-shape, drop, big, provider-throttle"
                        .into(),
                );
            }
            fault.kind = Some(kind);
        }
    }
    if fault.times.is_some() && fault.id.is_none() {
        return Err("times needs an id".into());
    }
    if fault.commit && !matches!(fault.kind, Some(Kind::Status(_) | Kind::Drop)) {
        return Err("commit goes with status or drop".into());
    }
    Ok(fault)
}

/// A Lago-style error body for an injected status (429 also gets rate-limit headers).
pub fn status_response(status: StatusCode, retry_after: Option<&HeaderValue>) -> Response {
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("Error");
    let body = match code {
        400 => json!({"status": 400, "error": "BadRequest: injected fault"}),
        401 => json!({"status": 401, "error": "Unauthorized"}),
        422 => json!({
            "status": 422, "error": "Unprocessable Entity", "code": "validation_errors",
            "error_details": {"base": ["injected_fault"]},
        }),
        429 => json!({"status": 429, "error": "Too Many Requests", "code": "too_many_requests"}),
        404 => json!({"status": 404, "error": "Not Found", "code": "resource_not_found"}),
        405 => json!({"status": 405, "error": "Method Not Allowed", "code": "not_allowed"}),
        _ => json!({
            "status": code,
            "error": reason,
            "code": reason.to_ascii_lowercase().replace([' ', '-'], "_"),
        }),
    };
    let mut response = crate::json_response(status, &body);
    if code == 429 {
        // Seconds until the window resets: the Retry-After seconds when given, else 1.
        let reset = retry_after
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
            .unwrap_or(1);
        let headers = response.headers_mut();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("100"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
    }
    response
}

/// A 200 whose body cannot be parsed: the first half of the normal JSON body.
pub fn truncated(body: &Value) -> Response {
    let text = body.to_string().into_bytes();
    let half = text.get(..text.len() / 2).unwrap_or_default().to_vec();
    with_type(Body::from(half), "application/json")
}

/// A 200 HTML page, as a misconfigured proxy would answer.
pub fn non_json() -> Response {
    with_type(Body::from("<html>oops</html>"), "text/html")
}

/// A 200 with valid JSON of the wrong shape.
pub fn wrong_shape() -> Response {
    crate::json_response(StatusCode::OK, &json!({"unexpected": true}))
}

/// A body whose first poll fails: hyper then closes the connection before writing anything,
/// so the client sees a network error (curl: "Empty reply from server").
pub fn dropped() -> Response {
    let failing =
        stream::once(async { Err::<Bytes, std::io::Error>(std::io::Error::other("drop fault")) });
    let mut response = Response::new(Body::from_stream(failing));
    response.extensions_mut().insert(Dropped);
    response
}

/// The answer of a request that was carried out, cut off halfway through its body: its status
/// and headers (a `Content-Length` of the whole body), half the body, then the connection
/// closes. After the status line, so that no client resends it on its own: browsers resend a
/// request, whatever its method, when a reused connection closes before any byte of the answer
/// (they take it for a stale keep-alive connection), which `drop` alone looks like.
pub fn cut(status: StatusCode, body: &Value) -> Response {
    let text = Bytes::from(body.to_string());
    let half = text.slice(..text.len() / 2);
    // The pause lets hyper flush the head and the half before the error closes the connection.
    let parts = stream::once(async move { Ok(half) }).chain(stream::once(async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        Err(std::io::Error::other("commit;drop fault"))
    }));
    let mut response = with_type(Body::from_stream(parts), "application/json");
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(text.len()));
    response.extensions_mut().insert(Dropped);
    response
}

/// What Lago answers when a tax provider (here Avalara) throttles it: `too_many_provider_requests`
/// (`app/controllers/concerns/api_errors.rb`), with no `X-RateLimit-*` headers of its own.
pub fn provider_throttled() -> Response {
    crate::json_response(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({
            "status": 429,
            "error": "Too Many Provider Requests",
            "code": "too_many_provider_requests",
            "error_details": {
                "provider_name": "avalara",
                "message": "Rate limit exceeded: too many requests to the tax provider, retry later",
            },
        }),
    )
}

/// A 200 of about `size` bytes: the normal JSON object with a `"padding"` string added, streamed
/// in 64 KiB chunks rather than built in memory.
pub fn big(body: &Value, size: u64) -> Response {
    let text = body.to_string();
    // The normal body is always an object: reopen it before its closing brace.
    let head = match text.strip_suffix('}') {
        Some(open) if open.len() > 1 => format!("{open},\"padding\":\""),
        _ => "{\"padding\":\"".to_string(),
    };
    let tail = "\"}";
    let fixed = (head.len() + tail.len()) as u64;
    let padding = size.saturating_sub(fixed);
    let total = fixed + padding;
    const CHUNK: u64 = 64 * 1024;
    let chunk = Bytes::from(vec![b'x'; CHUNK as usize]);
    let pads = stream::unfold(padding, move |left| {
        let chunk = chunk.clone();
        async move {
            (left > 0).then(|| {
                let n = left.min(CHUNK);
                (chunk.slice(..n as usize), left - n)
            })
        }
    });
    let parts = stream::once(async move { Bytes::from(head) })
        .chain(pads)
        .chain(stream::once(
            async move { Bytes::from_static(tail.as_bytes()) },
        ))
        .map(Ok::<Bytes, std::io::Error>);
    let mut response = with_type(Body::from_stream(parts), "application/json");
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(total));
    response
}

fn with_type(body: Body, content_type: &'static str) -> Response {
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_grammar() {
        let f = parse("status=503; retry-after=2 ;times=2;id=abc;latency=10").expect("valid");
        assert_eq!(f.kind, Some(Kind::Status(StatusCode::SERVICE_UNAVAILABLE)));
        assert_eq!(f.retry_after, Some(HeaderValue::from_static("2")));
        assert_eq!(
            (f.times, f.id.as_deref(), f.latency_ms),
            (Some(2), Some("abc"), 10)
        );
        assert_eq!(parse("drop").expect("valid").kind, Some(Kind::Drop));
        assert_eq!(parse("big=100").expect("valid").kind, Some(Kind::Big(100)));
        assert_eq!(
            parse("provider-throttle").expect("valid").kind,
            Some(Kind::ProviderThrottle)
        );
        assert!(parse("retry-after=Wed, 21 Oct 2015 07:28:00 GMT").is_ok());
        let f = parse("drop;commit;times=1;id=w").expect("valid");
        assert_eq!((f.kind, f.commit), (Some(Kind::Drop), true));
        assert!(parse("status=504;commit").expect("valid").commit);
        for bad in [
            "status=200",
            "status=abc",
            "teapot",
            "drop;truncate",
            "provider-throttle;status=429",
            "times=1",
            "latency=-1",
            "commit",
            "truncate;commit",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
