//! The JS face: the generated classes (`CustomersApi`, `CustomerWalletsApi`, in `js/classes.rs`)
//! over one shared call. Arguments arrive as `JsValue` so that a wrong type becomes a
//! `LagoError` of kind `invalid_input` instead of a wasm-bindgen `TypeError`; results are the
//! parsed JSON body, handed back untouched after a top-level shape check.

mod classes;
pub(crate) mod jsval;
mod lago_error;
mod platform;
mod validate;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

pub use classes::*;
pub use lago_error::register_lago_error;

use crate::core::encode::Query;
use crate::core::operation::{Arg, Operation, Request};
use crate::core::text::find;
use crate::core::transport::{decode_error, send};
use crate::error::{Error, ErrorKind};
use platform::{JsCall, JsConfig, JsPlatform};

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
    /// Hands `runtime.js` the two ways back into a parked call (see [`Pending`]).
    #[wasm_bindgen(js_name = setHooks)]
    fn set_hooks(resume: &Closure<dyn Fn(u32, JsValue) -> Promise>, drop_it: &Closure<dyn Fn(u32)>);
    #[wasm_bindgen(js_name = parseBody)]
    fn parse_body(text: &JsValue, shape: &str) -> JsValue;
}

/// What every generated class (`classes.rs`) holds: the checked client options. Its methods
/// are the one shared call and the one shared pager every operation goes through.
pub struct Api {
    cfg: Rc<JsConfig>,
}

impl Api {
    /// Checks the options once; `ctor` names the class in errors (`new CustomersApi`).
    pub(crate) fn new(options: JsValue, ctor: &'static str) -> Result<Api, JsValue> {
        let cfg = validate::client_options(&options, ctor)?;
        if cfg.settings.api_key.is_some() && cfg.warn_on_browser_key {
            warn_if_key_in_browser();
        }
        Ok(Api { cfg: Rc::new(cfg) })
    }

    /// The promise of one call of `op` with its positional `args`. A refused argument rejects
    /// the promise (never a synchronous throw) and nothing is sent. Every method goes through
    /// this one non-generic future, so the async machinery is compiled once.
    pub(crate) fn call(
        &self,
        op: &'static Operation,
        args: &[JsValue],
        options: JsValue,
    ) -> Promise {
        match prepare(op, args, &options, false) {
            Ok((req, call, _)) => start(&self.cfg, req, call),
            Err(err) => future_to_promise(execute(self.cfg.clone(), Err(err), None)),
        }
    }

