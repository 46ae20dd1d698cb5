//! A wallet's alerts: `/customers/{id}/wallets/{wallet_code}/alerts[/{code}]`.

use crate::query::{paginate, Query};
use crate::util::{bad_request, field, hash_str, invalid, not_found, rfc3339, uuid_from, Reply};
use crate::wallets::{decimal, root, Wallet};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// An alert operation, with the alert code its path names.
#[derive(Debug)]
pub enum AlertOp {
    List,
    Create,
    DeleteAll,
    Get(String),
    Update(String),
    Delete(String),
}

/// The operation a method and the path segments after `/alerts` name.
pub fn parse(method: &str, rest: &[&str]) -> Option<AlertOp> {
    Some(match (method, rest) {
        ("GET", []) => AlertOp::List,
        ("POST", []) => AlertOp::Create,
        ("DELETE", []) => AlertOp::DeleteAll,
        ("GET", [code]) => AlertOp::Get(code.to_string()),
        ("PUT", [code]) => AlertOp::Update(code.to_string()),
        ("DELETE", [code]) => AlertOp::Delete(code.to_string()),
        _ => return None,
    })
}

const ALERT_TYPES: &[&str] = &[
    "wallet_balance_amount",
    "wallet_credits_balance",
    "wallet_ongoing_balance_amount",
    "wallet_credits_ongoing_balance",
];

/// The fake organization every alert belongs to.
fn organization_id() -> String {
    uuid_from(hash_str("fake-lago organization"))
}

/// What the wallet holds, in the unit of the alert type (cents or credits).
fn current_value(wallet: &Map<String, Value>, alert_type: &str) -> f64 {
    let name = match alert_type {
        "wallet_balance_amount" => "balance_cents",
        "wallet_ongoing_balance_amount" => "ongoing_balance_cents",
        "wallet_credits_balance" => "credits_balance",
        _ => "credits_ongoing_balance",
    };
    match field(wallet, name) {
        Value::String(s) => s.parse().unwrap_or(0.0),
        other => other.as_f64().unwrap_or(0.0),
    }
}

/// Checked `thresholds`: each `{value (integer or numeric string), code?, recurring?}`.
fn thresholds(value: &Value) -> Option<Vec<Value>> {
    let items = value.as_array().filter(|a| !a.is_empty())?;
    items
        .iter()
        .map(|t| -> Option<Value> {
            let number = match t.get("value")? {
                Value::Number(n) => n.as_f64()?,
                Value::String(s) => s.trim().parse::<f64>().ok()?,
                _ => return None,
            };
            let code = t.get("code").cloned().unwrap_or(Value::Null);
            let recurring = t.get("recurring").cloned().unwrap_or(json!(false));
            ((code.is_string() || code.is_null()) && recurring.is_boolean() && number.is_finite())
                .then(|| json!({"code": code, "recurring": recurring, "value": decimal(number)}))
        })
        .collect()
}

/// What a new alert is made of, once checked.
struct NewAlert<'a> {
    lago_id: &'a str,
    alert_type: &'a str,
    code: &'a str,
    name: Value,
    thresholds: Vec<Value>,
}

/// A `WalletAlertObject` from a checked create input.
fn alert_json(wallet: &Map<String, Value>, new: NewAlert, created: i64) -> Value {
    let NewAlert {
        lago_id,
        alert_type,
        code,
        name,
        thresholds,
    } = new;
    json!({
        "lago_id": lago_id,
        "lago_organization_id": organization_id(),
        "external_subscription_id": null,
        "lago_wallet_id": field(wallet, "lago_id"),
        "wallet_code": field(wallet, "code"),
        "billable_metric": null,
        "alert_type": alert_type,
        "code": code,
        "name": name,
        "direction": "decreasing",
        "previous_value": current_value(wallet, alert_type),
        "last_processed_at": null,
        "thresholds": thresholds,
        "created_at": rfc3339(created),
    })
}

/// The alert a seeded `prepaid` wallet has: balance below 20.00.
pub fn seeded(wallet: &Map<String, Value>, created: i64) -> Value {
    let seed = hash_str(field(wallet, "lago_id").as_str().unwrap_or_default());
    let new = NewAlert {
        lago_id: &uuid_from(seed ^ 0xA1E7),
        alert_type: "wallet_balance_amount",
        code: "low_balance",
        name: json!("Low balance"),
        thresholds: vec![json!({"code": "warning", "recurring": false, "value": "2000.0"})],
    };
    alert_json(wallet, new, created)
}

