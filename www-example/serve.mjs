#!/usr/bin/env node
// The example app's server: `make example` (or `node www-example/serve.mjs [--port N]`).
//
// - builds and starts the fake Lago server (fake-lago/) as a child process;
// - serves the static app (www-example/) and the npm package (pkg/, under /lago-wasm/);
// - proxies /lago/api/v1/* to the fake Lago's /api/v1/*, ADDING the API key: this is the
//   "your own backend proxy" pattern, so the browser never holds a key.
//
// Prints exactly one URL line. Ctrl-C stops both servers; if this process dies anyway, the
// fake Lago sees EOF on its stdin (--exit-on-stdin-eof) and exits too.
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync, statSync } from "node:fs";
import http from "node:http";
import { homedir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { createInterface } from "node:readline";

const root = resolve(import.meta.dirname, "..");
const appDir = join(root, "www-example");
const pkgDir = join(root, "pkg");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, "target");
const API_KEY = "lago-demo-key"; // the fake Lago's key; it stays on this server
const env = { ...process.env, PATH: `${join(homedir(), ".cargo/bin")}:${process.env.PATH ?? ""}` };

function fail(message) {
  console.error(`serve.mjs: ${message}`);
  process.exit(1);
}

function requestedPort() {
  const args = process.argv.slice(2);
  let value = process.env.PORT ?? "8080";
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port") value = args[++i];
    else if (args[i].startsWith("--port=")) value = args[i].slice("--port=".length);
    else fail(`unknown argument ${args[i]} (usage: node www-example/serve.mjs [--port N])`);
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port ${JSON.stringify(value)}`);
  return port;
}

const port = requestedPort();
if (!existsSync(join(pkgDir, "index.js"))) fail("pkg/ is not built: run `make pkg` (or `make example`) first");

// 1. The fake Lago server: build (a no-op when up to date), start, read its URL. The debug
// build is the one the tests use too: the release profile is tuned (LTO) for the wasm's size,
// which makes an axum binary slow to build and buys a demo server nothing.
const build = spawnSync("cargo", ["build", "-p", "fake-lago", "--quiet"], { cwd: root, env, stdio: "inherit" });
if (build.error) fail(`could not run cargo: ${build.error.message}`);
if (build.status !== 0) fail("`cargo build -p fake-lago` failed");

const fake = spawn(join(targetDir, "debug/fake-lago"), ["--port", "0", "--exit-on-stdin-eof"], {
  cwd: root,
  env,
  stdio: ["pipe", "pipe", "inherit"], // stdin stays open: its EOF (our death) stops the child
});
let stopping = false;
fake.on("error", (err) => fail(`could not start fake-lago: ${err.message}`));
// Last resort on any exit path (failures included): never leave the child behind.
process.on("exit", () => {
  if (fake.exitCode === null && fake.signalCode === null) fake.kill("SIGKILL");
});
fake.on("exit", (code, signal) => {
  if (!stopping) fail(`fake-lago exited unexpectedly (${signal ?? `code ${code}`})`);
});

const fakeUrl = await new Promise((ok) => {
  const timer = setTimeout(() => fail("fake-lago did not print its URL within 30 s"), 30_000);
  const lines = createInterface({ input: fake.stdout });
  lines.on("line", (line) => {
    const match = /^fake-lago listening on (http:\/\/\S+?)\/?$/.exec(line.trim());
    if (match) {
      clearTimeout(timer);
      ok(new URL(match[1]));
    } else if (line.trim()) {
      console.error(`fake-lago: ${line}`);
    }
  });
});

// 2. Static files, the package and the proxy.
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};
const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
  "transfer-encoding", "upgrade", "host", "authorization", "cookie",
]);

function sendText(res, status, text, type = "text/plain; charset=utf-8") {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(text);
}

/** Serves `rel` (a decoded URL path) from `dir`, refusing anything outside it. */
function serveFile(res, dir, rel) {
  const file = normalize(join(dir, rel));
  if (file !== dir && !file.startsWith(dir + sep)) return sendText(res, 403, "Forbidden");
  let path = file;
  try {
    if (statSync(path).isDirectory()) path = join(path, "index.html");
    if (!statSync(path).isFile()) throw new Error("not a file");
  } catch {
    return sendText(res, 404, "Not found");
  }
  res.writeHead(200, {
    "content-type": TYPES[extname(path)] ?? "application/octet-stream",
    "cache-control": "no-cache",
  });
  createReadStream(path).pipe(res);
}

/** Forwards the request to the fake Lago at `upstreamPath`, with the API key added. */
function proxy(req, res, upstreamPath) {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers.authorization = `Bearer ${API_KEY}`;
  const upstream = http.request(
    { host: fakeUrl.hostname, port: fakeUrl.port, method: req.method, path: upstreamPath, headers },
    (answer) => {
      const out = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (!HOP_BY_HOP.has(name)) out[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
      // The upstream dropped the connection mid-body: drop ours too, as Lago would look.
      answer.on("error", () => res.destroy());
      answer.on("aborted", () => res.destroy());
    },
  );
  upstream.on("error", () => {
    if (res.headersSent) return res.destroy();
    sendText(res, 502, JSON.stringify({ status: 502, error: "Bad Gateway" }), "application/json");
  });
  // The browser gave up (timeout, abort, page closed): stop the upstream request as well.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  // Route on the raw path (no normalisation), refusing any "." or ".." segment outright.
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const pathname = q < 0 ? raw : raw.slice(0, q);
  const search = q < 0 ? "" : raw.slice(q);
  const dotSegment = pathname.split("/").some((s) => /^(\.|%2e){1,2}$/i.test(s));
  if (!pathname.startsWith("/") || dotSegment) return sendText(res, 400, "Bad request");
  if (pathname.startsWith("/lago/api/v1/")) {
    return proxy(req, res, `/api/v1/${pathname.slice("/lago/api/v1/".length)}${search}`);
  }
  if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "Method not allowed");
  if (pathname === "/example-config.json") {
    // Lets the settings panel show how to call the fake Lago directly, with a key.
    const direct = { lagoUrl: new URL("/api/v1", fakeUrl).href, demoKey: API_KEY };
    return sendText(res, 200, JSON.stringify(direct), TYPES[".json"]);
  }
  let rel;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return sendText(res, 400, "Bad request");
  }
  if (rel.startsWith("/lago-wasm/")) return serveFile(res, pkgDir, rel.slice("/lago-wasm/".length));
  if (rel === "/serve.mjs") return sendText(res, 404, "Not found");
  return serveFile(res, appDir, rel.slice(1));
});

function listen(p) {
  return new Promise((ok, ko) => {
    server.once("error", ko);
    server.listen(p, "127.0.0.1", () => {
      server.off("error", ko);
      ok(server.address().port);
    });
  });
}

let actualPort;
try {
  actualPort = await listen(port);
} catch (err) {
  if (err.code !== "EADDRINUSE" && err.code !== "EACCES") fail(`cannot listen on 127.0.0.1:${port}: ${err.message}`);
  console.error(`serve.mjs: port ${port} is ${err.code === "EADDRINUSE" ? "already in use" : "not allowed"}; using a free port instead (choose one with --port N or PORT=N).`);
  actualPort = await listen(0);
}
console.log(`lago-wasm example: http://127.0.0.1:${actualPort}/`);

// 3. Shutdown: Ctrl-C / SIGTERM stop both servers.
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections?.();
  if (fake.exitCode === null && fake.signalCode === null) {
    fake.stdin.end(); // --exit-on-stdin-eof
    fake.kill("SIGTERM");
    const force = setTimeout(() => fake.kill("SIGKILL"), 3000);
    force.unref();
    fake.once("exit", () => process.exit(code));
  } else {
    process.exit(code);
  }
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
process.on("SIGHUP", () => stop(0));
