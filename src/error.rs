//! One error type for both faces (the JS face turns it into a `LagoError` in
//! `js/lago_error.rs`). It holds no JS value: Rust callers get plain Rust types.

use std::time::Duration;

use crate::core::encode::push_u64;

/// What went wrong, as callers branch on it (`err.kind` in JS).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Lago answered with a non-2xx status.
    Http,
    /// No answer: DNS, connection refused or reset, CORS, offline.
    Network,
    /// An attempt took longer than `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// A 2xx answer whose body is not JSON or not the expected shape.
    Decode,
    /// A bad argument, caught before any request was sent.
    InvalidInput,
}

impl ErrorKind {
    /// The wire name JS callers see in `err.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Http => "http",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Decode => "decode",
            ErrorKind::InvalidInput => "invalid_input",
        }
    }
}

/// A failed call: the kind plus everything a caller needs to log it or decide to retry.
/// Never holds the API key. Only this crate makes one (`#[non_exhaustive]`: fields may be
/// added without breaking callers).
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct Error {
    /// What went wrong, to branch on.
    pub kind: ErrorKind,
    /// One readable line, e.g. `Lago 404 customer_not_found on GET /customers/abc`.
    pub message: String,
    /// HTTP method of the call.
    pub method: &'static str,
    /// Request path below the base URL (the route template when input was refused).
    pub path: String,
    /// Requests sent, retries included (0 when refused before sending).
    pub attempts: u32,
    /// Whether the SDK would send the same call again (rate limits, gateway errors, network,
    /// timeout), never for a write whose repeat could double it (see [`Error::may_have_succeeded`]).
    pub retryable: bool,
    /// HTTP status, for `Http`.
    pub status: Option<u16>,
    /// Lago's error `code`, e.g. `customer_not_found`.
    pub code: Option<String>,
    /// Lago's error text, e.g. `Not Found`.
    pub error: Option<String>,
    /// For `InvalidInput`: the argument or field at fault, e.g. `customer.email`.
    pub field: Option<String>,
    /// What the server's `Retry-After` asked for, in milliseconds (see [`Error::retry_after`]).
    pub(crate) retry_after_ms: Option<f64>,
    /// Lago Cloud's `X-RateLimit-*` headers, when the answer carried them.
    pub rate_limit: Option<RateLimit>,
    /// The error body's text as the server sent it (the API key redacted), for `Http`; see
    /// [`Error::body_json`], [`Error::details`] and [`Error::api_error`].
    pub body: Option<String>,
    /// See [`Error::may_have_succeeded`].
    pub(crate) may_have_succeeded: bool,
}

impl Error {
    /// An error with only kind, request and message set; callers fill in the rest.
    pub(crate) fn new(kind: ErrorKind, method: &'static str, path: &str, message: String) -> Self {
        Error {
            kind,
            message,
            method,
            path: path.into(),
            attempts: 0,
            retryable: false,
            status: None,
            code: None,
            error: None,
            field: None,
            retry_after_ms: None,
            rate_limit: None,
            body: None,
            may_have_succeeded: false,
        }
    }

    /// A refused argument: `field` names it, `problem` says what is wrong with it.
    pub(crate) fn invalid_input(
        method: &'static str,
        path: &str,
        field: &str,
        problem: &str,
    ) -> Self {
        let mut message = String::from("Invalid input: ");
        message.push_str(field);
        message.push(' ');
        message.push_str(problem);
        message.push_str(" (");
        push_request(&mut message, method, path);
        message.push_str(", nothing was sent)");
        let mut err = Error::new(ErrorKind::InvalidInput, method, path, message);
        err.field = Some(field.into());
        err
    }

    /// Whether the call may have done its write after all: it writes (any method but GET) and
    /// one of its attempts ended without proof that nothing was written (a timeout, a network
    /// error, an abort once the request was sent, a 500, 502 or 504, a keyed write's retry
    /// answering 422 `value_already_exist`, or a 2xx whose body could not be read). Before
    /// repeating such a write, look whether it was done (a wallet or a top-up made twice is
    /// paid twice). Always false for a GET, for `InvalidInput`, and for a write whose every
    /// attempt was answered with proof that nothing was written (401, 403, 404, 405, 422 on the
    /// first attempt, 429, 503).
    pub fn may_have_succeeded(&self) -> bool {
        self.may_have_succeeded
    }

