// The API key never leaves through an error: every kind of failure, made with a recognisable key,
// is searched for it in every way an error gets logged or serialised. And an apiKey used in a
// browser page warns exactly once on the console; with no key, or in Node, nothing is printed.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { spawn, execFileSync } from "node:child_process";
import { join } from "node:path";
import { CustomersApi, LagoError } from "../../pkg/node.mjs";
import { launchChromium, root, servePkg } from "./helpers.mjs";

const KEY = "sk_live_SECRET_9f8e7d6c5b4a";
/** Pieces of the key too, so a truncated or split key is caught as well. */
const NEEDLES = [KEY, KEY.slice(0, 14), KEY.slice(-12), "SECRET_9f8e", Buffer.from(KEY).toString("base64")];

/** The fake Lago server with KEY as its valid key (so 404/422/429/500 happen with KEY sent). */
let fake;
let fakeProc;
before(async () => {
  execFileSync("cargo", ["build", "--quiet", "-p", "fake-lago"], { cwd: root, stdio: "inherit" });
  fakeProc = spawn(join(root, "target/debug/fake-lago"), ["--port", "0", "--api-key", KEY, "--exit-on-stdin-eof"], { stdio: ["pipe", "pipe", "pipe"] });
  fake = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`fake-lago did not start:\n${seen}`)), 10_000);
    fakeProc.stdout.on("data", (c) => {
      seen += c;
      const m = seen.match(/listening on (http:\/\/\S+)/);
      if (m) clearTimeout(timer), resolve({ url: m[1] });
    });
    fakeProc.on("exit", (code) => reject(new Error(`fake-lago exited with ${code}`)));
  });
});
after(() => fakeProc?.kill("SIGTERM"));

/** Every way the error may reach a log. */
function renderings(err) {
  const own = Object.getOwnPropertyNames(err).map((k) => err[k]);
  const out = {
    message: String(err.message),
    stack: String(err.stack),
    "String(err)": String(err),
    "JSON.stringify(err)": JSON.stringify(err),
    "JSON.stringify(own props)": JSON.stringify(own, (_, v) => (typeof v === "bigint" ? String(v) : v)),
    "util.inspect(err)": inspect(err, { depth: 10, showHidden: true }),
    "Object.entries": JSON.stringify(Object.entries(err)),
  };
  if (err.cause !== undefined) out.cause = inspect(err.cause, { depth: 10 });
  return out;
}

function leaks(err) {
  const found = [];
  for (const [how, text] of Object.entries(renderings(err))) {
    for (const needle of NEEDLES) if (text?.includes(needle)) found.push(`${err.kind} (${err.message}): key found in ${how}`);
  }
  return found;
}

