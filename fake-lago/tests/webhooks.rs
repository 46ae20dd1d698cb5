//! The webhook routes: the public key as lago-api hands it out (key required, JSON and
//! text/plain, the same base64 with Ruby's line breaks), and the admin signer. The signatures
//! themselves are checked by the SDK's suites (tests/node/webhooks.test.mjs and
//! tests/rust_face_webhooks.rs) and by src/webhooks.rs's own tests.

mod common;

use axum::http::StatusCode;
use common::{api, send};
use fake_lago::{app, Config};

#[tokio::test]
async fn public_key_json_and_text_need_the_key_and_agree() {
    let app = app(Config::default());
    for path in [
        "/api/v1/webhooks/json_public_key",
        "/api/v1/webhooks/public_key",
    ] {
        assert_eq!(
            send(&app, "GET", path, &[], "").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let json = api(&app, "GET", "/webhooks/json_public_key", "").await;
    assert_eq!(json.status, StatusCode::OK);
    let key = json.json()["webhook"]["public_key"]
        .as_str()
        .expect("key")
        .to_string();
    assert!(
        key.starts_with("LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K"),
        "{key}"
    );
    assert!(key.ends_with('\n') && key.lines().all(|l| l.len() <= 60));
    let text = api(&app, "GET", "/webhooks/public_key", "").await;
    assert_eq!(text.status, StatusCode::OK);
    assert!(text.headers["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/plain"));
    assert_eq!(text.text, key);
    // Through the proxy too, like every operation.
    let proxied = send(
        &app,
        "GET",
        "/proxy/api/v1/webhooks/json_public_key",
        &[],
        "",
    )
    .await;
    assert_eq!(proxied.json()["webhook"]["public_key"], key.as_str());
}

#[tokio::test]
async fn admin_signs_both_ways_and_hands_out_the_test_keys() {
    let app = app(Config {
        base_url: "http://lago.test".into(),
        ..Config::default()
    });
    let keys = send(&app, "GET", "/admin/webhooks/keys", &[], "")
        .await
        .json();
    assert_eq!(keys["hmac_key"], "fake-lago-test-hmac-key");
    assert_eq!(keys["issuer"], "http://lago.test");
    let jwt = send(
        &app,
        "POST",
        "/admin/webhooks/sign",
        &[],
        r#"{"b": 1, "a": "ü"}"#,
    )
    .await;
    assert_eq!(jwt.status, StatusCode::OK);
    let jwt = jwt.json();
    assert_eq!(jwt["body"], r#"{"a":"ü","b":1}"#);
    assert_eq!(
        jwt["headers"]["X-Lago-Signature-Algorithm"], "jwt",
        "Lago's default"
    );
    let token = jwt["headers"]["X-Lago-Signature"].as_str().expect("token");
    assert_eq!(token.split('.').count(), 3);
    assert!(token.starts_with("eyJhbGciOiJSUzI1NiJ9."), "{token}");
    let hmac = send(
        &app,
        "POST",
        "/admin/webhooks/sign?algorithm=hmac&unique_key=k1",
        &[],
        "",
    )
    .await
    .json();
    assert_eq!(hmac["headers"]["X-Lago-Unique-Key"], "k1");
    assert_eq!(
        hmac["headers"]["X-Lago-Signature"].as_str().map(str::len),
        Some(44)
    );
    assert!(hmac["body"]
        .as_str()
        .expect("body")
        .contains("customer.created"));
    // Each signed webhook has its own unique key.
    let again = send(&app, "POST", "/admin/webhooks/sign", &[], "")
        .await
        .json();
    assert_ne!(
        again["headers"]["X-Lago-Unique-Key"],
        jwt["headers"]["X-Lago-Unique-Key"]
    );
    let bad = send(&app, "POST", "/admin/webhooks/sign?algorithm=rsa", &[], "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = send(&app, "POST", "/admin/webhooks/sign", &[], "{nope").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let unknown = send(&app, "GET", "/admin/webhooks/sign", &[], "").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
