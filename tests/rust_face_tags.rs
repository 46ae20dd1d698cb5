//! The Rust face against the fake Lago server over real HTTP, in headless Chromium and Firefox:
//! real calls of every tag of Lago's spec (every class of the JS face, 26), a create and a find
//! or list per tag where the fake keeps state, typed answers checked on their fields; then
//! Lago's billing flow end to end (metric -> plan with a charge -> customer -> subscription ->
//! events one by one, in a batch and through `EventQueue` -> current usage -> a wallet top-up's
//! invoice -> a credit note -> the end of the subscription), mirroring tests/node/flow.test.mjs
//! on the JS face. The request bodies are tests/node/every-operation-args.mjs's, which the fake
//! is known to accept.
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in. Both
//! browsers share one server, so every code and id made here carries a fresh `uid`.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use std::cell::RefCell;
use std::rc::Rc;

use futures_core::Stream;
use lago_wasm::models::{self, Field, NumOrStr};
use lago_wasm::{Client, Error, ErrorKind, EventQueue, EventQueueOptions, FlushReport};
use rust_face_support::*;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A string field's value ("" when absent or null, which then fails the comparison it is in).
fn s(field: &Field<String>) -> &str {
    field.as_deref().unwrap_or("")
}

/// A numeric field's value, whichever form (number or decimal string) Lago sent.
fn n(field: &Field<NumOrStr>) -> f64 {
    field
        .value()
        .and_then(NumOrStr::as_f64)
        .unwrap_or_else(|| panic!("not a number: {field:?}"))
}

/// Every item of a pager, through its `futures_core::Stream` impl (what `StreamExt` and
/// Leptos resources drive), not its inherent `next`.
async fn stream_all<T>(stream: impl Stream<Item = Result<T, Error>>) -> Vec<T> {
    let mut stream = Box::pin(stream);
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item.unwrap_or_else(|e| panic!("pager: {e}")));
    }
    items
}

