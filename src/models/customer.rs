//! The customer as Lago returns it (`CustomerObjectExtended`, the flattened
//! `allOf(CustomerBaseObject, CustomerObject, ...)`) and its answer-only parts.

use super::customer_shared::{Address, CustomerBillingConfiguration};
use super::enums::{AccountType, CustomerType, FinalizeZeroAmountInvoice, IntegrationType};
use super::macros::model;
use super::serde_util::null_to_default;

model! {
    /// A customer as returned by every Customers endpoint that answers with a customer.
    pub struct CustomerObjectExtended {
        /// Lago's id of the customer (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_id: String,
        /// Per-organization creation counter.
        #[serde(default, deserialize_with = "null_to_default")]
        pub sequential_id: i64,
        /// Short unique identifier built from the organization and `sequential_id`.
        #[serde(default, deserialize_with = "null_to_default")]
        pub slug: String,
        /// Your own id for the customer (the key of every `/customers/{id}` path).
        #[serde(default, deserialize_with = "null_to_default")]
        pub external_id: String,
        /// Code of the billing entity the customer belongs to.
        #[serde(default)]
        pub billing_entity_code: Option<String>,
        /// First billing address line.
        #[serde(default)]
        pub address_line1: Option<String>,
        /// Second billing address line.
        #[serde(default)]
        pub address_line2: Option<String>,
        /// Timezone Lago bills in (the customer's, else the organization's); IANA name.
        #[serde(default, deserialize_with = "null_to_default")]
        pub applicable_timezone: String,
        /// Billing address city.
        #[serde(default)]
        pub city: Option<String>,
        /// Billing address country, ISO 3166 alpha-2.
        #[serde(default)]
        pub country: Option<String>,
        /// Customer currency, ISO 4217.
        #[serde(default)]
        pub currency: Option<String>,
        /// Email address.
        #[serde(default)]
        pub email: Option<String>,
        /// Legal company name.
        #[serde(default)]
        pub legal_name: Option<String>,
        /// Legal company number.
        #[serde(default)]
        pub legal_number: Option<String>,
        /// Logo URL.
        #[serde(default)]
        pub logo_url: Option<String>,
        /// Full name.
        #[serde(default)]
        pub name: Option<String>,
        /// First name.
        #[serde(default)]
        pub firstname: Option<String>,
        /// Last name.
        #[serde(default)]
        pub lastname: Option<String>,
        /// Customer or partner account.
        #[serde(default)]
        pub account_type: Option<AccountType>,
        /// Company or individual.
        #[serde(default)]
        pub customer_type: Option<CustomerType>,
        /// Phone number.
        #[serde(default)]
        pub phone: Option<String>,
        /// Billing address state.
        #[serde(default)]
        pub state: Option<String>,
        /// Tax identification number (e.g. EU VAT number).
        #[serde(default)]
        pub tax_identification_number: Option<String>,
        /// The customer's own timezone (IANA name), if set.
        #[serde(default)]
        pub timezone: Option<String>,
        /// Website URL.
        #[serde(default)]
        pub url: Option<String>,
        /// Billing address postal code.
        #[serde(default)]
        pub zipcode: Option<String>,
        /// Days the customer has to pay an invoice.
        #[serde(default)]
        pub net_payment_term: Option<i64>,
        /// Creation time, ISO 8601 UTC.
        #[serde(default, deserialize_with = "null_to_default")]
        pub created_at: String,
        /// Last update time, ISO 8601 UTC.
        #[serde(default)]
        pub updated_at: Option<String>,
        /// What happens to zero-amount invoices.
        #[serde(default)]
        pub finalize_zero_amount_invoice: Option<FinalizeZeroAmountInvoice>,
        /// Whether invoice custom sections are left out of this customer's PDFs.
        #[serde(default)]
        pub skip_invoice_custom_sections: Option<bool>,
        /// Billing and payment provider settings.
        #[serde(default)]
        pub billing_configuration: Option<CustomerBillingConfiguration>,
        /// Shipping address.
        #[serde(default)]
        pub shipping_address: Option<Address>,
        /// Key-value pairs attached to the customer.
        #[serde(default)]
        pub metadata: Option<Vec<CustomerMetadata>>,
        /// Accounting, tax and CRM integrations the customer is synced with.
        #[serde(default)]
        pub integration_customers: Option<Vec<IntegrationCustomer>>,
        /// Taxes applied to the customer.
        #[serde(default)]
        pub taxes: Option<Vec<TaxObject>>,
        /// Invoice custom sections used for this customer's invoices.
        #[serde(default)]
        pub applicable_invoice_custom_sections: Option<Vec<InvoiceCustomSectionObject>>,
        /// Errors raised by background work for this customer (e.g. tax provider failures).
        #[serde(default)]
        pub error_details: Option<Vec<ErrorDetailObject>>,
    }
}

