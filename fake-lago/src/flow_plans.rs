//! Plans, their charges, entitlements and subscriptions on top of the generic store: a charge
//! needs its billable metric, a subscription its customer and plan, and a subscription made
//! here joins the customer's in the hand-made store so its events move its usage (`usage.rs`).

use crate::flow::{amount, customer_json, escape, spec_op, text};
use crate::generic::{fresh_item, Matched};
use crate::store::Store;
use crate::usage::{known_name, metric_index, CustomCharge, Subscription};
use crate::util::{not_found, rfc3339, Reply};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// The plan code of a subscription created through the API ("" when unknown).
pub(crate) fn plan_of(store: &Store, external_id: &str) -> String {
    store
        .generic
        .collection("/subscriptions")
        .iter()
        .find(|s| s["external_id"].as_str() == Some(external_id))
        .and_then(|s| s["plan_code"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// The entitlement writes replace (POST) or merge (PATCH) the features granted, given as
/// `{feature_code: {privilege_code: value}}`; each feature must exist.
pub(crate) fn entitlements(
    store: &mut Store,
    m: &Matched,
    input: &Map<String, Value>,
    now: i64,
) -> Reply {
    // A subscription's entitlements carry their overrides; a plan's do not.
    let shape = if m.op.path.starts_with("/subscriptions") {
        "destroySubscriptionEntitlement"
    } else {
        "findEntitlement"
    };
    let Some(op) = spec_op(shape) else {
        return not_found("entitlement_not_found");
    };
    let key = m.concrete(m.op.path);
    let mut items = if m.op.method == "POST" {
        Vec::new()
    } else {
        store.generic.collection(&key).to_vec()
    };
    // The privileges' values are not kept: the spec's privilege objects need their
    // definitions (value types, names) from the feature, which a bare value does not give.
    for code in input.keys() {
        let Some(feature) = store
            .generic
            .collection("/features")
            .iter()
            .find(|f| f["code"].as_str() == Some(code.as_str()))
            .cloned()
        else {
            return not_found("feature_not_found");
        };
        let mut item = fresh_item(store, op, now);
        item["code"] = json!(code);
        item["name"] = feature["name"].clone();
        item["description"] = feature["description"].clone();
        items.retain(|i| i["code"].as_str() != Some(code.as_str()));
        items.push(item);
    }
    *store.generic.collection_mut(&key) = items.clone();
    (StatusCode::OK, json!({ "entitlements": items }))
}

/// A charge of a plan: the createPlanCharge answer for `input`; its metric must exist.
pub(crate) fn charge_item(
    store: &mut Store,
    input: &Map<String, Value>,
    now: i64,
) -> Result<Value, Reply> {
    let op = spec_op("createPlanCharge").ok_or_else(|| not_found("charge_not_found"))?;
    let metric_id = text(input, "billable_metric_id");
    let metric_code = text(input, "billable_metric_code");
    let metric = store
        .generic
        .collection("/billable_metrics")
        .iter()
        .find(|b| {
            b["lago_id"].as_str() == Some(metric_id) || b["code"].as_str() == Some(metric_code)
        })
        .cloned()
        .ok_or_else(|| not_found("billable_metric_not_found"))?;
    let mut charge = fresh_item(store, op, now);
    // Lago's defaults for what the body leaves out (Charges::CreateService), not the spec's
    // example values: a charge is paid in arrears, with no minimum.
    for (key, value) in [
        ("pay_in_advance", json!(false)),
        ("invoiceable", json!(true)),
        ("prorated", json!(false)),
        ("min_amount_cents", json!(0)),
        ("regroup_paid_fees", Value::Null),
    ] {
        charge[key] = value;
    }
    crate::generic::copy_fields(&mut charge, input, op.fields);
    charge["lago_billable_metric_id"] = metric["lago_id"].clone();
    charge["billable_metric_code"] = metric["code"].clone();
    if charge.get("code").is_none_or(Value::is_null) {
        charge["code"] = metric["code"].clone();
    }
    if let Some(properties) = input.get("properties").filter(|p| p.is_object()) {
        charge["properties"] = properties.clone();
    }
    Ok(charge)
}

/// createSubscription: the customer and the plan must exist; the subscription then counts the
/// events of the plan's metrics that the usage catalog knows (`usage::METRICS`).
pub(crate) fn subscribe(
    store: &mut Store,
    item: &mut Value,
    input: &Map<String, Value>,
    now: i64,
) -> Result<(), Reply> {
    let customer_id = text(input, "external_customer_id").to_string();
    let plan_code = text(input, "plan_code").to_string();
    let customer = customer_json(store, &customer_id)?;
    let plan = store
        .generic
        .collection("/plans")
        .iter()
        .find(|p| p["code"].as_str() == Some(&plan_code))
        .cloned()
        .ok_or_else(|| not_found("plan_not_found"))?;
    let external_id = match text(input, "external_id") {
        "" => item["lago_id"].as_str().unwrap_or_default().to_string(),
        id => id.to_string(),
    };
    let start = rfc3339(now);
    for (key, value) in [
        ("external_id", json!(external_id)),
        ("lago_customer_id", customer["lago_id"].clone()),
        ("external_customer_id", json!(customer_id)),
        ("plan_code", json!(plan_code)),
        ("name", plan["name"].clone()),
        ("plan_amount_cents", plan["amount_cents"].clone()),
        ("plan_amount_currency", plan["amount_currency"].clone()),
        ("status", json!("active")),
        ("started_at", json!(start)),
        ("subscription_at", json!(start)),
        ("current_billing_period_started_at", json!(start)),
    ] {
        item[key] = value;
    }
    for key in [
        "canceled_at",
        "ending_at",
        "terminated_at",
        "trial_ended_at",
        "previous_plan_code",
        "next_plan_code",
    ] {
        item[key] = Value::Null;
    }
    let charges = store
        .generic
        .collection(&format!("/plans/{}/charges", escape(&plan_code)));
    let mut metrics: Vec<usize> = charges
        .iter()
        .filter_map(|c| metric_index(c["billable_metric_code"].as_str()?))
        .collect();
    metrics.dedup();
    // Metrics the catalog does not know are priced at their charge's `properties.amount`.
    let custom: Vec<CustomCharge> = charges
        .iter()
        .filter_map(|c| {
            let code = c["billable_metric_code"].as_str()?;
            if metric_index(code).is_some() {
                return None;
            }
            let metric = store
                .generic
                .collection("/billable_metrics")
                .iter()
                .find(|b| b["code"].as_str() == Some(code));
            let aggregation = metric.and_then(|b| b["aggregation_type"].as_str());
            Some(CustomCharge {
                code: code.to_string(),
                name: metric
                    .and_then(|b| b["name"].as_str())
                    .unwrap_or(code)
                    .to_string(),
                aggregation: aggregation.and_then(known_name).unwrap_or("sum_agg"),
                charge_model: c["charge_model"]
                    .as_str()
                    .and_then(known_name)
                    .unwrap_or("standard"),
                unit_cents: amount(c["properties"].get("amount")).unwrap_or(0.0) * 100.0,
                units: 0,
                events: 0,
            })
        })
        .collect();
    if let Some(customer) = store.find_mut(&customer_id) {
        customer
            .subscriptions
            .retain(|s| s.external_id != external_id);
        customer.subscriptions.push(Subscription {
            external_id,
            active: true,
            metrics,
            generated: None,
            from_events: Vec::new(),
            from_api: true,
            custom,
        });
    }
    Ok(())
}
