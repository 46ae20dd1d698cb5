//! Writes that never double (API.md "Retries"), on the Rust face in headless Chromium and
//! Firefox over real HTTP: the fake Lago server carries the first attempt out and then loses
//! its answer (`drop;commit`: the connection closes) or answers 504 (`status=504;commit`).
//! Counted on the server: the requests it saw and the wallets it holds. Then every write of the
//! spec whose retry class is unsafe or keyed, each with its first answer lost, its class read
//! from the generated src/client/operations.rs (the last test).
//! (The JS face's twin is tests/node/writes.test.mjs.)
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use lago_wasm::models::{
    self, CustomerWalletCreateInput, WalletResponse, WalletTransactionCreateInput,
};
use lago_wasm::{Call, Client, ErrorKind};
use rust_face_support::*;
use serde::de::DeserializeOwned;
use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Both ways a write is done and its answer lost, each on the first attempt only.
const FAULTS: [&str; 2] = ["drop;commit", "status=504;commit"];

/// A fault on the first request of `tag` only.
fn first_attempt(tag: &str, fault: &str) -> lago_wasm::CallOptions {
    faulted(tag, &format!("{fault};times=1;id={tag}"))
}

/// A new customer in USD, with no wallet.
async fn new_customer(lago: &Client, prefix: &str) -> String {
    let id = uid(prefix);
    create(lago, &id, "USD").await;
    id
}

/// The customer's wallets, as the server holds them.
async fn wallets(id: &str) -> Vec<serde_json::Value> {
    let list = api_json(&format!("/customers/{id}/wallets")).await;
    list["wallets"].as_array().cloned().unwrap_or_default()
}

/// A wallet body, with `code` or without.
fn wallet(code: Option<&str>) -> CustomerWalletCreateInput {
    let mut wallet = json!({"rate_amount": "1", "currency": "USD", "paid_credits": "10"});
    if let Some(code) = code {
        wallet["code"] = json!(code);
    }
    model(json!({ "wallet": wallet }))
}

#[wasm_bindgen_test]
async fn an_unsafe_write_is_sent_once_when_its_answer_is_lost() {
    let lago = client();
    for fault in FAULTS {
        let id = new_customer(&lago, "rf_unsafe").await;
        let tag = uid("unsafe");
        let call = first_attempt(&tag, fault);
        let result = lago
            .create_customer_wallet(&id, wallet(None))
            .options(&call)
            .await;
        let log = logged(server(), &tag).await;
        let e = result
            .map(|_| ())
            .expect_err(&format!("{fault}: server saw {log:?}"));
        assert!(e.may_have_succeeded(), "{fault}: {e}");
        assert!(
            !e.retryable,
            "{fault}: an unsafe write is not for repeating"
        );
        assert_eq!(e.attempts, 1, "{fault}");
        let expected = if fault == "drop;commit" {
            ErrorKind::Network
        } else {
            ErrorKind::Http
        };
        assert_eq!(e.kind, expected, "{fault}");
        assert_eq!(logged(server(), &tag).await.len(), 1, "{fault}: sent once");
        assert_eq!(wallets(&id).await.len(), 1, "{fault}: one wallet, not two");
        forget(&lago, &id).await;
    }
}

#[wasm_bindgen_test]
async fn a_keyed_write_is_retried_and_its_duplicate_may_have_succeeded() {
    let lago = client();
    for fault in FAULTS {
        let id = new_customer(&lago, "rf_keyed").await;
        let tag = uid("keyed");
        let e = lago
            .create_customer_wallet(&id, wallet(Some("main")))
            .options(&first_attempt(&tag, fault))
            .await
            .expect_err(fault);
        // The retry met the wallet the first attempt made.
        assert_eq!(
            (e.kind, e.status, e.attempts),
            (ErrorKind::Http, Some(422), 2)
        );
        assert!(e.may_have_succeeded(), "{fault}: {e}");
        assert_eq!(statuses(server(), &tag).await.last(), Some(&422), "{fault}");
        assert_eq!(logged(server(), &tag).await.len(), 2, "{fault}");
        let held = wallets(&id).await;
        assert_eq!(held.len(), 1, "{fault}: one wallet");
        assert_eq!(held[0]["code"], "main");
        forget(&lago, &id).await;
    }
}

