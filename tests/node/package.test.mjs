// The packed npm package, installed into a throwaway project and used as a user would, from
// Node's `import` and `require`.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { pack, installTarball, runIn } from "./helpers.mjs";

let packed;
let consumer;
before(() => {
  packed = pack();
  consumer = installTarball(packed.tarball);
});

test("npm pack ships exactly the package files, no strays", () => {
  const files = packed.info.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    "README.md",
    "classes.js",
    "edge-light.js",
    "event-batches.js",
    "event-queue.js",
    "index.d.ts",
    "index.js",
    "lago-error.js",
    "lago_wasm.js",
    "lago_wasm_bg.wasm",
    "loader.js",
    "node.mjs",
    "node/index.cjs",
    "node/index.d.cts",
    "node/package.json",
    "operations.js",
    "package.json",
    files.find((f) => /^snippets\/lago-wasm-[0-9a-f]+\/src\/js\/runtime\.js$/.test(f)),
    "webhook.js",
    "workerd.js",
  ]);
  console.log(`tarball ${packed.info.filename}: ${packed.info.size} bytes packed, ${packed.info.unpackedSize} unpacked`);
});

// One script, run as ESM and as CommonJS through an injected fetch: nine CustomersApi
// operations (the first spec's), listAllCustomers and a 404. Every operation of every class
// runs end to end in e2e.test.mjs.
const script = (load) => `${load}
const seen = [];
const reply = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const fetch = async (url, init) => {
  seen.push({ url, method: init.method, auth: init.headers.authorization, body: init.body });
  const path = new URL(url).pathname;
  if (path.endsWith("/nobody")) return reply(404, { status: 404, error: "Not Found", code: "customer_not_found" });
  if (path.endsWith("/past_usage")) return reply(200, { usage_periods: [], meta: { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 } });
  if (path.endsWith("/customers") && init.method === "GET") return reply(200, { customers: [{ external_id: "a" }], meta: { current_page: 1, next_page: null, prev_page: null, total_pages: 1, total_count: 1 } });
  if (path.endsWith("/current_usage")) return reply(200, { customer_usage: { amount_cents: 12345678901234 } });
  if (path.includes("/applied_coupons/")) return reply(200, { applied_coupon: { lago_id: "c" } });
  return reply(200, { customer: { external_id: "a", future_field: { kept: true } } });
};
const api = new CustomersApi({ apiKey: "sk_secret_123", baseUrl: "http://lago.test/api/v1/", fetch });
const out = {};
out.create = await api.createCustomer({ customer: { external_id: "a", name: "A", unknown_field: 1 } });
out.find = await api.findCustomer("a.b/c");
out.list = await api.findAllCustomers({ per_page: 10, currencies: ["USD", "EUR"] });
out.all = [];
for await (const c of api.listAllCustomers()) out.all.push(c.external_id);
out.current = await api.findCustomerCurrentUsage("a", "sub_1");
out.past = await api.findAllCustomerPastUsage("a", "sub_1", { periods_count: 3 });
out.portal = await api.getCustomerPortalUrl("a");
out.checkout = await api.generateCustomerCheckoutURL("a");
out.coupon = await api.deleteAppliedCoupon("a", "c1");
out.destroy = await api.destroyCustomer("a");
try { await api.findCustomer("nobody"); } catch (e) {
  out.error = { isLago: e instanceof LagoError, isError: e instanceof Error, kind: e.kind, status: e.status,
    code: e.code, message: e.message, name: e.name, json: JSON.stringify(e), str: String(e), stack: e.stack };
}
out.seen = seen;
console.log(JSON.stringify(out));
`;

function check(out) {
  assert.deepEqual(out.create, { customer: { external_id: "a", future_field: { kept: true } } });
  assert.equal(out.seen[0].method, "POST");
  assert.equal(out.seen[0].url, "http://lago.test/api/v1/customers");
  assert.deepEqual(JSON.parse(out.seen[0].body), { customer: { external_id: "a", name: "A", unknown_field: 1 } });
  assert.equal(out.seen[0].auth, "Bearer sk_secret_123");
  assert.equal(out.seen[1].url, "http://lago.test/api/v1/customers/a%2Eb%2Fc");
  assert.equal(out.seen[2].url, "http://lago.test/api/v1/customers?per_page=10&currencies[]=USD&currencies[]=EUR");
  assert.deepEqual(out.all, ["a"]);
  assert.equal(out.current.customer_usage.amount_cents, 12345678901234);
  assert.equal(out.seen[4].url, "http://lago.test/api/v1/customers/a/current_usage?external_subscription_id=sub_1");
  assert.equal(out.seen[5].url, "http://lago.test/api/v1/customers/a/past_usage?external_subscription_id=sub_1&periods_count=3");
  assert.equal(out.seen[7].method, "POST");
  assert.equal(out.seen[7].url, "http://lago.test/api/v1/customers/a/checkout_url");
  assert.equal(out.seen[8].method, "DELETE");
  assert.equal(out.seen[8].url, "http://lago.test/api/v1/customers/a/applied_coupons/c1");
  assert.equal(out.seen[9].method, "DELETE");
  assert.equal(out.error.isLago, true);
  assert.equal(out.error.isError, true);
  assert.equal(out.error.name, "LagoError");
  assert.equal(out.error.kind, "http");
  assert.equal(out.error.status, 404);
  assert.equal(out.error.code, "customer_not_found");
  assert.equal(out.error.message, "Lago 404 customer_not_found on GET /customers/nobody");
  for (const text of [out.error.message, out.error.json, out.error.str, out.error.stack]) {
    assert.ok(!text.includes("sk_secret_123"), "the API key leaked into an error");
  }
}

