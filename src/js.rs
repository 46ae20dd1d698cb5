//! The JS face: one wasm class, [`Core`], whose one call serves every operation by its index in
//! the generated blob (`spec_tables::SPEC`). The public classes (`CustomersApi`, ...,
//! `Lago`) are plain JS, made from the generated list `pkg-template/operations.js` by
//! `pkg-template/classes.js`: an operation costs its table entry, not a wasm-bindgen method. Arguments arrive as `JsValue` so that a wrong type becomes a
//! `LagoError` of kind `invalid_input` instead of a wasm-bindgen `TypeError`; results are the
//! parsed JSON body, handed back untouched after a top-level shape check.

mod arg_names;
pub(crate) mod jsval;
mod lago_error;
mod platform;
mod validate;

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

pub use lago_error::register_lago_error;

use crate::core::encode::Query;
use crate::core::operation::{Op, Request};
use crate::core::schema::Arg;
use crate::core::schema::Operation;
use crate::core::spec_tables::OPERATION_COUNT;
use crate::error::Error;
use platform::{JsCall, JsConfig};

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// The `listAll…` async iterator over a [`PageSource`] (see `runtime.js`).
    #[wasm_bindgen(js_name = pages)]
    fn pages_js(
        source: Option<PageSource>,
        key: &str,
        first: f64,
        signal: Option<JsValue>,
        error: JsValue,
    ) -> JsValue;
    /// Warns once, on the console, that an API key in a browser page is readable by every
    /// visitor (see `runtime.js`).
    #[wasm_bindgen(js_name = warnIfKeyInBrowser)]
    fn warn_if_key_in_browser();
}

/// What every JS class holds: the checked client options (one `Core` is shared by the classes
/// of a `new Lago()`). Its methods are the one call and the one pager every operation goes
/// through, by the operation's index (see [`operation`]).
#[wasm_bindgen(skip_typescript)]
pub struct Core {
    cfg: Rc<JsConfig>,
}

#[wasm_bindgen]
impl Core {
    /// Checks the options once; `ctor` names the class in errors (`new CustomersApi`). A bad
    /// option throws a `LagoError` of kind `invalid_input`. `ctor` is a JS value read here
    /// rather than a `&str`, whose copy in would cost the glue's constructor a string pass.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, ctor: JsValue) -> Result<Core, JsValue> {
        let ctor = ctor.as_string();
        let cfg = validate::client_options(&options, ctor.as_deref().unwrap_or(""))?;
        if cfg.settings.api_key.is_some() && cfg.warn_on_browser_key {
            warn_if_key_in_browser();
        }
        Ok(Core { cfg: Rc::new(cfg) })
    }

    /// The promise of one call of operation `op` with the method's arguments as the caller
    /// gave them: its positional arguments, then the call options (an operation takes at most
    /// five, so six values; as separate parameters they cost no crossing, where an array cost
    /// one per read). A refused argument rejects the promise (never a synchronous throw) and
    /// nothing is sent.
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &self,
        op: usize,
        a: JsValue,
        b: JsValue,
        c: JsValue,
        d: JsValue,
        e: JsValue,
        f: JsValue,
    ) -> Promise {
        let Some(operation) = operation(op) else {
            return Promise::reject(&JsValue::UNDEFINED);
        };
        let all = [a, b, c, d, e, f];
        match prepare(op, operation.read(), &all, false) {
            Ok((req, call, _)) => platform::start(self.cfg.clone(), req, call),
            Err(err) => Promise::reject(&err.into()),
        }
    }

    /// The `listAll…` twin of list operation `op`: its filters are read and checked once,
    /// here, and `page` becomes where the walk starts (default 1).
    #[allow(clippy::too_many_arguments)]
    pub fn pages(
        &self,
        op: usize,
        a: JsValue,
        b: JsValue,
        c: JsValue,
        d: JsValue,
        e: JsValue,
        f: JsValue,
    ) -> JsValue {
        let Some(operation) = operation(op) else {
            return JsValue::UNDEFINED;
        };
        let all = [a, b, c, d, e, f];
        let read = operation.read();
        let key = read.answer.key();
        match prepare(op, read, &all, true) {
            Ok((req, mut call, first)) => {
                let signal = call.signal.take();
                let source = PageSource {
                    cfg: self.cfg.clone(),
                    req,
                    call,
                };
                pages_js(
                    Some(source),
                    key,
                    first.unwrap_or(1) as f64,
                    signal,
                    JsValue::UNDEFINED,
                )
            }
            Err(err) => pages_js(None, key, 1.0, None, err.into()),
        }
    }
}

