//! Lago's billing flow on top of the generic store (`generic.rs`): what the generic create,
//! list and find cannot know. A plan's charges name billable metrics; a subscription joins a
//! customer to a plan and its charges start counting events (`usage.rs`); applied coupons,
//! wallets and the billing history live in the hand-made store, so the top-level routes for
//! them read and write there; wallet transactions move a wallet's balance and paid credits
//! make an invoice; credit notes, payments and estimates need a real invoice. This file
//! dispatches; `flow_plans.rs` (plans, charges, subscriptions, entitlements), `flow_money.rs`
//! (wallet transactions, coupons, invoices) and `estimates.rs` do the work.

use crate::billing::{ledger, subscription_json};
use crate::estimates;
use crate::flow_money::{apply_coupon, invoice_fields, wallet_owner, wallet_transaction};
use crate::flow_plans::{charge_item, entitlements, plan_of, subscribe};
use crate::generic::{fresh_item, Matched};
use crate::query::Query;
use crate::spec_routes::{SpecOp, SPEC_OPS};
use crate::store::Store;
use crate::util::{not_allowed, not_found, rfc3339, Reply};
use crate::wallets::{self, WalletOp};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// The table row of an operation.
pub(crate) fn spec_op(id: &str) -> Option<&'static SpecOp> {
    SPEC_OPS.iter().find(|o| o.id == id)
}

pub(crate) fn text<'a>(input: &'a Map<String, Value>, key: &str) -> &'a str {
    input.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A decimal sent as a number or a string (`"10.5"`), when it is one.
pub(crate) fn amount(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|v: &f64| v.is_finite() && *v >= 0.0)
}

/// Every invoice, credit note, payment or payment request the billing history holds, with
/// the external id of its customer, plus those the generic routes created.
pub(crate) fn history(store: &Store, tail: &str, now: i64) -> Vec<(String, Value)> {
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
            // Lago terminates and keeps it (`Subscriptions::TerminateService`): the answer is
            // the subscription, `terminated` since now, and `status[]=terminated` lists it.
            let id = m.param("external_id");
            let mut answer = None;
            for c in &mut store.customers {
                if let Some(i) = c.subscriptions.iter().position(|s| s.external_id == id) {
                    c.subscriptions[i].active = false;
                    answer = Some(subscription_json(c, &c.subscriptions[i], now));
                }
            }
            let generic = store.generic.collection_mut("/subscriptions");
            if let Some(item) = generic
                .iter_mut()
                .find(|s| s["external_id"].as_str() == Some(id))
            {
                item["status"] = json!("terminated");
                item["terminated_at"] = json!(rfc3339(now));
                answer = Some(item.clone());
            }
            let mut subscription = answer?;
            subscription["status"] = json!("terminated");
            subscription["terminated_at"] = json!(rfc3339(now));
            Some((StatusCode::OK, json!({ "subscription": subscription })))
        }
        "applyCoupon" => Some(apply_coupon(store, input, now)),
        "estimateCreditNote" => Some(estimates::credit_note(store, input, now)),
        "invoicePreview" => estimates::invoice_preview(store, body, now),
        "eventEstimateFees" | "eventEstimateInstantFees" | "eventBatchEstimateInstantFees" => {
            estimates::event_fees(store, m.op.id, body, now)
        }
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
            // lago-api PaymentRequests::CreateService: the customer's invoices named by
            // `lago_invoice_ids`, 404 `invoice_not_found` when none is; the amount is what they
            // total, in their currency. Its "overdue only" and "one currency" checks are not
            // modelled: the fake's one-off invoices are never overdue.
            let external_id = text(input, "external_customer_id");
            let customer = customer_json(store, external_id)?;
            let ids = input.get("lago_invoice_ids").and_then(Value::as_array);
            let wanted = |i: &Value| ids.is_some_and(|ids| ids.contains(&i["lago_id"]));
            let invoices: Vec<Value> = history(store, "invoices", now)
                .into_iter()
                .filter(|(owner, i)| owner == external_id && wanted(i))
                .map(|(_, i)| i)
                .collect();
            let Some(first) = invoices.first() else {
                return Err(not_found("invoice_not_found"));
            };
            item["amount_currency"] = first["currency"].clone();
            let total: i64 = invoices
                .iter()
                .filter_map(|i| i["total_amount_cents"].as_i64())
                .sum();
            item["amount_cents"] = json!(total);
            item["invoices"] = json!(invoices);
            item["customer"] = customer;
        }
        _ => {}
    }
    Ok(())
}

/// `/plans/{code}` keys hold the code escaped as `generic::Matched::concrete` does.
pub(crate) fn escape(id: &str) -> String {
    id.replace('%', "%25").replace('/', "%2F")
}

pub(crate) fn customer_json(store: &Store, external_id: &str) -> Result<Value, Reply> {
    store
        .find(external_id)
        .map(|c| Value::Object(c.json.clone()))
        .ok_or_else(|| not_found("customer_not_found"))
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
