//! The operations served from the spec's table (`generic.rs`) and the billing flow on top of
//! them (`flow.rs`), called in-process through the router.

mod common;

use axum::http::StatusCode;
use common::api;
use fake_lago::{app, Config};
use serde_json::{json, Value};

async fn ok(app: &axum::Router, method: &str, path: &str, body: Value) -> Value {
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let a = api(app, method, path, &body).await;
    assert_eq!(a.status, StatusCode::OK, "{method} {path}: {}", a.json());
    a.json()
}

#[tokio::test]
async fn generic_resources_page_find_update_delete_like_lago() {
    let app = app(Config::default());
    for i in 0..3 {
        let tax = json!({"tax": {"name": format!("T{i}"), "code": format!("t{i}"), "rate": "5.5"}});
        let created = ok(&app, "POST", "/taxes", tax).await;
        assert_eq!(created["tax"]["code"], format!("t{i}"));
        assert_eq!(
            created["tax"]["rate"], 5.5,
            "a numeric string cast to the answer's number, as Rails does"
        );
    }
    let page = ok(&app, "GET", "/taxes?page=2&per_page=2", Value::Null).await;
    assert_eq!(page["taxes"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        page["meta"],
        json!({"current_page": 2, "next_page": null, "prev_page": 1, "total_pages": 2, "total_count": 3})
    );
    let dup = api(
        &app,
        "POST",
        "/taxes",
        r#"{"tax":{"code":"t1","name":"x"}}"#,
    )
    .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        dup.json()["error_details"],
        json!({"code": ["value_already_exist"]})
    );
    // A field of the wrong type is not copied: the answer stays valid for the spec.
    let updated = ok(
        &app,
        "PUT",
        "/taxes/t1",
        json!({"tax": {"name": 7, "description": "d"}}),
    )
    .await;
    assert_eq!(updated["tax"]["name"], "T1");
    assert_eq!(updated["tax"]["description"], "d");
    assert_eq!(
        ok(&app, "DELETE", "/taxes/t1", Value::Null).await["tax"]["code"],
        "t1"
    );
    let gone = api(&app, "GET", "/taxes/t1", "").await;
    assert_eq!(
        gone.json(),
        json!({"status": 404, "error": "Not Found", "code": "tax_not_found"})
    );
    for body in ["", "not json", "{}", r#"{"tax": 3}"#] {
        assert_eq!(
            api(&app, "POST", "/taxes", body).await.status,
            StatusCode::BAD_REQUEST
        );
    }
}

