//! The Rust face's body check: the serialized body against the same spec table the JS face
//! uses (required fields, types, nested objects and arrays, `oneOf`), so a value put in an
//! `extra` map or a hand-built `serde_json::Value` cannot send what the JS face would refuse.
//! Enum membership is not checked, on either face: Lago's server judges it.

use serde_json::Value;

use crate::core::encode::push_u64;
use crate::core::schema::{Field, Kind};

/// Where a refused value sits (`customer.metadata.0.key`) and what is wrong with it.
pub type Refusal = (String, &'static str);

/// Checks `value` against `kind`; `path` names where it sits.
pub fn check(value: &Value, kind: &Kind, path: &mut String) -> Result<(), Refusal> {
    let ok = match kind {
        Kind::Str => value.is_string(),
        Kind::Int => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        Kind::Num => value.is_number(),
        Kind::Bool => value.is_boolean(),
        Kind::StrMap => value
            .as_object()
            .is_some_and(|m| m.values().all(Value::is_string)),
        Kind::StrOrNullMap => value
            .as_object()
            .is_some_and(|m| m.values().all(|v| v.is_string() || v.is_null())),
        Kind::OneOf(kinds) => {
            let len = path.len();
            for kind in *kinds {
                if check(value, kind, path).is_ok() {
                    return Ok(());
                }
                path.truncate(len);
            }
            return Err((path.clone(), "matches none of the shapes the spec allows"));
        }
        Kind::Map(values) => {
            let Some(object) = value.as_object() else {
                return Err((path.clone(), "must be an object"));
            };
            for (key, v) in object {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                check(v, values, path)?;
                path.truncate(len);
            }
            true
        }
        Kind::Object(fields) => {
            let Some(object) = value.as_object() else {
                return Err((path.clone(), "must be an object"));
            };
            return check_fields(object, fields, path);
        }
        Kind::Array(item) => {
            let Some(items) = value.as_array() else {
                return Err((path.clone(), "must be an array"));
            };
            for (i, v) in items.iter().enumerate() {
                let len = path.len();
                path.push('.');
                push_u64(path, i as u64);
                check(v, item, path)?;
                path.truncate(len);
            }
            true
        }
    };
    if ok {
        Ok(())
    } else {
        Err((path.clone(), kind.problem()))
    }
}

fn check_fields(
    object: &serde_json::Map<String, Value>,
    fields: &[Field],
    path: &mut String,
) -> Result<(), Refusal> {
    for field in fields {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(field.name);
        match object.get(field.name) {
            None if field.required => return Err((path.clone(), "is required")),
            None => {}
            Some(Value::Null) if !field.nullable => return Err((path.clone(), "must not be null")),
            Some(Value::Null) => {}
            Some(v) => check(v, &field.kind, path)?,
        }
        path.truncate(len);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec_tables::CUSTOMER_CREATE_INPUT;
    use serde_json::json;

    fn refusal(body: Value) -> Option<Refusal> {
        check(
            &body,
            &Kind::Object(CUSTOMER_CREATE_INPUT),
            &mut String::new(),
        )
        .err()
    }

    #[test]
    fn the_create_table_applies() {
        assert_eq!(
            refusal(json!({ "customer": { "external_id": "a", "currency": "BHD" } })),
            None
        );
        assert_eq!(refusal(json!({})), Some(("customer".into(), "is required")));
        let wrong = json!({ "customer": { "external_id": "a", "net_payment_term": "30" } });
        assert_eq!(
            refusal(wrong),
            Some(("customer.net_payment_term".into(), "must be an integer"))
        );
        let item = json!({ "customer": { "external_id": "a", "metadata": [{ "key": 1 }] } });
        assert_eq!(
            refusal(item).map(|r| r.0),
            Some("customer.metadata.0.key".into())
        );
    }
}