thread_local! {
    /// Each operation by its index, found by walking the blob's records on the first call.
    static INDEX: std::cell::RefCell<Vec<Operation>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Operation `index`: the index-th record of the blob, as `pkg-template/operations.js` lists
/// them (a table of their offsets in the wasm was 0.4 KiB of gzip).
fn operation(index: usize) -> Option<Operation> {
    platform::with_mut(&INDEX, |ops| {
        if ops.is_empty() {
            let mut op = Operation(0);
            for _ in 0..OPERATION_COUNT {
                ops.push(op);
                op = op.next();
            }
        }
        ops.get(index).copied()
    })
    .flatten()
}

/// A checked request and its call options, plus (for a pager) the page to start at.
type Prepared = (Request, JsCall, Option<u64>);

/// Reads and checks every argument of operation `index` (`op`, read once) against its table,
/// in order: path ids, required query values, then the body or the query object, then the call
/// options. `all` is the method's arguments: one per [`Arg`], then the call options (missing
/// ones are `undefined`, extra ones ignored).
fn prepare(index: usize, op: Op, all: &[JsValue; 6], take_page: bool) -> Result<Prepared, Error> {
    let mut ids = Vec::new();
    let mut query = Query::default();
    let mut body = None;
    let mut json = JsValue::UNDEFINED;
    let mut first = None;
    let args = op.args();
    for (arg, value) in args.iter().zip(all) {
        match *arg {
            Arg::Path(wire) => ids.push(value.as_string().ok_or_else(|| {
                validate::refuse_arg(index, &op, wire, "must be a non-empty string")
            })?),
            Arg::Query(wire) => {
                let text = value.as_string().filter(|s| !s.is_empty());
                let text = text.ok_or_else(|| {
                    validate::refuse_arg(index, &op, wire, "must be a non-empty string")
                })?;
                query.push(wire, &text);
            }
            Arg::OptionalBody(_) if value.is_undefined() => {}
            Arg::Body(kind) | Arg::OptionalBody(kind) => {
                let (text, js_text) = validate::body(&op, value, &kind)?;
                (body, json) = (Some(text), js_text);
            }
            Arg::Filters => {
                first = validate::query_taking_page(&op, value, op.query, &mut query, take_page)?
            }
        }
    }
    let values: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut req = Request::new(op, &values).map_err(|r| {
        let mut wires = args.iter().filter_map(|a| match a {
            Arg::Path(wire) => Some(*wire),
            _ => None,
        });
        validate::refuse_arg(index, &op, wires.nth(r.index).unwrap_or("id"), r.problem)
    })?;
    req.query = query;
    req.body = body;
    // (`args` holds at most five: the sixth value is always there.)
    let options = all.get(args.len()).unwrap_or(&all[5]);
    let mut call = validate::call_options(&op, options)?;
    call.body = json;
    Ok((req, call, first))
}

/// One `listAll…` walk's checked request, fetched page by page by `runtime.js`'s generator,
/// which frees it when the walk ends.
#[wasm_bindgen(skip_typescript)]
pub struct PageSource {
    cfg: Rc<JsConfig>,
    req: Request,
    call: JsCall,
}

#[wasm_bindgen]
impl PageSource {
    /// Page `page` of the list, under the walk's own signal (which the caller's follows).
    pub fn fetch(&self, page: f64, signal: JsValue) -> Promise {
        let mut req = self.req.clone();
        req.query.push_number("page", page as u64);
        let mut call = self.call.clone();
        call.signal = Some(signal);
        platform::start(self.cfg.clone(), req, call)
    }
}

/// Checks `{ event }` as `createEvent` checks its body: `undefined` when it passes, else the
/// `invalid_input` `LagoError`. For `LagoEventQueue.enqueue` (`pkg-template/event-queue.js`),
/// which refuses a bad event at once, before it waits in the queue.
#[wasm_bindgen(js_name = __checkEvent, skip_typescript)]
pub fn check_event(body: JsValue) -> JsValue {
    let op = crate::core::spec_tables::CREATE_EVENT.read();
    match op.body().map(|kind| validate::body(&op, &body, &kind)) {
        Some(Err(err)) => err.into(),
        _ => JsValue::UNDEFINED,
    }
}
