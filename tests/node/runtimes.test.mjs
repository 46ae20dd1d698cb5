// The packed npm package in the browser runtimes it promises: a Vite 7 app (production build and
// dev server), webpack 5, Rollup (with the import-meta-assets plugin), Parcel (build and dev
// server), an esbuild bundle, a plain <script type="module"> page (by path and through an import
// map) and a module Web Worker, each loaded in headless Chromium from a project that installed
// the tarball, served by a small static server that also answers Lago's routes. A bundle
// without its wasm (Rollup with no plugin) must reject the first call with a LagoError.
// The page code is tests/runtimes/ (scenario.js runs the same calls everywhere); a test fails on
// any console error or warning and on any uncaught page error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { cpSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, extname, sep } from "node:path";
import { launchChromium, pack, root } from "./helpers.mjs";
import { freePort } from "./servers.mjs";
import { prepareApp, startServer, openPage, distBytes, logBytes, bin } from "./ecosystem.mjs";

import * as vite from "vite";
import * as esbuild from "esbuild";
import webpack from "webpack";
import { rollup } from "rollup";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { importMetaAssets } from "@web/rollup-plugin-import-meta-assets";

const TIMEOUT = 20_000; // per runtime, build included
const BUILD_TIMEOUT = 120_000; // webpack and Parcel on a busy 2-core machine

let tarball;
let app; // the throwaway project: node_modules/lago-wasm from the tarball, plus tests/runtimes/*
let browser;
let server;
let origin;
const devServers = [];
const requests = []; // what the servers were asked for: { method, path, search, type, auth }

// Lago's side of the scenario: GET /customers/{id} echoes the id; GET /customers pages through
// two customers, one per page.
function api(req, res, path) {
  const url = new URL(req.url, "http://x");
  const json = (body) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method === "GET" && path === "/api/v1/customers") {
    const page = Number(url.searchParams.get("page") ?? 1);
    const meta = { current_page: page, next_page: page < 2 ? page + 1 : null, prev_page: page > 1 ? page - 1 : null,
      total_pages: 2, total_count: 2 };
    return json({ customers: [{ external_id: page === 1 ? "a" : "b" }], meta }), true;
  }
  const one = /^\/api\/v1\/customers\/([^/]+)$/.exec(path);
  if (req.method === "GET" && one) {
    return json({ customer: { lago_id: "1a901a90-1a90-1a90-1a90-1a901a901a90", external_id: decodeURIComponent(one[1]) } }), true;
  }
  return false;
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
  ".json": "application/json", ".css": "text/css" };

function record(req, path, type) {
  requests.push({ method: req.method, path, search: new URL(req.url, "http://x").search, type, auth: req.headers.authorization });
}

