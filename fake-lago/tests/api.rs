//! Behaviour of the fake's routes, called in-process through the router.

mod common;

use axum::http::StatusCode;
use common::{api, create_body, send, KEY};
use fake_lago::{app, Config, ACME_COUPON_ID};
use serde_json::{json, Value};

#[tokio::test]
async fn api_requires_the_bearer_key_but_the_proxy_does_not() {
    let app = app(Config::default());
    for headers in [
        vec![],
        vec![("authorization", "Bearer wrong")],
        vec![("authorization", "lago-demo-key")],
    ] {
        let a = send(&app, "GET", "/api/v1/customers/acme_corp", &headers, "").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert_eq!(a.json(), json!({"status": 401, "error": "Unauthorized"}));
    }
    assert_eq!(
        api(&app, "GET", "/customers/acme_corp", "").await.status,
        StatusCode::OK
    );
    let proxied = send(&app, "GET", "/proxy/api/v1/customers/acme_corp", &[], "").await;
    assert_eq!(proxied.json()["customer"]["external_id"], "acme_corp");
}

#[tokio::test]
async fn unknown_customer_and_route_give_lago_404_bodies() {
    let app = app(Config::default());
    let a = api(&app, "GET", "/customers/nobody", "").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(
        a.json(),
        json!({"status": 404, "error": "Not Found", "code": "customer_not_found"})
    );
    for path in [
        "/api/v1/no_such_resources",
        "/customers",
        "/api/v2/customers",
    ] {
        let a = send(&app, "GET", path, &[("authorization", KEY)], "").await;
        assert_eq!(a.json()["code"], "resource_not_found", "{path}");
    }
    assert_eq!(
        api(&app, "PUT", "/customers", "").await.json()["code"],
        "resource_not_found"
    );
}

