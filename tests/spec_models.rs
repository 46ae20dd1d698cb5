//! Native tests proving `lago_wasm::models` against Lago's official OpenAPI spec (v1.51.0), plus
//! the tolerance the real server needs. The spec is read from `$LAGO_OPENAPI` (default: the
//! shared copy next to the repo); without it the spec tests print `SKIPPED` and pass.

use std::collections::BTreeSet;
use std::path::PathBuf;

use lago_wasm::models::{
    Address, AggregationType, ApiError, AppliedCoupon, AppliedCouponObject, ChargeModel, Customer,
    CustomerBillingConfiguration, CustomerChargeFilterUsage, CustomerChargeGroupedUsage,
    CustomerChargeUsageObject, CustomerCheckoutUrl, CustomerCreateInput, CustomerInput,
    CustomerMetadata, CustomerObjectExtended, CustomerPastUsage, CustomerUsage,
    CustomerUsageObject, CustomersPaginated, DriftItem, ErrorDetailObject,
    GenerateCustomerCheckoutURL200Response, GetCustomerPortalUrl200Response, IntegrationCustomer,
    IntegrationType, InvoiceCustomSectionObject, PaginationMeta, PaymentProvider,
    PresentationBreakdown, SpecDrift, TaxObject, UsagePricingUnitDetailsObject,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The nine Customers operations this crate covers.
const OPERATIONS: [&str; 9] = [
    "createCustomer",
    "deleteAppliedCoupon",
    "destroyCustomer",
    "findAllCustomerPastUsage",
    "findAllCustomers",
    "findCustomer",
    "findCustomerCurrentUsage",
    "generateCustomerCheckoutURL",
    "getCustomerPortalUrl",
];

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

    /// The operation object with this operationId.
    fn operation(&self, id: &str) -> &Value {
        self.root["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.values())
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
            .unwrap_or_else(|| panic!("operation {id} not in the spec"))
    }

    /// The `application/json` media type of a response (resolving `components/responses`).
    fn json_media<'a>(&'a self, response: &'a Value) -> Option<&'a Value> {
        self.resolve(response)
            .get("content")
            .and_then(|c| c.get("application/json"))
    }

    /// The 200 media type of an operation.
    fn ok_media(&self, op_id: &str) -> &Value {
        let op = self.operation(op_id);
        self.json_media(&op["responses"]["200"])
            .unwrap_or_else(|| panic!("{op_id}: no 200 application/json response"))
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding and comparing
// ---------------------------------------------------------------------------------------------

/// Decodes `doc` into a model, then lists every problem: decode failure, drift (a field in an
/// `extra` map or an enum value in `Other`: the model lacks it), and any value the round trip
/// dropped, added or changed (nulls ignored on both sides: absent and `null` mean the same).
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
        Ok(back) => diff(label, "$", doc, &back, &mut problems),
        Err(err) => problems.push(format!("{label}: does not re-serialize: {err}")),
    }
    problems
}

fn diff(label: &str, path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, want) in a.iter().filter(|(_, v)| !v.is_null()) {
                let here = format!("{path}.{key}");
                match b.get(key).filter(|v| !v.is_null()) {
                    Some(got) => diff(label, &here, want, got, out),
                    None => out.push(format!("{label}: property {here} was dropped")),
                }
            }
            for (key, got) in b.iter().filter(|(_, v)| !v.is_null()) {
                if a.get(key).map_or(true, Value::is_null) {
                    out.push(format!("{label}: property {path}.{key} appeared as {got}"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (want, got)) in a.iter().zip(b).enumerate() {
                diff(label, &format!("{path}[{i}]"), want, got, out);
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            // 20 in the spec re-serializes as 20.0 from an f64 field: same number.
            if a != b && a.as_f64() != b.as_f64() {
                out.push(format!("{label}: {path} changed from {a} to {b}"));
            }
        }
        _ => {
            if expected != actual {
                out.push(format!(
                    "{label}: {path} changed from {expected} to {actual}"
                ));
            }
        }
    }
}

/// The model for each components schema reachable from the nine operations.
fn checker_for_schema(name: &str) -> Option<Checker> {
    let checker: Checker = match name {
        "Customer" => check::<Customer>,
        "CustomersPaginated" => check::<CustomersPaginated>,
        "CustomerUsage" => check::<CustomerUsage>,
        "CustomerPastUsage" => check::<CustomerPastUsage>,
        "AppliedCoupon" => check::<AppliedCoupon>,
        "PaginationMeta" => check::<PaginationMeta>,
        // allOf parts: the flattened extended customer must hold every property of each part.
        "CustomerBaseObject" | "CustomerObject" | "CustomerObjectExtended" => {
            check::<CustomerObjectExtended>
        }
        "CustomerBillingConfiguration" => check::<CustomerBillingConfiguration>,
        "Address" => check::<Address>,
        "CustomerMetadata" => check::<CustomerMetadata>,
        "IntegrationCustomer" => check::<IntegrationCustomer>,
        "TaxObject" => check::<TaxObject>,
        "InvoiceCustomSectionObject" => check::<InvoiceCustomSectionObject>,
        "ErrorDetailObject" => check::<ErrorDetailObject>,
        "CustomerCheckoutUrl" => check::<CustomerCheckoutUrl>,
        "AppliedCouponObject" => check::<AppliedCouponObject>,
        "CustomerUsageObject" => check::<CustomerUsageObject>,
        "CustomerChargeUsageObject" => check::<CustomerChargeUsageObject>,
        "CustomerChargeFiltersUsageObject" => check::<Vec<CustomerChargeFilterUsage>>,
        "CustomerChargeGroupedUsageObject" => check::<Vec<CustomerChargeGroupedUsage>>,
        "PresentationBreakdownsObject" => check::<Vec<PresentationBreakdown>>,
        "UsagePricingUnitDetailsObject" => check::<Option<UsagePricingUnitDetailsObject>>,
        "CustomerCreateInput" => check::<CustomerCreateInput>,
        "TaxCodes" => check::<Vec<String>>,
        "Country" | "Currency" | "Timezone" => check::<String>,
        "CountryOrNull" | "CurrencyOrNull" | "TimezoneOrNull" => check::<Option<String>>,
        name if name.starts_with("ApiError") => check::<ApiError>,
        _ => return None,
    };
    Some(checker)
}

/// The wrapper model of each operation's 200 body.
fn checker_for_operation(op_id: &str) -> Checker {
    match op_id {
        "createCustomer" | "findCustomer" | "destroyCustomer" => check::<Customer>,
        "findAllCustomers" => check::<CustomersPaginated>,
        "deleteAppliedCoupon" => check::<AppliedCoupon>,
        "findCustomerCurrentUsage" => check::<CustomerUsage>,
        "findAllCustomerPastUsage" => check::<CustomerPastUsage>,
        "generateCustomerCheckoutURL" => check::<GenerateCustomerCheckoutURL200Response>,
        "getCustomerPortalUrl" => check::<GetCustomerPortalUrl200Response>,
        other => panic!("no model for operation {other}"),
    }
}

fn fail_if_any(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
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

/// Test 1: the example document of each operation's 200 body, of the create request and of the
/// error bodies decodes into its model with nothing unknown and round-trips every value.
#[test]
fn spec_examples_decode_into_models() {
    let Some(spec) = load_spec() else { return };
    let mut problems = Vec::new();
    let mut decoded = 0;

    for op_id in OPERATIONS {
        let checker = checker_for_operation(op_id);
        let docs = media_examples(&spec, spec.ok_media(op_id));
        assert!(
            !docs.is_empty(),
            "{op_id}: the spec documents no 200 example"
        );
        for doc in &docs {
            problems.extend(checker(&format!("{op_id} 200 example"), doc));
            decoded += 1;
        }
    }

    let create = spec.operation("createCustomer");
    let body = spec.resolve(&create["requestBody"])["content"]["application/json"].clone();
    let docs = media_examples(&spec, &body);
    assert!(!docs.is_empty(), "createCustomer: no request body example");
    for doc in &docs {
        problems.extend(check::<CustomerCreateInput>(
            "createCustomer request example",
            doc,
        ));
        decoded += 1;
    }

    // Error bodies of the nine operations, each distinct response once.
    let mut seen = BTreeSet::new();
    for op_id in OPERATIONS {
        let responses = spec.operation(op_id)["responses"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (code, response) in responses.iter().filter(|(code, _)| *code != "200") {
            let key = response
                .get("$ref")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{op_id} {code}"), str::to_owned);
            if !seen.insert(key.clone()) {
                continue;
            }
            let Some(media) = spec.json_media(response) else {
                continue;
            };
            for doc in media_examples(&spec, media) {
                problems.extend(check::<ApiError>(&format!("{key} example"), &doc));
                decoded += 1;
            }
        }
    }

    fail_if_any(&problems);
    eprintln!("decoded {decoded} example documents from the Lago spec into the models");
}

// ---------------------------------------------------------------------------------------------
// Test 2: every spec property is a model field
// ---------------------------------------------------------------------------------------------

/// Components schemas reachable (through `$ref`, including `components/responses`) from the nine
/// operations' request bodies and responses.
fn reachable_schemas(spec: &Spec) -> BTreeSet<String> {
    fn walk(spec: &Spec, node: &Value, found: &mut BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    let is_new = match reference.strip_prefix("#/components/schemas/") {
                        Some(name) => found.insert(name.to_owned()),
                        None => true,
                    };
                    if is_new {
                        walk(spec, spec.lookup(reference), found);
                    }
                }
                for value in map.values() {
                    walk(spec, value, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(spec, v, found)),
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    for op_id in OPERATIONS {
        let op = spec.operation(op_id);
        if let Some(body) = op.get("requestBody") {
            walk(spec, body, &mut found);
        }
        walk(spec, &op["responses"], &mut found);
    }
    found
}

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
    /// ones (Country, Currency, Timezone: `String` in the models) only need to be strings.
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

/// Test 2: for every schema reachable from the nine operations, a document with every property
/// (and each value of every small enum) decodes with no drift and round-trips: fails, naming
/// schema and property, when the spec gains something the models lack.
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

    let mut problems = Vec::new();
    let mut schemas = 0;
    let mut synth = Synth {
        spec: &spec,
        properties: 0,
        enums: Vec::new(),
    };
    let mut enum_values = 0;

    // Each reachable components schema, plus the two inline 200 bodies.
    let mut targets: Vec<(String, Value, Checker)> = Vec::new();
    for name in reachable_schemas(&spec) {
        match checker_for_schema(&name) {
            Some(checker) => {
                let node = spec.lookup(&format!("#/components/schemas/{name}")).clone();
                targets.push((name, node, checker));
            }
            None => problems.push(format!(
                "schema {name} is reachable from the Customers operations but has no model"
            )),
        }
    }
    for op_id in OPERATIONS {
        let schema = &spec.ok_media(op_id)["schema"];
        if schema.get("$ref").is_none() {
            let label = format!("{op_id} 200 (inline)");
            targets.push((label, schema.clone(), checker_for_operation(op_id)));
        }
    }

    for (label, node, checker) in &targets {
        synth.enums.clear();
        let doc = synth.value(node, "", 0);
        problems.extend(checker(&format!("schema {label}"), &doc));
        schemas += 1;
        // Every value of every small enum must be a known variant, not `Other`.
        for (pointer, values) in std::mem::take(&mut synth.enums) {
            for value in values {
                let mut variant = doc.clone();
                match variant.pointer_mut(&pointer) {
                    Some(slot) => *slot = value.clone(),
                    None => continue,
                }
                enum_values += 1;
                problems.extend(checker(
                    &format!("schema {label} with {pointer} = {value}"),
                    &variant,
                ));
            }
        }
    }

    fail_if_any(&problems);
    eprintln!(
        "checked {schemas} schemas ({} property occurrences, nested included) and {enum_values} \
         enum values against the models",
        synth.properties
    );
}

// ---------------------------------------------------------------------------------------------
// Tests 3-5: tolerance (no spec needed)
// ---------------------------------------------------------------------------------------------

/// Test 3: what the real server sends beyond the spec decodes, is reported and round-trips.
#[test]
fn tolerates_real_server_drift() {
    let answer = json!({
        "customer": {
            "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
            "sequential_id": null,
            "slug": null,
            "external_id": "cus_1",
            "applicable_timezone": null,
            "created_at": "2024-01-01T00:00:00Z",
            "external_salesforce_id": "sf_001",
            "account_type": "customer",
            "billing_configuration": { "payment_provider": "cashfree", "sync": true },
            "integration_customers": [{
                "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
                "type": "quickbooks",
                "integration_code": null,
                "external_customer_id": "q_1"
            }]
        }
    });
    let decoded: Customer = serde_json::from_value(answer.clone()).expect("drifted customer");
    let customer = &decoded.customer;
    assert_eq!(customer.slug, "");
    assert_eq!(customer.sequential_id, 0);
    assert_eq!(customer.applicable_timezone, "");
    assert_eq!(customer.extra["external_salesforce_id"], json!("sf_001"));
    let billing = customer.billing_configuration.as_ref().expect("billing");
    assert_eq!(
        billing.payment_provider,
        Some(PaymentProvider::Other("cashfree".into()))
    );
    let integrations = customer
        .integration_customers
        .as_deref()
        .unwrap_or_default();
    assert_eq!(
        integrations[0].r#type,
        IntegrationType::Other("quickbooks".into())
    );
    assert_eq!(
        decoded.drift(),
        vec![
            DriftItem::UnknownField {
                path: "customer.external_salesforce_id".into()
            },
            DriftItem::UnknownValue {
                path: "customer.billing_configuration.payment_provider".into(),
                value: "cashfree".into()
            },
            DriftItem::UnknownValue {
                path: "customer.integration_customers[0].type".into(),
                value: "quickbooks".into()
            },
        ]
    );
    let back = serde_json::to_value(&decoded).expect("re-serialize");
    assert_eq!(back["customer"]["external_salesforce_id"], json!("sf_001"));
    assert_eq!(
        back["customer"]["billing_configuration"]["payment_provider"],
        json!("cashfree")
    );
    assert_eq!(
        back["customer"]["integration_customers"][0]["type"],
        json!("quickbooks")
    );

    // `payment_provider: null` (no provider) is fine too.
    let no_provider: CustomerBillingConfiguration =
        serde_json::from_value(json!({ "payment_provider": null })).expect("null provider");
    assert_eq!(no_provider.payment_provider, None);

    let usage = json!({
        "customer_usage": {
            "from_datetime": "2024-01-01T00:00:00Z",
            "to_datetime": "2024-01-31T23:59:59Z",
            "issuing_date": "2024-02-01",
            "amount_cents": 100,
            "taxes_amount_cents": 20,
            "total_amount_cents": 120,
            "charges_usage": [{
                "units": null,
                "total_aggregated_units": "3.0",
                "events_count": 3,
                "amount_cents": 100,
                "amount_currency": "EUR",
                "charge": { "lago_id": "c", "charge_model": "graduated_percentage" },
                "billable_metric": {
                    "lago_id": "m", "name": "Calls", "code": "calls",
                    "aggregation_type": "custom_agg"
                },
                "grouped_usage": [{ "grouped_by": { "region": null }, "units": "1" }]
            }]
        }
    });
    let decoded: CustomerUsage = serde_json::from_value(usage).expect("drifted usage");
    let charge = &decoded.customer_usage.charges_usage[0];
    assert_eq!(charge.units, "");
    assert_eq!(
        charge.charge.charge_model,
        ChargeModel::Other("graduated_percentage".into())
    );
    assert_eq!(
        charge.billable_metric.aggregation_type,
        AggregationType::Other("custom_agg".into())
    );
    let back = serde_json::to_value(&decoded).expect("re-serialize");
    let line = &back["customer_usage"]["charges_usage"][0];
    assert_eq!(
        line["charge"]["charge_model"],
        json!("graduated_percentage")
    );
    assert_eq!(
        line["billable_metric"]["aggregation_type"],
        json!("custom_agg")
    );
    assert_eq!(ChargeModel::from("volume"), ChargeModel::Volume);
    assert_eq!(ChargeModel::Other("x".into()).as_str(), "x");
}

/// Test 4: a request body keeps and re-sends fields the models do not know.
#[test]
fn create_input_keeps_unknown_fields() {
    let body = json!({
        "customer": {
            "external_id": "cus_1",
            "name": "Acme",
            "external_salesforce_id": "sf_001",
            "billing_configuration": { "payment_provider": "moneyhash", "new_flag": 1 },
            "metadata": [{ "key": "k", "value": "v", "display_in_invoice": false, "extra": [1] }]
        },
        "idempotency_hint": "abc"
    });
    let input: CustomerCreateInput = serde_json::from_value(body.clone()).expect("decode input");
    assert_eq!(input.extra["idempotency_hint"], json!("abc"));
    assert_eq!(
        input.customer.extra["external_salesforce_id"],
        json!("sf_001")
    );
    assert_eq!(serde_json::to_value(&input).expect("encode"), body);

    // Built in Rust: only what was set is sent; `extra` carries explicit nulls.
    let mut customer = CustomerInput {
        external_id: "cus_2".into(),
        name: Some("Beta".into()),
        ..Default::default()
    };
    customer.extra.insert("country".into(), Value::Null);
    let input = CustomerCreateInput {
        customer,
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&input).expect("encode"),
        json!({ "customer": { "external_id": "cus_2", "name": "Beta", "country": null } })
    );
}

/// Test 5: the page meta Lago sends for an empty list decodes.
#[test]
fn empty_page_meta_decodes() {
    let page = json!({
        "customers": [],
        "meta": {
            "current_page": 0, "next_page": null, "prev_page": null,
            "total_pages": 0, "total_count": 0
        }
    });
    let decoded: CustomersPaginated = serde_json::from_value(page).expect("empty page");
    assert!(decoded.customers.is_empty());
    assert_eq!(
        decoded.meta,
        PaginationMeta {
            current_page: 0,
            next_page: None,
            prev_page: None,
            total_pages: 0,
            total_count: 0,
            extra: Map::new(),
        }
    );
    assert!(decoded.drift().is_empty());
}
