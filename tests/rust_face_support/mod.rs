//! Shared harness of the Rust face suites (`tests/rust_face_*.rs`): clients for the fake Lago
//! servers that tools/browser-tests.sh starts (their URLs baked in at compile time), raw
//! access to the fake's own answers and its request log through gloo-net, timers and abort
//! controllers through web-sys, and a guard that swaps `globalThis.fetch` for a stub.
#![allow(dead_code)] // each suite uses its own part of the harness

use js_sys::{Function, Promise, Reflect};
use lago_wasm::client::Pager;
use lago_wasm::models::{self, CustomerCreateInput, CustomerInput};
use lago_wasm::{CallOptions, Client, ClientOptions};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

/// The key the fake servers accept.
pub const KEY: &str = "lago-demo-key";

const URL: Option<&str> = option_env!("FAKE_LAGO_URL");
const RL_URL: Option<&str> = option_env!("FAKE_LAGO_RL_URL");
const CLOSED_URL: Option<&str> = option_env!("FAKE_LAGO_CLOSED_URL");

/// The plain fake server (no rate limit).
pub fn server() -> &'static str {
    URL.expect("FAKE_LAGO_URL is not set: run these tests with tools/browser-tests.sh")
}

/// The fake server started with `--rate-limit=5,10`.
pub fn rl_server() -> &'static str {
    RL_URL.expect("FAKE_LAGO_RL_URL is not set: run these tests with tools/browser-tests.sh")
}

/// A URL where nothing listens (a fake server's port, after it stopped).
pub fn closed_server() -> &'static str {
    CLOSED_URL.unwrap_or("http://127.0.0.1:9")
}

/// Client options for `server`'s API, with the demo key and no retries beyond the default.
pub fn options(server: &str) -> ClientOptions {
    ClientOptions {
        api_key: Some(KEY.into()),
        base_url: format!("{server}/api/v1"),
        ..Default::default()
    }
}

/// A client of the plain fake server.
pub fn client() -> Client {
    Client::new(options(server()))
}

/// A client of the plain fake server with `edit` applied to its options.
pub fn client_with(edit: impl FnOnce(&mut ClientOptions)) -> Client {
    let mut options = options(server());
    edit(&mut options);
    Client::new(options)
}

/// A fresh id, unique across test runs and browsers (both share one server).
pub fn uid(prefix: &str) -> String {
    let n = (js_sys::Math::random() * 1e12) as u64;
    format!("{prefix}_{n:x}")
}

/// Call options that tag every request with `x-test-id: tag`, so the fake's request log can
/// be filtered to this call's requests.
pub fn tagged(tag: &str) -> CallOptions {
    CallOptions {
        headers: vec![("x-test-id".into(), tag.into())],
        ..Default::default()
    }
}

/// Call options that tag the requests and ask the fake for `fault` (`X-Fake-Fault`).
pub fn faulted(tag: &str, fault: &str) -> CallOptions {
    let mut call = tagged(tag);
    call.headers.push(("x-fake-fault".into(), fault.into()));
    call
}

/// `GET|POST|DELETE {server}{path}` with the key, as JSON (an admin route, or an API route
/// read raw to compare with what the typed client decoded).
pub async fn raw(server: &str, method: &str, path: &str) -> Value {
    let url = format!("{server}{path}");
    let builder = match method {
        "POST" => gloo_net::http::Request::post(&url),
        "DELETE" => gloo_net::http::Request::delete(&url),
        _ => gloo_net::http::Request::get(&url),
    };
    let response = builder
        .header("authorization", &format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let text = response.text().await.expect("body text");
    assert!(
        response.ok(),
        "{method} {path}: {} {text}",
        response.status()
    );
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
}

/// The fake's answer to `GET /api/v1{path}`, raw.
pub async fn api_json(path: &str) -> Value {
    raw(server(), "GET", &format!("/api/v1{path}")).await
}

/// The logged requests carrying `x-test-id: tag`, oldest first.
pub async fn logged(server: &str, tag: &str) -> Vec<Value> {
    let Value::Array(entries) = raw(server, "GET", "/admin/requests").await else {
        panic!("/admin/requests is not an array");
    };
    entries
        .into_iter()
        .filter(|e| e["headers"]["x-test-id"] == tag)
        .collect()
}

/// The statuses the logged requests tagged `tag` got, oldest first (0 for a dropped one).
pub async fn statuses(server: &str, tag: &str) -> Vec<u64> {
    logged(server, tag)
        .await
        .iter()
        .map(|e| e["status"].as_u64().unwrap_or(0))
        .collect()
}

/// `serde_json::to_value`, for comparing a typed answer with the raw one.
pub fn json_of<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a model serializes")
}

