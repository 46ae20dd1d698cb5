//! Writes that never double (API.md "Retries"), on the Rust face in headless Chromium and
//! Firefox over real HTTP: the fake Lago server carries the first attempt out and then loses
//! its answer (`drop;commit`: the connection closes) or answers 504 (`status=504;commit`).
//! Counted on the server: the requests it saw and the wallets it holds.
//! (The JS face's twin is tests/node/writes.test.mjs.)
//!
//! Run by tools/browser-tests.sh, which starts the fake servers and bakes their URLs in.
#![cfg(target_arch = "wasm32")]

mod rust_face_support;

use lago_wasm::models::{CustomerWalletCreateInput, WalletResponse, WalletTransactionCreateInput};
use lago_wasm::{Client, ErrorKind};
use rust_face_support::*;
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
async fn customer(lago: &Client, prefix: &str) -> String {
    let id = uid(prefix);
    create(lago, &id, "USD").await;
    id
}

/// Destroys a customer this suite made: the other suites share the server and read its list.
async fn forget(lago: &Client, id: &str) {
    lago.destroy_customer(id)
        .await
        .expect("destroy the customer");
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
        let id = customer(&lago, "rf_unsafe").await;
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
        let id = customer(&lago, "rf_keyed").await;
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
        let id = customer(&lago, "rf_idempotent").await;
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
        let id = customer(&lago, "rf_topup").await;
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
