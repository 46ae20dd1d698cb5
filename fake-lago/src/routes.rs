//! Which operation a request names: the raw path is split and decoded here, so `%2F` inside an
//! id never splits it and a literal `.` is read the way Rails reads it.

use crate::lists::{self, List};
use crate::query::Query;
use crate::store::Store;
use crate::util::{hash_str, mix, not_found, now_secs, now_secs_f64, Reply};
use crate::wallets::{self, WalletOp};
use crate::{customers, events, usage_api};
use axum::http::{Method, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::json;

/// The operations served, with their path parameters decoded.
#[derive(Debug)]
pub enum Op {
    Create,
    List,
    Find(String),
    Destroy(String),
    DeleteCoupon(String, String),
    CurrentUsage(String),
    ProjectedUsage(String),
    PastUsage(String),
    PortalUrl(String),
    CheckoutUrl(String),
    /// `GET /customers/{id}/<list>`: applied coupons, credit notes, invoices, ...
    CustomerList(String, List),
    /// Everything under `/customers/{id}/wallets`.
    Wallet(String, WalletOp),
    /// `POST /events`.
    CreateEvent,
    /// `POST /events/batch`.
    CreateBatchEvents,
    /// `GET /webhooks/json_public_key` and (text/plain) `GET /webhooks/public_key`.
    WebhookJsonPublicKey,
    WebhookPublicKey,
    /// Any other operation of the spec, served from its generated row (`generic.rs`).
    Generic(crate::generic::Matched),
}

/// Splits a raw path into decoded segments. Rails reads a literal `.` in the last segment as a
/// format suffix (`acme.com` is id `acme`), and a dynamic segment in the middle cannot hold one:
/// mimicking that catches clients that forget to send `.` as `%2E`.
pub fn segments(raw: &str) -> Option<Vec<String>> {
    let raw = raw.strip_prefix('/')?;
    let raw = raw.strip_suffix('/').unwrap_or(raw);
    let parts: Vec<&str> = raw.split('/').collect();
    let last = parts.len().saturating_sub(1);
    let mut decoded = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let part = match part.split_once('.') {
            None => *part,
            Some((before, _format)) if i == last => before,
            Some(_) => return None,
        };
        if part.is_empty() {
            return None;
        }
        decoded.push(percent_decode_str(part).decode_utf8_lossy().into_owned());
    }
    Some(decoded)
}

/// The operation a request names: one served by hand, else any other of the spec.
pub fn parse_op(method: &Method, rest: &str) -> Option<Op> {
    let segs = segments(rest)?;
    by_hand(method, &segs)
        .or_else(|| crate::generic::match_op(method.as_str(), &segs).map(Op::Generic))
}

fn by_hand(method: &Method, segs: &[String]) -> Option<Op> {
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let id = |s: &str| s.to_string();
    Some(match (method.as_str(), segs.as_slice()) {
        ("POST", ["customers"]) => Op::Create,
        ("GET", ["customers"]) => Op::List,
        ("GET", ["customers", c]) => Op::Find(id(c)),
        ("DELETE", ["customers", c]) => Op::Destroy(id(c)),
        ("DELETE", ["customers", c, "applied_coupons", a]) => Op::DeleteCoupon(id(c), id(a)),
        ("GET", ["customers", c, "current_usage"]) => Op::CurrentUsage(id(c)),
        ("GET", ["customers", c, "projected_usage"]) => Op::ProjectedUsage(id(c)),
        ("GET", ["customers", c, "past_usage"]) => Op::PastUsage(id(c)),
        ("GET", ["customers", c, "portal_url"]) => Op::PortalUrl(id(c)),
        ("POST", ["customers", c, "checkout_url"]) => Op::CheckoutUrl(id(c)),
        (method, ["customers", c, "wallets", rest @ ..]) => {
            Op::Wallet(id(c), wallets::parse(method, rest)?)
        }
        ("GET", ["customers", c, list]) => Op::CustomerList(id(c), List::from_segment(list)?),
        ("POST", ["events"]) => Op::CreateEvent,
        ("POST", ["events", "batch"]) => Op::CreateBatchEvents,
        ("GET", ["webhooks", "json_public_key"]) => Op::WebhookJsonPublicKey,
        ("GET", ["webhooks", "public_key"]) => Op::WebhookPublicKey,
        _ => return None,
    })
}
/// Runs one operation on `store`.
pub fn execute(store: &mut Store, op: &Op, query: &Query, body: &[u8], base_url: &str) -> Reply {
    let now = now_secs();
    match op {
        Op::Create => store.upsert_body(body, now),
        Op::List => customers::list_customers(store, query),
        Op::Find(id) => match store.find(id) {
            Some(c) => (StatusCode::OK, json!({"customer": c.json})),
            None => not_found("customer_not_found"),
        },
        Op::Destroy(id) => store.destroy(id),
        Op::DeleteCoupon(id, coupon) => store.terminate_coupon(id, coupon, now),
        Op::CurrentUsage(id) => usage_api::current_usage(store, id, query, now),
        Op::ProjectedUsage(id) => usage_api::projected_usage(store, id, query, now),
        Op::PastUsage(id) => usage_api::past_usage(store, id, query, now),
        Op::PortalUrl(id) => match store.find(id) {
            Some(c) => {
                let token = format!(
                    "{:016x}{:016x}",
                    mix(hash_str(c.str_field("lago_id"))),
                    hash_str(id)
                );
                let url = format!("{base_url}/customer-portal/{token}");
                (StatusCode::OK, json!({"customer": {"portal_url": url}}))
            }
            None => not_found("customer_not_found"),
        },
        Op::CheckoutUrl(id) => customers::checkout_url(store, id, base_url),
        Op::CustomerList(id, list) => lists::customer_list(store, id, *list, query, now),
        Op::Wallet(id, op) => wallets::execute(store, id, op, query, body, now),
        Op::CreateEvent => events::create(store, body, now_secs_f64()),
        Op::CreateBatchEvents => events::create_batch(store, body, now_secs_f64()),
        Op::WebhookJsonPublicKey => crate::webhooks::json_public_key(),
        // Answered as text/plain before it gets here (lib.rs `operation`); the same key.
        Op::WebhookPublicKey => crate::webhooks::json_public_key(),
        Op::Generic(m) => crate::generic::execute(store, m, query, body, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_decode_and_follow_rails_dots() {
        assert_eq!(
            segments("/customers/a%2Fb").expect("ok"),
            ["customers", "a/b"]
        );
        assert_eq!(
            segments("/customers/a%2Eb/").expect("ok"),
            ["customers", "a.b"]
        );
        assert_eq!(
            segments("/customers/acme.json").expect("ok"),
            ["customers", "acme"]
        );
        assert_eq!(
            segments("/customers/%C3%A9%20x").expect("ok"),
            ["customers", "é x"]
        );
        assert!(segments("/customers/a.b/portal_url").is_none());
        assert!(segments("/customers//portal_url").is_none());
    }
}
