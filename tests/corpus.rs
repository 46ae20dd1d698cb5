//! The corpus test: real-shaped Lago bodies (`tests/corpus/<model>/*.json`, sources in
//! `tests/corpus/SOURCES.md`) decode into their model and encode back to the same JSON: equal as
//! `serde_json::Value`, and equal as text once keys are sorted, with every number in the exact
//! form it had (`1.0` stays `1.0`, `20` stays `20`). Plus the bodies that must NOT decode (a
//! wrapper without its key, or with `null`/the wrong type there), so the client answers `decode`.

use lago_wasm::models::{
    ApiError, AppliedCouponResponse, AppliedCouponsPaginated, CreateCustomerWalletAlert200Response,
    CreateCustomerWalletAlertRequest, CreditNotesPaginated, CustomerCreateInput, CustomerInput,
    CustomerPastUsage, CustomerProjectedUsageResponse, CustomerResponse, CustomerUsageResponse,
    CustomerWalletCreateInput, CustomersPaginated, Field, GenerateCustomerCheckoutURL200Response,
    GetCustomerPortalUrl200Response, InvoicesPaginated, JsModel, NumOrStr,
    PaymentRequestsPaginated, PaymentsPaginated, SpecDrift, SubscriptionsPaginated,
    WalletAlertResponse, WalletAlerts, WalletMetadataResponse, WalletResponse, WalletsPaginated,
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
    ("applied_coupon", check::<AppliedCouponResponse>),
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
    ("customer", check::<CustomerResponse>),
    ("customer_create_input", check::<CustomerCreateInput>),
    ("customer_past_usage", check::<CustomerPastUsage>),
    (
        "customer_projected_usage",
        check::<CustomerProjectedUsageResponse>,
    ),
    ("customer_usage", check::<CustomerUsageResponse>),
    ("customers_paginated", check::<CustomersPaginated>),
    ("invoices_paginated", check::<InvoicesPaginated>),
    (
        "payment_requests_paginated",
        check::<PaymentRequestsPaginated>,
    ),
    ("payments_paginated", check::<PaymentsPaginated>),
    ("portal_url", check::<GetCustomerPortalUrl200Response>),
    ("subscriptions_paginated", check::<SubscriptionsPaginated>),
    ("wallet", check::<WalletResponse>),
    (
        "wallet_alert_create_request",
        check::<CreateCustomerWalletAlertRequest>,
    ),
    ("wallet_alert", check::<WalletAlertResponse>),
    ("wallet_alerts", check::<WalletAlerts>),
    ("wallet_create_input", check::<CustomerWalletCreateInput>),
    ("wallet_metadata", check::<WalletMetadataResponse>),
    ("wallets_paginated", check::<WalletsPaginated>),
];

