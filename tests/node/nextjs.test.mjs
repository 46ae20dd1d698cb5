// Next.js (App Router, the latest release, Turbopack, no next.config) with the packed package:
// a client component calling Lago through the app's own /lago proxy route (run in headless
// Chromium), a route handler on the Node runtime and one on the edge runtime, each with the API
// key from the environment. Each works under `next dev` and under `next build && next start`,
// against the fake Lago server. The app is tests/ecosystem/next/. `next build --webpack` is run
// too, without the edge route: Next 16.4.6's webpack mode fails on any edge route handler
// (ENOENT on its route_client-reference-manifest.js, with or without lago-wasm).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { rmSync } from "node:fs";
import { pack, launchChromium } from "./helpers.mjs";
import { API_KEY, freePort, startFakeLago } from "./servers.mjs";
import { prepareApp, startServer, openPage, shipped } from "./ecosystem.mjs";

const run = promisify(execFile);
const next = join(import.meta.dirname, "../../node_modules/next/dist/bin/next");
const TIMEOUT = 240_000;

let fake;
let browser;
let devApp;
let prodApp;
let webpackApp;
let built; // the promise of `next build`, started in before() while the dev server is tested
let builtWebpack; // then `next build --webpack`
const servers = [];
let env;

before(async () => {
  fake = await startFakeLago();
  const { tarball } = pack();
  devApp = prepareApp("next-dev", "ecosystem/next", tarball);
  prodApp = prepareApp("next-prod", "ecosystem/next", tarball);
  const keys = await (await fetch(`${fake.url}/admin/webhooks/keys`)).json();
  env = { NEXT_TELEMETRY_DISABLED: "1", LAGO_ORIGIN: new URL(fake.url).origin, LAGO_KEY: API_KEY,
    LAGO_WEBHOOK_PUBLIC_KEY: keys.public_key, LAGO_WEBHOOK_HMAC_KEY: keys.hmac_key, LAGO_WEBHOOK_ISSUER: keys.issuer };
  webpackApp = prepareApp("next-webpack", "ecosystem/next", tarball);
  rmSync(join(webpackApp, "app/api/edge"), { recursive: true });
  const build = (cwd, ...args) => run(process.execPath, [next, "build", ...args], { cwd, env: { ...process.env, ...env } })
    .then(({ stdout, stderr }) => ({ ok: true, log: stdout + stderr }), (e) => ({ ok: false, log: `${e.stdout}${e.stderr}` }));
  built = build(prodApp);
  builtWebpack = built.then(() => build(webpackApp, "--webpack"));
  browser = await launchChromium();
}, { timeout: 60_000 });

after(async () => {
  await builtWebpack;
  for (const s of servers) await s.stop();
  await browser?.close();
  await fake?.stop();
});

async function serve(mode, cwd) {
  const port = await freePort();
  const server = startServer(process.execPath, [next, mode, "-p", String(port), "-H", "127.0.0.1"], { cwd, env, ready: /Ready in/ });
  servers.push(server);
  await server.started;
  return { origin: `http://127.0.0.1:${port}`, server };
}

const scenario = (runtime) => ({
  ...(runtime ? { runtime } : {}),
  found: "acme_corp",
  listed: 36,
  error: { isLagoError: true, kind: "http", status: 404, code: "customer_not_found" },
  invalid: { isLagoError: true, kind: "invalid_input" },
});

// Next's own notices, which are about the app's setup and not about any package: the edge
// runtime's deprecation, and (with CI set) the build cache CI does not keep.
const nextNotice = /Edge Runtime is deprecated|edge runtime on a page|No build cache found/;

async function checkApp(origin, label, runtimes = ["nodejs", "edge"]) {
  // Route handlers: the Node runtime and the edge runtime, each with the key.
  for (const runtime of runtimes) {
    const res = await fetch(`${origin}/api/${runtime === "nodejs" ? "node" : "edge"}`);
    const text = await res.text();
    assert.equal(res.status, 200, `${label} ${runtime} route: ${text}`);
    assert.deepEqual(JSON.parse(text), scenario(runtime));
    // The README's webhook route handler: webhooks the fake signed, and a tampered one.
    for (const algorithm of ["jwt", "hmac"]) {
      const { headers, body } = await (await fetch(`${fake.url}/admin/webhooks/sign?algorithm=${algorithm}`, { method: "POST" })).json();
      const post = (b) => fetch(`${origin}/api/${runtime === "nodejs" ? "node" : "edge"}/webhook`, { method: "POST", headers, body: b });
      const good = await post(body);
      const got = await good.text();
      assert.equal(good.status, 200, `${label} ${runtime} webhook ${algorithm}: ${got}`);
      assert.deepEqual(JSON.parse(got), { runtime, algorithm, uniqueKey: headers["X-Lago-Unique-Key"], type: "customer.created" });
      assert.equal((await post(body.replace("acme", "acmf"))).status, 401, `${label} ${runtime} tampered ${algorithm}`);
    }
  }
  // The client component, in Chromium, through the same-origin proxy and with no key.
  const { out, problems, responses } = await openPage(browser, `${origin}/`);
  assert.deepEqual(problems, []);
  assert.deepEqual(out, scenario());
  const calls = responses.filter((r) => new URL(r.url).pathname.startsWith("/lago/"));
  assert.ok(calls.length >= 5, `the page called the proxy: ${calls.map((r) => r.url)}`);
  assert.ok(calls.every((r) => r.auth === undefined), "the browser sent an Authorization header");
  const wasm = responses.filter((r) => r.url.endsWith(".wasm"));
  assert.equal(wasm.length, 1, "the page loads the wasm once");
  assert.equal(wasm[0].type, "application/wasm");
  const bytes = shipped(responses);
  assert.ok(bytes.sdkChunks > 0, "a JS chunk carries the SDK's glue");
  // The browser gets the browser entry, never the Node entry with its inlined wasm.
  assert.ok(!responses.some((r) => r.inlinedWasm), "the client bundle carries the Node entry's inlined wasm");
  console.log(`${label}: client page shipped ${bytes.js} B of JS (React and Next included; ${bytes.sdkChunks} B in the chunks carrying the SDK) and ${bytes.wasm} B of wasm`);
}

test("Next.js next dev (no config): client component, Node route handler and edge route handler", { timeout: TIMEOUT }, async () => {
  const { origin } = await serve("dev", devApp);
  await checkApp(origin, "next dev");
});

test("Next.js next build && next start (no config): client component, Node and edge route handlers", { timeout: TIMEOUT }, async () => {
  const { ok, log } = await built;
  assert.ok(ok, `next build failed:\n${log}`);
  const warnings = log.split("\n").filter((l) => /⚠|warn/i.test(l) && !nextNotice.test(l));
  assert.deepEqual(warnings, []);
  assert.doesNotMatch(log, /wasm/i);
  const { origin } = await serve("start", prodApp);
  await checkApp(origin, "next build && next start");
});

test("Next.js next build --webpack && next start (no config): client component and Node route handler, no warning", { timeout: TIMEOUT }, async () => {
  const { ok, log } = await builtWebpack;
  assert.ok(ok, `next build --webpack failed:\n${log}`);
  assert.match(log, /\(webpack\)/);
  // Notably no "topLevelAwait" / "async/await" warning: no entry uses top-level await.
  assert.deepEqual(log.split("\n").filter((l) => /⚠|warn/i.test(l) && !nextNotice.test(l)), []);
  const { origin } = await serve("start", webpackApp);
  await checkApp(origin, "next build --webpack && next start", ["nodejs"]);
});
