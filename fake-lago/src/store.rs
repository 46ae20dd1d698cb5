//! The fake's data: customers (kept as the exact JSON objects it serves), their subscriptions
//! and applied coupons, and the customer upsert with Lago's validations.

use crate::codes::{is_country, is_currency, is_timezone};
use crate::usage::{Billing, Subscription};
use crate::util::{
    bad_request, hash_str, internal_error, invalid, mix, not_found, rfc3339, unprocessable,
    uuid_from, Reply,
};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// One customer: the `CustomerObjectExtended` it is served as, plus what the spec's object does
/// not carry (subscriptions, applied coupons, active or terminated, and wallets).
#[derive(Clone, Debug)]
pub struct Customer {
    pub json: Map<String, Value>,
    pub subscriptions: Vec<Subscription>,
    pub coupons: Vec<Value>,
    pub wallets: Vec<crate::wallets::Wallet>,
}

impl Customer {
    /// The external id (always present: the upsert refuses a customer without one).
    pub fn external_id(&self) -> &str {
        self.json
            .get("external_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// A string field, or "" when null/absent.
    pub fn str_field(&self, key: &str) -> &str {
        self.json
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// Currency (USD when it has none yet, like an organization default) and taxes to bill in.
    pub fn billing(&self) -> Billing<'_> {
        let currency = self.str_field("currency");
        Billing {
            currency: if currency.is_empty() { "USD" } else { currency },
            tax_rate: self.tax_rate(),
        }
    }

    /// Sum of the customer's tax rates, in percent.
    pub fn tax_rate(&self) -> f64 {
        self.json
            .get("taxes")
            .and_then(Value::as_array)
            .map_or(0.0, |t| t.iter().filter_map(|t| t["rate"].as_f64()).sum())
    }
}

/// All customers, in creation order, and the counters that make new ids.
#[derive(Clone, Debug, Default)]
pub struct Store {
    pub customers: Vec<Customer>,
    next_sequential_id: u64,
    next_uuid: u64,
}

/// Taxes the fake organization has configured, as (code, name, rate in percent).
pub const TAXES: &[(&str, &str, f64)] = &[
    ("fr_vat", "TVA", 20.0),
    ("de_vat", "MwSt", 19.0),
    ("gb_vat", "UK VAT", 20.0),
    ("es_vat", "IVA", 21.0),
    ("nl_vat", "BTW", 21.0),
    ("it_vat", "IVA", 22.0),
    ("ie_vat", "VAT", 23.0),
    ("pt_vat", "IVA", 23.0),
    ("pl_vat", "VAT", 23.0),
    ("se_vat", "Moms", 25.0),
    ("ch_vat", "MWST", 8.1),
    ("au_gst", "GST", 10.0),
    ("nz_gst", "GST", 15.0),
    ("ca_gst", "GST", 5.0),
    ("jp_ct", "Consumption tax", 10.0),
    ("in_gst", "GST", 18.0),
    ("sg_gst", "GST", 9.0),
    ("za_vat", "VAT", 15.0),
    ("mx_iva", "IVA", 16.0),
    ("kr_vat", "VAT", 10.0),
    ("br_iss", "ISS", 5.0),
];

/// A `TaxObject` for a configured tax code.
fn tax_object(code: &str) -> Option<Value> {
    let &(code, name, rate) = TAXES.iter().find(|t| t.0 == code)?;
    Some(json!({
        "lago_id": uuid_from(hash_str(code)),
        "name": name,
        "code": code,
        "description": format!("{name} ({rate}%)"),
        "rate": rate,
        "applied_to_organization": false,
        "created_at": "2024-01-02T09:00:00Z",
    }))
}

/// How an input field is checked and stored.
#[derive(Clone, Copy)]
enum Kind {
    /// string or null
    Text,
    /// string; null leaves the current value (the response schema does not allow null)
    TextNotNull,
    /// string or null, each comma-separated address must look like an email
    Email,
    /// one of the values, or null
    OneOfOrNull(&'static [&'static str]),
    /// one of the values; null leaves the current value
    OneOf(&'static [&'static str]),
    Country,
    Currency,
    Timezone,
    /// integer or null
    IntOrNull,
    /// integer; null leaves the current value
    Int,
    /// boolean; null leaves the current value
    Bool,
    /// array of strings or null
    Strings,
}

