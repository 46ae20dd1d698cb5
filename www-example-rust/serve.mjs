#!/usr/bin/env node
// The Rust example's server: `make example-rust` (or, once built by build.sh,
// `node www-example-rust/serve.mjs [--port N]`). The approach of www-example/serve.mjs, smaller:
// - builds and starts the fake Lago server (fake-lago/) as a child process;
// - serves index.html, the built example (/pkg/) and the JS example's stylesheet (/style.css);
// - proxies /lago/api/v1/* to the fake Lago's /api/v1/*, ADDING the API key: the "your own
//   backend proxy" pattern, so the page holds no key.
// Prints exactly one URL line. Ctrl-C / SIGTERM stop both servers; if this process dies anyway,
// the fake Lago sees EOF on its stdin (--exit-on-stdin-eof) and exits too.
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import http from "node:http";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const root = resolve(import.meta.dirname, "..");
const target = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, "target");
const pkgDir = join(target, "example-rust/pkg");
const API_KEY = "lago-demo-key"; // the fake Lago's key; it stays on this server
const env = { ...process.env, PATH: `${join(homedir(), ".cargo/bin")}:${process.env.PATH ?? ""}` };

function fail(message) {
  console.error(`serve.mjs: ${message}`);
  process.exit(1);
}

const portArg = process.argv.slice(2).join("=").match(/^--port=(\d+)$/);
if (process.argv.length > 2 && !portArg) fail("usage: node www-example-rust/serve.mjs [--port N]");
const port = Number(portArg?.[1] ?? process.env.PORT ?? 8081);
if (!existsSync(join(pkgDir, "lago_wasm_example_rust.js"))) {
  fail(`${pkgDir} is not built: run \`make example-rust\` (or www-example-rust/build.sh) first`);
}

// 1. The fake Lago: its debug build (the one the tests use), started on a free port.
const build = spawnSync("cargo", ["build", "-p", "fake-lago", "--quiet"], { cwd: root, env, stdio: "inherit" });
if (build.status !== 0) fail("`cargo build -p fake-lago` failed");
const fake = spawn(join(target, "debug/fake-lago"), ["--port", "0", "--exit-on-stdin-eof"], {
  cwd: root,
  env,
  stdio: ["pipe", "pipe", "inherit"], // stdin stays open: its EOF (our death) stops the child
});
let stopping = false;
fake.on("error", (err) => fail(`could not start fake-lago: ${err.message}`));
fake.on("exit", (code, signal) => stopping || fail(`fake-lago exited (${signal ?? `code ${code}`})`));
process.on("exit", () => fake.exitCode === null && fake.signalCode === null && fake.kill("SIGKILL"));
const fakeUrl = await new Promise((ok) => {
  const timer = setTimeout(() => fail("fake-lago did not print its URL within 30 s"), 30_000);
  createInterface({ input: fake.stdout }).on("line", (line) => {
    const match = /^fake-lago listening on (http:\/\/\S+?)\/?$/.exec(line.trim());
    if (match) clearTimeout(timer), ok(new URL(match[1]));
  });
});

// 2. A fixed set of files (no path from the URL ever reaches the file system), and the proxy.
const FILES = {
  "/": [join(root, "www-example-rust/index.html"), "text/html; charset=utf-8"],
  "/style.css": [join(root, "www-example/style.css"), "text/css; charset=utf-8"],
  "/pkg/lago_wasm_example_rust.js": [join(pkgDir, "lago_wasm_example_rust.js"), "text/javascript"],
  "/pkg/lago_wasm_example_rust_bg.wasm": [join(pkgDir, "lago_wasm_example_rust_bg.wasm"), "application/wasm"],
};
const PASSED = ["accept", "content-type", "content-length", "x-fake-fault"]; // request headers
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding"];

function proxy(req, res, path) {
  const headers = { authorization: `Bearer ${API_KEY}` };
  for (const name of PASSED) if (req.headers[name]) headers[name] = req.headers[name];
  const upstream = http.request(
    { host: fakeUrl.hostname, port: fakeUrl.port, method: req.method, path, headers },
    (answer) => {
      const out = { ...answer.headers };
      for (const name of HOP_BY_HOP) delete out[name]; // this connection's, not the fake's
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
      answer.on("error", () => res.destroy()); // dropped upstream: drop ours too
    },
  );
  upstream.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
  res.on("close", () => res.writableFinished || upstream.destroy()); // the page gave up
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  const url = req.url ?? "/";
  const path = url.split("?")[0];
  if (path.startsWith("/lago/api/v1/") && !path.split("/").some((s) => /^(\.|%2e){1,2}$/i.test(s))) {
    return proxy(req, res, `/api/v1/${url.slice("/lago/api/v1/".length)}`);
  }
  const [file, type] = FILES[path] ?? [];
  if (!file || !existsSync(file) || (req.method !== "GET" && req.method !== "HEAD")) {
    return res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
  }
  res.writeHead(200, { "content-type": type, "cache-control": "no-cache" });
  createReadStream(file).pipe(res);
});

const actualPort = await new Promise((ok) => {
  server.once("error", (err) => {
    if (err.code !== "EADDRINUSE") fail(`cannot listen on 127.0.0.1:${port}: ${err.message}`);
    console.error(`serve.mjs: port ${port} is in use; using a free port (choose one with --port N)`);
    server.listen(0, "127.0.0.1", () => ok(server.address().port));
  });
  server.listen(port, "127.0.0.1", () => ok(server.address().port));
});
console.log(`lago-wasm Rust example: http://127.0.0.1:${actualPort}/`);

// 3. Shutdown: both servers.
function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  fake.stdin.end(); // --exit-on-stdin-eof
  fake.kill("SIGTERM");
  setTimeout(() => fake.kill("SIGKILL"), 3000).unref();
  fake.once("exit", () => process.exit(0));
  if (fake.exitCode !== null || fake.signalCode !== null) process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);
