//! The few hand-written types and macros the generated models are made of. One generic
//! [`Field`] and one [`NumOrStr`] serve every model, so the wasm carries one copy of each
//! decoding rule instead of one per field.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

pub(crate) use serde::{Deserialize, Serialize};
pub(crate) use serde_json::{Map, Value};

/// A field of a Lago body that may be absent, an explicit `null`, or a value.
///
/// Lago gives the three different meanings: an absent field was not sent (an older server, a
/// list item), `null` is a value the server chose (e.g. `address_line2: null`), and in a create or
/// update body an explicit `null` clears the field while an absent one leaves it alone. An
/// `Option<Option<T>>` says the same but reads badly; this says it by name. Use it with
/// `#[serde(default, skip_serializing_if = "Field::is_absent")]`, as the generated models do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Field<T> {
    /// Not in the body: never sent back.
    #[default]
    Absent,
    /// An explicit `null`: sent back as `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Field<T> {
    /// Whether the field was left out; `skip_serializing_if` uses it to keep it out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the field is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, mutably, if there is one.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value through `Deref` (e.g. `&str` for a `Field<String>`), like `Option::as_deref`.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: Deref,
    {
        self.value().map(Deref::deref)
    }

    /// Whether there is a value (neither absent nor `null`), like `Option::is_some`.
    pub fn is_value(&self) -> bool {
        matches!(self, Self::Value(_))
    }

    /// A `Field` of a reference to the value, absent or `null` as this one is.
    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Self::Value(value) => Field::Value(value),
            Self::Absent => Field::Absent,
            Self::Null => Field::Null,
        }
    }

    /// A `Field` of a mutable reference to the value, absent or `null` as this one is.
    pub fn as_mut(&mut self) -> Field<&mut T> {
        match self {
            Self::Value(value) => Field::Value(value),
            Self::Absent => Field::Absent,
            Self::Null => Field::Null,
        }
    }

    /// The value mapped with `f`; absent stays absent and `null` stays `null` (so a body built
    /// from a read one keeps what each field meant).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Self::Value(value) => Field::Value(f(value)),
            Self::Absent => Field::Absent,
            Self::Null => Field::Null,
        }
    }

    /// `f` of the value; absent stays absent and `null` stays `null`.
    pub fn and_then<U>(self, f: impl FnOnce(T) -> Field<U>) -> Field<U> {
        match self {
            Self::Value(value) => f(value),
            Self::Absent => Field::Absent,
            Self::Null => Field::Null,
        }
    }

    /// The value, or `default` when absent or `null`.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_value().unwrap_or(default)
    }

    /// The value, or `f()` when absent or `null`.
    pub fn unwrap_or_else(self, f: impl FnOnce() -> T) -> T {
        self.into_value().unwrap_or_else(f)
    }

    /// The value, or `T::default()` when absent or `null`.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_value().unwrap_or_default()
    }

    /// Takes the field out, leaving it absent.
    pub fn take(&mut self) -> Field<T> {
        std::mem::replace(self, Field::Absent)
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

/// `Some` is a value and `None` an explicit `null`: in a body, `None` clears the field. To leave
/// a field out, use [`Field::Absent`] (the default).
impl<T> From<Option<T>> for Field<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Self::Value(value),
            None => Self::Null,
        }
    }
}

/// The value, if there is one (absent and `null` both give `None`).
impl<T> From<Field<T>> for Option<T> {
    fn from(field: Field<T>) -> Self {
        field.into_value()
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // `Absent` is skipped by `skip_serializing_if`; reached only outside a struct (e.g. a
            // bare `Field` serialized on its own), where `null` is the nearest JSON.
            Self::Absent | Self::Null => serializer.serialize_none(),
            Self::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Reached only when the key is present (absence is `#[serde(default)]`): `null` or value.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}

/// A number that Lago sends as a JSON number or as a decimal string, kept in the form it came in.
///
/// The spec and the server disagree field by field and version by version (e.g. a usage
/// charge's `pricing_unit_details.conversion_rate` is `"0.5"` in the spec and `1.0` on the
/// wire), so a typed `f64` or `String` would fail on one of them, and converting would change
/// the JSON on the way back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NumOrStr {
    /// A JSON number (integer or float, as serde_json keeps it).
    Num(serde_json::Number),
    /// A JSON string, usually a decimal such as `"12.50"`.
    Str(String),
}

