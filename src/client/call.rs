//! The Rust face's call shape (API.md "The Rust call shape"): every generated method returns a
//! [`Call`], a request builder that sends when awaited (`IntoFuture`), and every paginated list
//! a [`Pager`] as well, a builder that is a `futures_core::Stream` of the list's items. Both are
//! one generic core each; what differs per operation is only its `Q` marker (`params::…`),
//! whose typed query setters `query_params!` writes from the generated list in operations.rs.

use std::collections::VecDeque;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::{CallOptions, Client, Param, Req};
use crate::core::encode::Query;
use crate::core::schema::QueryStyle;
use crate::error::Error;

/// The `Q` of a [`Call`] whose operation has no optional query parameter in the spec (only
/// [`Call::query`] then).
#[derive(Debug)]
pub enum NoParams {}

/// What awaiting a [`Call`] gives: a boxed future that owns everything it needs (`'static`),
/// so it can be stored, raced, spawned with `wasm_bindgen_futures::spawn_local`. Not `Send`:
/// the browser runs it on its one thread. Dropping it aborts its request in flight and removes
/// every listener and timer it added.
pub type CallFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>>>>;

/// One call of an operation, built by a [`Client`] method: set what it needs, then `.await` it
/// (that sends it; nothing is sent before). Its arguments were checked when the method was
/// called; a refusal (an empty id, a body that does not match the spec, a bad setting) is the
/// `Err` of the await, as `InvalidInput`, and nothing is sent. `Q` names the operation's
/// optional query parameters, each a setter of its own (listed in the method's docs).
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T, Q = NoParams> {
    client: Client,
    req: Result<Req, Error>,
    params: Params,
    options: CallOptions,
    out: PhantomData<fn() -> (T, Q)>,
}

impl<T, Q> std::fmt::Debug for Call<T, Q> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field(
                "request",
                &self.req.as_ref().map(|r| (r.op.method, &r.path)),
            )
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T, Q> Call<T, Q> {
    pub(super) fn new(client: Client, req: Result<Req, Error>) -> Self {
        Call {
            client,
            req,
            params: Params::default(),
            options: CallOptions::default(),
            out: PhantomData,
        }
    }
}

impl<T: DeserializeOwned + 'static, Q> IntoFuture for Call<T, Q> {
    type Output = Result<T, Error>;
    type IntoFuture = CallFuture<T>;

    fn into_future(self) -> CallFuture<T> {
        let Call {
            client,
            req,
            params,
            options,
            ..
        } = self;
        Box::pin(async move {
            let mut req = req?;
            params.write(&mut req, true)?;
            client.run(req, &options).await
        })
    }
}

