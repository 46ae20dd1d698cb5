//! A dropped Rust call cancels, in headless Chromium and Firefox over real HTTP against the
//! fake Lago server: dropping a call's future (or a pager) mid-request aborts
//! its fetch (the fake logs the request and never answers it: the connection closed before its
//! `latency` ran out), clears its timer and removes every listener it added on the caller's
//! `AbortSignal`; dropped mid-wait, the wait's timer and listener go too and nothing more is
//! sent. Dropping only a pager's `next()` future leaves its page in flight for the next one, as
//! a `Stream`'s `next` does.
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use std::future::IntoFuture;

use lago_wasm::{CallOptions, ErrorKind};
use rust_face_support::*;
use web_sys::AbortController;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The fake's `latency` in these tests: long enough that a request still unanswered after it
/// was closed by the browser, short enough to wait for.
const LATENCY_MS: f64 = 800.0;

/// A per-attempt timeout no other timer of these tests has, to find the attempt's timer.
const TIMEOUT_MS: u32 = 21_000;

/// Call options tagged `tag`, asking the fake for `fault`, with `controller`'s signal and the
/// attempt timeout above.
fn watched(tag: &str, fault: &str, controller: &AbortController) -> CallOptions {
    let mut call = with_signal(faulted(tag, fault), controller);
    call.timeout_ms = Some(TIMEOUT_MS);
    call
}

/// The request tagged `tag` reached the fake and was never answered, even after its latency.
async fn assert_closed_unanswered(tag: &str) {
    rust_face_support::assert_closed_unanswered(server(), tag, LATENCY_MS as i32).await;
}

#[wasm_bindgen_test]
async fn a_dropped_call_aborts_its_fetch_clears_its_timer_and_removes_its_listener() {
    let tag = uid("drop_call");
    let controller = AbortController::new().expect("AbortController");
    let listeners = ListenerWatch::install(&controller.signal());
    let timers = TimerWatch::install();
    let lago = client();
    let call = watched(&tag, &format!("latency={LATENCY_MS}"), &controller);
    let mut pending = lago.find_customer("acme_corp").options(&call).into_future();
    assert!(poll_once(&mut pending).await.is_pending());
    let timer = timers.with_delay(f64::from(TIMEOUT_MS));
    assert_eq!(timer.len(), 1, "the attempt's timer");
    assert_eq!((listeners.added(), listeners.live()), (1, 1));
    // In flight: the fake has the request and sits on it.
    let requests = wait_logged(server(), &tag, 1).await;
    assert!(requests[0]["status"].is_null(), "{requests:?}");

    drop(pending);
    assert_eq!(
        listeners.live(),
        0,
        "the listener is off the caller's signal"
    );
    assert_eq!(timers.state(timer[0]), "cleared");
    assert_closed_unanswered(&tag).await;
    assert!(
        !controller.signal().aborted(),
        "the caller's signal is left alone"
    );
    assert_eq!(listeners.added(), 1);
}

#[wasm_bindgen_test]
async fn a_call_without_a_signal_dropped_mid_request_aborts_its_fetch() {
    let tag = uid("drop_nosignal");
    let timers = TimerWatch::install();
    let lago = client();
    let mut call = faulted(&tag, &format!("latency={LATENCY_MS}"));
    call.timeout_ms = Some(TIMEOUT_MS);
    let mut pending = lago.find_customer("acme_corp").options(&call).into_future();
    assert!(poll_once(&mut pending).await.is_pending());
    let timer = timers.with_delay(f64::from(TIMEOUT_MS));
    wait_logged(server(), &tag, 1).await;
    drop(pending);
    assert_eq!(timers.state(timer[0]), "cleared");
    assert_closed_unanswered(&tag).await;
}

#[wasm_bindgen_test]
async fn a_call_dropped_during_its_backoff_wait_clears_the_wait() {
    let tag = uid("drop_wait");
    let controller = AbortController::new().expect("AbortController");
    let listeners = ListenerWatch::install(&controller.signal());
    let timers = TimerWatch::install();
    let lago = client();
    let call = watched(&tag, "status=503;retry-after=10", &controller);
    let mut pending = lago.find_customer("acme_corp").options(&call).into_future();
    // Driven until the wait's 10 s timer is set: the wait has started.
    let ended = drive_until(&mut pending, async {
        timers.wait_for_delay(10_000.0).await;
    })
    .await;
    assert!(ended.is_none(), "the call waits for Retry-After");
    let wait = timers.with_delay(10_000.0);
    let attempt = timers.with_delay(f64::from(TIMEOUT_MS));
    assert_eq!(timers.state(attempt[0]), "cleared", "the attempt is over");
    assert_eq!(timers.state(wait[0]), "live");
    assert_eq!(
        (listeners.added(), listeners.live()),
        (2, 1),
        "the wait's own"
    );

    drop(pending);
    assert_eq!(timers.state(wait[0]), "cleared");
    assert_eq!(listeners.live(), 0);
    assert_eq!(statuses(server(), &tag).await, [503], "no second attempt");
}

