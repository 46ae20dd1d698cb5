// Faults over real HTTP against the fake Lago server, counted on the server side, with a stated
// settle bound for every call; then "nothing lost": every response field reaches the caller and
// every request-body field reaches the server. Backoff waits are recorded through the `sleep`
// option instead of being waited for, except where the abort of a real wait is measured.
// (tests/node/e2e.test.mjs has the basic one-shot fault cases; these go further.)
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CustomersApi, LagoError } from "../../pkg/node.mjs";
import { API_KEY, startFakeLago } from "./servers.mjs";

/**
 * A second instance of the package's glue and wasm, set up the way the Node entry does it, with
 * the size of that instance's wasm memory (initSync returns its exports).
 */
async function instrumented() {
  const glue = await import(new URL("../../pkg/lago_wasm.js", import.meta.url));
  const exports = glue.initSync({ module: readFileSync(new URL("../../pkg/lago_wasm_bg.wasm", import.meta.url)) });
  glue.__registerLagoError(LagoError.prototype);
  // Its one WebAssembly.Memory (the package's export names are minified).
  const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
  const { apiClasses } = await import(new URL("../../pkg/classes.js", import.meta.url));
  const { CustomersApi } = apiClasses(glue, { done: true });
  return { CustomersApi, wasmMemoryBytes: () => memory.buffer.byteLength };
}

let fake;
before(async () => {
  fake = await startFakeLago();
});
after(() => fake?.stop());

let seq = 0;
/** A fault header for one call; `times` limits it to the first N requests of that id. */
function fault(spec, times) {
  const id = `f${process.pid}-${++seq}`;
  const value = times === undefined ? `${spec};times=1000000;id=${id}` : `${spec};times=${times};id=${id}`;
  return { id, headers: { "x-fake-fault": value } };
}

/** How many requests carrying fault `id` the server received. */
async function serverCount(id) {
  const log = await (await fetch(`${fake.url}/admin/requests`)).json();
  return log.filter((r) => (r.headers["x-fake-fault"] ?? "").includes(`id=${id}`)).length;
}

function client(extra = {}) {
  const sleeps = [];
  const api = new CustomersApi({
    apiKey: API_KEY,
    baseUrl: `${fake.url}/api/v1`,
    sleep: async (ms) => void sleeps.push(ms),
    ...extra,
  });
  return { api, sleeps };
}

