// Every operation of Lago's spec (all of them, not just the SDK's classes) sent with raw fetch
// through Prism's validating proxy to the fake Lago server, in an order that works (create
// before use, delete last; every-operation-args.mjs): each must be answered 2xx, and Prism must
// find no violation in any request or answer except the spec bugs listed below, where the fake
// answers like Lago's real server and the spec says otherwise. Then Lago's billing flow over
// raw HTTP against the fake alone: metric -> plan -> customer -> subscription -> events ->
// current usage moves by exactly the events -> wallet top-up -> invoice, credit note.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { everyOperationArgs, REQUIRED_NOT_SENT, WRAPPED_BY_SERVER } from "./every-operation-args.mjs";
import { API_KEY, SPEC, specMissing, startFakeLago, startPrism } from "./servers.mjs";

const KNOWN_SPEC_BUGS = [...Object.keys(WRAPPED_BY_SERVER), ...REQUIRED_NOT_SENT].sort();

/** The spec's operations: `{ id, method, path }`. */
function specOperations() {
  const doc = parse(readFileSync(SPEC, "utf8"));
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) if (op?.operationId) ops.push({ id: op.operationId, method: method.toUpperCase(), path });
  }
  return ops;
}

/** `/plans/{code}` with `{ code: "p/1" }` -> `/plans/p%2F1`. */
function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(values[name]);
  });
}