impl NumOrStr {
    /// The value as an `f64`, from either form; `None` for a string that is not a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Num(n) => n.as_f64(),
            Self::Str(s) => s.trim().parse().ok(),
        }
    }

    /// The value as an `i64` when it is a whole number in range, from either form.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Num(n) => n.as_i64(),
            Self::Str(s) => s.trim().parse().ok(),
        }
    }

    /// The value as a `u64` when it is a non-negative whole number, from either form.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Num(n) => n.as_u64(),
            Self::Str(s) => s.trim().parse().ok(),
        }
    }

    /// The string as sent, when it came as a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            Self::Num(_) => None,
        }
    }
}

/// The exact text of a string, and serde_json's text of a number (`1.0` stays `1.0`).
impl fmt::Display for NumOrStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Num(n) => fmt::Display::fmt(n, f),
            Self::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for NumOrStr {
    fn from(value: i64) -> Self {
        Self::Num(value.into())
    }
}

impl From<u64> for NumOrStr {
    fn from(value: u64) -> Self {
        Self::Num(value.into())
    }
}

impl From<&str> for NumOrStr {
    fn from(value: &str) -> Self {
        Self::Str(value.to_owned())
    }
}

impl From<String> for NumOrStr {
    fn from(value: String) -> Self {
        Self::Str(value)
    }
}

