//! A stateful fake of Lago's Customers API, for the lago-wasm tests and example app.
//!
//! One fallback handler does the routing itself instead of axum's router: it must see the raw,
//! still percent-encoded path (so `%2F` inside an id never splits it and a literal `.` can be
//! treated like Rails does), and the same nine operations live under two prefixes with different
//! auth. Flow of an API request: log it -> match the route -> check the key -> apply the
//! `X-Fake-Fault` header -> run the operation -> add CORS headers.

mod admin;
mod codes;
mod customers;
mod faults;
mod query;
mod routes;
mod seed;
mod spec_values;
mod store;
mod usage;
mod usage_api;
mod util;

pub use seed::{ACME_COUPON_ID, ACME_SECOND_COUPON_ID};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use query::Query;
use routes::{execute, parse_op};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
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
