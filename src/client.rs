//! The Rust face: a client for Rust wasm apps (Leptos, Yew, Dioxus) whose async methods return
//! typed models. It shares the core (checks, encoding, transport, retries, error mapping) with
//! the JS face and differs only in the last step: the body is decoded into `crate::models`.

#[macro_use]
mod call;
mod events;
pub(crate) mod json;
mod operations;
mod platform;

use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::value::StringDeserializer;
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, Visitor,
};
use serde::Deserialize;
use serde::Serialize;

use crate::core::body_check::check_body;
use crate::core::operation::{Op, Operation, Request};
use crate::core::options;
use crate::core::text::truncate;
use crate::core::transport::{decode_error, send, Overrides, Reply, Settings, DEFAULT_BASE_URL};
use crate::error::Error;
use json::{JsonError, Reader};
use platform::RustPlatform;

pub use call::{Call, CallFuture, NoParams, Pager};
pub use events::{EventQueue, EventQueueOptions, FlushReport, OnError};
pub use operations::params;

/// Per-call settings: the caller's abort signal, and overrides of the client's settings. A
/// call's builder sets them one by one ([`Call::signal`], [`Call::timeout`]...) or all at once
/// ([`Call::options`]: one set shared by the calls of a view, say); [`EventQueueOptions::call`]
/// holds those of a queue's requests.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// Aborts the call (every attempt and the waits between them) when it fires.
    pub signal: Option<web_sys::AbortSignal>,
    /// Replaces [`ClientOptions::timeout_ms`] for this call (at most 2^31-1).
    pub timeout_ms: Option<u32>,
    /// Replaces [`ClientOptions::max_retries`] for this call (0 to 10).
    pub max_retries: Option<u32>,
    /// Sent after (and over) the client's headers. A name that is no HTTP token, or a value
    /// with a line break or NUL, makes the call fail as `InvalidInput`, sending nothing.
    pub headers: Vec<(String, String)>,
    /// Sent with `fetch(…, { keepalive: true })`: the request outlives the page that sent it
    /// (browsers carry at most 64 KiB of such bodies in flight per page). [`EventQueue`] sets
    /// it for what it sends as a page goes away.
    pub keepalive: bool,
}

/// By hand, so that `{:?}` never prints header values (an `authorization` set per call, a
/// proxy's token), as for [`ClientOptions`]: their names only.
impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CallOptions")
            .field("signal", &self.signal.as_ref().map(|_| "AbortSignal"))
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("headers", &names)
            .field("keepalive", &self.keepalive)
            .finish()
    }
}

/// Settings of a [`Client`]; `Default` is Lago's US cloud with no key.
#[derive(Clone)]
pub struct ClientOptions {
    /// Sent as `Authorization: Bearer <key>`; `None` behind your own proxy (`""` is refused).
    pub api_key: Option<String>,
    /// e.g. `https://api.eu.getlago.com/api/v1`, or a path such as `/lago/api/v1` (your own
    /// origin); a trailing `/` is allowed, a query or fragment is not.
    pub base_url: String,
    /// Sent on every request (names HTTP tokens, values without line breaks or NUL).
    pub headers: Vec<(String, String)>,
    /// Per attempt, in ms, at most 2^31-1; 0 = none.
    pub timeout_ms: u32,
    /// Extra attempts (0 to 10) on network errors, timeouts, 429, 502, 503, 504.
    pub max_retries: u32,
}

/// By hand, so that `{:?}` never prints the API key (nor header values, which may be secrets).
impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            api_key: None,
            base_url: DEFAULT_BASE_URL.into(),
            headers: Vec::new(),
            timeout_ms: 30_000,
            max_retries: 2,
        }
    }
}

/// Client for Lago's API with typed results. Its methods (`operations.rs`) are generated from
/// the spec, like the JS classes'; each returns a [`Call`] (awaiting it sends) or, for a
/// paginated list, a [`Pager`] as well (`list_all_…`).
///
/// Cheap to clone (the settings are shared behind an [`Arc`]): hand a clone to each task or
/// component. `Arc` rather than `Rc` keeps `Client` `Send + Sync`, which frameworks ask of what
/// they keep in a context (Leptos' `provide_context`); on wasm32 without threads its counts are
/// plain memory operations, as `Rc`'s are.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    settings: Settings,
    /// The first option the JS face's constructor would have refused (its Rust name and what
    /// is wrong with it): every call is refused with it, before anything is sent.
    refused: Option<Refusal>,
}

