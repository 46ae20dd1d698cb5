// Load: 1,000 concurrent calls over loopback against the fake Lago server from Node and from one
// headless Chromium page, every one settling correctly; then 100,000 sequential calls through an
// in-memory fetch in a child `node --expose-gc`, with wasm linear memory and JS heap measured
// before and after: growth must be flat (no leaked closure, listener, timer or buffer per call).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CustomersApi, LagoError } from "../../pkg/node.mjs";
import { API_KEY, startFakeLago } from "./servers.mjs";
import { launchChromium, root, servePkg } from "./helpers.mjs";

const CONCURRENT = 1000;

let fake;
before(async () => {
  fake = await startFakeLago();
});
after(() => fake?.stop());

/**
 * The call mix for the concurrency runs, as source so the Chromium page runs the very same code:
 * `call(api, i)` makes call i; `check(i, outcome)` returns null when the outcome is right.
 */
const MIX = `
const MIX = [
  [(a) => a.findCustomer("acme_corp"), (r) => r.customer?.external_id === "acme_corp"],
  [(a) => a.findAllCustomers({ per_page: 2 }), (r) => Array.isArray(r.customers) && r.customers.length === 2],
  [(a) => a.findCustomerCurrentUsage("acme_corp", "sub_acme_corp_1"), (r) => Array.isArray(r.customer_usage?.charges_usage)],
  [(a) => a.getCustomerPortalUrl("acme_corp"), (r) => /^https?:/.test(r.customer?.portal_url)],
  [(a, i) => a.findCustomer("missing_" + i), (r, e) => e?.name === "LagoError" && e.kind === "http" && e.status === 404 && e.attempts === 1],
  [(a, i) => a.findCustomer("acme_corp", { headers: { "x-fake-fault": "status=503;times=1;id=load-" + RUN + "-" + i } }),
    (r) => r.customer?.external_id === "acme_corp"],
];
async function runConcurrent(api, n, LagoErrorClass) {
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: n }, (_, i) => {
    const [call] = MIX[i % MIX.length];
    return call(api, i).then((r) => ({ r }), (e) => ({ e }));
  }));
  const ms = performance.now() - started;
  const wrong = [];
  outcomes.forEach(({ r, e }, i) => {
    const [, ok] = MIX[i % MIX.length];
    let good = false;
    try { good = ok(r ?? {}, e) && (!e || e instanceof LagoErrorClass); } catch {}
    if (!good) wrong.push(i + ": " + (e ? e.name + " " + e.kind + " " + e.message : JSON.stringify(r).slice(0, 120)));
  });
  return { ms, wrong, settled: outcomes.length };
}`;
const { runConcurrent } = new Function("RUN", `${MIX}; return { runConcurrent };`)(`node${process.pid}`);

