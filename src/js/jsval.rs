//! Safe reads of JS values the caller or the server handed us. Every access that JS can make
//! throw (a getter, a Proxy trap, `toJSON`, invalid JSON) runs inside a try/catch in
//! `runtime.js`, which hands back a marker instead: no exception ever crosses into wasm, so
//! nothing unwinds through Rust frames, and no caught exception is left holding an externref
//! slot (wasm-bindgen's `catch` imports leaked one per exception; see tests/node/load.test.mjs).

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// Whether `v` is what the functions below return when JS threw (`THROWN`). Asked of JS
    /// rather than read from an imported static: wasm-bindgen's lazy static brings a panic,
    /// and with it `core::fmt`, into the wasm.
    #[wasm_bindgen(js_name = isThrown)]
    fn is_thrown(v: &JsValue) -> bool;
    #[wasm_bindgen(js_name = get)]
    fn get_js(target: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isArray)]
    fn is_array_js(v: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = keys)]
    fn keys_js(v: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = stringifyJson)]
    fn stringify_json_js(v: &JsValue) -> JsValue;
    // js-sys's `Reflect.set` is a `catch` import: the glue wraps it in its exception handler.
    #[wasm_bindgen(js_name = set)]
    fn set_js(target: &JsValue, key: &JsValue, value: &JsValue);
    // Instead of `JsValue::as_f64`, whose intrinsic writes an `Option<f64>` through a `DataView`
    // in the glue: NaN for anything that is not a number.
    #[wasm_bindgen(js_name = num)]
    fn num_js(v: &JsValue) -> f64;
    // Instead of `JsValue::as_bool`'s intrinsic, likewise: 0 or 1 for a boolean, 2 otherwise.
    #[wasm_bindgen(js_name = bool)]
    fn bool_js(v: &JsValue) -> u8;
}

/// `v` if it is a boolean.
pub fn boolean(v: &JsValue) -> Option<bool> {
    match bool_js(v) {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

/// `v` if it is a number other than NaN (no caller tells NaN from a non-number: each refuses
/// both).
pub fn number(v: &JsValue) -> Option<f64> {
    Some(num_js(v)).filter(|n| !n.is_nan())
}

/// JS threw while we read a caller's or server's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thrown;

fn checked(v: JsValue) -> Result<JsValue, Thrown> {
    if is_thrown(&v) {
        Err(Thrown)
    } else {
        Ok(v)
    }
}

/// Most items read from one caller array: a Proxy can claim a length of 2^32 - 1.
pub const MAX_ITEMS: u32 = 10_000;

/// `target[key]`; `undefined` when `target` is not an object.
pub fn get(target: &JsValue, key: &str) -> Result<JsValue, Thrown> {
    if !target.is_object() && !target.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    checked(get_js(target, &JsValue::from_str(key)))
}

/// `JSON.stringify(v)` (a JS string, or `undefined` when there is no text); `Err` when it
/// throws (a cycle, a BigInt, `toJSON`).
pub fn json_stringify(v: &JsValue) -> Result<JsValue, Thrown> {
    checked(stringify_json_js(v))
}

/// `v` as a function when `typeof v === "function"` (no `instanceof`, which a Proxy can make
/// throw).
pub fn as_fn(v: JsValue) -> Option<Function> {
    v.is_function().then(|| v.unchecked_into())
}

/// Sets `target[key] = value` on an object we created ourselves.
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    set_js(target, &JsValue::from_str(key), value);
}

/// A plain object, not an array, function or `null` (nor a revoked Proxy).
pub fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && is_array(v) == Ok(false)
}

/// Whether `v` is an array; `Err` when even asking throws (a revoked Proxy).
pub fn is_array(v: &JsValue) -> Result<bool, Thrown> {
    checked(is_array_js(v)).map(|b| boolean(&b) == Some(true))
}

/// The items of a caller's array, read one by one so a throwing Proxy is an `Err`; `Ok(None)`
/// when `v` is not an array; `Err` too above [`MAX_ITEMS`].
pub fn array_items(v: &JsValue) -> Result<Option<Vec<JsValue>>, Thrown> {
    if !is_array(v)? {
        return Ok(None);
    }
    let len = number(&get(v, "length")?).unwrap_or(0.0);
    if !(0.0..=f64::from(MAX_ITEMS)).contains(&len) {
        return Err(Thrown);
    }
    let mut items = Vec::with_capacity(len as usize);
    for i in 0..len as u32 {
        items.push(checked(get_js(v, &JsValue::from(i)))?);
    }
    Ok(Some(items))
}

/// The object's own enumerable string keys (`Object.keys`), or `Err` when listing them throws.
pub fn keys(obj: &JsValue) -> Result<Vec<String>, Thrown> {
    if !obj.is_object() {
        return Ok(Vec::new());
    }
    // Read as any array is (js-sys's `Array` iterator would be two more imports).
    let keys = array_items(&checked(keys_js(obj))?)?.unwrap_or_default();
    Ok(keys.iter().filter_map(JsValue::as_string).collect())
}

/// A number that is a whole number (`1`, `2.0`), as `f64`.
pub fn as_integer(v: &JsValue) -> Option<f64> {
    number(v).filter(|n| n.is_finite() && n.fract() == 0.0)
}
