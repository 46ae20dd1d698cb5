//! `verify_webhook` in a dedicated worker (no `window`: WebCrypto is the worker scope's), in
//! headless Chromium and Firefox over real HTTP: a jwt and an hmac webhook the fake Lago server
//! signed verify, and tampered ones do not. The full suite runs in a page:
//! tests/rust_face_webhooks.rs.
//!
//! Run by tools/browser-tests.sh, which starts the fake server and bakes its URL in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use lago_wasm::webhook::{verify_webhook, SignatureAlgorithm, WebhookRequest};
use lago_wasm::ErrorKind;
use rust_face_support::*;
use serde_json::Value;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
async fn verifies_in_a_worker() {
    assert!(web_sys::window().is_none(), "runs in a worker");
    let keys = raw(server(), "GET", "/admin/webhooks/keys").await;
    for (name, algorithm) in [
        ("jwt", SignatureAlgorithm::Jwt),
        ("hmac", SignatureAlgorithm::Hmac),
    ] {
        let signed = raw(
            server(),
            "POST",
            &format!("/admin/webhooks/sign?algorithm={name}"),
        )
        .await;
        let body = signed["body"].as_str().expect("body").to_string();
        let headers: Vec<(String, String)> = signed["headers"]
            .as_object()
            .expect("headers")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        let request = |body: &str| {
            WebhookRequest::new(body)
                .headers(headers.clone())
                .public_key(keys["public_key"].as_str().expect("public_key"))
                .hmac_key(keys["hmac_key"].as_str().expect("hmac_key"))
                .issuer(keys["issuer"].as_str().expect("issuer"))
        };
        let out = verify_webhook(request(&body)).await.expect("verified");
        assert!(out.valid, "{name}");
        assert_eq!(out.algorithm, Some(algorithm));
        assert_eq!(
            out.event.as_ref().map(|e| e["webhook_type"].clone()),
            Some(Value::from("customer.created"))
        );
        let tampered = verify_webhook(request(&body.replace("acme", "acmf")))
            .await
            .expect("no error");
        assert!(
            !tampered.valid && tampered.event.is_none(),
            "{name} tampered"
        );
        let err = verify_webhook(WebhookRequest::new(body).headers(headers.clone()))
            .await
            .expect_err("no key");
        assert_eq!(err.kind, ErrorKind::InvalidInput);
    }
}
