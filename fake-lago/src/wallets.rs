//! The wallet routes under `/customers/{external_customer_id}/wallets` (spec tag `wallets`):
//! wallets, their metadata (alerts are in `wallet_alerts.rs`). Wallets are kept as the
//! `WalletObject` they are served as; credits are decimals in strings, balances in cents.

use crate::codes::is_currency;
use crate::query::{paginate, Query};
use crate::store::Store;
use crate::util::{
    bad_request, field, invalid, not_found, rfc3339, unprocessable, uuid_from, Reply,
};
use crate::wallet_alerts;
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// One wallet: its `WalletObject` and its alerts (`WalletAlertObject`s).
#[derive(Clone, Debug)]
pub struct Wallet {
    pub json: Map<String, Value>,
    pub alerts: Vec<Value>,
}

impl Wallet {
    pub fn code(&self) -> &str {
        self.json
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// A wallet operation, with the codes its path names.
#[derive(Debug)]
pub enum WalletOp {
    Create,
    List,
    Get(String),
    Update(String),
    Delete(String),
    ReplaceMetadata(String),
    MergeMetadata(String),
    DeleteMetadata(String),
    DeleteMetadataKey(String, String),
    Alerts(String, wallet_alerts::AlertOp),
}

/// The operation a method and the path segments after `/customers/{id}/wallets` name.
pub fn parse(method: &str, rest: &[&str]) -> Option<WalletOp> {
    let s = |v: &&str| v.to_string();
    Some(match (method, rest) {
        ("POST", []) => WalletOp::Create,
        ("GET", []) => WalletOp::List,
        ("GET", [code]) => WalletOp::Get(s(code)),
        ("PUT", [code]) => WalletOp::Update(s(code)),
        ("DELETE", [code]) => WalletOp::Delete(s(code)),
        ("POST", [code, "metadata"]) => WalletOp::ReplaceMetadata(s(code)),
        ("PATCH", [code, "metadata"]) => WalletOp::MergeMetadata(s(code)),
        ("DELETE", [code, "metadata"]) => WalletOp::DeleteMetadata(s(code)),
        ("DELETE", [code, "metadata", key]) => WalletOp::DeleteMetadataKey(s(code), s(key)),
        (_, [code, "alerts", alert @ ..]) => {
            WalletOp::Alerts(s(code), wallet_alerts::parse(method, alert)?)
        }
        _ => return None,
    })
}

/// A decimal as Lago writes credits: `"120.0"`, `"12.5"`.
pub fn decimal(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.1}")
    } else {
        format!("{}", (value * 1e5).round() / 1e5)
    }
}

/// A non-negative decimal sent as a string or a number (`null`/absent: `default`).
fn amount(value: Option<&Value>, default: f64) -> Option<f64> {
    let n = match value {
        None | Some(Value::Null) => return Some(default),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok()?,
        Some(Value::Number(n)) => n.as_f64()?,
        Some(_) => return None,
    };
    (n.is_finite() && n >= 0.0).then_some(n)
}

/// The object under `key` in a JSON body, or Rails' 400 for a missing root key.
pub fn root(body: &[u8], key: &str) -> Result<Map<String, Value>, Reply> {
    let missing = || {
        bad_request(&format!(
            "param is missing or the value is empty or invalid: {key}"
        ))
    };
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut root)) => match root.remove(key) {
            Some(Value::Object(map)) if !map.is_empty() => Ok(map),
            _ => Err(missing()),
        },
        _ => Err(missing()),
    }
}

/// Whether `value` is a metadata object (string or null values), or null.
fn is_metadata(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(map) => map.values().all(|v| v.is_string() || v.is_null()),
        _ => false,
    }
}

/// What a new wallet is made of, once checked.
struct NewWallet<'a> {
    lago_id: &'a str,
    code: &'a str,
    name: Value,
    currency: &'a str,
    /// Price of one credit, in the currency.
    rate: f64,
    credits: f64,
}

