//! What both faces share: argument checks, URL and path encoding, headers, transport
//! (fetch, timeout, abort, retry) and error mapping. Data flows one way: request -> transport
//! -> reply; nothing here knows a model.

pub mod encode;
pub mod jsval;
pub mod operation;
pub mod retry;
pub mod schema;
pub mod spec_tables;
pub mod transport;
pub mod validate;
