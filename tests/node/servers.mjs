// Real servers for the end-to-end suites: the fake Lago binary and Prism, each on a free
// loopback port, stopped by the suite's after() and, failing that, when this process exits.
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSpec } from "../../tools/gen-from-spec.mjs";
import { root } from "./helpers.mjs";

export const API_KEY = "lago-demo-key";
export const SPEC = process.env.LAGO_OPENAPI || join(root, "../shared/lago-openapi/openapi.yaml");
export const specMissing = existsSync(SPEC) ? null : `Lago spec not found at ${SPEC} (set LAGO_OPENAPI)`;

const children = new Set();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

/** Waits until `child` prints a line matching `re`; resolves with the match. */
function waitFor(child, re, what, timeoutMs) {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const onData = (chunk) => {
      seen += chunk;
      const m = seen.match(re);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c) => (seen += c));
    child.on("exit", (code) => reject(new Error(`${what} exited with ${code}:\n${seen}`)));
  });
}

function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  return { child, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once("exit", r), child.kill("SIGTERM")))) };
}

/** Builds (when stale) and starts the fake Lago server (`args` such as `--rate-limit`); returns `{ url, stop }`. */
export async function startFakeLago(args = []) {
  execFileSync("cargo", ["build", "--quiet", "-p", "fake-lago"], { cwd: root, stdio: "inherit" });
  const bin = join(root, "target/debug/fake-lago");
  const { child, stop } = track(spawn(bin, ["--port", "0", "--exit-on-stdin-eof", ...args], { stdio: ["pipe", "pipe", "pipe"] }));
  const [, url] = await waitFor(child, /listening on (http:\/\/\S+)/, "fake-lago", 10_000);
  return { url, stop };
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Lago as it is: the official spec with the generator's REALITY.md overrides applied
 * (`SPEC_FIXES` in tools/gen-from-spec.mjs: the answers the server wraps, the bodies it reads
 * elsewhere), written as JSON to a temporary file (the spec is Lago's AGPL data: it never goes
 * into the repo). Prism checks the SDK against this, so a violation means the SDK or the fake
 * differs from Lago's server, not that the spec does.
 */
export function realitySpecFile() {
  const dir = mkdtempSync(join(tmpdir(), "lago-reality-spec-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(loadSpec(SPEC)));
  return file;
}

/**
 * Starts Prism (`mock` or `proxy <upstream>`) on `spec` (the official file by default); returns
 * `{ url, stop }`. With `errors` (the default) Prism answers a request or a response that
 * breaks the spec itself (422 or 500); without, a proxy forwards both as they are and reports
 * the violations only in the `sl-violations` header, so the client still gets the server's own
 * answer.
 */
export async function startPrism(mode, upstream, { errors = true, spec = SPEC } = {}) {
  const port = await freePort();
  const args = [mode, ...(errors ? ["--errors"] : []), "-h", "127.0.0.1", "-p", String(port), spec];
  if (upstream) args.push(upstream);
  const prism = join(root, "node_modules/.bin/prism");
  const { child, stop } = track(spawn(prism, args, { stdio: ["ignore", "pipe", "pipe"] }));
  await waitFor(child, /Prism is listening on (http:\/\/\S+)/, `prism ${mode}`, 60_000);
  return { url: `http://127.0.0.1:${port}`, stop };
}
