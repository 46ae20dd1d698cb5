//! The two `macro_rules!` every model file uses, so that tolerant decoding, the `extra` map and
//! drift reporting are written once instead of by hand on 30 types.

/// Declares a string enum that tolerates values Lago adds ahead of its spec.
///
/// Usage:
/// ```text
/// string_enum! {
///     /// Why the enum exists.
///     pub enum AccountType {
///         /// A regular customer.
///         Customer => "customer",
///         /// A partner account.
///         Partner => "partner",
///     }
/// }
/// ```
/// Generates the enum plus an `Other(String)` catch-all, `as_str()`, `From<&str>`,
/// `From<String>`, `Default` (= `Other("")`, what a `null` or missing required value decodes to),
/// `Serialize`/`Deserialize` through the wire string (unknown strings round-trip verbatim), and
/// [`SpecDrift`](crate::models::SpecDrift) reporting `Other` values.
macro_rules! string_enum {
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
            /// A value this SDK does not know (Lago's server runs ahead of its spec); kept verbatim
            /// and serialized back unchanged. Build values with `From<&str>` so known strings map
            /// to their own variant.
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

        impl Default for $name {
            fn default() -> Self {
                Self::Other(String::new())
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

/// Declares a model struct: adds the derives, the `extra` map that keeps unknown fields, and a
/// [`SpecDrift`](crate::models::SpecDrift) impl that visits every field (so none can be forgotten).
///
/// Usage: write the struct as usual (doc comments and `#[serde(...)]` attributes on fields
/// allowed, every field `pub`) inside `model! { ... }`; do not declare `extra` yourself.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Fields this SDK does not model yet: kept on decode and serialized back unchanged
            /// (also the place to send an explicit `null`, e.g. `"country": null` to clear it).
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $crate::models::SpecDrift for $name {
            fn collect_drift(&self, path: &str, out: &mut Vec<$crate::models::DriftItem>) {
                for key in self.extra.keys() {
                    out.push($crate::models::DriftItem::UnknownField {
                        path: $crate::models::drift::join_path(path, key),
                    });
                }
                $(
                    $crate::models::SpecDrift::collect_drift(
                        &self.$field,
                        &$crate::models::drift::join_path(path, stringify!($field)),
                        out,
                    );
                )*
            }
        }
    };
}

pub(crate) use model;
pub(crate) use string_enum;
