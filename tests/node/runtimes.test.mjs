// The packed npm package in the browser runtimes it promises: a Vite 7 app (production build and
// dev server), an esbuild bundle, a plain <script type="module"> page (by path and through an
// import map) and a module Web Worker, each loaded in headless Chromium from a throwaway project
// that installed the tarball, served by a small static server that also answers Lago's routes.
// The page code is tests/runtimes/ (scenario.js runs the same calls everywhere); a test fails on
// any console error or warning and on any uncaught page error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { cpSync, copyFileSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, normalize, extname, sep } from "node:path";
import { launchChromium, pack, installTarball, root } from "./helpers.mjs";

import * as vite from "vite";
import * as esbuild from "esbuild";

const TIMEOUT = 20_000; // per runtime, build included

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
  app = installTarball(tarball, { name: "browser-consumer", private: true, type: "module" });
  cpSync(join(root, "tests/runtimes"), app, { recursive: true });
  server = createServer(serveStatic);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  for (const dev of devServers) await dev.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (app) rmSync(app, { recursive: true, force: true });
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

// Why the README asks for the exclude: pre-bundling moves the JS into node_modules/.vite/deps
// but not the .wasm its `new URL(..., import.meta.url)` points at. If this starts passing, Vite
// fixed it and the README line can go.
test("Vite 7 dev server without the exclude: the wasm is not found (the README's setup line is needed)", { timeout: TIMEOUT }, async () => {
  const url = await startDevServer({}, ".vite-default");
  await assert.rejects(runPage(url), (e) => {
    assert.match(e.message, /Expected 'application\/wasm'/);
    assert.match(e.message, /expected magic word 00 61 73 6d/);
    return true;
  });
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
