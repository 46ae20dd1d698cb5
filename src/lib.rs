//! lago-wasm: a typed, small WebAssembly client for the Lago billing API.
//!
//! Two faces over one core: [`Client`] for Rust wasm apps (typed models) and the `CustomersApi`
//! class for JS/TS (plain objects). See README.md.
//!
//! A Rust app depends on it without the JS face:
//! `lago-wasm = { git = "…", default-features = false }`. Each operation is a [`Client`] method
//! returning a [`Call`]: set what it needs, then `.await` it; a paginated list also has a
//! `list_all_…` [`Pager`], a `Stream` of its items.
//!
//! ```no_run
//! use std::time::Duration;
//! use lago_wasm::{Client, ClientOptions, Error};
//!
//! async fn report(key: String, signal: &web_sys::AbortSignal) -> Result<usize, Error> {
//!     let lago = Client::new(ClientOptions { api_key: Some(key), ..Default::default() });
//!     let found = lago.find_customer("acme").await?; // awaiting a call sends it
//!     let page = lago
//!         .find_all_customers() // a builder: set, then await
//!         .per_page(50)
//!         .search_term("acme")
//!         .signal(signal)
//!         .timeout(Duration::from_secs(5))
//!         .await?;
//!     let mut invoices = lago.list_all_customer_invoices("acme").per_page(100);
//!     let mut late = 0;
//!     while let Some(invoice) = invoices.next().await {
//!         // a Stream, fetched lazily
//!         if invoice?.payment_overdue.value() == Some(&true) {
//!             late += 1;
//!         }
//!     }
//!     match lago.find_customer("gone").await {
//!         Err(e) if e.is_not_found() => {}
//!         other => drop(other?),
//!     }
//!     Ok(found.customer.name.as_deref().map_or(0, str::len) + page.customers.len() + late)
//! }
//! ```

// `Error` carries everything a caller logs (status, code, path, attempts...); it travels only on
// the cold path, and boxing it would cost every Rust caller a deref for no measured gain.
#![allow(clippy::result_large_err)]

/// The npm package's allocator (feature `small-alloc`): the JS face runs on one thread.
#[cfg(all(target_arch = "wasm32", feature = "small-alloc"))]
#[global_allocator]
// SAFETY: the npm package's wasm is single-threaded (no shared memory, no wasm threads).
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

pub mod client;
pub(crate) mod core;
pub mod error;
#[cfg(feature = "js")]
pub mod js;
pub mod models;
#[cfg(feature = "webhook")]
pub mod webhook;

pub use client::{
    Call, CallOptions, Client, ClientOptions, EventQueue, EventQueueOptions, FlushReport, Pager,
};
pub use error::{Error, ErrorKind};
#[cfg(feature = "webhook")]
pub use webhook::{verify_webhook, Verified, WebhookRequest};
