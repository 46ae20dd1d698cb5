//! The corpus test: real-shaped Lago bodies (`tests/corpus/<model>/*.json`, sources in
//! `tests/corpus/SOURCES.md`) decode into their model and encode back to the same JSON: equal as
//! `serde_json::Value`, and equal as text once keys are sorted, with every number in the exact
//! form it had (`1.0` stays `1.0`, `20` stays `20`). Plus the bodies that must NOT decode (a
//! wrapper without its key, or with `null`/the wrong type there), so the client answers `decode`.

use std::path::{Path, PathBuf};

use lago_wasm::models::{
    ApiError, AppliedCoupon, AppliedCouponsPaginated, CreateCustomerWalletAlert200Response,
    CreateCustomerWalletAlertRequest, CreditNotesPaginated, Customer, CustomerCreateInput,
    CustomerInput, CustomerPastUsage, CustomerProjectedUsage, CustomerUsage, CustomersPaginated,
    Field, GenerateCustomerCheckoutURL200Response, GetCustomerPortalUrl200Response,
    InvoicesPaginated, NumOrStr, PaymentRequestsPaginated, PaymentsPaginated, SpecDrift,
    SubscriptionsPaginated, Wallet, WalletAlert, WalletAlerts, WalletCreateInput,
    WalletMetadataResponse, WalletsPaginated,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// What one body gave: an error, or the number of drift items (fields and enum values beyond
/// the spec, kept in `extra` / `Other`) it carried.
type Checker = fn(&str) -> Result<usize, String>;

/// Each corpus folder and the model its bodies decode into. Every folder must hold a body.
const MODELS: &[(&str, Checker)] = &[
    ("api_error", check::<ApiError>),
    ("applied_coupon", check::<AppliedCoupon>),
    (
        "applied_coupons_paginated",
        check::<AppliedCouponsPaginated>,
    ),
    (
        "checkout_url",
        check::<GenerateCustomerCheckoutURL200Response>,
    ),
    (
        "create_wallet_alert_response",
        check::<CreateCustomerWalletAlert200Response>,
    ),
    ("credit_notes_paginated", check::<CreditNotesPaginated>),
    ("customer", check::<Customer>),
    ("customer_create_input", check::<CustomerCreateInput>),
    ("customer_past_usage", check::<CustomerPastUsage>),
    ("customer_projected_usage", check::<CustomerProjectedUsage>),
    ("customer_usage", check::<CustomerUsage>),
    ("customers_paginated", check::<CustomersPaginated>),
    ("invoices_paginated", check::<InvoicesPaginated>),
    (
        "payment_requests_paginated",
        check::<PaymentRequestsPaginated>,
    ),
    ("payments_paginated", check::<PaymentsPaginated>),
    ("portal_url", check::<GetCustomerPortalUrl200Response>),
    ("subscriptions_paginated", check::<SubscriptionsPaginated>),
    ("wallet", check::<Wallet>),
    (
        "wallet_alert_create_request",
        check::<CreateCustomerWalletAlertRequest>,
    ),
    ("wallet_alert", check::<WalletAlert>),
    ("wallet_alerts", check::<WalletAlerts>),
    ("wallet_create_input", check::<WalletCreateInput>),
    ("wallet_metadata", check::<WalletMetadataResponse>),
    ("wallets_paginated", check::<WalletsPaginated>),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Decodes `text` into `T`, encodes it again and compares: as JSON values, then as canonical
/// text with the numbers' original spelling.
fn check<T: DeserializeOwned + Serialize + SpecDrift>(text: &str) -> Result<usize, String> {
    let original: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let model: T = serde_json::from_str(text).map_err(|e| format!("does not decode: {e}"))?;
    let again = serde_json::to_string(&model).map_err(|e| format!("does not encode: {e}"))?;
    let back: Value = serde_json::from_str(&again).map_err(|e| format!("bad re-encoding: {e}"))?;
    if back != original {
        return Err(format!(
            "not lossless as a JSON value:\n  sent: {original}\n  back: {back}"
        ));
    }
    let (want, got) = (canonical(text)?, canonical(&again)?);
    if want != got {
        return Err(format!(
            "not lossless as text:\n  sent: {want}\n  back: {got}"
        ));
    }
    Ok(model.drift().len())
}

#[test]
fn every_corpus_body_decodes_and_round_trips_losslessly() {
    let mut failures = Vec::new();
    let (mut bodies, mut lossless, mut drift) = (0, 0, 0);
    let mut folders: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    for (name, _) in MODELS {
        if !folders.iter().any(|f| f.ends_with(name)) {
            failures.push(format!("{name}: no corpus folder"));
        }
    }
    for folder in &folders {
        let name = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some((_, checker)) = MODELS.iter().find(|(model, _)| *model == name) else {
            failures.push(format!("{name}: folder with no model in MODELS"));
            continue;
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
            .expect("read a corpus folder")
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        if files.is_empty() {
            failures.push(format!("{name}: empty folder"));
        }
        for file in files {
            bodies += 1;
            let text = std::fs::read_to_string(&file).expect("read a corpus body");
            match checker(&text) {
                Ok(items) => {
                    lossless += 1;
                    drift += items;
                }
                Err(problem) => failures.push(format!("{}: {problem}", file.display())),
            }
        }
    }
    eprintln!(
        "corpus: {bodies} bodies in {} folders, {lossless} decoded and round-tripped losslessly \
         ({drift} fields or enum values beyond the spec kept in `extra`/`Other`)",
        folders.len()
    );
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(bodies >= 30, "the corpus must hold at least 30 bodies");
}

#[test]
fn wrapper_without_its_key_or_with_a_non_object_fails_to_decode() {
    for bad in [
        json!({}),
        json!({ "customer": null }),
        json!({ "customer": [] }),
        json!({ "customer": "acme" }),
        json!({ "customers": [{}] }),
        json!([]),
        json!(null),
        json!("customer"),
    ] {
        assert!(
            serde_json::from_value::<Customer>(bad.clone()).is_err(),
            "Customer decoded from {bad}"
        );
    }
    fn refuses<T: DeserializeOwned>(label: &str, bad: Value) {
        assert!(
            serde_json::from_value::<T>(bad.clone()).is_err(),
            "{label} decoded from {bad}"
        );
    }
    let meta = json!({ "current_page": 1, "total_pages": 1, "total_count": 0 });
    refuses::<CustomersPaginated>("CustomersPaginated", json!({ "meta": meta }));
    refuses::<CustomersPaginated>(
        "CustomersPaginated",
        json!({ "customers": null, "meta": meta }),
    );
    refuses::<CustomersPaginated>("CustomersPaginated", json!({ "customers": [] }));
    refuses::<CustomerUsage>("CustomerUsage", json!({ "customer_usage": null }));
    refuses::<CustomerPastUsage>("CustomerPastUsage", json!({ "meta": meta }));
    refuses::<CustomerProjectedUsage>("CustomerProjectedUsage", json!({}));
    refuses::<AppliedCoupon>("AppliedCoupon", json!({ "applied_coupon": 1 }));
    refuses::<GetCustomerPortalUrl200Response>("portal", json!({ "customer": null }));
    refuses::<GenerateCustomerCheckoutURL200Response>("checkout", json!({}));
    refuses::<InvoicesPaginated>("InvoicesPaginated", json!({ "invoices": {} }));
    refuses::<Wallet>("Wallet", json!({ "wallet": null }));
    refuses::<WalletsPaginated>("WalletsPaginated", json!({ "meta": meta }));
    refuses::<WalletAlert>("WalletAlert", json!({}));
    refuses::<WalletAlerts>("WalletAlerts", json!({ "alerts": null }));
    refuses::<CreateCustomerWalletAlert200Response>("alert answer", json!({}));
    // `metadata` is required but nullable: `null` decodes (see the corpus), absence does not.
    refuses::<WalletMetadataResponse>("WalletMetadataResponse", json!({}));
    refuses::<WalletMetadataResponse>("WalletMetadataResponse", json!({ "metadata": [] }));
    // The request bodies the caller builds keep the spec's required fields.
    refuses::<CustomerCreateInput>("CustomerCreateInput", json!({ "customer": {} }));
}

#[test]
fn absent_fields_stay_absent_and_nulls_stay_null() {
    let body = json!({ "customer": { "external_id": "acme", "address_line2": null } });
    let decoded: Customer = serde_json::from_value(body.clone()).expect("a sparse customer");
    let customer = &decoded.customer;
    assert_eq!(customer.external_id.as_deref(), Some("acme"));
    assert!(customer.address_line2.is_null());
    // Required by the spec, left out by this body: absent, not `0` or `""`.
    assert!(customer.sequential_id.is_absent());
    assert!(customer.slug.is_absent());
    assert!(customer.created_at.is_absent());
    assert_eq!(serde_json::to_value(&decoded).expect("encode"), body);

    let empty: Customer = serde_json::from_value(json!({ "customer": {} })).expect("{}");
    assert_eq!(
        serde_json::to_value(&empty).expect("encode"),
        json!({ "customer": {} })
    );
}

#[test]
fn numbers_and_decimal_strings_keep_their_form() {
    let usage = json!({ "customer_usage": { "charges_usage": [
        { "units": 3, "pricing_unit_details": { "conversion_rate": 1.0, "amount_cents": "200" } },
        { "units": "3.50", "pricing_unit_details": { "conversion_rate": "0.5" } }
    ] } });
    let decoded: CustomerUsage = serde_json::from_value(usage.clone()).expect("usage");
    let charges = decoded
        .customer_usage
        .charges_usage
        .value()
        .expect("charges");
    let details = |i: usize| {
        charges
            .get(i)
            .and_then(|c| c.pricing_unit_details.value())
            .and_then(|d| d.conversion_rate.value())
            .cloned()
    };
    assert_eq!(details(0).and_then(|r| r.as_f64()), Some(1.0));
    assert_eq!(details(1), Some(NumOrStr::from("0.5")));
    let units = charges.get(1).and_then(|c| c.units.value()).cloned();
    assert_eq!(
        units.as_ref().map(ToString::to_string).as_deref(),
        Some("3.50")
    );
    let text = serde_json::to_string(&decoded).expect("encode");
    assert!(text.contains(r#""conversion_rate":1.0"#), "{text}");
    assert!(text.contains(r#""units":"3.50""#), "{text}");
    assert!(text.contains(r#""units":3,"#), "{text}");
}

#[test]
fn unknown_enum_values_and_fields_round_trip_and_are_reported() {
    let body = json!({ "customer": {
        "billing_configuration": { "payment_provider": "moneyhash", "provider_mandate_id": "M1" },
        "integration_customers": [{ "type": "okta", "targeted_object": null }],
        "external_salesforce_id": "sf_1"
    } });
    let decoded: Customer = serde_json::from_value(body.clone()).expect("drifted customer");
    let paths: Vec<String> = decoded.drift().iter().map(ToString::to_string).collect();
    assert_eq!(
        paths,
        [
            "unknown field `customer.external_salesforce_id`",
            "unknown field `customer.billing_configuration.provider_mandate_id`",
            "unknown value \"moneyhash\" at `customer.billing_configuration.payment_provider`",
            "unknown value \"okta\" at `customer.integration_customers[0].type`",
        ]
    );
    assert_eq!(serde_json::to_value(&decoded).expect("encode"), body);
}

#[test]
fn inputs_send_only_what_was_set_and_explicit_nulls() {
    let input = CustomerCreateInput {
        customer: CustomerInput {
            external_id: "acme".into(),
            name: "Acme".to_owned().into(),
            // An explicit null clears the field on Lago's upsert; absent fields are left alone.
            address_line2: Field::Null,
            ..Default::default()
        },
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&input).expect("encode"),
        json!({ "customer": { "external_id": "acme", "name": "Acme", "address_line2": null } })
    );
}

// ---------------------------------------------------------------------------------------------
// Canonical text: keys sorted, whitespace dropped, strings re-escaped by serde_json, numbers
// kept exactly as written. serde_json's own `Value` would normalise `1.50` and `1.5` alike.
// ---------------------------------------------------------------------------------------------

fn canonical(text: &str) -> Result<String, String> {
    let mut parser = Canonical {
        bytes: text.as_bytes(),
        at: 0,
    };
    let out = parser.value()?;
    parser.skip_ws();
    if parser.at != parser.bytes.len() {
        return Err(format!("trailing text at byte {}", parser.at));
    }
    Ok(out)
}

struct Canonical<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Canonical<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected `{}` at byte {}", byte as char, self.at))
        }
    }

    fn value(&mut self) -> Result<String, String> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let s = self.string()?;
                serde_json::to_string(&s).map_err(|e| e.to_string())
            }
            Some(_) => Ok(self.scalar()),
            None => Err("unexpected end".into()),
        }
    }

    fn object(&mut self) -> Result<String, String> {
        self.expect(b'{')?;
        let mut members = Vec::new();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok("{}".into());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            members.push((key, self.value()?));
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                _ => return Err(format!("bad object at byte {}", self.at)),
            }
        }
        members.sort();
        let parts: Result<Vec<String>, String> = members
            .into_iter()
            .map(|(k, v)| {
                Ok(format!(
                    "{}:{v}",
                    serde_json::to_string(&k).map_err(|e| e.to_string())?
                ))
            })
            .collect();
        Ok(format!("{{{}}}", parts?.join(",")))
    }

    fn array(&mut self) -> Result<String, String> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok("[]".into());
        }
        loop {
            items.push(self.value()?);
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    break;
                }
                _ => return Err(format!("bad array at byte {}", self.at)),
            }
        }
        Ok(format!("[{}]", items.join(",")))
    }

    /// A string token, decoded by serde_json (escapes and all).
    fn string(&mut self) -> Result<String, String> {
        if self.peek() != Some(b'"') {
            return Err(format!("expected a string at byte {}", self.at));
        }
        let start = self.at;
        self.at += 1;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => {
                    let token = self.bytes.get(start..self.at).unwrap_or_default();
                    return serde_json::from_slice(token).map_err(|e| e.to_string());
                }
                _ => {}
            }
        }
        Err("unterminated string".into())
    }

    /// A number, `true`, `false` or `null`, exactly as written.
    fn scalar(&mut self) -> String {
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| !matches!(b, b',' | b']' | b'}') && !b.is_ascii_whitespace())
        {
            self.at += 1;
        }
        String::from_utf8_lossy(self.bytes.get(start..self.at).unwrap_or_default()).into_owned()
    }
}

#[test]
fn the_text_comparison_sees_number_spelling_and_ignores_key_order() {
    assert_eq!(
        canonical(r#"{ "b": 1.50, "a": [1, 2.0, "x\u0041"] }"#).as_deref(),
        Ok(r#"{"a":[1,2.0,"xA"],"b":1.50}"#)
    );
    // serde_json would re-encode `4.0e2` as `400.0`: equal as a value, different as text.
    assert!(check::<ApiError>(r#"{"status": 4.0e2}"#).is_err());
    assert_eq!(check::<ApiError>(r#"{"status": 400.0, "x": null}"#), Ok(1));
}
