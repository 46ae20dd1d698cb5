//! The customer-facing links Lago generates: payment provider checkout and customer portal.

use super::macros::model;
use super::serde_util::null_to_default;

model! {
    /// A checkout link where the customer registers a payment method at the provider.
    pub struct CustomerCheckoutUrl {
        /// Lago's id of the customer (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_customer_id: String,
        /// Your own id for the customer.
        #[serde(default, deserialize_with = "null_to_default")]
        pub external_customer_id: String,
        /// The payment provider (plain string in the spec, e.g. `stripe`).
        #[serde(default, deserialize_with = "null_to_default")]
        pub payment_provider: String,
        /// Code of the payment provider connection.
        #[serde(default)]
        pub payment_provider_code: Option<String>,
        /// The checkout link.
        #[serde(default)]
        pub checkout_url: Option<String>,
    }
}

model! {
    /// An embeddable link to the customer's self-service portal.
    pub struct CustomerPortalUrl {
        /// The portal link.
        #[serde(default, deserialize_with = "null_to_default")]
        pub portal_url: String,
    }
}
