//! Lago's server where it differs from the spec (`shared/lago-openapi/REALITY.md`, section 5):
//! one test per behaviour.

mod common;

use axum::http::StatusCode;
use common::{api, create_body, field_of, proxy};
use fake_lago::{app, Config, ACME_COUPON_ID, STRIPE_AUTH_FAILS};
use serde_json::{json, Value};

const EMPTY_META: &str =
    r#"{"current_page":0,"next_page":null,"prev_page":null,"total_pages":0,"total_count":0}"#;

fn empty_meta() -> Value {
    serde_json::from_str(EMPTY_META).unwrap_or(Value::Null)
}

#[tokio::test]
async fn past_usage_of_an_unknown_customer_or_subscription_is_an_empty_page() {
    let app = app(Config::default());
    for path in [
        "/customers/nobody/past_usage?external_subscription_id=sub_acme_corp_1",
        "/customers/acme_corp/past_usage?external_subscription_id=nope",
        "/customers/acme_corp/past_usage?external_subscription_id=sub_globex_1",
    ] {
        let a = api(&app, "GET", path, "").await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(
            a.json(),
            json!({"usage_periods": [], "meta": empty_meta()}),
            "{path}"
        );
    }
    let unknown_metric = api(
        &app,
        "GET",
        "/customers/nobody/past_usage?external_subscription_id=x&billable_metric_code=nope",
        "",
    )
    .await;
    assert_eq!(unknown_metric.json()["code"], "billable_metric_not_found");
}

