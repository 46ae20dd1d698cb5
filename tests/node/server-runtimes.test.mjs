// Deno, Bun, Vitest (node, jsdom and happy-dom environments) and a Vite SSR build that bundles
// the package (ssr.noExternal) with the packed package, each from an app folder that installed
// the tarball, calling the fake Lago server over loopback.
// Deno and Bun are the npm packages' own binaries (repository dev dependencies).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as vite from "vite";
import { pack, root } from "./helpers.mjs";
import { API_KEY, startFakeLago } from "./servers.mjs";
import { prepareApp, bin } from "./ecosystem.mjs";

const run = promisify(execFile);
const TIMEOUT = 120_000;

let fake;
let serverApp;
let vitestApp;

before(async () => {
  fake = await startFakeLago();
  const { tarball } = pack();
  serverApp = prepareApp("server", "ecosystem/server", tarball);
  vitestApp = prepareApp("vitest", "ecosystem/vitest", tarball);
}, { timeout: 60_000 });

after(() => fake?.stop());

const expected = {
  created: true,
  found: "acme_corp",
  error: { isLagoError: true, isError: true, kind: "http", status: 404, code: "customer_not_found" },
  invalid: { isLagoError: true, kind: "invalid_input" },
  deleted: true,
  webhooks: [true, false, true, false],
};

function check(stdout) {
  const out = JSON.parse(stdout.trim().split("\n").at(-1));
  assert.ok(out.listed >= 30, `listed ${out.listed}`);
  delete out.listed;
  assert.deepEqual(out, expected);
}

test("Deno: import from node_modules, with --allow-net for the server only (no --allow-read, --allow-env or -A)", { timeout: TIMEOUT }, async () => {
  const host = new URL(fake.url).host;
  const { stdout, stderr } = await run(bin("deno"), ["run", `--allow-net=${host}`, "--no-prompt", "scenario.mjs", `${fake.url}/api/v1`, API_KEY],
    { cwd: serverApp, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } });
  assert.equal(stderr, "");
  check(stdout);
});

test("Bun: import from node_modules", { timeout: TIMEOUT }, async () => {
  const { stdout, stderr } = await run(bin("bun"), ["scenario.mjs", `${fake.url}/api/v1`, API_KEY], { cwd: serverApp });
  assert.equal(stderr, "");
  check(stdout);
});

test("Bun: require(\"lago-wasm\") gets the same classes", { timeout: TIMEOUT }, async () => {
  const { stdout } = await run(bin("bun"), ["-e",
    `const a = require("lago-wasm"); import("lago-wasm").then((b) => console.log(a.LagoError === b.LagoError, a.CustomersApi === b.CustomersApi, typeof a.CustomersApi))`],
  { cwd: serverApp });
  assert.equal(stdout.trim(), "true true function");
});

// One `vitest run` over tests/ecosystem/vitest/ (started in before()); a test here per file.
let vitestRun;
function vitest() {
  vitestRun ??= (async () => {
    const env = { ...process.env, LAGO_URL: `${fake.url}/api/v1`, LAGO_KEY: API_KEY, NO_COLOR: "1", CI: "1" };
    const args = [join(root, "node_modules/vitest/vitest.mjs"), "run", "--reporter=json", "--outputFile=report.json", "--reporter=default"];
    const result = await run(process.execPath, args, { cwd: vitestApp, env })
      .then((r) => ({ code: 0, ...r }), (e) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
    const report = JSON.parse(readFileSync(join(vitestApp, "report.json"), "utf8"));
    const outcomes = {};
    for (const file of report.testResults) {
      outcomes[file.name.replace(/.*\//, "")] = Object.fromEntries(file.assertionResults.map((t) => [t.title, t.status]));
    }
    return { ...result, log: `${result.stdout}${result.stderr}`, outcomes };
  })();
  return vitestRun;
}

test("Vitest, node environment: real calls, and a LagoError built by hand in a test", { timeout: TIMEOUT }, async () => {
  const { outcomes, log } = await vitest();
  assert.deepEqual(outcomes["node.test.js"], {
    "finds a customer and reports a 404 as a LagoError": "passed",
    "a LagoError built in a test behaves like one from the client": "passed",
  }, log);
});

for (const dom of ["jsdom", "happy-dom"]) {
  test(`Vitest, ${dom} environment: calls work, and no browser-key warning [needs the Rust side: warnOnBrowserKey and test-DOM detection]`, { timeout: TIMEOUT }, async () => {
    const { outcomes, log } = await vitest();
    assert.deepEqual([outcomes[`${dom}.option.test.js`], outcomes[`${dom}.default.test.js`]], [
      { "warnOnBrowserKey: false prints no warning, and calls work": "passed" },
      { "no warning by default in a test DOM": "passed" },
    ], log);
    assert.doesNotMatch(log, /apiKey in a browser page/);
  });
}

test("Vitest: the run exits 0 (no failed test, no unhandled error)", { timeout: TIMEOUT }, async () => {
  const { code, log } = await vitest();
  assert.equal(code, 0, log);
});

// Server bundles carry the package's Node entry inside them, far from node_modules: the wasm
// must come along (it is inlined), not be read from a path next to the original file.
test("Vite 7 SSR build with ssr.noExternal (the package bundled into the server output): runs in Node", { timeout: TIMEOUT }, async () => {
  const warnings = [];
  const logger = vite.createLogger("warn");
  await vite.build({
    root: serverApp, configFile: false, logLevel: "warn",
    customLogger: { ...logger, warn: (m) => warnings.push(m), warnOnce: (m) => warnings.push(m) },
    ssr: { noExternal: true },
    build: { ssr: "scenario.mjs", outDir: "dist-ssr", emptyOutDir: true },
  });
  assert.deepEqual(warnings, []);
  assert.deepEqual(readdirSync(join(serverApp, "dist-ssr")), ["scenario.js"], "one file: the wasm is inside it");
  // Run from elsewhere, so nothing can be found next to a node_modules folder.
  const elsewhere = mkdtempSync(join(tmpdir(), "lago-ssr-"));
  copyFileSync(join(serverApp, "dist-ssr/scenario.js"), join(elsewhere, "server.mjs"));
  try {
    const { stdout } = await run(process.execPath, [join(elsewhere, "server.mjs"), `${fake.url}/api/v1`, API_KEY], { cwd: elsewhere });
    check(stdout);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});
