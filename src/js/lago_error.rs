//! The one place that turns an [`Error`] into the JS `LagoError`.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::jsval;
use crate::error::{Error, ErrorKind};

impl From<Error> for JsValue {
    fn from(err: Error) -> JsValue {
        into_js(err, JsValue::UNDEFINED)
    }
}

/// Builds the JS `LagoError`: a real `Error` (so it has a stack) with the fields of the
/// contract as own properties, on `LagoError.prototype` once the package entry registered it.
/// `cause` is what a network failure was caused by (already redacted), else `undefined`.
pub fn into_js(err: Error, cause: JsValue) -> JsValue {
    let e: JsValue = js_sys::Error::new(&err.message).into();
    let set = |key: &str, value: &JsValue| jsval::set(&e, key, value);
    let set_str = |key: &str, value: Option<&str>| {
        if let Some(value) = value {
            set(key, &JsValue::from_str(value));
        }
    };
    set("name", &JsValue::from_str("LagoError"));
    set("kind", &JsValue::from_str(err.kind.as_str()));
    if let Some(status) = err.status {
        set("status", &JsValue::from(status));
    }
    set_str("code", err.code.as_deref());
    set_str("error", err.error.as_deref());
    set_str("field", err.field.as_deref());
    if let Some(text) = err.body {
        // An error answer's body parsed when it is JSON, else its text (`details` is its
        // `error_details`); a decode error keeps the raw text it could not use.
        let text = JsValue::from_str(&text);
        let body = match err.kind {
            ErrorKind::Http => jsval::json_parse(&text).unwrap_or(text),
            _ => text,
        };
        if let Ok(details) = jsval::get(&body, "error_details") {
            if !details.is_undefined() {
                set("details", &details);
            }
        }
        set("body", &body);
    }
    set("method", &JsValue::from_str(err.method));
    set("path", &JsValue::from_str(&err.path));
    set("attempts", &JsValue::from(err.attempts));
    set("retryable", &JsValue::from_bool(err.retryable));
    if let Some(ms) = err.retry_after_ms {
        set("retryAfterMs", &JsValue::from_f64(ms));
    }
    if let Some(r) = &err.rate_limit {
        let obj: JsValue = js_sys::Object::new().into();
        let num = |v: Option<f64>| v.map_or(JsValue::UNDEFINED, JsValue::from_f64);
        jsval::set(&obj, "limit", &num(r.limit));
        jsval::set(&obj, "remaining", &num(r.remaining));
        jsval::set(&obj, "resetMs", &num(r.reset_ms));
        set("rateLimit", &obj);
    }
    if !cause.is_undefined() {
        set("cause", &cause);
    }
    PROTOTYPE.with(|proto| {
        if let Some(proto) = proto.borrow().as_ref() {
            js_sys::Object::set_prototype_of(e.unchecked_ref::<js_sys::Object>(), proto);
        }
    });
    e
}

thread_local! {
    static PROTOTYPE: RefCell<Option<js_sys::Object>> = const { RefCell::new(None) };
}

/// Called once by the package entry with `LagoError.prototype` (a class that extends `Error`,
/// defined in JS because wasm-bindgen cannot export a subclass of `Error`), so errors made here
/// satisfy `err instanceof LagoError`.
#[wasm_bindgen(js_name = __registerLagoError, skip_typescript)]
pub fn register_lago_error(prototype: JsValue) {
    if prototype.is_object() {
        PROTOTYPE.with(|p| *p.borrow_mut() = Some(prototype.into()));
    }
}
