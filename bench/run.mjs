// `make bench`: lago-wasm next to what a user would pick instead (the official
// lago-javascript-client, and bare fetch + res.json() as the floor), in Node and headless
// Chromium, in one run. Prints one table and writes every number to target/bench/results.json.
//
// Per call: findAllCustomers (100 customers), findCustomerCurrentUsage (200 charges in memory;
// over loopback the fake server's 450 smaller charges, about the same body size) and
// findCustomer, each on the same in-memory fetch and over loopback. Start-up: first import in a
// fresh page / process, instantiate cold (bytes) and warm (compiled module). Bytes: wasm raw and
// gzip -9, JS glue gzip -9, the official client's minified bundle, and `twiggy top`.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { fixtureTexts, customerInput, PAGE_SIZE, CHARGES, CUSTOMER_ID, SUBSCRIPTION_ID } from "./fixtures.mjs";
import { runEnvironment, API_KEY } from "./suite.mjs";

const root = join(import.meta.dirname, "..");
const outDir = join(root, "target/bench");
const CARGO_BIN = join(process.env.HOME ?? "/root", ".cargo/bin");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 40);
const COLD_SAMPLES = Number(process.env.BENCH_COLD_SAMPLES ?? 5);
const opts = { rounds: ROUNDS, roundMs: ROUND_MS, warmRounds: 1 };
const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--no-first-run", "--disable-quic",
];
// Loopback current usage: the fake server's admin route gives this seeded subscription N
// generated charges. Its charges carry no filters or groups (~0.44 KiB each against the
// fixture's ~1 KiB), so it takes 450 of them for a body the size of the 200-charge fixture.
const USAGE_CUSTOMER = "acme_corp";
const USAGE_SUBSCRIPTION = "sub_acme_corp_1";
const LOOPBACK_CHARGES = 450;
const TARGETS = { vsFloor: 1.1, vsOfficial: 1.0, wasmGzipKiB: 60, wasmGzipAimKiB: 30, glueGzipKiB: 8, warmInstantiateMs: 5 };

const started = Date.now();
const log = (m) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
mkdirSync(outDir, { recursive: true });
for (const f of ["pkg/index.js", "pkg/lago_wasm.js", "pkg/lago_wasm_bg.wasm", "pkg/node.mjs"]) {
  if (!existsSync(join(root, f))) throw new Error(`${f} missing: run \`make pkg\` (make bench does)`);
}

// ---------------------------------------------------------------------------------------- bytes
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const wasmBytes = readFileSync(join(root, "pkg/lago_wasm_bg.wasm"));
// Every JS file a browser loads: the entry, wasm-bindgen's glue, LagoError and the glue's
// snippets (src/js/runtime.js, under a hashed folder).
const snippetDir = join(root, "pkg/snippets");
const snippets = readdirSync(snippetDir, { recursive: true })
  .filter((f) => f.endsWith(".js"))
  .map((f) => join("snippets", f));
const GLUE = ["index.js", "loader.js", "lago_wasm.js", "lago-error.js", ...snippets];
const glue = Object.fromEntries(GLUE.map((f) => {
  const b = readFileSync(join(root, "pkg", f));
  return [f, { raw: b.length, gzip: gz(b) }];
}));
const sizes = {
  wasm: { raw: wasmBytes.length, gzip: gz(wasmBytes) },
  glue: { files: glue, raw: GLUE.reduce((s, f) => s + glue[f].raw, 0), gzip: GLUE.reduce((s, f) => s + glue[f].gzip, 0) },
};

// The official client as a browser would ship it: esbuild, minified, only `Client` imported.
const esbuild = await import(join(root, "node_modules/esbuild/lib/main.js"));
const officialBundle = join(outDir, "official.js");
await esbuild.build({
  stdin: { contents: 'export { Client } from "lago-javascript-client";', resolveDir: root, loader: "js" },
  bundle: true, format: "esm", minify: true, platform: "browser", target: "es2022",
  outfile: officialBundle, logLevel: "error",
});
const officialBuf = readFileSync(officialBundle);
sizes.official = { raw: officialBuf.length, gzip: gz(officialBuf), what: "esbuild --bundle --minify of `export { Client } from \"lago-javascript-client\"`" };
log(`sizes: wasm ${sizes.wasm.raw} B (gzip ${sizes.wasm.gzip}), glue gzip ${sizes.glue.gzip}, official gzip ${sizes.official.gzip}`);

