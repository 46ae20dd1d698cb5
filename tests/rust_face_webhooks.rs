//! `verify_webhook` (API.md "Webhooks", the Rust face) in headless Chromium and Firefox over
//! real HTTP: webhooks the fake Lago server signed as lago-api does (jwt: RS256 over
//! `{data, iss}`; hmac: SHA-256), valid and tampered in every way. Nothing in a request makes it
//! fail: only a missing or unusable key is an `InvalidInput` error.
//! (The JS face's twin is tests/node/webhooks.test.mjs; in a worker: rust_face_webhooks_worker.rs.)
//!
//! Run by tools/browser-tests.sh, which starts the fake server and bakes its URL in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use lago_wasm::webhook::{verify_webhook, SignatureAlgorithm, Verified, WebhookRequest};
use lago_wasm::ErrorKind;
use rust_face_support::*;
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `{ public_key, hmac_key, issuer }` from the fake's admin route.
async fn keys() -> Value {
    raw(server(), "GET", "/admin/webhooks/keys").await
}

/// A webhook the fake signed: its headers as pairs and its raw body.
async fn signed(algorithm: &str, payload: Option<Value>) -> (Vec<(String, String)>, String) {
    let url = format!("{}/admin/webhooks/sign?algorithm={algorithm}", server());
    let body = payload.map(|p| p.to_string()).unwrap_or_default();
    let response = gloo_net::http::Request::post(&url)
        .body(body)
        .expect("body")
        .send()
        .await
        .expect("sign");
    assert_eq!(response.status(), 200);
    let out: Value = serde_json::from_str(&response.text().await.expect("text")).expect("json");
    let headers = out["headers"]
        .as_object()
        .expect("headers")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("string").to_string()))
        .collect();
    (headers, out["body"].as_str().expect("body").to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .expect("header")
}

/// The headers with `name` set to `value` (or removed when `None`).
fn with(headers: &[(String, String)], name: &str, value: Option<&str>) -> Vec<(String, String)> {
    let mut out: Vec<_> = headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case(name))
        .cloned()
        .collect();
    if let Some(value) = value {
        out.push((name.into(), value.into()));
    }
    out
}

/// A request with both keys and the issuer, so the request alone decides.
fn request(keys: &Value, headers: &[(String, String)], body: &str) -> WebhookRequest {
    WebhookRequest::new(body)
        .headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .public_key(keys["public_key"].as_str().expect("public_key"))
        .hmac_key(keys["hmac_key"].as_str().expect("hmac_key"))
        .issuer(keys["issuer"].as_str().expect("issuer"))
}

async fn refused(request: WebhookRequest, why: &str) -> Verified {
    let out = verify_webhook(request)
        .await
        .unwrap_or_else(|e| panic!("{why}: an error instead of valid: false: {e}"));
    assert!(!out.valid, "{why}: valid");
    assert_eq!(out.event, None, "{why}: an event");
    out
}

#[wasm_bindgen_test]
async fn valid_jwt_and_hmac_with_event_algorithm_and_unique_key() {
    let keys = keys().await;
    let payload = json!({"webhook_type": "invoice.created", "object_type": "invoice",
        "invoice": {"lago_id": "i1", "total_amount_cents": 1999, "note": "« ünïcødé » </script>"}});
    for (name, algorithm) in [
        ("jwt", SignatureAlgorithm::Jwt),
        ("hmac", SignatureAlgorithm::Hmac),
    ] {
        let (headers, body) = signed(name, Some(payload.clone())).await;
        let out = verify_webhook(request(&keys, &headers, &body))
            .await
            .expect("verified");
        assert!(out.valid, "{name}");
        assert_eq!(out.algorithm, Some(algorithm));
        assert_eq!(
            out.unique_key.as_deref(),
            Some(header(&headers, "X-Lago-Unique-Key"))
        );
        assert_eq!(out.event, Some(payload.clone()));
        // Header names in any case.
        let lower: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        assert!(
            verify_webhook(request(&keys, &lower, &body))
                .await
                .expect("ok")
                .valid
        );
    }
}

