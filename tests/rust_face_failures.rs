//! The Rust face when things go wrong, in headless Chromium and Firefox over real HTTP against
//! the fake Lago servers: every error kind, retries and `Retry-After`, rate limits (against the
//! fake started with `--rate-limit=5,10`), timeouts, aborts (web-sys `AbortController`s), no
//! panic path for odd JS values (a stubbed `globalThis.fetch`), and the API key never shown.
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use js_sys::{Object, Promise, Reflect};
use lago_wasm::models::{CustomerCreateInput, CustomerInput};
use lago_wasm::{CallOptions, Client, ClientOptions, Error, ErrorKind};
use rust_face_support::*;
use serde_json::json;
use std::cell::RefCell;
use std::future::{Future, IntoFuture};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use wasm_bindgen_test::*;
use web_sys::AbortController;

wasm_bindgen_test_configure!(run_in_browser);

/// A client of the plain fake server that never retries.
fn once() -> Client {
    client_with(|o| o.max_retries = 0)
}

async fn find_err(lago: &Client, call: &CallOptions) -> Error {
    lago.find_customer("acme_corp")
        .options(call)
        .await
        .expect_err("the call must fail")
}

// ---------------------------------------------------------------------------------------------
// Error kinds
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn http_404_carries_lagos_code() {
    let e = client()
        .find_customer("no_such_customer")
        .await
        .expect_err("404");
    assert_eq!(e.kind, ErrorKind::Http);
    assert_eq!(e.status, Some(404));
    assert_eq!(e.code.as_deref(), Some("customer_not_found"));
    assert_eq!(e.error.as_deref(), Some("Not Found"));
    assert_eq!(e.attempts, 1);
    assert!(!e.retryable);
    assert_eq!(e.method, "GET");
    assert_eq!(e.path, "/customers/no_such_customer");
    let api = e.api_error().expect("Lago's error body");
    assert_eq!(api.code.as_deref(), Some("customer_not_found"));
    assert!(e.to_string().contains("customer_not_found"), "{e}");
}