impl Serialize for NumOrStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Num(n) => n.serialize(serializer),
            Self::Str(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for NumOrStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor rather than `#[serde(untagged)]`: no buffering, and a clear error message.
        struct NumOrStrVisitor;

        impl Visitor<'_> for NumOrStrVisitor {
            type Value = NumOrStr;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a numeric string")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumOrStr, E> {
                Ok(NumOrStr::Num(v.into()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumOrStr, E> {
                Ok(NumOrStr::Num(v.into()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumOrStr, E> {
                serde_json::Number::from_f64(v)
                    .map(NumOrStr::Num)
                    .ok_or_else(|| E::custom("a finite number"))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumOrStr, E> {
                Ok(NumOrStr::Str(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<NumOrStr, E> {
                Ok(NumOrStr::Str(v))
            }
        }

        deserializer.deserialize_any(NumOrStrVisitor)
    }
}

/// The decoding of a generated model (those that have a `Default`), written once here instead
/// of `#[derive(Deserialize)]` per model: the derive compiles, per model, a key visitor, a loop
/// with one arm and one `Option` slot per field, the error paths that drop every slot, and (for
/// the `flatten`ed `extra`) a buffer of unknown keys replayed at the end. Here each model adds
/// only [`ModelFields::read_field`] (one `next_value` per field) and its tables; the loop, the
/// key lookup and the checks are one generic function. The rules are the derive's: a key read
/// twice is `duplicate field`, a required key left out is `missing field` (the first in field
/// order), any other key is kept in `extra` (the last of a repeated one wins), a non-object is
/// refused as `struct Name`.
pub(crate) trait ModelFields: Default {
    /// What a non-object is refused as: `struct Name`, as the derive says.
    const EXPECTING: &'static str;
    /// The modelled keys in field order (at most 128: bits of [`ModelFields::REQUIRED`]).
    const FIELDS: &'static [&'static str];
    /// Bit `i` set: `FIELDS[i]` is required (a missing one is refused).
    const REQUIRED: u128;
    /// Reads the value of key `FIELDS[index]` into its field.
    fn read_field<'de, A: de::MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// The model's `extra` map.
    fn extra(&mut self) -> &mut Map<String, Value>;
}

/// `Deserialize::deserialize` of every [`ModelFields`] model.
pub(crate) fn decode_model<'de, D: Deserializer<'de>, T: ModelFields>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor(PhantomData))
}

struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: ModelFields> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut model = T::default();
        read_fields(&mut map, T::FIELDS, T::REQUIRED, &mut model)?;
        Ok(model)
    }
}

/// A model as [`read_fields`] fills it: [`ModelFields`] behind a `dyn`, so that the loop is
/// compiled once per input type rather than once per model.
trait FieldSink<'de, A: de::MapAccess<'de>> {
    fn read(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;
    fn extra(&mut self) -> &mut Map<String, Value>;
}

impl<'de, A: de::MapAccess<'de>, T: ModelFields> FieldSink<'de, A> for T {
    fn read(&mut self, index: usize, map: &mut A) -> Result<(), A::Error> {
        self.read_field(index, map)
    }

    fn extra(&mut self) -> &mut Map<String, Value> {
        ModelFields::extra(self)
    }
}

/// The loop of every model's decoding: each key's value goes to its field (`fields[i]` to
/// `read(i)`) or, for a key the model does not list, into `extra`; then the required keys are
/// checked. Out of line: inlined, it was one copy per model in each call's future.
#[inline(never)]
fn read_fields<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    required: u128,
    model: &mut dyn FieldSink<'de, A>,
) -> Result<(), A::Error> {
    let mut seen: u128 = 0;
    while let Some(Key(key)) = map.next_key()? {
        match fields.iter().position(|field| *field == key) {
            Some(index) => {
                if seen & (1 << index) != 0 {
                    return Err(de::Error::duplicate_field(fields[index]));
                }
                seen |= 1 << index;
                model.read(index, map)?;
            }
            None => {
                let value = map.next_value()?;
                model.extra().insert(key.into_owned(), value);
            }
        }
    }
    match required & !seen {
        0 => Ok(()),
        missing => Err(de::Error::missing_field(
            fields[missing.trailing_zeros() as usize],
        )),
    }
}

/// Reads the value of a model's field into it (what each arm of a [`ModelFields::read_field`]
/// does). Out of line, so that it is compiled once per value type (a `Field<String>`, say) for
/// every field of every model that has it, rather than inlined into every arm.
#[inline(never)]
pub(crate) fn read<'de, A: de::MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// A key of a model's object: borrowed from the input when it can be (no allocation for the
/// modelled keys), owned when it had escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Conversion of a model to and from a plain JS value, for Rust apps that hand models to JS code.
///
/// It uses `serde_wasm_bindgen::Serializer::json_compatible()`: objects (never `Map`s, which the
/// `extra` maps would otherwise become), `null` kept as `null`, integers as numbers. The JS face
/// never calls it: it hands back the body JS parsed (see the README).
pub trait JsModel: Serialize + serde::de::DeserializeOwned {
    /// The model as a plain JS object, exactly the JSON Lago sent.
    #[cfg(target_arch = "wasm32")]
    fn to_js(&self) -> Result<wasm_bindgen::JsValue, serde_wasm_bindgen::Error> {
        self.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
    }

    /// Reads the model from a JS value (e.g. one built by JS code), with the same rules as JSON.
    #[cfg(target_arch = "wasm32")]
    fn from_js(value: wasm_bindgen::JsValue) -> Result<Self, serde_wasm_bindgen::Error> {
        serde_wasm_bindgen::from_value(value)
    }
}

/// Declares an open string enum: one variant per value the spec lists, plus `Other(String)`
/// that keeps any value the server sends ahead of the spec and sends it back verbatim.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know yet, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The wire string, exactly as Lago spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $wire => Self::$variant, )+
                    _ => Self::Other(value),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl $crate::models::SpecDrift for $name {
            fn collect_drift(&self, path: &str, out: &mut Vec<$crate::models::DriftItem>) {
                if let Self::Other(value) = self {
                    out.push($crate::models::DriftItem::UnknownValue {
                        path: path.to_owned(),
                        value: value.clone(),
                    });
                }
            }
        }
    };
}

/// The trait impls of a generated struct: drift reporting over every field (so none can be
/// forgotten) and [`JsModel`].
macro_rules! model_impls {
    ($name:ident: $($field:ident),* $(,)?) => {
        impl $crate::models::SpecDrift for $name {
            fn collect_drift(&self, path: &str, out: &mut Vec<$crate::models::DriftItem>) {
                $crate::models::drift::extra_drift(&self.extra, path, out);
                $(
                    $crate::models::SpecDrift::collect_drift(
                        &self.$field,
                        &$crate::models::drift::join_path(path, stringify!($field)),
                        out,
                    );
                )*
            }
        }

        impl $crate::models::JsModel for $name {}
    };
}

/// The trait impls of a generated `oneOf` body: drift of whichever variant decoded, and
/// [`JsModel`].
macro_rules! union_impls {
    ($name:ident: $($variant:ident),+ $(,)?) => {
        impl $crate::models::SpecDrift for $name {
            fn collect_drift(&self, path: &str, out: &mut Vec<$crate::models::DriftItem>) {
                match self {
                    $( Self::$variant(value) => $crate::models::SpecDrift::collect_drift(&**value, path, out), )+
                }
            }
        }

        impl $crate::models::JsModel for $name {}
    };
}

