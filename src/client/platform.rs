//! The Rust face's side of the transport: each attempt is a `fetch` (web-sys) under an
//! `AbortController` of its own, which the attempt's timer and the caller's signal both trip.
//! `fetch` and the body read are awaited here on plain promises, so an odd rejection value (a
//! string, an abort reason that is no `Error`) becomes a network failure, never a panic.

use std::borrow::Cow;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use crate::core::operation::Request;
use crate::core::text::find;
use crate::core::transport::{Outcome, Platform};
use crate::error::RateLimit;

/// One Rust call's platform: the caller's signal, if any.
pub struct RustPlatform<'a> {
    /// The caller's signal.
    pub signal: Option<&'a AbortSignal>,
    /// Send with `keepalive` (see `CallOptions::keepalive`).
    pub keepalive: bool,
}

impl Platform for RustPlatform<'_> {
    type Body = String;

    async fn attempt(
        &self,
        req: &Request,
        url: &str,
        headers: &[(&str, Cow<'_, str>)],
        timeout_ms: f64,
    ) -> Outcome<String> {
        if self.aborted() {
            return Outcome::Aborted;
        }
        let Ok(controller) = AbortController::new() else {
            return Outcome::Network("AbortController is not available".into());
        };
        let abort = bound(&controller, "abort");
        // From here on the guard owns the timer and the listener: whether the attempt ends or
        // its future is dropped mid-request, the timer is cleared and the listener removed,
        // and a drop aborts the fetch (and the body read) as well.
        let mut guard = AttemptGuard {
            controller,
            signal: None,
            abort,
            timer: None,
            settled: false,
        };
        if let (Some(signal), Some(abort)) = (self.signal, &guard.abort) {
            if signal
                .add_event_listener_with_callback("abort", abort)
                .is_ok()
            {
                guard.signal = Some(signal.clone());
            }
        }
        if let (Some(abort), true) = (&guard.abort, timeout_ms > 0.0) {
            guard.timer = set_timeout(abort, timeout_ms);
        }
        let signal = guard.controller.signal();
        let result = send(req, url, headers, &signal, self.keepalive).await;
        guard.settled = true;
        match result {
            Ok(outcome) => outcome,
            Err(_) if self.aborted() => Outcome::Aborted,
            // Only the timer and the caller's signal abort this controller.
            Err(_) if guard.controller.signal().aborted() => Outcome::Timeout,
            Err(message) => Outcome::Network(message),
        }
    }

    async fn sleep(&self, ms: f64) {
        // Resolves on the timer or on the caller's abort, whichever comes first; the promise's
        // own `resolve` is the callback, so no Rust closure outlives the wait. The guard clears
        // the timer and takes the listener off the caller's signal (which outlives the wait)
        // when the wait ends, and when its future is dropped mid-wait.
        let mut guard = WaitGuard {
            signal: None,
            wake: None,
            timer: None,
        };
        let wait = Promise::new(&mut |resolve, _| {
            guard.timer = set_timeout(&resolve, ms);
            if let Some(signal) = self.signal {
                if signal
                    .add_event_listener_with_callback("abort", &resolve)
                    .is_ok()
                {
                    guard.signal = Some(signal.clone());
                }
            }
            guard.wake = Some(resolve);
        });
        let _ = JsFuture::from(wait).await;
    }

    fn aborted(&self) -> bool {
        self.signal.is_some_and(AbortSignal::aborted)
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn text(&self, body: String) -> Option<String> {
        Some(body)
    }
}

/// What one attempt set up: its `AbortController`, the listener it added on the caller's
/// signal, its timer. Dropped when the attempt ends or its future is dropped (a dropped call,
/// a pager dropped mid-page, a `select!` that took another branch): the timer is cleared and
/// the listener removed either way, and an attempt that had not settled is aborted, which
/// rejects its fetch or its body read at once (as reqwest's wasm client does).
struct AttemptGuard {
    controller: AbortController,
    /// The caller's signal, when the listener was added to it.
    signal: Option<AbortSignal>,
    /// `controller.abort` bound: the timer's and the listener's callback.
    abort: Option<Function>,
    timer: Option<i32>,
    /// The attempt's future ran to its end (nothing left to abort).
    settled: bool,
}

impl Drop for AttemptGuard {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            clear_timeout(timer);
        }
        if let (Some(signal), Some(abort)) = (self.signal.take(), &self.abort) {
            let _ = signal.remove_event_listener_with_callback("abort", abort);
        }
        if !self.settled {
            self.controller.abort();
        }
    }
}

