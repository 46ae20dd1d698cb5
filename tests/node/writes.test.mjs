// Writes that never double (API.md "Retries"), on the JS face over real HTTP against the fake
// Lago server: it carries the first attempt out and then loses its answer (`drop;commit`: the
// connection closes) or answers 504 (`status=504;commit`). Counted on the server: the requests
// it saw and the wallets it holds. Backoff waits go through the `sleep` option (recorded, not
// waited for). The Rust face's twin is tests/rust_face_writes.rs.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { CustomersApi, CustomerWalletsApi, EventsApi, Lago, LagoError } from "../../pkg/node.mjs";
import { RETRY_CLASSES } from "../../tools/gen-from-spec.mjs";
import { everyOperationArgs } from "./every-operation-args.mjs";
import { positional, sdkOperations } from "./sdk-every-operation.mjs";
import { API_KEY, specMissing, startFakeLago } from "./servers.mjs";

const FAULTS = ["drop;commit", "status=504;commit"];

let fake;
before(async () => {
  fake = await startFakeLago();
});
after(() => fake?.stop());

let seq = 0;
const uid = (prefix) => `${prefix}_${process.pid}_${++seq}`;

/** Call options that fault the first request of a new id only; `id` names it in the log. */
function firstAttempt(fault) {
  const id = uid("w");
  return { id, options: { headers: { "x-fake-fault": `${fault};times=1;id=${id}` } } };
}

/** The requests the server saw for fault `id`, with the status each got (null: dropped). */
async function seen(id) {
  const log = await (await fetch(`${fake.url}/admin/requests`)).json();
  return log.filter((r) => (r.headers["x-fake-fault"] ?? "").endsWith(`id=${id}`)).map((r) => r.status);
}

function clients() {
  const options = { apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, sleep: async () => {} };
  return { customers: new CustomersApi(options), wallets: new CustomerWalletsApi(options) };
}

/** A new customer in USD, with no wallet. */
async function newCustomer(customers) {
  const id = uid("writes");
  await customers.createCustomer({ customer: { external_id: id, currency: "USD" } });
  return id;
}

async function held(wallets, id) {
  return (await wallets.findAllCustomerWallets(id)).wallets;
}

const walletBody = (code) => ({ wallet: { rate_amount: "1", currency: "USD", paid_credits: "10", ...(code ? { code } : {}) } });