/// A fresh v4-shaped UUID (the spec types a billing entity's `code` path parameter as one).
fn uuid() -> String {
    let hex: String = (0..32)
        .map(|_| format!("{:x}", (js_sys::Math::random() * 16.0) as u8))
        .collect();
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A customer `id` in USD with an email (payment requests need one).
async fn customer(lago: &Client, id: &str) -> models::CustomerResponse {
    let body = model::<models::CustomerCreateInput>(json!({"customer": {
        "external_id": id, "name": "Tags Ltd", "email": "billing@tags.test", "currency": "USD",
        "country": "FR",
    }}));
    lago.create_customer(&body)
        .await
        .unwrap_or_else(|e| panic!("create customer {id}: {e}"))
}

/// A `sum_agg` metric of `calls`; returns its `lago_id`.
async fn metric(lago: &Client, code: &str) -> String {
    let body = model::<models::BillableMetricCreateInput>(json!({"billable_metric": {
        "name": "Tags calls", "code": code, "aggregation_type": "sum_agg", "field_name": "calls",
    }}));
    let created = lago.create_billable_metric(&body).await.expect("metric");
    created
        .billable_metric
        .lago_id
        .into_value()
        .expect("lago_id")
}

/// A monthly 10 USD plan `code` with a standard charge of `amount` USD a unit on `metric_id`.
async fn plan(lago: &Client, code: &str, metric_id: &str, amount: &str) -> models::PlanResponse {
    let body = model::<models::PlanCreateInput>(json!({"plan": {
        "name": "Tags plan", "code": code, "interval": "monthly", "amount_cents": 1000,
        "amount_currency": "USD", "pay_in_advance": false,
        "charges": [{"billable_metric_id": metric_id, "charge_model": "standard",
                     "properties": {"amount": amount}}],
    }}));
    lago.create_plan(&body).await.expect("plan")
}

/// Customer `cust` subscribed as `sub` to a fresh plan charging 0.5 USD a call of metric `code`.
async fn subscribed(lago: &Client, cust: &str, sub: &str, code: &str) {
    let metric_id = metric(lago, code).await;
    plan(lago, &format!("{code}_plan"), &metric_id, "0.5").await;
    customer(lago, cust).await;
    let body = model::<models::SubscriptionCreateInput>(json!({"subscription": {
        "external_customer_id": cust, "plan_code": format!("{code}_plan"), "external_id": sub,
    }}));
    lago.create_subscription(&body).await.expect("subscription");
}

/// A one-off invoice of two units of a fresh 15 USD add-on for a fresh customer: (customer,
/// invoice lago_id).
async fn invoiced(lago: &Client, prefix: &str) -> (String, String) {
    let cust = uid(&format!("{prefix}_cust"));
    customer(lago, &cust).await;
    let add_on = uid(&format!("{prefix}_addon"));
    let body = model::<models::AddOnCreateInput>(json!({"add_on": {
        "name": "Setup", "code": add_on, "amount_cents": 1500, "amount_currency": "USD",
    }}));
    lago.create_add_on(&body).await.expect("add-on");
    let body = model::<models::InvoiceOneOffCreateInput>(json!({"invoice": {
        "external_customer_id": cust, "currency": "USD",
        "fees": [{"add_on_code": add_on, "units": "2", "unit_amount_cents": 1500}],
    }}));
    let invoice = lago.create_invoice(&body).await.expect("invoice").invoice;
    assert_eq!(s(&invoice.currency), "USD");
    (cust, invoice.lago_id.into_value().expect("lago_id"))
}

// ---------------------------------------------------------------------------------------------
// One test per tag (JS class)
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn customers_create_find_list_portal_and_not_found() {
    let lago = client();
    let id = uid("tags_cust");
    let created = customer(&lago, &id).await;
    assert_eq!(s(&created.customer.external_id), id);
    let found = lago.find_customer(&id).await.expect("find");
    assert_eq!(found.customer.lago_id, created.customer.lago_id);
    assert_eq!(s(&found.customer.email), "billing@tags.test");

    // The pager, filtered on the exact external id (the seed has 36 others).
    let listed = stream_all(lago.list_all_customers().query("external_id", &id)).await;
    let ids: Vec<&str> = listed.iter().map(|c| s(&c.external_id)).collect();
    assert_eq!(ids, [id.as_str()]);

    let portal = lago.get_customer_portal_url(&id).await.expect("portal url");
    assert!(
        s(&portal.customer.portal_url).starts_with("http"),
        "{portal:?}"
    );

    // Lago's 404 for an unknown customer, as a typed error.
    let missing = lago
        .find_customer(uid("tags_nobody"))
        .await
        .expect_err("unknown customer");
    assert!(missing.is_not_found(), "{missing:?}");
    assert_eq!(missing.code.as_deref(), Some("customer_not_found"));
}

#[wasm_bindgen_test]
async fn customer_wallets_create_find_list() {
    let lago = client();
    let cust = uid("tags_cw");
    customer(&lago, &cust).await;
    let code = uid("tags_cwallet");
    let body = model::<models::CustomerWalletCreateInput>(json!({"wallet": {
        "external_customer_id": cust, "name": "Tags", "code": code, "rate_amount": "1.5",
        "currency": "USD", "paid_credits": "10", "granted_credits": "5",
    }}));
    let created = lago
        .create_customer_wallet(&cust, &body)
        .await
        .expect("create");
    assert_eq!(s(&created.wallet.code), code);
    let found = lago.find_customer_wallet(&cust, &code).await.expect("find");
    assert_eq!(found.wallet.lago_id, created.wallet.lago_id);
    let listed = lago
        .find_all_customer_wallets(&cust)
        .per_page(10)
        .await
        .expect("list");
    assert_eq!(listed.wallets.len(), 1);
    assert_eq!(s(&listed.wallets[0].code), code);
    let gone = lago
        .find_customer_wallet(&cust, "nope")
        .await
        .expect_err("unknown wallet");
    assert!(gone.is_not_found(), "{gone:?}");
}

#[wasm_bindgen_test]
async fn add_ons_create_find_update_list() {
    let lago = client();
    let code = uid("tags_addon");
    let body = model::<models::AddOnCreateInput>(json!({"add_on": {
        "name": "Setup", "code": code, "amount_cents": 1500, "amount_currency": "USD",
    }}));
    let created = lago.create_add_on(&body).await.expect("create");
    assert_eq!(s(&created.add_on.code), code);
    assert_eq!(n(&created.add_on.amount_cents), 1500.0);
    let found = lago.find_add_on(&code).await.expect("find");
    assert_eq!(found.add_on.lago_id, created.add_on.lago_id);
    let body = model::<models::AddOnUpdateInput>(json!({"add_on": {"name": "Setup (renamed)"}}));
    let updated = lago.update_add_on(&code, &body).await.expect("update");
    assert_eq!(s(&updated.add_on.name), "Setup (renamed)");
    let all = stream_all(lago.list_all_add_ons().per_page(20)).await;
    assert!(all.iter().any(|a| s(&a.code) == code), "the pager finds it");
}

#[wasm_bindgen_test]
async fn activity_logs_list_and_find() {
    let lago = client();
    let page = lago
        .find_all_activity_logs()
        .page(1)
        .per_page(10)
        .await
        .expect("list");
    let first = page.activity_logs.first().expect("an activity log");
    let id = s(&first.activity_id).to_string();
    assert!(!id.is_empty());
    let found = lago.find_activity_log(&id).await.expect("find");
    assert_eq!(s(&found.activity_log.activity_id), id);
}

#[wasm_bindgen_test]
async fn analytics_every_report_decodes() {
    let lago = client();
    let revenues = lago
        .find_all_gross_revenues()
        .query("external_customer_id", "acme_corp")
        .await
        .expect("gross revenues");
    assert_eq!(
        json_of(&revenues),
        api_json("/analytics/gross_revenue?external_customer_id=acme_corp").await,
        "the typed answer re-serializes to the fake's"
    );
    let mrrs = lago.find_all_mrrs().await.expect("mrrs");
    assert_eq!(json_of(&mrrs), api_json("/analytics/mrr").await);
    let collections = lago
        .find_all_invoice_collections()
        .await
        .expect("collections");
    assert_eq!(
        json_of(&collections),
        api_json("/analytics/invoice_collection").await
    );
    let invoiced = lago
        .find_all_invoiced_usages()
        .await
        .expect("invoiced usage");
    assert_eq!(
        json_of(&invoiced),
        api_json("/analytics/invoiced_usage").await
    );
    let overdue = lago.find_all_overdue_balances().await.expect("overdue");
    assert_eq!(
        json_of(&overdue),
        api_json("/analytics/overdue_balance").await
    );
    let usages = lago.find_all_usages().await.expect("usages");
    assert_eq!(json_of(&usages), api_json("/analytics/usage").await);
}

#[wasm_bindgen_test]
async fn api_logs_list_and_find() {
    let lago = client();
    let page = lago.find_all_api_logs().per_page(10).await.expect("list");
    let first = page.api_logs.first().expect("an API log");
    let id = s(&first.request_id).to_string();
    let found = lago.find_api_log(&id).await.expect("find");
    assert_eq!(s(&found.api_log.request_id), id);
    let all = stream_all(lago.list_all_api_logs()).await;
    assert!(all.iter().any(|l| s(&l.request_id) == id));
}

#[wasm_bindgen_test]
async fn billable_metrics_create_find_evaluate_list() {
    let lago = client();
    let code = uid("tags_metric");
    let lago_id = metric(&lago, &code).await;
    let found = lago.find_billable_metric(&code).await.expect("find");
    assert_eq!(s(&found.billable_metric.lago_id), lago_id);
    assert_eq!(s(&found.billable_metric.field_name), "calls");
    assert_eq!(
        found
            .billable_metric
            .aggregation_type
            .value()
            .map(|a| a.as_str()),
        Some("sum_agg")
    );
    let body = model::<models::BillableMetricEvaluateExpressionInput>(json!({
        "expression": "round(event.properties.value)",
        "event": {"code": code, "properties": {"value": "2.4"}},
    }));
    let evaluated = lago
        .evaluate_billable_metric_expression(&body)
        .await
        .expect("evaluate");
    assert_eq!(
        json_of(&evaluated).as_object().map(|o| o.is_empty()),
        Some(false)
    );
    // Lago's 422 for a second metric with the same code.
    let body = model::<models::BillableMetricCreateInput>(json!({"billable_metric": {
        "name": "again", "code": code, "aggregation_type": "count_agg",
    }}));
    let dup = lago.create_billable_metric(&body).await.expect_err("dup");
    assert_eq!((dup.kind, dup.status), (ErrorKind::Http, Some(422)));
    let all = stream_all(lago.list_all_billable_metrics().per_page(50)).await;
    assert!(all.iter().any(|m| s(&m.code) == code));
}

#[wasm_bindgen_test]
async fn billing_entities_create_get_list() {
    let lago = client();
    let code = uuid();
    let body = model::<models::BillingEntityCreateInput>(
        json!({"billing_entity": {"code": code, "name": "Tags entity"}}),
    );
    let created = lago.create_billing_entity(&body).await.expect("create");
    assert_eq!(s(&created.billing_entity.code), code);
    let found = lago.get_billing_entity(&code).await.expect("get");
    assert_eq!(s(&found.billing_entity.name), "Tags entity");
    let listed = lago.list_billing_entities().await.expect("list");
    assert!(listed.billing_entities.iter().any(|e| s(&e.code) == code));
}

#[wasm_bindgen_test]
async fn coupons_create_find_apply_list() {
    let lago = client();
    let code = uid("tags_coupon");
    let body = model::<models::CouponCreateInput>(json!({"coupon": {
        "name": "Tags coupon", "code": code, "coupon_type": "fixed_amount", "amount_cents": 500,
        "amount_currency": "USD", "frequency": "once", "expiration": "no_expiration",
        "reusable": true,
    }}));
    let created = lago.create_coupon(&body).await.expect("create");
    assert_eq!(s(&created.coupon.code), code);
    let found = lago.find_coupon(&code).await.expect("find");
    assert_eq!(found.coupon.lago_id, created.coupon.lago_id);

    let cust = uid("tags_coupon_cust");
    customer(&lago, &cust).await;
    let body = model::<models::AppliedCouponInput>(json!({"applied_coupon": {
        "external_customer_id": cust, "coupon_code": code,
    }}));
    let applied = lago.apply_coupon(&body).await.expect("apply");
    assert_eq!(s(&applied.applied_coupon.coupon_code), code);
    let listed = lago
        .find_all_applied_coupons()
        .query("external_customer_id", &cust)
        .await
        .expect("list");
    let ids: Vec<&str> = listed
        .applied_coupons
        .iter()
        .map(|c| s(&c.lago_id))
        .collect();
    assert_eq!(ids, [s(&applied.applied_coupon.lago_id)]);
}

#[wasm_bindgen_test]
async fn credit_notes_create_find_list() {
    let lago = client();
    let (cust, invoice_id) = invoiced(&lago, "tags_cn").await;
    let fees = lago.find_all_fees().per_page(10).await.expect("fees");
    let fee_id = s(&fees.fees[0].lago_id).to_string();
    let body = model::<models::CreditNoteCreateInput>(json!({"credit_note": {
        "invoice_id": invoice_id, "reason": "other", "credit_amount_cents": 100,
        "refund_amount_cents": 0, "items": [{"fee_id": fee_id, "amount_cents": 100}],
    }}));
    let created = lago.create_credit_note(&body).await.expect("create");
    assert_eq!(s(&created.credit_note.lago_invoice_id), invoice_id);
    let note_id = s(&created.credit_note.lago_id).to_string();
    let found = lago.find_credit_note(&note_id).await.expect("find");
    assert_eq!(s(&found.credit_note.lago_invoice_id), invoice_id);
    let all = stream_all(
        lago.list_all_credit_notes()
            .query("external_customer_id", &cust),
    )
    .await;
    let ids: Vec<&str> = all.iter().map(|c| s(&c.lago_id)).collect();
    assert_eq!(ids, [note_id.as_str()]);
}

#[wasm_bindgen_test]
async fn features_and_entitlements_create_find_list() {
    let lago = client();
    let feature = uid("tags_feature");
    let body = model::<models::FeatureCreateInput>(
        json!({"feature": {"code": feature, "name": "Tags feature"}}),
    );
    let created = lago.create_feature(&body).await.expect("feature");
    assert_eq!(s(&created.feature.code), feature);
    let found = lago.find_feature(&feature).await.expect("find feature");
    assert_eq!(s(&found.feature.name), "Tags feature");
    let features = lago
        .find_all_features()
        .per_page(100)
        .await
        .expect("features");
    assert!(features.features.iter().any(|f| s(&f.code) == feature));

    // Entitlements: the feature on a plan.
    let code = uid("tags_ent");
    let metric_id = metric(&lago, &code).await;
    let plan_code = format!("{code}_plan");
    plan(&lago, &plan_code, &metric_id, "1").await;
    let body = model::<models::EntitlementUpdateInput>(json!({"entitlements": {&feature: {}}}));
    let entitled = lago
        .create_entitlement(&plan_code, &body)
        .await
        .expect("entitle");
    assert!(entitled.entitlements.iter().any(|e| s(&e.code) == feature));
    let one = lago
        .find_entitlement(&plan_code, &feature)
        .await
        .expect("find entitlement");
    assert_eq!(s(&one.entitlement.code), feature);
    let all = lago
        .find_all_entitlements(&plan_code)
        .await
        .expect("entitlements");
    assert_eq!(all.entitlements.len(), 1);
}

#[wasm_bindgen_test]
async fn events_create_find_list() {
    let lago = client();
    let (cust, sub, code) = (uid("tags_ev_cust"), uid("tags_ev_sub"), uid("tags_ev"));
    subscribed(&lago, &cust, &sub, &code).await;
    let tx = uid("tags_tx");
    let body = model::<models::EventInput>(json!({"event": {
        "transaction_id": tx, "external_subscription_id": sub, "code": code,
        "properties": {"calls": "7"},
    }}));
    let created = lago.create_event(&body).await.expect("create");
    assert_eq!(s(&created.event.transaction_id), tx);
    let found = lago.find_event(&tx).await.expect("find");
    assert_eq!(s(&found.event.external_subscription_id), sub);
    let listed = lago
        .find_all_events()
        .query("external_subscription_id", &sub)
        .await
        .expect("list");
    let ids: Vec<&str> = listed.events.iter().map(|e| s(&e.transaction_id)).collect();
    assert_eq!(ids, [tx.as_str()]);
}

#[wasm_bindgen_test]
async fn fees_list_find_update() {
    let lago = client();
    let page = lago.find_all_fees().per_page(10).await.expect("list");
    let first = page.fees.first().expect("a fee");
    let id = s(&first.lago_id).to_string();
    let found = lago.find_fee(&id).await.expect("find");
    assert_eq!(s(&found.fee.lago_id), id);
    let body = model::<models::FeeUpdateInput>(json!({"fee": {"payment_status": "succeeded"}}));
    let updated = lago.update_fee(&id, &body).await.expect("update");
    assert_eq!(
        updated.fee.payment_status.value().map(|p| p.as_str()),
        Some("succeeded")
    );
}

#[wasm_bindgen_test]
async fn invoices_create_find_finalize_list() {
    let lago = client();
    let (cust, invoice_id) = invoiced(&lago, "tags_inv").await;
    let found = lago.find_invoice(&invoice_id).await.expect("find");
    assert_eq!(s(&found.invoice.lago_id), invoice_id);
    assert_eq!(s(&found.invoice.currency), "USD");
    let finalized = lago.finalize_invoice(&invoice_id).await.expect("finalize");
    assert_eq!(s(&finalized.invoice.lago_id), invoice_id);
    let listed = stream_all(
        lago.list_all_invoices()
            .query("external_customer_id", &cust),
    )
    .await;
    let ids: Vec<&str> = listed.iter().map(|i| s(&i.lago_id)).collect();
    assert_eq!(ids, [invoice_id.as_str()]);
    let mine = lago
        .find_all_customer_invoices(&cust)
        .per_page(10)
        .await
        .expect("customer's invoices");
    assert!(mine.invoices.iter().any(|i| s(&i.lago_id) == invoice_id));
    let gone = lago
        .find_invoice(uuid())
        .await
        .expect_err("unknown invoice");
    assert!(gone.is_not_found(), "{gone:?}");
}

#[wasm_bindgen_test]
async fn organizations_update() {
    let lago = client();
    // every-operation-args.mjs's values: the organization is shared by every suite.
    let body = model::<models::OrganizationUpdateInput>(json!({"organization": {
        "email": "billing@example.com", "net_payment_term": 0,
    }}));
    let updated = lago.update_organization(&body).await.expect("update");
    // The fake's organization keeps the spec's settable scalars; `email` is not echoed back.
    assert_eq!(n(&updated.organization.net_payment_term), 0.0);
    assert!(!s(&updated.organization.lago_id).is_empty(), "{updated:?}");
}

#[wasm_bindgen_test]
async fn payment_methods_list_and_set_default() {
    let lago = client();
    let cust = uid("tags_pm");
    customer(&lago, &cust).await;
    let page = lago
        .find_all_customers_payment_methods(&cust)
        .await
        .expect("list");
    let first = page.payment_methods.first().expect("a payment method");
    let id = s(&first.lago_id).to_string();
    let made_default = lago
        .payment_method_set_as_default(&cust, &id)
        .await
        .expect("set as default");
    assert_eq!(s(&made_default.payment_method.lago_id), id);
    let all = stream_all(lago.list_all_customers_payment_methods(&cust)).await;
    assert!(all.iter().any(|m| s(&m.lago_id) == id));
}

#[wasm_bindgen_test]
async fn payment_receipts_list_and_find() {
    let lago = client();
    let page = lago
        .find_all_payment_receipts()
        .per_page(10)
        .await
        .expect("list");
    let first = page.payment_receipts.first().expect("a receipt");
    let id = s(&first.lago_id).to_string();
    let found = lago.find_payment_receipt(&id).await.expect("find");
    assert_eq!(s(&found.payment_receipt.lago_id), id);
}

#[wasm_bindgen_test]
async fn payment_requests_create_find_list() {
    let lago = client();
    let (cust, invoice_id) = invoiced(&lago, "tags_pr").await;
    let body = model::<models::PaymentRequestCreateInput>(json!({"payment_request": {
        "email": "billing@tags.test", "external_customer_id": cust,
        "lago_invoice_ids": [invoice_id],
    }}));
    let created = lago.create_payment_request(&body).await.expect("create");
    let id = s(&created.payment_request.lago_id).to_string();
    let owner = created.payment_request.customer.value().expect("customer");
    assert_eq!(s(&owner.external_id), cust);
    let found = lago.find_payment_request(&id).await.expect("find");
    assert_eq!(s(&found.payment_request.lago_id), id);
    let listed = lago
        .find_all_payment_requests()
        .query("external_customer_id", &cust)
        .await
        .expect("list");
    assert!(listed.payment_requests.iter().any(|p| s(&p.lago_id) == id));
}

#[wasm_bindgen_test]
async fn payments_create_find_list() {
    let lago = client();
    let (cust, invoice_id) = invoiced(&lago, "tags_pay").await;
    let reference = uid("tags_ref");
    let body = model::<models::PaymentCreateInput>(json!({"payment": {
        "invoice_id": invoice_id, "amount_cents": 100, "reference": reference,
    }}));
    let created = lago.create_payment(&body).await.expect("create");
    assert_eq!(s(&created.payment.reference), reference);
    let id = s(&created.payment.lago_id).to_string();
    let found = lago.find_payment(&id).await.expect("find");
    assert_eq!(s(&found.payment.lago_id), id);
    let all = stream_all(
        lago.list_all_payments()
            .query("external_customer_id", &cust),
    )
    .await;
    assert!(all.iter().any(|p| s(&p.lago_id) == id));
}

#[wasm_bindgen_test]
async fn plans_create_find_charges_list() {
    let lago = client();
    let code = uid("tags_plan");
    let metric_id = metric(&lago, &code).await;
    let plan_code = format!("{code}_plan");
    let created = plan(&lago, &plan_code, &metric_id, "0.5").await;
    assert_eq!(s(&created.plan.code), plan_code);
    let charges = created.plan.charges.value().expect("charges");
    assert_eq!(s(&charges[0].billable_metric_code), code);
    let found = lago.find_plan(&plan_code).await.expect("find");
    assert_eq!(found.plan.lago_id, created.plan.lago_id);
    let listed = stream_all(lago.list_all_plan_charges(&plan_code)).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(s(&listed[0].billable_metric_code), code);
    let all = stream_all(lago.list_all_plans().per_page(100)).await;
    assert!(all.iter().any(|p| s(&p.code) == plan_code));
    let gone = lago
        .find_plan(uid("tags_noplan"))
        .await
        .expect_err("unknown");
    assert!(gone.is_not_found(), "{gone:?}");
    assert_eq!(gone.code.as_deref(), Some("plan_not_found"));
}

#[wasm_bindgen_test]
async fn subscriptions_create_find_update_with_query_destroy() {
    let lago = client();
    let (cust, sub, code) = (uid("tags_sub_cust"), uid("tags_sub"), uid("tags_sub_m"));
    subscribed(&lago, &cust, &sub, &code).await;
    let found = lago.find_subscription(&sub).await.expect("find");
    assert_eq!(s(&found.subscription.plan_code), format!("{code}_plan"));
    assert_eq!(
        found.subscription.status.value().map(|st| st.as_str()),
        Some("active")
    );

    // A body and a query parameter in one call: both reach the server.
    let tag = uid("tags_update_sub");
    // `ending_at` is required (nullable) in the spec's SubscriptionUpdateInput.
    let body = model::<models::SubscriptionUpdateInput>(json!({"subscription": {
        "name": "Tags subscription", "ending_at": null,
    }}));
    let updated = lago
        .update_subscription(&sub, &body)
        .status("active")
        .header("x-test-id", &tag)
        .await
        .expect("update");
    assert_eq!(s(&updated.subscription.name), "Tags subscription");
    let sent = logged(server(), &tag).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["method"], "PUT");
    let path = sent[0]["path"].as_str().unwrap_or("");
    let query = sent[0]["query"].as_str().unwrap_or("");
    assert!(
        path.ends_with(&format!("/subscriptions/{sub}")),
        "{:?}",
        sent[0]
    );
    assert!(
        query.contains("status=active") || path.contains("status=active"),
        "{:?}",
        sent[0]
    );
    let sent_body: serde_json::Value =
        serde_json::from_str(sent[0]["body"].as_str().unwrap_or("")).expect("a JSON body");
    assert_eq!(sent_body["subscription"]["name"], "Tags subscription");

    let mine = stream_all(lago.list_all_customer_subscriptions(&cust)).await;
    let ids: Vec<&str> = mine.iter().map(|x| s(&x.external_id)).collect();
    assert_eq!(ids, [sub.as_str()]);
    let ended = lago.destroy_subscription(&sub).await.expect("destroy");
    assert_eq!(s(&ended.subscription.external_id), sub);
}

