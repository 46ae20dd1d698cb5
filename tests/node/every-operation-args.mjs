// The arguments of every operation of Lago's spec, as data: for each operationId, in an order
// that works on a stateful server (create before use, delete last), a function of the answers
// so far (`r[operationId]`, the parsed JSON bodies) returning `{ path, query, body }`: path
// parameters by the spec's names, query parameters by their wire names, the JSON body.
// fake-every-operation.test.mjs sends them with raw fetch; an SDK test can hand the same
// values to `new Lago(...)[tag][operationId](...)`.
//
// `everyOperationArgs(suffix)`: every code and id the calls create ends in `suffix`, so runs
// against one server do not collide.

/**
 * Answers the spec leaves unwrapped and Lago's server wraps under a root key
 * (shared/lago-openapi/REALITY.md section 9: `root_name` in app/controllers/api/v1/*). The fake
 * answers like the server, so Prism reports each answer as missing the spec's required fields.
 */
export const WRAPPED_BY_SERVER = {
  findWalletTransaction: "wallet_transaction",
  createBillingEntity: "billing_entity",
  updateBillingEntity: "billing_entity",
  findPayment: "payment",
  findPaymentRequest: "payment_request",
};

/**
 * `WalletTransactionPaymentUrl` requires `lago_wallet_transaction_id`, `lago_customer_id`,
 * `external_customer_id` and `payment_provider` next to `wallet_transaction_payment_details`,
 * where it never defines them (REALITY.md section 9, "`required` naming a field that is not a
 * property"); the server sends only `wallet_transaction_payment_details` (`root_name:
 * "wallet_transaction_payment_details"` in wallet_transactions_controller.rb#payment_url).
 */
export const REQUIRED_NOT_SENT = ["walletTransactionPaymentUrl"];

/** A uuid-shaped string made of `text`'s characters (hex digits kept, the rest hashed). */
function uuidOf(text) {
  let h = 0x811c9dc5;
  const hex = [];
  for (let i = 0; hex.length < 32; i++) {
    h = Math.imul(h ^ text.charCodeAt(i % text.length) ^ i, 16777619) >>> 0;
    hex.push((h & 15).toString(16));
  }
  hex[12] = "4";
  hex[16] = "8";
  const t = hex.join("");
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
}

