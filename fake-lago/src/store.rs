//! The fake's data: customers (kept as the exact JSON objects it serves), their subscriptions
//! and applied coupons, and the customer upsert with Lago's validations.

use crate::customer_input::{merge_integration, validate};
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

    /// A field of the served customer, or null when absent.
    pub fn field(&self, key: &str) -> &Value {
        crate::util::field(&self.json, key)
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
    /// The usage events received (`events.rs`).
    pub events: crate::events::Events,
    /// What the operations served from the spec's table keep (`generic.rs`).
    pub generic: crate::generic::Items,
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
