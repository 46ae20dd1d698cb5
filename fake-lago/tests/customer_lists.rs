//! The seven customer operations added with today's spec: the six lists under
//! `/customers/{id}/` and projected usage, with data that agrees across them.

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::{field_of, proxy, send};
use fake_lago::{app, Config, ACME_COUPON_ID};
use serde_json::{json, Value};
use std::collections::HashMap;

async fn items(app: &Router, id: &str, list: &str) -> Vec<Value> {
    let sep = if list.contains('?') { '&' } else { '?' };
    let answer = proxy(app, &format!("/customers/{id}/{list}{sep}per_page=1000")).await;
    assert_eq!(answer.status, StatusCode::OK, "{id} {list}");
    let key = list.split('?').next().unwrap_or_default();
    answer.json()[key].as_array().cloned().unwrap_or_default()
}

fn cents(v: &Value) -> i64 {
    v.as_i64().unwrap_or(-1)
}

#[tokio::test]
async fn every_customers_lists_agree_with_each_other() {
    let app = app(Config::default());
    let customers = proxy(&app, "/customers?per_page=100").await.json();
    let (mut payments_seen, mut notes_seen, mut requests_seen) = (0, 0, 0);
    for customer in customers["customers"].as_array().into_iter().flatten() {
        let id = customer["external_id"].as_str().unwrap_or_default();
        let currency = customer["currency"].as_str().unwrap_or("USD");
        let invoices = items(&app, id, "invoices").await;
        let by_id: HashMap<String, &Value> = invoices
            .iter()
            .map(|i| (i["lago_id"].as_str().unwrap_or_default().to_string(), i))
            .collect();
        let invoice = |v: &Value| by_id.get(v.as_str().unwrap_or_default()).copied();
        for i in &invoices {
            assert_eq!(i["currency"], currency, "{id}");
            assert_eq!(
                cents(&i["total_amount_cents"]),
                cents(&i["fees_amount_cents"]) - cents(&i["coupons_amount_cents"])
                    + cents(&i["taxes_amount_cents"]),
                "{id}"
            );
        }
        // Coupon credits are exactly the invoices' coupon amounts.
        let mut credited: HashMap<String, i64> = HashMap::new();
        for coupon in items(&app, id, "applied_coupons").await {
            for credit in coupon["credits"].as_array().into_iter().flatten() {
                let inv = invoice(&credit["invoice"]["lago_id"]).expect("credited invoice");
                assert_eq!(credit["invoice"]["payment_status"], inv["payment_status"]);
                *credited.entry(inv["lago_id"].to_string()).or_default() +=
                    cents(&credit["amount_cents"]);
            }
        }
        for i in &invoices {
            let given = credited.get(&i["lago_id"].to_string()).copied();
            assert_eq!(
                given.unwrap_or(0),
                cents(&i["coupons_amount_cents"]),
                "{id}"
            );
        }
        let payments = items(&app, id, "payments").await;
        let settled = invoices
            .iter()
            .filter(|i| i["payment_status"] != "pending")
            .count();
        let has_provider = customer["billing_configuration"]["payment_provider"].is_string();
        assert_eq!(
            payments.len(),
            if has_provider { settled } else { 0 },
            "{id}"
        );
        for p in &payments {
            let inv = invoice(&p["lago_payable_id"]).expect("paid invoice");
            assert_eq!(p["invoice_ids"], json!([inv["lago_id"]]));
            assert_eq!(p["payment_status"], inv["payment_status"]);
            assert_eq!(
                (&p["amount_cents"], &p["amount_currency"]),
                (&inv["total_amount_cents"], &inv["currency"])
            );
            assert_eq!(p["external_customer_id"], id);
        }
        payments_seen += payments.len();
        for note in items(&app, id, "credit_notes").await {
            let inv = invoice(&note["lago_invoice_id"]).expect("credited invoice");
            assert_eq!(note["invoice_number"], inv["number"]);
            assert_eq!(note["currency"], inv["currency"]);
            assert!(cents(&note["total_amount_cents"]) <= cents(&inv["total_amount_cents"]));
            assert!(note["issuing_date"].as_str() > inv["issuing_date"].as_str());
            notes_seen += 1;
        }
        for request in items(&app, id, "payment_requests").await {
            let listed = request["invoices"].as_array().cloned().unwrap_or_default();
            let sum: i64 = listed.iter().map(|i| cents(&i["total_amount_cents"])).sum();
            assert_eq!(cents(&request["amount_cents"]), sum);
            for i in &listed {
                assert_eq!(invoice(&i["lago_id"]), Some(i), "{id}");
                assert_ne!(i["payment_status"], "succeeded");
                assert_eq!(i["payment_overdue"], true);
            }
            assert_eq!(request["customer"]["external_id"], id);
            requests_seen += 1;
        }
        let subs = items(
            &app,
            id,
            "subscriptions?status[]=active&status[]=terminated",
        )
        .await;
        let mut named_total = 0;
        for sub in &subs {
            assert_eq!(sub["plan_amount_currency"], currency);
            let sub_id = sub["external_id"].as_str().unwrap_or_default();
            let past = proxy(
                &app,
                &format!(
                    "/customers/{id}/past_usage?external_subscription_id={sub_id}&per_page=12"
                ),
            )
            .await
            .json();
            // Every invoice of the subscription is one past usage period, and back.
            let periods = past["usage_periods"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut named = 0;
            for period in &periods {
                if period["lago_invoice_id"].is_null() {
                    continue;
                }
                let inv = invoice(&period["lago_invoice_id"]).expect("invoice of a period");
                assert_eq!(inv["issuing_date"], period["issuing_date"]);
                assert_eq!(inv["currency"], period["currency"]);
                named += 1;
            }
            named_total += named;
            if sub["status"] != "active" {
                continue;
            }
            let query = format!("external_subscription_id={sub_id}");
            let current = proxy(&app, &format!("/customers/{id}/current_usage?{query}"))
                .await
                .json();
            let projected = proxy(&app, &format!("/customers/{id}/projected_usage?{query}"))
                .await
                .json();
            let (current, projected) = (
                &current["customer_usage"],
                &projected["customer_projected_usage"],
            );
            assert_eq!(current["amount_cents"], projected["amount_cents"], "{id}");
            assert!(cents(&projected["projected_amount_cents"]) >= cents(&current["amount_cents"]));
            assert_eq!(projected["currency"], currency);
            for charge in projected["charges_usage"].as_array().into_iter().flatten() {
                assert!(cents(&charge["projected_amount_cents"]) >= cents(&charge["amount_cents"]));
            }
        }
        assert_eq!(
            named_total,
            invoices.len(),
            "{id}: every invoice is a past usage period"
        );
    }
    assert!(
        payments_seen > 50 && notes_seen > 5 && requests_seen > 5,
        "{payments_seen} payments, {notes_seen} credit notes, {requests_seen} payment requests"
    );
}

#[tokio::test]
async fn lists_page_like_lago_and_404_for_unknown_customers() {
    let app = app(Config::default());
    for list in [
        "applied_coupons",
        "credit_notes",
        "invoices",
        "payments",
        "payment_requests",
        "subscriptions",
    ] {
        let a = proxy(&app, &format!("/customers/nobody/{list}")).await;
        assert_eq!(
            (a.status, a.json()),
            (
                StatusCode::NOT_FOUND,
                json!({"status": 404, "error": "Not Found", "code": "customer_not_found"})
            ),
            "{list}"
        );
        let keyed = send(
            &app,
            "GET",
            &format!("/api/v1/customers/acme_corp/{list}"),
            &[("authorization", common::KEY)],
            "",
        )
        .await;
        assert_eq!(keyed.status, StatusCode::OK, "{list}");
        assert!(keyed.json()[list].is_array() && keyed.json()["meta"]["total_count"].is_u64());
    }
    let all = proxy(&app, "/customers/acme_corp/invoices").await.json();
    let total = all["meta"]["total_count"].as_u64().unwrap_or(0);
    assert!(total >= 10, "{total}");
    let p2 = proxy(&app, "/customers/acme_corp/invoices?per_page=4&page=2")
        .await
        .json();
    assert_eq!(p2["meta"]["current_page"], 2);
    assert_eq!(p2["meta"]["prev_page"], 1);
    assert_eq!(p2["meta"]["total_pages"], total.div_ceil(4));
    assert_eq!(p2["invoices"][0], all["invoices"][4], "newest first, paged");
    let empty = proxy(&app, "/customers/initech/payments").await.json();
    assert_eq!(empty["meta"]["total_count"], 0);
    assert_eq!(
        empty["meta"]["current_page"], 1,
        "Kaminari: the page asked for"
    );
}

#[tokio::test]
async fn list_filters_narrow_each_list() {
    let app = app(Config::default());
    let count = |v: &Value| v["meta"]["total_count"].as_u64().unwrap_or(0);
    let get = |path: String| {
        let app = app.clone();
        async move { proxy(&app, &path).await.json() }
    };
    let base = "/customers/acme_corp";
    let all = get(format!("{base}/invoices")).await;
    let pending = get(format!("{base}/invoices?payment_status=pending")).await;
    assert!(count(&pending) >= 1 && count(&pending) < count(&all));
    assert!(field_of(&pending, "invoices", "payment_status")
        .iter()
        .all(|s| s == "pending"));
    let newest = all["invoices"][0]["issuing_date"]
        .as_str()
        .unwrap_or_default();
    let recent = get(format!("{base}/invoices?issuing_date_from={newest}")).await;
    assert!(field_of(&recent, "invoices", "issuing_date")
        .iter()
        .all(|d| d == newest));
    let number = all["invoices"][3]["number"].as_str().unwrap_or_default();
    let found = get(format!(
        "{base}/invoices?search_term={}",
        number.to_lowercase()
    ))
    .await;
    assert_eq!(field_of(&found, "invoices", "number"), [json!(number)]);
    let bad = proxy(&app, &format!("{base}/invoices?payment_status=lost")).await;
    assert_eq!(
        (bad.status, bad.json()["error_details"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"payment_status": ["value_is_invalid"]})
        )
    );
    let paid = all["invoices"][3]["lago_id"].as_str().unwrap_or_default();
    let payments = get(format!("{base}/payments?invoice_id={paid}")).await;
    assert_eq!(
        field_of(&payments, "payments", "lago_payable_id"),
        [json!(paid)]
    );

    let active = get(format!("{base}/subscriptions")).await;
    assert_eq!(
        field_of(&active, "subscriptions", "external_id"),
        [json!("sub_acme_corp_1")]
    );
    let ended = get(format!("{base}/subscriptions?status[]=terminated")).await;
    assert_eq!(
        field_of(&ended, "subscriptions", "external_id"),
        [json!("sub_acme_corp_2")]
    );
    assert!(ended["subscriptions"][0]["terminated_at"].is_string());
    let plan = get(format!(
        "{base}/subscriptions?plan_code=legacy_monthly&status[]=terminated&status[]=active"
    ))
    .await;
    assert_eq!(count(&plan), 1);

    let coupons = get(format!("{base}/applied_coupons?coupon_code[]=startup_deal")).await;
    assert_eq!(
        field_of(&coupons, "applied_coupons", "lago_id"),
        [json!(ACME_COUPON_ID)]
    );
    send(
        &app,
        "DELETE",
        &format!("/proxy/api/v1{base}/applied_coupons/{ACME_COUPON_ID}"),
        &[],
        "",
    )
    .await;
    let terminated = get(format!("{base}/applied_coupons?status=terminated")).await;
    assert_eq!(
        field_of(&terminated, "applied_coupons", "lago_id"),
        [json!(ACME_COUPON_ID)]
    );
    assert!(terminated["applied_coupons"][0]["coupon_description"].is_string());
    assert_eq!(
        count(&get(format!("{base}/applied_coupons?status=active")).await),
        1
    );
}