/// Unix time in ms.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// `setTimeout(callback, ms)` on the window.
pub fn set_timeout(callback: &Function, ms: i32) {
    web_sys::window()
        .expect("a window")
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback, ms)
        .expect("setTimeout");
}

/// Waits `ms` of real time.
pub async fn sleep(ms: i32) {
    let wait = Promise::new(&mut |resolve, _| set_timeout(&resolve, ms));
    JsFuture::from(wait).await.expect("a timer never rejects");
}

/// `controller.abort(...reason)` bound, to hand to a timer.
pub fn abort_fn(controller: &AbortController, reason: Option<&JsValue>) -> Function {
    let abort: Function = Reflect::get(controller, &"abort".into())
        .expect("abort")
        .unchecked_into();
    match reason {
        Some(reason) => JsValue::from(abort.bind1(controller, reason)).unchecked_into(),
        None => JsValue::from(abort.bind0(controller)).unchecked_into(),
    }
}

/// Aborts `controller` after `ms` (with `reason` when given).
pub fn abort_later(controller: &AbortController, reason: Option<&JsValue>, ms: i32) {
    set_timeout(&abort_fn(controller, reason), ms);
}

/// Call options whose signal is `controller`'s.
pub fn with_signal(mut call: CallOptions, controller: &AbortController) -> CallOptions {
    call.signal = Some(controller.signal());
    call
}

/// Replaces `globalThis.fetch` with `stub` until dropped (then the real one is back).
pub struct FetchStub {
    original: JsValue,
    _stub: Closure<dyn FnMut(JsValue) -> JsValue>,
}

impl FetchStub {
    /// Installs `stub` as `globalThis.fetch`; it gets the `Request` and returns what fetch
    /// would (normally a promise).
    pub fn install(stub: impl FnMut(JsValue) -> JsValue + 'static) -> FetchStub {
        let stub = Closure::<dyn FnMut(JsValue) -> JsValue>::new(stub);
        let value = stub.as_ref().clone();
        FetchStub::install_value(&value, stub)
    }

    /// Installs any value as `globalThis.fetch` (a function that throws, a non-function...).
    pub fn install_raw(value: &JsValue) -> FetchStub {
        let unused = Closure::<dyn FnMut(JsValue) -> JsValue>::new(|_| JsValue::UNDEFINED);
        FetchStub::install_value(value, unused)
    }

    fn install_value(value: &JsValue, stub: Closure<dyn FnMut(JsValue) -> JsValue>) -> FetchStub {
        let global = js_sys::global();
        let original = Reflect::get(&global, &"fetch".into()).expect("globalThis.fetch");
        Reflect::set(&global, &"fetch".into(), value).expect("replace fetch");
        FetchStub {
            original,
            _stub: stub,
        }
    }
}

impl Drop for FetchStub {
    fn drop(&mut self) {
        let _ = Reflect::set(&js_sys::global(), &"fetch".into(), &self.original);
    }
}

/// A real `Response` with `body` and `status` (built with the page's own constructor).
pub fn response(body: &str, status: u16) -> JsValue {
    let init = js_sys::Object::new();
    Reflect::set(&init, &"status".into(), &status.into()).expect("init.status");
    let ctor: Function = Reflect::get(&js_sys::global(), &"Response".into())
        .expect("Response")
        .unchecked_into();
    let args = js_sys::Array::of2(&body.into(), &init);
    Reflect::construct(&ctor, &args).expect("new Response")
}

/// The `authorization` header of the `Request` a stub got.
pub fn authorization(request: &JsValue) -> String {
    request
        .dyn_ref::<web_sys::Request>()
        .and_then(|r| r.headers().get("authorization").ok().flatten())
        .unwrap_or_default()
}

/// No call options.
pub fn none() -> CallOptions {
    CallOptions::default()
}

