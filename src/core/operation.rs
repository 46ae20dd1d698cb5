//! The nine operations as data: method, route template and the top-level shape of a good
//! answer. Both faces build a [`Request`] from one of these; nothing else knows a route.

use wasm_bindgen::prelude::*;

use super::encode::{push_segment, Query, SegmentError};
use crate::error::Error;

/// What the top level of a 2xx body must hold.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// `{ <key>: { ... } }`
    Object(&'static str),
    /// `{ <key>: [ ... ], meta: { ... } }`
    Page(&'static str),
}

/// One of the nine Customers operations.
#[derive(Debug)]
pub struct Operation {
    /// `GET`, `POST` or `DELETE`.
    pub method: &'static str,
    /// The route as the spec writes it, used in errors raised before a path exists.
    pub template: &'static str,
    /// What a good answer's top level holds.
    pub shape: Shape,
}

macro_rules! operations {
    ($($name:ident = $method:literal $template:literal $shape:expr;)*) => {
        $(
            #[doc = concat!("`", $method, " ", $template, "`")]
            pub static $name: Operation = Operation { method: $method, template: $template, shape: $shape };
        )*
    };
}

operations! {
    CREATE_CUSTOMER = "POST" "/customers" Shape::Object("customer");
    DELETE_APPLIED_COUPON = "DELETE" "/customers/{external_customer_id}/applied_coupons/{applied_coupon_id}" Shape::Object("applied_coupon");
    DESTROY_CUSTOMER = "DELETE" "/customers/{external_customer_id}" Shape::Object("customer");
    FIND_ALL_CUSTOMER_PAST_USAGE = "GET" "/customers/{external_customer_id}/past_usage" Shape::Page("usage_periods");
    FIND_ALL_CUSTOMERS = "GET" "/customers" Shape::Page("customers");
    FIND_CUSTOMER = "GET" "/customers/{external_customer_id}" Shape::Object("customer");
    FIND_CUSTOMER_CURRENT_USAGE = "GET" "/customers/{external_customer_id}/current_usage" Shape::Object("customer_usage");
    GENERATE_CUSTOMER_CHECKOUT_URL = "POST" "/customers/{external_customer_id}/checkout_url" Shape::Object("customer");
    GET_CUSTOMER_PORTAL_URL = "GET" "/customers/{external_customer_id}/portal_url" Shape::Object("customer");
}

/// A checked request, ready for the transport.
#[derive(Debug)]
pub struct Request {
    /// Which of the nine operations this is.
    pub op: &'static Operation,
    /// Encoded path below the base URL, e.g. `/customers/a%2Fb/current_usage`.
    pub path: String,
    /// Encoded query string, without the `?`.
    pub query: Query,
    /// JSON text of the body, for POSTs that have one.
    pub body: Option<String>,
}

/// A piece of a request path.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// A fixed piece such as `/customers`.
    Lit(&'static str),
    /// A caller's id, encoded as one segment; the name is the argument's, for errors.
    Id(&'static str, &'a str),
}

impl Request {
    /// Joins `parts` into the encoded path, refusing ids that would change the route.
    pub fn new(op: &'static Operation, parts: &[Part]) -> Result<Request, Error> {
        let mut path = String::with_capacity(64);
        for part in parts {
            match *part {
                Part::Lit(lit) => path.push_str(lit),
                Part::Id(name, id) => push_segment(&mut path, id).map_err(|e| {
                    let problem = match e {
                        SegmentError::Empty => "must not be empty",
                        SegmentError::DotSegment => "must not be \".\" or \"..\"",
                    };
                    Error::invalid_input(op.method, op.template, name, problem)
                })?,
            }
        }
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
    fn parse_body(text: &JsValue, key: &str, page: bool) -> JsValue;
}

/// Parses a 2xx body and checks its top level against the operation's shape (in JS, in one
/// call: this runs on every answer); the inside is handed to the caller untouched.
pub fn parse_checked(shape: Shape, text: &JsValue) -> Result<JsValue, &'static str> {
    let (key, page) = match shape {
        Shape::Object(key) => (key, false),
        Shape::Page(key) => (key, true),
    };
    let body = parse_body(text, key, page);
    // parseBody answers a problem as a number; a good body is always an object.
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
