// Shared by the ecosystem suites (Next.js, bundlers, Deno, Bun, Vitest): an app folder made
// from a fixture in tests/ecosystem/ with the packed tarball installed, long-running dev
// servers started and stopped by the suite, and a page opened in headless Chromium.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { root } from "./helpers.mjs";

/**
 * `target/ecosystem/<name>`: the fixture (a folder under tests/) copied, then the tarball installed with npm as a user
 * would. Inside the repository on purpose: the tools themselves (next, react, vitest...) are
 * the repository's dev dependencies, found by Node's lookup up the folders, not installed again.
 */
export function prepareApp(name, fixture, tarball) {
  const dir = join(root, "target/ecosystem", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (fixture) cpSync(join(root, "tests", fixture), dir, { recursive: true });
  if (!existsSync(join(dir, "package.json"))) {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true, type: "module" }));
  }
  // No lockfile: Next.js takes the nearest one as its root, which must be the repository's.
  execFileSync("npm", ["install", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir });
  return dir;
}

export const bin = (name) => join(root, "node_modules/.bin", name);

/** The JS and wasm files a build wrote under `dir`: bytes as written and gzipped. */
export function distBytes(dir) {
  const out = { js: 0, jsGzip: 0, wasm: 0, wasmGzip: 0 };
  for (const f of readdirSync(dir, { recursive: true })) {
    const kind = /\.m?js$/.test(f) ? "js" : f.endsWith(".wasm") ? "wasm" : null;
    if (!kind || !statSync(join(dir, f)).isFile()) continue;
    const bytes = readFileSync(join(dir, f));
    out[kind] += bytes.length;
    out[`${kind}Gzip`] += gzipSync(bytes, { level: 9 }).length;
  }
  return out;
}

/** One line for the closing table: `label: JS n B (gzip n), wasm n B (gzip n)`. */
export function logBytes(label, b) {
  console.log(`${label} ships JS ${b.js} B (gzip ${b.jsGzip}), wasm ${b.wasm} B (gzip ${b.wasmGzip})`);
}

const children = new Set();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

/**
 * Starts a long-running command; resolves when its output matches `ready` (with the match), and
 * rejects with its output when it exits first or takes longer than `timeoutMs`.
 */
export function startServer(command, args, { cwd, env, ready, timeoutMs = 120_000 }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.add(child);
  let log = "";
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", resolve);
      try {
        process.kill(-child.pid, "SIGTERM"); // the whole group: next dev forks workers
      } catch {
        resolve();
      }
    });
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(" ")}: not ready in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk) => {
      log += chunk;
      const m = log.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      children.delete(child);
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${log}`));
    });
  });
  return { started, stop, log: () => log };
}

/**
 * Opens `url` in a fresh Chromium context and waits for `#out[data-done]`; returns the parsed
 * `#out`, the console problems (errors and warnings), uncaught errors, and what was fetched.
 */
export async function openPage(browser, url, { timeoutMs = 60_000 } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const responses = [];
  page.on("console", (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    const where = m.location()?.url;
    // A 404 the scenario asks for (findCustomer("nobody")) is Chromium's console error too.
    if (/Failed to load resource: .* 404/.test(m.text()) && /\/customers\/nobody$/.test(where ?? "")) return;
    problems.push(`console.${m.type()}: ${m.text()}${where ? ` (${where})` : ""}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.stack || e.message}`));
  const reading = []; // every response is recorded at once; its body is read before returning
  page.on("response", (r) => {
    const entry = { url: r.url(), status: r.status(), type: r.headers()["content-type"] ?? "",
      auth: r.request().headers().authorization, bytes: 0, sdk: false, inlinedWasm: false };
    responses.push(entry);
    reading.push(r.body().then((body) => {
      const wasm = entry.url.endsWith(".wasm");
      entry.bytes = body.length;
      // A JS chunk that carries the SDK's glue (loader.js's symbol description survives every
      // minifier; the wasm's export names are minified by the package build).
      entry.sdk = !wasm && body.includes("lago-wasm: core");
      // base64 of "\0asm": a wasm inlined into JS (the Node entry's), which no browser should get.
      entry.inlinedWasm = !wasm && body.includes("AGFzbQ");
    }, () => {}));
  });
  try {
    await page.goto(url);
    await page.waitForSelector("#out[data-done]", { state: "attached", timeout: timeoutMs });
    const out = JSON.parse(await page.textContent("#out"));
    await Promise.all(reading);
    return { out, problems, responses };
  } catch (e) {
    throw new Error(`${url}: ${e.message}\n${problems.join("\n")}`);
  } finally {
    await context.close();
  }
}

/** The bytes of JS and wasm a page received (decoded bodies), and of the JS chunks with the SDK in them. */
export function shipped(responses) {
  const sum = (f) => responses.filter(f).reduce((n, r) => n + r.bytes, 0);
  return {
    wasm: sum((r) => r.url.endsWith(".wasm")),
    js: sum((r) => /javascript/.test(r.type) || /\.m?js(\?|$)/.test(new URL(r.url).pathname)),
    sdkChunks: sum((r) => r.sdk),
  };
}
