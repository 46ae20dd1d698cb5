//! Native tests proving `lago_wasm::models` against Lago's official OpenAPI spec: every example
//! the spec documents, and a document with every property of every body, decodes into the
//! generated models with nothing unknown and re-encodes to exactly the same JSON. The spec is read
//! from `$LAGO_OPENAPI` (default: the shared copy next to the repo); without it these tests print
//! `SKIPPED` and pass. Real server bodies are the corpus test's job (`tests/corpus.rs`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use lago_wasm::models::{
    ApiError, AppliedCouponResponse, AppliedCouponsPaginated, CreateCustomerWalletAlert200Response,
    CreateCustomerWalletAlertRequest, CreditNotesPaginated, CustomerCreateInput, CustomerPastUsage,
    CustomerProjectedUsageResponse, CustomerResponse, CustomerUsageResponse,
    CustomerWalletCreateInput, CustomersPaginated, GenerateCustomerCheckoutURL200Response,
    GetCustomerPortalUrl200Response, InvoicesPaginated, PaymentRequestsPaginated,
    PaymentsPaginated, SpecDrift, SubscriptionsPaginated, WalletAlertResponse,
    WalletAlertUpdateInput, WalletAlerts, WalletMetadataResponse, WalletResponse,
    WalletUpdateInput, WalletsPaginated,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Operations the models cover: tagged `customers` (16) and the customer-wallet routes (15).
const CUSTOMERS_OPERATIONS: usize = 16;
const WALLET_OPERATIONS: usize = 15;
const WALLET_PATH: &str = "/customers/{external_customer_id}/wallets";

/// Guards against runaway recursion should the spec ever gain a recursive schema.
const MAX_DEPTH: usize = 40;

// ---------------------------------------------------------------------------------------------
// Loading the spec
// ---------------------------------------------------------------------------------------------

fn spec_path() -> PathBuf {
    std::env::var_os("LAGO_OPENAPI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/lago-openapi/openapi.yaml"
            ))
        })
}

/// The spec as JSON, or `None` (after a loud SKIPPED line) when the file is missing.
fn load_spec() -> Option<Spec> {
    let path = spec_path();
    if !path.is_file() {
        eprintln!(
            "SKIPPED: Lago spec not found at {} (set LAGO_OPENAPI)",
            path.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(&path).expect("read the Lago spec");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("parse the Lago spec");
    Some(Spec {
        root: yaml_to_json(yaml),
    })
}

/// Converts YAML to JSON by hand: keys such as `200` become strings, and scalars keep the type
/// the YAML gives them (serde_yaml 0.9 is YAML 1.2: `NO` unquoted would stay a string anyway,
/// and the spec quotes it; `ensure_enums_are_strings` double-checks).
fn yaml_to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

struct Spec {
    root: Value,
}

impl Spec {
    /// Follows a local `$ref` such as `#/components/schemas/Customer`.
    fn lookup(&self, reference: &str) -> &Value {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("non-local $ref {reference}"));
        self.root
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling $ref {reference}"))
    }

    /// Follows `$ref` chains until a node without `$ref`.
    fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..MAX_DEPTH {
            match node.get("$ref").and_then(Value::as_str) {
                Some(reference) => node = self.lookup(reference),
                None => return node,
            }
        }
        panic!("$ref chain too long")
    }

    /// The `application/json` media type of a response (resolving `components/responses`).
    fn json_media<'a>(&'a self, response: &'a Value) -> Option<&'a Value> {
        self.resolve(response)
            .get("content")
            .and_then(|c| c.get("application/json"))
    }
}

