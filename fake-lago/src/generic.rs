//! The generic, spec-driven store: every operation the fake does not serve by hand is served
//! from its row in `spec_routes.rs` (generated from Lago's spec). Items are kept as the JSON
//! objects they are answered as, per concrete collection path (`/plans/p1/charges`): creates
//! build them from the spec's skeleton plus the body's matching scalar fields, lists page them
//! like Kaminari, finds/updates/deletes answer Lago's 404 `<resource>_not_found`, and a code
//! taken in its collection is Lago's 422 `value_already_exist`. The billing flow that needs
//! more than that (subscriptions, wallet transactions, ...) hooks in through `flow.rs`.

use crate::query::{paginate, Query};
use crate::spec_routes::{Kind, Shape, SpecOp, SPEC_OPS};
use crate::store::Store;
use crate::util::{bad_request, invalid, not_found, parse_rfc3339, rfc3339, Reply};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// What the generic operations remember.
#[derive(Clone, Debug, Default)]
pub struct Items {
    /// Items per concrete collection path, oldest first.
    collections: HashMap<String, Vec<Value>>,
    /// Metadata per concrete item path.
    metadata: HashMap<String, Map<String, Value>>,
    /// What a write to a one-of-a-kind resource (the organization, a lifetime usage) left.
    singletons: HashMap<String, Value>,
}

/// An operation of the spec, matched against a request path.
#[derive(Debug)]
pub struct Matched {
    pub op: &'static SpecOp,
    /// The decoded path parameters, by name.
    pub params: Vec<(&'static str, String)>,
}

/// Fields an item is looked up by (whichever its path parameter names).
const ID_FIELDS: [&str; 6] = [
    "code",
    "lago_id",
    "external_id",
    "transaction_id",
    "request_id",
    "activity_id",
];

/// A path template's segments (`/plans/{code}` -> `plans`, `{code}`).
fn segments_of(template: &str) -> Vec<&str> {
    template.split('/').filter(|s| !s.is_empty()).collect()
}

/// The spec operation `method` + decoded `segs` names: the one with the most literal segments
/// (`/events/batch` before `/events/{transaction_id}`).
pub fn match_op(method: &str, segs: &[String]) -> Option<Matched> {
    SPEC_OPS
        .iter()
        .filter(|op| op.method == method)
        .filter_map(|op| {
            let template = segments_of(op.path);
            if template.len() != segs.len() {
                return None;
            }
            let mut params = Vec::new();
            for (t, s) in template.iter().zip(segs) {
                match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    Some(name) => params.push((name, s.clone())),
                    None if t == s => {}
                    None => return None,
                }
            }
            Some((template.len() - params.len(), Matched { op, params }))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, m)| m)
}

impl Matched {
    /// `template` (a prefix of the operation's path) with this request's values, each encoded
    /// so that an id holding `/` stays one segment of the key.
    pub fn concrete(&self, template: &str) -> String {
        let mut out = String::new();
        for seg in segments_of(template) {
            out.push('/');
            let name = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
            match name.and_then(|n| self.params.iter().find(|(p, _)| *p == n)) {
                Some((_, value)) => out.push_str(&value.replace('%', "%25").replace('/', "%2F")),
                None => out.push_str(seg),
            }
        }
        out
    }

    /// The value of path parameter `name` ("" when absent).
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(p, _)| *p == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The collection path and id of an item path (`/plans/p1` -> (`/plans`, `p1`)).
fn split_item(item: &str) -> (&str, String) {
    let (collection, id) = item.rsplit_once('/').unwrap_or(("", item));
    (
        collection,
        id.replace("%2F", "/").replace("%25", "%").to_string(),
    )
}

fn has_id(item: &Value, id: &str) -> bool {
    ID_FIELDS.iter().any(|f| item[*f].as_str() == Some(id))
}

/// The find operation of items at `template`, which names their resource.
fn owner_op(template: &str) -> Option<&'static SpecOp> {
    SPEC_OPS
        .iter()
        .filter(|o| o.path == template && o.shape == Shape::Object && o.root != "metadata")
        .min_by_key(|o| o.kind != Kind::Find)
}

