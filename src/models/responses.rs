//! The top-level bodies of the nine Customers operations' `200` answers.

use super::checkout::{CustomerCheckoutUrl, CustomerPortalUrl};
use super::coupon::AppliedCouponObject;
use super::customer::CustomerObjectExtended;
use super::macros::model;
use super::page::PaginationMeta;
use super::serde_util::null_to_default;
use super::usage::CustomerUsageObject;

model! {
    /// Answer of create, find and destroy customer: `{"customer": {...}}`.
    pub struct Customer {
        /// The customer.
        #[serde(default, deserialize_with = "null_to_default")]
        pub customer: CustomerObjectExtended,
    }
}

model! {
    /// Answer of list customers: one page of customers.
    pub struct CustomersPaginated {
        /// The customers of this page.
        #[serde(default, deserialize_with = "null_to_default")]
        pub customers: Vec<CustomerObjectExtended>,
        /// Pagination info.
        #[serde(default, deserialize_with = "null_to_default")]
        pub meta: PaginationMeta,
    }
}

model! {
    /// Answer of current usage.
    pub struct CustomerUsage {
        /// Usage of the current period.
        #[serde(default, deserialize_with = "null_to_default")]
        pub customer_usage: CustomerUsageObject,
    }
}

model! {
    /// Answer of past usage: one page of past periods.
    pub struct CustomerPastUsage {
        /// Usage of past periods.
        #[serde(default, deserialize_with = "null_to_default")]
        pub usage_periods: Vec<CustomerUsageObject>,
        /// Pagination info.
        #[serde(default, deserialize_with = "null_to_default")]
        pub meta: PaginationMeta,
    }
}

model! {
    /// Answer of removing an applied coupon.
    pub struct AppliedCoupon {
        /// The applied coupon, now terminated.
        #[serde(default, deserialize_with = "null_to_default")]
        pub applied_coupon: AppliedCouponObject,
    }
}

model! {
    /// Answer of generate checkout URL (inline schema; name as openapi-generator gives it).
    pub struct GenerateCustomerCheckoutURL200Response {
        /// The checkout link.
        #[serde(default, deserialize_with = "null_to_default")]
        pub customer: CustomerCheckoutUrl,
    }
}

model! {
    /// Answer of get portal URL (inline schema; name as openapi-generator gives it).
    pub struct GetCustomerPortalUrl200Response {
        /// The portal link.
        #[serde(default, deserialize_with = "null_to_default")]
        pub customer: CustomerPortalUrl,
    }
}
