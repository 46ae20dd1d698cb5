//! The JS face's side of the transport: its settings (the caller's `fetch` and `sleep`), and
//! how a call runs: `runtime.js` makes the attempts and the waits between them, and asks the
//! core's retry decisions ([`Attempts`]) through [`Calls::step`] after any attempt that did not
//! settle the call. So a call costs wasm no future and no closure; when the first answer is a
//! good 2xx body, JS settles it and only tells wasm to drop the parked call.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::thread::LocalKey;

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;

use super::jsval;
use super::lago_error::into_js;
use crate::core::operation::Request;
use crate::core::schema::Shape;
use crate::core::transport::{
    decode_error, header_list, url, Attempts, Next, Outcome, Overrides, Progress, Settings,
};
use crate::error::{Error, ErrorKind, RateLimit};

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
    headers_cache: [Cell<Option<Object>>; 2],
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
    /// Runs a call in JS: its attempts and the waits between them, asking `calls.step` after
    /// each attempt that did not settle it (see `runtime.js`).
    #[wasm_bindgen(js_name = run)]
    fn run_js(
        pending: f64,
        fetch: &Function,
        url: &JsValue,
        method: &JsValue,
        headers: &Object,
        body: &JsValue,
        timeout_ms: f64,
        signal: Option<JsValue>,
        shape: &JsValue,
        sleep: Option<Function>,
    ) -> Promise;
    #[wasm_bindgen(js_name = isAborted)]
    fn is_aborted_js(signal: &JsValue) -> bool;
    // Only JS values and numbers in these imports (`undefined` for none, ids as f64): the glue
    // then imports them as they are, with no wrapper converting arguments.
    #[wasm_bindgen(js_name = globalFetch)]
    fn global_fetch() -> JsValue;
    #[wasm_bindgen(js_name = redactError)]
    fn redact_error_js(e: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = now)]
    fn now() -> f64;
    #[wasm_bindgen(js_name = random)]
    fn random() -> f64;
}

const NETWORK: u8 = 1;
const TIMEOUT: u8 = 2;
const ABORTED: u8 = 3;

impl JsConfig {
    fn headers(&self, overrides: &Overrides, has_body: bool, text: bool) -> Object {
        let build = || {
            let h = Object::new();
            for (name, value) in header_list(&self.settings, overrides, has_body, text) {
                jsval::set(&h, name, &JsValue::from_str(&value));
            }
            h
        };
        if !overrides.headers.is_empty() || text {
            return build();
        }
        // A `Cell` taken and put back rather than a `OnceCell`, whose reentrant-init panic
        // (and its message) would be in the wasm for this one use.
        let cell = &self.headers_cache[usize::from(has_body)];
        let headers = cell.take().unwrap_or_else(build);
        cell.set(Some(headers.clone()));
        headers
    }
}

/// Starts a checked call: its attempts run in JS (`runtime.js`), which settles a good 2xx body
/// itself (the common case: wasm only drops the parked call) and asks [`Calls::step`] after any
/// other outcome. A call without a fetch, or whose caller has already aborted, is refused
/// here, as nothing can be sent.
pub fn start(cfg: Rc<JsConfig>, req: Request, call: JsCall) -> Promise {
    let attempts = Attempts::new(&cfg.settings, &req, &call.overrides, Progress::default());
    let Some(fetch) = cfg.fetch.clone().or_else(|| jsval::as_fn(global_fetch())) else {
        let msg = "No fetch: globalThis.fetch is missing; pass `fetch` in the options";
        return Promise::reject(
            &Error::new(ErrorKind::Network, req.op.method, &req.path, msg.into()).into(),
        );
    };
    if call.signal.as_ref().is_some_and(is_aborted_js) {
        return Promise::reject(&attempts.aborted().into());
    }
    let timeout_ms = attempts.timeout_ms;
    let headers = cfg.headers(&call.overrides, req.body.is_some(), req.op.answer.is_text());
    let url = url(&cfg.settings, &req);
    let (method, shape) = op_strings(req.op.method, req.op.answer);
    let (body, signal, sleep) = (call.body.clone(), call.signal.clone(), cfg.sleep.clone());
    let id = park(Pending {
        cfg,
        req,
        call,
        progress: Progress::default(),
    });
    run_js(
        id.into(),
        &fetch,
        &JsValue::from_str(&url),
        &method,
        &headers,
        &body,
        timeout_ms,
        signal,
        &shape,
        sleep,
    )
}

