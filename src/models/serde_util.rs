//! Serde helpers shared by the models.

use serde::{Deserialize, Deserializer};

/// Decodes a required field that Lago's real server sometimes sends as `null`: `null` becomes
/// `T::default()` instead of a decode error. Pair it with `#[serde(default)]` so absence is
/// tolerated too: `#[serde(default, deserialize_with = "null_to_default")]`.
pub(crate) fn null_to_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
