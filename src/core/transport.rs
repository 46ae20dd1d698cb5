//! Sending a [`Request`]: retries with backoff, `Retry-After` and `X-RateLimit-Reset`, per
//! attempt timeouts, aborts, and mapping what came back to an [`Error`]. These decisions exist
//! once, here, in [`Attempts`] (no I/O: fed each attempt's outcome, it says what comes next),
//! and drive both faces: the Rust face through [`send`] over a [`Platform`] (one attempt, the
//! wait, the caller's abort, clock and randomness: gloo-net and web-sys), the JS face from
//! `src/js/runtime.js`, which makes the attempts and waits itself. Nothing here touches JS, so
//! the decisions are unit-tested natively against a scripted platform.

use std::borrow::Cow;

use super::body_check::top_level_string;
use super::operation::{Request, Retry};
use super::retry;
use super::text::{find, redact};
use crate::error::{push_num, push_request, Error, ErrorKind, RateLimit};

/// Client-wide settings, shared by every call of one client.
#[derive(Clone)]
pub struct Settings {
    /// Base URL without a trailing `/`, e.g. `https://api.getlago.com/api/v1`.
    pub base_url: String,
    /// Sent as `Authorization: Bearer <key>`; `None` behind a proxy.
    pub api_key: Option<String>,
    /// Extra headers for every request.
    pub headers: Vec<(String, String)>,
    /// Per attempt, in ms; 0 = none.
    pub timeout_ms: f64,
    /// Extra attempts after the first.
    pub max_retries: u32,
}

/// By hand, so that `{:?}` of a client can never print its API key (nor header values).
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// Default base URL (Lago's US cloud).
pub const DEFAULT_BASE_URL: &str = "https://api.getlago.com/api/v1";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            base_url: DEFAULT_BASE_URL.into(),
            api_key: None,
            headers: Vec::new(),
            timeout_ms: 30_000.0,
            max_retries: 2,
        }
    }
}

/// Per-call overrides of [`Settings`] (the caller's abort signal is the platform's business).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Replaces [`Settings::timeout_ms`] for this call.
    pub timeout_ms: Option<f64>,
    /// Replaces [`Settings::max_retries`] for this call.
    pub max_retries: Option<u32>,
    /// Sent after (and over) the client's headers.
    pub headers: Vec<(String, String)>,
}

/// What one attempt came back with.
#[derive(Debug)]
pub enum Outcome<B> {
    /// An answer, whatever its status; `body` is its text in the platform's own form.
    Reply {
        /// HTTP status.
        status: u16,
        /// The `Retry-After` header (read on non-2xx answers only).
        retry_after: Option<String>,
        /// The `X-RateLimit-*` headers (read on non-2xx answers only).
        rate_limit: Option<RateLimit>,
        /// The body.
        body: B,
    },
    /// The attempt's own timer fired.
    Timeout,
    /// The caller aborted.
    Aborted,
    /// No answer; the message names the deepest cause (e.g. `connect ECONNREFUSED ...`).
    Network(String),
}

