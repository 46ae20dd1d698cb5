//! Safe reads of JS values the caller or the server handed us. Every access goes through
//! `Reflect` with its error caught, so a getter or proxy that throws becomes an `Err`, never a
//! panic or an exception unwinding through Rust frames.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array_or_throw(v: &JsValue) -> Result<bool, JsValue>;

    /// `JSON.parse` on a JS string, without copying it through wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// Most items read from one caller array: a Proxy can claim a length of 2^32 - 1.
pub const MAX_ITEMS: u32 = 10_000;

/// `target[key]`, or `Err` when `target` is not an object or the read throws.
pub fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if !target.is_object() && !target.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(target, &JsValue::from_str(key))
}

/// `target[key]` when it is a function; `None` when it is not or the read throws.
pub fn get_fn(target: &JsValue, key: &str) -> Option<Function> {
    as_fn(get(target, key).ok()?)
}

/// `v` as a function when `typeof v === "function"` (no `instanceof`, which a Proxy can make
/// throw).
pub fn as_fn(v: JsValue) -> Option<Function> {
    v.is_function().then(|| v.unchecked_into())
}

/// Sets `target[key] = value` on an object we created ourselves.
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Only ever called on plain objects this crate made, where a set cannot throw.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A plain object, not an array, function or `null` (nor a revoked Proxy).
pub fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && is_array_or_throw(v) == Ok(false)
}

/// Whether `v` is an array; `Err` when even asking throws (a revoked Proxy).
pub fn is_array(v: &JsValue) -> Result<bool, JsValue> {
    is_array_or_throw(v)
}

/// The items of a caller's array, read one by one through `Reflect` so a throwing Proxy is an
/// `Err`; `Ok(None)` when `v` is not an array; `Err` too above [`MAX_ITEMS`].
pub fn array_items(v: &JsValue) -> Result<Option<Vec<JsValue>>, JsValue> {
    if !is_array(v)? {
        return Ok(None);
    }
    let len = get(v, "length")?.as_f64().unwrap_or(0.0);
    if !(0.0..=f64::from(MAX_ITEMS)).contains(&len) {
        return Err(JsValue::from_str("too many items"));
    }
    let mut items = Vec::with_capacity(len as usize);
    for i in 0..len as u32 {
        items.push(Reflect::get_u32(v, i)?);
    }
    Ok(Some(items))
}

/// The object's own enumerable string keys, or `Err` when listing them throws (proxies).
pub fn keys(obj: &JsValue) -> Result<Vec<String>, JsValue> {
    if !obj.is_object() {
        return Ok(Vec::new());
    }
    let obj: &Object = obj.unchecked_ref();
    let keys = js_sys::Reflect::own_keys(obj)?;
    let mut out = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        }; // symbols
        let desc = Reflect::get_own_property_descriptor(obj, &key)?;
        if get(&desc, "enumerable")?.is_truthy() {
            out.push(name);
        }
    }
    Ok(out)
}

/// A number that is a whole number (`1`, `2.0`), as `f64`.
pub fn as_integer(v: &JsValue) -> Option<f64> {
    v.as_f64().filter(|n| n.is_finite() && n.fract() == 0.0)
}

/// `String(value)` for the message of something thrown at us, bounded so a hostile value cannot
/// make a huge message. Never throws.
pub fn describe(v: &JsValue) -> String {
    let text = get(v, "message")
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| v.as_string())
        .unwrap_or_else(|| String::from("unknown error"));
    truncate(text, 200)
}

/// Cuts `s` to at most `max` bytes on a char boundary.
pub fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}
