//! The Rust face's `list_all_…` pagers against the fake Lago server over real HTTP, in headless
//! Chromium and Firefox: lazy (the fake's request log counts the pages fetched), stopping when
//! dropped, starting at `.page(n)`, one per paginated list, errors and aborts ending the
//! walk, and a page whose `next_page` does not move forward (a stubbed fetch).
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use js_sys::Promise;
use lago_wasm::ErrorKind;
use rust_face_support::*;
use serde_json::Value;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_test::*;
use web_sys::AbortController;

wasm_bindgen_test_configure!(run_in_browser);
// ---------------------------------------------------------------------------------------------
// Pagers
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn customer_pager_is_lazy_and_a_drop_mid_page_aborts_that_page() {
    let lago = client();
    let tag = uid("lazy");
    let first = lago
        .find_all_customers()
        .per_page(10)
        .await
        .expect("page 1");
    // The fake holds each page 300 ms, so that a page can be dropped while in flight.
    let controller = AbortController::new().expect("AbortController");
    let listeners = ListenerWatch::install(&controller.signal());
    let call = with_signal(faulted(&tag, "latency=300"), &controller);
    let mut pager = lago.list_all_customers().per_page(10).options(&call);
    // A pager is a plain value: nothing runs until `next()` is polled.
    assert_eq!(
        logged(server(), &tag).await.len(),
        0,
        "nothing sent before next()"
    );

    let item = pager.next().await.expect("an item").expect("ok");
    assert_eq!(item, first.customers[0]);
    assert_eq!(logged(server(), &tag).await.len(), 1);
    for _ in 1..10 {
        pager.next().await.expect("an item").expect("ok");
    }
    assert_eq!(
        logged(server(), &tag).await.len(),
        1,
        "page 1 served ten items"
    );
    let eleventh = pager.next().await.expect("an item").expect("ok");
    let requests = logged(server(), &tag).await;
    assert_eq!(requests.len(), 2);
    assert!(requests[1]["query"]
        .as_str()
        .is_some_and(|q| q.contains("page=2")));
    let second = lago
        .find_all_customers()
        .per_page(10)
        .page(2)
        .await
        .expect("page 2");
    assert_eq!(eleventh, second.customers[0]);
    for _ in 11..20 {
        pager.next().await.expect("an item").expect("ok");
    }

    // Page 3 in flight, then the pager dropped: its request is aborted (the fake never
    // answers it), and no listener stays on the caller's signal.
    let mut next = Box::pin(pager.next());
    assert!(poll_once(&mut next).await.is_pending());
    let requests = wait_logged(server(), &tag, 3).await;
    assert!(requests[2]["query"]
        .as_str()
        .is_some_and(|q| q.contains("page=3")));
    assert_eq!(listeners.live(), 1);
    drop(next);
    drop(pager);
    assert_eq!(listeners.live(), 0);
    sleep(800).await;
    let statuses = statuses(server(), &tag).await;
    assert_eq!(statuses, [200, 200, 0], "page 3 was never answered");
}

#[wasm_bindgen_test]
async fn customer_pager_walks_every_page_from_the_one_asked() {
    let lago = client();
    let tag = uid("walk");
    let everything = collect(lago.list_all_customers().per_page(7).options(&tagged(&tag))).await;
    let page = lago.find_all_customers().per_page(7).await.expect("page 1");
    let total = page
        .meta
        .total_count
        .value()
        .and_then(|n| n.as_u64())
        .expect("total");
    let pages = page
        .meta
        .total_pages
        .value()
        .and_then(|n| n.as_u64())
        .expect("pages");
    assert_eq!(everything.len() as u64, total);
    assert_eq!(logged(server(), &tag).await.len() as u64, pages);

    let from_three = collect(lago.list_all_customers().per_page(7).page(3)).await;
    let third = lago
        .find_all_customers()
        .per_page(7)
        .page(3)
        .await
        .expect("page 3");
    assert_eq!(from_three.first(), third.customers.first());
    assert_eq!(from_three.len() as u64, total - 14);
    assert_eq!(&everything[14..], &from_three[..]);
}

#[wasm_bindgen_test]
async fn every_customer_pager_yields_its_list() {
    let lago = client();
    let n = |v: Value, key: &str| v[key].as_array().map(Vec::len).unwrap_or(0);

    let coupons = collect(
        lago.list_all_customer_applied_coupons("acme_corp")
            .per_page(2),
    )
    .await;
    let raw = api_json("/customers/acme_corp/applied_coupons?per_page=100").await;
    assert_eq!(coupons.len(), n(raw, "applied_coupons"));
    assert!(!coupons.is_empty());

    let notes = collect(lago.list_all_customer_credit_notes("initech").per_page(2)).await;
    let raw = api_json("/customers/initech/credit_notes?per_page=100").await;
    assert_eq!(notes.len(), n(raw, "credit_notes"));
    assert!(!notes.is_empty());

    let invoices = collect(lago.list_all_customer_invoices("acme_corp").per_page(2)).await;
    let raw = api_json("/customers/acme_corp/invoices?per_page=100").await;
    assert_eq!(json_of(&invoices), raw["invoices"]);
    assert!(invoices.len() > 2, "more than one page");

    let payments = collect(lago.list_all_customer_payments("acme_corp").per_page(2)).await;
    let raw = api_json("/customers/acme_corp/payments?per_page=100").await;
    assert_eq!(json_of(&payments), raw["payments"]);

    let requests = collect(
        lago.list_all_customer_payment_requests("acme_corp")
            .per_page(2),
    )
    .await;
    let raw = api_json("/customers/acme_corp/payment_requests?per_page=100").await;
    assert_eq!(json_of(&requests), raw["payment_requests"]);

    let subs = collect(
        lago.list_all_customer_subscriptions("acme_corp")
            .per_page(2),
    )
    .await;
    let raw = api_json("/customers/acme_corp/subscriptions?per_page=100").await;
    assert_eq!(json_of(&subs), raw["subscriptions"]);
    assert!(!subs.is_empty());

    let wallets = collect(lago.list_all_customer_wallets("acme_corp").per_page(1)).await;
    let codes: Vec<_> = wallets.iter().filter_map(|w| w.code.as_deref()).collect();
    assert!(
        codes.contains(&"prepaid") && codes.contains(&"promo"),
        "{codes:?}"
    );

    let past = collect(
        lago.list_all_customer_past_usage("acme_corp", "sub_acme_corp_1")
            .per_page(1),
    )
    .await;
    let raw = api_json(
        "/customers/acme_corp/past_usage?external_subscription_id=sub_acme_corp_1&per_page=100",
    )
    .await;
    assert_eq!(json_of(&past), raw["usage_periods"]);
    assert!(past.len() > 1, "more than one page");
}