/// The platform side of sending: everything that touches fetch, timers or the caller's signal.
#[allow(async_fn_in_trait)] // used generically inside the crate only, never as `dyn`
pub trait Platform {
    /// A body as the platform holds it (a JS string for the JS face, so a 2xx body crosses
    /// into wasm only as a handle).
    type Body;
    /// Sends `req` once to `url` with `headers`, under a timer of `timeout_ms` (0 = none) and
    /// the caller's abort, body read included. Never fails: every outcome is an [`Outcome`].
    async fn attempt(
        &self,
        req: &Request,
        url: &str,
        headers: &[(&str, Cow<'_, str>)],
        timeout_ms: f64,
    ) -> Outcome<Self::Body>;
    /// Waits `ms`, or less when the caller aborts.
    async fn sleep(&self, ms: f64);
    /// Whether the caller has aborted.
    fn aborted(&self) -> bool;
    /// A number in `[0, 1)`, for jitter.
    fn random(&self) -> f64;
    /// Unix time in ms, for `Retry-After` dates.
    fn now_ms(&self) -> f64;
    /// The body as text, for an error (the body of a non-2xx answer).
    fn text(&self, body: Self::Body) -> Option<String>;
}

/// A 2xx answer: its body, and how many requests it took.
#[derive(Debug)]
pub struct Reply<B> {
    /// The body as the platform holds it.
    pub body: B,
    /// Requests sent, retries included.
    pub attempts: u32,
}

/// What comes after an attempt.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // made once per attempt and matched at once, never stored
pub enum Next<B> {
    /// A 2xx answer: the call is done.
    Done(Reply<B>),
    /// Wait this many ms, check the caller has not aborted, and attempt again.
    Retry(f64),
    /// The call failed for good.
    Fail(Error),
}

/// What a call's attempts so far left behind: a caller that parks the call between attempts
/// (the JS face) keeps this.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Attempts made.
    pub made: u32,
    /// Whether one of them ended without proof that nothing was written, for a call that
    /// writes ([`Error::may_have_succeeded`]).
    pub may_have_written: bool,
}

/// One call's retry decisions, without any I/O: fed the outcome of each attempt, it says what
/// comes next. [`send`] drives it for the Rust face; the JS face drives it from `runtime.js`,
/// which makes the attempts and waits itself (so that face needs no Rust future at all).
pub struct Attempts<'a> {
    settings: &'a Settings,
    req: &'a Request,
    max_retries: u32,
    /// Per attempt, in ms; 0 = none.
    pub timeout_ms: f64,
    /// The attempts so far.
    pub progress: Progress,
}

impl<'a> Attempts<'a> {
    /// The decisions for `req` under `settings` and the call's `overrides`, `progress` in.
    pub fn new(
        settings: &'a Settings,
        req: &'a Request,
        overrides: &Overrides,
        progress: Progress,
    ) -> Self {
        Attempts {
            settings,
            req,
            max_retries: overrides.max_retries.unwrap_or(settings.max_retries),
            timeout_ms: overrides.timeout_ms.unwrap_or(settings.timeout_ms),
            progress,
        }
    }

    /// The error of a call the caller aborted before (or between) attempts.
    pub fn aborted(&self) -> Error {
        self.fail(ErrorKind::Aborted, aborted_message(self.req))
    }

    fn fail(&self, kind: ErrorKind, message: String) -> Error {
        let mut err = Error::new(kind, self.req.op.method, &self.req.path, message);
        err.attempts = self.progress.made;
        err.may_have_succeeded = self.progress.may_have_written;
        err
    }

    /// Counts the attempt that gave `outcome` and decides what comes next. `text` reads a
    /// failed answer's body; `random` (jitter) and `now_ms` (`Retry-After` dates) are asked for
    /// only when the answer is not a 2xx.
    pub fn after<B>(
        &mut self,
        outcome: Outcome<B>,
        text: impl FnOnce(B) -> Option<String>,
        random: impl FnOnce() -> f64,
        now_ms: impl FnOnce() -> f64,
    ) -> Next<B> {
        self.progress.made += 1;
        let (method, path) = (self.req.op.method, &self.req.path);
        // Read off the body only when an attempt did not succeed: a good answer needs no class.
        let req = self.req;
        let class = move || req.retry();
        let writes = method != "GET";
        // No answer once the request was sent: a write may have been carried out.
        if writes
            && matches!(
                outcome,
                Outcome::Timeout | Outcome::Network(_) | Outcome::Aborted
            )
        {
            self.progress.may_have_written = true;
        }
        let mut err = match outcome {
            Outcome::Reply {
                status,
                retry_after,
                rate_limit,
                body,
            } => {
                if (200..300).contains(&status) {
                    return Next::Done(Reply {
                        body,
                        attempts: self.progress.made,
                    });
                }
                let text = text(body).map(|t| self.settings.redact(&t));
                // A keyed create's retry refused as a duplicate of its key: the duplicate may
                // be what an earlier attempt of this call wrote.
                let duplicate = status == 422
                    && matches!(class(), Retry::Keyed(_))
                    && self.progress.made > 1
                    && text
                        .as_deref()
                        .is_some_and(|t| find(t, "value_already_exist", 0).is_some());
                self.progress.may_have_written |=
                    writes && (matches!(status, 500 | 502 | 504) || duplicate);
                let mut e = http_error(self.req, status, retry_after, text, now_ms());
                if duplicate {
                    e.message
                        .push_str(" (a retry: an earlier attempt may have written it)");
                }
                e.rate_limit = rate_limit;
                e
            }
            Outcome::Timeout => {
                let mut m = String::from("Timed out after ");
                push_num(&mut m, self.timeout_ms);
                m.push_str(" ms on ");
                push_request(&mut m, method, path);
                let mut e = self.fail(ErrorKind::Timeout, m);
                e.retryable = true;
                e
            }
            Outcome::Aborted => return Next::Fail(self.aborted()),
            Outcome::Network(cause) => {
                let mut m = String::from("Network error on ");
                push_request(&mut m, method, path);
                m.push_str(": ");
                m.push_str(&self.settings.redact(&cause));
                let mut e = self.fail(ErrorKind::Network, m);
                e.retryable = true;
                e
            }
        };
        err.attempts = self.progress.made;
        err.may_have_succeeded = self.progress.may_have_written;
        // An unsafe write is sent again only after an answer that proves it was refused.
        if err.retryable && !matches!(err.status, Some(429 | 503)) && class() == Retry::Unsafe {
            err.retryable = false;
        }
        let made = self.progress.made;
        let wait = retry::wait_ms(&err, made - 1, random());
        if !err.retryable || made > self.max_retries || wait > retry::MAX_RETRY_AFTER_MS {
            return Next::Fail(err);
        }
        Next::Retry(wait)
    }
}

