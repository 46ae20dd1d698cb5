//! Money on top of the generic store: wallet transactions move a customer's wallet (kept by
//! `wallets.rs`) and paid credits make an invoice; applied coupons join the customer's.

use crate::flow::{amount, customer_json, spec_op, text};
use crate::generic::fresh_item;
use crate::store::Store;
use crate::util::{not_found, rfc3339, unprocessable, Reply};
use crate::wallets::decimal;
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// The customer and code of the wallet with this `lago_id`.
pub(crate) fn wallet_owner(store: &Store, lago_id: &str) -> Option<(String, String)> {
    store.customers.iter().find_map(|c| {
        let wallet = c
            .wallets
            .iter()
            .find(|w| w.json.get("lago_id").and_then(Value::as_str) == Some(lago_id))?;
        Some((c.external_id().to_string(), wallet.code().to_string()))
    })
}

/// Fills an invoice of `cents` for `customer`, finalized and awaiting payment.
pub(crate) fn invoice_fields(
    store: &mut Store,
    item: &mut Value,
    customer: &Value,
    currency: &str,
    cents: i64,
) {
    let currency = if currency.is_empty() {
        customer["currency"].as_str().unwrap_or("USD").to_string()
    } else {
        currency.to_string()
    };
    let sequence = store.generic.all_in("invoices").len() + 1;
    for (key, value) in [
        ("status", json!("finalized")),
        ("payment_status", json!("pending")),
        ("currency", json!(currency)),
        ("number", json!(format!("FAKE-INV-{sequence:05}"))),
        ("fees_amount_cents", json!(cents)),
        ("coupons_amount_cents", json!(0)),
        ("credit_notes_amount_cents", json!(0)),
        ("sub_total_excluding_taxes_amount_cents", json!(cents)),
        ("taxes_amount_cents", json!(0)),
        ("sub_total_including_taxes_amount_cents", json!(cents)),
        ("prepaid_credit_amount_cents", json!(0)),
        ("total_amount_cents", json!(cents)),
        ("version_number", json!(4)),
        ("customer", customer.clone()),
    ] {
        item[key] = value;
    }
    if let Some(code) = customer["billing_entity_code"].as_str() {
        item["billing_entity_code"] = json!(code);
    }
}

/// POST /applied_coupons: the coupon and the customer must exist; the applied coupon joins the
/// customer's (and so its invoices' credits and its list).
pub(crate) fn apply_coupon(store: &mut Store, input: &Map<String, Value>, now: i64) -> Reply {
    let Some(op) = spec_op("applyCoupon") else {
        return not_found("coupon_not_found");
    };
    let code = text(input, "coupon_code");
    let Some(coupon) = store
        .generic
        .collection("/coupons")
        .iter()
        .find(|c| c["code"].as_str() == Some(code))
        .cloned()
    else {
        return not_found("coupon_not_found");
    };
    let Some(customer) = store.find(text(input, "external_customer_id")) else {
        return not_found("customer_not_found");
    };
    let customer = customer.json.clone();
    let mut applied = fresh_item(store, op, now);
    crate::generic::copy_fields(&mut applied, input, op.fields);
    let pick = |key: &str| {
        input
            .get(key)
            .cloned()
            .unwrap_or_else(|| coupon[key].clone())
    };
    for (key, value) in [
        ("lago_coupon_id", coupon["lago_id"].clone()),
        ("coupon_code", coupon["code"].clone()),
        ("coupon_name", coupon["name"].clone()),
        ("coupon_status", json!("active")),
        ("coupon_deleted_at", Value::Null),
        ("lago_customer_id", customer["lago_id"].clone()),
        ("external_customer_id", customer["external_id"].clone()),
        ("status", json!("active")),
        ("amount_cents", pick("amount_cents")),
        ("amount_cents_remaining", pick("amount_cents")),
        ("amount_currency", pick("amount_currency")),
        ("percentage_rate", pick("percentage_rate")),
        ("frequency", pick("frequency")),
        ("frequency_duration", pick("frequency_duration")),
        ("frequency_duration_remaining", pick("frequency_duration")),
        ("expiration_at", Value::Null),
        ("terminated_at", Value::Null),
    ] {
        applied[key] = value;
    }
    let external_id = text(input, "external_customer_id").to_string();
    if let Some(customer) = store.find_mut(&external_id) {
        customer.coupons.push(applied.clone());
    }
    (StatusCode::OK, json!({"applied_coupon": applied}))
}