/// Every corpus body, compiled in so the wasm build (no file system) checks the same bodies;
/// `corpus_list_matches_the_folders` keeps this list and `tests/corpus/` equal.
const BODIES: &[(&str, &str)] = &[
    (
        "api_error/400_bad_request.json",
        include_str!("corpus/api_error/400_bad_request.json"),
    ),
    (
        "api_error/401_invalid_key.json",
        include_str!("corpus/api_error/401_invalid_key.json"),
    ),
    (
        "api_error/401_stripe_auth_failed.json",
        include_str!("corpus/api_error/401_stripe_auth_failed.json"),
    ),
    (
        "api_error/403_scoped_key.json",
        include_str!("corpus/api_error/403_scoped_key.json"),
    ),
    (
        "api_error/404_customer_not_found.json",
        include_str!("corpus/api_error/404_customer_not_found.json"),
    ),
    (
        "api_error/405_no_active_subscription.json",
        include_str!("corpus/api_error/405_no_active_subscription.json"),
    ),
    (
        "api_error/422_provider_error.json",
        include_str!("corpus/api_error/422_provider_error.json"),
    ),
    (
        "api_error/422_validation_errors.json",
        include_str!("corpus/api_error/422_validation_errors.json"),
    ),
    (
        "api_error/429_too_many_provider_requests.json",
        include_str!("corpus/api_error/429_too_many_provider_requests.json"),
    ),
    (
        "applied_coupon/v0_2022_expiration_date.json",
        include_str!("corpus/applied_coupon/v0_2022_expiration_date.json"),
    ),
    (
        "applied_coupon/v1_51_percentage_recurring.json",
        include_str!("corpus/applied_coupon/v1_51_percentage_recurring.json"),
    ),
    (
        "applied_coupon/v1_55_terminated_fixed_amount.json",
        include_str!("corpus/applied_coupon/v1_55_terminated_fixed_amount.json"),
    ),
    (
        "applied_coupons_paginated/v1_51_with_credits.json",
        include_str!("corpus/applied_coupons_paginated/v1_51_with_credits.json"),
    ),
    (
        "checkout_url/v0_2023_without_code.json",
        include_str!("corpus/checkout_url/v0_2023_without_code.json"),
    ),
    (
        "checkout_url/v1_51_stripe.json",
        include_str!("corpus/checkout_url/v1_51_stripe.json"),
    ),
    (
        "create_wallet_alert_response/batch_answer.json",
        include_str!("corpus/create_wallet_alert_response/batch_answer.json"),
    ),
    (
        "create_wallet_alert_response/single_answer.json",
        include_str!("corpus/create_wallet_alert_response/single_answer.json"),
    ),
    (
        "credit_notes_paginated/v0_2022_and_v1_51.json",
        include_str!("corpus/credit_notes_paginated/v0_2022_and_v1_51.json"),
    ),
    (
        "customer/v0_40_2023_shape.json",
        include_str!("corpus/customer/v0_40_2023_shape.json"),
    ),
    (
        "customer/v1_51_destroyed_minimal.json",
        include_str!("corpus/customer/v1_51_destroyed_minimal.json"),
    ),
    (
        "customer/v1_51_error_details_netsuite.json",
        include_str!("corpus/customer/v1_51_error_details_netsuite.json"),
    ),
    (
        "customer/v1_55_cashfree_partner.json",
        include_str!("corpus/customer/v1_55_cashfree_partner.json"),
    ),
    (
        "customer/v1_55_integrations_crm_tax.json",
        include_str!("corpus/customer/v1_55_integrations_crm_tax.json"),
    ),
    (
        "customer/v1_55_provider_settings_extras.json",
        include_str!("corpus/customer/v1_55_provider_settings_extras.json"),
    ),
    (
        "customer/v1_55_stripe_full.json",
        include_str!("corpus/customer/v1_55_stripe_full.json"),
    ),
    (
        "customer_create_input/upsert_with_explicit_nulls.json",
        include_str!("corpus/customer_create_input/upsert_with_explicit_nulls.json"),
    ),
    (
        "customer_past_usage/unknown_customer_empty.json",
        include_str!("corpus/customer_past_usage/unknown_customer_empty.json"),
    ),
    (
        "customer_past_usage/v1_51_two_periods.json",
        include_str!("corpus/customer_past_usage/v1_51_two_periods.json"),
    ),
    (
        "customer_projected_usage/v1_55_projected.json",
        include_str!("corpus/customer_projected_usage/v1_55_projected.json"),
    ),
    (
        "customer_usage/v0_2022_groups.json",
        include_str!("corpus/customer_usage/v0_2022_groups.json"),
    ),
    (
        "customer_usage/v1_51_open_enums.json",
        include_str!("corpus/customer_usage/v1_51_open_enums.json"),
    ),
    (
        "customer_usage/v1_55_no_charges.json",
        include_str!("corpus/customer_usage/v1_55_no_charges.json"),
    ),
    (
        "customer_usage/v1_55_pricing_units_filters_groups.json",
        include_str!("corpus/customer_usage/v1_55_pricing_units_filters_groups.json"),
    ),
    (
        "customers_paginated/empty_list.json",
        include_str!("corpus/customers_paginated/empty_list.json"),
    ),
    (
        "customers_paginated/v1_51_last_page.json",
        include_str!("corpus/customers_paginated/v1_51_last_page.json"),
    ),
    (
        "customers_paginated/v1_55_page_1_of_3.json",
        include_str!("corpus/customers_paginated/v1_55_page_1_of_3.json"),
    ),
    (
        "invoices_paginated/v1_51_draft_progressive.json",
        include_str!("corpus/invoices_paginated/v1_51_draft_progressive.json"),
    ),
    (
        "invoices_paginated/v1_55_and_v0_2023.json",
        include_str!("corpus/invoices_paginated/v1_55_and_v0_2023.json"),
    ),
    (
        "payment_requests_paginated/v1_51_dunning.json",
        include_str!("corpus/payment_requests_paginated/v1_51_dunning.json"),
    ),
    (
        "payments_paginated/v1_51_manual_and_provider.json",
        include_str!("corpus/payments_paginated/v1_51_manual_and_provider.json"),
    ),
    (
        "portal_url/v1_51.json",
        include_str!("corpus/portal_url/v1_51.json"),
    ),
    (
        "subscriptions_paginated/v1_55_active_and_v0_terminated.json",
        include_str!("corpus/subscriptions_paginated/v1_55_active_and_v0_terminated.json"),
    ),
    (
        "wallet/v0_2022_numbers.json",
        include_str!("corpus/wallet/v0_2022_numbers.json"),
    ),
    (
        "wallet/v1_51_terminated_interval.json",
        include_str!("corpus/wallet/v1_51_terminated_interval.json"),
    ),
    (
        "wallet/v1_55_recurring_threshold.json",
        include_str!("corpus/wallet/v1_55_recurring_threshold.json"),
    ),
    (
        "wallet_alert/v1_51_credits_ongoing.json",
        include_str!("corpus/wallet_alert/v1_51_credits_ongoing.json"),
    ),
    (
        "wallet_alert/v1_55_mixed_threshold_values.json",
        include_str!("corpus/wallet_alert/v1_55_mixed_threshold_values.json"),
    ),
    (
        "wallet_alert_create_request/batch.json",
        include_str!("corpus/wallet_alert_create_request/batch.json"),
    ),
    (
        "wallet_alert_create_request/single.json",
        include_str!("corpus/wallet_alert_create_request/single.json"),
    ),
    (
        "wallet_alerts/v1_55_list.json",
        include_str!("corpus/wallet_alerts/v1_55_list.json"),
    ),
    (
        "wallet_create_input/threshold_rule.json",
        include_str!("corpus/wallet_create_input/threshold_rule.json"),
    ),
    (
        "wallet_metadata/all_deleted_null.json",
        include_str!("corpus/wallet_metadata/all_deleted_null.json"),
    ),
    (
        "wallet_metadata/replaced.json",
        include_str!("corpus/wallet_metadata/replaced.json"),
    ),
    (
        "wallets_paginated/v1_55_two_wallets.json",
        include_str!("corpus/wallets_paginated/v1_55_two_wallets.json"),
    ),
];

