#!/usr/bin/env bash
# Installs everything the build and the tests need, each piece only when it is missing or at the
# wrong version, so running it again costs seconds. Called by every Makefile target.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf 'setup: %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must be the exact version of the wasm-bindgen crate in Cargo.lock.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/[^0-9.]/, ""); print }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (had: ${have:-none})"
  cargo install wasm-bindgen-cli --version "=$want" --force
fi
command -v wasm-pack >/dev/null || { say "installing wasm-pack"; cargo install wasm-pack; }
command -v geckodriver >/dev/null || { say "installing geckodriver"; cargo install geckodriver; }

missing=()
for pair in chromium:chromium chromedriver:chromium-driver firefox-esr:firefox-esr; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages (wasm-opt from the npm binaryen, Prism, playwright-core, TypeScript, Vite...),
# reinstalled only when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