#[wasm_bindgen_test]
async fn taxes_create_find_update_list() {
    let lago = client();
    let code = uid("tags_tax");
    let body = model::<models::TaxCreateInput>(
        json!({"tax": {"name": "Tags tax", "code": code, "rate": "10.0"}}),
    );
    let created = lago.create_tax(&body).await.expect("create");
    assert_eq!(s(&created.tax.code), code);
    assert_eq!(n(&created.tax.rate), 10.0);
    let found = lago.find_tax(&code).await.expect("find");
    assert_eq!(found.tax.lago_id, created.tax.lago_id);
    let body = model::<models::TaxUpdateInput>(json!({"tax": {"name": "Tags tax (renamed)"}}));
    let updated = lago.update_tax(&code, &body).await.expect("update");
    assert_eq!(s(&updated.tax.name), "Tags tax (renamed)");
    let all = stream_all(lago.list_all_taxes().per_page(50)).await;
    assert!(all.iter().any(|t| s(&t.code) == code));
}

#[wasm_bindgen_test]
async fn wallets_create_find_top_up_transactions() {
    let lago = client();
    let cust = uid("tags_w_cust");
    customer(&lago, &cust).await;
    let code = uid("tags_wallet");
    let body = model::<models::WalletCreateInput>(json!({"wallet": {
        "external_customer_id": cust, "name": "Tags top level", "code": code,
        "rate_amount": "1", "currency": "USD",
    }}));
    let created = lago.create_wallet(&body).await.expect("create");
    let wallet_id = s(&created.wallet.lago_id).to_string();
    let found = lago.find_wallet(&wallet_id).await.expect("find");
    assert_eq!(s(&found.wallet.code), code);
    let listed = lago.find_all_wallets(&cust).await.expect("list");
    assert_eq!(listed.wallets.len(), 1);

    let body = model::<models::WalletTransactionCreateInput>(json!({"wallet_transaction": {
        "wallet_id": wallet_id, "granted_credits": "5",
    }}));
    let txs = lago.create_wallet_transaction(&body).await.expect("top up");
    assert_eq!(txs.wallet_transactions.len(), 1);
    let tx_id = s(&txs.wallet_transactions[0].lago_id).to_string();
    let tx = lago.find_wallet_transaction(&tx_id).await.expect("find tx");
    assert_eq!(s(&tx.wallet_transaction.lago_id), tx_id);
    let all = stream_all(lago.list_all_wallet_transactions(&wallet_id)).await;
    let ids: Vec<&str> = all.iter().map(|t| s(&t.lago_id)).collect();
    assert_eq!(ids, [tx_id.as_str()]);
    let topped = lago.find_wallet(&wallet_id).await.expect("find");
    assert_eq!(n(&topped.wallet.balance_cents), 500.0, "5 credits at 1 USD");
}