#[wasm_bindgen_test]
async fn jwt_key_from_json_public_key_as_base64_or_pem_issuer_only_when_given() {
    let keys = keys().await;
    let from_api = api_json("/webhooks/json_public_key").await["webhook"]["public_key"]
        .as_str()
        .expect("public_key")
        .to_string();
    assert!(
        from_api.contains('\n'),
        "Lago's Base64.encode64 breaks lines"
    );
    let atob = js_sys::Reflect::get(&js_sys::global(), &"atob".into()).expect("atob");
    let atob: js_sys::Function = atob.into();
    let pem = atob
        .call1(
            &wasm_bindgen::JsValue::NULL,
            &from_api.replace('\n', "").into(),
        )
        .expect("decoded")
        .as_string()
        .expect("text");
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let (headers, body) = signed("jwt", None).await;
    for key in [from_api.as_str(), pem.as_str(), &pem.replace('\n', "\r\n")] {
        let out = verify_webhook(
            WebhookRequest::new(body.clone())
                .headers(headers.clone())
                .public_key(key),
        )
        .await
        .expect("verified");
        assert!(out.valid);
        assert_eq!(
            out.event.expect("event")["webhook_type"],
            "customer.created"
        );
    }
    let issuer = keys["issuer"].as_str().expect("issuer");
    for (expected, valid) in [
        (issuer.to_string(), true),
        (format!("{issuer}/"), false),
        ("https://api.getlago.com".into(), false),
    ] {
        let out = verify_webhook(
            WebhookRequest::new(body.clone())
                .headers(headers.clone())
                .public_key(from_api.clone())
                .issuer(expected.clone()),
        )
        .await
        .expect("no error");
        assert_eq!(out.valid, valid, "issuer {expected}");
    }
}

#[wasm_bindgen_test]
async fn tampered_body_signature_keys_and_headers_are_refused() {
    let keys = keys().await;
    for name in ["jwt", "hmac"] {
        let (headers, body) = signed(name, None).await;
        for changed in [
            body.replace("acme_corp", "acme_corq"),
            format!("{body}\n"),
            format!(" {body}"),
            body[..body.len() - 1].to_string(),
            String::new(),
            "{}".into(),
        ] {
            refused(
                request(&keys, &headers, &changed),
                &format!("{name}: body {changed:.30}"),
            )
            .await;
        }
        let sig = header(&headers, "X-Lago-Signature").to_string();
        let mid = sig.len() / 2;
        let flipped = if &sig[mid..=mid] == "A" { "B" } else { "A" };
        for changed in [
            format!("{}{flipped}{}", &sig[..mid], &sig[mid + 1..]),
            sig[..sig.len() - 4].to_string(),
            format!("{sig}AAAA"),
            sig.to_lowercase(),
            format!("{sig}, {sig}"),
        ] {
            let h = with(&headers, "X-Lago-Signature", Some(&changed));
            refused(
                request(&keys, &h, &body),
                &format!("{name}: signature {changed:.30}"),
            )
            .await;
        }
        // Missing signature: the algorithm and unique key are still reported.
        let out = refused(
            request(&keys, &with(&headers, "X-Lago-Signature", None), &body),
            "no signature",
        )
        .await;
        assert_eq!(
            out.algorithm.as_ref().map(SignatureAlgorithm::as_str),
            Some(name)
        );
        assert_eq!(
            out.unique_key.as_deref(),
            Some(header(&headers, "X-Lago-Unique-Key"))
        );
        // Missing or unknown algorithm header, or the other one.
        let out = refused(
            request(
                &keys,
                &with(&headers, "X-Lago-Signature-Algorithm", None),
                &body,
            ),
            "no algorithm",
        )
        .await;
        assert_eq!(out.algorithm, None);
        let other = if name == "jwt" { "hmac" } else { "jwt" };
        for unknown in ["RS256", "JWT", "HMAC", "none", "", "jwt ", other] {
            let h = with(&headers, "X-Lago-Signature-Algorithm", Some(unknown));
            let out = refused(request(&keys, &h, &body), &format!("algorithm {unknown:?}")).await;
            assert_eq!(
                out.algorithm.as_ref().map(SignatureAlgorithm::as_str),
                Some(unknown)
            );
        }
        // An unknown algorithm needs no key.
        let h = with(&headers, "X-Lago-Signature-Algorithm", Some("rsa"));
        refused(
            WebhookRequest::new(body.clone()).headers(h),
            "no key, unknown algorithm",
        )
        .await;
        // A repeated signature header is joined, as Headers does.
        let mut twice = headers.clone();
        twice.push(("x-lago-signature".into(), sig.clone()));
        refused(request(&keys, &twice, &body), "signature twice").await;
    }
}

