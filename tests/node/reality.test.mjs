// Lago as it really is (REALITY.md), end to end over real HTTP: Lago Cloud's rate limiter (the
// fake started with `--rate-limit`: 50 req/s per organisation, 200 for current usage, 429s with
// `X-RateLimit-*` and no `Retry-After`), network errors that keep their cause, and pagers whose
// `return()` aborts the request in flight. Waits are real where the rate limiter is the point;
// everything else awaits events (the server's request log), not time.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { CustomersApi, LagoError } from "../../pkg/node.mjs";
import { API_KEY, freePort, startFakeLago } from "./servers.mjs";

const figures = [];
after(() => figures.length && console.log(`reality figures:\n  ${figures.join("\n  ")}`));

describe("Lago Cloud's rate limits", () => {
  let fake;
  before(async () => {
    fake = await startFakeLago(["--rate-limit"]);
  });
  after(() => fake?.stop());

  /** A client whose fetch counts the requests it sends and the 429s it gets back. */
  function counted(maxRetries) {
    const seen = { total: 0, limited: 0 };
    const fetch = async (url, init) => {
      seen.total++;
      const res = await globalThis.fetch(url, init);
      if (res.status === 429) seen.limited++;
      return res;
    };
    return { api: new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, fetch, maxRetries }), seen };
  }

  test("300 concurrent findCustomer calls all succeed, each 429 waiting for the window to reset", async () => {
    const { api, seen } = counted(10);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 300 }, () => api.findCustomer("acme_corp")));
    const ms = performance.now() - started;
    assert.ok(results.every((r) => r.customer.external_id === "acme_corp"));
    // 300 calls at 50 per 1 s window need at least 6 windows; every limited attempt waited for
    // the reset instead of hammering the same window, so each call is limited a few times at most.
    assert.equal(seen.total - seen.limited, 300);
    assert.ok(ms >= 4000, `took ${ms} ms: the limiter was not honoured`);
    assert.ok(seen.total <= 300 * 6, `${seen.total} attempts for 300 calls`);
    figures.push(`300 concurrent findCustomer: ${seen.total} requests (${seen.limited} limited), ${Math.round(ms)} ms`);
  });

  test("listAllCustomers with per_page 1 walks 120 customers through the limiter", async () => {
    const { api, seen } = counted(10);
    for (let i = 0; i < 120; i++) {
      await api.createCustomer({ customer: { external_id: `rl_${String(i).padStart(3, "0")}`, name: `Rate ${i}` } });
    }
    Object.assign(seen, { total: 0, limited: 0 });
    const started = performance.now();
    const ids = [];
    for await (const c of api.listAllCustomers({ per_page: 1, search_term: "rl_" })) ids.push(c.external_id);
    const ms = performance.now() - started;
    assert.equal(ids.length, 120);
    assert.equal(new Set(ids).size, 120);
    assert.equal(seen.total - seen.limited, 120);
    assert.ok(seen.limited <= 120, `${seen.limited} limited attempts`);
    figures.push(`listAllCustomers per_page 1 over 120: ${seen.total} requests (${seen.limited} limited), ${Math.round(ms)} ms`);
  });

  test("a 429 that exhausts the retries carries rateLimit", async () => {
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, maxRetries: 0 });
    const settled = await Promise.allSettled(Array.from({ length: 80 }, () => api.findCustomer("acme_corp")));
    const limited = settled.filter((s) => s.status === "rejected").map((s) => s.reason);
    assert.ok(limited.length > 0, "80 calls in one window: some are limited");
    for (const e of limited) {
      assert.ok(e instanceof LagoError);
      assert.equal(e.status, 429);
      assert.equal(e.retryAfterMs, undefined);
      assert.equal(e.rateLimit.limit, 50);
      assert.equal(e.rateLimit.remaining, 0);
      assert.ok(e.rateLimit.resetMs >= 1000, `resetMs ${e.rateLimit.resetMs}`);
    }
  });
});

