#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack's browser build, optimised by the npm binaryen
# wasm-opt, plus the entries, types and package.json from pkg-template/. Node gets the same glue
# bundled into CommonJS by esbuild (wasm-bindgen's own nodejs target cannot carry the JS
# snippet in src/js/runtime.js).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=target/wasm-pack/web
rm -rf "$out" pkg
wasm-pack --quiet build --release --no-pack --target web --out-dir "$out" --out-name lago_wasm
# The features rustc emits for wasm32 today; wasm-opt refuses the module without them.
wasm-opt -Oz --strip-debug --strip-producers \
  --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-multivalue --enable-mutable-globals \
  -o "$out/lago_wasm_bg.wasm" "$out/lago_wasm_bg.wasm"

mkdir -p pkg/node
cp -r "$out/lago_wasm.js" "$out/lago_wasm_bg.wasm" "$out/snippets" pkg/
cp pkg-template/index.js pkg-template/node.mjs pkg-template/workerd.js pkg-template/lago-error.js \
  pkg-template/package.json pkg-template/README.md pkg/
# What browsers download, minified (names kept, so stack traces and LagoError still read well);
# the sources stay commented in src/js/ and pkg-template/.
for f in pkg/lago_wasm.js pkg/lago-error.js pkg/snippets/*/src/js/runtime.js; do
  esbuild "$f" --minify --keep-names --format=esm --log-level=warning \
    --log-override:duplicate-object-key=silent --outfile="$f" --allow-overwrite
done
# Bundled from inside pkg/node/ so the entry's relative imports resolve to the files above.
cp pkg-template/node-entry.js pkg/node/entry.mjs
# (import.meta only appears in the glue's default init path, which the entry never takes; the
# glue lists the snippet module twice under one key, to the same module, which is harmless.)
esbuild pkg/node/entry.mjs --bundle --platform=node --format=cjs --log-level=warning \
  --log-override:empty-import-meta=silent --log-override:duplicate-object-key=silent \
  --outfile=pkg/node/index.cjs
rm pkg/node/entry.mjs
# The types: the generated models first, then the hand-checked class and options.
{ echo '// lago-wasm public types: models generated from Lago'"'"'s OpenAPI spec, client declared by hand.'
  cat src/js/types.d.ts src/js/client.d.ts src/js/api.d.ts; } > pkg/index.d.ts
cp pkg/index.d.ts pkg/node/index.d.cts
# node/index.cjs is CommonJS: tell Node so despite the package's "type": "module".
echo '{ "type": "commonjs" }' > pkg/node/package.json