#[wasm_bindgen_test]
async fn an_idempotent_call_is_retried_and_resolves() {
    let lago = client();
    for fault in FAULTS {
        let id = new_customer(&lago, "rf_idempotent").await;
        // A PUT: the wallet update is done twice, to the same end.
        lago.create_customer_wallet(&id, wallet(Some("w")))
            .await
            .expect("create");
        let tag = uid("idempotent");
        let update = model(json!({"wallet": {"name": "Renamed"}}));
        let updated: WalletResponse = lago
            .update_customer_wallet(&id, "w", &update)
            .options(&first_attempt(&tag, fault))
            .await
            .unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert_eq!(updated.wallet.name.as_deref(), Some("Renamed"));
        assert_eq!(
            logged(server(), &tag).await.len(),
            2,
            "{fault}: retried once"
        );
        // A GET.
        let tag = uid("get");
        lago.find_customer(&id)
            .options(&first_attempt(&tag, fault))
            .await
            .unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert_eq!(logged(server(), &tag).await.len(), 2, "{fault}");
        assert_eq!(wallets(&id).await.len(), 1);
        forget(&lago, &id).await;
    }
}

#[wasm_bindgen_test]
async fn a_keyed_event_is_retried_and_stored_once() {
    let lago = client();
    for fault in FAULTS {
        let before = api_calls_units().await;
        let tag = uid("event");
        let body: lago_wasm::models::EventInput = model(json!({"event": {
            "transaction_id": tag, "external_subscription_id": "sub_acme_corp_1",
            "code": "api_calls", "properties": {"calls": "7"},
        }}));
        let e = lago
            .create_event(&body)
            .options(&first_attempt(&tag, fault))
            .await
            .expect_err(fault);
        assert_eq!(
            (e.kind, e.status, e.attempts),
            (ErrorKind::Http, Some(422), 2)
        );
        assert!(e.may_have_succeeded(), "{fault}: {e}");
        assert_eq!(logged(server(), &tag).await.len(), 2, "{fault}");
        assert_eq!(
            api_calls_units().await,
            before + 7.0,
            "{fault}: counted once"
        );
    }
}

