//! Test and demo helpers under `/admin` (never rate limited, faulted or logged).

use crate::query::Query;
use crate::routes::segments;
use crate::store::Store;
use crate::usage::{self, MAX_GENERATED};
use crate::util::{invalid, not_found, Reply};
use crate::{seed, App};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

/// Test and demo helpers: reset, request log, and what the spec's customer object lacks.
pub fn admin_route(app: &App, method: &Method, rest: &str, query: &Query) -> Reply {
    let mut state = app.lock();
    let segs = segments(rest).unwrap_or_default();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["reset"]) => {
            state.store = seed::seed();
            state.fault_counts.clear();
            state.log.clear();
            state.windows.clear();
            (
                StatusCode::OK,
                json!({"reset": true, "customers": state.store.customers.len()}),
            )
        }
        ("GET", ["requests"]) => (StatusCode::OK, state.log.entries()),
        ("DELETE", ["requests"]) => {
            let cleared = state.log.len();
            state.log.clear();
            (StatusCode::OK, json!({"cleared": cleared}))
        }
        ("GET", ["customers", id, what @ ("applied_coupons" | "subscriptions")]) => {
            match state.store.find(id) {
                Some(c) if *what == "applied_coupons" => {
                    let active: Vec<&Value> = c
                        .coupons
                        .iter()
                        .filter(|c| c["status"] == "active")
                        .collect();
                    (StatusCode::OK, json!({"applied_coupons": active}))
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
