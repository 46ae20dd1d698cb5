//! What the Rust face sends and what it keeps, against the fake Lago server over real HTTP in
//! headless Chromium and Firefox: hostile but valid bodies (unknown fields in `extra`, explicit
//! nulls, big bodies) re-serialize to what the server sent; requests carry the headers, ids,
//! filters and JSON bodies asked for, with or without a key.
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use lago_wasm::models::{self, CustomerCreateInput, Field, JsModel};
use lago_wasm::{Client, ErrorKind};
use rust_face_support::*;
use serde_json::{json, Value};
use std::future::IntoFuture;
use std::time::Duration;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);
// ---------------------------------------------------------------------------------------------
// Hostile but valid bodies
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn explicit_nulls_survive_a_round_trip() {
    let lago = client();
    let wallet = lago
        .find_customer_wallet("acme_corp", "prepaid")
        .await
        .expect("wallet");
    assert!(wallet.wallet.expiration_at.is_null());
    assert!(wallet.wallet.terminated_at.is_null());
    let raw = api_json("/customers/acme_corp/wallets/prepaid").await;
    assert_eq!(json_of(&wallet), raw, "nulls and number forms kept");

    let customer = lago.find_customer("acme_corp").await.expect("customer");
    let raw = api_json("/customers/acme_corp").await;
    assert_eq!(json_of(&customer), raw);
    // And through JS, as a plain object (serde-wasm-bindgen's json_compatible).
    let back =
        models::CustomerResponse::from_js(customer.to_js().expect("to_js")).expect("from_js");
    assert_eq!(back, customer);
}

#[wasm_bindgen_test]
async fn unknown_fields_land_in_extra_and_are_sent_back() {
    let lago = client();
    let tag = uid("extra");
    let padded = lago
        .find_customer("acme_corp")
        .options(&faulted(&tag, "big=4096"))
        .await
        .expect("padded");
    let padding = padded
        .extra
        .get("padding")
        .and_then(Value::as_str)
        .expect("padding kept");
    assert!(padding.len() > 1000);
    let mut plain = json_of(&padded);
    plain.as_object_mut().expect("object").remove("padding");
    assert_eq!(plain, api_json("/customers/acme_corp").await);
    let drift = models::SpecDrift::drift(&padded);
    assert!(
        drift.iter().any(|d| d.to_string().contains("padding")),
        "{drift:?}"
    );
}

#[wasm_bindgen_test]
async fn big_bodies_decode() {
    let lago = client();
    let tag = uid("big");
    let big = lago
        .find_customer("acme_corp")
        .options(&faulted(&tag, "big=4000000"))
        .await
        .expect("a 4 MB body");
    let padding = big
        .extra
        .get("padding")
        .and_then(Value::as_str)
        .expect("padding");
    assert!(padding.len() > 3_900_000);
    assert_eq!(big.customer.external_id, "acme_corp");

    let list = lago
        .find_all_customers()
        .options(&faulted(&tag, "big=1000000"))
        .await
        .expect("a 1 MB page");
    assert!(!list.customers.is_empty());
    let mut pager = lago
        .list_all_customers()
        .per_page(3)
        .options(&faulted(&tag, "big=100000"));
    let first = pager.next().await.expect("an item");
    let first = first.unwrap_or_else(|e| {
        panic!(
            "a padded page: {}",
            e.message.chars().take(200).collect::<String>()
        )
    });
    assert_eq!(first.external_id, "acme_corp");
}