/** `page=1&status[]=a&status[]=b`. */
function queryString(query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(`${k}[]`, String(x)));
    else q.append(k, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** One exchange: the status, the body (JSON when it is), and what Prism said about it. */
async function send(base, op, { path, query, body } = {}) {
  const url = `${base}${fill(op.path, path)}${queryString(query)}`;
  const headers = { authorization: `Bearer ${API_KEY}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, { method: op.method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  let violations = JSON.parse(res.headers.get("sl-violations") ?? "[]");
  // With --errors, Prism answers a request it refuses (422) or an answer it refuses (500)
  // itself, with the violations in a problem body instead of the header.
  const prism = String(json?.type).startsWith("https://stoplight.io/prism/errors#") ? json.type.split("#")[1] : null;
  if (!violations.length && prism) violations = json.validation ?? [{ location: [], message: `${json.type}: ${json.detail}` }];
  return { id: op.id, status: res.status, json, text, violations, prism, contentType: res.headers.get("content-type") ?? "" };
}

describe("every operation of the spec, through Prism's validating proxy", { skip: specMissing ?? false }, () => {
  let fake;
  let proxy;
  before(async () => {
    fake = await startFakeLago();
    proxy = await startPrism("proxy", `${fake.url}/api/v1`);
  });
  after(async () => {
    await Promise.all([fake?.stop(), proxy?.stop()]);
  });

  test("all operations answered 2xx; Prism finds no violation but the listed spec bugs", async () => {
    const ops = specOperations();
    const byId = new Map(ops.map((o) => [o.id, o]));
    const calls = everyOperationArgs(`${process.pid}_${Date.now()}`);
    assert.deepEqual(calls.map(([id]) => id).sort(), [...byId.keys()].sort(), "the args name every operation of the spec exactly once");

    const r = {};
    const exchanges = [];
    for (const [id, args] of calls) {
      let x;
      try {
        x = await send(proxy.url, byId.get(id), args(r));
      } catch (e) {
        // An earlier answer this call needs is missing: reported with the failures below.
        x = { id, status: 0, json: null, text: `not sent: ${e.message}`, violations: [] };
      }
      exchanges.push(x);
      r[id] = x.json;
      // The fake answers these under the server's root key; later calls read them there.
      if (WRAPPED_BY_SERVER[id] && x.json) r[id] = { ...x.json, ...x.json[WRAPPED_BY_SERVER[id]] };
    }

    const said = (x) => x.violations.map((v) => `${v.location?.join(".")} ${v.message}`);
    // A known spec bug is answered by Prism's own 500 (--errors), which replaces the fake's
    // answer; every other operation must come back 2xx from the fake.
    const failed = exchanges
      .filter((x) => (KNOWN_SPEC_BUGS.includes(x.id) ? x.status !== 500 || x.prism !== "VIOLATIONS" : x.status < 200 || x.status > 299))
      .map((x) => `${x.id}: ${x.status} ${said(x).join("; ")} ${x.text.slice(0, 200)}`);
    assert.deepEqual(failed, [], "every operation answered 2xx (the known spec bugs: Prism's 500)");
    const violated = exchanges.filter((x) => x.violations.length);
    const unexpected = violated.filter((x) => !KNOWN_SPEC_BUGS.includes(x.id)).map((x) => `${x.id}: ${said(x).join("; ")}`);
    assert.deepEqual(unexpected, [], "no violation outside the known spec bugs");
    assert.deepEqual(violated.map((x) => x.id).sort(), KNOWN_SPEC_BUGS, "each known spec bug shows up as a violation");
    for (const x of violated) {
      // Answer violations only, each a required field of the spec's top level missing.
      for (const line of said(x)) assert.match(line, /^response\.body Response body must have required property '\w+'$/, `${x.id}: ${line}`);
    }
    // The events sent to the new subscription (1 + 2 + 3 calls) moved both charges of its
    // plan's metric, priced at their `properties.amount` (0.5 and 1 USD a call).
    const metric = r.createBillableMetric.billable_metric.code;
    const lines = r.findCustomerCurrentUsage.customer_usage.charges_usage.filter((c) => c.billable_metric.code === metric);
    assert.deepEqual(lines.map((c) => [c.units, c.events_count, c.amount_cents]).sort(), [["6.0", 3, 300], ["6.0", 3, 600]]);
    const publicKey = exchanges.find((x) => x.id === "fetchPublicKey");
    assert.match(publicKey.contentType, /^text\/plain/);

    const violations = violated.reduce((n, x) => n + x.violations.length, 0);
    console.log(
      `every operation through Prism: ${exchanges.length} requests, ${exchanges.length} responses ` +
        `(${exchanges.filter((x) => x.status >= 200 && x.status < 300).length} 2xx), ${violations} violations, ` +
        `all in the ${KNOWN_SPEC_BUGS.length} known spec bugs:\n${violated.map((x) => `  ${x.id}: ${said(x).join("; ")}`).join("\n")}`,
    );
  });
});

describe("Lago's billing flow over raw HTTP against the fake", () => {
  let fake;
  before(async () => {
    fake = await startFakeLago();
  });
  after(() => fake?.stop());

  async function call(method, path, body) {
    const res = await fetch(`${fake.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => null);
    return { status: res.status, json };
  }
  async function ok(method, path, body) {
    const { status, json } = await call(method, path, body);
    assert.equal(status, 200, `${method} ${path}: ${status} ${JSON.stringify(json)}`);
    return json;
  }

  test("metric -> plan -> customer -> subscription -> events move current usage -> top-up invoice -> credit note", async () => {
    // A metric the usage catalog knows (api_calls), so its charge prices the events.
    const metric = (await ok("POST", "/billable_metrics", { billable_metric: { name: "API calls", code: "api_calls", aggregation_type: "sum_agg", field_name: "calls" } })).billable_metric;
    const again = await call("POST", "/billable_metrics", { billable_metric: { name: "API calls", code: "api_calls", aggregation_type: "sum_agg" } });
    assert.equal(again.status, 422);
    assert.deepEqual(again.json.error_details, { code: ["value_already_exist"] });
    const plan = (await ok("POST", "/plans", { plan: {
      name: "Flow", code: "flow_plan", interval: "monthly", amount_cents: 4900, amount_currency: "USD", pay_in_advance: false,
      charges: [{ billable_metric_id: metric.lago_id, charge_model: "graduated", properties: {} }],
    } })).plan;
    assert.equal(plan.charges[0].billable_metric_code, "api_calls");
    assert.equal((await ok("GET", "/plans/flow_plan/charges")).charges.length, 1);
    await ok("POST", "/customers", { customer: { external_id: "flow_cust", name: "Flow Ltd", currency: "USD" } });
    const missingPlan = await call("POST", "/subscriptions", { subscription: { external_customer_id: "flow_cust", plan_code: "nope", external_id: "flow_sub" } });
    assert.deepEqual(missingPlan.json, { status: 404, error: "Not Found", code: "plan_not_found" });
    const sub = (await ok("POST", "/subscriptions", { subscription: { external_customer_id: "flow_cust", plan_code: "flow_plan", external_id: "flow_sub" } })).subscription;
    assert.equal(sub.status, "active");
    assert.equal(sub.plan_amount_cents, 4900);
    assert.equal((await ok("GET", "/subscriptions/flow_sub")).subscription.plan_code, "flow_plan");
    const listed = (await ok("GET", "/customers/flow_cust/subscriptions")).subscriptions.map((s) => s.external_id);
    assert.deepEqual(listed, ["flow_sub"]);

    const usage = async () => {
      const u = (await ok("GET", "/customers/flow_cust/current_usage?external_subscription_id=flow_sub")).customer_usage;
      const c = u.charges_usage.find((x) => x.billable_metric.code === "api_calls");
      return { units: Number(c.units), events: c.events_count, amount: u.amount_cents };
    };
    const before = await usage();
    assert.deepEqual(before, { units: 0, events: 0, amount: 0 }, "a new subscription has no usage yet");
    await ok("POST", "/events", { event: { transaction_id: "flow_1", external_subscription_id: "flow_sub", code: "api_calls", properties: { calls: "120000" } } });
    await ok("POST", "/events/batch", { events: [
      { transaction_id: "flow_2", external_subscription_id: "flow_sub", code: "api_calls", properties: { calls: "30000" } },
      { transaction_id: "flow_3", external_subscription_id: "flow_sub", code: "api_calls", properties: { calls: "50000" } },
    ] });
    const afterEvents = await usage();
    assert.equal(afterEvents.units, 200000, "units are exactly the events' calls");
    assert.equal(afterEvents.events, 3);
    assert.ok(afterEvents.amount > 0, `the graduated charge prices them: ${afterEvents.amount}`);
    const events = (await ok("GET", "/events?external_subscription_id=flow_sub")).events;
    assert.deepEqual(events.map((e) => e.transaction_id).sort(), ["flow_1", "flow_2", "flow_3"]);
    assert.equal((await ok("GET", "/events/flow_2")).event.external_subscription_id, "flow_sub");

    // A wallet top-up: granted credits land at once; paid credits make an invoice.
    const wallet = (await ok("POST", "/wallets", { wallet: { external_customer_id: "flow_cust", name: "Prepaid", code: "flow_wallet", rate_amount: "2", currency: "USD" } })).wallet;
    assert.equal(wallet.credits_balance, "0.0");
    const txs = (await ok("POST", "/wallet_transactions", { wallet_transaction: { wallet_id: wallet.lago_id, paid_credits: "10", granted_credits: "5" } })).wallet_transactions;
    assert.deepEqual(txs.map((t) => [t.transaction_status, t.status, t.credit_amount]), [["purchased", "settled", "10.0"], ["granted", "settled", "5.0"]]);
    const topped = (await ok("GET", `/wallets/${wallet.lago_id}`)).wallet;
    assert.equal(topped.credits_balance, "15.0");
    assert.equal(topped.balance_cents, 3000);
    assert.equal((await ok("GET", `/wallet_transactions/${txs[0].lago_id}`)).wallet_transaction.lago_wallet_id, wallet.lago_id);
    assert.equal((await ok("GET", `/wallets/${wallet.lago_id}/wallet_transactions`)).wallet_transactions.length, 2);

    const invoiceId = txs[0].lago_invoice_id;
    assert.ok(invoiceId, "paid credits make an invoice");
    const invoice = (await ok("GET", `/invoices/${invoiceId}`)).invoice;
    assert.equal(invoice.invoice_type, "credit");
    assert.equal(invoice.total_amount_cents, 2000, "10 credits at 2 USD");
    assert.ok((await ok("GET", "/invoices?external_customer_id=flow_cust")).invoices.some((i) => i.lago_id === invoiceId));
    assert.ok((await ok("GET", "/customers/flow_cust/invoices")).invoices.some((i) => i.lago_id === invoiceId), "the customer's own list shows it");

    const note = (await ok("POST", "/credit_notes", { credit_note: { invoice_id: invoiceId, reason: "other", items: [{ fee_id: invoiceId, amount_cents: 500 }] } })).credit_note;
    assert.equal(note.lago_invoice_id, invoiceId);
    assert.equal(note.credit_amount_cents, 500);
    assert.ok((await ok("GET", "/customers/flow_cust/credit_notes")).credit_notes.some((c) => c.lago_id === note.lago_id));
    const unknown = await call("POST", "/credit_notes", { credit_note: { invoice_id: "00000000-0000-4000-8000-000000000000", items: [] } });
    assert.equal(unknown.json.code, "invoice_not_found");

    // A coupon applied to the customer joins its applied coupons.
    await ok("POST", "/coupons", { coupon: { name: "Flow", code: "flow_coupon", coupon_type: "fixed_amount", amount_cents: 1000, amount_currency: "USD", frequency: "once", expiration: "no_expiration" } });
    const applied = (await ok("POST", "/applied_coupons", { applied_coupon: { external_customer_id: "flow_cust", coupon_code: "flow_coupon" } })).applied_coupon;
    assert.ok((await ok("GET", "/customers/flow_cust/applied_coupons")).applied_coupons.some((c) => c.lago_id === applied.lago_id));

    // Terminating the subscription stops its usage.
    await ok("DELETE", "/subscriptions/flow_sub");
    const ended = await call("GET", "/customers/flow_cust/current_usage?external_subscription_id=flow_sub");
    assert.equal(ended.status, 405);
    assert.equal(ended.json.code, "no_active_subscription");
    const subs = async (q) => (await ok("GET", `/subscriptions?external_customer_id=flow_cust${q}`)).subscriptions.map((s) => [s.external_id, s.status]);
    assert.deepEqual(await subs(""), [], "only active ones without status[]");
    assert.deepEqual(await subs("&status[]=terminated"), [["flow_sub", "terminated"]]);
  });

  test("generic store: pages, 404 and 422 like Lago", async () => {
    for (let i = 0; i < 5; i++) await ok("POST", "/add_ons", { add_on: { name: `A${i}`, code: `addon_${i}`, amount_cents: 100 * i, amount_currency: "EUR" } });
    const page = await ok("GET", "/add_ons?page=2&per_page=2");
    assert.equal(page.add_ons.length, 2);
    assert.deepEqual(page.meta, { current_page: 2, next_page: 3, prev_page: 1, total_pages: 3, total_count: 5 });
    assert.equal((await ok("PUT", "/add_ons/addon_1", { add_on: { name: "Renamed", amount_cents: 7 } })).add_on.amount_cents, 7);
    assert.equal((await ok("GET", "/add_ons/addon_1")).add_on.name, "Renamed");
    assert.equal((await ok("DELETE", "/add_ons/addon_1")).add_on.code, "addon_1");
    assert.deepEqual((await call("GET", "/add_ons/addon_1")).json, { status: 404, error: "Not Found", code: "add_on_not_found" });
    assert.deepEqual((await call("POST", "/add_ons", { add_on: { name: "dup", code: "addon_2" } })).json.error_details, { code: ["value_already_exist"] });
    const missing = await call("POST", "/add_ons", { nothing: 1 });
    assert.equal(missing.status, 400);
    assert.equal((await call("GET", "/plans/nope/charges")).json.code, "plan_not_found");
  });
});
