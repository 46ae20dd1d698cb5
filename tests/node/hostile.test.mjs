// Hostile input against the built package in Node: every entry point and argument position fed
// values a careless or malicious caller (or fetch, or server) could hand it. Whatever comes in,
// a call must settle with a LagoError (invalid_input, nothing sent, when the input is the cause)
// or its parsed value: never a synchronous throw, a TypeError, a wasm trap or a hang, and the
// module must keep working afterwards.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { getEventListeners } from "node:events";
import { fileURLToPath } from "node:url";
import { CustomersApi, LagoError } from "../../pkg/node.mjs";

const BASE = "http://lago.invalid/api/v1";
const SETTLE_MS = 3000; // no call below may take longer to settle
const PKG = fileURLToPath(new URL("../../pkg/node.mjs", import.meta.url));

/** A good answer of the right shape for whatever URL was asked. */
function okBody(url) {
  const path = new URL(url).pathname;
  const meta = { current_page: 1, next_page: null, prev_page: null, total_pages: 1, total_count: 0 };
  if (path.endsWith("/customers")) return { customers: [], meta };
  if (path.endsWith("/past_usage")) return { usage_periods: [], meta };
  if (path.endsWith("/current_usage")) return { customer_usage: {} };
  if (path.includes("/applied_coupons/")) return { applied_coupon: {} };
  return { customer: {} };
}

/** An in-memory fetch that counts what it was asked. */
function recordingFetch() {
  const calls = [];
  const fetch = (url, init) => {
    calls.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify(okBody(url)), { status: 200 }));
  };
  return { calls, fetch };
}

/** Runs `f` and classifies what happened; never throws. */
async function outcome(f, ms = SETTLE_MS) {
  let p;
  try {
    p = f();
  } catch (error) {
    return { state: "threw", error };
  }
  if (!(p instanceof Promise)) return { state: "returned", value: p };
  let timer;
  const hang = new Promise((resolve) => (timer = setTimeout(() => resolve({ state: "hang" }), ms)));
  const settled = p.then((value) => ({ state: "resolved", value }), (error) => ({ state: "rejected", error }));
  return Promise.race([settled, hang]).finally(() => clearTimeout(timer));
}

const describeErr = (e) => `${e?.constructor?.name}/${e?.name}: ${String(e?.message).slice(0, 160)}`;

function assertLagoError(err, where, kind) {
  assert.ok(err instanceof LagoError, `${where}: not a LagoError: ${describeErr(err)}`);
  assert.ok(err instanceof Error, where);
  assert.equal(err.name, "LagoError", where);
  if (kind) assert.equal(err.kind, kind, `${where}: ${err.message}`);
}

// ---------------------------------------------------------------------------------------------
// Hostile values. `validIn` lists the position types where the value is a legitimate argument
// (the call then goes through); everywhere else it must be refused with invalid_input.
// ---------------------------------------------------------------------------------------------
const boom = () => {
  throw new Error("hostile trap");
};
const HUGE = "h".repeat(5 * 1024 * 1024);
/** Every key any entry point reads, each holding a value that is wrong there. */
const badKeys = () => ({
  customer: 5, external_id: 5, apiKey: 5, baseUrl: 5, fetch: 5, sleep: 5, headers: 5, timeoutMs: -1,
  maxRetries: -1, signal: 5, page: 0, per_page: 0, search_term: 5, currencies: 5, apply_taxes: 5, toJSON: 5,
});
const allGettersThrow = () => {
  const o = {};
  for (const k of Object.keys(badKeys())) Object.defineProperty(o, k, { get: boom, enumerable: true });
  return o;
};
const trapProxy = (...traps) => new Proxy(badKeys(), Object.fromEntries(traps.map((t) => [t, boom])));
const deep = (n) => {
  let o = {};
  for (let i = 0; i < n; i++) o = { a: o };
  return o;
};
const cyclic = () => {
  const o = { a: 1 };
  o.self = o;
  return o;
};
const EMPTYISH = ["query", "options", "headers"];