/// Creates a customer `id` (in `currency`) and returns what the fake answered.
pub async fn create(lago: &Client, id: &str, currency: &str) -> models::CustomerResponse {
    let customer = CustomerInput {
        external_id: id.into(),
        name: format!("Rust face {id}").into(),
        currency: currency.to_string().into(),
        ..Default::default()
    };
    let body = CustomerCreateInput {
        customer,
        ..Default::default()
    };
    lago.create_customer(&body)
        .await
        .unwrap_or_else(|e| panic!("create {id}: {e}"))
}

/// A model from a JSON literal (the models are plain serde types).
pub fn model<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid model literal")
}

/// Every item of a pager.
pub async fn collect<T: serde::de::DeserializeOwned + 'static, Q>(
    mut pager: Pager<T, Q>,
) -> Vec<T> {
    let mut items = Vec::new();
    while let Some(item) = pager.next().await {
        items.push(item.unwrap_or_else(|e| panic!("pager: {e}")));
    }
    items
}

// ---------------------------------------------------------------------------------------------
// Watching what a call sets up: its timers, its listeners on the caller's signal, its requests
// ---------------------------------------------------------------------------------------------

/// Polls `future` once (a call's first poll sends its first request), with this task's waker.
pub async fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut *future).poll(cx))).await
}

/// Drives `future` until `until` is ready (`None`), or `future` ends first (`Some` of its
/// output); `future` is left where it got to, for a test to drop it there.
pub async fn drive_until<F: Future + Unpin>(
    future: &mut F,
    until: impl Future<Output = ()>,
) -> Option<F::Output> {
    let mut until = Box::pin(until);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(out) = Pin::new(&mut *future).poll(cx) {
            return Poll::Ready(Some(out));
        }
        until.as_mut().poll(cx).map(|()| None)
    })
    .await
}

/// Polls `check` every 10 ms until it holds, for at most 5 s (then panics naming `what`).
pub async fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let started = now();
    while !check() {
        assert!(now() - started < 5000.0, "waited 5 s for {what}");
        sleep(10).await;
    }
}

/// The logged requests tagged `tag`, once there are `n` of them (at most 5 s).
pub async fn wait_logged(server: &str, tag: &str, n: usize) -> Vec<Value> {
    let started = now();
    loop {
        let entries = logged(server, tag).await;
        if entries.len() >= n {
            return entries;
        }
        assert!(
            now() - started < 5000.0,
            "waited 5 s for {n} requests tagged {tag}"
        );
        sleep(20).await;
    }
}

/// Counts the `abort` listeners added to and removed from one `AbortSignal`, by replacing its
/// `addEventListener` and `removeEventListener` with counting wrappers (own properties of that
/// signal object: other signals are untouched).
pub struct ListenerWatch {
    state: JsValue,
}

impl ListenerWatch {
    /// Starts counting on `signal`.
    pub fn install(signal: &web_sys::AbortSignal) -> ListenerWatch {
        let install = Function::new_with_args(
            "signal",
            r#"const add = signal.addEventListener, remove = signal.removeEventListener;
            const state = { added: 0, live: new Set() };
            signal.addEventListener = function (type, fn, ...rest) {
              if (type === "abort") { state.added++; state.live.add(fn); }
              return add.call(this, type, fn, ...rest);
            };
            signal.removeEventListener = function (type, fn, ...rest) {
              if (type === "abort") state.live.delete(fn);
              return remove.call(this, type, fn, ...rest);
            };
            state.liveCount = () => state.live.size;
            return state;"#,
        );
        let state = install
            .call1(&JsValue::UNDEFINED, signal)
            .expect("wrap the signal");
        ListenerWatch { state }
    }

    /// `abort` listeners added so far.
    pub fn added(&self) -> u32 {
        let added = Reflect::get(&self.state, &"added".into()).expect("added");
        added.as_f64().expect("a count") as u32
    }

    /// `abort` listeners added and not removed.
    pub fn live(&self) -> u32 {
        let count: Function = Reflect::get(&self.state, &"liveCount".into())
            .expect("liveCount")
            .unchecked_into();
        let live = count.call0(&self.state).expect("liveCount()");
        live.as_f64().expect("a count") as u32
    }
}

