// Lago's billing flow on the package's JS face (`new Lago(...)` and `LagoEventQueue`), over
// real HTTP against the fake Lago server (whose flow.rs models it): a billable metric, a plan
// with a charge on it, a customer and a subscription; events sent one by one, in a batch and
// through the queue move current usage by exactly their units and price; a wallet top-up with
// paid credits makes an invoice, which the invoice lists show, and a credit note on it; ending
// the subscription ends its usage. The same flow over raw HTTP is in fake-every-operation.test.mjs.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { Lago, LagoError, LagoEventQueue } from "../../pkg/node.mjs";
import { API_KEY, startFakeLago } from "./servers.mjs";

describe("the billing flow through new Lago(...) against the fake", () => {
  let fake;
  let lago;
  before(async () => {
    fake = await startFakeLago();
    lago = new Lago({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1` });
  });
  after(() => fake?.stop());

  test("metric -> plan -> customer -> subscription -> events (one, batch, queue) move usage -> top-up invoice -> credit note -> end", async (t) => {
    // A metric of our own, summing `calls`: the fake prices a metric its usage catalog does not
    // know at its charge's `properties.amount` (flow_plans.rs), here 0.01 USD a call.
    const metric = (await lago.billableMetrics.createBillableMetric({
      billable_metric: { name: "Flow calls", code: "flow_calls", aggregation_type: "sum_agg", field_name: "calls" },
    })).billable_metric;
    assert.equal(metric.code, "flow_calls");
    // A second create with the same code is Lago's 422, as a LagoError with its details.
    const dup = await lago.billableMetrics.createBillableMetric({ billable_metric: { name: "again", code: "flow_calls", aggregation_type: "count_agg" } }).catch((e) => e);
    assert.ok(dup instanceof LagoError);
    assert.deepEqual([dup.status, dup.code, dup.details], [422, "validation_errors", { code: ["value_already_exist"] }]);

    const plan = (await lago.plans.createPlan({ plan: {
      name: "Flow", code: "flow_plan", interval: "monthly", amount_cents: 4900, amount_currency: "USD", pay_in_advance: false,
      charges: [{ billable_metric_id: metric.lago_id, charge_model: "standard", properties: { amount: "0.01" } }],
    } })).plan;
    assert.equal(plan.charges[0].billable_metric_code, "flow_calls");
    assert.equal((await lago.plans.findAllPlanCharges("flow_plan")).charges.length, 1);

    await lago.customers.createCustomer({ customer: { external_id: "flow_cust", name: "Flow Ltd", currency: "USD" } });
    const noPlan = await lago.subscriptions.createSubscription({ subscription: { external_customer_id: "flow_cust", plan_code: "nope", external_id: "flow_sub" } }).catch((e) => e);
    assert.deepEqual([noPlan.status, noPlan.code], [404, "plan_not_found"]);
    const sub = (await lago.subscriptions.createSubscription({ subscription: { external_customer_id: "flow_cust", plan_code: "flow_plan", external_id: "flow_sub" } })).subscription;
    assert.deepEqual([sub.status, sub.plan_code, sub.plan_amount_cents], ["active", "flow_plan", 4900]);
    assert.deepEqual((await lago.customers.findAllCustomerSubscriptions("flow_cust")).subscriptions.map((s) => s.external_id), ["flow_sub"]);

    const usage = async () => {
      const u = (await lago.customers.findCustomerCurrentUsage("flow_cust", "flow_sub")).customer_usage;
      const c = u.charges_usage.find((x) => x.billable_metric.code === "flow_calls");
      return { units: Number(c.units), events: c.events_count, charge: c.amount_cents, total: u.amount_cents };
    };
    assert.deepEqual(await usage(), { units: 0, events: 0, charge: 0, total: 0 }, "a new subscription has no usage");

    // One event: 100 calls at 0.01 = 1 USD.
    const one = await lago.events.createEvent({ event: { transaction_id: "flow_1", external_subscription_id: "flow_sub", code: "flow_calls", properties: { calls: "100" } } });
    assert.equal(one.event.transaction_id, "flow_1");
    assert.deepEqual(await usage(), { units: 100, events: 1, charge: 100, total: 100 });

    // A batch of two: +300 calls.
    const batch = await lago.events.createBatchEvents({ events: [
      { transaction_id: "flow_2", external_subscription_id: "flow_sub", code: "flow_calls", properties: { calls: "50" } },
      { transaction_id: "flow_3", external_subscription_id: "flow_sub", code: "flow_calls", properties: { calls: "250" } },
    ] });
    assert.deepEqual(batch.events.map((e) => e.transaction_id), ["flow_2", "flow_3"]);
    assert.deepEqual(await usage(), { units: 400, events: 3, charge: 400, total: 400 });

    // Through the queue: three events, one of them a repeat of flow_3 (Lago's 422
    // value_already_exist on its transaction_id: counted as a duplicate, never doubled).
    const given = [];
    const queue = new LagoEventQueue({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, flushIntervalMs: 0, onError: (err, events) => given.push([err, events]) });
    const ids = [
      queue.enqueue({ external_subscription_id: "flow_sub", code: "flow_calls", properties: { calls: "1000" } }),
      queue.enqueue({ transaction_id: "flow_q2", external_subscription_id: "flow_sub", code: "flow_calls", properties: { calls: "600" } }),
      queue.enqueue({ transaction_id: "flow_3", external_subscription_id: "flow_sub", code: "flow_calls", properties: { calls: "250" } }),
    ];
    assert.equal(ids[1], "flow_q2");
    assert.match(ids[0], /^[0-9a-f-]{36}$/, "a new UUID for an event without one");
    assert.equal(queue.size, 3);
    const report = await queue.flush();
    await queue.close();
    assert.deepEqual(report, { delivered: 2, duplicates: 1, failed: 0 });
    assert.deepEqual(given, []);
    assert.deepEqual(await usage(), { units: 2000, events: 5, charge: 2000, total: 2000 }, "+1600 calls, the repeat not counted");

    // The events are stored: by subscription, and one by its id.
    const stored = [];
    for await (const e of lago.events.listAllEvents({ external_subscription_id: "flow_sub", per_page: 2 })) stored.push(e.transaction_id);
    assert.deepEqual(stored.sort(), ["flow_1", "flow_2", "flow_3", "flow_q2", ids[0]].sort());
    assert.equal((await lago.events.findEvent("flow_q2")).event.external_subscription_id, "flow_sub");

    // A wallet top-up: granted credits settle at once; paid credits make an invoice.
    const wallet = (await lago.wallets.createWallet({ wallet: { external_customer_id: "flow_cust", name: "Prepaid", code: "flow_wallet", rate_amount: "2", currency: "USD" } })).wallet;
    assert.equal(wallet.credits_balance, "0.0");
    const txs = (await lago.wallets.createWalletTransaction({ wallet_transaction: { wallet_id: wallet.lago_id, paid_credits: "10", granted_credits: "5" } })).wallet_transactions;
    assert.deepEqual(txs.map((x) => [x.transaction_status, x.status, x.credit_amount]), [["purchased", "settled", "10.0"], ["granted", "settled", "5.0"]]);
    const topped = (await lago.wallets.findWallet(wallet.lago_id)).wallet;
    assert.deepEqual([topped.credits_balance, topped.balance_cents], ["15.0", 3000], "15 credits at 2 USD");
    // The customer's own view of the same wallet, by its code.
    assert.equal((await lago.customerWallets.findCustomerWallet("flow_cust", "flow_wallet")).wallet.balance_cents, 3000);

    const invoiceId = txs[0].lago_invoice_id;
    assert.ok(invoiceId, "paid credits make an invoice");
    const invoice = (await lago.invoices.findInvoice(invoiceId)).invoice;
    assert.deepEqual([invoice.invoice_type, invoice.total_amount_cents, invoice.currency], ["credit", 2000, "USD"], "10 credits at 2 USD");
    assert.ok((await lago.invoices.findAllInvoices({ external_customer_id: "flow_cust" })).invoices.some((i) => i.lago_id === invoiceId));
    const listed = [];
    for await (const i of lago.customers.listAllCustomerInvoices("flow_cust", { per_page: 1 })) listed.push(i.lago_id);
    assert.ok(listed.includes(invoiceId), "the customer's own pager shows it");

    const note = (await lago.creditNotes.createCreditNote({ credit_note: { invoice_id: invoiceId, reason: "other", items: [{ fee_id: invoiceId, amount_cents: 500 }] } })).credit_note;
    assert.deepEqual([note.lago_invoice_id, note.credit_amount_cents], [invoiceId, 500]);
    assert.ok((await lago.customers.findAllCustomerCreditNotes("flow_cust")).credit_notes.some((c) => c.lago_id === note.lago_id));

    // Ending the subscription answers it terminated, lists it under `status[]=terminated`, and
    // ends its usage: Lago's 405, as a LagoError.
    const ending = (await lago.subscriptions.destroySubscription("flow_sub")).subscription;
    assert.deepEqual([ending.external_id, ending.status, typeof ending.terminated_at], ["flow_sub", "terminated", "string"]);
    const terminated = await lago.subscriptions.findAllSubscriptions({ external_customer_id: "flow_cust", status: ["terminated"] });
    assert.deepEqual(terminated.subscriptions.map((s) => [s.external_id, s.status]), [["flow_sub", "terminated"]]);
    const ended = await lago.customers.findCustomerCurrentUsage("flow_cust", "flow_sub").catch((e) => e);
    assert.ok(ended instanceof LagoError);
    assert.deepEqual([ended.status, ended.code, ended.attempts], [405, "no_active_subscription", 1]);
    t.diagnostic(`usage moved 0 -> 100 -> 400 -> 2000 calls (2000 cents); credit invoice ${invoiceId} of 2000 cents, credit note of 500`);
  });
});
