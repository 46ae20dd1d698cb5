//! Helpers shared by the test files: one in-process request through the router.
// Each test file compiles this module on its own and uses only some of it.
#![allow(dead_code)]

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

pub const KEY: &str = "Bearer lago-demo-key";

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

pub async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from(body.to_string())).expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    Answer {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// An authorized call under `/api/v1`.
pub async fn api(app: &Router, method: &str, path: &str, body: &str) -> Answer {
    send(
        app,
        method,
        &format!("/api/v1{path}"),
        &[("authorization", KEY)],
        body,
    )
    .await
}

pub fn create_body(customer: Value) -> String {
    json!({ "customer": customer }).to_string()
}

/// A GET under `/proxy/api/v1` (no key), for tests that do not care about auth.
pub async fn proxy(app: &Router, path: &str) -> Answer {
    send(app, "GET", &format!("/proxy/api/v1{path}"), &[], "").await
}

/// Items of a list answer, as (key of each item) values.
pub fn field_of(list: &Value, key: &str, field: &str) -> Vec<Value> {
    list[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item[field].clone())
        .collect()
}
