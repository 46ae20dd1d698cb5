#!/usr/bin/env bash
# Builds the Rust example into $CARGO_TARGET_DIR/example-rust/pkg (default target/): cargo's
# release wasm (the workspace profile: opt-level "z", LTO), wasm-bindgen's `web` glue, then the
# npm binaryen wasm-opt. Cargo is a no-op when nothing changed, and the last two steps are
# skipped when their output is newer than cargo's: `make example-rust` and the test call this
# every time.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-$PWD/target}"
wasm="$target/wasm32-unknown-unknown/release/lago_wasm_example_rust.wasm"
out="$target/example-rust/pkg"

cargo build --quiet --release --target wasm32-unknown-unknown -p lago-wasm-example-rust
if [ "$out/lago_wasm_example_rust_bg.wasm" -nt "$wasm" ]; then exit 0; fi

rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" "$wasm"
# The features rustc emits for wasm32 today (as tools/build-pkg.sh); wasm-opt refuses the module
# without them.
wasm-opt -Oz --strip-debug --strip-producers \
  --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-multivalue --enable-mutable-globals \
  -o "$out/lago_wasm_example_rust_bg.wasm" "$out/lago_wasm_example_rust_bg.wasm"