/// Top-level `customer` fields the upsert stores (others are accepted and ignored, like Lago).
const CUSTOMER_FIELDS: &[(&str, Kind)] = &[
    ("billing_entity_code", Kind::TextNotNull),
    ("address_line1", Kind::Text),
    ("address_line2", Kind::Text),
    ("city", Kind::Text),
    ("country", Kind::Country),
    ("currency", Kind::Currency),
    ("email", Kind::Email),
    ("legal_name", Kind::Text),
    ("legal_number", Kind::Text),
    ("logo_url", Kind::Text),
    ("name", Kind::Text),
    ("firstname", Kind::Text),
    ("lastname", Kind::Text),
    ("account_type", Kind::OneOf(&["customer", "partner"])),
    (
        "customer_type",
        Kind::OneOfOrNull(&["company", "individual"]),
    ),
    ("phone", Kind::Text),
    ("state", Kind::Text),
    ("tax_identification_number", Kind::Text),
    ("timezone", Kind::Timezone),
    ("url", Kind::Text),
    ("zipcode", Kind::Text),
    ("net_payment_term", Kind::IntOrNull),
    (
        "finalize_zero_amount_invoice",
        Kind::OneOf(&["inherit", "skip", "finalize"]),
    ),
    ("skip_invoice_custom_sections", Kind::Bool),
    ("external_salesforce_id", Kind::Text),
];

/// `integration_customers[].integration_type` values the server accepts (REALITY.md section 2:
/// the spec's list plus `okta`); any other makes the server raise, so a 500.
const INTEGRATION_TYPES: &[&str] = &[
    "netsuite",
    "anrok",
    "avalara",
    "xero",
    "hubspot",
    "salesforce",
    "okta",
];

/// `billing_configuration` fields. Lago keeps them as customer columns, so errors use their names.
const BILLING_FIELDS: &[(&str, Kind)] = &[
    ("invoice_grace_period", Kind::Int),
    (
        "subscription_invoice_issuing_date_anchor",
        Kind::OneOfOrNull(&["current_period_end", "next_period_start"]),
    ),
    (
        "subscription_invoice_issuing_date_adjustment",
        Kind::OneOfOrNull(&["align_with_finalization_date", "keep_anchor"]),
    ),
    ("payment_provider_code", Kind::TextNotNull),
    ("provider_customer_id", Kind::TextNotNull),
    ("sync", Kind::Bool),
    ("sync_with_provider", Kind::Bool),
    ("document_locale", Kind::TextNotNull),
    ("provider_payment_methods", Kind::Strings),
];

/// `shipping_address` fields (errors are keyed `shipping_<field>`, Lago's column names).
const ADDRESS_FIELDS: &[(&str, Kind)] = &[
    ("address_line1", Kind::Text),
    ("address_line2", Kind::Text),
    ("city", Kind::Text),
    ("country", Kind::Country),
    ("state", Kind::Text),
    ("zipcode", Kind::Text),
];

/// Payment providers the spec's enum allows.
const PROVIDERS: &[&str] = &["stripe", "adyen", "gocardless"];

/// Close to the `email` format JSON-schema validators apply: `local@domain.tld`, no spaces.
fn looks_like_email(address: &str) -> bool {
    let Some((local, domain)) = address.trim().split_once('@') else {
        return false;
    };
    let ok = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == '@');
    ok(local)
        && ok(domain)
        && domain.split('.').all(|label| !label.is_empty())
        && domain.contains('.')
}