#[wasm_bindgen_test]
async fn webhook_endpoints_create_find_update_list_destroy() {
    let lago = client();
    let url = format!("https://example.com/hooks/{}", uid("tags"));
    let body = model::<models::WebhookEndpointCreateInput>(json!({"webhook_endpoint": {
        "webhook_url": url, "signature_algo": "hmac",
    }}));
    let created = lago.create_webhook_endpoint(&body).await.expect("create");
    assert_eq!(s(&created.webhook_endpoint.webhook_url), url);
    let id = s(&created.webhook_endpoint.lago_id).to_string();
    let found = lago.find_webhook_endpoint(&id).await.expect("find");
    assert_eq!(s(&found.webhook_endpoint.webhook_url), url);
    let moved = format!("{url}/v2");
    let body = model::<models::WebhookEndpointUpdateInput>(
        json!({"webhook_endpoint": {"webhook_url": moved}}),
    );
    let updated = lago
        .update_webhook_endpoint(&id, &body)
        .await
        .expect("update");
    assert_eq!(s(&updated.webhook_endpoint.webhook_url), moved);
    let all = stream_all(lago.list_all_webhook_endpoints()).await;
    assert!(all.iter().any(|w| s(&w.lago_id) == id));
    lago.destroy_webhook_endpoint(&id).await.expect("destroy");
    let gone = lago.find_webhook_endpoint(&id).await.expect_err("gone");
    assert!(gone.is_not_found(), "{gone:?}");
}

