#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack's browser build, optimised by the npm binaryen
# wasm-opt, plus the entries, types and package.json from pkg-template/. Node (and Deno, Bun,
# server bundles) gets the same glue bundled into CommonJS by esbuild, with the wasm inlined
# (wasm-bindgen's own nodejs target cannot carry the JS snippet in src/js/runtime.js, and reads
# the wasm from disk, which bundlers cannot follow).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=target/wasm-pack/web
rm -rf "$out" pkg
wasm-pack --quiet build --release --no-pack --target web --out-dir "$out" --out-name lago_wasm \
  -- --no-default-features --features js,small-alloc
# The features rustc emits for wasm32 today; wasm-opt refuses the module without them. Rust's
# data starts at 1 KiB (wasm-ld's default global base) and the module's own memory starts
# zeroed, so the two memory assumptions hold (162 B gzip). The target-features section is for
# tools that link wasm, not for the engines that run it (102 B gzip).
wasm-opt -Oz --converge --low-memory-unused --zero-filled-memory --strip-debug --strip-producers \
  --strip-target-features \
  --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-multivalue --enable-mutable-globals \
  -o "$out/lago_wasm_bg.wasm" "$out/lago_wasm_bg.wasm"

# wasm-bindgen 0.2.130 imports the snippet module (src/js/runtime.js) once per imported function,
# as import1, import2, ... of the same file, and lists each under that one file name in the object
# it hands to WebAssembly.instantiate: the same key again and again, which esbuild reports as
# duplicate-object-key in every build that runs it (Vite, Next.js, this script). All those
# values are the same module namespace, so keeping the first line of each key changes nothing.
node -e '
  const fs = require("fs"); const f = process.argv[1];
  const src = fs.readFileSync(f, "utf8");
  const from = Object.fromEntries([...src.matchAll(/^import \* as (import\d+) from "([^"]+)"/gm)].map((m) => [m[1], m[2]]));
  const first = new Map();
  const dropped = new Set();
  const lines = src.split("\n").filter((l) => {
    const m = /^\s*"(\.\/[^"]+)": (import\d+),?$/.exec(l);
    if (!m) return true;
    if (!first.has(m[1])) return first.set(m[1], m[2]), true;
    if (from[first.get(m[1])] !== from[m[2]]) throw new Error(`two modules under one key: ${l}`);
    return dropped.add(m[2]), false;
  });
  // ... and the `import * as importN` lines nothing uses any more.
  const used = (name) => src.match(new RegExp(`\\b${name}\\b`, "g")).length > 2;
  const kept = lines.filter((l) => !/^import \* as (import\d+) /.test(l) || !dropped.has(l.split(" ")[3]) || used(l.split(" ")[3]));
  fs.writeFileSync(f, kept.join("\n"));
' "$out/lago_wasm.js"
# The public classes: one per group of the generated operations.js, and the Lago facade.
classes=$(node -e 'import("./pkg-template/operations.js").then((m) => console.log([...m.default.split("|").map((g) => g.split(" ")[0]), "Lago"].join(" ")))')
node tools/minify-wasm-names.mjs "$out/lago_wasm_bg.wasm" "$out/lago_wasm.js"
node tools/trim-glue.mjs "$out/lago_wasm.js"
# The browser entry instantiates the wasm itself (index.js says why) with the glue's own two
# steps; they are module-private in wasm-bindgen's output, so exported here (an esbuild error,
# failing this build, if a wasm-bindgen version renames them).
echo 'export { __wbg_get_imports, __wbg_finalize_init };' >> "$out/lago_wasm.js"

mkdir -p pkg/node
cp -r "$out/lago_wasm.js" "$out/lago_wasm_bg.wasm" "$out/snippets" pkg/
cp pkg-template/{index.js,edge-light.js,workerd.js,node.mjs,lago-error.js,loader.js,classes.js,operations.js,event-queue.js,event-batches.js,webhook.js,package.json,README.md} pkg/
cp pkg-template/node-entry.js pkg/node/entry.mjs
# Every public class is exported by every entry: the `// @classes` lines get the list (in
# operations.js's order, Lago last: index.js destructures it as an array).
bare=$(echo $classes | sed 's/ /, /g')
for f in pkg/index.js pkg/edge-light.js pkg/workerd.js pkg/node.mjs pkg/node/entry.mjs; do
  sed -i -e "/@classes/ s/{ CustomersApi/{ $bare/" -e "/@classes/ s/\[CustomersApi\]/[$bare]/" "$f"
done

# Minified without --keep-names: esbuild would wrap every function it renames (each
# wasm-bindgen import) and every closure a call makes, at a defineProperty per call (14% of a
# call's time in Node). The names users see are set by hand: the classes in loader.js,
# LagoError in lago-error.js. The sources stay commented in src/js/ and pkg-template/.
#
# Browsers get index.js as one module: the entry, loader, LagoError, the glue and its snippet
# in one file, so a first load requests it and then the wasm, not a waterfall of five modules
# (each import only discovered once its importer arrived). What loads on first use stays out:
# webhook.js (verifyWebhook) and event-batches.js (a LagoEventQueue's sends). esbuild leaves
# `new URL("./lago_wasm_bg.wasm", import.meta.url)` as is, so bundlers still find and copy the
# wasm. The other entries import the separate files.
esbuild pkg/index.js --bundle --minify --format=esm --log-level=warning --external:./webhook.js --external:./event-batches.js \
  --outfile=pkg/index.js --allow-overwrite
for f in pkg/lago_wasm.js pkg/lago-error.js pkg/loader.js pkg/classes.js pkg/operations.js pkg/event-queue.js pkg/event-batches.js pkg/webhook.js pkg/snippets/*/src/js/runtime.js; do
  esbuild "$f" --minify --format=esm --log-level=warning --outfile="$f" --allow-overwrite
done
# Bundled from inside pkg/node/ so the entry's relative imports resolve to the files above.
# Whitespace and syntax minified, names kept: Deno 2.9's CommonJS loader failed on a build of
# this bundle with minified names (`ReferenceError: Yg is not defined` from esbuild's own
# `__toCommonJS` helper, whose names it had given as `yg` and `Yg`), and a server bundle's
# bytes matter little.
# (import.meta only appears in the glue's default init path, which this entry never takes.)
printf 'export default "%s";\n' "$(base64 -w0 pkg/lago_wasm_bg.wasm)" > pkg/node/wasm-base64.js
esbuild pkg/node/entry.mjs --bundle --minify-whitespace --minify-syntax --platform=node --format=cjs --log-level=warning \
  --log-override:empty-import-meta=silent --outfile=pkg/node/index.cjs
rm pkg/node/entry.mjs pkg/node/wasm-base64.js
# The types: the generated models first, then the hand-checked class and options.
{ echo '// lago-wasm public types: models generated from Lago'"'"'s OpenAPI spec, client declared by hand.'
  cat src/js/types.d.ts src/js/client.d.ts src/js/api.d.ts src/js/webhook.d.ts; } > pkg/index.d.ts
cp pkg/index.d.ts pkg/node/index.d.cts
# node/index.cjs is CommonJS: tell Node so despite the package's "type": "module".
echo '{ "type": "commonjs" }' > pkg/node/package.json