/// Checks one input value. `Ok(None)`: leave the stored value as it is.
fn check(kind: Kind, value: &Value) -> Result<Option<Value>, &'static str> {
    let invalid = "value_is_invalid";
    let text_in = |ok: fn(&str) -> bool| match value {
        Value::Null => Ok(Some(Value::Null)),
        Value::String(s) if ok(s) => Ok(Some(value.clone())),
        _ => Err(invalid),
    };
    match kind {
        Kind::Text => text_in(|_| true),
        // The server upcases countries before validating them (`"fr"` is stored as `FR`).
        Kind::Country => match value {
            Value::String(s) if is_country(&s.to_ascii_uppercase()) => {
                Ok(Some(json!(s.to_ascii_uppercase())))
            }
            _ => text_in(|_| false),
        },
        Kind::Currency => text_in(is_currency),
        Kind::Timezone => text_in(is_timezone).map_err(|_| "invalid_timezone"),
        Kind::TextNotNull => match value {
            Value::Null => Ok(None),
            Value::String(_) => Ok(Some(value.clone())),
            _ => Err(invalid),
        },
        Kind::Email => match value {
            Value::Null => Ok(Some(Value::Null)),
            // A blank email is "no email" (an empty string would break `format: email`).
            Value::String(s) if s.trim().is_empty() => Ok(Some(Value::Null)),
            Value::String(s) if s.split(',').all(looks_like_email) => Ok(Some(value.clone())),
            _ => Err("invalid_email_format"),
        },
        Kind::OneOfOrNull(allowed) | Kind::OneOf(allowed) => match value {
            Value::Null if matches!(kind, Kind::OneOf(_)) => Ok(None),
            Value::Null => Ok(Some(Value::Null)),
            Value::String(s) if allowed.contains(&s.as_str()) => Ok(Some(value.clone())),
            _ => Err(invalid),
        },
        Kind::IntOrNull | Kind::Int => match value {
            Value::Null if matches!(kind, Kind::Int) => Ok(None),
            Value::Null => Ok(Some(Value::Null)),
            Value::Number(n) if n.is_i64() => Ok(Some(value.clone())),
            _ => Err(invalid),
        },
        Kind::Bool => match value {
            Value::Null => Ok(None),
            Value::Bool(_) => Ok(Some(value.clone())),
            _ => Err(invalid),
        },
        Kind::Strings => match value {
            Value::Null => Ok(Some(Value::Null)),
            Value::Array(items) if items.iter().all(Value::is_string) => Ok(Some(value.clone())),
            _ => Err(invalid),
        },
    }
}

/// Creates or updates (matched on its type) one `IntegrationCustomer`; keys not sent are kept.
fn merge_integration(
    linked: &mut Vec<Value>,
    item: &Map<String, Value>,
    fresh_id: String,
    external_id: &Value,
) {
    let kind = item.get("integration_type").cloned().unwrap_or(Value::Null);
    let index = match linked.iter().position(|l| l["type"] == kind) {
        Some(i) => i,
        None => {
            linked.push(json!({
                "lago_id": fresh_id,
                "type": kind,
                "integration_code": format!("{}_default", kind.as_str().unwrap_or_default()),
                "external_customer_id": external_id,
                "sync_with_provider": false,
                "targeted_object": null,
                "email": null,
            }));
            linked.len() - 1
        }
    };
    let Some(Value::Object(target)) = linked.get_mut(index) else {
        return;
    };
    for (key, ok) in [
        ("integration_code", Value::is_string as fn(&Value) -> bool),
        ("external_customer_id", Value::is_string),
        ("subsidiary_id", Value::is_string),
        ("sync_with_provider", |v: &Value| {
            v.is_boolean() || v.is_null()
        }),
        ("targeted_object", |v: &Value| v.is_string() || v.is_null()),
    ] {
        if let Some(value) = item.get(key).filter(|v| ok(v)) {
            target.insert(key.to_string(), value.clone());
        }
    }
}

