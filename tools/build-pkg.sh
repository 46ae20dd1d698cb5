#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack's web and nodejs builds, optimised by the npm
# binaryen wasm-opt, plus the entries, types and package.json from pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=target/wasm-pack
rm -rf "$out" pkg
for target in web nodejs; do
  wasm-pack --quiet build --release --no-pack --target "$target" --out-dir "$out/$target" --out-name lago_wasm
  # The features rustc emits for wasm32 today; wasm-opt refuses the module without them.
  wasm-opt -Oz --strip-debug --strip-producers \
    --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-multivalue --enable-mutable-globals \
    -o "$out/$target/lago_wasm_bg.wasm" "$out/$target/lago_wasm_bg.wasm"
done

mkdir -p pkg/node
cp "$out/web/lago_wasm.js" "$out/web/lago_wasm_bg.wasm" pkg/
# Both builds produce the same wasm; ship it once and point the Node glue at it.
cmp -s "$out/web/lago_wasm_bg.wasm" "$out/nodejs/lago_wasm_bg.wasm" \
  || { echo "build-pkg: the web and nodejs wasm differ; cannot share one file" >&2; exit 1; }
grep -q '`${__dirname}/lago_wasm_bg.wasm`' "$out/nodejs/lago_wasm.js" \
  || { echo "build-pkg: the nodejs glue no longer loads lago_wasm_bg.wasm as expected" >&2; exit 1; }
sed 's|`${__dirname}/lago_wasm_bg.wasm`|`${__dirname}/../lago_wasm_bg.wasm`|' "$out/nodejs/lago_wasm.js" > pkg/node/lago_wasm.js
cp pkg-template/index.js pkg-template/node.mjs pkg-template/lago-error.js pkg-template/package.json pkg-template/README.md pkg/
cp pkg-template/index.cjs pkg/node/index.cjs
# One source for LagoError; the CommonJS copy is derived from it.
{ sed 's/^export class/class/' pkg-template/lago-error.js; echo 'module.exports = { LagoError };'; } > pkg/node/lago-error.cjs
# The types: the generated models first, then the hand-checked class and options.
{ echo '// lago-wasm public types: models generated from Lago'"'"'s OpenAPI spec, client declared by hand.'
  cat src/js/types.d.ts src/js/api.d.ts; } > pkg/index.d.ts
cp pkg/index.d.ts pkg/node/index.d.cts
# The nodejs glue is CommonJS: tell Node so despite the package's "type": "module".
echo '{ "type": "commonjs" }' > pkg/node/package.json
