//! Estimates Lago computes and stores nowhere (`CreditNotes::EstimateService`,
//! `Invoices::PreviewService` in lago-api): the answers come from the store's invoices and
//! plans, so a caller sees its own numbers, and nothing changes.
//! Not modelled: a credit note item's fee is not checked against the invoice's fees (the
//! fake's invoices list none), and fee estimates for an event (`eventEstimateFees`) keep the
//! spec's example.

use crate::flow::{amount, customer_json, history, spec_op, text};
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