#[tokio::test]
async fn deleting_an_applied_coupon_twice_answers_200_twice() {
    let app = app(Config::default());
    let path = format!("/customers/acme_corp/applied_coupons/{ACME_COUPON_ID}");
    let first = api(&app, "DELETE", &path, "").await;
    let second = api(&app, "DELETE", &path, "").await;
    assert_eq!(
        (first.status, second.status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(first.json(), second.json());
    let coupon = &second.json()["applied_coupon"];
    assert_eq!(coupon["status"], "terminated");
    assert!(coupon["coupon_description"].is_string(), "{coupon}");
}

#[tokio::test]
async fn a_destroyed_customer_is_gone_and_its_id_can_be_created_again() {
    let app = app(Config::default());
    let first = api(&app, "DELETE", "/customers/globex", "").await;
    assert_eq!(first.status, StatusCode::OK);
    let old_id = first.json()["customer"]["lago_id"].clone();
    let second = api(&app, "DELETE", "/customers/globex", "").await;
    assert_eq!(
        (second.status, second.json()["code"].clone()),
        (StatusCode::NOT_FOUND, json!("customer_not_found"))
    );
    let again = api(
        &app,
        "POST",
        "/customers",
        &create_body(json!({"external_id": "globex", "name": "Globex again"})),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    let customer = again.json()["customer"].clone();
    assert_ne!(customer["lago_id"], old_id, "a new customer");
    assert_eq!(
        customer["email"],
        Value::Null,
        "nothing kept from the old one"
    );
}

#[tokio::test]
async fn current_usage_405_for_no_active_subscription_and_404_for_unmatched_filters() {
    let app = app(Config::default());
    let base = "/customers/acme_corp/current_usage";
    for query in [
        "",
        "?external_subscription_id=",
        "?external_subscription_id=unknown",
        "?external_subscription_id=sub_acme_corp_2",
    ] {
        let a = api(&app, "GET", &format!("{base}{query}"), "").await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{query}");
        assert_eq!(a.json()["code"], "no_active_subscription", "{query}");
    }
    let sub = "?external_subscription_id=sub_acme_corp_1";
    for filter in [
        "charge_id=a11ed000-c0de-4000-8000-00000000beef",
        "charge_code=payments_volume",
        "billable_metric_code=payments_volume",
        "billable_metric_code=no_such_metric",
    ] {
        let a = api(&app, "GET", &format!("{base}{sub}&{filter}"), "").await;
        assert_eq!(
            (a.status, a.json()),
            (
                StatusCode::NOT_FOUND,
                json!({"status": 404, "error": "Not Found", "code": "charge_not_found"})
            ),
            "{filter}"
        );
    }
}

#[tokio::test]
async fn checkout_of_a_stripe_customer_with_a_failing_provider_is_a_provider_401() {
    let app = app(Config::default());
    let a = api(
        &app,
        "POST",
        &format!("/customers/{STRIPE_AUTH_FAILS}/checkout_url"),
        "",
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let body = a.json();
    assert_eq!(body["status"], 401);
    assert!(body["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("Stripe authentication failed. ")));
    assert!(body.get("code").is_none());
    let customer = api(&app, "GET", &format!("/customers/{STRIPE_AUTH_FAILS}"), "")
        .await
        .json();
    assert_eq!(
        customer["customer"]["billing_configuration"]["payment_provider"],
        "stripe"
    );
    // Cashfree and Flutterwave have no checkout on the server.
    let body = create_body(json!({"external_id": "cf", "currency": "INR",
        "billing_configuration": {"payment_provider": "cashfree"}}));
    assert_eq!(
        api(&app, "POST", "/customers", &body).await.status,
        StatusCode::OK
    );
    let cashfree = api(&app, "POST", "/customers/cf/checkout_url", "").await;
    assert_eq!(
        (cashfree.status, cashfree.json()["code"].clone()),
        (
            StatusCode::METHOD_NOT_ALLOWED,
            json!("feature_not_supported")
        )
    );
    let none = api(&app, "POST", "/customers/initech/checkout_url", "").await;
    assert_eq!(
        (none.status, none.json()["error_details"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"base": ["no_linked_payment_provider"]})
        )
    );
}

#[tokio::test]
async fn list_items_lack_error_details_and_custom_sections_single_answers_have_them() {
    let app = app(Config::default());
    let list = proxy(&app, "/customers?per_page=100").await.json();
    let items = list["customers"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 36);
    for item in &items {
        assert!(item.get("error_details").is_none());
        assert!(item.get("applicable_invoice_custom_sections").is_none());
        assert!(item["taxes"].is_array() && item["integration_customers"].is_array());
    }
    let one = proxy(&app, "/customers/acme_corp").await.json();
    assert_eq!(one["customer"]["error_details"], json!([]));
    assert_eq!(
        one["customer"]["applicable_invoice_custom_sections"],
        json!([])
    );
}

#[tokio::test]
async fn external_id_filter_is_exact_and_overrides_search_term() {
    let app = app(Config::default());
    let ids = |v: Value| field_of(&v, "customers", "external_id");
    let exact = proxy(&app, "/customers?external_id=globex&search_term=acme").await;
    assert_eq!(ids(exact.json()), [json!("globex")]);
    let partial = proxy(&app, "/customers?external_id=glob").await.json();
    assert_eq!(partial["meta"]["total_count"], 0);
    let case = proxy(&app, "/customers?external_id=GLOBEX").await.json();
    assert_eq!(case["customers"], json!([]));
}

#[tokio::test]
async fn create_accepts_the_servers_currencies_and_timezones_and_refuses_old_names() {
    let app = app(Config::default());
    let create = |fields: Value| {
        let app = app.clone();
        async move { api(&app, "POST", "/customers", &create_body(fields)).await }
    };
    for currency in ["BHD", "IRR", "JOD", "KWD", "EUR"] {
        let a = create(json!({"external_id": "cur", "currency": currency})).await;
        assert_eq!(a.json()["customer"]["currency"], currency);
    }
    for timezone in [
        "UTC",
        "Europe/Kyiv",
        "America/Nuuk",
        "Asia/Yangon",
        "Etc/UTC",
    ] {
        let a = create(json!({"external_id": "tz", "timezone": timezone})).await;
        assert_eq!(a.status, StatusCode::OK, "{timezone}");
        assert_eq!(a.json()["customer"]["applicable_timezone"], timezone);
    }
    for timezone in ["America/Godthab", "Asia/Rangoon", "Europe/Kiev", "GMT+12"] {
        let a = create(json!({"external_id": "tz", "timezone": timezone})).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{timezone}");
        assert_eq!(
            a.json()["error_details"],
            json!({"timezone": ["invalid_timezone"]})
        );
    }
    let fr = create(json!({"external_id": "fr", "country": "fr",
                           "shipping_address": {"country": "de"}}))
    .await;
    assert_eq!(fr.status, StatusCode::OK);
    assert_eq!(fr.json()["customer"]["country"], "FR");
    assert_eq!(fr.json()["customer"]["shipping_address"]["country"], "DE");
    let bad = create(json!({"external_id": "fr", "country": "zz"})).await;
    assert_eq!(
        bad.json()["error_details"],
        json!({"country": ["value_is_invalid"]})
    );
}

#[tokio::test]
async fn create_accepts_the_servers_integration_types_and_keeps_targeted_object() {
    let app = app(Config::default());
    let types = [
        "netsuite",
        "anrok",
        "avalara",
        "xero",
        "hubspot",
        "salesforce",
        "okta",
    ];
    let items: Vec<Value> = types
        .iter()
        .map(|t| {
            json!({"integration_type": t, "integration_code": format!("{t}_prod"),
                        "external_customer_id": format!("{t}-42"), "targeted_object": "companies"})
        })
        .collect();
    let body = create_body(json!({"external_id": "linked", "integration_customers": items}));
    let a = api(&app, "POST", "/customers", &body).await;
    assert_eq!(a.status, StatusCode::OK);
    let linked = a.json()["customer"]["integration_customers"].clone();
    assert_eq!(
        field_of(&json!({"l": linked}), "l", "type"),
        types.map(|t| json!(t))
    );
    assert_eq!(linked[2]["targeted_object"], "companies");
    assert_eq!(linked[2]["integration_code"], "avalara_prod");
    // An update of one type keeps the others and the ids.
    let update = create_body(json!({"external_id": "linked",
        "integration_customers": [{"integration_type": "hubspot", "targeted_object": null}]}));
    let again = api(&app, "POST", "/customers", &update).await.json()["customer"]
        ["integration_customers"]
        .clone();
    assert_eq!(again[4]["lago_id"], linked[4]["lago_id"]);
    assert_eq!(again[4]["targeted_object"], Value::Null);
    assert_eq!(again[2], linked[2]);
    let twice = create_body(json!({"external_id": "linked", "integration_customers":
        [{"integration_type": "xero"}, {"integration_type": "xero"}]}));
    assert_eq!(
        api(&app, "POST", "/customers", &twice).await.json()["error_details"],
        json!({"integration_customers": ["invalid_count_per_integration_type"]})
    );
    // Lago raises NotImplementedError for other types: a 500.
    let unknown = create_body(json!({"external_id": "other",
        "integration_customers": [{"integration_type": "quickbooks"}]}));
    let a = api(&app, "POST", "/customers", &unknown).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        api(&app, "GET", "/customers/other", "").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_explicit_null_clears_a_field_and_an_absent_key_keeps_it() {
    let app = app(Config::default());
    let first = create_body(
        json!({"external_id": "nully", "name": "Nully", "email": "a@b.example",
        "city": "Paris", "external_salesforce_id": "0015g00000XyZ"}),
    );
    let created = api(&app, "POST", "/customers", &first).await.json()["customer"].clone();
    assert_eq!(created["external_salesforce_id"], "0015g00000XyZ");
    let second = create_body(json!({"external_id": "nully", "email": null, "city": null}));
    let updated = api(&app, "POST", "/customers", &second).await.json()["customer"].clone();
    assert_eq!(
        (&updated["email"], &updated["city"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(updated["name"], "Nully");
    assert_eq!(updated["external_salesforce_id"], "0015g00000XyZ");
}

#[tokio::test]
async fn responses_carry_the_fields_the_server_adds_to_the_spec() {
    let app = app(Config::default());
    let customer = proxy(&app, "/customers/acme_corp").await.json();
    assert!(customer["customer"]
        .as_object()
        .is_some_and(|c| c.contains_key("external_salesforce_id")));
    let usage = proxy(
        &app,
        "/customers/acme_corp/current_usage?external_subscription_id=sub_acme_corp_1",
    )
    .await
    .json();
    let charge = &usage["customer_usage"]["charges_usage"][0];
    assert_eq!(charge["charge"]["code"], charge["billable_metric"]["code"]);
}