describe("a write done and its answer lost", () => {
  for (const fault of FAULTS) {
    test(`${fault}: an unsafe write (a wallet without code) is sent once and rejects with mayHaveSucceeded`, async () => {
      const { customers, wallets } = clients();
      const id = await newCustomer(customers);
      const { id: faultId, options } = firstAttempt(fault);
      const err = await wallets.createCustomerWallet(id, walletBody(), options).then(
        () => assert.fail("resolved"),
        (e) => e,
      );
      assert.ok(err instanceof LagoError, String(err));
      assert.equal(err.kind, fault.startsWith("drop") ? "network" : "http");
      assert.equal(err.mayHaveSucceeded, true);
      assert.equal(err.retryable, false);
      assert.equal(err.attempts, 1);
      assert.deepEqual(await seen(faultId), [fault.startsWith("drop") ? null : 504], "sent once");
      assert.equal((await held(wallets, id)).length, 1, "one wallet, not two");
    });

    test(`${fault}: a keyed write (a wallet with code) is retried, and its duplicate may have succeeded`, async () => {
      const { customers, wallets } = clients();
      const id = await newCustomer(customers);
      const { id: faultId, options } = firstAttempt(fault);
      const err = await wallets.createCustomerWallet(id, walletBody("main"), options).then(
        () => assert.fail("resolved"),
        (e) => e,
      );
      assert.equal(err.kind, "http");
      assert.equal(err.status, 422);
      assert.deepEqual(err.details, { code: ["value_already_exist"] });
      assert.equal(err.mayHaveSucceeded, true);
      assert.equal(err.attempts, 2);
      assert.match(err.message, /an earlier attempt may have written it/);
      assert.deepEqual(await seen(faultId), [fault.startsWith("drop") ? null : 504, 422]);
      const list = await held(wallets, id);
      assert.deepEqual(list.map((w) => w.code), ["main"], "one wallet");
    });

    test(`${fault}: idempotent calls (a PUT, a GET, the createCustomer upsert) are retried and resolve`, async () => {
      const { customers, wallets } = clients();
      const id = await newCustomer(customers);
      await wallets.createCustomerWallet(id, walletBody("w"));
      let { id: faultId, options } = firstAttempt(fault);
      const updated = await wallets.updateCustomerWallet(id, "w", { wallet: { name: "Renamed" } }, options);
      assert.equal(updated.wallet.name, "Renamed");
      assert.equal((await seen(faultId)).length, 2);
      ({ id: faultId, options } = firstAttempt(fault));
      const found = await customers.findCustomer(id, options);
      assert.equal(found.customer.external_id, id);
      assert.equal((await seen(faultId)).length, 2);
      ({ id: faultId, options } = firstAttempt(fault));
      const upserted = await customers.createCustomer({ customer: { external_id: id, currency: "USD", name: "Again" } }, options);
      assert.equal(upserted.customer.name, "Again");
      assert.equal((await seen(faultId)).length, 2);
      assert.equal((await held(wallets, id)).length, 1);
    });
  }

  for (const fault of FAULTS) {
    test(`${fault}: a keyed event (createEvent) is retried, stored once, and its duplicate may have succeeded`, async () => {
      const events = new EventsApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, sleep: async () => {} });
      const customers = new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1` });
      const units = async () => Number((await customers.findCustomerCurrentUsage("acme_corp", "sub_acme_corp_1"))
        .customer_usage.charges_usage.find((c) => c.billable_metric.code === "api_calls").units);
      const before = await units();
      const { id: faultId, options } = firstAttempt(fault);
      const event = { transaction_id: uid("event"), external_subscription_id: "sub_acme_corp_1", code: "api_calls", properties: { calls: "7" } };
      const err = await events.createEvent({ event }, options).then(() => assert.fail("resolved"), (e) => e);
      assert.equal(err.status, 422);
      assert.deepEqual(err.details, { transaction_id: ["value_already_exist"] });
      assert.equal(err.mayHaveSucceeded, true);
      assert.deepEqual(await seen(faultId), [fault.startsWith("drop") ? null : 504, 422]);
      assert.equal(await units(), before + 7, "counted once");
    });
  }

  for (const fault of FAULTS) {
    // A tag beyond the first classes, through the facade: a wallet top-up is unsafe (REALITY.md
    // section 6: a second one is a second transaction, and paid credits a second invoice).
    test(`${fault}: a wallet top-up (createWalletTransaction) is sent once and rejects with mayHaveSucceeded`, async () => {
      const lago = new Lago({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, sleep: async () => {} });
      const id = await newCustomer(lago.customers);
      const { wallet } = await lago.customerWallets.createCustomerWallet(id, walletBody(uid("topup")));
      const topUps = async () => (await lago.wallets.findAllWalletTransactions(wallet.lago_id)).wallet_transactions.length;
      const before = await topUps();
      const { id: faultId, options } = firstAttempt(fault);
      const body = { wallet_transaction: { wallet_id: wallet.lago_id, paid_credits: "5" } };
      const err = await lago.wallets.createWalletTransaction(body, options).then(() => assert.fail("resolved"), (e) => e);
      assert.ok(err instanceof LagoError, String(err));
      assert.equal(err.mayHaveSucceeded, true);
      assert.equal(err.attempts, 1);
      assert.deepEqual(await seen(faultId), [fault.startsWith("drop") ? null : 504], "sent once");
      assert.equal(await topUps(), before + 1, "one top-up, not two");
    });
  }

  // Every write the retry table calls unsafe or keyed (REALITY.md section 6), not just the ones
  // above: the whole spec is called in every-operation-args.mjs's order through `new Lago()`,
  // and each such write is then repeated once more with its answer lost (`drop;commit`).
  test("every unsafe write of the spec is sent once, and every keyed one retried into value_already_exist", { skip: specMissing ?? false }, async (t) => {
    const ops = sdkOperations();
    const byId = new Map(ops.map((o) => [o.id, o]));
    const classOf = (id) => RETRY_CLASSES[id] ?? "idempotent";
    const lago = new Lago({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, sleep: async () => {} });
    const r = {};
    const failures = [];
    const checked = [];
    for (const [id, argsOf] of everyOperationArgs(uid("every"))) {
      const op = byId.get(id);
      let args;
      try {
        args = positional(op, argsOf(r));
      } catch (e) {
        failures.push(`${id}: not sent (${e.message})`);
        continue;
      }
      r[id] = await lago[op.prop][id](...args).catch((e) => failures.push(`${id}: ${e.message}`));
      const cls = classOf(id);
      if (cls === "idempotent") continue;
      // The same call again, its answer lost: options go after every argument slot.
      const { id: faultId, options } = firstAttempt("drop;commit");
      const slots = [...args, ...Array(op.args.length - args.length).fill(undefined)];
      const err = await lago[op.prop][id](...slots, options).then(() => null, (e) => e);
      const sent = await seen(faultId);
      if (cls === "unsafe") {
        checked.push(`${id}: mayHaveSucceeded ${err?.mayHaveSucceeded}, attempts ${err?.attempts}, sent ${sent.length}`);
        assert.ok(err instanceof LagoError, `${id} rejects`);
        assert.equal(err.kind, "network", id);
        assert.deepEqual([err.mayHaveSucceeded, err.retryable, err.attempts, sent], [true, false, 1, [null]], `${id}: sent once`);
      } else {
        // Keyed, with the key in the body: the retry meets the first attempt's write.
        checked.push(`${id}: status ${err?.status}, attempts ${err?.attempts}, sent ${sent.length}`);
        assert.ok(err instanceof LagoError, `${id} rejects`);
        assert.deepEqual([err.status, err.attempts, err.mayHaveSucceeded, sent], [422, 2, true, [null, 422]], `${id}: retried once into 422`);
        assert.match(JSON.stringify(err.details), /value_already_exist/, id);
      }
    }
    assert.deepEqual(failures, [], "every operation of the spec resolved");
    const writes = Object.keys(RETRY_CLASSES).filter((id) => classOf(id) !== "idempotent");
    assert.deepEqual(checked.map((c) => c.split(":")[0]).sort(), writes.sort(), "every unsafe and keyed write was checked");
    t.diagnostic(`${checked.length} writes, their answer lost: ${checked.join("; ")}`);
  });

  test("mayHaveSucceeded is false for a GET and for input refused before sending", async () => {
    const { customers, wallets } = clients();
    const { options } = firstAttempt("drop");
    const err = await customers.findCustomer("nobody_here", { ...options, maxRetries: 0 }).catch((e) => e);
    assert.equal(err.kind, "network");
    assert.equal(err.mayHaveSucceeded, false);
    const refused = await wallets.createCustomerWallet("acme_corp", { wallet: { currency: 5 } }).catch((e) => e);
    assert.equal(refused.kind, "invalid_input");
    assert.equal(refused.mayHaveSucceeded, false);
  });

  test("createCustomerWallet needs no wallet.external_customer_id: the customer is the path's", async () => {
    const { customers, wallets } = clients();
    const id = await newCustomer(customers);
    const created = await wallets.createCustomerWallet(id, walletBody("nopathid"));
    assert.equal(created.wallet.external_customer_id, id);
  });
});

describe("mayHaveSucceeded, case by case (API.md Errors), through an injected fetch", () => {
  /** A client whose fetch answers from `script` (a status, "hang", "fail" or a function), in order. */
  function scripted(script, extra = {}) {
    let calls = 0;
    const fetch = async (url, init) => {
      const step = script[Math.min(calls++, script.length - 1)];
      if (step === "hang") return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(init.signal.reason)));
      if (step === "fail") throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
      if (typeof step === "function") return step();
      return new Response(JSON.stringify({ status: step, error: "x", code: "x" }), { status: step });
    };
    const options = { apiKey: API_KEY, baseUrl: "https://lago.test/api/v1", fetch, sleep: async () => {}, maxRetries: 0, ...extra };
    return { customers: new CustomersApi(options), wallets: new CustomerWalletsApi(options), calls: () => calls };
  }
  const write = (c, options) => c.customers.createCustomer({ customer: { external_id: "acme" } }, options);
  const read = (c, options) => c.customers.findCustomer("acme", options);
  const failure = (p) => p.then(() => assert.fail("resolved"), (e) => e);

  for (const [what, step, expected] of [
    ["a timeout", "hang", true],
    ["a network error", "fail", true],
    ["a 500", 500, true],
    ["a 502", 502, true],
    ["a 504", 504, true],
    ["a 2xx whose body is not JSON", () => new Response("<html>", { status: 200 }), true],
    ...[401, 403, 404, 405, 422, 429, 503].map((s) => [`a ${s}`, s, false]),
  ]) {
    test(`a write after ${what}: ${expected}; a GET: false`, async () => {
      const extra = step === "hang" ? { timeoutMs: 20 } : {};
      const w = await failure(write(scripted([step], extra)));
      assert.equal(w.mayHaveSucceeded, expected, w.message);
      const r = await failure(read(scripted([step], extra)));
      assert.equal(r.mayHaveSucceeded, false, r.message);
    });
  }

  test("an abort: once the request was handed to fetch a write may have succeeded; before, not", async () => {
    const during = new AbortController();
    const c = scripted(["hang"]);
    const pending = failure(write(c, { signal: during.signal }));
    while (c.calls() === 0) await new Promise((r) => setTimeout(r, 1));
    during.abort();
    const e = await pending;
    assert.equal(e.kind, "aborted");
    assert.equal(e.mayHaveSucceeded, true);
    const before = await failure(write(scripted([200]), { signal: AbortSignal.abort() }));
    assert.equal(before.kind, "aborted");
    assert.equal(before.mayHaveSucceeded, false);
  });

  test("refusals then a timeout: one attempt without proof is enough", async () => {
    const e = await failure(write(scripted([503, 429, "hang"], { timeoutMs: 20, maxRetries: 2 })));
    assert.equal(e.kind, "timeout");
    assert.equal(e.attempts, 3);
    assert.equal(e.mayHaveSucceeded, true);
  });

  test("an unsafe write is retried on 429 and 503, then resolves", async () => {
    const ok = () => new Response(JSON.stringify({ customer: { checkout_url: "https://x" } }), { status: 200 });
    const c = scripted([429, 503, ok], { maxRetries: 2 });
    const done = await c.customers.generateCustomerCheckoutURL("acme");
    assert.equal(done.customer.checkout_url, "https://x");
    assert.equal(c.calls(), 3);
  });

  test("the LagoError constructor defaults mayHaveSucceeded to false", () => {
    assert.equal(new LagoError("x", { kind: "http" }).mayHaveSucceeded, false);
    assert.equal(new LagoError("x", { kind: "network", mayHaveSucceeded: true }).mayHaveSucceeded, true);
  });
});
