// Memory over many calls, in a child `node --expose-gc bench/soak.mjs` (run.mjs spawns it):
// 100,000 in-memory findCustomer calls on one CustomersApi from the Node entry (pkg/node.mjs),
// with a full GC and a sample after 10,000 calls (past warm-up: caches and pools are filled) and
// after 100,000. Prints one JSON line. A measure, never an assertion (the load test in
// tests/node/load.test.mjs is the one that fails on a leak).
//
// The package does not export its wasm memory from pkg/node.mjs. So, before the import, the
// WebAssembly.Instance constructor (initSync's path) and WebAssembly.instantiate are wrapped to
// keep every instance made: the memory read here is the one the calls run in.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fixtureTexts, CUSTOMER_ID } from "./fixtures.mjs";
import { memoryFetch, API_KEY } from "./suite.mjs";

if (typeof gc !== "function") throw new Error("run with node --expose-gc");
const root = join(import.meta.dirname, "..");
const CALLS = Number(process.env.SOAK_CALLS ?? 100_000);
const FIRST = Number(process.env.SOAK_FIRST ?? 10_000);

const instances = [];
const keep = (instance) => (instances.push(instance), instance);
WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
  construct: (target, args, newTarget) => keep(Reflect.construct(target, args, newTarget)),
});
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (...args) => {
  const out = await instantiate(...args);
  keep(out instanceof WebAssembly.Instance ? out : out.instance);
  return out;
};

// Only the instances the import makes (Node's own undici instantiates its llhttp wasm too).
const { CustomersApi } = await import(pathToFileURL(join(root, "pkg/node.mjs")).href);
const ours = instances.slice();
const memories = ours.flatMap((i) => Object.values(i.exports).filter((x) => x instanceof WebAssembly.Memory));
const wasmBytes = () => (memories.length ? memories.reduce((s, m) => s + m.buffer.byteLength, 0) : null);

const api = new CustomersApi({ apiKey: API_KEY, baseUrl: "http://lago.invalid/api/v1", fetch: memoryFetch(fixtureTexts()) });
// A real app's event loop turns between calls (network I/O); this loop would only ever run
// microtasks, and FinalizationRegistry callbacks run as tasks. So yield every 1,000 calls.
const turn = () => new Promise((r) => setImmediate(r));
const sample = async (calls) => {
  await turn();
  gc();
  gc();
  const m = process.memoryUsage();
  return { calls, heapUsed: m.heapUsed, rss: m.rss, external: m.external, wasm: wasmBytes() };
};
const samples = [];
const t0 = performance.now();
for (let done = 0; done < CALLS; ) {
  const body = await api.findCustomer(CUSTOMER_ID);
  if (body.customer.external_id !== CUSTOMER_ID) throw new Error("soak: wrong customer");
  done++;
  if (done % 1000 === 0) await turn();
  if (done === FIRST || done === CALLS) samples.push(await sample(done));
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ calls: CALLS, ms, instances: ours.length, memories: memories.length, samples }));
