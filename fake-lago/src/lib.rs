//! A stateful fake of Lago's Customers API, for the lago-wasm tests and example app.
//!
//! One fallback handler does the routing itself instead of axum's router: it must see the raw,
//! still percent-encoded path (so `%2F` inside an id never splits it and a literal `.` can be
//! treated like Rails does), and the same nine operations live under two prefixes with different
//! auth. Flow of an API request: log it -> match the route -> check the key -> apply the
//! `X-Fake-Fault` header -> run the operation -> add CORS headers.

mod codes;
mod faults;
mod seed;
mod spec_values;
mod store;
mod usage;
mod util;

pub use seed::{ACME_COUPON_ID, ACME_SECOND_COUPON_ID};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use store::Store;
use usage::{usage_object, Billing, MAX_GENERATED};
use util::{hash_str, invalid, mix, not_allowed, not_found, now_secs, unauthorized, Reply};

/// Settings the binary passes in.
#[derive(Clone, Debug)]
pub struct Config {
    /// The key `/api/v1` requires as `Authorization: Bearer <key>`.
    pub api_key: String,
    /// Where this server is reachable, for the portal and checkout URLs it hands out.
    pub base_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_key: "lago-demo-key".into(),
            base_url: "http://127.0.0.1".into(),
        }
    }
}

/// How many API requests `/admin/requests` remembers.
const LOG_CAPACITY: usize = 200;
/// Largest request body read (Lago's own limit is far above anything a customer needs).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Everything that changes while the server runs.
struct Mutable {
    store: Store,
    /// Requests seen so far per fault `id`, for `times=N`.
    fault_counts: HashMap<String, u64>,
    log: VecDeque<Value>,
}

struct App {
    config: Config,
    state: Mutex<Mutable>,
}

impl App {
    /// The state, even if a thread panicked while holding it (a fake must keep serving).
    fn lock(&self) -> MutexGuard<'_, Mutable> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The whole server as an axum router (the binary serves it; tests call it with `oneshot`).
pub fn app(config: Config) -> Router {
    let state = Mutable {
        store: seed::seed(),
        fault_counts: HashMap::new(),
        log: VecDeque::new(),
    };
    let app = Arc::new(App {
        config,
        state: Mutex::new(state),
    });
    Router::new().fallback(handle).with_state(app)
}

/// A JSON response (bodies here are small; big ones go through `faults::big`).
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn reply((status, body): Reply) -> Response {
    json_response(status, &body)
}

async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let mut response = if request.method() == Method::OPTIONS {
        preflight(request.headers())
    } else {
        route(&app, request).await
    };
    // Browsers only let a page read responses (errors included) that carry these.
    let headers = response.headers_mut();
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-expose-headers",
        HeaderValue::from_static(
            "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset",
        ),
    );
    response
}

/// CORS preflight for any path: allow every method we serve and whatever headers the page
/// asks for (`Authorization`, `X-Fake-Fault`, ... which a `*` would not cover for credentials).
fn preflight(request: &HeaderMap) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    let asked = request
        .get("access-control-request-headers")
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("*"));
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"),
    );
    headers.insert("access-control-allow-headers", asked);
    headers.insert("access-control-max-age", HeaderValue::from_static("600"));
    response
}

/// The nine Customers operations, with their path parameters decoded.
#[derive(Debug)]
enum Op {
    Create,
    List,
    Find(String),
    Destroy(String),
    DeleteCoupon(String, String),
    CurrentUsage(String),
    PastUsage(String),
    PortalUrl(String),
    CheckoutUrl(String),
}

/// Splits a raw path into decoded segments. Rails reads a literal `.` in the last segment as a
/// format suffix (`acme.com` is id `acme`), and a dynamic segment in the middle cannot hold one:
/// mimicking that catches clients that forget to send `.` as `%2E`.
fn segments(raw: &str) -> Option<Vec<String>> {
    let raw = raw.strip_prefix('/')?;
    let raw = raw.strip_suffix('/').unwrap_or(raw);
    let parts: Vec<&str> = raw.split('/').collect();
    let last = parts.len().saturating_sub(1);
    let mut decoded = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let part = match part.split_once('.') {
            None => *part,
            Some((before, _format)) if i == last => before,
            Some(_) => return None,
        };
        if part.is_empty() {
            return None;
        }
        decoded.push(percent_decode_str(part).decode_utf8_lossy().into_owned());
    }
    Some(decoded)
}