pub(crate) use model_impls;
pub(crate) use open_enum;
pub(crate) use union_impls;

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn field_maps_and_unwraps_as_option_does_keeping_absent_and_null_apart() {
        let value: Field<u32> = Field::Value(2);
        assert_eq!(value.clone().map(|n| n * 10), Field::Value(20));
        assert_eq!(Field::<u32>::Absent.map(|n| n * 10), Field::Absent);
        assert_eq!(Field::<u32>::Null.map(|n| n * 10), Field::Null);
        assert_eq!(value.clone().and_then(|_| Field::<u8>::Null), Field::Null);
        assert_eq!(Field::<u32>::Absent.and_then(Field::Value), Field::Absent);

        assert_eq!(value.clone().unwrap_or(7), 2);
        assert_eq!(Field::Null.unwrap_or(7), 7);
        assert_eq!(Field::Absent.unwrap_or_else(|| 8), 8);
        assert_eq!(Field::<u32>::Null.unwrap_or_default(), 0);
        assert!(value.is_value() && !Field::<u32>::Null.is_value());
    }

    #[test]
    fn field_borrows_and_takes() {
        let mut name: Field<String> = "acme".to_string().into();
        assert_eq!(name.as_ref().map(|s| s.len()), Field::Value(4));
        assert_eq!(Field::<String>::Null.as_ref(), Field::Null);
        if let Field::Value(s) = name.as_mut() {
            s.push('!');
        }
        assert_eq!(name.as_deref(), Some("acme!"));
        assert_eq!(name.take(), Field::Value("acme!".to_string()));
        assert!(name.is_absent());
    }

    #[test]
    fn field_converts_from_and_into_option() {
        assert_eq!(Field::from(Some(3)), Field::Value(3));
        // `None` is an explicit null: in a body it clears the field.
        assert_eq!(Field::<i32>::from(None), Field::Null);
        assert_eq!(Option::from(Field::Value(3)), Some(3));
        assert_eq!(Option::<i32>::from(Field::Null), None);
        assert_eq!(Option::<i32>::from(Field::Absent), None);
        let named: Field<String> = Some("x".to_string()).into();
        assert_eq!(serde_json::to_string(&named).unwrap(), "\"x\"");
        let cleared: Field<String> = None.into();
        assert_eq!(serde_json::to_string(&cleared).unwrap(), "null");
    }

    /// `decode_model` keeps the derive's rules (and words): what the models decoded with before.
    #[test]
    fn models_decode_by_the_derives_rules() {
        use crate::models::CustomerResponse;
        let decode = |text: &str| serde_json::from_str::<CustomerResponse>(text);
        let err = |text: &str| decode(text).unwrap_err().to_string();

        // A customer has its ids, which Lago always sends (see the generator).
        let ids = r#""lago_id": "1a90", "external_id": "acme""#;
        let twice = format!(r#"{{"customer": {{{ids}}}, "customer": {{{ids}}}}}"#);
        assert!(err(&twice).starts_with("duplicate field `customer`"));
        assert!(err(r#"{"other": 1}"#).starts_with("missing field `customer`"));
        assert!(
            err(r#"{"customer": {"lago_id": "1a90"}}"#).starts_with("missing field `external_id`")
        );
        assert!(err("1").starts_with("invalid type: integer `1`, expected struct CustomerResponse"));
        assert!(err(r#"{"customer": {"name": 5}}"#).starts_with("invalid type: integer `5`"));

        // Unknown keys are kept (the last of a repeated one), escaped keys matched unescaped,
        // and the whole body goes back out as it came.
        let text = format!(r#"{{"x":1,"customer":{{{ids},"name":"A","name2":null}},"x":[2]}}"#);
        let body = decode(&text).unwrap();
        assert_eq!(body.customer.name, Field::Value("A".to_owned()));
        assert_eq!(body.customer.lago_id, "1a90");
        assert_eq!(body.extra["x"], serde_json::json!([2]));
        assert_eq!(body.customer.extra["name2"], serde_json::Value::Null);
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"customer": {"lago_id": "1a90", "external_id": "acme",
                "name": "A", "name2": null}, "x": [2]})
        );
    }
}