    /// Lago answered 404 (`customer_not_found`, `wallet_not_found`...): the thing asked for
    /// does not exist (or not for this key's organization).
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::Http && self.status == Some(404)
    }

    /// How long the server's `Retry-After` header asked to wait before sending again (a 429 or
    /// a 503 that carried one), as seconds or as a date, already in the past = zero.
    pub fn retry_after(&self) -> Option<Duration> {
        let ms = self.retry_after_ms?;
        // The core parses it into whole ms; a NaN or negative value would be no wait to report.
        (ms.is_finite() && ms >= 0.0).then(|| Duration::from_millis(ms as u64))
    }

    /// The error body as JSON, when it is JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        // The Rust face's reader, as for answers: serde_json's parser would be a second one in
        // an app that calls this.
        crate::client::json::from_str(self.body.as_deref()?).ok()
    }

    /// Lago's `error_details` (e.g. `{"email": ["invalid_email_format"]}`), when the body has it.
    pub fn details(&self) -> Option<serde_json::Value> {
        self.body_json()?
            .get_mut("error_details")
            .map(serde_json::Value::take)
    }

    /// The error body as Lago's error model, when it is one.
    pub fn api_error(&self) -> Option<crate::models::ApiError> {
        crate::client::json::from_str(self.body.as_deref()?).ok()
    }
}

/// Lago Cloud's rate-limit headers on an answer (each `None` when missing or not a number).
/// Read through its methods; it keeps the numbers as the headers gave them, which is what the
/// core's waits and the JS face's `rateLimit` use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    limit: Option<f64>,
    remaining: Option<f64>,
    reset_ms: Option<f64>,
}

impl RateLimit {
    /// From `[limit, remaining, reset seconds]` (NaN or negative = missing).
    pub(crate) fn from_parts(v: &[f64]) -> Option<RateLimit> {
        let at = |i: usize| v.get(i).copied().filter(|n| n.is_finite() && *n >= 0.0);
        (v.len() == 3).then(|| RateLimit {
            limit: at(0),
            remaining: at(1),
            reset_ms: at(2).map(|s| s * 1000.0),
        })
    }

    /// `X-RateLimit-Limit`: requests allowed per window.
    pub fn limit(&self) -> Option<u64> {
        self.limit.map(|n| n as u64)
    }

    /// `X-RateLimit-Remaining`: requests left in this window.
    pub fn remaining(&self) -> Option<u64> {
        self.remaining.map(|n| n as u64)
    }

    /// `X-RateLimit-Reset`: how long until the window resets.
    pub fn reset(&self) -> Option<Duration> {
        self.reset_ms.map(|ms| Duration::from_millis(ms as u64))
    }

    /// The raw numbers, for the core's waits and the JS face's `rateLimit`: limit, remaining,
    /// and the reset in milliseconds.
    pub(crate) fn parts(&self) -> (Option<f64>, Option<f64>, Option<f64>) {
        (self.limit, self.remaining, self.reset_ms)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Appends `GET /customers/abc`.
pub(crate) fn push_request(out: &mut String, method: &str, path: &str) {
    out.push_str(method);
    out.push(' ');
    out.push_str(path);
}

/// Appends an integer such as a status or a duration.
pub(crate) fn push_num(out: &mut String, n: f64) {
    push_u64(
        out,
        if n.is_finite() && n > 0.0 {
            n as u64
        } else {
            0
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16) -> Error {
        let mut err = Error::new(ErrorKind::Http, "GET", "/customers/x", "Lago".into());
        err.status = Some(status);
        err
    }

    #[test]
    fn not_found_is_an_http_404_only() {
        assert!(http(404).is_not_found());
        assert!(!http(422).is_not_found());
        let mut network = http(404);
        network.kind = ErrorKind::Network;
        assert!(!network.is_not_found());
    }

    #[test]
    fn retry_after_is_a_duration_when_the_server_sent_one() {
        let mut err = http(429);
        assert_eq!(err.retry_after(), None);
        err.retry_after_ms = Some(120_000.0);
        assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
        err.retry_after_ms = Some(f64::NAN);
        assert_eq!(err.retry_after(), None);
    }

    #[test]
    fn rate_limit_headers_become_counts_and_a_duration() {
        let rl = RateLimit::from_parts(&[50.0, 0.0, 2.5]).unwrap();
        assert_eq!(
            (rl.limit(), rl.remaining(), rl.reset()),
            (Some(50), Some(0), Some(Duration::from_millis(2500)))
        );
        assert_eq!(rl.parts(), (Some(50.0), Some(0.0), Some(2500.0)));
        let odd = RateLimit::from_parts(&[f64::NAN, -1.0, 1.0]).unwrap();
        assert_eq!((odd.limit(), odd.remaining()), (None, None));
        assert_eq!(RateLimit::from_parts(&[1.0]), None);
    }
}
