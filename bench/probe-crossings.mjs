// Counts what one successful call makes cross the JS <-> wasm boundary, on a copy of the wasm
// that keeps its names (wasm-bindgen --keep-debug on target/wasm32-unknown-unknown/release),
// with counters patched into that copy's glue. Nothing in pkg/ is touched.
// `node bench/probe-crossings.mjs` prints one JSON object (run.mjs includes it in results.json).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fixtureTexts } from "./fixtures.mjs";

const root = join(import.meta.dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "lago-probe-"));
try {
  const bindgen = join(process.env.HOME ?? "/root", ".cargo/bin/wasm-bindgen");
  execFileSync(bindgen, ["--keep-debug", "--target", "web", "--out-dir", tmp,
    join(root, "target/wasm32-unknown-unknown/release/lago_wasm.wasm")]);
  let glue = readFileSync(join(tmp, "lago_wasm.js"), "utf8");
  const count = (fn, label) => {
    const head = `function ${fn}(`;
    const at = glue.indexOf(head);
    if (at < 0) return;
    const body = glue.indexOf("{", at) + 1;
    glue = `${glue.slice(0, body)}\n    __count(${JSON.stringify(label)});${glue.slice(body)}`;
  };
  count("getStringFromWasm0", "strings wasm->JS (UTF-8 decoded)");
  count("passStringToWasm0", "strings JS->wasm (UTF-8 encoded)");
  count("makeMutClosure", "Rust closures handed to JS (FinalizationRegistry)");
  glue = glue.replace(/\n {8}(__wbg_[A-Za-z0-9_]+): function\(([^)]*)\) \{/g, (m, name) => `${m} __count("imports"); __count("import ${name.replace(/_[0-9a-f]{16}$/, "")}");`);
  glue = `const __counts = (globalThis.__counts = {});\nconst __count = (k) => { __counts[k] = (__counts[k] || 0) + 1; };\n${glue}`;
  writeFileSync(join(tmp, "lago_wasm.js"), glue);

  const g = await import(pathToFileURL(join(tmp, "lago_wasm.js")).href);
  g.initSync({ module: readFileSync(join(tmp, "lago_wasm_bg.wasm")) });
  // createCustomer sends the bench's realistic body (name, email, currency, address, billing
  // configuration, metadata): its crossings grow with the input the wasm reads and writes.
  const createBody = JSON.parse(fixtureTexts().createBody);
  const headers = { get: () => null };
  const fetchOf = (text) => () => Promise.resolve({ status: 200, ok: true, headers, text: () => Promise.resolve(text) });
  // The package's classes over this counting copy of the glue (as classes.js makes them).
  const { apiClasses } = await import(pathToFileURL(join(root, "pkg/classes.js")).href);
  const { CustomersApi } = apiClasses(g, { done: true });
  const api = (text) => new CustomersApi({ apiKey: "lago-demo-key", baseUrl: "http://lago.invalid/api/v1", fetch: fetchOf(text) });
  const calls = {
    findCustomer: ((a) => () => a.findCustomer("bench_cust_007"))(api('{"customer":{}}')),
    findAllCustomers: ((a) => () => a.findAllCustomers({ page: 1, per_page: 100 }))(api('{"customers":[],"meta":{}}')),
    findCustomerCurrentUsage: ((a) => () => a.findCustomerCurrentUsage("bench_cust_007", "bench_sub_1", {}))(api('{"customer_usage":{}}')),
    findAllCustomerInvoices: ((a) => () => a.findAllCustomerInvoices("bench_cust_007", { page: 1, per_page: 20 }))(api('{"invoices":[],"meta":{}}')),
    createCustomer: ((a) => () => a.createCustomer(createBody))(api('{"customer":{}}')),
  };
  const out = {};
  for (const [op, call] of Object.entries(calls)) {
    await call();
    for (const k of Object.keys(globalThis.__counts)) delete globalThis.__counts[k];
    const N = 50;
    for (let i = 0; i < N; i++) await call();
    out[op] = Object.fromEntries(
      Object.entries(globalThis.__counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / N]),
    );
  }
  console.log(JSON.stringify(out));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
