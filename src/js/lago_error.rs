//! The one place that turns an [`Error`] into the JS `LagoError`.

use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorKind, RateLimit};

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// Builds the `LagoError` in one call (see `runtime.js`): one crossing per error instead
    /// of one per field. Every parameter a JS value or a number (NaN where absent), so the glue
    /// imports `lagoError` as it is: a `&str`, `Option` or `bool` parameter would each cost
    /// its conversion in a wrapper of the glue (164 B of the JS bundle's gzip).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = lagoError)]
    fn lago_error_js(
        message: JsValue,
        kind: JsValue,
        status: f64,
        code: JsValue,
        error: JsValue,
        field: JsValue,
        body: JsValue,
        body_is_json: JsValue,
        method: JsValue,
        path: JsValue,
        attempts: f64,
        retryable: JsValue,
        may_have_succeeded: JsValue,
        retry_after_ms: f64,
        rate_limited: JsValue,
        limit: f64,
        remaining: f64,
        reset_ms: f64,
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

/// A text as a JS string, `undefined` for none.
fn text(text: Option<&str>) -> JsValue {
    text.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

/// The JS `LagoError`: a real `Error` (so it has a stack) with the fields of the contract as
/// own properties, made by the `LagoError` constructor once the package entry registered it.
/// `cause` is what a network failure was caused by (already redacted), else `undefined`.
pub fn into_js(err: Error, cause: JsValue) -> JsValue {
    let rate_limit = err.rate_limit.as_ref().map(RateLimit::parts);
    let num = |n: Option<f64>| n.unwrap_or(f64::NAN);
    lago_error_js(
        text(Some(&err.message)),
        text(Some(err.kind.as_str())),
        num(err.status.map(f64::from)),
        text(err.code.as_deref()),
        text(err.error.as_deref()),
        text(err.field.as_deref()),
        text(err.body.as_deref()),
        // An error answer's body is handed back parsed when it is JSON; a decode error keeps
        // the raw text it could not use.
        JsValue::from_bool(matches!(err.kind, ErrorKind::Http)),
        text(Some(err.method)),
        text(Some(&err.path)),
        err.attempts.into(),
        JsValue::from_bool(err.retryable),
        JsValue::from_bool(err.may_have_succeeded),
        num(err.retry_after_ms),
        JsValue::from_bool(rate_limit.is_some()),
        num(rate_limit.and_then(|r| r.0)),
        num(rate_limit.and_then(|r| r.1)),
        num(rate_limit.and_then(|r| r.2)),
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