#[wasm_bindgen_test]
async fn webhooks_public_key_as_text_and_as_json() {
    let lago = client();
    // `text/plain`: the call resolves to the body itself, not a JSON decode of it.
    let text: String = lago.fetch_public_key().await.expect("text key");
    let json = lago.fetch_json_public_key().await.expect("json key");
    assert_eq!(text, s(&json.webhook.public_key));
    assert!(text.len() > 100, "a base64 PEM: {text}");
    // The key the fake signs with, as its admin route hands it to tests.
    let keys = raw(server(), "GET", "/admin/webhooks/keys").await;
    assert_eq!(keys["public_key"], text.as_str());
    // lago-api's `Base64.encode64` of the PEM, line breaks included (atob skips them).
    let atob = js_sys::Function::new_with_args("s", "return atob(s)");
    let pem = atob
        .call1(&JsValue::UNDEFINED, &text.as_str().into())
        .expect("base64")
        .as_string()
        .expect("a string");
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{pem}");
}

// ---------------------------------------------------------------------------------------------
// The billing flow end to end (tests/node/flow.test.mjs on the JS face)
// ---------------------------------------------------------------------------------------------

/// (units, events, charge amount_cents, usage amount_cents) of metric `code` in `sub`'s usage.
async fn usage(lago: &Client, cust: &str, sub: &str, code: &str) -> (f64, f64, f64, f64) {
    let usage = lago
        .find_customer_current_usage(cust, sub)
        .await
        .unwrap_or_else(|e| panic!("current usage: {e}"))
        .customer_usage;
    let charges = usage.charges_usage.value().expect("charges_usage");
    let charge = charges
        .iter()
        .find(|c| c.billable_metric.value().map(|m| s(&m.code)) == Some(code))
        .unwrap_or_else(|| panic!("a {code} charge in {charges:?}"));
    (
        n(&charge.units),
        n(&charge.events_count),
        n(&charge.amount_cents),
        n(&usage.amount_cents),
    )
}

