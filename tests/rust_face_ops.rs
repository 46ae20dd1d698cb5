//! The Rust face against the fake Lago server over real HTTP, in headless Chromium and Firefox:
//! every operation of both classes (16 customer, 15 wallet), typed results checked against the
//! fake's own answers (read raw through gloo-net, or read back through another operation).
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use lago_wasm::models::{self, CreateCustomerWalletAlert200Response, WalletMetadataResponse};
use lago_wasm::ErrorKind;
use rust_face_support::*;
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------------------------------------
// Customers: the sixteen operations
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn create_find_destroy_customer() {
    let lago = client();
    let id = uid("rf create/ü.");
    let created = create(&lago, &id, "EUR").await;
    assert_eq!(created.customer.external_id, id);
    assert_eq!(created.customer.currency.as_deref(), Some("EUR"));
    let lago_id = created.customer.lago_id.as_str();

    let found = lago.find_customer(&id).await.expect("find");
    assert_eq!(found.customer.lago_id, lago_id);
    assert_eq!(found.customer.name, created.customer.name);

    let destroyed = lago.destroy_customer(&id).await.expect("destroy");
    assert_eq!(destroyed.customer.lago_id, lago_id);
    let gone = lago.find_customer(&id).await.expect_err("gone");
    assert_eq!(gone.kind, ErrorKind::Http);
    assert_eq!(gone.status, Some(404));
    assert_eq!(gone.code.as_deref(), Some("customer_not_found"));
}

#[wasm_bindgen_test]
async fn find_all_customers_pages_and_finds_the_first() {
    let lago = client();
    let page = lago
        .find_all_customers()
        .per_page(5)
        .page(2)
        .await
        .expect("list");
    assert_eq!(page.customers.len(), 5);
    assert_eq!(
        page.meta.current_page.value().and_then(|n| n.as_u64()),
        Some(2)
    );
    assert_eq!(
        json_of(&page),
        api_json("/customers?per_page=5&page=2").await,
        "typed page re-serializes to the fake's answer"
    );
    let first = lago.find_all_customers().await.expect("list");
    let acme = &first.customers[0];
    assert_eq!(acme.external_id, "acme_corp");
    let found = lago.find_customer("acme_corp").await.expect("find");
    assert_eq!(found.customer.lago_id, acme.lago_id);
    let search = lago
        .find_all_customers()
        .query("external_id", "acme_corp")
        .await
        .expect("filtered");
    assert_eq!(search.customers.len(), 1);
    assert_eq!(search.customers[0].lago_id, acme.lago_id);
}

#[wasm_bindgen_test]
async fn applied_coupons_list_and_delete() {
    let lago = client();
    let listed = lago
        .find_all_customer_applied_coupons("acme_corp")
        .await
        .expect("list");
    assert_eq!(
        json_of(&listed),
        api_json("/customers/acme_corp/applied_coupons").await
    );
    assert!(listed
        .applied_coupons
        .iter()
        .any(|c| c.lago_id == "a11ed000-c0de-4000-8000-000000000001"));
    assert!(listed
        .applied_coupons
        .iter()
        .all(|c| c.external_customer_id.as_deref() == Some("acme_corp")));

    // Delete a coupon of another customer (acme_corp's stay for the other suites): the first
    // active one found, so each run deletes a different one; once all are gone, a terminated
    // one (deleting is idempotent on Lago's server, as on the fake).
    let mut customers = lago.list_all_customers().per_page(50);
    let (mut target, mut fallback) = (None, None);
    while let Some(customer) = customers.next().await {
        let id = customer.expect("customer").external_id;
        if id == "acme_corp" {
            continue;
        }
        let coupons = lago
            .find_all_customer_applied_coupons(&id)
            .await
            .expect("coupons");
        for coupon in coupons.applied_coupons {
            if coupon.status.value().map(|s| s.as_str()) == Some("active") {
                target = Some((id.clone(), coupon));
                break;
            }
            fallback.get_or_insert((id.clone(), coupon));
        }
        if target.is_some() {
            break;
        }
    }
    let target = target.or(fallback);
    let (id, coupon) = target.expect("a seeded customer with a coupon");
    let coupon_id = coupon.lago_id.as_str();
    let deleted = lago
        .delete_applied_coupon(&id, coupon_id)
        .await
        .expect("delete");
    assert_eq!(deleted.applied_coupon.lago_id, coupon_id);
    assert_eq!(
        deleted.applied_coupon.status.value().map(|s| s.as_str()),
        Some("terminated")
    );
    let active = lago
        .find_all_customer_applied_coupons(&id)
        .status("active")
        .await
        .expect("coupons");
    assert!(active
        .applied_coupons
        .iter()
        .all(|c| c.lago_id != coupon_id));
}

