//! A customer's usage for one billing period (current usage, and each past period).

use std::collections::BTreeMap;

use super::macros::{model, string_enum};
use super::serde_util::null_to_default;

string_enum! {
    /// How a charge turns units into an amount (the server also sends `graduated_percentage`,
    /// `custom`, `dynamic`, kept in `Other`).
    pub enum ChargeModel {
        /// Fixed price per unit.
        Standard => "standard",
        /// Tiered pricing, each tier priced separately.
        Graduated => "graduated",
        /// Price per package of units.
        Package => "package",
        /// Percentage of the transaction amount.
        Percentage => "percentage",
        /// Volume pricing: the reached tier prices every unit.
        Volume => "volume",
    }
}

string_enum! {
    /// How a billable metric aggregates events (the server also sends `custom_agg`, kept in
    /// `Other`).
    pub enum AggregationType {
        /// Count events.
        CountAgg => "count_agg",
        /// Sum a property.
        SumAgg => "sum_agg",
        /// Maximum of a property.
        MaxAgg => "max_agg",
        /// Count distinct values of a property.
        UniqueCountAgg => "unique_count_agg",
        /// Time-weighted sum of a property.
        WeightedSumAgg => "weighted_sum_agg",
        /// Latest value of a property.
        LatestAgg => "latest_agg",
    }
}

/// Lago's `CustomerChargeFiltersUsageObject` is an array schema; this names it.
pub type CustomerChargeFiltersUsageObject = Vec<CustomerChargeFilterUsage>;
/// Lago's `CustomerChargeGroupedUsageObject` is an array schema; this names it.
pub type CustomerChargeGroupedUsageObject = Vec<CustomerChargeGroupedUsage>;
/// Lago's `PresentationBreakdownsObject` is an array schema; this names it.
pub type PresentationBreakdownsObject = Vec<PresentationBreakdown>;

model! {
    /// Usage and amounts of one billing period.
    pub struct CustomerUsageObject {
        /// Period start, ISO 8601 UTC.
        #[serde(default, deserialize_with = "null_to_default")]
        pub from_datetime: String,
        /// Period end, ISO 8601 UTC.
        #[serde(default, deserialize_with = "null_to_default")]
        pub to_datetime: String,
        /// Date the invoice is (or will be) issued, `YYYY-MM-DD`.
        #[serde(default, deserialize_with = "null_to_default")]
        pub issuing_date: String,
        /// Lago's id of the invoice of this period, once there is one (UUID).
        #[serde(default)]
        pub lago_invoice_id: Option<String>,
        /// Currency, ISO 4217.
        #[serde(default)]
        pub currency: Option<String>,
        /// Amount before taxes, in cents.
        #[serde(default, deserialize_with = "null_to_default")]
        pub amount_cents: i64,
        /// Taxes, in cents.
        #[serde(default, deserialize_with = "null_to_default")]
        pub taxes_amount_cents: i64,
        /// Amount including taxes, in cents.
        #[serde(default, deserialize_with = "null_to_default")]
        pub total_amount_cents: i64,
        /// Usage per charge.
        #[serde(default, deserialize_with = "null_to_default")]
        pub charges_usage: Vec<CustomerChargeUsageObject>,
    }
}

model! {
    /// Usage and amount of one charge in the period.
    pub struct CustomerChargeUsageObject {
        /// Billed units (decimal string).
        #[serde(default, deserialize_with = "null_to_default")]
        pub units: String,
        /// Aggregated units before charge-level adjustments (decimal string).
        #[serde(default, deserialize_with = "null_to_default")]
        pub total_aggregated_units: String,
        /// Number of events.
        #[serde(default, deserialize_with = "null_to_default")]
        pub events_count: i64,
        /// Amount, in cents.
        #[serde(default, deserialize_with = "null_to_default")]
        pub amount_cents: i64,
        /// Currency of `amount_cents`, ISO 4217.
        #[serde(default, deserialize_with = "null_to_default")]
        pub amount_currency: String,
        /// Amount in the charge's pricing unit, when it uses one.
        #[serde(default)]
        pub pricing_unit_details: Option<UsagePricingUnitDetailsObject>,
        /// The charge.
        #[serde(default, deserialize_with = "null_to_default")]
        pub charge: ChargeUsageCharge,
        /// The billable metric the charge prices.
        #[serde(default, deserialize_with = "null_to_default")]
        pub billable_metric: ChargeUsageBillableMetric,
        /// Usage per charge filter.
        #[serde(default)]
        pub filters: Option<Vec<CustomerChargeFilterUsage>>,
        /// Usage per group (charges grouped by event properties).
        #[serde(default)]
        pub grouped_usage: Option<Vec<CustomerChargeGroupedUsage>>,
        /// Units split by presentation keys (no effect on pricing).
        #[serde(default)]
        pub presentation_breakdowns: Option<Vec<PresentationBreakdown>>,
    }
}

