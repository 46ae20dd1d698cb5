//! The JS face: the `CustomersApi` class. Arguments arrive as `JsValue` so that a wrong type
//! becomes a `LagoError` of kind `invalid_input` instead of a wasm-bindgen `TypeError`; results
//! are the parsed JSON body, handed back untouched after a top-level shape check.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::core::encode::push_u64;
use crate::core::jsval;
use crate::core::operation::{self as ops, parse_checked, Operation, Part, Request};
use crate::core::schema::QueryParam;
use crate::core::spec_tables as spec;
use crate::core::transport::{send, CallOptions, Config};
use crate::core::validate;
use crate::error::Error;

impl From<Error> for JsValue {
    fn from(err: Error) -> JsValue {
        err.into_js()
    }
}

/// Client for Lago's Customers endpoints. Every method returns a Promise of the parsed JSON
/// body, or rejects with a `LagoError`. Its TypeScript declaration is hand-checked in
/// `src/js/api.d.ts` (wasm-bindgen would type every `JsValue` argument as `any`).
#[wasm_bindgen(skip_typescript)]
pub struct CustomersApi {
    cfg: Rc<Config>,
}

/// Sends `req` and hands back the parsed body once its top level has the expected shape.
async fn run(cfg: &Config, req: Request, call: &CallOptions) -> Result<JsValue, JsValue> {
    let reply = send(cfg, &req, call).await?;
    match parse_checked(req.op.shape, &reply.text) {
        Ok(body) => Ok(body),
        Err(problem) => Err(reply.decode_error(&req, problem).into()),
    }
}

/// What a method prepared synchronously: the checked request, or why it was refused.
type Prepared = Result<(Request, CallOptions), Error>;

/// The promise of one call. Every method goes through this one non-generic future, so the
/// async machinery is compiled once, not once per method; a refused argument rejects the
/// promise (never a synchronous throw) and nothing is sent.
fn call(cfg: &Rc<Config>, prepared: Prepared) -> Promise {
    future_to_promise(execute(cfg.clone(), prepared))
}

async fn execute(cfg: Rc<Config>, prepared: Prepared) -> Result<JsValue, JsValue> {
    let (req, call) = prepared?;
    run(&cfg, req, &call).await
}

/// The single-id operations: `/customers/{id}` plus a fixed tail.
fn by_id(
    op: &'static Operation,
    name: &'static str,
    id: &JsValue,
    tail: &'static str,
    options: &JsValue,
) -> Prepared {
    let id = validate::id(op, name, id)?;
    let req = Request::new(
        op,
        &[
            Part::Lit("/customers"),
            Part::Id(name, &id),
            Part::Lit(tail),
        ],
    )?;
    Ok((req, validate::call_options(op, options)?))
}

/// The two usage operations: customer id, required subscription id, then the query.
fn usage(
    op: &'static Operation,
    tail: &'static str,
    table: &'static [QueryParam],
    args: [&JsValue; 4],
) -> Prepared {
    let [customer, subscription, query, options] = args;
    let customer = validate::id(op, "externalCustomerId", customer)?;
    let subscription = validate::required_str(op, "externalSubscriptionId", subscription)?;
    let path = [
        Part::Lit("/customers"),
        Part::Id("externalCustomerId", &customer),
        Part::Lit(tail),
    ];
    let mut req = Request::new(op, &path)?;
    req.query.push("external_subscription_id", &subscription);
    validate::query(op, query, table, &mut req.query)?;
    Ok((req, validate::call_options(op, options)?))
}