/// Lago's resource name in `<resource>_not_found`.
fn resource(root: &str) -> &str {
    match root {
        "filter" => "charge_filter",
        other => other,
    }
}

/// Whether a collection is only ever read (no operation creates its items), so the fake
/// shows one item the spec describes, as a real account would have.
fn read_only(collection_template: &str) -> bool {
    !SPEC_OPS
        .iter()
        .any(|o| o.kind == Kind::Create && o.at == collection_template)
}

impl Items {
    pub fn collection(&self, key: &str) -> &[Value] {
        self.collections.get(key).map_or(&[], Vec::as_slice)
    }

    pub fn collection_mut(&mut self, key: &str) -> &mut Vec<Value> {
        self.collections.entry(key.to_string()).or_default()
    }

    /// The item at a concrete item path.
    pub fn item(&self, item: &str) -> Option<&Value> {
        let (collection, id) = split_item(item);
        self.collection(collection).iter().find(|i| has_id(i, &id))
    }

    pub fn item_mut(&mut self, item: &str) -> Option<&mut Value> {
        let (collection, id) = split_item(item);
        self.collections
            .get_mut(collection)?
            .iter_mut()
            .find(|i| has_id(i, &id))
    }

    /// Every item of every collection whose path ends in `/<tail>` (`invoices`: all invoices).
    pub fn all_in(&self, tail: &str) -> Vec<&Value> {
        let suffix = format!("/{tail}");
        let mut keys: Vec<&String> = self
            .collections
            .keys()
            .filter(|k| k.ends_with(&suffix))
            .collect();
        keys.sort();
        keys.into_iter()
            .flat_map(|k| self.collections[k].iter())
            .collect()
    }
}

/// The request body's root object (`{"plan": {...}}`), or Lago's 400 when it is missing.
pub fn body_root(body: &[u8], root: &str) -> Result<Map<String, Value>, Reply> {
    let missing = || bad_request(&format!("param is missing or the value is empty: {root}"));
    let parsed: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|_| missing())?
    };
    if root.is_empty() {
        return Ok(parsed.as_object().cloned().unwrap_or_default());
    }
    match parsed.get(root) {
        Some(Value::Object(input)) => Ok(input.clone()),
        _ => Err(missing()),
    }
}

/// Copies the body's fields whose values the answer's schema allows (`fields`: `name:kinds`
/// words, see tools/gen-fake-routes.mjs).
pub fn copy_fields(item: &mut Value, input: &Map<String, Value>, fields: &str) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for word in fields.split(' ') {
        let Some((name, kinds)) = word.split_once(':') else {
            continue;
        };
        let Some(value) = input.get(name) else {
            continue;
        };
        // `kinds`: flags (`s`, `t`, `i`, `f`, `b`, `n`, `o`), then `e=a|b` for an enum.
        let (flags, values) = kinds.split_once("e=").unwrap_or((kinds, ""));
        let fits = match value {
            Value::Null => flags.contains('n'),
            Value::Bool(_) => flags.contains('b'),
            Value::Number(n) => {
                (flags.contains('i') && (n.is_i64() || n.is_u64())) || flags.contains('f')
            }
            Value::String(s) if !values.is_empty() => listed(values).split('|').any(|v| v == s),
            Value::String(s) => {
                flags.contains('s') || (flags.contains('t') && parse_rfc3339(s).is_some())
            }
            Value::Object(_) => flags.contains('o'),
            _ => false,
        };
        if fits {
            item.insert(name.to_string(), value.clone());
        } else if let Some(number) = value.as_str().and_then(|s| cast(s, flags)) {
            // Rails casts a numeric string for a numeric column (a tax's `rate: "5.5"`).
            item.insert(name.to_string(), number);
        }
    }
}

