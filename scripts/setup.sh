#!/usr/bin/env bash
# Installs what building (and, with --test, testing) needs, skipping what is already there.
#   scripts/setup.sh          toolchain, cargo-leptos, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh --test   the same, plus Chromium and the Playwright packages
#
# On a fresh two-core machine the long step is compiling cargo-leptos. Two things keep
# it short (measured: see the README's "First start"):
# - cargo-leptos and wasm-bindgen-cli are built unoptimized and without debug info: they
#   only drive the build, and their own speed hardly matters for a 25 KB script.
# - while they compile (mostly one long chain of crates, leaving a core idle), the app's
#   own dependencies are compiled alongside, into the same target directory and with the
#   same settings the real build uses, so it finds them done.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_NPM_VERSION=132
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PWD/end2end/node_modules/.bin:$PATH"
START=$SECONDS

say() { printf '\033[1;34m[setup %3ds]\033[0m %s\n' "$((SECONDS - START))" "$*"; }

# The Rust toolchain pinned in rust-toolchain.toml, with the wasm32 target, rustfmt and clippy.
if ! rustup run "$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)" rustc --version >/dev/null 2>&1 \
   || ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  say "installing the Rust toolchain from rust-toolchain.toml (under a minute)"
  rustup toolchain install
fi

need_leptos=false
[ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" = "$CARGO_LEPTOS_VERSION" ] || need_leptos=true
# wasm-bindgen-cli at exactly the version Cargo.lock pins for the wasm-bindgen crate.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
need_bindgen=false
[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$WASM_BINDGEN_VERSION" ] || need_bindgen=true

warm_pid=""
if $need_leptos && [ "${T2FA_NO_WARM:-}" != 1 ]; then
  # The app's dependencies, built exactly as `cargo leptos build --release` builds them
  # (its two cargo commands, target directories and LEPTOS_* variables, which it derives
  # from [package.metadata.leptos]), so the real build finds them done.
  meta() { sed -n "s/^$1 *= *\"\(.*\)\"/\1/p" Cargo.toml | head -1; }
  export LEPTOS_OUTPUT_NAME="$(meta output-name)" LEPTOS_SITE_ROOT="$(meta site-root)" \
    LEPTOS_SITE_PKG_DIR="$(meta site-pkg-dir)" LEPTOS_SITE_ADDR="$(meta site-addr)" \
    LEPTOS_RELOAD_PORT="$(sed -n 's/^reload-port *= *\([0-9]*\)/\1/p' Cargo.toml)" \
    LEPTOS_BIN_DIR=. LEPTOS_LIB_DIR=. LEPTOS_HASH_FILES=false LEPTOS_JS_MINIFY=true
  mkdir -p target
  say "compiling the app's dependencies alongside (logs: target/warm-up-*.log)"
  nice -n 10 cargo build --package=telnyx-2fa --bin=telnyx-2fa --no-default-features \
    --features=ssr --release >target/warm-up-server.log 2>&1 &
  warm_pid="$!"
  nice -n 10 cargo build --package=telnyx-2fa --lib --target-dir="$PWD/target/front" \
    --target=wasm32-unknown-unknown --no-default-features --features=hydrate \
    --profile=wasm-release >target/warm-up-front.log 2>&1 &
  warm_pid="$warm_pid $!"
  unset LEPTOS_OUTPUT_NAME LEPTOS_SITE_ROOT LEPTOS_SITE_PKG_DIR LEPTOS_SITE_ADDR \
    LEPTOS_RELOAD_PORT LEPTOS_BIN_DIR LEPTOS_LIB_DIR LEPTOS_HASH_FILES LEPTOS_JS_MINIFY
fi

# Unoptimized, no debug info: builds in about half the time of a release build.
quick_install() {
  CARGO_PROFILE_DEV_DEBUG=0 cargo install --debug "$@"
}

if $need_leptos; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION: about 8 minutes on 2 cores (cargo shows each crate)"
  quick_install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if $need_bindgen; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION: about a minute"
  quick_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm packages: binaryen's wasm-opt (release builds) and, for tests, Playwright.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen@$BINARYEN_NPM_VERSION, @playwright/test)"
  (cd end2end && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--test" ]; then
  # The example relying party the browser tests sign in through (openid-client).
  if [ ! -d examples/relying-party/node_modules/openid-client ] \
     || [ examples/relying-party/package-lock.json -nt examples/relying-party/node_modules/.package-lock.json ]; then
    say "installing the example relying party's npm packages (openid-client)"
    (cd examples/relying-party && npm ci --no-audit --no-fund)
  fi
  # Debian's Chromium for the browser tests (Playwright's own browser download can't work here).
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
fi

if [ -n "$warm_pid" ]; then
  say "waiting for the app's dependencies to finish compiling"
  for pid in $warm_pid; do
    # A failure here is not fatal: the real build reports it properly.
    wait "$pid" || say "a warm-up build failed (see target/warm-up-*.log); the build will retry"
  done
fi
say "ready"
