// Takes out of wasm-bindgen's glue (`node tools/trim-glue.mjs <glue.js>`, rewritten in place)
// what no runtime the package supports runs, so that the browser bundle does not ship it. Each
// edit names the exact text it removes and the build stops when that text is not there (a new
// wasm-bindgen version): the glue is never edited by guess.
import { readFileSync, writeFileSync } from "node:fs";

const [gluePath] = process.argv.slice(2);
let glue = readFileSync(gluePath, "utf8");
const cut = (why, pattern, count = 1) => {
  const found = glue.match(new RegExp(pattern.source, "g"))?.length ?? 0;
  if (found !== count) throw new Error(`trim-glue: expected ${count} of ${why}, found ${found} in ${gluePath}`);
  glue = glue.replace(new RegExp(pattern.source, "g"), "");
};

// `using` on the glue's classes: they are internal (Core, Calls, PageSource; no entry exports
// them), and the SDK frees them itself.
cut("Symbol.dispose aliases", /\nif \(Symbol\.dispose\) \w+\.prototype\[Symbol\.dispose\] = \w+\.prototype\.free;/, 3);
// TextEncoder.encodeInto is in every runtime the package supports (browsers since 2020, Node 12).
cut("the encodeInto polyfill", /\nif \(!\('encodeInto' in cachedTextEncoder\)\) \{\n(?: {4}.*\n)+\}/);
// passStringToWasm0's path without `realloc`: every call passes the wasm's realloc.
if (/passStringToWasm0\([^,()]+, [\w.]+\)/.test(glue)) throw new Error("trim-glue: a passStringToWasm0 call without realloc");
cut("passStringToWasm0's branch without realloc", /\n {4}if \(realloc === undefined\) \{\n(?: {8}.*\n)+ {4}\}\n/);
// `Calls`, the way back into parked calls (src/js/platform.rs), is made once and lives as long
// as the module: runtime.js gets its two methods as a plain object over the same pointer, with
// no class, `__wrap`, `free` or FinalizationRegistry behind it.
const calls = /\nexport class Calls \{\n[\s\S]*?\n {4}drop\(id\) \{\n {8}wasm\.(\w+)\(this\.__wbg_ptr, id\);\n {4}\}\n[\s\S]*?\n {8}const ret = wasm\.(\w+)\(this\.__wbg_ptr, id, [\s\S]*?\n\}\n/;
const [, drop, step] = glue.match(calls) ?? [];
if (!step) throw new Error(`trim-glue: no Calls class as expected in ${gluePath}`);
glue = glue.replace(calls, "");
cut("the Calls registry", /\nconst CallsFinalization = [^;]*;/);
const wrap = "setCalls(Calls.__wrap(arg0));";
if (glue.split(wrap).length !== 2 || /\bCalls\b/.test(glue.replace(wrap, ""))) throw new Error(`trim-glue: Calls used elsewhere in ${gluePath}`);
glue = glue.replace(wrap, `setCalls({ drop: (id) => wasm.${drop}(arg0, id), step: (...a) => wasm.${step}(arg0, ...a) });`);

writeFileSync(gluePath, glue);
