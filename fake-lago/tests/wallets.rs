//! The fifteen wallet routes under `/customers/{external_customer_id}/wallets`.

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::{api, field_of, proxy, send, Answer};
use fake_lago::{app, Config};
use serde_json::{json, Value};

const ACME: &str = "/customers/acme_corp/wallets";

async fn call(app: &Router, method: &str, path: &str, body: Value) -> Answer {
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    api(app, method, path, &body).await
}

fn decimal(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or(-1.0)
}

#[tokio::test]
async fn seeded_wallets_are_in_each_customers_currency_with_consistent_balances() {
    let app = app(Config::default());
    let customers = proxy(&app, "/customers?per_page=100").await.json();
    let mut seen = 0;
    for customer in customers["customers"].as_array().into_iter().flatten() {
        let id = customer["external_id"].as_str().unwrap_or_default();
        let list = proxy(&app, &format!("/customers/{id}/wallets")).await;
        assert_eq!(list.status, StatusCode::OK, "{id}");
        let wallets = list.json()["wallets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if customer["currency"].is_null() {
            assert!(wallets.is_empty(), "{id}: no currency, no wallet");
        }
        for w in &wallets {
            assert_eq!(w["currency"], customer["currency"], "{id}");
            assert_eq!(w["external_customer_id"], id);
            assert_eq!(w["lago_customer_id"], customer["lago_id"]);
            let cents = decimal(&w["credits_balance"]) * decimal(&w["rate_amount"]) * 100.0;
            assert_eq!(w["balance_cents"].as_f64(), Some(cents), "{id}");
            assert_eq!(w["ongoing_balance_cents"], w["balance_cents"]);
            seen += 1;
        }
    }
    assert!(seen > 40, "{seen} wallets");
    let acme = proxy(&app, ACME).await.json();
    assert_eq!(
        field_of(&acme, "wallets", "code"),
        [json!("prepaid"), json!("promo")]
    );
    assert_eq!(
        acme["wallets"][0]["metadata"],
        json!({"cost_center": "CC-100"})
    );
    let alerts = proxy(&app, &format!("{ACME}/prepaid/alerts")).await.json();
    assert_eq!(field_of(&alerts, "alerts", "code"), [json!("low_balance")]);
    assert_eq!(
        alerts["alerts"][0]["lago_wallet_id"],
        acme["wallets"][0]["lago_id"]
    );
    assert_eq!(alerts["meta"]["total_count"], 1);
}

