//! Checks of what a JS caller passed (ids, bodies, queries, options) against the spec's
//! tables, before any request is sent. Every failure is an `invalid_input` [`Error`] naming
//! the argument or field.

use wasm_bindgen::JsValue;

use super::arg_names::RENAMED;
use super::jsval;
use super::platform::{JsCall, JsConfig};
use crate::core::body_check::check_body;
use crate::core::encode::{push_u64, Query};
use crate::core::operation::Op;
use crate::core::options::{self, BASE_URL_PROBLEM, KEY_PROBLEM, RETRIES_PROBLEM, TIMEOUT_PROBLEM};
use crate::core::schema::{Kind, QueryStyle, Table};
use crate::core::transport::Overrides;
use crate::error::{Error, ErrorKind};

/// The `invalid_input` error of `field` (`customer.metadata.0.key`, `timeoutMs`...).
fn refuse(op: &Op, field: &str, problem: &str) -> Error {
    Error::invalid_input(op.method, op.route, field, problem)
}

/// The `invalid_input` error of path id or required query value `wire` of operation `index`
/// (its index in the blob), named as the JS method's parameter is.
pub fn refuse_arg(index: usize, op: &Op, wire: &str, problem: &str) -> Error {
    refuse(op, &js_name(index, wire), problem)
}

/// The JS name of argument `wire` of operation `index`, made as `gen-from-spec.mjs`'s
/// `argName` makes it: the camelCase of the wire name (`external_customer_id` ->
/// `externalCustomerId`), unless its generated table of exceptions renames it.
fn js_name(index: usize, wire: &str) -> String {
    if let Some((_, _, name)) = RENAMED.iter().find(|(i, w, _)| *i == index && *w == wire) {
        return (*name).into();
    }
    let mut name = String::with_capacity(wire.len());
    let mut bytes = wire.bytes();
    while let Some(b) = bytes.next() {
        if b != b'_' {
            name.push(char::from(b));
            continue;
        }
        // `_(\w)` in the generator's pattern: the underscore goes, the next is upper-cased.
        match bytes.next() {
            Some(n) if n.is_ascii_alphanumeric() || n == b'_' => {
                name.push(char::from(n.to_ascii_uppercase()))
            }
            next => {
                name.push('_');
                name.extend(next.map(char::from));
            }
        }
    }
    name
}

/// Whose options are read: a call's (its operation) or a constructor's (`new CustomersApi`).
#[derive(Clone, Copy)]
enum Whose<'a> {
    Call(&'a Op),
    New(&'a str),
}

impl Whose<'_> {
    /// The `invalid_input` error of the option `field`. A constructor's says so in its own
    /// words, with no method or path: `Invalid option: timeoutMs must be ... (new CustomersApi)`.
    fn refuse(self, field: &str, problem: &str) -> Error {
        let ctor = match self {
            Whose::Call(op) => return refuse(op, field, problem),
            Whose::New(ctor) => ctor,
        };
        let mut message = String::from("Invalid option");
        if field == "options" {
            // The options object itself: `Invalid options: must be an object (new ...)`.
            message.push_str("s: ");
        } else {
            message.push_str(": ");
            message.push_str(field);
            message.push(' ');
        }
        message.push_str(problem);
        message.push_str(" (");
        message.push_str(ctor);
        message.push(')');
        let mut err = Error::new(ErrorKind::InvalidInput, "", "", message);
        err.field = Some(field.into());
        err
    }
}

/// A request body, read once: serialized as the caller gave it (unknown fields included), and
/// that text checked against the spec's table and sent as it is, so a getter or a Proxy cannot
/// show the checks one value and the wire another. Returns the text twice: as Rust reads it,
/// and as the JS string fetch is handed (never copied back out of wasm).
pub fn body(op: &Op, value: &JsValue, kind: &Kind) -> Result<(String, JsValue), Error> {
    if !jsval::is_plain_object(value) {
        return Err(refuse(op, "body", "must be an object"));
    }
    let json = jsval::json_stringify(value);
    let text = json
        .as_ref()
        .ok()
        .and_then(JsValue::as_string)
        .ok_or_else(|| {
            let problem =
                "cannot be serialized to JSON (a cycle, a BigInt or a toJSON that throws)";
            refuse(op, "body", problem)
        })?;
    check_body(kind, &text).map_err(|(field, problem)| refuse(op, &field, problem))?;
    Ok((text, json.unwrap_or_default()))
}

/// The text of a query value that matches its kind (a scalar that matches always has one).
fn checked_scalar(value: &JsValue, kind: &Kind) -> Option<String> {
    scalar_matches(value, kind).then(|| scalar(value)).flatten()
}

/// Whether a query value matches its kind: query tables hold scalars (and arrays of them,
/// whose items come here one by one; see `gen-from-spec.mjs`).
fn scalar_matches(value: &JsValue, kind: &Kind) -> bool {
    match kind {
        Kind::Str => value.is_string(),
        Kind::Int => jsval::as_integer(value).is_some(),
        Kind::Bool => jsval::boolean(value).is_some(),
        Kind::OneOf(kinds) => kinds.iter().any(|kind| scalar_matches(value, &kind)),
        _ => false,
    }
}

