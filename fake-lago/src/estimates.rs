//! Estimates Lago computes and stores nowhere (`CreditNotes::EstimateService`,
//! `Invoices::PreviewService` in lago-api): the answers come from the store's invoices and
//! plans, so a caller sees its own numbers, and nothing changes.
//! Not modelled: a credit note item's fee is not checked against the invoice's fees (the
//! fake's invoices list none); taxes are 0; charge models other than standard and percentage
//! are priced at their `amount` a unit.

use crate::flow::{amount, customer_json, escape, history, spec_op, text};
use crate::flow_money::invoice_fields;
use crate::generic::{body_root, fresh_item};
use crate::store::Store;
use crate::util::{invalid, not_found, Reply};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// POST /credit_notes/estimate: the invoice must exist; the items' amounts add up.
pub(crate) fn credit_note(store: &mut Store, input: &Map<String, Value>, now: i64) -> Reply {
    let id = text(input, "invoice_id");
    let Some((_, invoice)) = history(store, "invoices", now)
        .into_iter()
        .find(|(_, i)| i["lago_id"].as_str() == Some(id))
    else {
        return not_found("invoice_not_found");
    };
    let Some(items) = input.get("items").and_then(Value::as_array) else {
        return invalid("items", "must_be_an_array");
    };
    let items: Vec<Value> = items
        .iter()
        .map(|i| {
            let cents = amount(i.get("amount_cents")).unwrap_or(0.0).round() as i64;
            json!({ "lago_fee_id": i["fee_id"], "amount_cents": cents })
        })
        .collect();
    let total: i64 = items
        .iter()
        .filter_map(|i| i["amount_cents"].as_i64())
        .sum();
    // Only what was paid can go back as money; the rest is credit (CreditNotes::ValidateService).
    let refundable = if invoice["payment_status"] == "succeeded" {
        total
    } else {
        0
    };
    let mut answer =
        spec_op("estimateCreditNote").map_or(json!({}), |op| fresh_item(store, op, now));
    for (key, value) in [
        ("lago_invoice_id", invoice["lago_id"].clone()),
        ("invoice_number", invoice["number"].clone()),
        ("currency", invoice["currency"].clone()),
        ("taxes_amount_cents", json!(0)),
        ("precise_taxes_amount_cents", json!(0.0)),
        ("taxes_rate", json!(0)),
        ("sub_total_excluding_taxes_amount_cents", json!(total)),
        ("max_creditable_amount_cents", json!(total)),
        ("max_refundable_amount_cents", json!(refundable)),
        ("max_offsettable_amount_cents", json!(total - refundable)),
        ("coupons_adjustment_amount_cents", json!(0)),
        ("precise_coupons_adjustment_amount_cents", json!(0.0)),
        ("items", json!(items)),
        ("applied_taxes", json!([])),
    ] {
        answer[key] = value;
    }
    (StatusCode::OK, json!({ "estimated_credit_note": answer }))
}

/// POST /invoices/preview with a `plan_code`: a draft invoice of the plan's amount for the
/// customer (its stored self when it exists); `None` leaves the other forms to the spec's example.
pub(crate) fn invoice_preview(store: &mut Store, body: &[u8], now: i64) -> Option<Reply> {
    let whole = body_root(body, "").ok()?;
    let code = text(&whole, "plan_code");
    if code.is_empty() {
        return None;
    }
    let Some(plan) = store
        .generic
        .collection("/plans")
        .iter()
        .find(|p| p["code"] == code)
    else {
        return Some(not_found("plan_not_found"));
    };
    let plan = plan.clone();
    let given = whole.get("customer").and_then(Value::as_object);
    let external_id = given.map_or("", |c| text(c, "external_id"));
    let op = spec_op("invoicePreview")?;
    let mut invoice = fresh_item(store, op, now);
    let customer = match customer_json(store, external_id) {
        Ok(stored) => stored,
        // Lago previews for a customer it does not know yet, built from the body.
        Err(_) => invoice["customer"].clone(),
    };
    let cents = plan["amount_cents"].as_i64().unwrap_or(0);
    let currency = plan["amount_currency"].as_str().unwrap_or_default();
    invoice_fields(store, &mut invoice, &customer, currency, cents);
    invoice["status"] = json!("draft");
    invoice["invoice_type"] = json!("subscription");
    if customer.is_null() {
        invoice.as_object_mut()?.remove("customer");
    }
    Some((StatusCode::OK, json!({ "invoice": invoice })))
}