function serveStatic(req, res) {
  const path = new URL(req.url, "http://x").pathname; // as sent: "%2E" stays "%2E"
  if (path === "/favicon.ico") return res.writeHead(204).end();
  if (api(req, res, path)) return record(req, path, "api");
  const file = normalize(join(app, decodeURIComponent(path.endsWith("/") ? `${path}index.html` : path)));
  if (!file.startsWith(app + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
    // A single-page app's server: every unknown path under /spa/ answers its page.
    if (path.startsWith("/nowasm-spa/")) {
      record(req, path, "text/html");
      return res.writeHead(200, { "content-type": "text/html" }).end(readFileSync(join(app, "nowasm-spa/index.html")));
    }
    record(req, path, 404);
    return res.writeHead(404).end();
  }
  const type = TYPES[extname(file)] ?? "application/octet-stream";
  record(req, path, type);
  res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
  res.end(readFileSync(file));
}

before(async () => {
  ({ tarball } = pack());
  app = prepareApp("runtimes", "runtimes", tarball);
  cpSync(join(root, "tests/ecosystem/web"), app, { recursive: true });
  server = createServer(serveStatic);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  for (const dev of devServers) await (dev.close ?? dev.stop)();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

/** Opens `url` in a fresh context; returns the scenario's outcome, failing on console noise. */
async function runPage(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  let failFast;
  const failed = new Promise((resolve) => (failFast = resolve));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => {
    problems.push(`pageerror: ${e.stack || e.message}`);
    failFast(); // an uncaught error: the page will not report, no need to wait for the timeout
  });
  page.on("crash", () => {
    problems.push("page crashed");
    failFast();
  });
  try {
    await page.goto(url);
    await Promise.race([page.waitForSelector("#out[data-done]", { state: "attached", timeout: 10_000 }), failed])
      .catch((e) => problems.push(`no outcome: ${e.message.split("\n")[0]}`));
    const text = await page.textContent("#out");
    assert.deepEqual(problems, [], `${url}\n${problems.join("\n")}`);
    return JSON.parse(text);
  } finally {
    await context.close();
  }
}

function check(out, runtime) {
  assert.equal(out.failed, undefined, out.failed);
  assert.equal(out.runtime, runtime);
  assert.equal(out.found, "acme.com");
  assert.equal(out.plainObject, true);
  assert.deepEqual(out.all, ["a", "b"]);
  assert.deepEqual(out.error, {
    isLagoError: true, isError: true, name: "LagoError", kind: "http", status: 404, code: "customer_not_found",
    message: "Lago 404 customer_not_found on GET /customers/nobody",
  });
  assert.deepEqual(out.invalid, { isLagoError: true, kind: "invalid_input" });
  // The pager ended before its first next() (made while the wasm may still have been loading).
  assert.deepEqual(out.endedEarly, { done: true });
  assert.equal(out.listening, 0, "listeners left on the caller's signal");
  assert.deepEqual(out.queue, {
    report: { delivered: 1, duplicates: 0, failed: 0 },
    batches: [{ url: "https://lago.test/api/v1/events/batch", ids: [out.queue.batches[0]?.ids[0]] }],
    sentTheId: true,
    size: 0,
  }, "LagoEventQueue sent its event (event-batches.js loaded)");
}

/** Checks the API requests made since `start`; returns them and the wasm fetches. */
function checkApiCalls(start) {
  const made = requests.slice(start);
  const wasm = made.filter((r) => r.path.endsWith(".wasm"));
  const apiCalls = made.filter((r) => r.type === "api");
  // Same-origin calls with the default fetch, `.` sent as %2E, the list walked page by page.
  assert.deepEqual(apiCalls.map((r) => `${r.path}${r.search}`), [
    "/api/v1/customers/acme%2Ecom",
    "/api/v1/customers?per_page=1&currencies[]=EUR&page=1",
    "/api/v1/customers?per_page=1&currencies[]=EUR&page=2",
  ]);
  assert.ok(apiCalls.every((r) => r.auth === undefined), "a browser client without apiKey sent Authorization");
  return { wasm, apiCalls };
}

test("Vite 7 build: a project importing \"lago-wasm\" builds with no config and runs in Chromium", { timeout: TIMEOUT }, async () => {
  const warnings = [];
  const logger = vite.createLogger("warn");
  const customLogger = { ...logger, warn: (m, o) => { warnings.push(m); logger.warn(m, o); },
    warnOnce: (m, o) => { warnings.push(m); logger.warnOnce(m, o); } };
  await vite.build({
    root: app, configFile: false, base: "/dist-vite/", logLevel: "warn", customLogger,
    build: { outDir: "dist-vite", emptyOutDir: true },
  });
  assert.deepEqual(warnings, [], "vite build warned");
  logBytes("Vite 7 build", distBytes(join(app, "dist-vite")));
  const start = requests.length;
  check(await runPage(`${origin}/dist-vite/`), "page");
  const { wasm } = checkApiCalls(start);
  assert.equal(wasm.length, 1);
  assert.match(wasm[0].path, /^\/dist-vite\/assets\/lago_wasm_bg-[\w-]+\.wasm$/, "Vite emits the wasm as a hashed asset");
  assert.equal(wasm[0].type, "application/wasm");
});

/** A Vite dev server on the throwaway project, with Lago's routes as a middleware. */
async function startDevServer(optimizeDeps, cacheName) {
  const dev = await vite.createServer({
    root: app, configFile: false, logLevel: "silent", cacheDir: join(app, "node_modules", cacheName), optimizeDeps,
    server: { host: "127.0.0.1", port: 0, hmr: false, watch: null },
    plugins: [{ name: "lago-api", configureServer(s) {
      s.middlewares.use((req, res, next) => {
        const path = new URL(req.url, "http://x").pathname;
        if (api(req, res, path)) record(req, path, "api"); else next();
      });
    } }],
  });
  devServers.push(dev);
  await dev.listen();
  return dev.resolvedUrls.local[0];
}

test("Vite 7 dev server: runs in Chromium with optimizeDeps.exclude [\"lago-wasm\"]", { timeout: TIMEOUT }, async () => {
  const url = await startDevServer({ exclude: ["lago-wasm"] }, ".vite-exclude");
  const start = requests.length;
  check(await runPage(url), "page");
  checkApiCalls(start);
});

// Pre-bundling moves the JS into node_modules/.vite/deps but not the .wasm its
// `new URL(..., import.meta.url)` points at (Vite answers its HTML page instead); the package
// then tries once more from its own folder, /node_modules/lago-wasm/, which Vite serves. So the
// exclude the README gives is only a saved request.
test("Vite 7 dev server without the exclude: the wasm missing from .vite/deps is fetched from node_modules/lago-wasm, no console noise", { timeout: TIMEOUT }, async () => {
  const url = await startDevServer({}, ".vite-default");
  const { out, problems, responses } = await openPage(browser, url);
  check(out, "page");
  assert.deepEqual(problems, []);
  const wasm = responses.filter((r) => r.url.endsWith(".wasm")).map((r) => [new URL(r.url).pathname, r.status, r.type.split(";")[0]]);
  assert.deepEqual(wasm, [
    ["/node_modules/.vite-default/deps/lago_wasm_bg.wasm", 200, "text/html"],
    ["/node_modules/lago-wasm/lago_wasm_bg.wasm", 200, "application/wasm"],
  ]);
});

test("esbuild bundle (format esm): runs in Chromium with the wasm copied beside the bundle", { timeout: TIMEOUT }, async () => {
  const result = await esbuild.build({
    absWorkingDir: app, entryPoints: ["app.js"], bundle: true, format: "esm", platform: "browser",
    outdir: "dist-esbuild", logLevel: "silent", metafile: true,
  });
  assert.deepEqual(result.warnings, []);
  // esbuild keeps `new URL("./lago_wasm_bg.wasm", import.meta.url)` as is: the one setup step.
  assert.deepEqual(Object.keys(result.metafile.outputs), ["dist-esbuild/app.js"]);
  copyFileSync(join(app, "node_modules/lago-wasm/lago_wasm_bg.wasm"), join(app, "dist-esbuild/lago_wasm_bg.wasm"));
  copyFileSync(join(app, "index.html"), join(app, "dist-esbuild/index.html"));
  logBytes("esbuild bundle", distBytes(join(app, "dist-esbuild")));
  const start = requests.length;
  check(await runPage(`${origin}/dist-esbuild/`), "page");
  const { wasm } = checkApiCalls(start);
  assert.deepEqual(wasm.map((r) => [r.path, r.type]), [["/dist-esbuild/lago_wasm_bg.wasm", "application/wasm"]]);
});

test("plain <script type=\"module\"> page importing /node_modules/lago-wasm/index.js runs in Chromium", { timeout: TIMEOUT }, async () => {
  const start = requests.length;
  check(await runPage(`${origin}/plain.html`), "page");
  const { wasm } = checkApiCalls(start);
  assert.deepEqual(wasm.map((r) => [r.path, r.type]), [["/node_modules/lago-wasm/lago_wasm_bg.wasm", "application/wasm"]]);
});

test("plain page importing \"lago-wasm\" by name through an import map runs in Chromium", { timeout: TIMEOUT }, async () => {
  const start = requests.length;
  check(await runPage(`${origin}/importmap.html`), "page");
  const { wasm } = checkApiCalls(start);
  assert.deepEqual(wasm.map((r) => [r.path, r.type]), [["/node_modules/lago-wasm/lago_wasm_bg.wasm", "application/wasm"]]);
});

test("module Web Worker importing the package runs in Chromium and posts the result back", { timeout: TIMEOUT }, async () => {
  const start = requests.length;
  check(await runPage(`${origin}/worker.html`), "worker");
  const { wasm } = checkApiCalls(start);
  assert.deepEqual(wasm.map((r) => [r.path, r.type]), [["/node_modules/lago-wasm/lago_wasm_bg.wasm", "application/wasm"]]);
});

test("webpack 5 (mode production, no config beyond entry and output): runs in Chromium, the wasm emitted as an asset", { timeout: BUILD_TIMEOUT }, async () => {
  const stats = await new Promise((resolve, reject) => {
    webpack({ context: app, mode: "production", entry: "./app.js", output: { path: join(app, "dist-webpack") } },
      (err, result) => (err ? reject(err) : resolve(result)));
  });
  const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  writeFileSync(join(app, "dist-webpack/index.html"),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><pre id="out"></pre><script src="./main.js"></script>');
  logBytes("webpack 5", distBytes(join(app, "dist-webpack")));
  const start = requests.length;
  check(await runPage(`${origin}/dist-webpack/`), "page");
  const { wasm } = checkApiCalls(start);
  assert.equal(wasm.length, 1);
  assert.match(wasm[0].path, /^\/dist-webpack\/[\w-]+\.wasm$/);
  assert.equal(wasm[0].type, "application/wasm");
});

/** Rollup with node-resolve (and `more` plugins); returns the warnings it printed. */
async function rollupBuild(input, dir, more = []) {
  const warnings = [];
  const bundle = await rollup({ input: join(app, input), plugins: [nodeResolve({ browser: true }), ...more],
    onwarn: (w) => warnings.push(w.message) });
  await bundle.write({ dir: join(app, dir), format: "es" });
  await bundle.close();
  return warnings;
}

test("Rollup 4 with @web/rollup-plugin-import-meta-assets: runs in Chromium, the wasm emitted by the plugin", { timeout: BUILD_TIMEOUT }, async () => {
  assert.deepEqual(await rollupBuild("app.js", "dist-rollup", [importMetaAssets()]), []);
  copyFileSync(join(app, "index.html"), join(app, "dist-rollup/index.html"));
  logBytes("Rollup 4 + import-meta-assets", distBytes(join(app, "dist-rollup")));
  const start = requests.length;
  check(await runPage(`${origin}/dist-rollup/`), "page");
  const { wasm } = checkApiCalls(start);
  assert.equal(wasm.length, 1);
  assert.match(wasm[0].path, /^\/dist-rollup\/assets\/lago_wasm_bg-[\w-]+\.wasm$/);
});

test("a bundle without its wasm (Rollup, no plugin, nothing copied): the first call rejects with a LagoError, no uncaught error", { timeout: BUILD_TIMEOUT }, async () => {
  assert.deepEqual(await rollupBuild("missing.js", "dist-missing"), []);
  copyFileSync(join(app, "missing.html"), join(app, "dist-missing/index.html"));
  const { out, problems } = await openPage(browser, `${origin}/dist-missing/`);
  assert.equal(out.isLagoError, true);
  assert.equal(out.kind, "network");
  assert.equal(out.attempts, 0);
  assertMissing(out.message, "/dist-missing/lago_wasm_bg.wasm answered 404");
  // Only the browser's own line about the 404; no page error.
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], /^console\.error: Failed to load resource: .*404.*lago_wasm_bg\.wasm\)$/);
});