#[wasm_bindgen_test]
async fn invoices_payments_and_credit_notes_agree() {
    let lago = client();
    let invoices = lago
        .find_all_customer_invoices("acme_corp")
        .per_page(100)
        .await
        .expect("invoices");
    assert_eq!(
        json_of(&invoices),
        api_json("/customers/acme_corp/invoices?per_page=100").await
    );
    assert!(!invoices.invoices.is_empty());
    let invoice_ids: Vec<&str> = invoices
        .invoices
        .iter()
        .map(|i| i.lago_id.as_str())
        .collect();
    let acme = lago.find_customer("acme_corp").await.expect("acme_corp");
    let currency = acme.customer.currency.as_deref().unwrap_or("USD");
    for invoice in &invoices.invoices {
        assert_eq!(
            invoice.currency.as_deref(),
            Some(currency),
            "in the customer's currency"
        );
    }

    let payments = lago
        .find_all_customer_payments("acme_corp")
        .per_page(100)
        .await
        .expect("payments");
    assert_eq!(
        json_of(&payments),
        api_json("/customers/acme_corp/payments?per_page=100").await
    );
    assert!(!payments.payments.is_empty(), "acme_corp has a provider");
    for payment in &payments.payments {
        for id in payment.invoice_ids.value().expect("invoice_ids") {
            assert!(invoice_ids.contains(&id.as_str()), "payment of {id}");
        }
    }

    let notes = lago
        .find_all_customer_credit_notes("initech")
        .await
        .expect("credit notes");
    assert_eq!(
        json_of(&notes),
        api_json("/customers/initech/credit_notes").await
    );
    let note = notes
        .credit_notes
        .first()
        .expect("initech has a credit note");
    let initech = lago
        .find_all_customer_invoices("initech")
        .per_page(100)
        .await
        .expect("invoices");
    let note_invoice = note.lago_invoice_id.as_deref().expect("lago_invoice_id");
    assert!(initech.invoices.iter().any(|i| i.lago_id == note_invoice));
}

#[wasm_bindgen_test]
async fn payment_requests_list_overdue_invoices() {
    let lago = client();
    // Find a customer with a payment request, as the fake derives them.
    let mut customers = lago.list_all_customers().per_page(50);
    let mut seen = 0;
    while let Some(customer) = customers.next().await {
        let id = customer.expect("customer").external_id;
        let requests = lago
            .find_all_customer_payment_requests(&id)
            .await
            .expect("payment requests");
        let raw = api_json(&format!("/customers/{id}/payment_requests")).await;
        assert_eq!(json_of(&requests), raw);
        if let Some(request) = requests.payment_requests.first() {
            let invoices = request.invoices.value().expect("invoices");
            assert!(!invoices.is_empty());
            let listed = lago
                .find_all_customer_invoices(&id)
                .per_page(100)
                .await
                .expect("invoices");
            for invoice in invoices {
                assert!(listed.invoices.iter().any(|i| i.lago_id == invoice.lago_id));
            }
            seen += 1;
            break;
        }
    }
    assert_eq!(seen, 1, "some seeded customer has a payment request");
}

#[wasm_bindgen_test]
async fn subscriptions_and_usage() {
    let lago = client();
    let subs = lago
        .find_all_customer_subscriptions("acme_corp")
        .await
        .expect("subscriptions");
    assert_eq!(
        json_of(&subs),
        api_json("/customers/acme_corp/subscriptions").await
    );
    let active = subs
        .subscriptions
        .iter()
        .find(|s| s.external_id.as_deref() == Some("sub_acme_corp_1"))
        .expect("the active subscription");
    assert_eq!(active.status.value().map(|s| s.as_str()), Some("active"));
    let terminated = lago
        .find_all_customer_subscriptions("acme_corp")
        .status(["terminated"])
        .await
        .expect("terminated");
    assert!(terminated
        .subscriptions
        .iter()
        .any(|s| s.external_id.as_deref() == Some("sub_acme_corp_2")));

    let current = lago
        .find_customer_current_usage("acme_corp", "sub_acme_corp_1")
        .await
        .expect("current usage");
    let charges = current
        .customer_usage
        .charges_usage
        .value()
        .expect("charges");
    assert!(!charges.is_empty());
    let projected = lago
        .find_customer_projected_usage("acme_corp", "sub_acme_corp_1")
        .await
        .expect("projected usage");
    let projected = &projected.customer_projected_usage;
    assert_eq!(
        projected.from_datetime,
        current.customer_usage.from_datetime
    );
    let amount = |v: Option<&models::NumOrStr>| v.and_then(|n| n.as_f64()).expect("amount");
    assert!(
        amount(projected.amount_cents.value())
            >= amount(current.customer_usage.amount_cents.value()),
        "projected usage is never below current usage"
    );

    let past = lago
        .find_all_customer_past_usage("acme_corp", "sub_acme_corp_1")
        .await
        .expect("past usage");
    assert_eq!(
        json_of(&past),
        api_json("/customers/acme_corp/past_usage?external_subscription_id=sub_acme_corp_1").await
    );
    let invoices = lago
        .find_all_customer_invoices("acme_corp")
        .per_page(100)
        .await
        .expect("invoices");
    let billed: Vec<_> = past
        .usage_periods
        .iter()
        .filter_map(|p| p.lago_invoice_id.value())
        .collect();
    assert!(!billed.is_empty());
    for id in billed {
        assert!(invoices.invoices.iter().any(|i| i.lago_id == *id));
    }
}

