//! `EventQueue` (API.md "Usage events") on the Rust face, in headless Chromium and Firefox over
//! real HTTP against the fake Lago server, whose `/events/batch` behaves as lago-api's
//! (REALITY.md section 7): batching and order, events moving current usage, a 422 with a
//! duplicate and a bad event, a lost answer, a 429 storm against the rate-limited fake,
//! overflow, close(), the timer. Counted on the server (its request log), never by timing.
//! (The JS face's twin is tests/node/events.test.mjs.)
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use std::cell::RefCell;
use std::rc::Rc;

use lago_wasm::models::{EventInput, EventInputObject, Field, NumOrStr};
use lago_wasm::{
    CallOptions, Client, Error, ErrorKind, EventQueue, EventQueueOptions, FlushReport,
};
use rust_face_support::*;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SUB: &str = "sub_acme_corp_1";

/// An `api_calls` event of 10 units for `sub_acme_corp_1`.
fn event(transaction_id: &str) -> EventInputObject {
    model(json!({
        "transaction_id": transaction_id,
        "external_subscription_id": SUB,
        "code": "api_calls",
        "properties": {"calls": 10},
    }))
}

/// What `on_error` got: each error with its events' ids.
type Failures = Rc<RefCell<Vec<(Error, Vec<String>)>>>;

/// A queue of `server` whose requests carry `x-test-id: tag` (and `call`'s headers), sending
/// only on flush unless `edit` says otherwise, with `on_error` collecting into the failures.
fn queue_on(
    server: &str,
    call: CallOptions,
    edit: impl FnOnce(&mut EventQueueOptions),
) -> (EventQueue, Failures) {
    let failures: Failures = Rc::default();
    let seen = failures.clone();
    let mut settings = EventQueueOptions {
        flush_interval_ms: 0,
        on_error: Some(Rc::new(move |err: &Error, events: &[EventInputObject]| {
            let ids = events.iter().map(|e| e.transaction_id.clone()).collect();
            seen.borrow_mut().push((err.clone(), ids));
        })),
        call,
        ..Default::default()
    };
    edit(&mut settings);
    let queue = EventQueue::new(Client::new(options(server)), settings).expect("options");
    (queue, failures)
}

fn queue(tag: &str, edit: impl FnOnce(&mut EventQueueOptions)) -> (EventQueue, Failures) {
    queue_on(server(), tagged(tag), edit)
}

/// The batches `server` received tagged `tag`, oldest first: (status, 0 for a lost answer;
/// the events' transaction ids; their timestamps).
async fn batches(server: &str, tag: &str) -> Vec<(u64, Vec<String>, Vec<Value>)> {
    logged(server, tag)
        .await
        .iter()
        .filter(|r| r["path"] == "/api/v1/events/batch")
        .map(|r| {
            let body: Value = serde_json::from_str(r["body"].as_str().unwrap_or("")).unwrap();
            let events = body["events"].as_array().cloned().unwrap_or_default();
            let ids = events
                .iter()
                .map(|e| e["transaction_id"].as_str().unwrap_or("").into());
            let stamps = events.iter().map(|e| e["timestamp"].clone());
            (
                r["status"].as_u64().unwrap_or(0),
                ids.collect(),
                stamps.collect(),
            )
        })
        .collect()
}

fn report(delivered: usize, duplicates: usize, failed: usize) -> FlushReport {
    FlushReport {
        delivered,
        duplicates,
        failed,
    }
}

