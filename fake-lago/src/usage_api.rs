//! Current, projected and past usage of a customer's subscription, with the errors Lago's
//! server answers (`shared/lago-openapi/REALITY.md`, section 5).

use crate::billing::invoiced;
use crate::query::{paginate, Query};
use crate::store::{Customer, Store};
use crate::usage::{metric_index, projected_usage_object, usage_object, Subscription};
use crate::util::{invalid, not_allowed, not_found, Reply};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// The customer and the active subscription a current or projected usage query names: 404
/// `customer_not_found`, else 405 `no_active_subscription` when the subscription is missing,
/// unknown or terminated.
fn active_subscription<'a>(
    store: &'a Store,
    id: &str,
    query: &Query,
) -> Result<(&'a Customer, &'a Subscription), Reply> {
    let customer = store
        .find(id)
        .ok_or_else(|| not_found("customer_not_found"))?;
    let sub_id = query.get("external_subscription_id").unwrap_or_default();
    customer
        .subscriptions
        .iter()
        .find(|s| s.external_id == sub_id && s.active)
        .map(|sub| (customer, sub))
        .ok_or_else(|| not_allowed("no_active_subscription"))
}

/// The one metric code the charge filters narrow to; 404 `charge_not_found` when a filter
/// matches none of the subscription's charges.
fn charge_filter(sub: &Subscription, query: &Query) -> Result<Option<String>, Reply> {
    let mut only = None;
    let given = |name: &str| query.get(name).filter(|c| !c.is_empty());
    for name in [
        "billable_metric_code",
        "charge_code",
        "filter_by_charge_code",
    ] {
        if let Some(code) = given(name) {
            if !sub.current_has_code(code) {
                return Err(not_found("charge_not_found"));
            }
            only = Some(code.to_string());
        }
    }
    for name in ["charge_id", "filter_by_charge_id"] {
        if let Some(charge) = given(name) {
            let code = sub
                .current_code_of_charge(charge)
                .ok_or_else(|| not_found("charge_not_found"))?;
            only = Some(code);
        }
    }
    Ok(only)
}

pub fn current_usage(store: &Store, id: &str, query: &Query, now: i64) -> Reply {
    let (customer, sub) = match active_subscription(store, id, query) {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let only = match charge_filter(sub, query) {
        Ok(only) => only,
        Err(reply) => return reply,
    };
    let apply_taxes = query.get("apply_taxes") != Some("false");
    let billing = customer.billing();
    let usage = usage_object(sub, &billing, now, 0, only.as_deref(), apply_taxes);
    (StatusCode::OK, json!({"customer_usage": usage}))
}

/// `GET /customers/{id}/projected_usage`: the same errors as current usage.
pub fn projected_usage(store: &Store, id: &str, query: &Query, now: i64) -> Reply {
    let (customer, sub) = match active_subscription(store, id, query) {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let apply_taxes = query.get("apply_taxes") != Some("false");
    let usage = projected_usage_object(sub, &customer.billing(), now, apply_taxes);
    (StatusCode::OK, json!({"customer_projected_usage": usage}))
}

/// Past usage: the last 12 months, newest first. `periods_count` keeps the newest N
/// (ignored unless a positive integer); then the usual paging applies. Like Lago, an unknown
/// customer or subscription is an empty page, not a 404.
pub fn past_usage(store: &Store, id: &str, query: &Query, now: i64) -> Reply {
    const MONTHS: u64 = 12;
    let Some(sub_id) = query
        .get("external_subscription_id")
        .filter(|s| !s.is_empty())
    else {
        return invalid("external_subscription_id", "value_is_mandatory");
    };
    // Terminated subscriptions keep their history, so any of the customer's counts here.
    let found = store.find(id).and_then(|customer| {
        let sub = customer
            .subscriptions
            .iter()
            .find(|s| s.external_id == sub_id)?;
        Some((customer, sub))
    });
    let only = query.get("billable_metric_code").filter(|c| !c.is_empty());
    let known = |code: &str| {
        metric_index(code).is_some() || found.is_some_and(|(_, sub)| sub.knows_metric(code))
    };
    if only.is_some_and(|code| !known(code)) {
        return not_found("billable_metric_not_found");
    }
    let Some((customer, sub)) = found else {
        // REALITY.md section 5: "meta all zeros" here (past_usage_query.rb), where an empty
        // Kaminari page elsewhere says page 1.
        let meta = json!({"current_page": 0, "next_page": null, "prev_page": null, "total_pages": 0, "total_count": 0});
        return (StatusCode::OK, json!({"usage_periods": [], "meta": meta}));
    };
    let count = query
        .get("periods_count")
        .and_then(|p| p.parse::<u64>().ok())
        .filter(|&n| n > 0)
        .map_or(MONTHS, |n| n.min(MONTHS));
    let billing = customer.billing();
    let periods: Vec<u64> = (1..=count).collect();
    let (page, meta) = paginate(&periods, query);
    let usage: Vec<Value> = page
        .iter()
        .map(|&back| {
            let mut period = usage_object(sub, &billing, now, back, only, true);
            // A month before the customer existed (or after the end) has no invoice to name.
            if !invoiced(customer, sub, now, back) {
                period["lago_invoice_id"] = Value::Null;
            }
            period
        })
        .collect();
    (
        StatusCode::OK,
        json!({"usage_periods": usage, "meta": meta}),
    )
}