impl Spec {
    /// The operations in scope, as `(operationId, operation)`, in the spec's order.
    fn model_operations(&self) -> Vec<(String, &Value)> {
        let mut out = Vec::new();
        let Some(paths) = self.root["paths"].as_object() else {
            return out;
        };
        for (path, item) in paths {
            for op in item.as_object().into_iter().flat_map(|m| m.values()) {
                let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                let tagged = op["tags"]
                    .as_array()
                    .is_some_and(|tags| tags.contains(&json!("customers")));
                let wallet = path == WALLET_PATH || path.starts_with(&format!("{WALLET_PATH}/"));
                if tagged || wallet {
                    out.push((id.to_owned(), op));
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding and comparing
// ---------------------------------------------------------------------------------------------

/// Decodes `doc` into a model, then lists every problem: decode failure, drift (a field in an
/// `extra` map or an enum value in `Other`: the generated model lacks it), and any difference
/// after encoding again (the models are lossless, so the JSON must come back identical).
type Checker = fn(&str, &Value) -> Vec<String>;

fn check<T: DeserializeOwned + Serialize + SpecDrift>(label: &str, doc: &Value) -> Vec<String> {
    let model: T = match serde_json::from_value(doc.clone()) {
        Ok(model) => model,
        Err(err) => return vec![format!("{label}: does not decode: {err}")],
    };
    let mut problems: Vec<String> = model
        .drift()
        .iter()
        .map(|d| format!("{label}: {d}: the Rust model lacks it"))
        .collect();
    match serde_json::to_value(&model) {
        Ok(back) if back == *doc => {}
        Ok(back) => problems.push(format!("{label}: re-encodes as {back}, not {doc}")),
        Err(err) => problems.push(format!("{label}: does not re-encode: {err}")),
    }
    problems
}

/// The model of an operation's 2xx JSON body, if it has one.
fn response_checker(op_id: &str) -> Option<Checker> {
    let checker: Checker = match op_id {
        "createCustomer" | "findCustomer" | "destroyCustomer" => check::<CustomerResponse>,
        "findAllCustomers" => check::<CustomersPaginated>,
        "findAllCustomerAppliedCoupons" => check::<AppliedCouponsPaginated>,
        "deleteAppliedCoupon" => check::<AppliedCouponResponse>,
        "findAllCustomerCreditNotes" => check::<CreditNotesPaginated>,
        "findAllCustomerInvoices" => check::<InvoicesPaginated>,
        "findAllCustomerPayments" => check::<PaymentsPaginated>,
        "findAllCustomerPaymentRequests" => check::<PaymentRequestsPaginated>,
        "findAllCustomerSubscriptions" => check::<SubscriptionsPaginated>,
        "getCustomerPortalUrl" => check::<GetCustomerPortalUrl200Response>,
        "generateCustomerCheckoutURL" => check::<GenerateCustomerCheckoutURL200Response>,
        "findCustomerCurrentUsage" => check::<CustomerUsageResponse>,
        "findCustomerProjectedUsage" => check::<CustomerProjectedUsageResponse>,
        "findAllCustomerPastUsage" => check::<CustomerPastUsage>,
        "createCustomerWallet"
        | "updateCustomerWallet"
        | "findCustomerWallet"
        | "destroyCustomerWallet" => check::<WalletResponse>,
        "findAllCustomerWallets" => check::<WalletsPaginated>,
        "replaceCustomerWalletMetadata"
        | "mergeCustomerWalletMetadata"
        | "deleteAllCustomerWalletMetadata"
        | "deleteCustomerWalletMetadataKey" => check::<WalletMetadataResponse>,
        "getCustomerWalletAlerts" => check::<WalletAlerts>,
        "createCustomerWalletAlert" => check::<CreateCustomerWalletAlert200Response>,
        "getCustomerWalletAlert" | "updateCustomerWalletAlert" | "deleteCustomerWalletAlert" => {
            check::<WalletAlertResponse>
        }
        _ => return None,
    };
    Some(checker)
}

/// The model of an operation's JSON request body, if it has one.
fn request_checker(op_id: &str) -> Option<Checker> {
    let checker: Checker = match op_id {
        "createCustomer" => check::<CustomerCreateInput>,
        "createCustomerWallet" => check::<CustomerWalletCreateInput>,
        "updateCustomerWallet" => check::<WalletUpdateInput>,
        "replaceCustomerWalletMetadata" | "mergeCustomerWalletMetadata" => {
            check::<WalletMetadataResponse>
        }
        "createCustomerWalletAlert" => check::<CreateCustomerWalletAlertRequest>,
        "updateCustomerWalletAlert" => check::<WalletAlertUpdateInput>,
        _ => return None,
    };
    Some(checker)
}

/// Every JSON body of the operations in scope: (label, media type object, checker).
fn bodies(spec: &Spec) -> (Vec<(String, &Value, Checker)>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut seen_errors = BTreeSet::new();
    for (op_id, op) in spec.model_operations() {
        if let Some(media) = op
            .get("requestBody")
            .map(|b| spec.resolve(b))
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get("application/json"))
        {
            match request_checker(&op_id) {
                Some(checker) => out.push((format!("{op_id} request"), media, checker)),
                None => problems.push(format!("{op_id}: a request body with no model")),
            }
        }
        let responses = op["responses"].as_object().into_iter().flatten();
        for (status, response) in responses {
            let Some(media) = spec.json_media(response) else {
                continue;
            };
            if status.starts_with('2') {
                match response_checker(&op_id) {
                    Some(checker) => out.push((format!("{op_id} {status}"), media, checker)),
                    None => problems.push(format!("{op_id} {status}: a JSON answer with no model")),
                }
            } else {
                // Error bodies: each distinct shared response once.
                let key = response
                    .get("$ref")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{op_id} {status}"), str::to_owned);
                if seen_errors.insert(key.clone()) {
                    out.push((key, media, check::<ApiError>));
                }
            }
        }
    }
    (out, problems)
}

fn fail_if_any(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn scope_is_the_customers_tag_and_the_wallet_routes() {
    let Some(spec) = load_spec() else { return };
    let ops = spec.model_operations();
    let wallets = ops
        .iter()
        .filter(|(_, op)| {
            op["tags"]
                .as_array()
                .is_some_and(|tags| tags.contains(&json!("wallets")))
        })
        .count();
    assert_eq!(
        ops.len(),
        CUSTOMERS_OPERATIONS + WALLET_OPERATIONS,
        "{ops:?}"
    );
    assert_eq!(wallets, WALLET_OPERATIONS);
    let (_, problems) = bodies(&spec);
    fail_if_any(&problems);
}

// ---------------------------------------------------------------------------------------------
// Test 1: the documents the spec's examples describe
// ---------------------------------------------------------------------------------------------

/// The example documents of a media type: its own `example`/`examples`, else one composed from
/// the schema.
fn media_examples(spec: &Spec, media: &Value) -> Vec<Value> {
    if let Some(example) = media.get("example") {
        return vec![example.clone()];
    }
    if let Some(examples) = media.get("examples").and_then(Value::as_object) {
        let values: Vec<Value> = examples
            .values()
            .map(|e| spec.resolve(e))
            .filter_map(|e| e.get("value").cloned())
            .collect();
        if !values.is_empty() {
            return values;
        }
    }
    media
        .get("schema")
        .and_then(|schema| compose_example(spec, schema, 0))
        .into_iter()
        .collect()
}

/// Builds the example a schema describes: its `example`/`examples` if any, else an object of its
/// properties' examples (recursively; arrays get one item). `None` when nothing is documented.
fn compose_example(spec: &Spec, node: &Value, depth: usize) -> Option<Value> {
    assert!(depth < MAX_DEPTH, "schema nesting too deep");
    if let Some(example) = node.get("example") {
        return Some(example.clone());
    }
    if let Some(first) = node
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Some(first.clone());
    }
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        return compose_example(spec, spec.lookup(reference), depth + 1);
    }
    if let Some(parts) = node.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Some(Value::Object(fields)) = compose_example(spec, part, depth + 1) {
                merged.extend(fields);
            }
        }
        return Some(Value::Object(merged));
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        let fields = properties
            .iter()
            .filter_map(|(name, prop)| {
                Some((name.clone(), compose_example(spec, prop, depth + 1)?))
            })
            .collect();
        return Some(Value::Object(fields));
    }
    match primary_type(node) {
        Some("array") => {
            let item = compose_example(spec, node.get("items")?, depth + 1)?;
            Some(Value::Array(vec![item]))
        }
        Some("object") => Some(Value::Object(Map::new())),
        _ => None,
    }
}

/// The first non-null `type` of a schema (`type: [string, "null"]` -> `string`).
fn primary_type(node: &Value) -> Option<&str> {
    match node.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => None,
    }
}

