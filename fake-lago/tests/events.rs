//! `POST /events` and `POST /events/batch` as lago-api answers them (REALITY.md section 7).

mod common;

use axum::http::StatusCode;
use common::{api, proxy};
use fake_lago::{app, Config};
use serde_json::{json, Value};

fn event(txn: &str, sub: &str) -> Value {
    json!({"transaction_id": txn, "external_subscription_id": sub, "code": "api_calls",
           "timestamp": 1_700_000_000.5, "properties": {"calls": 1000}})
}

async fn batch(app: &axum::Router, events: Vec<Value>) -> (StatusCode, Value) {
    let answer = api(
        app,
        "POST",
        "/events/batch",
        &json!({ "events": events }).to_string(),
    )
    .await;
    (answer.status, answer.json())
}

async fn api_calls_units(app: &axum::Router) -> f64 {
    let usage = proxy(
        app,
        "/customers/acme_corp/current_usage?external_subscription_id=sub_acme_corp_1",
    )
    .await
    .json();
    let charges = usage["customer_usage"]["charges_usage"].as_array().cloned();
    let line = charges
        .unwrap_or_default()
        .into_iter()
        .find(|c| c["billable_metric"]["code"] == "api_calls")
        .expect("an api_calls charge");
    line["units"]
        .as_str()
        .and_then(|u| u.parse().ok())
        .expect("units")
}

#[tokio::test]
async fn a_batch_is_stored_whole_or_refused_whole_with_errors_by_index() {
    let app = app(Config::default());
    let before = api_calls_units(&app).await;
    let (status, body) = batch(
        &app,
        vec![
            event("t1", "sub_acme_corp_1"),
            event("t2", "sub_acme_corp_1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["events"].as_array().map(Vec::len), Some(2));
    assert_eq!(body["events"][0]["timestamp"], "2023-11-14T22:13:20.500Z");
    assert_eq!(
        body["events"][0]["external_subscription_id"],
        "sub_acme_corp_1"
    );
    assert_eq!(
        api_calls_units(&app).await,
        before + 2000.0,
        "events move current usage"
    );

    // A duplicate (stored before), one within the batch, a bad event: the whole batch is refused.
    let mut bad = event("t4", "sub_acme_corp_1");
    bad["code"] = json!("");
    bad["timestamp"] = json!("yesterday");
    let (status, body) = batch(
        &app,
        vec![
            event("t1", "sub_acme_corp_1"),
            event("t3", "sub_acme_corp_1"),
            event("t3", "sub_acme_corp_1"),
            bad,
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "validation_errors");
    assert_eq!(
        body["error_details"],
        json!({
            "0": {"transaction_id": ["value_already_exist"]},
            "2": {"transaction_id": ["value_already_exist"]},
            "3": {"code": ["value_is_mandatory"], "timestamp": ["invalid_format"]},
        })
    );
    assert_eq!(
        api_calls_units(&app).await,
        before + 2000.0,
        "nothing stored"
    );
    // The same transaction id on another subscription is no duplicate.
    let (status, _) = batch(&app, vec![event("t1", "sub_acme_corp_2")]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn batch_sizes_and_the_single_event_route() {
    let app = app(Config::default());
    let (status, body) = batch(&app, vec![]).await;
    assert_eq!(
        (status, &body["error_details"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"events": ["no_events"]})
        )
    );
    let many = (0..101).map(|i| event(&format!("m{i}"), "sub_x")).collect();
    let (status, body) = batch(&app, many).await;
    assert_eq!(
        (status, &body["error_details"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"events": ["too_many_events"]})
        )
    );
    let hundred = (0..100).map(|i| event(&format!("h{i}"), "sub_x")).collect();
    assert_eq!(batch(&app, hundred).await.0, StatusCode::OK);

    let one = json!({ "event": event("single", "sub_acme_corp_1") }).to_string();
    let answer = api(&app, "POST", "/events", &one).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["event"]["transaction_id"], "single");
    let again = api(&app, "POST", "/events", &one).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        again.json()["error_details"],
        json!({"transaction_id": ["value_already_exist"]})
    );
}
