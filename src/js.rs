//! The JS face: one wasm class, [`Core`], whose one call serves every operation by its index in
//! the generated table (`spec_tables::OPERATIONS`). The public classes (`CustomersApi`, ...,
//! `Lago`) are plain JS, made from the generated list `pkg-template/operations.js` by
//! `pkg-template/classes.js`: an operation costs its table entry, not a wasm-bindgen method. Arguments arrive as `JsValue` so that a wrong type becomes a
//! `LagoError` of kind `invalid_input` instead of a wasm-bindgen `TypeError`; results are the
//! parsed JSON body, handed back untouched after a top-level shape check.

pub(crate) mod jsval;
mod lago_error;
mod platform;
mod validate;

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

pub use lago_error::register_lago_error;

use crate::core::encode::Query;
use crate::core::operation::{Arg, Operation, Request};
use crate::core::spec_tables::OPERATIONS;
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
/// through, by the operation's index in [`OPERATIONS`].
#[wasm_bindgen(skip_typescript)]
pub struct Core {
    cfg: Rc<JsConfig>,
}

#[wasm_bindgen]
impl Core {
    /// Checks the options once; `ctor` names the class in errors (`new CustomersApi`). A bad
    /// option throws a `LagoError` of kind `invalid_input`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, ctor: &str) -> Result<Core, JsValue> {
        let cfg = validate::client_options(&options, ctor)?;
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
        let Some(op) = OPERATIONS.get(op) else {
            return Promise::reject(&JsValue::UNDEFINED);
        };
        let all = [a, b, c, d, e, f];
        let (args, options) = split_args(op, &all);
        match prepare(op, args, options, false) {
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
        let Some(op) = OPERATIONS.get(op) else {
            return JsValue::UNDEFINED;
        };
        let all = [a, b, c, d, e, f];
        let (args, options) = split_args(op, &all);
        let key = op.shape().get(2..).unwrap_or("");
        match prepare(op, args, options, true) {
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

/// A method's arguments as `op` reads them: one per [`Arg`], then the call options (missing ones
/// are `undefined`, extra ones ignored).
fn split_args<'a>(op: &Operation, all: &'a [JsValue; 6]) -> (&'a [JsValue], &'a JsValue) {
    let n = op.args().count().min(5);
    (&all[..n], &all[n])
}

/// A checked request and its call options, plus (for a pager) the page to start at.
type Prepared = (Request, JsCall, Option<u64>);

/// Reads and checks every argument of `op` against its table, in order: path ids, required
/// query values, then the body or the query object, then the call options.
fn prepare(
    op: &'static Operation,
    args: &[JsValue],
    options: &JsValue,
    take_page: bool,
) -> Result<Prepared, Error> {
    let mut ids = Vec::new();
    let mut query = Query::default();
    let mut body = None;
    let mut json = JsValue::UNDEFINED;
    let mut first = None;
    for (arg, value) in op.args().zip(args) {
        match arg {
            Arg::Path(name) => ids.push(validate::id(op, name, value)?),
            Arg::Query(name, wire) => query.push(wire, &validate::required_str(op, name, value)?),
            Arg::OptionalBody(_) if value.is_undefined() => {}
            Arg::Body(kind) | Arg::OptionalBody(kind) => {
                let (text, js_text) = validate::body(op, value, &kind)?;
                (body, json) = (Some(text), js_text);
            }
            Arg::Filters => {
                first = validate::query_taking_page(op, value, op.query(), &mut query, take_page)?
            }
        }
    }
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut req = Request::new(op, &ids)?;
    req.query = query;
    req.body = body;
    let mut call = validate::call_options(op, options)?;
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
    let op = &crate::core::spec_tables::CREATE_EVENT;
    for arg in op.args() {
        if let Arg::Body(kind) = arg {
            if let Err(err) = validate::body(op, &body, &kind) {
                return err.into();
            }
        }
    }
    JsValue::UNDEFINED
}
