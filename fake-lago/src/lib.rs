//! A stateful fake of Lago's Customers API, for the lago-wasm tests and example app.
//!
//! One fallback handler does the routing itself instead of axum's router: it must see the raw,
//! still percent-encoded path (so `%2F` inside an id never splits it and a literal `.` can be
//! treated like Rails does), and the same operations live under two prefixes with different
//! auth. Flow of an API request: log it -> rate limit (when on) -> match the route -> check the
//! key -> apply the `X-Fake-Fault` header -> run the operation -> log the status -> add CORS
//! headers.

mod admin;
mod billing;
mod codes;
mod customer_input;
mod customers;
mod estimates;
mod events;
mod faults;
mod flow;
mod flow_money;
mod flow_plans;
mod generic;
mod lists;
mod log;
mod query;
mod ratelimit;
mod routes;
mod seed;
mod spec_routes;
mod spec_values;
mod store;
mod usage;
mod usage_api;
mod util;
mod wallet_alerts;
mod wallets;
mod webhooks;

pub use ratelimit::Limits;
pub use seed::{ACME_COUPON_ID, ACME_SECOND_COUPON_ID, STRIPE_AUTH_FAILS};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use query::Query;
use routes::{execute, parse_op, Op};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use store::Store;
use util::{not_found, unauthorized, Reply};

/// Settings the binary passes in.
#[derive(Clone, Debug)]
pub struct Config {
    /// The key `/api/v1` requires as `Authorization: Bearer <key>`.
    pub api_key: String,
    /// Where this server is reachable, for the portal and checkout URLs it hands out.
    pub base_url: String,
    /// `Some`: act like Lago Cloud's rate limiter with these limits (off by default).
    pub rate_limit: Option<Limits>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_key: "lago-demo-key".into(),
            base_url: "http://127.0.0.1".into(),
            rate_limit: None,
        }
    }
}

/// Largest request body read (Lago's own limit is far above anything a customer needs).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Everything that changes while the server runs.
struct Mutable {
    store: Store,
    /// Requests seen so far per fault `id`, for `times=N`.
    fault_counts: HashMap<String, u64>,
    log: log::RequestLog,
    /// Rate-limit counters (used only with [`Config::rate_limit`]).
    windows: ratelimit::Windows,
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
        log: log::RequestLog::default(),
        windows: ratelimit::Windows::default(),
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

/// An operation's answer; a null body is sent as no body at all (an operation the spec gives
/// no content, like deleting every alert of a wallet).
fn reply((status, body): Reply) -> Response {
    if body.is_null() {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = status;
        return response;
    }
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
        HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    );
    headers.insert("access-control-allow-headers", asked);
    headers.insert("access-control-max-age", HeaderValue::from_static("600"));
    response
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
    if let Some(rest) = path.strip_prefix("/admin/webhooks/") {
        let body = axum::body::to_bytes(body, BODY_LIMIT)
            .await
            .unwrap_or_default();
        let base = &app.config.base_url;
        return reply(webhooks::admin(&parts.method, rest, &query, &body, base));
    }
    if let Some(admin) = path.strip_prefix("/admin") {
        return reply(admin::admin_route(app, &parts.method, admin, &query));
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
    let seq = app.lock().log.push(&log::Arrival {
        method: &parts.method,
        path: &path,
        query: &raw_query,
        headers: &parts.headers,
        authorized,
        body: &body,
    });
    let api = Api {
        method: &parts.method,
        path: &path,
        headers: &parts.headers,
        authorized,
        query: &query,
        body: &body,
    };
    let response = api_response(app, &api).await;
    if response.extensions().get::<faults::Dropped>().is_none() {
        app.lock().log.answered(seq, response.status().as_u16());
    }
    response
}

/// An API request, read.
struct Api<'a> {
    method: &'a Method,
    path: &'a str,
    headers: &'a HeaderMap,
    authorized: bool,
    query: &'a Query,
    body: &'a [u8],
}

