//! Sending a [`Request`]: fetch, per-attempt timeout, abort, retries with backoff and
//! `Retry-After`, and mapping what came back to an [`Error`].
//!
//! The platform calls (fetch, AbortController, timers) live in `src/js/runtime.js`: one call
//! and one awaited promise per attempt. Everything that decides lives here.

use std::cell::OnceCell;

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::jsval::{self, describe};
use super::operation::Request;
use super::retry;
use crate::error::{push_num, push_request, Error, ErrorKind, RateLimit};

/// Client-wide settings, shared by every call of one client.
#[derive(Clone)]
pub struct Config {
    /// Base URL without a trailing `/`, e.g. `https://api.getlago.com/api/v1`.
    pub base_url: String,
    /// Sent as `Authorization: Bearer <key>`; `None` behind a proxy.
    pub api_key: Option<String>,
    /// The caller's `fetch`; `None` means `globalThis.fetch`, looked up per call.
    pub fetch: Option<Function>,
    /// Extra headers for every request.
    pub headers: Vec<(String, String)>,
    /// Per attempt, in ms; 0 = none.
    pub timeout_ms: f64,
    /// Extra attempts after the first.
    pub max_retries: u32,
    /// `(ms, signal) => Promise` used instead of a timer between attempts (tests, fake timers).
    pub sleep: Option<Function>,
    /// Whether an `apiKey` in a browser page prints the one-time console warning.
    pub warn_on_browser_key: bool,
    /// The headers object of calls without per-call headers, built on first use (without and
    /// with a body): most calls then cross no header string into JS at all.
    pub(crate) headers_cache: [OnceCell<Object>; 2],
}

/// By hand, so that `{:?}` of a client can never print its API key (nor header values).
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// Default base URL (Lago's US cloud).
pub const DEFAULT_BASE_URL: &str = "https://api.getlago.com/api/v1";

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: DEFAULT_BASE_URL.into(),
            api_key: None,
            fetch: None,
            headers: Vec::new(),
            timeout_ms: 30_000.0,
            max_retries: 2,
            sleep: None,
            warn_on_browser_key: true,
            headers_cache: Default::default(),
        }
    }
}

/// Per-call overrides of [`Config`].
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// The caller's `AbortSignal`.
    pub signal: Option<JsValue>,
    /// Replaces [`Config::timeout_ms`] for this call.
    pub timeout_ms: Option<f64>,
    /// Replaces [`Config::max_retries`] for this call.
    pub max_retries: Option<u32>,
    /// Sent after (and over) the client's headers.
    pub headers: Vec<(String, String)>,
}

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// What one attempt came back with: a reply or a failure code.
    type Attempt;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Attempt) -> f64;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Attempt) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn text(this: &Attempt) -> JsValue;
    /// 0 for a reply, else [`TIMEOUT`], [`ABORTED`] or 1 (network).
    #[wasm_bindgen(method, getter)]
    fn failure(this: &Attempt) -> u8;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Attempt) -> Option<String>;
    /// `[limit, remaining, reset]` from `X-RateLimit-*` (NaN where missing), or `null`.
    #[wasm_bindgen(method, getter, js_name = rateLimit)]
    fn rate_limit(this: &Attempt) -> Option<Vec<f64>>;
    /// What the caller's fetch rejected with, for a network failure.
    #[wasm_bindgen(method, getter)]
    fn cause(this: &Attempt) -> JsValue;

    #[wasm_bindgen(js_name = attempt)]
    fn attempt_js(
        fetch: &Function,
        url: &str,
        method: &str,
        headers: &Object,
        body: Option<String>,
        timeout_ms: f64,
        signal: Option<JsValue>,
    ) -> Promise;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_js(ms: f64, signal: Option<JsValue>, custom: Option<Function>) -> Promise;
    #[wasm_bindgen(js_name = isAborted)]
    fn is_aborted_js(signal: &JsValue) -> bool;
    #[wasm_bindgen(js_name = globalFetch)]
    fn global_fetch() -> Option<Function>;
    #[wasm_bindgen(js_name = redact)]
    fn redact_js(text: &JsValue, key: &str) -> JsValue;
    #[wasm_bindgen(js_name = redactError)]
    fn redact_error_js(e: &JsValue, key: &str) -> JsValue;
}

