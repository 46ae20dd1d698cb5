//! lago-wasm: a typed, small WebAssembly client for the Lago billing API's Customers endpoints.
//!
//! Two faces over one core: [`client::Client`] for Rust wasm apps (typed models) and the
//! `CustomersApi` class for JS/TS (plain objects). See README.md.

pub mod client;
pub mod core;
pub mod error;
pub mod js;
pub mod models;

pub use client::{CallOptions, Client, ClientOptions};
pub use error::{Error, ErrorKind};
