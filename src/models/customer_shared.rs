//! Parts of a customer shared by Lago's answers and the create/update input. Their optional
//! fields are skipped when `None` so that sending them never clears a value by accident.

use super::enums::{IssuingDateAdjustment, IssuingDateAnchor, PaymentProvider};
use super::macros::model;

model! {
    /// A postal address (Lago's `Address`, used as the customer's shipping address).
    pub struct Address {
        /// First address line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_line1: Option<String>,
        /// Second address line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_line2: Option<String>,
        /// City.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub city: Option<String>,
        /// ISO 3166 alpha-2 country code (kept as a string: ~250 values, Lago adds some).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub country: Option<String>,
        /// State or region.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<String>,
        /// Postal code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub zipcode: Option<String>,
    }
}

model! {
    /// How the customer is billed and which payment provider holds them
    /// (Lago's `CustomerBillingConfiguration`; nothing is required).
    pub struct CustomerBillingConfiguration {
        /// Days between the end of a period and the invoice's finalization.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub invoice_grace_period: Option<i64>,
        /// When subscription invoices are issued (`null` = organization default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub subscription_invoice_issuing_date_anchor: Option<IssuingDateAnchor>,
        /// Whether the issuing date follows the finalization date (`null` = default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub subscription_invoice_issuing_date_adjustment: Option<IssuingDateAdjustment>,
        /// Payment provider linked to the customer (may be `null` on the real server).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub payment_provider: Option<PaymentProvider>,
        /// Code of the payment provider connection.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub payment_provider_code: Option<String>,
        /// The customer's id inside the payment provider.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub provider_customer_id: Option<String>,
        /// Deprecated twin of `sync_with_provider`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sync: Option<bool>,
        /// Create the customer in the payment provider when `true`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sync_with_provider: Option<bool>,
        /// Language of the customer's documents (ISO 639-1, e.g. `fr`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub document_locale: Option<String>,
        /// Payment methods allowed at the provider (e.g. `card`, `sepa_debit`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub provider_payment_methods: Option<Vec<String>>,
    }
}
