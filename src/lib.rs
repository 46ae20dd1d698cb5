//! lago-wasm: a typed, small WebAssembly client for the Lago billing API's Customers endpoints.
//!
//! Two faces over one core: [`client::Client`] for Rust wasm apps (typed models) and the
//! `CustomersApi` class for JS/TS (plain objects). See README.md.

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
