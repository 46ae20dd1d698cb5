//! Current and past usage of a customer's subscription.

use crate::query::{paginate, Query};
use crate::store::{self, Store};
use crate::usage::{usage_object, Billing};
use crate::util::{invalid, not_allowed, not_found, Reply};
use axum::http::StatusCode;
use serde_json::{json, Value};

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

pub fn current_usage(store: &Store, id: &str, query: &Query, now: i64) -> Reply {
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
pub fn past_usage(store: &Store, id: &str, query: &Query, now: i64) -> Reply {
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