fn event(tx: &str, sub: &str, code: &str, calls: &str) -> models::EventInputObject {
    model(json!({
        "transaction_id": tx, "external_subscription_id": sub, "code": code,
        "properties": {"calls": calls},
    }))
}

#[wasm_bindgen_test]
async fn billing_flow_end_to_end() {
    let lago = client();
    let code = uid("flow_calls");
    let (plan_code, cust, sub) = (uid("flow_plan"), uid("flow_cust"), uid("flow_sub"));

    // A metric of our own, summing `calls`: the fake prices a metric its usage catalog does not
    // know at its charge's `properties.amount`, here 0.01 USD a call.
    let metric_id = metric(&lago, &code).await;
    let created = plan(&lago, &plan_code, &metric_id, "0.01").await;
    let charges = created.plan.charges.value().expect("charges");
    assert_eq!(s(&charges[0].billable_metric_code), code);
    let plan_charges = lago
        .find_all_plan_charges(&plan_code)
        .await
        .expect("charges");
    assert_eq!(plan_charges.charges.len(), 1);

    customer(&lago, &cust).await;
    let body = |plan: &str| {
        model::<models::SubscriptionCreateInput>(json!({"subscription": {
            "external_customer_id": cust, "plan_code": plan, "external_id": sub,
        }}))
    };
    let no_plan = lago
        .create_subscription(body(&uid("nope")))
        .await
        .expect_err("unknown plan");
    assert_eq!(
        (no_plan.status, no_plan.code.as_deref()),
        (Some(404), Some("plan_not_found"))
    );
    let subscription = lago
        .create_subscription(body(&plan_code))
        .await
        .expect("subscribe")
        .subscription;
    assert_eq!(
        subscription.status.value().map(|st| st.as_str()),
        Some("active")
    );
    assert_eq!(s(&subscription.plan_code), plan_code);
    assert_eq!(n(&subscription.plan_amount_cents), 1000.0);
    let subs = lago
        .find_all_customer_subscriptions(&cust)
        .await
        .expect("subscriptions");
    let ids: Vec<&str> = subs
        .subscriptions
        .iter()
        .map(|x| s(&x.external_id))
        .collect();
    assert_eq!(ids, [sub.as_str()]);

    assert_eq!(
        usage(&lago, &cust, &sub, &code).await,
        (0.0, 0.0, 0.0, 0.0),
        "a new subscription has no usage"
    );

    // One event: 100 calls at 0.01 = 1 USD.
    let tx1 = uid("flow_1");
    let one = lago
        .create_event(models::EventInput {
            event: event(&tx1, &sub, &code, "100"),
            ..Default::default()
        })
        .await
        .expect("event");
    assert_eq!(s(&one.event.transaction_id), tx1);
    assert_eq!(
        usage(&lago, &cust, &sub, &code).await,
        (100.0, 1.0, 100.0, 100.0)
    );

    // A batch of two: +300 calls.
    let (tx2, tx3) = (uid("flow_2"), uid("flow_3"));
    let batch = lago
        .create_batch_events(models::EventBatchInput {
            events: vec![
                event(&tx2, &sub, &code, "50"),
                event(&tx3, &sub, &code, "250"),
            ],
            ..Default::default()
        })
        .await
        .expect("batch");
    let sent: Vec<&str> = batch.events.iter().map(|e| s(&e.transaction_id)).collect();
    assert_eq!(sent, [tx2.as_str(), tx3.as_str()]);
    assert_eq!(
        usage(&lago, &cust, &sub, &code).await,
        (400.0, 3.0, 400.0, 400.0)
    );

    // Through the queue: three events, one a repeat of tx3 (Lago's 422 value_already_exist
    // on its transaction_id: counted as a duplicate, never doubled).
    let given: Rc<RefCell<Vec<String>>> = Rc::default();
    let seen = given.clone();
    let queue = EventQueue::new(
        client(),
        EventQueueOptions {
            flush_interval_ms: 0,
            on_error: Some(Rc::new(move |err: &Error, _events| {
                seen.borrow_mut().push(err.to_string())
            })),
            ..Default::default()
        },
    )
    .expect("queue options");
    let txq = uid("flow_q2");
    let ids = [
        queue
            .enqueue(event("", &sub, &code, "1000"))
            .expect("enqueue"),
        queue
            .enqueue(event(&txq, &sub, &code, "600"))
            .expect("enqueue"),
        queue
            .enqueue(event(&tx3, &sub, &code, "250"))
            .expect("enqueue"),
    ];
    assert_eq!(ids[1], txq);
    assert_eq!(
        ids[0].len(),
        36,
        "a new UUID for an event without one: {}",
        ids[0]
    );
    assert_eq!(queue.len(), 3);
    let report = queue.flush().await;
    queue.close().await;
    assert_eq!(
        report,
        FlushReport {
            delivered: 2,
            duplicates: 1,
            failed: 0
        }
    );
    assert!(given.borrow().is_empty(), "{:?}", given.borrow());
    assert_eq!(
        usage(&lago, &cust, &sub, &code).await,
        (2000.0, 5.0, 2000.0, 2000.0),
        "+1600 calls, the repeat not counted"
    );

    // The events are stored: by subscription, through the pager, and one by its id.
    let stored = stream_all(
        lago.list_all_events()
            .query("external_subscription_id", &sub)
            .per_page(2),
    )
    .await;
    let mut stored: Vec<String> = stored
        .into_iter()
        .map(|e| e.transaction_id.into_value().expect("transaction_id"))
        .collect();
    stored.sort();
    let mut expected = vec![tx1.clone(), tx2, tx3, txq.clone(), ids[0].clone()];
    expected.sort();
    assert_eq!(stored, expected);
    let found = lago.find_event(&txq).await.expect("find event");
    assert_eq!(s(&found.event.external_subscription_id), sub);

    // A wallet top-up: granted credits settle at once; paid credits make an invoice.
    let wallet_code = uid("flow_wallet");
    let wallet = lago
        .create_wallet(model::<models::WalletCreateInput>(json!({"wallet": {
            "external_customer_id": cust, "name": "Prepaid", "code": wallet_code,
            "rate_amount": "2", "currency": "USD",
        }})))
        .await
        .expect("wallet")
        .wallet;
    assert_eq!(n(&wallet.credits_balance), 0.0);
    let wallet_id = s(&wallet.lago_id).to_string();
    let txs = lago
        .create_wallet_transaction(model::<models::WalletTransactionCreateInput>(
            json!({"wallet_transaction": {
                "wallet_id": wallet_id, "paid_credits": "10", "granted_credits": "5",
            }}),
        ))
        .await
        .expect("top up")
        .wallet_transactions;
    let shape: Vec<(&str, &str, f64)> = txs
        .iter()
        .map(|x| {
            (
                x.transaction_status.value().map_or("", |t| t.as_str()),
                x.status.value().map_or("", |t| t.as_str()),
                n(&x.credit_amount),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [("purchased", "settled", 10.0), ("granted", "settled", 5.0)]
    );
    let topped = lago.find_wallet(&wallet_id).await.expect("wallet").wallet;
    assert_eq!(
        (n(&topped.credits_balance), n(&topped.balance_cents)),
        (15.0, 3000.0),
        "15 credits at 2 USD"
    );
    let by_code = lago
        .find_customer_wallet(&cust, &wallet_code)
        .await
        .expect("the customer's view of it");
    assert_eq!(n(&by_code.wallet.balance_cents), 3000.0);

    let invoice_id = s(&txs[0].lago_invoice_id).to_string();
    assert!(!invoice_id.is_empty(), "paid credits make an invoice");
    let invoice = lago
        .find_invoice(&invoice_id)
        .await
        .expect("invoice")
        .invoice;
    assert_eq!(
        (
            invoice.invoice_type.value().map(|t| t.as_str()),
            n(&invoice.total_amount_cents),
            s(&invoice.currency)
        ),
        (Some("credit"), 2000.0, "USD"),
        "10 credits at 2 USD"
    );
    let listed = lago
        .find_all_invoices()
        .query("external_customer_id", &cust)
        .await
        .expect("invoices");
    assert!(listed.invoices.iter().any(|i| s(&i.lago_id) == invoice_id));
    let mine = stream_all(lago.list_all_customer_invoices(&cust).per_page(1)).await;
    assert!(
        mine.iter().any(|i| s(&i.lago_id) == invoice_id),
        "the customer's own pager shows it"
    );

    let note = lago
        .create_credit_note(model::<models::CreditNoteCreateInput>(
            json!({"credit_note": {
                "invoice_id": invoice_id, "reason": "other",
                "items": [{"fee_id": invoice_id, "amount_cents": 500}],
            }}),
        ))
        .await
        .expect("credit note")
        .credit_note;
    assert_eq!(
        (s(&note.lago_invoice_id), n(&note.credit_amount_cents)),
        (invoice_id.as_str(), 500.0)
    );
    let notes = lago
        .find_all_customer_credit_notes(&cust)
        .await
        .expect("credit notes");
    assert!(notes.credit_notes.iter().any(|c| c.lago_id == note.lago_id));

    // Ending the subscription ends its usage: Lago's 405. (Lago answers the terminated
    // subscription; the fake answers it as it was, so its status is read back from the list.)
    let ended = lago.destroy_subscription(&sub).await.expect("end");
    assert_eq!(s(&ended.subscription.external_id), sub);
    let terminated = lago
        .find_all_subscriptions()
        .query("external_customer_id", &cust)
        .status(["terminated"])
        .await
        .expect("terminated");
    let shape: Vec<(&str, &str)> = terminated
        .subscriptions
        .iter()
        .map(|x| {
            (
                s(&x.external_id),
                x.status.value().map_or("", |t| t.as_str()),
            )
        })
        .collect();
    assert_eq!(shape, [(sub.as_str(), "terminated")]);
    let after = lago
        .find_customer_current_usage(&cust, &sub)
        .await
        .expect_err("no usage once ended");
    assert_eq!(
        (
            after.kind,
            after.status,
            after.code.as_deref(),
            after.attempts
        ),
        (
            ErrorKind::Http,
            Some(405),
            Some("no_active_subscription"),
            1
        )
    );
}