describe("1,000 concurrent calls over loopback", () => {
  test("from Node: every call settles with the right result or the right LagoError", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let requests = 0;
    const counting = async (url, init) => {
      requests++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await fetch(url, init);
      } finally {
        inFlight--;
      }
    };
    const api = new CustomersApi({ apiKey: API_KEY, baseUrl: `${fake.url}/api/v1`, fetch: counting, sleep: async () => {}, timeoutMs: 20_000 });
    const { ms, wrong, settled } = await runConcurrent(api, CONCURRENT, LagoError);
    console.log(`node: ${settled} concurrent calls settled in ${Math.round(ms)} ms; ${requests} requests (retries included), ${maxInFlight} in flight at once`);
    assert.equal(settled, CONCURRENT);
    assert.deepEqual(wrong, []);
    assert.equal(maxInFlight, CONCURRENT, "all calls were in flight together");
    const retried = Array.from({ length: CONCURRENT }, (_, i) => i % 6 === 5).filter(Boolean).length;
    assert.equal(requests, CONCURRENT + retried, "one retry per 503 call, no more");
  });

  test("from one headless Chromium page: the same mix, every call settles correctly", async () => {
    const server = await servePkg("<!doctype html><title>load</title>");
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("crash", () => errors.push("page crashed"));
      await page.goto(`${server.origin}/`);
      const out = await page.evaluate(
        async ({ mix, base, n }) => {
          const { CustomersApi, LagoError } = await import("/pkg/index.js");
          const { runConcurrent } = new Function("RUN", `${mix}; return { runConcurrent };`)(`page${Date.now()}`);
          // Through the fake's key-less /proxy prefix, as a web app behind its own backend would.
          const api = new CustomersApi({ baseUrl: base, sleep: async () => {}, timeoutMs: 30_000 });
          const r = await runConcurrent(api, n, LagoError);
          return { ...r, wrong: r.wrong.slice(0, 20) };
        },
        { mix: MIX, base: `${fake.url}/proxy/api/v1`, n: CONCURRENT },
      );
      console.log(`chromium: ${out.settled} concurrent calls settled in ${Math.round(out.ms)} ms`);
      assert.deepEqual(errors, []);
      assert.equal(out.settled, CONCURRENT);
      assert.deepEqual(out.wrong, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

// Runs in a child `node --expose-gc`: warm-up, then 100,000 sequential calls over every path
// (success, body, query, retry, http error, decode error, invalid input, abort signal, paging),
// sampling wasm memory and heap after a full GC.
const SOAK = `
// The package's browser glue and wasm, instantiated here the way the Node entry does it, so the
// wasm memory measured is the very instance the calls run in (initSync returns its exports).
const { readFileSync } = await import("node:fs");
const glue = await import(${JSON.stringify(pathToFileURL(join(root, "pkg/lago_wasm.js")).href)});
const exports = glue.initSync({ module: readFileSync(${JSON.stringify(join(root, "pkg/lago_wasm_bg.wasm"))}) });
// Its one WebAssembly.Memory (the package's export names are minified).
const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
const { LagoError } = await import(${JSON.stringify(pathToFileURL(join(root, "pkg/lago-error.js")).href)});
glue.__registerLagoError(LagoError.prototype);
const { apiClasses } = await import(${JSON.stringify(pathToFileURL(join(root, "pkg/classes.js")).href)});
const { CustomersApi } = apiClasses(glue, { done: true });
const N = Number(process.env.SOAK_CALLS);
const json = (o) => JSON.stringify(o);
const ONE = json({ customer: { external_id: "acme", name: "Acme", metadata: [{ key: "k", value: "v" }] } });
const PAGE1 = json({ customers: [{ external_id: "a" }, { external_id: "b" }], meta: { current_page: 1, next_page: 2 } });
const PAGE2 = json({ customers: [{ external_id: "c" }], meta: { current_page: 2, next_page: null } });
const USAGE = json({ customer_usage: { charges_usage: [] } });
const E404 = json({ status: 404, error: "Not Found", code: "customer_not_found" });
let flaky = 0;
const fetch = (url, init) => {
  const u = new URL(url);
  let r;
  if (u.pathname.endsWith("/missing")) r = new Response(E404, { status: 404 });
  else if (u.pathname.endsWith("/garbled")) r = new Response("<html>", { status: 200 });
  else if (u.pathname.endsWith("/garbled500")) r = new Response("<html>", { status: 500 });
  else if (u.pathname.endsWith("/wrongshape")) r = new Response("{}", { status: 200 });
  else if (u.pathname.endsWith("/flaky") && flaky++ % 2 === 0) r = new Response("{}", { status: 503, headers: { "retry-after": "0" } });
  else if (u.pathname.endsWith("/current_usage")) r = new Response(USAGE);
  else if (u.pathname === "/api/v1/customers" && init.method === "GET") r = new Response(u.searchParams.get("page") === "2" ? PAGE2 : PAGE1);
  else r = new Response(ONE);
  return Promise.resolve(r);
};
const api = new CustomersApi({ apiKey: "sk_soak", baseUrl: "http://memory/api/v1", fetch, sleep: () => Promise.resolve(), timeoutMs: 10_000 });
const ctrl = new AbortController();
const SETS = {
  // Every path of a healthy call, and the errors that involve no JS exception.
  main: [
    () => api.findCustomer("acme"),
    () => api.createCustomer({ customer: { external_id: "x", name: "n", metadata: [{ key: "k", value: "v", display_in_invoice: true }], extra: { a: [1] } } }),
    () => api.findAllCustomers({ per_page: 2, currencies: ["USD", "EUR"], metadata: { a: "b" }, search_term: "x y" }),
    () => api.findCustomerCurrentUsage("acme", "sub", { apply_taxes: true }, { headers: { "x-trace": "1" } }),
    () => api.findCustomer("missing").catch((e) => e),
    () => api.findCustomer("flaky"),
    () => api.findCustomer("wrongshape").catch((e) => e),
    () => api.findCustomer("", undefined).catch((e) => e),
    () => api.findCustomer("acme", { signal: ctrl.signal }),
  ],
  // Full listAllCustomers walks (2 pages each). A finished iterator is freed by the glue's
  // FinalizationRegistry after GC, so its memory tracks GC timing: bounded, not exactly flat.
  list: [async () => { for await (const c of api.listAllCustomers({ per_page: 2 })) void c; }],
  // Paths where a JS exception is caught inside the wasm: a 2xx body that is not JSON, an error
  // body that is not JSON, a fetch that throws synchronously, an options getter that throws.
  throwing: [
    () => api.findCustomer("garbled").catch((e) => e),
    () => api.findCustomer("garbled500").catch((e) => e),
    () => throwing.findCustomer("acme").catch((e) => e),
    () => api.findCustomer("acme", { get signal() { throw new Error("getter"); } }).catch((e) => e),
  ],
};
const throwing = new CustomersApi({ baseUrl: "http://memory/api/v1", maxRetries: 0, fetch: () => { throw new TypeError("sync"); } });
const KINDS = SETS[process.env.SOAK_SET];
// A real app's event loop turns between calls (network I/O); this in-memory loop would only
// ever run microtasks, and FinalizationRegistry (which frees finished listAllCustomers
// iterators) runs as a task. So yield to the event loop every 1,000 calls, as I/O would.
const turn = () => new Promise((r) => setImmediate(r));
const sample = () => { gc(); gc(); return { calls: done, wasm: memory.buffer.byteLength, heap: process.memoryUsage().heapUsed }; };
let done = 0;
for (let i = 0; i < Math.min(N, 20000); i++) { await KINDS[i % KINDS.length](); if (i % 1000 === 999) await turn(); }
await turn();
const samples = [sample()];
const started = performance.now();
for (; done < N; done++) {
  await KINDS[done % KINDS.length]();
  if (done % 1000 === 999) await turn();
  if ((done + 1) % (N / 5) === 0) { await turn(); samples.push({ ...sample(), calls: done + 1 }); }
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, samples }));
`;

function soak(set, calls) {
  const run = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", SOAK], {
    encoding: "utf8",
    env: { ...process.env, SOAK_CALLS: String(calls), SOAK_SET: set },
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const { ms, samples } = JSON.parse(run.stdout.trim().split("\n").pop());
  const mb = (n) => (n / 1048576).toFixed(2);
  console.log(
    `soak (${set}): ${calls} calls in ${Math.round(ms)} ms (${((ms * 1000) / calls).toFixed(1)} us/call)\n` +
      samples.map((s) => `  after ${String(s.calls).padStart(6)} calls: wasm ${s.wasm} bytes, heapUsed ${s.heap} bytes (${mb(s.heap)} MiB)`).join("\n"),
  );
  const [first] = samples;
  const last = samples.at(-1);
  assert.equal(last.calls, calls);
  return { first, last, mb };
}

describe("memory under sequential calls", () => {
  test("100,000 calls over every healthy path: wasm linear memory unchanged after warm-up, JS heap growth < 5 MB", () => {
    const { first, last, mb } = soak("main", 100_000);
    assert.equal(last.wasm, first.wasm, `wasm memory grew from ${first.wasm} to ${last.wasm} bytes`);
    assert.ok(last.heap - first.heap < 5 * 1048576, `heap grew by ${mb(last.heap - first.heap)} MiB`);
  });

  test("20,000 full listAllCustomers walks: memory plateaus (< 512 KiB wasm, < 5 MB heap after warm-up)", () => {
    const { first, last, mb } = soak("list", 20_000);
    assert.ok(last.wasm - first.wasm <= 512 * 1024, `wasm memory grew from ${first.wasm} to ${last.wasm} bytes`);
    assert.ok(last.heap - first.heap < 5 * 1048576, `heap grew by ${mb(last.heap - first.heap)} MiB`);
  });

  // Every JS exception caught through a `#[wasm_bindgen(catch)]` import (JSON.parse of a
  // non-JSON body, a getter that throws) must release its externref slot and the exception.
  test("40,000 calls whose JS exceptions are caught inside the wasm: memory stays flat", () => {
    const { first, last, mb } = soak("throwing", 40_000);
    assert.equal(last.wasm, first.wasm, `wasm memory grew from ${first.wasm} to ${last.wasm} bytes`);
    assert.ok(last.heap - first.heap < 512 * 1024, `heap grew by ${mb(last.heap - first.heap)} MiB`);
  });
});