/** The one-line message of a wasm the server does not have: the URL, what came, the recipes. */
function assertMissing(message, answered) {
  const at = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  assert.match(message, new RegExp(`^lago-wasm could not load its WebAssembly module: http://127\\.0\\.0\\.1:\\d+${at(answered)}, ` +
    "not the wasm, so lago_wasm_bg\\.wasm is not where the bundle expects it\\. Serve it there as application/wasm " +
    "\\(the setup for each bundler and framework: https://github\\.com/lago-wasm/lago-wasm#recipes-runtimes-frameworks-and-bundlers\\)\\.$"));
  assert.doesNotMatch(message, /\n|magic word/);
}

// A plain page whose server has no wasm beside the package's index.js: one answering 404, one
// answering its HTML page for every unknown path (a single-page app's fallback). Neither is
// under node_modules, so there is one request for the wasm and no second try.
for (const [dir, answered, noise] of [["nowasm-404", "answered 404", 1], ["nowasm-spa", "answered 200 text/html", 0]]) {
  test(`plain page, server ${answered} for the wasm: the first call rejects with a LagoError naming the URL and the recipes`, { timeout: TIMEOUT }, async () => {
    mkdirSync(join(app, dir, "lago-wasm"), { recursive: true });
    copyFileSync(join(app, "node_modules/lago-wasm/index.js"), join(app, dir, "lago-wasm/index.js"));
    copyFileSync(join(app, "missing.js"), join(app, dir, "missing.js"));
    copyFileSync(join(app, "nowasm.html"), join(app, dir, "index.html"));
    const { out, problems, responses } = await openPage(browser, `${origin}/${dir}/`);
    assert.equal(out.isLagoError, true);
    assert.equal(out.kind, "network");
    assertMissing(out.message, `/${dir}/lago-wasm/lago_wasm_bg.wasm ${answered}`);
    assert.deepEqual(responses.filter((r) => r.url.endsWith(".wasm")).map((r) => new URL(r.url).pathname), [`/${dir}/lago-wasm/lago_wasm_bg.wasm`]);
    // No MIME-type warning for an HTML answer; for the 404, the browser's own line only.
    assert.equal(problems.length, noise, problems.join("\n"));
  });
}