#[wasm_bindgen_test]
async fn portal_and_checkout_urls() {
    let lago = client();
    let portal = lago
        .get_customer_portal_url("acme_corp")
        .await
        .expect("portal");
    let url = portal.customer.portal_url.as_deref().expect("portal_url");
    assert!(url.starts_with(server()), "{url}");
    let checkout = lago
        .generate_customer_checkout_url("acme_corp")
        .await
        .expect("checkout");
    assert_eq!(
        checkout.customer.external_customer_id.as_deref(),
        Some("acme_corp")
    );
    assert_eq!(
        checkout.customer.payment_provider.as_deref(),
        Some("stripe")
    );
    assert!(checkout
        .customer
        .checkout_url
        .as_deref()
        .is_some_and(|u| u.starts_with("http")));
    let stripe = lago
        .generate_customer_checkout_url("dublin_devworks")
        .await
        .expect_err("Stripe refuses");
    assert_eq!(stripe.status, Some(401));
    assert!(stripe
        .error
        .as_deref()
        .is_some_and(|e| e.contains("Stripe")));
}

// ---------------------------------------------------------------------------------------------
// Wallets: the fifteen operations, on a customer of this test's own
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn wallet_lifecycle() {
    let lago = client();
    let id = uid("rf_wallets");
    create(&lago, &id, "EUR").await;

    let input = model(json!({"wallet": {
        "code": "main", "name": "Main", "rate_amount": "1.5", "currency": "EUR",
        "paid_credits": "10", "external_customer_id": id,
    }}));
    let created = lago
        .create_customer_wallet(&id, &input)
        .await
        .expect("create wallet");
    let wallet = &created.wallet;
    assert_eq!(wallet.code.as_deref(), Some("main"));
    assert_eq!(wallet.external_customer_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        wallet.balance_cents.value().and_then(|n| n.as_i64()),
        Some(1500)
    );

    let found = lago
        .find_customer_wallet(&id, "main")
        .await
        .expect("find wallet");
    assert_eq!(found, created);
    let listed = lago
        .find_all_customer_wallets(&id)
        .await
        .expect("list wallets");
    assert_eq!(listed.wallets, vec![created.wallet.clone()]);

    let update = model(json!({"wallet": {"name": "Renamed"}}));
    let updated = lago
        .update_customer_wallet(&id, "main", &update)
        .await
        .expect("update wallet");
    assert_eq!(updated.wallet.name.as_deref(), Some("Renamed"));
    assert_eq!(updated.wallet.lago_id, created.wallet.lago_id);

    let destroyed = lago
        .destroy_customer_wallet(&id, "main")
        .await
        .expect("terminate");
    assert_eq!(
        destroyed.wallet.status.value().map(|s| s.as_str()),
        Some("terminated")
    );
    let gone = lago
        .find_customer_wallet(&id, "main")
        .await
        .expect_err("gone");
    assert_eq!(gone.code.as_deref(), Some("wallet_not_found"));
    lago.destroy_customer(&id).await.expect("cleanup");
}

