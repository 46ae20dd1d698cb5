//! Headless-browser suite over real HTTP: the JS face against the fake Lago server (started by
//! tools/browser-tests.sh, which bakes its URL in as FAKE_LAGO_URL). Cross-origin from the test
//! page, so every call also proves the server's CORS answers, preflights included.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect, JSON};
mod js_face_support;
use js_face_support::CustomersApi;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BASE: Option<&str> = option_env!("FAKE_LAGO_URL");

fn base() -> String {
    let base = BASE.expect(
        "FAKE_LAGO_URL is not set: run these tests with tools/browser-tests.sh (make test)",
    );
    format!("{base}/api/v1")
}

fn obj(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON literal")
}

fn api(extra: &str) -> CustomersApi {
    let options = obj(&format!(
        r#"{{"apiKey":"lago-demo-key","baseUrl":"{}"{extra}}}"#,
        base()
    ));
    CustomersApi::new(options).unwrap_or_else(|e| panic!("constructor: {e:?}"))
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, k| {
        Reflect::get(&v, &k.into()).unwrap_or(JsValue::UNDEFINED)
    })
}

async fn ok(p: js_sys::Promise) -> JsValue {
    JsFuture::from(p)
        .await
        .unwrap_or_else(|e| panic!("rejected: {:?}", get(&e, "message")))
}

async fn err(p: js_sys::Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => panic!("resolved: {v:?}"),
        Err(e) => e,
    }
}