/// A new `WalletObject` of `customer`.
fn wallet_json(customer: &Map<String, Value>, new: NewWallet, created: i64) -> Map<String, Value> {
    let NewWallet {
        lago_id,
        code,
        name,
        currency,
        rate,
        credits,
    } = new;
    let cents = (credits * rate * 100.0).round() as i64;
    let Value::Object(map) = json!({
        "lago_id": lago_id,
        "lago_customer_id": field(customer, "lago_id"),
        "external_customer_id": field(customer, "external_id"),
        "billing_entity_code": field(customer, "billing_entity_code"),
        "status": "active",
        "currency": currency,
        "name": name,
        "code": code,
        "priority": 50,
        "rate_amount": decimal(rate),
        "credits_balance": decimal(credits),
        // Required by the spec without a definition: the balance in currency units.
        "balance": decimal(credits * rate),
        "balance_cents": cents,
        "consumed_credits": "0.0",
        "created_at": rfc3339(created),
        "expiration_at": null,
        "last_balance_sync_at": null,
        "last_consumed_credit_at": null,
        "terminated_at": null,
        "invoice_requires_successful_payment": false,
        "applies_to": {"fee_types": [], "billable_metric_codes": []},
        "recurring_transaction_rules": [],
        "ongoing_balance_cents": cents,
        "ongoing_usage_balance_cents": 0,
        "credits_ongoing_balance": decimal(credits),
        "credits_ongoing_usage_balance": "0.0",
        "paid_top_up_min_amount_cents": null,
        "paid_top_up_max_amount_cents": null,
        "applied_invoice_custom_sections": [],
        "purchase_order_number": null,
        "metadata": null,
    }) else {
        return Map::new();
    };
    map
}