/// Decodes `text` into `T`, encodes it again and compares: as JSON values, then as canonical
/// text with the numbers' original spelling.
fn check<T: DeserializeOwned + Serialize + SpecDrift + JsModel>(
    text: &str,
) -> Result<usize, String> {
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
    // In wasm, also through `to_js()`/`from_js()` (tests at the end of this file).
    #[cfg(target_arch = "wasm32")]
    js::js_round_trip::<T>(text);
    Ok(model.drift().len())
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_corpus_body_decodes_and_round_trips_losslessly() {
    let mut failures = Vec::new();
    let (mut lossless, mut drift) = (0, 0);
    let folder = |path: &str| path.split('/').next().unwrap_or_default().to_owned();
    for (name, _) in MODELS {
        if !BODIES.iter().any(|(path, _)| folder(path) == *name) {
            failures.push(format!("{name}: no corpus body"));
        }
    }
    for (path, text) in BODIES {
        let Some((_, checker)) = MODELS.iter().find(|(model, _)| *model == folder(path)) else {
            failures.push(format!("{path}: a folder with no model in MODELS"));
            continue;
        };
        match checker(text) {
            Ok(items) => {
                lossless += 1;
                drift += items;
            }
            Err(problem) => failures.push(format!("{path}: {problem}")),
        }
    }
    let mut folders: Vec<String> = BODIES.iter().map(|(path, _)| folder(path)).collect();
    folders.dedup();
    let line = format!(
        "corpus: {} bodies in {} folders, {lossless} decoded and round-tripped losslessly{} \
         ({drift} fields or enum values beyond the spec kept in `extra`/`Other`)",
        BODIES.len(),
        folders.len(),
        if cfg!(target_arch = "wasm32") {
            ", through JS too"
        } else {
            ""
        },
    );
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("{line}");
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{line}");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        BODIES.len() >= 30,
        "the corpus must hold at least 30 bodies"
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn corpus_list_matches_the_folders() {
    let corpus_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut on_disk = Vec::new();
    for folder in std::fs::read_dir(&corpus_dir).expect("tests/corpus exists") {
        let folder = folder.expect("a corpus entry").path();
        if !folder.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&folder).expect("a corpus folder") {
            let file = file.expect("a corpus file").path();
            if file.extension().is_some_and(|ext| ext == "json") {
                let rel = file.strip_prefix(&corpus_dir).expect("under tests/corpus");
                on_disk.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    on_disk.sort();
    let listed: Vec<String> = BODIES.iter().map(|(path, _)| (*path).to_owned()).collect();
    assert_eq!(
        listed, on_disk,
        "BODIES must list every file under tests/corpus, in order"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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
            serde_json::from_value::<CustomerResponse>(bad.clone()).is_err(),
            "CustomerResponse decoded from {bad}"
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
    refuses::<CustomerUsageResponse>("CustomerUsageResponse", json!({ "customer_usage": null }));
    refuses::<CustomerPastUsage>("CustomerPastUsage", json!({ "meta": meta }));
    refuses::<CustomerProjectedUsageResponse>("CustomerProjectedUsageResponse", json!({}));
    refuses::<AppliedCouponResponse>("AppliedCouponResponse", json!({ "applied_coupon": 1 }));
    refuses::<GetCustomerPortalUrl200Response>("portal", json!({ "customer": null }));
    refuses::<GenerateCustomerCheckoutURL200Response>("checkout", json!({}));
    refuses::<InvoicesPaginated>("InvoicesPaginated", json!({ "invoices": {} }));
    refuses::<WalletResponse>("WalletResponse", json!({ "wallet": null }));
    refuses::<WalletsPaginated>("WalletsPaginated", json!({ "meta": meta }));
    refuses::<WalletAlertResponse>("WalletAlertResponse", json!({}));
    refuses::<WalletAlerts>("WalletAlerts", json!({ "alerts": null }));
    refuses::<CreateCustomerWalletAlert200Response>("alert answer", json!({}));
    // `metadata` is required but nullable: `null` decodes (see the corpus), absence does not.
    refuses::<WalletMetadataResponse>("WalletMetadataResponse", json!({}));
    refuses::<WalletMetadataResponse>("WalletMetadataResponse", json!({ "metadata": [] }));
    // `lago_id` and `external_id` are sent by every serializer of the server (REALITY.md): a
    // customer without one is not Lago's.
    refuses::<CustomerResponse>("CustomerResponse", json!({ "customer": {} }));
    refuses::<CustomerResponse>(
        "CustomerResponse",
        json!({ "customer": { "lago_id": "1a90" } }),
    );
    refuses::<CustomerResponse>(
        "CustomerResponse",
        json!({ "customer": { "lago_id": null, "external_id": "acme" } }),
    );
    // The request bodies the caller builds keep the spec's required fields.
    refuses::<CustomerCreateInput>("CustomerCreateInput", json!({ "customer": {} }));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn absent_fields_stay_absent_and_nulls_stay_null() {
    let body =
        json!({ "customer": { "lago_id": "1a90", "external_id": "acme", "address_line2": null } });
    let decoded: CustomerResponse =
        serde_json::from_value(body.clone()).expect("a sparse customer");
    let customer = &decoded.customer;
    assert_eq!(customer.external_id, "acme");
    assert!(customer.address_line2.is_null());
    // Required by the spec, left out by this body: absent, not `0` or `""`.
    assert!(customer.sequential_id.is_absent());
    assert!(customer.slug.is_absent());
    assert!(customer.created_at.is_absent());
    assert_eq!(serde_json::to_value(&decoded).expect("encode"), body);

    // Only the ids Lago always sends are needed (see the next test).
    let ids = json!({ "customer": { "lago_id": "1a90", "external_id": "acme" } });
    let bare: CustomerResponse = serde_json::from_value(ids.clone()).expect("the ids alone");
    assert_eq!(serde_json::to_value(&bare).expect("encode"), ids);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn numbers_and_decimal_strings_keep_their_form() {
    let usage = json!({ "customer_usage": { "charges_usage": [
        { "units": 3, "pricing_unit_details": { "conversion_rate": 1.0, "amount_cents": "200" } },
        { "units": "3.50", "pricing_unit_details": { "conversion_rate": "0.5" } }
    ] } });
    let decoded: CustomerUsageResponse = serde_json::from_value(usage.clone()).expect("usage");
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn unknown_enum_values_and_fields_round_trip_and_are_reported() {
    let body = json!({ "customer": {
        "lago_id": "1a90", "external_id": "acme",
        "billing_configuration": { "payment_provider": "paypal", "provider_mandate_id": "M1" },
        "integration_customers": [{ "lago_id": "1a91", "type": "okta", "targeted_object": null }],
        "external_pipedrive_id": "pd_1"
    } });
    let decoded: CustomerResponse = serde_json::from_value(body.clone()).expect("drifted customer");
    let paths: Vec<String> = decoded.drift().iter().map(ToString::to_string).collect();
    assert_eq!(
        paths,
        [
            "unknown field `customer.external_pipedrive_id`",
            "unknown field `customer.billing_configuration.provider_mandate_id`",
            "unknown value \"paypal\" at `customer.billing_configuration.payment_provider`",
            "unknown value \"okta\" at `customer.integration_customers[0].type`",
        ]
    );
    assert_eq!(serde_json::to_value(&decoded).expect("encode"), body);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_text_comparison_sees_number_spelling_and_ignores_key_order() {
    assert_eq!(
        canonical(r#"{ "b": 1.50, "a": [1, 2.0, "x\u0041"] }"#).as_deref(),
        Ok(r#"{"a":[1,2.0,"xA"],"b":1.50}"#)
    );
    // serde_json would re-encode `4.0e2` as `400.0`: equal as a value, different as text.
    assert!(check::<ApiError>(r#"{"status": 4.0e2}"#).is_err());
    assert_eq!(check::<ApiError>(r#"{"status": 400.0, "x": null}"#), Ok(1));
}

/// `to_js()`/`from_js()` (wasm only): corpus bodies become plain JS objects (never `Map`s, even
/// for the flattened `extra` fields), explicit `null`s stay `null`, and the way back gives the
/// same model. Run with `wasm-bindgen-test-runner` (Node is enough: no DOM involved).
#[cfg(target_arch = "wasm32")]
mod js {
    use super::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Equal as JS sees JSON: a JS number has no integer/float distinction, so `1.0` sent to JS
    /// comes back as `1` (the same number); everything else must be identical.
    fn same_in_js(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_in_js(x, y))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| same_in_js(v, w)))
            }
            _ => a == b,
        }
    }

    pub(super) fn js_round_trip<T: JsModel>(text: &str) -> JsValue {
        let model: T = serde_json::from_str(text).expect("a corpus body decodes");
        let js = model.to_js().expect("to_js");
        let stringified = js_sys::JSON::stringify(&js)
            .ok()
            .and_then(|s| s.as_string())
            .expect("JSON.stringify of a plain object");
        let sent: Value = serde_json::from_str(text).expect("JSON");
        let seen: Value = serde_json::from_str(&stringified).expect("JSON from JS");
        assert!(same_in_js(&seen, &sent), "to_js changed {sent} into {seen}");
        let back = T::from_js(js.clone()).expect("from_js");
        let back = serde_json::to_value(&back).expect("encode");
        assert!(same_in_js(&back, &sent), "from_js gave {back}, not {sent}");
        js
    }

    fn get(target: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(target, &JsValue::from_str(key)).expect("Reflect.get")
    }

    #[wasm_bindgen_test]
    fn customer_with_extras_becomes_a_plain_object_with_its_nulls() {
        let js = js_round_trip::<CustomerResponse>(include_str!(
            "corpus/customer/v1_55_integrations_crm_tax.json"
        ));
        let customer = get(&js, "customer");
        assert!(!customer.is_instance_of::<js_sys::Map>());
        assert!(customer.is_object());
        // An `extra` field (`external_salesforce_id`) is a property, not a Map entry.
        assert_eq!(
            get(&customer, "external_salesforce_id")
                .as_string()
                .as_deref(),
            Some("001Hn00001XyZabIAF")
        );
        assert!(get(&customer, "legal_number").is_null());
        assert!(get(&customer, "sequential_id").as_f64() == Some(1203.0));
    }

    #[wasm_bindgen_test]
    fn usage_numbers_and_strings_keep_their_js_types() {
        let js = js_round_trip::<CustomerUsageResponse>(include_str!(
            "corpus/customer_usage/v1_55_pricing_units_filters_groups.json"
        ));
        let charge =
            js_sys::Reflect::get_u32(&get(&get(&js, "customer_usage"), "charges_usage"), 0)
                .expect("first charge");
        assert_eq!(
            get(&get(&charge, "pricing_unit_details"), "conversion_rate").as_f64(),
            Some(0.5)
        );
        assert_eq!(get(&charge, "units").as_string().as_deref(), Some("1250.0"));
    }

    #[wasm_bindgen_test]
    fn from_js_refuses_a_wrapper_without_its_object() {
        let empty = js_sys::Object::new();
        assert!(CustomerResponse::from_js(empty.into()).is_err());
        let null_customer = js_sys::JSON::parse(r#"{"customer":null}"#).expect("JSON.parse");
        assert!(CustomerResponse::from_js(null_customer).is_err());
    }
    #[wasm_bindgen_test]
    fn from_js_answers_errors_not_panics_on_hostile_values() {
        let hostile = [
            JsValue::symbol(Some("x")),
            JsValue::from(js_sys::BigInt::from(1u64 << 60)),
            js_sys::Function::new_no_args("return 1").into(),
            js_sys::JSON::parse(r#"{"customer":{"name":42}}"#).expect("JSON.parse"),
            js_sys::JSON::parse(r#"{"customer":{"sequential_id":{}}}"#).expect("JSON.parse"),
        ];
        for value in hostile {
            assert!(CustomerResponse::from_js(value).is_err());
        }
        // A property set to `undefined` reads as an explicit `null` (serde-wasm-bindgen: both are
        // "none"); a missing property stays absent.
        let with_undefined = js_sys::Object::new();
        let customer = js_sys::Object::new();
        js_sys::Reflect::set(&customer, &"name".into(), &JsValue::UNDEFINED).expect("set");
        js_sys::Reflect::set(&with_undefined, &"customer".into(), &customer).expect("set");
        let decoded = CustomerResponse::from_js(with_undefined.into()).expect("undefined field");
        assert!(decoded.customer.name.is_null());
        assert!(decoded.customer.email.is_absent());
    }
}