/// `runtime.js`'s `[limit, remaining, reset]` (NaN where missing), or `null` when no header was
/// sent. Read here rather than taken as a `Vec<f64>`, whose copy in costs the glue two helpers.
fn rate_limit_of(parts: &JsValue) -> Option<RateLimit> {
    let parts = jsval::array_items(parts).ok()??;
    let n = |i: usize| parts.get(i).and_then(jsval::number).unwrap_or(f64::NAN);
    (parts.len() == 3)
        .then(|| RateLimit::from_parts(&[n(0), n(1), n(2)]))
        .flatten()
}

/// What `parseBody` (in `runtime.js`) answered, in words.
fn decode_problem(problem: u8) -> &'static str {
    match problem {
        1 => "the body is not text",
        2 => "the body is not valid JSON",
        3 => "the body is not a JSON object",
        4 => "the expected top-level object is missing",
        5 => "the expected top-level array is missing",
        _ => "the pagination meta object is missing",
    }
}

/// A call whose attempts JS is making, parked here under a number meanwhile: JS drops it when
/// a good 2xx body settled it, or asks [`Calls::step`] after any other outcome. A number
/// rather than a wasm-bindgen object: no JS wrapper and no FinalizationRegistry entry per call.
pub struct Pending {
    cfg: Rc<JsConfig>,
    req: Request,
    call: JsCall,
    /// The attempts so far.
    progress: Progress,
}

thread_local! {
    /// The parked calls (their slots reused) and the free slots.
    static PENDING: RefCell<(Vec<Option<Pending>>, Vec<u32>)> =
        const { RefCell::new((Vec::new(), Vec::new())) };
    /// Whether `runtime.js` has been handed [`Calls`].
    static HOOKED: Cell<bool> = const { Cell::new(false) };
}

/// The way back into parked calls that `runtime.js` is handed once: an exported struct rather
/// than closures, so neither the wasm nor the glue carries wasm-bindgen's closure machinery.
#[wasm_bindgen(skip_typescript)]
pub struct Calls;

#[wasm_bindgen]
impl Calls {
    /// After an attempt of parked call `id` that did not settle it: the ms to wait before the
    /// next attempt (the call stays parked), or the `LagoError` to reject with (the call is
    /// dropped). The arguments are one of `runtime.js`'s attempt outcomes, spread (one
    /// crossing, instead of one per field read), then `problem`: `failure` is 0 for a
    /// reply, else [`NETWORK`], [`TIMEOUT`], [`ABORTED`] or 4 (aborted in the wait);
    /// `retry_after` and `rate_limit` (`[limit, remaining, reset]`, NaN where missing) are
    /// read on non-2xx answers only; `text` is the body, a JS string; `message` and `cause`
    /// describe a network failure; `problem` is what `parseBody` found wrong with a 2xx body
    /// (1 to 6), else 0.
    #[allow(clippy::too_many_arguments)]
    pub fn step(
        &self,
        id: u32,
        failure: u8,
        status: u16,
        retry_after: JsValue,
        rate_limit: JsValue,
        text: JsValue,
        message: JsValue,
        mut cause: JsValue,
        problem: u8,
    ) -> JsValue {
        let Some(mut pending) = unpark(id) else {
            return JsValue::from_str("lago-wasm: no such call");
        };
        let Pending { cfg, req, call, .. } = &pending;
        let mut attempts = Attempts::new(&cfg.settings, req, &call.overrides, pending.progress);
        let outcome = match failure {
            0 => Outcome::Reply {
                status,
                retry_after: retry_after.as_string(),
                rate_limit: rate_limit_of(&rate_limit),
                body: text,
            },
            NETWORK => Outcome::Network(message.as_string().unwrap_or_default()),
            TIMEOUT => Outcome::Timeout,
            ABORTED => Outcome::Aborted,
            // 4: the caller aborted during the wait, before an attempt was made.
            _ => return attempts.aborted().into(),
        };
        if failure != NETWORK {
            cause = JsValue::UNDEFINED;
        }
        let next = attempts.after(outcome, |body| body.as_string(), random, now);
        match next {
            // A 2xx answer whose body JS refused (not JSON, or not the operation's shape).
            Next::Done(reply) => {
                let text = reply.body.as_string();
                let err = decode_error(
                    &cfg.settings,
                    req,
                    reply.attempts,
                    decode_problem(problem),
                    text.as_deref(),
                );
                err.into()
            }
            Next::Fail(err) => {
                let cause = match &cfg.settings.api_key {
                    Some(key) if !cause.is_undefined() => {
                        redact_error_js(&cause, &JsValue::from_str(key))
                    }
                    _ => cause,
                };
                into_js(err, cause)
            }
            Next::Retry(ms) => {
                pending.progress = attempts.progress;
                repark(id, pending);
                JsValue::from_f64(ms)
            }
        }
    }

