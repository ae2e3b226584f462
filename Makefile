# The two commands: `make run` serves the app on http://127.0.0.1:3000 with no
# configuration; `make test` runs every check. Both install what they need first.

.PHONY: run test setup setup-test build bench

run: setup build
	LEPTOS_SITE_ROOT=target/site ./target/release/telnyx-2fa

test: setup-test
	scripts/test.sh

# Not part of `make test`: the app under load next to a minimal reference server, written
# to BENCHMARKS.md (`make bench ARGS=--quick` for a short run).
bench: setup build
	cargo bench --no-default-features --features ssr --bench load -- $(ARGS)

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

build:
	PATH="$(CURDIR)/end2end/node_modules/.bin:$${CARGO_HOME:-$$HOME/.cargo}/bin:$$PATH" cargo leptos build --release