/// An enum's values: its own (`a|b`), or the spec's list it names (`@currency`).
fn listed(values: &str) -> String {
    use crate::spec_values::{COUNTRY, CURRENCY, TIMEZONE};
    match values {
        "@currency" => CURRENCY.replace(' ', "|"),
        "@country" => COUNTRY.replace(' ', "|"),
        "@timezone" => TIMEZONE.replace(' ', "|"),
        own => own.to_string(),
    }
}

/// A numeric string as the number a field of `flags` holds.
fn cast(text: &str, flags: &str) -> Option<Value> {
    let text = text.trim();
    if flags.contains('i') {
        if let Ok(n) = text.parse::<i64>() {
            return Some(json!(n));
        }
    }
    if flags.contains('f') {
        return text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| json!(f));
    }
    None
}

/// A new item of `op`'s answer: its skeleton with fresh ids and times.
pub fn fresh_item(store: &mut Store, op: &SpecOp, now: i64) -> Value {
    let mut item: Value = serde_json::from_str(op.skeleton).unwrap_or_else(|_| json!({}));
    if let Some(map) = item.as_object_mut() {
        if map.contains_key("lago_id") {
            map.insert("lago_id".into(), json!(store.new_uuid()));
        }
        for key in ["created_at", "updated_at"] {
            if map.contains_key(key) {
                map.insert(key.into(), json!(rfc3339(now)));
            }
        }
    }
    item
}

/// 404 unless every item the path passes through exists (`/plans/{code}/charges` needs the
/// plan). Customers live in the hand-made store.
fn check_parents(store: &Store, m: &Matched, upto: &str, now: i64) -> Result<(), Reply> {
    let segs = segments_of(upto);
    for n in 1..=segs.len() {
        if !segs[n - 1].starts_with('{') {
            continue;
        }
        let template = format!("/{}", segs[..n].join("/"));
        let concrete = m.concrete(&template);
        if template == "/customers/{external_customer_id}" {
            let (_, id) = split_item(&concrete);
            if store.find(&id).is_none() {
                return Err(not_found("customer_not_found"));
            }
            continue;
        }
        let Some(owner) = owner_op(&template) else {
            continue;
        };
        if crate::flow::find_item(store, &concrete, owner, m, now).is_none() {
            return Err(not_found(&format!("{}_not_found", resource(owner.root))));
        }
    }
    Ok(())
}

/// Wraps `object` as `op` answers it.
fn answer(op: &SpecOp, object: Value) -> Reply {
    (StatusCode::OK, json!({ op.root: object }))
}

/// Runs a generic operation.
pub fn execute(store: &mut Store, m: &Matched, query: &Query, body: &[u8], now: i64) -> Reply {
    let op = m.op;
    let at = m.concrete(op.at);
    let item_kind = matches!(
        op.kind,
        Kind::Find
            | Kind::Update
            | Kind::Delete
            | Kind::Action
            | Kind::MetaReplace
            | Kind::MetaMerge
            | Kind::MetaClear
            | Kind::MetaDeleteKey
    );
    // An item's own existence is checked below, with its own 404.
    let parents = if item_kind {
        op.at.rsplit_once('/').map_or("", |(p, _)| p)
    } else {
        op.at
    };
    if let Err(reply) = check_parents(store, m, parents, now) {
        return reply;
    }
    // Writes of a resource need its root key (Rails' `params.require`); the options of an
    // action (`retry_payment`'s `payment_method`) may be left out.
    let required = matches!(op.kind, Kind::Create | Kind::Update)
        || op.kind == Kind::Static && op.body == op.root;
    let input = match body_root(body, op.body) {
        _ if op.body.is_empty() => body_root(body, "").unwrap_or_default(),
        Ok(input) => input,
        Err(reply) if required => return reply,
        Err(_) => Map::new(),
    };
    if let Some(reply) = crate::flow::before(store, m, &input, query, body, now) {
        return reply;
    }
    match op.kind {
        Kind::Create => create(store, m, &at, &input, now),
        Kind::List => list(store, m, &at, query, now),
        Kind::Clear => {
            store.generic.collections.remove(&at);
            (StatusCode::OK, Value::Null)
        }
        Kind::Find | Kind::Update | Kind::Delete | Kind::Action => {
            item_op(store, m, &at, &input, now)
        }
        Kind::MetaReplace | Kind::MetaMerge | Kind::MetaClear | Kind::MetaDeleteKey => {
            metadata(store, m, &at, body, now)
        }
        Kind::Static => static_answer(store, m, &input, now),
    }
}

