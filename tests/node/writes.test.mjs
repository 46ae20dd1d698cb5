// Writes that never double (API.md "Retries"), on the JS face over real HTTP against the fake
// Lago server: it carries the first attempt out and then loses its answer (`drop;commit`: the
// connection closes) or answers 504 (`status=504;commit`). Counted on the server: the requests
// it saw and the wallets it holds. Backoff waits go through the `sleep` option (recorded, not
// waited for). The Rust face's twin is tests/rust_face_writes.rs.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { CustomersApi, CustomerWalletsApi, LagoError } from "../../pkg/node.mjs";
import { API_KEY, startFakeLago } from "./servers.mjs";

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