/// Validated changes to apply to a customer, gathered before anything is written.
#[derive(Default)]
struct Changes {
    top: Vec<(&'static str, Value)>,
    billing: Vec<(&'static str, Value)>,
    /// `Some(None)`: unlink the payment provider; `Some(Some(p))`: link `p`.
    provider: Option<Option<String>>,
    shipping: Vec<(&'static str, Value)>,
    metadata: Option<Vec<Value>>,
    tax_codes: Option<Vec<String>>,
    integrations: Vec<Map<String, Value>>,
    /// An integration type the server does not know: it answers 500.
    unsupported_integration: bool,
}

/// Checks every known field of `input`, collecting all errors like Lago's validators do.
fn validate(input: &Map<String, Value>) -> Result<Changes, Map<String, Value>> {
    let mut changes = Changes::default();
    let mut errors = Map::new();
    let mut fail = |key: String, code: &str| {
        errors.insert(key, json!([code]));
    };
    for &(key, kind) in CUSTOMER_FIELDS {
        if let Some(value) = input.get(key) {
            match check(kind, value) {
                Ok(Some(v)) => changes.top.push((key, v)),
                Ok(None) => {}
                Err(code) => fail(key.to_string(), code),
            }
        }
    }
    match input.get("billing_configuration") {
        None | Some(Value::Null) => {}
        Some(Value::Object(billing)) => {
            for &(key, kind) in BILLING_FIELDS {
                if let Some(value) = billing.get(key) {
                    match check(kind, value) {
                        Ok(Some(v)) => changes.billing.push((key, v)),
                        Ok(None) => {}
                        Err(code) => fail(key.to_string(), code),
                    }
                }
            }
            match billing.get("payment_provider") {
                None => {}
                Some(Value::Null) => changes.provider = Some(None),
                Some(Value::String(p)) if PROVIDERS.contains(&p.as_str()) => {
                    changes.provider = Some(Some(p.clone()));
                }
                Some(_) => fail("payment_provider".into(), "value_is_invalid"),
            }
        }
        Some(_) => fail("billing_configuration".into(), "value_is_invalid"),
    }
    match input.get("shipping_address") {
        None | Some(Value::Null) => {}
        Some(Value::Object(address)) => {
            for &(key, kind) in ADDRESS_FIELDS {
                if let Some(value) = address.get(key) {
                    match check(kind, value) {
                        Ok(Some(v)) => changes.shipping.push((key, v)),
                        Ok(None) => {}
                        Err(code) => fail(format!("shipping_{key}"), code),
                    }
                }
            }
        }
        Some(_) => fail("shipping_address".into(), "value_is_invalid"),
    }
    match input.get("metadata") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            let well_formed = items.iter().all(|item| {
                item.get("key")
                    .and_then(Value::as_str)
                    .is_some_and(|k| !k.is_empty())
                    && item.get("value").is_some_and(Value::is_string)
                    && item.get("display_in_invoice").is_none_or(Value::is_boolean)
            });
            if well_formed {
                changes.metadata = Some(items.clone());
            } else {
                fail("metadata".into(), "value_is_invalid");
            }
        }
        Some(_) => fail("metadata".into(), "value_is_invalid"),
    }
    match input.get("integration_customers") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            let mut seen: Vec<&str> = Vec::new();
            for item in items {
                let Some(item) = item.as_object() else {
                    fail("integration_customers".into(), "value_is_invalid");
                    continue;
                };
                match item.get("integration_type").and_then(Value::as_str) {
                    Some(t) if INTEGRATION_TYPES.contains(&t) => {
                        if seen.contains(&t) {
                            fail(
                                "integration_customers".into(),
                                "invalid_count_per_integration_type",
                            );
                        }
                        seen.push(t);
                        changes.integrations.push(item.clone());
                    }
                    _ => changes.unsupported_integration = true,
                }
            }
        }
        Some(_) => fail("integration_customers".into(), "value_is_invalid"),
    }
    match input.get("tax_codes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            changes.tax_codes = Some(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect(),
            );
        }
        Some(_) => fail("tax_codes".into(), "value_is_invalid"),
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

impl Store {
    /// A fresh id from the store's counter: deterministic, never one the seed uses.
    pub fn new_uuid(&mut self) -> String {
        self.next_uuid += 1;
        uuid_from(mix(0xFA4E_0000_0000 + self.next_uuid))
    }

    /// The customer with exactly this external id.
    pub fn find(&self, external_id: &str) -> Option<&Customer> {
        self.customers
            .iter()
            .find(|c| c.external_id() == external_id)
    }

    /// Mutable variant of [`Store::find`].
    pub fn find_mut(&mut self, external_id: &str) -> Option<&mut Customer> {
        self.customers
            .iter_mut()
            .find(|c| c.external_id() == external_id)
    }

    /// POST /customers: parses the raw body, then creates or updates (upsert on `external_id`).
    pub fn upsert_body(&mut self, body: &[u8], now: i64) -> Reply {
        let missing = "param is missing or the value is empty or invalid: customer";
        // Rails parses a bad JSON body into no params at all, so it ends in the same 400.
        let Ok(Value::Object(mut root)) = serde_json::from_slice::<Value>(body) else {
            return bad_request(missing);
        };
        match root.remove("customer") {
            Some(Value::Object(input)) if !input.is_empty() => match self.upsert(&input, now) {
                Ok(customer) => (StatusCode::OK, json!({ "customer": customer })),
                Err(reply) => reply,
            },
            _ => bad_request(missing),
        }
    }

