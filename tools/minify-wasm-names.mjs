// Shortens the wasm's import and export names to one or two letters (binaryen's
// --minify-imports-and-exports-and-modules) and rewrites wasm-bindgen's glue to match.
// The names are long (a 16-digit hash on every import, the class name on every export), sit
// in both files, and compress badly: about 1.1 KB of the gzipped wasm.
//
// `node tools/minify-wasm-names.mjs <wasm> <glue.js>`: both files are rewritten in place.
// Every name the glue uses is renamed, or the build stops: a glue that asked the wasm for an
// old name would fail on its first call, not at build time.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, gluePath] = process.argv.slice(2);
const FEATURES = ["--enable-reference-types", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
  "--enable-sign-ext", "--enable-multivalue", "--enable-mutable-globals"];
const mapping = execFileSync("wasm-opt", ["--minify-imports-and-exports-and-modules", ...FEATURES, wasmPath, "-o", wasmPath], { encoding: "utf8" });
const { imports, exports } = JSON.parse(mapping);
const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module));
if (modules.size !== 1) throw new Error(`minify-wasm-names: expected one import module, got ${[...modules]}`);
const [module] = modules;

let glue = readFileSync(gluePath, "utf8");
const fail = (what) => {
  throw new Error(`minify-wasm-names: ${what} in ${gluePath}`);
};

// Exports: the glue calls them as `wasm.name` only.
for (const [old, name] of exports) glue = glue.replace(new RegExp(`\\bwasm\\.${old}\\b`, "g"), () => `wasm.${name}`);
for (const [old] of exports) if (new RegExp(`\\bwasm\\.${old}\\b`).test(glue)) fail(`wasm.${old} left`);

// Imports: the glue's own are keys of `import0` (one per line); a snippet's are the exports of
// its module namespace (`import * as importN from "./snippets/..."`), added to import0 by name.
// import0 then is the one module the minified wasm imports.
const namespaces = Object.fromEntries([...glue.matchAll(/^import \* as (import\d+) from "([^"]+)"/gm)].map((m) => [m[2], m[1]]));
const added = [];
for (const [from, old, name] of imports) {
  if (namespaces[from]) {
    added.push(`        ${name}: ${namespaces[from]}.${old},`);
    continue;
  }
  const key = new RegExp(`^(\\s+)${old}:`, "m");
  if (!key.test(glue)) fail(`import ${old} not found`);
  glue = glue.replace(key, (_, space) => `${space}${name}:`);
}
const returned = /\n    return \{\n        __proto__: null,\n(?:        "[^"]+": import\d+,\n)+    \};\n\}/;
if (!returned.test(glue)) fail("the imports object of __wbg_get_imports not found");
glue = glue.replace(returned, () => `\n${added.join("\n")}\n    return { __proto__: null, ${JSON.stringify(module)}: import0 };\n}`);
// The added lines belong inside import0: move its closing `};` below them.
glue = glue.replace(/\n    \};\n((?:        [\w$]+: import\d+\.\w+,\n)+)    return \{ __proto__: null,/, (_, lines) => `\n${lines}    };\n    return { __proto__: null,`);
writeFileSync(gluePath, glue);
