// The measurements shared by Node and the Chromium page: per-call time of three clients on the
// same fetch, and the pieces a call is made of. No imports: the page loads this file as is.
// Returns raw per-round numbers (microseconds per call); run.mjs computes medians and ratios.

export const API_KEY = "lago-demo-key";
export const CLIENTS = ["floor", "official", "wasm"];

/** The in-memory fetch: answers from precomputed texts, one `new Response` per call. */
export function memoryFetch(texts) {
  return async (url) => {
    const u = String(url);
    const text = u.includes("/current_usage") ? texts.usage : u.includes("/customers/") ? texts.one : texts.page;
    return new Response(text, { status: 200, headers: { "content-type": "application/json" } });
  };
}

/** A fetch that resolves at once to a prebuilt Response-like object: isolates the SDK's own cost. */
export function instantFetch(text) {
  const headers = { get: () => null, has: () => false };
  return () =>
    Promise.resolve({
      status: 200,
      ok: true,
      statusText: "OK",
      headers,
      body: null,
      bodyUsed: false,
      text: () => Promise.resolve(text),
      json: () => Promise.resolve(JSON.parse(text)),
    });
}

/**
 * The three ways to make each of the three calls. `fetch` undefined = each client's default
 * (globalThis.fetch), as a real app would use them over the network.
 */
export function makeCalls({ CustomersApi, Client, baseUrl, fetch, ids, wasmOptions = {} }) {
  const wasm = new CustomersApi({ apiKey: API_KEY, baseUrl, ...(fetch && { fetch }), ...wasmOptions });
  const official = Client(API_KEY, { baseUrl, ...(fetch && { customFetch: fetch }) });
  const f = fetch ?? ((...a) => globalThis.fetch(...a));
  const headers = { accept: "application/json", authorization: `Bearer ${API_KEY}` };
  const floor = async (url) => {
    const res = await f(url, { method: "GET", headers });
    if (!res.ok) throw new Error(`floor: HTTP ${res.status} on ${url}`);
    return res.json();
  };
  // Usage may come from another customer (the fake server's big usage is on a seeded one).
  const usageCustomer = ids.usageCustomer ?? ids.customer;
  const usageSubscription = ids.usageSubscription ?? ids.subscription;
  const sub = { external_subscription_id: usageSubscription };
  return {
    findAllCustomers: {
      floor: () => floor(`${baseUrl}/customers?page=1&per_page=100`),
      official: async () => (await official.customers.findAllCustomers({ page: 1, per_page: 100 })).data,
      wasm: () => wasm.findAllCustomers({ page: 1, per_page: 100 }),
    },
    findCustomerCurrentUsage: {
      floor: () => floor(`${baseUrl}/customers/${usageCustomer}/current_usage?external_subscription_id=${usageSubscription}`),
      official: async () => (await official.customers.findCustomerCurrentUsage(usageCustomer, sub)).data,
      wasm: () => wasm.findCustomerCurrentUsage(usageCustomer, usageSubscription, {}),
    },
    findCustomer: {
      floor: () => floor(`${baseUrl}/customers/${ids.customer}`),
      official: async () => (await official.customers.findCustomer(ids.customer)).data,
      wasm: () => wasm.findCustomer(ids.customer),
    },
  };
}

async function perCall(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1000) / n; // µs per call
}

/** Sequential calls per round so one round lasts about `roundMs` for the floor. */
async function calibrate(fn, roundMs) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    const ms = performance.now() - t0;
    if (ms >= 15 || n >= 4096) return Math.max(3, Math.min(4096, Math.ceil((n * roundMs) / Math.max(ms, 0.001))));
    n *= 2;
  }
}

/**
 * Interleaved rounds: every round times each variant for `n` sequential calls, in an order that
 * rotates round by round, so drift on a shared machine hits all of them alike.
 */
export async function timeVariants(variants, { rounds, roundMs, warmRounds = 1 }) {
  const names = Object.keys(variants);
  const n = await calibrate(variants[names[0]], roundMs);
  for (let w = 0; w < warmRounds; w++) for (const name of names) await perCall(variants[name], n);
  const us = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length];
      us[name].push(await perCall(variants[name], n));
    }
  }
  return { n, us };
}

/** Checks the three clients hand back the same body; returns its JSON length. */
async function sameResult(op, impls) {
  const out = {};
  for (const name of CLIENTS) out[name] = JSON.stringify(await impls[name]());
  if (out.floor !== out.official || out.floor !== out.wasm) {
    throw new Error(`${op}: the clients disagree (${CLIENTS.map((c) => `${c} ${out[c].length}`).join(", ")})`);
  }
  return out.floor.length;
}