#[wasm_bindgen_test]
async fn http_422_carries_details() {
    let body = CustomerCreateInput {
        customer: CustomerInput {
            external_id: uid("rf_422"),
            email: "not-an-email".to_string().into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let e = client().create_customer(&body).await.expect_err("422");
    assert_eq!(e.status, Some(422));
    assert_eq!(e.code.as_deref(), Some("validation_errors"));
    assert_eq!(
        e.details(),
        Some(json!({"email": ["invalid_email_format"]}))
    );
    assert_eq!(e.body_json().expect("JSON body")["status"], 422);
    assert!(!e.retryable);
    assert_eq!(e.attempts, 1);
}

#[wasm_bindgen_test]
async fn a_closed_port_is_a_network_error_retried() {
    let lago = Client::new(ClientOptions {
        max_retries: 1,
        ..options(closed_server())
    });
    let e = find_err(&lago, &CallOptions::default()).await;
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(e.attempts, 2);
    assert!(e.retryable);
    assert_eq!(e.status, None);
    assert!(
        e.message
            .starts_with("Network error on GET /customers/acme_corp"),
        "{e}"
    );
}

#[wasm_bindgen_test]
async fn a_dropped_connection_is_a_network_error() {
    let tag = uid("drop");
    let e = find_err(&once(), &faulted(&tag, "drop")).await;
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(e.attempts, 1);
    // One attempt of ours; the browser may resend a GET whose connection dropped on its own.
    let statuses = statuses(server(), &tag).await;
    assert!(
        !statuses.is_empty() && statuses.iter().all(|s| *s == 0),
        "{statuses:?}"
    );
}

#[wasm_bindgen_test]
async fn server_latency_beyond_the_timeout_is_a_timeout() {
    let tag = uid("timeout");
    let lago = client_with(|o| {
        o.timeout_ms = 100;
        o.max_retries = 0;
    });
    let started = now();
    let e = find_err(&lago, &faulted(&tag, "latency=1500")).await;
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert_eq!(e.attempts, 1);
    assert!(e.retryable);
    assert!(
        now() - started < 1400.0,
        "the timer, not the server, ended it"
    );

    // Per attempt, and retried: the call's own settings win over the client's.
    let mut call = faulted(&tag, "latency=1500");
    call.timeout_ms = Some(80);
    call.max_retries = Some(1);
    let e = find_err(&lago, &call).await;
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert_eq!(e.attempts, 2);
    assert!(e.message.contains("80 ms"), "{e}");
}

#[wasm_bindgen_test]
async fn aborted_before_the_call_sends_nothing() {
    let tag = uid("abort_before");
    let controller = AbortController::new().expect("AbortController");
    controller.abort();
    let e = find_err(&client(), &with_signal(tagged(&tag), &controller)).await;
    assert_eq!(e.kind, ErrorKind::Aborted);
    assert_eq!(e.attempts, 0);
    assert!(!e.retryable);
    assert!(logged(server(), &tag).await.is_empty());
}

#[wasm_bindgen_test]
async fn aborted_during_an_attempt() {
    let tag = uid("abort_during");
    let controller = AbortController::new().expect("AbortController");
    let started = now();
    let call = with_signal(faulted(&tag, "latency=3000"), &controller);
    let lago = client();
    // Aborted once the fake holds the request: during the attempt, provably.
    let in_flight = async {
        wait_logged(server(), &tag, 1).await;
    };
    let e = abort_when(
        lago.find_customer("acme_corp").options(&call),
        in_flight,
        &controller,
        None,
    )
    .await;
    assert_eq!(e.kind, ErrorKind::Aborted);
    assert_eq!(e.attempts, 1);
    assert!(
        now() - started < 2500.0,
        "the abort, not the server, ended it"
    );
}

/// Drives `call` until `ready` is, then aborts `controller` (with `reason` when given) and
/// returns the call's error: the abort lands exactly where `ready` says the call is.
async fn abort_when<T: std::fmt::Debug>(
    call: impl IntoFuture<Output = Result<T, Error>>,
    ready: impl Future<Output = ()>,
    controller: &AbortController,
    reason: Option<&JsValue>,
) -> Error {
    let mut call = Box::pin(call.into_future());
    let ended = drive_until(&mut call, ready).await;
    assert!(
        ended.is_none(),
        "the call ended before the abort: {ended:?}"
    );
    match reason {
        Some(reason) => controller.abort_with_reason(reason),
        None => controller.abort(),
    }
    call.await.expect_err("aborted")
}

/// Ready once a timer of `delay` ms is set: with `Retry-After: 10`, the backoff wait's own
/// (set as the wait's first step), so the call is in its wait.
async fn wait_started(timers: &TimerWatch, delay: f64) {
    timers.wait_for_delay(delay).await;
}

/// Twin of the JS face's deadline-slot test (tests/node/hostile.test.mjs): one caller's abort
/// stops only its own call; a call made beside it on the same client, with the same timeout,
/// answers, and a call that outlives its timeout is timed out no earlier than it.
#[wasm_bindgen_test]
async fn one_callers_abort_stops_only_its_call() {
    let tag = uid("abort_one");
    let lago = client_with(|o| {
        o.timeout_ms = 1000;
        o.max_retries = 0;
    });
    let controller = AbortController::new().expect("AbortController");
    abort_later(&controller, None, 100);
    let started = now();
    // Each call settles to `[what it gave, ms after the start]`.
    let outcome = |call: CallOptions| {
        let lago = lago.clone();
        future_to_promise(async move {
            let what = match lago.find_customer("acme_corp").options(&call).await {
                Ok(found) => found.customer.external_id,
                Err(e) => format!("{:?}", e.kind),
            };
            let pair = js_sys::Array::of2(&what.into(), &(now() - started).into());
            Ok(pair.into())
        })
    };
    let calls = js_sys::Array::new();
    calls.push(&outcome(with_signal(
        faulted(&tag, "latency=400"),
        &controller,
    )));
    calls.push(&outcome(faulted(&tag, "latency=400")));
    calls.push(&outcome(faulted(&tag, "latency=3000")));
    let results = JsFuture::from(Promise::all(&calls)).await.expect("settled");
    let results: Vec<(String, f64)> = js_sys::Array::from(&results)
        .iter()
        .map(|r| {
            let pair = js_sys::Array::from(&r);
            let what = pair.get(0).as_string().unwrap_or_default();
            (what, pair.get(1).as_f64().unwrap_or(f64::NAN))
        })
        .collect();
    assert_eq!(results[0].0, "Aborted", "{results:?}");
    assert_eq!(results[1].0, "acme_corp", "{results:?}");
    assert_eq!(results[2].0, "Timeout", "{results:?}");
    assert!(
        results[2].1 >= 1000.0,
        "the 1000 ms timeout fired early: {results:?}"
    );
}

#[wasm_bindgen_test]
async fn aborted_during_the_backoff_wait() {
    let tag = uid("abort_backoff");
    let controller = AbortController::new().expect("AbortController");
    let call = with_signal(faulted(&tag, "status=503;retry-after=10"), &controller);
    let timers = TimerWatch::install();
    let started = now();
    let lago = client();
    let waiting = wait_started(&timers, 10_000.0);
    let e = abort_when(
        lago.find_customer("acme_corp").options(&call),
        waiting,
        &controller,
        None,
    )
    .await;
    assert_eq!(e.kind, ErrorKind::Aborted);
    assert_eq!(e.attempts, 1, "the first attempt's 503, then the wait");
    assert!(now() - started < 5000.0, "did not wait the 10 s");
    let wait = timers.with_delay(10_000.0);
    assert_eq!(timers.state(wait[0]), "cleared", "the wait's timer is gone");
    assert_eq!(statuses(server(), &tag).await, [503]);
}

#[wasm_bindgen_test]
async fn aborted_with_odd_reasons_is_still_aborted() {
    let lago = client();
    // Before the call, with a string reason.
    let controller = AbortController::new().expect("AbortController");
    controller.abort_with_reason(&JsValue::from_str("x"));
    let e = find_err(&lago, &with_signal(CallOptions::default(), &controller)).await;
    assert_eq!(e.kind, ErrorKind::Aborted);
    // During an attempt (the fake holds the request) and during a wait (its timer is set),
    // with a string, a number and `undefined`.
    let reasons = [JsValue::from_str("x"), JsValue::from(7), JsValue::UNDEFINED];
    for reason in &reasons {
        for fault in ["latency=3000", "status=503;retry-after=10"] {
            let tag = uid("odd_reason");
            let controller = AbortController::new().expect("AbortController");
            let call = with_signal(faulted(&tag, fault), &controller);
            let timers = TimerWatch::install();
            let ready: std::pin::Pin<Box<dyn Future<Output = ()>>> = if fault.contains("503") {
                Box::pin(wait_started(&timers, 10_000.0))
            } else {
                Box::pin(async {
                    wait_logged(server(), &tag, 1).await;
                })
            };
            let pending = lago.find_customer("acme_corp").options(&call);
            let e = abort_when(pending, ready, &controller, Some(reason)).await;
            assert_eq!(e.kind, ErrorKind::Aborted, "{reason:?} {fault}: {e}");
            assert_eq!(e.attempts, 1);
        }
    }
}

#[wasm_bindgen_test]
async fn bad_2xx_bodies_are_decode_errors() {
    let lago = once();
    for (fault, body_start) in [
        ("wrong-shape", "{\"unexpected\""),
        ("non-json", "<html>"),
        ("truncate", "{\"customer\""),
    ] {
        let tag = uid("decode");
        let e = find_err(&lago, &faulted(&tag, fault)).await;
        assert_eq!(e.kind, ErrorKind::Decode, "{fault}: {e}");
        assert_eq!(e.attempts, 1);
        assert!(!e.retryable);
        assert_eq!(e.status, None);
        let body = e.body.as_deref().expect("the body is kept");
        assert!(body.starts_with(body_start), "{fault}: {body}");
        assert!(e
            .message
            .starts_with("Unexpected response to GET /customers/acme_corp"));
        assert_eq!(statuses(server(), &tag).await, [200]);
    }
}

#[wasm_bindgen_test]
async fn invalid_input_is_refused_before_sending() {
    let lago = client();
    let tag = uid("invalid");
    let call = tagged(&tag);
    let mut refused = vec![
        lago.find_customer("")
            .options(&call)
            .await
            .expect_err("empty"),
        lago.find_customer("..")
            .options(&call)
            .await
            .expect_err(".."),
        lago.find_customer(".").options(&call).await.expect_err("."),
        lago.find_customer_wallet("acme_corp", "")
            .options(&call)
            .await
            .expect_err("empty code"),
        lago.find_customer_current_usage("acme_corp", "")
            .options(&call)
            .await
            .expect_err("empty subscription"),
        lago.find_all_customer_past_usage("acme_corp", "")
            .options(&call)
            .await
            .expect_err("empty subscription"),
        lago.find_all_customers()
            .per_page(0)
            .options(&call)
            .await
            .expect_err("per_page 0"),
        lago.find_all_customers()
            .page(0)
            .options(&call)
            .await
            .expect_err("page 0"),
    ];
    let empty_id = CustomerCreateInput::default();
    refused.push(
        lago.create_customer(&empty_id)
            .options(&call)
            .await
            .expect_err("no id"),
    );
    let fields: Vec<_> = refused
        .iter()
        .map(|e| e.field.clone().unwrap_or_default())
        .collect();
    for e in &refused {
        assert_eq!(e.kind, ErrorKind::InvalidInput, "{e}");
        assert_eq!(e.attempts, 0, "{e}");
        assert!(!e.retryable);
        assert!(e.message.contains("nothing was sent"), "{e}");
    }
    assert_eq!(fields[6], "per_page");
    assert_eq!(fields[7], "page");
    assert_eq!(fields[8], "customer.external_id");
    // Arguments are named as the Rust signatures name them.
    assert_eq!(fields[4], "external_subscription_id");
    assert!(
        logged(server(), &tag).await.is_empty(),
        "nothing reached the server"
    );
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn retries_503_then_succeeds() {
    let tag = uid("retry503");
    let call = faulted(&tag, &format!("status=503;times=2;id={tag}"));
    let found = client()
        .find_customer("acme_corp")
        .options(&call)
        .await
        .expect("third time lucky");
    assert_eq!(found.customer.external_id, "acme_corp");
    assert_eq!(statuses(server(), &tag).await, [503, 503, 200]);
}

#[wasm_bindgen_test]
async fn exhausted_retries_report_every_attempt() {
    let tag = uid("retry_exhausted");
    let mut call = faulted(&tag, "status=502");
    call.max_retries = Some(1);
    let e = find_err(&client(), &call).await;
    assert_eq!(e.status, Some(502));
    assert_eq!(e.attempts, 2);
    assert!(e.retryable);
    assert_eq!(statuses(server(), &tag).await, [502, 502]);

    // A 500 may have done the work: final at once.
    let tag = uid("final500");
    let e = find_err(&client(), &faulted(&tag, "status=500")).await;
    assert_eq!((e.status, e.attempts, e.retryable), (Some(500), 1, false));
}

#[wasm_bindgen_test]
async fn retry_after_is_honoured() {
    let tag = uid("retry_after");
    let call = faulted(&tag, &format!("status=503;retry-after=1;times=1;id={tag}"));
    let started = now();
    client()
        .find_customer("acme_corp")
        .options(&call)
        .await
        .expect("after the wait");
    assert!(now() - started >= 900.0, "waited the server's second");
    assert_eq!(statuses(server(), &tag).await, [503, 200]);
}

#[wasm_bindgen_test]
async fn retry_after_beyond_a_minute_fails_at_once() {
    for status in [503, 429] {
        let tag = uid("retry_after_long");
        let started = now();
        let e = find_err(
            &client(),
            &faulted(&tag, &format!("status={status};retry-after=120")),
        )
        .await;
        assert_eq!(e.status, Some(status));
        assert_eq!(e.attempts, 1);
        assert!(e.retryable);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
        assert!(now() - started < 5000.0, "did not wait");
    }
}

#[wasm_bindgen_test]
async fn provider_throttle_is_retried_with_backoff() {
    let tag = uid("provider");
    let call = faulted(&tag, &format!("provider-throttle;times=1;id={tag}"));
    let usage = client()
        .find_customer_current_usage("acme_corp", "sub_acme_corp_1")
        .options(&call)
        .await
        .expect("retried");
    assert!(usage.customer_usage.charges_usage.value().is_some());
    assert_eq!(statuses(server(), &tag).await, [429, 200]);

    let e = once()
        .find_customer_current_usage("acme_corp", "sub_acme_corp_1")
        .options(&faulted(&tag, "provider-throttle"))
        .await
        .expect_err("throttled");
    assert_eq!(e.status, Some(429));
    assert_eq!(e.code.as_deref(), Some("too_many_provider_requests"));
    assert!(e.retryable);
    assert_eq!(
        e.rate_limit, None,
        "Lago's own 429 has no rate-limit headers"
    );
    assert_eq!(e.retry_after(), None);
    assert_eq!(e.details().expect("details")["provider_name"], "avalara");
}

#[wasm_bindgen_test]
async fn retry_after_as_an_http_date_is_honoured() {
    let tag = uid("retry_date");
    // Two seconds ahead, in whole seconds: the wait is over one second.
    let at = js_sys::Date::new(&JsValue::from(now() + 2000.0));
    let date = String::from(at.to_utc_string());
    let call = faulted(
        &tag,
        &format!("status=503;retry-after={date};times=1;id={tag}"),
    );
    let started = now();
    client()
        .find_customer("acme_corp")
        .options(&call)
        .await
        .expect("after the date");
    assert!(now() - started >= 900.0, "waited until {date}");
    assert_eq!(statuses(server(), &tag).await, [503, 200]);
}

#[wasm_bindgen_test]
async fn without_retry_after_the_backoff_is_short() {
    // Full jitter below 500 ms for the first retry: well under the generous bound here.
    let tag = uid("backoff");
    let call = faulted(&tag, &format!("status=504;times=1;id={tag}"));
    let started = now();
    client()
        .find_customer("acme_corp")
        .options(&call)
        .await
        .expect("retried");
    assert!(now() - started < 3000.0);
    assert_eq!(statuses(server(), &tag).await, [504, 200]);
}

#[wasm_bindgen_test]
async fn network_errors_and_timeouts_are_retried() {
    let tag = uid("retry_drop");
    let call = faulted(&tag, &format!("drop;times=1;id={tag}"));
    let found = client()
        .find_customer("acme_corp")
        .options(&call)
        .await
        .expect("retried");
    assert_eq!(found.customer.external_id, "acme_corp");
    assert_eq!(statuses(server(), &tag).await.last(), Some(&200));

    let tag = uid("retry_timeout");
    let mut call = faulted(&tag, &format!("latency=2000;times=1;id={tag}"));
    call.timeout_ms = Some(300);
    let found = client()
        .find_customer("acme_corp")
        .options(&call)
        .await
        .expect("retried");
    assert_eq!(found.customer.external_id, "acme_corp");
    assert_eq!(logged(server(), &tag).await.len(), 2);
}

#[wasm_bindgen_test]
async fn a_retried_post_resends_the_same_body() {
    let tag = uid("retry_post");
    let id = uid("rf_retry_post");
    let body = CustomerCreateInput {
        customer: CustomerInput {
            external_id: id.clone(),
            name: "Twice".to_string().into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let call = faulted(&tag, &format!("status=503;times=1;id={tag}"));
    let created = client()
        .create_customer(&body)
        .options(&call)
        .await
        .expect("created");
    assert_eq!(created.customer.external_id, id);
    let requests = logged(server(), &tag).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0]["body"], requests[1]["body"]);
    assert_eq!(requests[1]["method"], "POST");
    client().destroy_customer(&id).await.expect("cleanup");
}

#[wasm_bindgen_test]
async fn an_error_body_that_is_not_json_is_kept_as_text() {
    let stub =
        FetchStub::install(|_| Promise::resolve(&response("<html>Bad gateway</html>", 502)).into());
    let e = stubbed_call().await;
    drop(stub);
    assert_eq!(e.kind, ErrorKind::Http);
    assert_eq!(e.status, Some(502));
    assert_eq!(e.code, None);
    assert_eq!(e.body.as_deref(), Some("<html>Bad gateway</html>"));
    assert_eq!(e.body_json(), None);
    assert_eq!(e.details(), None);
    assert!(e.retryable);
}

// ---------------------------------------------------------------------------------------------
// Rate limits (the fake started with --rate-limit=5,10)
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_burst_waits_for_the_rate_limit_window() {
    raw(rl_server(), "POST", "/admin/reset").await;
    let lago = Client::new(ClientOptions {
        max_retries: 6,
        ..options(rl_server())
    });
    let tag = uid("burst");
    let started = now();
    let calls = js_sys::Array::new();
    for _ in 0..12 {
        let (lago, call) = (lago.clone(), tagged(&tag));
        calls.push(&future_to_promise(async move {
            match lago.find_customer("acme_corp").options(&call).await {
                Ok(found) => Ok(found.customer.external_id.into()),
                Err(e) => Err(e.to_string().into()),
            }
        }));
    }
    let results = JsFuture::from(Promise::all(&calls))
        .await
        .unwrap_or_else(|e| panic!("a call of the burst failed: {e:?}"));
    let results = js_sys::Array::from(&results);
    assert_eq!(results.length(), 12);
    assert!(results
        .iter()
        .all(|r| r.as_string().as_deref() == Some("acme_corp")));
    let statuses = statuses(rl_server(), &tag).await;
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert!(limited >= 7 - 5, "{statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        12,
        "{statuses:?}"
    );
    assert!(
        now() - started >= 900.0,
        "the limited calls waited for the reset"
    );
}

#[wasm_bindgen_test]
async fn an_exhausted_call_carries_the_rate_limit() {
    let lago = Client::new(ClientOptions {
        max_retries: 0,
        ..options(rl_server())
    });
    // Twelve at once: one window or two take at most ten, so some are limited.
    let errors = Rc::new(RefCell::new(Vec::new()));
    let calls = js_sys::Array::new();
    for _ in 0..12 {
        let (lago, errors) = (lago.clone(), errors.clone());
        calls.push(&future_to_promise(async move {
            let call = CallOptions::default();
            if let Err(e) = lago.find_customer("acme_corp").options(&call).await {
                errors.borrow_mut().push(e);
            }
            Ok(JsValue::UNDEFINED)
        }));
    }
    JsFuture::from(Promise::all(&calls))
        .await
        .expect("every call settles");
    let limited = errors.borrow_mut().pop();
    let e = limited.expect("some calls of the burst are limited");
    assert_eq!(e.status, Some(429));
    assert_eq!(e.attempts, 1);
    assert!(e.retryable);
    assert_eq!(e.retry_after(), None);
    let limit = e.rate_limit.expect("the rate-limit headers");
    assert_eq!(
        (limit.limit(), limit.remaining(), limit.reset()),
        (Some(5), Some(0), Some(Duration::from_secs(1)))
    );
}

// ---------------------------------------------------------------------------------------------
// No panic path: odd JS values from a stubbed fetch become typed errors
// ---------------------------------------------------------------------------------------------

/// One call through whatever `globalThis.fetch` is now, without retries.
async fn stubbed_call() -> Error {
    find_err(&once(), &CallOptions::default()).await
}

#[wasm_bindgen_test]
async fn fetch_rejecting_with_a_non_error_is_a_network_error() {
    let reasons = [
        JsValue::from_str("a string"),
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(42),
        Object::new().into(),
        js_sys::Symbol::for_("odd").into(),
    ];
    for reason in reasons {
        let shown = format!("{reason:?}");
        let stub = FetchStub::install(move |_| Promise::reject(&reason).into());
        let e = stubbed_call().await;
        drop(stub);
        assert_eq!(e.kind, ErrorKind::Network, "{shown}: {e}");
        assert_eq!(e.attempts, 1);
    }
    let stub = FetchStub::install(|_| Promise::reject(&"boom".into()).into());
    let e = stubbed_call().await;
    drop(stub);
    assert!(e.message.ends_with(": boom"), "{e}");
}

/// The message of the network error a fetch rejecting with what `script` returns gives.
async fn network_message(script: &str) -> String {
    let fetch = js_sys::Function::new_no_args(&format!("return Promise.reject({script})"));
    let stub = FetchStub::install_raw(&fetch.into());
    let e = stubbed_call().await;
    drop(stub);
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    let prefix = "Network error on GET /customers/acme_corp: ";
    e.message
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{e}"))
        .to_string()
}

#[wasm_bindgen_test]
async fn network_errors_name_their_cause_chain_as_the_js_face_does() {
    // Node's fetch: "fetch failed", the reason in `cause` (its `code` already in its message).
    let node = r#"new TypeError("fetch failed", { cause: Object.assign(
        new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }) })"#;
    assert_eq!(
        network_message(node).await,
        "fetch failed: connect ECONNREFUSED 127.0.0.1:9"
    );
    // A `code` the message lacks is put first; a text met twice is named once.
    let coded = r#"new TypeError("fetch failed", { cause: Object.assign(
        new Error("other side closed"), { code: "UND_ERR_SOCKET",
        cause: new Error("fetch failed") }) })"#;
    assert_eq!(
        network_message(coded).await,
        "fetch failed: UND_ERR_SOCKET other side closed"
    );
    // At most 4 deep, a cycle included; non-Error links are written as `String(e)` does.
    let deep = r#"(() => { const e = new Error("a"); let x = e;
        for (const m of ["b", "c", "d", "e"]) { x.cause = new Error(m); x = x.cause; }
        return e; })()"#;
    assert_eq!(network_message(deep).await, "a: b: c: d");
    let cycle = r#"(() => { const e = new Error("loop"); e.cause = e; return e; })()"#;
    assert_eq!(network_message(cycle).await, "loop");
    let odd = r#"new Error("outer", { cause: 42 })"#;
    assert_eq!(network_message(odd).await, "outer: 42");
    let symbol = r#"new Error("outer", { cause: Symbol("odd") })"#;
    assert_eq!(network_message(symbol).await, "outer: Symbol(odd)");
    let plain = r#"new Error("outer", { cause: {} })"#;
    assert_eq!(network_message(plain).await, "outer: [object Object]");
    // A getter that throws ends the chain.
    let throws = r#"Object.defineProperty(new Error("outer"), "cause",
        { get() { throw new Error("no") } })"#;
    assert_eq!(network_message(throws).await, "outer: unknown error");
    assert_eq!(network_message("undefined").await, "unknown error");
    // Cut at 300 characters.
    let long = r#"new Error("x".repeat(250), { cause: new Error("y".repeat(100)) })"#;
    let cut = network_message(long).await;
    assert_eq!(cut, format!("{}: {}…", "x".repeat(250), "y".repeat(48)));
}