    /// Creates or updates the customer `input` describes; returns the customer as served.
    pub fn upsert(&mut self, input: &Map<String, Value>, now: i64) -> Result<Value, Reply> {
        // Rails casts a numeric id to a string; anything else (or blank) counts as missing.
        let external_id = match input.get("external_id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(invalid("external_id", "value_is_mandatory")),
        };
        let changes = validate(input).map_err(|errors| unprocessable(Value::Object(errors)))?;
        if changes.unsupported_integration {
            return Err(internal_error());
        }
        let taxes = match &changes.tax_codes {
            None => None,
            Some(codes) => {
                let found: Option<Vec<Value>> = codes.iter().map(|c| tax_object(c)).collect();
                Some(found.ok_or_else(|| not_found("tax_not_found"))?)
            }
        };
        let index = match self
            .customers
            .iter()
            .position(|c| c.external_id() == external_id)
        {
            Some(i) => i,
            None => {
                let json = self.blank_customer(&external_id, now);
                self.customers.push(Customer {
                    json,
                    subscriptions: Vec::new(),
                    coupons: Vec::new(),
                    wallets: Vec::new(),
                });
                self.customers.len() - 1
            }
        };
        // Metadata and integration ids to mint before borrowing the customer mutably.
        let fresh_ids: Vec<String> = match &changes.metadata {
            Some(items) => items.iter().map(|_| self.new_uuid()).collect(),
            None => Vec::new(),
        };
        let integration_ids: Vec<String> = changes
            .integrations
            .iter()
            .map(|_| self.new_uuid())
            .collect();
        let Some(customer) = self.customers.get_mut(index) else {
            return Err(not_found("customer_not_found"));
        };
        let json = &mut customer.json;
        for (key, value) in changes.top {
            json.insert(key.to_string(), value);
        }
        let timezone = json
            .get("timezone")
            .and_then(Value::as_str)
            .unwrap_or("UTC")
            .to_string();
        json.insert("applicable_timezone".into(), json!(timezone));
        if let Some(Value::Object(billing)) = json.get_mut("billing_configuration") {
            for (key, value) in changes.billing {
                billing.insert(key.to_string(), value);
            }
            match changes.provider {
                Some(Some(provider)) => {
                    billing.insert("payment_provider".into(), json!(provider));
                }
                Some(None) => {
                    for key in [
                        "payment_provider",
                        "payment_provider_code",
                        "provider_customer_id",
                    ] {
                        billing.remove(key);
                    }
                }
                None => {}
            }
        }
        if let Some(Value::Object(address)) = json.get_mut("shipping_address") {
            for (key, value) in changes.shipping {
                address.insert(key.to_string(), value);
            }
        }
        if let Some(items) = changes.metadata {
            let old = json.get("metadata").cloned().unwrap_or_else(|| json!([]));
            let merged: Vec<Value> = items
                .iter()
                .zip(fresh_ids)
                .map(|(item, fresh)| {
                    // An item whose `id` names an existing entry updates it in place.
                    let existing = item["id"].as_str().and_then(|id| {
                        old.as_array()?.iter().find(|m| m["lago_id"].as_str() == Some(id))
                    });
                    json!({
                        "lago_id": existing.map_or(json!(fresh), |m| m["lago_id"].clone()),
                        "key": item["key"],
                        "value": item["value"],
                        "display_in_invoice": item["display_in_invoice"].as_bool().unwrap_or(false),
                        "created_at": existing.map_or(json!(rfc3339(now)), |m| m["created_at"].clone()),
                    })
                })
                .collect();
            json.insert("metadata".into(), json!(merged));
        }
        if let Some(taxes) = taxes {
            json.insert("taxes".into(), json!(taxes));
        }
        let external_id = json.get("external_id").cloned().unwrap_or(Value::Null);
        if let Some(Value::Array(linked)) = json.get_mut("integration_customers") {
            for (item, fresh) in changes.integrations.iter().zip(integration_ids) {
                merge_integration(linked, item, fresh, &external_id);
            }
        }
        json.insert("updated_at".into(), json!(rfc3339(now)));
        Ok(Value::Object(json.clone()))
    }

