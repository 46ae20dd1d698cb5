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
// FinalizationRegistry is in every runtime the package supports (browsers since 2021, Node 14.6,
// Deno, Bun, workerd): the no-op stand-in for older ones goes, one per class.
const registries = /\(typeof FinalizationRegistry === 'undefined'\)\n {4}\? \{ register: \(\) => \{\}, unregister: \(\) => \{\} \}\n {4}: /;
if (glue.match(new RegExp(registries.source, "g"))?.length !== 3) throw new Error(`trim-glue: expected 3 FinalizationRegistry fallbacks in ${gluePath}`);
glue = glue.replace(new RegExp(registries.source, "g"), "");
writeFileSync(gluePath, glue);