fn parse_op(method: &Method, rest: &str) -> Option<Op> {
    let segs = segments(rest)?;
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let id = |s: &str| s.to_string();
    Some(match (method.as_str(), segs.as_slice()) {
        ("POST", ["customers"]) => Op::Create,
        ("GET", ["customers"]) => Op::List,
        ("GET", ["customers", c]) => Op::Find(id(c)),
        ("DELETE", ["customers", c]) => Op::Destroy(id(c)),
        ("DELETE", ["customers", c, "applied_coupons", a]) => Op::DeleteCoupon(id(c), id(a)),
        ("GET", ["customers", c, "current_usage"]) => Op::CurrentUsage(id(c)),
        ("GET", ["customers", c, "past_usage"]) => Op::PastUsage(id(c)),
        ("GET", ["customers", c, "portal_url"]) => Op::PortalUrl(id(c)),
        ("POST", ["customers", c, "checkout_url"]) => Op::CheckoutUrl(id(c)),
        _ => return None,
    })
}

/// Whether the request carries `Authorization: Bearer <key>`.
fn has_key(headers: &HeaderMap, key: &str) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && token.trim() == key)
}

async fn route(app: &App, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    let raw_query = parts.uri.query().unwrap_or_default().to_string();
    let query = Query::parse(&raw_query);
    if let Some(admin) = path.strip_prefix("/admin") {
        return reply(admin_route(app, &parts.method, admin, &query));
    }
    if parts.method == Method::GET
        && (path.starts_with("/customer-portal/") || path.starts_with("/checkout/"))
    {
        return page(&path);
    }
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return reply(util::bad_request("request body too large or unreadable"));
    };
    let authorized = has_key(&parts.headers, &app.config.api_key);
    log_request(
        app,
        &parts.method,
        &path,
        &raw_query,
        &parts.headers,
        authorized,
        &body,
    );

    let (rest, needs_key) = if let Some(rest) = path.strip_prefix("/api/v1/") {
        (rest, true)
    } else if let Some(rest) = path.strip_prefix("/proxy/api/v1/") {
        (rest, false)
    } else {
        return reply(not_found("resource_not_found"));
    };
    let Some(op) = parse_op(&parts.method, &format!("/{rest}")) else {
        return reply(not_found("resource_not_found"));
    };
    if needs_key && !authorized {
        return reply(unauthorized());
    }

    let fault = match parts.headers.get("x-fake-fault").map(|v| v.to_str()) {
        None => None,
        Some(Ok(text)) => match faults::parse(text) {
            Ok(fault) => Some(fault).filter(|f| fault_applies(app, f)),
            Err(why) => return reply(util::bad_request(&format!("invalid X-Fake-Fault: {why}"))),
        },
        Some(Err(_)) => return reply(util::bad_request("invalid X-Fake-Fault: not ASCII")),
    };
    let Some(fault) = fault else {
        let mut state = app.lock();
        return reply(execute(
            &mut state.store,
            &op,
            &query,
            &body,
            &app.config.base_url,
        ));
    };
    if fault.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(fault.latency_ms)).await;
    }
    // Faults that replace the answer must not change anything, so body faults run the
    // operation on a scratch copy of the store.
    let dry_run = || {
        let mut scratch = app.lock().store.clone();
        execute(&mut scratch, &op, &query, &body, &app.config.base_url).1
    };
    let mut response = match &fault.kind {
        None => {
            let mut state = app.lock();
            reply(execute(
                &mut state.store,
                &op,
                &query,
                &body,
                &app.config.base_url,
            ))
        }
        Some(faults::Kind::Status(status)) => {
            faults::status_response(*status, fault.retry_after.as_ref())
        }
        Some(faults::Kind::Truncate) => faults::truncated(&dry_run()),
        Some(faults::Kind::NonJson) => faults::non_json(),
        Some(faults::Kind::WrongShape) => faults::wrong_shape(),
        Some(faults::Kind::Drop) => return faults::dropped(),
        Some(faults::Kind::Big(size)) => faults::big(&dry_run(), *size),
    };
    if let Some(retry_after) = fault.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after);
    }
    response
}

