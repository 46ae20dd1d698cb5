//! lago-wasm's Rust example: a page written in Rust against the crate's Rust face
//! ([`lago_wasm::Client`]), with plain web-sys DOM code. `#/customers` lists every customer;
//! `#/customers/{id}` opens one with its subscriptions and its current usage.
//!
//! Calls go to `/lago/api/v1` on the page's own server (`serve.mjs`), which adds the API key:
//! the browser never holds one. Natively the crate is empty (see Cargo.toml).
#![cfg(target_arch = "wasm32")]

mod dom;
mod format;
mod views;

use std::cell::RefCell;

use lago_wasm::{CallOptions, Client, ClientOptions};
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

thread_local! {
    /// The shown view's controller: a new route aborts the old view's calls, so a slow answer
    /// for a page the user already left costs no more requests.
    static CURRENT: RefCell<Option<AbortController>> = const { RefCell::new(None) };
}

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let on_hash = Closure::<dyn Fn()>::new(route);
    window.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref())?;
    on_hash.forget(); // listens for the page's whole life
    route();
    Ok(())
}

/// Shows the view the location's hash names, in a fresh container. An old view that is still
/// awaiting writes into its own container, detached by then, so it can never overwrite this one.
fn route() {
    let controller = AbortController::new().ok();
    if let Some(old) = CURRENT.with(|c| c.replace(controller.clone())) {
        old.abort();
    }
    let call = CallOptions {
        signal: controller.map(|c| c.signal()),
        ..CallOptions::default()
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let origin = window.location().origin().unwrap_or_default();
    let client = Client::new(ClientOptions {
        base_url: format!("{origin}/lago/api/v1"),
        ..ClientOptions::default()
    });
    let hash = window.location().hash().unwrap_or_default();
    let root = dom::fresh_view();
    let id = hash
        .strip_prefix("#/customers/")
        .and_then(|raw| js_sys::decode_uri_component(raw).ok())
        .map(String::from)
        .filter(|id| !id.is_empty());
    match id {
        Some(id) => wasm_bindgen_futures::spawn_local(views::detail(client, call, root, id)),
        None => wasm_bindgen_futures::spawn_local(views::list(client, call, root)),
    }
}
