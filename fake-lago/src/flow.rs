//! Lago's billing flow on top of the generic store (`generic.rs`): what the generic create,
//! list and find cannot know. A plan's charges name billable metrics; a subscription joins a
//! customer to a plan and its charges start counting events (`usage.rs`); applied coupons,
//! wallets and the billing history live in the hand-made store, so the top-level routes for
//! them read and write there; wallet transactions move a wallet's balance and paid credits
//! make an invoice; credit notes and payments need a real invoice.

use crate::billing::{ledger, subscription_json};
use crate::generic::{fresh_item, Matched};
use crate::query::Query;
use crate::spec_routes::{SpecOp, SPEC_OPS};
use crate::store::Store;
use crate::usage::{known_name, metric_index, CustomCharge, Subscription};
use crate::util::{not_allowed, not_found, rfc3339, unprocessable, Reply};
use crate::wallets::{self, decimal, WalletOp};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

fn spec_op(id: &str) -> Option<&'static SpecOp> {
    SPEC_OPS.iter().find(|o| o.id == id)
}

fn text<'a>(input: &'a Map<String, Value>, key: &str) -> &'a str {
    input.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A decimal sent as a number or a string (`"10.5"`), when it is one.
fn amount(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|v: &f64| v.is_finite() && *v >= 0.0)
}

/// Every invoice, credit note, payment or payment request the billing history holds, with
/// the external id of its customer, plus those the generic routes created.
fn history(store: &Store, tail: &str, now: i64) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for customer in &store.customers {
        let ledger = ledger(customer, now);
        let items: Vec<Value> = match tail {
            "invoices" => ledger.invoices.into_iter().map(|i| i.json).collect(),
            "credit_notes" => ledger.credit_notes,
            "payments" => ledger.payments,
            "payment_requests" => ledger.payment_requests,
            _ => ledger.applied_coupons,
        };
        let id = customer.external_id().to_string();
        out.extend(items.into_iter().rev().map(|item| (id.clone(), item)));
    }
    for item in store.generic.all_in(tail) {
        let owner = item["customer"]["external_id"]
            .as_str()
            .or(item["external_customer_id"].as_str())
            .unwrap_or_default();
        out.push((owner.to_string(), item.clone()));
    }
    out
}

/// What the generic routes created for one customer under `tail` (`invoices`, ...), newest
/// first, for the hand-made lists under `/customers/{id}/`.
pub fn created_for(store: &Store, tail: &str, customer: &str) -> Vec<Value> {
    let mut items: Vec<Value> = store
        .generic
        .all_in(tail)
        .into_iter()
        .filter(|i| {
            i["customer"]["external_id"]
                .as_str()
                .or(i["external_customer_id"].as_str())
                == Some(customer)
        })
        .cloned()
        .collect();
    items.reverse();
    items
}

/// The item at a concrete item path: from the generic store, else from the hand-made one.
pub fn find_item(store: &Store, at: &str, owner: &SpecOp, m: &Matched, now: i64) -> Option<Value> {
    if let Some(item) = store.generic.item(at) {
        return Some(item.clone());
    }
    let id = at.rsplit('/').next().unwrap_or_default();
    let id = id.replace("%2F", "/").replace("%25", "%");
    match owner.path {
        "/subscriptions/{external_id}" => store.customers.iter().find_map(|c| {
            let sub = c.subscriptions.iter().find(|s| s.external_id == id)?;
            Some(subscription_json(c, sub, now))
        }),
        "/wallets/{lago_id}" => wallet_owner(store, &id).and_then(|(c, code)| {
            let customer = store.find(&c)?;
            let wallet = customer.wallets.iter().find(|w| w.code() == code)?;
            Some(Value::Object(wallet.json.clone()))
        }),
        "/invoices/{lago_id}"
        | "/credit_notes/{lago_id}"
        | "/payments/{lago_id}"
        | "/payment_requests/{lago_id}" => {
            let tail = owner.path.split('/').nth(1).unwrap_or_default();
            history(store, tail, now)
                .into_iter()
                .map(|(_, item)| item)
                .find(|item| item["lago_id"].as_str() == Some(&id))
        }
        "/subscriptions/{external_id}/charges/{charge_code}"
        | "/subscriptions/{external_id}/fixed_charges/{fixed_charge_code}" => {
            // Until overridden, a subscription's charges are its plan's.
            let kind = owner.path.split('/').nth(3).unwrap_or_default();
            let plan = plan_of(store, m.param("external_id"));
            let key = format!("/plans/{}/{kind}/{}", escape(&plan), escape(&id));
            store.generic.item(&key).cloned()
        }
        _ => None,
    }
}