/// What one wait set up: its timer and the listener on the caller's signal, both `resolve`
/// of the wait's promise. Dropped when the wait ends or its future is dropped: the timer is
/// cleared, the listener removed, and the promise resolved (a no-op after it settled), so the
/// `JsFuture` callbacks of a dropped wait are released rather than kept for ever.
struct WaitGuard {
    /// The caller's signal, when the listener was added to it.
    signal: Option<AbortSignal>,
    wake: Option<Function>,
    timer: Option<i32>,
}

impl Drop for WaitGuard {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            clear_timeout(timer);
        }
        let Some(wake) = self.wake.take() else {
            return;
        };
        if let Some(signal) = self.signal.take() {
            let _ = signal.remove_event_listener_with_callback("abort", &wake);
        }
        let _ = wake.call0(&JsValue::UNDEFINED);
    }
}

/// Builds the request, fetches it and reads the body; `Err` is the message of a failure
/// (whatever JS rejected with).
async fn send(
    req: &Request,
    url: &str,
    headers: &[(&str, Cow<'_, str>)],
    signal: &AbortSignal,
    keepalive: bool,
) -> Result<Outcome<String>, String> {
    // `Headers.set` refuses some names and values (a space in a name, a line break in a value
    // or in the key): that refusal is a failure of this attempt, never a JS exception.
    let raw_headers = web_sys::Headers::new().map_err(|e| describe(&e))?;
    for (name, value) in headers {
        raw_headers.set(name, value).map_err(|e| describe(&e))?;
    }
    // The request is built here, from `url` as the core wrote it: gloo-net's builder would add
    // its own (empty) query to a URL that has one, sending `?a=1&`.
    let init = web_sys::RequestInit::new();
    init.set_method(req.op.method);
    init.set_headers(&raw_headers);
    init.set_signal(Some(signal));
    if let Some(body) = &req.body {
        init.set_body(&JsValue::from_str(body));
    }
    if keepalive {
        // web-sys has no setter for `keepalive`: the field set on the init object by hand.
        Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE)
            .map_err(|e| describe(&e))?;
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(|e| describe(&e))?;
    let fetch = global_fn("fetch").ok_or("No fetch: globalThis.fetch is missing")?;
    let pending = fetch
        .call1(&JsValue::UNDEFINED, &request)
        .map_err(|e| describe(&e))?;
    let raw = JsFuture::from(Promise::resolve(&pending))
        .await
        .map_err(|e| describe(&e))?;
    let raw: web_sys::Response = raw
        .dyn_into()
        .map_err(|_| String::from("fetch resolved to something that is not a Response"))?;
    let text = raw.text().map_err(|e| describe(&e))?;
    // `Promise::resolve`: a `text()` replaced by one that returns no promise must not reach
    // `JsFuture::from`, which would throw calling its `then`.
    let text = JsFuture::from(Promise::resolve(&text))
        .await
        .map_err(|e| describe(&e))?;
    let body = text.as_string().ok_or("the body is not text")?;
    // Headers matter only when the call failed: a 2xx answer reads none. They are read
    // through `Reflect` and a checked cast, so an odd `headers` object reads as none.
    let headers = Reflect::get(&raw, &JsValue::from_str("headers"))
        .ok()
        .and_then(|h| h.dyn_into::<web_sys::Headers>().ok());
    let header = |name: &str| headers.as_ref().and_then(|h| h.get(name).ok().flatten());
    let status = raw.status();
    let failed = !(200..300).contains(&status);
    Ok(Outcome::Reply {
        status,
        retry_after: failed.then(|| header("retry-after")).flatten(),
        rate_limit: failed.then(|| rate_limit(&header)).flatten(),
        body,
    })
}

/// Lago Cloud's `X-RateLimit-*` headers, when any was sent.
fn rate_limit(header: &dyn Fn(&str) -> Option<String>) -> Option<RateLimit> {
    let names = [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ];
    let values = names.map(header);
    if values.iter().all(Option::is_none) {
        return None;
    }
    // JS's `+value` (`Number()`), as the JS face's `rateLimitOf` reads them (NaN for a blank or
    // unreadable value): the same numbers on both faces, and Rust's float parser (about 9 KB of
    // code and tables) stays out of the wasm.
    let number = |v: &Option<String>| match v.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => JsValue::from_str(s).unchecked_into_f64(),
        _ => f64::NAN,
    };
    RateLimit::from_parts(&values.each_ref().map(number))
}

/// `target[name].bind(target)`, when it is a function.
fn bound(target: &JsValue, name: &str) -> Option<Function> {
    let f: Function = Reflect::get(target, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()?;
    Some(f.bind0(target))
}

/// `globalThis[name]`, when it is a function (a page, a worker or Node alike).
fn global_fn(name: &str) -> Option<Function> {
    bound(&js_sys::global(), name)
}

/// `setTimeout(callback, ms)` on whatever global this is (window or worker scope).
pub(super) fn set_timeout(callback: &Function, ms: f64) -> Option<i32> {
    if let Some(window) = web_sys::window() {
        return window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback, ms as i32)
            .ok();
    }
    let scope: web_sys::WorkerGlobalScope = js_sys::global().dyn_into().ok()?;
    scope
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback, ms as i32)
        .ok()
}