#[wasm_bindgen_test]
async fn batches_of_batch_size_in_order_one_at_a_time_and_events_move_usage() {
    let before = api_calls_units().await;
    let tag = uid("order");
    let (q, failures) = queue(&tag, |_| {});
    let mut ids = Vec::new();
    for _ in 0..250 {
        ids.push(q.enqueue(event(&uid("order"))).expect("enqueue"));
    }
    assert_eq!(q.len(), 250);
    assert_eq!(q.flush().await, report(250, 0, 0));
    assert_eq!(q.len(), 0);
    assert!(failures.borrow().is_empty());
    let sent = batches(server(), &tag).await;
    let shape: Vec<(u64, usize)> = sent.iter().map(|(s, ids, _)| (*s, ids.len())).collect();
    assert_eq!(shape, [(200, 100), (200, 100), (200, 50)]);
    let order: Vec<String> = sent.into_iter().flat_map(|(_, ids, _)| ids).collect();
    assert_eq!(order, ids, "in enqueue order");
    assert_eq!(api_calls_units().await, before + 2500.0, "usage moved");
}

#[wasm_bindgen_test]
async fn ids_and_timestamps_are_fixed_at_enqueue() {
    let tag = uid("ids");
    let (q, _) = queue(&tag, |_| {});
    let given_id = uid("given");
    let given = q.enqueue(event(&given_id)).unwrap();
    assert_eq!(given, given_id);
    let mut bare = event("");
    bare.timestamp = Field::Null;
    let made = q.enqueue(bare).unwrap();
    let uuid = made.as_bytes();
    assert_eq!(made.len(), 36, "{made}");
    for (i, b) in uuid.iter().enumerate() {
        match i {
            8 | 13 | 18 | 23 => assert_eq!(*b, b'-', "{made}"),
            14 => assert_eq!(*b, b'4', "v4: {made}"),
            19 => assert!(b"89ab".contains(b), "variant: {made}"),
            _ => assert!(b.is_ascii_hexdigit() && !b.is_ascii_uppercase(), "{made}"),
        }
    }
    let mut stamped = event(&uid("stamped"));
    stamped.timestamp = Field::Value(NumOrStr::Str("1700000000.5".into()));
    q.enqueue(stamped).unwrap();
    assert_eq!(q.flush().await, report(3, 0, 0));
    let sent = batches(server(), &tag).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1[..2], [given, made]);
    for stamp in &sent[0].2[..2] {
        let stamp = stamp.as_str().expect("a string timestamp");
        let (secs, ms) = stamp.split_once('.').expect("seconds.ms");
        assert!(
            secs.len() == 10 && ms.len() == 3,
            "Unix seconds with ms: {stamp}"
        );
        let secs: f64 = stamp.parse().unwrap();
        assert!((secs * 1000.0 - now()).abs() < 60_000.0, "now: {stamp}");
    }
    assert_eq!(sent[0].2[2], "1700000000.5", "a given timestamp is kept");
}

#[wasm_bindgen_test]
async fn a_422_with_a_duplicate_and_a_bad_event_settles_each_and_resends_the_rest() {
    let dup = uid("dup");
    let body = EventInput {
        event: event(&dup),
        ..Default::default()
    };
    client().create_event(&body).await.expect("stored");
    let tag = uid("422");
    let (q, failures) = queue(&tag, |_| {});
    let good = [uid("g"), uid("g"), uid("g")];
    q.enqueue(event(&good[0])).unwrap();
    q.enqueue(event(&dup)).unwrap();
    let mut bad = event(&good[1]);
    bad.code = String::new(); // Lago refuses an empty code: value_is_mandatory
    q.enqueue(bad).unwrap();
    q.enqueue(event(&good[2])).unwrap();
    assert_eq!(q.flush().await, report(2, 1, 1));
    let failures = failures.borrow().clone();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].0.status, Some(422));
    assert_eq!(failures[0].1, [good[1].clone()]);
    let sent = batches(server(), &tag).await;
    let statuses: Vec<u64> = sent.iter().map(|b| b.0).collect();
    assert_eq!(statuses, [422, 200]);
    assert_eq!(sent[1].1, [good[0].clone(), good[2].clone()]);
}

