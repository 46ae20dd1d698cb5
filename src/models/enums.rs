//! Small enums shared by the customer answer (`customer.rs`) and the create/update input
//! (`input.rs`). Each keeps unknown values in `Other` (see `string_enum!`).

use super::macros::string_enum;

string_enum! {
    /// Whether a customer is a regular customer or a partner (partners get self-billed invoices).
    pub enum AccountType {
        /// A regular customer.
        Customer => "customer",
        /// A partner: Lago issues self-billed invoices for them.
        Partner => "partner",
    }
}

string_enum! {
    /// Whether the customer is a company or an individual.
    pub enum CustomerType {
        /// A legal entity.
        Company => "company",
        /// A person.
        Individual => "individual",
    }
}

string_enum! {
    /// What Lago does with invoices whose total is zero for this customer.
    pub enum FinalizeZeroAmountInvoice {
        /// Follow the organization's (billing entity's) setting.
        Inherit => "inherit",
        /// Do not finalize zero-amount invoices.
        Skip => "skip",
        /// Finalize zero-amount invoices.
        Finalize => "finalize",
    }
}

string_enum! {
    /// The payment provider linked to a customer (Lago's server also sends e.g. `cashfree`,
    /// `flutterwave`, `moneyhash`, kept in `Other`).
    pub enum PaymentProvider {
        /// Stripe.
        Stripe => "stripe",
        /// Adyen.
        Adyen => "adyen",
        /// GoCardless.
        Gocardless => "gocardless",
    }
}

string_enum! {
    /// When subscription invoices are issued: at the end of the period or at the next start.
    pub enum IssuingDateAnchor {
        /// Issue on the last day of the billing period.
        CurrentPeriodEnd => "current_period_end",
        /// Issue on the first day of the next billing period.
        NextPeriodStart => "next_period_start",
    }
}

string_enum! {
    /// Whether the invoice issuing date moves to the finalization date (grace period) or stays.
    pub enum IssuingDateAdjustment {
        /// Issuing date becomes the finalization date.
        AlignWithFinalizationDate => "align_with_finalization_date",
        /// Issuing date stays on the anchor.
        KeepAnchor => "keep_anchor",
    }
}

string_enum! {
    /// The accounting, tax or CRM integration a customer is synced with.
    pub enum IntegrationType {
        /// NetSuite (accounting).
        Netsuite => "netsuite",
        /// Anrok (tax).
        Anrok => "anrok",
        /// Xero (accounting).
        Xero => "xero",
        /// HubSpot (CRM).
        Hubspot => "hubspot",
        /// Salesforce (CRM).
        Salesforce => "salesforce",
    }
}
