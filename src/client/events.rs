//! `EventQueue`: usage events batched through [`Client::create_batch_events`], the Rust face's
//! twin of the JS face's `LagoEventQueue` (API.md "Usage events", REALITY.md section 7;
//! `pkg-template/event-queue.js` is the reference). Events wait here in enqueue order until
//! delivered or given up; one request is in flight at a time, sent by a task of its own
//! (`spawn_local`), so nothing here is `Send` (the browser is one thread).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::operations::ep;
use super::platform::{clear_timeout, set_timeout};
use super::{CallOptions, Client, ClientOptions};
use crate::error::{Error, ErrorKind};
use crate::models::{EventBatchInput, EventInput, EventInputObject, Field, NumOrStr};

/// Lago's `LAGO_EVENTS_BATCH_MAX_LENGTH`: at most 100 events a request.
const MAX_BATCH: usize = 100;

/// What a queue does with the events it gives up for good (a 422 on one event, or a batch still
/// failing after the client's retries): the error and those events. It is called from the
/// queue's own task, after the queue's state is released, so it may call [`EventQueue::enqueue`]
/// (to resend, say); it must not panic (a panic aborts the wasm module).
pub type OnError = Rc<dyn Fn(&Error, &[EventInputObject])>;

/// Settings of an [`EventQueue`]; `Default` is the JS face's: batches of 100, a send every
/// second, at most 10,000 events waiting, failures written to the console.
#[derive(Clone)]
pub struct EventQueueOptions {
    /// Events per request, 1 to 100.
    pub batch_size: usize,
    /// How long an event waits for a full batch before what waits is sent, in ms (at most
    /// 2^31-1); 0 = sent only on [`EventQueue::flush`] (or once a batch is full).
    pub flush_interval_ms: u32,
    /// Events waiting (those in flight included) past which `enqueue` refuses with code
    /// `queue_full`, from 1.
    pub max_queued: usize,
    /// Called with each group of events given up; `None` writes one line to `console.error`.
    /// The counts are in every [`FlushReport`] either way.
    pub on_error: Option<OnError>,
    /// Per-request settings of the queue's requests (headers, timeout, retries, a signal that
    /// aborts them: an aborted batch is given up).
    pub call: CallOptions,
}

impl Default for EventQueueOptions {
    fn default() -> Self {
        EventQueueOptions {
            batch_size: MAX_BATCH,
            flush_interval_ms: 1000,
            max_queued: 10_000,
            on_error: None,
            call: CallOptions::default(),
        }
    }
}

/// By hand: `on_error` is a closure.
impl std::fmt::Debug for EventQueueOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventQueueOptions")
            .field("batch_size", &self.batch_size)
            .field("flush_interval_ms", &self.flush_interval_ms)
            .field("max_queued", &self.max_queued)
            .field("on_error", &self.on_error.as_ref().map(|_| "Fn"))
            .field("call", &self.call)
            .finish()
    }
}

/// What settled since the previous flush resolved: events delivered, events Lago already had
/// (`transaction_id: ["value_already_exist"]`: delivered before, e.g. by a request whose answer
/// was lost), and events given up (handed to `on_error`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlushReport {
    /// Stored by this queue's requests.
    pub delivered: usize,
    /// Refused as duplicates: Lago had them already.
    pub duplicates: usize,
    /// Given up for good (refused, or failing after the client's retries).
    pub failed: usize,
}

/// Usage events batched through `POST /events/batch` (API.md "Usage events"): `enqueue` checks
/// an event and fixes its `transaction_id` and `timestamp` at once; events go out in enqueue
/// order, up to `batch_size` a request, one request in flight; a 422 naming events by index
/// counts duplicates as delivered, gives the other named events up and resends the rest at
/// once; any other failure (after the client's own retries) gives the batch up.
///
/// A cheap handle (`Clone` shares the queue). Dropping every handle does not lose what waits:
/// the timer still sends it. In a page, `pagehide` (or `visibilitychange` to hidden) sends what
/// waits at once with `keepalive`, in requests under 16 KiB, and what waits unsent is sent early
/// from 24 KiB, as the JS face's `LagoEventQueue` does.
#[derive(Clone)]
pub struct EventQueue {
    state: Rc<RefCell<State>>,
}

impl std::fmt::Debug for EventQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventQueue")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