describe("no error carries the API key", () => {
  test("http 401/404/422/429/500/503, network, timeout, aborted, decode and invalid_input errors", async () => {
    const urls = [];
    const tap = (f) => (url, init) => (urls.push(String(url)), f(url, init));
    const real = (extra = {}) =>
      new CustomersApi({ apiKey: KEY, baseUrl: `${fake.url}/api/v1`, fetch: tap(fetch), sleep: async () => {}, maxRetries: 1, ...extra });
    const f = (spec) => ({ headers: { "x-fake-fault": spec } });
    const aborted = new AbortController();
    aborted.abort(new Error(`reason mentioning ${KEY}`));
    const lateAbort = new AbortController();
    setTimeout(() => lateAbort.abort(), 30);
    const calls = {
      http401: () => new CustomersApi({ apiKey: `${KEY}_wrong`, baseUrl: `${fake.url}/api/v1`, fetch: tap(fetch) }).findCustomer("acme_corp"),
      http404: () => real().findCustomer("no_such_customer"),
      http422: () => real().createCustomer({ customer: { external_id: "x", email: "not-an-email" } }),
      http429: () => real().findCustomer("acme_corp", f("status=429;retry-after=1")),
      http500: () => real().findCustomer("acme_corp", f("status=500")),
      http503: () => real().destroyCustomer("acme_corp", f("status=503")),
      network: () => real().findCustomer("acme_corp", f("drop")),
      refused: () => new CustomersApi({ apiKey: KEY, baseUrl: "http://127.0.0.1:1/api/v1", fetch: tap(fetch), maxRetries: 0 }).findCustomer("x"),
      timeout: () => real({ timeoutMs: 20 }).findCustomer("acme_corp", f("latency=1000")),
      abortedBefore: () => real().findCustomer("acme_corp", { signal: aborted.signal }),
      abortedDuring: () => real().findCustomer("acme_corp", { ...f("latency=2000"), signal: lateAbort.signal }),
      decodeTruncated: () => real().findCustomer("acme_corp", f("truncate")),
      decodeNonJson: () => real().findCustomer("acme_corp", f("non-json")),
      decodeWrongShape: () => real().findAllCustomers(undefined, f("wrong-shape")),
      invalidId: () => real().findCustomer(""),
      invalidBody: () => real().createCustomer({ customer: { name: KEY } }),
      invalidQuery: () => real().findAllCustomers({ page: -1, search_term: KEY }),
      invalidHeaders: () => real().findCustomer("x", { headers: { "bad header": KEY } }),
      invalidSignal: () => real().findCustomer("x", { signal: { key: KEY } }),
      fetchThrowsWithInit: () =>
        new CustomersApi({ apiKey: KEY, baseUrl: "http://in-memory/api/v1", maxRetries: 0, fetch: (_, init) => { throw new Error(`fetch failed: ${JSON.stringify(init.headers).length} bytes of headers`); } }).findCustomer("x"),
      listAllHttp: () => real().listAllCustomers({ per_page: 1 }, f("status=500")).next(),
    };
    const errors = [];
    for (const [name, call] of Object.entries(calls)) {
      const err = await call().then(
        () => assert.fail(`${name} resolved`),
        (e) => e,
      );
      assert.ok(err instanceof LagoError, `${name}: ${err}`);
      errors.push([name, err]);
    }
    // Constructor errors: a key of the wrong type, or a bad option next to a good key.
    for (const [name, opts] of [
      ["apiKey number", { apiKey: 12345678901234 }],
      ["apiKey object", { apiKey: { toString: () => KEY } }],
      ["apiKey array", { apiKey: [KEY] }],
      ["apiKey String object", { apiKey: new String(KEY) }],
      ["apiKey empty", { apiKey: "" }],
      ["baseUrl wrong", { apiKey: KEY, baseUrl: "ftp://x" }],
      ["baseUrl is the key", { apiKey: KEY, baseUrl: KEY }],
      ["headers with the key", { apiKey: KEY, headers: { authorization: `Bearer ${KEY}\n` } }],
      ["timeoutMs", { apiKey: KEY, timeoutMs: -1 }],
    ]) {
      try {
        new CustomersApi(opts);
        assert.fail(`${name} accepted`);
      } catch (e) {
        assert.ok(e instanceof LagoError, `${name}: ${e}`);
        assert.equal(e.kind, "invalid_input");
        errors.push([name, e]);
      }
    }
    const kinds = new Set(errors.map(([, e]) => e.kind));
    assert.deepEqual([...kinds].sort(), ["aborted", "decode", "http", "invalid_input", "network", "timeout"]);
    const statuses = new Set(errors.map(([, e]) => e.status).filter(Boolean));
    for (const s of [401, 404, 422, 429, 500, 503]) assert.ok(statuses.has(s), `no ${s}`);
    const found = errors.flatMap(([name, e]) => leaks(e).map((l) => `${name}: ${l}`));
    assert.deepEqual(found, []);
    for (const url of urls) for (const n of NEEDLES) assert.ok(!url.includes(n), `key in request URL ${url}`);
    console.log(`secrets: ${errors.length} errors (${[...kinds].join(", ")}; statuses ${[...statuses].join("/")}) x ${Object.keys(renderings(errors[0][1])).length} renderings x ${NEEDLES.length} needles: no key; ${urls.length} request URLs clean`);
  });

  test("the Authorization header is built from the key and only sent as a header", async () => {
    let seen;
    const api = new CustomersApi({ apiKey: KEY, baseUrl: "http://in-memory/api/v1", fetch: async (url, init) => ((seen = { url, init }), new Response('{"customer":{}}')) });
    await api.findCustomer("x");
    assert.equal(seen.init.headers.authorization, `Bearer ${KEY}`);
    assert.ok(!seen.url.includes(KEY));
    assert.equal(seen.init.body, undefined);
    for (const k of ["credentials", "mode", "referrerPolicy"]) assert.equal(seen.init[k], undefined, k);
  });
});

