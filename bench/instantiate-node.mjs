// Start-up in a fresh Node process (run.mjs spawns one per sample). Prints one JSON line.
//   import-wasm      time of the first `import` of lago-wasm (pkg/node.mjs: reads, compiles and
//                    instantiates the wasm synchronously)
//   import-official  time of the first `import` of lago-javascript-client
//   bytes GLUE WASM  cold: first WebAssembly.instantiate of the wasm bytes (through the web glue's
//                    init, which adds wasm-bindgen's start); warm: the already-compiled module
//                    instantiated again by a fresh copy of the glue (initSync), median of 20.
//                    GLUE, WASM: absolute paths (run.mjs finds the module that exports
//                    initSync, since the package's file layout may change)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");
const mode = process.argv[2];
const out = {};
if (mode === "import-wasm") {
  const t0 = performance.now();
  const m = await import(pathToFileURL(join(root, "pkg/node.mjs")).href);
  out.ms = performance.now() - t0;
  if (typeof m.CustomersApi !== "function") throw new Error("no CustomersApi");
} else if (mode === "import-official") {
  const t0 = performance.now();
  const m = await import("lago-javascript-client");
  out.ms = performance.now() - t0;
  if (typeof m.Client !== "function") throw new Error("no Client");
} else if (mode === "bytes") {
  const bytes = readFileSync(process.argv[4]);
  const glue = pathToFileURL(process.argv[3]).href;
  const first = await import(glue);
  const t0 = performance.now();
  await first.default({ module_or_path: bytes });
  out.coldMs = performance.now() - t0;
  // The glue keeps no handle on its module: compile the same bytes (V8 reuses its compiled code).
  const module = await WebAssembly.compile(bytes);
  const warm = [];
  for (let i = 0; i < 20; i++) {
    const g = await import(`${glue}?warm=${i}`);
    const t = performance.now();
    g.initSync({ module });
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  out.warmMs = warm[10];
  out.warmAll = warm;
} else {
  throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify(out));
