//! What both faces share: the operations as data, path and query encoding, the transport's
//! decisions (retries, backoff, rate limits, timeouts, error mapping) and key redaction. Data
//! flows one way: request -> transport -> reply. Nothing here touches a JS value: each face
//! brings its own argument checks (the body's JSON text excepted: `body_check`) and its own [`transport::Platform`].

pub mod body_check;
pub mod encode;
pub mod operation;
pub mod options;
pub mod retry;
pub mod schema;
pub mod spec_tables;
pub mod text;
pub mod transport;

// Property tests of the pure code above (proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz;