const TIMEOUT: u8 = 2;
const ABORTED: u8 = 3;

/// A 2xx answer: its body as a JS string, and how many requests it took.
#[derive(Debug)]
pub struct Reply<'a> {
    /// The body as `text()` gave it.
    pub text: JsValue,
    /// Requests sent, retries included.
    pub attempts: u32,
    cfg: &'a Config,
}

impl Reply<'_> {
    /// A `decode` error for this answer: `problem` says what is wrong with the body.
    pub fn decode_error(self, req: &Request, problem: &str) -> Error {
        let mut message = String::from("Unexpected response to ");
        push_request(&mut message, req.op.method, &req.path);
        message.push_str(": ");
        message.push_str(problem);
        let mut err = Error::new(ErrorKind::Decode, req.op.method, &req.path, message);
        err.attempts = self.attempts;
        err.body = self.cfg.redact_js(self.text);
        err
    }
}

impl Config {
    /// `text` with every occurrence of the API key replaced, for text that came from elsewhere
    /// (a fetch wrapper's error, a proxy echoing headers) and goes into an error. Keys shorter
    /// than 8 characters are not Lago keys and are left alone rather than garble the text.
    /// Done in JS (`runtime.js`): Rust's substring search would add kilobytes to the wasm.
    fn redact_js(&self, text: JsValue) -> JsValue {
        match &self.api_key {
            Some(key) => redact_js(&text, key),
            None => text,
        }
    }

    /// [`Config::redact_js`] for an error object and its causes.
    fn redact_error(&self, e: JsValue) -> JsValue {
        match &self.api_key {
            Some(key) => redact_error_js(&e, key),
            None => e,
        }
    }

    /// [`Config::redact_js`] for Rust text.
    fn redact(&self, text: String) -> String {
        match &self.api_key {
            Some(key) => redact_js(&JsValue::from_str(&text), key)
                .as_string()
                .unwrap_or(text),
            None => text,
        }
    }
}

/// Sends `req` with retries and returns the 2xx body, or the final error.
pub async fn send<'a>(
    cfg: &'a Config,
    req: &Request,
    call: &CallOptions,
) -> Result<Reply<'a>, Error> {
    let method = req.op.method;
    let signal = call.signal.as_ref();
    let max_retries = call.max_retries.unwrap_or(cfg.max_retries);
    let timeout_ms = call.timeout_ms.unwrap_or(cfg.timeout_ms);
    let fail = |kind, message: String, attempts| {
        let mut err = Error::new(kind, method, &req.path, message);
        err.attempts = attempts;
        err
    };
    if is_aborted(signal) {
        return Err(fail(ErrorKind::Aborted, aborted_message(req), 0));
    }
    let Some(fetch) = cfg.fetch.clone().or_else(global_fetch) else {
        let msg = "No fetch: globalThis.fetch is missing; pass `fetch` in the options";
        return Err(fail(ErrorKind::Network, msg.into(), 0));
    };
    let url = build_url(cfg, req);
    let headers = headers(cfg, req, call);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let pending = attempt_js(
            &fetch,
            &url,
            method,
            &headers,
            req.body.clone(),
            timeout_ms,
            call.signal.clone(),
        );
        let outcome: Attempt = match JsFuture::from(pending).await {
            Ok(outcome) => outcome.unchecked_into(),
            // runtime.js never rejects; should a caller's signal make it, that is a network
            // failure of this attempt, not a panic.
            Err(e) => return Err(fail(ErrorKind::Network, cfg.redact(describe(&e)), attempts)),
        };
        let mut err = match outcome.failure() {
            0 => {
                let status = outcome.status() as u16;
                if (200..300).contains(&status) {
                    return Ok(Reply {
                        text: outcome.text(),
                        attempts,
                        cfg,
                    });
                }
                let text = cfg.redact_js(outcome.text());
                let mut e = http_error(req, status, outcome.retry_after(), text);
                e.rate_limit = outcome.rate_limit().as_deref().and_then(RateLimit::from_js);
                e
            }
            TIMEOUT => {
                let mut m = String::from("Timed out after ");
                push_num(&mut m, timeout_ms);
                m.push_str(" ms on ");
                push_request(&mut m, method, &req.path);
                let mut e = fail(ErrorKind::Timeout, m, attempts);
                e.retryable = true;
                e
            }
            ABORTED => return Err(fail(ErrorKind::Aborted, aborted_message(req), attempts)),
            _ => {
                let mut m = String::from("Network error on ");
                push_request(&mut m, method, &req.path);
                m.push_str(": ");
                m.push_str(&cfg.redact(outcome.message().unwrap_or_default()));
                let mut e = fail(ErrorKind::Network, m, attempts);
                e.retryable = true;
                e.cause = cfg.redact_error(outcome.cause());
                e
            }
        };
        err.attempts = attempts;
        let wait = retry::wait_ms(&err, attempts - 1, js_sys::Math::random());
        if !err.retryable || attempts > max_retries || wait > retry::MAX_RETRY_AFTER_MS {
            return Err(err);
        }
        let _ = JsFuture::from(sleep_js(wait, call.signal.clone(), cfg.sleep.clone())).await;
        if is_aborted(signal) {
            return Err(fail(ErrorKind::Aborted, aborted_message(req), attempts));
        }
    }
}

