# The two commands a new user needs: `make example` (the main job) and `make test` (everything).
# Every target installs what it needs first (tools/setup.sh: only what is missing).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export LAGO_OPENAPI ?= $(abspath $(CURDIR)/../shared/lago-openapi/openapi.yaml)
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

.PHONY: setup pkg example test test-native test-lint test-browsers test-chromium test-firefox test-node bench clean

setup:
	@bash tools/setup.sh

pkg: setup
	bash tools/build-pkg.sh

example: pkg
	node www-example/serve.mjs

test: test-native test-lint test-browsers test-node
	@echo "make test: all suites passed"

test-native: setup
	@[ -f "$(LAGO_OPENAPI)" ] || echo "*** SKIPPING the spec-dependent tests: Lago spec not found at $(LAGO_OPENAPI) (set LAGO_OPENAPI) ***"
	cargo test --workspace

test-lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p lago-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings

# Both browsers with one fake Lago server (see the script); test-chromium / test-firefox run the
# injected-fetch suite in one browser, for quick iteration.
test-browsers: setup
	bash tools/browser-tests.sh chromium firefox

test-chromium: setup
	$(WASM_RUNNER) CHROMEDRIVER=/usr/bin/chromedriver cargo test -p lago-wasm --target wasm32-unknown-unknown --test browser

test-firefox: setup
	$(WASM_RUNNER) GECKODRIVER=$(HOME)/.cargo/bin/geckodriver cargo test -p lago-wasm --target wasm32-unknown-unknown --test browser

test-node: pkg
	node --test tests/node/

# twiggy is only needed here, so it is installed here (once) rather than by every `make test`.
bench: pkg
	@command -v twiggy >/dev/null || cargo install twiggy
	node bench/run.mjs

clean:
	rm -rf target pkg