/// Test 1: the example documents of every body (answers, requests, errors) decode into their
/// model with nothing unknown and re-encode identically.
#[test]
fn spec_examples_decode_into_models() {
    let Some(spec) = load_spec() else { return };
    let (targets, mut problems) = bodies(&spec);
    let mut decoded = 0;
    for (label, media, checker) in &targets {
        // A top-level oneOf documents its examples per variant.
        let docs: Vec<Value> = match media["schema"].get("oneOf").and_then(Value::as_array) {
            Some(variants) => variants
                .iter()
                .filter_map(|variant| compose_example(&spec, variant, 0))
                .collect(),
            None => media_examples(&spec, media),
        };
        if docs.is_empty() {
            problems.push(format!("{label}: the spec documents no example"));
        }
        for doc in docs {
            problems.extend(checker(&format!("{label} example"), &doc));
            decoded += 1;
        }
    }
    fail_if_any(&problems);
    eprintln!("decoded {decoded} example documents from the Lago spec into the models");
}

// ---------------------------------------------------------------------------------------------
// Test 2: every spec property is a model field
// ---------------------------------------------------------------------------------------------

/// Builds a document with every property of a schema present, recording what it visited.
struct Synth<'a> {
    spec: &'a Spec,
    /// Properties written (each object schema's properties, nested ones included).
    properties: usize,
    /// JSON pointer (inside the document) and values of every small string enum met.
    enums: Vec<(String, Vec<Value>)>,
}