#[wasm_bindgen]
impl CustomersApi {
    /// Checks the options once; a bad option throws a `LagoError` of kind `invalid_input`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<CustomersApi, JsValue> {
        let cfg = validate::client_options(&options)?;
        if cfg.api_key.is_some() {
            warn_if_key_in_browser();
        }
        Ok(CustomersApi { cfg: Rc::new(cfg) })
    }

    /// POST /customers (an upsert on `external_id`).
    #[wasm_bindgen(js_name = createCustomer)]
    pub fn create_customer(&self, body: JsValue, options: JsValue) -> Promise {
        let op = &ops::CREATE_CUSTOMER;
        call(
            &self.cfg,
            (|| {
                let json = validate::body(op, &body, spec::CUSTOMER_CREATE_INPUT)?;
                validate::external_id_not_empty(op, &body)?;
                let mut req = Request::new(op, &[Part::Lit("/customers")])?;
                req.body = Some(json);
                Ok((req, validate::call_options(op, &options)?))
            })(),
        )
    }

    /// DELETE /customers/{external_customer_id}/applied_coupons/{applied_coupon_id}
    #[wasm_bindgen(js_name = deleteAppliedCoupon)]
    pub fn delete_applied_coupon(
        &self,
        external_customer_id: JsValue,
        applied_coupon_id: JsValue,
        options: JsValue,
    ) -> Promise {
        let op = &ops::DELETE_APPLIED_COUPON;
        call(
            &self.cfg,
            (|| {
                let customer = validate::id(op, "externalCustomerId", &external_customer_id)?;
                let coupon = validate::id(op, "appliedCouponId", &applied_coupon_id)?;
                let req = Request::new(
                    op,
                    &[
                        Part::Lit("/customers"),
                        Part::Id("externalCustomerId", &customer),
                        Part::Lit("/applied_coupons"),
                        Part::Id("appliedCouponId", &coupon),
                    ],
                )?;
                Ok((req, validate::call_options(op, &options)?))
            })(),
        )
    }

    /// DELETE /customers/{external_customer_id}
    #[wasm_bindgen(js_name = destroyCustomer)]
    pub fn destroy_customer(&self, external_id: JsValue, options: JsValue) -> Promise {
        call(
            &self.cfg,
            by_id(
                &ops::DESTROY_CUSTOMER,
                "externalId",
                &external_id,
                "",
                &options,
            ),
        )
    }

    /// GET /customers/{external_customer_id}/past_usage
    #[wasm_bindgen(js_name = findAllCustomerPastUsage)]
    pub fn find_all_customer_past_usage(
        &self,
        external_customer_id: JsValue,
        external_subscription_id: JsValue,
        query: JsValue,
        options: JsValue,
    ) -> Promise {
        let args = [
            &external_customer_id,
            &external_subscription_id,
            &query,
            &options,
        ];
        let op = &ops::FIND_ALL_CUSTOMER_PAST_USAGE;
        call(
            &self.cfg,
            usage(
                op,
                "/past_usage",
                spec::FIND_ALL_CUSTOMER_PAST_USAGE_QUERY,
                args,
            ),
        )
    }

    /// GET /customers
    #[wasm_bindgen(js_name = findAllCustomers)]
    pub fn find_all_customers(&self, query: JsValue, options: JsValue) -> Promise {
        let op = &ops::FIND_ALL_CUSTOMERS;
        call(
            &self.cfg,
            (|| {
                let mut req = Request::new(op, &[Part::Lit("/customers")])?;
                validate::query(op, &query, spec::FIND_ALL_CUSTOMERS_QUERY, &mut req.query)?;
                Ok((req, validate::call_options(op, &options)?))
            })(),
        )
    }

    /// GET /customers/{external_customer_id}
    #[wasm_bindgen(js_name = findCustomer)]
    pub fn find_customer(&self, external_id: JsValue, options: JsValue) -> Promise {
        call(
            &self.cfg,
            by_id(
                &ops::FIND_CUSTOMER,
                "externalId",
                &external_id,
                "",
                &options,
            ),
        )
    }

    /// GET /customers/{external_customer_id}/current_usage
    #[wasm_bindgen(js_name = findCustomerCurrentUsage)]
    pub fn find_customer_current_usage(
        &self,
        external_customer_id: JsValue,
        external_subscription_id: JsValue,
        query: JsValue,
        options: JsValue,
    ) -> Promise {
        let args = [
            &external_customer_id,
            &external_subscription_id,
            &query,
            &options,
        ];
        let op = &ops::FIND_CUSTOMER_CURRENT_USAGE;
        call(
            &self.cfg,
            usage(
                op,
                "/current_usage",
                spec::FIND_CUSTOMER_CURRENT_USAGE_QUERY,
                args,
            ),
        )
    }

    /// POST /customers/{external_customer_id}/checkout_url
    #[wasm_bindgen(js_name = generateCustomerCheckoutURL)]
    pub fn generate_customer_checkout_url(
        &self,
        external_customer_id: JsValue,
        options: JsValue,
    ) -> Promise {
        let op = &ops::GENERATE_CUSTOMER_CHECKOUT_URL;
        call(
            &self.cfg,
            by_id(
                op,
                "externalCustomerId",
                &external_customer_id,
                "/checkout_url",
                &options,
            ),
        )
    }

    /// GET /customers/{external_customer_id}/portal_url
    #[wasm_bindgen(js_name = getCustomerPortalUrl)]
    pub fn get_customer_portal_url(
        &self,
        external_customer_id: JsValue,
        options: JsValue,
    ) -> Promise {
        let op = &ops::GET_CUSTOMER_PORTAL_URL;
        call(
            &self.cfg,
            by_id(
                op,
                "externalCustomerId",
                &external_customer_id,
                "/portal_url",
                &options,
            ),
        )
    }

    /// Every customer matching `query`, page after page, fetched lazily (`for await ... of`).
    #[wasm_bindgen(js_name = listAllCustomers)]
    pub fn list_all_customers(&self, query: JsValue, options: JsValue) -> JsValue {
        let op = &ops::FIND_ALL_CUSTOMERS;
        let start = (|| {
            let mut filters = crate::core::encode::Query::default();
            let table = spec::FIND_ALL_CUSTOMERS_QUERY;
            let first = validate::query_taking_page(op, &query, table, &mut filters, true)?;
            let call = validate::call_options(op, &options)?;
            Ok::<_, Error>((filters, first.unwrap_or(1), call))
        })();
        let state = match start {
            Ok((filters, first, call)) => Walk::Ready {
                filters,
                next_page: Some(first),
                call,
            },
            Err(e) => Walk::Failed(Some(e)),
        };
        let pages = CustomerPages {
            cfg: self.cfg.clone(),
            state: Rc::new(RefCell::new(state)),
            buffer: Rc::new(RefCell::new(VecDeque::new())),
            pending: RefCell::new(None),
        };
        let iterator = JsValue::from(pages);
        // `for await` calls `obj[Symbol.asyncIterator]()` and expects the iterator back:
        // `Object.prototype.valueOf` returns its receiver, so no JS glue or closure is needed.
        let value_of = jsval::get(&Object::new().into(), "valueOf").unwrap_or(JsValue::UNDEFINED);
        let _ = js_sys::Reflect::set(&iterator, &js_sys::Symbol::async_iterator(), &value_of);
        iterator
    }
}