#[wasm_bindgen_test]
async fn a_lost_answer_the_resent_batch_counts_as_duplicates_nothing_twice() {
    let tag = uid("lost");
    let fault = format!("drop;commit;times=1;id={tag}");
    let (q, failures) = queue_on(server(), faulted(&tag, &fault), |_| {});
    for _ in 0..5 {
        q.enqueue(event(&uid("lost"))).unwrap();
    }
    assert_eq!(q.flush().await, report(0, 5, 0));
    assert!(failures.borrow().is_empty());
    let sent = batches(server(), &tag).await;
    let statuses: Vec<u64> = sent.iter().map(|b| b.0).collect();
    assert_eq!(
        statuses,
        [0, 422],
        "the answer cut, then the resend refused as duplicates"
    );
    assert_eq!(sent[0].1, sent[1].1, "the same events");
}

#[wasm_bindgen_test]
async fn a_429_storm_every_event_lands_once() {
    let tag = uid("storm");
    let mut call = tagged(&tag);
    call.max_retries = Some(10);
    let (q, failures) = queue_on(rl_server(), call, |o| o.batch_size = 1);
    let mut ids = Vec::new();
    for _ in 0..12 {
        ids.push(q.enqueue(event(&uid("storm"))).unwrap());
    }
    assert_eq!(q.flush().await, report(12, 0, 0));
    assert!(failures.borrow().is_empty());
    let sent = batches(rl_server(), &tag).await;
    assert!(sent.iter().any(|b| b.0 == 429), "the limiter refused some");
    let landed: Vec<String> = sent
        .into_iter()
        .filter(|b| b.0 == 200)
        .flat_map(|b| b.1)
        .collect();
    assert_eq!(landed, ids, "each once, in order");
}

#[wasm_bindgen_test]
async fn past_max_queued_enqueue_refuses_queue_full_and_drops_nothing() {
    let tag = uid("full");
    let (q, _) = queue(&tag, |o| o.max_queued = 3);
    for _ in 0..3 {
        q.enqueue(event(&uid("full"))).unwrap();
    }
    let e = q.enqueue(event(&uid("full"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert_eq!(e.code.as_deref(), Some("queue_full"), "{e}");
    assert_eq!(q.len(), 3);
    assert_eq!(q.flush().await, report(3, 0, 0));
    assert_eq!(q.flush().await, report(0, 0, 0), "nothing waits");
}

#[wasm_bindgen_test]
async fn a_bad_event_or_bad_options_are_refused_at_once() {
    let tag = uid("bad");
    let (q, _) = queue(&tag, |_| {});
    let mut bad = event("x");
    bad.properties = Field::Value(json!({"a": [1]}).as_object().unwrap().clone());
    let e = q.enqueue(bad).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput, "{e}");
    assert!(
        e.field.as_deref().unwrap_or("").starts_with("event."),
        "{e}"
    );
    assert_eq!(q.len(), 0);
    for edit in [
        (|o: &mut EventQueueOptions| o.batch_size = 0) as fn(&mut EventQueueOptions),
        |o| o.batch_size = 101,
        |o| o.max_queued = 0,
        |o| o.flush_interval_ms = u32::MAX,
    ] {
        let mut options = EventQueueOptions::default();
        edit(&mut options);
        let e = EventQueue::new(client(), options.clone()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput, "{options:?}: {e}");
    }
}

#[wasm_bindgen_test]
async fn close_flushes_and_stops_the_timer_then_enqueue_refuses_queue_closed() {
    let timers = TimerWatch::install();
    let tag = uid("close");
    let (q, _) = queue(&tag, |o| o.flush_interval_ms = 60_000);
    q.enqueue(event(&uid("close"))).unwrap();
    let timer = timers.wait_for_delay(60_000.0).await;
    assert_eq!(q.close().await, report(1, 0, 0));
    assert_eq!(batches(server(), &tag).await.len(), 1);
    assert_eq!(timers.state(timer), "cleared");
    let e = q.enqueue(event(&uid("close"))).unwrap_err();
    assert_eq!(e.code.as_deref(), Some("queue_closed"), "{e}");
    assert_eq!(q.len(), 0);
}

#[wasm_bindgen_test]
async fn the_timer_sends_what_waits_without_a_flush() {
    let tag = uid("timer");
    let (q, _) = queue(&tag, |o| o.flush_interval_ms = 30);
    q.enqueue(event(&uid("timer"))).unwrap();
    q.enqueue(event(&uid("timer"))).unwrap();
    wait_logged(server(), &tag, 1).await;
    let sent = batches(server(), &tag).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1.len(), 2);
    wait_for("the queue to empty", || q.is_empty()).await;
    assert_eq!(
        q.flush().await,
        report(2, 0, 0),
        "reported at the next flush"
    );
}

#[wasm_bindgen_test]
async fn a_batch_failing_after_the_retries_is_given_up_to_on_error() {
    let tag = uid("503");
    let mut call = faulted(&tag, "status=503");
    call.max_retries = Some(1);
    let (q, failures) = queue_on(server(), call, |_| {});
    let ids = [
        q.enqueue(event(&uid("503"))).unwrap(),
        q.enqueue(event(&uid("503"))).unwrap(),
    ];
    assert_eq!(q.flush().await, report(0, 0, 2));
    let failures = failures.borrow().clone();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].0.status, Some(503));
    assert_eq!(failures[0].0.attempts, 2);
    assert_eq!(failures[0].1, ids);
}