    /// The `listAll…` twin of a list operation: its filters are read and checked once, here,
    /// and `page` becomes where the walk starts (default 1).
    pub(crate) fn pages(
        &self,
        op: &'static Operation,
        args: &[JsValue],
        options: JsValue,
    ) -> JsValue {
        let key = op.shape.get(2..).unwrap_or("");
        match prepare(op, args, &options, true) {
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
    for (arg, value) in op.args.iter().zip(args) {
        match arg {
            Arg::Path(name) => ids.push(validate::id(op, name, value)?),
            Arg::Query(name, wire) => query.push(wire, &validate::required_str(op, name, value)?),
            Arg::Body(kind) => {
                let (text, js_text) = validate::body(op, value, kind)?;
                (body, json) = (Some(text), js_text);
            }
            Arg::Filters(table) => {
                first = validate::query_taking_page(op, value, table, &mut query, take_page)?
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

/// The promise of one checked call: its first attempt runs in JS and settles a good 2xx body
/// there (no Rust future, the common case); anything else goes on in [`execute`], in Rust.
fn start(cfg: &Rc<JsConfig>, req: Request, call: JsCall) -> Promise {
    let pending = Pending {
        cfg: cfg.clone(),
        req,
        call,
    };
    match platform::run(cfg, pending) {
        Ok(promise) => promise,
        Err(Pending { cfg, req, call }) => future_to_promise(execute(cfg, Ok((req, call)), None)),
    }
}

/// A call whose first attempt JS is making, parked in [`PENDING`] under a number meanwhile:
/// JS drops it, or resumes it when that attempt is not a good 2xx body (an error, a retry, a
/// decode error: all decided in Rust, as before). A number rather than a wasm-bindgen object:
/// no JS wrapper and no FinalizationRegistry entry per call.
pub struct Pending {
    cfg: Rc<JsConfig>,
    req: Request,
    call: JsCall,
}

thread_local! {
    /// The parked calls (their slots reused) and the free slots.
    static PENDING: RefCell<(Vec<Option<Pending>>, Vec<u32>)> =
        const { RefCell::new((Vec::new(), Vec::new())) };
    /// Whether `runtime.js` has been handed the two hooks below.
    static HOOKS: Cell<bool> = const { Cell::new(false) };
}

/// Parks `pending`; its number goes to JS.
fn park(pending: Pending) -> u32 {
    if !HOOKS.with(|h| h.replace(true)) {
        let resume =
            Closure::<dyn Fn(u32, JsValue) -> Promise>::new(|id, outcome| match unpark(id) {
                Some(Pending { cfg, req, call }) => {
                    future_to_promise(execute(cfg, Ok((req, call)), Some(outcome)))
                }
                None => Promise::resolve(&JsValue::UNDEFINED),
            });
        let drop_it = Closure::<dyn Fn(u32)>::new(|id| drop(unpark(id)));
        set_hooks(&resume, &drop_it);
        // Both live as long as the module: made once, called by every call.
        resume.forget();
        drop_it.forget();
    }
    PENDING.with(|p| {
        let (slots, free) = &mut *p.borrow_mut();
        // (`get_mut`, not indexing: no bounds-check panic path in the wasm.)
        if let Some(id) = free.pop() {
            if let Some(slot) = slots.get_mut(id as usize) {
                *slot = Some(pending);
                return id;
            }
        }
        slots.push(Some(pending));
        (slots.len() - 1) as u32
    })
}

/// Takes parked call `id` out (at most once), freeing its slot.
fn unpark(id: u32) -> Option<Pending> {
    PENDING.with(|p| {
        let (slots, free) = &mut *p.borrow_mut();
        let pending = slots.get_mut(id as usize)?.take()?;
        free.push(id);
        Some(pending)
    })
}

/// Sends `req` (its first attempt already made when `primed`) and hands back the parsed body
/// once its top level has the expected shape.
async fn execute(
    cfg: Rc<JsConfig>,
    prepared: Result<(Request, JsCall), Error>,
    primed: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let (req, call) = prepared?;
    let mut platform = JsPlatform::new(&cfg, &call);
    if let Some(outcome) = primed {
        platform = platform.primed(outcome);
    }
    if !platform.has_fetch() {
        let msg = "No fetch: globalThis.fetch is missing; pass `fetch` in the options";
        return Err(Error::new(ErrorKind::Network, req.op.method, &req.path, msg.into()).into());
    }
    let reply = match send(&platform, &cfg.settings, &req, &call.overrides).await {
        Ok(reply) => reply,
        Err(err) => return Err(lago_error::into_js(err, platform.take_cause())),
    };
    let body = parse_body(&reply.body, req.op.shape);
    // parseBody answers a problem as a number; a good body is an object (or `undefined` for an
    // operation whose answer has no content).
    let Some(problem) = body.as_f64() else {
        return Ok(body);
    };
    let problem = match problem as u8 {
        1 => "the body is not text",
        2 => "the body is not valid JSON",
        3 => "the body is not a JSON object",
        4 => "the expected top-level object is missing",
        5 => "the expected top-level array is missing",
        _ => "the pagination meta object is missing",
    };
    let text = reply.body.as_string();
    Err(decode_error(
        &cfg.settings,
        &req,
        reply.attempts,
        problem,
        text.as_deref(),
    )
    .into())
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
        start(&self.cfg, req, call)
    }
}

thread_local! {
    static WARNED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// An API key in a browser page is readable by every visitor: say so once, on the console.
fn warn_if_key_in_browser() {
    let global = js_sys::global();
    let in_page = jsval::get(&global, "document").is_ok_and(|d| d.is_object());
    if !in_page || in_test_dom(&global) || WARNED.with(|w| w.replace(true)) {
        return;
    }
    let text = "lago-wasm: an apiKey is being used in a browser page, where every visitor can read it. \
                Lago API keys are secret: point baseUrl at your own backend proxy and pass no apiKey, \
                unless this is an internal tool (then pass warnOnBrowserKey: false).";
    web_sys::console::warn_1(&JsValue::from_str(text));
}

/// jsdom and happy-dom (Vitest, Jest) give Node a `document`: no visitor can read a key there,
/// and a warning in every test run would only be noise. Both say so in their user agent.
fn in_test_dom(global: &JsValue) -> bool {
    let navigator = jsval::get(global, "navigator").unwrap_or(JsValue::UNDEFINED);
    let agent = jsval::get(&navigator, "userAgent")
        .ok()
        .and_then(|a| a.as_string());
    agent.is_some_and(|a| find(&a, "jsdom/", 0).is_some() || find(&a, "HappyDOM", 0).is_some())
}

/// Bytes of wasm linear memory, for the memory-growth tests and the benchmark (not public API).
#[wasm_bindgen(js_name = __wasmMemoryBytes, skip_typescript)]
pub fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}
