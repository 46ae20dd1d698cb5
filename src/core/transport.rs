//! Sending a [`Request`]: fetch, per-attempt timeout, abort, retries with backoff and
//! `Retry-After`, and mapping what came back to an [`Error`].
//!
//! No Rust closure is made per request: timers and abort listeners are JS functions
//! (`controller.abort.bind(controller)`, a promise's `resolve`), so nothing can leak.

use js_sys::{Function, Object, Promise, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::jsval::{self, describe};
use super::operation::Request;
use super::retry;
use crate::error::{push_num, push_request, Error, ErrorKind};

/// Client-wide settings, shared by every call of one client.
#[derive(Debug, Clone)]
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
        }
    }
}

/// Per-call overrides of [`Config`].
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// The caller's `AbortSignal`.
    pub signal: Option<JsValue>,
    pub timeout_ms: Option<f64>,
    pub max_retries: Option<u32>,
    pub headers: Vec<(String, String)>,
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// What one attempt came back with.
enum Outcome {
    Reply {
        status: u16,
        retry_after: Option<String>,
        text: JsValue,
    },
    Network(String),
    Timeout,
    Aborted,
}

/// A 2xx answer: its body as a JS string, and how many requests it took.
#[derive(Debug)]
pub struct Reply {
    pub text: JsValue,
    pub attempts: u32,
}

impl Reply {
    /// A `decode` error for this answer: `problem` says what is wrong with the body.
    pub fn decode_error(self, req: &Request, problem: &str) -> Error {
        let mut message = String::from("Unexpected response to ");
        push_request(&mut message, req.op.method, &req.path);
        message.push_str(": ");
        message.push_str(problem);
        let mut err = Error::new(ErrorKind::Decode, req.op.method, &req.path, message);
        err.attempts = self.attempts;
        err.body = self.text;
        err
    }
}

/// Sends `req` with retries and returns the 2xx body, or the final error.
pub async fn send(cfg: &Config, req: &Request, call: &CallOptions) -> Result<Reply, Error> {
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
    let fetch = match &cfg.fetch {
        Some(f) => f.clone(),
        None => match jsval::get(&js_sys::global(), "fetch") {
            Ok(f) if f.is_function() => f.into(),
            _ => {
                let msg = "No fetch: globalThis.fetch is missing; pass `fetch` in the options";
                return Err(fail(ErrorKind::Network, msg.into(), 0));
            }
        },
    };
    let url = build_url(cfg, req);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let init = build_init(cfg, req, call);
        let outcome = attempt(&fetch, &url, &init, timeout_ms, signal).await;
        let mut err = match outcome {
            Outcome::Reply { status, text, .. } if (200..300).contains(&status) => {
                return Ok(Reply { text, attempts });
            }
            Outcome::Reply {
                status,
                retry_after,
                text,
            } => http_error(req, status, retry_after, text),
            Outcome::Network(cause) => {
                let mut m = String::from("Network error on ");
                push_request(&mut m, method, &req.path);
                m.push_str(": ");
                m.push_str(&cause);
                let mut e = fail(ErrorKind::Network, m, attempts);
                e.retryable = true;
                e
            }
            Outcome::Timeout => {
                let mut m = String::from("Timed out after ");
                push_num(&mut m, timeout_ms);
                m.push_str(" ms on ");
                push_request(&mut m, method, &req.path);
                let mut e = fail(ErrorKind::Timeout, m, attempts);
                e.retryable = true;
                e
            }
            Outcome::Aborted => {
                return Err(fail(ErrorKind::Aborted, aborted_message(req), attempts))
            }
        };
        err.attempts = attempts;
        let wait = match err.retry_after_ms {
            Some(ms) => ms,
            None => retry::backoff_ms(attempts - 1, js_sys::Math::random()),
        };
        if !err.retryable || attempts > max_retries || wait > retry::MAX_RETRY_AFTER_MS {
            return Err(err);
        }
        sleep(cfg, wait, signal).await;
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

/// The `RequestInit`: method, headers and body only (no `credentials`, `mode` or
/// `referrerPolicy`: Cloudflare Workers reject them). The signal is added per attempt.
fn build_init(cfg: &Config, req: &Request, call: &CallOptions) -> Object {
    let init = Object::new();
    jsval::set(&init, "method", &JsValue::from_str(req.op.method));
    let mut headers: Vec<(&str, &str)> = vec![("accept", "application/json")];
    let bearer;
    if let Some(key) = &cfg.api_key {
        bearer = String::from("Bearer ") + key;
        headers.push(("authorization", &bearer));
    }
    if let Some(body) = &req.body {
        headers.push(("content-type", "application/json"));
        jsval::set(&init, "body", &JsValue::from_str(body));
    }
    for (name, value) in cfg.headers.iter().chain(&call.headers) {
        // Later settings win, whatever the case of the name, so no header is sent twice.
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name, value));
    }
    let h = Object::new();
    for (name, value) in headers {
        jsval::set(&h, name, &JsValue::from_str(value));
    }
    jsval::set(&init, "headers", &h);
    init
}