/// An option's Rust name and what is wrong with it.
type Refusal = (&'static str, &'static str);

/// One operation as the Rust face sends it: a static per operation, generated into
/// operations.rs (`ep::FIND_CUSTOMER`). The JS face reads its operations from one blob of every
/// operation and table (`spec_tables::SPEC`), which any read of one of them links whole; an app
/// links only the `Endpoint`s of the operations it calls, and the blob only when it sends a
/// body (whose check reads the body's table there).
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// What the transport reads: method, route, answer and retry class (no blob behind it).
    op: Op,
    /// The path ids' Rust names, in order (they fill the route's `{…}`), for errors.
    ids: &'static [&'static str],
    /// The required query values: their Rust names (for errors) and wire names.
    queries: &'static [(&'static str, &'static str)],
    /// The optional query parameters a raw [`Call::query`] value can be refused for: wire name
    /// and what the spec types it as (the others take any text).
    params: &'static [(&'static str, Param)],
    /// The core's operation, for an operation that takes a body: its body's table.
    body: Option<Operation>,
}

/// What the spec types an optional query parameter as, where a raw value can be wrong.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param {
    /// A positive integer.
    Int,
    /// `true` or `false`.
    Bool,
    /// An array (`name[]=…`): only its setter writes it.
    Array,
    /// An object (`name[key]=…`): only its setter writes it.
    Object,
}

/// A request of the Rust face: the core's [`Request`] (which it derefs to) and its
/// operation's [`Endpoint`], whose parameter types check raw query values.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    request: Request,
    endpoint: &'static Endpoint,
}

impl std::ops::Deref for Req {
    type Target = Request;

    fn deref(&self) -> &Request {
        &self.request
    }
}

impl std::ops::DerefMut for Req {
    fn deref_mut(&mut self) -> &mut Request {
        &mut self.request
    }
}

impl Req {
    /// The optional query parameters a raw value can be refused for ([`Endpoint::params`]).
    pub(crate) fn params(&self) -> &'static [(&'static str, Param)] {
        self.endpoint.params
    }
}

impl Client {
    /// A client; nothing is sent until a call is awaited. Options the JS face's constructor
    /// refuses (an empty `api_key`, a `base_url` that is no http(s) URL nor a path starting
    /// with `/`, a header name or value `fetch` cannot send, a timeout above 2^31-1 ms, more
    /// than 10 retries) are refused by every call instead, as `InvalidInput` with the same
    /// words, and nothing is sent.
    pub fn new(options: ClientOptions) -> Client {
        let ClientOptions {
            api_key,
            base_url,
            headers,
            timeout_ms,
            max_retries,
        } = options;
        let mut refused = None;
        if api_key.as_deref() == Some("") {
            refused = Some(("api_key", options::KEY_PROBLEM));
        }
        let base = options::base_url(&base_url);
        if base.is_none() {
            refused = refused.or(Some(("base_url", options::BASE_URL_PROBLEM)));
        }
        let settings = Settings {
            base_url: base.unwrap_or(&base_url).into(),
            api_key,
            headers,
            timeout_ms: f64::from(timeout_ms),
            max_retries,
        };
        let shared = check_shared(Some(timeout_ms), Some(max_retries), &settings.headers);
        Client {
            inner: Arc::new(Inner {
                refused: refused.or(shared),
                settings,
            }),
        }
    }

    /// The builder of one call of `op` (what every generated method returns): its path ids
    /// and required query values checked now (refused when empty, as the JS face does, each
    /// error naming the argument as the method does), and the body's JSON text (checked by
    /// [`Client::json`]); the rest is set on the builder.
    fn call<T, Q>(
        &self,
        op: &'static Endpoint,
        ids: &[String],
        queries: &[String],
        body: Option<Result<String, Error>>,
    ) -> Call<T, Q> {
        Call::new(self.clone(), self.prepare(op, ids, queries, body))
    }

    /// The `list_all_…` walk of `op` (a paginated list), checked as [`Client::call`] checks.
    fn pager<T, Q>(
        &self,
        op: &'static Endpoint,
        ids: &[String],
        queries: &[String],
    ) -> Pager<T, Q> {
        Pager::new(self.clone(), self.prepare(op, ids, queries, None))
    }

