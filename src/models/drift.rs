//! Reporting where a decoded answer goes beyond what this SDK's models know: fields that landed in
//! an `extra` map and enum values that landed in an `Other` variant. Callers can log it to spot
//! server drift; the spec tests use it to prove every spec property is a model field.

use std::fmt;

use super::support::{Field, NumOrStr};

/// One place where a value goes beyond the models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftItem {
    /// A field the model has no field for (kept in an `extra` map).
    UnknownField {
        /// Dotted path, e.g. `customer.external_salesforce_id` or `customers[0].foo`.
        path: String,
    },
    /// An enum value the model has no variant for (kept in an `Other` variant).
    UnknownValue {
        /// Dotted path of the field holding the value.
        path: String,
        /// The value as received.
        value: String,
    },
}

impl fmt::Display for DriftItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownField { path } => write!(f, "unknown field `{path}`"),
            Self::UnknownValue { path, value } => write!(f, "unknown value {value:?} at `{path}`"),
        }
    }
}

/// Walks a decoded model and reports every [`DriftItem`] in it.
pub trait SpecDrift {
    /// Appends this value's drift to `out`; `path` is where this value sits ("" at the root).
    /// The generated models' walk, not for callers (who call [`SpecDrift::drift`]); hidden
    /// rather than private because a trait's methods cannot be.
    #[doc(hidden)]
    fn collect_drift(&self, path: &str, out: &mut Vec<DriftItem>);

    /// All drift in this value; empty when everything decoded into known fields and variants.
    fn drift(&self) -> Vec<DriftItem> {
        let mut out = Vec::new();
        self.collect_drift("", &mut out);
        out
    }
}

/// Joins a parent path and a field name (`r#type` is reported as `type`).
pub(crate) fn join_path(parent: &str, field: &str) -> String {
    let field = field.trim_start_matches("r#");
    if parent.is_empty() {
        field.to_owned()
    } else {
        format!("{parent}.{field}")
    }
}

/// Reports each key of a model's `extra` map: a field the model lacks.
pub(crate) fn extra_drift(
    extra: &serde_json::Map<String, serde_json::Value>,
    path: &str,
    out: &mut Vec<DriftItem>,
) {
    for key in extra.keys() {
        out.push(DriftItem::UnknownField {
            path: join_path(path, key),
        });
    }
}

impl<T: SpecDrift> SpecDrift for Option<T> {
    fn collect_drift(&self, path: &str, out: &mut Vec<DriftItem>) {
        if let Some(value) = self {
            value.collect_drift(path, out);
        }
    }
}

impl<T: SpecDrift> SpecDrift for Field<T> {
    fn collect_drift(&self, path: &str, out: &mut Vec<DriftItem>) {
        if let Field::Value(value) = self {
            value.collect_drift(path, out);
        }
    }
}

impl<T: SpecDrift> SpecDrift for Vec<T> {
    fn collect_drift(&self, path: &str, out: &mut Vec<DriftItem>) {
        for (index, item) in self.iter().enumerate() {
            item.collect_drift(&format!("{path}[{index}]"), out);
        }
    }
}

/// Scalars and free-form JSON (maps of user data) have no schema of their own: nothing to report.
macro_rules! no_drift {
    ($($ty:ty),*) => {
        $(impl SpecDrift for $ty {
            fn collect_drift(&self, _path: &str, _out: &mut Vec<DriftItem>) {}
        })*
    };
}

no_drift!(
    String,
    bool,
    NumOrStr,
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>
);
