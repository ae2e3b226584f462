#!/usr/bin/env bash
# Every check the project has, in order of speed: format, lints (both feature sets),
# Rust unit and integration tests, the release build, then the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/end2end/node_modules/.bin:$PATH"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (ssr)"
cargo clippy --no-default-features --features ssr --all-targets -- -D warnings

step "clippy (hydrate, wasm32)"
cargo clippy --no-default-features --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

step "the WASM bundle pulls in no server-only crate"
bundle_crates=$(cargo tree --no-default-features --features hydrate --target wasm32-unknown-unknown -e normal --prefix none)
if grep -E '^(sqlx|rusqlite|reqwest|tokio|hmac|secrecy|phonenumber|axum|leptos_axum) ' <<<"$bundle_crates"; then
  echo "server-only crates reached the hydrate build" >&2
  exit 1
fi

step "Rust tests (unit + black-box API; needs PostgreSQL on 127.0.0.1:5432)"
# Bounded, so a hung test fails the run instead of eating CI's time (build included).
timeout 1800 cargo test --no-default-features --features ssr

step "release build (server + WASM)"
cargo leptos build --release

step "Playwright (Chromium)"
(cd end2end && npx playwright test)
