//! The customer list and the checkout URL.

use crate::codes;
use crate::query::{paginate, Query};
use crate::seed::STRIPE_AUTH_FAILS;
use crate::store::Store;
use crate::util::{self, hash_str, invalid, mix, not_allowed, not_found, Reply};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// GET /customers with the spec's filters. Unknown enum values in a filter are a 422, as in
/// Lago's filter validation; the list is newest first (Lago orders by `created_at` desc).
pub fn list_customers(store: &Store, query: &Query) -> Reply {
    let mut errors = serde_json::Map::new();
    let mut check = |name: &str, values: &[&str], ok: fn(&str) -> bool| {
        if !values.iter().all(|v| ok(v)) {
            errors.insert(name.to_string(), json!(["value_is_invalid"]));
        }
    };
    let currencies = query.all("currencies");
    let countries = query.all("countries");
    let account_types = query.all("account_type");
    let customer_type = query.get("customer_type").filter(|v| !v.is_empty());
    let bool_param = |name: &str| query.get(name).filter(|v| !v.is_empty());
    check("currencies", &currencies, codes::is_currency);
    check("countries", &countries, codes::is_country);
    check("account_type", &account_types, |v| {
        v == "customer" || v == "partner"
    });
    check("customer_type", customer_type.as_slice(), |v| {
        v == "company" || v == "individual"
    });
    for name in ["has_customer_type", "has_tax_identification_number"] {
        check(name, bool_param(name).as_slice(), |v| {
            v == "true" || v == "false"
        });
    }
    if !errors.is_empty() {
        return util::unprocessable(Value::Object(errors));
    }
    let states = query.all("states");
    let zipcodes = query.all("zipcodes");
    let entities = query.all("billing_entity_codes");
    // Lago's `external_id` filter is an exact match and makes `search_term` ignored.
    let external_id = query.get("external_id").filter(|v| !v.is_empty());
    let term = match external_id {
        Some(_) => String::new(),
        None => query.get("search_term").unwrap_or_default().to_lowercase(),
    };
    let metadata: Vec<(&str, &str)> = query
        .0
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("metadata[")?.strip_suffix(']')?, v.as_str())))
        .collect();
    let in_set = |set: &[&str], value: &str| set.is_empty() || set.contains(&value);
    let presence =
        |param: Option<&str>, present: bool| param.is_none_or(|p| (p == "true") == present);
    let matching: Vec<Value> = store
        .customers
        .iter()
        .rev()
        .filter(|c| {
            let f = |k: &str| c.str_field(k);
            let searchable = [
                "name",
                "firstname",
                "lastname",
                "external_id",
                "email",
                "legal_name",
            ];
            external_id.is_none_or(|id| id == c.external_id())
                && (term.is_empty()
                    || searchable
                        .iter()
                        .any(|k| f(k).to_lowercase().contains(&term)))
                && in_set(&currencies, f("currency"))
                && in_set(&countries, f("country"))
                && in_set(&account_types, f("account_type"))
                && in_set(&states, f("state"))
                && in_set(&zipcodes, f("zipcode"))
                && in_set(&entities, f("billing_entity_code"))
                && customer_type.is_none_or(|t| t == f("customer_type"))
                && presence(
                    bool_param("has_customer_type"),
                    !f("customer_type").is_empty(),
                )
                && presence(
                    bool_param("has_tax_identification_number"),
                    !f("tax_identification_number").is_empty(),
                )
                && metadata.iter().all(|(key, value)| {
                    c.field("metadata").as_array().is_some_and(|items| {
                        items.iter().any(|m| {
                            m["key"].as_str() == Some(key) && m["value"].as_str() == Some(value)
                        })
                    })
                })
        })
        .map(|c| {
            // List items lack what only single-customer answers carry.
            let mut item = c.json.clone();
            item.remove("applicable_invoice_custom_sections");
            item.remove("error_details");
            Value::Object(item)
        })
        .collect();
    let (page, meta) = paginate(&matching, query);
    (StatusCode::OK, json!({"customers": page, "meta": meta}))
}

pub fn checkout_url(store: &Store, id: &str, base_url: &str) -> Reply {
    let Some(customer) = store.find(id) else {
        return not_found("customer_not_found");
    };
    let billing = &customer.field("billing_configuration");
    let Some(provider) = billing["payment_provider"].as_str() else {
        return invalid("base", "no_linked_payment_provider");
    };
    if provider == "cashfree" || provider == "flutterwave" {
        return not_allowed("feature_not_supported");
    }
    if provider == "stripe" && id == STRIPE_AUTH_FAILS {
        // Stripe refused Lago's Stripe key: a 401 that is not about the Lago key.
        let error = "Stripe authentication failed. Invalid API Key provided: sk_live_********7x2Q";
        return (
            StatusCode::UNAUTHORIZED,
            json!({"status": 401, "error": error}),
        );
    }
    let token = format!(
        "{:016x}",
        mix(hash_str(customer.str_field("lago_id")) ^ 0xC4EC)
    );
    (
        StatusCode::OK,
        json!({"customer": {
            "lago_customer_id": customer.field("lago_id"),
            "external_customer_id": customer.field("external_id"),
            "payment_provider": provider,
            "payment_provider_code": billing["payment_provider_code"].as_str().unwrap_or(provider),
            "checkout_url": format!("{base_url}/checkout/{provider}/{token}"),
        }}),
    )
}