enum Walk {
    Ready {
        filters: crate::core::encode::Query,
        next_page: Option<u64>,
        call: CallOptions,
    },
    Failed(Option<Error>),
}

/// The async iterator behind `listAllCustomers`.
#[wasm_bindgen(skip_typescript)]
pub struct CustomerPages {
    cfg: Rc<Config>,
    state: Rc<RefCell<Walk>>,
    buffer: Rc<RefCell<VecDeque<JsValue>>>,
    /// The promise of the latest `next()`: each call waits for the one before, as an async
    /// generator does, so `Promise.all([it.next(), it.next()])` cannot fetch a page twice.
    pending: RefCell<Option<Promise>>,
}

fn step(value: JsValue, done: bool) -> JsValue {
    let out = Object::new();
    jsval::set(&out, "value", &value);
    jsval::set(&out, "done", &JsValue::from_bool(done));
    out.into()
}

#[wasm_bindgen]
impl CustomerPages {
    /// The next customer, fetching the next page when the current one is used up.
    pub fn next(&self) -> Promise {
        let (cfg, state, buffer) = (self.cfg.clone(), self.state.clone(), self.buffer.clone());
        let previous = self.pending.borrow_mut().take();
        let promise = future_to_promise(async move {
            if let Some(previous) = previous {
                // Its outcome went to its own caller; only its end matters here.
                let _ = wasm_bindgen_futures::JsFuture::from(previous).await;
            }
            loop {
                if let Some(customer) = buffer.borrow_mut().pop_front() {
                    return Ok(step(customer, false));
                }
                let (req, call) = match &mut *state.borrow_mut() {
                    Walk::Failed(err) => match err.take() {
                        Some(err) => return Err(err.into()),
                        None => return Ok(step(JsValue::UNDEFINED, true)),
                    },
                    Walk::Ready {
                        next_page: None, ..
                    } => return Ok(step(JsValue::UNDEFINED, true)),
                    Walk::Ready {
                        filters,
                        next_page: Some(page),
                        call,
                    } => {
                        let op = &ops::FIND_ALL_CUSTOMERS;
                        let mut req = Request::new(op, &[Part::Lit("/customers")])?;
                        req.query = filters.clone();
                        let mut text = String::new();
                        push_u64(&mut text, *page);
                        req.query.push("page", &text);
                        (req, call.clone())
                    }
                };
                let page = execute(cfg.clone(), Ok((req, call))).await;
                let mut state = state.borrow_mut();
                let Walk::Ready { next_page, .. } = &mut *state else {
                    return Ok(step(JsValue::UNDEFINED, true));
                };
                let body = match page {
                    Ok(body) => body,
                    Err(err) => {
                        *state = Walk::Failed(None);
                        return Err(err);
                    }
                };
                let current = next_page.unwrap_or(0);
                let customers = jsval::get(&body, "customers").unwrap_or(JsValue::UNDEFINED);
                let meta = jsval::get(&body, "meta").unwrap_or(JsValue::UNDEFINED);
                let next = jsval::get(&meta, "next_page")
                    .ok()
                    .and_then(|n| jsval::as_integer(&n));
                // A next page that does not move forward would loop for ever: stop there.
                *next_page = next.filter(|n| *n as u64 > current).map(|n| n as u64);
                let customers: js_sys::Array = customers.unchecked_into();
                buffer.borrow_mut().extend(customers.iter());
            }
        });
        *self.pending.borrow_mut() = Some(promise.clone());
        promise
    }

    /// Stops the walk early (`break` in a `for await` loop).
    #[wasm_bindgen(js_name = "return")]
    pub fn finish(&self) -> Promise {
        *self.state.borrow_mut() = Walk::Failed(None);
        self.buffer.borrow_mut().clear();
        Promise::resolve(&step(JsValue::UNDEFINED, true))
    }
}

thread_local! {
    static WARNED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// An API key in a browser page is readable by every visitor: say so once, on the console.
fn warn_if_key_in_browser() {
    let global = js_sys::global();
    let in_page = jsval::get(&global, "document").is_ok_and(|d| d.is_object());
    if !in_page || WARNED.with(|w| w.replace(true)) {
        return;
    }
    let console = jsval::get(&global, "console").unwrap_or(JsValue::UNDEFINED);
    if let Some(warn) = jsval::get_fn(&console, "warn") {
        let text = "lago-wasm: an apiKey is being used in a browser page, where every visitor can read it. \
                    Lago API keys are secret: point baseUrl at your own backend proxy and pass no apiKey, \
                    unless this is an internal tool.";
        let _ = warn.call1(&console, &JsValue::from_str(text));
    }
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