model! {
    /// The charge a usage line belongs to (inline `charge` object in the spec).
    pub struct ChargeUsageCharge {
        /// Lago's id of the charge (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_id: String,
        /// Pricing model.
        #[serde(default, deserialize_with = "null_to_default")]
        pub charge_model: ChargeModel,
        /// Name printed on invoices instead of the metric's name.
        #[serde(default)]
        pub invoice_display_name: Option<String>,
    }
}

model! {
    /// The billable metric of a usage line (inline `billable_metric` object in the spec).
    pub struct ChargeUsageBillableMetric {
        /// Lago's id of the metric (UUID).
        #[serde(default, deserialize_with = "null_to_default")]
        pub lago_id: String,
        /// Name.
        #[serde(default, deserialize_with = "null_to_default")]
        pub name: String,
        /// Code.
        #[serde(default, deserialize_with = "null_to_default")]
        pub code: String,
        /// Aggregation.
        #[serde(default, deserialize_with = "null_to_default")]
        pub aggregation_type: AggregationType,
    }
}

model! {
    /// Usage of one charge filter. The spec's `required` list sits on the array, not the items;
    /// the fields it names are typed as required here (and still tolerate `null`/absence).
    pub struct CustomerChargeFilterUsage {
        /// Billed units (decimal string).
        #[serde(default, deserialize_with = "null_to_default")]
        pub units: String,
        /// Aggregated units (decimal string).
        #[serde(default, deserialize_with = "null_to_default")]
        pub total_aggregated_units: String,
        /// Amount, in cents.
        #[serde(default, deserialize_with = "null_to_default")]
        pub amount_cents: i64,
        /// Number of events.
        #[serde(default, deserialize_with = "null_to_default")]
        pub events_count: i64,
        /// Name printed on invoices.
        #[serde(default)]
        pub invoice_display_name: Option<String>,
        /// Amount in the pricing unit, when the charge uses one.
        #[serde(default)]
        pub pricing_unit_details: Option<UsagePricingUnitDetailsObject>,
        /// The filter: event property name to the values it matches.
        #[serde(default, deserialize_with = "null_to_default")]
        pub values: BTreeMap<String, Vec<String>>,
        /// Units split by presentation keys.
        #[serde(default)]
        pub presentation_breakdowns: Option<Vec<PresentationBreakdown>>,
    }
}

model! {
    /// Usage of one group (charge grouped by event properties). Required fields as for
    /// [`CustomerChargeFilterUsage`]; the spec's `groups` entry names no property and is ignored.
    pub struct CustomerChargeGroupedUsage {
        /// Amount, in cents.
        #[serde(default, deserialize_with = "null_to_default")]
        pub amount_cents: i64,
        /// Number of events.
        #[serde(default, deserialize_with = "null_to_default")]
        pub events_count: i64,
        /// Billed units (decimal string).
        #[serde(default, deserialize_with = "null_to_default")]
        pub units: String,
        /// Aggregated units (decimal string).
        #[serde(default, deserialize_with = "null_to_default")]
        pub total_aggregated_units: String,
        /// Amount in the pricing unit, when the charge uses one.
        #[serde(default)]
        pub pricing_unit_details: Option<UsagePricingUnitDetailsObject>,
        /// The group: event property name to value (`null` when an event lacks the key).
        #[serde(default, deserialize_with = "null_to_default")]
        pub grouped_by: BTreeMap<String, Option<String>>,
        /// Usage per charge filter inside the group.
        #[serde(default)]
        pub filters: Option<Vec<CustomerChargeFilterUsage>>,
        /// Units split by presentation keys.
        #[serde(default)]
        pub presentation_breakdowns: Option<Vec<PresentationBreakdown>>,
    }
}

model! {
    /// An amount expressed in a custom pricing unit (e.g. credits) and its conversion rate.
    pub struct UsagePricingUnitDetailsObject {
        /// Amount in the pricing unit's cents.
        #[serde(default, deserialize_with = "null_to_default")]
        pub amount_cents: i64,
        /// Short name of the pricing unit (e.g. `CR`).
        #[serde(default, deserialize_with = "null_to_default")]
        pub short_name: String,
        /// Pricing unit to currency rate (decimal string).
        #[serde(default, deserialize_with = "null_to_default")]
        pub conversion_rate: String,
    }
}

model! {
    /// Units of one presentation group (display-only split of usage).
    pub struct PresentationBreakdown {
        /// Event property name to value for this group.
        #[serde(default)]
        pub presentation_by: Option<BTreeMap<String, Option<String>>>,
        /// Units in this group (decimal string).
        #[serde(default)]
        pub units: Option<String>,
    }
}
