// The measurements shared by Node and the Chromium page: per-call time of three clients on the
// same fetch (the calls in OPS), and the pieces a call is made of. No imports: the page loads this file as is.
// Returns raw per-round numbers (microseconds per call); run.mjs computes medians and ratios.

export const API_KEY = "lago-demo-key";
export const CLIENTS = ["floor", "official", "wasm"];

/**
 * The in-memory fetch: answers from precomputed texts, one `new Response` per call. A POST is
 * createCustomer (answered with the created customer); the body is read, as a server would.
 */
export function memoryFetch(texts) {
  return async (url, init) => {
    const u = String(url);
    if (init?.method === "POST") {
      if (typeof init.body !== "string" || init.body.length === 0) throw new Error(`memoryFetch: POST without a body (${typeof init.body})`);
      return new Response(texts.created, { status: 200, headers: { "content-type": "application/json" } });
    }
    const text = u.includes("/current_usage") ? texts.usage
      : u.includes("/invoices") ? texts.invoices
      : u.includes("/customers/") ? texts.one
      : u.includes("per_page=1000") ? texts.bigPage
      : texts.page;
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
 * The three ways to make each call. `fetch` undefined = each client's default
 * (globalThis.fetch), as a real app would use them over the network. `ids.createBody`: the
 * createCustomer input (the same object for the three clients; each serializes it per call).
 * `only`: the names of the calls to build (all when absent).
 */
export function makeCalls({ CustomersApi, Client, baseUrl, fetch, ids, wasmOptions = {}, only }) {
  const wasm = new CustomersApi({ apiKey: API_KEY, baseUrl, ...(fetch && { fetch }), ...wasmOptions });
  const official = Client(API_KEY, { baseUrl, ...(fetch && { customFetch: fetch }) });
  const f = fetch ?? ((...a) => globalThis.fetch(...a));
  const headers = { accept: "application/json", authorization: `Bearer ${API_KEY}` };
  const floor = async (url) => {
    const res = await f(url, { method: "GET", headers });
    if (!res.ok) throw new Error(`floor: HTTP ${res.status} on ${url}`);
    return res.json();
  };
  const postHeaders = { ...headers, "content-type": "application/json" };
  const floorPost = async (url, body) => {
    const res = await f(url, { method: "POST", headers: postHeaders, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`floor: HTTP ${res.status} on POST ${url}`);
    return res.json();
  };
  const invoicesOf = ids.invoicesCustomer ?? ids.customer;
  const invoicePage = { page: 1, per_page: ids.invoicesPerPage ?? 20 };
  // Usage may come from another customer (the fake server's big usage is on a seeded one).
  const usageCustomer = ids.usageCustomer ?? ids.customer;
  const usageSubscription = ids.usageSubscription ?? ids.subscription;
  const sub = { external_subscription_id: usageSubscription };
  const all = {
    findAllCustomers: {
      floor: () => floor(`${baseUrl}/customers?page=1&per_page=100`),
      official: async () => (await official.customers.findAllCustomers({ page: 1, per_page: 100 })).data,
      wasm: () => wasm.findAllCustomers({ page: 1, per_page: 100 }),
    },
    "findAllCustomers(1000)": {
      floor: () => floor(`${baseUrl}/customers?page=1&per_page=1000`),
      official: async () => (await official.customers.findAllCustomers({ page: 1, per_page: 1000 })).data,
      wasm: () => wasm.findAllCustomers({ page: 1, per_page: 1000 }),
    },
    findAllCustomerInvoices: {
      floor: () => floor(`${baseUrl}/customers/${invoicesOf}/invoices?page=1&per_page=${invoicePage.per_page}`),
      official: async () => (await official.customers.findAllCustomerInvoices(invoicesOf, invoicePage)).data,
      wasm: () => wasm.findAllCustomerInvoices(invoicesOf, invoicePage),
    },
    createCustomer: {
      floor: () => floorPost(`${baseUrl}/customers`, ids.createBody),
      official: async () => (await official.customers.createCustomer(ids.createBody)).data,
      wasm: () => wasm.createCustomer(ids.createBody),
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
  return only ? Object.fromEntries(only.map((k) => [k, all[k]])) : all;
}

/** The calls every runtime times, in the order the table prints them. */
export const OPS = ["findCustomer", "findAllCustomers", "findAllCustomers(1000)", "findCustomerCurrentUsage", "findAllCustomerInvoices", "createCustomer"];

async function perCall(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1000) / n; // µs per call
}

/**
 * Sequential calls per round so one round lasts about `roundMs` for the floor. A call longer
 * than a round (the 1,000-customer page over loopback: ~0.3 s, mostly the fake server's debug
 * build writing 2 MB) gets one call per round, so the run stays minutes long, not ten.
 */
async function calibrate(fn, roundMs) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    const ms = performance.now() - t0;
    if (ms >= 15 || n >= 4096) return Math.max(1, Math.min(4096, Math.ceil((n * roundMs) / Math.max(ms, 0.001))));
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

/**
 * Checks the three clients hand back the same body; returns its JSON length. Tried up to three
 * times: a loopback upsert stamps `updated_at` to the second, so the three answers of one check
 * can straddle a second once (never twice in a row).
 */
async function sameResult(op, impls) {
  for (let attempt = 1; ; attempt++) {
    const out = {};
    for (const name of CLIENTS) out[name] = JSON.stringify(await impls[name]());
    if (out.floor === out.official && out.floor === out.wasm) return out.floor.length;
    if (attempt === 3) {
      throw new Error(`${op}: the clients disagree (${CLIENTS.map((c) => `${c} ${out[c].length}`).join(", ")})`);
    }
  }
}

/** Per-call time of the three clients for each call. */
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
  for (const key of ["page", "usage", "one"]) {
    const text = texts[key];
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
  const only = ["findCustomer"];
  const base = makeCalls({ CustomersApi, Client, baseUrl, fetch, ids, only }).findCustomer;
  const noTimer = makeCalls({ CustomersApi, Client, baseUrl, fetch, ids, only, wasmOptions: { timeoutMs: 0 } }).findCustomer;
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
  const memoryIds = { customer: "bench_cust_007", subscription: "bench_sub_1", createBody: JSON.parse(texts.createBody) };
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
