#!/usr/bin/env bash
# Runs the wasm-bindgen-test suites in headless Chromium, then headless Firefox, against fake
# Lago servers shared by both browsers (the suites call them over real HTTP; their URLs are baked
# in at compile time, so one set of servers for both browsers means one compile):
# - FAKE_LAGO_URL: the plain server (tests/browser_http.rs, tests/rust_face_*.rs);
# - FAKE_LAGO_RL_URL: one started with `--rate-limit=5,10` (tests/rust_face_failures.rs);
# - FAKE_LAGO_CLOSED_URL: where a server listened and no longer does (a closed port).
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

# More servers the same way (bash keeps one coprocess at a time, so a process substitution
# holds each one's stdin): start_fake VAR ARGS... sets VAR to its URL and FAKE_FD/FAKE_PROC to
# the write end of its stdin and its pid.
start_fake() {
  local name=$1 out
  shift
  out=$(mktemp)
  exec {FAKE_FD}> >(exec target/debug/fake-lago --port 0 --exit-on-stdin-eof "$@" >"$out")
  FAKE_PROC=$!
  for _ in $(seq 100); do
    grep -q listening "$out" && break
    sleep 0.1
  done
  line=$(grep listening "$out") || { echo "browser-tests: fake-lago $* did not start" >&2; exit 1; }
  rm -f "$out"
  export "$name=${line##* }"
}
start_fake FAKE_LAGO_RL_URL --rate-limit=5,10
RL_PID=$FAKE_PROC
trap 'kill "$FAKE_PID" "$RL_PID" 2>/dev/null || true' EXIT
echo "browser-tests: rate-limited fake Lago at $FAKE_LAGO_RL_URL"
start_fake FAKE_LAGO_CLOSED_URL
exec {FAKE_FD}>&- # EOF on its stdin: it stops, and its port is closed
for _ in $(seq 50); do
  kill -0 "$FAKE_PROC" 2>/dev/null || break
  sleep 0.1
done
echo "browser-tests: closed port at $FAKE_LAGO_CLOSED_URL"

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# The Rust face suites wait for real (backoff, Retry-After, rate-limit windows): more than the
# runner's default 20 s per suite on a busy machine.
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}
suites=(--test browser --test browser_http)
suites+=(--test rust_face_ops --test rust_face_pagers --test rust_face_bodies --test rust_face_failures)
suites+=(--test rust_face_cancel --test rust_face_writes --test rust_face_events)
suites+=(--test rust_face_webhooks --test rust_face_webhooks_worker --test rust_face_tags)
# Every suite in every browser runs even when one fails (--no-fail-fast, and on to the next
# browser); the script fails at the end if any did.
failed=0
for browser in $browsers; do
  echo "browser-tests: $browser"
  case $browser in
    chromium) driver=(CHROMEDRIVER=/usr/bin/chromedriver) ;;
    firefox) driver=(GECKODRIVER="$HOME/.cargo/bin/geckodriver") ;;
    *) echo "unknown browser $browser" >&2; exit 2 ;;
  esac
  env "${driver[@]}" cargo test -p lago-wasm --target wasm32-unknown-unknown --no-fail-fast \
    "${suites[@]}" || { failed=1; echo "browser-tests: $browser: some suites failed" >&2; }
done
exit $failed
