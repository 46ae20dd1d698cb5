// One name per type, on both faces: the names of the objects and enums Lago's spec declares
// inline (it gives them none). The one model of the spec (`buildModel` in tools/gen-from-spec.mjs)
// names its declarations by them, and both faces print that model, so `WalletInput` is
// `WalletInput` in `index.d.ts` and in `lago_wasm::models`; the Rust models
// (tools/gen-rust-models.mjs) also name by `inlineName` the enums the model keeps as literal
// unions (TypeScript needs no name for those).
//
// A name comes from INLINE_NAMES when it has an entry, else from `inlineName`'s rule. Keys are
// `<owner>.<property>` (`[]` appended for array items) or `<schema>[]` for the items of an array
// schema, where the owner is the declaring type's name as given here (so the keys chain:
// `WalletInput.recurring_transaction_rules[]`). Several keys may share a name when their objects
// are the same (the model checks that they are, and throws otherwise).

/** `recurring_transaction_rules` -> `RecurringTransactionRules`. */
export function pascal(s) {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/**
 * Names the rule below would get wrong or make long, and enums shared by several owners (the
 * TypeScript side keeps an unnamed enum as a literal union; the Rust side names every enum, by
 * the rule when it has no entry here).
 */
export const INLINE_NAMES = {
  // objects
  "CustomerInput.integration_customers[]": "IntegrationCustomerInput",
  "CustomerInput.metadata[]": "CustomerMetadataInput",
  "CustomerChargeUsageObject.charge": "ChargeUsageCharge",
  "CustomerChargeUsageObject.billable_metric": "ChargeUsageBillableMetric",
  // The projected usage's charge differs (its display name is never null): a name of its own.
  "CustomerProjectedChargeUsageObject.charge": "ProjectedChargeUsageCharge",
  "CustomerProjectedChargeUsageObject.billable_metric": "ChargeUsageBillableMetric",
  "CustomerChargeFiltersUsageObject[]": "CustomerChargeFilterUsage",
  "CustomerChargeGroupedUsageObject[]": "CustomerChargeGroupedUsage",
  "CustomerProjectedChargeFiltersUsageObject[]": "CustomerProjectedChargeFilterUsage",
  "CustomerProjectedChargeGroupedUsageObject[]": "CustomerProjectedChargeGroupedUsage",
  "PresentationBreakdownsObject[]": "PresentationBreakdown",
  "GenerateCustomerCheckoutURL200Response.customer": "CustomerCheckoutUrl",
  "GetCustomerPortalUrl200Response.customer": "CustomerPortalUrl",
  "CustomerWalletInput.applies_to": "WalletAppliesToInput",
  "CustomerWalletInput.recurring_transaction_rules[]": "RecurringTransactionRuleInput",
  "CustomerWalletInput.transaction_metadata[]": "TransactionMetadataInput",
  "Wallet.applies_to": "WalletAppliesTo",
  "WalletInput.applies_to": "WalletAppliesToInput",
  "WalletUpdate.applies_to": "WalletAppliesToInput",
  "WalletInput.recurring_transaction_rules[]": "RecurringTransactionRuleInput",
  "WalletUpdate.recurring_transaction_rules[]": "RecurringTransactionRuleUpdate",
  "WalletInput.transaction_metadata[]": "TransactionMetadataInput",
  "RecurringTransactionRuleInput.transaction_metadata[]": "TransactionMetadataInput",
  "RecurringTransactionRuleUpdate.transaction_metadata[]": "TransactionMetadataInput",
  "WalletRecurringTransactionRule.transaction_metadata[]": "TransactionMetadata",
  "WalletTransactionInput.metadata[]": "TransactionMetadataInput",
  "WalletAlertBatchCreateInput.alerts[]": "WalletAlertInput",
  // enums shared by several owners
  "CustomerInput.account_type": "AccountType",
  "CustomerBaseObject.account_type": "AccountType",
  "FindAllCustomersQuery.account_type[]": "AccountType",
  "CustomerInput.customer_type": "CustomerType",
  "CustomerBaseObject.customer_type": "CustomerType",
  "FindAllCustomersQuery.customer_type": "CustomerType",
  "CustomerInput.finalize_zero_amount_invoice": "FinalizeZeroAmountInvoice",
  "CustomerBaseObject.finalize_zero_amount_invoice": "FinalizeZeroAmountInvoice",
  "CustomerBillingConfiguration.payment_provider": "PaymentProvider",
  "CustomerBillingConfiguration.subscription_invoice_issuing_date_anchor": "IssuingDateAnchor",
  "CustomerBillingConfiguration.subscription_invoice_issuing_date_adjustment": "IssuingDateAdjustment",
  "BillingEntityObject.subscription_invoice_issuing_date_anchor": "IssuingDateAnchor",
  "BillingEntityObject.subscription_invoice_issuing_date_adjustment": "IssuingDateAdjustment",
  "BillingEntityInputBillingConfiguration.subscription_invoice_issuing_date_anchor": "IssuingDateAnchor",
  "BillingEntityInputBillingConfiguration.subscription_invoice_issuing_date_adjustment": "IssuingDateAdjustment",
  "BillingEntityUpdateInputBillingConfiguration.subscription_invoice_issuing_date_anchor": "IssuingDateAnchor",
  "BillingEntityUpdateInputBillingConfiguration.subscription_invoice_issuing_date_adjustment": "IssuingDateAdjustment",
  "IntegrationCustomer.type": "IntegrationType",
  "InvoicePreviewInputCustomerIntegrationCustomer.integration_type": "IntegrationType",
  "IntegrationCustomerInput.integration_type": "IntegrationType",
  "AppliedCoupon.frequency": "CouponFrequency",
  "AppliedCoupon.status": "CouponStatus",
  "AppliedCoupon.coupon_status": "CouponStatus",
  "ChargeUsageCharge.charge_model": "ChargeModel",
  "ProjectedChargeUsageCharge.charge_model": "ChargeModel",
  "ChargeUsageBillableMetric.aggregation_type": "AggregationType",
  "WalletAlert.alert_type": "WalletAlertType",
  "WalletAlertInput.alert_type": "WalletAlertType",
  "WalletAlert.direction": "AlertDirection",
  "WalletAlertInput.direction": "AlertDirection",
  "WalletAlertUpdate.direction": "AlertDirection",
  "WalletAppliesTo.fee_types[]": "WalletFeeType",
  "WalletAppliesToInput.fee_types[]": "WalletFeeType",
  "WalletRecurringTransactionRule.interval": "RecurringTransactionInterval",
  "RecurringTransactionRuleInput.interval": "RecurringTransactionInterval",
  "RecurringTransactionRuleUpdate.interval": "RecurringTransactionInterval",
  "WalletRecurringTransactionRule.method": "RecurringTransactionMethod",
  "RecurringTransactionRuleInput.method": "RecurringTransactionMethod",
  "RecurringTransactionRuleUpdate.method": "RecurringTransactionMethod",
  "WalletRecurringTransactionRule.trigger": "RecurringTransactionTrigger",
  "RecurringTransactionRuleInput.trigger": "RecurringTransactionTrigger",
  "RecurringTransactionRuleUpdate.trigger": "RecurringTransactionTrigger",
};

/** `charges` -> `Charge`, `entitlements` -> `Entitlement`, `properties` -> `Property`; `metadata` stays. */
function singular(word) {
  if (/ies$/.test(word)) return word.replace(/ies$/, "y");
  if (/(ss|us|is)$/.test(word) || !/s$/.test(word)) return word;
  return word.replace(/s$/, "");
}

/**
 * The name of the inline object (or enum) at `<owner>.<prop>` (`prop` "" for the items of an
 * array schema; `isItem` for the items of an array property), given the spec's component
 * `schemas` (a name they hold is not reused). The rule, when INLINE_NAMES has no entry:
 *   - the object a body wraps takes the body's name without its verb: `WalletCreateInput.wallet`
 *     -> `WalletInput`, `PlanUpdateInput.plan` -> `PlanUpdate`, `WalletAlertCreateInput.alert`
 *     -> `WalletAlertInput` (the key ends the body's subject), unless the spec has a schema of
 *     that name;
 *   - an item of a list is named in the singular, without `Item`: `PlanInput.charges[]` ->
 *     `PlanChargeInput` (inside an input, the `Input`/`Update` suffix stays last),
 *     `FeeAmountDetails.graduated_percentage_ranges[]` ->
 *     `FeeAmountDetailsGraduatedPercentageRange`; a word the same in both numbers keeps `Item`
 *     (`metadata[]` -> `…MetadataItem`);
 *   - anything else is `<Owner><Property>`.
 */
export function inlineName(schemas, owner, prop, isItem = false) {
  const where = prop === "" ? `${owner}[]` : `${owner}.${prop}${isItem ? "[]" : ""}`;
  if (INLINE_NAMES[where]) return INLINE_NAMES[where];
  const body = /^([A-Za-z0-9]+?)(Create|Update)Input$/.exec(owner);
  const wrapped = body && prop && !isItem && body[1].endsWith(pascal(prop)) && body[1] + (body[2] === "Update" ? "Update" : "Input");
  // `ChargeCreateInput.charge` extends the spec's own `ChargeInput`: the long name then.
  if (wrapped && !(wrapped in schemas)) return wrapped;
  if (!isItem && prop !== "") return owner + pascal(prop);
  const plural = prop === "" ? "" : pascal(prop);
  const one = singular(plural);
  const word = one === plural ? `${plural}Item` : one;
  const input = /(Input|Update)$/.exec(owner);
  return input ? owner.slice(0, -input[1].length) + word + input[1] : owner + word;
}