/// One fetch, body read included, under its own `AbortController` that the timer and the
/// caller's signal both trip.
async fn attempt(
    fetch: &Function,
    url: &str,
    init: &Object,
    timeout_ms: f64,
    signal: Option<&JsValue>,
) -> Outcome {
    let controller = match new_abort_controller() {
        Ok(c) => c,
        Err(e) => return Outcome::Network(describe(&e)),
    };
    let abort = jsval::get_fn(&controller, "abort").map(|f| f.bind0(&controller));
    if let Ok(own_signal) = jsval::get(&controller, "signal") {
        jsval::set(init, "signal", &own_signal);
    }
    if let (Some(signal), Some(abort)) = (signal, &abort) {
        listen(signal, "addEventListener", abort);
    }
    let timer = match &abort {
        Some(abort) if timeout_ms > 0.0 => Some(set_timeout(abort, timeout_ms)),
        _ => None,
    };
    let result = fetch_and_read(fetch, url, init).await;
    if let Some(timer) = timer {
        clear_timeout(&timer);
    }
    if let (Some(signal), Some(abort)) = (signal, &abort) {
        listen(signal, "removeEventListener", abort);
    }
    match result {
        Ok(outcome) => outcome,
        Err(_) if is_aborted(signal) => Outcome::Aborted,
        Err(_) if is_aborted(jsval::get(&controller, "signal").ok().as_ref()) => Outcome::Timeout,
        Err(e) => Outcome::Network(describe(&e)),
    }
}

async fn fetch_and_read(fetch: &Function, url: &str, init: &Object) -> Result<Outcome, JsValue> {
    let pending = fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init)?;
    let response = JsFuture::from(Promise::resolve(&pending)).await?;
    let status = jsval::get(&response, "status")?.as_f64().unwrap_or(0.0);
    if !(100.0..=599.0).contains(&status) || status.fract() != 0.0 {
        return Ok(Outcome::Network(
            "fetch resolved to something that is not a Response".into(),
        ));
    }
    let retry_after = header(&response, "retry-after");
    let text_fn: Function = jsval::get(&response, "text")?.dyn_into()?;
    let text = JsFuture::from(Promise::resolve(&text_fn.call0(&response)?)).await?;
    Ok(Outcome::Reply {
        status: status as u16,
        retry_after,
        text,
    })
}

fn header(response: &JsValue, name: &str) -> Option<String> {
    let headers = jsval::get(response, "headers").ok()?;
    let get = jsval::get_fn(&headers, "get")?;
    get.call1(&headers, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

fn new_abort_controller() -> Result<JsValue, JsValue> {
    let ctor: Function = jsval::get(&js_sys::global(), "AbortController")?.dyn_into()?;
    js_sys::Reflect::construct(&ctor, &js_sys::Array::new())
}

/// `signal.addEventListener("abort", f)` or its removal; a signal that cannot do it is ignored
/// here (options checking refused anything that is not an AbortSignal-like object).
fn listen(signal: &JsValue, method: &str, f: &Function) {
    if let Some(m) = jsval::get_fn(signal, method) {
        let _ = m.call2(signal, &JsValue::from_str("abort"), f);
    }
}

fn is_aborted(signal: Option<&JsValue>) -> bool {
    signal.is_some_and(|s| jsval::get(s, "aborted").is_ok_and(|a| a.is_truthy()))
}

/// Waits `ms` between attempts, or less if the caller aborts.
async fn sleep(cfg: &Config, ms: f64, signal: Option<&JsValue>) {
    let signal_arg = signal.cloned().unwrap_or(JsValue::UNDEFINED);
    if let Some(custom) = &cfg.sleep {
        if let Ok(p) = custom.call2(&JsValue::UNDEFINED, &JsValue::from_f64(ms), &signal_arg) {
            let _ = JsFuture::from(Promise::resolve(&p)).await;
        }
        return;
    }
    let mut timer = JsValue::UNDEFINED;
    let mut wake = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        timer = set_timeout(&resolve, ms);
        if let Some(signal) = signal {
            listen(signal, "addEventListener", &resolve);
        }
        wake = Some(resolve);
    });
    let _ = JsFuture::from(promise).await;
    clear_timeout(&timer);
    if let (Some(signal), Some(wake)) = (signal, &wake) {
        listen(signal, "removeEventListener", wake);
    }
}

/// Maps a non-2xx reply: Lago's `code`, `error` and `error_details` when the body has them.
fn http_error(req: &Request, status: u16, retry_after: Option<String>, text: JsValue) -> Error {
    let body = match JSON::parse(&text.as_string().unwrap_or_default()) {
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