/** `[operationId, (r) => ({ path, query, body })]` for all operations, in calling order. */
export function everyOperationArgs(suffix) {
  const s = suffix;
  const customer = `eo_cust_${s}`;
  const metric = `eo_metric_${s}`;
  const plan = `eo_plan_${s}`;
  const charge = `eo_charge_${s}`;
  const fixed = `eo_fixed_${s}`;
  const addOn = `eo_addon_${s}`;
  const coupon = `eo_coupon_${s}`;
  const feature = `eo_feature_${s}`;
  const tax = `eo_tax_${s}`;
  // The spec types a billing entity's `code` path parameter as a uuid (the server finds it by
  // any code), so this code is one: valid for both.
  const entity = uuidOf(s);
  const sub = `eo_sub_${s}`;
  const wallet = `eo_wallet_${s}`;
  const topWallet = `eo_topwallet_${s}`;
  const alert = `eo_alert_${s}`;
  const walletAlert = `eo_walert_${s}`;
  // Sent as strings: the spec's `oneOf: [string, integer, number]` matches a whole number
  // twice, which Prism refuses.
  const event = (n, extra = {}) => ({ transaction_id: `eo_tx_${s}_${n}`, external_subscription_id: sub, code: metric, properties: { calls: String(n) }, ...extra });
  const invoiceId = (r) => r.createInvoice.invoice.lago_id;
  const walletId = (r) => r.createWallet.wallet.lago_id;
  const txId = (r) => r.createWalletTransaction.wallet_transactions[0].lago_id;
  const none = () => ({});
  const list = (query = {}) => () => ({ query: { page: 1, per_page: 10, ...query } });
  return [
    // The organization and what needs nothing else.
    ["updateOrganization", () => ({ body: { organization: { email: "billing@example.com", net_payment_term: 0 } } })],
    ["fetchPublicKey", none],
    ["fetchJsonPublicKey", none],
    ["listBillingEntities", none],
    ["createBillingEntity", () => ({ body: { billing_entity: { code: entity, name: "Every op entity" } } })],
    ["getBillingEntity", () => ({ path: { code: entity } })],
    ["updateBillingEntity", () => ({ path: { code: entity }, body: { billing_entity: { name: "Every op entity (renamed)" } } })],
    ["createTax", () => ({ body: { tax: { name: "Every op tax", code: tax, rate: "10.0" } } })],
    ["findAllTaxes", list()],
    ["findTax", () => ({ path: { code: tax } })],
    ["updateTax", () => ({ path: { code: tax }, body: { tax: { name: "Every op tax (renamed)" } } })],
    ["createAddOn", () => ({ body: { add_on: { name: "Setup", code: addOn, amount_cents: 1500, amount_currency: "USD" } } })],
    ["findAllAddOns", list()],
    ["findAddOn", () => ({ path: { code: addOn } })],
    ["updateAddOn", () => ({ path: { code: addOn }, body: { add_on: { name: "Setup (renamed)" } } })],
    // Catalog: metric -> plan with a charge -> charges, filters, fixed charges, metadata.
    ["createBillableMetric", () => ({ body: { billable_metric: { name: "Every op calls", code: metric, aggregation_type: "sum_agg", field_name: "calls" } } })],
    ["findAllBillableMetrics", list()],
    ["findBillableMetric", () => ({ path: { code: metric } })],
    ["updateBillableMetric", () => ({ path: { code: metric }, body: { billable_metric: { name: "Every op calls (renamed)" } } })],
    ["evaluateBillableMetricExpression", () => ({ body: { expression: "round(event.properties.value)", event: { code: metric, properties: { value: "2.4" } } } })],
    ["createFeature", () => ({ body: { feature: { code: feature, name: "Every op feature" } } })],
    ["findAllFeatures", list()],
    ["findFeature", () => ({ path: { code: feature } })],
    ["updateFeature", () => ({ path: { code: feature }, body: { feature: { name: "Every op feature (renamed)" } } })],
    ["createPlan", (r) => ({ body: { plan: {
      name: "Every op plan", code: plan, interval: "monthly", amount_cents: 1000, amount_currency: "USD", pay_in_advance: false,
      charges: [{ billable_metric_id: r.createBillableMetric.billable_metric.lago_id, charge_model: "standard", properties: { amount: "0.5" } }],
    } } })],
    ["findAllPlans", list()],
    ["findPlan", () => ({ path: { code: plan } })],
    ["updatePlan", () => ({ path: { code: plan }, body: { plan: { name: "Every op plan (renamed)" } } })],
    ["replacePlanMetadata", () => ({ path: { code: plan }, body: { metadata: { a: "1", b: "2" } } })],
    ["mergePlanMetadata", () => ({ path: { code: plan }, body: { metadata: { c: "3" } } })],
    ["deletePlanMetadataKey", () => ({ path: { code: plan, key: "a" } })],
    ["deleteAllPlanMetadata", () => ({ path: { code: plan } })],
    // Paid in advance: the fee estimates below need such a charge on the metric (Lago answers
    // 422 `does_not_match_an_instant_charge` without one).
    ["createPlanCharge", (r) => ({ path: { code: plan }, body: { charge: { billable_metric_id: r.createBillableMetric.billable_metric.lago_id, code: charge, charge_model: "standard", pay_in_advance: true, properties: { amount: "1" } } } })],
    ["findAllPlanCharges", () => ({ path: { code: plan }, query: { per_page: 10 } })],
    ["findPlanCharge", () => ({ path: { code: plan, charge_code: charge } })],
    ["updatePlanCharge", () => ({ path: { code: plan, charge_code: charge }, body: { charge: { invoice_display_name: "Calls" } } })],
    ["createPlanChargeFilter", () => ({ path: { code: plan, charge_code: charge }, body: { filter: { invoice_display_name: "EU", properties: { amount: "2" }, values: { region: ["eu"] } } } })],
    ["findAllPlanChargeFilters", () => ({ path: { code: plan, charge_code: charge } })],
    ["findPlanChargeFilter", (r) => ({ path: { code: plan, charge_code: charge, filter_id: r.createPlanChargeFilter.filter.lago_id } })],
    ["updatePlanChargeFilter", (r) => ({ path: { code: plan, charge_code: charge, filter_id: r.createPlanChargeFilter.filter.lago_id }, body: { filter: { invoice_display_name: "Europe" } } })],
    ["createPlanFixedCharge", () => ({ path: { code: plan }, body: { fixed_charge: { add_on_code: addOn, code: fixed, charge_model: "standard", units: "2", properties: { amount: "10" } } } })],
    ["findAllPlanFixedCharges", () => ({ path: { code: plan } })],
    ["findPlanFixedCharge", () => ({ path: { code: plan, fixed_charge_code: fixed } })],
    ["updatePlanFixedCharge", () => ({ path: { code: plan, fixed_charge_code: fixed }, body: { fixed_charge: { units: "3" } } })],
    ["createEntitlement", () => ({ path: { code: plan }, body: { entitlements: { [feature]: {} } } })],
    ["findAllEntitlements", () => ({ path: { code: plan } })],
    ["updateEntitlement", () => ({ path: { code: plan }, body: { entitlements: { [feature]: {} } } })],
    ["findEntitlement", () => ({ path: { code: plan, feature_code: feature } })],
    ["createCoupon", () => ({ body: { coupon: { name: "Every op coupon", code: coupon, coupon_type: "fixed_amount", amount_cents: 500, amount_currency: "USD", frequency: "once", expiration: "no_expiration", reusable: true } } })],
    ["findAllCoupons", list()],
    ["findCoupon", () => ({ path: { code: coupon } })],
    ["updateCoupon", () => ({ path: { code: coupon }, body: { coupon: { name: "Every op coupon (renamed)" } } })],
    // The customer, its coupon, payment methods, subscription.
    ["createCustomer", () => ({ body: { customer: { external_id: customer, name: "Every Op Ltd", email: "billing@every-op.test", currency: "USD", country: "FR" } } })],
    ["findCustomer", () => ({ path: { external_customer_id: customer } })],
    ["findAllCustomers", list({ search_term: "Every" })],
    ["applyCoupon", () => ({ body: { applied_coupon: { external_customer_id: customer, coupon_code: coupon } } })],
    ["findAllAppliedCoupons", list({ external_customer_id: customer })],
    ["findAllCustomerAppliedCoupons", () => ({ path: { external_customer_id: customer }, query: { per_page: 10 } })],
    ["findAllCustomersPaymentMethods", () => ({ path: { external_customer_id: customer } })],
    ["paymentMethodSetAsDefault", (r) => ({ path: { external_customer_id: customer, lago_id: r.findAllCustomersPaymentMethods.payment_methods[0].lago_id } })],
    ["createSubscription", () => ({ body: { subscription: { external_customer_id: customer, plan_code: plan, external_id: sub } } })],
    ["findSubscription", () => ({ path: { external_id: sub } })],
    ["findAllSubscriptions", list({ external_customer_id: customer })],
    ["updateSubscription", () => ({ path: { external_id: sub }, body: { subscription: { name: "Every op subscription", ending_at: null } } })],
    ["findAllCustomerSubscriptions", () => ({ path: { external_customer_id: customer } })],
    ["getSubscriptionLifetimeUsage", () => ({ path: { external_id: sub } })],
    ["updateSubscriptionLifetimeUsage", () => ({ path: { external_id: sub }, body: { lifetime_usage: { external_historical_usage_amount_cents: 100 } } })],
    ["createSubscriptionAlert", () => ({ path: { external_id: sub }, body: { alert: { alert_type: "current_usage_amount", code: alert, name: "Usage", thresholds: [{ value: "1000" }] } } })],
    ["getSubscriptionAlerts", () => ({ path: { external_id: sub } })],
    ["getSubscriptionAlert", () => ({ path: { external_id: sub, code: alert } })],
    ["updateSubscriptionAlert", () => ({ path: { external_id: sub, code: alert }, body: { alert: { name: "Usage (renamed)" } } })],
    ["findAllSubscriptionEntitlements", () => ({ path: { external_id: sub } })],
    ["updateSubscriptionEntitlements", () => ({ path: { external_id: sub }, body: { entitlements: { [feature]: {} } } })],
    ["findAllSubscriptionCharges", () => ({ path: { external_id: sub } })],
    ["findSubscriptionCharge", () => ({ path: { external_id: sub, charge_code: charge } })],
    ["overrideSubscriptionCharge", () => ({ path: { external_id: sub, charge_code: charge }, body: { charge: { invoice_display_name: "Calls (override)" } } })],
    ["createSubscriptionChargeFilter", () => ({ path: { external_id: sub, charge_code: charge }, body: { filter: { invoice_display_name: "US", properties: { amount: "3" }, values: { region: ["us"] } } } })],
    ["findAllSubscriptionChargeFilters", () => ({ path: { external_id: sub, charge_code: charge } })],
    ["findSubscriptionChargeFilter", (r) => ({ path: { external_id: sub, charge_code: charge, filter_id: r.createSubscriptionChargeFilter.filter.lago_id } })],
    ["updateSubscriptionChargeFilter", (r) => ({ path: { external_id: sub, charge_code: charge, filter_id: r.createSubscriptionChargeFilter.filter.lago_id }, body: { filter: { invoice_display_name: "United States" } } })],
    ["findAllSubscriptionFixedCharges", () => ({ path: { external_id: sub } })],
    ["findSubscriptionFixedCharge", () => ({ path: { external_id: sub, fixed_charge_code: fixed } })],
    ["overrideSubscriptionFixedCharge", () => ({ path: { external_id: sub, fixed_charge_code: fixed }, body: { fixed_charge: { units: "4" } } })],
    // Events and usage.
    ["createEvent", () => ({ body: { event: event(1, { timestamp: Math.floor(Date.now() / 1000) }) } })],
    ["createBatchEvents", () => ({ body: { events: [event(2), event(3)] } })],
    ["findAllEvents", list({ external_subscription_id: sub })],
    ["findEvent", () => ({ path: { transaction_id: `eo_tx_${s}_1` } })],
    ["eventEstimateFees", () => ({ body: { event: { code: metric, external_subscription_id: sub, properties: { calls: "5" } } } })],
    ["eventEstimateInstantFees", () => ({ body: { event: { code: metric, external_subscription_id: sub, transaction_id: `eo_est_${s}`, properties: { calls: "5" } } } })],
    // The spec wraps each item as `{event: {...}}`; the server reads the fields flat
    // (`batch_params` in events_controller.rb) and ignores `event`: sent both ways.
    ["eventBatchEstimateInstantFees", () => {
      const e = { code: metric, external_subscription_id: sub, transaction_id: `eo_est_${s}_b`, properties: { calls: "5" } };
      return { body: { events: [{ ...e, event: e }] } };
    }],
    ["findCustomerCurrentUsage", () => ({ path: { external_customer_id: customer }, query: { external_subscription_id: sub } })],
    ["findCustomerProjectedUsage", () => ({ path: { external_customer_id: customer }, query: { external_subscription_id: sub } })],
    ["findAllCustomerPastUsage", () => ({ path: { external_customer_id: customer }, query: { external_subscription_id: sub, periods_count: 2 } })],
    // Wallets: under the customer, then at the top level, then transactions.
    // The spec requires `wallet.external_customer_id` here too; the server takes the path's.
    ["createCustomerWallet", () => ({ path: { external_customer_id: customer }, body: { wallet: { external_customer_id: customer, name: "Every op", code: wallet, rate_amount: "1.5", currency: "USD", paid_credits: "10", granted_credits: "5" } } })],
    ["findAllCustomerWallets", () => ({ path: { external_customer_id: customer }, query: { per_page: 10 } })],
    ["findCustomerWallet", () => ({ path: { external_customer_id: customer, code: wallet } })],
    ["updateCustomerWallet", () => ({ path: { external_customer_id: customer, code: wallet }, body: { wallet: { name: "Every op (renamed)" } } })],
    ["replaceCustomerWalletMetadata", () => ({ path: { external_customer_id: customer, wallet_code: wallet }, body: { metadata: { a: "1", b: "2" } } })],
    ["mergeCustomerWalletMetadata", () => ({ path: { external_customer_id: customer, wallet_code: wallet }, body: { metadata: { c: "3" } } })],
    ["deleteCustomerWalletMetadataKey", () => ({ path: { external_customer_id: customer, wallet_code: wallet, key: "a" } })],
    ["deleteAllCustomerWalletMetadata", () => ({ path: { external_customer_id: customer, wallet_code: wallet } })],
    ["createCustomerWalletAlert", () => ({ path: { external_customer_id: customer, wallet_code: wallet }, body: { alert: { alert_type: "wallet_credits_balance", code: walletAlert, name: "Low", thresholds: [{ value: "5" }] } } })],
    ["getCustomerWalletAlerts", () => ({ path: { external_customer_id: customer, wallet_code: wallet } })],
    ["getCustomerWalletAlert", () => ({ path: { external_customer_id: customer, wallet_code: wallet, code: walletAlert } })],
    ["updateCustomerWalletAlert", () => ({ path: { external_customer_id: customer, wallet_code: wallet, code: walletAlert }, body: { alert: { name: "Very low", thresholds: [{ value: "1" }] } } })],
    ["deleteCustomerWalletAlert", () => ({ path: { external_customer_id: customer, wallet_code: wallet, code: walletAlert } })],
    ["deleteAllCustomerWalletAlerts", () => ({ path: { external_customer_id: customer, wallet_code: wallet } })],
    ["createWallet", () => ({ body: { wallet: { external_customer_id: customer, name: "Every op top level", code: topWallet, rate_amount: "1", currency: "USD" } } })],
    ["findAllWallets", list({ external_customer_id: customer })],
    ["findWallet", (r) => ({ path: { lago_id: walletId(r) } })],
    ["updateWallet", (r) => ({ path: { lago_id: walletId(r) }, body: { wallet: { name: "Every op top level (renamed)" } } })],
    ["replaceWalletMetadata", (r) => ({ path: { lago_id: walletId(r) }, body: { metadata: { a: "1", b: "2" } } })],
    ["mergeWalletMetadata", (r) => ({ path: { lago_id: walletId(r) }, body: { metadata: { c: "3" } } })],
    ["deleteWalletMetadataKey", (r) => ({ path: { lago_id: walletId(r), key: "a" } })],
    ["deleteAllWalletMetadata", (r) => ({ path: { lago_id: walletId(r) } })],
    ["createWalletTransaction", (r) => ({ body: { wallet_transaction: { wallet_id: walletId(r), paid_credits: "10", granted_credits: "5" } } })],
    ["findWalletTransaction", (r) => ({ path: { lago_id: txId(r) } })],
    ["walletTransactionPaymentUrl", (r) => ({ path: { lago_id: txId(r) } })],
    ["findAllWalletTransactions", (r) => ({ path: { lago_id: walletId(r) }, query: { per_page: 10 } })],
    ["findAllWalletTransactionConsumptions", (r) => ({ path: { lago_id: txId(r) } })],
    ["findAllWalletTransactionFundings", (r) => ({ path: { lago_id: txId(r) } })],
    // Invoices, fees, credit notes, payments.
    ["createInvoice", () => ({ body: { invoice: { external_customer_id: customer, currency: "USD", fees: [{ add_on_code: addOn, units: "2", unit_amount_cents: 1500 }] } } })],
    ["findAllInvoices", list({ external_customer_id: customer })],
    ["findInvoice", (r) => ({ path: { lago_id: invoiceId(r) } })],
    ["updateInvoice", (r) => ({ path: { lago_id: invoiceId(r) }, body: { invoice: { payment_status: "pending" } } })],
    ["downloadInvoice", (r) => ({ path: { lago_id: invoiceId(r) } })],
    ["finalizeInvoice", (r) => ({ path: { lago_id: invoiceId(r) } })],
    ["refreshInvoice", (r) => ({ path: { lago_id: invoiceId(r) } })],
    ["retryInvoice", (r) => ({ path: { lago_id: invoiceId(r) } })],
    ["invoicePaymentUrl", (r) => ({ path: { lago_id: invoiceId(r) } })],
    ["retryPayment", (r) => ({ path: { lago_id: invoiceId(r) }, body: {} })],
    ["invoicePreview", () => ({ body: { customer: { external_id: customer }, plan_code: plan } })],
    ["findAllCustomerInvoices", () => ({ path: { external_customer_id: customer }, query: { per_page: 10 } })],
    ["findAllFees", list()],
    ["findFee", (r) => ({ path: { lago_id: r.findAllFees.fees[0].lago_id } })],
    ["updateFee", (r) => ({ path: { lago_id: r.findAllFees.fees[0].lago_id }, body: { fee: { payment_status: "succeeded" } } })],
    ["estimateCreditNote", (r) => ({ body: { credit_note: { invoice_id: invoiceId(r), items: [{ fee_id: r.findAllFees.fees[0].lago_id, amount_cents: 100 }] } } })],
    ["createCreditNote", (r) => ({ body: { credit_note: { invoice_id: invoiceId(r), reason: "other", credit_amount_cents: 100, refund_amount_cents: 0, items: [{ fee_id: r.findAllFees.fees[0].lago_id, amount_cents: 100 }] } } })],
    ["findAllCreditNotes", list({ external_customer_id: customer })],
    ["findCreditNote", (r) => ({ path: { lago_id: r.createCreditNote.credit_note.lago_id } })],
    ["updateCreditNote", (r) => ({ path: { lago_id: r.createCreditNote.credit_note.lago_id }, body: { credit_note: { refund_status: "pending" } } })],
    ["downloadCreditNote", (r) => ({ path: { lago_id: r.createCreditNote.credit_note.lago_id } })],
    ["replaceCreditNoteMetadata", (r) => ({ path: { lago_id: r.createCreditNote.credit_note.lago_id }, body: { metadata: { a: "1", b: "2" } } })],
    ["mergeCreditNoteMetadata", (r) => ({ path: { lago_id: r.createCreditNote.credit_note.lago_id }, body: { metadata: { c: "3" } } })],
    ["deleteCreditNoteMetadataKey", (r) => ({ path: { lago_id: r.createCreditNote.credit_note.lago_id, key: "a" } })],
    ["deleteAllCreditNoteMetadata", (r) => ({ path: { lago_id: r.createCreditNote.credit_note.lago_id } })],
    ["voidCreditNote", (r) => ({ path: { lago_id: r.createCreditNote.credit_note.lago_id } })],
    ["findAllCustomerCreditNotes", () => ({ path: { external_customer_id: customer }, query: { per_page: 10 } })],
    ["createPayment", (r) => ({ body: { payment: { invoice_id: invoiceId(r), amount_cents: 100, reference: `eo_ref_${s}` } } })],
    ["findAllPayments", list({ external_customer_id: customer })],
    ["findPayment", (r) => ({ path: { lago_id: r.createPayment.payment.lago_id } })],
    ["findAllCustomerPayments", () => ({ path: { external_customer_id: customer }, query: { per_page: 10 } })],
    ["createPaymentRequest", (r) => ({ body: { payment_request: { email: "billing@every-op.test", external_customer_id: customer, lago_invoice_ids: [invoiceId(r)] } } })],
    ["findAllPaymentRequests", list({ external_customer_id: customer })],
    ["findPaymentRequest", (r) => ({ path: { lago_id: r.createPaymentRequest.payment_request.lago_id } })],
    ["findAllCustomerPaymentRequests", () => ({ path: { external_customer_id: customer }, query: { per_page: 10 } })],
    ["findAllPaymentReceipts", list()],
    ["findPaymentReceipt", (r) => ({ path: { lago_id: r.findAllPaymentReceipts.payment_receipts[0].lago_id } })],
    ["loseDisputeInvoice", (r) => ({ path: { lago_id: invoiceId(r) } })],
    ["voidInvoice", (r) => ({ path: { lago_id: invoiceId(r) }, body: {} })],
    ["getCustomerPortalUrl", () => ({ path: { external_customer_id: customer } })],
    // The seed's acme_corp has a payment provider, which a checkout URL needs.
    ["generateCustomerCheckoutURL", () => ({ path: { external_customer_id: "acme_corp" } })],
    // Analytics, logs, webhook endpoints.
    ["findAllGrossRevenues", () => ({ query: { external_customer_id: customer } })],
    ["findAllInvoiceCollections", none],
    ["findAllInvoicedUsages", none],
    ["findAllMrrs", none],
    ["findAllOverdueBalances", none],
    ["findAllUsages", none],
    ["findAllActivityLogs", list()],
    ["findActivityLog", (r) => ({ path: { activity_id: r.findAllActivityLogs.activity_logs[0].activity_id } })],
    ["findAllApiLogs", list()],
    ["findApiLog", (r) => ({ path: { request_id: r.findAllApiLogs.api_logs[0].request_id } })],
    ["createWebhookEndpoint", () => ({ body: { webhook_endpoint: { webhook_url: `https://example.com/hooks/${s}`, signature_algo: "hmac" } } })],
    ["findAllWebhookEndpoints", list()],
    ["findWebhookEndpoint", (r) => ({ path: { lago_id: r.createWebhookEndpoint.webhook_endpoint.lago_id } })],
    ["updateWebhookEndpoint", (r) => ({ path: { lago_id: r.createWebhookEndpoint.webhook_endpoint.lago_id }, body: { webhook_endpoint: { webhook_url: `https://example.com/hooks/${s}/v2` } } })],
    // Deletions, innermost first.
    ["destroyWebhookEndpoint", (r) => ({ path: { lago_id: r.createWebhookEndpoint.webhook_endpoint.lago_id } })],
    ["deleteFee", (r) => ({ path: { lago_id: r.findAllFees.fees[0].lago_id } })],
    ["deleteInvoice", (r) => ({ path: { lago_id: invoiceId(r) } })],
    ["destroyWallet", (r) => ({ path: { lago_id: walletId(r) } })],
    ["destroyCustomerWallet", () => ({ path: { external_customer_id: customer, code: wallet } })],
    ["destroySubscriptionChargeFilter", (r) => ({ path: { external_id: sub, charge_code: charge, filter_id: r.createSubscriptionChargeFilter.filter.lago_id } })],
    ["destroySubscriptionEntitlementPrivilege", () => ({ path: { external_id: sub, feature_code: feature, privilege_code: "max" } })],
    ["destroySubscriptionEntitlement", () => ({ path: { external_id: sub, feature_code: feature } })],
    ["deleteSubscriptionAlert", () => ({ path: { external_id: sub, code: alert } })],
    ["deleteAllSubscriptionAlerts", () => ({ path: { external_id: sub } })],
    ["destroySubscription", () => ({ path: { external_id: sub } })],
    ["destroyPlanChargeFilter", (r) => ({ path: { code: plan, charge_code: charge, filter_id: r.createPlanChargeFilter.filter.lago_id } })],
    ["destroyPlanFixedCharge", () => ({ path: { code: plan, fixed_charge_code: fixed } })],
    ["destroyPlanCharge", () => ({ path: { code: plan, charge_code: charge } })],
    ["removeEntitlementPrivilege", () => ({ path: { code: plan, feature_code: feature, privilege_code: "max" } })],
    ["destroyEntitlement", () => ({ path: { code: plan, feature_code: feature } })],
    ["deleteFeaturePrivilege", () => ({ path: { code: feature, privilege_code: "max" } })],
    ["destroyFeature", () => ({ path: { code: feature } })],
    ["destroyPlan", () => ({ path: { code: plan } })],
    ["deleteAppliedCoupon", (r) => ({ path: { external_customer_id: customer, applied_coupon_id: r.applyCoupon.applied_coupon.lago_id } })],
    ["destroyCoupon", () => ({ path: { code: coupon } })],
    ["destroyAddOn", () => ({ path: { code: addOn } })],
    ["destroyBillableMetric", () => ({ path: { code: metric } })],
    ["destroyTax", () => ({ path: { code: tax } })],
    ["destroyPaymentMethod", (r) => ({ path: { external_customer_id: customer, lago_id: r.findAllCustomersPaymentMethods.payment_methods[0].lago_id } })],
    ["destroyCustomer", () => ({ path: { external_customer_id: customer } })],
  ];
}