struct State {
    client: Client,
    call: CallOptions,
    batch_size: usize,
    interval_ms: u32,
    max_queued: usize,
    on_error: Option<OnError>,
    /// In enqueue order, with their enqueue numbers and JSON sizes; a batch in flight is the
    /// front.
    waiting: VecDeque<(u64, EventInputObject, usize)>,
    /// The JSON bytes of the events waiting unsent (not in flight).
    unsent_bytes: usize,
    next_seq: u64,
    /// The sending task runs.
    sending: bool,
    /// The next batch goes now, full or not (the timer fired, or a refused batch's rest).
    due: bool,
    closed: bool,
    /// The armed timer: its id and the `resolve` of the promise its task awaits.
    timer: Option<(i32, Function)>,
    /// Bumped when a timer is armed or stopped: a woken timer task acts only if it is current.
    timer_gen: u64,
    /// Flushes waiting: the enqueue number they wait past, and where their report goes.
    flushes: Vec<(u64, Rc<RefCell<Slot>>)>,
    report: FlushReport,
    /// How many front events the request in flight carries (0: none in flight).
    in_flight: usize,
    /// Events enqueued before this number were sent at a page exit already (`pagehide` after
    /// `visibilitychange`, say): the next exit does not send them again.
    exit_seq: u64,
    /// In a page: the listeners that send what waits as the page goes away.
    page_exit: Option<PageExit>,
}

/// Browsers carry at most 64 KiB of `keepalive` bodies in flight per page: a page's exit sends
/// what waits in requests of at most this many bytes (as the JS face's queue does).
const PAGE_BYTES: usize = 16 * 1024;

/// In a page, what waits unsent is sent early once it reaches this many bytes, so that what a
/// page's exit must carry (the request in flight again, and what waits) fits its 64 KiB.
const EARLY_BYTES: usize = 24 * 1024;

/// A queue's `pagehide` and `visibilitychange` listeners, taken off the page when the queue's
/// state goes (or at `close`).
struct PageExit {
    window: web_sys::Window,
    listener: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for PageExit {
    fn drop(&mut self) {
        let f = self.listener.as_ref().unchecked_ref();
        let _ = self
            .window
            .remove_event_listener_with_callback("pagehide", f);
        if let Some(document) = self.window.document() {
            let _ = document.remove_event_listener_with_callback("visibilitychange", f);
        }
    }
}

/// Listens for the page going away (`pagehide`, or `visibilitychange` to hidden); `None`
/// outside a page (a worker).
fn listen_for_exit(state: &Rc<RefCell<State>>) -> Option<PageExit> {
    let window = web_sys::window()?;
    let weak = Rc::downgrade(state);
    let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .map_or(true, |d| {
                d.visibility_state() == web_sys::VisibilityState::Hidden
            });
        if event.type_() == "pagehide" || hidden {
            if let Some(state) = weak.upgrade() {
                send_on_exit(&state);
            }
        }
    });
    let f = listener.as_ref().unchecked_ref();
    window
        .add_event_listener_with_callback("pagehide", f)
        .ok()?;
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback("visibilitychange", f);
    }
    Some(PageExit { window, listener })
}

/// The page goes away: everything waiting is sent at once with `keepalive` (which outlives the
/// page), in requests under [`PAGE_BYTES`]. The batch in flight, which the page's exit cancels,
/// goes again on its own (its ids dedupe: all duplicates or all new, never a mix that Lago would
/// refuse whole), then the rest. The queue's own bookkeeping is left as it is: if the page
/// stays after all (a hidden tab), its next requests meet these events as duplicates.
fn send_on_exit(state: &Rc<RefCell<State>>) {
    let (client, mut call, cancelled, rest, batch_size) = {
        let mut st = state.borrow_mut();
        let since = st.exit_seq;
        st.exit_seq = st.next_seq;
        let (mut cancelled, mut rest) = (Vec::new(), Vec::new());
        for (i, (seq, event, _)) in st.waiting.iter().enumerate() {
            if *seq < since {
                continue; // sent at an earlier exit
            }
            let group = if i < st.in_flight {
                &mut cancelled
            } else {
                &mut rest
            };
            group.push(event.clone());
        }
        let (client, call) = (st.client.clone(), st.call.clone());
        (client, call, cancelled, rest, st.batch_size)
    };
    call.keepalive = true;
    let (cancelled, rest) = (cancelled.as_slice(), rest.as_slice());
    let mut batches = Vec::new();
    for group in [cancelled, rest] {
        let mut batch: Vec<EventInputObject> = Vec::new();
        let mut bytes = 0;
        for event in group {
            let size = serde_json::to_string(event).map_or(0, |t| t.len()) + 1;
            if !batch.is_empty() && (batch.len() == batch_size || bytes + size > PAGE_BYTES) {
                batches.push(std::mem::take(&mut batch));
                bytes = 0;
            }
            bytes += size;
            batch.push(event.clone());
        }
        if !batch.is_empty() {
            batches.push(batch);
        }
    }
    for events in batches {
        let (client, call) = (client.clone(), call.clone());
        spawn_local(async move {
            let body = EventBatchInput {
                events,
                extra: Default::default(),
            };
            // The page is going away: nobody is left to hear how it went.
            let _ = client.create_batch_events(&body).options(&call).await;
        });
    }
}