#[wasm_bindgen_test]
async fn fetch_that_throws_or_is_missing_is_a_network_error() {
    let throws = js_sys::Function::new_no_args("throw 'thrown synchronously'");
    for fetch in [throws.into(), JsValue::from(5), JsValue::UNDEFINED] {
        let shown = format!("{fetch:?}");
        let stub = FetchStub::install_raw(&fetch);
        let e = stubbed_call().await;
        drop(stub);
        assert_eq!(e.kind, ErrorKind::Network, "{shown}: {e}");
    }
}

#[wasm_bindgen_test]
async fn fetch_resolving_to_a_non_response_is_a_network_error() {
    let values = [
        JsValue::UNDEFINED,
        JsValue::from(42),
        JsValue::from_str("<html>"),
        Object::new().into(),
    ];
    for value in values {
        let shown = format!("{value:?}");
        let stub = FetchStub::install(move |_| Promise::resolve(&value).into());
        let e = stubbed_call().await;
        drop(stub);
        assert_eq!(e.kind, ErrorKind::Network, "{shown}: {e}");
        assert!(e.message.contains("not a Response"), "{e}");
    }
    // A fetch returning a plain value instead of a promise.
    let stub = FetchStub::install(|_| JsValue::from(42));
    let e = stubbed_call().await;
    drop(stub);
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
}