fn create(store: &mut Store, m: &Matched, at: &str, input: &Map<String, Value>, now: i64) -> Reply {
    let op = m.op;
    // Lago's uniqueness keys (REALITY.md section 6, "keyed").
    let key = if op.root == "webhook_endpoint" {
        "webhook_url"
    } else {
        "code"
    };
    if let Some(code) = input.get(key).and_then(Value::as_str) {
        let taken = store
            .generic
            .collection(at)
            .iter()
            .any(|i| i[key].as_str() == Some(code));
        if taken {
            return invalid(key, "value_already_exist");
        }
    }
    let mut item = fresh_item(store, op, now);
    copy_fields(&mut item, input, op.fields);
    if let Err(reply) = crate::flow::after_create(store, m, &mut item, input, now) {
        return reply;
    }
    store.generic.collection_mut(at).push(item.clone());
    answer(op, item)
}

fn list(store: &mut Store, m: &Matched, at: &str, query: &Query, now: i64) -> Reply {
    let op = m.op;
    if read_only(op.at) && store.generic.collection(at).is_empty() {
        let mut item = fresh_item(store, op, now);
        if let Some(found) = SPEC_OPS
            .iter()
            .find(|o| o.kind == Kind::Find && o.at.rsplit_once('/').map(|(c, _)| c) == Some(op.at))
        {
            item = fresh_item(store, found, now);
            // Found by `lago_id` even where the spec does not require one (a fee).
            if found.at.ends_with("{lago_id}") && item.get("lago_id").is_none() {
                item["lago_id"] = json!(store.new_uuid());
            }
        }
        store.generic.collection_mut(at).push(item);
    }
    let items = crate::flow::list_items(store, m, at, query, now);
    // Plain equality filters on the items' own string fields (`external_customer_id=...`).
    let kept: Vec<Value> = items
        .into_iter()
        .rev()
        .filter(|item| {
            query.0.iter().all(|(k, v)| match item.get(k) {
                Some(Value::String(s)) => s == v,
                _ => true,
            })
        })
        .collect();
    if op.shape == Shape::Page {
        let (page, meta) = paginate(&kept, query);
        (StatusCode::OK, json!({ op.root: page, "meta": meta }))
    } else {
        (StatusCode::OK, json!({ op.root: kept }))
    }
}

fn item_op(
    store: &mut Store,
    m: &Matched,
    at: &str,
    input: &Map<String, Value>,
    now: i64,
) -> Reply {
    let op = m.op;
    let Some(owner) = owner_op(op.at) else {
        return not_found("resource_not_found");
    };
    let missing = || not_found(&format!("{}_not_found", resource(owner.root)));
    match op.kind {
        Kind::Delete => {
            let (collection, id) = split_item(at);
            let items = store.generic.collection_mut(collection);
            match items.iter().position(|i| has_id(i, &id)) {
                Some(index) => answer(op, items.remove(index)),
                None => match crate::flow::find_item(store, at, owner, m, now) {
                    // Known only to the hand-made store: answered, nothing to remove here.
                    Some(item) => answer(op, item),
                    None => missing(),
                },
            }
        }
        Kind::Update => {
            if store.generic.item(at).is_none() {
                // Known elsewhere (a plan's charge seen from a subscription): the update
                // makes this path its own copy, as an override does.
                let Some(seen) = crate::flow::find_item(store, at, owner, m, now) else {
                    return missing();
                };
                let (collection, _) = split_item(at);
                store.generic.collection_mut(collection).push(seen);
            }
            let fields = op.fields;
            if let Some(item) = store.generic.item_mut(at) {
                copy_fields(item, input, fields);
                if item.get("updated_at").is_some() {
                    item["updated_at"] = json!(rfc3339(now));
                }
            }
            match store.generic.item(at) {
                Some(item) => answer(op, item.clone()),
                None => missing(),
            }
        }
        _ => {
            if let Err(reply) = crate::flow::action(store, m, at, now) {
                return reply;
            }
            match crate::flow::find_item(store, at, owner, m, now) {
                Some(item) => answer(op, item),
                None => missing(),
            }
        }
    }
}