/// Sends `req` with retries and returns the 2xx body, or the final error.
pub async fn send<P: Platform>(
    platform: &P,
    settings: &Settings,
    req: &Request,
    overrides: &Overrides,
) -> Result<Reply<P::Body>, Error> {
    let mut attempts = Attempts::new(settings, req, overrides, Progress::default());
    if platform.aborted() {
        return Err(attempts.aborted());
    }
    let url = url(settings, req);
    let headers = header_list(
        settings,
        overrides,
        req.body.is_some(),
        req.op.answer.is_text(),
    );
    loop {
        let outcome = platform
            .attempt(req, &url, &headers, attempts.timeout_ms)
            .await;
        let next = attempts.after(
            outcome,
            |body| platform.text(body),
            || platform.random(),
            || platform.now_ms(),
        );
        match next {
            Next::Done(reply) => return Ok(reply),
            Next::Fail(err) => return Err(err),
            Next::Retry(wait) => {
                platform.sleep(wait).await;
                if platform.aborted() {
                    return Err(attempts.aborted());
                }
            }
        }
    }
}

impl Settings {
    /// `text` with every occurrence of the API key replaced, for text that came from elsewhere
    /// (a fetch wrapper's error, a proxy echoing headers) and goes into an error.
    pub fn redact(&self, text: &str) -> String {
        match &self.api_key {
            Some(key) => redact(text, key),
            None => text.into(),
        }
    }
}

/// A `decode` error: a 2xx answer whose body is not what `req`'s operation answers; `problem`
/// says what is wrong with it, `text` is the body (redacted here).
pub fn decode_error(
    settings: &Settings,
    req: &Request,
    attempts: u32,
    problem: &str,
    text: Option<&str>,
) -> Error {
    let mut message = String::from("Unexpected response to ");
    push_request(&mut message, req.op.method, &req.path);
    message.push_str(": ");
    message.push_str(problem);
    let mut err = Error::new(ErrorKind::Decode, req.op.method, &req.path, message);
    err.attempts = attempts;
    // A 2xx answer: a write was done, whatever its body.
    err.may_have_succeeded = req.op.method != "GET";
    err.body = text.map(|t| settings.redact(t));
    err
}

fn aborted_message(req: &Request) -> String {
    let mut m = String::from("Aborted: ");
    push_request(&mut m, req.op.method, &req.path);
    m
}

