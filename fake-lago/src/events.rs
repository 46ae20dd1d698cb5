//! Usage events, `POST /events` and `POST /events/batch`, as lago-api handles them
//! (`app/services/events/create_batch_service.rb`, `create_service.rb`, `app/models/event.rb`;
//! REALITY.md section 7): `transaction_id` and `code` are mandatory, a `timestamp` is Unix
//! seconds (a number or a numeric string, fractions allowed; absent = now), a batch holds 1 to
//! 100 events, and one bad or duplicate event refuses the whole batch (nothing is stored) with
//! its errors under the event's index. Duplicates are per subscription: the same
//! `transaction_id` again for the same `external_subscription_id`, stored before or earlier in
//! the batch. An event of a known subscription moves its current usage: the charge of the
//! metric `code` gains the event's units (its first numeric property, else 1) and one event.

use std::collections::HashSet;

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use crate::store::Store;
use crate::util::{rfc3339, unprocessable, Reply};

/// `LAGO_EVENTS_BATCH_MAX_LENGTH`'s default.
pub const MAX_BATCH: usize = 100;

/// What the events routes remember: the keys seen, for duplicates.
#[derive(Clone, Debug, Default)]
pub struct Events {
    /// `(external_subscription_id, transaction_id)` of every stored event.
    keys: HashSet<(String, String)>,
    /// How many were stored.
    pub stored: u64,
}

/// `POST /events`: `{event: {...}}`.
pub fn create(store: &mut Store, body: &[u8], now: f64) -> Reply {
    let body = serde_json::from_slice::<Value>(body).unwrap_or_default();
    let Some(event) = body.get("event").and_then(Value::as_object) else {
        return unprocessable(json!({"event": ["value_is_mandatory"]}));
    };
    match store_all(store, std::slice::from_ref(event), now) {
        Ok(mut done) => (StatusCode::OK, json!({ "event": done.remove(0) })),
        Err(mut errors) => {
            let details = errors.remove("0").unwrap_or_else(|| json!({}));
            unprocessable(details)
        }
    }
}

/// `POST /events/batch`: `{events: [...]}`.
pub fn create_batch(store: &mut Store, body: &[u8], now: f64) -> Reply {
    let body = serde_json::from_slice::<Value>(body).unwrap_or_default();
    let events = body.get("events").and_then(Value::as_array);
    let events: Vec<Map<String, Value>> = match events {
        None => return unprocessable(json!({"events": ["no_events"]})),
        Some(list) if list.is_empty() => return unprocessable(json!({"events": ["no_events"]})),
        Some(list) if list.len() > MAX_BATCH => {
            return unprocessable(json!({"events": ["too_many_events"]}))
        }
        Some(list) => list
            .iter()
            .map(|e| e.as_object().cloned().unwrap_or_default())
            .collect(),
    };
    match store_all(store, &events, now) {
        Ok(done) => (StatusCode::OK, json!({ "events": done })),
        Err(errors) => unprocessable(Value::Object(errors)),
    }
}

/// Validates every event, then stores them all, or none with each refused one's errors under
/// its index.
fn store_all(
    store: &mut Store,
    events: &[Map<String, Value>],
    now: f64,
) -> Result<Vec<Value>, Map<String, Value>> {
    let mut errors = Map::new();
    let mut seen = HashSet::new();
    let mut checked = Vec::with_capacity(events.len());
    for (index, event) in events.iter().enumerate() {
        let mut problems = Map::new();
        let text = |key: &str| event.get(key).and_then(Value::as_str).unwrap_or("");
        let (transaction_id, code) = (text("transaction_id"), text("code"));
        let subscription = text("external_subscription_id");
        if transaction_id.trim().is_empty() {
            problems.insert("transaction_id".into(), json!(["value_is_mandatory"]));
        }
        if code.trim().is_empty() {
            problems.insert("code".into(), json!(["value_is_mandatory"]));
        }
        let timestamp = match event.get("timestamp") {
            None | Some(Value::Null) => Some(now),
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok().filter(|t| t.is_finite()),
            Some(_) => None,
        };
        if timestamp.is_none() {
            problems.insert("timestamp".into(), json!(["invalid_format"]));
        }
        let key = (subscription.to_string(), transaction_id.to_string());
        if problems.is_empty() && (store.events.keys.contains(&key) || !seen.insert(key.clone())) {
            problems.insert("transaction_id".into(), json!(["value_already_exist"]));
        }
        if problems.is_empty() {
            checked.push((key, event, timestamp.unwrap_or(now)));
        } else {
            errors.insert(index.to_string(), Value::Object(problems));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(checked
        .into_iter()
        .map(|(key, event, timestamp)| record(store, key, event, timestamp, now))
        .collect())
}

/// Stores one checked event: its key, and its units on its subscription's usage.
fn record(
    store: &mut Store,
    key: (String, String),
    event: &Map<String, Value>,
    timestamp: f64,
    now: f64,
) -> Value {
    let code = event.get("code").and_then(Value::as_str).unwrap_or("");
    let properties = event
        .get("properties")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    let units = properties
        .as_object()
        .and_then(|p| p.values().find_map(number))
        .unwrap_or(1.0);
    let lago_id = store.new_uuid();
    for customer in &mut store.customers {
        let subs = customer.subscriptions.iter_mut();
        if let Some(sub) = subs.into_iter().find(|s| s.external_id == key.0) {
            sub.add_event(code, units);
        }
    }
    store.events.keys.insert(key.clone());
    store.events.stored += 1;
    let created = json!({
        "lago_id": lago_id,
        "transaction_id": key.1,
        // Lago links an event to its customer and subscription after answering (a post-process
        // job): its answer always has null here (the spec's EventCreated says so too).
        "lago_customer_id": Value::Null,
        "code": code,
        "timestamp": iso8601_ms(timestamp),
        "precise_total_amount_cents": event.get("precise_total_amount_cents").cloned().unwrap_or(Value::Null),
        "properties": properties,
        "lago_subscription_id": Value::Null,
        "external_subscription_id": key.0,
        "created_at": rfc3339(now as i64),
    });
    crate::flow::remember_event(store, &created, now as i64);
    created
}

/// A property's value as a number, when it is one (or a numeric string).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

/// `2026-12-06T01:02:03.456Z`, as Rails' `iso8601(3)` writes it.
fn iso8601_ms(secs: f64) -> String {
    let whole = secs.floor();
    let ms = ((secs - whole) * 1000.0).round().min(999.0) as u32;
    let text = rfc3339(whole as i64);
    format!("{}.{ms:03}Z", text.trim_end_matches('Z'))
}