/// Records every `setTimeout` and `clearTimeout` of the page (the Rust face's timers go through
/// `window.setTimeout`) until dropped: each timer's delay and whether it is live, fired or
/// cleared. A test-only hook that tells when a call's backoff wait has started (its timer is
/// set as the wait's first step) and that a dropped call left no timer behind.
pub struct TimerWatch {
    state: JsValue,
}

impl TimerWatch {
    /// Starts recording.
    pub fn install() -> TimerWatch {
        let install = Function::new_no_args(
            r#"const w = globalThis, set = w.setTimeout, clear = w.clearTimeout;
            const timers = new Map();
            w.setTimeout = function (fn, delay, ...args) {
              let id;
              const call = typeof fn !== "function" ? fn : function (...a) {
                const t = timers.get(id);
                if (t && t.state === "live") t.state = "fired";
                return fn.apply(this, a);
              };
              id = set.call(w, call, delay, ...args);
              timers.set(id, { delay: Number(delay), state: "live" });
              return id;
            };
            w.clearTimeout = function (id) {
              const t = timers.get(id);
              if (t && t.state === "live") t.state = "cleared";
              return clear.call(w, id);
            };
            return {
              restore() { w.setTimeout = set; w.clearTimeout = clear; },
              // The ids of the timers set with `delay`, oldest first.
              withDelay(delay) {
                return [...timers].filter(([, t]) => t.delay === delay).map(([id]) => id);
              },
              state(id) { return timers.get(id)?.state ?? "unknown"; },
            };"#,
        );
        let state = install.call0(&JsValue::UNDEFINED).expect("wrap setTimeout");
        TimerWatch { state }
    }

    fn method(&self, name: &str) -> Function {
        Reflect::get(&self.state, &name.into())
            .expect("a TimerWatch method")
            .unchecked_into()
    }

    /// The ids of the timers set with `delay` ms so far, oldest first.
    pub fn with_delay(&self, delay: f64) -> Vec<f64> {
        let ids = self
            .method("withDelay")
            .call1(&self.state, &delay.into())
            .expect("withDelay");
        js_sys::Array::from(&ids)
            .iter()
            .filter_map(|id| id.as_f64())
            .collect()
    }

    /// `live`, `fired` or `cleared`.
    pub fn state(&self, id: f64) -> String {
        self.method("state")
            .call1(&self.state, &id.into())
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }

    /// Waits until a timer of `delay` ms is set (at most 5 s) and returns its id.
    pub async fn wait_for_delay(&self, delay: f64) -> f64 {
        let mut found = None;
        wait_for(&format!("a {delay} ms timer"), || {
            found = self.with_delay(delay).last().copied();
            found.is_some()
        })
        .await;
        found.expect("found")
    }
}

impl Drop for TimerWatch {
    fn drop(&mut self) {
        let _ = self.method("restore").call0(&self.state);
    }
}

/// The one request tagged `tag` reached the fake and was never answered, even once its
/// `latency_ms` fault ran out: the browser closed the connection first (an aborted fetch), and
/// the fake's handler was dropped before it answered (its log keeps `status: null`).
pub async fn assert_closed_unanswered(server: &str, tag: &str, latency_ms: i32) {
    let requests = wait_logged(server, tag, 1).await;
    assert_eq!(requests.len(), 1, "{requests:?}");
    sleep(latency_ms + 500).await;
    let statuses = statuses(server, tag).await;
    assert_eq!(
        statuses,
        [0],
        "the request was never answered: {statuses:?}"
    );
}

/// The `api_calls` units of `sub_acme_corp_1`'s current usage.
pub async fn api_calls_units() -> f64 {
    let usage = client()
        .find_customer_current_usage("acme_corp", "sub_acme_corp_1")
        .await
        .unwrap_or_else(|e| panic!("current usage: {e}"));
    let usage = json_of(&usage);
    let charges = usage["customer_usage"]["charges_usage"].as_array().unwrap();
    let charge = charges
        .iter()
        .find(|c| c["billable_metric"]["code"] == "api_calls")
        .expect("an api_calls charge");
    match &charge["units"] {
        serde_json::Value::String(s) => s.parse().unwrap(),
        other => other.as_f64().unwrap(),
    }
}
