#!/usr/bin/env bash
# Runs every check and test: formatting, lints (server and WASM feature sets),
# Rust unit and integration tests (SQLite and PostgreSQL), and the Playwright
# suite (JavaScript off and hydrated) against a freshly built server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash scripts/setup.sh

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "clippy, server side (ssr)"
cargo clippy -p app -p server -p migration --all-targets -- -D warnings

step "clippy, browser side (islands, wasm32)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "clippy, editors' app (csr, wasm32)"
cargo clippy -p editor --target wasm32-unknown-unknown -- -D warnings

step "Rust tests (SQLite and PostgreSQL at ${CCHC_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres})"
cargo test -p app -p server -p migration

step "build the portal (cargo leptos build)"
cargo leptos build

step "build the editors' app (trunk build)"
trunk build

step "Playwright end-to-end tests"
(cd end2end && npx playwright test)

step "benchmark harness smoke run (bench/run.sh --smoke: 100 articles, 1 s a page, both databases)"
bash bench/run.sh --smoke
