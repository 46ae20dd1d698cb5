//! The JSON body Lago sends with 4xx/5xx answers (`ApiError*` schemas merged into one type).

use super::macros::model;

model! {
    /// Lago's error body, e.g. `{"status":404,"error":"Not Found","code":"customer_not_found"}`.
    /// Every field is optional: 400/401 bodies have no `code`, only 422 (and some 405/429) carry
    /// `error_details`, and provider failures add a `provider` object (kept in `extra`).
    pub struct ApiError {
        /// HTTP status repeated in the body.
        #[serde(default)]
        pub status: Option<u16>,
        /// Human-readable reason, e.g. `Unprocessable Entity`.
        #[serde(default)]
        pub error: Option<String>,
        /// Machine-readable code, e.g. `customer_not_found`, `validation_errors`.
        #[serde(default)]
        pub code: Option<String>,
        /// Free-form details, e.g. `{"external_subscription_id": ["value_is_mandatory"]}`.
        #[serde(default)]
        pub error_details: Option<serde_json::Value>,
    }
}
