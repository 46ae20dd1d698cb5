//! The one place that turns an [`Error`] into the JS `LagoError`.

use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorKind, RateLimit};

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// Builds the `LagoError` in one call (see `runtime.js`): one crossing per error instead
    /// of one per field.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = lagoError)]
    fn lago_error_js(
        message: &str,
        kind: &str,
        status: Option<u16>,
        code: Option<&str>,
        error: Option<&str>,
        field: Option<&str>,
        body: Option<&str>,
        parse_body: bool,
        method: &str,
        path: &str,
        attempts: u32,
        retryable: bool,
        may_have_succeeded: bool,
        retry_after_ms: Option<f64>,
        rate_limited: bool,
        limit: Option<f64>,
        remaining: Option<f64>,
        reset_ms: Option<f64>,
        cause: JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = registerLagoError)]
    fn register_lago_error_js(prototype: JsValue);
}

impl From<Error> for JsValue {
    fn from(err: Error) -> JsValue {
        into_js(err, JsValue::UNDEFINED)
    }
}

/// The JS `LagoError`: a real `Error` (so it has a stack) with the fields of the contract as
/// own properties, made by the `LagoError` constructor once the package entry registered it.
/// `cause` is what a network failure was caused by (already redacted), else `undefined`.
pub fn into_js(err: Error, cause: JsValue) -> JsValue {
    let rate_limit = err.rate_limit.as_ref().map(RateLimit::parts);
    lago_error_js(
        &err.message,
        err.kind.as_str(),
        err.status,
        // Borrowed: an owned `String` crosses as a boxed slice, shrunk first (code and a panic
        // path for each).
        err.code.as_deref(),
        err.error.as_deref(),
        err.field.as_deref(),
        err.body.as_deref(),
        // An error answer's body is handed back parsed when it is JSON; a decode error keeps
        // the raw text it could not use.
        matches!(err.kind, ErrorKind::Http),
        err.method,
        &err.path,
        err.attempts,
        err.retryable,
        err.may_have_succeeded,
        err.retry_after_ms,
        rate_limit.is_some(),
        rate_limit.and_then(|r| r.0),
        rate_limit.and_then(|r| r.1),
        rate_limit.and_then(|r| r.2),
        cause,
    )
}

/// Called once by the package entry with `LagoError.prototype` (a class that extends `Error`,
/// defined in JS because wasm-bindgen cannot export a subclass of `Error`), so errors made here
/// satisfy `err instanceof LagoError`.
#[wasm_bindgen(js_name = __registerLagoError, skip_typescript)]
pub fn register_lago_error(prototype: JsValue) {
    register_lago_error_js(prototype);
}
