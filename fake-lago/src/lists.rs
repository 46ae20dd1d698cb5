//! The six lists under `/customers/{id}/` (applied coupons, credit notes, invoices, payments,
//! payment requests, subscriptions): their cheap query filters, then Lago's pagination.

use crate::billing::{ledger, subscription_json};
use crate::query::{paginate, Query};
use crate::store::Store;
use crate::util::{invalid, not_found, Reply};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// Which list, named as in its path segment and its response key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    AppliedCoupons,
    CreditNotes,
    Invoices,
    Payments,
    PaymentRequests,
    Subscriptions,
}

impl List {
    /// The list a path segment names.
    pub fn from_segment(segment: &str) -> Option<List> {
        Some(match segment {
            "applied_coupons" => List::AppliedCoupons,
            "credit_notes" => List::CreditNotes,
            "invoices" => List::Invoices,
            "payments" => List::Payments,
            "payment_requests" => List::PaymentRequests,
            "subscriptions" => List::Subscriptions,
            _ => return None,
        })
    }

    fn key(self) -> &'static str {
        match self {
            List::AppliedCoupons => "applied_coupons",
            List::CreditNotes => "credit_notes",
            List::Invoices => "invoices",
            List::Payments => "payments",
            List::PaymentRequests => "payment_requests",
            List::Subscriptions => "subscriptions",
        }
    }
}

/// One query filter: which parameter, which field of an item, and how they compare.
#[derive(Clone, Copy)]
enum Rule {
    /// The field equals the parameter.
    Equal(&'static str, &'static str),
    /// The field is one of the values of an array parameter (`name[]=a&name[]=b`).
    AnyOf(&'static str, &'static str),
    /// A `YYYY-MM-DD` field on or after / on or before the parameter.
    From(&'static str, &'static str),
    To(&'static str, &'static str),
    /// An integer field at least / at most the parameter.
    AtLeast(&'static str, &'static str),
    AtMost(&'static str, &'static str),
    /// The field contains the parameter, ignoring case.
    Contains(&'static str, &'static str),
}

impl Rule {
    fn keeps(self, item: &Value, query: &Query) -> bool {
        let (param, field) = match self {
            Rule::Equal(p, f)
            | Rule::AnyOf(p, f)
            | Rule::From(p, f)
            | Rule::To(p, f)
            | Rule::AtLeast(p, f)
            | Rule::AtMost(p, f)
            | Rule::Contains(p, f) => (p, f),
        };
        let text = match &item[field] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        if let Rule::AnyOf(..) = self {
            let wanted = query.all(param);
            return wanted.is_empty() || wanted.contains(&text.as_str());
        }
        let Some(wanted) = query.get(param).filter(|v| !v.is_empty()) else {
            return true;
        };
        let number = |s: &str| s.parse::<i64>().ok();
        match self {
            Rule::Equal(..) => text == wanted,
            Rule::From(..) => text.as_str() >= wanted,
            Rule::To(..) => text.as_str() <= wanted,
            Rule::AtLeast(..) => number(&text) >= number(wanted),
            Rule::AtMost(..) => number(&text) <= number(wanted),
            Rule::Contains(..) => text.to_lowercase().contains(&wanted.to_lowercase()),
            Rule::AnyOf(..) => true,
        }
    }
}

const INVOICE_RULES: &[Rule] = &[
    Rule::Equal("status", "status"),
    Rule::Equal("payment_status", "payment_status"),
    Rule::Equal("invoice_type", "invoice_type"),
    Rule::Equal("payment_overdue", "payment_overdue"),
    Rule::Equal("self_billed", "self_billed"),
    Rule::From("issuing_date_from", "issuing_date"),
    Rule::To("issuing_date_to", "issuing_date"),
    Rule::AtLeast("amount_from", "total_amount_cents"),
    Rule::AtMost("amount_to", "total_amount_cents"),
    Rule::Contains("search_term", "number"),
];

