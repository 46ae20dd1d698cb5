//! The size-measurement apps of `make bench` (bench/rust-apps.mjs): each feature is one app, the
//! least code a user would write to call these operations and read their results, so that its
//! wasm weighs what the Rust face costs them. Every result reaches JS (as a count or a string)
//! so that nothing the decoders produce can be optimized away.
#![cfg(target_arch = "wasm32")]

use lago_wasm::{Client, ClientOptions};
use wasm_bindgen::prelude::*;

fn client(base_url: String) -> Client {
    Client::new(ClientOptions {
        base_url,
        ..ClientOptions::default()
    })
}

/// (a) One customer's name, `None` when Lago answers 404.
#[cfg(feature = "find")]
#[wasm_bindgen]
pub async fn find(base_url: String, id: String) -> Result<Option<String>, JsError> {
    match client(base_url).find_customer(id).await {
        Ok(found) => Ok(Some(found.customer.name.into_value().unwrap_or_default())),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(JsError::new(&err.to_string())),
    }
}

/// (b) How many customers there are, walking every page as a `Stream`.
#[cfg(feature = "pager")]
#[wasm_bindgen]
pub async fn count_customers(base_url: String) -> Result<u32, JsError> {
    use core::pin::Pin;
    use futures_core::Stream;

    let mut pager = client(base_url).list_all_customers();
    let mut count = 0;
    while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut pager).poll_next(cx)).await {
        item.map_err(|err| JsError::new(&err.to_string()))?;
        count += 1;
    }
    Ok(count)
}

/// (c) How many invoices, subscriptions and wallets a customer has (first pages).
#[cfg(feature = "five")]
#[wasm_bindgen]
pub async fn customer_lists(base_url: String, id: String) -> Result<Vec<u32>, JsError> {
    let lago = client(base_url);
    let fail = |err: lago_wasm::Error| JsError::new(&err.to_string());
    let invoices = lago.find_all_customer_invoices(&id).await.map_err(fail)?;
    let subscriptions = lago
        .find_all_customer_subscriptions(&id)
        .await
        .map_err(fail)?;
    let wallets = lago.find_all_customer_wallets(&id).await.map_err(fail)?;
    Ok(vec![
        invoices.invoices.len() as u32,
        subscriptions.subscriptions.len() as u32,
        wallets.wallets.len() as u32,
    ])
}
