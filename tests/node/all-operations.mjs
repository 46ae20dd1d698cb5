// Every operation of the package's classes (CustomersApi 16, CustomerWalletsApi 15, EventsApi 2),
// called once each in an order that works on the stateful fake Lago (create before use, delete
// last) and on Prism's stateless mock alike; plus the spec's list of those operations, so a
// test can prove from the wire log that each one really went through Prism.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { SPEC } from "./servers.mjs";
import { findOperations, loadSpec } from "../../tools/gen-from-spec.mjs";

/** The spec's component schemas by name (as the spec file has them). */
export const specSchemas = () => parse(readFileSync(SPEC, "utf8")).components.schemas;

/** `[{ operationId, method, path, re, cls }]`: the operations of the package's classes. */
export function specOperations() {
  return findOperations(loadSpec(SPEC)).map((o) => ({
    operationId: o.id,
    method: o.method,
    path: o.path,
    cls: o.cls,
    re: new RegExp(`/api/v1${o.path.replace(/\{[^}]+\}/g, "[^/?]+")}(\\?|$)`),
  }));
}

/** The spec operation a logged request was (`null` when none matches). */
export const operationOf = (ops, { method, url }) =>
  ops.find((o) => o.method === method && o.re.test(new URL(url).pathname.replace(/^\/(?!api)/, "/api/v1/"))) ?? null;

/**
 * Calls all 33 operations; resolves with their results by operationId.
 * `ids`: `customer` (created, walleted, then destroyed), `usageCustomer` and `subscription`
 * (whose lists and usage are read), `currency` (the created customer's, so its wallet matches).
 * An operation that rejects rejects the whole run, unless `known` handles it.
 */