/// Every item of a paginated list (a `list_all_…` method), fetched page by page, lazily, one
/// request after another, following `meta.next_page` while it moves forward: a
/// `futures_core::Stream` (`StreamExt::next`, or this type's own [`Pager::next`]). Set it up
/// before the first item is asked for: the same setters as the list's [`Call`] (`page` is where
/// the walk starts). An error ends the walk; dropping the pager aborts its request in flight,
/// while dropping a `next()` future leaves the page in flight for the next one (nothing is lost
/// or sent twice, as `Stream`s are expected to behave in a `select!` loop).
#[must_use = "a pager does nothing until it is polled"]
pub struct Pager<T, Q = NoParams> {
    client: Client,
    /// The checked request, until the walk starts; then `base` (without `page`).
    req: Option<Result<Req, Error>>,
    base: Option<Req>,
    params: Params,
    options: CallOptions,
    next_page: Option<u64>,
    buffer: VecDeque<T>,
    in_flight: Option<(u64, PageFuture<T>)>,
    out: PhantomData<fn() -> Q>,
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<(Vec<T>, Option<u64>), Error>>>>;

// Nothing of a pager is pinned in place: its page future is boxed, its items are only moved.
impl<T, Q> Unpin for Pager<T, Q> {}

impl<T, Q> std::fmt::Debug for Pager<T, Q> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("next_page", &self.next_page)
            .field("buffered", &self.buffer.len())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T, Q> Pager<T, Q> {
    pub(super) fn new(client: Client, req: Result<Req, Error>) -> Self {
        Pager {
            client,
            req: Some(req),
            base: None,
            params: Params::default(),
            options: CallOptions::default(),
            next_page: Some(1),
            buffer: VecDeque::new(),
            in_flight: None,
            out: PhantomData,
        }
    }
}

impl<T: DeserializeOwned + 'static, Q> Pager<T, Q> {
    /// The next item, `None` once the walk is over; an error ends the walk. The same as
    /// `StreamExt::next`, without importing a trait.
    // It is `Stream`'s `next` (the async one), which clippy takes for `Iterator`'s.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> impl Future<Output = Option<Result<T, Error>>> + '_ {
        std::future::poll_fn(move |cx| Pin::new(&mut *self).poll_next(cx))
    }

    /// The page future of `page`: it owns a clone of the client, the request and the options.
    fn fetch(&self, base: &Req, page: u64) -> PageFuture<T> {
        let (client, options) = (self.client.clone(), self.options.clone());
        let mut req = base.clone();
        req.query.push_number("page", page);
        let key = req.op.answer.key();
        Box::pin(async move { client.page(&req, &options, key).await })
    }
}

impl<T: DeserializeOwned + 'static, Q> Stream for Pager<T, Q> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some((page, future)) = &mut this.in_flight {
                let page = *page;
                let Poll::Ready(result) = future.as_mut().poll(cx) else {
                    return Poll::Pending;
                };
                this.in_flight = None;
                match result {
                    Ok((items, next)) => {
                        // A next page that does not move forward would loop for ever: stop there.
                        this.next_page = next.filter(|n| *n > page);
                        this.buffer.extend(items);
                        continue;
                    }
                    Err(err) => {
                        this.next_page = None;
                        return Poll::Ready(Some(Err(err)));
                    }
                }
            }
            if let Some(req) = this.req.take() {
                let started = req.and_then(|mut req| {
                    this.params.write(&mut req, false)?;
                    Ok(req)
                });
                match started {
                    Ok(req) => {
                        this.next_page = Some(this.params.page.unwrap_or(1));
                        this.base = Some(req);
                    }
                    Err(err) => {
                        this.next_page = None;
                        return Poll::Ready(Some(Err(err)));
                    }
                }
            }
            let (Some(page), Some(base)) = (this.next_page, &this.base) else {
                return Poll::Ready(None);
            };
            this.in_flight = Some((page, this.fetch(base, page)));
        }
    }
}

/// The settings every [`Call`] and [`Pager`] has, whatever its operation.
macro_rules! common_setters {
    ($ty:ident) => {
        impl<T, Q> $ty<T, Q> {
            /// Aborts the call (every attempt and the waits between them) when `signal` fires:
            /// the await ends with `ErrorKind::Aborted`.
            pub fn signal(mut self, signal: &web_sys::AbortSignal) -> Self {
                self.options.signal = Some(signal.clone());
                self
            }

            /// Replaces the client's timeout per attempt for this call (`Duration::ZERO` = none;
            /// above 2^31-1 ms is refused).
            pub fn timeout(mut self, timeout: Duration) -> Self {
                // Whole ms without `as_millis` (a `u128`): above `u32::MAX` is refused anyway.
                let ms = timeout
                    .as_secs()
                    .saturating_mul(1000)
                    .saturating_add(u64::from(timeout.subsec_millis()));
                self.options.timeout_ms = Some(u32::try_from(ms).unwrap_or(u32::MAX));
                self
            }

            /// Replaces the client's extra attempts for this call (0 to 10).
            pub fn max_retries(mut self, retries: u32) -> Self {
                self.options.max_retries = Some(retries);
                self
            }

            /// Sent after (and over) the client's headers. A name that is no HTTP token, or a
            /// value with a line break or NUL, makes the call fail as `InvalidInput`, sending
            /// nothing.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.headers.push((name.into(), value.into()));
                self
            }

            /// Applies a set of settings at once: its signal, timeout and retries where it has
            /// them, its headers after those set so far.
            pub fn options(mut self, options: &CallOptions) -> Self {
                let own = &mut self.options;
                own.signal = options.signal.clone().or(own.signal.take());
                own.timeout_ms = options.timeout_ms.or(own.timeout_ms);
                own.max_retries = options.max_retries.or(own.max_retries);
                own.headers.extend(options.headers.iter().cloned());
                own.keepalive |= options.keepalive;
                self
            }

            /// A query parameter by its wire name, sent as `name=value`: for a parameter newer
            /// than this SDK's spec. A name the spec lists is checked as its setter would be
            /// (an integer, `true`/`false`; an array or object parameter is refused here: use
            /// its setter).
            pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.params.raw(name.into(), value.into());
                self
            }
        }
    };
}

