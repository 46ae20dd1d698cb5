//! Shared harness of the Rust face suites (`tests/rust_face_*.rs`): clients for the fake Lago
//! servers that tools/browser-tests.sh starts (their URLs baked in at compile time), raw
//! access to the fake's own answers and its request log through gloo-net, timers and abort
//! controllers through web-sys, and a guard that swaps `globalThis.fetch` for a stub.
#![allow(dead_code)] // each suite uses its own part of the harness

use js_sys::{Function, Promise, Reflect};
use lago_wasm::client::Pager;
use lago_wasm::models::{self, CustomerCreateInput, CustomerInput, Field, NumOrStr};
use lago_wasm::{CallOptions, Client, ClientOptions};
use serde_json::{json, Value};
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

// ---------------------------------------------------------------------------------------------
// Shared arguments: the request bodies of tests/node/every-operation-args.mjs, which the fake is
// known to accept (the every-tag suite and the writes suite send the same ones), and the
// records they make
// ---------------------------------------------------------------------------------------------

/// A string field's value ("" when absent or null, which then fails the comparison it is in).
pub fn s(field: &Field<String>) -> &str {
    field.as_deref().unwrap_or("")
}

/// A numeric field's value, whichever form (number or decimal string) Lago sent.
pub fn n(field: &Field<NumOrStr>) -> f64 {
    field
        .value()
        .and_then(NumOrStr::as_f64)
        .unwrap_or_else(|| panic!("not a number: {field:?}"))
}

