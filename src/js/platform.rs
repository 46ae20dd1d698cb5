//! The JS face's side of the transport: its settings (the caller's `fetch` and `sleep`), and
//! the [`Platform`] that sends through `runtime.js`, one call and one awaited promise per
//! attempt (see that file for why), keeping a 2xx body as a JS string handle.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::jsval;
use crate::core::operation::{Operation, Request};
use crate::core::transport::{header_list, url, Outcome, Overrides, Platform, Settings};
use crate::error::RateLimit;

/// A JS client's settings: the shared ones plus what only JS callers can pass.
pub struct JsConfig {
    /// What both faces share.
    pub settings: Settings,
    /// The caller's `fetch`; `None` means `globalThis.fetch`, looked up per call.
    pub fetch: Option<Function>,
    /// `(ms, signal) => Promise` used instead of a timer between attempts (tests, fake timers).
    pub sleep: Option<Function>,
    /// Whether an `apiKey` in a browser page prints the one-time console warning.
    pub warn_on_browser_key: bool,
    /// The headers object of calls without per-call headers, built on first use (without and
    /// with a body): most calls then cross no header string into JS at all.
    headers_cache: [OnceCell<Object>; 2],
}

impl Default for JsConfig {
    fn default() -> Self {
        JsConfig {
            settings: Settings::default(),
            fetch: None,
            sleep: None,
            warn_on_browser_key: true,
            headers_cache: Default::default(),
        }
    }
}

/// A JS call's own settings: the shared overrides plus the caller's `AbortSignal`.
#[derive(Debug, Clone, Default)]
pub struct JsCall {
    /// What both faces share.
    pub overrides: Overrides,
    /// The caller's `AbortSignal`.
    pub signal: Option<JsValue>,
    /// The body's JSON text as the JS string `JSON.stringify` made (`undefined` without a
    /// body): fetch is handed that string, so the text never crosses back out of wasm.
    pub body: JsValue,
}

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// What one attempt came back with: a reply or a failure code.
    type Attempt;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Attempt) -> f64;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Attempt) -> Option<String>;
    /// `[limit, remaining, reset]` from `X-RateLimit-*` (NaN where missing), or `null`.
    #[wasm_bindgen(method, getter, js_name = rateLimit)]
    fn rate_limit(this: &Attempt) -> Option<Vec<f64>>;
    #[wasm_bindgen(method, getter)]
    fn text(this: &Attempt) -> JsValue;
    /// 0 for a reply, else [`TIMEOUT`], [`ABORTED`] or 1 (network).
    #[wasm_bindgen(method, getter)]
    fn failure(this: &Attempt) -> u8;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Attempt) -> Option<String>;
    /// What the caller's fetch rejected with, for a network failure.
    #[wasm_bindgen(method, getter)]
    fn cause(this: &Attempt) -> JsValue;

    #[wasm_bindgen(js_name = attempt)]
    fn attempt_js(
        fetch: &Function,
        url: &str,
        method: &str,
        headers: &Object,
        body: &JsValue,
        timeout_ms: f64,
        signal: Option<JsValue>,
    ) -> Promise;
    /// The first attempt of a call, settled in JS when it is a good 2xx body (see `runtime.js`).
    #[wasm_bindgen(js_name = run)]
    fn run_js(
        pending: u32,
        fetch: &Function,
        url: &str,
        method: &JsValue,
        headers: &Object,
        body: &JsValue,
        timeout_ms: f64,
        signal: Option<JsValue>,
        shape: &JsValue,
    ) -> Promise;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_js(ms: f64, signal: Option<JsValue>, custom: Option<Function>) -> Promise;
    #[wasm_bindgen(js_name = isAborted)]
    fn is_aborted_js(signal: &JsValue) -> bool;
    #[wasm_bindgen(js_name = globalFetch)]
    fn global_fetch() -> Option<Function>;
    #[wasm_bindgen(js_name = redactError)]
    fn redact_error_js(e: &JsValue, key: &str) -> JsValue;
}

const TIMEOUT: u8 = 2;
const ABORTED: u8 = 3;

/// One JS call's platform: the fetch it uses, its signal, and the cause of its last network
/// failure (the `cause` of a network `LagoError`).
pub struct JsPlatform<'a> {
    cfg: &'a JsConfig,
    call: &'a JsCall,
    fetch: Option<Function>,
    cause: RefCell<JsValue>,
    /// The outcome of the first attempt when JS already made it (see [`JsPlatform::run`]).
    primed: RefCell<Option<JsValue>>,
}

impl<'a> JsPlatform<'a> {
    /// The platform of one call (the fetch is looked up now: tests and polyfills may install
    /// `globalThis.fetch` late).
    pub fn new(cfg: &'a JsConfig, call: &'a JsCall) -> Self {
        JsPlatform {
            cfg,
            call,
            fetch: cfg.fetch.clone().or_else(global_fetch),
            cause: RefCell::new(JsValue::UNDEFINED),
            primed: RefCell::new(None),
        }
    }

    /// The same platform, its first attempt already made by JS: `outcome` is what it gave.
    pub fn primed(self, outcome: JsValue) -> Self {
        self.primed.replace(Some(outcome));
        self
    }

    /// Whether there is a fetch at all.
    pub fn has_fetch(&self) -> bool {
        self.fetch.is_some()
    }