    fn prepare(
        &self,
        endpoint: &'static Endpoint,
        ids: &[String],
        queries: &[String],
        body: Option<Result<String, Error>>,
    ) -> Result<Req, Error> {
        let body = body.transpose()?;
        let op = endpoint.op;
        let refuse = |name: &str, problem| Error::invalid_input(op.method, op.route, name, problem);
        let values: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut request = Request::new(op, &values).map_err(|r| {
            let name = endpoint.ids.get(r.index).copied().unwrap_or("id");
            refuse(name, r.problem)
        })?;
        for ((name, wire), value) in endpoint.queries.iter().zip(queries) {
            if value.is_empty() {
                return Err(refuse(name, "must not be empty"));
            }
            request.query.push(wire, value);
        }
        request.body = body;
        Ok(Req { request, endpoint })
    }

    /// A body as JSON text (`serde_json::to_string`, once, when the method is called: the call
    /// owns its text, not the caller's value), that text checked against the operation's spec
    /// table by the same check the JS face runs on `JSON.stringify`'s text
    /// (`core::body_check`), and sent as it is.
    fn json<B: Serialize + ?Sized>(endpoint: &'static Endpoint, body: &B) -> Result<String, Error> {
        let op = endpoint.op;
        let refuse =
            |field: &str, problem| Error::invalid_input(op.method, op.route, field, problem);
        let text = serde_json::to_string(body)
            .map_err(|_| refuse("body", "cannot be serialized to JSON"))?;
        if let Some(kind) = endpoint.body.and_then(|o| o.read().body()) {
            check_body(&kind, &text).map_err(|(field, problem)| refuse(&field, problem))?;
        }
        Ok(text)
    }

    /// Sends `req` and decodes the body into `T`: the models are tolerant (unknown fields and
    /// enum values are kept) but a body without the expected top level is `Decode`. An
    /// operation whose answer has no content (`shape` empty) has `T = ()`, read from `null`:
    /// whatever body such an answer carries is not looked at. One that answers text
    /// (`fetch_public_key`, shape `t`) has `T = String`: the text as it came.
    async fn run<T: DeserializeOwned>(&self, req: Req, call: &CallOptions) -> Result<T, Error> {
        let reply = self.send(&req, call).await?;
        let body = match req.op.answer.kind() {
            0 => "null",
            b't' => {
                // A `StringDeserializer` rather than a `serde_json::Value`: only `String` reads
                // it, and for every other `T` its `visit_string` is serde's refusal, so no second
                // copy of that `T`'s field decoding is compiled in (a `Value` would be one).
                let text = StringDeserializer::<JsonError>::new(reply.body.clone());
                return T::deserialize(text).map_err(|e| self.undecodable(&req, &reply, &e));
            }
            _ => &reply.body,
        };
        json::from_str(body).map_err(|e| self.undecodable(&req, &reply, &e))
    }

    /// The `Decode` error of a 2xx body serde could not read.
    fn undecodable(&self, req: &Req, reply: &Reply<String>, e: &JsonError) -> Error {
        // serde can quote a whole huge string of the body: cut short.
        let problem = truncate(e.to_string(), 300);
        decode_error(
            &self.inner.settings,
            req,
            reply.attempts,
            &problem,
            Some(&reply.body),
        )
    }

    async fn send(&self, req: &Req, call: &CallOptions) -> Result<Reply<String>, Error> {
        let refused = self
            .inner
            .refused
            .or_else(|| check_shared(call.timeout_ms, call.max_retries, &call.headers));
        if let Some((field, problem)) = refused {
            return Err(Error::invalid_input(
                req.op.method,
                req.op.route,
                field,
                problem,
            ));
        }
        let overrides = Overrides {
            timeout_ms: call.timeout_ms.map(f64::from),
            max_retries: call.max_retries,
            headers: call.headers.clone(),
        };
        let platform = RustPlatform {
            signal: call.signal.as_ref(),
            keepalive: call.keepalive,
        };
        send(&platform, &self.inner.settings, req, &overrides).await
    }

    /// One page of a walk: the items under `key` and `meta.next_page`. Other top-level fields
    /// are left alone, as the models keep them (a `Vec<T>` per key would refuse any of them
    /// that is not a list of `T`); a body without `meta` or `key` is `Decode`, as for the
    /// `find_all_…` call of the same page.
    async fn page<T: DeserializeOwned>(
        &self,
        req: &Req,
        call: &CallOptions,
        key: &str,
    ) -> Result<(Vec<T>, Option<u64>), Error> {
        let reply = self.send(req, call).await?;
        let mut json = Reader::new(&reply.body);
        let decoded = PageSeed::<T>::new(key).deserialize(&mut json);
        json.finish(decoded)
            .map_err(|e| self.undecodable(req, &reply, &e))
    }
}