/// Counts the request against its fault `id`; false once `times` requests were faulted.
fn fault_applies(app: &App, fault: &faults::Fault) -> bool {
    let (Some(times), Some(id)) = (fault.times, &fault.id) else {
        return true;
    };
    let mut state = app.lock();
    let seen = state.fault_counts.entry(id.clone()).or_insert(0);
    *seen += 1;
    *seen <= times
}

fn log_request(
    app: &App,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    authorized: bool,
    body: &[u8],
) {
    let mut names = serde_json::Map::new();
    for (name, value) in headers {
        // Never keep the key: `authorized` says whether it was right.
        if name == header::AUTHORIZATION {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match names.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                names.insert(name.as_str().to_string(), json!(value));
            }
        }
    }
    let entry = json!({
        "method": method.as_str(),
        "path": path,
        "query": query,
        "headers": names,
        "authorized": authorized,
        "body": String::from_utf8_lossy(body),
    });
    let mut state = app.lock();
    if state.log.len() == LOG_CAPACITY {
        state.log.pop_front();
    }
    state.log.push_back(entry);
}

/// Test and demo helpers: reset, request log, and what the spec's customer object lacks.
fn admin_route(app: &App, method: &Method, rest: &str, query: &Query) -> Reply {
    let mut state = app.lock();
    let segs = segments(rest).unwrap_or_default();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["reset"]) => {
            state.store = seed::seed();
            state.fault_counts.clear();
            state.log.clear();
            (
                StatusCode::OK,
                json!({"reset": true, "customers": state.store.customers.len()}),
            )
        }
        ("GET", ["requests"]) => (
            StatusCode::OK,
            Value::Array(state.log.iter().cloned().collect()),
        ),
        ("DELETE", ["requests"]) => {
            let cleared = state.log.len();
            state.log.clear();
            (StatusCode::OK, json!({"cleared": cleared}))
        }
        ("GET", ["customers", id, what @ ("applied_coupons" | "subscriptions")]) => {
            match state.store.find(id) {
                Some(c) if *what == "applied_coupons" => {
                    (StatusCode::OK, json!({"applied_coupons": c.coupons}))
                }
                Some(c) => {
                    let subs: Vec<Value> = c
                        .subscriptions
                        .iter()
                        .map(usage::Subscription::to_json)
                        .collect();
                    (StatusCode::OK, json!({"subscriptions": subs}))
                }
                None => not_found("customer_not_found"),
            }
        }
        ("POST", ["customers", id, "subscriptions", sub_id, "charges"]) => {
            generate_charges(&mut state.store, id, sub_id, query)
        }
        _ => not_found("resource_not_found"),
    }
}

/// `POST /admin/customers/{id}/subscriptions/{sub}/charges?count=N`: the subscription's
/// current period reports N generated charges (1..=2000) until the next reset, so a test or
/// benchmark can ask the real server for a big usage body.
fn generate_charges(store: &mut Store, id: &str, sub_id: &str, query: &Query) -> Reply {
    let count = match query.get("count").filter(|c| !c.is_empty()) {
        None => return invalid("count", "value_is_mandatory"),
        Some(c) => match c.parse::<usize>() {
            Ok(n) if (1..=MAX_GENERATED).contains(&n) => n,
            _ => return invalid("count", "value_is_invalid"),
        },
    };
    let Some(customer) = store.find_mut(id) else {
        return not_found("customer_not_found");
    };
    let Some(sub) = customer
        .subscriptions
        .iter_mut()
        .find(|s| s.external_id == sub_id)
    else {
        return not_found("subscription_not_found");
    };
    sub.generated = Some(count);
    (StatusCode::OK, json!({"subscription": sub.to_json()}))
}