const CREDIT_NOTE_RULES: &[Rule] = &[
    Rule::Equal("reason", "reason"),
    Rule::Equal("credit_status", "credit_status"),
    Rule::Equal("refund_status", "refund_status"),
    Rule::Equal("invoice_number", "invoice_number"),
    Rule::Equal("self_billed", "self_billed"),
    Rule::From("issuing_date_from", "issuing_date"),
    Rule::To("issuing_date_to", "issuing_date"),
    Rule::AtLeast("amount_from", "total_amount_cents"),
    Rule::AtMost("amount_to", "total_amount_cents"),
    Rule::Contains("search_term", "number"),
];

const COUPON_RULES: &[Rule] = &[
    Rule::Equal("status", "status"),
    Rule::AnyOf("coupon_code", "coupon_code"),
];

const PAYMENT_RULES: &[Rule] = &[Rule::Equal("invoice_id", "lago_payable_id")];

const PAYMENT_REQUEST_RULES: &[Rule] = &[Rule::Equal("payment_status", "payment_status")];

const SUBSCRIPTION_RULES: &[Rule] = &[
    Rule::Equal("plan_code", "plan_code"),
    Rule::AnyOf("status", "status"),
];

/// Lago validates the invoice filters with enums: another value is a 422.
fn check_invoice_filters(query: &Query) -> Result<(), Reply> {
    let allowed: [(&str, &[&str]); 3] = [
        (
            "status",
            &["draft", "finalized", "voided", "failed", "pending"],
        ),
        ("payment_status", &["pending", "succeeded", "failed"]),
        (
            "invoice_type",
            &[
                "subscription",
                "add_on",
                "credit",
                "one_off",
                "progressive_billing",
            ],
        ),
    ];
    for (param, values) in allowed {
        if let Some(v) = query.get(param).filter(|v| !v.is_empty()) {
            if !values.contains(&v) {
                return Err(invalid(param, "value_is_invalid"));
            }
        }
    }
    Ok(())
}

/// `GET /customers/{id}/<list>`: 404 `customer_not_found`, else a page of the list.
pub fn customer_list(store: &Store, id: &str, list: List, query: &Query, now: i64) -> Reply {
    let Some(customer) = store.find(id) else {
        return not_found("customer_not_found");
    };
    if list == List::Invoices {
        if let Err(reply) = check_invoice_filters(query) {
            return reply;
        }
    }
    let (items, rules): (Vec<Value>, &[Rule]) = match list {
        List::Subscriptions => {
            let subs = customer
                .subscriptions
                .iter()
                .rev()
                .map(|sub| subscription_json(customer, sub, now));
            // Without `status[]`, Lago lists only active subscriptions.
            let statuses = query.all("status");
            let subs = subs.filter(|s| !statuses.is_empty() || s["status"] == "active");
            (subs.collect(), SUBSCRIPTION_RULES)
        }
        _ => {
            let ledger = ledger(customer, now);
            let created = |tail| crate::flow::created_for(store, tail, id);
            let join = |mut a: Vec<Value>, b: Vec<Value>| {
                a.extend(b);
                a
            };
            match list {
                List::AppliedCoupons => {
                    let mut coupons = ledger.applied_coupons;
                    coupons.reverse();
                    (coupons, COUPON_RULES)
                }
                List::CreditNotes => (
                    join(created("credit_notes"), ledger.credit_notes),
                    CREDIT_NOTE_RULES,
                ),
                List::Invoices => (
                    join(
                        created("invoices"),
                        ledger.invoices.into_iter().map(|i| i.json).collect(),
                    ),
                    INVOICE_RULES,
                ),
                List::Payments => (join(created("payments"), ledger.payments), PAYMENT_RULES),
                _ => (
                    join(created("payment_requests"), ledger.payment_requests),
                    PAYMENT_REQUEST_RULES,
                ),
            }
        }
    };
    let kept: Vec<Value> = items
        .into_iter()
        .filter(|item| rules.iter().all(|rule| rule.keeps(item, query)))
        .collect();
    let (page, meta) = paginate(&kept, query);
    (StatusCode::OK, json!({ list.key(): page, "meta": meta }))
}