impl Synth<'_> {
    fn value(&mut self, node: &Value, pointer: &str, depth: usize) -> Value {
        assert!(depth < MAX_DEPTH, "schema nesting too deep at {pointer}");
        let example = node.get("example").filter(|e| !e.is_null());
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let target = self.spec.lookup(reference);
            let structured = target.get("properties").is_some() || target.get("allOf").is_some();
            return match example {
                Some(example) if !structured => {
                    self.note_enum(target, pointer);
                    example.clone()
                }
                _ => self.value(target, pointer, depth + 1),
            };
        }
        if let Some(first) = node
            .get("oneOf")
            .and_then(Value::as_array)
            .and_then(|variants| variants.first())
        {
            // A nested oneOf (e.g. a threshold `value`: integer or string): its first variant.
            return self.value(first, pointer, depth + 1);
        }
        if let Some(parts) = node.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for part in parts {
                if let Value::Object(fields) = self.value(part, pointer, depth + 1) {
                    merged.extend(fields);
                }
            }
            return Value::Object(merged);
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            let mut fields = Map::new();
            for (name, prop) in properties {
                self.properties += 1;
                let value = self.value(prop, &format!("{pointer}/{name}"), depth + 1);
                fields.insert(name.clone(), value);
            }
            return Value::Object(fields);
        }
        self.note_enum(node, pointer);
        if primary_type(node) == Some("number") {
            // A fraction proves the model takes any JSON number (the spec's `20` would also fit
            // an integer field).
            return json!(2.5);
        }
        if let Some(example) = example {
            return example.clone();
        }
        if let Some(first) = node
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|values| values.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        match primary_type(node) {
            Some("integer") => json!(7),
            Some("boolean") => json!(true),
            Some("array") => {
                let item = match node.get("items") {
                    Some(items) => self.value(items, &format!("{pointer}/0"), depth + 1),
                    None => json!("synthetic"),
                };
                Value::Array(vec![item])
            }
            Some("object") => {
                let value = match node.get("additionalProperties") {
                    Some(schema) if schema.is_object() => {
                        self.value(schema, &format!("{pointer}/synthetic_key"), depth + 1)
                    }
                    _ => json!("synthetic"),
                };
                json!({ "synthetic_key": value })
            }
            _ => match node.get("format").and_then(Value::as_str) {
                Some("date-time") => json!("2024-05-06T07:08:09Z"),
                Some("date") => json!("2024-05-06"),
                Some("uuid") => json!("00000000-0000-4000-8000-000000000001"),
                Some("email") => json!("synthetic@example.test"),
                _ => json!("synthetic"),
            },
        }
    }

    /// Records a small string enum (Rust enum in the models) so each value can be tried; big
    /// ones (Country, Currency, Timezone: `String` in the models) only need to be strings. The
    /// limit is the generator's (`MAX_CLOSED_ENUM` in tools/gen-rust-models.mjs).
    fn note_enum(&mut self, node: &Value, pointer: &str) {
        let Some(values) = node.get("enum").and_then(Value::as_array) else {
            return;
        };
        ensure_enums_are_strings(pointer, values);
        if values.len() <= 20 {
            let values = values.iter().filter(|v| !v.is_null()).cloned().collect();
            self.enums.push((pointer.to_owned(), values));
        }
    }
}

