#!/usr/bin/env bash
# Installs what a target needs, each piece only when it is missing or at the wrong version, so
# running it again costs seconds. `setup.sh` (or `setup.sh build`): what `make pkg` and
# `make example` need: the wasm32 target, wasm-bindgen-cli at the version in Cargo.lock, wasm-pack
# and the npm packages. `setup.sh browsers`: also geckodriver and Debian's Chromium,
# ChromeDriver and Firefox ESR, for the suites that drive a browser. Nothing else ever runs apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf 'setup: %s\n' "$*" >&2; }

# Pinned: what `cargo install` gave when these were last bumped (change them here, on purpose).
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1

# `cargo_pin NAME VERSION BINARY`: installs the crate's binary unless that version is there.
cargo_pin() {
  local have
  have=$("$3" --version 2>/dev/null | head -1 | awk '{print $2}' || true)
  if [ "$have" != "$2" ]; then
    say "installing $1 $2 (had: ${have:-none})"
    # `--locked` first (the versions its authors tested); a registry can lag a crate's own
    # lockfile (wasm-bindgen-cli 0.2.130 pins webpki-roots 1.0.11, missing here), and then
    # cargo resolves the newest compatible versions instead, saying so.
    if ! cargo install "$1" --version "=$2" --locked --force; then
      say "$1 $2 did not install with --locked (its lockfile names a crate version this registry lacks); installing without --locked"
      cargo install "$1" --version "=$2" --force
    fi
  fi
}

build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # The CLI must be the exact version of the wasm-bindgen crate in Cargo.lock.
  cargo_pin wasm-bindgen-cli "$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/[^0-9.]/, ""); print }' Cargo.lock)" wasm-bindgen
  cargo_pin wasm-pack "$WASM_PACK_VERSION" wasm-pack
  # npm packages (wasm-opt from the npm binaryen, esbuild, and the test tools), reinstalled only
  # when the lockfile changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

browsers() {
  cargo_pin geckodriver "$GECKODRIVER_VERSION" geckodriver
  local missing=() pair
  for pair in chromium:chromium chromedriver:chromium-driver firefox-esr:firefox-esr; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

for part in "${@:-build}"; do
  case $part in
    build) build ;;
    browsers) build; browsers ;;
    *) echo "setup.sh: unknown part '$part' (build, browsers)" >&2; exit 2 ;;
  esac
done