#[wasm_bindgen_test]
async fn wallet_metadata_replace_merge_and_delete() {
    let lago = client();
    let id = uid("rf_metadata");
    create(&lago, &id, "USD").await;
    let input = model(json!({"wallet": {
        "code": "meta", "rate_amount": "1", "currency": "USD", "external_customer_id": id,
    }}));
    lago.create_customer_wallet(&id, &input)
        .await
        .expect("create wallet");
    let metadata = |v: Value| -> WalletMetadataResponse { model(json!({ "metadata": v })) };

    let replaced = lago
        .replace_customer_wallet_metadata(&id, "meta", metadata(json!({"a": "1", "b": "2"})))
        .await
        .expect("replace");
    assert_eq!(
        json_of(&replaced),
        json!({"metadata": {"a": "1", "b": "2"}})
    );
    let merged = lago
        .merge_customer_wallet_metadata(&id, "meta", metadata(json!({"b": "3", "c": "4"})))
        .await
        .expect("merge");
    assert_eq!(
        json_of(&merged),
        json!({"metadata": {"a": "1", "b": "3", "c": "4"}})
    );
    let without_a = lago
        .delete_customer_wallet_metadata_key(&id, "meta", "a")
        .await
        .expect("delete key");
    assert_eq!(
        json_of(&without_a),
        json!({"metadata": {"b": "3", "c": "4"}})
    );
    let found = lago.find_customer_wallet(&id, "meta").await.expect("find");
    assert_eq!(
        found
            .wallet
            .metadata
            .value()
            .map(|m| Value::Object(m.clone())),
        Some(json!({"b": "3", "c": "4"}))
    );
    let cleared = lago
        .delete_all_customer_wallet_metadata(&id, "meta")
        .await
        .expect("delete all");
    assert_eq!(cleared.metadata, None);
    assert_eq!(json_of(&cleared), json!({"metadata": null}), "null is kept");
    lago.destroy_customer(&id).await.expect("cleanup");
}

#[wasm_bindgen_test]
async fn wallet_alerts_lifecycle() {
    let lago = client();
    let id = uid("rf_alerts");
    create(&lago, &id, "EUR").await;
    let input = model(json!({"wallet": {
        "code": "w", "rate_amount": "1", "currency": "EUR", "paid_credits": "100",
        "external_customer_id": id,
    }}));
    lago.create_customer_wallet(&id, &input)
        .await
        .expect("create wallet");

    let one = model(json!({"alert": {
        "code": "low", "name": "Low", "alert_type": "wallet_credits_balance",
        "thresholds": [{"value": "10"}],
    }}));
    let created = lago
        .create_customer_wallet_alert(&id, "w", &one)
        .await
        .expect("create alert");
    let CreateCustomerWalletAlert200Response::WalletAlertResponse(created) = created else {
        panic!("one alert in, one alert out: {created:?}");
    };
    assert_eq!(created.alert.code.as_deref(), Some("low"));
    assert_eq!(created.alert.wallet_code.as_deref(), Some("w"));

    let found = lago
        .get_customer_wallet_alert(&id, "w", "low")
        .await
        .expect("get alert");
    assert_eq!(found.alert.lago_id, created.alert.lago_id);
    let update = model(json!({"alert": {"name": "Very low"}}));
    let updated = lago
        .update_customer_wallet_alert(&id, "w", "low", &update)
        .await
        .expect("update alert");
    assert_eq!(updated.alert.name.as_deref(), Some("Very low"));
    let deleted = lago
        .delete_customer_wallet_alert(&id, "w", "low")
        .await
        .expect("delete alert");
    assert_eq!(deleted.alert.lago_id, created.alert.lago_id);
    let gone = lago
        .get_customer_wallet_alert(&id, "w", "low")
        .await
        .expect_err("gone");
    assert_eq!(gone.code.as_deref(), Some("alert_not_found"));

    let batch = model(json!({"alerts": [
        {"code": "a1", "alert_type": "wallet_balance_amount", "thresholds": [{"value": "5"}]},
        {"code": "a2", "alert_type": "wallet_credits_balance", "thresholds": [{"value": "1"}]},
    ]}));
    let created = lago
        .create_customer_wallet_alert(&id, "w", &batch)
        .await
        .expect("create alerts");
    let CreateCustomerWalletAlert200Response::WalletAlerts(created) = created else {
        panic!("a batch in, a batch out: {created:?}");
    };
    assert_eq!(created.alerts.len(), 2);
    let listed = lago
        .get_customer_wallet_alerts(&id, "w")
        .await
        .expect("list alerts");
    let codes: Vec<_> = listed
        .alerts
        .iter()
        .filter_map(|a| a.code.as_deref())
        .collect();
    assert_eq!(codes, ["a1", "a2"]);
    lago.delete_all_customer_wallet_alerts(&id, "w")
        .await
        .expect("delete all alerts");
    let listed = lago
        .get_customer_wallet_alerts(&id, "w")
        .await
        .expect("list alerts");
    assert!(listed.alerts.is_empty());
    lago.destroy_customer(&id).await.expect("cleanup");
}
