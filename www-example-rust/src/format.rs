//! How values read on the page: money through the browser's `Intl.NumberFormat` (it knows each
//! currency's symbol and minor units), dates as their ISO day.

use js_sys::{Array, Function, Intl::NumberFormat, Object, Reflect};
use lago_wasm::models::{Customer, NumOrStr};
use wasm_bindgen::JsValue;

/// `cents` (an amount in the currency's minor unit, as Lago sends it) in `currency`, e.g.
/// `$1,234.50`; the raw value and code when either is not usable.
pub fn money(cents: Option<&NumOrStr>, currency: &str) -> String {
    let Some(cents) = cents else {
        return "—".into();
    };
    let raw = || format!("{cents} {currency} (minor units)");
    // Intl throws on a malformed code, and this binding does not catch: check it first.
    let well_formed = currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_alphabetic());
    let Some(value) = cents.as_f64().filter(|_| well_formed) else {
        return raw();
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = Reflect::set(&options, &"currency".into(), &currency.into());
    let nf = NumberFormat::new(&Array::of1(&"en".into()), &options);
    let digits = Reflect::get(&nf.resolved_options(), &"maximumFractionDigits".into())
        .ok()
        .and_then(|d| d.as_f64())
        .unwrap_or(2.0);
    let format: Function = nf.format();
    format
        .call1(&JsValue::NULL, &(value / 10f64.powf(digits)).into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(raw)
}

/// The day of an ISO 8601 timestamp (`2026-11-01T00:00:00Z` → `2026-11-01`).
pub fn day(iso: Option<&str>) -> String {
    match iso {
        Some(s) => s.get(..10).unwrap_or(s).to_string(),
        None => "—".into(),
    }
}

/// A customer's name: `name`, else first and last name, else the external id.
pub fn customer_name(c: &Customer) -> String {
    let first_last = [c.firstname.as_deref(), c.lastname.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    match c.name.as_deref() {
        Some(name) if !name.trim().is_empty() => name.to_string(),
        _ if !first_last.trim().is_empty() => first_last,
        _ => c.external_id.clone(),
    }
}

/// An optional text field, or a dash.
pub fn text(value: Option<&str>) -> String {
    value.filter(|s| !s.is_empty()).unwrap_or("—").to_string()
}