#[tokio::test]
async fn projected_usage_has_current_usage_errors() {
    let app = app(Config::default());
    let ok = proxy(&app, "/customers/acme_corp/projected_usage?external_subscription_id=sub_acme_corp_1&apply_taxes=false").await;
    assert_eq!(ok.status, StatusCode::OK);
    let usage = &ok.json()["customer_projected_usage"];
    assert_eq!(usage["taxes_amount_cents"], 0);
    assert_eq!(usage["lago_invoice_id"], Value::Null);
    for charge in usage["charges_usage"].as_array().into_iter().flatten() {
        let units = |k: &str| {
            charge[k]
                .as_str()
                .and_then(|u| u.trim_end_matches(".0").parse::<u64>().ok())
        };
        assert!(units("projected_units") >= units("units"));
    }
    for (path, status, code) in [
        (
            "/customers/nobody/projected_usage?external_subscription_id=x",
            StatusCode::NOT_FOUND,
            "customer_not_found",
        ),
        (
            "/customers/acme_corp/projected_usage",
            StatusCode::METHOD_NOT_ALLOWED,
            "no_active_subscription",
        ),
        (
            "/customers/acme_corp/projected_usage?external_subscription_id=sub_acme_corp_2",
            StatusCode::METHOD_NOT_ALLOWED,
            "no_active_subscription",
        ),
    ] {
        let a = proxy(&app, path).await;
        assert_eq!(
            (a.status, a.json()["code"].clone()),
            (status, json!(code)),
            "{path}"
        );
    }
}
