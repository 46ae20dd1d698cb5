//! Lago Cloud's rate limiter (`--rate-limit`), and Lago's own provider 429.

mod common;

use axum::http::StatusCode;
use common::{api, create_body, send, Answer, KEY};
use fake_lago::{app, Config, Limits};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Waits for the start of the next 1-second window, so a short burst stays inside one window.
async fn fresh_window() {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() % 1000);
    tokio::time::sleep(Duration::from_millis(1005 - ms as u64)).await;
}

fn limited(general: u32, current_usage: u32) -> axum::Router {
    app(Config {
        rate_limit: Some(Limits {
            general,
            current_usage,
        }),
        ..Config::default()
    })
}

fn rate_headers(a: &Answer) -> [Option<&str>; 3] {
    [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ]
    .map(|name| a.headers.get(name).and_then(|v| v.to_str().ok()))
}

#[tokio::test]
async fn over_the_limit_answers_429_with_headers_and_no_retry_after() {
    let app = limited(3, 5);
    fresh_window().await;
    for remaining in ["2", "1", "0"] {
        let a = api(&app, "GET", "/customers/acme_corp", "").await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(rate_headers(&a), [Some("3"), Some(remaining), Some("1")]);
    }
    let body = create_body(json!({"external_id": "too_fast"}));
    let a = api(&app, "POST", "/customers", &body).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        a.json(),
        json!({"status": 429, "error": "Too Many Requests"})
    );
    assert_eq!(rate_headers(&a), [Some("3"), Some("0"), Some("1")]);
    assert!(a.headers.get("retry-after").is_none());
    assert!(a.headers["access-control-expose-headers"]
        .to_str()
        .is_ok_and(|h| h.contains("X-RateLimit-Reset") && h.contains("X-RateLimit-Remaining")));
    // Another organisation (the proxy, or another key) has its own counter, even a wrong key.
    let proxied = send(&app, "GET", "/proxy/api/v1/customers/acme_corp", &[], "").await;
    assert_eq!(rate_headers(&proxied), [Some("3"), Some("2"), Some("1")]);
    let wrong = send(
        &app,
        "GET",
        "/api/v1/customers",
        &[("authorization", "Bearer other")],
        "",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(rate_headers(&wrong), [Some("3"), Some("2"), Some("1")]);

    fresh_window().await;
    let after = api(&app, "GET", "/customers/too_fast", "").await;
    assert_eq!(
        after.status,
        StatusCode::NOT_FOUND,
        "a limited POST creates nothing"
    );
    assert_eq!(rate_headers(&after)[1], Some("2"), "a new window");
    let log = send(&app, "GET", "/admin/requests", &[], "").await.json();
    let statuses: Vec<Value> = log
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(
        Value::Array(statuses),
        json!([200, 200, 200, 429, 200, 401, 404])
    );
    assert_eq!(log[3]["method"], "POST");
}

#[tokio::test]
async fn current_usage_has_its_own_bucket() {
    let app = limited(2, 4);
    let usage = "/customers/acme_corp/current_usage?external_subscription_id=sub_acme_corp_1";
    fresh_window().await;
    for _ in 0..3 {
        api(&app, "GET", "/customers", "").await;
    }
    assert_eq!(
        api(&app, "GET", "/customers", "").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    for remaining in ["3", "2", "1", "0"] {
        let a = api(&app, "GET", usage, "").await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(rate_headers(&a), [Some("4"), Some(remaining), Some("1")]);
    }
    let a = api(&app, "GET", usage, "").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(rate_headers(&a), [Some("4"), Some("0"), Some("1")]);
}

#[tokio::test]
async fn default_limits_are_lago_clouds_and_off_means_no_headers() {
    assert_eq!(
        Limits::default(),
        Limits {
            general: 50,
            current_usage: 200
        }
    );
    let on = limited(50, 200);
    let a = api(&on, "GET", "/customers/acme_corp", "").await;
    assert_eq!(rate_headers(&a)[0], Some("50"));
    let not_found = api(&on, "GET", "/nothing/here", "").await;
    assert_eq!(
        rate_headers(&not_found)[0],
        Some("50"),
        "every API response"
    );
    let off = app(Config::default());
    let a = api(&off, "GET", "/customers/acme_corp", "").await;
    assert_eq!(rate_headers(&a), [None, None, None]);
}

#[tokio::test]
async fn provider_throttle_is_lagos_own_429_without_rate_limit_headers() {
    let app = app(Config::default());
    let usage =
        "/api/v1/customers/acme_corp/current_usage?external_subscription_id=sub_acme_corp_1";
    let fault = [
        ("authorization", KEY),
        ("x-fake-fault", "provider-throttle;times=1;id=avalara"),
    ];
    let a = send(&app, "GET", usage, &fault, "").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    let body = a.json();
    assert_eq!(
        (
            &body["status"],
            &body["error"],
            &body["code"],
            &body["error_details"]["provider_name"]
        ),
        (
            &json!(429),
            &json!("Too Many Provider Requests"),
            &json!("too_many_provider_requests"),
            &json!("avalara")
        )
    );
    assert!(body["error_details"]["message"].is_string());
    assert_eq!(rate_headers(&a), [None, None, None]);
    assert!(a.headers.get("retry-after").is_none());
    assert_eq!(
        send(&app, "GET", usage, &fault, "").await.status,
        StatusCode::OK
    );
}