describe("network errors keep their cause", () => {
  test("ECONNREFUSED is in the message, the original error in `cause`", async () => {
    const port = await freePort();
    const api = new CustomersApi({ baseUrl: `http://127.0.0.1:${port}/api/v1`, maxRetries: 0 });
    const e = await api.findCustomer("x").then(assert.fail, (e) => e);
    assert.equal(e.kind, "network");
    assert.match(e.message, new RegExp(`^Network error on GET /customers/x: fetch failed: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
    assert.ok(e.cause instanceof Error);
    assert.equal(e.cause.message, "fetch failed");
    assert.equal(e.cause.cause.code, "ECONNREFUSED");
  });

  test("the key is redacted from the cause chain", async () => {
    const key = "sk_live_cause_SECRET_1234";
    const fetch = async () => {
      throw new TypeError("proxy failed", { cause: new Error(`upstream refused Bearer ${key}`) });
    };
    const api = new CustomersApi({ apiKey: key, fetch, maxRetries: 0 });
    const e = await api.findCustomer("x").then(assert.fail, (e) => e);
    assert.equal(e.message, "Network error on GET /customers/x: proxy failed: upstream refused Bearer [redacted]");
    assert.equal(e.cause.message, "proxy failed");
    assert.equal(e.cause.cause.message, "upstream refused Bearer [redacted]");
    assert.ok(!JSON.stringify(e, Object.getOwnPropertyNames(e)).includes(key));
  });
});

describe("pagers", () => {
  test("return() while a page is in flight aborts that request and ends the walk", async () => {
    let started;
    const inFlight = new Promise((r) => (started = r));
    let aborted = false;
    const fetch = (url, init) =>
      new Promise((_, reject) => {
        started();
        init.signal.addEventListener("abort", () => {
          aborted = true;
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    const api = new CustomersApi({ fetch, maxRetries: 0 });
    const it = api.listAllCustomers();
    const pending = it.next();
    await inFlight;
    const ended = await it.return();
    assert.deepEqual(ended, { value: undefined, done: true });
    assert.equal(aborted, true);
    assert.deepEqual(await pending, { value: undefined, done: true });
  });

  test("listAllCustomerInvoices is a lazy async generator over findAllCustomerInvoices", async () => {
    const urls = [];
    const fetch = async (url) => {
      urls.push(url);
      const page = Number(new URL(url).searchParams.get("page"));
      const body = { invoices: [{ lago_id: `i${page}` }], meta: { current_page: page, next_page: page < 3 ? page + 1 : null } };
      return new Response(JSON.stringify(body), { status: 200 });
    };
    const api = new CustomersApi({ fetch });
    const ids = [];
    for await (const inv of api.listAllCustomerInvoices("acme", { status: "finalized", per_page: 1 })) {
      ids.push(inv.lago_id);
      if (ids.length === 2) break;
    }
    assert.deepEqual(ids, ["i1", "i2"]);
    assert.deepEqual(urls, [
      "https://api.getlago.com/api/v1/customers/acme/invoices?status=finalized&per_page=1&page=1",
      "https://api.getlago.com/api/v1/customers/acme/invoices?status=finalized&per_page=1&page=2",
    ]);
  });
});

describe("createCustomer and Lago's upsert", () => {
  test("a retried create that races its own first attempt: the 422 value_already_exist is final, not success", async () => {
    const answers = [
      { status: 503, body: { status: 503, error: "Service Unavailable" } },
      { status: 422, body: { status: 422, error: "Unprocessable Entity", code: "validation_errors", error_details: { external_id: ["value_already_exist"] } } },
    ];
    let calls = 0;
    const fetch = async () => {
      const a = answers[calls++];
      return new Response(JSON.stringify(a.body), { status: a.status });
    };
    const api = new CustomersApi({ fetch, sleep: async () => {} });
    const e = await api.createCustomer({ customer: { external_id: "new_one" } }).then(assert.fail, (e) => e);
    assert.equal(calls, 2);
    assert.equal(e.status, 422);
    assert.equal(e.attempts, 2);
    assert.equal(e.retryable, false);
    assert.deepEqual(e.details, { external_id: ["value_already_exist"] });
  });

  test("an explicit null is sent (it clears the field on Lago's upsert); undefined is left out", async () => {
    let sent;
    const fetch = async (url, init) => {
      sent = init.body;
      return new Response(JSON.stringify({ customer: { external_id: "c" } }), { status: 200 });
    };
    const api = new CustomersApi({ fetch });
    await api.createCustomer({ customer: { external_id: "c", email: null, name: undefined } });
    assert.equal(sent, '{"customer":{"external_id":"c","email":null}}');
  });
});