#[wasm_bindgen_test]
async fn wrong_keys_are_refused() {
    let keys = keys().await;
    let (headers, body) = signed("hmac", None).await;
    let good = keys["hmac_key"].as_str().expect("hmac_key");
    for wrong in [format!("{good}x"), good.to_uppercase(), "k".into()] {
        let out = verify_webhook(
            WebhookRequest::new(body.clone())
                .headers(headers.clone())
                .hmac_key(wrong.clone()),
        )
        .await
        .expect("no error");
        assert!(!out.valid, "hmac key {wrong}");
    }
    // jwt with another (well-formed) RSA public key: a 2048-bit SPKI made here by WebCrypto.
    let (headers, body) = signed("jwt", None).await;
    let other = other_public_key_pem().await;
    let out = verify_webhook(WebhookRequest::new(body).headers(headers).public_key(other))
        .await
        .expect("no error");
    assert!(!out.valid);
}

/// A fresh RSA public key as a PEM, from `crypto.subtle.generateKey` + `exportKey("spki")`.
async fn other_public_key_pem() -> String {
    let subtle = js_sys::Reflect::get(
        &js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).expect("crypto"),
        &"subtle".into(),
    )
    .expect("subtle");
    let subtle: web_sys::SubtleCrypto = subtle.into();
    let algorithm = js_sys::Object::new();
    let set = |k: &str, v: wasm_bindgen::JsValue| {
        js_sys::Reflect::set(&algorithm, &k.into(), &v).expect("set");
    };
    set("name", "RSASSA-PKCS1-v1_5".into());
    set("modulusLength", 2048.into());
    set(
        "publicExponent",
        js_sys::Uint8Array::from(&[1u8, 0, 1][..]).into(),
    );
    set("hash", "SHA-256".into());
    let usages = js_sys::Array::of2(&"sign".into(), &"verify".into());
    let pair = wasm_bindgen_futures::JsFuture::from(
        subtle
            .generate_key_with_object(&algorithm, true, &usages)
            .expect("generateKey"),
    )
    .await
    .expect("pair");
    let public: web_sys::CryptoKey = js_sys::Reflect::get(&pair, &"publicKey".into())
        .expect("publicKey")
        .into();
    let spki = wasm_bindgen_futures::JsFuture::from(
        subtle.export_key("spki", &public).expect("exportKey"),
    )
    .await
    .expect("spki");
    let bytes = js_sys::Uint8Array::new(&spki).to_vec();
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    let btoa: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"btoa".into())
        .expect("btoa")
        .into();
    let b64 = btoa
        .call1(&wasm_bindgen::JsValue::NULL, &binary.into())
        .expect("btoa")
        .as_string()
        .expect("text");
    format!("-----BEGIN PUBLIC KEY-----\n{b64}\n-----END PUBLIC KEY-----\n")
}

#[wasm_bindgen_test]
async fn garbage_everywhere_is_refused_never_an_error() {
    let keys = keys().await;
    let long = "x".repeat(100_000);
    let junk = [
        "",
        " ",
        ".",
        "..",
        "...",
        "a.b.c",
        long.as_str(),
        "€€€.€.€",
        "\u{0}",
        "%%%",
        "null",
        "{}",
        "eyJ.eyJ.eyJ",
        "====",
        "AAAA",
        "!!!!",
        "QUJD",
        "-_-_",
        "a\nb",
        "🦀.🦀.🦀",
        // {"alg":"none"}.{"data":"{}","iss":null}.
        "eyJhbGciOiJub25lIn0.eyJkYXRhIjoie30iLCJpc3MiOm51bGx9.",
    ];
    for name in ["jwt", "hmac"] {
        let (headers, body) = signed(name, None).await;
        for sig in junk {
            let h = with(&headers, "X-Lago-Signature", Some(sig));
            refused(request(&keys, &h, &body), &format!("{name} {sig:.20}")).await;
            refused(
                request(&keys, &h, sig),
                &format!("{name} {sig:.20} as body"),
            )
            .await;
        }
        // The real JWT's parts recombined: a signature over other claims.
        if name == "jwt" {
            let sig = header(&headers, "X-Lago-Signature").to_string();
            let parts: Vec<&str> = sig.split('.').collect();
            for forged in [
                format!("{}.{}", parts[0], parts[1]),
                format!("{}..{}", parts[0], parts[2]),
                format!("eyJhbGciOiJub25lIn0.{}.{}", parts[1], parts[2]),
                format!("eyJhbGciOiJIUzI1NiJ9.{}.{}", parts[1], parts[2]),
                format!("{}.{}.{}=", parts[0], parts[1], parts[2]),
            ] {
                let h = with(&headers, "X-Lago-Signature", Some(&forged));
                refused(request(&keys, &h, &body), &forged).await;
            }
        }
    }
}