#[wasm_bindgen_test]
async fn a_field_set_to_null_is_sent_as_null() {
    let lago = client();
    let id = uid("rf_null");
    let body: CustomerCreateInput = model(json!({"customer": {
        "external_id": id, "name": "Nully", "email": "a@example.com", "currency": "EUR",
    }}));
    lago.create_customer(&body).await.expect("create");
    let mut again = body.clone();
    again.customer.email = Field::Null;
    let tag = uid("null_sent");
    let updated = lago
        .create_customer(&again)
        .options(&tagged(&tag))
        .await
        .expect("upsert");
    assert!(
        updated.customer.email.is_null(),
        "{:?}",
        updated.customer.email
    );
    let sent = &logged(server(), &tag).await[0]["body"];
    let sent: Value = serde_json::from_str(sent.as_str().expect("body")).expect("json");
    assert_eq!(sent["customer"]["email"], Value::Null);
    assert!(
        sent["customer"].get("phone").is_none(),
        "absent stays absent"
    );
    lago.destroy_customer(&id).await.expect("cleanup");
}

// ---------------------------------------------------------------------------------------------
// What goes on the wire
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn requests_carry_the_headers_ids_and_filters_asked() {
    let lago = client_with(|o| {
        o.headers = vec![
            ("X-Client".into(), "client".into()),
            ("x-both".into(), "client".into()),
        ];
    });
    let tag = uid("wire");
    let mut call = tagged(&tag);
    call.headers.push(("X-BOTH".into(), "call".into()));

    let e = lago
        .find_customer("wire/ü.1 #?%")
        .options(&call)
        .await
        .expect_err("no such customer");
    assert_eq!(e.path, "/customers/wire%2F%C3%BC%2E1%20%23%3F%25");
    let subs = lago
        .find_all_customer_subscriptions("acme_corp")
        .status(["active", "terminated"])
        .options(&call)
        .await
        .expect("subscriptions");
    let ids: Vec<_> = subs
        .subscriptions
        .iter()
        .filter_map(|s| s.external_id.as_deref())
        .collect();
    assert!(
        ids.contains(&"sub_acme_corp_1") && ids.contains(&"sub_acme_corp_2"),
        "{ids:?}"
    );
    lago.find_all_customers()
        .search_term("a&b=c d")
        .per_page(3)
        .options(&call)
        .await
        .expect("search");

    let requests = logged(server(), &tag).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        let headers = &request["headers"];
        assert_eq!(headers["accept"], "application/json");
        assert_eq!(headers["x-client"], "client");
        assert_eq!(
            headers["x-both"], "call",
            "the call's header wins, sent once"
        );
        assert!(
            headers.get("content-type").is_none(),
            "no body, no content type"
        );
        assert_eq!(request["authorized"], true);
        assert_eq!(request["method"], "GET");
    }
    // The exact URLs the fake saw: the query as the core wrote it, with no empty pair at its
    // end (gloo-net's request builder sent `…&per_page=3&`) and none on a URL without one.
    let url = |i: usize| {
        let (path, query) = (&requests[i]["path"], &requests[i]["query"]);
        format!(
            "{} ? {}",
            path.as_str().unwrap_or(""),
            query.as_str().unwrap_or("")
        )
    };
    assert_eq!(url(0), "/api/v1/customers/wire%2F%C3%BC%2E1%20%23%3F%25 ? ");
    assert_eq!(
        url(1),
        "/api/v1/customers/acme_corp/subscriptions ? status[]=active&status[]=terminated"
    );
    assert_eq!(
        url(2),
        "/api/v1/customers ? search_term=a%26b%3Dc%20d&per_page=3"
    );
}

#[wasm_bindgen_test]
async fn a_body_is_json_with_its_content_type() {
    let lago = client();
    let id = uid("rf_body");
    let tag = uid("body");
    let body: CustomerCreateInput = model(json!({"customer": {
        "external_id": id, "name": "Bodied", "metadata": [
            {"key": "k", "value": "v", "display_in_invoice": true}
        ], "not_in_spec_yet": {"kept": [1, 2.5, null]},
    }}));
    let created = lago
        .create_customer(&body)
        .options(&tagged(&tag))
        .await
        .expect("create");
    assert_eq!(created.customer.name.as_deref(), Some("Bodied"));
    let request = &logged(server(), &tag).await[0];
    assert_eq!(request["method"], "POST");
    assert_eq!(request["headers"]["content-type"], "application/json");
    let sent: Value = serde_json::from_str(request["body"].as_str().expect("body")).expect("json");
    assert_eq!(
        sent,
        json_of(&body),
        "sent as serialized, unknown fields included"
    );
    assert_eq!(
        sent["customer"]["not_in_spec_yet"],
        json!({"kept": [1, 2.5, null]})
    );
    lago.destroy_customer(&id).await.expect("cleanup");
}