    /// What the last network failure was caused by, the API key redacted.
    pub fn take_cause(&self) -> JsValue {
        let cause = self.cause.take();
        match &self.cfg.settings.api_key {
            Some(key) if !cause.is_undefined() => redact_error_js(&cause, key),
            _ => cause,
        }
    }

    fn headers(&self, list: &[(&str, Cow<'_, str>)], has_body: bool) -> Object {
        let build = || {
            let h = Object::new();
            for (name, value) in list {
                jsval::set(&h, name, &JsValue::from_str(value));
            }
            h
        };
        if !self.call.overrides.headers.is_empty() {
            return build();
        }
        self.cfg.headers_cache[usize::from(has_body)]
            .get_or_init(build)
            .clone()
    }
}

/// The fast path of a call: its first attempt, made and (when it is a good 2xx body) settled
/// in JS, with no Rust future; anything else resumes `pending` in Rust with that attempt's
/// outcome, through the same [`crate::core::transport::send`]. Hands `pending` back when there
/// is no fetch or the caller has already aborted (the caller then takes the full path).
pub fn run(cfg: &JsConfig, pending: super::Pending) -> Result<Promise, super::Pending> {
    let (fetch, url, headers, timeout_ms) = {
        let platform = JsPlatform::new(cfg, &pending.call);
        let Some(fetch) = platform.fetch.clone() else {
            return Err(pending);
        };
        if platform.aborted() {
            return Err(pending);
        }
        let (settings, req) = (&cfg.settings, &pending.req);
        let overrides = &pending.call.overrides;
        let has_body = req.body.is_some();
        // The cached headers object needs no list (no allocation, no key copy).
        let cached = (overrides.headers.is_empty())
            .then(|| cfg.headers_cache[usize::from(has_body)].get().cloned())
            .flatten();
        let headers = cached.unwrap_or_else(|| {
            platform.headers(&header_list(settings, overrides, has_body), has_body)
        });
        let timeout_ms = overrides.timeout_ms.unwrap_or(settings.timeout_ms);
        (fetch, url(settings, req), headers, timeout_ms)
    };
    let (op, body, signal) = (
        pending.req.op,
        pending.call.body.clone(),
        pending.call.signal.clone(),
    );
    let (method, shape) = op_strings(op);
    Ok(run_js(
        super::park(pending),
        &fetch,
        &url,
        &method,
        &headers,
        &body,
        timeout_ms,
        signal,
        &shape,
    ))
}

thread_local! {
    /// Each operation's method and shape as JS strings, made on its first call.
    static OP_STRINGS: RefCell<Vec<(usize, JsValue, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `op`'s method and shape as JS strings: decoded once per operation, not once per call.
fn op_strings(op: &'static Operation) -> (JsValue, JsValue) {
    let key = op as *const Operation as usize;
    OP_STRINGS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, m, s)) = cache.iter().find(|(k, _, _)| *k == key) {
            return (m.clone(), s.clone());
        }
        let (m, s) = (JsValue::from_str(op.method), JsValue::from_str(op.shape));
        cache.push((key, m.clone(), s.clone()));
        (m, s)
    })
}

impl Platform for JsPlatform<'_> {
    type Body = JsValue;

    async fn attempt(
        &self,
        req: &Request,
        url: &str,
        headers: &[(&str, Cow<'_, str>)],
        timeout_ms: f64,
    ) -> Outcome<JsValue> {
        let Some(fetch) = &self.fetch else {
            return Outcome::Network(
                "No fetch: globalThis.fetch is missing; pass `fetch` in the options".into(),
            );
        };
        let primed = self.primed.take();
        let outcome: Attempt = match primed {
            Some(outcome) => outcome.unchecked_into(),
            None => {
                let headers = self.headers(headers, req.body.is_some());
                let pending = attempt_js(
                    fetch,
                    url,
                    req.op.method,
                    &headers,
                    &self.call.body,
                    timeout_ms,
                    self.call.signal.clone(),
                );
                match JsFuture::from(pending).await {
                    Ok(outcome) => outcome.unchecked_into(),
                    // runtime.js never rejects; should a caller's signal make it, that is a
                    // network failure of this attempt, not a panic.
                    Err(e) => return Outcome::Network(jsval::describe(&e)),
                }
            }
        };
        match outcome.failure() {
            0 => {
                let status = outcome.status() as u16;
                // A 2xx answer's headers are never used: two crossings saved per call.
                let failed = !(200..300).contains(&status);
                let rate_limit = || {
                    outcome
                        .rate_limit()
                        .as_deref()
                        .and_then(RateLimit::from_parts)
                };
                Outcome::Reply {
                    status,
                    retry_after: failed.then(|| outcome.retry_after()).flatten(),
                    rate_limit: failed.then(rate_limit).flatten(),
                    body: outcome.text(),
                }
            }
            TIMEOUT => Outcome::Timeout,
            ABORTED => Outcome::Aborted,
            _ => {
                self.cause.replace(outcome.cause());
                Outcome::Network(outcome.message().unwrap_or_default())
            }
        }
    }

    async fn sleep(&self, ms: f64) {
        let wait = sleep_js(ms, self.call.signal.clone(), self.cfg.sleep.clone());
        let _ = JsFuture::from(wait).await;
    }

    fn aborted(&self) -> bool {
        // A primed first attempt was started after the check, as `send` would have.
        self.primed.borrow().is_none() && self.call.signal.as_ref().is_some_and(is_aborted_js)
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn text(&self, body: JsValue) -> Option<String> {
        body.as_string()
    }
}