/// A tag beyond the first classes: a wallet top-up is unsafe (REALITY.md section 6: a second one
/// is a second transaction, and paid credits a second invoice). The JS twin is in writes.test.mjs.
#[wasm_bindgen_test]
async fn a_wallet_top_up_is_sent_once_when_its_answer_is_lost() {
    let lago = client();
    for fault in FAULTS {
        let id = new_customer(&lago, "rf_topup").await;
        lago.create_customer_wallet(&id, wallet(Some(&uid("topup"))))
            .await
            .expect("a wallet");
        let held = wallets(&id).await;
        let wallet_id = held[0]["lago_id"]
            .as_str()
            .expect("its lago_id")
            .to_string();
        let top_ups = || async {
            let list = api_json(&format!("/wallets/{wallet_id}/wallet_transactions")).await;
            list["wallet_transactions"].as_array().map_or(0, Vec::len)
        };
        let before = top_ups().await;
        let tag = uid("topup");
        let call = first_attempt(&tag, fault);
        let body = json!({"wallet_transaction": {"wallet_id": wallet_id, "paid_credits": "5"}});
        let result = lago
            .create_wallet_transaction(model::<WalletTransactionCreateInput>(body))
            .options(&call)
            .await;
        let e = result.map(|_| ()).expect_err(fault);
        assert!(e.may_have_succeeded(), "{fault}: {e}");
        assert_eq!(e.attempts, 1, "{fault}");
        assert_eq!(logged(server(), &tag).await.len(), 1, "{fault}: sent once");
        assert_eq!(top_ups().await, before + 1, "{fault}: one top-up, not two");
        forget(&lago, &id).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Every unsafe and keyed write of the spec (writes.test.mjs's "every unsafe write of the spec"
// on the JS face): each called once with its first attempt's answer lost (`drop;commit`)
// ---------------------------------------------------------------------------------------------

/// A retry class of `schema.rs`'s `Retry` (tools/gen-from-spec.mjs's `RETRY_CLASSES`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Class {
    Idempotent,
    Unsafe,
    Keyed,
}

/// One method of the Rust face as src/client/operations.rs has it: its operation's method,
/// route and retry class.
#[derive(Clone, Debug)]
struct Generated {
    method: String,
    route: String,
    class: Class,
}

/// Every method of `Client`, by name, with the `Endpoint` static it calls. Read from the
/// generated source itself: the statics are crate-private, and their `Op`'s retry class (from
/// the spec and `RETRY_CLASSES`) is not exposed on the Rust face, so this is what a test of the
/// crate can see of it. A regenerated file (a write added, a class changed) changes this map,
/// and with it what the test below expects.
fn generated() -> BTreeMap<String, Generated> {
    const SOURCE: &str = include_str!("../src/client/operations.rs");
    let (methods, statics) = SOURCE
        .split_once("pub(crate) mod ep {")
        .expect("operations.rs has its `ep` module");
    let mut endpoints = HashMap::new();
    for chunk in statics.split("pub(crate) static ").skip(1) {
        // (`WITH_SPEC`, the table of every endpoint, is no endpoint itself.)
        let Some((name, rest)) = chunk.split_once(": Endpoint = Endpoint {") else {
            continue;
        };
        let op = rest.split_once("Op::new(").expect("an Op").1;
        let mut quoted = op.split('"');
        let method = quoted.nth(1).expect("a method").to_string();
        let route = quoted.nth(1).expect("a route").to_string();
        let retry = &op[op.find("Retry::").expect("a retry class") + "Retry::".len()..];
        let class = if retry.starts_with("Unsafe") {
            Class::Unsafe
        } else if retry.starts_with("Keyed(") {
            Class::Keyed
        } else {
            assert!(retry.starts_with("Idempotent"), "{name}: {retry:.40}");
            Class::Idempotent
        };
        let generated = Generated {
            method,
            route,
            class,
        };
        endpoints.insert(name.trim().to_string(), generated);
    }
    assert_eq!(
        endpoints.len(),
        statics.matches("Retry::").count(),
        "one retry class read per endpoint"
    );
    let mut by_method = BTreeMap::new();
    let mut called = BTreeSet::new();
    for chunk in methods.split("\n    pub fn ").skip(1) {
        let name = chunk.split(['(', '<']).next().expect("a name");
        let Some(at) = chunk.find("ep::") else {
            continue;
        };
        let constant: String = chunk[at + 4..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        let endpoint = endpoints
            .get(&constant)
            .unwrap_or_else(|| panic!("{name}: no endpoint {constant}"));
        by_method.insert(name.to_string(), endpoint.clone());
        called.insert(constant);
    }
    // Every endpoint is some method's (none left out of the map by a misread).
    let statics: BTreeSet<String> = endpoints.into_keys().collect();
    assert_eq!(called, statics, "the endpoints the methods call");
    by_method
}

/// Whether `path` (as the fake logged it, under `/api/v1`) is an instance of `route`.
fn on_route(route: &str, path: &str) -> bool {
    let Some(path) = path.strip_prefix("/api/v1") else {
        return false;
    };
    let (route, path): (Vec<_>, Vec<_>) = (route.split('/').collect(), path.split('/').collect());
    route.len() == path.len()
        && route
            .iter()
            .zip(&path)
            .all(|(r, p)| r == p || (r.starts_with('{') && !p.is_empty()))
}

/// The writes called so far, and what was wrong with each.
struct Writes {
    generated: BTreeMap<String, Generated>,
    checked: Vec<String>,
    problems: Vec<String>,
}

impl Writes {
    /// Sends `call` (the Rust face's method `name`) with its first attempt's answer lost, and
    /// checks what its retry class promises, from the error and the fake's request log:
    /// unsafe, sent once and failed as a network error that may have succeeded; keyed, retried
    /// once, and the retry answered 422 `value_already_exist` (the first attempt's write).
    async fn lost<T: DeserializeOwned + 'static, Q>(&mut self, name: &str, call: Call<T, Q>) {
        let tag = uid(name);
        let result = call
            .options(&first_attempt(&tag, "drop;commit"))
            .await
            .map(|_| ());
        let log = logged(server(), &tag).await;
        let statuses: Vec<u64> = log
            .iter()
            .map(|e| e["status"].as_u64().unwrap_or(0))
            .collect();
        self.checked.push(name.to_string());
        let Some(op) = self.generated.get(name) else {
            self.problems.push(format!("{name}: no such method"));
            return;
        };
        for entry in &log {
            let path = entry["path"].as_str().unwrap_or("");
            if entry["method"] != op.method.as_str() || !on_route(&op.route, path) {
                self.problems.push(format!(
                    "{name}: sent {} {path}, not to {} {}",
                    entry["method"], op.method, op.route
                ));
            }
        }
        let e = match result {
            Ok(()) => {
                let problem = format!("{name} resolved; the server saw {statuses:?}");
                self.problems.push(problem);
                return;
            }
            Err(e) => e,
        };
        let (got, want) = match op.class {
            Class::Unsafe => (
                format!(
                    "{:?} may_have_succeeded={} retryable={} attempts={} statuses={statuses:?}",
                    e.kind,
                    e.may_have_succeeded(),
                    e.retryable,
                    e.attempts
                ),
                "Network may_have_succeeded=true retryable=false attempts=1 statuses=[0]",
            ),
            Class::Keyed => {
                let details = e.details().map(|d| d.to_string()).unwrap_or_default();
                (
                    format!(
                        "{:?} {:?} {:?} may_have_succeeded={} attempts={} statuses={statuses:?} \
                         value_already_exist={}",
                        e.kind,
                        e.status,
                        e.code.as_deref(),
                        e.may_have_succeeded(),
                        e.attempts,
                        details.contains("\"value_already_exist\"")
                    ),
                    "Http Some(422) Some(\"validation_errors\") may_have_succeeded=true \
                     attempts=2 statuses=[0, 422] value_already_exist=true",
                )
            }
            Class::Idempotent => (
                format!("{:?}", op.class),
                "an unsafe or keyed write of the spec",
            ),
        };
        if got != want {
            self.problems
                .push(format!("{name}: {got}, not {want} ({})", e.message));
        }
    }
}

/// Every write whose retry class is unsafe or keyed, each with what it needs made first (the
/// prerequisites and bodies of every-operation-args.mjs, through the support module's builders):
/// the catalog, a subscribed customer with a coupon, events and wallets, then a second
/// customer's one-off invoice and what is done on it. A keyed write's first attempt makes what
/// the next steps use; an unsafe one's is found where it was made (and found once).
#[wasm_bindgen_test]
async fn every_unsafe_and_keyed_write_of_the_spec_keeps_its_promise_when_its_answer_is_lost() {
    let lago = client();
    let mut w = Writes {
        generated: generated(),
        checked: Vec::new(),
        problems: Vec::new(),
    };
    let sfx = uid("rw");
    let [cust, metric_code, plan_code, charge, fixed, add_on, coupon, feature, tax, sub] = [
        "cust", "metric", "plan", "charge", "fixed", "addon", "coupon", "feature", "tax", "sub",
    ]
    .map(|what| format!("rw_{what}_{sfx}"));

    // The catalog.
    w.lost(
        "create_billing_entity",
        lago.create_billing_entity(billing_entity_body(&uuid())),
    )
    .await;
    w.lost("create_tax", lago.create_tax(tax_body(&tax))).await;
    w.lost("create_add_on", lago.create_add_on(add_on_body(&add_on)))
        .await;
    w.lost(
        "create_billable_metric",
        lago.create_billable_metric(metric_body(&metric_code)),
    )
    .await;
    let metric_id = lago
        .find_billable_metric(&metric_code)
        .await
        .expect("the metric the lost answer made")
        .billable_metric
        .lago_id;
    w.lost(
        "create_feature",
        lago.create_feature(feature_body(&feature)),
    )
    .await;
    let body = plan_body(&plan_code, &metric_id, "0.5");
    w.lost("create_plan", lago.create_plan(body)).await;
    let body = charge_body(&metric_id, &charge);
    w.lost(
        "create_plan_charge",
        lago.create_plan_charge(&plan_code, body),
    )
    .await;
    let body = charge_filter_body("EU", "2", "eu");
    let call = lago.create_plan_charge_filter(&plan_code, &charge, body);
    w.lost("create_plan_charge_filter", call).await;
    let body = fixed_charge_body(&add_on, &fixed);
    let call = lago.create_plan_fixed_charge(&plan_code, body);
    w.lost("create_plan_fixed_charge", call).await;
    w.lost("create_coupon", lago.create_coupon(coupon_body(&coupon)))
        .await;
    let url = format!("https://example.com/hooks/{sfx}");
    let call = lago.create_webhook_endpoint(webhook_endpoint_body(&url));
    w.lost("create_webhook_endpoint", call).await;

    // A customer: its coupon, its subscription's alert, charge filter and events, a checkout.
    customer(&lago, &cust).await;
    let call = lago.apply_coupon(applied_coupon_body(&cust, &coupon));
    w.lost("apply_coupon", call).await;
    lago.create_subscription(subscription_body(&cust, &plan_code, &sub))
        .await
        .expect("subscription");
    let body = subscription_alert_body(&format!("rw_alert_{sfx}"));
    w.lost(
        "create_subscription_alert",
        lago.create_subscription_alert(&sub, body),
    )
    .await;
    let body = charge_filter_body("US", "3", "us");
    let call = lago.create_subscription_charge_filter(&sub, &charge, body);
    w.lost("create_subscription_charge_filter", call).await;
    let event = |n: u32| event_object(&format!("rw_tx_{sfx}_{n}"), &sub, &metric_code, "1");
    let body = models::EventInput {
        event: event(1),
        ..Default::default()
    };
    w.lost("create_event", lago.create_event(body)).await;
    let body = models::EventBatchInput {
        events: vec![event(2), event(3)],
        ..Default::default()
    };
    w.lost("create_batch_events", lago.create_batch_events(body))
        .await;
    // The seed's acme_corp has a payment provider, which a checkout URL needs.
    let call = lago.generate_customer_checkout_url("acme_corp");
    w.lost("generate_customer_checkout_url", call).await;

    // Its wallets: one under the customer with an alert, one at the top level topped up.
    let wallet = format!("rw_wallet_{sfx}");
    let call = lago.create_customer_wallet(&cust, customer_wallet_body(&cust, &wallet));
    w.lost("create_customer_wallet", call).await;
    let body = wallet_alert_body(&format!("rw_walert_{sfx}"));
    let call = lago.create_customer_wallet_alert(&cust, &wallet, body);
    w.lost("create_customer_wallet_alert", call).await;
    let top = format!("rw_topwallet_{sfx}");
    w.lost(
        "create_wallet",
        lago.create_wallet(wallet_body(&cust, &top)),
    )
    .await;
    let wallets = lago.find_all_wallets(&cust).await.expect("wallets").wallets;
    let wallet_id = wallets
        .iter()
        .find(|w| s(&w.code) == top)
        .unwrap_or_else(|| panic!("the top-level wallet in {wallets:?}"))
        .lago_id
        .as_str()
        .to_string();
    let call = lago.create_wallet_transaction(wallet_transaction_body(&wallet_id));
    w.lost("create_wallet_transaction", call).await;
    let txs = lago
        .find_all_wallet_transactions(&wallet_id)
        .per_page(10)
        .await
        .expect("top-ups")
        .wallet_transactions;
    assert_eq!(txs.len(), 2, "one top-up (paid and granted), not two");
    let tx_id = txs[0].lago_id.as_str().to_string();
    let call = lago.wallet_transaction_payment_url(&tx_id);
    w.lost("wallet_transaction_payment_url", call).await;

    // A second customer's one-off invoice, and everything done on it.
    let payer = format!("rw_payer_{sfx}");
    customer(&lago, &payer).await;
    w.lost(
        "create_invoice",
        lago.create_invoice(invoice_body(&payer, &add_on)),
    )
    .await;
    let invoices = lago
        .find_all_invoices()
        .query("external_customer_id", &payer)
        .await
        .expect("invoices")
        .invoices;
    assert_eq!(invoices.len(), 1, "one invoice, not two");
    let invoice_id = invoices[0].lago_id.as_str().to_string();
    let call = lago.invoice_payment_url(&invoice_id);
    w.lost("invoice_payment_url", call).await;
    let body = credit_note_body(&invoice_id, &invoice_id);
    w.lost("create_credit_note", lago.create_credit_note(body))
        .await;
    let notes = lago
        .find_all_credit_notes()
        .query("external_customer_id", &payer)
        .await
        .expect("credit notes")
        .credit_notes;
    assert_eq!(notes.len(), 1, "one credit note, not two");
    let note_id = notes[0].lago_id.as_str().to_string();
    w.lost("void_credit_note", lago.void_credit_note(&note_id))
        .await;
    let body = payment_body(&invoice_id, &format!("rw_ref_{sfx}"));
    w.lost("create_payment", lago.create_payment(body)).await;
    let body = payment_request_body(&payer, &invoice_id);
    w.lost("create_payment_request", lago.create_payment_request(body))
        .await;
    w.lost("retry_invoice", lago.retry_invoice(&invoice_id))
        .await;
    w.lost("retry_payment", lago.retry_payment(&invoice_id, None))
        .await;
    let call = lago.lose_dispute_invoice(&invoice_id);
    w.lost("lose_dispute_invoice", call).await;
    let body = models::InvoiceVoidInput::default();
    w.lost("void_invoice", lago.void_invoice(&invoice_id, Some(&body)))
        .await;

    // Gone again from the lists the other suites read.
    forget(&lago, &payer).await;
    forget(&lago, &cust).await;
    let hooks = collect(lago.list_all_webhook_endpoints()).await;
    for hook in hooks.iter().filter(|h| s(&h.webhook_url) == url) {
        lago.destroy_webhook_endpoint(hook.lago_id.as_str())
            .await
            .expect("destroy the webhook endpoint");
    }

    assert_eq!(
        w.problems,
        Vec::<String>::new(),
        "every write kept its promise"
    );
    // Every unsafe and keyed write of the spec was called here, and only those.
    let mut checked = w.checked.clone();
    checked.sort();
    let writes: Vec<&String> = w
        .generated
        .iter()
        .filter(|(_, op)| op.class != Class::Idempotent)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        checked.iter().collect::<Vec<_>>(),
        writes,
        "the writes called are the spec's unsafe and keyed ones"
    );
}