#[wasm_bindgen_test]
async fn behind_a_proxy_without_a_key() {
    let lago = Client::new(lago_wasm::ClientOptions {
        api_key: None,
        base_url: format!("{}/proxy/api/v1/", server()),
        ..Default::default()
    });
    let found = lago
        .find_customer("acme_corp")
        .await
        .expect("through the proxy");
    assert_eq!(found.customer.external_id, "acme_corp");
}

#[wasm_bindgen_test]
async fn a_zero_timeout_means_none() {
    let lago = client_with(|o| o.timeout_ms = 0);
    let tag = uid("no_timeout");
    let found = lago
        .find_customer("acme_corp")
        .options(&faulted(&tag, "latency=300"))
        .await
        .expect("waited for the slow answer");
    assert_eq!(found.customer.external_id, "acme_corp");
}

#[wasm_bindgen_test]
async fn without_a_key_lago_answers_401() {
    let lago = Client::new(lago_wasm::ClientOptions {
        api_key: None,
        max_retries: 0,
        ..options(server())
    });
    let e = lago
        .find_customer("acme_corp")
        .await
        .expect_err("no key sent");
    assert_eq!(e.kind, ErrorKind::Http);
    assert_eq!(e.status, Some(401));
    assert_eq!(e.attempts, 1);
}

#[wasm_bindgen_test]
async fn a_trailing_slash_in_the_base_url_changes_nothing() {
    let tag = uid("slash");
    let slashed = Client::new(lago_wasm::ClientOptions {
        base_url: format!("{}/api/v1/", server()),
        ..options(server())
    });
    for lago in [client(), slashed] {
        let found = lago
            .find_customer("acme_corp")
            .options(&tagged(&tag))
            .await
            .expect("found");
        assert_eq!(found.customer.external_id, "acme_corp");
    }
    let paths: Vec<_> = logged(server(), &tag)
        .await
        .iter()
        .map(|r| r["path"].clone())
        .collect();
    assert_eq!(paths.len(), 2);
    assert_eq!(paths[0], paths[1]);
    assert_eq!(
        lago_wasm::ClientOptions::default().base_url,
        "https://api.getlago.com/api/v1"
    );
}

#[wasm_bindgen_test]
async fn deep_object_and_spec_filters_are_sent_for_the_server_to_judge() {
    let lago = client();
    let tag = uid("deep");
    let usage = lago
        .find_customer_current_usage("acme_corp", "sub_acme_corp_1")
        .filter_by_group([("cloud region", "eu/west")])
        .options(&tagged(&tag))
        .await
        .expect("usage");
    assert!(usage.customer_usage.charges_usage.value().is_some());
    let query = logged(server(), &tag).await[0]["query"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        query.contains("filter_by_group[cloud%20region]=eu%2Fwest"),
        "{query}"
    );
    // A value the spec does not list is sent; the server refuses it.
    let e = lago
        .find_all_customer_invoices("acme_corp")
        .status("bogus")
        .await
        .expect_err("422");
    assert_eq!(e.status, Some(422));
    assert_eq!(e.attempts, 1);
}

