//! A coupon applied to a customer (answer of `DELETE .../applied_coupons/{id}`).

use super::macros::{model, string_enum};
use super::serde_util::null_to_default;

string_enum! {
    /// Whether an applied coupon (or its parent coupon) is still in effect.
    pub enum CouponStatus {
        /// In effect.
        Active => "active",
        /// Used up, removed or deleted.
        Terminated => "terminated",
    }
}

string_enum! {
    /// How often an applied coupon applies.
    pub enum CouponFrequency {
        /// On one invoice.
        Once => "once",
        /// On `frequency_duration` billing periods.
        Recurring => "recurring",
        /// On every invoice.
        Forever => "forever",
    }
}

model! {
    /// A coupon applied to a customer.
    pub struct AppliedCouponObject {
        /// Lago's id of the applied coupon (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_id: String,
        /// Lago's id of the coupon (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_coupon_id: String,
        /// The coupon's code.
        #[serde(default, deserialize_with = "null_to_default")]
        pub coupon_code: String,
        /// The coupon's name.
        #[serde(default, deserialize_with = "null_to_default")]
        pub coupon_name: String,
        /// Status of the parent coupon.
        #[serde(default)]
        pub coupon_status: Option<CouponStatus>,
        /// When the parent coupon was deleted, ISO 8601 UTC.
        #[serde(default)]
        pub coupon_deleted_at: Option<String>,
        /// Lago's id of the customer (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_customer_id: String,
        /// Your own id for the customer.
        #[serde(default, deserialize_with = "null_to_default")]
        pub external_customer_id: String,
        /// Status of this applied coupon.
        #[serde(default, deserialize_with = "null_to_default")]
        pub status: CouponStatus,
        /// Amount of a fixed-amount coupon, in cents.
        #[serde(default)]
        pub amount_cents: Option<i64>,
        /// Amount left on a fixed-amount `once` coupon, in cents.
        #[serde(default)]
        pub amount_cents_remaining: Option<i64>,
        /// Currency of the amounts, ISO 4217.
        #[serde(default)]
        pub amount_currency: Option<String>,
        /// Rate of a percentage coupon (decimal string).
        #[serde(default)]
        pub percentage_rate: Option<String>,
        /// How often the coupon applies.
        #[serde(default, deserialize_with = "null_to_default")]
        pub frequency: CouponFrequency,
        /// Number of periods a recurring coupon applies to.
        #[serde(default)]
        pub frequency_duration: Option<i64>,
        /// Periods left.
        #[serde(default)]
        pub frequency_duration_remaining: Option<i64>,
        /// When the coupon stops applying, ISO 8601 UTC.
        #[serde(default)]
        pub expiration_at: Option<String>,
        /// When the coupon was applied, ISO 8601 UTC.
        #[serde(default, deserialize_with = "null_to_default")]
        pub created_at: String,
        /// When the coupon was used up or removed, ISO 8601 UTC.
        #[serde(default)]
        pub terminated_at: Option<String>,
    }
}