common_setters!(Call);
common_setters!(Pager);

/// The typed setters of the operations' optional query parameters, from the list that
/// tools/gen-api.mjs writes into operations.rs: one marker type per operation (the `Q` of its
/// [`Call`] and [`Pager`]) and, for each parameter, a setter of its kind on both.
macro_rules! query_params {
    ($(
        $(#[$doc:meta])*
        $marker:ident { $( $(#[$pdoc:meta])* $name:ident: $kind:ident $wire:literal; )* }
    )*) => {$(
        $(#[$doc])*
        #[derive(Debug)]
        pub enum $marker {}
        impl<T> $crate::client::Call<T, $marker> {
            $( query_params!(@setter $(#[$pdoc])* $name $kind $wire); )*
        }
        impl<T> $crate::client::Pager<T, $marker> {
            $( query_params!(@setter $(#[$pdoc])* $name $kind $wire); )*
        }
    )*};
    (@setter $(#[$pdoc:meta])* $name:ident int $wire:literal) => {
        $(#[$pdoc])*
        pub fn $name(mut self, value: u64) -> Self {
            self.params_mut().int($wire, value);
            self
        }
    };
    (@setter $(#[$pdoc:meta])* $name:ident bool $wire:literal) => {
        $(#[$pdoc])*
        pub fn $name(mut self, value: bool) -> Self {
            self.params_mut().push($wire, None, if value { "true" } else { "false" }.into());
            self
        }
    };
    (@setter $(#[$pdoc:meta])* $name:ident str $wire:literal) => {
        $(#[$pdoc])*
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.params_mut().push($wire, None, value.into());
            self
        }
    };
    (@setter $(#[$pdoc:meta])* $name:ident items $wire:literal) => {
        $(#[$pdoc])*
        pub fn $name(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
            for value in values {
                self.params_mut().item($wire, value.into());
            }
            self
        }
    };
    (@setter $(#[$pdoc:meta])* $name:ident deep $wire:literal) => {
        $(#[$pdoc])*
        pub fn $name(
            mut self,
            entries: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>,
        ) -> Self {
            for (key, value) in entries {
                self.params_mut().push($wire, Some(key.into()), value.into());
            }
            self
        }
    };
}

impl<T, Q> Call<T, Q> {
    /// For `query_params!`'s setters.
    pub(super) fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }
}

impl<T, Q> Pager<T, Q> {
    /// For `query_params!`'s setters.
    pub(super) fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }
}

/// The optional query parameters set on a call, under their wire names, in the order they
/// were set; written into the URL (and checked against the operation's spec table) when the
/// call is sent.
#[derive(Debug, Clone, Default)]
pub(super) struct Params {
    entries: Vec<Entry>,
    /// The page number (`page(n)`): sent last by a call, where a pager starts.
    page: Option<u64>,
    /// The first setter that was given a value its parameter cannot take.
    refused: Option<&'static str>,
}

#[derive(Debug, Clone)]
struct Entry {
    style: QueryStyle,
    name: String,
    /// For `Deep` entries: the key inside the brackets.
    key: Option<String>,
    value: String,
    /// Set by `query()`: checked against the spec table (a typed setter's value is right by
    /// its type).
    raw: bool,
}

impl Params {
    /// A positive integer (the spec's integer query parameters are counts, pages and amounts
    /// Lago reads from 1; the JS face refuses 0 too).
    pub(super) fn int(&mut self, name: &'static str, n: u64) {
        if n == 0 {
            self.refused = self.refused.or(Some(name));
        } else if name == "page" {
            self.page = Some(n);
        } else {
            let mut text = String::new();
            crate::core::encode::push_u64(&mut text, n);
            self.push(name, None, text);
        }
    }

    /// `name=value`, or `name[key]=value` with a key.
    pub(super) fn push(&mut self, name: &str, key: Option<String>, value: String) {
        let style = match key {
            Some(_) => QueryStyle::Deep,
            None => QueryStyle::Plain,
        };
        self.add(style, name.into(), key, value, false);
    }

    /// `name[]=value`.
    pub(super) fn item(&mut self, name: &str, value: String) {
        self.add(QueryStyle::Brackets, name.into(), None, value, false);
    }

    /// `query(name, value)`: `page` given as text counts as `page(n)` when it is one.
    fn raw(&mut self, name: String, value: String) {
        match value.parse::<u64>() {
            Ok(n) if name == "page" && n > 0 => self.page = Some(n),
            _ => self.add(QueryStyle::Plain, name, None, value, true),
        }
    }

    fn add(
        &mut self,
        style: QueryStyle,
        name: String,
        key: Option<String>,
        value: String,
        raw: bool,
    ) {
        self.entries.push(Entry {
            style,
            name,
            key,
            value,
            raw,
        });
    }

    /// Writes the entries into `req`'s query, `page` last when `with_page` (a pager sends its
    /// own), refusing a value the operation's spec table types otherwise.
    fn write(&self, req: &mut Req, with_page: bool) -> Result<(), Error> {
        let op = req.op;
        let refuse =
            |name: &str, problem: &str| Error::invalid_input(op.method, op.route, name, problem);
        if let Some(name) = self.refused {
            return Err(refuse(name, "must be a positive integer"));
        }
        for entry in &self.entries {
            if entry.raw {
                if let Some(problem) = raw_problem(req.params(), entry) {
                    return Err(refuse(&entry.name, problem));
                }
            }
            write_entry(&mut req.query, entry);
        }
        if let (Some(page), true) = (self.page, with_page) {
            req.query.push_number("page", page);
        }
        Ok(())
    }
}

fn write_entry(query: &mut Query, entry: &Entry) {
    match (entry.style, &entry.key) {
        (QueryStyle::Brackets, _) => query.push_item(&entry.name, &entry.value),
        (QueryStyle::Deep, Some(key)) => query.push_deep(&entry.name, key, &entry.value),
        _ => query.push(&entry.name, &entry.value),
    }
}

/// What is wrong with a `query(name, value)` whose name the spec types (`params`), if anything.
fn raw_problem(params: &[(&str, Param)], entry: &Entry) -> Option<&'static str> {
    let (_, param) = params.iter().find(|(name, _)| *name == entry.name)?;
    let value = entry.value.as_str();
    match param {
        Param::Array => Some("is an array parameter: use its setter"),
        Param::Object => Some("is an object parameter: use its setter"),
        Param::Int => {
            let positive = !value.is_empty()
                && value.bytes().all(|b| b.is_ascii_digit())
                && value.bytes().any(|b| b != b'0');
            (!positive).then_some("must be a positive integer")
        }
        Param::Bool => (value != "true" && value != "false").then_some("must be true or false"),
    }
}
