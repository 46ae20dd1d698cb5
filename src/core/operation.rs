//! A checked request for one of the generated [`Operation`]s, and the top-level shape check of
//! its answer. Both faces build a [`Request`] here; nothing else fills in a route.

use wasm_bindgen::prelude::*;

use super::encode::{push_segment, Query, SegmentError};
pub use super::schema::{Arg, Operation};
use crate::error::Error;

/// A checked request, ready for the transport.
#[derive(Debug, Clone)]
pub struct Request {
    /// Which operation this is.
    pub op: &'static Operation,
    /// Encoded path below the base URL, e.g. `/customers/a%2Fb/current_usage`.
    pub path: String,
    /// Encoded query string, without the `?`.
    pub query: Query,
    /// JSON text of the body, for operations that take one.
    pub body: Option<String>,
}

impl Request {
    /// Fills the route's `{...}` placeholders with `ids` (one per [`Arg::Path`] of `op`, in
    /// order), each encoded as exactly one segment; ids that would change the route are refused.
    pub fn new(op: &'static Operation, ids: &[&str]) -> Result<Request, Error> {
        let mut path = String::with_capacity(op.template.len() + 32);
        let mut names = op.args.iter().filter_map(|a| match a {
            Arg::Path(name) => Some(*name),
            _ => None,
        });
        let mut ids = ids.iter();
        let mut rest = op.template;
        while let Some(open) = rest.find('{') {
            // The literal before the placeholder, without its `/` (push_segment adds one).
            path.push_str(rest[..open].trim_end_matches('/'));
            rest = rest[open..].split_once('}').map_or("", |(_, after)| after);
            let (name, id) = (
                names.next().unwrap_or("id"),
                ids.next().copied().unwrap_or(""),
            );
            push_segment(&mut path, id).map_err(|e| {
                let problem = match e {
                    SegmentError::Empty => "must not be empty",
                    SegmentError::DotSegment => "must not be \".\" or \"..\"",
                };
                Error::invalid_input(op.method, op.template, name, problem)
            })?;
        }
        path.push_str(rest);
        Ok(Request {
            op,
            path,
            query: Query::default(),
            body: None,
        })
    }
}

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseBody)]
    fn parse_body(text: &JsValue, shape: &str) -> JsValue;
}

/// Parses a 2xx body and checks its top level against the operation's shape (in JS, in one
/// call: this runs on every answer); the inside is handed to the caller untouched.
pub fn parse_checked(shape: &str, text: &JsValue) -> Result<JsValue, &'static str> {
    let body = parse_body(text, shape);
    // parseBody answers a problem as a number; a good body is an object (or `undefined` for an
    // operation whose answer has no content).
    let Some(problem) = body.as_f64() else {
        return Ok(body);
    };
    Err(match problem as u8 {
        1 => "the body is not text",
        2 => "the body is not valid JSON",
        3 => "the body is not a JSON object",
        4 => "the expected top-level object is missing",
        5 => "the expected top-level array is missing",
        _ => "the pagination meta object is missing",
    })
}