const VALUES = [
  ["null", () => null, ["query", "options"]],
  ["undefined", () => undefined, ["query", "options", "headers", "signal", "timeout", "retries", "apiKey", "baseUrl", "fn", "page", "str"]],
  ["0", () => 0, ["timeout", "retries"]],
  ["1", () => 1, ["timeout", "retries", "page"]],
  ["-1", () => -1, []],
  ["NaN", () => NaN, []],
  ["-0", () => -0, ["timeout", "retries"]],
  ["Infinity", () => Infinity, []],
  ["1.5", () => 1.5, ["timeout"]],
  ["2**53+2", () => 2 ** 53 + 2, []],
  ["BigInt", () => 10n, []],
  ["Symbol", () => Symbol("s"), []],
  ["function", () => function f() {}, ["fn"]],
  ["class", () => class C {}, ["fn"]],
  ["[]", () => [], []],
  ['["acme"]', () => ["acme"], []],
  ["true", () => true, []],
  ['""', () => "", ["str"]],
  ['"."', () => ".", ["subId", "apiKey", "str"]],
  ['".."', () => "..", ["subId", "apiKey", "str"]],
  ['"a/../b?#%"', () => "a/../b?#%", ["id", "subId", "apiKey", "str"]],
  ["5 MB string", () => HUGE, ["id", "subId", "apiKey", "str"]],
  ["deep object (100k levels)", () => deep(100_000), ["options"]],
  ["cyclic object", cyclic, ["options"]],
  ["getters that throw", allGettersThrow, []],
  ["Proxy: get throws", () => trapProxy("get"), []],
  ["Proxy: ownKeys throws", () => trapProxy("ownKeys"), []],
  ["Proxy: getOwnPropertyDescriptor throws", () => trapProxy("getOwnPropertyDescriptor"), []],
  ["Proxy: has throws", () => trapProxy("has"), []],
  ["Proxy: every trap throws", () => trapProxy("get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "set", "defineProperty", "deleteProperty", "apply", "construct"), []],
  ["frozen {}", () => Object.freeze({}), EMPTYISH],
  ["frozen valid body", () => Object.freeze({ customer: Object.freeze({ external_id: "frozen" }) }), ["body", "options"]],
  ["toJSON throws", () => ({ toJSON: boom }), ["options"]],
  ["valid body whose toJSON throws", () => ({ customer: { external_id: "x" }, toJSON: boom }), ["options"]],
  ["valid body, customer.toJSON throws", () => ({ customer: { external_id: "x", toJSON: boom } }), ["options"]],
  ["valid body with a cycle", () => ({ customer: { external_id: "x", extra: cyclic() } }), ["options"]],
  ["valid body with BigInt", () => ({ customer: { external_id: "x", extra: 1n } }), ["options"]],
  ["Object.create(null)", () => Object.create(null), EMPTYISH],
  ["new Date()", () => new Date(0), EMPTYISH],
  ["new Map()", () => new Map([["a", 1]]), EMPTYISH],
  ['new String("acme")', () => new String("acme"), EMPTYISH],
  ["signal-like, aborted getter throws", () => ({ get aborted() { throw new Error("x"); }, addEventListener() {} }), ["options"]],
  ["signal-like, addEventListener throws", () => ({ aborted: false, addEventListener: boom, removeEventListener: boom }), ["options", "signal"]],
];

// Each position: how to call with the hostile value `v`, and its type (see validIn).
const body = () => ({ customer: { external_id: "ok" } });
const METHOD_POSITIONS = [
  ["createCustomer(v)", "body", (a, v) => a.createCustomer(v)],
  ["deleteAppliedCoupon(v, c)", "id", (a, v) => a.deleteAppliedCoupon(v, "c")],
  ["deleteAppliedCoupon(id, v)", "id", (a, v) => a.deleteAppliedCoupon("acme", v)],
  ["destroyCustomer(v)", "id", (a, v) => a.destroyCustomer(v)],
  ["findAllCustomerPastUsage(v, s)", "id", (a, v) => a.findAllCustomerPastUsage(v, "s")],
  ["findAllCustomerPastUsage(id, v)", "subId", (a, v) => a.findAllCustomerPastUsage("acme", v)],
  ["findAllCustomerPastUsage(id, s, v)", "query", (a, v) => a.findAllCustomerPastUsage("acme", "s", v)],
  ["findAllCustomerPastUsage(.., {periods_count: v})", "page", (a, v) => a.findAllCustomerPastUsage("acme", "s", { periods_count: v })],
  ["findAllCustomers(v)", "query", (a, v) => a.findAllCustomers(v)],
  ["findAllCustomers({page: v})", "page", (a, v) => a.findAllCustomers({ page: v })],
  ["findAllCustomers({per_page: v})", "page", (a, v) => a.findAllCustomers({ per_page: v })],
  ["findAllCustomers({search_term: v})", "str", (a, v) => a.findAllCustomers({ search_term: v })],
  ["findCustomer(v)", "id", (a, v) => a.findCustomer(v)],
  ["findCustomerCurrentUsage(v, s)", "id", (a, v) => a.findCustomerCurrentUsage(v, "s")],
  ["findCustomerCurrentUsage(id, v)", "subId", (a, v) => a.findCustomerCurrentUsage("acme", v)],
  ["findCustomerCurrentUsage(id, s, v)", "query", (a, v) => a.findCustomerCurrentUsage("acme", "s", v)],
  ["generateCustomerCheckoutURL(v)", "id", (a, v) => a.generateCustomerCheckoutURL(v)],
  ["getCustomerPortalUrl(v)", "id", (a, v) => a.getCustomerPortalUrl(v)],
  ["listAllCustomers(v).next()", "query", (a, v) => a.listAllCustomers(v).next()],
  ["listAllCustomers({page: v}).next()", "page", (a, v) => a.listAllCustomers({ page: v }).next()],
  ["listAllCustomers({per_page: v}).next()", "page", (a, v) => a.listAllCustomers({ per_page: v }).next()],
];
// The trailing options argument of every method, and each of its fields.
const WITH_OPTIONS = [
  ["createCustomer", (a, o) => a.createCustomer(body(), o)],
  ["deleteAppliedCoupon", (a, o) => a.deleteAppliedCoupon("acme", "c", o)],
  ["destroyCustomer", (a, o) => a.destroyCustomer("acme", o)],
  ["findAllCustomerPastUsage", (a, o) => a.findAllCustomerPastUsage("acme", "s", undefined, o)],
  ["findAllCustomers", (a, o) => a.findAllCustomers(undefined, o)],
  ["findCustomer", (a, o) => a.findCustomer("acme", o)],
  ["findCustomerCurrentUsage", (a, o) => a.findCustomerCurrentUsage("acme", "s", undefined, o)],
  ["generateCustomerCheckoutURL", (a, o) => a.generateCustomerCheckoutURL("acme", o)],
  ["getCustomerPortalUrl", (a, o) => a.getCustomerPortalUrl("acme", o)],
  ["listAllCustomers().next", (a, o) => a.listAllCustomers(undefined, o).next()],
];
for (const [name, call] of WITH_OPTIONS) {
  METHOD_POSITIONS.push(
    [`${name}(.., v)`, "options", (a, v) => call(a, v)],
    [`${name}(.., {headers: v})`, "headers", (a, v) => call(a, { headers: v })],
    [`${name}(.., {signal: v})`, "signal", (a, v) => call(a, { signal: v })],
    [`${name}(.., {timeoutMs: v})`, "timeout", (a, v) => call(a, { timeoutMs: v })],
    [`${name}(.., {maxRetries: v})`, "retries", (a, v) => call(a, { maxRetries: v })],
  );
}
const CTOR_POSITIONS = [
  ["new CustomersApi(v)", "options", (v) => new CustomersApi(v)],
  ["new CustomersApi({apiKey: v})", "apiKey", (v) => new CustomersApi({ apiKey: v })],
  ["new CustomersApi({baseUrl: v})", "baseUrl", (v) => new CustomersApi({ baseUrl: v })],
  ["new CustomersApi({fetch: v})", "fn", (v) => new CustomersApi({ fetch: v })],
  ["new CustomersApi({sleep: v})", "fn", (v) => new CustomersApi({ sleep: v })],
  ["new CustomersApi({headers: v})", "headers", (v) => new CustomersApi({ headers: v })],
  ["new CustomersApi({timeoutMs: v})", "timeout", (v) => new CustomersApi({ timeoutMs: v })],
  ["new CustomersApi({maxRetries: v})", "retries", (v) => new CustomersApi({ maxRetries: v })],
];

/**
 * Feeds every value of `values` to every position; returns the number of calls made and a
 * list of problems (empty when every call behaved).
 */
/** Combinations with a dedicated failing test in the library-bugs section below. */
const KNOWN_BUG = [
  [/^listAllCustomers\(v\)/, /^Proxy: (ownKeys|getOwnPropertyDescriptor|every trap)/],
  [/^listAllCustomers\(\{page: v\}\)/, /^2\*\*53\+2$/],
];
const knownBug = (pos, name) => KNOWN_BUG.some(([p, v]) => p.test(pos) && v.test(name));

async function runMatrix(values, { ctor = true, skipKnownBugs = true } = {}) {
  const problems = [];
  let calls = 0;
  if (ctor) {
    for (const [pos, type, make] of CTOR_POSITIONS) {
      for (const [name, value, validIn] of values) {
        calls++;
        const where = `${pos} with ${name}`;
        const r = await outcome(() => make(value()));
        const valid = validIn.includes(type);
        if (r.state === "threw") {
          if (!(r.error instanceof LagoError) || r.error.name !== "LagoError" || r.error.kind !== "invalid_input") problems.push(`${where}: threw ${describeErr(r.error)}`);
          else if (valid) problems.push(`${where}: refused a valid value: ${r.error.message}`);
          // An error about the options reads as one: no method, no path, no made-up request.
          else if (!/^Invalid options?: .* \(new CustomersApi\)$/.test(r.error.message) || r.error.method !== "" || r.error.path !== "") {
            problems.push(`${where}: ${JSON.stringify({ message: r.error.message, method: r.error.method, path: r.error.path })}`);
          }
        } else if (r.state !== "returned" || !(r.value instanceof CustomersApi)) problems.push(`${where}: ${r.state}`);
        else if (!valid) problems.push(`${where}: accepted`);
      }
    }
  }
  for (const [pos, type, make] of METHOD_POSITIONS) {
    for (const [name, value, validIn] of values) {
      if (skipKnownBugs && knownBug(pos, name)) continue;
      calls++;
      const where = `${pos} with ${name}`;
      const rec = recordingFetch();
      const api = new CustomersApi({ baseUrl: BASE, fetch: rec.fetch, maxRetries: 0, timeoutMs: 2000 });
      const r = await outcome(() => make(api, value()));
      const valid = validIn.includes(type);
      if (r.state === "threw") problems.push(`${where}: threw synchronously ${describeErr(r.error)}`);
      else if (r.state === "hang" || r.state === "returned") problems.push(`${where}: ${r.state}`);
      else if (r.state === "rejected") {
        const e = r.error;
        if (!(e instanceof LagoError) || e.name !== "LagoError") problems.push(`${where}: rejected with ${describeErr(e)}`);
        else if (!valid && e.kind !== "invalid_input") problems.push(`${where}: kind ${e.kind}, want invalid_input`);
        else if (!valid && rec.calls.length) problems.push(`${where}: refused but ${rec.calls.length} request(s) sent`);
        else if (valid && e.kind === "invalid_input") problems.push(`${where}: refused a valid value: ${e.message}`);
        else if (e.kind === "invalid_input" && !e.message.includes("nothing was sent")) problems.push(`${where}: ${e.message}`);
      } else if (!valid) problems.push(`${where}: resolved (${rec.calls.length} request(s)) but should be refused`);
      else if (rec.calls.length !== 1) problems.push(`${where}: resolved after ${rec.calls.length} requests`);
    }
  }
  return { calls, problems };
}

const report = (problems) => `${problems.length} problem(s):\n${problems.slice(0, 40).join("\n")}`;

describe("hostile arguments", () => {
  test("every entry point x every argument position x 43 hostile values: LagoError, nothing sent; then a normal call works", async () => {
    const started = performance.now();
    const { calls, problems } = await runMatrix(VALUES);
    const rec = recordingFetch();
    const api = new CustomersApi({ baseUrl: BASE, fetch: rec.fetch });
    const found = await api.findCustomer("acme");
    assert.deepEqual(found, { customer: {} });
    const listed = [];
    for await (const c of new CustomersApi({ baseUrl: BASE, fetch: rec.fetch }).listAllCustomers()) listed.push(c);
    assert.deepEqual(listed, []);
    console.log(`hostile matrix: ${VALUES.length} values, ${CTOR_POSITIONS.length + METHOD_POSITIONS.length} positions, ${calls} calls in ${Math.round(performance.now() - started)} ms`);
    assert.ok(calls >= 1000, `only ${calls} hostile calls`);
    assert.deepEqual(problems, [], report(problems));
  });

  test("the async iterator itself: next()/return() with junk arguments, after failure, after return", async () => {
    const rec = recordingFetch();
    const api = new CustomersApi({ baseUrl: BASE, fetch: rec.fetch });
    const it = api.listAllCustomers({ per_page: 2 });
    assert.equal(it[Symbol.asyncIterator](), it, "for await gets the iterator back");
    for (const v of VALUES) {
      const r = await outcome(() => it.next(v[1]()));
      assert.equal(r.state, "resolved", v[0]);
      assert.deepEqual(r.value, { value: undefined, done: true }, v[0]);
    }
    const r = await outcome(() => it.return(Symbol("x")));
    assert.deepEqual(r.value, { value: undefined, done: true });
    assert.equal(rec.calls.length, 1, "one page fetched, then done");
    // A refused query: the first next() rejects, later ones are done.
    const bad = api.listAllCustomers({ page: -1 });
    const first = await outcome(() => bad.next());
    assert.equal(first.state, "rejected");
    assertLagoError(first.error, "listAllCustomers({page:-1})", "invalid_input");
    assert.deepEqual((await outcome(() => bad.next())).value, { value: undefined, done: true });
    // Concurrent next() calls queue instead of fetching a page twice.
    const many = new CustomersApi({ baseUrl: BASE, fetch: rec.fetch }).listAllCustomers();
    const all = await Promise.all(Array.from({ length: 50 }, () => many.next()));
    assert.ok(all.every((s) => s.done));
    assert.equal(rec.calls.length, 2);
  });
});

// Inputs that once escaped as synchronous exceptions (Array.isArray on a revoked Proxy, array
// Proxies whose traps throw, Object.assign of a hostile query): each unwound through the wasm
// without restoring its stack pointer, and ~1,300 of them killed the module.
describe("hostile values that once escaped as synchronous exceptions", () => {
  const revoked = () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  };
  const throwingArray = () => new Proxy(["USD"], { get: boom });

  test("a revoked Proxy in any object position is refused with invalid_input", async () => {
    const { problems } = await runMatrix([["revoked Proxy", revoked, []]]);
    assert.deepEqual(problems, [], report(problems));
  });

  test("an array Proxy whose get trap throws (body array field, query array param) is refused", async () => {
    const problems = [];
    const rec = recordingFetch();
    const api = new CustomersApi({ baseUrl: BASE, fetch: rec.fetch });
    const cases = [
      ["createCustomer tax_codes", () => api.createCustomer({ customer: { external_id: "x", tax_codes: throwingArray() } })],
      ["findAllCustomers currencies[]", () => api.findAllCustomers({ currencies: throwingArray() })],
      ["findAllCustomers unknown array param", () => api.findAllCustomers({ not_in_spec: throwingArray() })],
      ["findCustomerCurrentUsage unknown array param", () => api.findCustomerCurrentUsage("a", "s", { not_in_spec: throwingArray() })],
    ];
    for (const [where, f] of cases) {
      const r = await outcome(f);
      if (r.state !== "rejected" || !(r.error instanceof LagoError) || r.error.kind !== "invalid_input") problems.push(`${where}: ${r.state} ${describeErr(r.error)}`);
    }
    assert.equal(rec.calls.length, 0);
    assert.deepEqual(problems, [], report(problems));
  });

  test("listAllCustomers with a page and a query that throws when copied is refused", async () => {
    const problems = [];
    const api = new CustomersApi({ baseUrl: BASE, fetch: recordingFetch().fetch });
    const cases = [
      ["getter throws", () => ({ page: 2, get search_term() { throw new Error("g"); } })],
      ["ownKeys throws", () => new Proxy({ page: 2 }, { ownKeys: boom })],
      ["getOwnPropertyDescriptor throws", () => new Proxy({ page: 2 }, { getOwnPropertyDescriptor: boom })],
    ];
    for (const [where, q] of cases) {
      const r = await outcome(() => api.listAllCustomers(q()).next());
      if (r.state !== "rejected" || !(r.error instanceof LagoError) || r.error.kind !== "invalid_input") problems.push(`${where}: ${r.state} ${describeErr(r.error)}`);
    }
    assert.deepEqual(problems, [], report(problems));
  });

  test("listAllCustomers refuses a page beyond 2^53 - 1, as findAllCustomers does", async () => {
    const rec = recordingFetch();
    const api = new CustomersApi({ baseUrl: BASE, fetch: rec.fetch });
    const direct = await outcome(() => api.findAllCustomers({ page: 2 ** 53 + 2 }));
    assertLagoError(direct.error, "findAllCustomers({page: 2**53+2})", "invalid_input");
    const walked = [];
    for (const page of [2 ** 53 + 2, 1e300]) {
      const r = await outcome(() => api.listAllCustomers({ page }).next());
      if (r.state !== "rejected" || r.error?.kind !== "invalid_input") walked.push(`page ${page}: ${r.state}, sent ${rec.calls.map((c) => new URL(c.url).search).join(" ")}`);
    }
    assert.deepEqual(walked, []);
  });

  test("2,000 calls with a revoked Proxy leave the module alive (child process)", () => {
    const script = `
      const { CustomersApi } = await import(${JSON.stringify(PKG)});
      const fetch = async () => new Response('{"customer":{}}');
      const api = new CustomersApi({ baseUrl: "http://x/api/v1", fetch });
      let sync = 0;
      for (let i = 0; i < 2000; i++) {
        const r = Proxy.revocable({}, {}); r.revoke();
        try { api.findAllCustomers(r.proxy).catch(() => {}); } catch { sync++; }
      }
      let after;
      try { after = JSON.stringify(await api.findCustomer("acme")); } catch (e) { after = e.constructor.name + ": " + e.message; }
      console.log(JSON.stringify({ sync, after }));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    const out = JSON.parse(run.stdout.trim().split("\n").pop() || "{}");
    assert.equal(out.after, '{"customer":{}}', `after 2,000 hostile calls a normal call gave: ${out.after} (${out.sync} threw synchronously)`);
    assert.equal(out.sync, 0, "synchronous throws");
  });
});

describe("hostile fetch", () => {
  const api = (fetch, extra = {}) => {
    let n = 0;
    const counted = (...a) => (n++, fetch(...a));
    const client = new CustomersApi({ baseUrl: BASE, fetch: counted, maxRetries: 2, timeoutMs: 200, sleep: async () => {}, ...extra });
    return { client, attempts: () => n };
  };
  const notAResponse = [
    ["undefined", () => undefined], ["null", () => null], ["42", () => 42], ["a string", () => "Response"],
    ["a Symbol", () => Symbol("r")], ["a BigInt", () => 1n], ["{}", () => ({})], ["[]", () => []],
    ["{status: '200'}", () => ({ status: "200", text: () => "{}" })], ["{status: 200.5}", () => ({ status: 200.5, text: () => "{}" })],
    ["{status: 99}", () => ({ status: 99, text: () => "{}" })], ["{status: 200} without text()", () => ({ status: 200 })],
    ["{status: 200, text: 5}", () => ({ status: 200, text: 5 })], ["status getter throws", () => ({ get status() { throw new Error("s"); } })],
    ["text() throws", () => ({ status: 200, text: boom })], ["text() rejects", () => ({ status: 200, text: () => Promise.reject(new Error("r")) })],
    ["text() rejects with undefined", () => ({ status: 200, text: () => Promise.reject(undefined) })],
    ["Proxy with every trap throwing", () => trapProxy("get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf")],
    ["a thenable whose then throws", () => ({ then: boom })],
    ["fetch throws synchronously", () => { throw new TypeError("sync"); }],
    ["fetch throws a Symbol", () => { throw Symbol("s"); }],
    ["fetch rejects with undefined", () => Promise.reject(undefined)],
    ["fetch rejects with a Proxy", () => Promise.reject(trapProxy("get"))],
  ];
  test(`${notAResponse.length} non-Responses and throwing fetches: network error after maxRetries + 1 attempts`, async () => {
    const problems = [];
    for (const [name, make] of notAResponse) {
      const { client, attempts } = api(make);
      const r = await outcome(() => client.findCustomer("acme"));
      if (r.state !== "rejected") problems.push(`${name}: ${r.state}`);
      else if (!(r.error instanceof LagoError) || r.error.kind !== "network") problems.push(`${name}: ${describeErr(r.error)} kind ${r.error?.kind}`);
      else if (r.error.attempts !== 3 || attempts() !== 3) problems.push(`${name}: attempts ${r.error.attempts}, fetch called ${attempts()}`);
    }
    assert.deepEqual(problems, [], report(problems));
  });

  test("text() giving a non-string is a decode error; headers.get throwing keeps the status", async () => {
    for (const text of [() => 42, () => ({ customer: {} }), () => null, () => Promise.resolve(Symbol("x"))]) {
      const { client } = api(() => ({ status: 200, text }));
      const r = await outcome(() => client.findCustomer("acme"));
      assertLagoError(r.error, "non-string text", "decode");
    }
    const { client, attempts } = api(() => ({ status: 429, headers: { get: boom }, text: () => "{}" }));
    const r = await outcome(() => client.findCustomer("acme"));
    assertLagoError(r.error, "headers.get throws", "http");
    assert.equal(r.error.status, 429);
    assert.equal(attempts(), 3);
    const revokedHeaders = Proxy.revocable({}, {});
    revokedHeaders.revoke();
    const ok = api(() => ({ status: 200, headers: revokedHeaders.proxy, text: () => '{"customer":{"a":1}}' }));
    assert.deepEqual(await ok.client.findCustomer("acme"), { customer: { a: 1 } });
  });

  test("a Retry-After the parser cannot take settles at once with a finite retryAfterMs or none", async () => {
    for (const ra of ["soon", "-1", "1e3", "Sun, 01 Jan 1970 -2562047788017:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 PST", "9".repeat(40), "\u0000"]) {
      const { client } = api(() => new Response('{"status":429}', { status: 429, headers: { "retry-after": ra.replace(/\u0000/, "") } }));
      const r = await outcome(() => client.findCustomer("acme"));
      assertLagoError(r.error, `Retry-After ${ra}`, "http");
      if (r.error.retryAfterMs !== undefined) assert.ok(Number.isFinite(r.error.retryAfterMs) && r.error.retryAfterMs >= 0, `${ra}: ${r.error.retryAfterMs}`);
    }
  });

  // The per-attempt timeout and the caller's abort must not rely on fetch honouring the
  // AbortSignal: a fetch (or a body read) that ignores it once left the call pending for ever.
  test("timeoutMs holds even when fetch, or text(), ignores the signal and never settles", async () => {
    const problems = [];
    const never = () => new Promise(() => {});
    for (const [name, f] of [
      ["fetch never settles", never],
      ["fetch resolves to a never-settling thenable", () => ({ then() {} })],
      ["text() never settles", () => ({ status: 200, headers: new Headers(), text: never })],
    ]) {
      const { client } = api(f, { timeoutMs: 50, maxRetries: 1 });
      const started = performance.now();
      const r = await outcome(() => client.findCustomer("acme"), 1500);
      const ms = Math.round(performance.now() - started);
      if (r.state !== "rejected" || r.error?.kind !== "timeout") problems.push(`${name}: ${r.state} after ${ms} ms (timeoutMs 50, maxRetries 1)`);
    }
    assert.deepEqual(problems, [], report(problems));
  });

  test("an abort settles the call at once even when fetch ignores the signal", async () => {
    const { client } = api(() => new Promise(() => {}), { timeoutMs: 0 });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 20).unref();
    const started = performance.now();
    const r = await outcome(() => client.findCustomer("acme", { signal: ctrl.signal }), 1500);
    assert.equal(r.state, "rejected", `${r.state} after ${Math.round(performance.now() - started)} ms`);
    assertLagoError(r.error, "abort", "aborted");
  });

  // Calls without a signal of their own share an AbortController per deadline slot (runtime.js):
  // one caller's abort must reach its call only, and a timeout must never fire early.
  test("calls share a deadline's AbortController: one caller's abort stops only its call, a timeout is never early", async () => {
    const seen = {};
    const fetch = (url, init) =>
      new Promise((resolve, reject) => {
        const id = new URL(url).pathname.split("/").pop();
        const entry = (seen[id] = { signal: init.signal, abortedAfter: null });
        init.signal?.addEventListener("abort", () => {
          entry.abortedAfter = Date.now() - started;
          reject(new DOMException("aborted", "AbortError"));
        });
        if (id === "quick") setTimeout(() => resolve(new Response('{"customer":{"external_id":"quick"}}')), 30);
      });
    const client = new CustomersApi({ baseUrl: BASE, fetch, maxRetries: 0, timeoutMs: 300 });
    const caller = new AbortController();
    const started = Date.now();
    const hung = outcome(() => client.findCustomer("hung"), 3000);
    const quick = client.findCustomer("quick");
    const mine = outcome(() => client.findCustomer("mine", { signal: caller.signal }), 3000);
    caller.abort();
    assertLagoError((await mine).error, "the caller's abort", "aborted");
    assert.equal(seen.mine.signal.aborted, true, "the caller's abort reached its fetch");
    assert.equal(seen.hung.signal, seen.quick.signal, "the calls without a signal share one");
    assert.notEqual(seen.mine.signal, seen.hung.signal, "a call with a signal has its own");
    assert.equal(seen.hung.signal.aborted, false, "the caller's abort reached the other calls");
    assert.deepEqual(await quick, { customer: { external_id: "quick" } });
    const r = await hung;
    assertLagoError(r.error, "the hung call", "timeout");
    assert.ok(seen.hung.abortedAfter >= 300, `the 300 ms timeout fired after ${seen.hung.abortedAfter} ms`);
  });

  test("fetch returning a promise whose constructor getter throws settles (no uncaught exception)", async () => {
    const uncaught = [];
    const onUncaught = (e) => uncaught.push(e?.message);
    const listeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", onUncaught);
    try {
      const evil = (v) => {
        const p = Promise.resolve(v);
        Object.defineProperty(p, "constructor", { get: boom });
        return p;
      };
      const problems = [];
      for (const [name, f] of [
        ["fetch", () => evil(new Response('{"customer":{}}'))],
        ["text()", () => ({ status: 200, text: () => evil('{"customer":{}}') })],
      ]) {
        const { client } = api(f, { timeoutMs: 100 });
        const r = await outcome(() => client.findCustomer("acme"), 1000);
        await new Promise((res) => setImmediate(res));
        if (r.state === "hang" || r.state === "threw" || uncaught.length) problems.push(`${name}: ${r.state}; uncaught: ${uncaught.splice(0).join(", ")}`);
      }
      assert.deepEqual(problems, [], report(problems));
    } finally {
      process.removeListener("uncaughtException", onUncaught);
      for (const l of listeners) process.on("uncaughtException", l);
    }
  });
});

describe("hostile server bodies (2xx)", () => {
  const serve = (text) => new CustomersApi({ baseUrl: BASE, fetch: async () => new Response(text, { status: 200 }), maxRetries: 0 });
  test("null, arrays, scalars and wrong shapes are decode errors with the body attached", async () => {
    for (const text of ["null", "[]", "[1,2]", "42", '"str"', "true", '{"customer":[]}', '{"customer":null}', '{"customer":"x"}', "", " ", "\u0000", "{", '{"customer":{}', "NaN", '{"customer":{}}garbage']) {
      const r = await outcome(() => serve(text).findCustomer("acme"));
      assert.equal(r.state, "rejected", JSON.stringify(text));
      assertLagoError(r.error, JSON.stringify(text), "decode");
      assert.equal(r.error.attempts, 1);
      assert.ok(r.error.body !== undefined, "the body travels with the error");
    }
    for (const text of ['{"customers":{},"meta":{}}', '{"customers":[],"meta":null}', '{"customers":[]}']) {
      const r = await outcome(() => serve(text).findAllCustomers());
      assertLagoError(r.error, text, "decode");
    }
  });

  test("deeply nested JSON (100k levels) and numbers beyond 2^53 resolve as JSON.parse gives them", async () => {
    const nested = `{"customer":{"deep":${"[".repeat(100_000)}${"]".repeat(100_000)},"big":12345678901234567890,"neg":-9007199254740993,"exp":1e400,"tiny":5e-324}}`;
    const got = await serve(nested).findCustomer("acme");
    const want = JSON.parse(nested);
    assert.equal(got.customer.big, 12345678901234567890);
    assert.equal(got.customer.big, want.customer.big);
    assert.equal(got.customer.neg, want.customer.neg);
    assert.equal(got.customer.exp, Infinity);
    assert.equal(got.customer.tiny, 5e-324);
    let depth = 0;
    for (let a = got.customer.deep; Array.isArray(a) && a.length; a = a[0]) depth++;
    assert.equal(depth, 99_999);
  });

  test("a listAllCustomers server whose next_page loops, goes backwards or is junk stops", async () => {
    for (const next of [1, 0, -5, "2", 2.5, null, 1e308, NaN, {}]) {
      let n = 0;
      const fetch = async () => {
        n++;
        return new Response(JSON.stringify({ customers: [{ n }], meta: { current_page: 1, next_page: next } }));
      };
      const seen = [];
      const started = performance.now();
      for await (const c of new CustomersApi({ baseUrl: BASE, fetch }).listAllCustomers()) {
        seen.push(c);
        if (seen.length > 10) break;
      }
      assert.ok(seen.length <= 2, `next_page ${JSON.stringify(next)}: ${seen.length} customers`);
      assert.ok(performance.now() - started < SETTLE_MS);
    }
  });
});

describe("the constructor's options", () => {
  test("an error about them reads as one: its own words, no method, no path, nothing sent", () => {
    const refused = (options) => {
      try {
        new CustomersApi(options);
      } catch (e) {
        return e;
      }
      assert.fail(`accepted ${JSON.stringify(options)}`);
    };
    const e = refused({ timeoutMs: -1 });
    assertLagoError(e, "timeoutMs -1", "invalid_input");
    assert.equal(e.message, "Invalid option: timeoutMs must be a finite number of milliseconds >= 0 (new CustomersApi)");
    assert.equal(e.field, "timeoutMs");
    assert.deepEqual([e.method, e.path, e.attempts, e.retryable], ["", "", 0, false]);
    const whole = refused("https://lago.test");
    assert.equal(whole.message, "Invalid options: must be an object (new CustomersApi)");
    assert.equal(whole.field, "options");
    assert.deepEqual([whole.method, whole.path], ["", ""]);
  });
});

// A timeout is measured on a monotonic clock: a jump of the wall clock (NTP, a user setting the
// time) must neither fire one early nor hold it. Date.now is stubbed to jump while calls wait.
describe("deadlines and the wall clock", () => {
  /** A fetch that never answers; notes when (ms after `t0`, monotonic) each request was aborted. */
  function hangingFetch(t0) {
    const started = [];
    const abortedAfter = {};
    const fetch = (url, init) =>
      new Promise((_, reject) => {
        const id = new URL(url).pathname.split("/").pop();
        started.push(id);
        init.signal.addEventListener("abort", () => {
          abortedAfter[id] = performance.now() - t0;
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    return { fetch, started, abortedAfter };
  }

  async function withDateNow(offsetMs, f) {
    const real = Date.now;
    Date.now = () => real() + offsetMs;
    try {
      return await f();
    } finally {
      Date.now = real;
    }
  }

  test("the wall clock jumping an hour ahead fires no timeout early", async () => {
    const t0 = performance.now();
    const h = hangingFetch(t0);
    const client = (timeoutMs) => new CustomersApi({ baseUrl: BASE, fetch: h.fetch, maxRetries: 0, timeoutMs });
    const short = outcome(() => client(100).findCustomer("short"));
    const long = outcome(() => client(600).findCustomer("long"));
    assert.deepEqual(h.started, ["short", "long"], "both requests are in flight before the jump");
    const [s, l] = await withDateNow(3_600_000, () => Promise.all([short, long]));
    assertLagoError(s.error, "the 100 ms call", "timeout");
    assertLagoError(l.error, "the 600 ms call", "timeout");
    assert.ok(h.abortedAfter.short >= 100, `the 100 ms timeout fired after ${h.abortedAfter.short} ms`);
    assert.ok(h.abortedAfter.long >= 600, `the 600 ms timeout fired after ${h.abortedAfter.long} ms`);
  });

  test("the wall clock jumping an hour back holds no timeout", async () => {
    const t0 = performance.now();
    const h = hangingFetch(t0);
    const api = new CustomersApi({ baseUrl: BASE, fetch: h.fetch, maxRetries: 0, timeoutMs: 200 });
    const held = outcome(() => api.findCustomer("held"), 2000);
    assert.deepEqual(h.started, ["held"]);
    const r = await withDateNow(-3_600_000, () => held);
    assert.equal(r.state, "rejected", `the 200 ms timeout did not fire within 2 s: ${r.state}`);
    assertLagoError(r.error, "the 200 ms call", "timeout");
    assert.ok(h.abortedAfter.held >= 200 && h.abortedAfter.held < 1000, `fired after ${h.abortedAfter.held} ms`);
  });
});

// A pager ended by return() or throw() before its first next(): its generator never started, so
// its own `finally` never runs; the pager must still let go of the caller's signal and free its
// wasm PageSource at once. wasm-bindgen registers every PageSource it hands to JS with a
// FinalizationRegistry (register(source, ...)) and its free() zeroes `__wbg_ptr`: a spy on
// register() finds the source, and its pointer says whether it was freed (no GC involved).
describe("a pager ended before it started", () => {
  function pagerWithSource(api, signal) {
    const sources = [];
    const register = FinalizationRegistry.prototype.register;
    FinalizationRegistry.prototype.register = function (target, ...rest) {
      if (typeof target?.fetch === "function" && Object.hasOwn(target, "__wbg_ptr")) sources.push(target);
      return register.call(this, target, ...rest);
    };
    try {
      const it = api.listAllCustomers(undefined, { signal });
      assert.equal(sources.length, 1, "one PageSource handed to JS");
      assert.notEqual(sources[0].__wbg_ptr, 0);
      return { it, source: sources[0] };
    } finally {
      FinalizationRegistry.prototype.register = register;
    }
  }

  const listeners = (signal) => getEventListeners(signal, "abort").length;

  for (const end of ["return", "throw"]) {
    test(`${end}() before next(): the caller's signal loses its listener and the source is freed at once`, async () => {
      const rec = recordingFetch();
      const api = new CustomersApi({ baseUrl: BASE, fetch: rec.fetch });
      const caller = new AbortController();
      const { it, source } = pagerWithSource(api, caller.signal);
      assert.equal(listeners(caller.signal), 1, "the pager follows the caller's signal");
      const stop = new Error("stop");
      const ended = end === "return" ? it.return() : it.throw(stop);
      // At once: before the promise settles.
      assert.equal(listeners(caller.signal), 0, "the listener on the caller's signal is gone");
      assert.equal(source.__wbg_ptr, 0, "the PageSource was freed");
      if (end === "return") assert.deepEqual(await ended, { value: undefined, done: true });
      else await assert.rejects(ended, (e) => e === stop);
      // Done for good, and nothing frees the source twice (a second free would throw).
      assert.deepEqual(await it.next(), { value: undefined, done: true });
      assert.deepEqual(await it.return(), { value: undefined, done: true });
      assert.equal(rec.calls.length, 0, "no page was fetched");
      assert.equal(listeners(caller.signal), 0);
    });
  }

  test("return() in mid-walk: the walk's own finally lets go of both", async () => {
    let requests = 0;
    const fetch = async () => {
      requests++;
      const meta = { current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 4 };
      return new Response(JSON.stringify({ customers: [{ external_id: "a" }, { external_id: "b" }], meta }));
    };
    const api = new CustomersApi({ baseUrl: BASE, fetch });
    const caller = new AbortController();
    const { it, source } = pagerWithSource(api, caller.signal);
    assert.deepEqual(await it.next(), { value: { external_id: "a" }, done: false });
    assert.equal(listeners(caller.signal), 1, "still walking");
    assert.notEqual(source.__wbg_ptr, 0);
    assert.deepEqual(await it.return(), { value: undefined, done: true });
    assert.equal(listeners(caller.signal), 0);
    assert.equal(source.__wbg_ptr, 0);
    assert.deepEqual(await it.next(), { value: undefined, done: true });
    assert.equal(requests, 1);
  });
});
