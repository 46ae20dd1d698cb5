#!/usr/bin/env bash
# Runs the wasm-bindgen-test suites in headless Chromium, then headless Firefox, with one fake
# Lago server for both (tests/browser_http.rs calls it over real HTTP; its URL is baked in at
# compile time through FAKE_LAGO_URL, so one server for both browsers means one compile).
set -euo pipefail
cd "$(dirname "$0")/.."
browsers=${*:-chromium firefox}

cargo build --quiet -p fake-lago
# A coprocess: its stdin is our pipe, so it exits (--exit-on-stdin-eof) whenever this script
# ends, however it ends.
coproc FAKE { exec target/debug/fake-lago --port 0 --exit-on-stdin-eof; }
trap 'kill "$FAKE_PID" 2>/dev/null || true' EXIT
read -r -t 10 line <&"${FAKE[0]}"
export FAKE_LAGO_URL=${line##* }
echo "browser-tests: fake Lago at $FAKE_LAGO_URL"

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
suites=(--test browser --test browser_http)
for browser in $browsers; do
  echo "browser-tests: $browser"
  case $browser in
    chromium) CHROMEDRIVER=/usr/bin/chromedriver cargo test -p lago-wasm --target wasm32-unknown-unknown "${suites[@]}" ;;
    firefox) GECKODRIVER=$HOME/.cargo/bin/geckodriver cargo test -p lago-wasm --target wasm32-unknown-unknown "${suites[@]}" ;;
    *) echo "unknown browser $browser" >&2; exit 2 ;;
  esac
done
