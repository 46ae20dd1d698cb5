// Cloudflare Workers: the packed package in workerd (the open-source Workers runtime, from the
// npm registry), imported through the "workerd" export condition's entry, calling the fake Lago
// server with the runtime's own fetch (which refuses `credentials`/`mode` in a RequestInit).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, pack, installTarball } from "./helpers.mjs";
import { API_KEY, freePort, startFakeLago } from "./servers.mjs";

let fake;
let workerd;
let url;

before(async () => {
  fake = await startFakeLago();
  const dir = installTarball(pack().tarball);
  const pkg = "node_modules/lago-wasm";
  const exportsMap = JSON.parse(readFileSync(join(dir, pkg, "package.json"), "utf8")).exports;
  const entry = `${pkg}/${exportsMap["."].workerd.default.replace(/^\.\//, "")}`;
  const snippets = readdirSync(join(dir, pkg, "snippets"), { recursive: true })
    .filter((f) => f.endsWith(".js"))
    .map((f) => `${pkg}/snippets/${f}`);
  writeFileSync(
    join(dir, "worker.js"),
    `import { CustomersApi, LagoError, LagoEventQueue, verifyWebhook } from "${entry}";
export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/events") {
      // The README's edge recipe: queue the request's events, answer at once, and let
      // ctx.waitUntil keep the Worker alive until they are delivered.
      const tag = new URL(request.url).searchParams.get("tag");
      const queue = new LagoEventQueue({ apiKey: env.LAGO_KEY, baseUrl: env.LAGO_URL, flushIntervalMs: 0, headers: { "x-test-id": tag } });
      for (let i = 0; i < 150; i++) queue.enqueue({ transaction_id: tag + "_" + i, external_subscription_id: "sub_acme_corp_1", code: "api_calls" });
      ctx.waitUntil(queue.flush());
      return Response.json({ queued: queue.size });
    }
    if (new URL(request.url).pathname === "/webhook") {
      // A Lago webhook delivered to the Worker: verified with the Workers WebCrypto.
      const keys = new URL(request.url).searchParams.has("nokey") ? {} : { publicKey: env.WEBHOOK_PUBLIC_KEY, hmacKey: env.WEBHOOK_HMAC_KEY, issuer: env.WEBHOOK_ISSUER };
      const rawBody = await request.text();
      try {
        const { valid, algorithm, uniqueKey, event } = await verifyWebhook({ headers: request.headers, rawBody, ...keys });
        return Response.json({ valid, algorithm, uniqueKey, type: event ? event.webhook_type : null });
      } catch (e) {
        return Response.json({ threw: { isLago: e instanceof LagoError, kind: e.kind, field: e.field } });
      }
    }
    const out = {};
    try {
      const api = new CustomersApi({ apiKey: env.LAGO_KEY, baseUrl: env.LAGO_URL });
      out.found = (await api.findCustomer("acme.corp/x").catch((e) => e.code));
      out.customer = (await api.findCustomer("acme_corp")).customer.external_id;
      let n = 0;
      for await (const _ of api.listAllCustomers({ per_page: 10 })) n++;
      out.listed = n;
      const e = await api.findCustomer("nobody").catch((e) => e);
      out.err = { isLago: e instanceof LagoError, isError: e instanceof Error, kind: e.kind, status: e.status, code: e.code };
      const t = await api.findCustomer("acme_corp", { timeoutMs: 50, maxRetries: 0, headers: { "x-fake-fault": "latency=2000" } }).catch((e) => e);
      out.timeout = t.kind;
    } catch (e) {
      out.crash = String((e && e.stack) || e);
    }
    return Response.json(out);
  },
};
`,
  );
  const keys = await (await fetch(`${fake.url}/admin/webhooks/keys`)).json();
  const port = await freePort();
  const modules = [
    `(name = "worker.js", esModule = embed "worker.js")`,
    ...[entry, `${pkg}/lago_wasm.js`, `${pkg}/lago-error.js`, `${pkg}/loader.js`, `${pkg}/classes.js`, `${pkg}/operations.js`, `${pkg}/event-queue.js`, `${pkg}/event-batches.js`, `${pkg}/webhook.js`, ...snippets].map((m) => `(name = "${m}", esModule = embed "${m}")`),
    `(name = "${pkg}/lago_wasm_bg.wasm", wasm = embed "${pkg}/lago_wasm_bg.wasm")`,
  ];
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker), (name = "net", network = (allow = ["public", "private", "local"]))],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  bindings = [(name = "LAGO_URL", text = "${fake.url}/api/v1"), (name = "LAGO_KEY", text = "${API_KEY}"),
    (name = "WEBHOOK_PUBLIC_KEY", text = ${JSON.stringify(keys.public_key)}), (name = "WEBHOOK_HMAC_KEY", text = "${keys.hmac_key}"),
    (name = "WEBHOOK_ISSUER", text = "${keys.issuer}")],
  globalOutbound = "net",
  compatibilityDate = "2025-01-01",
);
`,
  );
  workerd = spawn(join(root, "node_modules/.bin/workerd"), ["serve", "config.capnp"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  workerd.stdout.on("data", (c) => (log += c));
  workerd.stderr.on("data", (c) => (log += c));
  url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    const up = await fetch(url, { method: "HEAD" }).then(() => true, () => false);
    if (up) break;
    if (i > 100 || workerd.exitCode !== null) throw new Error(`workerd did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => {
  workerd?.kill("SIGKILL");
  await fake?.stop();
});