    /// A new customer with Lago's defaults, before the input's fields are applied.
    fn blank_customer(&mut self, external_id: &str, now: i64) -> Map<String, Value> {
        self.next_sequential_id += 1;
        let seq = self.next_sequential_id;
        let lago_id = self.new_uuid();
        let Value::Object(map) = json!({
            "lago_id": lago_id,
            "sequential_id": seq,
            "slug": format!("FAK-7A90-{seq:03}"),
            "external_id": external_id,
            "billing_entity_code": "fake_lago_inc",
            "address_line1": null, "address_line2": null, "city": null, "state": null,
            "zipcode": null, "country": null, "currency": null, "email": null,
            "legal_name": null, "legal_number": null, "logo_url": null, "name": null,
            "external_salesforce_id": null,
            "firstname": null, "lastname": null, "phone": null, "url": null,
            "tax_identification_number": null, "timezone": null,
            "applicable_timezone": "UTC",
            "account_type": "customer",
            "customer_type": null,
            "net_payment_term": null,
            "finalize_zero_amount_invoice": "inherit",
            "skip_invoice_custom_sections": false,
            "created_at": rfc3339(now),
            "updated_at": rfc3339(now),
            "billing_configuration": {
                "invoice_grace_period": 0,
                "subscription_invoice_issuing_date_anchor": null,
                "subscription_invoice_issuing_date_adjustment": null,
                "document_locale": "en",
            },
            "shipping_address": {
                "address_line1": null, "address_line2": null, "city": null,
                "country": null, "state": null, "zipcode": null,
            },
            "metadata": [],
            "integration_customers": [],
            "taxes": [],
            "applicable_invoice_custom_sections": [],
            "error_details": [],
        }) else {
            return Map::new();
        };
        map
    }

    /// DELETE /customers/{id}: removes the customer and answers it as it was.
    pub fn destroy(&mut self, external_id: &str) -> Reply {
        match self
            .customers
            .iter()
            .position(|c| c.external_id() == external_id)
        {
            Some(i) => {
                let customer = self.customers.remove(i);
                (StatusCode::OK, json!({ "customer": customer.json }))
            }
            None => not_found("customer_not_found"),
        }
    }

    /// DELETE /customers/{id}/applied_coupons/{coupon}: terminates an applied coupon. Like
    /// Lago, a coupon already terminated is answered again (200), unchanged.
    pub fn terminate_coupon(&mut self, external_id: &str, coupon_id: &str, now: i64) -> Reply {
        let Some(customer) = self.find_mut(external_id) else {
            return not_found("customer_not_found");
        };
        let Some(coupon) = customer
            .coupons
            .iter_mut()
            .find(|c| c["lago_id"].as_str() == Some(coupon_id))
        else {
            return not_found("applied_coupon_not_found");
        };
        if coupon["status"] == "active" {
            coupon["status"] = json!("terminated");
            coupon["terminated_at"] = json!(rfc3339(now));
        }
        (StatusCode::OK, json!({ "applied_coupon": coupon }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_check_is_close_to_json_schema_format() {
        assert!(looks_like_email("a.b@example.com"));
        assert!(!looks_like_email("no-at-sign"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("a b@c.d"));
        assert!(!looks_like_email("@c.d"));
    }

    #[test]
    fn validation_collects_every_error() {
        let input = json!({
            "email": "nope", "currency": "XXX", "country": "u5", "timezone": "GMT+12",
            "billing_configuration": {"payment_provider": "paypal"},
            "shipping_address": {"country": 7},
        });
        let errors = validate(input.as_object().expect("object"))
            .err()
            .expect("errors");
        assert_eq!(errors["email"], json!(["invalid_email_format"]));
        assert_eq!(errors["currency"], json!(["value_is_invalid"]));
        assert_eq!(errors["country"], json!(["value_is_invalid"]));
        assert_eq!(errors["timezone"], json!(["invalid_timezone"]));
        assert_eq!(errors["payment_provider"], json!(["value_is_invalid"]));
        assert_eq!(errors["shipping_country"], json!(["value_is_invalid"]));
    }
}