/// A fresh v4-shaped UUID (the spec types a billing entity's `code` path parameter as one).
pub fn uuid() -> String {
    let hex: String = (0..32)
        .map(|_| format!("{:x}", (js_sys::Math::random() * 16.0) as u8))
        .collect();
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A customer `id` in USD with an email (payment requests need one).
pub async fn customer(lago: &Client, id: &str) -> models::CustomerResponse {
    let body = model::<models::CustomerCreateInput>(json!({"customer": {
        "external_id": id, "name": "Tags Ltd", "email": "billing@tags.test", "currency": "USD",
        "country": "FR",
    }}));
    lago.create_customer(&body)
        .await
        .unwrap_or_else(|e| panic!("create customer {id}: {e}"))
}

/// Destroys a customer a suite made (and so its subscriptions, invoices and payment requests
/// leave the lists): the suites share the server, read its customer list from the top (newest
/// first) and expect the seed's there.
pub async fn forget(lago: &Client, id: &str) {
    lago.destroy_customer(id)
        .await
        .unwrap_or_else(|e| panic!("destroy customer {id}: {e}"));
}

/// A `sum_agg` metric `code` of `calls`.
pub fn metric_body(code: &str) -> models::BillableMetricCreateInput {
    model(json!({"billable_metric": {
        "name": "Tags calls", "code": code, "aggregation_type": "sum_agg", "field_name": "calls",
    }}))
}

/// Creates [`metric_body`]; returns its `lago_id`.
pub async fn metric(lago: &Client, code: &str) -> String {
    let created = lago
        .create_billable_metric(metric_body(code))
        .await
        .expect("metric");
    created.billable_metric.lago_id
}

/// A monthly 10 USD plan `code` with a standard charge of `amount` USD a unit on `metric_id`.
pub fn plan_body(code: &str, metric_id: &str, amount: &str) -> models::PlanCreateInput {
    model(json!({"plan": {
        "name": "Tags plan", "code": code, "interval": "monthly", "amount_cents": 1000,
        "amount_currency": "USD", "pay_in_advance": false,
        "charges": [{"billable_metric_id": metric_id, "charge_model": "standard",
                     "properties": {"amount": amount}}],
    }}))
}

/// Creates [`plan_body`].
pub async fn plan(
    lago: &Client,
    code: &str,
    metric_id: &str,
    amount: &str,
) -> models::PlanResponse {
    lago.create_plan(plan_body(code, metric_id, amount))
        .await
        .expect("plan")
}

/// Customer `cust` subscribed to plan `plan` as `sub`.
pub fn subscription_body(cust: &str, plan: &str, sub: &str) -> models::SubscriptionCreateInput {
    model(json!({"subscription": {
        "external_customer_id": cust, "plan_code": plan, "external_id": sub,
    }}))
}

/// Customer `cust` subscribed as `sub` to a fresh plan `{code}_plan` charging 0.5 USD a call of
/// a fresh metric `code`.
pub async fn subscribed(lago: &Client, cust: &str, sub: &str, code: &str) {
    let metric_id = metric(lago, code).await;
    plan(lago, &format!("{code}_plan"), &metric_id, "0.5").await;
    customer(lago, cust).await;
    let body = subscription_body(cust, &format!("{code}_plan"), sub);
    lago.create_subscription(&body).await.expect("subscription");
}

/// A 15 USD add-on `code`.
pub fn add_on_body(code: &str) -> models::AddOnCreateInput {
    model(json!({"add_on": {
        "name": "Setup", "code": code, "amount_cents": 1500, "amount_currency": "USD",
    }}))
}

/// A one-off invoice for `cust` of two units of add-on `add_on`.
pub fn invoice_body(cust: &str, add_on: &str) -> models::InvoiceOneOffCreateInput {
    model(json!({"invoice": {
        "external_customer_id": cust, "currency": "USD",
        "fees": [{"add_on_code": add_on, "units": "2", "unit_amount_cents": 1500}],
    }}))
}

/// A one-off invoice of two units of a fresh 15 USD add-on for a fresh customer: (customer,
/// invoice lago_id).
pub async fn invoiced(lago: &Client, prefix: &str) -> (String, String) {
    let cust = uid(&format!("{prefix}_cust"));
    customer(lago, &cust).await;
    let add_on = uid(&format!("{prefix}_addon"));
    lago.create_add_on(add_on_body(&add_on))
        .await
        .expect("add-on");
    let invoice = lago
        .create_invoice(invoice_body(&cust, &add_on))
        .await
        .expect("invoice")
        .invoice;
    assert_eq!(s(&invoice.currency), "USD");
    (cust, invoice.lago_id)
}

/// A billing entity `code` (a UUID: see [`uuid`]).
pub fn billing_entity_body(code: &str) -> models::BillingEntityCreateInput {
    model(json!({"billing_entity": {"code": code, "name": "Tags entity"}}))
}

/// A 10% tax `code`.
pub fn tax_body(code: &str) -> models::TaxCreateInput {
    model(json!({"tax": {"name": "Tags tax", "code": code, "rate": "10.0"}}))
}

/// A feature `code`.
pub fn feature_body(code: &str) -> models::FeatureCreateInput {
    model(json!({"feature": {"code": code, "name": "Tags feature"}}))
}

/// A reusable 5 USD coupon `code`, once, never expiring.
pub fn coupon_body(code: &str) -> models::CouponCreateInput {
    model(json!({"coupon": {
        "name": "Tags coupon", "code": code, "coupon_type": "fixed_amount", "amount_cents": 500,
        "amount_currency": "USD", "frequency": "once", "expiration": "no_expiration",
        "reusable": true,
    }}))
}

/// Coupon `coupon` applied to customer `cust`.
pub fn applied_coupon_body(cust: &str, coupon: &str) -> models::AppliedCouponInput {
    model(json!({"applied_coupon": {"external_customer_id": cust, "coupon_code": coupon}}))
}

/// A standard charge `code` of 1 USD a unit on metric `metric_id`.
pub fn charge_body(metric_id: &str, code: &str) -> models::ChargeCreateInput {
    model(json!({"charge": {
        "billable_metric_id": metric_id, "code": code, "charge_model": "standard",
        "properties": {"amount": "1"},
    }}))
}

/// A charge filter on `region` = `value`, named `name`, at `amount` USD a unit.
pub fn charge_filter_body(
    name: &str,
    amount: &str,
    value: &str,
) -> models::ChargeFilterCreateInput {
    model(json!({"filter": {
        "invoice_display_name": name, "properties": {"amount": amount},
        "values": {"region": [value]},
    }}))
}

/// A fixed charge `code` of two units of add-on `add_on` at 10 USD.
pub fn fixed_charge_body(add_on: &str, code: &str) -> models::FixedChargeCreateInput {
    model(json!({"fixed_charge": {
        "add_on_code": add_on, "code": code, "charge_model": "standard", "units": "2",
        "properties": {"amount": "10"},
    }}))
}

/// A usage alert `code` at 10 USD of current usage.
pub fn subscription_alert_body(code: &str) -> models::CreateSubscriptionAlertRequest {
    model(json!({"alert": {
        "alert_type": "current_usage_amount", "code": code, "name": "Usage",
        "thresholds": [{"value": "1000"}],
    }}))
}

/// A wallet alert `code` at 5 credits left.
pub fn wallet_alert_body(code: &str) -> models::CreateCustomerWalletAlertRequest {
    model(json!({"alert": {
        "alert_type": "wallet_credits_balance", "code": code, "name": "Low",
        "thresholds": [{"value": "5"}],
    }}))
}

/// A wallet `code` of customer `cust` (at 1.5 USD a credit, 10 paid and 5 granted credits),
/// for `create_customer_wallet` (the customer is also the path's).
pub fn customer_wallet_body(cust: &str, code: &str) -> models::CustomerWalletCreateInput {
    model(json!({"wallet": {
        "external_customer_id": cust, "name": "Tags", "code": code, "rate_amount": "1.5",
        "currency": "USD", "paid_credits": "10", "granted_credits": "5",
    }}))
}

/// An empty wallet `code` of customer `cust` at 1 USD a credit, for `create_wallet`.
pub fn wallet_body(cust: &str, code: &str) -> models::WalletCreateInput {
    model(json!({"wallet": {
        "external_customer_id": cust, "name": "Tags top level", "code": code,
        "rate_amount": "1", "currency": "USD",
    }}))
}

/// A top-up of wallet `wallet_id`: 10 paid and 5 granted credits.
pub fn wallet_transaction_body(wallet_id: &str) -> models::WalletTransactionCreateInput {
    model(json!({"wallet_transaction": {
        "wallet_id": wallet_id, "paid_credits": "10", "granted_credits": "5",
    }}))
}

/// A 1 USD credit note on invoice `invoice_id`'s fee `fee_id`, all credited.
pub fn credit_note_body(invoice_id: &str, fee_id: &str) -> models::CreditNoteCreateInput {
    model(json!({"credit_note": {
        "invoice_id": invoice_id, "reason": "other", "credit_amount_cents": 100,
        "refund_amount_cents": 0, "items": [{"fee_id": fee_id, "amount_cents": 100}],
    }}))
}

/// A 1 USD manual payment of invoice `invoice_id`.
pub fn payment_body(invoice_id: &str, reference: &str) -> models::PaymentCreateInput {
    model(json!({"payment": {
        "invoice_id": invoice_id, "amount_cents": 100, "reference": reference,
    }}))
}

/// A payment request to customer `cust` for invoice `invoice_id`.
pub fn payment_request_body(cust: &str, invoice_id: &str) -> models::PaymentRequestCreateInput {
    model(json!({"payment_request": {
        "email": "billing@tags.test", "external_customer_id": cust,
        "lago_invoice_ids": [invoice_id],
    }}))
}

/// A webhook endpoint at `url`, signed with HMAC.
pub fn webhook_endpoint_body(url: &str) -> models::WebhookEndpointCreateInput {
    model(json!({"webhook_endpoint": {"webhook_url": url, "signature_algo": "hmac"}}))
}

/// An event `tx` of `calls` calls of metric `code` on subscription `sub`.
pub fn event_object(tx: &str, sub: &str, code: &str, calls: &str) -> models::EventInputObject {
    model(json!({
        "transaction_id": tx, "external_subscription_id": sub, "code": code,
        "properties": {"calls": calls},
    }))
}
