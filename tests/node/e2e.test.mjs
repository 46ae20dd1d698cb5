// End to end over real HTTP: the built package against the fake Lago server, directly and
// through Prism's validating proxy (every request the SDK sends and every response the fake
// returns must satisfy Lago's official spec), and against Prism's mock of the spec.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { CustomersApi, LagoError } from "../../pkg/node.mjs";
import { API_KEY, specMissing, startFakeLago, startPrism } from "./servers.mjs";

/** A fetch that records what went over the wire, Prism's violation header included. */
function recordingFetch(log) {
  return async (url, init) => {
    const res = await fetch(url, init);
    log.push({ method: init.method, url, status: res.status, violations: res.headers.get("sl-violations") });
    return res;
  };
}

async function appliedCoupons(fakeUrl, customer) {
  const res = await fetch(`${fakeUrl}/admin/customers/${encodeURIComponent(customer)}/applied_coupons`);
  assert.equal(res.status, 200);
  const body = await res.json();
  return Array.isArray(body) ? body : body.applied_coupons;
}

/** Calls all nine operations once and returns their results by name. */
async function allNine(api, { customer, subscription, couponId }) {
  const r = {};
  r.createCustomer = await api.createCustomer({
    customer: { external_id: customer, name: "Spec Check Ltd", email: "billing@spec.test", currency: "EUR", country: "FR" },
  });
  r.findCustomer = await api.findCustomer(customer);
  r.findAllCustomers = await api.findAllCustomers({ page: 1, per_page: 5, search_term: "a" });
  r.findCustomerCurrentUsage = await api.findCustomerCurrentUsage("acme_corp", subscription);
  r.findAllCustomerPastUsage = await api.findAllCustomerPastUsage("acme_corp", subscription, { per_page: 3, periods_count: 3 });
  r.getCustomerPortalUrl = await api.getCustomerPortalUrl("acme_corp");
  r.generateCustomerCheckoutURL = await api.generateCustomerCheckoutURL("acme_corp");
  r.deleteAppliedCoupon = await api.deleteAppliedCoupon("acme_corp", couponId);
  r.destroyCustomer = await api.destroyCustomer(customer);
  return r;
}

describe("against the fake Lago server", () => {
  let fake;
  before(async () => {
    fake = await startFakeLago();
  });
  after(() => fake?.stop());

  test("scenario: create -> find -> list all pages -> usage -> portal -> checkout -> coupon -> destroy -> 404", async () => {
    const log = [];
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1/`, fetch: recordingFetch(log) });
    const id = "scenario/é.1 #?%";
    const created = await api.createCustomer({ customer: { external_id: id, name: "Scenario", currency: "USD", brand_new_field: 7 } });
    assert.equal(created.customer.external_id, id);
    assert.equal((await api.findCustomer(id)).customer.name, "Scenario");

    const seen = [];
    for await (const c of api.listAllCustomers({ per_page: 7 })) seen.push(c.external_id);
    const pages = log.filter((l) => l.url.includes("/customers?")).length;
    const total = (await api.findAllCustomers({ per_page: 1 })).meta.total_count;
    assert.equal(seen.length, total, "listAllCustomers yields every customer once");
    assert.equal(new Set(seen).size, total);
    assert.ok(seen.includes(id));
    assert.equal(pages, Math.ceil(total / 7), "one request per page");

    const sub = "sub_acme_corp_1";
    const usage = await api.findCustomerCurrentUsage("acme_corp", sub);
    assert.ok(usage.customer_usage.charges_usage.length > 0);
    const past = await api.findAllCustomerPastUsage("acme_corp", sub, { periods_count: 3 });
    assert.ok(past.usage_periods.length > 0 && past.usage_periods.length <= 3);
    assert.match((await api.getCustomerPortalUrl("acme_corp")).customer.portal_url, /^https?:\/\//);
    assert.match((await api.generateCustomerCheckoutURL("acme_corp")).customer.checkout_url, /^https?:\/\//);
    const [coupon] = await appliedCoupons(fake.url, "acme_corp");
    const removed = await api.deleteAppliedCoupon("acme_corp", coupon.lago_id);
    assert.equal(removed.applied_coupon.lago_id, coupon.lago_id);
    assert.equal((await api.destroyCustomer(id)).customer.external_id, id);
    const err = await api.findCustomer(id).catch((e) => e);
    assert.ok(err instanceof LagoError);
    assert.equal(err.kind, "http");
    assert.equal(err.status, 404);
    assert.equal(err.code, "customer_not_found");
    assert.equal(err.attempts, 1);
  });

  test("401 without a valid key is final and never shows the key", async () => {
    const api = new CustomersApi({ apiKey: "sk_wrong_key_42", baseUrl: `${fake.url}/api/v1` });
    const err = await api.findCustomer("acme_corp").catch((e) => e);
    assert.equal(err.kind, "http");
    assert.equal(err.status, 401);
    assert.equal(err.attempts, 1);
    for (const text of [err.message, err.stack, JSON.stringify(err), String(err)]) assert.ok(!text.includes("sk_wrong_key_42"));
  });

  test("422 validation errors reach the caller as details", async () => {
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1` });
    const err = await api.createCustomer({ customer: { external_id: "bad-mail", email: "not-an-email" } }).catch((e) => e);
    assert.equal(err.kind, "http");
    assert.equal(err.status, 422);
    assert.equal(err.code, "validation_errors");
    assert.deepEqual(err.details, { email: ["invalid_email_format"] });
  });

  // Faults (retries, Retry-After, timeouts, drops, bad bodies, aborts) over real HTTP are in
  // faults.test.mjs.
});