#[tokio::test]
async fn nested_resources_need_their_parent_and_literal_paths_win() {
    let app = app(Config::default());
    let missing = api(&app, "GET", "/plans/nope/charges", "").await;
    assert_eq!(missing.json()["code"], "plan_not_found");
    // `/events/batch` is its own operation, not the event `batch`.
    let batch = api(&app, "POST", "/events/batch", r#"{"events":[]}"#).await;
    assert_eq!(
        batch.json()["error_details"],
        json!({"events": ["no_events"]})
    );
    let event = api(&app, "GET", "/events/batch", "").await;
    assert_eq!(event.json()["code"], "event_not_found");
    // A list no operation writes to shows one item the spec describes.
    let logs = ok(&app, "GET", "/api_logs", Value::Null).await;
    let id = logs["api_logs"][0]["request_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        ok(&app, "GET", &format!("/api_logs/{id}"), Value::Null).await["api_log"]["request_id"],
        id
    );
}

#[tokio::test]
async fn subscription_events_move_usage_and_a_top_up_makes_an_invoice() {
    let app = app(Config::default());
    let metric = ok(&app, "POST", "/billable_metrics", json!({"billable_metric": {"name": "Seats", "code": "seats", "aggregation_type": "unique_count_agg"}})).await;
    let metric_id = metric["billable_metric"]["lago_id"].clone();
    let plan = json!({"plan": {"name": "P", "code": "p", "interval": "monthly", "amount_cents": 100, "amount_currency": "EUR", "pay_in_advance": false,
        "charges": [{"billable_metric_id": metric_id, "code": "seats_charge", "charge_model": "standard", "properties": {"amount": "1"}}]}});
    ok(&app, "POST", "/plans", plan).await;
    // A charge filter keeps the values it prices (free-form: the metric's filter keys).
    let filters = "/plans/p/charges/seats_charge/filters";
    let values = json!({"region": ["us-east-1"]});
    let filter = json!({"filter": {"invoice_display_name": "US", "properties": {"amount": "2"}, "values": values}});
    let made = ok(&app, "POST", filters, filter).await;
    assert_eq!(made["filter"]["values"], values);
    let listed = ok(&app, "GET", filters, Value::Null).await;
    assert_eq!(listed["filters"][0]["values"], values);
    ok(
        &app,
        "POST",
        "/customers",
        json!({"customer": {"external_id": "c1", "currency": "EUR"}}),
    )
    .await;
    let sub = json!({"subscription": {"external_customer_id": "c1", "plan_code": "p", "external_id": "s1"}});
    let first = ok(&app, "POST", "/subscriptions", sub.clone()).await;
    // Lago answers the same subscription again for the same id and plan.
    assert_eq!(ok(&app, "POST", "/subscriptions", sub).await, first);
    let usage = |app| async move {
        let u = ok(
            app,
            "GET",
            "/customers/c1/current_usage?external_subscription_id=s1",
            Value::Null,
        )
        .await;
        u["customer_usage"]["charges_usage"][0]["events_count"]
            .as_u64()
            .unwrap_or_default()
    };
    let before = usage(&app).await;
    assert_eq!(
        before, 0,
        "a subscription made through the API starts with no usage"
    );
    let event = json!({"event": {"transaction_id": "e1", "external_subscription_id": "s1", "code": "seats"}});
    ok(&app, "POST", "/events", event).await;
    assert_eq!(usage(&app).await, before + 1);

    let wallet = ok(&app, "POST", "/wallets", json!({"wallet": {"external_customer_id": "c1", "rate_amount": "1", "currency": "EUR", "code": "w"}})).await;
    let wallet_id = wallet["wallet"]["lago_id"].clone();
    let txs = ok(
        &app,
        "POST",
        "/wallet_transactions",
        json!({"wallet_transaction": {"wallet_id": wallet_id, "paid_credits": "3"}}),
    )
    .await;
    let invoice = txs["wallet_transactions"][0]["lago_invoice_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let found = ok(&app, "GET", &format!("/invoices/{invoice}"), Value::Null).await;
    assert_eq!(found["invoice"]["total_amount_cents"], 300);
    let mine = ok(&app, "GET", "/customers/c1/invoices", Value::Null).await;
    assert_eq!(mine["invoices"][0]["lago_id"], invoice.as_str());
    // A payment request covers the invoices it names, for what they total.
    let request = |ids: Value| json!({"payment_request": {"email": "a@b.test", "external_customer_id": "c1", "lago_invoice_ids": ids}});
    let asked = ok(&app, "POST", "/payment_requests", request(json!([invoice]))).await;
    assert_eq!(
        asked["payment_request"]["invoices"][0]["lago_id"],
        invoice.as_str()
    );
    assert_eq!(asked["payment_request"]["amount_cents"], 300);
    assert_eq!(asked["payment_request"]["amount_currency"], "EUR");
    let unknown = api(
        &app,
        "POST",
        "/payment_requests",
        &request(json!(["nope"])).to_string(),
    )
    .await;
    assert_eq!(unknown.json()["code"], "invoice_not_found");
    // A credit note estimate is this invoice's, for the items' amounts; nothing is stored.
    let estimate = |id: &str| json!({"credit_note": {"invoice_id": id, "items": [{"fee_id": "f1", "amount_cents": 120}]}});
    let estimated = ok(&app, "POST", "/credit_notes/estimate", estimate(&invoice)).await;
    let estimated = &estimated["estimated_credit_note"];
    assert_eq!(estimated["lago_invoice_id"], invoice.as_str());
    assert_eq!(estimated["invoice_number"], found["invoice"]["number"]);
    assert_eq!(
        (
            estimated["currency"].as_str(),
            estimated["max_creditable_amount_cents"].as_i64()
        ),
        (Some("EUR"), Some(120))
    );
    assert_eq!(
        estimated["items"],
        json!([{"lago_fee_id": "f1", "amount_cents": 120}])
    );
    let missing = api(
        &app,
        "POST",
        "/credit_notes/estimate",
        &estimate("nope").to_string(),
    )
    .await;
    assert_eq!(missing.json()["code"], "invoice_not_found");
    // An invoice preview bills the plan's amount to the customer, as a draft.
    let preview = |plan: &str| json!({"customer": {"external_id": "c1"}, "plan_code": plan});
    let previewed = ok(&app, "POST", "/invoices/preview", preview("p")).await;
    let previewed = &previewed["invoice"];
    assert_eq!(
        (
            previewed["status"].as_str(),
            previewed["total_amount_cents"].as_i64()
        ),
        (Some("draft"), Some(100))
    );
    assert_eq!(
        (
            previewed["currency"].as_str(),
            previewed["customer"]["external_id"].as_str()
        ),
        (Some("EUR"), Some("c1"))
    );
    let no_plan = api(
        &app,
        "POST",
        "/invoices/preview",
        &preview("nope").to_string(),
    )
    .await;
    assert_eq!(no_plan.json()["code"], "plan_not_found");
    // A state transition twice is Lago's 405.
    let void = format!("/invoices/{invoice}/void");
    assert_eq!(
        ok(&app, "POST", &void, json!({})).await["invoice"]["status"],
        "voided"
    );
    let again = api(&app, "POST", &void, "{}").await;
    assert_eq!(again.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(again.json()["code"], "not_voidable");
    let voided = api(
        &app,
        "POST",
        "/wallet_transactions",
        &json!({"wallet_transaction": {"wallet_id": wallet_id, "voided_credits": "9"}}).to_string(),
    )
    .await;
    assert_eq!(
        voided.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "more than the balance"
    );
}

#[tokio::test]
async fn faults_and_the_rate_limit_apply_to_generic_routes_too() {
    let app = app(Config::default());
    let body = r#"{"add_on":{"name":"A","code":"a","amount_cents":1,"amount_currency":"EUR"}}"#;
    let auth = ("authorization", common::KEY);
    // A faulted write changes nothing...
    let faulted = common::send(
        &app,
        "POST",
        "/api/v1/add_ons",
        &[auth, ("x-fake-fault", "status=503")],
        body,
    )
    .await;
    assert_eq!(faulted.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        api(&app, "GET", "/add_ons/a", "").await.status,
        StatusCode::NOT_FOUND
    );
    // ...unless it is committed first.
    let committed = common::send(
        &app,
        "POST",
        "/api/v1/add_ons",
        &[auth, ("x-fake-fault", "status=504;commit")],
        body,
    )
    .await;
    assert_eq!(committed.status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(
        api(&app, "GET", "/add_ons/a", "").await.status,
        StatusCode::OK
    );

    let limited = app_with_limit();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(api(&limited, "GET", "/plans", "").await.status);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

fn app_with_limit() -> axum::Router {
    app(Config {
        rate_limit: Some(fake_lago::Limits {
            general: 2,
            current_usage: 2,
        }),
        ..Config::default()
    })
}

#[tokio::test]
async fn fee_estimates_price_the_plans_pay_in_advance_charges() {
    let app = app(Config::default());
    let metric = json!({"billable_metric": {"name": "Calls", "code": "calls", "aggregation_type": "sum_agg", "field_name": "calls"}});
    let metric_id =
        ok(&app, "POST", "/billable_metrics", metric).await["billable_metric"]["lago_id"].clone();
    let plan = json!({"plan": {"name": "P", "code": "p", "interval": "monthly", "amount_cents": 100, "amount_currency": "EUR",
        "charges": [{"billable_metric_id": metric_id, "code": "later", "charge_model": "standard", "properties": {"amount": "1"}}]}});
    ok(&app, "POST", "/plans", plan).await;
    ok(
        &app,
        "POST",
        "/customers",
        json!({"customer": {"external_id": "c1"}}),
    )
    .await;
    let sub = json!({"subscription": {"external_customer_id": "c1", "plan_code": "p", "external_id": "s1"}});
    ok(&app, "POST", "/subscriptions", sub).await;
    let event = |sub: &str| {
        json!({"event": {"code": "calls", "external_subscription_id": sub, "transaction_id": "t1", "properties": {"calls": "5"}}}).to_string()
    };
    // Only a charge paid in advance can be estimated.
    let refused = api(&app, "POST", "/events/estimate_fees", &event("s1")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.json()["error_details"],
        json!({"code": ["does_not_match_an_instant_charge"]})
    );
    let missing = api(
        &app,
        "POST",
        "/events/estimate_instant_fees",
        &event("nope"),
    )
    .await;
    assert_eq!(missing.json()["code"], "subscription_not_found");
    let seeded = api(
        &app,
        "POST",
        "/events/estimate_fees",
        &event("sub_acme_corp_1"),
    )
    .await;
    assert_eq!(
        seeded.json()["error_details"],
        json!({"code": ["does_not_match_an_instant_charge"]})
    );
    // Estimates read the plan's charges as they are now.
    let now = json!({"charge": {"billable_metric_id": metric_id, "code": "now", "charge_model": "standard", "pay_in_advance": true, "properties": {"amount": "2"}}});
    ok(&app, "POST", "/plans/p/charges", now).await;
    for path in ["/events/estimate_fees", "/events/estimate_instant_fees"] {
        let fees = ok(
            &app,
            "POST",
            path,
            serde_json::from_str(&event("s1")).unwrap_or_default(),
        )
        .await;
        let fee = &fees["fees"][0];
        assert_eq!(
            fees["fees"].as_array().map(Vec::len),
            Some(1),
            "{path}: {fees}"
        );
        assert_eq!(
            (
                fee["amount_cents"].as_i64(),
                fee["amount_currency"].as_str()
            ),
            (Some(1000), Some("EUR")),
            "{path}"
        );
        assert_eq!(fee["item"]["code"], "calls", "{path}");
    }
    let batch = json!({"events": [
        {"code": "calls", "external_subscription_id": "s1", "properties": {"calls": "1"}},
        {"code": "other", "external_subscription_id": "s1", "properties": {"calls": "1"}},
    ]});
    let fees = ok(&app, "POST", "/events/batch_estimate_instant_fees", batch).await;
    assert_eq!(
        fees["fees"].as_array().map(Vec::len),
        Some(1),
        "an event of another metric adds no fee"
    );
    assert_eq!(fees["fees"][0]["amount_cents"], 200);
}