/// POST /events/estimate_fees, /events/estimate_instant_fees and /events/batch_estimate_instant_fees
/// (`Fees::EstimatePayInAdvanceService`, `Fees::EstimateInstant::*`): a fee for each
/// pay-in-advance charge of the subscription's plan on the event's metric (standard or
/// percentage ones only for the instant estimates), priced as the plan's charge says; 404
/// `subscription_not_found`, 422 `does_not_match_an_instant_charge` when no charge matches.
pub(crate) fn event_fees(store: &mut Store, op_id: &str, body: &[u8], now: i64) -> Option<Reply> {
    let op = spec_op(op_id)?;
    let whole = body_root(body, "").ok()?;
    // The batch's items are read flat (`batch_params` in events_controller.rb).
    let events: Vec<&Map<String, Value>> = match whole.get("events") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        _ => vec![whole.get("event")?.as_object()?],
    };
    let instant = op_id != "eventEstimateFees";
    let mut fees = Vec::new();
    for event in events {
        let external_id = text(event, "external_subscription_id");
        let Some(sub) = store
            .generic
            .collection("/subscriptions")
            .iter()
            .find(|s| s["external_id"] == external_id)
            .cloned()
        else {
            // A seeded subscription's plan (the usage catalog's) has no charge paid in advance.
            let seeded = store
                .customers
                .iter()
                .any(|c| c.subscriptions.iter().any(|s| s.external_id == external_id));
            return Some(if seeded {
                invalid("code", "does_not_match_an_instant_charge")
            } else {
                not_found("subscription_not_found")
            });
        };
        let plan_code = sub["plan_code"].as_str().unwrap_or_default();
        let currency = store
            .generic
            .collection("/plans")
            .iter()
            .find(|p| p["code"] == plan_code)
            .map_or(json!("USD"), |p| p["amount_currency"].clone());
        let code = text(event, "code");
        let metric = store
            .generic
            .collection("/billable_metrics")
            .iter()
            .find(|m| m["code"] == code)
            .cloned()
            .unwrap_or_default();
        let units = match metric["aggregation_type"].as_str() {
            Some("count_agg") => 1.0,
            _ => metric["field_name"]
                .as_str()
                .and_then(|f| amount(event.get("properties")?.get(f)))
                .unwrap_or(0.0),
        };
        let instant_charges: Vec<Value> = store
            .generic
            .collection(&format!("/plans/{}/charges", escape(plan_code)))
            .iter()
            .filter(|c| c["pay_in_advance"] == true)
            .filter(|c| {
                !instant || matches!(c["charge_model"].as_str(), Some("standard" | "percentage"))
            })
            .cloned()
            .collect();
        let charges: Vec<&Value> = instant_charges
            .iter()
            .filter(|c| c["billable_metric_code"] == code)
            .collect();
        // A batch fails only when the plan has no such charge at all; an event of another
        // metric adds no fee.
        let batch = op_id == "eventBatchEstimateInstantFees";
        if instant_charges.is_empty() || !batch && charges.is_empty() {
            return Some(invalid("code", "does_not_match_an_instant_charge"));
        }
        for charge in charges {
            let properties = &charge["properties"];
            // Standard: a price per unit; percentage: a rate of the amount the event carries.
            let cents = match charge["charge_model"].as_str() {
                Some("percentage") => units * amount(properties.get("rate")).unwrap_or(0.0),
                _ => units * amount(properties.get("amount")).unwrap_or(0.0) * 100.0,
            };
            let mut fee = fresh_item(store, op, now);
            fee["item"] = json!({
                "type": "charge", "code": code, "name": metric["name"].as_str().unwrap_or(code),
                "lago_item_id": metric["lago_id"], "item_type": "BillableMetric",
            });
            let cents = cents.round();
            for (key, value) in [
                ("amount_cents", cents),
                ("precise_amount", cents),
                ("total_amount_cents", cents),
                ("precise_total_amount", cents),
                ("taxes_amount_cents", 0.0),
                ("taxes_precise_amount", 0.0),
                ("taxes_rate", 0.0),
                ("units", units),
                ("total_aggregated_units", units),
                ("events_count", 1.0),
            ] {
                set_number(&mut fee, op.fields, key, value);
            }
            for key in ["amount_currency", "total_amount_currency"] {
                fee[key] = currency.clone();
            }
            fee["external_subscription_id"] = json!(external_id);
            fee["external_customer_id"] = sub["external_customer_id"].clone();
            if let Some(tx) = event.get("transaction_id").filter(|_| instant) {
                fee["event_transaction_id"] = tx.clone();
            }
            fees.push(fee);
        }
    }
    Some((StatusCode::OK, json!({ "fees": fees })))
}

/// Writes `value` under `key` in the type the answer's schema gives it (`fields`: integer,
/// number or decimal string), or not at all when the schema has no such field.
fn set_number(fee: &mut Value, fields: &str, key: &str, value: f64) {
    let Some(kinds) = fields
        .split(' ')
        .find_map(|w| w.strip_prefix(key)?.strip_prefix(':'))
    else {
        return;
    };
    fee[key] = if kinds.contains('i') {
        json!(value as i64)
    } else if kinds.contains('f') {
        json!(value)
    } else {
        json!(value.to_string())
    };
}