/// Reads one page in one pass: the list under `key` (chosen at run time, so one decoder serves
/// every list of the same item type) straight into `Vec<T>`, `meta` into [`PageMeta`], and skips
/// the rest unread. The `Vec<T>` decoder is the one the `find_all_…` call's model already
/// compiles in; going through a `serde_json::Value` would compile a second one (`from_value`).
struct PageSeed<'k, T> {
    key: &'k str,
    items: PhantomData<T>,
}

impl<'k, T> PageSeed<'k, T> {
    fn new(key: &'k str) -> Self {
        PageSeed {
            key,
            items: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for PageSeed<'_, T> {
    type Value = (Vec<T>, Option<u64>);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageSeed<'_, T> {
    type Value = (Vec<T>, Option<u64>);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a page of a list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut items, mut meta) = (None, None::<PageMeta>);
        while let Some(name) = map.next_key::<String>()? {
            // A repeated key: the last one counts, as it did in a JSON object read whole.
            if name == "meta" {
                meta = Some(map.next_value()?);
            } else if name == self.key {
                items = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let meta = meta.ok_or_else(|| A::Error::missing_field("meta"))?;
        let key = self.key;
        let items = items.ok_or_else(|| A::Error::custom(format_args!("missing field `{key}`")))?;
        Ok((items, meta.next_page))
    }
}

#[derive(serde::Deserialize)]
struct PageMeta {
    next_page: Option<u64>,
}

/// What the client's options and a call's share, checked in the JS face's order:
/// `timeout_ms`, `max_retries`, `headers`.
fn check_shared(
    timeout_ms: Option<u32>,
    max_retries: Option<u32>,
    headers: &[(String, String)],
) -> Option<Refusal> {
    if timeout_ms.is_some_and(|t| f64::from(t) > options::MAX_TIMEOUT_MS) {
        return Some(("timeout_ms", options::TIMEOUT_PROBLEM));
    }
    if max_retries.is_some_and(|r| r > options::MAX_RETRIES) {
        return Some(("max_retries", options::RETRIES_PROBLEM));
    }
    headers
        .iter()
        .find_map(|(name, value)| options::header(name, value).err())
        .map(|problem| ("headers", problem))
}

#[cfg(test)]
mod tests {
    use super::operations::ep::WITH_SPEC;
    use crate::core::schema::{Arg, Kind, QueryStyle};

    /// The generated `Endpoint`s say what the blob says of the same operation (they are two
    /// emissions of one spec; this catches a generator that lets them drift apart).
    #[test]
    fn every_endpoint_agrees_with_the_blob() {
        for (ep, blob) in WITH_SPEC.iter() {
            let op = blob.read();
            let at = format!("{} {}", op.method, op.route);
            assert_eq!(
                (ep.op.method, ep.op.route, ep.op.answer, ep.op.retry),
                (op.method, op.route, op.answer, op.retry),
                "{at}"
            );
            // Path ids: one Rust name each (the blob holds the wire names).
            let ids = op.args().iter().filter(|a| matches!(a, Arg::Path(_)));
            assert_eq!(ep.ids.len(), ids.count(), "{at}");
            let queries: Vec<&str> = op
                .args()
                .iter()
                .filter_map(|a| match a {
                    Arg::Query(wire) => Some(*wire),
                    _ => None,
                })
                .collect();
            let own: Vec<&str> = ep.queries.iter().map(|(_, wire)| *wire).collect();
            assert_eq!(own, queries, "{at}");
            // The optional parameters a raw value can be refused for, as the blob's query
            // table types them.
            let typed: Vec<String> = op
                .query
                .into_iter()
                .flat_map(|table| table.fields())
                .filter_map(|p| {
                    let param = match (p.style, p.kind) {
                        (QueryStyle::Brackets, _) => "Array",
                        (QueryStyle::Deep, _) => "Object",
                        (_, Kind::Int) => "Int",
                        (_, Kind::Bool) => "Bool",
                        _ => return None,
                    };
                    Some(format!("{}:{param}", p.name))
                })
                .collect();
            let own: Vec<String> = ep
                .params
                .iter()
                .map(|(name, param)| format!("{name}:{param:?}"))
                .collect();
            assert_eq!(own, typed, "{at}");
            assert_eq!(ep.body, op.body().map(|_| *blob), "{at}");
        }
    }
}