/// POST /wallet_transactions: granted credits are settled at once; paid credits make an
/// invoice and settle at once too, unless the wallet waits for its payment
/// (`invoice_requires_successful_payment`); voided credits leave. Answers every transaction.
pub(crate) fn wallet_transaction(store: &mut Store, input: &Map<String, Value>, now: i64) -> Reply {
    let Some(op) = spec_op("createWalletTransaction") else {
        return not_found("wallet_not_found");
    };
    let Some((customer_id, code)) = wallet_owner(store, text(input, "wallet_id")) else {
        return not_found("wallet_not_found");
    };
    let wallet = match store
        .find(&customer_id)
        .and_then(|c| c.wallets.iter().find(|w| w.code() == code))
    {
        Some(w) => w.json.clone(),
        None => return not_found("wallet_not_found"),
    };
    let rate = amount(wallet.get("rate_amount")).unwrap_or(1.0);
    let waits = input
        .get("invoice_requires_successful_payment")
        .and_then(Value::as_bool)
        .unwrap_or_else(|| wallet["invoice_requires_successful_payment"] == true);
    let parts: Vec<(&str, f64)> = ["paid_credits", "granted_credits", "voided_credits"]
        .into_iter()
        .filter_map(|k| Some((k, amount(input.get(k))?)).filter(|(_, v)| *v > 0.0))
        .collect();
    if parts.is_empty() {
        return unprocessable(json!({"credits": ["value_is_mandatory"]}));
    }
    let balance = amount(wallet.get("credits_balance")).unwrap_or(0.0);
    let voided = parts
        .iter()
        .find(|p| p.0 == "voided_credits")
        .map_or(0.0, |p| p.1);
    if voided > balance {
        return unprocessable(json!({"voided_credits": ["insufficient_credits"]}));
    }
    let mut made = Vec::new();
    let mut settled_credits = 0.0;
    for (kind, credits) in parts {
        let mut tx = fresh_item(store, op, now);
        crate::generic::copy_fields(&mut tx, input, op.fields);
        let pending = kind == "paid_credits" && waits;
        let mut invoice_id = Value::Null;
        if kind == "paid_credits" {
            if let Some(invoice_op) = spec_op("createInvoice") {
                let mut invoice = fresh_item(store, invoice_op, now);
                let customer = customer_json(store, &customer_id).unwrap_or_default();
                let currency = wallet["currency"].as_str().unwrap_or("USD");
                let cents = (credits * rate * 100.0).round() as i64;
                invoice_fields(store, &mut invoice, &customer, currency, cents);
                invoice["invoice_type"] = json!("credit");
                invoice_id = invoice["lago_id"].clone();
                store.generic.collection_mut("/invoices").push(invoice);
            }
        }
        settled_credits += match (kind, pending) {
            ("voided_credits", _) => -credits,
            (_, true) => 0.0,
            _ => credits,
        };
        for (key, value) in [
            ("lago_wallet_id", wallet["lago_id"].clone()),
            ("lago_invoice_id", invoice_id),
            ("lago_credit_note_id", Value::Null),
            ("lago_voided_invoice_id", Value::Null),
            ("status", json!(if pending { "pending" } else { "settled" })),
            ("source", json!("manual")),
            (
                "transaction_status",
                json!(match kind {
                    "paid_credits" => "purchased",
                    "granted_credits" => "granted",
                    _ => "voided",
                }),
            ),
            (
                "transaction_type",
                json!(if kind == "voided_credits" {
                    "outbound"
                } else {
                    "inbound"
                }),
            ),
            ("credit_amount", json!(decimal(credits))),
            ("amount", json!(decimal(credits * rate))),
            ("remaining_amount_cents", Value::Null),
            ("remaining_credit_amount", Value::Null),
            (
                "settled_at",
                if pending {
                    Value::Null
                } else {
                    json!(rfc3339(now))
                },
            ),
            ("failed_at", Value::Null),
        ] {
            tx[key] = value;
        }
        made.push(tx);
    }
    if let Some(w) = store
        .find_mut(&customer_id)
        .and_then(|c| c.wallets.iter_mut().find(|w| w.code() == code))
    {
        let credits = balance + settled_credits;
        let cents = (credits * rate * 100.0).round() as i64;
        for (key, value) in [
            ("credits_balance", json!(decimal(credits))),
            ("balance", json!(decimal(credits * rate))),
            ("balance_cents", json!(cents)),
            ("credits_ongoing_balance", json!(decimal(credits))),
            ("ongoing_balance_cents", json!(cents)),
        ] {
            w.json.insert(key.into(), value);
        }
    }
    store
        .generic
        .collection_mut("/wallet_transactions")
        .extend(made.iter().cloned());
    (StatusCode::OK, json!({"wallet_transactions": made}))
}