#[derive(Default)]
struct Slot {
    report: Option<FlushReport>,
    waker: Option<Waker>,
}

/// A flush's future: ready once every event enqueued before the flush settled.
struct Flush {
    slot: Rc<RefCell<Slot>>,
}

impl Future for Flush {
    type Output = FlushReport;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<FlushReport> {
        let mut slot = self.slot.borrow_mut();
        match slot.report {
            Some(report) => Poll::Ready(report),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

fn queue_error(code: Option<&str>, field: Option<&str>, message: String) -> Error {
    let mut err = Error::new(ErrorKind::InvalidInput, "POST", "/events/batch", message);
    err.code = code.map(Into::into);
    err.field = field.map(Into::into);
    err
}

fn option_error(field: &str, problem: &str) -> Error {
    let message = format!("Invalid option: {field} {problem} (EventQueue::new)");
    queue_error(None, Some(field), message)
}

impl EventQueue {
    /// A queue sending through `client`. Refuses (`InvalidInput`, naming the option) a
    /// `batch_size` outside 1 to 100, a `max_queued` of 0, a `flush_interval_ms` above
    /// 2^31-1. The client's own bad options fail each batch instead, as they fail each call.
    pub fn new(client: Client, options: EventQueueOptions) -> Result<EventQueue, Error> {
        let EventQueueOptions {
            batch_size,
            flush_interval_ms,
            max_queued,
            on_error,
            call,
        } = options;
        if !(1..=MAX_BATCH).contains(&batch_size) {
            return Err(option_error(
                "batch_size",
                "must be an integer from 1 to 100",
            ));
        }
        if max_queued == 0 {
            return Err(option_error("max_queued", "must be at least 1"));
        }
        if flush_interval_ms > i32::MAX as u32 {
            return Err(option_error(
                "flush_interval_ms",
                "must be at most 2147483647 (0 = send only on flush())",
            ));
        }
        let state = State {
            client,
            call,
            batch_size,
            interval_ms: flush_interval_ms,
            max_queued,
            on_error,
            waiting: VecDeque::new(),
            unsent_bytes: 0,
            next_seq: 0,
            sending: false,
            due: false,
            closed: false,
            timer: None,
            timer_gen: 0,
            flushes: Vec::new(),
            report: FlushReport::default(),
            in_flight: 0,
            exit_seq: 0,
            page_exit: None,
        };
        let state = Rc::new(RefCell::new(state));
        let exit = listen_for_exit(&state);
        state.borrow_mut().page_exit = exit;
        Ok(EventQueue { state })
    }

    /// A queue over a new [`Client`] made from `client`.
    pub fn from_options(
        client: ClientOptions,
        options: EventQueueOptions,
    ) -> Result<EventQueue, Error> {
        EventQueue::new(Client::new(client), options)
    }

    /// Events waiting, those in flight included.
    pub fn len(&self) -> usize {
        self.state.borrow().waiting.len()
    }

    /// No event waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks `event` as `create_event` checks its body, fixes its `transaction_id` (given, or
    /// a new v4 UUID when empty) and its `timestamp` (given, or now, when absent or `null`: Unix
    /// seconds with ms, as a string such as `"1733450000.123"`), queues it and returns its
    /// `transaction_id`. Refuses with `InvalidInput`, queueing nothing: a bad event (the field
    /// named), code `queue_full` past `max_queued`, code `queue_closed` after `close()`.
    pub fn enqueue(&self, mut event: EventInputObject) -> Result<String, Error> {
        {
            let st = self.state.borrow();
            if st.closed {
                let message = "EventQueue: enqueue after close(); nothing was queued".into();
                return Err(queue_error(Some("queue_closed"), None, message));
            }
            if st.waiting.len() >= st.max_queued {
                let message = format!(
                    "EventQueue: {} events wait (max_queued); this one was not queued",
                    st.waiting.len()
                );
                return Err(queue_error(Some("queue_full"), None, message));
            }
        }
        if event.transaction_id.is_empty() {
            event.transaction_id = uuid();
        }
        if matches!(event.timestamp, Field::Absent | Field::Null) {
            event.timestamp = Field::Value(NumOrStr::Str(now_seconds()));
        }
        // `create_event`'s own body type, moved in and out: the same check, no copy.
        let body = EventInput {
            event,
            extra: Default::default(),
        };
        // The checked JSON text is `{"event":…}`: the event's own bytes are the rest.
        let size = Client::json(&ep::CREATE_EVENT, &body)?.len() - r#"{"event":}"#.len();
        let event = body.event;
        let id = event.transaction_id.clone();
        let start = {
            let mut st = self.state.borrow_mut();
            let seq = st.next_seq;
            st.next_seq += 1;
            st.waiting.push_back((seq, event, size));
            st.unsent_bytes += size;
            st.should_send()
        };
        if start {
            start_sending(&self.state);
        } else {
            arm_timer(&self.state);
        }
        Ok(id)
    }

    /// Resolves once every event enqueued before the call is delivered or given up, with what
    /// settled since the previous flush resolved. The future owns what it needs (`'static`).
    pub fn flush(&self) -> impl Future<Output = FlushReport> + 'static {
        let slot = Rc::new(RefCell::new(Slot::default()));
        {
            let mut st = self.state.borrow_mut();
            let target = st.next_seq;
            st.flushes.push((target, slot.clone()));
        }
        resolve_flushes(&self.state);
        start_sending(&self.state);
        Flush { slot }
    }

    /// Flushes and stops the timer and the page listeners; a later `enqueue` refuses with code
    /// `queue_closed`.
    pub fn close(&self) -> impl Future<Output = FlushReport> + 'static {
        let exit = {
            let mut st = self.state.borrow_mut();
            st.closed = true;
            st.page_exit.take()
        };
        drop(exit);
        let flush = self.flush();
        let state = self.state.clone();
        async move {
            let report = flush.await;
            stop_timer(&state);
            report
        }
    }
}

impl State {
    /// Whether the next batch goes now: a full batch waits, a flush waits, or it is due.
    fn should_send(&self) -> bool {
        !self.sending
            && !self.waiting.is_empty()
            && (self.due
                || !self.flushes.is_empty()
                || self.waiting.len() >= self.batch_size
                || (self.page_exit.is_some() && self.unsent_bytes >= EARLY_BYTES))
    }
}

/// Starts the sending task unless it runs or nothing is to go now (then arms the timer).
fn start_sending(state: &Rc<RefCell<State>>) {
    {
        let mut st = state.borrow_mut();
        if !st.should_send() {
            drop(st);
            arm_timer(state);
            return;
        }
        st.sending = true;
    }
    stop_timer(state);
    let state = state.clone();
    spawn_local(async move { send_all(state).await });
}

/// The sending task: one batch after another while one is to go now.
async fn send_all(state: Rc<RefCell<State>>) {
    loop {
        let (client, call, batch) = {
            let mut st = state.borrow_mut();
            st.sending = false;
            if !st.should_send() {
                // Nothing is due any more (a refused batch's rest may have been empty).
                st.due = false;
                break;
            }
            st.sending = true;
            st.due = false;
            // Up to `batch_size` events; in a page also under PAGE_BYTES (see EARLY_BYTES).
            let most = if st.page_exit.is_some() {
                PAGE_BYTES
            } else {
                usize::MAX
            };
            let (mut n, mut bytes) = (0, 0);
            for (_, _, size) in st.waiting.iter().take(st.batch_size) {
                if n > 0 && bytes + size + 1 > most {
                    break;
                }
                n += 1;
                bytes += size + 1;
            }
            st.in_flight = n;
            st.unsent_bytes = st.unsent_bytes.saturating_sub(bytes.saturating_sub(n));
            let events: Vec<EventInputObject> = st
                .waiting
                .iter()
                .take(n)
                .map(|(_, e, _)| e.clone())
                .collect();
            (st.client.clone(), st.call.clone(), events)
        };
        let body = EventBatchInput {
            events: batch,
            extra: Default::default(),
        };
        let result = client.create_batch_events(&body).options(&call).await;
        state.borrow_mut().in_flight = 0;
        let given_up = settle(&state, body.events.len(), result.err());
        if let Some((err, events)) = given_up {
            report_failure(&state, &err, &events);
        }
        resolve_flushes(&state);
    }
    resolve_flushes(&state);
    arm_timer(&state);
}

/// Settles the batch of the `n` front events: all delivered, or by a refusal. Returns the
/// events given up, with the error, for `on_error` (called once the state is released).
fn settle(
    state: &Rc<RefCell<State>>,
    n: usize,
    err: Option<Error>,
) -> Option<(Error, Vec<EventInputObject>)> {
    let mut st = state.borrow_mut();
    let Some(err) = err else {
        st.waiting.drain(..n);
        st.report.delivered += n;
        return None;
    };
    let Some(by_index) = errors_by_index(&err, n) else {
        let events = st.waiting.drain(..n).map(|(_, e, _)| e).collect();
        st.report.failed += n;
        return Some((err, events));
    };
    // Each named event settles (a duplicate was delivered before; anything else is refused for
    // good); the rest of the batch goes again at once.
    let batch: Vec<(u64, EventInputObject, usize)> = st.waiting.drain(..n).collect();
    let mut bad = Vec::new();
    let mut rest = Vec::new();
    for (i, entry) in batch.into_iter().enumerate() {
        match by_index.iter().find(|(index, _)| *index == i) {
            Some((_, errors)) if is_duplicate(errors) => st.report.duplicates += 1,
            Some(_) => bad.push(entry.1),
            None => rest.push(entry),
        }
    }
    for entry in rest.into_iter().rev() {
        st.unsent_bytes += entry.2;
        st.waiting.push_front(entry);
    }
    st.report.failed += bad.len();
    st.due = true;
    (!bad.is_empty()).then_some((err, bad))
}

/// What a refused batch says about each of its events: the index in the batch and that event's
/// errors, from Lago's 422 `error_details` keyed by index; `None` when the refusal is not about
/// single events. (The SDK's own check of a batch cannot refuse one event: `enqueue` ran the same
/// check on each, so a batch refused before sending is refused for the client's options.)
fn errors_by_index(err: &Error, n: usize) -> Option<Vec<(usize, serde_json::Value)>> {
    if err.status != Some(422) {
        return None;
    }
    let Some(serde_json::Value::Object(details)) = err.details() else {
        return None;
    };
    let mut found = Vec::new();
    for (key, value) in details {
        let digits = !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit());
        match key.parse::<usize>() {
            Ok(i) if digits && i < n => found.push((i, value)),
            _ => {}
        }
    }
    (!found.is_empty()).then_some(found)
}