/// Checks one create input; the error is a ready 422.
fn create_one(
    wallet: &Wallet,
    input: &Value,
    taken: &[String],
    lago_id: &str,
    now: i64,
) -> Result<Value, Reply> {
    let input = input
        .as_object()
        .ok_or_else(|| invalid("alert", "value_is_invalid"))?;
    let alert_type = input
        .get("alert_type")
        .and_then(Value::as_str)
        .filter(|t| ALERT_TYPES.contains(t))
        .ok_or_else(|| invalid("alert_type", "value_is_invalid"))?;
    let code = input
        .get("code")
        .and_then(Value::as_str)
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| invalid("code", "value_is_mandatory"))?;
    if taken.iter().any(|t| t == code) {
        return Err(invalid("code", "value_already_exist"));
    }
    let name = input.get("name").cloned().unwrap_or(Value::Null);
    if !(name.is_string() || name.is_null()) {
        return Err(invalid("name", "value_is_invalid"));
    }
    let thresholds = thresholds(input.get("thresholds").unwrap_or(&Value::Null))
        .ok_or_else(|| invalid("thresholds", "value_is_invalid"))?;
    let new = NewAlert {
        lago_id,
        alert_type,
        code,
        name,
        thresholds,
    };
    Ok(alert_json(&wallet.json, new, now))
}

/// Runs an alert operation on `wallet`; `fresh_id` is the id a created alert gets (the n-th
/// of a batch derives its own from it).
pub fn execute(
    wallet: &mut Wallet,
    op: &AlertOp,
    query: &Query,
    body: &[u8],
    fresh_id: String,
    now: i64,
) -> Reply {
    let find = |alerts: &[Value], code: &str| alerts.iter().position(|a| a["code"] == code);
    match op {
        AlertOp::List => {
            let (page, meta) = paginate(&wallet.alerts, query);
            (StatusCode::OK, json!({"alerts": page, "meta": meta}))
        }
        AlertOp::DeleteAll => {
            wallet.alerts.clear();
            (StatusCode::OK, Value::Null)
        }
        AlertOp::Create => {
            let root = match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(root)) => root,
                _ => {
                    return bad_request("param is missing or the value is empty or invalid: alert")
                }
            };
            let (inputs, batch) = match (root.get("alert"), root.get("alerts")) {
                (Some(one), None) => (vec![one.clone()], false),
                (None, Some(Value::Array(many))) if !many.is_empty() => (many.clone(), true),
                _ => {
                    return bad_request("param is missing or the value is empty or invalid: alert")
                }
            };
            let mut taken: Vec<String> = wallet
                .alerts
                .iter()
                .filter_map(|a| a["code"].as_str().map(String::from))
                .collect();
            let mut created = Vec::new();
            for (n, input) in inputs.iter().enumerate() {
                let id = if n == 0 {
                    fresh_id.clone()
                } else {
                    uuid_from(hash_str(&fresh_id) ^ n as u64)
                };
                match create_one(wallet, input, &taken, &id, now) {
                    Ok(alert) => {
                        taken.push(alert["code"].as_str().unwrap_or_default().to_string());
                        created.push(alert);
                    }
                    Err(reply) => return reply,
                }
            }
            wallet.alerts.extend(created.iter().cloned());
            if batch {
                (StatusCode::OK, json!({ "alerts": created }))
            } else {
                (StatusCode::OK, json!({ "alert": created.first() }))
            }
        }
        AlertOp::Get(code) | AlertOp::Update(code) | AlertOp::Delete(code) => {
            let Some(index) = find(&wallet.alerts, code) else {
                return not_found("alert_not_found");
            };
            match op {
                AlertOp::Delete(_) => {
                    let alert = wallet.alerts.remove(index);
                    (StatusCode::OK, json!({ "alert": alert }))
                }
                AlertOp::Update(_) => update(wallet, index, body),
                _ => (StatusCode::OK, json!({ "alert": wallet.alerts.get(index) })),
            }
        }
    }
}

/// `PUT .../alerts/{code}`: `code`, `name` and `thresholds` may change.
fn update(wallet: &mut Wallet, index: usize, body: &[u8]) -> Reply {
    let input = match root(body, "alert") {
        Ok(input) => input,
        Err(reply) => return reply,
    };
    let mut alert = wallet.alerts.get(index).cloned().unwrap_or(Value::Null);
    if let Some(code) = input.get("code") {
        let Some(code) = code.as_str().filter(|c| !c.trim().is_empty()) else {
            return invalid("code", "value_is_invalid");
        };
        let taken = wallet
            .alerts
            .iter()
            .enumerate()
            .any(|(i, a)| i != index && a["code"] == code);
        if taken {
            return invalid("code", "value_already_exist");
        }
        alert["code"] = json!(code);
    }
    if let Some(name) = input.get("name") {
        if !(name.is_string() || name.is_null()) {
            return invalid("name", "value_is_invalid");
        }
        alert["name"] = name.clone();
    }
    if let Some(given) = input.get("thresholds") {
        let Some(checked) = thresholds(given) else {
            return invalid("thresholds", "value_is_invalid");
        };
        alert["thresholds"] = json!(checked);
    }
    if let Some(slot) = wallet.alerts.get_mut(index) {
        *slot = alert.clone();
    }
    (StatusCode::OK, json!({ "alert": alert }))
}
