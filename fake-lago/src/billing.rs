//! A customer's billing history, derived (never stored) from its subscriptions, applied coupons
//! and the date, so every list agrees with the others and with past usage:
//! - one `subscription` invoice per subscription and past month while it ran: the plan's fee
//!   plus the charges past usage reports for that month (same `lago_id` as its
//!   `lago_invoice_id`), less coupons, plus the customer's taxes;
//! - last month's invoices are `pending` (overdue once past their due date), older ones
//!   `succeeded`, except that individuals (no payment term) saw the payment of two months ago
//!   fail;
//! - customers with a payment provider have one `provider` payment per succeeded or failed
//!   invoice (customers without one pay outside Lago, so they have no payment records);
//! - overdue pending invoices are gathered in one pending payment request (needs an email);
//! - one customer in three has a credit note (10%, still available) on an older invoice;
//! - applied coupons list the credits they gave, on the invoices that show them.

use crate::store::Customer;
use crate::usage::{month_bounds, period_amount, Subscription};
use crate::util::{hash_str, mix, parse_rfc3339, rfc3339, uuid_from, ymd};
use serde_json::{json, Value};

/// Past months invoiced (like past usage).
const MONTHS: u64 = 12;

/// One invoice and what the other lists need to know about it.
pub struct Invoice {
    pub json: Value,
    pub lago_id: String,
    pub number: String,
    pub total: u64,
    issued: i64,
    /// `pending`, `succeeded` or `failed`.
    payment_status: &'static str,
    overdue: bool,
}

/// Everything billed to one customer.
pub struct Ledger {
    /// Newest first.
    pub invoices: Vec<Invoice>,
    pub credit_notes: Vec<Value>,
    pub payments: Vec<Value>,
    pub payment_requests: Vec<Value>,
    /// Applied coupons (active and terminated), each with its `credits`.
    pub applied_coupons: Vec<Value>,
}

/// When the subscription started (an hour after the customer was created) and, if it is
/// terminated, when (the start of the month three months back).
fn lifetime(customer: &Customer, sub: &Subscription, now: i64) -> (i64, Option<i64>) {
    let created = parse_rfc3339(customer.str_field("created_at")).unwrap_or(now);
    let start = created + 3600;
    let end = (!sub.active).then(|| {
        let (month, _) = month_bounds(now.div_euclid(86_400), 3);
        (month * 86_400).max(start + 86_400)
    });
    (start, end)
}

/// Whether the month `back` months ago was invoiced: the subscription ran then (it had started
/// before the month ended and was not terminated before).
pub fn invoiced(customer: &Customer, sub: &Subscription, now: i64, back: u64) -> bool {
    let (start, terminated) = lifetime(customer, sub, now);
    let (_, end) = month_bounds(now.div_euclid(86_400), back);
    back >= 1 && end * 86_400 > start && terminated.is_none_or(|t| end * 86_400 <= t)
}

/// A `SubscriptionObject`.
pub fn subscription_json(customer: &Customer, sub: &Subscription, now: i64) -> Value {
    let (start, end) = lifetime(customer, sub, now);
    let (plan_code, plan_name, fee) = sub.plan();
    let (period_start, period_end) = month_bounds(now.div_euclid(86_400), 0);
    let current = |secs: i64| {
        if sub.active {
            json!(rfc3339(secs))
        } else {
            Value::Null
        }
    };
    json!({
        "lago_id": sub.lago_id(),
        "external_id": sub.external_id,
        "lago_customer_id": customer.field("lago_id"),
        "external_customer_id": customer.external_id(),
        "billing_entity_code": customer.field("billing_entity_code"),
        "billing_time": "calendar",
        "name": plan_name,
        "plan_code": plan_code,
        "plan_amount_cents": fee,
        "plan_amount_currency": customer.billing().currency,
        "status": if sub.active { "active" } else { "terminated" },
        "created_at": rfc3339(start),
        "canceled_at": null,
        "started_at": rfc3339(start),
        "ending_at": null,
        "subscription_at": rfc3339(start),
        "terminated_at": end.map(rfc3339),
        "previous_plan_code": null,
        "next_plan_code": null,
        "downgrade_plan_date": null,
        "trial_ended_at": null,
        "current_billing_period_started_at": current(period_start * 86_400),
        "current_billing_period_ending_at": current(period_end * 86_400 - 1),
        "on_termination_credit_note": "credit",
        "on_termination_invoice": "generate",
        "purchase_order_number": null,
    })
}