/// The plan code of a subscription created through the API ("" when unknown).
fn plan_of(store: &Store, external_id: &str) -> String {
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
fn entitlements(store: &mut Store, m: &Matched, input: &Map<String, Value>, now: i64) -> Reply {
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

/// The customer and code of the wallet with this `lago_id`.
fn wallet_owner(store: &Store, lago_id: &str) -> Option<(String, String)> {
    store.customers.iter().find_map(|c| {
        let wallet = c
            .wallets
            .iter()
            .find(|w| w.json.get("lago_id").and_then(Value::as_str) == Some(lago_id))?;
        Some((c.external_id().to_string(), wallet.code().to_string()))
    })
}

/// Operations served here entirely, before the generic code runs.
pub fn before(
    store: &mut Store,
    m: &Matched,
    input: &Map<String, Value>,
    query: &Query,
    body: &[u8],
    now: i64,
) -> Option<Reply> {
    let wallet_op = |code: String| -> Option<WalletOp> {
        Some(match m.op.id {
            "findWallet" => WalletOp::Get(code),
            "updateWallet" => WalletOp::Update(code),
            "destroyWallet" => WalletOp::Delete(code),
            "replaceWalletMetadata" => WalletOp::ReplaceMetadata(code),
            "mergeWalletMetadata" => WalletOp::MergeMetadata(code),
            "deleteAllWalletMetadata" => WalletOp::DeleteMetadata(code),
            "deleteWalletMetadataKey" => WalletOp::DeleteMetadataKey(code, m.param("key").into()),
            _ => return None,
        })
    };
    match m.op.id {
        "createWallet" => {
            let customer = text(input, "external_customer_id").to_string();
            Some(wallets::execute(
                store,
                &customer,
                &WalletOp::Create,
                query,
                body,
                now,
            ))
        }
        "createSubscription" => {
            // Lago answers the current subscription again for the same id and plan.
            let id = text(input, "external_id");
            let existing = store.generic.collection("/subscriptions").iter().find(|s| {
                s["external_id"].as_str() == Some(id)
                    && s["plan_code"].as_str() == Some(text(input, "plan_code"))
            });
            existing.map(|s| (StatusCode::OK, json!({"subscription": s})))
        }
        "createWalletTransaction" => Some(wallet_transaction(store, input, now)),
        "createEntitlement" | "updateEntitlement" | "updateSubscriptionEntitlements" => {
            Some(entitlements(store, m, input, now))
        }
        "destroySubscription" => {
            // The usage side stops counting; the generic delete then answers it.
            let id = m.param("external_id");
            for c in &mut store.customers {
                for sub in c.subscriptions.iter_mut().filter(|s| s.external_id == id) {
                    sub.active = false;
                }
            }
            None
        }
        "applyCoupon" => Some(apply_coupon(store, input, now)),
        // The wallets at `/wallets/{lago_id}` are the customers' (`wallets.rs`).
        _ if wallet_op(String::new()).is_some() => {
            let lago_id = m.param("lago_id");
            let Some((customer, code)) = wallet_owner(store, lago_id) else {
                return Some(not_found("wallet_not_found"));
            };
            let op = wallet_op(code)?;
            Some(wallets::execute(store, &customer, &op, query, body, now))
        }
        _ => None,
    }
}

/// What a create adds to the item the generic code built; an error refuses it.
pub fn after_create(
    store: &mut Store,
    m: &Matched,
    item: &mut Value,
    input: &Map<String, Value>,
    now: i64,
) -> Result<(), Reply> {
    match m.op.id {
        "createPlan" => {
            let code = text(input, "code").to_string();
            let charges = input.get("charges").and_then(Value::as_array);
            let mut made = Vec::new();
            for charge in charges.into_iter().flatten() {
                let charge = charge.as_object().cloned().unwrap_or_default();
                made.push(charge_item(store, &charge, now)?);
            }
            item["charges"] = json!(made);
            *store
                .generic
                .collection_mut(&format!("/plans/{}/charges", escape(&code))) = made;
        }
        "createPlanCharge" => {
            *item = charge_item(store, input, now)?;
        }
        "createSubscription" => subscribe(store, item, input, now)?,
        "createInvoice" => {
            let customer = customer_json(store, text(input, "external_customer_id"))?;
            let fees = input.get("fees").and_then(Value::as_array);
            let cents: f64 = fees
                .into_iter()
                .flatten()
                .map(|f| {
                    amount(f.get("units")).unwrap_or(1.0)
                        * amount(f.get("unit_amount_cents")).unwrap_or(0.0)
                })
                .sum();
            let currency = text(input, "currency");
            invoice_fields(store, item, &customer, currency, cents.round() as i64);
            item["invoice_type"] = json!("one_off");
        }
        "createCreditNote" | "createPayment" => {
            let id = text(input, "invoice_id");
            let Some((owner, invoice)) = history(store, "invoices", now)
                .into_iter()
                .find(|(_, i)| i["lago_id"].as_str() == Some(id))
            else {
                return Err(not_found("invoice_not_found"));
            };
            let customer = customer_json(store, &owner)?;
            if m.op.id == "createPayment" {
                item["external_customer_id"] = json!(owner);
                item["lago_customer_id"] = customer["lago_id"].clone();
                item["lago_payable_id"] = invoice["lago_id"].clone();
                item["invoice_ids"] = json!([invoice["lago_id"]]);
                item["amount_currency"] = invoice["currency"].clone();
                return Ok(());
            }
            let items = input.get("items").and_then(Value::as_array);
            let credited: i64 = items
                .into_iter()
                .flatten()
                .filter_map(|i| amount(i.get("amount_cents")))
                .map(|a| a.round() as i64)
                .sum();
            let refund = amount(input.get("refund_amount_cents")).unwrap_or(0.0) as i64;
            let credit = amount(input.get("credit_amount_cents")).map_or(credited, |c| c as i64);
            for (key, value) in [
                ("lago_invoice_id", invoice["lago_id"].clone()),
                ("invoice_number", invoice["number"].clone()),
                ("currency", invoice["currency"].clone()),
                ("credit_status", json!("available")),
                ("credit_amount_cents", json!(credit)),
                ("balance_amount_cents", json!(credit)),
                ("refund_amount_cents", json!(refund)),
                ("total_amount_cents", json!(credit + refund)),
                (
                    "sub_total_excluding_taxes_amount_cents",
                    json!(credit + refund),
                ),
                ("taxes_amount_cents", json!(0)),
                ("coupons_adjustment_amount_cents", json!(0)),
                ("issuing_date", json!(rfc3339(now).get(..10))),
            ] {
                item[key] = value;
            }
            item["customer"] = customer;
        }
        "createPaymentRequest" => {
            let customer = customer_json(store, text(input, "external_customer_id"))?;
            item["customer"] = customer;
        }
        _ => {}
    }
    Ok(())
}

/// `/plans/{code}` keys hold the code escaped as `generic::Matched::concrete` does.
fn escape(id: &str) -> String {
    id.replace('%', "%25").replace('/', "%2F")
}

fn customer_json(store: &Store, external_id: &str) -> Result<Value, Reply> {
    store
        .find(external_id)
        .map(|c| Value::Object(c.json.clone()))
        .ok_or_else(|| not_found("customer_not_found"))
}

/// Fills an invoice of `cents` for `customer`, finalized and awaiting payment.
fn invoice_fields(
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

/// A charge of a plan: the createPlanCharge answer for `input`; its metric must exist.
fn charge_item(store: &mut Store, input: &Map<String, Value>, now: i64) -> Result<Value, Reply> {
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
fn subscribe(
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

/// POST /applied_coupons: the coupon and the customer must exist; the applied coupon joins the
/// customer's (and so its invoices' credits and its list).
fn apply_coupon(store: &mut Store, input: &Map<String, Value>, now: i64) -> Reply {
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
fn wallet_transaction(store: &mut Store, input: &Map<String, Value>, now: i64) -> Reply {
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

/// The items a list shows: those its own collection holds, or, for the lists of things the
/// hand-made store keeps, those (filtered by customer when the query names one).
pub fn list_items(store: &Store, m: &Matched, at: &str, query: &Query, now: i64) -> Vec<Value> {
    let customer = query.get("external_customer_id").filter(|c| !c.is_empty());
    let of_customer = |items: Vec<(String, Value)>| -> Vec<Value> {
        items
            .into_iter()
            .filter(|(owner, _)| customer.is_none_or(|c| c == owner))
            .map(|(_, item)| item)
            .collect()
    };
    match m.op.id {
        "findAllInvoices" => of_customer(history(store, "invoices", now)),
        "findAllCreditNotes" => of_customer(history(store, "credit_notes", now)),
        "findAllPayments" => of_customer(history(store, "payments", now)),
        "findAllPaymentRequests" => of_customer(history(store, "payment_requests", now)),
        "findAllAppliedCoupons" => of_customer(history(store, "applied_coupons", now)),
        "findAllSubscriptions" => {
            // Without `status[]`, Lago lists only active subscriptions (as lists.rs does).
            let statuses = query.all("status");
            let mut items = Vec::new();
            for c in &store.customers {
                for sub in &c.subscriptions {
                    let generic = store
                        .generic
                        .collection("/subscriptions")
                        .iter()
                        .find(|s| s["external_id"].as_str() == Some(sub.external_id.as_str()));
                    let mut item = generic
                        .cloned()
                        .unwrap_or_else(|| subscription_json(c, sub, now));
                    if !sub.active {
                        item["status"] = json!("terminated");
                    }
                    let status = item["status"].as_str().unwrap_or_default();
                    let shown = if statuses.is_empty() {
                        status == "active"
                    } else {
                        statuses.contains(&status)
                    };
                    if shown {
                        items.push((c.external_id().to_string(), item));
                    }
                }
            }
            of_customer(items)
        }
        "findAllWallets" => {
            let items = store.customers.iter().flat_map(|c| {
                c.wallets
                    .iter()
                    .map(|w| (c.external_id().to_string(), Value::Object(w.json.clone())))
            });
            of_customer(items.collect())
        }
        "findAllWalletTransactions" => store
            .generic
            .collection("/wallet_transactions")
            .iter()
            .filter(|t| t["lago_wallet_id"].as_str() == Some(m.param("lago_id")))
            .cloned()
            .collect(),
        "findAllSubscriptionCharges" | "findAllSubscriptionFixedCharges" => {
            let sub = m.param("external_id");
            let plan = plan_of(store, sub);
            let tail = at.rsplit('/').next().unwrap_or_default();
            let key = format!("/plans/{}/{tail}", escape(&plan));
            // The subscription's overrides replace the plan's charges of the same code.
            let own = store.generic.collection(at);
            let mut items: Vec<Value> = store
                .generic
                .collection(&key)
                .iter()
                .filter(|c| !own.iter().any(|o| o["code"] == c["code"]))
                .cloned()
                .collect();
            items.extend(own.iter().cloned());
            items
        }
        _ => store.generic.collection(at).to_vec(),
    }
}

/// What an action on an item changes before the item is answered. A state transition done
/// already is Lago's 405 (REALITY.md section 6): voiding twice, losing a dispute twice. (The
/// fake has no failed invoices, so `retryInvoice` retries any; Lago: 405 `invalid_status`.)
pub fn action(store: &mut Store, m: &Matched, at: &str, now: i64) -> Result<(), Reply> {
    if let Some(item) = store.generic.item(at) {
        let refused = match m.op.id {
            "voidInvoice" if item["status"] == "voided" => Some("not_voidable"),
            "voidCreditNote" if item["credit_status"] == "voided" => Some("no_voidable_amount"),
            "loseDisputeInvoice" if item["payment_dispute_lost_at"].is_string() => {
                Some("not_disputable")
            }
            _ => None,
        };
        if let Some(code) = refused {
            return Err(not_allowed(code));
        }
    }
    let change: &[(&str, Value)] = match m.op.id {
        "finalizeInvoice" => &[("status", json!("finalized"))],
        "voidInvoice" => &[("status", json!("voided"))],
        "voidCreditNote" => &[("credit_status", json!("voided"))],
        "loseDisputeInvoice" => &[("payment_dispute_lost_at", json!(rfc3339(now)))],
        "paymentMethodSetAsDefault" => &[("is_default", json!(true))],
        "deleteFeaturePrivilege"
        | "removeEntitlementPrivilege"
        | "destroySubscriptionEntitlementPrivilege" => {
            let code = m.param("privilege_code");
            if let Some(Value::Array(privileges)) = store
                .generic
                .item_mut(at)
                .and_then(|i| i.get_mut("privileges"))
            {
                privileges.retain(|p| p["code"].as_str() != Some(code));
            }
            &[]
        }
        _ => &[],
    };
    if let Some(item) = store.generic.item_mut(at) {
        for (key, value) in change {
            item[*key] = value.clone();
        }
    }
    Ok(())
}

/// Remembers an event `events.rs` stored, as `GET /events` and `/events/{transaction_id}`
/// answer it: with its customer and subscription when the subscription is known.
pub fn remember_event(store: &mut Store, event: &Value, now: i64) {
    let Some(op) = spec_op("findEvent") else {
        return;
    };
    let mut item = fresh_item(store, op, now);
    for key in [
        "lago_id",
        "transaction_id",
        "code",
        "timestamp",
        "properties",
        "external_subscription_id",
        "precise_total_amount_cents",
        "created_at",
    ] {
        item[key] = event[key].clone();
    }
    let sub = event["external_subscription_id"]
        .as_str()
        .unwrap_or_default();
    let owner = store.customers.iter().find_map(|c| {
        let s = c.subscriptions.iter().find(|s| s.external_id == sub)?;
        Some((c.field("lago_id").clone(), s.lago_id()))
    });
    if let Some((customer, subscription)) = owner {
        item["lago_customer_id"] = customer;
        item["lago_subscription_id"] = json!(subscription);
    }
    store.generic.collection_mut("/events").push(item);
}
