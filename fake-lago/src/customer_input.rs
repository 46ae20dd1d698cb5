//! Checks a `createCustomer` body the way Lago's server does (REALITY.md sections 2 and 5):
//! every error collected into one 422, then the changes the upsert writes.

use crate::codes::{is_country, is_currency, is_timezone};
use serde_json::{json, Map, Value};

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

/// Payment providers the server accepts (`Customer::PAYMENT_PROVIDERS`; REALITY.md section 2:
/// newer specs list them all, the pinned one only the first three).
const PROVIDERS: &[&str] = &[
    "stripe",
    "adyen",
    "gocardless",
    "cashfree",
    "flutterwave",
    "moneyhash",
];

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
pub fn merge_integration(
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
pub struct Changes {
    pub top: Vec<(&'static str, Value)>,
    pub billing: Vec<(&'static str, Value)>,
    /// `Some(None)`: unlink the payment provider; `Some(Some(p))`: link `p`.
    pub provider: Option<Option<String>>,
    pub shipping: Vec<(&'static str, Value)>,
    pub metadata: Option<Vec<Value>>,
    pub tax_codes: Option<Vec<String>>,
    pub integrations: Vec<Map<String, Value>>,
    /// An integration type the server does not know: it answers 500.
    pub unsupported_integration: bool,
}

/// Checks every known field of `input`, collecting all errors like Lago's validators do.
pub fn validate(input: &Map<String, Value>) -> Result<Changes, Map<String, Value>> {
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