/// Fields an update (or a create, after the required ones) may set, checked.
fn apply_optional(
    target: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> Result<(), Map<String, Value>> {
    let mut errors = Map::new();
    let mut set = |key: &str, ok: bool| {
        if let Some(value) = input.get(key) {
            if ok {
                target.insert(key.to_string(), value.clone());
            } else {
                errors.insert(key.to_string(), json!(["value_is_invalid"]));
            }
        }
    };
    let get = |key: &str| input.get(key).unwrap_or(&Value::Null);
    set("name", get("name").is_string() || get("name").is_null());
    set(
        "priority",
        get("priority")
            .as_i64()
            .is_some_and(|p| (1..=50).contains(&p)),
    );
    set(
        "expiration_at",
        get("expiration_at").is_null()
            || get("expiration_at")
                .as_str()
                .is_some_and(|t| crate::util::parse_rfc3339(t).is_some()),
    );
    set(
        "invoice_requires_successful_payment",
        get("invoice_requires_successful_payment").is_boolean(),
    );
    set(
        "purchase_order_number",
        get("purchase_order_number").is_string() || get("purchase_order_number").is_null(),
    );
    set("metadata", is_metadata(get("metadata")));
    for key in [
        "paid_top_up_min_amount_cents",
        "paid_top_up_max_amount_cents",
    ] {
        set(key, get(key).is_null() || get(key).as_u64().is_some());
    }
    if let Some(applies) = input.get("applies_to") {
        let fee_types = ["charge", "subscription", "commitment"];
        let strings = |v: &Value, ok: &dyn Fn(&str) -> bool| {
            v.is_null()
                || v.as_array()
                    .is_some_and(|a| a.iter().all(|x| x.as_str().is_some_and(ok)))
        };
        let ok = applies.is_null()
            || applies.as_object().is_some_and(|a| {
                strings(a.get("fee_types").unwrap_or(&Value::Null), &|t| {
                    fee_types.contains(&t)
                }) && strings(
                    a.get("billable_metric_codes").unwrap_or(&Value::Null),
                    &|_| true,
                )
            });
        if ok {
            let list = |k: &str| applies.get(k).filter(|v| v.is_array()).cloned();
            target.insert(
                "applies_to".into(),
                json!({"fee_types": list("fee_types").unwrap_or_else(|| json!([])),
                       "billable_metric_codes": list("billable_metric_codes").unwrap_or_else(|| json!([]))}),
            );
        } else {
            errors.insert("applies_to".into(), json!(["value_is_invalid"]));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Runs a wallet operation of customer `id`.
pub fn execute(
    store: &mut Store,
    id: &str,
    op: &WalletOp,
    query: &Query,
    body: &[u8],
    now: i64,
) -> Reply {
    // Only creations take an id from the store's counter (reads must not move it).
    let creates = matches!(
        op,
        WalletOp::Create | WalletOp::Alerts(_, wallet_alerts::AlertOp::Create)
    );
    let fresh_id = if creates {
        store.new_uuid()
    } else {
        String::new()
    };
    let Some(customer) = store.find_mut(id) else {
        return not_found("customer_not_found");
    };
    let wallets = &mut customer.wallets;
    let position = |wallets: &[Wallet], code: &str| wallets.iter().position(|w| w.code() == code);
    match op {
        WalletOp::Create => {
            let input = match root(body, "wallet") {
                Ok(input) => input,
                Err(reply) => return reply,
            };
            create(&customer.json, wallets, &input, fresh_id, now)
        }
        WalletOp::List => {
            let codes = query.all("billing_entity_codes");
            let items: Vec<Value> = wallets
                .iter()
                .filter(|w| {
                    codes.is_empty()
                        || codes
                            .contains(&field(&w.json, "billing_entity_code").as_str().unwrap_or(""))
                })
                .map(|w| Value::Object(w.json.clone()))
                .collect();
            let (page, meta) = paginate(&items, query);
            (StatusCode::OK, json!({"wallets": page, "meta": meta}))
        }
        WalletOp::Get(code)
        | WalletOp::Update(code)
        | WalletOp::Delete(code)
        | WalletOp::ReplaceMetadata(code)
        | WalletOp::MergeMetadata(code)
        | WalletOp::DeleteMetadata(code)
        | WalletOp::DeleteMetadataKey(code, _)
        | WalletOp::Alerts(code, _) => {
            let Some(index) = position(wallets, code) else {
                return not_found("wallet_not_found");
            };
            if let WalletOp::Delete(_) = op {
                let mut wallet = wallets.remove(index);
                wallet.json.insert("status".into(), json!("terminated"));
                wallet
                    .json
                    .insert("terminated_at".into(), json!(rfc3339(now)));
                return (StatusCode::OK, json!({"wallet": wallet.json}));
            }
            if let WalletOp::Update(_) = op {
                return update(wallets, index, body);
            }
            let Some(wallet) = wallets.get_mut(index) else {
                return not_found("wallet_not_found");
            };
            match op {
                WalletOp::Alerts(_, alert_op) => {
                    wallet_alerts::execute(wallet, alert_op, query, body, fresh_id, now)
                }
                WalletOp::Get(_) => (StatusCode::OK, json!({"wallet": wallet.json})),
                _ => metadata(wallet, op, body),
            }
        }
    }
}

fn create(
    customer: &Map<String, Value>,
    wallets: &mut Vec<Wallet>,
    input: &Map<String, Value>,
    lago_id: String,
    now: i64,
) -> Reply {
    let mut errors = Map::new();
    let mut fail = |key: &str, code: &str| {
        errors.insert(key.to_string(), json!([code]));
    };
    let rate = amount(input.get("rate_amount"), -1.0).filter(|r| *r > 0.0);
    if rate.is_none() {
        fail("rate_amount", "value_is_mandatory");
    }
    let currency = input.get("currency").and_then(Value::as_str).unwrap_or("");
    let customer_currency = field(customer, "currency").as_str();
    if !is_currency(currency) {
        fail("currency", "value_is_invalid");
    } else if customer_currency.is_some_and(|c| c != currency) {
        fail("currency", "currencies_does_not_match");
    }
    let paid = amount(input.get("paid_credits"), 0.0);
    let granted = amount(input.get("granted_credits"), 0.0);
    if paid.is_none() {
        fail("paid_credits", "value_is_invalid");
    }
    if granted.is_none() {
        fail("granted_credits", "value_is_invalid");
    }
    let name = input.get("name").cloned().unwrap_or(Value::Null);
    let taken = |code: &str| wallets.iter().any(|w| w.code() == code);
    let code = match input.get("code") {
        Some(Value::String(c)) if !c.trim().is_empty() => {
            if taken(c) {
                fail("code", "value_already_exist");
            }
            c.clone()
        }
        // Lago makes a code from the name and, when it is taken, adds `_<timestamp>`: a wallet
        // created without a code is never refused as a duplicate (REALITY.md section 6,
        // app/services/wallets/create_service.rb L24-31).
        None | Some(Value::Null) => {
            let code = format!("wallet_{}", wallets.len() + 1);
            if taken(&code) {
                format!("{code}_{now}")
            } else {
                code
            }
        }
        Some(_) => {
            fail("code", "value_is_invalid");
            String::new()
        }
    };
    let credits = paid.unwrap_or(0.0) + granted.unwrap_or(0.0);
    let new = NewWallet {
        lago_id: &lago_id,
        code: &code,
        name,
        currency,
        rate: rate.unwrap_or(1.0),
        credits,
    };
    let mut json = wallet_json(customer, new, now);
    if let Err(more) = apply_optional(&mut json, input) {
        errors.extend(more);
    }
    if !errors.is_empty() {
        return unprocessable(Value::Object(errors));
    }
    wallets.push(Wallet {
        json: json.clone(),
        alerts: Vec::new(),
    });
    (StatusCode::OK, json!({ "wallet": json }))
}

fn update(wallets: &mut [Wallet], index: usize, body: &[u8]) -> Reply {
    let input = match root(body, "wallet") {
        Ok(input) => input,
        Err(reply) => return reply,
    };
    let code = match input.get("code") {
        None | Some(Value::Null) => None,
        Some(Value::String(c)) if !c.trim().is_empty() => Some(c.clone()),
        Some(_) => return invalid("code", "value_is_invalid"),
    };
    let taken = |c: &str| {
        wallets
            .iter()
            .enumerate()
            .any(|(i, w)| i != index && w.code() == c)
    };
    if code.as_deref().is_some_and(taken) {
        return invalid("code", "value_already_exist");
    }
    let Some(wallet) = wallets.get_mut(index) else {
        return not_found("wallet_not_found");
    };
    let mut json = wallet.json.clone();
    if let Err(errors) = apply_optional(&mut json, &input) {
        return unprocessable(Value::Object(errors));
    }
    if let Some(code) = code {
        json.insert("code".into(), json!(code));
        for alert in &mut wallet.alerts {
            alert["wallet_code"] = json!(code);
        }
    }
    wallet.json = json;
    (StatusCode::OK, json!({"wallet": wallet.json}))
}

/// The four metadata operations; each answers `{"metadata": ...}` as it now is.
fn metadata(wallet: &mut Wallet, op: &WalletOp, body: &[u8]) -> Reply {
    let current = wallet.json.get("metadata").cloned().unwrap_or(Value::Null);
    let next = match op {
        WalletOp::ReplaceMetadata(_) | WalletOp::MergeMetadata(_) => {
            let given = match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(mut root)) => root.remove("metadata"),
                _ => None,
            };
            let Some(given) = given else {
                return bad_request("param is missing or the value is empty or invalid: metadata");
            };
            if !is_metadata(&given) {
                return invalid("metadata", "value_is_invalid");
            }
            match (op, current, given) {
                (WalletOp::MergeMetadata(_), Value::Object(mut old), Value::Object(new)) => {
                    old.extend(new);
                    Value::Object(old)
                }
                (WalletOp::MergeMetadata(_), old, Value::Null) => old,
                (_, _, given) => given,
            }
        }
        WalletOp::DeleteMetadataKey(_, key) => match current {
            Value::Object(mut map) => {
                map.remove(key);
                Value::Object(map)
            }
            other => other,
        },
        _ => Value::Null,
    };
    wallet.json.insert("metadata".into(), next.clone());
    (StatusCode::OK, json!({ "metadata": next }))
}

/// The wallets a seeded customer starts with: `prepaid` (100 paid + 20 granted credits at 1.0)
/// for every customer with a currency, and `promo` (50 granted) for every third one.
pub fn seeded(customer: &Map<String, Value>, index: usize, created: i64) -> Vec<Wallet> {
    let Some(currency) = field(customer, "currency").as_str() else {
        return Vec::new();
    };
    let external_id = field(customer, "external_id").as_str().unwrap_or_default();
    let seed = crate::util::hash_str(external_id);
    let prepaid_id = uuid_from(seed ^ 0x3A11);
    let new = NewWallet {
        lago_id: &prepaid_id,
        code: "prepaid",
        name: json!("Prepaid credits"),
        currency,
        rate: 1.0,
        credits: 120.0,
    };
    let mut prepaid = wallet_json(customer, new, created);
    prepaid.insert(
        "metadata".into(),
        json!({"cost_center": format!("CC-{}", 100 + index)}),
    );
    let mut wallets = vec![Wallet {
        alerts: vec![wallet_alerts::seeded(&prepaid, created)],
        json: prepaid,
    }];
    if index.is_multiple_of(3) {
        let promo_id = uuid_from(seed ^ 0x3A12);
        let new = NewWallet {
            lago_id: &promo_id,
            code: "promo",
            name: json!("Promotional credits"),
            currency,
            rate: 1.0,
            credits: 50.0,
        };
        let mut promo = wallet_json(customer, new, created);
        promo.insert("priority".into(), json!(10));
        wallets.push(Wallet {
            json: promo,
            alerts: Vec::new(),
        });
    }
    wallets
}
