//! The body of `POST /customers` (create, or update when `external_id` exists: Lago upserts).
//!
//! Every optional field is skipped when `None`, so only what the caller set is sent. To send an
//! explicit `null` (e.g. clear `country`), put it in `extra`: `extra.insert("country".into(),
//! serde_json::Value::Null)` and leave the typed field `None`.

use super::customer_shared::{Address, CustomerBillingConfiguration};
use super::enums::{AccountType, CustomerType, FinalizeZeroAmountInvoice, IntegrationType};
use super::macros::model;
use super::serde_util::null_to_default;

model! {
    /// The whole request body: `{"customer": {...}}`.
    pub struct CustomerCreateInput {
        /// The customer to create or update.
        #[serde(default, deserialize_with = "null_to_default")]
        pub customer: CustomerInput,
    }
}

model! {
    /// The customer fields to create or update; only `external_id` is required.
    pub struct CustomerInput {
        /// Your own id for the customer: the upsert key.
        #[serde(default, deserialize_with = "null_to_default")]
        pub external_id: String,
        /// Code of the billing entity (default entity when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub billing_entity_code: Option<String>,
        /// First billing address line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_line1: Option<String>,
        /// Second billing address line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_line2: Option<String>,
        /// Billing address city.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub city: Option<String>,
        /// Billing address country, ISO 3166 alpha-2.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub country: Option<String>,
        /// Customer currency, ISO 4217.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub currency: Option<String>,
        /// Email address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        /// Legal company name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_name: Option<String>,
        /// Legal company number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_number: Option<String>,
        /// Logo URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub logo_url: Option<String>,
        /// Full name (at most 255 characters).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// First name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub firstname: Option<String>,
        /// Last name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub lastname: Option<String>,
        /// Customer or partner account.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub account_type: Option<AccountType>,
        /// Company or individual.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub customer_type: Option<CustomerType>,
        /// Phone number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone: Option<String>,
        /// Billing address state.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<String>,
        /// Codes of the taxes to apply to the customer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tax_codes: Option<Vec<String>>,
        /// Tax identification number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tax_identification_number: Option<String>,
        /// The customer's timezone (IANA name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub timezone: Option<String>,
        /// Website URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        /// Billing address postal code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub zipcode: Option<String>,
        /// Days the customer has to pay an invoice.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub net_payment_term: Option<i64>,
        /// What happens to zero-amount invoices.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub finalize_zero_amount_invoice: Option<FinalizeZeroAmountInvoice>,
        /// Billing and payment provider settings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub billing_configuration: Option<CustomerBillingConfiguration>,
        /// Shipping address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub shipping_address: Option<Address>,
        /// Integrations to link the customer with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub integration_customers: Option<Vec<IntegrationCustomerInput>>,
        /// Key-value pairs to attach (replaces the existing set).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metadata: Option<Vec<CustomerMetadataInput>>,
        /// Leave invoice custom sections out of this customer's PDFs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub skip_invoice_custom_sections: Option<bool>,
        /// Codes of the invoice custom sections to use for this customer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub invoice_custom_section_codes: Option<Vec<String>>,
    }
}

model! {
    /// A link to an accounting or tax integration, as sent when creating/updating a customer.
    pub struct IntegrationCustomerInput {
        /// Lago's id of an existing link (UUID), to update it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        /// Which integration (the spec lists `netsuite`, `anrok`, `xero` here).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub integration_type: Option<IntegrationType>,
        /// Code of the integration connection.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub integration_code: Option<String>,
        /// The customer's id inside the integration.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external_customer_id: Option<String>,
        /// Create the customer in the integration when `true`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sync_with_provider: Option<bool>,
        /// NetSuite subsidiary id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub subsidiary_id: Option<String>,
    }
}

model! {
    /// One key-value pair to attach to the customer.
    pub struct CustomerMetadataInput {
        /// Lago's id of an existing pair (UUID), to update it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        /// Key.
        #[serde(default, deserialize_with = "null_to_default")]
        pub key: String,
        /// Value.
        #[serde(default, deserialize_with = "null_to_default")]
        pub value: String,
        /// Whether the pair is printed on invoices.
        #[serde(default, deserialize_with = "null_to_default")]
        pub display_in_invoice: bool,
    }
}