fn check_str_map(value: &JsValue) -> Result<Vec<(String, String)>, &'static str> {
    if !jsval::is_plain_object(value) {
        return Err("must be an object of strings");
    }
    let keys = jsval::keys(value).map_err(|_| "cannot be read")?;
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let v = jsval::get(value, &key).map_err(|_| "cannot be read")?;
        let v = v.as_string().ok_or("must be an object of strings")?;
        out.push((key, v));
    }
    Ok(out)
}

/// A query object: the spec's parameters under their JS keys, checked and written into `out`.
/// `undefined` values are left out; keys the spec does not know are sent as they are when
/// they hold a string, number or boolean (so a filter newer than the SDK still works). With
/// `take_page` the `page` key is checked and returned instead of being written into `out`
/// (a `listAll…` pager sets the page itself on every request).
pub fn query_taking_page(
    op: &Op,
    value: &JsValue,
    table: Option<Table>,
    out: &mut Query,
    take_page: bool,
) -> Result<Option<u64>, Error> {
    let mut page = None;
    if value.is_undefined() || value.is_null() {
        return Ok(page);
    }
    if !jsval::is_plain_object(value) {
        return Err(refuse(op, "query", "must be an object"));
    }
    let keys = jsval::keys(value).map_err(|_| refuse(op, "query", "cannot be read"))?;
    for key in keys {
        let v = jsval::get(value, &key).map_err(|_| refuse(op, &key, "cannot be read"))?;
        if v.is_undefined() {
            continue;
        }
        let param = table.and_then(|t| t.fields().find(|p| p.name == key));
        let fail = |problem| refuse(op, &key, problem);
        let Some(param) = param else {
            unknown_param(out, &key, &v).map_err(fail)?;
            continue;
        };
        match (param.style, param.kind) {
            (QueryStyle::Deep, _) => {
                for (k, s) in check_str_map(&v).map_err(fail)? {
                    out.push_deep(&key, &k, &s);
                }
            }
            (QueryStyle::Brackets, Kind::Array(item_kind)) => {
                // Read once: the items are copied out, then checked and sent from that copy.
                let items = jsval::array_items(&v).map_err(|_| fail("cannot be read"))?;
                let items = items.ok_or_else(|| fail("must be an array"))?;
                for (i, item) in items.iter().enumerate() {
                    let mut path = key.clone();
                    path.push('.');
                    push_u64(&mut path, i as u64);
                    let text = checked_scalar(item, &item_kind.get())
                        .ok_or_else(|| refuse(op, &path, item_kind.get().problem()))?;
                    out.push_item(&key, &text);
                }
            }
            (_, Kind::Int) => {
                let n = positive_integer(&v).ok_or_else(|| fail("must be a positive integer"))?;
                if take_page && key == "page" {
                    page = Some(n);
                    continue;
                }
                out.push_number(&key, n);
            }
            (_, kind) => {
                let text = checked_scalar(&v, &kind).ok_or_else(|| fail(kind.problem()))?;
                out.push(&key, &text);
            }
        }
    }
    Ok(page)
}

/// A whole number from 1 to 2^53 - 1 (beyond, a double no longer holds every integer).
fn positive_integer(v: &JsValue) -> Option<u64> {
    jsval::as_integer(v)
        .filter(|n| (1.0..=9_007_199_254_740_991.0).contains(n))
        .map(|n| n as u64)
}

/// A key the spec does not list: a scalar is sent as `key=v`, an array of scalars as `key[]=v`.
fn unknown_param(out: &mut Query, key: &str, v: &JsValue) -> Result<(), &'static str> {
    const PROBLEM: &str = "must be a string, number, boolean or an array of them";
    match jsval::array_items(v).map_err(|_| "cannot be read")? {
        Some(items) => {
            for item in items {
                out.push_item(key, &scalar(&item).ok_or(PROBLEM)?);
            }
        }
        None => out.push(key, &scalar(v).ok_or(PROBLEM)?),
    }
    Ok(())
}

/// The text of a string, number or boolean as `String(v)` gives it.
fn scalar(v: &JsValue) -> Option<String> {
    if let Some(s) = v.as_string() {
        return Some(s);
    }
    if let Some(b) = jsval::boolean(v) {
        return Some(if b { "true" } else { "false" }.into());
    }
    // `JSON.stringify` writes a finite number as `String` does (js-sys's `toString` would be
    // one more import, wrapped in the glue's exception handler).
    let n = jsval::number(v).filter(|n| n.is_finite())?;
    jsval::json_stringify(&JsValue::from_f64(n))
        .ok()?
        .as_string()
}