#[tokio::test]
async fn create_reports_lago_400_and_422_details() {
    let app = app(Config::default());
    let missing = "BadRequest: param is missing or the value is empty or invalid: customer";
    for body in [
        "",
        "not json",
        "{}",
        r#"{"customer": "x"}"#,
        r#"{"customer": {}}"#,
    ] {
        let a = api(&app, "POST", "/customers", body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(a.json(), json!({"status": 400, "error": missing}));
    }
    let a = api(
        &app,
        "POST",
        "/customers",
        &create_body(json!({"name": "No id"})),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        a.json(),
        json!({"status": 422, "error": "Unprocessable Entity", "code": "validation_errors",
               "error_details": {"external_id": ["value_is_mandatory"]}})
    );
    let bad = json!({"external_id": "x1", "email": "nope", "currency": "EURO", "country": "XX", "unknown_key": 1});
    let details = api(&app, "POST", "/customers", &create_body(bad))
        .await
        .json()["error_details"]
        .clone();
    assert_eq!(
        details,
        json!({"email": ["invalid_email_format"], "currency": ["value_is_invalid"], "country": ["value_is_invalid"]})
    );
    assert_eq!(
        api(&app, "GET", "/customers/x1", "").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn create_is_an_upsert_on_external_id() {
    let app = app(Config::default());
    let before = api(&app, "GET", "/customers", "").await.json()["meta"]["total_count"].clone();
    let created = api(
        &app,
        "POST",
        "/customers",
        &create_body(json!({"external_id": "new_co", "name": "New Co", "unknown": true})),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK);
    let first = created.json()["customer"].clone();
    assert_eq!(first["name"], "New Co");
    assert_eq!(first["applicable_timezone"], "UTC");
    let body = create_body(
        json!({"external_id": "new_co", "email": "ops@new.example", "timezone": "Europe/Paris",
                                  "metadata": [{"key": "k", "value": "v", "display_in_invoice": true}]}),
    );
    let second = api(&app, "POST", "/customers", &body).await.json()["customer"].clone();
    for key in ["lago_id", "sequential_id", "created_at", "name"] {
        assert_eq!(first[key], second[key], "{key} must survive an update");
    }
    assert_eq!(second["email"], "ops@new.example");
    assert_eq!(second["applicable_timezone"], "Europe/Paris");
    assert_eq!(second["metadata"][0]["key"], "k");
    let list = api(&app, "GET", "/customers", "").await.json();
    assert_eq!(
        list["meta"]["total_count"],
        before.as_u64().unwrap_or(0) + 1
    );
    assert_eq!(
        list["customers"][0]["external_id"], "new_co",
        "newest first"
    );
}

#[tokio::test]
async fn pagination_meta_follows_lago() {
    let app = app(Config::default());
    let page = |q: &'static str| {
        let app = app.clone();
        async move {
            api(&app, "GET", &format!("/customers?{q}"), "")
                .await
                .json()
        }
    };
    let p1 = page("per_page=10").await;
    assert_eq!(
        p1["meta"],
        json!({"current_page": 1, "next_page": 2, "prev_page": null, "total_pages": 4, "total_count": 36})
    );
    assert_eq!(p1["customers"].as_array().map(Vec::len), Some(10));
    assert_eq!(p1["customers"][0]["external_id"], "acme_corp");
    let p4 = page("per_page=10&page=4").await;
    assert_eq!(
        p4["meta"],
        json!({"current_page": 4, "next_page": null, "prev_page": 3, "total_pages": 4, "total_count": 36})
    );
    assert_eq!(p4["customers"].as_array().map(Vec::len), Some(6));
    let beyond = page("per_page=10&page=9").await;
    assert_eq!(beyond["meta"]["prev_page"], Value::Null);
    assert_eq!(beyond["customers"], json!([]));
    // Kaminari-like leniency: page 0 or junk is page 1, a bad per_page is the default 100.
    assert_eq!(page("page=0&per_page=-1").await["meta"]["total_pages"], 1);
    let empty = page("search_term=no-such-customer").await;
    assert_eq!(
        empty,
        json!({"customers": [], "meta": {"current_page": 1, "next_page": null, "prev_page": null, "total_pages": 0, "total_count": 0}})
    );
}

#[tokio::test]
async fn list_filters_match_the_spec_parameters() {
    let app = app(Config::default());
    let ids = |v: Value| -> Vec<String> {
        v["customers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["external_id"].as_str().map(String::from))
            .collect()
    };
    let fr = api(
        &app,
        "GET",
        "/customers?countries[]=FR&currencies[]=EUR",
        "",
    )
    .await
    .json();
    assert_eq!(ids(fr), ["petit_atelier", "lucas_martin", "sophie_laurent"]);
    let search = api(&app, "GET", "/customers?search_term=GMBH", "")
        .await
        .json();
    assert_eq!(ids(search), ["nordwind", "euro_reseller"]);
    let partners = api(&app, "GET", "/customers?account_type%5B%5D=partner", "")
        .await
        .json();
    assert_eq!(ids(partners), ["euro_reseller"]);
    let individuals = api(
        &app,
        "GET",
        "/customers?customer_type=individual&currencies[]=GBP",
        "",
    )
    .await
    .json();
    assert_eq!(ids(individuals), ["harriet_evans"]);
    let bad = api(
        &app,
        "GET",
        "/customers?currencies[]=XXX&customer_type=robot",
        "",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.json()["error_details"],
        json!({"currencies": ["value_is_invalid"], "customer_type": ["value_is_invalid"]})
    );
}

#[tokio::test]
async fn percent_encoded_ids_round_trip() {
    let app = app(Config::default());
    for (id, encoded) in [
        ("a/b", "a%2Fb"),
        ("a.b", "a%2Eb"),
        ("é", "%C3%A9"),
        ("with space", "with%20space"),
        ("q?#%", "q%3F%23%25"),
    ] {
        let created = api(
            &app,
            "POST",
            "/customers",
            &create_body(json!({"external_id": id})),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{id}");
        let found = api(&app, "GET", &format!("/customers/{encoded}"), "").await;
        assert_eq!(found.json()["customer"]["external_id"], id, "{encoded}");
        let portal = api(&app, "GET", &format!("/customers/{encoded}/portal_url"), "").await;
        assert_eq!(portal.status, StatusCode::OK, "{encoded}");
    }
    // Like Rails, an unencoded `.` starts a format suffix: `a.b` reads as id `a`.
    assert_eq!(
        api(&app, "GET", "/customers/a.b", "").await.json()["code"],
        "customer_not_found"
    );
    let deleted = api(&app, "DELETE", "/customers/a%2Fb", "").await;
    assert_eq!(deleted.json()["customer"]["external_id"], "a/b");
    assert_eq!(
        api(&app, "GET", "/customers/a%2Fb", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api(&app, "GET", "/customers/a", "").await.status,
        StatusCode::NOT_FOUND
    );
}

fn assert_totals_add_up(usage: &Value) {
    let charges: i64 = usage["charges_usage"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["amount_cents"].as_i64())
        .sum();
    assert_eq!(usage["amount_cents"].as_i64(), Some(charges));
    let total = usage["amount_cents"].as_i64().unwrap_or(0)
        + usage["taxes_amount_cents"].as_i64().unwrap_or(-1);
    assert_eq!(usage["total_amount_cents"].as_i64(), Some(total));
}

#[tokio::test]
async fn current_usage_checks_the_subscription() {
    let app = app(Config::default());
    let ok = api(
        &app,
        "GET",
        "/customers/acme_corp/current_usage?external_subscription_id=sub_acme_corp_1",
        "",
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    let usage = ok.json()["customer_usage"].clone();
    assert_eq!(usage["currency"], "USD");
    assert_eq!(usage["charges_usage"].as_array().map(Vec::len), Some(4));
    assert_totals_add_up(&usage);
    let seats = api(&app, "GET", "/customers/acme_corp/current_usage?external_subscription_id=sub_acme_corp_1&billable_metric_code=seats&apply_taxes=false", "").await.json();
    assert_eq!(
        seats["customer_usage"]["charges_usage"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(seats["customer_usage"]["taxes_amount_cents"], 0);

    // Lago answers 405 for a missing subscription id too (REALITY.md section 5).
    let not_active =
        json!({"status": 405, "error": "Method Not Allowed", "code": "no_active_subscription"});
    let missing = api(&app, "GET", "/customers/acme_corp/current_usage", "").await;
    assert_eq!(
        (missing.status, missing.json()),
        (StatusCode::METHOD_NOT_ALLOWED, not_active.clone())
    );
    for sub in ["sub_acme_corp_2", "sub_globex_1", "nope"] {
        let a = api(
            &app,
            "GET",
            &format!("/customers/acme_corp/current_usage?external_subscription_id={sub}"),
            "",
        )
        .await;
        assert_eq!(
            (a.status, a.json()),
            (StatusCode::METHOD_NOT_ALLOWED, not_active.clone()),
            "{sub}"
        );
    }
    let unknown = api(
        &app,
        "GET",
        "/customers/nobody/current_usage?external_subscription_id=x",
        "",
    )
    .await;
    assert_eq!(unknown.json()["code"], "customer_not_found");
}

#[tokio::test]
async fn past_usage_pages_through_twelve_months() {
    let app = app(Config::default());
    let base = "/customers/acme_corp/past_usage?external_subscription_id=sub_acme_corp_1";
    let p1 = api(&app, "GET", &format!("{base}&per_page=5"), "")
        .await
        .json();
    assert_eq!(
        p1["meta"],
        json!({"current_page": 1, "next_page": 2, "prev_page": null, "total_pages": 3, "total_count": 12})
    );
    let p3 = api(&app, "GET", &format!("{base}&per_page=5&page=3"), "")
        .await
        .json();
    assert_eq!(p3["usage_periods"].as_array().map(Vec::len), Some(2));
    let periods = p1["usage_periods"].as_array().cloned().unwrap_or_default();
    for pair in periods.windows(2) {
        assert!(
            pair[0]["from_datetime"].as_str() > pair[1]["from_datetime"].as_str(),
            "newest first"
        );
    }
    periods.iter().for_each(assert_totals_add_up);
    let amounts: std::collections::HashSet<i64> = periods
        .iter()
        .filter_map(|p| p["amount_cents"].as_i64())
        .collect();
    assert!(amounts.len() > 3, "months should differ: {amounts:?}");
    let three = api(
        &app,
        "GET",
        &format!("{base}&periods_count=3&billable_metric_code=api_calls"),
        "",
    )
    .await
    .json();
    assert_eq!(three["meta"]["total_count"], 3);
    assert_eq!(
        three["usage_periods"][0]["charges_usage"][0]["billable_metric"]["code"],
        "api_calls"
    );
    let unknown_metric = api(
        &app,
        "GET",
        &format!("{base}&billable_metric_code=nope"),
        "",
    )
    .await;
    assert_eq!(unknown_metric.json()["code"], "billable_metric_not_found");
    let terminated = api(
        &app,
        "GET",
        "/customers/acme_corp/past_usage?external_subscription_id=sub_acme_corp_2",
        "",
    )
    .await;
    assert_eq!(
        terminated.status,
        StatusCode::OK,
        "history outlives the subscription"
    );
    let missing = api(&app, "GET", "/customers/acme_corp/past_usage", "").await;
    assert_eq!(
        missing.json()["error_details"],
        json!({"external_subscription_id": ["value_is_mandatory"]})
    );
}

#[tokio::test]
async fn applied_coupon_delete_terminates_it() {
    let app = app(Config::default());
    let path = format!("/customers/acme_corp/applied_coupons/{ACME_COUPON_ID}");
    let a = api(&app, "DELETE", &path, "").await;
    assert_eq!(a.status, StatusCode::OK);
    let coupon = a.json()["applied_coupon"].clone();
    assert_eq!(
        (coupon["status"].as_str(), coupon["lago_id"].as_str()),
        (Some("terminated"), Some(ACME_COUPON_ID))
    );
    assert!(coupon["terminated_at"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    // Idempotent like Lago: a terminated coupon is answered again, unchanged.
    let again = api(&app, "DELETE", &path, "").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["applied_coupon"], coupon);
    assert_eq!(
        api(
            &app,
            "DELETE",
            "/customers/acme_corp/applied_coupons/a11ed000-c0de-4000-8000-00000000dead",
            ""
        )
        .await
        .json()["code"],
        "applied_coupon_not_found"
    );
    let left = send(
        &app,
        "GET",
        "/admin/customers/acme_corp/applied_coupons",
        &[],
        "",
    )
    .await
    .json();
    assert_eq!(left["applied_coupons"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn checkout_and_portal_urls() {
    let app = app(Config {
        base_url: "http://fake.test".into(),
        ..Config::default()
    });
    let a = api(&app, "POST", "/customers/acme_corp/checkout_url", "")
        .await
        .json();
    assert_eq!(a["customer"]["payment_provider"], "stripe");
    assert!(a["customer"]["checkout_url"]
        .as_str()
        .is_some_and(|u| u.starts_with("http://fake.test/checkout/stripe/")));
    let none = api(&app, "POST", "/customers/initech/checkout_url", "")
        .await
        .json();
    assert_eq!(
        none["error_details"],
        json!({"base": ["no_linked_payment_provider"]})
    );
    let portal = api(&app, "GET", "/customers/acme_corp/portal_url", "")
        .await
        .json();
    assert!(portal["customer"]["portal_url"]
        .as_str()
        .is_some_and(|u| u.starts_with("http://fake.test/customer-portal/")));
}

#[tokio::test]
async fn fault_with_times_and_id_fails_then_recovers() {
    let app = app(Config::default());
    let fault = [
        ("authorization", KEY),
        ("x-fake-fault", "status=503;retry-after=1;times=2;id=t1"),
    ];
    let body = create_body(json!({"external_id": "faulted"}));
    for attempt in 1..=2 {
        let a = send(&app, "POST", "/api/v1/customers", &fault, &body).await;
        assert_eq!(
            a.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "attempt {attempt}"
        );
        assert_eq!(
            a.json(),
            json!({"status": 503, "error": "Service Unavailable", "code": "service_unavailable"})
        );
        assert_eq!(a.headers["retry-after"], "1");
        assert_eq!(
            api(&app, "GET", "/customers/faulted", "").await.status,
            StatusCode::NOT_FOUND,
            "a faulted POST creates nothing"
        );
    }
    assert_eq!(
        send(&app, "POST", "/api/v1/customers", &fault, &body)
            .await
            .status,
        StatusCode::OK
    );
    // Another id has its own counter; faults come after auth, so a 401 does not count.
    let other = [("x-fake-fault", "status=429;times=1;id=t2")];
    assert_eq!(
        send(&app, "GET", "/api/v1/customers", &other, "")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let limited = send(&app, "GET", "/proxy/api/v1/customers", &other, "").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.json()["code"], "too_many_requests");
    assert_eq!(limited.headers["x-ratelimit-remaining"], "0");
    assert_eq!(
        send(&app, "GET", "/proxy/api/v1/customers", &other, "")
            .await
            .status,
        StatusCode::OK
    );
    let bad = send(
        &app,
        "GET",
        "/proxy/api/v1/customers",
        &[("x-fake-fault", "explode")],
        "",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn body_faults_break_the_body_not_the_state() {
    let app = app(Config::default());
    let get = |fault: &'static str| {
        let app = app.clone();
        async move {
            send(
                &app,
                "GET",
                "/proxy/api/v1/customers/acme_corp",
                &[("x-fake-fault", fault)],
                "",
            )
            .await
        }
    };
    let truncated = get("truncate").await;
    assert_eq!(truncated.status, StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&truncated.text).is_err());
    let html = get("non-json").await;
    assert_eq!(
        (
            html.headers["content-type"].to_str().ok(),
            html.text.as_str()
        ),
        (Some("text/html"), "<html>oops</html>")
    );
    assert_eq!(get("wrong-shape").await.json(), json!({"unexpected": true}));
    let big = get("big=100000").await;
    assert_eq!(big.text.len(), 100_000);
    assert_eq!(big.json()["customer"]["external_id"], "acme_corp");
    let slow = std::time::Instant::now();
    assert_eq!(get("latency=150").await.status, StatusCode::OK);
    assert!(slow.elapsed().as_millis() >= 150);
    let deleted = send(
        &app,
        "DELETE",
        "/proxy/api/v1/customers/acme_corp",
        &[("x-fake-fault", "truncate")],
        "",
    )
    .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(
        get("latency=0").await.status,
        StatusCode::OK,
        "a faulted DELETE deletes nothing"
    );
}

#[tokio::test]
async fn cors_preflight_and_headers_on_errors() {
    let app = app(Config::default());
    let asked = "authorization, content-type, x-fake-fault";
    let pre = send(
        &app,
        "OPTIONS",
        "/api/v1/customers/x",
        &[("access-control-request-headers", asked)],
        "",
    )
    .await;
    assert_eq!(pre.status, StatusCode::NO_CONTENT);
    assert_eq!(pre.headers["access-control-allow-headers"], asked);
    assert_eq!(
        pre.headers["access-control-allow-methods"],
        "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    );
    assert_eq!(pre.headers["access-control-max-age"], "600");
    assert_eq!(
        send(&app, "OPTIONS", "/anything", &[], "").await.headers["access-control-allow-headers"],
        "*"
    );
    let error = send(&app, "GET", "/api/v1/customers", &[], "").await;
    assert_eq!(error.headers["access-control-allow-origin"], "*");
    assert!(error.headers["access-control-expose-headers"]
        .to_str()
        .is_ok_and(|h| h.contains("Retry-After")));
}

#[tokio::test]
async fn request_log_keeps_raw_requests_without_the_key() {
    let app = app(Config::default());
    api(&app, "GET", "/customers/a%2Fb?x=1%202", "").await;
    send(
        &app,
        "POST",
        "/proxy/api/v1/customers",
        &[("x-custom", "yes")],
        "{\"customer\":1}",
    )
    .await;
    send(
        &app,
        "GET",
        "/admin/customers/acme_corp/subscriptions",
        &[],
        "",
    )
    .await;
    let log = send(&app, "GET", "/admin/requests", &[], "").await.json();
    assert_eq!(
        log.as_array().map(Vec::len),
        Some(2),
        "admin calls are not logged"
    );
    assert_eq!(log[0]["path"], "/api/v1/customers/a%2Fb");
    assert_eq!(log[0]["query"], "x=1%202");
    assert_eq!(log[0]["authorized"], true);
    assert!(!log.to_string().contains("lago-demo-key"));
    assert_eq!(
        (log[1]["method"].as_str(), log[1]["authorized"].as_bool()),
        (Some("POST"), Some(false))
    );
    assert_eq!(log[1]["headers"]["x-custom"], "yes");
    assert_eq!(log[1]["body"], "{\"customer\":1}");
    send(&app, "DELETE", "/admin/requests", &[], "").await;
    assert_eq!(
        send(&app, "GET", "/admin/requests", &[], "").await.json(),
        json!([])
    );
}

#[tokio::test]
async fn reset_restores_the_seed() {
    let app = app(Config::default());
    let before = api(&app, "GET", "/customers/globex", "").await.json();
    api(&app, "DELETE", "/customers/globex", "").await;
    api(
        &app,
        "POST",
        "/customers",
        &create_body(json!({"external_id": "temp"})),
    )
    .await;
    let reset = send(&app, "POST", "/admin/reset", &[], "").await.json();
    assert_eq!(reset["customers"], 36);
    assert_eq!(
        api(&app, "GET", "/customers/globex", "").await.json(),
        before
    );
    assert_eq!(
        api(&app, "GET", "/customers/temp", "").await.status,
        StatusCode::NOT_FOUND
    );
    let subs = send(
        &app,
        "GET",
        "/admin/customers/acme_corp/subscriptions",
        &[],
        "",
    )
    .await
    .json();
    assert_eq!(
        subs["subscriptions"][0],
        json!({"external_id": "sub_acme_corp_1", "status": "active", "billable_metric_codes": ["api_calls", "storage_gb", "seats", "emails_sent"]})
    );
}

#[tokio::test]
async fn admin_charges_route_makes_a_big_current_usage_until_reset() {
    let app = app(Config::default());
    let route = "/admin/customers/acme_corp/subscriptions/sub_acme_corp_1/charges";
    let usage_path = "/customers/acme_corp/current_usage?external_subscription_id=sub_acme_corp_1";
    let seeded = api(&app, "GET", usage_path, "").await.json();

    let set = send(&app, "POST", &format!("{route}?count=200"), &[], "").await;
    assert_eq!(set.status, StatusCode::OK);
    assert_eq!(
        set.json()["subscription"]["current_period_generated_charges"],
        200
    );
    let first = api(&app, "GET", usage_path, "").await;
    assert_eq!(first.status, StatusCode::OK);
    let usage = first.json()["customer_usage"].clone();
    let charges = usage["charges_usage"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(charges.len(), 200);
    assert_totals_add_up(&usage);
    let is_uuid = |v: &Value| {
        let s = v.as_str().unwrap_or_default();
        let parts: Vec<usize> = s.split('-').map(str::len).collect();
        parts == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    };
    let models = ["standard", "graduated", "package", "percentage", "volume"];
    let aggregations = [
        "count_agg",
        "sum_agg",
        "max_agg",
        "unique_count_agg",
        "weighted_sum_agg",
        "latest_agg",
    ];
    let mut ids = std::collections::HashSet::new();
    for c in &charges {
        assert_eq!(c["amount_currency"], "USD");
        assert!(c["amount_cents"].as_u64().is_some() && c["events_count"].as_u64().is_some());
        let units = c["units"].as_str().unwrap_or_default();
        assert!(units.ends_with(".0") && units[..units.len() - 2].parse::<u64>().is_ok());
        assert!(models.contains(&c["charge"]["charge_model"].as_str().unwrap_or_default()));
        let aggregation = c["billable_metric"]["aggregation_type"].as_str();
        assert!(aggregations.contains(&aggregation.unwrap_or_default()));
        for id in [&c["charge"]["lago_id"], &c["billable_metric"]["lago_id"]] {
            assert!(is_uuid(id), "{id}");
            assert!(ids.insert(id.to_string()), "duplicate id {id}");
        }
        assert!(ids.insert(c["billable_metric"]["code"].to_string()));
    }
    // Deterministic, and the usual filters find a generated charge.
    assert_eq!(api(&app, "GET", usage_path, "").await.text, first.text);
    let one = &charges[41];
    let by_id = api(
        &app,
        "GET",
        &format!(
            "{usage_path}&charge_id={}",
            one["charge"]["lago_id"].as_str().unwrap_or_default()
        ),
        "",
    )
    .await
    .json();
    assert_eq!(by_id["customer_usage"]["charges_usage"], json!([one]));
    // Past periods keep the plan's charges.
    let past = api(
        &app,
        "GET",
        "/customers/acme_corp/past_usage?external_subscription_id=sub_acme_corp_1&periods_count=1",
        "",
    )
    .await
    .json();
    assert_eq!(
        past["usage_periods"][0]["charges_usage"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );

    for (query, code) in [
        ("", "value_is_mandatory"),
        ("?count=0", "value_is_invalid"),
        ("?count=2001", "value_is_invalid"),
        ("?count=abc", "value_is_invalid"),
    ] {
        let a = send(&app, "POST", &format!("{route}{query}"), &[], "").await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(a.json()["code"], "validation_errors");
        assert_eq!(
            a.json()["error_details"],
            json!({"count": [code]}),
            "{query}"
        );
    }
    let max = send(&app, "POST", &format!("{route}?count=2000"), &[], "").await;
    assert_eq!(max.status, StatusCode::OK);
    for (path, code) in [
        (
            "/admin/customers/nobody/subscriptions/x/charges?count=5",
            "customer_not_found",
        ),
        (
            "/admin/customers/acme_corp/subscriptions/nope/charges?count=5",
            "subscription_not_found",
        ),
    ] {
        assert_eq!(send(&app, "POST", path, &[], "").await.json()["code"], code);
    }

    send(&app, "POST", "/admin/reset", &[], "").await;
    assert_eq!(api(&app, "GET", usage_path, "").await.json(), seeded);
}