// twiggy on the un-stripped wasm, names kept by wasm-bindgen --keep-debug; and the same after
// the wasm-opt -Oz that build-pkg.sh applies (names kept with -g), closer to what ships.
function twiggyTop(file) {
  const text = execFileSync(join(CARGO_BIN, "twiggy"), ["top", "-n", "15", file], { encoding: "utf8" });
  const json = JSON.parse(execFileSync(join(CARGO_BIN, "twiggy"), ["top", "-n", "15", "--format", "json", file], { encoding: "utf8" }));
  return { text: text.trimEnd(), items: json };
}
const twiggy = {};
{
  const tmp = mkdtempSync(join(tmpdir(), "lago-twiggy-"));
  try {
    const unstripped = join(root, "target/wasm32-unknown-unknown/release/lago_wasm.wasm");
    execFileSync(join(CARGO_BIN, "wasm-bindgen"), ["--keep-debug", "--target", "web", "--out-dir", tmp, unstripped]);
    const named = join(tmp, "lago_wasm_bg.wasm");
    twiggy.keepDebug = { file: unstripped, size: readFileSync(named).length, ...twiggyTop(named) };
    const opt = join(tmp, "opt.wasm");
    execFileSync(join(root, "node_modules/.bin/wasm-opt"), ["-Oz", "-g", "--strip-producers",
      "--enable-reference-types", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
      "--enable-sign-ext", "--enable-multivalue", "--enable-mutable-globals", "-o", opt, named]);
    twiggy.optimized = { size: readFileSync(opt).length, ...twiggyTop(opt) };
  } catch (e) {
    twiggy.error = String(e.message ?? e);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
log("twiggy done");

// What one call makes cross the JS <-> wasm boundary (bench/probe-crossings.mjs, own process).
let crossings = null;
try {
  crossings = JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname, "probe-crossings.mjs")], { cwd: root, encoding: "utf8" }));
} catch (e) {
  crossings = { error: String(e.message ?? e).split("\n")[0] };
}

// -------------------------------------------------------------------------------------- servers
// Every loopback call goes to the fake Lago server (tests/node/servers.mjs builds and starts it).
const { startFakeLago } = await import(join(root, "tests/node/servers.mjs"));
log("starting the fake Lago server (cargo build -p fake-lago first)");
const fake = await startFakeLago();
const auth = { authorization: `Bearer ${API_KEY}`, accept: "application/json" };
const fakeBase = `${fake.url}/api/v1`;
// Upsert the bench customers until a page of 100 exists (the seed has a few more).
for (let i = 0; i < PAGE_SIZE; i++) {
  const res = await fetch(`${fakeBase}/customers`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ customer: customerInput(i) }),
  });
  if (res.status !== 200) throw new Error(`upsert bench customer ${i}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}
{
  const url = `${fake.url}/admin/customers/${USAGE_CUSTOMER}/subscriptions/${USAGE_SUBSCRIPTION}/charges?count=${LOOPBACK_CHARGES}`;
  const res = await fetch(url, { method: "POST" });
  if (res.status !== 200) throw new Error(`generate ${LOOPBACK_CHARGES} charges: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}
const loopback = {
  baseUrl: fakeBase,
  ids: { customer: CUSTOMER_ID, subscription: SUBSCRIPTION_ID, usageCustomer: USAGE_CUSTOMER, usageSubscription: USAGE_SUBSCRIPTION },
};
const texts = fixtureTexts();
const bodies = { memory: {}, loopback: {} };
{
  const get = async (url) => (await fetch(url, { headers: auth })).text();
  const page = await get(`${fakeBase}/customers?page=1&per_page=100`);
  const count = JSON.parse(page).customers?.length;
  if (count !== PAGE_SIZE) throw new Error(`the loopback page holds ${count} customers, not ${PAGE_SIZE}`);
  const usage = await get(`${fakeBase}/customers/${USAGE_CUSTOMER}/current_usage?external_subscription_id=${USAGE_SUBSCRIPTION}`);
  bodies.loopback = {
    findAllCustomers: Buffer.byteLength(page),
    findCustomer: Buffer.byteLength(await get(`${fakeBase}/customers/${CUSTOMER_ID}`)),
    findCustomerCurrentUsage: Buffer.byteLength(usage),
  };
  bodies.memory = {
    findAllCustomers: Buffer.byteLength(texts.page),
    findCustomer: Buffer.byteLength(texts.one),
    findCustomerCurrentUsage: Buffer.byteLength(texts.usage),
  };
  if (JSON.parse(usage).customer_usage.charges_usage.length !== LOOPBACK_CHARGES) throw new Error("loopback usage: wrong charge count");
  if (JSON.parse(texts.usage).customer_usage.charges_usage.length !== CHARGES) throw new Error("usage fixture");
}
log(`loopback: ${fakeBase}`);