    /// Drops parked call `id`: a good 2xx body settled it in JS.
    pub fn drop(&self, id: u32) {
        drop(unpark(id));
    }
}

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = setCalls)]
    fn set_calls(calls: Calls);
}

/// `f` on the value of a thread-local `RefCell`; `None` if it were already borrowed (or the
/// thread were exiting). `with` and `borrow_mut` would panic instead, with formatted messages:
/// `core::fmt` code in the npm wasm (0.6 KB of its gzip with `THROWN`'s lazy static).
pub fn with_mut<T, R>(
    key: &'static LocalKey<RefCell<T>>,
    f: impl FnOnce(&mut T) -> R,
) -> Option<R> {
    key.try_with(|cell| cell.try_borrow_mut().ok().map(|mut v| f(&mut v)))
        .ok()
        .flatten()
}

/// Parks `pending`; its number goes to JS (`u32::MAX`, which names no call, if the parked
/// calls could not be reached: never, as nothing borrows them across a call into JS).
fn park(pending: Pending) -> u32 {
    if !HOOKED.try_with(|h| h.replace(true)).unwrap_or(false) {
        set_calls(Calls);
    }
    with_mut(&PENDING, |(slots, free)| {
        // (`get_mut`, not indexing: no bounds-check panic path in the wasm.)
        if let Some(id) = free.pop() {
            if let Some(slot) = slots.get_mut(id as usize) {
                *slot = Some(pending);
                return id;
            }
        }
        slots.push(Some(pending));
        (slots.len() - 1) as u32
    })
    .unwrap_or(u32::MAX)
}

/// Takes parked call `id` out (at most once), freeing its slot.
fn unpark(id: u32) -> Option<Pending> {
    with_mut(&PENDING, |(slots, free)| {
        let pending = slots.get_mut(id as usize)?.take()?;
        free.push(id);
        Some(pending)
    })
    .flatten()
}

/// Puts a call taken out by [`unpark`] back under the same number (JS still holds it).
fn repark(id: u32, pending: Pending) {
    with_mut(&PENDING, |(slots, free)| {
        free.retain(|&f| f != id);
        if let Some(slot) = slots.get_mut(id as usize) {
            *slot = Some(pending);
        }
    });
}

thread_local! {
    /// Each operation's method and answer shape as JS strings (by where its answer is in the
    /// blob, one per operation), made on its first call.
    static OP_STRINGS: RefCell<Vec<(usize, JsValue, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// An operation's method and answer shape as JS strings: made once per operation, not once per
/// call. The shape is spelled as `parseBody` in `runtime.js` reads it: each alternative's kind
/// letter and `:key` (none for text), joined by `|`; `""` for no content.
fn op_strings(method: &str, answer: Shape) -> (JsValue, JsValue) {
    let cached = with_mut(&OP_STRINGS, |cache| {
        let (_, m, s) = cache.iter().find(|(k, _, _)| *k == answer.addr())?;
        Some((m.clone(), s.clone()))
    });
    if let Some(Some(strings)) = cached {
        return strings;
    }
    let mut shape = String::new();
    for (kind, key) in answer.alternatives() {
        if !shape.is_empty() {
            shape.push('|');
        }
        shape.push(char::from(kind));
        if kind != b't' {
            shape.push(':');
            shape.push_str(key);
        }
    }
    let (m, s) = (JsValue::from_str(method), JsValue::from_str(&shape));
    with_mut(&OP_STRINGS, |cache| {
        cache.push((answer.addr(), m.clone(), s.clone()))
    });
    (m, s)
}