export async function everyOperation({ customers, wallets, events }, { customer, usageCustomer, subscription, currency }, known = {}) {
  const r = {};
  // `known[operationId]` replaces the plain call for an answer the caller knows cannot be had
  // (and checks exactly why); its result is recorded instead.
  const run = async (name, call) => (r[name] = known[name] ? await known[name](call) : await call());
  const c = usageCustomer;
  await run("createCustomer", () => customers.createCustomer({
    customer: { external_id: customer, name: "Spec Check Ltd", email: "billing@spec.test", currency, country: "FR" },
  }));
  await run("findCustomer", () => customers.findCustomer(customer));
  await run("findAllCustomers", () => customers.findAllCustomers({ page: 1, per_page: 5, search_term: "a" }));
  // The lists with their spec filters (arrays among them), so Prism also checks how the SDK
  // encodes each query; the values are the seed's (acme_corp's coupons, the fake's entity).
  await run("findAllCustomerAppliedCoupons", () => customers.findAllCustomerAppliedCoupons(c, { per_page: 10, status: "active", coupon_code: ["welcome_credit", "startup_deal"] }));
  await run("findAllCustomerCreditNotes", () => customers.findAllCustomerCreditNotes(c, { per_page: 10, issuing_date_from: "2020-01-01" }));
  await run("findAllCustomerInvoices", () => customers.findAllCustomerInvoices(c, { per_page: 10, issuing_date_from: "2020-01-01", amount_from: 1 }));
  await run("findAllCustomerPayments", () => customers.findAllCustomerPayments(c, { per_page: 10 }));
  await run("findAllCustomerPaymentRequests", () => customers.findAllCustomerPaymentRequests(c, { per_page: 10 }));
  await run("findAllCustomerSubscriptions", () => customers.findAllCustomerSubscriptions(c, { status: ["active", "terminated"] }));
  await run("findCustomerCurrentUsage", () => customers.findCustomerCurrentUsage(c, subscription));
  await run("findCustomerProjectedUsage", () => customers.findCustomerProjectedUsage(c, subscription, { apply_taxes: true }));
  await run("findAllCustomerPastUsage", () => customers.findAllCustomerPastUsage(c, subscription, { per_page: 3, periods_count: 3 }));
  await run("getCustomerPortalUrl", () => customers.getCustomerPortalUrl(c));
  await run("generateCustomerCheckoutURL", () => customers.generateCustomerCheckoutURL(c));
  // The coupon the list just returned (on the mock: the example's id).
  await run("deleteAppliedCoupon", () => customers.deleteAppliedCoupon(c, r.findAllCustomerAppliedCoupons.applied_coupons[0].lago_id));

  // A wallet's whole life on the new customer: create, read, update, metadata, alerts, terminate.
  const code = "spec_topup";
  await run("createCustomerWallet", () => wallets.createCustomerWallet(customer, {
    wallet: {
      external_customer_id: customer, name: "Spec top-up", code, rate_amount: "1.5", currency,
      paid_credits: "10", granted_credits: "5", metadata: { source: "prism" },
    },
  }));
  await run("findAllCustomerWallets", () => wallets.findAllCustomerWallets(customer, { per_page: 10, billing_entity_codes: ["fake_lago_inc"] }));
  await run("findCustomerWallet", () => wallets.findCustomerWallet(customer, code));
  await run("updateCustomerWallet", () => wallets.updateCustomerWallet(customer, code, { wallet: { name: "Spec top-up (renamed)", priority: 3 } }));
  await run("replaceCustomerWalletMetadata", () => wallets.replaceCustomerWalletMetadata(customer, code, { metadata: { a: "1", b: "2" } }));
  // Strings only: the SDK refuses a null value, which the spec allows (a `todo` test in e2e).
  await run("mergeCustomerWalletMetadata", () => wallets.mergeCustomerWalletMetadata(customer, code, { metadata: { b: "3", c: "4" } }));
  await run("deleteCustomerWalletMetadataKey", () => wallets.deleteCustomerWalletMetadataKey(customer, code, "a"));
  await run("deleteAllCustomerWalletMetadata", () => wallets.deleteAllCustomerWalletMetadata(customer, code));
  await run("createCustomerWalletAlert", () => wallets.createCustomerWalletAlert(customer, code, {
    alert: { alert_type: "wallet_credits_balance", code: "spec_low", name: "Low", thresholds: [{ value: 5 }, { value: "2.5", code: "crit", recurring: true }] },
  }));
  await run("getCustomerWalletAlerts", () => wallets.getCustomerWalletAlerts(customer, code));
  await run("getCustomerWalletAlert", () => wallets.getCustomerWalletAlert(customer, code, "spec_low"));
  await run("updateCustomerWalletAlert", () => wallets.updateCustomerWalletAlert(customer, code, "spec_low", { alert: { name: "Very low", thresholds: [{ value: 1 }] } }));
  await run("deleteCustomerWalletAlert", () => wallets.deleteCustomerWalletAlert(customer, code, "spec_low"));
  await run("deleteAllCustomerWalletAlerts", () => wallets.deleteAllCustomerWalletAlerts(customer, code));
  await run("destroyCustomerWallet", () => wallets.destroyCustomerWallet(customer, code));
  await run("destroyCustomer", () => customers.destroyCustomer(customer));
  // Events: integer timestamps (the spec's own; Lago also takes fractions) and unique ids, as
  // the fake remembers every transaction id. Property values are strings: the spec's
  // `oneOf: [string, integer, number]` matches a whole number twice, which Prism refuses.
  const txn = `${customer}_${Date.now()}`;
  await run("createEvent", () => events.createEvent({ event: { transaction_id: `${txn}_1`, external_subscription_id: subscription, code: "api_calls", timestamp: 1700000000, properties: { calls: "3" } } }));
  await run("createBatchEvents", () => events.createBatchEvents({ events: [
    { transaction_id: `${txn}_2`, external_subscription_id: subscription, code: "api_calls", properties: { calls: "2" } },
    { transaction_id: `${txn}_3`, external_subscription_id: subscription, code: "seats", timestamp: "1700000000", properties: { user: "u1" } },
  ] }));
  return r;
}
