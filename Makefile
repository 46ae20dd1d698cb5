# The two commands a new user needs: `make example` (the main job) and `make test` (everything).
# Every target installs what it needs first (tools/setup.sh: only what is missing); only the
# targets that drive a browser install browsers.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export LAGO_OPENAPI ?= $(abspath $(CURDIR)/../shared/lago-openapi/openapi.yaml)
# In CI a missing spec fails the run instead of skipping the suites that need it.
export LAGO_REQUIRE_SPEC ?= $(if $(filter true 1,$(CI)),1,)
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

# The Node suites about the packed package in its users' tools (step "package"); the others
# (end to end, faults, load, secrets, the example app...) are step "node".
PACKAGE_SUITES := $(addprefix tests/node/,package.test.mjs types.test.mjs runtimes.test.mjs nextjs.test.mjs angular.test.mjs server-runtimes.test.mjs workerd.test.mjs)
NODE_SUITES := $(filter-out $(PACKAGE_SUITES),$(wildcard tests/node/*.test.mjs))
STEPS := fmt clippy native browsers node package

.PHONY: setup setup-browsers spec pkg example example-rust test $(addprefix step-,$(STEPS)) test-native test-lint test-browsers test-node test-chromium test-firefox bench clean

setup:
	@bash tools/setup.sh build

setup-browsers:
	@bash tools/setup.sh browsers

spec:
	@if [ ! -f "$(LAGO_OPENAPI)" ]; then \
	  if [ "$(LAGO_REQUIRE_SPEC)" = 1 ]; then echo "*** FAILED: Lago spec not found at $(LAGO_OPENAPI) (set LAGO_OPENAPI; required in CI / LAGO_REQUIRE_SPEC=1)"; exit 1; fi; \
	  echo "*** SKIPPING the spec-dependent tests: Lago spec not found at $(LAGO_OPENAPI) (set LAGO_OPENAPI) ***"; \
	fi

pkg: setup
	bash tools/build-pkg.sh

example: pkg
	node www-example/serve.mjs

# The same customers in a page written in Rust on the Rust face (www-example-rust/); step "node"
# builds and drives it (tests/node/example-rust.test.mjs).
example-rust: setup
	@bash www-example-rust/build.sh
	@node www-example-rust/serve.mjs

# Named steps, in order; the first that fails stops the run and is named on the last line.
test:
	@for step in $(STEPS); do \
	  echo "=== make test: step $$step ==="; \
	  $(MAKE) --no-print-directory step-$$step || { echo "*** make test: step $$step FAILED ***"; exit 1; }; \
	done; echo "make test: all steps passed ($(STEPS))"

step-fmt:
	cargo fmt --all --check

step-clippy: setup
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p lago-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings
	# What a Rust app builds: the crate without the JS face (www-example-rust, the README's line).
	cargo clippy -p lago-wasm --no-default-features --target wasm32-unknown-unknown -- -D warnings

step-native: setup spec
	cargo test --workspace

# Both browsers with one fake Lago server (see the script).
step-browsers: setup-browsers
	bash tools/browser-tests.sh chromium firefox

step-node: pkg setup-browsers spec
	node --test $(NODE_SUITES)

step-package: pkg setup-browsers
	node --test $(PACKAGE_SUITES)

# Shorter names for parts of the run: test-native, test-lint (fmt and clippy), test-browsers,
# test-node (every Node suite, both steps); test-chromium / test-firefox run the injected-fetch
# suite in one browser, for quick iteration.
test-native: step-native
test-lint: step-fmt step-clippy
test-browsers: step-browsers

test-node: pkg setup-browsers spec
	node --test tests/node/

test-chromium: setup-browsers
	$(WASM_RUNNER) CHROMEDRIVER=/usr/bin/chromedriver cargo test -p lago-wasm --target wasm32-unknown-unknown --test browser

test-firefox: setup-browsers
	$(WASM_RUNNER) GECKODRIVER=$(HOME)/.cargo/bin/geckodriver cargo test -p lago-wasm --target wasm32-unknown-unknown --test browser

# Prints one table (every target marked PASS or MISS; speed never fails the build) and writes
# target/bench/: results.json, table.txt, table.md (for the README) and report.html (charts).
# BENCH_ROUNDS, BENCH_ROUND_MS, BENCH_COLD_SAMPLES, BENCH_SOAK_CALLS shorten it while iterating.
# Also builds the Rust face size apps (bench/rust-apps.mjs; `node bench/rust-apps.mjs` alone).
# twiggy is only needed here, so it is installed here (once) rather than by every `make test`.
bench: pkg
	@command -v twiggy >/dev/null || cargo install twiggy
	node bench/run.mjs

clean:
	rm -rf target pkg