#[wasm_bindgen_test]
async fn a_pager_dropped_mid_page_aborts_that_page() {
    let tag = uid("drop_pager");
    let controller = AbortController::new().expect("AbortController");
    let listeners = ListenerWatch::install(&controller.signal());
    let timers = TimerWatch::install();
    let lago = client();
    let call = watched(&tag, &format!("latency={LATENCY_MS}"), &controller);
    let mut pager = lago.list_all_customers().per_page(3).options(&call);
    let mut next = Box::pin(pager.next());
    assert!(poll_once(&mut next).await.is_pending());
    wait_logged(server(), &tag, 1).await;
    assert_eq!(listeners.live(), 1);
    let timer = timers.with_delay(f64::from(TIMEOUT_MS));
    drop(next);
    drop(pager);
    assert_eq!(
        listeners.live(),
        0,
        "the listener is off the caller's signal"
    );
    assert_eq!(timers.state(timer[0]), "cleared");
    assert_closed_unanswered(&tag).await;
}

#[wasm_bindgen_test]
async fn a_dropped_next_leaves_its_page_in_flight_for_the_next_one() {
    // As `StreamExt::next` is: dropping its future (a `select!` that took another branch)
    // loses nothing and sends nothing again; the page is the pager's until it is dropped.
    let tag = uid("drop_next");
    let controller = AbortController::new().expect("AbortController");
    let listeners = ListenerWatch::install(&controller.signal());
    let lago = client();
    let call = watched(&tag, "latency=300", &controller);
    let mut pager = lago.list_all_customers().per_page(3).options(&call);
    {
        let mut next = Box::pin(pager.next());
        assert!(poll_once(&mut next).await.is_pending());
        wait_logged(server(), &tag, 1).await;
    }
    assert_eq!(listeners.live(), 1, "the page is still in flight");
    let first = pager.next().await.expect("an item").expect("page 1");
    let page = lago.find_all_customers().per_page(3).await.expect("page 1");
    assert_eq!(first, page.customers[0]);
    assert_eq!(
        statuses(server(), &tag).await,
        [200],
        "one request for page 1"
    );
    assert_eq!(listeners.live(), 0);
}

#[wasm_bindgen_test]
async fn a_call_that_ends_leaves_nothing_behind() {
    // Answered, failed after a retry, and aborted: each way the listeners and timers go.
    let controller = AbortController::new().expect("AbortController");
    let listeners = ListenerWatch::install(&controller.signal());
    let timers = TimerWatch::install();
    let lago = client();
    let tag = uid("ends");
    lago.find_customer("acme_corp")
        .options(&watched(&tag, "latency=1", &controller))
        .await
        .expect("answered");
    let mut call = watched(&tag, "status=503;retry-after=0", &controller);
    call.max_retries = Some(1);
    let e = lago
        .find_customer("acme_corp")
        .options(&call)
        .await
        .expect_err("503");
    assert_eq!(e.attempts, 2);
    assert_eq!(listeners.added(), 4, "3 attempts and 1 wait");
    assert_eq!(listeners.live(), 0);
    let attempts = timers.with_delay(f64::from(TIMEOUT_MS));
    assert_eq!(attempts.len(), 3);
    assert!(attempts.iter().all(|id| timers.state(*id) == "cleared"));

    let tag = uid("ends_aborted");
    let call = watched(&tag, &format!("latency={LATENCY_MS}"), &controller);
    let mut pending = lago.find_customer("acme_corp").options(&call).into_future();
    let ended = drive_until(&mut pending, async {
        wait_logged(server(), &tag, 1).await;
        controller.abort();
    })
    .await;
    let e = match ended {
        Some(result) => result,
        None => pending.await,
    }
    .expect_err("aborted");
    assert_eq!(e.kind, ErrorKind::Aborted);
    assert_eq!(listeners.live(), 0);
    assert_closed_unanswered(&tag).await;
}
