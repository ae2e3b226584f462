# The two commands: `make run` serves the app on http://127.0.0.1:3000 with no
# configuration; `make test` runs every check. Both install what they need first.

.PHONY: run test setup setup-test build

run: setup build
	LEPTOS_SITE_ROOT=target/site ./target/release/telnyx-2fa

test: setup-test
	scripts/test.sh

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

build:
	PATH="$(CURDIR)/end2end/node_modules/.bin:$${CARGO_HOME:-$$HOME/.cargo}/bin:$$PATH" cargo leptos build --release