// Text that a third party echoes back (a fetch wrapper's error message, a proxy's error body)
// goes through the library's redaction of the key before it reaches an error.
test("text echoed by a fetch wrapper or a proxy does not carry the key into the error", async () => {
  const echoFetch = new CustomersApi({ apiKey: KEY, baseUrl: "http://in-memory/api/v1", maxRetries: 0, fetch: (_, init) => { throw new Error(`request failed with headers ${JSON.stringify(init.headers)}`); } });
  const echoProxy = new CustomersApi({ apiKey: KEY, baseUrl: "http://in-memory/api/v1", maxRetries: 0, fetch: async (_, init) => new Response(JSON.stringify({ error: `bad token ${init.headers.authorization}` }), { status: 502 }) });
  const found = [];
  for (const [name, api] of [["fetch echo", echoFetch], ["proxy echo", echoProxy]]) {
    const err = await api.findCustomer("x").catch((e) => e);
    found.push(...leaks(err).map((l) => `${name}: ${l}`));
  }
  assert.deepEqual(found, []);
});

describe("the browser warning about an apiKey", () => {
  test("Node: no console output with a key", () => {
    const warned = [];
    const saved = { warn: console.warn, error: console.error, log: console.log };
    console.warn = console.error = console.log = (...a) => warned.push(a.join(" "));
    try {
      new CustomersApi({ apiKey: KEY });
      new CustomersApi({ apiKey: KEY, baseUrl: "https://api.eu.getlago.com/api/v1" });
      new CustomersApi({});
    } finally {
      Object.assign(console, saved);
    }
    assert.deepEqual(warned, []);
  });

  test("headless Chromium: exactly one console.warn for any number of keyed clients, none without a key", async () => {
    const server = await servePkg('<!doctype html><link rel="icon" href="data:,"><title>warn</title>');
    const browser = await launchChromium();
    try {
      const origin = server.origin;
      const run = async (steps) => {
        const page = await browser.newPage();
        const messages = [];
        page.on("console", (m) => messages.push({ type: m.type(), text: m.text() }));
        page.on("pageerror", (e) => messages.push({ type: "pageerror", text: e.message }));
        await page.goto(`${origin}/`);
        const counts = await page.evaluate(async ({ steps, key }) => {
          const { CustomersApi } = await import("/pkg/index.js");
          // The browser entry fetches the wasm after the import resolves, and clients made before
          // it arrives are built (and warn) then: a refused call settles once it has arrived.
          await new CustomersApi().findCustomer("..").catch(() => {});
          const counts = [];
          for (const step of steps) {
            if (step === "key") new CustomersApi({ apiKey: key });
            if (step === "key+proxy") new CustomersApi({ apiKey: key, baseUrl: "/api/v1" });
            if (step === "none") new CustomersApi({ baseUrl: "/api/v1" });
            if (step === "empty") new CustomersApi();
            await new Promise((r) => setTimeout(r, 0));
            counts.push(step);
          }
          return counts;
        }, { steps, key: KEY });
        await page.close();
        assert.deepEqual(counts, steps);
        return messages;
      };
      const noKey = await run(["none", "empty", "none"]);
      assert.deepEqual(noKey, [], "no console output without a key");
      const keyed = await run(["none", "key", "key", "key+proxy", "key", "none"]);
      const warnings = keyed.filter((m) => m.type === "warning");
      assert.equal(warnings.length, 1, JSON.stringify(keyed));
      assert.equal(keyed.length, 1, `nothing else on the console: ${JSON.stringify(keyed)}`);
      assert.match(warnings[0].text, /apiKey/);
      for (const n of NEEDLES) assert.ok(!warnings[0].text.includes(n), "the warning never shows the key");
      console.log(`browser warning: ${warnings.length} console.warn for 4 keyed clients, 0 for 5 key-less ones: "${warnings[0].text.slice(0, 90)}..."`);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