/// An invoice before coupons and taxes: (subscription, months back, issuing day, fees).
struct Draft<'a> {
    sub: &'a Subscription,
    back: u64,
    issuing_day: i64,
    fees: u64,
}

/// Coupon credits: per applied coupon, (invoice index in `drafts`, amount).
fn coupon_credits(customer: &Customer, drafts: &[Draft]) -> Vec<Vec<(usize, u64)>> {
    let mut left: Vec<u64> = drafts.iter().map(|d| d.fees).collect();
    customer
        .coupons
        .iter()
        .map(|coupon| {
            let created = parse_rfc3339(coupon["created_at"].as_str().unwrap_or_default());
            let after: Vec<usize> = (0..drafts.len())
                .filter(|&i| created.is_some_and(|c| drafts[i].issuing_day * 86_400 > c))
                .collect();
            let mut credits = Vec::new();
            if let Some(rate) = coupon["percentage_rate"]
                .as_str()
                .and_then(|r| r.parse::<f64>().ok())
            {
                // Recurring: the invoices used up so far are duration - remaining.
                let used = coupon["frequency_duration"]
                    .as_u64()
                    .unwrap_or(0)
                    .saturating_sub(coupon["frequency_duration_remaining"].as_u64().unwrap_or(0));
                for &i in after.iter().take(used as usize) {
                    let amount = ((drafts[i].fees as f64) * rate / 100.0).round() as u64;
                    let amount = amount.min(left[i]);
                    left[i] -= amount;
                    credits.push((i, amount));
                }
            } else {
                let mut to_give = coupon["amount_cents"]
                    .as_u64()
                    .unwrap_or(0)
                    .saturating_sub(coupon["amount_cents_remaining"].as_u64().unwrap_or(0));
                for &i in &after {
                    if to_give == 0 {
                        break;
                    }
                    let amount = to_give.min(left[i]);
                    left[i] -= amount;
                    to_give -= amount;
                    credits.push((i, amount));
                }
            }
            credits
        })
        .collect()
}