describe("checked against Lago's official spec by Prism", { skip: specMissing ?? false }, () => {
  let fake;
  let proxy;
  let mock;
  before(async () => {
    fake = await startFakeLago();
    [proxy, mock] = await Promise.all([startPrism("proxy", `${fake.url}/api/v1`), startPrism("mock")]);
  });
  after(async () => {
    await Promise.all([fake?.stop(), proxy?.stop(), mock?.stop()]);
  });

  test("all nine operations through Prism's validating proxy: no request or response violation", async () => {
    const log = [];
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: proxy.url, fetch: recordingFetch(log), maxRetries: 0 });
    const [coupon] = await appliedCoupons(fake.url, "acme_corp");
    const results = await allNine(api, { customer: "spec_check_1", subscription: "sub_acme_corp_1", couponId: coupon.lago_id });
    assert.equal(Object.keys(results).length, 9);
    // Every page of a full walk, and the documented error answers, through the proxy too.
    let walked = 0;
    for await (const _ of api.listAllCustomers({ per_page: 10 })) walked++;
    assert.ok(walked > 30);
    const notFound = await api.findCustomer("nobody_here").catch((e) => e);
    assert.equal(notFound.status, 404);
    const invalid = await api.createCustomer({ customer: { external_id: "x", email: "nope" } }).catch((e) => e);
    assert.equal(invalid.status, 422);
    for (const l of log) assert.equal(l.violations, null, `${l.method} ${l.url}: ${l.violations}`);
    console.log(`Prism proxy validated ${log.length} requests and ${log.length} responses with no violation`);
  });

  test("the proxy really validates: a response that breaks the spec is caught", async () => {
    const log = [];
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: proxy.url, fetch: recordingFetch(log), maxRetries: 0 });
    const err = await api.findCustomer("acme_corp", { headers: { "x-fake-fault": "wrong-shape" } }).catch((e) => e);
    assert.equal(err.status, 500);
    assert.match(log[0].violations, /required property 'customer'/);
    const bad = await fetch(`${proxy.url}/customers?per_page=abc`, { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(bad.status, 422, "a request that breaks the spec is refused");
  });

  test("all nine operations against Prism's mock of the spec's own examples", async () => {
    const log = [];
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: mock.url, fetch: recordingFetch(log), maxRetries: 0 });
    const results = await allNine(api, { customer: "mock_1", subscription: "sub_1", couponId: "1a901a90-1a90-1a90-1a90-1a901a901a90" });
    assert.ok(results.findCustomer.customer.lago_id);
    assert.ok(Array.isArray(results.findAllCustomers.customers));
    assert.ok(Array.isArray(results.findCustomerCurrentUsage.customer_usage.charges_usage));
    assert.ok(Array.isArray(results.findAllCustomerPastUsage.usage_periods));
    assert.equal(typeof results.getCustomerPortalUrl.customer.portal_url, "string");
    assert.ok(results.deleteAppliedCoupon.applied_coupon.lago_id);
    for (const l of log) assert.equal(l.violations, null, `${l.method} ${l.url}: ${l.violations}`);
    console.log(`Prism mock answered and validated ${log.length} requests`);
  });
});
