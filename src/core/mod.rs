//! What both faces share: the operations as data, path and query encoding, the transport's
//! decisions (retries, backoff, rate limits, timeouts, error mapping) and key redaction. Data
//! flows one way: request -> transport -> reply. Nothing here touches a JS value: each face
//! brings its own argument checks (the body's JSON text excepted: `body_check`) and its own [`transport::Platform`].

pub mod body_check;
pub mod encode;
pub mod operation;
pub mod options;
pub mod retry;
// Without the JS face (a Rust app's build) the blob is read only for a body's check: the Rust
// face's operations carry their own route, names and query types (`client::Endpoint`), so most
// of the blob's constants and readers are unused there.
#[cfg_attr(not(feature = "js"), allow(dead_code))]
pub mod schema;
#[cfg_attr(not(feature = "js"), allow(dead_code))]
pub mod spec_tables;
pub mod text;
pub mod transport;

// Property tests of the pure code above (proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz;