pub(super) fn clear_timeout(id: i32) {
    if let Some(window) = web_sys::window() {
        window.clear_timeout_with_handle(id);
    } else if let Ok(scope) = js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>() {
        scope.clear_timeout_with_handle(id);
    }
}

/// What JS threw or rejected with, as the JS face's `message(e)` (runtime.js) words it: the
/// message followed by each `cause`'s, `code` put first when the message lacks it, each text
/// once, at most 4 deep, joined with `: ` and cut at 300 characters. Never fails: a getter or
/// `String(e)` that throws ends the chain with `unknown error`.
fn describe(e: &JsValue) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut e = e.clone();
    for _ in 0..4 {
        if e.is_undefined() || e.is_null() {
            break;
        }
        let Some(text) = link_text(&e) else {
            parts.push("unknown error".into());
            break;
        };
        if !text.is_empty() && !parts.contains(&text) {
            parts.push(text);
        }
        if !e.is_object() {
            break;
        }
        match Reflect::get(&e, &JsValue::from_str("cause")) {
            Ok(cause) => e = cause,
            Err(_) => {
                parts.push("unknown error".into());
                break;
            }
        }
    }
    let mut text = if parts.is_empty() {
        "unknown error".into()
    } else {
        parts.join(": ")
    };
    if let Some((cut, _)) = text.char_indices().nth(300) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// One link of a cause chain: an object's `message` when it is a string (with its `code`
/// first unless the message holds it), else `String(e)`; `None` when reading it threw.
fn link_text(e: &JsValue) -> Option<String> {
    if !e.is_object() {
        return js_string(e);
    }
    let message = Reflect::get(e, &JsValue::from_str("message")).ok()?;
    let mut text = match message.as_string() {
        Some(m) => m,
        None => js_string(e)?,
    };
    let code = Reflect::get(e, &JsValue::from_str("code")).ok()?;
    if let Some(mut code) = code.as_string() {
        if find(&text, &code, 0).is_none() {
            // `${code} ${text}`.trim(), as the JS face writes it: no space when either is "".
            if !code.is_empty() && !text.is_empty() {
                code.push(' ');
            }
            code.push_str(&text);
            text = code;
        }
    }
    Some(text)
}

/// `String(e)`, as JS writes any value; `None` when it throws.
fn js_string(e: &JsValue) -> Option<String> {
    if let Some(s) = e.as_string() {
        return Some(s);
    }
    let string = global_fn("String")?;
    string.call1(&JsValue::UNDEFINED, e).ok()?.as_string()
}