/// The pages behind portal and checkout URLs, so links in the example app lead somewhere.
fn page(path: &str) -> Response {
    let what = if path.starts_with("/checkout/") {
        "checkout"
    } else {
        "customer portal"
    };
    let mut response = Response::new(Body::from(format!(
        "<!doctype html><title>fake-lago</title><h1>Fake Lago {what}</h1><p>This page stands in for Lago's {what}.</p>"
    )));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Decoded query pairs, in order (`name[]` repeats for arrays).
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(raw: &str) -> Query {
        Query(
            form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// First value of `name`.
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// All values of an array parameter, sent as `name[]=a&name[]=b` (or `name=a`).
    fn all(&self, name: &str) -> Vec<&str> {
        let bracketed = format!("{name}[]");
        self.0
            .iter()
            .filter(|(k, _)| *k == bracketed || k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Ruby's `String#to_i`: leading digits after an optional sign, 0 if none (`"2abc"` is 2).
fn ruby_to_i(s: &str) -> i64 {
    let s = s.trim_start();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s.strip_prefix('+').unwrap_or(s)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits
        .get(..end)
        .and_then(|d| d.parse::<i64>().ok())
        .map_or(0, |n| sign * n)
}

/// Lago pages with Kaminari: `page` below 1 (or not a number) is page 1; `per_page` that is
/// not a positive number falls back to the default 100 (Kaminari would send an empty page for
/// 0; the client never sends it). Returns the page's items and the `PaginationMeta`.
fn paginate<T: Clone>(items: &[T], query: &Query) -> (Vec<T>, Value) {
    let page = query.get("page").map_or(1, ruby_to_i).max(1) as u64;
    let per_page = query
        .get("per_page")
        .map(ruby_to_i)
        .filter(|&n| n > 0)
        .unwrap_or(100) as u64;
    let total = items.len() as u64;
    if total == 0 {
        let meta = json!({"current_page": 0, "next_page": null, "prev_page": null, "total_pages": 0, "total_count": 0});
        return (Vec::new(), meta);
    }
    let total_pages = total.div_ceil(per_page);
    let start =
        usize::try_from(page.saturating_sub(1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let slice: Vec<T> = items
        .iter()
        .skip(start)
        .take(per_page as usize)
        .cloned()
        .collect();
    let in_range = page <= total_pages;
    let meta = json!({
        "current_page": page,
        "next_page": (page < total_pages).then_some(page + 1),
        "prev_page": (page > 1 && in_range).then_some(page - 1),
        "total_pages": total_pages,
        "total_count": total,
    });
    (slice, meta)
}

/// Runs one operation on `store`.
fn execute(store: &mut Store, op: &Op, query: &Query, body: &[u8], base_url: &str) -> Reply {
    let now = now_secs();
    match op {
        Op::Create => store.upsert_body(body, now),
        Op::List => list_customers(store, query),
        Op::Find(id) => match store.find(id) {
            Some(c) => (StatusCode::OK, json!({"customer": c.json})),
            None => not_found("customer_not_found"),
        },
        Op::Destroy(id) => store.destroy(id),
        Op::DeleteCoupon(id, coupon) => store.terminate_coupon(id, coupon, now),
        Op::CurrentUsage(id) => current_usage(store, id, query, now),
        Op::PastUsage(id) => past_usage(store, id, query, now),
        Op::PortalUrl(id) => match store.find(id) {
            Some(c) => {
                let token = format!(
                    "{:016x}{:016x}",
                    mix(hash_str(c.str_field("lago_id"))),
                    hash_str(id)
                );
                let url = format!("{base_url}/customer-portal/{token}");
                (StatusCode::OK, json!({"customer": {"portal_url": url}}))
            }
            None => not_found("customer_not_found"),
        },
        Op::CheckoutUrl(id) => checkout_url(store, id, base_url),
    }
}

/// GET /customers with the spec's filters. Unknown enum values in a filter are a 422, as in
/// Lago's filter validation; the list is newest first (Lago orders by `created_at` desc).
fn list_customers(store: &Store, query: &Query) -> Reply {
    let mut errors = serde_json::Map::new();
    let mut check = |name: &str, values: &[&str], ok: fn(&str) -> bool| {
        if !values.iter().all(|v| ok(v)) {
            errors.insert(name.to_string(), json!(["value_is_invalid"]));
        }
    };
    let currencies = query.all("currencies");
    let countries = query.all("countries");
    let account_types = query.all("account_type");
    let customer_type = query.get("customer_type").filter(|v| !v.is_empty());
    let bool_param = |name: &str| query.get(name).filter(|v| !v.is_empty());
    check("currencies", &currencies, codes::is_currency);
    check("countries", &countries, codes::is_country);
    check("account_type", &account_types, |v| {
        v == "customer" || v == "partner"
    });
    check("customer_type", customer_type.as_slice(), |v| {
        v == "company" || v == "individual"
    });
    for name in ["has_customer_type", "has_tax_identification_number"] {
        check(name, bool_param(name).as_slice(), |v| {
            v == "true" || v == "false"
        });
    }
    if !errors.is_empty() {
        return util::unprocessable(Value::Object(errors));
    }
    let states = query.all("states");
    let zipcodes = query.all("zipcodes");
    let entities = query.all("billing_entity_codes");
    let term = query.get("search_term").unwrap_or_default().to_lowercase();
    let metadata: Vec<(&str, &str)> = query
        .0
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("metadata[")?.strip_suffix(']')?, v.as_str())))
        .collect();
    let in_set = |set: &[&str], value: &str| set.is_empty() || set.contains(&value);
    let presence =
        |param: Option<&str>, present: bool| param.is_none_or(|p| (p == "true") == present);
    let matching: Vec<Value> = store
        .customers
        .iter()
        .rev()
        .filter(|c| {
            let f = |k: &str| c.str_field(k);
            let searchable = [
                "name",
                "firstname",
                "lastname",
                "external_id",
                "email",
                "legal_name",
            ];
            (term.is_empty()
                || searchable
                    .iter()
                    .any(|k| f(k).to_lowercase().contains(&term)))
                && in_set(&currencies, f("currency"))
                && in_set(&countries, f("country"))
                && in_set(&account_types, f("account_type"))
                && in_set(&states, f("state"))
                && in_set(&zipcodes, f("zipcode"))
                && in_set(&entities, f("billing_entity_code"))
                && customer_type.is_none_or(|t| t == f("customer_type"))
                && presence(
                    bool_param("has_customer_type"),
                    !f("customer_type").is_empty(),
                )
                && presence(
                    bool_param("has_tax_identification_number"),
                    !f("tax_identification_number").is_empty(),
                )
                && metadata.iter().all(|(key, value)| {
                    c.json["metadata"].as_array().is_some_and(|items| {
                        items.iter().any(|m| {
                            m["key"].as_str() == Some(key) && m["value"].as_str() == Some(value)
                        })
                    })
                })
        })
        .map(|c| Value::Object(c.json.clone()))
        .collect();
    let (page, meta) = paginate(&matching, query);
    (StatusCode::OK, json!({"customers": page, "meta": meta}))
}

/// The subscription id a usage query names, or Lago's 422 when it is missing.
fn subscription_param(query: &Query) -> Result<&str, Reply> {
    query
        .get("external_subscription_id")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("external_subscription_id", "value_is_mandatory"))
}

/// Customer's currency (USD when it has none yet, like an organization default) and taxes.
fn billing_of(customer: &store::Customer) -> Billing<'_> {
    let currency = customer.str_field("currency");
    Billing {
        currency: if currency.is_empty() { "USD" } else { currency },
        tax_rate: customer.tax_rate(),
    }
}

fn current_usage(store: &Store, id: &str, query: &Query, now: i64) -> Reply {
    let Some(customer) = store.find(id) else {
        return not_found("customer_not_found");
    };
    let sub_id = match subscription_param(query) {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let Some(sub) = customer
        .subscriptions
        .iter()
        .find(|s| s.external_id == sub_id && s.active)
    else {
        return not_allowed("no_active_subscription");
    };
    // Filters narrow the charges to one metric; Lago 404s on codes it does not know.
    let mut only = None;
    if let Some(code) = query.get("billable_metric_code").filter(|c| !c.is_empty()) {
        if !sub.knows_metric(code) {
            return not_found("billable_metric_not_found");
        }
        only = Some(code.to_string());
    }
    for name in ["charge_code", "filter_by_charge_code"] {
        if let Some(code) = query.get(name).filter(|c| !c.is_empty()) {
            if !sub.current_has_code(code) {
                return not_found("charge_not_found");
            }
            only = Some(code.to_string());
        }
    }
    for name in ["charge_id", "filter_by_charge_id"] {
        if let Some(charge) = query.get(name).filter(|c| !c.is_empty()) {
            match sub.current_code_of_charge(charge) {
                Some(code) => only = Some(code),
                None => return not_found("charge_not_found"),
            }
        }
    }
    let apply_taxes = query.get("apply_taxes") != Some("false");
    let usage = usage_object(
        sub,
        &billing_of(customer),
        now,
        0,
        only.as_deref(),
        apply_taxes,
    );
    (StatusCode::OK, json!({"customer_usage": usage}))
}

/// Past usage: the last 12 invoiced months, newest first. `periods_count` keeps the newest N
/// (ignored unless a positive integer); then the usual paging applies.
fn past_usage(store: &Store, id: &str, query: &Query, now: i64) -> Reply {
    const MONTHS: u64 = 12;
    let Some(customer) = store.find(id) else {
        return not_found("customer_not_found");
    };
    let sub_id = match subscription_param(query) {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    // Terminated subscriptions keep their history, so any of the customer's counts here.
    let Some(sub) = customer
        .subscriptions
        .iter()
        .find(|s| s.external_id == sub_id)
    else {
        return not_found("subscription_not_found");
    };
    let only = query.get("billable_metric_code").filter(|c| !c.is_empty());
    if only.is_some_and(|code| !sub.knows_metric(code)) {
        return not_found("billable_metric_not_found");
    }
    let count = query
        .get("periods_count")
        .and_then(|p| p.parse::<u64>().ok())
        .filter(|&n| n > 0)
        .map_or(MONTHS, |n| n.min(MONTHS));
    let billing = billing_of(customer);
    let periods: Vec<u64> = (1..=count).collect();
    let (page, meta) = paginate(&periods, query);
    let usage: Vec<Value> = page
        .iter()
        .map(|&back| usage_object(sub, &billing, now, back, only, true))
        .collect();
    (
        StatusCode::OK,
        json!({"usage_periods": usage, "meta": meta}),
    )
}

fn checkout_url(store: &Store, id: &str, base_url: &str) -> Reply {
    let Some(customer) = store.find(id) else {
        return not_found("customer_not_found");
    };
    let billing = &customer.json["billing_configuration"];
    let Some(provider) = billing["payment_provider"].as_str() else {
        return invalid("base", "no_linked_payment_provider");
    };
    let token = format!(
        "{:016x}",
        mix(hash_str(customer.str_field("lago_id")) ^ 0xC4EC)
    );
    (
        StatusCode::OK,
        json!({"customer": {
            "lago_customer_id": customer.json["lago_id"],
            "external_customer_id": customer.json["external_id"],
            "payment_provider": provider,
            "payment_provider_code": billing["payment_provider_code"].as_str().unwrap_or(provider),
            "checkout_url": format!("{base_url}/checkout/{provider}/{token}"),
        }}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_decode_and_follow_rails_dots() {
        assert_eq!(
            segments("/customers/a%2Fb").expect("ok"),
            ["customers", "a/b"]
        );
        assert_eq!(
            segments("/customers/a%2Eb/").expect("ok"),
            ["customers", "a.b"]
        );
        assert_eq!(
            segments("/customers/acme.json").expect("ok"),
            ["customers", "acme"]
        );
        assert_eq!(
            segments("/customers/%C3%A9%20x").expect("ok"),
            ["customers", "é x"]
        );
        assert!(segments("/customers/a.b/portal_url").is_none());
        assert!(segments("/customers//portal_url").is_none());
    }

    #[test]
    fn ruby_to_i_matches_ruby() {
        assert_eq!(ruby_to_i("2abc"), 2);
        assert_eq!(ruby_to_i("abc"), 0);
        assert_eq!(ruby_to_i("-3"), -3);
        assert_eq!(ruby_to_i(" 7"), 7);
    }
}