/// Answers an API request: rate limit (when on) -> match the route -> check the key -> apply
/// the `X-Fake-Fault` header -> run the operation.
async fn api_response(app: &App, api: &Api<'_>) -> Response {
    let (rest, needs_key) = if let Some(rest) = api.path.strip_prefix("/api/v1/") {
        (rest, true)
    } else if let Some(rest) = api.path.strip_prefix("/proxy/api/v1/") {
        (rest, false)
    } else {
        return reply(not_found("resource_not_found"));
    };
    let op = parse_op(api.method, &format!("/{rest}"));
    let Some(limits) = app.config.rate_limit else {
        return operation(app, api, op, needs_key).await;
    };
    // Lago Cloud counts per organisation: here each key stands for one, and so does the proxy.
    let org = match api.headers.get(header::AUTHORIZATION) {
        Some(key) if needs_key => util::hash_bytes(key.as_bytes()),
        None if needs_key => util::hash_str("no key"),
        _ => util::hash_str("proxy"),
    };
    let bucket = match op {
        Some(Op::CurrentUsage(_)) => ratelimit::Bucket::CurrentUsage,
        _ => ratelimit::Bucket::General,
    };
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let verdict = app.lock().windows.count(org, bucket, limits, now_ms);
    let mut response = if verdict.limited {
        ratelimit::limited()
    } else {
        operation(app, api, op, needs_key).await
    };
    // Lago Cloud's proxy adds them to every answer; an injected 429 keeps its own.
    if !response.headers().contains_key("x-ratelimit-limit") {
        ratelimit::add_headers(&mut response, &verdict);
    }
    response
}

/// Runs a matched operation once the key and the fault header allow it.
async fn operation(app: &App, api: &Api<'_>, op: Option<Op>, needs_key: bool) -> Response {
    let Some(op) = op else {
        return reply(not_found("resource_not_found"));
    };
    if needs_key && !api.authorized {
        return reply(unauthorized());
    }
    if let Op::WebhookPublicKey = op {
        return webhooks::public_key_text(); // text/plain: not a JSON reply
    }
    let run = |store: &mut Store| execute(store, &op, api.query, api.body, &app.config.base_url);
    let fault = match api.headers.get("x-fake-fault").map(|v| v.to_str()) {
        None => None,
        Some(Ok(text)) => match faults::parse(text) {
            Ok(fault) => Some(fault).filter(|f| fault_applies(app, f)),
            Err(why) => return reply(util::bad_request(&format!("invalid X-Fake-Fault: {why}"))),
        },
        Some(Err(_)) => return reply(util::bad_request("invalid X-Fake-Fault: not ASCII")),
    };
    let Some(fault) = fault else {
        return reply(run(&mut app.lock().store));
    };
    if fault.commit {
        // Carried out for real, then the answer is replaced or cut.
        let (status, body) = run(&mut app.lock().store);
        if fault.kind == Some(faults::Kind::Drop) {
            return faults::cut(status, &body);
        }
    }
    if fault.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(fault.latency_ms)).await;
    }
    // Faults that replace the answer must not change anything, so body faults run the
    // operation on a scratch copy of the store.
    let dry_run = || {
        let mut scratch = app.lock().store.clone();
        run(&mut scratch).1
    };
    let mut response = match &fault.kind {
        None => reply(run(&mut app.lock().store)),
        Some(faults::Kind::Status(status)) => {
            faults::status_response(*status, fault.retry_after.as_ref())
        }
        Some(faults::Kind::Truncate) => faults::truncated(&dry_run()),
        Some(faults::Kind::NonJson) => faults::non_json(),
        Some(faults::Kind::WrongShape) => faults::wrong_shape(),
        Some(faults::Kind::Drop) => return faults::dropped(),
        Some(faults::Kind::Big(size)) => faults::big(&dry_run(), *size),
        Some(faults::Kind::ProviderThrottle) => faults::provider_throttled(),
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