test("Node ESM: import { CustomersApi, LagoError } from \"lago-wasm\" runs nine CustomersApi operations, a pager and a 404", () => {
  const out = runIn(consumer, "esm.mjs", script(`import { CustomersApi, LagoError } from "lago-wasm";`));
  check(JSON.parse(out));
});

test("Node CommonJS: require(\"lago-wasm\") runs nine CustomersApi operations, a pager and a 404", () => {
  const code = `(async () => {${script(`const { CustomersApi, LagoError } = require("lago-wasm");`)}})().catch((e) => { console.error(e); process.exit(1); });`;
  check(JSON.parse(runIn(consumer, "cjs.cjs", code)));
});

test("Node: import and require share one LagoError class", () => {
  const out = runIn(
    consumer,
    "same.mjs",
    `import { createRequire } from "node:module";
import { LagoError } from "lago-wasm";
const cjs = createRequire(import.meta.url)("lago-wasm");
console.log(cjs.LagoError === LagoError);`,
  );
  assert.equal(out.trim(), "true");
});

// The entries export every API class of the generated list (pkg-template/operations.js, which
// classes.js builds them from), the `Lago` facade, LagoError, LagoEventQueue and verifyWebhook,
// and none of the glue's own classes (`Core` and its helpers are internal: the API classes
// call the one `Core.call`).
test("every entry exports every API class, Lago, LagoError, LagoEventQueue and verifyWebhook, and no glue class", async () => {
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { default: OPERATIONS } = await import("../../pkg-template/operations.js");
  const dir = join(consumer, "node_modules/lago-wasm");
  const apis = OPERATIONS.split("|").map((group) => group.split(" ")[0]);
  assert.equal(apis.length, 26);
  const want = [...apis, "Lago", "LagoError", "LagoEventQueue", "verifyWebhook"].sort();
  const glue = await import(join(dir, "lago_wasm.js"));
  const glueClasses = Object.keys(glue).filter((k) => /^class\b/.test(String(glue[k])));
  assert.ok(glueClasses.includes("Core"), glueClasses.join());
  assert.deepEqual(glueClasses.filter((c) => want.includes(c)), [], "no glue class is public");
  const esm = JSON.parse(runIn(consumer, "keys.mjs", `import * as m from "lago-wasm"; console.log(JSON.stringify(Object.keys(m)));`));
  assert.deepEqual(esm.sort(), want);
  const cjs = JSON.parse(runIn(consumer, "keys.cjs", `console.log(JSON.stringify(Object.keys(require("lago-wasm"))));`));
  assert.deepEqual(cjs.sort(), want);
  for (const entry of ["index.js", "edge-light.js", "workerd.js"]) {
    const text = readFileSync(join(dir, entry), "utf8");
    const names = [...text.matchAll(/export\s*(?:const\s*)?\{([^}]*)\}/g)].flatMap((m) => m[1].split(",").map((n) => n.trim().split(/\s+as\s+/).at(-1))).filter(Boolean);
    assert.deepEqual(names.sort(), want, entry);
  }
});

// Node cannot fetch the wasm by file URL, which makes the browser entry a real case of a wasm
// that does not load: the import succeeds and the first call rejects with a LagoError.
test("browser entry whose wasm cannot load: import succeeds, calls reject with a LagoError of kind network", () => {
  const out = runIn(consumer, "nowasm.mjs", `
import { CustomersApi, LagoError } from "./node_modules/lago-wasm/index.js";
const api = new CustomersApi({ apiKey: "sk_secret_123" });
const e = await api.findCustomer("acme").catch((e) => e);
const pages = [];
const it = await api.listAllCustomers()[Symbol.asyncIterator]().next().catch((e) => e);
// A pager ended before its first next() settles as done, though its wasm never came.
const ended = await api.listAllCustomers().return().catch((e) => e);
console.log(JSON.stringify({ isLago: e instanceof LagoError, kind: e.kind, attempts: e.attempts, message: e.message,
  pagerIsLago: it instanceof LagoError, same: it.message === e.message, ended }));
`);
  const r = JSON.parse(out);
  assert.equal(r.isLago, true);
  assert.equal(r.kind, "network");
  assert.equal(r.attempts, 0);
  assert.match(r.message, /^lago-wasm could not load its WebAssembly module from file:\/\/.*\/lago_wasm_bg\.wasm: /);
  assert.ok(!r.message.includes("sk_secret_123"));
  assert.equal(r.pagerIsLago, true);
  assert.equal(r.same, true);
  assert.deepEqual(r.ended, { done: true });
});