/// A fetch answering a real `Response` (`status`) whose `text` property is replaced by `text`.
fn fetch_with_text(status: u16, text: JsValue) -> FetchStub {
    FetchStub::install(move |_| {
        let answer = response("{}", status);
        Reflect::set(&answer, &"text".into(), &text).expect("override text");
        Promise::resolve(&answer).into()
    })
}

#[wasm_bindgen_test]
async fn a_response_whose_body_is_not_text_is_a_typed_error() {
    let cases: [(&str, js_sys::Function); 4] = [
        (
            "a number",
            js_sys::Function::new_no_args("return Promise.resolve(42)"),
        ),
        (
            "an object",
            js_sys::Function::new_no_args("return Promise.resolve({})"),
        ),
        (
            "a rejection",
            js_sys::Function::new_no_args("return Promise.reject(undefined)"),
        ),
        ("a throw", js_sys::Function::new_no_args("throw 'no body'")),
    ];
    for status in [200, 503] {
        for (what, text) in &cases {
            let stub = fetch_with_text(status, text.clone().into());
            let e = stubbed_call().await;
            drop(stub);
            assert_eq!(e.kind, ErrorKind::Network, "{status} {what}: {e}");
        }
        // `text` that is no function, or returns no promise.
        for text in [
            JsValue::from(5),
            js_sys::Function::new_no_args("return 'plain'").into(),
        ] {
            let shown = format!("{text:?}");
            let stub = fetch_with_text(status, text);
            let e = stubbed_call().await;
            drop(stub);
            assert!(
                matches!(
                    e.kind,
                    ErrorKind::Network | ErrorKind::Decode | ErrorKind::Http
                ),
                "{status} {shown}: {e}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn a_failed_response_with_odd_headers_is_a_typed_error() {
    let odd = js_sys::Function::new_no_args("return {get() { throw 'no headers' }}");
    let stub = FetchStub::install(move |_| {
        let answer = response("{\"status\":503}", 503);
        let descriptor = Object::new();
        Reflect::set(&descriptor, &"get".into(), &odd).expect("descriptor");
        Object::define_property(
            answer.unchecked_ref::<Object>(),
            &"headers".into(),
            &descriptor,
        );
        Promise::resolve(&answer).into()
    });
    let e = stubbed_call().await;
    drop(stub);
    assert_eq!(e.status, Some(503), "{e}");
    assert_eq!(e.rate_limit, None);
}

#[wasm_bindgen_test]
async fn headers_fetch_refuses_are_refused_before_sending() {
    // Header names and values that `Headers.set` refuses: refused as the JS face's options
    // are (`InvalidInput`, the same words), per call and on the client, and nothing is sent.
    let tag = uid("bad_headers");
    let name = "has a name that is not a valid HTTP header name";
    let value = "has a value with a line break or NUL";
    let bad = [
        ("bad name", "v", name),
        ("", "v", name),
        ("x:y", "v", name),
        ("x-ok", "line\nbreak", value),
        ("x-ok", "cr\rhere", value),
        ("x-ok", "nul\0", value),
    ];
    for (header, v, problem) in bad {
        let mut call = tagged(&tag);
        call.headers.push((header.into(), v.into()));
        let e = find_err(&client(), &call).await;
        assert_refused(&e, "headers", problem);
        let lago = client_with(|o| o.headers = vec![(header.into(), v.into())]);
        let e = find_err(&lago, &tagged(&tag)).await;
        assert_refused(&e, "headers", problem);
    }
    assert!(logged(server(), &tag).await.is_empty(), "nothing was sent");
    // A key `fetch` cannot send is no option the JS face checks either: a network error.
    let lago = Client::new(ClientOptions {
        api_key: Some("key\nwith a line break".into()),
        max_retries: 0,
        ..options(server())
    });
    let e = find_err(&lago, &CallOptions::default()).await;
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert!(!format!("{e:?}").contains("line break"), "{e:?}");
}

/// `e` is the `InvalidInput` refusal of `field` with `problem`, before any attempt.
fn assert_refused(e: &Error, field: &str, problem: &str) {
    assert_eq!(e.kind, ErrorKind::InvalidInput, "{e}");
    assert_eq!(e.field.as_deref(), Some(field), "{e}");
    assert_eq!((e.attempts, e.retryable), (0, false), "{e}");
    assert_eq!(
        e.message,
        format!(
            "Invalid input: {field} {problem} (GET /customers/{{external_customer_id}}, \
             nothing was sent)"
        )
    );
}

#[wasm_bindgen_test]
async fn client_options_the_js_face_refuses_are_refused_by_every_call() {
    let tag = uid("bad_options");
    let base = "must be an http(s) URL or a path starting with \"/\"";
    for bad in [
        "api.getlago.com",
        "",
        "/",
        "ftp://x/api/v1",
        "https://x/api/v1?a=1",
        "https://x#f",
    ] {
        let lago = client_with(|o| o.base_url = bad.into());
        let e = find_err(&lago, &tagged(&tag)).await;
        assert_refused(&e, "base_url", base);
        // A pager's first page too, and then the walk is over.
        let mut pager = lago.list_all_customers().options(&tagged(&tag));
        let e = pager.next().await.expect("the error").expect_err("refused");
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(pager.next().await.is_none());
    }
    let lago = client_with(|o| o.api_key = Some(String::new()));
    assert_refused(
        &find_err(&lago, &tagged(&tag)).await,
        "api_key",
        "must be a non-empty string",
    );
    let timeout = "must be a finite number of milliseconds >= 0";
    let lago = client_with(|o| o.timeout_ms = u32::MAX);
    assert_refused(&find_err(&lago, &tagged(&tag)).await, "timeout_ms", timeout);
    let retries = "must be an integer from 0 to 10";
    let lago = client_with(|o| o.max_retries = 11);
    assert_refused(
        &find_err(&lago, &tagged(&tag)).await,
        "max_retries",
        retries,
    );
    // Per call, the same.
    let mut call = tagged(&tag);
    call.timeout_ms = Some(2_147_483_648);
    assert_refused(&find_err(&client(), &call).await, "timeout_ms", timeout);
    let mut call = tagged(&tag);
    call.max_retries = Some(11);
    assert_refused(&find_err(&client(), &call).await, "max_retries", retries);
    assert!(logged(server(), &tag).await.is_empty(), "nothing was sent");
    // What the JS face takes, the Rust face takes: a trailing `/`, the limits themselves.
    let lago = client_with(|o| {
        o.base_url.push_str("//");
        o.timeout_ms = 2_147_483_647;
        o.max_retries = 10;
    });
    lago.find_customer("acme_corp")
        .options(&tagged(&tag))
        .await
        .expect("accepted");
}

// ---------------------------------------------------------------------------------------------
// The key never shows
// ---------------------------------------------------------------------------------------------

const SECRET: &str = "sk_rust_face_S3CRET_42";

fn secret_client() -> Client {
    Client::new(ClientOptions {
        api_key: Some(SECRET.into()),
        max_retries: 0,
        headers: vec![("x-client-header".into(), SECRET.into())],
        ..options(server())
    })
}

fn assert_hidden(what: &str, shown: &str) {
    assert!(!shown.contains(SECRET), "{what} shows the key: {shown}");
}

fn assert_error_hidden(e: &Error) {
    assert_hidden("Display", &e.to_string());
    assert_hidden("Debug", &format!("{e:?}"));
    assert_hidden("body", e.body.as_deref().unwrap_or(""));
    assert_hidden("details", &format!("{:?}", e.details()));
}

#[wasm_bindgen_test]
fn debug_of_client_and_options_never_shows_the_key() {
    let options = ClientOptions {
        api_key: Some(SECRET.into()),
        headers: vec![("authorization".into(), format!("Bearer {SECRET}"))],
        ..Default::default()
    };
    assert_hidden("ClientOptions", &format!("{options:?}"));
    assert_hidden("Client", &format!("{:?}", Client::new(options)));
    let controller = AbortController::new().expect("AbortController");
    let call = CallOptions {
        signal: Some(controller.signal()),
        headers: vec![("authorization".into(), format!("Bearer {SECRET}"))],
        ..Default::default()
    };
    assert_hidden("CallOptions", &format!("{call:?}"));
}

#[wasm_bindgen_test]
async fn errors_echoing_the_key_never_show_it() {
    // The real server refuses the key: a 401.
    let e = find_err(&secret_client(), &CallOptions::default()).await;
    assert_eq!(e.status, Some(401));
    assert_error_hidden(&e);

    // A proxy (here a fetch stub) that echoes the Authorization header everywhere it can.
    let echo_error = FetchStub::install(|request| {
        let auth = authorization(&request);
        Promise::reject(&js_sys::Error::new(&format!("proxy refused {auth}"))).into()
    });
    let e = find_err(&secret_client(), &CallOptions::default()).await;
    drop(echo_error);
    assert_eq!(e.kind, ErrorKind::Network);
    assert!(e.message.contains("proxy refused Bearer"), "{e}");
    assert_error_hidden(&e);

    for status in [200, 401, 503] {
        let echo_body = FetchStub::install(move |request| {
            let auth = authorization(&request);
            let body = json!({
                "status": status, "error": format!("bad {auth}"), "code": auth,
                "error_details": {"authorization": auth},
            });
            let text = if status == 200 {
                format!("<html>{auth}</html>")
            } else {
                body.to_string()
            };
            Promise::resolve(&response(&text, status)).into()
        });
        let e = find_err(&secret_client(), &CallOptions::default()).await;
        drop(echo_body);
        assert!(
            e.body.as_deref().is_some_and(|b| b.contains("Bearer")),
            "{e:?}"
        );
        assert_error_hidden(&e);
    }
}

// ---------------------------------------------------------------------------------------------
// Twins of the JS face's "Lago as it is" tests (tests/node/reality.test.mjs)
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_retried_create_that_races_its_own_first_attempt_keeps_the_422() {
    // Lago answers 422 value_already_exist when a retry overlaps the first create of a new
    // customer: final, not retried and not turned into success (README "Decisions").
    let answers = Rc::new(RefCell::new(vec![
        response(
            r#"{"status":422,"error":"Unprocessable Entity","code":"validation_errors","error_details":{"external_id":["value_already_exist"]}}"#,
            422,
        ),
        response(r#"{"status":503,"error":"Service Unavailable"}"#, 503),
    ]));
    let sent = Rc::new(RefCell::new(0));
    let (a, s) = (answers.clone(), sent.clone());
    let stub = FetchStub::install(move |_| {
        *s.borrow_mut() += 1;
        let next = a.borrow_mut().pop();
        Promise::resolve(&next.unwrap_or_else(|| response("{}", 500))).into()
    });
    let body = CustomerCreateInput {
        customer: CustomerInput {
            external_id: "new_one".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let e = client()
        .create_customer(&body)
        .await
        .expect_err("the 422 is final");
    drop(stub);
    assert_eq!(*sent.borrow(), 2);
    assert_eq!((e.status, e.attempts, e.retryable), (Some(422), 2, false));
    assert_eq!(
        e.details().expect("details"),
        json!({ "external_id": ["value_already_exist"] })
    );
}