// ------------------------------------------------------------------------------------ Node
function nodeChild(mode) {
  const out = execFileSync(process.execPath, [join(import.meta.dirname, "instantiate-node.mjs"), mode], { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop());
}
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const startup = { node: {}, chromium: {} };
{
  const w = [], o = [], cold = [], warm = [];
  for (let i = 0; i < COLD_SAMPLES; i++) {
    w.push(nodeChild("import-wasm").ms);
    o.push(nodeChild("import-official").ms);
    const b = nodeChild("bytes");
    cold.push(b.coldMs);
    warm.push(b.warmMs);
  }
  startup.node = { importWasm: w, importOfficial: o, instantiateCold: cold, instantiateWarm: warm };
}
log("node start-up done");
const { CustomersApi: NodeApi } = await import(join(root, "pkg/node.mjs"));
const { Client: NodeClient } = await import("lago-javascript-client");
const nodeRun = await runEnvironment({ CustomersApi: NodeApi, Client: NodeClient, texts, loopback, opts });
log("node calls done");

// -------------------------------------------------------------------------------- Chromium
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
const MOUNTS = { "/pkg/": join(root, "pkg"), "/bench/": import.meta.dirname };
const staticServer = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  // Cross-origin isolated, so performance.now() is not coarsened to 100 µs.
  const headers = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp", "cache-control": "no-store" };
  let file = null;
  if (path === "/favicon.ico") return res.writeHead(204, headers).end();
  if (path === "/page.html") {
    res.writeHead(200, { ...headers, "content-type": "text/html" });
    return res.end("<!doctype html><meta charset=utf-8><title>lago-wasm bench</title><p>bench</p>");
  }
  if (path === "/official.js") file = officialBundle;
  for (const [prefix, dir] of Object.entries(MOUNTS)) {
    if (path.startsWith(prefix)) {
      const f = normalize(join(dir, path.slice(prefix.length)));
      if (f.startsWith(dir + sep)) file = f;
    }
  }
  if (!file || !existsSync(file)) return res.writeHead(404, headers).end();
  res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((r) => staticServer.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${staticServer.address().port}`;
const { chromium } = await import(join(root, "node_modules/playwright-core/index.mjs"));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
const chromiumVersion = browser.version();
const pageErrors = [];
async function freshPage(fn, arg) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  try {
    await page.goto(`${origin}/page.html`);
    return await page.evaluate(fn, arg);
  } finally {
    await context.close();
  }
}
{
  const firstImport = async (url) => {
    const t0 = performance.now();
    await import(url);
    const ms = performance.now() - t0;
    // Resource Timing queues a fetch()'s entry in a later task: let it land before reading.
    await new Promise((r) => setTimeout(r, 50));
    // The request waterfall behind the import, relative to its start (Resource Timing).
    const resources = performance.getEntriesByType("resource").map((e) => ({
      name: new URL(e.name).pathname, start: e.startTime - t0, end: e.responseEnd - t0, bytes: e.encodedBodySize,
    }));
    return { ms, isolated: globalThis.crossOriginIsolated, resources };
  };
  const bytesThenWarm = async () => {
    const bytes = await (await fetch("/pkg/lago_wasm_bg.wasm")).arrayBuffer();
    const glue = await import("/pkg/lago_wasm.js");
    const t0 = performance.now();
    await glue.default({ module_or_path: bytes });
    const coldMs = performance.now() - t0;
    const module = await WebAssembly.compile(bytes);
    const warm = [];
    for (let i = 0; i < 20; i++) {
      const g = await import(`/pkg/lago_wasm.js?warm=${i}`);
      const t = performance.now();
      g.initSync({ module });
      warm.push(performance.now() - t);
    }
    warm.sort((a, b) => a - b);
    return { coldMs, warmMs: warm[10], warmAll: warm };
  };
  const w = [], o = [], cold = [], warm = [], waterfall = [];
  let isolated = true;
  for (let i = 0; i < COLD_SAMPLES; i++) {
    const a = await freshPage(firstImport, "/pkg/index.js");
    isolated &&= a.isolated;
    w.push(a.ms);
    waterfall.push(a.resources);
    o.push((await freshPage(firstImport, "/official.js")).ms);
    const b = await freshPage(bytesThenWarm);
    cold.push(b.coldMs);
    warm.push(b.warmMs);
  }
  startup.chromium = { importWasm: w, importOfficial: o, instantiateCold: cold, instantiateWarm: warm, crossOriginIsolated: isolated, importWasmWaterfall: waterfall };
}
log("chromium start-up done");
const chromiumRun = await freshPage(
  async ({ loopback, opts }) => {
    const { CustomersApi } = await import("/pkg/index.js");
    const { Client } = await import("/official.js");
    const { runEnvironment } = await import("/bench/suite.mjs");
    const { fixtureTexts } = await import("/bench/fixtures.mjs");
    return runEnvironment({ CustomersApi, Client, texts: fixtureTexts(), loopback, opts });
  },
  { loopback, opts },
);
log("chromium calls done");
await browser.close();
staticServer.close();
await fake.stop();

// ------------------------------------------------------------------------------------ report
writeFileSync(join(outDir, "raw.json"), JSON.stringify({ nodeRun, chromiumRun, startup, sizes, bodies }, null, 1));
const OPS = ["findAllCustomers", "findCustomerCurrentUsage", "findCustomer"];
function summarize(run) {
  const out = {};
  for (const transport of ["memory", "loopback"]) {
    for (const op of OPS) {
      const { n, us, bodyChars } = run[transport][op];
      const ratios = (a, b) => us[a].map((x, i) => x / us[b][i]);
      const pair = (a, b) => median(ratios(a, b));
      const iqr = (a, b) => [quantile(ratios(a, b), 0.25), quantile(ratios(a, b), 0.75)];
      out[`${transport}/${op}`] = {
        transport, op, callsPerRound: n, rounds: us.wasm.length, bodyChars,
        medianUs: { floor: median(us.floor), official: median(us.official), wasm: median(us.wasm) },
        ratio: { wasmToFloor: pair("wasm", "floor"), wasmToOfficial: pair("wasm", "official"), officialToFloor: pair("official", "floor") },
        ratioIqr: { wasmToFloor: iqr("wasm", "floor"), wasmToOfficial: iqr("wasm", "official") },
        ratioOfMedians: { wasmToFloor: median(us.wasm) / median(us.floor), wasmToOfficial: median(us.wasm) / median(us.official) },
        roundsUs: us,
      };
    }
  }
  return out;
}
const calls = { node: summarize(nodeRun), chromium: summarize(chromiumRun) };
const pieces = { node: nodeRun.pieces, chromium: chromiumRun.pieces };
const verdict = (ok) => (ok ? "PASS" : "MISS");
const lines = [];
const p = (s = "") => lines.push(s);
const f1 = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pad = (s, n) => String(s).padStart(n);
const padR = (s, n) => String(s).padEnd(n);
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;

p(`lago-wasm benchmark: ${new Date().toISOString()}, node ${process.version}, Chromium ${chromiumVersion}, ${cpus().length} cores (shared)`);
p(`per call: median of ${ROUNDS} interleaved rounds (1 warm-up round first), N sequential awaited calls per round; ratios = median of the per-round pairs`);
p();
p(`${padR("PER CALL (µs per call, median)", 43)} ${pad("body", 9)} ${pad("floor", 7)} ${pad("official", 9)} ${pad("lago-wasm", 9)} ${pad("wasm/floor [p25-p75]", 21)} ${pad("wasm/official [p25-p75]", 24)}  target <=1.10x floor and <=1.00x official`);
const targets = [];
for (const env of ["node", "chromium"]) {
  for (const transport of ["memory", "loopback"]) {
    for (const op of OPS) {
      const r = calls[env][`${transport}/${op}`];
      const body = bodies[transport][op];
      const okFloor = r.ratio.wasmToFloor <= TARGETS.vsFloor;
      const okOff = r.ratio.wasmToOfficial <= TARGETS.vsOfficial;
      // "~": the middle half of the per-round ratios straddles the threshold (within this run's noise).
      const near = (iqr, t) => (iqr[0] <= t && iqr[1] > t ? "~" : "");
      const v = okFloor && okOff ? "PASS" : `MISS (${[!okFloor && `floor${near(r.ratioIqr.wasmToFloor, TARGETS.vsFloor)}`, !okOff && `official${near(r.ratioIqr.wasmToOfficial, TARGETS.vsOfficial)}`].filter(Boolean).join(", ")})`;
      const band = (x, iqr) => `${x.toFixed(2)}x [${iqr[0].toFixed(2)}-${iqr[1].toFixed(2)}]`;
      targets.push({ what: `per call ${env} ${transport} ${op}`, pass: okFloor && okOff });
      p(`${padR(env, 8)} ${padR(transport, 8)} ${padR(op, 25)} ${pad(kib(body), 9)} ${pad(f1(r.medianUs.floor), 7)} ${pad(f1(r.medianUs.official), 9)} ${pad(f1(r.medianUs.wasm), 9)} ${pad(band(r.ratio.wasmToFloor, r.ratioIqr.wasmToFloor), 21)} ${pad(band(r.ratio.wasmToOfficial, r.ratioIqr.wasmToOfficial), 24)}  ${v}`);
    }
  }
}
p("  ~ = the per-round ratios' middle half straddles the threshold: a miss within this run's noise");
p(`  loopback: fake-lago (debug build, ${fake.url}) serves every call; its findCustomerCurrentUsage has ${LOOPBACK_CHARGES} generated charges`);
p(`    (POST /admin/.../charges?count=${LOOPBACK_CHARGES}): its charges are smaller (no filters or groups), so it takes ${LOOPBACK_CHARGES} for the in-memory ${CHARGES}'s body size`);
p();
const piecesLine = (env) => {
  const raw = pieces[env];
  const x = Object.fromEntries(["parse", "responseText"].map((k) => [k, Object.fromEntries(Object.entries(raw[k]).map(([b, us]) => [b, median(us)]))]));
  const fc = raw.fixedCost;
  p(`${padR(env, 8)} JSON.parse alone: page ${f1(x.parse.page)}, usage ${f1(x.parse.usage)}, customer ${f1(x.parse.one)} | new Response(text).text(): page ${f1(x.responseText.page)}, usage ${f1(x.responseText.usage)}, customer ${f1(x.responseText.one)}`);
  p(`${padR("", 8)} fixed cost per call (tiny body, fetch resolves at once): floor ${f1(median(fc.floor))}, official ${f1(median(fc.official))}, lago-wasm ${f1(median(fc.wasm))}, lago-wasm with timeoutMs:0 ${f1(median(fc["wasm timeoutMs:0"]))}, JS AbortController+30s timer+text+parse ${f1(median(fc["JS: AbortController+timer+text+parse"]))}`);
  const pg = raw.pager;
  const [walk, plain] = [median(pg.us.listAllCustomers) / pg.items, median(pg.us["async function*"]) / pg.items];
  const ratio = walk / plain;
  p(`${padR("", 8)} listAllCustomers per item (${pg.items} items, 2 pages): ${f1(walk)}, plain JS async function* over findAllCustomers ${f1(plain)} -> ${ratio.toFixed(2)}x  target <=1.20x  ${ratio <= 1.2 ? "PASS" : "MISS"}`);
};
p("PIECES (µs per call, in memory)");
piecesLine("node");
piecesLine("chromium");
if (crossings && !crossings.error) {
  const c = (op) => crossings[op];
  p(`boundary per successful lago-wasm call (bench/probe-crossings.mjs): ${OPS.map((op) => `${op} ${c(op).imports} wasm->JS imports, ${c(op)["strings wasm->JS (UTF-8 decoded)"] ?? 0} strings decoded, ${c(op)["Rust closures handed to JS (FinalizationRegistry)"] ?? 0} closures`).join("; ")}`);
}
p();
const med = (xs) => median(xs);
const su = startup;
const warmChromium = med(su.chromium.instantiateWarm);
targets.push({ what: "instantiate warm chromium", pass: warmChromium < TARGETS.warmInstantiateMs });
p(`START-UP (ms, median of ${COLD_SAMPLES} fresh pages / processes)          lago-wasm   official  target`);
p(`chromium first import (fresh page: fetch+compile+instantiate) ${pad(med(su.chromium.importWasm).toFixed(2), 10)} ${pad(med(su.chromium.importOfficial).toFixed(2), 10)}`);
{
  // Median over samples of when each file of the import finished loading (ms after import()).
  const files = ["/pkg/index.js", "/pkg/loader.js", "/pkg/lago_wasm.js", "/pkg/lago-error.js", "/pkg/lago_wasm_bg.wasm"];
  const at = (f, k) => med(su.chromium.importWasmWaterfall.map((rs) => rs.find((r) => r.name === f)?.[k] ?? NaN));
  p(`         of which requests (start->end, ms): ${files.map((f) => `${f.slice(5)} ${at(f, "start").toFixed(1)}->${at(f, "end").toFixed(1)}`).join(", ")}`);
}
p(`chromium instantiate cold (first WebAssembly.instantiate of bytes) ${pad(med(su.chromium.instantiateCold).toFixed(2), 5)}`);
p(`chromium instantiate warm (compiled module, fresh glue, initSync) ${pad(warmChromium.toFixed(3), 6)}             < ${TARGETS.warmInstantiateMs} ms  ${verdict(warmChromium < TARGETS.warmInstantiateMs)}`);
p(`node     first import (fresh process, sync compile+instantiate) ${pad(med(su.node.importWasm).toFixed(2), 9)} ${pad(med(su.node.importOfficial).toFixed(2), 10)}`);
p(`node     instantiate cold (first WebAssembly.instantiate of bytes) ${pad(med(su.node.instantiateCold).toFixed(2), 6)}`);
p(`node     instantiate warm (compiled module, fresh glue, initSync) ${pad(med(su.node.instantiateWarm).toFixed(3), 7)}`);
p();
const wasmKiB = sizes.wasm.gzip / 1024;
const glueKiB = sizes.glue.gzip / 1024;
targets.push({ what: "wasm gzip", pass: wasmKiB <= TARGETS.wasmGzipKiB }, { what: "glue gzip", pass: glueKiB <= TARGETS.glueGzipKiB });
p("BYTES (gzip -9)");
p(`wasm  pkg/lago_wasm_bg.wasm        raw ${pad(sizes.wasm.raw, 7)} B  gzip ${pad(sizes.wasm.gzip, 6)} B (${kib(sizes.wasm.gzip)})  <= ${TARGETS.wasmGzipKiB} KiB (aim ${TARGETS.wasmGzipAimKiB}): ${verdict(wasmKiB <= TARGETS.wasmGzipKiB)}${wasmKiB > TARGETS.wasmGzipAimKiB ? " (above the aim)" : ""}`);
p(`glue  ${padR(GLUE.join("+"), 28)}\n      ${padR("", 28)} raw ${pad(sizes.glue.raw, 7)} B  gzip ${pad(sizes.glue.gzip, 6)} B (${kib(sizes.glue.gzip)})  <= ${TARGETS.glueGzipKiB} KiB: ${verdict(glueKiB <= TARGETS.glueGzipKiB)}   [${GLUE.map((g) => `${g} ${glue[g].gzip}`).join(", ")}]`);
p(`total lago-wasm shipped: gzip ${sizes.wasm.gzip + sizes.glue.gzip} B (${kib(sizes.wasm.gzip + sizes.glue.gzip)})  vs official client (esbuild --minify, Client only): raw ${sizes.official.raw} B, gzip ${sizes.official.gzip} B (${kib(sizes.official.gzip)})`);
p();
if (twiggy.keepDebug) {
  p(`TWIGGY TOP 15: un-stripped release wasm after wasm-bindgen --keep-debug (${twiggy.keepDebug.size} B; before wasm-opt)`);
  p(twiggy.keepDebug.text);
  p();
  p(`TWIGGY TOP 15: the same after build-pkg.sh's wasm-opt -Oz, names kept with -g (${twiggy.optimized.size} B incl. names; shipped ${sizes.wasm.raw} B)`);
  p(twiggy.optimized.text);
} else {
  p(`TWIGGY: failed: ${twiggy.error}`);
}
p();
const missed = targets.filter((t) => !t.pass);
p(`TARGETS: ${targets.length - missed.length}/${targets.length} PASS${missed.length ? `; MISS: ${missed.map((t) => t.what).join("; ")}` : ""}`);
if (pageErrors.length) p(`page errors: ${pageErrors.join(" | ")}`);
const table = lines.join("\n");
console.log(table);

const results = {
  date: new Date().toISOString(),
  environment: { node: process.version, chromium: chromiumVersion, cores: cpus().length, rounds: ROUNDS, roundMs: ROUND_MS, coldSamples: COLD_SAMPLES },
  targets: TARGETS,
  verdicts: targets,
  loopback: { fake: fake.url, usage: { customer: USAGE_CUSTOMER, subscription: USAGE_SUBSCRIPTION, charges: LOOPBACK_CHARGES }, memoryCharges: CHARGES },
  bodies,
  calls,
  pieces,
  crossings,
  startup,
  sizes,
  twiggy,
  pageErrors,
  table,
};
writeFileSync(join(outDir, "results.json"), JSON.stringify(results, null, 2));
writeFileSync(join(outDir, "table.txt"), table + "\n");
log(`wrote ${join(outDir, "results.json")} and table.txt in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(0);