#[tokio::test]
async fn a_wallet_lives_from_create_to_delete() {
    let app = app(Config::default());
    let input = json!({"wallet": {"external_customer_id": "acme_corp", "name": "Top-up",
        "code": "topup", "rate_amount": "2.5", "currency": "USD", "paid_credits": "10",
        "granted_credits": 4, "metadata": {"source": "test"}}});
    let created = call(&app, "POST", ACME, input.clone()).await;
    assert_eq!(created.status, StatusCode::OK);
    let wallet = created.json()["wallet"].clone();
    assert_eq!(
        (
            &wallet["credits_balance"],
            &wallet["balance_cents"],
            &wallet["status"]
        ),
        (&json!("14.0"), &json!(3500), &json!("active"))
    );
    assert_eq!(wallet["metadata"], json!({"source": "test"}));
    let got = call(&app, "GET", &format!("{ACME}/topup"), Value::Null).await;
    assert_eq!(got.json()["wallet"], wallet);
    let list = proxy(&app, ACME).await.json();
    assert_eq!(list["meta"]["total_count"], 3);

    for (body, field, code) in [
        (
            json!({"wallet": {"rate_amount": "1", "currency": "EUR"}}),
            "currency",
            "currencies_does_not_match",
        ),
        (
            json!({"wallet": {"rate_amount": "1", "currency": "USD", "code": "topup"}}),
            "code",
            "value_already_exist",
        ),
        (
            json!({"wallet": {"currency": "USD"}}),
            "rate_amount",
            "value_is_mandatory",
        ),
        (
            json!({"wallet": {"rate_amount": "1", "currency": "USD", "paid_credits": "-3"}}),
            "paid_credits",
            "value_is_invalid",
        ),
    ] {
        let a = call(&app, "POST", ACME, body).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(a.json()["error_details"][field], json!([code]));
    }
    let missing = call(&app, "POST", ACME, json!({"nope": 1})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let nobody = call(&app, "POST", "/customers/nobody/wallets", input).await;
    assert_eq!(nobody.json()["code"], "customer_not_found");

    let renamed = call(
        &app,
        "PUT",
        &format!("{ACME}/topup"),
        json!({"wallet": {"code": "topup2", "name": "Renamed", "priority": 3}}),
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(
        (
            &renamed.json()["wallet"]["code"],
            &renamed.json()["wallet"]["priority"]
        ),
        (&json!("topup2"), &json!(3))
    );
    assert_eq!(renamed.json()["wallet"]["lago_id"], wallet["lago_id"]);
    let bad = call(
        &app,
        "PUT",
        &format!("{ACME}/topup2"),
        json!({"wallet": {"priority": 99}}),
    )
    .await;
    assert_eq!(
        bad.json()["error_details"],
        json!({"priority": ["value_is_invalid"]})
    );
    let old = call(&app, "GET", &format!("{ACME}/topup"), Value::Null).await;
    assert_eq!(
        (old.status, old.json()),
        (
            StatusCode::NOT_FOUND,
            json!({"status": 404, "error": "Not Found", "code": "wallet_not_found"})
        )
    );
    let deleted = call(&app, "DELETE", &format!("{ACME}/topup2"), Value::Null).await;
    assert_eq!(deleted.json()["wallet"]["status"], "terminated");
    assert!(deleted.json()["wallet"]["terminated_at"].is_string());
    for method in ["GET", "DELETE", "PUT"] {
        let gone = call(
            &app,
            method,
            &format!("{ACME}/topup2"),
            json!({"wallet": {"name": "x"}}),
        )
        .await;
        assert_eq!(gone.json()["code"], "wallet_not_found", "{method}");
    }
    send(&app, "POST", "/admin/reset", &[], "").await;
    assert_eq!(proxy(&app, ACME).await.json()["meta"]["total_count"], 2);
}

#[tokio::test]
async fn wallet_metadata_is_replaced_merged_and_deleted() {
    let app = app(Config::default());
    let path = format!("{ACME}/prepaid/metadata");
    let replaced = call(
        &app,
        "POST",
        &path,
        json!({"metadata": {"a": "1", "b": "2"}}),
    )
    .await;
    assert_eq!(replaced.json(), json!({"metadata": {"a": "1", "b": "2"}}));
    let merged = call(
        &app,
        "PATCH",
        &path,
        json!({"metadata": {"b": "3", "c": "4"}}),
    )
    .await;
    assert_eq!(
        merged.json(),
        json!({"metadata": {"a": "1", "b": "3", "c": "4"}})
    );
    let one = call(&app, "DELETE", &format!("{path}/a"), Value::Null).await;
    assert_eq!(one.json(), json!({"metadata": {"b": "3", "c": "4"}}));
    let wallet = call(&app, "GET", &format!("{ACME}/prepaid"), Value::Null)
        .await
        .json();
    assert_eq!(wallet["wallet"]["metadata"], json!({"b": "3", "c": "4"}));
    let bad = call(&app, "POST", &path, json!({"metadata": {"n": 1}})).await;
    assert_eq!(
        bad.json()["error_details"],
        json!({"metadata": ["value_is_invalid"]})
    );
    let all = call(&app, "DELETE", &path, Value::Null).await;
    assert_eq!(
        (all.status, all.json()),
        (StatusCode::OK, json!({"metadata": null}))
    );
    let unknown = call(
        &app,
        "DELETE",
        &format!("{ACME}/nope/metadata"),
        Value::Null,
    )
    .await;
    assert_eq!(unknown.json()["code"], "wallet_not_found");
}

#[tokio::test]
async fn wallet_alerts_are_created_read_updated_and_deleted() {
    let app = app(Config::default());
    let path = format!("{ACME}/promo/alerts");
    let one = call(&app, "POST", &path, json!({"alert": {"alert_type": "wallet_credits_balance",
        "code": "low", "name": "Low", "thresholds": [{"value": 5}, {"value": "2.5", "code": "crit", "recurring": true}]}})).await;
    assert_eq!(one.status, StatusCode::OK);
    let alert = one.json()["alert"].clone();
    assert_eq!(alert["wallet_code"], "promo");
    assert_eq!(alert["previous_value"], 50.0);
    assert_eq!(
        alert["thresholds"],
        json!([{"code": null, "recurring": false, "value": "5.0"}, {"code": "crit", "recurring": true, "value": "2.5"}])
    );
    let batch = call(&app, "POST", &path, json!({"alerts": [
        {"alert_type": "wallet_balance_amount", "code": "b1", "thresholds": [{"value": 100}]},
        {"alert_type": "wallet_ongoing_balance_amount", "code": "b2", "thresholds": [{"value": 100}]}]})).await;
    assert_eq!(
        field_of(&batch.json(), "alerts", "code"),
        [json!("b1"), json!("b2")]
    );
    for (body, field) in [
        (
            json!({"alert": {"alert_type": "wallet_balance_amount", "code": "low", "thresholds": [{"value": 1}]}}),
            "code",
        ),
        (
            json!({"alert": {"alert_type": "usage_amount", "code": "x", "thresholds": [{"value": 1}]}}),
            "alert_type",
        ),
        (
            json!({"alert": {"alert_type": "wallet_balance_amount", "code": "y", "thresholds": []}}),
            "thresholds",
        ),
    ] {
        let a = call(&app, "POST", &path, body).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(a.json()["error_details"][field].is_array(), "{field}");
    }
    let list = proxy(&app, &path).await.json();
    assert_eq!(list["meta"]["total_count"], 3);
    let got = call(&app, "GET", &format!("{path}/low"), Value::Null).await;
    assert_eq!(got.json()["alert"], alert);
    let updated = call(
        &app,
        "PUT",
        &format!("{path}/low"),
        json!({"alert": {"name": "Lower", "thresholds": [{"value": 1}]}}),
    )
    .await
    .json();
    assert_eq!(updated["alert"]["name"], "Lower");
    assert_eq!(updated["alert"]["lago_id"], alert["lago_id"]);
    let removed = call(&app, "DELETE", &format!("{path}/b1"), Value::Null).await;
    assert_eq!(removed.json()["alert"]["code"], "b1");
    let gone = call(&app, "GET", &format!("{path}/b1"), Value::Null).await;
    assert_eq!(gone.json()["code"], "alert_not_found");
    let cleared = call(&app, "DELETE", &path, Value::Null).await;
    assert_eq!(
        (cleared.status, cleared.text.as_str()),
        (StatusCode::OK, "")
    );
    assert_eq!(proxy(&app, &path).await.json()["alerts"], json!([]));
}

#[tokio::test]
async fn wallet_routes_share_faults_cors_and_the_request_log() {
    let app = app(Config::default());
    let body =
        json!({"wallet": {"rate_amount": "1", "currency": "USD", "code": "faulted"}}).to_string();
    let faulted = send(
        &app,
        "POST",
        &format!("/proxy/api/v1{ACME}"),
        &[("x-fake-fault", "truncate")],
        &body,
    )
    .await;
    assert_eq!(faulted.status, StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&faulted.text).is_err());
    assert_eq!(
        proxy(&app, &format!("{ACME}/faulted")).await.status,
        StatusCode::NOT_FOUND
    );
    let pre = send(
        &app,
        "OPTIONS",
        &format!("/proxy/api/v1{ACME}/prepaid/metadata"),
        &[],
        "",
    )
    .await;
    assert!(pre.headers["access-control-allow-methods"]
        .to_str()
        .is_ok_and(|m| m.contains("PATCH")));
    let unauthorized = send(&app, "GET", &format!("/api/v1{ACME}"), &[], "").await;
    assert_eq!(unauthorized.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unauthorized.headers["access-control-allow-origin"], "*");
    let log = send(&app, "GET", "/admin/requests", &[], "").await.json();
    assert_eq!(
        field_of(&json!({"l": log}), "l", "status"),
        [json!(200), json!(404), json!(401)]
    );
}

#[tokio::test]
async fn a_committed_fault_carries_the_write_out_and_a_wallet_without_code_is_never_a_duplicate() {
    let app = app(Config::default());
    let count = |app: Router| async move {
        let list = proxy(&app, &format!("{ACME}?per_page=100")).await.json();
        list["wallets"].as_array().map_or(0, Vec::len)
    };
    let before = count(app.clone()).await;
    let body = json!({"wallet": {"rate_amount": "1", "currency": "USD", "paid_credits": "5"}});
    let faulted = |fault: &'static str| {
        let app = app.clone();
        let body = body.to_string();
        async move {
            let headers = [("authorization", common::KEY), ("x-fake-fault", fault)];
            send(&app, "POST", &format!("/api/v1{ACME}"), &headers, &body).await
        }
    };
    // Carried out, then a 504: the wallet exists.
    assert_eq!(
        faulted("status=504;commit").await.status,
        StatusCode::GATEWAY_TIMEOUT
    );
    assert_eq!(count(app.clone()).await, before + 1);
    // Without `commit` a fault changes nothing.
    assert_eq!(
        faulted("status=504").await.status,
        StatusCode::GATEWAY_TIMEOUT
    );
    assert_eq!(count(app.clone()).await, before + 1);
    // The same body again (no code: Lago generates one, suffixed when taken) is a second wallet.
    for _ in 0..2 {
        assert_eq!(
            call(&app, "POST", ACME, body.clone()).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(count(app.clone()).await, before + 3);
    // With a code, the repeat is refused as a duplicate of it.
    let coded = json!({"wallet": {"rate_amount": "1", "currency": "USD", "code": "once"}});
    assert_eq!(
        call(&app, "POST", ACME, coded.clone()).await.status,
        StatusCode::OK
    );
    let again = call(&app, "POST", ACME, coded).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        again.json()["error_details"],
        json!({"code": ["value_already_exist"]})
    );
}