test("Parcel 2 build (no config): runs in Chromium, the wasm emitted as an asset", { timeout: BUILD_TIMEOUT }, async () => {
  const result = await new Promise((resolve) => {
    execFile(bin("parcel"), ["build", "index.html", "--dist-dir", "dist-parcel", "--public-url", "/dist-parcel/",
      "--cache-dir", ".parcel-cache", "--no-autoinstall"], { cwd: app, env: { ...process.env, PARCEL_WORKERS: "1" } },
    (err, stdout, stderr) => resolve({ err, log: `${stdout}${stderr}` }));
  });
  assert.equal(result.err, null, result.log);
  assert.doesNotMatch(result.log, /warn|⚠/i);
  logBytes("Parcel 2 build", distBytes(join(app, "dist-parcel")));
  const start = requests.length;
  check(await runPage(`${origin}/dist-parcel/`), "page");
  const { wasm } = checkApiCalls(start);
  assert.equal(wasm.length, 1);
  assert.match(wasm[0].path, /^\/dist-parcel\/lago_wasm_bg\.[\w-]+\.wasm$/);
});

test("Parcel 2 dev server (parcel serve, HMR on): runs in Chromium", { timeout: BUILD_TIMEOUT }, async () => {
  const [port, hmrPort] = [await freePort(), await freePort()];
  const parcel = startServer(bin("parcel"), ["serve", "index.html", "--port", String(port), "--host", "127.0.0.1",
    "--hmr-port", String(hmrPort), "--dist-dir", "dist-parcel-dev", "--cache-dir", ".parcel-cache-dev", "--no-autoinstall"],
  { cwd: app, env: { PARCEL_WORKERS: "1" }, ready: /Server running at/ });
  devServers.push(parcel);
  await parcel.started;
  // The app's backend in front of the dev server, as an app's proxy would be: /api/v1 answered
  // here, the rest from Parcel.
  const front = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (api(req, res, path)) return record(req, path, "api");
    record(req, path, path.endsWith(".wasm") ? "application/wasm" : "parcel");
    const upstream = httpRequest({ host: "127.0.0.1", port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise((r) => front.listen(0, "127.0.0.1", r));
  devServers.push({ close: () => new Promise((r) => { front.closeAllConnections(); front.close(r); }) });
  const start = requests.length;
  check(await runPage(`http://127.0.0.1:${front.address().port}/`), "page");
  const { wasm } = checkApiCalls(start);
  assert.equal(wasm.length, 1);
});