fn fault(spec: &str) -> JsValue {
    obj(&format!(r#"{{"headers":{{"x-fake-fault":"{spec}"}}}}"#))
}

#[wasm_bindgen_test]
async fn finds_the_seeded_customer_over_http() {
    let body = ok(api("").find_customer("acme_corp".into(), JsValue::UNDEFINED)).await;
    assert_eq!(
        get(&body, "customer.external_id").as_string().as_deref(),
        Some("acme_corp")
    );
    assert!(get(&body, "customer.lago_id").is_string());
}

#[wasm_bindgen_test]
async fn creates_finds_and_destroys_an_id_that_needs_encoding() {
    let api = api("");
    let id = "browser/ü.1 #?%";
    let input = Object::new();
    let customer = obj(r#"{"name":"Browser","currency":"EUR"}"#);
    Reflect::set(&customer, &"external_id".into(), &id.into()).unwrap();
    Reflect::set(&input, &"customer".into(), &customer).unwrap();
    let created = ok(api.create_customer(input.into(), JsValue::UNDEFINED)).await;
    assert_eq!(
        get(&created, "customer.external_id").as_string().as_deref(),
        Some(id)
    );
    let found = ok(api.find_customer(id.into(), JsValue::UNDEFINED)).await;
    assert_eq!(
        get(&found, "customer.name").as_string().as_deref(),
        Some("Browser")
    );
    ok(api.destroy_customer(id.into(), JsValue::UNDEFINED)).await;
    let e = err(api.find_customer(id.into(), JsValue::UNDEFINED)).await;
    assert_eq!(get(&e, "status").as_f64(), Some(404.0));
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("customer_not_found")
    );
}

#[wasm_bindgen_test]
async fn lists_pages_and_usage_over_http() {
    let api = api("");
    let page =
        ok(api.find_all_customers(obj(r#"{"per_page":5,"page":2}"#), JsValue::UNDEFINED)).await;
    assert_eq!(get(&page, "meta.current_page").as_f64(), Some(2.0));
    assert_eq!(js_sys::Array::from(&get(&page, "customers")).length(), 5);
    let usage = api.find_customer_current_usage(
        "acme_corp".into(),
        "sub_acme_corp_1".into(),
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    );
    let usage = ok(usage).await;
    assert!(js_sys::Array::from(&get(&usage, "customer_usage.charges_usage")).length() > 0);
}

#[wasm_bindgen_test]
async fn retries_503_from_the_server_then_succeeds() {
    // Real backoff (at most 500 ms for the first retry) against a real server.
    let api = api("");
    let id = format!("b{}", js_sys::Math::random().to_bits());
    let options = fault(&format!("status=503;times=1;id={id}"));
    let body = ok(api.find_customer("acme_corp".into(), options)).await;
    assert_eq!(
        get(&body, "customer.external_id").as_string().as_deref(),
        Some("acme_corp")
    );
}

#[wasm_bindgen_test]
async fn server_latency_beyond_the_timeout_is_a_timeout() {
    let api = api(r#","timeoutMs":50,"maxRetries":0"#);
    let e = err(api.find_customer("acme_corp".into(), fault("latency=1500"))).await;
    assert_eq!(get(&e, "kind").as_string().as_deref(), Some("timeout"));
    assert_eq!(get(&e, "attempts").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn a_dropped_connection_is_a_network_error() {
    let api = api(r#","maxRetries":0"#);
    let e = err(api.find_customer("acme_corp".into(), fault("drop"))).await;
    assert_eq!(get(&e, "kind").as_string().as_deref(), Some("network"));
}

#[wasm_bindgen_test]
async fn rate_limit_headers_cross_cors_and_reach_the_error() {
    let api = api(r#","maxRetries":0"#);
    let e = err(api.find_customer("acme_corp".into(), fault("status=429;retry-after=2"))).await;
    assert_eq!(get(&e, "status").as_f64(), Some(429.0));
    assert_eq!(
        get(&e, "retryAfterMs").as_f64(),
        Some(2000.0),
        "Retry-After must be exposed by CORS"
    );
    assert_eq!(get(&e, "retryable").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn a_bad_key_is_a_final_401_that_never_shows_the_key() {
    let options = obj(&format!(
        r#"{{"apiKey":"sk_browser_secret","baseUrl":"{}"}}"#,
        base()
    ));
    let api = CustomersApi::new(options).unwrap_or_else(|e| panic!("constructor: {e:?}"));
    let e = err(api.find_customer("acme_corp".into(), JsValue::UNDEFINED)).await;
    assert_eq!(get(&e, "status").as_f64(), Some(401.0));
    assert_eq!(get(&e, "attempts").as_f64(), Some(1.0));
    let text = format!("{:?} {:?}", get(&e, "message"), JSON::stringify(&e).ok());
    assert!(!text.contains("sk_browser_secret"));
}

// The Rust face over the same core: typed models, tolerant decoding, the same errors.

fn rust_client() -> lago_wasm::Client {
    lago_wasm::Client::new(lago_wasm::ClientOptions {
        api_key: Some("lago-demo-key".into()),
        base_url: format!("{}/", base()),
        ..Default::default()
    })
}

#[wasm_bindgen_test]
async fn rust_face_decodes_typed_models() {
    let lago = rust_client();
    let found = lago
        .find_customer("acme_corp")
        .await
        .expect("find_customer");
    assert_eq!(found.customer.external_id, "acme_corp");
    let page = lago.find_all_customers().per_page(4).await.expect("list");
    assert_eq!(page.customers.len(), 4);
    assert_eq!(
        page.meta
            .current_page
            .value()
            .map(ToString::to_string)
            .as_deref(),
        Some("1")
    );
    let usage = lago
        .find_customer_current_usage("acme_corp", "sub_acme_corp_1")
        .await
        .expect("usage");
    assert!(usage
        .customer_usage
        .charges_usage
        .value()
        .is_some_and(|c| !c.is_empty()));
    let portal = lago
        .get_customer_portal_url("acme_corp")
        .await
        .expect("portal");
    assert!(portal
        .customer
        .portal_url
        .as_deref()
        .is_some_and(|u| u.starts_with("http")));
}

#[wasm_bindgen_test]
async fn rust_face_create_round_trips_unknown_fields_and_maps_errors() {
    use lago_wasm::models::{CustomerCreateInput, CustomerInput};
    let lago = rust_client();
    let mut customer = CustomerInput {
        external_id: "rust/face.1".into(),
        name: "Rusty".to_string().into(),
        ..Default::default()
    };
    customer
        .extra
        .insert("not_in_spec_yet".into(), serde_json::json!(true));
    let created = lago
        .create_customer(CustomerCreateInput {
            customer,
            ..Default::default()
        })
        .await
        .expect("create");
    assert_eq!(created.customer.name.as_deref(), Some("Rusty"));
    lago.destroy_customer("rust/face.1").await.expect("destroy");
    let err = lago.find_customer("rust/face.1").await.expect_err("gone");
    assert_eq!(err.kind, lago_wasm::ErrorKind::Http);
    assert_eq!(err.status, Some(404));
    assert!(err.is_not_found());
    assert_eq!(err.code.as_deref(), Some("customer_not_found"));
    assert_eq!(err.path, "/customers/rust%2Fface%2E1");
    let refused = lago.find_customer("..").await.expect_err("dot segment");
    assert_eq!(refused.kind, lago_wasm::ErrorKind::InvalidInput);
    assert_eq!(refused.attempts, 0);
}

#[wasm_bindgen_test]
fn rust_face_debug_output_never_shows_the_key() {
    let options = lago_wasm::ClientOptions {
        api_key: Some("sk_debug_secret_1234".into()),
        ..Default::default()
    };
    let shown = format!("{options:?} {:?}", lago_wasm::Client::new(options.clone()));
    assert!(!shown.contains("sk_debug_secret_1234"), "{shown}");
    assert!(shown.contains("[redacted]"));
}