/** Per-call time of the three clients for the three calls. */
export async function runCalls(calls, opts) {
  const out = {};
  for (const [op, impls] of Object.entries(calls)) {
    const bodyChars = await sameResult(op, impls);
    out[op] = { bodyChars, ...(await timeVariants(impls, opts)) };
  }
  return out;
}

/** The pieces of a call, in-memory: parse alone, Response+text alone, and the SDKs' own cost. */
export async function runPieces({ CustomersApi, Client, texts, opts }) {
  const out = { parse: {}, responseText: {}, floorFetch: {} };
  const baseUrl = "http://lago.invalid/api/v1";
  for (const [key, text] of Object.entries(texts)) {
    const mf = memoryFetch(texts);
    const url = key === "usage" ? `${baseUrl}/customers/x/current_usage` : key === "one" ? `${baseUrl}/customers/x` : `${baseUrl}/customers`;
    const r = await timeVariants(
      {
        "JSON.parse": async () => JSON.parse(text),
        "new Response().text()": () => new Response(text, { status: 200, headers: { "content-type": "application/json" } }).text(),
        "memory fetch + res.json()": async () => (await mf(url)).json(),
      },
      opts,
    );
    out.parse[key] = r.us["JSON.parse"];
    out.responseText[key] = r.us["new Response().text()"];
    out.floorFetch[key] = r.us["memory fetch + res.json()"];
  }
  // The fixed cost per call: a tiny body and a fetch that resolves at once.
  const tiny = '{"customer":{"external_id":"x"}}';
  const fetch = instantFetch(tiny);
  const ids = { customer: "x", subscription: "s" };
  const base = makeCalls({ CustomersApi, Client, baseUrl, fetch, ids }).findCustomer;
  const noTimer = makeCalls({ CustomersApi, Client, baseUrl, fetch, ids, wasmOptions: { timeoutMs: 0 } }).findCustomer;
  // What the wasm client does in JS per attempt besides fetch: an AbortController, a bound
  // abort, a 30 s timer set and cleared.
  const jsMimic = async () => {
    const c = new AbortController();
    const abort = c.abort.bind(c);
    const t = setTimeout(abort, 30000);
    const res = await fetch("u", { method: "GET", headers: { accept: "application/json" }, signal: c.signal });
    const text = await res.text();
    clearTimeout(t);
    return JSON.parse(text);
  };
  const r = await timeVariants(
    {
      floor: base.floor,
      official: base.official,
      wasm: base.wasm,
      "wasm timeoutMs:0": noTimer.wasm,
      "JS: AbortController+timer+text+parse": jsMimic,
    },
    opts,
  );
  out.fixedCost = r.us;
  out.fixedN = r.n;
  out.pager = await runPager({ CustomersApi, texts, opts });
  return out;
}

/**
 * `listAllCustomers` per item against a plain JS `async function*` over `findAllCustomers` on
 * the same client and in-memory pages (the fixture page says next_page 2, so a walk is 2 pages).
 */
async function runPager({ CustomersApi, texts, opts }) {
  const api = new CustomersApi({ apiKey: API_KEY, baseUrl: "http://lago.invalid/api/v1", fetch: memoryFetch(texts) });
  async function* plain(query) {
    for (let page = 1; ; ) {
      const body = await api.findAllCustomers({ ...query, page });
      yield* body.customers;
      const next = body.meta.next_page;
      if (!Number.isInteger(next) || next <= page) return;
      page = next;
    }
  }
  const walk = async (it) => {
    let n = 0;
    for await (const _ of it) n++;
    return n;
  };
  const items = await walk(api.listAllCustomers({ per_page: 100 }));
  if (items !== (await walk(plain({ per_page: 100 })))) throw new Error("pager: the walks disagree");
  const r = await timeVariants(
    { listAllCustomers: () => walk(api.listAllCustomers({ per_page: 100 })), "async function*": () => walk(plain({ per_page: 100 })) },
    opts,
  );
  return { items, us: r.us };
}

/** Timing helper for instantiation: median of `reps` runs of `fn` (ms). */
export async function medianMs(reps, fn) {
  const xs = [];
  for (let i = 0; i < reps; i++) xs.push(await fn(i));
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], all: xs };
}

/** Everything one runtime measures: calls in memory, calls over loopback, then the pieces. */
export async function runEnvironment({ CustomersApi, Client, texts, loopback, opts }) {
  const memoryIds = { customer: "bench_cust_007", subscription: "bench_sub_1" };
  const memory = await runCalls(
    makeCalls({ CustomersApi, Client, baseUrl: "http://lago.invalid/api/v1", fetch: memoryFetch(texts), ids: memoryIds }),
    opts,
  );
  const wire = await runCalls(
    makeCalls({ CustomersApi, Client, baseUrl: loopback.baseUrl, ids: loopback.ids }),
    opts,
  );
  const pieces = await runPieces({ CustomersApi, Client, texts, opts });
  return { memory, loopback: wire, pieces };
}
