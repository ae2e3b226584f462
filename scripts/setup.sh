#!/usr/bin/env bash
# Installs what building (and, with --test, testing) needs, skipping what is already there.
#   scripts/setup.sh          toolchain, cargo-leptos, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh --test   the same, plus Chromium and the Playwright packages
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_NPM_VERSION=132
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# The Rust toolchain pinned in rust-toolchain.toml, with the wasm32 target, rustfmt and clippy.
if ! rustup run "$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)" rustc --version >/dev/null 2>&1 \
   || ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  say "installing the Rust toolchain from rust-toolchain.toml"
  rustup toolchain install
fi

# cargo-leptos, built without its tool downloads (this network reaches registries only).
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes a while the first time)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# wasm-bindgen-cli at exactly the version Cargo.lock pins for the wasm-bindgen crate.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm packages: binaryen's wasm-opt (release builds) and, for tests, Playwright.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen@$BINARYEN_NPM_VERSION, @playwright/test)"
  (cd end2end && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--test" ]; then
  # Debian's Chromium for the browser tests (Playwright's own browser download can't work here).
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
fi
say "ready"