/// `new CustomersApi(options)` (`ctor` names the class, for errors).
pub fn client_options(v: &JsValue, ctor: &str) -> Result<JsConfig, Error> {
    let new = Whose::New(ctor);
    let mut cfg = JsConfig::default();
    if v.is_undefined() || v.is_null() {
        return Ok(cfg);
    }
    if !jsval::is_plain_object(v) {
        return Err(new.refuse("options", "must be an object"));
    }
    let get = |key| option(new, v, key);
    if let Some(key) = get("apiKey")? {
        match key.as_string() {
            Some(k) if !k.is_empty() => cfg.settings.api_key = Some(k),
            // Never echo the value: it may be a key pasted in the wrong place.
            _ => return Err(new.refuse("apiKey", KEY_PROBLEM)),
        }
    }
    if let Some(base) = get("baseUrl")? {
        let base = base.as_string().unwrap_or_default();
        let base =
            options::base_url(&base).ok_or_else(|| new.refuse("baseUrl", BASE_URL_PROBLEM))?;
        cfg.settings.base_url = base.into();
    }
    if let Some(f) = get("fetch")? {
        cfg.fetch = Some(jsval::as_fn(f).ok_or_else(|| new.refuse("fetch", "must be a function"))?);
    }
    if let Some(f) = get("sleep")? {
        cfg.sleep = Some(jsval::as_fn(f).ok_or_else(|| new.refuse("sleep", "must be a function"))?);
    }
    let shared = shared_options(new, v)?;
    cfg.settings.headers = shared.headers;
    cfg.settings.timeout_ms = shared.timeout_ms.unwrap_or(cfg.settings.timeout_ms);
    cfg.settings.max_retries = shared.max_retries.unwrap_or(cfg.settings.max_retries);
    if let Some(w) = get("warnOnBrowserKey")? {
        cfg.warn_on_browser_key = jsval::boolean(&w)
            .ok_or_else(|| new.refuse("warnOnBrowserKey", "must be a boolean"))?;
    }
    Ok(cfg)
}

/// The last argument of every method: `{ signal?, timeoutMs?, maxRetries?, headers? }`.
pub fn call_options(op: &Op, v: &JsValue) -> Result<JsCall, Error> {
    let mut call = JsCall::default();
    if v.is_undefined() || v.is_null() {
        return Ok(call);
    }
    if !jsval::is_plain_object(v) {
        return Err(refuse(op, "options", "must be an object"));
    }
    let get = |key| option(Whose::Call(op), v, key);
    if let Some(signal) = get("signal")? {
        let is_signal = signal.is_object()
            && jsval::get(&signal, "addEventListener").is_ok_and(|f| f.is_function())
            && jsval::get(&signal, "aborted").is_ok_and(|a| jsval::boolean(&a).is_some());
        if !is_signal {
            return Err(refuse(op, "signal", "must be an AbortSignal"));
        }
        call.signal = Some(signal);
    }
    call.overrides = shared_options(Whose::Call(op), v)?;
    Ok(call)
}

/// `options[key]`; `None` when it is `undefined`.
fn option(whose: Whose, options: &JsValue, key: &'static str) -> Result<Option<JsValue>, Error> {
    let v = jsval::get(options, key).map_err(|_| whose.refuse(key, "cannot be read"))?;
    Ok((!v.is_undefined()).then_some(v))
}

/// What the constructor's options and a call's options both set, read in this order:
/// `timeoutMs`, `maxRetries`, `headers`.
fn shared_options(whose: Whose, options: &JsValue) -> Result<Overrides, Error> {
    let get = |key| option(whose, options, key);
    let mut shared = Overrides::default();
    if let Some(t) = get("timeoutMs")? {
        let t = timeout(&t).ok_or_else(|| whose.refuse("timeoutMs", TIMEOUT_PROBLEM))?;
        shared.timeout_ms = Some(t);
    }
    if let Some(r) = get("maxRetries")? {
        let r = retries(&r).ok_or_else(|| whose.refuse("maxRetries", RETRIES_PROBLEM))?;
        shared.max_retries = Some(r);
    }
    if let Some(h) = get("headers")? {
        shared.headers = headers(&h).map_err(|p| whose.refuse("headers", p))?;
    }
    Ok(shared)
}

fn timeout(v: &JsValue) -> Option<f64> {
    // setTimeout treats delays above 2^31-1 ms as 0, so larger values are refused.
    jsval::number(v).filter(|t| (0.0..=options::MAX_TIMEOUT_MS).contains(t))
}

fn retries(v: &JsValue) -> Option<u32> {
    jsval::as_integer(v)
        .filter(|n| (0.0..=f64::from(options::MAX_RETRIES)).contains(n))
        .map(|n| n as u32)
}

/// A `Record<string, string>` of header names (HTTP tokens) to values without line breaks.
fn headers(v: &JsValue) -> Result<Vec<(String, String)>, &'static str> {
    let pairs = check_str_map(v)?;
    for (name, value) in &pairs {
        options::header(name, value)?;
    }
    Ok(pairs)
}
