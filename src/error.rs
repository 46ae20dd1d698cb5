//! One error type for both faces, and the one place that turns it into the JS `LagoError`.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::core::encode::push_u64;
use crate::core::jsval;

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
/// Never holds the API key.
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
    /// Whether the same call may succeed later (rate limits, gateway errors, network, timeout).
    pub retryable: bool,
    /// HTTP status, for `Http`.
    pub status: Option<u16>,
    /// Lago's error `code`, e.g. `customer_not_found`.
    pub code: Option<String>,
    /// Lago's error text, e.g. `Not Found`.
    pub error: Option<String>,
    /// For `InvalidInput`: the argument or field at fault, e.g. `customer.email`.
    pub field: Option<String>,
    /// What the server's `Retry-After` asked for, in milliseconds.
    pub retry_after_ms: Option<f64>,
    /// Lago Cloud's `X-RateLimit-*` headers, when the answer carried them.
    pub rate_limit: Option<RateLimit>,
    /// For `Network`: what the fetch failed with (the API key redacted), or `undefined`.
    pub cause: JsValue,
    /// Lago's `error_details` (JS object), or `undefined`.
    pub details: JsValue,
    /// The parsed error body, the raw text when it is not JSON, or `undefined`.
    pub body: JsValue,
}

impl Error {
    /// An error with only kind, request and message set; callers fill in the rest.
    pub fn new(kind: ErrorKind, method: &'static str, path: &str, message: String) -> Self {
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
            cause: JsValue::UNDEFINED,
            details: JsValue::UNDEFINED,
            body: JsValue::UNDEFINED,
        }
    }

    /// A refused argument: `field` names it, `problem` says what is wrong with it.
    pub fn invalid_input(method: &'static str, path: &str, field: &str, problem: &str) -> Self {
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

    /// Builds the JS `LagoError`: a real `Error` (so it has a stack) with the fields of the
    /// contract as own properties, on `LagoError.prototype` once the package entry registered it.
    pub fn into_js(self) -> JsValue {
        let err: JsValue = js_sys::Error::new(&self.message).into();
        jsval::set(&err, "name", &JsValue::from_str("LagoError"));
        jsval::set(&err, "kind", &JsValue::from_str(self.kind.as_str()));
        if let Some(status) = self.status {
            jsval::set(&err, "status", &JsValue::from(status));
        }
        set_opt_str(&err, "code", self.code.as_deref());
        set_opt_str(&err, "error", self.error.as_deref());
        set_opt_str(&err, "field", self.field.as_deref());
        if !self.details.is_undefined() {
            jsval::set(&err, "details", &self.details);
        }
        if !self.body.is_undefined() {
            jsval::set(&err, "body", &self.body);
        }
        jsval::set(&err, "method", &JsValue::from_str(self.method));
        jsval::set(&err, "path", &JsValue::from_str(&self.path));
        jsval::set(&err, "attempts", &JsValue::from(self.attempts));
        jsval::set(&err, "retryable", &JsValue::from_bool(self.retryable));
        if let Some(ms) = self.retry_after_ms {
            jsval::set(&err, "retryAfterMs", &JsValue::from_f64(ms));
        }
        if let Some(r) = &self.rate_limit {
            let obj: JsValue = js_sys::Object::new().into();
            let num = |v: Option<f64>| v.map_or(JsValue::UNDEFINED, JsValue::from_f64);
            jsval::set(&obj, "limit", &num(r.limit));
            jsval::set(&obj, "remaining", &num(r.remaining));
            jsval::set(&obj, "resetMs", &num(r.reset_ms));
            jsval::set(&err, "rateLimit", &obj);
        }
        if !self.cause.is_undefined() {
            jsval::set(&err, "cause", &self.cause);
        }
        PROTOTYPE.with(|proto| {
            if let Some(proto) = proto.borrow().as_ref() {
                js_sys::Object::set_prototype_of(err.unchecked_ref::<js_sys::Object>(), proto);
            }
        });
        err
    }
}

/// Lago Cloud's rate-limit headers on an answer (each `None` when missing or not a number).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<f64>,
    /// `X-RateLimit-Remaining`: requests left in this window.
    pub remaining: Option<f64>,
    /// `X-RateLimit-Reset` (seconds until the window resets), in milliseconds.
    pub reset_ms: Option<f64>,
}

impl RateLimit {
    /// From `[limit, remaining, reset seconds]` as `runtime.js` reads them (NaN = missing).
    pub fn from_js(v: &[f64]) -> Option<RateLimit> {
        let at = |i: usize| v.get(i).copied().filter(|n| n.is_finite() && *n >= 0.0);
        (v.len() == 3).then(|| RateLimit {
            limit: at(0),
            remaining: at(1),
            reset_ms: at(2).map(|s| s * 1000.0),
        })
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

fn set_opt_str(target: &JsValue, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        jsval::set(target, key, &JsValue::from_str(value));
    }
}

/// Appends `GET /customers/abc`.
pub fn push_request(out: &mut String, method: &str, path: &str) {
    out.push_str(method);
    out.push(' ');
    out.push_str(path);
}

/// Appends an integer such as a status or a duration.
pub fn push_num(out: &mut String, n: f64) {
    push_u64(
        out,
        if n.is_finite() && n > 0.0 {
            n as u64
        } else {
            0
        },
    );
}

thread_local! {
    static PROTOTYPE: RefCell<Option<js_sys::Object>> = const { RefCell::new(None) };
}

/// Called once by the package entry with `LagoError.prototype` (a class that extends `Error`,
/// defined in JS because wasm-bindgen cannot export a subclass of `Error`), so errors made here
/// satisfy `err instanceof LagoError`.
#[wasm_bindgen(js_name = __registerLagoError, skip_typescript)]
pub fn register_lago_error(prototype: JsValue) {
    if prototype.is_object() {
        PROTOTYPE.with(|p| *p.borrow_mut() = Some(prototype.into()));
    }
}