/// The whole billing history of `customer` as of `now`.
pub fn ledger(customer: &Customer, now: i64) -> Ledger {
    let billing = customer.billing();
    let today = now.div_euclid(86_400);
    // Every month each subscription ran, oldest first.
    let mut drafts: Vec<Draft> = Vec::new();
    for back in (1..=MONTHS).rev() {
        let (_, end) = month_bounds(today, back);
        for sub in &customer.subscriptions {
            if invoiced(customer, sub, now, back) {
                drafts.push(Draft {
                    sub,
                    back,
                    issuing_day: end,
                    fees: sub.plan().2 + period_amount(sub, now, back),
                });
            }
        }
    }
    let credits = coupon_credits(customer, &drafts);
    let mut coupons_on = vec![0u64; drafts.len()];
    for &(i, amount) in credits.iter().flatten() {
        coupons_on[i] += amount;
    }
    let net_term = customer.field("net_payment_term").as_i64().unwrap_or(0);
    let slug = customer.str_field("slug");
    let mut invoices: Vec<Invoice> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let lago_id = d.sub.invoice_id(d.back);
            let number = format!("{slug}-{:03}", i + 1);
            let excluding = d.fees - coupons_on[i];
            let taxes = (excluding as f64 * billing.tax_rate / 100.0).round() as u64;
            let total = excluding + taxes;
            // Individuals (no payment term) let the payment of two months ago fail.
            let payment_status = match d.back {
                1 => "pending",
                2 if net_term == 0 => "failed",
                _ => "succeeded",
            };
            let due = d.issuing_day + net_term;
            let overdue = payment_status != "succeeded" && due < today;
            let issued = d.issuing_day * 86_400;
            let json = json!({
                "lago_id": lago_id,
                "billing_entity_code": customer.field("billing_entity_code"),
                "sequential_id": i + 1,
                "number": number,
                "issuing_date": ymd(d.issuing_day),
                "payment_due_date": ymd(due),
                "payment_overdue": overdue,
                "net_payment_term": net_term,
                "invoice_type": "subscription",
                "status": "finalized",
                "payment_status": payment_status,
                "currency": billing.currency,
                "fees_amount_cents": d.fees,
                "coupons_amount_cents": coupons_on[i],
                "credit_notes_amount_cents": 0,
                "sub_total_excluding_taxes_amount_cents": excluding,
                "taxes_amount_cents": taxes,
                "sub_total_including_taxes_amount_cents": total,
                "prepaid_credit_amount_cents": 0,
                "progressive_billing_credit_amount_cents": 0,
                "total_amount_cents": total,
                "version_number": 4,
                "self_billed": false,
                "created_at": rfc3339(issued),
                "updated_at": rfc3339(issued),
                "metadata": [],
            });
            Invoice {
                json,
                lago_id,
                number,
                total,
                issued,
                payment_status,
                overdue,
            }
        })
        .collect();
    let applied_coupons = customer
        .coupons
        .iter()
        .zip(&credits)
        .map(|(coupon, given)| {
            let items: Vec<Value> = given
                .iter()
                .map(|&(i, amount)| {
                    json!({
                        "lago_id": credit_id(&invoices[i].lago_id, &coupon["lago_id"]),
                        "amount_cents": amount,
                        "amount_currency": billing.currency,
                        "before_taxes": true,
                        "item": {
                            "lago_item_id": coupon["lago_id"],
                            "type": "coupon",
                            "code": coupon["coupon_code"],
                            "name": coupon["coupon_name"],
                        },
                        "invoice": {
                            "lago_id": invoices[i].lago_id,
                            "payment_status": invoices[i].json["payment_status"],
                        },
                    })
                })
                .collect();
            let mut coupon = coupon.clone();
            coupon["credits"] = json!(items);
            coupon
        })
        .collect();
    let payments = payments(customer, &invoices);
    let payment_requests = payment_requests(customer, &invoices, billing.currency);
    let credit_notes = credit_notes(customer, &invoices, billing.tax_rate);
    invoices.reverse();
    Ledger {
        invoices,
        credit_notes,
        payments,
        payment_requests,
        applied_coupons,
    }
}

/// The id of the credit a coupon gave on an invoice.
fn credit_id(invoice_id: &str, coupon_id: &Value) -> String {
    let coupon = coupon_id.as_str().unwrap_or_default();
    uuid_from(mix(hash_str(invoice_id) ^ hash_str(coupon)))
}

/// One `provider` payment per succeeded or failed invoice, newest first (none without a
/// provider).
fn payments(customer: &Customer, invoices: &[Invoice]) -> Vec<Value> {
    let billing = &customer.field("billing_configuration");
    let Some(provider) = billing["payment_provider"].as_str() else {
        return Vec::new();
    };
    let currency = customer.billing().currency;
    invoices
        .iter()
        .rev()
        .filter(|inv| inv.payment_status != "pending")
        .map(|inv| {
            let seed = mix(hash_str(&inv.lago_id) ^ 0x9A1D);
            json!({
                "lago_id": uuid_from(seed),
                "lago_customer_id": customer.field("lago_id"),
                "external_customer_id": customer.external_id(),
                "invoice_ids": [inv.lago_id],
                "invoice_numbers": [inv.number],
                "lago_payable_id": inv.lago_id,
                "payable_type": "Invoice",
                "amount_cents": inv.total,
                "amount_currency": currency,
                "status": inv.payment_status,
                "payment_status": inv.payment_status,
                "type": "provider",
                "reference": "",
                "payment_provider_code": billing["payment_provider_code"],
                "payment_provider_type": provider,
                "external_payment_id": null,
                "provider_payment_id": format!("py_{:016x}", seed),
                "provider_customer_id": billing["provider_customer_id"],
                "payment_method_id": null,
                "next_action": {},
                "created_at": rfc3339(inv.issued + 2 * 86_400),
            })
        })
        .collect()
}