fn aborted_message(req: &Request) -> String {
    let mut m = String::from("Aborted: ");
    push_request(&mut m, req.op.method, &req.path);
    m
}

fn build_url(cfg: &Config, req: &Request) -> String {
    let query = req.query.as_str();
    let mut url = String::with_capacity(cfg.base_url.len() + req.path.len() + query.len() + 1);
    url.push_str(&cfg.base_url);
    url.push_str(&req.path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// The request headers: `accept`, the key, `content-type` with a body, then the client's and
/// the call's own, later settings winning whatever the case of the name, so none is sent twice.
/// `runtime.js` adds no `credentials`, `mode` or `referrerPolicy`: Cloudflare Workers reject them.
fn headers(cfg: &Config, req: &Request, call: &CallOptions) -> Object {
    if !call.headers.is_empty() {
        return build_headers(cfg, req, call);
    }
    let cached = &cfg.headers_cache[usize::from(req.body.is_some())];
    cached.get_or_init(|| build_headers(cfg, req, call)).clone()
}

fn build_headers(cfg: &Config, req: &Request, call: &CallOptions) -> Object {
    let mut headers: Vec<(&str, &str)> = vec![("accept", "application/json")];
    let bearer;
    if let Some(key) = &cfg.api_key {
        bearer = String::from("Bearer ") + key;
        headers.push(("authorization", &bearer));
    }
    if req.body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    for (name, value) in cfg.headers.iter().chain(&call.headers) {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name, value));
    }
    let h = Object::new();
    for (name, value) in headers {
        jsval::set(&h, name, &JsValue::from_str(value));
    }
    h
}

fn is_aborted(signal: Option<&JsValue>) -> bool {
    signal.is_some_and(is_aborted_js)
}

/// Maps a non-2xx reply: Lago's `code`, `error` and `error_details` when the body has them.
fn http_error(req: &Request, status: u16, retry_after: Option<String>, text: JsValue) -> Error {
    let body = match jsval::json_parse(&text) {
        Ok(parsed) => parsed,
        Err(_) => text,
    };
    let field = |k| {
        jsval::get(&body, k)
            .ok()
            .and_then(|v| v.as_string())
            .map(|s| jsval::truncate(s, 200))
    };
    let code = field("code");
    let error = field("error");
    let mut message = String::from("Lago ");
    push_num(&mut message, f64::from(status));
    if let Some(label) = code.as_deref().or(error.as_deref()) {
        message.push(' ');
        message.push_str(label);
    }
    message.push_str(" on ");
    push_request(&mut message, req.op.method, &req.path);
    let mut err = Error::new(ErrorKind::Http, req.op.method, &req.path, message);
    err.status = Some(status);
    err.retryable = retry::is_retryable_status(status);
    err.retry_after_ms =
        retry_after.and_then(|v| retry::parse_retry_after(&v, js_sys::Date::now()));
    err.details = jsval::get(&body, "error_details").unwrap_or(JsValue::UNDEFINED);
    err.code = code;
    err.error = error;
    err.body = body;
    err
}