#[wasm_bindgen_test]
async fn pager_errors_end_the_walk() {
    let lago = client();
    let mut refused = lago.list_all_customers().page(0);
    let err = refused
        .next()
        .await
        .expect("the error")
        .expect_err("page 0");
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert_eq!(err.attempts, 0);
    assert!(refused.next().await.is_none());

    let mut unknown = lago.list_all_customer_invoices("no_such_customer");
    let err = unknown.next().await.expect("the error").expect_err("404");
    assert_eq!(err.code.as_deref(), Some("customer_not_found"));
    assert!(unknown.next().await.is_none());

    let tag = uid("pager_shape");
    let call = faulted(&tag, "wrong-shape");
    let mut bad = lago.list_all_customers().options(&call);
    let err = bad
        .next()
        .await
        .expect("the error")
        .expect_err("wrong shape");
    assert_eq!(err.kind, ErrorKind::Decode);
    assert!(bad.next().await.is_none());
    assert_eq!(logged(server(), &tag).await.len(), 1);
}

#[wasm_bindgen_test]
async fn an_empty_list_ends_at_once() {
    let lago = client();
    let id = uid("rf_empty");
    create(&lago, &id, "EUR").await;
    let tag = uid("empty");
    let mut invoices = lago.list_all_customer_invoices(&id).options(&tagged(&tag));
    assert!(invoices.next().await.is_none());
    assert!(invoices.next().await.is_none(), "and stays over");
    assert_eq!(logged(server(), &tag).await.len(), 1);
    lago.destroy_customer(&id).await.expect("cleanup");
}

#[wasm_bindgen_test]
async fn an_abort_stops_the_walk() {
    let lago = client();
    let tag = uid("pager_abort");
    let controller = AbortController::new().expect("AbortController");
    let mut pager = lago
        .list_all_customers()
        .per_page(2)
        .options(&with_signal(tagged(&tag), &controller));
    pager.next().await.expect("an item").expect("ok");
    pager.next().await.expect("an item").expect("ok");
    controller.abort();
    let e = pager.next().await.expect("the error").expect_err("aborted");
    assert_eq!(e.kind, ErrorKind::Aborted);
    assert_eq!(e.attempts, 0);
    assert!(pager.next().await.is_none());
    assert_eq!(
        logged(server(), &tag).await.len(),
        1,
        "page 2 was never asked for"
    );
}

#[wasm_bindgen_test]
async fn a_next_page_that_does_not_move_forward_ends_the_walk() {
    let calls = Rc::new(Cell::new(0));
    let counted = calls.clone();
    let stub = FetchStub::install(move |_| {
        counted.set(counted.get() + 1);
        let page = r#"{"customers":[{"lago_id":"1a90","external_id":"loop"}],
            "meta":{"current_page":1,"next_page":1,"total_pages":9}}"#;
        Promise::resolve(&response(page, 200)).into()
    });
    let items: Vec<_> = {
        let mut pager = client().list_all_customers();
        let mut items = Vec::new();
        while let Some(item) = pager.next().await {
            items.push(item);
            if items.len() > 5 {
                break;
            }
        }
        items
    };
    drop(stub);
    assert_eq!(items.len(), 1, "one page, once");
    assert_eq!(calls.get(), 1);
    let first = items[0].as_ref().expect("the item");
    assert_eq!(first.external_id, "loop");
}

#[wasm_bindgen_test]
async fn a_page_without_its_list_is_a_decode_error() {
    let stub = FetchStub::install(|_| {
        let page = r#"{"meta":{"current_page":1,"next_page":null}}"#;
        Promise::resolve(&response(page, 200)).into()
    });
    let mut pager = client().list_all_customers();
    let first = pager.next().await;
    drop(stub);
    let e = first.expect("the error").expect_err("no customers key");
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("customers"), "{e}");
    assert!(pager.next().await.is_none());
}

#[wasm_bindgen_test]
async fn a_pager_is_a_stream_that_owns_what_it_needs() {
    use futures_core::Stream;
    use lago_wasm::models::Customer;
    use lago_wasm::Error;
    use std::pin::Pin;

    let tag = uid("stream");
    let all = collect(client().list_all_customers().per_page(100)).await;
    // Boxed as a `dyn Stream` with its client gone: the pager holds its own clone.
    let mut stream: Pin<Box<dyn Stream<Item = Result<Customer, Error>>>> = {
        let lago = client();
        Box::pin(lago.list_all_customers().per_page(4).options(&tagged(&tag)))
    };
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item.expect("an item"));
    }
    assert_eq!(items, all);
    let pages = all.len().div_ceil(4);
    assert_eq!(logged(server(), &tag).await.len(), pages);
}