fn metadata(store: &mut Store, m: &Matched, at: &str, body: &[u8], now: i64) -> Reply {
    let op = m.op;
    if let Some(owner) = owner_op(m.op.at) {
        if crate::flow::find_item(store, at, owner, m, now).is_none() {
            return not_found(&format!("{}_not_found", resource(owner.root)));
        }
    }
    let given = || -> Result<Map<String, Value>, Reply> {
        let parsed = body_root(body, "")?;
        match parsed.get("metadata") {
            Some(Value::Object(map)) => Ok(map.clone()),
            _ => Err(bad_request(
                "param is missing or the value is empty: metadata",
            )),
        }
    };
    let stored = store.generic.metadata.entry(at.to_string()).or_default();
    match op.kind {
        Kind::MetaReplace => match given() {
            Ok(map) => *stored = map,
            Err(reply) => return reply,
        },
        Kind::MetaMerge => match given() {
            Ok(map) => stored.extend(map),
            Err(reply) => return reply,
        },
        Kind::MetaClear => stored.clear(),
        _ => {
            stored.remove(m.param("key"));
        }
    }
    let value = if stored.is_empty() {
        Value::Null
    } else {
        Value::Object(stored.clone())
    };
    (StatusCode::OK, json!({ "metadata": value }))
}

/// Operations that store nothing of their own: estimates, analytics, keys; a write to a
/// one-of-a-kind resource keeps what it was given for the next read of the same path.
fn static_answer(store: &mut Store, m: &Matched, input: &Map<String, Value>, now: i64) -> Reply {
    let op = m.op;
    let key = m.concrete(op.path);
    let object = match store.generic.singletons.get(&key) {
        Some(kept) => kept.clone(),
        None => fresh_item(store, op, now),
    };
    match op.shape {
        Shape::Page => {
            let (_, meta) = paginate::<Value>(&[], &Query(Vec::new()));
            (StatusCode::OK, json!({ op.root: [], "meta": meta }))
        }
        Shape::List => (StatusCode::OK, json!({ op.root: [] })),
        Shape::Empty | Shape::Text => (StatusCode::OK, Value::Null),
        Shape::Object => {
            let mut object = object;
            if op.method != "GET" && !op.body.is_empty() {
                copy_fields(&mut object, input, op.fields);
                store.generic.singletons.insert(key, object.clone());
            }
            answer(op, object)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_and_its_own_path_routes_to_it() {
        for op in SPEC_OPS {
            assert!(
                serde_json::from_str::<Value>(op.skeleton).is_ok(),
                "{}: skeleton",
                op.id
            );
            let segs: Vec<String> = segments_of(op.path)
                .iter()
                .map(|s| if s.starts_with('{') { "x1" } else { s }.to_string())
                .collect();
            let found = match_op(op.method, &segs).map(|m| m.op.id);
            assert_eq!(found, Some(op.id), "{} {}", op.method, op.path);
        }
    }

    #[test]
    fn copy_fields_keeps_the_answer_valid() {
        let mut item = json!({"name": "a", "amount_cents": 1});
        let input = json!({
            "name": 3, "amount_cents": "250", "currency": "EUR", "interval": "hourly",
            "description": null, "extra": "x", "values": {"region": ["us-east-1"]}, "meta": [1]
        });
        let fields = "name:s amount_cents:i currency:e=@currency interval:e=monthly|yearly \
                      description:sn values:o meta:o";
        copy_fields(&mut item, input.as_object().unwrap_or(&Map::new()), fields);
        assert_eq!(
            item,
            json!({"name": "a", "amount_cents": 250, "currency": "EUR", "description": null,
                   "values": {"region": ["us-east-1"]}})
        );
    }
}
