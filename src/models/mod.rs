//! Typed models of Lago's Customers API (spec v1.51.0): answers, the create/update input and the
//! error body. Decoding is tolerant (unknown fields kept in `extra`, unknown enum values in
//! `Other`, `null` in required fields read as the default) and [`SpecDrift`] reports both.

mod checkout;
mod coupon;
mod customer;
mod customer_shared;
mod drift;
mod enums;
mod error;
mod input;
mod macros;
mod page;
mod responses;
mod serde_util;
mod usage;

pub use checkout::{CustomerCheckoutUrl, CustomerPortalUrl};
pub use coupon::{AppliedCouponObject, CouponFrequency, CouponStatus};
pub use customer::{
    CustomerMetadata, CustomerObjectExtended, ErrorDetailObject, IntegrationCustomer,
    InvoiceCustomSectionObject, TaxObject,
};
pub use customer_shared::{Address, CustomerBillingConfiguration};
pub use drift::{DriftItem, SpecDrift};
pub use enums::{
    AccountType, CustomerType, FinalizeZeroAmountInvoice, IntegrationType, IssuingDateAdjustment,
    IssuingDateAnchor, PaymentProvider,
};
pub use error::ApiError;
pub use input::{
    CustomerCreateInput, CustomerInput, CustomerMetadataInput, IntegrationCustomerInput,
};
pub use page::PaginationMeta;
pub use responses::{
    AppliedCoupon, Customer, CustomerPastUsage, CustomerUsage, CustomersPaginated,
    GenerateCustomerCheckoutURL200Response, GetCustomerPortalUrl200Response,
};
pub use usage::{
    AggregationType, ChargeModel, ChargeUsageBillableMetric, ChargeUsageCharge,
    CustomerChargeFilterUsage, CustomerChargeFiltersUsageObject, CustomerChargeGroupedUsage,
    CustomerChargeGroupedUsageObject, CustomerChargeUsageObject, CustomerUsageObject,
    PresentationBreakdown, PresentationBreakdownsObject, UsagePricingUnitDetailsObject,
};