/// The customer's overdue invoices in one pending payment request (Lago's dunning), if any.
fn payment_requests(customer: &Customer, invoices: &[Invoice], currency: &str) -> Vec<Value> {
    let overdue: Vec<&Invoice> = invoices.iter().filter(|inv| inv.overdue).collect();
    let email = customer.str_field("email");
    let Some(newest) = overdue.iter().map(|inv| inv.issued).max() else {
        return Vec::new();
    };
    if email.is_empty() {
        return Vec::new();
    }
    let mut base = customer.json.clone();
    for extended in [
        "integration_customers",
        "taxes",
        "applicable_invoice_custom_sections",
        "error_details",
    ] {
        base.remove(extended);
    }
    vec![json!({
        "lago_id": uuid_from(mix(hash_str(customer.external_id()) ^ 0x9E0)),
        "email": email.split(',').next().unwrap_or(email).trim(),
        "amount_cents": overdue.iter().map(|inv| inv.total).sum::<u64>(),
        "amount_currency": currency,
        "payment_status": "pending",
        "created_at": rfc3339(newest + 86_400),
        "customer": base,
        "invoices": overdue.iter().map(|inv| &inv.json).collect::<Vec<_>>(),
    })]
}

/// One customer in three has a credit note: 10% of its second newest succeeded invoice.
fn credit_notes(customer: &Customer, invoices: &[Invoice], tax_rate: f64) -> Vec<Value> {
    if !hash_str(customer.external_id()).is_multiple_of(3) {
        return Vec::new();
    }
    let Some(invoice) = invoices
        .iter()
        .rev()
        .filter(|inv| inv.payment_status == "succeeded")
        .nth(1)
    else {
        return Vec::new();
    };
    let excluding = invoice.json["sub_total_excluding_taxes_amount_cents"]
        .as_u64()
        .unwrap_or(0)
        / 10;
    let taxes = (excluding as f64 * tax_rate / 100.0).round() as u64;
    let total = excluding + taxes;
    let issued = invoice.issued + 5 * 86_400;
    vec![json!({
        "lago_id": uuid_from(mix(hash_str(&invoice.lago_id) ^ 0xC4ED)),
        "billing_entity_code": customer.field("billing_entity_code"),
        "sequential_id": 1,
        "number": format!("{}-CN1", invoice.number),
        "lago_invoice_id": invoice.lago_id,
        "invoice_number": invoice.number,
        "issuing_date": ymd(issued.div_euclid(86_400)),
        "credit_status": "available",
        "refund_status": null,
        "reason": "order_change",
        "description": "Plan changed mid-period: 10% back as credit",
        "currency": invoice.json["currency"],
        "total_amount_cents": total,
        "taxes_amount_cents": taxes,
        "taxes_rate": tax_rate,
        "sub_total_excluding_taxes_amount_cents": excluding,
        "balance_amount_cents": total,
        "credit_amount_cents": total,
        "refund_amount_cents": 0,
        "offset_amount_cents": 0,
        "coupons_adjustment_amount_cents": 0,
        "created_at": rfc3339(issued),
        "updated_at": rfc3339(issued),
        "self_billed": false,
        "metadata": null,
        "error_details": null,
    })]
}