/// A YAML 1.1 reading of `NO` (Norway) as `false` would corrupt the Country enum: every enum value
/// must come out as a string (or the explicit `null` of the `...OrNull` enums).
fn ensure_enums_are_strings(pointer: &str, values: &[Value]) {
    for value in values {
        assert!(
            value.is_string() || value.is_null(),
            "enum at {pointer} has a non-string value {value} (YAML parsed it as another type)"
        );
    }
}

/// Test 2: for every body of the operations in scope, a document with every property (and each
/// value of every small enum, and each `oneOf` variant) decodes with no drift and re-encodes
/// identically: fails, naming body and property, when the spec gains something the generated
/// models lack.
#[test]
fn every_spec_property_is_a_model_field() {
    let Some(spec) = load_spec() else { return };
    let country = spec.lookup("#/components/schemas/Country");
    assert!(
        country["enum"]
            .as_array()
            .is_some_and(|v| v.contains(&json!("NO"))),
        "Country must contain the string \"NO\" (Norway)"
    );

    let (targets, mut problems) = bodies(&spec);
    let mut synth = Synth {
        spec: &spec,
        properties: 0,
        enums: Vec::new(),
    };
    let (mut documents, mut enum_values) = (0, 0);
    for (label, media, checker) in &targets {
        let schema = &media["schema"];
        // A top-level oneOf (the wallet alert create body and answer): each variant in turn.
        let variants: Vec<&Value> = match schema.get("oneOf").and_then(Value::as_array) {
            Some(variants) => variants.iter().collect(),
            None => vec![schema],
        };
        for (index, node) in variants.into_iter().enumerate() {
            synth.enums.clear();
            let doc = synth.value(node, "", 0);
            let label = format!("{label} (variant {index})");
            problems.extend(checker(&label, &doc));
            documents += 1;
            for (pointer, values) in std::mem::take(&mut synth.enums) {
                for value in values {
                    let mut variant = doc.clone();
                    match variant.pointer_mut(&pointer) {
                        Some(slot) => *slot = value.clone(),
                        None => continue,
                    }
                    enum_values += 1;
                    problems.extend(checker(
                        &format!("{label} with {pointer} = {value}"),
                        &variant,
                    ));
                }
            }
        }
    }
    fail_if_any(&problems);
    eprintln!(
        "checked {documents} synthesized bodies ({} property occurrences, nested included) and \
         {enum_values} enum values against the models",
        synth.properties
    );
}