model! {
    /// One key-value pair attached to a customer, as Lago returns it.
    pub struct CustomerMetadata {
        /// Lago's id of the pair (UUID); send it back to update the pair.
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_id: String,
        /// Key.
        #[serde(default, deserialize_with = "null_to_default")]
        pub key: String,
        /// Value.
        #[serde(default, deserialize_with = "null_to_default")]
        pub value: String,
        /// Whether the pair is printed on invoices.
        #[serde(default, deserialize_with = "null_to_default")]
        pub display_in_invoice: bool,
        /// Creation time, ISO 8601 UTC.
        #[serde(default, deserialize_with = "null_to_default")]
        pub created_at: String,
    }
}

model! {
    /// The customer's link to an accounting, tax or CRM integration.
    pub struct IntegrationCustomer {
        /// Lago's id of the link (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_id: String,
        /// Which integration (wire name `type`).
        #[serde(rename = "type", default, deserialize_with = "null_to_default")]
        pub r#type: IntegrationType,
        /// Code of the integration connection.
        #[serde(default, deserialize_with = "null_to_default")]
        pub integration_code: String,
        /// The customer's id inside the integration.
        #[serde(default, deserialize_with = "null_to_default")]
        pub external_customer_id: String,
        /// Whether Lago creates the customer in the integration.
        #[serde(default)]
        pub sync_with_provider: Option<bool>,
        /// NetSuite subsidiary id.
        #[serde(default)]
        pub subsidiary_id: Option<String>,
        /// HubSpot object the customer maps to (e.g. `contacts`).
        #[serde(default)]
        pub targeted_object: Option<String>,
        /// HubSpot contact email.
        #[serde(default)]
        pub email: Option<String>,
    }
}

model! {
    /// A tax applied to the customer.
    pub struct TaxObject {
        /// Lago's id of the tax (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_id: String,
        /// Name.
        #[serde(default, deserialize_with = "null_to_default")]
        pub name: String,
        /// Unique code (what `tax_codes` in the input refers to).
        #[serde(default, deserialize_with = "null_to_default")]
        pub code: String,
        /// Internal description.
        #[serde(default)]
        pub description: Option<String>,
        /// Rate in percent (a JSON number, e.g. `20` or `5.5`).
        #[serde(default, deserialize_with = "null_to_default")]
        pub rate: f64,
        /// Deprecated: whether the tax applies to the organization's default billing entity.
        #[serde(default, deserialize_with = "null_to_default")]
        pub applied_to_organization: bool,
        /// Creation time, ISO 8601 UTC.
        #[serde(default, deserialize_with = "null_to_default")]
        pub created_at: String,
    }
}

model! {
    /// An invoice custom section (extra text block on invoice PDFs) used for the customer.
    pub struct InvoiceCustomSectionObject {
        /// Lago's id of the section (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_id: String,
        /// Name.
        #[serde(default, deserialize_with = "null_to_default")]
        pub name: String,
        /// Unique code (what `invoice_custom_section_codes` in the input refers to).
        #[serde(default, deserialize_with = "null_to_default")]
        pub code: String,
        /// Internal description.
        #[serde(default)]
        pub description: Option<String>,
        /// Text shown on the invoice PDF.
        #[serde(default)]
        pub details: Option<String>,
        /// Title shown on the invoice PDF.
        #[serde(default)]
        pub display_name: Option<String>,
        /// Deprecated: whether the section applies to the organization's default billing entity.
        #[serde(default)]
        pub applied_to_organization: Option<bool>,
        /// Lago's id of the organization (UUID).
        #[serde(default)]
        pub organization_id: Option<String>,
        /// Creation time, ISO 8601 UTC.
        #[serde(default)]
        pub created_at: Option<String>,
    }
}

model! {
    /// An error raised by background work for the customer (e.g. a failed tax provider sync).
    pub struct ErrorDetailObject {
        /// Lago's id of the error record (UUID); required but nullable in the spec.
        #[serde(default)]
        pub lago_id: Option<String>,
        /// Where the error happened (e.g. `tax_error`).
        #[serde(default, deserialize_with = "null_to_default")]
        pub error_code: String,
        /// Free-form details from the external service, keyed by error code.
        #[serde(default, deserialize_with = "null_to_default")]
        pub details: serde_json::Map<String, serde_json::Value>,
    }
}