#[wasm_bindgen_test]
async fn missing_or_unusable_key_is_invalid_input() {
    let keys = keys().await;
    let (jwt_headers, jwt_body) = signed("jwt", None).await;
    let (hmac_headers, hmac_body) = signed("hmac", None).await;
    let cases = [
        (
            WebhookRequest::new(jwt_body.clone()).headers(jwt_headers.clone()),
            "public_key",
        ),
        (
            WebhookRequest::new(jwt_body.clone())
                .headers(jwt_headers.clone())
                .public_key("  ")
                .hmac_key("k"),
            "public_key",
        ),
        (
            WebhookRequest::new(jwt_body.clone())
                .headers(jwt_headers.clone())
                .public_key("not a key"),
            "public_key",
        ),
        (
            WebhookRequest::new(jwt_body.clone())
                .headers(jwt_headers.clone())
                .public_key(keys["hmac_key"].as_str().expect("hmac_key")),
            "public_key",
        ),
        (
            WebhookRequest::new(jwt_body)
                .headers(jwt_headers)
                .public_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
            "public_key",
        ),
        (
            WebhookRequest::new(hmac_body.clone()).headers(hmac_headers.clone()),
            "hmac_key",
        ),
        (
            WebhookRequest::new(hmac_body)
                .headers(hmac_headers)
                .hmac_key("")
                .public_key(keys["public_key"].as_str().expect("public_key")),
            "hmac_key",
        ),
        // A missing signature does not hide a missing key.
        (
            WebhookRequest::new("{}").header("X-Lago-Signature-Algorithm", "jwt"),
            "public_key",
        ),
    ];
    for (request, field) in cases {
        let shown = format!("{request:?}");
        let err = verify_webhook(request).await.expect_err(&shown);
        assert_eq!(err.kind, ErrorKind::InvalidInput, "{shown}");
        assert_eq!(err.field.as_deref(), Some(field), "{shown}");
        assert!(!err.may_have_succeeded());
        assert!(err.message.contains("verify_webhook"), "{}", err.message);
        assert!(
            !err.message.contains("fake-lago-test-hmac-key"),
            "{}",
            err.message
        );
    }
}

#[wasm_bindgen_test]
async fn many_at_once_mixed() {
    let keys = keys().await;
    let (jh, jb) = signed("jwt", None).await;
    let (hh, hb) = signed("hmac", None).await;
    // Each started at once as a promise (the key caches shared), then awaited.
    let runs: Vec<js_sys::Promise> = (0..40)
        .map(|i| {
            let (h, b) = if i % 2 == 0 { (&jh, &jb) } else { (&hh, &hb) };
            let body = if i % 3 == 0 {
                format!("{b} ")
            } else {
                b.clone()
            };
            let request = request(&keys, h, &body);
            wasm_bindgen_futures::future_to_promise(async move {
                let out = verify_webhook(request)
                    .await
                    .map_err(|e| wasm_bindgen::JsValue::from_str(&e.message))?;
                Ok((out.valid == (i % 3 != 0)).into())
            })
        })
        .collect();
    for (i, run) in runs.into_iter().enumerate() {
        let right = wasm_bindgen_futures::JsFuture::from(run)
            .await
            .expect("no error");
        assert_eq!(right.as_bool(), Some(true), "run {i}");
    }
}