/// An event refused only as `transaction_id: ["value_already_exist"]` was delivered before.
fn is_duplicate(errors: &serde_json::Value) -> bool {
    let Some(errors) = errors.as_object() else {
        return false;
    };
    let ids = errors.get("transaction_id").and_then(|v| v.as_array());
    errors.len() == 1
        && ids.is_some_and(|ids| {
            !ids.is_empty()
                && ids
                    .iter()
                    .all(|c| c.as_str() == Some("value_already_exist"))
        })
}

/// Hands events given up to `on_error`, or writes one line to `console.error`.
fn report_failure(state: &Rc<RefCell<State>>, err: &Error, events: &[EventInputObject]) {
    let on_error = state.borrow().on_error.clone();
    match on_error {
        Some(on_error) => on_error(err, events),
        None => {
            let line = format!(
                "lago-wasm: EventQueue gave up {} event(s): {}",
                events.len(),
                err.message
            );
            console_error(&line);
        }
    }
}

/// Resolves the flushes no waiting event holds back, each with the report of what settled since
/// the previous flush resolved.
fn resolve_flushes(state: &Rc<RefCell<State>>) {
    let (ready, report) = {
        let mut st = state.borrow_mut();
        let oldest = st.waiting.front().map_or(u64::MAX, |(seq, _, _)| *seq);
        if !st.flushes.iter().any(|(target, _)| *target <= oldest) {
            return;
        }
        let (ready, waiting) = std::mem::take(&mut st.flushes)
            .into_iter()
            .partition(|(target, _)| *target <= oldest);
        st.flushes = waiting;
        (ready, std::mem::take(&mut st.report))
    };
    let ready: Vec<(u64, Rc<RefCell<Slot>>)> = ready;
    for (_, slot) in ready {
        let waker = {
            let mut slot = slot.borrow_mut();
            slot.report = Some(report);
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Arms the timer, unless it is armed, off (`flush_interval_ms: 0`), or nothing waits unsent.
fn arm_timer(state: &Rc<RefCell<State>>) {
    let gen = {
        let mut st = state.borrow_mut();
        if st.timer.is_some() || st.interval_ms == 0 || st.sending || st.waiting.is_empty() {
            return;
        }
        st.timer_gen += 1;
        st.timer_gen
    };
    let ms = state.borrow().interval_ms;
    let mut armed = None;
    let wait = Promise::new(&mut |resolve, _| {
        if let Some(id) = set_timeout(&resolve, f64::from(ms)) {
            armed = Some((id, resolve));
        }
    });
    let Some(armed) = armed else {
        return;
    };
    state.borrow_mut().timer = Some(armed);
    let state = state.clone();
    spawn_local(async move {
        let _ = JsFuture::from(wait).await;
        let current = {
            let mut st = state.borrow_mut();
            let current = st.timer_gen == gen;
            if current {
                st.timer = None;
                st.due = true;
            }
            current
        };
        if current {
            start_sending(&state);
        }
    });
}

/// Clears the armed timer and wakes its task (which then does nothing).
fn stop_timer(state: &Rc<RefCell<State>>) {
    let armed = {
        let mut st = state.borrow_mut();
        st.timer_gen += 1;
        st.timer.take()
    };
    if let Some((id, resolve)) = armed {
        clear_timeout(id);
        let _ = resolve.call0(&JsValue::UNDEFINED);
    }
}

/// Now as Unix seconds with ms, e.g. `1733450000.123`.
fn now_seconds() -> String {
    let ms = js_sys::Date::now();
    let ms = if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    };
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// A v4 UUID from `crypto.getRandomValues` (`Math.random` where there is no `crypto`).
fn uuid() -> String {
    let mut b = [0u8; 16];
    if !random_bytes(&mut b) {
        for x in &mut b {
            *x = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{x:02x}"));
    }
    out
}

/// Fills `out` with `globalThis.crypto.getRandomValues`; `false` when there is none.
fn random_bytes(out: &mut [u8]) -> bool {
    let global = js_sys::global();
    let Ok(crypto) = Reflect::get(&global, &JsValue::from_str("crypto")) else {
        return false;
    };
    let Some(get) = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    let array = Uint8Array::new_with_length(out.len() as u32);
    if get.call1(&crypto, &array).is_err() {
        return false;
    }
    array.copy_to(out);
    true
}

/// `console.error(line)`, when there is a console.
fn console_error(line: &str) {
    let console = Reflect::get(&js_sys::global(), &JsValue::from_str("console"));
    let error = console
        .as_ref()
        .ok()
        .and_then(|c| Reflect::get(c, &JsValue::from_str("error")).ok())
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let (Ok(console), Some(error)) = (console, error) {
        let _ = error.call1(&console, &JsValue::from_str(line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http_422(body: &str) -> Error {
        let mut err = Error::new(ErrorKind::Http, "POST", "/events/batch", "422".into());
        err.status = Some(422);
        err.body = Some(body.into());
        err
    }

    #[test]
    fn a_422_names_events_by_index_within_the_batch() {
        let err = http_422(
            r#"{"status":422,"code":"validation_errors","error_details":{"0":{"code":["value_is_mandatory"]},"2":{"transaction_id":["value_already_exist"]},"7":{"code":["x"]},"events":["no"]}}"#,
        );
        let found = errors_by_index(&err, 3).expect("named events");
        let indexes: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
        assert_eq!(
            indexes,
            [0, 2],
            "index 7 is past the batch, `events` no index"
        );
        assert!(!is_duplicate(&found[0].1));
        assert!(is_duplicate(&found[1].1));
        let whole = http_422(r#"{"error_details":{"events":["too_many_events"]}}"#);
        assert!(errors_by_index(&whole, 3).is_none());
        let mut other = http_422(r#"{"error_details":{"0":{"code":["x"]}}}"#);
        other.status = Some(500);
        assert!(
            errors_by_index(&other, 3).is_none(),
            "only a 422 names events"
        );
    }

    #[test]
    fn only_a_lone_value_already_exist_on_transaction_id_is_a_duplicate() {
        let dup = |v: serde_json::Value| is_duplicate(&v);
        assert!(dup(
            serde_json::json!({"transaction_id": ["value_already_exist"]})
        ));
        assert!(!dup(serde_json::json!({"transaction_id": []})));
        assert!(!dup(
            serde_json::json!({"transaction_id": ["value_already_exist"], "code": ["x"]})
        ));
        assert!(!dup(serde_json::json!({"transaction_id": ["invalid"]})));
        assert!(!dup(serde_json::json!(["value_already_exist"])));
    }
}