test("workerd: the package's workerd entry runs the client with the Workers fetch", async () => {
  const out = await (await fetch(url)).json();
  assert.equal(out.crash, undefined, out.crash);
  assert.equal(out.found, "customer_not_found", "an id with . and / stays one encoded segment");
  assert.equal(out.customer, "acme_corp");
  assert.ok(out.listed >= 30, `listed ${out.listed}`);
  assert.deepEqual(out.err, { isLago: true, isError: true, kind: "http", status: 404, code: "customer_not_found" });
  assert.equal(out.timeout, "timeout");
});

test("workerd: LagoEventQueue in the edge recipe, ctx.waitUntil(queue.flush()), delivers after the answer", async () => {
  const tag = `workerd_${process.pid}_${Date.now()}`;
  assert.deepEqual(await (await fetch(`${url}events?tag=${tag}`)).json(), { queued: 150 });
  // The fake logs a request when it arrives and its status once answered: wait for both.
  const done = (sent) => sent.length >= 2 && sent.every((r) => r.status != null);
  let sent = [];
  for (let i = 0; i < 100 && !done(sent); i++) {
    const log = await (await fetch(`${fake.url}/admin/requests`)).json();
    sent = log.filter((r) => r.headers["x-test-id"] === tag && r.path.endsWith("/events/batch"));
    if (!done(sent)) await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(sent.map((r) => [r.status, JSON.parse(r.body).events.length]), [[200, 100], [200, 50]]);
});

test("workerd: verifyWebhook checks webhooks the fake signed, delivered to the Worker", async () => {
  for (const algorithm of ["jwt", "hmac"]) {
    const signed = await (await fetch(`${fake.url}/admin/webhooks/sign?algorithm=${algorithm}`, { method: "POST" })).json();
    const deliver = (body, headers = signed.headers, query = "") =>
      fetch(`${url}webhook${query}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body }).then((r) => r.json());
    assert.deepEqual(await deliver(signed.body), { valid: true, algorithm, uniqueKey: signed.headers["X-Lago-Unique-Key"], type: "customer.created" });
    assert.equal((await deliver(signed.body.replace("acme", "acmf"))).valid, false, "body changed");
    assert.equal((await deliver(signed.body, { ...signed.headers, "X-Lago-Signature": "garbage" })).valid, false, "signature changed");
    assert.equal((await deliver(signed.body, { ...signed.headers, "X-Lago-Signature-Algorithm": "rsa" })).valid, false, "unknown algorithm");
    assert.deepEqual(await deliver(signed.body, signed.headers, "?nokey"), {
      threw: { isLago: true, kind: "invalid_input", field: algorithm === "jwt" ? "publicKey" : "hmacKey" },
    });
  }
});