#[wasm_bindgen_test]
async fn enum_values_the_spec_does_not_list_are_sent_for_the_server_to_judge() {
    // Lago runs ahead of its spec (currency BHD, provider cashfree, a lowercase country it
    // upcases): nothing is refused before sending, and the fake accepts them as Lago does.
    use lago_wasm::models::{CustomerBillingConfiguration, CustomerInput, PaymentProvider};
    let id = uid("ahead");
    let body = CustomerCreateInput {
        customer: CustomerInput {
            external_id: id.clone(),
            currency: "BHD".to_string().into(),
            country: "fr".to_string().into(),
            billing_configuration: CustomerBillingConfiguration {
                payment_provider: PaymentProvider::from("cashfree").into(),
                ..Default::default()
            }
            .into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let created = client().create_customer(&body).await.expect("accepted");
    assert_eq!(created.customer.currency.as_deref(), Some("BHD"));
    assert_eq!(created.customer.country.as_deref(), Some("FR"));
    client().destroy_customer(&id).await.expect("cleanup");
}

#[wasm_bindgen_test]
async fn every_builder_setter_reaches_the_request() {
    let lago = client();
    let tag = uid("setters");
    let page = lago
        .find_all_customers()
        .header("x-test-id", &tag)
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .per_page(2)
        .page(1)
        .search_term("acme")
        .currencies(["USD", "EUR"])
        .metadata([("plan tier", "gold")])
        .has_customer_type(false)
        .query("newer_than_the_spec", "x y")
        .await
        .expect("list");
    assert!(page.customers.len() <= 2);
    let requests = logged(server(), &tag).await;
    assert_eq!(requests.len(), 1);
    // In the order set, `page` last (where a pager puts it too).
    assert_eq!(
        requests[0]["query"],
        "per_page=2&search_term=acme&currencies[]=USD&currencies[]=EUR\
         &metadata[plan%20tier]=gold&has_customer_type=false&newer_than_the_spec=x%20y&page=1"
    );
}

#[wasm_bindgen_test]
async fn setters_refuse_what_their_parameter_cannot_take_before_sending() {
    let lago = client();
    let tag = uid("setter_refusals");
    let call = tagged(&tag);
    let refused = [
        lago.find_all_customers().per_page(0).options(&call).await,
        lago.find_all_customers()
            .query("per_page", "ten")
            .options(&call)
            .await,
        lago.find_all_customers()
            .query("currencies", "USD")
            .options(&call)
            .await,
        lago.find_all_customers()
            .query("has_customer_type", "yes")
            .options(&call)
            .await,
        lago.find_all_customers()
            .timeout(Duration::from_secs(3_000_000))
            .options(&call)
            .await,
        lago.find_all_customers()
            .max_retries(11)
            .options(&call)
            .await,
        lago.find_all_customers()
            .header("bad name", "v")
            .options(&call)
            .await,
    ];
    let fields: Vec<_> = refused
        .into_iter()
        .map(|r| {
            let e = r.expect_err("refused");
            assert_eq!((e.kind, e.attempts), (ErrorKind::InvalidInput, 0), "{e}");
            e.field.unwrap_or_default()
        })
        .collect();
    assert_eq!(
        fields,
        [
            "per_page",
            "per_page",
            "currencies",
            "has_customer_type",
            "timeout_ms",
            "max_retries",
            "headers"
        ]
    );
    assert!(logged(server(), &tag).await.is_empty(), "nothing was sent");
}

#[wasm_bindgen_test]
async fn a_call_owns_its_arguments_and_its_client() {
    let id = uid("rf_owned");
    // Built from values that are gone before it is awaited: the future is `'static`.
    let pending = {
        let lago = client();
        let body = CustomerCreateInput {
            customer: lago_wasm::models::CustomerInput {
                external_id: id.clone(),
                name: "Owned".to_string().into(),
                ..Default::default()
            },
            ..Default::default()
        };
        lago.create_customer(&body).into_future()
    };
    let made = pending.await.expect("created");
    assert_eq!(made.customer.external_id, id);
    let owned_id = id.clone();
    let gone = client().destroy_customer(owned_id);
    gone.await.expect("destroyed");
    let e = client().find_customer(&id).await.expect_err("gone");
    assert!(e.is_not_found(), "{e}");
}
