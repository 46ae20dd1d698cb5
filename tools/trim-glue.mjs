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
// The one `pattern` replaced by `text`, checked like a cut.
const swap = (why, pattern, text) => {
  const found = glue.match(new RegExp(pattern.source, "g"))?.length ?? 0;
  if (found !== 1) throw new Error(`trim-glue: expected 1 of ${why}, found ${found} in ${gluePath}`);
  glue = glue.replace(pattern, () => text);
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

// `JsValue::as_string`'s intrinsic writes its `Option<String>` (pointer, length) where the wasm
// asks, through a cached `DataView` with its own detached-buffer checks, used for nothing else.
// Written instead byte by byte, little-endian as wasm memory is on every host, through the
// `Uint8Array` the glue keeps anyway (its string copies). The pointer is into Rust's shadow
// stack, in the module's first MiB: no `>>> 0` needed. Pointer 0 is `None`.
const asString = /\n {8}(\w+): function\(arg0, arg1\) \{\n {12}const obj = arg1;\n {12}const ret = typeof\(obj\) === 'string' \? obj : undefined;\n {12}var ptr1 = isLikeNone\(ret\) \? 0 : passStringToWasm0\(ret, (wasm\.\w+), (wasm\.\w+)\);\n {12}var len1 = WASM_VECTOR_LEN;\n {12}getDataViewMemory0\(\)\.setInt32\(\(arg0 >>> 0\) \+ 4 \* 1, len1, true\);\n {12}getDataViewMemory0\(\)\.setInt32\(\(arg0 >>> 0\) \+ 4 \* 0, ptr1, true\);\n {8}\},/;
const [, asStringName, malloc, realloc] = glue.match(asString) ?? [];
if (!asStringName) throw new Error(`trim-glue: no as_string intrinsic as expected in ${gluePath}`);
glue = glue.replace(
  asString,
  `\n        ${asStringName}: function(arg0, arg1) {
            const ptr = typeof arg1 === 'string' ? passStringToWasm0(arg1, ${malloc}, ${realloc}) : 0;
            const mem = getUint8ArrayMemory0();
            for (let i = 0; i < 4; i++) {
                mem[arg0 + i] = ptr >> 8 * i;
                mem[arg0 + 4 + i] = WASM_VECTOR_LEN >> 8 * i;
            }
        },`,
);
cut("the DataView cache", /\nlet cachedDataViewMemory0 = null;\nfunction getDataViewMemory0\(\) \{\n(?: {4}.*\n)+\}\n/);
cut("the DataView cache's reset", /\n {4}cachedDataViewMemory0 = null;/);
cut("isLikeNone", /\nfunction isLikeNone\(x\) \{\n {4}return x === undefined \|\| x === null;\n\}\n/);
// The instance and module the glue keeps and never reads.
cut("the kept instance", /\n {4}wasmInstance = instance;/);
cut("the kept module", /\n {4}wasmModule = module;/);
swap("their declaration", /\nlet wasmModule, wasmInstance, wasm;/, "\nlet wasm;");
if (/\b(getDataViewMemory0|cachedDataViewMemory0|isLikeNone|wasmInstance|wasmModule)\b/.test(glue)) {
  throw new Error(`trim-glue: the DataView cache, isLikeNone or the kept instance still used in ${gluePath}`);
}

// The imports the glue writes itself, as arrows rather than `function` expressions: the wasm
// calls each as a plain function (no `this`, `arguments` or `new` in any of them), and an
// arrow minifies to a few characters less each (`e=>e===null`).
const imports = glue.match(/\n {8}\w+: function\(/g)?.length ?? 0;
if (imports < 10) throw new Error(`trim-glue: only ${imports} imports written as functions in ${gluePath}`);
const importsObject = glue.slice(glue.indexOf("function __wbg_get_imports() {"), glue.indexOf("\n    return { __proto__: null,"));
if (/\bthis\b|\barguments\b/.test(importsObject)) throw new Error(`trim-glue: an import uses this or arguments in ${gluePath}`);
glue = glue.replace(/(\n {8}\w+: )function(\([^)]*\)) \{/g, "$1$2 => {");
// The string cast is getStringFromWasm0 itself, not a function calling it; `isObject` reads its
// argument without a copy.
swap(
  "the string cast's wrapper",
  /(?<=\n {8}\w+: )\(arg0, arg1\) => \{\n {12}\/\/ Cast intrinsic for `Ref\(String\) -> Externref`\.\n {12}const ret = getStringFromWasm0\(arg0, arg1\);\n {12}return ret;\n {8}\}/,
  "getStringFromWasm0",
);
swap(
  "isObject's copy",
  /\n {12}const val = arg0;\n {12}const ret = typeof\(val\) === 'object' && val !== null;/,
  "\n            const ret = typeof(arg0) === 'object' && arg0 !== null;",
);

writeFileSync(gluePath, glue);