#[wasm_bindgen_test]
async fn on_error_may_enqueue_again_and_a_dropped_queue_still_sends_by_its_timer() {
    let tag = uid("again");
    let mut settings = EventQueueOptions {
        flush_interval_ms: 30,
        call: tagged(&tag),
        ..Default::default()
    };
    // The handler resends each refused event under a good code, through a handle of its own.
    let slot: Rc<RefCell<Option<EventQueue>>> = Rc::default();
    let handle = slot.clone();
    settings.on_error = Some(Rc::new(move |_: &Error, events: &[EventInputObject]| {
        let queue = handle.borrow().clone().expect("the queue");
        for e in events {
            let mut fixed = e.clone();
            fixed.code = "api_calls".into();
            queue.enqueue(fixed).expect("enqueue from on_error");
        }
    }));
    let q = EventQueue::new(client(), settings).expect("options");
    *slot.borrow_mut() = Some(q.clone());
    let mut bad = event(&uid("again"));
    bad.code = String::new();
    let id = q.enqueue(bad).unwrap();
    assert_eq!(q.flush().await, report(0, 0, 1), "refused, and resent");
    *slot.borrow_mut() = None;
    drop(q); // the last handle: the timer sends what waits all the same
    let sent = wait_logged(server(), &tag, 2).await;
    let statuses: Vec<u64> = sent
        .iter()
        .map(|r| r["status"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(statuses, [422, 200]);
    assert_eq!(batches(server(), &tag).await[1].1, [id]);
}

#[wasm_bindgen_test]
async fn events_enqueued_while_a_batch_is_in_flight_follow_it_in_order() {
    let tag = uid("flight");
    let mut call = tagged(&tag);
    call.headers
        .push(("x-fake-fault".into(), "latency=200".into()));
    let (q, _) = queue_on(server(), call, |o| o.batch_size = 2);
    let mut ids = Vec::new();
    for _ in 0..2 {
        ids.push(q.enqueue(event(&uid("flight"))).unwrap()); // a full batch: sent at once
    }
    wait_logged(server(), &tag, 1).await;
    for _ in 0..3 {
        ids.push(q.enqueue(event(&uid("flight"))).unwrap());
    }
    assert_eq!(q.len(), 5);
    assert_eq!(q.flush().await, report(5, 0, 0));
    let sent = batches(server(), &tag).await;
    let sizes: Vec<usize> = sent.iter().map(|b| b.1.len()).collect();
    assert_eq!(sizes, [2, 2, 1]);
    let order: Vec<String> = sent.into_iter().flat_map(|b| b.1).collect();
    assert_eq!(order, ids);
}

#[wasm_bindgen_test]
async fn a_page_exit_sends_what_waits_with_keepalive_in_small_requests() {
    let tag = uid("exit");
    let (queue, failures) = queue(&tag, |o| o.flush_interval_ms = 60_000);
    let ids: Vec<String> = (0..35)
        .map(|i| {
            let mut e = event(&format!("{tag}_{i}"));
            // About 615 bytes an event: 35 of them (under the 24 KiB that would be sent early)
            // need two requests under 16 KiB.
            e.extra.insert("note".into(), json!("x".repeat(450)));
            queue.enqueue(e).expect("enqueue")
        })
        .collect();
    assert!(batches(server(), &tag).await.is_empty(), "nothing sent yet");
    // What fetch is handed as the page goes away: each of this queue's requests' `keepalive`
    // (other tests' queues may send meanwhile).
    let watch = js_sys::Function::new_with_args(
        "tag",
        "const real = globalThis.fetch; const seen = []; \
         globalThis.fetch = (r, i) => { \
           if (r.headers.get('x-test-id') === tag) seen.push(r.keepalive === true); \
           return real(r, i); }; \
         return { seen, restore: () => { globalThis.fetch = real; } };",
    )
    .call1(&wasm_bindgen::JsValue::NULL, &tag.as_str().into())
    .expect("watch fetch");
    // Twice (a page may say it goes away more than once): the second sends nothing again.
    for _ in 0..2 {
        let pagehide = web_sys::Event::new("pagehide").expect("an event");
        web_sys::window()
            .expect("a window")
            .dispatch_event(&pagehide)
            .expect("dispatched");
    }
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = batches(server(), &tag).await;
        if sent.iter().map(|b| b.1.len()).sum::<usize>() >= ids.len() {
            break;
        }
        sleep(20).await;
    }
    let restore: js_sys::Function = js_sys::Reflect::get(&watch, &"restore".into())
        .expect("restore")
        .unchecked_into();
    restore
        .call0(&wasm_bindgen::JsValue::NULL)
        .expect("restored");
    let seen = js_sys::Reflect::get(&watch, &"seen".into()).expect("seen");
    assert_eq!(
        serde_wasm_bindgen::from_value::<Vec<bool>>(seen).expect("bools"),
        vec![true; sent.len()],
        "every exit request with keepalive: {:?}",
        sent.iter().map(|b| (b.0, b.1.len())).collect::<Vec<_>>()
    );
    assert!(sent.len() >= 2, "in requests under 16 KiB: {}", sent.len());
    assert!(sent.iter().all(|b| b.0 == 200));
    // Exit requests go at once, side by side: they may arrive in either order.
    let mut delivered: Vec<String> = sent.into_iter().flat_map(|b| b.1).collect();
    delivered.sort();
    let mut ids = ids;
    ids.sort();
    assert_eq!(delivered, ids, "every event, once");
    // The page stayed after all: the queue's own send meets them as duplicates.
    let report = queue.close().await;
    assert_eq!(
        report,
        FlushReport {
            delivered: 0,
            duplicates: 35,
            failed: 0
        }
    );
    assert!(failures.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn in_a_page_what_waits_is_sent_early_in_requests_under_16_kib() {
    let tag = uid("early");
    let (queue, _) = queue(&tag, |o| o.flush_interval_ms = 60_000);
    // 60 events of about 500 bytes: past 24 KiB waiting, a request goes without timer or flush.
    for i in 0..60 {
        let mut e = event(&format!("{tag}_{i}"));
        e.extra.insert("note".into(), json!("x".repeat(450)));
        queue.enqueue(e).expect("enqueue");
    }
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = batches(server(), &tag).await;
        if !sent.is_empty() {
            break;
        }
        sleep(20).await;
    }
    assert!(!sent.is_empty(), "sent early");
    let bodies: Vec<usize> = logged(server(), &tag)
        .await
        .iter()
        .map(|r| r["body"].as_str().unwrap_or("").len())
        .collect();
    assert!(bodies.iter().all(|b| *b < 16 * 1024), "{bodies:?}");
    let report = queue.close().await;
    assert_eq!(report.delivered, 60);
}