/// The full URL of `req`.
pub fn url(settings: &Settings, req: &Request) -> String {
    let query = req.query.as_str();
    let mut url = String::with_capacity(settings.base_url.len() + req.path.len() + query.len() + 1);
    url.push_str(&settings.base_url);
    url.push_str(&req.path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// The request headers: `accept` (JSON, or text for the operation that answers text), the key,
/// `content-type` with a body, then the client's and the call's own, later settings winning
/// whatever the case of the name, so none is sent twice.
pub fn header_list<'a>(
    settings: &'a Settings,
    overrides: &'a Overrides,
    has_body: bool,
    text: bool,
) -> Vec<(&'a str, Cow<'a, str>)> {
    let accept = if text {
        "text/plain"
    } else {
        "application/json"
    };
    let mut headers = vec![("accept", Cow::Borrowed(accept))];
    if let Some(key) = &settings.api_key {
        headers.push(("authorization", Cow::Owned(String::from("Bearer ") + key)));
    }
    if has_body {
        headers.push(("content-type", Cow::Borrowed("application/json")));
    }
    for (name, value) in settings.headers.iter().chain(&overrides.headers) {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name, Cow::Borrowed(value)));
    }
    headers
}

/// Maps a non-2xx reply: Lago's `code` and `error` when the body has them.
fn http_error(
    req: &Request,
    status: u16,
    retry_after: Option<String>,
    text: Option<String>,
    now_ms: f64,
) -> Error {
    let code = text.as_deref().and_then(|t| top_level_string(t, "code"));
    let error = text.as_deref().and_then(|t| top_level_string(t, "error"));
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
    err.retry_after_ms = retry_after.and_then(|v| retry::parse_retry_after(&v, now_ms));
    err.code = code;
    err.error = error;
    err.body = text;
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schema::Operation;
    use crate::core::spec_tables::{
        CREATE_CUSTOMER, CREATE_CUSTOMER_WALLET, FIND_CUSTOMER, GENERATE_CUSTOMER_CHECKOUT_URL,
    };
    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

    const KEY: &str = "sk_live_TRANSPORT_secret";

    /// A request as the platform was asked to send it: URL and headers.
    type Sent = (String, Vec<(String, String)>);

    /// A platform that answers from a script and records what the transport did.
    #[derive(Default)]
    struct Script {
        outcomes: RefCell<Vec<Outcome<String>>>,
        sent: RefCell<Vec<Sent>>,
        waits: RefCell<Vec<f64>>,
        abort_after_wait: bool,
        aborted: RefCell<bool>,
    }

    impl Platform for Script {
        type Body = String;
        async fn attempt(
            &self,
            _req: &Request,
            url: &str,
            headers: &[(&str, Cow<'_, str>)],
            _timeout_ms: f64,
        ) -> Outcome<String> {
            let headers = headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            self.sent.borrow_mut().push((url.into(), headers));
            self.outcomes.borrow_mut().remove(0)
        }
        async fn sleep(&self, ms: f64) {
            self.waits.borrow_mut().push(ms);
            if self.abort_after_wait {
                *self.aborted.borrow_mut() = true;
            }
        }
        fn aborted(&self) -> bool {
            *self.aborted.borrow()
        }
        fn random(&self) -> f64 {
            0.5
        }
        fn now_ms(&self) -> f64 {
            1_000_000.0
        }
        fn text(&self, body: String) -> Option<String> {
            Some(body)
        }
    }

    fn reply(status: u16, body: &str) -> Outcome<String> {
        Outcome::Reply {
            status,
            retry_after: None,
            rate_limit: None,
            body: body.into(),
        }
    }

    /// Runs a future whose every await is ready at once (the scripted platform never waits).
    fn run<F: Future>(f: F) -> F::Output {
        fn raw() -> RawWaker {
            fn clone(_: *const ()) -> RawWaker {
                raw()
            }
            fn noop(_: *const ()) {}
            static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
            RawWaker::new(std::ptr::null(), &VTABLE)
        }
        // SAFETY: the vtable's functions do nothing and never read the data pointer.
        let waker = unsafe { Waker::from_raw(raw()) };
        match pin!(f).poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("the scripted platform never waits"),
        }
    }

    fn send_with(script: &Script, max_retries: u32) -> Result<Reply<String>, Error> {
        let settings = Settings {
            base_url: "https://lago.test/api/v1".into(),
            api_key: Some(KEY.into()),
            max_retries,
            ..Settings::default()
        };
        let req = Request::new(FIND_CUSTOMER.read(), &["a/b"]).unwrap();
        run(send(script, &settings, &req, &Overrides::default()))
    }

    /// Sends `op` (its path ids `ids`, JSON body `body`) against `script`, two retries allowed.
    fn send_op(
        script: &Script,
        op: &'static Operation,
        ids: &[&str],
        body: Option<&str>,
    ) -> Result<Reply<String>, Error> {
        let settings = Settings {
            base_url: "https://lago.test/api/v1".into(),
            max_retries: 2,
            ..Settings::default()
        };
        let mut req = Request::new(op.read(), ids).unwrap();
        req.body = body.map(Into::into);
        run(send(script, &settings, &req, &Overrides::default()))
    }

    const WITH_CODE: &str = r#"{"wallet":{"rate_amount":"1","currency":"USD","code":"w1"}}"#;
    const WITHOUT_CODE: &str = r#"{"wallet":{"rate_amount":"1","currency":"USD","code":null}}"#;
    const DUPLICATE: &str = r#"{"status":422,"error":"Unprocessable Entity","code":"validation_errors","error_details":{"code":["value_already_exist"]}}"#;

    /// `createCustomerWallet` with `body`: (attempts, may_have_succeeded, retryable) of its
    /// error, and how many requests were sent.
    fn wallet_error(body: &str, outcomes: Vec<Outcome<String>>) -> (u32, bool, bool, usize) {
        let s = script(outcomes);
        let e = send_op(&s, &CREATE_CUSTOMER_WALLET, &["acme"], Some(body)).unwrap_err();
        let sent = s.sent.borrow().len();
        (e.attempts, e.may_have_succeeded(), e.retryable, sent)
    }

    #[test]
    fn retry_classes_come_from_the_table_and_the_body() {
        let req = |op: &'static Operation, body: Option<&str>| {
            let mut r = Request::new(op.read(), &["acme"]).unwrap();
            r.body = body.map(Into::into);
            r.retry()
        };
        assert_eq!(req(&FIND_CUSTOMER, None), Retry::Idempotent);
        assert_eq!(req(&CREATE_CUSTOMER, Some("{}")), Retry::Idempotent);
        assert_eq!(req(&GENERATE_CUSTOMER_CHECKOUT_URL, None), Retry::Unsafe);
        let keyed = req(&CREATE_CUSTOMER_WALLET, Some(WITH_CODE));
        assert_eq!(keyed, Retry::Keyed("wallet.code"));
        for body in [
            WITHOUT_CODE,
            r#"{"wallet":{"code":""}}"#,
            r#"{"wallet":{}}"#,
            "{}",
        ] {
            assert_eq!(
                req(&CREATE_CUSTOMER_WALLET, Some(body)),
                Retry::Unsafe,
                "{body}"
            );
        }
    }

    #[test]
    fn an_unsafe_write_is_sent_once_after_an_answer_that_may_have_written() {
        for (outcome, status) in [
            (Outcome::Timeout, None),
            (Outcome::Network("socket hang up".into()), None),
            (reply(502, "{}"), Some(502)),
            (reply(504, "{}"), Some(504)),
            (reply(500, "{}"), Some(500)),
        ] {
            let s = script(vec![outcome, reply(200, "{}")]);
            let e = send_op(&s, &CREATE_CUSTOMER_WALLET, &["acme"], Some(WITHOUT_CODE));
            let e = e.unwrap_err();
            assert_eq!(e.status, status);
            assert_eq!((e.attempts, s.sent.borrow().len()), (1, 1), "{status:?}");
            assert!(e.may_have_succeeded() && !e.retryable, "{status:?}");
        }
    }

    #[test]
    fn an_unsafe_write_is_retried_on_429_and_503_only() {
        let limited = reply(429, "{}");
        let s = script(vec![limited, reply(503, "{}"), reply(200, "{}")]);
        let ok = send_op(&s, &GENERATE_CUSTOMER_CHECKOUT_URL, &["acme"], None).unwrap();
        assert_eq!(ok.attempts, 3);
        // Refused every time: nothing was written.
        let outcomes = vec![reply(503, "{}"), reply(429, "{}"), reply(503, "{}")];
        assert_eq!(wallet_error(WITHOUT_CODE, outcomes), (3, false, true, 3));
    }

    #[test]
    fn a_keyed_write_is_retried_and_its_duplicate_on_a_retry_may_have_succeeded() {
        // The first attempt wrote and lost its answer; the retry is refused as a duplicate.
        let outcomes = vec![reply(504, "{}"), reply(422, DUPLICATE)];
        assert_eq!(wallet_error(WITH_CODE, outcomes), (2, true, false, 2));
        let s = script(vec![Outcome::Timeout, reply(422, DUPLICATE)]);
        let e = send_op(&s, &CREATE_CUSTOMER_WALLET, &["acme"], Some(WITH_CODE)).unwrap_err();
        assert_eq!(
            e.message,
            "Lago 422 validation_errors on POST /customers/acme/wallets (a retry: an earlier attempt may have written it)"
        );
        // The same 422 on the first attempt: the code was taken before; nothing was written.
        assert_eq!(
            wallet_error(WITH_CODE, vec![reply(422, DUPLICATE)]),
            (1, false, false, 1)
        );
        // A keyed write that succeeds on its retry.
        let s = script(vec![Outcome::Network("reset".into()), reply(200, "{}")]);
        let ok = send_op(&s, &CREATE_CUSTOMER_WALLET, &["acme"], Some(WITH_CODE)).unwrap();
        assert_eq!(ok.attempts, 2);
    }

    #[test]
    fn may_have_succeeded_follows_the_definition() {
        let refusals = [401, 403, 404, 405, 422, 429, 503];
        for status in refusals {
            let e = wallet_error(WITH_CODE, (0..3).map(|_| reply(status, "{}")).collect());
            assert!(!e.1, "{status}: every attempt refused");
        }
        // A GET never writes, whatever happened.
        let s = script(vec![Outcome::Timeout, reply(504, "{}"), reply(500, "{}")]);
        let e = send_op(&s, &FIND_CUSTOMER, &["acme"], None).unwrap_err();
        assert_eq!((e.attempts, e.may_have_succeeded()), (3, false));
        // An idempotent write: a timeout, then refusals, still may have written.
        let s = script(vec![Outcome::Timeout, reply(429, "{}"), reply(401, "{}")]);
        let e = send_op(&s, &CREATE_CUSTOMER, &[], Some("{}")).unwrap_err();
        assert_eq!((e.attempts, e.may_have_succeeded()), (3, true));
        // An abort during an attempt of a write (the request was handed over).
        let s = script(vec![Outcome::Aborted]);
        let e = send_op(&s, &CREATE_CUSTOMER, &[], Some("{}")).unwrap_err();
        assert_eq!((e.kind, e.may_have_succeeded()), (ErrorKind::Aborted, true));
        // An abort in the wait after a 503: nothing was written.
        let s = Script {
            abort_after_wait: true,
            ..script(vec![reply(503, "{}")])
        };
        let e = send_op(&s, &CREATE_CUSTOMER, &[], Some("{}")).unwrap_err();
        assert_eq!(
            (e.kind, e.may_have_succeeded()),
            (ErrorKind::Aborted, false)
        );
        // A 2xx whose body could not be read: the write was done.
        let settings = Settings::default();
        let req = Request::new(CREATE_CUSTOMER.read(), &[]).unwrap();
        assert!(decode_error(&settings, &req, 1, "not JSON", None).may_have_succeeded());
        let req = Request::new(FIND_CUSTOMER.read(), &["a"]).unwrap();
        assert!(!decode_error(&settings, &req, 1, "not JSON", None).may_have_succeeded());
        // Refused input: nothing was sent.
        let e = Error::invalid_input("POST", "/customers", "body", "must be an object");
        assert!(!e.may_have_succeeded());
    }

    fn script(outcomes: Vec<Outcome<String>>) -> Script {
        Script {
            outcomes: RefCell::new(outcomes),
            ..Script::default()
        }
    }

    #[test]
    fn a_503_is_retried_with_full_jitter_backoff_then_succeeds() {
        let s = script(vec![reply(503, "{}"), reply(200, r#"{"customer":{}}"#)]);
        let ok = send_with(&s, 2).unwrap();
        assert_eq!((ok.attempts, ok.body.as_str()), (2, r#"{"customer":{}}"#));
        assert_eq!(*s.waits.borrow(), [250.0]);
        let sent = s.sent.borrow();
        assert_eq!(sent[0].0, "https://lago.test/api/v1/customers/a%2Fb");
        let auth = sent[0]
            .1
            .iter()
            .find(|(n, _)| n == "authorization")
            .unwrap();
        assert_eq!(auth.1, format!("Bearer {KEY}"));
    }

    #[test]
    fn a_rate_limited_429_waits_for_the_reset_and_retry_after_wins() {
        let limited = |retry_after: Option<&str>| Outcome::Reply {
            status: 429,
            retry_after: retry_after.map(Into::into),
            rate_limit: RateLimit::from_parts(&[50.0, 0.0, 2.0]),
            body: String::new(),
        };
        let s = script(vec![limited(None), limited(Some("3")), reply(200, "{}")]);
        send_with(&s, 2).unwrap();
        assert_eq!(*s.waits.borrow(), [2000.0 + 125.0, 3000.0]);
    }

    #[test]
    fn waits_beyond_60_s_fail_at_once_and_4xx_are_final() {
        let far = Outcome::Reply {
            status: 503,
            retry_after: Some("120".into()),
            rate_limit: None,
            body: String::new(),
        };
        let s = script(vec![far]);
        let e = send_with(&s, 5).unwrap_err();
        assert_eq!((e.attempts, e.retry_after_ms), (1, Some(120_000.0)));
        let s = script(vec![reply(
            404,
            r#"{"status":404,"error":"Not Found","code":"customer_not_found"}"#,
        )]);
        let e = send_with(&s, 5).unwrap_err();
        assert_eq!(
            (e.kind, e.attempts, e.retryable),
            (ErrorKind::Http, 1, false)
        );
        assert_eq!(
            e.message,
            "Lago 404 customer_not_found on GET /customers/a%2Fb"
        );
    }

    #[test]
    fn network_failures_are_retried_and_never_carry_the_key() {
        let cause = format!("proxy refused Bearer {KEY}");
        let s = script(vec![
            Outcome::Network(cause.clone()),
            Outcome::Network(cause),
        ]);
        let e = send_with(&s, 1).unwrap_err();
        assert_eq!(
            (e.kind, e.attempts, e.retryable),
            (ErrorKind::Network, 2, true)
        );
        assert_eq!(
            e.message,
            "Network error on GET /customers/a%2Fb: proxy refused Bearer [redacted]"
        );
        let s = script(vec![reply(401, &format!(r#"{{"echo":"{KEY}"}}"#))]);
        let e = send_with(&s, 0).unwrap_err();
        assert!(!e.body.unwrap().contains(KEY));
    }

    #[test]
    fn an_abort_during_the_wait_ends_the_call() {
        let s = Script {
            abort_after_wait: true,
            ..script(vec![Outcome::Timeout, reply(200, "{}")])
        };
        let e = send_with(&s, 3).unwrap_err();
        assert_eq!((e.kind, e.attempts), (ErrorKind::Aborted, 1));
        assert_eq!(s.sent.borrow().len(), 1);
    }

    #[test]
    fn top_level_strings_only() {
        let body = r#"{"status":404,"error":"Not Found","code":"customer_not_found"}"#;
        assert_eq!(
            top_level_string(body, "code").as_deref(),
            Some("customer_not_found")
        );
        assert_eq!(
            top_level_string(body, "error").as_deref(),
            Some("Not Found")
        );
        let nested = r#"{"error_details":{"code":"inner"},"error":"a\"b"}"#;
        assert_eq!(top_level_string(nested, "code"), None);
        assert_eq!(top_level_string(nested, "error").as_deref(), Some("a\"b"));
        assert_eq!(top_level_string(r#"{"code":42}"#, "code"), None);
        assert_eq!(top_level_string("not json", "code"), None);
        assert_eq!(top_level_string(r#"{"code":"unterminated"#, "code"), None);
    }
}