/** Awaits `p`, asserting it settles within `boundMs`; returns { value | error, ms }. */
async function settle(p, boundMs, what) {
  const started = performance.now();
  let timer;
  const hang = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not settled within ${boundMs} ms`)), boundMs)));
  try {
    const value = await Promise.race([p, hang]);
    return { value, ms: performance.now() - started };
  } catch (error) {
    if (error?.message?.endsWith(`not settled within ${boundMs} ms`)) throw error;
    return { error, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

const figures = [];
after(() => console.log(`fault figures:\n  ${figures.join("\n  ")}`));

describe("faults over real HTTP", () => {
  test("latency beyond the timeout: kind timeout after exactly maxRetries + 1 attempts, within (maxRetries + 1) x timeoutMs + 500 ms", async () => {
    for (const maxRetries of [0, 1, 3]) {
      const { api, sleeps } = client({ timeoutMs: 100, maxRetries });
      const f = fault("latency=2000");
      const bound = (maxRetries + 1) * 100 + 500;
      const { error, ms } = await settle(api.findCustomer("acme_corp", f), bound, `timeout x${maxRetries}`);
      assert.ok(error instanceof LagoError);
      assert.equal(error.kind, "timeout");
      assert.equal(error.retryable, true);
      assert.equal(error.attempts, maxRetries + 1);
      assert.equal(sleeps.length, maxRetries);
      assert.equal(await serverCount(f.id), maxRetries + 1);
      figures.push(`timeout (100 ms, maxRetries ${maxRetries}): settled in ${Math.round(ms)} ms (bound ${bound})`);
    }
  });

  test("429 storm without Retry-After: waits max(X-RateLimit-Reset, 1) s plus < 250 ms of jitter, then the 429 with rateLimit", async () => {
    const { api, sleeps } = client({ maxRetries: 6 });
    const f = fault("status=429");
    const { error, ms } = await settle(api.findCustomer("acme_corp", f), 2000, "429 storm");
    assert.equal(error.kind, "http");
    assert.equal(error.status, 429);
    assert.equal(error.code, "too_many_requests");
    assert.equal(error.attempts, 7);
    assert.equal(error.retryAfterMs, undefined);
    assert.deepEqual(error.rateLimit, { limit: 100, remaining: 0, resetMs: 1000 });
    assert.equal(await serverCount(f.id), 7);
    assert.equal(sleeps.length, 6);
    sleeps.forEach((s, n) => assert.ok(s >= 1000 && s < 1250, `wait ${n}: ${s}`));
    figures.push(`429 storm, X-RateLimit-Reset 1: 7 attempts, waits ${sleeps.map(Math.round).join("/")} ms, settled in ${Math.round(ms)} ms`);
  });

  test("the server's own 429 (too_many_provider_requests, no rate-limit headers): full-jitter backoff", async () => {
    const { api, sleeps } = client({ maxRetries: 3 });
    const f = fault("provider-throttle");
    const { error } = await settle(api.findCustomer("acme_corp", f), 2000, "provider 429");
    assert.equal(error.status, 429);
    assert.equal(error.retryable, true);
    assert.equal(error.attempts, 4);
    sleeps.forEach((s, n) => assert.ok(s >= 0 && s < Math.min(8000, 500 * 2 ** n), `wait ${n}: ${s}`));
  });

  test("429 storm with Retry-After (seconds and HTTP date) waits as asked; beyond 60 s it fails at once", async () => {
    {
      const { api, sleeps } = client({ maxRetries: 3 });
      const f = fault("status=429;retry-after=2");
      const { error } = await settle(api.findCustomer("acme_corp", f), 2000, "429 retry-after=2");
      assert.equal(error.attempts, 4);
      assert.equal(error.retryAfterMs, 2000);
      assert.deepEqual(sleeps, [2000, 2000, 2000]);
      assert.equal(await serverCount(f.id), 4);
    }
    {
      const { api, sleeps } = client({ maxRetries: 2 });
      const at = new Date(Date.now() + 5000).toUTCString();
      const f = fault(`status=429;retry-after=${at}`, 1);
      const { value } = await settle(api.findCustomer("acme_corp", f), 2000, "429 http date");
      assert.equal(value.customer.external_id, "acme_corp");
      assert.equal(sleeps.length, 1);
      assert.ok(sleeps[0] > 2500 && sleeps[0] <= 5000, `HTTP-date wait ${sleeps[0]}`);
      assert.equal(await serverCount(f.id), 2);
    }
    {
      const { api, sleeps } = client({ maxRetries: 5 });
      const f = fault("status=429;retry-after=120");
      const { error, ms } = await settle(api.findCustomer("acme_corp", f), 1000, "429 retry-after=120");
      assert.equal(error.attempts, 1);
      assert.equal(error.retryAfterMs, 120_000);
      assert.deepEqual(sleeps, []);
      figures.push(`429 with Retry-After 120 s (over the 60 s cap): 1 attempt, settled in ${Math.round(ms)} ms`);
    }
  });

  test("5xx bursts: 502/503/504 then success is retried to success; 500/501 and a longer burst are final", async () => {
    for (const status of [502, 503, 504]) {
      const { api, sleeps } = client({ maxRetries: 3 });
      const f = fault(`status=${status}`, 3);
      const { value } = await settle(api.findCustomer("acme_corp", f), 2000, `${status} burst`);
      assert.equal(value.customer.external_id, "acme_corp");
      assert.equal(sleeps.length, 3);
      assert.equal(await serverCount(f.id), 4);
      const g = fault(`status=${status}`, 3);
      const { error } = await settle(client({ maxRetries: 2 }).api.findCustomer("acme_corp", g), 2000, `${status} longer`);
      assert.equal(error.status, status);
      assert.equal(error.attempts, 3);
      assert.equal(await serverCount(g.id), 3);
    }
    for (const status of [500, 501, 400, 401, 403, 404, 405, 422]) {
      const { api, sleeps } = client({ maxRetries: 5 });
      const f = fault(`status=${status}`);
      const { error } = await settle(api.findCustomer("acme_corp", f), 2000, `${status}`);
      assert.equal(error.kind, "http");
      assert.equal(error.status, status);
      assert.equal(error.attempts, 1, `${status} is final`);
      assert.equal(error.retryable, false);
      assert.deepEqual(sleeps, []);
      assert.equal(await serverCount(f.id), 1);
    }
    figures.push("5xx bursts: 502/503/504 x3 then 200 -> resolved after 4 attempts; 500/501/4xx -> 1 attempt");
  });

  test("truncated and non-JSON bodies on every operation: decode, 1 attempt, nothing retried", async () => {
    const calls = [
      (a, o) => a.findCustomer("acme_corp", o),
      (a, o) => a.findAllCustomers({ per_page: 2 }, o),
      (a, o) => a.findCustomerCurrentUsage("acme_corp", "sub_acme_corp_1", undefined, o),
      (a, o) => a.findAllCustomerPastUsage("acme_corp", "sub_acme_corp_1", undefined, o),
      (a, o) => a.getCustomerPortalUrl("acme_corp", o),
      (a, o) => a.generateCustomerCheckoutURL("acme_corp", o),
      (a, o) => a.createCustomer({ customer: { external_id: "fault_create" } }, o),
    ];
    let n = 0;
    for (const spec of ["truncate", "non-json", "wrong-shape"]) {
      for (const call of calls) {
        const { api } = client({ maxRetries: 3 });
        const f = fault(spec);
        const { error } = await settle(call(api, f), 2000, spec);
        assert.ok(error instanceof LagoError, `${spec}: ${error}`);
        assert.equal(error.kind, "decode", spec);
        assert.equal(error.attempts, 1);
        assert.equal(typeof error.body, "string", "the raw text travels with a decode error");
        assert.equal(await serverCount(f.id), 1);
        n++;
      }
    }
    figures.push(`truncate / non-json / wrong-shape: ${n} calls, all decode after 1 attempt`);
  });

  test("dropped connections: network after maxRetries + 1, recovers when the drops stop", async () => {
    const { api, sleeps } = client({ maxRetries: 4 });
    const f = fault("drop");
    const { error, ms } = await settle(api.findCustomer("acme_corp", f), 3000, "drop");
    assert.equal(error.kind, "network");
    assert.equal(error.attempts, 5);
    assert.equal(sleeps.length, 4);
    assert.equal(await serverCount(f.id), 5);
    const g = fault("drop", 4);
    const { value } = await settle(api.findCustomer("acme_corp", g), 3000, "drop x4");
    assert.equal(value.customer.external_id, "acme_corp");
    assert.equal(await serverCount(g.id), 5);
    figures.push(`drop: 5 attempts -> network in ${Math.round(ms)} ms; 4 drops then 200 -> resolved`);
  });

  test("an abort during the request and during the backoff wait stops the call (events, not timings)", async () => {
    {
      const { api } = client({ sleep: undefined, maxRetries: 5 });
      const ctrl = new AbortController();
      const f = fault("latency=5000");
      const p = api.findCustomer("acme_corp", { ...f, signal: ctrl.signal });
      // Abort once the server holds the request (its log has it), i.e. truly in flight.
      while ((await serverCount(f.id)) < 1) await new Promise((r) => setImmediate(r));
      const t = performance.now();
      ctrl.abort();
      // Settling at all before the 5 s answer can only be the abort (the bound is a hang guard).
      const { error } = await settle(p, 4000, "abort in flight");
      assert.equal(error.kind, "aborted");
      assert.equal(error.attempts, 1);
      figures.push(`abort during the request: settled ${(performance.now() - t).toFixed(1)} ms after abort()`);
    }
    {
      // A sleep hook that tells when the wait begins and ends only by the caller's abort: the
      // call can then settle only through the abort, whatever the machine's load.
      let waiting;
      const started = new Promise((r) => (waiting = r));
      const sleep = (ms, signal) => {
        waiting(ms);
        return new Promise((r) => signal.addEventListener("abort", r));
      };
      const { api } = client({ sleep, maxRetries: 5 });
      const ctrl = new AbortController();
      const f = fault("status=503;retry-after=10");
      const p = api.findCustomer("acme_corp", { ...f, signal: ctrl.signal });
      assert.equal(await started, 10_000, "waiting the server's Retry-After");
      ctrl.abort();
      const { error } = await settle(p, 4000, "abort in backoff");
      assert.equal(error.kind, "aborted");
      assert.equal(error.attempts, 1);
      assert.equal(await serverCount(f.id), 1, "no attempt after the abort");
    }
    {
      const { api } = client();
      const ctrl = new AbortController();
      ctrl.abort();
      const f = fault("latency=10");
      const { error } = await settle(api.findCustomer("acme_corp", { ...f, signal: ctrl.signal }), 200, "pre-aborted");
      assert.equal(error.kind, "aborted");
      assert.equal(error.attempts, 0);
      assert.equal(await serverCount(f.id), 0);
    }
  });

  test("a 50 MB body resolves with every byte (time and memory reported)", async () => {
    const glue = await instrumented();
    const api = new glue.CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, maxRetries: 0 });
    global.gc?.();
    const before = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, wasm: glue.wasmMemoryBytes() };
    const f = fault("big=50000000");
    const { value, error, ms } = await settle(api.findCustomer("acme_corp", f), 20_000, "50 MB body");
    const peak = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, wasm: glue.wasmMemoryBytes() };
    assert.equal(error, undefined, `${error?.kind}: ${error?.message}`);
    assert.equal(value.customer.external_id, "acme_corp");
    assert.ok(value.padding.length > 49_000_000, `padding ${value.padding?.length}`);
    const mb = (n) => (n / 1048576).toFixed(1);
    figures.push(
      `50 MB body: resolved in ${Math.round(ms)} ms; padding ${value.padding.length} chars; ` +
        `rss ${mb(before.rss)} -> ${mb(peak.rss)} MiB, heapUsed ${mb(before.heap)} -> ${mb(peak.heap)} MiB, ` +
        `wasm memory ${before.wasm} -> ${peak.wasm} bytes`,
    );
    // The body is never copied into wasm linear memory.
    assert.ok(peak.wasm - before.wasm < 4 * 1048576, `wasm grew by ${peak.wasm - before.wasm}`);
  });
});

describe("nothing lost", () => {
  /** Wraps fetch to keep the raw text of every response. */
  function tapFetch(log) {
    return async (url, init) => {
      const res = await fetch(url, init);
      log.push({ url, init, text: await res.clone().text() });
      return res;
    };
  }

  test("every operation's result deep-equals JSON.parse of the body the server sent", async () => {
    const log = [];
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, fetch: tapFetch(log) });
    const coupons = await (await fetch(`${fake.url}/admin/customers/acme_corp/applied_coupons`)).json();
    const coupon = (Array.isArray(coupons) ? coupons : coupons.applied_coupons).at(-1);
    const results = [
      await api.createCustomer({ customer: { external_id: "lossless_1", name: "Lossless", currency: "EUR" } }),
      await api.findCustomer("acme_corp"),
      await api.findAllCustomers({ per_page: 3 }),
      await api.findCustomerCurrentUsage("acme_corp", "sub_acme_corp_1"),
      await api.findAllCustomerPastUsage("acme_corp", "sub_acme_corp_1", { periods_count: 2 }),
      await api.getCustomerPortalUrl("acme_corp"),
      await api.generateCustomerCheckoutURL("acme_corp"),
      await api.deleteAppliedCoupon("acme_corp", coupon.lago_id),
      await api.destroyCustomer("lossless_1"),
    ];
    assert.equal(log.length, 9);
    results.forEach((r, i) => {
      assert.deepStrictEqual(r, JSON.parse(log[i].text), log[i].url);
      assert.equal(Object.getPrototypeOf(r), Object.prototype, "a plain object");
    });
  });

  test("unknown fields at any depth, __proto__ keys and large integers come back exactly as JSON.parse gives them", async () => {
    const text =
      '{"customer":{"external_id":"x","future_field":{"nested_unknown":[1,{"deeper":true,"n":null}],"e":"\\u00e9\\ud83d\\ude00"},' +
      '"big":12345678901234567890,"max_safe_plus":9007199254740993,"neg_big":-18446744073709551616,"frac":0.1,"exp":1.5e300,' +
      '"__proto__":{"polluted":true},"metadata":[{"key":"k","value":"v","unknown":{"x":[[]]}}]},"sibling_unknown":[{"a":1}]}';
    const api = new CustomersApi({ baseUrl: "http://in-memory/api/v1", fetch: async () => new Response(text) });
    const got = await api.findCustomer("x");
    assert.deepStrictEqual(got, JSON.parse(text));
    assert.equal(got.customer.big, 12345678901234567890);
    assert.equal(got.customer.big, 12345678901234567000, "the same double JSON.parse gives");
    assert.equal(got.customer.max_safe_plus, 9007199254740992);
    assert.equal(typeof got.customer.big, "number", "no BigInt");
    assert.ok(Object.hasOwn(got.customer, "__proto__"), "__proto__ stays an own field");
    assert.equal({}.polluted, undefined, "no prototype pollution");
    assert.deepEqual(got.sibling_unknown, [{ a: 1 }]);
    // The same for a page: every customer and the whole meta, unknown keys included.
    const page = '{"customers":[{"external_id":"a","x_new":{"y":[1,2]}}],"meta":{"current_page":1,"next_page":null,"total_count":1,"cursor":"zz"},"links":{}}';
    const list = new CustomersApi({ baseUrl: "http://in-memory/api/v1", fetch: async () => new Response(page) });
    assert.deepStrictEqual(await list.findAllCustomers(), JSON.parse(page));
    const walked = [];
    for await (const c of list.listAllCustomers()) walked.push(c);
    assert.deepStrictEqual(walked, JSON.parse(page).customers);
  });

  test("every field of a request body, unknown ones included, reaches the server byte for byte", async () => {
    await fetch(`${fake.url}/admin/requests`, { method: "DELETE" });
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1` });
    const body = {
      customer: {
        external_id: "lossless_body_é/1",
        name: "Ünïcødé \u2028 \"quoted\" \\ back",
        email: null,
        currency: "USD",
        future_field: { nested: [1, 2.5, -0, 1e21, 2 ** 53 - 1, true, null, "s", { deeper: { deepest: [] } }] },
        billing_configuration: { invoice_grace_period: 3, unknown_cfg: "kept" },
        metadata: [{ key: "k", value: "v", display_in_invoice: true, unknown_meta: [{}] }],
        integration_customers: [],
      },
      top_level_unknown: { a: [1, { b: "c" }] },
    };
    await api.createCustomer(body, { maxRetries: 0 });
    const log = await (await fetch(`${fake.url}/admin/requests`)).json();
    const sent = log.find((r) => r.method === "POST" && r.path === "/api/v1/customers");
    assert.ok(sent, "the POST reached the server");
    assert.equal(sent.body, JSON.stringify(body), "raw body byte for byte");
    assert.deepStrictEqual(JSON.parse(sent.body), JSON.parse(JSON.stringify(body)));
    assert.equal(sent.headers["content-type"], "application/json");
  });
});
